/* config.c - dossier.yaml: loading, validation and the built-in defaults
 *
 * The file is read whole, turned into a small tree from the safe YAML
 * reader's events (util/yamlsafe.h), and the tree is checked against a
 * table of keys.  The reader refuses the first anchor or alias before
 * anything is expanded (no alias bomb gets a chance) and nesting deeper
 * than the schema before the tree grows.  Every problem is reported once, as
 * "PATH:LINE:COL: WHAT", into the caller's buffer; this module never prints
 * or exits, and keeps no static mutable state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/author.h"
#include "util/ascii.h"
#include "util/strv.h"
#include "util/utf8.h"
#include "util/yamlsafe.h"

/* Bigger than any sensible configuration; keeps a hostile file cheap. */
#define CONFIG_MAX_FILE_SIZE (4u * 1024 * 1024)

/* The schema's deepest path is index.json.text[...]: four collections. */
#define CONFIG_MAX_DEPTH 4

/* ---------------------------------------------------------------- defaults */

/* English function words (the Snowball list's core, without "us", which
 * is the US in this field).  They are left out of ranking and of
 * best-match queries; phrases still match them.  Measured on Cranfield:
 * see bench/EVAL.md. */
static const char *const default_stopwords[] = {
    "a", "about", "above", "after", "again", "against", "all", "am", "an",
    "and", "any", "are", "as", "at", "be", "because", "been", "before",
    "being", "below", "between", "both", "but", "by", "can", "could", "did",
    "do", "does", "doing", "down", "during", "each", "few", "for", "from",
    "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is",
    "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no",
    "nor", "not", "of", "off", "on", "once", "only", "or", "other", "ought",
    "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should",
    "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
    "themselves", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "very", "was", "we",
    "were", "what", "when", "where", "which", "while", "who", "whom", "why",
    "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", NULL
};

/* Case-insensitive POSIX EREs, each matched against a whole trimmed line
 * (the indexer anchors them as "^(RE)$").  Keep in step with dossier.yaml. */
static const char *const default_boilerplate[] = {
    "you may also like.*",
    "subscribe([^[:alpha:]].*)?",
    "share (this|on|via)([^[:alpha:]].*)?",
    "sign up (for|to) (our|the) .*newsletter.*",
    "advertisement|sponsored( content)?",
    "read more[[:space:]]*(:.*|[.>]*)",
    "related( articles| stories| posts| content)?[[:space:]]*:.*",
    "follow us([^[:alpha:]].*)?",
    "click here([^[:alpha:]].*)?",
    "listen to this article.*",
    "skip to (main )?content",
    NULL
};

static const char *const default_json_text[] = {
    "text", "content", "full_text", "body", NULL
};
static const char *const default_json_title[] = { "title", NULL };
static const char *const default_json_author[] = {
    "author", "user.name", "username", "author.name", NULL
};
static const char *const default_json_date[] = {
    "created_at", "date", "published", "timestamp", NULL
};
static const char *const default_json_url[] = { "url", "link", NULL };
static const char *const default_json_id[] = {
    "id", "id_str", "uuid", NULL
};

/* Synonym groups, NULL-separated, ending with two NULLs. */
static const char *const default_synonyms[] = {
    "kyiv", "kiev", NULL,
    "kharkiv", "kharkov", NULL,
    "odesa", "odessa", NULL,
    "zelensky", "zelenskyy", "zelenskiy", "zelenski", NULL,
    "donbas", "donbass", NULL,
    "nato", "north atlantic treaty organization", NULL,
    "luhansk", "lugansk", NULL,
    "mykolaiv", "nikolaev", NULL,
    "lviv", "lvov", NULL,
    "chernihiv", "chernigov", NULL,
    "zaporizhzhia", "zaporozhye", "zaporizhia", NULL,
    NULL
};

