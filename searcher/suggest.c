/* suggest.c - the spelling suggestion of a search that finds little
 *
 * Split from query.c (issue 11), moved, not changed: which words of a
 * query to correct (not operators, fields, excluded words, wildcards,
 * codes), and the dictionary's spelling of those that find nothing.
 * Never prints.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "searcher/suggest.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Spelling suggestions                                                */

static bool
is_stopword(const config_t *cfg, const char *word)
{
    for (size_t i = 0; i < cfg->stopwords.n; i++)
        if (strcmp(cfg->stopwords.v[i], word) == 0)
            return true;
    return false;
}

/* The words a suggestion may correct: letters (any non-ASCII byte counts
 * as one) with apostrophes inside. */
static bool
is_word_byte(char c)
{
    return isalpha((unsigned char)c) || (unsigned char)c >= 0x80;
}

static bool
is_operator(const char *t, size_t len)
{
    static const char *const ops[] = { "AND", "OR", "NOT", "XOR", "NEAR",
                                       "ADJ", NULL };
    for (size_t i = 0; ops[i]; i++) {
        size_t l = strlen(ops[i]);
        if (len >= l && strncmp(t, ops[i], l) == 0 &&
            (len == l || t[l] == '/'))
            return true;
    }
    return false;
}

/* Whether WORD (lower-case) finds a document on its own, as a query word:
 * written, stemmed or through a synonym, or is in a document as written. */
static bool
word_matches(suggest_speller_t *sp, const char *word)
{
    xsh_results_t *r = NULL;
    char err[256];
    bool found = true;          /* when in doubt, leave the word alone */
    unsigned freq = 0;

    /* A word the index holds as written is no misspelling, and a look-up
     * of its term costs a few microseconds where the probe search below
     * costs a millisecond and more (its set-up is a whole search's). */
    if (xsh_db_termfreq(sp->q->db, word, &freq) == XSH_OK && freq > 0)
        return true;
    if (!sp->has_probe) {
        query_spec_t spec = { .query = word };
        if (query_build(&sp->probe, sp->q->db, sp->q->cfg, &spec, err,
                        sizeof err) < 0) {
            sp->failed = true;
            return true;
        }
        sp->has_probe = true;
    } else if (xsh_search_parse(sp->probe.s, word, sp->q->parse_flags)
               != XSH_OK) {
        return true;
    }
    if (xsh_search_run(sp->probe.s, 0, 1, 0, &r) == XSH_OK)
        found = xsh_results_size(r) > 0;
    xsh_results_free(r);
    return found;
}

/* The dictionary's spelling of WORD (LEN bytes) when it should be
 * corrected, malloc'd; else NULL. */
static char *
correct_word(suggest_speller_t *sp, const char *word, size_t len)
{
    const config_t *cfg = sp->q->cfg;
    char *w = strndup(word, len), *low = w ? query_lower_utf8(w) : NULL;
    char *sug = NULL;

    free(w);
    if (!low || strlen(low) < 3 || is_stopword(cfg, low) ||
        word_matches(sp, low) || sp->failed ||
        xsh_db_spelling_suggestion(sp->q->db, low, 2, &sug) != XSH_OK ||
        !*sug || strcmp(sug, low) == 0 || is_stopword(cfg, sug)) {
        free(sug);
        sug = NULL;
    }
    free(low);
    return sug;
}

/* TEXT with its misspelt words corrected (malloc'd), or NULL when none
 * is. */
char *
suggest_correct_query(suggest_speller_t *sp, const char *text)
{
    size_t len = strlen(text);
    char *out = NULL;
    size_t out_len = 0;
    FILE *f = open_memstream(&out, &out_len);
    bool quoted = false, field_phrase = false, after_not = false;
    bool changed = false;

    if (!f)
        return NULL;
    for (size_t i = 0; i < len;) {
        char c = text[i];
        if (c == '"') {
            quoted = !quoted;
            if (!quoted)
                field_phrase = false;
            fputc(c, f);
            i++;
            continue;
        }
        if (isspace((unsigned char)c)) {
            fputc(c, f);
            i++;
            continue;
        }
        size_t t = i;
        while (t < len && !isspace((unsigned char)text[t]) && text[t] != '"')
            t++;
        /* Left alone: operators, excluded words (-word, NOT word), fields
         * (title:word, date:..., and a phrase given to a field), and
         * wildcards. */
        bool keep = field_phrase || memchr(text + i, '*', t - i) != NULL;
        if (!quoted) {
            keep = keep || after_not || text[i] == '-' ||
                   is_operator(text + i, t - i);
            after_not = t - i == 3 && strncmp(text + i, "NOT", 3) == 0;
            if (memchr(text + i, ':', t - i)) {
                keep = true;
                field_phrase = text[t - 1] == ':' && t < len &&
                               text[t] == '"';
            }
        }
        for (size_t k = i; k < t;) {
            if (!is_word_byte(text[k])) {
                fputc(text[k++], f);
                continue;
            }
            size_t w = k;
            while (w < t && (is_word_byte(text[w]) ||
                             (text[w] == '\'' && w + 1 < t &&
                              is_word_byte(text[w + 1]))))
                w++;
            /* Not part of a number or code like "F16" or "2nd". */
            bool code = (k > i && isdigit((unsigned char)text[k - 1])) ||
                        (w < t && isdigit((unsigned char)text[w]));
            char *sug = keep || code ? NULL
                                     : correct_word(sp, text + k, w - k);
            if (sug) {
                fputs(sug, f);
                changed = true;
            } else {
                fwrite(text + k, 1, w - k, f);
            }
            free(sug);
            k = w;
        }
        i = t;
    }
    if (fclose(f) != 0 || !changed) {
        free(out);
        return NULL;
    }
    return out;
}
