/* langcode.h - the language codes dossier stores and filters on
 *
 * A document's language comes from its metadata (front matter, header
 * lines, HTML lang, JSON fields), written any way ("uk-UA", "UK", "ukr",
 * "Ukrainian"), from CLD2 when there is none, and from --lang and lang:
 * on the search side.  Both sides store and look up one form, through
 * this one function: ISO 639-1 in lower case where the language has one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef LANGCODE_H
#define LANGCODE_H

#include <stddef.h>

/* Room for a code and its NUL ("uk", "zh-hant"), as XSH_LANG_LEN. */
#define LANGCODE_LEN 8

/* Write the code of the language tag IN to OUT: the tag's first subtag
 * ("uk-UA", "en_GB" -> uk, en) in lower case, with ISO 639-2 codes and
 * English names of the languages dossier stems (and "ua", the country
 * code often written for Ukrainian) mapped to ISO 639-1: ukr, ukrainian,
 * ua -> uk; rus, russian -> ru; eng, english -> en.  CLD2's own codes
 * with a script ("zh-Hant") keep it.  Returns the length written, or 0
 * (OUT "") when IN is no language tag: empty, not letters, or a subtag
 * of more than three letters that is no name above. */
size_t langcode_normalise(const char *in, char out[LANGCODE_LEN]);

#endif /* LANGCODE_H */
