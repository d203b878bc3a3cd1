/* dbdir.c - the database's directory: how to open it, its temporaries
 *
 * Everything the indexer does to the database path as files, not through
 * Xapian: the open mode (and clearing a creation cut short), the lock
 * probe, the temporary databases next to it (names, removal, leftovers of
 * killed runs), and the swap that puts a compacted or merged copy in the
 * database's place.  One directory-listing helper serves every loop over
 * a directory's entries.  Never writes documents or prints; see dbdir.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "indexer/dbdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


/* ------------------------------------------------------------------ */
/* Listing a directory                                                 */

typedef void each_fn(void *ctx, const char *path, const char *name);

/* Call FN with "DIR/NAME" and NAME for each entry of DIR but "." and "..".
 * Returns -1 if DIR cannot be listed or memory runs out. */
static int
each_entry(const char *dir, each_fn *fn, void *ctx)
{
    size_t dlen = strlen(dir);
    char *path = malloc(dlen + 2 + NAME_MAX + 1);
    struct dirent *e;
    DIR *d;

    if (!path)
        return -1;
    if (!(d = opendir(dir))) {
        free(path);
        return -1;
    }
    memcpy(path, dir, dlen);
    path[dlen] = '/';
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path + dlen + 1, NAME_MAX + 1, "%s", e->d_name);
        fn(ctx, path, e->d_name);
    }
    closedir(d);
    free(path);
    return 0;
}

/* Xapian's own files in a glass database directory. */
static bool
is_xapian_file(const char *name)
{
    size_t n = strlen(name);
    return strcmp(name, "flintlock") == 0 ||
           strncmp(name, "iamglass", 8) == 0 ||
           (n > 6 && strcmp(name + n - 6, ".glass") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".tmp") == 0);
}

/* Unlink PATH if it is one of Xapian's files; if *CTX (bool), not the
 * lock file. */
static void
unlink_xapian_file(void *ctx, const char *path, const char *name)
{
    const bool *keep_lock = ctx;

    if (is_xapian_file(name) &&
        !(*keep_lock && strcmp(name, "flintlock") == 0))
        unlink(path);
}

void
dbdir_remove(const char *path)
{
    bool keep_lock = false;

    /* A Xapian database has no subdirectories. */
    each_entry(path, unlink_xapian_file, &keep_lock);
    rmdir(path);
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */

/* True when another process holds Xapian's lock on the database at PATH
 * (a writer still creating it). */
static bool
lock_is_held(const char *path)
{
    char *p = malloc(strlen(path) + sizeof "/flintlock");
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    bool held = false;
    int fd;

    if (!p)
        return true;
    sprintf(p, "%s/flintlock", path);
    fd = open(p, O_RDWR | O_CLOEXEC);
    free(p);
    if (fd < 0)
        return false;
    held = fcntl(fd, F_GETLK, &fl) < 0 || fl.l_type != F_UNLCK;
    close(fd);
    return held;
}

typedef struct contents {
    bool glass;                 /* "iamglass": a database */
    bool foreign;               /* a file that is not Xapian's */
} contents_t;

static void
classify_entry(void *ctx, const char *path, const char *name)
{
    contents_t *c = ctx;

    (void)path;
    if (strcmp(name, "iamglass") == 0)
        c->glass = true;
    else if (!is_xapian_file(name))
        c->foreign = true;
}

/* Xapian creates a database in any directory without "iamglass", among
 * whatever files it holds, and replaces a version file it cannot read
 * when no table is there: so create only where nothing is (no path, an
 * empty directory), and otherwise open what is there or fail.  A
 * directory holding only Xapian's files but no "iamglass" is a creation
 * cut short (Xapian renames iamglass into place after making the first
 * tables, so a kill can leave that): it holds no commit, which Xapian
 * cannot open or create over, so those files are removed first. */
int
dbdir_open_mode(const char *path)
{
    contents_t c = { false, false };
    struct stat st;

    if (stat(path, &st) < 0)
        return XSH_WDB_CREATE_OR_OPEN;
    if (!S_ISDIR(st.st_mode) || each_entry(path, classify_entry, &c) < 0)
        return XSH_WDB_OPEN;    /* a stub file, or Xapian will say why */
    if (!c.glass && !c.foreign && !lock_is_held(path)) {
        bool keep_lock = true;
        each_entry(path, unlink_xapian_file, &keep_lock);
    }
    if (c.glass)
        return XSH_WDB_OPEN;
    return c.foreign ? -1 : XSH_WDB_CREATE_OR_OPEN;
}

const char *
dbdir_open_error(xsh_status_t st)
{
    switch (st) {
    case XSH_LOCKED:
        return "database is locked by another indexer";
    case XSH_VERSION:
        return "database format version is not supported";
    case XSH_CORRUPT:
        return "database is corrupt";
    default:
        return "cannot open database";
    }
}

/* ------------------------------------------------------------------ */
/* Temporary databases next to the database                            */

char *
dbdir_sibling(const char *db, const char *what)
{
    size_t len = strlen(db) + strlen(what) + 32;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s.%s-%ld", db, what, (long)getpid());
    return p;
}

/* Is NAME one of the temporary databases dbdir_sibling() makes for a
 * database named BASE: "BASE.compact-PID", "BASE.old-PID" or
 * "BASE.shardN-PID"? */
static bool
is_leftover(const char *name, const char *base)
{
    static const char *const kinds[] = { "compact-", "old-", "shard" };
    size_t n = strlen(base);

    if (strncmp(name, base, n) != 0 || name[n] != '.')
        return false;
    name += n + 1;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        size_t k = strlen(kinds[i]);
        if (strncmp(name, kinds[i], k) != 0)
            continue;
        const char *p = name + k;
        if (i == 2) {           /* shardN- */
            p += strspn(p, "0123456789");
            if (p == name + k || *p++ != '-')
                return false;
        }
        return *p && strspn(p, "0123456789") == strlen(p);
    }
    return false;
}

