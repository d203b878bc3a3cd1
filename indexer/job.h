/* job.h - the work on one file that needs no database (internal)
 *
 * A job is one changed (or new) file: read it whole, check it (size limit,
 * binary, empty, UTF-8), extract its articles and build their documents;
 * or one chunk of an export (JSON Lines, a JSON array), whose records the
 * writer has read already (records.h): check, extract and build each
 * post, so the posts of one large export are built by every worker.
 * Jobs run in worker threads, each with its own docbuilder, and touch
 * nothing shared; the writer then applies the finished job to the
 * database in file order, so the database is the same for any number of
 * workers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef JOB_H
#define JOB_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "indexer/document.h"
#include "indexer/extract.h"

/* One record of a chunk: BYTES[off .. off+len) of the chunk. */
typedef struct chunk_rec {
    size_t off, len;
    unsigned long line;         /* where it starts in the file, 1-based */
    size_t ctx;                 /* 1 + its context in the chunk's CTXS,
                                   0 for none */
} chunk_rec_t;

/* A piece of an export: consecutive records, read by the writer. */
typedef struct chunk {
    char *bytes;
    size_t len, cap;
    chunk_rec_t *recs;
    size_t n, cap_recs;
    bool whole;                 /* one record, the whole JSON file (not an
                                   array): extracted as a .json file */
    bool first, last;           /* of its file */
    uint64_t in_bytes;          /* of the file, for progress */
    extract_diag_t skips;       /* records over the limit: "LINE: WHAT" */
    char *end_error;            /* the reader stopped early: "LINE: WHAT" */
    bool refused;               /* ... on a compression bomb: the file's
                                   posts are dropped, it is skipped */
    char **ctxs;                /* the layouts around its records
                                   (extract_ctx_text()), owned */
    size_t n_ctxs;
} chunk_t;

/* Append record P (LEN bytes, from LINE) to C.  0 or -1 (ENOMEM). */
int chunk_add(chunk_t *c, const char *p, size_t len, unsigned long line);
void chunk_free(chunk_t *c);
/* Give the records added from now on the context TEXT (copied).  0 or
 * -1 (ENOMEM). */
int chunk_set_ctx(chunk_t *c, const char *text);

typedef struct job {
    /* Set by the writer before the job runs. */
    const char *path;           /* absolute; borrowed */
    const struct stat *st;      /* from the walk; borrowed */
    char *file_term;            /* owned */
    bool existed;               /* the file has documents in the database */
    char stored_hash[17];       /* their content hash, "" if unknown */
    chunk_t *chunk;             /* owned; NULL: the job is a whole file */
    const volatile sig_atomic_t *stop;  /* a chunk gives up when set */

    /* Set by job_run(). */
    char *skip;                 /* why the file is skipped, or NULL */
    extract_diag_t warnings;
    size_t bad_utf8;            /* invalid UTF-8 sequences repaired */
    bool content_same;          /* content hash equals stored_hash */
    builtdoc_t *docs;
    size_t n_docs;
    size_t n_records, n_invalid;    /* of a chunk: records, and those
                                       that were not JSON */
    size_t n_passed;            /* posts its layout passes over (Telegram
                                   service messages, boosts, empty) */
    bool abandoned;             /* a chunk stopped by *stop: not written */
} job_t;

/* Do the job with builder B; never fails as a whole: problems end up in
 * J->skip and J->warnings. */
void job_run(job_t *j, docbuilder_t *b);
void job_release(job_t *j);

/* Read PATH whole into *BUF (NUL-terminated, caller frees), refusing more
 * than LIMIT bytes and anything that is not a regular file when opened.
 * Returns 0, or -1 with a reason in WHY ("vanished before it could be
 * read", "became a directory before it could be read", ...). */
int job_read_file(const char *path, unsigned long long limit, char **buf,
                  size_t *len, char *why, size_t whylen);

/* As job_read_file(), for a gzip or zstd file (zstream.h): its
 * decompressed bytes, at most LIMIT of them.  A truncated or corrupt
 * stream gives -1 with zstream's reason ("truncated gzip stream after
 * 1,234 bytes; not indexed"): one document cut short is not kept. */
int job_read_compressed(const char *path, unsigned long long limit,
                        char **buf, size_t *len, char *why, size_t whylen);

/* Replace invalid UTF-8 in BUF with U+FFFD.  Returns the number of bad
 * sequences; *OUT is BUF itself when there were none, else a new buffer
 * the caller frees (NULL on allocation failure). */
size_t job_utf8_repair(const char *buf, size_t len, char **out,
                       size_t *out_len);

#endif /* JOB_H */
