/* main.c - dossier-serve: a local, read-only web view of the index
 *
 * Parses the options, opens the databases (as dossier-search does: -d
 * paths, stub files, the config's shards or database), starts the HTTP
 * server (server/http.c) and waits for SIGINT or SIGTERM to stop it.
 * Binds to loopback unless told otherwise with --public.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "server/dbpool.h"
#include "server/http.h"
#include "server/pages.h"
#include "shim/xsh.h"
#include "util/diag.h"
#include "util/strv.h"

/* Exit codes, as dossier-serve(1) lists them; they never change. */
enum serve_exit {
    SERVE_EXIT_OK = 0,          /* stopped by SIGINT or SIGTERM, or --help */
    SERVE_EXIT_ERROR = 2        /* usage, database or address */
};

#define DEFAULT_LISTEN "127.0.0.1:8080"

static void
usage(FILE *out)
{
    fputs("usage: dossier-serve [-d DB ...] [-c CONFIG] [--listen ADDR:PORT "
          "[--public]]\n"
          "                     [--threads N] [--max-connections N] "
          "[--max-query BYTES]\n"
          "                     [--max-window N] [--allow-partial]\n"
          "\n"
          "Serve a read-only web view of the index: a search page, the\n"
          "documents, and /api/search (the JSON of dossier-search "
          "--format json).\n"
          "\n"
          "  -d, --database DB      database, stub file or tcp://HOST:PORT; "
          "repeat\n"
          "                         to search several as one\n"
          "  -c, --config FILE      configuration file\n"
          "  -l, --listen ADDR:PORT where to listen (default "
          DEFAULT_LISTEN ";\n"
          "                         port 0 picks a free one)\n"
          "      --public           allow an address other than loopback "
          "(there\n"
          "                         is no authentication)\n"
          "      --threads N        worker threads (default 4)\n"
          "      --max-connections N  open connections served at once "
          "(default 64;\n"
          "                         more are answered 429)\n"
          "      --max-query BYTES  longest query or filter (default 1000)\n"
          "      --max-window N     largest offset + n (default 1000)\n"
          "      --allow-partial    go on without unreachable shards\n"
          "  -h, --help             show this help\n"
          "  -V, --version          show the version\n"
          "\n"
          "Runs until SIGINT or SIGTERM.  Exit status: 0 stopped, 2 "
          "error.\n", out);
}

static int
parse_uint(const char *opt, const char *s, unsigned lo, unsigned hi,
           unsigned *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < (long)lo || v > (long)hi) {
        diag_error("%s: invalid number '%s' (expected %u to %u); try "
                   "'dossier-serve --help'", opt, s, lo, hi);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

/* ADDR:PORT, [V6]:PORT or :PORT (loopback) into *RES (freeaddrinfo()).
 * -1 with a message printed. */
static int
parse_listen(const char *s, struct addrinfo **res)
{
    char host[256];
    const char *colon = strrchr(s, ':');
    const char *h = host;
    size_t hl = colon ? (size_t)(colon - s) : 0;

    if (!colon || !colon[1] || hl >= sizeof host) {
        diag_error("--listen: invalid address '%s' (expected ADDR:PORT, "
                   "as " DEFAULT_LISTEN ")", s);
        return -1;
    }
    memcpy(host, s, hl);
    host[hl] = '\0';
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        h = host + 1;
    }
    if (!*h)
        h = "127.0.0.1";
    struct addrinfo hints = { .ai_family = AF_UNSPEC,
                              .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_NUMERICSERV | AI_PASSIVE };
    int rc = getaddrinfo(h, colon + 1, &hints, res);
    if (rc != 0) {
        diag_error("--listen: invalid address '%s': %s", s,
                   gai_strerror(rc));
        return -1;
    }
    return 0;
}

