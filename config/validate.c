/* validate.c - dossier.yaml's keys: checking a parsed tree into a config
 *
 * The table of keys (with the config_t field each one sets), the value
 * parsers (sizes, numbers, booleans, regexes, paths) and the messages for
 * every mistake, with the closest valid key suggested.  config.c parses
 * the file into the tree this walks.  Never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <float.h>
#include <limits.h>
#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/author.h"
#include "config/config.h"
#include "config/config_int.h"
#include "util/ascii.h"
#include "util/strv.h"
#include "util/utf8.h"

/* Xapian's stemmers (Xapian::Stem::get_available_languages), and none. */
static const char *const languages[] = {
    "none", "arabic", "armenian", "basque", "catalan", "danish", "dutch",
    "english", "earlyenglish", "finnish", "french", "german", "german2",
    "hungarian", "indonesian", "irish", "italian", "kraaij_pohlmann",
    "lithuanian", "lovins", "nepali", "norwegian", "porter", "portuguese",
    "romanian", "russian", "spanish", "swedish", "tamil", "turkish", NULL
};

/* ---------------------------------------------------------------- messages */

/* TEXT quoted for a one-line message: at most 60 bytes (cut at a UTF-8
 * boundary, then "..."), newlines and tabs as \n and \t, other control
 * characters as '?'.  BUF has 80 bytes. */
static const char *
quote(const char *text, char *buf)
{
    size_t i, o = 0;

    buf[o++] = '\'';
    for (i = 0; text[i] != '\0'; i++) {
        unsigned char c = (unsigned char)text[i];

        if (o >= 62 && utf8_is_lead(c)) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (c == '\n' || c == '\t') {
            buf[o++] = '\\';
            buf[o++] = c == '\n' ? 'n' : 't';
        } else {
            buf[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
        }
    }
    buf[o++] = '\'';
    buf[o] = '\0';
    return buf;
}

/* How a value is shown in a message: quoted text, "a list" or "a
 * mapping".  BUF has 80 bytes. */
static const char *
describe(const config_node_t *n, char *buf)
{
    if (n->kind == NODE_SEQ)
        return "a list";
    if (n->kind == NODE_MAP)
        return "a mapping";
    return quote(n->text, buf);
}

/* Levenshtein distance of two short strings (longer ones: a big number). */
static size_t
edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    size_t row[65], prev[65];

    if (la > 64 || lb > 64)
        return SIZE_MAX;
    for (j = 0; j <= lb; j++)
        prev[j] = j;
    for (i = 1; i <= la; i++) {
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = row[j - 1] + 1;

            row[j] = sub < del ? (sub < ins ? sub : ins)
                               : (del < ins ? del : ins);
        }
        memcpy(prev, row, (lb + 1) * sizeof *row);
    }
    return prev[lb];
}

/* The closest of the NULL-terminated WORDS to S (of the strings at STRIDE
 * bytes apart starting at FIRST), when close enough to be a typo: at most
 * two edits, or at most a third of the word's length. */
static const char *
suggest(const char *s, const char *const *first, size_t stride)
{
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    const char *const *w;

    for (w = first; *w != NULL;
         w = (const char *const *)(const void *)((const char *)w + stride)) {
        size_t d = edit_distance(s, *w);

        if (d < best_d) {
            best_d = d;
            best = *w;
        }
    }
    if (best != NULL && (best_d <= 2 || best_d * 3 <= strlen(best)))
        return best;
    return NULL;
}

/* ---------------------------------------------------------------- keys */

typedef enum kind {
    K_MAP,              /* a nested mapping of keys */
    K_STRING,           /* char *, non-empty; "~/" expanded */
    K_LANGUAGE,         /* char *, one of languages[] */
    K_STRV,             /* list of strings */
    K_PATHV,            /* string or list of strings; "~/" expanded */
    K_FIELDV,           /* string or list of strings (JSON paths) */
    K_REGEXV,           /* list of EREs */
    K_ALIASES,
    K_SYNONYMS,
    K_TELEGRAM,         /* chat id -> public username */
    K_POS_UINT,         /* unsigned, > 0 */
    K_UINT,             /* unsigned, >= 0 */
    K_SIZE,             /* unsigned long long bytes, "10MB" */
    K_BOOL,
    K_FALLBACK,         /* none|mtime */
    K_OPERATOR,         /* and|or -> cfg->any */
    K_POS_NUM,          /* double > 0 */
    K_NONNEG_NUM,       /* double >= 0 */
    K_UNIT_NUM          /* double in [0, 1] */
} kind_t;

