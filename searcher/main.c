/* main.c - dossier-search: the command line of the searcher
 *
 * Parses the options, opens the databases and builds and runs the search
 * through searcher/query.c (the code the query benchmark runs too), then
 * hands the hits, counts and summary to a printer; --stats describes the
 * index instead, and --batch runs one search per line of a file
 * (searcher/batch.c), and savedcmd.c runs the saved-search commands.
 * Knows dossier's fields through config/schema.h only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "config/config.h"
#include "config/date.h"
#include "config/schema.h"
#include "searcher/batch.h"
#include "searcher/like.h"
#include "searcher/main_int.h"
#include "searcher/output.h"
#include "searcher/period.h"
#include "searcher/query.h"
#include "searcher/saved.h"
#include "searcher/search.h"
#include "searcher/series.h"
#include "searcher/timeline.h"
#include "shim/xsh.h"
#include "util/diag.h"
#include "util/strv.h"

/* Long options without a short form (values above any character). */
enum {
    OPT_HISTOGRAM_BY = 0x4301,
    OPT_CHART
};

static void
usage(FILE *out)
{
    fputs("usage: dossier-search [-d DB ...] [-c CONFIG] [-a AUTHOR ...] "
          "[--since DATE]\n"
          "                      [--until DATE] [--source S] [--tag T] "
          "[--lang L] [--any]\n"
          "                      [--no-translit] [-n N]\n"
          "                      [--offset N] [--sort relevance|newest|"
          "oldest]\n"
          "                      [--format text|json|paths|csv|jsonl] "
          "[--fields F,...]\n"
          "                      [--facets]\n"
          "                      [--histogram day|week|month|year|auto]\n"
          "                      [--histogram-by author|source|lang[:N]]\n"
          "                      [--chart FILE.svg]\n"
          "                      [--estimate] [--no-collapse]\n"
          "                      [--allow-partial] [--stats] "
          "[--color[=WHEN]] [QUERY ...]\n"
          "       dossier-search --batch FILE [--format csv|jsonl] "
          "[--fields F,...]\n"
          "                      [-n N] [filters]\n"
          "       dossier-search [-d DB] --save NAME [filters] [QUERY ...] | "
          "--saved\n"
          "                      | --run NAME [QUERY ...] | --new [NAME ...] "
          "| --delete NAME\n"
          "       dossier-search [-d DB ...] --like PATH|ID [filters] "
          "[QUERY ...]\n"
          "\n"
          "Search the index.  Words must all match (use --any for best "
          "match);\n"
          "\"phrases\", AND/OR/NOT, +word -word, guarant*, title:, author:,\n"
          "source:, tag:, date:2025-01..2025-08 work as in Xapian.  An empty\n"
          "query lists every document (newest first).\n"
          "\n"
          "  -d, --database DB    database, stub file or tcp://HOST:PORT; "
          "repeat to\n"
          "                       search several as one\n"
          "  -c, --config FILE    configuration file\n"
          "  -a, --author NAME    by this author (repeat for any of "
          "several)\n"
          "      --since DATE     on or after DATE (YYYY, YYYY-MM, "
          "YYYY-MM-DD,\n"
          "                       today, yesterday, 30d, 6w, 3m, 1y)\n"
          "      --until DATE     on or before the end of DATE\n"
          "      --source S       from this source (repeatable)\n"
          "      --tag T          with this tag (repeatable)\n"
          "      --lang L         in this language: uk, ru, en... "
          "(repeatable)\n"
          "      --no-translit    no matches through the other script "
          "(Kyiv, Київ)\n"
          "      --any            best match: any word may match\n"
          "  -n, --limit N        show N results (default 10)\n"
          "      --offset N       skip the first N results\n"
          "      --sort ORDER     relevance, newest or oldest\n"
          "      --format F       text, json, paths, csv or jsonl\n"
          "      --fields F,...   the columns of csv and jsonl "
          "(rank, path, title...)\n"
          "      --batch FILE     one search per line of FILE (- for "
          "stdin, or CSV\n"
          "                       with a query column): a row of counts "
          "each\n"
          "      --facets         counts by author, month and language over "
          "all matches\n"
          "      --histogram U    bar chart of matches per day, week (ISO),\n"
          "                       month or year; auto picks from the span\n"
          "      --histogram-by K[:N]  split it by author, source or lang:\n"
          "                       the top N (default 5), then other\n"
          "      --chart FILE     draw the histogram as an SVG chart "
          "(- for stdout,\n"
          "                       instead of the results)\n"
          "      --estimate       estimate the total (faster on very large\n"
          "                       sets; labelled as an estimate)\n"
          "      --no-collapse    show syndicated copies separately\n"
          "      --allow-partial  go on without unreachable shards\n"
          "      --stats          describe the index and exit\n"
          "      --save NAME      save the query and filters in the "
          "database\n"
          "      --saved          list the saved searches\n"
          "      --run NAME       run a saved search (query words narrow "
          "it)\n"
          "      --new [NAME...]  what each saved search (or those named) "
          "found\n"
          "                       since its last --new; 1 when nothing\n"
          "      --delete NAME    delete a saved search\n"
          "      --like PATH|ID   documents like this file or document id\n"
          "      --color[=WHEN]   highlight: auto (on a terminal, unless "
          "NO_COLOR),\n"
          "                       always or never\n"
          "  -h, --help           show this help\n"
          "  -V, --version        show the version\n"
          "\n"
          "Exit status: 0 results found, 1 none, 2 error.\n", out);
}

