/*
 * main.c - nonehost: load a GOOS=none image into this process and run it.
 *
 * Contract: "nonehost binfmt ..." is binfmt.c's (binfmt_main) and ends
 * there. Otherwise parse the command line (cli.c; with NONEHOST_FLAGS's
 * options before IMAGE when the first argument is IMAGE: binfmt.c), then
 * set up in this order and hand over; every step dies with one line and
 * 125 (set-up) or 126 (image rejected) on failure, and nothing after
 * gate_enter() returns here:
 *  00. peek at IMAGE's ELF header (foreign.c): a GOOS=none image of another
 *      machine finds its foreign host and qemu here (125 if either is
 *      missing), goes through step 0 as any image, and then, in the process
 *      that would run it, confines that process and execs qemu with the
 *      foreign host (foreign_exec: never returns)
 *   0. the file grants, checked (fs-shim/fsshim_grant.c), then the private
 *      TMPDIR made (fsshim_tmp.c); with --isolate, new namespaces
 *      (sandbox/sbx_isolate.c); then, when a PID namespace was made or the
 *      TMPDIR must be removed at exit, one fork (sandbox/sbx_supervise.c):
 *      the parent waits, removes the TMPDIR and leaves as the child did;
 *      only the child (PID 1 under --isolate) goes on
 *      (with --signal-fd, a foreign image's host under qemu, the page of
 *      the supervisor above is mapped first, sandbox/sbx_share.c, and a
 *      fork here passes signals on by it too; the foreign host forks none)
 *  0a. the guest's signals (signal.c): the dispositions inherited, read
 *      before anything of ours changes one, the supervisor's page (its
 *      descriptor closed after); then SIGPIPE ignored from here on
 *  0b. close inherited descriptors (with --inherit-fds but those held
 *      since the start, inherit.c), open the grants, preallocate the
 *      file table (fsshim_open)
 *   1. check the CPU/kernel can run the guest (amd64: FSGSBASE)
 *   2. read the image once and validate it (elf_file.c, elf_load.c)
 *  2b. the network (netstack-shim/nss_setup.c): its mode (none by
 *      default), for private the network namespace
 *      (made here, in the process that runs the image, so the supervising
 *      parent stays where it was; --isolate's, made in step 0, only gets
 *      lo up), then the io_uring ring or the epoll instance and the socket
 *      table; under none nothing, or with processes (--max-procs > 0) the
 *      epoll instance and the table only, to poll pipes and process handles
 *  2c. processes: unless --max-procs 0, the launcher, forked here (before
 *      guest RAM exists, after the network namespace, so children share it)
 *      with its control socket (host/launcher.c); then the process ops'
 *      tables and SIGPIPE ignored from here on (proc.c)
 *  2d. a root of this process's own where only the read-write grants
 *      exist, at their guest paths (fs-shim/fsshim_root.c,
 *      sandbox/sbx_mirror.c): nothing the kernel resolves by path for the
 *      image reaches anything else, so UNIX datagram and seqpacket sockets
 *      and CHMOD by name are served in it; then --inherit-fds'
 *      descriptors adopted as the guest's handles 3..N-1 (inherit.c)
 *   3. map guest RAM (on a 32-bit host over the range ram_reserve() took
 *      before anything else was mapped), copy the segments in, apply W^X
 *      protections (ram.c)
 *   4. map the host-call stack (gate.c)
 *   5. build the host block, argv/envp (TMPDIR replaced) and the guest's
 *      working directory at the top of RAM, read-only
 *   6. install the fault handlers on their own stack (fault.c)
 *   7. flush stdio (nothing after this point uses it), then confine the
 *      process: sandbox/sandbox.h has the order of its layers, seccomp last
 *      (skipped, with a warning, under --no-sandbox)
 *   8. jump to the entry point with the stack pointer at stack_top and the
 *      host block in the first argument register (RDI, x0, a0)
 * --policy checks the grants (125 if bad), validates IMAGE if given (126 if
 * bad), prints the policy and exits 0 without making, mapping or running
 * anything (the io_uring ring is made and closed again, to say whether a
 * run would have one).
 * Defines nh_host, the one host context.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

extern char **environ;

struct nh_host nh_host;

_Static_assert(offsetof(struct nh_host, gate_stack_top) == 0,
               "gate_<arch>.S reads gate_stack_top at offset 0 of nh_host");
_Static_assert(offsetof(struct nh_host, gate_tp) == 8,
               "gate_riscv64.S reads gate_tp at offset 8 of nh_host");

static void load_image(struct nh_host *h)
{
	struct elf_limits lim = ram_image_limits(h->opts.memory);
	char why[256];

	elf_read_file(h);
	if (elf_validate(h->file, h->file_len, &lim, &h->img, why, sizeof(why)) != ELF_OK)
		nh_die(NH_EXIT_REJECTED, "image rejected: %s: %s", h->opts.image, why);
}

/* Whether the image may read /etc/passwd and /etc/group (os/user), so that
 * its /etc must have them under --net none too (fsshim_etc.c); a foreign
 * image's is made here too, so its symbols are read here. A child image's
 * host never makes an /etc: the child sees its parent's (launch_words),
 * and the host's is beyond the launcher's Landlock domain. */
static bool users_wanted(const struct nh_host *h, bool foreign)
{
	if (h->opts.lifeline_fd > 0)
		return false;
	return foreign ? foreign_may_call(h, FSSHIM_USERS_SYMBOL)
	               : elf_may_call(&h->img, FSSHIM_USERS_SYMBOL);
}

