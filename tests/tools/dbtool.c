/* dbtool.c - a test helper that reads and patches databases through the shim
 *
 * The reliability tests need to see a database as a whole (every document's
 * stored data and value slots, with no collapsing and no ranking) and to
 * make databases the programs would never write (a newer schema version).
 * Only shim/ may include Xapian's header, so this goes through shim/xsh.h like the
 * programs do.  It is built for the tests only and never installed.
 *
 *   dbtool dump DB        every document, one line each, sorted: its data
 *                         (the JSON part, then " |body:" and the body with
 *                         control bytes and backslashes as \xHH) and its
 *                         value slots 0-7 (hex); then one line per
 *                         unique id term held by more than one document
 *                         ("DUPLICATE term N"); exit 0, 1 on duplicates
 *   dbtool count DB       the number of documents
 *   dbtool spelling DB    the spelling dictionary: "WORD FREQUENCY" lines
 *   dbtool set-meta DB KEY VALUE
 *                         write metadata KEY (for "dossier.schema" = "99")
 *   dbtool get-meta DB KEY
 *                         metadata KEY's value, as stored, on stdout
 *                         (nothing when there is none)
 *   dbtool termfreq DB TERM
 *                         how many documents hold TERM (prefix included)
 *   dbtool peak-rss CMD [ARG...]
 *                         run CMD (its output to /dev/null) and print its
 *                         peak resident set size in KiB (getrusage); exit
 *                         with CMD's status, 2 if it did not exit
 *   dbtool groups DB      the collapse groups' record: "current" or
 *                         "stale" (SCHEMA_META_GROUPS), then the "path"
 *                         of each document holding SCHEMA_TERM_GROUP,
 *                         sorted, one a line
 *
 * Exit status 2 on any error, with one line on stderr.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/schema.h"
#include "shim/xsh.h"

static int
die(const char *what, const char *msg)
{
    fprintf(stderr, "dbtool: %s: %s\n", what, msg ? msg : "failed");
    return 2;
}

/* Open the database at PATH for reading; NULL (said on stderr) if it
 * cannot be. */
