/* enquire.cc - running a search: ranking, expansion, counts, hits
 *
 * Owns the Enquire side of xsh_search (weighting, sort, collapse, match
 * spies, pseudo-relevance feedback) and xsh_results: the page of hits
 * copied out, the counts of values and term prefixes, and their
 * accessors.  Snippets of a result are shim/snippet.cc's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <algorithm>
#include <cmath>
#include <set>

#include "shim/xsh-private.h"

using namespace xsh;

namespace xsh {

void
TermPrefixSpy::operator()(const Xapian::Document &doc, double)
{
    Xapian::TermIterator t = doc.termlist_begin();
    Xapian::TermIterator end = doc.termlist_end();

    std::string key;

    if (slot != Xapian::BAD_VALUENO)
        key = doc.get_value(slot);
    t.skip_to(prefix);
    for (; t != end; ++t) {
        std::string term = *t;
        if (term.compare(0, prefix.size(), prefix) != 0)
            break;
        if (slot == Xapian::BAD_VALUENO) {
            ++counts[term.substr(prefix.size())];
            continue;
        }
        key += '\0';
        key.append(term, prefix.size(), std::string::npos);
    }
    if (slot != Xapian::BAD_VALUENO)
        ++counts[key];
}

} // namespace xsh

namespace {

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
        add(doc.get_value(slot));
    }

    /* Count a match whose value in SLOT is KEY. */
    void add(const std::string &key) {
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

/* Counts the matches, and hands those holding TERM (the members of a
 * collapse group, xsh_search_set_collapse_groups()) to KEYS, found by
 * docid in a bitmap of TERM's posting list: the others' documents are
 * never read.  DB is one database, so the docids are its own. */
class GroupSpy : public Xapian::MatchSpy {
  public:
    GroupSpy(KeyCountSpy &keys_, const Xapian::Database &db,
             const std::string &term)
        : keys(keys_), member(db.get_lastdocid() + 1, false) {
        for (Xapian::PostingIterator p = db.postlist_begin(term);
             p != db.postlist_end(term); ++p)
            member[*p] = true;
    }

    void operator()(const Xapian::Document &doc, double w) override {
        ++n;
        Xapian::docid id = doc.get_docid();
        if (id < member.size() && member[id])
            keys(doc, w);
    }

    KeyCountSpy &keys;
    std::vector<bool> member;
    Xapian::doccount n = 0;
};


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

/* The message for hit I that R does not hold. */
xsh_status_t
no_hit(xsh_results &r, unsigned i)
{
    return invalid(r.err, "hit " + std::to_string(i) + " out of range (" +
                   std::to_string(r.hits.size()) + " hits)");
}

} // namespace

