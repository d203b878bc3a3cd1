/* ascii.h - locale-free ASCII classification
 *
 * <ctype.h> answers by the current locale and wants unsigned char
 * arguments; these answer for ASCII only, take any int (a plain char
 * included) and never treat a byte of a UTF-8 sequence as a letter or
 * a space.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UTIL_ASCII_H
#define UTIL_ASCII_H

#include <stdbool.h>
#include <stddef.h>

/* Space, tab, newline, carriage return, vertical tab, form feed. */
static inline bool
ascii_is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'
        || c == '\f';
}

static inline bool
ascii_is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static inline int
ascii_tolower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static inline bool
ascii_is_alpha(int c)
{
    c = ascii_tolower(c);
    return c >= 'a' && c <= 'z';
}

/* Whether A and B are equal ignoring ASCII case. */
bool ascii_ieq(const char *a, const char *b);
/* Whether the LEN bytes at S are all ASCII white space (or LEN is 0). */
bool ascii_is_blank(const char *s, size_t len);
/* Move *S forward and *END back past ASCII white space, so that the
 * bytes from *S to *END are the trimmed text. */
void ascii_trim(const char **s, const char **end);

#endif /* UTIL_ASCII_H */
