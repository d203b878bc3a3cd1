/* exports.c - an export's posts: streamed as chunks, written, pruned
 *
 * Split from index.c (issue 11), moved, not changed: an export (a JSON
 * or JSON Lines file of posts) is read here, in the writer, record by
 * record (records.c), and queued as chunks that the workers extract and
 * build; a compressed one's first chunks are held back until it is known
 * not to be a bomb.  Each chunk is applied in order, a post rewritten
 * only when its content changed, and when the last is written the posts
 * the export no longer holds are removed.
 * Prints through index.c's helpers, like the rest of the run.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "indexer/index_int.h"

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

/* ------------------------------------------------------------------ */
/* Writing the chunks of an export                                     */

void
exports_stamp_key(const char *file_term, char *key, size_t len)
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
                                sizeof h, index_cmp_u64) != NULL;
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
            index_skip_file(r, j->path, xsh_wdb_errmsg(r->wdb));
            return;
        }
        r->stats->added -= x->n_added;
        r->stats->updated -= x->n_updated;
        r->stats->unchanged -= x->n_unchanged;
        r->stats->removed += x->n_updated + x->n_unchanged;
        atomic_fetch_sub(r->docs, x->n_docs);
        if (x->n_docs)
            r->pending++;
        index_skip_in_file(r, j->path, c->end_error);
        index_maybe_commit(r, false);
        return;
    }
    if (c->end_error && x->n_docs) {
        const char *e = c->end_error;
        index_progress_clear(r);
        diag_warn("%s:%s%s; kept %zu whole post%s before it", j->path,
                  *e >= '0' && *e <= '9' ? "" : " ", e, x->n_docs,
                  x->n_docs == 1 ? "" : "s");
    }
    if (x->failed || (j->stop && *j->stop))
        return;
    if (x->n_docs == 0 && !(x->n_records && x->n_passed == x->n_records)) {
        index_skip_in_file(r, j->path, c->end_error ? c->end_error :
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
            qsort(x->seen, x->n_seen, sizeof *x->seen, index_cmp_u64);
        if (xsh_wdb_each_posting(r->wdb, j->file_term, collect_vanished,
                                 &v) != XSH_OK || v.failed) {
            free(v.ids);
            index_skip_file(r, j->path,
                            "old posts not removed: out of memory");
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
    exports_stamp_key(j->file_term, key, sizeof key);
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
void
exports_write_chunk(run_t *r, job_t *j)
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
        index_skip_in_file(r, j->path, c->skips.msgs[i]);
    index_warn_file(r, j->path, &j->warnings);
    x->n_records += j->n_records;
    x->n_invalid += j->n_invalid;
    x->n_passed += j->n_passed;
    if (j->skip) {
        index_skip_file(r, j->path, j->skip);
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
                index_choose_collapse_key(r, d);
            index_stamp_first_indexed(r, d);
            if (xsh_wdb_replace(r->wdb, d->id_term, d->doc, NULL) !=
                XSH_OK) {
                index_progress_clear(r);
                diag_warn("%s: post not indexed: %s", j->path,
                          xsh_wdb_errmsg(r->wdb));
                continue;
            }
            if (!r->spell_later)
                xsh_doc_each_word(d->doc, index_add_spelling, r);
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
            index_skip_file(r, j->path, "out of memory");
            x->failed = true;
        }
        x->n_docs++;
        atomic_fetch_add(r->docs, 1);
        index_maybe_commit(r, false);
    }
    if (c->last)
        finish_export(r, j);
}

/* Posts per chunk of an export, and bytes (a chunk ends after the
 * record that passes it): small enough that every worker gets chunks of
 * one file and a stop is quick, large enough to cost little. */
#define CHUNK_DOCS 64
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
void
exports_stream(run_t *r, pipeline_t *p, job_t *j, extract_format_t fmt)
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
        while (rc >= 0 && c->n < CHUNK_DOCS && c->len < CHUNK_BYTES) {
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
bool
exports_unchanged(run_t *r, const job_t *j, const char *size,
                  const char *stamp)
{
    char key[64], want[96];
    char *v = NULL;
    bool same = false;

    exports_stamp_key(j->file_term, key, sizeof key);
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
