/* xsh.h - the C API over Xapian ("Xapian shim")
 *
 * The only door to Xapian in dossier.  It speaks Xapian's terms (databases,
 * terms, prefixes, value slots, queries, match spies, snippets) and never
 * dossier's fields or config.  It never prints, reads config or exits: every
 * function returns an xsh_status_t and, on failure, leaves a one-line message
 * (Xapian's get_msg(), never a C++ type name) behind.
 *
 * Errors: every function returns XSH_OK (0) or another status.  Functions on
 * a handle store the detail for xsh_errmsg(handle), valid until the next call
 * on that handle (as sqlite3_errmsg).  Open/new functions take char **errmsg
 * (may be NULL); on failure *errmsg is a malloc'd string the caller frees
 * with free().  On failure OUT pointers are set to NULL.  NULL handles or
 * arguments give XSH_INVALID_ARG.  No C++ exception ever leaves this API.
 *
 * Ownership: strings returned through OUT char ** are malloc'd and freed by
 * the caller with free().  const char * returned by accessors are owned by
 * the handle they came from and valid until the next call on it, unless the
 * function says otherwise.  Children (results) must be freed before their
 * parent (search, database).  Every free and close function takes NULL.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef XSH_H
#define XSH_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum xsh_status {
    XSH_OK = 0,
    XSH_NOT_FOUND,      /* database (or document, term) does not exist */
    XSH_LOCKED,         /* another writer holds the database lock */
    XSH_VERSION,        /* database format too new or too old */
    XSH_CORRUPT,        /* database is corrupt */
    XSH_OPEN,           /* database cannot be opened or created */
    XSH_MODIFIED,       /* database moved on too often during a read */
    XSH_QUERY_SYNTAX,   /* query string cannot be parsed */
    XSH_NETWORK,        /* remote backend failed or timed out */
    XSH_INVALID_ARG,    /* bad argument (NULL handle, bad slot, ...) */
    XSH_XAPIAN,         /* any other Xapian error */
    XSH_NOMEM,          /* out of memory */
    XSH_INTERNAL,       /* any other exception */
    XSH_STATUS_LAST
} xsh_status_t;

/* Static English text for a status ("database is locked", ...). */
const char *xsh_status_str(xsh_status_t st);

/* The Xapian version string the shim was linked with, static. */
const char *xsh_version(void);

typedef unsigned int xsh_docid_t;
typedef unsigned int xsh_slot_t;

/* A language stemmer (see "Languages" below). */
typedef struct xsh_stem xsh_stem_t;

/* ------------------------------------------------------------------ */
/* Term generation                                                     */
/* ------------------------------------------------------------------ */

/* A document being built: terms with positions, boolean terms, values and
 * data.  Owned by the caller; free with xsh_doc_free().  A document is
 * handed to xsh_wdb_replace(), which copies it. */
typedef struct xsh_doc xsh_doc_t;

/* A term generator: a stemmer, an optional stopword list and a running term
 * position.  One per thread; not thread-safe.  Reusable across documents. */
typedef struct xsh_termgen xsh_termgen_t;

/* Create a term generator stemming in LANGUAGE (a Xapian stemmer name such as
 * "english", "russian", or "none"/"" for no stemming).
 * OUT tg: the generator, free with xsh_termgen_free().
 * Returns XSH_OK, XSH_INVALID_ARG (unknown language), XSH_NOMEM. */
xsh_status_t xsh_termgen_new(const char *language, xsh_termgen_t **tg,
                             char **errmsg);
void xsh_termgen_free(xsh_termgen_t *tg);
const char *xsh_termgen_errmsg(const xsh_termgen_t *tg);

/* Stem with STEM (a language stemmer of xsh_stem_new(), borrowed: it
 * must outlive the generator or the next call), or with the generator's
 * own stemmer again when STEM is NULL.  STEM's cache is not locked: give
 * it only to generators of the thread that uses it. */
xsh_status_t xsh_termgen_set_stem(xsh_termgen_t *tg, xsh_stem_t *stem);

/* Stopwords: terms the generator does not stem (STOP_STEMMED strategy, as
 * QueryParser does).  WORDS is an array of N lower-case UTF-8 words,
 * copied. */
xsh_status_t xsh_termgen_set_stopwords(xsh_termgen_t *tg,
                                       const char *const *words, size_t n);

/* Start a new document: the generator's positions restart at 0. */
xsh_status_t xsh_doc_new(xsh_doc_t **doc, char **errmsg);
void xsh_doc_free(xsh_doc_t *doc);
/* The message of the last failed xsh_doc_* call on DOC. */
const char *xsh_doc_errmsg(const xsh_doc_t *doc);

/* Index LEN bytes of UTF-8 TEXT into DOC with TermGenerator: words get
 * within-document frequency WEIGHT each, positions (when WITH_POSITIONS),
 * are stemmed (unstemmed forms and Z-prefixed stems, as Xapian's STEM_SOME)
 * and are prefixed with PREFIX ("" for none).  Positions continue from the
 * previous call on the same document; call xsh_termgen_increase_termpos()
 * between fields so that phrases do not span them. */
xsh_status_t xsh_termgen_index(xsh_termgen_t *tg, xsh_doc_t *doc,
                               const char *text, size_t len,
                               unsigned weight, const char *prefix,
                               bool with_positions);

/* Synonym groups indexed as one term (shim/fold.cc).  FOLDS holds one
 * pair a line, "MEMBER CANONICAL" (lower-case words, no spaces inside):
 * xsh_termgen_fold() renames DOC's terms of each MEMBER under each of the
 * N PREFIXES ("" for plain words), as written (with its positions) and as
 * its "Z" stem under the generator's stemmer, to CANONICAL's, keeping
 * their frequencies and positions.  Call it once per document, after its
 * text is indexed.  An empty FOLDS folds nothing. */
xsh_status_t xsh_termgen_set_folds(xsh_termgen_t *tg, const char *folds,
                                   const char *const *prefixes, size_t n);
xsh_status_t xsh_termgen_fold(xsh_termgen_t *tg, xsh_doc_t *doc);

/* Leave a gap of DELTA positions in DOC's position sequence. */
xsh_status_t xsh_termgen_increase_termpos(xsh_termgen_t *tg, xsh_doc_t *doc,
                                          unsigned delta);

