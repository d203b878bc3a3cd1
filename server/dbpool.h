/* dbpool.h - the server's database handles, one per request at a time
 *
 * A Xapian database handle serves one thread at a time, so the server
 * keeps a few, each lent to one request.  Before a handle is lent, the
 * files behind it are compared with what it was opened on (the database
 * directories' and their version files' identity and times, stub files'
 * too): when an index run has committed to a database or swapped a
 * compacted copy into its place, the handle is opened afresh, so a
 * search always sees the latest committed index.  Shards reached through
 * stub files are brought up to date with xsh_db_reopen() at most once a
 * second.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SERVER_DBPOOL_H
#define SERVER_DBPOOL_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "shim/xsh.h"

typedef struct dbpool dbpool_t;

/* A pool of N handles on PATHS[0..N_PATHS-1] (or the config's database,
 * as dossier-search chooses).  PATHS and CFG are borrowed and must
 * outlive the pool.  One handle is opened and checked now (schema
 * version): NULL with a one-line message in ERR when that fails. */
dbpool_t *dbpool_new(const char *const *paths, size_t n_paths,
                     const config_t *cfg, bool allow_partial, unsigned n,
                     char *err, size_t errlen);
void dbpool_free(dbpool_t *p);

/* A handle (waits while all are lent), up to date as above; OUT remote:
 * whether it reaches a remote shard.  NULL with a message in ERR when the
 * database cannot be opened now (the last good handle is kept when only
 * a reopen fails).  Give it back with dbpool_put(). */
xsh_db_t *dbpool_get(dbpool_t *p, bool *remote, char *err, size_t errlen);
void dbpool_put(dbpool_t *p, xsh_db_t *db);

/* The first path searched, for messages. */
const char *dbpool_name(const dbpool_t *p);

#endif /* SERVER_DBPOOL_H */
