/* scratch.c - a fresh directory for each Check test (see scratch.h)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _XOPEN_SOURCE 700
#include "tests/scratch.h"

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

void
scratch_make(char *dir, size_t len, const char *name)
{
    const char *base = getenv("TMPDIR");

    snprintf(dir, len, "%s/%s-XXXXXX", base && *base ? base : "/tmp",
             name);
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static int
remove_entry(const char *path, const struct stat *sb, int flag,
             struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void
scratch_remove(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
