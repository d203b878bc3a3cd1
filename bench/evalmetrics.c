/* evalmetrics.c - ranking metrics over one query's ranked list and judgments
 *
 * See evalmetrics.h for the conventions.  The ideal DCG sorts a copy of
 * the judged grades; K is small (10, 20), so a partial selection of the K
 * best grades is enough and needs no allocation.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "bench/evalmetrics.h"

#include <math.h>

static double
gain(int grade, int binary)
{
    if (grade <= 0)
        return 0.0;
    return binary ? 1.0 : (double)grade;
}

/* Discount of 0-based rank I: 1 / log2(I + 2). */
static double
discount(size_t i)
{
    return 1.0 / log2((double)i + 2.0);
}

double
evalmetrics_ap(const int *ranked, size_t n_ranked, size_t n_relevant)
{
    double sum = 0.0;
    size_t hits = 0;

    if (n_relevant == 0)
        return 0.0;
    for (size_t i = 0; i < n_ranked; i++) {
        if (ranked[i] > 0) {
            hits++;
            sum += (double)hits / (double)(i + 1);
        }
    }
    return sum / (double)n_relevant;
}

double
evalmetrics_ndcg(const int *ranked, size_t n_ranked, const int *judged,
                 size_t n_judged, size_t k, int binary)
{
    double dcg = 0.0, idcg = 0.0;

    for (size_t i = 0; i < n_ranked && i < k; i++)
        dcg += gain(ranked[i], binary) * discount(i);

    /* Ideal: the K best judged grades, best first.  Select them one at a
     * time, skipping those already taken (by index, so equal grades are
     * each used once). */
    double prev = INFINITY;
    size_t prev_idx = (size_t)-1;
    for (size_t r = 0; r < k; r++) {
        double best = -1.0;
        size_t best_idx = (size_t)-1;
        for (size_t j = 0; j < n_judged; j++) {
            double g = gain(judged[j], binary);
            /* Candidates come after the previous pick in (gain desc,
             * index asc) order. */
            if (g > prev || (g == prev && j <= prev_idx))
                continue;
            if (g > best) {
                best = g;
                best_idx = j;
            }
        }
        if (best_idx == (size_t)-1 || best <= 0.0)
            break;
        idcg += best * discount(r);
        prev = best;
        prev_idx = best_idx;
    }
    return idcg > 0.0 ? dcg / idcg : 0.0;
}

double
evalmetrics_precision(const int *ranked, size_t n_ranked, size_t k)
{
    size_t hits = 0;

    if (k == 0)
        return 0.0;
    for (size_t i = 0; i < n_ranked && i < k; i++)
        if (ranked[i] > 0)
            hits++;
    return (double)hits / (double)k;
}

double
evalmetrics_recall(const int *ranked, size_t n_ranked, size_t k,
                   size_t n_relevant)
{
    size_t hits = 0;

    if (n_relevant == 0)
        return 0.0;
    for (size_t i = 0; i < n_ranked && i < k; i++)
        if (ranked[i] > 0)
            hits++;
    return (double)hits / (double)n_relevant;
}

void
evalmetrics_query(const int *ranked, size_t n_ranked, const int *judged,
                  size_t n_judged, evalmetrics_scores_t *out)
{
    size_t n_relevant = 0;

    for (size_t j = 0; j < n_judged; j++)
        if (judged[j] > 0)
            n_relevant++;
    out->map = evalmetrics_ap(ranked, n_ranked, n_relevant);
    out->ndcg10 = evalmetrics_ndcg(ranked, n_ranked, judged, n_judged, 10,
                                   0);
    out->ndcg20b = evalmetrics_ndcg(ranked, n_ranked, judged, n_judged, 20,
                                    1);
    out->p10 = evalmetrics_precision(ranked, n_ranked, 10);
    out->r100 = evalmetrics_recall(ranked, n_ranked, 100, n_relevant);
}
