/* author.h - author-name normalisation shared by indexer and searcher
 *
 * An author is stored once as a display name and matched through normalised
 * keys: case-folded, accents stripped from Latin letters (utf8proc),
 * Cyrillic and other scripts kept (lower-cased, not transliterated), runs of
 * spaces and punctuation squeezed.  The indexer writes terms from these keys
 * and the searcher builds filters from them, so both must call these.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef AUTHOR_H
#define AUTHOR_H

#include <stddef.h>

/* Normalise NAME: "  Michał   Nowak " -> "michal nowak",
 * "Олександр Шевченко" -> "олександр шевченко", "@McFaul" -> "@mcfaul"
 * (a leading '@' is kept so handles stay distinct from names; see
 * author_key()).  Invalid UTF-8 bytes are dropped.  Returns a malloc'd
 * string ("" for a name of only spaces), NULL on allocation failure. */
char *author_normalise(const char *name);

/* The match key of NAME: author_normalise() without a leading '@' and with
 * inner spaces turned into '-': "Michael McFaul" -> "michael-mcfaul",
 * "@McFaul" -> "mcfaul".  Malloc'd; NULL on allocation failure. */
char *author_key(const char *name);

/* Split NAME's normalised form into words ("michael", "mcfaul") and call FN
 * for each.  Returns the number of words. */
typedef void (*author_word_fn)(void *ctx, const char *word);
size_t author_each_word(const char *name, author_word_fn fn, void *ctx);

/* Split an author LIST as people write it into display names: "A and B",
 * "A, B and C", "A & B", "A; B", "By A" -> "A", trimming spaces.  A comma
 * list of a single "Last, First" pair is not split.  Calls FN per name
 * (display form, trimmed, original case).  Returns the number of names. */
typedef void (*author_name_fn)(void *ctx, const char *name, size_t len);
size_t author_split(const char *list, author_name_fn fn, void *ctx);

#endif /* AUTHOR_H */
