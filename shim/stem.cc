/* stem.cc - stemmers by document language: Hunspell Ukrainian lemmas and
 * a per-script mix, as Xapian::StemImplementation objects
 *
 * Implements the xsh_stem_* functions of shim/xsh.h and xsh_stem_xapian()
 * of shim/stem.h.  Xapian 1.4 has no Ukrainian stemmer, so UkStem gives
 * Hunspell's uk_UA lemmas (гарантії, гарантіями -> гарантія), with a
 * bounded cache, a capitalised retry for proper nouns the term generator
 * has lowercased, and a suffix-stripping fallback for words the dictionary
 * does not know.  MixedStem routes each word by its script and letters to
 * UkStem, Snowball russian or the Latin stemmer.
 *
 * The dictionary takes 0.2 to 0.9 s and about 40 MB to load, and Hunspell
 * is not safe for concurrent calls: each UkStem holds a loaded instance of
 * its own, taken from a per-process pool and given back when it is freed,
 * so a process loads one per thread stemming at once, and never twice.
 * Each UkStem keeps its own cache without a lock: one handle per thread,
 * as the term generator is.  Nothing here prints, reads config or exits, and no
 * exception leaves an exported function.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <xapian.h>
#include <xapian/unicode.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

#include <hunspell.hxx>

#include "shim/stem.h"
#include "shim/xsh-private.h"

using xsh::fail;
using xsh::give_errmsg;
using xsh::guard;
using xsh::guard_open;
using xsh::invalid;
using xsh::ok;

namespace {

/* Errors: the shim's shared helpers (shim/xsh-private.h), plus one
 * exception of this file's own that carries its status. */

/* An error with its status, thrown inside this file only. */
struct StemError {
    xsh_status_t st;
    std::string msg;
};

/* ------------------------------------------------------------------ */
/* UTF-8 and Cyrillic letters                                          */
/* ------------------------------------------------------------------ */

bool
is_cyrillic(unsigned ch)
{
    return ch >= 0x400 && ch <= 0x52F;
}

std::string
lowercase(const std::string &word)
{
    std::string out;
    out.reserve(word.size());
    for (Xapian::Utf8Iterator it(word); it != Xapian::Utf8Iterator(); ++it)
        Xapian::Unicode::append_utf8(out, Xapian::Unicode::tolower(*it));
    return out;
}

std::string
capitalise(const std::string &word)
{
    Xapian::Utf8Iterator it(word);
    if (it == Xapian::Utf8Iterator())
        return word;
    std::string out;
    Xapian::Unicode::append_utf8(out, Xapian::Unicode::toupper(*it));
    ++it;
    out.append(it.raw(), it.left());
    return out;
}

