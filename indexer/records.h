/* records.h - an export file as a stream of records (internal)
 *
 * Cuts the bytes of a JSON Lines file into its lines, and those of a JSON
 * file holding an array into the array's elements, one record at a time,
 * through a buffer that never holds more than one record (at most MAX
 * bytes) and one block of input, whatever the size of the file.  A record
 * over MAX bytes is not kept: it is reported with its line and length and
 * the stream goes on after it.  A JSON file that is not an array (one
 * post, or posts under a key) is one record: the whole file, under the
 * same limit.  The bytes come from a read function, so a file descriptor,
 * a decompressing stream (zstream_read()) or a buffer in a test can feed
 * it.  The array scanner only finds where elements end (strings, escapes
 * and nesting); whether an element is valid JSON is the parser's job.
 * Never prints, never exits, knows nothing of posts or the database.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef RECORDS_H
#define RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Read up to CAP bytes into BUF: returns the number read (> 0), 0 at the
 * end, -1 on an error (with a one-line reason in ERR, ERRLEN bytes). */
typedef ssize_t records_read_fn(void *ctx, void *buf, size_t cap, char *err,
                                size_t errlen);

typedef enum records_mode {
    RECORDS_LINES = 0,          /* JSON Lines: one record per line */
    RECORDS_JSON,               /* JSON: array elements, else the whole */
} records_mode_t;

typedef struct record {
    const char *p;              /* the bytes (not NUL-terminated), valid
                                   until the next records_next(); NULL
                                   when the record is too large */
    size_t len;                 /* its length, counted even when too
                                   large */
    unsigned long line;         /* 1-based line where it starts */
    bool whole;                 /* the whole file (a JSON non-array) */
    const char *ctx;            /* the object around a streamed array
                                   (a Telegram chat): its "name", "type"
                                   and "id" as a JSON object, NUL-
                                   terminated; NULL for a top-level
                                   array */
    unsigned ctx_gen;           /* changes when CTX does */
} record_t;

/* How deep the object scanner follows objects and arrays on a path that
 * can lead to posts (records.c). */
#define RECORDS_PATH_MAX 4

typedef struct records {
    records_read_fn *read;
    void *ctx;
    size_t max;                 /* largest record kept */
    records_mode_t mode;
    char *buf;
    size_t cap, start, end;     /* unconsumed bytes: buf[start..end) */
    size_t scan;                /* scanner position, from start */
    bool eof;
    int state;                  /* where in the file (records.c) */
    unsigned long line;         /* line at buf[start + scan] */
    unsigned long rec_line;     /* line where the current record began */
    size_t depth;               /* array scanner: nesting inside an
                                   element */
    bool in_str, esc;
    bool skipping;              /* the current record is too large */
    size_t skipped;             /* its bytes so far */
    uint64_t consumed;          /* bytes of input used up so far */
    char err[160];
    /* A JSON file that starts "window.YTD.NAME.partN = [" (an X archive):
     * NAME ("tweets", "tweet", "account", ...), else "". */
    char ytd[32];
    /* The object scanner (a JSON file that is an object): posts are the
     * elements of the arrays at "messages" or "orderedItems" of the top
     * level, or at "messages" of the elements of "chats.list" and
     * "left_chats.list" (Telegram's full export).  Anything else is
     * skipped; the file is one record when it has none of them. */
    struct records_frame {
        bool is_obj;
        char key[16];           /* the key being read or last read */
        bool key_long;          /* longer than KEY: matches nothing */
    } path[RECORDS_PATH_MAX];
    size_t n_path;
    int os;                     /* what the object scanner expects */
    bool streamed;              /* a posts array was found: the bytes
                                   before it are gone */
    bool in_obj;                /* the element scanner is inside an
                                   object being scanned */
    char capbuf[512];           /* a scalar being captured, raw JSON */
    size_t n_cap;
    bool capturing, cap_long;
    char *cap_which;            /* name, type or id of the container */
    char c_name[520], c_type[520], c_id[520];
    char around[1600];          /* record_t's ctx */
    unsigned around_gen;
    size_t skip_depth;          /* the object scanner skipping a value */
    int lit;                    /* in a number or literal */
} records_t;

/* Start reading records in MODE from READ(CTX, ...), keeping records of
 * at most MAX bytes.  Returns 0, or -1 when out of memory. */
int records_open(records_t *r, records_mode_t mode, records_read_fn *read,
                 void *ctx, size_t max);

/* The next record into *OUT.  Blank lines are not records.  Returns 1
 * with a record (OUT->p NULL when it is over the limit), 0 at the end,
 * -1 on an error (R->err: a read error, JSON that ends inside the array,
 * data after it); records before the error were returned already. */
int records_next(records_t *r, record_t *out);

void records_close(records_t *r);

/* If P (LEN bytes) starts (after white space and a BOM) with an X
 * archive's "window.YTD.NAME.partN =", copy NAME into NAME (NAMELEN
 * bytes) and return the offset after the "=", else return -1. */
long records_ytd_prefix(const char *p, size_t len, char *name,
                        size_t namelen);

/* A read function over a file descriptor (CTX points to the int). */
ssize_t records_read_fd(void *ctx, void *buf, size_t cap, char *err,
                        size_t errlen);

/* A read function over a decompressing stream (CTX is the zstream_t *,
 * zstream.h): the bytes decoded before a truncation or a corrupt block
 * come first, then -1 with zstream's reason, so the records before the
 * damage are kept and the incomplete last one is dropped. */
ssize_t records_read_zstream(void *ctx, void *buf, size_t cap, char *err,
                             size_t errlen);

#endif /* RECORDS_H */
