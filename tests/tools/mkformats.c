/* mkformats.c - writes the PDF, DOCX, ODT and compressed test fixtures
 *
 * Run by tests/fixtures/formats/make-fixtures.sh (which also makes the
 * encrypted PDF with qpdf); the files it writes are committed, so the
 * tests never need this tool, zip or qpdf.  Every text is written for
 * dossier: fictional analysts on fictional NATO and Ukraine security
 * topics.  PDFs are hand-made PDF 1.4 with the standard Helvetica font
 * and an exact xref table; zips go through libarchive, gzip through zlib,
 * zstd through libzstd.  Output is deterministic (fixed dates, no
 * timestamps), so rerunning it changes nothing in git.
 *
 *   mkformats fixtures DIR      every fixture into DIR
 *   mkformats corpus DIR        the sample corpus's reports (PDF, DOCX,
 *                               ODT) into DIR (corpus/reports)
 *   mkformats bench-pdf N FILE  an N-page text PDF for the speed check
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE             /* vasprintf */
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>
#include <zstd.h>

/* ---------------------------------------------------------------- buffer */

typedef struct buf {
    char *p;
    size_t len, cap;
} buf_t;

static void
die(const char *what)
{
    fprintf(stderr, "mkformats: %s\n", what);
    exit(1);
}

static void
badd(buf_t *b, const void *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (b->p == NULL)
            die("out of memory");
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void bprintf(buf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
bprintf(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    char *tmp;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        die("out of memory");
    badd(b, tmp, (size_t)n);
    free(tmp);
}

static void
write_file(const char *dir, const char *name, const void *p, size_t n)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0)
        die(path);
}

/* ---------------------------------------------------------------- PDF */

typedef struct pdf {
    buf_t out;
    size_t offs[4096];
    int n_obj;
} pdf_t;

static void
obj_begin(pdf_t *d, int id)
{
    if (id >= 4096)
        die("too many PDF objects");
    d->offs[id] = d->out.len;
    if (id > d->n_obj)
        d->n_obj = id;
    bprintf(&d->out, "%d 0 obj\n", id);
}

static void
obj_stream(pdf_t *d, int id, const char *dict, const buf_t *data)
{
    obj_begin(d, id);
    bprintf(&d->out, "<< %s /Length %zu >>\nstream\n", dict ? dict : "",
            data->len);
    badd(&d->out, data->p, data->len);
    bprintf(&d->out, "\nendstream\nendobj\n");
}

/* A PDF string: ( ) \ escaped; bytes over 0x7e as octal (WinAnsi and
 * PDFDocEncoding agree on Latin-1 letters). */
static void
pdf_str(buf_t *b, const char *s)
{
    badd(b, "(", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '(' || c == ')' || c == '\\')
            bprintf(b, "\\%c", c);
        else if (c < 0x20 || c > 0x7e)
            bprintf(b, "\\%03o", c);
        else
            badd(b, s, 1);
    }
    badd(b, ")", 1);
}

/* UTF-8 to Latin-1 for the few accented letters used here. */
static void
latin1(char *dst, const char *src, size_t cap)
{
    size_t o = 0;
    const unsigned char *s = (const unsigned char *)src;

    while (*s && o + 1 < cap) {
        if (s[0] == 0xc3 && s[1]) {
            dst[o++] = (char)(s[1] + 0x40);
            s += 2;
        } else
            dst[o++] = (char)*s++;
    }
    dst[o] = '\0';
}

#define LINE_CHARS 88
#define PAGE_LINES 52

/* One page's content stream: the paragraphs of TEXT ("\n\n" between
 * them) wrapped to LINE_CHARS, Helvetica 10 pt, 13 pt leading. */
static void
page_content(buf_t *c, const char *text, int heading)
{
    char para[8192], line[LINE_CHARS + 1], l1[LINE_CHARS * 2 + 1];
    const char *p = text, *end;
    size_t n, w, start, brk, k;
    int lines = 0;

    bprintf(c, "BT\n/F1 10 Tf\n13 TL\n56 770 Td\n");
    while (*p && lines < PAGE_LINES) {
        end = strstr(p, "\n\n");
        n = end ? (size_t)(end - p) : strlen(p);
        if (n >= sizeof(para))
            n = sizeof(para) - 1;
        memcpy(para, p, n);
        para[n] = '\0';
        if (heading) {
            bprintf(c, "/F1 16 Tf\n");
        }
        start = 0;
        while (start < n && lines < PAGE_LINES) {
            w = n - start;
            if (w > LINE_CHARS) {
                brk = start + LINE_CHARS;
                while (brk > start && para[brk] != ' ')
                    brk--;
                if (brk == start)
                    brk = start + LINE_CHARS;
                w = brk - start;
            }
            memcpy(line, para + start, w);
            line[w] = '\0';
            latin1(l1, line, sizeof(l1));
            pdf_str(c, l1);
            bprintf(c, " Tj T*\n");
            lines++;
            start += w;
            while (start < n && para[start] == ' ')
                start++;
        }
        if (heading) {
            bprintf(c, "/F1 10 Tf\n");
            heading = 0;
        }
        bprintf(c, "T*\n");
        lines++;
        p = end ? end + 2 : p + n;
        for (k = 0; k < 1 && *p == '\n'; k++)
            p++;
    }
    bprintf(c, "ET\n");
}

