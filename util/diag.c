/* diag.c - one-line diagnostics on stderr for both programs
 *
 * Formats "PROG: MESSAGE" (or "PROG: warning: MESSAGE") into one buffer and
 * writes it with a single stdio call, so lines from several threads do not
 * interleave.  Control characters in the message (a newline in a file name,
 * an escape sequence from a document, C1 and bidi controls, bytes that
 * are not UTF-8) are shown as '?', keeping each diagnostic on one line
 * and the terminal safe.  Never exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/diag.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

/* Set once at start-up, before any thread starts (diag.h). */
static const char *prog_name = "dossier";

/* Where this thread's messages go; NULL: stderr (diag_set_stream). */
static _Thread_local FILE *thread_stream;

void
diag_set_stream(FILE *f)
{
    thread_stream = f;
}

void
diag_set_prog(const char *prog)
{
    const char *slash;

    if (prog == NULL || *prog == '\0')
        return;
    slash = strrchr(prog, '/');
    prog_name = slash != NULL && slash[1] != '\0' ? slash + 1 : prog;
}

const char *
diag_prog(void)
{
    return prog_name;
}

/* Replace, in place, what a terminal would act on: C0 controls and DEL,
 * C1 controls, bidi controls (U+061C, U+200E-F, U+202A-E, U+2066-9) and
 * bytes that are not UTF-8 (a raw 0x9B is CSI to an 8-bit terminal).
 * Each becomes one '?', so the message stays one line. */
static void
terminal_safe(char *msg)
{
    unsigned char *r = (unsigned char *)msg, *w = r;
    size_t left = strlen(msg);
    uint32_t cp;

    while (*r) {
        size_t n = *r < 0x80 ? 1 : utf8_seq((const char *)r, left, &cp);
        if (n == 1) {
            *w++ = *r < 0x20 || *r == 0x7F ? '?' : *r;
            r++;
            left--;
        } else if (n == 0) {
            *w++ = '?';
            r++;
            left--;
        } else if ((cp >= 0x80 && cp < 0xA0) || cp == 0x061C ||
                   cp == 0x200E || cp == 0x200F ||
                   (cp >= 0x202A && cp <= 0x202E) ||
                   (cp >= 0x2066 && cp <= 0x2069)) {
            *w++ = '?';
            r += n;
            left -= n;
        } else {
            memmove(w, r, n);
            w += n;
            r += n;
            left -= n;
        }
    }
    *w = '\0';
}

static void vdiag(const char *kind, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
vdiag(const char *kind, const char *fmt, va_list ap)
{
    char small[1024];
    char *msg = small, *line;
    va_list copy;
    int len;
    size_t size;

    va_copy(copy, ap);
    len = vsnprintf(small, sizeof small, fmt, ap);
    if (len < 0) {
        va_end(copy);
        return;
    }
    if ((size_t)len >= sizeof small) {
        msg = malloc((size_t)len + 1);
        if (msg != NULL)
            vsnprintf(msg, (size_t)len + 1, fmt, copy);
        else
            msg = small;    /* truncated, but still said */
    }
    va_end(copy);

    terminal_safe(msg);
    FILE *out = thread_stream ? thread_stream : stderr;

    /* KIND NULL: the message alone, without "PROG: " (diag_plain). */
    const char *prog = kind ? prog_name : "", *sep = kind ? ": " : "";
    kind = kind ? kind : "";
    size = strlen(prog) + strlen(kind) + strlen(msg) + 4;
    line = malloc(size);
    if (line != NULL) {
        snprintf(line, size, "%s%s%s%s\n", prog, sep, kind, msg);
        fputs(line, out);
        free(line);
    } else {
        fprintf(out, "%s%s%s%s\n", prog, sep, kind, msg);
    }
    fflush(out);
    if (msg != small)
        free(msg);
}

void
diag_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag("", fmt, ap);
    va_end(ap);
}

void
diag_warn(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag("warning: ", fmt, ap);
    va_end(ap);
}

void
diag_plain(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vdiag(NULL, fmt, ap);
    va_end(ap);
}