/* Add a boolean term (wdf 0, no position), for example "Kfoo". Terms longer
 * than Xapian's limit (245 bytes) are truncated at a UTF-8 boundary. */
xsh_status_t xsh_doc_add_boolean_term(xsh_doc_t *doc, const char *term);

/* Add WDFINC to the within-document frequency of TERM, without a
 * position (a term that ranks, unlike a boolean one); cut as
 * xsh_doc_add_boolean_term() cuts terms. */
xsh_status_t xsh_doc_add_term(xsh_doc_t *doc, const char *term,
                              unsigned wdfinc);

/* Set value SLOT to LEN bytes of DATA (one value per slot). */
xsh_status_t xsh_doc_add_value(xsh_doc_t *doc, xsh_slot_t slot,
                               const char *data, size_t len);

/* Set the document data blob (LEN bytes, may contain NULs). */
xsh_status_t xsh_doc_set_data(xsh_doc_t *doc, const char *data, size_t len);

/* Call FN for each unprefixed, unstemmed term of DOC (the words as indexed,
 * lower-cased), with its wdf.  Used to feed the spelling dictionary. */
typedef void (*xsh_term_fn)(void *ctx, const char *term, size_t len,
                            unsigned freq);
xsh_status_t xsh_doc_each_word(const xsh_doc_t *doc, xsh_term_fn fn,
                               void *ctx);

/* ------------------------------------------------------------------ */
/* Writable database                                                   */
/* ------------------------------------------------------------------ */

typedef struct xsh_wdb xsh_wdb_t;

enum {
    XSH_WDB_CREATE_OR_OPEN = 0,  /* create if missing, else open */
    XSH_WDB_CREATE = 1,          /* fail with XSH_OPEN if it exists */
    XSH_WDB_OPEN = 2,            /* fail with XSH_NOT_FOUND if missing */
    XSH_WDB_NO_SYNC = 0x10       /* skip fsync (benchmarks only) */
};

/* Open PATH (a glass database directory) for writing with MODE (above).
 * OUT wdb: the handle; close with xsh_wdb_close(), which commits.
 * Returns XSH_OK, XSH_LOCKED (another writer holds the lock), XSH_NOT_FOUND,
 * XSH_VERSION, XSH_CORRUPT, XSH_OPEN. */
xsh_status_t xsh_wdb_open(const char *path, int mode, xsh_wdb_t **wdb,
                          char **errmsg);
/* Commit pending changes and close.  Errors on this final commit are lost;
 * call xsh_wdb_commit() first to see them. */
void xsh_wdb_close(xsh_wdb_t *wdb);
const char *xsh_wdb_errmsg(const xsh_wdb_t *wdb);

/* Replace the document indexed by UNIQUE_TERM with DOC, or add DOC if none
 * is.  DOC must contain UNIQUE_TERM (the shim adds it to DOC if missing).
 * UNIQUE_TERM is cut as xsh_doc_add_boolean_term() cuts terms, so ids
 * longer than 245 bytes should be hashed by the caller.
 * OUT docid (may be NULL): the document's id. */
xsh_status_t xsh_wdb_replace(xsh_wdb_t *wdb, const char *unique_term,
                             const xsh_doc_t *doc, xsh_docid_t *docid);

/* Delete every document indexed by UNIQUE_TERM (none is not an error). */
xsh_status_t xsh_wdb_delete(xsh_wdb_t *wdb, const char *unique_term);

/* Delete document DOCID (one of a term's postings, xsh_wdb_each_posting()).
 * Returns XSH_NOT_FOUND when there is no such document. */
xsh_status_t xsh_wdb_delete_docid(xsh_wdb_t *wdb, xsh_docid_t docid);

/* Make all changes so far durable and visible to readers (atomic). */
xsh_status_t xsh_wdb_commit(xsh_wdb_t *wdb);

/* Number of documents, including uncommitted changes. */
xsh_status_t xsh_wdb_doccount(xsh_wdb_t *wdb, unsigned *count);

/* Metadata: KEY -> VALUE (LEN bytes); an empty value deletes the key. */
xsh_status_t xsh_wdb_set_metadata(xsh_wdb_t *wdb, const char *key,
                                  const char *value, size_t len);
/* OUT value: malloc'd, NUL-terminated copy ("" if unset); OUT len may be
 * NULL. */
xsh_status_t xsh_wdb_get_metadata(xsh_wdb_t *wdb, const char *key,
                                  char **value, size_t *len);

/* Look up the document indexed by UNIQUE_TERM and copy value SLOT.
 * OUT value: malloc'd copy, NUL-terminated; OUT len may be NULL.
 * Returns XSH_NOT_FOUND when no document has the term (OUT value NULL). */
xsh_status_t xsh_wdb_get_value(xsh_wdb_t *wdb, const char *unique_term,
                               xsh_slot_t slot, char **value, size_t *len);

/* Call FN for each document indexed by TERM, in docid order, including
 * uncommitted changes.  FN returns true to go on. */
typedef bool (*xsh_posting_fn)(void *ctx, xsh_docid_t docid);
xsh_status_t xsh_wdb_each_posting(xsh_wdb_t *wdb, const char *term,
                                  xsh_posting_fn fn, void *ctx);

/* Copy value SLOT of document DOCID (malloc'd, NUL-terminated, "" if
 * unset); OUT len may be NULL.  Returns XSH_NOT_FOUND when there is no
 * such document. */
xsh_status_t xsh_wdb_get_doc_value(xsh_wdb_t *wdb, xsh_docid_t docid,
                                   xsh_slot_t slot, char **value,
                                   size_t *len);

/* Set value SLOT of document DOCID to VALUE (LEN bytes), leaving its terms
 * and data as they are.  Returns XSH_NOT_FOUND when there is no such
 * document. */
xsh_status_t xsh_wdb_set_doc_value(xsh_wdb_t *wdb, xsh_docid_t docid,
                                   xsh_slot_t slot, const char *value,
                                   size_t len);