typedef struct pdf_info {
    const char *title, *author, *date, *keywords;   /* UTF-8 or NULL */
} pdf_info_t;

/* A PDF of N pages; page I's text is PAGES[I] (NULL: an image page, as
 * a scanner makes).  The first page's first paragraph is set large. */
static void
make_pdf(buf_t *out, const char *const *pages, int n, const pdf_info_t *info)
{
    pdf_t d;
    buf_t c = { 0 }, kids = { 0 }, tmp = { 0 };
    char l1[1024];
    size_t xref;
    int i, id;

    memset(&d, 0, sizeof(d));
    bprintf(&d.out, "%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n");
    for (i = 0; i < n; i++)
        bprintf(&kids, "%d 0 R ", 6 + 3 * i);

    obj_begin(&d, 1);
    bprintf(&d.out, "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    obj_begin(&d, 2);
    bprintf(&d.out, "<< /Type /Pages /Kids [ %s] /Count %d >>\nendobj\n",
            kids.p ? kids.p : "", n);
    obj_begin(&d, 3);
    bprintf(&d.out, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
            "/Encoding /WinAnsiEncoding >>\nendobj\n");
    obj_begin(&d, 4);
    if (info) {
        tmp.len = 0;
        bprintf(&tmp, "<< /Producer (dossier mkformats)");
        if (info->title) {
            latin1(l1, info->title, sizeof(l1));
            bprintf(&tmp, " /Title ");
            pdf_str(&tmp, l1);
        }
        if (info->author) {
            latin1(l1, info->author, sizeof(l1));
            bprintf(&tmp, " /Author ");
            pdf_str(&tmp, l1);
        }
        if (info->keywords) {
            bprintf(&tmp, " /Keywords ");
            pdf_str(&tmp, info->keywords);
        }
        if (info->date)
            bprintf(&tmp, " /CreationDate (%s)", info->date);
        bprintf(&tmp, " >>");
        bprintf(&d.out, "%s\nendobj\n", tmp.p);
    } else
        bprintf(&d.out, "<< /Producer (dossier mkformats) >>\nendobj\n");
    /* A small grey image for scanned pages: 16x16, 8 bits. */
    tmp.len = 0;
    for (i = 0; i < 256; i++) {
        unsigned char px = (unsigned char)((i * 37) & 0xff);

        badd(&tmp, &px, 1);
    }
    obj_stream(&d, 5, "/Type /XObject /Subtype /Image /Width 16 /Height 16 "
               "/ColorSpace /DeviceGray /BitsPerComponent 8", &tmp);

    for (i = 0; i < n; i++) {
        id = 6 + 3 * i;
        obj_begin(&d, id);
        bprintf(&d.out, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
                " /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 5 0 R"
                " >> >> /Contents %d 0 R >>\nendobj\n", id + 1);
        c.len = 0;
        if (pages[i])
            page_content(&c, pages[i], i == 0);
        else
            bprintf(&c, "q 480 0 0 700 56 70 cm /Im1 Do Q\n");
        obj_stream(&d, id + 1, NULL, &c);
        /* id + 2 is unused: a free entry keeps numbering simple. */
    }
    xref = d.out.len;
    bprintf(&d.out, "xref\n0 %d\n0000000000 65535 f \n", d.n_obj + 1);
    for (i = 1; i <= d.n_obj; i++) {
        if (d.offs[i])
            bprintf(&d.out, "%010zu 00000 n \n", d.offs[i]);
        else
            bprintf(&d.out, "0000000000 65535 f \n");
    }
    bprintf(&d.out, "trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n"
            "startxref\n%zu\n%%%%EOF\n", d.n_obj + 1, xref);
    *out = d.out;
    free(c.p);
    free(kids.p);
    free(tmp.p);
}

/* ---------------------------------------------------------------- zip */

typedef struct zentry {
    const char *name;
    const char *data;       /* NULL: SIZE bytes of spaces (a bomb) */
    size_t size;
    int store;              /* no compression (ODF's mimetype) */
} zentry_t;

static void
make_zip(const char *dir, const char *name, const zentry_t *e, int n)
{
    char path[4096];
    struct archive *a;
    struct archive_entry *ae;
    static char chunk[1 << 16];
    size_t left, k;
    int i;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    a = archive_write_new();
    archive_write_set_format_zip(a);
    if (archive_write_open_filename(a, path) != ARCHIVE_OK)
        die(archive_error_string(a));
    memset(chunk, ' ', sizeof(chunk));
    for (i = 0; i < n; i++) {
        /* Per entry (an option can only be set before opening). */
        if (e[i].store)
            archive_write_zip_set_compression_store(a);
        else
            archive_write_zip_set_compression_deflate(a);
        ae = archive_entry_new();
        archive_entry_set_pathname(ae, e[i].name);
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_perm(ae, 0644);
        archive_entry_set_mtime(ae, 1741953600, 0);   /* 2025-03-14 */
        left = e[i].data ? strlen(e[i].data) : e[i].size;
        archive_entry_set_size(ae, (la_int64_t)left);
        if (archive_write_header(a, ae) != ARCHIVE_OK)
            die(archive_error_string(a));
        if (e[i].data)
            archive_write_data(a, e[i].data, left);
        else
            while (left > 0) {
                k = left < sizeof(chunk) ? left : sizeof(chunk);
                archive_write_data(a, chunk, k);
                left -= k;
            }
        archive_entry_free(ae);
    }
    if (archive_write_close(a) != ARCHIVE_OK)
        die(archive_error_string(a));
    archive_write_free(a);
}

/* ---------------------------------------------------------------- gz, zst */

static void
gz_append(buf_t *out, const char *p, size_t n)
{
    z_stream s;
    unsigned char tmp[1 << 16];
    int ret;

    memset(&s, 0, sizeof(s));
    if (deflateInit2(&s, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY)
        != Z_OK)
        die("deflateInit2");
    s.next_in = (unsigned char *)p;
    s.avail_in = (uInt)n;
    do {
        s.next_out = tmp;
        s.avail_out = sizeof(tmp);
        ret = deflate(&s, Z_FINISH);
        badd(out, tmp, sizeof(tmp) - s.avail_out);
    } while (ret == Z_OK);
    if (ret != Z_STREAM_END)
        die("deflate");
    deflateEnd(&s);
}

static void
zst_append(buf_t *out, const char *p, size_t n)
{
    size_t cap = ZSTD_compressBound(n), r;
    char *tmp = malloc(cap);

    if (tmp == NULL)
        die("out of memory");
    r = ZSTD_compress(tmp, cap, p, n, 19);
    if (ZSTD_isError(r))
        die(ZSTD_getErrorName(r));
    badd(out, tmp, r);
    free(tmp);
}

/* ---------------------------------------------------------------- text */

/* The project's own text (fictional people, places real). */
static const char *const air_policing[] = {
    "Rotations Over the Baltic: What Air Policing Teaches About Deterrence"
    "\n\n"
    "Since 2004 the Baltic states have relied on allied fighters for the "
    "peacetime policing of their airspace. This note reviews the rotation "
    "model, its costs for contributing nations, and what the experience "
    "suggests for an enhanced posture along the eastern flank."
    "\n\n"
    "The first lesson is that predictability deters. Scramble times, "
    "published rotations and shared radar pictures leave little room for "
    "a probing flight to test resolve without being seen and met.",

    "Costs and Burden Sharing"
    "\n\n"
    "Contributing air forces carry fuel, maintenance and personnel costs "
    "that rarely appear in headline spending figures. Smaller allies "
    "report that a four-month detachment absorbs most of their annual "
    "flying hours for quick reaction alert."
    "\n\n"
    "A pooled fund for host-nation support would spread the load, but "
    "negotiations have stalled over who audits it.",

    "Recommendations"
    "\n\n"
    "Extend rotations to six months, co-locate ground-based air defence "
    "with the fighter detachments, and publish an annual interception "
    "report so that parliaments can see what their contribution buys. "
    "Security guarantees are credible when they are visible.",
};

static const char *const grain_corridor[] = {
    "Insuring the Black Sea Grain Corridor"
    "\n\n"
    "War-risk premiums for ships calling at Odesa rose tenfold in the "
    "first months of the full-scale invasion. This briefing follows how "
    "a state-backed reinsurance facility brought them down, and what "
    "would make the arrangement survive a renewed blockade.",

    "Three conditions matter most: a naval presence that ship owners "
    "trust, a claims process that pays within weeks rather than years, "
    "and port air defence strong enough that underwriters stop pricing "
    "in a missile strike on every voyage."
    "\n\n"
    "Each of them depends on partners outside the region.",
};

static const char *const junk_title_page[] = {
    "Logistics Hubs on the Eastern Flank"
    "\n\n"
    "Rail gauge breaks at the Polish border still slow the movement of "
    "heavy equipment toward the Baltic states. Pre-positioned stocks in "
    "Lithuania shorten the timeline, but only if the depots are defended "
    "and the rail links behind them are kept open under fire.",
};

static const char *const scanned_pages[] = { NULL, NULL };

/* A cover page printed twice, as some exports do: the repeat is indexed
 * once, and the third page must still be page 3. */
static const char *const repeated_pages[] = {
    "Readiness Notes: Cover"
    "\n\n"
    "Prepared for the defence committee. Not for circulation.",
    "Readiness Notes: Cover"
    "\n\n"
    "Prepared for the defence committee. Not for circulation.",
    "Spare barrels for towed howitzers are the item units ask for most, "
    "ahead of tyres and radios.",
};

/* DOCX: word/document.xml with split runs, a tab, a deleted run and a
 * field code (neither of which a reader sees). */
static const char docx_document[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
    "wordprocessingml/2006/main\">"
    "<w:body>"
    "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr>"
    "<w:r><w:t>Sanctions Enforcement at Sea</w:t></w:r></w:p>"
    "<w:p><w:r><w:t xml:space=\"preserve\">Shadow fleet tankers keep "
    "Russian crude moving despite the price cap. Boarding them is rarely "
    "lawful, but insurance checks in the Danish straits are.</w:t></w:r>"
    "</w:p>"
    "<w:p><w:r><w:t xml:space=\"preserve\">Coastal states can demand "
    "proof of cover from every ship that anchors in their waters; a "
    "tanker without it is a </w:t></w:r><w:r><w:t>secu</w:t></w:r>"
    "<w:r><w:t>rity risk</w:t></w:r><w:r><w:tab/><w:t>and an "
    "environmental one.</w:t></w:r>"
    "<w:del><w:r><w:delText>This sentence was deleted.</w:delText></w:r>"
    "</w:del>"
    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
    "<w:r><w:instrText>HYPERLINK \"https://example.org/field\"</w:instrText>"
    "</w:r></w:p>"
    "<w:p><w:r><w:t>Zelenskyy has asked allies to treat the shadow fleet "
    "as a threat to Baltic security, not only to sanctions.</w:t></w:r>"
    "</w:p>"
    "</w:body></w:document>\n";

static const char docx_core[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/"
    "package/2006/metadata/core-properties\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
    "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
    "<dc:title>Sanctions Enforcement at Sea</dc:title>"
    "<dc:creator>Ingrid Solberg</dc:creator>"
    "<cp:lastModifiedBy>Editor On Duty</cp:lastModifiedBy>"
    "<cp:keywords>sanctions, shadow fleet, Baltic</cp:keywords>"
    "<dc:language>en-GB</dc:language>"
    "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2025-02-20T09:30:00Z"
    "</dcterms:created>"
    "</cp:coreProperties>\n";

static const char docx_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "content-types\"><Default Extension=\"rels\" ContentType=\"application/"
    "vnd.openxmlformats-package.relationships+xml\"/><Default Extension="
    "\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/"
    "document.xml\" ContentType=\"application/vnd.openxmlformats-"
    "officedocument.wordprocessingml.document.main+xml\"/><Override "
    "PartName=\"/docProps/core.xml\" ContentType=\"application/vnd."
    "openxmlformats-package.core-properties+xml\"/></Types>\n";

static const char docx_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas."
    "openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://"
    "schemas.openxmlformats.org/package/2006/relationships/metadata/core-"
    "properties\" Target=\"docProps/core.xml\"/></Relationships>\n";

/* A document.xml that tries an external entity: the parser must neither
 * read the file nor put its text in the body. */
static const char docx_xxe[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE w:document [\n"
    "  <!ENTITY xxe SYSTEM \"file:///etc/hostname\">\n"
    "  <!ENTITY remote SYSTEM \"http://127.0.0.1:9/x.xml\">\n"
    "]>\n"
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
    "wordprocessingml/2006/main\"><w:body>"
    "<w:p><w:r><w:t>Entity check: [&xxe;] [&remote;] done.</w:t></w:r></w:p>"
    "</w:body></w:document>\n";

static const char odt_content[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<office:document-content "
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.3\">"
    "<office:body><office:text>"
    "<text:h text:outline-level=\"1\">Demining the Kharkiv Farmland</text:h>"
    "<text:p>Before a field can be sown it must be cleared, and clearing "
    "one hectare by hand can take a team of four a whole week.</text:p>"
    "<text:p>Machines<text:s text:c=\"3\"/>speed it up,<text:tab/>but they "
    "cannot reach tree lines or<text:line-break/>irrigation ditches."
    "<office:annotation><dc:creator>Reviewer</dc:creator>"
    "<text:p>Check the hectare figure.</text:p></office:annotation></text:p>"
    "<text:p>Insurers and donors now ask for <text:span>survey</text:span> "
    "maps before they fund a season: security of the food supply begins "
    "with the <text:a xlink:href=\"https://example.org\" "
    "xmlns:xlink=\"http://www.w3.org/1999/xlink\">survey</text:a>.</text:p>"
    "</office:text></office:body></office:document-content>\n";

static const char odt_meta[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<office:document-meta "
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.3\">"
    "<office:meta>"
    "<dc:title>Demining the Kharkiv Farmland</dc:title>"
    "<meta:initial-creator>Oleksandr Hrytsenko</meta:initial-creator>"
    "<dc:creator>Copy Desk</dc:creator>"
    "<meta:creation-date>2025-04-02T14:05:00</meta:creation-date>"
    "<meta:keyword>demining</meta:keyword>"
    "<meta:keyword>agriculture</meta:keyword>"
    "<dc:language>en</dc:language>"
    "</office:meta></office:document-meta>\n";

static const char odt_manifest[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:"
    "xmlns:manifest:1.0\" manifest:version=\"1.3\">"
    "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type="
    "\"application/vnd.oasis.opendocument.text\"/>"
    "<manifest:file-entry manifest:full-path=\"content.xml\" "
    "manifest:media-type=\"text/xml\"/>"
    "<manifest:file-entry manifest:full-path=\"meta.xml\" "
    "manifest:media-type=\"text/xml\"/>"
    "</manifest:manifest>\n";

/* JSON Lines posts for the compressed fixtures. */
static void
posts(buf_t *b, int n)
{
    static const char *const who[] = {
        "Marta Kovalenko", "Pieter Jansen", "Lucía Ferreira",
        "Oleksandr Hrytsenko", "Ingrid Solberg",
    };
    static const char *const what[] = {
        "air defence interceptors for Kharkiv",
        "rail capacity on the Polish border",
        "insurance for ships calling at Odesa",
        "the next Ramstein-format meeting",
        "security guarantees in a ceasefire text",
    };
    int i;

    for (i = 0; i < n; i++)
        bprintf(b, "{\"id\": \"p%03d\", \"author\": \"%s\", \"date\": "
                "\"2025-03-%02d\", \"text\": \"Post %d on %s: allies "
                "weigh costs and timelines, and analysts disagree.\"}\n",
                i + 1, who[i % 5], i % 28 + 1, i + 1, what[i % 5]);
}

/* ---------------------------------------------------------------- main */

static void
fixtures(const char *dir)
{
    buf_t b = { 0 }, t = { 0 };
    char *big;
    size_t n;
    static const pdf_info_t air = {
        "Rotations Over the Baltic", "Marta Kovalenko; Lucía Ferreira",
        "D:20250314093000+01'00'", "air policing, Baltic, deterrence",
    };
    static const pdf_info_t junk = {
        "Microsoft Word - flank-logistics-v3.docx", "Pieter Jansen",
        "D:20241105", NULL,
    };

    make_pdf(&b, air_policing, 3, &air);
    write_file(dir, "air-policing.pdf", b.p, b.len);
    /* Cut inside the first page's content stream: no xref, no trailer,
     * no page tree for poppler to rebuild from. */
    write_file(dir, "truncated.pdf", b.p, 400);
    free(b.p);

    b = (buf_t){ 0 };
    make_pdf(&b, grain_corridor, 2, NULL);
    write_file(dir, "grain-corridor.pdf", b.p, b.len);
    free(b.p);

    b = (buf_t){ 0 };
    make_pdf(&b, junk_title_page, 1, &junk);
    write_file(dir, "flank-logistics.pdf", b.p, b.len);
    free(b.p);

    b = (buf_t){ 0 };
    make_pdf(&b, scanned_pages, 2, NULL);
    write_file(dir, "scanned.pdf", b.p, b.len);
    free(b.p);

    b = (buf_t){ 0 };
    make_pdf(&b, repeated_pages, 3, NULL);
    write_file(dir, "repeated-cover.pdf", b.p, b.len);
    free(b.p);

    {
        const zentry_t docx[] = {
            { "[Content_Types].xml", docx_types, 0, 0 },
            { "_rels/.rels", docx_rels, 0, 0 },
            { "word/document.xml", docx_document, 0, 0 },
            { "docProps/core.xml", docx_core, 0, 0 },
        };
        const zentry_t xxe[] = {
            { "[Content_Types].xml", docx_types, 0, 0 },
            { "word/document.xml", docx_xxe, 0, 0 },
        };
        const zentry_t odt[] = {
            { "mimetype", "application/vnd.oasis.opendocument.text", 0, 1 },
            { "META-INF/manifest.xml", odt_manifest, 0, 0 },
            { "content.xml", odt_content, 0, 0 },
            { "meta.xml", odt_meta, 0, 0 },
        };
        /* 80 MiB of spaces in the body part: about 80 KB zipped. */
        const zentry_t bomb[] = {
            { "[Content_Types].xml", docx_types, 0, 0 },
            { "word/document.xml", NULL, (size_t)80 << 20, 0 },
        };

        make_zip(dir, "shadow-fleet.docx", docx, 4);
        make_zip(dir, "xxe.docx", xxe, 2);
        make_zip(dir, "demining.odt", odt, 4);
        make_zip(dir, "zip-bomb.docx", bomb, 2);
    }

    /* Compressed JSON Lines: a gzip of two members (as `cat a.gz b.gz`
     * makes), a zstd file, a truncated gzip and zstd. */
    b = (buf_t){ 0 };
    posts(&b, 40);
    t = (buf_t){ 0 };
    n = b.len / 2;
    while (b.p[n - 1] != '\n')
        n--;
    gz_append(&t, b.p, n);
    gz_append(&t, b.p + n, b.len - n);
    write_file(dir, "posts.jsonl.gz", t.p, t.len);
    write_file(dir, "truncated.jsonl.gz", t.p, t.len / 3);
    t.len = 0;
    zst_append(&t, b.p, b.len);
    write_file(dir, "posts.jsonl.zst", t.p, t.len);
    write_file(dir, "truncated.jsonl.zst", t.p, t.len / 2);
    write_file(dir, "posts.jsonl", b.p, b.len);
    free(b.p);

    /* Bombs: one repeated post line, 24 MiB gzipped (past zstream's 16 MiB
     * grace; gzip tops out near 400:1 on it), 64 MiB zstd. */
    n = (size_t)64 << 20;
    big = malloc(n);
    if (big == NULL)
        die("out of memory");
    {
        static const char line[] = "{\"text\": \"again and again\"}\n";
        size_t k, l = sizeof(line) - 1;

        for (k = 0; k + l <= n; k += l)
            memcpy(big + k, line, l);
        memset(big + k, '\n', n - k);
    }
    t.len = 0;
    gz_append(&t, big, (size_t)24 << 20);
    write_file(dir, "bomb.jsonl.gz", t.p, t.len);
    t.len = 0;
    zst_append(&t, big, n);
    write_file(dir, "bomb.jsonl.zst", t.p, t.len);
    free(big);

    /* One-document text files, compressed: Markdown in gzip, text in
     * zstd, and a gzip cut short (one document: dropped, named). */
    {
        static const char md[] =
            "---\n"
            "title: Winter Repairs to the Grid\n"
            "author: Olena Hrytsenko\n"
            "date: 2025-01-20\n"
            "source: Eastern Flank Monitor\n"
            "---\n\n"
            "Transformer stocks decide how fast a city gets its heating "
            "back after a strike. Donors now ship spare autotransformers "
            "before the winter rather than after it.\n\n"
            "Repair crews in Kharkiv work under the same air raid alerts "
            "as everyone else, and every hour lost to an alert is an hour "
            "without power for a district.\n";
        static const char txt[] =
            "Title: Rail Gauge and the Baltic Timeline\n"
            "Author: Pieter Jansen\n"
            "Date: 2024-12-02\n\n"
            "Moving a brigade's heavy equipment from Poland to Lithuania "
            "still means changing gauge at the border. Reloading yards "
            "near Mockava are the bottleneck planners worry about.\n";

        t.len = 0;
        gz_append(&t, md, sizeof(md) - 1);
        write_file(dir, "grid-repairs.md.gz", t.p, t.len);
        write_file(dir, "truncated.md.gz", t.p, t.len * 2 / 3);
        t.len = 0;
        zst_append(&t, txt, sizeof(txt) - 1);
        write_file(dir, "rail-gauge.txt.zst", t.p, t.len);
    }
    free(t.p);
}

/* ---------------------------------------------------------------- corpus */

/* The sample corpus's reports (corpus/reports/): the project's own text,
 * fictional analysts, no quotes of real people.  Regenerated with
 * `mkformats corpus corpus/reports`; the files are committed. */
static const char *const cables_pages[] = {
    "Cables on the Seabed: Protecting Baltic Infrastructure"
    "\n\n"
    "Power and data cables under the Baltic Sea carry electricity between "
    "the grids of the littoral states and most of the region's internet "
    "traffic. Several were cut in 2023 and 2024 by merchant ships dragging "
    "their anchors for tens of kilometres, and investigators struggled to "
    "prove intent."
    "\n\n"
    "This report looks at what allied navies can watch, what coastal "
    "states can lawfully do to a ship in their economic zones, and how "
    "repair capacity could be pooled.",

    "Surveillance and Attribution"
    "\n\n"
    "Maritime patrol aircraft, uncrewed surface vessels and seabed sensors "
    "can show where a ship went, but not why its anchor was down. "
    "Attribution depends on boarding the vessel quickly, inspecting the "
    "anchor chain and reading the voyage data recorder before it is "
    "overwritten."
    "\n\n"
    "Flag states and insurers hold the records that matter; agreements "
    "signed in peacetime decide whether they are handed over within days "
    "or within months.",

    "Repair Capacity"
    "\n\n"
    "Only a handful of cable-laying ships serve the whole region, and a "
    "single repair takes weeks in winter weather. A shared reserve of "
    "spare cable and jointing kits, stored in two ports, would shorten "
    "outages more than any new patrol."
    "\n\n"
    "Recommendations: fund the reserve jointly, rehearse a boarding under "
    "the law of the sea every year, and publish the findings of each "
    "investigation so that deterrence rests on evidence.",
};

static const char *const pilots_pages[] = {
    "Training Pipelines for Fighter Pilots"
    "\n\n"
    "By Viktor Ivanenko"
    "\n\n"
    "3 June 2024"
    "\n\n"
    "Donated aircraft are only as useful as the crews and mechanics who "
    "keep them flying. Flight schools in Denmark, Romania and the United "
    "States have trained the first groups, but the pipeline remains "
    "narrow: language courses alone take months before a cadet sits in a "
    "simulator.",

    "Maintenance crews are the harder bottleneck. A squadron needs several "
    "times more technicians than pilots, and their training is spread "
    "over engines, avionics, weapons loading and ground equipment."
    "\n\n"
    "Partners could shorten the pipeline by teaching maintenance in the "
    "trainees' own language, by sending mobile teams to dispersed "
    "airfields, and by counting simulator hours toward qualification.",
};

static const char *const water_pages[] = {
    "Cyber Defence of Municipal Water Utilities"
    "\n\n"
    "Municipal water companies run pumps and treatment plants through "
    "industrial control systems that were never meant to face a state "
    "adversary. Intrusions into utilities in several allied countries "
    "have shown how little it takes to change a chemical dosing setting.",

    "Small utilities cannot afford a security operations centre of their "
    "own. Regional pooling, where one team watches the networks of a "
    "dozen municipalities, has worked in the Baltic states and in Poland."
    "\n\n"
    "Exercises that include the water sector, not only energy and "
    "telecommunications, reveal dependencies on backup generators and on "
    "a few suppliers of control software.",

    "Recommendations"
    "\n\n"
    "Separate control networks from office networks, keep manual overrides "
    "for dosing pumps, share indicators of compromise through the national "
    "response teams, and fund the pooled monitoring from resilience "
    "budgets that allies already count toward their commitments.",
};

static const char corpus_docx_document[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
    "wordprocessingml/2006/main\">"
    "<w:body>"
    "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr>"
    "<w:r><w:t>Winter Fuel for Field Hospitals</w:t></w:r></w:p>"
    "<w:p><w:r><w:t xml:space=\"preserve\">Field hospitals near the front "
    "line depend on diesel generators for surgery, heating and the cold "
    "chain for blood. Strikes on fuel depots in the autumn left several "
    "of them with stocks for a few days.</w:t></w:r></w:p>"
    "<w:p><w:r><w:t xml:space=\"preserve\">Donors have shipped "
    "generators faster than fuel. A memo from the medical logistics cell "
    "asks partners to fund dispersed tanks, solar panels with batteries "
    "for lighting and refrigeration, and </w:t></w:r><w:r><w:t>heat "
    "pumps</w:t></w:r><w:r><w:t xml:space=\"preserve\"> for the wards "
    "that stay open all winter.</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>Every litre saved on heating is a litre kept for the "
    "operating theatre.</w:t></w:r></w:p>"
    "</w:body></w:document>\n";

static const char corpus_docx_core[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/"
    "package/2006/metadata/core-properties\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
    "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
    "<dc:title>Winter Fuel for Field Hospitals</dc:title>"
    "<dc:creator>Tomáš Dvořák</dc:creator>"
    "<cp:keywords>medical logistics, energy, winter</cp:keywords>"
    "<dc:language>en</dc:language>"
    "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2025-02-03T10:00:00Z"
    "</dcterms:created>"
    "</cp:coreProperties>\n";

static const char corpus_odt_content[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<office:document-content "
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
    "office:version=\"1.3\">"
    "<office:body><office:text>"
    "<text:h text:outline-level=\"1\">Countering Disinformation in "
    "Moldova</text:h>"
    "<text:p>Moldova's elections have drawn coordinated campaigns of "
    "paid posts, cloned news sites and vote-buying networks run through "
    "messaging channels.</text:p>"
    "<text:p>The response that worked best was not censorship but speed: "
    "election authorities and independent fact-checkers published "
    "corrections within hours, in Romanian and in Russian, and platforms "
    "removed networks of fake accounts once they were documented.</text:p>"
    "<text:p>European partners can help by funding local newsrooms and by "
    "sharing the technical traces of campaigns seen elsewhere in the "
    "region.</text:p>"
    "</office:text></office:body></office:document-content>\n";

static const char corpus_odt_meta[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<office:document-meta "
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.3\">"
    "<office:meta>"
    "<dc:title>Countering Disinformation in Moldova</dc:title>"
    "<meta:initial-creator>Gintaras Žemaitis</meta:initial-creator>"
    "<meta:creation-date>2024-10-15T08:00:00</meta:creation-date>"
    "<meta:keyword>disinformation</meta:keyword>"
    "<meta:keyword>Moldova</meta:keyword>"
    "<dc:language>en</dc:language>"
    "</office:meta></office:document-meta>\n";

static void
corpus(const char *dir)
{
    buf_t b = { 0 };
    static const pdf_info_t cables = {
        "Cables on the Seabed: Protecting Baltic Infrastructure",
        "Henrik Østergaard; Marta Kowalczyk", "D:20241210090000Z",
        "undersea cables, Baltic Sea, critical infrastructure",
    };
    static const pdf_info_t water = {
        "Cyber Defence of Municipal Water Utilities", "Emma Lindström",
        "D:20250611", "cyber, resilience, water",
    };
    const zentry_t docx[] = {
        { "[Content_Types].xml", docx_types, 0, 0 },
        { "_rels/.rels", docx_rels, 0, 0 },
        { "word/document.xml", corpus_docx_document, 0, 0 },
        { "docProps/core.xml", corpus_docx_core, 0, 0 },
    };
    const zentry_t odt[] = {
        { "mimetype", "application/vnd.oasis.opendocument.text", 0, 1 },
        { "META-INF/manifest.xml", odt_manifest, 0, 0 },
        { "content.xml", corpus_odt_content, 0, 0 },
        { "meta.xml", corpus_odt_meta, 0, 0 },
    };

    make_pdf(&b, cables_pages, 3, &cables);
    write_file(dir, "2024-12-baltic-seabed-cables.pdf", b.p, b.len);
    free(b.p);
    /* No information dictionary entries: the byline and the date line of
     * the first page stand in for them. */
    b = (buf_t){ 0 };
    make_pdf(&b, pilots_pages, 2, NULL);
    write_file(dir, "2024-06-fighter-pilot-training.pdf", b.p, b.len);
    free(b.p);
    b = (buf_t){ 0 };
    make_pdf(&b, water_pages, 3, &water);
    write_file(dir, "2025-06-water-utilities-cyber.pdf", b.p, b.len);
    free(b.p);
    make_zip(dir, "2025-02-field-hospital-fuel.docx", docx, 4);
    make_zip(dir, "2024-10-moldova-disinformation.odt", odt, 4);
}

/* An N-page report for the speed check: varied sentences from a fixed
 * generator, about 45 lines per page. */
static void
bench_pdf(int n, const char *path)
{
    static const char *const subj[] = {
        "The alliance", "Each rotation", "The ministry", "A frontline unit",
        "The logistics hub", "Allied planners", "The air defence battery",
        "The grain corridor", "The ceasefire text", "Every contributor",
    };
    static const char *const verb[] = {
        "depends on", "has strengthened", "cannot replace", "now budgets for",
        "is measured against", "should publish", "has delayed",
        "will test",
    };
    static const char *const obj[] = {
        "security guarantees", "interceptor stocks", "rail capacity",
        "host-nation support", "early warning radar", "sanctions enforcement",
        "maritime insurance", "reconstruction finance", "training cycles",
        "ammunition production",
    };
    const char **pages;
    buf_t out = { 0 };
    unsigned seed = 12345;
    char *text;
    size_t len;
    int i, s, w;
    FILE *f;

    pages = calloc((size_t)n, sizeof(*pages));
    if (pages == NULL)
        die("out of memory");
    for (i = 0; i < n; i++) {
        buf_t p = { 0 };

        bprintf(&p, "Section %d: Notes on Eastern Flank Readiness\n\n", i + 1);
        for (s = 0; s < 40; s++) {
            for (w = 0; w < 3; w++) {
                seed = seed * 1103515245u + 12345u;
                bprintf(&p, "%s %s %s in %s. ", subj[(seed >> 8) % 10],
                        verb[(seed >> 12) % 8], obj[(seed >> 16) % 10],
                        (seed >> 20) % 2 ? "Kharkiv" : "the Baltic region");
            }
            if (s % 8 == 7)
                bprintf(&p, "\n\n");
        }
        pages[i] = p.p;
    }
    make_pdf(&out, pages, n, NULL);
    text = out.p;
    len = out.len;
    f = fopen(path, "wb");
    if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0)
        die(path);
    for (i = 0; i < n; i++)
        free((char *)pages[i]);
    free(pages);
    free(out.p);
}

int
main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "fixtures") == 0)
        fixtures(argv[2]);
    else if (argc == 3 && strcmp(argv[1], "corpus") == 0)
        corpus(argv[2]);
    else if (argc == 4 && strcmp(argv[1], "bench-pdf") == 0)
        bench_pdf(atoi(argv[2]), argv[3]);
    else {
        fprintf(stderr, "usage: mkformats fixtures DIR\n"
                "       mkformats corpus DIR\n"
                "       mkformats bench-pdf N FILE\n");
        return 2;
    }
    return 0;
}
