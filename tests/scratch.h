/* scratch.h - a fresh directory for each Check test, and its removal
 *
 * The suites that write files (databases, YAML, indexed trees) make one
 * directory per test in a checked fixture and remove it, with all it
 * holds, afterwards.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SCRATCH_H
#define SCRATCH_H

#include <stddef.h>

/* Make $TMPDIR/NAME-XXXXXX (/tmp when TMPDIR is unset or empty) into DIR,
 * LEN bytes; a test failure when it cannot be made. */
void scratch_make(char *dir, size_t len, const char *name);

/* Remove DIR and everything under it, not following links. */
void scratch_remove(const char *dir);

#endif /* SCRATCH_H */
