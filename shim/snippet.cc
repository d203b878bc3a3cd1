/* snippet.cc - snippets of a result's text with the query's words marked
 *
 * Owns xsh_results_snippet(): the window of a long text worth showing,
 * the words in it that match the query (stemmed only where they begin
 * like a query term), the stretch with the most of them, and the
 * caller's markers put in.  Wildcard queries ask MSet::snippet() instead,
 * whose HTML escaping is undone here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>

#include "shim/xsh-private.h"

using namespace xsh;

namespace xsh {

/* The words a snippet highlights: the query's unprefixed terms as
 * written (phrases, quoted words) and its "Z" stems. */
struct SnipTerms {
    std::set<std::string> raw, stems;
    /* Prefixes a word must begin with to be worth stemming: each term,
     * and each stem of 4 or more bytes without its last byte (stems end
     * in "i" for words ending in "y", and the like). */
    std::vector<std::string> begins;

    /* For snippet_window(): every term without its prefix (upper-case
     * letters), stems of 4 or more bytes ending in "i" without it, those
     * of 2 or more bytes. */
    std::vector<std::string> window;
    /* Whether the query holds a wildcard (has_pattern()). */
    bool pattern = false;

    explicit SnipTerms(const Xapian::Query &query) {
        for (Xapian::TermIterator t = query.get_unique_terms_begin();
             t != query.get_unique_terms_end(); ++t) {
            const std::string &term = *t;
            if (term.empty())
                continue;
            size_t k = 0;
            while (k < term.size() && term[k] >= 'A' && term[k] <= 'Z')
                k++;
            std::string w = term.substr(k);
            if (w.size() >= 4 && w.back() == 'i')
                w.pop_back();
            if (w.size() >= 2)
                window.push_back(w);
            if (term[0] == 'Z' && term.size() > 1 &&
                !(term[1] >= 'A' && term[1] <= 'Z')) {
                std::string st = term.substr(1);
                stems.insert(st);
                begins.push_back(st.size() >= 4 ? st.substr(0, st.size() - 1)
                                                : st);
            } else if (!(term[0] >= 'A' && term[0] <= 'Z')) {
                raw.insert(term);
                begins.push_back(term);
            }
        }
    }
};

} // namespace xsh

