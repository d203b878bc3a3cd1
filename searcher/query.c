/* query.c - opening, building and running a dossier search
 *
 * Shared by dossier-search and the query benchmark, so that the benchmark
 * measures exactly what the command line does.  Knows dossier's fields
 * through config/schema.h only; never prints.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "searcher/query.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "config/author.h"
#include "config/date.h"
#include "config/langcode.h"
#include "config/schema.h"
#include "searcher/suggest.h"
#include "util/utf8.h"

/* ------------------------------------------------------------------ */
/* Opening                                                             */

/* With --allow-partial, the databases left out, named with their cause,
 * held back until it is known whether any opened. */
typedef struct skipped {
    char **v;
    size_t n;
} skipped_t;

static void
note_skipped(void *ctx, const char *name, xsh_status_t st, const char *why)
{
    skipped_t *sk = ctx;
    char **v = realloc(sk->v, (sk->n + 1) * sizeof *v);
    size_t len = strlen(name) + strlen(why) + 3;

    (void)st;
    if (!v)
        return;
    sk->v = v;
    if ((v[sk->n] = malloc(len)) != NULL)
        snprintf(v[sk->n++], len, "%s: %s", name, why);
}

xsh_db_t *
query_open(const char *const *paths, size_t n, const config_t *cfg,
           bool allow_partial, query_warn_fn warn, bool *remote, char *err,
           size_t errlen)
{
    const char *one[1];
    xsh_db_t *db = NULL;
    xsh_db_info_t info;
    skipped_t sk = { NULL, 0 };
    char *msg = NULL;

    *remote = false;
    if (n == 0 && cfg->shards.n) {
        paths = (const char *const *)cfg->shards.v;
        n = cfg->shards.n;
    } else if (n == 0) {
        one[0] = cfg->database ? cfg->database : "dossier.db";
        paths = one;
        n = 1;
    }
    /* Stub files are read by the shim, so that a database one lists is
     * named, and skipped with --allow-partial, as one given with -d. */
    xsh_status_t st = xsh_db_open_each(paths, n, 10000,
                                       allow_partial ? note_skipped : NULL,
                                       &sk, &db, &info, &msg);
    bool several = info.n_databases > 1;
    if (st == XSH_OK || several)
        for (size_t i = 0; warn && i < sk.n; i++)
            warn(sk.v[i]);
    for (size_t i = 0; i < sk.n; i++)
        free(sk.v[i]);
    free(sk.v);
    if (st == XSH_OK) {
        char line[128];
        *remote = info.remote;
        if (warn && info.n_open < info.n_databases) {
            snprintf(line, sizeof line, "searching %zu of %zu databases",
                     info.n_open, info.n_databases);
            warn(line);
        }
        free(msg);
        return db;
    }
    size_t plen = strlen(paths[0]);
    if (st == XSH_NOT_FOUND && n == 1 && msg &&
        strncmp(msg, paths[0], plen) == 0 &&
        strcmp(msg + plen, ": no database here") == 0)
        snprintf(err, errlen, "%s: no database here (index with "
                 "'dossier-index -d %s DIR' first)", paths[0], paths[0]);
    else if (allow_partial && several)
        snprintf(err, errlen, "none of the %zu databases could be opened",
                 info.n_databases);
    else
        snprintf(err, errlen, "%s", msg ? msg : xsh_status_str(st));
    free(msg);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Dates                                                               */

/* The date: range processor: BEGIN and END in any form --since/--until
 * take, with period semantics.  CTX points at the query's "now". */
static bool
date_range(void *ctx, const char *begin, const char *end, char **lo,
           char **hi)
{
    const time_t *now = ctx;
    date_t d;
    char buf[16];

    *lo = *hi = NULL;
    if (begin && *begin) {
        if (date_parse_query(begin, *now, &d, NULL, 0) < 0)
            return false;
        *lo = strdup(date_format_key(date_period_first(d), buf));
    }
    if (end && *end) {
        if (date_parse_query(end, *now, &d, NULL, 0) < 0) {
            free(*lo);
            *lo = NULL;
            return false;
        }
        *hi = strdup(date_format_key(date_period_last(d), buf));
    }
    return true;
}

static int
option_date(const char *opt, const char *s, time_t now, bool last,
            char *key, char *err, size_t errlen)
{
    date_t d;
    char why[128];
    if (date_parse_query(s, now, &d, why, sizeof why) < 0) {
        snprintf(err, errlen, "%s: invalid date '%s': %s (expected YYYY, "
                 "YYYY-MM, YYYY-MM-DD or a relative form like 30d)", opt, s,
                 why);
        return -1;
    }
    date_format_key(last ? date_period_last(d) : date_period_first(d), key);
    return 0;
}

/* Whether S is a relative date counted back from now ("30d", "6w"). */
static bool
is_relative(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && isdigit((unsigned char)s[i]))
        i++;
    return i > 0 && i + 1 == len && strchr("dwmy", s[len - 1]);
}

