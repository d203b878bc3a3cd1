/* dbdir.h - the database's directory: how to open it, its temporaries
 *
 * Owns what the indexer does to the database as a directory of files
 * rather than through Xapian: choosing how to open a path (create, open,
 * or refuse a directory of someone else's files), clearing a creation cut
 * short, probing Xapian's lock, naming and removing the temporary
 * databases next to it (compacted copies, shards, and those a killed run
 * left), and putting a new database in the old one's place.  It never
 * writes documents, never decides when to compact or merge (index.c
 * and shards.c do) and never prints: failures come back as -1 with a
 * message or errno.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DBDIR_H
#define DBDIR_H

#include "shim/xsh.h"

/* How to open the database at PATH: XSH_WDB_CREATE_OR_OPEN where nothing
 * is (no path, an empty directory, a creation cut short, whose files are
 * removed first), XSH_WDB_OPEN where a database or a non-directory is (so
 * Xapian says what is wrong with it), or -1 when PATH is a directory
 * holding other files. */
int dbdir_open_mode(const char *path);

/* A short phrase for a failed open with status ST (static text). */
const char *dbdir_open_error(xsh_status_t st);

/* The name of a temporary database next to DB: "DB.WHAT-PID".  Caller
 * frees with free(); NULL if memory runs out. */
char *dbdir_sibling(const char *db, const char *what);

/* Remove the database directory PATH and the Xapian files in it; a
 * directory holding anything else stays (with its other files). */
void dbdir_remove(const char *path);

/* Remove the temporary databases (dbdir_sibling() names) a killed run left
 * next to DB, a resolved path.  The caller holds DB's write lock, so no
 * live run is using them. */
void dbdir_remove_leftovers(const char *db);

/* Put the new database at TMP in the place of DB, whose write lock *WDB
 * still holds.  On success *WDB is closed and NULL and the old files are
 * gone; returns -1 (errno set) with nothing changed on failure. */
int dbdir_replace(const char *db, const char *tmp, xsh_wdb_t **wdb);

/* What is done to a compacted copy at PATH before it takes the
 * database's place: 0, or -1 with the reason in ERR (ERRLEN bytes). */
typedef int (*dbdir_fix_fn)(const char *path, char *err, size_t errlen);

/* Replace the database at DB (REAL: its resolved path) by a compacted
 * copy, under the write lock *WDB (closed and NULL if the copy took its
 * place), after FIX (may be NULL) has run on the copy.  Returns 0, or
 * -1 with the reason in ERR (ERRLEN bytes): the database is then still
 * whole, so the caller warns and goes on. */
int dbdir_compact(const char *db, const char *real, xsh_wdb_t **wdb,
                  dbdir_fix_fn fix, char *err, size_t errlen);

#endif /* DBDIR_H */
