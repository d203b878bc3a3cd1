/* httpload.c - /api/search latency over loopback against in process
 *
 * Runs the bench's query mix (QUERIES.TSV: QUERY<TAB>AUTHOR<TAB>SINCE
 * <TAB>UNTIL, see gen.c) with C concurrent clients, each taking the next
 * query of the mix, ROUNDS times over (after one warm-up pass), in one of
 * two ways:
 *
 *   http HOST:PORT   GET /api/search?q=..&author=..&since=..&until=.. on a
 *                    keep-alive connection per client (plain sockets,
 *                    HTTP/1.1), reading the whole answer;
 *   inproc DB        what dossier-serve does for that request, in this
 *                    process: search_run() with the JSON printer into
 *                    memory, one database handle per client.
 *
 * Prints one line: "MODE N P50 P99 MAX QPS MEAN" (latencies in ms).
 *
 * Usage: httpload [-c CLIENTS] [-r ROUNDS] http HOST:PORT QUERIES.TSV
 *        httpload [-c CLIENTS] [-r ROUNDS] inproc DB QUERIES.TSV
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config/config.h"
#include "searcher/output.h"
#include "searcher/query.h"
#include "searcher/search.h"

typedef struct line {
    char *query, *author, *since, *until;
    char *path;                 /* the request's path and query string */
} line_t;

static line_t *lines;
static size_t n_lines;
static atomic_size_t next_job;
static size_t n_jobs;
static double *lat;
static bool http_mode;
static struct sockaddr_in addr;
static const char *db_path;
static config_t cfg;
static atomic_int errors;

static char *
field(char **p)
{
    char *s = *p, *t = s ? strchr(s, '\t') : NULL;
    if (t) {
        *t = '\0';
        *p = t + 1;
    } else {
        *p = NULL;
    }
    return s ? s : (char *)"";
}

/* Append "&KEY=" (no "&" after the "?") and V percent-encoded to OUT at *O (not when V is
 * empty, unless ALWAYS). */
static void
enc(char *out, size_t *o, const char *key, const char *v, bool always)
{
    static const char hex[] = "0123456789ABCDEF";
    if (!*v && !always)
        return;
    *o += (size_t)sprintf(out + *o, "%s%s=", out[*o - 1] == '?' ? "" : "&",
                          key);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
            *p == '_') {
            out[(*o)++] = (char)*p;
        } else {
            out[(*o)++] = '%';
            out[(*o)++] = hex[*p >> 4];
            out[(*o)++] = hex[*p & 15];
        }
    }
    out[*o] = '\0';
}

static int
load(const char *file)
{
    FILE *f = fopen(file, "r");
    char buf[4096];
    if (!f)
        return -1;
    while (fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        line_t *v = realloc(lines, (n_lines + 1) * sizeof *v);
        if (!v)
            return -1;
        lines = v;
        char *p = buf;
        line_t *l = &lines[n_lines++];
        l->query = strdup(field(&p));
        l->author = strdup(field(&p));
        l->since = strdup(field(&p));
        l->until = strdup(field(&p));
        l->path = malloc(3 * sizeof buf + 64);
        if (!l->path)
            return -1;
        size_t o = (size_t)sprintf(l->path, "/api/search?");
        enc(l->path, &o, "q", l->query, true);
        enc(l->path, &o, "author", l->author, false);
        enc(l->path, &o, "since", l->since, false);
        enc(l->path, &o, "until", l->until, false);
    }
    fclose(f);
    return n_lines ? 0 : -1;
}

static double
now_ms(void)
{
    return search_now_ms();
}

/* One request on FD; -1 on a failure. */
static int
http_one(int fd, const line_t *l, char *buf, size_t cap)
{
    char req[16384];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: "
                     "127.0.0.1\r\n\r\n", l->path);
    if (n < 0 || (size_t)n >= sizeof req || write(fd, req, (size_t)n) != n)
        return -1;
    size_t have = 0;
    long want = -1;
    for (;;) {
        ssize_t r = read(fd, buf + have, cap - have - 1);
        if (r <= 0)
            return -1;
        have += (size_t)r;
        buf[have] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (end && want < 0) {
            char *cl = strcasestr(buf, "\r\ncontent-length:");
            if (!cl || cl > end || strncmp(buf, "HTTP/1.1 200", 12))
                return -1;
            want = (long)(end + 4 - buf) + atol(cl + 17);
        }
        if (want >= 0 && (long)have >= want)
            return 0;
        if (have + 1 >= cap)
            return -1;
    }
}

