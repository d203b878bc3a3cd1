/* article.c - one extracted article: its fields, keys and body text
 *
 * Owns article_t, the setters every extractor fills it with, the one
 * table of metadata keys that Markdown front matter and text header lines
 * share, and the body builder that keeps white space and paragraph breaks
 * uniform across formats.  Knows no file format; never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "indexer/article.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/ascii.h"

/* ---------------------------------------------------------------- text */

/* Length of the white space at S[i] (0 when none): ASCII white space and
 * U+00A0 NO-BREAK SPACE. */
static size_t
space_len(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];

    if (ascii_is_space(c))
        return 1;
    if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] == 0xa0)
        return 2;
    return 0;
}

int
article_text_add(sbuf_t *b, const char *s, size_t len)
{
    size_t i = 0, start, n;
    int want_space = 0;

    while (i < len) {
        if ((n = space_len(s, len, i)) > 0) {
            want_space = 1;
            i += n;
            continue;
        }
        start = i;
        while (i < len && space_len(s, len, i) == 0)
            i++;
        if (want_space && b->len > 0 && b->p[b->len - 1] != ' '
            && b->p[b->len - 1] != '\n' && sbuf_addc(b, ' ') < 0)
            return -1;
        want_space = 0;
        if (sbuf_add(b, s + start, i - start) < 0)
            return -1;
    }
    /* Trailing space is kept as a separator for what comes next; a
     * paragraph break or the finish trims it. */
    if (want_space && b->len > 0 && b->p[b->len - 1] != ' '
        && b->p[b->len - 1] != '\n')
        return sbuf_addc(b, ' ');
    return 0;
}

static void
trim_trailing_spaces(sbuf_t *b)
{
    while (b->len > 0 && b->p[b->len - 1] == ' ')
        b->p[--b->len] = '\0';
}

int
article_para_break(sbuf_t *b)
{
    trim_trailing_spaces(b);
    if (b->len == 0)
        return 0;
    if (b->len >= 2 && b->p[b->len - 1] == '\n' && b->p[b->len - 2] == '\n')
        return 0;
    return sbuf_add(b, "\n\n", 2);
}

void
article_body_finish(sbuf_t *b)
{
    while (b->len > 0 && ascii_is_space((unsigned char)b->p[b->len - 1]))
        b->p[--b->len] = '\0';
}

int
article_body_add_plain(sbuf_t *b, const char *s, size_t len, int line_paras)
{
    size_t i = 0, end, k;
    int blank;

    while (i < len) {
        end = i;
        while (end < len && s[end] != '\n')
            end++;
        blank = 1;
        for (k = i; k < end; k++)
            if (!ascii_is_space((unsigned char)s[k])) {
                blank = 0;
                break;
            }
        if (blank) {
            if (article_para_break(b) < 0)
                return -1;
        } else {
            if (article_text_add(b, " ", 1) < 0
                || article_text_add(b, s + i, end - i) < 0)
                return -1;
            if (line_paras && article_para_break(b) < 0)
                return -1;
        }
        i = end + 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- articles */

void
article_init(article_t *a)
{
    memset(a, 0, sizeof(*a));
    sbuf_init(&a->body);
}

void
article_release(article_t *a)
{
    if (a == NULL)
        return;
    free(a->id);
    free(a->title);
    strv_release(&a->authors);
    free(a->date);
    free(a->source);
    free(a->url);
    strv_release(&a->tags);
    free(a->lang);
    free(a->forwarded_from);
    free(a->reply_to);
    sbuf_release(&a->body);
    article_init(a);
}

int
article_set_field(char **dst, const char *s, size_t len)
{
    sbuf_t b = SBUF_INIT;

    if (article_text_add(&b, s, len) < 0) {
        sbuf_release(&b);
        return -1;
    }
    trim_trailing_spaces(&b);
    free(*dst);
    *dst = NULL;
    if (b.len == 0) {
        sbuf_release(&b);
        return 0;
    }
    *dst = sbuf_detach(&b);
    return *dst == NULL ? -1 : 0;
}

/* Append S (LEN bytes) to SV as article_set_field() cleans it; an empty
 * result is not added. */
static int
add_clean(strv_t *sv, const char *s, size_t len)
{
    char *copy = NULL;

    if (article_set_field(&copy, s, len) < 0)
        return -1;
    return copy == NULL ? 0 : strv_push_owned(sv, copy);
}

int
article_add_author(article_t *a, const char *s, size_t len)
{
    return add_clean(&a->authors, s, len);
}

int
article_add_tag(article_t *a, const char *s, size_t len)
{
    return add_clean(&a->tags, s, len);
}

int
article_add_tags_csv(article_t *a, const char *s, size_t len)
{
    size_t i = 0, j;

    while (i <= len) {
        j = i;
        while (j < len && s[j] != ',')
            j++;
        if (article_add_tag(a, s + i, j - i) < 0)
            return -1;
        i = j + 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- keys */

/* Markdown front matter and text header lines: one vocabulary.  For
 * dates, a higher rank wins where the reader ranks them. */
static const article_key_t keys[] = {
    { "title", ARTICLE_TITLE, 0 },
    { "author", ARTICLE_AUTHOR, 0 },
    { "authors", ARTICLE_AUTHOR, 0 },
    { "by", ARTICLE_AUTHOR, 0 },
    { "date", ARTICLE_DATE, 3 },
    { "published", ARTICLE_DATE, 2 },
    { "created", ARTICLE_DATE, 1 },
    { "source", ARTICLE_SOURCE, 0 },
    { "publication", ARTICLE_SOURCE, 0 },
    { "site", ARTICLE_SOURCE, 0 },
    { "url", ARTICLE_URL, 0 },
    { "link", ARTICLE_URL, 0 },
    { "canonical", ARTICLE_URL, 0 },
    { "tags", ARTICLE_TAGS, 0 },
    { "tag", ARTICLE_TAGS, 0 },
    { "keywords", ARTICLE_TAGS, 0 },
    { "lang", ARTICLE_LANG, 0 },
    { "language", ARTICLE_LANG, 0 },
};

const article_key_t *
article_key_find(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strcasecmp(name, keys[i].name) == 0)
            return &keys[i];
    return NULL;
}

/* Set *DST from V unless it is set already (the first value wins). */
static int
set_once(char **dst, const char *v, size_t len)
{
    return *dst != NULL ? 0 : article_set_field(dst, v, len);
}

int
article_set_key(article_t *a, const article_key_t *k, const char *v,
                size_t len, int line, int *date_rank)
{
    switch (k->field) {
    case ARTICLE_TITLE:
        return set_once(&a->title, v, len);
    case ARTICLE_AUTHOR:
        return article_add_author(a, v, len);
    case ARTICLE_DATE:
        if (a->date != NULL
            && (date_rank == NULL || *date_rank >= k->rank))
            return 0;
        if (article_set_field(&a->date, v, len) < 0)
            return -1;
        if (a->date != NULL) {
            if (date_rank != NULL)
                *date_rank = k->rank;
            a->date_line = line;
        }
        return 0;
    case ARTICLE_SOURCE:
        return set_once(&a->source, v, len);
    case ARTICLE_URL:
        return set_once(&a->url, v, len);
    case ARTICLE_TAGS:
        return article_add_tags_csv(a, v, len);
    case ARTICLE_LANG:
        return set_once(&a->lang, v, len);
    default:
        return 0;
    }
}
