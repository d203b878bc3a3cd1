/* check_spell.c - Check tests for British and American spellings and
 * hyphenated compounds (shim/spelling.cc)
 *
 * Through the C API only: a database of one-line documents, each writing
 * a word one way, built in a fresh mkdtemp directory per test, and a
 * table of queries with the documents each must find, with
 * xsh_search_set_spellings() on and off.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim/xsh.h"
#include "tests/scratch.h"
#include "tests/suites.h"

static char tmpdir[256];

static void
setup_tmpdir(void)
{
    scratch_make(tmpdir, sizeof tmpdir, "check_spell");
}

static void
teardown_tmpdir(void)
{
    scratch_remove(tmpdir);
}

/* { id, text } */
static const char *const docs[][2] = {
    { "a", "More air defence for Kyiv." },
    { "b", "More air defense for Lviv." },
    { "c", "The counter-offensive near Kherson." },
    { "d", "The counteroffensive near Izium." },
    { "e", "The counter offensive near Bakhmut." },
    { "f", "The peace prize." },
    { "g", "To prise the door open." },
    { "h", "Organised armour in the centre." },
    { "i", "Organized armor in the center." },
    { "j", "F-16 jets arrived in 2022-04." },
    { "k", "F16 jets." },
    { "l", "The Russia-Ukraine talks." },
    { "m", "The well-known-place." },
};
enum { N_DOCS = sizeof docs / sizeof docs[0] };

static const char *
db_path(void)
{
    static char path[300];

    snprintf(path, sizeof path, "%s/db", tmpdir);
    return path;
}

static void
build_db(void)
{
    xsh_wdb_t *w = NULL;
    xsh_termgen_t *tg = NULL;

    ck_assert_int_eq(xsh_wdb_open(db_path(), XSH_WDB_CREATE_OR_OPEN, &w,
                                  NULL), XSH_OK);
    ck_assert_int_eq(xsh_termgen_new("english", &tg, NULL), XSH_OK);
    for (size_t i = 0; i < N_DOCS; i++) {
        xsh_doc_t *doc = NULL;
        char id[8];
        const char *text = docs[i][1];

        snprintf(id, sizeof id, "Q%s", docs[i][0]);
        ck_assert_int_eq(xsh_doc_new(&doc, NULL), XSH_OK);
        ck_assert_int_eq(xsh_termgen_index(tg, doc, text, strlen(text), 1,
                                           "", true), XSH_OK);
        ck_assert_int_eq(xsh_doc_set_data(doc, docs[i][0],
                                          strlen(docs[i][0])), XSH_OK);
        ck_assert_int_eq(xsh_wdb_replace(w, id, doc, NULL), XSH_OK);
        xsh_doc_free(doc);
    }
    ck_assert_int_eq(xsh_wdb_commit(w), XSH_OK);
    xsh_termgen_free(tg);
    xsh_wdb_close(w);
}

/* The ids QUERY finds, in byte order, into BUF. */
static void
find(const char *query, bool spellings, char *buf, size_t len)
{
    const char *path = db_path();
    xsh_db_t *db = NULL;
    xsh_search_t *s = NULL;
    xsh_results_t *r = NULL;
    char ids[N_DOCS + 1] = "";

    ck_assert_int_eq(xsh_db_open(&path, 1, 0, &db, NULL), XSH_OK);
    ck_assert_int_eq(xsh_search_new(db, &s, NULL), XSH_OK);
    ck_assert_int_eq(xsh_search_set_stemmer(s, "english"), XSH_OK);
    ck_assert_int_eq(xsh_search_set_spellings(s, spellings), XSH_OK);
    ck_assert_msg(xsh_search_parse(s, query, 0) == XSH_OK, "parse '%s': %s",
                  query, xsh_search_errmsg(s));
    ck_assert_int_eq(xsh_search_run(s, 0, N_DOCS, 0, &r), XSH_OK);
    for (unsigned i = 0; i < xsh_results_size(r); i++) {
        xsh_hit_t hit;
        ck_assert_int_eq(xsh_results_get(r, i, &hit), XSH_OK);
        ids[strlen(ids)] = hit.data[0];
    }
    for (size_t i = 1; ids[i]; i++) {       /* insertion sort */
        for (size_t j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
            char t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    }
    snprintf(buf, len, "%s", ids);
    xsh_results_free(r);
    xsh_search_free(s);
    xsh_db_close(db);
}

static const struct {
    const char *query;
    bool spellings;
    const char *ids;
} rows[] = {
    /* Spellings, both ways, as written and stemmed. */
    { "defence", true, "ab" },
    { "defense", true, "ab" },
    { "Defense", true, "ab" },
    { "organize armor", true, "hi" },
    { "organising", true, "hi" },
    { "centre", true, "hi" },
    { "center", true, "hi" },
    /* Phrases. */
    { "\"air defense\"", true, "ab" },
    { "\"air defence\"", true, "ab" },
    { "\"armour in the center\"", true, "hi" },
    { "\"defence air\"", true, "" },
    /* Compounds, hyphenated (c), joined (d) and apart (e). */
    { "counteroffensive", true, "cde" },
    { "counter-offensive", true, "cde" },
    { "counter offensive", true, "cde" },
    { "\"counter offensive\"", true, "cde" },
    { "counteroffensive OR prize", true, "cdef" },
    { "f16", true, "jk" },
    { "f-16", true, "jk" },
    /* What stays apart. */
    { "prize", true, "f" },
    { "prise", true, "g" },
    { "russia", true, "l" },
    { "ukraine", true, "l" },
    { "russiaukraine", true, "l" },
    { "202204", true, "" },         /* a date is no compound */
    { "wellknown", true, "" },      /* three parts are not marked */
    { "knownplace", true, "" },
    { "\"peace prize\"", true, "f" },
    /* Off: as written only. */
    { "defense", false, "b" },
    { "\"air defence\"", false, "a" },
    { "counteroffensive", false, "d" },
    { "counter offensive", false, "ce" },
};
enum { N_ROWS = sizeof rows / sizeof rows[0] };

START_TEST(test_spellings_table)
{
    char got[N_DOCS + 1];

    build_db();
    find(rows[_i].query, rows[_i].spellings, got, sizeof got);
    ck_assert_msg(strcmp(got, rows[_i].ids) == 0,
                  "'%s' (spellings %s): found '%s', expected '%s'",
                  rows[_i].query, rows[_i].spellings ? "on" : "off", got,
                  rows[_i].ids);
}
END_TEST

START_TEST(test_set_spellings_null)
{
    ck_assert_int_eq(xsh_search_set_spellings(NULL, true), XSH_INVALID_ARG);
}
END_TEST

Suite *
spell_suite(void)
{
    Suite *s = suite_create("spell");
    TCase *tc = tcase_create("spellings");

    tcase_add_checked_fixture(tc, setup_tmpdir, teardown_tmpdir);
    tcase_add_loop_test(tc, test_spellings_table, 0, N_ROWS);
    tcase_add_test(tc, test_set_spellings_null);
    suite_add_tcase(s, tc);
    return s;
}
