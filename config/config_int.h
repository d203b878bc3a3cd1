/* config_int.h - what config.c and validate.c share (internal)
 *
 * config.c reads dossier.yaml into a small tree of nodes (with the safe
 * YAML reader) and owns the messages' format; validate.c checks the tree
 * against the table of keys and fills the config.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef CONFIG_INT_H
#define CONFIG_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "util/strv.h"
#include "util/yamlsafe.h"

/* ---------------------------------------------------------------- config.c */

typedef enum node_kind {
    NODE_SCALAR,
    NODE_SEQ,
    NODE_MAP
} config_node_kind_t;

/* A YAML node.  Mappings keep keys and values alternately in KIDS. */
typedef struct node {
    config_node_kind_t kind;
    yamlsafe_mark_t mark;
    char *text;                 /* scalar value, NUL-terminated */
    size_t len;
    bool is_plain;              /* unquoted scalar: may be null */
    struct node **kids;
    size_t n_kids;
    size_t cap_kids;
} config_node_t;

typedef struct loader {
    const char *path;
    char *err;
    size_t errlen;
} config_loader_t;

/* Whether N is absent or a plain null scalar ("", "~", "null"). */
bool config_node_is_null(const config_node_t *n);

/* Put "PATH:LINE:COL: WHAT" (or "PATH: WHAT") into LD's buffer; -1. */
int config_fail_at(const config_loader_t *ld, yamlsafe_mark_t mark,
                   const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int config_fail_path(const config_loader_t *ld, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void config_aliases_clear(config_t *cfg);
void config_synonyms_clear(config_t *cfg);
/* Append an empty synonym group; NULL on allocation failure. */
strv_t *config_synonyms_add(config_t *cfg);

/* ------------------------------------------------------------ validate.c */

/* Check the tree ROOT (a mapping) and set CFG's fields from it; 0, or -1
 * with the message in LD's buffer. */
int config_apply(const config_loader_t *ld, const config_node_t *root,
                 config_t *cfg);

#endif /* CONFIG_INT_H */