xsh_status_t
xsh_search_set_bm25(xsh_search_t *s, double k1, double k2, double k3,
                    double b, double min_normlen)
{
    return guard(s, [&] {
        /* Xapian silently clamps; say so instead.  NaN fails these too. */
        if (!(k1 >= 0) || !(k2 >= 0) || !(k3 >= 0) || !(min_normlen >= 0) ||
            !(b >= 0 && b <= 1) || std::isinf(k1) || std::isinf(k2) ||
            std::isinf(k3) || std::isinf(min_normlen))
            return invalid(s->err, "BM25 parameters must be finite, >= 0, "
                           "and b at most 1");
        std::unique_ptr<Xapian::Weight> w(
            new Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
        s->enquire.set_weighting_scheme(*w);
        s->weight = std::move(w);
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_set_expansion(xsh_search_t *s, unsigned k_docs, unsigned n_terms,
                         double weight)
{
    return guard(s, [&] {
        if (!(weight >= 0) || std::isinf(weight))
            return invalid(s->err,
                           "expansion weight must be finite and >= 0");
        s->exp_docs = k_docs;
        s->exp_terms = n_terms;
        s->exp_weight = weight;
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_set_sort(xsh_search_t *s, int sort, xsh_slot_t slot)
{
    return guard(s, [&] {
        if (sort != XSH_SORT_RELEVANCE && slot == Xapian::BAD_VALUENO)
            return invalid(s->err, "bad value slot");
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
    });
}

xsh_status_t
xsh_search_set_collapse(xsh_search_t *s, xsh_slot_t slot)
{
    return guard(s, [&] {
        /* XSH_NO_SLOT (BAD_VALUENO): no collapsing from now on */
        s->enquire.set_collapse_key(slot);
        s->collapse_slot = slot;
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_set_collapse_groups(xsh_search_t *s, const char *term,
                               const char *key)
{
    return guard(s, [&] {
        if (!term || !*term || !key || !*key)
            return invalid(s->err, "NULL or empty argument");
        s->group_term = term;
        s->group_key = key;
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_count_values(xsh_search_t *s, xsh_slot_t slot, int *spy)
{
    if (spy)
        *spy = -1;
    return guard(s, [&] {
        if (!spy)
            return invalid(s->err, "NULL argument");
        if (slot == Xapian::BAD_VALUENO)
            return invalid(s->err, "bad value slot");
        s->spies.push_back(SpySpec{false, slot, std::string()});
        *spy = static_cast<int>(s->spies.size() - 1);
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_count_terms(xsh_search_t *s, const char *prefix, int *spy)
{
    if (spy)
        *spy = -1;
    return guard(s, [&] {
        if (!prefix || !spy)
            return invalid(s->err, "NULL argument");
        s->spies.push_back(SpySpec{true, Xapian::BAD_VALUENO, prefix});
        *spy = static_cast<int>(s->spies.size() - 1);
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_count_value_terms(xsh_search_t *s, xsh_slot_t slot,
                             const char *prefix, int *spy)
{
    if (spy)
        *spy = -1;
    return guard(s, [&] {
        if (!prefix || !spy)
            return invalid(s->err, "NULL argument");
        if (slot == Xapian::BAD_VALUENO)
            return invalid(s->err, "bad value slot");
        s->spies.push_back(SpySpec{true, slot, prefix});
        *spy = static_cast<int>(s->spies.size() - 1);
        return ok(s->err);
    });
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

/* Count the collapsed list from its groups (xsh_search_set_collapse_groups(),
 * their record current): a document outside every group has a collapse
 * value of its own or none, so it stands for itself, and the collapsed
 * count is every match, less the matches in a group, plus the distinct
 * values among those.  Only the group members' values are read.  The
 * ranking run (R's MSet) may know every match already (a single term:
 * its frequency); else, and to find the matching members, whichever
 * term frequencies say is cheaper (bits_cheaper()): bits along the
 * posting lists (match_bits(); an OR of frequent terms), the members'
 * values then read along the value stream; or the matcher, over the
 * group members only when the total is known, else over every match
 * with a GroupSpy (or none without groups).  C: an Enquire of the query
 * with boolean weights.  False (R untouched) when Xapian's bounds do not
 * meet, which they should once every candidate is looked at. */
bool
count_by_groups(xsh_search *s, Xapian::Enquire &c, unsigned check_at_least,
                xsh_results &r)
{
    Xapian::Database &db = s->db->db;
    Xapian::doccount n_all = r.mset.get_uncollapsed_matches_lower_bound();
    const bool known = n_all == r.mset.get_uncollapsed_matches_upper_bound();
    const std::string &t = s->group_term;
    KeyCountSpy keys(s->collapse_slot);

    /* Walking the group term's posting list adds its length to the
     * bits' cost; with the total known the matcher visits only group
     * members. */
    const double n_group = db.get_termfreq(t);
    const bool grouped = n_group > 0;
    if (known && !grouped) {
        /* Nothing to read. */
    } else if (bits_cheaper(db, c.get_query(), n_group,
                            known ? n_group : HUGE_VAL)) {
        Bits match;
        match_bits(db, c.get_query(), db.get_lastdocid() / 64 + 1, match);
        n_all = 0;
        for (uint64_t w : match)
            n_all += static_cast<Xapian::doccount>(__builtin_popcountll(w));
        /* Members in docid order: their keys along the value stream. */
        const Xapian::valueno slot = s->collapse_slot;
        Xapian::ValueIterator v = db.valuestream_begin(slot);
        const Xapian::ValueIterator v_end = db.valuestream_end(slot);
        for (Xapian::PostingIterator p = db.postlist_begin(t);
             grouped && p != db.postlist_end(t); ++p) {
            if (!(match[*p >> 6] & (uint64_t(1) << (*p & 63))))
                continue;
            if (v != v_end)
                v.skip_to(*p);
            keys.add(v != v_end && v.get_docid() == *p ? *v
                                                       : std::string());
        }
    } else if (known) {
        Xapian::Enquire g(db);
        SpyGuard guard(g);
        g.set_query(Xapian::Query(Xapian::Query::OP_FILTER, c.get_query(),
                                  Xapian::Query(t)));
        g.set_weighting_scheme(Xapian::BoolWeight());
        g.add_matchspy(&keys);
        g.get_mset(0, 0, check_at_least);
    } else if (grouped) {
        GroupSpy spy(keys, db, t);
        SpyGuard guard(c);
        c.add_matchspy(&spy);
        c.get_mset(0, 0, check_at_least);
        n_all = spy.n;
    } else {
        Xapian::MSet all = c.get_mset(0, 0, check_at_least);
        if (all.get_matches_lower_bound() != all.get_matches_upper_bound())
            return false;
        n_all = all.get_matches_lower_bound();
    }
    r.n_uncollapsed = n_all;
    r.n_matches = n_all - keys.matches() + keys.collapsed();
    r.counts_exact = true;
    return true;
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
count_once(xsh_search *s, unsigned check_at_least, bool local,
           bool collapsing, const Xapian::Weight &weight, xsh_results &r)
{
    Xapian::Enquire c(s->db->db);
    KeyCountSpy keys(s->collapse_slot);

    c.set_query(s->enquire.get_query());
    c.set_weighting_scheme(weight);
    if (local && collapsing && !s->group_term.empty() &&
        groups_current(s->db->db, s->db->remote, s->group_key) &&
        count_by_groups(s, c, check_at_least, r))
        return;
    if (local && collapsing) {
        SpyGuard guard(c);
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

/* count_once() with boolean weights, the cheap way.  Xapian 1.4.22 fails
 * that way on a database merged from shards (a -j2 fresh build) once an
 * update has been committed to it: a boolean run over a term that every
 * document holds stops with DatabaseCorruptError "Unexpected end of
 * posting list" (xapian-check finds nothing wrong, and the same run with
 * BM25 weights gets through), so the count is taken again that way. */
void
count_matches(xsh_search *s, unsigned check_at_least, bool local,
              bool collapsing, xsh_results &r)
{
    try {
        count_once(s, check_at_least, local, collapsing,
                   Xapian::BoolWeight(), r);
    } catch (const Xapian::DatabaseCorruptError &) {
        count_once(s, check_at_least, local, collapsing,
                   Xapian::BM25Weight(), r);
    }
}

/* Whether the search's collapse groups (xsh_search_set_collapse_groups())
 * say that no two documents of its database share a collapse key: the
 * groups are current and the group term has no document. */
bool
nothing_to_collapse(xsh_search *s)
{
    return !s->group_term.empty() &&
           groups_current(s->db->db, s->db->remote, s->group_key) &&
           s->db->db.get_termfreq(s->group_term) == 0;
}

/* Turns the search's collapsing off for one run when OFF, and back on
 * when the run ends, however it ends. */
class NoCollapseGuard {
  public:
    NoCollapseGuard(xsh_search *s_, bool off_) : s(s_), off(off_) {
        if (off)
            s->enquire.set_collapse_key(Xapian::BAD_VALUENO);
    }
    ~NoCollapseGuard() {
        if (off)
            s->enquire.set_collapse_key(s->collapse_slot);
    }
    NoCollapseGuard(const NoCollapseGuard &) = delete;
    NoCollapseGuard &operator=(const NoCollapseGuard &) = delete;

  private:
    xsh_search *s;
    bool off;
};

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
    /* Collapsing reads every candidate's key; when no two documents
     * share one it changes nothing, and the run goes without it. */
    const bool collapsing = s->collapse_slot != Xapian::BAD_VALUENO &&
                            !(local && nothing_to_collapse(s));
    NoCollapseGuard no_collapse(s, s->collapse_slot != Xapian::BAD_VALUENO &&
                                       !collapsing);
    /* Xapian calls spies before it collapses, so in the match they would
     * count the duplicates too.  To count the collapsed list (the one the
     * total counts), rank the whole of it and hand each of its documents
     * to the spies afterwards. */
    const bool spy_after = local && exhaustive && collapsing &&
                           !s->spies.empty();

    for (const SpySpec &spec : s->spies) {
        if (spec.is_terms) {
            tspies.emplace_back(new TermPrefixSpy(spec.prefix, spec.slot));
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
        unpack_data(*s->db, h.docid, h.data);
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

Xapian::Query
xsh::filtered_query(const xsh_search *s)
{
    if (s->filters.empty())
        return s->query;
    Xapian::Query f(Xapian::Query::OP_AND, s->filters.begin(),
                    s->filters.end());
    return Xapian::Query(Xapian::Query::OP_FILTER, s->query, f);
}

xsh_status_t
xsh_search_run(xsh_search_t *s, unsigned offset, unsigned limit,
               unsigned check_at_least, xsh_results_t **results)
{
    if (results)
        *results = nullptr;
    return guard(s, [&] {
        if (!results)
            return invalid(s->err, "NULL argument");
        std::unique_ptr<xsh_results> r(new xsh_results());
        r->s = s;
        r->stem = s->stem;

        Xapian::Query q = filtered_query(s);
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
    });
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
    return guard(r, [&] {
        if (!hit)
            return invalid(r->err, "NULL argument");
        if (i >= r->hits.size())
            return no_hit(*r, i);
        const HitCopy &h = r->hits[i];
        hit->docid = h.docid;
        hit->rank = h.rank;
        hit->weight = h.weight;
        hit->percent = h.percent;
        hit->collapsed = h.collapsed;
        hit->data = h.data.c_str();
        hit->data_len = h.data.size();
        return ok(r->err);
    });
}

xsh_status_t
xsh_results_value(xsh_results_t *r, unsigned i, xsh_slot_t slot,
                  char **value, size_t *len)
{
    if (value)
        *value = nullptr;
    return guard(r, [&] {
        if (!value)
            return invalid(r->err, "NULL argument");
        if (i >= r->hits.size())
            return no_hit(*r, i);
        give_string(r->hits[i].doc.get_value(slot), value, len);
        return ok(r->err);
    });
}

xsh_status_t
xsh_results_counts(xsh_results_t *r, int spy, unsigned max, xsh_count_fn fn,
                   void *ctx)
{
    return guard(r, [&] {
        if (!fn)
            return invalid(r->err, "NULL callback");
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
    });
}
