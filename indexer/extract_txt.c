/* extract_txt.c - plain text with optional header lines
 *
 * A text file may open with "Key: value" header lines (the keys Markdown
 * front matter takes: Title, Author, By, Date, Source, URL, Tags, Lang and
 * their synonyms, article.h) up to the first blank or
 * non-header line; otherwise the metadata is guessed: a "By NAME" byline
 * near the top gives the author (and a date written after it), the first
 * line that is not a byline or a quoted post's attribution gives the title.
 * The body is everything after the headers, without the byline; files with
 * no blank lines at all (scraped pages) get one paragraph per line.  Never
 * prints or exits.
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
#include "util/utf8.h"

#define TITLE_MAX 200           /* bytes */
#define BYLINE_MAX 100          /* bytes, whole line */
#define BYLINE_LINES 5          /* first non-empty lines searched */
#define TITLE_LINES 20          /* first non-empty lines searched */

typedef struct span {
    const char *p;
    size_t len;
} span_t;

/* The line at S[i]: *LINE without "\r\n"; returns the next line's offset. */
static size_t
get_line(const char *s, size_t len, size_t i, span_t *line)
{
    const char *nl = memchr(s + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - s) : len;

    line->p = s + i;
    line->len = e - i;
    if (line->len > 0 && line->p[line->len - 1] == '\r')
        line->len--;
    return nl ? e + 1 : len;
}

static span_t
trim(span_t t)
{
    while (t.len > 0 && isspace((unsigned char)t.p[0])) {
        t.p++;
        t.len--;
    }
    while (t.len > 0 && isspace((unsigned char)t.p[t.len - 1]))
        t.len--;
    return t;
}

static bool
blank(span_t t)
{
    return trim(t).len == 0;
}

/* "Key: value" with a known key: apply it to A and return 1; 0 when LINE
 * is not a header line; -1 on ENOMEM. */
static int
header_line(article_t *a, span_t line, int line_no)
{
    const article_key_t *k_found;
    size_t k = 0;
    span_t v;
    char key[16];

    while (k < line.len && k < sizeof(key) - 1
           && isalpha((unsigned char)line.p[k])) {
        key[k] = line.p[k];
        k++;
    }
    key[k] = '\0';
    if (k == 0 || k >= line.len || line.p[k] != ':')
        return 0;
    if (k + 1 < line.len && line.p[k + 1] != ' ' && line.p[k + 1] != '\t')
        return 0;
    v.p = line.p + k + 1;
    v.len = line.len - k - 1;
    v = trim(v);
    if ((k_found = article_key_find(key)) == NULL)
        return 0;
    /* The first date wins: header lines are not ranked. */
    return article_set_key(a, k_found, v.p, v.len, line_no, NULL) < 0 ? -1
                                                                     : 1;
}

/* Lower-case words that may sit inside a name. */
static int
name_particle(const char *w, size_t n)
{
    static const char *const words[] = {
        "and", "&", "de", "van", "von", "der", "den", "la", "le", "du",
        "da", "di", "del", "bin", "al", "el", "ten", "ter",
    };
    size_t i;

    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strlen(words[i]) == n && strncasecmp(w, words[i], n) == 0)
            return 1;
    return 0;
}

static bool
is_separator(const char *w, size_t n)
{
    return (n == 1 && strchr("|-/", w[0]) != NULL)
        || (n == 2 && strncasecmp(w, "on", 2) == 0)
        || (n == 3 && memcmp(w, "\xe2\x80\x94", 3) == 0)   /* em dash */
        || (n == 3 && memcmp(w, "\xe2\x80\x93", 3) == 0)   /* en dash */
        || (n == 2 && memcmp(w, "\xc2\xb7", 2) == 0)       /* middle dot */
        || (n == 3 && memcmp(w, "\xe2\x80\xa2", 3) == 0);  /* bullet */
}

static bool
has_digit(span_t t)
{
    size_t i;

    for (i = 0; i < t.len; i++)
        if (isdigit((unsigned char)t.p[i]))
            return 1;
    return 0;
}

/* "By Jane Doe", "by Jane Doe, August 16, 2025", "By A and B | Aug 2025":
 * on a match fill NAME and REST (text after the name, maybe empty). */
