/*
 * host.h - the one internal header of the nonehost host (host/).
 *
 * Holds the single host context (struct nh_host) and the prototypes of every
 * part: cli_ (options), elf_ (image validation, elf_load.h), ram_ (guest
 * memory), gate_ (the one entry from the guest), hook_ (the ops the gate
 * serves), proc_ (the process ops), fault_ (synchronous signals), signal_
 * (the guest's signals), sigmsg_ (signal-safe reports); the launcher's are
 * in launcher.h.
 * The sandbox, the fs-shim and the netstack-shim have their own headers
 * (sandbox/sandbox.h, fs-shim/fsshim.h, netstack-shim/nss.h; the latter two
 * are included here for struct fsshim and struct nss). There is exactly one
 * instance of the context, nh_host, defined in main.c; it is the only global
 * mutable state.
 * Entry points that cannot take a context argument (the gate dispatcher and
 * the signal handler) use it directly; everything else receives a pointer.
 */
#ifndef NONEHOST_HOST_H
#define NONEHOST_HOST_H

#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "nonehost_abi.h"
#include "arch.h"
#include "elf_load.h"
#include "fsshim.h"
#include "nss.h"
#include "launcher.h"

#define NH_VERSION_STRING "0.1.0"

/* The ABI's offsets and times are 64-bit: so are the host's, also on a
 * 32-bit host (the Makefile's _FILE_OFFSET_BITS=64 and _TIME_BITS=64), or a
 * guest's value would be cut short on its way to the kernel. */
_Static_assert(sizeof(off_t) == 8, "off_t is 64-bit (_FILE_OFFSET_BITS=64)");
_Static_assert(sizeof(time_t) == 8, "time_t is 64-bit (_TIME_BITS=64)");

/* Defaults and limits of --memory (the default and the maximum depend on
 * the address space: arch.h). */
#define NH_RAM_DEFAULT  ARCH_DEFAULT_MEMORY
#define NH_RAM_MIN      (UINT64_C(16) << 20)
#define NH_RAM_MAX      ARCH_MAX_MEMORY

/* Fixed sizes of the layout (see README.md). */
#define NH_STACK_SIZE      UINT64_C(0x100000) /* initial guest stack */
#define NH_GATE_STACK_SIZE UINT64_C(0x40000)  /* host-call stack, plus one guard page */
#define NH_ALTSTACK_SIZE   UINT64_C(0x10000)  /* sigaltstack for fault handling */
#define NH_PRINTK_BUF      256
#define NH_SIGNAL_MAX      64 /* signals 1..64 (nonehost_abi.h "Signals") */

/* Parsed command line. */
struct nh_opts {
	uint64_t memory;   /* --memory, bytes */
	bool memory_given; /* --memory was given: a child or foreign host gets it
	                    * (else its own default, which differs by arch.h) */
	bool trace;        /* --trace */
	bool no_sandbox;   /* --no-sandbox (debugging only) */
	bool policy;       /* --policy: print the effective policy, run nothing */
	bool isolate;      /* --isolate: new user, mount, network, PID, IPC namespaces */
	const char *dir[FSSHIM_MAX_DIRS]; /* --dir values (fs-shim/fsshim_grant.c) */
	unsigned ndirs;
	bool keep_tmp;     /* --keep-tmp: leave the private TMPDIR behind */
	const char *tmpdir; /* --tmpdir DIR: an existing directory is the private TMPDIR
	                     * (made and removed by whoever gave it), or NULL */
	const char *cwd;    /* --cwd GUEST: the guest's working directory (a child
	                     * image's is its parent's choice), or NULL */
	unsigned max_files; /* --max-files: the guest's open handles, at most */
	struct nss_opts net; /* --net, --net-backend, --net-bind, --net-connect */
	const char *allow_exec[LAUNCH_MAX_EXEC]; /* --allow-exec PATH (absolute) */
	unsigned nallow_exec;
	unsigned max_procs; /* --max-procs: live children at most; 0: no processes */
	int image_fd;       /* --image-fd N:PATH: the image, already open (a foreign
	                     * host's in a root of its own, where no path leads to it),
	                     * or 0 */
	const char *image_real; /* and PATH, its real path (os.Executable's), or NULL */
	bool own_root;      /* --own-root: this process's root is already its own, made
	                     * by the native nonehost (host/foreign_root.c): checked */
	int launcher_fd;    /* --launcher-fd: a launcher's control socket, already there
	                     * (a foreign host's, from the native nonehost), or 0 */
	int ifaces_fd;      /* --ifaces-fd: NET_IFACES's table, already taken (a foreign
	                     * host's, from the native nonehost: netstack-shim/
	                     * nss_iface.c), or 0 */
	int lifeline_fd;    /* --lifeline-fd: the read end of the run's lifeline (a child
	                     * image's, from its launcher: host/launcher.c), or 0 */
	int inherit_fds;    /* --inherit-fds: a child image's descriptors 3..N-1 become
	                     * its guest's handles 3..N-1 (host/inherit.c), or 0 */
	const char *localtime; /* --localtime: the guest's /etc/localtime link's target
	                     * (a foreign host's, from the native nonehost), or NULL:
	                     * the host's own (fs-shim/fsshim_zone.c) */
	int parent_pid;     /* --parent-pid: the process ID the guest's Getppid reports
	                     * (a child image's: its parent image's, from the
	                     * launcher), or 0: the host process's parent */
	int signal_fd;      /* --signal-fd: the page of a supervisor outside, already
	                     * there (a foreign host's, from the native nonehost's
	                     * supervisor: sandbox/sbx_share.c), or 0 */
	const char *image; /* IMAGE as given (also the guest's argv[0]); NULL only
	                    * with --policy */
	int argc;          /* guest argc (IMAGE included) */
	char **argv;       /* guest argv (points into main's argv) */
};