size_t
n_chars(const std::string &s)
{
    size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

bool
ends_with(const std::string &s, const char *suffix, size_t len)
{
    return s.size() >= len && s.compare(s.size() - len, len, suffix) == 0;
}

/* ------------------------------------------------------------------ */
/* The shared dictionary                                               */
/* ------------------------------------------------------------------ */

/* Loaded dictionaries of one directory not in use by a handle.  Hunspell
 * is not safe for concurrent calls, and a mutex around a shared instance
 * made two threads slower together than one alone (measured: 49k against
 * 67k lookups/s), so each live handle holds an instance of its own (38 MB
 * each); a freed handle gives it back for the next one to reuse, so a
 * process loads as many as it has threads stemming at once, each once. */
struct UkPool {
    std::vector<Hunspell *> idle;
};

std::mutex pools_lock;
std::map<std::string, UkPool> *pools;

/* Throw StemError when the dictionary of DIR cannot be read. */
void
uk_dict_check(const std::string &dir)
{
    std::string aff = dir + "/uk_UA.aff", dic = dir + "/uk_UA.dic";
    for (const std::string *path : { &aff, &dic }) {
        FILE *f = std::fopen(path->c_str(), "r");
        if (!f)
            throw StemError{ XSH_NOT_FOUND, "cannot read Hunspell dictionary '"
                             + *path + "': " + std::strerror(errno) };
        std::fclose(f);
    }
}

Hunspell *
uk_dict_take(const std::string &dir)
{
    {
        std::lock_guard<std::mutex> g(pools_lock);
        if (!pools)
            pools = new std::map<std::string, UkPool>();
        UkPool &p = (*pools)[dir];
        if (!p.idle.empty()) {
            Hunspell *h = p.idle.back();
            p.idle.pop_back();
            return h;
        }
    }
    uk_dict_check(dir);
    std::string aff = dir + "/uk_UA.aff", dic = dir + "/uk_UA.dic";
    /* Loaded outside the lock: another thread's handle need not wait. */
    return new Hunspell(aff.c_str(), dic.c_str());
}

/* Kept until the process exits (the pool's pointers stay reachable, so
 * leak checkers do not count them): a reload costs 0.2 to 0.9 s. */
void
uk_dict_give_back(const std::string &dir, Hunspell *h) noexcept
{
    try {
        std::lock_guard<std::mutex> g(pools_lock);
        (*pools)[dir].idle.push_back(h);
    } catch (...) {
        delete h;
    }
}

/* ------------------------------------------------------------------ */
/* Ukrainian: Hunspell lemmas                                          */
/* ------------------------------------------------------------------ */

/* Endings stripped from a word the dictionary does not know, longest
 * first: noun, adjective and verb inflections.  The stem that is left
 * keeps at least three letters.  Measured on гарантії / гарантіями /
 * гарантія and безпеки / безпекою with the dictionary withheld: both sets
 * merge (гарант, безпек), where returning the word itself merges none, and
 * unknown surnames (Залужного, Залужний -> залужн) merge too.  The
 * results are stems, not lemmas: the Latin skeleton of config/translit.c
 * drops final vowels so that they still meet the Latin spellings. */
const char *const uk_endings[] = {
    "іями", "ями", "ами", "ього", "ому", "ого", "ьому", "ими", "іях",
    "ією", "ові", "еві", "єві", "ють", "ять", "уть", "ать", "ити",
    "ати", "ся", "ях", "ах", "ям", "ам", "ою", "ею", "єю", "ом", "ем",
    "єм", "ів", "їв", "ій", "ий", "их", "ім", "ої", "ії", "ія", "ію",
    "ти", "ть", "ла", "ло", "ли", "я", "а", "о", "е", "є", "у", "ю", "і",
    "ї", "и", "ь", "й",
};

std::string
uk_strip_ending(const std::string &word)
{
    size_t n = n_chars(word);
    for (const char *e : uk_endings) {
        size_t len = std::strlen(e);
        size_t n_e = n_chars(e);
        if (n >= n_e + 3 && ends_with(word, e, len))
            return word.substr(0, word.size() - len);
    }
    return word;
}

/* Of several lemmas: the word itself when it is one (a headword maps to
 * itself, as its other forms do: київ is a form of кий but also the
 * headword Київ, whose other forms give київ); else the shortest, ties by
 * byte order.  Deterministic, independent of the dictionary's order, and
 * the shortest is most often the headword a reader means (війни: війна
 * over війнути; заяви: заява over заявити).  One exception first: an
 * adjective's masculine headword (-ий, -ій) beats a neuter place name
 * made from it (Залужного: Залужний, not the village Залужне), or the
 * surname's forms would split between the two.  And one before all:
 * see is_iv_alternation(). */
bool
is_neuter_twin(const std::string &e, const std::vector<std::string> &all)
{
    static const char *const pairs[][2] = { { "е", "ий" }, { "є", "ій" } };
    for (const auto &p : pairs) {
        size_t len = std::strlen(p[0]);
        if (!ends_with(e, p[0], len))
            continue;
        std::string masc = e.substr(0, e.size() - len) + p[1];
        for (const std::string &s : all) {
            if (s == masc)
                return true;
        }
    }
    return false;
}

/* Does WORD inflect LEMMA by the і/о alternation of place names in -ів,
 * -їв (Харків: Харкова, Харкові; Київ: Києва, Києві; Львів: Львові)?
 * Their oblique forms are also forms of other lemmas (Харко, кий, Кий,
 * Миколай, and Львові listed as a word), which the shortest-lemma rule
 * would pick; the alternation is the better evidence. */
bool
is_iv_alternation(const std::string &lemma, const std::string &word)
{
    static const char iv[] = "ів", yiv[] = "їв";
    size_t len = sizeof iv - 1;     /* both are 4 bytes */
    if (!ends_with(lemma, iv, len) && !ends_with(lemma, yiv, len))
        return false;
    size_t base = lemma.size() - len;
    if (word.compare(0, base, lemma, 0, base) != 0)
        return false;
    for (const char *alt : { "ов", "ев", "єв" }) {
        if (word.compare(base, std::strlen(alt), alt) == 0)
            return true;
    }
    return false;
}

std::string
pick_lemma(const std::vector<std::string> &stems, const std::string &word)
{
    std::vector<std::string> low;
    for (const std::string &s : stems)
        low.push_back(lowercase(s));
    for (const std::string &s : low) {
        if (is_iv_alternation(s, word))
            return s;
    }
    for (const std::string &s : low) {
        if (s == word)
            return word;
    }
    const std::string *best = nullptr;
    for (const std::string &s : low) {
        if (is_neuter_twin(s, low))
            continue;
        if (!best || n_chars(s) < n_chars(*best)
            || (n_chars(s) == n_chars(*best) && s < *best))
            best = &s;
    }
    return best ? *best : low.front();
}

class UkStem : public Xapian::StemImplementation {
  public:
    UkStem(const std::string &dir, size_t cache_max, bool suffix_fallback)
        : dir_(dir), dict_(uk_dict_take(dir)), cache_max_(cache_max),
          suffix_fallback_(suffix_fallback) {}

    ~UkStem() override { uk_dict_give_back(dir_, dict_); }

    std::string operator()(const std::string &word) override
    {
        stats.words++;
        auto it = cache_.find(word);
        if (it != cache_.end()) {
            stats.cache_hits++;
            return it->second;
        }
        std::string lemma = lookup(word);
        /* Clearing when full is O(1) per word, where LRU would cost a
         * list splice per hit; the frequent words come back within a few
         * hundred words. */
        if (cache_.size() >= cache_max_)
            cache_.clear();
        cache_.emplace(word, lemma);
        return lemma;
    }

    std::string get_description() const override
    {
        return "uk:hunspell";
    }

    xsh_stem_stats_t stats = {};

  private:
    std::string lookup(const std::string &word)
    {
        /* The caller lowercases; a lowercased proper noun (україни) is
         * only known capitalised (України -> Україна).  Hunspell looks a
         * capitalised word up as it is and in lowercase, so one call with
         * a capital gives both kinds of lemma (київ: кий, and Київ) for
         * the price of one lookup. */
        std::string cap = capitalise(word);
        std::vector<std::string> stems = dict_stem(cap);
        if (!stems.empty())
            return pick_lemma(stems, word);
        stats.fallbacks++;
        return suffix_fallback_ ? uk_strip_ending(word) : word;
    }

    std::vector<std::string> dict_stem(const std::string &word)
    {
        stats.dict_calls++;
        return dict_->stem(word);
    }

    std::string dir_;
    Hunspell *dict_;        /* this handle's own, from the pool */
    size_t cache_max_;
    bool suffix_fallback_;
    std::unordered_map<std::string, std::string> cache_;
};

/* ------------------------------------------------------------------ */
/* Mixed: each word by its script                                      */
/* ------------------------------------------------------------------ */

enum cyr_lang { CYR_NONE = 0, CYR_UK = 'u', CYR_RU = 'r' };

int
cyrillic_hint(const std::string &word, bool *has_cyrillic)
{
    bool uk = false, ru = false, cyr = false;
    for (Xapian::Utf8Iterator it(word); it != Xapian::Utf8Iterator(); ++it) {
        unsigned ch = Xapian::Unicode::tolower(*it);
        if (is_cyrillic(ch))
            cyr = true;
        switch (ch) {
        case 0x456: case 0x457: case 0x454: case 0x491:    /* і ї є ґ */
            uk = true;
            break;
        case 0x44B: case 0x44D: case 0x44A: case 0x451:    /* ы э ъ ё */
            ru = true;
            break;
        }
    }
    if (has_cyrillic)
        *has_cyrillic = cyr;
    if (uk == ru)
        return CYR_NONE;
    return uk ? CYR_UK : CYR_RU;
}

/* The Ukrainian dictionary is loaded when a word first needs it (a
 * search for a Russian word, an English document quoting one, never
 * load it): its files are only checked when the stemmer is made. */
class MixedStem : public Xapian::StemImplementation {
  public:
    MixedStem(const std::string &dir, size_t cache_max, bool suffix_fallback)
        : ru_("russian"), dir_(dir), cache_max_(cache_max),
          suffix_fallback_(suffix_fallback)
    {
        uk_dict_check(dir);
    }

    std::string operator()(const std::string &word) override
    {
        bool cyr = false;
        int hint = cyrillic_hint(word, &cyr);
        if (!cyr)
            return latin_(word);
        int lang = hint ? hint : cyr_doc_;
        if (lang == CYR_RU)
            return ru_(word);
        if (!uk_impl_) {
            uk_impl_ = new UkStem(dir_, cache_max_, suffix_fallback_);
            uk_ = Xapian::Stem(uk_impl_);
        }
        return uk_(word);
    }

    std::string get_description() const override { return desc_; }

    /* NULL until a word has needed the dictionary. */
    UkStem *uk_impl() const { return uk_impl_; }

    /* The document's language: which Cyrillic language its words without
     * telling letters go by, and the Latin words' stemmer.  The caches
     * stay: one handle serves a thread's documents of every language. */
    void set_doc(int cyr_doc, const Xapian::Stem &latin)
    {
        cyr_doc_ = cyr_doc;
        latin_ = latin;
        desc_ = std::string(cyr_doc == CYR_UK ? "uk" : "ru") + ":"
            + latin.get_description() + "+hunspell_uk+russian";
    }

  private:
    Xapian::Stem latin_, uk_, ru_;
    UkStem *uk_impl_ = nullptr;     /* owned by uk_ */
    std::string dir_;
    size_t cache_max_;
    bool suffix_fallback_;
    int cyr_doc_ = CYR_UK;
    std::string desc_;
};

/* Xapian's Snowball stemmer for LANG (a name or a code), or an empty Stem
 * when Xapian has none. */
Xapian::Stem
snowball(const std::string &lang)
{
    try {
        return Xapian::Stem(lang);
    } catch (const Xapian::InvalidArgumentError &) {
        return Xapian::Stem();
    }
}

bool
looks_like_code(const std::string &lang)
{
    size_t n = 0;
    while (n < lang.size() && lang[n] >= 'a' && lang[n] <= 'z')
        n++;
    return (n == 2 || n == 3) && (n == lang.size() || lang[n] == '-');
}

/* For a document in LANG: its Cyrillic language (*CYR_DOC) and the Latin
 * words' stemmer (*LATIN).  DEF_CYR is the Cyrillic language of documents
 * in other languages, DEF_LATIN the Latin stemmer of documents in uk, ru
 * or an unknown language.  Returns false for a name that is no language
 * (the caller's message says so). */
bool
doc_stemmers(const std::string &l, int def_cyr, const Xapian::Stem &def_latin,
             int *cyr_doc, Xapian::Stem *latin)
{
    if (l == "uk" || l == "ukrainian") {
        *cyr_doc = CYR_UK;
        *latin = def_latin;
    } else if (l == "ru" || l == "russian") {
        *cyr_doc = CYR_RU;
        *latin = def_latin;
    } else {
        *cyr_doc = def_cyr;
        *latin = l.empty() ? def_latin : snowball(l);
        if (latin->is_none()) {
            /* A language Xapian has no stemmer for (pl, be, ...): Latin
             * words as English, as dossier did for every document
             * before languages; a name that is no code is a mistake. */
            if (!looks_like_code(l))
                return false;
            *latin = def_latin;
        }
    }
    return true;
}

} /* namespace */

