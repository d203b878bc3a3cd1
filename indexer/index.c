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
 * their collapse keys, removing files recorded under a root that the walk
 * did not see, the progress line, and commits every index.batch_size
 * documents and at the end, so an interrupted run keeps everything up to
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

static void
skip_file(run_t *r, const char *path, const char *reason)
{
    file_problem(r, path, reason);
    r->stats->skipped++;
}

/* A problem inside a file: "PATH:LINE: WHAT" when WHY starts with its
 * line, else "PATH: WHAT". */
static void
skip_in_file(run_t *r, const char *path, const char *why)
{
    index_progress_clear(r);
    diag_error("%s:%s%s", path, *why >= '0' && *why <= '9' ? "" : " ", why);
    r->stats->skipped++;
}

static void
warn_file(run_t *r, const char *path, const extract_diag_t *d)
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
    if (r->n_seen == 0)
        return false;
    return bsearch(&h, r->seen, r->n_seen, sizeof h, cmp_u64) != NULL;
}

/* ------------------------------------------------------------------ */
/* Writing finished jobs                                               */

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

/* ------------------------------------------------------------------ */
/* Near-duplicates: the collapse key                                   */

static bool
hex_value(xsh_wdb_t *wdb, xsh_docid_t docid, xsh_slot_t slot, char **out)
{
    return xsh_wdb_get_doc_value(wdb, docid, slot, out, NULL) == XSH_OK;
}

static bool
near_candidate(void *ctx, xsh_docid_t docid)
{
    index_near_t *n = ctx;
    char *sim = NULL, *key = NULL;
    if (n->below && docid >= n->below)
        return false;           /* postings come in docid order */
    if (hex_value(n->wdb, docid, SCHEMA_SLOT_SIMHASH, &sim) && *sim) {
        uint64_t h = strtoull(sim, NULL, 16);
        if (simhash_distance(h, n->simhash) <= SIMHASH_MAX_DISTANCE &&
            hex_value(n->wdb, docid, SCHEMA_SLOT_FINGERPRINT, &key) && *key &&
            (!n->best || strcmp(key, n->best) < 0)) {
            free(n->best);
            n->best = key;
            key = NULL;
        }
    }
    free(sim);
    free(key);
    return true;
}

void
index_near_in(index_near_t *n, xsh_wdb_t *wdb, xsh_docid_t below)
{
    char term[64];

    n->wdb = wdb;
    n->below = below;
    for (int i = 0; i < SIMHASH_BANDS; i++)
        xsh_wdb_each_posting(wdb, simhash_band_term(SCHEMA_PREFIX_BAND,
                             n->simhash, i, term, sizeof term),
                             near_candidate, n);
}

/* Give D the collapse key of its near-duplicates already in the database
 * (the smallest, so the choice is the same whatever the order of the
 * candidates), or keep its own.  A document that is reindexed and still
 * close to what it was keeps its key, and a key never changes because
 * another copy is deleted: keys are only ever copied, never recomputed. */
static void
choose_collapse_key(run_t *r, builtdoc_t *d)
{
    index_near_t n = { r->wdb, d->simhash, NULL, 0 };
    char *old_sim = NULL;

    if (!d->has_simhash)
        return;
    if (xsh_wdb_get_value(r->wdb, d->id_term, SCHEMA_SLOT_SIMHASH, &old_sim,
                          NULL) == XSH_OK && *old_sim &&
        simhash_distance(strtoull(old_sim, NULL, 16), d->simhash) <=
        SIMHASH_MAX_DISTANCE)
        xsh_wdb_get_value(r->wdb, d->id_term, SCHEMA_SLOT_FINGERPRINT,
                          &n.best, NULL);
    free(old_sim);
    if (n.best && !*n.best) {
        free(n.best);
        n.best = NULL;
    }
    /* Its own old key wins; else look for near-duplicates. */
    if (!n.best)
        index_near_in(&n, r->wdb, 0);
    if (n.best)
        xsh_doc_add_value(d->doc, SCHEMA_SLOT_FINGERPRINT, n.best,
                          strlen(n.best));
    free(n.best);
}

/* Give D its first-indexed stamp (config/schema.h): the one of the
 * document it replaces, found by its id, so that an edit, a reindex
 * with --full or a rebuild never makes an old document new; else this
 * run's.  A document from before stamps gets SCHEMA_STAMP_UNKNOWN: it
 * is not new either.  Called before the file's old documents go. */
