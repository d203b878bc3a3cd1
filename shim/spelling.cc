/* spelling.cc - British and American spellings, hyphenated compounds
 *
 * Owns the spelling table (shim/spellings.inc, generated from Debian's
 * word lists by shim/gen-spellings.pl), the compound marks the term
 * generator adds (add_compound_marks()) and expand_spellings() (both
 * declared in xsh-private.h), which rewrites a parsed query so that
 * "defense" also finds "defence", "counteroffensive" also finds
 * "counter-offensive" and "counter offensive", and the other way round.
 *
 * Spellings are matched on the query side only: each word of the query
 * that has another spelling becomes one term (OP_SYNONYM) of both, as
 * written and stemmed, and inside a phrase an OR of both in its place.
 * Nothing about spellings is indexed, so a database built before needs
 * no reindex, and the index costs nothing more.
 *
 * A hyphenated word of two parts of ASCII letters and digits
 * ("counter-offensive", "F-16") is indexed by the term generator as its
 * two parts at consecutive positions; add_compound_marks() adds the
 * hyphenated form as one term of wdf 0 (no positions, no effect on the
 * document's length), the mark that this compound exists.  The query side
 * uses the marks to decide, without guessing where a word splits, when
 * a word written as one ("counteroffensive") also stands for its two
 * parts as a phrase, and when two words ("counter offensive", a phrase
 * or adjacent words) also stand for the word written as one.  Without
 * marks (a database indexed before them) queries on compounds are what
 * they were.  The expansion neither parses nor runs, and knows no prefix
 * but the parser's "Z".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <algorithm>
#include <cstring>
#include <iterator>
#include <set>
#include <unordered_map>

#include "shim/xsh-private.h"

namespace xsh {

namespace {

struct SpellingPair {
    const char *british;
    const char *american;
};

const SpellingPair spelling_pairs[] = {
#include "shim/spellings.inc"
};

/* The other spelling of the lower-case WORD, or NULL.  Each word of the
 * table is in one pair only, and on one side only.  The table is sorted
 * on its British column (LC_ALL=C: tests/cli/t11-build.sh checks it),
 * so that side is a binary search; the American side is a scan of
 * 1,540 pairs, which costs a few microseconds for each word of a query.
 * A hash map of both sides, built on first use, cost a quarter of a
 * millisecond and 60 pages of memory in every dossier-search process. */
const char *
other_spelling(const std::string &word)
{
    if (word.empty())
        return nullptr;
    const SpellingPair *begin = std::begin(spelling_pairs);
    const SpellingPair *end = std::end(spelling_pairs);
    const SpellingPair *it = std::lower_bound(begin, end, word,
        [](const SpellingPair &p, const std::string &w) {
            return std::strcmp(p.british, w.c_str()) < 0;
        });
    if (it != end && word == it->british)
        return it->american;
    for (const SpellingPair &p : spelling_pairs) {
        if (p.american[0] == word[0] && word == p.american)
            return p.british;
    }
    return nullptr;
}

bool
is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

