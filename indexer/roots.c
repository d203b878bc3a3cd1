/* roots.c - the roots a database records, and the documents under one
 *
 * Reads and writes the recorded roots, counts and removes the documents
 * under a root by their file terms (SCHEMA_PREFIX_FILE + path), matches
 * a typed root against the recorded ones, and runs --forget.  It never
 * walks directories (walk.c) and never creates a database: --forget on a
 * path that holds none is an error.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "indexer/roots.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/schema.h"
#include "indexer/dbdir.h"
#include "indexer/index_int.h"
#include "util/diag.h"
#include "util/sbuf.h"

/* ------------------------------------------------------------------ */
/* The recorded list                                                   */

int
roots_read(xsh_wdb_t *wdb, strv_t *out)
{
    char *v = NULL, *save = NULL;

    if (xsh_wdb_get_metadata(wdb, SCHEMA_META_ROOTS, &v, NULL) != XSH_OK)
        return -1;
    for (char *line = strtok_r(v, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        if (*line && strv_push_unique(out, line) < 0) {
            free(v);
            return -1;
        }
    free(v);
    return 0;
}

int
roots_write(xsh_wdb_t *wdb, const strv_t *roots)
{
    sbuf_t b = SBUF_INIT;

    for (size_t i = 0; i < roots->n; i++)
        if (sbuf_adds(&b, roots->v[i]) < 0 || sbuf_addc(&b, '\n') < 0) {
            sbuf_release(&b);
            return -1;
        }
    xsh_status_t st = xsh_wdb_set_metadata(wdb, SCHEMA_META_ROOTS, b.p,
                                           b.len);
    sbuf_release(&b);
    return st == XSH_OK ? 0 : -1;
}

bool
roots_contains(const char *root, const char *path)
{
    size_t n = strlen(root);

    if (strcmp(root, "/") == 0)
        return path[0] == '/';
    return strncmp(path, root, n) == 0 &&
           (path[n] == '\0' || path[n] == '/');
}

/* ------------------------------------------------------------------ */
/* The documents under a root                                          */

typedef struct under {
    const char *root;
    const strv_t *keep;         /* roots whose documents stay, or NULL */
    unsigned long n_docs;
    strv_t terms;               /* the file terms found, when collected */
    bool collect;
    bool failed;
} under_t;

static bool
each_under(void *ctx, const char *term, size_t len, unsigned freq)
{
    under_t *u = ctx;
    size_t plen = strlen(SCHEMA_PREFIX_FILE);
    char *path = strndup(term + plen, len - plen);

    if (!path) {
        u->failed = true;
        return false;
    }
    bool mine = roots_contains(u->root, path);
    for (size_t i = 0; mine && u->keep && i < u->keep->n; i++)
        if (roots_contains(u->keep->v[i], path))
            mine = false;       /* another root's too: it stays */
    free(path);
    if (!mine)
        return true;
    u->n_docs += freq;          /* an export's posts share its term */
    if (u->collect) {
        char *t = strndup(term, len);
        if (!t || strv_push_owned(&u->terms, t) < 0) {
            u->failed = true;
            return false;
        }
    }
    return true;
}

/* Find the documents under U->root (the candidates: file terms that
 * start with "PREFIX ROOT"; each_under() keeps those of ROOT itself or
 * below "ROOT/"). */
static int
find_under(xsh_wdb_t *wdb, under_t *u)
{
    size_t len = strlen(SCHEMA_PREFIX_FILE) + strlen(u->root) + 1;
    char *prefix = malloc(len);

    if (!prefix)
        return -1;
    snprintf(prefix, len, "%s%s", SCHEMA_PREFIX_FILE,
             strcmp(u->root, "/") == 0 ? "/" : u->root);
    xsh_status_t st = xsh_wdb_each_term(wdb, prefix, each_under, u);
    free(prefix);
    return st == XSH_OK && !u->failed ? 0 : -1;
}

int
roots_count_docs(xsh_wdb_t *wdb, const char *root, unsigned long *n)
{
    under_t u = { .root = root };

    *n = 0;
    if (find_under(wdb, &u) < 0)
        return -1;
    *n = u.n_docs;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Naming a root                                                       */

/* ARG made absolute against the working directory, "." and ".." taken
 * lexically, repeated and trailing slashes dropped.  Caller frees. */
static char *
lexical_absolute(const char *arg)
{
    char cwd[PATH_MAX];
    sbuf_t in = SBUF_INIT, out = SBUF_INIT;

    if (arg[0] != '/') {
        if (!getcwd(cwd, sizeof cwd) || sbuf_adds(&in, cwd) < 0 ||
            sbuf_addc(&in, '/') < 0)
            goto fail;
    }
    if (sbuf_adds(&in, arg) < 0)
        goto fail;
    char *save = NULL;
    for (char *seg = strtok_r(in.p, "/", &save); seg;
         seg = strtok_r(NULL, "/", &save)) {
        if (strcmp(seg, ".") == 0)
            continue;
        if (strcmp(seg, "..") == 0) {
            char *slash = strrchr(out.p, '/');
            sbuf_setlen(&out, slash ? (size_t)(slash - out.p) : 0);
            continue;
        }
        if (sbuf_addc(&out, '/') < 0 || sbuf_adds(&out, seg) < 0)
            goto fail;
    }
    if (out.len == 0 && sbuf_addc(&out, '/') < 0)
        goto fail;
    sbuf_release(&in);
    return sbuf_detach(&out);
fail:
    sbuf_release(&in);
    sbuf_release(&out);
    return NULL;
}

static long
index_of(const strv_t *sv, const char *s)
{
    for (size_t i = 0; s && i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return (long)i;
    return -1;
}

long
roots_find(const strv_t *recorded, const char *arg)
{
    long i = index_of(recorded, arg);
    char *p;

    if (i >= 0)
        return i;
    if ((p = realpath(arg, NULL))) {
        i = index_of(recorded, p);
        free(p);
        if (i >= 0)
            return i;
    }
    p = lexical_absolute(arg);
    i = index_of(recorded, p);
    free(p);
    return i;
}

/* ------------------------------------------------------------------ */
/* --forget                                                            */

/* Open the database at PATH for --forget: it must exist, and be one this
 * indexer writes.  Returns NULL (said on stderr) otherwise. */
static xsh_wdb_t *
open_existing(const char *path)
{
    xsh_wdb_t *wdb = NULL;
    char *v = NULL, *msg = NULL, why[256];
    unsigned count = 0;
    int mode = dbdir_open_mode(path);

    if (mode == XSH_WDB_CREATE_OR_OPEN) {
        diag_error("%s: no database here (nothing to forget)", path);
        return NULL;
    }
    if (mode < 0) {
        diag_error("%s: not a database: a directory holding other files",
                   path);
        return NULL;
    }
    xsh_status_t st = xsh_wdb_open(path, XSH_WDB_OPEN, &wdb, &msg);
    if (st != XSH_OK) {
        if (st == XSH_LOCKED)
            diag_error("%s: %s", path, dbdir_open_error(st));
        else
            diag_error("%s: %s: %s", path, dbdir_open_error(st),
                       msg ? msg : xsh_status_str(st));
        free(msg);
        return NULL;
    }
    if (xsh_wdb_get_metadata(wdb, SCHEMA_META_VERSION, &v, NULL) != XSH_OK ||
        xsh_wdb_doccount(wdb, &count) != XSH_OK) {
        diag_error("%s: %s", path, xsh_wdb_errmsg(wdb));
    } else if (schema_check(v, count, SCHEMA_USE_WRITE, why,
                            sizeof why) < 0) {
        diag_error("%s: %s", path, why);
    } else {
        free(v);
        return wdb;
    }
    free(v);
    xsh_wdb_close(wdb);
    return NULL;
}

/* "'/a', '/b'" or "none", for the message about an unknown root. */
static void
say_unknown(const char *arg, const strv_t *recorded)
{
    sbuf_t b = SBUF_INIT;

    for (size_t i = 0; i < recorded->n; i++)
        if ((i && sbuf_adds(&b, ", ") < 0) || sbuf_addc(&b, '\'') < 0 ||
            sbuf_adds(&b, recorded->v[i]) < 0 || sbuf_addc(&b, '\'') < 0)
            break;
    diag_error("--forget: '%s' is not a recorded root (recorded: %s)", arg,
               recorded->n ? b.p : "none");
    sbuf_release(&b);
}

int
roots_forget(const index_opts_t *opts)
{
    strv_t recorded = STRV_INIT, stay = STRV_INIT, gone = STRV_INIT;
    unsigned long *removed = NULL;
    int rc = INDEX_EXIT_FATAL;
    xsh_wdb_t *wdb;

    if (!(wdb = open_existing(opts->db_path)))
        return INDEX_EXIT_FATAL;
    if (roots_read(wdb, &recorded) < 0)
        goto dberr;
    /* Every name checked before anything changes. */
    bool *drop = calloc(recorded.n + 1, sizeof *drop);
    if (!drop)
        goto nomem;
    for (size_t i = 0; i < opts->n_forget; i++) {
        long k = roots_find(&recorded, opts->forget[i]);
        if (k < 0) {
            say_unknown(opts->forget[i], &recorded);
            free(drop);
            goto out;
        }
        drop[k] = true;
    }
    for (size_t i = 0; i < recorded.n; i++)
        if (strv_push(drop[i] ? &gone : &stay, recorded.v[i]) < 0) {
            free(drop);
            goto nomem;
        }
    free(drop);
    if (!(removed = calloc(gone.n + 1, sizeof *removed)))
        goto nomem;
    for (size_t i = 0; i < gone.n; i++) {
        under_t u = { .root = gone.v[i], .keep = &stay, .collect = true };
        if (find_under(wdb, &u) < 0) {
            strv_release(&u.terms);
            goto dberr;
        }
        for (size_t t = 0; t < u.terms.n; t++) {
            if (xsh_wdb_delete(wdb, u.terms.v[t]) != XSH_OK) {
                strv_release(&u.terms);
                goto dberr;
            }
            if (opts->verbosity == INDEX_VERBOSE)
                diag_plain("removed %s",
                           u.terms.v[t] + strlen(SCHEMA_PREFIX_FILE));
        }
        removed[i] = u.n_docs;
        strv_release(&u.terms);
    }
    /* The roots are rewritten after the documents are gone: closing
     * commits whatever was done, so a failure half-way leaves the root
     * recorded with what is left of its documents, never documents under
     * no root.  The spelling dictionary keeps the forgotten documents'
     * words: Xapian cannot tell which document added a word. */
    if (roots_write(wdb, &stay) < 0 || xsh_wdb_commit(wdb) != XSH_OK)
        goto dberr;
    /* Documents left their groups: recorded again, as a run does. */
    char why[512];
    if (index_mark_groups(wdb, why, sizeof why) < 0)
        diag_warn("%s: collapse groups not recorded: %s", opts->db_path,
                  why);
    for (size_t i = 0; opts->verbosity != INDEX_QUIET && i < gone.n; i++)
        printf("forgot %s: removed %lu document%s\n", gone.v[i], removed[i],
               removed[i] == 1 ? "" : "s");
    rc = INDEX_EXIT_OK;
    goto out;

dberr:
    diag_error("%s: %s", opts->db_path, xsh_wdb_errmsg(wdb));
    goto out;
nomem:
    diag_error("out of memory");
out:
    xsh_wdb_close(wdb);
    free(removed);
    strv_release(&recorded);
    strv_release(&stay);
    strv_release(&gone);
    return rc;
}