static void
remove_if_leftover(void *ctx, const char *path, const char *name)
{
    if (is_leftover(name, ctx))
        dbdir_remove(path);
}

void
dbdir_remove_leftovers(const char *db)
{
    char *copy = strdup(db), *copy2 = strdup(db);

    if (copy && copy2)
        each_entry(dirname(copy), remove_if_leftover, basename(copy2));
    free(copy);
    free(copy2);
}

/* ------------------------------------------------------------------ */
/* Swapping a new database in                                          */

/* TMP takes DB's place in one step (renameat2 RENAME_EXCHANGE): a reader
 * opening the path sees either database, never nothing; readers that have
 * the old one open keep reading its (unlinked) files.  The write lock *WDB
 * holds keeps any other indexer from writing to the database being
 * replaced.  File systems without the exchange get two renames. */
int
dbdir_replace(const char *db, const char *tmp, xsh_wdb_t **wdb)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, db, RENAME_EXCHANGE) == 0) {
        xsh_wdb_close(*wdb);
        *wdb = NULL;
        dbdir_remove(tmp);          /* now the database as written */
        return 0;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return -1;
    char *old = dbdir_sibling(db, "old");
    if (!old)
        return -1;
    if (rename(db, old) < 0) {
        free(old);
        return -1;
    }
    if (rename(tmp, db) < 0) {
        int e = errno;
        rename(old, db);
        free(old);
        errno = e;
        return -1;
    }
    xsh_wdb_close(*wdb);
    *wdb = NULL;
    dbdir_remove(old);
    free(old);
    return 0;
}

/* A compacted copy is smaller and faster to search. */
int
dbdir_compact(const char *db, const char *real, xsh_wdb_t **wdb,
              dbdir_fix_fn fix, char *err, size_t errlen)
{
    char *tmp = dbdir_sibling(real, "compact");
    char *msg = NULL;
    int rc = -1;

    if (!tmp) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    dbdir_remove(tmp);
    if (xsh_compact(db, tmp, &msg) != XSH_OK)
        snprintf(err, errlen, "%s", msg ? msg : "failed");
    else if (fix && fix(tmp, err, errlen) < 0)
        ;                       /* ERR says why */
    else if (dbdir_replace(real, tmp, wdb) < 0)
        snprintf(err, errlen, "%s", strerror(errno));
    else
        rc = 0;
    if (*wdb)
        dbdir_remove(tmp);
    free(msg);
    free(tmp);
    return rc;
}
