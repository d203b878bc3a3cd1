/* eval.c - dossier-eval: score TREC run files against TREC qrels
 *
 * Reads qrels ("qid 0 docid grade") and one or more runs ("qid Q0 docid
 * rank score tag") and prints MAP, nDCG@10 (graded), nDCG@20 (binary),
 * P@10 and recall@100, averaged over the judged queries (those with at
 * least one relevant document); a judged query missing from a run scores
 * 0.  Within a query a run is ordered by score, highest first, ties kept
 * in file order; a document listed twice counts once (its first line).
 * The arithmetic lives in evalmetrics.c, which the unit tests check.
 *
 * Usage: dossier-eval [-q] [-m METRIC] QRELS RUN...
 *   default  a Markdown table, one row per run (named by its tag column)
 *   -q       per-query rows as TSV instead of the table:
 *            run qid map ndcg10 ndcg20b p10 r100
 *   -m NAME  only the mean of NAME (map, ndcg10, ndcg20b, p10, r100) for
 *            each run, one number a line (for scripts and tests)
 * Exit status: 0, or 2 on a usage or input error (one line on stderr).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/evalmetrics.h"

#define PROG "dossier-eval"

typedef struct judgment {
    char *qid;
    char *docid;
    int grade;
} judgment_t;

typedef struct runline {
    char *qid;
    char *docid;
    double score;
    size_t order;
} runline_t;

typedef struct run {
    const char *path;
    char *tag;
    runline_t *v;
    size_t n;
} run_t;

static void
die_nomem(void)
{
    fprintf(stderr, PROG ": out of memory\n");
    exit(2);
}

static void *
xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die_nomem();
    return p;
}

static char *
xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        die_nomem();
    return d;
}

/* Query ids sort numerically when both are numbers, else as bytes, so
 * per-query output reads 1, 2, ... 10 rather than 1, 10, 2. */
static int
qid_cmp(const char *a, const char *b)
{
    size_t la = strspn(a, "0123456789"), lb = strspn(b, "0123456789");
    if (a[la] == '\0' && b[lb] == '\0' && la && lb) {
        while (la > 1 && *a == '0') {
            a++;
            la--;
        }
        while (lb > 1 && *b == '0') {
            b++;
            lb--;
        }
        if (la != lb)
            return la < lb ? -1 : 1;
    }
    return strcmp(a, b);
}

static int
judgment_cmp(const void *x, const void *y)
{
    const judgment_t *a = x, *b = y;
    int c = qid_cmp(a->qid, b->qid);
    return c ? c : strcmp(a->docid, b->docid);
}

static int
runline_cmp(const void *x, const void *y)
{
    const runline_t *a = x, *b = y;
    int c = qid_cmp(a->qid, b->qid);
    if (c)
        return c;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* Split LINE into at most MAX whitespace-separated fields. */
static size_t
split(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " \t\r\n", &save); t && n < max;
         t = strtok_r(NULL, " \t\r\n", &save))
        f[n++] = t;
    return n;
}

static int
load_qrels(const char *path, judgment_t **out, size_t *n_out)
{
    FILE *fp = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, n = 0, lineno = 0;
    judgment_t *v = NULL;

    if (!fp) {
        fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
        return -1;
    }
    while (getline(&line, &cap, fp) != -1) {
        char *f[5], *end;
        lineno++;
        size_t nf = split(line, f, 5);
        if (nf == 0 || f[0][0] == '#')
            continue;
        long g = nf == 4 ? strtol(f[3], &end, 10) : 0;
        if (nf != 4 || *end != '\0') {
            fprintf(stderr, PROG ": %s:%zu: expected 'qid 0 docid grade'\n",
                    path, lineno);
            free(line);
            fclose(fp);
            return -1;
        }
        v = xrealloc(v, (n + 1) * sizeof *v);
        v[n].qid = xstrdup(f[0]);
        v[n].docid = xstrdup(f[2]);
        v[n].grade = (int)g;
        n++;
    }
    free(line);
    fclose(fp);
    qsort(v, n, sizeof *v, judgment_cmp);
    *out = v;
    *n_out = n;
    return 0;
}

static int
load_run(const char *path, run_t *r)
{
    FILE *fp = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, lineno = 0;

    memset(r, 0, sizeof *r);
    r->path = path;
    if (!fp) {
        fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
        return -1;
    }
    while (getline(&line, &cap, fp) != -1) {
        char *f[6], *end;
        lineno++;
        size_t nf = split(line, f, 6);
        if (nf == 0 || f[0][0] == '#')
            continue;
        double score = nf >= 5 ? strtod(f[4], &end) : 0;
        if (nf < 5 || *end != '\0') {
            fprintf(stderr, PROG ": %s:%zu: expected 'qid Q0 docid rank "
                    "score tag'\n", path, lineno);
            free(line);
            fclose(fp);
            return -1;
        }
        if (!r->tag && nf == 6)
            r->tag = xstrdup(f[5]);
        r->v = xrealloc(r->v, (r->n + 1) * sizeof *r->v);
        r->v[r->n] = (runline_t){ xstrdup(f[0]), xstrdup(f[2]), score,
                                  r->n };
        r->n++;
    }
    free(line);
    fclose(fp);
    if (!r->tag) {
        const char *slash = strrchr(path, '/');
        r->tag = xstrdup(slash ? slash + 1 : path);
    }
    qsort(r->v, r->n, sizeof *r->v, runline_cmp);
    return 0;
}

static int
grade_of(const judgment_t *q, size_t n, const char *docid)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(q[mid].docid, docid);
        if (c == 0)
            return q[mid].grade;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Score RUN against the judgments; MEAN gets the averages.  With
 * PER_QUERY, print one TSV row per judged query. */
