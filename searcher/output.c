/* output.c - text, JSON and paths printers for dossier-search
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "searcher/output.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <utf8proc.h>

void
out_counts_release(out_counts_t *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].value);
    free(c->v);
    c->v = NULL;
    c->n = 0;
}

char *
out_thousands(unsigned long n, char *buf, size_t len)
{
    char digits[32];
    int nd = snprintf(digits, sizeof digits, "%lu", n);
    size_t o = 0;

    for (int i = 0; i < nd && o + 1 < len; i++) {
        if (i > 0 && (nd - i) % 3 == 0 && o + 2 < len)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

/* Format characters that reorder text on screen (bidi overrides). */
static bool
is_bidi_control(utf8proc_int32_t cp)
{
    return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

char *
out_sanitize(const char *s, bool keep_markers)
{
    size_t len = s ? strlen(s) : 0;
    char *out = malloc(len + 1);
    size_t o = 0, i = 0;

    if (!out)
        return NULL;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(
            (const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i),
            &cp);
        if (k <= 0) {           /* invalid byte: drop it */
            i++;
            continue;
        }
        if (keep_markers && (cp == 1 || cp == 2)) {
            out[o++] = (char)cp;
        } else if (cp == '\t' || cp == '\n' || cp == '\r') {
            if (o && out[o - 1] != ' ')
                out[o++] = ' ';
        } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
                   is_bidi_control(cp) || cp == 0xFEFF) {
            /* dropped: ESC, BEL, BS, C1 controls, bidi, BOM */
        } else {
            memcpy(out + o, s + i, (size_t)k);
            o += (size_t)k;
        }
        i += (size_t)k;
    }
    out[o] = '\0';
    return out;
}

/* ------------------------------------------------------------------ */
/* Text                                                                */

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_MATCH "\033[1;33m"
#define C_RANK "\033[36m"

static void
put_clean(printer_t *p, const char *s, bool markers)
{
    char *c = out_sanitize(s ? s : "", markers);
    if (!c)
        return;
    for (const char *q = c; *q; q++) {
        if (*q == 1) {
            if (p->color)
                fputs(C_MATCH, p->out);
        } else if (*q == 2) {
            if (p->color)
                fputs(C_RESET, p->out);
        } else {
            fputc(*q, p->out);
        }
    }
    free(c);
}

static void
text_hit(printer_t *p, const out_hit_t *h)
{
    FILE *f = p->out;
    fprintf(f, "%s%3u.%s %s  ", p->color ? C_RANK : "", h->rank,
            p->color ? C_RESET : "", h->date ? h->date : "----------");
    for (size_t i = 0; i < h->n_authors; i++) {
        if (i)
            fputs(", ", f);
        put_clean(p, h->authors[i], false);
    }
    if (h->n_authors == 0)
        fputs("(no author)", f);
    fputs("\n     ", f);
    if (p->color)
        fputs(C_BOLD, f);
    put_clean(p, h->title && *h->title ? h->title : "(untitled)", false);
    if (p->color)
        fputs(C_RESET, f);
    if (h->duplicates)
        fprintf(f, "  [+%u duplicate%s]", h->duplicates,
                h->duplicates == 1 ? "" : "s");
    fputs("\n     ", f);
    if (p->color)
        fputs(C_DIM, f);
    put_clean(p, h->path, false);
    if (h->line)
        fprintf(f, ":%lu", h->line);
    if (h->page)
        fprintf(f, ", p. %u", h->page);
    if (p->color)
        fputs(C_RESET, f);
    fputc('\n', f);
    if (h->snippet && *h->snippet) {
        fputs("     ", f);
        put_clean(p, h->snippet, true);
        fputc('\n', f);
    }
    fputc('\n', f);
}

/* A count list, at most MAX entries; with REST, the entries beyond MAX
 * are summed on one more line and UNDATED matches on another, so that
 * the lines add up to the total. */
