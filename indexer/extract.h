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
#include "util/sbuf.h"

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

/* ---------------------------------------------------------------- layouts
 *
 * What lies around an export's posts in the exporters' layouts
 * (extract_social.c): the Telegram chat, the X account and its long
 * tweets, the Mastodon actor.  The indexer builds it as text once per
 * chat or file (extract_ctx_text()), hands it to the workers with the
 * posts, and each worker parses it once per chunk (extract_ctx_new()). */
typedef struct extract_ctx extract_ctx_t;

enum {
    EXTRACT_NEEDS_ACCOUNT = 1,  /* the X archive's data/account.js */
    EXTRACT_NEEDS_NOTES = 2,    /* ... and data/note-tweet.js */
    EXTRACT_NEEDS_ACTOR = 4     /* the Mastodon archive's actor.json */
};

/* Which files beside an export its posts need: AROUND is the record's
 * context (records.h: the object around a streamed array, or NULL), YTD
 * the X archive name ("tweets", or ""). */
unsigned extract_ctx_needs(const char *around, const char *ytd);

/* The context text into OUT from AROUND and the bytes of the files
 * beside the export (NULL when absent or not needed): what in them
 * cannot be read is a warning in WARN ("account.js: invalid JSON: ...")
 * and left out.  0 or -1 (ENOMEM). */
int extract_ctx_text(sbuf_t *out, const char *around, const char *account,
                     size_t account_len, const char *notes, size_t notes_len,
                     const char *actor, size_t actor_len,
                     extract_diag_t *warn);

/* Parse context TEXT (LEN bytes); NULL when it is not one (or ENOMEM).
 * Free with extract_ctx_free() (NULL is fine). */
extract_ctx_t *extract_ctx_new(const char *text, size_t len);
void extract_ctx_free(extract_ctx_t *c);

/* extract_record() with the layout CTX around the post (or NULL). */
int extract_record_in(const char *buf, size_t len, const config_t *cfg,
                      unsigned long line, const extract_ctx_t *ctx,
                      extract_result_t *out);

#endif /* EXTRACT_H */
