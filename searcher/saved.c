/* saved.c - saved searches and what is new
 *
 * Owns the stored form of a saved search (a JSON object in the
 * database's metadata, config/schema.h), the check of its name, and the
 * write path of dossier-search: the one local database it opens for
 * writing, only for --save, --delete and --new's mark.  Never prints;
 * main.c runs the searches.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "searcher/saved.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "config/schema.h"

void
saved_search_init(saved_search_t *s)
{
    memset(s, 0, sizeof *s);
}

void
saved_search_release(saved_search_t *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->query);
    strv_release(&s->authors);
    strv_release(&s->sources);
    strv_release(&s->tags);
    strv_release(&s->langs);
    free(s->since);
    free(s->until);
    free(s->saved_at);
    free(s->mark);
    saved_search_init(s);
}

static bool
name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

int
saved_name_check(const char *opt, const char *name, char *err,
                 size_t errlen)
{
    static const char want[] = "expected 1 to 64 letters, digits, '.', "
                                "'_' or '-', starting with a letter or a "
                                "digit";
    size_t len = strlen(name);

    if (len == 0) {
        snprintf(err, errlen, "%s: empty name (%s)", opt, want);
        return -1;
    }
    if (len > SAVED_NAME_MAX) {
        snprintf(err, errlen, "%s: name '%.20s...' is too long (%zu "
                 "bytes; %s)", opt, name, len, want);
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        bool bad = !name_char(c) || (i == 0 && !((c >= 'a' && c <= 'z') ||
                   (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')));
        if (!bad)
            continue;
        /* The name may hold any byte: show the first bad one safely. */
        if (c > 0x20 && c < 0x7f && c != '\'')
            snprintf(err, errlen, "%s: invalid name: '%c' at byte %zu "
                     "(%s)", opt, c, i + 1, want);
        else
            snprintf(err, errlen, "%s: invalid name: byte 0x%02x at byte "
                     "%zu (%s)", opt, c, i + 1, want);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The stored form                                                     */

static json_t *
strv_json(const strv_t *v)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < v->n; i++)
        json_array_append_new(a, json_string(v->v[i]));
    return a;
}

static json_t *
str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

char *
saved_encode(const saved_search_t *s)
{
    json_t *j = json_object();
    char *text = NULL;

    if (!j)
        return NULL;
    json_object_set_new(j, "query", json_string(s->query ? s->query : ""));
    json_object_set_new(j, "authors", strv_json(&s->authors));
    json_object_set_new(j, "sources", strv_json(&s->sources));
    json_object_set_new(j, "tags", strv_json(&s->tags));
    json_object_set_new(j, "langs", strv_json(&s->langs));
    json_object_set_new(j, "since", str_or_null(s->since));
    json_object_set_new(j, "until", str_or_null(s->until));
    json_object_set_new(j, "any", json_boolean(s->any));
    json_object_set_new(j, "no_translit", json_boolean(s->no_translit));
    json_object_set_new(j, "saved_at", json_string(s->saved_at ?
                                                   s->saved_at : ""));
    json_object_set_new(j, "mark", json_string(s->mark ? s->mark : ""));
    text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return text;
}

static int
get_list(json_t *j, const char *key, strv_t *out)
{
    json_t *a = json_object_get(j, key), *e;
    size_t i;

    if (!a)
        return 0;
    if (!json_is_array(a))
        return -1;
    json_array_foreach(a, i, e) {
        if (!json_is_string(e) || strv_push(out, json_string_value(e)) < 0)
            return -1;
    }
    return 0;
}

static int
get_str(json_t *j, const char *key, char **out, bool nullable)
{
    json_t *v = json_object_get(j, key);

    if (!v || json_is_null(v)) {
        *out = nullable ? NULL : strdup("");
        return nullable || *out ? 0 : -1;
    }
    if (!json_is_string(v))
        return -1;
    *out = strdup(json_string_value(v));
    return *out ? 0 : -1;
}

static int
decode(const char *name, const char *text, size_t len, saved_search_t *s,
       char *err, size_t errlen)
{
    json_t *j = json_loadb(text, len, 0, NULL);

    saved_search_init(s);
    if (!j || !json_is_object(j) ||
        !(s->name = strdup(name)) ||
        get_str(j, "query", &s->query, false) < 0 ||
        get_list(j, "authors", &s->authors) < 0 ||
        get_list(j, "sources", &s->sources) < 0 ||
        get_list(j, "tags", &s->tags) < 0 ||
        get_list(j, "langs", &s->langs) < 0 ||
        get_str(j, "since", &s->since, true) < 0 ||
        get_str(j, "until", &s->until, true) < 0 ||
        get_str(j, "saved_at", &s->saved_at, false) < 0 ||
        get_str(j, "mark", &s->mark, false) < 0) {
        snprintf(err, errlen, "saved search '%s' is not readable (not "
                 "written by this dossier?)", name);
        json_decref(j);
        saved_search_release(s);
        return -1;
    }
    s->any = json_is_true(json_object_get(j, "any"));
    s->no_translit = json_is_true(json_object_get(j, "no_translit"));
    json_decref(j);
    return 0;
}

int
saved_get(xsh_db_t *db, const char *name, saved_search_t *out, char *err,
          size_t errlen)
{
    char key[sizeof SCHEMA_META_SAVED_PREFIX + SAVED_NAME_MAX];
    char *v = NULL;
    size_t len = 0;

    saved_search_init(out);
    snprintf(key, sizeof key, "%s%s", SCHEMA_META_SAVED_PREFIX, name);
    if (xsh_db_get_metadata(db, key, &v, &len) != XSH_OK) {
        snprintf(err, errlen, "%s", xsh_db_errmsg(db));
        return -1;
    }
    int rc = len == 0 ? 0 : decode(name, v, len, out, err, errlen) < 0 ? -1
                                                                     : 1;
    free(v);
    return rc;
}

