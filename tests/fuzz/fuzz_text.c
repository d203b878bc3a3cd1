/* fuzz_text.c - plain text with header lines (extract_text)
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "tests/fuzz/fuzz_extract.inc"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return run_extract(EXTRACT_TEXT, data, size);
}
