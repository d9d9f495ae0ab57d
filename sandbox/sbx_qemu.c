/*
 * sbx_qemu.c - the seccomp allowlist of the emulator: a foreign image's
 * qemu-user process (host/foreign*.c starts it).
 *
 * Contract: sbx_qemu_policy_init() fills the table below; sbx_qemu_seccomp()
 * loads it in the process that will exec qemu (so it is the last layer and
 * execve must be in it): a listed call whose comparisons hold gets its
 * action (allowed, or a fixed errno), any other one, and any call of
 * another ABI on this CPU (i386, x32), kills the whole process
 * (SCMP_ACT_KILL_PROCESS: the exit status reads 159, 128 + SIGSYS).
 * sbx_qemu_describe() prints the same table for --policy. The program is
 * sbx_bpf.c's; a rule it cannot compile or a load refused dies 125.
 *
 * Why a table of its own, and kill instead of the host's trap: the guest
 * image runs inside qemu's own process, and qemu-user keeps nothing of
 * that process from the guest (guest code can reach qemu's memory, its
 * translated code among it), so a hostile guest can make every system call
 * qemu could. The boundary is this filter and the Landlock domain the
 * caller puts on the process, both applied from outside before exec: qemu
 * refuses seccomp(2) and Landlock to its guest. After the exec no handler
 * of ours exists to report a trapped call (qemu would hand a SIGSYS to the
 * guest, which may ignore it), so a forbidden call ends the process, and
 * the supervising parent says so (host/foreign.c).
 *
 * How the list was found: strace -f -c of qemu-aarch64-static 7.2 (Debian
 * 12) running static aarch64 programs: its start, a thread of its own (RCU),
 * a guest's fork, signals delivered to the guest, its death by a guest's
 * signal (a fault, abort, raise), and an exerciser making, through qemu,
 * every system call the foreign host makes (sandbox/README.md: the host's,
 * the fs-shim's, the netstack-shim's and the launcher's allowlists and their
 * set-up); plus a static amd64 program standing in for qemu (the tests).
 * qemu turns each guest call into the same host call, or answers it itself
 * (seccomp, Landlock, io_uring, ptrace, execveat and openat2 never reach the
 * kernel in 7.2). Arguments are pinned where they are values: clone's
 * namespace flags, socket's domain, prctl's option, ioctl's request,
 * futex's operation, prlimit64's process.
 *
 * Deliberately absent (the process is killed): ptrace, process_vm_*, kcmp;
 * mount and every new-mount call, pivot_root, chroot, setns; bpf,
 * perf_event_open, userfaultfd, keyctl and the key calls, io_uring_*,
 * seccomp, landlock_*, personality; setuid and the other id changes;
 * execveat, fork, vfork; mknod*, the chown calls but fchown, the xattr
 * calls, chmod, fchmodat2,
 * path-based truncate and utimes (Landlock has no right for a mode, an
 * owner or a time: only descriptors, which Landlock-checked opens gave, may
 * change them); open_by_handle_at, name_to_handle_at, fanotify_*,
 * inotify_*, memfd_create, module and kexec calls, and every socket domain
 * but the few below.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <sched.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <termios.h>

#include "host.h"
#include "sandbox.h"

/* Every clone flag that makes a new namespace (CLONE_NEWTIME is clone3's
 * alone; in clone(2) its bit is part of the exit signal). */
#define CLONE_NAMESPACES (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
                          CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)
/* futex(2)'s command: the operation without FUTEX_PRIVATE_FLAG and
 * FUTEX_CLOCK_REALTIME. Any other bit makes the kernel's command unknown
 * (ENOSYS), so masking the low bits is enough. */
#define FUTEX_CMD 0x7f

static void add(struct sbx_qemu_policy *p, int nr, uint32_t action, const char *why,
                unsigned nargs, const struct scmp_arg_cmp *arg)
{
	struct sbx_rule *r;

	if (p->nrules >= SBX_QEMU_MAX_RULES || nargs > SBX_MAX_ARGS)
		nh_die(NH_EXIT_USAGE, "sandbox: emulator: too many seccomp rules (adding \"%s\")", why);
	r = &p->rule[p->nrules++];
	*r = (struct sbx_rule){.nr = nr, .action = action, .nargs = nargs, .why = why};
	for (unsigned i = 0; i < nargs; i++)
		r->arg[i] = arg[i];
}

