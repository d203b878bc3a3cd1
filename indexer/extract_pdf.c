/* extract_pdf.c - PDF files through libpoppler-glib
 *
 * Opens the document (from a file URI or from bytes), maps poppler's
 * errors to the reasons extract_pdf.h lists, then walks the pages once,
 * appending each page's text to the body and its start to the page map.
 * Only this file includes poppler's and GLib's headers.  Never prints or
 * exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <glib.h>
#include <poppler.h>

#include "indexer/extract_pdf.h"
#include "config/date.h"
#include "util/utf8.h"

#define TITLE_MAX 200           /* bytes of a title from the first line */

static void
set_error(extract_result_t *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_error(extract_result_t *out, const char *fmt, ...)
{
    va_list ap;
    char buf[512];

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    free(out->error);
    out->error = strdup(buf);
}

bool
extract_pdf_sniff(const void *head, size_t len)
{
    return len >= 5 && memcmp(head, "%PDF-", 5) == 0;
}

/* Lowercase the first letter of poppler's message, as messages here go,
 * unless it starts an acronym ("PDF document is damaged"). */
static void
open_error(extract_result_t *out, GError *err)
{
    char msg[256];

    if (err != NULL && err->domain == POPPLER_ERROR
        && err->code == POPPLER_ERROR_ENCRYPTED) {
        set_error(out, "encrypted (needs a password)");
        return;
    }
    snprintf(msg, sizeof(msg), "%s",
             err && err->message ? err->message : "cannot open");
    if (!isupper((unsigned char)msg[1]))
        msg[0] = (char)tolower((unsigned char)msg[0]);
    set_error(out, "broken PDF: %s", msg);
}

/* Whether TITLE is what a tool wrote rather than a title: empty, a file
 * name, or a placeholder. */
static int
junk_title(const char *t)
{
    static const char *const exts[] = {
        ".doc", ".docx", ".pdf", ".odt", ".rtf", ".indd", ".tex", ".dvi",
        ".txt", ".qxd", ".ps",
    };
    size_t n = strlen(t), i, k;

    if (n == 0 || strcasecmp(t, "untitled") == 0
        || strncasecmp(t, "untitled ", 9) == 0
        || strncmp(t, "Microsoft Word - ", 17) == 0)
        return 1;
    for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        k = strlen(exts[i]);
        if (n > k && strcasecmp(t + n - k, exts[i]) == 0)
            return 1;
    }
    return 0;
}

/* Set *DST from a GLib string (freed here). */
static int
take(char **dst, gchar *s)
{
    int rc = 0;

    if (s != NULL)
        rc = article_set_field(dst, s, strlen(s));
    g_free(s);
    return rc;
}

/* The first non-blank line of TEXT as the title. */
static int
first_line_title(article_t *a, const char *text)
{
    const char *p = text, *end;
    size_t n, k;

    while (*p != '\0') {
        end = strchr(p, '\n');
        n = end ? (size_t)(end - p) : strlen(p);
        for (k = 0; k < n; k++)
            if (!isspace((unsigned char)p[k]))
                break;
        if (k < n)
            return article_set_field(&a->title, p,
                                     utf8_cut(p, n, TITLE_MAX));
        if (end == NULL)
            break;
        p = end + 1;
    }
    return 0;
}

/* Lines of the first page looked at for a byline and a date. */
#define HEAD_LINES 12
#define HEAD_LINE_MAX 160

/* Without an Author or a CreationDate in the information dictionary,
 * the opening lines of the first page TEXT: "Author: X", "By X" (and
 * the other author and date keys of article.h's table), or a line that
 * is a date with at least a month ("14 March 2025").  0 or -1 (ENOMEM). */
static int
first_page_meta(article_t *a, const char *text)
{
    const char *p = text, *end;
    char line[HEAD_LINE_MAX + 1];
    int seen = 0;

    while (*p != '\0' && seen < HEAD_LINES
           && (a->authors.n == 0 || a->date == NULL)) {
        size_t n, k = 0;
        end = strchr(p, '\n');
        n = end ? (size_t)(end - p) : strlen(p);
        while (k < n && isspace((unsigned char)p[k]))
            k++;
        while (n > k && isspace((unsigned char)p[n - 1]))
            n--;
        if (n > k && n - k <= HEAD_LINE_MAX) {
            const article_key_t *key = NULL;
            const char *colon;
            date_t d;

            seen++;
            memcpy(line, p + k, n - k);
            line[n - k] = '\0';
            colon = strchr(line, ':');
            if (colon != NULL && colon - line < 16) {
                char name[16];
                memcpy(name, line, (size_t)(colon - line));
                name[colon - line] = '\0';
                key = article_key_find(name);
            }
            if (key && key->field == ARTICLE_AUTHOR && a->authors.n == 0) {
                if (article_set_key(a, key, colon + 1, strlen(colon + 1), 0,
                                    NULL) < 0)
                    return -1;
            } else if (key && key->field == ARTICLE_DATE && !a->date) {
                if (article_set_key(a, key, colon + 1, strlen(colon + 1), 0,
                                    NULL) < 0)
                    return -1;
            } else if (strncmp(line, "By ", 3) == 0 && a->authors.n == 0) {
                if (article_add_author(a, line + 3, strlen(line + 3)) < 0)
                    return -1;
            } else if (!a->date && seen > 1 && n - k <= 40
                       && date_parse(line, &d, NULL, 0) == 0
                       && d.prec >= DATE_PREC_MONTH) {
                if (article_set_field(&a->date, line, strlen(line)) < 0)
                    return -1;
            }
        }
        if (end == NULL)
            break;
        p = end + 1;
    }
    return 0;
}

