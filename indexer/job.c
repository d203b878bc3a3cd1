/* job.c - read, check, extract and build one file, off the database
 *
 * Or one chunk of an export: each record is checked (NUL bytes, UTF-8),
 * extracted as one post and built on its own, with a content hash of its
 * own (its bytes and its line) that the writer compares with the stored
 * one, so an edited export rewrites only the posts that changed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "indexer/job.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "indexer/extract_office.h"
#include "indexer/extract_pdf.h"
#include "indexer/sandbox.h"
#include "indexer/zstream.h"
#include "util/utf8.h"

int
job_read_file(const char *path, unsigned long long limit, char **buf,
              size_t *len, char *why, size_t whylen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;

    *buf = NULL;
    *len = 0;
    if (fd < 0) {
        snprintf(why, whylen, "%s", errno == ENOENT
                 ? "vanished before it could be read" : strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, whylen, "%s", S_ISDIR(st.st_mode)
                 ? "became a directory before it could be read"
                 : "is no longer a regular file");
        close(fd);
        return -1;
    }
    if ((unsigned long long)st.st_size > limit) {
        snprintf(why, whylen, "file too large (%lld bytes, limit %llu)",
                 (long long)st.st_size, limit);
        close(fd);
        return -1;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *p = malloc(cap);
    if (!p)
        goto nomem;
    for (;;) {
        if (n + 1 >= cap) {
            /* The file grew while we read it: follow it up to the limit. */
            if (cap > limit + 1) {
                snprintf(why, whylen, "file too large (limit %llu)", limit);
                goto fail;
            }
            char *q = realloc(p, cap * 2);
            if (!q)
                goto nomem;
            p = q;
            cap *= 2;
        }
        ssize_t k = read(fd, p + n, cap - 1 - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            snprintf(why, whylen, "%s", strerror(errno));
            goto fail;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    close(fd);
    p[n] = '\0';
    *buf = p;
    *len = n;
    return 0;
nomem:
    snprintf(why, whylen, "out of memory");
fail:
    free(p);
    close(fd);
    return -1;
}

