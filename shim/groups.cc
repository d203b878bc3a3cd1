/* groups.cc - collapse groups: which documents share a collapse value
 *
 * Owns xsh_wdb_mark_shared(), which records as a term the documents whose
 * value in a slot another document also has, xsh_wdb_commit_stamped(),
 * which dates such a record to the revision it was made at,
 * groups_current() (xsh_db_stamp_current()), which tells a search
 * (shim/enquire.cc) whether the record still holds, and match_bits() with
 * bits_cheaper(), which count a boolean query's matches along its posting
 * lists instead of through the matcher.  Knows nothing of what the slot,
 * the term or the metadata key mean.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <algorithm>
#include <functional>

#include "shim/xsh-private.h"

using namespace xsh;

namespace {

/* The stamp of revision REV of the database with UUID: what
 * xsh_wdb_commit_stamped() writes and groups_current() compares. */
std::string
stamp(const std::string &uuid, Xapian::rev rev)
{
    return uuid + " " + std::to_string(rev);
}

/* Rewrite document DOCID with TERM added or removed. */
void
set_term(xsh_wdb &w, Xapian::docid docid, const std::string &term, bool add)
{
    Xapian::Document doc = w.db.get_document(docid);
    if (add)
        doc.add_boolean_term(term);
    else
        doc.remove_term(term);
    w.db.replace_document(docid, doc);
    note_change(w);
}

/* What the matcher spends on a candidate, in postings read along a
 * posting list (callgrind: some 700-900 instructions per candidate of
 * a boolean-weight pass, 50-80 per posting). */
const double MATCHER_COST = 12;

void
set_bit(Bits &bits, Xapian::docid id)
{
    if ((id >> 6) < bits.size())
        bits[id >> 6] |= uint64_t(1) << (id & 63);
}

/* Sets the bit of each match. */
class BitSpy : public Xapian::MatchSpy {
  public:
    explicit BitSpy(Bits &bits_) : bits(bits_) { }

    void operator()(const Xapian::Document &doc, double) override {
        set_bit(bits, doc.get_docid());
    }

    Bits &bits;
};

} // namespace

namespace xsh {

bool
is_boolean(const Xapian::Query &q)
{
    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::LEAF_MATCH_NOTHING:
    case Xapian::Query::OP_SCALE_WEIGHT:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
        return q.get_type() >= Xapian::Query::LEAF_TERM ||
               q.get_num_subqueries() > 0;
    default:
        return false;
    }
}

/* What counting Q costs, in postings read: along the posting lists
 * (BITS: every posting of every term, and the matcher's work for a
 * phrase or a range) or through the matcher (CAND: the candidates it
 * visits).  Estimates from term frequencies; a range counts as every
 * document. */
static void
cost(const Xapian::Database &db, const Xapian::Query &q, double &bits,
     double &cand)
{
    const double n_docs = db.get_doccount();
    const size_t n = q.get_num_subqueries();

    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
        bits = cand = db.get_termfreq(*q.get_terms_begin());
        return;
    case Xapian::Query::LEAF_MATCH_ALL:
        bits = cand = n_docs;
        return;
    case Xapian::Query::LEAF_MATCH_NOTHING:
        bits = cand = 0;
        return;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
        break;
    default:                            /* ranges, wildcards, the rest */
        bits = n_docs * MATCHER_COST;
        cand = n_docs;
        return;
    }
    bits = cand = 0;
    for (size_t i = 0; i < n; i++) {
        double b, c;
        cost(db, q.get_subquery(i), b, c);
        bits += b;
        switch (q.get_type()) {
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_FILTER:
        case Xapian::Query::OP_PHRASE:
        case Xapian::Query::OP_NEAR:
            cand = i == 0 ? c : std::min(cand, c);
            break;
        case Xapian::Query::OP_AND_NOT:
        case Xapian::Query::OP_AND_MAYBE:
        case Xapian::Query::OP_SCALE_WEIGHT:
            if (i == 0)
                cand = c;
            break;
        default:
            cand = std::min(cand + c, n_docs);
            break;
        }
    }
    if (!is_boolean(q))
        bits = cand * MATCHER_COST;     /* its own pass of the matcher */
}

bool
bits_cheaper(const Xapian::Database &db, const Xapian::Query &q,
             double extra, double cap)
{
    double bits, cand;
    if (!is_boolean(q))
        return false;
    cost(db, q, bits, cand);
    return bits + extra < std::min(cand, cap) * MATCHER_COST;
}

