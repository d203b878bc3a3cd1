/* extract_result.c - what an extractor hands back: articles and warnings
 *
 * The list of articles one file gave and the diagnostics left for the
 * caller.  Used by every extractor and by the dispatcher's callers; knows
 * no format.  Never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "indexer/extract_result.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- results */

void
extract_diag_add(extract_diag_t *d, const char *fmt, ...)
{
    va_list ap;
    char *msg = NULL;
    char **nv;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    nv = realloc(d->msgs, (d->n + 1) * sizeof(*d->msgs));
    if (nv == NULL) {
        free(msg);
        return;
    }
    nv[d->n++] = msg;
    d->msgs = nv;
}

void
extract_diag_release(extract_diag_t *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->n; i++)
        free(d->msgs[i]);
    free(d->msgs);
    d->msgs = NULL;
    d->n = 0;
}

void
extract_result_release(extract_result_t *r)
{
    size_t i;

    if (r == NULL)
        return;
    for (i = 0; i < r->n; i++)
        article_release(&r->articles[i]);
    free(r->articles);
    extract_diag_release(&r->warnings);
    free(r->error);
    memset(r, 0, sizeof(*r));
}

article_t *
extract_result_push(extract_result_t *r)
{
    article_t *v;
    size_t cap;

    /* The array has room for the next power of two at or above n, so
     * growth doubles without a capacity field. */
    if (r->n == 0 || (r->n & (r->n - 1)) == 0) {
        cap = r->n == 0 ? 1 : r->n * 2;
        if (cap > SIZE_MAX / sizeof(*v))
            return NULL;
        v = realloc(r->articles, cap * sizeof(*v));
        if (v == NULL)
            return NULL;
        r->articles = v;
    }
    v = &r->articles[r->n++];
    article_init(v);
    return v;
}

