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
#include "config/config.h"

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
#include "config/config_int.h"
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
static const char *const default_json_source[] = {
    "source", "source.name", "subreddit", NULL
};
static const char *const default_json_tags[] = {
    "tags", "keywords", NULL
};
static const char *const default_json_lang[] = {
    "lang", "language", NULL
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

void
config_synonyms_clear(config_t *cfg)
{
    size_t i;

    for (i = 0; i < cfg->n_synonyms; i++)
        strv_release(&cfg->synonyms[i]);
    free(cfg->synonyms);
    cfg->synonyms = NULL;
    cfg->n_synonyms = 0;
}

/* Append an empty group; NULL on allocation failure. */
strv_t *
config_synonyms_add(config_t *cfg)
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

void
config_aliases_clear(config_t *cfg)
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
    config_aliases_clear(cfg);
    config_synonyms_clear(cfg);
    strv_release(&cfg->roots);
    strv_release(&cfg->boilerplate);
    strv_release(&cfg->json_text);
    strv_release(&cfg->telegram_ids);
    strv_release(&cfg->telegram_names);
    strv_release(&cfg->json_title);
    strv_release(&cfg->json_author);
    strv_release(&cfg->json_date);
    strv_release(&cfg->json_url);
    strv_release(&cfg->json_id);
    strv_release(&cfg->json_source);
    strv_release(&cfg->json_tags);
    strv_release(&cfg->json_lang);
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
        || strv_fill(&cfg->json_id, default_json_id) == NULL
        || strv_fill(&cfg->json_source, default_json_source) == NULL
        || strv_fill(&cfg->json_tags, default_json_tags) == NULL
        || strv_fill(&cfg->json_lang, default_json_lang) == NULL)
        goto nomem;
    for (g = default_synonyms; *g != NULL; ) {
        strv_t *group = config_synonyms_add(cfg);

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
    cfg->translit = true;
    cfg->spellings = true;
    return 0;

nomem:
    config_release(cfg);
    return -1;
}

/* ---------------------------------------------------------------- tree */

static void
node_free(config_node_t *n)
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
node_add(config_node_t *parent, config_node_t *kid)
{
    if (parent->n_kids == parent->cap_kids) {
        size_t cap = parent->cap_kids ? parent->cap_kids * 2 : 8;
        config_node_t **kids = realloc(parent->kids, cap * sizeof *kids);

        if (kids == NULL)
            return -1;
        parent->kids = kids;
        parent->cap_kids = cap;
    }
    parent->kids[parent->n_kids++] = kid;
    return 0;
}

bool
config_node_is_null(const config_node_t *n)
{
    return n == NULL
        || (n->kind == NODE_SCALAR && n->is_plain
            && (n->len == 0 || strcmp(n->text, "~") == 0
                || strcmp(n->text, "null") == 0
                || strcmp(n->text, "Null") == 0
                || strcmp(n->text, "NULL") == 0));
}

/* ---------------------------------------------------------------- errors */

static void
vput(const config_loader_t *ld, int has_mark, yamlsafe_mark_t mark,
     const char *fmt,
     va_list ap) __attribute__((format(printf, 4, 0)));

