/*
 * unit.h - the suites of the host's libcheck unit tests (check_main.c runs
 * them all).
 */
#ifndef NONEHOST_UNIT_H
#define NONEHOST_UNIT_H

#include <check.h>

Suite *elf_suite(void);
Suite *cli_suite(void);
Suite *abi_suite(void);
Suite *ram_suite(void);
Suite *sandbox_suite(void);
Suite *isolate_suite(void);
Suite *describe_suite(void);

#endif
