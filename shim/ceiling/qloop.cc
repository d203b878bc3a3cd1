/* qloop.cc - the bench's query floor: a bare Xapian query loop
 *
 * `make bench` compares dossier's in-process query latency (bench/qbench.c,
 * top 10 with snippets through searcher/query.c) with this program: the
 * least a Xapian searcher does for the same query mix on the same
 * database.  It opens the database once, and for each unfiltered query of
 * the mix parses it with one
 * Xapian::QueryParser (english stemmer, STEM_SOME, AND as the default
 * operator, the database set for wildcards), runs Enquire for the top 10
 * by BM25 and reads each hit's document data, as quest does.  One warm-up
 * pass, then ROUNDS timed passes, each query timed on its own.
 *
 * It lives under shim/ceiling/ for the same reason as ceiling.cc: only
 * files under shim/ include xapian.h, and this one is not part of the
 * shim library (SHIM_SRC does not descend into shim/ceiling/).
 *
 * Usage: qloop [-r ROUNDS] [-v FILE] DB QUERIES.TSV
 * Prints one line, "bare N P50 P95 P99 MAX" (ms), as qbench does; -v
 * writes each query's fastest time (ms), a tab and the query to FILE.
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

/* The queries of the mix's unfiltered lines (QUERY<TAB>AUTHOR<TAB>SINCE
 * <TAB>UNTIL with the last three empty): the same ones qbench reports as
 * "unfiltered". */
static std::vector<std::string>
read_queries(const char *path)
{
    std::ifstream in(path);
    std::vector<std::string> v;
    std::string line;

    if (!in)
        throw std::runtime_error(std::string(path) + ": cannot open");
    while (std::getline(in, line)) {
        size_t tab = line.find('\t');
        std::string q = line.substr(0, tab);
        bool filtered = tab != std::string::npos &&
            line.find_first_not_of('\t', tab) != std::string::npos;
        if (!q.empty() && !filtered)
            v.push_back(q);
    }
    return v;
}

/* The top 10 for Q, with each hit's data read; returns the bytes read
 * so that the work cannot be optimised away. */
static size_t
run_one(Xapian::Database &db, Xapian::QueryParser &qp, const std::string &q)
{
    unsigned flags = Xapian::QueryParser::FLAG_DEFAULT |
                     Xapian::QueryParser::FLAG_WILDCARD;
    Xapian::Enquire enquire(db);
    enquire.set_query(qp.parse_query(q, flags));
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
    const char *per_query = nullptr;
    int i = 1;

    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (std::strcmp(argv[i], "-r") == 0)
            rounds = static_cast<unsigned>(std::atoi(argv[i + 1]));
        else if (std::strcmp(argv[i], "-v") == 0)
            per_query = argv[i + 1];
        else
            break;
    }
    if (argc - i != 2 || rounds == 0) {
        std::fputs("usage: qloop [-r ROUNDS] [-v FILE] DB QUERIES.TSV\n",
                   stderr);
        return 2;
    }
    try {
        Xapian::Database db(argv[i]);
        std::vector<std::string> queries = read_queries(argv[i + 1]);
        Xapian::QueryParser qp;
        qp.set_stemmer(Xapian::Stem("english"));
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        qp.set_default_op(Xapian::Query::OP_AND);
        qp.set_database(db);

        std::vector<double> ms, best(queries.size(), -1);
        size_t bytes = 0;
        for (const std::string &q : queries)
            bytes += run_one(db, qp, q);            /* warm-up */
        for (unsigned r = 0; r < rounds; r++) {
            for (size_t k = 0; k < queries.size(); k++) {
                auto t0 = std::chrono::steady_clock::now();
                bytes += run_one(db, qp, queries[k]);
                auto t1 = std::chrono::steady_clock::now();
                double dt = std::chrono::duration<double, std::milli>(
                    t1 - t0).count();
                ms.push_back(dt);
                if (best[k] < 0 || dt < best[k])
                    best[k] = dt;
            }
        }
        if (per_query) {
            std::ofstream out(per_query);
            for (size_t k = 0; k < queries.size(); k++)
                out << best[k] << "\t" << queries[k] << "\n";
            if (!out.flush())
                throw std::runtime_error(std::string(per_query) +
                                         ": cannot write");
        }
        if (ms.empty()) {
            std::printf("bare 0 0 0 0 0\n");
            return 0;
        }
        std::sort(ms.begin(), ms.end());
        std::printf("bare %zu %.3f %.3f %.3f %.3f\n", ms.size(),
                    pct(ms, 0.50), pct(ms, 0.95), pct(ms, 0.99), ms.back());
        std::fprintf(stderr, "qloop: %zu bytes of hit data read\n", bytes);
        return 0;
    } catch (const Xapian::Error &e) {
        std::cerr << "qloop: " << e.get_description() << "\n";
    } catch (const std::exception &e) {
        std::cerr << "qloop: " << e.what() << "\n";
    }
    return 2;
}
