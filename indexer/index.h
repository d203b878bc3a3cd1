/* index.h - one indexing run: its options, counts and exit codes
 *
 * Declares index_run(), its options, its counts, the exit codes of
 * dossier-index and the stop flag the signal handlers set.  index_run()
 * (index.c) owns the writable database for the run and coordinates it:
 * the database directory is dbdir.c's, the worker threads pipeline.c's,
 * a fresh build in shards shards.c's; what index.c and shards.c share is
 * in index_int.h.  Nothing here prints or exits: index_run() reports on
 * stderr and returns an exit code.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef INDEX_H
#define INDEX_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"

typedef enum index_verbosity {
    INDEX_QUIET = 0,        /* problems only */
    INDEX_NORMAL = 1,       /* problems, progress on a TTY, summary */
    INDEX_VERBOSE = 2       /* and each file */
} index_verbosity_t;

typedef struct index_opts {
    const char *db_path;
    const char *const *roots;   /* as given on the command line */
    size_t n_roots;             /* 0: the roots recorded in the database */
    const char *const *forget;  /* --forget: roots to drop (roots.c) */
    size_t n_forget;
    bool full;                  /* reindex every file */
    bool no_compact;            /* keep the database as written */
    bool no_pack;               /* leave the document data unpacked */
    bool progress;              /* progress bar allowed (TTY) */
    index_verbosity_t verbosity;
    unsigned jobs;
} index_opts_t;

/* Counts of documents (an export holds many, other files one), except
 * FILES: the files read (new or changed), and SKIPPED, which counts
 * files and posts that were not indexed, each named on stderr. */
typedef struct index_stats {
    unsigned long added, updated, removed, unchanged, skipped;
    unsigned long unsupported;  /* files in a walked directory that no
                                   extractor reads, passed over */
    unsigned long files;
    double seconds;
} index_stats_t;

/* Exit codes of dossier-index, as dossier-index(1) lists them under EXIT
 * STATUS; they never change. */
enum index_exit {
    INDEX_EXIT_OK = 0,
    INDEX_EXIT_SKIPPED = 1,     /* finished, some files skipped */
    INDEX_EXIT_FATAL = 2,       /* nothing done: config, database, root */
    INDEX_EXIT_INTERRUPTED = 130    /* SIGINT/SIGTERM: committed and left */
};

/* Set by the signal handler; the run commits and stops when it is. */
extern volatile sig_atomic_t index_stop_signal;

/* Run the indexer.  Diagnostics go to stderr; returns an index_exit. */
int index_run(const config_t *cfg, const index_opts_t *opts,
              index_stats_t *stats);

#endif /* INDEX_H */
