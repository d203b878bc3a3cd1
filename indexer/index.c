/* index.c - one indexing run: the coordinator and one writer's writes
 *
 * index_run() checks the roots, opens the database (dbdir.c says how),
 * checks its schema version (config/schema.c), records the roots and
 * synonyms, and then writes: a fresh build with several jobs in shards
 * (shards.c), anything else as one writer.  This file owns that one
 * writer's part: the walk into a sorted list of files (so progress knows
 * the total and the order is the same on every file system), the decision
 * per file (unchanged files, same size and mtime, cost one term lookup and
 * no read; changed ones become jobs that the worker pipeline, pipeline.c,
 * reads, extracts and builds), writing finished jobs in file order with
 * their collapse keys (near.c; an export's chunks: exports.c), removing
 * files recorded under a root that the walk did not see, the progress
 * line, and commits every index.batch_size documents and at the end, so an interrupted run keeps everything up to
 * its last commit.  At the end of a full build it has dbdir.c replace the
 * database by a compacted copy.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "indexer/index.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "util/diag.h"
#include "config/schema.h"
#include "indexer/dbdir.h"
#include "indexer/document.h"
#include "indexer/extract.h"
#include "indexer/index_int.h"
#include "indexer/job.h"
#include "indexer/pipeline.h"
#include "indexer/roots.h"
#include "indexer/records.h"
#include "indexer/simhash.h"
#include "indexer/walk.h"
#include "indexer/zstream.h"
#include "shim/xsh.h"

volatile sig_atomic_t index_stop_signal = 0;

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* Progress and messages                                               */

void
index_progress_clear(run_t *r)
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
    size_t done = atomic_load(r->done);
    unsigned long long bytes = atomic_load(r->bytes);
    unsigned long docs = atomic_load(r->docs);
    double total = (double)r->total_bytes;
    /* Bytes measure the work: one export may be most of it. */
    double rate = el > 0 ? (double)bytes / el : 0;
    double eta = rate > 0 && total > (double)bytes ?
                 (total - (double)bytes) / rate : 0;
    int width = 30;
    int fill = total > 0 ? (int)((double)width * (double)bytes / total) : 0;
    if (fill > width)
        fill = width;
    fprintf(stderr, "\r[%.*s%*s] %.1f/%.1f MB, %zu/%zu files, %lu docs, "
            "%.0f docs/s, ETA %.0f s\033[K",
            fill, "##############################", width - fill, "",
            (double)bytes / 1e6, total / 1e6, done, r->total, docs,
            el > 0 ? (double)docs / el : 0.0, eta);
    r->progress_shown = true;
}

static void
file_problem(run_t *r, const char *path, const char *reason)
{
    index_progress_clear(r);
    diag_error("%s: %s", path, reason);
}

void
index_skip_file(run_t *r, const char *path, const char *reason)
{
    file_problem(r, path, reason);
    r->stats->skipped++;
}

/* A problem inside a file: "PATH:LINE: WHAT" when WHY starts with its
 * line, else "PATH: WHAT". */
void
index_skip_in_file(run_t *r, const char *path, const char *why)
{
    index_progress_clear(r);
    diag_error("%s:%s%s", path, *why >= '0' && *why <= '9' ? "" : " ", why);
    r->stats->skipped++;
}

void
index_warn_file(run_t *r, const char *path, const extract_diag_t *d)
{
    for (size_t i = 0; i < d->n; i++) {
        index_progress_clear(r);
        diag_warn("%s:%s", path, d->msgs[i]);
    }
}

/* ------------------------------------------------------------------ */
/* Walking into a sorted list                                          */

/* A .js file is read only when it holds an X archive's tweets
 * ("window.YTD.tweets.part0 = [", or "tweet" in older archives); the
 * archive's other files, and scripts, are not exports. */
static bool
is_other_js(const char *path)
{
    size_t n = strlen(path);
    char head[256], name[32];
    int fd;
    ssize_t k;

    if (n < 3 || strcasecmp(path + n - 3, ".js") != 0)
        return false;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return false;           /* the job names why */
    k = pread(fd, head, sizeof head, 0);
    close(fd);
    if (k <= 0)
        return false;
    return records_ytd_prefix(head, (size_t)k, name, sizeof name) < 0 ||
           (strcmp(name, "tweets") != 0 && strcmp(name, "tweet") != 0);
}

