/* check_config.c - tests of config/config.c: defaults, loading, validation
 *
 * Each test writes its YAML into its own mkdtemp directory (a checked
 * fixture), loads it, and checks the values or the exact one-line message.
 * config/dossier.yaml is loaded from the repository root, where the tests
 * run, and must yield exactly the built-in defaults.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "config/config.h"
#include "util/diag.h"
#include "tests/scratch.h"
#include "tests/suites.h"

static char tmpdir[256];
static char topdir[PATH_MAX];

static void
setup(void)
{
    scratch_make(tmpdir, sizeof tmpdir, "dossier-check-config");
    ck_assert_ptr_nonnull(getcwd(topdir, sizeof topdir));
}

static void
teardown(void)
{
    if (chdir(topdir) != 0)
        return;
    scratch_remove(tmpdir);
}

/* Write TEXT to NAME (may contain directories) under the test's directory;
 * the path goes to PATH. */
static void
write_file(char *path, size_t size, const char *name, const char *text)
{
    FILE *f;
    char *slash;

    snprintf(path, size, "%s/%s", tmpdir, name);
    for (slash = strchr(path + strlen(tmpdir) + 1, '/'); slash != NULL;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0700);
        *slash = '/';
    }
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs(text, f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
}

/* Load TEXT; return config_load()'s result, the message in ERR with the
 * temporary directory replaced by "T". */
static int
load_text(config_t *cfg, const char *text, char *err, size_t errlen)
{
    char path[PATH_MAX], raw[1024];
    size_t n = strlen(tmpdir);
    int rc;

    write_file(path, sizeof path, "c.yaml", text);
    raw[0] = '\0';
    rc = config_load(cfg, path, raw, sizeof raw);
    if (strncmp(raw, tmpdir, n) == 0)
        snprintf(err, errlen, "T%s", raw + n);
    else
        snprintf(err, errlen, "%s", raw);
    return rc;
}

/* Loading TEXT fails with exactly MSG, leaving the defaults. */
static void
assert_load_error(const char *text, const char *msg)
{
    config_t cfg;
    char err[1024];

    ck_assert_int_eq(load_text(&cfg, text, err, sizeof err), -1);
    ck_assert_str_eq(err, msg);
    ck_assert_str_eq(cfg.language, "english");
    ck_assert_uint_eq(cfg.batch_size, 1000);
    ck_assert_ptr_null(cfg.path);
    config_release(&cfg);
}

/* Loading TEXT succeeds. */
static void
load_ok(config_t *cfg, const char *text)
{
    char err[1024];
    int rc = load_text(cfg, text, err, sizeof err);

    ck_assert_msg(rc == 0, "load failed: %s", err);
}

static void
assert_strv_eq(const strv_t *a, const strv_t *b)
{
    size_t i;

    ck_assert_uint_eq(a->n, b->n);
    for (i = 0; i < a->n; i++)
        ck_assert_str_eq(a->v[i], b->v[i]);
}

static void
assert_strv_is(const strv_t *a, const char *const *items)
{
    size_t i;

    for (i = 0; items[i] != NULL; i++) {
        ck_assert_uint_gt(a->n, i);
        ck_assert_str_eq(a->v[i], items[i]);
    }
    ck_assert_uint_eq(a->n, i);
}

/* Every field but path. */
static void
assert_config_eq(const config_t *a, const config_t *b)
{
    size_t i;

    ck_assert_pstr_eq(a->database, b->database);
    ck_assert_pstr_eq(a->language, b->language);
    assert_strv_eq(&a->stopwords, &b->stopwords);
    assert_strv_eq(&a->shards, &b->shards);
    ck_assert_uint_eq(a->n_aliases, b->n_aliases);
    for (i = 0; i < a->n_aliases; i++) {
        ck_assert_str_eq(a->aliases[i].from, b->aliases[i].from);
        ck_assert_str_eq(a->aliases[i].to, b->aliases[i].to);
    }
    ck_assert_uint_eq(a->n_synonyms, b->n_synonyms);
    for (i = 0; i < a->n_synonyms; i++)
        assert_strv_eq(&a->synonyms[i], &b->synonyms[i]);
    assert_strv_eq(&a->roots, &b->roots);
    ck_assert_uint_eq(a->batch_size, b->batch_size);
    ck_assert_uint_eq(a->max_file_size, b->max_file_size);
    ck_assert_int_eq(a->follow_symlinks, b->follow_symlinks);
    ck_assert_int_eq(a->date_fallback, b->date_fallback);
    ck_assert_uint_eq(a->jobs, b->jobs);
    assert_strv_eq(&a->boilerplate, &b->boilerplate);
    assert_strv_eq(&a->json_text, &b->json_text);
    assert_strv_eq(&a->json_title, &b->json_title);
    assert_strv_eq(&a->json_author, &b->json_author);
    assert_strv_eq(&a->json_date, &b->json_date);
    assert_strv_eq(&a->json_url, &b->json_url);
    assert_strv_eq(&a->json_id, &b->json_id);
    ck_assert_int_eq(a->any, b->any);
    ck_assert_uint_eq(a->results, b->results);
    ck_assert_double_eq(a->title_weight, b->title_weight);
    ck_assert_double_eq(a->bm25_k1, b->bm25_k1);
    ck_assert_double_eq(a->bm25_k2, b->bm25_k2);
    ck_assert_double_eq(a->bm25_k3, b->bm25_k3);
    ck_assert_double_eq(a->bm25_b, b->bm25_b);
    ck_assert_double_eq(a->bm25_min_normlen, b->bm25_min_normlen);
    ck_assert_uint_eq(a->expansion_docs, b->expansion_docs);
    ck_assert_uint_eq(a->expansion_terms, b->expansion_terms);
    ck_assert_double_eq(a->expansion_weight, b->expansion_weight);
    ck_assert_int_eq(a->collapse, b->collapse);
}