int
job_read_compressed(const char *path, unsigned long long limit, char **buf,
                    size_t *len, char *why, size_t whylen)
{
    zstream_limits_t lim = ZSTREAM_LIMITS_DEFAULT;
    char err[256];
    zstream_t *z;
    size_t cap = 64 * 1024, n = 0;
    char *p = NULL;

    *buf = NULL;
    *len = 0;
    /* The size limit is on the text, as for a plain file of it. */
    lim.max_output = limit;
    z = zstream_open(path, &lim, err, sizeof err);
    if (!z) {
        snprintf(why, whylen, "%s", errno == ENOENT
                 ? "vanished before it could be read" : err);
        return -1;
    }
    for (;;) {
        if (n + 1 >= cap) {
            char *q = realloc(p, cap * 2);
            if (!q)
                goto nomem;
            p = q;
            cap *= 2;
        }
        if (!p && !(p = malloc(cap)))
            goto nomem;
        ssize_t k = zstream_read(z, p + n, cap - 1 - n);
        if (k < 0) {
            /* zstream.h: a one-document file cut short is dropped whole
             * and named; indexed as if whole, change detection would
             * never look at it again. */
            snprintf(why, whylen, "%s", zstream_error(z));
            goto fail;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    zstream_close(z);
    p[n] = '\0';
    *buf = p;
    *len = n;
    return 0;
nomem:
    snprintf(why, whylen, "out of memory");
fail:
    free(p);
    zstream_close(z);
    return -1;
}

size_t
job_utf8_repair(const char *buf, size_t len, char **out, size_t *out_len)
{
    sbuf_t fixed = SBUF_INIT;
    size_t i = 0, k, bad;

    /* Valid text, the usual case, is used in place. */
    while (i < len && (k = utf8_seq(buf + i, len - i, NULL)) > 0)
        i += k;
    if (i == len) {
        *out = (char *)buf;
        *out_len = len;
        return 0;
    }
    bad = utf8_repair(buf, len, "\xEF\xBF\xBD", &fixed);
    if (bad == (size_t)-1) {
        sbuf_release(&fixed);
        *out = NULL;
        *out_len = 0;
        return 0;
    }
    *out_len = fixed.len;
    *out = sbuf_detach(&fixed);
    return bad;
}


static void
set_skip(job_t *j, const char *why)
{
    free(j->skip);
    j->skip = strdup(why);
}

/* ------------------------------------------------------------------ */
/* Chunks of exports                                                   */

int
chunk_add(chunk_t *c, const char *p, size_t len, unsigned long line)
{
    if (c->n == c->cap_recs) {
        size_t cap = c->cap_recs ? c->cap_recs * 2 : 64;
        chunk_rec_t *v = realloc(c->recs, cap * sizeof *v);
        if (!v)
            return -1;
        c->recs = v;
        c->cap_recs = cap;
    }
    if (c->len + len + 1 > c->cap) {
        size_t cap = c->cap ? c->cap : 64 * 1024;
        while (cap < c->len + len + 1)
            cap *= 2;
        char *b = realloc(c->bytes, cap);
        if (!b)
            return -1;
        c->bytes = b;
        c->cap = cap;
    }
    memcpy(c->bytes + c->len, p, len);
    c->recs[c->n++] = (chunk_rec_t){ c->len, len, line, c->n_ctxs };
    c->len += len;
    c->bytes[c->len++] = '\0';     /* each record is a C string too */
    return 0;
}

int
chunk_set_ctx(chunk_t *c, const char *text)
{
    char **v = realloc(c->ctxs, (c->n_ctxs + 1) * sizeof *v);
    if (!v)
        return -1;
    c->ctxs = v;
    if (!(v[c->n_ctxs] = strdup(text)))
        return -1;
    c->n_ctxs++;
    return 0;
}

void
chunk_free(chunk_t *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_ctxs; i++)
        free(c->ctxs[i]);
    free(c->ctxs);
    free(c->bytes);
    free(c->recs);
    extract_diag_release(&c->skips);
    free(c->end_error);
    free(c);
}

/* Move D's messages to the end of TO. */
static void
diag_move(extract_diag_t *to, extract_diag_t *d)
{
    for (size_t i = 0; i < d->n; i++)
        extract_diag_add(to, "%s", d->msgs[i]);
    extract_diag_release(d);
}

/* The content hash of a post: its bytes and its line, so a post that
 * moved is rewritten (its stored line would be wrong otherwise). */
static uint64_t
post_hash(const char *p, size_t len, unsigned long line)
{
    return document_hash(p, len) ^ ((uint64_t)line * 0x9E3779B97F4A7C15ULL);
}

/* Build every article of RES (from a record hashed HASH, or the whole
 * file when WHOLE, each article then hashed with its index) onto J. */
static int
build_all(job_t *j, docbuilder_t *b, extract_result_t *res, uint64_t hash,
          bool whole)
{
    char err[512];
    if (res->n == 0)
        return 0;
    builtdoc_t *v = realloc(j->docs, (j->n_docs + res->n) * sizeof *v);
    if (!v)
        return -1;
    j->docs = v;
    for (size_t i = 0; i < res->n; i++) {
        article_t *a = &res->articles[i];
        uint64_t h = whole ? post_hash((const char *)&hash, sizeof hash, i + 1)
                           : hash;
        docsource_t src = { j->path, j->st, h, NULL };
        if (docbuilder_build(b, &src, a, &res->warnings,
                             &j->docs[j->n_docs], err, sizeof err) < 0) {
            if (a->line)
                extract_diag_add(&res->warnings, "%lu: not indexed: %s",
                                 a->line, err);
            else
                extract_diag_add(&res->warnings, "document %zu not "
                                 "indexed: %s", i + 1, err);
        } else {
            j->n_docs++;
        }
    }
    return 0;
}

static void run_records(job_t *j, docbuilder_t *b, extract_ctx_t **ctx);

static void
run_chunk(job_t *j, docbuilder_t *b)
{
    chunk_t *c = j->chunk;
    extract_ctx_t **ctx = c->n_ctxs ? calloc(c->n_ctxs, sizeof *ctx) : NULL;

    if (c->n_ctxs && !ctx) {
        set_skip(j, "out of memory");
        return;
    }
    run_records(j, b, ctx);
    for (size_t i = 0; i < c->n_ctxs; i++)
        extract_ctx_free(ctx[i]);
    free(ctx);
}

/* The records of J's chunk, each in its context (CTX: one parsed per
 * text of the chunk's CTXS, made when first needed). */
static void
run_records(job_t *j, docbuilder_t *b, extract_ctx_t **ctx)
{
    chunk_t *c = j->chunk;

    for (size_t i = 0; i < c->n; i++) {
        const chunk_rec_t *rec = &c->recs[i];
        const char *p = c->bytes + rec->off;
        char *text = NULL;
        size_t text_len = 0;
        extract_result_t res;

        if (j->stop && *j->stop) {
            j->abandoned = true;
            return;
        }
        memset(&res, 0, sizeof res);
        j->n_records++;
        if (memchr(p, '\0', rec->len)) {
            j->n_invalid++;
            extract_diag_add(&j->warnings, "%lu: NUL bytes in the post; "
                             "skipped", rec->line);
            continue;
        }
        size_t bad = job_utf8_repair(p, rec->len, &text, &text_len);
        if (!text) {
            set_skip(j, "out of memory");
            return;
        }
        j->bad_utf8 += bad;
        uint64_t hash = document_hash(p, rec->len);
        int rc;
        if (c->whole) {
            rc = extract_buffer(EXTRACT_JSON, text, text_len, b->cfg, &res);
            if (rc < 0) {
                set_skip(j, res.error ? res.error : "cannot be parsed");
                j->n_invalid++;
            }
        } else {
            extract_ctx_t *x = NULL;
            uint64_t around = 0;
            if (rec->ctx) {
                const char *t = c->ctxs[rec->ctx - 1];
                if (!ctx[rec->ctx - 1])
                    ctx[rec->ctx - 1] = extract_ctx_new(t, strlen(t));
                x = ctx[rec->ctx - 1];
                /* A renamed chat or account changes its posts. */
                around = document_hash(t, strlen(t));
            }
            rc = extract_record_in(text, text_len, b->cfg, rec->line, x,
                                   &res);
            if (rc > 0)
                j->n_invalid++;
            hash = post_hash(p, rec->len, rec->line) ^ around;
        }
        j->n_passed += res.n_passed;
        if (rc >= 0 && build_all(j, b, &res, hash, c->whole) < 0)
            rc = -1;
        if (rc < 0 && !j->skip)
            set_skip(j, "out of memory");
        diag_move(&j->warnings, &res.warnings);
        extract_result_release(&res);
        if (text != p)
            free(text);
        if (j->skip)
            return;
    }
}

/* ------------------------------------------------------------------ */
/* PDF and Office files: parsed in a child (sandbox.h)                 */

typedef struct parse_arg {
    extract_format_t fmt;
    const char *path;
    const char *buf;            /* the file's bytes, read by the parent */
    size_t len;
} parse_arg_t;

/* DOSSIER_TEST_PARSER="crash:TEXT" or "hang:TEXT": the parser of a file
 * whose path holds TEXT crashes or hangs, so the tests can check that
 * the run names it and goes on.  Returns 'c', 'h' or 0. */
static int
test_hook(const char *path)
{
    const char *h = getenv("DOSSIER_TEST_PARSER");
    if (!h || !*path)
        return 0;
    if (strncmp(h, "crash:", 6) == 0 && *(h + 6) && strstr(path, h + 6))
        return 'c';
    if (strncmp(h, "hang:", 5) == 0 && *(h + 5) && strstr(path, h + 5))
        return 'h';
    return 0;
}

/* Runs in the child. */
static int
parse_isolated(void *arg, extract_result_t *out, page_map_t *pages)
{
    const parse_arg_t *pa = arg;

    switch (test_hook(pa->path)) {
    case 'c':
        raise(SIGSEGV);
        break;
    case 'h':
        for (;;)
            pause();
    }
    if (pa->fmt == EXTRACT_PDF)
        return extract_pdf_buffer(pa->buf, pa->len, out, pages);
    return extract_office_buffer(pa->buf, pa->len, NULL, out);
}

/* Parse BUF (LEN bytes of J's file) in a child; fills RES and PAGES.
 * Returns 0, or -1 with RES->error set. */
static int
extract_isolated(job_t *j, extract_format_t fmt, const char *buf, size_t len,
                 extract_result_t *res, page_map_t *pages)
{
    sandbox_limits_t lim = SANDBOX_LIMITS_DEFAULT;
    parse_arg_t pa = { fmt, j->path, buf, len };

    if (test_hook(j->path) == 'h')
        lim.wall_ms = 1000;     /* the test need not wait a minute */
    sandbox_status_t st = sandbox_run(parse_isolated, &pa, &lim, res, pages);
    if (st == SANDBOX_OK)
        return 0;
    if (st != SANDBOX_PARSE_ERROR && res->error) {
        /* "crashed (signal 11)" alone would read as dossier's own. */
        char msg[512];
        const char *e = res->error;
        if (strncmp(e, "parser's ", 9) == 0)
            e += 9;
        else if (strncmp(e, "parser ", 7) == 0)
            e += 7;
        snprintf(msg, sizeof msg, "the %s parser%s %s",
                 fmt == EXTRACT_PDF ? "PDF" : "document",
                 e != res->error && e[-2] == 's' ? "'s" : "", e);
        free(res->error);
        res->error = strdup(msg);
    }
    return -1;
}

void
job_run(job_t *j, docbuilder_t *b)
{
    char why[256], err[512];
    char *buf = NULL, *text = NULL;
    size_t len = 0, text_len = 0;
    extract_result_t res;
    page_map_t pages = PAGE_MAP_INIT;

    memset(&res, 0, sizeof res);
    if (j->skip)
        return;     /* decided without reading */
    if (j->chunk) {
        run_chunk(j, b);
        return;
    }
    extract_format_t fmt = extract_format_of(j->path);
    bool isolated = extract_is_sandboxed(fmt);
    if ((extract_is_compressed(j->path)
         ? job_read_compressed(j->path, b->cfg->max_file_size, &buf, &len,
                               why, sizeof why)
         : job_read_file(j->path, b->cfg->max_file_size, &buf, &len, why,
                         sizeof why)) < 0) {
        set_skip(j, why);
        return;
    }
    if (len == 0) {
        set_skip(j, "empty file");
        goto out;
    }
    if (!isolated && memchr(buf, '\0', len)) {
        set_skip(j, "binary file (contains NUL bytes)");
        goto out;
    }
    uint64_t hash = document_hash(buf, len);
    if (j->stored_hash[0]) {
        char hex[17];
        snprintf(hex, sizeof hex, "%016" PRIx64, hash);
        j->content_same = strcmp(hex, j->stored_hash) == 0;
    }
    if (isolated) {
        /* The parser's text is valid UTF-8 (the sandbox's reply is
         * JSON); the file's bytes are binary. */
        text = buf;
        if (extract_isolated(j, fmt, buf, len, &res, &pages) < 0) {
            set_skip(j, res.error ? res.error : "cannot be parsed");
            goto out;
        }
    } else {
        j->bad_utf8 = job_utf8_repair(buf, len, &text, &text_len);
        if (!text) {
            set_skip(j, "out of memory");
            goto out;
        }
        if (extract_buffer(fmt, text, text_len, b->cfg, &res) < 0) {
            set_skip(j, res.error ? res.error : "cannot be parsed");
            goto out;
        }
    }
    if (res.n == 0) {
        set_skip(j, "no document found in file");
        goto out;
    }
    j->docs = calloc(res.n, sizeof *j->docs);
    if (!j->docs) {
        set_skip(j, "out of memory");
        goto out;
    }
    docsource_t src = { j->path, j->st, hash, pages.n ? &pages : NULL };
    for (size_t i = 0; i < res.n; i++) {
        if (docbuilder_build(b, &src, &res.articles[i], &res.warnings,
                             &j->docs[j->n_docs], err, sizeof err) < 0)
            extract_diag_add(&res.warnings, "document %zu not indexed: %s",
                             i + 1, err);
        else
            j->n_docs++;
    }
    if (j->n_docs == 0)
        set_skip(j, "no document could be indexed");
out:
    /* The job keeps the warnings; the rest of the result goes. */
    j->warnings = res.warnings;
    memset(&res.warnings, 0, sizeof res.warnings);
    extract_result_release(&res);
    page_map_release(&pages);
    if (text != buf)
        free(text);
    free(buf);
}

void
job_release(job_t *j)
{
    for (size_t i = 0; i < j->n_docs; i++)
        builtdoc_release(&j->docs[i]);
    free(j->docs);
    free(j->skip);
    free(j->file_term);
    chunk_free(j->chunk);
    extract_diag_release(&j->warnings);
    memset(j, 0, sizeof *j);
}
