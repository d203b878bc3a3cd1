/* extract_md.c - Markdown with YAML front matter
 *
 * Reads the front matter with the safe YAML reader (util/yamlsafe.h, which
 * config/ uses too) and reduces the Markdown body to plain
 * text: markup, URLs, comments and fence lines go, the words stay.  Front
 * matter that is malformed, too deep, or uses anchors or aliases is reported
 * with its file line and column and its fields are ignored; the body is
 * indexed anyway.  Parsing stops at the first anchor or alias, so no alias
 * bomb is ever expanded.  Like every extractor it never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "indexer/extract_int.h"
#include "util/ascii.h"
#include "util/utf8.h"
#include "util/yamlsafe.h"

#define NONE SIZE_MAX
#define FM_MAX_DEPTH 3          /* root mapping, a list, its items */
#define INLINE_MAX_DEPTH 16     /* nested link texts */

/* ---------------------------------------------------------------- lines */

/* The line starting at S[i] ends at *END (exclusive, before any "\r");
 * returns the offset of the next line. */
static size_t
next_line(const char *s, size_t len, size_t i, size_t *end)
{
    const char *nl = memchr(s + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - s) : len;
    size_t next = nl ? e + 1 : len;

    if (e > i && s[e - 1] == '\r')
        e--;
    *end = e;
    return next;
}

static bool
line_is(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);

    if (len < n || memcmp(s, word, n) != 0)
        return 0;
    for (; n < len; n++)
        if (s[n] != ' ' && s[n] != '\t')
            return 0;
    return 1;
}

/* ---------------------------------------------------------------- front
 * matter */

typedef struct frame {
    int is_map;
    int want_key;               /* maps: the next scalar is a key */
    article_field_t field;      /* the top-level key this belongs to */
    const article_key_t *cur_key;   /* root map: the current key */
    size_t cur_line;            /* root map: file line of the current key */
    int cur_is_name;            /* nested maps: current key is "name" */
} frame_t;

typedef struct fm {
    article_t fields;           /* collected, kept only on success */
    int date_rank;
    size_t line0;               /* file line of the YAML text's line 0 */
    frame_t st[FM_MAX_DEPTH + 1];
    int depth;
} fm_t;

static bool
is_null_scalar(const yamlsafe_event_t *e)
{
    if (e->len == 0)
        return 1;
    if (!e->is_plain)
        return 0;
    return strcmp(e->text, "~") == 0 || strcasecmp(e->text, "null") == 0;
}

/* A scalar value of a top-level key. */
static int
fm_scalar_value(fm_t *fm, frame_t *f, const char *v, size_t len)
{
    if (f->cur_key == NULL)
        return 0;
    return article_set_key(&fm->fields, f->cur_key, v, len,
                           (int)f->cur_line, &fm->date_rank);
}

/* A scalar somewhere below a top-level key: list items of authors and
 * tags, and "name" in author mappings. */
static int
fm_nested_value(fm_t *fm, frame_t *f, const char *v, size_t len)
{
    if (f->is_map) {
        if (f->field == ARTICLE_AUTHOR && f->cur_is_name)
            return article_add_author(&fm->fields, v, len);
        return 0;
    }
    if (fm->depth != 2)
        return 0;               /* lists in lists are ignored */
    if (f->field == ARTICLE_AUTHOR)
        return article_add_author(&fm->fields, v, len);
    if (f->field == ARTICLE_TAGS)
        return article_add_tag(&fm->fields, v, len);
    return 0;
}

/* After a complete value or key inside map F. */
static void
map_advance(frame_t *f, int was_key)
{
    if (was_key) {
        f->want_key = 0;
    } else {
        f->want_key = 1;
        f->cur_key = NULL;
        f->cur_is_name = 0;
    }
}

enum fm_status { FM_OK, FM_NOMEM, FM_ANCHOR, FM_DEEP, FM_NOT_MAP };

/* One event the safe reader let through (anchors, aliases and nesting
 * deeper than FM_MAX_DEPTH never get here). */
