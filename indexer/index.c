/* index.c - one indexing run: roots, change detection, batches, removal
 *
 * The run walks each root into a sorted list of files first (so progress
 * knows the total and the order is the same on every file system), then
 * looks at each file: unchanged files (same size and mtime) cost one term
 * lookup and no read; changed files are read whole, checked (size limit,
 * binary, UTF-8), extracted, built and replaced.  Files recorded under a
 * root that the walk did not see are removed.  Commits happen every
 * index.batch_size documents and at the end, so an interrupted run keeps
 * everything up to its last commit.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "indexer/index.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <utf8proc.h>

#include "config/diag.h"
#include "config/schema.h"
#include "indexer/document.h"
#include "indexer/extract.h"
#include "indexer/walk.h"
#include "shim/xsh.h"

volatile sig_atomic_t index_stop_signal = 0;

typedef struct file_entry {
    char *path;
    struct stat st;
} file_entry_t;

typedef struct file_list {
    file_entry_t *v;
    size_t n, cap;
} file_list_t;

typedef struct run {
    const config_t *cfg;
    const index_opts_t *opts;
    index_stats_t *stats;
    xsh_wdb_t *wdb;
    docbuilder_t builder;
    unsigned pending;           /* documents changed since the commit */
    file_list_t files;          /* of the root being walked */
    uint64_t *seen;             /* hashes of file terms seen, sorted */
    size_t n_seen, cap_seen;
    size_t done, total;         /* progress over all roots */
    double start;
    double last_progress;
    bool progress_shown;
    bool fatal;
} run_t;

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* Progress and messages                                               */

static void
progress_clear(run_t *r)
{
    if (r->progress_shown) {
        fputs("\r\033[K", stderr);
        r->progress_shown = false;
    }
}

static void
progress_update(run_t *r, bool force)
{
    if (!r->opts->progress || r->opts->verbosity != INDEX_NORMAL)
        return;
    double t = now_seconds();
    if (!force && t - r->last_progress < 0.2)
        return;
    r->last_progress = t;
    double el = t - r->start;
    double rate = el > 0 ? (double)r->done / el : 0;
    double eta = rate > 0 ? (double)(r->total - r->done) / rate : 0;
    int width = 30;
    int fill = r->total ? (int)((double)width * (double)r->done /
                                (double)r->total) : 0;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu files, %.0f files/s, ETA %.0f s",
            fill, "##############################", width - fill, "",
            r->done, r->total, rate, eta);
    r->progress_shown = true;
}

static void
file_problem(run_t *r, const char *path, const char *reason)
{
    progress_clear(r);
    diag_error("%s: %s", path, reason);
}

static void
skip_file(run_t *r, const char *path, const char *reason)
{
    file_problem(r, path, reason);
    r->stats->skipped++;
}

static void
warn_file(run_t *r, const char *path, const extract_diag_t *d)
{
    for (size_t i = 0; i < d->n; i++) {
        progress_clear(r);
        diag_warn("%s:%s", path, d->msgs[i]);
    }
}

/* ------------------------------------------------------------------ */
/* Walking into a sorted list                                          */

static bool
collect_file(void *ctx, const char *path, const char *rel,
             const struct stat *st)
{
    run_t *r = ctx;
    (void)rel;
    if (extract_format_of(path) == EXTRACT_NONE)
        return true;
    if (r->files.n == r->files.cap) {
        size_t cap = r->files.cap ? r->files.cap * 2 : 256;
        file_entry_t *v = realloc(r->files.v, cap * sizeof *v);
        if (!v)
            return false;
        r->files.v = v;
        r->files.cap = cap;
    }
    char *p = strdup(path);
    if (!p)
        return false;
    r->files.v[r->files.n++] = (file_entry_t){ p, *st };
    return true;
}

static void
walk_problem(void *ctx, const char *path, const char *reason)
{
    run_t *r = ctx;
    skip_file(r, path, reason);
}

