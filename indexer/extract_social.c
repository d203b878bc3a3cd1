/* extract_social.c - the exporters' own layouts: Telegram, X, Mastodon,
 * Reddit
 *
 * A post of an export is recognised by its fields, whatever the file is
 * called: a Telegram Desktop message ("type" "message" or "service", an
 * integer "id", a "date"), a tweet of an X archive ({"tweet": {...}} with
 * "id_str", "full_text", "created_at"), an activity of a Mastodon outbox
 * ("Create" of a "Note", "Announce"), a Reddit comment or submission of a
 * Pushshift-style dump ("subreddit", "created_utc").  What lies around
 * the posts (the Telegram chat, the X account and its long "note"
 * tweets, the Mastodon actor) comes as a context the indexer builds once
 * per chat or file (extract_ctx_text()).  Never prints, opens files or
 * sees the database.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "indexer/extract.h"
#include "indexer/extract_int.h"
#include "indexer/records.h"

struct extract_ctx {
    json_t *root;               /* {"chat", "account", "notes", "actor"} */
};

/* ---------------------------------------------------------------- helpers */

static const char *
str(json_t *o, const char *key)
{
    json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool
blank(const char *s)
{
    if (s == NULL)
        return true;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

static int
set(char **dst, const char *s)
{
    return s ? article_set_field(dst, s, strlen(s)) : 0;
}

/* An id or number as text: a string as is, an integer in decimal. */
static bool
id_text(json_t *v, char *buf, size_t len)
{
    if (json_is_string(v) && json_string_length(v) > 0 &&
        json_string_length(v) < len) {
        snprintf(buf, len, "%s", json_string_value(v));
        return true;
    }
    if (json_is_integer(v)) {
        snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return true;
    }
    return false;
}

/* A date from epoch seconds, as a number or a string of digits. */
static int
set_epoch(article_t *a, json_t *v)
{
    char iso[32], *end;
    double t;

    if (json_is_number(v)) {
        t = json_number_value(v);
    } else if (json_is_string(v) && *json_string_value(v)) {
        t = strtod(json_string_value(v), &end);
        if (*end != '\0')
            return 0;
    } else {
        return 0;
    }
    if (extract_epoch_date(t, iso, sizeof iso) < 0)
        return 0;
    return article_set_field(&a->date, iso, strlen(iso));
}

/* Append A to OUT (taking its strings), or count it passed over when it
 * has no text. */
static int
finish(article_t *a, unsigned long line, extract_result_t *out)
{
    article_t *dst;

    article_body_finish(&a->body);
    if (a->body.len == 0) {
        article_release(a);
        out->n_passed++;
        return 0;
    }
    if (a->title == NULL &&
        extract_title_from_text(a, a->body.p, a->body.len) < 0)
        goto fail;
    a->line = line;
    if ((dst = extract_result_push(out)) == NULL)
        goto fail;
    *dst = *a;
    return 0;
fail:
    article_release(a);
    return -1;
}

static json_t *
ctx_get(const extract_ctx_t *ctx, const char *key)
{
    return ctx ? json_object_get(ctx->root, key) : NULL;
}

/* ---------------------------------------------------------------- Telegram */

/* Telegram's "text": a string, or an array of strings and entities whose
 * "text" is what the reader sees (a link's own URL included). */
static int
tg_text(sbuf_t *b, json_t *text)
{
    size_t i;
    json_t *v;

    if (json_is_string(text))
        return article_body_add_plain(b, json_string_value(text),
                                      json_string_length(text), 0);
    if (!json_is_array(text))
        return 0;
    sbuf_t flat = SBUF_INIT;
    json_array_foreach(text, i, v) {
        json_t *t = json_is_object(v) ? json_object_get(v, "text") : v;
        if (json_is_string(t) &&
            sbuf_add(&flat, json_string_value(t), json_string_length(t)) < 0)
            goto fail;
    }
    if (flat.len && article_body_add_plain(b, flat.p, flat.len, 0) < 0)
        goto fail;
    sbuf_release(&flat);
    return 0;
fail:
    sbuf_release(&flat);
    return -1;
}

static int
tg_hashtags(article_t *a, json_t *ents)
{
    size_t i;
    json_t *e;

    if (!json_is_array(ents))
        return 0;
    json_array_foreach(ents, i, e) {
        const char *type = str(e, "type"), *t = str(e, "text");
        if (type && t && strcmp(type, "hashtag") == 0 && t[0] == '#' &&
            t[1] && article_add_tag(a, t + 1, strlen(t + 1)) < 0)
            return -1;
    }
    return 0;
}

static bool
is_telegram(json_t *o)
{
    const char *type = str(o, "type");
    return type && (strcmp(type, "message") == 0 ||
                    strcmp(type, "service") == 0) &&
           json_is_integer(json_object_get(o, "id")) &&
           (json_object_get(o, "date") ||
            json_object_get(o, "date_unixtime"));
}

static int
telegram(json_t *o, const extract_ctx_t *ctx, const config_t *cfg,
         unsigned long line, extract_result_t *out)
{
    json_t *chat = ctx_get(ctx, "chat");
    char chat_id[32] = "", msg_id[32], buf[160];
    article_t a;
    json_t *text;

    if (strcmp(str(o, "type"), "message") != 0) {
        out->n_passed++;        /* joins, pins, calls: not posts */
        return 0;
    }
    article_init(&a);
    text = json_object_get(o, "text");
    if (!json_is_string(text) && !json_is_array(text))
        text = json_object_get(o, "text_entities");
    if (tg_text(&a.body, text) < 0)
        goto fail;
    if (tg_hashtags(&a, json_object_get(o, "text_entities")) < 0)
        goto fail;
    /* The signature of a channel post names its writer; "from" is the
     * channel or the member. */
    if (!blank(str(o, "author"))) {
        if (article_add_author(&a, str(o, "author"),
                               strlen(str(o, "author"))) < 0)
            goto fail;
    } else if (!blank(str(o, "from")) &&
               article_add_author(&a, str(o, "from"),
                                  strlen(str(o, "from"))) < 0) {
        goto fail;
    }
    /* date_unixtime is the instant; "date" is the exporter's local time,
     * taken as written. */
    if (json_object_get(o, "date_unixtime") &&
        set_epoch(&a, json_object_get(o, "date_unixtime")) < 0)
        goto fail;
    if (a.date == NULL && set(&a.date, str(o, "date")) < 0)
        goto fail;
    if (a.date)
        a.date_line = (int)line;
    if (set(&a.source, str(chat, "name")) < 0)
        goto fail;
    id_text(json_object_get(o, "id"), msg_id, sizeof msg_id);
    id_text(json_object_get(chat, "id"), chat_id, sizeof chat_id);
    const char *user = config_telegram_username(cfg, chat_id);
    if (user) {
        snprintf(buf, sizeof buf, "https://t.me/%s/%s", user, msg_id);
        if (set(&a.url, buf) < 0)
            goto fail;
    }
    /* Message ids count per chat: a full export needs the chat too. */
    snprintf(buf, sizeof buf, "%s%s%s", chat_id, *chat_id ? "/" : "",
             msg_id);
    if (set(&a.id, buf) < 0)
        goto fail;
    json_t *fw = json_object_get(o, "forwarded_from");
    if (json_is_string(fw) && set(&a.forwarded_from, json_string_value(fw)))
        goto fail;
    if (id_text(json_object_get(o, "reply_to_message_id"), buf, sizeof buf)
        && set(&a.reply_to, buf) < 0)
        goto fail;
    return finish(&a, line, out);
fail:
    article_release(&a);
    return -1;
}

/* ---------------------------------------------------------------- X */

static bool
is_tweet(json_t *o)
{
    return json_is_string(json_object_get(o, "id_str")) &&
           json_is_string(json_object_get(o, "full_text")) &&
           json_is_string(json_object_get(o, "created_at"));
}

/* The full text of a long tweet: a note created in the same second whose
 * text starts as the tweet's does. */
static const char *
note_text(const extract_ctx_t *ctx, const char *when, const char *text)
{
    json_t *notes = ctx_get(ctx, "notes"), *n;
    size_t i, k = strlen(text);

    if (k > 24)
        k = 24;
    json_array_foreach(notes, i, n) {
        const char *at = str(n, "at"), *t = str(n, "text");
        if (at && t && strcmp(at, when) == 0 && strncmp(t, text, k) == 0)
            return t;
    }
    return NULL;
}

static int
tweet(json_t *o, const extract_ctx_t *ctx, unsigned long line,
      extract_result_t *out)
{
    json_t *acct = ctx_get(ctx, "account");
    const char *user = str(acct, "username"), *name = str(acct, "name");
    const char *text = str(o, "full_text"), *lang = str(o, "lang");
    char day[16], when[32], buf[160];
    article_t a;

    article_init(&a);
    if (extract_twitter_date(str(o, "created_at"), day, sizeof day, when,
                             sizeof when) == 0) {
        const char *full = note_text(ctx, when, text);
        if (full)
            text = full;
        if (set(&a.date, day) < 0)
            goto fail;
        a.date_line = (int)line;
    }
    if (article_body_add_plain(&a.body, text, strlen(text), 0) < 0)
        goto fail;
    if (!blank(name) || !blank(user)) {
        const char *who = !blank(name) ? name : user;
        if (article_add_author(&a, who, strlen(who)) < 0)
            goto fail;
    }
    if (!blank(user)) {
        snprintf(buf, sizeof buf, "@%s", user);
        if (set(&a.source, buf) < 0)
            goto fail;
    }
    const char *u = user != NULL && !blank(user) ? user : "i";
    const char *id = str(o, "id_str");
    snprintf(buf, sizeof buf, "https://x.com/%s/status/%s", u, id ? id : "");
    if (set(&a.url, buf) < 0 || set(&a.id, str(o, "id_str")) < 0 ||
        set(&a.reply_to, str(o, "in_reply_to_status_id_str")) < 0)
        goto fail;
    if (lang && strcmp(lang, "und") != 0 && strlen(lang) == 2 &&
        set(&a.lang, lang) < 0)
        goto fail;
    json_t *tags = json_object_get(json_object_get(o, "entities"),
                                   "hashtags"), *h;
    size_t i;
    json_array_foreach(tags, i, h) {
        const char *t = str(h, "text");
        if (!blank(t) && article_add_tag(&a, t, strlen(t)) < 0)
            goto fail;
    }
    return finish(&a, line, out);
fail:
    article_release(&a);
    return -1;
}

/* ---------------------------------------------------------------- Mastodon */

static bool
is_activity(json_t *o)
{
    const char *type = str(o, "type");
    return type && (strcmp(type, "Create") == 0 ||
                    strcmp(type, "Announce") == 0) &&
           json_object_get(o, "object") && json_object_get(o, "actor");
}

/* "https://HOST/users/NAME" -> "@NAME@HOST" into BUF; false if not. */
static bool
handle_of(const char *actor, char *buf, size_t len)
{
    const char *h, *slash, *name;

    if (actor == NULL || strncmp(actor, "https://", 8) != 0)
        return false;
    h = actor + 8;
    slash = strchr(h, '/');
    name = strrchr(actor, '/');
    if (!slash || !name || !name[1] || name == slash)
        return false;
    snprintf(buf, len, "@%s@%.*s", name + 1, (int)(slash - h), h);
    return true;
}

static int
activity(json_t *o, const extract_ctx_t *ctx, unsigned long line,
         extract_result_t *out)
{
    json_t *note = json_object_get(o, "object"), *actor;
    const char *content, *type = str(note, "type");
    char handle[160];
    article_t a;

    if (strcmp(str(o, "type"), "Create") != 0 || !json_is_object(note) ||
        !type || (strcmp(type, "Note") != 0 && strcmp(type, "Article") != 0 &&
                  strcmp(type, "Question") != 0)) {
        out->n_passed++;        /* boosts point at others' posts */
        return 0;
    }
    article_init(&a);
    content = str(note, "content");
    if (content && extract_html_fragment(content, strlen(content),
                                         &a.body) < 0)
        goto fail;
    if (!blank(str(note, "summary")) && set(&a.title, str(note, "summary")))
        goto fail;
    actor = ctx_get(ctx, "actor");
    const char *who = str(actor, "name");
    if (blank(who))
        who = str(actor, "username");
    bool has = handle_of(str(actor, "id"), handle, sizeof handle) ||
               handle_of(str(o, "actor"), handle, sizeof handle);
    if (blank(who) && has)
        who = handle;
    if (!blank(who) && article_add_author(&a, who, strlen(who)) < 0)
        goto fail;
    if (has && set(&a.source, handle) < 0)
        goto fail;
    if (set(&a.date, str(note, "published")) < 0)
        goto fail;
    if (a.date)
        a.date_line = (int)line;
    if (set(&a.url, str(note, "url") ? str(note, "url") : str(note, "id")) ||
        set(&a.id, str(note, "id")) < 0 ||
        set(&a.reply_to, str(note, "inReplyTo")) < 0)
        goto fail;
    json_t *map = json_object_get(note, "contentMap"), *v;
    const char *lang;
    json_object_foreach(map, lang, v) {
        if (strlen(lang) == 2 && set(&a.lang, lang) < 0)
            goto fail;
        break;
    }
    json_t *tags = json_object_get(note, "tag"), *t;
    size_t i;
    json_array_foreach(tags, i, t) {
        const char *tt = str(t, "type"), *name = str(t, "name");
        if (tt && name && strcmp(tt, "Hashtag") == 0 && name[0] == '#' &&
            name[1] && article_add_tag(&a, name + 1, strlen(name + 1)) < 0)
            goto fail;
    }
    return finish(&a, line, out);
fail:
    article_release(&a);
    return -1;
}

/* ---------------------------------------------------------------- Reddit */

static bool
has_prefix(const char *s, const char *p)
{
    return s && strncmp(s, p, strlen(p)) == 0;
}

/* Pushshift's fields, or (in dumps made from Reddit's pages) a comment's
 * "parent_id" ("t1_..." or "t3_...") or a submission's "/r/" permalink. */
static bool
is_reddit(json_t *o)
{
    const char *parent = str(o, "parent_id");
    if (!json_is_string(json_object_get(o, "id")))
        return false;
    if (json_is_string(json_object_get(o, "subreddit")) &&
        json_object_get(o, "created_utc"))
        return json_object_get(o, "body") || json_object_get(o, "selftext")
               || json_object_get(o, "title");
    if (json_object_get(o, "body"))
        return has_prefix(parent, "t1_") || has_prefix(parent, "t3_");
    return json_is_string(json_object_get(o, "title")) &&
           has_prefix(str(o, "permalink"), "/r/");
}

static bool
removed(const char *s)
{
    return s && (strcmp(s, "[deleted]") == 0 ||
                 strcmp(s, "[removed]") == 0);
}

static int
reddit(json_t *o, unsigned long line, extract_result_t *out)
{
    const char *sub = str(o, "subreddit"), *id = str(o, "id");
    const char *thread = str(o, "link_id");
    char subbuf[64], tbuf[64];
    const char *body = str(o, "body"), *title = str(o, "title");
    const char *self = str(o, "selftext"), *link = str(o, "permalink");
    const char *who = str(o, "author");
    bool comment = json_object_get(o, "body") != NULL;
    char buf[512];
    article_t a;

    if (!sub && has_prefix(link, "/r/")) {
        /* The subreddit from the permalink: "/r/NAME/comments/...". */
        size_t k = strcspn(link + 3, "/");
        snprintf(subbuf, sizeof subbuf, "%.*s", (int)(k < 60 ? k : 60),
                 link + 3);
        sub = subbuf;
    }
    if (thread == NULL && has_prefix(str(o, "parent_id"), "t3_"))
        thread = str(o, "parent_id");
    if (thread == NULL && str(o, "thread_id")) {
        snprintf(tbuf, sizeof tbuf, "t3_%s", str(o, "thread_id"));
        thread = tbuf;
    }
    article_init(&a);
    if (comment) {
        if (!removed(body) && body &&
            article_body_add_plain(&a.body, body, strlen(body), 0) < 0)
            goto fail;
    } else {
        if (set(&a.title, title) < 0)
            goto fail;
        if (!removed(self) && !blank(self) &&
            article_body_add_plain(&a.body, self, strlen(self), 0) < 0)
            goto fail;
        /* A link post: its title is its text. */
        if (a.body.len == 0 && title &&
            article_body_add_plain(&a.body, title, strlen(title), 0) < 0)
            goto fail;
    }
    if (!blank(who) && !removed(who) &&
        article_add_author(&a, who, strlen(who)) < 0)
        goto fail;
    if (set_epoch(&a, json_object_get(o, "created_utc")) < 0)
        goto fail;
    if (a.date == NULL && set(&a.date, str(o, "date")) < 0)
        goto fail;
    if (a.date)
        a.date_line = (int)line;
    if (sub) {
        snprintf(buf, sizeof buf, "r/%s", sub);
        if (set(&a.source, buf) < 0)
            goto fail;
    }
    /* reddit.com/comments/ID/ finds a thread whatever its subreddit. */
    if (link && link[0] == '/')
        snprintf(buf, sizeof buf, "https://www.reddit.com%s", link);
    else if (!comment)
        snprintf(buf, sizeof buf, "https://www.reddit.com/%s%s%scomments/%s/",
                 sub ? "r/" : "", sub ? sub : "", sub ? "/" : "", id);
    else if (has_prefix(thread, "t3_"))
        snprintf(buf, sizeof buf, "https://www.reddit.com/%s%s%scomments/%s/"
                 "_/%s/", sub ? "r/" : "", sub ? sub : "", sub ? "/" : "",
                 thread + 3, id);
    else
        buf[0] = '\0';
    if (set(&a.url, buf) < 0)
        goto fail;
    snprintf(buf, sizeof buf, "%s_%s", comment ? "t1" : "t3", id);
    if (set(&a.id, buf) < 0 || set(&a.reply_to, str(o, "parent_id")) < 0)
        goto fail;
    return finish(&a, line, out);
fail:
    article_release(&a);
    return -1;
}

/* ---------------------------------------------------------------- entry */

int
extract_social_post(json_t *obj, const extract_ctx_t *ctx,
                    const config_t *cfg, unsigned long line,
                    const char *where, extract_result_t *out)
{
    json_t *t;

    (void)where;
    if (!json_is_object(obj)) {
        /* A Mastodon archive's likes and bookmarks: addresses only. */
        const char *type = str(ctx_get(ctx, "chat"), "type");
        if (json_is_string(obj) && type &&
            strcmp(type, "OrderedCollection") == 0) {
            out->n_passed++;
            return 0;
        }
        return 1;
    }
    if (is_telegram(obj))
        return telegram(obj, ctx, cfg, line, out);
    t = json_object_get(obj, "tweet");
    if (json_object_size(obj) == 1 && json_is_object(t) && is_tweet(t))
        return tweet(t, ctx, line, out);
    if (is_tweet(obj))
        return tweet(obj, ctx, line, out);
    if (is_activity(obj))
        return activity(obj, ctx, line, out);
    if (is_reddit(obj))
        return reddit(obj, line, out);
    return 1;
}

/* ---------------------------------------------------------------- files */

bool
extract_social_is_actor(json_t *obj)
{
    const char *type = str(obj, "type");
    return type && str(obj, "preferredUsername") &&
           (strcmp(type, "Person") == 0 || strcmp(type, "Service") == 0 ||
            strcmp(type, "Group") == 0 ||
            strcmp(type, "Organization") == 0 ||
            strcmp(type, "Application") == 0);
}

/* ---------------------------------------------------------------- context */

unsigned
extract_ctx_needs(const char *around, const char *ytd)
{
    if (ytd && (strcmp(ytd, "tweets") == 0 || strcmp(ytd, "tweet") == 0))
        return EXTRACT_NEEDS_ACCOUNT | EXTRACT_NEEDS_NOTES;
    if (around && strstr(around, "\"type\":\"OrderedCollection\""))
        return EXTRACT_NEEDS_ACTOR;
    return 0;
}

/* The array of an X archive file (after its window.YTD prefix). */
static json_t *
ytd_load(const char *buf, size_t len, const char *what, extract_diag_t *w)
{
    char name[32];
    json_error_t err;
    long at = records_ytd_prefix(buf, len, name, sizeof name);
    json_t *v;

    if (at < 0) {
        extract_diag_add(w, " %s: not an X archive file (no "
                         "'window.YTD.' line)", what);
        return NULL;
    }
    v = json_loadb(buf + at, len - (size_t)at, 0, &err);
    if (v == NULL || !json_is_array(v)) {
        extract_diag_add(w, " %s: invalid JSON: %s", what,
                         v ? "not an array" : err.text);
        json_decref(v);
        return NULL;
    }
    return v;
}

int
extract_ctx_text(sbuf_t *out, const char *around, const char *account,
                 size_t account_len, const char *notes, size_t notes_len,
                 const char *actor, size_t actor_len, extract_diag_t *warn)
{
    json_t *root = json_object(), *v;
    json_error_t err;
    size_t i;
    int rc = -1;

    if (root == NULL)
        return -1;
    if (around && (v = json_loads(around, 0, &err)) != NULL)
        json_object_set_new(root, "chat", v);
    if (account) {
        json_t *a = ytd_load(account, account_len, "account.js", warn);
        json_t *acc = json_object_get(json_array_get(a, 0), "account");
        json_t *o = json_object();
        if (o && str(acc, "username"))
            json_object_set(o, "username", json_object_get(acc, "username"));
        if (o && str(acc, "accountDisplayName"))
            json_object_set(o, "name",
                            json_object_get(acc, "accountDisplayName"));
        json_object_set_new(root, "account", o);
        json_decref(a);
    }
    if (notes) {
        json_t *a = ytd_load(notes, notes_len, "note-tweet.js", warn);
        json_t *list = json_array(), *n;
        json_array_foreach(a, i, n) {
            json_t *nt = json_object_get(n, "noteTweet");
            const char *at = str(nt, "createdAt");
            const char *t = str(json_object_get(nt, "core"), "text");
            if (at && t && strlen(at) >= 19 && list) {
                char when[20];
                memcpy(when, at, 19);
                when[19] = '\0';
                json_array_append_new(list, json_pack("{ssss}", "at", when,
                                                      "text", t));
            }
        }
        json_object_set_new(root, "notes", list);
        json_decref(a);
    }
    if (actor) {
        json_t *a = json_loadb(actor, actor_len, 0, &err);
        json_t *o = json_object();
        if (a == NULL)
            extract_diag_add(warn, " actor.json:%d:%d: invalid JSON: %s",
                             err.line, err.column, err.text);
        if (o && str(a, "name"))
            json_object_set(o, "name", json_object_get(a, "name"));
        if (o && str(a, "preferredUsername"))
            json_object_set(o, "username",
                            json_object_get(a, "preferredUsername"));
        if (o && str(a, "id"))
            json_object_set(o, "id", json_object_get(a, "id"));
        json_object_set_new(root, "actor", o);
        json_decref(a);
    }
    char *s = json_dumps(root, JSON_COMPACT);
    if (s)
        rc = sbuf_adds(out, s);
    free(s);
    json_decref(root);
    return rc < 0 ? -1 : 0;
}

extract_ctx_t *
extract_ctx_new(const char *text, size_t len)
{
    extract_ctx_t *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->root = json_loadb(text, len, 0, NULL);
    if (c->root == NULL) {
        free(c);
        return NULL;
    }
    return c;
}

void
extract_ctx_free(extract_ctx_t *c)
{
    if (c == NULL)
        return;
    json_decref(c->root);
    free(c);
}
