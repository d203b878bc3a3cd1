/* batch.h - dossier-search --batch: one search per line of a file
 *
 * Reads queries, one a line or from the `query` column of a CSV or TSV
 * file with a header line, runs each through query_build()/query_run()
 * on one open database with the command line's filters, and writes one
 * row per query: its exact count (as --format json's total), the first
 * and last date of its matches and its top hits' paths, as CSV or JSON
 * Lines.  A line that cannot run is handed to a callback with its number
 * and the rest run.  Never prints diagnostics itself.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BATCH_H
#define BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "config/config.h"
#include "searcher/output.h"
#include "searcher/query.h"
#include "shim/xsh.h"

/* The columns of a row, for --fields; NULL ends the list. */
extern const char *const batch_fields[];

/* A line that did not run: its number (1-based, the first line of a
 * quoted CSV record) and a one-line message. */
typedef void (*batch_bad_fn)(void *ctx, unsigned long line,
                             const char *msg);

typedef struct batch_opts {
    const query_spec_t *spec;   /* filters and options; .query unused */
    bool jsonl;                 /* JSON Lines, else CSV */
    unsigned n_top;             /* paths per row */
    const out_fields_t *fields; /* indexes into batch_fields; NULL or
                                   empty: query,count,first_date,
                                   last_date,top */
    batch_bad_fn bad;
    void *ctx;
    bool dates;                 /* batch_run()'s own: FIELDS hold a date */
} batch_opts_t;

typedef struct batch_stats {
    unsigned long n_run;        /* queries run */
    unsigned long n_found;      /* of those, with a match */
    unsigned long n_bad;        /* lines handed to bad() */
} batch_stats_t;

/* Run every query of IN on DB, writing the rows to OUT.  Returns 0 when
 * IN was read to its end (ST says how many lines failed), or -1 with a
 * message in ERR when reading failed or memory ran out. */
int batch_run(xsh_db_t *db, const config_t *cfg, FILE *in, FILE *out,
              const batch_opts_t *o, batch_stats_t *st, char *err,
              size_t errlen);

#endif /* BATCH_H */