static void
text_counts(printer_t *p, const char *heading, const out_counts_t *c,
            size_t max, bool rest, unsigned undated)
{
    unsigned more = 0;
    fprintf(p->out, "%s:\n", heading);
    for (size_t i = 0; i < c->n; i++) {
        if (i >= max) {
            more += c->v[i].count;
            continue;
        }
        fprintf(p->out, "  %6u  ", c->v[i].count);
        put_clean(p, c->v[i].value, false);
        fputc('\n', p->out);
    }
    if (rest && c->n > max)
        fprintf(p->out, "  %6u  (%zu more)\n", more, c->n - max);
    if (rest && undated)
        fprintf(p->out, "  %6u  (no date)\n", undated);
    if (c->n == 0 && !(rest && undated))
        fputs("  (none)\n", p->out);
}

static void
text_histogram(printer_t *p, const out_counts_t *c, const char *unit,
               unsigned undated)
{
    unsigned max = 0;
    int w = 7;
    for (size_t i = 0; i < c->n; i++) {
        if (c->v[i].count > max)
            max = c->v[i].count;
        if ((int)strlen(c->v[i].value) > w)
            w = (int)strlen(c->v[i].value);
    }
    fprintf(p->out, "Matches per %s:\n", unit);
    if (c->n == 0)
        fputs("  (no dated matches)\n", p->out);
    /* label (up to 10) + 2 spaces + bar + space + count (up to 7) */
    unsigned room = p->width > 30 ? p->width - 22 : 8;
    for (size_t i = 0; i < c->n; i++) {
        unsigned len = max ? (unsigned)((double)c->v[i].count * room /
                                        max + 0.5) : 0;
        if (c->v[i].count && len == 0)
            len = 1;
        fprintf(p->out, "  %-*s ", w, c->v[i].value);
        for (unsigned k = 0; k < len; k++)
            fputs(p->color ? "\u2588" : "#", p->out);
        fprintf(p->out, " %u\n", c->v[i].count);
    }
    if (undated)
        fprintf(p->out, "  (no date) %u\n", undated);
}

/* --histogram-by: a legend numbering the series, then one row per
 * period with its count and each series' share of it. */
static void
text_histogram_by(printer_t *p, const out_counts_t *h, const char *unit,
                  const out_series_set_t *b, unsigned undated)
{
    char head[32];
    int w = 7, wall = 3, *cw = calloc(b->n ? b->n : 1, sizeof *cw);

    if (!cw)
        return;
    if (b->n_groups > b->top)
        fprintf(p->out, "Matches per %s by %s (top %u of %zu):\n", unit,
                b->key, b->top, b->n_groups);
    else if (b->n_groups)
        fprintf(p->out, "Matches per %s by %s (all %zu):\n", unit, b->key,
                b->n_groups);
    else
        fprintf(p->out, "Matches per %s by %s (none known):\n", unit,
                b->key);
    if (b->n == 0)
        fputs("  (no dated matches)\n", p->out);
    for (size_t k = 0; k < b->n; k++) {
        if (b->v[k].is_other)
            snprintf(head, sizeof head, "other");
        else
            snprintf(head, sizeof head, "[%zu]", k + 1);
        cw[k] = (int)strlen(head);
        for (size_t i = 0; i < h->n; i++) {
            int d = snprintf(NULL, 0, "%u", b->v[k].counts[i]);
            if (d > cw[k])
                cw[k] = d;
        }
        if (!b->v[k].is_other) {
            fprintf(p->out, "  %5s %6lu  ", head, b->v[k].total);
            put_clean(p, b->v[k].name, false);
            if (b->v[k].matches > b->v[k].total)
                fprintf(p->out, " (and %lu shared with a series above)",
                        b->v[k].matches - b->v[k].total);
            fputc('\n', p->out);
        } else {
            fprintf(p->out, "  %5s %6lu  ", head, b->v[k].total);
            if (b->n_groups > b->top)
                fprintf(p->out, "(%zu more %ss, or no %s)\n",
                        b->n_groups - b->top, b->key, b->key);
            else
                fprintf(p->out, "(no %s)\n", b->key);
        }
    }
    for (size_t i = 0; i < h->n; i++) {
        int l = (int)strlen(h->v[i].value);
        int d = snprintf(NULL, 0, "%u", h->v[i].count);
        if (l > w)
            w = l;
        if (d > wall)
            wall = d;
    }
    if (b->n && h->n) {
        fprintf(p->out, "  %-*s %*s", w, unit, wall, "all");
        for (size_t k = 0; k < b->n; k++) {
            if (b->v[k].is_other)
                fprintf(p->out, "  %*s", cw[k], "other");
            else {
                snprintf(head, sizeof head, "[%zu]", k + 1);
                fprintf(p->out, "  %*s", cw[k], head);
            }
        }
        fputc('\n', p->out);
        for (size_t i = 0; i < h->n; i++) {
            fprintf(p->out, "  %-*s %*u", w, h->v[i].value, wall,
                    h->v[i].count);
            for (size_t k = 0; k < b->n; k++)
                fprintf(p->out, "  %*u", cw[k], b->v[k].counts[i]);
            fputc('\n', p->out);
        }
    }
    if (undated)
        fprintf(p->out, "  (no date) %u\n", undated);
    free(cw);
}