static int
byline(span_t line, span_t *name, span_t *rest)
{
    span_t t = trim(line);
    size_t i, w, n_words = 0;
    int stopped = 0;

    if (t.len < 4 || t.len > BYLINE_MAX || strncasecmp(t.p, "by", 2) != 0
        || (t.p[2] != ' ' && t.p[2] != '\t'))
        return 0;
    i = 3;
    while (i < t.len && isspace((unsigned char)t.p[i]))
        i++;
    name->p = t.p + i;
    name->len = 0;
    rest->p = t.p + t.len;
    rest->len = 0;
    while (i < t.len) {
        int comma = 0;

        w = i;
        while (i < t.len && !isspace((unsigned char)t.p[i]))
            i++;
        if (i > w && t.p[i - 1] == ',')
            comma = 1;
        if (is_separator(t.p + w, i - w)) {
            stopped = 1;
        } else {
            unsigned char c = (unsigned char)t.p[w];
            size_t wl = i - w - (size_t)comma;

            if (!(isupper(c) || c >= 0x80 || c == '@'
                  || (n_words > 0 && name_particle(t.p + w, wl))))
                return 0;       /* "By the way", "by Putin's decree" */
            if (++n_words > 8)
                return 0;
            name->len = (size_t)(t.p + w + wl - name->p);
            stopped = comma;
        }
        while (i < t.len && isspace((unsigned char)t.p[i]))
            i++;
        if (stopped) {
            rest->p = t.p + i;
            rest->len = t.len - i;
            break;
        }
    }
    return n_words > 0;
}

/* "— Michael McFaul (@McFaul) August 16, 2025": a quoted post's
 * attribution, never a title. */
static int
attribution(span_t line)
{
    span_t t = trim(line);

    return (t.len >= 3 && (memcmp(t.p, "\xe2\x80\x94", 3) == 0
                           || memcmp(t.p, "\xe2\x80\x93", 3) == 0))
        || (t.len >= 2 && memcmp(t.p, "--", 2) == 0);
}

int
extract_text(const char *buf, size_t len, const config_t *cfg,
             extract_result_t *out)
{
    article_t *a;
    span_t line, name, rest;
    size_t i, next, body_start = 0, byline_at = SIZE_MAX;
    int line_no = 1, n_headers = 0, rc, seen, seen_text = 0;
    int has_blank = 0, pending_blank = 0, have_title;

    (void)cfg;
    if ((a = extract_result_push(out)) == NULL)
        return -1;
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
        buf += 3;
        len -= 3;
    }

    /* Header lines, after any leading blank lines. */
    i = 0;
    while (i < len) {
        next = get_line(buf, len, i, &line);
        if (!blank(line))
            break;
        i = next;
        line_no++;
    }
    while (i < len) {
        next = get_line(buf, len, i, &line);
        if (blank(line)) {
            if (n_headers > 0) {
                body_start = next;
                line_no++;
            }
            break;
        }
        if ((rc = header_line(a, line, line_no)) < 0)
            return -1;
        if (rc == 0)
            break;
        n_headers++;
        i = body_start = next;
        line_no++;
    }
    if (n_headers == 0)
        line_no = 1;

    /* Byline and title among the first lines of the body; and whether the
     * body has blank lines between paragraphs at all. */
    have_title = a->title != NULL;
    seen = 0;
    for (i = body_start; i < len; i = next, line_no++) {
        next = get_line(buf, len, i, &line);
        if (blank(line)) {
            pending_blank = seen_text;
            continue;
        }
        if (pending_blank)
            has_blank = 1;
        seen_text = 1;
        seen++;
        if (seen <= BYLINE_LINES && a->authors.n == 0
            && byline(line, &name, &rest)) {
            if (article_add_author(a, name.p, name.len) < 0)
                return -1;
            byline_at = i;
            if (a->date == NULL && has_digit(rest)) {
                if (article_set_field(&a->date, rest.p, rest.len) < 0)
                    return -1;
                a->date_line = line_no;
            }
            continue;
        }
        if (!have_title && seen <= TITLE_LINES && !attribution(line)) {
            span_t t = trim(line);

            t.len = utf8_cut(t.p, t.len, TITLE_MAX);
            if (article_set_field(&a->title, t.p, t.len) < 0)
                return -1;
            have_title = 1;
        }
        if (has_blank && have_title && seen > BYLINE_LINES)
            break;              /* the rest cannot change anything */
    }

    /* The body. */
    for (i = body_start; i < len; i = next) {
        next = get_line(buf, len, i, &line);
        if (i == byline_at)
            continue;
        if (blank(line)) {
            if (article_para_break(&a->body) < 0)
                return -1;
            continue;
        }
        if (article_text_add(&a->body, " ", 1) < 0
            || article_text_add(&a->body, line.p, line.len) < 0)
            return -1;
        if (!has_blank && article_para_break(&a->body) < 0)
            return -1;
    }
    article_body_finish(&a->body);
    return 0;
}
