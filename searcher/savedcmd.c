/* savedcmd.c - dossier-search's saved-search commands
 *
 * Split from main.c (issue 11), moved, not changed: --save, --saved,
 * --run, --new and --delete over saved.c's store, each run through
 * main.c's search (main_int.h).  Prints, like main.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "searcher/main_int.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "config/config.h"
#include "config/date.h"
#include "config/schema.h"
#include "searcher/batch.h"
#include "searcher/like.h"
#include "searcher/output.h"
#include "searcher/period.h"
#include "searcher/query.h"
#include "searcher/saved.h"
#include "searcher/search.h"
#include "searcher/series.h"
#include "searcher/timeline.h"
#include "shim/xsh.h"
#include "util/diag.h"
#include "util/strv.h"

/* ------------------------------------------------------------------ */
/* Saved searches (saved.c): --save, --saved, --run, --new, --delete   */

static bool
has_filters(const opts_t *o)
{
    return o->authors.n || o->sources.n || o->tags.n || o->langs.n ||
           o->since || o->until || o->any_set || o->no_translit;
}

/* Open the databases to read, as a search does; NULL when that failed
 * (said on stderr). */
static xsh_db_t *
open_read(const opts_t *o, const config_t *cfg, bool *remote)
{
    char err[1024];
    xsh_db_t *db = query_open((const char *const *)o->dbs.v, o->dbs.n, cfg,
                              o->allow_partial, main_warn_line, remote, err,
                              sizeof err);
    if (!db) {
        diag_error("%s", err);
        return NULL;
    }
    if (main_check_schema(db, o, cfg) < 0) {
        xsh_db_close(db);
        return NULL;
    }
    return db;
}

/* O with the query and filters of saved search S (borrowed from S). */
static void
apply_saved(opts_t *o, const saved_search_t *s, const config_t *cfg)
{
    o->authors = s->authors;
    o->sources = s->sources;
    o->tags = s->tags;
    o->langs = s->langs;
    o->since = s->since;
    o->until = s->until;
    o->any = s->any || cfg->any;
    o->no_translit = s->no_translit;
    o->query = s->query;
}

