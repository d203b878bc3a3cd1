/* records.c - an export file as a stream of records
 *
 * One buffer, refilled a block at a time; consumed bytes are dropped from
 * its front before each refill, so it holds at most one record and one
 * block.  The JSON array scanner is a small state machine (in a string,
 * after a backslash, nesting depth) that survives refills, so an element
 * split across blocks, or too large to keep, is followed to its end
 * without being held.  See records.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "indexer/records.h"
#include "indexer/zstream.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK (64 * 1024)

enum {
    ST_START = 0,               /* before the first byte */
    ST_LINES,                   /* JSON Lines */
    ST_WAIT,                    /* array: before an element */
    ST_ELEM,                    /* array: inside an element */
    ST_AFTER,                   /* array: after its "]" */
    ST_WHOLE,                   /* a JSON non-array: the whole file */
    ST_DONE
};

ssize_t
records_read_fd(void *ctx, void *buf, size_t cap, char *err, size_t errlen)
{
    int fd = *(int *)ctx;
    for (;;) {
        ssize_t k = read(fd, buf, cap);
        if (k >= 0)
            return k;
        if (errno != EINTR) {
            snprintf(err, errlen, "%s", strerror(errno));
            return -1;
        }
    }
}

int
records_open(records_t *r, records_mode_t mode, records_read_fn *read,
             void *ctx, size_t max)
{
    memset(r, 0, sizeof *r);
    r->read = read;
    r->ctx = ctx;
    r->max = max;
    r->mode = mode;
    r->line = 1;
    r->cap = 2 * BLOCK;
    r->buf = malloc(r->cap);
    return r->buf ? 0 : -1;
}

void
records_close(records_t *r)
{
    free(r->buf);
    r->buf = NULL;
}

static void
consume(records_t *r, size_t n)
{
    r->start += n;
    r->consumed += n;
}

/* Read one more block after the unconsumed bytes.  Returns 1, 0 at the
 * end, -1 on an error (R->err set, R done). */
static int
fill(records_t *r)
{
    if (r->eof)
        return 0;
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->cap - r->end < BLOCK) {
        size_t cap = r->end + BLOCK;
        char *b = realloc(r->buf, cap);
        if (!b) {
            snprintf(r->err, sizeof r->err, "out of memory");
            r->state = ST_DONE;
            return -1;
        }
        r->buf = b;
        r->cap = cap;
    }
    ssize_t k = r->read(r->ctx, r->buf + r->end, r->cap - r->end, r->err,
                        sizeof r->err);
    if (k < 0) {
        r->state = ST_DONE;
        return -1;
    }
    if (k == 0) {
        r->eof = true;
        return 0;
    }
    r->end += (size_t)k;
    return 1;
}

static bool
is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool
blank(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_ws(p[i]))
            return false;
    return true;
}

static int
fail(records_t *r, const char *what)
{
    snprintf(r->err, sizeof r->err, "%s", what);
    r->state = ST_DONE;
    return -1;
}

/* The record that was too large, as the caller sees it. */
static int
too_large(records_t *r, record_t *out, size_t tail)
{
    out->p = NULL;
    out->len = r->skipped + tail;
    out->line = r->rec_line;
    r->skipping = false;
    r->skipped = 0;
    return 1;
}

/* ------------------------------------------------------------------ */
/* JSON Lines                                                          */

