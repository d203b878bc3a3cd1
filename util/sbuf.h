/* sbuf.h - a growable string that is never NULL
 *
 * git's strbuf rule: an initialised buffer always points at a
 * NUL-terminated string, the static "" while nothing has been added, so
 * readers never need a NULL guard.  A buffer owns its memory only once it
 * has grown (CAP > 0); sbuf_release() and sbuf_detach() leave it empty and
 * initialised again.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UTIL_SBUF_H
#define UTIL_SBUF_H

#include <stddef.h>

/* The empty string every unallocated buffer points at; never written. */
extern char sbuf_empty[];

typedef struct sbuf {
    char *p;                /* NUL-terminated, never NULL once initialised */
    size_t len;
    size_t cap;             /* 0: P is sbuf_empty, not owned */
} sbuf_t;

#define SBUF_INIT { sbuf_empty, 0, 0 }

void sbuf_init(sbuf_t *b);
/* Append LEN bytes of S; 0, or -1 (ENOMEM) leaving B as it was. */
int sbuf_add(sbuf_t *b, const char *s, size_t len);
int sbuf_adds(sbuf_t *b, const char *s);
int sbuf_addc(sbuf_t *b, char c);
/* Cut B to its first LEN bytes (LEN <= B->len). */
void sbuf_setlen(sbuf_t *b, size_t len);
/* The text as a malloc'd string the caller frees (NULL on ENOMEM, an
 * allocated "" when empty); B is left empty. */
char *sbuf_detach(sbuf_t *b);
/* Free B's memory and leave it empty; accepts NULL. */
void sbuf_release(sbuf_t *b);

#endif /* UTIL_SBUF_H */
