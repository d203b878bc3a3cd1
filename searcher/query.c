/* query.c - building a dossier search and reading its hits
 *
 * Shared by dossier-search and the query benchmark, so that the benchmark
 * measures exactly what the command line does.  Knows dossier's fields
 * through config/schema.h only; never prints.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "searcher/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/author.h"
#include "config/date.h"
#include "config/schema.h"

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

/* ------------------------------------------------------------------ */
/* Filters                                                             */

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
        const char *v = values[i];
        const char *alias = aliases ? config_alias_lookup(cfg, v) : NULL;
        char *key = author_key(alias ? alias : v);
        if (!key)
            goto out;
        size_t len = strlen(prefix) + strlen(key) + 1;
        terms[i] = malloc(len);
        if (!terms[i]) {
            free(key);
            goto out;
        }
        snprintf(terms[i], len, "%s%s", prefix, key);
        free(key);
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
/* The search                                                          */

int
query_build(query_t *q, xsh_db_t *db, const config_t *cfg,
            const query_spec_t *spec, char *err, size_t errlen)
{
    char *msg = NULL;
    char lo[16], hi[16];
    xsh_search_t *s;

    q->s = NULL;
    q->now = time(NULL);
    q->browse = spec->query[strspn(spec->query, " \t")] == '\0';
    if (xsh_search_new(db, &q->s, &msg) != XSH_OK) {
        snprintf(err, errlen, "%s", msg ? msg : "cannot search");
        free(msg);
        return -1;
    }
    s = q->s;
    xsh_search_set_stemmer(s, cfg->language);
    if (cfg->stopwords.n)
        xsh_search_set_stopwords(s, (const char *const *)cfg->stopwords.v,
                                 cfg->stopwords.n);
    for (const schema_field_t *f = schema_query_fields; f->name; f++) {
        if (f->is_boolean)
            xsh_search_add_boolean_prefix(s, f->name, f->prefix);
        else
            xsh_search_add_prefix(s, f->name, f->prefix);
    }
    xsh_search_add_range(s, "date", SCHEMA_SLOT_DATE, date_range, &q->now);
    xsh_search_set_default_op(s, spec->any ? XSH_OP_OR : XSH_OP_AND);
    xsh_search_set_bm25(s, cfg->bm25_k1, cfg->bm25_k2, cfg->bm25_k3,
                        cfg->bm25_b, cfg->bm25_min_normlen);
    if (spec->any)
        xsh_search_set_expansion(s, cfg->expansion_docs, cfg->expansion_terms,
                                 cfg->expansion_weight);

    if (xsh_search_parse(s, spec->query, XSH_PARSE_WILDCARD |
                         XSH_PARSE_SYNONYMS | XSH_PARSE_SPELLING |
                         XSH_PARSE_PURE_NOT) != XSH_OK) {
        snprintf(err, errlen, "query '%s': %s", spec->query,
                 xsh_search_errmsg(s));
        goto fail;
    }
    if (add_term_filter(s, cfg, spec->authors, spec->n_authors,
                        SCHEMA_PREFIX_AUTHOR, true) < 0
        || add_term_filter(s, cfg, spec->sources, spec->n_sources,
                           SCHEMA_PREFIX_SOURCE, false) < 0
        || add_term_filter(s, cfg, spec->tags, spec->n_tags,
                           SCHEMA_PREFIX_TAG, false) < 0)
        goto shim_error;
    if (spec->since || spec->until) {
        if (spec->since && option_date("--since", spec->since, q->now,
                                       false, lo, err, errlen) < 0)
            goto fail;
        if (spec->until && option_date("--until", spec->until, q->now,
                                       true, hi, err, errlen) < 0)
            goto fail;
        if (spec->since && spec->until && strcmp(lo, hi) > 0) {
            snprintf(err, errlen, "--since: '%s' is after --until '%s'",
                     spec->since, spec->until);
            goto fail;
        }
        if (xsh_search_filter_range(s, SCHEMA_SLOT_DATE,
                                    spec->since ? lo : NULL,
                                    spec->until ? hi : NULL) != XSH_OK)
            goto shim_error;
    }

    const char *sort = spec->sort ? spec->sort
                                  : q->browse ? "newest" : "relevance";
    if (strcmp(sort, "newest") == 0)
        xsh_search_set_sort(s, XSH_SORT_VALUE_DESC, SCHEMA_SLOT_DATE);
    else if (strcmp(sort, "oldest") == 0)
        xsh_search_set_sort(s, XSH_SORT_VALUE_ASC, SCHEMA_SLOT_DATE);
    if (cfg->collapse && !spec->no_collapse)
        xsh_search_set_collapse(s, SCHEMA_SLOT_FINGERPRINT);
    return 0;

shim_error:
    snprintf(err, errlen, "%s", xsh_search_errmsg(s));
fail:
    query_release(q);
    return -1;
}

void
query_release(query_t *q)
{
    xsh_search_free(q->s);
    q->s = NULL;
}

/* ------------------------------------------------------------------ */
/* Hits                                                                */

static const char *
jget(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

xsh_status_t
query_hit(xsh_results_t *res, unsigned i, bool browse, query_hit_t *h)
{
    xsh_hit_t x;
    xsh_status_t st;

    memset(h, 0, sizeof *h);
    if ((st = xsh_results_get(res, i, &x)) != XSH_OK)
        return st;
    json_error_t jerr;
    h->data = json_loadb(x.data, x.data_len, 0, &jerr);
    json_t *ja = json_object_get(h->data, "authors");
    size_t na = json_is_array(ja) ? json_array_size(ja) : 0;
    h->authors = calloc(na ? na : 1, sizeof *h->authors);
    for (size_t k = 0; h->authors && k < na; k++)
        h->authors[k] = json_string_value(json_array_get(ja, k));
    const char *body = jget(h->data, "body");
    size_t blen = body ? strlen(body) : 0;
    if (body && !browse) {
        xsh_results_snippet(res, body, blen, 200, OUT_HI_START, OUT_HI_END,
                            "...", &h->snippet);
    } else if (body) {
        /* Browsing: the opening of the text. */
        size_t cut = blen > 200 ? 200 : blen;
        while (cut > 0 && ((unsigned char)body[cut] & 0xC0) == 0x80)
            cut--;
        h->snippet = strndup(body, cut);
    }
    h->out = (out_hit_t){
        .rank = x.rank + 1, .docid = x.docid, .score = x.weight,
        .path = jget(h->data, "path"), .title = jget(h->data, "title"),
        .authors = h->authors, .n_authors = h->authors ? na : 0,
        .date = jget(h->data, "date"), .source = jget(h->data, "source"),
        .url = jget(h->data, "url"), .snippet = h->snippet,
        .duplicates = x.collapsed
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
