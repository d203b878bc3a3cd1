/* translit.c - Latin spellings and skeletons of Cyrillic and Latin words
 *
 * Owns the transliteration rules (ICU's C API, utrans) and the folding of
 * Latin spellings into skeletons (translit.h says what a skeleton is for).
 * ICU 72 has Russian-Latin/BGN but not Ukraine's national system of 2010
 * (Cabinet of Ministers resolution No. 55), so that one is written here as
 * ICU rules.  It must not know prefixes or terms: the indexer and the
 * searcher decide where skeletons go.
 *
 * ICU is loaded (dlopen) by the first translit_new(), not linked: mapping
 * and relocating libicui18n and libicuuc took 0.7 to 1.0 ms of every
 * dossier-search process, and a search of ASCII words never
 * transliterates.  The names looked up are ICU's versioned ones
 * (utrans_openU_72), from the headers built against.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/parseerr.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "config/translit.h"

/* Ukrainian in Latin letters, national system of 2010, on lowercased
 * text.  Є, Ї, Й, Ю, Я are ye, yi, y, yu, ya at the start of a word and
 * ie, i, i, iu, ia elsewhere; зг is zgh (so it differs from ж, zh); the
 * soft sign and the apostrophe are dropped.  ICU tries the rules in order
 * at each position, so the contexts and зг come before the single
 * letters.  The context $nl, a non-letter, also matches before the
 * start of the text (ICU's own anchor ^ would be masked by it).
 * Russian-only letters, should a word reach these rules with
 * them, get BGN's values. */
static const char uk_rules[] =
    "::Any-Lower ;"
    "$nl = [^[:L:][:M:]\\u0027\\u2019\\u02BC] ;"
    "$nl { є > ye ;"
    "$nl { ї > yi ;"
    "$nl { й > y ;"
    "$nl { ю > yu ;"
    "$nl { я > ya ;"
    "зг > zgh ;"
    "а > a ; б > b ; в > v ; г > h ; ґ > g ; д > d ; е > e ; є > ie ;"
    "ж > zh ; з > z ; и > y ; і > i ; ї > i ; й > i ; к > k ; л > l ;"
    "м > m ; н > n ; о > o ; п > p ; р > r ; с > s ; т > t ; у > u ;"
    "ф > f ; х > kh ; ц > ts ; ч > ch ; ш > sh ; щ > shch ; ь > ;"
    "ю > iu ; я > ia ;"
    "ё > ye ; ы > y ; э > e ; ъ > ;"
    "[\\u0027\\u2019\\u02BC] > ;"
    "::Any-Latin ; ::Latin-ASCII ;";

/* Russian by BGN/PCGN (ICU's own), then plain ASCII: BGN's ë, ʹ and ʺ
 * become e and nothing. */
static const char ru_id[] = "Any-Lower; Russian-Latin/BGN; Any-Latin; "
    "Latin-ASCII";

/* ICU's functions, from the libraries loaded by load_icu(). */
static struct {
    __typeof__(&u_strFromUTF8) strFromUTF8;
    __typeof__(&u_strToUTF8) strToUTF8;
    __typeof__(&u_errorName) errorName;
    __typeof__(&utrans_openU) openU;
    __typeof__(&utrans_clone) clone;
    __typeof__(&utrans_close) close;
    __typeof__(&utrans_transUChars) transUChars;
} icu;

/* A macro's expansion as a string: ICU_NAME(utrans_openU) is
 * "utrans_openU_72" with ICU 72's headers. */
#define ICU_STR_(x) #x
#define ICU_NAME(x) ICU_STR_(x)
#define ICU_I18N_SONAME "libicui18n.so." ICU_NAME(U_ICU_VERSION_MAJOR_NUM)

/* Load libicui18n (and with it libicuuc) and look up the functions
 * above.  Returns false with the reason in ERR.  Never unloaded. */
