/* timeline.c - --histogram-by and --chart for dossier-search
 *
 * See timeline.h.  The pairs come from one extra match spy on the search
 * itself (xsh_search_count_value_terms()), so splitting the histogram
 * costs no second pass over the matches.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "searcher/timeline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/schema.h"
#include "searcher/chart.h"
#include "util/sbuf.h"

void
timeline_init(timeline_t *t, series_key_t key, unsigned top)
{
    *t = (timeline_t){ .key = key, .top = top, .spy = -1 };
}

void
timeline_release(timeline_t *t)
{
    if (!t)
        return;
    series_set_release(&t->set);
    free(t->view);
    t->view = NULL;
}

int
timeline_ask(timeline_t *t, xsh_search_t *s, char *err, size_t errlen)
{
    if (xsh_search_count_value_terms(s, SCHEMA_SLOT_DATE,
                                     series_key_prefix(t->key),
                                     &t->spy) != XSH_OK) {
        snprintf(err, errlen, "%s", xsh_search_errmsg(s));
        return -1;
    }
    return 0;
}

int
timeline_count(timeline_t *t, xsh_results_t *res, const out_counts_t *hist,
               period_unit_t unit, char *err, size_t errlen)
{
    series_pairs_t pairs = { 0 };
    int rc = -1;

    if (xsh_results_counts(res, t->spy, 0, series_pairs_add, &pairs)
        != XSH_OK) {
        snprintf(err, errlen, "%s", xsh_results_errmsg(res));
        goto out;
    }
    if (pairs.failed ||
        series_build(&pairs, hist, unit, t->top, &t->set) < 0)
        goto nomem;
    t->view = calloc(t->set.n ? t->set.n : 1, sizeof *t->view);
    if (!t->view)
        goto nomem;
    /* The rest is "other" when it holds groups beyond the top, else
     * only matches without one ("no author"). */
    snprintf(t->rest_name, sizeof t->rest_name, "%s%s",
             t->set.n_groups > t->top ? "other" : "no ",
             t->set.n_groups > t->top ? "" : series_key_name(t->key));
    for (size_t k = 0; k < t->set.n; k++)
        t->view[k] = (out_series_t){
            .name = t->set.v[k].name ? t->set.v[k].name : t->rest_name,
            .is_other = !t->set.v[k].name,
            .counts = t->set.v[k].counts, .total = t->set.v[k].total,
            .matches = t->set.v[k].matches
        };
    t->view_set = (out_series_set_t){
        .key = series_key_name(t->key), .top = t->top,
        .n_groups = t->set.n_groups, .v = t->view, .n = t->set.n
    };
    rc = 0;
    goto out;
nomem:
    snprintf(err, errlen, "out of memory");
out:
    series_pairs_release(&pairs);
    return rc;
}

const out_series_set_t *
timeline_view(const timeline_t *t)
{
    return &t->view_set;
}

/* ------------------------------------------------------------------ */
/* The chart file                                                      */

/* Write LEN bytes of BUF to PATH through a temporary file beside it. */
static int
write_whole(const char *path, const char *buf, size_t len, char *err,
            size_t errlen)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + sizeof ".tmp.XXXXXX");
    int fd = -1, e = ENOMEM;
    bool made = false;

    if (!tmp)
        goto fail;
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    fd = mkstemp(tmp);
    if (fd < 0) {
        e = errno;
        goto fail;
    }
    made = true;
    /* mkstemp() gives 0600; a chart is as readable as any new file. */
    mode_t mask = umask(0);
    umask(mask);
    for (size_t off = 0; off < len;) {
        ssize_t n = write(fd, buf + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            e = errno;
            goto fail;
        }
        off += (size_t)n;
    }
    if (fchmod(fd, 0666 & ~mask) < 0 || close(fd) < 0) {
        e = errno;
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        e = errno;
        goto fail;
    }
    free(tmp);
    return 0;
fail:
    if (fd >= 0)
        close(fd);
    if (made)
        unlink(tmp);
    free(tmp);
    snprintf(err, errlen, "cannot write '%s': %s", path, strerror(e));
    return -1;
}

int
timeline_chart(const char *path, const char *query, const out_counts_t *hist,
               const char *unit, unsigned undated,
               const out_series_set_t *by, char *err, size_t errlen)
{
    const char **labels = calloc(hist->n ? hist->n : 1, sizeof *labels);
    unsigned *counts = calloc(hist->n ? hist->n : 1, sizeof *counts);
    chart_series_t series[CHART_MAX_SERIES];
    sbuf_t svg = SBUF_INIT;
    char sub[256];
    const char *why = NULL;
    unsigned long dated = 0;
    int rc = -1;

    if (!labels || !counts) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < hist->n; i++) {
        labels[i] = hist->v[i].value;
        counts[i] = hist->v[i].count;
        dated += hist->v[i].count;
    }
    chart_spec_t spec = {
        .title = query[strspn(query, " \t")] ? query : "All documents",
        .subtitle = sub, .labels = labels, .n_periods = hist->n,
        .series = series, .n_series = 1
    };
    series[0] = (chart_series_t){ NULL, counts, false };
    if (by && by->n) {
        spec.n_series = by->n;
        for (size_t k = 0; k < by->n && k < CHART_MAX_SERIES; k++)
            series[k] = (chart_series_t){ by->v[k].name, by->v[k].counts,
                                          by->v[k].is_other };
    }
    char th[32];
    int n = snprintf(sub, sizeof sub, "%s match%s per %s",
                     out_thousands(dated, th, sizeof th),
                     dated == 1 ? "" : "es", unit);
    if (by && n > 0 && (size_t)n < sizeof sub) {
        if (by->n_groups > by->top)
            n += snprintf(sub + n, sizeof sub - (size_t)n,
                          ", by %s (top %u of %zu)", by->key, by->top,
                          by->n_groups);
        else if (by->n_groups)
            n += snprintf(sub + n, sizeof sub - (size_t)n,
                          ", by %s (all %zu)", by->key, by->n_groups);
        else
            n += snprintf(sub + n, sizeof sub - (size_t)n,
                          ", by %s (none known)", by->key);
    }
    if (undated && n > 0 && (size_t)n < sizeof sub)
        snprintf(sub + n, sizeof sub - (size_t)n, "; %u without a date",
                 undated);
    if (chart_svg(&spec, &svg, &why) < 0) {
        snprintf(err, errlen, "cannot draw the chart: %s", why);
        goto out;
    }
    if (strcmp(path, "-") == 0) {
        if (fwrite(svg.p, 1, svg.len, stdout) != svg.len) {
            snprintf(err, errlen, "cannot write to standard output: %s",
                     strerror(errno));
            goto out;
        }
    } else if (write_whole(path, svg.p, svg.len, err, errlen) < 0) {
        goto out;
    }
    rc = 0;
out:
    sbuf_release(&svg);
    free(labels);
    free(counts);
    return rc;
}
