/* check_indexer.c - unit tests of the indexer's file jobs and SimHash
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "indexer/job.h"
#include "indexer/records.h"
#include "indexer/simhash.h"
#include "tests/suites.h"

static char tmpdir[64];

static void
setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/check-indexer.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *para =
    "The alliance met in Warsaw on 8 and 9 July and agreed the largest "
    "reinforcement of collective defence on the eastern flank since the "
    "end of the Cold War. Four multinational battalion-sized battlegroups "
    "will be in place in Estonia, Latvia, Lithuania and Poland from early "
    "2017, led by the United Kingdom, Canada, Germany and the United "
    "States.\n\nThe deployments are rotational, which lets the alliance "
    "say it respects the 1997 Founding Act while changing the practice on "
    "the ground. Critics call it a tripwire and supporters call it "
    "deterrence by presence; either way its credibility rests on the "
    "reinforcements that would follow.";

START_TEST(test_simhash_text_copy_with_banner)
{
    char copy[2048];
    uint64_t a, b;
    snprintf(copy, sizeof copy, "This article first appeared in the "
             "Vistula Post.\n\n%s\n\nRepublished with permission.", para);
    ck_assert(simhash_text(para, strlen(para), &a));
    ck_assert(simhash_text(copy, strlen(copy), &b));
    ck_assert_int_le(simhash_distance(a, b), SIMHASH_MAX_DISTANCE);
}
END_TEST

START_TEST(test_simhash_text_changed_words)
{
    char copy[2048];
    uint64_t a, b;
    snprintf(copy, sizeof copy, "%s", para);
    char *p = strstr(copy, "largest");
    memcpy(p, "biggest", 7);
    ck_assert(simhash_text(para, strlen(para), &a));
    ck_assert(simhash_text(copy, strlen(copy), &b));
    ck_assert_int_le(simhash_distance(a, b), SIMHASH_MAX_DISTANCE);
}
END_TEST

START_TEST(test_simhash_text_different)
{
    const char *other =
        "Air defence systems protect cities and power plants, and "
        "interceptor stocks matter as much as launchers. Patriot, IRIS-T "
        "and NASAMS batteries each cover a different band of threats, from "
        "ballistic missiles to cruise missiles and drones. Production of "
        "interceptors has become the binding constraint, and European "
        "manufacturers are expanding lines that were sized for peacetime "
        "orders. Every battery sent to one city leaves another exposed, so "
        "the allocation is a political decision as much as a military one.";
    uint64_t a, b;
    ck_assert(simhash_text(para, strlen(para), &a));
    ck_assert(simhash_text(other, strlen(other), &b));
    ck_assert_int_gt(simhash_distance(a, b), 10);
}
END_TEST

START_TEST(test_simhash_text_too_short)
{
    uint64_t h;
    ck_assert(!simhash_text("Short post about drones.", 24, &h));
}
END_TEST

START_TEST(test_simhash_band_term_format)
{
    char buf[32];
    uint64_t h = 0x0123456789abcdefULL;
    ck_assert_str_eq(simhash_band_term("XB", h, 0, buf, sizeof buf),
                     "XB0cdef");
    ck_assert_str_eq(simhash_band_term("XB", h, 3, buf, sizeof buf),
                     "XB30123");
}
END_TEST

static const char *
in_dir(const char *name)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

static int
read_it(const char *path, unsigned long long limit, char **buf,
        char *why, size_t whylen)
{
    size_t len = 0;
    why[0] = '\0';
    return job_read_file(path, limit, buf, &len, why, whylen);
}

START_TEST(test_job_read_file_became_directory)
{
    char why[256], *buf = (char *)"x";
    /* The walk saw a file; by the read it is a directory. */
    ck_assert_int_eq(mkdir(in_dir("a.md"), 0755), 0);
    ck_assert_int_eq(read_it(in_dir("a.md"), 1000, &buf, why, sizeof why),
                     -1);
    ck_assert_ptr_null(buf);
    ck_assert_str_eq(why, "became a directory before it could be read");
}
END_TEST

