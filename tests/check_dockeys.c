/* check_dockeys.c - Check tests for documents found by their unique term
 *
 * xsh_db_doc_term() (a document's term of a prefix, and which database
 * holds it) and xsh_db_term_doc() (the document of a unique term, in a
 * given database when several are searched as one): what dossier-serve's
 * stable document links stand on.  Split from check_shim.c, which is
 * long enough; same fixtures, a fresh mkdtemp directory per test.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim/xsh.h"
#include "tests/scratch.h"
#include "tests/suites.h"

static char tmpdir[256];

static void
setup_tmpdir(void)
{
    scratch_make(tmpdir, sizeof tmpdir, "xsh-keys");
}

static void
teardown_tmpdir(void)
{
    scratch_remove(tmpdir);
}

/* Index documents into TMPDIR/NAME, each with the unique term KEYS[i],
 * an author term and DATA KEYS[i] + ":" + TAG; returns the path. */
static const char *
build(const char *name, const char *const *keys, size_t n, const char *tag)
{
    static char path[2][300];
    static int which;
    char *p = path[which++ % 2];
    xsh_wdb_t *w = NULL;

    snprintf(p, sizeof path[0], "%s/%s", tmpdir, name);
    ck_assert_int_eq(xsh_wdb_open(p, XSH_WDB_CREATE_OR_OPEN, &w, NULL),
                     XSH_OK);
    for (size_t i = 0; i < n; i++) {
        xsh_doc_t *doc = NULL;
        char data[128];
        snprintf(data, sizeof data, "%s:%s", keys[i], tag);
        ck_assert_int_eq(xsh_doc_new(&doc, NULL), XSH_OK);
        ck_assert_int_eq(xsh_doc_add_boolean_term(doc, "Asomeone"), XSH_OK);
        ck_assert_int_eq(xsh_doc_add_boolean_term(doc, keys[i]), XSH_OK);
        ck_assert_int_eq(xsh_doc_add_boolean_term(doc, "Zword"), XSH_OK);
        ck_assert_int_eq(xsh_doc_set_data(doc, data, strlen(data)), XSH_OK);
        ck_assert_int_eq(xsh_wdb_replace(w, keys[i], doc, NULL), XSH_OK);
        xsh_doc_free(doc);
    }
    ck_assert_int_eq(xsh_wdb_commit(w), XSH_OK);
    xsh_wdb_close(w);
    return p;
}

static xsh_db_t *
open_dbs(const char *const *paths, size_t n)
{
    xsh_db_t *db = NULL;
    ck_assert_int_eq(xsh_db_open(paths, n, 0, &db, NULL), XSH_OK);
    return db;
}

/* The data of the document KEY resolves to in SHARD. */
static void
assert_resolves(xsh_db_t *db, const char *key, unsigned shard,
                const char *want)
{
    xsh_docid_t id = 0;
    char *data = NULL;

    ck_assert_int_eq(xsh_db_term_doc(db, key, shard, &id), XSH_OK);
    ck_assert_uint_ne(id, 0);
    ck_assert_int_eq(xsh_db_get_data(db, id, &data, NULL), XSH_OK);
    ck_assert_str_eq(data, want);
    free(data);
}

START_TEST(test_doc_term_one_database)
{
    static const char *const keys[] = { "Qdocs/a.md", "Qposts.jsonl#7" };
    const char *p = build("one", keys, 2, "x");
    xsh_db_t *db = open_dbs(&p, 1);
    char *term = NULL;
    unsigned shard = 99, n = 99;

    for (xsh_docid_t id = 1; id <= 2; id++) {
        ck_assert_int_eq(xsh_db_doc_term(db, id, "Q", &term, &shard, &n),
                         XSH_OK);
        ck_assert_str_eq(term, keys[id - 1]);
        ck_assert_uint_eq(shard, 0);
        ck_assert_uint_eq(n, 1);
        free(term);
        assert_resolves(db, keys[id - 1], 0, id == 1 ? "Qdocs/a.md:x" :
                        "Qposts.jsonl#7:x");
    }
    /* OUT shard and n_shards may be NULL. */
    ck_assert_int_eq(xsh_db_doc_term(db, 1, "Q", &term, NULL, NULL),
                     XSH_OK);
    free(term);
    xsh_db_close(db);
}
END_TEST

