/* main.c - dossier-search: the command line of the searcher
 *
 * Turns options into a Xapian search through the shim (query text, field
 * prefixes, the date range processor, filters, ranking, collapse, counts),
 * runs it and hands the hits to a printer.  Knows dossier's fields through
 * config/schema.h only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <utf8proc.h>

#include "config/author.h"
#include "config/config.h"
#include "config/date.h"
#include "config/diag.h"
#include "config/schema.h"
#include "searcher/output.h"
#include "shim/xsh.h"

/* Exit codes (DESIGN.md), like grep's. */
enum search_exit {
    SEARCH_EXIT_HITS = 0,
    SEARCH_EXIT_NONE = 1,
    SEARCH_EXIT_ERROR = 2
};

typedef struct strv {
    const char **v;
    size_t n;
} strv_t;

typedef struct opts {
    strv_t dbs;
    const char *config;
    strv_t authors;
    const char *since, *until;
    strv_t sources;
    strv_t tags;
    bool any, any_set;
    unsigned limit;
    bool limit_set;
    unsigned offset;
    const char *sort;
    out_format_t format;
    bool facets;
    const char *histogram;
    bool no_collapse;
    bool allow_partial;
    bool stats;
    char *query;
} opts_t;

static void
usage(FILE *out)
{
    fputs("usage: dossier-search [-d DB ...] [-c CONFIG] [-a AUTHOR ...] "
          "[--since DATE]\n"
          "                      [--until DATE] [--source S] [--tag T] "
          "[--any] [-n N]\n"
          "                      [--offset N] [--sort relevance|newest|"
          "oldest]\n"
          "                      [--format text|json|paths] [--facets]\n"
          "                      [--histogram month|year] [--no-collapse]\n"
          "                      [--allow-partial] [--stats] [QUERY ...]\n"
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
          "      --any            best match: any word may match\n"
          "  -n, --limit N        show N results (default 10)\n"
          "      --offset N       skip the first N results\n"
          "      --sort ORDER     relevance, newest or oldest\n"
          "      --format F       text, json or paths\n"
          "      --facets         counts by author and month over all "
          "matches\n"
          "      --histogram U    bar chart of matches per month or year\n"
          "      --no-collapse    show syndicated copies separately\n"
          "      --allow-partial  go on without unreachable shards\n"
          "      --stats          describe the index and exit\n"
          "  -h, --help           show this help\n"
          "  -V, --version        show the version\n"
          "\n"
          "Exit status: 0 results found, 1 none, 2 error.\n", out);
}

