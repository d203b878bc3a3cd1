/* yamlsafe.h - YAML events with anchors, aliases and deep nesting refused
 *
 * The one reader of YAML (the config file and Markdown front matter), and
 * the only code that includes libyaml's header.  It hands out libyaml's
 * parse events one at a time, but stops at the first anchor or alias (so no
 * alias bomb is ever expanded) and at the first collection nested deeper
 * than its caller allows (so a hostile file cannot grow a deep tree).
 * Marks are 0-based, as libyaml's; messages add 1.  Never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UTIL_YAMLSAFE_H
#define UTIL_YAMLSAFE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct yamlsafe yamlsafe_t;

typedef struct yamlsafe_mark {
    size_t index, line, column;     /* 0-based */
} yamlsafe_mark_t;

typedef enum yamlsafe_type {
    YAMLSAFE_OTHER = 0,         /* stream start, document end */
    YAMLSAFE_STREAM_END,
    YAMLSAFE_DOC_START,
    YAMLSAFE_SCALAR,
    YAMLSAFE_SEQ_START,
    YAMLSAFE_SEQ_END,
    YAMLSAFE_MAP_START,
    YAMLSAFE_MAP_END
} yamlsafe_type_t;

typedef struct yamlsafe_event {
    yamlsafe_type_t type;
    yamlsafe_mark_t mark;       /* where the event starts */
    const char *text;           /* scalars: NUL-terminated, owned by the
                                   reader, valid until the next call */
    size_t len;                 /* scalars: bytes (may hold NULs) */
    bool is_plain;              /* scalars: unquoted (may mean null) */
    size_t depth;               /* collections open after this event */
} yamlsafe_event_t;

typedef enum yamlsafe_status {
    YAMLSAFE_OK = 0,
    YAMLSAFE_NOMEM,
    YAMLSAFE_SYNTAX,            /* see yamlsafe_error() */
    YAMLSAFE_ANCHOR,            /* an anchor or alias at EV->mark */
    YAMLSAFE_DEEP               /* a collection at EV->mark would nest
                                   deeper than MAX_DEPTH */
} yamlsafe_status_t;

/* What libyaml said about a syntax error. */
typedef struct yamlsafe_error {
    const char *problem;        /* NULL when libyaml gave none */
    const char *context;        /* NULL when none */
    yamlsafe_mark_t mark;       /* libyaml's problem mark */
    bool is_reader;             /* an encoding error: MARK is not set by
                                   libyaml, READER_MARK is counted */
    yamlsafe_mark_t reader_mark;
} yamlsafe_error_t;

/* A reader of the LEN bytes at BUF (borrowed, kept until yamlsafe_free())
 * allowing MAX_DEPTH nested collections; with UTF8_ONLY the input is
 * taken as UTF-8 instead of guessed from a byte order mark.  NULL on
 * ENOMEM. */
yamlsafe_t *yamlsafe_new(const char *buf, size_t len, size_t max_depth,
                         bool utf8_only);

/* The next event into *EV.  After YAMLSAFE_STREAM_END, or any status but
 * YAMLSAFE_OK, there are no more. */
yamlsafe_status_t yamlsafe_next(yamlsafe_t *y, yamlsafe_event_t *ev);

/* The details of the YAMLSAFE_SYNTAX just returned; owned by Y. */
void yamlsafe_error(const yamlsafe_t *y, yamlsafe_error_t *err);

void yamlsafe_free(yamlsafe_t *y);

#endif /* UTIL_YAMLSAFE_H */