/* Check the date: values of query IN before Xapian sees them: a bad date
 * is an error naming it (Xapian would read "date:foo" as two words), and
 * a single date becomes the range of its period (date:2025-08 is
 * date:2025-08..2025-08), a relative one the range from then on (date:30d
 * is date:30d..).  Phrases are left alone.  OUT out: the rewritten query
 * (malloc'd), or NULL when nothing changed.  Returns 0, or -1 with the
 * message in ERR. */
static int
check_dates(const char *in, time_t now, char **out, char *err,
            size_t errlen)
{
    static const char field[] = "date:";
    const size_t flen = sizeof field - 1;
    size_t len = strlen(in), o = 0;
    bool quoted = false, changed = false;
    char *buf = malloc(3 * len + 1);

    *out = NULL;
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < len;) {
        bool starts = i == 0 || isspace((unsigned char)in[i - 1]) ||
                      in[i - 1] == '(';
        if (in[i] == '"')
            quoted = !quoted;
        if (quoted || !starts || in[i] == '"' ||
            isspace((unsigned char)in[i])) {
            buf[o++] = in[i++];
            continue;
        }
        size_t t = i;
        while (t < len && strchr("+-(", in[t]))
            t++;
        if (strncmp(in + t, field, flen) != 0) {
            buf[o++] = in[i++];
            continue;
        }
        size_t v = t + flen, e = v;
        while (e < len && !isspace((unsigned char)in[e]) && in[e] != ')' &&
               in[e] != '"')
            e++;
        char tok[256], val[128], key_lo[16], key_hi[16];
        snprintf(tok, sizeof tok, "%.*s", (int)(e - t), in + t);
        snprintf(val, sizeof val, "%.*s", (int)(e - v), in + v);
        char *dots = strstr(val, "..");
        if (dots) {
            *dots = '\0';
            const char *b = val, *f = dots + 2;
            if ((*b && option_date(tok, b, now, false, key_lo, err,
                                   errlen) < 0) ||
                (*f && option_date(tok, f, now, true, key_hi, err,
                                   errlen) < 0))
                goto fail;
            if (*b && *f && strcmp(key_lo, key_hi) > 0) {
                snprintf(err, errlen, "%s: '%s' is after '%s'", tok, b, f);
                goto fail;
            }
            memcpy(buf + o, in + i, e - i);
            o += e - i;
        } else {
            if (option_date(tok, val, now, false, key_lo, err, errlen) < 0)
                goto fail;
            bool rel = is_relative(val, strlen(val));
            o += (size_t)sprintf(buf + o, "%.*s%s..%s", (int)(v - i),
                                 in + i, val, rel ? "" : val);
            changed = true;
        }
        i = e;
    }
    buf[o] = '\0';
    if (changed)
        *out = buf;
    else
        free(buf);
    return 0;
fail:
    free(buf);
    return -1;
}

/* ------------------------------------------------------------------ */
/* Fields and filters                                                  */

/* PREFIX + the match key of VALUE, after the config's aliases when
 * ALIASES: the term the indexer wrote for it.  Malloc'd, NULL on ENOMEM. */
static char *
field_term(const config_t *cfg, const char *prefix, const char *value,
           bool aliases)
{
    const char *alias = aliases ? config_alias_lookup(cfg, value) : NULL;
    char *key = author_key(alias ? alias : value);
    if (!key)
        return NULL;
    size_t len = strlen(prefix) + strlen(key) + 1;
    char *term = malloc(len);
    if (term)
        snprintf(term, len, "%s%s", prefix, key);
    free(key);
    return term;
}

/* author:, source:, tag: and lang: in the query: the value normalised as
 * the indexer normalises it (case, accents, spaces; aliases for authors),
 * so author:McFaul, author:"Michael McFaul" and author:@McFaul all match. */