void
match_bits(const Xapian::Database &db, const Xapian::Query &q, size_t words,
           Bits &out)
{
    out.assign(words, 0);
    if (!is_boolean(q)) {
        /* Phrases, ranges, wildcards: the matcher's work, for this part
         * only. */
        BitSpy spy(out);                    /* outlives E */
        Xapian::Enquire e(db);
        e.set_query(q);
        e.set_weighting_scheme(Xapian::BoolWeight());
        e.add_matchspy(&spy);
        e.get_mset(0, 0, db.get_doccount());
        e.clear_matchspies();
        return;
    }
    switch (q.get_type()) {
    case Xapian::Query::LEAF_MATCH_NOTHING:
        return;
    case Xapian::Query::LEAF_TERM:
    case Xapian::Query::LEAF_MATCH_ALL: {
        std::string t;
        if (q.get_type() == Xapian::Query::LEAF_TERM)
            t = *q.get_terms_begin();
        for (Xapian::PostingIterator p = db.postlist_begin(t);
             p != db.postlist_end(t); ++p)
            set_bit(out, *p);
        return;
    }
    case Xapian::Query::OP_SCALE_WEIGHT:
    case Xapian::Query::OP_AND_MAYBE:
        /* AND_MAYBE's other operands only weigh. */
        match_bits(db, q.get_subquery(0), words, out);
        return;
    default:
        break;
    }
    match_bits(db, q.get_subquery(0), words, out);
    Bits b;
    for (size_t i = 1; i < q.get_num_subqueries(); i++) {
        match_bits(db, q.get_subquery(i), words, b);
        for (size_t w = 0; w < words; w++) {
            switch (q.get_type()) {
            case Xapian::Query::OP_AND:
            case Xapian::Query::OP_FILTER:
                out[w] &= b[w];
                break;
            case Xapian::Query::OP_AND_NOT:
                out[w] &= ~b[w];
                break;
            case Xapian::Query::OP_XOR:
                out[w] ^= b[w];
                break;
            default:                        /* OR, SYNONYM, MAX */
                out[w] |= b[w];
                break;
            }
        }
    }
}

bool
groups_current(const Xapian::Database &db, bool remote,
               const std::string &key)
{
    if (key.empty() || remote || db.size() != 1)
        return false;
    try {
        std::string recorded = db.get_metadata(key);
        return !recorded.empty() &&
               recorded == stamp(db.get_uuid(), db.get_revision());
    } catch (const Xapian::UnimplementedError &) {
        return false;           /* a backend without revisions */
    } catch (const Xapian::InvalidOperationError &) {
        return false;
    }
}

} // namespace xsh

xsh_status_t
xsh_db_stamp_current(xsh_db_t *db, const char *key, bool *current)
{
    if (current)
        *current = false;
    return guard(db, [&] {
        if (!key || !*key || !current)
            return invalid(db->err, "NULL or empty argument");
        *current = with_reopen(db->db, [&] {
            return groups_current(db->db, db->remote, key);
        });
        return ok(db->err);
    });
}

xsh_status_t
xsh_wdb_mark_shared(xsh_wdb_t *wdb, xsh_slot_t slot, const char *term,
                    unsigned *n_changed)
{
    if (n_changed)
        *n_changed = 0;
    return guard(wdb, [&] {
        if (!term || !*term)
            return invalid(wdb->err, "NULL or empty term");
        if (slot == Xapian::BAD_VALUENO)
            return invalid(wdb->err, "bad value slot");
        Xapian::WritableDatabase &db = wdb->db;

        /* The value stream holds only non-empty values.  A hash and the
         * document for each, sorted: equal values end up side by side
         * (and so do the rare different values of equal hash, which are
         * then marked too: harmless, see xsh.h). */
        std::vector<std::pair<size_t, Xapian::docid>> keys;
        keys.reserve(db.get_doccount());
        std::hash<std::string> hash;
        for (Xapian::ValueIterator v = db.valuestream_begin(slot);
             v != db.valuestream_end(slot); ++v)
            keys.emplace_back(hash(*v), v.get_docid());
        std::sort(keys.begin(), keys.end());
        std::vector<Xapian::docid> shared;
        for (size_t i = 0; i < keys.size(); ) {
            size_t j = i + 1;
            while (j < keys.size() && keys[j].first == keys[i].first)
                ++j;
            if (j - i > 1)
                for (size_t k = i; k < j; k++)
                    shared.push_back(keys[k].second);
            i = j;
        }
        keys.clear();
        keys.shrink_to_fit();
        std::sort(shared.begin(), shared.end());

        /* Who has the term now; copied, since the loop below rewrites
         * documents. */
        std::vector<Xapian::docid> marked;
        std::string t(term);
        for (Xapian::PostingIterator p = db.postlist_begin(t);
             p != db.postlist_end(t); ++p)
            marked.push_back(*p);

        unsigned n = 0;
        size_t i = 0, j = 0;
        while (i < shared.size() || j < marked.size()) {
            if (j == marked.size() ||
                (i < shared.size() && shared[i] < marked[j])) {
                set_term(*wdb, shared[i++], t, true);
            } else if (i == shared.size() || marked[j] < shared[i]) {
                set_term(*wdb, marked[j++], t, false);
            } else {
                ++i;
                ++j;
                continue;
            }
            ++n;
        }
        if (n_changed)
            *n_changed = n;
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_commit_stamped(xsh_wdb_t *wdb, const char *key, bool renew)
{
    return guard(wdb, [&] {
        if (!key || !*key)
            return invalid(wdb->err, "NULL or empty key");
        Xapian::WritableDatabase &db = wdb->db;
        const std::string uuid = db.get_uuid();
        const Xapian::rev rev = db.get_revision();
        if (!renew && db.get_metadata(key) != stamp(uuid, rev))
            return xsh_wdb_commit(wdb);
        flush_spelling(*wdb);
        /* A commit makes the next revision; should it ever make another,
         * the stamp names none and is merely stale. */
        db.set_metadata(key, stamp(uuid, rev + 1));
        db.commit();
        if (db.get_revision() != rev + 1) {
            db.set_metadata(key, std::string());
            db.commit();
        }
        return ok(wdb->err);
    });
}
