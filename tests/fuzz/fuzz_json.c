/* fuzz_json.c - JSON and JSON Lines exports: the first byte chooses how.
 * Bit 0: JSON Lines or JSON.  Bit 1 clear: the whole-buffer extractors
 * (extract_json, extract_jsonl).  Bit 1 set: the stream the indexer reads
 * (records.c) over the rest, handed out (1 + byte 0 >> 2) bytes per read
 * so records straddle refills, keeping records of at most 16 * (1 + byte
 * 1) bytes, each record then extracted as one post (extract_record).
 * Records must lie inside the input, be no longer than the limit, start
 * on a line that exists, and come in order.
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

static int
run_records(uint8_t how, const uint8_t *data, size_t size)
{
    mem_t m = { data + 1, size - 1, 0, 1 + (size_t)(how >> 2) };
    size_t max = 16 * (1 + (size_t)data[0]), lines = 1;
    unsigned long last = 0;
    records_t r;
    record_t rec;

    for (size_t i = 0; i < m.size; i++)
        lines += m.p[i] == '\n';
    if (!cfg_ready) {
        if (config_init_defaults(&cfg) < 0)
            abort();
        cfg_ready = 1;
    }
    if (records_open(&r, how & 1 ? RECORDS_LINES : RECORDS_JSON, mem_read,
                     &m, max) < 0)
        return 0;
    while (records_next(&r, &rec) > 0) {
        if (rec.line < 1 || rec.line > lines || rec.line < last)
            abort();
        last = rec.line;
        if (!rec.p)
            continue;
        if (rec.len > max || rec.len > m.size)
            abort();
        char *text = fuzz_text((const uint8_t *)rec.p, rec.len);
        if (!text)
            continue;
        extract_result_t res;
        memset(&res, 0, sizeof res);
        extract_record(text, rec.len, &cfg, rec.line, &res);
        extract_result_release(&res);
        free(text);
    }
    if (r.consumed > m.size)
        abort();
    records_close(&r);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] & 2)
        return size > 1 ? run_records(data[0], data + 1, size - 1) : 0;
    return run_extract(data[0] & 1 ? EXTRACT_JSONL : EXTRACT_JSON, data + 1,
                       size - 1);
}