static int
parse_uint(const char *opt, const char *s, unsigned *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 0 || v > 1000000) {
        diag_error("%s: invalid number '%s' (expected 0 to 1000000); "
                   "try 'dossier-search --help'", opt, s);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

char *
main_join_args(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *q = malloc(len), *p = q;
    if (!q)
        return NULL;
    *p = '\0';
    for (int i = 0; i < argc; i++) {
        if (i)
            *p++ = ' ';
        size_t l = strlen(argv[i]);
        memcpy(p, argv[i], l + 1);
        p += l;
    }
    return q;
}

/* ------------------------------------------------------------------ */
/* Refuse a database this searcher cannot read (schema_check() says
 * why).  Only the first database holds the metadata. */
int
main_check_schema(xsh_db_t *db, const opts_t *o, const config_t *cfg)
{
    const char *path = o->dbs.n ? o->dbs.v[0] :
                       cfg->shards.n ? cfg->shards.v[0] :
                       cfg->database ? cfg->database : "dossier.db";
    char *v = NULL, msg[256];
    unsigned count = 0;
    int rc = 0;

    if (xsh_db_get_metadata(db, SCHEMA_META_VERSION, &v, NULL) != XSH_OK ||
        xsh_db_doccount(db, &count) != XSH_OK) {
        diag_error("%s: %s", path, xsh_db_errmsg(db));
        rc = -1;
    } else if (schema_check(v, count, SCHEMA_USE_READ, msg,
                            sizeof msg) < 0) {
        diag_error("%s: %s", path, msg);
        rc = -1;
    }
    free(v);
    return rc;
}

/* ------------------------------------------------------------------ */
/* --stats                                                             */

typedef struct top_authors {
    out_counts_t c;
    unsigned long n;
} top_authors_t;

static bool
stat_author(void *ctx, const char *term, size_t len, unsigned freq)
{
    top_authors_t *t = ctx;
    size_t plen = strlen(SCHEMA_PREFIX_AUTHOR_NAME);
    t->n++;
    search_count_acc_t acc = { &t->c, false };
    return search_count_add(&acc, term + plen, len - plen, freq);
}

static int
cmp_count_desc(const void *a, const void *b)
{
    const out_count_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->value, y->value);
}

static unsigned long long
dir_size(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    unsigned long long total = 0;
    struct stat st;

    if (!d)
        return stat(path, &st) == 0 ? (unsigned long long)st.st_size : 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *p = malloc(strlen(path) + strlen(e->d_name) + 2);
        if (!p)
            break;
        sprintf(p, "%s/%s", path, e->d_name);
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            total += (unsigned long long)st.st_size;
        free(p);
    }
    closedir(d);
    return total;
}

