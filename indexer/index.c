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
#include <pthread.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


#include <jansson.h>

#include "util/diag.h"
#include "config/schema.h"
#include "indexer/document.h"
#include "indexer/extract.h"
#include "indexer/job.h"
#include "indexer/simhash.h"
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
    unsigned pending;           /* documents changed since the commit */
    file_list_t files;          /* of the root being walked */
    uint64_t *seen;             /* hashes of file terms seen, sorted */
    size_t n_seen, cap_seen;
    atomic_size_t done_here;    /* files looked at */
    atomic_size_t *done;        /* &done_here, or shard 0's */
    size_t total;               /* progress over all roots */
    bool spell_later;           /* spelling comes from the terms at the
                                   end (spell_from_terms) */
    bool keys_later;            /* a shard: collapse keys are chosen
                                   after the merge */
    unsigned batch;             /* commit every this many documents;
                                   0: index.batch_size */
    const char *real_path;      /* the database's resolved path: the
                                   temporary databases go next to it */
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
    size_t done = atomic_load(r->done);
    double rate = el > 0 ? (double)done / el : 0;
    double eta = rate > 0 && r->total > done ?
                 (double)(r->total - done) / rate : 0;
    int width = 30;
    int fill = r->total ? (int)((double)width * (double)done /
                                (double)r->total) : 0;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu files, %.0f files/s, ETA %.0f s",
            fill, "##############################", width - fill, "",
            done, r->total, rate, eta);
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
        /* A recorded root that went away: its files are removed. */
        diag_error("%s: cannot read root: %s", root, strerror(errno));
        r->stats->skipped++;
        return -1;
    }
    qsort(r->files.v, r->files.n, sizeof *r->files.v, cmp_entry);
    r->total += r->files.n;
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