START_TEST(test_doc_term_errors)
{
    static const char *const keys[] = { "Qdocs/a.md" };
    const char *p = build("err", keys, 1, "x");
    xsh_db_t *db = open_dbs(&p, 1);
    char *term = (char *)"stale";
    xsh_docid_t id = 5;

    /* A prefix the document has no term of. */
    ck_assert_int_eq(xsh_db_doc_term(db, 1, "K", &term, NULL, NULL),
                     XSH_NOT_FOUND);
    ck_assert_ptr_null(term);
    ck_assert_str_eq(xsh_db_errmsg(db),
                     "the document has no term with prefix 'K'");
    ck_assert_int_eq(xsh_db_doc_term(db, 42, "Q", &term, NULL, NULL),
                     XSH_NOT_FOUND);
    ck_assert_ptr_null(term);
    ck_assert_int_eq(xsh_db_doc_term(db, 0, "Q", &term, NULL, NULL),
                     XSH_INVALID_ARG);
    ck_assert_str_eq(xsh_db_errmsg(db), "document id 0 is invalid");
    ck_assert_int_eq(xsh_db_doc_term(db, 1, "", &term, NULL, NULL),
                     XSH_INVALID_ARG);
    ck_assert_int_eq(xsh_db_doc_term(db, 1, NULL, &term, NULL, NULL),
                     XSH_INVALID_ARG);
    ck_assert_int_eq(xsh_db_doc_term(db, 1, "Q", NULL, NULL, NULL),
                     XSH_INVALID_ARG);
    ck_assert_int_eq(xsh_db_doc_term(NULL, 1, "Q", &term, NULL, NULL),
                     XSH_INVALID_ARG);

    ck_assert_int_eq(xsh_db_term_doc(db, "Qnone", 0, &id), XSH_NOT_FOUND);
    ck_assert_uint_eq(id, 0);
    ck_assert_str_eq(xsh_db_errmsg(db), "no document has the term");
    ck_assert_int_eq(xsh_db_term_doc(db, "", 0, &id), XSH_INVALID_ARG);
    ck_assert_int_eq(xsh_db_term_doc(db, NULL, 0, &id), XSH_INVALID_ARG);
    ck_assert_int_eq(xsh_db_term_doc(db, "Qdocs/a.md", 0, NULL),
                     XSH_INVALID_ARG);
    ck_assert_int_eq(xsh_db_term_doc(NULL, "Qdocs/a.md", 0, &id),
                     XSH_INVALID_ARG);
    xsh_db_close(db);
}
END_TEST

/* Two databases searched as one, both holding "Qsame": the shard says
 * which; a key only one holds is found from any shard. */
START_TEST(test_term_doc_two_databases)
{
    static const char *const k1[] = { "Qsame", "Qfirst" };
    static const char *const k2[] = { "Qsecond", "Qsame" };
    const char *paths[2];
    paths[0] = build("db1", k1, 2, "one");
    paths[1] = build("db2", k2, 2, "two");
    xsh_db_t *db = open_dbs(paths, 2);
    char *term = NULL;
    unsigned shard = 99, n = 0;

    assert_resolves(db, "Qsame", 0, "Qsame:one");
    assert_resolves(db, "Qsame", 1, "Qsame:two");
    assert_resolves(db, "Qsame", 7, "Qsame:one");   /* none there: first */
    assert_resolves(db, "Qsecond", 0, "Qsecond:two");
    assert_resolves(db, "Qfirst", 1, "Qfirst:one");

    /* And back: the shard a document's term is in. */
    xsh_docid_t id = 0;
    ck_assert_int_eq(xsh_db_term_doc(db, "Qsame", 1, &id), XSH_OK);
    ck_assert_int_eq(xsh_db_doc_term(db, id, "Q", &term, &shard, &n),
                     XSH_OK);
    ck_assert_str_eq(term, "Qsame");
    ck_assert_uint_eq(shard, 1);
    ck_assert_uint_eq(n, 2);
    free(term);
    ck_assert_int_eq(xsh_db_term_doc(db, "Qfirst", 0, &id), XSH_OK);
    ck_assert_int_eq(xsh_db_doc_term(db, id, "Q", &term, &shard, &n),
                     XSH_OK);
    ck_assert_uint_eq(shard, 0);
    free(term);
    xsh_db_close(db);
}
END_TEST

Suite *
dockeys_suite(void)
{
    Suite *s = suite_create("dockeys");
    TCase *tc = tcase_create("doc_term");

    tcase_add_checked_fixture(tc, setup_tmpdir, teardown_tmpdir);
    tcase_add_test(tc, test_doc_term_one_database);
    tcase_add_test(tc, test_doc_term_errors);
    tcase_add_test(tc, test_term_doc_two_databases);
    suite_add_tcase(s, tc);
    return s;
}
