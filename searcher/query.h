/* query.h - opening, building and running a dossier search (internal)
 *
 * The one place that turns the config and the search options into a
 * Xapian search, shared by dossier-search and the query benchmark
 * (bench/qbench.c) so that the benchmark measures exactly what the
 * command line does: opening the databases (shards, --allow-partial),
 * the query parser set-up (stemmer, stopwords, field prefixes, the
 * boolean fields author:/source:/tag:/lang: with their normalisers and
 * aliases, the config's synonym groups, the date: range, BM25), the
 * --author/--source/--tag/--since/--until filters, sort, collapse, the
 * facet and histogram counts, the languages (Cyrillic query words
 * stemmed in each Cyrillic language searched, names across scripts
 * through skeleton terms, --lang), running it (exact totals when counts are
 * asked for, the spelling suggestion when it finds little), and turning
 * a hit's stored data into what the printers show, snippet included.
 * No printing, no exiting: errors come back as a message for the caller
 * to report, warnings through a callback.
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
#include "config/translit.h"
#include "searcher/output.h"
#include "shim/xsh.h"

/* ------------------------------------------------------------------ */
/* Opening                                                             */

/* Called with a one-line warning (for diag_warn("%s", MSG)). */
typedef void (*query_warn_fn)(const char *msg);

/* Open the databases to search as one: PATHS[0..N-1] when N > 0, else
 * the config's shards, else its database, else "dossier.db".  With
 * ALLOW_PARTIAL and several paths, the ones that open are searched and
 * each that does not is named through WARN.  OUT remote: whether any
 * opened path reaches a remote shard.  Returns the database (close with
 * xsh_db_close()), or NULL with a one-line message in ERR. */
xsh_db_t *query_open(const char *const *paths, size_t n,
                     const config_t *cfg, bool allow_partial,
                     query_warn_fn warn, bool *remote, char *err,
                     size_t errlen);

/* ------------------------------------------------------------------ */
/* The search                                                          */

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
    bool facets;                    /* count authors and months */
    const char *histogram;          /* NULL, or any unit: the histogram
                                       counts days (the date slot), the
                                       caller groups them (period.h) */
    bool estimate;                  /* totals may be estimates (faster on
                                       large sets); counts stay exact */
    bool remote;                    /* a shard is remote (query_open()) */
    const char *const *langs;       /* --lang, ORed; also the Cyrillic
                                       languages a query word is stemmed
                                       in */
    size_t n_langs;
    bool no_translit;               /* --no-translit */
    translit_t *tl;                 /* borrowed, for many searches in a
                                       row (--batch); NULL: each search
                                       makes its own */
} query_spec_t;

typedef struct field_ctx field_ctx_t;

/* A built search.  The search points into Q (the date: range's NOW, the
 * field callbacks' contexts), so a query_t must stay where it is until
 * query_release(), and the spec's query string must outlive it. */
typedef struct query {
    xsh_db_t *db;
    const config_t *cfg;            /* borrowed from query_build() */
    xsh_search_t *s;
    const char *text;               /* the query: the spec's, or TEXT_OWNED
                                       when date: values were rewritten */
    char *text_owned;
    const char *orig;               /* the spec's query, as the user wrote
                                       it */
    int parse_flags;
    time_t now;
    bool browse;                    /* empty query */
    bool exact;                     /* exact totals (unless --estimate
                                       without counts) */
    int spy_authors, spy_months, spy_hist;  /* -1 when not asked for */
    int spy_langs;
    field_ctx_t *fields;
    /* Languages: Cyrillic query words' stemmers (one per Cyrillic
     * language searched) and the transliterators for names across
     * scripts. */
    xsh_stem_t *stems[2];
    size_t n_stems;
    translit_t *tl;
    bool tl_borrowed;               /* the spec's */
} query_t;

/* Build Q over DB from CFG and SPEC: parser set-up, parse, filters, sort,
 * collapse and counts.  CFG must outlive Q.  Every date: value in the
 * query is checked first ("date:foo: invalid date 'foo' ..."), and a
 * single one (date:2025-08) means its whole period.  Returns 0, or -1
 * with a one-line message in ERR (for diag_error("%s", ERR)); Q is
 * released on failure. */
int query_build(query_t *q, xsh_db_t *db, const config_t *cfg,
                const query_spec_t *spec, char *err, size_t errlen);
void query_release(query_t *q);

/* Below this many matches a search may get a spelling suggestion. */
#define QUERY_SUGGEST_BELOW 3

/* Run Q for hits OFFSET .. OFFSET+LIMIT-1, with exact totals unless the
 * spec asked for estimates (read them with xsh_results_count()).
 * OUT res: free with xsh_results_free() before query_release().  OUT
 * suggestion (may be NULL): the query with its misspelt words corrected
 * (malloc'd), else NULL.  A word is corrected only when the search finds
 * fewer than QUERY_SUGGEST_BELOW documents, the word finds nothing on its
 * own (so never a word of the index, nor one inside a phrase that
 * matched), it is neither a stopword nor in a field (title:, date:, ...),
 * nor excluded, nor a wildcard, and the spelling dictionary knows a word
 * that is not a stopword; and the corrected query, with the same filters,
 * must find more than the query.  Returns XSH_OK, or the shim's status
 * with the message in xsh_search_errmsg(Q->s). */
xsh_status_t query_run(query_t *q, unsigned offset, unsigned limit,
                       xsh_results_t **res, char **suggestion);

/* ------------------------------------------------------------------ */
/* Hits                                                                */

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

/* S case-folded and composed (malloc'd, free with free()), or NULL.
 * Shared with suggest.c. */
char *query_lower_utf8(const char *s);

#endif /* QUERY_H */
