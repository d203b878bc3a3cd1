/* baseindex.cc - the eval baseline: a minimal Xapian index for quest
 *
 * make eval compares dossier with what a user gets from Xapian alone: this
 * program indexes the same converted files with a plain TermGenerator
 * (English stemmer, Xapian's defaults, no stopwords, title and body as one
 * text) and `quest` searches it with its default BM25.  It is a separate
 * program, not part of the shim library: it lives under shim/ only because
 * the project's rule is that nothing outside shim/ includes xapian.h, and
 * the Makefile builds it for make eval alone (SHIM_SRC takes only the
 * .cc files directly in shim/, so it never enters dossier-index or
 * dossier-search).
 *
 * Usage: eval-baseindex DB < LIST, where LIST holds one path a line of
 * Markdown files with a `title:` line in their front matter.  Each
 * document's data is its file name without directory and `.md`, the id
 * the run files use.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <xapian.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

/* Split a converted file into its front-matter title and its body. */
static void
split_file(const std::string &text, std::string &title, std::string &body)
{
    std::istringstream in(text);
    std::string line;
    bool in_fm = false, done_fm = false;
    std::ostringstream b;

    while (std::getline(in, line)) {
        if (!done_fm && line == "---") {
            if (in_fm)
                done_fm = true;
            in_fm = !in_fm;
            continue;
        }
        if (in_fm) {
            if (line.compare(0, 7, "title: ") == 0) {
                title = line.substr(7);
                /* YAML single quotes: outer pair, '' for '. */
                if (title.size() >= 2 && title.front() == '\'' &&
                    title.back() == '\'')
                    title = title.substr(1, title.size() - 2);
                std::string::size_type p = 0;
                while ((p = title.find("''", p)) != std::string::npos)
                    title.erase(p++, 1);
            }
            continue;
        }
        b << line << '\n';
    }
    body = b.str();
}

int
main(int argc, char **argv)
{
    if (argc != 2) {
        std::cerr << "usage: eval-baseindex DB < LIST\n";
        return 2;
    }
    try {
        Xapian::WritableDatabase db(argv[1], Xapian::DB_CREATE_OR_OVERWRITE);
        Xapian::TermGenerator tg;
        tg.set_stemmer(Xapian::Stem("english"));
        std::string path;
        while (std::getline(std::cin, path)) {
            std::ifstream f(path, std::ios::binary);
            if (!f) {
                std::cerr << "eval-baseindex: " << path << ": cannot read\n";
                return 2;
            }
            std::stringstream ss;
            ss << f.rdbuf();
            std::string title, body;
            split_file(ss.str(), title, body);

            Xapian::Document doc;
            tg.set_document(doc);
            tg.index_text(title);
            tg.increase_termpos();
            tg.index_text(body);
            std::string id = path.substr(path.rfind('/') + 1);
            if (id.size() > 3 && id.compare(id.size() - 3, 3, ".md") == 0)
                id.resize(id.size() - 3);
            doc.set_data(id);
            doc.add_boolean_term("Q" + id);
            db.replace_document("Q" + id, doc);
        }
        db.commit();
    } catch (const Xapian::Error &e) {
        std::cerr << "eval-baseindex: " << e.get_msg() << '\n';
        return 2;
    }
    return 0;
}