/* Collapse groups (shim/groups.cc): which documents share their value in
 * a slot with another document, recorded as a term, so that a search can
 * count the collapsed list without reading every match's value
 * (xsh_search_set_collapse_groups()).
 *
 * Give TERM (a boolean term, wdf 0) to every document whose value in
 * SLOT is not empty and is also another document's, and take it from
 * every other document that has it; only the documents whose membership
 * changed are rewritten.  Reads the committed database: commit first.
 * A few documents may get TERM without sharing their value (two values
 * are compared by a 64-bit hash), which costs a search time, never a
 * wrong count.  OUT n_changed (may be NULL): documents rewritten. */
xsh_status_t xsh_wdb_mark_shared(xsh_wdb_t *wdb, xsh_slot_t slot,
                                 const char *term, unsigned *n_changed);

/* Commit, and with the same commit set metadata KEY to the stamp of the
 * revision it makes (the database's UUID and revision number), which
 * says "recorded at this revision": any later commit, by any program,
 * or a compaction (a new UUID) makes it stale.  With RENEW false the
 * stamp is carried over only when KEY holds the current revision's
 * stamp (a commit that changes no document, such as metadata alone,
 * keeps what was recorded true); otherwise it is a plain commit. */
xsh_status_t xsh_wdb_commit_stamped(xsh_wdb_t *wdb, const char *key,
                                    bool renew);

/* Call FN for each term starting with PREFIX, in sorted order, with its
 * term frequency (number of documents).  FN returns true to go on. */
typedef bool (*xsh_each_term_fn)(void *ctx, const char *term, size_t len,
                                 unsigned termfreq);
xsh_status_t xsh_wdb_each_term(xsh_wdb_t *wdb, const char *prefix,
                               xsh_each_term_fn fn, void *ctx);

/* Synonyms: TERM (as the query parser sees it: lower-case, unstemmed, or a
 * multi-word "a b") expands to SYNONYM.  clear removes all of TERM's. */
xsh_status_t xsh_wdb_add_synonym(xsh_wdb_t *wdb, const char *term,
                                 const char *synonym);
xsh_status_t xsh_wdb_clear_synonyms(xsh_wdb_t *wdb, const char *term);

/* Spelling dictionary: add FREQINC to WORD's frequency.  Increments are
 * summed in the handle and reach Xapian at the next commit (or before
 * Xapian could commit by itself), so call this freely per document. */
xsh_status_t xsh_wdb_add_spelling(xsh_wdb_t *wdb, const char *word,
                                  unsigned freqinc);

/* Add to the spelling dictionary every committed word of the database:
 * each unprefixed term (not starting with an upper-case ASCII letter)
 * with its collection frequency, which is what calling
 * xsh_wdb_add_spelling() with each word's wdf for every document added
 * would have summed.  Call it once, after a commit, on a database built
 * without per-document spelling. */
xsh_status_t xsh_wdb_spelling_from_terms(xsh_wdb_t *wdb);

/* Write a compacted copy of the database at SRC to DST (a new directory):
 * no free space, full B-tree blocks, merged postlists (xapian-compact).
 * Returns XSH_OK, or the status of the failure with *ERRMSG malloc'd. */
xsh_status_t xsh_compact(const char *src, const char *dst, char **errmsg);

/* Merge the N databases at SRCS into one compacted database at DST (a new
 * directory).  Document ids are renumbered in order: SRCS[0]'s documents
 * first, then SRCS[1]'s, and so on; spelling frequencies are summed and
 * metadata keys present in several sources keep SRCS[0]'s value. */
xsh_status_t xsh_merge(const char *const *srcs, size_t n, const char *dst,
                       char **errmsg);

/* Packed document data (shim/packdata.cc).  A database may hold a zstd
 * dictionary under XSH_PACK_META_KEY; its documents' data is then either
 * as written or a zstd frame compressed with that dictionary (when that
 * was smaller).  Every read through the shim (xsh_db_get_data(), a hit's
 * data) gives the data as written, whichever it is; a writer opened on
 * such a database packs the data of each document it writes.  A database
 * packed this way must not be read by a program that does not unpack
 * (its caller stamps a schema version that such programs refuse). */
#define XSH_PACK_META_KEY "xsh.pack.zdict"

/* Fewer documents than this in all are not packed: a dictionary would
 * cost about what it saves. */
#define XSH_PACK_MIN_DOCS 400

typedef struct xsh_pack_info {
    bool packed;                /* a dictionary was trained and stored */
    const char *why;            /* if not: static text, e.g. "too few
                                   documents"; NULL when packed */
    unsigned n_docs;            /* documents in all the databases */
    unsigned n_packed;          /* those whose data is now a frame */
    size_t dict_len;            /* the dictionary's size in bytes */
    unsigned long long bytes_in;    /* data read, as written */
    unsigned long long bytes_out;   /* data stored after packing */
} xsh_pack_info_t;

/* Pack the document data of the N databases WDBS (committed; one build's
 * parts, to be merged): train ONE zstd dictionary on a sample spread
 * evenly over all of them (at most a few thousand documents, 8 MiB), store
 * it in each under XSH_PACK_META_KEY, together with STAMP_KEY =
 * STAMP_VALUE when STAMP_KEY is not NULL (in the same commits as the
 * packed data, so no commit holds packed data without both), rewrite each
 * document's data as a zstd frame (level 3) when that is smaller, and
 * commit.  From then on each handle packs what it writes.  Too few
 * documents (XSH_PACK_MIN_DOCS), a database that holds a dictionary
 * already or a sample the trainer rejects is not an error: nothing is
 * written and OUT info (may be NULL) says why.  Xapian may commit on its
 * own while documents are rewritten (XAPIAN_FLUSH_THRESHOLD); each such
 * commit is consistent, holding some data packed and some not.
 * Returns XSH_OK, XSH_INVALID_ARG, XSH_NOMEM or a database error; the
 * message is on WDBS[0] (xsh_wdb_errmsg()), whichever database failed. */
xsh_status_t xsh_pack_data(xsh_wdb_t *const *wdbs, size_t n,
                           const char *stamp_key, const char *stamp_value,
                           xsh_pack_info_t *info);

/* ------------------------------------------------------------------ */
/* Read-only database (one or several as one)                          */
/* ------------------------------------------------------------------ */

typedef struct xsh_db xsh_db_t;

