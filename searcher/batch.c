/* batch.c - dossier-search --batch: one search per line of a file
 *
 * Owns reading the batch file (plain lines, or CSV/TSV with a `query`
 * column found in a header line) and writing one row per query.  Each
 * query is built and run as a single search would be (query_build(),
 * query_run()), so that its count is the single search's total, then
 * run twice more sorted by date, a page of one, for its first and last
 * date.  Never prints
 * diagnostics: a bad line goes to the caller's callback.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "searcher/batch.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <utf8proc.h>

#include "config/date.h"
#include "config/schema.h"
#include "config/translit.h"

const char *const batch_fields[] = {
    "line", "query", "count", "first_date", "last_date", "top", NULL
};

enum { F_LINE, F_QUERY, F_COUNT, F_FIRST, F_LAST, F_TOP };

/* ------------------------------------------------------------------ */
/* Reading                                                             */

typedef struct reader {
    FILE *in;
    char *buf;
    size_t cap;
    unsigned long line;         /* of the last line read */
    bool delimited;             /* CSV/TSV, else one query a line */
    char sep;
    size_t col;                 /* the query column */
    bool first;
} reader_t;

/* The next line without its line end into R->buf; its length, or -1 at
 * the end of the input (or on a read error: ferror()). */
static ssize_t
next_line(reader_t *r)
{
    ssize_t n = getline(&r->buf, &r->cap, r->in);
    if (n < 0)
        return -1;
    r->line++;
    while (n > 0 && (r->buf[n - 1] == '\n' || r->buf[n - 1] == '\r'))
        r->buf[--n] = '\0';
    if (r->first && n >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
        memmove(r->buf, r->buf + 3, (size_t)n - 2);
        n -= 3;
    }
    r->first = false;
    return n;
}

static bool
is_utf8(const char *s, size_t len)
{
    utf8proc_int32_t cp;
    for (size_t i = 0; i < len;) {
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s
                                              + i, (utf8proc_ssize_t)
                                              (len - i), &cp);
        if (k <= 0)
            return false;
        i += (size_t)k;
    }
    return true;
}

