/* check_schema.c - tests of config/schema.c: the schema version check
 *
 * Table-driven: every stored version string is its own loop test, with
 * the state and the exact message both programs print after "PROG: DB: ".
 * The rows are written for SCHEMA_VERSION "2" and SCHEMA_VERSION_PACKED
 * "3"; the first test says so if they change.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <check.h>

#include "config/schema.h"
#include "tests/suites.h"

typedef struct schema_case {
    const char *stored;
    unsigned n_docs;
    schema_use_t use;
    schema_state_t want;
    const char *msg;            /* exact; "" when the check passes */
} schema_case_t;

static const schema_case_t schema_cases[] = {
    { "2", 10, SCHEMA_USE_READ, SCHEMA_CURRENT, "" },
    { "2", 10, SCHEMA_USE_WRITE, SCHEMA_CURRENT, "" },
    /* Packed data (SCHEMA_VERSION_PACKED): read and updated as well. */
    { "3", 10, SCHEMA_USE_READ, SCHEMA_CURRENT, "" },
    { "3", 10, SCHEMA_USE_WRITE, SCHEMA_CURRENT, "" },
    /* Missing: a new database, or another program's. */
    { "", 0, SCHEMA_USE_WRITE, SCHEMA_UNSET, "" },
    { "", 0, SCHEMA_USE_READ, SCHEMA_UNSET, "" },
    { "", 3, SCHEMA_USE_READ, SCHEMA_ERR_FOREIGN,
      "not a dossier database (no schema version; documents from another "
      "program?)" },
    { "", 3, SCHEMA_USE_WRITE, SCHEMA_ERR_FOREIGN,
      "not a dossier database (no schema version; documents from another "
      "program?)" },
    /* Not a number: atoi() once read these as version 0, "older". */
    { "x", 3, SCHEMA_USE_READ, SCHEMA_ERR_INVALID,
      "database schema version 'x' is not a number" },
    { "x", 3, SCHEMA_USE_WRITE, SCHEMA_ERR_INVALID,
      "database schema version 'x' is not a number" },
    { "2x", 3, SCHEMA_USE_WRITE, SCHEMA_ERR_INVALID,
      "database schema version '2x' is not a number" },
    { " 2", 3, SCHEMA_USE_READ, SCHEMA_ERR_INVALID,
      "database schema version ' 2' is not a number" },
    { "-1", 3, SCHEMA_USE_READ, SCHEMA_ERR_INVALID,
      "database schema version '-1' is not a number" },
    { "+3", 3, SCHEMA_USE_READ, SCHEMA_ERR_INVALID,
      "database schema version '+3' is not a number" },
    { "02", 3, SCHEMA_USE_READ, SCHEMA_ERR_INVALID,
      "database schema version '02' is not a valid version number" },
    { "0", 3, SCHEMA_USE_WRITE, SCHEMA_ERR_INVALID,
      "database schema version '0' is not a valid version number" },
    /* Newer: left for the dossier that wrote it. */
    { "4", 3, SCHEMA_USE_READ, SCHEMA_ERR_NEWER,
      "database schema version '4' is not supported by this dossier-search "
      "(it reads versions 2 and 3): it was written by a newer dossier" },
    { "99", 3, SCHEMA_USE_WRITE, SCHEMA_ERR_NEWER,
      "database schema version '99' is not supported by this dossier-index "
      "(it writes versions 2 and 3): it was written by a newer dossier" },
    { "99999999999999999999999", 3, SCHEMA_USE_READ, SCHEMA_ERR_NEWER,
      "database schema version '99999999999999999999999' is not supported "
      "by this dossier-search (it reads versions 2 and 3): it was written "
      "by a newer dossier" },
    /* Older: rebuilt from the files (tests/cli/t62 checks these too). */
    { "1", 3, SCHEMA_USE_WRITE, SCHEMA_ERR_OLDER,
      "database schema version '1' is older than this dossier-index's (2): "
      "delete the database and index again with dossier-index" },
    { "1", 3, SCHEMA_USE_READ, SCHEMA_ERR_OLDER,
      "database schema version '1' is not supported by this dossier-search "
      "(it reads versions 2 and 3): delete the database and index again "
      "with dossier-index" },
};

START_TEST(test_schema_check_version_is_2)
{
    ck_assert_str_eq(SCHEMA_VERSION, "2");
    ck_assert_str_eq(SCHEMA_VERSION_PACKED, "3");
}
END_TEST

START_TEST(test_schema_check_table)
{
    const schema_case_t *c = &schema_cases[_i];
    char msg[512];

    memset(msg, 'z', sizeof msg);
    ck_assert_msg(schema_check(c->stored, c->n_docs, c->use, msg,
                               sizeof msg) == c->want,
                  "'%s' (%u documents): state %d, want %d", c->stored,
                  c->n_docs, (int)schema_check(c->stored, c->n_docs, c->use,
                                               msg, sizeof msg),
                  (int)c->want);
    ck_assert_str_eq(msg, c->msg);
}
END_TEST

/* A short buffer gets the start of the message, NUL-terminated. */
START_TEST(test_schema_check_short_buffer)
{
    char msg[16];

    memset(msg, 'z', sizeof msg);
    ck_assert_int_eq(schema_check("x", 1, SCHEMA_USE_READ, msg, sizeof msg),
                     SCHEMA_ERR_INVALID);
    ck_assert_str_eq(msg, "database schema");
}
END_TEST

Suite *
schema_suite(void)
{
    Suite *s = suite_create("schema");
    TCase *tc = tcase_create("schema_check");

    tcase_add_test(tc, test_schema_check_version_is_2);
    tcase_add_loop_test(tc, test_schema_check_table, 0,
                        (int)(sizeof schema_cases / sizeof *schema_cases));
    tcase_add_test(tc, test_schema_check_short_buffer);
    suite_add_tcase(s, tc);
    return s;
}
