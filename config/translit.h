/* translit.h - Latin spellings and Latin skeletons of names, shared by the
 * indexer and the searcher
 *
 * A name is spelt in many ways: Зеленський, Зеленский, Zelensky, Zelenskyy,
 * Zelenskiy.  The skeleton is one ASCII key for all of them, so the indexer
 * can store it beside each word (under a prefix of its own) and the
 * searcher can look a query word's skeleton up: Cyrillic words are first
 * written in Latin letters (Ukrainian by the national system of 2010,
 * Russian by BGN/PCGN, ICU underneath), then any Latin spelling is folded
 * (translit_fold()).  Build the skeleton of a Cyrillic word from its lemma
 * (the stemmer's output): Зеленського and Києва only meet Zelensky and Kyiv
 * through зеленський and київ.  Both sides must call these functions.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TRANSLIT_H
#define TRANSLIT_H

#include <stddef.h>

/* The transliterators (ICU objects, not safe for concurrent use): one
 * handle per thread. */
typedef struct translit translit_t;

/* Open the transliterators.  Returns NULL on failure with the reason in
 * ERR (ERRLEN bytes, may be 0). */
translit_t *translit_new(char *err, size_t errlen);
void translit_free(translit_t *t);

/* Errors of the functions below (the return value is negative). */
enum {
    TRANSLIT_ERR_SPACE = -1,    /* OUT is too small: nothing written */
    TRANSLIT_ERR_ICU = -2,      /* ICU failed (invalid UTF-8 included) */
};

/* Write WORD (LEN bytes of UTF-8, any case) in lowercase ASCII Latin: a
 * word with ы э ъ or ё by BGN/PCGN (Russian), any other Cyrillic word by
 * Ukraine's 2010 system (Київ -> kyiv, Запоріжжя -> zaporizhzhia,
 * Згорани -> zghorany); Latin letters lose their accents, other letters
 * and marks pass through ICU's Any-Latin.  Apostrophes and soft signs are
 * dropped.  Returns the length written to OUT (NUL-terminated), or a
 * TRANSLIT_ERR_ value. */
int translit_latin(translit_t *t, const char *word, size_t len, char *out,
                   size_t cap);

/* Flags of translit_fold(). */
enum {
    TRANSLIT_FOLD_KEEP_ENDING = 1,  /* keep final vowels (for measuring) */
};

/* Fold a lowercase Latin spelling LATIN into its skeleton: only ASCII
 * letters and digits are kept; shch, sch, sh -> s; ch, tch, cz, ts, tz ->
 * c; zh -> z; kh, gh, g -> h; ph -> f; w -> v; q, ck -> k; x -> ks;
 * y, j -> i; ie -> e; runs of one letter -> one; then final vowels are
 * dropped while at least three letters stay (zelenskyy, zelenskiy and
 * zelensky -> zelensk; kyiv -> kiv), so that a stem that lost its ending
 * (Snowball russian, or the Ukrainian fallback) meets its nominative.
 * Returns the length written to OUT (NUL-terminated), or
 * TRANSLIT_ERR_SPACE. */
int translit_fold(const char *latin, unsigned flags, char *out, size_t cap);

/* translit_latin() then translit_fold(): the key to store for a lemma and
 * to look up for a query word.  Returns the length or a TRANSLIT_ERR_
 * value; "" (0) for a word with no letter or digit. */
int translit_skeleton(translit_t *t, const char *word, size_t len, char *out,
                      size_t cap);

#endif /* TRANSLIT_H */