static xsh_db_t *
open_db(const char *path)
{
    const char *paths[1] = { path };
    xsh_db_t *db = NULL;
    char *msg = NULL;

    if (xsh_db_open(paths, 1, 0, &db, &msg) != XSH_OK) {
        die(path, msg);
        free(msg);
        return NULL;
    }
    return db;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct dups {
    unsigned n;
} dups_t;

static bool
check_unique(void *ctx, const char *term, size_t len, unsigned freq)
{
    dups_t *d = ctx;
    if (freq > 1) {
        printf("DUPLICATE %.*s %u\n", (int)len, term, freq);
        d->n++;
    }
    return true;
}

static int
dump(const char *path)
{
    xsh_db_t *db = open_db(path);
    xsh_search_t *s = NULL;
    xsh_results_t *r = NULL;
    char *msg = NULL;
    unsigned count = 0;
    int rc = 2;

    if (!db)
        return 2;
    if (xsh_db_doccount(db, &count) != XSH_OK) {
        rc = die(path, xsh_db_errmsg(db));
        goto out;
    }
    if (xsh_search_new(db, &s, &msg) != XSH_OK) {
        rc = die(path, msg);
        free(msg);
        goto out;
    }
    /* An empty query matches everything; no collapse, no sort needed. */
    if (xsh_search_parse(s, "", 0) != XSH_OK ||
        xsh_search_run(s, 0, count ? count : 1, count, &r) != XSH_OK) {
        rc = die(path, xsh_search_errmsg(s));
        goto out;
    }
    unsigned n = xsh_results_size(r);
    char **lines = calloc(n ? n : 1, sizeof *lines);
    if (!lines) {
        rc = die(path, "out of memory");
        goto out;
    }
    for (unsigned i = 0; i < n; i++) {
        xsh_hit_t h;
        char *buf = NULL;
        size_t blen = 0;
        FILE *f = open_memstream(&buf, &blen);
        if (!f || xsh_results_get(r, i, &h) != XSH_OK) {
            rc = die(path, "cannot read a hit");
            goto out;
        }
        const char *body;
        size_t jlen, body_len;
        schema_data_split(h.data, h.data_len, &jlen, &body, &body_len);
        fwrite(h.data, 1, jlen, f);
        if (body) {
            fputs(" |body:", f);
            for (size_t k = 0; k < body_len; k++) {
                unsigned char c = (unsigned char)body[k];
                if (c < 0x20 || c == '\\')
                    fprintf(f, "\\x%02x", c);
                else
                    fputc(c, f);
            }
        }
        for (xsh_slot_t slot = 0; slot <= SCHEMA_SLOT_AUTHOR; slot++) {
            char *v = NULL;
            size_t vlen = 0;
            if (xsh_results_value(r, i, slot, &v, &vlen) != XSH_OK) {
                fclose(f);
                rc = die(path, xsh_results_errmsg(r));
                goto out;
            }
            fprintf(f, " |%u:", (unsigned)slot);
            for (size_t k = 0; k < vlen; k++)
                fprintf(f, "%02x", (unsigned char)v[k]);
            free(v);
        }
        fclose(f);
        lines[i] = buf;
    }
    qsort(lines, n, sizeof *lines, cmp_str);
    for (unsigned i = 0; i < n; i++) {
        puts(lines[i]);
        free(lines[i]);
    }
    free(lines);

    dups_t d = { 0 };
    if (xsh_db_each_term(db, SCHEMA_PREFIX_ID, check_unique, &d) != XSH_OK) {
        rc = die(path, xsh_db_errmsg(db));
        goto out;
    }
    rc = d.n ? 1 : 0;
out:
    xsh_results_free(r);
    xsh_search_free(s);
    xsh_db_close(db);
    return rc;
}

static int
count_docs(const char *path)
{
    xsh_db_t *db = open_db(path);
    unsigned count = 0;
    int rc;

    if (!db)
        return 2;
    if (xsh_db_doccount(db, &count) != XSH_OK) {
        rc = die(path, xsh_db_errmsg(db));
    } else {
        printf("%u\n", count);
        rc = 0;
    }
    xsh_db_close(db);
    return rc;
}

static bool
print_word(void *ctx, const char *word, size_t len, unsigned freq)
{
    (void)ctx;
    printf("%.*s %u\n", (int)len, word, freq);
    return true;
}

static int
spelling(const char *path)
{
    xsh_db_t *db = open_db(path);
    int rc = 0;

    if (!db)
        return 2;
    if (xsh_db_each_spelling(db, print_word, NULL) != XSH_OK)
        rc = die(path, xsh_db_errmsg(db));
    xsh_db_close(db);
    return rc;
}

static int
set_meta(const char *path, const char *key, const char *value)
{
    xsh_wdb_t *w = NULL;
    char *msg = NULL;
    int rc = 0;

    if (xsh_wdb_open(path, XSH_WDB_OPEN, &w, &msg) != XSH_OK) {
        rc = die(path, msg);
        free(msg);
        return rc;
    }
    if (xsh_wdb_set_metadata(w, key, value, strlen(value)) != XSH_OK ||
        xsh_wdb_commit(w) != XSH_OK)
        rc = die(path, xsh_wdb_errmsg(w));
    xsh_wdb_close(w);
    return rc;
}

/* Metadata KEY of the database at PATH, its bytes as they are, on
 * stdout. */
static int
get_meta(const char *path, const char *key)
{
    xsh_db_t *db = open_db(path);
    char *v = NULL;
    size_t len = 0;
    int rc = 0;

    if (!db)
        return 2;
    if (xsh_db_get_metadata(db, key, &v, &len) != XSH_OK)
        rc = die(path, xsh_db_errmsg(db));
    else if (fwrite(v, 1, len, stdout) != len || fflush(stdout) != 0)
        rc = die("stdout", "write error");
    free(v);
    xsh_db_close(db);
    return rc;
}

static int
termfreq(const char *path, const char *term)
{
    xsh_db_t *db = open_db(path);
    unsigned freq = 0;
    int rc = 0;

    if (!db)
        return 2;
    if (xsh_db_termfreq(db, term, &freq) != XSH_OK)
        rc = die(path, xsh_db_errmsg(db));
    else
        printf("%u\n", freq);
    xsh_db_close(db);
    return rc;
}

static int
peak_rss(char **argv)
{
    struct rusage ru;
    int status;
    pid_t pid = fork();

    if (pid < 0) {
        perror("dbtool: fork");
        return 2;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("dbtool: wait4");
        return 2;
    }
    printf("%ld\n", ru.ru_maxrss);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

static int
groups(const char *path)
{
    xsh_db_t *db = open_db(path);
    xsh_search_t *s = NULL;
    xsh_results_t *r = NULL;
    const char *term = SCHEMA_TERM_GROUP;
    char *msg = NULL;
    unsigned count = 0;
    bool current = false;
    int rc = 2;

    if (!db)
        return 2;
    if (xsh_db_stamp_current(db, SCHEMA_META_GROUPS, &current) != XSH_OK ||
        xsh_db_doccount(db, &count) != XSH_OK) {
        rc = die(path, xsh_db_errmsg(db));
        goto out;
    }
    puts(current ? "current" : "stale");
    if (xsh_search_new(db, &s, &msg) != XSH_OK) {
        rc = die(path, msg);
        free(msg);
        goto out;
    }
    if (xsh_search_parse(s, "", 0) != XSH_OK ||
        xsh_search_filter_terms(s, &term, 1) != XSH_OK ||
        xsh_search_run(s, 0, count ? count : 1, count, &r) != XSH_OK) {
        rc = die(path, xsh_search_errmsg(s));
        goto out;
    }
    unsigned n = xsh_results_size(r);
    char **lines = calloc(n ? n : 1, sizeof *lines);
    if (!lines) {
        rc = die(path, "out of memory");
        goto out;
    }
    for (unsigned i = 0; i < n; i++) {
        xsh_hit_t h;
        const char *p;
        if (xsh_results_get(r, i, &h) != XSH_OK ||
            !(p = strstr(h.data, "\"path\":\"")) ||
            !(lines[i] = strndup(p + 8, strcspn(p + 8, "\"")))) {
            rc = die(path, "cannot read a hit");
            goto out;
        }
    }
    qsort(lines, n, sizeof *lines, cmp_str);
    for (unsigned i = 0; i < n; i++) {
        puts(lines[i]);
        free(lines[i]);
    }
    free(lines);
    rc = 0;
out:
    xsh_results_free(r);
    xsh_search_free(s);
    xsh_db_close(db);
    return rc;
}

int
main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "peak-rss") == 0)
        return peak_rss(argv + 2);
    if (argc == 3 && strcmp(argv[1], "dump") == 0)
        return dump(argv[2]);
    if (argc == 3 && strcmp(argv[1], "count") == 0)
        return count_docs(argv[2]);
    if (argc == 3 && strcmp(argv[1], "spelling") == 0)
        return spelling(argv[2]);
    if (argc == 5 && strcmp(argv[1], "set-meta") == 0)
        return set_meta(argv[2], argv[3], argv[4]);
    if (argc == 4 && strcmp(argv[1], "get-meta") == 0)
        return get_meta(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "groups") == 0)
        return groups(argv[2]);
    if (argc == 4 && strcmp(argv[1], "termfreq") == 0)
        return termfreq(argv[2], argv[3]);
    fputs("usage: dbtool dump DB | count DB | spelling DB | "
          "set-meta DB KEY VALUE | get-meta DB KEY | groups DB | "
          "termfreq DB TERM | "
          "peak-rss CMD [ARG...]\n",
          stderr);
    return 2;
}
