/* diag.h - one-line diagnostics on stderr for both programs
 *
 * Messages have the form "PROG: PLACE: WHAT" (HACKING.md, "Errors").
 * The program name is set once at start-up.  This module never exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DIAG_H
#define DIAG_H

#include <stdarg.h>
#include <stdio.h>

/* Set the program name printed before every message (not copied). */
void diag_set_prog(const char *prog);
const char *diag_prog(void);

/* Send the calling thread's messages to F instead of stderr (NULL:
 * stderr again); for threads whose messages must wait their turn. */
void diag_set_stream(FILE *f);

/* "PROG: MESSAGE\n" on stderr. */
void diag_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* "PROG: warning: MESSAGE\n" on stderr. */
void diag_warn(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* "MESSAGE\n" on stderr, made terminal-safe like the others: for lines
 * naming files ("added PATH") that are not diagnostics. */
void diag_plain(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif /* DIAG_H */
