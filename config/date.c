/* date.c - the one date parser and formatter of dossier
 *
 * Reads every absolute form date.h lists and the relative forms of notmuch
 * and mu, validates the calendar (leap years included), and formats dates
 * for display and for Xapian's value slots.  It is hand-written on purpose:
 * strptime's %b follows LC_TIME, and the indexer and the searcher must agree
 * byte for byte whatever the user's locale.  No static mutable state, no
 * printing: failures fill the caller's buffer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "date.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/ascii.h"

/* ---------------------------------------------------------------- helpers */

static const char *const month_names[12] = {
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december"
};

static const char *const month_titles[12] = {
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December"
};

static const char *const weekday_names[7] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday"
};

/* Zone names RFC 2822 and common mail software write after a time.  The
 * calendar date is taken as written, so their offsets do not matter. */
static const char *const zone_names[] = {
    "z", "ut", "utc", "gmt", "est", "edt", "cst", "cdt", "mst", "mdt",
    "pst", "pdt", "bst", "ist", "cet", "cest", "eet", "eest", "wet", "west",
    "msk", "jst", "kst", "aest", "aedt", "hst", "akst", "akdt", NULL
};

/* True when the LEN bytes at W equal the lower-case word WORD, ignoring
 * ASCII case. */
static int
word_eq(const char *w, size_t len, const char *word)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (word[i] == '\0' || ascii_tolower((unsigned char)w[i]) != word[i])
            return 0;
    return word[i] == '\0';
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err != NULL && errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static bool
is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
    static const int dim[12] = {
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };

    if (m == 2 && is_leap(y))
        return 29;
    return dim[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * algorithm), and back.  Used for relative dates, so that no time-zone or
 * DST rule can shift a day. */
