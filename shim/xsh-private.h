/* xsh-private.h - what the shim's files share behind shim/xsh.h
 *
 * The handle structs, the exception frame (guard(), guard_open(),
 * map_exception()), the retry after DatabaseModifiedError (with_reopen())
 * and the small helpers more than one file uses.  Only the shim's own .cc
 * files include it: it is C++ and includes <xapian.h>, which nothing
 * outside shim/ may.
 * Internal names live in namespace xsh; the handle structs stay global,
 * since xsh.h names them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DOSSIER_XSH_PRIVATE_H
#define DOSSIER_XSH_PRIVATE_H

#include <xapian.h>

#include <cstddef>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "shim/xsh.h"

namespace xsh {

/* How many times a read reopens the database and tries again after
 * DatabaseModifiedError before giving up with XSH_MODIFIED. */
const unsigned MAX_ATTEMPTS = 50;

/* Xapian's limit on the length of a term in bytes (glass). */
const size_t MAX_TERM_LEN = 245;

/* A range "FIELD:BEGIN..END" handed to a C callback.  The callback is a
 * leaf: it cannot throw, and what it returns is freed here whatever
 * happens next. */
class CallbackRange : public Xapian::RangeProcessor {
  public:
    CallbackRange(Xapian::valueno slot_, const std::string &field,
                  xsh_range_fn fn_, void *ctx_)
        : Xapian::RangeProcessor(slot_, field + ":", Xapian::RP_REPEATED),
          fn(fn_), ctx(ctx_) { }

    Xapian::Query operator()(const std::string &begin,
                             const std::string &end) override;

  private:
    xsh_range_fn fn;
    void *ctx;
};

/* A boolean field "FIELD:VALUE" whose value a C callback maps to terms.
 * Like CallbackRange, what the callback returns is freed here whatever
 * happens next. */
class CallbackField : public Xapian::FieldProcessor {
  public:
    CallbackField(const std::string &field_, xsh_field_fn fn_, void *ctx_)
        : field(field_), fn(fn_), ctx(ctx_) { }

    Xapian::Query operator()(const std::string &str) override;

  private:
    std::string field;
    xsh_field_fn fn;
    void *ctx;
};

/* What xsh_search_count_values(), xsh_search_count_terms() and
 * xsh_search_count_value_terms() asked for; fresh spies are made from it
 * for every run, since Xapian's spies keep counting across get_mset()
 * calls.  IS_TERMS with a SLOT: xsh_search_count_value_terms(). */
struct SpySpec {
    bool is_terms;
    Xapian::valueno slot;
    std::string prefix;
};

/* Counts the terms starting with PREFIX of each matching document, keyed
 * by the rest of the term; or, with a SLOT, each matching document once,
 * keyed by its value in SLOT and the rest of each such term, each after a
 * NUL (xsh_search_count_value_terms()). */
class TermPrefixSpy : public Xapian::MatchSpy {
  public:
    explicit TermPrefixSpy(const std::string &prefix_,
                           Xapian::valueno slot_ = Xapian::BAD_VALUENO)
        : prefix(prefix_), slot(slot_) { }

    void operator()(const Xapian::Document &doc, double) override;

    std::string prefix;
    Xapian::valueno slot;
    std::map<std::string, unsigned> counts;
};

typedef std::vector<std::pair<std::string, unsigned>> CountList;

struct HitCopy {
    xsh_docid_t docid;
    unsigned rank;
    double weight;
    int percent;
    unsigned collapsed;
    std::string data;
    /* For xsh_results_value(): values are read when asked for, since
     * reading them all cost every hit a value-table lookup. */
    Xapian::Document doc;
};

/* The query's terms as snippets use them (shim/snippet.cc). */
struct SnipTerms;

/* ------------------------------------------------------------------ */
/* Errors (shim/error.cc)                                              */
/* ------------------------------------------------------------------ */

/* Store MSG (prefixed with "WHERE: " when WHERE is given) in ERR on one
 * line and return ST.  If memory runs out the message is left empty. */
xsh_status_t fail(std::string &err, xsh_status_t st, const std::string &msg,
                  const char *where = nullptr) noexcept;

inline xsh_status_t
ok(std::string &err) noexcept
{
    err.clear();
    return XSH_OK;
}

/* Rethrow the exception being handled and map it to a status, storing its
 * message in ERR.  Call only from a catch block. */