/* The host context. */
struct nh_host {
	/* Top of the host-call stack. MUST stay the first field: gate_<arch>.S
	 * loads it with one PC-relative load from the symbol nh_host. */
	uint64_t gate_stack_top;
	/* riscv64: the host's thread pointer (tp), which gate_riscv64.S loads
	 * for gate_dispatch whatever the guest left in tp; MUST stay at offset
	 * 8. Unused elsewhere. */
	uint64_t gate_tp;

	struct nh_opts opts;

	/* The image file, mapped read-only once; what the loader checks it
	 * copies into img, so nothing can change between check and use. */
	const uint8_t *file;
	size_t file_len;
	int file_fd; /* the image, open until ram_load() maps its segments */
	char self[NH_PATH_MAX + 1]; /* the image's real path (elf_self_path): the host
	                             * block's executable, a child's LAUNCH_SELF */
	struct elf_image img;

	/* Guest RAM geometry, all guest (== host) virtual addresses. */
	uint64_t ram_start;   /* first byte of RAM */
	uint64_t ram_end;     /* one past the last byte */
	uint64_t guard_lo;    /* PROT_NONE guard page below the stack; image limit */
	uint64_t stack_top;   /* initial RSP; the host block starts here */
	uint64_t ro_end;      /* page end of the highest segment the guest may not write:
	                       * above it, below stack_top, only RAM it may (ram_load; 0
	                       * before) */
	bool ram_reserved;    /* ram_reserve() holds RAM's largest range (32-bit) */
	/* The pages the guest made other than readable and writable
	 * (NH_OP_MEM_PROTECT): sorted, disjoint, neighbours of equal prot
	 * merged. ram_readable() and ram_writable() refuse them. Changed in
	 * host code only (ram_protect); the signal handlers that read them
	 * (fault.c, preempt.c) do so only when they interrupted the guest, so
	 * they never see a change half made. */
	struct ram_prot {
		uint64_t lo, hi;
		uint32_t prot; /* NH_PROT_*: 0 or NH_PROT_READ */
	} prot[NH_PROT_RANGES_MAX];
	unsigned nprot;
	struct nh_hostblock *hb;

	/* Console: printk bytes waiting for '\n'. */
	char pk_buf[NH_PRINTK_BUF];
	size_t pk_len;
	/* Console descriptors the guest closed (bit fd, FS_CLOSE of 1 or 2):
	 * /dev/null (console_null, opened at set-up) stands in their place. */
	unsigned console_closed;
	int console_null;

	/* Guest fault handler registered with NH_OP_FAULT (0 = none). */
	uint64_t fault_handler;
	uint64_t fault_info;