/* Xapian's stemmers (Xapian::Stem::get_available_languages), and none. */
static const char *const languages[] = {
    "none", "arabic", "armenian", "basque", "catalan", "danish", "dutch",
    "english", "earlyenglish", "finnish", "french", "german", "german2",
    "hungarian", "indonesian", "irish", "italian", "kraaij_pohlmann",
    "lithuanian", "lovins", "nepali", "norwegian", "porter", "portuguese",
    "romanian", "russian", "spanish", "swedish", "tamil", "turkish", NULL
};

/* ---------------------------------------------------------------- lists */

/* Fill SV (empty) from the NULL-terminated ITEMS; returns the position
 * after the NULL, or NULL on allocation failure. */
static const char *const *
strv_fill(strv_t *sv, const char *const *items)
{
    for (; *items != NULL; items++)
        if (strv_push(sv, *items) < 0)
            return NULL;
    return items + 1;
}

static void
synonyms_clear(config_t *cfg)
{
    size_t i;

    for (i = 0; i < cfg->n_synonyms; i++)
        strv_release(&cfg->synonyms[i]);
    free(cfg->synonyms);
    cfg->synonyms = NULL;
    cfg->n_synonyms = 0;
}

/* Append an empty group; NULL on allocation failure. */
static strv_t *
synonyms_add(config_t *cfg)
{
    strv_t *g = realloc(cfg->synonyms,
                               (cfg->n_synonyms + 1) * sizeof *g);

    if (g == NULL)
        return NULL;
    cfg->synonyms = g;
    g = &cfg->synonyms[cfg->n_synonyms++];
    g->v = NULL;
    g->n = 0;
    return g;
}

static void
aliases_clear(config_t *cfg)
{
    size_t i;

    for (i = 0; i < cfg->n_aliases; i++) {
        free(cfg->aliases[i].from);
        free(cfg->aliases[i].to);
        free(cfg->aliases[i].key);
    }
    free(cfg->aliases);
    cfg->aliases = NULL;
    cfg->n_aliases = 0;
}

void
config_release(config_t *cfg)
{
    if (cfg == NULL)
        return;
    free(cfg->path);
    free(cfg->database);
    free(cfg->language);
    strv_release(&cfg->stopwords);
    strv_release(&cfg->shards);
    aliases_clear(cfg);
    synonyms_clear(cfg);
    strv_release(&cfg->roots);
    strv_release(&cfg->boilerplate);
    strv_release(&cfg->json_text);
    strv_release(&cfg->json_title);
    strv_release(&cfg->json_author);
    strv_release(&cfg->json_date);
    strv_release(&cfg->json_url);
    strv_release(&cfg->json_id);
    memset(cfg, 0, sizeof *cfg);
}

int
config_init_defaults(config_t *cfg)
{
    const char *const *g;

    memset(cfg, 0, sizeof *cfg);
    cfg->language = strdup("english");
    if (cfg->language == NULL
        || strv_fill(&cfg->stopwords, default_stopwords) == NULL
        || strv_fill(&cfg->boilerplate, default_boilerplate) == NULL
        || strv_fill(&cfg->json_text, default_json_text) == NULL
        || strv_fill(&cfg->json_title, default_json_title) == NULL
        || strv_fill(&cfg->json_author, default_json_author) == NULL
        || strv_fill(&cfg->json_date, default_json_date) == NULL
        || strv_fill(&cfg->json_url, default_json_url) == NULL
        || strv_fill(&cfg->json_id, default_json_id) == NULL)
        goto nomem;
    for (g = default_synonyms; *g != NULL; ) {
        strv_t *group = synonyms_add(cfg);

        if (group == NULL || (g = strv_fill(group, g)) == NULL)
            goto nomem;
    }

    cfg->batch_size = 1000;
    cfg->max_file_size = 10ULL * 1024 * 1024;
    cfg->follow_symlinks = false;
    cfg->date_fallback = CONFIG_DATE_FALLBACK_NONE;
    cfg->jobs = 0;
    cfg->any = false;
    cfg->results = 10;
    cfg->title_weight = 5.0;
    cfg->bm25_k1 = 1.6;
    cfg->bm25_k2 = 0.0;
    cfg->bm25_k3 = 1.0;
    cfg->bm25_b = 0.75;
    cfg->bm25_min_normlen = 0.5;
    /* Measured on Cranfield: see bench/EVAL.md. */
    cfg->expansion_docs = 5;
    cfg->expansion_terms = 10;
    cfg->expansion_weight = 0.4;
    cfg->collapse = true;
    return 0;

nomem:
    config_release(cfg);
    return -1;
}

