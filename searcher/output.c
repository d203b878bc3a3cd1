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
    if (s->histogram)
        text_histogram(p, s->histogram, s->histogram_unit,
                       s->histogram_undated);
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

static void
json_hit(printer_t *p, const out_hit_t *h)
{
    json_t *hits = p->priv;
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
    if (h->forwarded_from)
        json_object_set_new(o, "forwarded_from", jstr(h->forwarded_from));
    if (h->reply_to)
        json_object_set_new(o, "reply_to", jstr(h->reply_to));
    json_array_append_new(hits, o);
    free(snip);
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
    default:
        p->hit = text_hit;
        p->end = text_end;
        p->free = plain_free;
        break;
    }
    return p;
}
