/* chart.h - a histogram as a standalone SVG 1.1 bar chart
 *
 * Pure drawing: counts per period and their labels in, SVG text out.  No
 * query, database, option or file code, so that every program that has
 * counts (dossier-search --chart, the web view) draws the same chart.
 *
 * The chart: a title (the query) and a subtitle (each left out, with
 * the band it takes, when NULL or empty), a y axis of match counts
 * with round ticks and light grid lines, an x axis of periods labelled as
 * often as they fit, one stacked bar per period with a segment per series
 * (the first series at the bottom), and, with more than one series, a
 * legend naming them in order with their totals.  Each period with a
 * count above zero is one <g class="period"> holding one
 * <rect class="bar"> per series that counts there; a segment's height is
 * its count times the same scale for every segment, so heights compare
 * as the counts do.  Each group and segment carries a <title> (tooltips
 * in browsers): "LABEL: COUNT" and "LABEL, NAME: COUNT"; where a bar is
 * wide enough, its period's count is written above it
 * (<text class="total">).  Class names are the interface for scripts and
 * style sheets: "bar", "period", "total", "legend", "title", "subtitle",
 * "x-axis", "y-axis".
 *
 * Every string from the caller (title, subtitle, labels, names) may come
 * from documents: it is written XML-escaped (& < > " '), with bytes that
 * are not valid UTF-8 replaced by U+FFFD and control and bidi-override
 * characters (which XML forbids or which would reorder the chart's text)
 * replaced by spaces, so the output is always well-formed XML whatever
 * the input.  Legend names longer than CHART_NAME_MAX characters are cut
 * with an ellipsis (their <title> keeps them whole).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef CHART_H
#define CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "util/sbuf.h"

/* Series beyond this many are refused (they would share colours). */
#define CHART_MAX_SERIES 12
/* Characters of a series name shown in the legend. */
#define CHART_NAME_MAX 32

/* One series: a name and a count per period.  Borrowed. */
typedef struct chart_series {
    const char *name;           /* legend text; NULL or "" for none */
    const unsigned *counts;     /* N_PERIODS counts */
    bool is_rest;               /* "other": drawn in grey */
} chart_series_t;

/* What to draw.  Every pointer is borrowed for the call only. */
typedef struct chart_spec {
    const char *title;          /* first line, e.g. the query; NULL: none */
    const char *subtitle;       /* second line, e.g. "Matches per month";
                                   NULL: none */
    const char *const *labels;  /* N_PERIODS period labels, in order */
    size_t n_periods;
    const chart_series_t *series;   /* 1 to CHART_MAX_SERIES, stacked in
                                       this order from the bottom */
    size_t n_series;
    unsigned width, height;     /* pixels; 0: 960 by 420 (at least 320
                                   by 200 are used) */
    bool fragment;              /* no XML declaration: for an <svg> inside
                                   an HTML page */
} chart_spec_t;

/* Append the SVG of SPEC to OUT (a standalone SVG 1.1 document unless
 * SPEC->fragment).  No periods draws empty axes with "no dated matches".
 * Returns 0; -1 with OUT's length unchanged when out of memory, or when
 * SPEC is unusable (no series, more than CHART_MAX_SERIES, or a NULL
 * array where N_PERIODS > 0), with ERR (may be NULL) set to a one-line
 * reason of at most 128 bytes (static text). */
int chart_svg(const chart_spec_t *spec, sbuf_t *out, const char **err);

/* Append S (LEN bytes; any bytes) to OUT as XML character data or an
 * attribute value, cleaned and escaped as described above.  Returns 0, or
 * -1 when out of memory. */
int chart_xml_escape(sbuf_t *out, const char *s, size_t len);

#endif /* CHART_H */
