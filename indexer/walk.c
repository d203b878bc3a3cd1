/* walk.c - depth-first walk of a root directory
 *
 * An explicit stack of open directories instead of recursion, so a tree
 * hundreds of levels deep costs heap, not C stack.  Each stack entry holds a
 * DIR and the length of its path in the shared path buffer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "indexer/walk.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef struct frame {
    DIR *dir;
    size_t path_len;
    dev_t dev;
    ino_t ino;
} frame_t;

typedef struct walker {
    const char *root;
    size_t root_len;
    bool follow_symlinks;
    walk_file_fn on_file;
    walk_problem_fn on_problem;
    void *ctx;
    char *path;
    size_t path_cap;
    frame_t *stack;
    size_t depth;
    size_t stack_cap;
} walker_t;

static int
path_reserve(walker_t *w, size_t need)
{
    if (need <= w->path_cap)
        return 0;
    size_t cap = w->path_cap ? w->path_cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(w->path, cap);
    if (!p)
        return -1;
    w->path = p;
    w->path_cap = cap;
    return 0;
}

static bool
is_inside_root(const walker_t *w, const char *real)
{
    size_t n = w->root_len;
    if (strcmp(w->root, "/") == 0)
        return true;
    return strncmp(real, w->root, n) == 0 &&
           (real[n] == '\0' || real[n] == '/');
}

/* True when a directory with DEV/INO is already on the stack (a loop). */
static bool
on_stack(const walker_t *w, dev_t dev, ino_t ino)
{
    for (size_t i = 0; i < w->depth; i++)
        if (w->stack[i].dev == dev && w->stack[i].ino == ino)
            return true;
    return false;
}

static int
push_dir(walker_t *w, size_t path_len, const struct stat *st)
{
    if (on_stack(w, st->st_dev, st->st_ino)) {
        w->on_problem(w->ctx, w->path, "directory loop (not followed)");
        return 0;
    }
    DIR *d = opendir(w->path);
    if (!d) {
        w->on_problem(w->ctx, w->path, strerror(errno));
        return 0;
    }
    if (w->depth == w->stack_cap) {
        size_t cap = w->stack_cap ? w->stack_cap * 2 : 32;
        frame_t *s = realloc(w->stack, cap * sizeof *s);
        if (!s) {
            closedir(d);
            return -1;
        }
        w->stack = s;
        w->stack_cap = cap;
    }
    w->stack[w->depth++] = (frame_t){ d, path_len, st->st_dev, st->st_ino };
    return 0;
}

/* True when the directory at w->path (PATH_LEN bytes) is a Xapian
 * database (the index itself, kept inside a root, or any other): its
 * files are not documents, so the walk passes it over without a word.
 * Xapian makes "flintlock" first and "iamglass" last. */
static bool
is_database(walker_t *w, size_t path_len)
{
    static const char *const marks[] = { "/iamglass", "/flintlock" };
    struct stat st;

    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        if (path_reserve(w, path_len + strlen(marks[i]) + 1) < 0)
            return false;
        strcpy(w->path + path_len, marks[i]);
        bool found = lstat(w->path, &st) == 0;
        w->path[path_len] = '\0';
        if (found)
            return true;
    }
    return false;
}

/* Look at the entry whose path is in w->path; returns 1 to stop. */
static int
visit(walker_t *w, size_t path_len)
{
    struct stat st;

    if (lstat(w->path, &st) < 0) {
        /* Vanished between readdir and lstat: not worth a word. */
        if (errno != ENOENT)
            w->on_problem(w->ctx, w->path, strerror(errno));
        return 0;
    }
    if (S_ISLNK(st.st_mode)) {
        char *real = realpath(w->path, NULL);
        if (!real) {
            w->on_problem(w->ctx, w->path, errno == ELOOP
                          ? "symbolic link loop" : "dangling symbolic link");
            return 0;
        }
        bool inside = is_inside_root(w, real);
        free(real);
        if (!inside && !w->follow_symlinks) {
            w->on_problem(w->ctx, w->path,
                          "symbolic link leaves the root (not followed; "
                          "set index.follow_symlinks to follow)");
            return 0;
        }
        if (stat(w->path, &st) < 0) {
            w->on_problem(w->ctx, w->path, strerror(errno));
            return 0;
        }
    }
    if (S_ISDIR(st.st_mode)) {
        if (is_database(w, path_len))
            return 0;
        return push_dir(w, path_len, &st) < 0 ? -1 : 0;
    }
    if (S_ISREG(st.st_mode)) {
        const char *rel = w->path + w->root_len;
        while (*rel == '/')
            rel++;
        return w->on_file(w->ctx, w->path, rel, &st) ? 0 : 1;
    }
    return 0;   /* sockets, fifos, devices: not documents */
}

int
walk_root(const char *root, bool follow_symlinks, walk_file_fn on_file,
          walk_problem_fn on_problem, void *ctx)
{
    walker_t w = { .root = root, .root_len = strlen(root),
                   .follow_symlinks = follow_symlinks, .on_file = on_file,
                   .on_problem = on_problem, .ctx = ctx };
    struct stat st;
    int rc = 0;

    if (stat(root, &st) < 0)
        return -1;
    if (path_reserve(&w, w.root_len + 1) < 0)
        return -1;
    memcpy(w.path, root, w.root_len + 1);
    if (!S_ISDIR(st.st_mode)) {
        if (!S_ISREG(st.st_mode)) {
            errno = EINVAL;
            free(w.path);
            return -1;
        }
        const char *slash = strrchr(root, '/');
        rc = on_file(ctx, root, slash ? slash + 1 : root, &st) ? 0 : 1;
        free(w.path);
        return rc;
    }
    DIR *probe = opendir(root);
    if (!probe) {
        free(w.path);
        return -1;
    }
    closedir(probe);
    if (push_dir(&w, w.root_len, &st) < 0 || w.depth == 0) {
        free(w.path);
        free(w.stack);
        errno = ENOMEM;
        return -1;
    }
    while (w.depth > 0 && rc == 0) {
        frame_t *f = &w.stack[w.depth - 1];
        struct dirent *e = readdir(f->dir);
        if (!e) {
            closedir(f->dir);
            w.depth--;
            continue;
        }
        if (e->d_name[0] == '.')
            continue;
        size_t nlen = strlen(e->d_name);
        size_t base = f->path_len;
        if (path_reserve(&w, base + nlen + 2) < 0) {
            rc = -1;
            break;
        }
        w.path[base] = '/';
        memcpy(w.path + base + 1, e->d_name, nlen + 1);
        rc = visit(&w, base + 1 + nlen);
    }
    while (w.depth > 0)
        closedir(w.stack[--w.depth].dir);
    free(w.stack);
    free(w.path);
    return rc < 0 ? -1 : rc;
}
