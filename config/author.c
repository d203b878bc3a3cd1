/* author.c - author-name normalisation and splitting with utf8proc
 *
 * Turns a name as written into the key both programs match on: NFKC,
 * case-folded, accents stripped from Latin letters only (so "Michał" and
 * "Michal" meet while Ukrainian "й", "ї" and Russian "ё" keep their marks),
 * punctuation read as spaces, spaces squeezed.  The indexer writes terms
 * from these keys and the searcher builds filters from them, so any change
 * here is a schema change.  Never prints; no static mutable state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "author.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "util/ascii.h"
#include "util/sbuf.h"
#include "util/utf8.h"

/* ---------------------------------------------------------------- helpers */

/* Latin base letters: after NFKD most are ASCII, but letters without a
 * decomposition (ø, ł, ɛ...) live in the Latin blocks. */
static bool
is_latin(utf8proc_int32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= 0x00C0 && c <= 0x024F && c != 0x00D7 && c != 0x00F7)
        || (c >= 0x0250 && c <= 0x02AF)     /* IPA extensions */
        || (c >= 0x1D00 && c <= 0x1DBF)     /* phonetic extensions */
        || (c >= 0x1E00 && c <= 0x1EFF)     /* Latin extended additional */
        || (c >= 0x2C60 && c <= 0x2C7F)     /* Latin extended-C */
        || (c >= 0xA720 && c <= 0xA7FF)     /* Latin extended-D */
        || (c >= 0xAB30 && c <= 0xAB6F);    /* Latin extended-E */
}

static bool
is_mark(utf8proc_int32_t c)
{
    utf8proc_category_t cat = utf8proc_category(c);

    return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC
        || cat == UTF8PROC_CATEGORY_ME;
}

/* Punctuation, symbols, spaces and controls separate words.  Unassigned
 * code points are kept: they may be letters of a newer Unicode. */
static bool
is_separator(utf8proc_int32_t c)
{
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK: case UTF8PROC_CATEGORY_SO:
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CS: case UTF8PROC_CATEGORY_CO:
        return true;
    default:
        return false;
    }
}

/* Latin letters with no canonical decomposition, spelled as a reader
 * without the keyboard would type them (case-folded forms only). */
static const char *
latin_fold(utf8proc_int32_t c)
{
    switch (c) {
    case 0x00E6: return "ae";   /* æ */
    case 0x00F0: return "d";    /* ð */
    case 0x00F8: return "o";    /* ø */
    case 0x00FE: return "th";   /* þ */
    case 0x0111: return "d";    /* đ */
    case 0x0127: return "h";    /* ħ */
    case 0x0131: return "i";    /* ı, Turkish dotless i */
    case 0x0142: return "l";    /* ł */
    case 0x0153: return "oe";   /* œ */
    case 0x0167: return "t";    /* ŧ */
    case 0x00DF: return "ss";   /* ß, should casefolding leave it */
    case 0x1E9E: return "ss";   /* ẞ */
    default: return NULL;
    }
}

/* A copy of the LEN bytes at S with invalid UTF-8 sequences dropped. */
static char *
valid_utf8(const char *s, size_t len, size_t *out_len)
{
    sbuf_t b = SBUF_INIT;

    if (utf8_repair(s, len, NULL, &b) == (size_t)-1) {
        sbuf_release(&b);
        return NULL;
    }
    *out_len = b.len;
    return sbuf_detach(&b);
}

/* ---------------------------------------------------------------- API */