static bool
collect_file(void *ctx, const char *path, const char *rel,
             const struct stat *st)
{
    run_t *r = ctx;
    (void)rel;
    if (extract_format_of(path) == EXTRACT_NONE || is_other_js(path)) {
        /* Counted in the summary, named with -v: never silent. */
        r->stats->unsupported++;
        if (r->opts->verbosity == INDEX_VERBOSE) {
            index_progress_clear(r);
            diag_error("%s: not indexed: unsupported file type", path);
        }
        return true;
    }
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
    index_skip_file(r, path, reason);
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

/* A root that cannot be walked (gone, or unreadable): its documents
 * stay, since a disk not mounted or a folder moved for a moment must not
 * empty the index; the warning says how to drop them.  Said once per run:
 * each root is walked once.  Counted as a skip, so the run exits 1. */
static void
root_unreadable(run_t *r, const char *root, int err)
{
    unsigned long n = 0;
    char why[256];

    roots_count_docs(r->wdb, root, &n);
    if (err == ENOENT || err == ENOTDIR)
        snprintf(why, sizeof why, "root not found");
    else
        snprintf(why, sizeof why, "cannot read root: %s", strerror(err));
    index_progress_clear(r);
    if (n)
        diag_warn("%s: %s, its %lu document%s kept (use --forget %s to "
                  "drop %s)", root, why, n, n == 1 ? "" : "s", root,
                  n == 1 ? "it" : "them");
    else
        diag_warn("%s: %s (use --forget %s to drop it)", root, why, root);
    r->stats->skipped++;
}

/* Walk ROOT into R->files, sorted, and count them in the progress total.
 * OUT st (may be NULL): the root's own stat.  A root that cannot be read
 * is a skip: -1. */
static int
walk_one(run_t *r, const char *root, struct stat *st)
{
    struct stat rst;

    files_clear(&r->files);
    if (walk_root(root, r->cfg->follow_symlinks, collect_file, walk_problem,
                  r) < 0 || stat(root, &rst) < 0) {
        root_unreadable(r, root, errno);
        return -1;
    }
    if (r->files.n)
        qsort(r->files.v, r->files.n, sizeof *r->files.v, cmp_entry);
    r->total += r->files.n;
    for (size_t i = 0; i < r->files.n; i++)
        r->total_bytes += (unsigned long long)r->files.v[i].st.st_size;
    if (st)
        *st = rst;
    return 0;
}

/* Move FROM's entries to the end of TO. */
static int
files_append(file_list_t *to, file_list_t *from)
{
    if (to->n + from->n > to->cap) {
        size_t cap = to->n + from->n;
        file_entry_t *v = realloc(to->v, cap * sizeof *v);
        if (!v)
            return -1;
        to->v = v;
        to->cap = cap;
    }
    memcpy(to->v + to->n, from->v, from->n * sizeof *from->v);
    to->n += from->n;
    from->n = 0;
    return 0;
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

int
index_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static bool
seen_has(const run_t *r, const char *term, size_t len)
{
    uint64_t h = document_hash(term, len);
    if (r->n_seen == 0)
        return false;
    return bsearch(&h, r->seen, r->n_seen, sizeof h, index_cmp_u64) != NULL;
}

/* ------------------------------------------------------------------ */
/* Writing finished jobs                                               */

void
index_add_spelling(void *ctx, const char *term, size_t len,
                   unsigned freq)
{
    run_t *r = ctx;
    char word[256];
    if (len == 0 || len >= sizeof word)
        return;
    memcpy(word, term, len);
    word[len] = '\0';
    xsh_wdb_add_spelling(r->wdb, word, freq ? freq : 1);
}

int
index_maybe_commit(run_t *r, bool force)
{
    unsigned batch = r->batch ? r->batch : r->cfg->batch_size;
    if (r->pending == 0 || (!force && r->pending < batch))
        return 0;
    if (xsh_wdb_commit(r->wdb) != XSH_OK) {
        index_progress_clear(r);
        diag_error("%s: commit failed: %s", r->opts->db_path,
                   xsh_wdb_errmsg(r->wdb));
        r->fatal = true;
        return -1;
    }
    r->pending = 0;
    return 0;
}

/* Apply a finished job to the database, in file order. */
static void
write_job(run_t *r, job_t *j)
{
    if (j->bad_utf8) {
        index_progress_clear(r);
        diag_warn("%s: invalid UTF-8 (%zu bytes) replaced with U+FFFD",
                  j->path, j->bad_utf8);
    }
    index_warn_file(r, j->path, &j->warnings);
    if (j->skip) {
        index_skip_file(r, j->path, j->skip);
        return;
    }
    /* Keys first: the file's old documents are candidates too.  A shard
     * sees only its own documents: its keys are chosen after the merge. */
    for (size_t i = 0; i < j->n_docs && !r->keys_later; i++)
        index_choose_collapse_key(r, &j->docs[i]);
    for (size_t i = 0; i < j->n_docs; i++)
        index_stamp_first_indexed(r, &j->docs[i]);
    /* Drop what the file held before: posts may have gone from it. */
    if (j->existed && xsh_wdb_delete(r->wdb, j->file_term) != XSH_OK) {
        index_skip_file(r, j->path, xsh_wdb_errmsg(r->wdb));
        return;
    }
    size_t n_ok = 0;
    for (size_t i = 0; i < j->n_docs; i++) {
        builtdoc_t *d = &j->docs[i];
        if (xsh_wdb_replace(r->wdb, d->id_term, d->doc, NULL) != XSH_OK) {
            index_progress_clear(r);
            diag_warn("%s: document %zu not indexed: %s", j->path, i + 1,
                      xsh_wdb_errmsg(r->wdb));
            continue;
        }
        if (!r->spell_later)
            xsh_doc_each_word(d->doc, index_add_spelling, r);
        n_ok++;
        r->pending++;
    }
    if (n_ok == 0) {
        index_skip_file(r, j->path, "no document could be indexed");
        return;
    }
    /* Same content under a new mtime is reindexed to record the mtime,
     * but it is not a change a user needs to hear about. */
    if (j->content_same)
        r->stats->unchanged += n_ok;
    else if (j->existed)
        r->stats->updated += n_ok;
    else
        r->stats->added += n_ok;
    r->stats->files++;
    atomic_fetch_add(r->docs, n_ok);
    if (r->opts->verbosity == INDEX_VERBOSE && !j->content_same) {
        index_progress_clear(r);
        diag_plain("%s %s", j->existed ? "updated" : "added", j->path);
    }
    index_maybe_commit(r, false);
}


/* The pipeline's write callback: apply a finished job, count it. */
static void
write_finished(void *ctx, job_t *j)
{
    run_t *r = ctx;
    if (j->chunk) {
        exports_write_chunk(r, j);
        atomic_fetch_add(r->bytes, j->chunk->in_bytes);
        if (j->chunk->last)
            atomic_fetch_add(r->done, 1);
    } else {
        write_job(r, j);
        atomic_fetch_add(r->done, 1);
        atomic_fetch_add(r->bytes, (unsigned long long)j->st->st_size);
    }
    progress_update(r, false);
}

/* ------------------------------------------------------------------ */
/* Deciding per file                                                   */

static bool
stored_value(run_t *r, const char *term, xsh_slot_t slot, char *buf,
             size_t len)
{
    char *v = NULL;
    bool found = xsh_wdb_get_value(r->wdb, term, slot, &v, NULL) == XSH_OK;
    snprintf(buf, len, "%s", found ? v : "");
    free(v);
    return found;
}

/* Look at one walked file: count it unchanged, skip it, or queue a job. */
static void
consider_file(run_t *r, pipeline_t *p, const file_entry_t *f)
{
    job_t j;
    char stamp[64], size[32], have[64], why[256];
    extract_format_t fmt = extract_format_of(f->path);

    memset(&j, 0, sizeof j);
    j.path = f->path;
    j.st = &f->st;
    j.file_term = document_file_term(f->path);
    if (!j.file_term || seen_add(r, j.file_term) < 0) {
        index_skip_file(r, f->path, "out of memory");
        goto done;
    }
    snprintf(stamp, sizeof stamp, "%lld.%09ld",
             (long long)f->st.st_mtim.tv_sec, (long)f->st.st_mtim.tv_nsec);
    snprintf(size, sizeof size, "%lld", (long long)f->st.st_size);
    j.existed = stored_value(r, j.file_term, SCHEMA_SLOT_SIZE, have,
                             sizeof have);
    if (fmt == EXTRACT_JSON || fmt == EXTRACT_JSONL) {
        /* Exports stream: the size limit is per post (records.c). */
        /* An export with no document of its own (an actor.json, a
         * chat of service messages) is stamped too. */
        if (!r->opts->full && exports_unchanged(r, &j, size, stamp))
            goto done;
        if (f->st.st_size == 0) {
            j.skip = strdup("empty file");
            pipeline_push(p, &j);
        } else {
            exports_stream(r, p, &j, fmt);
        }
        job_release(&j);
        return;
    }
    bool same_size = j.existed && strcmp(have, size) == 0;
    if (same_size && !r->opts->full) {
        stored_value(r, j.file_term, SCHEMA_SLOT_MTIME, have, sizeof have);
        if (strcmp(have, stamp) == 0) {
            r->stats->unchanged++;
            atomic_fetch_add(r->docs, 1);
            goto done;
        }
        stored_value(r, j.file_term, SCHEMA_SLOT_HASH, j.stored_hash,
                     sizeof j.stored_hash);
    }
    /* Checks that need no read stay here, so a huge or empty file never
     * reaches a worker. */
    if ((unsigned long long)f->st.st_size > r->cfg->max_file_size) {
        snprintf(why, sizeof why, "file too large (%lld bytes, limit %llu)",
                 (long long)f->st.st_size, r->cfg->max_file_size);
        j.skip = strdup(why);
    } else if (f->st.st_size == 0) {
        j.skip = strdup("empty file");
    }
    /* Skips go through the pipeline too, so messages come in file order
     * whatever -j is. */
    pipeline_push(p, &j);
    return;
done:
    atomic_fetch_add(r->done, 1);
    atomic_fetch_add(r->bytes, (unsigned long long)f->st.st_size);
    progress_update(r, false);
    job_release(&j);
}


int
index_write_range(run_t *r, const file_entry_t *files, size_t n,
                  unsigned workers)
{
    pipeline_t pipe;
    char err[256];

    if (pipeline_start(&pipe, r->cfg, r->folds, workers, write_finished, r,
                       err, sizeof err) < 0) {
        diag_error("%s", err);
        r->fatal = true;
        return -1;
    }
    for (size_t k = 0; k < n && !index_stop_signal && !r->fatal; k++)
        consider_file(r, &pipe, &files[k]);
    /* Stopped: what is queued is dropped, not waited for, so a stop
     * inside a large export is quick; the run commits what was written. */
    if (!index_stop_signal)
        pipeline_drain(&pipe);
    pipeline_stop(&pipe);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Removing what vanished                                              */

typedef struct gone {
    run_t *r;
    char **terms;
    unsigned *freqs;            /* documents of each */
    size_t n, cap;
    bool failed;
} gone_t;

static bool
collect_gone(void *ctx, const char *term, size_t len, unsigned freq)
{
    gone_t *g = ctx;
    if (seen_has(g->r, term, len))
        return true;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 64;
        char **v = realloc(g->terms, cap * sizeof *v);
        if (v)
            g->terms = v;
        unsigned *f = v ? realloc(g->freqs, cap * sizeof *f) : NULL;
        if (f)
            g->freqs = f;
        if (!v || !f) {
            g->failed = true;
            return false;
        }
        g->cap = cap;
    }
    g->freqs[g->n] = freq;
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
    if (r->n_seen)
        qsort(r->seen, r->n_seen, sizeof *r->seen, index_cmp_u64);
    xsh_wdb_each_term(r->wdb, prefix, collect_gone, &g);
    for (size_t i = 0; i < g.n; i++) {
        /* A file root's prefix also matches "root.bak"; keep exact. */
        if (!is_dir && strcmp(g.terms[i], prefix) != 0)
            continue;
        if (xsh_wdb_delete(r->wdb, g.terms[i]) == XSH_OK) {
            char key[64];
            exports_stamp_key(g.terms[i], key, sizeof key);
            xsh_wdb_set_metadata(r->wdb, key, "", 0);
            r->stats->removed += g.freqs[i];
            r->pending++;
            if (r->opts->verbosity == INDEX_VERBOSE) {
                index_progress_clear(r);
                diag_plain("removed %s",
                           g.terms[i] + strlen(SCHEMA_PREFIX_FILE));
            }
        }
    }
    for (size_t i = 0; i < g.n; i++)
        free(g.terms[i]);
    free(g.terms);
    free(g.freqs);
    free(prefix);
    index_maybe_commit(r, false);
}

/* ------------------------------------------------------------------ */
/* Roots                                                               */

/* What check_arg() found an argument to be. */
enum arg_kind {
    ARG_ROOT,               /* a root to walk */
    ARG_UNSUPPORTED,        /* a file of a kind no extractor reads */
    ARG_UNREADABLE,         /* missing, unreadable, not a file or
                               directory */
    ARG_NOMEM
};

/* Check the DIR or FILE argument ARG before the database is touched: a
 * root to walk (resolved, added to WALK), or a problem named on stderr
 * and counted as skipped, the other arguments still indexed.  A refused
 * argument is not recorded as a root. */
static enum arg_kind
check_arg(index_stats_t *stats, const char *arg, strv_t *walk)
{
    char *real = realpath(arg, NULL), exts[256];
    enum arg_kind kind = ARG_UNREADABLE;
    struct stat st;

    if (!real || stat(real, &st) < 0) {
        diag_error("%s: cannot index: %s", arg, strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        if (access(real, R_OK | X_OK) < 0)
            diag_error("%s: cannot read directory: %s", arg,
                       strerror(errno));
        else
            kind = ARG_ROOT;
    } else if (!S_ISREG(st.st_mode)) {
        diag_error("%s: cannot index: not a regular file or directory",
                   arg);
    } else if (extract_format_of(real) == EXTRACT_NONE) {
        /* The list comes from the dispatcher, so it stays true. */
        extract_extensions(exts, sizeof exts);
        diag_error("%s: unsupported file type (dossier reads %s)", arg,
                   exts);
        kind = ARG_UNSUPPORTED;
    } else if (access(real, R_OK) < 0) {
        diag_error("%s: cannot read: %s", arg, strerror(errno));
    } else {
        kind = ARG_ROOT;
    }
    if (kind == ARG_ROOT && strv_push_unique(walk, real) < 0)
        kind = ARG_NOMEM;
    free(real);
    if (kind == ARG_UNSUPPORTED || kind == ARG_UNREADABLE)
        stats->skipped++;
    return kind;
}

/* With no DIR or FILE and no recorded root: the configuration's
 * index.roots, added to WALK.  Returns -1 (said on stderr) when one
 * cannot be read or there is none. */
static int
config_roots(const config_t *cfg, const char *db_path, strv_t *walk)
{
    for (size_t i = 0; i < cfg->roots.n; i++) {
        char *real = realpath(cfg->roots.v[i], NULL);
        if (!real) {
            diag_error("index.roots: %s: cannot index: %s",
                       cfg->roots.v[i], strerror(errno));
            return -1;
        }
        int e = strv_push_unique(walk, real);
        free(real);
        if (e < 0) {
            diag_error("out of memory");
            return -1;
        }
    }
    if (walk->n == 0) {
        diag_error("no roots recorded in '%s': give a directory to "
                   "index; try 'dossier-index --help'", db_path);
        return -1;
    }
    return 0;
}

/* Write the config's synonym groups: every spelling expands to the
 * others. */
static int
write_synonyms(run_t *r)
{
    for (size_t g = 0; g < r->cfg->n_synonyms; g++) {
        const strv_t *grp = &r->cfg->synonyms[g];
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

/* The synonym folds this run's documents get (SCHEMA_META_FOLDS): a new
 * database, or a --full run, the config's, recorded at once for a new
 * one and cleared for a --full one while its documents are mixed (the
 * end of the run records them); otherwise those the database's documents
 * have, so that they stay alike, with a warning when the config's
 * differ.  Sets R->folds, *CFG_FOLDS and *DB_FOLDS (both freed by the
 * caller).  Returns -1 with the message on the handle, or for want of
 * memory. */
static int
choose_folds(run_t *r, unsigned count_at_start, char **cfg_folds,
             char **db_folds)
{
    if (!(*cfg_folds = config_synonym_folds(r->cfg)))
        return -1;
    if (xsh_wdb_get_metadata(r->wdb, SCHEMA_META_FOLDS, db_folds, NULL)
        != XSH_OK)
        return -1;
    if (!*db_folds && !(*db_folds = strdup("")))
        return -1;
    bool same = strcmp(*cfg_folds, *db_folds) == 0;
    if (count_at_start == 0 || r->opts->full) {
        r->folds = *cfg_folds;
        if (same)
            return 0;
        const char *now = count_at_start == 0 ? *cfg_folds : "";
        return xsh_wdb_set_metadata(r->wdb, SCHEMA_META_FOLDS, now,
                                    strlen(now)) == XSH_OK ? 0 : -1;
    }
    r->folds = *db_folds;
    if (!same)
        diag_warn("%s: the config's synonym groups differ from those the "
                  "index was built with: searches still find every "
                  "spelling, more slowly; 'dossier-index --full' indexes "
                  "them anew", r->opts->db_path);
    return 0;
}

/* ------------------------------------------------------------------ */
/* The run                                                             */

/* Take this run's stamp (config/schema.h): now in UTC seconds, but
 * above the last run's, so that two runs in one second still tell their
 * documents apart; recorded at once, so that it is committed with the
 * first documents that carry it.  Returns -1 with the message on the
 * handle. */
static int
take_run_stamp(run_t *r)
{
    char *last = NULL;

    if (xsh_wdb_get_metadata(r->wdb, SCHEMA_META_RUN_STAMP, &last, NULL)
        != XSH_OK)
        return -1;
    long long now = (long long)time(NULL);
    long long prev = strtoll(last, NULL, 10);
    free(last);
    if (now <= prev)
        now = prev + 1;
    snprintf(r->run_stamp, sizeof r->run_stamp, "%0*lld", SCHEMA_STAMP_LEN,
             now);
    if (xsh_wdb_set_metadata(r->wdb, SCHEMA_META_RUN_STAMP, r->run_stamp,
                             strlen(r->run_stamp)) != XSH_OK)
        return -1;
    return 0;
}

void
index_pack(run_t *r, xsh_wdb_t *const *wdbs, size_t n)
{
    if (r->opts->no_pack)
        return;
    /* Not packed for want of documents or data is no news: the info is
     * not wanted. */
    if (xsh_pack_data(wdbs, n, SCHEMA_META_VERSION, SCHEMA_VERSION_PACKED,
                      NULL) != XSH_OK) {
        index_progress_clear(r);
        diag_warn("%s: document data not packed: %s", r->opts->db_path,
                  xsh_wdb_errmsg(wdbs[0]));
    }
}

/* Refuse a database this indexer cannot write (schema_check() says
 * why), and stamp a new one with the schema version. */
static int
check_schema(run_t *r)
{
    char *v = NULL, msg[256];
    unsigned count = 0;
    schema_state_t st;

    if (xsh_wdb_get_metadata(r->wdb, SCHEMA_META_VERSION, &v, NULL) !=
        XSH_OK || xsh_wdb_doccount(r->wdb, &count) != XSH_OK) {
        free(v);
        diag_error("%s: %s", r->opts->db_path, xsh_wdb_errmsg(r->wdb));
        return -1;
    }
    st = schema_check(v, count, SCHEMA_USE_WRITE, msg, sizeof msg);
    free(v);
    if (st < 0) {
        diag_error("%s: %s", r->opts->db_path, msg);
        return -1;
    }
    if (st == SCHEMA_UNSET &&
        xsh_wdb_set_metadata(r->wdb, SCHEMA_META_VERSION, SCHEMA_VERSION,
                             strlen(SCHEMA_VERSION)) != XSH_OK) {
        diag_error("%s: %s", r->opts->db_path, xsh_wdb_errmsg(r->wdb));
        return -1;
    }
    return 0;
}

int
index_run(const config_t *cfg, const index_opts_t *opts_in,
          index_stats_t *stats)
{
    /* The database path without trailing slashes: the temporary
     * databases are named after it, next to it (dbdir_sibling). */
    index_opts_t opts_copy = *opts_in;
    const index_opts_t *opts = &opts_copy;
    char *db_path = strdup(opts_in->db_path), *real_path = NULL;
    if (!db_path) {
        diag_error("out of memory");
        return INDEX_EXIT_FATAL;
    }
    for (size_t n = strlen(db_path); n > 1 && db_path[n - 1] == '/'; n--)
        db_path[n - 1] = '\0';
    opts_copy.db_path = db_path;

    run_t r = { .cfg = cfg, .opts = opts, .stats = stats };
    file_list_t all = { 0 };    /* a fresh build's files, every root's */
    shard_t *shards = NULL;
    unsigned n_shards = 0;
    r.done = &r.done_here;
    r.bytes = &r.bytes_here;
    r.docs = &r.docs_here;
    strv_t roots = STRV_INIT, walk = STRV_INIT;
    char *msg = NULL;
    int rc = INDEX_EXIT_FATAL;

    memset(stats, 0, sizeof *stats);
    r.start = now_seconds();

    bool full_build = false;
    char *cfg_folds = NULL, *db_folds = NULL;

    /* Check the roots given before touching the database. */
    size_t n_unreadable = 0;
    for (size_t i = 0; i < opts->n_roots; i++) {
        int kind = check_arg(stats, opts->roots[i], &walk);
        if (kind == ARG_NOMEM)
            goto nomem;
        n_unreadable += kind == ARG_UNREADABLE;
    }
    if (opts->n_roots && walk.n == 0) {
        /* Nothing left to index: no database is created or opened.
         * Only arguments that do not exist or cannot be read at all are
         * fatal, as an unreadable root is. */
        rc = n_unreadable == opts->n_roots ? INDEX_EXIT_FATAL
                                           : INDEX_EXIT_SKIPPED;
        goto out;
    }

    int mode = dbdir_open_mode(opts->db_path);
    if (mode < 0) {
        diag_error("%s: not a database: a directory holding other files "
                   "(give a new or empty directory)", opts->db_path);
        goto out;
    }
    /* No database yet, so no recorded roots: find out before creating
     * one that there is something to index. */
    if (mode == XSH_WDB_CREATE_OR_OPEN && opts->n_roots == 0 &&
        config_roots(cfg, opts->db_path, &walk) < 0)
        goto out;
    xsh_status_t st = xsh_wdb_open(opts->db_path, mode, &r.wdb, &msg);
    if (st != XSH_OK) {
        if (st == XSH_LOCKED)
            diag_error("%s: %s", opts->db_path, dbdir_open_error(st));
        else
            diag_error("%s: %s: %s", opts->db_path, dbdir_open_error(st),
                       msg ? msg : xsh_status_str(st));
        free(msg);
        goto out;
    }
    if (check_schema(&r) < 0)
        goto out;
    /* Resolved now that it exists: "-d ." names a database too. */
    real_path = realpath(opts->db_path, NULL);
    r.real_path = real_path ? real_path : opts->db_path;
    dbdir_remove_leftovers(r.real_path);
    if (shards_resume_spelling(&r) < 0)
        goto out;
    if (take_run_stamp(&r) < 0)
        goto dberr;
    unsigned count_at_start = 0;
    xsh_wdb_doccount(r.wdb, &count_at_start);
    full_build = count_at_start == 0 || opts->full;
    if (choose_folds(&r, count_at_start, &cfg_folds, &db_folds) < 0)
        goto dberr;
    if (roots_read(r.wdb, &roots) < 0)
        goto dberr;
    if (opts->n_roots == 0) {
        for (size_t i = 0; i < roots.n; i++)
            if (strv_push_unique(&walk, roots.v[i]) < 0)
                goto nomem;
        if (walk.n == 0 && config_roots(cfg, opts->db_path, &walk) < 0)
            goto out;
    }
    for (size_t i = 0; i < walk.n; i++)
        if (strv_push_unique(&roots, walk.v[i]) < 0)
            goto nomem;
    if (roots_write(r.wdb, &roots) < 0 || write_synonyms(&r) < 0)
        goto dberr;
    unsigned jobs = opts->jobs;
    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (unsigned)n : 1;
    }
    json_object_seed(0);    /* before any thread makes JSON objects */

    rc = INDEX_EXIT_OK;
    if (count_at_start == 0 && jobs > 1 && !opts->no_compact) {
        /* A fresh build: every root's files first, then shards over
         * them (nothing recorded can have vanished). */
        for (size_t i = 0; i < walk.n && !index_stop_signal; i++) {
            if (walk_one(&r, walk.v[i], NULL) < 0)
                continue;
            if (files_append(&all, &r.files) < 0)
                goto nomem;
        }
        n_shards = shards_plan(all.n, jobs);
        if (n_shards > 1) {
            shards = shards_build(&r, all.v, all.n, n_shards);
        } else if (index_write_range(&r, all.v, all.n, jobs) < 0) {
            rc = INDEX_EXIT_FATAL;
            goto out;
        }
    } else {
        for (size_t i = 0; i < walk.n && !index_stop_signal && !r.fatal;
             i++) {
            struct stat rst;
            if (walk_one(&r, walk.v[i], &rst) < 0)
                continue;
            if (index_write_range(&r, r.files.v, r.files.n, jobs) < 0) {
                rc = INDEX_EXIT_FATAL;
                goto out;
            }
            if (!index_stop_signal && !r.fatal)
                remove_vanished(&r, walk.v[i], S_ISDIR(rst.st_mode));
        }
    }
    index_progress_clear(&r);

    char when[32], msgbuf[512];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    xsh_wdb_set_metadata(r.wdb, SCHEMA_META_INDEXED_AT, when, strlen(when));
    /* A --full run that rewrote every document (not one of some roots
     * only, not one that kept a file it could not read): they all have
     * the config's folds now, recorded with its last commit. */
    unsigned count_now = 0;
    if (opts->full && count_at_start > 0 && !index_stop_signal &&
        !r.fatal && !stats->skipped && strcmp(cfg_folds, db_folds) != 0 &&
        xsh_wdb_doccount(r.wdb, &count_now) == XSH_OK &&
        stats->added + stats->updated == count_now &&
        xsh_wdb_set_metadata(r.wdb, SCHEMA_META_FOLDS, cfg_folds,
                             strlen(cfg_folds)) != XSH_OK)
        goto dberr;
    if (xsh_wdb_set_metadata(r.wdb, SCHEMA_META_RUN_DONE, r.run_stamp,
                             strlen(r.run_stamp)) != XSH_OK) {
        diag_error("%s: %s", opts->db_path, xsh_wdb_errmsg(r.wdb));
        rc = INDEX_EXIT_FATAL;
        goto out;
    }
    r.pending++;
    if (index_maybe_commit(&r, true) < 0 || r.fatal) {
        rc = INDEX_EXIT_FATAL;
        goto out;
    }
    /* Shards are marked once merged (shards.c); an interrupted run
     * leaves the stamp stale, which costs searches time, not counts. */
    if (!shards && !index_stop_signal &&
        index_mark_groups(r.wdb, msgbuf, sizeof msgbuf) < 0)
        diag_warn("%s: collapse groups not recorded: %s", opts->db_path,
                  msgbuf);
    if (shards) {
        int e = shards_finish(&r, shards, n_shards, !index_stop_signal);
        shards = NULL;
        if (e < 0) {
            rc = INDEX_EXIT_FATAL;
            goto out;
        }
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
    if (shards)     /* the run failed before its end: drop them */
        shards_finish(&r, shards, n_shards, false);
    /* Compact before closing: the write lock keeps other indexers out
     * until the compacted copy is in place.  Shards were merged into a
     * compacted copy already. */
    if ((rc == INDEX_EXIT_OK || rc == INDEX_EXIT_SKIPPED) && full_build &&
        !opts->no_compact && n_shards < 2 &&
        stats->added + stats->updated > 0) {
        char err[512];
        /* Packing rewrites the data table: only the compaction that
         * follows gives the space back, so --no-compact does not pack. */
        index_pack(&r, &r.wdb, 1);
        if (dbdir_compact(opts->db_path, r.real_path, &r.wdb,
                          index_mark_groups_at, err, sizeof err) < 0)
            diag_warn("%s: not compacted: %s", opts->db_path, err);
    }
    xsh_wdb_close(r.wdb);
    files_clear(&r.files);
    free(r.files.v);
    files_clear(&all);
    free(all.v);
    free(r.seen);
    free(r.xp.seen);
    strv_release(&roots);
    strv_release(&walk);
    free(db_path);
    free(real_path);
    free(cfg_folds);
    free(db_folds);
    stats->seconds = now_seconds() - r.start;
    return rc;
}

