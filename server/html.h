/* html.h - building a page with every string escaped for its context
 *
 * The only way dossier-serve writes markup.  Trusted markup (the page's
 * own tags) goes through html_raw(); every string that comes from a
 * document, a query or the database goes through html_text() (HTML text
 * and double-quoted attribute values), html_marked() (snippets, whose
 * matches become <mark>), or html_url_part() (a value inside a link's
 * query string).  A url from a document becomes a link only when
 * html_is_web_url() says so: http and https, nothing else.  Text is
 * sanitised first (output.h's out_sanitize(): no control characters, no
 * bidi overrides), so a document cannot reorder what is shown.
 *
 * Failures are sticky: after an allocation fails nothing more is added
 * and html_detach() returns NULL.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SERVER_HTML_H
#define SERVER_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "util/sbuf.h"

typedef struct html {
    sbuf_t b;
    bool failed;
} html_t;

void html_init(html_t *h);
void html_release(html_t *h);
/* The page (malloc'd, *LEN its length), or NULL when memory ran out;
 * H is left empty. */
char *html_detach(html_t *h, size_t *len);

/* Trusted markup, as is (LEN bytes for html_raw_len()). */
void html_raw(html_t *h, const char *s);
void html_raw_len(html_t *h, const char *s, size_t len);
void html_rawf(html_t *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* S as HTML text or a double-quoted attribute value: sanitised, then
 * & < > " ' escaped.  NULL adds nothing. */
void html_text(html_t *h, const char *s);
/* Like html_text(), with output.h's highlight markers as <mark>. */
void html_marked(html_t *h, const char *s);
/* S percent-encoded for a url's query (every byte but A-Z a-z 0-9 - . _
 * ~), then escaped for the attribute it sits in. */
void html_url_part(html_t *h, const char *s);

/* Whether S is an absolute http or https url that may become a link (no
 * spaces or control characters in it). */
bool html_is_web_url(const char *s);

#endif /* SERVER_HTML_H */
