/* xsh.cc - the C API of shim/xsh.h implemented over Xapian 1.4
 *
 * This file owns every use of Xapian in dossier: term generation, writable
 * and read-only databases, query parsing, matching, match spies and
 * snippets.  It must not let a C++ exception cross into C, print, exit or
 * know any dossier field: each exported function is one try block whose
 * catch (...) calls map_exception(), which turns the exception into an
 * xsh_status_t and a one-line message stored on the handle.  Reads retry a
 * bounded number of times after reopening when the database moves on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <xapian.h>

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <sys/stat.h>

#include "shim/xsh.h"

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

/* The stopper is declared before the generator that points at it, so it
 * is destroyed after it. */
struct xsh_termgen {
    std::unique_ptr<Xapian::SimpleStopper> stopper;
    Xapian::TermGenerator tg;
    std::string err;
};

/* Spelling increments are summed here and handed to Xapian in one call
 * per word: add_spelling() per word and document was a fifth of the
 * indexer's time, and a word like "the" came once per document.  The sums
 * go to Xapian before every commit, and before Xapian could commit on its
 * own (every XAPIAN_FLUSH_THRESHOLD changes, 10,000 by default; we flush
 * at half of that, counting replaces and deletes), so a committed document
 * always has its words in the committed spelling table, as before. */
struct xsh_wdb {
    Xapian::WritableDatabase db;
    std::string err;
    std::unordered_map<std::string, unsigned> spelling;
    unsigned changes = 0;           /* replaces and deletes since a flush */
    unsigned flush_every = 5000;
};

struct xsh_db {
    Xapian::Database db;
    std::string err;
    unsigned n_searches = 0;    /* live children, checked on close */
};

namespace {

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

/* What xsh_search_count_values() and xsh_search_count_terms() asked for;
 * fresh spies are made from it for every run, since Xapian's spies keep
 * counting across get_mset() calls. */
struct SpySpec {
    bool is_terms;
    Xapian::valueno slot;
    std::string prefix;
};

/* Counts the terms starting with PREFIX of each matching document, keyed
 * by the rest of the term. */
class TermPrefixSpy : public Xapian::MatchSpy {
  public:
    explicit TermPrefixSpy(const std::string &prefix_) : prefix(prefix_) { }

    void operator()(const Xapian::Document &doc, double) override;

    std::string prefix;
    std::map<std::string, unsigned> counts;
};

/* Counts the documents the matcher considers: with every candidate looked
 * at, the exact number of matches before collapsing (Xapian calls spies
 * before it collapses).  The shim's own class, so over remote shards it is
 * refused (UnimplementedError) and the run goes on without it. */
class CountSpy : public Xapian::MatchSpy {
  public:
    void operator()(const Xapian::Document &, double) override { ++n; }

    Xapian::doccount n = 0;
};

/* Counts the matches, and the distinct values of SLOT among them: the
 * number Xapian's collapsing on SLOT keeps, one document per value and
 * every document without one.  Keeps two independent 64-bit hashes of
 * each value rather than the value (sorting strings cost more than the
 * count itself): two different values would be taken for one only if
 * both hashes collided, odds of about n^2 / 2^129. */
class KeyCountSpy : public Xapian::MatchSpy {
  public:
    explicit KeyCountSpy(Xapian::valueno slot_) : slot(slot_) { }

    void operator()(const Xapian::Document &doc, double) override {
        std::string key = doc.get_value(slot);
        if (key.empty()) {
            ++no_key;
            return;
        }
        uint64_t fnv = 14695981039346656037ULL;
        for (unsigned char c : key)
            fnv = (fnv ^ c) * 1099511628211ULL;
        keys.emplace_back(std::hash<std::string>()(key), fnv);
    }

    Xapian::doccount matches() const {
        return no_key + static_cast<Xapian::doccount>(keys.size());
    }

    Xapian::doccount collapsed() {
        std::sort(keys.begin(), keys.end());
        return no_key + static_cast<Xapian::doccount>(
            std::unique(keys.begin(), keys.end()) - keys.begin());
    }

    Xapian::valueno slot;
    Xapian::doccount no_key = 0;
    std::vector<std::pair<uint64_t, uint64_t>> keys;
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

} // namespace

/* Members that Xapian objects point at (stopper, range processors) are
 * declared before the query parser so that they outlive it. */
struct xsh_search {
    explicit xsh_search(xsh_db *db_) : db(db_), enquire(db_->db) { }

    xsh_db *db;
    Xapian::Stem stem;
    std::unique_ptr<Xapian::SimpleStopper> stopper;
    std::vector<std::unique_ptr<CallbackRange>> ranges;
    std::vector<std::unique_ptr<CallbackField>> fields;
    /* xsh_search_add_synonym() pairs (words of the term, words of the
     * synonym), applied to the parsed query by expand_synonyms(). */
    std::vector<std::pair<std::vector<std::string>,
                          std::vector<std::string>>> synonyms;
    Xapian::QueryParser qp;
    Xapian::Enquire enquire;
    Xapian::Query query = Xapian::Query::MatchAll;
    std::vector<Xapian::Query> filters;
    std::vector<SpySpec> spies;
    std::unique_ptr<Xapian::MultiValueKeyMaker> sorter;
    /* The weighting scheme and collapse key again, for the feedback run of
     * query expansion (xsh_search_set_expansion()), which ranks on an
     * Enquire of its own so that sorting and spies never reach it. */
    std::unique_ptr<Xapian::Weight> weight;
    Xapian::valueno collapse_slot = Xapian::BAD_VALUENO;
    std::vector<std::string> stopwords;
    unsigned exp_docs = 0, exp_terms = 0;
    double exp_weight = 0;
    std::string corrected;
    std::string err;
    unsigned n_results = 0;     /* live children, checked on free */
};

/* A page of hits, their data copied out of Xapian; values (rarely asked
 * for) and snippets (term frequencies) read the database again. */
struct SnipTerms;

struct xsh_results {
    xsh_search *s;
    Xapian::MSet mset;
    Xapian::Stem stem;
    std::vector<HitCopy> hits;
    std::vector<CountList> counts;
    /* xsh_results_count(): the number of matches after and before
     * collapsing, and whether they are exact (set by run_once()). */
    Xapian::doccount n_matches = 0, n_uncollapsed = 0;
    bool counts_exact = false;
    /* The query's terms as snippets use them, built on the first
     * snippet (xsh_results_snippet()). */
    std::shared_ptr<SnipTerms> snip;
    std::string err;
};

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

namespace {

/* How many times a read reopens the database and tries again after
 * DatabaseModifiedError before giving up with XSH_MODIFIED. */
const unsigned MAX_ATTEMPTS = 50;

/* Xapian's limit on the length of a term in bytes (glass). */
const size_t MAX_TERM_LEN = 245;

/* Hand the summed spelling increments to Xapian (see struct xsh_wdb). */
void
flush_spelling(xsh_wdb &w)
{
    for (auto it = w.spelling.begin(); it != w.spelling.end();) {
        w.db.add_spelling(it->first, it->second);
        it = w.spelling.erase(it);
    }
    w.changes = 0;
}

/* Count one change; flush the spelling sums before Xapian could commit
 * by itself. */
void
note_change(xsh_wdb &w)
{
    if (++w.changes >= w.flush_every)
        flush_spelling(w);
}

/* Store MSG (prefixed with "WHERE: " when WHERE is given) in ERR on one
 * line and return ST.  If memory runs out the message is left empty. */
xsh_status_t
fail(std::string &err, xsh_status_t st, const std::string &msg,
     const char *where = nullptr) noexcept
{
    try {
        err.clear();
        if (where) {
            err = where;
            err += ": ";
        }
        err += msg;
        for (char &c : err) {
            if (c == '\n' || c == '\r' || c == '\t')
                c = ' ';
        }
    } catch (...) {
        err.clear();
    }
    return st;
}

xsh_status_t
ok(std::string &err) noexcept
{
    err.clear();
    return XSH_OK;
}

/* Rethrow the exception being handled and map it to a status, storing its
 * message in ERR.  Call only from a catch block. */
xsh_status_t
map_exception(std::string &err, const char *where = nullptr) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        return fail(err, XSH_LOCKED, e.get_msg(), where);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return fail(err, XSH_NOT_FOUND, e.get_msg(), where);
    } catch (const Xapian::DocNotFoundError &e) {
        return fail(err, XSH_NOT_FOUND, e.get_msg(), where);
    } catch (const Xapian::DatabaseVersionError &e) {
        return fail(err, XSH_VERSION, e.get_msg(), where);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return fail(err, XSH_CORRUPT, e.get_msg(), where);
    } catch (const Xapian::DatabaseOpeningError &e) {
        return fail(err, XSH_OPEN, e.get_msg(), where);
    } catch (const Xapian::DatabaseCreateError &e) {
        return fail(err, XSH_OPEN, e.get_msg(), where);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return fail(err, XSH_MODIFIED, e.get_msg(), where);
    } catch (const Xapian::QueryParserError &e) {
        return fail(err, XSH_QUERY_SYNTAX, e.get_msg(), where);
    } catch (const Xapian::WildcardError &e) {
        return fail(err, XSH_QUERY_SYNTAX, e.get_msg(), where);
    } catch (const Xapian::NetworkError &e) {
        /* NetworkTimeoutError is a NetworkError. */
        return fail(err, XSH_NETWORK, e.get_msg(), where);
    } catch (const Xapian::InvalidArgumentError &e) {
        return fail(err, XSH_INVALID_ARG, e.get_msg(), where);
    } catch (const Xapian::Error &e) {
        return fail(err, XSH_XAPIAN, e.get_msg(), where);
    } catch (const std::bad_alloc &) {
        return fail(err, XSH_NOMEM, "out of memory", where);
    } catch (const std::exception &e) {
        return fail(err, XSH_INTERNAL, e.what(), where);
    } catch (...) {
        return fail(err, XSH_INTERNAL, "unknown error", where);
    }
}

xsh_status_t
invalid(std::string &err, const std::string &what) noexcept
{
    return fail(err, XSH_INVALID_ARG, what);
}

/* Storing a literal this way never throws: only ERR allocates. */
xsh_status_t
invalid(std::string &err, const char *what) noexcept
{
    try {
        err = what;
    } catch (...) {
        err.clear();
    }
    return XSH_INVALID_ARG;
}

/* For the open/new functions: hand ERR to the caller as a malloc'd string
 * (NULL if memory runs out) when ERRMSG is not NULL. */
xsh_status_t
give_errmsg(xsh_status_t st, const std::string &err, char **errmsg) noexcept
{
    if (errmsg)
        *errmsg = st == XSH_OK ? nullptr : strdup(err.c_str());
    return st;
}

/* Run F, reopening DB and trying again when it moved on under us. */
template <typename F>
auto
with_reopen(Xapian::Database &db, F f) -> decltype(f())
{
    for (unsigned attempt = 1; ; ++attempt) {
        try {
            return f();
        } catch (const Xapian::DatabaseModifiedError &) {
            if (attempt >= MAX_ATTEMPTS)
                throw;
            db.reopen();
        }
    }
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

/* A malloc'd, NUL-terminated copy of S; throws std::bad_alloc. */
char *
dup_string(const std::string &s)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

/* Hand S out through VALUE and LEN (may be NULL). */
void
give_string(const std::string &s, char **value, size_t *len)
{
    *value = dup_string(s);
    if (len)
        *len = s.size();
}

/* TERM cut to Xapian's limit without splitting a UTF-8 sequence. */
std::string
clamp_term(const char *term)
{
    std::string t(term);
    if (t.size() > MAX_TERM_LEN) {
        size_t cut = MAX_TERM_LEN;
        while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xc0) == 0x80)
            --cut;
        t.resize(cut);
    }
    return t;
}

Xapian::Stem
make_stem(const char *language)
{
    if (language[0] == '\0' || strcmp(language, "none") == 0)
        return Xapian::Stem();
    return Xapian::Stem(language);
}

