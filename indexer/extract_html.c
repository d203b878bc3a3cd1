/* extract_html.c - HTML pages through libxml2's forgiving HTML parser
 *
 * Metadata comes from the page's own declarations (Open Graph and article
 * meta tags, <title>, rel=canonical, rel=author, <time datetime>, <html
 * lang>); the body from <article> or <main> when the page has one, else
 * <body>, leaving out scripts, navigation, headers, footers, forms and
 * hidden elements.  The tree is walked without recursion, so nesting depth
 * cannot exhaust the stack.  The parser is initialised once and never
 * cleaned up, so extractors may run in several threads.  Never prints or
 * exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "indexer/extract_int.h"

#define BYLINE_MAX 80           /* bytes of a class="byline" author */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void
init_parser(void)
{
    xmlInitParser();
}

/* ---------------------------------------------------------------- tree */

static bool
name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name != NULL
        && strcasecmp((const char *)n->name, name) == 0;
}

/* The attribute's value, borrowed from the tree (no entity nodes in HTML
 * attributes), or NULL. */
static const char *
attr(const xmlNode *n, const char *name)
{
    const xmlAttr *a;

    for (a = n->properties; a != NULL; a = a->next)
        if (a->name && strcasecmp((const char *)a->name, name) == 0) {
            if (a->children && a->children->type == XML_TEXT_NODE
                && a->children->content)
                return (const char *)a->children->content;
            return "";
        }
    return NULL;
}

/* Whether the space-separated list VALUE contains WORD (any case). */
static bool
has_token(const char *value, const char *word)
{
    size_t n = strlen(word), k;

    while (value && *value) {
        while (*value && isspace((unsigned char)*value))
            value++;
        k = 0;
        while (value[k] && !isspace((unsigned char)value[k]))
            k++;
        if (k == n && strncasecmp(value, word, n) == 0)
            return 1;
        value += k;
    }
    return 0;
}

/* Depth-first successor of N within ROOT; with SKIP, N's children are not
 * visited. */
static xmlNode *
next_node(xmlNode *n, const xmlNode *root, int skip)
{
    if (!skip && n->children)
        return n->children;
    while (n != NULL && n != root) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}

static const char *const skipped[] = {
    "script", "style", "noscript", "template", "nav", "header", "footer",
    "aside", "form", "svg", "iframe", "head", "button", "select", "object",
};

static bool
is_skipped(const xmlNode *n)
{
    size_t i;
    const char *v;

    if (n->type != XML_ELEMENT_NODE)
        return n->type != XML_TEXT_NODE && n->type != XML_CDATA_SECTION_NODE;
    for (i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++)
        if (name_is(n, skipped[i]))
            return 1;
    if (attr(n, "hidden") != NULL)
        return 1;
    v = attr(n, "aria-hidden");
    if (v && strcasecmp(v, "true") == 0)
        return 1;
    return 0;
}

static const char *const blocks[] = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr",
    "blockquote", "section", "article", "pre", "td", "th", "ul", "ol",
    "dl", "dt", "dd", "table", "main", "figure", "figcaption", "hr",
    "body", "address", "details", "summary", "caption",
};

static bool
is_block(const xmlNode *n)
{
    size_t i;

    for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
        if (name_is(n, blocks[i]))
            return 1;
    return 0;
}

/* ---------------------------------------------------------------- meta */

typedef struct meta {
    xmlNode *article, *main, *body;
    const char *og_title, *og_url, *canonical, *site_name, *lang;
    xmlNode *title_el, *h1, *time_el, *byline_el;
    const char *date;
    int date_rank;              /* 3 published_time, 2 name=date, 1 time */
    int date_line;
} meta_t;

static int
text_of(const xmlNode *n, char **dst)
{
    xmlChar *c = xmlNodeGetContent(n);
    int rc;

    if (c == NULL)
        return 0;
    rc = article_set_field(dst, (const char *)c, strlen((const char *)c));
    xmlFree(c);
    return rc;
}

static bool
looks_like_url(const char *s)
{
    return strncasecmp(s, "http://", 7) == 0
        || strncasecmp(s, "https://", 8) == 0;
}

static void
set_date(meta_t *m, const char *v, int rank, const xmlNode *n)
{
    if (v == NULL || *v == '\0' || (m->date && m->date_rank >= rank))
        return;
    m->date = v;
    m->date_rank = rank;
    m->date_line = (int)xmlGetLineNo(n);
}

