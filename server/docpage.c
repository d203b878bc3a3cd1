/* docpage.c - the document page of dossier-serve
 *
 * Split from pages.c (issue 11), moved, not changed: one document's
 * title, metadata and text, the query's terms highlighted.  The page
 * frame and the request's parsing are pages.c's (pages_int.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "server/pages.h"
#include "server/pages_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config/schema.h"
#include "searcher/output.h"
#include "searcher/query.h"
#include "server/html.h"

/* ------------------------------------------------------------------ */
/* A document                                                          */

static const char *
jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static void
meta_row(html_t *h, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    html_rawf(h, "<dt>%s</dt><dd>", name);
    html_text(h, value);
    html_raw(h, "</dd>");
}

/* The document a request names: KEY, its unique id term without the
 * prefix (what the search page links to; a rebuild keeps it), with DB
 * (SHARD), the database that held it when several are searched as one,
 * or ID, a docid (still answered, but a --full rebuild renumbers
 * documents, so an old number may show another one). */
typedef struct doc_ref {
    const char *key;
    unsigned id, shard;
} doc_ref_t;

/* D from the request's parameters, checked before any database is
 * touched.  False with a 400 in R when they name no document. */
static bool
doc_ref(const serve_t *sv, const params_t *p, doc_ref_t *d, response_t *r)
{
    const char *ids = params_get(p, "id"), *dbs = params_get(p, "db");
    char err[1024] = "";

    *d = (doc_ref_t){ .key = params_get(p, "key") };
    if (!d->key) {
        if (!ids) {
            pages_error(r, 400, "key: no document named", false);
            return false;
        }
        if (pages_parse_uint("id", ids, &d->id, err, sizeof err) < 0 ||
            !d->id) {
            pages_error(r, 400, "id: invalid document number", false);
            return false;
        }
        return true;
    }
    if (!*d->key || strlen(d->key) > sv->max_query) {
        pages_error(r, 400, "key: invalid document key", false);
        return false;
    }
    if (dbs && (pages_parse_uint("db", dbs, &d->shard, err, sizeof err) < 0
                || !d->shard)) {
        pages_error(r, 400, "db: invalid database number", false);
        return false;
    }
    return true;
}

/* The docid of D in DB; 0 and a response in R when there is none. */
static xsh_docid_t
doc_find(xsh_db_t *db, const doc_ref_t *d, response_t *r)
{
    xsh_docid_t id = 0;

    if (!d->key)
        return d->id;
    char *term = malloc(strlen(d->key) + sizeof SCHEMA_PREFIX_ID);
    if (!term) {
        pages_error(r, 500, "out of memory", false);
        return 0;
    }
    strcpy(term, SCHEMA_PREFIX_ID);
    strcat(term, d->key);
    xsh_status_t st = xsh_db_term_doc(db, term, d->shard ? d->shard - 1 : 0,
                                      &id);
    free(term);
    if (st == XSH_NOT_FOUND)
        pages_error(r, 404, "no such document (it may have been removed "
                    "since the link was made)", false);
    else if (st != XSH_OK)
        pages_error(r, 500, xsh_db_errmsg(db), false);
    return st == XSH_OK ? id : 0;
}

