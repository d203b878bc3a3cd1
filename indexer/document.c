/* document.c - metadata rules and the schema's layout of one document
 *
 * Everything here is per document and pure apart from the term generator:
 * no I/O, no database.  The builder is reused across documents so regexes
 * are compiled once per run, not per file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "indexer/document.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <utf8proc.h>

#include "config/author.h"
#include "config/date.h"
#include "config/langcode.h"
#include "config/schema.h"
#include "indexer/simhash.h"
#include "util/utf8.h"

/* Xapian refuses terms over 245 bytes; ids longer than this are hashed. */
#define MAX_TERM_LEN 240
/* Body text kept in the document data for snippets. */
#define MAX_STORED_BODY (128 * 1024)
/* ... and of a paged one (PDF), whose hits are given a page. */
#define MAX_STORED_PAGED (1024 * 1024)

uint64_t
document_hash(const char *p, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static char *
make_term(const char *prefix, const char *a, const char *sep, const char *b)
{
    size_t plen = strlen(prefix), alen = strlen(a);
    size_t slen = b ? strlen(sep) : 0, blen = b ? strlen(b) : 0;
    size_t total = plen + alen + slen + blen;
    char *t = malloc(total + 1);

    if (!t)
        return NULL;
    if (total <= MAX_TERM_LEN) {
        snprintf(t, total + 1, "%s%s%s%s", prefix, a, b ? sep : "",
                 b ? b : "");
        return t;
    }
    /* Keep a readable head and make it unique with a hash of the whole. */
    uint64_t h = document_hash(a, alen);
    if (b) {
        h ^= document_hash(sep, slen) * 31;
        h ^= document_hash(b, blen) * 131;
    }
    size_t head = utf8_cut(a, alen, MAX_TERM_LEN - plen - 18);
    snprintf(t, total + 1, "%s%.*s#%016" PRIx64, prefix, (int)head, a, h);
    return t;
}

char *
document_file_term(const char *path)
{
    return make_term(SCHEMA_PREFIX_FILE, path, "", NULL);
}

char *
document_id_term(const char *path, const char *id)
{
    return make_term(SCHEMA_PREFIX_ID, path, "#", id);
}

char *
document_line_term(const char *path, unsigned long line)
{
    char num[24];
    snprintf(num, sizeof num, "%lu", line);
    return make_term(SCHEMA_PREFIX_ID, path, "@", num);
}

/* ------------------------------------------------------------------ */

int
docbuilder_init(docbuilder_t *b, const config_t *cfg, const char *folds,
                char *err, size_t errlen)
{
    char *msg = NULL;

    memset(b, 0, sizeof *b);
    b->cfg = cfg;
    b->title_wdf = cfg->title_weight >= 1 ?
                   (unsigned)lround(cfg->title_weight) : 1;
    if (xsh_termgen_new(cfg->language, &b->tg, &msg) != XSH_OK) {
        snprintf(err, errlen, "language '%s': %s", cfg->language,
                 msg ? msg : "cannot be used");
        free(msg);
        return -1;
    }
    if (cfg->stopwords.n &&
        xsh_termgen_set_stopwords(b->tg, (const char *const *)
                                  cfg->stopwords.v,
                                  cfg->stopwords.n) != XSH_OK) {
        snprintf(err, errlen, "stopwords: %s",
                 xsh_termgen_errmsg(b->tg));
        docbuilder_release(b);
        return -1;
    }
    static const char *const fold_prefixes[] = { "", SCHEMA_PREFIX_TITLE };
    if (folds && *folds &&
        xsh_termgen_set_folds(b->tg, folds, fold_prefixes, 2) != XSH_OK) {
        snprintf(err, errlen, "synonyms: %s", xsh_termgen_errmsg(b->tg));
        docbuilder_release(b);
        return -1;
    }
    if (cfg->boilerplate.n) {
        b->boilerplate = calloc(cfg->boilerplate.n, sizeof *b->boilerplate);
        if (!b->boilerplate) {
            snprintf(err, errlen, "out of memory");
            docbuilder_release(b);
            return -1;
        }
        for (size_t i = 0; i < cfg->boilerplate.n; i++) {
            /* A pattern matches a whole trimmed paragraph, never a word
             * inside one (config.h). */
            size_t len = strlen(cfg->boilerplate.v[i]) + 5;
            char *re = malloc(len);
            int bad = !re;
            if (re) {
                snprintf(re, len, "^(%s)$", cfg->boilerplate.v[i]);
                bad = regcomp(&b->boilerplate[i], re,
                              REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0;
                free(re);
            }
            if (bad) {
                snprintf(err, errlen, "index.boilerplate: invalid regular "
                         "expression '%s'", cfg->boilerplate.v[i]);
                docbuilder_release(b);
                return -1;
            }
            b->n_boilerplate++;
        }
    }
    return 0;
}

void
docbuilder_release(docbuilder_t *b)
{
    xsh_stem_free(b->stem);
    translit_free(b->tl);
    free(b->skelcache);
    for (size_t i = 0; i < b->n_boilerplate; i++)
        regfree(&b->boilerplate[i]);
    free(b->boilerplate);
    xsh_termgen_free(b->tg);
    memset(b, 0, sizeof *b);
}

void
builtdoc_release(builtdoc_t *d)
{
    xsh_doc_free(d->doc);
    free(d->id_term);
    d->doc = NULL;
    d->id_term = NULL;
}

/* ------------------------------------------------------------------ */
/* Authors                                                             */

typedef struct names {
    char **display;
    char **key;
    size_t n;
    const config_t *cfg;
    int failed;
} names_t;

static void
names_add(void *ctx, const char *name, size_t len)
{
    names_t *ns = ctx;
    char *raw = strndup(name, len);
    if (!raw) {
        ns->failed = 1;
        return;
    }
    const char *alias = config_alias_lookup(ns->cfg, raw);
    char *display = strdup(alias ? alias : raw);
    char *key = display ? author_key(display) : NULL;
    free(raw);
    if (!display || !key) {
        free(display);
        free(key);
        ns->failed = 1;
        return;
    }
    for (size_t i = 0; i < ns->n; i++) {
        if (strcmp(ns->key[i], key) == 0 || key[0] == '\0') {
            free(display);
            free(key);
            return;
        }
    }
    char **d = realloc(ns->display, (ns->n + 1) * sizeof *d);
    if (d)
        ns->display = d;
    char **k = realloc(ns->key, (ns->n + 1) * sizeof *k);
    if (k)
        ns->key = k;
    if (!d || !k) {
        free(display);
        free(key);
        ns->failed = 1;
        return;
    }
    ns->display[ns->n] = display;
    ns->key[ns->n] = key;
    ns->n++;
}

static void
names_release(names_t *ns)
{
    for (size_t i = 0; i < ns->n; i++) {
        free(ns->display[i]);
        free(ns->key[i]);
    }
    free(ns->display);
    free(ns->key);
}

typedef struct termctx {
    xsh_doc_t *doc;
    const char *prefix;
    int failed;
} termctx_t;

static void
add_prefixed_term(termctx_t *t, const char *value)
{
    char *term = make_term(t->prefix, value, "", NULL);
    if (!term || xsh_doc_add_boolean_term(t->doc, term) != XSH_OK)
        t->failed = 1;
    free(term);
}

static void
add_word_term(void *ctx, const char *word)
{
    add_prefixed_term(ctx, word);
}

/* Add value VALUE (LEN bytes) in SLOT; a failure sticks in T->failed. */
static void
add_value(termctx_t *t, xsh_slot_t slot, const char *value, size_t len)
{
    if (xsh_doc_add_value(t->doc, slot, value, len) != XSH_OK)
        t->failed = 1;
}

/* The term PREFIX + author_key(VALUE), as the searcher's filters build
 * it (none for a value without letters or digits). */
static void
add_key_term(termctx_t *t, const char *prefix, const char *value)
{
    char *k = author_key(value);

    t->prefix = prefix;
    if (!k)
        t->failed = 1;
    else if (*k)
        add_prefixed_term(t, k);
    free(k);
}

/* ------------------------------------------------------------------ */
/* Body: boilerplate and repeated paragraphs                           */

static bool
is_boilerplate(const docbuilder_t *b, const char *para)
{
    /* Scraped pages put boilerplate in list items and quotes: "- YOU MAY
     * ALSO LIKE ...".  Match after such markers. */
    while (*para && strchr("-*+>|# \t", *para))
        para++;
    if (strncmp(para, "\u2022", 3) == 0 || strncmp(para, "\u00b7", 2) == 0)
        para += strncmp(para, "\u2022", 3) == 0 ? 3 : 2;
    while (*para == ' ')
        para++;
    for (size_t i = 0; i < b->n_boilerplate; i++)
        if (regexec(&b->boilerplate[i], para, 0, NULL, 0) == 0)
            return true;
    return false;
}

/* Hash of a paragraph with case and spacing ignored, for repeats. */
static uint64_t
para_hash(const char *p, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = true;
            continue;
        }
        if (space) {
            h = (h ^ ' ') * 1099511628211ULL;
            space = false;
        }
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        h = (h ^ c) * 1099511628211ULL;
    }
    return h;
}

