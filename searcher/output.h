/* output.h - the searcher's printers: text, JSON and paths (internal)
 *
 * One interface for the three output formats, as notmuch's sprinter: the
 * search loop hands each hit and the closing totals to a printer and never
 * formats anything itself.  Text from documents is made safe for terminals
 * here (no control characters, escapes or bidi overrides pass), and JSON is
 * built with jansson, so it is always valid UTF-8.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One hit as shown.  Strings are borrowed; AUTHORS has N_AUTHORS. */
typedef struct out_hit {
    unsigned rank;              /* 1-based */
    unsigned docid;
    double score;
    const char *path;
    const char *id;             /* post id inside a JSON file, or NULL */
    unsigned long line;         /* its line in the export (1-based), or 0 */
    const char *title;
    const char *const *authors;
    size_t n_authors;
    const char *date;           /* "YYYY-MM-DD" or NULL */
    const char *source;
    const char *url;
    const char *snippet;        /* matches between OUT_HI_START/END */
    const char *lang;           /* language code, or NULL */
    unsigned duplicates;
    unsigned page;              /* 1-based page of the snippet (PDF), or 0 */
    const char *forwarded_from; /* a post's origin, or NULL */
    const char *reply_to;       /* the id of the post it answers, or NULL */
} out_hit_t;

/* Highlight markers inside snippets; printers turn them into colour or
 * drop them. */
#define OUT_HI_START "\x01"
#define OUT_HI_END "\x02"

/* A count: "2025-08" x 12. */
typedef struct out_count {
    char *value;
    unsigned count;
} out_count_t;

typedef struct out_counts {
    out_count_t *v;
    size_t n;
} out_counts_t;

void out_counts_release(out_counts_t *c);

/* --histogram-by: the histogram's periods split into series (see
 * searcher/series.h for how a match is counted).  Borrowed. */
typedef struct out_series {
    const char *name;           /* the group; for "other", "other" */
    bool is_other;              /* the rest of the groups, and matches
                                   without one */
    const unsigned *counts;     /* one per period of the histogram */
    unsigned long total;
    unsigned long matches;      /* the group's dated matches, those
                                   counted in a series above included */
} out_series_t;

typedef struct out_series_set {
    const char *key;            /* "author", "source" or "lang" */
    unsigned top;               /* series asked for (before "other") */
    size_t n_groups;            /* distinct groups among dated matches */
    const out_series_t *v;
    size_t n;
} out_series_set_t;

typedef struct out_summary {
    const char *query;
    unsigned total;             /* matches after collapsing duplicates:
                                   exact, or an estimate when not
                                   TOTAL_EXACT */
    bool total_exact;
    unsigned total_all;         /* the same before collapsing (>= TOTAL) */
    unsigned offset;
    unsigned shown;
    double elapsed_ms;
    const char *suggestion;     /* NULL when none */
    const out_counts_t *authors;    /* facets, NULL when not asked */
    const out_counts_t *months;
    unsigned months_undated;        /* matches without a month */
    const out_counts_t *langs;      /* facets, NULL when not asked */
    const out_counts_t *histogram;  /* NULL when not asked */
    const char *histogram_unit;     /* the unit used: "day", "week",
                                       "month" or "year" */
    unsigned histogram_undated;     /* matches without a date */
    const out_series_set_t *histogram_by;  /* NULL when not asked */
} out_summary_t;

typedef struct printer printer_t;
struct printer {
    void (*hit)(printer_t *p, const out_hit_t *h);
    void (*end)(printer_t *p, const out_summary_t *s);
    void (*free)(printer_t *p);
    FILE *out;
    bool color;
    unsigned width;             /* terminal columns */
    void *priv;
};

typedef enum out_format {
    OUT_TEXT = 0,
    OUT_JSON,
    OUT_PATHS,
    OUT_CSV,                    /* a header line, then one row per hit */
    OUT_JSONL                   /* one JSON object per hit and line */
} out_format_t;

/* A printer for FORMAT writing to OUT; COLOR for ANSI highlighting.
 * Returns NULL on allocation failure. */
printer_t *printer_new(out_format_t format, FILE *out, bool color,
                       unsigned width);

/* --fields: the columns a CSV or JSON Lines printer writes, as indexes
 * into a list of names (out_hit_fields for hits). */
#define OUT_FIELDS_MAX 32
typedef struct out_fields {
    unsigned char v[OUT_FIELDS_MAX];
    size_t n;
} out_fields_t;

/* The fields of a hit, in the order --format json writes them; NULL
 * ends the list.  The default columns of --format csv and jsonl. */
extern const char *const out_hit_fields[];

/* Parse SPEC, comma-separated names out of NAMES (NULL-terminated), into
 * OUT.  Returns 0, or -1 with "unknown field 'x' (expected a, b...)" or
 * "empty field name" in ERR. */
int out_fields_parse(const char *spec, const char *const *names,
                     out_fields_t *out, char *err, size_t errlen);

/* Make printer P (OUT_CSV or OUT_JSONL) write FIELDS instead of every
 * hit field; other printers ignore it.  Call before the first hit. */
void printer_set_fields(printer_t *p, const out_fields_t *fields);

/* One CSV cell to F (RFC 4180): S quoted when it holds a comma, a quote,
 * CR or LF, quotes doubled.  With TEXT, control characters are dropped
 * as out_sanitize() drops them, and a cell that a spreadsheet would read
 * as a formula (first character = + - @, tab or CR) gets a leading
 * single quote.  NULL is an empty cell. */
void out_csv_cell(FILE *f, const char *s, bool text);

/* N with thousands separators ("1,200") into BUF of LEN bytes (at least
 * 16); returns BUF. */
char *out_thousands(unsigned long n, char *buf, size_t len);

/* Copy S with control characters, escape sequences and bidi controls
 * removed (tabs and newlines become spaces), keeping the highlight markers
 * when KEEP_MARKERS.  Malloc'd. */
char *out_sanitize(const char *s, bool keep_markers);

#endif /* OUTPUT_H */
