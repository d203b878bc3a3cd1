/* series.h - a histogram split into the series of its top groups (internal)
 *
 * Turns the (date, groups) pairs of a search (each match once, keyed by
 * its "YYYYMMDD" date and its groups: authors, a source or a language; see
 * xsh_search_count_value_terms()) into one count per period of the
 * histogram for each of the TOP groups with the most dated matches, and
 * one more series, "other", for the rest.  A match counts in exactly one
 * series, so the series of a period add up to the period's count:
 *
 *   - a match with several groups (an article with two authors) counts
 *     once, in the series of the one of its groups that ranks highest
 *     (most dated matches; ties by name), or in "other" when none is in
 *     the top;
 *   - a match without a group, or whose groups are not in the top,
 *     counts in "other";
 *   - a match without a date counts nowhere, as in the histogram.
 *
 * A group's place in the top is decided by every dated match that has it,
 * so its series may count fewer matches than the group has (those shared
 * with a higher group).  Pure computation: no Xapian, no printing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SERIES_H
#define SERIES_H

#include <stdbool.h>
#include <stddef.h>

#include "searcher/output.h"
#include "searcher/period.h"

/* Series by default, and at most; "other" comes on top. */
#define SERIES_TOP_DEFAULT 5
#define SERIES_TOP_MAX 10

/* The pairs as the search counted them.  Keys are "YYYYMMDD", then each
 * group after a NUL byte; they hold NULs, hence LEN. */
typedef struct series_pair {
    char *key;
    size_t len;
    unsigned count;
} series_pair_t;

typedef struct series_pairs {
    series_pair_t *v;
    size_t n;
    bool failed;                /* out of memory in series_pairs_add() */
} series_pairs_t;

/* Copy one pair into CTX (a series_pairs_t, zeroed first); the shape of
 * xsh_count_fn, for xsh_results_counts().  Returns false, with FAILED
 * set, when out of memory. */
bool series_pairs_add(void *ctx, const char *key, size_t len,
                      unsigned count);
void series_pairs_release(series_pairs_t *p);

/* The group names of --histogram-by and their term prefixes. */
typedef enum series_key {
    SERIES_AUTHOR = 0,
    SERIES_SOURCE,
    SERIES_LANG
} series_key_t;

/* "author", "source" or "lang", optionally followed by ":N" (N from 1 to
 * SERIES_TOP_MAX, else SERIES_TOP_DEFAULT), into OUT key and top: 0, or -1
 * for anything else. */
int series_key_parse(const char *s, series_key_t *key, unsigned *top);
/* "author", "source" or "lang"; static text. */
const char *series_key_name(series_key_t key);
/* The term prefix (config/schema.h) whose terms are KEY's groups. */
const char *series_key_prefix(series_key_t key);

/* Counts of one series, one per period of the histogram it was built
 * for.  NAME is NULL for "other". */
typedef struct series {
    char *name;
    unsigned *counts;
    unsigned long total;
    unsigned long matches;      /* the group's dated matches, the ones
                                   counted in a series above included
                                   (its rank); TOTAL for "other" */
} series_t;

typedef struct series_set {
    series_t *v;                /* the top groups, most matches first,
                                   then "other" when it counts any match */
    size_t n;
    size_t n_periods;
    size_t n_groups;            /* distinct groups among dated matches */
} series_set_t;

/* Build OUT from PAIRS for the periods of HIST (period_histogram()'s
 * output for UNIT, the unit it used, never PERIOD_AUTO), keeping the TOP
 * (>= 1) groups.  Pairs whose date falls in no period of HIST, or is not
 * a date, are not counted.  Returns 0, or -1 when out of memory (OUT then
 * empty).  Release OUT with series_set_release(). */
int series_build(const series_pairs_t *pairs, const out_counts_t *hist,
                 period_unit_t unit, unsigned top, series_set_t *out);
void series_set_release(series_set_t *s);

#endif /* SERIES_H */
