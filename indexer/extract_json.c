/* extract_json.c - JSON and JSON Lines exports of posts
 *
 * A .json file holds one post object, an array of them, or an object with
 * the array under a key such as "posts", "items", "data" or "statuses"; a
 * .jsonl file holds one object per line.  Fields are found through the
 * config's lists of dotted paths (index.json.*), or built-in defaults when
 * the config gives none.  Every article gets an id that stays put when the
 * export is reordered: the post's own id, else a hash of its url or text.
 * Dates are handed over as found, except Twitter's "Wed Aug 27 13:08:45
 * +0000 2008" form and epoch numbers, which only this reader knows how to
 * read.  Never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "indexer/extract_int.h"

#define TITLE_CHARS 80          /* of text, when there is no title */
#define ELLIPSIS "\xe2\x80\xa6"

static const char *const def_text[] = { "text", "content", "full_text",
                                        "body" };
static const char *const def_title[] = { "title" };
static const char *const def_author[] = { "author", "user.name", "username",
                                          "author.name" };
static const char *const def_date[] = { "created_at", "date", "published",
                                        "timestamp" };
static const char *const def_url[] = { "url", "link" };
static const char *const def_id[] = { "id", "id_str", "uuid" };
static const char *const def_source[] = { "source", "source.name",
                                          "subreddit" };
static const char *const def_tags[] = { "tags", "keywords" };
static const char *const def_lang[] = { "lang", "language" };

/* Keys under which an object may hold the array of posts. */
static const char *const list_keys[] = {
    "posts", "items", "data", "statuses", "articles", "entries", "results",
    "tweets", "messages",
};

typedef struct paths {
    const char *const *v;
    size_t n;
} paths_t;

typedef struct mapping {
    paths_t text, title, author, date, url, id, source, tags, lang;
} mapping_t;

static paths_t
pick(const strv_t *cv, const char *const *def, size_t n_def)
{
    paths_t p;

    if (cv != NULL && cv->n > 0) {
        p.v = (const char *const *)cv->v;
        p.n = cv->n;
    } else {
        p.v = def;
        p.n = n_def;
    }
    return p;
}

#define PICK(cfg, field, def) \
    pick((cfg) ? &(cfg)->field : NULL, def, sizeof(def) / sizeof(def[0]))

static void
mapping_init(mapping_t *m, const config_t *cfg)
{
    m->text = PICK(cfg, json_text, def_text);
    m->title = PICK(cfg, json_title, def_title);
    m->author = PICK(cfg, json_author, def_author);
    m->date = PICK(cfg, json_date, def_date);
    m->url = PICK(cfg, json_url, def_url);
    m->id = PICK(cfg, json_id, def_id);
    m->source = PICK(cfg, json_source, def_source);
    m->tags = PICK(cfg, json_tags, def_tags);
    m->lang = PICK(cfg, json_lang, def_lang);
}

/* ---------------------------------------------------------------- paths */

/* Follow the dotted PATH ("user.name") through nested objects. */
static json_t *
lookup(json_t *obj, const char *path)
{
    const char *dot;
    char key[256];
    size_t n;

    while (obj != NULL && json_is_object(obj)) {
        dot = strchr(path, '.');
        if (dot == NULL)
            return json_object_get(obj, path);
        n = (size_t)(dot - path);
        if (n >= sizeof(key))
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        obj = json_object_get(obj, key);
        path = dot + 1;
    }
    return NULL;
}