static enum fm_status
fm_event(fm_t *fm, const yamlsafe_event_t *e)
{
    frame_t *top = fm->depth > 0 ? &fm->st[fm->depth - 1] : NULL;
    const char *v;
    size_t len;
    int was_key;

    switch (e->type) {
    case YAMLSAFE_SCALAR:
        if (top == NULL)
            return is_null_scalar(e) ? FM_OK : FM_NOT_MAP;
        v = e->text;
        len = e->len;
        if (top->is_map && top->want_key) {
            if (fm->depth == 1) {
                top->cur_key = article_key_find(v);
                top->cur_line = fm->line0 + e->mark.line;
            } else {
                top->cur_is_name = strcasecmp(v, "name") == 0;
            }
            map_advance(top, 1);
            return FM_OK;
        }
        if (!is_null_scalar(e)) {
            int rc = fm->depth == 1 ? fm_scalar_value(fm, top, v, len)
                                    : fm_nested_value(fm, top, v, len);
            if (rc < 0)
                return FM_NOMEM;
        }
        if (top->is_map)
            map_advance(top, 0);
        return FM_OK;
    case YAMLSAFE_SEQ_START:
    case YAMLSAFE_MAP_START:
        if (top == NULL && e->type == YAMLSAFE_SEQ_START)
            return FM_NOT_MAP;
        {
            frame_t *f = &fm->st[fm->depth++];

            memset(f, 0, sizeof(*f));
            f->is_map = e->type == YAMLSAFE_MAP_START;
            f->want_key = 1;
            if (top == NULL)
                f->field = ARTICLE_NONE;
            else if (top->is_map && top->want_key)
                f->field = ARTICLE_NONE;    /* a complex key */
            else if (fm->depth == 2)
                f->field = top->cur_key ? top->cur_key->field : ARTICLE_NONE;
            else
                f->field = top->field;
        }
        return FM_OK;
    case YAMLSAFE_SEQ_END:
    case YAMLSAFE_MAP_END:
        if (fm->depth > 0)
            fm->depth--;
        if (fm->depth > 0) {
            top = &fm->st[fm->depth - 1];
            if (top->is_map) {
                was_key = top->want_key;
                map_advance(top, was_key);
                if (was_key) {
                    top->cur_key = NULL;
                    top->cur_is_name = 0;
                }
            }
        }
        return FM_OK;
    default:
        return FM_OK;
    }
}

/* Parse YAML (LEN bytes) whose first line is file line LINE0 + 1 into A.
 * Returns 0 (warnings, if any, in W) or -1 on ENOMEM. */
static int
front_matter(const char *yaml, size_t len, size_t line0, article_t *a,
             extract_diag_t *w)
{
    yamlsafe_t *y;
    yamlsafe_event_t ev;
    yamlsafe_status_t ys;
    fm_t fm;
    enum fm_status st = FM_OK;
    int done = 0, ok = 0, rc = 0;
    size_t line = 0, col = 0;

    memset(&fm, 0, sizeof(fm));
    article_init(&fm.fields);
    fm.line0 = line0 + 1;
    y = yamlsafe_new(yaml, len, FM_MAX_DEPTH, true);
    if (y == NULL)
        return -1;

    while (!done) {
        ys = yamlsafe_next(y, &ev);
        if (ys == YAMLSAFE_NOMEM) {
            rc = -1;
            break;
        }
        if (ys == YAMLSAFE_SYNTAX) {
            yamlsafe_error_t e;

            yamlsafe_error(y, &e);
            extract_diag_add(w, "%zu:%zu: malformed front matter: %s",
                             line0 + 1 + e.mark.line, e.mark.column + 1,
                             e.problem ? e.problem : "unknown error");
            break;
        }
        line = line0 + 1 + ev.mark.line;
        col = ev.mark.column + 1;
        st = ys == YAMLSAFE_ANCHOR ? FM_ANCHOR
           : ys == YAMLSAFE_DEEP ? FM_DEEP : fm_event(&fm, &ev);
        done = ev.type == YAMLSAFE_STREAM_END;
        if (st != FM_OK)
            break;
        ok = done;
    }
    yamlsafe_free(y);

    switch (st) {
    case FM_OK:
        break;
    case FM_NOMEM:
        rc = -1;
        break;
    case FM_ANCHOR:
        extract_diag_add(w, "%zu:%zu: YAML anchors and aliases are not "
                         "allowed in front matter; fields ignored", line, col);
        break;
    case FM_DEEP:
        extract_diag_add(w, "%zu:%zu: front matter nested deeper than %d "
                         "levels; fields ignored", line, col, FM_MAX_DEPTH);
        break;
    case FM_NOT_MAP:
        extract_diag_add(w, "%zu:%zu: front matter is not a mapping; "
                         "fields ignored", line, col);
        break;
    }
    if (ok && st == FM_OK && rc == 0) {
        sbuf_t body = a->body;

        *a = fm.fields;
        a->body = body;
    } else {
        article_release(&fm.fields);
    }
    return rc;
}