static size_t
score_run(const run_t *run, const judgment_t *qrels, size_t n_qrels,
          int per_query, evalmetrics_scores_t *mean)
{
    size_t n_queries = 0, ri = 0;
    int *ranked = NULL, *judged = NULL;
    const char **seen = NULL;

    memset(mean, 0, sizeof *mean);
    for (size_t i = 0; i < n_qrels;) {
        const char *qid = qrels[i].qid;
        size_t j = i, n_rel = 0;
        while (j < n_qrels && qid_cmp(qrels[j].qid, qid) == 0) {
            if (qrels[j].grade > 0)
                n_rel++;
            j++;
        }
        const judgment_t *q = qrels + i;
        size_t nq = j - i;
        i = j;
        if (n_rel == 0)
            continue;

        judged = xrealloc(judged, nq * sizeof *judged);
        for (size_t k = 0; k < nq; k++)
            judged[k] = q[k].grade;

        /* This query's lines in the (sorted) run. */
        while (ri < run->n && qid_cmp(run->v[ri].qid, qid) < 0)
            ri++;
        size_t n_ranked = 0;
        for (size_t k = ri; k < run->n && qid_cmp(run->v[k].qid, qid) == 0;
             k++) {
            int dup = 0;
            for (size_t s = 0; s < n_ranked && !dup; s++)
                dup = strcmp(seen[s], run->v[k].docid) == 0;
            if (dup)
                continue;
            ranked = xrealloc(ranked, (n_ranked + 1) * sizeof *ranked);
            seen = xrealloc(seen, (n_ranked + 1) * sizeof *seen);
            seen[n_ranked] = run->v[k].docid;
            ranked[n_ranked++] = grade_of(q, nq, run->v[k].docid);
        }

        evalmetrics_scores_t s;
        evalmetrics_query(ranked, n_ranked, judged, nq, &s);
        if (per_query)
            printf("%s\t%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\n", run->tag, qid,
                   s.map, s.ndcg10, s.ndcg20b, s.p10, s.r100);
        mean->map += s.map;
        mean->ndcg10 += s.ndcg10;
        mean->ndcg20b += s.ndcg20b;
        mean->p10 += s.p10;
        mean->r100 += s.r100;
        n_queries++;
    }
    if (n_queries) {
        mean->map /= (double)n_queries;
        mean->ndcg10 /= (double)n_queries;
        mean->ndcg20b /= (double)n_queries;
        mean->p10 /= (double)n_queries;
        mean->r100 /= (double)n_queries;
    }
    free(ranked);
    free(judged);
    free(seen);
    return n_queries;
}

static void
usage(FILE *out)
{
    fputs("usage: dossier-eval [-q] [-m METRIC] QRELS RUN...\n"
          "\n"
          "Score TREC runs (qid Q0 docid rank score tag) against qrels\n"
          "(qid 0 docid grade): MAP, nDCG@10 (graded), nDCG@20 (binary),\n"
          "P@10, recall@100, averaged over the judged queries.\n"
          "\n"
          "  -q         per-query rows (TSV) instead of the table\n"
          "  -m METRIC  print only the mean of METRIC (map, ndcg10, "
          "ndcg20b,\n"
          "             p10, r100), one line per run\n"
          "  -h         show this help\n", out);
}

int
main(int argc, char **argv)
{
    int per_query = 0, c;
    const char *metric = NULL;
    judgment_t *qrels = NULL;
    size_t n_qrels = 0;

    while ((c = getopt(argc, argv, "qm:h")) != -1) {
        switch (c) {
        case 'q':
            per_query = 1;
            break;
        case 'm':
            metric = optarg;
            if (strcmp(metric, "map") && strcmp(metric, "ndcg10") &&
                strcmp(metric, "ndcg20b") && strcmp(metric, "p10") &&
                strcmp(metric, "r100")) {
                fprintf(stderr, PROG ": -m: unknown metric '%s' (expected "
                        "map, ndcg10, ndcg20b, p10 or r100)\n", metric);
                return 2;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (argc - optind < 2) {
        usage(stderr);
        return 2;
    }
    if (load_qrels(argv[optind], &qrels, &n_qrels) < 0)
        return 2;

    if (!metric && !per_query)
        printf("| run | queries | MAP | nDCG@10 | nDCG@20 (bin) | P@10 "
               "| R@100 |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (int i = optind + 1; i < argc; i++) {
        run_t run;
        evalmetrics_scores_t m;
        if (load_run(argv[i], &run) < 0)
            return 2;
        size_t nq = score_run(&run, qrels, n_qrels, per_query, &m);
        if (metric) {
            double v = strcmp(metric, "map") == 0 ? m.map :
                       strcmp(metric, "ndcg10") == 0 ? m.ndcg10 :
                       strcmp(metric, "ndcg20b") == 0 ? m.ndcg20b :
                       strcmp(metric, "p10") == 0 ? m.p10 : m.r100;
            printf("%.4f\n", v);
        } else if (!per_query) {
            printf("| %s | %zu | %.4f | %.4f | %.4f | %.4f | %.4f |\n",
                   run.tag, nq, m.map, m.ndcg10, m.ndcg20b, m.p10, m.r100);
        }
        for (size_t k = 0; k < run.n; k++) {
            free(run.v[k].qid);
            free(run.v[k].docid);
        }
        free(run.v);
        free(run.tag);
    }
    for (size_t k = 0; k < n_qrels; k++) {
        free(qrels[k].qid);
        free(qrels[k].docid);
    }
    free(qrels);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, PROG ": write error on standard output\n");
        return 2;
    }
    return 0;
}
