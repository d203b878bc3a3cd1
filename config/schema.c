/* schema.c - the query language's field table, the stored data layout
 * and the schema version check
 *
 * Owns the field table, schema_data_split() and schema_check(); see
 * schema.h.  Uses no library beyond libc: dbtool links it alone.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const schema_field_t schema_query_fields[] = {
    { "title",  SCHEMA_PREFIX_TITLE,  false },
    { "author", SCHEMA_PREFIX_AUTHOR, true },
    { "source", SCHEMA_PREFIX_SOURCE, true },
    { "tag",    SCHEMA_PREFIX_TAG,    true },
    { "url",    SCHEMA_PREFIX_URL,    true },
    { "lang",   SCHEMA_PREFIX_LANG,   true },
    { NULL, NULL, false }
};

void
schema_data_split(const char *data, size_t len, size_t *json_len,
                  const char **body, size_t *body_len)
{
    const char *nul = len ? memchr(data, '\0', len) : NULL;

    if (!nul) {
        *json_len = len;
        *body = NULL;
        *body_len = 0;
        return;
    }
    *json_len = (size_t)(nul - data);
    *body = nul + 1;
    *body_len = len - *json_len - 1;
}

schema_state_t
schema_check(const char *stored, unsigned n_docs, schema_use_t use,
             char *err, size_t errlen)
{
    const char *prog = use == SCHEMA_USE_WRITE ? "dossier-index"
                                               : "dossier-search";
    const char *does = use == SCHEMA_USE_WRITE ? "writes" : "reads";
    long current = strtol(SCHEMA_VERSION_PACKED, NULL, 10);
    char *end;
    long v;

    if (errlen)
        *err = '\0';
    if (*stored == '\0') {
        if (n_docs == 0)
            return SCHEMA_UNSET;
        snprintf(err, errlen, "not a dossier database (no schema version; "
                 "documents from another program?)");
        return SCHEMA_ERR_FOREIGN;
    }
    if (strcmp(stored, SCHEMA_VERSION) == 0 ||
        strcmp(stored, SCHEMA_VERSION_PACKED) == 0)
        return SCHEMA_CURRENT;
    v = strtol(stored, &end, 10);   /* ERANGE: LONG_MAX, newer */
    if (*stored < '0' || *stored > '9' || *end != '\0') {
        snprintf(err, errlen, "database schema version '%s' is not a number",
                 stored);
        return SCHEMA_ERR_INVALID;
    }
    if (*stored == '0') {       /* "0", "02": no dossier writes those */
        snprintf(err, errlen, "database schema version '%s' is not a valid "
                 "version number", stored);
        return SCHEMA_ERR_INVALID;
    }
    if (v > current) {
        /* Left alone for the dossier that wrote it. */
        snprintf(err, errlen, "database schema version '%s' is not "
                 "supported by this %s (it %s %s): it was written "
                 "by a newer dossier", stored, prog, does,
                 SCHEMA_VERSIONS_KNOWN);
        return SCHEMA_ERR_NEWER;
    }
    /* An older layout (version 1 kept the body inside the JSON data)
     * cannot be converted in place: its documents must be built again
     * from the files. */
    if (use == SCHEMA_USE_WRITE)
        snprintf(err, errlen, "database schema version '%s' is older than "
                 "this %s's (%s): delete the database and index again with "
                 "dossier-index", stored, prog, SCHEMA_VERSION);
    else
        snprintf(err, errlen, "database schema version '%s' is not "
                 "supported by this %s (it %s %s): delete the "
                 "database and index again with dossier-index", stored,
                 prog, does, SCHEMA_VERSIONS_KNOWN);
    return SCHEMA_ERR_OLDER;
}
