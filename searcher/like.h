/* like.h - more like this: the example documents of --like (internal)
 *
 * Finds the documents an example names (a file's path, or a document id
 * as --format json shows it) and turns the search into one for the
 * example's most telling terms (xsh_search_like()), leaving out the
 * example and its near-duplicates.  Never prints.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef LIKE_H
#define LIKE_H

#include <stddef.h>

#include "searcher/query.h"

/* How many terms of the example the query is made of: on Cranfield
 * (make eval) MAP rose from 10 terms (0.24) to 50 (0.28), then fell. */
#define LIKE_TERMS 50

/* Make Q (built, not yet run) a search for documents like EXAMPLE: a
 * path to an indexed file (every document of it is an example), or a
 * document id.  The parsed query, when not empty, must match too.
 * Returns 0, or -1 with "--like: ..." in ERR. */
int like_apply(query_t *q, const char *example, char *err, size_t errlen);

#endif /* LIKE_H */
