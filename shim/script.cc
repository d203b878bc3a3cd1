/* script.cc - a parsed query's words in other languages and scripts
 *
 * Owns expand_scripts() (declared in xsh-private.h), which rewrites the
 * query the parser built (after the search's synonyms) with what
 * xsh_search_add_stem() and xsh_search_set_word_terms() asked for: a
 * Cyrillic word gets the stem of each Cyrillic language of the database
 * in its place, as one term with the word (OP_SYNONYM), and a word of
 * either script gets the term the caller maps it to in the other script,
 * ORed in with its weight scaled down so that matches in the query's own
 * script rank first.  It neither parses nor runs, and knows no prefix
 * but the parser's "Z".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <set>

#include "shim/xsh-private.h"

namespace xsh {

namespace {

/* Whether W holds a Cyrillic letter (U+0400 to U+052F: lead bytes D0 to
 * D4). */
bool
has_cyrillic(const std::string &w)
{
    for (unsigned char c : w) {
        if (c >= 0xD0 && c <= 0xD4)
            return true;
    }
    return false;
}

/* Whether TERM is a stem of an unprefixed word ("Z" then no prefix
 * letter). */
bool
is_word_stem(const std::string &term)
{
    return term.size() > 1 && term[0] == 'Z' &&
           !(term[1] >= 'A' && term[1] <= 'Z');
}

class ScriptExpander {
  public:
    explicit ScriptExpander(xsh_search &s_) : s(s_) { }

    Xapian::Query expand(const Xapian::Query &q, bool &changed);

  private:
    /* The words the leaf TERM stands for: a word term itself, or the
     * query's words that the parser stemmed to a "Z" term. */
    std::vector<std::string> words_of(const std::string &term) {
        std::vector<std::string> w;
        if (is_word_stem(term)) {
            for (Xapian::TermIterator u = s.qp.unstem_begin(term);
                 u != s.qp.unstem_end(term); ++u)
                w.push_back(*u);
        } else if (is_word_term(term)) {
            w.push_back(term);
        }
        return w;
    }

    /* The caller's term for WORD in the other script, into OTHER. */
    void other_term(const std::string &word, bool cyr,
                    std::set<std::string> &other) {
        if (!s.word_fn)
            return;
        char **terms = nullptr;
        size_t n = 0;
        bool ok = s.word_fn(s.word_ctx, word.c_str(), cyr, &terms, &n);
        std::vector<CString> owners;
        for (size_t i = 0; terms && i < n; i++)
            owners.emplace_back(terms[i]);
        free(terms);
        for (size_t i = 0; ok && i < n; i++) {
            if (owners[i] && *owners[i])
                other.insert(clamp_term(owners[i].get()));
        }
    }

    /* For leaf term TERM: its stems in the Cyrillic languages (OWN) and
     * its terms in the other script (OTHER). */
    void alternatives(const std::string &term, std::set<std::string> &own,
                      std::set<std::string> &other) {
        for (const std::string &w : words_of(term)) {
            if (!has_cyrillic(w)) {
                other_term(w, false, other);
                continue;
            }
            if (s.cyr_stems.empty())
                other_term(w, true, other);
            for (const Xapian::Stem &st : s.cyr_stems) {
                std::string lemma = st(w);
                if (lemma.empty())
                    continue;
                own.insert("Z" + lemma);
                other_term(lemma, true, other);
            }
        }
    }

    /* SUBS (the word as parsed, or a group of synonyms) with OWN in the
     * same OP_SYNONYM and OTHER ORed beside it, scaled. */
    Xapian::Query combine(const Xapian::Query &orig,
                          std::vector<Xapian::Query> subs,
                          const std::set<std::string> &own,
                          const std::set<std::string> &other,
                          const std::set<std::string> &seen, bool &changed) {
        bool grew = false;
        for (const std::string &t : own) {
            if (!seen.count(t)) {
                subs.emplace_back(t);
                grew = true;
            }
        }
        std::vector<Xapian::Query> alt;
        for (const std::string &t : other) {
            if (!seen.count(t))
                alt.emplace_back(t);
        }
        if (!grew && alt.empty())
            return orig;
        changed = true;
        Xapian::Query mine = !grew ? orig :
            Xapian::Query(Xapian::Query::OP_SYNONYM, subs.begin(),
                          subs.end());
        if (alt.empty())
            return mine;
        /* The other script's terms go in one term with the word's own
         * (OP_SYNONYM), scaled: weighted alone, a rare skeleton (a name
         * in six Ukrainian documents) outweighed the word itself in
         * thirty English ones and ranked them first.  As one term they
         * share its frequency, so a document found only through the
         * other script gets WEIGHT of what the same wdf earns in the
         * query's own script, and one in its own script gets 1 + WEIGHT
         * of it. */
        std::vector<Xapian::Query> all(subs);
        all.insert(all.end(), alt.begin(), alt.end());
        Xapian::Query both(Xapian::Query::OP_SYNONYM, all.begin(),
                           all.end());
        return Xapian::Query(Xapian::Query::OP_OR, mine,
                             Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                           both, s.word_weight));
    }

    xsh_search &s;
};

Xapian::Query
ScriptExpander::expand(const Xapian::Query &q, bool &changed)
{
    Xapian::Query::op op = q.get_type();

    if (op == Xapian::Query::LEAF_TERM) {
        std::string t = *q.get_terms_begin();
        std::set<std::string> own, other, seen{ t };
        alternatives(t, own, other);
        return combine(q, { q }, own, other, seen, changed);
    }
    if (op == Xapian::Query::OP_SYNONYM) {
        /* A word and its synonyms (Kiev, Kyiv): one term still, with
         * every member's stems, and the other script's terms beside. */
        std::set<std::string> own, other, seen;
        std::vector<Xapian::Query> subs;
        size_t n = q.get_num_subqueries();
        for (size_t i = 0; i < n; i++) {
            Xapian::Query sub = q.get_subquery(i);
            subs.push_back(sub);
            if (sub.get_type() != Xapian::Query::LEAF_TERM)
                continue;
            std::string t = *sub.get_terms_begin();
            seen.insert(t);
            alternatives(t, own, other);
        }
        return combine(q, subs, own, other, seen, changed);
    }
    /* Phrases and NEAR (stems and the other script's terms have no
     * positions), wildcards, value ranges: as parsed. */
    if (!rebuildable(op))
        return q;
    return rebuild_node(q, changed, [&](size_t i,
                                        std::vector<Xapian::Query> &subs,
                                        bool &sub_changed) -> size_t {
        subs.push_back(expand(q.get_subquery(i), sub_changed));
        return 1;
    });
}

} // namespace

Xapian::Query
expand_scripts(xsh_search &s, const Xapian::Query &q)
{
    bool changed = false;
    ScriptExpander e(s);
    return e.expand(q, changed);
}

} // namespace xsh