/* ------------------------------------------------------------------ */
/* The C API                                                           */
/* ------------------------------------------------------------------ */

struct xsh_stem {
    Xapian::Stem stem;
    MixedStem *mixed = nullptr;     /* owned by stem */
    int def_cyr = CYR_UK;
    Xapian::Stem def_latin;
    std::string desc;
    std::string err;
};

int
xsh_stem_cyrillic_hint(const std::string &word)
{
    return cyrillic_hint(word, nullptr);
}

Xapian::Stem
xsh_stem_xapian(const xsh_stem_t *stem)
{
    return stem ? stem->stem : Xapian::Stem();
}

xsh_status_t
xsh_stem_new(const char *lang, const xsh_stem_opts_t *opts,
             xsh_stem_t **stem, char **errmsg)
{
    if (stem)
        *stem = nullptr;
    return guard_open(errmsg, [&](std::string &err, const char *&) {
        if (!lang || !stem)
            return invalid(err, "NULL argument");
        try {
            std::string l(lang), def("uk"), latin_name("english");
            std::string dir("/usr/share/hunspell");
            size_t cache_max = 65536;
            bool suffix_fallback = true;
            if (opts) {
                if (opts->cyrillic)
                    def = opts->cyrillic;
                if (opts->dict_dir)
                    dir = opts->dict_dir;
                if (opts->cache_max)
                    cache_max = opts->cache_max;
                if (opts->latin && *opts->latin)
                    latin_name = opts->latin;
                suffix_fallback = !opts->no_suffix_fallback;
            }
            if (def != "uk" && def != "ru")
                return invalid(err, "unknown Cyrillic language '" + def
                               + "' (expected uk or ru)");

            std::unique_ptr<xsh_stem> h(new xsh_stem());
            if (l == "none") {
                h->stem = Xapian::Stem("none");
                h->desc = "none";
                *stem = h.release();
                return XSH_OK;
            }
            h->def_cyr = def == "ru" ? CYR_RU : CYR_UK;
            h->def_latin = latin_name == "none" ? Xapian::Stem("none")
                                                : snowball(latin_name);
            if (h->def_latin.is_none() && latin_name != "none")
                return invalid(err, "unknown language '" + latin_name + "'");
            int cyr_doc;
            Xapian::Stem latin;
            if (!doc_stemmers(l, h->def_cyr, h->def_latin, &cyr_doc, &latin))
                return invalid(err, "unknown language '" + l + "'");
            MixedStem *mixed = new MixedStem(dir, cache_max,
                                             suffix_fallback);
            mixed->set_doc(cyr_doc, latin);
            h->stem = Xapian::Stem(mixed);
            h->mixed = mixed;
            h->desc = h->stem.get_description();
            *stem = h.release();
            return XSH_OK;
        } catch (const StemError &e) {
            return fail(err, e.st, e.msg);
        }
    });
}

