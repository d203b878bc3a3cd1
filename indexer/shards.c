/* shards.c - a fresh build in shards, written at once and merged
 *
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
 * rest, after adding the spelling the stop left out) and drops the
 * shards.  Owns the shard threads and their databases; the files of each
 * range are written by index_write_range(), the swap is dbdir's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "config/schema.h"
#include "indexer/dbdir.h"
#include "indexer/index_int.h"

/* Fewer files than this per shard are written by one writer. */
#define SHARD_MIN_FILES 8

struct shard {
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
};

unsigned
shards_plan(size_t n_files, unsigned jobs)
{
    return (unsigned)(n_files / SHARD_MIN_FILES < jobs ?
                      n_files / SHARD_MIN_FILES : jobs);
}

/* Commit R's documents, then add their words to the spelling dictionary
 * from the database's terms (what per-document spelling would have
 * summed) and clear the mark that said they were missing, in a second
 * commit.  Sets R->fatal on failure. */
static void
spell_from_terms(run_t *r)
{
    r->pending++;
    if (index_maybe_commit(r, true) < 0)
        return;
    if (xsh_wdb_spelling_from_terms(r->wdb) != XSH_OK ||
        xsh_wdb_set_metadata(r->wdb, SCHEMA_META_SPELLING_PENDING, "",
                             0) != XSH_OK) {
        index_progress_clear(r);
        diag_error("%s: %s", r->opts->db_path, xsh_wdb_errmsg(r->wdb));
        r->fatal = true;
        return;
    }
    r->pending++;
    index_maybe_commit(r, true);
}

int
shards_resume_spelling(run_t *r)
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

static void *
shard_main(void *arg)
{
    shard_t *s = arg;

    diag_set_stream(s->msgf);
    index_write_range(&s->r, s->files, s->n_files, 0);
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

/* Give the documents of shard S (its threads done, all committed) the
 * collapse keys one writer would have given them (see index.c,
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
        index_near_t n = { NULL, strtoull(sim, NULL, 16), NULL, 0 };
        free(sim);
        index_near_in(&n, r->wdb, 0);
        for (unsigned i = 1; i < s; i++)
            index_near_in(&n, sh[i].r.wdb, 0);
        index_near_in(&n, w, id);
        bool bad = n.best &&
            (xsh_wdb_get_doc_value(w, id, SCHEMA_SLOT_FINGERPRINT, &key,
                                   NULL) != XSH_OK ||
             (strcmp(key, n.best) != 0 &&
              xsh_wdb_set_doc_value(w, id, SCHEMA_SLOT_FINGERPRINT, n.best,
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
 * committed), pack their data with one dictionary (index_pack()), merge
 * them and the database into a compacted copy, and put the copy in the
 * database's place. */
static int
merge_shards(run_t *r, shard_t *sh, unsigned n)
{
    const char *db = r->opts->db_path;
    const char **srcs = calloc(n, sizeof *srcs);
    xsh_wdb_t **wdbs = NULL;
    char *tmp = dbdir_sibling(r->real_path, "compact");
    char *msg = NULL;
    int rc = -1;

    if (!srcs || !tmp) {
        diag_error("out of memory");
        goto out;
    }
    srcs[0] = db;
    for (unsigned i = 1; i < n; i++)
        srcs[i] = sh[i].path;
    dbdir_remove(tmp);
    for (unsigned i = 1; i < n; i++)
        if (fix_collapse_keys(r, sh, i) < 0)
            goto out;
    /* One dictionary for all, so that the merge keeps the one each
     * document was packed with (a key in several sources keeps the
     * first's value). */
    wdbs = calloc(n, sizeof *wdbs);
    if (!wdbs) {
        diag_error("out of memory");
        goto out;
    }
    wdbs[0] = r->wdb;
    for (unsigned i = 1; i < n; i++)
        wdbs[i] = sh[i].r.wdb;
    index_pack(r, wdbs, n);
    for (unsigned i = 1; i < n; i++) {
        xsh_wdb_close(sh[i].r.wdb);
        sh[i].r.wdb = NULL;
    }
    if (xsh_merge(srcs, n, tmp, &msg) != XSH_OK) {
        diag_error("%s: shards not merged: %s", db, msg ? msg : "failed");
        goto out;
    }
    /* Groups span shards: recorded on the merged copy. */
    char why[512];
    if (index_mark_groups_at(tmp, why, sizeof why) < 0)
        diag_warn("%s: collapse groups not recorded: %s", db, why);
    if (dbdir_replace(r->real_path, tmp, &r->wdb) < 0) {
        diag_error("%s: shards not merged: %s", db, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (r->wdb && tmp)
        dbdir_remove(tmp);
    free(msg);
    free(tmp);
    free(srcs);
    free(wdbs);
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
    s->path = dbdir_sibling(r->real_path, what);
    s->msgf = open_memstream(&s->msgs, &s->msgs_len);
    if (!s->path || !s->msgf) {
        diag_error("out of memory");
        return -1;
    }
    dbdir_remove(s->path);
    s->opts = *r->opts;
    s->opts.db_path = s->path;
    s->opts.progress = false;
    s->r = (run_t){ .cfg = r->cfg, .folds = r->folds,
                    .opts = &s->opts, .stats = &s->stats,
                    .done = r->done, .total = r->total, .start = r->start,
                    .bytes = r->bytes, .docs = r->docs,
                    .total_bytes = r->total_bytes,
                    .spell_later = true, .keys_later = true,
                    .batch = shard_batch(r->cfg->batch_size, n) };
    memcpy(s->r.run_stamp, r->run_stamp, sizeof s->r.run_stamp);
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

shard_t *
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
        index_write_range(r, sh[0].files, sh[0].n_files, 0);
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

int
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
            r->stats->files += sh[i].stats.files;
        }
        free(sh[i].msgs);
        if (sh[i].path)
            dbdir_remove(sh[i].path);
        free(sh[i].path);
        free(sh[i].r.seen);
        free(sh[i].r.xp.seen);
    }
    fflush(stderr);
    free(sh);
    return merge && !ok ? -1 : 0;
}
