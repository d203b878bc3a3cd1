/* series.c - a histogram split into the series of its top groups
 *
 * Works on the pairs' bytes: a key is a date, then groups each after a
 * NUL.  Groups are ranked by sorting their names, merging, and sorting
 * again by count; each pair then goes to its best-ranked group found by
 * binary search among the top names.  Periods are found by label, as the
 * histogram's labels sort in time order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "searcher/series.h"

#include <stdlib.h>
#include <string.h>

#include "config/schema.h"

bool
series_pairs_add(void *ctx, const char *key, size_t len, unsigned count)
{
    series_pairs_t *p = ctx;
    series_pair_t *v = realloc(p->v, (p->n + 1) * sizeof *v);
    char *k = malloc(len + 1);

    if (!v || !k) {
        if (v)
            p->v = v;
        free(k);
        p->failed = true;
        return false;
    }
    p->v = v;
    memcpy(k, key, len);
    k[len] = '\0';
    v[p->n++] = (series_pair_t){ k, len, count };
    return true;
}

void
series_pairs_release(series_pairs_t *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i].key);
    free(p->v);
    p->v = NULL;
    p->n = 0;
    p->failed = false;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */

static const char *const key_names[] = { "author", "source", "lang" };

int
series_key_parse(const char *s, series_key_t *key, unsigned *top)
{
    const char *colon = s ? strchr(s, ':') : NULL;
    size_t len = s ? (colon ? (size_t)(colon - s) : strlen(s)) : 0;

    for (int i = 0; i <= SERIES_LANG; i++) {
        if (len != strlen(key_names[i]) || strncmp(s, key_names[i], len))
            continue;
        unsigned n = SERIES_TOP_DEFAULT;
        if (colon) {
            char *end;
            long v = strtol(colon + 1, &end, 10);
            if (colon[1] < '0' || colon[1] > '9' || *end != '\0' ||
                v < 1 || v > SERIES_TOP_MAX)
                return -1;
            n = (unsigned)v;
        }
        *key = (series_key_t)i;
        *top = n;
        return 0;
    }
    return -1;
}

const char *
series_key_name(series_key_t key)
{
    return key >= SERIES_AUTHOR && key <= SERIES_LANG ? key_names[key]
                                                      : "?";
}

const char *
series_key_prefix(series_key_t key)
{
    switch (key) {
    case SERIES_SOURCE:
        return SCHEMA_PREFIX_SOURCE;
    case SERIES_LANG:
        return SCHEMA_PREFIX_LANG;
    default:
        return SCHEMA_PREFIX_AUTHOR_NAME;
    }
}

/* ------------------------------------------------------------------ */
/* Building                                                            */

/* A group name inside a pair's key, and its dated matches. */
typedef struct group {
    const char *p;
    size_t len;
    unsigned long count;
    size_t rank;
} group_t;

/* A dated pair: its period and its groups (the key after the date). */
typedef struct dated {
    size_t period;
    const char *groups;         /* NUL g1 NUL g2 ..., GLEN bytes */
    size_t glen;
    unsigned count;
} dated_t;

static int
cmp_group_name(const void *a, const void *b)
{
    const group_t *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->p, y->p, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int
cmp_group_count(const void *a, const void *b)
{
    const group_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return cmp_group_name(a, b);
}

/* The next non-empty group from *P (at the NUL before it) to END, with
 * its length in LEN; NULL when none is left. */
static const char *
next_group(const char **p, const char *end, size_t *len)
{
    while (*p < end) {
        const char *name = *p + 1;
        const char *nul = memchr(name, '\0', (size_t)(end - name));
        const char *stop = nul ? nul : end;
        *p = stop;
        if (stop > name) {
            *len = (size_t)(stop - name);
            return name;
        }
    }
    return NULL;
}

static int
cmp_label(const void *key, const void *elem)
{
    return strcmp(key, ((const out_count_t *)elem)->value);
}

void
series_set_release(series_set_t *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].name);
        free(s->v[i].counts);
    }
    free(s->v);
    *s = (series_set_t){ 0 };
}

