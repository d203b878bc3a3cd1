/* fuzz_date.c - the date parser, its query forms and formatters
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config/date.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    char err[128], a[16], b[16];
    date_t d;

    if (!s)
        return 0;
    if (date_parse(s, &d, err, sizeof err) == 0) {
        if (!date_is_valid(d.year, d.month, d.day))
            abort();
        date_format_iso(d, a);
        date_format_key(d, b);
        date_format_month(d, a);
        if (date_from_key(date_format_key(date_period_last(d), b), &d) < 0)
            abort();
    }
    /* A fixed "now" keeps runs reproducible. */
    if (date_parse_query(s, 1755302400, &d, err, sizeof err) == 0) {
        date_format_key(date_period_first(d), a);
        date_format_key(date_period_last(d), b);
        if (strcmp(a, b) > 0)
            abort();
    }
    date_from_key(s, &d);
    free(s);
    return 0;
}