static void
vput(const config_loader_t *ld, int has_mark, yamlsafe_mark_t mark,
     const char *fmt,
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

int
config_fail_at(const config_loader_t *ld, yamlsafe_mark_t mark,
               const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vput(ld, 1, mark, fmt, ap);
    va_end(ap);
    return -1;
}

int
config_fail_path(const config_loader_t *ld, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vput(ld, 0, (yamlsafe_mark_t){ 0, 0, 0 }, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---------------------------------------------------------------- parsing */

static int
yaml_fail(const config_loader_t *ld, const yamlsafe_t *y)
{
    yamlsafe_error_t e;
    const char *problem;

    yamlsafe_error(y, &e);
    problem = e.problem != NULL ? e.problem : "invalid YAML";
    if (e.is_reader)
        return config_fail_at(ld, e.reader_mark, "%s", problem);
    if (e.context != NULL)
        return config_fail_at(ld, e.mark, "%s %s", problem, e.context);
    return config_fail_at(ld, e.mark, "%s", problem);
}

/* Parse the LEN bytes at BUF into *ROOT (NULL for an empty stream). */
static int
parse_tree(const config_loader_t *ld, const char *buf, size_t len,
           config_node_t **root)
{
    yamlsafe_t *y;
    yamlsafe_event_t ev;
    yamlsafe_status_t st;
    config_node_t *stack[CONFIG_MAX_DEPTH];
    size_t depth = 0;
    int n_docs = 0, rc = -1;
    bool done = false;

    *root = NULL;
    y = yamlsafe_new(buf, len, CONFIG_MAX_DEPTH, false);
    if (y == NULL)
        return config_fail_path(ld, "out of memory");

    while (!done) {
        config_node_t *n = NULL;

        st = yamlsafe_next(y, &ev);
        if (st == YAMLSAFE_NOMEM || st == YAMLSAFE_SYNTAX) {
            if (st == YAMLSAFE_NOMEM)
                config_fail_path(ld, "out of memory");
            else
                yaml_fail(ld, y);
            goto out;
        }
        if (st == YAMLSAFE_ANCHOR) {
            config_fail_at(ld, ev.mark,
                           "YAML anchors and aliases are not allowed");
            goto out;
        }
        if (st == YAMLSAFE_DEEP) {
            config_fail_at(ld, ev.mark,
                    "nesting deeper than the configuration allows");
            goto out;
        }
        switch (ev.type) {
        case YAMLSAFE_STREAM_END:
            done = true;
            break;
        case YAMLSAFE_DOC_START:
            if (++n_docs > 1) {
                config_fail_at(ld, ev.mark,
                               "only one YAML document is allowed");
                goto out;
            }
            break;
        case YAMLSAFE_SCALAR:
        case YAMLSAFE_SEQ_START:
        case YAMLSAFE_MAP_START:
            n = calloc(1, sizeof *n);
            if (n == NULL) {
                config_fail_path(ld, "out of memory");
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
                config_fail_path(ld, "out of memory");
                goto out;
            }
            if (depth == 0)
                *root = n;
            if (n->kind == NODE_SCALAR && strlen(n->text) != n->len) {
                config_fail_at(ld, n->mark, "NUL bytes are not allowed");
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
    config_loader_t ld = { path, err, errlen };
    config_node_t *root = NULL;
    char *buf = NULL;
    size_t len = 0;
    int rc = -1;

    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (config_init_defaults(cfg) < 0)
        return config_fail_path(&ld, "out of memory");
    if (path == NULL) {
        ld.path = "(null)";
        return config_fail_path(&ld, "no configuration file given");
    }
    errno = 0;
    if (read_file(path, &buf, &len) < 0) {
        if (errno == EFBIG)
            return config_fail_path(&ld,
                                    "cannot read configuration: larger than "
                             "%u bytes", CONFIG_MAX_FILE_SIZE);
        return config_fail_path(&ld, "cannot read configuration: %s",
                         strerror(errno));
    }
    if (parse_tree(&ld, buf, len, &root) < 0)
        goto out;
    if (root != NULL && !config_node_is_null(root)
        && config_apply(&ld, root, cfg) < 0)
        goto out;
    cfg->path = strdup(path);
    if (cfg->path == NULL) {
        config_fail_path(&ld, "out of memory");
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

/* Whether WORD is one word of ASCII letters and digits. */
static bool
fold_word(const char *word)
{
    if (!*word)
        return false;
    for (const char *p = word; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

/* Whether group G shares a member with another group (ASCII case
 * ignored; a member in another script is compared as written). */
static bool
group_shared(const config_t *cfg, size_t g)
{
    const strv_t *grp = &cfg->synonyms[g];
    for (size_t h = 0; h < cfg->n_synonyms; h++) {
        if (h == g)
            continue;
        for (size_t i = 0; i < grp->n; i++)
            for (size_t j = 0; j < cfg->synonyms[h].n; j++)
                if (strcasecmp(grp->v[i], cfg->synonyms[h].v[j]) == 0)
                    return true;
    }
    return false;
}

static int
cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *
config_synonym_folds(const config_t *cfg)
{
    strv_t lines = STRV_INIT;
    char *out = NULL;

    for (size_t g = 0; g < cfg->n_synonyms; g++) {
        const strv_t *grp = &cfg->synonyms[g];
        bool ok = grp->n >= 2;
        for (size_t i = 0; ok && i < grp->n; i++)
            ok = fold_word(grp->v[i]);
        if (!ok || group_shared(cfg, g))
            continue;
        for (size_t i = 1; i < grp->n; i++) {
            if (strcasecmp(grp->v[i], grp->v[0]) == 0)
                continue;
            size_t len = strlen(grp->v[i]) + strlen(grp->v[0]) + 2;
            char *line = malloc(len);
            if (!line)
                goto out;
            snprintf(line, len, "%s %s", grp->v[i], grp->v[0]);
            for (char *p = line; *p; p++)
                *p = (char)ascii_tolower((unsigned char)*p);
            if (strv_push_unique(&lines, line) < 0) {
                free(line);
                goto out;
            }
            free(line);
        }
    }
    if (lines.n)
        qsort(lines.v, lines.n, sizeof *lines.v, cmp_line);
    size_t len = 1;
    for (size_t i = 0; i < lines.n; i++)
        len += strlen(lines.v[i]) + 1;
    if (!(out = malloc(len)))
        goto out;
    out[0] = '\0';
    for (size_t i = 0, at = 0; i < lines.n; i++)
        at += (size_t)sprintf(out + at, "%s\n", lines.v[i]);
out:
    strv_release(&lines);
    return out;
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

const char *
config_telegram_username(const config_t *cfg, const char *id)
{
    if (cfg == NULL || id == NULL)
        return NULL;
    for (size_t i = 0; i < cfg->telegram_ids.n; i++) {
        const char *c = cfg->telegram_ids.v[i];
        /* The Bot API writes a channel's id with "-100" before it. */
        if (strcmp(c, id) == 0 ||
            (strncmp(c, "-100", 4) == 0 && strcmp(c + 4, id) == 0))
            return cfg->telegram_names.v[i];
    }
    return NULL;
}
