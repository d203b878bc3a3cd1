/* http.c - libmicrohttpd's daemon, the routes, the caps, the headers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "server/http.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

struct http {
    struct MHD_Daemon *d;
    const serve_t *sv;
    unsigned max_conns;
    bool loopback;
    atomic_uint open;           /* connections now open */
};

/* No scripts at all, styles only from the style sheet, forms only to
 * this server, never framed. */
#define CSP "default-src 'none'; style-src 'self'; img-src 'self'; " \
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

typedef struct args {
    const char **keys, **vals;
    size_t n, cap;
    bool failed;
} args_t;

static enum MHD_Result
collect(void *cls, enum MHD_ValueKind kind, const char *key,
        const char *value)
{
    args_t *a = cls;
    (void)kind;
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        const char **k = realloc(a->keys, cap * sizeof *k);
        if (k)
            a->keys = k;
        const char **v = k ? realloc(a->vals, cap * sizeof *v) : NULL;
        if (!v) {
            a->failed = true;
            return MHD_NO;
        }
        a->vals = v;
        a->cap = cap;
    }
    a->keys[a->n] = key;
    a->vals[a->n] = value;
    a->n++;
    return MHD_YES;
}

/* Host names a loopback server answers to: a page from another site
 * cannot reach it through a DNS name rebound to 127.0.0.1. */
static bool
host_ok(const char *host)
{
    static const char *const names[] = { "127.0.0.1", "localhost", "[::1]",
                                         NULL };
    if (!host)
        return true;            /* HTTP/1.0 without Host */
    for (int i = 0; names[i]; i++) {
        size_t l = strlen(names[i]);
        if (strncasecmp(host, names[i], l) == 0 &&
            (host[l] == '\0' || host[l] == ':'))
            return true;
    }
    return false;
}

static enum MHD_Result
send_response(struct MHD_Connection *c, response_t *r, const char *allow)
{
    if (!r->body) {             /* out of memory building it */
        r->body = (char *)"";
        r->len = 0;
        r->is_static = true;
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->len, r->body,
        r->is_static ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        response_release(r);
        return MHD_NO;
    }
    r->body = NULL;             /* the response owns it now */
    MHD_add_response_header(resp, "Content-Type", r->type);
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cache-Control", r->is_static ?
                            "public, max-age=3600" : "no-store");
    if (allow)
        MHD_add_response_header(resp, "Allow", allow);
    if (r->status == 429)
        MHD_add_response_header(resp, "Retry-After", "1");
    enum MHD_Result ok = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url,
       const char *method, const char *version, const char *upload,
       size_t *upload_size, void **con_cls)
{
    http_t *h = cls;
    response_t r = { 0 };
    const char *allow = NULL;
    bool api = strncmp(url, "/api/", 5) == 0;
    char msg[128];
    (void)version;
    static int seen;
    bool readonly = !strcmp(method, "GET") || !strcmp(method, "HEAD");

    /* The first call only announces a GET; answering in it makes
     * libmicrohttpd close the connection after the answer, which is
     * what any other method (and its body, never read) gets. */
    if (*con_cls == NULL && readonly) {
        *con_cls = &seen;
        return MHD_YES;
    }
    if (readonly && upload && *upload_size) {
        *upload_size = 0;       /* a GET's body: dropped */
        return MHD_YES;
    }

    if (!readonly) {
        allow = "GET, HEAD";
        pages_error(&r, 405, "only GET and HEAD: this server is read-only",
                    api);
    } else if (atomic_load(&h->open) > h->max_conns) {
        snprintf(msg, sizeof msg, "too many connections (at most %u); "
                 "try again", h->max_conns);
        pages_error(&r, 429, msg, api);
    } else if (h->loopback &&
               !host_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                    "Host"))) {
        pages_error(&r, 403, "this server answers to 127.0.0.1 and "
                    "localhost only", api);
    } else if (!strcmp(url, "/static/style.css")) {
        pages_style(&r);
    } else if (!strcmp(url, "/") || !strcmp(url, "/doc") ||
               !strcmp(url, "/api/search")) {
        args_t a = { 0 };
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect, &a);
        params_t p = { a.keys, a.vals, a.n };
        if (a.failed)
            pages_error(&r, 500, "out of memory", api);
        else if (!strcmp(url, "/"))
            pages_search(h->sv, &p, &r);
        else if (!strcmp(url, "/doc"))
            pages_doc(h->sv, &p, &r);
        else
            pages_api_search(h->sv, &p, &r);
        free(a.keys);
        free(a.vals);
    } else {
        pages_error(&r, 404, "no such page", api);
    }
    return send_response(c, &r, allow);
}

static void
notify(void *cls, struct MHD_Connection *c, void **socket_context,
       enum MHD_ConnectionNotificationCode toe)
{
    http_t *h = cls;
    (void)c;
    (void)socket_context;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&h->open, 1);
    else if (toe == MHD_CONNECTION_NOTIFY_CLOSED)
        atomic_fetch_sub(&h->open, 1);
}

http_t *
http_start(const serve_t *sv, const http_opts_t *o, char *err,
           size_t errlen)
{
    http_t *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    h->sv = sv;
    h->max_conns = o->max_conns;
    h->loopback = o->loopback;
    atomic_init(&h->open, 0);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
    if (o->addr->sa_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    /* Connections beyond the cap are still accepted, to be told 429,
     * up to a hard limit where they are refused. */
    h->d = MHD_start_daemon(flags, 0, NULL, NULL, handle, h,
                            MHD_OPTION_SOCK_ADDR, o->addr,
                            MHD_OPTION_THREAD_POOL_SIZE,
                            (unsigned)(o->threads ? o->threads : 1),
                            MHD_OPTION_CONNECTION_LIMIT,
                            (unsigned)(o->max_conns + 64),
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                            MHD_OPTION_NOTIFY_CONNECTION, notify, h,
                            MHD_OPTION_END);
    if (!h->d) {
        snprintf(err, errlen, "cannot listen there (in use, or not an "
                 "address of this machine)");
        free(h);
        return NULL;
    }
    return h;
}

unsigned
http_port(const http_t *h)
{
    const union MHD_DaemonInfo *i =
        MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    return i ? i->port : 0;
}

void
http_stop(http_t *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d);
    free(h);
}
