/* main_int.h - what dossier-search's main.c shares with savedcmd.c
 *
 * The parsed options, the exit codes and the steps of one search, split
 * out of main.c (issue 11) so that the saved-search commands live in
 * savedcmd.c.  Only searcher/main.c and searcher/savedcmd.c include this;
 * neither is part of the searcher's library objects (the Makefile's
 * SEARCHER_LIB_OBJ).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SEARCHER_MAIN_INT_H
#define SEARCHER_MAIN_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "config/config.h"
#include "searcher/output.h"
#include "searcher/period.h"
#include "searcher/series.h"
#include "shim/xsh.h"
#include "util/strv.h"

/* Exit codes, like grep's, as dossier-search(1) lists them under EXIT
 * STATUS; they never change. */
enum search_exit {
    SEARCH_EXIT_HITS = 0,
    SEARCH_EXIT_NONE = 1,
    SEARCH_EXIT_ERROR = 2
};

typedef struct opts {
    strv_t dbs;
    const char *config;
    strv_t authors;
    const char *since, *until;
    strv_t sources;
    strv_t tags;
    strv_t langs;
    bool no_translit;
    bool any, any_set;
    unsigned limit;
    bool limit_set;
    unsigned offset;
    const char *sort;
    out_format_t format;
    bool facets;
    const char *histogram;
    period_unit_t hist_unit;
    bool estimate;
    bool no_collapse;
    bool allow_partial;
    bool stats;
    int color;                  /* -1 never, 0 auto (a TTY), 1 always */
    const char *hist_by;        /* --histogram-by, parsed into: */
    series_key_t by_key;
    unsigned by_top;
    const char *chart;          /* --chart FILE, "-": standard output */
    char *query;
    const char *fields;         /* --fields, NULL when not given */
    const char *batch;          /* --batch FILE, NULL when not given */
    /* Saved searches (saved.c) and more like this (like.c). */
    const char *save, *run, *del, *like;
    bool list_saved, new_mode;
    const char *new_lo, *new_hi;    /* --new: first-indexed stamps */
    FILE *out;                      /* NULL: stdout */
} opts_t;

/* A warning for query_open(): one diag_warn() line. */
void main_warn_line(const char *msg);

/* ARGV[0..ARGC-1] joined by spaces, malloc'd; NULL out of memory. */
char *main_join_args(int argc, char **argv);

/* 0 when DB's schema is one this searcher reads, else -1 (printed). */
int main_check_schema(xsh_db_t *db, const opts_t *o, const config_t *cfg);

/* One search of O over DB, printed; a search_exit code.  T0: the start
 * time, for the summary. */
int main_run_search(xsh_db_t *db, const opts_t *o, const config_t *cfg,
                    bool remote, double t0);

/* --save, --saved, --run, --new and --delete (savedcmd.c); ARGV: the
 * words after the options.  A search_exit code. */
int savedcmd_command(opts_t *o, const config_t *cfg, int argc, char **argv,
                     double t0);

#endif /* SEARCHER_MAIN_INT_H */