static bool
load_icu(char *err, size_t errlen)
{
    void *h = dlopen(ICU_I18N_SONAME, RTLD_NOW | RTLD_LOCAL);
    const char *missing = NULL;

    if (!h) {
        snprintf(err, errlen, "cannot load ICU: %s", dlerror());
        return false;
    }
#define ICU_LOOKUP(field, fn)                                             \
    if (!missing                                                          \
        && !(icu.field = (__typeof__(icu.field))dlsym(h, ICU_NAME(fn))))  \
        missing = ICU_NAME(fn)
    ICU_LOOKUP(strFromUTF8, u_strFromUTF8);
    ICU_LOOKUP(strToUTF8, u_strToUTF8);
    ICU_LOOKUP(errorName, u_errorName);
    ICU_LOOKUP(openU, utrans_openU);
    ICU_LOOKUP(clone, utrans_clone);
    ICU_LOOKUP(close, utrans_close);
    ICU_LOOKUP(transUChars, utrans_transUChars);
#undef ICU_LOOKUP
    if (missing) {
        snprintf(err, errlen, "cannot load ICU: %s lacks %s",
                 ICU_I18N_SONAME, missing);
        return false;
    }
    return true;
}

struct translit {
    UTransliterator *uk;
    UTransliterator *ru;
};

/* The longest word we transliterate, in UTF-16 units; longer input is
 * not a name. */
enum { WORD_MAX = 256 };

