/* stem.h - the C++ side of shim/stem.cc, for the rest of the shim
 *
 * The language stemmers of xsh_stem_new() are Xapian::StemImplementation
 * objects; the term generator and the query parser take them as a
 * Xapian::Stem.  This header lets other shim files (xsh_termgen_*,
 * xsh_search_*) get that Xapian::Stem from a handle.  C++ only, never
 * included from C.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SHIM_STEM_H
#define SHIM_STEM_H

#include <string>

#include <xapian.h>

#include "shim/xsh.h"

/* The stemmer of STEM as a Xapian::Stem sharing its implementation (and so
 * its cache, which is not locked: give it to one term generator or query
 * parser of the thread that owns the handle).  The implementation is
 * reference counted: it outlives the handle while Xapian holds it. */
Xapian::Stem xsh_stem_xapian(const xsh_stem_t *stem);

/* Which Cyrillic language a lowercase word's letters name: 'u' for one of
 * і ї є ґ, 'r' for one of ы э ъ ё, 0 for neither (or both, or a word with
 * no Cyrillic letter).  Also for the query side, which must route a query
 * word the way the indexer routed the document's words. */
int xsh_stem_cyrillic_hint(const std::string &word);

#endif /* SHIM_STEM_H */
