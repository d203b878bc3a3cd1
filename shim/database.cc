/* database.cc - the read-only database
 *
 * Owns xsh_db: opening local paths, stub files and tcp:// remotes as one
 * database (trying again when an indexer swaps the database in meanwhile),
 * reopening, and the reads on it.  Reads whose callers have seen nothing
 * yet retry through with_reopen() when the database moves on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <cassert>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sys/stat.h>

#include "shim/xsh-private.h"

using namespace xsh;

namespace {

/* What identifies the revision of the glass database at PATH: its
 * version file's inode, size and change time ("" if there is none). */
std::string
version_stamp(const std::string &path)
{
    struct stat st;
    if (stat((path + "/iamglass").c_str(), &st) != 0)
        return std::string();
    char buf[96];
    snprintf(buf, sizeof buf, "%ju:%ju:%jd:%jd.%09ld", (uintmax_t)st.st_dev,
             (uintmax_t)st.st_ino, (intmax_t)st.st_size,
             (intmax_t)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
    return buf;
}

/* Open the local database at PATH.  An indexer may replace the database
 * while it is being opened (the compacted copy of a full build takes the
 * old one's place): when opening fails and the version file changed
 * meanwhile, try again. */
Xapian::Database
open_local(const std::string &path)
{
    for (unsigned attempt = 1; ; ++attempt) {
        std::string before = version_stamp(path);
        try {
            return Xapian::Database(path);
        } catch (const Xapian::DatabaseError &) {
            if (attempt >= MAX_ATTEMPTS || version_stamp(path) == before)
                throw;
        }
    }
}

/* Open one entry of xsh_db_open(): "tcp://HOST:PORT" or a path (database
 * directory or stub file, which Xapian detects itself). */
Xapian::Database
open_one(const std::string &path, unsigned timeout_ms)
{
    static const std::string tcp = "tcp://";

    if (path.compare(0, tcp.size(), tcp) != 0)
        return open_local(path);

    std::string hostport = path.substr(tcp.size());
    size_t colon = hostport.rfind(':');
    if (colon == std::string::npos || colon == 0 ||
        colon + 1 == hostport.size())
        throw Xapian::InvalidArgumentError("expected tcp://HOST:PORT");
    std::string host = hostport.substr(0, colon);
    std::string port_str = hostport.substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (port_str.find_first_not_of("0123456789") != std::string::npos ||
        port_str.size() > 5)
        throw Xapian::InvalidArgumentError("bad port '" + port_str + "'");
    unsigned long port = strtoul(port_str.c_str(), nullptr, 10);
    if (port == 0 || port > 65535)
        throw Xapian::InvalidArgumentError("bad port '" + port_str + "'");
    unsigned t = timeout_ms ? timeout_ms : 10000;
    return Xapian::Remote::open(host, static_cast<unsigned>(port), t, t);
}

} // namespace

xsh_status_t
xsh_db_open(const char *const *paths, size_t n, unsigned timeout_ms,
            xsh_db_t **db, char **errmsg)
{
    return guard_open(errmsg, [&](std::string &err, const char *&where) {
        if (db)
            *db = nullptr;
        if (!paths || n == 0 || !all_strings(paths, n) || !db)
            return invalid(err, "NULL or empty argument");
        std::unique_ptr<xsh_db> d(new xsh_db());
        for (size_t i = 0; i < n; i++) {
            where = paths[i];
            d->db.add_database(open_one(paths[i], timeout_ms));
        }
        *db = d.release();
        return XSH_OK;
    });
}

void
xsh_db_close(xsh_db_t *db)
{
    if (!db)
        return;
    assert(db->n_searches == 0 && "searches must be freed before the db");
    try {
        db->db.close();
    } catch (...) {
        /* Nothing to report: a reader has nothing to save. */
    }
    delete db;
}

const char *
xsh_db_errmsg(const xsh_db_t *db)
{
    return db ? db->err.c_str() : "NULL database";
}

xsh_status_t
xsh_db_reopen(xsh_db_t *db, bool *changed)
{
    if (changed)
        *changed = false;
    return guard(db, [&] {
        bool c = db->db.reopen();
        if (changed)
            *changed = c;
        return ok(db->err);
    });
}

