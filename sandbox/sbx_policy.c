/*
 * sbx_policy.c - what the running host may do after start-up: the seccomp
 * allowlist of the core host and the default resource limits.
 *
 * Contract: sbx_policy_init() fills the core rules below. They were found by
 * running the assembly guest (every mode) and Go guests (hello, sleep,
 * alloc, goroutines, cryptorand, panic, fault, oom, --trace) under
 * strace -f, plus reading every code path that can run after gate_enter()
 * (README.md has the table and the strace summary). Every rule names the
 * code that needs it; arguments are pinned wherever the kernel passes them
 * by value. It pins this process's pid and tid, so call it in the process
 * that will apply the policy. sbx_allow() appends one rule (modules call it
 * for the descriptors they own) and dies 125 when the table is full;
 * sbx_allow_path() likewise appends a Landlock path rule (the fs-shim's
 * grants), sbx_allow_ports() a range of TCP port rules (the netstack-shim's
 * grants; sbx_policy_nports() counts the rules they make).
 * sbx_supervisor_policy_init() fills the supervising parent's allowlist
 * (sbx_supervise.c: what it does once confined, found the same way, under
 * strace -f): wait for the child, SIGKILL it, catch, restore and re-raise
 * signals, write its own error lines, exit; at_exit->policy adds the rest.
 *
 * Deliberately absent from the core: every way to get a new descriptor
 * (open*, socket, accept, pipe, dup*, memfd_create, io_uring_setup, ...;
 * the fs-shim adds openat2, the netstack-shim socket and accept4, each
 * pinned), to run or change
 * code (execve*, mmap, mprotect, pkey_mprotect, remap_file_pages, brk: the
 * host allocates nothing after start-up), to make or steer processes
 * (clone*, fork, ptrace, kill, process_vm_*, prctl, setuid...), and every
 * clock or flag the host does not use.
 */
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "arch.h"
#include "host.h"
#include "sandbox.h"

#ifdef __NR_poll
#define SYS_POLL SCMP_SYS(poll)
#else
#define SYS_POLL SCMP_SYS(ppoll) /* (fds, nfds, NULL, NULL, 0) for poll(fds, nfds, -1) */
#endif

/* Descriptors: 0, 1, 2, whatever the parent let us inherit (make's
 * jobserver, a test harness's extra files) and Landlock's ruleset, which
 * is opened after the limit is set. Modules add what they open. */
#define SBX_NOFILE_CORE 32

/* Signals the host handles and, when another process sends one, re-raises
 * with the default action (fault.c, sbx_report.c): signal(sig, SIG_DFL),
 * then glibc's raise(), which is gettid + getpid + tgkill. */
static const int reraised[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGPIPE};

void sbx_allow(struct sbx_policy *p, int nr, const char *why, unsigned nargs,
               const struct scmp_arg_cmp *arg)
{
	struct sbx_rule *r;

	if (p->nrules >= SBX_MAX_RULES)
		nh_die(NH_EXIT_USAGE, "sandbox: too many seccomp rules (%d at most; adding \"%s\")",
		       SBX_MAX_RULES, why);
	if (nargs > SBX_MAX_ARGS)
		nh_die(NH_EXIT_USAGE, "sandbox: seccomp rule \"%s\" compares %u arguments (%d at most)",
		       why, nargs, SBX_MAX_ARGS);
	/* SCMP_SYS() of a call this architecture lacks (poll on arm64) is a
	 * negative pseudo-number, which libseccomp would drop in silence:
	 * the host would then die on a call the table seems to allow. */
	if (nr < 0)
		nh_die(NH_EXIT_USAGE, "sandbox: seccomp rule \"%s\": no such system call on "
		       ARCH_GOARCH " (pseudo-number %d)", why, nr);
	r = &p->rule[p->nrules++];
	*r = (struct sbx_rule){.nr = nr, .nargs = nargs, .why = why};
	for (unsigned i = 0; i < nargs; i++)
		r->arg[i] = arg[i];
}

void sbx_allow_path(struct sbx_policy *p, const struct sbx_path *path)
{
	if (p->npaths >= SBX_MAX_PATHS)
		nh_die(NH_EXIT_USAGE, "sandbox: too many Landlock path rules (%d at most; adding %s)",
		       SBX_MAX_PATHS, path->host);
	p->path[p->npaths++] = *path;
}

