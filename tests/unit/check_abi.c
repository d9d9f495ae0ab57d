/*
 * check_abi.c - the ABI header agrees with itself: the NH_HB_* offset macros
 * (used by guest assembly) equal offsetof() of struct nh_hostblock, sizes are
 * pinned, and the magic spells "NONEHOST" in guest memory.
 */
#include <check.h>
#include <stddef.h>
#include <string.h>

#include "nonehost_abi.h"
#include "unit.h"

#define OFF(macro, field) ck_assert_uint_eq(macro, offsetof(struct nh_hostblock, field))

START_TEST(test_hostblock_offsets)
{
	OFF(NH_HB_MAGIC, magic);
	OFF(NH_HB_ABI_VERSION, abi_version);
	OFF(NH_HB_SIZE, size);
	OFF(NH_HB_RAM_START, ram_start);
	OFF(NH_HB_RAM_SIZE, ram_size);
	OFF(NH_HB_RAM_STACK_OFFSET, ram_stack_offset);
	OFF(NH_HB_HEAP_START, heap_start);
	OFF(NH_HB_STACK_TOP, stack_top);
	OFF(NH_HB_STACK_SIZE, stack_size);
	OFF(NH_HB_ARGC, argc);
	OFF(NH_HB_ARGV, argv);
	OFF(NH_HB_GATE, gate);
	OFF(NH_HB_GATE_STACK, gate_stack);
	OFF(NH_HB_FLAGS, flags);
	OFF(NH_HB_CWD, cwd);
	OFF(NH_HB_SIG_PENDING, sig_pending);
	OFF(NH_HB_SIG_IGNORED, sig_ignored);
	OFF(NH_HB_UID, uid);
	OFF(NH_HB_GID, gid);
	OFF(NH_HB_HWCAP, hwcap);
	OFF(NH_HB_HWCAP2, hwcap2);
	ck_assert_uint_eq(sizeof(struct nh_hostblock), 256);
	ck_assert_uint_eq(offsetof(struct nh_hostblock, reserved) + sizeof(((struct nh_hostblock *)0)->reserved), 256);
}
END_TEST

START_TEST(test_fault_layout)
{
	ck_assert_uint_eq(offsetof(struct nh_fault, signo), 0);
	ck_assert_uint_eq(offsetof(struct nh_fault, code), 8);
	ck_assert_uint_eq(offsetof(struct nh_fault, addr), 16);
	ck_assert_uint_eq(offsetof(struct nh_fault, pc), 24);
}
END_TEST

START_TEST(test_pollev_layout)
{
	ck_assert_uint_eq(offsetof(struct nh_pollev, tag), 0);
	ck_assert_uint_eq(offsetof(struct nh_pollev, events), 8);
	ck_assert_uint_eq(sizeof(struct nh_pollev), 16);
}
END_TEST

START_TEST(test_constants)
{
	uint64_t m = NH_ABI_MAGIC;
	char s[9] = {0};

	memcpy(s, &m, 8);
	ck_assert_str_eq(s, "NONEHOST");
	ck_assert_uint_eq(NH_RAM_START % NH_PAGE_SIZE, 0);
	ck_assert_uint_eq(NH_TEXT_ADDR % NH_PAGE_SIZE, 0);
	ck_assert_uint_eq(NH_RAM_STACK_OFFSET % NH_PAGE_SIZE, 0);
	ck_assert_int_eq(NH_EXIT_FAULT, 128 + 11);
	ck_assert_int_eq(NH_EXIT_SANDBOX, 128 + 31);
}
END_TEST

Suite *abi_suite(void)
{
	Suite *s = suite_create("abi");
	TCase *tc = tcase_create("layout");

	tcase_add_test(tc, test_hostblock_offsets);
	tcase_add_test(tc, test_fault_layout);
	tcase_add_test(tc, test_pollev_layout);
	tcase_add_test(tc, test_constants);
	suite_add_tcase(s, tc);
	return s;
}
