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
    ST_OBJ,                     /* an object: looking for posts arrays */
    ST_DONE
};

/* What the object scanner expects next. */
enum {
    OS_KEY = 0,                 /* a key or "}" */
    OS_COLON,
    OS_VALUE,
    OS_COMMA,                   /* "," or the closing bracket */
    OS_KEYSTR,                  /* inside a key */
    OS_STR,                     /* inside a string value */
    OS_SKIP,                    /* inside an object or array skipped */
    OS_LIT,                     /* inside a number, true, false, null */
    OS_END,                     /* after the top-level object */
    OS_BAD                      /* not JSON as expected: whole file */
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
            *out = (record_t){ base, len, line, false, NULL, 0 };
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
        *out = (record_t){ base, avail, r->line, false, NULL, 0 };
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
    while (r->end - r->start < 256 && !r->eof)
        if (fill(r) < 0)
            return -1;
    long ytd = records_ytd_prefix(r->buf + r->start, r->end - r->start,
                                  r->ytd, sizeof r->ytd);
    if (ytd > 0) {
        for (long k = 0; k < ytd; k++)
            if (r->buf[r->start + (size_t)k] == '\n')
                r->line++;
        consume(r, (size_t)ytd);
    }
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
    } else if (r->start + i < r->end && r->buf[r->start + i] == '{') {
        /* Kept from the start for the whole-file case, scanned from
         * after the brace. */
        r->state = ST_OBJ;
        r->scan = i + 1;
        r->line += lines;
        r->n_path = 1;
        r->path[0].is_obj = true;
        r->path[0].key[0] = '\0';
        r->os = OS_KEY;
    } else {
        r->state = ST_WHOLE;
    }
    return 0;
}

long
records_ytd_prefix(const char *p, size_t len, char *name, size_t namelen)
{
    static const char head[] = "window.YTD.";
    size_t i = 0, n0;

    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len && is_ws(p[i]))
        i++;
    if (len - i < sizeof head - 1 || memcmp(p + i, head, sizeof head - 1))
        return -1;
    i += sizeof head - 1;
    n0 = i;
    while (i < len && (p[i] == '_' || (p[i] >= 'a' && p[i] <= 'z') ||
                       (p[i] >= 'A' && p[i] <= 'Z') ||
                       (p[i] >= '0' && p[i] <= '9')))
        i++;
    if (i == n0 || i - n0 >= namelen || len - i < 5 ||
        memcmp(p + i, ".part", 5) != 0)
        return -1;
    memcpy(name, p + n0, i - n0);
    name[i - n0] = '\0';
    i += 5;
    while (i < len && p[i] >= '0' && p[i] <= '9')
        i++;
    while (i < len && is_ws(p[i]))
        i++;
    if (i >= len || p[i] != '=') {
        name[0] = '\0';
        return -1;
    }
    return (long)i + 1;
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
        *out = (record_t){ r->buf + r->start, avail, 1, true, NULL, 0 };
        consume(r, avail);
        return 1;
    }
}

/* ------------------------------------------------------------------ */
/* A JSON object around arrays of posts                                */

static bool
key_is(const struct records_frame *f, const char *k)
{
    return !f->key_long && strcmp(f->key, k) == 0;
}

static void
value_done(records_t *r)
{
    if (r->capturing && !r->cap_long && r->cap_which) {
        memcpy(r->cap_which, r->capbuf, r->n_cap);
        r->cap_which[r->n_cap] = '\0';
    }
    r->capturing = false;
    r->os = OS_COMMA;
}

static void
cap_add(records_t *r, char c)
{
    if (!r->capturing)
        return;
    if (r->n_cap + 1 >= sizeof r->capbuf)
        r->cap_long = true;
    else
        r->capbuf[r->n_cap++] = c;
}

static void
push(records_t *r, bool is_obj)
{
    r->path[r->n_path++] = (struct records_frame){ is_obj, "", false };
    r->os = is_obj ? OS_KEY : OS_VALUE;
}

/* A value starts with C at the top of the path: follow it, stream it, or
 * skip it.  Returns 1 when a posts array starts. */