/* The saved search as a command line would give it, for people. */
static char *
describe(const saved_search_t *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (!f)
        return NULL;
    fputs(*s->query ? s->query : "(every document)", f);
    for (size_t i = 0; i < s->authors.n; i++)
        fprintf(f, " --author '%s'", s->authors.v[i]);
    for (size_t i = 0; i < s->sources.n; i++)
        fprintf(f, " --source '%s'", s->sources.v[i]);
    for (size_t i = 0; i < s->tags.n; i++)
        fprintf(f, " --tag '%s'", s->tags.v[i]);
    for (size_t i = 0; i < s->langs.n; i++)
        fprintf(f, " --lang '%s'", s->langs.v[i]);
    if (s->since)
        fprintf(f, " --since '%s'", s->since);
    if (s->until)
        fprintf(f, " --until '%s'", s->until);
    if (s->any)
        fputs(" --any", f);
    if (s->no_translit)
        fputs(" --no-translit", f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    char *clean = out_sanitize(buf, false);
    free(buf);
    return clean;
}

/* A run stamp as ISO 8601 UTC into BUF; NULL for none. */
static const char *
stamp_iso(const char *stamp, char *buf, size_t len)
{
    struct tm tm;
    time_t t;

    if (!stamp || !*stamp)
        return NULL;
    t = (time_t)strtoll(stamp, NULL, 10);
    if (!gmtime_r(&t, &tm))
        return NULL;
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

static int
cmd_list(const opts_t *o, const config_t *cfg)
{
    bool remote;
    saved_search_t *v = NULL;
    size_t n = 0;
    char err[1024], when[32];
    xsh_db_t *db = open_read(o, cfg, &remote);

    if (!db)
        return SEARCH_EXIT_ERROR;
    if (saved_list(db, &v, &n, err, sizeof err) < 0) {
        diag_error("--saved: %s", err);
        xsh_db_close(db);
        return SEARCH_EXIT_ERROR;
    }
    xsh_db_close(db);
    if (o->format == OUT_JSON) {
        json_t *j = json_object(), *a = json_array();
        for (size_t i = 0; i < n; i++) {
            char *text = saved_encode(&v[i]);
            json_t *e = text ? json_loads(text, 0, NULL) : NULL;
            free(text);
            if (!e)
                continue;
            json_object_del(e, "mark");
            json_t *named = json_object();
            json_object_set_new(named, "name", json_string(v[i].name));
            json_object_update(named, e);
            json_decref(e);
            const char *last = stamp_iso(v[i].mark, when, sizeof when);
            json_object_set_new(named, "last_new", last ? json_string(last)
                                                        : json_null());
            json_array_append_new(a, named);
        }
        json_object_set_new(j, "saved", a);
        json_dumpf(j, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(j);
    } else {
        for (size_t i = 0; i < n; i++) {
            char *d = describe(&v[i]);
            if (o->format == OUT_PATHS)
                printf("%s\n", v[i].name);
            else
                printf("%-16s %s\n", v[i].name, d ? d : "");
            free(d);
        }
    }
    saved_list_free(v, n);
    return n ? SEARCH_EXIT_HITS : SEARCH_EXIT_NONE;
}

static int
copy_strv(strv_t *to, const strv_t *from)
{
    for (size_t i = 0; i < from->n; i++)
        if (strv_push(to, from->v[i]) < 0)
            return -1;
    return 0;
}

static int
cmd_save(const opts_t *o, const config_t *cfg, int argc, char **argv,
         double t0)
{
    char err[1024], when[32];
    const char *path;
    bool remote;
    int rc = SEARCH_EXIT_ERROR;
    saved_search_t s;

    saved_search_init(&s);
    if (saved_name_check("--save", o->save, err, sizeof err) < 0 ||
        !(path = saved_db_path("--save", (const char *const *)o->dbs.v,
                               o->dbs.n, cfg, err, sizeof err))) {
        diag_error("%s", err);
        return SEARCH_EXIT_ERROR;
    }
    xsh_db_t *db = open_read(o, cfg, &remote);
    if (!db)
        return SEARCH_EXIT_ERROR;
    /* Build and run the search once, its output thrown away, so that a
     * query that cannot run is refused now rather than at every --new. */
    opts_t probe = *o;
    char *sink = NULL;
    size_t sink_len = 0;
    probe.query = main_join_args(argc, argv);
    probe.limit = 0;
    probe.limit_set = true;
    probe.format = OUT_PATHS;
    probe.out = open_memstream(&sink, &sink_len);
    if (!probe.query || !probe.out) {
        diag_error("out of memory");
        goto out;
    }
    int prc = main_run_search(db, &probe, cfg, remote, t0);
    if (prc == SEARCH_EXIT_ERROR)
        goto out;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!(s.name = strdup(o->save)) || !(s.query = strdup(probe.query)) ||
        copy_strv(&s.authors, &o->authors) < 0 ||
        copy_strv(&s.sources, &o->sources) < 0 ||
        copy_strv(&s.tags, &o->tags) < 0 ||
        copy_strv(&s.langs, &o->langs) < 0 ||
        (o->since && !(s.since = strdup(o->since))) ||
        (o->until && !(s.until = strdup(o->until))) ||
        !(s.saved_at = strdup(when)) || !(s.mark = strdup(""))) {
        diag_error("out of memory");
        goto out;
    }
    s.any = o->any_set;
    s.no_translit = o->no_translit;
    xsh_wdb_t *w = saved_open(path, err, sizeof err);
    if (!w || saved_put(w, &s, err, sizeof err) < 0)
        diag_error("%s", err);
    else
        rc = SEARCH_EXIT_HITS;
    xsh_wdb_close(w);
out:
    if (probe.out)
        fclose(probe.out);
    free(sink);
    free(probe.query);
    saved_search_release(&s);
    xsh_db_close(db);
    return rc;
}

static int
cmd_delete(const opts_t *o, const config_t *cfg)
{
    char err[1024];
    const char *path;
    bool remote;
    saved_search_t s;

    if (saved_name_check("--delete", o->del, err, sizeof err) < 0 ||
        !(path = saved_db_path("--delete", (const char *const *)o->dbs.v,
                               o->dbs.n, cfg, err, sizeof err))) {
        diag_error("%s", err);
        return SEARCH_EXIT_ERROR;
    }
    xsh_db_t *db = open_read(o, cfg, &remote);
    if (!db)
        return SEARCH_EXIT_ERROR;
    int found = saved_get(db, o->del, &s, err, sizeof err);
    saved_search_release(&s);
    xsh_db_close(db);
    if (found <= 0) {
        if (found == 0)
            diag_error("--delete: no saved search '%s' (--saved lists "
                       "them)", o->del);
        else
            diag_error("--delete: %s", err);
        return SEARCH_EXIT_ERROR;
    }
    xsh_wdb_t *w = saved_open(path, err, sizeof err);
    int rc = SEARCH_EXIT_HITS;
    if (!w || saved_delete(w, o->del, err, sizeof err) < 0) {
        diag_error("%s", err);
        rc = SEARCH_EXIT_ERROR;
    }
    xsh_wdb_close(w);
    return rc;
}

static int
cmd_run(const opts_t *o, const config_t *cfg, int argc, char **argv,
        double t0)
{
    char err[1024];
    bool remote;
    saved_search_t s;
    int rc = SEARCH_EXIT_ERROR;

    if (saved_name_check("--run", o->run, err, sizeof err) < 0) {
        diag_error("%s", err);
        return SEARCH_EXIT_ERROR;
    }
    if (has_filters(o)) {
        diag_error("--run: the filters are the saved search's; save a new "
                   "one with --save to change them (query words given "
                   "with --run narrow it)");
        return SEARCH_EXIT_ERROR;
    }
    xsh_db_t *db = open_read(o, cfg, &remote);
    if (!db)
        return SEARCH_EXIT_ERROR;
    int found = saved_get(db, o->run, &s, err, sizeof err);
    if (found <= 0) {
        if (found == 0)
            diag_error("--run: no saved search '%s' (--saved lists them)",
                       o->run);
        else
            diag_error("--run: %s", err);
        xsh_db_close(db);
        return SEARCH_EXIT_ERROR;
    }
    opts_t r = *o;
    apply_saved(&r, &s, cfg);
    char *extra = main_join_args(argc, argv), *both = NULL;
    if (extra && *extra && *s.query) {
        /* Narrow: both must match. */
        size_t len = strlen(s.query) + strlen(extra) + 16;
        if ((both = malloc(len)))
            snprintf(both, len, "(%s) AND (%s)", s.query, extra);
        r.query = both;
    } else if (extra && *extra) {
        r.query = extra;
    }
    if (!extra || !r.query)
        diag_error("out of memory");
    else
        rc = main_run_search(db, &r, cfg, remote, t0);
    free(extra);
    free(both);
    saved_search_release(&s);
    xsh_db_close(db);
    return rc;
}

/* Print what one saved search found new (its captured output BUF of LEN
 * bytes) as FORMAT wants it. */
static void
print_new(const opts_t *o, const saved_search_t *s, const char *buf,
          size_t len, const char *since)
{
    char when[32];

    if (o->format == OUT_JSON) {
        json_t *j = json_loadb(buf, len, 0, NULL);
        if (!j)
            return;
        json_object_set_new(j, "saved", json_string(s->name));
        const char *t = stamp_iso(since, when, sizeof when);
        json_object_set_new(j, "new_since", t ? json_string(t)
                                              : json_null());
        json_dumpf(j, stdout, JSON_COMPACT);
        fputc('\n', stdout);
        json_decref(j);
        return;
    }
    if (o->format == OUT_TEXT) {
        char *d = describe(s);
        printf("# %s: %s\n", s->name, d ? d : "");
        free(d);
    }
    fwrite(buf, 1, len, stdout);
}

static int
cmd_new(const opts_t *o, const config_t *cfg, int argc, char **argv,
        double t0)
{
    char err[1024], after[32];
    const char *path;
    bool remote, any_new = false, failed = false;
    saved_search_t *v = NULL;
    size_t n = 0;
    xsh_wdb_t *w = NULL;
    xsh_db_t *db = NULL;
    char *done = NULL;
    int rc = SEARCH_EXIT_ERROR;

    for (int i = 0; i < argc; i++)
        if (saved_name_check("--new", argv[i], err, sizeof err) < 0) {
            diag_error("%s", err);
            return SEARCH_EXIT_ERROR;
        }
    if (has_filters(o)) {
        diag_error("--new: the filters are the saved searches'; give only "
                   "names after --new");
        return SEARCH_EXIT_ERROR;
    }
    if (!(path = saved_db_path("--new", (const char *const *)o->dbs.v,
                               o->dbs.n, cfg, err, sizeof err))) {
        diag_error("%s", err);
        return SEARCH_EXIT_ERROR;
    }
    /* The lock first: when an index run holds it, nothing is shown, so
     * nothing is marked as seen that a later --new should show. */
    if (!(w = saved_open(path, err, sizeof err))) {
        diag_error("%s", err);
        return SEARCH_EXIT_ERROR;
    }
    if (!(db = open_read(o, cfg, &remote)))
        goto out;
    if (!(done = saved_run_done(db, err, sizeof err))) {
        diag_error("%s: %s", path, err);
        goto out;
    }
    if (argc == 0) {
        if (saved_list(db, &v, &n, err, sizeof err) < 0) {
            diag_error("--new: %s", err);
            goto out;
        }
    } else {
        if (!(v = calloc((size_t)argc, sizeof *v))) {
            diag_error("out of memory");
            goto out;
        }
        for (int i = 0; i < argc; i++, n++) {
            int found = saved_get(db, argv[i], &v[i], err, sizeof err);
            if (found <= 0) {
                if (found == 0)
                    diag_error("--new: no saved search '%s' (--saved lists "
                               "them)", argv[i]);
                else
                    diag_error("--new: %s", err);
                goto out;
            }
        }
    }
    for (size_t i = 0; i < n && *done; i++) {
        opts_t r = *o;
        char *buf = NULL;
        size_t len = 0;
        apply_saved(&r, &v[i], cfg);
        r.new_lo = saved_after(v[i].mark, after, sizeof after);
        r.new_hi = done;
        if (!o->limit_set) {
            r.limit = 1000000;      /* every new document */
            r.limit_set = true;
        }
        if (!(r.out = open_memstream(&buf, &len))) {
            diag_error("out of memory");
            goto out;
        }
        int one = main_run_search(db, &r, cfg, remote, t0);
        fclose(r.out);
        if (one == SEARCH_EXIT_HITS) {
            print_new(o, &v[i], buf, len, v[i].mark);
            any_new = true;
        }
        free(buf);
        if (one == SEARCH_EXIT_ERROR) {
            /* Its mark stays: the next --new tries again. */
            failed = true;
            continue;
        }
        char *mark = strdup(done);
        if (!mark) {
            diag_error("out of memory");
            goto out;
        }
        free(v[i].mark);
        v[i].mark = mark;
    }
    /* Marked only once the output is out: a failed write shows it all
     * again next time. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        diag_error("write error on standard output; nothing marked as "
                   "seen");
        goto out;
    }
    for (size_t i = 0; i < n && *done; i++)
        if (saved_put(w, &v[i], err, sizeof err) < 0) {
            diag_error("%s: %s", path, err);
            goto out;
        }
    rc = failed ? SEARCH_EXIT_ERROR : any_new ? SEARCH_EXIT_HITS
                                              : SEARCH_EXIT_NONE;
out:
    free(done);
    saved_list_free(v, n);
    xsh_db_close(db);
    xsh_wdb_close(w);
    return rc;
}

/* --save, --saved, --run, --new and --delete; ARGV: the words after the
 * options (a query, or --new's names). */
int
savedcmd_command(opts_t *o, const config_t *cfg, int argc, char **argv,
                 double t0)
{
    int n_modes = !!o->save + !!o->run + !!o->del + o->list_saved +
                  o->new_mode;
    int rc;

    if (n_modes > 1) {
        diag_error("--save, --saved, --run, --new and --delete go one at a "
                   "time; try 'dossier-search --help'");
        return SEARCH_EXIT_ERROR;
    }
    if (o->like) {
        diag_error("--like: cannot be saved or combined with a saved "
                   "search");
        return SEARCH_EXIT_ERROR;
    }
    if (!o->run && (o->chart || o->hist_by)) {
        diag_error("%s: only a search or --run draws a chart or splits "
                   "a histogram", o->chart ? "--chart" : "--histogram-by");
        return SEARCH_EXIT_ERROR;
    }
    if ((o->list_saved || o->del) && argc > 0) {
        diag_error("%s: takes no query", o->del ? "--delete" : "--saved");
        return SEARCH_EXIT_ERROR;
    }
    if (o->save)
        rc = cmd_save(o, cfg, argc, argv, t0);
    else if (o->run)
        rc = cmd_run(o, cfg, argc, argv, t0);
    else if (o->del)
        rc = cmd_delete(o, cfg);
    else if (o->list_saved)
        rc = cmd_list(o, cfg);
    else
        rc = cmd_new(o, cfg, argc, argv, t0);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        diag_error("write error on standard output");
        rc = SEARCH_EXIT_ERROR;
    }
    return rc;
}