void
xsh_stem_free(xsh_stem_t *stem)
{
    delete stem;
}

const char *
xsh_stem_errmsg(const xsh_stem_t *stem)
{
    return stem ? stem->err.c_str() : "NULL stemmer";
}

xsh_status_t
xsh_stem_set_lang(xsh_stem_t *stem, const char *lang)
{
    return guard(stem, [&] {
        if (!lang)
            return invalid(stem->err, "NULL argument");
        if (!stem->mixed)
            return invalid(stem->err, "a stemmer made for 'none' keeps it");
        std::string l(lang);
        int cyr_doc;
        Xapian::Stem latin;
        if (l == "none" ||
            !doc_stemmers(l, stem->def_cyr, stem->def_latin, &cyr_doc,
                          &latin))
            return invalid(stem->err, "unknown language '" + l + "'");
        stem->mixed->set_doc(cyr_doc, latin);
        stem->desc = stem->stem.get_description();
        return ok(stem->err);
    });
}

xsh_status_t
xsh_stem_word(xsh_stem_t *stem, const char *word, size_t len, char **out)
{
    if (out)
        *out = nullptr;
    return guard(stem, [&] {
        if (!out || (!word && len > 0))
            return invalid(stem->err, "NULL argument");
        /* As the term generator does before it calls a stemmer. */
        std::string w = lowercase(std::string(word ? word : "", len));
        *out = xsh::dup_string(stem->stem(w));
        return ok(stem->err);
    });
}

const char *
xsh_stem_describe(const xsh_stem_t *stem)
{
    return stem ? stem->desc.c_str() : "";
}

xsh_status_t
xsh_stem_stats(const xsh_stem_t *stem, xsh_stem_stats_t *stats)
{
    if (!stem || !stats)
        return XSH_INVALID_ARG;
    if (stem->mixed && stem->mixed->uk_impl())
        *stats = stem->mixed->uk_impl()->stats;
    else
        *stats = xsh_stem_stats_t{};
    return XSH_OK;
}