bool
is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether W is made of ASCII lower-case letters and digits only. */
bool
is_plain_word(const std::string &w)
{
    if (w.empty())
        return false;
    for (unsigned char c : w) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

/* A term cut into the parser's "Z" (stems), its field prefix (upper-case
 * ASCII) and the word. */
struct TermParts {
    bool stemmed = false;
    std::string prefix;
    std::string word;
};

TermParts
split_term(const std::string &term)
{
    TermParts p;
    size_t i = 0;
    if (term.size() > 1 && term[0] == 'Z') {
        p.stemmed = true;
        i = 1;
    }
    size_t j = i;
    while (j < term.size() && term[j] >= 'A' && term[j] <= 'Z')
        j++;
    p.prefix = term.substr(i, j - i);
    p.word = term.substr(j);
    return p;
}

/* The longest word a compound is looked for in (and each split costs a
 * look-up in the database). */
const size_t max_compound_len = 40;

class SpellingExpander {
  public:
    explicit SpellingExpander(xsh_search &s_) : s(s_) { }

    Xapian::Query expand(const Xapian::Query &q, bool &changed);

  private:
    bool exists(const std::string &term) {
        auto it = known.find(term);
        if (it != known.end())
            return it->second;
        bool e = s.db->db.term_exists(term);
        known.emplace(term, e);
        return e;
    }

    /* The words a leaf TERM was written as: the term itself, or the
     * query's words the parser stemmed to it, without the prefix. */
    std::vector<std::string> words_of(const std::string &term,
                                      const TermParts &p) {
        std::vector<std::string> w;
        if (!p.stemmed) {
            w.push_back(p.word);
            return w;
        }
        for (Xapian::TermIterator u = s.qp.unstem_begin(term);
             u != s.qp.unstem_end(term); ++u) {
            std::string raw = *u;
            if (raw.compare(0, p.prefix.size(), p.prefix) == 0)
                raw.erase(0, p.prefix.size());
            w.push_back(raw);
        }
        return w;
    }

    /* The term WORD gives written as P's term is (stemmed or not). */
    std::string term_for(const TermParts &p, const std::string &word) {
        if (!p.stemmed)
            return p.prefix + word;
        if (s.stem.is_none())
            return std::string();
        std::string st = s.stem(word);
        return st.empty() ? st : "Z" + p.prefix + st;
    }

    /* For leaf TERM: its other spellings' terms, and the phrases of the
     * two parts of the words it stands for that are marked compounds. */
    void alternatives(const std::string &term, std::set<std::string> &alt,
                      std::vector<Xapian::Query> &phrases) {
        TermParts p = split_term(term);
        for (const std::string &w : words_of(term, p)) {
            if (const char *v = other_spelling(w)) {
                std::string t = term_for(p, v);
                if (!t.empty() && t != term)
                    alt.insert(t);
            }
            if (w.size() < 2 || w.size() > max_compound_len ||
                !is_plain_word(w))
                continue;
            for (size_t i = 1; i < w.size(); i++) {
                std::string mark = p.prefix + w.substr(0, i) + "-" +
                                   w.substr(i);
                if (!exists(mark))
                    continue;
                Xapian::Query parts[2] = {
                    Xapian::Query(p.prefix + w.substr(0, i)),
                    Xapian::Query(p.prefix + w.substr(i)) };
                phrases.emplace_back(Xapian::Query::OP_PHRASE, parts,
                                     parts + 2, 2);
            }
        }
    }

    Xapian::Query expand_leaf(const Xapian::Query &q, bool &changed) {
        std::string t = *q.get_terms_begin();
        std::set<std::string> alt;
        std::vector<Xapian::Query> subs{ q };
        alternatives(t, alt, subs);
        for (const std::string &a : alt)
            subs.emplace_back(a);
        if (subs.size() == 1)
            return q;
        changed = true;
        return Xapian::Query(Xapian::Query::OP_SYNONYM, subs.begin(),
                             subs.end());
    }

    /* The word a pair of leaves written apart makes written as one, when
     * the database marks it as a compound and holds it written as one:
     * its term as P's are written, else an empty string. */
    std::string joined(const Xapian::Query &a, const Xapian::Query &b) {
        if (a.get_type() != Xapian::Query::LEAF_TERM ||
            b.get_type() != Xapian::Query::LEAF_TERM)
            return std::string();
        std::string ta = *a.get_terms_begin(), tb = *b.get_terms_begin();
        TermParts pa = split_term(ta), pb = split_term(tb);
        if (pa.prefix != pb.prefix || pa.stemmed != pb.stemmed)
            return std::string();
        for (const std::string &wa : words_of(ta, pa)) {
            for (const std::string &wb : words_of(tb, pb)) {
                if (!is_plain_word(wa) || !is_plain_word(wb) ||
                    wa.size() + wb.size() > max_compound_len)
                    continue;
                if (exists(pa.prefix + wa + "-" + wb) &&
                    exists(pa.prefix + wa + wb))
                    return pa.stemmed ? term_for(pa, wa + wb)
                                      : pa.prefix + wa + wb;
            }
        }
        return std::string();
    }

    Xapian::Query expand_phrase(const Xapian::Query &q, bool &changed) {
        size_t n = q.get_num_subqueries();
        std::vector<Xapian::Query> places;
        bool grew = false;
        for (size_t i = 0; i < n; i++) {
            Xapian::Query sub = q.get_subquery(i);
            std::vector<Xapian::Query> members;
            if (sub.get_type() == Xapian::Query::LEAF_TERM) {
                members.push_back(sub);
            } else if (sub.get_type() == Xapian::Query::OP_OR) {
                for (size_t j = 0; j < sub.get_num_subqueries(); j++)
                    members.push_back(sub.get_subquery(j));
            } else {
                return q;       /* not a phrase the parser built */
            }
            std::set<std::string> seen, alt;
            for (const Xapian::Query &m : members) {
                if (m.get_type() != Xapian::Query::LEAF_TERM)
                    return q;
                seen.insert(*m.get_terms_begin());
            }
            for (const std::string &t : seen) {
                std::vector<Xapian::Query> unused;
                TermParts p = split_term(t);
                if (p.stemmed)
                    continue;
                if (const char *v = other_spelling(p.word))
                    alt.insert(p.prefix + v);
            }
            for (const std::string &a : alt) {
                if (!seen.count(a)) {
                    members.emplace_back(a);
                    grew = true;
                }
            }
            places.push_back(members.size() == 1 ? members[0] :
                Xapian::Query(Xapian::Query::OP_OR, members.begin(),
                              members.end()));
        }
        Xapian::Query phrase = !grew ? q :
            Xapian::Query(Xapian::Query::OP_PHRASE, places.begin(),
                          places.end(), places.size());
        /* "counter-offensive" (the parser makes a phrase of it) and
         * "counter offensive" also find "counteroffensive". */
        std::string j;
        if (n == 2)
            j = joined(q.get_subquery(0), q.get_subquery(1));
        if (j.empty()) {
            changed = changed || grew;
            return phrase;
        }
        changed = true;
        return Xapian::Query(Xapian::Query::OP_SYNONYM, phrase,
                             expand_leaf(Xapian::Query(j), changed));
    }

    xsh_search &s;
    std::unordered_map<std::string, bool> known;
};

Xapian::Query
SpellingExpander::expand(const Xapian::Query &q, bool &changed)
{
    Xapian::Query::op op = q.get_type();

    if (op == Xapian::Query::LEAF_TERM)
        return expand_leaf(q, changed);
    if (op == Xapian::Query::OP_PHRASE)
        return expand_phrase(q, changed);
    /* NEAR (its window cannot be read back), wildcards, value ranges:
     * as parsed. */
    if (!rebuildable(op))
        return q;
    size_t n = q.get_num_subqueries();
    return rebuild_node(q, changed, [&](size_t i,
                                        std::vector<Xapian::Query> &subs,
                                        bool &sub_changed) -> size_t {
        Xapian::Query sub = q.get_subquery(i);
        /* Two words that a marked compound writes as one: "counter
         * offensive" is also "counteroffensive". */
        if ((op == Xapian::Query::OP_AND || op == Xapian::Query::OP_OR) &&
            i + 1 < n) {
            Xapian::Query next = q.get_subquery(i + 1);
            std::string j = joined(sub, next);
            if (!j.empty()) {
                Xapian::Query a = expand_leaf(sub, sub_changed);
                Xapian::Query b = expand_leaf(next, sub_changed);
                Xapian::Query pair(op, a, b);
                subs.emplace_back(Xapian::Query::OP_SYNONYM, pair,
                                  expand_leaf(Xapian::Query(j),
                                              sub_changed));
                sub_changed = true;
                return 2;
            }
        }
        subs.push_back(expand(sub, sub_changed));
        return 1;
    });
}

} // namespace