static void confine(struct nh_host *h)
{
	struct sbx_policy policy;

	if (h->opts.no_sandbox) {
		dprintf(STDERR_FILENO, "nonehost: WARNING: --no-sandbox: the image runs UNCONFINED, "
		        "with every right of this process (for debugging only)\n");
		return;
	}
	policy_build(h, &policy);
	sbx_apply(&policy, h->opts.trace, NULL);
}

int main(int argc, char **argv)
{
	struct nh_host *h = &nh_host;
	const struct sbx_exit tmp_exit = {.run = fsshim_tmp_cleanup, .policy = fsshim_tmp_policy,
	                                  .meanwhile = fsshim_tmp_sweep, .arg = h};
	struct foreign fx; /* a foreign image's emulator */
	const struct sbx_exit foreign_exit = {.run = foreign_exit_run, .policy = foreign_exit_policy,
	                                      .meanwhile = foreign_exit_sweep, .arg = &fx,
	                                      .ended = foreign_exit_ended};
	const struct sbx_exit *at_exit;
	struct sbx_share share = {.page = NULL, .fd = -1}; /* the supervisor's page (signal.c) */
	struct sbx_isolation iso;
	bool foreign, early;
	char err[256];

	if (argc > 1 && strcmp(argv[1], "binfmt") == 0)
		return binfmt_main(argc - 2, argv + 2);
	switch (goexec_named(argv[0])
	        ? goexec_cli_parse(argc, argv, getenv("NONEHOST_CHILD_FLAGS"), getenv("GOROOT"),
	                           getenv("TMPDIR"), goexec_passed_fds(), &h->opts, err, sizeof(err))
	        : binfmt_cli_parse(argc, argv, getenv("NONEHOST_FLAGS"), &h->opts, err, sizeof(err))) {
	case CLI_HELP:
		cli_usage(STDOUT_FILENO);
		return 0;
	case CLI_VERSION:
		printf("nonehost %s (ABI %d)\n", NH_VERSION_STRING, NH_ABI_VERSION);
		return 0;
	case CLI_ERROR:
		nh_die(NH_EXIT_USAGE, "usage: %s", err);
	case CLI_POLICY:
		h->console_null = -1; /* nothing opened: the pin shows as -1 */
		foreign = h->opts.image != NULL && foreign_find(h, &fx, false);
		if (h->opts.image != NULL && !foreign)
			load_image(h);
		h->fs.users_wanted = users_wanted(h, foreign);
		fsshim_setup(h);
		fsshim_zone(h, "");
		if (foreign) {
			foreign_policy(stdout, &fx);
			return 0;
		}
		h->fs.tmp_private = !proc_served(h);
		h->fs.run.in_memory = fsshim_tmp_in_memory(&h->fs); /* what a run would do */
		nss_setup_policy(h);
		policy_print(stdout, h);
		return 0;
	case CLI_RUN:
		break;
	}
	ram_reserve(h); /* before anything is mapped (32-bit hosts) */
	inherit_hold(h); /* before anything is opened */
	nss_ifaces_adopt(h); /* --ifaces-fd's, before inherited descriptors are closed */
	foreign = foreign_find(h, &fx, true);
	if (!foreign)
		load_image(h); /* whether it can start a process decides where its TMPDIR is */
	h->fs.users_wanted = users_wanted(h, foreign);
	fsshim_setup(h);
	fsshim_zone(h, "");
	/* in memory then: no supervisor to remove it */
	h->fs.tmp_private = !foreign && !proc_served(h);
	fsshim_tmp_create(h);
	at_exit = !h->fs.tmp_owned ? NULL : foreign ? &foreign_exit : &tmp_exit;
	if (h->opts.signal_fd > 0 && !sbx_share_adopt(h->opts.signal_fd, &share, err, sizeof(err)))
		nh_die(NH_EXIT_USAGE, "usage: %s", err);
	if (h->opts.isolate) {
		sbx_isolate(h->opts.trace, &iso, at_exit);
		share = iso.share;
	} else if (at_exit != NULL && share.page != NULL) {
		/* the page of a supervisor above: this one passes signals on by it too */
		sbx_supervise_with("cannot watch over the private TMPDIR", at_exit, &share);
	} else if (at_exit != NULL) {
		share = sbx_supervise("cannot watch over the private TMPDIR", at_exit);
	}
	h->fs.tmp_owned = false; /* the supervising parent removes it */
	fsshim_tmp_unlock(&h->fs); /* and holds its lock */
	if (foreign)
		foreign_exec(&fx, h->opts.isolate ? &iso : NULL, &share);
	signal_init(h, share.page);
	/* The mapping is the page; its descriptor served only to cross an
	 * exec (a foreign image's), and the guest must not reach it. */
	if (share.fd >= 0 && close(share.fd) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot close the signal page's descriptor");
	fsshim_tidy_fds_except(&h->fs,
	                       (const int[]){h->opts.launcher_fd, h->file_fd,
	                                     h->opts.lifeline_fd, h->fs.run.mount}, 4,
	                       h->inherit.lo, h->inherit.hi);
	fsshim_open(h);
	hook_console_open(h);
	gate_check_cpu(h);
	nss_setup(h, h->opts.isolate ? &iso : NULL);
	/* an image that cannot ask for a process may need no launcher at all */
	early = h->opts.launcher_fd > 0 || proc_image_asks(h);
	if (early)
		launcher_start(h);
	fsshim_root(h);
	if (!early)
		launcher_start_late(h);
	proc_setup(h);
	inherit_adopt(h);
	ram_map(h);
	ram_load(h);
	gate_init(h);
	ram_layout(h, environ);
	fault_install(h);
	preempt_install(h);
	fflush(NULL);
	confine(h);
	gate_enter(h->img.entry, h->stack_top, (uint64_t)(uintptr_t)h->hb);
}