void
pages_doc(const serve_t *sv, const params_t *p, response_t *r)
{
    const char *qs = params_get(p, "q");
    char err[1024] = "";
    bool remote = false;

    if (qs && strlen(qs) > sv->max_query) {
        snprintf(err, sizeof err, "q: too long (at most %u bytes)",
                 sv->max_query);
        pages_error(r, 400, err, false);
        return;
    }
    doc_ref_t d;
    if (!doc_ref(sv, p, &d, r))
        return;
    xsh_db_t *db = dbpool_get(sv->pool, &remote, err, sizeof err);
    if (!db) {
        pages_error(r, 503, err, false);
        return;
    }
    xsh_docid_t id = doc_find(db, &d, r);
    if (!id) {
        dbpool_put(sv->pool, db);
        return;
    }
    char *data = NULL;
    size_t dlen = 0;
    xsh_status_t st = xsh_db_get_data(db, id, &data, &dlen);
    if (st != XSH_OK) {
        bool missing = st == XSH_NOT_FOUND;
        snprintf(err, sizeof err, "%s", missing ? "no such document" :
                 xsh_db_errmsg(db));
        dbpool_put(sv->pool, db);
        pages_error(r, missing ? 404 : 500, err, false);
        return;
    }
    size_t jlen, blen;
    const char *body;
    json_error_t jerr;
    schema_data_split(data, dlen, &jlen, &body, &blen);
    json_t *meta = json_loadb(data, jlen, 0, &jerr);

    /* The query's terms highlighted over the whole text: a snippet as
     * long as the text, from a search for the query. */
    char *marked = NULL;
    if (qs && *qs && blen) {
        query_t q;
        query_spec_t spec = { .query = qs, .any = sv->cfg->any,
                              .remote = remote };
        xsh_results_t *res = NULL;
        if (query_build(&q, db, sv->cfg, &spec, err, sizeof err) == 0) {
            if (query_run(&q, 0, 1, &res, NULL) == XSH_OK)
                xsh_results_snippet(res, body, blen, blen + 1,
                                    OUT_HI_START, OUT_HI_END, "", &marked);
            xsh_results_free(res);
            query_release(&q);
        }
    }
    dbpool_put(sv->pool, db);

    const char *title = jstr(meta, "title");
    html_t h;
    html_init(&h);
    req_t q = { .q = qs ? qs : "" };
    pages_page_open(&h, title && *title ? title : "(untitled)", &q);
    html_raw(&h, "<main class=\"doc\" id=\"results\"><p class=\"back\">"
             "<a href=\"/");
    if (qs && *qs) {
        html_raw(&h, "?q=");
        html_url_part(&h, qs);
    }
    html_raw(&h, "\">&larr; Back to the results</a></p><h1>");
    html_text(&h, title && *title ? title : "(untitled)");
    html_raw(&h, "</h1><dl class=\"meta\">");
    json_t *ja = json_object_get(meta, "authors");
    if (json_is_array(ja) && json_array_size(ja)) {
        html_raw(&h, "<dt>Authors</dt><dd>");
        for (size_t i = 0; i < json_array_size(ja); i++) {
            const char *a = json_string_value(json_array_get(ja, i));
            if (!a)
                continue;
            html_raw(&h, i ? ", <a href=\"/?author=" : "<a href=\"/?author=");
            html_url_part(&h, a);
            html_raw(&h, "\">");
            html_text(&h, a);
            html_raw(&h, "</a>");
        }
        html_raw(&h, "</dd>");
    }
    meta_row(&h, "Date", jstr(meta, "date"));
    meta_row(&h, "Source", jstr(meta, "source"));
    meta_row(&h, "Language", jstr(meta, "lang"));
    const char *url = jstr(meta, "url");
    if (html_is_web_url(url)) {
        html_raw(&h, "<dt>Original</dt><dd><a rel=\"noreferrer noopener\" "
                 "href=\"");
        html_text(&h, url);
        html_raw(&h, "\">");
        html_text(&h, url);
        html_raw(&h, "</a></dd>");
    } else {
        meta_row(&h, "Url", url);
    }
    html_raw(&h, "<dt>File</dt><dd><code>");
    html_text(&h, jstr(meta, "path"));
    json_t *jl = json_object_get(meta, "line");
    if (json_is_integer(jl) && json_integer_value(jl) > 0)
        html_rawf(&h, ":%lld", (long long)json_integer_value(jl));
    html_raw(&h, "</code></dd></dl><article class=\"text\">");
    /* Paragraphs at blank lines; out_sanitize() makes other newlines
     * spaces. */
    char *text = marked ? marked : strndup(body, blen);
    if (text) {
        char *s = text;
        for (;;) {
            char *e = strstr(s, "\n\n");
            if (e)
                *e = '\0';
            if (*s) {
                html_raw(&h, "<p>");
                html_marked(&h, s);
                html_raw(&h, "</p>\n");
            }
            if (!e)
                break;
            s = e + 2;
        }
    }
    html_raw(&h, "</article></main>");
    pages_page_close(&h);
    free(text);
    json_decref(meta);
    free(data);
    size_t len = 0;
    char *page = html_detach(&h, &len);
    if (page)
        pages_respond(r, 200, TYPE_HTML, page, len);
    else
        pages_error(r, 500, "out of memory", false);
}
