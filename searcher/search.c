/* search.c - a search spec to results, handed to a printer
 *
 * Moved out of searcher/main.c's run_search() so that dossier-serve runs
 * exactly what dossier-search runs.  See search.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "searcher/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Counts                                                              */

bool
search_count_add(void *ctx, const char *value, size_t len, unsigned count)
{
    search_count_acc_t *a = ctx;
    out_count_t *v = realloc(a->c->v, (a->c->n + 1) * sizeof *v);
    if (!v) {
        a->failed = true;
        return false;
    }
    a->c->v = v;
    v[a->c->n].value = strndup(value, len);
    v[a->c->n].count = count;
    a->c->n++;
    return true;
}

static int
cmp_count_value(const void *a, const void *b)
{
    return strcmp(((const out_count_t *)a)->value,
                  ((const out_count_t *)b)->value);
}

static int
collect_counts(xsh_results_t *r, int spy, out_counts_t *c, bool by_value)
{
    search_count_acc_t acc = { c, false };
    if (xsh_results_counts(r, spy, 0, search_count_add, &acc) != XSH_OK ||
        acc.failed)
        return -1;
    if (by_value && c->n)
        qsort(c->v, c->n, sizeof *c->v, cmp_count_value);
    return 0;
}

/* The matches of TOTAL that C does not count: those without a date. */
static unsigned
undated(unsigned total, const out_counts_t *c)
{
    unsigned long sum = 0;
    for (size_t i = 0; i < c->n; i++)
        sum += c->v[i].count;
    return sum < total ? (unsigned)(total - sum) : 0;
}

double
search_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ------------------------------------------------------------------ */
/* The search                                                          */

int
search_run(xsh_db_t *db, const config_t *cfg, const query_spec_t *spec,
           unsigned offset, unsigned limit, period_unit_t hist_unit,
           printer_t *pr, const search_hooks_t *hooks, double t0,
           char *err, size_t errlen)
{
    static const search_hooks_t none = { 0 };
    query_t q;
    xsh_results_t *res = NULL;
    out_counts_t authors = { 0 }, months = { 0 }, hist = { 0 };
    out_counts_t langs = { 0 };
    char *corrected = NULL;
    int rc = SEARCH_FAILED;

    if (!hooks)
        hooks = &none;
    if (query_build(&q, db, cfg, spec, err, errlen) < 0)
        return SEARCH_BAD_QUERY;
    if (hooks->built && hooks->built(hooks->ctx, &q, err, errlen) < 0)
        goto out;
    if (query_run(&q, offset, limit, &res,
                  hooks->no_suggestion ? NULL : &corrected) != XSH_OK) {
        snprintf(err, errlen, "%s", xsh_search_errmsg(q.s));
        goto out;
    }
    unsigned total = 0, total_all = 0;
    bool exact = false;
    xsh_results_count(res, &total, &total_all, &exact);

    unsigned n = xsh_results_size(res);
    for (unsigned i = 0; i < n; i++) {
        query_hit_t h;
        if (query_hit(res, i, q.browse, &h) != XSH_OK)
            goto shim_error_r;
        if (!hooks->quiet)
            pr->hit(pr, &h.out);
        query_hit_release(&h);
    }

    if (q.spy_authors >= 0 && (collect_counts(res, q.spy_authors, &authors,
                                              false) < 0 ||
                               collect_counts(res, q.spy_months, &months,
                                              true) < 0 ||
                               collect_counts(res, q.spy_langs, &langs,
                                              false) < 0))
        goto shim_error_r;
    period_unit_t used = hist_unit;
    if (q.spy_hist >= 0) {
        out_counts_t days = { 0 };
        int hrc = collect_counts(res, q.spy_hist, &days, false);
        if (hrc == 0)
            hrc = period_histogram(&days, hist_unit, &hist, &used);
        out_counts_release(&days);
        if (hrc < 0)
            goto shim_error_r;
    }
    /* Local searches count facets over the collapsed list, as the total;
     * remote shards count each duplicate too (xsh_search_count_values()). */
    unsigned base = spec->remote ? total_all : total;
    out_summary_t sum = {
        .query = spec->query, .total = total, .total_exact = exact,
        .total_all = total_all,
        .offset = offset, .shown = n, .elapsed_ms = search_now_ms() - t0,
        .suggestion = corrected,
        .authors = q.spy_authors >= 0 ? &authors : NULL,
        .months = q.spy_months >= 0 ? &months : NULL,
        .months_undated = undated(base, &months),
        .langs = q.spy_langs >= 0 ? &langs : NULL,
        .histogram = q.spy_hist >= 0 ? &hist : NULL,
        .histogram_unit = period_unit_name(used)
    };
    if (hooks->counted && hooks->counted(hooks->ctx, res, &hist, used, &sum,
                                         err, errlen) < 0)
        goto out;
    sum.histogram_undated = undated(base, &hist);
    if (!hooks->quiet)
        pr->end(pr, &sum);
    if (hooks->ended && hooks->ended(hooks->ctx, &sum, err, errlen) < 0)
        goto out;
    rc = total > 0 || n > 0 ? SEARCH_FOUND : SEARCH_NOTHING;
    goto out;

shim_error_r:
    snprintf(err, errlen, "%s", xsh_results_errmsg(res));
out:
    out_counts_release(&authors);
    out_counts_release(&months);
    out_counts_release(&hist);
    out_counts_release(&langs);
    free(corrected);
    xsh_results_free(res);
    query_release(&q);
    return rc;
}