static int
cmp_entry(const void *a, const void *b)
{
    return strcmp(((const file_entry_t *)a)->path,
                  ((const file_entry_t *)b)->path);
}

static void
files_clear(file_list_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].path);
    l->n = 0;
}

/* ------------------------------------------------------------------ */
/* The set of files seen, as sorted hashes of their file terms         */

static int
seen_add(run_t *r, const char *file_term)
{
    if (r->n_seen == r->cap_seen) {
        size_t cap = r->cap_seen ? r->cap_seen * 2 : 1024;
        uint64_t *v = realloc(r->seen, cap * sizeof *v);
        if (!v)
            return -1;
        r->seen = v;
        r->cap_seen = cap;
    }
    r->seen[r->n_seen++] = document_hash(file_term, strlen(file_term));
    return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static bool
seen_has(const run_t *r, const char *term, size_t len)
{
    uint64_t h = document_hash(term, len);
    return bsearch(&h, r->seen, r->n_seen, sizeof h, cmp_u64) != NULL;
}

/* ------------------------------------------------------------------ */
/* Reading a file                                                      */

/* Read PATH whole into *BUF (NUL-terminated).  Returns 0, or -1 with a
 * reason in WHY. */
static int
read_whole(const char *path, off_t expect, unsigned long long limit,
           char **buf, size_t *len, char *why, size_t whylen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    struct stat st;

    *buf = NULL;
    *len = 0;
    if (fd < 0 && errno == ELOOP)
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        snprintf(why, whylen, "%s", errno == ENOENT
                 ? "vanished before it could be read" : strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, whylen, "%s", S_ISDIR(st.st_mode)
                 ? "became a directory before it could be read"
                 : "is no longer a regular file");
        close(fd);
        return -1;
    }
    if ((unsigned long long)st.st_size > limit) {
        snprintf(why, whylen, "file too large (%lld bytes, limit %llu)",
                 (long long)st.st_size, limit);
        close(fd);
        return -1;
    }
    (void)expect;
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *p = malloc(cap);
    if (!p) {
        snprintf(why, whylen, "out of memory");
        close(fd);
        return -1;
    }
    for (;;) {
        if (n + 1 >= cap) {
            /* The file grew while we read it: follow up to the limit. */
            if (cap > limit + 1) {
                snprintf(why, whylen, "file too large (limit %llu)", limit);
                free(p);
                close(fd);
                return -1;
            }
            char *q = realloc(p, cap * 2);
            if (!q) {
                free(p);
                close(fd);
                snprintf(why, whylen, "out of memory");
                return -1;
            }
            p = q;
            cap *= 2;
        }
        ssize_t k = read(fd, p + n, cap - 1 - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            snprintf(why, whylen, "%s", strerror(errno));
            free(p);
            close(fd);
            return -1;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    close(fd);
    p[n] = '\0';
    *buf = p;
    *len = n;
    return 0;
}

/* Replace invalid UTF-8 in BUF with U+FFFD.  Returns the number of bad
 * sequences; *OUT is BUF itself when there were none, else a new buffer
 * (NULL on allocation failure). */
static size_t
utf8_repair(const char *buf, size_t len, char **out, size_t *out_len)
{
    size_t bad = 0, i = 0;
    sbuf_t fixed = SBUF_INIT;

    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(
            (const utf8proc_uint8_t *)buf + i, (utf8proc_ssize_t)(len - i),
            &cp);
        if (k > 0) {
            if (bad && sbuf_add(&fixed, buf + i, (size_t)k) < 0)
                goto nomem;
            i += (size_t)k;
            continue;
        }
        if (bad == 0 && sbuf_add(&fixed, buf, i) < 0)
            goto nomem;
        if (sbuf_add(&fixed, "\xEF\xBF\xBD", 3) < 0)
            goto nomem;
        bad++;
        i++;
    }
    if (bad == 0) {
        *out = (char *)buf;
        *out_len = len;
        return 0;
    }
    *out = fixed.p;
    *out_len = fixed.len;
    return bad;
nomem:
    sbuf_release(&fixed);
    *out = NULL;
    *out_len = 0;
    return bad ? bad : 1;
}

/* ------------------------------------------------------------------ */
/* One file                                                            */

static void
add_spelling(void *ctx, const char *term, size_t len, unsigned freq)
{
    run_t *r = ctx;
    char word[256];
    if (len == 0 || len >= sizeof word)
        return;
    memcpy(word, term, len);
    word[len] = '\0';
    xsh_wdb_add_spelling(r->wdb, word, freq ? freq : 1);
}

static int
maybe_commit(run_t *r, bool force)
{
    if (r->pending == 0 || (!force && r->pending < r->cfg->batch_size))
        return 0;
    if (xsh_wdb_commit(r->wdb) != XSH_OK) {
        progress_clear(r);
        diag_error("%s: commit failed: %s", r->opts->db_path,
                   xsh_wdb_errmsg(r->wdb));
        r->fatal = true;
        return -1;
    }
    r->pending = 0;
    return 0;
}

/* Index the articles of one file's buffer. */
static void
index_buffer(run_t *r, const file_entry_t *f, const char *file_term,
             const char *buf, size_t len, uint64_t hash, bool existed,
             bool count_unchanged)
{
    extract_result_t res;
    extract_format_t fmt = extract_format_of(f->path);
    char err[512];

    memset(&res, 0, sizeof res);
    if (extract_buffer(fmt, buf, len, r->cfg, &res) < 0) {
        warn_file(r, f->path, &res.warnings);
        skip_file(r, f->path, res.error ? res.error : "cannot be parsed");
        extract_result_release(&res);
        return;
    }
    if (res.n == 0) {
        warn_file(r, f->path, &res.warnings);
        skip_file(r, f->path, "no document found in file");
        extract_result_release(&res);
        return;
    }
    /* Drop what the file held before: posts may have gone from it. */
    if (existed && xsh_wdb_delete(r->wdb, file_term) != XSH_OK) {
        skip_file(r, f->path, xsh_wdb_errmsg(r->wdb));
        extract_result_release(&res);
        return;
    }
    docsource_t src = { f->path, &f->st, hash };
    size_t n_ok = 0;
    for (size_t i = 0; i < res.n; i++) {
        builtdoc_t d;
        if (docbuilder_build(&r->builder, &src, &res.articles[i],
                             &res.warnings, &d, err, sizeof err) < 0) {
            extract_diag_add(&res.warnings, "document %zu not indexed: %s",
                             i + 1, err);
            continue;
        }
        if (xsh_wdb_replace(r->wdb, d.id_term, d.doc, NULL) != XSH_OK) {
            extract_diag_add(&res.warnings, "document %zu not indexed: %s",
                             i + 1, xsh_wdb_errmsg(r->wdb));
        } else {
            xsh_doc_each_word(d.doc, add_spelling, r);
            n_ok++;
            r->pending++;
        }
        builtdoc_release(&d);
    }
    warn_file(r, f->path, &res.warnings);
    extract_result_release(&res);
    if (n_ok == 0) {
        skip_file(r, f->path, "no document could be indexed");
        return;
    }
    if (count_unchanged)
        r->stats->unchanged++;
    else if (existed)
        r->stats->updated++;
    else
        r->stats->added++;
    if (r->opts->verbosity == INDEX_VERBOSE && !count_unchanged) {
        progress_clear(r);
        diag_plain("%s %s", existed ? "updated" : "added", f->path);
    }
    maybe_commit(r, false);
}

static bool
value_equals(run_t *r, const char *term, xsh_slot_t slot, const char *want,
             bool *found)
{
    char *v = NULL;
    xsh_status_t st = xsh_wdb_get_value(r->wdb, term, slot, &v, NULL);
    *found = st == XSH_OK;
    bool eq = st == XSH_OK && strcmp(v, want) == 0;
    free(v);
    return eq;
}

static void
process_file(run_t *r, const file_entry_t *f)
{
    char *file_term = document_file_term(f->path);
    char stamp[64], size[32], why[256];
    bool existed = false, same_size = false, same_mtime = false;
    char *buf = NULL, *text = NULL;
    size_t len = 0, text_len = 0;

    if (!file_term || seen_add(r, file_term) < 0) {
        skip_file(r, f->path, "out of memory");
        free(file_term);
        return;
    }
    snprintf(stamp, sizeof stamp, "%lld.%09ld",
             (long long)f->st.st_mtim.tv_sec, (long)f->st.st_mtim.tv_nsec);
    snprintf(size, sizeof size, "%lld", (long long)f->st.st_size);
    same_size = value_equals(r, file_term, SCHEMA_SLOT_SIZE, size,
                             &existed);
    if (existed)
        same_mtime = value_equals(r, file_term, SCHEMA_SLOT_MTIME, stamp,
                                  &existed);
    if (existed && same_size && same_mtime && !r->opts->full) {
        r->stats->unchanged++;
        goto out;
    }
    if ((unsigned long long)f->st.st_size > r->cfg->max_file_size) {
        snprintf(why, sizeof why, "file too large (%lld bytes, limit %llu)",
                 (long long)f->st.st_size, r->cfg->max_file_size);
        skip_file(r, f->path, why);
        goto out;
    }
    if (f->st.st_size == 0) {
        skip_file(r, f->path, "empty file");
        goto out;
    }
    if (read_whole(f->path, f->st.st_size, r->cfg->max_file_size, &buf,
                   &len, why, sizeof why) < 0) {
        skip_file(r, f->path, why);
        goto out;
    }
    if (len == 0) {
        skip_file(r, f->path, "empty file");
        goto out;
    }
    if (memchr(buf, '\0', len)) {
        skip_file(r, f->path, "binary file (contains NUL bytes)");
        goto out;
    }
    uint64_t hash = document_hash(buf, len);
    bool content_same = false;
    if (existed && same_size && !r->opts->full) {
        char hex[17];
        snprintf(hex, sizeof hex, "%016" PRIx64, hash);
        bool found;
        content_same = value_equals(r, file_term, SCHEMA_SLOT_HASH, hex,
                                    &found);
    }
    size_t bad = utf8_repair(buf, len, &text, &text_len);
    if (!text) {
        skip_file(r, f->path, "out of memory");
        goto out;
    }
    if (bad) {
        progress_clear(r);
        diag_warn("%s: invalid UTF-8 (%zu bytes) replaced with U+FFFD",
                  f->path, bad);
    }
    /* Same content, new mtime: reindex to record the mtime, but it is not
     * a change a user needs to hear about. */
    index_buffer(r, f, file_term, text, text_len, hash, existed,
                 content_same);
out:
    if (text != buf)
        free(text);
    free(buf);
    free(file_term);
}

/* ------------------------------------------------------------------ */
/* Removing what vanished                                              */

typedef struct gone {
    run_t *r;
    char **terms;
    size_t n, cap;
    bool failed;
} gone_t;

static bool
collect_gone(void *ctx, const char *term, size_t len, unsigned freq)
{
    gone_t *g = ctx;
    (void)freq;
    if (seen_has(g->r, term, len))
        return true;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 64;
        char **v = realloc(g->terms, cap * sizeof *v);
        if (!v) {
            g->failed = true;
            return false;
        }
        g->terms = v;
        g->cap = cap;
    }
    if (!(g->terms[g->n] = strndup(term, len))) {
        g->failed = true;
        return false;
    }
    g->n++;
    return true;
}

