/* check_formats.c - unit tests of the PDF, Office, sandbox and zstream
 *
 * Inputs are the committed fixtures under tests/fixtures/formats/ (made by
 * its make-fixtures.sh; the tests never run the generator), including the
 * hostile ones: encrypted, truncated and scanned PDFs, a zip bomb, an XXE
 * attempt, gzip and zstd bombs, truncated streams.  The sandbox is tested
 * with parse functions that crash, loop, sleep and allocate without
 * bound.  Paths are relative to the top of the checkout, where `make
 * test` runs the suite.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "indexer/extract_office.h"
#include "indexer/extract_pdf.h"
#include "indexer/pagemap.h"
#include "indexer/sandbox.h"
#include "indexer/zstream.h"
#include "tests/suites.h"

#define FIX "tests/fixtures/formats/"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#define ck_assert_contains(hay, needle) \
    ck_assert_msg(strstr((hay), (needle)) != NULL, \
                  "'%s' does not contain '%s'", (hay), (needle))
#define ck_assert_lacks(hay, needle) \
    ck_assert_msg(strstr((hay), (needle)) == NULL, \
                  "'%s' contains '%s'", (hay), (needle))

static extract_result_t res;
static page_map_t pages;

static void
res_setup(void)
{
    memset(&res, 0, sizeof(res));
    page_map_init(&pages);
}

static void
res_teardown(void)
{
    extract_result_release(&res);
    page_map_release(&pages);
}

/* The whole file at PATH, malloc'd; *LEN its size. */
static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p;
    long n;

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    ck_assert_int_ge(n, 0);
    rewind(f);
    p = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(fread(p, 1, (size_t)n, f), (size_t)n);
    p[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return p;
}

static const char *
body0(void)
{
    ck_assert_uint_eq(res.n, 1);
    return res.articles[0].body.p;
}

/* ---------------------------------------------------------------- zstream */

static char tmpdir[] = "/tmp/check-formats-XXXXXX";

