/* schema.h - where each dossier field lives in the Xapian database
 *
 * The one table of prefixes and value slots.  The indexer writes terms and
 * values with these and the searcher reads them back; neither spells a
 * prefix or a slot number of its own.  Prefixes follow Omega's conventions
 * where one exists (Q unique id, S title, A author, K tag, U url, L lang).
 * Also the layout of a document's stored data, and the one check of a
 * database's stored schema version that both programs make.  Knows no
 * Xapian: callers read the metadata through the shim and pass it here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SCHEMA_H
#define SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

/* Term prefixes. */
#define SCHEMA_PREFIX_ID        "Q"     /* unique id: root label + rel path */
#define SCHEMA_PREFIX_TITLE     "S"     /* title words (ranked) */
#define SCHEMA_PREFIX_AUTHOR    "A"     /* author key and author words */
#define SCHEMA_PREFIX_AUTHOR_NAME "XA"  /* author display name (facets) */
#define SCHEMA_PREFIX_SOURCE    "XS"    /* source, normalised */
#define SCHEMA_PREFIX_TAG       "K"     /* tag, normalised */
#define SCHEMA_PREFIX_URL       "U"     /* url as written */
#define SCHEMA_PREFIX_LANG      "L"     /* language code */
#define SCHEMA_PREFIX_BAND      "XB"    /* near-duplicate band terms:
                                           XB<band><4 hex digits> */
#define SCHEMA_PREFIX_FILE      "XF"    /* absolute path of the source file:
                                           every document from one file */
/* Names across scripts (config/translit.h): the Latin skeleton of each
 * capitalised word, without positions, under the prefix of the script
 * it was written in, so that a query word looks up only the other
 * script's: Zelensky -> XCzelensk (from Зеленського), Київ -> XLkiv
 * (from Kyiv). */
#define SCHEMA_PREFIX_SKEL_CYRILLIC "XC" /* skeletons of Cyrillic words'
                                            lemmas */
#define SCHEMA_PREFIX_SKEL_LATIN "XL"   /* skeletons of Latin words */
/* A term alone, no value after it: the document shares its collapse key
 * (SCHEMA_SLOT_FINGERPRINT) with another, as SCHEMA_META_GROUPS says. */
#define SCHEMA_TERM_GROUP       "XG"

/* Value slots. */
enum schema_slot {
    SCHEMA_SLOT_DATE = 0,       /* "YYYYMMDD" (DateRangeProcessor form) */
    SCHEMA_SLOT_MONTH = 1,      /* "YYYY-MM", facets and histogram */
    SCHEMA_SLOT_YEAR = 2,       /* "YYYY", histogram */
    SCHEMA_SLOT_FINGERPRINT = 3,  /* collapse key for syndicated copies */
    SCHEMA_SLOT_MTIME = 4,      /* file mtime, decimal ns, change detection */
    SCHEMA_SLOT_SIZE = 5,       /* file size, decimal bytes */
    SCHEMA_SLOT_HASH = 6,       /* content hash, hex */
    SCHEMA_SLOT_AUTHOR = 7,     /* first author's display name (facets on
                                   backends without custom match spies) */
    SCHEMA_SLOT_SIMHASH = 8,    /* SimHash of the body, hex, for finding
                                   near-duplicates through band terms */
    SCHEMA_SLOT_LANG = 9,       /* language code (config/langcode.h), for
                                   the langs facet on every backend */
    SCHEMA_SLOT_FIRST_INDEXED = 10  /* the run stamp (SCHEMA_META_RUN_STAMP)
                                   of the run that first indexed the
                                   document, SCHEMA_STAMP_LEN digits;
                                   carried over by id when a document is
                                   rewritten (edited file, --full) */
};

/* Metadata keys. */
#define SCHEMA_META_VERSION     "dossier.schema"    /* SCHEMA_VERSION */
#define SCHEMA_META_ROOTS       "dossier.roots"     /* roots, one per line */
#define SCHEMA_META_INDEXED_AT  "dossier.indexed_at" /* ISO 8601 UTC */
/* "1" while committed documents may lack their spelling entries (a fresh
 * build in shards adds them from the terms at the end; see indexer). */
#define SCHEMA_META_SPELLING_PENDING "dossier.spelling_pending"
/* The change stamp of an export file (JSON, JSON Lines), whose posts are
 * documents of their own and keep their own content hash in
 * SCHEMA_SLOT_HASH: this prefix, then the 16 hex digits of the 64-bit
 * FNV-1a hash of the file term, maps to "SIZE MTIME N_DOCS" as written
 * once the whole file was.  A file whose size and mtime match is not
 * read again. */
#define SCHEMA_META_FILE_PREFIX "dossier.file."
/* What is new (dossier-search --new).  Each index run that writes
 * takes a stamp: the UTC time in seconds, but always above the last
 * run's, as SCHEMA_STAMP_LEN zero-padded digits (so that byte order is
 * number order), recorded in SCHEMA_META_RUN_STAMP when the run starts
 * and in SCHEMA_META_RUN_DONE with its final commit.  A document keeps
 * the stamp of the run that first indexed it in
 * SCHEMA_SLOT_FIRST_INDEXED; one that existed before stamps did gets
 * SCHEMA_STAMP_UNKNOWN when it is next rewritten.  These are additions:
 * an older dossier reads such a database as before (it drops the stamp
 * of a document it rewrites, which then counts as old), so
 * SCHEMA_VERSION stays. */
