/* fold.cc - synonym groups folded into one term
 *
 * Owns FoldMap (declared in xsh-private.h), the xsh_termgen_set_folds(),
 * xsh_termgen_fold() and xsh_search_set_folds() calls, and fold_query().
 *
 * A synonym group of one-word spellings (kyiv, kiev) can be indexed as
 * one term: the indexer writes each member's terms under the group's
 * first member ("kiev" at its positions becomes "kyiv", its stem "Zkiev"
 * becomes "Zkyiv"), and records the pairs it folded in the database's
 * metadata.  A search on that database renames the same terms in its
 * parsed query, after every other rewriting, so that a synonym walks one
 * posting list and a phrase holding one walks one position list, where
 * an OR of the spellings walked them all (twice the time of the word
 * alone on the bench's database, where both spellings are in most
 * documents).  Snippets keep the query before folding, so "Kiev" in a
 * text is still highlighted.
 *
 * The map is text, one pair a line: "MEMBER CANONICAL", lower-case.  A
 * term is folded when it is a member as written, or its stem with "Z",
 * under one of the prefixes the map was given ("" for plain words): the
 * indexer and the search apply the same rule to the same text.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <algorithm>

#include "shim/xsh-private.h"

namespace xsh {

void
FoldMap::set(const std::string &text, const char *const *prefixes,
             size_t n)
{
    pairs.clear();
    words.clear();
    stems.clear();
    stems_of.clear();
    have_stems = false;
    this->prefixes.assign(prefixes, prefixes + n);
    /* Longest first: "XS" before "X", "" last. */
    std::sort(this->prefixes.begin(), this->prefixes.end(),
              [](const std::string &a, const std::string &b) {
                  return a.size() > b.size();
              });
    size_t at = 0;
    while (at < text.size()) {
        size_t end = text.find('\n', at);
        if (end == std::string::npos)
            end = text.size();
        std::string line = text.substr(at, end - at);
        at = end + 1;
        size_t sp = line.find(' ');
        if (sp == std::string::npos || sp == 0 || sp + 1 >= line.size())
            continue;
        std::string member = line.substr(0, sp), canon = line.substr(sp + 1);
        if (member == canon || words.count(member))
            continue;
        words.emplace(member, canon);
        pairs.emplace_back(member, canon);
    }
}

/* The stems of the members under STEM, mapped to the stems of their
 * canonical words, built again when the stemmer changes (the indexer
 * stems each document in its language). */
const std::unordered_map<std::string, std::string> &
FoldMap::stems_for(const Xapian::Stem &stem)
{
    if (stem.is_none()) {
        static const std::unordered_map<std::string, std::string> none;
        return none;
    }
    std::string desc = stem.get_description();
    if (have_stems && desc == stems_of)
        return stems;
    stems.clear();
    for (const auto &p : pairs) {
        std::string sm = stem(p.first), sc = stem(p.second);
        if (!sm.empty() && !sc.empty() && sm != sc)
            stems.emplace(sm, sc);      /* the first pair wins */
    }
    stems_of = desc;
    have_stems = true;
    return stems;
}

bool
FoldMap::fold(const std::string &t, const Xapian::Stem &stem,
              std::string &out)
{
    if (words.empty() || t.empty())
        return false;
    const bool z = t[0] == 'Z';
    const size_t at = z ? 1 : 0;
    for (const std::string &p : prefixes) {
        if (t.compare(at, p.size(), p) != 0)
            continue;
        size_t w = at + p.size();
        /* The word begins where the prefix's capitals end. */
        if (w >= t.size() || (t[w] >= 'A' && t[w] <= 'Z'))
            continue;
        const auto &m = z ? stems_for(stem) : words;
        auto it = m.find(t.substr(w));
        if (it == m.end())
            return false;
        out.assign(z ? "Z" : "");
        out += p;
        out += it->second;
        return true;
    }
    return false;
}

void
FoldMap::wildcard(const std::string &pattern,
                  std::vector<std::string> &out) const
{
    for (const std::string &p : prefixes) {
        if (pattern.compare(0, p.size(), p) != 0 ||
            (pattern.size() > p.size() && pattern[p.size()] >= 'A' &&
             pattern[p.size()] <= 'Z'))
            continue;
        std::string w = pattern.substr(p.size());
        for (const auto &m : pairs) {
            if (m.first.compare(0, w.size(), w) != 0 ||
                m.second.compare(0, w.size(), w) == 0)
                continue;
            std::string t = p + m.second;
            if (std::find(out.begin(), out.end(), t) == out.end())
                out.push_back(t);
        }
        return;
    }
}

