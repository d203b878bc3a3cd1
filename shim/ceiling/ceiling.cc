/* ceiling.cc - the bench's ceiling: a minimal Xapian indexing loop
 *
 * `make bench` compares dossier-index with this program: the least a
 * Xapian indexer can do over the same files.  It walks DIR for *.md
 * files (sorted, as dossier-index does), reads each whole, splits off the
 * YAML front matter and takes its title: line, and indexes the title and
 * the body with one Xapian::TermGenerator (english stemmer, STEM_SOME,
 * positions) into a new database, with a unique id term and no data,
 * values or metadata, committing once at the end.  It prints one line,
 * "DOCS BYTES SECONDS".
 *
 * Why it lives under shim/: the project's rule is that only files under
 * shim/ include xapian.h (`make test` greps for it).  It is NOT part of the
 * shim library: the Makefile's SHIM_SRC takes only the .cc files directly
 * in shim/ (its wildcard does not descend into shim/ceiling/), and only
 * the bench target builds this file, into build/bench/ceiling.
 *
 * Usage: ceiling DB DIR
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace fs = std::filesystem;

/* Split TEXT into its front matter's title and the body after it. */
static void
split_front_matter(const std::string &text, std::string &title,
                   std::string &body)
{
    title.clear();
    if (text.compare(0, 4, "---\n") != 0) {
        body = text;
        return;
    }
    size_t end = text.find("\n---\n", 3);
    if (end == std::string::npos) {
        body = text;
        return;
    }
    size_t t = text.find("\ntitle:", 3);
    if (t != std::string::npos && t < end) {
        size_t s = t + 7, e = text.find('\n', s);
        while (s < e && (text[s] == ' ' || text[s] == '"'))
            s++;
        while (e > s && (text[e - 1] == ' ' || text[e - 1] == '"'))
            e--;
        title.assign(text, s, e - s);
    }
    body.assign(text, end + 5, std::string::npos);
}

int
main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: ceiling DB DIR\n");
        return 2;
    }
    auto t0 = std::chrono::steady_clock::now();
    try {
        std::vector<std::string> files;
        for (const auto &e : fs::recursive_directory_iterator(argv[2]))
            if (e.is_regular_file() && e.path().extension() == ".md")
                files.push_back(e.path().string());
        std::sort(files.begin(), files.end());

        Xapian::WritableDatabase db(argv[1], Xapian::DB_CREATE_OR_OVERWRITE);
        Xapian::TermGenerator tg;
        tg.set_stemmer(Xapian::Stem("english"));
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        unsigned long long bytes = 0;
        std::string text, title, body;
        for (const std::string &path : files) {
            std::ifstream in(path, std::ios::binary);
            text.assign(std::istreambuf_iterator<char>(in),
                        std::istreambuf_iterator<char>());
            bytes += text.size();
            split_front_matter(text, title, body);
            Xapian::Document doc;
            tg.set_document(doc);
            tg.index_text(title, 3);
            tg.increase_termpos(100);
            tg.index_text(title, 1, "S");
            tg.increase_termpos(100);
            tg.index_text(body);
            std::string id = "Q" + path;
            if (id.size() > 240)
                id.resize(240);
            doc.add_boolean_term(id);
            db.replace_document(id, doc);
        }
        db.commit();
        db.close();
        double s = std::chrono::duration<double>(
            std::chrono::steady_clock::now() - t0).count();
        std::printf("%zu %llu %.3f\n", files.size(), bytes, s);
        return 0;
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "ceiling: %s\n", e.get_msg().c_str());
    } catch (const std::exception &e) {
        std::fprintf(stderr, "ceiling: %s\n", e.what());
    }
    return 2;
}
