/* sandbox.c - running a parser in a child process under limits
 *
 * The child half (limits, the call, the JSON reply written straight to the
 * pipe) and the parent half (poll under a deadline, wait4 for the status
 * and peak memory, the reply decoded back into an extract_result_t).  The
 * reply is jansson's; bodies that are not valid UTF-8 are scrubbed in the
 * child so the reply always parses.  Never prints or exits in the parent.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "indexer/sandbox.h"

/* AddressSanitizer reserves terabytes of shadow memory and, when an mmap
 * fails under RLIMIT_AS, hangs in its own error path instead of dying;
 * sanitized builds rely on the parent's RSS watchdog alone. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif
/* The wall clock of a sanitized build's first tries (sandbox_run()). */
#ifndef ASAN_QUICK_WALL_MS
#define ASAN_QUICK_WALL_MS 5000
#endif

/* How often the parent looks at the child's resident size. */
#define WATCH_MS 50

/* The child's exit codes besides 0 (reply written). */
enum { EXIT_NOMEM = 3, EXIT_WRITE = 4 };

static void
set_error(extract_result_t *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_error(extract_result_t *out, const char *fmt, ...)
{
    va_list ap;
    char buf[512];

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    free(out->error);
    out->error = strdup(buf);
}

const char *
sandbox_status_str(sandbox_status_t st)
{
    switch (st) {
    case SANDBOX_OK: return "ok";
    case SANDBOX_PARSE_ERROR: return "parse error";
    case SANDBOX_CRASHED: return "crashed";
    case SANDBOX_TIMEOUT: return "timed out";
    case SANDBOX_NOMEM: return "out of memory";
    case SANDBOX_FAILED: return "sandbox failed";
    }
    return "unknown status";
}

/* Resident and virtual size of this process in bytes, from statm. */
static void
self_size(size_t *vm, size_t *rss)
{
    unsigned long v = 0, r = 0;
    long page = sysconf(_SC_PAGESIZE);
    char buf[128];
    ssize_t n;
    int fd;

    *vm = *rss = 0;
    fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return;
    buf[n] = '\0';
    if (sscanf(buf, "%lu %lu", &v, &r) == 2 && page > 0) {
        *vm = (size_t)v * (size_t)page;
        *rss = (size_t)r * (size_t)page;
    }
}

/* Resident size of process PID in bytes, 0 when unknown. */
static size_t
pid_rss(pid_t pid)
{
    unsigned long v = 0, r = 0;
    long page = sysconf(_SC_PAGESIZE);
    char path[64], buf[128];
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "/proc/%ld/statm", (long)pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    if (sscanf(buf, "%lu %lu", &v, &r) != 2 || page <= 0)
        return 0;
    return (size_t)r * (size_t)page;
}

/* ---------------------------------------------------------------- reply */

/* A JSON string of S (LEN bytes); invalid UTF-8 becomes U+FFFD. */
static json_t *
jstr(const char *s, size_t len)
{
    json_t *j;
    char *fix;
    size_t i = 0, o = 0, k, n;
    unsigned char c;

    if (s == NULL)
        return json_null();
    if ((j = json_stringn(s, len)) != NULL)
        return j;
    fix = malloc(len * 3 + 1);
    if (fix == NULL)
        return NULL;
    while (i < len) {
        c = (unsigned char)s[i];
        n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3
            : (c >> 3) == 30 ? 4 : 0;
        for (k = 1; n && k < n; k++)
            if (i + k >= len || ((unsigned char)s[i + k] >> 6) != 2)
                n = 0;
        if (n == 0 || (n == 1 && c == 0)) {
            memcpy(fix + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
            continue;
        }
        memcpy(fix + o, s + i, n);
        o += n;
        i += n;
    }
    j = json_stringn(fix, o);
    if (j == NULL)      /* overlongs and surrogates jansson refuses */
        j = json_string("");
    free(fix);
    return j;
}

static json_t *
jstrv(char **v, size_t n)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, jstr(v[i], strlen(v[i]))) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *
encode(const extract_result_t *r, const page_map_t *pages, int rc)
{
    json_t *root, *arts, *o, *p;
    size_t i;
    int bad = 0;

    root = json_object();
    arts = json_array();
    if (root == NULL || arts == NULL) {
        json_decref(root);
        json_decref(arts);
        return NULL;
    }
    bad |= json_object_set_new(root, "rc", json_integer(rc));
    bad |= json_object_set_new(root, "articles", arts);
    for (i = 0; i < r->n && !bad; i++) {
        const article_t *a = &r->articles[i];

        o = json_object();
        if (o == NULL)
            return json_decref(root), NULL;
        bad |= json_array_append_new(arts, o);
        bad |= json_object_set_new(o, "id", jstr(a->id, a->id ? strlen(a->id)
                                                          : 0));
        bad |= json_object_set_new(o, "title",
                                   jstr(a->title,
                                        a->title ? strlen(a->title) : 0));
        bad |= json_object_set_new(o, "authors",
                                   jstrv(a->authors.v, a->authors.n));
        bad |= json_object_set_new(o, "date",
                                   jstr(a->date, a->date ? strlen(a->date)
                                                         : 0));
        bad |= json_object_set_new(o, "date_line",
                                   json_integer(a->date_line));
        bad |= json_object_set_new(o, "source",
                                   jstr(a->source, a->source
                                        ? strlen(a->source) : 0));
        bad |= json_object_set_new(o, "url",
                                   jstr(a->url, a->url ? strlen(a->url)
                                                       : 0));
        bad |= json_object_set_new(o, "tags", jstrv(a->tags.v, a->tags.n));
        bad |= json_object_set_new(o, "lang",
                                   jstr(a->lang, a->lang ? strlen(a->lang)
                                                         : 0));
        bad |= json_object_set_new(o, "body",
                                   jstr(a->body.p ? a->body.p : "",
                                        a->body.len));
    }
    bad |= json_object_set_new(root, "warnings",
                               jstrv(r->warnings.msgs, r->warnings.n));
    bad |= json_object_set_new(root, "error",
                               jstr(r->error, r->error ? strlen(r->error)
                                                       : 0));
    p = json_array();
    bad |= json_object_set_new(root, "pages", p);
    for (i = 0; pages != NULL && p != NULL && i < pages->n && !bad; i++)
        bad |= json_array_append_new(p, json_integer((json_int_t)
                                                     pages->starts[i]));
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static int
write_cb(const char *buf, size_t size, void *data)
{
    int fd = *(int *)data;
    ssize_t n;

    while (size > 0) {
        n = write(fd, buf, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        size -= (size_t)n;
    }
    return 0;
}

/* Copy the string member KEY of O into *DST (NULL stays NULL). */
static int
get_str(json_t *o, const char *key, char **dst)
{
    json_t *v = json_object_get(o, key);

    if (!json_is_string(v))
        return 0;
    *dst = strndup(json_string_value(v), json_string_length(v));
    return *dst ? 0 : -1;
}

static int
decode(const char *buf, size_t len, extract_result_t *out,
       page_map_t *pages, int *rc)
{
    json_t *root, *arts, *o, *v, *e;
    json_error_t jerr;
    article_t *a;
    size_t i, k;
    int bad = 0;

    root = json_loadb(buf, len, JSON_ALLOW_NUL, &jerr);
    if (root == NULL || !json_is_integer(json_object_get(root, "rc"))
        || !json_is_array(arts = json_object_get(root, "articles"))) {
        json_decref(root);
        return -1;
    }
    *rc = (int)json_integer_value(json_object_get(root, "rc"));
    json_array_foreach(arts, i, o) {
        if ((a = extract_result_push(out)) == NULL) {
            bad = 1;
            break;
        }
        bad |= get_str(o, "id", &a->id) | get_str(o, "title", &a->title)
            | get_str(o, "date", &a->date)
            | get_str(o, "source", &a->source) | get_str(o, "url", &a->url)
            | get_str(o, "lang", &a->lang);
        a->date_line = (int)json_integer_value(json_object_get(o,
                                                               "date_line"));
        json_array_foreach(json_object_get(o, "authors"), k, e)
            if (json_is_string(e))
                bad |= article_add_author(a, json_string_value(e),
                                          json_string_length(e));
        json_array_foreach(json_object_get(o, "tags"), k, e)
            if (json_is_string(e))
                bad |= article_add_tag(a, json_string_value(e),
                                       json_string_length(e));
        v = json_object_get(o, "body");
        if (json_is_string(v))
            bad |= sbuf_add(&a->body, json_string_value(v),
                            json_string_length(v));
    }
    json_array_foreach(json_object_get(root, "warnings"), k, e)
        if (json_is_string(e))
            extract_diag_add(&out->warnings, "%s", json_string_value(e));
    bad |= get_str(root, "error", &out->error);
    if (pages != NULL)
        json_array_foreach(json_object_get(root, "pages"), k, e)
            bad |= page_map_add(pages, (size_t)json_integer_value(e));
    json_decref(root);
    return bad ? -1 : 0;
}

/* ---------------------------------------------------------------- child */

static void
child(int fd, sandbox_fn_t fn, void *arg, const sandbox_limits_t *lim,
      pid_t parent)
{
    extract_result_t res;
    page_map_t pages = PAGE_MAP_INIT;
    struct rlimit rl;
    sigset_t none;
    size_t vm, rss;
    json_t *reply;
    int rc, devnull;

    /* A parser must not outlive the indexer that waits for it (a killed
     * run, a test's timeout): die with the parent. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(EXIT_WRITE);
    /* Default dispositions and no blocked signals: the parent's handlers
     * (SIGINT for a clean stop, say) are not the child's business. */
    signal(SIGXCPU, SIG_DFL);
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
    signal(SIGABRT, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    rl.rlim_cur = rl.rlim_max = 0;
    setrlimit(RLIMIT_CORE, &rl);
    if (lim->cpu_seconds) {
        /* SIGXCPU at the soft limit, SIGKILL a second later. */
        rl.rlim_cur = lim->cpu_seconds;
        rl.rlim_max = (rlim_t)lim->cpu_seconds + 1;
        setrlimit(RLIMIT_CPU, &rl);
    }
    if (lim->mem_bytes && !UNDER_ASAN) {
        self_size(&vm, &rss);
        rl.rlim_cur = rl.rlim_max = (rlim_t)vm + lim->mem_bytes;
        setrlimit(RLIMIT_AS, &rl);
    }
    if (!lim->keep_stderr) {
        devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (devnull >= 0) {
            dup2(devnull, STDERR_FILENO);
            close(devnull);
        }
    }

    memset(&res, 0, sizeof(res));
    rc = fn(arg, &res, &pages);
    if (rc < 0 && res.error == NULL)
        res.error = strdup("parser failed without a reason");
    reply = encode(&res, &pages, rc < 0 ? -1 : 0);
    if (reply == NULL)
        _exit(EXIT_NOMEM);
    if (json_dump_callback(reply, write_cb, &fd, JSON_COMPACT) < 0)
        _exit(EXIT_WRITE);
    /* No cleanup: the process is about to vanish, and freeing a big
     * result only costs time. */
    _exit(0);
}

/* ---------------------------------------------------------------- parent */

static long long
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *
mib(size_t n, char *buf, size_t len)
{
    if (n % (1 << 20) == 0)
        snprintf(buf, len, "%zu MiB", n >> 20);
    else
        snprintf(buf, len, "%zu bytes", n);
    return buf;
}

/* DOSSIER_VALGRIND_EXITCODE, or -1. */
static int
tool_exitcode(void)
{
    const char *v = getenv("DOSSIER_VALGRIND_EXITCODE");
    char *end;
    long n;

    if (v == NULL || *v == '\0')
        return -1;
    n = strtol(v, &end, 10);
    return *end == '\0' && n > 0 && n < 256 ? (int)n : -1;
}

static void
clear_articles(extract_result_t *out, page_map_t *pages)
{
    size_t i;

    for (i = 0; i < out->n; i++)
        article_release(&out->articles[i]);
    out->n = 0;
    if (pages != NULL)
        pages->n = 0;
}

static sandbox_status_t
run_once(sandbox_fn_t fn, void *arg, const sandbox_limits_t *lim,
         extract_result_t *out, page_map_t *pages, int *wall_timeout)
{
    static const sandbox_limits_t defaults = SANDBOX_LIMITS_DEFAULT;
    char *buf = NULL, *p, a[32];
    size_t len = 0, cap = 0, vm, rss0;
    struct rusage ru;
    struct pollfd pfd;
    long long deadline = 0, left;
    int fds[2], status = 0, timed_out = 0, too_big = 0, over_mem = 0, rc;
    int used_half;
    ssize_t n;
    pid_t pid, w, parent;
    sandbox_status_t st;

    if (lim == NULL)
        lim = &defaults;
    if (pages != NULL)
        pages->n = 0;
    if (pipe2(fds, O_CLOEXEC) < 0) {
        set_error(out, "cannot start the parser: pipe: %s", strerror(errno));
        return SANDBOX_FAILED;
    }
    self_size(&vm, &rss0);
    fflush(NULL);       /* nothing buffered is written twice */
    parent = getpid();
    pid = fork();
    if (pid < 0) {
        set_error(out, "cannot start the parser: fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return SANDBOX_FAILED;
    }
    if (pid == 0) {
        close(fds[0]);
        child(fds[1], fn, arg, lim, parent);
        _exit(EXIT_WRITE);
    }
    close(fds[1]);

    if (lim->wall_ms)
        deadline = now_ms() + lim->wall_ms;
    pfd.fd = fds[0];
    pfd.events = POLLIN;
    for (;;) {
        left = -1;
        if (deadline) {
            left = deadline - now_ms();
            if (left <= 0) {
                timed_out = 1;
                break;
            }
        }
        /* The watchdog backs RLIMIT_AS up (and stands in for it under
         * ASan): a child resident past its budget is killed. */
        if (lim->mem_bytes) {
            if (pid_rss(pid) > rss0 + lim->mem_bytes) {
                over_mem = 1;
                break;
            }
            if (left < 0 || left > WATCH_MS)
                left = WATCH_MS;
        }
        rc = poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : (int)left);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc == 0)
            continue;           /* the checks above decide */
        if (rc < 0)
            break;
        if (len == cap) {
            if (cap >= lim->max_reply) {
                too_big = 1;
                break;
            }
            cap = cap ? cap * 2 : 64 * 1024;
            if (cap > lim->max_reply)
                cap = lim->max_reply;
            p = realloc(buf, cap);
            if (p == NULL) {
                too_big = 1;
                break;
            }
            buf = p;
        }
        n = read(fds[0], buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    if (timed_out || too_big || over_mem)
        kill(pid, SIGKILL);
    close(fds[0]);
    memset(&ru, 0, sizeof(ru));
    do
        w = wait4(pid, &status, 0, &ru);
    while (w < 0 && errno == EINTR);

    /* Under `make valgrind` the child is valgrind's too, and its leak
     * check at _exit() counts as lost whatever the threads fork() left
     * behind held: the test wrapper names valgrind's --error-exitcode in
     * DOSSIER_VALGRIND_EXITCODE, and a child that ends with it after a
     * whole reply is taken as one that ended with 0 (a reply that does
     * not decode is still an error). */
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0
        && WEXITSTATUS(status) == tool_exitcode())
        status = 0;

    /* A child that grew by half its budget or more before failing ran
     * out of memory, whichever way the failure showed. */
    used_half = lim->mem_bytes
        && (size_t)ru.ru_maxrss * 1024 >= rss0 + lim->mem_bytes / 2;

    *wall_timeout = timed_out;
    if (timed_out) {
        if (lim->wall_ms % 1000 == 0)
            set_error(out, "timed out after %u s", lim->wall_ms / 1000);
        else
            set_error(out, "timed out after %.1f s", lim->wall_ms / 1000.0);
        st = SANDBOX_TIMEOUT;
    } else if (too_big) {
        set_error(out, "parser's result too large (over %s)",
                  mib(lim->max_reply, a, sizeof(a)));
        st = SANDBOX_FAILED;
    } else if (w < 0) {
        set_error(out, "parser lost: waitpid: %s", strerror(errno));
        st = SANDBOX_FAILED;
    } else if (WIFSIGNALED(status)
               && (WTERMSIG(status) == SIGXCPU
                   || (WTERMSIG(status) == SIGKILL && lim->cpu_seconds
                       && ru.ru_utime.tv_sec + ru.ru_stime.tv_sec
                          >= (time_t)lim->cpu_seconds))) {
        set_error(out, "timed out after %u s of CPU time",
                  lim->cpu_seconds);
        st = SANDBOX_TIMEOUT;
    } else if (over_mem
               || ((WIFSIGNALED(status) || (WIFEXITED(status)
                                            && WEXITSTATUS(status) != 0))
                   && (used_half || (WIFEXITED(status)
                                     && WEXITSTATUS(status)
                                        == EXIT_NOMEM)))) {
        set_error(out, "out of memory (over %s)",
                  mib(lim->mem_bytes, a, sizeof(a)));
        st = SANDBOX_NOMEM;
    } else if (WIFSIGNALED(status)) {
        set_error(out, "crashed (signal %d)", WTERMSIG(status));
        st = SANDBOX_CRASHED;
    } else if (WEXITSTATUS(status) != 0) {
        set_error(out, "parser ended without a result (exit %d)",
                  WEXITSTATUS(status));
        st = SANDBOX_FAILED;
    } else if (decode(buf, len, out, pages, &rc) < 0) {
        clear_articles(out, pages);
        set_error(out, "parser's result unreadable (%zu bytes)", len);
        st = SANDBOX_FAILED;
    } else if (rc < 0) {
        if (out->error == NULL)
            set_error(out, "parser failed without a reason");
        st = strcmp(out->error, "out of memory") == 0 ? SANDBOX_NOMEM
                                                      : SANDBOX_PARSE_ERROR;
    } else
        st = SANDBOX_OK;
    free(buf);
    if (st != SANDBOX_OK)
        clear_articles(out, pages);
    return st;
}

sandbox_status_t
sandbox_run(sandbox_fn_t fn, void *arg, const sandbox_limits_t *lim,
            extract_result_t *out, page_map_t *pages)
{
    static const sandbox_limits_t defaults = SANDBOX_LIMITS_DEFAULT;
    int wall = 0;
    sandbox_status_t st;

    /* GCC 12's AddressSanitizer does not lock its allocator across
     * fork(): a child forked while another thread allocates (the writer
     * decompressing an export, say) can block forever on that lock in
     * its first malloc.  glibc's malloc is fork-safe, so this is the
     * sanitized build's alone: there, up to three tries get a short wall
     * clock (a test document parses in well under a second even under
     * ASan, and a hang found there costs seconds, not a minute), then one
     * gets the full one. */
    if (UNDER_ASAN) {
        sandbox_limits_t quick = lim ? *lim : defaults;
        if (quick.wall_ms == 0 || quick.wall_ms > ASAN_QUICK_WALL_MS) {
            quick.wall_ms = ASAN_QUICK_WALL_MS;
            for (int i = 0; i < 3; i++) {
                st = run_once(fn, arg, &quick, out, pages, &wall);
                if (st != SANDBOX_TIMEOUT || !wall)
                    return st;
                free(out->error);
                out->error = NULL;
            }
        }
    }
    st = run_once(fn, arg, lim, out, pages, &wall);
    if (UNDER_ASAN && st == SANDBOX_TIMEOUT && wall) {
        free(out->error);
        out->error = NULL;
        st = run_once(fn, arg, lim, out, pages, &wall);
    }
    return st;
}
