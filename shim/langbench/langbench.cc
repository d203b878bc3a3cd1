/* langbench.cc - speeds of the language stemmers and skeleton collisions
 *
 * A measuring program for issue 13, not part of the shim library (it lives
 * in a subfolder that SHIM_SRC does not reach, like shim/ceiling/): it
 * includes Xapian to time the term generator with the stemmers of
 * shim/stem.cc the way the indexer will use them.
 *
 *   langbench stem UK.txt EN.txt       words/s and docs/s, one line a doc
 *   langbench threads UK.txt           one vs two threads on one dictionary
 *   langbench collide DIC [WORDS]      skeleton collisions over a word list
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "shim/stem.h"
#include "shim/xsh.h"
extern "C" {
#include "config/translit.h"
}

namespace {

double
now()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

long
rss_kb()
{
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line)) {
        if (line.compare(0, 6, "VmRSS:") == 0)
            return std::atol(line.c_str() + 6);
    }
    return -1;
}

std::vector<std::string>
read_lines(const char *path)
{
    std::ifstream f(path);
    std::vector<std::string> out;
    std::string line;
    while (std::getline(f, line))
        out.push_back(line);
    return out;
}

/* Words as the term generator would see them, lowercased. */
std::vector<std::string>
words_of(const std::vector<std::string> &docs)
{
    std::vector<std::string> out;
    for (const std::string &d : docs) {
        std::string w;
        for (Xapian::Utf8Iterator it(d); ; ++it) {
            bool end = it == Xapian::Utf8Iterator();
            if (!end && Xapian::Unicode::is_wordchar(*it)) {
                Xapian::Unicode::append_utf8(w, Xapian::Unicode::tolower(*it));
                continue;
            }
            if (!w.empty())
                out.push_back(w);
            w.clear();
            if (end)
                break;
        }
    }
    return out;
}

xsh_stem_t *
make(const char *lang, size_t cache_max)
{
    xsh_stem_opts_t o = {};
    o.cache_max = cache_max;
    xsh_stem_t *s = nullptr;
    char *err = nullptr;
    if (xsh_stem_new(lang, &o, &s, &err) != XSH_OK) {
        std::fprintf(stderr, "langbench: %s\n", err ? err : "?");
        std::exit(2);
    }
    return s;
}

double
stem_rate(Xapian::Stem st, const std::vector<std::string> &words)
{
    size_t sum = 0;
    double t0 = now();
    for (const std::string &w : words)
        sum += st(w).size();
    double dt = now() - t0;
    if (sum == 0)
        std::fprintf(stderr, "no output\n");
    return words.size() / dt;
}

double
termgen_rate(Xapian::Stem st, const std::vector<std::string> &docs)
{
    Xapian::TermGenerator tg;
    tg.set_stemmer(st);
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    double t0 = now();
    for (const std::string &d : docs) {
        Xapian::Document doc;
        tg.set_document(doc);
        tg.index_text(d);
    }
    return docs.size() / (now() - t0);
}

int
cmd_stem(const char *uk_path, const char *en_path)
{
    std::vector<std::string> uk_docs = read_lines(uk_path);
    std::vector<std::string> en_docs = read_lines(en_path);
    std::vector<std::string> uk = words_of(uk_docs), en = words_of(en_docs);
    std::set<std::string> distinct(uk.begin(), uk.end());

    long kb0 = rss_kb();
    double t0 = now();
    xsh_stem_t *s_uk = make("uk", 0);
    double load = now() - t0;
    long kb1 = rss_kb();
    xsh_stem_t *s_cold = make("uk", 1);
    xsh_stem_t *s_en = make("en", 0);

    std::printf("dictionary load %.2f s, RSS +%ld MB\n", load,
                (kb1 - kb0) / 1024);
    std::printf("uk words %zu (%zu distinct), en words %zu\n", uk.size(),
                distinct.size(), en.size());
    Xapian::Stem english("english");
    double r_en = stem_rate(english, en);
    double r_uk_cold = stem_rate(xsh_stem_xapian(s_cold), uk);
    /* A fresh handle: its cache fills during the run, as in indexing. */
    double r_uk = stem_rate(xsh_stem_xapian(s_uk), uk);
    xsh_stem_stats_t ss;
    xsh_stem_stats(s_uk, &ss);
    std::printf("stem words/s: english %.0f, uk cached %.0f (hits %.1f%%, "
                "%.2f dictionary calls a miss), uk uncached %.0f\n", r_en,
                r_uk, 100.0 * ss.cache_hits / ss.words,
                (double)ss.dict_calls / (ss.words - ss.cache_hits), r_uk_cold);
    std::printf("ratio uk cached / english %.2f, uncached %.3f\n",
                r_uk / r_en, r_uk_cold / r_en);
    /* The term generator, with a new handle: its cache starts empty. */
    xsh_stem_t *s_uk2 = make("uk", 0);
    double d_en = termgen_rate(english, en_docs);
    double d_uk = termgen_rate(xsh_stem_xapian(s_uk2), uk_docs);
    xsh_stem_free(s_uk2);
    double d_uk_en = termgen_rate(english, uk_docs);
    double w_en = d_en * en.size() / en_docs.size();
    double w_uk = d_uk * uk.size() / uk_docs.size();
    double w_uk_en = d_uk_en * uk.size() / uk_docs.size();
    std::printf("index_text words/s: english docs %.0f, uk docs with uk "
                "stemmer %.0f (%.2fx), uk docs with english stemmer %.0f\n",
                w_en, w_uk, w_uk / w_en, w_uk_en);
    xsh_stem_free(s_uk);
    xsh_stem_free(s_cold);
    xsh_stem_free(s_en);
    return 0;
}