static int
show_stats(xsh_db_t *db, const opts_t *o, const config_t *cfg)
{
    unsigned count = 0;
    char *lo = NULL, *hi = NULL, *roots = NULL, *when = NULL;
    top_authors_t top = { { NULL, 0 }, 0 };
    date_t d;
    char a[16], b[16];

    if (xsh_db_doccount(db, &count) != XSH_OK ||
        xsh_db_value_bounds(db, SCHEMA_SLOT_DATE, &lo, &hi) != XSH_OK ||
        xsh_db_each_term(db, SCHEMA_PREFIX_AUTHOR_NAME, stat_author, &top)
        != XSH_OK) {
        diag_error("%s", xsh_db_errmsg(db));
        return SEARCH_EXIT_ERROR;
    }
    xsh_db_get_metadata(db, SCHEMA_META_ROOTS, &roots, NULL);
    xsh_db_get_metadata(db, SCHEMA_META_INDEXED_AT, &when, NULL);
    if (top.c.n)
        qsort(top.c.v, top.c.n, sizeof *top.c.v, cmp_count_desc);

    const char *path = o->dbs.n ? o->dbs.v[0] :
                       cfg->database ? cfg->database : "dossier.db";
    unsigned long long size = 0;
    for (size_t i = 0; i < (o->dbs.n ? o->dbs.n : 1); i++)
        size += dir_size(o->dbs.n ? o->dbs.v[i] : path);

    if (o->format == OUT_JSON) {
        json_t *j = json_object(), *ta = json_array(), *rl = json_array();
        json_object_set_new(j, "documents", json_integer(count));
        json_object_set_new(j, "first_date", *lo && date_from_key(lo, &d)
                            == 0 ? json_string(date_format_iso(d, a))
                            : json_null());
        json_object_set_new(j, "last_date", *hi && date_from_key(hi, &d)
                            == 0 ? json_string(date_format_iso(d, b))
                            : json_null());
        json_object_set_new(j, "authors", json_integer((json_int_t)top.n));
        for (size_t i = 0; i < top.c.n && i < 10; i++) {
            json_t *e = json_object();
            char *c = out_sanitize(top.c.v[i].value, false);
            json_object_set_new(e, "value", json_string(c ? c : ""));
            free(c);
            json_object_set_new(e, "count", json_integer(top.c.v[i].count));
            json_array_append_new(ta, e);
        }
        json_object_set_new(j, "top_authors", ta);
        char *save = NULL;
        for (char *l = strtok_r(roots, "\n", &save); l;
             l = strtok_r(NULL, "\n", &save))
            json_array_append_new(rl, json_string(l));
        json_object_set_new(j, "roots", rl);
        json_object_set_new(j, "indexed_at", when && *when ?
                            json_string(when) : json_null());
        json_object_set_new(j, "size_bytes", json_integer((json_int_t)size));
        json_dumpf(j, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(j);
    } else {
        printf("documents:   %u\n", count);
        if (*lo && date_from_key(lo, &d) == 0 && date_from_key(hi, &d) == 0) {
            date_from_key(lo, &d);
            date_format_iso(d, a);
            date_from_key(hi, &d);
            printf("dates:       %s to %s\n", a, date_format_iso(d, b));
        } else {
            printf("dates:       (none)\n");
        }
        printf("authors:     %lu\n", top.n);
        for (size_t i = 0; i < top.c.n && i < 10; i++) {
            char *c = out_sanitize(top.c.v[i].value, false);
            printf("  %6u  %s\n", top.c.v[i].count, c ? c : "");
            free(c);
        }
        printf("roots:\n");
        char *save = NULL;
        for (char *l = strtok_r(roots, "\n", &save); l;
             l = strtok_r(NULL, "\n", &save)) {
            /* A root's name is the user's, but may hold any byte. */
            char *c = out_sanitize(l, false);
            printf("  %s\n", c ? c : "");
            free(c);
        }
        printf("indexed at:  %s\n", when && *when ? when : "(never)");
        printf("size:        %.1f MB\n", (double)size / 1e6);
    }
    out_counts_release(&top.c);
    free(lo);
    free(hi);
    free(roots);
    free(when);
    return SEARCH_EXIT_HITS;
}

/* ------------------------------------------------------------------ */
/* The search                                                          */

/* --histogram-by and --chart around the shared search (search.h). */
typedef struct extras {
    const opts_t *o;
    timeline_t *tl;
    bool remote;
} extras_t;

static int
extras_built(void *ctx, query_t *q, char *err, size_t errlen)
{
    extras_t *x = ctx;
    char e[768];
    if ((x->o->new_lo || x->o->new_hi) &&
        xsh_search_filter_range(q->s, SCHEMA_SLOT_FIRST_INDEXED,
                                x->o->new_lo, x->o->new_hi) != XSH_OK) {
        snprintf(err, errlen, "%s", xsh_search_errmsg(q->s));
        return -1;
    }
    if (x->o->like && like_apply(q, x->o->like, err, errlen) < 0)
        return -1;
    if (!x->o->hist_by)
        return 0;
    /* --histogram-by counts with the shim's own spy, which remote
     * shards cannot run. */
    if (x->remote) {
        snprintf(err, errlen, "--histogram-by: not available over remote "
                 "shards (xapian-tcpsrv runs only Xapian's own counts)");
        return -1;
    }
    if (timeline_ask(x->tl, q->s, e, sizeof e) < 0) {
        snprintf(err, errlen, "--histogram-by: %s", e);
        return -1;
    }
    return 0;
}

static int
extras_counted(void *ctx, xsh_results_t *res, out_counts_t *hist,
               period_unit_t used, out_summary_t *sum, char *err,
               size_t errlen)
{
    extras_t *x = ctx;
    char e[768];
    if (!x->o->hist_by)
        return 0;
    if (timeline_count(x->tl, res, hist, used, e, sizeof e) < 0) {
        snprintf(err, errlen, "--histogram-by: %s", e);
        return -1;
    }
    sum->histogram_by = timeline_view(x->tl);
    return 0;
}

static int
extras_ended(void *ctx, const out_summary_t *sum, char *err, size_t errlen)
{
    extras_t *x = ctx;
    char e[768];
    if (x->o->chart && timeline_chart(x->o->chart, x->o->query,
                                      sum->histogram, sum->histogram_unit,
                                      sum->histogram_undated,
                                      sum->histogram_by, e, sizeof e) < 0) {
        snprintf(err, errlen, "--chart: %s", e);
        return -1;
    }
    return 0;
}

int
main_run_search(xsh_db_t *db, const opts_t *o, const config_t *cfg,
                bool remote, double t0)
{
    printer_t *pr = NULL;
    timeline_t tl;
    char err[1024];
    int rc = SEARCH_EXIT_ERROR;
    query_spec_t spec = {
        .query = o->query,
        .authors = (const char *const *)o->authors.v, .n_authors = o->authors.n,
        .sources = (const char *const *)o->sources.v, .n_sources = o->sources.n,
        .tags = (const char *const *)o->tags.v, .n_tags = o->tags.n,
        .since = o->since, .until = o->until, .any = o->any,
        .sort = o->sort, .no_collapse = o->no_collapse,
        .facets = o->facets, .histogram = o->histogram,
        .estimate = o->estimate, .remote = remote,
        .langs = (const char *const *)o->langs.v, .n_langs = o->langs.n,
        .no_translit = o->no_translit
    };

    bool color = o->format == OUT_TEXT &&
                 (o->color > 0 || (o->color == 0 && isatty(STDOUT_FILENO) &&
                                   !getenv("NO_COLOR")));
    unsigned width = 80;
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0
        && ws.ws_col > 20)
        width = ws.ws_col;
    else if (getenv("COLUMNS") && atoi(getenv("COLUMNS")) > 20)
        width = (unsigned)atoi(getenv("COLUMNS"));
    pr = printer_new(o->format, o->out ? o->out : stdout, color, width);
    if (!pr) {
        diag_error("out of memory");
        return SEARCH_EXIT_ERROR;
    }
    if (o->fields) {
        out_fields_t fl;
        out_fields_parse(o->fields, out_hit_fields, &fl, err, sizeof err);
        printer_set_fields(pr, &fl);
    }
    timeline_init(&tl, o->by_key, o->by_top);
    extras_t x = { o, &tl, remote };
    /* --chart - puts the SVG on stdout, and only it. */
    search_hooks_t hooks = {
        .ctx = &x, .built = extras_built, .counted = extras_counted,
        .ended = extras_ended,
        .quiet = o->chart && strcmp(o->chart, "-") == 0,
        /* No spelling suggestion for what is new or like an example:
         * the query is not what the user just typed. */
        .no_suggestion = o->new_hi || o->like
    };
    unsigned limit = o->limit_set ? o->limit : cfg->results;
    int src = search_run(db, cfg, &spec, o->offset, limit, o->hist_unit, pr,
                         &hooks, t0, err, sizeof err);
    if (src < 0)
        diag_error("%s", err);
    else
        rc = src == SEARCH_FOUND ? SEARCH_EXIT_HITS : SEARCH_EXIT_NONE;
    timeline_release(&tl);
    pr->free(pr);
    return rc;
}