/* ---------------------------------------------------------------- defaults */

START_TEST(test_config_init_defaults_values)
{
    static const char *const stop[] = {
        "a", "about", "above", "after", "again", "against", "all", "am", "an",
        "and", "any", "are", "as", "at", "be", "because", "been", "before",
        "being", "below", "between", "both", "but", "by", "can", "could",
        "did", "do", "does", "doing", "down", "during", "each", "few", "for",
        "from", "further", "had", "has", "have", "having", "he", "her",
        "here", "hers", "herself", "him", "himself", "his", "how", "i", "if",
        "in", "into", "is", "it", "its", "itself", "just", "me", "more",
        "most", "my", "myself", "no", "nor", "not", "of", "off", "on", "once",
        "only", "or", "other", "ought", "our", "ours", "ourselves", "out",
        "over", "own", "same", "she", "should", "so", "some", "such", "than",
        "that", "the", "their", "theirs", "them", "themselves", "then",
        "there", "these", "they", "this", "those", "through", "to", "too",
        "under", "until", "up", "very", "was", "we", "were", "what", "when",
        "where", "which", "while", "who", "whom", "why", "will", "with",
        "would", "you", "your", "yours", "yourself", "yourselves", NULL
    };
    static const char *const text[] = {
        "text", "content", "full_text", "body", NULL
    };
    static const char *const author[] = {
        "author", "user.name", "username", "author.name", NULL
    };
    static const char *const date[] = {
        "created_at", "date", "published", "timestamp", NULL
    };
    static const char *const title[] = { "title", NULL };
    static const char *const url[] = { "url", "link", NULL };
    static const char *const id[] = { "id", "id_str", "uuid", NULL };
    static const char *const kyiv[] = { "kyiv", "kiev", NULL };
    static const char *const zel[] = {
        "zelensky", "zelenskyy", "zelenskiy", "zelenski", NULL
    };
    static const char *const nato[] = {
        "nato", "north atlantic treaty organization", NULL
    };
    config_t cfg;

    ck_assert_int_eq(config_init_defaults(&cfg), 0);
    ck_assert_ptr_null(cfg.path);
    ck_assert_ptr_null(cfg.database);
    ck_assert_str_eq(cfg.language, "english");
    assert_strv_is(&cfg.stopwords, stop);
    ck_assert_uint_eq(cfg.shards.n, 0);
    ck_assert_uint_eq(cfg.n_aliases, 0);
    ck_assert_uint_eq(cfg.n_synonyms, 11);
    assert_strv_is(&cfg.synonyms[0], kyiv);
    assert_strv_is(&cfg.synonyms[3], zel);
    assert_strv_is(&cfg.synonyms[5], nato);
    ck_assert_uint_eq(cfg.roots.n, 0);
    ck_assert_uint_eq(cfg.batch_size, 1000);
    ck_assert_uint_eq(cfg.max_file_size, 10485760ULL);
    ck_assert_int_eq(cfg.follow_symlinks, 0);
    ck_assert_int_eq(cfg.date_fallback, CONFIG_DATE_FALLBACK_NONE);
    ck_assert_uint_eq(cfg.jobs, 0);
    ck_assert_uint_ge(cfg.boilerplate.n, 9);
    assert_strv_is(&cfg.json_text, text);
    assert_strv_is(&cfg.json_title, title);
    assert_strv_is(&cfg.json_author, author);
    assert_strv_is(&cfg.json_date, date);
    assert_strv_is(&cfg.json_url, url);
    assert_strv_is(&cfg.json_id, id);
    ck_assert_int_eq(cfg.any, 0);
    ck_assert_uint_eq(cfg.results, 10);
    ck_assert_double_eq(cfg.title_weight, 5.0);
    ck_assert_double_eq(cfg.bm25_k1, 1.6);
    ck_assert_double_eq(cfg.bm25_k2, 0.0);
    ck_assert_double_eq(cfg.bm25_k3, 1.0);
    ck_assert_double_eq(cfg.bm25_b, 0.75);
    ck_assert_double_eq(cfg.bm25_min_normlen, 0.5);
    ck_assert_uint_eq(cfg.expansion_docs, 5);
    ck_assert_uint_eq(cfg.expansion_terms, 10);
    ck_assert_double_eq(cfg.expansion_weight, 0.4);
    ck_assert_int_eq(cfg.collapse, 1);
    ck_assert_ptr_null(cfg.stopwords.v[cfg.stopwords.n]);
    config_release(&cfg);
}
END_TEST

/* The default boilerplate patterns, anchored as the indexer uses them,
 * catch the lines they are for and leave article text alone. */