static int
next_line(records_t *r, record_t *out)
{
    for (;;) {
        size_t avail = r->end - r->start;
        char *base = r->buf + r->start;
        char *nl = r->scan < avail ?
                   memchr(base + r->scan, '\n', avail - r->scan) : NULL;
        if (nl) {
            size_t len = (size_t)(nl - base);
            unsigned long line = r->line++;
            r->scan = 0;
            consume(r, len + 1);
            if (r->skipping)
                return too_large(r, out, len);
            if (blank(base, len))
                continue;
            if (len > r->max) {
                r->rec_line = line;
                return too_large(r, out, len);
            }
            *out = (record_t){ base, len, line, false };
            return 1;
        }
        if (r->skipping) {
            r->skipped += avail;
            consume(r, avail);
            r->scan = 0;
        } else if (avail > r->max) {
            r->skipping = true;
            r->rec_line = r->line;
            r->skipped = avail;
            consume(r, avail);
            r->scan = 0;
        } else {
            r->scan = avail;
        }
        int f = fill(r);
        if (f < 0)
            return -1;
        if (f > 0)
            continue;
        /* The end: a last line without its newline. */
        r->state = ST_DONE;
        avail = r->end - r->start;
        base = r->buf + r->start;
        consume(r, avail);
        if (r->skipping)
            return too_large(r, out, avail);
        if (avail == 0 || blank(base, avail))
            return 0;
        *out = (record_t){ base, avail, r->line, false };
        return 1;
    }
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

/* Look at the first byte that is not white space: "[" starts the
 * array's elements, anything else makes the file one record. */
static int
start_json(records_t *r)
{
    size_t i = 0;
    unsigned long lines = 0;
    for (;;) {
        while (r->start + i < r->end && is_ws(r->buf[r->start + i])) {
            if (r->buf[r->start + i] == '\n')
                lines++;
            i++;
        }
        if (r->start + i < r->end)
            break;
        int f = fill(r);
        if (f < 0)
            return -1;
        if (f == 0)
            break;
    }
    if (r->start + i < r->end && r->buf[r->start + i] == '[') {
        consume(r, i + 1);
        r->line += lines;
        r->state = ST_WAIT;
    } else {
        r->state = ST_WHOLE;
    }
    return 0;
}

static int
next_whole(records_t *r, record_t *out)
{
    for (;;) {
        size_t avail = r->end - r->start;
        if (!r->skipping && avail > r->max) {
            r->skipping = true;
            r->rec_line = 1;
        }
        if (r->skipping) {
            r->skipped += avail;
            consume(r, avail);
        }
        int f = fill(r);
        if (f < 0)
            return -1;
        if (f > 0)
            continue;
        r->state = ST_DONE;
        if (r->skipping) {
            too_large(r, out, 0);
            out->whole = true;
            return 1;
        }
        avail = r->end - r->start;
        *out = (record_t){ r->buf + r->start, avail, 1, true };
        consume(r, avail);
        return 1;
    }
}

/* Scan the element from R->scan on; returns the terminator's offset from
 * R->start, or (size_t)-1 when it is not in the buffer yet. */
static size_t
scan_element(records_t *r)
{
    const char *b = r->buf + r->start;
    size_t n = r->end - r->start;
    for (size_t i = r->scan; i < n; i++) {
        char c = b[i];
        if (c == '\n')
            r->line++;
        if (r->in_str) {
            if (r->esc)
                r->esc = false;
            else if (c == '\\')
                r->esc = true;
            else if (c == '"')
                r->in_str = false;
        } else if (c == '"') {
            r->in_str = true;
        } else if (c == '[' || c == '{') {
            r->depth++;
        } else if (c == ']' || c == '}') {
            if (r->depth == 0)
                return i;
            r->depth--;
        } else if (c == ',' && r->depth == 0) {
            return i;
        }
    }
    r->scan = n;
    return (size_t)-1;
}

static int
next_element(records_t *r, record_t *out)
{
    char msg[96];
    for (;;) {
        if (r->state == ST_AFTER) {
            while (r->start < r->end && is_ws(r->buf[r->start])) {
                if (r->buf[r->start] == '\n')
                    r->line++;
                consume(r, 1);
            }
            if (r->start < r->end) {
                snprintf(msg, sizeof msg, "%lu: data after the end of the "
                         "array", r->line);
                return fail(r, msg);
            }
        } else if (r->state == ST_WAIT) {
            while (r->start < r->end && is_ws(r->buf[r->start])) {
                if (r->buf[r->start] == '\n')
                    r->line++;
                consume(r, 1);
            }
            if (r->start < r->end) {
                char c = r->buf[r->start];
                if (c == ']') {
                    consume(r, 1);
                    r->state = ST_AFTER;
                    continue;
                }
                r->rec_line = r->line;
                if (c == ',') {
                    /* An empty element: the parser names it. */
                    consume(r, 1);
                    *out = (record_t){ r->buf + r->start - 1, 0,
                                       r->rec_line, false };
                    return 1;
                }
                r->state = ST_ELEM;
                r->scan = 0;
                r->depth = 0;
                r->in_str = r->esc = false;
                continue;
            }
        } else {
            size_t t = scan_element(r);
            if (t != (size_t)-1) {
                const char *p = r->buf + r->start;
                char c = p[t];
                size_t len = t;
                while (len && is_ws(p[len - 1]))
                    len--;
                consume(r, t + 1);
                r->scan = 0;
                r->state = c == ',' ? ST_WAIT : ST_AFTER;
                if (r->skipping)
                    return too_large(r, out, len);
                if (len > r->max)
                    return too_large(r, out, len);
                *out = (record_t){ p, len, r->rec_line, false };
                return 1;
            }
            size_t held = r->end - r->start;
            if (r->skipping || held > r->max) {
                r->skipping = true;
                r->skipped += held;
                consume(r, held);
                r->scan = 0;
            }
        }
        int f = fill(r);
        if (f < 0)
            return -1;
        if (f == 0) {
            if (r->state == ST_AFTER) {
                r->state = ST_DONE;
                return 0;
            }
            snprintf(msg, sizeof msg, "%lu: unexpected end of file inside "
                     "the array", r->line);
            return fail(r, msg);
        }
    }
}

int
records_next(records_t *r, record_t *out)
{
    memset(out, 0, sizeof *out);
    if (r->state == ST_START) {
        /* A byte order mark is not part of the first record. */
        while (r->end - r->start < 3 && !r->eof)
            if (fill(r) < 0)
                return -1;
        if (r->end - r->start >= 3 &&
            memcmp(r->buf + r->start, "\xef\xbb\xbf", 3) == 0)
            consume(r, 3);
        if (r->mode == RECORDS_LINES)
            r->state = ST_LINES;
        else if (start_json(r) < 0)
            return -1;
    }
    switch (r->state) {
    case ST_LINES:
        return next_line(r, out);
    case ST_WHOLE:
        return next_whole(r, out);
    case ST_WAIT:
    case ST_ELEM:
    case ST_AFTER:
        return next_element(r, out);
    default:
        return 0;
    }
}

ssize_t
records_read_zstream(void *ctx, void *buf, size_t cap, char *err,
                     size_t errlen)
{
    zstream_t *z = ctx;
    ssize_t k = zstream_read(z, buf, cap);
    if (k < 0)
        snprintf(err, errlen, "%s", zstream_error(z) ? zstream_error(z)
                                                     : "read error");
    return k;
}
