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

#include <stddef.h>

#include "config/config.h"
#include "indexer/article.h"
#include "indexer/extract_result.h"

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

/* One post of an export, called by extract_record(). */
int extract_json_record(const char *buf, size_t len, const config_t *cfg,
                        unsigned long line, extract_result_t *out);

#endif /* EXTRACT_INT_H */