/* Open N databases as one.  Each PATHS[i] is a database directory, a stub
 * database file (local and "remote" lines, see Xapian's docs/remote.rst), or
 * "tcp://HOST:PORT" for a xapian-tcpsrv server.  TIMEOUT_MS bounds remote
 * connections and calls (0: Xapian's default).  Remote shards contribute no
 * synonyms or spelling data (no error: they are just not there).
 * OUT db: close with xsh_db_close().
 * Returns XSH_OK, XSH_NOT_FOUND (no database at a path), XSH_VERSION,
 * XSH_CORRUPT, XSH_OPEN, XSH_NETWORK; the message names the failing
 * database (see xsh_db_open_each(), which this is without SKIP). */
xsh_status_t xsh_db_open(const char *const *paths, size_t n,
                         unsigned timeout_ms, xsh_db_t **db, char **errmsg);

/* What xsh_db_open_each() opened. */
typedef struct xsh_db_info {
    size_t n_databases;     /* databases named, stub files read through */
    size_t n_open;          /* of them, opened and searched */
    bool remote;            /* an opened one is remote */
} xsh_db_info_t;

/* Called by xsh_db_open_each() for each database it leaves out: NAME as
 * the user wrote it (PATHS[i], or a stub line's path, resolved against
 * the stub's directory, or its HOST:PORT), ST the status and WHY a short
 * cause ("no database here", "connection refused", "timed out",
 * "unknown host 'h'").  Both strings are valid during the call. */
typedef void (*xsh_db_skip_fn)(void *ctx, const char *name,
                               xsh_status_t st, const char *why);

/* xsh_db_open(), but stub files are read here, so that each database they
 * list is opened on its own, as if given in PATHS: a failure names that
 * database ("127.0.0.1:33333: connection refused", status XSH_NETWORK),
 * and with SKIP (may be NULL) each database that cannot be opened is
 * reported through SKIP(CTX, ...) and left out; the call fails only when
 * none opens (the last failure's status and message).  A database
 * directory that a writer is creating (no version file yet: its lock is
 * held, or it changed in the last 2 s) is waited for, 10 s at most.  Stub files: Xapian's
 * format (one database a line: "auto PATH", "glass PATH", "chert PATH",
 * "remote HOST:PORT", "remote :PROGRAM ARGS", "inmemory"; "#" comments;
 * relative paths relative to the stub's directory), plus "tcp HOST:PORT";
 * "auto" may name another stub file (8 deep at most).  A stub line that
 * cannot be read is never skipped: XSH_OPEN, "STUB:LINE: WHAT"; a bad
 * "tcp://" argument is XSH_INVALID_ARG.  OUT info (may be NULL): counts
 * and whether a remote database is searched. */
xsh_status_t xsh_db_open_each(const char *const *paths, size_t n,
                              unsigned timeout_ms, xsh_db_skip_fn skip,
                              void *ctx, xsh_db_t **db, xsh_db_info_t *info,
                              char **errmsg);
void xsh_db_close(xsh_db_t *db);
const char *xsh_db_errmsg(const xsh_db_t *db);

/* Move to the latest committed revision (after XSH_MODIFIED, or to see new
 * commits).  OUT changed (may be NULL): whether the revision moved. */
xsh_status_t xsh_db_reopen(xsh_db_t *db, bool *changed);

xsh_status_t xsh_db_doccount(xsh_db_t *db, unsigned *count);
/* Number of documents indexed by TERM. */
xsh_status_t xsh_db_termfreq(xsh_db_t *db, const char *term, unsigned *freq);
/* Metadata from the first database; see xsh_wdb_get_metadata(). */
xsh_status_t xsh_db_get_metadata(xsh_db_t *db, const char *key,
                                 char **value, size_t *len);
/* Lowest and highest value in SLOT over all documents (malloc'd copies;
 * "" when no document has one). */
xsh_status_t xsh_db_value_bounds(xsh_db_t *db, xsh_slot_t slot,
                                 char **lo, char **hi);
/* See xsh_wdb_each_term(). */
xsh_status_t xsh_db_each_term(xsh_db_t *db, const char *prefix,
                              xsh_each_term_fn fn, void *ctx);
/* Call FN for each word of the spelling dictionary, in sorted order, with
 * its frequency.  FN returns true to go on. */
xsh_status_t xsh_db_each_spelling(xsh_db_t *db, xsh_each_term_fn fn,
                                  void *ctx);
/* Best spelling of WORD within MAX_EDIT edits; OUT suggestion malloc'd, ""
 * when there is none or when the backend keeps no spelling data. */
xsh_status_t xsh_db_spelling_suggestion(xsh_db_t *db, const char *word,
                                        unsigned max_edit, char **suggestion);
/* Copy document DOCID's data blob (malloc'd, NUL-terminated), unpacked
 * if it was packed (xsh_pack_data()).
 * Returns XSH_NOT_FOUND when there is no such document, XSH_CORRUPT when
 * packed data cannot be unpacked. */
xsh_status_t xsh_db_get_data(xsh_db_t *db, xsh_docid_t docid, char **data,
                             size_t *len);

/* Call FN with each metadata key starting with PREFIX (sorted) and its
 * value (VALUE, LEN bytes, not NUL-terminated, valid during the call),
 * from the first database only.  FN returns true to go on.  The list is
 * copied before the first call, so FN may not see keys added since. */
typedef bool (*xsh_metadata_fn)(void *ctx, const char *key,
                                const char *value, size_t len);
xsh_status_t xsh_db_each_metadata(xsh_db_t *db, const char *prefix,
                                  xsh_metadata_fn fn, void *ctx);
/* The documents indexed by TERM, in docid order.  OUT docids: malloc'd
 * (caller frees with free()), NULL when there is none; OUT n: how many. */
xsh_status_t xsh_db_term_docids(xsh_db_t *db, const char *term,
                                xsh_docid_t **docids, size_t *n);

/* The first term (in sorted order) of document DOCID that starts with
 * PREFIX, a document's unique id term for instance, and which of the
 * databases searched as one holds the document.  OUT term: malloc'd,
 * NUL-terminated, the prefix included (caller frees with free()); OUT
 * shard (may be NULL): that database's position, 0 for the first; OUT
 * n_shards (may be NULL): how many databases are searched as one.
 * Returns XSH_NOT_FOUND when there is no such document or it has no such
 * term, XSH_INVALID_ARG for docid 0 or an empty PREFIX. */
