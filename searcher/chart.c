/* chart.c - a histogram as a standalone SVG 1.1 bar chart
 *
 * Writes text into an sbuf and nothing else: no files, no printing, no
 * query or database code (chart.h says what the chart holds).  Numbers
 * are printed with printf's "%.2f", which assumes the C locale's decimal
 * point: neither program calls setlocale().  A caller that does must
 * switch LC_NUMERIC back to "C" around chart_svg().
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "searcher/chart.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

/* Colour-blind-friendly (Tableau 10 less its grey, then two more); the
 * rest ("other") is grey. */
static const char *const palette[CHART_MAX_SERIES] = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#499894", "#86bcb6", "#d37295"
};
#define REST_COLOUR "#bab0ac"

/* ------------------------------------------------------------------ */
/* Text                                                                */

/* Whether CP would break the XML (C0 and C1 controls, the
 * non-characters XML excludes) or the order of the chart's text (bidi
 * embeddings, overrides and isolates). */
static bool
is_unwanted(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
           (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0xFFFE || cp == 0xFFFF;
}

/* Append up to MAX_CHARS characters of S (0: all), cleaned and escaped,
 * and an ellipsis when some were left out. */
static int
escape_cut(sbuf_t *out, const char *s, size_t len, size_t max_chars)
{
    size_t start = out->len, n_chars = 0;

    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t n = utf8_seq(s + i, len - i, &cp);
        const char *rep = NULL;
        int rc = 0;

        if (max_chars && n_chars == max_chars) {
            if (sbuf_adds(out, "\xE2\x80\xA6") < 0)
                goto fail;
            break;
        }
        if (n == 0) {
            rep = "\xEF\xBF\xBD";
            n = 1;
        } else if (is_unwanted(cp)) {
            rep = " ";
        } else if (cp == '&') {
            rep = "&amp;";
        } else if (cp == '<') {
            rep = "&lt;";
        } else if (cp == '>') {
            rep = "&gt;";
        } else if (cp == '"') {
            rep = "&quot;";
        } else if (cp == '\'') {
            rep = "&#39;";
        }
        rc = rep ? sbuf_adds(out, rep) : sbuf_add(out, s + i, n);
        if (rc < 0)
            goto fail;
        i += n;
        n_chars++;
    }
    return 0;
fail:
    sbuf_setlen(out, start);
    return -1;
}

int
chart_xml_escape(sbuf_t *out, const char *s, size_t len)
{
    return escape_cut(out, s ? s : "", s ? len : 0, 0);
}

/* The number of characters S shows (invalid bytes count one each). */
static size_t
n_chars(const char *s)
{
    size_t n = 0, len = s ? strlen(s) : 0;
    for (size_t i = 0; i < len; n++) {
        size_t k = utf8_seq(s + i, len - i, NULL);
        i += k ? k : 1;
    }
    return n;
}

/* ------------------------------------------------------------------ */
/* Writing, with a sticky failure flag checked once                     */

typedef struct svg {
    sbuf_t *out;
    bool failed;
} svg_t;

static void
put(svg_t *g, const char *s)
{
    if (!g->failed && sbuf_adds(g->out, s) < 0)
        g->failed = true;
}

/* Numbers and fixed words only: strings from the caller go through
 * put_text(). */
static void
putf(svg_t *g, const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf)
        g->failed = true;
    else
        put(g, buf);
}

static void
put_text(svg_t *g, const char *s, size_t max_chars)
{
    if (!g->failed && s &&
        escape_cut(g->out, s, strlen(s), max_chars) < 0)
        g->failed = true;
}

/* ------------------------------------------------------------------ */
/* Scale                                                               */

/* A round step (1, 2, 5 times a power of ten) that divides 0..MAX into
 * at most 5 intervals. */
static unsigned long
tick_step(unsigned long max)
{
    static const unsigned mult[] = { 1, 2, 5 };
    for (unsigned long p = 1;; p *= 10) {
        for (int i = 0; i < 3; i++) {
            unsigned long step = mult[i] * p;
            if ((max + step - 1) / step <= 5)
                return step;
        }
    }
}

/* ------------------------------------------------------------------ */
/* The chart                                                           */

/* Average advance of a character of the 11 px sans-serif labels, for
 * laying out the legend and spacing the period labels. */
#define CHAR_W 7.0

