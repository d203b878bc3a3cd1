/* qloop.cc - the bench's query floor: a bare Xapian query loop
 *
 * `make bench` compares dossier's in-process query latency (bench/qbench.c,
 * top 10 with snippets through searcher/query.c) with this program: the
 * least a Xapian searcher does for the same query mix on the same
 * database.  It opens the database once, and for each query of
 * the mix parses it with one
 * Xapian::QueryParser (english stemmer, STEM_SOME, AND as the default
 * operator, the database set for wildcards), runs Enquire for the top 10
 * by BM25 and reads each hit's document data, as quest does.  A filtered
 * line is filtered as dossier filters it (the author's term, a range on
 * the date slot; the author key is dossier's own normaliser,
 * config/author.c, the only dossier code linked in).  One warm-up
 * pass, then ROUNDS timed passes, each query timed on its own.
 *
 * It lives under shim/ceiling/ for the same reason as ceiling.cc: only
 * files under shim/ include xapian.h, and this one is not part of the
 * shim library (SHIM_SRC does not descend into shim/ceiling/).
 *
 * With -s 1 the parser also expands words and runs of words with the
 * synonyms the database holds (FLAG_AUTO_SYNONYMS and
 * FLAG_AUTO_MULTIWORD_SYNONYMS: dossier-index writes the config's
 * groups there), which is most of what dossier's own expansion does to
 * words (not inside phrases): a floor that does the same work for
 * "kiev" as dossier, to tell the synonyms' cost from dossier's own.
 *
 * Usage: qloop [-r ROUNDS] [-s 1] [-v FILE] [-t FILE] DB QUERIES.TSV
 * Prints two lines, "bare N P50 P95 P99 MAX" (ms) for the unfiltered
 * lines and "bare-filtered ..." for the others, as qbench does; -v
 * writes each line's fastest time (ms), a tab and the line to FILE; -t
 * appends every timed run to FILE as 0 (unfiltered) or 1 (filtered), a
 * tab and the time (ms), as qbench -t does, so that runs of both taken
 * in turns can be pooled (bench/run.sh).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

extern "C" {
#include "config/author.h"
}

/* A line of the mix: QUERY<TAB>AUTHOR<TAB>SINCE<TAB>UNTIL. */
struct Line {
    std::string query, author, since, until;
    bool filtered() const {
        return !author.empty() || !since.empty() || !until.empty();
    }
};

/* The lines of the mix that have a query or a filter. */
static std::vector<Line>
read_lines(const char *path)
{
    std::ifstream in(path);
    std::vector<Line> v;
    std::string line;

    if (!in)
        throw std::runtime_error(std::string(path) + ": cannot open");
    while (std::getline(in, line)) {
        Line l;
        std::string *f[4] = { &l.query, &l.author, &l.since, &l.until };
        size_t start = 0;
        for (int k = 0; k < 4; k++) {
            size_t tab = line.find('\t', start);
            *f[k] = line.substr(start, tab == std::string::npos
                                           ? std::string::npos
                                           : tab - start);
            if (tab == std::string::npos)
                break;
            start = tab + 1;
        }
        if (!l.query.empty() || l.filtered())
            v.push_back(l);
    }
    return v;
}

/* The author filter term of a surname as dossier's indexer writes it
 * ("A" and the name lower-cased with its accents folded:
 * config/author.c), for the mix's surnames. */
static std::string
author_term(const std::string &name)
{
    char *key = author_key(name.c_str());
    if (!key)
        throw std::bad_alloc();
    std::string t = std::string("A") + key;
    std::free(key);
    return t;
}

/* A --since or --until of the mix (YYYY or YYYY-MM) as a bound on the
 * date slot ("YYYYMMDD"): the first day, or with END the last (as bytes,
 * day 31 is past every month's last). */
static std::string
date_bound(const std::string &d, bool end)
{
    std::string k = d.substr(0, 4);
    k += d.size() >= 7 ? d.substr(5, 2) : (end ? "12" : "01");
    k += end ? "31" : "01";
    return k;
}

/* QUERY filtered as dossier filters it: the author's term, and the
 * dates as a range on slot 0 (the date slot of config/schema.h). */
static Xapian::Query
filtered(const Xapian::Query &query, const Line &l)
{
    std::vector<Xapian::Query> f;
    if (!l.author.empty())
        f.emplace_back(author_term(l.author));
    if (!l.since.empty() && !l.until.empty())
        f.emplace_back(Xapian::Query::OP_VALUE_RANGE, 0,
                       date_bound(l.since, false), date_bound(l.until, true));
    else if (!l.since.empty())
        f.emplace_back(Xapian::Query::OP_VALUE_GE, 0,
                       date_bound(l.since, false));
    else if (!l.until.empty())
        f.emplace_back(Xapian::Query::OP_VALUE_LE, 0,
                       date_bound(l.until, true));
    return Xapian::Query(Xapian::Query::OP_FILTER, query,
                         Xapian::Query(Xapian::Query::OP_AND, f.begin(),
                                       f.end()));
}

