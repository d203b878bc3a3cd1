/* pages.c - the search page, the JSON API, the style (docpage.c: a document)
 *
 * Parameters mirror dossier-search's options (q, author, since, until,
 * source, tag, lang, any, n, offset, sort, facets, histogram, estimate,
 * no-collapse, no-translit); searcher/search.c runs the search with a
 * printer of this file's (HTML) or the searcher's JSON printer (the API),
 * so the answers are the command line's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "server/pages.h"
#include "server/pages_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "config/schema.h"
#include "searcher/chart.h"
#include "searcher/output.h"
#include "searcher/period.h"
#include "searcher/query.h"
#include "searcher/search.h"
#include "server/html.h"
#include "util/strv.h"

/* Hits shown per page when the request does not say. */
#define PAGE_HITS 10

const char *
params_get(const params_t *p, const char *key)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->keys[i], key) == 0)
            return p->vals[i];
    return NULL;
}

void
response_release(response_t *r)
{
    if (!r->is_static)
        free(r->body);
    r->body = NULL;
}

void
pages_respond(response_t *r, unsigned status, const char *type, char *body,
              size_t len)
{
    r->status = status;
    r->type = type;
    r->body = body;
    r->len = len;
    r->is_static = false;
}

/* ------------------------------------------------------------------ */
/* The request as a search spec                                        */

static void
req_release(req_t *q)
{
    strv_release(&q->authors);
    strv_release(&q->sources);
    strv_release(&q->tags);
    strv_release(&q->langs);
}

static int
parse_bool(const char *key, const char *v, bool *out, char *err,
           size_t errlen)
{
    if (!*v || !strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes") ||
        !strcmp(v, "on"))
        *out = true;
    else if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no") ||
             !strcmp(v, "off"))
        *out = false;
    else {
        snprintf(err, errlen, "%s: invalid value (expected 1 or 0)", key);
        return -1;
    }
    return 0;
}

int
pages_parse_uint(const char *key, const char *v, unsigned *out, char *err,
                 size_t errlen)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < 0 || n > 1000000) {
        snprintf(err, errlen, "%s: invalid number (expected 0 to 1000000)",
                 key);
        return -1;
    }
    *out = (unsigned)n;
    return 0;
}

/* Q from the parameters; -1 with the reason (a 400) in ERR.  Empty
 * filter values (a form's blank fields) are not filters. */