#define SCHEMA_META_RUN_STAMP   "dossier.run_stamp"
#define SCHEMA_META_RUN_DONE    "dossier.run_done"
#define SCHEMA_STAMP_LEN        12
#define SCHEMA_STAMP_UNKNOWN    "000000000000"
/* Collapse groups, for cheap exact counts (shim/xsh.h,
 * xsh_search_set_collapse_groups()): at the end of each index run that
 * writes, SCHEMA_TERM_GROUP is given to exactly the documents whose
 * collapse key another document shares, and this key gets the stamp of
 * the revision that commit makes (the database's UUID and revision
 * number).  A search trusts the terms only while the stamp is current:
 * any later write (an older dossier-index, an interrupted run) or a
 * compaction makes it stale, and the search counts as before.  An
 * addition: SCHEMA_VERSION stays. */
#define SCHEMA_META_GROUPS      "dossier.collapse_groups"
/* Synonym groups folded into one term (config_synonym_folds(),
 * shim/fold.cc): every document of the database has its members' terms,
 * plain and under SCHEMA_PREFIX_TITLE, renamed to the group's first
 * member's, as the pairs this key holds say ("" or absent: none).  Set
 * with the first documents of a new database and after a --full run that
 * rewrote every document; a run that keeps documents folded otherwise
 * folds as the key says, and a --full run clears it while it writes.  A
 * search folds its query with it, which only this key makes safe: an
 * addition, SCHEMA_VERSION stays. */
#define SCHEMA_META_FOLDS       "dossier.synonym_folds"
/* Saved searches (dossier-search --save): this prefix, then the name,
 * maps to a JSON object (searcher/saved.c): query, filters, the time it
 * was saved and the run stamp its last --new saw. */
#define SCHEMA_META_SAVED_PREFIX "dossier.saved."
/* Text terms include compound marks ("counter-offensive": a hyphenated
 * word as one term of wdf 0, shim/spelling.cc), added without a new
 * version: the search uses them where they are, and a database without
 * them answers as it did (dossier-index --full adds them). */
/* Version 2: the document data is the metadata as a small JSON object,
 * then a NUL and the body text as raw bytes (schema_data_split()).
 * Version 1 held the body inside the JSON object. */
#define SCHEMA_VERSION          "2"
/* Version 3: version 2 with the document data packed (shim/xsh.h,
 * xsh_pack_data(): a zstd frame made with a dictionary the database
 * holds), which a dossier that reads version 2 only would show as
 * garbage.  A full build that packs stamps it; everything else still
 * writes version 2, and a dossier that knows version 3 reads and updates
 * both: a version-2 database is packed by its next --full. */
#define SCHEMA_VERSION_PACKED   "3"
/* What the messages say this dossier reads and writes. */
#define SCHEMA_VERSIONS_KNOWN   "versions 2 and 3"

/* A document's stored data: a JSON object (path, id, line, title,
 * authors, date, source, url, tags, lang; written and read with jansson;
 * "id" and "line", a 1-based integer, only for posts of exports), then,
 * when the
 * document has a body, one NUL byte and the body text as raw bytes, up to
 * the end of the data.  A reader parses only the JSON part and takes the
 * body as a pointer and a length: at 100,000 documents, parsing a JSON
 * string holding the whole body was a third of a search's time.  JSON text
 * never holds a raw NUL (jansson writes \u0000), so the first NUL ends it.
 *
 * Split DATA (LEN bytes) into its JSON part, OUT json_len bytes from DATA,
 * and its body, OUT body (pointing into DATA; NULL when there is none) of
 * OUT body_len bytes.  The body is not NUL-terminated.
 *
 * Paged documents (PDF) add "pages", an array of integers: the byte offset
 * in the stored body where each page starts (page N covers [pages[N-1],
 * pages[N]), the last runs to the end of the body; offsets never
 * decrease).  Additive: a reader that ignores it loses only the page, so
 * SCHEMA_VERSION stays. */
void schema_data_split(const char *data, size_t len, size_t *json_len,
                       const char **body, size_t *body_len);

/* What a database's stored schema version says (schema_check()). */
typedef enum schema_state {
    SCHEMA_CURRENT = 0,         /* SCHEMA_VERSION or SCHEMA_VERSION_PACKED:
                                   read and write it */
    SCHEMA_UNSET = 1,           /* no version, no documents: a new
                                   database, which a writer stamps */
    SCHEMA_ERR_FOREIGN = -1,    /* no version but documents: written by
                                   another program */
    SCHEMA_ERR_INVALID = -2,    /* not a number */
    SCHEMA_ERR_OLDER = -3,      /* an older layout: rebuild from files */
    SCHEMA_ERR_NEWER = -4       /* written by a newer dossier */
} schema_state_t;

/* Who asks: the wording names the program and what it does. */
typedef enum schema_use {
    SCHEMA_USE_READ,            /* dossier-search */
    SCHEMA_USE_WRITE            /* dossier-index */
} schema_use_t;

/* Check the schema version STORED (the SCHEMA_META_VERSION metadata, ""
 * when there is none) of a database holding N_DOCS documents.  Returns
 * SCHEMA_CURRENT or SCHEMA_UNSET, or a negative schema_state_t with a
 * one-line reason in ERR (ERRLEN bytes, always NUL-terminated), to be
 * printed after the database's path: "database schema version 'x' is not
 * a number". */
schema_state_t schema_check(const char *stored, unsigned n_docs,
                            schema_use_t use, char *err, size_t errlen);

/* A field the query language knows, with its prefix. */
typedef struct schema_field {
    const char *name;           /* as typed: "title" for title:... */
    const char *prefix;
    bool is_boolean;            /* filter (boolean) or ranked text */
} schema_field_t;

/* The fields of the query language, terminated by a NULL name. */
extern const schema_field_t schema_query_fields[];

#endif /* SCHEMA_H */
