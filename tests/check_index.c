/* check_index.c - Check tests for the indexer's file reader (indexer/index.h)
 *
 * The races between the walk and the read cannot be timed from a CLI
 * test, so the reader is called directly on what a file can turn into:
 * a directory, nothing, a FIFO, something over the size limit.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "indexer/job.h"
#include "tests/suites.h"

static char dir[256];

static void
setup(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/index-test-XXXXXX",
             base && *base ? base : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *
in_dir(const char *name)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
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

START_TEST(test_index_read_file_became_directory)
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

START_TEST(test_index_read_file_vanished)
{
    char why[256], *buf = (char *)"x";
    ck_assert_int_eq(read_it(in_dir("gone.md"), 1000, &buf, why, sizeof why),
                     -1);
    ck_assert_ptr_null(buf);
    ck_assert_str_eq(why, "vanished before it could be read");
}
END_TEST

START_TEST(test_index_read_file_became_fifo)
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

START_TEST(test_index_read_file_grew_over_limit)
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

START_TEST(test_index_read_file_ok)
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

Suite *
index_suite(void)
{
    Suite *s = suite_create("index");
    TCase *tc = tcase_create("index_read_file");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_index_read_file_became_directory);
    tcase_add_test(tc, test_index_read_file_vanished);
    tcase_add_test(tc, test_index_read_file_became_fifo);
    tcase_add_test(tc, test_index_read_file_grew_over_limit);
    tcase_add_test(tc, test_index_read_file_ok);
    suite_add_tcase(s, tc);
    return s;
}
