/*
 * sbx_apply.c - confine the host process, in the order of sandbox.h.
 *
 * Contract: sbx_apply() runs the five layers in the order written down in
 * sandbox.h (no_new_privs, rlimits, capabilities, Landlock, seccomp last);
 * main.c calls it after the fault handlers are installed and every
 * resource is set up, right before the jump into the image. Any failure
 * dies 125 with one line. With trace it prints one summary line on stderr,
 *   [nh] sandbox: no_new_privs, rlimits (nofile 32, core 0, nproc 0),
 *        capabilities dropped (bounding set too), Landlock ABI 7 (fs, tcp,
 *        scopes), 3 path rules, seccomp: 11 system calls, 23 rules (0.4 ms)
 * (on one line), formatted before the filter is loaded and written after
 * it; under qemu-user with a filter on the emulator (sbx_seccomp.c) its end
 * reads "seccomp: applied outside, to the emulator (no seccomp(2) here)".
 * st, if not NULL, receives what was done.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

/* " (fs, tcp, scopes)": what Landlock handles; "tcp bind" or "tcp connect"
 * when the netstack-shim leaves the other right alone, nothing of TCP when
 * it leaves both (--net private). */
static const char *landlock_what(int abi, uint8_t unhandled)
{
	static const char *const tcp[4][2] = {
		{" (fs, tcp)", " (fs, tcp, scopes)"},
		{" (fs, tcp connect)", " (fs, tcp connect, scopes)"},
		{" (fs, tcp bind)", " (fs, tcp bind, scopes)"},
		{" (fs)", " (fs, scopes)"},
	};

	if (abi < 4)
		return " (fs)";
	return tcp[unhandled & (SBX_NET_BIND | SBX_NET_CONNECT)][abi >= 6];
}

void sbx_apply(const struct sbx_policy *p, bool trace, struct sbx_state *st)
{
	struct sbx_state s = {.nsyscalls = sbx_policy_nsyscalls(p)};
	struct timespec t0, t1;
	char line[512];
	int n = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	sbx_no_new_privs();
	sbx_rlimits(p);
	s.bounding_dropped = sbx_drop_caps();
	s.landlock_abi = sbx_landlock(p);
	sbx_report_install();
	if (trace) {
		char ll[160] = "no Landlock (the kernel has none)";
		unsigned nports = s.landlock_abi >= 4 ? sbx_policy_nports(p) : 0;

		if (s.landlock_abi > 0)
			snprintf(ll, sizeof(ll), "Landlock ABI %d%s, %u path rule%s%s", s.landlock_abi,
			         landlock_what(s.landlock_abi, p->net_unhandled), p->npaths,
			         p->npaths == 1 ? "" : "s", nports == 0 ? "" : " and TCP port rules");
		n = snprintf(line, sizeof(line),
		             "[nh] sandbox: no_new_privs, rlimits (nofile %llu, core 0, nproc %llu), "
		             "capabilities dropped%s, %s, seccomp: ",
		             (unsigned long long)p->nofile, (unsigned long long)p->nproc,
		             s.bounding_dropped ? " (bounding set too)" : " (bounding set kept: no CAP_SETPCAP)",
		             ll);
	}
	s.seccomp_outside = !sbx_seccomp(p); /* last: from here on only the allowlist */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (trace && n > 0 && (size_t)n < sizeof(line) - 96) {
		long us = (t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000;

		/* snprintf does no I/O and allocates nothing for these formats */
		if (s.seccomp_outside)
			n += snprintf(line + n, sizeof(line) - (size_t)n,
			              "applied outside, to the emulator (no seccomp(2) here)");
		else
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%u system calls, %u rules",
			              s.nsyscalls, p->nrules);
		n += snprintf(line + n, sizeof(line) - (size_t)n, " (%ld us)\n", us);
		if (write(STDERR_FILENO, line, (size_t)n) < 0) {
			/* tracing must not change the outcome */
		}
	}
	if (st != NULL)
		*st = s;
}