struct field_ctx {
    const config_t *cfg;
    const char *prefix;
    bool aliases;
};

static bool
field_terms(void *ctx, const char *value, char ***terms, size_t *n)
{
    const field_ctx_t *f = ctx;
    char **v = malloc(sizeof *v);

    *terms = v;
    *n = 0;
    if (!v)
        return false;
    v[0] = field_term(f->cfg, f->prefix, value, f->aliases);
    if (!v[0])
        return false;
    *n = 1;
    return true;
}

/* lang: in the query, the code as the indexer stores it (uk-UA, ukr,
 * Ukrainian: uk). */
static bool
lang_terms(void *ctx, const char *value, char ***terms, size_t *n)
{
    char code[LANGCODE_LEN];
    char **v = malloc(sizeof *v);

    (void)ctx;
    *terms = v;
    *n = 0;
    if (!v || langcode_normalise(value, code) == 0)
        return false;
    size_t len = strlen(SCHEMA_PREFIX_LANG) + strlen(code) + 1;
    if (!(v[0] = malloc(len)))
        return false;
    snprintf(v[0], len, "%s%s", SCHEMA_PREFIX_LANG, code);
    *n = 1;
    return true;
}

/* The query fields of the schema: ranked prefixes, url: as written, the
 * other boolean fields through field_terms().  Returns 0 or -1. */
static int
add_fields(query_t *q, const config_t *cfg)
{
    size_t n_fields = 0;
    for (const schema_field_t *f = schema_query_fields; f->name; f++)
        n_fields++;
    q->fields = calloc(n_fields ? n_fields : 1, sizeof *q->fields);
    if (!q->fields)
        return -1;
    for (size_t i = 0; i < n_fields; i++) {
        const schema_field_t *f = &schema_query_fields[i];
        if (!f->is_boolean) {
            xsh_search_add_prefix(q->s, f->name, f->prefix);
        } else if (strcmp(f->prefix, SCHEMA_PREFIX_URL) == 0) {
            /* URLs are stored as written. */
            xsh_search_add_boolean_prefix(q->s, f->name, f->prefix);
        } else if (strcmp(f->prefix, SCHEMA_PREFIX_LANG) == 0) {
            xsh_search_add_boolean_field(q->s, f->name, lang_terms, NULL);
        } else {
            q->fields[i] = (field_ctx_t){ cfg, f->prefix,
                strcmp(f->prefix, SCHEMA_PREFIX_AUTHOR) == 0 };
            xsh_search_add_boolean_field(q->s, f->name, field_terms,
                                         &q->fields[i]);
        }
    }
    return 0;
}

/* The config's synonym groups, every member expanding to every other, as
 * the query parser looks them up: lower-case, unstemmed.  Given to the
 * search itself (not only written into the database by the indexer), so
 * they also hold over remote shards, which carry no synonyms. */
char *
query_lower_utf8(const char *s)
{
    utf8proc_uint8_t *out = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                     UTF8PROC_NULLTERM | UTF8PROC_CASEFOLD |
                     UTF8PROC_COMPOSE) < 0)
        return NULL;
    return (char *)out;
}

static void
add_synonyms(xsh_search_t *s, const config_t *cfg)
{
    for (size_t g = 0; g < cfg->n_synonyms; g++) {
        const strv_t *grp = &cfg->synonyms[g];
        /* Each member lower-cased once (this runs for every search). */
        char **low = calloc(grp->n ? grp->n : 1, sizeof *low);
        if (!low)
            return;
        for (size_t i = 0; i < grp->n; i++)
            low[i] = query_lower_utf8(grp->v[i]);
        for (size_t i = 0; i < grp->n; i++)
            for (size_t j = 0; low[i] && j < grp->n; j++)
                if (i != j && low[j] && strcmp(low[i], low[j]) != 0)
                    xsh_search_add_synonym(s, low[i], low[j]);
        for (size_t i = 0; i < grp->n; i++)
            free(low[i]);
        free(low);
    }
}

/* A filter group of PREFIX + key(value) terms; authors go through the
 * config's aliases first. */