START_TEST(test_config_init_defaults_boilerplate)
{
    static const char *const junk[] = {
        "YOU MAY ALSO LIKE...", "You may also like", "Subscribe",
        "Subscribe now", "Subscribe...", "Subscribe to our newsletter",
        "Share this...", "Share this article", "Share on Twitter",
        "Sign up for our newsletter", "Sign up for our daily newsletter",
        "Advertisement", "ADVERTISEMENT", "Read more:",
        "Read more: NATO summit", "Read more", "Related:",
        "Related: Kyiv talks", "Related Articles:", "Follow us on Twitter",
        "Follow us", "Click here to subscribe", "Click here to...",
        "Listen to this article", "Skip to main content", NULL
    };
    static const char *const text[] = {
        "Subscribers to the service said it was down",
        "Share prices fell sharply in Frankfurt",
        "The advertisement was pulled after complaints",
        "Allies agreed to read more intelligence reports",
        "Related talks in Brussels ended without a deal",
        "Follow-up talks are planned for September",
        "Clicking here is not advised", "Security guarantees", NULL
    };
    config_t cfg;
    size_t i, j;
    regex_t *re;

    ck_assert_int_eq(config_init_defaults(&cfg), 0);
    re = calloc(cfg.boilerplate.n, sizeof *re);
    for (j = 0; j < cfg.boilerplate.n; j++) {
        char anchored[256];

        snprintf(anchored, sizeof anchored, "^(%s)$", cfg.boilerplate.v[j]);
        ck_assert_int_eq(regcomp(&re[j], anchored,
                                 REG_EXTENDED | REG_ICASE | REG_NOSUB), 0);
    }
    for (i = 0; junk[i] != NULL; i++) {
        for (j = 0; j < cfg.boilerplate.n; j++)
            if (regexec(&re[j], junk[i], 0, NULL, 0) == 0)
                break;
        ck_assert_msg(j < cfg.boilerplate.n, "'%s' not caught", junk[i]);
    }
    for (i = 0; text[i] != NULL; i++)
        for (j = 0; j < cfg.boilerplate.n; j++)
            ck_assert_msg(regexec(&re[j], text[i], 0, NULL, 0) != 0,
                          "'%s' caught by '%s'", text[i],
                          cfg.boilerplate.v[j]);
    for (j = 0; j < cfg.boilerplate.n; j++)
        regfree(&re[j]);
    free(re);
    config_release(&cfg);
}
END_TEST

START_TEST(test_config_load_dossier_yaml_is_defaults)
{
    config_t def, cfg;
    char err[1024];

    ck_assert_int_eq(config_init_defaults(&def), 0);
    ck_assert_msg(config_load(&cfg, "config/dossier.yaml", err, sizeof err)
                  == 0, "%s", err);
    ck_assert_str_eq(cfg.path, "config/dossier.yaml");
    assert_config_eq(&cfg, &def);
    config_release(&cfg);
    config_release(&def);
}
END_TEST

START_TEST(test_config_load_empty_file)
{
    config_t def, cfg;

    ck_assert_int_eq(config_init_defaults(&def), 0);
    load_ok(&cfg, "");
    ck_assert_ptr_nonnull(cfg.path);
    assert_config_eq(&cfg, &def);
    config_release(&cfg);
    load_ok(&cfg, "# nothing but a comment\n\n");
    assert_config_eq(&cfg, &def);
    config_release(&cfg);
    load_ok(&cfg, "---\n...\n");
    assert_config_eq(&cfg, &def);
    config_release(&cfg);
    config_release(&def);
}
END_TEST

START_TEST(test_config_release_zeroed)
{
    config_t cfg;

    memset(&cfg, 0, sizeof cfg);
    config_release(&cfg);
    config_release(NULL);
    ck_assert_int_eq(config_init_defaults(&cfg), 0);
    config_release(&cfg);
    config_release(&cfg);
    ck_assert_ptr_null(cfg.language);
}
END_TEST

/* ---------------------------------------------------------------- keys */

START_TEST(test_config_load_every_key)
{
    static const char *const stop[] = { "der", "die", "das", NULL };
    static const char *const text[] = { "body", NULL };
    static const char *const title[] = { "headline", NULL };
    static const char *const author[] = { "by.name", "byline", NULL };
    static const char *const roots[] = { "/srv/articles", "corpus", NULL };
    static const char *const bp[] = { "werbung", "anzeige.*", NULL };
    config_t cfg;

    load_ok(&cfg,
            "database: /var/lib/dossier.db\n"
            "language: German\n"
            "stopwords: [der, die, das]\n"
            "shards: [a.db, 'tcp://host:33333']\n"
            "aliases:\n"
            "  '@McFaul': Michael McFaul\n"
            "synonyms:\n"
            "  - [nato, otan]\n"
            "index:\n"
            "  roots: [/srv/articles, corpus]\n"
            "  batch_size: 250\n"
            "  max_file_size: 512KB\n"
            "  follow_symlinks: yes\n"
            "  date_fallback: mtime\n"
            "  jobs: 4\n"
            "  boilerplate: [werbung, 'anzeige.*']\n"
            "  json:\n"
            "    text: body\n"
            "    title: [headline]\n"
            "    author: [by.name, byline]\n"
            "    date: published_at\n"
            "    url: permalink\n"
            "    id: [guid]\n"
            "search:\n"
            "  default_operator: or\n"
            "  results: 25\n"
            "  title_weight: 2.5\n"
            "  collapse: false\n"
            "  bm25:\n"
            "    k1: 0.9\n"
            "    k2: 1e-1\n"
            "    k3: 7\n"
            "    b: 1\n"
            "    min_normlen: .25\n"
            "  expansion:\n"
            "    docs: 3\n"
            "    terms: 0\n"
            "    weight: 0.75\n");
    ck_assert_str_eq(cfg.database, "/var/lib/dossier.db");
    ck_assert_str_eq(cfg.language, "german");
    assert_strv_is(&cfg.stopwords, stop);
    ck_assert_uint_eq(cfg.shards.n, 2);
    ck_assert_str_eq(cfg.shards.v[1], "tcp://host:33333");
    ck_assert_uint_eq(cfg.n_aliases, 1);
    ck_assert_str_eq(cfg.aliases[0].from, "@McFaul");
    ck_assert_str_eq(cfg.aliases[0].to, "Michael McFaul");
    ck_assert_uint_eq(cfg.n_synonyms, 1);
    ck_assert_str_eq(cfg.synonyms[0].v[1], "otan");
    assert_strv_is(&cfg.roots, roots);
    ck_assert_uint_eq(cfg.batch_size, 250);
    ck_assert_uint_eq(cfg.max_file_size, 512 * 1024);
    ck_assert_int_eq(cfg.follow_symlinks, 1);
    ck_assert_int_eq(cfg.date_fallback, CONFIG_DATE_FALLBACK_MTIME);
    ck_assert_uint_eq(cfg.jobs, 4);
    assert_strv_is(&cfg.boilerplate, bp);
    assert_strv_is(&cfg.json_text, text);
    assert_strv_is(&cfg.json_title, title);
    assert_strv_is(&cfg.json_author, author);
    ck_assert_str_eq(cfg.json_date.v[0], "published_at");
    ck_assert_str_eq(cfg.json_url.v[0], "permalink");
    ck_assert_str_eq(cfg.json_id.v[0], "guid");
    ck_assert_int_eq(cfg.any, 1);
    ck_assert_uint_eq(cfg.results, 25);
    ck_assert_double_eq(cfg.title_weight, 2.5);
    ck_assert_int_eq(cfg.collapse, 0);
    ck_assert_double_eq(cfg.bm25_k1, 0.9);
    ck_assert_double_eq(cfg.bm25_k2, 0.1);
    ck_assert_double_eq(cfg.bm25_k3, 7.0);
    ck_assert_double_eq(cfg.bm25_b, 1.0);
    ck_assert_double_eq(cfg.bm25_min_normlen, 0.25);
    ck_assert_uint_eq(cfg.expansion_docs, 3);
    ck_assert_uint_eq(cfg.expansion_terms, 0);
    ck_assert_double_eq(cfg.expansion_weight, 0.75);
    config_release(&cfg);
}
END_TEST

