/* pdfspeed.c - pages per second of dossier's PDF extractor
 *
 * Extracts each FILE with extract_pdf_file() (or, with --sandbox, through
 * sandbox_run() with the default limits, a child per file as the indexer
 * will run it), ROUNDS times, and prints one line: pages, best seconds of
 * the rounds, pages per second.  bench/pdf.sh runs it beside pdftotext on
 * the same files.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "indexer/extract_pdf.h"
#include "indexer/sandbox.h"

static int
parse_pdf(void *arg, extract_result_t *out, page_map_t *pages)
{
    return extract_pdf_file(arg, out, pages);
}

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    int sandboxed = 0, rounds = 3, i, r, first = 1;
    size_t n_pages = 0, bytes = 0;
    double best = 0, t;

    if (argc > first && strcmp(argv[first], "--sandbox") == 0) {
        sandboxed = 1;
        first++;
    }
    if (argc > first + 1 && strcmp(argv[first], "--rounds") == 0) {
        rounds = atoi(argv[first + 1]);
        first += 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: pdfspeed [--sandbox] [--rounds N] FILE...\n");
        return 2;
    }
    for (r = 0; r < rounds; r++) {
        n_pages = bytes = 0;
        t = now();
        for (i = first; i < argc; i++) {
            extract_result_t res;
            page_map_t pages = PAGE_MAP_INIT;
            int rc;

            memset(&res, 0, sizeof(res));
            if (sandboxed)
                rc = sandbox_run(parse_pdf, argv[i], NULL, &res, &pages)
                     == SANDBOX_OK ? 0 : -1;
            else
                rc = extract_pdf_file(argv[i], &res, &pages);
            if (rc < 0) {
                fprintf(stderr, "pdfspeed: %s: %s\n", argv[i], res.error);
                return 1;
            }
            n_pages += pages.n;
            bytes += res.articles[0].body.len;
            extract_result_release(&res);
            page_map_release(&pages);
        }
        t = now() - t;
        if (r == 0 || t < best)
            best = t;
    }
    printf("%zu pages, %zu bytes of text, %.3f s, %.0f pages/s\n", n_pages,
           bytes, best, n_pages / best);
    return 0;
}