static int
add_term_filter(xsh_search_t *s, const config_t *cfg,
                const char *const *values, size_t n, const char *prefix,
                bool aliases)
{
    if (n == 0)
        return 0;
    char **terms = calloc(n, sizeof *terms);
    int rc = -1;
    if (!terms)
        return -1;
    for (size_t i = 0; i < n; i++) {
        terms[i] = field_term(cfg, prefix, values[i], aliases);
        if (!terms[i])
            goto out;
    }
    rc = xsh_search_filter_terms(s, (const char *const *)terms, n)
         == XSH_OK ? 0 : -1;
out:
    for (size_t i = 0; i < n; i++)
        free(terms[i]);
    free(terms);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Languages                                                           */

/* How much a match through the other script counts against one in the
 * query's own: Zelensky ranks an English "Zelensky" above a Ukrainian
 * "Зеленський". */
#define TRANSLIT_WEIGHT 0.5

/* The terms of other spellings of a query word (xsh_word_fn), as the
 * indexer stored them: a Latin word's skeleton looks up the skeletons of
 * Cyrillic words, a Cyrillic word's (its lemma's) those of Latin words
 * and of Cyrillic ones, for the other Cyrillic language's spelling
 * (Зеленський, Зеленский). */
static bool
word_term(void *ctx, const char *word, bool is_cyrillic, char ***terms,
          size_t *n_terms)
{
    query_t *q = ctx;
    char skel[128];
    int n;

    *terms = NULL;
    *n_terms = 0;
    bool ascii = true;
    for (const char *p = word; *p && ascii; p++)
        ascii = (unsigned char)*p < 0x80;
    if (!ascii && !q->tl) {
        /* A non-ASCII word the query's text did not show (a synonym's
         * spelling): ICU's transliterators are made now.  Without them
         * the word keeps its own spellings only. */
        char why[256];
        if (!(q->tl = translit_new(why, sizeof why)))
            return true;
    }
    n = ascii ? translit_fold(word, 0, skel, sizeof skel)
              : translit_skeleton(q->tl, word, strlen(word), skel,
                                  sizeof skel);
    if (n < 3)
        return true;
    const char *prefixes[2] = { SCHEMA_PREFIX_SKEL_CYRILLIC,
                                SCHEMA_PREFIX_SKEL_LATIN };
    size_t want = is_cyrillic ? 2 : 1;
    char **v = calloc(want, sizeof *v);
    if (!v)
        return false;
    *terms = v;
    for (size_t i = 0; i < want; i++) {
        size_t len = strlen(prefixes[i]) + (size_t)n + 1;
        char *t = malloc(len);
        if (!t)
            return false;
        snprintf(t, len, "%s%s", prefixes[i], skel);
        /* Only terms the database holds: an absent one matches nothing
         * but still changes the query's shape. */
        unsigned freq = 0;
        if (xsh_db_termfreq(q->db, t, &freq) != XSH_OK || freq == 0) {
            free(t);
            continue;
        }
        v[(*n_terms)++] = t;
    }
    return true;
}

/* --lang: a filter group of the codes, and in *UK and *RU whether each
 * Cyrillic language is asked for.  Returns 0, or -1 with ERR. */
static int
add_lang_filter(xsh_search_t *s, const query_spec_t *spec, bool *uk,
                bool *ru, char *err, size_t errlen)
{
    char **terms = calloc(spec->n_langs ? spec->n_langs : 1, sizeof *terms);
    int rc = -1;

    if (!terms) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < spec->n_langs; i++) {
        char code[LANGCODE_LEN];
        if (langcode_normalise(spec->langs[i], code) == 0) {
            snprintf(err, errlen, "--lang: invalid language '%s' (expected "
                     "a code such as uk, ru or en)", spec->langs[i]);
            goto out;
        }
        *uk = *uk || strcmp(code, "uk") == 0;
        *ru = *ru || strcmp(code, "ru") == 0;
        size_t len = strlen(SCHEMA_PREFIX_LANG) + strlen(code) + 1;
        if (!(terms[i] = malloc(len))) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        snprintf(terms[i], len, "%s%s", SCHEMA_PREFIX_LANG, code);
    }
    if (spec->n_langs &&
        xsh_search_filter_terms(s, (const char *const *)terms,
                                spec->n_langs) != XSH_OK) {
        snprintf(err, errlen, "%s", xsh_search_errmsg(s));
        goto out;
    }
    rc = 0;
out:
    for (size_t i = 0; i < spec->n_langs; i++)
        free(terms[i]);
    free(terms);
    return rc;
}