/* ---------------------------------------------------------------- tree */

typedef enum node_kind {
    NODE_SCALAR,
    NODE_SEQ,
    NODE_MAP
} node_kind_t;

/* A YAML node.  Mappings keep keys and values alternately in KIDS. */
typedef struct node {
    node_kind_t kind;
    yamlsafe_mark_t mark;
    char *text;                 /* scalar value, NUL-terminated */
    size_t len;
    bool is_plain;              /* unquoted scalar: may be null */
    struct node **kids;
    size_t n_kids;
    size_t cap_kids;
} node_t;

static void
node_free(node_t *n)
{
    size_t i;

    if (n == NULL)
        return;
    for (i = 0; i < n->n_kids; i++)
        node_free(n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n);
}

static int
node_add(node_t *parent, node_t *kid)
{
    if (parent->n_kids == parent->cap_kids) {
        size_t cap = parent->cap_kids ? parent->cap_kids * 2 : 8;
        node_t **kids = realloc(parent->kids, cap * sizeof *kids);

        if (kids == NULL)
            return -1;
        parent->kids = kids;
        parent->cap_kids = cap;
    }
    parent->kids[parent->n_kids++] = kid;
    return 0;
}

static bool
node_is_null(const node_t *n)
{
    return n == NULL
        || (n->kind == NODE_SCALAR && n->is_plain
            && (n->len == 0 || strcmp(n->text, "~") == 0
                || strcmp(n->text, "null") == 0
                || strcmp(n->text, "Null") == 0
                || strcmp(n->text, "NULL") == 0));
}

/* ---------------------------------------------------------------- errors */

typedef struct loader {
    const char *path;
    char *err;
    size_t errlen;
} loader_t;

static int fail_at(const loader_t *ld, yamlsafe_mark_t mark, const char *fmt,
                   ...) __attribute__((format(printf, 3, 4)));