static int
maybe_commit(run_t *r, bool force)
{
    unsigned batch = r->batch ? r->batch : r->cfg->batch_size;
    if (r->pending == 0 || (!force && r->pending < batch))
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

/* ------------------------------------------------------------------ */
/* Near-duplicates: the collapse key                                   */

typedef struct near {
    xsh_wdb_t *wdb;             /* where the candidates are */
    uint64_t simhash;
    char *best;                 /* smallest key of a near-duplicate */
    xsh_docid_t below;          /* if not 0: only documents before it */
} near_t;

static bool
hex_value(xsh_wdb_t *wdb, xsh_docid_t docid, xsh_slot_t slot, char **out)
{
    return xsh_wdb_get_doc_value(wdb, docid, slot, out, NULL) == XSH_OK;
}

static bool
near_candidate(void *ctx, xsh_docid_t docid)
{
    near_t *n = ctx;
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

/* Give D the collapse key of its near-duplicates already in the database
 * (the smallest, so the choice is the same whatever the order of the
 * candidates), or keep its own.  A document that is reindexed and still
 * close to what it was keeps its key, and a key never changes because
 * another copy is deleted: keys are only ever copied, never recomputed. */
static void
choose_collapse_key(run_t *r, builtdoc_t *d)
{
    near_t n = { r->wdb, d->simhash, NULL, 0 };
    char *old_sim = NULL;
    char term[64];

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
        for (int i = 0; i < SIMHASH_BANDS; i++)
            xsh_wdb_each_posting(r->wdb, simhash_band_term(
                SCHEMA_PREFIX_BAND, d->simhash, i, term, sizeof term),
                near_candidate, &n);
    if (n.best)
        xsh_doc_add_value(d->doc, SCHEMA_SLOT_FINGERPRINT, n.best,
                          strlen(n.best));
    free(n.best);
}

/* Apply a finished job to the database, in file order. */
static void
write_job(run_t *r, job_t *j)
{
    if (j->bad_utf8) {
        progress_clear(r);
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
    /* Drop what the file held before: posts may have gone from it. */
    if (j->existed && xsh_wdb_delete(r->wdb, j->file_term) != XSH_OK) {
        skip_file(r, j->path, xsh_wdb_errmsg(r->wdb));
        return;
    }
    size_t n_ok = 0;
    for (size_t i = 0; i < j->n_docs; i++) {
        builtdoc_t *d = &j->docs[i];
        if (xsh_wdb_replace(r->wdb, d->id_term, d->doc, NULL) != XSH_OK) {
            progress_clear(r);
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
        r->stats->unchanged++;
    else if (j->existed)
        r->stats->updated++;
    else
        r->stats->added++;
    if (r->opts->verbosity == INDEX_VERBOSE && !j->content_same) {
        progress_clear(r);
        diag_plain("%s %s", j->existed ? "updated" : "added", j->path);
    }
    maybe_commit(r, false);
}

/* ------------------------------------------------------------------ */
/* The pipeline: the writer hands jobs to workers and writes them back */
/* in order through a bounded window of slots.                         */

typedef struct slot {
    job_t job;
    bool ready;
} slot_t;

typedef struct pipeline {
    run_t *r;
    pthread_mutex_t mu;
    pthread_cond_t work;        /* a job was queued, or closing */
    pthread_cond_t done;        /* a job finished */
    slot_t *slots;
    size_t window;
    size_t n_queued, n_taken, n_written;    /* sequence numbers */
    bool closing;
    pthread_t *threads;
    unsigned n_threads;         /* workers; 0: jobs run in the writer */
    docbuilder_t *builders;     /* one per worker, or one inline */
    unsigned n_builders;
    unsigned next_builder;      /* handed out to starting threads */
} pipeline_t;

static void *
worker_main(void *arg)
{
    pipeline_t *p = arg;
    pthread_mutex_lock(&p->mu);
    docbuilder_t *b = &p->builders[p->next_builder++];
    for (;;) {
        while (p->n_taken == p->n_queued && !p->closing)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->n_taken == p->n_queued)
            break;
        slot_t *s = &p->slots[p->n_taken++ % p->window];
        pthread_mutex_unlock(&p->mu);
        job_run(&s->job, b);
        pthread_mutex_lock(&p->mu);
        s->ready = true;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void
pipeline_stop(pipeline_t *p)
{
    if (p->threads) {
        pthread_mutex_lock(&p->mu);
        p->closing = true;
        pthread_cond_broadcast(&p->work);
        pthread_mutex_unlock(&p->mu);
        for (unsigned i = 0; i < p->n_threads; i++)
            pthread_join(p->threads[i], NULL);
        free(p->threads);
        p->threads = NULL;
    }
    for (unsigned i = 0; i < p->n_builders; i++)
        docbuilder_release(&p->builders[i]);
    free(p->builders);
    for (size_t i = 0; p->slots && i < p->window; i++)
        job_release(&p->slots[i].job);
    free(p->slots);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    memset(p, 0, sizeof *p);
}

static int
pipeline_start(pipeline_t *p, run_t *r, unsigned jobs, char *err,
               size_t errlen)
{
    memset(p, 0, sizeof *p);
    p->r = r;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    p->n_threads = jobs;
    p->n_builders = jobs ? jobs : 1;
    p->window = jobs ? 4 * (size_t)jobs : 1;
    p->slots = calloc(p->window, sizeof *p->slots);
    p->builders = calloc(p->n_builders, sizeof *p->builders);
    if (!p->slots || !p->builders) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    for (unsigned i = 0; i < p->n_builders; i++) {
        if (docbuilder_init(&p->builders[i], r->cfg, err, errlen) < 0) {
            p->n_builders = i;
            goto fail;
        }
    }
    if (p->n_threads) {
        p->threads = calloc(p->n_threads, sizeof *p->threads);
        if (!p->threads) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        for (unsigned i = 0; i < p->n_threads; i++) {
            if (pthread_create(&p->threads[i], NULL, worker_main, p) != 0) {
                snprintf(err, errlen, "cannot start worker thread");
                p->n_threads = i;
                goto fail;
            }
        }
    }
    return 0;
fail:
    pipeline_stop(p);
    return -1;
}

/* Write the oldest job, waiting for it to finish. */
static void
pipeline_write_one(pipeline_t *p)
{
    slot_t *s = &p->slots[p->n_written % p->window];
    pthread_mutex_lock(&p->mu);
    while (!s->ready)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
    write_job(p->r, &s->job);
    job_release(&s->job);
    atomic_fetch_add(p->r->done, 1);
    progress_update(p->r, false);
    pthread_mutex_lock(&p->mu);
    s->ready = false;
    p->n_written++;
    pthread_mutex_unlock(&p->mu);
}

static void
pipeline_drain(pipeline_t *p)
{
    while (p->n_written < p->n_queued)
        pipeline_write_one(p);
}

/* Queue job J (moved into the pipeline). */
static void
pipeline_push(pipeline_t *p, job_t *j)
{
    if (p->n_queued - p->n_written == p->window)
        pipeline_write_one(p);
    slot_t *s = &p->slots[p->n_queued % p->window];
    pthread_mutex_lock(&p->mu);
    s->job = *j;
    s->ready = false;
    p->n_queued++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    memset(j, 0, sizeof *j);
    if (p->n_threads == 0) {
        job_run(&s->job, &p->builders[0]);
        p->n_taken++;
        s->ready = true;
        pipeline_write_one(p);
    }
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
    bool same_size = j.existed && strcmp(have, size) == 0;
    if (same_size && !r->opts->full) {
        stored_value(r, j.file_term, SCHEMA_SLOT_MTIME, have, sizeof have);
        if (strcmp(have, stamp) == 0) {
            r->stats->unchanged++;
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
    progress_update(r, false);
    job_release(&j);
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

/* The roots recorded in the database, one per line. */
static int
recorded_roots(run_t *r, strv_t *out)
{
    char *v = NULL;
    if (xsh_wdb_get_metadata(r->wdb, SCHEMA_META_ROOTS, &v, NULL) != XSH_OK)
        return -1;
    char *save = NULL;
    for (char *line = strtok_r(v, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        if (*line && strv_push_unique(out, line) < 0) {
            free(v);
            return -1;
        }
    free(v);
    return 0;
}

static int
record_roots(run_t *r, const strv_t *roots)
{
    sbuf_t b = SBUF_INIT;
    for (size_t i = 0; i < roots->n; i++)
        if (sbuf_adds(&b, roots->v[i]) < 0 || sbuf_addc(&b, '\n') < 0) {
            sbuf_release(&b);
            return -1;
        }
    xsh_status_t st = xsh_wdb_set_metadata(r->wdb, SCHEMA_META_ROOTS,
                                           b.p, b.len);
    sbuf_release(&b);
    return st == XSH_OK ? 0 : -1;
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
        /* An older layout is rebuilt from the files; a newer one is left
         * alone for the dossier that wrote it. */
        if (atoi(v) < atoi(SCHEMA_VERSION))
            diag_error("%s: database schema version '%s' is older than "
                       "this dossier-index's (%s): delete the database and "
                       "index again with dossier-index", r->opts->db_path, v,
                       SCHEMA_VERSION);
        else
            diag_error("%s: database schema version '%s' is not supported "
                       "by this dossier-index (it writes version %s)",
                       r->opts->db_path, v, SCHEMA_VERSION);
        free(v);
        return -1;
    }
    free(v);
    return 0;
}

static bool is_xapian_file(const char *name);

/* "DIR/NAME", malloc'd (NULL if memory runs out). */
static char *
join_path(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s/%s", dir, name);
    return p;
}

/* Remove directory PATH and the Xapian files in it (a Xapian database has
 * no subdirectories); a directory holding anything else stays. */
static void
remove_db_dir(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    if (d) {
        while ((e = readdir(d))) {
            if (!is_xapian_file(e->d_name))
                continue;
            char *p = join_path(path, e->d_name);
            if (p)
                unlink(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(path);
}

/* Put the new database at TMP in the place of DB, whose write lock *WDB
 * still holds, so no other indexer can write to the database being
 * replaced.  TMP takes DB's place in one step (renameat2 RENAME_EXCHANGE):
 * a reader opening the path sees either database, never nothing; readers
 * that have the old one open keep reading its (unlinked) files.  File
 * systems without the exchange get two renames.  On success *WDB is
 * closed (it has nothing left to commit) and the old files are removed;
 * on failure (errno set) nothing has changed. */
static int
replace_database(const char *db, const char *tmp, xsh_wdb_t **wdb)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, db, RENAME_EXCHANGE) == 0) {
        xsh_wdb_close(*wdb);
        *wdb = NULL;
        remove_db_dir(tmp);         /* now the database as written */
        return 0;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return -1;
    size_t len = strlen(db) + 32;
    char *old = malloc(len);
    if (!old)
        return -1;
    snprintf(old, len, "%s.old-%ld", db, (long)getpid());
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
    remove_db_dir(old);
    free(old);
    return 0;
}

/* The name of a temporary database next to DB: "DB.WHAT-PID" (malloc'd). */
static char *
sibling_path(const char *db, const char *what)
{
    size_t len = strlen(db) + strlen(what) + 32;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s.%s-%ld", db, what, (long)getpid());
    return p;
}

/* After a full build, replace the database by a compacted copy: smaller,
 * and faster to search.  The caller still holds the write lock in *WDB.
 * Failure is a warning: the database as written is still whole. */
static void
compact_database(const char *db, const char *real, xsh_wdb_t **wdb)
{
    char *tmp = sibling_path(real, "compact");
    char *msg = NULL;

    if (!tmp)
        return;
    remove_db_dir(tmp);
    if (xsh_compact(db, tmp, &msg) != XSH_OK)
        diag_warn("%s: not compacted: %s", db, msg ? msg : "failed");
    else if (replace_database(real, tmp, wdb) < 0)
        diag_warn("%s: not compacted: %s", db, strerror(errno));
    if (*wdb)
        remove_db_dir(tmp);
    free(msg);
    free(tmp);
}

/* ------------------------------------------------------------------ */
/* A fresh build in shards                                             */
/*
 * A fresh build with several jobs is written as that many databases at
 * once, each by its own thread over a contiguous range of the files (cut
 * so that each range holds about as many bytes).  The first range goes
 * into the database itself, with its commits, messages and progress as in
 * any run; the others go into temporary shards next to it, without
 * per-document spelling or collapse keys, their messages held back.  At
 * the end the database and the shards are merged into one compacted copy
 * (which a full build makes anyway); the shards' documents get the
 * collapse keys one writer would have given them, their messages are
 * printed, and the copy takes the database's place.  A run that is
 * stopped or fails keeps the first range's commits (a rerun indexes the
 * rest) and drops the shards.
 */

/* Commit R's documents, then add their words to the spelling dictionary
 * from the database's terms (what per-document spelling would have
 * summed) and clear the mark that said they were missing, in a second
 * commit.  Sets R->fatal on failure. */
static void
spell_from_terms(run_t *r)
{
    r->pending++;
    if (maybe_commit(r, true) < 0)
        return;
    if (xsh_wdb_spelling_from_terms(r->wdb) != XSH_OK ||
        xsh_wdb_set_metadata(r->wdb, SCHEMA_META_SPELLING_PENDING, "",
                             0) != XSH_OK) {
        progress_clear(r);
        diag_error("%s: %s", r->opts->db_path, xsh_wdb_errmsg(r->wdb));
        r->fatal = true;
        return;
    }
    r->pending++;
    maybe_commit(r, true);
}

/* Fewer files than this per shard are written by one writer. */
#define SHARD_MIN_FILES 8

typedef struct shard {
    run_t r;
    index_stats_t stats;
    index_opts_t opts;
    char *path;                 /* NULL for the first: the database */
    const file_entry_t *files;  /* its range */
    size_t n_files;
    char *msgs;                 /* its messages, held back */
    size_t msgs_len;
    FILE *msgf;
    pthread_t thread;
    bool started;
} shard_t;

/* Look at FILES in order, written through a pipeline with WORKERS worker
 * threads (0: the calling thread reads, builds and writes).  Returns -1
 * (R->fatal set, said on stderr) if the pipeline could not start. */
static int
write_range(run_t *r, const file_entry_t *files, size_t n, unsigned workers)
{
    pipeline_t pipe;
    char err[256];

    if (pipeline_start(&pipe, r, workers, err, sizeof err) < 0) {
        diag_error("%s", err);
        r->fatal = true;
        return -1;
    }
    for (size_t k = 0; k < n && !index_stop_signal && !r->fatal; k++)
        consider_file(r, &pipe, &files[k]);
    pipeline_drain(&pipe);
    pipeline_stop(&pipe);
    return 0;
}

static void *
shard_main(void *arg)
{
    shard_t *s = arg;

    diag_set_stream(s->msgf);
    write_range(&s->r, s->files, s->n_files, 0);
    if (!s->r.fatal && !index_stop_signal)
        spell_from_terms(&s->r);
    diag_set_stream(NULL);
    return NULL;
}

/* Cut FILES into N ranges of about equal bytes. */
static void
cut_ranges(shard_t *sh, unsigned n, const file_entry_t *files, size_t count)
{
    unsigned long long total = 0, sum = 0;
    size_t k = 0;

    for (size_t i = 0; i < count; i++)
        total += (unsigned long long)files[i].st.st_size + 1;
    for (unsigned i = 0; i < n; i++) {
        unsigned long long goal = total * (i + 1) / n;
        sh[i].files = files + k;
        while (k < count && (i + 1 == n || sum < goal))
            sum += (unsigned long long)files[k++].st.st_size + 1;
        sh[i].n_files = (size_t)(files + k - sh[i].files);
    }
}

/* Look in WDB (only at documents before BELOW, if not 0) for
 * near-duplicates of N's SimHash. */
static void
near_in(near_t *n, xsh_wdb_t *wdb, xsh_docid_t below)
{
    char term[64];

    n->wdb = wdb;
    n->below = below;
    for (int i = 0; i < SIMHASH_BANDS; i++)
        xsh_wdb_each_posting(wdb, simhash_band_term(SCHEMA_PREFIX_BAND,
                             n->simhash, i, term, sizeof term),
                             near_candidate, n);
}

/* Give the documents of shard S (its threads done, all committed) the
 * collapse keys one writer would have given them (see
 * choose_collapse_key): the smallest key of a near-duplicate before it in
 * file order, which is in the database, in an earlier shard (whose keys
 * are final already), or earlier in S.  Done before the merge, so that the
 * compacted copy is never written to again. */
static int
fix_collapse_keys(run_t *r, shard_t *sh, unsigned s)
{
    xsh_wdb_t *w = sh[s].r.wdb;
    unsigned count = 0, seen = 0;

    if (xsh_wdb_doccount(w, &count) != XSH_OK)
        goto fail;
    for (xsh_docid_t id = 1; seen < count && id != 0; id++) {
        char *sim = NULL, *key = NULL;
        xsh_status_t st = xsh_wdb_get_doc_value(w, id, SCHEMA_SLOT_SIMHASH,
                                                &sim, NULL);
        if (st == XSH_NOT_FOUND)
            continue;           /* a gap in the ids */
        if (st != XSH_OK)
            goto fail;
        seen++;
        if (!*sim) {
            free(sim);
            continue;
        }
        near_t n = { NULL, strtoull(sim, NULL, 16), NULL, 0 };
        free(sim);
        near_in(&n, r->wdb, 0);
        for (unsigned i = 1; i < s; i++)
            near_in(&n, sh[i].r.wdb, 0);
        near_in(&n, w, id);
        bool bad = n.best && (!hex_value(w, id, SCHEMA_SLOT_FINGERPRINT,
                                         &key) ||
                              (strcmp(key, n.best) != 0 &&
                               xsh_wdb_set_doc_value(w, id,
                                   SCHEMA_SLOT_FINGERPRINT, n.best,
                                   strlen(n.best)) != XSH_OK));
        free(key);
        free(n.best);
        if (bad)
            goto fail;
    }
    if (xsh_wdb_commit(w) == XSH_OK)
        return 0;
fail:
    diag_error("%s: %s", sh[s].path, xsh_wdb_errmsg(w));
    return -1;
}

/* Fix the collapse keys of the N-1 shards after R's database (all
 * committed), merge them and the database into a compacted copy, and put
 * the copy in the database's place. */
static int
merge_shards(run_t *r, shard_t *sh, unsigned n)
{
    const char *db = r->opts->db_path;
    const char **srcs = calloc(n, sizeof *srcs);
    char *tmp = sibling_path(r->real_path, "compact");
    char *msg = NULL;
    int rc = -1;

    if (!srcs || !tmp) {
        diag_error("out of memory");
        goto out;
    }
    srcs[0] = db;
    for (unsigned i = 1; i < n; i++)
        srcs[i] = sh[i].path;
    remove_db_dir(tmp);
    for (unsigned i = 1; i < n; i++)
        if (fix_collapse_keys(r, sh, i) < 0)
            goto out;
    for (unsigned i = 1; i < n; i++) {
        xsh_wdb_close(sh[i].r.wdb);
        sh[i].r.wdb = NULL;
    }
    if (xsh_merge(srcs, n, tmp, &msg) != XSH_OK) {
        diag_error("%s: shards not merged: %s", db, msg ? msg : "failed");
        goto out;
    }
    if (replace_database(r->real_path, tmp, &r->wdb) < 0) {
        diag_error("%s: shards not merged: %s", db, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (r->wdb && tmp)
        remove_db_dir(tmp);
    free(msg);
    free(tmp);
    free(srcs);
    return rc;
}

/* How often each of the N-1 temporary shards commits: together they
 * hold about one index.batch_size of documents in memory, as the database
 * itself does, whatever N is (but commits of fewer than 100 documents
 * cost more than they save). */
static unsigned
shard_batch(unsigned batch_size, unsigned n)
{
    unsigned b = n > 1 ? batch_size / (n - 1) : batch_size;
    return b < 100 ? (batch_size < 100 ? batch_size : 100) : b;
}

/* Open shard I of N's database and start its thread. */
static int
shard_start(run_t *r, shard_t *s, unsigned i, unsigned n)
{
    char what[32], *msg = NULL;

    snprintf(what, sizeof what, "shard%u", i);
    s->path = sibling_path(r->real_path, what);
    s->msgf = open_memstream(&s->msgs, &s->msgs_len);
    if (!s->path || !s->msgf) {
        diag_error("out of memory");
        return -1;
    }
    remove_db_dir(s->path);
    s->opts = *r->opts;
    s->opts.db_path = s->path;
    s->opts.progress = false;
    s->r = (run_t){ .cfg = r->cfg, .opts = &s->opts, .stats = &s->stats,
                    .done = r->done, .total = r->total, .start = r->start,
                    .spell_later = true, .keys_later = true,
                    .batch = shard_batch(r->cfg->batch_size, n) };
    /* No fsync: a shard that does not make it to the merge is dropped. */
    if (xsh_wdb_open(s->path, XSH_WDB_CREATE | XSH_WDB_NO_SYNC, &s->r.wdb,
                     &msg) != XSH_OK) {
        diag_error("%s: cannot create shard: %s", s->path,
                   msg ? msg : "failed");
        free(msg);
        return -1;
    }
    if (pthread_create(&s->thread, NULL, shard_main, s) != 0) {
        diag_error("cannot start shard thread");
        return -1;
    }
    s->started = true;
    return 0;
}

/* Index FILES (every root's, in order) into R's fresh database and N-1
 * shards, one thread each, and wait for them.  Returns the shards for
 * shards_finish(), or NULL (R->fatal set) if memory ran out. */
static shard_t *
shards_build(run_t *r, const file_entry_t *files, size_t count, unsigned n)
{
    shard_t *sh = calloc(n, sizeof *sh);
    bool failed = false;

    if (!sh) {
        diag_error("out of memory");
        r->fatal = true;
        return NULL;
    }
    cut_ranges(sh, n, files, count);
    for (unsigned i = 1; i < n && !failed; i++)
        failed = shard_start(r, &sh[i], i, n) < 0;
    /* The database's own range: its spelling too comes from its terms,
     * once, while the shards finish (the mark says so until then). */
    if (!failed && xsh_wdb_set_metadata(r->wdb, SCHEMA_META_SPELLING_PENDING,
                                        "1", 1) != XSH_OK) {
        diag_error("%s: %s", r->opts->db_path, xsh_wdb_errmsg(r->wdb));
        failed = true;
    }
    if (!failed) {
        r->spell_later = true;
        write_range(r, sh[0].files, sh[0].n_files, 0);
        if (!r->fatal)
            spell_from_terms(r);
    }
    for (unsigned i = 1; i < n; i++) {
        if (sh[i].started)
            pthread_join(sh[i].thread, NULL);
        if (sh[i].msgf)
            fclose(sh[i].msgf);
        sh[i].msgf = NULL;
        failed = failed || sh[i].r.fatal;
    }
    if (failed)
        r->fatal = true;
    return sh;
}

/* Merge the N-1 shards of SH into R's committed database when MERGE, then
 * print their held-back messages (all of them once merged, else only
 * those of a shard that failed: they say why), count their files, and
 * remove them.  Returns -1 if the merge failed. */
static int
shards_finish(run_t *r, shard_t *sh, unsigned n, bool merge)
{
    bool ok = merge && merge_shards(r, sh, n) == 0;

    for (unsigned i = 1; i < n; i++) {
        xsh_wdb_close(sh[i].r.wdb);     /* if the merge did not happen */
        if ((ok || sh[i].r.fatal) && sh[i].msgs)
            fwrite(sh[i].msgs, 1, sh[i].msgs_len, stderr);
        if (ok) {
            r->stats->added += sh[i].stats.added;
            r->stats->updated += sh[i].stats.updated;
            r->stats->unchanged += sh[i].stats.unchanged;
            r->stats->skipped += sh[i].stats.skipped;
        }
        free(sh[i].msgs);
        if (sh[i].path)
            remove_db_dir(sh[i].path);
        free(sh[i].path);
        free(sh[i].r.seen);
    }
    fflush(stderr);
    free(sh);
    return merge && !ok ? -1 : 0;
}

/* Is NAME one of the temporary databases sibling_path() makes for a
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

/* Remove the temporary databases a killed run left next to DB (the caller
 * holds DB's write lock, so no run is using them). */
static void
remove_leftovers(const char *db)
{
    char *copy = strdup(db), *copy2 = strdup(db);
    DIR *d = NULL;
    struct dirent *e;

    if (!copy || !copy2)
        goto out;
    const char *dir = dirname(copy), *base = basename(copy2);
    if (!(d = opendir(dir)))
        goto out;
    while ((e = readdir(d))) {
        if (!is_leftover(e->d_name, base))
            continue;
        char *p = join_path(dir, e->d_name);
        if (p)
            remove_db_dir(p);
        free(p);
    }
    closedir(d);
out:
    free(copy);
    free(copy2);
}

/* A run that stopped before adding the spelling of a sharded build's
 * documents (SCHEMA_META_SPELLING_PENDING): add it now, before anything
 * else changes. */
static int
finish_spelling(run_t *r)
{
    char *v = NULL;

    if (xsh_wdb_get_metadata(r->wdb, SCHEMA_META_SPELLING_PENDING, &v,
                             NULL) != XSH_OK) {
        diag_error("%s: %s", r->opts->db_path, xsh_wdb_errmsg(r->wdb));
        return -1;
    }
    bool pending = strcmp(v, "1") == 0;
    free(v);
    if (pending)
        spell_from_terms(r);
    return r->fatal ? -1 : 0;
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
            char *p = join_path(path, e->d_name);
            if (p)
                unlink(p);
            free(p);
        }
    }
    closedir(d);
    if (glass)
        return XSH_WDB_OPEN;
    return foreign ? -1 : XSH_WDB_CREATE_OR_OPEN;
}

int
index_run(const config_t *cfg, const index_opts_t *opts_in,
          index_stats_t *stats)
{
    /* The database path without trailing slashes: the temporary
     * databases are named after it, next to it (sibling_path). */
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
    strv_t roots = STRV_INIT, walk = STRV_INIT;
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
        int e = strv_push_unique(&walk, real);
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
    /* Resolved now that it exists: "-d ." names a database too. */
    real_path = realpath(opts->db_path, NULL);
    r.real_path = real_path ? real_path : opts->db_path;
    remove_leftovers(r.real_path);
    if (finish_spelling(&r) < 0)
        goto out;
    unsigned count_at_start = 0;
    xsh_wdb_doccount(r.wdb, &count_at_start);
    bool full_build = count_at_start == 0 || opts->full;
    if (recorded_roots(&r, &roots) < 0)
        goto dberr;
    if (opts->n_roots == 0) {
        for (size_t i = 0; i < roots.n; i++)
            if (strv_push_unique(&walk, roots.v[i]) < 0)
                goto nomem;
        for (size_t i = 0; walk.n == 0 && i < cfg->roots.n; i++) {
            char *real = realpath(cfg->roots.v[i], NULL);
            if (!real) {
                diag_error("index.roots: %s: cannot index: %s",
                           cfg->roots.v[i], strerror(errno));
                goto out;
            }
            int e = strv_push_unique(&walk, real);
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
        if (strv_push_unique(&roots, walk.v[i]) < 0)
            goto nomem;
    if (record_roots(&r, &roots) < 0 || write_synonyms(&r) < 0)
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
        n_shards = (unsigned)(all.n / SHARD_MIN_FILES < jobs ?
                              all.n / SHARD_MIN_FILES : jobs);
        if (n_shards > 1) {
            shards = shards_build(&r, all.v, all.n, n_shards);
        } else if (write_range(&r, all.v, all.n, jobs) < 0) {
            rc = INDEX_EXIT_FATAL;
            goto out;
        }
    } else {
        for (size_t i = 0; i < walk.n && !index_stop_signal && !r.fatal;
             i++) {
            struct stat rst;
            if (walk_one(&r, walk.v[i], &rst) < 0)
                continue;
            if (write_range(&r, r.files.v, r.files.n, jobs) < 0) {
                rc = INDEX_EXIT_FATAL;
                goto out;
            }
            if (!index_stop_signal && !r.fatal)
                remove_vanished(&r, walk.v[i], S_ISDIR(rst.st_mode));
        }
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
        stats->added + stats->updated > 0)
        compact_database(opts->db_path, r.real_path, &r.wdb);
    xsh_wdb_close(r.wdb);
    files_clear(&r.files);
    free(r.files.v);
    files_clear(&all);
    free(all.v);
    free(r.seen);
    strv_release(&roots);
    strv_release(&walk);
    free(db_path);
    free(real_path);
    stats->seconds = now_seconds() - r.start;
    return rc;
}

