/* extract_result.h - what an extractor hands back: articles and warnings
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EXTRACT_RESULT_H
#define EXTRACT_RESULT_H

#include <stddef.h>

#include "indexer/article.h"

/* Diagnostics an extractor leaves for its caller, in order. */
typedef struct extract_diag {
    char **msgs;            /* "LINE:COL: WHAT" or "WHAT", no file name */
    size_t n;
} extract_diag_t;

void extract_diag_add(extract_diag_t *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void extract_diag_release(extract_diag_t *d);

/* The articles of one file. */
typedef struct extract_result {
    article_t *articles;
    size_t n;
    extract_diag_t warnings;    /* file is indexed, but say so */
    char *error;                /* set when nothing could be indexed */
    size_t n_passed;            /* posts passed over as the layout wants
                                   (service messages, boosts, empty) */
} extract_result_t;

void extract_result_release(extract_result_t *r);
/* Append a new, initialised article and return it (NULL on ENOMEM); the
 * pointer is valid until the next push. */
article_t *extract_result_push(extract_result_t *r);

#endif /* EXTRACT_RESULT_H */
