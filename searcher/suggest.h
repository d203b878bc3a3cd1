/* suggest.h - the spelling suggestion of a search that finds little
 *
 * Split from query.c (issue 11): the words of a query that find nothing
 * on their own, replaced by the dictionary's spelling.  query_run() is
 * its one caller.  Never prints.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SUGGEST_H
#define SUGGEST_H

#include <stdbool.h>

#include "searcher/query.h"

/* What correcting one query needs: the search that tells whether a word
 * finds anything on its own (no filters), built on first use. */
typedef struct suggest_speller {
    query_t *q;
    query_t probe;
    bool has_probe, failed;
} suggest_speller_t;

/* SP->q's TEXT with its misspelt words corrected (malloc'd, the caller
 * frees with free()), or NULL when none is.  The caller releases
 * SP->probe when SP->has_probe. */
char *suggest_correct_query(suggest_speller_t *sp, const char *text);

#endif
