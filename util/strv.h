/* strv.h - a NULL-terminated vector of strings it owns
 *
 * The one string list every module uses (config lists, the searcher's
 * repeated options, the indexer's roots, an article's authors and tags).
 * V[N] is NULL whenever V is not; every V[i] is malloc'd and owned by the
 * vector.  Never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UTIL_STRV_H
#define UTIL_STRV_H

#include <stdbool.h>
#include <stddef.h>

typedef struct strv {
    char **v;               /* NULL when empty */
    size_t n;
} strv_t;

#define STRV_INIT { NULL, 0 }

/* Append a copy of S; 0, or -1 (ENOMEM) leaving SV as it was. */
int strv_push(strv_t *sv, const char *s);
/* Append S itself, which SV then owns (and frees, on failure too). */
int strv_push_owned(strv_t *sv, char *s);
/* strv_push() unless an equal string is already there. */
int strv_push_unique(strv_t *sv, const char *s);
/* Whether SV holds a string equal to S. */
bool strv_has(const strv_t *sv, const char *s);
/* Free every string and the array; SV is left empty.  Accepts NULL. */
void strv_release(strv_t *sv);

#endif /* UTIL_STRV_H */
