/* qbench.c - in-process query latency over the bench's query mix
 *
 * Opens the database once (query_open()), then for every line of the
 * query mix does what one dossier-search call does between opening the
 * database and printing, through the same code (searcher/query.c): builds
 * the search from the config (query_build()), runs it for the top 10 with
 * the spelling suggestion when it finds little (query_run()), and reads
 * every hit with its snippet of the stored body (query_hit()).  Only
 * printing is left out.  One warm-up pass over the
 * mix, then ROUNDS timed passes.
 *
 * Usage: qbench [-c CONFIG] [-r ROUNDS] [-e 1] [-x 1] [-v FILE] [-t FILE]
 *        DB QUERIES.TSV
 * -e 1 counts as --estimate does (no exact totals); -x 1 searches as
 * --no-translit does; -v writes each line's fastest time (ms), a tab and
 * the line itself to FILE, to find the queries behind the tail; -t
 * appends every timed run to FILE as 0 (unfiltered) or 1 (filtered), a
 * tab and the time (ms), as qloop -t does.
 * Prints two lines, "unfiltered|filtered N P50 P95 P99 MAX" (ms).
 * QUERIES.TSV lines are QUERY<TAB>AUTHOR<TAB>SINCE<TAB>UNTIL (see gen.c);
 * a line with any filter counts as filtered.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "searcher/query.h"
#include "shim/xsh.h"

typedef struct line {
    char *query, *author, *since, *until;
    bool filtered;
    char *text;             /* the line as read */
    double best;            /* its fastest time, ms (-1: not timed) */
} line_t;

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *
field(char **p)
{
    char *s = *p, *t = strchr(s, '\t');
    if (t) {
        *t = '\0';
        *p = t + 1;
    } else {
        *p = s + strlen(s);
    }
    return *s ? s : NULL;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void
report(const char *name, double *v, size_t n)
{
    if (n == 0) {
        printf("%s 0 0 0 0 0\n", name);
        return;
    }
    qsort(v, n, sizeof *v, cmp_double);
#define PCT(p) v[(size_t)((double)(n - 1) * (p) + 0.5)]
    printf("%s %zu %.3f %.3f %.3f %.3f\n", name, n, PCT(0.50), PCT(0.95),
           PCT(0.99), v[n - 1]);
#undef PCT
}

/* One query as dossier-search runs it (searcher/query.c), without the
 * printing.  Returns 0 or -1. */
static bool estimate, no_translit;

static int
one(xsh_db_t *db, const config_t *cfg, const line_t *l)
{
    const char *authors[1] = { l->author };
    query_spec_t spec = {
        .query = l->query ? l->query : "",
        .authors = authors, .n_authors = l->author ? 1 : 0,
        .since = l->since, .until = l->until, .any = cfg->any,
        .estimate = estimate, .no_translit = no_translit
    };
    query_t q;
    xsh_results_t *res = NULL;
    char *suggestion = NULL;
    char err[1024];
    int rc = -1;

    if (query_build(&q, db, cfg, &spec, err, sizeof err) < 0) {
        fprintf(stderr, "qbench: %s\n", err);
        return -1;
    }
    if (query_run(&q, 0, cfg->results, &res, &suggestion) != XSH_OK) {
        fprintf(stderr, "qbench: %s\n", xsh_search_errmsg(q.s));
        goto out;
    }
    for (unsigned i = 0, n = xsh_results_size(res); i < n; i++) {
        query_hit_t h;
        if (query_hit(res, i, q.browse, &h) != XSH_OK) {
            fprintf(stderr, "qbench: %s\n", xsh_results_errmsg(res));
            goto out;
        }
        query_hit_release(&h);
    }
    rc = 0;
out:
    free(suggestion);
    xsh_results_free(res);
    query_release(&q);
    return rc;
}

int
main(int argc, char **argv)
{
    const char *cfg_path = NULL, *per_line = NULL, *times = NULL;
    unsigned rounds = 3;
    int i = 1;
    config_t cfg;
    char err[1024], buf[4096];

    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-c") == 0)
            cfg_path = argv[i + 1];
        else if (strcmp(argv[i], "-r") == 0)
            rounds = (unsigned)atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-e") == 0)
            estimate = atoi(argv[i + 1]) != 0;
        else if (strcmp(argv[i], "-x") == 0)
            no_translit = atoi(argv[i + 1]) != 0;
        else if (strcmp(argv[i], "-v") == 0)
            per_line = argv[i + 1];
        else if (strcmp(argv[i], "-t") == 0)
            times = argv[i + 1];
    }
    if (argc - i != 2 || rounds == 0) {
        fputs("usage: qbench [-c CONFIG] [-r ROUNDS] [-e 1] [-x 1] "
              "[-v FILE] [-t FILE] DB QUERIES.TSV\n", stderr);
        return 2;
    }
    if (config_load_default(&cfg, cfg_path, err, sizeof err) < 0) {
        fprintf(stderr, "qbench: %s\n", err);
        return 2;
    }
    FILE *f = fopen(argv[i + 1], "r");
    if (!f) {
        perror(argv[i + 1]);
        return 2;
    }
    line_t *lines = NULL;
    size_t n = 0;
    while (fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\n")] = '\0';
        lines = realloc(lines, (n + 1) * sizeof *lines);
        char *copy = strdup(buf), *p = copy;
        line_t *l = &lines[n++];
        l->text = strdup(buf);
        l->best = -1;
        l->query = field(&p);
        l->author = field(&p);
        l->since = field(&p);
        l->until = field(&p);
        l->filtered = l->author || l->since || l->until;
    }
    fclose(f);

    const char *paths[1] = { argv[i] };
    bool remote = false;
    xsh_db_t *db = query_open(paths, 1, &cfg, false, NULL, &remote, err,
                              sizeof err);
    if (!db) {
        fprintf(stderr, "qbench: %s\n", err);
        return 2;
    }
    for (size_t k = 0; k < n; k++)      /* warm-up */
        if (one(db, &cfg, &lines[k]) < 0)
            return 2;
    double *t_all = malloc(n * rounds * sizeof *t_all);
    double *t_filt = malloc(n * rounds * sizeof *t_filt);
    size_t n_all = 0, n_filt = 0;
    for (unsigned r = 0; r < rounds; r++)
        for (size_t k = 0; k < n; k++) {
            double t0 = now_ms();
            one(db, &cfg, &lines[k]);
            double dt = now_ms() - t0;
            if (lines[k].best < 0 || dt < lines[k].best)
                lines[k].best = dt;
            if (lines[k].filtered)
                t_filt[n_filt++] = dt;
            else
                t_all[n_all++] = dt;
        }
    FILE *t = times ? fopen(times, "a") : NULL;
    if (times && !t) {
        perror(times);
        return 2;
    }
    for (size_t k = 0; t && k < n_all; k++)
        fprintf(t, "0\t%.6f\n", t_all[k]);
    for (size_t k = 0; t && k < n_filt; k++)
        fprintf(t, "1\t%.6f\n", t_filt[k]);
    if (t && fclose(t) != 0) {
        perror(times);
        return 2;
    }
    report("unfiltered", t_all, n_all);
    report("filtered", t_filt, n_filt);
    FILE *v = per_line ? fopen(per_line, "w") : NULL;
    if (per_line && !v) {
        perror(per_line);
        return 2;
    }
    for (size_t k = 0; v && k < n; k++)
        fprintf(v, "%.3f\t%s\n", lines[k].best, lines[k].text);
    if (v && fclose(v) != 0) {
        perror(per_line);
        return 2;
    }
    xsh_db_close(db);
    config_release(&cfg);
    return 0;
}
