/* simhash.h - near-duplicate fingerprints of document bodies (internal)
 *
 * Charikar's SimHash over word bigrams: two texts that differ in a header,
 * a footer or a few words get 64-bit hashes a few bits apart.  The hash is
 * cut into SIMHASH_BANDS bands of 16 bits; texts within
 * SIMHASH_MAX_DISTANCE bits share at least one band exactly (pigeonhole),
 * so band terms in the index find the candidates without a scan.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIMHASH_H
#define SIMHASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIMHASH_BANDS 4
#define SIMHASH_MAX_DISTANCE 3
/* Texts with fewer words than this get no SimHash: too little text to
 * tell a copy from a different short post on the same subject. */
#define SIMHASH_MIN_WORDS 40
/* Opening and closing paragraphs shorter than this are left out. */
#define SIMHASH_EDGE_WORDS 15

/* SimHash of TEXT (LEN bytes of UTF-8) over word bigrams, words
 * compared without case (ASCII) and punctuation.  Returns false when the
 * text has fewer than SIMHASH_MIN_WORDS words. */
bool simhash_text(const char *text, size_t len, uint64_t *out);

/* Number of differing bits. */
int simhash_distance(uint64_t a, uint64_t b);

/* The band term for band I (0 <= I < SIMHASH_BANDS) of H with PREFIX, into
 * BUF (at least strlen(prefix) + 6 bytes). */
char *simhash_band_term(const char *prefix, uint64_t h, int i, char *buf,
                        size_t len);

#endif /* SIMHASH_H */
