/* check_like.c - Check tests for the shim's metadata listing and more
 * like this (shim/metadata.cc, shim/like.cc)
 *
 * A database of five documents built through the C API in a fresh
 * mkdtemp directory per test: two about apples and bananas, a copy of the
 * first (same value in slot 3, the collapse key), one unrelated, and one
 * holding only prefixed terms.  Error paths assert status and message.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim/xsh.h"
#include "tests/scratch.h"
#include "tests/suites.h"

static char tmpdir[256];
static char dbpath[PATH_MAX];

static void
add_doc(xsh_wdb_t *w, const char *id, const char *words, const char *key)
{
    xsh_doc_t *d = NULL;
    char buf[256], *save = NULL;

    ck_assert_int_eq(xsh_doc_new(&d, NULL), XSH_OK);
    snprintf(buf, sizeof buf, "%s", words);
    for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ",
                                                              &save))
        ck_assert_int_eq(xsh_doc_add_term(d, t, 1), XSH_OK);
    ck_assert_int_eq(xsh_doc_add_value(d, 3, key, strlen(key)), XSH_OK);
    ck_assert_int_eq(xsh_doc_set_data(d, id, strlen(id)), XSH_OK);
    ck_assert_int_eq(xsh_wdb_replace(w, id, d, NULL), XSH_OK);
    xsh_doc_free(d);
}

static void
setup(void)
{
    xsh_wdb_t *w = NULL;

    scratch_make(tmpdir, sizeof tmpdir, "like-test");
    snprintf(dbpath, sizeof dbpath, "%s/db", tmpdir);
    ck_assert_int_eq(xsh_wdb_open(dbpath, XSH_WDB_CREATE, &w, NULL), XSH_OK);
    add_doc(w, "Qa", "apple banana orchard harvest", "k1");       /* 1 */
    add_doc(w, "Qb", "apple banana orchard market", "k2");        /* 2 */
    add_doc(w, "Qc", "apple banana orchard harvest", "k1");       /* 3 */
    add_doc(w, "Qd", "zebra savanna", "k4");                      /* 4 */
    add_doc(w, "Qe", "Kfoo Kbar", "k5");                          /* 5 */
    add_doc(w, "Qf", "harvest market festival", "k6");            /* 6 */
    ck_assert_int_eq(xsh_wdb_set_metadata(w, "p.b", "two", 3), XSH_OK);
    ck_assert_int_eq(xsh_wdb_set_metadata(w, "p.a", "one", 3), XSH_OK);
    ck_assert_int_eq(xsh_wdb_set_metadata(w, "q.x", "other", 5), XSH_OK);
    ck_assert_int_eq(xsh_wdb_commit(w), XSH_OK);
    xsh_wdb_close(w);
}

static void
teardown(void)
{
    scratch_remove(tmpdir);
}

static xsh_db_t *
open_db(void)
{
    const char *p[1] = { dbpath };
    xsh_db_t *db = NULL;
    ck_assert_int_eq(xsh_db_open(p, 1, 0, &db, NULL), XSH_OK);
    return db;
}

/* ------------------------------------------------------------------ */

typedef struct kv {
    char text[256];
    unsigned calls, stop_after;
} kv_t;

static bool
collect(void *ctx, const char *key, const char *value, size_t len)
{
    kv_t *k = ctx;
    size_t at = strlen(k->text);
    snprintf(k->text + at, sizeof k->text - at, "%s=%.*s;", key, (int)len,
             value);
    return ++k->calls != k->stop_after;
}

START_TEST(test_db_each_metadata_prefix)
{
    xsh_db_t *db = open_db();
    kv_t k = { "", 0, 0 };

    ck_assert_int_eq(xsh_db_each_metadata(db, "p.", collect, &k), XSH_OK);
    ck_assert_str_eq(k.text, "p.a=one;p.b=two;");
    k = (kv_t){ "", 0, 1 };
    ck_assert_int_eq(xsh_db_each_metadata(db, "p.", collect, &k), XSH_OK);
    ck_assert_str_eq(k.text, "p.a=one;");
    k = (kv_t){ "", 0, 0 };
    ck_assert_int_eq(xsh_db_each_metadata(db, "none.", collect, &k), XSH_OK);
    ck_assert_str_eq(k.text, "");
    ck_assert_int_eq(xsh_db_each_metadata(db, NULL, collect, &k),
                     XSH_INVALID_ARG);
    ck_assert_str_eq(xsh_db_errmsg(db), "NULL argument");
    ck_assert_int_eq(xsh_db_each_metadata(NULL, "p.", collect, &k),
                     XSH_INVALID_ARG);
    xsh_db_close(db);
}
END_TEST

