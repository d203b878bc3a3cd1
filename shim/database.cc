/* database.cc - the read-only database
 *
 * Owns xsh_db: opening local paths, stub files and tcp:// remotes as one
 * database (stub files are read here, so that each database they list is
 * opened, named and skipped on its own; a database being created or
 * swapped in by an indexer is waited for or tried again), reopening, and
 * the reads on it.  Reads whose callers have seen nothing
 * yet retry through with_reopen() when the database moves on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <cassert>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim/xsh-private.h"

using namespace xsh;

namespace {

/* ------------------------------------------------------------------ */
/* Local databases                                                     */

bool
exists(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0;
}

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

/* Whether a process holds a lock on the file PATH (Xapian's writer lock,
 * "flintlock").  F_GETLK needs no write access to the file. */
bool
lock_held(const std::string &path)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool held = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return held;
}

/* Whether the directory PATH holds nothing but files a glass writer makes
 * before the version file ("flintlock", "*.glass", "*.tmp"), or nothing:
 * what a database being created looks like before "iamglass" appears. */
bool
only_creation_files(const std::string &path)
{
    DIR *d = opendir(path.c_str());
    if (!d)
        return false;
    bool only = true;
    while (struct dirent *e = readdir(d)) {
        std::string n = e->d_name;
        auto ends = [&n](const char *x) {
            size_t k = strlen(x);
            return n.size() > k && n.compare(n.size() - k, k, x) == 0;
        };
        if (n != "." && n != ".." && n != "flintlock" && !ends(".glass") &&
            !ends(".tmp")) {
            only = false;
            break;
        }
    }
    closedir(d);
    return only;
}

/* Milliseconds on the monotonic clock. */
uint64_t
now_ms()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return uint64_t(ts.tv_sec) * 1000 + uint64_t(ts.tv_nsec) / 1000000;
}

/* Whether the directory PATH changed (an entry made or removed) less
 * than MS milliseconds ago. */
bool
changed_within(const std::string &path, unsigned ms)
{
    struct stat st;
    struct timespec now;
    if (stat(path.c_str(), &st) != 0 ||
        clock_gettime(CLOCK_REALTIME, &now) != 0)
        return false;
    int64_t age = (int64_t(now.tv_sec) - int64_t(st.st_mtim.tv_sec)) * 1000 +
                  (int64_t(now.tv_nsec) - int64_t(st.st_mtim.tv_nsec)) /
                      1000000;
    return age < int64_t(ms);
}

/* A first build makes the database directory before Xapian's files are in
 * it (Xapian's mkdir, then its lock, its tables and last "iamglass"), and
 * searches must not fail from the moment the directory appears.  So while
 * the directory holds nothing but a creation's files, wait for "iamglass"
 * as long as the writer's lock is held or the directory changed within
 * the last WAIT_FRESH_MS (a writer between its mkdir and its lock, which
 * a loaded machine can stretch past any short grace), WAIT_MAX_MS in all.
 * An empty directory made long ago fails at once.  Returns whether
 * "iamglass" is there now. */
const unsigned WAIT_MAX_MS = 10000, WAIT_FRESH_MS = 2000, WAIT_STEP_MS = 2;

bool
wait_for_creation(const std::string &path)
{
    std::string version = path + "/iamglass", lock = path + "/flintlock";
    uint64_t start = now_ms();
    for (;;) {
        if (exists(version))
            return true;
        if (!only_creation_files(path) || now_ms() - start >= WAIT_MAX_MS ||
            !(lock_held(lock) || changed_within(path, WAIT_FRESH_MS)))
            return exists(version);
        struct timespec ts = { 0, long(WAIT_STEP_MS) * 1000000L };
        nanosleep(&ts, nullptr);
    }
}

/* Open the local database at PATH (FLAGS: a backend, or 0 to detect it).
 * An indexer may replace the database while it is being opened (the
 * compacted copy of a full build takes the old one's place): when opening
 * fails and the version file changed meanwhile, try again.  A database
 * being created is waited for (wait_for_creation()). */