/* "63", "about 1,200 (estimate)", "63 (71 with duplicates)"; with NOUN,
 * "1 result", "63 results (71 with duplicates)". */
static void
text_total(FILE *f, const out_summary_t *s, bool noun)
{
    char a[32], b[32];
    out_thousands(s->total, a, sizeof a);
    fprintf(f, "%s%s%s", s->total_exact ? "" : "about ", a,
            !noun ? "" : s->total == 1 ? " result" : " results");
    if (!s->total_exact)
        fputs(" (estimate)", f);
    else if (s->total_all > s->total)
        fprintf(f, " (%s with duplicates)",
                out_thousands(s->total_all, b, sizeof b));
}

static void
text_end(printer_t *p, const out_summary_t *s)
{
    if (s->suggestion)
        fprintf(p->out, "Did you mean: %s\n", s->suggestion);
    if (s->authors)
        text_counts(p, "Authors", s->authors, 20, false, 0);
    if (s->months)
        text_counts(p, "Months", s->months, 24, true, s->months_undated);
    if (s->langs)
        text_counts(p, "Languages", s->langs, 20, false, 0);
    /* Split, the table has the histogram's counts in its "all"
     * column. */
    if (s->histogram && !s->histogram_by)
        text_histogram(p, s->histogram, s->histogram_unit,
                       s->histogram_undated);
    if (s->histogram && s->histogram_by)
        text_histogram_by(p, s->histogram, s->histogram_unit,
                          s->histogram_by, s->histogram_undated);
    if (s->shown) {
        fprintf(p->out, "Results %u-%u of ", s->offset + 1,
                s->offset + s->shown);
        text_total(p->out, s, false);
    } else if (s->total) {
        text_total(p->out, s, true);
        fprintf(p->out, ", none shown from %u", s->offset + 1);
    } else {
        fputs("No results", p->out);
    }
    fprintf(p->out, " in %.1f ms\n", s->elapsed_ms);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

/* Strings from documents go out as valid UTF-8 without control
 * characters: `jq -r .title` prints to a terminal too. */
static json_t *
jstr(const char *s)
{
    if (!s)
        return json_null();
    char *c = out_sanitize(s, false);
    json_t *v = c ? json_string(c) : NULL;
    free(c);
    return v ? v : json_null();
}

/* A hit as --format json writes it. */
static json_t *
hit_object(const out_hit_t *h)
{
    json_t *o = json_object();
    json_t *authors = json_array();
    char *snip = out_sanitize(h->snippet ? h->snippet : "", false);

    for (size_t i = 0; i < h->n_authors; i++)
        json_array_append_new(authors, jstr(h->authors[i]));
    json_object_set_new(o, "rank", json_integer(h->rank));
    json_object_set_new(o, "docid", json_integer(h->docid));
    json_object_set_new(o, "score", json_real(h->score));
    json_object_set_new(o, "path", jstr(h->path));
    json_object_set_new(o, "id", jstr(h->id));
    if (h->line)
        json_object_set_new(o, "line", json_integer((json_int_t)h->line));
    json_object_set_new(o, "title", jstr(h->title));
    json_object_set_new(o, "authors", authors);
    json_object_set_new(o, "date", jstr(h->date));
    json_object_set_new(o, "source", jstr(h->source));
    json_object_set_new(o, "url", jstr(h->url));
    json_object_set_new(o, "snippet", jstr(snip ? snip : ""));
    json_object_set_new(o, "duplicates", json_integer(h->duplicates));
    json_object_set_new(o, "lang", jstr(h->lang));
    if (h->page)
        json_object_set_new(o, "page", json_integer(h->page));
    if (h->forwarded_from)
        json_object_set_new(o, "forwarded_from", jstr(h->forwarded_from));
    if (h->reply_to)
        json_object_set_new(o, "reply_to", jstr(h->reply_to));
    free(snip);
    return o;
}

static void
json_hit(printer_t *p, const out_hit_t *h)
{
    json_array_append_new(p->priv, hit_object(h));
}

static json_t *
json_counts(const out_counts_t *c)
{
    json_t *a = json_array();
    for (size_t i = 0; i < c->n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "value", jstr(c->v[i].value));
        json_object_set_new(o, "count", json_integer(c->v[i].count));
        json_array_append_new(a, o);
    }
    return a;
}