static long
days_from_civil(long y, int m, int d)
{
    long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, long *y, int *m, int *d)
{
    long era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* ---------------------------------------------------------------- scanner */

/* A cursor over the trimmed input. */
typedef struct cur {
    const char *p;
    const char *end;
    char *err;
    size_t errlen;
} cur_t;

static bool
at_end(const cur_t *c)
{
    return c->p >= c->end;
}

static int
peek(const cur_t *c)
{
    return c->p < c->end ? (unsigned char)*c->p : 0;
}

static size_t
skip_spaces(cur_t *c)
{
    const char *start = c->p;

    while (c->p < c->end && ascii_is_space((unsigned char)*c->p))
        c->p++;
    return (size_t)(c->p - start);
}

/* The number of digits at the cursor (not consumed). */
static size_t
n_digits(const cur_t *c)
{
    const char *p = c->p;

    while (p < c->end && ascii_is_digit((unsigned char)*p))
        p++;
    return (size_t)(p - c->p);
}

/* Consume N digits (N <= 9) and return their value. */
static int
take_digits(cur_t *c, size_t n)
{
    int v = 0;

    while (n-- > 0)
        v = v * 10 + (*c->p++ - '0');
    return v;
}

/* The number of letters at the cursor (not consumed). */
static size_t
n_letters(const cur_t *c)
{
    const char *p = c->p;

    while (p < c->end && ascii_is_alpha((unsigned char)*p))
        p++;
    return (size_t)(p - c->p);
}

/* 1..12 for a month name: full, three letters, or "sept"; else 0. */
static int
month_from_word(const char *w, size_t len)
{
    int i;

    for (i = 0; i < 12; i++) {
        if (word_eq(w, len, month_names[i]))
            return i + 1;
        if (len == 3 && ascii_tolower((unsigned char)w[0]) == month_names[i][0]
            && ascii_tolower((unsigned char)w[1]) == month_names[i][1]
            && ascii_tolower((unsigned char)w[2]) == month_names[i][2])
            return i + 1;
    }
    if (word_eq(w, len, "sept"))
        return 9;
    return 0;
}

static bool
is_weekday(const char *w, size_t len)
{
    int i;

    for (i = 0; i < 7; i++) {
        if (word_eq(w, len, weekday_names[i]))
            return 1;
        if (len == 3 && ascii_tolower(w[0]) == weekday_names[i][0]
            && ascii_tolower((unsigned char)w[1]) == weekday_names[i][1]
            && ascii_tolower((unsigned char)w[2]) == weekday_names[i][2])
            return 1;
    }
    return word_eq(w, len, "tues") || word_eq(w, len, "thur")
        || word_eq(w, len, "thurs");
}

/* Report the unparsed rest of the input. */
static int
trailing(cur_t *c)
{
    int len = (int)(c->end - c->p);

    if (len > 24)
        len = 24;
    return fail(c->err, c->errlen, "unexpected '%.*s' after the date", len,
                c->p);
}

/* Skip an ordinal suffix after a day number: 1st, 2nd, 3rd, 16th. */
static void
skip_ordinal(cur_t *c)
{
    if (n_letters(c) == 2
        && (word_eq(c->p, 2, "st") || word_eq(c->p, 2, "nd")
            || word_eq(c->p, 2, "rd") || word_eq(c->p, 2, "th")))
        c->p += 2;
}

/* A four-digit year. */
static int
take_year(cur_t *c, int *year)
{
    size_t n = n_digits(c);

    if (n == 0)
        return fail(c->err, c->errlen, "missing year");
    if (n != 4) {
        if (n > 4)
            return fail(c->err, c->errlen, "year '%.*s' out of range",
                        n > 12 ? 12 : (int)n, c->p);
        return fail(c->err, c->errlen, "year must have four digits");
    }
    *year = take_digits(c, 4);
    return 0;
}

/* A time-zone after a time: Z, +hh, +hhmm, +hh:mm, or a zone name, then an
 * optional "(comment)" as RFC 2822 allows. */
static int
take_zone(cur_t *c)
{
    size_t n;
    int i;

    skip_spaces(c);
    if (peek(c) == '+' || peek(c) == '-') {
        c->p++;
        n = n_digits(c);
        if (n == 4) {
            if (take_digits(c, 2) > 23 || take_digits(c, 2) > 59)
                return fail(c->err, c->errlen, "time-zone offset out of "
                            "range");
        } else if (n == 2) {
            if (take_digits(c, 2) > 23)
                return fail(c->err, c->errlen, "time-zone offset out of "
                            "range");
            if (peek(c) == ':') {
                c->p++;
                if (n_digits(c) != 2 || take_digits(c, 2) > 59)
                    return fail(c->err, c->errlen, "invalid time-zone "
                                "offset");
            }
        } else {
            return fail(c->err, c->errlen, "invalid time-zone offset");
        }
    } else if ((n = n_letters(c)) > 0) {
        for (i = 0; zone_names[i] != NULL; i++)
            if (word_eq(c->p, n, zone_names[i]))
                break;
        if (zone_names[i] == NULL)
            return trailing(c);
        c->p += n;
    }
    skip_spaces(c);
    if (peek(c) == '(') {
        const char *close = memchr(c->p, ')', (size_t)(c->end - c->p));

        if (close == NULL)
            return trailing(c);
        c->p = close + 1;
        skip_spaces(c);
    }
    return 0;
}

/* A clock time: hh:mm[:ss[.frac]] [am|pm], or after 'T' also the basic
 * form hhmm[ss[.frac]].  Validated, then dropped: dates are calendar days
 * as written. */
static int
take_clock(cur_t *c, int basic_ok)
{
    int h, mi, s = 0;
    size_t n = n_digits(c);

    if (basic_ok && (n == 4 || n == 6)) {
        h = take_digits(c, 2);
        mi = take_digits(c, 2);
        if (n == 6)
            s = take_digits(c, 2);
    } else if (n == 1 || n == 2) {
        h = take_digits(c, n);
        if (peek(c) != ':')
            return fail(c->err, c->errlen, "invalid time");
        c->p++;
        if (n_digits(c) != 2)
            return fail(c->err, c->errlen, "invalid time");
        mi = take_digits(c, 2);
        if (peek(c) == ':') {
            c->p++;
            if (n_digits(c) != 2)
                return fail(c->err, c->errlen, "invalid time");
            s = take_digits(c, 2);
        }
    } else {
        return fail(c->err, c->errlen, "invalid time");
    }
    if ((peek(c) == '.' || peek(c) == ',') && c->p + 1 < c->end
        && ascii_is_digit((unsigned char)c->p[1])) {
        c->p++;
        while (ascii_is_digit(peek(c)))
            c->p++;
    }
    if (h > 24 || (h == 24 && (mi != 0 || s != 0)))
        return fail(c->err, c->errlen, "hour %d out of range", h);
    if (mi > 59)
        return fail(c->err, c->errlen, "minute %d out of range", mi);
    if (s > 60)
        return fail(c->err, c->errlen, "second %d out of range", s);

    /* am/pm, as people write it. */
    {
        cur_t save = *c;
        size_t len;

        skip_spaces(c);
        len = n_letters(c);
        if (len == 2 && (word_eq(c->p, 2, "am") || word_eq(c->p, 2, "pm"))) {
            c->p += 2;
        } else if (c->end - c->p >= 4
                   && (ascii_tolower((unsigned char)c->p[0]) == 'a'
                       || ascii_tolower((unsigned char)c->p[0]) == 'p')
                   && c->p[1] == '.' && ascii_tolower(c->p[2]) == 'm'
                   && c->p[3] == '.') {
            c->p += 4;
        } else {
            *c = save;
            return 0;
        }
        if (h < 1 || h > 12)
            return fail(c->err, c->errlen, "hour %d out of range", h);
    }
    return 0;
}

/* What may follow a complete day: nothing, or 'T'/spaces and a time with
 * an optional zone ("16 August 2025, 10:00" and "... at 10:00" too). */
static int
take_time_tail(cur_t *c)
{
    if (at_end(c))
        return 0;
    if (peek(c) == 'T' || peek(c) == 't') {
        c->p++;
        if (take_clock(c, 1) < 0 || take_zone(c) < 0)
            return -1;
    } else if (ascii_is_space(peek(c))
               || (peek(c) == ',' && c->p + 1 < c->end
                   && ascii_is_space((unsigned char)c->p[1]))) {
        if (peek(c) == ',')
            c->p++;
        skip_spaces(c);
        if (n_letters(c) == 2 && word_eq(c->p, 2, "at")
            && c->p + 2 < c->end && ascii_is_space((unsigned char)c->p[2])) {
            c->p += 2;
            skip_spaces(c);
        }
        if (!ascii_is_digit(peek(c)))
            return trailing(c);
        if (take_clock(c, 0) < 0 || take_zone(c) < 0)
            return -1;
    } else {
        return trailing(c);
    }
    return at_end(c) ? 0 : trailing(c);
}

/* ---------------------------------------------------------------- forms */

/* YYYY, YYYY-MM, YYYY-MM-DD[time], YYYY/MM[/DD], YYYYMMDD[time]. */
static int
parse_numeric(cur_t *c, date_t *out)
{
    size_t n = n_digits(c);
    int sep;

    if (n == 8) {
        out->year = take_digits(c, 4);
        out->month = take_digits(c, 2);
        out->day = take_digits(c, 2);
        out->prec = DATE_PREC_DAY;
        return take_time_tail(c);
    }
    if (n != 4) {
        if (n > 4 && n < 8 && (c->p[n] == '-' || c->p[n] == '/'))
            return fail(c->err, c->errlen, "year '%.*s' out of range",
                        (int)n, c->p);
        return fail(c->err, c->errlen, "unrecognised date");
    }
    out->year = take_digits(c, 4);
    out->month = out->day = 1;
    out->prec = DATE_PREC_YEAR;
    if (at_end(c))
        return 0;
    sep = peek(c);
    if (sep != '-' && sep != '/')
        return trailing(c);
    c->p++;
    n = n_digits(c);
    if (n < 1 || n > 2)
        return fail(c->err, c->errlen, "unrecognised date");
    out->month = take_digits(c, n);
    out->prec = DATE_PREC_MONTH;
    if (at_end(c))
        return 0;
    if (peek(c) != sep)
        return trailing(c);
    c->p++;
    n = n_digits(c);
    if (n < 1 || n > 2)
        return fail(c->err, c->errlen, "unrecognised date");
    out->day = take_digits(c, n);
    out->prec = DATE_PREC_DAY;
    return take_time_tail(c);
}

/* "16 August 2025", "16 Aug 2025 10:00:00 +0000", "16. August 2025",
 * "16-Aug-2025", "16th August 2025". */
static int
parse_day_first(cur_t *c, date_t *out)
{
    size_t n = n_digits(c), len;
    int month;

    /* After a weekday ("Sat, 16 Aug") the day is not length-checked by
     * the caller: more digits would overflow take_digits(). */
    if (n == 0 || n > 2)
        return fail(c->err, c->errlen, "unrecognised date");
    out->day = take_digits(c, n);
    skip_ordinal(c);
    if (peek(c) == '.')
        c->p++;
    if (peek(c) == '-') {
        c->p++;
    } else if (skip_spaces(c) == 0 && !ascii_is_alpha(peek(c))) {
        return fail(c->err, c->errlen, "unrecognised date");
    }
    len = n_letters(c);
    month = len > 0 ? month_from_word(c->p, len) : 0;
    if (month == 0)
        return fail(c->err, c->errlen, "unrecognised date");
    c->p += len;
    if (peek(c) == '.')
        c->p++;
    if (peek(c) == '-' || peek(c) == ',')
        c->p++;
    skip_spaces(c);
    out->month = month;
    if (take_year(c, &out->year) < 0)
        return -1;
    out->prec = DATE_PREC_DAY;
    return take_time_tail(c);
}

/* "August 16, 2025", "Aug. 16 2025", "August 16th, 2025", "August 2025",
 * and ctime's "Aug 16 10:00:00 2025" (after a weekday). */
static int
parse_month_first(cur_t *c, int month, date_t *out)
{
    size_t n;

    if (peek(c) == '.')
        c->p++;
    if (peek(c) == ',')
        c->p++;
    if (skip_spaces(c) == 0 && peek(c) != '-')
        return fail(c->err, c->errlen, "unrecognised date");
    if (peek(c) == '-')
        c->p++;
    out->month = month;
    n = n_digits(c);
    if (n >= 4) {
        if (take_year(c, &out->year) < 0)
            return -1;
        out->day = 1;
        out->prec = DATE_PREC_MONTH;
        return at_end(c) ? 0 : trailing(c);
    }
    if (n == 0)
        return fail(c->err, c->errlen, "unrecognised date");
    if (n > 2)
        return fail(c->err, c->errlen, "unrecognised date");
    out->day = take_digits(c, n);
    out->prec = DATE_PREC_DAY;
    skip_ordinal(c);
    if (peek(c) == ',' || peek(c) == '-')
        c->p++;
    skip_spaces(c);
    n = n_digits(c);
    if (n >= 1 && n <= 2 && c->p + n < c->end && c->p[n] == ':') {
        /* ctime: the time comes before the year. */
        if (take_clock(c, 0) < 0 || take_zone(c) < 0)
            return -1;
        if (take_year(c, &out->year) < 0)
            return -1;
        return at_end(c) ? 0 : trailing(c);
    }
    if (at_end(c))
        return fail(c->err, c->errlen, "missing year");
    if (take_year(c, &out->year) < 0)
        return -1;
    return take_time_tail(c);
}

static int
check_calendar(const date_t *d, char *err, size_t errlen)
{
    if (d->year < 1 || d->year > 9999)
        return fail(err, errlen, "year %d out of range", d->year);
    if (d->month < 1 || d->month > 12)
        return fail(err, errlen, "month %d out of range", d->month);
    if (d->day < 1 || d->day > days_in_month(d->year, d->month))
        return fail(err, errlen, "day %d out of range for %s %d", d->day,
                    month_titles[d->month - 1], d->year);
    return 0;
}

/* ---------------------------------------------------------------- API */

int
date_parse(const char *s, date_t *out, char *err, size_t errlen)
{
    cur_t c;
    date_t d = { 0, 1, 1, DATE_PREC_DAY };
    size_t len;
    int rc, month;

    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (s == NULL)
        return fail(err, errlen, "empty date");
    c.p = s;
    c.end = s + strlen(s);
    c.err = err;
    c.errlen = errlen;
    ascii_trim(&c.p, &c.end);
    if (at_end(&c))
        return fail(err, errlen, "empty date");

    if (ascii_is_digit(peek(&c))) {
        size_t n = n_digits(&c);

        if (n <= 2)
            rc = parse_day_first(&c, &d);
        else
            rc = parse_numeric(&c, &d);
    } else if ((len = n_letters(&c)) > 0) {
        if (is_weekday(c.p, len)) {
            c.p += len;
            if (peek(&c) == '.')
                c.p++;
            if (peek(&c) == ',')
                c.p++;
            skip_spaces(&c);
            len = n_letters(&c);
        }
        if (ascii_is_digit(peek(&c))) {
            rc = parse_day_first(&c, &d);
        } else if (len > 0 && (month = month_from_word(c.p, len)) != 0) {
            c.p += len;
            rc = parse_month_first(&c, month, &d);
        } else {
            rc = fail(err, errlen, "unrecognised date");
        }
    } else {
        rc = fail(err, errlen, "unrecognised date");
    }
    if (rc < 0)
        return -1;
    if (check_calendar(&d, err, errlen) < 0)
        return -1;
    if (out != NULL)
        *out = d;
    return 0;
}

/* "N" then a unit: d, w, m, y (or day(s), week(s), month(s), year(s)). */
static int
parse_relative(const char *s, const char *end, long *n, int *unit)
{
    const char *p = s;
    size_t len;
    long v = 0;

    while (p < end && ascii_is_digit((unsigned char)*p)) {
        if (v > 1000000L)
            return -2;
        v = v * 10 + (*p++ - '0');
    }
    if (p == s)
        return -1;
    while (p < end && ascii_is_space((unsigned char)*p))
        p++;
    len = (size_t)(end - p);
    if (len == 0)
        return -1;
    if (len == 1 || word_eq(p, len, "day") || word_eq(p, len, "days")
        || word_eq(p, len, "week") || word_eq(p, len, "weeks")
        || word_eq(p, len, "month") || word_eq(p, len, "months")
        || word_eq(p, len, "year") || word_eq(p, len, "years")) {
        *unit = ascii_tolower((unsigned char)*p);
        if (*unit != 'd' && *unit != 'w' && *unit != 'm' && *unit != 'y')
            return -1;
        *n = v;
        return 0;
    }
    return -1;
}

int
date_parse_query(const char *s, time_t now, date_t *out, char *err,
                 size_t errlen)
{
    const char *p, *end;
    struct tm tm;
    long y, n;
    int m, d, unit, rc;

    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (s == NULL)
        return fail(err, errlen, "empty date");
    p = s;
    end = s + strlen(s);
    ascii_trim(&p, &end);
    if (word_eq(p, (size_t)(end - p), "today")) {
        n = 0;
        unit = 'd';
    } else if (word_eq(p, (size_t)(end - p), "yesterday")) {
        n = 1;
        unit = 'd';
    } else if ((rc = parse_relative(p, end, &n, &unit)) == -2) {
        return fail(err, errlen, "relative date out of range");
    } else if (rc < 0) {
        return date_parse(s, out, err, errlen);
    }

    if (localtime_r(&now, &tm) == NULL)
        return fail(err, errlen, "cannot convert the current time");
    y = tm.tm_year + 1900L;
    m = tm.tm_mon + 1;
    d = tm.tm_mday;
    if (unit == 'd' || unit == 'w') {
        civil_from_days(days_from_civil(y, m, d) - n * (unit == 'w' ? 7 : 1),
                        &y, &m, &d);
    } else {
        long months = y * 12 + (m - 1) - (unit == 'm' ? n : n * 12);

        if (months < 0)
            return fail(err, errlen, "relative date out of range");
        y = months / 12;
        m = (int)(months % 12) + 1;
        if (y >= 1 && y <= 9999 && d > days_in_month((int)y, m))
            d = days_in_month((int)y, m);
    }
    if (y < 1 || y > 9999)
        return fail(err, errlen, "relative date out of range");
    if (out != NULL) {
        out->year = (int)y;
        out->month = m;
        out->day = d;
        out->prec = DATE_PREC_DAY;
    }
    return 0;
}

bool
date_is_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1
        && d <= days_in_month(y, m);
}

