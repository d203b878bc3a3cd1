/* fuzz_html.c - saved web pages (extract_html, libxml2's HTML parser)
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "tests/fuzz/fuzz_extract.inc"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return run_extract(EXTRACT_HTML, data, size);
}