static int
strv_push(strv_t *s, const char *v)
{
    const char **n = realloc(s->v, (s->n + 1) * sizeof *n);
    if (!n)
        return -1;
    s->v = n;
    s->v[s->n++] = v;
    return 0;
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

static char *
join_args(int argc, char **argv)
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
/* Dates                                                               */

typedef struct range_ctx {
    time_t now;
} range_ctx_t;

/* The date: range processor: BEGIN and END in any form --since/--until
 * take, with period semantics. */
static bool
date_range(void *ctx, const char *begin, const char *end, char **lo,
           char **hi)
{
    range_ctx_t *rc = ctx;
    date_t d;
    char buf[16];

    *lo = *hi = NULL;
    if (begin && *begin) {
        if (date_parse_query(begin, rc->now, &d, NULL, 0) < 0)
            return false;
        *lo = strdup(date_format_key(date_period_first(d), buf));
    }
    if (end && *end) {
        if (date_parse_query(end, rc->now, &d, NULL, 0) < 0) {
            free(*lo);
            *lo = NULL;
            return false;
        }
        *hi = strdup(date_format_key(date_period_last(d), buf));
    }
    return true;
}

static int
option_date(const char *opt, const char *s, time_t now, bool last,
            char *key)
{
    date_t d;
    char why[128];
    if (date_parse_query(s, now, &d, why, sizeof why) < 0) {
        diag_error("%s: invalid date '%s': %s (expected YYYY, YYYY-MM, "
                   "YYYY-MM-DD or a relative form like 30d)", opt, s, why);
        return -1;
    }
    date_format_key(last ? date_period_last(d) : date_period_first(d), key);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Filters                                                             */

/* PREFIX + the match key of VALUE, after the config's aliases when
 * ALIASES: the term the indexer wrote for it.  Malloc'd, NULL on ENOMEM. */
static char *
field_term(const config_t *cfg, const char *prefix, const char *value,
           bool aliases)
{
    const char *alias = aliases ? config_alias_lookup(cfg, value) : NULL;
    char *key = author_key(alias ? alias : value);
    if (!key)
        return NULL;
    size_t len = strlen(prefix) + strlen(key) + 1;
    char *term = malloc(len);
    if (term)
        snprintf(term, len, "%s%s", prefix, key);
    free(key);
    return term;
}

/* author:, source:, tag: and lang: in the query: the value normalised as
 * the indexer normalises it (case, accents, spaces; aliases for authors),
 * so author:McFaul, author:"Michael McFaul" and author:@McFaul all match. */
typedef struct field_ctx {
    const config_t *cfg;
    const char *prefix;
    bool aliases;
} field_ctx_t;

static bool
field_terms(void *ctx, const char *value, char ***terms, size_t *n)
{
    const field_ctx_t *f = ctx;
    char **v = malloc(sizeof *v);

    *terms = v;
    *n = 0;
    if (!v)
        return false;
    v[0] = field_term(f->cfg, f->prefix, value, f->aliases);
    if (!v[0])
        return false;
    *n = 1;
    return true;
}

/* The config's synonym groups, every member expanding to every other, as
 * the query parser looks them up: lower-case, unstemmed.  Given to the
 * search itself (not only written into the database by the indexer), so
 * they also hold over remote shards, which carry no synonyms. */
static char *
lower_utf8(const char *s)
{
    utf8proc_uint8_t *out = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                     UTF8PROC_NULLTERM | UTF8PROC_CASEFOLD |
                     UTF8PROC_COMPOSE) < 0)
        return NULL;
    return (char *)out;
}

static void
add_synonyms(xsh_search_t *s, const config_t *cfg)
{
    for (size_t g = 0; g < cfg->n_synonyms; g++) {
        const config_strv_t *grp = &cfg->synonyms[g];
        for (size_t i = 0; i < grp->n; i++) {
            char *a = lower_utf8(grp->v[i]);
            for (size_t j = 0; a && j < grp->n; j++) {
                char *b = i == j ? NULL : lower_utf8(grp->v[j]);
                if (b && strcmp(a, b) != 0)
                    xsh_search_add_synonym(s, a, b);
                free(b);
            }
            free(a);
        }
    }
}

/* A filter group of PREFIX + key(value) terms; authors go through the
 * config's aliases first. */
static int
add_term_filter(xsh_search_t *s, const config_t *cfg, const strv_t *values,
                const char *prefix, bool aliases)
{
    if (values->n == 0)
        return 0;
    char **terms = calloc(values->n, sizeof *terms);
    int rc = -1;
    if (!terms)
        return -1;
    for (size_t i = 0; i < values->n; i++) {
        terms[i] = field_term(cfg, prefix, values->v[i], aliases);
        if (!terms[i])
            goto out;
    }
    rc = xsh_search_filter_terms(s, (const char *const *)terms, values->n)
         == XSH_OK ? 0 : -1;
out:
    for (size_t i = 0; i < values->n; i++)
        free(terms[i]);
    free(terms);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Counts                                                              */

typedef struct count_acc {
    out_counts_t *c;
    bool failed;
} count_acc_t;

static bool
count_add(void *ctx, const char *value, size_t len, unsigned count)
{
    count_acc_t *a = ctx;
    out_count_t *v = realloc(a->c->v, (a->c->n + 1) * sizeof *v);
    if (!v) {
        a->failed = true;
        return false;
    }
    a->c->v = v;
    v[a->c->n].value = strndup(value, len);
    v[a->c->n].count = count;
    a->c->n++;
    return true;
}

static int
cmp_count_value(const void *a, const void *b)
{
    return strcmp(((const out_count_t *)a)->value,
                  ((const out_count_t *)b)->value);
}

static int
collect_counts(xsh_results_t *r, int spy, out_counts_t *c, bool by_value)
{
    count_acc_t acc = { c, false };
    if (xsh_results_counts(r, spy, 0, count_add, &acc) != XSH_OK ||
        acc.failed)
        return -1;
    if (by_value && c->n)
        qsort(c->v, c->n, sizeof *c->v, cmp_count_value);
    return 0;
}

/* Fill the months between the first and last with zero counts, so the
 * histogram shows quiet periods. */
static void
fill_months(out_counts_t *c)
{
    if (c->n < 2)
        return;
    int y0, m0, y1, m1;
    if (sscanf(c->v[0].value, "%4d-%2d", &y0, &m0) != 2 ||
        sscanf(c->v[c->n - 1].value, "%4d-%2d", &y1, &m1) != 2)
        return;
    size_t n = (size_t)((y1 - y0) * 12 + (m1 - m0) + 1);
    if (n <= c->n || n > 12 * 200)
        return;
    out_count_t *v = calloc(n, sizeof *v);
    if (!v)
        return;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int y = y0 + (int)((m0 - 1 + (int)i) / 12);
        int m = (m0 - 1 + (int)i) % 12 + 1;
        char buf[16];
        snprintf(buf, sizeof buf, "%04d-%02d", y, m);
        if (k < c->n && strcmp(c->v[k].value, buf) == 0) {
            v[i] = c->v[k++];
        } else {
            v[i].value = strdup(buf);
            v[i].count = 0;
        }
    }
    free(c->v);
    c->v = v;
    c->n = n;
}

