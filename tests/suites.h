/* suites.h - the Check suites of dossier
 *
 * Every tests/check_NAME.c defines Suite *NAME_suite(void); the Makefile
 * writes the list of names into suites.inc, so this header and
 * check_main.c never need editing when a suite is added.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SUITES_H
#define SUITES_H

#include <check.h>

#define SUITE(name) Suite *name##_suite(void);
#include "suites.inc"
#undef SUITE

#endif /* SUITES_H */
