/* extract_int.h - the per-format extractors (internal to indexer/extract*)
 *
 * Each format has one extractor that fills articles (article.h) from an
 * in-memory buffer, called by extract_buffer() (extract.c).  They never
 * touch the database or the file system, never print and never exit:
 * problems that still leave something to index are returned as warnings
 * (with file:line:col where there is one), problems that leave nothing as
 * an error.  Metadata is handed over as found; normalising is the
 * caller's job, so every format gets the same rules.  Extractors include
 * this header, never extract.h: the dispatcher depends on them, not the
 * other way round.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EXTRACT_INT_H
#define EXTRACT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "indexer/article.h"
#include "indexer/extract_result.h"

typedef struct extract_ctx extract_ctx_t;

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

/* One post of an export, called by extract_record(); CTX is the layout
 * around it (extract.h), or NULL. */
int extract_json_record(const char *buf, size_t len, const config_t *cfg,
                        unsigned long line, const extract_ctx_t *ctx,
                        extract_result_t *out);

/* ---------------------------------------------------------------- shared */

/* The text of an HTML fragment (a Mastodon post) appended to BODY, as
 * extract_html() reads a page's body: script and style dropped,
 * block elements separate paragraphs.  0 or -1 (ENOMEM). */
int extract_html_fragment(const char *html, size_t len, sbuf_t *body);

/* extract_json.c's helpers for the layouts of extract_social.c. */
int extract_title_from_text(article_t *a, const char *text, size_t len);
/* "Wed Aug 27 13:08:45 +0000 2008" -> "2008-08-27" (and, with a TIME
 * buffer, "2008-08-27T13:08:45" there); 0 or -1. */
int extract_twitter_date(const char *s, char *out, size_t outlen,
                         char *time, size_t timelen);
/* Epoch seconds (milliseconds over 1e11) -> "YYYY-MM-DD" UTC; 0 or -1. */
int extract_epoch_date(double t, char *out, size_t outlen);

/* ---------------------------------------------------------------- layouts */

struct json_t;

/* The exporters' own layouts (extract_social.c): a Telegram message, a
 * tweet of an X archive, an activity of a Mastodon outbox, a Reddit
 * comment or submission, recognised by their fields.  Returns 1 when
 * OBJ is none of them (the generic reader takes it), 0 when it was read
 * (an article appended, or the post passed over and counted in
 * OUT->n_passed), -1 when out of memory. */
/* An ActivityPub actor (a Mastodon archive's actor.json): read with the
 * outbox beside it, never a post of its own. */
bool extract_social_is_actor(struct json_t *obj);
int extract_social_post(struct json_t *obj, const extract_ctx_t *ctx,
                        const config_t *cfg, unsigned long line,
                        const char *where, extract_result_t *out);

#endif /* EXTRACT_INT_H */
