/* extract_office.c - Word (DOCX) and OpenDocument text (ODT) files
 *
 * Two stages: the zip stage (libarchive) walks the entries once, keeping
 * the bytes of the four parts it knows and skipping the rest uninflated,
 * with the bomb limits applied to declared and inflated sizes alike; the
 * XML stage (libxml2's xmlTextReader, so nesting depth never reaches the
 * C stack) turns the parts into one article.  Never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "indexer/extract_office.h"
#include "util/utf8.h"

#define TITLE_MAX 200           /* bytes of a title from the first line */

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_DCTERMS "http://purl.org/dc/terms/"
#define NS_CP \
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_META "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"

static void
set_error(extract_result_t *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_error(extract_result_t *out, const char *fmt, ...)
{
    va_list ap;
    char buf[512];

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    free(out->error);
    out->error = strdup(buf);
}

extract_office_kind_t
extract_office_kind_of(const char *path)
{
    const char *dot = strrchr(path, '.');

    if (dot == NULL || strchr(dot, '/') != NULL)
        return EXTRACT_OFFICE_NONE;
    if (strcasecmp(dot, ".docx") == 0)
        return EXTRACT_OFFICE_DOCX;
    if (strcasecmp(dot, ".odt") == 0)
        return EXTRACT_OFFICE_ODT;
    return EXTRACT_OFFICE_NONE;
}

/* ---------------------------------------------------------------- zip */

enum part { P_DOCX_BODY, P_DOCX_CORE, P_ODT_BODY, P_ODT_META, N_PARTS };

static const char *const part_names[N_PARTS] = {
    "word/document.xml", "docProps/core.xml", "content.xml", "meta.xml",
};

typedef struct zipread {
    const extract_office_limits_t *lim;
    uint64_t archive_size;
    uint64_t declared;          /* sum of the entries' declared sizes */
    uint64_t inflated;          /* bytes inflated from the parts read */
    sbuf_t parts[N_PARTS];
    int has[N_PARTS];
} zipread_t;

static const char *
mib(uint64_t n, char *buf, size_t len)
{
    if (n % (1 << 20) == 0)
        snprintf(buf, len, "%llu MiB", (unsigned long long)(n >> 20));
    else
        snprintf(buf, len, "%llu bytes", (unsigned long long)n);
    return buf;
}

/* 0 when TOTAL expanded bytes are within the limits, else -1 with the
 * archive refused in OUT. */
static int
bomb_check(zipread_t *z, uint64_t total, extract_result_t *out)
{
    char a[32];
    uint64_t size = z->archive_size ? z->archive_size : 1;

    if (z->lim->max_expanded && total > z->lim->max_expanded) {
        set_error(out, "zip bomb: expands past the %s limit",
                  mib(z->lim->max_expanded, a, sizeof(a)));
        return -1;
    }
    if (z->lim->max_ratio && total > z->lim->ratio_grace
        && total / size > z->lim->max_ratio) {
        set_error(out, "zip bomb: expands more than %u:1 (%llu bytes from "
                  "%llu)", z->lim->max_ratio, (unsigned long long)total,
                  (unsigned long long)z->archive_size);
        return -1;
    }
    return 0;
}

static int
read_part(zipread_t *z, struct archive *a, sbuf_t *b, const char *name,
          extract_result_t *out)
{
    char buf[64 * 1024];
    la_ssize_t n;

    for (;;) {
        n = archive_read_data(a, buf, sizeof(buf));
        if (n == 0)
            return 0;
        if (n < 0) {
            set_error(out, "broken archive: %s: %s", name,
                      archive_error_string(a) ? archive_error_string(a)
                                              : "cannot inflate");
            return -1;
        }
        z->inflated += (uint64_t)n;
        if (bomb_check(z, z->inflated, out) < 0)
            return -1;
        if (sbuf_add(b, buf, (size_t)n) < 0) {
            set_error(out, "out of memory");
            return -1;
        }
    }
}

static int
is_ole(const unsigned char *p, size_t len)
{
    static const unsigned char magic[8] = {
        0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1
    };

    return len >= 8 && memcmp(p, magic, 8) == 0;
}

/* Walk the archive A (already opened), keeping the parts. */
static int
walk_zip(zipread_t *z, struct archive *a, extract_result_t *out)
{
    struct archive_entry *e;
    const char *name;
    int r, i;

    for (;;) {
        r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF)
            return 0;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            set_error(out, "broken archive: %s",
                      archive_error_string(a) ? archive_error_string(a)
                                              : "unreadable entry");
            return -1;
        }
        if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0) {
            z->declared += (uint64_t)archive_entry_size(e);
            if (bomb_check(z, z->declared, out) < 0)
                return -1;
        }
        name = archive_entry_pathname(e);
        for (i = 0; i < N_PARTS; i++)
            if (name != NULL && strcmp(name, part_names[i]) == 0)
                break;
        if (i == N_PARTS || z->has[i]) {
            archive_read_data_skip(a);
            continue;
        }
        if (archive_entry_is_encrypted(e)) {
            set_error(out, "encrypted document (needs a password)");
            return -1;
        }
        z->has[i] = 1;
        if (read_part(z, a, &z->parts[i], name, out) < 0)
            return -1;
    }
}

