/* fuzz.h - shared helpers for the libFuzzer harnesses in tests/fuzz/
 *
 * Each harness is one fuzz_NAME.c defining LLVMFuzzerTestOneInput; `make
 * fuzz` builds it with clang -fsanitize=fuzzer,address,undefined and runs
 * it from the seed corpus tests/fuzz/corpus/NAME/.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* DATA as the indexer hands a file to an extractor: NUL-terminated, NUL
 * bytes gone (the indexer skips such files) and invalid UTF-8 replaced
 * (the indexer repairs it; '?' keeps the length).  Caller frees. */
static inline char *
fuzz_text(const uint8_t *data, size_t size)
{
    char *p = malloc(size + 1);
    size_t i = 0;

    if (!p)
        return NULL;
    while (i < size) {
        uint8_t c = data[i];
        size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 :
                   c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        int ok = n > 0 && i + n <= size;
        for (size_t k = 1; ok && k < n; k++)
            ok = (data[i + k] & 0xC0) == 0x80;
        if (ok && n == 3) {
            /* no overlongs, no surrogates */
            ok = !(c == 0xE0 && data[i + 1] < 0xA0) &&
                 !(c == 0xED && data[i + 1] >= 0xA0);
        } else if (ok && n == 4) {
            ok = !(c == 0xF0 && data[i + 1] < 0x90) &&
                 !(c == 0xF4 && data[i + 1] >= 0x90);
        }
        if (!ok) {
            p[i++] = '?';
            continue;
        }
        for (size_t k = 0; k < n; k++, i++)
            p[i] = data[i] ? (char)data[i] : ' ';
    }
    p[size] = '\0';
    return p;
}

/* A NUL-terminated copy of DATA, cut at its first NUL (C strings). */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
    char *p = malloc(size + 1);
    if (p) {
        memcpy(p, data, size);
        p[size] = '\0';
    }
    return p;
}

#endif /* FUZZ_H */