START_TEST(test_config_load_partial_keeps_defaults)
{
    config_t cfg;

    load_ok(&cfg, "index:\n  json:\n    text: [body]\n");
    ck_assert_uint_eq(cfg.json_text.n, 1);
    ck_assert_str_eq(cfg.json_text.v[0], "body");
    ck_assert_uint_eq(cfg.json_author.n, 4);
    ck_assert_uint_eq(cfg.batch_size, 1000);
    ck_assert_uint_eq(cfg.n_synonyms, 11);
    config_release(&cfg);
}
END_TEST

START_TEST(test_config_load_empty_lists)
{
    config_t cfg;

    load_ok(&cfg, "stopwords: []\nsynonyms: []\nindex:\n  boilerplate: []\n");
    ck_assert_uint_eq(cfg.stopwords.n, 0);
    ck_assert_uint_eq(cfg.n_synonyms, 0);
    ck_assert_uint_eq(cfg.boilerplate.n, 0);
    config_release(&cfg);
}
END_TEST

/* Which groups the indexer folds into one term, and how they are
 * written: one-word ASCII groups in no other group, members lower-case,
 * paired with the first, sorted. */
START_TEST(test_config_synonym_folds)
{
    config_t cfg;
    char *f;

    load_ok(&cfg, "synonyms:\n"
            "  - [Kyiv, KIEV, kyiv]\n"
            "  - [odesa, odessa, Odessa]\n"
            "  - [nato, north atlantic treaty organization]\n"
            "  - [riga, rija]\n"
            "  - [rija, ryga]\n"
            "  - [lviv, \"\u043b\u044c\u0432\u0456\u0432\"]\n"
            "  - [f-16, f16]\n");
    f = config_synonym_folds(&cfg);
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f, "kiev kyiv\nodessa odesa\n");
    free(f);
    config_release(&cfg);

    load_ok(&cfg, "synonyms: []\n");
    f = config_synonym_folds(&cfg);
    ck_assert_str_eq(f, "");
    free(f);
    config_release(&cfg);

    ck_assert_int_eq(config_init_defaults(&cfg), 0);
    f = config_synonym_folds(&cfg);
    ck_assert_ptr_nonnull(strstr(f, "kiev kyiv\n"));
    ck_assert_ptr_nonnull(strstr(f, "zelenski zelensky\n"));
    ck_assert_ptr_null(strstr(f, "nato"));
    free(f);
    config_release(&cfg);
}
END_TEST

START_TEST(test_config_load_null_keeps_default)
{
    config_t cfg;

    load_ok(&cfg, "database:\nlanguage: ~\nindex:\n  batch_size: null\n"
            "search:\n");
    ck_assert_ptr_null(cfg.database);
    ck_assert_str_eq(cfg.language, "english");
    ck_assert_uint_eq(cfg.batch_size, 1000);
    config_release(&cfg);
}
END_TEST

START_TEST(test_config_load_max_file_size_forms)
{
    static const struct { const char *yaml; unsigned long long v; } c[] = {
        { "2048", 2048 },
        { "'10MB'", 10485760ULL },
        { "10mb", 10485760ULL },
        { "512KB", 524288 },
        { "512 KiB", 524288 },
        { "1GB", 1073741824ULL },
        { "3k", 3072 },
        { "100B", 100 },
    };
    size_t i;

    for (i = 0; i < sizeof c / sizeof c[0]; i++) {
        config_t cfg;
        char yaml[128];

        snprintf(yaml, sizeof yaml, "index:\n  max_file_size: %s\n",
                 c[i].yaml);
        load_ok(&cfg, yaml);
        ck_assert_uint_eq(cfg.max_file_size, c[i].v);
        config_release(&cfg);
    }
}
END_TEST

