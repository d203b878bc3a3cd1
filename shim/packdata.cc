/* packdata.cc - document data packed with a trained zstd dictionary
 *
 * Owns xsh_pack_data() (one dictionary trained on a sample of a build's
 * databases, stored in each under XSH_PACK_META_KEY, every document's
 * data rewritten as a zstd frame when that is smaller), the writer's
 * packing of what it writes afterwards (pack_dict_load(), pack_data(),
 * used by shim/writable.cc), and the reader's unpacking (unpack_data(),
 * used wherever the shim hands out document data: shim/database.cc,
 * shim/enquire.cc).  Knows nothing of what the data holds: it packs and
 * unpacks bytes.  The only user of libzstd in the shim.
 *
 * Xapian already compresses the document data table with zlib, each
 * document on its own, to about half; a dictionary trained on the whole
 * corpus gives zstd what each document shares with the others (the JSON
 * keys, the common words), and packs bodies to about 0.39 of their size.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <algorithm>
#include <cstring>
#include <vector>

#include <zdict.h>
#include <zstd.h>

#include "shim/xsh-private.h"

using namespace xsh;

namespace {

/* The zstd frame magic number, little-endian, as stored. */
const char FRAME_MAGIC[4] = { '\x28', '\xb5', '\x2f', '\xfd' };

/* The sample the dictionary is trained on: at most this many documents,
 * spread evenly over all, each cut to SAMPLE_DOC_MAX bytes, then every
 * other one dropped until they hold at most SAMPLE_MAX bytes.  zstd's
 * trainer wants about a hundred times the dictionary's size. */
const size_t SAMPLE_DOCS = 4000;
const size_t SAMPLE_DOC_MAX = 64 * 1024;
const size_t SAMPLE_MAX = 8 * 1024 * 1024;
/* zstd --train's default dictionary size; smaller for small samples. */
const size_t DICT_MAX = 112640;
const size_t DICT_MIN = 1024;
const int PACK_LEVEL = 3;

bool
is_frame(const std::string &data)
{
    return data.size() >= 4 && memcmp(data.data(), FRAME_MAGIC, 4) == 0;
}

struct CDictFree {
    void operator()(ZSTD_CDict *d) const { ZSTD_freeCDict(d); }
};
struct CCtxFree {
    void operator()(ZSTD_CCtx *c) const { ZSTD_freeCCtx(c); }
};
struct DDictFree {
    void operator()(ZSTD_DDict *d) const { ZSTD_freeDDict(d); }
};
struct DCtxFree {
    void operator()(ZSTD_DCtx *c) const { ZSTD_freeDCtx(c); }
};

/* Each thread's compression and decompression contexts: a dictionary
 * (CDict, DDict) is shared read-only between threads, a context is not. */
ZSTD_CCtx *
thread_cctx()
{
    static thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> c;
    if (!c) {
        c.reset(ZSTD_createCCtx());
        if (!c)
            throw std::bad_alloc();
    }
    return c.get();
}

ZSTD_DCtx *
thread_dctx()
{
    static thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> c;
    if (!c) {
        c.reset(ZSTD_createDCtx());
        if (!c)
            throw std::bad_alloc();
    }
    return c.get();
}

/* The dictionary stored in DB, ready to unpack with; NULL when it holds
 * none. */
std::shared_ptr<const UnpackDict> unpack_dict_load(const Xapian::Database &db);

} // namespace

