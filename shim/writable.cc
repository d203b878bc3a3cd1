/* writable.cc - the writable database, merging and compacting
 *
 * Owns xsh_wdb: opening for writing, replacing and deleting documents by
 * their unique term (their data packed when the database holds a packing
 * dictionary, shim/packdata.cc), metadata, values, synonyms and the
 * spelling table (summed here and flushed before Xapian could commit, see
 * struct xsh_wdb),
 * and xsh_merge()/xsh_compact(), which write a new database from others.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <algorithm>
#include <cstdlib>

#include "shim/xsh-private.h"

using namespace xsh;

namespace xsh {

/* Hand the summed spelling increments to Xapian (see struct xsh_wdb). */
void
flush_spelling(xsh_wdb &w)
{
    for (auto it = w.spelling.begin(); it != w.spelling.end();) {
        w.db.add_spelling(it->first, it->second);
        it = w.spelling.erase(it);
    }
    w.changes = 0;
}

/* Count one change; flush the spelling sums before Xapian could commit
 * by itself. */
void
note_change(xsh_wdb &w)
{
    if (++w.changes >= w.flush_every)
        flush_spelling(w);
}

} // namespace xsh

xsh_status_t
xsh_wdb_open(const char *path, int mode, xsh_wdb_t **wdb, char **errmsg)
{
    return guard_open(errmsg, [&](std::string &err, const char *&) {
        if (wdb)
            *wdb = nullptr;
        if (!path || !wdb)
            return invalid(err, "NULL argument");
        int action;
        switch (mode & ~XSH_WDB_NO_SYNC) {
        case XSH_WDB_CREATE_OR_OPEN:
            action = Xapian::DB_CREATE_OR_OPEN;
            break;
        case XSH_WDB_CREATE:
            action = Xapian::DB_CREATE;
            break;
        case XSH_WDB_OPEN:
            action = Xapian::DB_OPEN;
            break;
        default:
            return invalid(err, "bad open mode");
        }
        if (mode & XSH_WDB_NO_SYNC)
            action |= Xapian::DB_NO_SYNC;
        std::unique_ptr<xsh_wdb> w(new xsh_wdb());
        w->db = Xapian::WritableDatabase(path, action);
        /* Xapian's own automatic commit interval (glass reads the same
         * variable; 0 or unset means 10,000). */
        const char *ft = std::getenv("XAPIAN_FLUSH_THRESHOLD");
        unsigned long threshold = ft ? std::strtoul(ft, nullptr, 10) : 0;
        if (threshold == 0)
            threshold = 10000;
        w->flush_every = threshold / 2 > 0 ? unsigned(
            std::min(threshold / 2, 1000000ul)) : 1;
        /* A packed database (xsh_pack_data()) stays packed. */
        w->pack = pack_dict_load(w->db);
        *wdb = w.release();
        return XSH_OK;
    });
}

void
xsh_wdb_close(xsh_wdb_t *wdb)
{
    if (!wdb)
        return;
    try {
        flush_spelling(*wdb);
        wdb->db.commit();
        wdb->db.close();
    } catch (...) {
        /* Documented: errors on the final commit are lost. */
    }
    delete wdb;
}

const char *
xsh_wdb_errmsg(const xsh_wdb_t *wdb)
{
    return wdb ? wdb->err.c_str() : "NULL database";
}