/* Each pastes the call's name itself (__SNR_ is SCMP_SYS's own prefix): a
 * name handed on to SCMP_SYS(name) would be macro-expanded first, and
 * musl's headers make some names macros (prlimit64 is prlimit, one of its
 * LFS64 names), which would name another call or none. */
#define ANY(p, name, why) add((p), __SNR_##name, SCMP_ACT_ALLOW, (why), 0, NULL)
#define PINNED(p, name, why, ...)                                                  \
	add((p), __SNR_##name, SCMP_ACT_ALLOW, (why),                              \
	    sizeof((struct scmp_arg_cmp[]){__VA_ARGS__}) / sizeof(struct scmp_arg_cmp), \
	    (struct scmp_arg_cmp[]){__VA_ARGS__})
#define REFUSE0(p, name, err, why) add((p), __SNR_##name, SCMP_ACT_ERRNO(err), (why), 0, NULL)
#define REFUSE(p, name, err, why, ...)                                             \
	add((p), __SNR_##name, SCMP_ACT_ERRNO(err), (why),                         \
	    sizeof((struct scmp_arg_cmp[]){__VA_ARGS__}) / sizeof(struct scmp_arg_cmp), \
	    (struct scmp_arg_cmp[]){__VA_ARGS__})

/* Processes, threads, signals, memory and time: qemu itself. */
static void core(struct sbx_qemu_policy *p)
{
	static const int options[] = {
		PR_SET_PDEATHSIG, PR_GET_PDEATHSIG, PR_GET_DUMPABLE, PR_SET_DUMPABLE, PR_SET_NAME,
		PR_GET_NAME, PR_CAPBSET_READ, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS,
		PR_GET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_GET_SECUREBITS, PR_GET_KEEPCAPS,
	};

	/* The one exec into qemu happens under this filter. Landlock, not
	 * seccomp (which cannot read a path), decides what may run: only
	 * qemu and the foreign host are executable in the domain. */
	ANY(p, execve, "the exec into qemu; a guest's execve (Landlock: only qemu and the host "
	    "may run)");
	/* Threads only: the launcher runs natively (host/foreign.c), so
	 * nothing in the emulator forks; a hostile guest's fork dies here. */
	PINNED(p, clone, "qemu's own thread (CLONE_THREAD; no new namespace)",
	       SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NAMESPACES | CLONE_THREAD, CLONE_THREAD));
	REFUSE0(p, clone3, ENOSYS, "its flags lie in memory, out of sight: ENOSYS makes glibc "
	        "use clone");
	REFUSE0(p, unshare, EPERM, "namespaces are made before qemu starts; a launcher's own "
	        "attempt fails");
	ANY(p, exit, "a thread's end");
	ANY(p, exit_group, "the end");
	ANY(p, set_tid_address, "glibc start, qemu's thread");
	ANY(p, set_robust_list, "glibc start, qemu's thread");
	ANY(p, rseq, "glibc start, qemu's thread");
	ANY(p, arch_prctl, "glibc start (TLS)");
	ANY(p, getpid, "qemu, the guest's getpid");
	ANY(p, gettid, "qemu, the guest's gettid");
	ANY(p, getppid, "the guest's getppid (a child checks its parent lives)");
	ANY(p, getuid, "qemu, the guest's ids");
	ANY(p, geteuid, "qemu, the guest's ids");
	ANY(p, getgid, "qemu, the guest's ids");
	ANY(p, getegid, "qemu, the guest's ids");
	/* Landlock's signal scope (ABI >= 6) keeps these inside the domain. */
	ANY(p, kill, "qemu's death by the guest's signal");
	ANY(p, tgkill, "qemu's death by the guest's signal, raise");
	PINNED(p, prlimit64, "qemu: RLIMIT_STACK, RLIMIT_CORE; the host's own limits (this "
	       "process only)", SCMP_A0(SCMP_CMP_EQ, 0));
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		PINNED(p, prctl, "qemu and the host: death signal, dumpable, no_new_privs, "
		       "dropping capabilities", SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)options[i]));
	ANY(p, capget, "the host drops its capabilities (libcap)");
	ANY(p, capset, "the host drops its capabilities (libcap; none can be gained)");
	REFUSE(p, getpriority, SBX_QEMU_PROBE_ERRNO, "the probe: the foreign host sees this "
	       "filter is on (sandbox.h)", SCMP_A0(SCMP_CMP_EQ, SBX_QEMU_PROBE_WHICH));
	ANY(p, uname, "qemu start");
	ANY(p, sysinfo, "qemu start (memory size)");
	ANY(p, getrandom, "qemu start, the guest's GETRANDOM");
	ANY(p, brk, "qemu's heap");
	ANY(p, mmap, "qemu's code cache, guest memory, the guest's RAM");
	ANY(p, munmap, "qemu, the guest's munmap");
	ANY(p, mprotect, "qemu's code cache, the guest's W^X");
	ANY(p, mremap, "glibc realloc of large blocks, the guest's mremap");
	ANY(p, madvise, "qemu (MADV_HUGEPAGE), glibc free, the guest's madvise");
	PINNED(p, futex, "qemu's locks and its thread", SCMP_A1(SCMP_CMP_MASKED_EQ, FUTEX_CMD,
	                                                        FUTEX_WAIT));
	PINNED(p, futex, "qemu's locks and its thread", SCMP_A1(SCMP_CMP_MASKED_EQ, FUTEX_CMD,
	                                                        FUTEX_WAKE));
	PINNED(p, futex, "qemu's locks and its thread", SCMP_A1(SCMP_CMP_MASKED_EQ, FUTEX_CMD,
	                                                        FUTEX_WAIT_BITSET));
	PINNED(p, futex, "qemu's locks and its thread", SCMP_A1(SCMP_CMP_MASKED_EQ, FUTEX_CMD,
	                                                        FUTEX_WAKE_BITSET));
	ANY(p, sched_yield, "qemu's locks");
	ANY(p, rt_sigaction, "qemu catches every signal for the guest");
	ANY(p, rt_sigprocmask, "qemu, the guest's signal masks");
	ANY(p, rt_sigreturn, "qemu's signal handlers");
	ANY(p, rt_sigsuspend, "qemu's death by the guest's signal");
	ANY(p, sigaltstack, "the guest's fault stack");
	ANY(p, restart_syscall, "a sleep resumed after a stop (SIGSTOP, SIGCONT)");
	ANY(p, setitimer, "the guest's time-slice tick (ITIMER_VIRTUAL)");
	ANY(p, getitimer, "the guest's time-slice tick");
	ANY(p, clock_gettime, "NANOTIME, WALLTIME, NOW (vDSO fallback)");
	ANY(p, clock_getres, "the guest's clock_getres");
	ANY(p, clock_nanosleep, "IDLE; qemu's thread");
	ANY(p, nanosleep, "qemu's thread");
	ANY(p, gettimeofday, "vDSO fallback");
}