date_t
date_period_first(date_t d)
{
    if (d.prec == DATE_PREC_YEAR)
        d.month = 1;
    if (d.prec == DATE_PREC_YEAR || d.prec == DATE_PREC_MONTH)
        d.day = 1;
    d.prec = DATE_PREC_DAY;
    return d;
}

date_t
date_period_last(date_t d)
{
    if (d.prec == DATE_PREC_YEAR)
        d.month = 12;
    if ((d.prec == DATE_PREC_YEAR || d.prec == DATE_PREC_MONTH)
        && d.month >= 1 && d.month <= 12)
        d.day = days_in_month(d.year, d.month);
    d.prec = DATE_PREC_DAY;
    return d;
}

/* WIDTH decimal digits of V (clamped to what fits) at P; returns the end. */
static char *
put_num(char *p, int v, int width)
{
    int i;

    if (v < 0)
        v = 0;
    for (i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

char *
date_format_iso(date_t d, char *buf)
{
    char *p = put_num(buf, d.year, 4);

    if (d.prec != DATE_PREC_YEAR) {
        *p++ = '-';
        p = put_num(p, d.month, 2);
        if (d.prec != DATE_PREC_MONTH) {
            *p++ = '-';
            p = put_num(p, d.day, 2);
        }
    }
    *p = '\0';
    return buf;
}

char *
date_format_key(date_t d, char *buf)
{
    char *p;

    d = date_period_first(d);
    p = put_num(buf, d.year, 4);
    p = put_num(p, d.month, 2);
    p = put_num(p, d.day, 2);
    *p = '\0';
    return buf;
}

char *
date_format_month(date_t d, char *buf)
{
    char *p = put_num(buf, d.year, 4);

    *p++ = '-';
    p = put_num(p, d.prec == DATE_PREC_YEAR ? 1 : d.month, 2);
    *p = '\0';
    return buf;
}

int
date_from_key(const char *key, date_t *out)
{
    int i, y, m, d;

    if (key == NULL)
        return -1;
    for (i = 0; i < 8; i++)
        if (!ascii_is_digit((unsigned char)key[i]))
            return -1;
    if (key[8] != '\0')
        return -1;
    y = (key[0] - '0') * 1000 + (key[1] - '0') * 100 + (key[2] - '0') * 10
        + (key[3] - '0');
    m = (key[4] - '0') * 10 + (key[5] - '0');
    d = (key[6] - '0') * 10 + (key[7] - '0');
    if (!date_is_valid(y, m, d))
        return -1;
    if (out != NULL) {
        out->year = y;
        out->month = m;
        out->day = d;
        out->prec = DATE_PREC_DAY;
    }
    return 0;
}
