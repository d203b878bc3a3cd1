/* schema.c - the query language's field table
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "schema.h"

const schema_field_t schema_query_fields[] = {
    { "title",  SCHEMA_PREFIX_TITLE,  false },
    { "author", SCHEMA_PREFIX_AUTHOR, true },
    { "source", SCHEMA_PREFIX_SOURCE, true },
    { "tag",    SCHEMA_PREFIX_TAG,    true },
    { "url",    SCHEMA_PREFIX_URL,    true },
    { "lang",   SCHEMA_PREFIX_LANG,   true },
    { NULL, NULL, false }
};
