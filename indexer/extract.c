/* extract.c - articles, growable strings and the format dispatcher
 *
 * Owns the value types every extractor fills (sbuf_t, article_t,
 * extract_result_t), the diagnostics list, the body-building helpers that
 * keep white space and paragraph breaks uniform across formats, and the
 * choice of extractor by file extension.  It never reads files, prints or
 * exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "indexer/extract.h"
#include "util/ascii.h"

/* ---------------------------------------------------------------- text */

/* Length of the white space at S[i] (0 when none): ASCII white space and
 * U+00A0 NO-BREAK SPACE. */
static size_t
space_len(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];

    if (ascii_is_space(c))
        return 1;
    if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] == 0xa0)
        return 2;
    return 0;
}

int
extract_text_add(sbuf_t *b, const char *s, size_t len)
{
    size_t i = 0, start, n;
    int want_space = 0;

    while (i < len) {
        if ((n = space_len(s, len, i)) > 0) {
            want_space = 1;
            i += n;
            continue;
        }
        start = i;
        while (i < len && space_len(s, len, i) == 0)
            i++;
        if (want_space && b->len > 0 && b->p[b->len - 1] != ' '
            && b->p[b->len - 1] != '\n' && sbuf_addc(b, ' ') < 0)
            return -1;
        want_space = 0;
        if (sbuf_add(b, s + start, i - start) < 0)
            return -1;
    }
    /* Trailing space is kept as a separator for what comes next; a
     * paragraph break or the finish trims it. */
    if (want_space && b->len > 0 && b->p[b->len - 1] != ' '
        && b->p[b->len - 1] != '\n')
        return sbuf_addc(b, ' ');
    return 0;
}

static void
trim_trailing_spaces(sbuf_t *b)
{
    while (b->len > 0 && b->p[b->len - 1] == ' ')
        b->p[--b->len] = '\0';
}

int
extract_para_break(sbuf_t *b)
{
    trim_trailing_spaces(b);
    if (b->len == 0)
        return 0;
    if (b->len >= 2 && b->p[b->len - 1] == '\n' && b->p[b->len - 2] == '\n')
        return 0;
    return sbuf_add(b, "\n\n", 2);
}

void
extract_body_finish(sbuf_t *b)
{
    while (b->len > 0 && ascii_is_space((unsigned char)b->p[b->len - 1]))
        b->p[--b->len] = '\0';
}

