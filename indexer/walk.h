/* walk.h - finding the files under the roots (internal interface)
 *
 * Walks a root depth-first with no recursion limit other than memory,
 * reporting regular files with their stat data.  Hidden entries (names
 * starting with '.') and Xapian databases (directories holding "iamglass"
 * or "flintlock", such as the index kept inside a root) are passed over
 * silently, directory loops are detected by device and inode, and
 * symbolic links are followed only when they stay inside the root, unless
 * FOLLOW_SYMLINKS allows leaving it.  Problems (unreadable directories,
 * dangling links, loops) go to the problem callback and never stop the
 * walk.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef WALK_H
#define WALK_H

#include <stdbool.h>
#include <sys/stat.h>

/* Called for every regular file: PATH is absolute, REL is relative to the
 * root (a suffix of PATH).  Return false to stop the walk. */
typedef bool (*walk_file_fn)(void *ctx, const char *path, const char *rel,
                             const struct stat *st);
/* Called for every problem: PATH and a reason ("symbolic link loop"). */
typedef void (*walk_problem_fn)(void *ctx, const char *path,
                                const char *reason);

/* Walk ROOT (an absolute, canonical path to a directory or a file).
 * Returns 0 when the walk finished, 1 when a callback stopped it, -1 when
 * ROOT itself cannot be read (errno set). */
int walk_root(const char *root, bool follow_symlinks, walk_file_fn on_file,
              walk_problem_fn on_problem, void *ctx);

#endif /* WALK_H */
