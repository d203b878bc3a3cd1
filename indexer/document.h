/* document.h - from an extracted article to a Xapian document (internal)
 *
 * Applies the metadata rules every format shares (author lists split and
 * aliased, dates parsed by config/, boilerplate lines and repeated
 * paragraphs dropped, the content fingerprint) and lays the result out as
 * the schema in config/schema.h says: terms, values and the stored data.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DOCUMENT_H
#define DOCUMENT_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "config/config.h"
#include "config/translit.h"
#include "indexer/extract.h"
#include "indexer/pagemap.h"
#include "shim/xsh.h"

/* A skeleton remembered for a word (docbuilder's skeleton cache). */
typedef struct skelcache_entry {
    uint64_t hash;
    char word[40];
    char skel[40];
} skelcache_entry_t;

#define DOCBUILDER_SKELCACHE 4096

/* What the builder needs that outlives one document; one per thread. */
typedef struct docbuilder {
    const config_t *cfg;
    xsh_termgen_t *tg;
    /* Languages (issue 13), made on the first document that needs them
     * and kept for the run, so that their caches last: the Ukrainian,
     * Russian and per-script stemmer, the transliterators and the
     * skeletons of recent capitalised words. */
    xsh_stem_t *stem;
    bool stem_failed;           /* could not be made: warned once */
    translit_t *tl;
    skelcache_entry_t *skelcache;
    regex_t *boilerplate;       /* compiled cfg->boilerplate */
    size_t n_boilerplate;
    unsigned title_wdf;
} docbuilder_t;

/* A builder for CFG whose documents get the synonym FOLDS
 * (config_synonym_folds() text; NULL or "" for none) under the plain and
 * title prefixes.  Returns 0, or -1 with a message in ERR. */
int docbuilder_init(docbuilder_t *b, const config_t *cfg, const char *folds,
                    char *err, size_t errlen);
void docbuilder_release(docbuilder_t *b);

/* Where the article came from. */
typedef struct docsource {
    const char *path;           /* absolute path of the file */
    const struct stat *st;
    uint64_t content_hash;      /* of the whole file, or of the post for
                                   exports (stored, change detection) */
    const page_map_t *pages;    /* where each page starts in the article's
                                   body (PDF), or NULL; stored as "pages",
                                   remapped to the cleaned body */
} docsource_t;

/* A built document with its unique id term. */
typedef struct builtdoc {
    xsh_doc_t *doc;
    char *id_term;
    uint64_t hash;              /* docsource's content_hash */
    bool has_simhash;           /* body long enough for near-duplicates: */
    uint64_t simhash;           /* the writer then picks the collapse key */
} builtdoc_t;

/* Build article A of SRC into OUT.  The document's language is A's lang
 * (config/langcode.h), else the one CLD2 finds in its title and the first
 * 64 KB of its body; it is stored (a boolean term, a value for facets,
 * the data).  A document in Ukrainian or Russian, or holding Cyrillic
 * words, is stemmed word by word by script (xsh_stem_new()); others by
 * the config's language.  Each capitalised word gets a skeleton term
 * (config/translit.h), without positions, under the prefix of its
 * script, for names across scripts.  Problems that leave the document
 * indexable (an impossible date) are appended to WARN.  Returns 0, or -1
 * with a message in ERR. */
int docbuilder_build(docbuilder_t *b, const docsource_t *src,
                     const article_t *a, extract_diag_t *warn,
                     builtdoc_t *out, char *err, size_t errlen);
void builtdoc_release(builtdoc_t *d);

/* The file term of PATH (every document from that file carries it), and the
 * unique id term of article ID (NULL for one-per-file formats) of PATH.
 * Long paths are shortened with a hash so terms stay under Xapian's limit.
 * Malloc'd. */
char *document_file_term(const char *path);
char *document_id_term(const char *path, const char *id);
/* The unique id term of the post on LINE of PATH that has no id. */
char *document_line_term(const char *path, unsigned long line);

/* 64-bit FNV-1a hash of LEN bytes. */
uint64_t document_hash(const char *p, size_t len);

#endif /* DOCUMENT_H */
