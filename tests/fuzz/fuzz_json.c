/* fuzz_json.c - JSON and JSON Lines exports (extract_json, extract_jsonl):
 * the first byte chooses which, the rest is the file.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "tests/fuzz/fuzz_extract.inc"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    return run_extract(data[0] & 1 ? EXTRACT_JSONL : EXTRACT_JSON, data + 1,
                       size - 1);
}