static bool
is_empty_string(const json_t *v)
{
    const char *s;
    size_t i, n;

    if (!json_is_string(v))
        return 1;
    s = json_string_value(v);
    n = json_string_length(v);
    for (i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return 0;
    return 1;
}

/* The first value on P that is a non-empty string (or, with NUMBERS, an
 * integer or real). */
static json_t *
first_value(json_t *obj, const paths_t *p, int numbers)
{
    json_t *v;
    size_t i;

    for (i = 0; i < p->n; i++) {
        v = lookup(obj, p->v[i]);
        if (v == NULL)
            continue;
        if (json_is_string(v) && !is_empty_string(v))
            return v;
        if (numbers && json_is_number(v))
            return v;
    }
    return NULL;
}

/* ---------------------------------------------------------------- values */

static int
set_string(char **dst, const json_t *v)
{
    return article_set_field(dst, json_string_value(v),
                             json_string_length(v));
}

/* An author value: a string, an object with "name", or a list of them. */
static int
add_author_value(article_t *a, json_t *v, int depth)
{
    size_t i;

    if (json_is_string(v))
        return article_add_author(a, json_string_value(v),
                                  json_string_length(v));
    if (json_is_object(v)) {
        json_t *name = json_object_get(v, "name");

        return json_is_string(name) ? add_author_value(a, name, depth) : 0;
    }
    if (json_is_array(v) && depth == 0)
        for (i = 0; i < json_array_size(v); i++)
            if (add_author_value(a, json_array_get(v, i), 1) < 0)
                return -1;
    return 0;
}

static int
authors(article_t *a, json_t *obj, const paths_t *p)
{
    size_t i;
    json_t *v;

    for (i = 0; i < p->n && a->authors.n == 0; i++) {
        v = lookup(obj, p->v[i]);
        if (v != NULL && add_author_value(a, v, 0) < 0)
            return -1;
    }
    return 0;
}

static const char *const months[] = {
    "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec",
};

int
extract_twitter_date(const char *s, char *out, size_t outlen, char *time,
                     size_t timelen)
{
    char dow[4], mon[4];
    int day, hh, mm, ss, year, n = 0, m;

    if (sscanf(s, "%3s %3s %d %d:%d:%d %*[+-]%*d %d%n", dow, mon, &day, &hh,
               &mm, &ss, &year, &n) != 7 || n == 0)
        return -1;
    while (s[n] && isspace((unsigned char)s[n]))
        n++;
    if (s[n] != '\0')
        return -1;
    for (m = 0; m < 12; m++)
        if (strcasecmp(mon, months[m]) == 0)
            break;
    if (m == 12 || day < 1 || day > 31 || year < 1 || year > 9999)
        return -1;
    snprintf(out, outlen, "%04d-%02d-%02d", year, m + 1, day);
    if (time)
        snprintf(time, timelen, "%04d-%02d-%02dT%02d:%02d:%02d", year, m + 1,
                 day, hh, mm, ss);
    return 0;
}

/* Epoch seconds (or milliseconds, when over 1e11) -> "YYYY-MM-DD" UTC. */
int
extract_epoch_date(double t, char *out, size_t outlen)
{
    struct tm tm;
    time_t tt;

    if (t > 1e11 || t < -1e11)
        t /= 1000.0;
    if (t < -62135596800.0 || t > 253402300799.0)
        return -1;              /* outside years 1..9999 */
    tt = (time_t)t;
    if (gmtime_r(&tt, &tm) == NULL)
        return -1;
    snprintf(out, outlen, "%04d-%02d-%02d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday);
    return 0;
}

static bool
all_digits(const char *s)
{
    size_t n = 0;

    while (s[n] && isdigit((unsigned char)s[n]))
        n++;
    return n >= 9 && s[n] == '\0';
}

static int
set_date(article_t *a, json_t *v, extract_diag_t *w, const char *where)
{
    char iso[32];

    if (json_is_number(v)) {
        if (extract_epoch_date(json_number_value(v), iso, sizeof(iso)) < 0) {
            extract_diag_add(w, "%sdate %.0f out of range", where,
                             json_number_value(v));
            return 0;
        }
        return article_set_field(&a->date, iso, strlen(iso));
    }
    if (extract_twitter_date(json_string_value(v), iso, sizeof(iso), NULL,
                             0) == 0
        || (all_digits(json_string_value(v))
            && extract_epoch_date(strtod(json_string_value(v), NULL), iso,
                          sizeof(iso)) == 0))
        return article_set_field(&a->date, iso, strlen(iso));
    return set_string(&a->date, v);
}

/* A 64-bit FNV-1a hash of S, as 16 hex digits after PREFIX. */
static char *
hash_id(const char *prefix, const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    char buf[40];
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    snprintf(buf, sizeof(buf), "%s%016" PRIx64, prefix, h);
    return strdup(buf);
}

static int
set_id(article_t *a, json_t *obj, const paths_t *p, const char *text,
       size_t text_len, unsigned long line)
{
    json_t *v = first_value(obj, p, 1);
    char buf[64];

    if (v != NULL && json_is_integer(v)) {
        snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
                 json_integer_value(v));
        a->id = strdup(buf);
    } else if (v != NULL && json_is_real(v)) {
        snprintf(buf, sizeof(buf), "%.17g", json_real_value(v));
        a->id = strdup(buf);
    } else if (v != NULL) {
        if (set_string(&a->id, v) < 0)
            return -1;
    }
    /* A post without an id is known by its line (the document builder
     * makes its id term from it); without a line, by its url or text. */
    if (a->id == NULL && line > 0)
        return 0;
    if (a->id == NULL && a->url != NULL)
        a->id = hash_id("url-", a->url, strlen(a->url));
    if (a->id == NULL)
        a->id = hash_id("text-", text, text_len);
    return a->id == NULL ? -1 : 0;
}

/* The first TITLE_CHARS characters of the (squeezed) text, cut at a word
 * boundary, with an ellipsis when cut. */
int
extract_title_from_text(article_t *a, const char *text, size_t len)
{
    char *flat = NULL;
    size_t n, i, chars = 0, cut;
    sbuf_t t = SBUF_INIT;
    int rc;

    if (article_set_field(&flat, text, len) < 0)
        return -1;
    if (flat == NULL)
        return 0;
    n = strlen(flat);
    for (i = 0; i < n && chars < TITLE_CHARS; i++)
        if (((unsigned char)flat[i] & 0xc0) != 0x80)
            chars++;
    while (i < n && ((unsigned char)flat[i] & 0xc0) == 0x80)
        i++;
    if (i >= n) {
        a->title = flat;
        return 0;
    }
    cut = i;
    if (flat[cut] != ' ') {
        while (cut > 0 && flat[cut - 1] != ' ')
            cut--;
        if (cut == 0)
            cut = i;            /* one long word: cut inside it */
    }
    while (cut > 0 && flat[cut - 1] == ' ')
        cut--;
    rc = sbuf_add(&t, flat, cut) < 0 || sbuf_adds(&t, ELLIPSIS) < 0
        ? -1 : 0;
    free(flat);
    if (rc < 0) {
        sbuf_release(&t);
        return -1;
    }
    a->title = t.p;
    return 0;
}

static int
tags_value(article_t *a, json_t *v)
{
    size_t i;

    if (json_is_string(v))
        return article_add_tag(a, json_string_value(v),
                               json_string_length(v));
    if (json_is_array(v))
        for (i = 0; i < json_array_size(v); i++) {
            json_t *t = json_array_get(v, i);

            if (json_is_string(t)
                && article_add_tag(a, json_string_value(t),
                                   json_string_length(t)) < 0)
                return -1;
        }
    return 0;
}

/* If OBJ wraps a single post ({"tweet": {...}}), return the post. */
static json_t *
unwrap(json_t *obj, const mapping_t *m)
{
    const char *key;
    json_t *v;

    if (first_value(obj, &m->text, 0) != NULL || json_object_size(obj) != 1)
        return obj;
    json_object_foreach(obj, key, v) {
        (void)key;
        if (json_is_object(v))
            return v;
    }
    return obj;
}

/* Fill an article from OBJ and append it to OUT.  WHERE names the post in
 * warnings ("3: " or "item 3: ").  Returns 0 (added or skipped) or -1. */
static int
post(json_t *obj, const mapping_t *m, unsigned long line, const char *where,
     extract_result_t *out)
{
    article_t a, *dst;
    json_t *text, *v;
    const char *s;
    size_t len;

    if (!json_is_object(obj)) {
        extract_diag_add(&out->warnings, "%snot a JSON object; skipped",
                         where);
        return 0;
    }
    obj = unwrap(obj, m);
    text = first_value(obj, &m->text, 0);
    if (text == NULL) {
        extract_diag_add(&out->warnings, "%sno text field; skipped", where);
        return 0;
    }
    s = json_string_value(text);
    len = json_string_length(text);

    article_init(&a);
    if (article_body_add_plain(&a.body, s, len, 0) < 0)
        goto fail;
    article_body_finish(&a.body);
    if ((v = first_value(obj, &m->title, 0)) != NULL
        && set_string(&a.title, v) < 0)
        goto fail;
    if (a.title == NULL && extract_title_from_text(&a, s, len) < 0)
        goto fail;
    if (authors(&a, obj, &m->author) < 0)
        goto fail;
    if ((v = first_value(obj, &m->date, 1)) != NULL) {
        if (set_date(&a, v, &out->warnings, where) < 0)
            goto fail;
        if (a.date)
            a.date_line = (int)line;
    }
    if ((v = first_value(obj, &m->url, 0)) != NULL
        && set_string(&a.url, v) < 0)
        goto fail;
    if ((v = first_value(obj, &m->source, 0)) != NULL
        && set_string(&a.source, v) < 0)
        goto fail;
    if ((v = first_value(obj, &m->lang, 0)) != NULL
        && set_string(&a.lang, v) < 0)
        goto fail;
    for (size_t k = 0; k < m->tags.n && a.tags.n == 0; k++)
        if ((v = lookup(obj, m->tags.v[k])) != NULL && tags_value(&a, v) < 0)
            goto fail;
    a.line = line;
    if (set_id(&a, obj, &m->id, s, len, line) < 0)
        goto fail;
    if ((dst = extract_result_push(out)) == NULL)
        goto fail;
    *dst = a;
    return 0;
fail:
    article_release(&a);
    return -1;
}

/* ---------------------------------------------------------------- entry */

static int
set_error(extract_result_t *out, const json_error_t *err)
{
    char *msg = NULL;

    if (asprintf(&msg, "%d:%d: invalid JSON: %s", err->line, err->column,
                 err->text) < 0)
        msg = NULL;
    free(out->error);
    out->error = msg;
    return -1;
}

static json_t *
find_list(json_t *root, const mapping_t *m)
{
    const char *key;
    json_t *v;
    size_t i;

    if (first_value(root, &m->text, 0) != NULL)
        return NULL;
    for (i = 0; i < sizeof(list_keys) / sizeof(list_keys[0]); i++) {
        v = json_object_get(root, list_keys[i]);
        if (json_is_array(v))
            return v;
    }
    /* Any array whose first element is an object. */
    json_object_foreach(root, key, v) {
        (void)key;
        if (json_is_array(v) && json_is_object(json_array_get(v, 0)))
            return v;
    }
    return NULL;
}

int
extract_json(const char *buf, size_t len, const config_t *cfg,
             extract_result_t *out)
{
    json_error_t err;
    json_t *root, *list, *v;
    mapping_t m;
    char where[48];
    size_t i;
    int rc = 0;

    mapping_init(&m, cfg);
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    root = json_loadb(buf, len, 0, &err);
    if (root == NULL)
        return set_error(out, &err);
    if (json_is_object(root) && extract_social_is_actor(root)) {
        out->n_passed++;
    } else if (json_is_object(root) && (list = find_list(root, &m)) == NULL) {
        rc = post(root, &m, 0, "", out);
        if (rc == 0 && out->n == 0 && out->warnings.n > 0) {
            /* The one post has no text: nothing to index. */
            free(out->warnings.msgs[--out->warnings.n]);
            free(out->error);
            out->error = strdup("no text field");
            rc = -1;
        }
    } else if (json_is_object(root) || json_is_array(root)) {
        if (json_is_array(root))
            list = root;
        json_array_foreach(list, i, v) {
            snprintf(where, sizeof(where), "item %zu: ", i + 1);
            if ((rc = post(v, &m, 0, where, out)) < 0)
                break;
        }
        if (rc == 0 && out->n == 0 && json_array_size(list) > 0) {
            free(out->error);
            out->error = strdup("no post with a text field");
            rc = -1;
        }
    } else {
        free(out->error);
        out->error = strdup("1:1: expected a JSON object or array");
        rc = -1;
    }
    json_decref(root);
    return rc;
}

int
extract_jsonl(const char *buf, size_t len, const config_t *cfg,
              extract_result_t *out)
{
    json_error_t err;
    json_t *obj;
    mapping_t m;
    const char *nl;
    char where[32];
    size_t i = 0, e, k, n_bad = 0, n_lines = 0;
    unsigned long line = 0;

    mapping_init(&m, cfg);
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    while (i < len) {
        line++;
        nl = memchr(buf + i, '\n', len - i);
        e = nl ? (size_t)(nl - buf) : len;
        for (k = i; k < e && isspace((unsigned char)buf[k]); k++)
            ;
        if (k < e) {
            n_lines++;
            obj = json_loadb(buf + i, e - i, 0, &err);
            if (obj == NULL) {
                n_bad++;
                extract_diag_add(&out->warnings, "%lu: invalid JSON: %s",
                                 line, err.text);
            } else {
                int rc;

                snprintf(where, sizeof(where), "%lu: ", line);
                rc = post(obj, &m, line, where, out);
                json_decref(obj);
                if (rc < 0)
                    return -1;
            }
        }
        i = e + 1;
    }
    if (n_lines > 0 && n_bad == n_lines) {
        free(out->error);
        out->error = strdup("no valid JSON line");
        return -1;
    }
    return 0;
}

int
extract_json_record(const char *buf, size_t len, const config_t *cfg,
                    unsigned long line, const extract_ctx_t *ctx,
                    extract_result_t *out)
{
    json_error_t err;
    json_t *obj;
    mapping_t m;
    char where[32];
    int rc;

    mapping_init(&m, cfg);
    obj = json_loadb(buf, len, 0, &err);
    if (obj == NULL) {
        extract_diag_add(&out->warnings, "%lu: invalid JSON: %s", line,
                         err.text);
        return 1;
    }
    snprintf(where, sizeof(where), "%lu: ", line);
    rc = extract_social_post(obj, ctx, cfg, line, where, out);
    if (rc > 0)
        rc = post(obj, &m, line, where, out);
    json_decref(obj);
    return rc;
}
