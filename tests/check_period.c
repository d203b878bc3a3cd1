/* check_period.c - tests of searcher/period.c (histogram periods) and of
 * the count formatting in searcher/output.c
 *
 * Table-driven: ISO week labels around year ends (the cases calendars get
 * wrong), the auto unit's thresholds, and histograms that must keep every
 * count and fill quiet periods with zeros.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "searcher/output.h"
#include "searcher/period.h"
#include "tests/suites.h"

static const struct {
    const char *key;
    const char *day, *week, *month, *year;
} labels[] = {
    { "20250212", "2025-02-12", "2025-W07", "2025-02", "2025" },
    /* 2024-12-30 is a Monday: week 1 of 2025. */
    { "20241230", "2024-12-30", "2025-W01", "2024-12", "2024" },
    /* 2021-01-03 is a Sunday: the last week of 2020, week 53. */
    { "20210103", "2021-01-03", "2020-W53", "2021-01", "2021" },
    { "20210104", "2021-01-04", "2021-W01", "2021-01", "2021" },
    /* 2027-01-01 is a Friday: week 53 of 2026. */
    { "20270101", "2027-01-01", "2026-W53", "2027-01", "2027" },
    { "20240229", "2024-02-29", "2024-W09", "2024-02", "2024" },
    { "19700101", "1970-01-01", "1970-W01", "1970-01", "1970" },
    /* Before 1970: floor division, not truncation. */
    { "19691229", "1969-12-29", "1970-W01", "1969-12", "1969" },
    { "19691228", "1969-12-28", "1969-W52", "1969-12", "1969" },
    { "00010101", "0001-01-01", "0001-W01", "0001-01", "0001" },
};

START_TEST(test_period_label_table)
{
    long day;
    char buf[PERIOD_LABEL_MAX];

    ck_assert_int_eq(period_day_from_key(labels[_i].key, &day), 0);
    ck_assert_str_eq(period_label(PERIOD_DAY, day, buf), labels[_i].day);
    ck_assert_str_eq(period_label(PERIOD_WEEK, day, buf), labels[_i].week);
    ck_assert_str_eq(period_label(PERIOD_MONTH, day, buf),
                     labels[_i].month);
    ck_assert_str_eq(period_label(PERIOD_YEAR, day, buf), labels[_i].year);
}
END_TEST

START_TEST(test_period_day_from_key_bad)
{
    static const char *const bad[] = { "", "2025021", "202502120",
                                       "2025-02-", "20251301", "20250230",
                                       "20230229", "00000101", "2025021x" };
    long day = 42;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_int_eq(period_day_from_key(bad[i], &day), -1);
    ck_assert_int_eq(period_day_from_key(NULL, &day), -1);
    ck_assert_int_eq(day, 42);
}
END_TEST

START_TEST(test_period_unit_parse)
{
    period_unit_t u;
    ck_assert_int_eq(period_unit_parse("week", &u), 0);
    ck_assert_int_eq(u, PERIOD_WEEK);
    ck_assert_int_eq(period_unit_parse("auto", &u), 0);
    ck_assert_int_eq(u, PERIOD_AUTO);
    ck_assert_int_eq(period_unit_parse("fortnight", &u), -1);
    ck_assert_int_eq(period_unit_parse("Week", &u), -1);
    ck_assert_int_eq(period_unit_parse(NULL, &u), -1);
    ck_assert_str_eq(period_unit_name(PERIOD_MONTH), "month");
}
END_TEST

START_TEST(test_period_auto)
{
    ck_assert_int_eq(period_auto(0, 0), PERIOD_DAY);
    ck_assert_int_eq(period_auto(0, 62), PERIOD_DAY);
    ck_assert_int_eq(period_auto(0, 63), PERIOD_WEEK);
    ck_assert_int_eq(period_auto(0, 366), PERIOD_WEEK);
    ck_assert_int_eq(period_auto(0, 367), PERIOD_MONTH);
    ck_assert_int_eq(period_auto(0, 3653), PERIOD_MONTH);
    ck_assert_int_eq(period_auto(0, 3654), PERIOD_YEAR);
}
END_TEST

/* DAYS from pairs of "YYYYMMDD" and counts. */
static out_counts_t
days_of(const char *const *keys, const unsigned *counts, size_t n)
{
    out_counts_t c = { calloc(n ? n : 1, sizeof(out_count_t)), n };
    for (size_t i = 0; i < n; i++) {
        c.v[i].value = strdup(keys[i]);
        c.v[i].count = counts[i];
    }
    return c;
}

static unsigned
sum(const out_counts_t *c)
{
    unsigned s = 0;
    for (size_t i = 0; i < c->n; i++)
        s += c->v[i].count;
    return s;
}

