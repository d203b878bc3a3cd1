/* period.c - histogram periods: day, ISO week, month, year
 *
 * Days are counted from 1970-01-01 in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil), so that weeks and spans are simple
 * arithmetic whatever the year; no time zones are involved, dates are
 * calendar dates as the indexer stored them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "searcher/period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const unit_names[] = {
    "day", "week", "month", "year", "auto"
};

int
period_unit_parse(const char *s, period_unit_t *unit)
{
    for (int i = 0; i <= PERIOD_AUTO; i++) {
        if (s && strcmp(s, unit_names[i]) == 0) {
            *unit = (period_unit_t)i;
            return 0;
        }
    }
    return -1;
}

const char *
period_unit_name(period_unit_t unit)
{
    return unit >= PERIOD_DAY && unit <= PERIOD_AUTO ? unit_names[unit]
                                                     : "?";
}

/* ------------------------------------------------------------------ */
/* Calendar arithmetic                                                 */

static long
floor_div(long a, long b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static long
days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = floor_div(y, 400);
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, long *y, long *m, long *d)
{
    z += 719468;
    long era = floor_div(z, 146097);
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

int
period_day_from_key(const char *key, long *day)
{
    long y = 0, m = 0, d = 0;
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
                                 30, 31 };

    for (int i = 0; i < 8; i++)
        if (!key || key[i] < '0' || key[i] > '9')
            return -1;
    if (key[8] != '\0')
        return -1;
    for (int i = 0; i < 4; i++)
        y = y * 10 + (key[i] - '0');
    m = (key[4] - '0') * 10 + (key[5] - '0');
    d = (key[6] - '0') * 10 + (key[7] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return -1;
    if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return -1;
    *day = days_from_civil(y, m, d);
    return 0;
}

/* The number of UNIT's period holding DAY, consecutive periods numbered
 * consecutively.  Weeks start on Monday (1970-01-01 was a Thursday). */
static long
period_index(period_unit_t unit, long day)
{
    long y, m, d;

    switch (unit) {
    case PERIOD_WEEK:
        return floor_div(day + 3, 7);
    case PERIOD_MONTH:
        civil_from_days(day, &y, &m, &d);
        return y * 12 + (m - 1);
    case PERIOD_YEAR:
        civil_from_days(day, &y, &m, &d);
        return y;
    default:
        return day;
    }
}

static char *
index_label(period_unit_t unit, long idx, char *buf)
{
    long y, m, d;

    switch (unit) {
    case PERIOD_WEEK: {
        /* An ISO week belongs to the year of its Thursday. */
        long thursday = idx * 7;
        civil_from_days(thursday, &y, &m, &d);
        long week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
        snprintf(buf, PERIOD_LABEL_MAX, "%04ld-W%02ld", y, week);
        break;
    }
    case PERIOD_MONTH:
        snprintf(buf, PERIOD_LABEL_MAX, "%04ld-%02ld", floor_div(idx, 12),
                 idx - floor_div(idx, 12) * 12 + 1);
        break;
    case PERIOD_YEAR:
        snprintf(buf, PERIOD_LABEL_MAX, "%04ld", idx);
        break;
    default:
        civil_from_days(idx, &y, &m, &d);
        snprintf(buf, PERIOD_LABEL_MAX, "%04ld-%02ld-%02ld", y, m, d);
        break;
    }
    return buf;
}

char *
period_label(period_unit_t unit, long day, char *buf)
{
    return index_label(unit, period_index(unit, day), buf);
}

period_unit_t
period_auto(long first, long last)
{
    long span = last - first;
    if (span <= 62)
        return PERIOD_DAY;
    if (span <= 366)
        return PERIOD_WEEK;
    if (span <= 3653)
        return PERIOD_MONTH;
    return PERIOD_YEAR;
}

/* ------------------------------------------------------------------ */
/* Histogram                                                           */

typedef struct bucket {
    long idx;
    unsigned count;
} bucket_t;

static int
cmp_bucket(const void *a, const void *b)
{
    const bucket_t *x = a, *y = b;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int
push_count(out_counts_t *c, period_unit_t unit, long idx, unsigned count)
{
    char buf[PERIOD_LABEL_MAX];
    out_count_t *v = realloc(c->v, (c->n + 1) * sizeof *v);
    if (!v)
        return -1;
    c->v = v;
    v[c->n].value = strdup(index_label(unit, idx, buf));
    if (!v[c->n].value)
        return -1;
    v[c->n++].count = count;
    return 0;
}

int
period_histogram(const out_counts_t *days, period_unit_t unit,
                 out_counts_t *hist, period_unit_t *used)
{
    bucket_t *b = calloc(days->n ? days->n : 1, sizeof *b);
    size_t n = 0;
    long first = 0, last = 0;
    int rc = -1;

    hist->v = NULL;
    hist->n = 0;
    if (!b)
        return -1;
    for (size_t i = 0; i < days->n; i++) {
        long day;
        if (period_day_from_key(days->v[i].value, &day) < 0)
            continue;
        if (n == 0 || day < first)
            first = day;
        if (n == 0 || day > last)
            last = day;
        b[n].idx = day;
        b[n++].count = days->v[i].count;
    }
    if (unit == PERIOD_AUTO)
        unit = n ? period_auto(first, last) : PERIOD_MONTH;
    *used = unit;
    for (size_t i = 0; i < n; i++)
        b[i].idx = period_index(unit, b[i].idx);
    qsort(b, n, sizeof *b, cmp_bucket);

    long lo = n ? b[0].idx : 0, hi = n ? b[n - 1].idx : -1;
    bool fill = n && hi - lo < PERIOD_MAX_FILL;
    size_t k = 0;
    for (long idx = lo; n && idx <= hi;) {
        unsigned count = 0;
        while (k < n && b[k].idx == idx)
            count += b[k++].count;
        if ((count || fill) && push_count(hist, unit, idx, count) < 0)
            goto out;
        idx = fill || k >= n ? idx + 1 : b[k].idx;
    }
    rc = 0;
out:
    if (rc < 0)
        out_counts_release(hist);
    free(b);
    return rc;
}
