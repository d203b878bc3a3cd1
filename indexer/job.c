/* job.c - read, check, extract and build one file, off the database
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

void
job_run(job_t *j, docbuilder_t *b)
{
    char why[256], err[512];
    char *buf = NULL, *text = NULL;
    size_t len = 0, text_len = 0;
    extract_result_t res;

    memset(&res, 0, sizeof res);
    if (j->skip)
        return;     /* decided without reading */
    if (job_read_file(j->path, b->cfg->max_file_size, &buf, &len, why,
                      sizeof why) < 0) {
        set_skip(j, why);
        return;
    }
    if (len == 0) {
        set_skip(j, "empty file");
        goto out;
    }
    if (memchr(buf, '\0', len)) {
        set_skip(j, "binary file (contains NUL bytes)");
        goto out;
    }
    uint64_t hash = document_hash(buf, len);
    if (j->stored_hash[0]) {
        char hex[17];
        snprintf(hex, sizeof hex, "%016" PRIx64, hash);
        j->content_same = strcmp(hex, j->stored_hash) == 0;
    }
    j->bad_utf8 = job_utf8_repair(buf, len, &text, &text_len);
    if (!text) {
        set_skip(j, "out of memory");
        goto out;
    }
    if (extract_buffer(extract_format_of(j->path), text, text_len, b->cfg,
                       &res) < 0) {
        set_skip(j, res.error ? res.error : "cannot be parsed");
        goto out;
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
    docsource_t src = { j->path, j->st, hash };
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
    extract_diag_release(&j->warnings);
    memset(j, 0, sizeof *j);
}
