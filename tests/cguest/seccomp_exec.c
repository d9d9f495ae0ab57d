/*
 * seccomp_exec.c - run a command under a seccomp filter (a test helper, built
 * for this machine: tests/cguest/run_foreign.sh).
 *
 * usage: seccomp_exec CMD [ARGS...]
 *
 * Contract: sets no_new_privs, loads a filter that allows everything but a
 * few calls no test needs (ptrace, process_vm_readv/writev, mount, reboot,
 * kexec_load: EPERM), then execs CMD. It stands in for the native launcher,
 * which puts its own filter on qemu-user before the exec: a foreign host
 * under qemu cannot load one itself (seccomp(2) is ENOSYS there) and goes
 * on only when the emulator's filter is on already, as its probe tells
 * (sandbox.h, SBX_QEMU_PROBE_*), which this answers too. Exits 127 with one
 * line on stderr when it cannot.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "sandbox.h"

static int fail(const char *what, int err)
{
	fprintf(stderr, "seccomp_exec: %s: %s\n", what, strerror(err));
	return 127;
}

int main(int argc, char **argv)
{
	static const int denied[] = {
		SCMP_SYS(ptrace), SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev),
		SCMP_SYS(mount), SCMP_SYS(reboot), SCMP_SYS(kexec_load),
	};
	scmp_filter_ctx ctx;
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: seccomp_exec CMD [ARGS...]\n");
		return 127;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return fail("PR_SET_NO_NEW_PRIVS", errno);
	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		return fail("seccomp_init", ENOMEM);
	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), denied[i], 0)) != 0)
			return fail("seccomp_rule_add", -rc);
	if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(SBX_QEMU_PROBE_ERRNO), SCMP_SYS(getpriority),
	                           1, SCMP_A0(SCMP_CMP_EQ, SBX_QEMU_PROBE_WHICH))) != 0)
		return fail("seccomp_rule_add", -rc);
	if ((rc = seccomp_load(ctx)) != 0)
		return fail("seccomp_load", -rc);
	seccomp_release(ctx);
	execvp(argv[1], argv + 1);
	return fail(argv[1], errno);
}
