/* pagemap.c - where each page of a paged document starts in its body
 *
 * A sorted array of offsets, a binary search over it, and its text form.
 * Never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexer/pagemap.h"

void
page_map_init(page_map_t *m)
{
    m->starts = NULL;
    m->n = 0;
    m->cap = 0;
}

void
page_map_release(page_map_t *m)
{
    if (m == NULL)
        return;
    free(m->starts);
    page_map_init(m);
}

int
page_map_add(page_map_t *m, size_t offset)
{
    size_t cap, *p;

    if (m->n > 0 && offset < m->starts[m->n - 1]) {
        errno = EINVAL;
        return -1;
    }
    if (m->n == m->cap) {
        cap = m->cap ? m->cap * 2 : 16;
        if (cap > SIZE_MAX / sizeof(*p)) {
            errno = ENOMEM;
            return -1;
        }
        p = realloc(m->starts, cap * sizeof(*p));
        if (p == NULL)
            return -1;
        m->starts = p;
        m->cap = cap;
    }
    m->starts[m->n++] = offset;
    return 0;
}

size_t
page_map_page_at(const page_map_t *m, size_t offset)
{
    size_t lo = 0, hi, mid;

    if (m->n == 0)
        return 0;
    /* The last page whose start is <= OFFSET; among equal starts (empty
     * pages) the last, the page that holds the text. */
    hi = m->n;
    while (hi - lo > 1) {
        mid = lo + (hi - lo) / 2;
        if (m->starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return lo + 1;
}

int
page_map_range(const page_map_t *m, size_t page, size_t body_len,
               size_t *off, size_t *len)
{
    size_t start, end;

    if (page == 0 || page > m->n)
        return -1;
    start = m->starts[page - 1];
    end = page < m->n ? m->starts[page] : body_len;
    if (start > body_len)
        start = body_len;
    if (end > body_len)
        end = body_len;
    *off = start;
    *len = end > start ? end - start : 0;
    return 0;
}

char *
page_map_format(const page_map_t *m)
{
    size_t cap, i, used = 0;
    char *s;
    int n;

    /* 20 digits and a comma per page at most. */
    if (m->n > (SIZE_MAX - 1) / 21) {
        errno = ENOMEM;
        return NULL;
    }
    cap = m->n * 21 + 1;
    s = malloc(cap);
    if (s == NULL)
        return NULL;
    s[0] = '\0';
    for (i = 0; i < m->n; i++) {
        n = snprintf(s + used, cap - used, "%s%zu", i ? "," : "",
                     m->starts[i]);
        used += (size_t)n;
    }
    return s;
}

int
page_map_parse(page_map_t *m, const char *s)
{
    unsigned long long v;
    char *end;

    m->n = 0;
    if (*s == '\0')
        return 0;
    for (;;) {
        if (*s < '0' || *s > '9')
            goto bad;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno != 0 || v > SIZE_MAX)
            goto bad;
        if (page_map_add(m, (size_t)v) < 0)
            goto fail;
        if (*end == '\0')
            return 0;
        if (*end != ',')
            goto bad;
        s = end + 1;
    }
bad:
    errno = EINVAL;
fail:
    m->n = 0;
    return -1;
}
