/* synonym.cc - the search's own synonyms applied to a parsed query
 *
 * Owns expand_synonyms() (declared in xsh-private.h), which rewrites the
 * query QueryParser built with the pairs xsh_search_add_synonym() kept:
 * words, multi-word runs and phrases.  It neither parses nor runs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <algorithm>
#include <set>

#include "shim/xsh-private.h"

using namespace xsh;

namespace xsh {

namespace {

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

    /* Whether Q is a word as the parser stems it (its "Z" form). */
    bool is_stemmed(const Xapian::Query &q) const {
        if (q.get_type() != Xapian::Query::LEAF_TERM)
            return false;
        std::string t = *q.get_terms_begin();
        return !t.empty() && t[0] == 'Z';
    }

    /* Add WORDS to SUBS as the terms or phrase it stands for, unless SEEN
     * has it.  One word: its stemmed form alone when STEMMED (the word
     * replaced is one, as the parser makes an unquoted lower-case word),
     * which every document with the word as written also holds, so the
     * synonym walks one posting list a word, not two (an unstemmed
     * "kyiv" beside "Zkyiv" doubled the work of "kyiv" and counted each
     * occurrence twice); else, and for a word in another script (whose
     * own stems and skeletons expand_scripts() finds from the word as
     * written), as written and stemmed. */
    void add_alternative(const std::vector<std::string> &words,
                         bool stemmed, std::set<std::string> &seen,
                         std::vector<Xapian::Query> &subs) const {
        if (words.size() == 1) {
            std::string z = zform(words[0]);
            bool ascii = std::all_of(words[0].begin(), words[0].end(),
                                     [](char c) { return (c & 0x80) == 0; });
            std::string forms[2] = {
                stemmed && ascii && !z.empty() ? std::string() : words[0],
                z };
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
    const bool stemmed = is_stemmed(q);
    add_alternative(s.synonyms[it->second[0]].first, stemmed, seen, subs);
    for (size_t i : it->second)
        add_alternative(s.synonyms[i].second, stemmed, seen, subs);
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

    if (op == Xapian::Query::LEAF_TERM)
        return expand_leaf(q, changed);
    if (op == Xapian::Query::OP_PHRASE)
        return expand_phrase(q, changed);
    if (!rebuildable(op))
        return q;
    size_t n = q.get_num_subqueries();
    return rebuild_node(q, changed, [&](size_t i,
                                        std::vector<Xapian::Query> &subs,
                                        bool &sub_changed) -> size_t {
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
        if (len == 0) {
            subs.push_back(expand(q.get_subquery(i), sub_changed));
            return 1;
        }
        std::vector<Xapian::Query> run;
        for (size_t j = 0; j < len; j++)
            run.push_back(q.get_subquery(i + j));
        std::vector<Xapian::Query> alts{
            Xapian::Query(op, run.begin(), run.end()) };
        std::set<std::string> seen;
        const bool stemmed = is_stemmed(run[0]);
        for (size_t m : multi) {
            if (s.synonyms[m].first == s.synonyms[best].first)
                add_alternative(s.synonyms[m].second, stemmed, seen, alts);
        }
        subs.emplace_back(Xapian::Query::OP_SYNONYM, alts.begin(),
                          alts.end());
        sub_changed = true;
        return len;
    });
}

} // namespace

Xapian::Query
expand_synonyms(const xsh_search &s, const Xapian::Query &q)
{
    bool changed = false;
    SynonymExpander e(s);
    return e.expand(q, changed);
}

} // namespace xsh
