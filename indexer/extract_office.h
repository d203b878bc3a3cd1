/* extract_office.h - Word (DOCX) and OpenDocument text (ODT) files
 *
 * Both are zip archives of XML parts.  libarchive reads the archive (from
 * a file or from memory); libxml2's reader API streams the parts that
 * matter: word/document.xml and docProps/core.xml for DOCX, content.xml
 * and meta.xml for ODT.  The XML reader never loads external entities or
 * DTDs, never touches the network (XML_PARSE_NONET), never substitutes
 * entities (no XML_PARSE_NOENT: an entity reference is dropped, so no
 * "billion laughs"), and walks without recursion.
 *
 * Zip bombs: the expanded size of the archive (declared sizes of all its
 * entries, and the bytes actually inflated from the parts read) is capped,
 * and so is its ratio to the archive's own size once past a grace size;
 * the archive is refused with a message that names the limit.  Other
 * entries (images, fonts) are skipped without being inflated.
 *
 * One article per file: title (core/meta title, else the first
 * paragraph), authors (DOCX dc:creator; ODT meta:initial-creator, else
 * dc:creator), date (dcterms:created / meta:creation-date, raw ISO 8601),
 * tags (keywords), lang (dc:language), and the body: one paragraph per
 * w:p / text:p / text:h, tabs and line breaks as spaces, deleted text
 * (w:delText), field codes (w:instrText), comments and tracked changes
 * left out.  Never prints or exits.  Must be called in a process that may
 * crash: run it through sandbox_run() on untrusted files.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EXTRACT_OFFICE_H
#define EXTRACT_OFFICE_H

#include <stddef.h>
#include <stdint.h>

#include "indexer/extract.h"

typedef struct extract_office_limits {
    uint64_t max_expanded;  /* bytes the entries may expand to */
    unsigned max_ratio;     /* expanded / archive size at most; 0: none */
    uint64_t ratio_grace;   /* the ratio is checked past this many bytes */
} extract_office_limits_t;

/* 64 MiB, 100:1 past 1 MiB: a long report's document.xml is a few MB and
 * compresses about 10:1. */
#define EXTRACT_OFFICE_LIMITS_DEFAULT \
    { (uint64_t)64 << 20, 100, (uint64_t)1 << 20 }

typedef enum extract_office_kind {
    EXTRACT_OFFICE_NONE = 0,
    EXTRACT_OFFICE_DOCX,        /* .docx */
    EXTRACT_OFFICE_ODT          /* .odt */
} extract_office_kind_t;

/* The kind PATH's extension names (case-insensitive).  The extractors
 * decide by the archive's content, not by this. */
extract_office_kind_t extract_office_kind_of(const char *path);

/* Extract the DOCX or ODT file at PATH into OUT (zeroed by the caller).
 * LIM may be NULL (the defaults).  Returns 0 with one article (and maybe
 * warnings), or -1 with OUT->error set: "zip bomb: ...", "not a zip
 * archive", "encrypted document (needs a password)", "not a DOCX or ODT
 * document (no word/document.xml or content.xml)", "broken XML in
 * content.xml:3: ...", "no text". */
int extract_office_file(const char *path, const extract_office_limits_t *lim,
                        extract_result_t *out);

/* As extract_office_file(), from BUF (LEN bytes, borrowed). */
int extract_office_buffer(const void *buf, size_t len,
                          const extract_office_limits_t *lim,
                          extract_result_t *out);

#endif /* EXTRACT_OFFICE_H */