static int
has_text(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (!isspace((unsigned char)s[i]))
            return 1;
    return 0;
}

static int
extract_doc(PopplerDocument *doc, extract_result_t *out, page_map_t *pages)
{
    article_t *a;
    GDateTime *dt;
    PopplerPage *page;
    char *text, *first = NULL;
    int n_pages, i, any_text = 0;
    size_t k;

    pages->n = 0;
    n_pages = poppler_document_get_n_pages(doc);
    if (n_pages <= 0) {
        set_error(out, "no pages");
        return -1;
    }
    a = extract_result_push(out);
    if (a == NULL)
        goto nomem;

    for (i = 0; i < n_pages; i++) {
        if (article_para_break(&a->body) < 0
            || page_map_add(pages, a->body.len) < 0)
            goto nomem;
        page = poppler_document_get_page(doc, i);
        if (page == NULL)
            continue;           /* a broken page is an empty page */
        text = poppler_page_get_text(page);
        g_object_unref(page);
        if (text == NULL)
            continue;
        if (has_text(text, strlen(text))) {
            any_text = 1;
            /* The title falls back on the first page with text (a
             * cover may be an image). */
            if (first == NULL)
                first = strdup(text);
            if (article_body_add_plain(&a->body, text, strlen(text), 0)
                < 0) {
                g_free(text);
                goto nomem;
            }
        }
        g_free(text);
    }
    article_body_finish(&a->body);
    /* Trailing empty pages start at the end of the trimmed body. */
    for (k = 0; k < pages->n; k++)
        if (pages->starts[k] > a->body.len)
            pages->starts[k] = a->body.len;
    if (!any_text) {
        free(first);
        set_error(out, "no text layer (scanned?)");
        goto fail;
    }

    if (take(&a->title, poppler_document_get_title(doc)) < 0)
        goto nomem_first;
    if (a->title != NULL && junk_title(a->title)) {
        free(a->title);
        a->title = NULL;
    }
    if (a->title == NULL && first != NULL
        && first_line_title(a, first) < 0)
        goto nomem_first;

    text = poppler_document_get_author(doc);
    if (text != NULL && has_text(text, strlen(text))
        && article_add_author(a, text, strlen(text)) < 0) {
        g_free(text);
        goto nomem_first;
    }
    g_free(text);

    text = poppler_document_get_keywords(doc);
    if (text != NULL && article_add_tags_csv(a, text, strlen(text)) < 0) {
        g_free(text);
        goto nomem_first;
    }
    g_free(text);

    dt = poppler_document_get_creation_date_time(doc);
    if (dt != NULL) {
        gchar *d = g_date_time_format(dt, "%Y-%m-%d");

        g_date_time_unref(dt);
        if (take(&a->date, d) < 0)
            goto nomem_first;
    }
    if (first != NULL && first_page_meta(a, first) < 0)
        goto nomem_first;
    free(first);
    return 0;

nomem_first:
    free(first);
nomem:
    set_error(out, "out of memory");
fail:
    for (k = 0; k < out->n; k++)
        article_release(&out->articles[k]);
    out->n = 0;
    pages->n = 0;
    return -1;
}

int
extract_pdf_file(const char *path, extract_result_t *out, page_map_t *pages)
{
    PopplerDocument *doc;
    GError *err = NULL;
    gchar *abs, *uri;
    int rc;

    pages->n = 0;
    abs = g_canonicalize_filename(path, NULL);
    uri = g_filename_to_uri(abs, NULL, &err);
    g_free(abs);
    if (uri == NULL) {
        set_error(out, "cannot name the file as a URI: %s",
                  err ? err->message : "?");
        g_clear_error(&err);
        return -1;
    }
    doc = poppler_document_new_from_file(uri, NULL, &err);
    g_free(uri);
    if (doc == NULL) {
        open_error(out, err);
        g_clear_error(&err);
        return -1;
    }
    rc = extract_doc(doc, out, pages);
    g_object_unref(doc);
    return rc;
}

int
extract_pdf_buffer(const void *buf, size_t len, extract_result_t *out,
                   page_map_t *pages)
{
    PopplerDocument *doc;
    GBytes *bytes;
    GError *err = NULL;
    int rc;

    pages->n = 0;
    /* Static bytes: poppler reads BUF in place, the caller keeps it
     * alive until the document is gone, at the end of this call. */
    bytes = g_bytes_new_static(buf, len);
    doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    g_bytes_unref(bytes);
    if (doc == NULL) {
        open_error(out, err);
        g_clear_error(&err);
        return -1;
    }
    rc = extract_doc(doc, out, pages);
    g_object_unref(doc);
    return rc;
}