namespace {

/* The pattern of a wildcard node: Xapian 1.4 has no accessor, but writes
 * it in the description, "Query(WILDCARD SYNONYM kie)". */
std::string
wildcard_pattern(const Xapian::Query &q)
{
    std::string d = q.get_description();
    size_t at = d.find("WILDCARD ");
    if (at == std::string::npos)
        return std::string();
    at = d.find(' ', at + 9);
    size_t end = d.rfind(')');
    if (at == std::string::npos || end == std::string::npos || end <= at)
        return std::string();
    return d.substr(at + 1, end - at - 1);
}

/* The PHRASE or NEAR node Q with each place rewritten by STEP(place,
 * sub_changed), its window kept; Q itself when no place changed or the
 * window cannot be read.  Sets CHANGED otherwise. */
template <typename Step>
Xapian::Query
rebuild_places(const Xapian::Query &q, bool &changed, Step step)
{
    Xapian::termcount window = window_of(q);
    std::vector<Xapian::Query> subs;
    bool sub_changed = false;
    for (size_t i = 0, n = q.get_num_subqueries(); i < n; i++)
        subs.push_back(step(q.get_subquery(i), sub_changed));
    if (!sub_changed || window == 0)
        return q;
    changed = true;
    return Xapian::Query(q.get_type(), subs.begin(), subs.end(), window);
}

/* Q with its terms folded; an OR or OP_SYNONYM left with one distinct
 * term stands as that term. */
Xapian::Query
fold_walk(FoldMap &f, const Xapian::Stem &stem, const Xapian::Query &q,
          bool &changed)
{
    Xapian::Query::op op = q.get_type();
    if (op == Xapian::Query::LEAF_TERM) {
        std::string to;
        if (!f.fold(*q.get_terms_begin(), stem, to))
            return q;
        changed = true;
        return Xapian::Query(to);
    }
    if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR)
        return rebuild_places(q, changed,
            [&](const Xapian::Query &sub, bool &sub_changed) {
                return fold_walk(f, stem, sub, sub_changed);
            });
    if (op == Xapian::Query::OP_WILDCARD) {
        /* "kie*" found Kiev before its terms became Kyiv's: the
         * canonical terms of the members it matches stand beside it. */
        std::vector<std::string> canon;
        f.wildcard(wildcard_pattern(q), canon);
        if (canon.empty())
            return q;
        std::vector<Xapian::Query> subs{ q };
        subs.insert(subs.end(), canon.begin(), canon.end());
        changed = true;
        return Xapian::Query(Xapian::Query::OP_SYNONYM, subs.begin(),
                             subs.end());
    }
    if (!rebuildable(op))
        return q;
    bool node_changed = false;
    Xapian::Query r = rebuild_node(q, node_changed,
        [&](size_t i, std::vector<Xapian::Query> &subs,
            bool &sub_changed) -> size_t {
            subs.push_back(fold_walk(f, stem, q.get_subquery(i),
                                     sub_changed));
            return 1;
        });
    if (!node_changed)
        return q;
    changed = true;
    if (op != Xapian::Query::OP_OR && op != Xapian::Query::OP_SYNONYM)
        return r;
    /* Spellings that became one term: that term once. */
    std::vector<Xapian::Query> subs;
    std::vector<std::string> seen;
    bool dup = false;
    for (size_t i = 0, n = r.get_num_subqueries(); i < n; i++) {
        Xapian::Query sub = r.get_subquery(i);
        if (sub.get_type() == Xapian::Query::LEAF_TERM) {
            std::string t = *sub.get_terms_begin();
            if (std::find(seen.begin(), seen.end(), t) != seen.end()) {
                dup = true;
                continue;
            }
            seen.push_back(t);
        }
        subs.push_back(sub);
    }
    if (!dup)
        return r;
    if (subs.size() == 1)
        return subs[0];
    return Xapian::Query(op, subs.begin(), subs.end());
}

/* Whether Q cannot match in DB: a term it does not hold, or a phrase
 * (NEAR) one of whose places cannot match. */
