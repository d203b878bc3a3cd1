/* query.cc - building the query: parser, prefixes, ranges, filters
 *
 * Owns xsh_search up to the query it will run: the stemmer and stopwords,
 * field prefixes, value ranges and boolean fields mapped through C
 * callbacks, synonyms (applied by shim/synonym.cc), parsing with the
 * corrected spelling, and the filters ANDed to it.  Running it is
 * shim/enquire.cc's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <cassert>

#include <cmath>

#include "shim/stem.h"
#include "shim/xsh-private.h"

using namespace xsh;

namespace {

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

} // namespace

namespace xsh {

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

} // namespace xsh

xsh_status_t
xsh_search_new(xsh_db_t *db, xsh_search_t **s, char **errmsg)
{
    return guard_open(errmsg, [&](std::string &err, const char *&) {
        if (s)
            *s = nullptr;
        if (!db || !s)
            return invalid(err, "NULL argument");
        std::unique_ptr<xsh_search> n(new xsh_search(db));
        n->qp.set_database(db->db);
        n->qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        n->qp.set_default_op(Xapian::Query::OP_AND);
        ++db->n_searches;
        *s = n.release();
        return XSH_OK;
    });
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
    return guard(s, [&] {
        if (!language)
            return invalid(s->err, "NULL language");
        Xapian::Stem stem = make_stem(language);
        s->qp.set_stemmer(stem);
        s->stem = stem;
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_set_stopwords(xsh_search_t *s, const char *const *words,
                         size_t n)
{
    return guard(s, [&] {
        if (!all_strings(words, n))
            return invalid(s->err, "NULL stopword");
        std::unique_ptr<Xapian::SimpleStopper> st = make_stopper(words, n);
        std::vector<std::string> kept(words, words + n);
        s->qp.set_stopper(st.get());
        s->stopper = std::move(st);
        s->stopwords.swap(kept);
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_add_prefix(xsh_search_t *s, const char *field, const char *prefix)
{
    return guard(s, [&] {
        if (!field || !prefix)
            return invalid(s->err, "NULL argument");
        s->qp.add_prefix(field, prefix);
        s->prefixes[field] = prefix;
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_add_boolean_prefix(xsh_search_t *s, const char *field,
                              const char *prefix)
{
    return guard(s, [&] {
        if (!field || !prefix)
            return invalid(s->err, "NULL argument");
        s->qp.add_boolean_prefix(field, prefix);
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_add_range(xsh_search_t *s, const char *field, xsh_slot_t slot,
                     xsh_range_fn fn, void *ctx)
{
    return guard(s, [&] {
        if (!field || !fn)
            return invalid(s->err, "NULL argument");
        if (field[0] == '\0')
            return invalid(s->err, "empty range field");
        if (slot == Xapian::BAD_VALUENO)
            return invalid(s->err, "bad value slot");
        std::unique_ptr<CallbackRange> rp(
            new CallbackRange(slot, field, fn, ctx));
        s->ranges.reserve(s->ranges.size() + 1);
        s->qp.add_rangeprocessor(rp.get());
        s->ranges.push_back(std::move(rp));
        return ok(s->err);
    });
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

} // namespace

xsh_status_t
xsh_search_add_boolean_field(xsh_search_t *s, const char *field,
                             xsh_field_fn fn, void *ctx)
{
    return guard(s, [&] {
        if (!field || !fn)
            return invalid(s->err, "NULL argument");
        if (field[0] == '\0')
            return invalid(s->err, "empty field name");
        std::unique_ptr<CallbackField> fp(new CallbackField(field, fn, ctx));
        s->fields.reserve(s->fields.size() + 1);
        s->qp.add_boolean_prefix(field, fp.get());
        s->fields.push_back(std::move(fp));
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_add_synonym(xsh_search_t *s, const char *term,
                       const char *synonym)
{
    return guard(s, [&] {
        if (!term || !synonym)
            return invalid(s->err, "NULL argument");
        if (term[0] == '\0' || synonym[0] == '\0')
            return invalid(s->err, "empty synonym");
        std::vector<std::string> t = split_words(term);
        std::vector<std::string> syn = split_words(synonym);
        if (t.empty() || syn.empty())
            return invalid(s->err, "empty synonym");
        s->synonyms.emplace_back(std::move(t), std::move(syn));
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_add_stem(xsh_search_t *s, xsh_stem_t *stem)
{
    return guard(s, [&] {
        if (!stem)
            return invalid(s->err, "NULL stemmer");
        s->cyr_stems.push_back(xsh_stem_xapian(stem));
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_set_word_terms(xsh_search_t *s, xsh_word_fn fn, void *ctx,
                          double weight)
{
    return guard(s, [&] {
        if (fn && !(std::isfinite(weight) && weight > 0 && weight <= 1))
            return invalid(s->err, "weight must be above 0 and at most 1");
        s->word_fn = fn;
        s->word_ctx = ctx;
        s->word_weight = weight;
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_set_spellings(xsh_search_t *s, bool on)
{
    return guard(s, [&] {
        s->spellings = on;
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_set_default_op(xsh_search_t *s, int op)
{
    return guard(s, [&] {
        if (op == XSH_OP_AND)
            s->qp.set_default_op(Xapian::Query::OP_AND);
        else if (op == XSH_OP_OR)
            s->qp.set_default_op(Xapian::Query::OP_OR);
        else
            return invalid(s->err, "bad default operator");
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_parse(xsh_search_t *s, const char *query, int flags)
{
    const int all = XSH_PARSE_WILDCARD | XSH_PARSE_SYNONYMS |
                    XSH_PARSE_SPELLING | XSH_PARSE_PURE_NOT;

    return guard(s, [&] {
        if (!query)
            return invalid(s->err, "NULL query");
        if (flags & ~all)
            return invalid(s->err, "bad parse flags");
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
            s->query = Xapian::Query(std::string());   /* see xsh_search */
            s->snip_set = false;
            s->corrected.clear();
            return ok(s->err);
        }
        auto parse = [&](const std::string &text) {
            try {
                return s->qp.parse_query(text, f);
            } catch (const Xapian::UnimplementedError &) {
                /* Remote shards keep no synonyms or spelling data. */
                if (!(f & db_flags))
                    throw;
                return s->qp.parse_query(text, f & ~db_flags);
            }
        };
        /* NEAR and ADJ over wildcards and fields (shim/proximity.cc). */
        xsh::NearPrep near = xsh::near_prepare(
            *s, q, (flags & XSH_PARSE_WILDCARD) != 0);
        Xapian::Query parsed = with_reopen(s->db->db, [&] {
            Xapian::Query r = parse(near.text);
            if (!xsh::near_restore(*s, near, r))
                r = parse(q);
            return r;
        });
        xsh::near_check(near, parsed);
        s->corrected = (flags & XSH_PARSE_SPELLING) ?
                       s->qp.get_corrected_query_string() : std::string();
        if (!s->synonyms.empty())
            parsed = expand_synonyms(*s, parsed);
        if (s->spellings) {
            Xapian::Query q0 = parsed;
            parsed = with_reopen(s->db->db, [&] {
                return expand_spellings(*s, q0);
            });
        }
        if (!s->cyr_stems.empty() || s->word_fn)
            parsed = expand_scripts(*s, parsed);
        /* Snippets highlight every spelling the query named; the match
         * walks only the lists that can match. */
        s->snip_query = parsed;
        s->snip_set = true;
        if (!s->folds.empty())
            parsed = fold_query(*s, parsed);
        if (!s->db->remote) {
            Xapian::Query q1 = parsed;
            parsed = with_reopen(s->db->db, [&] {
                return prune_absent(*s, q1);
            });
        }
        s->query = parsed;
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_corrected(xsh_search_t *s, char **corrected)
{
    if (corrected)
        *corrected = nullptr;
    return guard(s, [&] {
        if (!corrected)
            return invalid(s->err, "NULL argument");
        *corrected = dup_string(s->corrected);
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_filter_terms(xsh_search_t *s, const char *const *terms, size_t n)
{
    return guard(s, [&] {
        if (n == 0 || !all_strings(terms, n))
            return invalid(s->err, "NULL or empty term group");
        std::vector<Xapian::Query> group;
        group.reserve(n);
        for (size_t i = 0; i < n; i++)
            group.emplace_back(clamp_term(terms[i]));
        s->filters.emplace_back(Xapian::Query::OP_OR, group.begin(),
                                group.end());
        return ok(s->err);
    });
}

xsh_status_t
xsh_search_filter_range(xsh_search_t *s, xsh_slot_t slot, const char *lo,
                        const char *hi)
{
    return guard(s, [&] {
        if (slot == Xapian::BAD_VALUENO)
            return invalid(s->err, "bad value slot");
        s->filters.push_back(value_range(slot, lo, hi));
        return ok(s->err);
    });
}
