/*
 * sbx_seccomp.c - layer 5, last: the seccomp allowlist.
 *
 * Contract: sbx_seccomp() loads one filter built from the policy's rules:
 * a listed system call whose argument comparisons hold is allowed, every
 * other one traps (SCMP_ACT_TRAP: SIGSYS, reported by sbx_report.c, which
 * must be installed first), or, for the supervisor (p->deny_eperm), fails
 * with EPERM, so that it still reports its child's end. Calls of another ABI on the same CPU (i386
 * through int $0x80, x32 numbers) get the same action (SCMP_FLTATR_ACT_BADARCH), so
 * they cannot reach system calls the x86_64 rules do not name. Every
 * libseccomp call is checked; a failure dies 125 with the call and reason.
 *
 * The filter context is deliberately never released: free() may hand
 * memory back with munmap or brk, which the filter now forbids, and the
 * process never returns here anyway. Nothing allocates after this point.
 */
#include <errno.h>

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

void sbx_seccomp(const struct sbx_policy *p)
{
	const uint32_t deny = p->deny_eperm ? SCMP_ACT_ERRNO(EPERM) : SCMP_ACT_TRAP;
	scmp_filter_ctx ctx = seccomp_init(deny);

	if (ctx == NULL)
		nh_die(NH_EXIT_USAGE, "sandbox: seccomp_init failed");
	check(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, deny),
	      "seccomp_attr_set(SCMP_FLTATR_ACT_BADARCH)", "");
	for (unsigned i = 0; i < p->nrules; i++) {
		const struct sbx_rule *r = &p->rule[i];

		check(seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, r->nr, r->nargs, r->arg),
		      "seccomp_rule_add for ", r->why);
	}
	check(seccomp_load(ctx), "seccomp_load", "");
}