Xapian::Database
open_local(const std::string &path, int flags)
{
    for (unsigned attempt = 1; ; ++attempt) {
        std::string before = version_stamp(path);
        try {
            return Xapian::Database(path, flags);
        } catch (const Xapian::DatabaseError &) {
            if (attempt >= MAX_ATTEMPTS)
                throw;
            if (before.empty() && version_stamp(path).empty()) {
                struct stat st;
                if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) ||
                    exists(path + "/XAPIANDB") || !wait_for_creation(path))
                    throw;
            } else if (version_stamp(path) == before) {
                throw;
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* What a path names: stub files read here                             */

/* One database to open, as xsh_db_open() was given it or a stub file
 * listed it. */
struct Entry {
    enum Kind { LOCAL, TCP, PROG, INMEMORY } kind;
    std::string name;           /* how messages name it */
    std::string path;           /* LOCAL: the path; PROG: the program */
    int flags = 0;              /* LOCAL: the backend, 0 to detect it */
    std::string host;           /* TCP */
    unsigned port = 0;
    std::string args;           /* PROG */
};

/* An error in a stub file or a tcp:// argument: what the user wrote is
 * wrong, so it is never skipped as a database that is down. */
struct BadSpec {
    xsh_status_t st;
    std::string msg;
};

/* Stub files listing stub files, at most this deep. */
const int MAX_STUB_DEPTH = 8;

/* "HOST:PORT" (HOST may be "[v6]") into HOST and PORT; the message when
 * it is not one. */
bool
parse_hostport(const std::string &hp, std::string &host, unsigned &port,
               std::string &why)
{
    size_t colon = hp.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == hp.size()) {
        why = "expected HOST:PORT";
        return false;
    }
    host = hp.substr(0, colon);
    std::string p = hp.substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    unsigned long n = 0;
    if (p.find_first_not_of("0123456789") != std::string::npos ||
        p.size() > 5 || (n = strtoul(p.c_str(), nullptr, 10)) == 0 ||
        n > 65535) {
        why = "bad port '" + p + "'";
        return false;
    }
    port = unsigned(n);
    return true;
}

/* Whether the regular file PATH reads as text (a stub file) rather than
 * a single-file glass database, which starts with binary bytes. */
bool
is_text_file(const std::string &path)
{
    FILE *f = fopen(path.c_str(), "rb");
    if (!f)
        return true;            /* the stub reader says why */
    unsigned char buf[512];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    for (size_t i = 0; i < n; i++)
        if (buf[i] == 0 || (buf[i] < 32 && buf[i] != '\n' && buf[i] != '\r' &&
                            buf[i] != '\t'))
            return false;
    return true;
}

void expand(const std::string &given, const std::string &name, int depth,
            std::vector<Entry> &out);

/* The entries of the stub file FILE (Xapian's format, docs/remote.rst):
 * one database a line, "auto PATH", "glass PATH", "chert PATH",
 * "remote HOST:PORT", "remote :PROGRAM ARGS", "inmemory", and dossier's
 * "tcp HOST:PORT"; blank lines and lines starting with "#" are skipped;
 * relative paths are relative to the stub's directory.  An "auto" path
 * may name another stub file. */
void
read_stub(const std::string &file, int depth, std::vector<Entry> &out)
{
    std::ifstream in(file);
    if (!in) {
        /* Unreadable: a database that cannot be opened, named. */
        Entry e;
        e.kind = Entry::LOCAL;
        e.name = e.path = file;
        e.flags = Xapian::DB_BACKEND_STUB;
        out.push_back(e);
        return;
    }
    std::string dir;
    size_t slash = file.rfind('/');
    if (slash != std::string::npos)
        dir = file.substr(0, slash + 1);
    std::string line;
    for (unsigned line_no = 1; std::getline(in, line); ++line_no) {
        auto bad = [&](const std::string &why) {
            throw BadSpec{ XSH_OPEN, file + ":" + std::to_string(line_no) +
                                     ": " + why };
        };
        size_t b = line.find_first_not_of(" \t");
        size_t e = line.find_last_not_of(" \t\r");
        if (b == std::string::npos || line[b] == '#')
            continue;
        line = line.substr(b, e - b + 1);
        size_t sp = line.find_first_of(" \t");
        std::string type = line.substr(0, sp);
        std::string arg;
        if (sp != std::string::npos)
            arg = line.substr(line.find_first_not_of(" \t", sp));
        Entry en;
        if (type == "auto" || type == "glass" || type == "chert") {
            if (arg.empty())
                bad("'" + type + "' without a path");
            std::string path = arg[0] == '/' ? arg : dir + arg;
            if (type == "auto") {
                if (depth >= MAX_STUB_DEPTH)
                    bad("stub files nested more than " +
                        std::to_string(MAX_STUB_DEPTH) + " deep");
                expand(path, path, depth + 1, out);
                continue;
            }
            en.kind = Entry::LOCAL;
            en.name = en.path = path;
            en.flags = type == "glass" ? Xapian::DB_BACKEND_GLASS
                                       : Xapian::DB_BACKEND_CHERT;
        } else if ((type == "remote" || type == "tcp") && !arg.empty() &&
                   !(type == "remote" && arg[0] == ':')) {
            std::string why;
            if (!parse_hostport(arg, en.host, en.port, why))
                bad("'" + arg + "': " + why);
            en.kind = Entry::TCP;
            en.name = arg;
        } else if (type == "remote" && arg.size() > 1) {
            /* remote :PROGRAM ARGS */
            size_t s2 = arg.find_first_of(" \t");
            en.kind = Entry::PROG;
            en.path = arg.substr(1, s2 == std::string::npos ? s2 : s2 - 1);
            if (s2 != std::string::npos)
                en.args = arg.substr(arg.find_first_not_of(" \t", s2));
            en.name = arg;
        } else if (type == "inmemory" && arg.empty()) {
            en.kind = Entry::INMEMORY;
            en.name = "inmemory";
        } else if (type == "remote" || type == "tcp") {
            bad("'" + type + "' without HOST:PORT");
        } else {
            bad("bad line (expected 'auto PATH', 'glass PATH', "
                "'remote HOST:PORT', 'remote :PROGRAM ARGS', "
                "'tcp HOST:PORT' or 'inmemory')");
        }
        out.push_back(en);
    }
}

/* The databases GIVEN names (NAME in messages): "tcp://HOST:PORT", a
 * stub file or a directory holding one ("XAPIANDB"), read here so that
 * each database it lists is opened (and named) on its own, or a local
 * database. */
void
expand(const std::string &given, const std::string &name, int depth,
       std::vector<Entry> &out)
{
    static const std::string tcp = "tcp://";
    Entry e;
    struct stat st;

    e.name = name;
    if (given.compare(0, tcp.size(), tcp) == 0) {
        std::string why;
        if (!parse_hostport(given.substr(tcp.size()), e.host, e.port, why))
            throw BadSpec{ XSH_INVALID_ARG, name + ": " +
                           (why == "expected HOST:PORT"
                                ? "expected tcp://HOST:PORT" : why) };
        e.kind = Entry::TCP;
        out.push_back(e);
        return;
    }
    if (stat(given.c_str(), &st) == 0) {
        if (S_ISREG(st.st_mode) && is_text_file(given)) {
            read_stub(given, depth, out);
            return;
        }
        if (S_ISDIR(st.st_mode) && !exists(given + "/iamglass") &&
            !exists(given + "/iamchert") && exists(given + "/XAPIANDB")) {
            read_stub(given + "/XAPIANDB", depth, out);
            return;
        }
    }
    e.kind = Entry::LOCAL;
    e.path = given;
    out.push_back(e);
}

/* ------------------------------------------------------------------ */
/* Opening one                                                         */

/* A short cause for a remote database that cannot be reached, from
 * Xapian's NetworkError ("Couldn't connect" and errno ECONNREFUSED:
 * "connection refused"). */
std::string
network_cause(const Xapian::NetworkError &e)
{
    const std::string &m = e.get_msg();
    const char *sys = e.get_error_string();
    std::string s = sys ? sys : "";
    for (char &c : s)
        c = char(tolower((unsigned char)c));
    if (m.compare(0, 22, "Couldn't resolve host ") == 0)
        return s.empty() || s == "name or service not known"
                   ? "unknown host" : "cannot resolve host: " + s;
    if (m == "Couldn't connect" || m.compare(0, 16, "Couldn't connect") == 0)
        return s.empty() ? "cannot connect" : s;
    if (m.find("EOF") != std::string::npos ||
        m.find("closed") != std::string::npos)
        return "connection closed by the server";
    std::string out = m;
    if (!out.empty())
        out[0] = char(tolower((unsigned char)out[0]));
    return s.empty() ? out : out + ": " + s;
}

Xapian::Database
open_entry(const Entry &e, unsigned timeout_ms)
{
    unsigned t = timeout_ms ? timeout_ms : 10000;
    switch (e.kind) {
    case Entry::TCP:
        return Xapian::Remote::open(e.host, e.port, t, t);
    case Entry::PROG:
        return Xapian::Remote::open(e.path, e.args, t);
    case Entry::INMEMORY:
        return Xapian::Database(std::string(), Xapian::DB_BACKEND_INMEMORY);
    case Entry::LOCAL:
        break;
    }
    return open_local(e.path, e.flags);
}

/* Open E; on failure, a status and a short cause in WHY. */
xsh_status_t
try_entry(const Entry &e, unsigned timeout_ms, Xapian::Database &db,
          std::string &why) noexcept
{
    try {
        db = open_entry(e, timeout_ms);
        return XSH_OK;
    } catch (const Xapian::NetworkTimeoutError &) {
        return fail(why, XSH_NETWORK, "timed out");
    } catch (const Xapian::NetworkError &ex) {
        return fail(why, XSH_NETWORK, network_cause(ex));
    } catch (const Xapian::DatabaseNotFoundError &) {
        return fail(why, XSH_NOT_FOUND, "no database here");
    } catch (const Xapian::DatabaseOpeningError &ex) {
        /* What Xapian 1.4 says of a path that is not there or holds no
         * database. */
        const std::string &m = ex.get_msg();
        if (m.compare(0, 13, "Couldn't stat") == 0 ||
            m == "Couldn't detect type of database" ||
            m.compare(0, 32, "Couldn't open stub database file") == 0)
            return fail(why, XSH_NOT_FOUND, "no database here");
        return map_exception(why);
    } catch (...) {
        return map_exception(why);
    }
}

} // namespace