/* Where the next paragraph kept in OUT will start. */
static size_t
next_para_at(const sbuf_t *out)
{
    return out->len ? out->len + 2 : 0;
}

/* Copy BODY into OUT paragraph by paragraph, dropping boilerplate and
 * paragraphs seen before.  With PAGES (offsets in BODY), OUT_PAGES gets
 * the same pages as offsets in OUT: a page starts where the first
 * paragraph kept from it (or after it) does.  Returns 0 or -1 (ENOMEM). */
static int
clean_body(const docbuilder_t *b, const char *body, size_t len, sbuf_t *out,
           const page_map_t *pages, page_map_t *out_pages)
{
    uint64_t *seen = NULL;
    size_t n_seen = 0, cap_seen = 0;
    size_t i = 0, pg = 0;
    int rc = 0;

    while (i < len && rc == 0) {
        for (; pages && pg < pages->n && pages->starts[pg] <= i; pg++)
            if (page_map_add(out_pages, next_para_at(out)) < 0)
                rc = -1;
        const char *end = strstr(body + i, "\n\n");
        size_t plen = end ? (size_t)(end - (body + i)) : len - i;
        const char *p = body + i;
        i += plen + (end ? 2 : 0);

        while (plen && (*p == ' ' || *p == '\n' || *p == '\t')) {
            p++;
            plen--;
        }
        while (plen && (p[plen - 1] == ' ' || p[plen - 1] == '\n' ||
                        p[plen - 1] == '\t'))
            plen--;
        if (plen == 0)
            continue;
        char *para = strndup(p, plen);
        if (!para) {
            rc = -1;
            break;
        }
        bool drop = is_boilerplate(b, para);
        free(para);
        if (drop)
            continue;
        uint64_t h = para_hash(p, plen);
        bool repeat = false;
        for (size_t k = 0; k < n_seen; k++)
            if (seen[k] == h) {
                repeat = true;
                break;
            }
        if (repeat)
            continue;
        if (n_seen == cap_seen) {
            size_t cap = cap_seen ? cap_seen * 2 : 32;
            uint64_t *s = realloc(seen, cap * sizeof *s);
            if (!s) {
                rc = -1;
                break;
            }
            seen = s;
            cap_seen = cap;
        }
        seen[n_seen++] = h;
        if ((out->len && sbuf_add(out, "\n\n", 2) < 0) ||
            sbuf_add(out, p, plen) < 0)
            rc = -1;
    }
    /* Pages past the last paragraph kept (empty, or dropped) start at
     * the end. */
    for (; pages && pg < pages->n && rc == 0; pg++)
        if (page_map_add(out_pages, out->len) < 0)
            rc = -1;
    if (out_pages)
        for (size_t k = 0; k < out_pages->n; k++)
            if (out_pages->starts[k] > out->len)
                out_pages->starts[k] = out->len;
    free(seen);
    return rc;
}

