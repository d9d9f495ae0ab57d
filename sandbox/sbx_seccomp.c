/*
 * sbx_seccomp.c - layer 5, last: the seccomp allowlist.
 *
 * Contract: sbx_seccomp() loads one filter built from the policy's rules:
 * a listed system call whose argument comparisons hold is allowed, every
 * other one traps (SCMP_ACT_TRAP: SIGSYS, reported by sbx_report.c, which
 * must be installed first), or, for the supervisor (p->deny_eperm), fails
 * with EPERM, so that it still reports its child's end. Calls of another
 * ABI on the same CPU (amd64: i386 through int $0x80, x32 numbers) get the
 * same action (SCMP_FLTATR_ACT_BADARCH), so they cannot reach system calls
 * the native rules do not name. Every libseccomp call is checked; a
 * failure dies 125 with the call and reason. Returns true: loaded.
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
 * The filter context is deliberately never released: free() may hand
 * memory back with munmap or brk, which the filter now forbids, and the
 * process never returns here anyway. Nothing allocates after this point.
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

/* libseccomp returns -errno; die with it. */
static void check(int rc, const char *what, const char *detail)
{
	if (rc == 0)
		return;
	errno = -rc;
	nh_die_errno(NH_EXIT_USAGE, "sandbox: %s%s", what, detail);
}

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
	const uint32_t deny = p->deny_eperm ? SCMP_ACT_ERRNO(EPERM) : SCMP_ACT_TRAP;
	scmp_filter_ctx ctx = seccomp_init(deny);
	bool outside;
	int rc;

	/* seccomp_load frees its program once the filter is in: a free that
	 * trims the heap would call brk, which the filter forbids. */
	mallopt(M_TRIM_THRESHOLD, INT_MAX);
	if (ctx == NULL)
		nh_die(NH_EXIT_USAGE, "sandbox: seccomp_init failed");
	check(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, deny),
	      "seccomp_attr_set(SCMP_FLTATR_ACT_BADARCH)", "");
	/* the kernel's own errno from the load, not libseccomp's ECANCELED */
	check(seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1),
	      "seccomp_attr_set(SCMP_FLTATR_API_SYSRAWRC)", "");
	for (unsigned i = 0; i < p->nrules; i++) {
		const struct sbx_rule *r = &p->rule[i];

		check(seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, r->nr, r->nargs, r->arg),
		      "seccomp_rule_add for ", r->why);
	}
	rc = seccomp_load(ctx);
	if (rc == 0)
		return true;
	if ((rc == -ENOSYS || rc == -EINVAL) && sbx_seccomp_probe(&outside) == ENOSYS) {
		if (outside)
			return false;
		nh_die(NH_EXIT_USAGE, "sandbox: seccomp is unavailable here (seccomp(2): ENOSYS, "
		       "as under qemu-user) and no filter confines this process from outside");
	}
	check(rc, "seccomp_load", "");
	return true;
}
