/*
 * sbx_seccomp.c - layer 5, last: the seccomp allowlist.
 *
 * Contract: sbx_seccomp() loads one filter built from the policy's rules:
 * a listed system call whose argument comparisons hold is allowed, every
 * other one traps (SCMP_ACT_TRAP: SIGSYS, reported by sbx_report.c, which
 * must be installed first), or, for the supervisor (p->deny_eperm), fails
 * with EPERM, so that it still reports its child's end. Calls of another
 * ABI on the same CPU (amd64: i386 through int $0x80, x32 numbers) get the
 * same action, so they cannot reach system calls the native rules do not
 * name. The program is sbx_bpf.c's; a rule it cannot compile or a load
 * the kernel refuses dies 125 with the reason. Returns true: loaded.
 *
 * The one exception, "applied outside": under qemu-user (a foreign
 * architecture's host) the process cannot load a filter at all, since qemu
 * answers seccomp(2) with ENOSYS and PR_SET_SECCOMP with EINVAL (it would
 * filter its own calls made for the guest). There the native launcher puts
 * its filter on the qemu process before exec, which covers everything the
 * guest and this host do. So when the load fails with ENOSYS or EINVAL,
 * seccomp(2) itself is absent here (sbx_seccomp_probe: ENOSYS; EINVAL
 * alone would be a filter the kernel refused, never a reason to go on) and
 * the process already runs under the emulator's filter (its probe,
 * sandbox.h: qemu passes the call through, so the answer is the real
 * process's filter's), sbx_seccomp() returns false and the run goes on;
 * the callers say so (--trace, --policy). Anything else still dies 125.
 *
 * The program is a static array: nothing is allocated or freed around the
 * load (a free after it could hand memory back with munmap or brk, which
 * the filter forbids). Nothing allocates after this point.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

/* The emulator's filter answers its probe (sandbox.h): it is on this
 * process already. One system call. */
static bool filtered_from_outside(void)
{
	return syscall(SYS_getpriority, SBX_QEMU_PROBE_WHICH, 0) == -1 &&
	       errno == SBX_QEMU_PROBE_ERRNO;
}

int sbx_seccomp_probe(bool *outside)
{
	uint32_t action = SECCOMP_RET_TRAP;

	*outside = false;
	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0)
		return 0;
	if (errno != ENOSYS)
		return 0; /* there, but this action or operation refused: the load tells */
	*outside = filtered_from_outside();
	return ENOSYS;
}

bool sbx_seccomp(const struct sbx_policy *p)
{
	static struct sock_filter prog[BPF_MAXINSNS];
	const uint32_t deny = p->deny_eperm ? SCMP_ACT_ERRNO(EPERM) : SCMP_ACT_TRAP;
	bool outside;
	int len, rc;

	if ((len = sbx_bpf_compile(p->rule, p->nrules, deny, deny, prog, BPF_MAXINSNS)) < 0) {
		errno = -len;
		nh_die_errno(NH_EXIT_USAGE, "sandbox: compile the seccomp filter (%u rules)", p->nrules);
	}
	rc = sbx_bpf_load(prog, (size_t)len);
	if (rc == 0)
		return true;
	if ((rc == -ENOSYS || rc == -EINVAL) && sbx_seccomp_probe(&outside) == ENOSYS) {
		if (outside)
			return false;
		nh_die(NH_EXIT_USAGE, "sandbox: seccomp is unavailable here (seccomp(2): ENOSYS, "
		       "as under qemu-user) and no filter confines this process from outside");
	}
	errno = -rc;
	nh_die_errno(NH_EXIT_USAGE, "sandbox: seccomp(SECCOMP_SET_MODE_FILTER)");
}
