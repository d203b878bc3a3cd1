/* check_export.c - tests of searcher/output.c's CSV cells and --fields
 *
 * Table-driven: RFC 4180 quoting, the spreadsheet-formula guard on text
 * cells only, control characters dropped, and the field lists --fields
 * accepts and refuses.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "searcher/output.h"
#include "tests/suites.h"

static const struct {
    const char *in;
    bool text;
    const char *out;
} cells[] = {
    { "plain", true, "plain" },
    { "a,b", true, "\"a,b\"" },
    { "say \"hi\"", true, "\"say \"\"hi\"\"\"" },
    { "two\nlines", false, "\"two\nlines\"" },
    { "cr\rhere", false, "\"cr\rhere\"" },
    /* Text cells lose control characters (newlines become spaces). */
    { "two\nlines", true, "two lines" },
    { "bell\007", true, "bell" },
    /* Formulas: a leading quote, inside a quoted cell. */
    { "=1+1", true, "\"'=1+1\"" },
    { "+44 20", true, "\"'+44 20\"" },
    { "-nato", true, "\"'-nato\"" },
    { "@handle", true, "\"'@handle\"" },
    { "=a,\"b\"", true, "\"'=a,\"\"b\"\"\"" },
    /* Not text (numbers, dates): as written. */
    { "-1", false, "-1" },
    { "2025-01-02", false, "2025-01-02" },
    { "", true, "" },
    { NULL, true, "" },
};

START_TEST(test_csv_cell_table)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    out_csv_cell(f, cells[_i].in, cells[_i].text);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_str_eq(buf, cells[_i].out);
    free(buf);
}
END_TEST

START_TEST(test_fields_parse_ok)
{
    out_fields_t f;
    char err[256];
    ck_assert_int_eq(out_fields_parse("title,rank,lang", out_hit_fields, &f,
                                      err, sizeof err), 0);
    ck_assert_uint_eq(f.n, 3);
    ck_assert_str_eq(out_hit_fields[f.v[0]], "title");
    ck_assert_str_eq(out_hit_fields[f.v[1]], "rank");
    ck_assert_str_eq(out_hit_fields[f.v[2]], "lang");
}
END_TEST

static const struct {
    const char *spec;
    const char *err;
} bad_fields[] = {
    { "rank,nope", "unknown field 'nope' (expected rank, docid, score, "
      "path, id, line, title, authors, date, source, url, snippet, "
      "duplicates, lang, page, forwarded_from, reply_to)" },
    { "", "empty field name in ''" },
    { "rank,", "empty field name in 'rank,'" },
    { ",rank", "empty field name in ',rank'" },
    { "ran", "unknown field 'ran' (expected rank, docid, score, path, id, "
      "line, title, authors, date, source, url, snippet, duplicates, "
      "lang, page, forwarded_from, reply_to)" },
};

START_TEST(test_fields_parse_bad)
{
    out_fields_t f;
    char err[512];
    ck_assert_int_eq(out_fields_parse(bad_fields[_i].spec, out_hit_fields,
                                      &f, err, sizeof err), -1);
    ck_assert_str_eq(err, bad_fields[_i].err);
}
END_TEST

Suite *
export_suite(void)
{
    Suite *s = suite_create("export");
    TCase *tc = tcase_create("csv_cell");
    tcase_add_loop_test(tc, test_csv_cell_table, 0,
                        (int)(sizeof cells / sizeof cells[0]));
    suite_add_tcase(s, tc);
    tc = tcase_create("fields");
    tcase_add_test(tc, test_fields_parse_ok);
    tcase_add_loop_test(tc, test_fields_parse_bad, 0,
                        (int)(sizeof bad_fields / sizeof bad_fields[0]));
    suite_add_tcase(s, tc);
    return s;
}
