/* ascii.c - locale-free ASCII classification
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/ascii.h"

bool
ascii_ieq(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++)
        if (ascii_tolower(*a) != ascii_tolower(*b))
            return false;
    return *a == *b;
}

bool
ascii_is_blank(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (!ascii_is_space((unsigned char)s[i]))
            return false;
    return true;
}

void
ascii_trim(const char **s, const char **end)
{
    while (*s < *end && ascii_is_space((unsigned char)**s))
        (*s)++;
    while (*end > *s && ascii_is_space((unsigned char)(*end)[-1]))
        (*end)--;
}