START_TEST(test_config_load_booleans)
{
    static const struct { const char *yaml; bool v; } c[] = {
        { "true", true }, { "false", false }, { "yes", true },
        { "no", false }, { "True", true }, { "NO", false },
        { "on", true }, { "off", false },
    };
    size_t i;

    for (i = 0; i < sizeof c / sizeof c[0]; i++) {
        config_t cfg;
        char yaml[128];

        snprintf(yaml, sizeof yaml, "index: {follow_symlinks: %s}\n",
                 c[i].yaml);
        load_ok(&cfg, yaml);
        ck_assert_int_eq(cfg.follow_symlinks, c[i].v);
        config_release(&cfg);
    }
}
END_TEST

START_TEST(test_config_load_home_expanded)
{
    config_t cfg;

    setenv("HOME", "/home/analyst", 1);
    load_ok(&cfg, "database: ~/dossier.db\nindex:\n  roots: ~/articles\n");
    ck_assert_str_eq(cfg.database, "/home/analyst/dossier.db");
    ck_assert_uint_eq(cfg.roots.n, 1);
    ck_assert_str_eq(cfg.roots.v[0], "/home/analyst/articles");
    config_release(&cfg);
}
END_TEST

/* ---------------------------------------------------------------- errors */

START_TEST(test_config_load_unknown_key_suggestion)
{
    assert_load_error("serach:\n  results: 5\n",
                      "T/c.yaml:1:1: unknown key 'serach' "
                      "(did you mean 'search'?)");
    assert_load_error("language: english\nindex:\n  batch_sise: 5\n",
                      "T/c.yaml:3:3: unknown key 'batch_sise' "
                      "(did you mean 'batch_size'?)");
    assert_load_error("search:\n  bm25:\n    k4: 1\n",
                      "T/c.yaml:3:5: unknown key 'k4' "
                      "(did you mean 'k1'?)");
    assert_load_error("index:\n  json:\n    titel: [t]\n",
                      "T/c.yaml:3:5: unknown key 'titel' "
                      "(did you mean 'title'?)");
    assert_load_error("stopword: [a]\n",
                      "T/c.yaml:1:1: unknown key 'stopword' "
                      "(did you mean 'stopwords'?)");
    assert_load_error("follow_symlink: true\n",
                      "T/c.yaml:1:1: unknown key 'follow_symlink'");
}
END_TEST

START_TEST(test_config_load_unknown_key_plain)
{
    assert_load_error("colour: red\n", "T/c.yaml:1:1: unknown key 'colour'");
    /* a key of another level is not suggested */
    assert_load_error("index:\n  results: 5\n",
                      "T/c.yaml:2:3: unknown key 'results'");
}
END_TEST

START_TEST(test_config_load_wrong_type)
{
    assert_load_error("index:\n  batch_size: abc\n",
                      "T/c.yaml:2:15: 'batch_size' must be a positive "
                      "integer, not 'abc'");
    assert_load_error("index:\n  batch_size: 0\n",
                      "T/c.yaml:2:15: 'batch_size' must be a positive "
                      "integer, not '0'");
    assert_load_error("index:\n  batch_size: 99999999999\n",
                      "T/c.yaml:2:15: 'batch_size' is too large: "
                      "'99999999999'");
    assert_load_error("index:\n  jobs: -1\n",
                      "T/c.yaml:2:9: 'jobs' must be a non-negative "
                      "integer, not '-1'");
    assert_load_error("index:\n  follow_symlinks: maybe\n",
                      "T/c.yaml:2:20: 'follow_symlinks' must be true or "
                      "false, not 'maybe'");
    assert_load_error("index:\n  date_fallback: ctime\n",
                      "T/c.yaml:2:18: 'date_fallback' must be 'none' or "
                      "'mtime', not 'ctime'");
    assert_load_error("index:\n  max_file_size: 10XB\n",
                      "T/c.yaml:2:18: 'max_file_size' must be a positive "
                      "size in bytes such as 10485760 or '10MB', not "
                      "'10XB'");
    assert_load_error("search:\n  default_operator: xor\n",
                      "T/c.yaml:2:21: 'default_operator' must be 'and' or "
                      "'or', not 'xor'");
    assert_load_error("search:\n  results: [1]\n",
                      "T/c.yaml:2:12: 'results' must be a positive "
                      "integer, not a list");
    assert_load_error("search:\n  title_weight: 0\n",
                      "T/c.yaml:2:17: 'title_weight' must be a positive "
                      "number, not '0'");
    assert_load_error("search:\n  bm25:\n    b: 1.5\n",
                      "T/c.yaml:3:8: 'b' must be a number from 0 to 1, "
                      "not '1.5'");
    assert_load_error("search:\n  bm25:\n    k1: fast\n",
                      "T/c.yaml:3:9: 'k1' must be a non-negative number, "
                      "not 'fast'");
    assert_load_error("search:\n  expansion:\n    weight: -1\n",
                      "T/c.yaml:3:13: 'weight' must be a non-negative "
                      "number, not '-1'");
    assert_load_error("search:\n  expansion:\n    docs: many\n",
                      "T/c.yaml:3:11: 'docs' must be a non-negative "
                      "integer, not 'many'");
    assert_load_error("search:\n  expansion: on\n",
                      "T/c.yaml:2:14: 'expansion' must be a mapping of "
                      "keys, not 'on'");
    assert_load_error("search: 5\n",
                      "T/c.yaml:1:9: 'search' must be a mapping of keys, "
                      "not '5'");
    assert_load_error("stopwords: the\n",
                      "T/c.yaml:1:12: 'stopwords' must be a list of "
                      "strings, not 'the'");
    assert_load_error("stopwords: [the, {a: b}]\n",
                      "T/c.yaml:1:18: 'stopwords' must be a list of "
                      "strings, not a list of mappings");
    assert_load_error("stopwords: [the, '']\n",
                      "T/c.yaml:1:18: 'stopwords' entries must be "
                      "non-empty strings");
    assert_load_error("database: ''\n",
                      "T/c.yaml:1:11: 'database' must be a non-empty "
                      "string, not ''");
    assert_load_error("aliases: [a, b]\n",
                      "T/c.yaml:1:10: 'aliases' must be a mapping of names "
                      "to names, not a list");
    assert_load_error("aliases:\n  '@x': [a]\n",
                      "T/c.yaml:2:9: alias '@x' must map to a name, not "
                      "a list");
    assert_load_error("synonyms:\n  - [kyiv]\n",
                      "T/c.yaml:2:5: a synonym group needs at least two "
                      "terms");
    assert_load_error("synonyms: [kyiv, kiev]\n",
                      "T/c.yaml:1:12: 'synonyms' must be a list of lists "
                      "of terms, not a list of strings");
}
END_TEST

