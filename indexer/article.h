/* article.h - one extracted article: its fields, keys and body text
 *
 * The value every extractor fills, the setters that clean what they are
 * given, the one table of metadata keys shared by Markdown front matter
 * and text header lines, and the body builder.  Metadata is kept as found
 * (raw author strings, raw date text); normalising is the caller's job.
 * Knows no file format.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ARTICLE_H
#define ARTICLE_H

#include <stddef.h>

#include "util/sbuf.h"
#include "util/strv.h"

/* One article as extracted.  Every string is malloc'd and owned by the
 * article; NULL when absent. */
typedef struct article {
    char *id;               /* unique id within the file, for multi-document
                               formats (JSON posts); NULL for one-per-file */
    char *title;
    strv_t authors;         /* raw author strings as found: each may still
                               be a list ("A and B") or a handle */
    char *date;             /* raw date text, parsed by the caller */
    int date_line;          /* line of the date in the file (0: unknown) */
    unsigned long line;     /* line where the post starts in an export
                               (JSON Lines, JSON arrays); 0: unknown */
    char *source;
    char *url;
    strv_t tags;
    char *lang;
    char *forwarded_from;   /* a post forwarded from elsewhere: from whom */
    char *reply_to;         /* the id of the post it answers */
    sbuf_t body;            /* plain text, paragraphs separated by "\n\n" */
} article_t;

void article_init(article_t *a);
void article_release(article_t *a);

/* Set *DST to a copy of S (LEN bytes) with surrounding space trimmed and
 * inner runs of white space squeezed to one space; an empty result leaves
 * *DST NULL.  Any previous value is freed.  0 or -1 (ENOMEM). */
int article_set_field(char **dst, const char *s, size_t len);
int article_add_author(article_t *a, const char *s, size_t len);
int article_add_tag(article_t *a, const char *s, size_t len);
/* Add each comma-separated tag of S (LEN bytes); 0 or -1 (ENOMEM). */
int article_add_tags_csv(article_t *a, const char *s, size_t len);

/* ---------------------------------------------------------------- keys */

typedef enum article_field {
    ARTICLE_NONE = 0,
    ARTICLE_TITLE,
    ARTICLE_AUTHOR,
    ARTICLE_DATE,
    ARTICLE_SOURCE,
    ARTICLE_URL,
    ARTICLE_TAGS,
    ARTICLE_LANG
} article_field_t;

/* A metadata key ("title", "by", "published", ...) and the field it
 * sets; RANK orders date keys (higher wins). */
typedef struct article_key {
    const char *name;
    article_field_t field;
    int rank;
} article_key_t;

/* The key named NAME (ASCII case ignored), or NULL; static storage. */
const article_key_t *article_key_find(const char *name);

/* Apply the value V (LEN bytes) of key K found at file line LINE: title,
 * source, URL and language keep their first value, authors are added,
 * tags split at commas.  Dates: with DATE_RANK NULL the first date wins;
 * otherwise one of higher rank replaces it and *DATE_RANK is updated.
 * 0 or -1 (ENOMEM). */
int article_set_key(article_t *a, const article_key_t *k, const char *v,
                    size_t len, int line, int *date_rank);

/* ---------------------------------------------------------------- body */

/* Append S (LEN bytes) to B, a body being built: runs of white space (and
 * no-break spaces) become one space, no space is written at the start of a
 * paragraph or after another space.  0 or -1. */
int article_text_add(sbuf_t *b, const char *s, size_t len);
/* End the current paragraph: B then ends in "\n\n" unless it is empty. */
int article_para_break(sbuf_t *b);
/* Drop trailing white space and paragraph breaks from B. */
void article_body_finish(sbuf_t *b);
/* Append plain text: lines joined with a space, blank lines separate
 * paragraphs; with LINE_PARAS every line is a paragraph.  0 or -1. */
int article_body_add_plain(sbuf_t *b, const char *s, size_t len,
                           int line_paras);

#endif /* ARTICLE_H */