static void
remove_vanished(run_t *r, const char *root, bool is_dir)
{
    gone_t g = { .r = r };
    size_t rlen = strlen(root);
    char *prefix = malloc(rlen + 4);

    if (!prefix)
        return;
    snprintf(prefix, rlen + 4, "%s%s%s", SCHEMA_PREFIX_FILE, root,
             is_dir && strcmp(root, "/") != 0 ? "/" : "");
    qsort(r->seen, r->n_seen, sizeof *r->seen, cmp_u64);
    xsh_wdb_each_term(r->wdb, prefix, collect_gone, &g);
    for (size_t i = 0; i < g.n; i++) {
        /* A file root's prefix also matches "root.bak"; keep exact. */
        if (!is_dir && strcmp(g.terms[i], prefix) != 0)
            continue;
        if (xsh_wdb_delete(r->wdb, g.terms[i]) == XSH_OK) {
            r->stats->removed++;
            r->pending++;
            if (r->opts->verbosity == INDEX_VERBOSE) {
                progress_clear(r);
                diag_plain("removed %s",
                           g.terms[i] + strlen(SCHEMA_PREFIX_FILE));
            }
        }
    }
    for (size_t i = 0; i < g.n; i++)
        free(g.terms[i]);
    free(g.terms);
    free(prefix);
    maybe_commit(r, false);
}