/* The languages of the query's words, before it is parsed: a Cyrillic
 * word is stemmed in each Cyrillic language searched (those of --lang,
 * else those the database holds; Ukrainian, the indexer's default for
 * Cyrillic words, when it holds neither), and, unless --no-translit or
 * search.translit: false, every word also finds the other script's
 * spellings through skeleton terms.  Returns 0, or -1 with ERR. */
static int
add_languages(query_t *q, const config_t *cfg, const query_spec_t *spec,
              char *err, size_t errlen)
{
    bool uk = false, ru = false;
    char *msg = NULL;

    if (add_lang_filter(q->s, spec, &uk, &ru, err, errlen) < 0)
        return -1;
    const char *text = spec->query;
    bool cyrillic = false;
    for (const char *p = text; *p && !cyrillic; p++)
        cyrillic = (unsigned char)*p >= 0xD0 && (unsigned char)*p <= 0xD4;
    if (cyrillic) {
        if (spec->n_langs == 0) {
            unsigned n_uk = 0, n_ru = 0;
            xsh_db_termfreq(q->db, SCHEMA_PREFIX_LANG "uk", &n_uk);
            xsh_db_termfreq(q->db, SCHEMA_PREFIX_LANG "ru", &n_ru);
            uk = n_uk > 0 || n_ru == 0;
            ru = n_ru > 0;
        }
        const char *langs[2] = { uk ? "uk" : NULL, ru ? "ru" : NULL };
        xsh_stem_opts_t o = { .latin = cfg->language };
        for (size_t i = 0; i < 2; i++) {
            if (!langs[i])
                continue;
            xsh_stem_t *st = NULL;
            if (xsh_stem_new(langs[i], &o, &st, &msg) != XSH_OK) {
                snprintf(err, errlen, "stemming in '%s': %s", langs[i],
                         msg ? msg : "cannot be used");
                free(msg);
                return -1;
            }
            q->stems[q->n_stems++] = st;
            xsh_search_add_stem(q->s, st);
        }
    }
    if (cfg->translit && !spec->no_translit && !q->browse) {
        char why[256];
        /* Making ICU's transliterators costs about 14 million
         * instructions (its registry, then the rules parsed), twenty
         * times the rest of a plain search: an ASCII query's words are
         * folded without them (translit_fold()), so they are made only
         * for a query with other characters, or on the first such word
         * (word_term()). */
        bool ascii = true;
        for (const char *p = text; *p && ascii; p++)
            ascii = (unsigned char)*p < 0x80;
        q->tl_borrowed = spec->tl != NULL;
        q->tl = spec->tl;
        if (!q->tl && !ascii && !(q->tl = translit_new(why, sizeof why))) {
            snprintf(err, errlen, "transliteration: %s", why);
            return -1;
        }
        xsh_search_set_word_terms(q->s, word_term, q, TRANSLIT_WEIGHT);
    }
    return 0;
}

/* --since and --until as a value range on the date slot.  Returns 0, or
 * -1 with the message in ERR. */
static int
add_date_filter(query_t *q, const query_spec_t *spec, char *err,
                size_t errlen)
{
    char lo[16], hi[16];

    if (!spec->since && !spec->until)
        return 0;
    if (spec->since && option_date("--since", spec->since, q->now, false,
                                   lo, err, errlen) < 0)
        return -1;
    if (spec->until && option_date("--until", spec->until, q->now, true,
                                   hi, err, errlen) < 0)
        return -1;
    if (spec->since && spec->until && strcmp(lo, hi) > 0) {
        snprintf(err, errlen, "--since: '%s' is after --until '%s'",
                 spec->since, spec->until);
        return -1;
    }
    if (xsh_search_filter_range(q->s, SCHEMA_SLOT_DATE,
                                spec->since ? lo : NULL,
                                spec->until ? hi : NULL) != XSH_OK) {
        snprintf(err, errlen, "%s", xsh_search_errmsg(q->s));
        return -1;
    }
    return 0;
}