xsh_status_t map_exception(std::string &err,
                           const char *where = nullptr) noexcept;

/* XSH_INVALID_ARG with WHAT as the message; the literal form never
 * throws, only ERR allocates. */
xsh_status_t invalid(std::string &err, const std::string &what) noexcept;
xsh_status_t invalid(std::string &err, const char *what) noexcept;

/* For the open/new functions: hand ERR to the caller as a malloc'd string
 * (NULL if memory runs out) when ERRMSG is not NULL. */
xsh_status_t give_errmsg(xsh_status_t st, const std::string &err,
                         char **errmsg) noexcept;

/* Whether DB.reopen() found a newer revision (or could not tell, the
 * database being in flux). */
inline bool
moved_on(Xapian::Database &db)
{
    try {
        return db.reopen();
    } catch (const Xapian::DatabaseError &) {
        return true;            /* in flux: the next attempt reopens */
    }
}

/* Run F, reopening DB and trying again when it moved on under us.
 * The reopen is part of the attempt: Database::reopen() reads the version
 * file and then each table's root block, and a writer that commits twice
 * in between overwrites a root of the revision it read, so reopen() can
 * throw DatabaseModifiedError itself (seen under search-stress: a search
 * failed with Xapian's "revision being read has been discarded" while
 * reopening).  By then the version file names a newer revision, so the
 * next attempt's reopen() opens every table again at that one.
 *
 * Other DatabaseErrors are retried when the database moved: an indexer
 * swaps a compacted copy in by renaming directories, and a reopen() that
 * reads the old version file just before the swap opens the new tables
 * with the old roots, so reading them fails (DatabaseCorruptError
 * "Expected block 76 to be level 1, not 0", one search in about 38,000
 * under search-stress, or "EOF reading block").  Another reopen() then
 * reads the new version file, whose revision differs (xsh_merge() sees
 * to it), and opens every table again.  When it finds nothing new, the
 * error is the database's own and is thrown at once, not 50 times.
 * DocNotFoundError is retried the same way: a match spy reading a
 * candidate's termlist while a --full run replaced it failed with "No
 * termlist for document 92" (one search in about 9,400 under
 * search-stress), a document the revision being read had held. */
template <typename F>
auto
with_reopen(Xapian::Database &db, F f) -> decltype(f())
{
    bool reopened = false;

    for (unsigned attempt = 1; ; ++attempt) {
        try {
            if (attempt > 1 && !reopened)
                db.reopen();
            reopened = false;
            return f();
        } catch (const Xapian::DatabaseModifiedError &) {
            if (attempt >= MAX_ATTEMPTS)
                throw;
        } catch (const Xapian::DatabaseError &) {
            if (attempt >= MAX_ATTEMPTS || !moved_on(db))
                throw;
            reopened = true;
        } catch (const Xapian::DocNotFoundError &) {
            if (attempt >= MAX_ATTEMPTS || !moved_on(db))
                throw;
            reopened = true;
        }
    }
}

/* DB at the latest revision, as xsh_db_reopen() gives it: reopen() again
 * when it threw DatabaseModifiedError (see with_reopen()).  Returns
 * whether the revision moved; it did when a reopen() threw. */
inline bool
reopen_latest(Xapian::Database &db)
{
    for (unsigned attempt = 1; ; ++attempt) {
        try {
            return db.reopen() || attempt > 1;
        } catch (const Xapian::DatabaseError &) {
            /* DatabaseModifiedError, or a swap: see above */
            if (attempt >= MAX_ATTEMPTS)
                throw;
        }
    }
}

/* The frame of every function on a handle H: a NULL handle is
 * XSH_INVALID_ARG with no message (there is nowhere to keep one), and
 * whatever BODY throws is mapped by map_exception() into H's message.
 * BODY returns the status, ok(H->err) on success. */
template <typename H, typename F>
xsh_status_t
guard(H *h, F &&body) noexcept
{
    if (!h)
        return XSH_INVALID_ARG;
    try {
        return body();
    } catch (...) {
        return map_exception(h->err);
    }
}

/* The frame of the open and new functions, which have no handle to keep
 * a message on: BODY(ERR, WHERE) fills ERR on failure and may point WHERE
 * at what it is opening, to be put before the message of an exception;
 * the message goes to ERRMSG as give_errmsg() hands it out. */