xsh_status_t
xsh_wdb_replace(xsh_wdb_t *wdb, const char *unique_term,
                const xsh_doc_t *doc, xsh_docid_t *docid)
{
    if (docid)
        *docid = 0;
    return guard(wdb, [&] {
        if (!unique_term || !doc)
            return invalid(wdb->err, "NULL argument");
        std::string term = clamp_term(unique_term);
        if (term.empty())
            return invalid(wdb->err, "empty unique term");
        /* Documents are shared handles: this adds the term to DOC. */
        Xapian::Document d = doc->doc;
        Xapian::TermIterator t = d.termlist_begin();
        t.skip_to(term);
        if (t == d.termlist_end() || *t != term)
            d.add_boolean_term(term);
        note_change(*wdb);
        Xapian::docid id;
        std::string raw, packed;
        if (wdb->pack && pack_data(*wdb->pack, raw = d.get_data(), packed)) {
            /* Packed for the database only: DOC keeps its data. */
            d.set_data(packed);
            try {
                id = wdb->db.replace_document(term, d);
            } catch (...) {
                d.set_data(raw);
                throw;
            }
            d.set_data(raw);
        } else {
            id = wdb->db.replace_document(term, d);
        }
        if (docid)
            *docid = id;
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_delete(xsh_wdb_t *wdb, const char *unique_term)
{
    return guard(wdb, [&] {
        if (!unique_term)
            return invalid(wdb->err, "NULL unique term");
        std::string term = clamp_term(unique_term);
        if (term.empty())
            return invalid(wdb->err, "empty unique term");
        note_change(*wdb);
        wdb->db.delete_document(term);
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_delete_docid(xsh_wdb_t *wdb, xsh_docid_t docid)
{
    return guard(wdb, [&] {
        if (docid == 0)
            return invalid(wdb->err, "bad document id");
        note_change(*wdb);
        wdb->db.delete_document(docid);
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_commit(xsh_wdb_t *wdb)
{
    return guard(wdb, [&] {
        flush_spelling(*wdb);
        wdb->db.commit();
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_doccount(xsh_wdb_t *wdb, unsigned *count)
{
    return guard(wdb, [&] {
        if (!count)
            return invalid(wdb->err, "NULL argument");
        *count = wdb->db.get_doccount();
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_set_metadata(xsh_wdb_t *wdb, const char *key, const char *value,
                     size_t len)
{
    return guard(wdb, [&] {
        if (!key || (!value && len > 0))
            return invalid(wdb->err, "NULL argument");
        wdb->db.set_metadata(key, std::string(value ? value : "", len));
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_get_metadata(xsh_wdb_t *wdb, const char *key, char **value,
                     size_t *len)
{
    if (value)
        *value = nullptr;
    return guard(wdb, [&] {
        if (!key || !value)
            return invalid(wdb->err, "NULL argument");
        give_string(wdb->db.get_metadata(key), value, len);
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_get_value(xsh_wdb_t *wdb, const char *unique_term, xsh_slot_t slot,
                  char **value, size_t *len)
{
    if (value)
        *value = nullptr;
    return guard(wdb, [&] {
        if (!unique_term || !value)
            return invalid(wdb->err, "NULL argument");
        if (slot == Xapian::BAD_VALUENO)
            return invalid(wdb->err, "bad value slot");
        std::string term = clamp_term(unique_term);
        Xapian::PostingIterator p = wdb->db.postlist_begin(term);
        if (term.empty() || p == wdb->db.postlist_end(term)) {
            return fail(wdb->err, XSH_NOT_FOUND,
                        "no document has term '" + term + "'");
        }
        give_string(wdb->db.get_document(*p).get_value(slot), value, len);
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_each_posting(xsh_wdb_t *wdb, const char *term, xsh_posting_fn fn,
                     void *ctx)
{
    return guard(wdb, [&] {
        if (!term || !fn)
            return invalid(wdb->err, "NULL argument");
        std::string t = clamp_term(term);
        Xapian::PostingIterator p = wdb->db.postlist_begin(t);
        Xapian::PostingIterator end = wdb->db.postlist_end(t);
        for (; p != end; ++p)
            if (!fn(ctx, *p))
                break;
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_get_doc_value(xsh_wdb_t *wdb, xsh_docid_t docid, xsh_slot_t slot,
                      char **value, size_t *len)
{
    if (value)
        *value = nullptr;
    return guard(wdb, [&] {
        if (!value)
            return invalid(wdb->err, "NULL argument");
        if (slot == Xapian::BAD_VALUENO || docid == 0)
            return invalid(wdb->err, "bad value slot or document id");
        give_string(wdb->db.get_document(docid).get_value(slot), value, len);
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_set_doc_value(xsh_wdb_t *wdb, xsh_docid_t docid, xsh_slot_t slot,
                      const char *value, size_t len)
{
    return guard(wdb, [&] {
        if (!value && len)
            return invalid(wdb->err, "NULL value");
        if (slot == Xapian::BAD_VALUENO || docid == 0)
            return invalid(wdb->err, "bad value slot or document id");
        Xapian::Document doc = wdb->db.get_document(docid);
        doc.add_value(slot, std::string(value ? value : "", len));
        wdb->db.replace_document(docid, doc);
        note_change(*wdb);
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_each_term(xsh_wdb_t *wdb, const char *prefix, xsh_each_term_fn fn,
                  void *ctx)
{
    return guard(wdb, [&] {
        if (!prefix || !fn)
            return invalid(wdb->err, "NULL argument");
        each_term(wdb->db.allterms_begin(prefix),
                  wdb->db.allterms_end(prefix), fn, ctx);
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_add_synonym(xsh_wdb_t *wdb, const char *term, const char *synonym)
{
    return guard(wdb, [&] {
        if (!term || !synonym)
            return invalid(wdb->err, "NULL argument");
        wdb->db.add_synonym(term, synonym);
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_clear_synonyms(xsh_wdb_t *wdb, const char *term)
{
    return guard(wdb, [&] {
        if (!term)
            return invalid(wdb->err, "NULL term");
        wdb->db.clear_synonyms(term);
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_add_spelling(xsh_wdb_t *wdb, const char *word, unsigned freqinc)
{
    return guard(wdb, [&] {
        if (!word)
            return invalid(wdb->err, "NULL word");
        if (freqinc)
            wdb->spelling[word] += freqinc;
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_wdb_spelling_from_terms(xsh_wdb_t *wdb)
{
    return guard(wdb, [&] {
        Xapian::TermIterator t = wdb->db.allterms_begin();
        Xapian::TermIterator end = wdb->db.allterms_end();
        for (; t != end; ++t) {
            std::string term = *t;
            /* As xsh_doc_each_word(): prefixes and Z stems are skipped. */
            if (!is_word_term(term))
                continue;
            Xapian::termcount cf = wdb->db.get_collection_freq(term);
            if (cf)
                wdb->spelling[term] += cf;
        }
        flush_spelling(*wdb);
        return ok(wdb->err);
    });
}

xsh_status_t
xsh_merge(const char *const *srcs, size_t n, const char *dst,
          char **errmsg)
{
    return guard_open(errmsg, [&](std::string &err, const char *&where) {
        if (!srcs || n == 0 || !all_strings(srcs, n) || !dst)
            return invalid(err, "NULL or empty argument");
        Xapian::Database db;
        for (size_t i = 0; i < n; i++) {
            where = srcs[i];
            db.add_database(Xapian::Database(srcs[i]));
        }
        Xapian::rev replaced = Xapian::Database(srcs[0]).get_revision();
        where = dst;
        db.compact(dst, Xapian::DBCOMPACT_MULTIPASS |
                        Xapian::Compactor::FULL);
        /* The copy usually takes SRCS[0]'s place.  A reader of that one
         * notices the swap through the revision number (see
         * with_reopen()): reopen() does nothing while the number it
         * reads is the one it has, so never let the copy (always
         * revision 1) have the same number. */
        Xapian::WritableDatabase out(dst, Xapian::DB_OPEN);
        if (out.get_revision() == replaced) {
            out.set_metadata("dossier.replaced_revision",
                             std::to_string(replaced));
            out.commit();
        }
        return XSH_OK;
    });
}

xsh_status_t
xsh_compact(const char *src, const char *dst, char **errmsg)
{
    return xsh_merge(&src, 1, dst, errmsg);
}