/* ---------------------------------------------------------------- XML */

typedef struct xmlctx {
    char msg[256];
    int line;
} xmlctx_t;

static void
on_xml_error(void *ctx, xmlErrorPtr err)
{
    xmlctx_t *x = ctx;
    size_t n;

    if (x->msg[0] != '\0' || err == NULL || err->level < XML_ERR_ERROR)
        return;
    snprintf(x->msg, sizeof(x->msg), "%s",
             err->message ? err->message : "malformed");
    n = strlen(x->msg);
    while (n > 0 && (x->msg[n - 1] == '\n' || x->msg[n - 1] == ' '))
        x->msg[--n] = '\0';
    x->line = err->line;
}

static xmlTextReaderPtr
open_reader(const sbuf_t *b, const char *name, xmlctx_t *x)
{
    xmlTextReaderPtr r;

    /* NONET: no network; no NOENT and no DTDLOAD/DTDATTR: entities stay
     * references we drop, no external subset is read. */
    r = xmlReaderForMemory(b->p ? b->p : "", (int)b->len, name, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR
                           | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    if (r != NULL)
        xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, x);
    return r;
}

static int
is_el(xmlTextReaderPtr r, const char *ns, const char *local)
{
    const xmlChar *u = xmlTextReaderConstNamespaceUri(r);
    const xmlChar *l = xmlTextReaderConstLocalName(r);

    return u != NULL && l != NULL && strcmp((const char *)u, ns) == 0
        && strcmp((const char *)l, local) == 0;
}

/* What an element does to the body. */
enum role {
    R_OTHER,
    R_PARA,         /* w:p, text:p, text:h: a paragraph */
    R_TEXT,         /* w:t: its text is body text (DOCX only) */
    R_SPACE,        /* w:tab, w:br, w:cr, text:tab, text:line-break, text:s */
    R_SKIP          /* a subtree whose text is not body text */
};

static enum role
role_of(xmlTextReaderPtr r, int odt)
{
    if (odt) {
        if (is_el(r, NS_TEXT, "p") || is_el(r, NS_TEXT, "h"))
            return R_PARA;
        if (is_el(r, NS_TEXT, "tab") || is_el(r, NS_TEXT, "line-break")
            || is_el(r, NS_TEXT, "s"))
            return R_SPACE;
        if (is_el(r, NS_OFFICE, "annotation")
            || is_el(r, NS_TEXT, "tracked-changes"))
            return R_SKIP;
        return R_OTHER;
    }
    if (is_el(r, NS_W, "p"))
        return R_PARA;
    if (is_el(r, NS_W, "t"))
        return R_TEXT;
    if (is_el(r, NS_W, "tab") || is_el(r, NS_W, "br")
        || is_el(r, NS_W, "cr"))
        return R_SPACE;
    /* Deleted text and field instructions are not what a reader sees. */
    if (is_el(r, NS_W, "delText") || is_el(r, NS_W, "instrText"))
        return R_SKIP;
    return R_OTHER;
}

/* Keep the first paragraph as a fallback title. */
static int
note_para(const sbuf_t *body, size_t start, char **first)
{
    size_t n;

    if (*first != NULL || body->len <= start)
        return 0;
    n = utf8_cut(body->p + start, body->len - start, TITLE_MAX);
    return article_set_field(first, body->p + start, n);
}

/* Stream a body part into A.  Returns 0, or -1 with OUT->error set when
 * nothing could be read; a broken part after some text is a warning. */
