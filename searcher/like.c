/* like.c - more like this: the example documents of --like
 *
 * Owns the lookup of an example (a path through the file term every
 * document of a file carries, config/schema.h; a document id directly)
 * and hands the documents to xsh_search_like() with the collapse key's
 * slot, so that near-duplicates of the example are left out as the
 * example is.  Never prints.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "searcher/like.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/schema.h"

/* Xapian's limit on a term; the indexer shortens longer file terms with
 * a hash, which only it computes. */
#define MAX_TERM_LEN 245

static bool
all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* The documents of EXAMPLE: OUT ids (malloc'd), OUT n.  Returns 0 or -1
 * with ERR. */
static int
find_examples(xsh_db_t *db, const char *example, xsh_docid_t **ids,
              size_t *n, char *err, size_t errlen)
{
    struct stat st;

    *ids = NULL;
    *n = 0;
    if (all_digits(example) && stat(example, &st) != 0) {
        unsigned long v = strtoul(example, NULL, 10);
        char *data = NULL;
        if (v == 0 || v > UINT_MAX ||
            xsh_db_get_data(db, (xsh_docid_t)v, &data, NULL) != XSH_OK) {
            snprintf(err, errlen, "--like: no document %s in the index "
                     "(a document id, as --format json shows it, or a "
                     "file's path)", example);
            return -1;
        }
        free(data);
        if (!(*ids = malloc(sizeof **ids))) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        **ids = (xsh_docid_t)v;
        *n = 1;
        return 0;
    }
    char *real = realpath(example, NULL);
    if (!real) {
        snprintf(err, errlen, "--like: '%s': %s", example, strerror(errno));
        return -1;
    }
    size_t len = strlen(SCHEMA_PREFIX_FILE) + strlen(real);
    char *term = len <= MAX_TERM_LEN ? malloc(len + 1) : NULL;
    if (term) {
        snprintf(term, len + 1, "%s%s", SCHEMA_PREFIX_FILE, real);
        if (xsh_db_term_docids(db, term, ids, n) != XSH_OK) {
            snprintf(err, errlen, "--like: %s", xsh_db_errmsg(db));
            free(term);
            free(real);
            return -1;
        }
    }
    free(term);
    if (*n == 0) {
        if (len > MAX_TERM_LEN)
            snprintf(err, errlen, "--like: '%s': path too long to look "
                     "up; give the document's id (--format json shows "
                     "it)", example);
        else
            snprintf(err, errlen, "--like: '%s' is not in the index (index "
                     "it first)", example);
        free(real);
        return -1;
    }
    free(real);
    return 0;
}

int
like_apply(query_t *q, const char *example, char *err, size_t errlen)
{
    xsh_docid_t *ids = NULL;
    size_t n = 0;

    if (find_examples(q->db, example, &ids, &n, err, errlen) < 0)
        return -1;
    xsh_status_t st = xsh_search_like(q->s, ids, n, LIKE_TERMS,
                                      SCHEMA_SLOT_FINGERPRINT, !q->browse);
    free(ids);
    if (st != XSH_OK) {
        snprintf(err, errlen, "--like: '%s': %s", example,
                 xsh_search_errmsg(q->s));
        return -1;
    }
    return 0;
}
