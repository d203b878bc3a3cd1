/* utf8.h - cutting, checking and repairing UTF-8
 *
 * The one place that knows UTF-8's byte layout: where a prefix may be cut
 * without splitting a character, whether bytes form a valid sequence
 * (overlong forms, surrogates and code points above U+10FFFF are not
 * valid), and how to encode a code point.  Never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UTIL_UTF8_H
#define UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/sbuf.h"

/* The length of the longest prefix of S (LEN bytes) not over MAX bytes
 * that ends on a character boundary (S is assumed valid UTF-8). */
size_t utf8_cut(const char *s, size_t len, size_t max);

/* Whether byte C starts a character (is not a continuation byte). */
static inline bool
utf8_is_lead(unsigned char c)
{
    return (c & 0xC0) != 0x80;
}

/* The length (1 to 4) of the valid sequence at S (LEN > 0 bytes) with its
 * code point in *CP (may be NULL), or 0 when S does not start one. */
size_t utf8_seq(const char *s, size_t len, uint32_t *cp);

/* Encode CP (at most U+10FFFF) into OUT; returns its length, 1 to 4. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* Append S (LEN bytes) to OUT with each byte that does not start a valid
 * sequence replaced by REPL (NULL: dropped).  Returns the number of such
 * bytes, or (size_t)-1 on ENOMEM. */
size_t utf8_repair(const char *s, size_t len, const char *repl, sbuf_t *out);

#endif /* UTIL_UTF8_H */
