/* langcode.c - language tags to the codes dossier stores
 *
 * See langcode.h.  Pure string work: no I/O, no allocation.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config/langcode.h"

#include <string.h>

static const struct { const char *from, *to; } names[] = {
    { "ua", "uk" }, { "ukr", "uk" }, { "ukrainian", "uk" },
    { "rus", "ru" }, { "russian", "ru" },
    { "eng", "en" }, { "english", "en" },
};

size_t
langcode_normalise(const char *in, char out[LANGCODE_LEN])
{
    char tag[16];
    size_t n = 0, i = 0;

    out[0] = '\0';
    if (!in)
        return 0;
    while (in[i] == ' ' || in[i] == '\t')
        i++;
    for (; in[i] && in[i] != '-' && in[i] != '_' && in[i] != ' '; i++) {
        char c = in[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z' || n + 1 >= sizeof tag)
            return 0;
        tag[n++] = c;
    }
    tag[n] = '\0';
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        if (strcmp(tag, names[k].from) == 0) {
            strcpy(out, names[k].to);
            return strlen(out);
        }
    }
    if (n < 2 || n > 3)
        return 0;
    /* CLD2's codes with a script: zh-Hant, sr-Latn. */
    if (in[i] == '-' && strlen(in + i) == 5 && n == 2) {
        const char *s = in + i + 1;
        int letters = 1;
        for (int k = 0; k < 4; k++)
            letters &= (s[k] >= 'a' && s[k] <= 'z') ||
                       (s[k] >= 'A' && s[k] <= 'Z');
        if (letters && (strcmp(tag, "zh") == 0 || strcmp(tag, "sr") == 0)) {
            memcpy(out, tag, n);
            out[n] = '-';
            for (int k = 0; k < 4; k++) {
                char c = s[k];
                out[n + 1 + k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
            out[n + 5] = '\0';
            return n + 5;
        }
    }
    memcpy(out, tag, n + 1);
    return n;
}