/* Files: Landlock decides which paths open; these only use what it gave,
 * or read where a path is (stat, readlink: Landlock has no right for
 * them). */
static void files(struct sbx_qemu_policy *p, unsigned flags)
{
	static const unsigned long requests[] = {TCGETS, TIOCGWINSZ, FIONREAD};

	ANY(p, openat, "qemu (the host binary, /proc/self/maps), every open of the host");
	ANY(p, openat2, "the host's opens, once qemu passes openat2 through (8.x)");
	ANY(p, read, "files, pipes, sockets, the console");
	ANY(p, write, "files, pipes, sockets, the console");
	ANY(p, readv, "the guest's readv");
	ANY(p, writev, "the guest's writev, glibc's error messages");
	ANY(p, pread64, "qemu loading the host, the fs-shim's PREAD");
	ANY(p, pwrite64, "the fs-shim's PWRITE");
	ANY(p, lseek, "qemu loading the host, SEEK");
	ANY(p, close, "every descriptor");
	ANY(p, close_range, "the host closes inherited descriptors");
	ANY(p, fcntl, "F_GETFL, F_DUPFD_CLOEXEC, F_SETFL");
	ANY(p, dup3, "the console's /dev/null");
	ANY(p, pipe2, "PROC_PIPE");
	ANY(p, fstat, "fstat");
	ANY(p, newfstatat, "fstat, the host's realpath and grants (metadata only)");
	ANY(p, statx, "the guest's statx");
	ANY(p, readlink, "qemu (/proc/self/exe), realpath");
	ANY(p, readlinkat, "READLINK, resolution");
	ANY(p, getcwd, "qemu, the host's working directory");
	ANY(p, getdents64, "READDIR");
	ANY(p, access, "--allow-exec checks");
	ANY(p, faccessat, "the guest's access");
	ANY(p, faccessat2, "the guest's access");
	ANY(p, mkdirat, "MKDIR (Landlock: MAKE_DIR)");
	ANY(p, unlinkat, "UNLINK (Landlock: REMOVE_*)");
	ANY(p, renameat, "RENAME (Landlock)");
	ANY(p, renameat2, "RENAME (Landlock)");
	ANY(p, symlinkat, "SYMLINK (Landlock: MAKE_SYM)");
	ANY(p, linkat, "LINK (Landlock: MAKE_REG, REFER)");
	ANY(p, ftruncate, "TRUNCATE (an open file)");
	ANY(p, fsync, "FSYNC");
	ANY(p, fdatasync, "FSYNC");
	PINNED(p, flock, "FLOCK (never waits)", SCMP_A1(SCMP_CMP_MASKED_EQ, LOCK_NB, LOCK_NB));
	ANY(p, fchmod, "CHMOD (a descriptor a Landlock-checked open gave)");
	ANY(p, umask, "UMASK: the mode the guest's new files get");
	ANY(p, fchown, "CHOWN (a descriptor; no capability: our own uid and groups only)");
	PINNED(p, utimensat, "UTIMENS (futimens: a descriptor, no path)", SCMP_A1(SCMP_CMP_EQ, 0));
	/* A path's mode cannot be kept inside the grants (Landlock has no
	 * chmod right; as root it would reach every root-owned file): EPERM,
	 * so that a caller that tries it reports it instead of dying. */
	if (flags & SBX_QEMU_OWN_ROOT) {
		/* In the emulator's own root (host/foreign_root.c) a path reaches
		 * only the read-write grants and the read-only files there. */
		ANY(p, statfs, "the foreign host checks the root is the one made (fsshim_root.c)");
		PINNED(p, fchmodat, "CHMOD by name, in the emulator's own root",
		       SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, (uint32_t)AT_FDCWD));
		PINNED(p, fchownat, "CHOWN by name, a link itself too, in the emulator's own root",
		       SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, (uint32_t)AT_FDCWD),
		       SCMP_A4(SCMP_CMP_MASKED_EQ, 0xffffffffu & ~(uint32_t)AT_SYMLINK_NOFOLLOW, 0));
	} else {
		REFUSE0(p, fchmodat, EPERM, "a mode by path: Landlock cannot bound it");
	}
	ANY(p, chdir, "the guest's chdir (a working directory grants nothing)");
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++)
		PINNED(p, ioctl, "isatty, window size, FIONREAD",
		       SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)requests[i]));
	ANY(p, poll, "the console");
	ANY(p, ppoll, "the guest's poll");
	ANY(p, epoll_create1, "the readiness backend");
	ANY(p, epoll_ctl, "the readiness backend");
	ANY(p, epoll_wait, "the readiness backend");
	ANY(p, epoll_pwait, "the readiness backend (qemu's epoll_pwait2)");
	ANY(p, epoll_pwait2, "the readiness backend, once qemu passes epoll_pwait2 through");
}

