/* sbuf.c - a growable string that is never NULL
 *
 * The buffer grows by doubling; until its first growth it points at the
 * shared, never-written sbuf_empty.  Never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/sbuf.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

char sbuf_empty[1];

void
sbuf_init(sbuf_t *b)
{
    b->p = sbuf_empty;
    b->len = 0;
    b->cap = 0;
}

static int
sbuf_grow(sbuf_t *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > SIZE_MAX - b->len - 1) {
        errno = ENOMEM;
        return -1;
    }
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = realloc(b->cap ? b->p : NULL, cap);
    if (p == NULL)
        return -1;
    if (b->cap == 0)
        p[0] = '\0';
    b->p = p;
    b->cap = cap;
    return 0;
}

int
sbuf_add(sbuf_t *b, const char *s, size_t len)
{
    if (len == 0)
        return 0;
    if (sbuf_grow(b, len) < 0)
        return -1;
    memcpy(b->p + b->len, s, len);
    b->len += len;
    b->p[b->len] = '\0';
    return 0;
}

int
sbuf_adds(sbuf_t *b, const char *s)
{
    return sbuf_add(b, s, strlen(s));
}

int
sbuf_addc(sbuf_t *b, char c)
{
    if (sbuf_grow(b, 1) < 0)
        return -1;
    b->p[b->len++] = c;
    b->p[b->len] = '\0';
    return 0;
}

void
sbuf_setlen(sbuf_t *b, size_t len)
{
    if (len > b->len)
        return;
    b->len = len;
    if (b->cap > 0)
        b->p[len] = '\0';
}

char *
sbuf_detach(sbuf_t *b)
{
    char *s = b->cap > 0 ? b->p : strdup("");

    sbuf_init(b);
    return s;
}

void
sbuf_release(sbuf_t *b)
{
    if (b == NULL)
        return;
    if (b->cap > 0)
        free(b->p);
    sbuf_init(b);
}
