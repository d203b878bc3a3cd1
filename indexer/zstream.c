/* zstream.c - reading plain, gzip and zstd files as one byte stream
 *
 * One decoder per kind behind zstream_read(); zstream_getline() splits
 * what it returns into lines in a buffer of its own.  The bomb limits are
 * applied in one place (limit()), after a decoder produced bytes and
 * before they are handed out.  Errors found while bytes are still waiting
 * to be returned are parked in `pending` and raised on the next call.  It
 * never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "indexer/zstream.h"

#define IN_CAP (128 * 1024)

struct zstream {
    int fd;
    zstream_kind_t kind;
    zstream_limits_t lim;

    unsigned char *in;          /* compressed input, IN_CAP bytes */
    size_t in_pos, in_len;      /* plain and zstd: the unread part */
    int in_eof;

    z_stream gz;
    int gz_ready;
    int gz_member_done;
    ZSTD_DStream *zs;
    int zs_frame_pending;

    uint64_t bytes_in, bytes_out;
    int at_end;                 /* clean end reached */
    int failed;                 /* error raised: every call returns -1 */
    int pending;                /* error found, raised on the next call */
    char err[256];

    /* zstream_getline()'s buffer: lb[lb_start, lb_end) is unread. */
    char *lb;
    size_t lb_cap, lb_start, lb_end;
    int lb_eof, lb_long;
    size_t dropped;
};

static void
set_err(zstream_t *z, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_err(zstream_t *z, const char *fmt, ...)
{
    va_list ap;

    if (z->pending || z->failed)
        return;                 /* the first error is the one to report */
    va_start(ap, fmt);
    vsnprintf(z->err, sizeof(z->err), fmt, ap);
    va_end(ap);
    z->pending = 1;
}

/* Write N bytes as "12.3 MiB" or "123 bytes" into BUF. */
static const char *
human(uint64_t n, char *buf, size_t len)
{
    if (n >= (uint64_t)1 << 30 && n % ((uint64_t)1 << 30) == 0)
        snprintf(buf, len, "%llu GiB", (unsigned long long)(n >> 30));
    else if (n >= 1 << 20 && n % (1 << 20) == 0)
        snprintf(buf, len, "%llu MiB", (unsigned long long)(n >> 20));
    else
        snprintf(buf, len, "%llu bytes", (unsigned long long)n);
    return buf;
}

const char *
zstream_kind_name(zstream_kind_t k)
{
    switch (k) {
    case ZSTREAM_GZIP: return "gzip";
    case ZSTREAM_ZSTD: return "zstd";
    default: return "plain";
    }
}

/* Read more compressed input into z->in, after what is unread.  Returns
 * the bytes read, 0 at the end of the file, -1 on a read error. */
static ssize_t
fill(zstream_t *z)
{
    ssize_t n;

    if (z->in_pos > 0 && z->in_pos < z->in_len)
        memmove(z->in, z->in + z->in_pos, z->in_len - z->in_pos);
    z->in_len -= z->in_pos;
    z->in_pos = 0;
    if (z->in_len == IN_CAP)
        return 1;               /* room comes when the decoder takes some */
    do
        n = read(z->fd, z->in + z->in_len, IN_CAP - z->in_len);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        set_err(z, "read error: %s", strerror(errno));
        return -1;
    }
    if (n == 0)
        z->in_eof = 1;
    z->in_len += (size_t)n;
    z->bytes_in += (uint64_t)n;
    return n;
}

/* ---------------------------------------------------------------- gzip */

