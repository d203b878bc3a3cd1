/* dbpool.c - database handles lent to requests, reopened when changed
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "server/dbpool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "config/schema.h"
#include "searcher/query.h"
#include "searcher/search.h"
#include "util/sbuf.h"

typedef struct slot {
    xsh_db_t *db;
    bool remote;
    bool lent;
    char *print;                /* the files' fingerprint when opened */
    double checked;             /* last xsh_db_reopen(), ms */
} slot_t;

struct dbpool {
    const char *const *paths;
    size_t n_paths;
    const char *one[1];
    const config_t *cfg;
    bool allow_partial;
    slot_t *slots;
    unsigned n;
    pthread_mutex_t lock;
    pthread_cond_t freed;
};

static void
add_stat(sbuf_t *b, const char *path)
{
    struct stat st;
    char buf[128];
    if (stat(path, &st) < 0) {
        sbuf_adds(b, "-;");
        return;
    }
    snprintf(buf, sizeof buf, "%lu:%lu:%ld.%09ld:%lld;",
             (unsigned long)st.st_dev, (unsigned long)st.st_ino,
             (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
             (long long)st.st_size);
    sbuf_adds(b, buf);
}

/* What the paths are now: each path and, for a directory, its version
 * file (a commit writes a new one; a swap brings another directory). */
static char *
fingerprint(const dbpool_t *p)
{
    sbuf_t b = SBUF_INIT;
    for (size_t i = 0; i < p->n_paths; i++) {
        const char *path = p->paths[i];
        struct stat st;
        add_stat(&b, path);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            size_t len = strlen(path);
            char *v = malloc(len + sizeof "/iamglass");
            if (v) {
                memcpy(v, path, len);
                memcpy(v + len, "/iamglass", sizeof "/iamglass");
                add_stat(&b, v);
                free(v);
            }
        }
    }
    return sbuf_detach(&b);
}

/* The searcher's check: a database this program can read. */
static int
check_schema(xsh_db_t *db, const char *name, char *err, size_t errlen)
{
    char *v = NULL, msg[256];
    unsigned count = 0;
    int rc = 0;

    if (xsh_db_get_metadata(db, SCHEMA_META_VERSION, &v, NULL) != XSH_OK ||
        xsh_db_doccount(db, &count) != XSH_OK) {
        snprintf(err, errlen, "%s: %s", name, xsh_db_errmsg(db));
        rc = -1;
    } else if (schema_check(v, count, SCHEMA_USE_READ, msg,
                            sizeof msg) < 0) {
        snprintf(err, errlen, "%s: %s", name, msg);
        rc = -1;
    }
    free(v);
    return rc;
}

static void
no_warn(const char *msg)
{
    (void)msg;
}

static int
open_slot(dbpool_t *p, slot_t *s, char *err, size_t errlen)
{
    char *print = fingerprint(p);
    bool remote = false;
    xsh_db_t *db = query_open(p->paths, p->n_paths, p->cfg,
                              p->allow_partial, no_warn, &remote, err,
                              errlen);
    if (!db || check_schema(db, p->paths[0], err, errlen) < 0) {
        xsh_db_close(db);
        free(print);
        return -1;
    }
    xsh_db_close(s->db);
    free(s->print);
    s->db = db;
    s->remote = remote;
    s->print = print;
    s->checked = search_now_ms();
    return 0;
}

dbpool_t *
dbpool_new(const char *const *paths, size_t n_paths, const config_t *cfg,
           bool allow_partial, unsigned n, char *err, size_t errlen)
{
    dbpool_t *p = calloc(1, sizeof *p);
    if (!p || !(p->slots = calloc(n ? n : 1, sizeof *p->slots))) {
        free(p);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (n_paths == 0 && cfg->shards.n) {
        paths = (const char *const *)cfg->shards.v;
        n_paths = cfg->shards.n;
    } else if (n_paths == 0) {
        p->one[0] = cfg->database ? cfg->database : "dossier.db";
        paths = p->one;
        n_paths = 1;
    }
    p->paths = paths;
    p->n_paths = n_paths;
    p->cfg = cfg;
    p->allow_partial = allow_partial;
    p->n = n ? n : 1;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->freed, NULL);
    if (open_slot(p, &p->slots[0], err, errlen) < 0) {
        dbpool_free(p);
        return NULL;
    }
    return p;
}

void
dbpool_free(dbpool_t *p)
{
    if (!p)
        return;
    for (unsigned i = 0; i < p->n; i++) {
        xsh_db_close(p->slots[i].db);
        free(p->slots[i].print);
    }
    free(p->slots);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->freed);
    free(p);
}

const char *
dbpool_name(const dbpool_t *p)
{
    return p->paths[0];
}

xsh_db_t *
dbpool_get(dbpool_t *p, bool *remote, char *err, size_t errlen)
{
    slot_t *s = NULL;

    pthread_mutex_lock(&p->lock);
    for (;;) {
        for (unsigned i = 0; i < p->n && !s; i++)
            if (!p->slots[i].lent)
                s = &p->slots[i];
        if (s)
            break;
        pthread_cond_wait(&p->freed, &p->lock);
    }
    s->lent = true;
    pthread_mutex_unlock(&p->lock);

    /* Outside the lock: opening may take a while. */
    char *now = fingerprint(p);
    if (!s->db || !now || !s->print || strcmp(now, s->print) != 0) {
        if (open_slot(p, s, err, errlen) < 0 && !s->db) {
            free(now);
            pthread_mutex_lock(&p->lock);
            s->lent = false;
            pthread_cond_signal(&p->freed);
            pthread_mutex_unlock(&p->lock);
            return NULL;
        }
    } else if (search_now_ms() - s->checked > 1000) {
        /* Shards behind a stub file: their commits do not show in the
         * fingerprint. */
        xsh_db_reopen(s->db, NULL);
        s->checked = search_now_ms();
    }
    free(now);
    *remote = s->remote;
    return s->db;
}

void
dbpool_put(dbpool_t *p, xsh_db_t *db)
{
    pthread_mutex_lock(&p->lock);
    for (unsigned i = 0; i < p->n; i++) {
        if (p->slots[i].lent && p->slots[i].db == db) {
            p->slots[i].lent = false;
            break;
        }
    }
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}