xsh_status_t
xsh_db_open_each(const char *const *paths, size_t n, unsigned timeout_ms,
                 xsh_db_skip_fn skip, void *ctx, xsh_db_t **db,
                 xsh_db_info_t *info, char **errmsg)
{
    return guard_open(errmsg, [&](std::string &err, const char *&) {
        if (db)
            *db = nullptr;
        if (info)
            *info = xsh_db_info_t{ 0, 0, false };
        if (!paths || n == 0 || !all_strings(paths, n) || !db)
            return invalid(err, "NULL or empty argument");
        std::vector<Entry> entries;
        try {
            for (size_t i = 0; i < n; i++)
                expand(paths[i], paths[i], 0, entries);
        } catch (const BadSpec &b) {
            return fail(err, b.st, b.msg);
        }
        std::unique_ptr<xsh_db> d(new xsh_db());
        xsh_db_info_t inf = { entries.size(), 0, false };
        xsh_status_t last = XSH_OK;
        for (const Entry &e : entries) {
            Xapian::Database one;
            std::string why;
            xsh_status_t st = try_entry(e, timeout_ms, one, why);
            if (st == XSH_OK) {
                d->db.add_database(one);
                d->subs.push_back(one);
                inf.n_open++;
                inf.remote = inf.remote || e.kind == Entry::TCP ||
                             e.kind == Entry::PROG;
                continue;
            }
            last = fail(err, st, why, e.name.c_str());
            if (!skip)
                return last;
            skip(ctx, e.name.c_str(), st, why.c_str());
        }
        if (info)
            *info = inf;
        d->remote = inf.remote;
        if (inf.n_open == 0 && last != XSH_OK)
            return last;
        *db = d.release();
        return ok(err);
    });
}