static UTransliterator *
open_trans(const char *id, const char *rules, char *err, size_t errlen)
{
    UChar uid[128], *urules = NULL;
    int32_t n_id = 0, n_rules = 0;
    UErrorCode st = U_ZERO_ERROR;
    UParseError pe;
    UTransliterator *t;

    icu.strFromUTF8(uid, 128, &n_id, id, -1, &st);
    if (rules && U_SUCCESS(st)) {
        size_t len = strlen(rules) + 1;
        urules = malloc(len * sizeof *urules);
        if (!urules) {
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
        icu.strFromUTF8(urules, (int32_t)len, &n_rules, rules, -1, &st);
    }
    if (U_FAILURE(st)) {
        free(urules);
        snprintf(err, errlen, "transliterator '%s': %s", id,
                 icu.errorName(st));
        return NULL;
    }
    t = icu.openU(uid, n_id, UTRANS_FORWARD, urules, n_rules, &pe, &st);
    free(urules);
    if (U_FAILURE(st)) {
        snprintf(err, errlen, "transliterator '%s': %s at rule offset %d", id,
                 icu.errorName(st), (int)pe.offset);
        return NULL;
    }
    return t;
}

/* The transliterators every handle is cloned from, made once per
 * process: making one parses its rules and builds Any-Latin's dozens of
 * parts (about 7 million instructions each time, and 137 million more
 * for ICU's registry the first time), cloning one copies them.  Never
 * freed: ICU keeps its registry until exit too.  Cloning only reads the
 * prototypes, so threads may clone at once. */
static pthread_once_t proto_once = PTHREAD_ONCE_INIT;
static UTransliterator *proto_uk, *proto_ru;
static char proto_err[256];

static void
make_protos(void)
{
    if (!load_icu(proto_err, sizeof proto_err))
        return;
    proto_uk = open_trans("dossier-Ukrainian-Latin/2010", uk_rules,
                          proto_err, sizeof proto_err);
    if (proto_uk)
        proto_ru = open_trans(ru_id, NULL, proto_err, sizeof proto_err);
}

translit_t *
translit_new(char *err, size_t errlen)
{
    char dummy[1];
    translit_t *t;
    UErrorCode st = U_ZERO_ERROR;

    if (!err || errlen == 0) {
        err = dummy;
        errlen = sizeof dummy;
    }
    err[0] = '\0';
    pthread_once(&proto_once, make_protos);
    if (!proto_uk || !proto_ru) {
        snprintf(err, errlen, "%s", proto_err);
        return NULL;
    }
    t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    t->uk = icu.clone(proto_uk, &st);
    if (U_SUCCESS(st))
        t->ru = icu.clone(proto_ru, &st);
    if (U_FAILURE(st) || !t->uk || !t->ru) {
        snprintf(err, errlen, "transliterators: %s", icu.errorName(st));
        translit_free(t);
        return NULL;
    }
    return t;
}

void
translit_free(translit_t *t)
{
    if (!t)
        return;
    if (t->uk)
        icu.close(t->uk);
    if (t->ru)
        icu.close(t->ru);
    free(t);
}

/* Does the UTF-16 word hold a letter only Russian has (ы э ъ ё)? */
static bool
is_russian(const UChar *w, int32_t n)
{
    for (int32_t i = 0; i < n; i++) {
        switch (w[i]) {
        case 0x44B: case 0x44D: case 0x44A: case 0x451:
        case 0x42B: case 0x42D: case 0x42A: case 0x401:
            return true;
        }
    }
    return false;
}

int
translit_latin(translit_t *t, const char *word, size_t len, char *out,
               size_t cap)
{
    /* Each letter may become up to four (щ -> shch): room for that. */
    UChar buf[WORD_MAX * 4];
    int32_t n = 0, limit, n_out = 0;
    UErrorCode st = U_ZERO_ERROR;

    if (!t || !word || !out || cap == 0)
        return TRANSLIT_ERR_ICU;
    out[0] = '\0';
    if (len > WORD_MAX)
        return TRANSLIT_ERR_SPACE;
    icu.strFromUTF8(buf, WORD_MAX, &n, word, (int32_t)len, &st);
    if (U_FAILURE(st))
        return TRANSLIT_ERR_ICU;
    limit = n;
    icu.transUChars(is_russian(buf, n) ? t->ru : t->uk, buf, &n,
                       (int32_t)(sizeof buf / sizeof *buf), 0, &limit, &st);
    if (U_FAILURE(st))
        return st == U_BUFFER_OVERFLOW_ERROR ? TRANSLIT_ERR_SPACE
                                             : TRANSLIT_ERR_ICU;
    icu.strToUTF8(out, (int32_t)cap, &n_out, buf, n, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING
        || (size_t)n_out >= cap) {
        out[0] = '\0';
        return TRANSLIT_ERR_SPACE;
    }
    return n_out;
}

/* ------------------------------------------------------------------ */
/* Folding                                                             */
/* ------------------------------------------------------------------ */

/* Spellings of one sound, longest first; the first that matches at a
 * position is replaced and the scan goes on after it. */
static const struct fold { const char *from, *to; } folds[] = {
    { "shch", "s" }, { "sch", "s" }, { "tch", "c" }, { "sh", "s" },
    { "ch", "c" }, { "cz", "c" }, { "ts", "c" }, { "tz", "c" },
    { "zh", "z" }, { "kh", "h" }, { "gh", "h" }, { "ph", "f" },
    { "ck", "k" }, { "g", "h" }, { "w", "v" }, { "q", "k" }, { "x", "ks" },
    { "y", "i" }, { "j", "i" },
};

static bool
is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

int
translit_fold(const char *latin, unsigned flags, char *out, size_t cap)
{
    char tmp[WORD_MAX * 4 + 1];
    size_t n = 0, m = 0;

    if (!latin || !out || cap == 0)
        return TRANSLIT_ERR_SPACE;
    out[0] = '\0';
    /* 1. Letters and digits only, lowercase, spellings folded. */
    for (const char *p = latin; *p; ) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            p++;
            continue;
        }
        const struct fold *f = NULL;
        for (size_t i = 0; i < sizeof folds / sizeof *folds; i++) {
            size_t l = strlen(folds[i].from);
            if (strncasecmp(p, folds[i].from, l) == 0) {
                f = &folds[i];
                p += l;
                break;
            }
        }
        const char *add = f ? f->to : (char[]){ c, '\0' };
        if (!f)
            p++;
        for (; *add; add++) {
            if (n + 1 >= sizeof tmp)
                return TRANSLIT_ERR_SPACE;
            tmp[n++] = *add;
        }
    }
    /* 2. Runs of one letter as one (zelenskyy, zaporizhzhia); "ie" as
     * "e" (ye and ie for є, Yevhen and Evgeny). */
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && tmp[m - 1] == tmp[i])
            continue;
        if (tmp[i] == 'e' && m > 0 && tmp[m - 1] == 'i') {
            tmp[m - 1] = 'e';
            continue;
        }
        tmp[m++] = tmp[i];
    }
    /* 3. Final vowels, while three letters stay. */
    if (!(flags & TRANSLIT_FOLD_KEEP_ENDING)) {
        while (m > 3 && is_vowel(tmp[m - 1]))
            m--;
    }
    if (m + 1 > cap)
        return TRANSLIT_ERR_SPACE;
    memcpy(out, tmp, m);
    out[m] = '\0';
    return (int)m;
}

int
translit_skeleton(translit_t *t, const char *word, size_t len, char *out,
                  size_t cap)
{
    char latin[WORD_MAX * 4 + 1];
    int n = translit_latin(t, word, len, latin, sizeof latin);

    if (n < 0) {
        if (out && cap > 0)
            out[0] = '\0';
        return n;
    }
    return translit_fold(latin, 0, out, cap);
}
