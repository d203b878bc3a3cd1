/* proximity.cc - NEAR/n and ADJ/n with wildcards and fields inside them
 *
 * Owns near_prepare(), near_restore() and near_check() (declared in
 * xsh-private.h).  Xapian's QueryParser reads `a NEAR/n b` and
 * `a ADJ/n b` only between plain words, and Xapian 1.4 matches OP_NEAR
 * and OP_PHRASE over single terms only: `guarant* NEAR/5 secur*` or
 * `title:nato NEAR summit` fail to parse, and the parser silently
 * falls back to reading the operator as a word.  So the operands the
 * parser cannot take (word*, field:word, field:word*) are replaced by
 * placeholder words before parsing, and each NEAR or PHRASE that holds
 * a placeholder is rebuilt afterwards as the OR of one NEAR (PHRASE) per
 * combination of the terms its operands stand for, with the parser's own
 * window.  A query whose operators the parser still could not read is
 * an error, not a silent search for the word "near".  Parses nothing
 * itself, and knows no prefix but those the search was given.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <cstdlib>
#include <cstring>

#include "shim/xsh-private.h"

namespace xsh {

namespace {

const char PLACEHOLDER[] = "xshnearop";

/* Whether TOKEN is NEAR, ADJ, NEAR/n or ADJ/n (n digits). */
bool
is_operator(const std::string &t)
{
    size_t l = t.compare(0, 4, "NEAR") == 0 ? 4 :
               t.compare(0, 3, "ADJ") == 0 ? 3 : 0;
    if (l == 0)
        return false;
    if (t.size() == l)
        return true;
    if (t[l] != '/' || t.size() == l + 1)
        return false;
    for (size_t i = l + 1; i < t.size(); i++) {
        if (t[i] < '0' || t[i] > '9')
            return false;
    }
    return true;
}

