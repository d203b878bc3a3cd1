/* http.h - the HTTP side of dossier-serve, on libmicrohttpd
 *
 * Owns the daemon: threads, the caps (concurrent connections, request
 * methods, the Host header of a loopback server), the routes (exact
 * paths only, so no request path ever names a file), and the headers
 * every answer carries (Content-Security-Policy without scripts or inline
 * styles, nosniff, no referrer, no framing).  The answers themselves
 * come from pages.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SERVER_HTTP_H
#define SERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "server/pages.h"

typedef struct http http_t;

typedef struct http_opts {
    const struct sockaddr *addr;    /* where to listen (port 0: any free
                                       port, see http_port()) */
    unsigned threads;               /* worker threads */
    unsigned max_conns;             /* open connections answered; more
                                       get 429 */
    bool loopback;                  /* answer only requests whose Host is
                                       a loopback name (against DNS
                                       rebinding) */
} http_opts_t;

/* Start serving SV (borrowed; must outlive the server).  NULL with a
 * one-line message in ERR when the address cannot be bound. */
http_t *http_start(const serve_t *sv, const http_opts_t *o, char *err,
                   size_t errlen);
/* The port listened on. */
unsigned http_port(const http_t *h);
/* Stop: answers in flight finish, then the threads end.  Accepts NULL. */
void http_stop(http_t *h);

#endif /* SERVER_HTTP_H */