static void
json_end(printer_t *p, const out_summary_t *s)
{
    json_t *root = json_object();
    json_object_set_new(root, "query", jstr(s->query));
    json_object_set_new(root, "total", json_integer(s->total));
    json_object_set_new(root, "total_exact", json_boolean(s->total_exact));
    json_object_set_new(root, "total_with_duplicates",
                        json_integer(s->total_all));
    json_object_set_new(root, "offset", json_integer(s->offset));
    json_object_set_new(root, "hits", json_incref(p->priv));
    if (s->authors || s->months) {
        json_t *f = json_object();
        if (s->authors)
            json_object_set_new(f, "authors", json_counts(s->authors));
        if (s->months) {
            json_object_set_new(f, "months", json_counts(s->months));
            json_object_set_new(f, "undated",
                                json_integer(s->months_undated));
        }
        if (s->langs)
            json_object_set_new(f, "langs", json_counts(s->langs));
        json_object_set_new(root, "facets", f);
    }
    if (s->histogram) {
        json_t *h = json_object();
        json_object_set_new(h, "unit", jstr(s->histogram_unit));
        json_object_set_new(h, "counts", json_counts(s->histogram));
        json_object_set_new(h, "undated",
                            json_integer(s->histogram_undated));
        json_object_set_new(root, "histogram", h);
    }
    if (s->histogram && s->histogram_by) {
        const out_series_set_t *b = s->histogram_by;
        json_t *h = json_object(), *periods = json_array();
        json_t *series = json_array();
        for (size_t i = 0; i < s->histogram->n; i++)
            json_array_append_new(periods,
                                  jstr(s->histogram->v[i].value));
        for (size_t k = 0; k < b->n; k++) {
            json_t *o = json_object(), *c = json_array();
            for (size_t i = 0; i < s->histogram->n; i++)
                json_array_append_new(c, json_integer(b->v[k].counts[i]));
            json_object_set_new(o, "name", jstr(b->v[k].name));
            json_object_set_new(o, "other", json_boolean(b->v[k].is_other));
            json_object_set_new(o, "total",
                                json_integer((json_int_t)b->v[k].total));
            json_object_set_new(o, "matches",
                                json_integer((json_int_t)b->v[k].matches));
            json_object_set_new(o, "counts", c);
            json_array_append_new(series, o);
        }
        json_object_set_new(h, "key", jstr(b->key));
        json_object_set_new(h, "unit", jstr(s->histogram_unit));
        json_object_set_new(h, "top", json_integer(b->top));
        json_object_set_new(h, "groups", json_integer((json_int_t)
                                                      b->n_groups));
        json_object_set_new(h, "periods", periods);
        json_object_set_new(h, "series", series);
        json_object_set_new(root, "histogram_by", h);
    }
    if (s->suggestion)
        json_object_set_new(root, "suggestion", jstr(s->suggestion));
    json_object_set_new(root, "elapsed_ms", json_real(s->elapsed_ms));
    json_dumpf(root, p->out, JSON_INDENT(2));
    fputc('\n', p->out);
    json_decref(root);
}

