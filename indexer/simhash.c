/* simhash.c - SimHash over word shingles
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "indexer/simhash.h"

#include <stdio.h>
#include <string.h>

/* A 64-bit finaliser (splitmix64): spreads the FNV hash of a shingle over
 * all bits, which SimHash needs. */
static uint64_t
mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static bool
is_word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

/* Hash of the next word at *I, advancing past it; 0 at the end. */
static uint64_t
next_word(const char *t, size_t len, size_t *i)
{
    while (*i < len && !is_word_byte((unsigned char)t[*i]))
        (*i)++;
    if (*i >= len)
        return 0;
    uint64_t h = 14695981039346656037ULL;
    while (*i < len && is_word_byte((unsigned char)t[*i])) {
        unsigned char c = (unsigned char)t[(*i)++];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        h = (h ^ c) * 1099511628211ULL;
    }
    return h | 1;   /* never 0 */
}

/* Length of the paragraph at P (up to a blank line) and its word count. */
static size_t
paragraph(const char *p, size_t len, size_t *n_words)
{
    const char *end = memmem(p, len, "\n\n", 2);
    size_t plen = end ? (size_t)(end - p) : len;
    size_t i = 0;
    *n_words = 0;
    while (next_word(p, plen, &i) != 0)
        (*n_words)++;
    return plen;
}

bool
simhash_text(const char *text, size_t len, uint64_t *out)
{
    int votes[64] = { 0 };
    uint64_t prev = 0, w;
    size_t i = 0, n_words = 0, nw;

    /* Syndicated copies differ most often in a short first or last line
     * ("This article first appeared in ...", "Republished with
     * permission"): leave short opening and closing paragraphs out. */
    size_t plen = paragraph(text, len, &nw);
    if (nw < SIMHASH_EDGE_WORDS && plen < len) {
        text += plen;
        len -= plen;
    }
    const char *last = NULL;
    for (const char *q = text; (q = memmem(q, (size_t)(text + len - q),
                                           "\n\n", 2)); q += 2)
        last = q + 2;
    if (last && paragraph(last, (size_t)(text + len - last), &nw) &&
        nw < SIMHASH_EDGE_WORDS)
        len = (size_t)(last - text);

    /* Features: word bigrams, so a changed word moves two of several
     * hundred votes. */
    while ((w = next_word(text, len, &i)) != 0) {
        n_words++;
        if (n_words >= 2) {
            uint64_t h = mix64(prev * 31 + w);
            for (int b = 0; b < 64; b++)
                votes[b] += (h >> b) & 1 ? 1 : -1;
        }
        prev = w;
    }
    if (n_words < SIMHASH_MIN_WORDS)
        return false;
    uint64_t h = 0;
    for (int b = 0; b < 64; b++)
        if (votes[b] > 0)
            h |= 1ULL << b;
    *out = h;
    return true;
}

int
simhash_distance(uint64_t a, uint64_t b)
{
    return __builtin_popcountll(a ^ b);
}

char *
simhash_band_term(const char *prefix, uint64_t h, int i, char *buf,
                  size_t len)
{
    snprintf(buf, len, "%s%d%04x", prefix, i,
             (unsigned)((h >> (16 * i)) & 0xFFFF));
    return buf;
}