void
add_compound_marks(Xapian::Document &doc, const std::string &text,
                   const std::string &prefix)
{
    const char *p = text.data();
    size_t len = text.size();
    const void *hit;
    size_t from = 0;
    std::string mark;

    while (from < len && (hit = memchr(p + from, '-', len - from))) {
        size_t h = (const char *)hit - p;
        from = h + 1;
        size_t b = h, e = h + 1;
        while (b > 0 && is_alnum(p[b - 1]))
            b--;
        while (e < len && is_alnum(p[e]))
            e++;
        /* Two parts, each bounded by something that is no letter of any
         * script (a byte >= 0x80 may be one) nor another hyphen. */
        if (b == h || e == h + 1)
            continue;
        if (b > 0 && ((unsigned char)p[b - 1] >= 0x80 || p[b - 1] == '-'))
            continue;
        if (e < len && ((unsigned char)p[e] >= 0x80 || p[e] == '-'))
            continue;
        bool letter = false;
        mark.assign(prefix);
        for (size_t i = b; i < e; i++) {
            unsigned char c = p[i];
            letter = letter || is_alpha(c);
            mark += (c >= 'A' && c <= 'Z') ? char(c + 32) : char(c);
        }
        /* A date or a range of numbers (2022-04, 1-2) is no compound. */
        if (letter && e - b <= max_compound_len + 1)
            doc.add_term(mark, 0);
        from = e;
    }
}

Xapian::Query
expand_spellings(xsh_search &s, const Xapian::Query &q)
{
    bool changed = false;
    SpellingExpander e(s);
    return e.expand(q, changed);
}

} // namespace xsh
