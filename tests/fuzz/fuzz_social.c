/* fuzz_social.c - the exporters' layouts: Telegram, X, Mastodon, Reddit.
 * Byte 0: the read size (1 + byte 0 >> 2); bit 0: a context for every
 * record, with the files beside or not.
 * Byte 1: the record limit (16 * (1 + byte 1)).  The rest, up to a NUL,
 * is the export, streamed as the indexer streams it (records.c, objects
 * around posts included); after the NUL, the bytes of the files beside
 * it (account.js, note-tweet.js and actor.json, split at two more NULs).
 * Each record is extracted in its context (extract_ctx_text(),
 * extract_record_in()).  Records must lie inside the input, start on a
 * line that exists, in order; contexts must parse.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "tests/fuzz/fuzz_extract.inc"
#include "indexer/records.h"

typedef struct mem {
    const uint8_t *p;
    size_t size, pos, step;
} mem_t;

static ssize_t
mem_read(void *ctx, void *buf, size_t cap, char *err, size_t errlen)
{
    mem_t *m = ctx;
    size_t n = m->size - m->pos;
    (void)err;
    (void)errlen;
    if (n > m->step)
        n = m->step;
    if (n > cap)
        n = cap;
    memcpy(buf, m->p + m->pos, n);
    m->pos += n;
    return (ssize_t)n;
}

/* The next piece of P (up to a NUL or the end) as a new string. */
static char *
piece(const uint8_t **p, const uint8_t *end, size_t *len)
{
    const uint8_t *nul = memchr(*p, 0, (size_t)(end - *p));
    const uint8_t *e = nul ? nul : end;
    *len = (size_t)(e - *p);
    char *s = fuzz_text(*p, *len);
    *p = nul ? nul + 1 : end;
    return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)run_extract;          /* fuzz_extract.inc's: not this harness's */
    if (size < 2)
        return 0;
    if (!cfg_ready) {
        if (config_init_defaults(&cfg) < 0)
            abort();
        cfg_ready = 1;
    }
    const uint8_t *end = data + size, *p = data + 2;
    const uint8_t *nul = memchr(p, 0, size - 2);
    mem_t m = { p, (size_t)((nul ? nul : end) - p), 0,
                1 + (size_t)(data[0] >> 2) };
    size_t max = 16 * (1 + (size_t)data[1]), lines = 1;
    const uint8_t *rest = nul ? nul + 1 : end;
    size_t acc_len, notes_len, actor_len;
    char *acc = piece(&rest, end, &acc_len);
    char *notes = piece(&rest, end, &notes_len);
    char *actor = piece(&rest, end, &actor_len);
    unsigned long last = 0;
    records_t r;
    record_t rec;

    for (size_t i = 0; i < m.size; i++)
        lines += m.p[i] == '\n';
    if (records_open(&r, RECORDS_JSON, mem_read, &m, max) < 0)
        goto out;
    while (records_next(&r, &rec) > 0) {
        if (rec.line < 1 || rec.line > lines || rec.line < last)
            abort();
        last = rec.line;
        if (!rec.p)
            continue;
        if (rec.len > max || rec.len > m.size)
            abort();
        extract_diag_t w = { NULL, 0 };
        sbuf_t t = SBUF_INIT;
        unsigned needs = extract_ctx_needs(rec.ctx, r.ytd);
        extract_ctx_t *x = NULL;
        if ((rec.ctx || needs || (data[0] & 1)) &&
            extract_ctx_text(&t, rec.ctx, acc, acc_len, notes, notes_len,
                             actor, actor_len, &w) == 0 &&
            t.p && !(x = extract_ctx_new(t.p, t.len)))
            abort();            /* a context the writer made must parse */
        char *text = fuzz_text((const uint8_t *)rec.p, rec.len);
        if (text) {
            extract_result_t res;
            memset(&res, 0, sizeof res);
            extract_record_in(text, rec.len, &cfg, rec.line, x, &res);
            extract_result_release(&res);
            free(text);
        }
        extract_ctx_free(x);
        sbuf_release(&t);
        extract_diag_release(&w);
    }
    if (r.consumed > m.size)
        abort();
    records_close(&r);
out:
    free(acc);
    free(notes);
    free(actor);
    return 0;
}