static int
parse_body(const sbuf_t *part, const char *name, int odt, article_t *a,
           char **first_para, extract_result_t *out)
{
    xmlTextReaderPtr r;
    xmlctx_t x = { "", 0 };
    int ret, type, depth, in_text = 0, skip_depth = -1, para_depth = -1;
    size_t para_start = 0;
    const xmlChar *v;

    r = open_reader(part, name, &x);
    if (r == NULL) {
        set_error(out, "out of memory");
        return -1;
    }
    while ((ret = xmlTextReaderRead(r)) == 1) {
        type = xmlTextReaderNodeType(r);
        depth = xmlTextReaderDepth(r);
        if (skip_depth >= 0) {
            if (type == XML_READER_TYPE_END_ELEMENT && depth == skip_depth)
                skip_depth = -1;
            continue;
        }
        switch (type) {
        case XML_READER_TYPE_ELEMENT:
            switch (role_of(r, odt)) {
            case R_PARA:
                if (para_depth < 0) {
                    para_depth = depth;
                    if (article_para_break(&a->body) < 0)
                        goto nomem;
                    para_start = a->body.len;
                }
                break;
            case R_TEXT:
                if (!xmlTextReaderIsEmptyElement(r))
                    in_text++;
                break;
            case R_SPACE:
                if (article_text_add(&a->body, " ", 1) < 0)
                    goto nomem;
                break;
            case R_SKIP:
                if (!xmlTextReaderIsEmptyElement(r))
                    skip_depth = depth;
                break;
            default:
                break;
            }
            if (role_of(r, odt) == R_PARA && xmlTextReaderIsEmptyElement(r)
                && para_depth == depth)
                para_depth = -1;
            break;
        case XML_READER_TYPE_END_ELEMENT:
            if (!odt && in_text > 0 && is_el(r, NS_W, "t"))
                in_text--;
            if (depth == para_depth) {
                para_depth = -1;
                article_body_finish(&a->body);
                if (note_para(&a->body, para_start, first_para) < 0)
                    goto nomem;
                if (article_para_break(&a->body) < 0)
                    goto nomem;
            }
            break;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
            /* DOCX text lives in w:t only; ODT text anywhere in a
             * paragraph. */
            if (odt ? para_depth < 0 : in_text == 0)
                break;
            v = xmlTextReaderConstValue(r);
            if (v != NULL
                && article_text_add(&a->body, (const char *)v,
                                    strlen((const char *)v)) < 0)
                goto nomem;
            break;
        default:
            break;          /* entity references are dropped unexpanded */
        }
    }
    xmlFreeTextReader(r);
    article_body_finish(&a->body);
    if (ret < 0) {
        if (a->body.len == 0) {
            set_error(out, "broken XML in %s:%d: %s", name, x.line,
                      x.msg[0] ? x.msg : "malformed");
            return -1;
        }
        extract_diag_add(&out->warnings, "broken XML in %s:%d: %s; text "
                         "before it kept", name, x.line,
                         x.msg[0] ? x.msg : "malformed");
    }
    return 0;
nomem:
    xmlFreeTextReader(r);
    set_error(out, "out of memory");
    return -1;
}

/* The text of the element the reader is on, trimmed into *DST (kept when
 * already set). */
static int
take_text(xmlTextReaderPtr r, char **dst)
{
    xmlChar *s;
    int rc;

    if (*dst != NULL)
        return 0;
    s = xmlTextReaderReadString(r);
    if (s == NULL)
        return 0;
    rc = article_set_field(dst, (const char *)s, strlen((const char *)s));
    xmlFree(s);
    return rc;
}

/* Core properties (DOCX) or meta.xml (ODT) into A.  A broken part is a
 * warning: the body is what matters. */
static int
parse_meta(const sbuf_t *part, const char *name, int odt, article_t *a,
           extract_result_t *out)
{
    xmlTextReaderPtr r;
    xmlctx_t x = { "", 0 };
    char *creator = NULL, *initial = NULL, *s = NULL;
    int ret = 0, rc = 0;

    r = open_reader(part, name, &x);
    if (r == NULL)
        return -1;
    while (rc == 0 && (ret = xmlTextReaderRead(r)) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
            continue;
        if (is_el(r, NS_DC, "title"))
            rc = take_text(r, &a->title);
        else if (is_el(r, NS_DC, "creator"))
            rc = take_text(r, &creator);
        else if (odt && is_el(r, NS_META, "initial-creator"))
            rc = take_text(r, &initial);
        else if (is_el(r, NS_DC, "language"))
            rc = take_text(r, &a->lang);
        else if (odt ? is_el(r, NS_META, "creation-date")
                     : is_el(r, NS_DCTERMS, "created"))
            rc = take_text(r, &a->date);
        else if (odt ? is_el(r, NS_META, "keyword")
                     : is_el(r, NS_CP, "keywords")) {
            free(s);
            s = NULL;
            rc = take_text(r, &s);
            if (rc == 0 && s != NULL)
                rc = odt ? article_add_tag(a, s, strlen(s))
                         : article_add_tags_csv(a, s, strlen(s));
        }
    }
    xmlFreeTextReader(r);
    if (rc == 0 && ret < 0)
        extract_diag_add(&out->warnings, "broken XML in %s:%d: %s; "
                         "properties after it ignored", name, x.line,
                         x.msg[0] ? x.msg : "malformed");
    /* ODF's dc:creator is whoever saved it last; the author is the
     * initial creator. */
    if (rc == 0 && (initial || creator)) {
        const char *who = initial ? initial : creator;

        rc = article_add_author(a, who, strlen(who));
    }
    free(creator);
    free(initial);
    free(s);
    return rc;
}