static int
obj_value(records_t *r, char c)
{
    struct records_frame *f = &r->path[r->n_path - 1];
    bool chats = r->n_path == 2 && (key_is(&r->path[0], "chats") ||
                                    key_is(&r->path[0], "left_chats"));

    r->capturing = false;
    if (c == '[' && f->is_obj &&
        ((r->n_path == 1 && (key_is(f, "messages") ||
                             key_is(f, "orderedItems"))) ||
         (r->n_path == 4 && key_is(f, "messages"))))
        return 1;
    if (c == '{' && r->n_path == 1 &&
        (key_is(f, "chats") || key_is(f, "left_chats"))) {
        push(r, true);
        return 0;
    }
    if (c == '[' && chats && key_is(f, "list")) {
        push(r, false);
        return 0;
    }
    if (c == '{' && r->n_path == 3 && !f->is_obj) {
        push(r, true);
        r->c_name[0] = r->c_type[0] = r->c_id[0] = '\0';
        return 0;
    }
    if (c == '{' || c == '[') {
        r->os = OS_SKIP;
        r->skip_depth = 1;
        r->in_str = r->esc = false;
        return 0;
    }
    /* A scalar: the container's name, type and id are kept. */
    if (f->is_obj && (r->n_path == 1 || r->n_path == 4)) {
        r->cap_which = key_is(f, "name") ? r->c_name :
                       key_is(f, "type") ? r->c_type :
                       key_is(f, "id") ? r->c_id : NULL;
        r->capturing = r->cap_which != NULL;
        r->n_cap = 0;
        r->cap_long = false;
    }
    cap_add(r, c);
    r->in_str = c == '"';
    r->esc = false;
    r->os = c == '"' ? OS_STR : OS_LIT;
    return 0;
}

/* A closing bracket C at the top of the path; false if it does not
 * match. */
static bool
obj_close(records_t *r, char c)
{
    if (c != (r->path[r->n_path - 1].is_obj ? '}' : ']'))
        return false;
    r->os = --r->n_path == 0 ? OS_END : OS_COMMA;
    return true;
}

/* Scan the object from R->scan; returns 1 at the "[" of a posts array
 * (R->scan after it), 0 when the buffer is used up, -1 when the bytes
 * are not JSON as expected (R->os is then OS_BAD). */
static int
scan_obj(records_t *r)
{
    const char *b = r->buf + r->start;
    size_t n = r->end - r->start;
    for (size_t i = r->scan; i < n; i++) {
        char c = b[i];
        struct records_frame *f = &r->path[r->n_path ? r->n_path - 1 : 0];
        if (c == '\n')
            r->line++;
        switch (r->os) {
        case OS_KEYSTR:
            if (r->esc) {
                r->esc = false;
                f->key_long = true;
            } else if (c == '\\') {
                r->esc = true;
            } else if (c == '"') {
                r->os = OS_COLON;
            } else {
                size_t k = strlen(f->key);
                if (k + 1 < sizeof f->key) {
                    f->key[k] = c;
                    f->key[k + 1] = '\0';
                } else {
                    f->key_long = true;
                }
            }
            continue;
        case OS_STR:
            cap_add(r, c);
            if (r->esc)
                r->esc = false;
            else if (c == '\\')
                r->esc = true;
            else if (c == '"')
                value_done(r);
            continue;
        case OS_SKIP:
            if (r->in_str) {
                if (r->esc)
                    r->esc = false;
                else if (c == '\\')
                    r->esc = true;
                else if (c == '"')
                    r->in_str = false;
            } else if (c == '"') {
                r->in_str = true;
            } else if (c == '{' || c == '[') {
                r->skip_depth++;
            } else if ((c == '}' || c == ']') && --r->skip_depth == 0) {
                r->os = OS_COMMA;
            }
            continue;
        case OS_LIT:
            if (c != ',' && c != '}' && c != ']' && !is_ws(c)) {
                cap_add(r, c);
                continue;
            }
            value_done(r);
            break;              /* the delimiter is read below */
        case OS_BAD:
            continue;
        default:
            break;
        }
        if (is_ws(c))
            continue;
        switch (r->os) {
        case OS_KEY:
            if (c == '}' && obj_close(r, c))
                break;
            if (c != '"')
                goto bad;
            f->key[0] = '\0';
            f->key_long = false;
            r->esc = false;
            r->os = OS_KEYSTR;
            break;
        case OS_COLON:
            if (c != ':')
                goto bad;
            r->os = OS_VALUE;
            break;
        case OS_VALUE:
            if (!f->is_obj && c == ']' && obj_close(r, c))
                break;
            if (obj_value(r, c) == 1) {
                r->scan = i + 1;
                return 1;
            }
            break;
        case OS_COMMA:
            if (c == ',')
                r->os = f->is_obj ? OS_KEY : OS_VALUE;
            else if (!obj_close(r, c))
                goto bad;
            break;
        default:
            goto bad;
        }
    }
    r->scan = n;
    return 0;
bad:
    r->os = OS_BAD;
    r->scan = n;
    return -1;
}

