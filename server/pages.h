/* pages.h - what dossier-serve answers: pages, the JSON API, the style
 *
 * Each handler turns a request's parameters into a response: the search
 * page (/), a document (/doc), the JSON API (/api/search, the same JSON
 * as `dossier-search --format json`) and the compiled-in style sheet.
 * No handler reads a file named by a request.  HTML is built through
 * html.h only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SERVER_PAGES_H
#define SERVER_PAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "server/dbpool.h"

/* The server's settings, shared read-only by every request. */
typedef struct serve {
    dbpool_t *pool;
    const config_t *cfg;
    unsigned max_query;         /* bytes of a query or filter value */
    unsigned max_window;        /* offset + n */
} serve_t;

/* A request's query-string parameters, in order; repeated keys kept. */
typedef struct params {
    const char **keys;
    const char **vals;
    size_t n;
} params_t;

/* The first value of KEY, or NULL. */
const char *params_get(const params_t *p, const char *key);

/* A response.  BODY is malloc'd unless IS_STATIC. */
typedef struct response {
    unsigned status;
    const char *type;           /* Content-Type */
    char *body;
    size_t len;
    bool is_static;             /* a compiled-in asset: cacheable */
} response_t;

void response_release(response_t *r);

/* The handlers; each fills R (never fails to: an error is a response).
 * HEAD is answered as GET. */
void pages_search(const serve_t *sv, const params_t *p, response_t *r);
void pages_doc(const serve_t *sv, const params_t *p, response_t *r);
void pages_api_search(const serve_t *sv, const params_t *p, response_t *r);
void pages_style(response_t *r);
/* An error page: STATUS with the one-line WHAT, as HTML or, with JSON,
 * as {"error": WHAT}. */
void pages_error(response_t *r, unsigned status, const char *what,
                 bool json);

#endif /* SERVER_PAGES_H */
