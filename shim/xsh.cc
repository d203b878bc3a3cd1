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
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

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

struct xsh_wdb {
    Xapian::WritableDatabase db;
    std::string err;
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

typedef std::vector<std::pair<std::string, unsigned>> CountList;

struct HitCopy {
    xsh_docid_t docid;
    unsigned rank;
    double weight;
    int percent;
    unsigned collapsed;
    std::string data;
    std::map<Xapian::valueno, std::string> values;
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
    Xapian::QueryParser qp;
    Xapian::Enquire enquire;
    Xapian::Query query = Xapian::Query::MatchAll;
    std::vector<Xapian::Query> filters;
    std::vector<SpySpec> spies;
    std::unique_ptr<Xapian::MultiValueKeyMaker> sorter;
    std::string corrected;
    std::string err;
    unsigned n_results = 0;     /* live children, checked on free */
};

/* A page of hits, copied out of Xapian so that reading it never touches
 * the database again (only snippets use the MSet's statistics). */
struct xsh_results {
    xsh_search *s;
    Xapian::MSet mset;
    Xapian::Stem stem;
    std::vector<HitCopy> hits;
    std::vector<CountList> counts;
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
        wdb->db.add_spelling(word, freqinc);
        return ok(wdb->err);
    } catch (...) {
        return map_exception(wdb->err);
    }
}

/* ------------------------------------------------------------------ */
/* Read-only database                                                  */
/* ------------------------------------------------------------------ */

namespace {

/* Open one entry of xsh_db_open(): "tcp://HOST:PORT" or a path (database
 * directory or stub file, which Xapian detects itself). */
Xapian::Database
open_one(const std::string &path, unsigned timeout_ms)
{
    static const std::string tcp = "tcp://";

    if (path.compare(0, tcp.size(), tcp) != 0)
        return Xapian::Database(path);

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
        s->qp.set_stopper(st.get());
        s->stopper = std::move(st);
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
        s->enquire.set_weighting_scheme(
            Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
        return ok(s->err);
    } catch (...) {
        return map_exception(s->err);
    }
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

/* One attempt of xsh_search_run(): fresh spies, the MSet, copies of the
 * page and of the counts into R. */
void
run_once(xsh_search *s, unsigned offset, unsigned limit,
         unsigned check_at_least, xsh_results &r)
{
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> vspies;
    std::vector<std::unique_ptr<TermPrefixSpy>> tspies;
    SpyGuard guard(s->enquire);

    for (const SpySpec &spec : s->spies) {
        if (spec.is_terms) {
            tspies.emplace_back(new TermPrefixSpy(spec.prefix));
            s->enquire.add_matchspy(tspies.back().get());
        } else {
            vspies.emplace_back(new Xapian::ValueCountMatchSpy(spec.slot));
            s->enquire.add_matchspy(vspies.back().get());
        }
    }

    r.mset = s->enquire.get_mset(offset, limit, check_at_least);
    r.hits.clear();
    r.hits.reserve(r.mset.size());
    for (Xapian::MSetIterator it = r.mset.begin(); it != r.mset.end();
         ++it) {
        HitCopy h;
        h.docid = *it;
        h.rank = it.get_rank();
        h.weight = it.get_weight();
        h.percent = it.get_percent();
        h.collapsed = it.get_collapse_count();
        Xapian::Document doc = it.get_document();
        h.data = doc.get_data();
        Xapian::ValueIterator v = doc.values_begin();
        for (; v != doc.values_end(); ++v)
            h.values[v.get_valueno()] = *v;
        r.hits.push_back(std::move(h));
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
        s->enquire.set_query(q);
        with_reopen(s->db->db, [&] {
            run_once(s, offset, limit, check_at_least, *r);
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

    if (r) {
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
        const auto &values = r->hits[i].values;
        auto v = values.find(slot);
        give_string(v == values.end() ? std::string() : v->second, value,
                    len);
        return ok(r->err);
    } catch (...) {
        return map_exception(r->err);
    }
}

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
        std::string t(text ? text : "", len);
        for (char &c : t) {
            if (c == MARK_START || c == MARK_END || c == MARK_OMIT)
                c = ' ';
        }
        /* The background model reads term statistics from the database,
         * so a writer committing meanwhile can discard the revision being
         * read: reopen and try again like every other read. */
        std::string raw = with_reopen(r->s->db->db, [&] {
            return r->mset.snippet(
                t, length, r->stem,
                Xapian::MSet::SNIPPET_BACKGROUND_MODEL |
                Xapian::MSet::SNIPPET_EXHAUSTIVE,
                std::string(1, MARK_START), std::string(1, MARK_END),
                std::string(1, MARK_OMIT));
        });
        *snippet = dup_string(unescape_snippet(raw, hi_start, hi_end, omit));
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