START_TEST(test_job_read_file_vanished)
{
    char why[256], *buf = (char *)"x";
    ck_assert_int_eq(read_it(in_dir("gone.md"), 1000, &buf, why, sizeof why),
                     -1);
    ck_assert_ptr_null(buf);
    ck_assert_str_eq(why, "vanished before it could be read");
}
END_TEST

START_TEST(test_job_read_file_became_fifo)
{
    char why[256], *buf = (char *)"x";
    /* Opened non-blocking, so a FIFO with no writer cannot hang the run. */
    ck_assert_int_eq(mkfifo(in_dir("f.md"), 0644), 0);
    ck_assert_int_eq(read_it(in_dir("f.md"), 1000, &buf, why, sizeof why),
                     -1);
    ck_assert_ptr_null(buf);
    ck_assert_str_eq(why, "is no longer a regular file");
}
END_TEST

START_TEST(test_job_read_file_grew_over_limit)
{
    char why[256], *buf = (char *)"x";
    FILE *f = fopen(in_dir("big.md"), "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 300; i++)
        fputs("0123456789", f);
    fclose(f);
    ck_assert_int_eq(read_it(in_dir("big.md"), 1000, &buf, why, sizeof why),
                     -1);
    ck_assert_ptr_null(buf);
    ck_assert_str_eq(why, "file too large (3000 bytes, limit 1000)");
}
END_TEST

START_TEST(test_job_read_file_ok)
{
    char why[256], *buf = NULL;
    size_t len = 0;
    FILE *f = fopen(in_dir("ok.md"), "w");
    ck_assert_ptr_nonnull(f);
    fputs("hello", f);
    fclose(f);
    ck_assert_int_eq(job_read_file(in_dir("ok.md"), 1000, &buf, &len, why,
                                   sizeof why), 0);
    ck_assert_uint_eq(len, 5);
    ck_assert_str_eq(buf, "hello");
    free(buf);
}
END_TEST

START_TEST(test_job_utf8_repair_replaces)
{
    const char in[] = "ok \xff bad \xc3 end";
    char *out;
    size_t len;
    ck_assert_uint_eq(job_utf8_repair(in, sizeof in - 1, &out, &len), 2);
    ck_assert_str_eq(out, "ok \xEF\xBF\xBD bad \xEF\xBF\xBD end");
    free(out);
    ck_assert_uint_eq(job_utf8_repair("fine", 4, &out, &len), 0);
    ck_assert_str_eq(out, "fine");
}
END_TEST


/* ------------------------------------------------------------------ */
/* records: exports cut into posts, through reads of STEP bytes         */

typedef struct mem {
    const char *p;
    size_t size, pos, step;
} mem_t;

static ssize_t
mem_read(void *ctx, void *buf, size_t cap, char *err, size_t errlen)
{
    mem_t *m = ctx;
    size_t n = m->size - m->pos;
    (void)err;
    (void)errlen;
    if (n > m->step)
        n = m->step;
    if (n > cap)
        n = cap;
    memcpy(buf, m->p + m->pos, n);
    m->pos += n;
    return (ssize_t)n;
}

/* Every record of IN as "LINE:TEXT" (or "LINE:!LEN" when over MAX), one
 * per line, then "=RC" and the error when there is one. */
static char *
records_of(records_mode_t mode, const char *in, size_t step, size_t max)
{
    mem_t m = { in, strlen(in), 0, step };
    records_t r;
    record_t rec;
    static char out[4096];
    size_t n = 0;
    int rc;

    out[0] = '\0';
    ck_assert_int_eq(records_open(&r, mode, mem_read, &m, max), 0);
    while ((rc = records_next(&r, &rec)) > 0) {
        if (rec.p)
            n += (size_t)snprintf(out + n, sizeof out - n, "%lu:%.*s\n",
                                  rec.line, (int)rec.len, rec.p);
        else
            n += (size_t)snprintf(out + n, sizeof out - n, "%lu:!%zu\n",
                                  rec.line, rec.len);
    }
    snprintf(out + n, sizeof out - n, "=%d%s%s", rc, rc < 0 ? " " : "",
             rc < 0 ? r.err : "");
    records_close(&r);
    return out;
}

START_TEST(test_records_lines)
{
    const char *in = "\xef\xbb\xbf{\"a\":1}\n\n  \r\n{\"b\":\"0123456789\"}\r\n"
                     "{\"c\":3}";
    /* Any read size: one byte at a time straddles every boundary. */
    for (size_t step = 1; step < 40; step += 7)
        ck_assert_str_eq(records_of(RECORDS_LINES, in, step, 16),
                         "1:{\"a\":1}\n4:!19\n5:{\"c\":3}\n=0");
    ck_assert_str_eq(records_of(RECORDS_LINES, "", 5, 16), "=0");
}
END_TEST

START_TEST(test_records_array)
{
    const char *in = " [\n {\"t\": \"a ] } \\\" ,\"},\n"
                     "  {\"t\": [1, {\"x\": 2}]} ,\n\"s\", 7\n]\n";
    for (size_t step = 1; step < 40; step += 5)
        ck_assert_str_eq(records_of(RECORDS_JSON, in, step, 64),
                         "2:{\"t\": \"a ] } \\\" ,\"}\n"
                         "3:{\"t\": [1, {\"x\": 2}]}\n4:\"s\"\n4:7\n=0");
    /* Too large, followed to its end without being kept. */
    ck_assert_str_eq(records_of(RECORDS_JSON, "[{\"t\": \"0123456789\"},\n"
                                "{}]", 3, 8), "1:!19\n2:{}\n=0");
    ck_assert_str_eq(records_of(RECORDS_JSON, "[]", 1, 8), "=0");
    ck_assert_str_eq(records_of(RECORDS_JSON, "[{}, {\"t\":", 4, 64),
                     "1:{}\n=-1 1: unexpected end of file inside the array");
    ck_assert_str_eq(records_of(RECORDS_JSON, "[{}]\n x", 4, 64),
                     "1:{}\n=-1 2: data after the end of the array");
}
END_TEST

START_TEST(test_records_whole)
{
    /* Not an array: the whole file is one record, under the same limit. */
    ck_assert_str_eq(records_of(RECORDS_JSON, " {\"posts\": []}", 2, 64),
                     "1: {\"posts\": []}\n=0");
    ck_assert_str_eq(records_of(RECORDS_JSON, "{\"t\": \"0123456789\"}", 2,
                                8), "1:!19\n=0");
}
END_TEST

/* Posts inside objects: Telegram's one chat and full export, Mastodon's
 * outbox; the context is the chat's name, type and id. */
static char *
records_ctx_of(const char *in, size_t step, size_t max)
{
    mem_t m = { in, strlen(in), 0, step };
    records_t r;
    record_t rec;
    static char out[4096];
    size_t n = 0;
    int rc;

    out[0] = '\0';
    ck_assert_int_eq(records_open(&r, RECORDS_JSON, mem_read, &m, max), 0);
    while ((rc = records_next(&r, &rec)) > 0)
        n += (size_t)snprintf(out + n, sizeof out - n, "%lu:%.*s %s\n",
                              rec.line, rec.p ? (int)rec.len : 1,
                              rec.p ? rec.p : "!", rec.ctx ? rec.ctx : "-");
    snprintf(out + n, sizeof out - n, "=%d%s%s %s", rc, rc < 0 ? " " : "",
             rc < 0 ? r.err : "", r.ytd);
    records_close(&r);
    return out;
}

START_TEST(test_records_object)
{
    const char *one = "{\"name\": \"Kyiv \\\"Post\\\"\", \"type\": "
        "\"public_channel\",\n \"id\": 42, \"x\": [{\"messages\": [1]}],\n"
        " \"messages\": [\n  {\"id\": 1},\n  {\"id\": 2}\n ]}\n";
    for (size_t step = 1; step < 40; step += 3)
        ck_assert_str_eq(records_ctx_of(one, step, 64),
                         "4:{\"id\": 1} {\"name\":\"Kyiv \\\"Post\\\"\","
                         "\"type\":\"public_channel\",\"id\":42}\n"
                         "5:{\"id\": 2} {\"name\":\"Kyiv \\\"Post\\\"\","
                         "\"type\":\"public_channel\",\"id\":42}\n=0 ");
    const char *full = "{\"about\": \"x\", \"contacts\": {\"list\": "
        "[{\"messages\": [9]}]}, \"chats\": {\"about\": \"y\", \"list\": "
        "[{\"name\": \"A\", \"messages\": [{\"id\": 1}]},\n{\"id\": 7, "
        "\"messages\": []}, {\"messages\": [{\"id\": 3}], \"name\": \"B\"}]},"
        "\n\"left_chats\": {\"list\": [{\"name\": \"L\", \"messages\": "
        "[{\"id\": 4}]}]}}";
    for (size_t step = 1; step < 40; step += 3)
        ck_assert_str_eq(records_ctx_of(full, step, 64),
                         "1:{\"id\": 1} {\"name\":\"A\"}\n"
                         "2:{\"id\": 3} {}\n"
                         "3:{\"id\": 4} {\"name\":\"L\"}\n=0 ");
    /* No posts array: the whole file; too large, named as such. */
    ck_assert_str_eq(records_ctx_of("{\"posts\": [{\"a\": 1}]}", 3, 64),
                     "1:{\"posts\": [{\"a\": 1}]} -\n=0 ");
    ck_assert_str_eq(records_ctx_of("{\"posts\": [{\"a\": 1}]}", 3, 8),
                     "1:! -\n=0 ");
    /* Found after more than the limit of other data: still streamed. */
    ck_assert_str_eq(records_ctx_of("{\"about\": \"0123456789abcdef\", "
                                    "\"orderedItems\": [{}]}", 3, 8),
                     "1:{} {}\n=0 ");
    ck_assert_str_eq(records_ctx_of("{\"messages\": [{}, {\"t\": 1", 3, 64),
                     "1:{} {}\n=-1 1: unexpected end of file inside the "
                     "array ");
    ck_assert_str_eq(records_ctx_of("{\"messages\": [{}]", 3, 64),
                     "1:{} {}\n=-1 1: unexpected end of file inside the "
                     "object ");
    ck_assert_str_eq(records_ctx_of("{\"messages\": [{}] x}", 3, 64),
                     "1:{} {}\n=-1 1: invalid JSON around the posts ");
    ck_assert_str_eq(records_ctx_of("window.YTD.tweets.part1 = [\n{\"a\": 1}"
                                    "]", 5, 64), "2:{\"a\": 1} -\n=0 tweets");
    ck_assert_str_eq(records_ctx_of("window.YTD.x = [1]", 5, 64),
                     "1:window.YTD.x = [1] -\n=0 ");
}
END_TEST

Suite *
indexer_suite(void)
{
    Suite *s = suite_create("indexer");
    TCase *tc = tcase_create("simhash");
    tcase_add_test(tc, test_simhash_text_copy_with_banner);
    tcase_add_test(tc, test_simhash_text_changed_words);
    tcase_add_test(tc, test_simhash_text_different);
    tcase_add_test(tc, test_simhash_text_too_short);
    tcase_add_test(tc, test_simhash_band_term_format);
    suite_add_tcase(s, tc);
    tc = tcase_create("records");
    tcase_add_test(tc, test_records_lines);
    tcase_add_test(tc, test_records_array);
    tcase_add_test(tc, test_records_whole);
    tcase_add_test(tc, test_records_object);
    suite_add_tcase(s, tc);
    tc = tcase_create("job");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_job_read_file_became_directory);
    tcase_add_test(tc, test_job_read_file_vanished);
    tcase_add_test(tc, test_job_read_file_became_fifo);
    tcase_add_test(tc, test_job_read_file_grew_over_limit);
    tcase_add_test(tc, test_job_read_file_ok);
    tcase_add_test(tc, test_job_utf8_repair_replaces);
    suite_add_tcase(s, tc);
    return s;
}