/* --facets and --histogram. */
static void
add_counts(query_t *q, const query_spec_t *spec)
{
    if (spec->facets) {
        /* Every author of a document, through the shim's own spy; remote
         * shards (xapian-tcpsrv) run only Xapian's spies, so there the
         * first author's value slot is counted instead. */
        if (spec->remote)
            xsh_search_count_values(q->s, SCHEMA_SLOT_AUTHOR,
                                    &q->spy_authors);
        else
            xsh_search_count_terms(q->s, SCHEMA_PREFIX_AUTHOR_NAME,
                                   &q->spy_authors);
        xsh_search_count_values(q->s, SCHEMA_SLOT_MONTH, &q->spy_months);
        xsh_search_count_values(q->s, SCHEMA_SLOT_LANG, &q->spy_langs);
    }
    /* Days, which the caller groups into the unit asked for (and can
     * pick one from the span for --histogram auto). */
    if (spec->histogram)
        xsh_search_count_values(q->s, SCHEMA_SLOT_DATE, &q->spy_hist);
    /* Counts need every match looked at, and so does an exact total. */
    q->exact = !spec->estimate || spec->facets || spec->histogram;
}

/* ------------------------------------------------------------------ */
/* The search                                                          */

int
query_build(query_t *q, xsh_db_t *db, const config_t *cfg,
            const query_spec_t *spec, char *err, size_t errlen)
{
    char *msg = NULL;
    xsh_search_t *s;

    *q = (query_t){ .db = db, .cfg = cfg, .now = time(NULL),
                    .spy_authors = -1, .spy_months = -1, .spy_hist = -1,
                    .spy_langs = -1 };
    q->browse = spec->query[strspn(spec->query, " \t")] == '\0';
    q->text = q->orig = spec->query;
    if (check_dates(spec->query, q->now, &q->text_owned, err, errlen) < 0)
        return -1;
    if (q->text_owned)
        q->text = q->text_owned;
    if (xsh_search_new(db, &q->s, &msg) != XSH_OK) {
        snprintf(err, errlen, "%s", msg ? msg : "cannot search");
        free(msg);
        query_release(q);
        return -1;
    }
    s = q->s;
    xsh_search_set_stemmer(s, cfg->language);
    if (cfg->stopwords.n)
        xsh_search_set_stopwords(s, (const char *const *)cfg->stopwords.v,
                                 cfg->stopwords.n);
    if (add_fields(q, cfg) < 0) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    add_synonyms(s, cfg);
    /* Groups the index holds as one term are searched as one: the
     * expansion above is folded back (shim/fold.cc). */
    static const char *const fold_prefixes[] = { "", SCHEMA_PREFIX_TITLE };
    if (xsh_search_set_folds(s, SCHEMA_META_FOLDS, fold_prefixes, 2)
        != XSH_OK) {
        snprintf(err, errlen, "%s", xsh_search_errmsg(s));
        goto fail;
    }
    xsh_search_add_range(s, "date", SCHEMA_SLOT_DATE, date_range, &q->now);
    xsh_search_set_default_op(s, spec->any ? XSH_OP_OR : XSH_OP_AND);
    xsh_search_set_spellings(s, cfg->spellings);
    xsh_search_set_bm25(s, cfg->bm25_k1, cfg->bm25_k2, cfg->bm25_k3,
                        cfg->bm25_b, cfg->bm25_min_normlen);
    if (spec->any)
        xsh_search_set_expansion(s, cfg->expansion_docs, cfg->expansion_terms,
                                 cfg->expansion_weight);

    /* Synonyms come from the config (add_synonyms), not from the
     * database's synonym table, so that local and remote shards rank
     * alike.  No spelling correction yet: it looks up every word the
     * index lacks, and only a search that finds little needs it (see
     * query_run()). */
    if (add_languages(q, cfg, spec, err, errlen) < 0)
        goto fail;
    q->parse_flags = XSH_PARSE_WILDCARD | XSH_PARSE_PURE_NOT;
    if (xsh_search_parse(s, q->text, q->parse_flags) != XSH_OK) {
        snprintf(err, errlen, "query '%s': %s", spec->query,
                 xsh_search_errmsg(s));
        goto fail;
    }
    if (add_term_filter(s, cfg, spec->authors, spec->n_authors,
                        SCHEMA_PREFIX_AUTHOR, true) < 0
        || add_term_filter(s, cfg, spec->sources, spec->n_sources,
                           SCHEMA_PREFIX_SOURCE, false) < 0
        || add_term_filter(s, cfg, spec->tags, spec->n_tags,
                           SCHEMA_PREFIX_TAG, false) < 0) {
        snprintf(err, errlen, "%s", xsh_search_errmsg(s));
        goto fail;
    }
    if (add_date_filter(q, spec, err, errlen) < 0)
        goto fail;

    const char *sort = spec->sort ? spec->sort
                                  : q->browse ? "newest" : "relevance";
    if (strcmp(sort, "newest") == 0)
        xsh_search_set_sort(s, XSH_SORT_VALUE_DESC, SCHEMA_SLOT_DATE);
    else if (strcmp(sort, "oldest") == 0)
        xsh_search_set_sort(s, XSH_SORT_VALUE_ASC, SCHEMA_SLOT_DATE);
    if (cfg->collapse && !spec->no_collapse) {
        xsh_search_set_collapse(s, SCHEMA_SLOT_FINGERPRINT);
        xsh_search_set_collapse_groups(s, SCHEMA_TERM_GROUP,
                                       SCHEMA_META_GROUPS);
    }
    add_counts(q, spec);
    return 0;

fail:
    query_release(q);
    return -1;
}

