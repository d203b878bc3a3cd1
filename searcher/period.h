/* period.h - histogram periods: day, ISO week, month, year (internal)
 *
 * Turns the per-day counts of a search (the date slot's "YYYYMMDD" keys)
 * into one bar per period from the first dated match to the last, quiet
 * periods included, and picks the unit for --histogram auto from the span
 * of the matches.  Pure computation: no Xapian, no printing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERIOD_H
#define PERIOD_H

#include "searcher/output.h"

typedef enum period_unit {
    PERIOD_DAY = 0,         /* "2025-02-14" */
    PERIOD_WEEK,            /* ISO 8601 week, "2025-W07" */
    PERIOD_MONTH,           /* "2025-02" */
    PERIOD_YEAR,            /* "2025" */
    PERIOD_AUTO             /* from the span of the matches */
} period_unit_t;

/* Most periods a histogram fills with zeros; a longer span shows only the
 * periods that have matches. */
#define PERIOD_MAX_FILL 20000

/* "day", "week", "month", "year" or "auto" into OUT unit: 0, or -1 for
 * anything else. */
int period_unit_parse(const char *s, period_unit_t *unit);
/* The name period_unit_parse() reads; static text. */
const char *period_unit_name(period_unit_t unit);

/* The unit --histogram auto uses for matches from day FIRST to day LAST
 * (days since 1970-01-01): up to 2 months day, up to a year week, up to
 * 10 years month, else year. */
period_unit_t period_auto(long first, long last);

/* Days since 1970-01-01 of the date in "YYYYMMDD" KEY: 0, or -1 when KEY
 * is not such a date. */
int period_day_from_key(const char *key, long *day);
/* Room for a label, with any long to spare. */
#define PERIOD_LABEL_MAX 64

/* Label of the UNIT period holding day DAY into BUF (PERIOD_LABEL_MAX
 * bytes); returns BUF.  UNIT must not be PERIOD_AUTO. */
char *period_label(period_unit_t unit, long day, char *buf);

/* Bucket DAYS (values "YYYYMMDD", counts, in any order; other values are
 * ignored) into UNIT periods, from the first to the last, each period
 * without matches as a zero count (up to PERIOD_MAX_FILL periods), in
 * time order.  PERIOD_AUTO picks the unit with period_auto().  OUT hist:
 * release with out_counts_release(); OUT used: the unit used.  Returns 0,
 * or -1 when out of memory (HIST then empty). */
int period_histogram(const out_counts_t *days, period_unit_t unit,
                     out_counts_t *hist, period_unit_t *used);

#endif /* PERIOD_H */
