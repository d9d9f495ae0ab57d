/*
 * fault.c - synchronous signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP).
 *
 * Contract: fault_install() runs the handler on its own sigaltstack (the
 * guest's stack may be what broke). A fault is the guest's when the
 * interrupted stack pointer lies in guest RAM: host code always runs on the host-call
 * stack or the main thread's stack, never on guest RAM, while the PC alone
 * cannot tell (a guest that jumps to a wild address has a PC outside its
 * text, yet the fault is the guest's). Otherwise it is the host's.
 *   - Guest fault, handler registered (NH_OP_FAULT), PC in guest text, and
 *     neither "the handler's first instruction faulted" nor "the stack ran
 *     into its guard page": fill the guest's struct nh_fault, set the PC to
 *     the handler (the stack pointer and every other register as at the
 *     fault; arch.h reads and writes the ucontext) and return, so
 *     the guest resumes in its handler.
 *   - SIGTRAP at the guest's resume breakpoint of a time-slice tick in
 *     progress (arm64 BRK, riscv64 EBREAK, arm BKPT or Linux's UDF #16,
 *     each with the PC on the instruction; on arm SIGILL there too, see
 *     arch.h) ends the tick: preempt_resume() puts the interrupted context
 *     back (preempt.c).
 *   - Any other SIGTRAP (a breakpoint: x86 INT3, with the PC after it as
 *     Linux reports it) is a guest fault like the others: delivered as in
 *     the first case, as Linux delivers it to a Go program's handler.
 *   - Any other guest fault: flush the console, print
 *       nonehost: guest fault: SIGSEGV at 0x0 (pc 0x10001234 in main.main+0x1a)
 *     and exit 139.
 *   - Host fault: print "nonehost: host fault: ..." and exit 139.
 *   - A signal sent by another process (si_code <= 0) is not a fault: the
 *     default action is restored and the signal re-raised.
 * Everything in the handler is async-signal-safe: the line is formatted by
 * sigmsg.c into a stack buffer, output is one write(2), exit is _exit.
 */
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "arch.h"
#include "host.h"

static const char *sig_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGILL: return "SIGILL";
	case SIGFPE: return "SIGFPE";
	case SIGTRAP: return "SIGTRAP";
	default: return "signal";
	}
}

static _Noreturn void report(struct nh_host *h, bool guest, int sig, uint64_t addr,
                             uint64_t pc, bool overflow)
{
	struct sigmsg m = {.n = 0};

	if (guest)
		hook_console_flush(h);
	sigmsg_put(&m, guest ? "nonehost: guest fault: " : "nonehost: host fault: ");
	sigmsg_put(&m, sig_name(sig));
	sigmsg_put(&m, " at ");
	sigmsg_hex(&m, addr);
	sigmsg_put(&m, " (pc ");
	sigmsg_pc(&m, h, guest, pc);
	if (overflow)
		sigmsg_put(&m, ", initial stack overflow");
	sigmsg_put(&m, ")");
	sigmsg_write(&m);
	_exit(NH_EXIT_FAULT);
}

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
	struct nh_host *h = &nh_host;
	ucontext_t *uc = ucv;
	uint64_t pc = uctx_pc(uc), sp = uctx_sp(uc);
	uint64_t addr = (uint64_t)(uintptr_t)si->si_addr;
	bool guest = sp >= h->ram_start && sp < h->ram_end;
	bool overflow = sig == SIGSEGV && addr >= h->guard_lo && addr - h->guard_lo < NH_PAGE_SIZE;

	if (si->si_code <= 0) { /* sent, not caused: behave as if we had no handler */
		signal(sig, SIG_DFL);
		nh_raise(sig); /* blocked until we return, then default action */
		return;
	}
	if (!guest)
		report(h, false, sig, addr, pc, false);
#if ARCH_PREEMPT_CTX
	if ((sig == SIGTRAP || (ARCH_RESUME_SIGILL && sig == SIGILL)) && preempt_resume(h, uc))
		return; /* the end of a time-slice tick: its context is back */
#endif
	/* The info buffer was writable when registered; MEM_PROTECT may have
	 * taken that away since. */
	if (h->fault_handler == 0 || !ram_in_text(h, pc) ||
	    pc == h->fault_handler || overflow ||
	    !ram_writable(h, h->fault_info, sizeof(struct nh_fault)))
		report(h, true, sig, addr, pc, overflow);
	*(struct nh_fault *)(uintptr_t)h->fault_info = (struct nh_fault){
		.signo = (uint64_t)sig,
		.code = (uint64_t)(int64_t)si->si_code,
		.addr = addr,
		.pc = pc,
	};
	uctx_set_pc(uc, h->fault_handler);
}

void fault_install(struct nh_host *h)
{
	static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
	stack_t ss = {.ss_size = NH_ALTSTACK_SIZE};
	struct sigaction sa;

	ss.ss_sp = mmap(NULL, NH_ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
	                MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (ss.ss_sp == MAP_FAILED || sigaltstack(&ss, NULL) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot set up the fault stack: %s", h->opts.image);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) != 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot install the %s handler: %s",
			             sig_name(sigs[i]), h->opts.image);
}