int
extract_body_add_plain(sbuf_t *b, const char *s, size_t len, int line_paras)
{
    size_t i = 0, end, k;
    int blank;

    while (i < len) {
        end = i;
        while (end < len && s[end] != '\n')
            end++;
        blank = 1;
        for (k = i; k < end; k++)
            if (!ascii_is_space((unsigned char)s[k])) {
                blank = 0;
                break;
            }
        if (blank) {
            if (extract_para_break(b) < 0)
                return -1;
        } else {
            if (extract_text_add(b, " ", 1) < 0
                || extract_text_add(b, s + i, end - i) < 0)
                return -1;
            if (line_paras && extract_para_break(b) < 0)
                return -1;
        }
        i = end + 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- articles */

void
article_init(article_t *a)
{
    memset(a, 0, sizeof(*a));
    sbuf_init(&a->body);
}

static void
free_strv(char **v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void
article_release(article_t *a)
{
    if (a == NULL)
        return;
    free(a->id);
    free(a->title);
    free_strv(a->authors, a->n_authors);
    free(a->date);
    free(a->source);
    free(a->url);
    free_strv(a->tags, a->n_tags);
    free(a->lang);
    sbuf_release(&a->body);
    article_init(a);
}

int
article_set_field(char **dst, const char *s, size_t len)
{
    sbuf_t b = SBUF_INIT;

    if (extract_text_add(&b, s, len) < 0) {
        sbuf_release(&b);
        return -1;
    }
    trim_trailing_spaces(&b);
    free(*dst);
    *dst = NULL;
    if (b.len == 0) {
        sbuf_release(&b);
        return 0;
    }
    *dst = b.p;
    return 0;
}

static int
strv_add(char ***v, size_t *n, const char *s, size_t len)
{
    char *copy = NULL;
    char **nv;

    if (article_set_field(&copy, s, len) < 0)
        return -1;
    if (copy == NULL)
        return 0;
    nv = realloc(*v, (*n + 1) * sizeof(**v));
    if (nv == NULL) {
        free(copy);
        return -1;
    }
    nv[(*n)++] = copy;
    *v = nv;
    return 0;
}

int
article_add_author(article_t *a, const char *s, size_t len)
{
    return strv_add(&a->authors, &a->n_authors, s, len);
}

int
article_add_tag(article_t *a, const char *s, size_t len)
{
    return strv_add(&a->tags, &a->n_tags, s, len);
}

int
article_add_tags_csv(article_t *a, const char *s, size_t len)
{
    size_t i = 0, j;

    while (i <= len) {
        j = i;
        while (j < len && s[j] != ',')
            j++;
        if (article_add_tag(a, s + i, j - i) < 0)
            return -1;
        i = j + 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- results */

void
extract_diag_add(extract_diag_t *d, const char *fmt, ...)
{
    va_list ap;
    char *msg = NULL;
    char **nv;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    nv = realloc(d->msgs, (d->n + 1) * sizeof(*d->msgs));
    if (nv == NULL) {
        free(msg);
        return;
    }
    nv[d->n++] = msg;
    d->msgs = nv;
}

void
extract_diag_release(extract_diag_t *d)
{
    if (d == NULL)
        return;
    free_strv(d->msgs, d->n);
    d->msgs = NULL;
    d->n = 0;
}

void
extract_result_release(extract_result_t *r)
{
    size_t i;

    if (r == NULL)
        return;
    for (i = 0; i < r->n; i++)
        article_release(&r->articles[i]);
    free(r->articles);
    extract_diag_release(&r->warnings);
    free(r->error);
    memset(r, 0, sizeof(*r));
}

article_t *
extract_result_push(extract_result_t *r)
{
    article_t *v;
    size_t cap;

    /* The array has room for the next power of two at or above n, so
     * growth doubles without a capacity field. */
    if (r->n == 0 || (r->n & (r->n - 1)) == 0) {
        cap = r->n == 0 ? 1 : r->n * 2;
        if (cap > SIZE_MAX / sizeof(*v))
            return NULL;
        v = realloc(r->articles, cap * sizeof(*v));
        if (v == NULL)
            return NULL;
        r->articles = v;
    }
    v = &r->articles[r->n++];
    article_init(v);
    return v;
}

/* ---------------------------------------------------------------- dispatch */

static const struct {
    const char *ext;
    extract_format_t fmt;
} formats[] = {
    { "md", EXTRACT_MARKDOWN },
    { "markdown", EXTRACT_MARKDOWN },
    { "txt", EXTRACT_TEXT },
    { "html", EXTRACT_HTML },
    { "htm", EXTRACT_HTML },
    { "json", EXTRACT_JSON },
    { "jsonl", EXTRACT_JSONL },
};

extract_format_t
extract_format_of(const char *path)
{
    const char *base, *dot;
    size_t i;

    if (path == NULL)
        return EXTRACT_NONE;
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    /* ".md" alone is a hidden file, not a Markdown file without a name. */
    if (dot == NULL || dot == base)
        return EXTRACT_NONE;
    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (strcasecmp(dot + 1, formats[i].ext) == 0)
            return formats[i].fmt;
    return EXTRACT_NONE;
}

int
extract_buffer(extract_format_t fmt, const char *buf, size_t len,
               const config_t *cfg, extract_result_t *out)
{
    int rc;

    switch (fmt) {
    case EXTRACT_MARKDOWN:
        rc = extract_markdown(buf, len, cfg, out);
        break;
    case EXTRACT_TEXT:
        rc = extract_text(buf, len, cfg, out);
        break;
    case EXTRACT_HTML:
        rc = extract_html(buf, len, cfg, out);
        break;
    case EXTRACT_JSON:
        rc = extract_json(buf, len, cfg, out);
        break;
    case EXTRACT_JSONL:
        rc = extract_jsonl(buf, len, cfg, out);
        break;
    case EXTRACT_NONE:
    default:
        free(out->error);
        out->error = strdup("not a format dossier indexes");
        return -1;
    }
    if (rc < 0 && out->error == NULL)
        out->error = strdup("out of memory");
    return rc < 0 ? -1 : 0;
}
