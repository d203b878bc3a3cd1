/* ends.cc - the lowest and highest value of a slot among a search's matches
 *
 * Owns xsh_search_value_ends() (the first and last date of each query of a
 * batch) and the per-database table it reads values from: each value of
 * the slot as its rank among the slot's distinct values, by docid, read
 * once along the slot's value stream and again only when a database it
 * was read from moves to another revision.  A query's ends are then the
 * lowest and highest rank among its matches (match_bits()), one array
 * read per match.  Remote databases, and slots whose values are mostly
 * distinct, take two runs sorted on the slot.
 * Knows nothing of what the slot means.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "shim/xsh-private.h"

using namespace xsh;

namespace xsh {

/* SLOT's values by docid for the revisions in REVS. */
struct ValueRanks {
    std::vector<std::string> revs;      /* each part's uuid and revision */
    std::vector<std::string> values;    /* the distinct values, sorted */
    std::vector<uint32_t> rank;         /* by docid: 0 unset, else index
                                           into values + 1 */
};

} // namespace xsh

namespace {

/* More distinct values than this (a slot of keys unique to each
 * document) and the table would cost more than it saves. */
const size_t MAX_DISTINCT = 1u << 20;

/* The uuid and revision of each of D's databases, or false when one
 * cannot tell its revision (ends_local() is not called for remote
 * ones). */
bool
revisions(const xsh_db &d, std::vector<std::string> &out)
{
    out.clear();
    try {
        for (const Xapian::Database &p : d.subs)
            out.push_back(p.get_uuid() + " " +
                          std::to_string(p.get_revision()));
    } catch (const Xapian::InvalidOperationError &) {
        return false;
    }
    return true;
}

/* Read SLOT's values of DB into R: false (R unusable) when they are too
 * many distinct ones. */
bool
read_ranks(const Xapian::Database &db, Xapian::valueno slot, ValueRanks &r)
{
    std::unordered_map<std::string, uint32_t> ids;
    std::vector<uint32_t> id_of(db.get_lastdocid() + 1, 0);
    r.values.clear();
    for (Xapian::ValueIterator v = db.valuestream_begin(slot);
         v != db.valuestream_end(slot); ++v) {
        auto got = ids.emplace(*v, static_cast<uint32_t>(ids.size() + 1));
        if (got.second && ids.size() > MAX_DISTINCT)
            return false;
        Xapian::docid id = v.get_docid();
        if (id < id_of.size())
            id_of[id] = got.first->second;
    }
    /* Ids in first-seen order to ranks in value order. */
    std::vector<std::pair<std::string, uint32_t>> by_value(ids.begin(),
                                                           ids.end());
    std::sort(by_value.begin(), by_value.end());
    std::vector<uint32_t> rank_of(ids.size() + 1, 0);
    r.values.reserve(by_value.size());
    for (auto &e : by_value) {
        r.values.push_back(e.first);
        rank_of[e.second] = static_cast<uint32_t>(r.values.size());
    }
    for (uint32_t &x : id_of)
        x = rank_of[x];
    r.rank.swap(id_of);
    return true;
}

/* Each match in MATCH, as docid ID, to F. */
template <typename F>
void
each_match(const Bits &match, F f)
{
    for (size_t w = 0; w < match.size(); w++)
        for (uint64_t bits = match[w]; bits; bits &= bits - 1)
            f(static_cast<Xapian::docid>(
                w * 64 + static_cast<unsigned>(__builtin_ctzll(bits))));
}

/* The ends from the table: the lowest and highest rank among MATCH. */
void
ends_by_rank(const ValueRanks &r, const Bits &match, std::string &lo,
             std::string &hi)
{
    uint32_t l = UINT32_MAX, h = 0;
    const size_t n = r.rank.size();
    each_match(match, [&](Xapian::docid id) {
        uint32_t k = id < n ? r.rank[id] : 0;
        if (k) {
            l = std::min(l, k);
            h = std::max(h, k);
        }
    });
    if (h) {
        lo = r.values[l - 1];
        hi = r.values[h - 1];
    }
}

/* The table of D's values in SLOT at its current revisions, read again
 * when they moved; nullptr when there cannot be one.  Under D's lock. */
const ValueRanks *
current_ranks(xsh_db &d, Xapian::valueno slot)
{
    std::vector<std::string> revs;
    if (d.subs.empty() || !revisions(d, revs))
        return nullptr;
    std::unique_ptr<ValueRanks> &r = d.ranks[slot];
    if (r && r->revs == revs)
        return r.get();
    r.reset(new ValueRanks());
    if (!read_ranks(d.db, slot, *r)) {
        r.reset();
        return nullptr;
    }
    r->revs.swap(revs);
    return r.get();
}

/* Over remote databases, which take only Xapian's own machinery: the
 * first match of two runs sorted on SLOT, over the matches that have a
 * value there. */
void
ends_sorted(const Xapian::Database &db, const Xapian::Query &q,
            Xapian::valueno slot, std::string &lo, std::string &hi)
{
    Xapian::Enquire e(db);
    e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q,
                              Xapian::Query(Xapian::Query::OP_VALUE_GE,
                                            slot, std::string())));
    e.set_weighting_scheme(Xapian::BoolWeight());
    for (bool reverse : { false, true }) {
        e.set_sort_by_value(slot, reverse);
        Xapian::MSet m = e.get_mset(0, 1);
        if (m.empty())
            return;
        (reverse ? hi : lo) = m.begin().get_document().get_value(slot);
    }
}

/* Over local databases: the matches as bits along the posting lists
 * (match_bits(): the matcher only for phrases, ranges and the like),
 * then their values from the table; without one (values unique to each
 * document, a revision that cannot be told), the sorted runs. */
void
ends_local(xsh_db &d, const Xapian::Query &q, Xapian::valueno slot,
           std::string &lo, std::string &hi)
{
    std::lock_guard<std::mutex> lock(d.ranks_lock);
    const ValueRanks *r = current_ranks(d, slot);
    if (!r) {
        ends_sorted(d.db, q, slot, lo, hi);
        return;
    }
    Bits match;
    match_bits(d.db, q, d.db.get_lastdocid() / 64 + 1, match);
    ends_by_rank(*r, match, lo, hi);
}

} // namespace

xsh_db::xsh_db() = default;
xsh_db::~xsh_db() = default;

xsh_status_t
xsh_search_value_ends(xsh_search_t *s, xsh_slot_t slot, char **lo,
                      size_t *lo_len, char **hi, size_t *hi_len)
{
    if (lo)
        *lo = nullptr;
    if (hi)
        *hi = nullptr;
    return guard(s, [&] {
        if (!lo || !hi)
            return invalid(s->err, "NULL argument");
        if (slot == XSH_NO_SLOT)
            return invalid(s->err, "no slot");
        Xapian::Query q = filtered_query(s);
        std::string l, h;
        with_reopen(s->db->db, [&] {
            l.clear();
            h.clear();
            if (s->db->remote)
                ends_sorted(s->db->db, q, slot, l, h);
            else
                ends_local(*s->db, q, slot, l, h);
        });
        char *lc = nullptr;
        give_string(l, &lc, lo_len);
        std::unique_ptr<char, decltype(&free)> keep(lc, free);
        give_string(h, hi, hi_len);
        *lo = keep.release();
        return ok(s->err);
    });
}