/* The collapse key before the writer looks for near-duplicates: "s" and
 * the SimHash for bodies long enough to have one (the writer may replace
 * it with the key of a near-duplicate already indexed), "x" and an exact
 * hash of the words for short bodies (only identical copies collapse), and
 * a key of the document's own for empty bodies (which must not all
 * collapse into one). */
static void
fingerprint(const builtdoc_t *d, const char *body, size_t len, char *buf,
            size_t buflen)
{
    if (d->has_simhash)
        snprintf(buf, buflen, "s%016" PRIx64, d->simhash);
    else if (len)
        snprintf(buf, buflen, "x%016" PRIx64, para_hash(body, len));
    else
        snprintf(buf, buflen, "u%016" PRIx64,
                 document_hash(d->id_term, strlen(d->id_term)));
}

/* ------------------------------------------------------------------ */

static int
json_set_str(json_t *obj, const char *key, const char *s)
{
    if (!s)
        return json_object_set_new(obj, key, json_null());
    json_t *v = json_string(s);
    return json_object_set_new(obj, key, v ? v : json_null());
}

static json_t *
json_strlist(char **v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *s = json_string(v[i]);
        if (s)
            json_array_append_new(a, s);
    }
    return a;
}

/* ------------------------------------------------------------------ */
/* Languages                                                           */