/* Letters, digits and any byte of a multi-byte UTF-8 character. */
bool
is_word(const std::string &w)
{
    if (w.empty())
        return false;
    for (unsigned char c : w) {
        if (!(c >= 0x80 || (c >= 'a' && c <= 'z') ||
              (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

std::string
placeholder(size_t k)
{
    /* Letters only, so the parser keeps it one word. */
    std::string p = PLACEHOLDER;
    do {
        p += char('a' + k % 16);
        k /= 16;
    } while (k);
    return p + "x";
}

bool
holds_placeholder(const std::string &term)
{
    return term.find(PLACEHOLDER) != std::string::npos;
}

/* What an operand stands for: the term, or the terms starting with it. */
std::vector<std::string>
operand_terms(const xsh_search &s, const NearOperand &o)
{
    std::vector<std::string> terms;
    std::string base = o.prefix + Xapian::Unicode::tolower(o.word);
    if (!o.wildcard) {
        terms.push_back(base);
        return terms;
    }
    Xapian::Database &db = s.db->db;
    for (Xapian::TermIterator t = db.allterms_begin(base);
         t != db.allterms_end(base); ++t) {
        terms.push_back(*t);
        if (terms.size() > NEAR_MAX_COMBINATIONS)
            break;
    }
    return terms;
}

class Restorer {
  public:
    Restorer(const xsh_search &s_, const NearPrep &p_) : s(s_), p(p_) { }
    Xapian::Query walk(const Xapian::Query &q, bool &changed);
    bool leaked = false;        /* a placeholder the walk could not place */

  private:
    Xapian::Query rebuild(const Xapian::Query &q, bool &changed);
    const xsh_search &s;
    const NearPrep &p;
};

/* A NEAR or PHRASE over leaves, some of them placeholders: the OR of one
 * such node per combination of the terms the operands stand for. */
Xapian::Query
Restorer::rebuild(const Xapian::Query &q, bool &changed)
{
    size_t n = q.get_num_subqueries();
    std::vector<std::vector<std::string>> alts(n);
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        Xapian::Query sub = q.get_subquery(i);
        if (sub.get_type() != Xapian::Query::LEAF_TERM) {
            leaked = true;
            return q;
        }
        std::string t = *sub.get_terms_begin();
        auto it = p.placeholders.find(t);
        if (it == p.placeholders.end()) {
            if (holds_placeholder(t))
                leaked = true;
            alts[i].push_back(t);
            continue;
        }
        any = true;
        alts[i] = operand_terms(s, p.operands[it->second]);
    }
    if (!any)
        return q;
    changed = true;
    size_t combos = 1;
    for (const auto &a : alts) {
        if (a.empty())
            return Xapian::Query::MatchNothing;
        combos *= a.size();
        if (combos > NEAR_MAX_COMBINATIONS) {
            std::string what;
            for (const auto &o : p.operands) {
                if (o.wildcard)
                    what += (what.empty() ? "'" : ", '") + o.text + "'";
            }
            throw Xapian::QueryParserError(
                "NEAR/ADJ: " + what + " match too many words together "
                "(more than " + std::to_string(NEAR_MAX_COMBINATIONS) +
                " combinations); give more letters before the *");
        }
    }
    Xapian::termcount window = window_of(q);
    std::vector<Xapian::Query> out;
    std::vector<size_t> idx(n, 0);
    for (;;) {
        std::vector<Xapian::Query> leaves;
        for (size_t i = 0; i < n; i++)
            leaves.emplace_back(alts[i][idx[i]], 1, Xapian::termpos(i + 1));
        out.emplace_back(q.get_type(), leaves.begin(), leaves.end(), window);
        size_t i = n;
        while (i > 0 && ++idx[i - 1] == alts[i - 1].size())
            idx[--i] = 0;
        if (i == 0)
            break;
    }
    if (out.size() == 1)
        return out[0];
    return Xapian::Query(Xapian::Query::OP_OR, out.begin(), out.end());
}

Xapian::Query
Restorer::walk(const Xapian::Query &q, bool &changed)
{
    Xapian::Query::op op = q.get_type();
    if (op == Xapian::Query::LEAF_TERM) {
        if (holds_placeholder(*q.get_terms_begin()))
            leaked = true;
        return q;
    }
    if (op == Xapian::Query::OP_NEAR || op == Xapian::Query::OP_PHRASE)
        return rebuild(q, changed);
    size_t n = q.get_num_subqueries();
    std::vector<Xapian::Query> subs;
    bool sub_changed = false;
    for (size_t i = 0; i < n; i++)
        subs.push_back(walk(q.get_subquery(i), sub_changed));
    if (!sub_changed)
        return q;
    if (rebuildable(op)) {
        changed = true;
        return Xapian::Query(op, subs.begin(), subs.end());
    }
    /* A node whose parameters cannot be read back. */
    leaked = true;
    return q;
}

/* Whether Q holds the word the parser makes of an operator it could not
 * read ("near", "adj", or their stems). */
bool
has_operator_word(const Xapian::Query &q)
{
    for (Xapian::TermIterator t = q.get_terms_begin();
         t != q.get_terms_end(); ++t) {
        const std::string &w = *t;
        if (w == "near" || w == "adj" || w == "Znear" || w == "Zadj")
            return true;
    }
    return false;
}

} // namespace

/* The window of a NEAR or PHRASE node as the parser set it: Xapian 1.4
 * has no accessor, but writes it in the description, "(a@1 NEAR 11
 * b@2)". */
Xapian::termcount
window_of(const Xapian::Query &q)
{
    std::string d = q.get_description();
    const char *op = q.get_type() == Xapian::Query::OP_NEAR ? " NEAR "
                                                            : " PHRASE ";
    size_t at = d.find(op);
    if (at == std::string::npos)
        return 0;
    return Xapian::termcount(strtoul(d.c_str() + at + strlen(op), nullptr,
                                     10));
}

NearPrep
near_prepare(const xsh_search &s, const std::string &q, bool wildcards)
{
    NearPrep p;
    /* The tokens between white space, outside double quotes. */
    struct Tok {
        size_t begin, end;
        bool quoted;
    };
    std::vector<Tok> toks;
    bool quoted = false;
    for (size_t i = 0; i < q.size();) {
        if (q[i] == ' ' || q[i] == '\t' || q[i] == '\n' || q[i] == '\r') {
            i++;
            continue;
        }
        size_t b = i;
        bool starts_quoted = quoted;
        while (i < q.size() && q[i] != ' ' && q[i] != '\t' && q[i] != '\n'
               && q[i] != '\r') {
            if (q[i] == '"')
                quoted = !quoted;
            i++;
        }
        toks.push_back({ b, i, starts_quoted || quoted ||
                                q.find('"', b) < i });
    }
    std::vector<bool> operand(toks.size(), false);
    for (size_t i = 0; i < toks.size(); i++) {
        std::string t = q.substr(toks[i].begin, toks[i].end - toks[i].begin);
        std::string low = Xapian::Unicode::tolower(t);
        if (!is_operator(t) && (low == "near" || low == "adj"))
            p.user_operator_word = true;
        if (toks[i].quoted || !is_operator(t))
            continue;
        p.has_operator = true;
        if (i > 0)
            operand[i - 1] = true;
        if (i + 1 < toks.size())
            operand[i + 1] = true;
    }
    p.text = q;
    /* Replaced from the end, so that earlier offsets hold. */
    std::vector<std::pair<size_t, size_t>> spans;
    std::vector<std::string> repl;
    for (size_t i = 0; i < toks.size(); i++) {
        if (!operand[i] || toks[i].quoted)
            continue;
        size_t b = toks[i].begin, e = toks[i].end;
        while (b < e && q[b] == '(')
            b++;
        while (e > b && q[e - 1] == ')')
            e--;
        std::string core = q.substr(b, e - b);
        if (is_operator(core))
            continue;
        NearOperand o;
        o.text = core;
        size_t colon = core.find(':');
        if (colon != std::string::npos) {
            auto f = s.prefixes.find(core.substr(0, colon));
            if (f == s.prefixes.end())
                continue;
            o.prefix = f->second;
            core = core.substr(colon + 1);
        }
        if (wildcards && !core.empty() && core.back() == '*') {
            o.wildcard = true;
            core.pop_back();
        }
        if (!is_word(core) || (!o.wildcard && o.prefix.empty()))
            continue;
        o.word = core;
        std::string ph = placeholder(p.operands.size());
        p.placeholders[ph] = p.operands.size();
        p.operands.push_back(o);
        spans.emplace_back(b, e - b);
        repl.push_back(ph);
    }
    for (size_t i = spans.size(); i-- > 0;)
        p.text.replace(spans[i].first, spans[i].second, repl[i]);
    return p;
}

bool
near_restore(const xsh_search &s, const NearPrep &p, Xapian::Query &q)
{
    if (p.operands.empty())
        return true;
    Restorer r(s, p);
    bool changed = false;
    Xapian::Query out = r.walk(q, changed);
    if (r.leaked)
        return false;
    q = out;
    return true;
}

void
near_check(const NearPrep &p, const Xapian::Query &q)
{
    if (p.has_operator && !p.user_operator_word && has_operator_word(q))
        throw Xapian::QueryParserError(
            "NEAR and ADJ take one word on each side (word, word*, "
            "field:word), a distance from 1 (NEAR/5) and one kind of "
            "operator per group");
}

} // namespace xsh