int
cmd_threads(const char *uk_path)
{
    std::vector<std::string> uk = words_of(read_lines(uk_path));
    xsh_stem_free(make("uk", 0));   /* load once, outside the timing */
    for (int n_threads : { 1, 2 }) {
        for (size_t cache : { (size_t)1, (size_t)0 }) {
            std::vector<xsh_stem_t *> h;
            for (int i = 0; i < n_threads; i++)
                h.push_back(make("uk", cache));
            double t0 = now();
            std::vector<std::thread> th;
            for (int i = 0; i < n_threads; i++)
                th.emplace_back([&, i] { stem_rate(xsh_stem_xapian(h[i]), uk); });
            for (auto &t : th)
                t.join();
            double dt = now() - t0;
            std::printf("%d thread(s), cache %s: %.0f words/s in all\n",
                        n_threads, cache == 1 ? "off" : "on",
                        n_threads * uk.size() / dt);
            for (xsh_stem_t *s : h)
                xsh_stem_free(s);
        }
    }
    return 0;
}

int
cmd_collide(const char *dic, const char *en_path)
{
    char err[256];
    translit_t *t = translit_new(err, sizeof err);
    if (!t) {
        std::fprintf(stderr, "langbench: %s\n", err);
        return 2;
    }
    for (unsigned flags : { 0u, (unsigned)TRANSLIT_FOLD_KEEP_ENDING }) {
        std::ifstream f(dic);
        std::string line;
        std::getline(f, line);      /* the count */
        std::unordered_map<std::string, std::set<std::string>> by_skel;
        std::set<std::string> words;
        while (std::getline(f, line)) {
            std::string w = line.substr(0, line.find('/'));
            if (w.empty())
                continue;
            /* Lowercase: Київ and київ are one word for a skeleton. */
            std::string low;
            for (Xapian::Utf8Iterator it(w); it != Xapian::Utf8Iterator(); ++it)
                Xapian::Unicode::append_utf8(low,
                                             Xapian::Unicode::tolower(*it));
            if (!words.insert(low).second)
                continue;
            char lat[1100], sk[1100];
            if (translit_latin(t, low.data(), low.size(), lat, sizeof lat) < 0)
                continue;
            translit_fold(lat, flags, sk, sizeof sk);
            by_skel[sk].insert(low);
        }
        size_t shared = 0, groups = 0, biggest = 0;
        std::string big;
        for (auto &kv : by_skel) {
            if (kv.second.size() > 1) {
                shared += kv.second.size();
                groups++;
                if (kv.second.size() > biggest) {
                    biggest = kv.second.size();
                    big = kv.first;
                }
            }
        }
        std::printf("%s: %zu distinct words, %zu skeletons; %zu words "
                    "(%.1f%%) share theirs with another word, in %zu groups; "
                    "largest %zu ('%s')\n",
                    flags ? "final vowels kept" : "final vowels dropped",
                    words.size(), by_skel.size(), shared,
                    100.0 * shared / words.size(), groups, biggest,
                    big.c_str());
        if (en_path) {
            std::ifstream e(en_path);
            std::set<std::string> en_sk;
            std::string ew;
            while (e >> ew) {
                char sk[1100];
                if (translit_fold(ew.c_str(), flags, sk, sizeof sk) > 0)
                    en_sk.insert(sk);
            }
            size_t hit = 0;
            for (auto &kv : by_skel) {
                if (en_sk.count(kv.first))
                    hit += kv.second.size();
            }
            std::printf("  %zu Ukrainian words (%.1f%%) share a skeleton with "
                        "one of %zu English words\n", hit,
                        100.0 * hit / words.size(), en_sk.size());
        }
    }
    translit_free(t);
    return 0;
}

} /* namespace */

int
main(int argc, char **argv)
{
    if (argc == 4 && std::strcmp(argv[1], "stem") == 0)
        return cmd_stem(argv[2], argv[3]);
    if (argc == 3 && std::strcmp(argv[1], "threads") == 0)
        return cmd_threads(argv[2]);
    if ((argc == 3 || argc == 4) && std::strcmp(argv[1], "collide") == 0)
        return cmd_collide(argv[2], argc == 4 ? argv[3] : nullptr);
    std::fprintf(stderr, "usage: langbench stem UK.txt EN.txt | threads "
                 "UK.txt | collide DIC [WORDS]\n");
    return 2;
}