	/* Guest time-slice handler registered with NH_OP_PREEMPT (0 = none)
	 * and, where the host restores the interrupted context (arch.h
	 * ARCH_PREEMPT_CTX), the guest's struct nh_cpu, its resume breakpoint,
	 * whether a tick is between its delivery and that breakpoint, and what
	 * the host keeps of the interrupted state meanwhile. */
	uint64_t preempt_handler;
#if ARCH_PREEMPT_CTX
	uint64_t preempt_ctx;
	uint64_t preempt_resume;
	volatile sig_atomic_t preempt_in_tick;
	struct arch_tick preempt_kept;
#endif

	/* The file system (fs-shim/): grants and the guest's handles. */
	struct fsshim fs;

	/* The network (netstack-shim/): its mode, backend, sockets' state. */
	struct nss net;

	/* --inherit-fds (inherit.c): descriptor i of 3..N-1 held at held[i]
	 * (-1: none) in [lo, hi) until inherit_adopt makes it handle i. */
	struct {
		int held[NH_SPAWN_MAX_FDS];
		int lo, hi;
	} inherit;

	/* Signals (host/signal.c): the guest's action per signal (NH_SIG_*,
	 * indexed by the signal's number), the caught ones as a set (IDLE
	 * blocks them while it looks at hostblock.sig_pending), those ignored
	 * at start (hostblock.sig_ignored's words), and the page shared with
	 * the supervising parent (sandbox/sbx_supervise.c; NULL: none). The
	 * pending bits live in the host block, h->hb, where the guest takes
	 * them. */
	struct nh_sig {
		uint8_t action[NH_SIGNAL_MAX + 1];
		unsigned ncaught;       /* signals whose action is NH_SIG_CATCH or _NOWAIT */
		unsigned nwaited;       /* those NH_SIG_CATCH: IDLE(0) waits for them */
		sigset_t caught;
		uint32_t ignored[2];
		struct sbx_sigshare *share;
	} sig;

	/* Processes (host/proc.c, host/launcher.c). */
	struct nh_proc {
		bool ready;      /* the launcher runs: the ops are served (NH_HB_PROC) */
		int ctl;         /* the host end of the control socket; -1 */
		pid_t pid;       /* the launcher */
		/* Per fs-shim handle of kind FSSHIM_PROC: its status once received
		 * (PROC_WAIT answers it again), preallocated like the socket table. */
		int32_t *status;
		uint8_t *ended;  /* 1: status[] holds the wait status */
		char *strs;      /* NH_SPAWN_MAX_DATA bytes: a START's argv and envp,
		                  * copied out of guest RAM (proc_setup) */
	} proc;
};

extern struct nh_host nh_host;