/* ---------------------------------------------------------------- API */

static int
extract_archive(struct archive *a, uint64_t size,
                const extract_office_limits_t *lim, extract_result_t *out)
{
    static const extract_office_limits_t defaults =
        EXTRACT_OFFICE_LIMITS_DEFAULT;
    zipread_t z;
    article_t *art;
    char *first_para = NULL;
    int odt, rc = -1, i;

    memset(&z, 0, sizeof(z));
    for (i = 0; i < N_PARTS; i++)
        sbuf_init(&z.parts[i]);
    z.lim = lim ? lim : &defaults;
    z.archive_size = size;
    if (walk_zip(&z, a, out) < 0)
        goto done;
    if (z.has[P_DOCX_BODY])
        odt = 0;
    else if (z.has[P_ODT_BODY])
        odt = 1;
    else {
        set_error(out, "not a DOCX or ODT document (no word/document.xml "
                  "or content.xml)");
        goto done;
    }
    art = extract_result_push(out);
    if (art == NULL) {
        set_error(out, "out of memory");
        goto done;
    }
    if (parse_body(&z.parts[odt ? P_ODT_BODY : P_DOCX_BODY],
                   part_names[odt ? P_ODT_BODY : P_DOCX_BODY], odt, art,
                   &first_para, out) < 0)
        goto done;
    i = odt ? P_ODT_META : P_DOCX_CORE;
    if (z.has[i] && parse_meta(&z.parts[i], part_names[i], odt, art,
                               out) < 0) {
        set_error(out, "out of memory");
        goto done;
    }
    if (art->body.len == 0) {
        set_error(out, "no text");
        goto done;
    }
    if (art->title == NULL) {
        art->title = first_para;
        first_para = NULL;
    }
    rc = 0;
done:
    free(first_para);
    for (i = 0; i < N_PARTS; i++)
        sbuf_release(&z.parts[i]);
    if (rc < 0) {
        /* The contract: on error, no articles. */
        for (size_t k = 0; k < out->n; k++)
            article_release(&out->articles[k]);
        out->n = 0;
    }
    return rc;
}

static struct archive *
new_reader(void)
{
    struct archive *a = archive_read_new();

    if (a == NULL)
        return NULL;
    /* The seekable reader trusts the central directory, as unzip does,
     * and skips entries without inflating them. */
    archive_read_support_format_zip_seekable(a);
    return a;
}

static int
not_zip(const unsigned char *p, size_t len, extract_result_t *out)
{
    if (is_ole(p, len))
        set_error(out, "encrypted document or legacy binary format (OLE "
                  "compound file, not a zip archive)");
    else
        set_error(out, "not a zip archive");
    return -1;
}

int
extract_office_buffer(const void *buf, size_t len,
                      const extract_office_limits_t *lim,
                      extract_result_t *out)
{
    struct archive *a;
    int rc;

    if (len < 4 || memcmp(buf, "PK\3\4", 4) != 0)
        return not_zip(buf, len, out);
    a = new_reader();
    if (a == NULL) {
        set_error(out, "out of memory");
        return -1;
    }
    if (archive_read_open_memory(a, buf, len) != ARCHIVE_OK) {
        set_error(out, "broken archive: %s", archive_error_string(a)
                  ? archive_error_string(a) : "cannot open");
        archive_read_free(a);
        return -1;
    }
    rc = extract_archive(a, len, lim, out);
    archive_read_free(a);
    return rc;
}

int
extract_office_file(const char *path, const extract_office_limits_t *lim,
                    extract_result_t *out)
{
    struct archive *a;
    struct stat st;
    unsigned char head[8];
    FILE *f;
    size_t n;
    int rc;

    f = fopen(path, "rb");
    if (f == NULL) {
        set_error(out, "%s", strerror(errno));
        return -1;
    }
    n = fread(head, 1, sizeof(head), f);
    if (fstat(fileno(f), &st) < 0)
        st.st_size = 0;
    fclose(f);
    if (n < 4 || memcmp(head, "PK\3\4", 4) != 0)
        return not_zip(head, n, out);
    a = new_reader();
    if (a == NULL) {
        set_error(out, "out of memory");
        return -1;
    }
    if (archive_read_open_filename(a, path, 64 * 1024) != ARCHIVE_OK) {
        set_error(out, "broken archive: %s", archive_error_string(a)
                  ? archive_error_string(a) : "cannot open");
        archive_read_free(a);
        return -1;
    }
    rc = extract_archive(a, (uint64_t)st.st_size, lim, out);
    archive_read_free(a);
    return rc;
}
