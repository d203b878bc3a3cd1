/* check_eval.c - tests of bench/evalmetrics.c: the metrics of make eval
 *
 * One small query worked out by hand (below), plus the edge cases: a
 * perfect ranking, an empty one, a query without relevant documents, and
 * cut-offs shorter than the list.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <check.h>

#include "bench/evalmetrics.h"
#include "tests/suites.h"

/* The hand example.
 *
 * Judgments (qrels):  d1 = 3, d2 = 2, d3 = 0, d4 = 1; three relevant.
 * Run, best first:    d3, d1, d5 (not judged), d4  ->  grades 0, 3, 0, 1.
 *
 * AP:      relevant at ranks 2 and 4: P@2 = 1/2, P@4 = 2/4;
 *          (0.5 + 0.5) / 3 relevant                        = 0.333333
 * nDCG@10 (graded, gain = grade, discount 1/log2(rank + 1)):
 *          DCG  = 3/log2(3) + 1/log2(5)
 *               = 1.892789 + 0.430677                      = 2.323466
 *          IDCG = 3/log2(2) + 2/log2(3) + 1/log2(4)
 *               = 3 + 1.261860 + 0.5                       = 4.761860
 *          nDCG = 2.323466 / 4.761860                      = 0.487935
 * nDCG@20 (binary, gain 1 for grade > 0):
 *          DCG  = 1/log2(3) + 1/log2(5) = 0.630930 + 0.430677 = 1.061606
 *          IDCG = 1 + 1/log2(3) + 1/log2(4) = 1 + 0.630930 + 0.5
 *                                                          = 2.130930
 *          nDCG = 1.061606 / 2.130930                      = 0.498189
 * P@10:    2 relevant in the first 10 (the list is shorter) = 0.2
 * R@100:   2 of 3 relevant retrieved                       = 0.666667
 * nDCG@1:  the first hit is not relevant                   = 0
 * nDCG@2:  DCG = 3/log2(3) = 1.892789; IDCG = 3 + 2/log2(3) = 4.261860;
 *                                                          = 0.444122
 */
static const int ranked[] = { 0, 3, 0, 1 };
static const int judged[] = { 3, 2, 0, 1 };

#define EPS 1e-5

START_TEST(test_hand_example)
{
    evalmetrics_scores_t s;
    evalmetrics_query(ranked, 4, judged, 4, &s);
    ck_assert_double_eq_tol(s.map, 1.0 / 3.0, EPS);
    ck_assert_double_eq_tol(s.ndcg10, 0.487935, EPS);
    ck_assert_double_eq_tol(s.ndcg20b, 0.498189, EPS);
    ck_assert_double_eq_tol(s.p10, 0.2, EPS);
    ck_assert_double_eq_tol(s.r100, 2.0 / 3.0, EPS);
}
END_TEST

START_TEST(test_cutoffs)
{
    ck_assert_double_eq_tol(evalmetrics_ndcg(ranked, 4, judged, 4, 1, 0),
                            0.0, EPS);
    ck_assert_double_eq_tol(evalmetrics_ndcg(ranked, 4, judged, 4, 2, 0),
                            0.444122, EPS);
    ck_assert_double_eq_tol(evalmetrics_precision(ranked, 4, 2), 0.5, EPS);
    ck_assert_double_eq_tol(evalmetrics_recall(ranked, 4, 2, 3), 1.0 / 3.0,
                            EPS);
}
END_TEST

START_TEST(test_perfect_and_empty)
{
    /* The ideal order of the judgments, then irrelevant hits. */
    static const int ideal[] = { 3, 2, 1, 0, 0 };
    evalmetrics_scores_t s;
    evalmetrics_query(ideal, 5, judged, 4, &s);
    ck_assert_double_eq_tol(s.map, 1.0, EPS);
    ck_assert_double_eq_tol(s.ndcg10, 1.0, EPS);
    ck_assert_double_eq_tol(s.ndcg20b, 1.0, EPS);
    ck_assert_double_eq_tol(s.r100, 1.0, EPS);

    evalmetrics_query(NULL, 0, judged, 4, &s);
    ck_assert_double_eq_tol(s.map, 0.0, EPS);
    ck_assert_double_eq_tol(s.ndcg10, 0.0, EPS);
    ck_assert_double_eq_tol(s.p10, 0.0, EPS);
}
END_TEST

START_TEST(test_equal_grades_and_no_relevant)
{
    /* Two documents of grade 2 judged: the ideal uses both, once each. */
    static const int two[] = { 2, 2 };
    static const int got[] = { 2, 0, 2 };
    /* DCG = 2 + 2/log2(4) = 3; IDCG = 2 + 2/log2(3) = 3.261860 */
    ck_assert_double_eq_tol(evalmetrics_ndcg(got, 3, two, 2, 10, 0),
                            3.0 / 3.261860, EPS);

    static const int none[] = { 0, 0 };
    evalmetrics_scores_t s;
    evalmetrics_query(got, 3, none, 2, &s);
    ck_assert_double_eq_tol(s.map, 0.0, EPS);
    ck_assert_double_eq_tol(s.ndcg10, 0.0, EPS);
    ck_assert_double_eq_tol(s.r100, 0.0, EPS);
}
END_TEST

Suite *
eval_suite(void)
{
    Suite *s = suite_create("eval");
    TCase *tc = tcase_create("metrics");
    tcase_add_test(tc, test_hand_example);
    tcase_add_test(tc, test_cutoffs);
    tcase_add_test(tc, test_perfect_and_empty);
    tcase_add_test(tc, test_equal_grades_and_no_relevant);
    suite_add_tcase(s, tc);
    return s;
}