/* The JSON object of the container's name, type and id. */
static void
make_ctx(records_t *r)
{
    const char *k[] = { "name", "type", "id" };
    const char *v[] = { r->c_name, r->c_type, r->c_id };
    size_t n = 1;
    strcpy(r->around, "{");
    for (int i = 0; i < 3; i++)
        if (*v[i])
            n += (size_t)snprintf(r->around + n, sizeof r->around - n,
                                  "%s\"%s\":%s",
                                  n > 1 ? "," : "", k[i], v[i]);
    snprintf(r->around + n, sizeof r->around - n, "}");
    r->around_gen++;
}

/* Follow the object to its next posts array.  Returns 2 with the
 * element scanner started, 1 with the whole file (or its size, when too
 * large) in OUT, 0 at the end, -1 on an error. */
static int
next_obj(records_t *r, record_t *out)
{
    char msg[96];
    for (;;) {
        int s = scan_obj(r);
        if (s == 1) {
            /* The bytes before are not needed any more. */
            consume(r, r->scan);
            r->scan = 0;
            r->streamed = true;
            r->skipping = false;
            r->skipped = 0;
            make_ctx(r);
            r->state = ST_WAIT;
            r->in_obj = true;
            return 2;
        }
        if (s < 0 && r->streamed) {
            snprintf(msg, sizeof msg, "%lu: invalid JSON around the posts",
                     r->line);
            return fail(r, msg);
        }
        if (r->streamed || r->skipping) {
            if (r->skipping)
                r->skipped += r->scan;
            consume(r, r->scan);
            r->scan = 0;
        } else if (r->end - r->start > r->max) {
            /* Too large to be one record: go on looking for posts. */
            r->skipping = true;
            r->rec_line = 1;
            r->skipped = r->scan;
            consume(r, r->scan);
            r->scan = 0;
        }
        int f = fill(r);
        if (f < 0)
            return -1;
        if (f > 0)
            continue;
        r->state = ST_DONE;
        if (r->streamed) {
            if (r->os == OS_END)
                return 0;
            snprintf(msg, sizeof msg, "%lu: unexpected end of file inside "
                     "the object", r->line);
            return fail(r, msg);
        }
        if (r->skipping) {
            too_large(r, out, r->end - r->start);
            out->whole = true;
            return 1;
        }
        *out = (record_t){ r->buf + r->start, r->end - r->start, 1, true,
                           NULL, 0 };
        consume(r, r->end - r->start);
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

/* A posts array inside an object ended: back to the object.  Returns 2
 * (go on from the new state). */
static int
after_posts(records_t *r)
{
    r->in_obj = false;
    r->state = ST_OBJ;
    r->os = OS_COMMA;
    r->scan = 0;
    return 2;
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
                    if (r->in_obj)
                        return after_posts(r);
                    r->state = ST_AFTER;
                    continue;
                }
                r->rec_line = r->line;
                if (c == ',') {
                    /* An empty element: the parser names it. */
                    consume(r, 1);
                    *out = (record_t){ r->buf + r->start - 1, 0,
                                       r->rec_line, false, NULL, 0 };
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
                const char *around = r->in_obj ? r->around : NULL;
                if (c != ',' && r->in_obj)
                    after_posts(r);
                if (r->skipping)
                    return too_large(r, out, len);
                if (len > r->max)
                    return too_large(r, out, len);
                *out = (record_t){ p, len, r->rec_line, false, around,
                                   r->around_gen };
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
    for (;;) {
        int rc;
        switch (r->state) {
        case ST_LINES:
            return next_line(r, out);
        case ST_WHOLE:
            return next_whole(r, out);
        case ST_OBJ:
            rc = next_obj(r, out);
            break;
        case ST_WAIT:
        case ST_ELEM:
        case ST_AFTER:
            rc = next_element(r, out);
            break;
        default:
            return 0;
        }
        if (rc != 2)
            return rc;
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