static void
tmp_setup(void)
{
    strcpy(tmpdir, "/tmp/check-formats-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
tmp_teardown(void)
{
    char cmd[256];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *
tmp_file(const char *name, const void *p, size_t n)
{
    static char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(p, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

/* Read all of PATH through a zstream in pieces of CHUNK bytes; returns
 * the bytes (malloc'd), *LEN, and *RC the last zstream_read() result. */
static char *
zread_all(const char *path, const zstream_limits_t *lim, size_t chunk,
          size_t *len, ssize_t *rc, char *err, size_t errlen)
{
    zstream_t *z;
    char *out = NULL;
    size_t cap = 0;
    ssize_t n;

    z = zstream_open(path, lim, err, errlen);
    ck_assert_msg(z != NULL, "%s: %s", path, err);
    *len = 0;
    for (;;) {
        if (*len + chunk > cap) {
            cap = (*len + chunk) * 2;
            out = realloc(out, cap + 1);
            ck_assert_ptr_nonnull(out);
        }
        n = zstream_read(z, out + *len, chunk);
        if (n <= 0)
            break;
        *len += (size_t)n;
    }
    out[*len] = '\0';
    *rc = n;
    snprintf(err, errlen, "%s", zstream_error(z) ? zstream_error(z) : "");
    zstream_close(z);
    return out;
}

static const struct {
    const char *path;
    zstream_kind_t kind;
    size_t chunk;
} same_rows[] = {
    { FIX "posts.jsonl", ZSTREAM_PLAIN, 4096 },
    { FIX "posts.jsonl.gz", ZSTREAM_GZIP, 100 },    /* two members */
    { FIX "posts.jsonl.gz", ZSTREAM_GZIP, 1 << 20 },
    { FIX "posts.jsonl.zst", ZSTREAM_ZSTD, 7 },
    { FIX "posts.jsonl.zst", ZSTREAM_ZSTD, 1 << 20 },
};

START_TEST(test_zstream_read_matches_plain)
{
    char err[256], *want, *got;
    size_t wlen, glen;
    ssize_t rc;
    zstream_t *z;

    want = slurp(FIX "posts.jsonl", &wlen);
    got = zread_all(same_rows[_i].path, NULL, same_rows[_i].chunk, &glen,
                    &rc, err, sizeof(err));
    ck_assert_str_eq(err, "");
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(glen, wlen);
    ck_assert_int_eq(memcmp(got, want, wlen), 0);
    z = zstream_open(same_rows[_i].path, NULL, err, sizeof(err));
    ck_assert_int_eq(zstream_kind(z), same_rows[_i].kind);
    zstream_close(z);
    free(want);
    free(got);
}
END_TEST

START_TEST(test_zstream_getline_lines)
{
    char err[256];
    zstream_t *z;
    const char *line;
    size_t len, n = 0;
    int partial;

    z = zstream_open(FIX "posts.jsonl.gz", NULL, err, sizeof(err));
    ck_assert_ptr_nonnull(z);
    while (zstream_getline(z, &line, &len, 4096, &partial) == 1) {
        ck_assert_int_eq(partial, 0);
        ck_assert_uint_gt(len, 10);
        ck_assert_int_eq(line[0], '{');
        ck_assert_int_eq(line[len - 1], '}');
        n++;
    }
    ck_assert_ptr_null(zstream_error(z));
    ck_assert_uint_eq(n, 40);
    zstream_close(z);
}
END_TEST

START_TEST(test_zstream_getline_long_line_in_pieces)
{
    static char data[2500 + 2 + 5];
    char err[256];
    zstream_t *z;
    const char *line;
    size_t len, total = 0, pieces = 0;
    int partial;

    memset(data, 'x', 2500);
    memcpy(data + 2500, "\nshort", 6);
    z = zstream_open(tmp_file("long.txt", data, 2506), NULL, err,
                     sizeof(err));
    ck_assert_ptr_nonnull(z);
    while (zstream_getline(z, &line, &len, 1000, &partial) == 1) {
        if (partial) {
            total += len;
            pieces++;
            continue;
        }
        ck_assert_uint_eq(len, 5);
        ck_assert_int_eq(memcmp(line, "short", 5), 0);
    }
    ck_assert_uint_eq(total, 2500);
    ck_assert_uint_eq(pieces, 3);       /* 1000 + 1000 + 500, all marked */
    zstream_close(z);
}
END_TEST

START_TEST(test_zstream_read_gzip_bomb)
{
    char err[256], *got;
    size_t len;
    ssize_t rc;

    got = zread_all(FIX "bomb.jsonl.gz", NULL, 1 << 16, &len, &rc, err,
                    sizeof(err));
    ck_assert_int_eq(rc, -1);
    ck_assert_contains(err, "compression bomb: gzip stream expands more "
                       "than 100:1");
    /* Stopped soon after the 16 MiB grace, long before 24 MiB. */
    ck_assert_uint_le(len, (size_t)17 << 20);
    free(got);
}
END_TEST

START_TEST(test_zstream_read_zstd_bomb)
{
    char err[256], *got;
    size_t len;
    ssize_t rc;

    got = zread_all(FIX "bomb.jsonl.zst", NULL, 1 << 16, &len, &rc, err,
                    sizeof(err));
    ck_assert_int_eq(rc, -1);
    ck_assert_contains(err, "compression bomb: zstd stream expands more "
                       "than 100:1");
    free(got);
}
END_TEST

START_TEST(test_zstream_read_output_cap)
{
    const zstream_limits_t lim = { 1 << 20, 0, 0 };
    char err[256], *got;
    size_t len;
    ssize_t rc;

    got = zread_all(FIX "bomb.jsonl.zst", &lim, 1000, &len, &rc, err,
                    sizeof(err));
    ck_assert_int_eq(rc, -1);
    ck_assert_str_eq(err, "compression bomb: zstd stream expands past the "
                     "1 MiB limit");
    ck_assert_uint_eq(len, 1 << 20);    /* everything up to the cap */
    free(got);
}
END_TEST

START_TEST(test_zstream_getline_truncated_gzip)
{
    char err[256], *want;
    zstream_t *z;
    const char *line;
    size_t len, n = 0, wlen, off = 0;
    int r;

    want = slurp(FIX "posts.jsonl", &wlen);
    z = zstream_open(FIX "truncated.jsonl.gz", NULL, err, sizeof(err));
    ck_assert_ptr_nonnull(z);
    while ((r = zstream_getline(z, &line, &len, 4096, NULL)) == 1) {
        /* Every line handed out is whole and right. */
        ck_assert_int_eq(memcmp(line, want + off, len), 0);
        ck_assert_int_eq(want[off + len], '\n');
        off += len + 1;
        n++;
    }
    ck_assert_int_eq(r, -1);
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_lt(n, 40);
    ck_assert_ptr_nonnull(zstream_error(z));
    ck_assert_contains(zstream_error(z), "truncated gzip stream after ");
    ck_assert_uint_gt(zstream_dropped(z), 0);   /* the cut-off line */
    /* Sticky. */
    ck_assert_int_eq(zstream_getline(z, &line, &len, 4096, NULL), -1);
    zstream_close(z);
    free(want);
}
END_TEST

START_TEST(test_zstream_read_truncated_zstd)
{
    char err[256], *got;
    size_t len;
    ssize_t rc;

    got = zread_all(FIX "truncated.jsonl.zst", NULL, 4096, &len, &rc, err,
                    sizeof(err));
    ck_assert_int_eq(rc, -1);
    ck_assert_contains(err, "truncated zstd stream after ");
    free(got);
}
END_TEST

START_TEST(test_zstream_read_corrupt_gzip)
{
    char err[256], *gz, *got;
    size_t len, glen;
    ssize_t rc;

    gz = slurp(FIX "posts.jsonl.gz", &len);
    memset(gz + 40, 0xff, 16);          /* inside the first member's data */
    got = zread_all(tmp_file("bad.gz", gz, len), NULL, 4096, &glen, &rc,
                    err, sizeof(err));
    ck_assert_int_eq(rc, -1);
    ck_assert_contains(err, "corrupt gzip stream after ");
    free(gz);
    free(got);
}
END_TEST

START_TEST(test_zstream_open_missing)
{
    char err[256];

    ck_assert_ptr_null(zstream_open(FIX "no-such.gz", NULL, err,
                                    sizeof(err)));
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_str_eq(err, "No such file or directory");
}
END_TEST

START_TEST(test_zstream_read_empty_and_short)
{
    char err[256], *got;
    size_t len;
    ssize_t rc;

    got = zread_all(tmp_file("empty", "", 0), NULL, 10, &len, &rc, err,
                    sizeof(err));
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(len, 0);
    free(got);
    got = zread_all(tmp_file("short", "\x1f", 1), NULL, 10, &len, &rc, err,
                    sizeof(err));
    ck_assert_int_eq(rc, 0);            /* one byte: plain */
    ck_assert_uint_eq(len, 1);
    free(got);
}
END_TEST

static const struct {
    const char *path, *inner;
} inner_rows[] = {
    { "a/x.jsonl.zst", "x.jsonl" }, { "x.JSONL.GZ", "x.JSONL" },
    { "/r/a.md", "a.md" }, { "dump.zst", "dump" }, { ".gz", ".gz" },
    { "notes.tgz", "notes.tgz" },
};

START_TEST(test_zstream_inner_name_table)
{
    char buf[64];

    ck_assert_str_eq(zstream_inner_name(inner_rows[_i].path, buf,
                                        sizeof(buf)), inner_rows[_i].inner);
}
END_TEST

/* ---------------------------------------------------------------- pagemap */

START_TEST(test_page_map_page_at)
{
    page_map_t m = PAGE_MAP_INIT;
    size_t off, len;

    ck_assert_uint_eq(page_map_page_at(&m, 5), 0);
    ck_assert_int_eq(page_map_add(&m, 0), 0);
    ck_assert_int_eq(page_map_add(&m, 100), 0);
    ck_assert_int_eq(page_map_add(&m, 100), 0);     /* page 2 is empty */
    ck_assert_int_eq(page_map_add(&m, 250), 0);
    ck_assert_int_eq(page_map_add(&m, 249), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_uint_eq(page_map_page_at(&m, 0), 1);
    ck_assert_uint_eq(page_map_page_at(&m, 99), 1);
    ck_assert_uint_eq(page_map_page_at(&m, 100), 3);
    ck_assert_uint_eq(page_map_page_at(&m, 249), 3);
    ck_assert_uint_eq(page_map_page_at(&m, 250), 4);
    ck_assert_uint_eq(page_map_page_at(&m, 99999), 4);
    ck_assert_int_eq(page_map_range(&m, 2, 300, &off, &len), 0);
    ck_assert_uint_eq(off, 100);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(page_map_range(&m, 4, 300, &off, &len), 0);
    ck_assert_uint_eq(off, 250);
    ck_assert_uint_eq(len, 50);
    ck_assert_int_eq(page_map_range(&m, 5, 300, &off, &len), -1);
    ck_assert_int_eq(page_map_range(&m, 0, 300, &off, &len), -1);
    page_map_release(&m);
}
END_TEST

START_TEST(test_page_map_format_parse)
{
    page_map_t m = PAGE_MAP_INIT, back = PAGE_MAP_INIT;
    char *s;

    s = page_map_format(&m);
    ck_assert_str_eq(s, "");
    free(s);
    page_map_add(&m, 0);
    page_map_add(&m, 1834);
    page_map_add(&m, 3920);
    s = page_map_format(&m);
    ck_assert_str_eq(s, "0,1834,3920");
    ck_assert_int_eq(page_map_parse(&back, s), 0);
    ck_assert_uint_eq(back.n, 3);
    ck_assert_uint_eq(back.starts[2], 3920);
    free(s);
    ck_assert_int_eq(page_map_parse(&back, "0,,3"), -1);
    ck_assert_uint_eq(back.n, 0);
    ck_assert_int_eq(page_map_parse(&back, "0,5,3"), -1);
    ck_assert_int_eq(page_map_parse(&back, "-1"), -1);
    ck_assert_int_eq(page_map_parse(&back, "7 "), -1);
    ck_assert_int_eq(page_map_parse(&back, ""), 0);
    ck_assert_uint_eq(back.n, 0);
    page_map_release(&m);
    page_map_release(&back);
}
END_TEST

/* ---------------------------------------------------------------- PDF */

START_TEST(test_extract_pdf_file_metadata_and_pages)
{
    const article_t *a;
    const char *b, *rec;

    ck_assert_int_eq(extract_pdf_file(FIX "air-policing.pdf", &res, &pages),
                     0);
    b = body0();
    a = &res.articles[0];
    ck_assert_str_eq(a->title, "Rotations Over the Baltic");
    ck_assert_uint_eq(a->authors.n, 1);     /* raw: the caller splits */
    ck_assert_str_eq(a->authors.v[0], "Marta Kovalenko; Luc\xc3\xad"
                     "a Ferreira");
    ck_assert_str_eq(a->date, "2025-03-14");
    ck_assert_uint_eq(a->tags.n, 3);
    ck_assert_str_eq(a->tags.v[1], "Baltic");
    ck_assert_contains(b, "Since 2004 the Baltic states have relied on "
                       "allied fighters for the peacetime policing");
    ck_assert_uint_eq(pages.n, 3);
    ck_assert_uint_eq(pages.starts[0], 0);
    /* Each page starts where its text does. */
    ck_assert_int_eq(strncmp(b + pages.starts[1], "Costs and Burden", 16),
                     0);
    rec = strstr(b, "Recommendations");
    ck_assert_ptr_nonnull(rec);
    ck_assert_uint_eq(pages.starts[2], (size_t)(rec - b));
    ck_assert_uint_eq(page_map_page_at(&pages, (size_t)(rec - b) + 20), 3);
    ck_assert_uint_eq(page_map_page_at(&pages,
                                       (size_t)(strstr(b, "pooled") - b)),
                      2);
}
END_TEST

START_TEST(test_extract_pdf_file_title_from_first_line)
{
    const article_t *a;

    ck_assert_int_eq(extract_pdf_file(FIX "grain-corridor.pdf", &res,
                                      &pages), 0);
    body0();
    a = &res.articles[0];
    ck_assert_str_eq(a->title, "Insuring the Black Sea Grain Corridor");
    ck_assert_uint_eq(a->authors.n, 0);
    ck_assert_ptr_null(a->date);
    ck_assert_uint_eq(pages.n, 2);
}
END_TEST

START_TEST(test_extract_pdf_file_junk_title)
{
    ck_assert_int_eq(extract_pdf_file(FIX "flank-logistics.pdf", &res,
                                      &pages), 0);
    body0();
    ck_assert_str_eq(res.articles[0].title,
                     "Logistics Hubs on the Eastern Flank");
    ck_assert_str_eq(res.articles[0].date, "2024-11-05");
}
END_TEST

static const struct {
    const char *file, *error;
} pdf_bad_rows[] = {
    { "encrypted.pdf", "encrypted (needs a password)" },
    { "scanned.pdf", "no text layer (scanned?)" },
    { "truncated.pdf", "broken PDF: PDF document is damaged" },
    { "posts.jsonl", "broken PDF: PDF document is damaged" },
    { "no-such.pdf", "broken PDF: " },
};

START_TEST(test_extract_pdf_file_refused)
{
    char path[256];

    snprintf(path, sizeof(path), FIX "%s", pdf_bad_rows[_i].file);
    ck_assert_int_eq(extract_pdf_file(path, &res, &pages), -1);
    ck_assert_ptr_nonnull(res.error);
    ck_assert_msg(strncmp(res.error, pdf_bad_rows[_i].error,
                          strlen(pdf_bad_rows[_i].error)) == 0,
                  "%s: got '%s'", pdf_bad_rows[_i].file, res.error);
    ck_assert_uint_eq(res.n, 0);
    ck_assert_uint_eq(pages.n, 0);
}
END_TEST

START_TEST(test_extract_pdf_buffer_same_as_file)
{
    extract_result_t r2;
    char *buf;
    size_t len;

    buf = slurp(FIX "air-policing.pdf", &len);
    ck_assert(extract_pdf_sniff(buf, len));
    ck_assert(!extract_pdf_sniff("%PDF", 4));
    ck_assert_int_eq(extract_pdf_buffer(buf, len, &res, &pages), 0);
    memset(&r2, 0, sizeof(r2));
    {
        page_map_t p2 = PAGE_MAP_INIT;

        ck_assert_int_eq(extract_pdf_file(FIX "air-policing.pdf", &r2, &p2),
                         0);
        ck_assert_str_eq(res.articles[0].body.p, r2.articles[0].body.p);
        ck_assert_uint_eq(p2.n, pages.n);
        page_map_release(&p2);
    }
    extract_result_release(&r2);
    free(buf);
}
END_TEST

/* ---------------------------------------------------------------- Office */

START_TEST(test_extract_office_docx)
{
    const article_t *a;
    const char *b;

    ck_assert_int_eq(extract_office_file(FIX "shadow-fleet.docx", NULL,
                                         &res), 0);
    b = body0();
    a = &res.articles[0];
    ck_assert_str_eq(a->title, "Sanctions Enforcement at Sea");
    ck_assert_uint_eq(a->authors.n, 1);
    ck_assert_str_eq(a->authors.v[0], "Ingrid Solberg");
    ck_assert_str_eq(a->date, "2025-02-20T09:30:00Z");
    ck_assert_str_eq(a->lang, "en-GB");
    ck_assert_uint_eq(a->tags.n, 3);
    ck_assert_str_eq(a->tags.v[1], "shadow fleet");
    /* Runs join without a space, a tab is one. */
    ck_assert_contains(b, "a tanker without it is a security risk and an "
                       "environmental one.");
    ck_assert_contains(b, "the price cap. Boarding them");
    ck_assert_contains(b, "\n\nZelenskyy has asked");
    ck_assert_lacks(b, "deleted");
    ck_assert_lacks(b, "HYPERLINK");
    ck_assert_lacks(b, "Editor On Duty");
}
END_TEST

START_TEST(test_extract_office_odt)
{
    const article_t *a;
    const char *b;

    ck_assert_int_eq(extract_office_file(FIX "demining.odt", NULL, &res),
                     0);
    b = body0();
    a = &res.articles[0];
    ck_assert_str_eq(a->title, "Demining the Kharkiv Farmland");
    ck_assert_uint_eq(a->authors.n, 1);
    ck_assert_str_eq(a->authors.v[0], "Oleksandr Hrytsenko");
    ck_assert_str_eq(a->date, "2025-04-02T14:05:00");
    ck_assert_uint_eq(a->tags.n, 2);
    ck_assert_str_eq(a->tags.v[0], "demining");
    ck_assert_str_eq(b, "Demining the Kharkiv Farmland\n\n"
                     "Before a field can be sown it must be cleared, and "
                     "clearing one hectare by hand can take a team of four "
                     "a whole week.\n\n"
                     "Machines speed it up, but they cannot reach tree "
                     "lines or irrigation ditches.\n\n"
                     "Insurers and donors now ask for survey maps before "
                     "they fund a season: security of the food supply "
                     "begins with the survey.");
}
END_TEST

START_TEST(test_extract_office_xxe_not_expanded)
{
    char *host;
    size_t len;

    ck_assert_int_eq(extract_office_file(FIX "xxe.docx", NULL, &res), 0);
    ck_assert_str_eq(body0(), "Entity check: [] [] done.");
    host = slurp("/etc/hostname", &len);
    while (len > 0 && (host[len - 1] == '\n' || host[len - 1] == ' '))
        host[--len] = '\0';
    if (len > 0)
        ck_assert_lacks(body0(), host);
    free(host);
}
END_TEST

static const struct {
    extract_office_limits_t lim;
    const char *error;
} bomb_rows[] = {
    { EXTRACT_OFFICE_LIMITS_DEFAULT,
      "zip bomb: expands past the 64 MiB limit" },
    { { 0, 100, 1 << 20 }, "zip bomb: expands more than 100:1 (" },
    { { (uint64_t)1 << 30, 0, 0 }, NULL },      /* no cap that bites */
};

START_TEST(test_extract_office_zip_bomb)
{
    int rc = extract_office_file(FIX "zip-bomb.docx", &bomb_rows[_i].lim,
                                 &res);

    if (bomb_rows[_i].error == NULL) {
        /* Inflated in full (80 MiB of spaces): no text, but no bomb. */
        ck_assert_int_eq(rc, -1);
        ck_assert_contains(res.error, "broken XML in word/document.xml:1: ");
        return;
    }
    ck_assert_int_eq(rc, -1);
    ck_assert_contains(res.error, bomb_rows[_i].error);
    ck_assert_uint_eq(res.n, 0);
}
END_TEST

START_TEST(test_extract_office_small_cap)
{
    const extract_office_limits_t lim = { 1000, 0, 0 };

    ck_assert_int_eq(extract_office_file(FIX "demining.odt", &lim, &res),
                     -1);
    ck_assert_str_eq(res.error, "zip bomb: expands past the 1000 bytes "
                     "limit");
}
END_TEST

START_TEST(test_extract_office_not_zip)
{
    static const char ole[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 rest";

    ck_assert_int_eq(extract_office_file(FIX "posts.jsonl", NULL, &res), -1);
    ck_assert_str_eq(res.error, "not a zip archive");
    free(res.error);
    res.error = NULL;
    ck_assert_int_eq(extract_office_buffer(ole, sizeof(ole), NULL, &res),
                     -1);
    ck_assert_contains(res.error, "OLE compound file");
}
END_TEST

START_TEST(test_extract_office_buffer_and_kind)
{
    char *buf;
    size_t len;

    buf = slurp(FIX "shadow-fleet.docx", &len);
    ck_assert_int_eq(extract_office_buffer(buf, len, NULL, &res), 0);
    ck_assert_str_eq(res.articles[0].title, "Sanctions Enforcement at Sea");
    free(buf);
    ck_assert_int_eq(extract_office_kind_of("a/B.DOCX"),
                     EXTRACT_OFFICE_DOCX);
    ck_assert_int_eq(extract_office_kind_of("b.odt"), EXTRACT_OFFICE_ODT);
    ck_assert_int_eq(extract_office_kind_of("b.doc"), EXTRACT_OFFICE_NONE);
    ck_assert_int_eq(extract_office_kind_of("x.odt/y"), EXTRACT_OFFICE_NONE);
}
END_TEST

START_TEST(test_extract_office_not_office)
{
    /* A zip, but neither format's body part: the bomb's zip has one, so
     * build the case from a DOCX truncated after its first entry. */
    char *buf;
    size_t len;

    buf = slurp(FIX "demining.odt", &len);
    ck_assert_int_eq(extract_office_buffer(buf, 200, NULL, &res), -1);
    ck_assert_ptr_nonnull(res.error);
    ck_assert_uint_eq(res.n, 0);
    free(buf);
}
END_TEST

/* ---------------------------------------------------------------- sandbox */

static int
fn_ok(void *arg, extract_result_t *out, page_map_t *pm)
{
    article_t *a = extract_result_push(out);

    (void)arg;
    article_set_field(&a->title, "Kyiv \xe2\x80\x94 notes", 14);
    article_add_author(a, "Marta Kovalenko", 15);
    article_add_tag(a, "air defence", 11);
    a->date = strdup("2025-03-14");
    a->date_line = 7;
    sbuf_adds(&a->body, "page one\n\npage two \xff bad byte");
    extract_diag_add(&out->warnings, "3:1: something odd");
    page_map_add(pm, 0);
    page_map_add(pm, 10);
    return 0;
}

static int
fn_error(void *arg, extract_result_t *out, page_map_t *pm)
{
    (void)arg;
    (void)pm;
    out->error = strdup("encrypted (needs a password)");
    return -1;
}

static int
fn_segv(void *arg, extract_result_t *out, page_map_t *pm)
{
    (void)arg;
    (void)out;
    (void)pm;
    raise(SIGSEGV);
    return 0;
}

static int
fn_loop(void *arg, extract_result_t *out, page_map_t *pm)
{
    volatile unsigned long n = 0;

    (void)arg;
    (void)out;
    (void)pm;
    for (;;)
        n++;
    return 0;
}

static int
fn_sleep(void *arg, extract_result_t *out, page_map_t *pm)
{
    (void)arg;
    (void)out;
    (void)pm;
    for (;;)
        pause();
    return 0;
}

/* Allocate and touch memory until malloc fails, then do what GLib's
 * g_malloc does: abort. */
static int
fn_hog(void *arg, extract_result_t *out, page_map_t *pm)
{
    char *p;

    (void)out;
    (void)pm;
    for (;;) {
        p = malloc(1 << 20);
        if (p == NULL) {
            if (arg != NULL) {
                out->error = strdup("out of memory");
                return -1;
            }
            abort();
        }
        memset(p, 1, 1 << 20);
    }
}

static int
fn_exit(void *arg, extract_result_t *out, page_map_t *pm)
{
    (void)arg;
    (void)out;
    (void)pm;
    _exit(7);
}

static int
fn_pdf(void *arg, extract_result_t *out, page_map_t *pm)
{
    return extract_pdf_file(arg, out, pm);
}

static int
fn_office(void *arg, extract_result_t *out, page_map_t *pm)
{
    (void)pm;
    return extract_office_file(arg, NULL, out);
}

START_TEST(test_sandbox_run_ok_round_trip)
{
    const article_t *a;

    ck_assert_int_eq(sandbox_run(fn_ok, NULL, NULL, &res, &pages),
                     SANDBOX_OK);
    ck_assert_ptr_null(res.error);
    ck_assert_uint_eq(res.n, 1);
    a = &res.articles[0];
    ck_assert_str_eq(a->title, "Kyiv \xe2\x80\x94 notes");
    ck_assert_str_eq(a->authors.v[0], "Marta Kovalenko");
    ck_assert_str_eq(a->tags.v[0], "air defence");
    ck_assert_str_eq(a->date, "2025-03-14");
    ck_assert_int_eq(a->date_line, 7);
    ck_assert_ptr_null(a->url);
    /* An invalid byte comes back as U+FFFD, never as a lost reply. */
    ck_assert_str_eq(a->body.p, "page one\n\npage two \xef\xbf\xbd bad byte");
    ck_assert_uint_eq(res.warnings.n, 1);
    ck_assert_str_eq(res.warnings.msgs[0], "3:1: something odd");
    ck_assert_uint_eq(pages.n, 2);
    ck_assert_uint_eq(pages.starts[1], 10);
}
END_TEST

START_TEST(test_sandbox_run_parse_error)
{
    ck_assert_int_eq(sandbox_run(fn_error, NULL, NULL, &res, &pages),
                     SANDBOX_PARSE_ERROR);
    ck_assert_str_eq(res.error, "encrypted (needs a password)");
    ck_assert_uint_eq(res.n, 0);
}
END_TEST

START_TEST(test_sandbox_run_crash)
{
    ck_assert_int_eq(sandbox_run(fn_segv, NULL, NULL, &res, &pages),
                     SANDBOX_CRASHED);
    ck_assert_str_eq(res.error, "crashed (signal 11)");
}
END_TEST

START_TEST(test_sandbox_run_cpu_limit)
{
    const sandbox_limits_t lim = { 1, 0, 20000, 1 << 20, false };

    ck_assert_int_eq(sandbox_run(fn_loop, NULL, &lim, &res, &pages),
                     SANDBOX_TIMEOUT);
    ck_assert_str_eq(res.error, "timed out after 1 s of CPU time");
}
END_TEST

START_TEST(test_sandbox_run_wall_clock)
{
    const sandbox_limits_t lim = { 5, 0, 500, 1 << 20, false };

    ck_assert_int_eq(sandbox_run(fn_sleep, NULL, &lim, &res, &pages),
                     SANDBOX_TIMEOUT);
    ck_assert_str_eq(res.error, "timed out after 0.5 s");
}
END_TEST

START_TEST(test_sandbox_run_out_of_memory)
{
    const sandbox_limits_t lim = { 10, 64 << 20, 20000, 1 << 20, false };

    /* _i == 0: the library aborts; 1: it reports ENOMEM itself, which
     * it only can under RLIMIT_AS: ASan builds have the watchdog alone,
     * which kills the child first. */
    ck_assert_int_eq(sandbox_run(fn_hog, _i ? (void *)"" : NULL, &lim, &res,
                                 &pages), SANDBOX_NOMEM);
    ck_assert_str_eq(res.error, _i && !UNDER_ASAN
                     ? "out of memory" : "out of memory (over 64 MiB)");
}
END_TEST

START_TEST(test_sandbox_run_no_reply)
{
    ck_assert_int_eq(sandbox_run(fn_exit, NULL, NULL, &res, &pages),
                     SANDBOX_FAILED);
    ck_assert_str_eq(res.error, "parser ended without a result (exit 7)");
}
END_TEST

START_TEST(test_sandbox_run_reply_too_large)
{
    const sandbox_limits_t lim = { 10, 0, 20000, 100, false };

    ck_assert_int_eq(sandbox_run(fn_ok, NULL, &lim, &res, &pages),
                     SANDBOX_FAILED);
    ck_assert_str_eq(res.error, "parser's result too large (over 100 bytes)");
    ck_assert_uint_eq(res.n, 0);
    ck_assert_uint_eq(pages.n, 0);
}
END_TEST

START_TEST(test_sandbox_run_pdf_and_office)
{
    extract_result_t direct;
    page_map_t dp = PAGE_MAP_INIT;

    ck_assert_int_eq(sandbox_run(fn_pdf, (void *)FIX "air-policing.pdf",
                                 NULL, &res, &pages), SANDBOX_OK);
    memset(&direct, 0, sizeof(direct));
    ck_assert_int_eq(extract_pdf_file(FIX "air-policing.pdf", &direct, &dp),
                     0);
    ck_assert_str_eq(res.articles[0].body.p, direct.articles[0].body.p);
    ck_assert_str_eq(res.articles[0].title, direct.articles[0].title);
    ck_assert_uint_eq(pages.n, dp.n);
    ck_assert_uint_eq(pages.starts[2], dp.starts[2]);
    extract_result_release(&direct);
    page_map_release(&dp);
    extract_result_release(&res);
    memset(&res, 0, sizeof(res));
    ck_assert_int_eq(sandbox_run(fn_pdf, (void *)FIX "scanned.pdf", NULL, &res,
                                 &pages), SANDBOX_PARSE_ERROR);
    ck_assert_str_eq(res.error, "no text layer (scanned?)");
    extract_result_release(&res);
    memset(&res, 0, sizeof(res));
    ck_assert_int_eq(sandbox_run(fn_office, (void *)FIX "zip-bomb.docx",
                                 NULL, &res, NULL), SANDBOX_PARSE_ERROR);
    ck_assert_str_eq(res.error, "zip bomb: expands past the 64 MiB limit");
}
END_TEST

/* ---------------------------------------------------------------- suite */

Suite *
formats_suite(void)
{
    Suite *s = suite_create("formats");
    TCase *tc;

    tc = tcase_create("zstream");
    tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, test_zstream_read_matches_plain, 0,
                        sizeof(same_rows) / sizeof(same_rows[0]));
    tcase_add_test(tc, test_zstream_getline_lines);
    tcase_add_test(tc, test_zstream_getline_long_line_in_pieces);
    tcase_add_test(tc, test_zstream_read_gzip_bomb);
    tcase_add_test(tc, test_zstream_read_zstd_bomb);
    tcase_add_test(tc, test_zstream_read_output_cap);
    tcase_add_test(tc, test_zstream_getline_truncated_gzip);
    tcase_add_test(tc, test_zstream_read_truncated_zstd);
    tcase_add_test(tc, test_zstream_read_corrupt_gzip);
    tcase_add_test(tc, test_zstream_open_missing);
    tcase_add_test(tc, test_zstream_read_empty_and_short);
    tcase_add_loop_test(tc, test_zstream_inner_name_table, 0,
                        sizeof(inner_rows) / sizeof(inner_rows[0]));
    suite_add_tcase(s, tc);

    tc = tcase_create("pagemap");
    tcase_add_test(tc, test_page_map_page_at);
    tcase_add_test(tc, test_page_map_format_parse);
    suite_add_tcase(s, tc);

    tc = tcase_create("pdf");
    tcase_add_checked_fixture(tc, res_setup, res_teardown);
    tcase_add_test(tc, test_extract_pdf_file_metadata_and_pages);
    tcase_add_test(tc, test_extract_pdf_file_title_from_first_line);
    tcase_add_test(tc, test_extract_pdf_file_junk_title);
    tcase_add_loop_test(tc, test_extract_pdf_file_refused, 0,
                        sizeof(pdf_bad_rows) / sizeof(pdf_bad_rows[0]));
    tcase_add_test(tc, test_extract_pdf_buffer_same_as_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("office");
    tcase_add_checked_fixture(tc, res_setup, res_teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_extract_office_docx);
    tcase_add_test(tc, test_extract_office_odt);
    tcase_add_test(tc, test_extract_office_xxe_not_expanded);
    tcase_add_loop_test(tc, test_extract_office_zip_bomb, 0,
                        sizeof(bomb_rows) / sizeof(bomb_rows[0]));
    tcase_add_test(tc, test_extract_office_small_cap);
    tcase_add_test(tc, test_extract_office_not_zip);
    tcase_add_test(tc, test_extract_office_buffer_and_kind);
    tcase_add_test(tc, test_extract_office_not_office);
    suite_add_tcase(s, tc);

    tc = tcase_create("sandbox");
    tcase_add_checked_fixture(tc, res_setup, res_teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_sandbox_run_ok_round_trip);
    tcase_add_test(tc, test_sandbox_run_parse_error);
    tcase_add_test(tc, test_sandbox_run_crash);
    tcase_add_test(tc, test_sandbox_run_cpu_limit);
    tcase_add_test(tc, test_sandbox_run_wall_clock);
    tcase_add_loop_test(tc, test_sandbox_run_out_of_memory, 0, 2);
    tcase_add_test(tc, test_sandbox_run_no_reply);
    tcase_add_test(tc, test_sandbox_run_reply_too_large);
    tcase_add_test(tc, test_sandbox_run_pdf_and_office);
    suite_add_tcase(s, tc);
    return s;
}