/* ---------------------------------------------------------------- inline */

typedef struct md {
    article_t *a;
    sbuf_t line;                /* the current line, comments removed */
    sbuf_t text;                /* the current line reduced to text */
    size_t *match;              /* matching ] or ) per position, or NONE */
    size_t match_cap;
    size_t gt_from, gt_pos;     /* cache for the next '>' on the line */
    int in_comment;
    int in_fence;
    char fence_ch;
    size_t fence_len;
    int in_raw;                 /* inside a <script> or <style> block */
    int in_table;
    int prev_quoted;
    char *h1, *heading;         /* title candidates */
} md_t;

/* Match brackets and parentheses of S[0..N) in one pass: each unmatched
 * opener links to the previous open one through MATCH until closed. */
static int
match_brackets(md_t *md, const char *s, size_t n)
{
    size_t i, top_b = NONE, top_p = NONE, t;
    size_t *m;

    if (n > md->match_cap) {
        m = realloc(md->match, n * sizeof(*m));
        if (m == NULL)
            return -1;
        md->match = m;
        md->match_cap = n;
    }
    m = md->match;
    for (i = 0; i < n; i++) {
        m[i] = NONE;
        if (s[i] == '\\' && i + 1 < n && ispunct((unsigned char)s[i + 1])) {
            m[++i] = NONE;
        } else if (s[i] == '[') {
            m[i] = top_b;
            top_b = i;
        } else if (s[i] == '(') {
            m[i] = top_p;
            top_p = i;
        } else if (s[i] == ']' && top_b != NONE) {
            t = m[top_b];
            m[top_b] = i;
            top_b = t;
        } else if (s[i] == ')' && top_p != NONE) {
            t = m[top_p];
            m[top_p] = i;
            top_p = t;
        }
    }
    for (; top_b != NONE; top_b = t) {
        t = m[top_b];
        m[top_b] = NONE;
    }
    for (; top_p != NONE; top_p = t) {
        t = m[top_p];
        m[top_p] = NONE;
    }
    return 0;
}

/* The first '>' at or after I, or NONE; amortised linear over a line. */
static size_t
find_gt(md_t *md, const char *s, size_t n, size_t i)
{
    const char *p;

    if (md->gt_from <= i && (md->gt_pos == NONE || md->gt_pos >= i))
        return md->gt_pos;
    md->gt_from = i;
    p = memchr(s + i, '>', n - i);
    md->gt_pos = p ? (size_t)(p - s) : NONE;
    return md->gt_pos;
}

static bool
has_prefix(const char *s, size_t n, size_t i, const char *pre)
{
    size_t k = strlen(pre);

    return n - i >= k && strncasecmp(s + i, pre, k) == 0;
}