/* ------------------------------------------------------------------ */
/* Paths                                                               */

static void
paths_hit(printer_t *p, const out_hit_t *h)
{
    put_clean(p, h->path, false);
    if (h->line)    /* as grep -n: PATH:LINE */
        fprintf(p->out, ":%lu", h->line);
    fputc('\n', p->out);
}

static void
paths_end(printer_t *p, const out_summary_t *s)
{
    (void)p;
    (void)s;
}

/* ------------------------------------------------------------------ */
/* CSV and JSON Lines                                                  */

const char *const out_hit_fields[] = {
    "rank", "docid", "score", "path", "id", "line", "title", "authors",
    "date", "source", "url", "snippet", "duplicates", "lang", "page",
    "forwarded_from", "reply_to", NULL
};

int
out_fields_parse(const char *spec, const char *const *names,
                 out_fields_t *out, char *err, size_t errlen)
{
    out->n = 0;
    for (const char *p = spec;; p++) {
        size_t len = strcspn(p, ",");
        size_t i = 0;
        if (len == 0) {
            snprintf(err, errlen, "empty field name in '%s'", spec);
            return -1;
        }
        while (names[i] && !(strlen(names[i]) == len &&
                             strncmp(names[i], p, len) == 0))
            i++;
        if (!names[i]) {
            size_t o = (size_t)snprintf(err, errlen, "unknown field '%.*s' "
                                        "(expected", (int)len, p);
            for (size_t k = 0; names[k] && o < errlen; k++)
                o += (size_t)snprintf(err + o, errlen - o, "%s %s",
                                      k ? "," : "", names[k]);
            if (o < errlen)
                snprintf(err + o, errlen - o, ")");
            return -1;
        }
        if (out->n == OUT_FIELDS_MAX) {
            snprintf(err, errlen, "more than %d fields", OUT_FIELDS_MAX);
            return -1;
        }
        out->v[out->n++] = (unsigned char)i;
        p += len;
        if (!*p)
            return 0;
    }
}

