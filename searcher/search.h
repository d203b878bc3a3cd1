/* search.h - a search spec to results, handed to a printer (internal)
 *
 * The part of a search that dossier-search and dossier-serve share: build
 * the query (searcher/query.c), run it, collect the facets and the
 * histogram, and hand each hit and the summary to a printer (output.h).
 * No printing of its own and no exiting: a failure comes back as a
 * one-line message.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SEARCH_H
#define SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "searcher/output.h"
#include "searcher/period.h"
#include "searcher/query.h"
#include "shim/xsh.h"

/* What search_run() returns. */
enum search_outcome {
    SEARCH_FOUND = 0,           /* a match (shown or not) */
    SEARCH_NOTHING = 1,         /* no match */
    SEARCH_BAD_QUERY = -1,      /* the spec cannot be searched: the user's
                                   to fix (query syntax, a date) */
    SEARCH_FAILED = -2          /* the database failed */
};

/* What a program adds around the search (dossier-search's --histogram-by
 * and --chart); every member may be NULL or false.  A hook returns 0, or
 * -1 with a one-line message in ERR, which stops the search
 * (SEARCH_FAILED). */
typedef struct search_hooks {
    void *ctx;
    /* After the query is built, before it runs. */
    int (*built)(void *ctx, query_t *q, char *err, size_t errlen);
    /* After the histogram HIST is counted in UNIT, before the summary
     * goes out; may change HIST and set SUM's extras. */
    int (*counted)(void *ctx, xsh_results_t *res, out_counts_t *hist,
                   period_unit_t unit, out_summary_t *sum, char *err,
                   size_t errlen);
    /* After the printer's end (or in its place, with QUIET). */
    int (*ended)(void *ctx, const out_summary_t *sum, char *err,
                 size_t errlen);
    bool quiet;                 /* the printer gets no hit and no summary */
    bool no_suggestion;         /* no "Did you mean" */
} search_hooks_t;

/* Run SPEC over DB for hits OFFSET .. OFFSET+LIMIT-1, grouping the
 * histogram by HIST_UNIT, and hand the hits and the summary to PR; the
 * summary's time counts from T0 (search_now_ms()).  HOOKS may be NULL.
 * Returns SEARCH_FOUND, SEARCH_NOTHING, or a negative search_outcome with
 * a one-line message in ERR. */
int search_run(xsh_db_t *db, const config_t *cfg, const query_spec_t *spec,
               unsigned offset, unsigned limit, period_unit_t hist_unit,
               printer_t *pr, const search_hooks_t *hooks, double t0,
               char *err, size_t errlen);

/* A monotonic clock in milliseconds. */
double search_now_ms(void);

/* Appends counts to an out_counts_t: an xsh_count_fn / xsh_each_term_fn
 * for xsh_results_counts() and kin.  CTX is a search_count_acc_t; FAILED
 * is set when memory runs out. */
typedef struct search_count_acc {
    out_counts_t *c;
    bool failed;
} search_count_acc_t;

bool search_count_add(void *ctx, const char *value, size_t len,
                      unsigned count);

#endif /* SEARCH_H */