typedef struct key_spec {
    const char *name;           /* NULL ends a table */
    kind_t kind;
    size_t off;                 /* field in config_t */
    const struct key_spec *sub; /* K_MAP: its keys */
} key_spec_t;

#define F(field) offsetof(config_t, field)

static const key_spec_t json_keys[] = {
    { "text", K_FIELDV, F(json_text), NULL },
    { "title", K_FIELDV, F(json_title), NULL },
    { "author", K_FIELDV, F(json_author), NULL },
    { "date", K_FIELDV, F(json_date), NULL },
    { "url", K_FIELDV, F(json_url), NULL },
    { "id", K_FIELDV, F(json_id), NULL },
    { "source", K_FIELDV, F(json_source), NULL },
    { "tags", K_FIELDV, F(json_tags), NULL },
    { "lang", K_FIELDV, F(json_lang), NULL },
    { NULL, K_MAP, 0, NULL }
};

static const key_spec_t index_keys[] = {
    { "roots", K_PATHV, F(roots), NULL },
    { "batch_size", K_POS_UINT, F(batch_size), NULL },
    { "max_file_size", K_SIZE, F(max_file_size), NULL },
    { "follow_symlinks", K_BOOL, F(follow_symlinks), NULL },
    { "date_fallback", K_FALLBACK, F(date_fallback), NULL },
    { "jobs", K_UINT, F(jobs), NULL },
    { "boilerplate", K_REGEXV, F(boilerplate), NULL },
    { "json", K_MAP, 0, json_keys },
    { "telegram_usernames", K_TELEGRAM, 0, NULL },
    { NULL, K_MAP, 0, NULL }
};

static const key_spec_t bm25_keys[] = {
    { "k1", K_NONNEG_NUM, F(bm25_k1), NULL },
    { "k2", K_NONNEG_NUM, F(bm25_k2), NULL },
    { "k3", K_NONNEG_NUM, F(bm25_k3), NULL },
    { "b", K_UNIT_NUM, F(bm25_b), NULL },
    { "min_normlen", K_NONNEG_NUM, F(bm25_min_normlen), NULL },
    { NULL, K_MAP, 0, NULL }
};

static const key_spec_t expansion_keys[] = {
    { "docs", K_UINT, F(expansion_docs), NULL },
    { "terms", K_UINT, F(expansion_terms), NULL },
    { "weight", K_NONNEG_NUM, F(expansion_weight), NULL },
    { NULL, K_MAP, 0, NULL }
};

static const key_spec_t search_keys[] = {
    { "default_operator", K_OPERATOR, F(any), NULL },
    { "results", K_POS_UINT, F(results), NULL },
    { "title_weight", K_POS_NUM, F(title_weight), NULL },
    { "collapse", K_BOOL, F(collapse), NULL },
    { "translit", K_BOOL, F(translit), NULL },
    { "spellings", K_BOOL, F(spellings), NULL },
    { "bm25", K_MAP, 0, bm25_keys },
    { "expansion", K_MAP, 0, expansion_keys },
    { NULL, K_MAP, 0, NULL }
};

static const key_spec_t top_keys[] = {
    { "database", K_STRING, F(database), NULL },
    { "language", K_LANGUAGE, F(language), NULL },
    { "stopwords", K_STRV, F(stopwords), NULL },
    { "shards", K_PATHV, F(shards), NULL },
    { "aliases", K_ALIASES, 0, NULL },
    { "synonyms", K_SYNONYMS, 0, NULL },
    { "index", K_MAP, 0, index_keys },
    { "search", K_MAP, 0, search_keys },
    { NULL, K_MAP, 0, NULL }
};