START_TEST(test_db_term_docids)
{
    xsh_db_t *db = open_db();
    xsh_docid_t *ids = NULL;
    size_t n = 99;

    ck_assert_int_eq(xsh_db_term_docids(db, "harvest", &ids, &n), XSH_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(ids[0], 1);
    ck_assert_uint_eq(ids[1], 3);
    ck_assert_uint_eq(ids[2], 6);
    free(ids);
    ck_assert_int_eq(xsh_db_term_docids(db, "nothing", &ids, &n), XSH_OK);
    ck_assert_ptr_null(ids);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(xsh_db_term_docids(db, NULL, &ids, &n),
                     XSH_INVALID_ARG);
    ck_assert_str_eq(xsh_db_errmsg(db), "NULL argument");
    xsh_db_close(db);
}
END_TEST

/* The docids found by S, in rank order, as "2 6 ". */
static void
hits(xsh_search_t *s, char *out, size_t len)
{
    xsh_results_t *r = NULL;
    xsh_hit_t h;

    *out = '\0';
    ck_assert_int_eq(xsh_search_run(s, 0, 10, 0, &r), XSH_OK);
    for (unsigned i = 0; i < xsh_results_size(r); i++) {
        ck_assert_int_eq(xsh_results_get(r, i, &h), XSH_OK);
        size_t at = strlen(out);
        snprintf(out + at, len - at, "%u ", h.docid);
    }
    xsh_results_free(r);
}

START_TEST(test_search_like_leaves_out_example_and_copies)
{
    xsh_db_t *db = open_db();
    xsh_search_t *s = NULL;
    xsh_docid_t ex[1] = { 1 };
    char got[64];

    ck_assert_int_eq(xsh_search_new(db, &s, NULL), XSH_OK);
    ck_assert_int_eq(xsh_search_parse(s, "", 0), XSH_OK);
    ck_assert_int_eq(xsh_search_like(s, ex, 1, 10, 3, false), XSH_OK);
    hits(s, got, sizeof got);
    /* The closest first; never 1 (the example) nor 3 (its key). */
    ck_assert_str_eq(got, "2 6 ");
    xsh_search_free(s);

    /* Without a slot only the example itself goes. */
    ck_assert_int_eq(xsh_search_new(db, &s, NULL), XSH_OK);
    ck_assert_int_eq(xsh_search_parse(s, "", 0), XSH_OK);
    ck_assert_int_eq(xsh_search_like(s, ex, 1, 10, XSH_NO_SLOT, false),
                     XSH_OK);
    hits(s, got, sizeof got);
    ck_assert_str_eq(got, "3 2 6 ");
    xsh_search_free(s);

    /* With a query, both must match. */
    ck_assert_int_eq(xsh_search_new(db, &s, NULL), XSH_OK);
    ck_assert_int_eq(xsh_search_parse(s, "festival", 0), XSH_OK);
    ck_assert_int_eq(xsh_search_like(s, ex, 1, 10, 3, true), XSH_OK);
    hits(s, got, sizeof got);
    ck_assert_str_eq(got, "6 ");
    xsh_search_free(s);
    xsh_db_close(db);
}
END_TEST

START_TEST(test_search_like_errors)
{
    xsh_db_t *db = open_db();
    xsh_search_t *s = NULL;
    xsh_docid_t none[1] = { 999 }, prefixed[1] = { 5 }, ok[1] = { 1 };

    ck_assert_int_eq(xsh_search_new(db, &s, NULL), XSH_OK);
    ck_assert_int_eq(xsh_search_like(s, ok, 0, 10, 3, false),
                     XSH_INVALID_ARG);
    ck_assert_str_eq(xsh_search_errmsg(s), "no example documents");
    ck_assert_int_eq(xsh_search_like(s, NULL, 1, 10, 3, false),
                     XSH_INVALID_ARG);
    ck_assert_int_eq(xsh_search_like(s, none, 1, 10, 3, false),
                     XSH_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(xsh_search_errmsg(s), "999"));
    ck_assert_int_eq(xsh_search_like(s, prefixed, 1, 10, 3, false),
                     XSH_NOT_FOUND);
    ck_assert_str_eq(xsh_search_errmsg(s),
                     "the example has no words to search for");
    ck_assert_int_eq(xsh_search_like(NULL, ok, 1, 10, 3, false),
                     XSH_INVALID_ARG);
    xsh_search_free(s);
    xsh_db_close(db);
}
END_TEST

Suite *
like_suite(void)
{
    Suite *su = suite_create("like");
    TCase *tc = tcase_create("metadata");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_db_each_metadata_prefix);
    tcase_add_test(tc, test_db_term_docids);
    suite_add_tcase(su, tc);
    tc = tcase_create("like");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_search_like_leaves_out_example_and_copies);
    tcase_add_test(tc, test_search_like_errors);
    suite_add_tcase(su, tc);
    return su;
}