template <typename F>
xsh_status_t
guard_open(char **errmsg, F &&body) noexcept
{
    std::string err;
    const char *where = nullptr;
    xsh_status_t st;

    if (errmsg)
        *errmsg = nullptr;
    try {
        st = body(err, where);
    } catch (...) {
        st = map_exception(err, where);
    }
    return give_errmsg(st, err, errmsg);
}

/* ------------------------------------------------------------------ */
/* Small helpers (shim/util.cc)                                        */
/* ------------------------------------------------------------------ */

/* A malloc'd, NUL-terminated copy of S; throws std::bad_alloc. */
char *dup_string(const std::string &s);

/* Hand S out through VALUE and LEN (may be NULL). */
void give_string(const std::string &s, char **value, size_t *len);

/* TERM cut to Xapian's limit without splitting a UTF-8 sequence. */
std::string clamp_term(const char *term);

/* The stemmer for LANGUAGE; none for "" or "none". */
Xapian::Stem make_stem(const char *language);

/* A stopper holding the N WORDS; none (NULL) when N is 0. */
std::unique_ptr<Xapian::SimpleStopper> make_stopper(const char *const *words,
                                                    size_t n);

/* Whether V holds N strings, none of them NULL. */
bool all_strings(const char *const *v, size_t n);

/* Whether TERM is a word as written: prefixes are upper-case ASCII and
 * stems start with Z, so a term starting with neither (nor empty). */
bool is_word_term(const std::string &term);

/* Call FN with each term from T to END and its frequency until it
 * returns false (all terms or spellings of a database). */
void each_term(Xapian::TermIterator t, const Xapian::TermIterator &end,
               xsh_each_term_fn fn, void *ctx);

struct FreeDeleter {
    void operator()(char *p) const { free(p); }
};
typedef std::unique_ptr<char, FreeDeleter> CString;

} // namespace xsh

/* ------------------------------------------------------------------ */
/* Handles                                                             */
/* ------------------------------------------------------------------ */

/* The position sequence belongs to the document, not to the generator:
 * each xsh_termgen_index() call points the generator at the document and
 * its last position, so positions continue across calls on one document
 * and start at 0 on a new one, whichever generator indexes it. */
struct xsh_doc {
    Xapian::Document doc;
    Xapian::termpos termpos = 0;
    mutable std::string err;
};

/* Synonym groups folded into one term (shim/fold.cc): the pairs of a
 * map's text, "MEMBER CANONICAL" a line, and the term prefixes they are
 * folded under. */
namespace xsh {
class FoldMap {
  public:
    void set(const std::string &text, const char *const *prefixes,
             size_t n);
    bool empty() const { return words.empty(); }
    /* Whether T is a member's term (as written, or "Z" and its stem under
     * STEM) under one of the prefixes; OUT is the canonical word's. */
    bool fold(const std::string &t, const Xapian::Stem &stem,
              std::string &out);
    /* The canonical terms (prefix included) of the members that the
     * wildcard PATTERN (a term's beginning, prefix included) matches and
     * their canonical word does not, appended to OUT. */
    void wildcard(const std::string &pattern,
                  std::vector<std::string> &out) const;

  private:
    const std::unordered_map<std::string, std::string> &
    stems_for(const Xapian::Stem &stem);

    std::vector<std::pair<std::string, std::string>> pairs;
    std::unordered_map<std::string, std::string> words, stems;
    std::vector<std::string> prefixes;
    std::string stems_of;       /* the stemmer STEMS was built with */
    bool have_stems = false;
};
} // namespace xsh

/* The stopper is declared before the generator that points at it, so it
 * is destroyed after it. */
struct xsh_termgen {
    std::unique_ptr<Xapian::SimpleStopper> stopper;
    Xapian::TermGenerator tg;
    Xapian::Stem stem;      /* its own, for xsh_termgen_set_stem(NULL) */
    Xapian::Stem cur_stem;  /* the one in use, which folds stems */
    xsh::FoldMap folds;     /* xsh_termgen_set_folds() */
    std::string err;
};

/* Spelling increments are summed here and handed to Xapian in one call
 * per word: add_spelling() per word and document was a fifth of the
 * indexer's time, and a word like "the" came once per document.  The sums
 * go to Xapian before every commit, and before Xapian could commit on its
 * own (every XAPIAN_FLUSH_THRESHOLD changes, 10,000 by default; we flush
 * at half of that, counting replaces and deletes), so a committed document
 * always has its words in the committed spelling table, as before. */
