/* evalmetrics.h - ranking metrics over one query's ranked list and judgments
 *
 * The arithmetic of bench/eval.c, kept apart so that the unit tests can
 * check it on examples computed by hand.  Pure functions: no I/O, no
 * allocation, no parsing of TREC files (eval.c does that).
 *
 * A query is described by two arrays of grades (0 = not relevant, > 0 =
 * relevant, higher = more relevant, as in TREC qrels):
 *   RANKED: the grade of each retrieved document, best first (0 for a
 *           document the qrels do not judge), N_RANKED of them;
 *   JUDGED: the grades of every document judged for the query, in any
 *           order, N_JUDGED of them (the ideal ranking is made from it).
 *
 * Conventions, as trec_eval's: average precision divides by the number of
 * relevant judged documents (retrieved or not); nDCG uses linear gains
 * (gain = grade) and the log2(rank + 1) discount; binary nDCG uses gain 1
 * for every grade > 0.  A query without relevant documents scores 0 on
 * every metric (eval.c averages over judged queries only).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EVALMETRICS_H
#define EVALMETRICS_H

#include <stddef.h>

/* The metrics make eval reports, per query or averaged. */
typedef struct evalmetrics_scores {
    double map;         /* average precision (mean over queries: MAP) */
    double ndcg10;      /* nDCG@10, graded gains */
    double ndcg20b;     /* nDCG@20, binary gains */
    double p10;         /* precision at 10 */
    double r100;        /* recall at 100 */
} evalmetrics_scores_t;

/* Average precision of RANKED against N_RELEVANT relevant documents. */
double evalmetrics_ap(const int *ranked, size_t n_ranked, size_t n_relevant);

/* nDCG@K: DCG of the first K of RANKED over the DCG of the first K of
 * JUDGED sorted best first.  With BINARY, every grade > 0 gains 1. */
double evalmetrics_ndcg(const int *ranked, size_t n_ranked,
                        const int *judged, size_t n_judged, size_t k,
                        int binary);

/* Relevant documents among the first K of RANKED, divided by K (documents
 * missing from a short list count as not relevant). */
double evalmetrics_precision(const int *ranked, size_t n_ranked, size_t k);

/* Relevant documents among the first K of RANKED over N_RELEVANT. */
double evalmetrics_recall(const int *ranked, size_t n_ranked, size_t k,
                          size_t n_relevant);

/* Every metric of evalmetrics_scores_t for one query. */
void evalmetrics_query(const int *ranked, size_t n_ranked, const int *judged,
                       size_t n_judged, evalmetrics_scores_t *out);

#endif /* EVALMETRICS_H */