xsh_status_t xsh_db_doc_term(xsh_db_t *db, xsh_docid_t docid,
                             const char *prefix, char **term,
                             unsigned *shard, unsigned *n_shards);

/* The document indexed by TERM (a unique id term): the one in database
 * SHARD (a position as xsh_db_doc_term() gives it) when that database
 * has one, else the first with the term in any database.  OUT docid: 0
 * on failure.  Returns XSH_NOT_FOUND when no document has the term. */
xsh_status_t xsh_db_term_doc(xsh_db_t *db, const char *term, unsigned shard,
                             xsh_docid_t *docid);

/* ------------------------------------------------------------------ */
/* Searching                                                           */
/* ------------------------------------------------------------------ */

/* A search: a configured QueryParser and Enquire over a database.  Owned by
 * the caller, freed with xsh_search_free() before the database. */
typedef struct xsh_search xsh_search_t;

xsh_status_t xsh_search_new(xsh_db_t *db, xsh_search_t **s, char **errmsg);
void xsh_search_free(xsh_search_t *s);
const char *xsh_search_errmsg(const xsh_search_t *s);

/* Query parser set-up; call before xsh_search_parse(). */
xsh_status_t xsh_search_set_stemmer(xsh_search_t *s, const char *language);
xsh_status_t xsh_search_set_stopwords(xsh_search_t *s,
                                      const char *const *words, size_t n);
/* FIELD: terms get PREFIX and are ranked (QueryParser::add_prefix). */
xsh_status_t xsh_search_add_prefix(xsh_search_t *s, const char *field,
                                   const char *prefix);
/* FIELD: a filter on boolean terms PREFIX+value; same field ORs, different
 * fields AND (QueryParser::add_boolean_prefix). */
xsh_status_t xsh_search_add_boolean_prefix(xsh_search_t *s, const char *field,
                                           const char *prefix);

/* A range "FIELD:BEGIN..END" (either end may be empty) on value SLOT.  FN
 * turns BEGIN and END into the stored value bounds: it fills *LO and *HI
 * with malloc'd strings (NULL for an open end) and returns true, or returns
 * false to reject the range (the parse fails with XSH_QUERY_SYNTAX and
 * message). The value range is LO <= value <= HI, compared as bytes. */
typedef bool (*xsh_range_fn)(void *ctx, const char *begin, const char *end,
                             char **lo, char **hi);
xsh_status_t xsh_search_add_range(xsh_search_t *s, const char *field,
                                  xsh_slot_t slot, xsh_range_fn fn,
                                  void *ctx);

/* FIELD: a filter whose values a callback maps to terms, for fields whose
 * values must be normalised before they match (case, accents, aliases).
 * For "FIELD:VALUE" (or FIELD:"several words") the query parser calls
 * FN(CTX, VALUE, &terms, &n) (a Xapian::FieldProcessor).  FN fills *TERMS
 * with a malloc'd array of N malloc'd, NUL-terminated terms (prefix
 * included), which the shim frees with free() whatever happens, and returns
 * true; or returns false to reject VALUE, and the parse then fails with
 * XSH_QUERY_SYNTAX ("invalid value 'FIELD:VALUE'").  The terms are ORed and
 * filter like xsh_search_add_boolean_prefix() terms: no effect on weights,
 * the same field twice ORs, different fields AND.  N == 0 matches nothing.
 * FN must not call back into the search.  A field is either this, a prefix
 * or a boolean prefix (else XSH_XAPIAN). */
typedef bool (*xsh_field_fn)(void *ctx, const char *value, char ***terms,
                             size_t *n);
xsh_status_t xsh_search_add_boolean_field(xsh_search_t *s, const char *field,
                                          xsh_field_fn fn, void *ctx);

/* Synonyms for this search's query parser: TERM (as for
 * xsh_wdb_add_synonym(): lower-case and unstemmed, or several words "a b")
 * expands to SYNONYM under XSH_PARSE_SYNONYMS, beside the database's own
 * synonyms.  They are kept in memory by the search, so they work over
 * remote shards too, which carry none.  A one-word SYNONYM matches as
 * written and stemmed, as an unquoted query word does; a SYNONYM of several
 * words ("north atlantic treaty organization") matches as a phrase, and so
 * do multi-word synonyms stored in the database.  Call before
 * xsh_search_parse(). */
xsh_status_t xsh_search_add_synonym(xsh_search_t *s, const char *term,
                                    const char *synonym);

/* Words in other scripts and languages (issue 13).  A query word with a
 * Cyrillic letter is stemmed by each stemmer given here (xsh_stem_new()
 * handles; the search keeps its own reference to each, so STEM may be
 * freed after the search is) and the stems are ORed in the word's place
 * as one term (OP_SYNONYM), beside the word as parsed.  Words inside
 * phrases are left as written: stems have no positions.  Call before
 * xsh_search_parse(). */
xsh_status_t xsh_search_add_stem(xsh_search_t *s, xsh_stem_t *stem);

/* FN gives terms of other scripts for a query word: for each plain word
 * of the parsed query (outside phrases; the word as typed, lower-case,
 * or, for a Cyrillic word, each of its stems from xsh_search_add_stem()),
 * FN(CTX, WORD, IS_CYRILLIC, &terms, &n) fills *TERMS with a malloc'd
 * array of N malloc'd terms (prefix included), which the shim frees with
 * free() whatever happens, and returns true (false: no terms).  The
 * terms are ORed with the word as one term (OP_SYNONYM), their weight
 * scaled by WEIGHT (0 < WEIGHT <= 1), so that matches in the query's own
 * script rank first.  FN must not call back into the search.  FN NULL
 * turns it off.  Call before xsh_search_parse().
 * Returns XSH_OK, or XSH_INVALID_ARG for a WEIGHT out of range. */
typedef bool (*xsh_word_fn)(void *ctx, const char *word, bool is_cyrillic,
                            char ***terms, size_t *n);
xsh_status_t xsh_search_set_word_terms(xsh_search_t *s, xsh_word_fn fn,
                                       void *ctx, double weight);

