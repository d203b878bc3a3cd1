/* utf8.c - cutting, checking and repairing UTF-8
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/utf8.h"

#include <string.h>

size_t
utf8_cut(const char *s, size_t len, size_t max)
{
    size_t n;

    if (len <= max)
        return len;
    /* Back up over continuation bytes to the start of a character. */
    n = max;
    while (n > 0 && !utf8_is_lead((unsigned char)s[n]))
        n--;
    return n;
}

size_t
utf8_seq(const char *str, size_t len, uint32_t *cp)
{
    static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    const unsigned char *s = (const unsigned char *)str;
    size_t n, i;
    uint32_t c;

    if (len == 0)
        return 0;
    if (s[0] < 0x80) {
        if (cp != NULL)
            *cp = s[0];
        return 1;
    }
    n = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 :
        s[0] >= 0xC2 ? 2 : 0;
    if (n == 0 || s[0] > 0xF4 || n > len)
        return 0;
    c = s[0] & (0x7F >> n);
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    if (cp != NULL)
        *cp = c;
    return n;
}

size_t
utf8_encode(uint32_t cp, char u[4])
{
    if (cp < 0x80) {
        u[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    u[0] = (char)(0xf0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    u[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

size_t
utf8_repair(const char *s, size_t len, const char *repl, sbuf_t *out)
{
    size_t bad = 0, i = 0, start = 0, k;

    while (i < len) {
        if ((k = utf8_seq(s + i, len - i, NULL)) > 0) {
            i += k;
            continue;
        }
        if (sbuf_add(out, s + start, i - start) < 0
            || (repl != NULL && sbuf_adds(out, repl) < 0))
            return (size_t)-1;
        bad++;
        start = ++i;
    }
    if (sbuf_add(out, s + start, i - start) < 0)
        return (size_t)-1;
    return bad;
}
