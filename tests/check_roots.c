/* check_roots.c - which paths are under a root, and naming a root
 *
 * roots_contains() is the trailing-'/' rule --forget and the vanished-root
 * count rely on; roots_find() is how a typed ROOT is matched against the
 * recorded ones, including a root that no longer exists.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "indexer/roots.h"
#include "tests/suites.h"

static const struct {
    const char *root, *path;
    bool under;
} contains_rows[] = {
    { "/a/docs", "/a/docs", true },         /* a file root itself */
    { "/a/docs", "/a/docs/x.md", true },
    { "/a/docs", "/a/docs/sub/y.md", true },
    { "/a/docs", "/a/docs2/x.md", false },  /* the prefix trap */
    { "/a/docs", "/a/docs.md", false },
    { "/a/docs", "/a/doc", false },
    { "/a/docs", "/a", false },
    { "/", "/anything/at/all.md", true },
};

START_TEST(test_roots_contains_rule)
{
    ck_assert_msg(roots_contains(contains_rows[_i].root,
                                 contains_rows[_i].path) ==
                  contains_rows[_i].under, "%s under %s",
                  contains_rows[_i].path, contains_rows[_i].root);
}
END_TEST

START_TEST(test_roots_find_forms)
{
    char cwd[PATH_MAX], gone[PATH_MAX + 32], other[PATH_MAX + 32];
    strv_t rec = STRV_INIT;

    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    /* Paths that do not exist, under the working directory. */
    snprintf(gone, sizeof gone, "%s/no-such-root-xyz",
             strcmp(cwd, "/") == 0 ? "" : cwd);
    snprintf(other, sizeof other, "%s/no-such-root-xyz2",
             strcmp(cwd, "/") == 0 ? "" : cwd);
    ck_assert_int_eq(strv_push(&rec, other), 0);
    ck_assert_int_eq(strv_push(&rec, gone), 0);
    ck_assert_int_eq(strv_push(&rec, "/"), 0);

    ck_assert_int_eq(roots_find(&rec, gone), 1);        /* as recorded */
    ck_assert_int_eq(roots_find(&rec, "no-such-root-xyz"), 1);
    ck_assert_int_eq(roots_find(&rec, "no-such-root-xyz/"), 1);
    ck_assert_int_eq(roots_find(&rec, "./no-such-root-xyz//"), 1);
    ck_assert_int_eq(roots_find(&rec, "x/../no-such-root-xyz"), 1);
    ck_assert_int_eq(roots_find(&rec, "no-such-root-xyz2"), 0);
    ck_assert_int_eq(roots_find(&rec, "no-such-root"), -1);
    ck_assert_int_eq(roots_find(&rec, "/"), 2);
    ck_assert_int_eq(roots_find(&rec, "/.."), 2);
    strv_release(&rec);
}
END_TEST

Suite *
roots_suite(void)
{
    Suite *s = suite_create("roots");
    TCase *tc = tcase_create("contains");
    tcase_add_loop_test(tc, test_roots_contains_rule, 0,
                        sizeof contains_rows / sizeof *contains_rows);
    suite_add_tcase(s, tc);
    tc = tcase_create("find");
    tcase_add_test(tc, test_roots_find_forms);
    suite_add_tcase(s, tc);
    return s;
}
