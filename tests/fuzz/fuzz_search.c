/* fuzz_search.c - the search path: query string and filters through the
 * shim against a small fixture database
 *
 * The input is "QUERY\nAUTHOR\nSINCE\nUNTIL\nFLAGS": the query goes
 * through the query parser with every flag dossier-search uses and the
 * date: range processor, the author through author_key() into a filter,
 * the dates through date_parse_query() into a range filter, and the first
 * byte of FLAGS picks the default operator, the sort, collapsing and the
 * count spies, as dossier-search's options would.  Hits, snippets, counts
 * and the spelling suggestion are all read back.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ftw.h>
#include <stdio.h>
#include <unistd.h>

#include "config/author.h"
#include "config/date.h"
#include "config/schema.h"
#include "shim/xsh.h"
#include "tests/fuzz/fuzz.h"

static xsh_db_t *db;
static char dir[64];

static int
remove_entry(const char *path, const struct stat *sb, int flag,
             struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* libFuzzer leaves through exit(): remove the fixture database. */
static void
cleanup(void)
{
    xsh_db_close(db);
    db = NULL;
    nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static const struct {
    const char *title, *author, *date, *body;
} docs[] = {
    { "What security guarantees could mean", "Ada Quill", "20250816",
      "Allies keep returning to security guarantees for Ukraine in Kyiv." },
    { "The Bucharest promise", "Borys Ostapenko", "20080404",
      "At Bucharest in 2008 the allies wrote that Ukraine will join NATO." },
    { "Air defence over Kharkiv", "Cecile Verany", "20240303",
      "Patriot batteries and air defence over Kharkiv and Odesa." },
    { "Air defence over Kharkiv", "Ada Quill", "20240304",
      "Patriot batteries and air defence over Kharkiv and Odesa." },
};

static void
die(const char *what, const char *msg)
{
    fprintf(stderr, "fuzz_search: %s: %s\n", what, msg ? msg : "");
    abort();
}

/* The fixture: four documents built the way the indexer builds them. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    xsh_wdb_t *w = NULL;
    xsh_termgen_t *tg = NULL;
    char *msg = NULL;

    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/dossier-fuzz-db-%ld", (long)getpid());
    if (xsh_wdb_open(dir, XSH_WDB_CREATE_OR_OPEN, &w, &msg) != XSH_OK)
        die(dir, msg);
    if (xsh_termgen_new("english", &tg, &msg) != XSH_OK)
        die("termgen", msg);
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        xsh_doc_t *d = NULL;
        char id[32], term[128], *key = author_key(docs[i].author);
        if (xsh_doc_new(&d, &msg) != XSH_OK || !key)
            die("doc", msg);
        snprintf(id, sizeof id, "%sdoc%zu", SCHEMA_PREFIX_ID, i);
        xsh_termgen_index(tg, d, docs[i].title, strlen(docs[i].title), 3,
                          SCHEMA_PREFIX_TITLE, true);
        xsh_termgen_increase_termpos(tg, d, 100);
        xsh_termgen_index(tg, d, docs[i].body, strlen(docs[i].body), 1, "",
                          true);
        snprintf(term, sizeof term, "%s%s", SCHEMA_PREFIX_AUTHOR, key);
        xsh_doc_add_boolean_term(d, term);
        snprintf(term, sizeof term, "%s%s", SCHEMA_PREFIX_AUTHOR_NAME,
                 docs[i].author);
        xsh_doc_add_boolean_term(d, term);
        xsh_doc_add_value(d, SCHEMA_SLOT_DATE, docs[i].date, 8);
        xsh_doc_add_value(d, SCHEMA_SLOT_MONTH, docs[i].date, 6);
        xsh_doc_add_value(d, SCHEMA_SLOT_FINGERPRINT, docs[i].body, 8);
        xsh_doc_set_data(d, docs[i].body, strlen(docs[i].body));
        if (xsh_wdb_replace(w, id, d, NULL) != XSH_OK)
            die("replace", xsh_wdb_errmsg(w));
        xsh_wdb_add_spelling(w, "guarantees", 3);
        xsh_doc_free(d);
        free(key);
    }
    xsh_wdb_add_synonym(w, "kyiv", "kiev");
    if (xsh_wdb_commit(w) != XSH_OK)
        die("commit", xsh_wdb_errmsg(w));
    xsh_wdb_close(w);
    xsh_termgen_free(tg);
    const char *paths[1] = { dir };
    if (xsh_db_open(paths, 1, 0, &db, &msg) != XSH_OK)
        die(dir, msg);
    atexit(cleanup);
    return 0;
}

static bool
date_range(void *ctx, const char *begin, const char *end, char **lo,
           char **hi)
{
    date_t d;
    char buf[16];

    (void)ctx;
    *lo = *hi = NULL;
    if (begin && *begin) {
        if (date_parse_query(begin, 1755302400, &d, NULL, 0) < 0)
            return false;
        *lo = strdup(date_format_key(date_period_first(d), buf));
    }
    if (end && *end) {
        if (date_parse_query(end, 1755302400, &d, NULL, 0) < 0) {
            free(*lo);
            *lo = NULL;
            return false;
        }
        *hi = strdup(date_format_key(date_period_last(d), buf));
    }
    return true;
}

static bool
count_cb(void *ctx, const char *value, size_t len, unsigned count)
{
    (void)ctx;
    (void)value;
    (void)len;
    (void)count;
    return true;
}

/* The next '\n'-separated field of *P (NUL-terminated in place). */
static char *
field(char **p)
{
    char *s = *p, *nl = s ? strchr(s, '\n') : NULL;
    if (!s)
        return (char *)"";
    if (nl) {
        *nl = '\0';
        *p = nl + 1;
    } else {
        *p = NULL;
    }
    return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const stop[] = { "the", "of", "and", "a" };
    char *in = fuzz_cstr(data, size), *p = in;
    xsh_search_t *s = NULL;
    xsh_results_t *r = NULL;
    char *msg = NULL;

    if (!in)
        return 0;
    char *query = field(&p), *author = field(&p), *since = field(&p);
    char *until = field(&p), *flags = field(&p);
    unsigned f = (unsigned char)flags[0];

    if (xsh_search_new(db, &s, &msg) != XSH_OK)
        die("search", msg);
    xsh_search_set_stemmer(s, "english");
    xsh_search_set_stopwords(s, stop, 4);
    for (const schema_field_t *sf = schema_query_fields; sf->name; sf++) {
        if (sf->is_boolean)
            xsh_search_add_boolean_prefix(s, sf->name, sf->prefix);
        else
            xsh_search_add_prefix(s, sf->name, sf->prefix);
    }
    xsh_search_add_range(s, "date", SCHEMA_SLOT_DATE, date_range, NULL);
    xsh_search_set_default_op(s, f & 1 ? XSH_OP_OR : XSH_OP_AND);
    if (xsh_search_parse(s, query, XSH_PARSE_WILDCARD | XSH_PARSE_SYNONYMS |
                         XSH_PARSE_SPELLING | XSH_PARSE_PURE_NOT) != XSH_OK)
        goto out;
    if (*author) {
        char *key = author_key(author);
        if (key) {
            size_t n = strlen(key) + 2;
            char *t = malloc(n);
            if (t) {
                snprintf(t, n, "%s%s", SCHEMA_PREFIX_AUTHOR, key);
                const char *terms[1] = { t };
                xsh_search_filter_terms(s, terms, 1);
                free(t);
            }
            free(key);
        }
    }
    date_t d;
    char lo[16], hi[16];
    bool has_lo = *since && date_parse_query(since, 1755302400, &d, NULL,
                                             0) == 0;
    if (has_lo)
        date_format_key(date_period_first(d), lo);
    bool has_hi = *until && date_parse_query(until, 1755302400, &d, NULL,
                                             0) == 0;
    if (has_hi)
        date_format_key(date_period_last(d), hi);
    if (has_lo || has_hi)
        xsh_search_filter_range(s, SCHEMA_SLOT_DATE, has_lo ? lo : NULL,
                                has_hi ? hi : NULL);
    if (f & 2)
        xsh_search_set_sort(s, f & 4 ? XSH_SORT_VALUE_ASC
                                     : XSH_SORT_VALUE_DESC, SCHEMA_SLOT_DATE);
    if (f & 8)
        xsh_search_set_collapse(s, SCHEMA_SLOT_FINGERPRINT);
    int spy_a = -1, spy_m = -1;
    if (f & 16) {
        xsh_search_count_terms(s, SCHEMA_PREFIX_AUTHOR_NAME, &spy_a);
        xsh_search_count_values(s, SCHEMA_SLOT_MONTH, &spy_m);
    }
    if (xsh_search_run(s, (f >> 5) & 1, 10, f & 16 ? 10 : 0, &r) != XSH_OK)
        goto out;
    unsigned est, tlo, thi;
    xsh_results_total(r, &est, &tlo, &thi);
    for (unsigned i = 0; i < xsh_results_size(r); i++) {
        xsh_hit_t h;
        char *snip = NULL, *v = NULL;
        if (xsh_results_get(r, i, &h) != XSH_OK)
            abort();
        xsh_results_snippet(r, h.data, h.data_len, 60, "\001", "\002",
                            "...", &snip);
        free(snip);
        xsh_results_value(r, i, SCHEMA_SLOT_DATE, &v, NULL);
        free(v);
    }
    if (spy_a >= 0) {
        xsh_results_counts(r, spy_a, 0, count_cb, NULL);
        xsh_results_counts(r, spy_m, 0, count_cb, NULL);
    }
    char *corrected = NULL;
    xsh_search_corrected(s, &corrected);
    free(corrected);
out:
    xsh_results_free(r);
    xsh_search_free(s);
    free(in);
    return 0;
}