namespace xsh {

/* A dictionary ready to compress with, shared by a writer's handles. */
struct PackDict {
    std::unique_ptr<ZSTD_CDict, CDictFree> cdict;
    unsigned id = 0;
};

/* A dictionary ready to decompress with, and the id frames name it by. */
struct UnpackDict {
    std::unique_ptr<ZSTD_DDict, DDictFree> ddict;
    unsigned id = 0;
};

std::shared_ptr<const PackDict>
pack_dict_load(const Xapian::Database &db)
{
    std::string dict = db.get_metadata(XSH_PACK_META_KEY);
    if (dict.empty())
        return nullptr;
    auto p = std::make_shared<PackDict>();
    p->id = ZDICT_getDictID(dict.data(), dict.size());
    p->cdict.reset(ZSTD_createCDict(dict.data(), dict.size(), PACK_LEVEL));
    if (!p->cdict)
        throw std::bad_alloc();
    if (p->id == 0)
        throw Xapian::DatabaseCorruptError("the packing dictionary is not "
                                           "a zstd dictionary");
    return p;
}

bool
pack_data(const PackDict &p, const std::string &raw, std::string &out)
{
    out.resize(ZSTD_compressBound(raw.size()));
    size_t n = ZSTD_compress_usingCDict(thread_cctx(), &out[0], out.size(),
                                        raw.data(), raw.size(),
                                        p.cdict.get());
    if (ZSTD_isError(n))
        throw std::bad_alloc();     /* zstd fails only for want of memory */
    /* Data that starts as a frame does is always packed: stored as it is,
     * it would be taken for a frame when read. */
    if (n >= raw.size() && !is_frame(raw))
        return false;
    out.resize(n);
    return true;
}

void
unpack_data(xsh_db &db, Xapian::docid docid, std::string &data)
{
    if (!is_frame(data))
        return;
    unsigned id = ZSTD_getDictID_fromFrame(data.data(), data.size());
    std::shared_ptr<const UnpackDict> d;
    {
        std::lock_guard<std::mutex> hold(db.unpack_lock);
        size_t n = db.subs.size();
        if (n == 0 || docid == 0)
            throw Xapian::DatabaseCorruptError("packed document data "
                                               "without a database");
        size_t k = (docid - 1) % n;
        if (db.unpack.size() != n)
            db.unpack.resize(n);
        if (!db.unpack[k] || db.unpack[k]->id != id)
            db.unpack[k] = unpack_dict_load(db.subs[k]);
        d = db.unpack[k];
    }
    /* A database without a dictionary never packed: its data is as it
     * was written, whatever its first bytes. */
    if (!d)
        return;
    if (d->id != id)
        throw Xapian::DatabaseCorruptError("document data packed with a "
                                           "dictionary the database does "
                                           "not hold");
    unsigned long long size = ZSTD_getFrameContentSize(data.data(),
                                                       data.size());
    if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR ||
        size > (1ull << 31))
        throw Xapian::DatabaseCorruptError("packed document data has no "
                                           "valid size");
    std::string out(size_t(size), '\0');
    size_t got = ZSTD_decompress_usingDDict(thread_dctx(), &out[0],
                                            out.size(), data.data(),
                                            data.size(), d->ddict.get());
    if (ZSTD_isError(got) || got != out.size())
        throw Xapian::DatabaseCorruptError(
            std::string("packed document data cannot be unpacked: ") +
            (ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short"));
    data.swap(out);
}

} // namespace xsh

namespace {

std::shared_ptr<const UnpackDict>
unpack_dict_load(const Xapian::Database &db)
{
    std::string dict = db.get_metadata(XSH_PACK_META_KEY);
    if (dict.empty())
        return nullptr;
    auto u = std::make_shared<UnpackDict>();
    u->id = ZDICT_getDictID(dict.data(), dict.size());
    u->ddict.reset(ZSTD_createDDict(dict.data(), dict.size()));
    if (!u->ddict)
        throw std::bad_alloc();
    return u;
}

/* Every document id of DB, read before any is rewritten: a posting
 * iterator is not to be walked while its database changes. */
std::vector<Xapian::docid>
all_docids(const Xapian::Database &db)
{
    std::vector<Xapian::docid> ids;
    ids.reserve(db.get_doccount());
    for (Xapian::PostingIterator p = db.postlist_begin("");
         p != db.postlist_end(""); ++p)
        ids.push_back(*p);
    return ids;
}

/* The training sample: documents spread evenly over the N databases
 * (IDS: each one's docids), concatenated into BUF with their SIZES. */
void
take_sample(xsh_wdb_t *const *wdbs, size_t n,
            const std::vector<std::vector<Xapian::docid>> &ids,
            size_t total, std::string &buf, std::vector<size_t> &sizes)
{
    size_t stride = std::max<size_t>(1, total / SAMPLE_DOCS);
    std::vector<std::string> docs;
    size_t g = 0, bytes = 0;
    for (size_t i = 0; i < n; i++) {
        for (Xapian::docid id : ids[i]) {
            if (g++ % stride != 0)
                continue;
            std::string d = wdbs[i]->db.get_document(id).get_data();
            if (d.size() > SAMPLE_DOC_MAX)
                d.resize(SAMPLE_DOC_MAX);
            bytes += d.size();
            docs.push_back(std::move(d));
        }
    }
    /* Halve the sample, keeping its spread, until it fits. */
    size_t keep_every = 1;
    while (bytes / keep_every > SAMPLE_MAX)
        keep_every *= 2;
    for (size_t i = 0; i < docs.size(); i += keep_every) {
        if (docs[i].empty())
            continue;           /* the trainer rejects empty samples */
        buf += docs[i];
        sizes.push_back(docs[i].size());
    }
}

/* Rewrite the data of each document of W packed with P, counting into
 * INFO. */
void
pack_all(xsh_wdb &w, const std::vector<Xapian::docid> &ids,
         const PackDict &p, xsh_pack_info_t &info)
{
    std::string packed;
    for (Xapian::docid id : ids) {
        Xapian::Document doc = w.db.get_document(id);
        std::string raw = doc.get_data();
        info.bytes_in += raw.size();
        /* No frame is packed data yet: the database held no dictionary
         * (xsh_pack_data() checked), so a frame here is data as written,
         * which pack_data() packs whatever the size. */
        if (!pack_data(p, raw, packed)) {
            info.bytes_out += raw.size();
            continue;
        }
        info.bytes_out += packed.size();
        info.n_packed++;
        /* Only the data changed: Xapian rewrites only the data. */
        doc.set_data(packed);
        note_change(w);
        w.db.replace_document(id, doc);
    }
}

} // namespace

xsh_status_t
xsh_pack_data(xsh_wdb_t *const *wdbs, size_t n, const char *stamp_key,
              const char *stamp_value, xsh_pack_info_t *info)
{
    xsh_pack_info_t dummy;
    xsh_pack_info_t &inf = info ? *info : dummy;
    inf = xsh_pack_info_t{ false, "nothing to pack", 0, 0, 0, 0, 0 };
    xsh_wdb *first = wdbs && n ? wdbs[0] : nullptr;
    return guard(first, [&] {
        for (size_t i = 0; i < n; i++)
            if (!wdbs[i])
                return invalid(first->err, "NULL database");
        if (stamp_key && !stamp_value)
            return invalid(first->err, "NULL stamp value");
        std::vector<std::vector<Xapian::docid>> ids(n);
        size_t total = 0;
        for (size_t i = 0; i < n; i++) {
            flush_spelling(*wdbs[i]);
            wdbs[i]->db.commit();
            if (!wdbs[i]->db.get_metadata(XSH_PACK_META_KEY).empty()) {
                inf.why = "already packed";
                return ok(first->err);
            }
            ids[i] = all_docids(wdbs[i]->db);
            total += ids[i].size();
        }
        inf.n_docs = unsigned(total);
        if (total < XSH_PACK_MIN_DOCS) {
            inf.why = "too few documents";
            return ok(first->err);
        }

        std::string sample;
        std::vector<size_t> sizes;
        take_sample(wdbs, n, ids, total, sample, sizes);
        size_t cap = std::min(DICT_MAX, sample.size() / 20);
        if (cap < DICT_MIN || sizes.size() < 16) {
            inf.why = "too little data";
            return ok(first->err);
        }
        std::string dict(cap, '\0');
        size_t len = ZDICT_trainFromBuffer(&dict[0], cap, sample.data(),
                                           sizes.data(),
                                           unsigned(sizes.size()));
        if (ZDICT_isError(len) || len == 0) {
            inf.why = "too little data to train a dictionary";
            return ok(first->err);
        }
        dict.resize(len);
        std::string().swap(sample);

        auto p = std::make_shared<PackDict>();
        p->id = ZDICT_getDictID(dict.data(), dict.size());
        p->cdict.reset(ZSTD_createCDict(dict.data(), dict.size(),
                                        PACK_LEVEL));
        if (!p->cdict)
            throw std::bad_alloc();
        inf.packed = true;
        inf.why = nullptr;
        inf.dict_len = len;
        for (size_t i = 0; i < n; i++) {
            xsh_wdb &w = *wdbs[i];
            /* Before any document: whatever Xapian commits holds them. */
            w.db.set_metadata(XSH_PACK_META_KEY, dict);
            if (stamp_key)
                w.db.set_metadata(stamp_key, stamp_value);
            w.pack = p;
            pack_all(w, ids[i], *p, inf);
            flush_spelling(w);
            w.db.commit();
        }
        return ok(first->err);
    });
}