/* Body text looked at to identify a document's language.  CLD2 reads
 * about 260 instructions a byte: on the bench's 6.5 KB English documents
 * it was 8% of the indexer's work, and half the cost of languages for
 * documents that have none.  Two kilobytes are some 300 words, where
 * CLD2 tells uk, ru and en apart from one line. */
#define DETECT_MAX (2 * 1024)

/* Whether LEN bytes at P hold a Cyrillic letter (U+0400 to U+052F: lead
 * bytes D0 to D4). */
static bool
has_cyrillic(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0xD0 && c <= 0xD4)
            return true;
    }
    return false;
}

/* The document's language into LANG: its metadata's, else CLD2's answer
 * for the title and the opening of BODY; "" when neither says. */
static void
document_lang(const article_t *a, const sbuf_t *body, char *lang)
{
    if (a->lang && langcode_normalise(a->lang, lang) > 0)
        return;
    lang[0] = '\0';
    size_t tlen = a->title ? strlen(a->title) : 0;
    size_t blen = utf8_cut(body->p, body->len, DETECT_MAX);
    sbuf_t text = SBUF_INIT;
    if (tlen && (sbuf_add(&text, a->title, tlen) < 0 ||
                 sbuf_add(&text, "\n\n", 2) < 0))
        goto out;
    if (blen && sbuf_add(&text, body->p, blen) < 0)
        goto out;
    char code[XSH_LANG_LEN];
    if (text.len && xsh_lang_detect(text.p, text.len, code, NULL) == XSH_OK)
        langcode_normalise(code, lang);
out:
    sbuf_release(&text);
}

/* The stemmer for a document in LANG that holds Cyrillic words (or is in
 * a Cyrillic language), made on first use; NULL when it cannot be made,
 * with a warning for the first document that needed it. */
static xsh_stem_t *
language_stem(docbuilder_t *b, const char *lang, extract_diag_t *warn)
{
    if (!b->stem && !b->stem_failed) {
        xsh_stem_opts_t o = { .latin = b->cfg->language };
        char *msg = NULL;
        if (xsh_stem_new("", &o, &b->stem, &msg) != XSH_OK) {
            extract_diag_add(warn, "Ukrainian and Russian stemming "
                             "unavailable, Cyrillic words stemmed as '%s': "
                             "%s", b->cfg->language, msg ? msg : "");
            b->stem_failed = true;
        }
        free(msg);
    }
    if (!b->stem)
        return NULL;
    /* A language other than uk and ru: its Cyrillic words go by the
     * default (Ukrainian), its Latin words by the config's language, as
     * the query parser stems them. */
    bool cyr = strcmp(lang, "uk") == 0 || strcmp(lang, "ru") == 0;
    if (xsh_stem_set_lang(b->stem, cyr ? lang : "") != XSH_OK)
        return NULL;
    return b->stem;
}