namespace {

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

/* S with the sentinels turned into the caller's markers. */
std::string
replace_marks(const std::string &s, const std::string &hi_start,
              const std::string &hi_end, const std::string &omit)
{
    std::string out;
    out.reserve(s.size() + 16);
    for (char c : s) {
        if (c == MARK_START)
            out += hi_start;
        else if (c == MARK_END)
            out += hi_end;
        else if (c == MARK_OMIT)
            out += omit;
        else
            out += c;
    }
    return out;
}


/* Texts longer than this many times the snippet's length are cut to a
 * window of that size before MSet::snippet() (snippet_window()). */
const size_t SNIPPET_WINDOW = 3;

bool
is_word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

/* A snippet is picked from a window of a long TEXT, so that finding the
 * best stretch stays cheap for 128 KB bodies: the part of WIDTH bytes
 * holding the most occurrences of the query's terms (prefixes dropped; a
 * stem matches the words it begins, and a stem ending in "i" also the
 * words that begin with the rest, as "polici" matches "policy"; ASCII
 * case ignored), widened to word boundaries.  A text that holds none of
 * the terms (a document found through its title) has nothing to
 * highlight anywhere, so it is cut to its opening.  A query with no plain
 * terms (only wildcards) leaves the whole text.  Sets [FROM, TO). */
void
snippet_window(const std::vector<std::string> &terms, const char *text,
               size_t len, size_t width, size_t &from, size_t &to)
{
    if (terms.empty())
        return;
    /* Each term's first letter in either case through memchr(), then
     * the rest of the term at word starts, ASCII case ignored. */
    std::vector<size_t> hits;
    for (const std::string &term : terms) {
        char c0 = term[0];
        char cases[2] = { c0, c0 >= 'a' && c0 <= 'z'
                              ? static_cast<char>(c0 - 32) : c0 };
        for (int k = 0; k < (cases[1] != c0 ? 2 : 1); k++) {
            const char *p = text, *end = text + len;
            while ((p = static_cast<const char *>(
                        std::memchr(p, cases[k], end - p)))) {
                size_t at = p - text;
                p++;
                if ((at > 0 && is_word_byte(static_cast<unsigned char>(
                                   text[at - 1]))) ||
                    term.size() > len - at)
                    continue;
                size_t j = 1;
                while (j < term.size()) {
                    unsigned char t = static_cast<unsigned char>(
                        text[at + j]);
                    if (t >= 'A' && t <= 'Z')
                        t = static_cast<unsigned char>(t + 32);
                    if (t != static_cast<unsigned char>(term[j]))
                        break;
                    j++;
                }
                if (j == term.size())
                    hits.push_back(at);
            }
        }
    }
    size_t lo = 0, hi = width < len ? width : len;
    if (!hits.empty()) {
        std::sort(hits.begin(), hits.end());
        hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
        /* The span of WIDTH bytes starting at a hit that covers most
         * hits. */
        size_t best = 0, best_n = 0;
        for (size_t i = 0, j = 0; i < hits.size(); i++) {
            while (j < hits.size() && hits[j] < hits[i] + width)
                j++;
            if (j - i > best_n) {
                best_n = j - i;
                best = i;
            }
        }
        size_t first = hits[best], last = hits[best + best_n - 1];
        /* Centre the window on the hits it covers, within the text. */
        size_t mid = first + (last - first) / 2;
        lo = mid > width / 2 ? mid - width / 2 : 0;
        hi = lo + width < len ? lo + width : len;
        if (hi - lo < width)
            lo = hi > width ? hi - width : 0;
    }
    while (lo > 0 && is_word_byte(static_cast<unsigned char>(text[lo - 1])))
        lo--;
    while (hi < len && is_word_byte(static_cast<unsigned char>(text[hi])))
        hi++;
    from = lo;
    to = hi;
}

/* Whether Q holds a pattern (a wildcard) whose terms are found only at
 * match time: its words cannot be recognised from the query's terms. */
bool
has_pattern(const Xapian::Query &q)
{
    if (q.get_type() == Xapian::Query::OP_WILDCARD)
        return true;
    for (size_t i = 0, n = q.get_num_subqueries(); i < n; i++)
        if (has_pattern(q.get_subquery(i)))
            return true;
    return false;
}

/* One word of TEXT at [START, END) that matches the query. */
struct SnipMatch {
    size_t start, end;
    std::string term;
};

/* The words of TEXT that match the query's terms: each word (a run of
 * Unicode word characters, as the term generator splits them),
 * lower-cased, matches when it equals an unprefixed term or when its
 * stem equals a stemmed one.  Only words that begin like a term are
 * stemmed, so a snippet costs a scan of the text, not a stemmer call
 * per word. */
std::vector<SnipMatch>
snippet_matches(const SnipTerms &terms, const Xapian::Stem &stem,
                const std::string &text)
{
    std::vector<SnipMatch> out;
    std::string word;
    size_t n = text.size(), i = 0;
    unsigned cp = 0;
    /* The character at I (ASCII without decoding): its length. */
    auto next = [&](size_t at) -> size_t {
        unsigned char c = static_cast<unsigned char>(text[at]);
        if (c < 0x80) {
            cp = c;
            return 1;
        }
        Xapian::Utf8Iterator it(text.data() + at, n - at);
        cp = *it;
        ++it;
        return it == Xapian::Utf8Iterator() ? n - at
                                            : it.raw() - (text.data() + at);
    };
    auto is_word = [](unsigned c) {
        if (c < 0x80)
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (c >= '0' && c <= '9') || c == '_';
        return Xapian::Unicode::is_wordchar(c);
    };
    while (i < n) {
        size_t clen = next(i);
        if (!is_word(cp)) {
            i += clen;
            continue;
        }
        size_t start = i;
        word.clear();
        while (i < n) {
            clen = next(i);
            if (!is_word(cp))
                break;
            if (cp < 0x80)
                word += static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + 32
                                                                 : cp);
            else
                Xapian::Unicode::append_utf8(word,
                                             Xapian::Unicode::tolower(cp));
            i += clen;
        }
        size_t stop = i;
        bool begins = false;
        for (const std::string &b : terms.begins) {
            if (word[0] == b[0] && word.compare(0, b.size(), b) == 0) {
                begins = true;
                break;
            }
        }
        if (!begins)
            continue;
        if (terms.raw.count(word)) {
            out.push_back({ start, stop, word });
            continue;
        }
        if (terms.stems.empty() || stem.is_none())
            continue;
        std::string st = stem(word);
        if (terms.stems.count(st))
            out.push_back({ start, stop, st });
    }
    return out;
}

/* A snippet of about LENGTH bytes of TEXT: the stretch that holds the
 * most distinct matched terms (then the most matches), starting a few
 * words before its first match, or at the start of the text when that is
 * near; the opening of the text when nothing matches.  Cut at word ends,
 * matches between MARK_START and MARK_END, MARK_OMIT where text is left
 * out; runs of white space holding a line break become one space. */