/* Fold the parsed query's terms as xsh_termgen_fold() folded those of
 * the database's documents, with the pairs its metadata KEY holds (the
 * indexer's record that every document was folded with them) under the
 * N PREFIXES; nothing when KEY is empty or absent, or the search spans
 * several databases.  Applied after every other rewriting; snippets still
 * highlight every member.  Call before xsh_search_parse(). */
xsh_status_t xsh_search_set_folds(xsh_search_t *s, const char *key,
                                  const char *const *prefixes, size_t n);

/* Whether xsh_search_parse() matches British and American spellings
 * ("defence", "defense") and hyphenated compounds ("counter-offensive",
 * "counteroffensive", "counter offensive") with each other, in words and
 * phrases; on by default.  Call before xsh_search_parse().
 * Returns XSH_OK. */
xsh_status_t xsh_search_set_spellings(xsh_search_t *s, bool on);

/* The default is XSH_OP_AND. */
enum {
    XSH_OP_AND = 0,     /* plain words must all match */
    XSH_OP_OR = 1       /* best match */
};
xsh_status_t xsh_search_set_default_op(xsh_search_t *s, int op);

enum {
    XSH_PARSE_WILDCARD = 1 << 0,   /* guarant* */
    XSH_PARSE_SYNONYMS = 1 << 1,   /* expand with the database's synonyms */
    XSH_PARSE_SPELLING = 1 << 2,   /* compute a corrected query string */
    XSH_PARSE_PURE_NOT = 1 << 3    /* allow "NOT x" alone */
};
/* Parse QUERY (UTF-8) with boolean operators, phrases, +/- and the FLAGS
 * above.  An empty query (or only spaces) matches every document.
 * Returns XSH_OK or XSH_QUERY_SYNTAX (message says why; the previous
 * query stays). */
xsh_status_t xsh_search_parse(xsh_search_t *s, const char *query, int flags);
/* The corrected query string when XSH_PARSE_SPELLING found one; OUT
 * corrected malloc'd, "" when none. */
xsh_status_t xsh_search_corrected(xsh_search_t *s, char **corrected);

/* Filters, ANDed with the parsed query without affecting weights.  A group
 * of terms ORs them: pass all authors asked for in one call (N > 0, else
 * XSH_INVALID_ARG).  Filters stay for the life of the search. */
xsh_status_t xsh_search_filter_terms(xsh_search_t *s,
                                     const char *const *terms, size_t n);
/* Keep documents whose value in SLOT is within [LO, HI] as bytes; LO or HI
 * NULL for an open end.  Documents without the value never match. */
xsh_status_t xsh_search_filter_range(xsh_search_t *s, xsh_slot_t slot,
                                     const char *lo, const char *hi);

/* BM25 parameters (Xapian::BM25Weight). */
xsh_status_t xsh_search_set_bm25(xsh_search_t *s, double k1, double k2,
                                 double k3, double b, double min_normlen);

/* Query expansion by pseudo-relevance feedback: before each run, rank the
 * query (with its filters), take its best K_DOCS documents as relevant
 * (Xapian::RSet), ask Xapian for the N_TERMS terms that best tell them
 * from the rest (Enquire::get_eset(), TradWeight expansion), and run the
 * query again with those terms as OP_AND_MAYBE, their weights scaled by
 * WEIGHT (OP_SCALE_WEIGHT).  The extra terms only reorder the query's
 * matches: they add none, so hated terms, filters and match counts are as
 * without expansion.  Expansion terms are the terms a plain query word
 * matches: Z-prefixed stems when the search stems (xsh_search_set_stemmer()),
 * else unprefixed words; never a stopword (xsh_search_set_stopwords(), as
 * written or stemmed) or a term of another prefix.  Snippets highlight the
 * extra terms too.  Meant for best-match (XSH_OP_OR) queries; the weighting
 * scheme and collapse key of the search apply to the feedback run, its
 * sort order and spies do not.  K_DOCS, N_TERMS or WEIGHT 0 turns it off
 * (the default).  A backend that cannot expand (Xapian's
 * UnimplementedError) ranks without expansion.
 * Returns XSH_OK, or XSH_INVALID_ARG when WEIGHT is negative or not
 * finite. */
xsh_status_t xsh_search_set_expansion(xsh_search_t *s, unsigned k_docs,
                                      unsigned n_terms, double weight);

enum {
    XSH_SORT_RELEVANCE = 0,
    XSH_SORT_VALUE_ASC = 1,     /* by value SLOT, lowest first */
    XSH_SORT_VALUE_DESC = 2     /* by value SLOT, highest first */
};
/* Sort order; value sorts fall back to relevance for equal values, and
 * documents without a value in SLOT come last in both orders. */
xsh_status_t xsh_search_set_sort(xsh_search_t *s, int sort, xsh_slot_t slot);

/* Collapse documents with the same value in SLOT to the best one;
 * XSH_NO_SLOT: no collapsing (the default). */
xsh_status_t xsh_search_set_collapse(xsh_search_t *s, xsh_slot_t slot);

/* OUT current: whether DB is one local database whose metadata KEY holds
 * the stamp of its current revision (xsh_wdb_commit_stamped()), that is
 * whether xsh_search_set_collapse_groups() with KEY takes effect. */
xsh_status_t xsh_db_stamp_current(xsh_db_t *db, const char *key,
                                  bool *current);

/* Let exact counts under collapsing skip reading the collapse value of
 * most matches: when the search runs over one local database whose
 * metadata KEY holds the stamp of its current revision
 * (xsh_wdb_commit_stamped()), the documents with TERM are taken to be
 * exactly those whose collapse value another document shares
 * (xsh_wdb_mark_shared()), and the collapsed count is the matches
 * without TERM plus the distinct values among the matches with it.
 * Otherwise (several databases, a remote one, no or a stale stamp)
 * counts are made as without this call.  Returns XSH_INVALID_ARG for
 * NULL or empty arguments. */
xsh_status_t xsh_search_set_collapse_groups(xsh_search_t *s,
                                            const char *term,
                                            const char *key);

/* Count over the whole match set (exact when the search is run with
 * check_at_least >= the document count).  Under collapsing
 * (xsh_search_set_collapse()) such a run counts the collapsed list, the
 * one xsh_results_count() counts, each group as its best document;
 * over remote shards, and in runs that look at fewer documents, the
 * documents collapsed away are counted too.  Each returns an id for
 * xsh_results_counts(): OUT spy. */