char *
author_normalise(const char *name)
{
    const utf8proc_option_t opts = UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE
        | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_STRIPCC;
    utf8proc_int32_t *cps = NULL, *kept = NULL;
    utf8proc_ssize_t n_cps, n_kept = 0, i;
    size_t len, o = 0;
    char *clean, *out = NULL;
    bool after_latin = false, after_space = true, at_start = true;

    if (name == NULL)
        name = "";
    clean = valid_utf8(name, strlen(name), &len);
    if (clean == NULL)
        return NULL;

    /* NFKD and case folding. */
    n_cps = utf8proc_decompose((const utf8proc_uint8_t *)clean,
                               (utf8proc_ssize_t)len, NULL, 0, opts);
    if (n_cps < 0)
        goto done;
    cps = malloc(((size_t)n_cps + 1) * sizeof *cps);
    /* A folded letter may become two ("æ" -> "ae"), and a separator one
     * space: at most twice as many code points. */
    kept = malloc(((size_t)n_cps * 2 + 1) * sizeof *kept);
    if (cps == NULL || kept == NULL)
        goto done;
    if (utf8proc_decompose((const utf8proc_uint8_t *)clean,
                           (utf8proc_ssize_t)len, cps, n_cps, opts) != n_cps)
        goto done;

    /* Drop marks on Latin letters, fold the letters that do not decompose,
     * and read punctuation as spaces. */
    for (i = 0; i < n_cps; i++) {
        utf8proc_int32_t c = cps[i];
        const char *fold;

        if (is_mark(c)) {
            if (!after_latin && !after_space)
                kept[n_kept++] = c;
            continue;
        }
        if (c == '@' && at_start) {
            kept[n_kept++] = c;
            after_latin = false;
            after_space = true;
            at_start = false;
            continue;
        }
        if (is_separator(c)) {
            kept[n_kept++] = ' ';
            after_latin = false;
            after_space = true;
            continue;
        }
        at_start = false;
        after_space = false;
        if ((fold = latin_fold(c)) != NULL) {
            while (*fold != '\0')
                kept[n_kept++] = (unsigned char)*fold++;
            after_latin = true;
            continue;
        }
        kept[n_kept++] = c;
        after_latin = is_latin(c) || (c >= '0' && c <= '9');
    }

    /* Recompose what is left (Cyrillic й, Greek tonos...). */
    n_kept = utf8proc_normalize_utf32(kept, n_kept,
                                      UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    if (n_kept < 0)
        goto done;

    /* Encode, squeezing spaces and trimming. */
    out = malloc((size_t)n_kept * 4 + 1);
    if (out == NULL)
        goto done;
    after_space = true;
    for (i = 0; i < n_kept; i++) {
        if (kept[i] == ' ') {
            after_space = true;
            continue;
        }
        if (after_space && o > 0)
            out[o++] = ' ';
        after_space = false;
        o += (size_t)utf8proc_encode_char(kept[i],
                                          (utf8proc_uint8_t *)out + o);
    }
    out[o] = '\0';

done:
    free(clean);
    free(cps);
    free(kept);
    return out;
}

char *
author_key(const char *name)
{
    char *norm = author_normalise(name);
    char *p, *q;

    if (norm == NULL)
        return NULL;
    p = norm;
    if (*p == '@')
        p++;
    while (*p == ' ')
        p++;
    for (q = norm; *p != '\0'; p++)
        *q++ = *p == ' ' ? '-' : *p;
    *q = '\0';
    return norm;
}

size_t
author_each_word(const char *name, author_word_fn fn, void *ctx)
{
    char *norm = author_normalise(name);
    char *p, *word;
    size_t n = 0;

    if (norm == NULL)
        return 0;
    p = norm;
    if (*p == '@')
        p++;
    while (*p != '\0') {
        while (*p == ' ')
            p++;
        if (*p == '\0')
            break;
        word = p;
        while (*p != '\0' && *p != ' ')
            p++;
        if (*p == ' ')
            *p++ = '\0';
        if (fn != NULL)
            fn(ctx, word);
        n++;
    }
    free(norm);
    return n;
}

/* ---------------------------------------------------------------- split */

static bool
is_sep_char(int c)
{
    return c == ',' || c == ';' || c == '&' || c == '\n' || c == '|';
}

static int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* True when a whole word "and" starts at P (START..END is the list). */
static bool
is_and_at(const char *start, const char *p, const char *end)
{
    if (end - p < 3 || lower((unsigned char)p[0]) != 'a'
        || lower((unsigned char)p[1]) != 'n'
        || lower((unsigned char)p[2]) != 'd')
        return false;
    if (p > start && !ascii_is_space((unsigned char)p[-1])
        && !is_sep_char((unsigned char)p[-1]))
        return false;
    return p + 3 == end || ascii_is_space((unsigned char)p[3])
        || is_sep_char((unsigned char)p[3]);
}

static bool
has_space(const char *s, const char *end)
{
    for (; s < end; s++)
        if (ascii_is_space((unsigned char)*s))
            return true;
    return false;
}

/* "Last, First": one comma, no other separator, one word on each side. */
static bool
is_last_first(const char *s, const char *end)
{
    const char *comma = NULL, *p, *a, *b;

    for (p = s; p < end; p++) {
        if (*p == ',') {
            if (comma != NULL)
                return false;
            comma = p;
        } else if (is_sep_char((unsigned char)*p) || is_and_at(s, p, end)) {
            return false;
        }
    }
    if (comma == NULL)
        return false;
    a = s;
    p = comma;
    ascii_trim(&a, &p);
    b = comma + 1;
    ascii_trim(&b, &end);
    return a < p && b < end && !has_space(a, p) && !has_space(b, end);
}

static size_t
emit(const char *s, const char *end, author_name_fn fn, void *ctx)
{
    ascii_trim(&s, &end);
    if (s == end)
        return 0;
    if (fn != NULL)
        fn(ctx, s, (size_t)(end - s));
    return 1;
}

size_t
author_split(const char *list, author_name_fn fn, void *ctx)
{
    const char *s, *end, *p, *piece;
    size_t n = 0;

    if (list == NULL)
        return 0;
    s = list;
    end = list + strlen(list);
    ascii_trim(&s, &end);
    if (end - s > 3 && lower((unsigned char)s[0]) == 'b'
        && lower((unsigned char)s[1]) == 'y'
        && (ascii_is_space((unsigned char)s[2]) || s[2] == ':')) {
        s += 3;
        ascii_trim(&s, &end);
    }
    if (is_last_first(s, end))
        return emit(s, end, fn, ctx);

    piece = s;
    for (p = s; p < end; ) {
        if (is_sep_char((unsigned char)*p)) {
            n += emit(piece, p, fn, ctx);
            piece = ++p;
        } else if (is_and_at(s, p, end)) {
            n += emit(piece, p, fn, ctx);
            p += 3;
            piece = p;
        } else {
            p++;
        }
    }
    n += emit(piece, end, fn, ctx);
    return n;
}