/* The top 10 for line L (an empty query with filters lists every
 * document that passes them), with each hit's data read; returns the
 * bytes read so that the work cannot be optimised away. */
static bool synonyms = false;

static size_t
run_one(Xapian::Database &db, Xapian::QueryParser &qp, const Line &l)
{
    unsigned flags = Xapian::QueryParser::FLAG_DEFAULT |
                     Xapian::QueryParser::FLAG_WILDCARD;
    if (synonyms)
        flags |= Xapian::QueryParser::FLAG_AUTO_SYNONYMS |
                 Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS;
    Xapian::Enquire enquire(db);
    Xapian::Query q = l.query.empty() ? Xapian::Query(std::string())
                                      : qp.parse_query(l.query, flags);
    enquire.set_query(l.filtered() ? filtered(q, l) : q);
    Xapian::MSet mset = enquire.get_mset(0, 10);
    size_t bytes = 0;
    for (Xapian::MSetIterator m = mset.begin(); m != mset.end(); ++m)
        bytes += m.get_document().get_data().size();
    return bytes;
}

static double
pct(const std::vector<double> &v, double p)
{
    return v[static_cast<size_t>(static_cast<double>(v.size() - 1) * p +
                                 0.5)];
}

int
main(int argc, char **argv)
{
    unsigned rounds = 3;
    const char *per_query = nullptr, *times = nullptr;
    int i = 1;

    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (std::strcmp(argv[i], "-r") == 0)
            rounds = static_cast<unsigned>(std::atoi(argv[i + 1]));
        else if (std::strcmp(argv[i], "-v") == 0)
            per_query = argv[i + 1];
        else if (std::strcmp(argv[i], "-t") == 0)
            times = argv[i + 1];
        else if (std::strcmp(argv[i], "-s") == 0)
            synonyms = std::atoi(argv[i + 1]) != 0;
        else
            break;
    }
    if (argc - i != 2 || rounds == 0) {
        std::fputs("usage: qloop [-r ROUNDS] [-s 1] [-v FILE] [-t FILE] DB "
                   "QUERIES.TSV\n", stderr);
        return 2;
    }
    try {
        Xapian::Database db(argv[i]);
        std::vector<Line> lines = read_lines(argv[i + 1]);
        Xapian::QueryParser qp;
        qp.set_stemmer(Xapian::Stem("english"));
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        qp.set_default_op(Xapian::Query::OP_AND);
        qp.set_database(db);

        std::vector<double> ms[2], best(lines.size(), -1);
        size_t bytes = 0;
        for (const Line &l : lines)
            bytes += run_one(db, qp, l);            /* warm-up */
        for (unsigned r = 0; r < rounds; r++) {
            for (size_t k = 0; k < lines.size(); k++) {
                auto t0 = std::chrono::steady_clock::now();
                bytes += run_one(db, qp, lines[k]);
                auto t1 = std::chrono::steady_clock::now();
                double dt = std::chrono::duration<double, std::milli>(
                    t1 - t0).count();
                ms[lines[k].filtered()].push_back(dt);
                if (best[k] < 0 || dt < best[k])
                    best[k] = dt;
            }
        }
        if (per_query) {
            std::ofstream out(per_query);
            for (size_t k = 0; k < lines.size(); k++)
                out << best[k] << "\t" << lines[k].query << "\t"
                    << lines[k].author << "\t" << lines[k].since << "\t"
                    << lines[k].until << "\n";
            if (!out.flush())
                throw std::runtime_error(std::string(per_query) +
                                         ": cannot write");
        }
        if (times) {
            std::ofstream out(times, std::ios::app);
            for (int f = 0; f < 2; f++)
                for (double t : ms[f])
                    out << f << "\t" << t << "\n";
            if (!out.flush())
                throw std::runtime_error(std::string(times) +
                                         ": cannot write");
        }
        const char *names[2] = { "bare", "bare-filtered" };
        for (int f = 0; f < 2; f++) {
            std::vector<double> &v = ms[f];
            if (v.empty()) {
                std::printf("%s 0 0 0 0 0\n", names[f]);
                continue;
            }
            std::sort(v.begin(), v.end());
            std::printf("%s %zu %.3f %.3f %.3f %.3f\n", names[f], v.size(),
                        pct(v, 0.50), pct(v, 0.95), pct(v, 0.99), v.back());
        }
        std::fprintf(stderr, "qloop: %zu bytes of hit data read\n", bytes);
        return 0;
    } catch (const Xapian::Error &e) {
        std::cerr << "qloop: " << e.get_description() << "\n";
    } catch (const std::exception &e) {
        std::cerr << "qloop: " << e.what() << "\n";
    }
    return 2;
}