/* ------------------------------------------------------------------ */
/* --format csv|jsonl, --fields and --batch                            */

/* Long options without a short letter (issue 15's exports and batch). */
enum { OPT_FIELDS = 0x1500, OPT_BATCH };

/* The options that do not go together, before anything is opened.
 * Returns 0, or -1 after one line on stderr. */
static int
check_combinations(const opts_t *o, int n_args)
{
    char err[1024];
    out_fields_t f;
    bool rows = o->format == OUT_CSV || o->format == OUT_JSONL;

    if (o->batch) {
        const char *bad = n_args ? "a query on the command line" :
                          o->stats ? "--stats" : o->facets ? "--facets" :
                          o->histogram ? "--histogram" :
                          o->hist_by ? "--histogram-by" :
                          o->chart ? "--chart" :
                          o->offset ? "--offset" : NULL;
        if (bad) {
            diag_error("--batch: cannot be combined with %s; try "
                       "'dossier-search --help'", bad);
            return -1;
        }
        if (o->format != OUT_TEXT && !rows) {
            diag_error("--batch: writes csv or jsonl, not the --format "
                       "given");
            return -1;
        }
        if (o->fields && out_fields_parse(o->fields, batch_fields, &f, err,
                                          sizeof err) < 0) {
            diag_error("--fields: %s", err);
            return -1;
        }
        return 0;
    }
    if (o->fields && !rows) {
        diag_error("--fields: needs --format csv or jsonl (or --batch)");
        return -1;
    }
    if (o->fields && out_fields_parse(o->fields, out_hit_fields, &f, err,
                                      sizeof err) < 0) {
        diag_error("--fields: %s", err);
        return -1;
    }
    if (rows && (o->facets || o->histogram || o->hist_by || o->stats)) {
        diag_error("--format %s: writes hits only; %s needs text or json",
                   o->format == OUT_CSV ? "csv" : "jsonl",
                   o->facets ? "--facets" : o->histogram ? "--histogram"
                   : o->hist_by ? "--histogram-by" : "--stats");
        return -1;
    }
    return 0;
}

