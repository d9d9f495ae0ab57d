/*
 * check_describe.c - unit tests of --policy's output (sandbox/sbx_describe.c,
 * host/policy.c): printed into memory from a fixed probe, so every kernel
 * case (Landlock or none, CAP_SETPCAP or not, a namespace refused, the
 * sandbox off) is covered here, and the system call list is checked
 * against the policy table itself: every rule one line, no other.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"
#include "unit.h"

static char *describe(const struct sbx_policy *p, const struct sbx_probe *k)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	sbx_describe(f, p, k);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

static bool has(const char *out, const char *want)
{
	return strstr(out, want) != NULL;
}

#define HAS(out, want) ck_assert_msg(has(out, want), "lacks \"%s\" in:\n%s", want, out)
#define LACKS(out, want) ck_assert_msg(!has(out, want), "has \"%s\" in:\n%s", want, out)

START_TEST(test_layers)
{
	struct sbx_policy p;
	struct sbx_probe k = {.setpcap = true, .landlock_abi = 7};
	char *out;

	sbx_policy_init(&p);
	out = describe(&p, &k);
	HAS(out, "  0 namespaces     off (--isolate not given)\n");
	HAS(out, "  1 no_new_privs   on\n");
	HAS(out, "  2 rlimits        nofile 32, core 0, nproc 0 (soft = hard)\n");
	HAS(out, "  3 capabilities   all dropped, bounding set too\n");
	HAS(out, "  4 Landlock       ABI 7: every file system right, TCP bind/connect, abstract UNIX "
	         "socket and signal scopes handled, no rule\n");
	HAS(out, "  5 seccomp        15 system calls, 17 rules; default: trap");
	HAS(out, "grants:\n  files: none granted; network: none\n");
	HAS(out, "allowed system calls: 15 (17 rules)");
	free(out);
}
END_TEST

START_TEST(test_kernel_cases)
{
	struct sbx_policy p;
	struct sbx_probe k = {.landlock_abi = 0};
	char *out;

	sbx_policy_init(&p);
	out = describe(&p, &k);
	HAS(out, "  4 Landlock       unavailable (the kernel has none); going on without it\n");
	HAS(out, "bounding set kept (no CAP_SETPCAP");
	free(out);

	k.landlock_abi = 3;
	out = describe(&p, &k);
	HAS(out, "  4 Landlock       ABI 3: every file system right handled, no rule\n");
	free(out);

	k = (struct sbx_probe){.landlock_abi = 5, .isolate = true,
	                       .iso = {.made = (1u << SBX_NS_COUNT) - 1}};
	out = describe(&p, &k);
	HAS(out, "  0 namespaces     user, mount, ipc, network, pid; the image runs as PID 1\n");
	HAS(out, "ABI 5: every file system right, TCP bind/connect handled");
	HAS(out, "all dropped, bounding set too\n"); /* root in the new user namespace */
	free(out);

	k.iso.made &= ~((1u << SBX_NS_NET) | (1u << SBX_NS_PID));
	k.iso.err[SBX_NS_NET] = 1;  /* EPERM */
	k.iso.err[SBX_NS_PID] = 22; /* EINVAL */
	out = describe(&p, &k);
	HAS(out, "  0 namespaces     user, mount, ipc; network unavailable (Operation not permitted); "
	         "pid unavailable (Invalid argument)\n");
	free(out);

	k = (struct sbx_probe){.no_sandbox = true, .landlock_abi = 7};
	out = describe(&p, &k);
	HAS(out, "OFF: --no-sandbox, the image would run UNCONFINED");
	LACKS(out, "seccomp");
	LACKS(out, "files: none granted");
	free(out);
}
END_TEST

/* One line per rule, in table order, each naming the call once; a rule a
 * module adds shows up with its pins: the list is the table. */