int
series_build(const series_pairs_t *pairs, const out_counts_t *hist,
             period_unit_t unit, unsigned top, series_set_t *out)
{
    dated_t *d = calloc(pairs->n ? pairs->n : 1, sizeof *d);
    group_t *g = NULL;
    size_t n_d = 0, n_g = 0, cap_g = 0;
    int rc = -1;

    *out = (series_set_t){ .n_periods = hist->n };
    if (!d)
        return -1;

    /* The dated pairs, their periods, and every group they name. */
    for (size_t i = 0; i < pairs->n; i++) {
        const series_pair_t *p = &pairs->v[i];
        const char *nul = memchr(p->key, '\0', p->len);
        size_t dlen = nul ? (size_t)(nul - p->key) : p->len;
        char day_key[9], label[PERIOD_LABEL_MAX];
        long day;

        if (dlen != 8)
            continue;
        memcpy(day_key, p->key, 8);
        day_key[8] = '\0';
        if (period_day_from_key(day_key, &day) < 0)
            continue;
        const out_count_t *h = bsearch(period_label(unit, day, label),
                                       hist->v, hist->n, sizeof *hist->v,
                                       cmp_label);
        if (!h)
            continue;
        d[n_d] = (dated_t){ (size_t)(h - hist->v), p->key + dlen,
                            p->len - dlen, p->count };
        const char *at = d[n_d].groups, *end = at + d[n_d].glen, *name;
        size_t nlen;
        while ((name = next_group(&at, end, &nlen))) {
            if (n_g == cap_g) {
                size_t cap = cap_g ? cap_g * 2 : 64;
                group_t *ng = realloc(g, cap * sizeof *ng);
                if (!ng)
                    goto out;
                g = ng;
                cap_g = cap;
            }
            g[n_g++] = (group_t){ name, nlen, p->count, 0 };
        }
        n_d++;
    }

    /* Merge the groups by name, then rank them. */
    if (n_g)
        qsort(g, n_g, sizeof *g, cmp_group_name);
    size_t n_u = 0;
    for (size_t i = 0; i < n_g; i++) {
        if (n_u && cmp_group_name(&g[n_u - 1], &g[i]) == 0)
            g[n_u - 1].count += g[i].count;
        else
            g[n_u++] = g[i];
    }
    out->n_groups = n_u;
    if (n_u)
        qsort(g, n_u, sizeof *g, cmp_group_count);
    size_t n_top = n_u < top ? n_u : top;
    for (size_t i = 0; i < n_top; i++)
        g[i].rank = i;
    /* The top, by name, for the lookups below. */
    if (n_top)
        qsort(g, n_top, sizeof *g, cmp_group_name);

    out->v = calloc(n_top + 1, sizeof *out->v);
    if (!out->v)
        goto out;
    for (size_t k = 0; k <= n_top; k++) {
        out->v[k].counts = calloc(hist->n ? hist->n : 1, sizeof(unsigned));
        out->n = k + 1;
        if (!out->v[k].counts)
            goto out;
    }
    for (size_t i = 0; i < n_top; i++) {
        out->v[g[i].rank].matches = g[i].count;
        out->v[g[i].rank].name = strndup(g[i].p, g[i].len);
        if (!out->v[g[i].rank].name)
            goto out;
    }

    /* Each pair to its best-ranked group in the top, else "other". */
    for (size_t i = 0; i < n_d; i++) {
        size_t best = n_top;
        const char *at = d[i].groups, *end = at + d[i].glen, *name;
        size_t nlen;
        while ((name = next_group(&at, end, &nlen))) {
            group_t key = { name, nlen, 0, 0 };
            const group_t *t = n_top ? bsearch(&key, g, n_top, sizeof *g,
                                               cmp_group_name) : NULL;
            if (t && t->rank < best)
                best = t->rank;
        }
        out->v[best].counts[d[i].period] += d[i].count;
        out->v[best].total += d[i].count;
    }
    out->v[n_top].matches = out->v[n_top].total;
    /* "other" only when it counts something. */
    if (out->v[n_top].total == 0) {
        free(out->v[n_top].counts);
        out->n = n_top;
    }
    rc = 0;
out:
    if (rc < 0)
        series_set_release(out);
    free(g);
    free(d);
    return rc;
}
