/* query.h - building a dossier search and reading its hits (internal)
 *
 * What dossier-search and the query benchmark (bench/qbench.c) share: the
 * query parser set-up from the config (stemmer, stopwords, field prefixes,
 * the date: range, BM25), the --author/--source/--tag/--since/--until
 * filters, sort and collapse; and turning a hit's stored data into what
 * the printers show, snippet included.  No printing, no exiting: errors
 * come back as a message for the caller to report.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QUERY_H
#define QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "config/config.h"
#include "searcher/output.h"
#include "shim/xsh.h"

/* What to search for.  Strings and arrays are borrowed. */
typedef struct query_spec {
    const char *query;              /* "" or only spaces: browse */
    const char *const *authors;     /* --author, ORed */
    size_t n_authors;
    const char *const *sources;
    size_t n_sources;
    const char *const *tags;
    size_t n_tags;
    const char *since, *until;      /* NULL when not given */
    bool any;                       /* best match (OR) */
    const char *sort;               /* relevance/newest/oldest, NULL:
                                       newest to browse, else relevance */
    bool no_collapse;
} query_spec_t;

/* A built search.  The search points at NOW (the date: range processor's
 * context), so a query_t must stay where it is until query_release(). */
typedef struct query {
    xsh_search_t *s;
    time_t now;
    bool browse;                    /* empty query */
} query_t;

/* Build Q over DB from CFG and SPEC: parser set-up, parse, filters, sort
 * and collapse.  Returns 0, or -1 with a one-line message in ERR (for
 * diag_error("%s", ERR)); Q is released on failure. */
int query_build(query_t *q, xsh_db_t *db, const config_t *cfg,
                const query_spec_t *spec, char *err, size_t errlen);
void query_release(query_t *q);

/* One hit as the printers take it, with the storage it borrows from. */
typedef struct query_hit {
    out_hit_t out;
    json_t *data;                   /* the stored document data */
    const char **authors;
    char *snippet;
} query_hit_t;

/* Fill H for hit I of RES: its stored data, authors, and a snippet of the
 * stored body (matches between OUT_HI_START and OUT_HI_END; the opening
 * of the text when BROWSE).  Returns XSH_OK or the shim's status (see
 * xsh_results_errmsg()).  Release H with query_hit_release(). */
xsh_status_t query_hit(xsh_results_t *res, unsigned i, bool browse,
                       query_hit_t *h);
void query_hit_release(query_hit_t *h);

#endif /* QUERY_H */
