/* diag.c - one-line diagnostics on stderr for both programs
 *
 * Formats "PROG: MESSAGE" (or "PROG: warning: MESSAGE") into one buffer and
 * writes it with a single stdio call, so lines from several threads do not
 * interleave.  Control characters in the message (a newline in a file name,
 * an escape sequence from a document) are shown as '?', keeping each
 * diagnostic on one line and the terminal safe.  Never exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Set once at start-up, before any thread starts (diag.h). */
static const char *prog_name = "dossier";

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

static void vdiag(const char *kind, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
vdiag(const char *kind, const char *fmt, va_list ap)
{
    char small[1024];
    char *msg = small, *line, *p;
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

    for (p = msg; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';

    size = strlen(prog_name) + strlen(kind) + strlen(msg) + 4;
    line = malloc(size);
    if (line != NULL) {
        snprintf(line, size, "%s: %s%s\n", prog_name, kind, msg);
        fputs(line, stderr);
        free(line);
    } else {
        fprintf(stderr, "%s: %s%s\n", prog_name, kind, msg);
    }
    fflush(stderr);
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
