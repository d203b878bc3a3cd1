/* timeline.h - --histogram-by and --chart for dossier-search (internal)
 *
 * The search side of timelines as pictures, kept out of main.c's
 * run_search(): asking a built search for its (date, group) pairs, turning
 * them into the series of the histogram's periods (searcher/series.h), and
 * writing the histogram, with its series, as an SVG file through the pure
 * chart writer (searcher/chart.h).  Prints nothing: failures come back as
 * one line in ERR for the caller to report.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TIMELINE_H
#define TIMELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "searcher/output.h"
#include "searcher/period.h"
#include "searcher/series.h"
#include "shim/xsh.h"

typedef struct timeline {
    series_key_t key;
    unsigned top;
    int spy;                    /* -1 until timeline_ask() */
    series_set_t set;
    out_series_t *view;         /* SET as the printers take it */
    out_series_set_t view_set;
    char rest_name[16];         /* "other", or "no author" when no group
                                   is left out of the top */
} timeline_t;

/* Make T split by KEY into TOP series (series_key_parse()). */
void timeline_init(timeline_t *t, series_key_t key, unsigned top);
void timeline_release(timeline_t *t);

/* Before the search runs: ask S to count each match's date and groups.
 * Returns 0, or -1 with the shim's message in ERR. */
int timeline_ask(timeline_t *t, xsh_search_t *s, char *err, size_t errlen);

/* After it ran: the series of RES's pairs over HIST's periods (UNIT: the
 * unit the histogram used).  Returns 0, or -1 with a message in ERR (the
 * shim's, or "out of memory"). */
int timeline_count(timeline_t *t, xsh_results_t *res,
                   const out_counts_t *hist, period_unit_t unit, char *err,
                   size_t errlen);

/* The series for out_summary_t's histogram_by; valid until
 * timeline_release(). */
const out_series_set_t *timeline_view(const timeline_t *t);

/* Write the chart of HIST (per UNIT; UNDATED matches without a date),
 * split by BY when not NULL, for QUERY (the title; "" for every document)
 * to PATH, or to standard output when PATH is "-".  A file is written
 * whole under a temporary name and renamed, so a failure leaves any
 * earlier file as it was.  Returns 0, or -1 with a message in ERR
 * ("cannot write 'PATH': CAUSE"). */
int timeline_chart(const char *path, const char *query,
                   const out_counts_t *hist, const char *unit,
                   unsigned undated, const out_series_set_t *by, char *err,
                   size_t errlen);

#endif /* TIMELINE_H */
