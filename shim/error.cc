/* error.cc - statuses, their text, and exceptions mapped to them
 *
 * Owns the one place a C++ exception becomes an xsh_status_t and a
 * one-line message (map_exception(), called by guard() and guard_open()
 * in xsh-private.h), the status texts and the library version.  The
 * table is map_exception() itself, most-derived exception first (see
 * HACKING.md, "Errors"); type names never reach the message.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <cstring>
#include <exception>
#include <new>

#include "shim/xsh-private.h"

using namespace xsh;

namespace xsh {

/* Store MSG (prefixed with "WHERE: " when WHERE is given) in ERR on one
 * line and return ST.  If memory runs out the message is left empty. */
xsh_status_t
fail(std::string &err, xsh_status_t st, const std::string &msg,
     const char *where) noexcept
{
    try {
        err.clear();
        if (where) {
            err = where;
            err += ": ";
        }
        err += msg;
        for (char &c : err) {
            if (c == '\n' || c == '\r' || c == '\t')
                c = ' ';
        }
    } catch (...) {
        err.clear();
    }
    return st;
}

/* Rethrow the exception being handled and map it to a status, storing its
 * message in ERR.  Call only from a catch block. */
xsh_status_t
map_exception(std::string &err, const char *where) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        return fail(err, XSH_LOCKED, e.get_msg(), where);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return fail(err, XSH_NOT_FOUND, e.get_msg(), where);
    } catch (const Xapian::DocNotFoundError &e) {
        return fail(err, XSH_NOT_FOUND, e.get_msg(), where);
    } catch (const Xapian::DatabaseVersionError &e) {
        return fail(err, XSH_VERSION, e.get_msg(), where);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return fail(err, XSH_CORRUPT, e.get_msg(), where);
    } catch (const Xapian::DatabaseOpeningError &e) {
        return fail(err, XSH_OPEN, e.get_msg(), where);
    } catch (const Xapian::DatabaseCreateError &e) {
        return fail(err, XSH_OPEN, e.get_msg(), where);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return fail(err, XSH_MODIFIED, e.get_msg(), where);
    } catch (const Xapian::QueryParserError &e) {
        return fail(err, XSH_QUERY_SYNTAX, e.get_msg(), where);
    } catch (const Xapian::WildcardError &e) {
        return fail(err, XSH_QUERY_SYNTAX, e.get_msg(), where);
    } catch (const Xapian::NetworkError &e) {
        /* NetworkTimeoutError is a NetworkError. */
        return fail(err, XSH_NETWORK, e.get_msg(), where);
    } catch (const Xapian::InvalidArgumentError &e) {
        return fail(err, XSH_INVALID_ARG, e.get_msg(), where);
    } catch (const Xapian::Error &e) {
        return fail(err, XSH_XAPIAN, e.get_msg(), where);
    } catch (const std::bad_alloc &) {
        return fail(err, XSH_NOMEM, "out of memory", where);
    } catch (const std::exception &e) {
        return fail(err, XSH_INTERNAL, e.what(), where);
    } catch (...) {
        return fail(err, XSH_INTERNAL, "unknown error", where);
    }
}

xsh_status_t
invalid(std::string &err, const std::string &what) noexcept
{
    return fail(err, XSH_INVALID_ARG, what);
}

/* Storing a literal this way never throws: only ERR allocates. */
xsh_status_t
invalid(std::string &err, const char *what) noexcept
{
    try {
        err = what;
    } catch (...) {
        err.clear();
    }
    return XSH_INVALID_ARG;
}

/* For the open/new functions: hand ERR to the caller as a malloc'd string
 * (NULL if memory runs out) when ERRMSG is not NULL. */
xsh_status_t
give_errmsg(xsh_status_t st, const std::string &err, char **errmsg) noexcept
{
    if (errmsg)
        *errmsg = st == XSH_OK ? nullptr : strdup(err.c_str());
    return st;
}

} // namespace xsh

/* ------------------------------------------------------------------ */
/* Statuses and version                                               */
/* ------------------------------------------------------------------ */

const char *
xsh_status_str(xsh_status_t st)
{
    switch (st) {
    case XSH_OK: return "success";
    case XSH_NOT_FOUND: return "not found";
    case XSH_LOCKED: return "database is locked";
    case XSH_VERSION: return "unsupported database version";
    case XSH_CORRUPT: return "database is corrupt";
    case XSH_OPEN: return "cannot open database";
    case XSH_MODIFIED: return "database kept changing during the read";
    case XSH_QUERY_SYNTAX: return "query syntax error";
    case XSH_NETWORK: return "network error";
    case XSH_INVALID_ARG: return "invalid argument";
    case XSH_XAPIAN: return "xapian error";
    case XSH_NOMEM: return "out of memory";
    case XSH_INTERNAL: return "internal error";
    case XSH_STATUS_LAST: break;
    }
    return "unknown status";
}

const char *
xsh_version(void)
{
    return Xapian::version_string();
}