static ssize_t
gz_decode(zstream_t *z, unsigned char *buf, size_t cap)
{
    int ret;
    size_t before;

    z->gz.next_out = buf;
    z->gz.avail_out = (uInt)(cap > 1u << 30 ? 1u << 30 : cap);
    for (;;) {
        if (z->in_pos == z->in_len && !z->in_eof && fill(z) < 0)
            return -1;
        if (z->gz_member_done) {
            if (z->in_pos == z->in_len && z->in_eof) {
                z->at_end = 1;
                break;
            }
            if (z->in_pos == z->in_len)
                continue;
            /* gzip -d reads concatenated members as one stream and
             * ignores trailing zeros; anything else after the data is
             * not ours to guess about. */
            if (z->in[z->in_pos] != 0x1f) {
                z->at_end = 1;
                break;
            }
            if (inflateReset(&z->gz) != Z_OK) {
                set_err(z, "gzip: cannot restart for the next member");
                return -1;
            }
            z->gz_member_done = 0;
        }
        z->gz.next_in = z->in + z->in_pos;
        z->gz.avail_in = (uInt)(z->in_len - z->in_pos);
        before = z->gz.avail_out;
        ret = inflate(&z->gz, Z_NO_FLUSH);
        z->in_pos = z->in_len - z->gz.avail_in;
        if (ret == Z_STREAM_END)
            z->gz_member_done = 1;
        else if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT) {
            set_err(z, "corrupt gzip stream after %llu bytes: %s",
                    (unsigned long long)(z->bytes_out
                                         + (cap - z->gz.avail_out)),
                    z->gz.msg ? z->gz.msg : "bad data");
            break;
        } else if (ret == Z_MEM_ERROR) {
            set_err(z, "gzip: out of memory");
            break;
        } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
            set_err(z, "gzip: inflate failed (%d)", ret);
            break;
        }
        if (z->gz.avail_out == 0)
            break;
        if (!z->gz_member_done && z->in_pos == z->in_len && z->in_eof
            && before == z->gz.avail_out) {
            set_err(z, "truncated gzip stream after %llu bytes",
                    (unsigned long long)(z->bytes_out
                                         + (cap - z->gz.avail_out)));
            break;
        }
        if (z->gz.avail_out < cap && z->in_pos == z->in_len && !z->in_eof)
            break;              /* hand out what we have before reading */
    }
    return (ssize_t)(cap - z->gz.avail_out);
}

/* ---------------------------------------------------------------- zstd */

static ssize_t
zs_decode(zstream_t *z, unsigned char *buf, size_t cap)
{
    ZSTD_outBuffer out = { buf, cap, 0 };
    ZSTD_inBuffer in;
    size_t ret, before_in, before_out;

    for (;;) {
        if (z->in_pos == z->in_len && !z->in_eof && fill(z) < 0)
            return -1;
        in.src = z->in;
        in.size = z->in_len;
        in.pos = z->in_pos;
        before_in = in.pos;
        before_out = out.pos;
        ret = ZSTD_decompressStream(z->zs, &out, &in);
        z->in_pos = in.pos;
        if (ZSTD_isError(ret)) {
            set_err(z, "corrupt zstd stream after %llu bytes: %s",
                    (unsigned long long)(z->bytes_out + out.pos),
                    ZSTD_getErrorName(ret));
            break;
        }
        /* 0: a frame ended and is flushed.  A call that did nothing
         * (no input left) returns the next header's size even between
         * frames, so it says nothing about truncation. */
        if (in.pos != before_in || out.pos != before_out)
            z->zs_frame_pending = ret != 0;
        if (out.pos > 0)
            break;
        if (z->in_pos == z->in_len && z->in_eof) {
            if (z->zs_frame_pending)
                set_err(z, "truncated zstd stream after %llu bytes",
                        (unsigned long long)z->bytes_out);
            else
                z->at_end = 1;
            break;
        }
    }
    return (ssize_t)out.pos;
}

/* ---------------------------------------------------------------- plain */

static ssize_t
plain_decode(zstream_t *z, unsigned char *buf, size_t cap)
{
    size_t n;

    if (z->in_pos == z->in_len) {
        if (z->in_eof) {
            z->at_end = 1;
            return 0;
        }
        if (fill(z) < 0)
            return -1;
        if (z->in_pos == z->in_len) {
            z->at_end = 1;
            return 0;
        }
    }
    n = z->in_len - z->in_pos;
    if (n > cap)
        n = cap;
    memcpy(buf, z->in + z->in_pos, n);
    z->in_pos += n;
    return (ssize_t)n;
}

