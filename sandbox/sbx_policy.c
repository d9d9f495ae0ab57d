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
 * strace -f): wait for the child, signal it (a signal the image catches,
 * or SIGKILL), catch, restore and re-raise signals, write its own error
 * lines, exit; at_exit->policy adds the rest.
 *
 * Deliberately absent from the core: every way to get a new descriptor
 * (open*, socket, accept, pipe, dup*, memfd_create, io_uring_setup, ...;
 * the fs-shim adds openat2, the netstack-shim socket and accept4, each
 * pinned), to run or change
 * code (execve*, mmap, pkey_mprotect, remap_file_pages, brk: the host
 * allocates nothing after start-up; mprotect only without PROT_EXEC, for
 * MEM_PROTECT, madvise only MADV_DONTNEED, for MEM_RELEASE), to make or
 * steer processes
 * (clone*, fork, ptrace, kill, process_vm_*, prctl, setuid...), and every
 * clock or flag the host does not use.
 * Signals (host/signal.c) are the process's own business: rt_sigaction of
 * any signal up to 64, rt_sigprocmask, tgkill of this thread only. The
 * handlers they install are this process's code or the image's, which
 * runs in it anyway, so a hostile image gains nothing by them: a call the
 * filter traps never runs, whoever handles the SIGSYS (and a blocked or
 * ignored one is forced through: the process dies of it).
 */
#include <signal.h>
#include <sys/mman.h>
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
	*r = (struct sbx_rule){.nr = nr, .action = SCMP_ACT_ALLOW, .nargs = nargs, .why = why};
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
	SBX_ALLOW(p, SCMP_SYS(clock_gettime), "NANOTIME, NOW, IDLE, --trace (vDSO fallback)",
	          SCMP_A0(SCMP_CMP_EQ, CLOCK_MONOTONIC));
	SBX_ALLOW(p, SCMP_SYS(clock_gettime), "WALLTIME, NOW (vDSO fallback)",
	          SCMP_A0(SCMP_CMP_EQ, CLOCK_REALTIME));
#ifdef __NR_clock_gettime64
	/* 32-bit arm (64-bit time_t): glibc tries clock_gettime64 first (the
	 * 32-bit call above on a kernel without it); its clock_nanosleep is
	 * the 32-bit call while the deadline fits 32 bits (hook_time.c keeps
	 * it there), clock_nanosleep_time64 past that. */
	SBX_ALLOW(p, SCMP_SYS(clock_nanosleep_time64), "IDLE: sleep until a monotonic deadline",
	          SCMP_A0(SCMP_CMP_EQ, CLOCK_MONOTONIC), SCMP_A1(SCMP_CMP_EQ, TIMER_ABSTIME));
	SBX_ALLOW(p, SCMP_SYS(clock_gettime64), "NANOTIME, NOW, IDLE, --trace (vDSO fallback)",
	          SCMP_A0(SCMP_CMP_EQ, CLOCK_MONOTONIC));
	SBX_ALLOW(p, SCMP_SYS(clock_gettime64), "WALLTIME, NOW (vDSO fallback)",
	          SCMP_A0(SCMP_CMP_EQ, CLOCK_REALTIME));