namespace xsh {
struct PackDict;                /* shim/packdata.cc */
struct UnpackDict;
}

struct xsh_wdb {
    Xapian::WritableDatabase db;
    std::string err;
    /* The database's dictionary (xsh_pack_data()): when set, the data of
     * each document written is packed with it. */
    std::shared_ptr<const xsh::PackDict> pack;
    std::unordered_map<std::string, unsigned> spelling;
    unsigned changes = 0;           /* replaces and deletes since a flush */
    unsigned flush_every = 5000;
};

namespace xsh {
struct ValueRanks;              /* shim/ends.cc */
}

struct xsh_db {
    xsh_db();
    ~xsh_db();

    Xapian::Database db;
    /* Every database DB combines, remote ones too, in the order added,
     * each sharing its internals with DB (so their revisions follow DB's
     * reopen()): global docid D is in subs[(D - 1) % subs.size()].  Their packing
     * dictionaries (xsh_pack_data()), read when a packed document of
     * theirs is first unpacked and again when its frame names another
     * dictionary (a rebuilt database swapped in), are in unpack, by the
     * same index; guarded by unpack_lock (dossier-serve's threads). */
    std::vector<Xapian::Database> subs;
    std::mutex unpack_lock;
    std::vector<std::shared_ptr<const xsh::UnpackDict>> unpack;
    bool remote = false;        /* a database opened is remote */
    std::string err;
    unsigned n_searches = 0;    /* live children, checked on close */
    /* xsh_search_value_ends()'s values by docid, per slot, for the
     * revisions they were read at; guarded by ranks_lock. */
    std::mutex ranks_lock;
    std::map<Xapian::valueno, std::unique_ptr<xsh::ValueRanks>> ranks;
};

/* Members that Xapian objects point at (stopper, range processors) are
 * declared before the query parser so that they outlive it. */
struct xsh_search {
    explicit xsh_search(xsh_db *db_) : db(db_), enquire(db_->db) { }

    xsh_db *db;
    Xapian::Stem stem;
    std::unique_ptr<Xapian::SimpleStopper> stopper;
    std::vector<std::unique_ptr<xsh::CallbackRange>> ranges;
    std::vector<std::unique_ptr<xsh::CallbackField>> fields;
    /* xsh_search_add_synonym() pairs (words of the term, words of the
     * synonym), applied to the parsed query by expand_synonyms(). */
    std::vector<std::pair<std::vector<std::string>,
                          std::vector<std::string>>> synonyms;
    /* xsh_search_add_stem() and xsh_search_set_word_terms(), applied to
     * the parsed query by expand_scripts(). */
    std::vector<Xapian::Stem> cyr_stems;
    xsh_word_fn word_fn = nullptr;
    void *word_ctx = nullptr;
    double word_weight = 0.5;
    /* xsh_search_set_spellings(): expand_spellings() on parsed queries. */
    bool spellings = true;
    Xapian::QueryParser qp;
    /* xsh_search_add_prefix()'s fields, for NEAR's operands
     * (shim/proximity.cc). */
    std::map<std::string, std::string> prefixes;
    Xapian::Enquire enquire;
    /* Match all: Query(""), never the static Query::MatchAll, whose
     * reference count is not atomic, so that searches built and freed in
     * several threads at once (dossier-serve) do not corrupt it. */
    Xapian::Query query = Xapian::Query(std::string());
    /* xsh_search_set_folds(): the pairs the database was indexed with;
     * and QUERY before folding and pruning (when SNIP_SET), whose words
     * snippets highlight (shim/fold.cc). */
    xsh::FoldMap folds;
    Xapian::Query snip_query;
    bool snip_set = false;
    std::vector<Xapian::Query> filters;
    std::vector<xsh::SpySpec> spies;
    std::unique_ptr<Xapian::MultiValueKeyMaker> sorter;
    /* The weighting scheme and collapse key again, for the feedback run of
     * query expansion (xsh_search_set_expansion()), which ranks on an
     * Enquire of its own so that sorting and spies never reach it. */
    std::unique_ptr<Xapian::Weight> weight;
    Xapian::valueno collapse_slot = Xapian::BAD_VALUENO;
    /* xsh_search_set_collapse_groups(): the term of documents sharing a
     * collapse value, and the metadata key that dates it. */
    std::string group_term, group_key;
    std::vector<std::string> stopwords;
    unsigned exp_docs = 0, exp_terms = 0;
    double exp_weight = 0;
    std::string corrected;
    std::string err;
    unsigned n_results = 0;     /* live children, checked on free */
};