xsh_status_t xsh_search_count_values(xsh_search_t *s, xsh_slot_t slot,
                                     int *spy);
/* Count the terms starting with PREFIX of each matching document, keyed by
 * the rest of the term.  This spy is the shim's own, which xapian-tcpsrv
 * does not know: a search over a remote shard that asks for it fails in
 * xsh_search_run() with XSH_XAPIAN. */
xsh_status_t xsh_search_count_terms(xsh_search_t *s, const char *prefix,
                                    int *spy);
/* Count each matching document once, keyed by its value in SLOT, then,
 * each after a NUL byte, the rest of each of its terms starting with
 * PREFIX in term order ("20250214" NUL "Anna Li" NUL "Bo Ek"; the value
 * alone when it has none; "" then the terms when it has no value): the
 * (date, groups) pairs a histogram split by group needs, in one pass.
 * The keys hold NULs, so read them with the LEN xsh_results_counts()
 * gives.  The shim's own spy, like xsh_search_count_terms(): a search
 * over a remote shard that asks for it fails in xsh_search_run() with
 * XSH_XAPIAN.  Returns XSH_OK, or XSH_INVALID_ARG for a NULL argument or
 * a bad slot. */
xsh_status_t xsh_search_count_value_terms(xsh_search_t *s, xsh_slot_t slot,
                                          const char *prefix, int *spy);

/* More like this (shim/like.cc): ask Xapian for the N_TERMS terms that
 * best tell the N example documents DOCIDS from the rest (an RSet of the
 * examples, Enquire::get_eset() with exact term frequencies), keeping the
 * terms a plain query word matches as xsh_search_set_expansion() does,
 * and make the search's query their OR, each term's weight scaled by its
 * expand weight, ANDed with the parsed query when AND_QUERY.  The examples
 * are left out, and so is every document whose value in SAME_SLOT (a
 * collapse key: near-duplicates; XSH_NO_SLOT for none) is one of
 * theirs.  Call after xsh_search_parse(); filters still apply.
 * Returns XSH_OK, XSH_INVALID_ARG (no example), XSH_NOT_FOUND (a docid
 * that does not exist, or examples without a word to look for; the
 * message says which). */
#define XSH_NO_SLOT 0xffffffffu
xsh_status_t xsh_search_like(xsh_search_t *s, const xsh_docid_t *docids,
                             size_t n, unsigned n_terms,
                             xsh_slot_t same_slot, bool and_query);

/* OUT the lowest and the highest value in SLOT among every match of the
 * search (filters applied; collapsing, sorting and paging play no part),
 * malloc'd, "" when no match has one; LO_LEN and HI_LEN may be NULL.
 * Over local databases it reads the matches along their posting lists
 * and their values from a table of SLOT's values by docid (4 bytes a
 * document, read once for each revision of the database); over a remote
 * one, or a slot whose values are mostly distinct, it takes two runs
 * sorted on SLOT.
 * Retries after a reopen as xsh_search_run() does.  Returns XSH_OK, or
 * XSH_INVALID_ARG for a NULL argument or XSH_NO_SLOT. */
xsh_status_t xsh_search_value_ends(xsh_search_t *s, xsh_slot_t slot,
                                   char **lo, size_t *lo_len, char **hi,
                                   size_t *hi_len);

typedef struct xsh_results xsh_results_t;

/* Run the search: hits OFFSET .. OFFSET+LIMIT-1, looking at least at
 * CHECK_AT_LEAST documents (0: as few as needed; the document count for
 * exact counts).  Retries a bounded number of times after reopening when
 * the database moves on (XSH_MODIFIED when it keeps moving).
 * OUT results: free with xsh_results_free() before the search. */
xsh_status_t xsh_search_run(xsh_search_t *s, unsigned offset, unsigned limit,
                            unsigned check_at_least, xsh_results_t **results);

void xsh_results_free(xsh_results_t *r);
const char *xsh_results_errmsg(const xsh_results_t *r);

/* Number of hits in this page. */
unsigned xsh_results_size(const xsh_results_t *r);
/* Estimated number of matches, and its bounds (exact when lo == hi; see
 * xsh_results_count()). */
void xsh_results_total(const xsh_results_t *r, unsigned *estimate,
                       unsigned *lo, unsigned *hi);
/* The number of matches: OUT matches after collapsing (the length of the
 * whole hit list), OUT uncollapsed before it (the same when the search
 * does not collapse, and when that number is not known exactly while
 * MATCHES is).  OUT exact: whether MATCHES is exact, else it is Xapian's
 * estimate.  A run with CHECK_AT_LEAST >= the document count gives
 * exact counts, over remote shards too (there by ranking the whole
 * collapsed list when collapsing); xsh_results_total() then reports the
 * same exact number.  Any OUT may be NULL.  Returns XSH_OK, or
 * XSH_INVALID_ARG for NULL R. */
xsh_status_t xsh_results_count(const xsh_results_t *r, unsigned *matches,
                               unsigned *uncollapsed, bool *exact);

typedef struct xsh_hit {
    xsh_docid_t docid;
    unsigned rank;          /* 0-based rank in the whole result list */
    double weight;
    int percent;
    unsigned collapsed;     /* documents collapsed into this one (lower
                               bound, as Xapian gives it) */
    const char *data;       /* document data (unpacked, xsh_pack_data());
                               owned by the results, valid until they
                               are freed */
    size_t data_len;
} xsh_hit_t;

/* Fill HIT for hit I (0 <= I < size).  Returns XSH_INVALID_ARG when out of
 * range. */
xsh_status_t xsh_results_get(xsh_results_t *r, unsigned i, xsh_hit_t *hit);
/* Copy value SLOT of hit I (malloc'd, "" if unset).  Read from the
 * database when asked for: XSH_MODIFIED when it has moved on too far
 * since the search ran (see xsh_db_reopen()). */
xsh_status_t xsh_results_value(xsh_results_t *r, unsigned i, xsh_slot_t slot,
                               char **value, size_t *len);