xsh_status_t
xsh_db_open(const char *const *paths, size_t n, unsigned timeout_ms,
            xsh_db_t **db, char **errmsg)
{
    return xsh_db_open_each(paths, n, timeout_ms, nullptr, nullptr, db,
                            nullptr, errmsg);
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
        bool c = reopen_latest(db->db);
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
            std::string raw = db->db.get_document(docid).get_data();
            unpack_data(*db, docid, raw);
            return raw;
        });
        give_string(d, data, len);
        return ok(db->err);
    });
}

xsh_status_t
xsh_db_doc_term(xsh_db_t *db, xsh_docid_t docid, const char *prefix,
                char **term, unsigned *shard, unsigned *n_shards)
{
    if (term)
        *term = nullptr;
    return guard(db, [&] {
        if (!prefix || !*prefix || !term)
            return invalid(db->err, "NULL argument");
        if (docid == 0)
            return invalid(db->err, "document id 0 is invalid");
        std::string p(prefix);
        std::string t = with_reopen(db->db, [&] {
            Xapian::Document d = db->db.get_document(docid);
            Xapian::TermIterator i = d.termlist_begin();
            i.skip_to(p);
            if (i == d.termlist_end() || (*i).compare(0, p.size(), p) != 0)
                return std::string();
            return *i;
        });
        if (t.empty())
            return fail(db->err, XSH_NOT_FOUND, "the document has no term "
                        "with prefix '" + p + "'");
        /* Xapian interleaves the docids of databases searched as one:
         * database k (from 0) of n holds the global ids k + 1, k + 1 + n,
         * and so on. */
        unsigned n = (unsigned)db->db.size();
        if (shard)
            *shard = n ? (unsigned)((docid - 1) % n) : 0;
        if (n_shards)
            *n_shards = n;
        *term = dup_string(t);
        return ok(db->err);
    });
}

xsh_status_t
xsh_db_term_doc(xsh_db_t *db, const char *term, unsigned shard,
                xsh_docid_t *docid)
{
    if (docid)
        *docid = 0;
    return guard(db, [&] {
        if (!term || !*term || !docid)
            return invalid(db->err, "NULL argument");
        std::string t(term);
        unsigned n = (unsigned)db->db.size();
        xsh_docid_t id = with_reopen(db->db, [&] {
            xsh_docid_t first = 0;
            for (Xapian::PostingIterator i = db->db.postlist_begin(t);
                 i != db->db.postlist_end(t); ++i) {
                if (!first)
                    first = *i;
                if (n && (*i - 1) % n == shard)
                    return (xsh_docid_t)*i;
            }
            return first;
        });
        if (!id)
            return fail(db->err, XSH_NOT_FOUND, "no document has the term");
        *docid = id;
        return ok(db->err);
    });
}