std::unique_ptr<Xapian::SimpleStopper>
make_stopper(const char *const *words, size_t n)
{
    std::unique_ptr<Xapian::SimpleStopper> st(new Xapian::SimpleStopper());
    for (size_t i = 0; i < n; i++)
        st->add(words[i]);
    return st;
}

bool
all_strings(const char *const *v, size_t n)
{
    if (n > 0 && !v)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!v[i])
            return false;
    }
    return true;
}

/* The value query LO <= value <= HI; a NULL end is open.  Xapian turns
 * OP_VALUE_GE with an empty bound into MatchAll, documents without the
 * value included, so an open low end is "\0", which every set (non-empty)
 * value reaches. */
Xapian::Query
value_range(Xapian::valueno slot, const char *lo, const char *hi)
{
    std::string low = lo && *lo ? std::string(lo) : std::string(1, '\0');

    if (hi)
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, low, hi);
    return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, low);
}

struct FreeDeleter {
    void operator()(char *p) const { free(p); }
};
typedef std::unique_ptr<char, FreeDeleter> CString;

Xapian::Query
CallbackRange::operator()(const std::string &begin, const std::string &end)
{
    char *lo = nullptr;
    char *hi = nullptr;
    bool accepted = fn(ctx, begin.c_str(), end.c_str(), &lo, &hi);
    CString lo_owner(lo), hi_owner(hi);

    if (!accepted) {
        throw Xapian::QueryParserError("invalid range '" + str + begin +
                                       ".." + end + "'");
    }
    return value_range(slot, lo, hi);
}

Xapian::Query
CallbackField::operator()(const std::string &str)
{
    char **terms = nullptr;
    size_t n = 0;
    bool accepted = fn(ctx, str.c_str(), &terms, &n);
    std::vector<Xapian::Query> group;

    try {
        if (accepted) {
            group.reserve(n);
            for (size_t i = 0; i < n; i++) {
                if (terms[i])
                    group.emplace_back(clamp_term(terms[i]));
            }
        }
    } catch (...) {
        for (size_t i = 0; i < n; i++)
            free(terms[i]);
        free(terms);
        throw;
    }
    for (size_t i = 0; i < n; i++)
        free(terms[i]);
    free(terms);
    if (!accepted)
        throw Xapian::QueryParserError("invalid value '" + field + ":" +
                                       str + "'");
    if (group.empty())
        return Xapian::Query::MatchNothing;
    return Xapian::Query(Xapian::Query::OP_OR, group.begin(), group.end());
}

void
TermPrefixSpy::operator()(const Xapian::Document &doc, double)
{
    Xapian::TermIterator t = doc.termlist_begin();
    Xapian::TermIterator end = doc.termlist_end();

    t.skip_to(prefix);
    for (; t != end; ++t) {
        std::string term = *t;
        if (term.compare(0, prefix.size(), prefix) != 0)
            break;
        ++counts[term.substr(prefix.size())];
    }
}

/* Most frequent first, ties by value (as bytes). */
void
sort_counts(CountList &list)
{
    std::sort(list.begin(), list.end(),
              [](const CountList::value_type &a,
                 const CountList::value_type &b) {
                  if (a.second != b.second)
                      return a.second > b.second;
                  return a.first < b.first;
              });
}

/* Append code point CP to OUT as UTF-8; false if it is not a scalar
 * value worth decoding. */
bool
append_utf8(std::string &out, unsigned long cp)
{
    if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return false;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
    return true;
}

/* Decode the entity at S[I] ('&') into OUT; return its length, or 0 when
 * it is not one Xapian writes (then '&' is copied as is). */
size_t
decode_entity(const std::string &s, size_t i, std::string &out)
{
    static const struct {
        const char *name;
        char c;
    } named[] = {
        { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
        { "&quot;", '"' }, { "&apos;", '\'' },
    };

    for (const auto &n : named) {
        size_t len = strlen(n.name);
        if (s.compare(i, len, n.name) == 0) {
            out += n.c;
            return len;
        }
    }
    if (s.compare(i, 2, "&#") != 0)
        return 0;

    size_t j = i + 2;
    int base = 10;
    if (j < s.size() && (s[j] == 'x' || s[j] == 'X')) {
        base = 16;
        j++;
    }
    size_t digits = j;
    unsigned long cp = 0;
    while (j < s.size() && j - digits < 8) {
        int c = static_cast<unsigned char>(s[j]);
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            break;
        cp = cp * base + d;
        j++;
    }
    if (j == digits || j >= s.size() || s[j] != ';')
        return 0;
    if (!append_utf8(out, cp))
        return 0;
    return j + 1 - i;
}

/* Sentinels given to Xapian for the highlight and omission markers: the
 * snippet's own text cannot hold them (they are blanked first), so the
 * caller's markers are put in after Xapian's HTML escaping is undone and
 * are never touched by it. */
const char MARK_START = '\x01';
const char MARK_END = '\x02';
const char MARK_OMIT = '\x03';

std::string
unescape_snippet(const std::string &s, const std::string &hi_start,
                 const std::string &hi_end, const std::string &omit)
{
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ) {
        char c = s[i];
        if (c == MARK_START) {
            out += hi_start;
        } else if (c == MARK_END) {
            out += hi_end;
        } else if (c == MARK_OMIT) {
            out += omit;
        } else if (c == '&') {
            size_t n = decode_entity(s, i, out);
            if (n > 0) {
                i += n;
                continue;
            }
            out += c;
        } else {
            out += c;
        }
        i++;
    }
    return out;
}

/* S with the sentinels turned into the caller's markers. */
std::string
replace_marks(const std::string &s, const std::string &hi_start,
              const std::string &hi_end, const std::string &omit)
{
    std::string out;
    out.reserve(s.size() + 16);
    for (char c : s) {
        if (c == MARK_START)
            out += hi_start;
        else if (c == MARK_END)
            out += hi_end;
        else if (c == MARK_OMIT)
            out += omit;
        else
            out += c;
    }
    return out;
}

} // namespace

/* ------------------------------------------------------------------ */
/* Statuses and version                                                */
/* ------------------------------------------------------------------ */

const char *
xsh_status_str(xsh_status_t st)
{
    switch (st) {
    case XSH_OK: return "success";
    case XSH_NOT_FOUND: return "not found";
    case XSH_LOCKED: return "database is locked";
    case XSH_VERSION: return "unsupported database version";
    case XSH_CORRUPT: return "database is corrupt";
    case XSH_OPEN: return "cannot open database";
    case XSH_MODIFIED: return "database kept changing during the read";
    case XSH_QUERY_SYNTAX: return "query syntax error";
    case XSH_NETWORK: return "network error";
    case XSH_INVALID_ARG: return "invalid argument";
    case XSH_XAPIAN: return "xapian error";
    case XSH_NOMEM: return "out of memory";
    case XSH_INTERNAL: return "internal error";
    case XSH_STATUS_LAST: break;
    }
    return "unknown status";
}

const char *
xsh_version(void)
{
    return Xapian::version_string();
}

/* ------------------------------------------------------------------ */
/* Term generation                                                     */
/* ------------------------------------------------------------------ */

xsh_status_t
xsh_termgen_new(const char *language, xsh_termgen_t **tg, char **errmsg)
{
    std::string err;

    if (errmsg)
        *errmsg = nullptr;
    if (tg)
        *tg = nullptr;
    if (!language || !tg)
        return give_errmsg(invalid(err, "NULL argument"), err, errmsg);
    try {
        std::unique_ptr<xsh_termgen> t(new xsh_termgen());
        t->tg.set_stemmer(make_stem(language));
        t->tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        t->tg.set_stopper_strategy(Xapian::TermGenerator::STOP_STEMMED);
        *tg = t.release();
        return XSH_OK;
    } catch (...) {
        return give_errmsg(map_exception(err), err, errmsg);
    }
}

void
xsh_termgen_free(xsh_termgen_t *tg)
{
    delete tg;
}

const char *
xsh_termgen_errmsg(const xsh_termgen_t *tg)
{
    return tg ? tg->err.c_str() : "NULL term generator";
}

xsh_status_t
xsh_termgen_set_stopwords(xsh_termgen_t *tg, const char *const *words,
                          size_t n)
{
    if (!tg)
        return XSH_INVALID_ARG;
    if (!all_strings(words, n))
        return invalid(tg->err, "NULL stopword");
    try {
        std::unique_ptr<Xapian::SimpleStopper> st;
        if (n > 0)
            st = make_stopper(words, n);
        tg->tg.set_stopper(st.get());
        tg->stopper = std::move(st);
        return ok(tg->err);
    } catch (...) {
        return map_exception(tg->err);
    }
}

xsh_status_t
xsh_doc_new(xsh_doc_t **doc, char **errmsg)
{
    std::string err;

    if (errmsg)
        *errmsg = nullptr;
    if (!doc)
        return give_errmsg(invalid(err, "NULL argument"), err, errmsg);
    *doc = nullptr;
    try {
        *doc = new xsh_doc();
        return XSH_OK;
    } catch (...) {
        return give_errmsg(map_exception(err), err, errmsg);
    }
}

void
xsh_doc_free(xsh_doc_t *doc)
{
    delete doc;
}

const char *
xsh_doc_errmsg(const xsh_doc_t *doc)
{
    return doc ? doc->err.c_str() : "NULL document";
}

xsh_status_t
xsh_termgen_index(xsh_termgen_t *tg, xsh_doc_t *doc, const char *text,
                  size_t len, unsigned weight, const char *prefix,
                  bool with_positions)
{
    if (!tg)
        return XSH_INVALID_ARG;
    if (!doc || (!text && len > 0) || !prefix)
        return invalid(tg->err, "NULL argument");
    try {
        std::string t(text ? text : "", len);
        /* The generator lets go of DOC afterwards: Xapian's reference
         * counts are not atomic, and DOC goes on to the writer thread
         * while this generator's thread builds the next document. */
        struct Release {
            Xapian::TermGenerator &g;
            ~Release() {
                try {
                    g.set_document(Xapian::Document());
                } catch (...) {
                    /* Out of memory: nothing better to do. */
                }
            }
        } release{tg->tg};
        tg->tg.set_document(doc->doc);
        tg->tg.set_termpos(doc->termpos);
        if (with_positions)
            tg->tg.index_text(t, weight, prefix);
        else
            tg->tg.index_text_without_positions(t, weight, prefix);
        doc->termpos = tg->tg.get_termpos();
        return ok(tg->err);
    } catch (...) {
        return map_exception(tg->err);
    }
}

xsh_status_t
xsh_termgen_increase_termpos(xsh_termgen_t *tg, xsh_doc_t *doc,
                             unsigned delta)
{
    if (!tg)
        return XSH_INVALID_ARG;
    if (!doc)
        return invalid(tg->err, "NULL document");
    try {
        if (delta > Xapian::termpos(-1) - doc->termpos)
            return invalid(tg->err, "term position overflow");
        doc->termpos += delta;
        return ok(tg->err);
    } catch (...) {
        return map_exception(tg->err);
    }
}

xsh_status_t
xsh_doc_add_boolean_term(xsh_doc_t *doc, const char *term)
{
    if (!doc)
        return XSH_INVALID_ARG;
    if (!term)
        return invalid(doc->err, "NULL term");
    try {
        std::string t = clamp_term(term);
        if (t.empty())
            return invalid(doc->err, "empty term");
        doc->doc.add_boolean_term(t);
        return ok(doc->err);
    } catch (...) {
        return map_exception(doc->err);
    }
}

xsh_status_t
xsh_doc_add_value(xsh_doc_t *doc, xsh_slot_t slot, const char *data,
                  size_t len)
{
    if (!doc)
        return XSH_INVALID_ARG;
    if (!data && len > 0)
        return invalid(doc->err, "NULL value");
    if (slot == Xapian::BAD_VALUENO)
        return invalid(doc->err, "bad value slot");
    try {
        doc->doc.add_value(slot, std::string(data ? data : "", len));
        return ok(doc->err);
    } catch (...) {
        return map_exception(doc->err);
    }
}