void
query_release(query_t *q)
{
    xsh_search_free(q->s);
    q->s = NULL;
    for (size_t i = 0; i < q->n_stems; i++)
        xsh_stem_free(q->stems[i]);
    q->n_stems = 0;
    if (!q->tl_borrowed)
        translit_free(q->tl);
    q->tl = NULL;
    free(q->fields);
    q->fields = NULL;
    free(q->text_owned);
    q->text_owned = NULL;
}

/* The number of matches of TEXT with Q's filters, or 0 when it cannot
 * be counted.  Q's own query is restored afterwards, for snippets. */
static unsigned
count_query(query_t *q, const char *text, unsigned doccount)
{
    xsh_results_t *r = NULL;
    unsigned n = 0;
    char *dated = NULL, err[256];

    if (check_dates(text, q->now, &dated, err, sizeof err) < 0)
        return 0;
    if (xsh_search_parse(q->s, dated ? dated : text, q->parse_flags)
        == XSH_OK &&
        xsh_search_run(q->s, 0, 0, doccount, &r) == XSH_OK)
        xsh_results_count(r, &n, NULL, NULL);
    xsh_results_free(r);
    free(dated);
    xsh_search_parse(q->s, q->text, q->parse_flags);
    return n;
}

xsh_status_t
query_run(query_t *q, unsigned offset, unsigned limit, xsh_results_t **res,
          char **suggestion)
{
    unsigned doccount = 0, total = 0;
    bool exact = false;
    xsh_status_t st;

    if (suggestion)
        *suggestion = NULL;
    xsh_db_doccount(q->db, &doccount);
    st = xsh_search_run(q->s, offset, limit, q->exact ? doccount : 0, res);
    if (st != XSH_OK || !suggestion || q->browse)
        return st;
    xsh_results_count(*res, &total, NULL, &exact);
    if (total >= QUERY_SUGGEST_BELOW)
        return XSH_OK;
    /* Few hits: correct the words that find nothing, and offer the
     * correction only when it finds more.  The user's own text (before
     * date: values were rewritten) is what the suggestion shows. */
    suggest_speller_t sp = { .q = q };
    const char *orig = q->orig ? q->orig : q->text;
    char *corrected = suggest_correct_query(&sp, orig);
    if (sp.has_probe)
        query_release(&sp.probe);
    if (corrected && count_query(q, corrected, doccount) > total)
        *suggestion = corrected;
    else
        free(corrected);
    return XSH_OK;
}

/* ------------------------------------------------------------------ */
/* Hits                                                                */

/* Bytes of body text a snippet shows. */
#define SNIPPET_LENGTH 200