/* A snippet of TEXT of about LENGTH bytes around the best matching terms,
 * with matches between HI_START and HI_END and OMIT where text was cut.
 * The text is plain (Xapian's HTML escaping undone).  The terms come from
 * the search's current query.  OUT snippet malloc'd. */
xsh_status_t xsh_results_snippet(xsh_results_t *r, const char *text,
                                 size_t len, size_t length,
                                 const char *hi_start, const char *hi_end,
                                 const char *omit, char **snippet);

/* Counts from spy SPY, most frequent first (ties: by value), calling FN for
 * at most MAX entries (0: all).  FN returns true to go on. */
typedef bool (*xsh_count_fn)(void *ctx, const char *value, size_t len,
                             unsigned count);
xsh_status_t xsh_results_counts(xsh_results_t *r, int spy, unsigned max,
                                xsh_count_fn fn, void *ctx);

/* ------------------------------------------------------------------ */
/* Languages: identification and stemmers by language (issue 13)      */
/* ------------------------------------------------------------------ */

/* Room for a language code and its NUL: "en", "uk", "ru", "zh-Hant". */
#define XSH_LANG_LEN 8

/* Identify the language of TEXT (LEN bytes of UTF-8; a longer text is
 * looked at in its first 64 KB) with CLD2.
 * OUT out: an ISO 639-1 code ("en", "uk", "ru", ...; CLD2's code, so a few
 * languages have longer ones such as "zh-Hant"), or "" when the text is
 * empty, not valid UTF-8, or CLD2 is not sure (an unreliable answer is
 * still given when its language holds at least 80% of the letters: CLD2
 * flags most one-line texts as unreliable but tells uk, ru and en apart).
 * OUT is_reliable (may be NULL): CLD2's own verdict.
 * Returns XSH_OK (also for ""), XSH_INVALID_ARG (NULL out, or NULL text
 * with LEN > 0), XSH_INTERNAL. */
xsh_status_t xsh_lang_detect(const char *text, size_t len,
                             char out[XSH_LANG_LEN], bool *is_reliable);

/* A stemmer chosen by the language of a document, for Xapian's term
 * generator and query parser (see shim/stem.h for the C++ side) and for
 * direct use.  Each word goes by its script: Latin words by Snowball
 * english (or the document's language when Xapian has a Snowball stemmer
 * for it); Cyrillic words by the document's Cyrillic language: "uk" gives
 * Ukrainian lemmas from Hunspell's uk_UA dictionary, "ru" Snowball russian.
 * Letters found in one language only decide first (і ї є ґ: Ukrainian;
 * ы э ъ ё: Russian), so a Russian quotation in a Ukrainian document is
 * stemmed as Russian; for a document in another language (or none), a
 * Cyrillic word with neither goes by the options' default.
 * One handle per thread: its word cache is not locked.  Each handle that
 * needs the Ukrainian dictionary holds a loaded copy of its own (about
 * 40 MB; Hunspell is not safe for concurrent calls), taken from a
 * per-process pool and given back by xsh_stem_free(): a process loads one
 * copy per handle alive at once, each once (0.2 to 0.9 s). */

typedef struct xsh_stem_opts {
    const char *cyrillic;   /* "uk" or "ru": Cyrillic words of a document
                               in another language; NULL: "uk" */
    const char *dict_dir;   /* where uk_UA.aff and uk_UA.dic are; NULL:
                               /usr/share/hunspell */
    size_t cache_max;       /* cached words per handle; 0: 65536 */
    bool no_suffix_fallback;    /* a word Hunspell does not know is kept
                                   as it is, not stripped of its ending */
    const char *latin;      /* Xapian stemmer for the Latin words of
                               documents in uk, ru or no known language;
                               NULL: "english" */
} xsh_stem_opts_t;

/* Create a stemmer for documents in LANG: an ISO 639-1 code ("uk", "ru",
 * "en", "fr", ...), a Xapian stemmer name ("english", "russian"), "" for a
 * document of unknown language, or "none" (words are only lowercased).
 * OPTS may be NULL for the defaults.
 * OUT stem: free with xsh_stem_free().
 * Returns XSH_OK; XSH_NOT_FOUND when the Ukrainian dictionary is needed
 * and cannot be read (the message names the file); XSH_INVALID_ARG for a
 * NULL argument or a bad OPTS->cyrillic; XSH_NOMEM. */
xsh_status_t xsh_stem_new(const char *lang, const xsh_stem_opts_t *opts,
                          xsh_stem_t **stem, char **errmsg);
void xsh_stem_free(xsh_stem_t *stem);
const char *xsh_stem_errmsg(const xsh_stem_t *stem);

/* Make STEM stem for documents in LANG from now on (as xsh_stem_new()
 * reads LANG), keeping its caches and its dictionary: one handle serves a
 * thread's documents whatever their language.  A term generator given
 * the handle (xsh_termgen_set_stem()) follows.
 * Returns XSH_OK; XSH_INVALID_ARG for a NULL argument, a name that is no
 * language, or a handle made for "none". */
xsh_status_t xsh_stem_set_lang(xsh_stem_t *stem, const char *lang);

/* Stem WORD (LEN bytes of UTF-8, one word as the term generator splits
 * them; upper case allowed).
 * OUT out: the stem or lemma, lowercase, malloc'd, the caller frees it.
 * Returns XSH_OK, XSH_INVALID_ARG, XSH_NOMEM. */
xsh_status_t xsh_stem_word(xsh_stem_t *stem, const char *word, size_t len,
                           char **out);

/* Xapian's description of the stemmer ("uk:hunspell+english", ...), owned
 * by the handle and valid until it is freed. */
const char *xsh_stem_describe(const xsh_stem_t *stem);

/* Counters of the handle's cache since it was made, for tests and the
 * bench. */
typedef struct xsh_stem_stats {
    uint64_t words;         /* words stemmed */
    uint64_t cache_hits;    /* answered from the cache */
    uint64_t dict_calls;    /* Hunspell lookups, capitalised retries too */
    uint64_t fallbacks;     /* words Hunspell did not know */
} xsh_stem_stats_t;
xsh_status_t xsh_stem_stats(const xsh_stem_t *stem, xsh_stem_stats_t *stats);

#ifdef __cplusplus
}
#endif

#endif /* XSH_H */