/* Sockets: by the network mode; UNIX ones come from the native launcher. */
static void sockets(struct sbx_qemu_policy *p, unsigned flags)
{
	static const int calls[] = {
		SCMP_SYS(bind), SCMP_SYS(listen), SCMP_SYS(connect), SCMP_SYS(accept4),
		SCMP_SYS(accept), SCMP_SYS(getsockname), SCMP_SYS(getpeername),
		SCMP_SYS(getsockopt), SCMP_SYS(setsockopt), SCMP_SYS(shutdown), SCMP_SYS(sendto),
		SCMP_SYS(recvfrom), SCMP_SYS(sendmsg), SCMP_SYS(recvmsg),
	};

	/* A UNIX socket can connect to any path: Landlock has no right for it
	 * (ABI 7), so none is made here at all: the native launcher makes
	 * them, checked (host/launcher_sock.c), and passes them over; but in
	 * the emulator's own root, where no path leads outside the read-write
	 * grants, the foreign host makes them as a native host does. */
	if (flags & SBX_QEMU_OWN_ROOT) {
		PINNED(p, socket, "UNIX stream sockets, in the emulator's own root",
		       SCMP_A0(SCMP_CMP_EQ, AF_UNIX),
		       SCMP_A1(SCMP_CMP_EQ, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC),
		       SCMP_A2(SCMP_CMP_EQ, 0));
		PINNED(p, socket, "UNIX datagram sockets, in the emulator's own root",
		       SCMP_A0(SCMP_CMP_EQ, AF_UNIX),
		       SCMP_A1(SCMP_CMP_EQ, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC),
		       SCMP_A2(SCMP_CMP_EQ, 0));
		PINNED(p, socket, "UNIX seqpacket sockets, in the emulator's own root",
		       SCMP_A0(SCMP_CMP_EQ, AF_UNIX),
		       SCMP_A1(SCMP_CMP_EQ, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC),
		       SCMP_A2(SCMP_CMP_EQ, 0));
	} else {
		REFUSE(p, socket, EACCES, "UNIX sockets: connect is out of Landlock's reach",
		       SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
	}
	if (flags & SBX_QEMU_INET) {
		PINNED(p, socket, "the netstack (--net private, host)", SCMP_A0(SCMP_CMP_EQ, AF_INET));
		PINNED(p, socket, "the netstack (--net private, host)", SCMP_A0(SCMP_CMP_EQ, AF_INET6));
		/* the foreign host's NET_IFACES table (netstack-shim/nss_iface.c): a
		 * netlink socket would serve the emulated image every other dump
		 * too, for the whole run; refused, its net.Interfaces fails */
		REFUSE(p, socket, EACCES, "netlink: the interfaces' dump (NET_IFACES is EACCES "
		       "under emulation)", SCMP_A0(SCMP_CMP_EQ, AF_NETLINK));
	}
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		add(p, calls[i], SCMP_ACT_ALLOW, "sockets made above (the network mode, Landlock's "
		    "TCP rules), the launcher's control socket and what it passes", 0, NULL);
}

void sbx_qemu_policy_init(struct sbx_qemu_policy *p, unsigned flags)
{
	p->nrules = 0;
	core(p);
	files(p, flags);
	sockets(p, flags);
}

unsigned sbx_qemu_nsyscalls(const struct sbx_qemu_policy *p)
{
	unsigned n = 0;

	for (unsigned i = 0; i < p->nrules; i++) {
		unsigned j = 0;

		while (j < i && p->rule[j].nr != p->rule[i].nr)
			j++;
		n += j == i;
	}
	return n;
}

void sbx_qemu_seccomp(const struct sbx_qemu_policy *p)
{
	static struct sock_filter prog[BPF_MAXINSNS];
	int r = sbx_bpf_compile(p->rule, p->nrules, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_PROCESS,
	                        prog, BPF_MAXINSNS);

	if (r > 0)
		r = sbx_bpf_load(prog, (size_t)r);
	if (r < 0) {
		errno = -r;
		nh_die_errno(NH_EXIT_USAGE, "sandbox: emulator: seccomp filter (%u rules)", p->nrules);
	}
	/* nothing may change before the exec that follows */
}

void sbx_qemu_describe(FILE *out, const struct sbx_qemu_policy *p)
{
	fprintf(out, "the emulator's system calls: %u (%u rules); any other, and any call of "
	        "another ABI: the process is killed (SIGSYS, exit 159)\n", sbx_qemu_nsyscalls(p),
	        p->nrules);
	for (unsigned i = 0; i < p->nrules; i++) {
		const struct sbx_rule *r = &p->rule[i];
		const char *abi, *name = sbx_syscall_name(sbx_name_tables[0].arch, r->nr, &abi);
		char buf[160], col[200];
		bool first = true;

		for (unsigned j = 0; j < i && first; j++)
			first = p->rule[j].nr != r->nr;
		sbx_format_pins(r->arg, r->nargs, buf, sizeof(buf));
		if ((r->action & 0xffff0000U) == SCMP_ACT_ERRNO(0))
			snprintf(col, sizeof(col), "%s -> %s", buf,
			         sbx_errno_name((int)(r->action & 0xffff)));
		else
			snprintf(col, sizeof(col), "%s", buf);
		fprintf(out, "  %-16s %-40s %s\n", first ? (name ? name : "?") : "", col, r->why);
	}
}