#endif
	SBX_ALLOW(p, SCMP_SYS(getrandom), "GETRANDOM: at most 256 bytes, blocking, no flags",
	          SCMP_A1(SCMP_CMP_LE, NH_GETRANDOM_MAX), SCMP_A2(SCMP_CMP_EQ, 0));
	/* The window of RAM it applies to is checked by the op; here, that
	 * no page ever becomes executable (the mask keeps PROT_READ and
	 * PROT_WRITE; PROT_EXEC, PROT_SEM and PROT_GROWS* must be 0). */
	SBX_ALLOW(p, SCMP_SYS(mprotect), "MEM_PROTECT: the guest's pages, read and write only",
	          SCMP_A2(SCMP_CMP_MASKED_EQ, (uint32_t)~(PROT_READ | PROT_WRITE), 0));
	SBX_ALLOW(p, SCMP_SYS(madvise), "MEM_RELEASE: the heap's free pages back to the kernel",
	          SCMP_A2(SCMP_CMP_EQ, MADV_DONTNEED));
	sbx_allow(p, SCMP_SYS(exit_group), "EXIT, fault and sandbox reports (_exit)", 0, NULL);
	sbx_allow(p, SCMP_SYS(rt_sigreturn), "fault.c, preempt.c, signal.c: return from a handler",
	          0, NULL);
	/* The signals the host handles, restores and re-raises (fault.c,
	 * sbx_report.c: a fault signal sent by another process; signal.c:
	 * SIGNAL, RAISE and the image's end by a signal, hook_console.c's by
	 * SIGPIPE); nh_raise() is getpid + gettid + tgkill. */
	SBX_ALLOW(p, SCMP_SYS(rt_sigaction), "signal.c: SIGNAL, a default restored before the image "
	          "ends by a signal; fault.c, sbx_report.c: re-raise a sent one",
	          SCMP_A0(SCMP_CMP_LE, NH_SIGNAL_MAX));
	sbx_allow(p, SCMP_SYS(rt_sigprocmask), "signal.c: IDLE blocks the caught signals while it "
	          "looks at sig_pending; unblock the signal the image ends by", 0, NULL);
	SBX_ALLOW(p, SCMP_SYS(tgkill), "signal.c: the image ends by a signal; fault.c, "
	          "sbx_report.c: re-raise a sent one (this thread only)",
	          SCMP_A0(SCMP_CMP_EQ, pid), SCMP_A1(SCMP_CMP_EQ, tid));
	sbx_allow(p, SCMP_SYS(getpid), "fault.c, sbx_report.c, signal.c: nh_raise()", 0, NULL);
	sbx_allow(p, SCMP_SYS(gettid), "fault.c, sbx_report.c, signal.c: nh_raise()", 0, NULL);
	/* No descriptor at all: only a signal or the timeout ends it. */
	SBX_ALLOW(p, SCMP_SYS(ppoll), "IDLE while a signal is caught: wait for it or the deadline",
	          SCMP_A0(SCMP_CMP_EQ, 0), SCMP_A1(SCMP_CMP_EQ, 0));
#ifdef __NR_ppoll_time64
	/* 32-bit arm: glibc's ppoll is ppoll_time64 for a timeout past 2038
	 * (hook_time.c keeps it below, as for clock_nanosleep) */
	SBX_ALLOW(p, SCMP_SYS(ppoll_time64), "IDLE while a signal is caught: wait for it or the "
	          "deadline", SCMP_A0(SCMP_CMP_EQ, 0), SCMP_A1(SCMP_CMP_EQ, 0));
#endif
}

void sbx_supervisor_policy_init(struct sbx_policy *p, pid_t child)
{
	const scmp_datum_t pid = (scmp_datum_t)getpid(), tid = (scmp_datum_t)gettid();

	*p = (struct sbx_policy){.nofile = 0, .nproc = 0, .deny_eperm = true, .may_signal = true};

	SBX_ALLOW(p, SCMP_SYS(wait4), "supervisor: waitpid(child, &st, 0)",
	          SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)child), SCMP_A2(SCMP_CMP_EQ, 0));
	SBX_ALLOW(p, SCMP_SYS(kill), "supervisor: pass a signal the image catches on to the "
	          "child, or end it with SIGKILL", SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)child));
	SBX_ALLOW(p, SCMP_SYS(rt_sigaction), "supervisor: signal(sig, SIG_DFL) before a re-raise",
	          SCMP_A0(SCMP_CMP_LE, 64));
	SBX_ALLOW(p, SCMP_SYS(rt_sigprocmask), "supervisor: unblock the signal it re-raises",
	          SCMP_A0(SCMP_CMP_EQ, SIG_UNBLOCK));
	sbx_allow(p, SCMP_SYS(rt_sigreturn), "supervisor: return from the forwarding handler", 0,
	          NULL);
	sbx_allow(p, SCMP_SYS(getpid), "supervisor: nh_raise()", 0, NULL);
	sbx_allow(p, SCMP_SYS(gettid), "supervisor: nh_raise()", 0, NULL);
	SBX_ALLOW(p, SCMP_SYS(tgkill), "supervisor: nh_raise() the child's or the forwarded signal",
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
