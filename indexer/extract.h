/* extract.h - turning one file's bytes into articles (internal interface)
 *
 * Each format (Markdown with front matter, plain text with header lines,
 * HTML, JSON and JSON Lines exports) has one extractor that fills article_t
 * records from an in-memory buffer.  Extractors never touch the database or
 * the file system, never print and never exit: problems that still leave
 * something to index are returned as warnings (with file:line:col where
 * there is one), problems that leave nothing as an error.  Metadata is
 * handed over as found (raw author strings, raw date text); normalising
 * (aliases, date parsing, author splitting) is the caller's job, so every
 * format gets the same rules.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EXTRACT_H
#define EXTRACT_H

#include <stddef.h>

#include "config/config.h"
#include "util/sbuf.h"

/* One article as extracted.  Every string is malloc'd and owned by the
 * article; NULL when absent. */
typedef struct article {
    char *id;               /* unique id within the file, for multi-document
                               formats (JSON posts); NULL for one-per-file */
    char *title;
    char **authors;         /* raw author strings as found: each may still
                               be a list ("A and B") or a handle */
    size_t n_authors;
    char *date;             /* raw date text, parsed by the caller */
    int date_line;          /* line of the date in the file (0: unknown) */
    char *source;
    char *url;
    char **tags;
    size_t n_tags;
    char *lang;
    sbuf_t body;            /* plain text, paragraphs separated by "\n\n" */
} article_t;

void article_init(article_t *a);
void article_release(article_t *a);
int article_add_author(article_t *a, const char *s, size_t len);
int article_add_tag(article_t *a, const char *s, size_t len);
/* Add each comma-separated tag of S (LEN bytes); 0 or -1 (ENOMEM). */
int article_add_tags_csv(article_t *a, const char *s, size_t len);

/* Diagnostics an extractor leaves for its caller, in order. */
typedef struct extract_diag {
    char **msgs;            /* "LINE:COL: WHAT" or "WHAT", no file name */
    size_t n;
} extract_diag_t;

void extract_diag_add(extract_diag_t *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void extract_diag_release(extract_diag_t *d);

/* The articles of one file. */
typedef struct extract_result {
    article_t *articles;
    size_t n;
    extract_diag_t warnings;    /* file is indexed, but say so */
    char *error;                /* set when nothing could be indexed */
} extract_result_t;

void extract_result_release(extract_result_t *r);
/* Append a new, initialised article and return it (NULL on ENOMEM); the
 * pointer is valid until the next push. */
article_t *extract_result_push(extract_result_t *r);

typedef enum extract_format {
    EXTRACT_NONE = 0,       /* not a format dossier indexes */
    EXTRACT_MARKDOWN,       /* .md .markdown */
    EXTRACT_TEXT,           /* .txt */
    EXTRACT_HTML,           /* .html .htm */
    EXTRACT_JSON,           /* .json: an object, or an array of objects */
    EXTRACT_JSONL           /* .jsonl: one object per line */
} extract_format_t;

/* The format of PATH by its extension (case-insensitive). */
extract_format_t extract_format_of(const char *path);

/* Extract BUF (LEN bytes, valid UTF-8 after the caller's repair, no NULs)
 * in format FMT into OUT (zeroed by the caller).  CFG gives the JSON field
 * mapping.  Returns 0, or -1 with OUT->error set. */
int extract_buffer(extract_format_t fmt, const char *buf, size_t len,
                   const config_t *cfg, extract_result_t *out);

/* The format extractors, called by extract_buffer(). */
int extract_markdown(const char *buf, size_t len, const config_t *cfg,
                     extract_result_t *out);
int extract_text(const char *buf, size_t len, const config_t *cfg,
                 extract_result_t *out);
int extract_html(const char *buf, size_t len, const config_t *cfg,
                 extract_result_t *out);
int extract_json(const char *buf, size_t len, const config_t *cfg,
                 extract_result_t *out);
int extract_jsonl(const char *buf, size_t len, const config_t *cfg,
                  extract_result_t *out);

/* Helpers shared by the extractors (extract.c). */

/* Set *DST to a copy of S (LEN bytes) with surrounding space trimmed and
 * inner runs of white space squeezed to one space; an empty result leaves
 * *DST NULL.  Any previous value is freed.  0 or -1 (ENOMEM). */
int article_set_field(char **dst, const char *s, size_t len);

/* Append S (LEN bytes) to B, a body being built: runs of white space (and
 * no-break spaces) become one space, no space is written at the start of a
 * paragraph or after another space.  0 or -1. */
int extract_text_add(sbuf_t *b, const char *s, size_t len);
/* End the current paragraph: B then ends in "\n\n" unless it is empty. */
int extract_para_break(sbuf_t *b);
/* Drop trailing white space and paragraph breaks from B. */
void extract_body_finish(sbuf_t *b);
/* Append plain text: lines joined with a space, blank lines separate
 * paragraphs; with LINE_PARAS every line is a paragraph.  0 or -1. */
int extract_body_add_plain(sbuf_t *b, const char *s, size_t len,
                           int line_paras);

#endif /* EXTRACT_H */
