/* sandbox.h - running a parser in a child process under limits
 *
 * PDF and Office files are parsed by large libraries (poppler, libxml2,
 * libarchive) on input anyone can craft; a crash, a hang or a runaway
 * allocation in one of them must name the file and let the run go on.
 * sandbox_run() forks a child that sets RLIMIT_CPU, RLIMIT_AS (the budget
 * on top of what the child already maps) and RLIMIT_CORE 0, sends its
 * stderr to /dev/null
 * (library chatter never reaches the user), calls the parse function, and
 * writes the articles, the warnings, the error and the page map back as
 * one JSON document (jansson) over a pipe.  The parent reads the pipe with
 * poll() under a wall-clock timeout, kills the child when it expires or
 * when its resident size passes the budget (every 50 ms: a backstop for
 * RLIMIT_AS, and the only memory limit in ASan builds, whose shadow
 * memory rules RLIMIT_AS out), and turns the way the child ended into the
 * file's error:
 *
 *   SANDBOX_PARSE_ERROR  the parser's own error ("encrypted (needs a
 *                        password)"), passed through
 *   SANDBOX_CRASHED      "crashed (signal 11)"
 *   SANDBOX_TIMEOUT      "timed out after 30 s" (wall clock) or "timed out
 *                        after 30 s of CPU time" (RLIMIT_CPU)
 *   SANDBOX_NOMEM        "out of memory (over 1024 MiB)": the child died
 *                        or gave up having used at least half its budget,
 *                        or its parser said "out of memory"
 *   SANDBOX_FAILED       the sandbox itself: fork or pipe failed, a reply
 *                        too large or unreadable ("parser ended without a
 *                        result (exit 1)")
 *
 * Threads: the child of a multi-threaded process may only rely on what
 * fork() keeps; glibc's malloc and stdio are fork-safe, and the parsers
 * initialise their libraries afresh in the child, but a lock another
 * thread held at fork time stays locked.  Call it from a thread that
 * holds no locks the parse needs, or fork a small pool before starting
 * threads.  The child always leaves through _exit(), so the parent's
 * atexit handlers and stdio buffers are never run twice.  Never prints or
 * exits (in the parent).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SANDBOX_H
#define SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "indexer/extract.h"
#include "indexer/pagemap.h"

typedef struct sandbox_limits {
    unsigned cpu_seconds;   /* RLIMIT_CPU; 0: none */
    size_t mem_bytes;       /* address space the child may add; 0: none */
    unsigned wall_ms;       /* wall clock before the child is killed; 0:
                               none */
    size_t max_reply;       /* bytes of JSON accepted from the child */
    bool keep_stderr;       /* true: the child's stderr stays the
                               parent's (debugging) */
} sandbox_limits_t;

/* 30 s of CPU, 1 GiB, 60 s of wall clock, replies up to 256 MiB. */
#define SANDBOX_LIMITS_DEFAULT \
    { 30, (size_t)1 << 30, 60000, (size_t)256 << 20, false }

typedef enum sandbox_status {
    SANDBOX_OK = 0,
    SANDBOX_PARSE_ERROR,
    SANDBOX_CRASHED,
    SANDBOX_TIMEOUT,
    SANDBOX_NOMEM,
    SANDBOX_FAILED
} sandbox_status_t;

/* A parser: fill OUT (zeroed) and PAGES (initialised, may stay empty)
 * from ARG; return 0, or -1 with OUT->error set.  Runs in the child. */
typedef int (*sandbox_fn_t)(void *arg, extract_result_t *out,
                            page_map_t *pages);

/* Run FN(ARG) in a child under LIM (NULL: the defaults), filling OUT
 * (zeroed by the caller) and PAGES (initialised by the caller; NULL when
 * not wanted).  Returns SANDBOX_OK with OUT as FN left it, or another
 * status with OUT->error set (no articles, PAGES empty); warnings FN left
 * are kept either way. */
sandbox_status_t sandbox_run(sandbox_fn_t fn, void *arg,
                             const sandbox_limits_t *lim,
                             extract_result_t *out, page_map_t *pages);

/* Static text for a status: "ok", "parse error", "crashed"... */
const char *sandbox_status_str(sandbox_status_t st);

#endif /* SANDBOX_H */