static const char *
jget(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Offset K of the page starts PAGES (the stored data's "pages": byte
 * offsets in the body, config/schema.h), clamped to the body's BLEN
 * bytes (a long document's stored body is cut). */
static size_t
page_start(json_t *pages, size_t k, size_t blen)
{
    json_t *v = json_array_get(pages, k);
    json_int_t off = json_is_integer(v) ? json_integer_value(v) : 0;
    if (off < 0)
        off = 0;
    return (size_t)off > blen ? blen : (size_t)off;
}

static size_t
count_marks(const char *s)
{
    size_t n = 0;
    for (; s && (s = strstr(s, OUT_HI_START)) != NULL; s++)
        n++;
    return n;
}

/* The snippet of a paged document (PDF): from the page whose snippet
 * holds the most matches (the first such page on a tie), so the page the
 * hit gives is the one its snippet comes from; when BROWSE, the opening
 * of page 1.  Returns the 1-based page, *SNIPPET malloc'd. */
static unsigned
paged_snippet(xsh_results_t *res, const char *body, size_t blen,
              json_t *pages, bool browse, char **snippet)
{
    size_t n = json_array_size(pages);
    size_t best_marks = 0;
    unsigned best = 0;

    *snippet = NULL;
    for (size_t k = 0; k < n && !browse; k++) {
        size_t off = page_start(pages, k, blen);
        size_t end = k + 1 < n ? page_start(pages, k + 1, blen) : blen;
        char *s = NULL;
        if (end <= off)
            continue;           /* an empty page, or one cut off */
        if (xsh_results_snippet(res, body + off, end - off, SNIPPET_LENGTH,
                                OUT_HI_START, OUT_HI_END, "...", &s)
            != XSH_OK)
            continue;
        size_t marks = count_marks(s);
        if (best == 0 || marks > best_marks) {
            free(*snippet);
            *snippet = s;
            best = (unsigned)k + 1;
            best_marks = marks;
        } else {
            free(s);
        }
    }
    if (best == 0) {
        /* Browsing, or nothing to show: the opening, on page 1 unless
         * the first pages are empty. */
        *snippet = strndup(body, utf8_cut(body, blen, SNIPPET_LENGTH));
        best = 1;
        while (best < n && page_start(pages, best, blen) == 0)
            best++;
    }
    return best;
}

xsh_status_t
query_hit(xsh_results_t *res, unsigned i, bool browse, query_hit_t *h)
{
    xsh_hit_t x;
    xsh_status_t st;

    memset(h, 0, sizeof *h);
    if ((st = xsh_results_get(res, i, &x)) != XSH_OK)
        return st;
    /* The metadata is a small JSON object; the body follows it as raw
     * bytes (config/schema.h), borrowed from the results. */
    json_error_t jerr;
    const char *body;
    size_t jlen, blen;
    schema_data_split(x.data, x.data_len, &jlen, &body, &blen);
    h->data = json_loadb(x.data, jlen, 0, &jerr);
    json_t *ja = json_object_get(h->data, "authors");
    size_t na = json_is_array(ja) ? json_array_size(ja) : 0;
    h->authors = calloc(na ? na : 1, sizeof *h->authors);
    for (size_t k = 0; h->authors && k < na; k++)
        h->authors[k] = json_string_value(json_array_get(ja, k));
    json_t *jp = json_object_get(h->data, "pages");
    unsigned page = 0;
    if (blen && json_is_array(jp) && json_array_size(jp)) {
        page = paged_snippet(res, body, blen, jp, browse, &h->snippet);
    } else if (blen && !browse) {
        xsh_results_snippet(res, body, blen, SNIPPET_LENGTH, OUT_HI_START,
                            OUT_HI_END, "...", &h->snippet);
    } else if (blen) {
        /* Browsing: the opening of the text. */
        h->snippet = strndup(body, utf8_cut(body, blen, SNIPPET_LENGTH));
    }
    h->out = (out_hit_t){
        .rank = x.rank + 1, .docid = x.docid, .score = x.weight,
        .path = jget(h->data, "path"), .id = jget(h->data, "id"),
        .line = json_is_integer(json_object_get(h->data, "line")) &&
                json_integer_value(json_object_get(h->data, "line")) > 0 ?
                (unsigned long)json_integer_value(
                    json_object_get(h->data, "line")) : 0,
        .title = jget(h->data, "title"),
        .authors = h->authors, .n_authors = h->authors ? na : 0,
        .date = jget(h->data, "date"), .source = jget(h->data, "source"),
        .url = jget(h->data, "url"), .snippet = h->snippet,
        .lang = jget(h->data, "lang"),
        .duplicates = x.collapsed,
        .page = page,
        .forwarded_from = jget(h->data, "forwarded_from"),
        .reply_to = jget(h->data, "reply_to")
    };
    return XSH_OK;
}

void
query_hit_release(query_hit_t *h)
{
    free(h->snippet);
    free(h->authors);
    json_decref(h->data);
    memset(h, 0, sizeof *h);
}