xsh_status_t
xsh_doc_set_data(xsh_doc_t *doc, const char *data, size_t len)
{
    if (!doc)
        return XSH_INVALID_ARG;
    if (!data && len > 0)
        return invalid(doc->err, "NULL data");
    try {
        doc->doc.set_data(std::string(data ? data : "", len));
        return ok(doc->err);
    } catch (...) {
        return map_exception(doc->err);
    }
}

xsh_status_t
xsh_doc_each_word(const xsh_doc_t *doc, xsh_term_fn fn, void *ctx)
{
    if (!doc)
        return XSH_INVALID_ARG;
    if (!fn)
        return invalid(doc->err, "NULL callback");
    try {
        Xapian::TermIterator t = doc->doc.termlist_begin();
        Xapian::TermIterator end = doc->doc.termlist_end();
        for (; t != end; ++t) {
            std::string term = *t;
            unsigned char c = term.empty() ? 0 : term[0];
            /* Prefixes are upper-case ASCII, stems start with Z. */
            if (c == 0 || (c >= 'A' && c <= 'Z'))
                continue;
            fn(ctx, term.c_str(), term.size(), t.get_wdf());
        }
        return ok(doc->err);
    } catch (...) {
        return map_exception(doc->err);
    }
}

/* ------------------------------------------------------------------ */
/* Writable database                                                   */
/* ------------------------------------------------------------------ */

xsh_status_t
xsh_wdb_open(const char *path, int mode, xsh_wdb_t **wdb, char **errmsg)
{
    std::string err;

    if (errmsg)
        *errmsg = nullptr;
    if (wdb)
        *wdb = nullptr;
    if (!path || !wdb)
        return give_errmsg(invalid(err, "NULL argument"), err, errmsg);
    try {
        int action;
        switch (mode & ~XSH_WDB_NO_SYNC) {
        case XSH_WDB_CREATE_OR_OPEN:
            action = Xapian::DB_CREATE_OR_OPEN;
            break;
        case XSH_WDB_CREATE:
            action = Xapian::DB_CREATE;
            break;
        case XSH_WDB_OPEN:
            action = Xapian::DB_OPEN;
            break;
        default:
            return give_errmsg(invalid(err, "bad open mode"), err, errmsg);
        }
        if (mode & XSH_WDB_NO_SYNC)
            action |= Xapian::DB_NO_SYNC;
        std::unique_ptr<xsh_wdb> w(new xsh_wdb());
        w->db = Xapian::WritableDatabase(path, action);
        /* Xapian's own automatic commit interval (glass reads the same
         * variable; 0 or unset means 10,000). */
        const char *ft = std::getenv("XAPIAN_FLUSH_THRESHOLD");
        unsigned long threshold = ft ? std::strtoul(ft, nullptr, 10) : 0;
        if (threshold == 0)
            threshold = 10000;
        w->flush_every = threshold / 2 > 0 ? unsigned(
            std::min(threshold / 2, 1000000ul)) : 1;
        *wdb = w.release();
        return XSH_OK;
    } catch (...) {
        return give_errmsg(map_exception(err), err, errmsg);
    }
}

void
xsh_wdb_close(xsh_wdb_t *wdb)
{
    if (!wdb)
        return;
    try {
        flush_spelling(*wdb);
        wdb->db.commit();
        wdb->db.close();
    } catch (...) {
        /* Documented: errors on the final commit are lost. */
    }
    delete wdb;
}

const char *
xsh_wdb_errmsg(const xsh_wdb_t *wdb)
{
    return wdb ? wdb->err.c_str() : "NULL database";
}

