/*
 * sbx_report.c - the one-line report of a sandbox violation (SIGSYS).
 *
 * Contract: sbx_report_install() installs the SIGSYS handler on the fault
 * sigaltstack (fault_install() must have run: the guest's stack is not the
 * host's) with every signal blocked while it runs. The seccomp filter traps
 * every forbidden system call (SCMP_ACT_TRAP), and the handler prints
 *   nonehost: sandbox violation: execve (59) from pc 0x10001234 in main.f+0x1a
 *   nonehost: sandbox violation: execve (i386 11) from pc 0x10001234 in ...
 *   nonehost: sandbox violation: getpid (x32 1073741863) from pc ...
 *   nonehost: sandbox violation: openat (257) from host pc 0x5566... = nonehost+0x1234
 * and exits NH_EXIT_SANDBOX (159) with exit_group. The call is the guest's
 * when the interrupted stack pointer lies in guest RAM (as in fault.c); pc
 * is the system call instruction (uctx_syscall_pc: si_call_addr less its
 * length; syscall, int $0x80 and sysenter are two bytes, svc and ecall
 * four, arm's svc two in Thumb state), symbolized from the image's
 * .symtab. Pending
 * printk output is flushed first so the report comes last.
 * Everything in the handler is async-signal-safe: the name comes from the
 * static tables generated at build time (sbx_names.c), the line is built by
 * sigmsg.c, output is one write(2). A SIGSYS sent by another process
 * (si_code != SYS_SECCOMP) is no violation: the default action is restored
 * and the signal re-raised, as fault.c does.
 */
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "arch.h"
#include "host.h"
#include "sandbox.h"

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a seccomp SECCOMP_RET_TRAP */
#endif

const char *sbx_syscall_name(uint32_t arch, int nr, const char **abi)
{
	uint32_t u = (uint32_t)nr;

	for (const struct sbx_names *t = sbx_name_tables; t->n != 0; t++) {
		if (t->arch != arch || u < t->base || u - t->base >= t->n)
			continue;
		*abi = t->abi;
		return t->name[u - t->base];
	}
	*abi = "";
	return NULL;
}

const char *sbx_errno_name(int e)
{
	const char *s = e > 0 && e < SBX_ERRNO_NAMES ? sbx_errno_names[e] : NULL;

	return s != NULL ? s : "?";
}

const char *sbx_signal_name(int sig)
{
	return sig > 0 && sig < SBX_SIGNAL_NAMES ? sbx_signal_names[sig] : NULL;
}

static void on_sigsys(int sig, siginfo_t *si, void *ucv)
{
	struct nh_host *h = &nh_host;
	uint64_t sp = uctx_sp(ucv);
	uint64_t pc = uctx_syscall_pc(ucv, (uint64_t)(uintptr_t)si->si_call_addr);
	bool guest = sp >= h->ram_start && sp < h->ram_end;
	struct sigmsg m = {.n = 0};
	const char *abi, *name;

	if (si->si_code != SYS_SECCOMP) { /* sent, not caused */
		signal(sig, SIG_DFL);
		nh_raise(sig); /* blocked until we return, then the default action */
		return;
	}
	if (guest)
		hook_console_flush(h);
	name = sbx_syscall_name(si->si_arch, si->si_syscall, &abi);
	sigmsg_put(&m, "nonehost: sandbox violation: ");
	sigmsg_put(&m, name != NULL ? name : "unknown system call");
	sigmsg_put(&m, " (");
	sigmsg_put(&m, abi);
	if (si->si_syscall < 0)
		sigmsg_put(&m, "-");
	sigmsg_dec(&m, si->si_syscall < 0 ? (uint64_t)-(int64_t)si->si_syscall
	                                  : (uint64_t)si->si_syscall);
	sigmsg_put(&m, guest ? ") from pc " : ") from host pc ");
	sigmsg_pc(&m, h, guest, pc);
	sigmsg_write(&m);
	syscall(SYS_exit_group, NH_EXIT_SANDBOX); /* not _exit: sanitizers wrap it */
	__builtin_unreachable();
}

void sbx_report_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigfillset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) != 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: cannot install the SIGSYS handler");
}
