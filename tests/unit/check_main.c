/*
 * check_main.c - run every unit-test suite; exit 0 only if all pass.
 */
#include <check.h>
#include <stdlib.h>

#include "unit.h"

/* The ram suite expects SIGSEGV from protected pages: let it through
 * instead of having ASan report it. Out-of-bounds accesses are still caught
 * by ASan's shadow checks. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "handle_segv=0:handle_sigbus=0:handle_sigfpe=0";
}

int main(void)
{
	SRunner *sr = srunner_create(elf_suite());
	int failed;

	srunner_add_suite(sr, cli_suite());
	srunner_add_suite(sr, abi_suite());
	srunner_add_suite(sr, ram_suite());
	srunner_add_suite(sr, sandbox_suite());
	srunner_add_suite(sr, isolate_suite());
	srunner_add_suite(sr, mirror_suite());
	srunner_add_suite(sr, describe_suite());
	srunner_add_suite(sr, fsshim_suite());
	srunner_add_suite(sr, fsshim_twin_suite());
	srunner_add_suite(sr, fsshim_etc_suite());
	srunner_add_suite(sr, supervisor_suite());
	srunner_add_suite(sr, net_suite());
	srunner_add_suite(sr, net_policy_suite());
	srunner_add_suite(sr, net_unix_suite());
	srunner_add_suite(sr, binfmt_suite());
	srunner_add_suite(sr, proc_suite());
	srunner_add_suite(sr, launcher_suite());
	srunner_add_suite(sr, foreign_suite());
	srunner_add_suite(sr, signal_suite());
	srunner_add_suite(sr, inherit_suite());
	srunner_add_suite(sr, bpf_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