typedef struct batch_ctx {
    const char *name;
} batch_ctx_t;

static void
batch_bad(void *ctx, unsigned long line, const char *msg)
{
    const batch_ctx_t *b = ctx;
    diag_error("%s:%lu: %s", b->name, line, msg);
}

/* --batch: exit 2 when a line failed (the others still ran, as grep goes
 * on past an unreadable file), else 0 when a query found something, else
 * 1. */
static int
run_batch(xsh_db_t *db, const opts_t *o, const config_t *cfg, bool remote)
{
    bool is_stdin = strcmp(o->batch, "-") == 0;
    batch_ctx_t bc = { is_stdin ? "(standard input)" : o->batch };
    FILE *in = is_stdin ? stdin : fopen(o->batch, "r");
    out_fields_t fl = { .n = 0 };
    batch_stats_t st;
    char err[1024];

    if (!in) {
        diag_error("%s: cannot open: %s", o->batch, strerror(errno));
        return SEARCH_EXIT_ERROR;
    }
    if (o->fields)
        out_fields_parse(o->fields, batch_fields, &fl, err, sizeof err);
    query_spec_t spec = {
        .authors = (const char *const *)o->authors.v,
        .n_authors = o->authors.n,
        .sources = (const char *const *)o->sources.v,
        .n_sources = o->sources.n,
        .tags = (const char *const *)o->tags.v, .n_tags = o->tags.n,
        .since = o->since, .until = o->until, .any = o->any,
        .sort = o->sort, .no_collapse = o->no_collapse,
        .estimate = false, .remote = remote,
        .langs = (const char *const *)o->langs.v, .n_langs = o->langs.n,
        .no_translit = o->no_translit
    };
    batch_opts_t bo = {
        .spec = &spec, .jsonl = o->format == OUT_JSONL,
        .n_top = o->limit_set ? o->limit : 3, .fields = &fl,
        .bad = batch_bad, .ctx = &bc
    };
    int rc = batch_run(db, cfg, in, stdout, &bo, &st, err, sizeof err);
    if (rc < 0)
        diag_error("%s: %s", bc.name, err);
    if (!is_stdin)
        fclose(in);
    if (rc < 0 || st.n_bad)
        return SEARCH_EXIT_ERROR;
    return st.n_found ? SEARCH_EXIT_HITS : SEARCH_EXIT_NONE;
}

