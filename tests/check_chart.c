/* check_chart.c - tests of searcher/chart.c (the SVG chart) and
 * searcher/series.c (a histogram split into its top groups)
 *
 * The chart: what a reader of the SVG relies on (one group per period
 * with matches, heights in proportion to the counts, a legend naming the
 * series, every caller's string escaped, refusals with a reason).  The
 * series: the keys --histogram-by accepts, and that each match counts in
 * exactly one series, so a period's series add up to its count.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "searcher/chart.h"
#include "searcher/series.h"
#include "tests/suites.h"
#include "util/sbuf.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static size_t
count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* The heights of the <rect class="bar"> in SVG, in order, into H (at
 * most MAX); returns how many. */
static size_t
bar_heights(const char *svg, double *h, size_t max)
{
    size_t n = 0;
    for (const char *p = svg; (p = strstr(p, "<rect class=\"bar\"")) &&
         n < max; p++) {
        const char *q = strstr(p, "height=\"");
        ck_assert_ptr_nonnull(q);
        h[n++] = strtod(q + 8, NULL);
    }
    return n;
}

/* ------------------------------------------------------------------ */
/* chart_xml_escape                                                    */

static const struct {
    const char *in;
    size_t len;
    const char *out;
} escapes[] = {
    { "plain", 5, "plain" },
    { "<script>alert(1)</script>", 25,
      "&lt;script&gt;alert(1)&lt;/script&gt;" },
    { "Tom & \"Jerry\" O'Neil", 20, "Tom &amp; &quot;Jerry&quot; O&#39;Neil" },
    /* Invalid UTF-8 becomes U+FFFD, controls (XML forbids them) and bidi
     * overrides (they would reorder the chart's text) a space. */
    { "a\xff" "b", 3, "a\xEF\xBF\xBD" "b" },
    { "a\x01\x1b[31mb", 8, "a  [31mb" },
    { "x\xE2\x80\xAEy", 5, "x y" },
    { "nul\0byte", 8, "nul byte" },
    { "Київ Şahin", 15, "Київ Şahin" },
};

