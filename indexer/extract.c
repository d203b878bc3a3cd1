/* extract.c - the format dispatcher
 *
 * Chooses the extractor for a file by its extension and runs it over an
 * in-memory buffer.  Dependencies run one way: this file calls the
 * per-format extractors (extract_int.h), which fill articles
 * (article.h).  It never reads files, prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "indexer/extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "indexer/extract_int.h"

/* ---------------------------------------------------------------- dispatch */

static const struct {
    const char *ext;
    extract_format_t fmt;
} formats[] = {
    { "md", EXTRACT_MARKDOWN },
    { "markdown", EXTRACT_MARKDOWN },
    { "txt", EXTRACT_TEXT },
    { "html", EXTRACT_HTML },
    { "htm", EXTRACT_HTML },
    { "json", EXTRACT_JSON },
    { "jsonl", EXTRACT_JSONL },
    { "js", EXTRACT_JSON },     /* an X archive's tweets (index.c) */
};

extract_format_t
extract_format_of(const char *path)
{
    const char *base, *dot;
    size_t i;

    if (path == NULL)
        return EXTRACT_NONE;
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    /* ".md" alone is a hidden file, not a Markdown file without a name. */
    if (dot == NULL || dot == base)
        return EXTRACT_NONE;
    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (strcasecmp(dot + 1, formats[i].ext) == 0)
            return formats[i].fmt;
    return EXTRACT_NONE;
}

void
extract_extensions(char *buf, size_t len)
{
    size_t at = 0;

    if (len == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        int n = snprintf(buf + at, len - at, "%s.%s", i ? " " : "",
                         formats[i].ext);
        if (n < 0 || (size_t)n >= len - at) {
            buf[at] = '\0';     /* cut short after the last whole one */
            return;
        }
        at += (size_t)n;
    }
}

int
extract_buffer(extract_format_t fmt, const char *buf, size_t len,
               const config_t *cfg, extract_result_t *out)
{
    int rc;

    switch (fmt) {
    case EXTRACT_MARKDOWN:
        rc = extract_markdown(buf, len, cfg, out);
        break;
    case EXTRACT_TEXT:
        rc = extract_text(buf, len, cfg, out);
        break;
    case EXTRACT_HTML:
        rc = extract_html(buf, len, cfg, out);
        break;
    case EXTRACT_JSON:
        rc = extract_json(buf, len, cfg, out);
        break;
    case EXTRACT_JSONL:
        rc = extract_jsonl(buf, len, cfg, out);
        break;
    case EXTRACT_NONE:
    default:
        free(out->error);
        out->error = strdup("not a format dossier indexes");
        return -1;
    }
    if (rc < 0 && out->error == NULL)
        out->error = strdup("out of memory");
    return rc < 0 ? -1 : 0;
}

int
extract_record(const char *buf, size_t len, const config_t *cfg,
               unsigned long line, extract_result_t *out)
{
    return extract_json_record(buf, len, cfg, line, NULL, out);
}

int
extract_record_in(const char *buf, size_t len, const config_t *cfg,
                  unsigned long line, const extract_ctx_t *ctx,
                  extract_result_t *out)
{
    return extract_json_record(buf, len, cfg, line, ctx, out);
}