void sbx_allow_ports(struct sbx_policy *p, uint16_t lo, uint16_t hi, uint8_t access)
{
	if (p->nports >= SBX_MAX_PORTS)
		nh_die(NH_EXIT_USAGE, "sandbox: too many Landlock port ranges (%d at most; adding "
		       "%u-%u)", SBX_MAX_PORTS, lo, hi);
	p->port[p->nports++] = (struct sbx_ports){lo, hi, access};
}

unsigned sbx_policy_nports(const struct sbx_policy *p)
{
	unsigned n = 0;

	for (unsigned i = 0; i < p->nports; i++)
		if (!(p->net_unhandled & p->port[i].access))
			n += (unsigned)(p->port[i].hi - p->port[i].lo) + 1;
	return n;
}

void sbx_policy_init(struct sbx_policy *p)
{
	const scmp_datum_t pid = (scmp_datum_t)getpid(), tid = (scmp_datum_t)gettid();

	*p = (struct sbx_policy){.nofile = SBX_NOFILE_CORE, .nproc = 0};

	SBX_ALLOW(p, SCMP_SYS(write), "console: WRITE, PRINTK flush, --trace, fault and sandbox reports",
	          SCMP_A0(SCMP_CMP_EQ, 1));
	SBX_ALLOW(p, SCMP_SYS(write), "console: WRITE, PRINTK flush, --trace, fault and sandbox reports",
	          SCMP_A0(SCMP_CMP_EQ, 2));
	/* The pollfd's descriptor is behind a pointer: only the count is pinned.
	 * arm64 and riscv64 have no poll(2): glibc's poll() is ppoll there
	 * (arm has it). */
	SBX_ALLOW(p, SYS_POLL, "console: wait for POLLOUT when fd 1/2 is non-blocking and full",
	          SCMP_A1(SCMP_CMP_EQ, 1));
	SBX_ALLOW(p, SCMP_SYS(clock_nanosleep), "IDLE: sleep until a monotonic deadline",
	          SCMP_A0(SCMP_CMP_EQ, CLOCK_MONOTONIC), SCMP_A1(SCMP_CMP_EQ, TIMER_ABSTIME));
	/* Normally the vDSO answers without a system call; it falls back to
	 * one when the clock source cannot be read from user space. */
	SBX_ALLOW(p, SCMP_SYS(clock_gettime), "NANOTIME, IDLE, --trace (vDSO fallback)",
	          SCMP_A0(SCMP_CMP_EQ, CLOCK_MONOTONIC));
	SBX_ALLOW(p, SCMP_SYS(clock_gettime), "WALLTIME (vDSO fallback)",
	          SCMP_A0(SCMP_CMP_EQ, CLOCK_REALTIME));
#ifdef __NR_clock_gettime64
	/* 32-bit arm (64-bit time_t): glibc tries clock_gettime64 first (the
	 * 32-bit call above on a kernel without it); its clock_nanosleep is
	 * the 32-bit call while the deadline fits 32 bits (hook_time.c keeps
	 * it there), clock_nanosleep_time64 past that. */
	SBX_ALLOW(p, SCMP_SYS(clock_nanosleep_time64), "IDLE: sleep until a monotonic deadline",
	          SCMP_A0(SCMP_CMP_EQ, CLOCK_MONOTONIC), SCMP_A1(SCMP_CMP_EQ, TIMER_ABSTIME));
	SBX_ALLOW(p, SCMP_SYS(clock_gettime64), "NANOTIME, IDLE, --trace (vDSO fallback)",
	          SCMP_A0(SCMP_CMP_EQ, CLOCK_MONOTONIC));
	SBX_ALLOW(p, SCMP_SYS(clock_gettime64), "WALLTIME (vDSO fallback)",
	          SCMP_A0(SCMP_CMP_EQ, CLOCK_REALTIME));
#endif
	SBX_ALLOW(p, SCMP_SYS(getrandom), "GETRANDOM: at most 256 bytes, blocking, no flags",
	          SCMP_A1(SCMP_CMP_LE, NH_GETRANDOM_MAX), SCMP_A2(SCMP_CMP_EQ, 0));
	sbx_allow(p, SCMP_SYS(exit_group), "EXIT, fault and sandbox reports (_exit)", 0, NULL);
	sbx_allow(p, SCMP_SYS(rt_sigreturn), "fault.c: resume the guest at its fault handler", 0, NULL);
	for (size_t i = 0; i < sizeof(reraised) / sizeof(reraised[0]); i++) {
		scmp_datum_t sig = (scmp_datum_t)reraised[i];

		SBX_ALLOW(p, SCMP_SYS(rt_sigaction), "fault.c, sbx_report.c, hook_console.c: re-raise a signal",
		          SCMP_A0(SCMP_CMP_EQ, sig));
		SBX_ALLOW(p, SCMP_SYS(tgkill), "fault.c, sbx_report.c: re-raise a sent signal",
		          SCMP_A0(SCMP_CMP_EQ, pid), SCMP_A1(SCMP_CMP_EQ, tid), SCMP_A2(SCMP_CMP_EQ, sig));
	}
	sbx_allow(p, SCMP_SYS(getpid), "fault.c, sbx_report.c: raise()", 0, NULL);
	sbx_allow(p, SCMP_SYS(gettid), "fault.c, sbx_report.c: raise()", 0, NULL);
}

