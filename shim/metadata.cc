/* metadata.cc - listing a database's metadata keys
 *
 * xsh_db_each_metadata(): the keys under a prefix and their values, for
 * what a program keeps in a database beside its documents (dossier's
 * saved searches).  Knows nothing of what the keys mean.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "shim/xsh-private.h"

using namespace xsh;

xsh_status_t
xsh_db_each_metadata(xsh_db_t *db, const char *prefix, xsh_metadata_fn fn,
                     void *ctx)
{
    return guard(db, [&] {
        if (!prefix || !fn)
            return invalid(db->err, "NULL argument");
        std::string p(prefix);
        /* Copied out first, so that FN sees a consistent list even if the
         * database moves on, and a retry never calls FN twice. */
        std::vector<std::pair<std::string, std::string>> kv =
            with_reopen(db->db, [&] {
                std::vector<std::pair<std::string, std::string>> out;
                for (Xapian::TermIterator k = db->db.metadata_keys_begin(p);
                     k != db->db.metadata_keys_end(p); ++k)
                    out.emplace_back(*k, db->db.get_metadata(*k));
                return out;
            });
        for (const auto &e : kv)
            if (!fn(ctx, e.first.c_str(), e.second.data(), e.second.size()))
                break;
        return ok(db->err);
    });
}
