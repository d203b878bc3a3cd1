/* pages_int.h - what pages.c shares with docpage.c (internal)
 *
 * The request as a search spec, the page frame and the response setter,
 * split from pages.c (issue 11) so that the document page lives in its
 * own file.  Only server/pages.c and server/docpage.c include this.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SERVER_PAGES_INT_H
#define SERVER_PAGES_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "searcher/period.h"
#include "server/html.h"
#include "server/pages.h"
#include "util/strv.h"

#define TYPE_HTML "text/html; charset=utf-8"
#define TYPE_JSON "application/json"

typedef struct req {
    const char *q;
    strv_t authors, sources, tags, langs;
    const char *since, *until, *sort, *histogram;
    bool any, any_set, facets, estimate, no_collapse, no_translit;
    unsigned offset, limit;
    bool limit_set;
    period_unit_t hist_unit;
    const params_t *params;
} req_t;

/* Set R to STATUS with BODY (malloc'd, R takes it) of LEN bytes. */
void pages_respond(response_t *r, unsigned status, const char *type,
                   char *body, size_t len);

/* Parse V, the value of KEY, into OUT; -1 with the reason in ERR. */
int pages_parse_uint(const char *key, const char *v, unsigned *out,
                     char *err, size_t errlen);

/* The page's head, header and search form (Q may be NULL), and its
 * end. */
void pages_page_open(html_t *h, const char *title, const req_t *q);
void pages_page_close(html_t *h);

#endif /* SERVER_PAGES_INT_H */
