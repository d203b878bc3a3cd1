/* extract.h - turning one file's bytes into articles
 *
 * The dispatcher's interface: which format a path is, and extracting a
 * buffer in that format into articles (article.h) and warnings
 * (extract_result.h).  The per-format extractors behind it are in
 * extract_int.h.  Never touches the database or the file system, never
 * prints and never exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EXTRACT_H
#define EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "indexer/article.h"
#include "indexer/extract_result.h"

typedef enum extract_format {
    EXTRACT_NONE = 0,       /* not a format dossier indexes */
    EXTRACT_MARKDOWN,       /* .md .markdown */
    EXTRACT_TEXT,           /* .txt */
    EXTRACT_HTML,           /* .html .htm */
    EXTRACT_JSON,           /* .json: an object, or an array of objects */
    EXTRACT_JSONL,          /* .jsonl: one object per line */
    EXTRACT_PDF,            /* .pdf: parsed in a sandboxed child */
    EXTRACT_DOCX,           /* .docx: likewise */
    EXTRACT_ODT             /* .odt: likewise */
} extract_format_t;

/* The format of PATH by its extension (case-insensitive).  A text format
 * compressed with gzip or zstd ("a.md.gz", "posts.jsonl.zst") is the
 * format inside; PDF and Office files are not read compressed. */
extract_format_t extract_format_of(const char *path);

/* Whether PATH names a compressed file (".gz", ".zst", any case): its
 * bytes are read through zstream.h, never unpacked to disk. */
bool extract_is_compressed(const char *path);

/* Whether FMT is parsed out of process (PDF, DOCX, ODT: large libraries
 * on input anyone can craft; see sandbox.h). */
bool extract_is_sandboxed(extract_format_t fmt);

/* The extensions extract_format_of() knows, each with its dot, in the
 * order it tries them, separated by spaces (".md .markdown .txt ..."),
 * then the compressions (", the text ones also as .gz .zst"),
 * written to BUF of LEN bytes (cut short, NUL-terminated, if it is too
 * small): the list messages give, so it is never out of date. */
void extract_extensions(char *buf, size_t len);

/* Extract BUF (LEN bytes, valid UTF-8 after the caller's repair, no NULs)
 * in format FMT into OUT (zeroed by the caller).  CFG gives the JSON field
 * mapping.  Returns 0, or -1 with OUT->error set. */
int extract_buffer(extract_format_t fmt, const char *buf, size_t len,
                   const config_t *cfg, extract_result_t *out);

/* Extract one post of an export: BUF (LEN bytes, valid UTF-8, no NULs)
 * is one line of a JSON Lines file or one element of a JSON array,
 * starting on LINE of the file.  A post is appended to OUT, or a warning
 * naming LINE says why there is none.  Returns 0, 1 when BUF is not
 * valid JSON (warned), -1 when out of memory. */
int extract_record(const char *buf, size_t len, const config_t *cfg,
                   unsigned long line, extract_result_t *out);

#endif /* EXTRACT_H */