static int
meta_tag(meta_t *m, article_t *a, const xmlNode *n)
{
    const char *name = attr(n, "name");
    const char *prop = attr(n, "property");
    const char *content = attr(n, "content");
    const char *key = prop && *prop ? prop : name;

    if (key == NULL || content == NULL)
        return 0;
    if (strcasecmp(key, "og:title") == 0) {
        if (!m->og_title)
            m->og_title = content;
    } else if (strcasecmp(key, "og:url") == 0) {
        if (!m->og_url)
            m->og_url = content;
    } else if (strcasecmp(key, "og:site_name") == 0) {
        if (!m->site_name)
            m->site_name = content;
    } else if (strcasecmp(key, "article:published_time") == 0) {
        set_date(m, content, 3, n);
    } else if (strcasecmp(key, "date") == 0
               || strcasecmp(key, "pubdate") == 0
               || strcasecmp(key, "dc.date") == 0
               || strcasecmp(key, "dcterms.date") == 0) {
        set_date(m, content, 2, n);
    } else if (strcasecmp(key, "article:tag") == 0) {
        return article_add_tag(a, content, strlen(content));
    } else if (strcasecmp(key, "keywords") == 0) {
        return article_add_tags_csv(a, content, strlen(content));
    } else if (strcasecmp(key, "author") == 0
               || strcasecmp(key, "article:author") == 0) {
        /* article:author is often a profile URL, which names nobody. */
        if (!looks_like_url(content))
            return article_add_author(a, content, strlen(content));
    }
    /* A second, non-Open-Graph key (name= next to property=). */
    if (name && prop && *prop && strcasecmp(name, "author") == 0
        && !looks_like_url(content))
        return article_add_author(a, content, strlen(content));
    return 0;
}

static bool
has_class_word(const xmlNode *n)
{
    const char *c = attr(n, "class");

    return c != NULL && (strcasestr(c, "byline") || strcasestr(c, "author"));
}

/* One pass over the whole document for metadata and the body's root. */
static int
collect(xmlNode *root, meta_t *m, article_t *a, int *n_rel_authors)
{
    xmlNode *n = root;
    const char *v;
    int skip;

    while (n != NULL) {
        skip = 0;
        if (n->type == XML_ELEMENT_NODE) {
            if (name_is(n, "html")) {
                if (!m->lang && (v = attr(n, "lang")) && *v)
                    m->lang = v;
            } else if (name_is(n, "meta")) {
                if (meta_tag(m, a, n) < 0)
                    return -1;
            } else if (name_is(n, "link")) {
                v = attr(n, "rel");
                if (!m->canonical && has_token(v, "canonical"))
                    m->canonical = attr(n, "href");
            } else if (name_is(n, "title")) {
                if (!m->title_el)
                    m->title_el = n;
            } else if (name_is(n, "script") || name_is(n, "style")
                       || name_is(n, "template")) {
                skip = 1;
            } else if (name_is(n, "body")) {
                if (!m->body)
                    m->body = n;
            } else if (name_is(n, "article")) {
                if (!m->article)
                    m->article = n;
            } else if (name_is(n, "main")) {
                if (!m->main)
                    m->main = n;
            } else if (name_is(n, "h1")) {
                if (!m->h1)
                    m->h1 = n;
            } else if (name_is(n, "time")) {
                if (!m->time_el && attr(n, "datetime"))
                    m->time_el = n;
            } else if (name_is(n, "a")) {
                if (has_token(attr(n, "rel"), "author")) {
                    char *t = NULL;

                    if (text_of(n, &t) < 0)
                        return -1;
                    if (t && article_add_author(a, t, strlen(t)) < 0) {
                        free(t);
                        return -1;
                    }
                    if (t)
                        ++*n_rel_authors;
                    free(t);
                }
            }
            if (!m->byline_el && !skip && has_class_word(n))
                m->byline_el = n;
        }
        n = next_node(n, NULL, skip);
    }
    return 0;
}

/* "By Jane Doe" in a byline element, as a last resort. */
static int
byline_author(article_t *a, const xmlNode *n)
{
    char *t = NULL;
    const char *s;
    int rc = 0;

    if (text_of(n, &t) < 0)
        return -1;
    if (t == NULL)
        return 0;
    s = t;
    if (strncasecmp(s, "by ", 3) == 0)
        s += 3;
    if (*s && strlen(s) <= BYLINE_MAX)
        rc = article_add_author(a, s, strlen(s));
    free(t);
    return rc;
}

/* ---------------------------------------------------------------- body */

