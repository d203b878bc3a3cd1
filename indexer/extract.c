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
#include "indexer/extract_office.h"
#include "indexer/extract_pdf.h"

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
    { "pdf", EXTRACT_PDF },
    { "docx", EXTRACT_DOCX },
    { "odt", EXTRACT_ODT },
    { "js", EXTRACT_JSON },     /* an X archive's tweets (index.c) */
};

/* The compressions a text format may come in (zstream.h). */
static const char *const compressions[] = { "gz", "zst" };

/* The extension of the last component of PATH (after its last dot), or
 * NULL; *BASE gets where that component starts. */
static const char *
extension(const char *path, const char **base)
{
    const char *b = strrchr(path, '/'), *dot;

    b = b ? b + 1 : path;
    *base = b;
    dot = strrchr(b, '.');
    /* ".md" alone is a hidden file, not a Markdown file without a name. */
    if (dot == NULL || dot == b)
        return NULL;
    return dot + 1;
}

bool
extract_is_compressed(const char *path)
{
    const char *base, *ext = path ? extension(path, &base) : NULL;

    if (ext == NULL)
        return false;
    for (size_t i = 0; i < sizeof compressions / sizeof compressions[0];
         i++)
        if (strcasecmp(ext, compressions[i]) == 0)
            return true;
    return false;
}

bool
extract_is_sandboxed(extract_format_t fmt)
{
    return fmt == EXTRACT_PDF || fmt == EXTRACT_DOCX || fmt == EXTRACT_ODT;
}

extract_format_t
extract_format_of(const char *path)
{
    const char *base, *ext;
    char inner[256];
    size_t i;

    if (path == NULL || (ext = extension(path, &base)) == NULL)
        return EXTRACT_NONE;
    if (extract_is_compressed(path)) {
        /* "posts.jsonl.zst" is JSON Lines, read through zstream. */
        size_t n = (size_t)(ext - 1 - base);
        if (n >= sizeof inner)
            return EXTRACT_NONE;
        memcpy(inner, base, n);
        inner[n] = '\0';
        if (extract_is_compressed(inner))
            return EXTRACT_NONE;        /* "a.gz.gz": not ours */
        extract_format_t f = extract_format_of(inner);
        return extract_is_sandboxed(f) ? EXTRACT_NONE : f;
    }
    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (strcasecmp(ext, formats[i].ext) == 0)
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
    for (size_t i = 0; i < sizeof compressions / sizeof compressions[0];
         i++) {
        int n = snprintf(buf + at, len - at, "%s.%s",
                         i ? " " : ", the text ones also as ",
                         compressions[i]);
        if (n < 0 || (size_t)n >= len - at) {
            buf[at] = '\0';
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
    case EXTRACT_PDF:
        /* In process, for tests: the indexer sandboxes (job.c). */
        {
            page_map_t pages = PAGE_MAP_INIT;
            rc = extract_pdf_buffer(buf, len, out, &pages);
            page_map_release(&pages);
        }
        break;
    case EXTRACT_DOCX:
    case EXTRACT_ODT:
        rc = extract_office_buffer(buf, len, NULL, out);
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