xsh_status_t
xsh_wdb_replace(xsh_wdb_t *wdb, const char *unique_term,
                const xsh_doc_t *doc, xsh_docid_t *docid)
{
    if (docid)
        *docid = 0;
    if (!wdb)
        return XSH_INVALID_ARG;
    if (!unique_term || !doc)
        return invalid(wdb->err, "NULL argument");
    try {
        std::string term = clamp_term(unique_term);
        if (term.empty())
            return invalid(wdb->err, "empty unique term");
        /* Documents are shared handles: this adds the term to DOC. */
        Xapian::Document d = doc->doc;
        Xapian::TermIterator t = d.termlist_begin();
        t.skip_to(term);
        if (t == d.termlist_end() || *t != term)
            d.add_boolean_term(term);
        note_change(*wdb);
        Xapian::docid id = wdb->db.replace_document(term, d);
        if (docid)
            *docid = id;
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

xsh_status_t
xsh_wdb_delete(xsh_wdb_t *wdb, const char *unique_term)
{
    if (!wdb)
        return XSH_INVALID_ARG;
    if (!unique_term)
        return invalid(wdb->err, "NULL unique term");
    try {
        std::string term = clamp_term(unique_term);
        if (term.empty())
            return invalid(wdb->err, "empty unique term");
        note_change(*wdb);
        wdb->db.delete_document(term);
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

xsh_status_t
xsh_wdb_commit(xsh_wdb_t *wdb)
{
    if (!wdb)
        return XSH_INVALID_ARG;
    try {
        flush_spelling(*wdb);
        wdb->db.commit();
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

xsh_status_t
xsh_wdb_doccount(xsh_wdb_t *wdb, unsigned *count)
{
    if (!wdb)
        return XSH_INVALID_ARG;
    if (!count)
        return invalid(wdb->err, "NULL argument");
    try {
        *count = wdb->db.get_doccount();
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

xsh_status_t
xsh_wdb_set_metadata(xsh_wdb_t *wdb, const char *key, const char *value,
                     size_t len)
{
    if (!wdb)
        return XSH_INVALID_ARG;
    if (!key || (!value && len > 0))
        return invalid(wdb->err, "NULL argument");
    try {
        wdb->db.set_metadata(key, std::string(value ? value : "", len));
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

xsh_status_t
xsh_wdb_get_metadata(xsh_wdb_t *wdb, const char *key, char **value,
                     size_t *len)
{
    if (value)
        *value = nullptr;
    if (!wdb)
        return XSH_INVALID_ARG;
    if (!key || !value)
        return invalid(wdb->err, "NULL argument");
    try {
        give_string(wdb->db.get_metadata(key), value, len);
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

xsh_status_t
xsh_wdb_get_value(xsh_wdb_t *wdb, const char *unique_term, xsh_slot_t slot,
                  char **value, size_t *len)
{
    if (value)
        *value = nullptr;
    if (!wdb)
        return XSH_INVALID_ARG;
    if (!unique_term || !value)
        return invalid(wdb->err, "NULL argument");
    if (slot == Xapian::BAD_VALUENO)
        return invalid(wdb->err, "bad value slot");
    try {
        std::string term = clamp_term(unique_term);
        Xapian::PostingIterator p = wdb->db.postlist_begin(term);
        if (term.empty() || p == wdb->db.postlist_end(term)) {
            return fail(wdb->err, XSH_NOT_FOUND,
                        "no document has term '" + term + "'");
        }
        give_string(wdb->db.get_document(*p).get_value(slot), value, len);
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

xsh_status_t
xsh_wdb_each_posting(xsh_wdb_t *wdb, const char *term, xsh_posting_fn fn,
                     void *ctx)
{
    if (!wdb)
        return XSH_INVALID_ARG;
    if (!term || !fn)
        return invalid(wdb->err, "NULL argument");
    try {
        std::string t = clamp_term(term);
        Xapian::PostingIterator p = wdb->db.postlist_begin(t);
        Xapian::PostingIterator end = wdb->db.postlist_end(t);
        for (; p != end; ++p)
            if (!fn(ctx, *p))
                break;
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

xsh_status_t
xsh_wdb_get_doc_value(xsh_wdb_t *wdb, xsh_docid_t docid, xsh_slot_t slot,
                      char **value, size_t *len)
{
    if (value)
        *value = nullptr;
    if (!wdb)
        return XSH_INVALID_ARG;
    if (!value)
        return invalid(wdb->err, "NULL argument");
    if (slot == Xapian::BAD_VALUENO || docid == 0)
        return invalid(wdb->err, "bad value slot or document id");
    try {
        give_string(wdb->db.get_document(docid).get_value(slot), value, len);
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

xsh_status_t
xsh_wdb_set_doc_value(xsh_wdb_t *wdb, xsh_docid_t docid, xsh_slot_t slot,
                      const char *value, size_t len)
{
    if (!wdb)
        return XSH_INVALID_ARG;
    if (!value && len)
        return invalid(wdb->err, "NULL value");
    if (slot == Xapian::BAD_VALUENO || docid == 0)
        return invalid(wdb->err, "bad value slot or document id");
    try {
        Xapian::Document doc = wdb->db.get_document(docid);
        doc.add_value(slot, std::string(value ? value : "", len));
        wdb->db.replace_document(docid, doc);
        note_change(*wdb);
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

namespace {

/* Shared by xsh_wdb_each_term() and xsh_db_each_term(). */
void
each_term(const Xapian::Database &db, const std::string &prefix,
          xsh_each_term_fn fn, void *ctx)
{
    Xapian::TermIterator t = db.allterms_begin(prefix);
    Xapian::TermIterator end = db.allterms_end(prefix);
    for (; t != end; ++t) {
        std::string term = *t;
        if (!fn(ctx, term.c_str(), term.size(), t.get_termfreq()))
            break;
    }
}

} // namespace

xsh_status_t
xsh_wdb_each_term(xsh_wdb_t *wdb, const char *prefix, xsh_each_term_fn fn,
                  void *ctx)
{
    if (!wdb)
        return XSH_INVALID_ARG;
    if (!prefix || !fn)
        return invalid(wdb->err, "NULL argument");
    try {
        each_term(wdb->db, prefix, fn, ctx);
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

xsh_status_t
xsh_wdb_add_synonym(xsh_wdb_t *wdb, const char *term, const char *synonym)
{
    if (!wdb)
        return XSH_INVALID_ARG;
    if (!term || !synonym)
        return invalid(wdb->err, "NULL argument");
    try {
        wdb->db.add_synonym(term, synonym);
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

xsh_status_t
xsh_wdb_clear_synonyms(xsh_wdb_t *wdb, const char *term)
{
    if (!wdb)
        return XSH_INVALID_ARG;
    if (!term)
        return invalid(wdb->err, "NULL term");
    try {
        wdb->db.clear_synonyms(term);
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

xsh_status_t
xsh_wdb_add_spelling(xsh_wdb_t *wdb, const char *word, unsigned freqinc)
{
    if (!wdb)
        return XSH_INVALID_ARG;
    if (!word)
        return invalid(wdb->err, "NULL word");
    try {
        if (freqinc)
            wdb->spelling[word] += freqinc;
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

/* ------------------------------------------------------------------ */
/* Read-only database                                                  */
/* ------------------------------------------------------------------ */

namespace {

/* What identifies the revision of the glass database at PATH: its
 * version file's inode, size and change time ("" if there is none). */
std::string
version_stamp(const std::string &path)
{
    struct stat st;
    if (stat((path + "/iamglass").c_str(), &st) != 0)
        return std::string();
    char buf[96];
    snprintf(buf, sizeof buf, "%ju:%ju:%jd:%jd.%09ld", (uintmax_t)st.st_dev,
             (uintmax_t)st.st_ino, (intmax_t)st.st_size,
             (intmax_t)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
    return buf;
}

/* Open the local database at PATH.  An indexer may replace the database
 * while it is being opened (the compacted copy of a full build takes the
 * old one's place): when opening fails and the version file changed
 * meanwhile, try again. */
Xapian::Database
open_local(const std::string &path)
{
    for (unsigned attempt = 1; ; ++attempt) {
        std::string before = version_stamp(path);
        try {
            return Xapian::Database(path);
        } catch (const Xapian::DatabaseError &) {
            if (attempt >= MAX_ATTEMPTS || version_stamp(path) == before)
                throw;
        }
    }
}

/* Open one entry of xsh_db_open(): "tcp://HOST:PORT" or a path (database
 * directory or stub file, which Xapian detects itself). */
Xapian::Database
open_one(const std::string &path, unsigned timeout_ms)
{
    static const std::string tcp = "tcp://";

    if (path.compare(0, tcp.size(), tcp) != 0)
        return open_local(path);

    std::string hostport = path.substr(tcp.size());
    size_t colon = hostport.rfind(':');
    if (colon == std::string::npos || colon == 0 ||
        colon + 1 == hostport.size())
        throw Xapian::InvalidArgumentError("expected tcp://HOST:PORT");
    std::string host = hostport.substr(0, colon);
    std::string port_str = hostport.substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (port_str.find_first_not_of("0123456789") != std::string::npos ||
        port_str.size() > 5)
        throw Xapian::InvalidArgumentError("bad port '" + port_str + "'");
    unsigned long port = strtoul(port_str.c_str(), nullptr, 10);
    if (port == 0 || port > 65535)
        throw Xapian::InvalidArgumentError("bad port '" + port_str + "'");
    unsigned t = timeout_ms ? timeout_ms : 10000;
    return Xapian::Remote::open(host, static_cast<unsigned>(port), t, t);
}

} // namespace

xsh_status_t
xsh_db_open(const char *const *paths, size_t n, unsigned timeout_ms,
            xsh_db_t **db, char **errmsg)
{
    std::string err;
    const char *where = nullptr;

    if (errmsg)
        *errmsg = nullptr;
    if (db)
        *db = nullptr;
    if (!paths || n == 0 || !all_strings(paths, n) || !db)
        return give_errmsg(invalid(err, "NULL or empty argument"), err,
                           errmsg);
    try {
        std::unique_ptr<xsh_db> d(new xsh_db());
        for (size_t i = 0; i < n; i++) {
            where = paths[i];
            d->db.add_database(open_one(paths[i], timeout_ms));
        }
        *db = d.release();
        return XSH_OK;
    } catch (...) {
        return give_errmsg(map_exception(err, where), err, errmsg);
    }
}

xsh_status_t
xsh_wdb_spelling_from_terms(xsh_wdb_t *wdb)
{
    if (!wdb)
        return XSH_INVALID_ARG;
    try {
        Xapian::TermIterator t = wdb->db.allterms_begin();
        Xapian::TermIterator end = wdb->db.allterms_end();
        for (; t != end; ++t) {
            std::string term = *t;
            unsigned char c = term.empty() ? 0 : term[0];
            /* As xsh_doc_each_word(): prefixes and Z stems are skipped. */
            if (c == 0 || (c >= 'A' && c <= 'Z'))
                continue;
            Xapian::termcount cf = wdb->db.get_collection_freq(term);
            if (cf)
                wdb->spelling[term] += cf;
        }
        flush_spelling(*wdb);
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

xsh_status_t
xsh_merge(const char *const *srcs, size_t n, const char *dst,
          char **errmsg)
{
    std::string err;
    const char *where = nullptr;

    if (errmsg)
        *errmsg = nullptr;
    if (!srcs || n == 0 || !all_strings(srcs, n) || !dst)
        return give_errmsg(invalid(err, "NULL or empty argument"), err,
                           errmsg);
    try {
        Xapian::Database db;
        for (size_t i = 0; i < n; i++) {
            where = srcs[i];
            db.add_database(Xapian::Database(srcs[i]));
        }
        where = dst;
        db.compact(dst, Xapian::DBCOMPACT_MULTIPASS);
        return XSH_OK;
    } catch (...) {
        return give_errmsg(map_exception(err, where), err, errmsg);
    }
}

xsh_status_t
xsh_compact(const char *src, const char *dst, char **errmsg)
{
    return xsh_merge(&src, 1, dst, errmsg);
}

void
xsh_db_close(xsh_db_t *db)
{
    if (!db)
        return;
    assert(db->n_searches == 0 && "searches must be freed before the db");
    try {
        db->db.close();
    } catch (...) {
        /* Nothing to report: a reader has nothing to save. */
    }
    delete db;
}

const char *
xsh_db_errmsg(const xsh_db_t *db)
{
    return db ? db->err.c_str() : "NULL database";
}

xsh_status_t
xsh_db_reopen(xsh_db_t *db, bool *changed)
{
    if (changed)
        *changed = false;
    if (!db)
        return XSH_INVALID_ARG;
    try {
        bool c = db->db.reopen();
        if (changed)
            *changed = c;
        return ok(db->err);
    } catch (...) {
        return map_exception(db->err);
    }
}

xsh_status_t
xsh_db_doccount(xsh_db_t *db, unsigned *count)
{
    if (!db)
        return XSH_INVALID_ARG;
    if (!count)
        return invalid(db->err, "NULL argument");
    try {
        *count = with_reopen(db->db, [&] { return db->db.get_doccount(); });
        return ok(db->err);
    } catch (...) {
        return map_exception(db->err);
    }
}

xsh_status_t
xsh_db_termfreq(xsh_db_t *db, const char *term, unsigned *freq)
{
    if (!db)
        return XSH_INVALID_ARG;
    if (!term || !freq)
        return invalid(db->err, "NULL argument");
    try {
        std::string t(term);
        *freq = with_reopen(db->db, [&] { return db->db.get_termfreq(t); });
        return ok(db->err);
    } catch (...) {
        return map_exception(db->err);
    }
}

xsh_status_t
xsh_db_get_metadata(xsh_db_t *db, const char *key, char **value,
                    size_t *len)
{
    if (value)
        *value = nullptr;
    if (!db)
        return XSH_INVALID_ARG;
    if (!key || !value)
        return invalid(db->err, "NULL argument");
    try {
        std::string k(key);
        std::string v = with_reopen(db->db, [&] {
            return db->db.get_metadata(k);
        });
        give_string(v, value, len);
        return ok(db->err);
    } catch (...) {
        return map_exception(db->err);
    }
}

xsh_status_t
xsh_db_value_bounds(xsh_db_t *db, xsh_slot_t slot, char **lo, char **hi)
{
    if (lo)
        *lo = nullptr;
    if (hi)
        *hi = nullptr;
    if (!db)
        return XSH_INVALID_ARG;
    if (!lo || !hi)
        return invalid(db->err, "NULL argument");
    if (slot == Xapian::BAD_VALUENO)
        return invalid(db->err, "bad value slot");
    try {
        /* Xapian's stored bounds only widen (deletions leave them), so
         * walk the value stream for exact ones. */
        std::pair<std::string, std::string> b = with_reopen(db->db, [&] {
            std::pair<std::string, std::string> r;
            bool any = false;
            Xapian::ValueIterator v = db->db.valuestream_begin(slot);
            Xapian::ValueIterator end = db->db.valuestream_end(slot);
            for (; v != end; ++v) {
                std::string s = *v;
                if (!any || s < r.first)
                    r.first = s;
                if (!any || s > r.second)
                    r.second = s;
                any = true;
            }
            return r;
        });
        CString l(dup_string(b.first));
        *hi = dup_string(b.second);
        *lo = l.release();
        return ok(db->err);
    } catch (...) {
        return map_exception(db->err);
    }
}

xsh_status_t
xsh_db_each_spelling(xsh_db_t *db, xsh_each_term_fn fn, void *ctx)
{
    if (!db)
        return XSH_INVALID_ARG;
    if (!fn)
        return invalid(db->err, "NULL callback");
    try {
        Xapian::TermIterator t = db->db.spellings_begin();
        Xapian::TermIterator end = db->db.spellings_end();
        for (; t != end; ++t) {
            std::string word = *t;
            if (!fn(ctx, word.c_str(), word.size(), t.get_termfreq()))
                break;
        }
        return ok(db->err);
    } catch (...) {
        return map_exception(db->err);
    }
}

xsh_status_t
xsh_db_each_term(xsh_db_t *db, const char *prefix, xsh_each_term_fn fn,
                 void *ctx)
{
    if (!db)
        return XSH_INVALID_ARG;
    if (!prefix || !fn)
        return invalid(db->err, "NULL argument");
    try {
        /* Not retried: FN has seen terms already when the error comes. */
        each_term(db->db, prefix, fn, ctx);
        return ok(db->err);
    } catch (...) {
        return map_exception(db->err);
    }
}

xsh_status_t
xsh_db_spelling_suggestion(xsh_db_t *db, const char *word,
                           unsigned max_edit, char **suggestion)
{
    if (suggestion)
        *suggestion = nullptr;
    if (!db)
        return XSH_INVALID_ARG;
    if (!word || !suggestion)
        return invalid(db->err, "NULL argument");
    try {
        std::string w(word);
        std::string s;
        try {
            s = with_reopen(db->db, [&] {
                return db->db.get_spelling_suggestion(w, max_edit);
            });
        } catch (const Xapian::UnimplementedError &) {
            /* Remote backends keep no spelling data. */
            s.clear();
        }
        *suggestion = dup_string(s);
        return ok(db->err);
    } catch (...) {
        return map_exception(db->err);
    }
}

xsh_status_t
xsh_db_get_data(xsh_db_t *db, xsh_docid_t docid, char **data, size_t *len)
{
    if (data)
        *data = nullptr;
    if (!db)
        return XSH_INVALID_ARG;
    if (!data)
        return invalid(db->err, "NULL argument");
    if (docid == 0)
        return invalid(db->err, "document id 0 is invalid");
    try {
        std::string d = with_reopen(db->db, [&] {
            return db->db.get_document(docid).get_data();
        });
        give_string(d, data, len);
        return ok(db->err);
    } catch (...) {
        return map_exception(db->err);
    }
}

/* ------------------------------------------------------------------ */
/* Searching                                                           */
/* ------------------------------------------------------------------ */

xsh_status_t
xsh_search_new(xsh_db_t *db, xsh_search_t **s, char **errmsg)
{
    std::string err;

    if (errmsg)
        *errmsg = nullptr;
    if (s)
        *s = nullptr;
    if (!db || !s)
        return give_errmsg(invalid(err, "NULL argument"), err, errmsg);
    try {
        std::unique_ptr<xsh_search> n(new xsh_search(db));
        n->qp.set_database(db->db);
        n->qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        n->qp.set_default_op(Xapian::Query::OP_AND);
        ++db->n_searches;
        *s = n.release();
        return XSH_OK;
    } catch (...) {
        return give_errmsg(map_exception(err), err, errmsg);
    }
}

void
xsh_search_free(xsh_search_t *s)
{
    if (!s)
        return;
    assert(s->n_results == 0 && "results must be freed before the search");
    --s->db->n_searches;
    delete s;
}

const char *
xsh_search_errmsg(const xsh_search_t *s)
{
    return s ? s->err.c_str() : "NULL search";
}

xsh_status_t
xsh_search_set_stemmer(xsh_search_t *s, const char *language)
{
    if (!s)
        return XSH_INVALID_ARG;
    if (!language)
        return invalid(s->err, "NULL language");
    try {
        Xapian::Stem stem = make_stem(language);
        s->qp.set_stemmer(stem);
        s->stem = stem;
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

xsh_status_t
xsh_search_set_stopwords(xsh_search_t *s, const char *const *words,
                         size_t n)
{
    if (!s)
        return XSH_INVALID_ARG;
    if (!all_strings(words, n))
        return invalid(s->err, "NULL stopword");
    try {
        std::unique_ptr<Xapian::SimpleStopper> st;
        if (n > 0)
            st = make_stopper(words, n);
        std::vector<std::string> kept(words, words + n);
        s->qp.set_stopper(st.get());
        s->stopper = std::move(st);
        s->stopwords.swap(kept);
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

xsh_status_t
xsh_search_add_prefix(xsh_search_t *s, const char *field, const char *prefix)
{
    if (!s)
        return XSH_INVALID_ARG;
    if (!field || !prefix)
        return invalid(s->err, "NULL argument");
    try {
        s->qp.add_prefix(field, prefix);
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

xsh_status_t
xsh_search_add_boolean_prefix(xsh_search_t *s, const char *field,
                              const char *prefix)
{
    if (!s)
        return XSH_INVALID_ARG;
    if (!field || !prefix)
        return invalid(s->err, "NULL argument");
    try {
        s->qp.add_boolean_prefix(field, prefix);
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

xsh_status_t
xsh_search_add_range(xsh_search_t *s, const char *field, xsh_slot_t slot,
                     xsh_range_fn fn, void *ctx)
{
    if (!s)
        return XSH_INVALID_ARG;
    if (!field || !fn)
        return invalid(s->err, "NULL argument");
    if (field[0] == '\0')
        return invalid(s->err, "empty range field");
    if (slot == Xapian::BAD_VALUENO)
        return invalid(s->err, "bad value slot");
    try {
        std::unique_ptr<CallbackRange> rp(
            new CallbackRange(slot, field, fn, ctx));
        s->ranges.reserve(s->ranges.size() + 1);
        s->qp.add_rangeprocessor(rp.get());
        s->ranges.push_back(std::move(rp));
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

namespace {

/* WORDS split on spaces and tabs. */
std::vector<std::string>
split_words(const char *words)
{
    std::vector<std::string> v;
    std::string cur;
    for (const char *p = words; ; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\0') {
            if (!cur.empty())
                v.push_back(cur);
            cur.clear();
            if (*p == '\0')
                break;
        } else {
            cur += *p;
        }
    }
    return v;
}

/* The search's own synonyms applied to a parsed query.  Xapian's
 * QueryParser reads synonyms from the database only, and the remote
 * backend has none, so the expansion is done on the query the parser
 * built.  A plain word (as written or as its "Z" stem) becomes an
 * OP_SYNONYM of itself and its synonyms, each as written and stemmed, or
 * as a phrase when it has several words; a run of words in an AND or OR
 * that spells a multi-word term ("north atlantic treaty organization")
 * becomes an OP_SYNONYM of that run and its synonyms; a phrase holding a
 * term becomes one phrase with an OR of the term and its synonyms in its
 * place, or, when a synonym has another number of words, an OR of the
 * phrase with each synonym in its place.  Only
 * operators without parameters are rebuilt (the parser builds words,
 * +/-, AND/OR/NOT and brackets from those); anything else is left as
 * parsed. */
class SynonymExpander {
  public:
    explicit SynonymExpander(const xsh_search &s_) : s(s_) {
        for (size_t i = 0; i < s.synonyms.size(); i++) {
            const std::vector<std::string> &key = s.synonyms[i].first;
            if (key.size() == 1) {
                by_word[key[0]].push_back(i);
                std::string z = zform(key[0]);
                if (!z.empty())
                    by_word[z].push_back(i);
            } else {
                multi.push_back(i);
            }
        }
    }

    Xapian::Query expand(const Xapian::Query &q, bool &changed) const;

  private:
    /* How an unquoted lower-case word is stemmed by the parser. */
    std::string zform(const std::string &w) const {
        if (s.stem.is_none())
            return std::string();
        std::string st = s.stem(w);
        return st.empty() ? st : "Z" + st;
    }

    bool matches(const Xapian::Query &q, const std::string &word) const {
        if (q.get_type() != Xapian::Query::LEAF_TERM)
            return false;
        std::string t = *q.get_terms_begin();
        return t == word || t == zform(word);
    }

    /* Add WORDS to SUBS as the terms (one word, as written and stemmed)
     * or phrase it stands for, unless SEEN has it. */
    void add_alternative(const std::vector<std::string> &words,
                         std::set<std::string> &seen,
                         std::vector<Xapian::Query> &subs) const {
        if (words.size() == 1) {
            std::string forms[2] = { words[0], zform(words[0]) };
            for (const std::string &f : forms) {
                if (!f.empty() && seen.insert(f).second)
                    subs.emplace_back(f);
            }
            return;
        }
        std::string joined;
        for (const std::string &w : words)
            joined += w + " ";
        if (!seen.insert(joined).second)
            return;
        std::vector<Xapian::Query> t(words.begin(), words.end());
        subs.emplace_back(Xapian::Query::OP_PHRASE, t.begin(), t.end(),
                          t.size());
    }

    Xapian::Query expand_leaf(const Xapian::Query &q, bool &changed) const;
    Xapian::Query expand_phrase(const Xapian::Query &q,
                                bool &changed) const;

    const xsh_search &s;
    std::map<std::string, std::vector<size_t>> by_word;
    std::vector<size_t> multi;
};

Xapian::Query
SynonymExpander::expand_leaf(const Xapian::Query &q, bool &changed) const
{
    std::string t = *q.get_terms_begin();
    auto it = by_word.find(t);
    if (it == by_word.end())
        return q;
    std::set<std::string> seen{ t };
    std::vector<Xapian::Query> subs{ q };
    add_alternative(s.synonyms[it->second[0]].first, seen, subs);
    for (size_t i : it->second)
        add_alternative(s.synonyms[i].second, seen, subs);
    if (subs.size() == 1)
        return q;
    changed = true;
    return Xapian::Query(Xapian::Query::OP_SYNONYM, subs.begin(),
                         subs.end());
}

Xapian::Query
SynonymExpander::expand_phrase(const Xapian::Query &q, bool &changed) const
{
    const size_t max_variants = 16;
    size_t n = q.get_num_subqueries();
    std::vector<std::string> words;
    for (size_t i = 0; i < n; i++) {
        Xapian::Query sub = q.get_subquery(i);
        if (sub.get_type() != Xapian::Query::LEAF_TERM)
            return q;
        words.push_back(*sub.get_terms_begin());
    }
    /* Each segment of the phrase: its alternatives, as word lists. */
    std::vector<std::vector<std::vector<std::string>>> segs;
    bool any = false;
    for (size_t i = 0; i < n; ) {
        std::vector<std::vector<std::string>> alts;
        size_t len = 1;
        for (size_t m : multi) {
            const std::vector<std::string> &key = s.synonyms[m].first;
            if (i + key.size() <= n &&
                std::equal(key.begin(), key.end(), words.begin() + i)) {
                if (alts.empty() || key.size() > len) {
                    alts.assign(1, key);
                    len = key.size();
                }
            }
        }
        if (!alts.empty()) {
            for (size_t m : multi) {
                if (s.synonyms[m].first == alts[0])
                    alts.push_back(s.synonyms[m].second);
            }
        } else {
            alts.push_back({ words[i] });
            auto it = by_word.find(words[i]);
            if (it != by_word.end()) {
                for (size_t k : it->second)
                    alts.push_back(s.synonyms[k].second);
            }
        }
        any = any || alts.size() > 1;
        segs.push_back(std::move(alts));
        i += len;
    }
    if (!any)
        return q;
    /* Every alternative one word: one phrase whose places are ORs of
     * words, which Xapian matches in one pass over the positions (an OR of
     * whole phrases walked every phrase: 70 ms against 9 ms for
     * "kyiv and moscow" over 100,000 documents). */
    bool single = true;
    for (const auto &alts : segs)
        for (const auto &a : alts)
            single = single && a.size() == 1;
    if (single) {
        std::vector<Xapian::Query> places;
        for (const auto &alts : segs) {
            std::vector<Xapian::Query> t;
            std::set<std::string> seen;
            for (const auto &a : alts)
                if (seen.insert(a[0]).second)
                    t.emplace_back(a[0]);
            places.push_back(t.size() == 1 ? t[0] :
                Xapian::Query(Xapian::Query::OP_OR, t.begin(), t.end()));
        }
        changed = true;
        return Xapian::Query(Xapian::Query::OP_PHRASE, places.begin(),
                             places.end(), places.size());
    }
    std::vector<std::vector<std::string>> variants{ {} };
    for (const auto &alts : segs) {
        std::vector<std::vector<std::string>> next;
        for (const auto &v : variants) {
            for (const auto &a : alts) {
                if (next.size() >= max_variants)
                    break;
                next.push_back(v);
                next.back().insert(next.back().end(), a.begin(), a.end());
            }
        }
        variants.swap(next);
    }
    std::vector<Xapian::Query> phrases;
    std::set<std::vector<std::string>> seen;
    for (const auto &v : variants) {
        if (!seen.insert(v).second)
            continue;
        std::vector<Xapian::Query> t(v.begin(), v.end());
        phrases.emplace_back(Xapian::Query::OP_PHRASE, t.begin(), t.end(),
                             t.size());
    }
    changed = true;
    return Xapian::Query(Xapian::Query::OP_OR, phrases.begin(),
                         phrases.end());
}

Xapian::Query
SynonymExpander::expand(const Xapian::Query &q, bool &changed) const
{
    Xapian::Query::op op = q.get_type();

    switch (op) {
    case Xapian::Query::LEAF_TERM:
        return expand_leaf(q, changed);
    case Xapian::Query::OP_PHRASE:
        return expand_phrase(q, changed);
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
        break;
    default:
        return q;
    }
    bool sub_changed = false;
    size_t n = q.get_num_subqueries();
    std::vector<Xapian::Query> subs;
    subs.reserve(n);
    for (size_t i = 0; i < n; ) {
        /* A run of words spelling a multi-word term. */
        size_t best = 0, len = 0;
        if (op == Xapian::Query::OP_AND || op == Xapian::Query::OP_OR) {
            for (size_t m : multi) {
                const std::vector<std::string> &key = s.synonyms[m].first;
                if (key.size() <= len || i + key.size() > n)
                    continue;
                size_t j = 0;
                while (j < key.size() && matches(q.get_subquery(i + j),
                                                 key[j]))
                    j++;
                if (j == key.size()) {
                    best = m;
                    len = key.size();
                }
            }
        }
        if (len > 0) {
            std::vector<Xapian::Query> run;
            for (size_t j = 0; j < len; j++)
                run.push_back(q.get_subquery(i + j));
            std::vector<Xapian::Query> alts{
                Xapian::Query(op, run.begin(), run.end()) };
            std::set<std::string> seen;
            for (size_t m : multi) {
                if (s.synonyms[m].first == s.synonyms[best].first)
                    add_alternative(s.synonyms[m].second, seen, alts);
            }
            subs.emplace_back(Xapian::Query::OP_SYNONYM, alts.begin(),
                              alts.end());
            sub_changed = true;
            i += len;
            continue;
        }
        subs.push_back(expand(q.get_subquery(i), sub_changed));
        i++;
    }
    if (!sub_changed)
        return q;
    changed = true;
    return Xapian::Query(op, subs.begin(), subs.end());
}

Xapian::Query
expand_synonyms(const xsh_search &s, const Xapian::Query &q)
{
    bool changed = false;
    SynonymExpander e(s);
    return e.expand(q, changed);
}

} // namespace

xsh_status_t
xsh_search_add_boolean_field(xsh_search_t *s, const char *field,
                             xsh_field_fn fn, void *ctx)
{
    if (!s)
        return XSH_INVALID_ARG;
    if (!field || !fn)
        return invalid(s->err, "NULL argument");
    if (field[0] == '\0')
        return invalid(s->err, "empty field name");
    try {
        std::unique_ptr<CallbackField> fp(new CallbackField(field, fn, ctx));
        s->fields.reserve(s->fields.size() + 1);
        s->qp.add_boolean_prefix(field, fp.get());
        s->fields.push_back(std::move(fp));
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

xsh_status_t
xsh_search_add_synonym(xsh_search_t *s, const char *term,
                       const char *synonym)
{
    if (!s)
        return XSH_INVALID_ARG;
    if (!term || !synonym)
        return invalid(s->err, "NULL argument");
    if (term[0] == '\0' || synonym[0] == '\0')
        return invalid(s->err, "empty synonym");
    try {
        std::vector<std::string> t = split_words(term);
        std::vector<std::string> syn = split_words(synonym);
        if (t.empty() || syn.empty())
            return invalid(s->err, "empty synonym");
        s->synonyms.emplace_back(std::move(t), std::move(syn));
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

xsh_status_t
xsh_search_set_default_op(xsh_search_t *s, int op)
{
    if (!s)
        return XSH_INVALID_ARG;
    try {
        if (op == XSH_OP_AND)
            s->qp.set_default_op(Xapian::Query::OP_AND);
        else if (op == XSH_OP_OR)
            s->qp.set_default_op(Xapian::Query::OP_OR);
        else
            return invalid(s->err, "bad default operator");
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

xsh_status_t
xsh_search_parse(xsh_search_t *s, const char *query, int flags)
{
    const int all = XSH_PARSE_WILDCARD | XSH_PARSE_SYNONYMS |
                    XSH_PARSE_SPELLING | XSH_PARSE_PURE_NOT;

    if (!s)
        return XSH_INVALID_ARG;
    if (!query)
        return invalid(s->err, "NULL query");
    if (flags & ~all)
        return invalid(s->err, "bad parse flags");
    try {
        const unsigned db_flags =
            Xapian::QueryParser::FLAG_AUTO_SYNONYMS |
            Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS |
            Xapian::QueryParser::FLAG_SYNONYM |
            Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
        /* Boolean operators stay upper-case only, so that "and" and "or"
         * in natural-language queries are words. */
        unsigned f = Xapian::QueryParser::FLAG_BOOLEAN |
                     Xapian::QueryParser::FLAG_PHRASE |
                     Xapian::QueryParser::FLAG_LOVEHATE;
        if (flags & XSH_PARSE_WILDCARD)
            f |= Xapian::QueryParser::FLAG_WILDCARD;
        if (flags & XSH_PARSE_SYNONYMS) {
            f |= Xapian::QueryParser::FLAG_AUTO_SYNONYMS |
                 Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS |
                 Xapian::QueryParser::FLAG_SYNONYM;
        }
        if (flags & XSH_PARSE_SPELLING)
            f |= Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
        if (flags & XSH_PARSE_PURE_NOT)
            f |= Xapian::QueryParser::FLAG_PURE_NOT;

        std::string q(query);
        if (q.find_first_not_of(" \t\r\n\f\v") == std::string::npos) {
            s->query = Xapian::Query::MatchAll;
            s->corrected.clear();
            return ok(s->err);
        }
        Xapian::Query parsed = with_reopen(s->db->db, [&] {
            try {
                return s->qp.parse_query(q, f);
            } catch (const Xapian::UnimplementedError &) {
                /* Remote shards keep no synonyms or spelling data. */
                if (!(f & db_flags))
                    throw;
                return s->qp.parse_query(q, f & ~db_flags);
            }
        });
        s->corrected = (flags & XSH_PARSE_SPELLING) ?
                       s->qp.get_corrected_query_string() : std::string();
        if (!s->synonyms.empty())
            parsed = expand_synonyms(*s, parsed);
        s->query = parsed;
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

xsh_status_t
xsh_search_corrected(xsh_search_t *s, char **corrected)
{
    if (corrected)
        *corrected = nullptr;
    if (!s)
        return XSH_INVALID_ARG;
    if (!corrected)
        return invalid(s->err, "NULL argument");
    try {
        *corrected = dup_string(s->corrected);
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

xsh_status_t
xsh_search_filter_terms(xsh_search_t *s, const char *const *terms, size_t n)
{
    if (!s)
        return XSH_INVALID_ARG;
    if (n == 0 || !all_strings(terms, n))
        return invalid(s->err, "NULL or empty term group");
    try {
        std::vector<Xapian::Query> group;
        group.reserve(n);
        for (size_t i = 0; i < n; i++)
            group.emplace_back(clamp_term(terms[i]));
        s->filters.emplace_back(Xapian::Query::OP_OR, group.begin(),
                                group.end());
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

xsh_status_t
xsh_search_filter_range(xsh_search_t *s, xsh_slot_t slot, const char *lo,
                        const char *hi)
{
    if (!s)
        return XSH_INVALID_ARG;
    if (slot == Xapian::BAD_VALUENO)
        return invalid(s->err, "bad value slot");
    try {
        s->filters.push_back(value_range(slot, lo, hi));
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

xsh_status_t
xsh_search_set_bm25(xsh_search_t *s, double k1, double k2, double k3,
                    double b, double min_normlen)
{
    if (!s)
        return XSH_INVALID_ARG;
    /* Xapian silently clamps; say so instead.  NaN fails these too. */
    if (!(k1 >= 0) || !(k2 >= 0) || !(k3 >= 0) || !(min_normlen >= 0) ||
        !(b >= 0 && b <= 1) || std::isinf(k1) || std::isinf(k2) ||
        std::isinf(k3) || std::isinf(min_normlen))
        return invalid(s->err, "BM25 parameters must be finite, >= 0, "
                       "and b at most 1");
    try {
        std::unique_ptr<Xapian::Weight> w(
            new Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
        s->enquire.set_weighting_scheme(*w);
        s->weight = std::move(w);
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

xsh_status_t
xsh_search_set_expansion(xsh_search_t *s, unsigned k_docs, unsigned n_terms,
                         double weight)
{
    if (!s)
        return XSH_INVALID_ARG;
    if (!(weight >= 0) || std::isinf(weight))
        return invalid(s->err, "expansion weight must be finite and >= 0");
    s->exp_docs = k_docs;
    s->exp_terms = n_terms;
    s->exp_weight = weight;
    return ok(s->err);
}

xsh_status_t
xsh_search_set_sort(xsh_search_t *s, int sort, xsh_slot_t slot)
{
    if (!s)
        return XSH_INVALID_ARG;
    if (sort != XSH_SORT_RELEVANCE && slot == Xapian::BAD_VALUENO)
        return invalid(s->err, "bad value slot");
    try {
        switch (sort) {
        case XSH_SORT_RELEVANCE:
            s->enquire.set_sort_by_relevance();
            break;
        case XSH_SORT_VALUE_ASC: {
            /* Documents without the value go last, as they do in the
             * descending order: an empty value would sort first. */
            std::unique_ptr<Xapian::MultiValueKeyMaker> km(
                new Xapian::MultiValueKeyMaker);
            km->add_value(slot, false, std::string(1, '\xff'));
            s->enquire.set_sort_by_key_then_relevance(km.get(), false);
            s->sorter = std::move(km);
            break;
        }
        case XSH_SORT_VALUE_DESC:
            s->enquire.set_sort_by_value_then_relevance(slot, true);
            break;
        default:
            return invalid(s->err, "bad sort order");
        }
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

xsh_status_t
xsh_search_set_collapse(xsh_search_t *s, xsh_slot_t slot)
{
    if (!s)
        return XSH_INVALID_ARG;
    if (slot == Xapian::BAD_VALUENO)
        return invalid(s->err, "bad value slot");
    try {
        s->enquire.set_collapse_key(slot);
        s->collapse_slot = slot;
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

xsh_status_t
xsh_search_count_values(xsh_search_t *s, xsh_slot_t slot, int *spy)
{
    if (spy)
        *spy = -1;
    if (!s)
        return XSH_INVALID_ARG;
    if (!spy)
        return invalid(s->err, "NULL argument");
    if (slot == Xapian::BAD_VALUENO)
        return invalid(s->err, "bad value slot");
    try {
        s->spies.push_back(SpySpec{false, slot, std::string()});
        *spy = static_cast<int>(s->spies.size() - 1);
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

xsh_status_t
xsh_search_count_terms(xsh_search_t *s, const char *prefix, int *spy)
{
    if (spy)
        *spy = -1;
    if (!s)
        return XSH_INVALID_ARG;
    if (!prefix || !spy)
        return invalid(s->err, "NULL argument");
    try {
        s->spies.push_back(SpySpec{true, Xapian::BAD_VALUENO, prefix});
        *spy = static_cast<int>(s->spies.size() - 1);
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

namespace {

/* Detaches the spies from the Enquire however the run ends, before the
 * spies themselves are destroyed. */
struct SpyGuard {
    explicit SpyGuard(Xapian::Enquire &e) : enquire(e) { }
    ~SpyGuard() {
        try {
            enquire.clear_matchspies();
        } catch (...) {
        }
    }
    Xapian::Enquire &enquire;
};

/* Which terms of the feedback documents may expand a query: the terms a
 * plain query word matches, that is the Z-prefixed stems when the search
 * stems (TermGenerator's and QueryParser's STEM_SOME) and the unprefixed
 * words when it does not; never a stopword (as written or stemmed), never
 * a term of another prefix (titles, authors, ids, filters). */
class ExpansionDecider : public Xapian::ExpandDecider {
  public:
    ExpansionDecider(const Xapian::Stem &stem,
                     const std::vector<std::string> &stopwords)
        : stemmed(!stem.is_none()) {
        for (const std::string &w : stopwords) {
            stop.insert(w);
            if (stemmed)
                stop.insert("Z" + stem(w));
        }
    }

    bool operator()(const std::string &term) const override {
        if (term.empty() || stop.count(term))
            return false;
        if (stemmed)
            return term.size() > 1 && term[0] == 'Z' &&
                   !(term[1] >= 'A' && term[1] <= 'Z');
        return !(term[0] >= 'A' && term[0] <= 'Z');
    }

  private:
    bool stemmed;
    std::set<std::string> stop;
};

/* Pseudo-relevance feedback (xsh_search_set_expansion()): rank Q, take
 * its best exp_docs documents as relevant, and return Q AND_MAYBE the
 * best exp_terms terms of Xapian's expand set (TradWeight expansion),
 * their weights scaled by exp_weight.  AND_MAYBE lets the new terms
 * reorder Q's matches but never add one, so hated terms, filters and
 * boolean structure keep their meaning.  Q unchanged when there is
 * nothing to learn from. */
Xapian::Query
expand_query(xsh_search *s, const Xapian::Query &q)
{
    /* A query of filters only (or MatchAll) weighs nothing: no document
     * gets a weight above 0, the RSet stays empty. */
    if (s->exp_docs == 0 || s->exp_terms == 0 || s->exp_weight == 0 ||
        q.empty())
        return q;
    Xapian::Enquire fb(s->db->db);
    if (s->weight)
        fb.set_weighting_scheme(*s->weight);
    if (s->collapse_slot != Xapian::BAD_VALUENO)
        fb.set_collapse_key(s->collapse_slot);
    fb.set_query(q);
    Xapian::MSet top = fb.get_mset(0, s->exp_docs);
    Xapian::RSet rset;
    for (Xapian::MSetIterator it = top.begin(); it != top.end(); ++it) {
        if (it.get_weight() > 0)
            rset.add_document(*it);
    }
    if (rset.empty())
        return q;
    ExpansionDecider decider(s->stem, s->stopwords);
    Xapian::ESet eset;
    try {
        /* Exact term frequencies, so that shards rank as one database
         * would (Xapian estimates them over several by default). */
        eset = fb.get_eset(s->exp_terms, rset,
                           Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
    } catch (const Xapian::UnimplementedError &) {
        /* A backend that cannot expand ranks without expansion. */
        return q;
    }
    if (eset.empty())
        return q;
    Xapian::Query terms(Xapian::Query::OP_OR, eset.begin(), eset.end());
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, terms,
                                       s->exp_weight));
}

/* Counts of a run (xsh_results_count()) from MSet M when Xapian's bounds
 * tell them: exact when they meet. */
void
counts_from_bounds(const Xapian::MSet &m, xsh_results &r)
{
    r.n_matches = m.get_matches_estimated();
    r.counts_exact = m.get_matches_lower_bound() ==
                     m.get_matches_upper_bound();
    r.n_uncollapsed = m.get_uncollapsed_matches_lower_bound() ==
                      m.get_uncollapsed_matches_upper_bound() ?
                      m.get_uncollapsed_matches_estimated() : r.n_matches;
}

/* Count every match of the search's query, cheaply: boolean weights (no
 * ranking), no page.  Under collapsing, Xapian's collapser counts each
 * key it kept once (its lower bound, exact once every candidate has been
 * looked at; the upper bound stays loose), and a CountSpy counts the
 * matches before collapsing (Xapian calls spies before it collapses).
 * Over remote shards the shim's spy cannot run; there Xapian's bounds
 * meet when the whole collapsed list fits in the MSet, so it is asked
 * for whole. */
void
count_matches(xsh_search *s, unsigned check_at_least, bool local,
              bool collapsing, xsh_results &r)
{
    Xapian::Enquire c(s->db->db);
    KeyCountSpy keys(s->collapse_slot);

    c.set_query(s->enquire.get_query());
    c.set_weighting_scheme(Xapian::BoolWeight());
    if (local && collapsing) {
        c.add_matchspy(&keys);
        c.get_mset(0, 0, check_at_least);
        r.n_uncollapsed = keys.matches();
        r.n_matches = keys.collapsed();
        r.counts_exact = true;
        return;
    }
    if (collapsing)
        c.set_collapse_key(s->collapse_slot);
    counts_from_bounds(c.get_mset(0, local ? 0 : check_at_least,
                                  check_at_least), r);
}

/* One attempt of xsh_search_run(): fresh spies, the MSet, copies of the
 * page and of the counts into R.  LOCAL: the shim's own spies may run
 * (over remote shards only Xapian's can: see xsh_search_run()). */
void
run_once(xsh_search *s, unsigned offset, unsigned limit,
         unsigned check_at_least, bool local, xsh_results &r)
{
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> vspies;
    std::vector<std::unique_ptr<TermPrefixSpy>> tspies;
    std::vector<Xapian::MatchSpy *> spies;
    CountSpy count;
    SpyGuard guard(s->enquire);

    /* Looking at CHECK_AT_LEAST >= the document count candidates means
     * looking at every one: the counts are exact. */
    const bool exhaustive = check_at_least > 0 &&
                            check_at_least >= s->db->db.get_doccount();
    const bool collapsing = s->collapse_slot != Xapian::BAD_VALUENO;
    /* Xapian calls spies before it collapses, so in the match they would
     * count the duplicates too.  To count the collapsed list (the one the
     * total counts), rank the whole of it and hand each of its documents
     * to the spies afterwards. */
    const bool spy_after = local && exhaustive && collapsing &&
                           !s->spies.empty();

    for (const SpySpec &spec : s->spies) {
        if (spec.is_terms) {
            tspies.emplace_back(new TermPrefixSpy(spec.prefix));
            spies.push_back(tspies.back().get());
        } else {
            vspies.emplace_back(new Xapian::ValueCountMatchSpy(spec.slot));
            spies.push_back(vspies.back().get());
        }
        if (!spy_after)
            s->enquire.add_matchspy(spies.back());
    }
    /* Spies need every candidate looked at in the ranking run itself;
     * without them the page is ranked as cheaply as Xapian can (it skips
     * documents that cannot reach the page) and the exact counts come
     * from count_matches() when the page does not tell them. */
    const bool one_pass = !s->spies.empty() || !exhaustive;
    if (one_pass && local && exhaustive && collapsing)
        s->enquire.add_matchspy(&count);

    Xapian::doccount first = spy_after ? 0 : offset;
    Xapian::doccount want = limit;
    if (spy_after)
        want = std::max<Xapian::doccount>(check_at_least, offset + limit);
    else if (one_pass && !local && exhaustive && collapsing)
        want = std::max<Xapian::doccount>(check_at_least, limit);
    r.mset = s->enquire.get_mset(first, want,
                                 one_pass ? check_at_least : 0);
    r.hits.clear();
    r.hits.reserve(std::min<size_t>(r.mset.size(), limit));
    Xapian::doccount skip = offset - first;
    Xapian::doccount listed = 0;
    for (Xapian::MSetIterator it = r.mset.begin(); it != r.mset.end();
         ++it) {
        listed += 1 + it.get_collapse_count();
        if (skip > 0) {
            --skip;
            continue;
        }
        if (r.hits.size() >= limit)
            continue;
        HitCopy h;
        h.docid = *it;
        h.rank = it.get_rank();
        h.weight = it.get_weight();
        h.percent = it.get_percent();
        h.collapsed = it.get_collapse_count();
        h.doc = it.get_document();
        h.data = h.doc.get_data();
        r.hits.push_back(std::move(h));
    }
    if (spy_after) {
        for (Xapian::MSetIterator it = r.mset.begin(); it != r.mset.end();
             ++it) {
            Xapian::Document doc = it.get_document();
            for (Xapian::MatchSpy *spy : spies)
                (*spy)(doc, it.get_weight());
        }
    }

    /* The counts. */
    const Xapian::MSet &m = r.mset;
    if (one_pass && local && exhaustive && collapsing) {
        r.n_matches = m.get_matches_lower_bound();
        r.n_uncollapsed = std::max(count.n, r.n_matches);
        r.counts_exact = true;
    } else if (one_pass) {
        counts_from_bounds(m, r);
    } else if (m.get_matches_lower_bound() == m.get_matches_upper_bound()
               && (!collapsing || first == 0)) {
        /* The page holds every match (or Xapian knows the count without
         * it): with collapsing, each hit carries the number of
         * duplicates it stands for. */
        r.n_matches = m.get_matches_lower_bound();
        r.n_uncollapsed = collapsing ? std::max(listed, r.n_matches)
                                     : r.n_matches;
        r.counts_exact = true;
    } else {
        count_matches(s, check_at_least, local, collapsing, r);
    }

    r.counts.clear();
    size_t vi = 0, ti = 0;
    for (const SpySpec &spec : s->spies) {
        CountList list;
        if (spec.is_terms) {
            const TermPrefixSpy &spy = *tspies[ti++];
            list.assign(spy.counts.begin(), spy.counts.end());
        } else {
            const Xapian::ValueCountMatchSpy &spy = *vspies[vi++];
            Xapian::TermIterator t = spy.values_begin();
            for (; t != spy.values_end(); ++t)
                list.emplace_back(*t, t.get_termfreq());
        }
        sort_counts(list);
        r.counts.push_back(std::move(list));
    }
}

} // namespace

xsh_status_t
xsh_search_run(xsh_search_t *s, unsigned offset, unsigned limit,
               unsigned check_at_least, xsh_results_t **results)
{
    if (results)
        *results = nullptr;
    if (!s)
        return XSH_INVALID_ARG;
    if (!results)
        return invalid(s->err, "NULL argument");
    try {
        std::unique_ptr<xsh_results> r(new xsh_results());
        r->s = s;
        r->stem = s->stem;

        Xapian::Query q = s->query;
        if (!s->filters.empty()) {
            Xapian::Query f(Xapian::Query::OP_AND, s->filters.begin(),
                            s->filters.end());
            q = Xapian::Query(Xapian::Query::OP_FILTER, q, f);
        }
        with_reopen(s->db->db, [&] {
            s->enquire.set_query(expand_query(s, q));
            try {
                run_once(s, offset, limit, check_at_least, true, *r);
            } catch (const Xapian::UnimplementedError &) {
                /* A remote shard refuses the shim's own spies (Xapian
                 * cannot send them): run with Xapian's only.  A search
                 * that asked for term counts fails again, as documented
                 * for xsh_search_count_terms(). */
                run_once(s, offset, limit, check_at_least, false, *r);
            }
        });
        ++s->n_results;
        *results = r.release();
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
}

void
xsh_results_free(xsh_results_t *r)
{
    if (!r)
        return;
    --r->s->n_results;
    delete r;
}

const char *
xsh_results_errmsg(const xsh_results_t *r)
{
    return r ? r->err.c_str() : "NULL results";
}

unsigned
xsh_results_size(const xsh_results_t *r)
{
    return r ? static_cast<unsigned>(r->hits.size()) : 0;
}

void
xsh_results_total(const xsh_results_t *r, unsigned *estimate, unsigned *lo,
                  unsigned *hi)
{
    /* These accessors read numbers the MSet already holds. */
    unsigned e = 0, l = 0, h = 0;

    if (r && r->counts_exact) {
        /* Exact, though Xapian's own bounds may not say so: see
         * xsh_results_count(). */
        e = l = h = r->n_matches;
    } else if (r) {
        try {
            e = r->mset.get_matches_estimated();
            l = r->mset.get_matches_lower_bound();
            h = r->mset.get_matches_upper_bound();
        } catch (...) {
            e = l = h = 0;
        }
    }
    if (estimate)
        *estimate = e;
    if (lo)
        *lo = l;
    if (hi)
        *hi = h;
}

xsh_status_t
xsh_results_count(const xsh_results_t *r, unsigned *matches,
                  unsigned *uncollapsed, bool *exact)
{
    if (matches)
        *matches = 0;
    if (uncollapsed)
        *uncollapsed = 0;
    if (exact)
        *exact = false;
    if (!r)
        return XSH_INVALID_ARG;
    if (matches)
        *matches = r->n_matches;
    if (uncollapsed)
        *uncollapsed = std::max(r->n_uncollapsed, r->n_matches);
    if (exact)
        *exact = r->counts_exact;
    return XSH_OK;
}

xsh_status_t
xsh_results_get(xsh_results_t *r, unsigned i, xsh_hit_t *hit)
{
    if (!r)
        return XSH_INVALID_ARG;
    if (!hit)
        return invalid(r->err, "NULL argument");
    try {
        if (i >= r->hits.size()) {
            return invalid(r->err, "hit " + std::to_string(i) +
                           " out of range (" +
                           std::to_string(r->hits.size()) + " hits)");
        }
        const HitCopy &h = r->hits[i];
        hit->docid = h.docid;
        hit->rank = h.rank;
        hit->weight = h.weight;
        hit->percent = h.percent;
        hit->collapsed = h.collapsed;
        hit->data = h.data.c_str();
        hit->data_len = h.data.size();
        return ok(r->err);
    } catch (...) {
        return map_exception(r->err);
    }
}

xsh_status_t
xsh_results_value(xsh_results_t *r, unsigned i, xsh_slot_t slot,
                  char **value, size_t *len)
{
    if (value)
        *value = nullptr;
    if (!r)
        return XSH_INVALID_ARG;
    if (!value)
        return invalid(r->err, "NULL argument");
    try {
        if (i >= r->hits.size()) {
            return invalid(r->err, "hit " + std::to_string(i) +
                           " out of range (" +
                           std::to_string(r->hits.size()) + " hits)");
        }
        give_string(r->hits[i].doc.get_value(slot), value, len);
        return ok(r->err);
    } catch (...) {
        return map_exception(r->err);
    }
}

/* The words a snippet highlights: the query's unprefixed terms as
 * written (phrases, quoted words) and its "Z" stems. */
struct SnipTerms {
    std::set<std::string> raw, stems;
    /* Prefixes a word must begin with to be worth stemming: each term,
     * and each stem of 4 or more bytes without its last byte (stems end
     * in "i" for words ending in "y", and the like). */
    std::vector<std::string> begins;

    /* For snippet_window(): every term without its prefix (upper-case
     * letters), stems of 4 or more bytes ending in "i" without it, those
     * of 2 or more bytes. */
    std::vector<std::string> window;
    /* Whether the query holds a wildcard (has_pattern()). */
    bool pattern = false;

    explicit SnipTerms(const Xapian::Query &query) {
        for (Xapian::TermIterator t = query.get_unique_terms_begin();
             t != query.get_unique_terms_end(); ++t) {
            const std::string &term = *t;
            if (term.empty())
                continue;
            size_t k = 0;
            while (k < term.size() && term[k] >= 'A' && term[k] <= 'Z')
                k++;
            std::string w = term.substr(k);
            if (w.size() >= 4 && w.back() == 'i')
                w.pop_back();
            if (w.size() >= 2)
                window.push_back(w);
            if (term[0] == 'Z' && term.size() > 1 &&
                !(term[1] >= 'A' && term[1] <= 'Z')) {
                std::string st = term.substr(1);
                stems.insert(st);
                begins.push_back(st.size() >= 4 ? st.substr(0, st.size() - 1)
                                                : st);
            } else if (!(term[0] >= 'A' && term[0] <= 'Z')) {
                raw.insert(term);
                begins.push_back(term);
            }
        }
    }
};

namespace {

/* Texts longer than this many times the snippet's length are cut to a
 * window of that size before MSet::snippet() (snippet_window()). */
const size_t SNIPPET_WINDOW = 3;

bool
is_word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

/* A snippet is picked from a window of a long TEXT, so that finding the
 * best stretch stays cheap for 128 KB bodies: the part of WIDTH bytes
 * holding the most occurrences of the query's terms (prefixes dropped; a
 * stem matches the words it begins, and a stem ending in "i" also the
 * words that begin with the rest, as "polici" matches "policy"; ASCII
 * case ignored), widened to word boundaries.  A text that holds none of
 * the terms (a document found through its title) has nothing to
 * highlight anywhere, so it is cut to its opening.  A query with no plain
 * terms (only wildcards) leaves the whole text.  Sets [FROM, TO). */
void
snippet_window(const std::vector<std::string> &terms, const char *text,
               size_t len, size_t width, size_t &from, size_t &to)
{
    if (terms.empty())
        return;
    /* Each term's first letter in either case through memchr(), then
     * the rest of the term at word starts, ASCII case ignored. */
    std::vector<size_t> hits;
    for (const std::string &term : terms) {
        char c0 = term[0];
        char cases[2] = { c0, c0 >= 'a' && c0 <= 'z'
                              ? static_cast<char>(c0 - 32) : c0 };
        for (int k = 0; k < (cases[1] != c0 ? 2 : 1); k++) {
            const char *p = text, *end = text + len;
            while ((p = static_cast<const char *>(
                        std::memchr(p, cases[k], end - p)))) {
                size_t at = p - text;
                p++;
                if ((at > 0 && is_word_byte(static_cast<unsigned char>(
                                   text[at - 1]))) ||
                    term.size() > len - at)
                    continue;
                size_t j = 1;
                while (j < term.size()) {
                    unsigned char t = static_cast<unsigned char>(
                        text[at + j]);
                    if (t >= 'A' && t <= 'Z')
                        t = static_cast<unsigned char>(t + 32);
                    if (t != static_cast<unsigned char>(term[j]))
                        break;
                    j++;
                }
                if (j == term.size())
                    hits.push_back(at);
            }
        }
    }
    size_t lo = 0, hi = width < len ? width : len;
    if (!hits.empty()) {
        std::sort(hits.begin(), hits.end());
        hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
        /* The span of WIDTH bytes starting at a hit that covers most
         * hits. */
        size_t best = 0, best_n = 0;
        for (size_t i = 0, j = 0; i < hits.size(); i++) {
            while (j < hits.size() && hits[j] < hits[i] + width)
                j++;
            if (j - i > best_n) {
                best_n = j - i;
                best = i;
            }
        }
        size_t first = hits[best], last = hits[best + best_n - 1];
        /* Centre the window on the hits it covers, within the text. */
        size_t mid = first + (last - first) / 2;
        lo = mid > width / 2 ? mid - width / 2 : 0;
        hi = lo + width < len ? lo + width : len;
        if (hi - lo < width)
            lo = hi > width ? hi - width : 0;
    }
    while (lo > 0 && is_word_byte(static_cast<unsigned char>(text[lo - 1])))
        lo--;
    while (hi < len && is_word_byte(static_cast<unsigned char>(text[hi])))
        hi++;
    from = lo;
    to = hi;
}

/* Whether Q holds a pattern (a wildcard) whose terms are found only at
 * match time: its words cannot be recognised from the query's terms. */
bool
has_pattern(const Xapian::Query &q)
{
    if (q.get_type() == Xapian::Query::OP_WILDCARD)
        return true;
    for (size_t i = 0, n = q.get_num_subqueries(); i < n; i++)
        if (has_pattern(q.get_subquery(i)))
            return true;
    return false;
}

/* One word of TEXT at [START, END) that matches the query. */
struct SnipMatch {
    size_t start, end;
    std::string term;
};

/* The words of TEXT that match the query's terms: each word (a run of
 * Unicode word characters, as the term generator splits them),
 * lower-cased, matches when it equals an unprefixed term or when its
 * stem equals a stemmed one.  Only words that begin like a term are
 * stemmed, so a snippet costs a scan of the text, not a stemmer call
 * per word. */
std::vector<SnipMatch>
snippet_matches(const SnipTerms &terms, const Xapian::Stem &stem,
                const std::string &text)
{
    std::vector<SnipMatch> out;
    std::string word;
    size_t n = text.size(), i = 0;
    unsigned cp = 0;
    /* The character at I (ASCII without decoding): its length. */
    auto next = [&](size_t at) -> size_t {
        unsigned char c = static_cast<unsigned char>(text[at]);
        if (c < 0x80) {
            cp = c;
            return 1;
        }
        Xapian::Utf8Iterator it(text.data() + at, n - at);
        cp = *it;
        ++it;
        return it == Xapian::Utf8Iterator() ? n - at
                                            : it.raw() - (text.data() + at);
    };
    auto is_word = [](unsigned c) {
        if (c < 0x80)
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (c >= '0' && c <= '9') || c == '_';
        return Xapian::Unicode::is_wordchar(c);
    };
    while (i < n) {
        size_t clen = next(i);
        if (!is_word(cp)) {
            i += clen;
            continue;
        }
        size_t start = i;
        word.clear();
        while (i < n) {
            clen = next(i);
            if (!is_word(cp))
                break;
            if (cp < 0x80)
                word += static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + 32
                                                                 : cp);
            else
                Xapian::Unicode::append_utf8(word,
                                             Xapian::Unicode::tolower(cp));
            i += clen;
        }
        size_t stop = i;
        bool begins = false;
        for (const std::string &b : terms.begins) {
            if (word[0] == b[0] && word.compare(0, b.size(), b) == 0) {
                begins = true;
                break;
            }
        }
        if (!begins)
            continue;
        if (terms.raw.count(word)) {
            out.push_back({ start, stop, word });
            continue;
        }
        if (terms.stems.empty() || stem.is_none())
            continue;
        std::string st = stem(word);
        if (terms.stems.count(st))
            out.push_back({ start, stop, st });
    }
    return out;
}

/* A snippet of about LENGTH bytes of TEXT: the stretch that holds the
 * most distinct matched terms (then the most matches), starting a few
 * words before its first match, or at the start of the text when that is
 * near; the opening of the text when nothing matches.  Cut at word ends, matches
 * between MARK_START and MARK_END, MARK_OMIT where text is left out;
 * runs of white space holding a line break become one space. */
std::string
make_snippet(const std::string &text, const std::vector<SnipMatch> &m,
             size_t length)
{
    size_t best = 0, best_terms = 0, best_n = 0;
    for (size_t i = 0; i < m.size(); i++) {
        std::set<std::string> seen;
        size_t j = i;
        for (; j < m.size() && m[j].end <= m[i].start + length; j++)
            seen.insert(m[j].term);
        if (seen.size() > best_terms ||
            (seen.size() == best_terms && j - i > best_n)) {
            best = i;
            best_terms = seen.size();
            best_n = j - i;
        }
    }
    /* A little of what leads up to the first match, from a word start;
     * more when the text ends before the snippet is full. */
    size_t first = m.empty() ? 0 : m[best].start;
    size_t last = best_n ? m[best + best_n - 1].end : first;
    size_t lead = std::min(length / 5, length - (last - first));
    if (first + length - lead > text.size())
        lead = length - (text.size() - first);
    size_t from = first > lead ? first - lead : 0;
    if (from <= length / 4)
        from = 0;
    while (from > 0 && from < first &&
           !std::isspace(static_cast<unsigned char>(text[from - 1])))
        from++;
    size_t to = from + length;
    if (to >= text.size()) {
        to = text.size();
    } else {
        /* Back to the end of a word; a single word longer than LENGTH
         * is cut where it is. */
        size_t t = to;
        while (t > from && !std::isspace(static_cast<unsigned char>(
                               text[t])))
            t--;
        if (t > from)
            to = t;
    }
    while (to > from && std::isspace(static_cast<unsigned char>(
                            text[to - 1])))
        to--;

    std::string out;
    out.reserve(to - from + 16);
    if (from > 0)
        out += MARK_OMIT;
    size_t k = m.empty() ? 0 : best;
    for (size_t i = from; i < to; ) {
        while (k < m.size() && m[k].start < i)
            k++;
        if (k < m.size() && m[k].start == i && m[k].end <= to) {
            out += MARK_START;
            out.append(text, i, m[k].end - i);
            out += MARK_END;
            i = m[k].end;
            continue;
        }
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (std::isspace(c)) {
            size_t j = i;
            bool line = false;
            while (j < to && std::isspace(static_cast<unsigned char>(
                                 text[j]))) {
                line = line || text[j] == '\n' || text[j] == '\r';
                j++;
            }
            if (line)
                out += ' ';
            else
                out.append(text, i, j - i);
            i = j;
            continue;
        }
        out += static_cast<char>(c);
        i++;
    }
    if (to < text.size())
        out += MARK_OMIT;
    return out;
}

} // namespace

xsh_status_t
xsh_results_snippet(xsh_results_t *r, const char *text, size_t len,
                    size_t length, const char *hi_start, const char *hi_end,
                    const char *omit, char **snippet)
{
    if (snippet)
        *snippet = nullptr;
    if (!r)
        return XSH_INVALID_ARG;
    if ((!text && len > 0) || !hi_start || !hi_end || !omit || !snippet)
        return invalid(r->err, "NULL argument");
    try {
        if (!r->snip) {
            r->snip = std::make_shared<SnipTerms>(r->s->query);
            r->snip->pattern = has_pattern(r->s->query);
        }
        const SnipTerms &terms = *r->snip;
        size_t from = 0, to = len;
        size_t width = SNIPPET_WINDOW * length;
        if (len > width)
            snippet_window(terms.window, text, len, width, from, to);
        std::string t(text + from, to - from);
        for (char &c : t) {
            if (c == MARK_START || c == MARK_END || c == MARK_OMIT)
                c = ' ';
        }
        std::string raw;
        if (!terms.pattern) {
            /* The shim's own snippet: MSet::snippet() stems every word
             * of the text (and with its background model reads each
             * one's frequency from the index), which was most of a
             * search's time; here only words that begin like a query
             * term are stemmed. */
            raw = make_snippet(t, snippet_matches(terms, r->stem, t),
                               length);
        } else {
            /* Wildcards: Xapian knows which words they matched.  No
             * background model, not exhaustive: the text is already cut
             * to a window.  It reads the query's term statistics, so a
             * writer committing meanwhile can discard the revision being
             * read: reopen and try again like every other read. */
            raw = with_reopen(r->s->db->db, [&] {
                return r->mset.snippet(
                    t, length, r->stem, 0,
                    std::string(1, MARK_START), std::string(1, MARK_END),
                    std::string(1, MARK_OMIT));
            });
            raw = unescape_snippet(raw, std::string(1, MARK_START),
                                   std::string(1, MARK_END),
                                   std::string(1, MARK_OMIT));
        }
        /* Text cut off by the window is text the snippet omits. */
        if (from > 0 && (raw.empty() || raw[0] != MARK_OMIT))
            raw.insert(raw.begin(), MARK_OMIT);
        if (to < len && (raw.empty() || raw.back() != MARK_OMIT))
            raw.push_back(MARK_OMIT);
        *snippet = dup_string(replace_marks(raw, hi_start, hi_end, omit));
        return ok(r->err);
    } catch (...) {
        return map_exception(r->err);
    }
}

xsh_status_t
xsh_results_counts(xsh_results_t *r, int spy, unsigned max, xsh_count_fn fn,
                   void *ctx)
{
    if (!r)
        return XSH_INVALID_ARG;
    if (!fn)
        return invalid(r->err, "NULL callback");
    try {
        if (spy < 0 || static_cast<size_t>(spy) >= r->counts.size())
            return invalid(r->err, "no spy " + std::to_string(spy));
        const CountList &list = r->counts[spy];
        size_t n = list.size();
        if (max > 0 && max < n)
            n = max;
        for (size_t i = 0; i < n; i++) {
            const std::string &v = list[i].first;
            if (!fn(ctx, v.c_str(), v.size(), list[i].second))
                break;
        }
        return ok(r->err);
    } catch (...) {
        return map_exception(r->err);
    }
}