static int
walk_body(xmlNode *root, sbuf_t *b)
{
    xmlNode *n = root, *up;
    int skip;

    while (n != NULL) {
        skip = n != root && is_skipped(n);
        if (!skip) {
            if ((n->type == XML_TEXT_NODE
                 || n->type == XML_CDATA_SECTION_NODE) && n->content) {
                if (article_text_add(b, (const char *)n->content,
                                     strlen((const char *)n->content)) < 0)
                    return -1;
            } else if (is_block(n) && article_para_break(b) < 0) {
                return -1;
            }
        }
        /* Leaving block elements ends their paragraph too. */
        if ((skip || n->children == NULL) && n != root) {
            up = n;
            while (up != root && up->next == NULL) {
                up = up->parent;
                if (up == NULL)
                    break;
                if (is_block(up) && article_para_break(b) < 0)
                    return -1;
            }
        }
        n = next_node(n, root, skip);
    }
    return 0;
}

static bool
body_has_text(const sbuf_t *b)
{
    return b->len > 0;
}

/* ---------------------------------------------------------------- entry */

int
extract_html(const char *buf, size_t len, const config_t *cfg,
             extract_result_t *out)
{
    htmlDocPtr doc;
    xmlNode *root;
    article_t *a;
    meta_t m;
    int n_rel = 0, rc = -1;

    (void)cfg;
    if (len > INT_MAX) {
        out->error = strdup("file too large for the HTML parser");
        return -1;
    }
    pthread_once(&init_once, init_parser);
    if ((a = extract_result_push(out)) == NULL)
        return -1;
    if (len == 0)
        return 0;
    doc = htmlReadMemory(buf, (int)len, NULL, "UTF-8",
                         HTML_PARSE_RECOVER | HTML_PARSE_NOERROR
                         | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    if (doc == NULL) {
        out->error = strdup("unparsable HTML");
        return -1;
    }
    root = xmlDocGetRootElement(doc);
    if (root == NULL) {
        rc = 0;
        goto done;
    }

    memset(&m, 0, sizeof(m));
    if (collect(root, &m, a, &n_rel) < 0)
        goto done;

    if (m.og_title && *m.og_title) {
        if (article_set_field(&a->title, m.og_title, strlen(m.og_title)) < 0)
            goto done;
    }
    if (!a->title && m.title_el && text_of(m.title_el, &a->title) < 0)
        goto done;
    if (!a->title && m.h1 && text_of(m.h1, &a->title) < 0)
        goto done;

    if (m.time_el)
        set_date(&m, attr(m.time_el, "datetime"), 1, m.time_el);
    if (m.date) {
        if (article_set_field(&a->date, m.date, strlen(m.date)) < 0)
            goto done;
        if (a->date)
            a->date_line = m.date_line;
    }
    if (a->authors.n == 0 && m.byline_el
        && byline_author(a, m.byline_el) < 0)
        goto done;
    if (m.canonical && *m.canonical) {
        if (article_set_field(&a->url, m.canonical, strlen(m.canonical)) < 0)
            goto done;
    }
    if (!a->url && m.og_url
        && article_set_field(&a->url, m.og_url, strlen(m.og_url)) < 0)
        goto done;
    if (m.site_name
        && article_set_field(&a->source, m.site_name,
                             strlen(m.site_name)) < 0)
        goto done;
    if (m.lang && article_set_field(&a->lang, m.lang, strlen(m.lang)) < 0)
        goto done;

    /* The body: the article or main element when it has text, else the
     * whole body. */
    if (m.article && walk_body(m.article, &a->body) < 0)
        goto done;
    if (!body_has_text(&a->body) && m.main
        && walk_body(m.main, &a->body) < 0)
        goto done;
    if (!body_has_text(&a->body)
        && walk_body(m.body ? m.body : root, &a->body) < 0)
        goto done;
    article_body_finish(&a->body);
    rc = 0;
done:
    xmlFreeDoc(doc);
    return rc;
}

int
extract_html_fragment(const char *html, size_t len, sbuf_t *body)
{
    htmlDocPtr doc;
    xmlNode *root;
    int rc = 0;

    if (len == 0)
        return 0;
    if (len > INT_MAX)
        return -1;
    pthread_once(&init_once, init_parser);
    doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                         HTML_PARSE_RECOVER | HTML_PARSE_NOERROR
                         | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    if (doc == NULL)
        return 0;               /* nothing readable: no text */
    root = xmlDocGetRootElement(doc);
    if (root != NULL)
        rc = walk_body(root, body);
    xmlFreeDoc(doc);
    return rc;
}
