/* index_int.h - what index.c and its neighbours share (indexer-internal)
 *
 * The state of one run (run_t) and, in one section per file, the helpers
 * each file offers the others.  index.c owns the run and the writes of
 * one writer (near.c: collapse keys and stamps; exports.c: an export's
 * posts); shards.c owns a fresh build in shards.  Nothing outside these
 * four files includes this header.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef INDEX_INT_H
#define INDEX_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "config/config.h"
#include "indexer/extract.h"
#include "indexer/index.h"
#include "indexer/document.h"
#include "indexer/job.h"
#include "indexer/pipeline.h"
#include "shim/xsh.h"

typedef struct file_entry {
    char *path;
    struct stat st;
} file_entry_t;

typedef struct file_list {
    file_entry_t *v;
    size_t n, cap;
} file_list_t;

/* One writer's run over one database: the database itself, or a shard. */
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
    atomic_ullong bytes_here;   /* bytes of files looked at or read */
    atomic_ullong *bytes;       /* &bytes_here, or shard 0's */
    atomic_ulong docs_here;     /* documents written or found unchanged */
    atomic_ulong *docs;         /* &docs_here, or shard 0's */
    unsigned long long total_bytes;
    struct export_state {       /* the export whose chunks are written */
        uint64_t *seen;         /* content hashes of its posts, now */
        size_t n_seen, cap_seen;
        size_t n_docs;          /* posts it holds */
        size_t n_records, n_invalid;
        size_t n_passed;        /* posts its layout passes over */
        bool changed;           /* a post was added or updated */
        bool failed;            /* no vanished posts removed, no stamp */
        size_t n_added, n_updated, n_unchanged;    /* its posts, counted:
                                   taken back when it is refused */
    } xp;
    bool spell_later;           /* spelling comes from the terms at the
                                   end (shards.c) */
    bool keys_later;            /* a shard: collapse keys are chosen
                                   after the merge */
    unsigned batch;             /* commit every this many documents;
                                   0: index.batch_size */
    const char *folds;          /* synonym folds its documents get
                                   (config_synonym_folds() text) */
    const char *real_path;      /* the database's resolved path: the
                                   temporary databases go next to it */
    char run_stamp[24];         /* this run's stamp (config/schema.h),
                                   for documents it indexes first */
    double start;
    double last_progress;
    bool progress_shown;
    bool fatal;
} run_t;

/* ------------------------------------------------------------------ */
/* index.c                                                             */

/* Clear the progress line before a message. */
void index_progress_clear(run_t *r);

/* Commit R's pending documents if a batch is full (or FORCE and any are
 * pending).  Returns -1 (R->fatal set, said on stderr) on failure. */
int index_maybe_commit(run_t *r, bool force);

/* Look at FILES in order, written through a pipeline with WORKERS worker
 * threads (0: the calling thread reads, builds and writes).  Returns -1
 * (R->fatal set, said on stderr) if the pipeline could not start. */
int index_write_range(run_t *r, const file_entry_t *files, size_t n,
                      unsigned workers);

/* A search for the collapse key of a document's near-duplicates. */
typedef struct index_near {
    xsh_wdb_t *wdb;             /* where the candidates are */
    uint64_t simhash;
    char *best;                 /* smallest key of a near-duplicate
                                   (caller frees) */
    xsh_docid_t below;          /* if not 0: only documents before it */
} index_near_t;

/* Look in WDB (only at documents before BELOW, if not 0) for
 * near-duplicates of N's SimHash, keeping the smallest key in N->best. */
void index_near_in(index_near_t *n, xsh_wdb_t *wdb, xsh_docid_t below);

/* qsort() and bsearch() order of uint64_t hashes. */
int index_cmp_u64(const void *a, const void *b);

/* xsh_doc_each_word()'s callback: add TERM (LEN bytes) to R's spelling
 * dictionary with FREQ (CTX: the run_t). */
void index_add_spelling(void *ctx, const char *term, size_t len,
                        unsigned freq);