/* die.c: set-up errors. Print "nonehost: <msg>[: strerror]" and exit. */
_Noreturn void nh_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
_Noreturn void nh_die_errno(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* cli.c */
enum cli_action { CLI_RUN, CLI_HELP, CLI_VERSION, CLI_POLICY, CLI_ERROR };
enum cli_action cli_parse(int argc, char **argv, struct nh_opts *o, char *err, size_t errlen);
/* cli_parse() with nextra options (extra[], only options: a word that is not
 * one is an error) before the command line's own; their errors, and the
 * network options' cross-check, are prefixed with extra_name. */
enum cli_action cli_parse_with(int nextra, char **extra, const char *extra_name, int argc,
                               char **argv, struct nh_opts *o, char *err, size_t errlen);
bool cli_parse_size(const char *s, uint64_t *out);
void cli_usage(int fd);

/* binfmt.c: "nonehost binfmt install [--persist] | remove | status | line", and
 * NONEHOST_FLAGS for "nonehost IMAGE [ARGS...]" (the form the kernel uses). */
#define BINFMT_HDR_LEN   20 /* the ELF header bytes the entry matches: e_ident, e_type, e_machine */
#define BINFMT_FLAGS_MAX 64 /* words in NONEHOST_FLAGS, at most */
struct binfmt_arch {
	const char *name;  /* GOARCH: the entry is "nonehost-<name>" */
	uint8_t class;     /* EI_CLASS */
	uint16_t machine;  /* e_machine */
};
const struct binfmt_arch *binfmt_host_arch(void); /* this build's row */
const struct binfmt_arch *binfmt_arch_by_name(const char *goarch); /* NULL: none */
void binfmt_magic(const struct binfmt_arch *a, uint8_t magic[BINFMT_HDR_LEN],
                  uint8_t mask[BINFMT_HDR_LEN]);
bool binfmt_line(const struct binfmt_arch *a, const char *interp, char *buf, size_t len,
                 char *err, size_t errlen);
int binfmt_split(char *s, char **words, int max);
/* cli_parse_with() with the words of environment variable name's value
 * (binfmt_split into buf, at most max of them into words: static, the
 * options keep pointers into them), and then word also unless NULL; too
 * long or too many is CLI_ERROR, "NAME: ...". */
enum cli_action cli_parse_env(const char *name, const char *value, const char *also, char *buf,
                              size_t buflen, char **words, int max, int argc, char **argv,
                              struct nh_opts *o, char *err, size_t errlen);
enum cli_action binfmt_cli_parse(int argc, char **argv, const char *flags, struct nh_opts *o,
                                 char *err, size_t errlen);
int binfmt_main(int argc, char **argv);

/* goexec.c: nonehost started as go_none_<arch>_exec, the go command's exec
 * wrapper inside an image (a link to nonehost). */
#define GOEXEC_WORDS_MAX    (FSSHIM_MAX_GRANTS + 1) /* NONEHOST_GRANTS: --dir words, --tmpdir */
#define GOEXEC_GRANTS_BYTES (GOEXEC_WORDS_MAX * (2 * NH_PATH_MAX + 16))
bool goexec_named(const char *argv0);
enum cli_action goexec_cli_parse(int argc, char **argv, const char *flags, const char *goroot,
                                 const char *tmpdir, int passed, struct nh_opts *o, char *err,
                                 size_t errlen);
int goexec_passed_fds(void);

/* policy.c: --policy (stdio is fine: nothing runs afterwards), and the one
 * table both it and a run's sandbox load: the core's rules, then each
 * module's (files, network, console, processes). */
struct sbx_policy;
void policy_build(struct nh_host *h, struct sbx_policy *p);
void policy_image(FILE *out, const char *name, const struct elf_image *img);
void policy_print(FILE *out, struct nh_host *h);

/* foreign.c, foreign_confine.c, foreign_policy.c: a GOOS=none image of
 * another machine runs under qemu-user with the nonehost built for that
 * machine; this nonehost confines the qemu process before it execs it. */
#define FOREIGN_HDR_LEN 20 /* e_ident, e_type, e_machine: all foreign_peek reads */
struct foreign {
	struct nh_host *h;
	const char *goarch;       /* "arm64", "riscv64", "arm" */
	const char *qemu_name;    /* "qemu-aarch64-static" */
	char host[NH_PATH_MAX + 1]; /* the foreign nonehost, realpath'd ("" when missing) */
	char host_want[NH_PATH_MAX + 1]; /* where it was looked for first (messages) */
	char host_alt[NH_PATH_MAX + 1];  /* and second: the installed layout */
	char qemu[NH_PATH_MAX + 1]; /* the emulator, realpath'd ("" when missing) */
	char net[160];            /* what layer 0 did with the network, for --trace */
	int image_fd;             /* the image for --image-fd (foreign_root_fds), or -1 */
	char image_real[NH_PATH_MAX + 1]; /* and its real path */
	bool rooted;              /* the emulator's own root is made (foreign_root.c) */
	int ifaces_fd;            /* NET_IFACES's table for the foreign host, or -1 */
};
/* The GOARCH of a GOOS=none image for another machine than this build's
 * (binfmt.c's table), from its first n bytes; NULL for anything else (this
 * machine's image, a Linux executable, garbage: the native path says what
 * is wrong with it). Pure. */
const char *foreign_peek(const uint8_t *hdr, size_t n);
/* The qemu-user name of a GOARCH ("aarch64"), or NULL. Pure. */
const char *foreign_qemu_arch(const char *goarch);
/* Where the nonehost for goarch lies beside exe (this nonehost's absolute
 * path): build (<dir>/<goarch>/nonehost: the build tree) and installed
 * (<dir>/../lib/nonehost/<goarch>/nonehost, ".." resolved lexically);
 * false when they would not fit. Pure. */
bool foreign_host_paths(const char *exe, const char *goarch, char *build, char *installed,
                        size_t len);
/* Right after the command line: false for a native image (or one that
 * cannot be read: the native path reports it). For a foreign one, fills *f
 * and finds the host and qemu; when must_find, a missing one dies 125 with
 * one line (--policy only says so). */
bool foreign_find(struct nh_host *h, struct foreign *f, bool must_find);
/* elf_may_call() of the foreign image, read here for its symbol table only
 * (elf_validate under limits of its own machine and class, with addresses
 * left to its host): true when it cannot be read or validated. */
bool foreign_may_call(const struct nh_host *h, const char *symbol);
/* Every other machine's emulator and foreign host, as foreign_find would
 * find them, in pairs (qemu, host) into out: how many paths (at most max).
 * A machine missing either is left out. */
unsigned foreign_runners(char (*out)[NH_PATH_MAX + 1], unsigned max);
/* The foreign host's command line after "qemu -L / HOST run" and before
 * "-- IMAGE ARGS": the grants as --dir words, the private TMPDIR as
 * --tmpdir, the limits, the network (launch_words, launcher.h), the
 * working directory (--cwd), a child image's --parent-pid and
 * --inherit-fds, the launcher's control socket as --launcher-fd and
 * signal_fd (the supervisor's page; -1: none) as --signal-fd, --trace;
 * in the emulator's own root (f->rooted) the grants by descriptor,
 * --image-fd and --own-root. Into w; 0 or -E2BIG. Pure. */
int foreign_words(const struct foreign *f, int signal_fd, struct launch_words *w);
/* In the process that runs the image (after the supervisor's fork and
 * --isolate's namespaces, iso or NULL; share the supervisor's page, its
 * descriptor -1 when there is none): under --isolate PID 1 stays a
 * supervisor of its own, then the emulator's network namespace, inherited
 * descriptors closed but the page's and a child image's held ones (put
 * back at 3..N-1: --inherit-fds), its layers (foreign_confine), then
 * execve of qemu with the page's descriptor kept open. Never returns; dies
 * 125. */
struct sbx_isolation;
struct sbx_share;
_Noreturn void foreign_exec(struct foreign *f, const struct sbx_isolation *iso,
                            const struct sbx_share *share);
/* The supervisor's hooks (struct sbx_exit, arg = f): sweep and remove the
 * private TMPDIR as for a native image, and report an emulator killed by
 * SIGSYS. */
void foreign_exit_run(void *f);
void foreign_exit_sweep(void *f);
void foreign_exit_policy(struct sbx_policy *p, void *f);
void foreign_exit_ended(int status, void *f);
/* foreign_confine.c: layers 0 (the network namespace) and 1-5 on this
 * process, which then execs qemu; *line gets the --trace summary. */
void foreign_confine_net(struct foreign *f, const struct sbx_isolation *iso);
struct sbx_policy *foreign_rules(struct foreign *f); /* layer 4's rules, opened */
void foreign_confine(struct foreign *f, struct sbx_policy *p, char *line, size_t len);
/* foreign_root.c: the emulator's own root (its contract there). */
void foreign_root_fds(struct foreign *f);
bool foreign_root(struct foreign *f, char *why, size_t len);
bool foreign_root_planned(struct foreign *f, char *why, size_t len);
unsigned foreign_seccomp_flags(const struct nh_host *h);
/* foreign_policy.c: --policy for a foreign image. */
void foreign_policy(FILE *out, struct foreign *f);

/* elf_file.c: map the whole image at h->file (dies 125 on I/O error). */
void elf_read_file(struct nh_host *h);
void elf_self_path(struct nh_host *h); /* h->self, once */

/* Guest addresses rounded to NH_PAGE_SIZE (ram.c, hook_mem.c). */
#define PAGE_DOWN(x) ((x) & ~(NH_PAGE_SIZE - 1))
#define PAGE_UP(x)   (((x) + NH_PAGE_SIZE - 1) & ~(NH_PAGE_SIZE - 1))

/* ram.c */
struct elf_limits ram_image_limits(uint64_t ram_size);
void ram_reserve(struct nh_host *h);
void ram_map(struct nh_host *h);
void ram_load(struct nh_host *h);
void ram_layout(struct nh_host *h, char **envp);
/* [addr, addr+len) lies in guest RAM (writable: below the host block, out
 * of read-only segments and the guard page). RAM lies below UINTPTR_MAX
 * (arch.h), so once these say yes, addr, len and addr + len convert to
 * uintptr_t and size_t without loss: on a 32-bit host a guest value of
 * 4 GiB or more is refused here, before it becomes a pointer or a size. */
bool ram_readable(const struct nh_host *h, uint64_t addr, uint64_t len);
bool ram_writable(const struct nh_host *h, uint64_t addr, uint64_t len);
bool ram_in_text(const struct nh_host *h, uint64_t pc);
/* Sets the access of the pages [lo, hi) (page-aligned, inside the window
 * of NH_OP_MEM_PROTECT) to prot (NH_PROT_*: READ|WRITE gives them back):
 * mprotect, then the ranges. 0, -NH_ENOMEM when the ranges would not fit
 * (nothing changed), or mprotect's -errno. */
int64_t ram_protect(struct nh_host *h, uint64_t lo, uint64_t hi, uint32_t prot);
/* mmap(lo, hi - lo, prot, MAP_FIXED | flags, fd, offset) over RAM, which
 * ram_protect's ranges then follow: a file over the pages (NH_OP_MEM_MAP),
 * or fresh anonymous ones. 0, or -NH_ENOMEM or mmap's -errno. */
int64_t ram_map_over(struct nh_host *h, uint64_t lo, uint64_t hi, uint32_t prot, int flags,
                     int fd, uint64_t offset);

/* gate.c, gate_<arch>.S, gate_trace.c */
typedef int64_t hook_fn(struct nh_host *h, const uint64_t a[6]);
struct gate_op {
	const char *name; /* for --trace */
	const char *args; /* one letter per argument: d int, u unsigned, x hex, o octal,
	                   * c char, s guest string whose length is the next argument,
	                   * g signal number (SIGUSR1), a signal action (NH_SIG_*: CATCH) */
	hook_fn *fn;
};
void gate_check_cpu(const struct nh_host *h);
void gate_init(struct nh_host *h);
const struct gate_op *gate_op_lookup(uint64_t op);
bool gate_ops_complete(void); /* every op of every range has an entry, and no other */
int64_t gate_dispatch(uint64_t op, const uint64_t a[6]);
#if defined(__arm__)
int64_t gate_dispatch_mem(uint32_t op, uint32_t args); /* gate_arm.S's: a[] at guest args */
#endif
void gate_trace(uint64_t op, const uint64_t a[6], int64_t res, uint64_t ns, bool returns);
void gate_entry(void);                                      /* hostblock.gate */
_Noreturn void gate_enter(uint64_t entry, uint64_t stack_top, uint64_t hostblock);

/* hook_*.c: one function per op (see the table in gate.c). */
hook_fn hook_exit, hook_write, hook_printk;
hook_fn hook_nanotime, hook_walltime, hook_now, hook_idle;
/* CLOCK_MONOTONIC in nanoseconds (hook_time.c): the host's own timings. */
int64_t nh_mono_ns(void);
hook_fn hook_getrandom, hook_fault, hook_mem_protect, hook_mem_release, hook_mem_map;
void hook_console_flush(struct nh_host *h); /* async-signal-safe */
/* The guest closes its standard output or error (os.Stdout.Close: a
 * child's way to tell its parent it is ready): the reader sees the end,
 * later WRITEs are -EBADF. hook_console_open() opens /dev/null before the
 * sandbox, hook_console_policy() pins the dup3 it needs. */
void hook_console_open(struct nh_host *h);
int64_t hook_console_close(struct nh_host *h, uint64_t fd);
struct sbx_policy;
void hook_console_policy(struct nh_host *h, struct sbx_policy *p);

/* proc.c, proc_start.c: the process ops (nonehost_abi.h "Processes"). */
void proc_setup(struct nh_host *h); /* after launcher_start: tables, SIGPIPE ignored */
hook_fn proc_op_pipe, proc_op_start, proc_op_wait, proc_op_kill;
/* FS_DUP of a pipe or process handle: slot becomes one like it on host
 * descriptor fd (a process handle's copy carries its status, if it came). */
int64_t proc_dup(struct nh_host *h, unsigned handle, int slot, int fd);
/* inherit.c: --inherit-fds, a child image's descriptors 3..N-1 as its
 * guest's handles 3..N-1. inherit_hold() first thing (moves them out of
 * the way; nothing without the option), inherit_adopt() after proc_setup.
 * inherit_kind() is the pure decision: what a descriptor of this fstat,
 * F_GETFL and (a socket's) SO_DOMAIN/SO_TYPE becomes; sockets: the network
 * serves them (not --net none); own_root: UNIX datagram and seqpacket
 * sockets too (the image has a root of its own, nss_unix_root.c); why
 * says why not (INHERIT_NONE). */
enum inherit_kind { INHERIT_NONE, INHERIT_FILE, INHERIT_PIPE, INHERIT_SOCKET, INHERIT_NULL };
struct stat;
void inherit_hold(struct nh_host *h);
void inherit_adopt(struct nh_host *h);
enum inherit_kind inherit_kind(const struct stat *st, int flags, int domain, int type,
                               bool sockets, bool own_root, const char **why);
/* proc_policy.c: seccomp rules and nofile (nothing when processes are off).
 * proc_image_asks(): the image may ask for a process. */
struct sbx_policy;
void proc_policy(struct nh_host *h, struct sbx_policy *p);
bool proc_served(const struct nh_host *h); /* a run: ready; --policy: --max-procs > 0 */
bool proc_image_asks(const struct nh_host *h); /* names NH_PROC_START_SYMBOL */

/* fault.c */
void fault_install(struct nh_host *h);

/* signal.c: the guest's signals (nonehost_abi.h "Signals"). */
struct sbx_sigshare;
/* Right after the supervisor's fork (share: its page, or NULL), before the
 * launcher and proc_setup: record the guest signals the process inherited
 * ignored (their action NH_SIG_IGNORE, hostblock.sig_ignored), unblock
 * every guest signal, ignore SIGPIPE. Dies 125 if it cannot. */
void signal_init(struct nh_host *h, struct sbx_sigshare *share);
bool signal_is_guest(int sig);          /* 1..64 but the host's own and libc's */
bool signal_default_ignored(int sig);   /* SIGCHLD, SIGCONT, SIGURG, SIGWINCH */
hook_fn hook_signal, hook_raise;
/* A child's exit arrived before its channel had an owner (proc_start.c):
 * SIGCHLD pending when the image catches it, as the channel would raise. */
void signal_child_ended(struct nh_host *h);
/* The image ends killed by sig (RAISE, a console write without a reader):
 * console flushed, then the signal's default action on this process, or
 * with a supervisor the page's died_by and exit 128 + sig (the supervisor
 * leaves killed by it). */
_Noreturn void signal_die(struct nh_host *h, int sig);
/* IDLE while a signal is caught (h->sig.ncaught > 0): block the caught
 * signals (the mask before into *old) and tell whether a pending bit is
 * set already (then IDLE must not wait); IDLE waits with *old, then
 * signal_idle_end() puts it back. */
bool signal_idle_begin(struct nh_host *h, sigset_t *old);
void signal_idle_end(const sigset_t *old);

/* preempt.c: the time-slice tick (SIGVTALRM), armed before the sandbox. */
void preempt_install(struct nh_host *h);
#if ARCH_PREEMPT_CTX
/* At a SIGTRAP (arm: or SIGILL): when it is the guest's resume breakpoint
 * of a tick in progress, put the tick's context back into uc and return
 * true. */
bool preempt_resume(struct nh_host *h, ucontext_t *uc);
#endif
int64_t hook_preempt(struct nh_host *h, const uint64_t a[6]);

/* sigmsg.c: async-signal-safe one-line reports (fault.c, sandbox/sbx_report.c). */
struct sigmsg {
	char buf[512];
	size_t n;
};
void sigmsg_put(struct sigmsg *m, const char *s);
void sigmsg_hex(struct sigmsg *m, uint64_t v);
void sigmsg_dec(struct sigmsg *m, uint64_t v);
/* "0x<pc>", then " in <symbol>[+0x<off>]" for a guest PC in its text, or
 * " = nonehost+0x<off>" for a host PC in the host's own text. */
void sigmsg_pc(struct sigmsg *m, const struct nh_host *h, bool guest, uint64_t pc);
void sigmsg_write(struct sigmsg *m); /* adds '\n', one write(2) to stderr */

/* F_DUPFD_CLOEXEC by number: musl's fcntl() follows it with an F_SETFD of
 * its own (for kernels before 2.6.24), which the image's filter refuses. */
static inline int nh_dupfd_cloexec(int fd, int floor)
{
	return (int)syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, floor);
}

/* raise(3) as the allowlists name it, tgkill on this thread: musl's blocks
 * every signal around a tkill, glibc's is this. */
static inline int nh_raise(int sig)
{
	return (int)syscall(SYS_tgkill, getpid(), gettid(), sig);
}

/* close_range(2) by number: musl, the native host's libc, has no wrapper. */
static inline int nh_close_range(unsigned lo, unsigned hi, unsigned flags)
{
	return (int)syscall(SYS_close_range, lo, hi, flags);
}

#endif /* NONEHOST_HOST_H */