START_TEST(test_config_load_bad_language)
{
    assert_load_error("language: englsh\n",
                      "T/c.yaml:1:11: unknown language 'englsh' "
                      "(did you mean 'english'?)");
    assert_load_error("language: klingon\n",
                      "T/c.yaml:1:11: unknown language 'klingon' (expected "
                      "a Xapian stemmer name such as 'english', or 'none')");
}
END_TEST

START_TEST(test_config_load_bad_regex)
{
    config_t cfg;
    char err[1024];
    const char *prefix = "T/c.yaml:4:7: invalid regex 'a(b' in "
                         "'boilerplate': ";

    ck_assert_int_eq(load_text(&cfg,
                               "index:\n"
                               "  boilerplate:\n"
                               "    - 'ok.*'\n"
                               "    - 'a(b'\n", err, sizeof err), -1);
    ck_assert_msg(strncmp(err, prefix, strlen(prefix)) == 0, "%s", err);
    ck_assert_uint_gt(strlen(err), strlen(prefix));
    ck_assert_ptr_null(strchr(err, '\n'));
    ck_assert_uint_eq(cfg.boilerplate.n, 11);
    config_release(&cfg);
}
END_TEST

START_TEST(test_config_load_duplicate_key)
{
    assert_load_error("language: english\nlanguage: french\n",
                      "T/c.yaml:2:1: duplicate key 'language' "
                      "(first at line 1)");
    assert_load_error("index:\n  jobs: 1\n  batch_size: 2\n  jobs: 3\n",
                      "T/c.yaml:4:3: duplicate key 'jobs' (first at line 2)");
    assert_load_error("aliases:\n  a: A\n  b: B\n  a: C\n",
                      "T/c.yaml:4:3: duplicate key 'a' (first at line 2)");
}
END_TEST

START_TEST(test_config_load_anchor_rejected)
{
    assert_load_error("a: &a [x]\nb: [*a,*a]\n",
                      "T/c.yaml:1:4: YAML anchors and aliases are not "
                      "allowed");
    assert_load_error("search:\n  results: &r 5\n",
                      "T/c.yaml:2:12: YAML anchors and aliases are not "
                      "allowed");
    assert_load_error("database: *x\n",
                      "T/c.yaml:1:11: YAML anchors and aliases are not "
                      "allowed");
}
END_TEST

/* The billion laughs: refused at the first anchor, in no time. */
START_TEST(test_config_load_alias_bomb_fast)
{
    static const char bomb[] =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    struct timespec t0, t1;
    double secs;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_load_error(bomb, "T/c.yaml:1:4: YAML anchors and aliases are not "
                      "allowed");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec)
        + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_msg(secs < 1.0, "took %.3f s", secs);
}
END_TEST

START_TEST(test_config_load_deep_nesting)
{
    char *deep;
    size_t i, n = 100000;

    assert_load_error("index:\n  json:\n    text:\n      - [a, [b]]\n",
                      "T/c.yaml:4:9: nesting deeper than the configuration "
                      "allows");
    assert_load_error("index: {json: {text: [[a]]}}\n",
                      "T/c.yaml:1:23: nesting deeper than the configuration "
                      "allows");
    /* a hundred thousand brackets: one error, no stack to overflow */
    deep = malloc(2 * n + 2);
    for (i = 0; i < n; i++) {
        deep[i] = '[';
        deep[n + i] = ']';
    }
    deep[2 * n] = '\n';
    deep[2 * n + 1] = '\0';
    assert_load_error(deep, "T/c.yaml:1:5: nesting deeper than the "
                      "configuration allows");
    free(deep);
}
END_TEST

START_TEST(test_config_load_syntax_error)
{
    assert_load_error("index:\n  batch_size: 5\n jobs: 2\n",
                      "T/c.yaml:3:2: did not find expected key while "
                      "parsing a block mapping");
    assert_load_error("search: {results: 5\n",
                      "T/c.yaml:2:1: did not find expected ',' or '}' "
                      "while parsing a flow mapping");
    assert_load_error("language: 'english\n",
                      "T/c.yaml:2:1: found unexpected end of stream while "
                      "scanning a quoted scalar");
    assert_load_error("language: eng\tlish\n\x01\n",
                      "T/c.yaml:2:1: control characters are not allowed");
    assert_load_error("language: \xff\n",
                      "T/c.yaml:1:11: invalid leading UTF-8 octet");
}
END_TEST