/* ---------------------------------------------------------------- limits */

/* Cut N freshly decoded bytes back to what the limits allow, parking the
 * error that names the limit.  Plain files have nothing to bomb. */
static size_t
limit(zstream_t *z, size_t n)
{
    uint64_t total = z->bytes_out + n, in;
    char a[32];

    if (z->kind == ZSTREAM_PLAIN || n == 0)
        return n;
    if (z->lim.max_output && total > z->lim.max_output) {
        set_err(z, "compression bomb: %s stream expands past the %s limit",
                zstream_kind_name(z->kind),
                human(z->lim.max_output, a, sizeof(a)));
        return (size_t)(z->lim.max_output - z->bytes_out);
    }
    in = z->bytes_in ? z->bytes_in : 1;
    if (z->lim.max_ratio && total > z->lim.ratio_grace
        && total / in > z->lim.max_ratio) {
        set_err(z, "compression bomb: %s stream expands more than %u:1 "
                "(%llu bytes from %llu)", zstream_kind_name(z->kind),
                z->lim.max_ratio, (unsigned long long)total,
                (unsigned long long)in);
        /* Nothing from the block that crossed the line. */
        return 0;
    }
    return n;
}

/* ---------------------------------------------------------------- API */

static zstream_kind_t
sniff(const unsigned char *p, size_t len)
{
    if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return ZSTREAM_GZIP;
    if (len >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f
        && p[3] == 0xfd)
        return ZSTREAM_ZSTD;
    return ZSTREAM_PLAIN;
}

zstream_t *
zstream_fdopen(int fd, const zstream_limits_t *lim, char *err,
               size_t errlen)
{
    static const zstream_limits_t defaults = ZSTREAM_LIMITS_DEFAULT;
    zstream_t *z;
    int e;

    z = calloc(1, sizeof(*z));
    if (z == NULL || (z->in = malloc(IN_CAP)) == NULL) {
        e = errno;
        free(z);
        close(fd);
        snprintf(err, errlen, "out of memory");
        errno = e;
        return NULL;
    }
    z->fd = fd;
    z->lim = lim ? *lim : defaults;
    /* The first bytes decide the kind; a short file is plain. */
    while (z->in_len < 4 && !z->in_eof)
        if (fill(z) < 0) {
            snprintf(err, errlen, "%s", z->err);
            e = errno;
            zstream_close(z);
            errno = e;
            return NULL;
        }
    z->kind = sniff(z->in, z->in_len);
    if (z->kind == ZSTREAM_GZIP) {
        /* 15 + 16: a gzip header and trailer, the largest window. */
        if (inflateInit2(&z->gz, 15 + 16) != Z_OK) {
            snprintf(err, errlen, "gzip: cannot initialise zlib");
            zstream_close(z);
            errno = ENOMEM;
            return NULL;
        }
        z->gz_ready = 1;
    } else if (z->kind == ZSTREAM_ZSTD) {
        z->zs = ZSTD_createDStream();
        if (z->zs == NULL
            || ZSTD_isError(ZSTD_DCtx_setParameter(z->zs,
                                                   ZSTD_d_windowLogMax,
                                                   31))) {
            snprintf(err, errlen, "zstd: cannot initialise the decoder");
            zstream_close(z);
            errno = ENOMEM;
            return NULL;
        }
    }
    return z;
}

zstream_t *
zstream_open(const char *path, const zstream_limits_t *lim, char *err,
             size_t errlen)
{
    int fd;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        return NULL;
    }
    return zstream_fdopen(fd, lim, err, errlen);
}

ssize_t
zstream_read(zstream_t *z, void *buf, size_t cap)
{
    ssize_t n;

    if (z->failed)
        return -1;
    if (z->pending) {
        z->pending = 0;
        z->failed = 1;
        return -1;
    }
    if (z->at_end || cap == 0)
        return 0;
    switch (z->kind) {
    case ZSTREAM_GZIP: n = gz_decode(z, buf, cap); break;
    case ZSTREAM_ZSTD: n = zs_decode(z, buf, cap); break;
    default: n = plain_decode(z, buf, cap); break;
    }
    if (n < 0) {
        z->pending = 0;
        z->failed = 1;
        return -1;
    }
    n = (ssize_t)limit(z, (size_t)n);
    z->bytes_out += (uint64_t)n;
    if (n == 0 && z->pending) {
        z->pending = 0;
        z->failed = 1;
        return -1;
    }
    return n;
}