void sbx_supervisor_policy_init(struct sbx_policy *p, pid_t child)
{
	const scmp_datum_t pid = (scmp_datum_t)getpid(), tid = (scmp_datum_t)gettid();

	*p = (struct sbx_policy){.nofile = 0, .nproc = 0, .deny_eperm = true, .may_signal = true};

	SBX_ALLOW(p, SCMP_SYS(wait4), "supervisor: waitpid(child, &st, 0)",
	          SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)child), SCMP_A2(SCMP_CMP_EQ, 0));
	SBX_ALLOW(p, SCMP_SYS(kill), "supervisor: pass a signal on to the child as SIGKILL",
	          SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)child), SCMP_A1(SCMP_CMP_EQ, SIGKILL));
	SBX_ALLOW(p, SCMP_SYS(rt_sigaction), "supervisor: signal(sig, SIG_DFL) before a re-raise",
	          SCMP_A0(SCMP_CMP_LE, 64));
	SBX_ALLOW(p, SCMP_SYS(rt_sigprocmask), "supervisor: unblock the signal it re-raises",
	          SCMP_A0(SCMP_CMP_EQ, SIG_UNBLOCK));
	sbx_allow(p, SCMP_SYS(rt_sigreturn), "supervisor: return from the forwarding handler", 0,
	          NULL);
	sbx_allow(p, SCMP_SYS(getpid), "supervisor: raise()", 0, NULL);
	sbx_allow(p, SCMP_SYS(gettid), "supervisor: raise()", 0, NULL);
	SBX_ALLOW(p, SCMP_SYS(tgkill), "supervisor: raise() the child's or the forwarded signal",
	          SCMP_A0(SCMP_CMP_EQ, pid), SCMP_A1(SCMP_CMP_EQ, tid));
	SBX_ALLOW(p, SCMP_SYS(write), "supervisor: its own error lines", SCMP_A0(SCMP_CMP_EQ, 2));
	sbx_allow(p, SCMP_SYS(exit_group), "supervisor: leave with the child's status", 0, NULL);
#ifdef __SANITIZE_ADDRESS__
	/* The unit tests' ASan build only: __asan_handle_no_return, before every
	 * _Noreturn call (_exit, die_by), reads the alternate stack. */
	SBX_ALLOW(p, SCMP_SYS(sigaltstack), "supervisor: ASan reads the signal stack (tests only)",
	          SCMP_A0(SCMP_CMP_EQ, 0));
#endif
}

unsigned sbx_policy_nsyscalls(const struct sbx_policy *p)
{
	unsigned n = 0;

	for (unsigned i = 0; i < p->nrules; i++) {
		unsigned j = 0;

		while (j < i && p->rule[j].nr != p->rule[i].nr)
			j++;
		n += j == i; /* first rule for this system call */
	}
	return n;
}