static const struct {
    const char *name;
    const char *text;
} entities[] = {
    { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
    { "apos", "'" }, { "nbsp", " " }, { "mdash", "\xe2\x80\x94" },
    { "ndash", "\xe2\x80\x93" }, { "hellip", "\xe2\x80\xa6" },
    { "lsquo", "\xe2\x80\x98" }, { "rsquo", "\xe2\x80\x99" },
    { "ldquo", "\xe2\x80\x9c" }, { "rdquo", "\xe2\x80\x9d" },
};

/* Decode an HTML entity at S[i] ('&') into B; returns the bytes consumed,
 * 0 when it is not one we know (or -1 as (size_t) on ENOMEM is avoided by
 * reporting through *ERR). */
static size_t
entity(const char *s, size_t n, size_t i, sbuf_t *b, int *err)
{
    size_t j = i + 1, k;
    unsigned long cp = 0;
    int hex;

    if (j < n && s[j] == '#') {
        j++;
        hex = j < n && (s[j] == 'x' || s[j] == 'X');
        if (hex)
            j++;
        k = j;
        while (j < n && j - k < 7 && (hex ? isxdigit((unsigned char)s[j])
                                         : isdigit((unsigned char)s[j]))) {
            cp = cp * (hex ? 16 : 10)
                + (unsigned long)(isdigit((unsigned char)s[j])
                                  ? s[j] - '0'
                                  : (tolower((unsigned char)s[j]) - 'a'
                                     + 10));
            j++;
        }
        if (j == k || j >= n || s[j] != ';' || cp == 0 || cp > 0x10ffff
            || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        {
            char u[4];

            if (sbuf_add(b, u, utf8_encode((uint32_t)cp, u)) < 0)
                *err = 1;
        }
        return j + 1 - i;
    }
    for (k = 0; k < sizeof(entities) / sizeof(entities[0]); k++) {
        size_t l = strlen(entities[k].name);

        if (n - j > l && memcmp(s + j, entities[k].name, l) == 0
            && s[j + l] == ';') {
            if (sbuf_adds(b, entities[k].text) < 0)
                *err = 1;
            return l + 2;
        }
    }
    return 0;
}

static bool
is_word(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

/* Reduce S[i..end) of the current line (length N) to text in md->text. */
static int
reduce(md_t *md, const char *s, size_t n, size_t i, size_t end, int depth)
{
    sbuf_t *t = &md->text;
    size_t *m = md->match;
    size_t j, k;
    int err = 0;

    while (i < end) {
        unsigned char c = (unsigned char)s[i];

        if (c == '\\' && i + 1 < end && ispunct((unsigned char)s[i + 1])) {
            if (sbuf_addc(t, s[i + 1]) < 0)
                return -1;
            i += 2;
        } else if (c == '`' || c == '*') {
            i++;
        } else if (c == '_') {
            if (i > 0 && i + 1 < end && is_word((unsigned char)s[i - 1])
                && is_word((unsigned char)s[i + 1])
                && sbuf_addc(t, '_') < 0)
                return -1;
            i++;
        } else if (c == '~' && i + 1 < end && s[i + 1] == '~') {
            i += 2;
        } else if ((c == '[' || (c == '!' && i + 1 < end && s[i + 1] == '['))
                   && depth < INLINE_MAX_DEPTH
                   && (j = m[c == '!' ? i + 1 : i]) != NONE && j < end) {
            size_t open = c == '!' ? i + 1 : i;

            k = NONE;
            if (j + 1 < end && (s[j + 1] == '(' || s[j + 1] == '[')
                && m[j + 1] != NONE && m[j + 1] < end)
                k = m[j + 1];
            if (k == NONE && c == '[' && s[open + 1] == '^') {
                i = j + 1;      /* footnote reference */
                continue;
            }
            if (k == NONE && c == '[') {
                /* Plain brackets: keep them as written. */
                if (sbuf_addc(t, '[') < 0)
                    return -1;
                i++;
                continue;
            }
            if (reduce(md, s, n, open + 1, j, depth + 1) < 0)
                return -1;
            i = k != NONE ? k + 1 : j + 1;
        } else if (c == '<') {
            j = find_gt(md, s, n, i);
            if (j != NONE && j < end
                && (has_prefix(s, n, i + 1, "http://")
                    || has_prefix(s, n, i + 1, "https://")
                    || has_prefix(s, n, i + 1, "mailto:")
                    || has_prefix(s, n, i + 1, "ftp://")
                    || (i + 1 < end && (isalpha((unsigned char)s[i + 1])
                                        || s[i + 1] == '!' || s[i + 1] == '?'
                                        || (s[i + 1] == '/' && i + 2 < end
                                            && isalpha((unsigned char)
                                                       s[i + 2])))))) {
                if (sbuf_addc(t, ' ') < 0)
                    return -1;
                i = j + 1;      /* autolink or inline HTML tag */
            } else {
                if (sbuf_addc(t, '<') < 0)
                    return -1;
                i++;
            }
        } else if ((c == 'h' || c == 'H' || c == 'w' || c == 'W')
                   && (i == 0 || !is_word((unsigned char)s[i - 1]))
                   && (has_prefix(s, end, i, "http://")
                       || has_prefix(s, end, i, "https://")
                       || has_prefix(s, end, i, "www."))) {
            while (i < end && !isspace((unsigned char)s[i]))
                i++;            /* a bare URL */
        } else if (c == '&' && (k = entity(s, end, i, t, &err)) > 0) {
            if (err)
                return -1;
            i += k;
        } else {
            if (sbuf_addc(t, (char)c) < 0)
                return -1;
            i++;
        }
    }
    return 0;
}

/* Reduce the whole of S (N bytes) into md->text, replacing its content. */
static int
reduce_line(md_t *md, const char *s, size_t n)
{
    sbuf_setlen(&md->text, 0);
    md->gt_from = NONE;
    md->gt_pos = NONE;
    if (n == 0)
        return 0;
    if (match_brackets(md, s, n) < 0)
        return -1;
    return reduce(md, s, n, 0, n, 0);
}

/* ---------------------------------------------------------------- blocks */

/* Copy LINE into md->line without HTML comments, which may span lines. */
static int
strip_comments(md_t *md, const char *s, size_t n)
{
    size_t i = 0;
    const char *p;

    sbuf_setlen(&md->line, 0);
    while (i < n) {
        if (md->in_comment) {
            p = memmem(s + i, n - i, "-->", 3);
            if (p == NULL)
                return 0;
            md->in_comment = 0;
            i = (size_t)(p - s) + 3;
        } else {
            p = memmem(s + i, n - i, "<!--", 4);
            if (p == NULL)
                return sbuf_add(&md->line, s + i, n - i);
            if (sbuf_add(&md->line, s + i, (size_t)(p - s) - i) < 0
                || sbuf_addc(&md->line, ' ') < 0)
                return -1;
            md->in_comment = 1;
            i = (size_t)(p - s) + 4;
        }
    }
    return 0;
}

static size_t
skip_indent(const char *s, size_t n, size_t max)
{
    size_t i = 0;

    while (i < n && i < max && s[i] == ' ')
        i++;
    return i;
}

/* A run of 3 or more of C at S[i] (fence opener or closer); its length. */
static size_t
fence_run(const char *s, size_t n, size_t i, char c)
{
    size_t k = i;

    while (k < n && s[k] == c)
        k++;
    return k - i >= 3 ? k - i : 0;
}

static bool
is_rule(const char *s, size_t n)
{
    size_t i, count = 0;
    char c = 0;

    for (i = 0; i < n; i++) {
        if (s[i] == ' ' || s[i] == '\t')
            continue;
        if (c == 0 && strchr("-*_=", s[i]) != NULL)
            c = s[i];
        if (s[i] != c)
            return 0;
        count++;
    }
    return c == '=' ? count >= 2 : count >= 3;
}

static bool
is_table_delim(const char *s, size_t n)
{
    size_t i;
    int pipe = 0, dash = 0;

    for (i = 0; i < n; i++) {
        if (s[i] == '|')
            pipe = 1;
        else if (s[i] == '-')
            dash = 1;
        else if (s[i] != ':' && s[i] != ' ' && s[i] != '\t')
            return 0;
    }
    return pipe && dash;
}

/* "[label]: destination": a link reference definition. */
static bool
is_ref_def(const char *s, size_t n)
{
    size_t i = skip_indent(s, n, 3);

    if (i >= n || s[i] != '[' || i + 1 >= n || s[i + 1] == '^')
        return 0;
    while (i < n && s[i] != ']')
        i++;
    if (i + 1 >= n || s[i + 1] != ':')
        return 0;
    i += 2;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i < n;
}

/* A list marker at S[*i]: move *I past it and any task box. */
static int
list_marker(const char *s, size_t n, size_t *i)
{
    size_t k = *i;

    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    if (k < n && (s[k] == '-' || s[k] == '*' || s[k] == '+')) {
        k++;
    } else {
        size_t d = k;

        while (k < n && k - d < 9 && isdigit((unsigned char)s[k]))
            k++;
        if (k == d || k >= n || (s[k] != '.' && s[k] != ')'))
            return 0;
        k++;
    }
    if (k < n && s[k] != ' ' && s[k] != '\t')
        return 0;
    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    if (n - k >= 3 && s[k] == '[' && s[k + 2] == ']'
        && (s[k + 1] == ' ' || s[k + 1] == 'x' || s[k + 1] == 'X'))
        k += 3;
    *i = k;
    return 1;
}

static int
add_text_to_body(md_t *md)
{
    sbuf_t *body = &md->a->body;

    return article_text_add(body, " ", 1) < 0
        || article_text_add(body, md->text.p, md->text.len) < 0 ? -1 : 0;
}

static int
heading(md_t *md, const char *s, size_t n)
{
    size_t i = 0, e = n;

    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    /* An optional closing run of '#' preceded by a space. */
    {
        size_t h = e;

        while (h > i && s[h - 1] == '#')
            h--;
        if (h == i || s[h - 1] == ' ' || s[h - 1] == '\t')
            e = h;
    }
    if (reduce_line(md, s + i, e - i) < 0
        || article_para_break(&md->a->body) < 0 || add_text_to_body(md) < 0
        || article_para_break(&md->a->body) < 0)
        return -1;
    return 0;
}

/* One line outside fences, comments removed. NEXT/NEXT_LEN: the raw next
 * line, for the table lookahead. */
static int
block_line(md_t *md, char *s, size_t n, const char *next, size_t next_len)
{
    sbuf_t *body = &md->a->body;
    size_t i, k;
    int quoted = 0, level;

    /* Raw <script> and <style> blocks carry no words. */
    if (md->in_raw) {
        if (strcasestr(s, "</script") || strcasestr(s, "</style"))
            md->in_raw = 0;
        return 0;
    }
    i = skip_indent(s, n, 3);
    if (has_prefix(s, n, i, "<script") || has_prefix(s, n, i, "<style")) {
        if (!strcasestr(s, "</script") && !strcasestr(s, "</style"))
            md->in_raw = 1;
        return 0;
    }

    /* Block quote markers. */
    for (;;) {
        k = skip_indent(s, n, 3);
        if (k < n && s[k] == '>') {
            k++;
            if (k < n && s[k] == ' ')
                k++;
            s += k;
            n -= k;
            quoted = 1;
        } else {
            break;
        }
    }
    if (quoted != md->prev_quoted && article_para_break(body) < 0)
        return -1;
    md->prev_quoted = quoted;

    if (ascii_is_blank(s, n)) {
        md->in_table = 0;
        return article_para_break(body);
    }

    i = skip_indent(s, n, 3);
    if (i < n && (s[i] == '`' || s[i] == '~')
        && (k = fence_run(s, n, i, s[i])) > 0) {
        md->in_fence = 1;
        md->fence_ch = s[i];
        md->fence_len = k;
        return article_para_break(body);
    }

    /* ATX heading. */
    for (level = 0; i + level < n && s[i + level] == '#' && level < 7;)
        level++;
    if (level >= 1 && level <= 6
        && (i + level == n || s[i + level] == ' ' || s[i + level] == '\t')) {
        if (heading(md, s + i + level, n - i - level) < 0)
            return -1;
        if (md->text.len > 0) {
            char **slot = level == 1 ? &md->h1 : &md->heading;

            if (*slot == NULL
                && article_set_field(slot, md->text.p, md->text.len) < 0)
                return -1;
        }
        return 0;
    }

    if (is_rule(s, n))
        return article_para_break(body);
    if (is_ref_def(s, n))
        return 0;

    /* Tables: the delimiter row goes, pipes become spaces. */
    if (is_table_delim(s, n)) {
        md->in_table = 1;
        return article_para_break(body);
    }
    if (memchr(s, '|', n) != NULL
        && (md->in_table || is_table_delim(next, next_len))) {
        for (k = 0; k < n; k++)
            if (s[k] == '|' && (k == 0 || s[k - 1] != '\\'))
                s[k] = ' ';
        if (article_para_break(body) < 0 || reduce_line(md, s, n) < 0
            || add_text_to_body(md) < 0)
            return -1;
        return article_para_break(body);
    }
    md->in_table = 0;

    /* Footnote definitions keep their text. */
    i = skip_indent(s, n, 3);
    if (i + 1 < n && s[i] == '[' && s[i + 1] == '^') {
        k = i;
        while (k < n && s[k] != ']')
            k++;
        if (k + 1 < n && s[k + 1] == ':') {
            if (article_para_break(body) < 0)
                return -1;
            s += k + 2;
            n -= k + 2;
        }
    }

    i = 0;
    if (list_marker(s, n, &i)) {
        if (article_para_break(body) < 0)
            return -1;
        s += i;
        n -= i;
    }
    if (reduce_line(md, s, n) < 0)
        return -1;
    return add_text_to_body(md);
}

static int
markdown_body(md_t *md, const char *s, size_t len)
{
    size_t i = 0, end, next, nend = 0, k;
    sbuf_t *body = &md->a->body;

    while (i < len) {
        next = next_line(s, len, i, &end);
        if (md->in_fence) {
            size_t run = 0;

            k = skip_indent(s + i, end - i, 3);
            if (k < end - i && s[i + k] == md->fence_ch)
                run = fence_run(s + i, end - i, k, md->fence_ch);
            if (run > 0 && run >= md->fence_len
                && ascii_is_blank(s + i + k + run, end - i - k - run)) {
                md->in_fence = 0;
                if (article_para_break(body) < 0)
                    return -1;
            } else if (article_text_add(body, " ", 1) < 0
                       || article_text_add(body, s + i, end - i) < 0) {
                return -1;
            }
            i = next;
            continue;
        }
        if (strip_comments(md, s + i, end - i) < 0)
            return -1;
        if (ascii_is_blank(md->line.p, md->line.len)
            && !ascii_is_blank(s + i, end - i)) {
            i = next;           /* only a comment: no paragraph break */
            continue;
        }
        if (next < len)
            next_line(s, len, next, &nend);
        if (block_line(md, md->line.p, md->line.len, s + next,
                       next < len ? nend - next : 0) < 0)
            return -1;
        i = next;
    }
    article_body_finish(body);
    return 0;
}

/* ---------------------------------------------------------------- entry */

int
extract_markdown(const char *buf, size_t len, const config_t *cfg,
                 extract_result_t *out)
{
    article_t *a;
    md_t md;
    size_t i = 0, end, next, body = 0;
    int rc = -1;

    (void)cfg;
    a = extract_result_push(out);
    if (a == NULL)
        return -1;
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    memset(&md, 0, sizeof(md));
    sbuf_init(&md.line);
    sbuf_init(&md.text);
    md.a = a;

    /* Front matter: a first line "---", closed by "---" or "...". */
    next = next_line(buf, len, 0, &end);
    if (line_is(buf, end, "---")) {
        size_t yaml = next, line_no = 1, found = 0;

        i = next;
        while (i < len) {
            next = next_line(buf, len, i, &end);
            line_no++;
            if (line_is(buf + i, end - i, "---")
                || line_is(buf + i, end - i, "...")) {
                found = 1;
                break;
            }
            i = next;
        }
        if (found) {
            if (front_matter(buf + yaml, i - yaml, 1, a, &out->warnings) < 0)
                goto done;
            body = next;
        } else {
            extract_diag_add(&out->warnings, "1:1: front matter has no "
                             "closing '---' line; indexed as text");
        }
    }

    if (markdown_body(&md, buf + body, len - body) < 0)
        goto done;
    if (a->title == NULL) {
        a->title = md.h1 ? md.h1 : md.heading;
        if (a->title == md.h1)
            md.h1 = NULL;
        else
            md.heading = NULL;
    }
    rc = 0;
done:
    free(md.h1);
    free(md.heading);
    free(md.match);
    sbuf_release(&md.line);
    sbuf_release(&md.text);
    return rc;
}