bool
never_matches(const Xapian::Database &db, const Xapian::Query &q)
{
    Xapian::Query::op op = q.get_type();
    if (op == Xapian::Query::LEAF_TERM) {
        std::string t = *q.get_terms_begin();
        return !t.empty() && db.get_termfreq(t) == 0;
    }
    if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR) {
        for (size_t i = 0, n = q.get_num_subqueries(); i < n; i++) {
            Xapian::Query sub = q.get_subquery(i);
            if (sub.get_type() == Xapian::Query::LEAF_TERM &&
                never_matches(db, sub))
                return true;
        }
    }
    return false;
}

Xapian::Query
prune_walk(const Xapian::Database &db, const Xapian::Query &q,
           bool &changed)
{
    Xapian::Query::op op = q.get_type();
    if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR)
        return rebuild_places(q, changed,
            [&](const Xapian::Query &sub, bool &sub_changed) {
                return prune_walk(db, sub, sub_changed);
            });
    if (!rebuildable(op))
        return q;
    const bool alternatives = op == Xapian::Query::OP_OR ||
                              op == Xapian::Query::OP_SYNONYM;
    std::vector<Xapian::Query> subs;
    bool sub_changed = false;
    size_t n = q.get_num_subqueries();
    for (size_t i = 0; i < n; i++) {
        Xapian::Query sub = q.get_subquery(i);
        if (op == Xapian::Query::OP_FILTER && i > 0) {
            subs.push_back(sub);
        } else if (alternatives && never_matches(db, sub)) {
            sub_changed = true;
        } else {
            subs.push_back(prune_walk(db, sub, sub_changed));
        }
    }
    if (!sub_changed || subs.empty())
        return q;
    changed = true;
    if (subs.size() == 1 && alternatives)
        return subs[0];
    return Xapian::Query(op, subs.begin(), subs.end());
}

} // namespace

Xapian::Query
prune_absent(xsh_search &s, const Xapian::Query &q)
{
    bool changed = false;
    return prune_walk(s.db->db, q, changed);
}

Xapian::Query
fold_query(xsh_search &s, const Xapian::Query &q)
{
    bool changed = false;
    return fold_walk(s.folds, s.stem, q, changed);
}

} // namespace xsh

using namespace xsh;

xsh_status_t
xsh_termgen_set_folds(xsh_termgen_t *tg, const char *folds,
                      const char *const *prefixes, size_t n)
{
    return guard(tg, [&] {
        if (!folds || !all_strings(prefixes, n))
            return invalid(tg->err, "NULL argument");
        tg->folds.set(folds, prefixes, n);
        return ok(tg->err);
    });
}

xsh_status_t
xsh_termgen_fold(xsh_termgen_t *tg, xsh_doc_t *doc)
{
    return guard(tg, [&] {
        if (!doc)
            return invalid(tg->err, "NULL document");
        if (tg->folds.empty())
            return ok(tg->err);
        struct Move {
            std::string from, to;
            Xapian::termcount wdf;
            std::vector<Xapian::termpos> pos;
        };
        std::vector<Move> moves;
        std::string to;
        Xapian::Document &d = doc->doc;
        for (Xapian::TermIterator it = d.termlist_begin();
             it != d.termlist_end(); ++it) {
            if (!tg->folds.fold(*it, tg->cur_stem, to))
                continue;
            Move m{ *it, to, it.get_wdf(), {} };
            for (Xapian::PositionIterator p = it.positionlist_begin();
                 p != it.positionlist_end(); ++p)
                m.pos.push_back(*p);
            moves.push_back(std::move(m));
        }
        /* The member's occurrences become the canonical word's: same
         * positions, same within-document frequency, same length. */
        for (const Move &m : moves) {
            for (Xapian::termpos p : m.pos)
                d.add_posting(m.to, p, 0);
            d.add_term(m.to, m.wdf);
            d.remove_term(m.from);
        }
        return ok(tg->err);
    });
}

xsh_status_t
xsh_search_set_folds(xsh_search_t *s, const char *key,
                     const char *const *prefixes, size_t n)
{
    return guard(s, [&] {
        if (!key || !*key || !all_strings(prefixes, n))
            return invalid(s->err, "NULL or empty argument");
        /* One database: shards could have been folded differently. */
        std::string text;
        if (s->db->db.size() == 1)
            text = with_reopen(s->db->db, [&] {
                return s->db->db.get_metadata(key);
            });
        s->folds.set(text, prefixes, n);
        return ok(s->err);
    });
}
