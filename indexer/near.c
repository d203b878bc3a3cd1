/* near.c - the collapse key of near-duplicates, the first-indexed stamp
 *
 * Split from index.c (issue 11): what the writer gives each built
 * document before it is written (write_job() in index.c,
 * exports_write_chunk() in exports.c), the search for near-duplicates
 * that shards.c also runs (index_near_in()), and the record of which
 * documents share a collapse key, made at the end of a run
 * (index_mark_groups()).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "indexer/index_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "util/diag.h"
#include "config/schema.h"
#include "indexer/dbdir.h"
#include "indexer/document.h"
#include "indexer/extract.h"
#include "indexer/index_int.h"
#include "indexer/job.h"
#include "indexer/pipeline.h"
#include "indexer/roots.h"
#include "indexer/records.h"
#include "indexer/simhash.h"
#include "indexer/walk.h"
#include "indexer/zstream.h"
#include "shim/xsh.h"

/* ------------------------------------------------------------------ */
/* Near-duplicates: the collapse key                                   */

static bool
hex_value(xsh_wdb_t *wdb, xsh_docid_t docid, xsh_slot_t slot, char **out)
{
    return xsh_wdb_get_doc_value(wdb, docid, slot, out, NULL) == XSH_OK;
}

static bool
near_candidate(void *ctx, xsh_docid_t docid)
{
    index_near_t *n = ctx;
    char *sim = NULL, *key = NULL;
    if (n->below && docid >= n->below)
        return false;           /* postings come in docid order */
    if (hex_value(n->wdb, docid, SCHEMA_SLOT_SIMHASH, &sim) && *sim) {
        uint64_t h = strtoull(sim, NULL, 16);
        if (simhash_distance(h, n->simhash) <= SIMHASH_MAX_DISTANCE &&
            hex_value(n->wdb, docid, SCHEMA_SLOT_FINGERPRINT, &key) && *key &&
            (!n->best || strcmp(key, n->best) < 0)) {
            free(n->best);
            n->best = key;
            key = NULL;
        }
    }
    free(sim);
    free(key);
    return true;
}

void
index_near_in(index_near_t *n, xsh_wdb_t *wdb, xsh_docid_t below)
{
    char term[64];

    n->wdb = wdb;
    n->below = below;
    for (int i = 0; i < SIMHASH_BANDS; i++)
        xsh_wdb_each_posting(wdb, simhash_band_term(SCHEMA_PREFIX_BAND,
                             n->simhash, i, term, sizeof term),
                             near_candidate, n);
}

/* Give D the collapse key of its near-duplicates already in the database
 * (the smallest, so the choice is the same whatever the order of the
 * candidates), or keep its own.  A document that is reindexed and still
 * close to what it was keeps its key, and a key never changes because
 * another copy is deleted: keys are only ever copied, never recomputed. */
void
index_choose_collapse_key(run_t *r, builtdoc_t *d)
{
    index_near_t n = { r->wdb, d->simhash, NULL, 0 };
    char *old_sim = NULL;

    if (!d->has_simhash)
        return;
    if (xsh_wdb_get_value(r->wdb, d->id_term, SCHEMA_SLOT_SIMHASH, &old_sim,
                          NULL) == XSH_OK && *old_sim &&
        simhash_distance(strtoull(old_sim, NULL, 16), d->simhash) <=
        SIMHASH_MAX_DISTANCE)
        xsh_wdb_get_value(r->wdb, d->id_term, SCHEMA_SLOT_FINGERPRINT,
                          &n.best, NULL);
    free(old_sim);
    if (n.best && !*n.best) {
        free(n.best);
        n.best = NULL;
    }
    /* Its own old key wins; else look for near-duplicates. */
    if (!n.best)
        index_near_in(&n, r->wdb, 0);
    if (n.best)
        xsh_doc_add_value(d->doc, SCHEMA_SLOT_FINGERPRINT, n.best,
                          strlen(n.best));
    free(n.best);
}

/* Give D its first-indexed stamp (config/schema.h): the one of the
 * document it replaces, found by its id, so that an edit, a reindex
 * with --full or a rebuild never makes an old document new; else this
 * run's.  A document from before stamps gets SCHEMA_STAMP_UNKNOWN: it
 * is not new either.  Called before the file's old documents go. */
void
index_stamp_first_indexed(run_t *r, builtdoc_t *d)
{
    char *old = NULL;
    const char *v = r->run_stamp;

    if (xsh_wdb_get_value(r->wdb, d->id_term, SCHEMA_SLOT_FIRST_INDEXED,
                          &old, NULL) == XSH_OK)
        v = *old ? old : SCHEMA_STAMP_UNKNOWN;
    /* Fails only when memory runs out, which the write that follows
     * reports; the document then merely counts as old. */
    if (*v)
        xsh_doc_add_value(d->doc, SCHEMA_SLOT_FIRST_INDEXED, v, strlen(v));
    free(old);
}

/* ------------------------------------------------------------------ */
/* Collapse groups                                                     */

/* Documents join and leave groups as others are added, edited or
 * deleted, so the groups are found again from the whole collapse slot
 * at the end of each run; only documents whose membership changed are
 * rewritten. */
int
index_mark_groups(xsh_wdb_t *wdb, char *err, size_t errlen)
{
    if (xsh_wdb_mark_shared(wdb, SCHEMA_SLOT_FINGERPRINT, SCHEMA_TERM_GROUP,
                            NULL) != XSH_OK ||
        xsh_wdb_commit_stamped(wdb, SCHEMA_META_GROUPS, true) != XSH_OK) {
        snprintf(err, errlen, "%s", xsh_wdb_errmsg(wdb));
        return -1;
    }
    return 0;
}

int
index_mark_groups_at(const char *path, char *err, size_t errlen)
{
    xsh_wdb_t *wdb = NULL;
    char *msg = NULL;

    if (xsh_wdb_open(path, XSH_WDB_OPEN, &wdb, &msg) != XSH_OK) {
        snprintf(err, errlen, "%s", msg ? msg : "cannot open");
        free(msg);
        return -1;
    }
    int rc = index_mark_groups(wdb, err, errlen);
    xsh_wdb_close(wdb);
    return rc;
}