/* "~/x" -> "$HOME/x"; a malloc'd copy. */
static char *
expand_home(const char *s)
{
    const char *home = getenv("HOME");
    char *out;
    size_t lh;

    if (s[0] != '~' || (s[1] != '/' && s[1] != '\0') || home == NULL
        || *home == '\0')
        return strdup(s);
    lh = strlen(home);
    out = malloc(lh + strlen(s));
    if (out == NULL)
        return NULL;
    memcpy(out, home, lh);
    strcpy(out + lh, s + 1);
    return out;
}

/* Decimal digits only, no sign: 0 and the value, or -1 (-2 on overflow). */
static int
parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    unsigned long long v = 0;

    if (*s == '\0')
        return -1;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        if (v > (max - (unsigned)(*s - '0')) / 10)
            return -2;
        v = v * 10 + (unsigned)(*s - '0');
    }
    *out = v;
    return 0;
}

/* "10485760", "10MB", "512 KB", "1GiB", "10M": binary units. */
static int
parse_size(const char *s, unsigned long long *out)
{
    static const struct { const char *unit; unsigned shift; } units[] = {
        { "", 0 }, { "b", 0 },
        { "k", 10 }, { "kb", 10 }, { "kib", 10 },
        { "m", 20 }, { "mb", 20 }, { "mib", 20 },
        { "g", 30 }, { "gb", 30 }, { "gib", 30 },
        { "t", 40 }, { "tb", 40 }, { "tib", 40 },
    };
    char digits[24];
    const char *p = s, *u;
    size_t n = 0, i;
    unsigned long long v;

    while (*p >= '0' && *p <= '9') {
        if (n + 1 >= sizeof digits)
            return -2;
        digits[n++] = *p++;
    }
    digits[n] = '\0';
    if (n == 0)
        return -1;
    u = p;
    while (*u == ' ')
        u++;
    for (i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (ascii_ieq(u, units[i].unit)) {
            int rc = parse_uint(digits, ULLONG_MAX >> units[i].shift, &v);

            if (rc < 0)
                return rc;
            *out = v << units[i].shift;
            return 0;
        }
    }
    return -1;
}

/* A decimal number, locale-free: [+-]digits[.digits][e[+-]digits]. */
static int
parse_number(const char *s, double *out)
{
    unsigned long long mant = 0;
    int exp10 = 0, sig = 0, n_dig = 0, e = 0, e_sign = 1, i;
    bool neg = false;
    double v, scale = 1.0;

    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    for (; *s >= '0' && *s <= '9'; s++, n_dig++) {
        if (sig < 18) {
            mant = mant * 10 + (unsigned)(*s - '0');
            if (mant != 0)
                sig++;
        } else {
            exp10++;
        }
    }
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++, n_dig++) {
            if (sig < 18) {
                mant = mant * 10 + (unsigned)(*s - '0');
                if (mant != 0)
                    sig++;
                exp10--;
            }
        }
    }
    if (n_dig == 0)
        return -1;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            e_sign = *s++ == '-' ? -1 : 1;
        if (*s < '0' || *s > '9')
            return -1;
        for (; *s >= '0' && *s <= '9'; s++)
            if ((e = e * 10 + (*s - '0')) > 1000)
                return -1;
    }
    if (*s != '\0')
        return -1;
    exp10 += e_sign * e;
    if (exp10 > 308 || exp10 < -330)
        return mant == 0 ? (*out = 0.0, 0) : -1;
    for (i = 0; i < (exp10 < 0 ? -exp10 : exp10); i++)
        scale *= 10.0;
    v = (double)mant;
    v = exp10 < 0 ? v / scale : v * scale;
    if (!(v <= DBL_MAX))
        return -1;
    *out = neg ? -v : v;
    return 0;
}