START_TEST(test_config_load_not_a_mapping)
{
    assert_load_error("- a\n- b\n",
                      "T/c.yaml:1:1: the configuration must be a mapping "
                      "of keys, not a list");
    assert_load_error("hello\n",
                      "T/c.yaml:1:1: the configuration must be a mapping "
                      "of keys, not 'hello'");
    assert_load_error("[a]: b\n", "T/c.yaml:1:1: keys must be strings");
    assert_load_error("a: 1\n---\nb: 2\n",
                      "T/c.yaml:2:1: only one YAML document is allowed");
}
END_TEST

START_TEST(test_config_load_missing_file)
{
    config_t cfg;
    char err[1024];

    ck_assert_int_eq(config_load(&cfg, "/nonexistent/dossier.yaml", err,
                                 sizeof err), -1);
    ck_assert_str_eq(err, "/nonexistent/dossier.yaml: cannot read "
                     "configuration: No such file or directory");
    ck_assert_str_eq(cfg.language, "english");
    config_release(&cfg);
}
END_TEST

START_TEST(test_config_load_directory)
{
    config_t cfg;
    char err[1024];

    ck_assert_int_eq(config_load(&cfg, tmpdir, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, ": cannot read configuration: "));
    config_release(&cfg);
}
END_TEST

/* ---------------------------------------------------------------- aliases */

START_TEST(test_config_alias_lookup_normalised)
{
    config_t cfg;

    load_ok(&cfg, "aliases:\n"
            "  '@McFaul': Michael McFaul\n"
            "  Mike McFaul: Michael McFaul\n"
            "  'Zelenskyy, V.': Volodymyr Zelensky\n"
            "  Micha\xc5\x82 Nowak: Micha\xc5\x82 Nowak-Jeziora\xc5\x84ski\n");
    ck_assert_uint_eq(cfg.n_aliases, 4);
    ck_assert_pstr_eq(config_alias_lookup(&cfg, "@McFaul"), "Michael McFaul");
    ck_assert_pstr_eq(config_alias_lookup(&cfg, " @MCFAUL "),
                      "Michael McFaul");
    ck_assert_pstr_eq(config_alias_lookup(&cfg, "mike  mcfaul"),
                      "Michael McFaul");
    ck_assert_pstr_eq(config_alias_lookup(&cfg, "zelenskyy v"),
                      "Volodymyr Zelensky");
    ck_assert_pstr_eq(config_alias_lookup(&cfg, "MICHAL NOWAK"),
                      "Micha\xc5\x82 Nowak-Jeziora\xc5\x84ski");
    ck_assert_ptr_null(config_alias_lookup(&cfg, "McFaul"));
    ck_assert_ptr_null(config_alias_lookup(&cfg, "Michael McFaul"));
    ck_assert_ptr_null(config_alias_lookup(&cfg, NULL));
    config_release(&cfg);
}
END_TEST

START_TEST(test_config_alias_lookup_defaults)
{
    config_t cfg;

    ck_assert_int_eq(config_init_defaults(&cfg), 0);
    ck_assert_ptr_null(config_alias_lookup(&cfg, "@McFaul"));
    config_release(&cfg);
}
END_TEST

/* ---------------------------------------------------------------- lookup */

START_TEST(test_config_load_default_xdg)
{
    config_t cfg;
    char path[PATH_MAX], xdg[PATH_MAX], err[1024];

    ck_assert_int_eq(chdir(tmpdir), 0);
    snprintf(xdg, sizeof xdg, "%s/xdg", tmpdir);
    write_file(path, sizeof path, "xdg/dossier/config.yaml",
               "search:\n  results: 7\n");
    setenv("XDG_CONFIG_HOME", xdg, 1);
    ck_assert_msg(config_load_default(&cfg, NULL, err, sizeof err) == 0,
                  "%s", err);
    ck_assert_uint_eq(cfg.results, 7);
    ck_assert_str_eq(cfg.path, path);
    config_release(&cfg);
}
END_TEST

START_TEST(test_config_load_default_home)
{
    config_t cfg;
    char path[PATH_MAX], home[PATH_MAX], err[1024];

    ck_assert_int_eq(chdir(tmpdir), 0);
    snprintf(home, sizeof home, "%s/home", tmpdir);
    write_file(path, sizeof path, "home/.config/dossier/config.yaml",
               "search:\n  results: 8\n");
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", home, 1);
    ck_assert_msg(config_load_default(&cfg, NULL, err, sizeof err) == 0,
                  "%s", err);
    ck_assert_uint_eq(cfg.results, 8);
    ck_assert_str_eq(cfg.path, path);
    config_release(&cfg);

    /* a relative XDG_CONFIG_HOME is ignored */
    setenv("XDG_CONFIG_HOME", "relative", 1);
    ck_assert_int_eq(config_load_default(&cfg, NULL, err, sizeof err), 0);
    ck_assert_uint_eq(cfg.results, 8);
    config_release(&cfg);
}
END_TEST

START_TEST(test_config_load_default_cwd_first)
{
    config_t cfg;
    char path[PATH_MAX], xdg[PATH_MAX], err[1024];

    ck_assert_int_eq(chdir(tmpdir), 0);
    snprintf(xdg, sizeof xdg, "%s/xdg", tmpdir);
    write_file(path, sizeof path, "xdg/dossier/config.yaml",
               "search:\n  results: 7\n");
    write_file(path, sizeof path, "dossier.yaml", "search:\n  results: 9\n");
    setenv("XDG_CONFIG_HOME", xdg, 1);
    ck_assert_int_eq(config_load_default(&cfg, NULL, err, sizeof err), 0);
    ck_assert_uint_eq(cfg.results, 9);
    ck_assert_str_eq(cfg.path, "dossier.yaml");
    config_release(&cfg);

    /* -c wins over both */
    write_file(path, sizeof path, "other.yaml", "search:\n  results: 3\n");
    ck_assert_int_eq(config_load_default(&cfg, path, err, sizeof err), 0);
    ck_assert_uint_eq(cfg.results, 3);
    config_release(&cfg);
}
END_TEST