/* The same for years. */
static void
fill_years(out_counts_t *c)
{
    if (c->n < 2)
        return;
    int y0 = atoi(c->v[0].value), y1 = atoi(c->v[c->n - 1].value);
    size_t n = (size_t)(y1 - y0 + 1);
    if (y0 <= 0 || y1 < y0 || n <= c->n || n > 1000)
        return;
    out_count_t *v = calloc(n, sizeof *v);
    if (!v)
        return;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char buf[16];
        snprintf(buf, sizeof buf, "%04d", y0 + (int)i);
        if (k < c->n && strcmp(c->v[k].value, buf) == 0) {
            v[i] = c->v[k++];
        } else {
            v[i].value = strdup(buf);
            v[i].count = 0;
        }
    }
    free(c->v);
    c->v = v;
    c->n = n;
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */

/* Whether PATH reaches a remote shard: "tcp://HOST:PORT", or a stub file
 * with a "remote" line.  Remote shards run only Xapian's own match spies,
 * so the author facet then counts a value slot (see run_search). */
static bool
is_remote(const char *path)
{
    struct stat st;
    char line[512];
    bool remote = false;

    if (strncmp(path, "tcp://", 6) == 0)
        return true;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    while (!remote && fgets(line, sizeof line, f))
        remote = strncmp(line + strspn(line, " \t"), "remote", 6) == 0;
    fclose(f);
    return remote;
}