void
main_warn_line(const char *msg)
{
    diag_warn("%s", msg);
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "database", required_argument, NULL, 'd' },
        { "config", required_argument, NULL, 'c' },
        { "author", required_argument, NULL, 'a' },
        { "since", required_argument, NULL, 'S' },
        { "until", required_argument, NULL, 'U' },
        { "source", required_argument, NULL, 's' },
        { "tag", required_argument, NULL, 't' },
        { "lang", required_argument, NULL, 'L' },
        { "no-translit", no_argument, NULL, 'X' },
        { "any", no_argument, NULL, 'A' },
        { "limit", required_argument, NULL, 'n' },
        { "offset", required_argument, NULL, 'o' },
        { "sort", required_argument, NULL, 'O' },
        { "format", required_argument, NULL, 'f' },
        { "facets", no_argument, NULL, 'F' },
        { "histogram", required_argument, NULL, 'H' },
        { "estimate", no_argument, NULL, 'E' },
        { "no-collapse", no_argument, NULL, 'N' },
        { "allow-partial", no_argument, NULL, 'P' },
        { "stats", no_argument, NULL, 'T' },
        { "color", optional_argument, NULL, 'C' },
        { "colour", optional_argument, NULL, 'C' },
        { "save", required_argument, NULL, 0x7601 },
        { "saved", no_argument, NULL, 0x7602 },
        { "run", required_argument, NULL, 0x7603 },
        { "new", no_argument, NULL, 0x7604 },
        { "delete", required_argument, NULL, 0x7605 },
        { "unsave", required_argument, NULL, 0x7605 },
        { "like", required_argument, NULL, 0x7606 },
        { "histogram-by", required_argument, NULL, OPT_HISTOGRAM_BY },
        { "chart", required_argument, NULL, OPT_CHART },
        { "fields", required_argument, NULL, OPT_FIELDS },
        { "batch", required_argument, NULL, OPT_BATCH },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 }
    };
    opts_t o;
    config_t cfg;
    char err[1024];
    int c, rc = SEARCH_EXIT_ERROR;
    double t0 = search_now_ms();

    memset(&o, 0, sizeof o);
    diag_set_prog("dossier-search");
    while ((c = getopt_long(argc, argv, "d:c:a:n:hV", longopts, NULL))
           != -1) {
        switch (c) {
        case 'd':
            strv_push(&o.dbs, optarg);
            break;
        case 'c':
            o.config = optarg;
            break;
        case 'a':
            strv_push(&o.authors, optarg);
            break;
        case 'S':
            o.since = optarg;
            break;
        case 'U':
            o.until = optarg;
            break;
        case 's':
            strv_push(&o.sources, optarg);
            break;
        case 't':
            strv_push(&o.tags, optarg);
            break;
        case 'L':
            strv_push(&o.langs, optarg);
            break;
        case 'X':
            o.no_translit = true;
            break;
        case 'A':
            o.any = o.any_set = true;
            break;
        case 'n':
            if (parse_uint("--limit", optarg, &o.limit) < 0)
                goto out;
            o.limit_set = true;
            break;
        case 'o':
            if (parse_uint("--offset", optarg, &o.offset) < 0)
                goto out;
            break;
        case 'O':
            if (strcmp(optarg, "relevance") && strcmp(optarg, "newest") &&
                strcmp(optarg, "oldest")) {
                diag_error("--sort: invalid order '%s' (expected relevance, "
                           "newest or oldest)", optarg);
                goto out;
            }
            o.sort = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                o.format = OUT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                o.format = OUT_JSON;
            else if (strcmp(optarg, "paths") == 0)
                o.format = OUT_PATHS;
            else if (strcmp(optarg, "csv") == 0)
                o.format = OUT_CSV;
            else if (strcmp(optarg, "jsonl") == 0)
                o.format = OUT_JSONL;
            else {
                diag_error("--format: invalid format '%s' (expected text, "
                           "json, paths, csv or jsonl)", optarg);
                goto out;
            }
            break;
        case 'F':
            o.facets = true;
            break;
        case 'H':
            if (period_unit_parse(optarg, &o.hist_unit) < 0) {
                diag_error("--histogram: invalid unit '%s' (expected day, "
                           "week, month, year or auto)", optarg);
                goto out;
            }
            o.histogram = optarg;
            break;
        case 'E':
            o.estimate = true;
            break;
        case 'N':
            o.no_collapse = true;
            break;
        case 'P':
            o.allow_partial = true;
            break;
        case 'T':
            o.stats = true;
            break;
        case 'C':
            if (!optarg || strcmp(optarg, "always") == 0)
                o.color = 1;
            else if (strcmp(optarg, "never") == 0)
                o.color = -1;
            else if (strcmp(optarg, "auto") == 0)
                o.color = 0;
            else {
                diag_error("--color: invalid value '%s' (expected auto, "
                           "always or never)", optarg);
                goto out;
            }
            break;
        case 0x7601:
            o.save = optarg;
            break;
        case 0x7602:
            o.list_saved = true;
            break;
        case 0x7603:
            o.run = optarg;
            break;
        case 0x7604:
            o.new_mode = true;
            break;
        case 0x7605:
            o.del = optarg;
            break;
        case 0x7606:
            o.like = optarg;
            break;
        case OPT_HISTOGRAM_BY:
            if (series_key_parse(optarg, &o.by_key, &o.by_top) < 0) {
                diag_error("--histogram-by: invalid value '%s' (expected "
                           "author, source or lang, optionally with :N "
                           "series, N from 1 to %d)", optarg,
                           SERIES_TOP_MAX);
                goto out;
            }
            o.hist_by = optarg;
            break;
        case OPT_CHART:
            if (*optarg == '\0') {
                diag_error("--chart: empty file name (use - for standard "
                           "output)");
                goto out;
            }
            o.chart = optarg;
            break;
        case OPT_FIELDS:
            o.fields = optarg;
            break;
        case OPT_BATCH:
            o.batch = optarg;
            break;
        case 'h':
            usage(stdout);
            rc = SEARCH_EXIT_HITS;
            goto out;
        case 'V':
            printf("dossier-search %s (Xapian %s)\n", DOSSIER_VERSION,
                   xsh_version());
            rc = SEARCH_EXIT_HITS;
            goto out;
        default:
            fputs("try 'dossier-search --help'\n", stderr);
            goto out;
        }
    }

    if (check_combinations(&o, argc - optind) < 0)
        goto out;
    /* A split histogram or a chart needs a histogram: auto unless
     * --histogram chose the unit. */
    if ((o.hist_by || o.chart) && !o.histogram) {
        o.histogram = "auto";
        o.hist_unit = PERIOD_AUTO;
    }
    if (config_load_default(&cfg, o.config, err, sizeof err) < 0) {
        diag_error("%s", err);
        config_release(&cfg);
        goto out;
    }
    if (!o.any_set)
        o.any = cfg.any;
    if (o.save || o.run || o.del || o.list_saved || o.new_mode) {
        rc = savedcmd_command(&o, &cfg, argc - optind, argv + optind, t0);
        config_release(&cfg);
        goto out;
    }
    if (o.like && !o.sort)
        o.sort = "relevance";   /* not newest first, as a browse is */
    o.query = main_join_args(argc - optind, argv + optind);
    bool remote = false;
    xsh_db_t *db = NULL;
    if (o.query &&
        !(db = query_open((const char *const *)o.dbs.v, o.dbs.n, &cfg,
                          o.allow_partial, main_warn_line, &remote, err,
                          sizeof err)))
        diag_error("%s", err);
    if (db && main_check_schema(db, &o, &cfg) == 0)
        rc = o.stats ? show_stats(db, &o, &cfg) :
             o.batch ? run_batch(db, &o, &cfg, remote) :
             main_run_search(db, &o, &cfg, remote, t0);
    xsh_db_close(db);
    config_release(&cfg);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        diag_error("write error on standard output");
        rc = SEARCH_EXIT_ERROR;
    }
out:
    free(o.query);
    strv_release(&o.dbs);
    strv_release(&o.authors);
    strv_release(&o.sources);
    strv_release(&o.tags);
    strv_release(&o.langs);
    return rc;
}
