/* pagemap.h - where each page of a paged document starts in its body
 *
 * A PDF becomes one article whose body is the text of its pages in order;
 * the page map records the byte offset in that body where each page
 * starts, so a hit (or a snippet's offset) can be turned back into "p. 4".
 * Page N (1-based) covers [starts[N-1], starts[N]) and the last page runs
 * to the end of the body.  Offsets never decrease; an empty page starts
 * where the next one does.  The map travels as text (page_map_format()),
 * a comma-separated list of decimal offsets, so it can be stored beside
 * the body and read back by the searcher.  Never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PAGEMAP_H
#define PAGEMAP_H

#include <stddef.h>

typedef struct page_map {
    size_t *starts;         /* starts[i]: byte offset of page i + 1 */
    size_t n;               /* number of pages */
    size_t cap;
} page_map_t;

#define PAGE_MAP_INIT { NULL, 0, 0 }

void page_map_init(page_map_t *m);
void page_map_release(page_map_t *m);

/* Append a page starting at OFFSET (not below the last start).  0, or -1
 * with errno ENOMEM or EINVAL. */
int page_map_add(page_map_t *m, size_t offset);

/* The 1-based page holding byte OFFSET of the body; 0 when M is empty. */
size_t page_map_page_at(const page_map_t *m, size_t offset);

/* The byte range of PAGE (1-based) in a body of BODY_LEN bytes: *OFF and
 * *LEN.  0, or -1 when there is no such page. */
int page_map_range(const page_map_t *m, size_t page, size_t body_len,
                   size_t *off, size_t *len);

/* The map as "0,1834,3920" (malloc'd, the caller frees), or NULL on
 * ENOMEM; "" for an empty map. */
char *page_map_format(const page_map_t *m);

/* Parse S (as made by page_map_format()) into M (initialised, emptied
 * first).  0, or -1 on bad text (EINVAL) or ENOMEM; M is empty then. */
int page_map_parse(page_map_t *m, const char *s);

#endif /* PAGEMAP_H */