xsh_status_t
xsh_db_doccount(xsh_db_t *db, unsigned *count)
{
    return guard(db, [&] {
        if (!count)
            return invalid(db->err, "NULL argument");
        *count = with_reopen(db->db, [&] { return db->db.get_doccount(); });
        return ok(db->err);
    });
}

xsh_status_t
xsh_db_termfreq(xsh_db_t *db, const char *term, unsigned *freq)
{
    return guard(db, [&] {
        if (!term || !freq)
            return invalid(db->err, "NULL argument");
        std::string t(term);
        *freq = with_reopen(db->db, [&] { return db->db.get_termfreq(t); });
        return ok(db->err);
    });
}

xsh_status_t
xsh_db_get_metadata(xsh_db_t *db, const char *key, char **value,
                    size_t *len)
{
    if (value)
        *value = nullptr;
    return guard(db, [&] {
        if (!key || !value)
            return invalid(db->err, "NULL argument");
        std::string k(key);
        std::string v = with_reopen(db->db, [&] {
            return db->db.get_metadata(k);
        });
        give_string(v, value, len);
        return ok(db->err);
    });
}

xsh_status_t
xsh_db_value_bounds(xsh_db_t *db, xsh_slot_t slot, char **lo, char **hi)
{
    if (lo)
        *lo = nullptr;
    if (hi)
        *hi = nullptr;
    return guard(db, [&] {
        if (!lo || !hi)
            return invalid(db->err, "NULL argument");
        if (slot == Xapian::BAD_VALUENO)
            return invalid(db->err, "bad value slot");
        /* Xapian's stored bounds only widen (deletions leave them), so
         * walk the value stream for exact ones. */
        std::pair<std::string, std::string> b = with_reopen(db->db, [&] {
            std::pair<std::string, std::string> r;
            bool any = false;
            Xapian::ValueIterator v = db->db.valuestream_begin(slot);
            Xapian::ValueIterator end = db->db.valuestream_end(slot);
            for (; v != end; ++v) {
                std::string s = *v;
                if (!any || s < r.first)
                    r.first = s;
                if (!any || s > r.second)
                    r.second = s;
                any = true;
            }
            return r;
        });
        CString l(dup_string(b.first));
        *hi = dup_string(b.second);
        *lo = l.release();
        return ok(db->err);
    });
}

xsh_status_t
xsh_db_each_spelling(xsh_db_t *db, xsh_each_term_fn fn, void *ctx)
{
    return guard(db, [&] {
        if (!fn)
            return invalid(db->err, "NULL callback");
        each_term(db->db.spellings_begin(), db->db.spellings_end(), fn,
                  ctx);
        return ok(db->err);
    });
}

xsh_status_t
xsh_db_each_term(xsh_db_t *db, const char *prefix, xsh_each_term_fn fn,
                 void *ctx)
{
    return guard(db, [&] {
        if (!prefix || !fn)
            return invalid(db->err, "NULL argument");
        /* Not retried: FN has seen terms already when the error comes. */
        each_term(db->db.allterms_begin(prefix), db->db.allterms_end(prefix),
                  fn, ctx);
        return ok(db->err);
    });
}

xsh_status_t
xsh_db_spelling_suggestion(xsh_db_t *db, const char *word,
                           unsigned max_edit, char **suggestion)
{
    if (suggestion)
        *suggestion = nullptr;
    return guard(db, [&] {
        if (!word || !suggestion)
            return invalid(db->err, "NULL argument");
        std::string w(word);
        std::string s;
        try {
            s = with_reopen(db->db, [&] {
                return db->db.get_spelling_suggestion(w, max_edit);
            });
        } catch (const Xapian::UnimplementedError &) {
            /* Remote backends keep no spelling data. */
            s.clear();
        }
        *suggestion = dup_string(s);
        return ok(db->err);
    });
}

xsh_status_t
xsh_db_get_data(xsh_db_t *db, xsh_docid_t docid, char **data, size_t *len)
{
    if (data)
        *data = nullptr;
    return guard(db, [&] {
        if (!data)
            return invalid(db->err, "NULL argument");
        if (docid == 0)
            return invalid(db->err, "document id 0 is invalid");
        std::string d = with_reopen(db->db, [&] {
            return db->db.get_document(docid).get_data();
        });
        give_string(d, data, len);
        return ok(db->err);
    });
}
