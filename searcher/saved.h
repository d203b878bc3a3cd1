/* saved.h - saved searches and what is new (internal)
 *
 * A saved search is a query and its filters kept in the database's
 * metadata under SCHEMA_META_SAVED_PREFIX + NAME (config/schema.h), as a
 * small JSON object, so that it travels with the database.  Its mark is
 * the run stamp up to which --new has shown its documents.  This module
 * reads and writes them, and opens the one database they are written
 * to; main.c runs them.  It never prints: failures come back with a
 * one-line message.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SAVED_H
#define SAVED_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "shim/xsh.h"
#include "util/strv.h"

/* Names: 1 to SAVED_NAME_MAX letters, digits, '.', '_' or '-' (ASCII),
 * starting with a letter or a digit, so that a name is a word in a
 * crontab and a file name anywhere. */
#define SAVED_NAME_MAX 64

typedef struct saved_search {
    char *name;
    char *query;                /* as typed, "" to browse */
    strv_t authors, sources, tags, langs;
    char *since, *until;        /* as typed (relative forms stay
                                   relative), NULL when not given */
    bool any, no_translit;
    char *saved_at;             /* ISO 8601 UTC */
    char *mark;                 /* run stamp its last --new saw, "" */
} saved_search_t;

void saved_search_init(saved_search_t *s);
void saved_search_release(saved_search_t *s);

/* Check NAME; OPT names the option in the message ("--save").  Returns
 * 0, or -1 with "OPT: ..." in ERR. */
int saved_name_check(const char *opt, const char *name, char *err,
                     size_t errlen);

/* The stored JSON text of S (malloc'd), NULL when out of memory. */
char *saved_encode(const saved_search_t *s);

/* Saved search NAME of DB into OUT.  Returns 1, 0 when there is none,
 * or -1 with the reason in ERR (a shim error, or a value that is not a
 * saved search). */
int saved_get(xsh_db_t *db, const char *name, saved_search_t *out,
              char *err, size_t errlen);

/* Every saved search of DB, sorted by name: OUT v (malloc'd array; free
 * with saved_list_free()), OUT n.  Returns 0 or -1 with ERR. */
int saved_list(xsh_db_t *db, saved_search_t **v, size_t *n, char *err,
               size_t errlen);
void saved_list_free(saved_search_t *v, size_t n);

/* The one local database that saved searches are written to: PATHS[0]
 * when N is 1, else the config's only database.  OPT names the option
 * for the message.  Several databases, a stub file or a remote server
 * are refused: the saved searches would not travel with the documents
 * (a stub's shards are written by their own indexers).  Returns the
 * path (borrowed), or NULL with ERR. */
const char *saved_db_path(const char *opt, const char *const *paths,
                          size_t n, const config_t *cfg, char *err,
                          size_t errlen);

/* Open PATH for writing saved searches.  A database that an index run
 * (or another --save) holds is refused at once, never waited for.
 * Returns the handle, or NULL with "PATH: ..." in ERR. */
xsh_wdb_t *saved_open(const char *path, char *err, size_t errlen);

/* Write S (replacing one of that name), or delete NAME; committed.
 * Return 0 or -1 with ERR. */
int saved_put(xsh_wdb_t *w, const saved_search_t *s, char *err,
              size_t errlen);
int saved_delete(xsh_wdb_t *w, const char *name, char *err, size_t errlen);

/* The stamp of the last finished index run of DB ("" if none), for
 * --new's upper bound and the mark it records.  Malloc'd, NULL on error
 * with ERR. */
char *saved_run_done(xsh_db_t *db, char *err, size_t errlen);

/* The lower bound of --new for MARK: the stamp after it, or the lowest
 * stamp for "" (never looked).  BUF holds SCHEMA_STAMP_LEN + 1 bytes. */
const char *saved_after(const char *mark, char *buf, size_t len);

#endif /* SAVED_H */