static xsh_db_t *
open_databases(const opts_t *o, const config_t *cfg, bool *remote)
{
    strv_t paths = { 0 };
    xsh_db_t *db = NULL;
    char *msg = NULL;

    if (o->dbs.n)
        paths = o->dbs;
    else if (cfg->shards.n)
        paths = (strv_t){ (const char **)cfg->shards.v, cfg->shards.n };
    else {
        static const char *one[1];
        one[0] = cfg->database ? cfg->database : "dossier.db";
        paths = (strv_t){ one, 1 };
    }
    xsh_status_t st = xsh_db_open(paths.v, paths.n, 10000, &db, &msg);
    if (st != XSH_OK && o->allow_partial && paths.n > 1) {
        /* Open the shards one by one to name each that fails, then the
         * others together. */
        strv_t good = { 0 };
        for (size_t i = 0; i < paths.n; i++) {
            xsh_db_t *one = NULL;
            char *why = NULL;
            if (xsh_db_open(&paths.v[i], 1, 10000, &one, &why) == XSH_OK)
                strv_push(&good, paths.v[i]);
            else
                diag_warn("%s", why ? why : paths.v[i]);
            xsh_db_close(one);
            free(why);
        }
        if (good.n > 0) {
            free(msg);
            msg = NULL;
            st = xsh_db_open(good.v, good.n, 10000, &db, &msg);
            for (size_t i = 0; i < good.n; i++)
                *remote = *remote || is_remote(good.v[i]);
            if (st == XSH_OK)
                diag_warn("searching %zu of %zu databases", good.n,
                          paths.n);
        }
        free(good.v);
        if (st == XSH_OK)
            return db;
    }
    for (size_t i = 0; i < paths.n; i++)
        *remote = *remote || is_remote(paths.v[i]);
    if (st != XSH_OK) {
        if (st == XSH_NOT_FOUND && paths.n == 1)
            diag_error("%s: no database here (index with 'dossier-index -d "
                       "%s DIR' first)", paths.v[0], paths.v[0]);
        else
            diag_error("%s", msg ? msg : xsh_status_str(st));
        free(msg);
        return NULL;
    }
    return db;
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
    count_acc_t acc = { &t->c, false };
    return count_add(&acc, term + plen, len - plen, freq);
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
             l = strtok_r(NULL, "\n", &save))
            printf("  %s\n", l);
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

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static const char *
jget(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int
run_search(xsh_db_t *db, const opts_t *o, const config_t *cfg, bool remote,
           double t0)
{
    xsh_search_t *s = NULL;
    xsh_results_t *res = NULL;
    printer_t *pr = NULL;
    out_counts_t authors = { 0 }, months = { 0 }, hist = { 0 };
    char *msg = NULL, *corrected = NULL;
    range_ctx_t rctx = { time(NULL) };
    char lo[16], hi[16];
    int spy_authors = -1, spy_months = -1, spy_hist = -1;
    int rc = SEARCH_EXIT_ERROR;
    unsigned doccount = 0;
    field_ctx_t *fctx = NULL;

    if (xsh_search_new(db, &s, &msg) != XSH_OK) {
        diag_error("%s", msg ? msg : "cannot search");
        free(msg);
        return SEARCH_EXIT_ERROR;
    }
    xsh_search_set_stemmer(s, cfg->language);
    if (cfg->stopwords.n)
        xsh_search_set_stopwords(s, (const char *const *)cfg->stopwords.v,
                                 cfg->stopwords.n);
    size_t n_fields = 0;
    for (const schema_field_t *f = schema_query_fields; f->name; f++)
        n_fields++;
    fctx = calloc(n_fields ? n_fields : 1, sizeof *fctx);
    if (!fctx) {
        diag_error("out of memory");
        goto out;
    }
    for (size_t i = 0; i < n_fields; i++) {
        const schema_field_t *f = &schema_query_fields[i];
        if (!f->is_boolean) {
            xsh_search_add_prefix(s, f->name, f->prefix);
        } else if (strcmp(f->prefix, SCHEMA_PREFIX_URL) == 0) {
            /* URLs are stored as written. */
            xsh_search_add_boolean_prefix(s, f->name, f->prefix);
        } else {
            fctx[i] = (field_ctx_t){ cfg, f->prefix,
                strcmp(f->prefix, SCHEMA_PREFIX_AUTHOR) == 0 };
            xsh_search_add_boolean_field(s, f->name, field_terms, &fctx[i]);
        }
    }
    add_synonyms(s, cfg);
    xsh_search_add_range(s, "date", SCHEMA_SLOT_DATE, date_range, &rctx);
    xsh_search_set_default_op(s, o->any ? XSH_OP_OR : XSH_OP_AND);
    xsh_search_set_bm25(s, cfg->bm25_k1, cfg->bm25_k2, cfg->bm25_k3,
                        cfg->bm25_b, cfg->bm25_min_normlen);
    if (o->any)
        xsh_search_set_expansion(s, cfg->expansion_docs, cfg->expansion_terms,
                                 cfg->expansion_weight);

    /* Synonyms come from the config (add_synonyms), not from the
     * database's synonym table, so that local and remote shards rank
     * alike. */
    if (xsh_search_parse(s, o->query, XSH_PARSE_WILDCARD |
                         XSH_PARSE_SPELLING | XSH_PARSE_PURE_NOT)
        != XSH_OK) {
        diag_error("query '%s': %s", o->query, xsh_search_errmsg(s));
        goto out;
    }
    if (add_term_filter(s, cfg, &o->authors, SCHEMA_PREFIX_AUTHOR, true) < 0
        || add_term_filter(s, cfg, &o->sources, SCHEMA_PREFIX_SOURCE,
                           false) < 0
        || add_term_filter(s, cfg, &o->tags, SCHEMA_PREFIX_TAG, false) < 0)
        goto shim_error;
    if (o->since || o->until) {
        if (o->since && option_date("--since", o->since, rctx.now, false,
                                    lo) < 0)
            goto out;
        if (o->until && option_date("--until", o->until, rctx.now, true,
                                    hi) < 0)
            goto out;
        if (o->since && o->until && strcmp(lo, hi) > 0) {
            diag_error("--since: '%s' is after --until '%s'", o->since,
                       o->until);
            goto out;
        }
        if (xsh_search_filter_range(s, SCHEMA_SLOT_DATE,
                                    o->since ? lo : NULL,
                                    o->until ? hi : NULL) != XSH_OK)
            goto shim_error;
    }

    bool browse = o->query[strspn(o->query, " \t")] == '\0';
    const char *sort = o->sort ? o->sort : browse ? "newest" : "relevance";
    if (strcmp(sort, "newest") == 0)
        xsh_search_set_sort(s, XSH_SORT_VALUE_DESC, SCHEMA_SLOT_DATE);
    else if (strcmp(sort, "oldest") == 0)
        xsh_search_set_sort(s, XSH_SORT_VALUE_ASC, SCHEMA_SLOT_DATE);
    if (cfg->collapse && !o->no_collapse)
        xsh_search_set_collapse(s, SCHEMA_SLOT_FINGERPRINT);
    if (o->facets) {
        /* Every author of a document, through the shim's own spy; remote
         * shards (xapian-tcpsrv) run only Xapian's spies, so there the
         * first author's value slot is counted instead. */
        if (remote)
            xsh_search_count_values(s, SCHEMA_SLOT_AUTHOR, &spy_authors);
        else
            xsh_search_count_terms(s, SCHEMA_PREFIX_AUTHOR_NAME,
                                   &spy_authors);
        xsh_search_count_values(s, SCHEMA_SLOT_MONTH, &spy_months);
    }
    if (o->histogram)
        xsh_search_count_values(s, strcmp(o->histogram, "year") == 0 ?
                                SCHEMA_SLOT_YEAR : SCHEMA_SLOT_MONTH,
                                &spy_hist);

    bool exact = o->facets || o->histogram;
    if (exact)
        xsh_db_doccount(db, &doccount);
    unsigned limit = o->limit_set ? o->limit : cfg->results;
    if (xsh_search_run(s, o->offset, limit, exact ? doccount : 0, &res)
        != XSH_OK)
        goto shim_error;

    unsigned est, tlo, thi;
    xsh_results_total(res, &est, &tlo, &thi);
    if (est < 3 && !browse &&
        xsh_search_corrected(s, &corrected) == XSH_OK &&
        *corrected == '\0') {
        free(corrected);
        corrected = NULL;
    }

    bool color = o->format == OUT_TEXT && isatty(STDOUT_FILENO) &&
                 !getenv("NO_COLOR");
    unsigned width = 80;
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0
        && ws.ws_col > 20)
        width = ws.ws_col;
    else if (getenv("COLUMNS") && atoi(getenv("COLUMNS")) > 20)
        width = (unsigned)atoi(getenv("COLUMNS"));
    pr = printer_new(o->format, stdout, color, width);
    if (!pr) {
        diag_error("out of memory");
        goto out;
    }

    unsigned n = xsh_results_size(res);
    for (unsigned i = 0; i < n; i++) {
        xsh_hit_t h;
        if (xsh_results_get(res, i, &h) != XSH_OK)
            goto shim_error_r;
        json_error_t jerr;
        json_t *data = json_loadb(h.data, h.data_len, 0, &jerr);
        json_t *ja = json_object_get(data, "authors");
        size_t na = json_is_array(ja) ? json_array_size(ja) : 0;
        const char **av = calloc(na ? na : 1, sizeof *av);
        for (size_t k = 0; av && k < na; k++)
            av[k] = json_string_value(json_array_get(ja, k));
        char *snip = NULL;
        const char *body = jget(data, "body");
        if (body && !browse)
            xsh_results_snippet(res, body, strlen(body), 200, OUT_HI_START,
                                OUT_HI_END, "...", &snip);
        else if (body) {
            /* Browsing: the opening of the text. */
            size_t cut = strlen(body) > 200 ? 200 : strlen(body);
            while (cut > 0 && ((unsigned char)body[cut] & 0xC0) == 0x80)
                cut--;
            snip = strndup(body, cut);
        }
        out_hit_t oh = {
            .rank = h.rank + 1, .docid = h.docid, .score = h.weight,
            .path = jget(data, "path"), .id = jget(data, "id"),
            .title = jget(data, "title"),
            .authors = av, .n_authors = av ? na : 0,
            .date = jget(data, "date"), .source = jget(data, "source"),
            .url = jget(data, "url"), .snippet = snip,
            .duplicates = h.collapsed
        };
        pr->hit(pr, &oh);
        free(snip);
        free(av);
        json_decref(data);
    }

    if (spy_authors >= 0 && (collect_counts(res, spy_authors, &authors,
                                            false) < 0 ||
                             collect_counts(res, spy_months, &months,
                                            true) < 0))
        goto shim_error_r;
    if (spy_hist >= 0) {
        if (collect_counts(res, spy_hist, &hist, true) < 0)
            goto shim_error_r;
        if (strcmp(o->histogram, "month") == 0)
            fill_months(&hist);
        else
            fill_years(&hist);
    }
    out_summary_t sum = {
        .query = o->query, .total = est, .total_exact = tlo == thi,
        .offset = o->offset, .shown = n, .elapsed_ms = now_ms() - t0,
        .suggestion = corrected,
        .authors = spy_authors >= 0 ? &authors : NULL,
        .months = spy_months >= 0 ? &months : NULL,
        .histogram = spy_hist >= 0 ? &hist : NULL,
        .histogram_unit = o->histogram
    };
    pr->end(pr, &sum);
    rc = est > 0 ? SEARCH_EXIT_HITS : SEARCH_EXIT_NONE;
    goto out;

shim_error_r:
    diag_error("%s", xsh_results_errmsg(res));
    goto out;
shim_error:
    diag_error("%s", xsh_search_errmsg(s));
out:
    out_counts_release(&authors);
    out_counts_release(&months);
    out_counts_release(&hist);
    if (pr)
        pr->free(pr);
    free(corrected);
    xsh_results_free(res);
    xsh_search_free(s);
    free(fctx);
    return rc;
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
        { "any", no_argument, NULL, 'A' },
        { "limit", required_argument, NULL, 'n' },
        { "offset", required_argument, NULL, 'o' },
        { "sort", required_argument, NULL, 'O' },
        { "format", required_argument, NULL, 'f' },
        { "facets", no_argument, NULL, 'F' },
        { "histogram", required_argument, NULL, 'H' },
        { "no-collapse", no_argument, NULL, 'N' },
        { "allow-partial", no_argument, NULL, 'P' },
        { "stats", no_argument, NULL, 'T' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 }
    };
    opts_t o;
    config_t cfg;
    char err[1024];
    int c, rc = SEARCH_EXIT_ERROR;
    double t0 = now_ms();

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
            else {
                diag_error("--format: invalid format '%s' (expected text, "
                           "json or paths)", optarg);
                goto out;
            }
            break;
        case 'F':
            o.facets = true;
            break;
        case 'H':
            if (strcmp(optarg, "month") && strcmp(optarg, "year")) {
                diag_error("--histogram: invalid unit '%s' (expected month "
                           "or year)", optarg);
                goto out;
            }
            o.histogram = optarg;
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

    if (config_load_default(&cfg, o.config, err, sizeof err) < 0) {
        diag_error("%s", err);
        config_release(&cfg);
        goto out;
    }
    if (!o.any_set)
        o.any = cfg.any;
    o.query = join_args(argc - optind, argv + optind);
    bool remote = false;
    xsh_db_t *db = o.query ? open_databases(&o, &cfg, &remote) : NULL;
    if (db)
        rc = o.stats ? show_stats(db, &o, &cfg) : run_search(db, &o, &cfg,
                                                             remote, t0);
    xsh_db_close(db);
    config_release(&cfg);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        diag_error("write error on standard output");
        rc = SEARCH_EXIT_ERROR;
    }
out:
    free(o.query);
    free(o.dbs.v);
    free(o.authors.v);
    free(o.sources.v);
    free(o.tags.v);
    return rc;
}
