/* yamlsafe.c - YAML events with anchors, aliases and deep nesting refused
 *
 * A filter over libyaml's event parser: each event is checked before it
 * is handed out, so the caller never sees an anchor, an alias or a
 * collection deeper than it allows.  Never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/yamlsafe.h"

#include <stdlib.h>

#include <yaml.h>

struct yamlsafe {
    yaml_parser_t parser;
    yaml_event_t ev;
    bool has_ev;                /* EV must be deleted */
    const char *buf;
    size_t len;
    size_t max_depth;
    size_t depth;
};

yamlsafe_t *
yamlsafe_new(const char *buf, size_t len, size_t max_depth, bool utf8_only)
{
    yamlsafe_t *y = calloc(1, sizeof *y);

    if (y == NULL)
        return NULL;
    if (!yaml_parser_initialize(&y->parser)) {
        free(y);
        return NULL;
    }
    yaml_parser_set_input_string(&y->parser, (const unsigned char *)buf,
                                 len);
    if (utf8_only)
        yaml_parser_set_encoding(&y->parser, YAML_UTF8_ENCODING);
    y->buf = buf;
    y->len = len;
    y->max_depth = max_depth;
    return y;
}

void
yamlsafe_free(yamlsafe_t *y)
{
    if (y == NULL)
        return;
    if (y->has_ev)
        yaml_event_delete(&y->ev);
    yaml_parser_delete(&y->parser);
    free(y);
}

static bool
has_anchor(const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        return true;
    case YAML_SCALAR_EVENT:
        return ev->data.scalar.anchor != NULL;
    case YAML_SEQUENCE_START_EVENT:
        return ev->data.sequence_start.anchor != NULL;
    case YAML_MAPPING_START_EVENT:
        return ev->data.mapping_start.anchor != NULL;
    default:
        return false;
    }
}

static yamlsafe_mark_t
mark_of(yaml_mark_t m)
{
    yamlsafe_mark_t out = { m.index, m.line, m.column };

    return out;
}

yamlsafe_status_t
yamlsafe_next(yamlsafe_t *y, yamlsafe_event_t *out)
{
    yaml_event_t *ev = &y->ev;

    if (y->has_ev) {
        yaml_event_delete(ev);
        y->has_ev = false;
    }
    out->type = YAMLSAFE_OTHER;
    out->mark = (yamlsafe_mark_t){ 0, 0, 0 };
    out->text = NULL;
    out->len = 0;
    out->is_plain = false;
    if (!yaml_parser_parse(&y->parser, ev))
        return y->parser.error == YAML_MEMORY_ERROR ? YAMLSAFE_NOMEM
                                                    : YAMLSAFE_SYNTAX;
    y->has_ev = true;
    out->mark = mark_of(ev->start_mark);
    if (has_anchor(ev))
        return YAMLSAFE_ANCHOR;
    switch (ev->type) {
    case YAML_STREAM_END_EVENT:
        out->type = YAMLSAFE_STREAM_END;
        break;
    case YAML_DOCUMENT_START_EVENT:
        out->type = YAMLSAFE_DOC_START;
        break;
    case YAML_SCALAR_EVENT:
        out->type = YAMLSAFE_SCALAR;
        out->text = (const char *)ev->data.scalar.value;
        out->len = ev->data.scalar.length;
        out->is_plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (y->depth >= y->max_depth)
            return YAMLSAFE_DEEP;
        y->depth++;
        out->type = ev->type == YAML_SEQUENCE_START_EVENT
            ? YAMLSAFE_SEQ_START : YAMLSAFE_MAP_START;
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (y->depth > 0)
            y->depth--;
        out->type = ev->type == YAML_SEQUENCE_END_EVENT
            ? YAMLSAFE_SEQ_END : YAMLSAFE_MAP_END;
        break;
    default:
        break;
    }
    out->depth = y->depth;
    return YAMLSAFE_OK;
}

void
yamlsafe_error(const yamlsafe_t *y, yamlsafe_error_t *err)
{
    const yaml_parser_t *p = &y->parser;
    size_t i;

    err->problem = p->problem;
    err->context = p->context;
    err->mark = mark_of(p->problem_mark);
    err->is_reader = p->error == YAML_READER_ERROR;
    err->reader_mark = (yamlsafe_mark_t){ p->problem_offset, 0, 0 };
    if (!err->is_reader)
        return;
    /* The reader has no mark: count lines up to the offset. */
    for (i = 0; i < p->problem_offset && i < y->len; i++) {
        if (y->buf[i] == '\n') {
            err->reader_mark.line++;
            err->reader_mark.column = 0;
        } else if (((unsigned char)y->buf[i] & 0xC0) != 0x80) {
            err->reader_mark.column++;
        }
    }
}