/* The skeleton of the capitalised WORD (LEN bytes) into OUT (CAP bytes):
 * a Cyrillic word's through its lemma from STEM, a Latin word's as
 * written.  Returns its length, 0 when there is none. */
static int
word_skeleton(docbuilder_t *b, xsh_stem_t *stem, const char *word,
              size_t len, bool cyrillic, char *out, size_t cap)
{
    /* Recent words' skeletons: a Cyrillic one costs a lemma and an ICU
     * transliteration, a Latin one the folding, and names come back
     * often. */
    uint64_t h = document_hash(word, len);
    skelcache_entry_t *e = NULL;
    if (len < sizeof e->word) {
        if (!b->skelcache)
            b->skelcache = calloc(DOCBUILDER_SKELCACHE, sizeof *e);
        if (b->skelcache) {
            e = &b->skelcache[h % DOCBUILDER_SKELCACHE];
            if (e->hash == h && strncmp(e->word, word, len) == 0 &&
                e->word[len] == '\0') {
                size_t n = strlen(e->skel);
                if (n + 1 > cap)
                    return 0;
                memcpy(out, e->skel, n + 1);
                return (int)n;
            }
        }
    }
    int n;
    bool ascii = true;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)word[i] < 0x80;
    if (ascii) {
        /* No ICU for plain ASCII: its Latin spelling is itself. */
        char w[256];
        if (len >= sizeof w)
            return 0;
        memcpy(w, word, len);
        w[len] = '\0';
        n = translit_fold(w, 0, out, cap);
    } else if (!b->tl && !(b->tl = translit_new(NULL, 0))) {
        return 0;
    } else if (cyrillic && stem) {
        char *lemma = NULL;
        if (xsh_stem_word(stem, word, len, &lemma) != XSH_OK)
            return 0;
        n = translit_skeleton(b->tl, lemma, strlen(lemma), out, cap);
        free(lemma);
    } else {
        n = translit_skeleton(b->tl, word, len, out, cap);
    }
    if (n < 0)
        return 0;
    if (e && (size_t)n < sizeof e->skel) {
        e->hash = h;
        memcpy(e->word, word, len);
        e->word[len] = '\0';
        memcpy(e->skel, out, (size_t)n + 1);
    }
    return n;
}

static bool
is_word_char(utf8proc_int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) ||
           (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

/* Add the skeleton terms of TEXT's capitalised words to DOC, each with
 * WDF.  Words are runs of letters, marks and digits, with apostrophes
 * between letters (м'ясо, O'Brien).  Returns 0, -1 on failure. */
static int
add_skeletons(docbuilder_t *b, xsh_doc_t *doc, xsh_stem_t *stem,
              const char *text, size_t len, unsigned wdf)
{
    char term[64 + 8];
    size_t i = 0;
    size_t plen = strlen(SCHEMA_PREFIX_SKEL_LATIN);

    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x80 && !(c >= 'A' && c <= 'Z')) {
            /* ASCII not starting a capitalised word: skip the rest of a
             * word that starts here without decoding (most of English
             * text). */
            bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            i++;
            while (alnum && i < len) {
                c = (unsigned char)text[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9')))
                    break;
                i++;
            }
            if (alnum && i < len && (unsigned char)text[i] >= 0x80) {
                /* A word going on in non-ASCII letters (naïve): skip
                 * them too, so its middle does not start a word. */
                utf8proc_int32_t cp;
                utf8proc_ssize_t k;
                while (i < len && (k = utf8proc_iterate(
                           (const utf8proc_uint8_t *)text + i,
                           (utf8proc_ssize_t)(len - i), &cp)) > 0 &&
                       is_word_char(cp))
                    i += (size_t)k;
            }
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)
            text + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0) {
            i++;
            continue;
        }
        if (!is_word_char(cp)) {
            i += (size_t)k;
            continue;
        }
        size_t start = i;
        utf8proc_int32_t first = cp;
        while (i < len) {
            unsigned char a = (unsigned char)text[i];
            if ((a >= 'a' && a <= 'z') || (a >= 'A' && a <= 'Z') ||
                (a >= '0' && a <= '9')) {
                i++;
                continue;
            }
            k = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
                                 (utf8proc_ssize_t)(len - i), &cp);
            if (k <= 0)
                break;
            if (cp == '\'' || cp == 0x2019 || cp == 0x02BC) {
                /* Inside a word only when a letter follows. */
                utf8proc_int32_t nx;
                utf8proc_ssize_t k2 = i + (size_t)k < len ?
                    utf8proc_iterate((const utf8proc_uint8_t *)text + i + k,
                                     (utf8proc_ssize_t)(len - i - k), &nx)
                    : 0;
                if (k2 <= 0 || !is_word_char(nx))
                    break;
            } else if (!is_word_char(cp)) {
                break;
            }
            i += (size_t)k;
        }
        if (utf8proc_category(first) != UTF8PROC_CATEGORY_LU)
            continue;
        bool cyr = first >= 0x400 && first <= 0x52F;
        bool latin = first < 0x250;
        if (!cyr && !latin)
            continue;
        memcpy(term, cyr ? SCHEMA_PREFIX_SKEL_CYRILLIC
                         : SCHEMA_PREFIX_SKEL_LATIN, plen);
        int n = word_skeleton(b, stem, text + start, i - start, cyr,
                              term + plen, sizeof term - plen);
        /* Two letters name nothing worth a term (US, EU, Ти). */
        if (n < 3)
            continue;
        /* A Latin word's skeleton is a boolean term: English documents'
         * lengths, and so their BM25 weights for English queries, stay as
         * they were (a skeleton's wdf counts in the length, and every
         * English document has capitalised words).  A Cyrillic word's
         * ranks, so that Zelensky orders the Ukrainian documents. */
        xsh_status_t st = cyr ? xsh_doc_add_term(doc, term, wdf)
                              : xsh_doc_add_boolean_term(doc, term);
        if (st != XSH_OK)
            return -1;
    }
    return 0;
}

