/* date.h - date parsing and formatting shared by indexer and searcher
 *
 * One parser for every date dossier reads: front matter, header lines, HTML
 * meta, JSON exports, and the searcher's --since/--until and date: ranges.
 * Both sides must agree byte for byte, so this is the only date code.  It
 * never prints: failures fill a caller's message buffer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DATE_H
#define DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef enum date_prec {
    DATE_PREC_YEAR = 1,     /* "2025" */
    DATE_PREC_MONTH = 2,    /* "2025-08" */
    DATE_PREC_DAY = 3       /* "2025-08-16" and anything with a day */
} date_prec_t;

typedef struct date {
    int year;               /* 1..9999 */
    int month;              /* 1..12, 1 when prec is YEAR */
    int day;                /* 1..31, 1 when prec is below DAY */
    date_prec_t prec;
} date_t;

/* Parse an absolute date S (leading/trailing space ignored):
 *   ISO 8601 dates and timestamps  2025-08-16, 2025-08-16T10:00:00Z,
 *                                  2025-08-16 10:00:00+02:00, 20250816
 *   RFC 2822                       Sat, 16 Aug 2025 10:00:00 +0000
 *   written forms                  August 16, 2025; Aug 16 2025;
 *                                  16 August 2025; 16 Aug 2025
 *   slashes                        2025/08/16
 *   partial                        2025-08, 2025/08, August 2025, 2025
 * The calendar date is taken as written (no time-zone shift).  Returns 0 and
 * fills OUT, or -1 with a lower-case reason in ERR (ERRLEN bytes, may be
 * NULL/0), e.g. "month 13 out of range" or "unrecognised date". */
int date_parse(const char *s, date_t *out, char *err, size_t errlen);

/* Like date_parse(), plus the relative forms of notmuch and mu, counted back
 * from NOW (local time): "today", "yesterday", "30d", "6w", "3m", "1y"
 * (all give a DAY-precision date). */
int date_parse_query(const char *s, time_t now, date_t *out, char *err,
                     size_t errlen);

/* Whether Y-M-D is a real calendar day (leap years included). */
bool date_is_valid(int y, int m, int d);

/* First and last calendar day of D's period: for "2025" 2025-01-01 and
 * 2025-12-31, for "2025-02" 2025-02-01 and 2025-02-28.  Results have
 * DAY precision. */
date_t date_period_first(date_t d);
date_t date_period_last(date_t d);

/* Formats into BUF (at least 11 bytes), returning BUF:
 *   date_format_iso    "2025-08-16" (or "2025-08", "2025" by precision)
 *   date_format_key    "20250816": the sortable value-slot encoding, as
 *                      Xapian's DateRangeProcessor expects (day precision
 *                      uses the period's first day)
 *   date_format_month  "2025-08" */
char *date_format_iso(date_t d, char *buf);
char *date_format_key(date_t d, char *buf);
char *date_format_month(date_t d, char *buf);

/* Parse a "YYYYMMDD" slot key back into a DAY date; 0 or -1. */
int date_from_key(const char *key, date_t *out);

#endif /* DATE_H */