void
out_csv_cell(FILE *f, const char *s, bool text)
{
    char *c = NULL;
    if (!s)
        return;
    if (text) {
        if (!(c = out_sanitize(s, false)))
            return;
        s = c;
    }
    bool formula = text && *s && strchr("=+-@\t\r", *s);
    if (formula || s[strcspn(s, ",\"\r\n")]) {
        fputc('"', f);
        if (formula)
            fputc('\'', f);
        for (const char *q = s; *q; q++) {
            if (*q == '"')
                fputc('"', f);
            fputc(*q, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    free(c);
}

typedef struct rows {
    out_fields_t fields;
    bool csv;
    bool started;               /* the CSV header is out */
} rows_t;

static void rows_hit(printer_t *p, const out_hit_t *h);

void
printer_set_fields(printer_t *p, const out_fields_t *fields)
{
    if (p && p->hit == rows_hit && fields && fields->n)
        ((rows_t *)p->priv)->fields = *fields;
}

/* A cell of a JSON value: numbers as written, strings as text, lists
 * joined with "; ", null and absent values empty. */
static void
csv_value(FILE *f, json_t *v)
{
    char num[64];
    if (!v)
        return;
    switch (json_typeof(v)) {
    case JSON_STRING:
        out_csv_cell(f, json_string_value(v), true);
        break;
    case JSON_INTEGER:
        fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        snprintf(num, sizeof num, "%.6g", json_real_value(v));
        fputs(num, f);
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        fputs(json_is_true(v) ? "true" : "false", f);
        break;
    case JSON_ARRAY: {
        char *joined = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&joined, &len);
        if (!m)
            return;
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_t *e = json_array_get(v, i);
            if (i)
                fputs("; ", m);
            if (json_is_string(e))
                fputs(json_string_value(e), m);
        }
        fclose(m);
        out_csv_cell(f, joined, true);
        free(joined);
        break;
    }
    default:
        break;
    }
}

static void
csv_header(printer_t *p, rows_t *r)
{
    if (r->started)
        return;
    for (size_t i = 0; i < r->fields.n; i++) {
        if (i)
            fputc(',', p->out);
        fputs(out_hit_fields[r->fields.v[i]], p->out);
    }
    fputc('\n', p->out);
    r->started = true;
}

static void
rows_hit(printer_t *p, const out_hit_t *h)
{
    rows_t *r = p->priv;
    json_t *o = hit_object(h);

    if (r->csv) {
        csv_header(p, r);
        for (size_t i = 0; i < r->fields.n; i++) {
            if (i)
                fputc(',', p->out);
            csv_value(p->out, json_object_get(o, out_hit_fields[
                                                  r->fields.v[i]]));
        }
        fputc('\n', p->out);
    } else {
        json_t *sel = o;
        if (r->fields.n) {
            sel = json_object();
            for (size_t i = 0; i < r->fields.n; i++) {
                const char *k = out_hit_fields[r->fields.v[i]];
                json_t *v = json_object_get(o, k);
                json_object_set(sel, k, v ? v : json_null());
            }
        }
        json_dumpf(sel, p->out, JSON_COMPACT);
        fputc('\n', p->out);
        if (sel != o)
            json_decref(sel);
    }
    json_decref(o);
}

static void
rows_end(printer_t *p, const out_summary_t *s)
{
    rows_t *r = p->priv;
    (void)s;
    if (r->csv)
        csv_header(p, r);
}

static void
rows_free(printer_t *p)
{
    free(p->priv);
    free(p);
}

static void
plain_free(printer_t *p)
{
    free(p);
}

static void
json_free(printer_t *p)
{
    json_decref(p->priv);
    free(p);
}

printer_t *
printer_new(out_format_t format, FILE *out, bool color, unsigned width)
{
    printer_t *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->out = out;
    p->color = color;
    p->width = width ? width : 80;
    switch (format) {
    case OUT_JSON:
        p->hit = json_hit;
        p->end = json_end;
        p->free = json_free;
        p->color = false;
        p->priv = json_array();
        if (!p->priv) {
            free(p);
            return NULL;
        }
        break;
    case OUT_PATHS:
        p->hit = paths_hit;
        p->end = paths_end;
        p->free = plain_free;
        p->color = false;
        break;
    case OUT_CSV:
    case OUT_JSONL: {
        rows_t *r = calloc(1, sizeof *r);
        if (!r) {
            free(p);
            return NULL;
        }
        r->csv = format == OUT_CSV;
        if (r->csv)             /* every field; JSON Lines: as json */
            for (size_t i = 0; out_hit_fields[i]; i++)
                r->fields.v[r->fields.n++] = (unsigned char)i;
        p->priv = r;
        p->hit = rows_hit;
        p->end = rows_end;
        p->free = rows_free;
        p->color = false;
        break;
    }
    default:
        p->hit = text_hit;
        p->end = text_end;
        p->free = plain_free;
        break;
    }
    return p;
}
