/* roots.h - the roots a database records, and the documents under one
 *
 * A root is a directory or file given to dossier-index, recorded in the
 * database (resolved, one per line in SCHEMA_META_ROOTS) so that a run
 * with no arguments reindexes it.  This module reads and writes that
 * list, counts the documents recorded under a root, matches what a user
 * types against the list, and runs --forget, which drops a root with its
 * documents.  A document is under ROOT when its file term names ROOT
 * itself or a path below "ROOT/": never "ROOT2/..." (the trailing '/'
 * rule the removal of vanished files follows too).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ROOTS_H
#define ROOTS_H

#include <stdbool.h>

#include "indexer/index.h"
#include "shim/xsh.h"
#include "util/strv.h"

/* Append the roots WDB records to OUT (each once).  Returns -1 when the
 * database cannot be read (xsh_wdb_errmsg() says why) or memory ran
 * out. */
int roots_read(xsh_wdb_t *wdb, strv_t *out);

/* Record ROOTS as WDB's roots (uncommitted).  Returns -1 on failure. */
int roots_write(xsh_wdb_t *wdb, const strv_t *roots);

/* Whether the file PATH is ROOT or lies below it ("ROOT/..."). */
bool roots_contains(const char *root, const char *path);

/* OUT n: the number of documents WDB holds under ROOT.  Returns -1 when
 * the database cannot be read. */
int roots_count_docs(xsh_wdb_t *wdb, const char *root, unsigned long *n);

/* The index in RECORDED of the root ARG names: ARG as recorded, resolved
 * (realpath) if it exists, else made absolute against the working
 * directory without following links ("." and ".." taken lexically), so a
 * root that is gone can still be named as typed.  -1 if none. */
long roots_find(const strv_t *recorded, const char *arg);

/* dossier-index --forget: drop each of OPTS->forget (OPTS->n_forget
 * roots) from the database at OPTS->db_path, with every document under
 * it that is not also under a root that stays, in one commit; print
 * "forgot ROOT: removed N documents" for each (unless quiet).  A root
 * that is not recorded is an error listing the recorded ones, and
 * nothing changes.  The database is never created.  Returns an
 * index_exit code. */
int roots_forget(const index_opts_t *opts);

#endif /* ROOTS_H */
