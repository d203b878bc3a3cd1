/* document.cc - documents and the term generator
 *
 * Owns xsh_doc (a Xapian::Document and its next term position) and
 * xsh_termgen (a TermGenerator with its stemmer and stopper): the text,
 * boolean terms, values and data of a document before a writable
 * database stores it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "shim/stem.h"
#include "shim/xsh-private.h"

using namespace xsh;

xsh_status_t
xsh_termgen_new(const char *language, xsh_termgen_t **tg, char **errmsg)
{
    return guard_open(errmsg, [&](std::string &err, const char *&) {
        if (tg)
            *tg = nullptr;
        if (!language || !tg)
            return invalid(err, "NULL argument");
        std::unique_ptr<xsh_termgen> t(new xsh_termgen());
        t->stem = make_stem(language);
        t->tg.set_stemmer(t->stem);
        t->cur_stem = t->stem;
        t->tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        t->tg.set_stopper_strategy(Xapian::TermGenerator::STOP_STEMMED);
        *tg = t.release();
        return XSH_OK;
    });
}

void
xsh_termgen_free(xsh_termgen_t *tg)
{
    delete tg;
}

const char *
xsh_termgen_errmsg(const xsh_termgen_t *tg)
{
    return tg ? tg->err.c_str() : "NULL term generator";
}

xsh_status_t
xsh_termgen_set_stem(xsh_termgen_t *tg, xsh_stem_t *stem)
{
    return guard(tg, [&] {
        tg->cur_stem = stem ? xsh_stem_xapian(stem) : tg->stem;
        tg->tg.set_stemmer(tg->cur_stem);
        return ok(tg->err);
    });
}

xsh_status_t
xsh_termgen_set_stopwords(xsh_termgen_t *tg, const char *const *words,
                          size_t n)
{
    return guard(tg, [&] {
        if (!all_strings(words, n))
            return invalid(tg->err, "NULL stopword");
        std::unique_ptr<Xapian::SimpleStopper> st = make_stopper(words, n);
        tg->tg.set_stopper(st.get());
        tg->stopper = std::move(st);
        return ok(tg->err);
    });
}

xsh_status_t
xsh_doc_new(xsh_doc_t **doc, char **errmsg)
{
    return guard_open(errmsg, [&](std::string &err, const char *&) {
        if (!doc)
            return invalid(err, "NULL argument");
        *doc = nullptr;
        *doc = new xsh_doc();
        return XSH_OK;
    });
}

void
xsh_doc_free(xsh_doc_t *doc)
{
    delete doc;
}

const char *
xsh_doc_errmsg(const xsh_doc_t *doc)
{
    return doc ? doc->err.c_str() : "NULL document";
}

xsh_status_t
xsh_termgen_index(xsh_termgen_t *tg, xsh_doc_t *doc, const char *text,
                  size_t len, unsigned weight, const char *prefix,
                  bool with_positions)
{
    return guard(tg, [&] {
        if (!doc || (!text && len > 0) || !prefix)
            return invalid(tg->err, "NULL argument");
        std::string t(text ? text : "", len);
        /* The generator lets go of DOC afterwards: Xapian's reference
         * counts are not atomic, and DOC goes on to the writer thread
         * while this generator's thread builds the next document. */
        struct Release {
            Xapian::TermGenerator &g;
            ~Release() {
                try {
                    g.set_document(Xapian::Document());
                } catch (...) {
                    /* Out of memory: nothing better to do. */
                }
            }
        } release{tg->tg};
        tg->tg.set_document(doc->doc);
        tg->tg.set_termpos(doc->termpos);
        if (with_positions)
            tg->tg.index_text(t, weight, prefix);
        else
            tg->tg.index_text_without_positions(t, weight, prefix);
        doc->termpos = tg->tg.get_termpos();
        add_compound_marks(doc->doc, t, prefix);
        return ok(tg->err);
    });
}

xsh_status_t
xsh_termgen_increase_termpos(xsh_termgen_t *tg, xsh_doc_t *doc,
                             unsigned delta)
{
    return guard(tg, [&] {
        if (!doc)
            return invalid(tg->err, "NULL document");
        if (delta > Xapian::termpos(-1) - doc->termpos)
            return invalid(tg->err, "term position overflow");
        doc->termpos += delta;
        return ok(tg->err);
    });
}

xsh_status_t
xsh_doc_add_boolean_term(xsh_doc_t *doc, const char *term)
{
    return guard(doc, [&] {
        if (!term)
            return invalid(doc->err, "NULL term");
        std::string t = clamp_term(term);
        if (t.empty())
            return invalid(doc->err, "empty term");
        doc->doc.add_boolean_term(t);
        return ok(doc->err);
    });
}

xsh_status_t
xsh_doc_add_term(xsh_doc_t *doc, const char *term, unsigned wdfinc)
{
    return guard(doc, [&] {
        if (!term)
            return invalid(doc->err, "NULL term");
        std::string t = clamp_term(term);
        if (t.empty())
            return invalid(doc->err, "empty term");
        doc->doc.add_term(t, wdfinc);
        return ok(doc->err);
    });
}

xsh_status_t
xsh_doc_add_value(xsh_doc_t *doc, xsh_slot_t slot, const char *data,
                  size_t len)
{
    return guard(doc, [&] {
        if (!data && len > 0)
            return invalid(doc->err, "NULL value");
        if (slot == Xapian::BAD_VALUENO)
            return invalid(doc->err, "bad value slot");
        doc->doc.add_value(slot, std::string(data ? data : "", len));
        return ok(doc->err);
    });
}

xsh_status_t
xsh_doc_set_data(xsh_doc_t *doc, const char *data, size_t len)
{
    return guard(doc, [&] {
        if (!data && len > 0)
            return invalid(doc->err, "NULL data");
        doc->doc.set_data(std::string(data ? data : "", len));
        return ok(doc->err);
    });
}

xsh_status_t
xsh_doc_each_word(const xsh_doc_t *doc, xsh_term_fn fn, void *ctx)
{
    return guard(doc, [&] {
        if (!fn)
            return invalid(doc->err, "NULL callback");
        Xapian::TermIterator t = doc->doc.termlist_begin();
        Xapian::TermIterator end = doc->doc.termlist_end();
        for (; t != end; ++t) {
            std::string term = *t;
            /* Compound marks (add_compound_marks()) are no words to
             * suggest. */
            if (!is_word_term(term) || term.find('-') != std::string::npos)
                continue;
            fn(ctx, term.c_str(), term.size(), t.get_wdf());
        }
        return ok(doc->err);
    });
}
