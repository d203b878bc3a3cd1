/* html.c - escaping for HTML text, attributes and urls
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "server/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "searcher/output.h"

void
html_init(html_t *h)
{
    sbuf_init(&h->b);
    h->failed = false;
}

void
html_release(html_t *h)
{
    sbuf_release(&h->b);
    h->failed = false;
}

char *
html_detach(html_t *h, size_t *len)
{
    if (h->failed) {
        html_release(h);
        return NULL;
    }
    *len = h->b.len;
    return sbuf_detach(&h->b);
}

static void
add(html_t *h, const char *s, size_t len)
{
    if (!h->failed && sbuf_add(&h->b, s, len) < 0)
        h->failed = true;
}

void
html_raw(html_t *h, const char *s)
{
    add(h, s, strlen(s));
}

void
html_raw_len(html_t *h, const char *s, size_t len)
{
    add(h, s, len);
}

void
html_rawf(html_t *h, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf)
        h->failed = true;       /* only short trusted text comes here */
    else
        add(h, buf, (size_t)n);
}

/* S escaped; with MARKS, the highlight markers as <mark>. */
static void
escape(html_t *h, const char *s, bool marks)
{
    if (!s)
        return;
    char *c = out_sanitize(s, marks);
    if (!c) {
        h->failed = true;
        return;
    }
    const char *run = c;
    bool open = false;
    for (const char *p = c; ; p++) {
        const char *rep = NULL;
        switch (*p) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case 1: rep = open ? "" : "<mark>"; open = true; break;
        case 2: rep = open ? "</mark>" : ""; open = false; break;
        case '\0': rep = open ? "</mark>" : ""; break;
        default: continue;
        }
        add(h, run, (size_t)(p - run));
        add(h, rep, strlen(rep));
        run = p + 1;
        if (*p == '\0')
            break;
    }
    free(c);
}

void
html_text(html_t *h, const char *s)
{
    escape(h, s, false);
}

void
html_marked(html_t *h, const char *s)
{
    escape(h, s, true);
}

void
html_url_part(html_t *h, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    if (!s)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char e[3];
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
            *p == '_' || *p == '~') {
            add(h, (const char *)p, 1);
            continue;
        }
        e[0] = '%';
        e[1] = hex[*p >> 4];
        e[2] = hex[*p & 15];
        add(h, e, 3);
    }
}

bool
html_is_web_url(const char *s)
{
    if (!s)
        return false;
    size_t skip = strncasecmp(s, "http://", 7) == 0 ? 7 :
                  strncasecmp(s, "https://", 8) == 0 ? 8 : 0;
    if (!skip || !s[skip])
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7F)
            return false;
    return true;
}