static int fail_path(const loader_t *ld, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
vput(const loader_t *ld, int has_mark, yamlsafe_mark_t mark, const char *fmt,
     va_list ap) __attribute__((format(printf, 4, 0)));

static void
vput(const loader_t *ld, int has_mark, yamlsafe_mark_t mark, const char *fmt,
     va_list ap)
{
    int n;

    if (ld->err == NULL || ld->errlen == 0)
        return;
    if (has_mark)
        n = snprintf(ld->err, ld->errlen, "%s:%lu:%lu: ", ld->path,
                     (unsigned long)mark.line + 1,
                     (unsigned long)mark.column + 1);
    else
        n = snprintf(ld->err, ld->errlen, "%s: ", ld->path);
    if (n < 0 || (size_t)n >= ld->errlen)
        return;
    vsnprintf(ld->err + n, ld->errlen - (size_t)n, fmt, ap);
}

static int
fail_at(const loader_t *ld, yamlsafe_mark_t mark, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vput(ld, 1, mark, fmt, ap);
    va_end(ap);
    return -1;
}

static int
fail_path(const loader_t *ld, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vput(ld, 0, (yamlsafe_mark_t){ 0, 0, 0 }, fmt, ap);
    va_end(ap);
    return -1;
}

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
describe(const node_t *n, char *buf)
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

/* ---------------------------------------------------------------- parsing */

static int
yaml_fail(const loader_t *ld, const yamlsafe_t *y)
{
    yamlsafe_error_t e;
    const char *problem;

    yamlsafe_error(y, &e);
    problem = e.problem != NULL ? e.problem : "invalid YAML";
    if (e.is_reader)
        return fail_at(ld, e.reader_mark, "%s", problem);
    if (e.context != NULL)
        return fail_at(ld, e.mark, "%s %s", problem, e.context);
    return fail_at(ld, e.mark, "%s", problem);
}

/* Parse the LEN bytes at BUF into *ROOT (NULL for an empty stream). */
static int
parse_tree(const loader_t *ld, const char *buf, size_t len, node_t **root)
{
    yamlsafe_t *y;
    yamlsafe_event_t ev;
    yamlsafe_status_t st;
    node_t *stack[CONFIG_MAX_DEPTH];
    size_t depth = 0;
    int n_docs = 0, rc = -1;
    bool done = false;

    *root = NULL;
    y = yamlsafe_new(buf, len, CONFIG_MAX_DEPTH, false);
    if (y == NULL)
        return fail_path(ld, "out of memory");

    while (!done) {
        node_t *n = NULL;

        st = yamlsafe_next(y, &ev);
        if (st == YAMLSAFE_NOMEM || st == YAMLSAFE_SYNTAX) {
            if (st == YAMLSAFE_NOMEM)
                fail_path(ld, "out of memory");
            else
                yaml_fail(ld, y);
            goto out;
        }
        if (st == YAMLSAFE_ANCHOR) {
            fail_at(ld, ev.mark, "YAML anchors and aliases are not allowed");
            goto out;
        }
        if (st == YAMLSAFE_DEEP) {
            fail_at(ld, ev.mark,
                    "nesting deeper than the configuration allows");
            goto out;
        }
        switch (ev.type) {
        case YAMLSAFE_STREAM_END:
            done = true;
            break;
        case YAMLSAFE_DOC_START:
            if (++n_docs > 1) {
                fail_at(ld, ev.mark, "only one YAML document is allowed");
                goto out;
            }
            break;
        case YAMLSAFE_SCALAR:
        case YAMLSAFE_SEQ_START:
        case YAMLSAFE_MAP_START:
            n = calloc(1, sizeof *n);
            if (n == NULL) {
                fail_path(ld, "out of memory");
                goto out;
            }
            n->mark = ev.mark;
            if (ev.type == YAMLSAFE_SCALAR) {
                n->kind = NODE_SCALAR;
                n->len = ev.len;
                n->is_plain = ev.is_plain;
                n->text = malloc(n->len + 1);
                if (n->text != NULL) {
                    memcpy(n->text, ev.text, n->len);
                    n->text[n->len] = '\0';
                }
            } else {
                n->kind = ev.type == YAMLSAFE_SEQ_START ? NODE_SEQ : NODE_MAP;
            }
            if ((n->kind == NODE_SCALAR && n->text == NULL)
                || (depth > 0 && node_add(stack[depth - 1], n) < 0)) {
                node_free(n);
                fail_path(ld, "out of memory");
                goto out;
            }
            if (depth == 0)
                *root = n;
            if (n->kind == NODE_SCALAR && strlen(n->text) != n->len) {
                fail_at(ld, n->mark, "NUL bytes are not allowed");
                goto out;
            }
            if (n->kind != NODE_SCALAR)
                stack[depth++] = n;
            break;
        case YAMLSAFE_SEQ_END:
        case YAMLSAFE_MAP_END:
            if (depth > 0)
                depth--;
            break;
        default:
            break;
        }
    }
    rc = 0;

out:
    yamlsafe_free(y);
    if (rc < 0) {
        node_free(*root);
        *root = NULL;
    }
    return rc;
}

/* ---------------------------------------------------------------- values */

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
check_regex(const loader_t *ld, const node_t *item)
{
    regex_t re;
    char msg[128], *anchored;
    int rc;

    rc = regcomp(&re, item->text, REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc == 0) {
        regfree(&re);
        anchored = malloc(item->len + 5);
        if (anchored == NULL)
            return fail_path(ld, "out of memory");
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

        return fail_at(ld, item->mark, "invalid regex %s in 'boilerplate': %s",
                       describe(item, shown), msg);
    }
}

/* A string list from V: a sequence of non-empty strings, or (when
 * ONE_OK) a single string.  Replaces *SV. */
static int
set_strv(const loader_t *ld, const char *key, const node_t *v,
         strv_t *sv, bool one_ok, bool expand, bool regex)
{
    strv_t out = STRV_INIT;
    const node_t *const *items = &v;
    size_t n = 1, i;
    char shown[80];

    if (v->kind == NODE_SEQ) {
        items = (const node_t *const *)v->kids;
        n = v->n_kids;
    } else if (v->kind != NODE_SCALAR || !one_ok) {
        return fail_at(ld, v->mark, "'%s' must be a list of strings, not %s",
                       key, describe(v, shown));
    }
    for (i = 0; i < n; i++) {
        const node_t *it = items[i];
        char *s;

        if (it->kind != NODE_SCALAR || node_is_null(it) || it->len == 0) {
            strv_release(&out);
            if (it->kind == NODE_SCALAR)
                return fail_at(ld, it->mark, "'%s' entries must be "
                               "non-empty strings", key);
            return fail_at(ld, it->mark, "'%s' must be a list of strings, "
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
            return fail_path(ld, "out of memory");
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
    const node_t *x = *(const node_t *const *)a;
    const node_t *y = *(const node_t *const *)b;
    int c = strcmp(x->text, y->text);

    if (c != 0)
        return c;
    return x->mark.index < y->mark.index ? -1 : x->mark.index > y->mark.index;
}

/* Keys must be strings and unique. */
static int
check_keys(const loader_t *ld, const node_t *map)
{
    size_t n = map->n_kids / 2, i;
    const node_t **keys, *dup = NULL, *first = NULL;

    for (i = 0; i < n; i++)
        if (map->kids[2 * i]->kind != NODE_SCALAR)
            return fail_at(ld, map->kids[2 * i]->mark,
                           "keys must be strings");
    if (n < 2)
        return 0;
    keys = malloc(n * sizeof *keys);
    if (keys == NULL)
        return fail_path(ld, "out of memory");
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

        fail_at(ld, dup->mark, "duplicate key %s (first at line %lu)",
                quote(dup->text, shown), (unsigned long)first->mark.line + 1);
    }
    free(keys);
    return dup != NULL ? -1 : 0;
}

static int
set_aliases(const loader_t *ld, const node_t *v, config_t *cfg)
{
    config_alias_t *a;
    size_t i, n;
    char shown[80], shown_from[80];

    if (v->kind != NODE_MAP)
        return fail_at(ld, v->mark, "'aliases' must be a mapping of names "
                       "to names, not %s", describe(v, shown));
    if (check_keys(ld, v) < 0)
        return -1;
    aliases_clear(cfg);
    n = v->n_kids / 2;
    if (n == 0)
        return 0;
    a = calloc(n, sizeof *a);
    if (a == NULL)
        return fail_path(ld, "out of memory");
    cfg->aliases = a;
    for (i = 0; i < n; i++) {
        const node_t *from = v->kids[2 * i], *to = v->kids[2 * i + 1];

        if (to->kind != NODE_SCALAR || node_is_null(to) || to->len == 0)
            return fail_at(ld, to->mark, "alias %s must map to a name, "
                           "not %s", quote(from->text, shown_from),
                           to->kind == NODE_SCALAR ? "nothing"
                                                   : describe(to, shown));
        a[i].from = strdup(from->text);
        a[i].to = strdup(to->text);
        a[i].key = author_normalise(from->text);
        cfg->n_aliases = i + 1;
        if (a[i].from == NULL || a[i].to == NULL || a[i].key == NULL)
            return fail_path(ld, "out of memory");
        if (a[i].key[0] == '\0')
            return fail_at(ld, from->mark, "alias %s has no letters",
                           quote(from->text, shown_from));
    }
    return 0;
}

static int
set_synonyms(const loader_t *ld, const node_t *v, config_t *cfg)
{
    size_t i;
    char shown[80];

    if (v->kind != NODE_SEQ)
        return fail_at(ld, v->mark, "'synonyms' must be a list of lists of "
                       "terms, not %s", describe(v, shown));
    synonyms_clear(cfg);
    for (i = 0; i < v->n_kids; i++) {
        const node_t *g = v->kids[i];
        strv_t *group;

        if (g->kind != NODE_SEQ)
            return fail_at(ld, g->mark, "'synonyms' must be a list of lists "
                           "of terms, not a list of %s",
                           g->kind == NODE_MAP ? "mappings" : "strings");
        if (g->n_kids < 2)
            return fail_at(ld, g->mark, "a synonym group needs at least two "
                           "terms");
        group = synonyms_add(cfg);
        if (group == NULL)
            return fail_path(ld, "out of memory");
        if (set_strv(ld, "synonyms", g, group, false, false, false) < 0)
            return -1;
    }
    return 0;
}

static int
set_value(const loader_t *ld, const key_spec_t *k, const node_t *v,
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
    default:
        break;
    }

    /* Everything else is a scalar. */
    text = v->kind == NODE_SCALAR ? v->text : NULL;
    switch (k->kind) {
    case K_STRING: {
        char *s;

        if (text == NULL || *text == '\0')
            return fail_at(ld, v->mark, "'%s' must be a non-empty string, "
                           "not %s", k->name,
                           text == NULL ? describe(v, shown) : "''");
        s = expand_home(text);
        if (s == NULL)
            return fail_path(ld, "out of memory");
        free(*(char **)field);
        *(char **)field = s;
        return 0;
    }
    case K_LANGUAGE: {
        const char *hint;
        char *s;
        size_t i;

        if (text == NULL)
            return fail_at(ld, v->mark, "'%s' must be a stemmer name, not %s",
                           k->name, describe(v, shown));
        for (i = 0; languages[i] != NULL; i++)
            if (ascii_ieq(text, languages[i]))
                break;
        if (languages[i] == NULL) {
            hint = suggest(text, languages, sizeof languages[0]);
            if (hint != NULL)
                return fail_at(ld, v->mark, "unknown language %s (did you "
                               "mean '%s'?)", describe(v, shown), hint);
            return fail_at(ld, v->mark, "unknown language %s (expected a "
                           "Xapian stemmer name such as 'english', or "
                           "'none')", describe(v, shown));
        }
        s = strdup(languages[i]);
        if (s == NULL)
            return fail_path(ld, "out of memory");
        free(*(char **)field);
        *(char **)field = s;
        return 0;
    }
    case K_POS_UINT:
    case K_UINT:
        rc = text != NULL ? parse_uint(text, UINT_MAX, &u) : -1;
        if (rc == -2)
            return fail_at(ld, v->mark, "'%s' is too large: %s", k->name,
                           describe(v, shown));
        if (rc < 0 || (k->kind == K_POS_UINT && u == 0))
            return fail_at(ld, v->mark, "'%s' must be a %s integer, not %s",
                           k->name, k->kind == K_POS_UINT ? "positive"
                                                          : "non-negative",
                           describe(v, shown));
        *(unsigned *)field = (unsigned)u;
        return 0;
    case K_SIZE:
        rc = text != NULL ? parse_size(text, &u) : -1;
        if (rc == -2)
            return fail_at(ld, v->mark, "'%s' is too large: %s", k->name,
                           describe(v, shown));
        if (rc < 0 || u == 0)
            return fail_at(ld, v->mark, "'%s' must be a positive size in "
                           "bytes such as 10485760 or '10MB', not %s",
                           k->name, describe(v, shown));
        *(unsigned long long *)field = u;
        return 0;
    case K_BOOL:
        if (text == NULL || parse_bool(text, &b) < 0)
            return fail_at(ld, v->mark, "'%s' must be true or false, not %s",
                           k->name, describe(v, shown));
        *(bool *)field = b;
        return 0;
    case K_FALLBACK:
        if (text != NULL && ascii_ieq(text, "none"))
            cfg->date_fallback = CONFIG_DATE_FALLBACK_NONE;
        else if (text != NULL && ascii_ieq(text, "mtime"))
            cfg->date_fallback = CONFIG_DATE_FALLBACK_MTIME;
        else
            return fail_at(ld, v->mark, "'%s' must be 'none' or 'mtime', "
                           "not %s", k->name, describe(v, shown));
        return 0;
    case K_OPERATOR:
        if (text != NULL && ascii_ieq(text, "and"))
            cfg->any = false;
        else if (text != NULL && ascii_ieq(text, "or"))
            cfg->any = true;
        else
            return fail_at(ld, v->mark, "'%s' must be 'and' or 'or', not %s",
                           k->name, describe(v, shown));
        return 0;
    case K_POS_NUM:
    case K_NONNEG_NUM:
    case K_UNIT_NUM:
        if (text == NULL || parse_number(text, &d) < 0
            || (k->kind == K_POS_NUM && !(d > 0))
            || (k->kind == K_NONNEG_NUM && !(d >= 0))
            || (k->kind == K_UNIT_NUM && !(d >= 0 && d <= 1)))
            return fail_at(ld, v->mark, "'%s' must be %s, not %s", k->name,
                           k->kind == K_POS_NUM ? "a positive number"
                           : k->kind == K_NONNEG_NUM
                               ? "a non-negative number"
                               : "a number from 0 to 1",
                           describe(v, shown));
        *(double *)field = d;
        return 0;
    default:
        return fail_at(ld, v->mark, "internal error: key '%s'", k->name);
    }
}

static int
apply_map(const loader_t *ld, const node_t *map, const key_spec_t *spec,
          const char *name, config_t *cfg)
{
    size_t i;
    char shown[80];

    if (map->kind != NODE_MAP) {
        if (name == NULL)
            return fail_at(ld, map->mark, "the configuration must be a "
                           "mapping of keys, not %s", describe(map, shown));
        return fail_at(ld, map->mark, "'%s' must be a mapping of keys, not "
                       "%s", name, describe(map, shown));
    }
    if (check_keys(ld, map) < 0)
        return -1;
    for (i = 0; i + 1 < map->n_kids; i += 2) {
        const node_t *key = map->kids[i], *val = map->kids[i + 1];
        const key_spec_t *k;

        for (k = spec; k->name != NULL; k++)
            if (strcmp(k->name, key->text) == 0)
                break;
        if (k->name == NULL) {
            const char *hint = suggest(key->text, &spec->name, sizeof *spec);

            if (hint != NULL)
                return fail_at(ld, key->mark, "unknown key %s (did you "
                               "mean '%s'?)", quote(key->text, shown), hint);
            return fail_at(ld, key->mark, "unknown key %s",
                           quote(key->text, shown));
        }
        if (node_is_null(val))
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

/* Read PATH whole.  0, or -1 with errno set (EFBIG when too large). */
static int
read_file(const char *path, char **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL, *grown;
    size_t cap = 0, n = 0, got;
    int saved;

    if (f == NULL)
        return -1;
    for (;;) {
        if (n == cap) {
            if (cap >= CONFIG_MAX_FILE_SIZE) {
                errno = EFBIG;
                goto fail;
            }
            cap = cap ? cap * 2 : 4096;
            grown = realloc(data, cap + 1);
            if (grown == NULL)
                goto fail;
            data = grown;
        }
        got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                if (errno == 0)
                    errno = EIO;
                goto fail;
            }
            break;
        }
    }
    fclose(f);
    data[n] = '\0';
    *buf = data;
    *len = n;
    return 0;

fail:
    saved = errno;
    free(data);
    fclose(f);
    errno = saved;
    return -1;
}

/* ---------------------------------------------------------------- API */

int
config_load(config_t *cfg, const char *path, char *err, size_t errlen)
{
    loader_t ld = { path, err, errlen };
    node_t *root = NULL;
    char *buf = NULL;
    size_t len = 0;
    int rc = -1;

    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (config_init_defaults(cfg) < 0)
        return fail_path(&ld, "out of memory");
    if (path == NULL) {
        ld.path = "(null)";
        return fail_path(&ld, "no configuration file given");
    }
    errno = 0;
    if (read_file(path, &buf, &len) < 0) {
        if (errno == EFBIG)
            return fail_path(&ld, "cannot read configuration: larger than "
                             "%u bytes", CONFIG_MAX_FILE_SIZE);
        return fail_path(&ld, "cannot read configuration: %s",
                         strerror(errno));
    }
    if (parse_tree(&ld, buf, len, &root) < 0)
        goto out;
    if (root != NULL && !node_is_null(root)
        && apply_map(&ld, root, top_keys, NULL, cfg) < 0)
        goto out;
    cfg->path = strdup(path);
    if (cfg->path == NULL) {
        fail_path(&ld, "out of memory");
        goto out;
    }
    rc = 0;

out:
    node_free(root);
    free(buf);
    if (rc < 0) {
        config_release(cfg);
        config_init_defaults(cfg);
    }
    return rc;
}

/* 1 when PATH exists, 0 when it does not, -1 on another error (errno). */
static int
file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");

    if (f != NULL) {
        fclose(f);
        return 1;
    }
    return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
}

int
config_load_default(config_t *cfg, const char *explicit_path, char *err,
                    size_t errlen)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    char *path;
    size_t size;
    int rc;

    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (explicit_path != NULL)
        return config_load(cfg, explicit_path, err, errlen);

    /* Present, or there but unreadable: either way it is the one. */
    if (file_exists("dossier.yaml") != 0)
        return config_load(cfg, "dossier.yaml", err, errlen);

    /* XDG: a relative $XDG_CONFIG_HOME is to be ignored. */
    if (xdg != NULL && xdg[0] == '/') {
        size = strlen(xdg) + sizeof "/dossier/config.yaml";
        path = malloc(size);
        if (path != NULL)
            snprintf(path, size, "%s/dossier/config.yaml", xdg);
    } else if (home != NULL && home[0] != '\0') {
        size = strlen(home) + sizeof "/.config/dossier/config.yaml";
        path = malloc(size);
        if (path != NULL)
            snprintf(path, size, "%s/.config/dossier/config.yaml", home);
    } else {
        return config_init_defaults(cfg) < 0 ? -1 : 0;
    }
    if (path == NULL) {
        if (config_init_defaults(cfg) == 0 && err != NULL && errlen > 0)
            snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (file_exists(path) != 0)
        rc = config_load(cfg, path, err, errlen);
    else if ((rc = config_init_defaults(cfg)) < 0 && err != NULL
             && errlen > 0)
        snprintf(err, errlen, "out of memory");
    free(path);
    return rc;
}

const char *
config_alias_lookup(const config_t *cfg, const char *name)
{
    char *key;
    const char *to = NULL;
    size_t i;

    if (cfg == NULL || name == NULL || cfg->n_aliases == 0)
        return NULL;
    key = author_normalise(name);
    if (key == NULL)
        return NULL;
    for (i = 0; i < cfg->n_aliases; i++) {
        if (cfg->aliases[i].key != NULL
            && strcmp(cfg->aliases[i].key, key) == 0) {
            to = cfg->aliases[i].to;
            break;
        }
    }
    free(key);
    return to;
}
