/* extract_pdf.h - PDF files through libpoppler-glib
 *
 * One article per PDF: the text of every page in order (poppler's reading
 * order, lines of a page joined with spaces, each page its own paragraph),
 * with a page map giving the byte offset in the body where each page
 * starts.  Metadata from the document information dictionary (or XMP, as
 * poppler merges them): Title, Author (raw, the caller splits and
 * normalises it), CreationDate (as "YYYY-MM-DD" in the date's own zone),
 * Keywords (tags, comma-separated).  Without a usable Title, the first
 * non-blank line of the first page is the title; without an Author or a
 * CreationDate, the first page's opening lines may give them: "By NAME",
 * "Author: NAME" (any author or date key of article.h's table), or a line
 * that is a date to the month at least ("14 March 2025").
 *
 * Failures are errors with a reason, never a crash of the caller's own
 * code; a crash or hang inside poppler is the sandbox's business (run this
 * through sandbox_run() on untrusted files):
 *   "encrypted (needs a password)"   the user password is not empty
 *   "broken PDF: <poppler's reason>" unreadable, truncated past repair
 *   "no pages"                       a catalog without pages
 *   "no text layer (scanned?)"       not one character of text on any page
 * poppler's own diagnostics go to stderr through its error callback; the
 * sandbox silences the child's stderr.  Never prints or exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EXTRACT_PDF_H
#define EXTRACT_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include "indexer/extract.h"
#include "indexer/pagemap.h"

/* Whether the first bytes HEAD (LEN of them, 5 or more to say yes) are a
 * PDF's "%PDF-" signature, for detection by content. */
bool extract_pdf_sniff(const void *head, size_t len);

/* Extract the PDF at PATH into OUT (zeroed by the caller) and PAGES
 * (initialised by the caller; one start per page of the document).
 * Returns 0 with one article, or -1 with OUT->error set, no article and
 * PAGES empty. */
int extract_pdf_file(const char *path, extract_result_t *out,
                     page_map_t *pages);

/* As extract_pdf_file(), from BUF (LEN bytes, borrowed for the call). */
int extract_pdf_buffer(const void *buf, size_t len, extract_result_t *out,
                       page_map_t *pages);

#endif /* EXTRACT_PDF_H */