/* ------------------------------------------------------------------ */
/* Roots                                                               */

typedef struct strlist {
    char **v;
    size_t n;
} strlist_t;

static int
strlist_add_unique(strlist_t *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return 0;
    char **v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v)
        return -1;
    l->v = v;
    if (!(l->v[l->n] = strdup(s)))
        return -1;
    l->n++;
    return 0;
}

static void
strlist_release(strlist_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* The roots recorded in the database, one per line. */
static int
recorded_roots(run_t *r, strlist_t *out)
{
    char *v = NULL;
    if (xsh_wdb_get_metadata(r->wdb, SCHEMA_META_ROOTS, &v, NULL) != XSH_OK)
        return -1;
    char *save = NULL;
    for (char *line = strtok_r(v, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        if (*line && strlist_add_unique(out, line) < 0) {
            free(v);
            return -1;
        }
    free(v);
    return 0;
}

static int
record_roots(run_t *r, const strlist_t *roots)
{
    sbuf_t b = SBUF_INIT;
    for (size_t i = 0; i < roots->n; i++)
        if (sbuf_adds(&b, roots->v[i]) < 0 || sbuf_addc(&b, '\n') < 0) {
            sbuf_release(&b);
            return -1;
        }
    xsh_status_t st = xsh_wdb_set_metadata(r->wdb, SCHEMA_META_ROOTS,
                                           b.p ? b.p : "", b.len);
    sbuf_release(&b);
    return st == XSH_OK ? 0 : -1;
}

/* Write the config's synonym groups: every spelling expands to the
 * others. */
static int
write_synonyms(run_t *r)
{
    for (size_t g = 0; g < r->cfg->n_synonyms; g++) {
        const config_strv_t *grp = &r->cfg->synonyms[g];
        for (size_t i = 0; i < grp->n; i++) {
            if (xsh_wdb_clear_synonyms(r->wdb, grp->v[i]) != XSH_OK)
                return -1;
            for (size_t j = 0; j < grp->n; j++)
                if (i != j && xsh_wdb_add_synonym(r->wdb, grp->v[i],
                                                  grp->v[j]) != XSH_OK)
                    return -1;
        }
    }
    return 0;
}

static int
check_schema(run_t *r)
{
    char *v = NULL;
    unsigned count = 0;
    if (xsh_wdb_get_metadata(r->wdb, SCHEMA_META_VERSION, &v, NULL) !=
        XSH_OK)
        return -1;
    if (*v == '\0') {
        free(v);
        xsh_wdb_doccount(r->wdb, &count);
        if (count > 0) {
            diag_error("%s: not a dossier database (no schema version; "
                       "documents from another program?)", r->opts->db_path);
            return -1;
        }
        return xsh_wdb_set_metadata(r->wdb, SCHEMA_META_VERSION,
                                    SCHEMA_VERSION,
                                    strlen(SCHEMA_VERSION)) == XSH_OK ? 0
                                                                      : -1;
    }
    if (strcmp(v, SCHEMA_VERSION) != 0) {
        diag_error("%s: database schema version '%s' is not supported by "
                   "this dossier-index (it writes version %s)",
                   r->opts->db_path, v, SCHEMA_VERSION);
        free(v);
        return -1;
    }
    free(v);
    return 0;
}

static const char *
open_error_hint(xsh_status_t st)
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

/* How to open the database at PATH.  Xapian creates a database in any
 * directory without "iamglass", among whatever files it holds, and
 * replaces a version file it cannot read when no table is there: so create
 * only where nothing is (no path, an empty directory), and otherwise open
 * what is there or fail.  A directory holding only Xapian's files but no
 * "iamglass" is a creation cut short (Xapian renames iamglass into place
 * after making the first tables, so a kill can leave that): it holds no
 * commit, which Xapian cannot open or create over, so those files are
 * removed first.  Returns -1 when PATH is a directory holding other
 * files. */
static int
db_open_mode(const char *path)
{
    struct stat st;
    struct dirent *e;
    DIR *d;
    bool foreign = false, glass = false;

    if (stat(path, &st) < 0)
        return XSH_WDB_CREATE_OR_OPEN;
    if (!S_ISDIR(st.st_mode) || !(d = opendir(path)))
        return XSH_WDB_OPEN;    /* a stub file, or Xapian will say why */
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (strcmp(e->d_name, "iamglass") == 0)
            glass = true;
        else if (!is_xapian_file(e->d_name))
            foreign = true;
    }
    if (!glass && !foreign && !lock_is_held(path)) {
        rewinddir(d);
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, "flintlock") == 0 ||
                !is_xapian_file(e->d_name))
                continue;
            char *p = malloc(strlen(path) + strlen(e->d_name) + 2);
            if (p) {
                sprintf(p, "%s/%s", path, e->d_name);
                unlink(p);
                free(p);
            }
        }
    }
    closedir(d);
    if (glass)
        return XSH_WDB_OPEN;
    return foreign ? -1 : XSH_WDB_CREATE_OR_OPEN;
}