static void
stamp_first_indexed(run_t *r, builtdoc_t *d)
{
    char *old = NULL;
    const char *v = r->run_stamp;

    if (xsh_wdb_get_value(r->wdb, d->id_term, SCHEMA_SLOT_FIRST_INDEXED,
                          &old, NULL) == XSH_OK)
        v = *old ? old : SCHEMA_STAMP_UNKNOWN;
    /* Fails only when memory runs out, which the write that follows
     * reports; the document then merely counts as old. */
    if (*v)
        xsh_doc_add_value(d->doc, SCHEMA_SLOT_FIRST_INDEXED, v, strlen(v));
    free(old);
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
    warn_file(r, j->path, &j->warnings);
    if (j->skip) {
        skip_file(r, j->path, j->skip);
        return;
    }
    /* Keys first: the file's old documents are candidates too.  A shard
     * sees only its own documents: its keys are chosen after the merge. */
    for (size_t i = 0; i < j->n_docs && !r->keys_later; i++)
        choose_collapse_key(r, &j->docs[i]);
    for (size_t i = 0; i < j->n_docs; i++)
        stamp_first_indexed(r, &j->docs[i]);
    /* Drop what the file held before: posts may have gone from it. */
    if (j->existed && xsh_wdb_delete(r->wdb, j->file_term) != XSH_OK) {
        skip_file(r, j->path, xsh_wdb_errmsg(r->wdb));
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
            xsh_doc_each_word(d->doc, add_spelling, r);
        n_ok++;
        r->pending++;
    }
    if (n_ok == 0) {
        skip_file(r, j->path, "no document could be indexed");
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


/* ------------------------------------------------------------------ */
/* Writing the chunks of an export                                     */

static void
stamp_key(const char *file_term, char *key, size_t len)
{
    snprintf(key, len, "%s%016" PRIx64, SCHEMA_META_FILE_PREFIX,
             document_hash(file_term, strlen(file_term)));
}

static int
xp_seen_add(run_t *r, uint64_t h)
{
    struct export_state *x = &r->xp;
    if (x->n_seen == x->cap_seen) {
        size_t cap = x->cap_seen ? x->cap_seen * 2 : 1024;
        uint64_t *v = realloc(x->seen, cap * sizeof *v);
        if (!v)
            return -1;
        x->seen = v;
        x->cap_seen = cap;
    }
    x->seen[x->n_seen++] = h;
    return 0;
}

typedef struct vanished {
    run_t *r;
    xsh_docid_t *ids;
    size_t n, cap;
    bool failed;
} vanished_t;

/* A document of the export whose content hash no post has now. */
static bool
collect_vanished(void *ctx, xsh_docid_t docid)
{
    vanished_t *v = ctx;
    char *hex = NULL;
    if (xsh_wdb_get_doc_value(v->r->wdb, docid, SCHEMA_SLOT_HASH, &hex,
                              NULL) != XSH_OK) {
        v->failed = true;
        return false;
    }
    uint64_t h = strtoull(hex, NULL, 16);
    bool keep = *hex && bsearch(&h, v->r->xp.seen, v->r->xp.n_seen,
                                sizeof h, cmp_u64) != NULL;
    free(hex);
    if (keep)
        return true;
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        xsh_docid_t *ids = realloc(v->ids, cap * sizeof *ids);
        if (!ids) {
            v->failed = true;
            return false;
        }
        v->ids = ids;
        v->cap = cap;
    }
    v->ids[v->n++] = docid;
    return true;
}

/* The last chunk of J's export is written: remove the posts it no longer
 * holds and stamp the file, or skip it when nothing in it was indexed. */
static void
finish_export(run_t *r, job_t *j)
{
    struct export_state *x = &r->xp;
    const chunk_t *c = j->chunk;
    char key[64], val[96];

    if (c->refused && !x->failed && !(j->stop && *j->stop)) {
        /* A compression bomb is refused whole: what it gave before the
         * limit is dropped again, as a file too large would be. */
        if (x->n_docs && xsh_wdb_delete(r->wdb, j->file_term) != XSH_OK) {
            skip_file(r, j->path, xsh_wdb_errmsg(r->wdb));
            return;
        }
        r->stats->added -= x->n_added;
        r->stats->updated -= x->n_updated;
        r->stats->unchanged -= x->n_unchanged;
        r->stats->removed += x->n_updated + x->n_unchanged;
        atomic_fetch_sub(r->docs, x->n_docs);
        if (x->n_docs)
            r->pending++;
        skip_in_file(r, j->path, c->end_error);
        index_maybe_commit(r, false);
        return;
    }
    if (c->end_error && x->n_docs) {
        const char *e = c->end_error;
        index_progress_clear(r);
        diag_warn("%s:%s%s", j->path, *e >= '0' && *e <= '9' ? "" : " ", e);
    }
    if (x->failed || (j->stop && *j->stop))
        return;
    if (x->n_docs == 0 && !(x->n_records && x->n_passed == x->n_records)) {
        skip_in_file(r, j->path, c->end_error ? c->end_error :
                  x->n_records == 0 ? "no document found in file" :
                  x->n_invalid == x->n_records ? "no valid JSON post" :
                  x->n_passed ? "no post with text (service messages, "
                                "boosts and empty posts are passed over)" :
                  "no post with a text field");
        return;
    }
    if (x->n_passed && r->opts->verbosity == INDEX_VERBOSE) {
        index_progress_clear(r);
        diag_plain("%s: %zu post%s passed over (service messages, boosts, "
                   "posts without text)", j->path, x->n_passed,
                   x->n_passed == 1 ? "" : "s");
    }
    if (j->existed) {
        vanished_t v = { .r = r };
        if (x->n_seen)
            qsort(x->seen, x->n_seen, sizeof *x->seen, cmp_u64);
        if (xsh_wdb_each_posting(r->wdb, j->file_term, collect_vanished,
                                 &v) != XSH_OK || v.failed) {
            free(v.ids);
            skip_file(r, j->path, "old posts not removed: out of memory");
            return;
        }
        for (size_t i = 0; i < v.n; i++)
            if (xsh_wdb_delete_docid(r->wdb, v.ids[i]) == XSH_OK) {
                r->stats->removed++;
                r->pending++;
                x->changed = true;
            }
        free(v.ids);
    }
    stamp_key(j->file_term, key, sizeof key);
    snprintf(val, sizeof val, "%lld %lld.%09ld %zu",
             (long long)j->st->st_size, (long long)j->st->st_mtim.tv_sec,
             (long)j->st->st_mtim.tv_nsec, x->n_docs);
    xsh_wdb_set_metadata(r->wdb, key, val, strlen(val));
    r->pending++;
    r->stats->files++;
    if (r->opts->verbosity == INDEX_VERBOSE && x->changed) {
        index_progress_clear(r);
        diag_plain("%s %s", j->existed ? "updated" : "added", j->path);
    }
    index_maybe_commit(r, false);
}

/* Apply one chunk of an export: each post is written unless the stored
 * post under its id term has the same content hash. */
static void
write_chunk(run_t *r, job_t *j)
{
    struct export_state *x = &r->xp;
    const chunk_t *c = j->chunk;
    char hex[17];

    if (c->first) {
        x->n_seen = x->n_docs = x->n_records = x->n_invalid = 0;
        x->n_added = x->n_updated = x->n_unchanged = 0;
        x->n_passed = 0;
        x->changed = x->failed = false;
    }
    if (j->abandoned) {
        x->failed = true;
        return;
    }
    if (j->bad_utf8) {
        index_progress_clear(r);
        diag_warn("%s: invalid UTF-8 (%zu bytes) replaced with U+FFFD",
                  j->path, j->bad_utf8);
    }
    for (size_t i = 0; i < c->skips.n; i++)
        skip_in_file(r, j->path, c->skips.msgs[i]);
    warn_file(r, j->path, &j->warnings);
    x->n_records += j->n_records;
    x->n_invalid += j->n_invalid;
    x->n_passed += j->n_passed;
    if (j->skip) {
        skip_file(r, j->path, j->skip);
        x->failed = true;
    }
    for (size_t i = 0; i < j->n_docs && !x->failed && !r->fatal; i++) {
        builtdoc_t *d = &j->docs[i];
        char *have = NULL;
        snprintf(hex, sizeof hex, "%016" PRIx64, d->hash);
        bool found = j->existed &&
            xsh_wdb_get_value(r->wdb, d->id_term, SCHEMA_SLOT_HASH, &have,
                              NULL) == XSH_OK;
        bool same = found && !r->opts->full && strcmp(have, hex) == 0;
        free(have);
        if (!same) {
            if (!r->keys_later)
                choose_collapse_key(r, d);
            stamp_first_indexed(r, d);
            if (xsh_wdb_replace(r->wdb, d->id_term, d->doc, NULL) !=
                XSH_OK) {
                index_progress_clear(r);
                diag_warn("%s: post not indexed: %s", j->path,
                          xsh_wdb_errmsg(r->wdb));
                continue;
            }
            if (!r->spell_later)
                xsh_doc_each_word(d->doc, add_spelling, r);
            r->pending++;
            x->changed = true;
            if (found) {
                r->stats->updated++;
                x->n_updated++;
            } else {
                r->stats->added++;
                x->n_added++;
            }
        } else {
            r->stats->unchanged++;
            x->n_unchanged++;
        }
        if (xp_seen_add(r, d->hash) < 0) {
            skip_file(r, j->path, "out of memory");
            x->failed = true;
        }
        x->n_docs++;
        atomic_fetch_add(r->docs, 1);
        index_maybe_commit(r, false);
    }
    if (c->last)
        finish_export(r, j);
}

/* The pipeline's write callback: apply a finished job, count it. */
static void
write_finished(void *ctx, job_t *j)
{
    run_t *r = ctx;
    if (j->chunk) {
        write_chunk(r, j);
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

/* Posts per chunk of an export, and bytes (a chunk ends after the
 * record that passes it): small enough that every worker gets chunks of
 * one file and a stop is quick, large enough to cost little. */
#define CHUNK_DOCS 256
#define CHUNK_BYTES (1024 * 1024)

/* Open PATH for streaming, as job_read_file() would read it.  Returns the
 * descriptor, or -1 with the reason in WHY.  A COMPRESSED file's bytes
 * hold NULs: the posts are checked one by one (job.c). */
static int
open_export(const char *path, bool compressed, char *why, size_t whylen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    char head[4096];

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
    ssize_t k = compressed ? 0 : pread(fd, head, sizeof head, 0);
    if (k > 0 && memchr(head, '\0', (size_t)k)) {
        snprintf(why, whylen, "binary file (contains NUL bytes)");
        close(fd);
        return -1;
    }
    return fd;
}

/* zstream's limits for an export: its 16 GiB cap, and the ratio checked
 * from 1 MiB on rather than 16, so that a bomb is refused before it has
 * given a million posts to write and take back.  A month of Reddit
 * comments compresses 8-12:1, repetitive JSON rarely past 30:1. */
static const zstream_limits_t export_limits =
    { (uint64_t)16 << 30, 100, (uint64_t)1 << 20 };

/* The first chunks of a compressed export are held back until HOLD_BYTES
 * of posts are read (or the file ends), so that a bomb found in that
 * window is refused without a post written and taken back. */
#define HOLD_BYTES (8 * 1024 * 1024)

typedef struct held {
    bool on;
    job_t *v;
    size_t n, cap;
    size_t bytes;
} held_t;

static int
hold_add(held_t *h, job_t *j)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 8;
        job_t *v = realloc(h->v, cap * sizeof *v);
        if (!v)
            return -1;
        h->v = v;
        h->cap = cap;
    }
    h->bytes += j->chunk->len;
    h->v[h->n++] = *j;
    memset(j, 0, sizeof *j);
    return 0;
}

/* Queue what is held, in order, and hold no more. */
static void
hold_flush(held_t *h, pipeline_t *p)
{
    for (size_t i = 0; i < h->n; i++)
        pipeline_push(p, &h->v[i]);
    free(h->v);
    *h = (held_t){ .on = false };
}

static void
hold_drop(held_t *h)
{
    for (size_t i = 0; i < h->n; i++)
        job_release(&h->v[i]);
    free(h->v);
    *h = (held_t){ .on = false };
}

/* The file NAME beside PATH, read whole under the file limit into *BUF
 * (caller frees); false when there is none.  A file there that cannot be
 * read is a warning in W. */
static bool
read_beside(run_t *r, const char *path, const char *name, char **buf,
            size_t *len, extract_diag_t *w)
{
    const char *slash = strrchr(path, '/');
    char *p = NULL, why[256];
    struct stat st;
    bool ok = false;

    *buf = NULL;
    *len = 0;
    if (asprintf(&p, "%.*s%s", slash ? (int)(slash - path + 1) : 0, path,
                 name) < 0)
        return false;
    if (stat(p, &st) == 0) {
        if (job_read_file(p, r->cfg->max_file_size, buf, len, why,
                          sizeof why) == 0)
            ok = true;
        else
            extract_diag_add(w, " %s: %s", name, why);
    }
    free(p);
    return ok;
}

/* The layout around record REC of export J into *CTX (a new string, or
 * NULL when it has none), reading the files beside J once (*SIB). */
static int
layout_ctx(run_t *r, const job_t *j, const records_t *rd, const record_t *rec,
           char **ctx, extract_diag_t *w)
{
    unsigned needs = extract_ctx_needs(rec->ctx, rd->ytd);
    char *acc = NULL, *notes = NULL, *actor = NULL;
    size_t acc_len = 0, notes_len = 0, actor_len = 0;
    sbuf_t t = SBUF_INIT;
    int rc;

    *ctx = NULL;
    if (!rec->ctx && !needs)
        return 0;
    if (needs & EXTRACT_NEEDS_ACCOUNT)
        read_beside(r, j->path, "account.js", &acc, &acc_len, w);
    if (needs & EXTRACT_NEEDS_NOTES)
        read_beside(r, j->path, "note-tweet.js", &notes, &notes_len, w);
    if (needs & EXTRACT_NEEDS_ACTOR)
        read_beside(r, j->path, "actor.json", &actor, &actor_len, w);
    rc = extract_ctx_text(&t, rec->ctx, acc, acc_len, notes, notes_len,
                          actor, actor_len, w);
    free(acc);
    free(notes);
    free(actor);
    if (rc < 0) {
        sbuf_release(&t);
        return -1;
    }
    *ctx = t.p;
    return 0;
}

/* Queue J's export as chunks of records read here, in the writer: the
 * workers extract and build them, the writer applies them in order. */
static void
stream_export(run_t *r, pipeline_t *p, job_t *j, extract_format_t fmt)
{
    char why[256];
    records_t rd;
    record_t rec;
    bool compressed = extract_is_compressed(j->path);
    int fd = open_export(j->path, compressed, why, sizeof why);
    bool first = true, end = false;
    zstream_t *z = NULL;
    /* DOSSIER_TEST_NO_HOLD: the tests' way to reach a bomb found after
     * posts were written (a bomb larger than the fixtures). */
    held_t held = { .on = compressed && !getenv("DOSSIER_TEST_NO_HOLD") };
    bool have_ctx = false;
    unsigned ctx_gen = 0;
    char *ctx = NULL;
    extract_diag_t ctx_warn = { NULL, 0 };

    if (fd < 0) {
        j->skip = strdup(why);
        pipeline_push(p, j);
        return;
    }
    /* .gz and .zst stream through zstream.h, never unpacked to disk; it
     * owns the descriptor from here on. */
    if (compressed && !(z = zstream_fdopen(fd, &export_limits, why,
                                           sizeof why))) {
        j->skip = strdup(why);
        pipeline_push(p, j);
        return;
    }
    if (records_open(&rd, fmt == EXTRACT_JSONL ? RECORDS_LINES : RECORDS_JSON,
                     z ? records_read_zstream : records_read_fd,
                     z ? (void *)z : (void *)&fd,
                     (size_t)r->cfg->max_file_size) < 0) {
        if (z)
            zstream_close(z);
        else
            close(fd);
        j->skip = strdup("out of memory");
        pipeline_push(p, j);
        return;
    }
    while (!end) {
        chunk_t *c = calloc(1, sizeof *c);
        job_t cj = *j;
        uint64_t before = rd.consumed;
        int rc = 0;

        if (!c || !(cj.file_term = strdup(j->file_term))) {
            free(c);
            end = true;
            cj.chunk = NULL;
            cj.file_term = NULL;
            cj.skip = strdup("out of memory");
            pipeline_push(p, &cj);
            break;
        }
        if (ctx && chunk_set_ctx(c, ctx) < 0) {
            rc = -1;
            snprintf(rd.err, sizeof rd.err, "out of memory");
        }
        while (rc == 0 && c->n < CHUNK_DOCS && c->len < CHUNK_BYTES) {
            rc = records_next(&rd, &rec);
            if (rc <= 0)
                break;
            if (rec.p && !rec.whole &&
                (!have_ctx || rec.ctx_gen != ctx_gen)) {
                /* A new chat, or the file's first post: its layout. */
                have_ctx = true;
                ctx_gen = rec.ctx_gen;
                free(ctx);
                if (layout_ctx(r, j, &rd, &rec, &ctx, &ctx_warn) < 0 ||
                    (ctx && chunk_set_ctx(c, ctx) < 0)) {
                    rc = -1;
                    snprintf(rd.err, sizeof rd.err, "out of memory");
                    break;
                }
                for (size_t k = 0; k < ctx_warn.n; k++)
                    extract_diag_add(&cj.warnings, "%s", ctx_warn.msgs[k]);
                extract_diag_release(&ctx_warn);
            }
            if (!rec.p && rec.whole) {
                snprintf(why, sizeof why, "file too large (%zu bytes, "
                         "limit %llu)", rec.len, r->cfg->max_file_size);
                cj.skip = strdup(why);
                continue;
            }
            if (!rec.p) {
                extract_diag_add(&c->skips, "%lu: post too large (%zu bytes, "
                                 "limit %llu)", rec.line, rec.len,
                                 r->cfg->max_file_size);
                continue;
            }
            if (chunk_add(c, rec.p, rec.len, rec.line) < 0) {
                rc = -1;
                snprintf(rd.err, sizeof rd.err, "out of memory");
                break;
            }
            c->whole = rec.whole;
        }
        if (rc < 0) {
            /* zstream.h names a bomb's limit; a truncated stream keeps
             * its whole posts, a bomb none. */
            c->refused = z && strncmp(rd.err, "compression bomb", 16) == 0;
            c->end_error = strdup(rd.err);
        }
        end = rc <= 0 || (c->whole && rc > 0);
        if (c->whole)
            end = true;
        c->first = first;
        c->last = end;
        c->in_bytes = rd.consumed - before;
        cj.chunk = c;
        cj.stop = &index_stop_signal;
        first = false;
        if (held.on && c->refused) {
            /* A bomb found while holding: nothing written, one skip. */
            hold_drop(&held);
            cj.chunk = NULL;
            cj.skip = c->end_error;
            c->end_error = NULL;
            chunk_free(c);
            pipeline_push(p, &cj);
            break;
        }
        if (held.on) {
            if (hold_add(&held, &cj) < 0) {
                hold_flush(&held, p);
                pipeline_push(p, &cj);
            } else if (end || held.bytes >= HOLD_BYTES || index_stop_signal) {
                hold_flush(&held, p);
            }
        } else {
            pipeline_push(p, &cj);
        }
        /* Stopped: the chunks queued are dropped, and the file is neither
         * stamped nor cleaned of vanished posts (a rerun does that). */
        if (index_stop_signal)
            break;
    }
    hold_flush(&held, p);
    records_close(&rd);
    if (z)
        zstream_close(z);
    else
        close(fd);
    free(ctx);
    free(j->file_term);
    j->file_term = NULL;
}

/* An export whose size and mtime are those stamped when it was last
 * written whole: count its posts unchanged.  Returns true if it is. */
static bool
export_unchanged(run_t *r, const job_t *j, const char *size,
                 const char *stamp)
{
    char key[64], want[96];
    char *v = NULL;
    bool same = false;

    stamp_key(j->file_term, key, sizeof key);
    if (xsh_wdb_get_metadata(r->wdb, key, &v, NULL) != XSH_OK)
        return false;
    int n = snprintf(want, sizeof want, "%s %s ", size, stamp);
    if (n > 0 && (size_t)n < sizeof want && strncmp(v, want, (size_t)n) == 0) {
        unsigned long docs = strtoul(v + n, NULL, 10);
        r->stats->unchanged += docs;
        atomic_fetch_add(r->docs, docs);
        same = true;
    }
    free(v);
    return same;
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
        skip_file(r, f->path, "out of memory");
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
        if (!r->opts->full && export_unchanged(r, &j, size, stamp))
            goto done;
        if (f->st.st_size == 0) {
            j.skip = strdup("empty file");
            pipeline_push(p, &j);
        } else {
            stream_export(r, p, &j, fmt);
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

    if (pipeline_start(&pipe, r->cfg, workers, write_finished, r, err,
                       sizeof err) < 0) {
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
        qsort(r->seen, r->n_seen, sizeof *r->seen, cmp_u64);
    xsh_wdb_each_term(r->wdb, prefix, collect_gone, &g);
    for (size_t i = 0; i < g.n; i++) {
        /* A file root's prefix also matches "root.bak"; keep exact. */
        if (!is_dir && strcmp(g.terms[i], prefix) != 0)
            continue;
        if (xsh_wdb_delete(r->wdb, g.terms[i]) == XSH_OK) {
            char key[64];
            stamp_key(g.terms[i], key, sizeof key);
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

    char when[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    xsh_wdb_set_metadata(r.wdb, SCHEMA_META_INDEXED_AT, when, strlen(when));
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
        if (dbdir_compact(opts->db_path, r.real_path, &r.wdb, err,
                          sizeof err) < 0)
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
    stats->seconds = now_seconds() - r.start;
    return rc;
}