int
chart_svg(const chart_spec_t *c, sbuf_t *out, const char **err)
{
    size_t start = out->len;
    svg_t g = { out, false };
    const char *why = NULL;

    if (!c || c->n_series == 0 || !c->series)
        why = "no series to draw";
    else if (c->n_series > CHART_MAX_SERIES)
        why = "too many series to draw";
    else if (c->n_periods && !c->labels)
        why = "no period labels";
    for (size_t k = 0; !why && c->n_periods && k < c->n_series; k++)
        if (!c->series[k].counts)
            why = "a series without counts";
    if (why) {
        if (err)
            *err = why;
        return -1;
    }

    double w = c->width ? c->width : 960, h = c->height ? c->height : 420;
    if (w < 320)
        w = 320;
    if (h < 200)
        h = 200;
    size_t n = c->n_periods;

    /* Totals: the tallest stack sets the scale; each series' total goes
     * into the legend. */
    unsigned long max = 0, totals[CHART_MAX_SERIES] = { 0 };
    for (size_t i = 0; i < n; i++) {
        unsigned long sum = 0;
        for (size_t k = 0; k < c->n_series; k++) {
            sum += c->series[k].counts[i];
            totals[k] += c->series[k].counts[i];
        }
        if (sum > max)
            max = sum;
    }
    unsigned long step = tick_step(max ? max : 1);
    unsigned long ymax = ((max ? max : 1) + step - 1) / step * step;

    /* Margins: the widest y label on the left, the legend on the
     * right. */
    char num[32];
    int ylab = snprintf(num, sizeof num, "%lu", ymax);
    /* The plot starts under the title and subtitle that are drawn; a
     * missing or empty one leaves no blank band (the web view draws no
     * title: the query is in its search box). */
    bool has_title = c->title && *c->title;
    bool has_sub = c->subtitle && *c->subtitle;
    double left = 18 + ylab * CHAR_W, right = 20, bottom = 42;
    double top = 20 + (has_title ? 24 : 0) + (has_sub ? 24 : 0);
    bool legend = c->n_series > 1 ||
                  (c->series[0].name && *c->series[0].name);
    if (legend) {
        size_t widest = 0;
        for (size_t k = 0; k < c->n_series; k++) {
            size_t nc = n_chars(c->series[k].name);
            int tl = snprintf(num, sizeof num, " (%lu)", totals[k]);
            nc = (nc > CHART_NAME_MAX ? CHART_NAME_MAX + 1 : nc) +
                 (size_t)tl;
            if (nc > widest)
                widest = nc;
        }
        right = 36 + widest * CHAR_W;
        if (right > w / 2)
            right = w / 2;
    }
    double pw = w - left - right, ph = h - top - bottom;
    double x0 = left, y0 = top + ph;       /* the origin */

    if (!c->fragment)
        put(&g, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
            "standalone=\"yes\"?>\n");
    putf(&g, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
         "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
         "font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\" "
         "font-size=\"11\">\n", w, h, w, h);
    put(&g, "<title>");
    put_text(&g, c->title, 0);
    if (has_title && has_sub)
        put(&g, " \xE2\x80\x94 ");
    put_text(&g, c->subtitle, 0);
    put(&g, "</title>\n");
    putf(&g, "<rect class=\"background\" x=\"0\" y=\"0\" width=\"%.0f\" "
         "height=\"%.0f\" fill=\"#ffffff\"/>\n", w, h);
    if (has_title) {
        put(&g, "<text class=\"title\" x=\"16\" y=\"26\" font-size=\"16\" "
            "font-weight=\"bold\" fill=\"#222222\">");
        put_text(&g, c->title, 100);
        put(&g, "</text>\n");
    }
    if (has_sub) {
        putf(&g, "<text class=\"subtitle\" x=\"16\" y=\"%d\" "
             "font-size=\"12\" fill=\"#555555\">", has_title ? 46 : 26);
        put_text(&g, c->subtitle, 140);
        put(&g, "</text>\n");
    }

    /* Grid lines and the y axis's labels. */
    put(&g, "<g class=\"y-axis\" fill=\"#555555\" text-anchor=\"end\">\n");
    for (unsigned long v = 0; v <= ymax; v += step) {
        double y = y0 - (double)v * ph / (double)ymax;
        putf(&g, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
             "stroke=\"%s\" stroke-width=\"1\"/>\n", x0, y, x0 + pw, y,
             v ? "#e6e6e6" : "#888888");
        putf(&g, "<text x=\"%.2f\" y=\"%.2f\">%lu</text>\n", x0 - 6, y + 4,
             v);
    }
    put(&g, "</g>\n");

    /* The bars, one group per period with matches. */
    double slot = n ? pw / (double)n : pw;
    double bw = slot >= 4 ? slot * 0.8 : slot;
    double scale = ph / (double)ymax;
    put(&g, "<g class=\"bars\">\n");
    for (size_t i = 0; i < n; i++) {
        unsigned long sum = 0;
        for (size_t k = 0; k < c->n_series; k++)
            sum += c->series[k].counts[i];
        if (sum == 0)
            continue;
        put(&g, "<g class=\"period\"><title>");
        put_text(&g, c->labels[i], 0);
        putf(&g, ": %lu</title>\n", sum);
        double y = y0, x = x0 + (double)i * slot + (slot - bw) / 2;
        for (size_t k = 0; k < c->n_series; k++) {
            unsigned v = c->series[k].counts[i];
            if (v == 0)
                continue;
            double bh = (double)v * scale;
            y -= bh;
            putf(&g, "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" "
                 "width=\"%.2f\" height=\"%.2f\" fill=\"%s\"><title>",
                 x, y, bw, bh, c->series[k].is_rest ? REST_COLOUR
                                                    : palette[k]);
            put_text(&g, c->labels[i], 0);
            if (c->series[k].name && *c->series[k].name) {
                put(&g, ", ");
                put_text(&g, c->series[k].name, 0);
            }
            putf(&g, ": %u</title></rect>\n", v);
        }
        /* The period's count above its bar, where it fits. */
        int digits = snprintf(num, sizeof num, "%lu", sum);
        if (slot >= digits * CHAR_W + 4)
            putf(&g, "<text class=\"total\" x=\"%.2f\" y=\"%.2f\" "
                 "text-anchor=\"middle\" fill=\"#333333\">%lu</text>\n",
                 x + bw / 2, y - 4, sum);
        put(&g, "</g>\n");
    }
    put(&g, "</g>\n");

    /* The x axis: as many labels as fit without overlapping. */
    size_t lw = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = n_chars(c->labels[i]);
        if (l > lw)
            lw = l;
    }
    size_t every = 1;
    if (n && slot < lw * CHAR_W + 10)
        every = (size_t)((lw * CHAR_W + 10) / slot) + 1;
    put(&g, "<g class=\"x-axis\" fill=\"#555555\" text-anchor=\"middle\">\n");
    putf(&g, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
         "stroke=\"#888888\" stroke-width=\"1\"/>\n", x0, y0, x0 + pw, y0);
    for (size_t i = 0; i < n; i += every) {
        double x = x0 + ((double)i + 0.5) * slot;
        putf(&g, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
             "stroke=\"#888888\" stroke-width=\"1\"/>\n", x, y0, x, y0 + 4);
        putf(&g, "<text x=\"%.2f\" y=\"%.2f\">", x, y0 + 17);
        put_text(&g, c->labels[i], 0);
        put(&g, "</text>\n");
    }
    if (n == 0)
        putf(&g, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"13\">"
             "no dated matches</text>\n", x0 + pw / 2, top + ph / 2);
    put(&g, "</g>\n");

    /* The legend, in stacking order from the top of the list. */
    if (legend) {
        double lx = w - right + 16;
        put(&g, "<g class=\"legend\" fill=\"#333333\">\n");
        for (size_t k = 0; k < c->n_series; k++) {
            double ly = top + 4 + (double)k * 20;
            putf(&g, "<g class=\"item\"><rect x=\"%.2f\" y=\"%.2f\" "
                 "width=\"12\" height=\"12\" fill=\"%s\"/>", lx, ly,
                 c->series[k].is_rest ? REST_COLOUR : palette[k]);
            putf(&g, "<text x=\"%.2f\" y=\"%.2f\">", lx + 18, ly + 10);
            put_text(&g, c->series[k].name, CHART_NAME_MAX);
            putf(&g, " (%lu)</text><title>", totals[k]);
            put_text(&g, c->series[k].name, 0);
            put(&g, "</title></g>\n");
        }
        put(&g, "</g>\n");
    }
    put(&g, "</svg>\n");

    if (g.failed) {
        sbuf_setlen(out, start);
        if (err)
            *err = "out of memory";
        return -1;
    }
    return 0;
}
