/* strv.c - a NULL-terminated vector of strings it owns
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/strv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int
strv_push_owned(strv_t *sv, char *s)
{
    char **v;

    if (s == NULL)
        return -1;
    if (sv->n > SIZE_MAX / sizeof *v - 2
        || (v = realloc(sv->v, (sv->n + 2) * sizeof *v)) == NULL) {
        free(s);
        return -1;
    }
    v[sv->n++] = s;
    v[sv->n] = NULL;
    sv->v = v;
    return 0;
}

int
strv_push(strv_t *sv, const char *s)
{
    return strv_push_owned(sv, strdup(s));
}

bool
strv_has(const strv_t *sv, const char *s)
{
    size_t i;

    for (i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return true;
    return false;
}

int
strv_push_unique(strv_t *sv, const char *s)
{
    return strv_has(sv, s) ? 0 : strv_push(sv, s);
}

void
strv_release(strv_t *sv)
{
    size_t i;

    if (sv == NULL)
        return;
    for (i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = 0;
}