/* Skip the file PATH, counted, with REASON on stderr. */
void index_skip_file(run_t *r, const char *path, const char *reason);

/* Skip the file PATH, counted: "PATH:LINE: WHAT" on stderr when WHY
 * starts with its line, else "PATH: WHAT". */
void index_skip_in_file(run_t *r, const char *path, const char *why);

/* D's warnings about PATH on stderr, one line each. */
void index_warn_file(run_t *r, const char *path, const extract_diag_t *d);

/* ------------------------------------------------------------------ */
/* near.c                                                              */

/* Give D the collapse key of its near-duplicates already in the database
 * (the smallest), or keep its own. */
void index_choose_collapse_key(run_t *r, builtdoc_t *d);

/* Give D its first-indexed stamp: the one of the document it replaces,
 * else this run's.  Called before the file's old documents go. */
void index_stamp_first_indexed(run_t *r, builtdoc_t *d);

/* Give SCHEMA_TERM_GROUP to exactly the documents of WDB (committed)
 * whose collapse key another shares, and commit with SCHEMA_META_GROUPS
 * stamped.  Returns 0, or -1 with the reason in ERR (ERRLEN bytes): the
 * stamp is then stale and searches count as without groups. */
int index_mark_groups(xsh_wdb_t *wdb, char *err, size_t errlen);

/* The same on the database at PATH, opened and closed here (a compacted
 * copy before it takes the database's place). */
int index_mark_groups_at(const char *path, char *err, size_t errlen);

/* Pack the document data of a full build's N databases WDBS (R's and its
 * shards', committed), before they are compacted or merged, and stamp
 * them SCHEMA_VERSION_PACKED in the same commits (xsh_pack_data()).
 * Nothing with --no-pack.  A failure is a warning (the data that is not
 * packed reads as before); too few documents is silent. */
void index_pack(run_t *r, xsh_wdb_t *const *wdbs, size_t n);

/* ------------------------------------------------------------------ */
/* exports.c                                                           */

/* The metadata key under which FILE_TERM's size and mtime are stamped. */
void exports_stamp_key(const char *file_term, char *key, size_t len);

/* Apply one chunk of an export: each post is written unless the stored
 * post under its id term has the same content hash. */
void exports_write_chunk(run_t *r, job_t *j);

/* Queue J's export as chunks of records read here, in the writer: the
 * workers extract and build them, the writer applies them in order. */
void exports_stream(run_t *r, pipeline_t *p, job_t *j, extract_format_t fmt);

/* An export whose size and mtime are those stamped when it was last
 * written whole: count its posts unchanged.  Returns true if it is. */
bool exports_unchanged(run_t *r, const job_t *j, const char *size,
                       const char *stamp);

/* ------------------------------------------------------------------ */
/* shards.c                                                            */

typedef struct shard shard_t;

/* How many shards a fresh build of N_FILES files with JOBS jobs is
 * written in (fewer than 2: one writer). */
unsigned shards_plan(size_t n_files, unsigned jobs);

/* Index FILES (every root's, in order) into R's fresh database and N-1
 * shards, one thread each, and wait for them.  Returns the shards for
 * shards_finish(), or NULL (R->fatal set) if memory ran out. */
shard_t *shards_build(run_t *r, const file_entry_t *files, size_t count,
                      unsigned n);

/* Merge the N-1 shards of SH into R's committed database when MERGE, then
 * print their held-back messages (all of them once merged, else only
 * those of a shard that failed: they say why), count their files, and
 * remove them; frees SH.  Returns -1 if the merge failed. */
int shards_finish(run_t *r, shard_t *sh, unsigned n, bool merge);

/* A run that stopped before adding the spelling of a sharded build's
 * documents (SCHEMA_META_SPELLING_PENDING): add it now, before anything
 * else changes.  Returns -1 (said on stderr) on failure. */
int shards_resume_spelling(run_t *r);

#endif /* INDEX_INT_H */
