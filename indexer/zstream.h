/* zstream.h - reading plain, gzip and zstd files as one byte stream
 *
 * A reader that hands out the decompressed bytes of a file in bounded
 * pieces, so an export of any size streams through a fixed buffer and is
 * never unpacked to disk or held whole in memory.  The kind is found from
 * the file's first bytes (gzip 1f 8b, zstd 28 b5 2f fd), not its name, so
 * a misnamed file still reads right; anything else is plain.  gzip goes
 * through zlib (concatenated members are read as one stream, as gzip -d
 * does), zstd through libzstd's streaming API with windows up to 2 GiB
 * (ZSTD_d_windowLogMax 31: the Reddit dumps need it).
 *
 * Compression bombs: the decompressed size is capped (max_output), and so
 * is the ratio of decompressed to compressed bytes once past a grace size
 * (text compresses 3-15:1, a bomb of zeros 1000:1 and more).  Both are
 * checked before bytes beyond them are handed out; the error names the
 * limit.
 *
 * Errors after data: a truncated or corrupt stream is reported only after
 * every byte decoded before the damage has been returned.  zstream_read()
 * returns those bytes first and -1 on the call after.  What the caller
 * should do with them (the contract the indexer follows):
 *   - formats with many records (JSON Lines, NDJSON dumps): keep every
 *     complete record read before the error, drop the incomplete last
 *     one, and name the file with the error as a warning (the run counts
 *     it skipped only when nothing was kept);
 *   - one-document formats (Markdown, text, HTML, one JSON value): drop
 *     the document and name the file with the error; a cut-off article
 *     indexed as if whole would never be looked at again by change
 *     detection.
 * Bytes handed out before a gzip error were decoded from intact deflate
 * blocks, but the member's CRC is only checked at its end, so "complete
 * record" means complete by the record format's own framing.
 *
 * The module never prints or exits; messages are lowercase, without the
 * file name (the caller adds it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef ZSTREAM_H
#define ZSTREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct zstream zstream_t;

typedef enum zstream_kind {
    ZSTREAM_PLAIN = 0,
    ZSTREAM_GZIP,
    ZSTREAM_ZSTD
} zstream_kind_t;

typedef struct zstream_limits {
    uint64_t max_output;    /* decompressed bytes at most; 0: no cap */
    unsigned max_ratio;     /* decompressed / compressed at most; 0: none */
    uint64_t ratio_grace;   /* the ratio is checked past this many bytes */
} zstream_limits_t;

/* 16 GiB, 100:1 past 16 MiB: a month of Reddit comments (NDJSON, zstd -19
 * with a long window) decompresses to about 8-12x, a zstd bomb of zeros to
 * over 30,000x. */
#define ZSTREAM_LIMITS_DEFAULT \
    { (uint64_t)16 << 30, 100, (uint64_t)16 << 20 }

/* Open PATH for reading.  LIM may be NULL (the defaults).  Returns the
 * stream, owned by the caller and freed with zstream_close(), or NULL with
 * a message in ERR (ERRLEN bytes) and errno set. */
zstream_t *zstream_open(const char *path, const zstream_limits_t *lim,
                        char *err, size_t errlen);

/* Open an already open descriptor FD (the stream owns it from now on and
 * closes it, also on failure); as zstream_open(). */
zstream_t *zstream_fdopen(int fd, const zstream_limits_t *lim, char *err,
                          size_t errlen);

/* Read up to CAP decompressed bytes into BUF.  Returns the number read
 * (> 0), 0 at the clean end of the stream, or -1 on an error, whose text
 * zstream_error() gives; an error is sticky.  Bytes decoded before an
 * error are always returned by earlier calls first. */
ssize_t zstream_read(zstream_t *z, void *buf, size_t cap);

/* The next line, without its "\n" (a "\r" before it is kept): *LINE points
 * into the stream's buffer, valid until the next call, and is not
 * NUL-terminated; *LEN is its length.  A last line without "\n" is
 * returned as a line.  A line longer than MAX_LINE bytes is returned in
 * pieces of MAX_LINE with *IS_PARTIAL set (NULL: not asked) so the caller
 * can skip it without buffering it (every piece of such a line, its last
 * included, is marked).  Returns 1 with a line, 0 at the clean
 * end, -1 on an error (zstream_error()); on a truncated stream the
 * incomplete last line is not returned as a line, it is counted in
 * zstream_dropped(). */
int zstream_getline(zstream_t *z, const char **line, size_t *len,
                    size_t max_line, int *is_partial);

/* The last error's text ("truncated gzip stream after 1,234 bytes"), or
 * NULL when there was none; owned by the stream. */
const char *zstream_error(const zstream_t *z);

/* What the stream is. */
zstream_kind_t zstream_kind(const zstream_t *z);
const char *zstream_kind_name(zstream_kind_t k);   /* "plain", "gzip"... */

/* Decompressed bytes handed out so far, and compressed bytes consumed. */
uint64_t zstream_bytes_out(const zstream_t *z);
uint64_t zstream_bytes_in(const zstream_t *z);

/* Bytes of an incomplete last line zstream_getline() dropped on error. */
size_t zstream_dropped(const zstream_t *z);

/* Close the stream and its descriptor; NULL is allowed. */
void zstream_close(zstream_t *z);

/* The name PATH has inside its compression: "a/x.jsonl.zst" -> "x.jsonl"
 * (the last component only, for choosing the format); "a/x.jsonl" ->
 * "x.jsonl".  Returns a pointer into BUF (LEN bytes) or NULL when it
 * does not fit.  Only ".gz" and ".zst" (any case) are stripped. */
const char *zstream_inner_name(const char *path, char *buf, size_t len);

#endif /* ZSTREAM_H */
