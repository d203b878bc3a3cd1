/* util.cc - small helpers the shim's files share
 *
 * Copies handed out to C, terms cut to Xapian's limit, stemmers and
 * stoppers from C arguments, and the walk over a database's terms that
 * the writable and read-only handles share.  Nothing here catches: the
 * callers run inside guard().
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <cstring>
#include <new>

#include "shim/xsh-private.h"

using namespace xsh;

namespace xsh {

/* A malloc'd, NUL-terminated copy of S; throws std::bad_alloc. */
char *
dup_string(const std::string &s)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

/* Hand S out through VALUE and LEN (may be NULL). */
void
give_string(const std::string &s, char **value, size_t *len)
{
    *value = dup_string(s);
    if (len)
        *len = s.size();
}

/* TERM cut to Xapian's limit without splitting a UTF-8 sequence. */
std::string
clamp_term(const char *term)
{
    std::string t(term);
    if (t.size() > MAX_TERM_LEN) {
        size_t cut = MAX_TERM_LEN;
        while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xc0) == 0x80)
            --cut;
        t.resize(cut);
    }
    return t;
}

Xapian::Stem
make_stem(const char *language)
{
    if (language[0] == '\0' || strcmp(language, "none") == 0)
        return Xapian::Stem();
    return Xapian::Stem(language);
}

std::unique_ptr<Xapian::SimpleStopper>
make_stopper(const char *const *words, size_t n)
{
    if (n == 0)
        return nullptr;
    std::unique_ptr<Xapian::SimpleStopper> st(new Xapian::SimpleStopper());
    for (size_t i = 0; i < n; i++)
        st->add(words[i]);
    return st;
}

bool
all_strings(const char *const *v, size_t n)
{
    if (n > 0 && !v)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!v[i])
            return false;
    }
    return true;
}

bool
is_word_term(const std::string &term)
{
    unsigned char c = term.empty() ? 0 : term[0];
    return !(c == 0 || (c >= 'A' && c <= 'Z'));
}

void
each_term(Xapian::TermIterator t, const Xapian::TermIterator &end,
          xsh_each_term_fn fn, void *ctx)
{
    for (; t != end; ++t) {
        std::string term = *t;
        if (!fn(ctx, term.c_str(), term.size(), t.get_termfreq()))
            break;
    }
}

} // namespace xsh
