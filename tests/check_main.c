/* check_main.c - runs every Check suite in one SRunner
 *
 * Exits EXIT_FAILURE on any failure.  Honours Check's variables:
 * CK_RUN_SUITE, CK_RUN_CASE, CK_FORK=no for debugging, CK_TAP_LOG_FILE_NAME
 * for TAP output, CK_TIMEOUT_MULTIPLIER for slow (sanitizer) builds.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>

#include "tests/suites.h"

int
main(void)
{
    SRunner *sr = srunner_create(NULL);
    int n_failed;

#define SUITE(name) srunner_add_suite(sr, name##_suite());
#include "suites.inc"
#undef SUITE

    srunner_run_all(sr, CK_NORMAL);
    n_failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return n_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