int
docbuilder_build(docbuilder_t *b, const docsource_t *src,
                 const article_t *a, extract_diag_t *warn,
                 builtdoc_t *out, char *err, size_t errlen)
{
    names_t names = { .cfg = b->cfg };
    sbuf_t body = SBUF_INIT;
    page_map_t pages = PAGE_MAP_INIT;
    json_t *data = NULL;
    char *dump = NULL;
    char buf[64];
    date_t date;
    bool has_date = false;
    xsh_doc_t *doc = NULL;
    char *msg = NULL;
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (xsh_doc_new(&doc, &msg) != XSH_OK) {
        snprintf(err, errlen, "%s", msg ? msg : "out of memory");
        free(msg);
        return -1;
    }
    out->doc = doc;
    out->hash = src->content_hash;
    /* A post without an id of its own is known by its line. */
    out->id_term = !a->id && a->line ? document_line_term(src->path, a->line)
                                     : document_id_term(src->path, a->id);
    char *file_term = document_file_term(src->path);
    if (!out->id_term || !file_term) {
        free(file_term);
        goto nomem;
    }

    /* Authors: split lists, apply aliases, drop repeats. */
    for (size_t i = 0; i < a->authors.n; i++)
        author_split(a->authors.v[i], names_add, &names);
    if (names.failed)
        goto nomem_ft;

    /* Date, with the configured fallback. */
    if (a->date && *a->date) {
        char why[128];
        if (date_parse(a->date, &date, why, sizeof why) == 0)
            has_date = true;
        else if (a->date_line > 0)
            extract_diag_add(warn, "%d: invalid date '%s': %s; date left "
                             "empty", a->date_line, a->date, why);
        else
            extract_diag_add(warn, "invalid date '%s': %s; date left empty",
                             a->date, why);
    }
    if (!has_date && b->cfg->date_fallback == CONFIG_DATE_FALLBACK_MTIME) {
        struct tm tm;
        time_t t = src->st->st_mtime;
        if (localtime_r(&t, &tm)) {
            date = (date_t){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                             DATE_PREC_DAY };
            has_date = true;
        }
    }

    if (clean_body(b, a->body.p, a->body.len, &body, src->pages,
                   src->pages ? &pages : NULL) < 0)
        goto nomem_ft;

    /* The language, and the stemmer it calls for. */
    char lang[LANGCODE_LEN];
    document_lang(a, &body, lang);
    size_t title_len = a->title ? strlen(a->title) : 0;
    xsh_stem_t *stem = NULL;
    if (strcmp(lang, "uk") == 0 || strcmp(lang, "ru") == 0 ||
        has_cyrillic(a->title ? a->title : "", title_len) ||
        has_cyrillic(body.p ? body.p : "", body.len))
        stem = language_stem(b, lang, warn);
    xsh_termgen_set_stem(b->tg, stem);

    /* Text: title (unprefixed with extra weight, and under S), body. */
    xsh_status_t st = XSH_OK;
    if (a->title && *a->title) {
        size_t tlen = strlen(a->title);
        st = xsh_termgen_index(b->tg, doc, a->title, tlen, b->title_wdf,
                               "", true);
        if (st == XSH_OK)
            st = xsh_termgen_increase_termpos(b->tg, doc, 100);
        if (st == XSH_OK)
            st = xsh_termgen_index(b->tg, doc, a->title, tlen, 1,
                                   SCHEMA_PREFIX_TITLE, true);
        if (st == XSH_OK)
            st = xsh_termgen_increase_termpos(b->tg, doc, 100);
    }
    if (st == XSH_OK && body.len)
        st = xsh_termgen_index(b->tg, doc, body.p, body.len, 1, "", true);
    if (st == XSH_OK)
        st = xsh_termgen_fold(b->tg, doc);
    if (st != XSH_OK) {
        snprintf(err, errlen, "%s", xsh_termgen_errmsg(b->tg));
        goto fail;
    }
    if (add_skeletons(b, doc, stem, a->title ? a->title : "", title_len,
                      b->title_wdf) < 0 ||
        add_skeletons(b, doc, stem, body.p ? body.p : "", body.len, 1) < 0) {
        snprintf(err, errlen, "%s", xsh_doc_errmsg(doc));
        goto fail;
    }

    /* Boolean terms. */
    termctx_t t = { .doc = doc };
    if (xsh_doc_add_boolean_term(doc, out->id_term) != XSH_OK ||
        xsh_doc_add_boolean_term(doc, file_term) != XSH_OK)
        goto nomem_ft;
    for (size_t i = 0; i < names.n; i++) {
        t.prefix = SCHEMA_PREFIX_AUTHOR;
        add_prefixed_term(&t, names.key[i]);
        author_each_word(names.display[i], add_word_term, &t);
        t.prefix = SCHEMA_PREFIX_AUTHOR_NAME;
        add_prefixed_term(&t, names.display[i]);
    }
    if (a->source && *a->source)
        add_key_term(&t, SCHEMA_PREFIX_SOURCE, a->source);
    for (size_t i = 0; i < a->tags.n; i++)
        add_key_term(&t, SCHEMA_PREFIX_TAG, a->tags.v[i]);
    if (a->url && *a->url) {
        t.prefix = SCHEMA_PREFIX_URL;
        add_prefixed_term(&t, a->url);
    }
    if (*lang) {
        t.prefix = SCHEMA_PREFIX_LANG;
        add_prefixed_term(&t, lang);
        xsh_doc_add_value(doc, SCHEMA_SLOT_LANG, lang, strlen(lang));
    }
    if (t.failed)
        goto nomem_ft;

    /* Values. */
    if (has_date) {
        date_t day = date_period_first(date);
        date_format_key(day, buf);
        add_value(&t, SCHEMA_SLOT_DATE, buf, strlen(buf));
        date_format_month(day, buf);
        add_value(&t, SCHEMA_SLOT_MONTH, buf, strlen(buf));
        add_value(&t, SCHEMA_SLOT_YEAR, buf, 4);
    }
    out->has_simhash = body.len &&
                       simhash_text(body.p, body.len, &out->simhash);
    if (out->has_simhash) {
        for (int i = 0; i < SIMHASH_BANDS; i++)
            if (xsh_doc_add_boolean_term(doc, simhash_band_term(
                    SCHEMA_PREFIX_BAND, out->simhash, i, buf, sizeof buf))
                != XSH_OK)
                t.failed = 1;
        snprintf(buf, sizeof buf, "%016" PRIx64, out->simhash);
        add_value(&t, SCHEMA_SLOT_SIMHASH, buf, strlen(buf));
    }
    fingerprint(out, body.p, body.len, buf, sizeof buf);
    add_value(&t, SCHEMA_SLOT_FINGERPRINT, buf, strlen(buf));
    snprintf(buf, sizeof buf, "%lld.%09ld",
             (long long)src->st->st_mtim.tv_sec,
             (long)src->st->st_mtim.tv_nsec);
    add_value(&t, SCHEMA_SLOT_MTIME, buf, strlen(buf));
    snprintf(buf, sizeof buf, "%lld", (long long)src->st->st_size);
    add_value(&t, SCHEMA_SLOT_SIZE, buf, strlen(buf));
    snprintf(buf, sizeof buf, "%016" PRIx64, src->content_hash);
    add_value(&t, SCHEMA_SLOT_HASH, buf, strlen(buf));
    if (names.n)
        add_value(&t, SCHEMA_SLOT_AUTHOR, names.display[0],
                  strlen(names.display[0]));
    if (t.failed)
        goto nomem_ft;

    /* Stored data: what the searcher shows, without the original file. */
    data = json_object();
    if (!data)
        goto nomem_ft;
    json_set_str(data, "path", src->path);
    if (a->id)
        json_set_str(data, "id", a->id);
    if (a->line)
        json_object_set_new(data, "line", json_integer((json_int_t)a->line));
    json_set_str(data, "title", a->title);
    json_object_set_new(data, "authors", json_strlist(names.display,
                                                      names.n));
    json_set_str(data, "date", has_date ? date_format_iso(
                     date_period_first(date), buf) : NULL);
    json_set_str(data, "source", a->source);
    json_set_str(data, "url", a->url);
    json_object_set_new(data, "tags", json_strlist(a->tags.v, a->tags.n));
    json_set_str(data, "lang", *lang ? lang : NULL);
    if (pages.n) {
        /* Paged documents (PDF): where each page starts in the stored
         * body, for the page of a hit (config/schema.h). */
        json_t *pm = json_array();
        for (size_t k = 0; pm && k < pages.n; k++)
            if (json_array_append_new(pm, json_integer(
                    (json_int_t)pages.starts[k])) < 0) {
                json_decref(pm);
                pm = NULL;
            }
        if (!pm || json_object_set_new(data, "pages", pm) < 0)
            goto nomem_ft;
    }
    if (a->forwarded_from)
        json_set_str(data, "forwarded_from", a->forwarded_from);
    if (a->reply_to)
        json_set_str(data, "reply_to", a->reply_to);
    /* Then the body as raw bytes after a NUL (config/schema.h), so the
     * searcher parses only the small JSON part.  A paged document keeps
     * more, so the page of a hit deep in a report can be found. */
    size_t keep = utf8_cut(body.p, body.len, pages.n ? MAX_STORED_PAGED
                                                     : MAX_STORED_BODY);
    size_t jlen = 0;
    char *json = json_dumps(data, JSON_COMPACT);
    if (json)
        jlen = strlen(json);
    dump = json ? malloc(jlen + 1 + keep) : NULL;
    if (dump) {
        memcpy(dump, json, jlen);
        dump[jlen] = '\0';
        if (keep)
            memcpy(dump + jlen + 1, body.p, keep);
    }
    free(json);
    if (!dump)
        goto nomem_ft;
    if (xsh_doc_set_data(doc, dump, keep ? jlen + 1 + keep : jlen)
        != XSH_OK)
        goto nomem_ft;
    rc = 0;
    goto done;

nomem_ft:
    snprintf(err, errlen, "out of memory");
fail:
    builtdoc_release(out);
done:
    free(file_term);
    free(dump);
    json_decref(data);
    sbuf_release(&body);
    page_map_release(&pages);
    names_release(&names);
    return rc;
nomem:
    snprintf(err, errlen, "out of memory");
    builtdoc_release(out);
    names_release(&names);
    return -1;
}