START_TEST(test_config_load_default_none)
{
    config_t cfg, def;
    char xdg[PATH_MAX], err[1024];

    ck_assert_int_eq(chdir(tmpdir), 0);
    snprintf(xdg, sizeof xdg, "%s/empty", tmpdir);
    setenv("XDG_CONFIG_HOME", xdg, 1);
    ck_assert_int_eq(config_load_default(&cfg, NULL, err, sizeof err), 0);
    ck_assert_ptr_null(cfg.path);
    ck_assert_int_eq(config_init_defaults(&def), 0);
    assert_config_eq(&cfg, &def);
    config_release(&cfg);
    config_release(&def);
}
END_TEST

START_TEST(test_config_load_default_explicit_missing)
{
    config_t cfg;
    char err[1024];

    ck_assert_int_eq(chdir(tmpdir), 0);
    ck_assert_int_eq(config_load_default(&cfg, "missing.yaml", err,
                                         sizeof err), -1);
    ck_assert_str_eq(err, "missing.yaml: cannot read configuration: "
                     "No such file or directory");
    config_release(&cfg);
}
END_TEST

START_TEST(test_config_load_default_bad_xdg_file)
{
    config_t cfg;
    char path[PATH_MAX], xdg[PATH_MAX], err[1024];

    ck_assert_int_eq(chdir(tmpdir), 0);
    snprintf(xdg, sizeof xdg, "%s/xdg", tmpdir);
    write_file(path, sizeof path, "xdg/dossier/config.yaml", "serach: {}\n");
    setenv("XDG_CONFIG_HOME", xdg, 1);
    ck_assert_int_eq(config_load_default(&cfg, NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "/xdg/dossier/config.yaml:1:1: "
                                 "unknown key 'serach'"));
    config_release(&cfg);
}
END_TEST

/* ---------------------------------------------------------------- diag */

START_TEST(test_diag_error_one_line)
{
    char path[PATH_MAX], text[512];
    FILE *f;
    size_t n;

    snprintf(path, sizeof path, "%s/stderr", tmpdir);
    ck_assert_ptr_nonnull(freopen(path, "w", stderr));
    diag_set_prog("./build/dossier-index");
    ck_assert_str_eq(diag_prog(), "dossier-index");
    diag_error("%s: invalid date '%s'", "a.md:3:7", "2025-13\n\x1b[31m");
    diag_warn("%s: skipped", "b.bin");
    fflush(stderr);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    ck_assert_str_eq(text, "dossier-index: a.md:3:7: invalid date "
                     "'2025-13??[31m'\n"
                     "dossier-index: warning: b.bin: skipped\n");
}
END_TEST

Suite *
config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc;

    tc = tcase_create("defaults");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_config_init_defaults_values);
    tcase_add_test(tc, test_config_init_defaults_boilerplate);
    tcase_add_test(tc, test_config_load_dossier_yaml_is_defaults);
    tcase_add_test(tc, test_config_load_empty_file);
    tcase_add_test(tc, test_config_release_zeroed);
    suite_add_tcase(s, tc);

    tc = tcase_create("keys");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_config_load_every_key);
    tcase_add_test(tc, test_config_load_partial_keeps_defaults);
    tcase_add_test(tc, test_config_load_empty_lists);
    tcase_add_test(tc, test_config_synonym_folds);
    tcase_add_test(tc, test_config_load_null_keeps_default);
    tcase_add_test(tc, test_config_load_max_file_size_forms);
    tcase_add_test(tc, test_config_load_booleans);
    tcase_add_test(tc, test_config_load_home_expanded);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_config_load_unknown_key_suggestion);
    tcase_add_test(tc, test_config_load_unknown_key_plain);
    tcase_add_test(tc, test_config_load_wrong_type);
    tcase_add_test(tc, test_config_load_bad_language);
    tcase_add_test(tc, test_config_load_bad_regex);
    tcase_add_test(tc, test_config_load_duplicate_key);
    tcase_add_test(tc, test_config_load_anchor_rejected);
    tcase_add_test(tc, test_config_load_alias_bomb_fast);
    tcase_add_test(tc, test_config_load_deep_nesting);
    tcase_add_test(tc, test_config_load_syntax_error);
    tcase_add_test(tc, test_config_load_not_a_mapping);
    tcase_add_test(tc, test_config_load_missing_file);
    tcase_add_test(tc, test_config_load_directory);
    suite_add_tcase(s, tc);

    tc = tcase_create("aliases");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_config_alias_lookup_normalised);
    tcase_add_test(tc, test_config_alias_lookup_defaults);
    suite_add_tcase(s, tc);

    tc = tcase_create("load_default");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_config_load_default_xdg);
    tcase_add_test(tc, test_config_load_default_home);
    tcase_add_test(tc, test_config_load_default_cwd_first);
    tcase_add_test(tc, test_config_load_default_none);
    tcase_add_test(tc, test_config_load_default_explicit_missing);
    tcase_add_test(tc, test_config_load_default_bad_xdg_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("diag");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_diag_error_one_line);
    suite_add_tcase(s, tc);
    return s;
}