int
index_run(const config_t *cfg, const index_opts_t *opts,
          index_stats_t *stats)
{
    run_t r = { .cfg = cfg, .opts = opts, .stats = stats };
    strlist_t roots = { 0 }, walk = { 0 };
    char err[512];
    char *msg = NULL;
    int rc = INDEX_EXIT_FATAL;

    memset(stats, 0, sizeof *stats);
    r.start = now_seconds();

    /* Check the roots given before touching the database. */
    for (size_t i = 0; i < opts->n_roots; i++) {
        char *real = realpath(opts->roots[i], NULL);
        struct stat st;
        if (!real || stat(real, &st) < 0) {
            diag_error("%s: cannot index: %s", opts->roots[i],
                       strerror(errno));
            free(real);
            goto out;
        }
        if (S_ISDIR(st.st_mode) && access(real, R_OK | X_OK) < 0) {
            diag_error("%s: cannot read directory: %s", opts->roots[i],
                       strerror(errno));
            free(real);
            goto out;
        }
        int e = strlist_add_unique(&walk, real);
        free(real);
        if (e < 0)
            goto nomem;
    }

    int mode = db_open_mode(opts->db_path);
    if (mode < 0) {
        diag_error("%s: not a database: a directory holding other files "
                   "(give a new or empty directory)", opts->db_path);
        goto out;
    }
    xsh_status_t st = xsh_wdb_open(opts->db_path, mode, &r.wdb, &msg);
    if (st != XSH_OK) {
        if (st == XSH_LOCKED)
            diag_error("%s: %s", opts->db_path, open_error_hint(st));
        else
            diag_error("%s: %s: %s", opts->db_path, open_error_hint(st),
                       msg ? msg : xsh_status_str(st));
        free(msg);
        goto out;
    }
    if (check_schema(&r) < 0)
        goto out;
    if (recorded_roots(&r, &roots) < 0)
        goto dberr;
    if (opts->n_roots == 0) {
        for (size_t i = 0; i < roots.n; i++)
            if (strlist_add_unique(&walk, roots.v[i]) < 0)
                goto nomem;
        for (size_t i = 0; walk.n == 0 && i < cfg->roots.n; i++) {
            char *real = realpath(cfg->roots.v[i], NULL);
            if (!real) {
                diag_error("index.roots: %s: cannot index: %s",
                           cfg->roots.v[i], strerror(errno));
                goto out;
            }
            int e = strlist_add_unique(&walk, real);
            free(real);
            if (e < 0)
                goto nomem;
        }
        if (walk.n == 0) {
            diag_error("no roots recorded in '%s': give a directory to "
                       "index; try 'dossier-index --help'", opts->db_path);
            goto out;
        }
    }
    for (size_t i = 0; i < walk.n; i++)
        if (strlist_add_unique(&roots, walk.v[i]) < 0)
            goto nomem;
    if (record_roots(&r, &roots) < 0 || write_synonyms(&r) < 0)
        goto dberr;
    if (docbuilder_init(&r.builder, cfg, err, sizeof err) < 0) {
        diag_error("%s", err);
        goto out;
    }

    rc = INDEX_EXIT_OK;
    for (size_t i = 0; i < walk.n && !index_stop_signal && !r.fatal; i++) {
        struct stat rst;
        files_clear(&r.files);
        if (walk_root(walk.v[i], cfg->follow_symlinks, collect_file,
                      walk_problem, &r) < 0 || stat(walk.v[i], &rst) < 0) {
            /* A recorded root that went away: its files are removed. */
            diag_error("%s: cannot read root: %s", walk.v[i],
                       strerror(errno));
            stats->skipped++;
            continue;
        }
        qsort(r.files.v, r.files.n, sizeof *r.files.v, cmp_entry);
        r.total += r.files.n;
        for (size_t k = 0; k < r.files.n && !index_stop_signal &&
                           !r.fatal; k++) {
            process_file(&r, &r.files.v[k]);
            r.done++;
            progress_update(&r, false);
        }
        if (!index_stop_signal && !r.fatal)
            remove_vanished(&r, walk.v[i], S_ISDIR(rst.st_mode));
    }
    progress_clear(&r);

    char when[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    xsh_wdb_set_metadata(r.wdb, SCHEMA_META_INDEXED_AT, when, strlen(when));
    r.pending++;
    if (maybe_commit(&r, true) < 0 || r.fatal) {
        rc = INDEX_EXIT_FATAL;
        goto out;
    }
    if (index_stop_signal) {
        diag_error("interrupted by signal %d: committed %lu added, "
                   "%lu updated, %lu removed before stopping",
                   (int)index_stop_signal, stats->added, stats->updated,
                   stats->removed);
        rc = INDEX_EXIT_INTERRUPTED;
    } else if (stats->skipped) {
        rc = INDEX_EXIT_SKIPPED;
    }
    goto out;

dberr:
    diag_error("%s: %s", opts->db_path, xsh_wdb_errmsg(r.wdb));
    rc = INDEX_EXIT_FATAL;
    goto out;
nomem:
    diag_error("out of memory");
    rc = INDEX_EXIT_FATAL;
out:
    docbuilder_release(&r.builder);
    xsh_wdb_close(r.wdb);
    files_clear(&r.files);
    free(r.files.v);
    free(r.seen);
    strlist_release(&roots);
    strlist_release(&walk);
    stats->seconds = now_seconds() - r.start;
    return rc;
}

/* For the tests (index.h): the file reader, which must report a path that
 * became a directory or vanished between the walk and the read. */
int
index_read_file(const char *path, unsigned long long limit, char **buf,
                size_t *len, char *why, size_t whylen)
{
    return read_whole(path, 0, limit, buf, len, why, whylen);
}