START_TEST(test_chart_xml_escape_table)
{
    sbuf_t b = SBUF_INIT;
    ck_assert_int_eq(chart_xml_escape(&b, escapes[_i].in, escapes[_i].len),
                     0);
    ck_assert_str_eq(b.p, escapes[_i].out);
    sbuf_release(&b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* chart_svg                                                           */

static const char *const month_labels[] = {
    "2025-01", "2025-02", "2025-03", "2025-04", "2025-05"
};

START_TEST(test_chart_svg_one_series)
{
    static const unsigned counts[] = { 3, 0, 12, 6, 1 };
    chart_series_t s = { NULL, counts, false };
    chart_spec_t spec = { .title = "zelensky", .subtitle = "per month",
                          .labels = month_labels, .n_periods = 5,
                          .series = &s, .n_series = 1 };
    sbuf_t b = SBUF_INIT;
    double h[8];
    const char *err = NULL;

    ck_assert_int_eq(chart_svg(&spec, &b, &err), 0);
    ck_assert(strncmp(b.p, "<?xml version=\"1.0\"", 19) == 0);
    ck_assert_ptr_nonnull(strstr(b.p, "<svg xmlns=\"http://www.w3.org/2000/"
                                      "svg\" version=\"1.1\""));
    ck_assert(b.len > 7 && strcmp(b.p + b.len - 7, "</svg>\n") == 0);
    /* One group and one bar per period with matches: 2025-02 has none. */
    ck_assert_uint_eq(count_of(b.p, "<g class=\"period\">"), 4);
    ck_assert_uint_eq(bar_heights(b.p, h, 8), 4);
    ck_assert_ptr_null(strstr(b.p, "2025-02: "));
    ck_assert_ptr_nonnull(strstr(b.p, "<title>2025-03: 12</title>"));
    /* Heights in proportion to the counts: one scale for every bar. */
    ck_assert(h[0] > 0);
    ck_assert_double_eq_tol(h[1] / h[0], 12.0 / 3, 1e-3);
    ck_assert_double_eq_tol(h[2] / h[0], 6.0 / 3, 1e-3);
    ck_assert_double_eq_tol(h[3] / h[0], 1.0 / 3, 1e-3);
    /* Every period is labelled when they fit; no legend for one unnamed
     * series. */
    for (size_t i = 0; i < 5; i++) {
        char want[64];
        snprintf(want, sizeof want, ">%s</text>", month_labels[i]);
        ck_assert_ptr_nonnull(strstr(b.p, want));
    }
    ck_assert_ptr_null(strstr(b.p, "class=\"legend\""));
    ck_assert_ptr_nonnull(strstr(b.p, ">zelensky</text>"));
    sbuf_release(&b);
}
END_TEST

START_TEST(test_chart_svg_stacked_legend)
{
    static const unsigned a[] = { 2, 0, 4, 0, 1 };
    static const unsigned o[] = { 1, 0, 0, 3, 0 };
    chart_series_t s[] = {
        { "Anna <b>Li</b> & \"co\"", a, false },
        { "other", o, true }
    };
    chart_spec_t spec = { .title = "q&a <x>", .labels = month_labels,
                          .n_periods = 5, .series = s, .n_series = 2,
                          .fragment = true };
    sbuf_t b = SBUF_INIT;
    double h[8];

    ck_assert_int_eq(chart_svg(&spec, &b, NULL), 0);
    ck_assert(strncmp(b.p, "<svg ", 5) == 0);
    /* Periods with matches: 2025-01, -03, -04, -05; segments: five. */
    ck_assert_uint_eq(count_of(b.p, "<g class=\"period\">"), 4);
    ck_assert_uint_eq(bar_heights(b.p, h, 8), 5);
    ck_assert_double_eq_tol(h[1] / h[0], 1.0 / 2, 1e-3);   /* 2025-01 */
    ck_assert_double_eq_tol(h[2] / h[0], 4.0 / 2, 1e-3);
    ck_assert_double_eq_tol(h[3] / h[0], 3.0 / 2, 1e-3);
    ck_assert_ptr_nonnull(strstr(b.p, "<title>2025-01: 3</title>"));
    ck_assert_ptr_nonnull(strstr(b.p, "2025-04, other: 3</title>"));
    /* The legend names each series, escaped, with its total; the rest
     * is grey. */
    ck_assert_ptr_nonnull(strstr(b.p, "class=\"legend\""));
    ck_assert_ptr_nonnull(strstr(b.p, ">Anna &lt;b&gt;Li&lt;/b&gt; &amp; "
                                      "&quot;co&quot; (7)</text>"));
    ck_assert_ptr_nonnull(strstr(b.p, ">other (4)</text>"));
    ck_assert_ptr_nonnull(strstr(b.p, "fill=\"#bab0ac\""));
    ck_assert_ptr_nonnull(strstr(b.p, ">q&amp;a &lt;x&gt;</text>"));
    ck_assert_ptr_null(strstr(b.p, "<b>"));
    ck_assert_ptr_null(strstr(b.p, "<x>"));
    sbuf_release(&b);
}
END_TEST

START_TEST(test_chart_svg_long_name_cut)
{
    static const unsigned a[] = { 1 };
    char name[200];
    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    chart_series_t s[] = { { name, a, false }, { "b", a, false } };
    const char *one[] = { "2025" };
    chart_spec_t spec = { .labels = one, .n_periods = 1, .series = s,
                          .n_series = 2 };
    sbuf_t b = SBUF_INIT;
    char want[64];

    ck_assert_int_eq(chart_svg(&spec, &b, NULL), 0);
    /* The legend cuts it with an ellipsis; its tooltip keeps it whole. */
    memset(want, 'x', CHART_NAME_MAX);
    strcpy(want + CHART_NAME_MAX, "\xE2\x80\xA6 (1)</text>");
    ck_assert_ptr_nonnull(strstr(b.p, want));
    ck_assert_ptr_nonnull(strstr(b.p, name));
    sbuf_release(&b);
}
END_TEST

/* No title (NULL or empty, as the web view gives): no empty band above
 * the plot, whose top grid line moves up by the title's 24 pixels. */
START_TEST(test_chart_svg_no_title_band)
{
    static const unsigned counts[] = { 3, 0, 12, 6, 1 };
    static const char *const titles[] = { "zelensky", NULL, "" };
    static const char *const tops[] = { "y1=\"68.00\"", "y1=\"44.00\"",
                                        "y1=\"44.00\"" };
    chart_series_t s = { NULL, counts, false };
    double h[3][8];

    for (int i = 0; i < 3; i++) {
        chart_spec_t spec = { .title = titles[i], .subtitle = "per month",
                              .labels = month_labels, .n_periods = 5,
                              .series = &s, .n_series = 1,
                              .width = 760, .height = 230 };
        sbuf_t b = SBUF_INIT;
        ck_assert_int_eq(chart_svg(&spec, &b, NULL), 0);
        ck_assert_uint_eq(bar_heights(b.p, h[i], 8), 4);
        ck_assert_ptr_nonnull(strstr(b.p, tops[i]));
        ck_assert_uint_eq(count_of(b.p, "class=\"title\""), i == 0);
        ck_assert_ptr_nonnull(strstr(b.p, i ? "<title>per month</title>" :
                                     "<title>zelensky \xE2\x80\x94 per "
                                     "month</title>"));
        ck_assert_ptr_nonnull(strstr(b.p, i ? "class=\"subtitle\" x=\"16\" "
                                     "y=\"26\"" : "class=\"subtitle\" "
                                     "x=\"16\" y=\"46\""));
        sbuf_release(&b);
    }
    ck_assert(h[1][1] > h[0][1]);
    ck_assert_double_eq_tol(h[1][1], h[2][1], 1e-9);

    /* Neither title nor subtitle: the plot starts 20 pixels down. */
    chart_spec_t bare = { .labels = month_labels, .n_periods = 5,
                          .series = &s, .n_series = 1 };
    sbuf_t b = SBUF_INIT;
    ck_assert_int_eq(chart_svg(&bare, &b, NULL), 0);
    ck_assert_ptr_nonnull(strstr(b.p, "y1=\"20.00\""));
    ck_assert_ptr_null(strstr(b.p, "class=\"subtitle\""));
    sbuf_release(&b);
}
END_TEST

START_TEST(test_chart_svg_no_periods)
{
    static const unsigned none[] = { 0 };
    chart_series_t s = { NULL, none, false };
    chart_spec_t spec = { .title = "nothing", .series = &s, .n_series = 1 };
    sbuf_t b = SBUF_INIT;

    ck_assert_int_eq(chart_svg(&spec, &b, NULL), 0);
    ck_assert_ptr_nonnull(strstr(b.p, "no dated matches"));
    ck_assert_uint_eq(count_of(b.p, "class=\"bar\""), 0);
    sbuf_release(&b);
}
END_TEST

START_TEST(test_chart_svg_many_periods)
{
    /* Ten years of days: every bar drawn, labels thinned to fit. */
    enum { N = 3653 };
    static unsigned counts[N];
    static char lab[N][16];
    static const char *labels[N];
    for (size_t i = 0; i < N; i++) {
        counts[i] = (unsigned)(i % 7);
        snprintf(lab[i], sizeof lab[i], "d%05zu", i);
        labels[i] = lab[i];
    }
    chart_series_t s = { NULL, counts, false };
    chart_spec_t spec = { .labels = labels, .n_periods = N, .series = &s,
                          .n_series = 1 };
    sbuf_t b = SBUF_INIT;

    ck_assert_int_eq(chart_svg(&spec, &b, NULL), 0);
    ck_assert_uint_eq(count_of(b.p, "<rect class=\"bar\""), N - N / 7 - 1);
    size_t shown = count_of(b.p, "</text>\n");
    ck_assert(shown < 40);
    sbuf_release(&b);
}
END_TEST

START_TEST(test_chart_svg_refused)
{
    static const unsigned a[] = { 1 };
    chart_series_t s[CHART_MAX_SERIES + 1];
    const char *one[] = { "2025" };
    for (size_t i = 0; i <= CHART_MAX_SERIES; i++)
        s[i] = (chart_series_t){ "s", a, false };
    chart_spec_t spec = { .labels = one, .n_periods = 1, .series = s,
                          .n_series = 0 };
    sbuf_t b = SBUF_INIT;
    const char *err = NULL;

    ck_assert_int_eq(chart_svg(&spec, &b, &err), -1);
    ck_assert_str_eq(err, "no series to draw");
    spec.n_series = CHART_MAX_SERIES + 1;
    ck_assert_int_eq(chart_svg(&spec, &b, &err), -1);
    ck_assert_str_eq(err, "too many series to draw");
    spec.n_series = 1;
    spec.labels = NULL;
    ck_assert_int_eq(chart_svg(&spec, &b, &err), -1);
    ck_assert_str_eq(err, "no period labels");
    ck_assert_uint_eq(b.len, 0);
    sbuf_release(&b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* series_key_parse                                                    */

static const struct {
    const char *in;
    int rc;
    series_key_t key;
    unsigned top;
} keys[] = {
    { "author", 0, SERIES_AUTHOR, SERIES_TOP_DEFAULT },
    { "source:3", 0, SERIES_SOURCE, 3 },
    { "lang:10", 0, SERIES_LANG, 10 },
    { "author:1", 0, SERIES_AUTHOR, 1 },
    { "author:0", -1, 0, 0 },
    { "author:11", -1, 0, 0 },
    { "author:", -1, 0, 0 },
    { "author:3x", -1, 0, 0 },
    { "author:-3", -1, 0, 0 },
    { "author: 3", -1, 0, 0 },
    { "authors", -1, 0, 0 },
    { "title", -1, 0, 0 },
    { "", -1, 0, 0 },
};

START_TEST(test_series_key_parse_table)
{
    series_key_t key = SERIES_LANG;
    unsigned top = 99;
    ck_assert_int_eq(series_key_parse(keys[_i].in, &key, &top),
                     keys[_i].rc);
    if (keys[_i].rc == 0) {
        ck_assert_int_eq(key, keys[_i].key);
        ck_assert_uint_eq(top, keys[_i].top);
    }
}
END_TEST

/* ------------------------------------------------------------------ */
/* series_build                                                        */

static void
add_pair(series_pairs_t *p, const char *key, size_t len, unsigned count)
{
    ck_assert(series_pairs_add(p, key, len, count));
}

#define PAIR(p, lit, count) add_pair(p, lit, sizeof lit - 1, count)

static void
hist_of(out_counts_t *h, const char *const *labels, const unsigned *c,
        size_t n)
{
    h->v = calloc(n, sizeof *h->v);
    h->n = n;
    for (size_t i = 0; i < n; i++) {
        h->v[i].value = strdup(labels[i]);
        h->v[i].count = c[i];
    }
}

START_TEST(test_series_build_sums)
{
    series_pairs_t p = { 0 };
    out_counts_t h;
    series_set_t s;
    static const char *const lab[] = { "2025-01", "2025-02", "2025-03" };
    static const unsigned tot[] = { 6, 0, 5 };

    /* Anna: 4 matches, Bo: 3, Cy: 3, Di: 1; one of Anna's is shared with
     * Bo, and it counts for Anna only. */
    PAIR(&p, "20250103\0Anna", 2);
    PAIR(&p, "20250110\0Anna\0Bo", 1);
    PAIR(&p, "20250111\0Bo", 1);
    PAIR(&p, "20250115", 1);                    /* no author */
    PAIR(&p, "20250120\0Di", 1);
    PAIR(&p, "20250301\0Anna", 1);
    PAIR(&p, "20250302\0Bo\0Cy", 1);            /* Bo ranks above Cy */
    PAIR(&p, "20250303\0Cy", 2);
    PAIR(&p, "20250304\0Di\0Zed", 1);           /* neither in the top */
    PAIR(&p, "\0Anna", 4);                      /* undated: not counted */
    PAIR(&p, "2025-1-1\0Anna", 4);
    PAIR(&p, "20240101\0Anna", 4);              /* in no period */
    hist_of(&h, lab, tot, 3);

    ck_assert_int_eq(series_build(&p, &h, PERIOD_MONTH, 3, &s), 0);
    ck_assert_uint_eq(s.n_groups, 5);
    ck_assert_uint_eq(s.n_periods, 3);
    ck_assert_uint_eq(s.n, 4);
    ck_assert_str_eq(s.v[0].name, "Anna");
    ck_assert_str_eq(s.v[1].name, "Bo");
    ck_assert_str_eq(s.v[2].name, "Cy");
    ck_assert_ptr_null(s.v[3].name);
    ck_assert_uint_eq(s.v[0].counts[0], 3);
    ck_assert_uint_eq(s.v[1].counts[0], 1);
    ck_assert_uint_eq(s.v[2].counts[0], 0);
    ck_assert_uint_eq(s.v[3].counts[0], 2);
    ck_assert_uint_eq(s.v[1].counts[2], 1);
    ck_assert_uint_eq(s.v[2].counts[2], 2);
    ck_assert_uint_eq(s.v[3].counts[2], 1);
    /* Every period: the series add up to its count. */
    for (size_t i = 0; i < 3; i++) {
        unsigned sum = 0;
        for (size_t k = 0; k < s.n; k++)
            sum += s.v[k].counts[i];
        ck_assert_uint_eq(sum, tot[i]);
    }
    ck_assert_uint_eq(s.v[0].total + s.v[1].total + s.v[2].total +
                      s.v[3].total, 11);
    /* Bo has 3 matches, one counted for Anna. */
    ck_assert_uint_eq(s.v[1].total, 2);
    ck_assert_uint_eq(s.v[1].matches, 3);
    ck_assert_uint_eq(s.v[3].matches, s.v[3].total);
    series_set_release(&s);
    out_counts_release(&h);
    series_pairs_release(&p);
}
END_TEST

START_TEST(test_series_build_no_other)
{
    series_pairs_t p = { 0 };
    out_counts_t h;
    series_set_t s;
    static const char *const lab[] = { "2025-W01", "2025-W02" };
    static const unsigned tot[] = { 2, 1 };

    /* Ties rank by name; with every group in the top and each match
     * having one, there is no "other". */
    PAIR(&p, "20250101\0uk", 1);
    PAIR(&p, "20250102\0en", 1);
    PAIR(&p, "20250108\0ru", 1);
    hist_of(&h, lab, tot, 2);
    ck_assert_int_eq(series_build(&p, &h, PERIOD_WEEK, 5, &s), 0);
    ck_assert_uint_eq(s.n, 3);
    ck_assert_str_eq(s.v[0].name, "en");
    ck_assert_str_eq(s.v[1].name, "ru");
    ck_assert_str_eq(s.v[2].name, "uk");
    ck_assert_uint_eq(s.v[1].counts[1], 1);
    series_set_release(&s);
    ck_assert_uint_eq(s.n, 0);
    series_set_release(&s);
    out_counts_release(&h);
    series_pairs_release(&p);
}
END_TEST

START_TEST(test_series_build_best_rank_wins)
{
    series_pairs_t p = { 0 };
    out_counts_t h;
    series_set_t s;
    static const char *const lab[] = { "2025" };
    static const unsigned tot[] = { 6 };

    /* Terms come in byte order, so Al comes before Bo in the shared
     * key; Bo has more matches and takes it. */
    PAIR(&p, "20250101\0Al", 2);
    PAIR(&p, "20250102\0Bo", 3);
    PAIR(&p, "20250103\0Al\0Bo", 1);
    hist_of(&h, lab, tot, 1);
    ck_assert_int_eq(series_build(&p, &h, PERIOD_YEAR, 2, &s), 0);
    ck_assert_uint_eq(s.n, 2);
    ck_assert_str_eq(s.v[0].name, "Bo");
    ck_assert_uint_eq(s.v[0].counts[0], 4);
    ck_assert_str_eq(s.v[1].name, "Al");
    ck_assert_uint_eq(s.v[1].counts[0], 2);
    series_set_release(&s);
    out_counts_release(&h);
    series_pairs_release(&p);
}
END_TEST

START_TEST(test_series_build_empty)
{
    series_pairs_t p = { 0 };
    out_counts_t h = { 0 };
    series_set_t s;

    ck_assert_int_eq(series_build(&p, &h, PERIOD_DAY, 5, &s), 0);
    ck_assert_uint_eq(s.n, 0);
    ck_assert_uint_eq(s.n_groups, 0);
    series_set_release(&s);
}
END_TEST

Suite *
chart_suite(void)
{
    Suite *s = suite_create("chart");
    TCase *tc = tcase_create("xml_escape");
    tcase_add_loop_test(tc, test_chart_xml_escape_table, 0,
                        sizeof escapes / sizeof escapes[0]);
    suite_add_tcase(s, tc);

    tc = tcase_create("svg");
    tcase_add_test(tc, test_chart_svg_one_series);
    tcase_add_test(tc, test_chart_svg_stacked_legend);
    tcase_add_test(tc, test_chart_svg_long_name_cut);
    tcase_add_test(tc, test_chart_svg_no_title_band);
    tcase_add_test(tc, test_chart_svg_no_periods);
    tcase_add_test(tc, test_chart_svg_many_periods);
    tcase_add_test(tc, test_chart_svg_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("series");
    tcase_add_loop_test(tc, test_series_key_parse_table, 0,
                        sizeof keys / sizeof keys[0]);
    tcase_add_test(tc, test_series_build_sums);
    tcase_add_test(tc, test_series_build_no_other);
    tcase_add_test(tc, test_series_build_best_rank_wins);
    tcase_add_test(tc, test_series_build_empty);
    suite_add_tcase(s, tc);
    return s;
}