/* S without leading and trailing white space, in place. */
static char *
trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Split the record starting in R->buf into FIELDS (an array of
 * malloc'd strings, *N of them), reading more lines while a quoted field
 * is open, unless ONE_LINE.  Returns 0, -1 on an unterminated quote (at
 * the end of the input, or of the line with ONE_LINE), -2 when memory
 * ran out. */
static int
split_record(reader_t *r, bool one_line, char ***fields, size_t *n)
{
    char *cell = NULL;
    size_t clen = 0;
    FILE *m = NULL;
    bool quoted = false;
    const char *p = r->buf;

    *fields = NULL;
    *n = 0;
    for (;;) {
        if (!m && !(m = open_memstream(&cell, &clen)))
            return -2;
        char c = *p;
        if (c == '\0' && quoted) {
            /* A quoted field goes on over the line end. */
            if (one_line || next_line(r) < 0) {
                fclose(m);
                free(cell);
                return -1;
            }
            fputc('\n', m);
            p = r->buf;
            continue;
        }
        if (quoted && c == '"' && p[1] == '"') {
            fputc('"', m);
            p += 2;
        } else if (c == '"' && (quoted || ftell(m) == 0)) {
            quoted = !quoted;
            p++;
        } else if (!quoted && (c == r->sep || c == '\0')) {
            fclose(m);
            m = NULL;
            char **v = realloc(*fields, (*n + 1) * sizeof *v);
            if (!v) {
                free(cell);
                return -2;
            }
            *fields = v;
            v[(*n)++] = cell;
            cell = NULL;
            if (c == '\0')
                return 0;
            p++;
        } else {
            fputc(c, m);
            p++;
        }
    }
}

static void
free_fields(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Decide from the first line whether the input is CSV or TSV with a
 * header naming a `query` column.  Returns 1 when the line was the
 * header (and is used up), 0 when it is a query, -2 on ENOMEM. */
static int
detect_header(reader_t *r)
{
    if (strcasecmp(trim(r->buf), "query") == 0)
        return 1;               /* one column: every line a query */
    char sep = strchr(r->buf, '\t') ? '\t' : strchr(r->buf, ',') ? ',' : 0;
    if (!sep)
        return 0;
    char **v;
    size_t n;
    r->sep = sep;
    /* A header is one line: a stray quote makes the line a query. */
    int rc = split_record(r, true, &v, &n);
    if (rc < 0)
        return rc == -2 ? -2 : 0;
    for (size_t i = 0; i < n; i++) {
        if (strcasecmp(trim(v[i]), "query") == 0) {
            r->delimited = true;
            r->col = i;
            free_fields(v, n);
            return 1;
        }
    }
    free_fields(v, n);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Running                                                             */

/* The date keys of the oldest and the newest match of Q's search into
 * LO and HI ("" when none is dated): xsh_search_value_ends(), which reads
 * the date slot along its value stream.  Returns XSH_OK or the shim's
 * status (message in xsh_search_errmsg()). */
static xsh_status_t
date_ends(query_t *q, char lo[16], char hi[16])
{
    char *l = NULL, *h = NULL;
    size_t nl = 0, nh = 0;
    xsh_status_t st = xsh_search_value_ends(q->s, SCHEMA_SLOT_DATE, &l, &nl,
                                            &h, &nh);

    lo[0] = hi[0] = '\0';
    if (st == XSH_OK && nl > 0 && nl < 16 && nh > 0 && nh < 16) {
        memcpy(lo, l, nl);
        lo[nl] = '\0';
        memcpy(hi, h, nh);
        hi[nh] = '\0';
    }
    free(l);
    free(h);
    return st;
}

/* A date key as YYYY-MM-DD into BUF, or NULL. */
static const char *
iso(const char *key, char *buf)
{
    date_t d;
    if (!*key || date_from_key(key, &d) < 0)
        return NULL;
    return date_format_iso(d, buf);
}

typedef struct row {
    unsigned long line;
    const char *query;
    unsigned count;
    const char *first, *last;
    char **top;                 /* "PATH" or "PATH:LINE" */
    size_t n_top;
} row_t;

static void
write_csv_header(FILE *out, const out_fields_t *f, unsigned n_top)
{
    for (size_t i = 0; i < f->n; i++) {
        if (i)
            fputc(',', out);
        if (f->v[i] != F_TOP) {
            fputs(batch_fields[f->v[i]], out);
            continue;
        }
        for (unsigned k = 0; k < n_top; k++)
            fprintf(out, "%stop_%u", k ? "," : "", k + 1);
    }
    fputc('\n', out);
}

static void
write_csv(FILE *out, const out_fields_t *f, const row_t *r, unsigned n_top)
{
    for (size_t i = 0; i < f->n; i++) {
        if (i)
            fputc(',', out);
        switch (f->v[i]) {
        case F_LINE:
            fprintf(out, "%lu", r->line);
            break;
        case F_QUERY:
            out_csv_cell(out, r->query, true);
            break;
        case F_COUNT:
            fprintf(out, "%u", r->count);
            break;
        case F_FIRST:
            out_csv_cell(out, r->first, false);
            break;
        case F_LAST:
            out_csv_cell(out, r->last, false);
            break;
        default:
            for (unsigned k = 0; k < n_top; k++) {
                if (k)
                    fputc(',', out);
                out_csv_cell(out, k < r->n_top ? r->top[k] : NULL, true);
            }
        }
    }
    fputc('\n', out);
}

static json_t *
jstring(const char *s)
{
    json_t *v = s ? json_string(s) : NULL;
    return v ? v : json_null();
}

static void
write_jsonl(FILE *out, const out_fields_t *f, const row_t *r)
{
    json_t *o = json_object();
    for (size_t i = 0; i < f->n; i++) {
        const char *k = batch_fields[f->v[i]];
        json_t *v;
        switch (f->v[i]) {
        case F_LINE:
            v = json_integer((json_int_t)r->line);
            break;
        case F_QUERY:
            v = jstring(r->query);
            break;
        case F_COUNT:
            v = json_integer(r->count);
            break;
        case F_FIRST:
            v = jstring(r->first);
            break;
        case F_LAST:
            v = jstring(r->last);
            break;
        default:
            v = json_array();
            for (size_t t = 0; t < r->n_top; t++) {
                char *c = out_sanitize(r->top[t], false);
                json_array_append_new(v, jstring(c));
                free(c);
            }
        }
        json_object_set_new(o, k, v);
    }
    json_dumpf(o, out, JSON_COMPACT);
    fputc('\n', out);
    json_decref(o);
}

/* Run QUERY (line LINE) and write its row.  Returns 0, 1 when the line
 * failed (reported through O->bad), -2 on ENOMEM. */
static int
run_one(xsh_db_t *db, const config_t *cfg, const batch_opts_t *o,
        const out_fields_t *f, FILE *out, unsigned long line,
        const char *query, batch_stats_t *st)
{
    query_spec_t spec = *o->spec;
    query_t q;
    xsh_results_t *res = NULL;
    char err[1024];
    char lo[16] = "", hi[16] = "";
    row_t r = { .line = line, .query = query };
    int rc = 1;

    spec.query = query;
    spec.facets = false;
    spec.histogram = NULL;
    if (query_build(&q, db, cfg, &spec, err, sizeof err) < 0) {
        o->bad(o->ctx, line, err);
        return 1;
    }
    if (query_run(&q, 0, o->n_top, &res, NULL) != XSH_OK) {
        snprintf(err, sizeof err, "query '%s': %s", query,
                 xsh_search_errmsg(q.s));
        o->bad(o->ctx, line, err);
        goto out;
    }
    xsh_results_count(res, &r.count, NULL, NULL);
    unsigned n = xsh_results_size(res);
    r.top = calloc(n ? n : 1, sizeof *r.top);
    if (!r.top) {
        rc = -2;
        goto out;
    }
    for (unsigned i = 0; i < n; i++) {
        query_hit_t h;
        if (query_hit(res, i, true, &h) != XSH_OK)
            goto shim_error;
        const char *path = h.out.path ? h.out.path : "";
        int k = h.out.line ? asprintf(&r.top[i], "%s:%lu", path,
                                      h.out.line)
                           : asprintf(&r.top[i], "%s", path);
        if (k < 0) {
            r.top[i] = NULL;
            query_hit_release(&h);
            rc = -2;
            goto out;
        }
        r.n_top++;
        query_hit_release(&h);
    }
    xsh_results_free(res);
    res = NULL;
    /* The oldest match and the newest, when asked for. */
    if (r.count && o->dates && date_ends(&q, lo, hi) != XSH_OK) {
        snprintf(err, sizeof err, "query '%s': %s", query,
                 xsh_search_errmsg(q.s));
        o->bad(o->ctx, line, err);
        goto out;
    }
    char a[16], b[16];
    r.first = iso(lo, a);
    r.last = iso(hi, b);
    if (o->jsonl)
        write_jsonl(out, f, &r);
    else
        write_csv(out, f, &r, o->n_top);
    st->n_run++;
    if (r.count)
        st->n_found++;
    rc = 0;
    goto out;

shim_error:
    snprintf(err, sizeof err, "query '%s': %s", query,
             xsh_results_errmsg(res));
    o->bad(o->ctx, line, err);
out:
    for (size_t i = 0; i < r.n_top; i++)
        free(r.top[i]);
    free(r.top);
    xsh_results_free(res);
    query_release(&q);
    return rc;
}

int
batch_run(xsh_db_t *db, const config_t *cfg, FILE *in, FILE *out,
          const batch_opts_t *o, batch_stats_t *st, char *err,
          size_t errlen)
{
    reader_t r = { .in = in, .first = true };
    out_fields_t f = { .n = 0 };
    int rc = 0;

    memset(st, 0, sizeof *st);
    /* One transliterator for every query: making one costs more than a
     * search. */
    query_spec_t spec = *o->spec;
    batch_opts_t bo = *o;
    bool own_tl = false;
    if (cfg->translit && !spec.no_translit && !spec.tl) {
        char why[256];
        if (!(spec.tl = translit_new(why, sizeof why))) {
            snprintf(err, errlen, "transliteration: %s", why);
            return -1;
        }
        own_tl = true;
        bo.spec = &spec;
        o = &bo;
    }
    if (o->fields && o->fields->n) {
        f = *o->fields;
    } else {
        for (size_t i = F_QUERY; i <= F_TOP; i++)
            f.v[f.n++] = (unsigned char)i;
    }
    for (size_t i = 0; i < f.n; i++)
        if (f.v[i] == F_FIRST || f.v[i] == F_LAST)
            bo.dates = true;
    o = &bo;
    /* -n 0: no paths, so no top column. */
    for (size_t i = 0; o->n_top == 0 && i < f.n; i++)
        if (f.v[i] == F_TOP)
            memmove(f.v + i, f.v + i + 1, --f.n - i);
    if (!o->jsonl)
        write_csv_header(out, &f, o->n_top);

    bool started = false;
    for (;;) {
        ssize_t len = next_line(&r);
        if (len < 0)
            break;
        unsigned long line = r.line;
        if (memchr(r.buf, '\0', (size_t)len)) {
            st->n_bad++;
            o->bad(o->ctx, line, "NUL byte in the line");
            continue;
        }
        if (!started && *trim(r.buf) == '\0')
            continue;
        if (!started) {
            started = true;
            int h = detect_header(&r);
            if (h == -2)
                goto nomem;
            if (h == 1)
                continue;
        }
        char **v = NULL;
        size_t n = 0;
        char *query = r.buf, empty[1] = "";
        if (r.delimited) {
            int s = split_record(&r, false, &v, &n);
            if (s == -2)
                goto nomem;
            if (s == -1) {
                st->n_bad++;
                o->bad(o->ctx, line, "unterminated quote at the end of "
                       "the input");
                break;
            }
            query = r.col < n ? v[r.col] : empty;
        }
        query = trim(query);
        int one = 0;
        if (!is_utf8(query, strlen(query))) {
            o->bad(o->ctx, line, "invalid UTF-8 in the query");
            one = 1;
        } else if (*query) {
            one = run_one(db, cfg, o, &f, out, line, query, st);
        }
        free_fields(v, n);
        if (one == -2)
            goto nomem;
        if (one == 1)
            st->n_bad++;
    }
    if (ferror(in)) {
        snprintf(err, errlen, "read error after line %lu", r.line);
        rc = -1;
    }
    goto out;
nomem:
    snprintf(err, errlen, "out of memory");
    rc = -1;
out:
    if (own_tl)
        translit_free(spec.tl);
    free(r.buf);
    return rc;
}