static bool
is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr)
                >> 24) == 127;
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)
                                    ->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(a) ||
               (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
    }
    return false;
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "database", required_argument, NULL, 'd' },
        { "config", required_argument, NULL, 'c' },
        { "listen", required_argument, NULL, 'l' },
        { "public", no_argument, NULL, 'P' },
        { "threads", required_argument, NULL, 't' },
        { "max-connections", required_argument, NULL, 'm' },
        { "max-query", required_argument, NULL, 'q' },
        { "max-window", required_argument, NULL, 'w' },
        { "allow-partial", no_argument, NULL, 'A' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 }
    };
    strv_t dbs = STRV_INIT;
    const char *config = NULL, *listen = DEFAULT_LISTEN;
    bool public = false, allow_partial = false;
    unsigned threads = 4, max_conns = 64, max_query = 1000, max_window = 1000;
    struct addrinfo *ai = NULL;
    config_t cfg;
    bool cfg_loaded = false;
    dbpool_t *pool = NULL;
    http_t *http = NULL;
    char err[1024];
    int c, rc = SERVE_EXIT_ERROR;

    diag_set_prog("dossier-serve");
    while ((c = getopt_long(argc, argv, "d:c:l:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            strv_push(&dbs, optarg);
            break;
        case 'c':
            config = optarg;
            break;
        case 'l':
            listen = optarg;
            break;
        case 'P':
            public = true;
            break;
        case 't':
            if (parse_uint("--threads", optarg, 1, 64, &threads) < 0)
                goto out;
            break;
        case 'm':
            if (parse_uint("--max-connections", optarg, 1, 10000,
                           &max_conns) < 0)
                goto out;
            break;
        case 'q':
            if (parse_uint("--max-query", optarg, 1, 65536, &max_query) < 0)
                goto out;
            break;
        case 'w':
            if (parse_uint("--max-window", optarg, 1, 1000000,
                           &max_window) < 0)
                goto out;
            break;
        case 'A':
            allow_partial = true;
            break;
        case 'h':
            usage(stdout);
            rc = SERVE_EXIT_OK;
            goto out;
        case 'V':
            printf("dossier-serve %s (Xapian %s)\n", DOSSIER_VERSION,
                   xsh_version());
            rc = SERVE_EXIT_OK;
            goto out;
        default:
            fputs("try 'dossier-serve --help'\n", stderr);
            goto out;
        }
    }
    if (optind < argc) {
        diag_error("%s: unexpected argument (queries are asked in the "
                   "browser); try 'dossier-serve --help'", argv[optind]);
        goto out;
    }
    if (parse_listen(listen, &ai) < 0)
        goto out;
    bool loopback = is_loopback(ai->ai_addr);
    if (!loopback && !public) {
        diag_error("--listen: '%s' is not a loopback address; add --public "
                   "to serve the index to the network (there is no "
                   "authentication)", listen);
        goto out;
    }

    if (config_load_default(&cfg, config, err, sizeof err) < 0) {
        diag_error("%s", err);
        config_release(&cfg);
        goto out;
    }
    cfg_loaded = true;
    pool = dbpool_new((const char *const *)dbs.v, dbs.n, &cfg,
                      allow_partial, threads, err, sizeof err);
    if (!pool) {
        diag_error("%s", err);
        goto out;
    }

    /* SIGINT and SIGTERM are waited for below, in this thread only: the
     * server's threads inherit the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    serve_t sv = { .pool = pool, .cfg = &cfg, .max_query = max_query,
                   .max_window = max_window };
    http_opts_t ho = { .addr = ai->ai_addr, .threads = threads,
                       .max_conns = max_conns, .loopback = loopback };
    http = http_start(&sv, &ho, &err[0], sizeof err);
    if (!http) {
        diag_error("--listen: %s: %s", listen, err);
        goto out;
    }
    char host[INET6_ADDRSTRLEN] = "";
    getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof host, NULL, 0,
                NI_NUMERICHOST);
    bool v6 = ai->ai_family == AF_INET6;
    if (!loopback)
        diag_warn("--listen: serving %s to the network without "
                  "authentication: whoever reaches it reads every document",
                  listen);
    printf("dossier-serve: serving %s at http://%s%s%s:%u/ (%s); "
           "stop with Ctrl-C\n", dbpool_name(pool), v6 ? "[" : "", host,
           v6 ? "]" : "", http_port(http),
           loopback ? "loopback only" : "PUBLIC, no authentication");
    fflush(stdout);

    int sig = 0;
    sigwait(&stop, &sig);
    http_stop(http);
    http = NULL;
    printf("dossier-serve: stopped (%s)\n",
           sig == SIGINT ? "SIGINT" : "SIGTERM");
    rc = SERVE_EXIT_OK;
out:
    http_stop(http);
    dbpool_free(pool);
    if (cfg_loaded)
        config_release(&cfg);
    if (ai)
        freeaddrinfo(ai);
    strv_release(&dbs);
    return rc;
}