static int
req_parse(req_t *q, const serve_t *sv, const params_t *p, char *err,
          size_t errlen)
{
    memset(q, 0, sizeof *q);
    q->params = p;
    q->q = "";
    for (size_t i = 0; i < p->n; i++) {
        const char *k = p->keys[i], *v = p->vals[i] ? p->vals[i] : "";
        int rc = 0;
        if (strlen(v) > sv->max_query) {
            snprintf(err, errlen, "%s: too long (at most %u bytes)", k,
                     sv->max_query);
            return -1;
        }
        if (!strcmp(k, "q"))
            q->q = v;
        else if (!*v && strcmp(k, "any") && strcmp(k, "facets") &&
                 strcmp(k, "estimate") && strcmp(k, "no-collapse") &&
                 strcmp(k, "no-translit"))
            continue;
        else if (!strcmp(k, "author"))
            rc = strv_push(&q->authors, v);
        else if (!strcmp(k, "source"))
            rc = strv_push(&q->sources, v);
        else if (!strcmp(k, "tag"))
            rc = strv_push(&q->tags, v);
        else if (!strcmp(k, "lang"))
            rc = strv_push(&q->langs, v);
        else if (!strcmp(k, "since"))
            q->since = v;
        else if (!strcmp(k, "until"))
            q->until = v;
        else if (!strcmp(k, "sort")) {
            if (strcmp(v, "relevance") && strcmp(v, "newest") &&
                strcmp(v, "oldest")) {
                snprintf(err, errlen, "sort: invalid order (expected "
                         "relevance, newest or oldest)");
                return -1;
            }
            q->sort = v;
        } else if (!strcmp(k, "histogram")) {
            if (period_unit_parse(v, &q->hist_unit) < 0) {
                snprintf(err, errlen, "histogram: invalid unit (expected "
                         "day, week, month, year or auto)");
                return -1;
            }
            q->histogram = v;
        } else if (!strcmp(k, "n")) {
            rc = pages_parse_uint(k, v, &q->limit, err, errlen);
            q->limit_set = true;
        } else if (!strcmp(k, "offset"))
            rc = pages_parse_uint(k, v, &q->offset, err, errlen);
        else if (!strcmp(k, "any")) {
            rc = parse_bool(k, v, &q->any, err, errlen);
            q->any_set = true;
        } else if (!strcmp(k, "facets"))
            rc = parse_bool(k, v, &q->facets, err, errlen);
        else if (!strcmp(k, "estimate"))
            rc = parse_bool(k, v, &q->estimate, err, errlen);
        else if (!strcmp(k, "no-collapse"))
            rc = parse_bool(k, v, &q->no_collapse, err, errlen);
        else if (!strcmp(k, "no-translit"))
            rc = parse_bool(k, v, &q->no_translit, err, errlen);
        if (rc < 0) {
            if (!*err)
                snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    if (!q->any_set)
        q->any = sv->cfg->any;
    if (!q->limit_set)
        q->limit = sv->cfg->results;
    if ((unsigned long)q->offset + q->limit > sv->max_window) {
        snprintf(err, errlen, "offset + n: %lu is beyond the result window "
                 "(at most %u)", (unsigned long)q->offset + q->limit,
                 sv->max_window);
        return -1;
    }
    return 0;
}

static query_spec_t
req_spec(const req_t *q, bool remote)
{
    return (query_spec_t){
        .query = q->q,
        .authors = (const char *const *)q->authors.v,
        .n_authors = q->authors.n,
        .sources = (const char *const *)q->sources.v,
        .n_sources = q->sources.n,
        .tags = (const char *const *)q->tags.v, .n_tags = q->tags.n,
        .since = q->since, .until = q->until, .any = q->any,
        .sort = q->sort, .no_collapse = q->no_collapse,
        .facets = q->facets, .histogram = q->histogram,
        .estimate = q->estimate, .remote = remote,
        .langs = (const char *const *)q->langs.v, .n_langs = q->langs.n,
        .no_translit = q->no_translit
    };
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */


void
pages_error(response_t *r, unsigned status, const char *what, bool json)
{
    if (json) {
        json_t *o = json_object();
        json_object_set_new(o, "error", json_string(what));
        char *s = json_dumps(o, JSON_INDENT(2));
        json_decref(o);
        size_t len = s ? strlen(s) : 0;
        char *body = s ? realloc(s, len + 2) : NULL;
        if (body) {
            body[len] = '\n';
            body[len + 1] = '\0';
            len++;
        } else {
            free(s);
        }
        pages_respond(r, status, TYPE_JSON, body, body ? len : 0);
        return;
    }
    html_t h;
    html_init(&h);
    pages_page_open(&h, "Error", NULL);
    html_rawf(&h, "<main class=\"error\"><h1>%u</h1><p>", status);
    html_text(&h, what);
    html_raw(&h, "</p><p><a href=\"/\">New search</a></p></main>");
    pages_page_close(&h);
    size_t len = 0;
    char *body = html_detach(&h, &len);
    pages_respond(r, status, TYPE_HTML, body, len);
}

/* ------------------------------------------------------------------ */
/* Links                                                               */

/* The keys a link carries over from the request. */
static const char *const kept_keys[] = {
    "q", "author", "since", "until", "source", "tag", "lang", "sort",
    "any", "n", NULL
};

static bool
in_list(const char *k, const char *const *list)
{
    for (; list && *list; list++)
        if (!strcmp(k, *list))
            return true;
    return false;
}

/* A link to the search page with the request's parameters but those in
 * DROP, plus K1=V1 and K2=V2 when not NULL, at OFFSET (0: none).  Goes
 * inside a double-quoted href. */
static void
search_link(html_t *h, const req_t *q, const char *const *drop,
            const char *k1, const char *v1, const char *k2, const char *v2,
            unsigned offset)
{
    char sep = '?';
    html_raw(h, "/");
    for (size_t i = 0; q && i < q->params->n; i++) {
        const char *k = q->params->keys[i], *v = q->params->vals[i];
        if (!v || !*v || !in_list(k, kept_keys) || in_list(k, drop))
            continue;
        html_rawf(h, "%s%s=", sep == '?' ? "?" : "&amp;", k);
        html_url_part(h, v);
        sep = '&';
    }
    const char *ks[2] = { k1, k2 }, *vs[2] = { v1, v2 };
    for (int i = 0; i < 2; i++) {
        if (!ks[i] || !vs[i])
            continue;
        html_rawf(h, "%s%s=", sep == '?' ? "?" : "&amp;", ks[i]);
        html_url_part(h, vs[i]);
        sep = '&';
    }
    if (offset)
        html_rawf(h, "%soffset=%u", sep == '?' ? "?" : "&amp;", offset);
}

/* ------------------------------------------------------------------ */
/* The page's frame                                                    */

static void
field(html_t *h, const char *name, const char *label, const char *value,
      const char *type, const char *hint)
{
    html_rawf(h, "<label>%s<input type=\"%s\" name=\"%s\"", label, type,
              name);
    if (hint)
        html_rawf(h, " placeholder=\"%s\"", hint);
    html_raw(h, " value=\"");
    html_text(h, value ? value : "");
    html_raw(h, "\"></label>");
}

/* A repeatable filter's fields: one per value (one empty when there is
 * none), so that a search reached with several (a facet clicked over an
 * earlier one) keeps them all when the form is sent again. */
static void
fields(html_t *h, const char *name, const char *label, const strv_t *v,
       const char *hint)
{
    if (!v || !v->n)
        field(h, name, label, NULL, "text", hint);
    for (size_t i = 0; v && i < v->n; i++)
        field(h, name, label, v->v[i], "text", hint);
}

void
pages_page_open(html_t *h, const char *title, const req_t *q)
{
    html_raw(h, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
             "<meta charset=\"utf-8\">"
             "<meta name=\"viewport\" content=\"width=device-width, "
             "initial-scale=1\">"
             "<meta name=\"referrer\" content=\"no-referrer\">"
             "<link rel=\"stylesheet\" href=\"/static/style.css\">"
             "<title>");
    html_text(h, title);
    html_raw(h, " - dossier</title></head><body>"
             "<a class=\"skip\" href=\"#results\">Skip to results</a>"
             "<header><a class=\"brand\" href=\"/\">dossier</a>"
             "<form class=\"search\" role=\"search\" action=\"/\" "
             "method=\"get\"><div class=\"box\">"
             "<input type=\"search\" name=\"q\" aria-label=\"Query\" "
             "placeholder=\"&quot;security guarantees&quot; author:... "
             "date:2025..2026\" value=\"");
    html_text(h, q ? q->q : "");
    html_raw(h, "\"><button type=\"submit\">Search</button></div>");
    bool open = q && (q->authors.n || q->sources.n || q->tags.n ||
                      q->langs.n || q->since || q->until || q->sort);
    html_rawf(h, "<details class=\"filters\"%s><summary>Filters</summary>"
              "<div class=\"grid\">", open ? " open" : "");
    fields(h, "author", "Author", q ? &q->authors : NULL, NULL);
    field(h, "since", "Since", q ? q->since : NULL, "text",
          "2025-01, 6m");
    field(h, "until", "Until", q ? q->until : NULL, "text", "2025-12");
    fields(h, "source", "Source", q ? &q->sources : NULL, NULL);
    fields(h, "tag", "Tag", q ? &q->tags : NULL, NULL);
    fields(h, "lang", "Language", q ? &q->langs : NULL, "en, uk, ru");
    const char *sort = q && q->sort ? q->sort : "";
    html_raw(h, "<label>Sort<select name=\"sort\">");
    static const char *const orders[] = { "", "relevance", "newest",
                                          "oldest" };
    for (int i = 0; i < 4; i++)
        html_rawf(h, "<option value=\"%s\"%s>%s</option>", orders[i],
                  !strcmp(sort, orders[i]) ? " selected" : "",
                  i ? orders[i] : "default");
    html_raw(h, "</select></label></div></details></form></header>\n");
}

void
pages_page_close(html_t *h)
{
    html_raw(h, "<footer>dossier-serve " DOSSIER_VERSION
             " &middot; read-only &middot; "
             "<a href=\"/api/search?q=\">JSON API</a></footer>"
             "</body></html>\n");
}

/* ------------------------------------------------------------------ */
/* The search page's printer                                           */

typedef struct html_printer {
    const req_t *q;
    xsh_db_t *db;               /* the request's handle, for doc links */
    html_t hits;
    html_t side;
    html_t top;
    html_t pager;
} html_printer_t;

/* The start of a link to document DOCID: by its unique id term, which
 * a rebuild keeps (docids it does not), "/doc?key=PATH#ID" (or
 * "PATH@LINE"), with "&db=N" when several databases are searched as one
 * (the key then may not be unique); by the docid when the term cannot be
 * read. */
static void
doc_link(html_t *h, xsh_db_t *db, xsh_docid_t docid)
{
    static const char prefix[] = SCHEMA_PREFIX_ID;
    char *term = NULL;
    unsigned shard = 0, n_shards = 0;
    if (xsh_db_doc_term(db, docid, prefix, &term, &shard, &n_shards) !=
        XSH_OK) {
        html_rawf(h, "/doc?id=%u", docid);
        return;
    }
    html_raw(h, "/doc?key=");
    html_url_part(h, term + sizeof prefix - 1);
    if (n_shards > 1)
        html_rawf(h, "&amp;db=%u", shard + 1);
    free(term);
}

static void
hp_hit(printer_t *p, const out_hit_t *hit)
{
    html_printer_t *hp = p->priv;
    html_t *h = &hp->hits;
    html_raw(h, "<li class=\"hit\"><h2><a href=\"");
    doc_link(h, hp->db, hit->docid);
    if (*hp->q->q) {
        html_raw(h, "&amp;q=");
        html_url_part(h, hp->q->q);
    }
    html_raw(h, "\">");
    html_text(h, hit->title && *hit->title ? hit->title : "(untitled)");
    html_raw(h, "</a></h2><p class=\"meta\">");
    html_raw(h, "<time>");
    html_text(h, hit->date ? hit->date : "undated");
    html_raw(h, "</time>");
    for (size_t i = 0; i < hit->n_authors; i++) {
        static const char *const drop[] = { "author", NULL };
        html_raw(h, i ? ", " : " &middot; ");
        html_raw(h, "<a class=\"author\" href=\"");
        search_link(h, hp->q, drop, "author", hit->authors[i], NULL, NULL,
                    0);
        html_raw(h, "\">");
        html_text(h, hit->authors[i]);
        html_raw(h, "</a>");
    }
    if (hit->source && *hit->source) {
        static const char *const drop[] = { "source", NULL };
        html_raw(h, " &middot; <a class=\"source\" href=\"");
        search_link(h, hp->q, drop, "source", hit->source, NULL, NULL, 0);
        html_raw(h, "\">");
        html_text(h, hit->source);
        html_raw(h, "</a>");
    }
    if (hit->lang && *hit->lang) {
        html_raw(h, " &middot; <span class=\"lang\">");
        html_text(h, hit->lang);
        html_raw(h, "</span>");
    }
    if (hit->duplicates)
        html_rawf(h, " &middot; +%u duplicate%s", hit->duplicates,
                  hit->duplicates == 1 ? "" : "s");
    html_raw(h, "</p>");
    if (hit->snippet && *hit->snippet) {
        html_raw(h, "<p class=\"snippet\">");
        html_marked(h, hit->snippet);
        html_raw(h, "</p>");
    }
    html_raw(h, "<p class=\"where\">");
    if (html_is_web_url(hit->url)) {
        html_raw(h, "<a rel=\"noreferrer noopener\" href=\"");
        html_text(h, hit->url);
        html_raw(h, "\">");
        html_text(h, hit->url);
        html_raw(h, "</a>");
    } else {
        html_raw(h, "<code>");
        html_text(h, hit->path);
        if (hit->line)
            html_rawf(h, ":%lu", hit->line);
        html_raw(h, "</code>");
    }
    html_raw(h, "</p></li>\n");
}

/* A facet list: each value a link replacing KEY's filter. */
static void
facet(html_t *h, const req_t *q, const char *title, const char *key,
      const out_counts_t *c, size_t max)
{
    const char *const drop[] = { key, "offset", NULL };
    if (!c || !c->n)
        return;
    html_rawf(h, "<section class=\"facet\"><h3>%s</h3><ul>", title);
    for (size_t i = 0; i < c->n && i < max; i++) {
        html_raw(h, "<li><a href=\"");
        search_link(h, q, drop, key, c->v[i].value, NULL, NULL, 0);
        html_raw(h, "\"><span class=\"v\">");
        html_text(h, c->v[i].value);
        html_rawf(h, "</span><span class=\"n\">%u</span></a></li>",
                  c->v[i].count);
    }
    html_raw(h, "</ul></section>");
}

/* The first and last day of the period LABEL ("2025", "2025-08",
 * "2025-W32", "2025-08-04") for --since/--until; false if unknown. */
static bool
period_range(const char *label, char *since, char *until, size_t len)
{
    int y, w;
    char tail;
    if (sscanf(label, "%4d-W%2d%c", &y, &w, &tail) == 2) {
        struct tm tm = { .tm_year = y - 1900, .tm_mon = 0, .tm_mday = 4 };
        time_t jan4 = timegm(&tm);
        struct tm g;
        gmtime_r(&jan4, &g);
        int wd = (g.tm_wday + 6) % 7;            /* Monday 0 */
        time_t mon = jan4 - (time_t)wd * 86400 + (time_t)(w - 1) * 7 * 86400;
        time_t sun = mon + 6 * 86400;
        gmtime_r(&mon, &g);
        strftime(since, len, "%Y-%m-%d", &g);
        gmtime_r(&sun, &g);
        strftime(until, len, "%Y-%m-%d", &g);
        return true;
    }
    if (strlen(label) >= len)
        return false;
    snprintf(since, len, "%s", label);
    snprintf(until, len, "%s", label);
    return true;
}

/* The histogram as the SVG chart of dossier-search --chart (chart.h),
 * inline, each period's bar a link narrowing the search to it.  The
 * chart escapes every string it draws; the links are added here around
 * each <g class="period">, whose <title> starts with the period's label.
 * The chart carries presentation attributes only, no style element, so
 * the Content-Security-Policy lets it be. */
static void
histogram(html_t *h, const req_t *q, const out_summary_t *s)
{
    static const char *const drop[] = { "since", "until", "offset", NULL };
    static const char open_tag[] = "<g class=\"period\"><title>";
    const out_counts_t *c = s->histogram;
    if (!c || !c->n)
        return;
    const char **labels = calloc(c->n, sizeof *labels);
    unsigned *counts = calloc(c->n, sizeof *counts);
    unsigned long dated = 0;
    for (size_t i = 0; labels && counts && i < c->n; i++) {
        labels[i] = c->v[i].value;
        counts[i] = c->v[i].count;
        dated += c->v[i].count;
    }
    char sub[128], th[32];
    snprintf(sub, sizeof sub, "%s match%s per %s",
             out_thousands(dated, th, sizeof th), dated == 1 ? "" : "es",
             s->histogram_unit);
    chart_series_t series = { NULL, counts, false };
    chart_spec_t spec = { .subtitle = sub, .labels = labels,
                          .n_periods = c->n, .series = &series,
                          .n_series = 1, .width = 760, .height = 230,
                          .fragment = true };
    sbuf_t svg = SBUF_INIT;
    if (!labels || !counts || chart_svg(&spec, &svg, NULL) < 0) {
        h->failed = true;
        goto out;
    }
    html_raw(h, "<figure class=\"chart\">");
    const char *p = svg.p;
    for (;;) {
        const char *g = strstr(p, open_tag);
        if (!g) {
            html_raw(h, p);
            break;
        }
        /* The group ends at its own </g> (groups may nest). */
        const char *e = g + sizeof open_tag - 1;
        int depth = 1;
        while (depth > 0 && *e) {
            if (strncmp(e, "<g", 2) == 0 && (e[2] == ' ' || e[2] == '>'))
                depth++;
            else if (strncmp(e, "</g>", 4) == 0 && --depth == 0)
                break;
            e++;
        }
        if (!*e) {
            html_raw(h, p);
            break;
        }
        e += 4;
        char label[PERIOD_LABEL_MAX], since[32], until[32];
        const char *t = g + sizeof open_tag - 1;
        size_t ll = strcspn(t, ":<");
        html_raw_len(h, p, (size_t)(g - p));
        if (ll < sizeof label) {
            memcpy(label, t, ll);
            label[ll] = '\0';
        }
        bool link = ll < sizeof label &&
                    period_range(label, since, until, sizeof since);
        if (link) {
            html_raw(h, "<a href=\"");
            search_link(h, q, drop, "since", since, "until", until, 0);
            html_raw(h, "\">");
        }
        html_raw_len(h, g, (size_t)(e - g));
        if (link)
            html_raw(h, "</a>");
        p = e;
    }
    html_raw(h, "</figure>");
out:
    sbuf_release(&svg);
    free(labels);
    free(counts);
}

static void
hp_end(printer_t *p, const out_summary_t *s)
{
    html_printer_t *hp = p->priv;
    const req_t *q = hp->q;
    html_t *t = &hp->top;
    char a[32], b[32];

    html_raw(t, "<p class=\"summary\">");
    if (s->shown)
        html_rawf(t, "Results %u&ndash;%u of %s%s", s->offset + 1,
                  s->offset + s->shown, s->total_exact ? "" : "about ",
                  out_thousands(s->total, a, sizeof a));
    else if (s->total)
        html_rawf(t, "%s results, none shown from %u",
                  out_thousands(s->total, a, sizeof a), s->offset + 1);
    else
        html_raw(t, "No results");
    if (s->total_exact && s->total_all > s->total)
        html_rawf(t, " (%s with duplicates)",
                  out_thousands(s->total_all, b, sizeof b));
    html_rawf(t, " in %.1f ms</p>", s->elapsed_ms);
    if (s->suggestion) {
        static const char *const drop[] = { "q", "offset", NULL };
        html_raw(t, "<p class=\"suggest\">Did you mean <a href=\"");
        search_link(t, q, drop, "q", s->suggestion, NULL, NULL, 0);
        html_raw(t, "\">");
        html_text(t, s->suggestion);
        html_raw(t, "</a>?</p>");
    }

    histogram(t, q, s);
    html_t *sd = &hp->side;
    facet(sd, q, "Authors", "author", s->authors, 15);
    if (s->months && s->months->n) {
        /* Months narrow through since/until: one period, newest first. */
        static const char *const drop[] = { "since", "until", "offset",
                                            NULL };
        html_raw(sd, "<section class=\"facet\"><h3>Months</h3><ul>");
        for (size_t i = s->months->n; i-- > 0 && s->months->n - i <= 24;) {
            html_raw(sd, "<li><a href=\"");
            search_link(sd, q, drop, "since", s->months->v[i].value,
                        "until", s->months->v[i].value, 0);
            html_raw(sd, "\"><span class=\"v\">");
            html_text(sd, s->months->v[i].value);
            html_rawf(sd, "</span><span class=\"n\">%u</span></a></li>",
                      s->months->v[i].count);
        }
        html_raw(sd, "</ul></section>");
    }
    facet(sd, q, "Languages", "lang", s->langs, 10);

    html_t *pg = &hp->pager;
    unsigned per = q->limit ? q->limit : PAGE_HITS;
    static const char *const drop[] = { "offset", NULL };
    if (s->offset > 0) {
        html_raw(pg, "<a rel=\"prev\" href=\"");
        search_link(pg, q, drop, NULL, NULL, NULL, NULL,
                    s->offset > per ? s->offset - per : 0);
        html_raw(pg, "\">&larr; Previous</a>");
    }
    if (s->offset + s->shown < s->total) {
        html_raw(pg, "<a rel=\"next\" href=\"");
        search_link(pg, q, drop, NULL, NULL, NULL, NULL, s->offset + per);
        html_raw(pg, "\">Next &rarr;</a>");
    }
}

void
pages_search(const serve_t *sv, const params_t *p, response_t *r)
{
    req_t q;
    char err[1024] = "";
    bool remote = false;

    if (req_parse(&q, sv, p, err, sizeof err) < 0) {
        req_release(&q);
        pages_error(r, 400, err, false);
        return;
    }
    q.facets = true;
    if (!q.histogram) {
        q.histogram = "auto";
        period_unit_parse(q.histogram, &q.hist_unit);
    }
    if (q.limit == 0)
        q.limit = PAGE_HITS;
    xsh_db_t *db = dbpool_get(sv->pool, &remote, err, sizeof err);
    if (!db) {
        req_release(&q);
        pages_error(r, 503, err, false);
        return;
    }
    html_printer_t hp = { .q = &q, .db = db };
    html_init(&hp.hits);
    html_init(&hp.side);
    html_init(&hp.top);
    html_init(&hp.pager);
    printer_t pr = { .hit = hp_hit, .end = hp_end, .priv = &hp };
    query_spec_t spec = req_spec(&q, remote);
    int rc = search_run(db, sv->cfg, &spec, q.offset, q.limit, q.hist_unit,
                        &pr, NULL, search_now_ms(), err, sizeof err);
    dbpool_put(sv->pool, db);

    if (rc < 0) {
        pages_error(r, rc == SEARCH_BAD_QUERY ? 400 : 500, err, false);
    } else {
        html_t h;
        html_init(&h);
        pages_page_open(&h, *q.q ? q.q : "Search", &q);
        html_raw(&h, "<div class=\"page\"><main id=\"results\">");
        html_raw(&h, hp.top.b.p);
        html_rawf(&h, "<ol class=\"hits\" start=\"%u\">", q.offset + 1);
        html_raw(&h, hp.hits.b.p);
        html_raw(&h, "</ol><nav class=\"pager\" aria-label=\"Pages\">");
        html_raw(&h, hp.pager.b.p);
        html_raw(&h, "</nav></main><aside aria-label=\"Narrow\">");
        html_raw(&h, hp.side.b.p);
        html_raw(&h, "</aside></div>");
        pages_page_close(&h);
        if (hp.hits.failed || hp.side.failed || hp.top.failed ||
            hp.pager.failed)
            h.failed = true;
        size_t len = 0;
        char *body = html_detach(&h, &len);
        if (body)
            pages_respond(r, 200, TYPE_HTML, body, len);
        else
            pages_error(r, 500, "out of memory", false);
    }
    html_release(&hp.hits);
    html_release(&hp.side);
    html_release(&hp.top);
    html_release(&hp.pager);
    req_release(&q);
}

/* ------------------------------------------------------------------ */
/* The JSON API                                                        */

void
pages_api_search(const serve_t *sv, const params_t *p, response_t *r)
{
    req_t q;
    char err[1024] = "";
    bool remote = false;
    char *buf = NULL;
    size_t len = 0;

    if (req_parse(&q, sv, p, err, sizeof err) < 0) {
        req_release(&q);
        pages_error(r, 400, err, true);
        return;
    }
    xsh_db_t *db = dbpool_get(sv->pool, &remote, err, sizeof err);
    if (!db) {
        req_release(&q);
        pages_error(r, 503, err, true);
        return;
    }
    double t0 = search_now_ms();
    FILE *f = open_memstream(&buf, &len);
    printer_t *pr = f ? printer_new(OUT_JSON, f, false, 80) : NULL;
    int rc = SEARCH_FAILED;
    if (pr) {
        query_spec_t spec = req_spec(&q, remote);
        rc = search_run(db, sv->cfg, &spec, q.offset, q.limit, q.hist_unit,
                        pr, NULL, t0, err, sizeof err);
        pr->free(pr);
    } else {
        snprintf(err, sizeof err, "out of memory");
    }
    dbpool_put(sv->pool, db);
    req_release(&q);
    if (f)
        fclose(f);
    if (rc < 0) {
        free(buf);
        pages_error(r, rc == SEARCH_BAD_QUERY ? 400 : 500, err, true);
        return;
    }
    pages_respond(r, 200, TYPE_JSON, buf, len);
}

/* ------------------------------------------------------------------ */
/* The style sheet                                                     */

/* Compiled in: no asset is ever read from disk by a request's path. */
static const char style_css[] =
    ":root{--fg:#1d2330;--muted:#5b6475;--line:#dde2ea;--bg:#f6f7f9;"
    "--card:#fff;--accent:#1f5fbf;--mark:#ffe48a;--bar:#7aa5e6}\n"
    "*{box-sizing:border-box}\n"
    "html{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,"
    "'Noto Sans',sans-serif;color:var(--fg);background:var(--bg)}\n"
    "body{margin:0}\n"
    "a{color:var(--accent)}\n"
    "a:focus-visible,button:focus-visible,input:focus-visible,"
    "select:focus-visible,summary:focus-visible{outline:3px solid #f2a900;"
    "outline-offset:2px}\n"
    ".skip{position:absolute;left:-999px}\n"
    ".skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;"
    "z-index:2}\n"
    "header{background:#17325c;color:#fff;padding:12px 16px;display:flex;"
    "flex-wrap:wrap;gap:8px 16px;align-items:flex-start}\n"
    ".brand{color:#fff;font-weight:700;font-size:1.3rem;"
    "text-decoration:none;letter-spacing:.02em;padding-top:4px}\n"
    "form.search{flex:1;min-width:260px;max-width:860px}\n"
    ".box{display:flex;gap:6px}\n"
    ".box input{flex:1;min-width:0;font:inherit;padding:8px 10px;"
    "border:1px solid #9fb3d1;border-radius:6px}\n"
    "button{font:inherit;padding:8px 16px;border:0;border-radius:6px;"
    "background:#f2a900;color:#17325c;font-weight:600;cursor:pointer}\n"
    ".filters{margin-top:6px;color:#dfe7f3}\n"
    ".filters summary{cursor:pointer;font-size:.9rem}\n"
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,"
    "minmax(150px,1fr));gap:6px 10px;margin-top:6px}\n"
    ".grid label{display:flex;flex-direction:column;font-size:.8rem}\n"
    ".grid input,.grid select{font:inherit;font-size:.9rem;padding:5px 7px;"
    "border:1px solid #9fb3d1;border-radius:5px}\n"
    ".page{display:grid;grid-template-columns:minmax(0,1fr) 300px;"
    "gap:24px;max-width:1180px;margin:0 auto;padding:16px}\n"
    "main{min-width:0}\n"
    ".summary{color:var(--muted);margin:4px 0 12px}\n"
    ".suggest{margin:0 0 12px}\n"
    "ol.hits{list-style:none;padding:0;margin:0}\n"
    ".hit{background:var(--card);border:1px solid var(--line);"
    "border-radius:8px;padding:12px 16px;margin-bottom:12px;"
    "overflow-wrap:anywhere}\n"
    ".hit h2{font-size:1.1rem;margin:0 0 2px}\n"
    ".hit h2 a{text-decoration:none}\n"
    ".hit h2 a:hover{text-decoration:underline}\n"
    ".meta{color:var(--muted);font-size:.88rem;margin:0 0 6px}\n"
    ".meta a{color:inherit}\n"
    ".snippet{margin:0 0 6px}\n"
    "mark{background:var(--mark);color:inherit;border-radius:2px;"
    "padding:0 1px}\n"
    ".where{margin:0;font-size:.82rem;color:var(--muted)}\n"
    ".where code{overflow-wrap:anywhere}\n"
    ".pager{display:flex;justify-content:space-between;margin:8px 0 24px}\n"
    ".pager a{padding:6px 12px;background:var(--card);"
    "border:1px solid var(--line);border-radius:6px;text-decoration:none}\n"
    "aside section{background:var(--card);border:1px solid var(--line);"
    "border-radius:8px;padding:10px 14px;margin-bottom:12px}\n"
    "aside h3{font-size:.85rem;text-transform:uppercase;"
    "letter-spacing:.05em;color:var(--muted);margin:0 0 6px}\n"
    ".facet ul{list-style:none;padding:0;margin:0}\n"
    ".facet a{display:flex;justify-content:space-between;gap:8px;"
    "padding:2px 4px;border-radius:4px;text-decoration:none;color:var(--fg)}\n"
    ".facet a:hover,.facet a:focus{background:#eef3fb}\n"
    ".facet .v{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}\n"
    ".facet .n{color:var(--muted);font-variant-numeric:tabular-nums}\n"
    ".chart{margin:0 0 14px;background:var(--card);"
    "border:1px solid var(--line);border-radius:8px;padding:4px;"
    "overflow:hidden}\n"
    ".chart svg{display:block;width:100%;height:auto}\n"
    ".chart a:hover rect.bar,.chart a:focus rect.bar{fill:var(--accent)}\n"
    ".chart a:focus{outline:none}\n"
    ".doc{max-width:760px;margin:0 auto;padding:16px;"
    "overflow-wrap:anywhere}\n"
    ".doc h1{font-size:1.6rem;line-height:1.25;margin:8px 0 12px}\n"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;"
    "gap:2px 12px;background:var(--card);border:1px solid var(--line);"
    "border-radius:8px;padding:10px 14px}\n"
    "dl.meta dt{font-weight:600;color:var(--fg)}\n"
    "dl.meta dd{margin:0}\n"
    ".text{background:var(--card);border:1px solid var(--line);"
    "border-radius:8px;padding:4px 20px;margin-top:12px;"
    "font-size:1.05rem;line-height:1.65}\n"
    ".error{max-width:760px;margin:24px auto;padding:0 16px}\n"
    "footer{text-align:center;color:var(--muted);font-size:.8rem;"
    "padding:16px}\n"
    "@media (max-width:760px){.page{grid-template-columns:1fr;padding:10px}"
    "header{padding:10px}.brand{width:100%}"
    ".hit{padding:10px 12px}}\n";

void
pages_style(response_t *r)
{
    r->status = 200;
    r->type = "text/css; charset=utf-8";
    r->body = (char *)style_css;
    r->len = sizeof style_css - 1;
    r->is_static = true;
}