std::string
make_snippet(const std::string &text, const std::vector<SnipMatch> &m,
             size_t length)
{
    size_t best = 0, best_terms = 0, best_n = 0;
    for (size_t i = 0; i < m.size(); i++) {
        std::set<std::string> seen;
        size_t j = i;
        for (; j < m.size() && m[j].end <= m[i].start + length; j++)
            seen.insert(m[j].term);
        if (seen.size() > best_terms ||
            (seen.size() == best_terms && j - i > best_n)) {
            best = i;
            best_terms = seen.size();
            best_n = j - i;
        }
    }
    /* A little of what leads up to the first match, from a word start;
     * more when the text ends before the snippet is full. */
    size_t first = m.empty() ? 0 : m[best].start;
    size_t last = best_n ? m[best + best_n - 1].end : first;
    size_t lead = std::min(length / 5, length - (last - first));
    if (first + length - lead > text.size())
        lead = length - (text.size() - first);
    size_t from = first > lead ? first - lead : 0;
    if (from <= length / 4)
        from = 0;
    while (from > 0 && from < first &&
           !std::isspace(static_cast<unsigned char>(text[from - 1])))
        from++;
    size_t to = from + length;
    if (to >= text.size()) {
        to = text.size();
    } else {
        /* Back to the end of a word; a single word longer than LENGTH
         * is cut where it is. */
        size_t t = to;
        while (t > from && !std::isspace(static_cast<unsigned char>(
                               text[t])))
            t--;
        if (t > from)
            to = t;
    }
    while (to > from && std::isspace(static_cast<unsigned char>(
                            text[to - 1])))
        to--;

    std::string out;
    out.reserve(to - from + 16);
    if (from > 0)
        out += MARK_OMIT;
    size_t k = m.empty() ? 0 : best;
    for (size_t i = from; i < to; ) {
        while (k < m.size() && m[k].start < i)
            k++;
        if (k < m.size() && m[k].start == i && m[k].end <= to) {
            out += MARK_START;
            out.append(text, i, m[k].end - i);
            out += MARK_END;
            i = m[k].end;
            continue;
        }
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (std::isspace(c)) {
            size_t j = i;
            bool line = false;
            while (j < to && std::isspace(static_cast<unsigned char>(
                                 text[j]))) {
                line = line || text[j] == '\n' || text[j] == '\r';
                j++;
            }
            if (line)
                out += ' ';
            else
                out.append(text, i, j - i);
            i = j;
            continue;
        }
        out += static_cast<char>(c);
        i++;
    }
    if (to < text.size())
        out += MARK_OMIT;
    return out;
}

} // namespace

xsh_status_t
xsh_results_snippet(xsh_results_t *r, const char *text, size_t len,
                    size_t length, const char *hi_start, const char *hi_end,
                    const char *omit, char **snippet)
{
    if (snippet)
        *snippet = nullptr;
    return guard(r, [&] {
        if ((!text && len > 0) || !hi_start || !hi_end || !omit || !snippet)
            return invalid(r->err, "NULL argument");
        if (!r->snip) {
            /* Before folding: "Kiev" is a word of the query too. */
            const Xapian::Query &q = r->s->snip_set ? r->s->snip_query
                                                  : r->s->query;
            r->snip = std::make_shared<SnipTerms>(q);
            r->snip->pattern = has_pattern(q);
        }
        const SnipTerms &terms = *r->snip;
        size_t from = 0, to = len;
        size_t width = SNIPPET_WINDOW * length;
        if (len > width)
            snippet_window(terms.window, text, len, width, from, to);
        std::string t(text + from, to - from);
        for (char &c : t) {
            if (c == MARK_START || c == MARK_END || c == MARK_OMIT)
                c = ' ';
        }
        std::string raw;
        if (!terms.pattern) {
            /* The shim's own snippet: MSet::snippet() stems every word
             * of the text (and with its background model reads each
             * one's frequency from the index), which was most of a
             * search's time; here only words that begin like a query
             * term are stemmed. */
            raw = make_snippet(t, snippet_matches(terms, r->stem, t),
                               length);
        } else {
            /* Wildcards: Xapian knows which words they matched.  No
             * background model, not exhaustive: the text is already cut
             * to a window.  It reads the query's term statistics, so a
             * writer committing meanwhile can discard the revision being
             * read: reopen and try again like every other read. */
            raw = with_reopen(r->s->db->db, [&] {
                return r->mset.snippet(
                    t, length, r->stem, 0,
                    std::string(1, MARK_START), std::string(1, MARK_END),
                    std::string(1, MARK_OMIT));
            });
            raw = unescape_snippet(raw, std::string(1, MARK_START),
                                   std::string(1, MARK_END),
                                   std::string(1, MARK_OMIT));
        }
        /* Text cut off by the window is text the snippet omits. */
        if (from > 0 && (raw.empty() || raw[0] != MARK_OMIT))
            raw.insert(raw.begin(), MARK_OMIT);
        if (to < len && (raw.empty() || raw.back() != MARK_OMIT))
            raw.push_back(MARK_OMIT);
        *snippet = dup_string(replace_marks(raw, hi_start, hi_end, omit));
        return ok(r->err);
    });
}
