/* fuzz_config.c - the config loader on any file (config_load reads a path,
 * so the input is written to a temporary file first)
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <unistd.h>

#include "config/config.h"
#include "tests/fuzz/fuzz.h"

static char path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(path, sizeof path, "/tmp/dossier-fuzz-config-%ld.yaml",
             (long)getpid());
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    config_t cfg;
    char err[1024];

    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    err[0] = '\0';
    if (config_load(&cfg, path, err, sizeof err) < 0 && err[0] == '\0')
        abort();    /* a failure always says why */
    config_release(&cfg);
    unlink(path);
    return 0;
}