typedef struct list_acc {
    saved_search_t *v;
    size_t n;
    bool failed;
    char *err;
    size_t errlen;
} list_acc_t;

static bool
list_one(void *ctx, const char *key, const char *value, size_t len)
{
    list_acc_t *a = ctx;
    const char *name = key + strlen(SCHEMA_META_SAVED_PREFIX);
    saved_search_t *v = realloc(a->v, (a->n + 1) * sizeof *v);

    if (!v) {
        snprintf(a->err, a->errlen, "out of memory");
        a->failed = true;
        return false;
    }
    a->v = v;
    if (decode(name, value, len, &v[a->n], a->err, a->errlen) < 0) {
        a->failed = true;
        return false;
    }
    a->n++;
    return true;
}

int
saved_list(xsh_db_t *db, saved_search_t **v, size_t *n, char *err,
           size_t errlen)
{
    list_acc_t a = { NULL, 0, false, err, errlen };

    *v = NULL;
    *n = 0;
    if (xsh_db_each_metadata(db, SCHEMA_META_SAVED_PREFIX, list_one, &a)
        != XSH_OK) {
        snprintf(err, errlen, "%s", xsh_db_errmsg(db));
        a.failed = true;
    }
    if (a.failed) {
        saved_list_free(a.v, a.n);
        return -1;
    }
    /* Metadata keys come sorted, so the names are too. */
    *v = a.v;
    *n = a.n;
    return 0;
}

void
saved_list_free(saved_search_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        saved_search_release(&v[i]);
    free(v);
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

const char *
saved_db_path(const char *opt, const char *const *paths, size_t n,
              const config_t *cfg, char *err, size_t errlen)
{
    const char *path;
    struct stat st;

    if (n == 0 && cfg->shards.n) {
        paths = (const char *const *)cfg->shards.v;
        n = cfg->shards.n;
    }
    if (n > 1) {
        snprintf(err, errlen, "%s: saved searches are kept in one "
                 "database, and %zu are searched as one: name one with -d",
                 opt, n);
        return NULL;
    }
    path = n ? paths[0] : cfg->database ? cfg->database : "dossier.db";
    if (strncmp(path, "tcp://", 6) == 0 ||
        (stat(path, &st) == 0 && !S_ISDIR(st.st_mode))) {
        snprintf(err, errlen, "%s: '%s' is a remote database or a stub "
                 "file: saved searches are written into a local database "
                 "directory (name it with -d)", opt, path);
        return NULL;
    }
    return path;
}

xsh_wdb_t *
saved_open(const char *path, char *err, size_t errlen)
{
    xsh_wdb_t *w = NULL;
    char *msg = NULL;
    xsh_status_t st = xsh_wdb_open(path, XSH_WDB_OPEN, &w, &msg);

    switch (st) {
    case XSH_OK:
        break;
    case XSH_LOCKED:
        snprintf(err, errlen, "%s: database is locked by an indexer (or "
                 "another --save or --new); nothing saved or marked, try "
                 "again later", path);
        break;
    case XSH_NOT_FOUND:
        snprintf(err, errlen, "%s: no database here (index with "
                 "'dossier-index -d %s DIR' first)", path, path);
        break;
    default:
        snprintf(err, errlen, "%s: cannot open database for writing: %s",
                 path, msg ? msg : xsh_status_str(st));
        break;
    }
    free(msg);
    return w;
}

/* Saved searches change no document: the collapse groups' record stays
 * true, and its stamp moves on with the commit. */
static int
commit(xsh_wdb_t *w, char *err, size_t errlen)
{
    if (xsh_wdb_commit_stamped(w, SCHEMA_META_GROUPS, false) != XSH_OK) {
        snprintf(err, errlen, "%s", xsh_wdb_errmsg(w));
        return -1;
    }
    return 0;
}

int
saved_put(xsh_wdb_t *w, const saved_search_t *s, char *err, size_t errlen)
{
    char key[sizeof SCHEMA_META_SAVED_PREFIX + SAVED_NAME_MAX];
    char *text = saved_encode(s);

    if (!text) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(key, sizeof key, "%s%s", SCHEMA_META_SAVED_PREFIX, s->name);
    xsh_status_t st = xsh_wdb_set_metadata(w, key, text, strlen(text));
    free(text);
    if (st != XSH_OK) {
        snprintf(err, errlen, "%s", xsh_wdb_errmsg(w));
        return -1;
    }
    return commit(w, err, errlen);
}

int
saved_delete(xsh_wdb_t *w, const char *name, char *err, size_t errlen)
{
    char key[sizeof SCHEMA_META_SAVED_PREFIX + SAVED_NAME_MAX];

    snprintf(key, sizeof key, "%s%s", SCHEMA_META_SAVED_PREFIX, name);
    if (xsh_wdb_set_metadata(w, key, "", 0) != XSH_OK) {
        snprintf(err, errlen, "%s", xsh_wdb_errmsg(w));
        return -1;
    }
    return commit(w, err, errlen);
}

char *
saved_run_done(xsh_db_t *db, char *err, size_t errlen)
{
    char *v = NULL;

    if (xsh_db_get_metadata(db, SCHEMA_META_RUN_DONE, &v, NULL) != XSH_OK) {
        snprintf(err, errlen, "%s", xsh_db_errmsg(db));
        return NULL;
    }
    return v;
}

const char *
saved_after(const char *mark, char *buf, size_t len)
{
    if (!mark || !*mark)
        return SCHEMA_STAMP_UNKNOWN;
    snprintf(buf, len, "%0*lld", SCHEMA_STAMP_LEN,
             strtoll(mark, NULL, 10) + 1);
    return buf;
}
