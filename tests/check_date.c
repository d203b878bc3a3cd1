/* check_date.c - tests of config/date.c: parsing, validation, formatting
 *
 * Table-driven: every row of the date tables is its own loop test, so each
 * bad row is reported.  Relative dates are computed from fixed instants in
 * fixed time zones.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "config/date.h"
#include "tests/suites.h"

/* 2025-08-16 12:00:00 UTC, a Saturday. */
#define NOW_2025_08_16 ((time_t)1755345600)
/* 2024-03-31 12:00:00 UTC: month-end clamping in a leap year. */
#define NOW_2024_03_31 ((time_t)1711886400)
/* 2024-01-01 00:30:00 UTC: still 2023-12-31 west of Greenwich. */
#define NOW_2024_01_01 ((time_t)1704069000)

static void
set_tz(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

/* ---------------------------------------------------------------- parse */

typedef struct date_case {
    const char *in;
    const char *iso;        /* expected date_format_iso(), NULL if invalid */
    date_prec_t prec;
    const char *err;        /* substring of the error when invalid */
} date_case_t;

#define OK(in, iso, prec) { in, iso, prec, NULL }
#define BAD(in, err) { in, NULL, DATE_PREC_DAY, err }

static const date_case_t date_cases[] = {
    /* ISO 8601 */
    OK("2025-08-16", "2025-08-16", DATE_PREC_DAY),
    OK("  2025-08-16\t", "2025-08-16", DATE_PREC_DAY),
    OK("2025-08-16T10:00:00Z", "2025-08-16", DATE_PREC_DAY),
    OK("2025-08-16T10:00:00", "2025-08-16", DATE_PREC_DAY),
    OK("2025-08-16t10:00z", "2025-08-16", DATE_PREC_DAY),
    OK("2025-08-16 10:00:00+02:00", "2025-08-16", DATE_PREC_DAY),
    OK("2025-08-16T23:59:59.123456-05:00", "2025-08-16", DATE_PREC_DAY),
    OK("2025-08-16T10:00:00,5+0530", "2025-08-16", DATE_PREC_DAY),
    OK("2025-08-16T10:00:00+01", "2025-08-16", DATE_PREC_DAY),
    OK("2025-08-16 10:00", "2025-08-16", DATE_PREC_DAY),
    OK("2025-08-16T24:00:00Z", "2025-08-16", DATE_PREC_DAY),
    OK("2025-08-16 23:59:60 UTC", "2025-08-16", DATE_PREC_DAY),
    OK("20250816", "2025-08-16", DATE_PREC_DAY),
    OK("20250816T100000Z", "2025-08-16", DATE_PREC_DAY),
    OK("2025-8-6", "2025-08-06", DATE_PREC_DAY),
    OK("2025/08/16", "2025-08-16", DATE_PREC_DAY),
    OK("0001-01-01", "0001-01-01", DATE_PREC_DAY),
    OK("9999-12-31", "9999-12-31", DATE_PREC_DAY),
    /* RFC 2822 */
    OK("Sat, 16 Aug 2025 10:00:00 +0000", "2025-08-16", DATE_PREC_DAY),
    OK("16 Aug 2025 10:00:00 +0000", "2025-08-16", DATE_PREC_DAY),
    OK("Sat, 16 Aug 2025 10:00:00 GMT", "2025-08-16", DATE_PREC_DAY),
    OK("Fri, 1 Aug 2025 23:10 EST", "2025-08-01", DATE_PREC_DAY),
    OK("Sat, 16 Aug 2025 10:00:00 +0000 (UTC)", "2025-08-16",
       DATE_PREC_DAY),
    OK("Saturday, 16 August 2025", "2025-08-16", DATE_PREC_DAY),
    OK("Sat Aug 16 10:00:00 2025", "2025-08-16", DATE_PREC_DAY),
    /* written forms */
    OK("August 16, 2025", "2025-08-16", DATE_PREC_DAY),
    OK("august 16 2025", "2025-08-16", DATE_PREC_DAY),
    OK("AUGUST 16, 2025", "2025-08-16", DATE_PREC_DAY),
    OK("Aug 16 2025", "2025-08-16", DATE_PREC_DAY),
    OK("Aug. 16, 2025", "2025-08-16", DATE_PREC_DAY),
    OK("Sept. 3, 2025", "2025-09-03", DATE_PREC_DAY),
    OK("Sep 3, 2025", "2025-09-03", DATE_PREC_DAY),
    OK("August 16th, 2025", "2025-08-16", DATE_PREC_DAY),
    OK("March 1st 2024", "2024-03-01", DATE_PREC_DAY),
    OK("August 16, 2025 10:30 PM", "2025-08-16", DATE_PREC_DAY),
    OK("August 16, 2025 at 3:15 p.m.", "2025-08-16", DATE_PREC_DAY),
    OK("16 August 2025, 10:00", "2025-08-16", DATE_PREC_DAY),
    OK("Monday, August 18, 2025", "2025-08-18", DATE_PREC_DAY),
    OK("16 August 2025", "2025-08-16", DATE_PREC_DAY),
    OK("16 Aug 2025", "2025-08-16", DATE_PREC_DAY),
    OK("16. August 2025", "2025-08-16", DATE_PREC_DAY),
    OK("16-Aug-2025", "2025-08-16", DATE_PREC_DAY),
    OK("2 may 2025", "2025-05-02", DATE_PREC_DAY),
    OK("29 February 2024", "2024-02-29", DATE_PREC_DAY),
    /* partial */
    OK("2025-08", "2025-08", DATE_PREC_MONTH),
    OK("2025/08", "2025-08", DATE_PREC_MONTH),
    OK("August 2025", "2025-08", DATE_PREC_MONTH),
    OK("Aug 2025", "2025-08", DATE_PREC_MONTH),
    OK("dec 1999", "1999-12", DATE_PREC_MONTH),
    OK("2025", "2025", DATE_PREC_YEAR),
    OK(" 1991 ", "1991", DATE_PREC_YEAR),
    /* calendar */
    BAD("2025-02-29", "day 29 out of range for February 2025"),
    BAD("2025-02-30", "day 30 out of range for February 2025"),
    BAD("1900-02-29", "day 29 out of range for February 1900"),
    OK("2000-02-29", "2000-02-29", DATE_PREC_DAY),
    BAD("2025-13-01", "month 13 out of range"),
    BAD("2025-13", "month 13 out of range"),
    BAD("2025-00-10", "month 0 out of range"),
    BAD("2025-08-32", "day 32 out of range"),
    BAD("2025-08-00", "day 0 out of range"),
    BAD("2025-04-31", "day 31 out of range for April 2025"),
    BAD("31 June 2025", "day 31 out of range for June 2025"),
    BAD("0000-01-01", "year 0 out of range"),
    BAD("0000", "year 0 out of range"),
    BAD("20250-08-16", "year '20250' out of range"),
    BAD("August 16, 20250", "year '20250' out of range"),
    BAD("August 16, 25", "year must have four digits"),
    /* garbage */
    BAD("2025-08-16x", "unexpected 'x' after the date"),
    BAD("2025-08-16 x", "unexpected 'x' after the date"),
    BAD("2025-08-16, x", "unexpected 'x' after the date"),
    BAD("2025-08-16 at", "unexpected 'at' after the date"),
    BAD("2025-08-16T", "invalid time"),
    BAD("2025-08-16T25:00:00", "hour 25 out of range"),
    BAD("2025-08-16T10:61", "minute 61 out of range"),
    BAD("2025-08-16 10:00 +2400", "time-zone offset out of range"),
    BAD("2025-08-16 10:00 XYZ", "unexpected 'XYZ' after the date"),
    BAD("2025-08-16 13:00 PM", "hour 13 out of range"),
    BAD("", "empty date"),
    BAD("   ", "empty date"),
    BAD("yesterday", "unrecognised date"),
    BAD("Augustus 16, 2025", "unrecognised date"),
    BAD("August 16", "missing year"),
    BAD("16/08/2025", "unrecognised date"),
    BAD("16.08.2025", "unrecognised date"),
    BAD("2025-08/16", "unexpected '/16' after the date"),
    BAD("202508", "unrecognised date"),
    BAD("2025-", "unrecognised date"),
    BAD("-2025", "unrecognised date"),
    BAD("2025-123", "unrecognised date"),
    BAD("2025 is the year", "unexpected ' is the year' after the date"),
    BAD("Monday", "unrecognised date"),
    BAD("\xc3\xa9t\xc3\xa9 2025", "unrecognised date"),
    /* Found by fuzz_date: a day of 15 digits after a weekday overflowed
     * an int (tests/fuzz/corpus/date/crash-day-overflow). */
    BAD("Sat,022120022123131AuguA", "unrecognised date"),
    BAD("Sat, 0221200221231 Aug 2025", "unrecognised date"),
    BAD("Sat, 123 Aug 2025", "unrecognised date"),
};

START_TEST(test_date_parse_table)
{
    const date_case_t *c = &date_cases[_i];
    date_t d;
    char err[128], buf[16];
    int rc;

    memset(err, 'x', sizeof err);
    rc = date_parse(c->in, &d, err, sizeof err);
    if (c->iso != NULL) {
        ck_assert_msg(rc == 0, "'%s' failed: %s", c->in, err);
        ck_assert_str_eq(date_format_iso(d, buf), c->iso);
        ck_assert_int_eq(d.prec, c->prec);
        ck_assert_int_eq(date_is_valid(d.year, d.month, d.day), 1);
    } else {
        ck_assert_msg(rc == -1, "'%s' parsed", c->in);
        ck_assert_msg(strstr(err, c->err) != NULL,
                      "'%s': error '%s' lacks '%s'", c->in, err, c->err);
    }
}
END_TEST

START_TEST(test_date_parse_null_err)
{
    date_t d;

    ck_assert_int_eq(date_parse("2025-13-01", &d, NULL, 0), -1);
    ck_assert_int_eq(date_parse(NULL, &d, NULL, 0), -1);
    ck_assert_int_eq(date_parse("2025-08-16", NULL, NULL, 0), 0);
}
END_TEST

START_TEST(test_date_parse_short_err)
{
    char err[8];

    ck_assert_int_eq(date_parse("2025-13-01", NULL, err, sizeof err), -1);
    ck_assert_str_eq(err, "month 1");
}
END_TEST

START_TEST(test_date_parse_fields)
{
    date_t d;

    ck_assert_int_eq(date_parse("2025", &d, NULL, 0), 0);
    ck_assert_int_eq(d.year, 2025);
    ck_assert_int_eq(d.month, 1);
    ck_assert_int_eq(d.day, 1);
    ck_assert_int_eq(d.prec, DATE_PREC_YEAR);
    ck_assert_int_eq(date_parse("Aug 2025", &d, NULL, 0), 0);
    ck_assert_int_eq(d.month, 8);
    ck_assert_int_eq(d.day, 1);
    ck_assert_int_eq(d.prec, DATE_PREC_MONTH);
}
END_TEST

/* ---------------------------------------------------------------- relative */

typedef struct rel_case {
    time_t now;
    const char *tz;
    const char *in;
    const char *iso;        /* NULL: invalid */
} rel_case_t;

static const rel_case_t rel_cases[] = {
    { NOW_2025_08_16, "UTC", "today", "2025-08-16" },
    { NOW_2025_08_16, "UTC", "TODAY", "2025-08-16" },
    { NOW_2025_08_16, "UTC", "yesterday", "2025-08-15" },
    { NOW_2025_08_16, "UTC", "0d", "2025-08-16" },
    { NOW_2025_08_16, "UTC", "30d", "2025-07-17" },
    { NOW_2025_08_16, "UTC", "16d", "2025-07-31" },
    { NOW_2025_08_16, "UTC", "6w", "2025-07-05" },
    { NOW_2025_08_16, "UTC", "3m", "2025-05-16" },
    { NOW_2025_08_16, "UTC", "8m", "2024-12-16" },
    { NOW_2025_08_16, "UTC", "1y", "2024-08-16" },
    { NOW_2025_08_16, "UTC", "10Y", "2015-08-16" },
    { NOW_2025_08_16, "UTC", "3 months", "2025-05-16" },
    { NOW_2025_08_16, "UTC", "2 weeks", "2025-08-02" },
    { NOW_2025_08_16, "UTC", "2025-01", "2025-01" },
    { NOW_2025_08_16, "UTC", "1000d", "2022-11-20" },
    { NOW_2024_03_31, "UTC", "1m", "2024-02-29" },
    { NOW_2024_03_31, "UTC", "13m", "2023-02-28" },
    { NOW_2024_03_31, "UTC", "1d", "2024-03-30" },
    { NOW_2024_03_31, "UTC", "31d", "2024-02-29" },
    { NOW_2024_03_31, "UTC", "1y", "2023-03-31" },
    { NOW_2024_01_01, "UTC", "today", "2024-01-01" },
    { NOW_2024_01_01, "EST5", "today", "2023-12-31" },
    { NOW_2024_01_01, "EST5", "yesterday", "2023-12-30" },
    { NOW_2025_08_16, "UTC", "3x", NULL },
    { NOW_2025_08_16, "UTC", "d", NULL },
    { NOW_2025_08_16, "UTC", "3000y", NULL },
    { NOW_2025_08_16, "UTC", "99999999999d", NULL },
    { NOW_2025_08_16, "UTC", "tomorrow", NULL },
};

START_TEST(test_date_parse_query_relative)
{
    const rel_case_t *c = &rel_cases[_i];
    date_t d;
    char err[128], buf[16];
    int rc;

    set_tz(c->tz);
    err[0] = '\0';
    rc = date_parse_query(c->in, c->now, &d, err, sizeof err);
    if (c->iso != NULL) {
        ck_assert_msg(rc == 0, "'%s' failed: %s", c->in, err);
        ck_assert_str_eq(date_format_iso(d, buf), c->iso);
    } else {
        ck_assert_msg(rc == -1, "'%s' parsed", c->in);
        ck_assert_msg(err[0] != '\0', "'%s': no message", c->in);
    }
}
END_TEST

START_TEST(test_date_parse_query_leap_year_back)
{
    date_t d;
    char buf[16];
    /* 2024-02-29 12:00 UTC */
    time_t leap = (time_t)1709208000;

    set_tz("UTC");
    ck_assert_int_eq(date_parse_query("1y", leap, &d, NULL, 0), 0);
    ck_assert_str_eq(date_format_iso(d, buf), "2023-02-28");
    ck_assert_int_eq(date_parse_query("4y", leap, &d, NULL, 0), 0);
    ck_assert_str_eq(date_format_iso(d, buf), "2020-02-29");
    ck_assert_int_eq(d.prec, DATE_PREC_DAY);
}
END_TEST

/* ---------------------------------------------------------------- periods */

typedef struct period_case {
    const char *in;
    const char *first;
    const char *last;
} period_case_t;

/* Every month's end of 2025 has a row: a wrong day count in any one month
 * (August given 30 days survived `make mutation-test` when only February,
 * April and December had rows). */
static const period_case_t period_cases[] = {
    { "2025", "2025-01-01", "2025-12-31" },
    { "2025-01", "2025-01-01", "2025-01-31" },
    { "2025-02", "2025-02-01", "2025-02-28" },
    { "2024-02", "2024-02-01", "2024-02-29" },
    { "2000-02", "2000-02-01", "2000-02-29" },
    { "1900-02", "1900-02-01", "1900-02-28" },
    { "2025-03", "2025-03-01", "2025-03-31" },
    { "2025-04", "2025-04-01", "2025-04-30" },
    { "2025-05", "2025-05-01", "2025-05-31" },
    { "2025-06", "2025-06-01", "2025-06-30" },
    { "2025-07", "2025-07-01", "2025-07-31" },
    { "2025-08", "2025-08-01", "2025-08-31" },
    { "2025-09", "2025-09-01", "2025-09-30" },
    { "2025-10", "2025-10-01", "2025-10-31" },
    { "2025-11", "2025-11-01", "2025-11-30" },
    { "2025-12", "2025-12-01", "2025-12-31" },
    { "2025-08-16", "2025-08-16", "2025-08-16" },
    { "9999", "9999-01-01", "9999-12-31" },
};

START_TEST(test_date_period_table)
{
    const period_case_t *c = &period_cases[_i];
    date_t d, f, l;
    char buf[16];

    ck_assert_int_eq(date_parse(c->in, &d, NULL, 0), 0);
    f = date_period_first(d);
    l = date_period_last(d);
    ck_assert_str_eq(date_format_iso(f, buf), c->first);
    ck_assert_str_eq(date_format_iso(l, buf), c->last);
    ck_assert_int_eq(f.prec, DATE_PREC_DAY);
    ck_assert_int_eq(l.prec, DATE_PREC_DAY);
}
END_TEST

/* ---------------------------------------------------------------- formats */

START_TEST(test_date_format_key_and_month)
{
    date_t d;
    char buf[16];

    ck_assert_int_eq(date_parse("2025-08-16", &d, NULL, 0), 0);
    ck_assert_str_eq(date_format_key(d, buf), "20250816");
    ck_assert_str_eq(date_format_month(d, buf), "2025-08");
    ck_assert_str_eq(date_format_iso(d, buf), "2025-08-16");

    ck_assert_int_eq(date_parse("2025-08", &d, NULL, 0), 0);
    ck_assert_str_eq(date_format_key(d, buf), "20250801");
    ck_assert_str_eq(date_format_month(d, buf), "2025-08");
    ck_assert_str_eq(date_format_iso(d, buf), "2025-08");

    ck_assert_int_eq(date_parse("2025", &d, NULL, 0), 0);
    ck_assert_str_eq(date_format_key(d, buf), "20250101");
    ck_assert_str_eq(date_format_iso(d, buf), "2025");

    ck_assert_int_eq(date_parse("0042-03-04", &d, NULL, 0), 0);
    ck_assert_str_eq(date_format_key(d, buf), "00420304");
    ck_assert_str_eq(date_format_iso(d, buf), "0042-03-04");
}
END_TEST

START_TEST(test_date_format_key_sorts)
{
    static const char *const order[] = {
        "0999-12-31", "1999-12-31", "2024-02-29", "2025-01-01",
        "2025-08-16", "2025-10-01", "9999-12-31"
    };
    char prev[16] = "", cur[16];
    size_t i;
    date_t d;

    for (i = 0; i < sizeof order / sizeof order[0]; i++) {
        ck_assert_int_eq(date_parse(order[i], &d, NULL, 0), 0);
        date_format_key(d, cur);
        ck_assert_msg(strcmp(prev, cur) < 0, "%s !< %s", prev, cur);
        strcpy(prev, cur);
    }
}
END_TEST

START_TEST(test_date_from_key_round_trip)
{
    date_t d;
    char buf[16];

    ck_assert_int_eq(date_from_key("20240229", &d), 0);
    ck_assert_int_eq(d.year, 2024);
    ck_assert_int_eq(d.month, 2);
    ck_assert_int_eq(d.day, 29);
    ck_assert_int_eq(d.prec, DATE_PREC_DAY);
    ck_assert_str_eq(date_format_key(d, buf), "20240229");
}
END_TEST

START_TEST(test_date_from_key_invalid)
{
    date_t d;

    ck_assert_int_eq(date_from_key("20250229", &d), -1);
    ck_assert_int_eq(date_from_key("2025081", &d), -1);
    ck_assert_int_eq(date_from_key("202508161", &d), -1);
    ck_assert_int_eq(date_from_key("2025-8-1", &d), -1);
    ck_assert_int_eq(date_from_key("00000101", &d), -1);
    ck_assert_int_eq(date_from_key("", &d), -1);
    ck_assert_int_eq(date_from_key(NULL, &d), -1);
}
END_TEST

START_TEST(test_date_is_valid_edges)
{
    ck_assert_int_eq(date_is_valid(2024, 2, 29), 1);
    ck_assert_int_eq(date_is_valid(2023, 2, 29), 0);
    ck_assert_int_eq(date_is_valid(2100, 2, 29), 0);
    ck_assert_int_eq(date_is_valid(2000, 2, 29), 1);
    ck_assert_int_eq(date_is_valid(2025, 12, 31), 1);
    ck_assert_int_eq(date_is_valid(2025, 13, 1), 0);
    ck_assert_int_eq(date_is_valid(2025, 0, 1), 0);
    ck_assert_int_eq(date_is_valid(2025, 1, 0), 0);
    ck_assert_int_eq(date_is_valid(0, 1, 1), 0);
    ck_assert_int_eq(date_is_valid(10000, 1, 1), 0);
    ck_assert_int_eq(date_is_valid(1, 1, 1), 1);
}
END_TEST

/* The parser must not depend on the locale (strptime's %b would). */
START_TEST(test_date_parse_locale_independent)
{
    date_t d;
    char buf[16];

    setenv("LC_ALL", "de_DE.UTF-8", 1);
    setenv("LANG", "de_DE.UTF-8", 1);
    setlocale(LC_ALL, "");      /* may fail: then "C", still a test */
    ck_assert_int_eq(date_parse("16 Aug 2025", &d, NULL, 0), 0);
    ck_assert_str_eq(date_format_iso(d, buf), "2025-08-16");
    ck_assert_int_eq(date_parse("Mai 2025", &d, NULL, 0), -1);
}
END_TEST

Suite *
date_suite(void)
{
    Suite *s = suite_create("date");
    TCase *tc;

    tc = tcase_create("parse");
    tcase_add_loop_test(tc, test_date_parse_table, 0,
                        (int)(sizeof date_cases / sizeof date_cases[0]));
    tcase_add_test(tc, test_date_parse_null_err);
    tcase_add_test(tc, test_date_parse_short_err);
    tcase_add_test(tc, test_date_parse_fields);
    tcase_add_test(tc, test_date_parse_locale_independent);
    suite_add_tcase(s, tc);

    tc = tcase_create("parse_query");
    tcase_add_loop_test(tc, test_date_parse_query_relative, 0,
                        (int)(sizeof rel_cases / sizeof rel_cases[0]));
    tcase_add_test(tc, test_date_parse_query_leap_year_back);
    suite_add_tcase(s, tc);

    tc = tcase_create("period");
    tcase_add_loop_test(tc, test_date_period_table, 0,
                        (int)(sizeof period_cases / sizeof period_cases[0]));
    suite_add_tcase(s, tc);

    tc = tcase_create("format");
    tcase_add_test(tc, test_date_format_key_and_month);
    tcase_add_test(tc, test_date_format_key_sorts);
    tcase_add_test(tc, test_date_from_key_round_trip);
    tcase_add_test(tc, test_date_from_key_invalid);
    tcase_add_test(tc, test_date_is_valid_edges);
    suite_add_tcase(s, tc);
    return s;
}
