/* config.h - dossier.yaml: loading, validation and the built-in defaults
 *
 * The configuration both programs share.  config_load() reads YAML with
 * libyaml into a config_t, checks every key and type, and reports the first
 * problem as "FILE:LINE:COL: WHAT" (unknown keys get the closest valid key
 * suggested).  YAML anchors and aliases are refused (no alias bombs), and so
 * is nesting deeper than the schema allows.  Defaults are those documented
 * in config/dossier.yaml.  This module never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strv.h"


typedef struct config_alias {
    char *from;             /* as written: "@McFaul" */
    char *to;               /* display name: "Michael McFaul" */
    char *key;              /* author_normalise(from), for lookups */
} config_alias_t;

typedef enum config_date_fallback {
    CONFIG_DATE_FALLBACK_NONE = 0,  /* a missing date stays missing */
    CONFIG_DATE_FALLBACK_MTIME      /* use the file's modification time */
} config_date_fallback_t;

typedef struct config {
    char *path;             /* file it came from, NULL for defaults */

    /* top level */
    char *database;         /* database: NULL -> "./dossier.db"; a
                               leading "~/" is expanded (so are roots'
                               and shards') */
    char *language;         /* language: stemmer, default "english" */
    strv_t stopwords;        /* stopwords: list; default a short
                                       English list */
    strv_t shards;           /* shards: databases searched as one */
    config_alias_t *aliases;        /* aliases: map handle/variant -> name */
    size_t n_aliases;
    strv_t *synonyms;        /* synonyms: list of groups (lists) */
    size_t n_synonyms;

    /* index: */
    strv_t roots;            /* index.roots: default roots */
    unsigned batch_size;            /* index.batch_size, default 1000 */
    unsigned long long max_file_size;  /* index.max_file_size, bytes,
                                          default 10 MB; "10MB" accepted */
    bool follow_symlinks;           /* index.follow_symlinks, false */
    config_date_fallback_t date_fallback;   /* index.date_fallback */
    unsigned jobs;                  /* index.jobs, 0 = number of cores */
    strv_t boilerplate;      /* index.boilerplate: POSIX extended
                                       regexes, case-insensitive, matched
                                       against whole trimmed lines: compile
                                       "^(RE)$" with REG_EXTENDED |
                                       REG_ICASE (checked at load) */
    strv_t json_text;        /* index.json.text (dotted paths) */
    strv_t json_title;       /* index.json.title */
    strv_t json_author;      /* index.json.author */
    strv_t json_date;        /* index.json.date */
    strv_t json_url;         /* index.json.url */
    strv_t json_id;          /* index.json.id */
    strv_t json_source;      /* index.json.source */
    strv_t json_tags;        /* index.json.tags */
    strv_t json_lang;        /* index.json.lang */
    strv_t telegram_ids;     /* index.telegram_usernames: chat ids (as
                                written, digits with an optional "-") */
    strv_t telegram_names;   /* ... and their public usernames, without
                                "@", in the same order */

    /* search: */
    bool any;                       /* search.default_operator: and|or */
    unsigned results;               /* search.results, default 10 */
    double title_weight;            /* search.title_weight, default 5 */
    double bm25_k1, bm25_k2, bm25_k3, bm25_b, bm25_min_normlen;
                                    /* search.bm25.{k1,k2,k3,b,min_normlen}
                                       default 1.6 0 1 0.75 0.5 */
    unsigned expansion_docs;        /* search.expansion.docs, default 5 */
    unsigned expansion_terms;       /* search.expansion.terms, default 10 */
    double expansion_weight;        /* search.expansion.weight, default 0.4;
                                       query expansion of best-match
                                       (--any) queries, off when any of the
                                       three is 0 */
    bool collapse;                  /* search.collapse, default true */
    bool translit;                  /* search.translit, default true: a
                                       query word also finds its spellings
                                       in the other script (Kyiv, Київ);
                                       --no-translit turns it off */
    bool spellings;                 /* search.spellings, default true:
                                       British and American spellings and
                                       hyphenated compounds match each
                                       other */
} config_t;

/* Fill CFG with the built-in defaults.  CFG need not be initialised: it
 * is overwritten, and anything it held is not released.  Returns 0, -1 on
 * allocation failure (CFG is then zeroed). */
int config_init_defaults(config_t *cfg);

/* Load PATH over the defaults.  CFG need not be initialised (it is filled
 * with config_init_defaults() first).  Lists and mappings given in the file
 * replace the default ones; a key given as null (`key:` or `key: ~`) keeps
 * its default.  Returns 0; or -1 with "PATH:LINE:COL: WHAT" (or
 * "PATH: WHAT" when there is no position) in ERR.  On failure CFG still
 * holds defaults and must be released.  Release CFG with config_release()
 * in both cases. */
int config_load(config_t *cfg, const char *path, char *err, size_t errlen);

/* Load the config the CLI contract names: EXPLICIT (from -c) if not NULL,
 * else ./dossier.yaml, else $XDG_CONFIG_HOME/dossier/config.yaml (or
 * ~/.config/...), else the defaults.  A missing EXPLICIT file is an error;
 * the others are optional. */
/* The public username the config gives Telegram chat ID (decimal
 * digits, as in an export), or NULL; borrowed from CFG. */
const char *config_telegram_username(const config_t *cfg, const char *id);

int config_load_default(config_t *cfg, const char *explicit_path, char *err,
                        size_t errlen);

/* The display name an alias maps NAME to (compared after
 * author_normalise()), or NULL when NAME has no alias.  Owned by CFG. */
const char *config_alias_lookup(const config_t *cfg, const char *name);

/* The synonym groups the indexer folds into one term (shim/fold.cc), as
 * text of one line a pair, "MEMBER CANONICAL\n", sorted: the groups whose
 * members are all one word of ASCII letters and digits, at least two of
 * them different ignoring case, none of them in another group; each
 * member but the first, lower-case, paired with the first.  "" for none,
 * NULL when out of memory.  Free with free(). */
char *config_synonym_folds(const config_t *cfg);

void config_release(config_t *cfg);

#endif /* CONFIG_H */