START_TEST(test_syscalls_are_the_table)
{
	struct sbx_policy p;
	struct sbx_probe k = {.landlock_abi = 7};
	char *out, *list, *line;
	unsigned lines = 0, named = 0;

	sbx_policy_init(&p);
	SBX_ALLOW(&p, SCMP_SYS(read), "a test grant", SCMP_A0(SCMP_CMP_EQ, 3),
	          SCMP_A2(SCMP_CMP_LE, 4096));
	SBX_ALLOW(&p, SCMP_SYS(fcntl), "a masked pin", SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf0, 0x10));
	out = describe(&p, &k);
	HAS(out, "allowed system calls: 17 (19 rules)");
	HAS(out, "  read             a0 == 3 && a2 <= 4096");
	HAS(out, "a test grant\n");
	HAS(out, "  fcntl            (a1 & 0xf0) == 16");
	HAS(out, "  write            a0 == 1 ");
	HAS(out, "\n                   a0 == 2\n");
	HAS(out, "  getrandom        a1 <= 256 && a2 == 0 ");
	HAS(out, "  exit_group       any arguments ");
	list = strstr(out, "allowed system calls:");
	ck_assert_ptr_nonnull(list);
	list = strchr(list, '\n') + 1;
	for (line = strtok(list, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		ck_assert_msg(strncmp(line, "  ", 2) == 0, "line \"%s\"", line);
		lines++;
		named += line[2] != ' ';
	}
	ck_assert_uint_eq(lines, p.nrules);
	ck_assert_uint_eq(named, sbx_policy_nsyscalls(&p));
	free(out);
}
END_TEST

/* The fs-shim's grants: Landlock's line counts them, each is listed. */
START_TEST(test_grants)
{
	struct sbx_policy p;
	struct sbx_probe k = {.landlock_abi = 7};
	char *out;

	sbx_policy_init(&p);
	sbx_allow_path(&p, &(struct sbx_path){3, false, "/work", "/work", "the current directory", 0});
	sbx_allow_path(&p, &(struct sbx_path){4, true, "/data", "/srv/data", "", 0});
	out = describe(&p, &k);
	HAS(out, "  4 Landlock       ABI 7: every file system right, TCP bind/connect, abstract UNIX "
	         "socket and signal scopes handled, 2 path rules (the file grants below)\n");
	HAS(out, "grants:\n  files: 2 directories (guest path, ro/rw, host directory)\n");
	HAS(out, "    /work                          ro  /work  the current directory\n");
	HAS(out, "    /data                          rw  /srv/data\n");
	HAS(out, "  network: none\n");
	LACKS(out, "none granted");
	free(out);
	k.landlock_abi = 0;
	out = describe(&p, &k);
	HAS(out, "unavailable (the kernel has none); going on without it (files: only the fs-shim's "
	         "own checks, see fs-shim/README.md)\n");
	free(out);
}
END_TEST

START_TEST(test_image_summary)
{
	const struct elf_image img = {
		.entry = 0x10001000, .nseg = 2, .image_end = 0x10005000,
		.seg = {{.vaddr = 0x10001000, .memsz = 0x1234, .filesz = 0x1234, .flags = 5},
		        {.vaddr = 0x10004000, .memsz = 0x1000, .filesz = 16, .flags = 6}},
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	policy_image(f, "hello.elf", &img);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_str_eq(buf, "image: hello.elf: entry 0x10001000, 2 segments, image end 0x10005000\n"
	                      "  segment 0: 0x10001000-0x10002234 r-x, 4660 bytes from the file\n"
	                      "  segment 1: 0x10004000-0x10005000 rw-, 16 bytes from the file\n");
	free(buf);
}
END_TEST

/* The real probe agrees with the layers' own probes. */
START_TEST(test_probe)
{
	struct sbx_probe k;

	sbx_probe(&k, false, true);
	ck_assert_int_eq(k.landlock_abi, sbx_landlock_abi());
	ck_assert(k.isolate);
	if (geteuid() == 0)
		ck_assert(k.setpcap);
	for (int t = 0; t < SBX_NS_COUNT; t++)
		ck_assert_msg((k.iso.made & (1u << t)) || k.iso.err[t] != 0, "%s: neither made nor refused",
		              sbx_namespaces[t].name);
}
END_TEST

Suite *describe_suite(void)
{
	Suite *s = suite_create("describe");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, test_layers);
	tcase_add_test(tc, test_kernel_cases);
	tcase_add_test(tc, test_syscalls_are_the_table);
	tcase_add_test(tc, test_grants);
	tcase_add_test(tc, test_image_summary);
	tcase_add_test(tc, test_probe);
	suite_add_tcase(s, tc);
	return s;
}
