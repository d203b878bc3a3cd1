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
 *                    memory, one database handle per client;
 *   handoff DB       the same search, but each client hands its query
 *                    to one of W worker threads (-w, default C; one
 *                    handle each) and waits for the answer: the server's
 *                    shape (requests queued for a pool of threads)
 *                    without sockets, HTTP or libmicrohttpd.
 *
 * Why handoff: with more clients than cores, inproc's threads never
 * block, so the scheduler lets each run many queries in one time slice
 * and then starves it for several: most latencies are the bare search
 * and a few are whole slices (a low median, a long tail).  A server's
 * requests each wait for a thread to be woken, as handoff's do, so their
 * latencies queue evenly; compare the server with handoff to see what
 * the server itself adds, and the means (concurrency / throughput, by
 * Little's law) with either.
 *
 * Prints one line: "MODE N P50 P99 MAX QPS MEAN CPU" (latencies in ms;
 * CPU: this process's CPU time per query in ms, user and system, which
 * over HTTP is the client's and tells nothing of the server).
 *
 * Usage: httpload [-c CLIENTS] [-r ROUNDS] http HOST:PORT QUERIES.TSV
 *        httpload [-c CLIENTS] [-r ROUNDS] inproc DB QUERIES.TSV
 *        httpload [-c CLIENTS] [-r ROUNDS] [-w WORKERS] handoff DB
 *                 QUERIES.TSV
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
#include <sys/resource.h>
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
static enum { MODE_HTTP, MODE_INPROC, MODE_HANDOFF } mode;
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

/* One search as dossier-serve's /api/search runs it; -1 on a failure. */
static int
search_one(xsh_db_t *db, const line_t *l, double t0)
{
    const char *a[1] = { l->author };
    query_spec_t spec = {
        .query = l->query, .authors = a, .n_authors = *l->author ? 1 : 0,
        .since = *l->since ? l->since : NULL,
        .until = *l->until ? l->until : NULL, .any = cfg.any
    };
    char *out = NULL, err[1024];
    size_t len = 0;
    int rc = -1;
    FILE *f = open_memstream(&out, &len);
    printer_t *pr = f ? printer_new(OUT_JSON, f, false, 80) : NULL;
    if (pr && search_run(db, &cfg, &spec, 0, cfg.results, PERIOD_AUTO, pr,
                         NULL, t0, err, sizeof err) >= 0)
        rc = 0;
    if (pr)
        pr->free(pr);
    if (f)
        fclose(f);
    free(out);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Handoff: clients queue their queries for a pool of workers          */

typedef struct job {
    const line_t *l;
    double t0;
    int rc;
    bool done;
    pthread_cond_t cv;
} job_t;

static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cv = PTHREAD_COND_INITIALIZER;
static job_t **queue;           /* a ring of n_clients slots */
static size_t q_cap, q_head, q_len;
static bool q_stop;
static unsigned n_workers;

static int
handoff_one(const line_t *l, double t0)
{
    job_t j = { .l = l, .t0 = t0, .rc = -1 };
    pthread_cond_init(&j.cv, NULL);
    pthread_mutex_lock(&q_lock);
    queue[(q_head + q_len++) % q_cap] = &j;
    pthread_cond_signal(&q_cv);
    while (!j.done)
        pthread_cond_wait(&j.cv, &q_lock);
    pthread_mutex_unlock(&q_lock);
    pthread_cond_destroy(&j.cv);
    return j.rc;
}

static void *
worker(void *arg)
{
    bool remote = false;
    char err[1024];
    xsh_db_t *db = query_open(&db_path, 1, &cfg, false, no_warn, &remote, err,
                              sizeof err);
    (void)arg;
    if (!db)
        atomic_fetch_add(&errors, 1);
    pthread_mutex_lock(&q_lock);
    for (;;) {
        while (!q_len && !q_stop)
            pthread_cond_wait(&q_cv, &q_lock);
        if (!q_len)
            break;
        job_t *j = queue[q_head];
        q_head = (q_head + 1) % q_cap;
        q_len--;
        pthread_mutex_unlock(&q_lock);
        int rc = db ? search_one(db, j->l, j->t0) : -1;
        pthread_mutex_lock(&q_lock);
        j->rc = rc;
        j->done = true;
        pthread_cond_signal(&j->cv);
    }
    pthread_mutex_unlock(&q_lock);
    xsh_db_close(db);
    return NULL;
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
    if (mode == MODE_INPROC)
        db = query_open(&db_path, 1, &cfg, false, no_warn, &remote, err,
                        sizeof err);
    if ((http_mode && (fd < 0 || !buf)) || (mode == MODE_INPROC && !db)) {
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
        } else if ((mode == MODE_INPROC ? search_one(db, l, t0) :
                    handoff_one(l, t0)) < 0) {
            atomic_fetch_add(&errors, 1);
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

static double
cpu_ms(const struct rusage *r)
{
    return (double)(r->ru_utime.tv_sec + r->ru_stime.tv_sec) * 1e3 +
           (double)(r->ru_utime.tv_usec + r->ru_stime.tv_usec) / 1e3;
}

/* One pass of N jobs with C clients; returns the wall time in ms. */
static double
pass(size_t n, unsigned c)
{
    pthread_t *t = calloc(c, sizeof *t);
    pthread_t *w = calloc(n_workers ? n_workers : 1, sizeof *w);
    n_jobs = n;
    atomic_store(&next_job, 0);
    if (mode == MODE_HANDOFF) {
        /* The workers open their handles before the clock starts, as the
         * server's are open before its first request. */
        q_stop = false;
        for (unsigned i = 0; i < n_workers; i++)
            pthread_create(&w[i], NULL, worker, NULL);
    }
    double t0 = now_ms();
    for (unsigned i = 0; i < c; i++)
        pthread_create(&t[i], NULL, client, NULL);
    for (unsigned i = 0; i < c; i++)
        pthread_join(t[i], NULL);
    double wall = now_ms() - t0;
    if (mode == MODE_HANDOFF) {
        pthread_mutex_lock(&q_lock);
        q_stop = true;
        pthread_cond_broadcast(&q_cv);
        pthread_mutex_unlock(&q_lock);
        for (unsigned i = 0; i < n_workers; i++)
            pthread_join(w[i], NULL);
    }
    free(w);
    free(t);
    return wall;
}

int
main(int argc, char **argv)
{
    unsigned clients = 16, rounds = 3;
    int opt;
    char err[1024];

    while ((opt = getopt(argc, argv, "c:r:w:")) != -1) {
        if (opt == 'c')
            clients = (unsigned)atoi(optarg);
        else if (opt == 'r')
            rounds = (unsigned)atoi(optarg);
        else if (opt == 'w')
            n_workers = (unsigned)atoi(optarg);
        else
            return 2;
    }
    if (argc - optind != 3 || !clients || !rounds ||
        (strcmp(argv[optind], "http") && strcmp(argv[optind], "inproc") &&
         strcmp(argv[optind], "handoff"))) {
        fputs("usage: httpload [-c CLIENTS] [-r ROUNDS] [-w WORKERS] "
              "http HOST:PORT|inproc DB|handoff DB QUERIES.TSV\n", stderr);
        return 2;
    }
    mode = !strcmp(argv[optind], "http") ? MODE_HTTP :
           !strcmp(argv[optind], "inproc") ? MODE_INPROC : MODE_HANDOFF;
    http_mode = mode == MODE_HTTP;
    if (!n_workers)
        n_workers = clients;
    q_cap = clients;
    queue = calloc(q_cap, sizeof *queue);
    if (!queue)
        return 2;
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
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    double wall = pass(n, clients);
    getrusage(RUSAGE_SELF, &r1);
    double cpu = cpu_ms(&r1) - cpu_ms(&r0);
    qsort(lat, n, sizeof *lat, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += lat[i];
    printf("%s %zu %.2f %.2f %.2f %.0f %.2f %.3f\n", argv[optind],
           n, lat[n / 2], lat[(size_t)((double)n * 0.99)], lat[n - 1],
           (double)n / (wall / 1e3), sum / (double)n, cpu / (double)n);
    if (atomic_load(&errors))
        fprintf(stderr, "httpload: %d failed requests\n",
                atomic_load(&errors));
    config_release(&cfg);
    return atomic_load(&errors) ? 1 : 0;
}