int
zstream_getline(zstream_t *z, const char **line, size_t *len,
                size_t max_line, int *is_partial)
{
    char *nl;
    size_t have, want;
    ssize_t n;
    int long_line;

    if (max_line == 0)
        max_line = 1;
    if (is_partial)
        *is_partial = 0;
    for (;;) {
        have = z->lb_end - z->lb_start;
        nl = have ? memchr(z->lb + z->lb_start, '\n', have) : NULL;
        if (nl != NULL && (size_t)(nl - (z->lb + z->lb_start)) <= max_line) {
            *line = z->lb + z->lb_start;
            *len = (size_t)(nl - *line);
            z->lb_start += *len + 1;
            long_line = z->lb_long;
            z->lb_long = 0;
            if (is_partial)
                *is_partial = long_line;
            return 1;
        }
        if (have >= max_line) {
            *line = z->lb + z->lb_start;
            *len = max_line;
            z->lb_start += max_line;
            z->lb_long = 1;
            if (is_partial)
                *is_partial = 1;
            return 1;
        }
        if (z->lb_eof) {
            if (have == 0)
                return 0;
            *line = z->lb + z->lb_start;
            *len = have;
            z->lb_start = z->lb_end;
            if (is_partial)
                *is_partial = z->lb_long;
            z->lb_long = 0;
            return 1;
        }
        /* Make room: unread bytes to the front, then read more. */
        if (z->lb_start > 0) {
            memmove(z->lb, z->lb + z->lb_start, have);
            z->lb_start = 0;
            z->lb_end = have;
        }
        want = max_line + 1 > IN_CAP ? max_line + 1 : IN_CAP;
        if (z->lb_cap < want) {
            char *p = realloc(z->lb, want);

            if (p == NULL) {
                set_err(z, "out of memory");
                z->pending = 0;
                z->failed = 1;
                return -1;
            }
            z->lb = p;
            z->lb_cap = want;
        }
        n = zstream_read(z, z->lb + z->lb_end, z->lb_cap - z->lb_end);
        if (n < 0) {
            z->dropped = z->lb_end - z->lb_start;
            return -1;
        }
        if (n == 0)
            z->lb_eof = 1;
        z->lb_end += (size_t)n;
    }
}

const char *
zstream_error(const zstream_t *z)
{
    return z->failed || z->pending ? z->err : NULL;
}

zstream_kind_t
zstream_kind(const zstream_t *z)
{
    return z->kind;
}

uint64_t
zstream_bytes_out(const zstream_t *z)
{
    return z->bytes_out;
}

uint64_t
zstream_bytes_in(const zstream_t *z)
{
    return z->bytes_in;
}

size_t
zstream_dropped(const zstream_t *z)
{
    return z->dropped;
}

void
zstream_close(zstream_t *z)
{
    if (z == NULL)
        return;
    if (z->gz_ready)
        inflateEnd(&z->gz);
    ZSTD_freeDStream(z->zs);
    if (z->fd >= 0)
        close(z->fd);
    free(z->in);
    free(z->lb);
    free(z);
}

const char *
zstream_inner_name(const char *path, char *buf, size_t len)
{
    const char *base = strrchr(path, '/');
    size_t n;

    base = base ? base + 1 : path;
    n = strlen(base);
    if (n > 3 && strcasecmp(base + n - 3, ".gz") == 0)
        n -= 3;
    else if (n > 4 && strcasecmp(base + n - 4, ".zst") == 0)
        n -= 4;
    if (n + 1 > len)
        return NULL;
    memcpy(buf, base, n);
    buf[n] = '\0';
    return buf;
}
