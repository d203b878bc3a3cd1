/* fuzz_author.c - the author normaliser, key and splitter
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config/author.h"
#include "tests/fuzz/fuzz.h"

static void
word_cb(void *ctx, const char *word)
{
    (void)ctx;
    if (!word || !*word)
        abort();
}

static void
name_cb(void *ctx, const char *name, size_t len)
{
    (void)ctx;
    char *n = strndup(name, len);
    if (!n)
        return;
    char *k = author_key(n);
    free(k);
    author_each_word(n, word_cb, NULL);
    free(n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    if (!s)
        return 0;
    char *n = author_normalise(s);
    if (n) {
        /* Normalising is idempotent. */
        char *n2 = author_normalise(n);
        if (n2 && strcmp(n, n2) != 0)
            abort();
        free(n2);
    }
    free(n);
    free(author_key(s));
    author_each_word(s, word_cb, NULL);
    author_split(s, name_cb, NULL);
    free(s);
    return 0;
}