static int
parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = { "true", "yes", "on", NULL };
    static const char *const no[] = { "false", "no", "off", NULL };
    int i;

    for (i = 0; yes[i] != NULL; i++) {
        if (ascii_ieq(s, yes[i])) {
            *out = true;
            return 0;
        }
        if (ascii_ieq(s, no[i])) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

/* Check RE as the indexer uses it, alone and anchored as "^(RE)$". */
static int
check_regex(const config_loader_t *ld, const config_node_t *item)
{
    regex_t re;
    char msg[128], *anchored;
    int rc;

    rc = regcomp(&re, item->text, REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc == 0) {
        regfree(&re);
        anchored = malloc(item->len + 5);
        if (anchored == NULL)
            return config_fail_path(ld, "out of memory");
        snprintf(anchored, item->len + 5, "^(%s)$", item->text);
        rc = regcomp(&re, anchored, REG_EXTENDED | REG_ICASE | REG_NOSUB);
        free(anchored);
        if (rc == 0) {
            regfree(&re);
            return 0;
        }
        regerror(rc, &re, msg, sizeof msg);
        regfree(&re);
    } else {
        regerror(rc, &re, msg, sizeof msg);
    }
    if (msg[0] >= 'A' && msg[0] <= 'Z')
        msg[0] = (char)(msg[0] + 32);
    {
        char shown[80];

        return config_fail_at(ld, item->mark,
                              "invalid regex %s in 'boilerplate': %s",
                       describe(item, shown), msg);
    }
}

/* A string list from V: a sequence of non-empty strings, or (when
 * ONE_OK) a single string.  Replaces *SV. */
static int
set_strv(const config_loader_t *ld, const char *key, const config_node_t *v,
         strv_t *sv, bool one_ok, bool expand, bool regex)
{
    strv_t out = STRV_INIT;
    const config_node_t *const *items = &v;
    size_t n = 1, i;
    char shown[80];

    if (v->kind == NODE_SEQ) {
        items = (const config_node_t *const *)v->kids;
        n = v->n_kids;
    } else if (v->kind != NODE_SCALAR || !one_ok) {
        return config_fail_at(ld, v->mark,
                              "'%s' must be a list of strings, not %s",
                       key, describe(v, shown));
    }
    for (i = 0; i < n; i++) {
        const config_node_t *it = items[i];
        char *s;

        if (it->kind != NODE_SCALAR || config_node_is_null(it)
            || it->len == 0) {
            strv_release(&out);
            if (it->kind == NODE_SCALAR)
                return config_fail_at(ld, it->mark, "'%s' entries must be "
                               "non-empty strings", key);
            return config_fail_at(ld, it->mark,
                                  "'%s' must be a list of strings, "
                           "not a list of %s", key,
                           it->kind == NODE_SEQ ? "lists" : "mappings");
        }
        if (regex && check_regex(ld, it) < 0) {
            strv_release(&out);
            return -1;
        }
        s = expand ? expand_home(it->text) : strdup(it->text);
        if (strv_push_owned(&out, s) < 0) {
            strv_release(&out);
            return config_fail_path(ld, "out of memory");
        }
    }
    strv_release(sv);
    *sv = out;
    return 0;
}

/* Sort helper for duplicate keys: by text, then by position. */
static int
cmp_key(const void *a, const void *b)
{
    const config_node_t *x = *(const config_node_t *const *)a;
    const config_node_t *y = *(const config_node_t *const *)b;
    int c = strcmp(x->text, y->text);

    if (c != 0)
        return c;
    return x->mark.index < y->mark.index ? -1 : x->mark.index > y->mark.index;
}

/* Keys must be strings and unique. */
static int
check_keys(const config_loader_t *ld, const config_node_t *map)
{
    size_t n = map->n_kids / 2, i;
    const config_node_t **keys, *dup = NULL, *first = NULL;

    for (i = 0; i < n; i++)
        if (map->kids[2 * i]->kind != NODE_SCALAR)
            return config_fail_at(ld, map->kids[2 * i]->mark,
                           "keys must be strings");
    if (n < 2)
        return 0;
    keys = malloc(n * sizeof *keys);
    if (keys == NULL)
        return config_fail_path(ld, "out of memory");
    for (i = 0; i < n; i++)
        keys[i] = map->kids[2 * i];
    qsort(keys, n, sizeof *keys, cmp_key);
    /* Sorted by text then position: the second of each run of equal keys
     * is a duplicate; report the one that comes first in the file. */
    for (i = 1; i < n; i++) {
        if (strcmp(keys[i - 1]->text, keys[i]->text) != 0)
            continue;
        if (i >= 2 && strcmp(keys[i - 2]->text, keys[i]->text) == 0)
            continue;
        if (dup == NULL || keys[i]->mark.index < dup->mark.index) {
            dup = keys[i];
            first = keys[i - 1];
        }
    }
    if (dup != NULL) {
        char shown[80];

        config_fail_at(ld, dup->mark, "duplicate key %s (first at line %lu)",
                quote(dup->text, shown), (unsigned long)first->mark.line + 1);
    }
    free(keys);
    return dup != NULL ? -1 : 0;
}

static int
set_aliases(const config_loader_t *ld, const config_node_t *v, config_t *cfg)
{
    config_alias_t *a;
    size_t i, n;
    char shown[80], shown_from[80];

    if (v->kind != NODE_MAP)
        return config_fail_at(ld, v->mark,
                              "'aliases' must be a mapping of names "
                       "to names, not %s", describe(v, shown));
    if (check_keys(ld, v) < 0)
        return -1;
    config_aliases_clear(cfg);
    n = v->n_kids / 2;
    if (n == 0)
        return 0;
    a = calloc(n, sizeof *a);
    if (a == NULL)
        return config_fail_path(ld, "out of memory");
    cfg->aliases = a;
    for (i = 0; i < n; i++) {
        const config_node_t *from = v->kids[2 * i], *to = v->kids[2 * i + 1];

        if (to->kind != NODE_SCALAR || config_node_is_null(to) || to->len == 0)
            return config_fail_at(ld, to->mark, "alias %s must map to a name, "
                           "not %s", quote(from->text, shown_from),
                           to->kind == NODE_SCALAR ? "nothing"
                                                   : describe(to, shown));
        a[i].from = strdup(from->text);
        a[i].to = strdup(to->text);
        a[i].key = author_normalise(from->text);
        cfg->n_aliases = i + 1;
        if (a[i].from == NULL || a[i].to == NULL || a[i].key == NULL)
            return config_fail_path(ld, "out of memory");
        if (a[i].key[0] == '\0')
            return config_fail_at(ld, from->mark, "alias %s has no letters",
                           quote(from->text, shown_from));
    }
    return 0;
}

/* index.telegram_usernames: { CHAT_ID: USERNAME }, the id as an export
 * writes it (digits, maybe "-"), the username as t.me links spell it
 * (letters, digits, "_"; a leading "@" is dropped). */
static int
set_telegram(const config_loader_t *ld, const config_node_t *v,
             config_t *cfg)
{
    char shown[80], shown_id[80];

    if (v->kind != NODE_MAP)
        return config_fail_at(ld, v->mark, "'telegram_usernames' must be a "
                              "mapping of chat ids to usernames, not %s",
                              describe(v, shown));
    if (check_keys(ld, v) < 0)
        return -1;
    strv_release(&cfg->telegram_ids);
    strv_release(&cfg->telegram_names);
    for (size_t i = 0; i + 1 < v->n_kids; i += 2) {
        const config_node_t *id = v->kids[i], *name = v->kids[i + 1];
        const char *s = id->text + (id->text[0] == '-');
        const char *u;
        size_t k;

        if (*s == '\0' || strspn(s, "0123456789") != strlen(s))
            return config_fail_at(ld, id->mark, "telegram chat id %s must be "
                                  "a number", quote(id->text, shown_id));
        u = name->kind == NODE_SCALAR && !config_node_is_null(name)
            ? name->text : "";
        u += *u == '@';
        k = strlen(u);
        if (k == 0 || k > 32 || strspn(u, "abcdefghijklmnopqrstuvwxyz"
                                       "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789_") != k)
            return config_fail_at(ld, name->mark, "telegram chat %s must map "
                                  "to a username (letters, digits and '_', "
                                  "at most 32), not %s",
                                  quote(id->text, shown_id),
                                  name->kind == NODE_SCALAR
                                  ? quote(name->text, shown)
                                  : describe(name, shown));
        if (strv_push(&cfg->telegram_ids, id->text) < 0 ||
            strv_push(&cfg->telegram_names, u) < 0)
            return config_fail_path(ld, "out of memory");
    }
    return 0;
}

static int
set_synonyms(const config_loader_t *ld, const config_node_t *v, config_t *cfg)
{
    size_t i;
    char shown[80];

    if (v->kind != NODE_SEQ)
        return config_fail_at(ld, v->mark,
                              "'synonyms' must be a list of lists of "
                       "terms, not %s", describe(v, shown));
    config_synonyms_clear(cfg);
    for (i = 0; i < v->n_kids; i++) {
        const config_node_t *g = v->kids[i];
        strv_t *group;

        if (g->kind != NODE_SEQ)
            return config_fail_at(ld, g->mark,
                                  "'synonyms' must be a list of lists "
                           "of terms, not a list of %s",
                           g->kind == NODE_MAP ? "mappings" : "strings");
        if (g->n_kids < 2)
            return config_fail_at(ld, g->mark,
                                  "a synonym group needs at least two "
                           "terms");
        group = config_synonyms_add(cfg);
        if (group == NULL)
            return config_fail_path(ld, "out of memory");
        if (set_strv(ld, "synonyms", g, group, false, false, false) < 0)
            return -1;
    }
    return 0;
}

static int
set_value(const config_loader_t *ld, const key_spec_t *k,
          const config_node_t *v,
          config_t *cfg)
{
    void *field = (char *)cfg + k->off;
    char shown[80];
    const char *text;
    unsigned long long u;
    double d;
    bool b;
    int rc;

    switch (k->kind) {
    case K_STRV:
        return set_strv(ld, k->name, v, field, false, false, false);
    case K_PATHV:
        return set_strv(ld, k->name, v, field, true, true, false);
    case K_FIELDV:
        return set_strv(ld, k->name, v, field, true, false, false);
    case K_REGEXV:
        return set_strv(ld, k->name, v, field, false, false, true);
    case K_ALIASES:
        return set_aliases(ld, v, cfg);
    case K_SYNONYMS:
        return set_synonyms(ld, v, cfg);
    case K_TELEGRAM:
        return set_telegram(ld, v, cfg);
    default:
        break;
    }

    /* Everything else is a scalar. */
    text = v->kind == NODE_SCALAR ? v->text : NULL;
    switch (k->kind) {
    case K_STRING: {
        char *s;

        if (text == NULL || *text == '\0')
            return config_fail_at(ld, v->mark,
                                  "'%s' must be a non-empty string, "
                           "not %s", k->name,
                           text == NULL ? describe(v, shown) : "''");
        s = expand_home(text);
        if (s == NULL)
            return config_fail_path(ld, "out of memory");
        free(*(char **)field);
        *(char **)field = s;
        return 0;
    }
    case K_LANGUAGE: {
        const char *hint;
        char *s;
        size_t i;

        if (text == NULL)
            return config_fail_at(ld, v->mark,
                                  "'%s' must be a stemmer name, not %s",
                           k->name, describe(v, shown));
        for (i = 0; languages[i] != NULL; i++)
            if (ascii_ieq(text, languages[i]))
                break;
        if (languages[i] == NULL) {
            hint = suggest(text, languages, sizeof languages[0]);
            if (hint != NULL)
                return config_fail_at(ld, v->mark,
                                      "unknown language %s (did you "
                               "mean '%s'?)", describe(v, shown), hint);
            return config_fail_at(ld, v->mark,
                                  "unknown language %s (expected a "
                           "Xapian stemmer name such as 'english', or "
                           "'none')", describe(v, shown));
        }
        s = strdup(languages[i]);
        if (s == NULL)
            return config_fail_path(ld, "out of memory");
        free(*(char **)field);
        *(char **)field = s;
        return 0;
    }
    case K_POS_UINT:
    case K_UINT:
        rc = text != NULL ? parse_uint(text, UINT_MAX, &u) : -1;
        if (rc == -2)
            return config_fail_at(ld, v->mark, "'%s' is too large: %s",
                                  k->name,
                           describe(v, shown));
        if (rc < 0 || (k->kind == K_POS_UINT && u == 0))
            return config_fail_at(ld, v->mark,
                                  "'%s' must be a %s integer, not %s",
                           k->name, k->kind == K_POS_UINT ? "positive"
                                                          : "non-negative",
                           describe(v, shown));
        *(unsigned *)field = (unsigned)u;
        return 0;
    case K_SIZE:
        rc = text != NULL ? parse_size(text, &u) : -1;
        if (rc == -2)
            return config_fail_at(ld, v->mark, "'%s' is too large: %s",
                                  k->name,
                           describe(v, shown));
        if (rc < 0 || u == 0)
            return config_fail_at(ld, v->mark,
                                  "'%s' must be a positive size in "
                           "bytes such as 10485760 or '10MB', not %s",
                           k->name, describe(v, shown));
        *(unsigned long long *)field = u;
        return 0;
    case K_BOOL:
        if (text == NULL || parse_bool(text, &b) < 0)
            return config_fail_at(ld, v->mark,
                                  "'%s' must be true or false, not %s",
                           k->name, describe(v, shown));
        *(bool *)field = b;
        return 0;
    case K_FALLBACK:
        if (text != NULL && ascii_ieq(text, "none"))
            cfg->date_fallback = CONFIG_DATE_FALLBACK_NONE;
        else if (text != NULL && ascii_ieq(text, "mtime"))
            cfg->date_fallback = CONFIG_DATE_FALLBACK_MTIME;
        else
            return config_fail_at(ld, v->mark,
                                  "'%s' must be 'none' or 'mtime', "
                           "not %s", k->name, describe(v, shown));
        return 0;
    case K_OPERATOR:
        if (text != NULL && ascii_ieq(text, "and"))
            cfg->any = false;
        else if (text != NULL && ascii_ieq(text, "or"))
            cfg->any = true;
        else
            return config_fail_at(ld, v->mark,
                                  "'%s' must be 'and' or 'or', not %s",
                           k->name, describe(v, shown));
        return 0;
    case K_POS_NUM:
    case K_NONNEG_NUM:
    case K_UNIT_NUM:
        if (text == NULL || parse_number(text, &d) < 0
            || (k->kind == K_POS_NUM && !(d > 0))
            || (k->kind == K_NONNEG_NUM && !(d >= 0))
            || (k->kind == K_UNIT_NUM && !(d >= 0 && d <= 1)))
            return config_fail_at(ld, v->mark, "'%s' must be %s, not %s",
                                  k->name,
                           k->kind == K_POS_NUM ? "a positive number"
                           : k->kind == K_NONNEG_NUM
                               ? "a non-negative number"
                               : "a number from 0 to 1",
                           describe(v, shown));
        *(double *)field = d;
        return 0;
    default:
        return config_fail_at(ld, v->mark, "internal error: key '%s'",
                              k->name);
    }
}

static int
apply_map(const config_loader_t *ld, const config_node_t *map,
          const key_spec_t *spec,
          const char *name, config_t *cfg)
{
    size_t i;
    char shown[80];

    if (map->kind != NODE_MAP) {
        if (name == NULL)
            return config_fail_at(ld, map->mark, "the configuration must be a "
                           "mapping of keys, not %s", describe(map, shown));
        return config_fail_at(ld, map->mark,
                              "'%s' must be a mapping of keys, not "
                       "%s", name, describe(map, shown));
    }
    if (check_keys(ld, map) < 0)
        return -1;
    for (i = 0; i + 1 < map->n_kids; i += 2) {
        const config_node_t *key = map->kids[i], *val = map->kids[i + 1];
        const key_spec_t *k;

        for (k = spec; k->name != NULL; k++)
            if (strcmp(k->name, key->text) == 0)
                break;
        if (k->name == NULL) {
            const char *hint = suggest(key->text, &spec->name, sizeof *spec);

            if (hint != NULL)
                return config_fail_at(ld, key->mark, "unknown key %s (did you "
                               "mean '%s'?)", quote(key->text, shown), hint);
            return config_fail_at(ld, key->mark, "unknown key %s",
                           quote(key->text, shown));
        }
        if (config_node_is_null(val))
            continue;
        if (k->kind == K_MAP) {
            if (apply_map(ld, val, k->sub, k->name, cfg) < 0)
                return -1;
        } else if (set_value(ld, k, val, cfg) < 0) {
            return -1;
        }
    }
    return 0;
}

int
config_apply(const config_loader_t *ld, const config_node_t *root,
             config_t *cfg)
{
    return apply_map(ld, root, top_keys, NULL, cfg);
}