/* A page of hits, their data copied out of Xapian; values (rarely asked
 * for) and snippets (term frequencies) read the database again. */
struct xsh_results {
    xsh_search *s;
    Xapian::MSet mset;
    Xapian::Stem stem;
    std::vector<xsh::HitCopy> hits;
    std::vector<xsh::CountList> counts;
    /* xsh_results_count(): the number of matches after and before
     * collapsing, and whether they are exact (set by run_once()). */
    Xapian::doccount n_matches = 0, n_uncollapsed = 0;
    bool counts_exact = false;
    /* The query's terms as snippets use them, built on the first
     * snippet (xsh_results_snippet()). */
    std::shared_ptr<xsh::SnipTerms> snip;
    std::string err;
};

namespace xsh {

/* The query rewriters below (synonyms, scripts, spellings, NEAR) walk a
 * parsed query and rebuild the nodes whose subqueries they changed. */

/* Whether Xapian::Query(OP, first, last) rebuilds a node of type OP from
 * its subqueries alone: the boolean and weighting operators.  Not NEAR or
 * PHRASE (their window cannot be read back), wildcards, value ranges or
 * scaled weights. */
inline bool
rebuildable(Xapian::Query::op op)
{
    switch (op) {
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
        return true;
    default:
        return false;
    }
}

/* The rebuildable() node Q with its subqueries rewritten: STEP(i, subs,
 * sub_changed) appends what stands for subquery I (and maybe the ones
 * after it) to SUBS, sets SUB_CHANGED when that differs, and returns how
 * many subqueries it took (at least one).  The filter side of OP_FILTER
 * holds boolean terms only and is kept as it is.  Q itself when no step
 * changed anything; CHANGED is set otherwise. */
template <typename Step>
Xapian::Query
rebuild_node(const Xapian::Query &q, bool &changed, Step step)
{
    Xapian::Query::op op = q.get_type();
    size_t n = q.get_num_subqueries();
    std::vector<Xapian::Query> subs;
    bool sub_changed = false;

    subs.reserve(n);
    for (size_t i = 0; i < n; ) {
        if (op == Xapian::Query::OP_FILTER && i > 0) {
            subs.push_back(q.get_subquery(i++));
            continue;
        }
        i += step(i, subs, sub_changed);
    }
    if (!sub_changed)
        return q;
    changed = true;
    return Xapian::Query(op, subs.begin(), subs.end());
}

/* The spelling sums of W handed to Xapian, and one change counted
 * towards the next such flush (see struct xsh_wdb; shim/writable.cc). */
void flush_spelling(xsh_wdb &w);
void note_change(xsh_wdb &w);

/* Whether DB (REMOTE: opened over the network) is one local database
 * whose metadata KEY holds the stamp of its current revision
 * (xsh_wdb_commit_stamped(); shim/groups.cc). */
bool groups_current(const Xapian::Database &db, bool remote,
                    const std::string &key);

/* The dictionary stored in DB (XSH_PACK_META_KEY), ready to pack with;
 * NULL when it holds none (shim/packdata.cc). */
std::shared_ptr<const PackDict> pack_dict_load(const Xapian::Database &db);

/* RAW packed with P into OUT; false (OUT undefined) when the frame would
 * not be smaller than RAW, unless RAW starts with a frame's magic number
 * (stored as it is, it would read as a frame). */
bool pack_data(const PackDict &p, const std::string &raw, std::string &out);

/* DATA, read from document DOCID (global) of DB, unpacked in place when
 * it is a zstd frame and that document's database holds a dictionary;
 * left alone otherwise.  Throws
 * Xapian::DatabaseCorruptError when the frame cannot be unpacked with the
 * dictionary of its database, and what reading that throws. */
void unpack_data(xsh_db &db, Xapian::docid docid, std::string &data);

/* The search's query with its filters ANDed on (shim/enquire.cc). */
Xapian::Query filtered_query(const xsh_search *s);

/* Documents as bits by docid: bit D of word D / 64. */
typedef std::vector<uint64_t> Bits;

/* Whether Q is a term, MatchAll or MatchNothing, or AND, OR, AND_NOT,
 * XOR, FILTER, AND_MAYBE, SYNONYM, MAX or SCALE_WEIGHT (shim/groups.cc). */
bool is_boolean(const Xapian::Query &q);

/* Q's matches in DB (one database) into OUT, WORDS words: the boolean
 * operators (is_boolean()) over bits, terms from their posting lists,
 * and only the other parts (phrases, ranges) through the matcher, so a
 * boolean query costs a walk along its posting lists, none of the
 * matcher's work per candidate (shim/groups.cc). */
void match_bits(const Xapian::Database &db, const Xapian::Query &q,
                size_t words, Bits &out);

/* Whether match_bits() and EXTRA postings read should cost less than a
 * pass of the matcher over Q that visits at most CAP candidates, as term
 * frequencies tell (shim/groups.cc). */
bool bits_cheaper(const Xapian::Database &db, const Xapian::Query &q,
                  double extra, double cap);

/* Q with the search's own synonyms (xsh_search_add_synonym()) applied
 * (shim/synonym.cc). */
Xapian::Query expand_synonyms(const xsh_search &s, const Xapian::Query &q);

/* Q with Cyrillic words' stems and other scripts' terms
 * (xsh_search_add_stem(), xsh_search_set_word_terms()) ORed in
 * (shim/script.cc). */
Xapian::Query expand_scripts(xsh_search &s, const Xapian::Query &q);

/* Q with the terms of folded synonyms (xsh_search_set_folds()) renamed
 * as the indexer renamed them (shim/fold.cc). */
Xapian::Query fold_query(xsh_search &s, const Xapian::Query &q);

/* Q without the alternatives that cannot match: in each OR and
 * OP_SYNONYM (a phrase's places too), a term the database does not hold,
 * or a phrase of terms one of which it does not hold, unless nothing
 * would be left (shim/fold.cc). */
Xapian::Query prune_absent(xsh_search &s, const Xapian::Query &q);

/* NEAR and ADJ over wildcards and fields (shim/proximity.cc). */

/* The window of a NEAR or PHRASE node as the parser set it, 0 when it
 * cannot be read. */
Xapian::termcount window_of(const Xapian::Query &q);

/* At most this many NEAR (PHRASE) nodes stand for one with wildcards. */
const size_t NEAR_MAX_COMBINATIONS = 1000;

/* An operand of NEAR or ADJ the parser cannot take, as written. */
struct NearOperand {
    std::string text;           /* "title:guarant*" */
    std::string prefix;         /* the field's term prefix, or "" */
    std::string word;           /* "guarant" */
    bool wildcard = false;
};

struct NearPrep {
    std::string text;           /* the query for the parser */
    std::vector<NearOperand> operands;
    std::map<std::string, size_t> placeholders;  /* word -> operand */
    bool has_operator = false;  /* NEAR or ADJ outside quotes */
    bool user_operator_word = false;    /* "near" or "adj" as a word */
};

/* Q with each operand of NEAR/ADJ that is word* (with WILDCARDS),
 * field:word or field:word* replaced by a placeholder word. */
NearPrep near_prepare(const xsh_search &s, const std::string &q,
                      bool wildcards);

/* Q (parsed from P.text) with each NEAR or PHRASE that holds placeholders
 * rebuilt over the terms they stand for.  Returns false, leaving Q alone,
 * when a placeholder ended up elsewhere (the parser fell back): parse the
 * original text instead.  Throws QueryParserError when the wildcards give
 * more than NEAR_MAX_COMBINATIONS combinations. */
bool near_restore(const xsh_search &s, const NearPrep &p, Xapian::Query &q);

/* Throws QueryParserError when P's text has a NEAR or ADJ operator that
 * the parser read as a word in Q. */
void near_check(const NearPrep &p, const Xapian::Query &q);

/* Q with each word's British or American spelling beside it and marked
 * hyphenated compounds matched written as one, hyphenated or apart
 * (shim/spelling.cc). */
Xapian::Query expand_spellings(xsh_search &s, const Xapian::Query &q);

/* Add to DOC a term of wdf 0, PREFIX and the lower-cased compound, for
 * each hyphenated word of two ASCII letter and digit parts in TEXT
 * ("counter-offensive", "f-16"; not "2022-04"), which the term
 * generator indexes as two words (shim/spelling.cc). */
void add_compound_marks(Xapian::Document &doc, const std::string &text,
                        const std::string &prefix);

} // namespace xsh

#endif /* DOSSIER_XSH_PRIVATE_H */