START_TEST(test_period_histogram_weeks)
{
    /* Out of order, two days in one week, a bad value ignored. */
    static const char *const keys[] = { "20250212", "20250101", "20250210",
                                        "garbage" };
    static const unsigned counts[] = { 2, 1, 4, 9 };
    out_counts_t days = days_of(keys, counts, 4), h;
    period_unit_t used;

    ck_assert_int_eq(period_histogram(&days, PERIOD_WEEK, &h, &used), 0);
    ck_assert_int_eq(used, PERIOD_WEEK);
    /* 2025-W01 .. 2025-W07, quiet weeks as zeros. */
    ck_assert_uint_eq(h.n, 7);
    ck_assert_str_eq(h.v[0].value, "2025-W01");
    ck_assert_uint_eq(h.v[0].count, 1);
    ck_assert_str_eq(h.v[3].value, "2025-W04");
    ck_assert_uint_eq(h.v[3].count, 0);
    ck_assert_str_eq(h.v[6].value, "2025-W07");
    ck_assert_uint_eq(h.v[6].count, 6);
    ck_assert_uint_eq(sum(&h), 7);
    out_counts_release(&h);
    out_counts_release(&days);
}
END_TEST

START_TEST(test_period_histogram_auto)
{
    static const char *const keys[] = { "20140301", "20260101" };
    static const unsigned counts[] = { 3, 5 };
    out_counts_t days = days_of(keys, counts, 2), h;
    period_unit_t used;

    ck_assert_int_eq(period_histogram(&days, PERIOD_AUTO, &h, &used), 0);
    ck_assert_int_eq(used, PERIOD_YEAR);
    ck_assert_uint_eq(h.n, 13);
    ck_assert_str_eq(h.v[1].value, "2015");
    ck_assert_uint_eq(h.v[1].count, 0);
    ck_assert_uint_eq(sum(&h), 8);
    out_counts_release(&h);

    /* Nothing dated: no bars, month as the unit. */
    out_counts_t none = { NULL, 0 };
    ck_assert_int_eq(period_histogram(&none, PERIOD_AUTO, &h, &used), 0);
    ck_assert_uint_eq(h.n, 0);
    ck_assert_int_eq(used, PERIOD_MONTH);
    out_counts_release(&days);
}
END_TEST

START_TEST(test_period_histogram_sparse)
{
    /* Days over more than PERIOD_MAX_FILL days: only the days with
     * matches, still in order and summing up. */
    static const char *const keys[] = { "20250101", "00010101", "20250101" };
    static const unsigned counts[] = { 1, 2, 3 };
    out_counts_t days = days_of(keys, counts, 3), h;
    period_unit_t used;

    ck_assert_int_eq(period_histogram(&days, PERIOD_DAY, &h, &used), 0);
    ck_assert_uint_eq(h.n, 2);
    ck_assert_str_eq(h.v[0].value, "0001-01-01");
    ck_assert_str_eq(h.v[1].value, "2025-01-01");
    ck_assert_uint_eq(h.v[1].count, 4);
    out_counts_release(&h);
    out_counts_release(&days);
}
END_TEST

START_TEST(test_out_thousands)
{
    char buf[32];
    ck_assert_str_eq(out_thousands(0, buf, sizeof buf), "0");
    ck_assert_str_eq(out_thousands(999, buf, sizeof buf), "999");
    ck_assert_str_eq(out_thousands(1000, buf, sizeof buf), "1,000");
    ck_assert_str_eq(out_thousands(1200, buf, sizeof buf), "1,200");
    ck_assert_str_eq(out_thousands(123456, buf, sizeof buf), "123,456");
    ck_assert_str_eq(out_thousands(4294967295UL, buf, sizeof buf),
                     "4,294,967,295");
}
END_TEST

Suite *
period_suite(void)
{
    Suite *s = suite_create("period");
    TCase *tc = tcase_create("labels");
    tcase_add_loop_test(tc, test_period_label_table, 0,
                        sizeof labels / sizeof *labels);
    tcase_add_test(tc, test_period_day_from_key_bad);
    tcase_add_test(tc, test_period_unit_parse);
    tcase_add_test(tc, test_period_auto);
    suite_add_tcase(s, tc);
    tc = tcase_create("histogram");
    tcase_add_test(tc, test_period_histogram_weeks);
    tcase_add_test(tc, test_period_histogram_auto);
    tcase_add_test(tc, test_period_histogram_sparse);
    suite_add_tcase(s, tc);
    tc = tcase_create("thousands");
    tcase_add_test(tc, test_out_thousands);
    suite_add_tcase(s, tc);
    return s;
}
