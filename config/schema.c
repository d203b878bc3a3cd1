/* schema.c - the query language's field table and the stored data layout
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "schema.h"

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