static int
connect_one(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (fd < 0)
        return -1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void
no_warn(const char *m)
{
    (void)m;
}

static void *
client(void *arg)
{
    (void)arg;
    size_t cap = 8 << 20;
    char *buf = http_mode ? malloc(cap) : NULL;
    int fd = http_mode ? connect_one() : -1;
    xsh_db_t *db = NULL;
    bool remote = false;
    char err[1024];
    if (!http_mode)
        db = query_open(&db_path, 1, &cfg, false, no_warn, &remote, err,
                        sizeof err);
    if ((http_mode && (fd < 0 || !buf)) || (!http_mode && !db)) {
        atomic_fetch_add(&errors, 1);
        return NULL;
    }
    for (;;) {
        size_t j = atomic_fetch_add(&next_job, 1);
        if (j >= n_jobs)
            break;
        const line_t *l = &lines[j % n_lines];
        double t0 = now_ms();
        if (http_mode) {
            if (http_one(fd, l, buf, cap) < 0) {
                atomic_fetch_add(&errors, 1);
                close(fd);
                fd = connect_one();
                if (fd < 0)
                    break;
            }
        } else {
            const char *a[1] = { l->author };
            query_spec_t spec = {
                .query = l->query, .authors = a, .n_authors = *l->author ? 1 : 0,
                .since = *l->since ? l->since : NULL,
                .until = *l->until ? l->until : NULL, .any = cfg.any
            };
            char *out = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&out, &len);
            printer_t *pr = printer_new(OUT_JSON, f, false, 80);
            if (search_run(db, &cfg, &spec, 0, cfg.results, PERIOD_AUTO, pr,
                           NULL, t0, err, sizeof err) < 0)
                atomic_fetch_add(&errors, 1);
            pr->free(pr);
            fclose(f);
            free(out);
        }
        lat[j] = now_ms() - t0;
    }
    if (fd >= 0)
        close(fd);
    xsh_db_close(db);
    free(buf);
    return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One pass of N jobs with C clients; returns the wall time in ms. */
static double
pass(size_t n, unsigned c)
{
    pthread_t *t = calloc(c, sizeof *t);
    n_jobs = n;
    atomic_store(&next_job, 0);
    double t0 = now_ms();
    for (unsigned i = 0; i < c; i++)
        pthread_create(&t[i], NULL, client, NULL);
    for (unsigned i = 0; i < c; i++)
        pthread_join(t[i], NULL);
    free(t);
    return now_ms() - t0;
}

int
main(int argc, char **argv)
{
    unsigned clients = 16, rounds = 3;
    int opt;
    char err[1024];

    while ((opt = getopt(argc, argv, "c:r:")) != -1) {
        if (opt == 'c')
            clients = (unsigned)atoi(optarg);
        else if (opt == 'r')
            rounds = (unsigned)atoi(optarg);
        else
            return 2;
    }
    if (argc - optind != 3 || !clients || !rounds) {
        fputs("usage: httpload [-c CLIENTS] [-r ROUNDS] http HOST:PORT|"
              "inproc DB QUERIES.TSV\n", stderr);
        return 2;
    }
    http_mode = strcmp(argv[optind], "http") == 0;
    if (http_mode) {
        char host[64];
        const char *colon = strrchr(argv[optind + 1], ':');
        if (!colon || (size_t)(colon - argv[optind + 1]) >= sizeof host)
            return 2;
        memcpy(host, argv[optind + 1], (size_t)(colon - argv[optind + 1]));
        host[colon - argv[optind + 1]] = '\0';
        addr.sin_family = AF_INET;
        addr.sin_port = htons((unsigned short)atoi(colon + 1));
        if (inet_pton(AF_INET, host, &addr.sin_addr) != 1)
            return 2;
    } else {
        db_path = argv[optind + 1];
        if (config_load_default(&cfg, NULL, err, sizeof err) < 0) {
            fprintf(stderr, "httpload: %s\n", err);
            return 2;
        }
    }
    if (load(argv[optind + 2]) < 0) {
        fprintf(stderr, "httpload: %s: cannot read the queries\n",
                argv[optind + 2]);
        return 2;
    }
    size_t n = n_lines * rounds;
    lat = calloc(n > n_lines ? n : n_lines, sizeof *lat);
    pass(n_lines, clients);                     /* warm-up */
    double wall = pass(n, clients);
    qsort(lat, n, sizeof *lat, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += lat[i];
    printf("%s %zu %.2f %.2f %.2f %.0f %.2f\n", http_mode ? "http" : "inproc",
           n, lat[n / 2], lat[(size_t)((double)n * 0.99)], lat[n - 1],
           (double)n / (wall / 1e3), sum / (double)n);
    if (atomic_load(&errors))
        fprintf(stderr, "httpload: %d failed requests\n",
                atomic_load(&errors));
    config_release(&cfg);
    return atomic_load(&errors) ? 1 : 0;
}
