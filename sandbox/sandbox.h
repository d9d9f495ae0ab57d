/*
 * sandbox.h - the contract of nonehost's sandbox (sandbox/, prefix sbx_).
 *
 * The image runs in the host's own address space, so the gate is no
 * security boundary: whatever the host process may do, a hostile image may
 * do too (it can issue the `syscall` instruction itself). The boundary is
 * what the kernel enforces on the whole process, applied by sbx_apply()
 * after every resource is set up and before the first guest instruction.
 *
 * The order, written down here once:
 *   0. namespaces       (sbx_isolate.c)  only with --isolate, first thing
 *                                        after the command line, before the
 *                                        image is opened: a new user
 *                                        namespace (own uid/gid mapped),
 *                                        then mount, IPC, network, PID; for
 *                                        PID, fork: the child is PID 1 and
 *                                        goes on, the parent waits and
 *                                        passes its status through. A type
 *                                        the system refuses is one stderr
 *                                        line, then go on without it.
 * Then set-up (host/main.c), and then sbx_apply() follows steps 1-5:
 *   1. no_new_privs     (sbx_nnp.c)      nothing can gain privileges through
 *                                        execve from here on; Landlock and
 *                                        seccomp need it (we must not rely
 *                                        on CAP_SYS_ADMIN instead).
 *   2. rlimits          (sbx_rlimit.c)   RLIMIT_NOFILE, RLIMIT_CORE 0,
 *                                        RLIMIT_NPROC; soft = hard, lowered
 *                                        only, before the capability drop.
 *   3. capabilities     (sbx_caps.c)     bounding set first (dropping it
 *                                        needs CAP_SETPCAP), then ambient,
 *                                        then inheritable/permitted/effective.
 *   4. Landlock         (sbx_landlock.c) if the kernel has it: every file
 *                                        system right handled, one
 *                                        path-beneath rule per file grant
 *                                        (fs-shim), TCP bind/connect (ABI
 *                                        >= 4) with one rule per granted
 *                                        port (netstack-shim; not handled
 *                                        under --net private) and the
 *                                        abstract-socket and signal scopes
 *                                        (ABI >= 6) with none.
 *   5. seccomp, last    (sbx_report.c, sbx_seccomp.c) the SIGSYS report
 *                                        handler, then the allowlist. Last
 *                                        because every step above makes
 *                                        system calls the allowlist forbids.
 *                                        Under qemu-user (no seccomp(2)) a
 *                                        filter its starter put on the
 *                                        emulator stands in ("applied
 *                                        outside", sbx_seccomp.c).
 * The supervising parent of the fork (sbx_supervise.c) confines itself
 * with its own table: no_new_privs, capabilities, rlimits, Landlock (its
 * exit hook's rules only, no signal scope), seccomp with EPERM as default.
 * Each step dies with one line and NH_EXIT_USAGE (125) when a call fails;
 * nothing is skipped silently (Landlock missing from the kernel, and
 * seccomp missing under an emulator whose starter confined it, are the
 * tolerated absences, reported under --trace and by --policy).
 *
 * Modules that own resources (the fs-shim's files, the netstack-shim's
 * sockets and ring) add their own seccomp rules with sbx_allow(), pinned to
 * the descriptors they own, Landlock rules (sbx_allow_path,
 * sbx_allow_ports), and raise nofile by what they open, between
 * sbx_policy_init() and sbx_apply().
 *
 * A forbidden system call raises SIGSYS (SCMP_ACT_TRAP, also for foreign
 * ABIs such as int $0x80 and x32); the handler prints one line
 *   nonehost: sandbox violation: execve (59) from pc 0x10001234 in main.f
 * and exits NH_EXIT_SANDBOX (159).
 */
#ifndef NONEHOST_SANDBOX_H
#define NONEHOST_SANDBOX_H

#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#define SBX_MAX_RULES 96
#define SBX_MAX_ARGS  3
/* Landlock path rules: the launcher's are the most (host/launcher_confine.c:
 * every grant, 5 system directories, 2 files, nonehost, the image and each
 * --allow-exec program: at most 76). */
#define SBX_MAX_PATHS 80
#define SBX_MAX_PORTS 64

/* System call nr gets action when every comparison holds. Several rules
 * for one system call are alternatives, taken in order (sbx_bpf.c). */
struct sbx_rule {
	int nr;                                /* native number (SCMP_SYS) */
	uint32_t action;                       /* SCMP_ACT_ALLOW; the emulator's and a host
	                                        * program's also SCMP_ACT_ERRNO(e) */
	unsigned nargs;                        /* comparisons used in arg[] */
	struct scmp_arg_cmp arg[SBX_MAX_ARGS];
	const char *why;                       /* the host code that needs it */
};

/* A directory the process may still reach after Landlock (a file grant):
 * one path-beneath rule on its descriptor. */
struct sbx_path {
	int fd;           /* opened O_PATH|O_DIRECTORY before the sandbox; -1 under
	                   * --policy, which opens nothing */
	bool rw;          /* read-write: every file right but EXECUTE, MAKE_CHAR,
	                   * MAKE_BLOCK, IOCTL_DEV; else READ_FILE|READ_DIR */
	const char *guest; /* for --policy: where the guest sees it */
	const char *host;  /* the host directory */
	const char *note;  /* what it is ("the current directory", ...), or "" */
	uint64_t access;   /* exact LANDLOCK_ACCESS_FS_* rights (the supervisor's and
	                    * the launcher's rules; masked by what the ABI handles,
	                    * and on a file to a file's rights), or 0: from rw */
};

/* Landlock's TCP rights (ABI >= 4). */
#define SBX_NET_BIND    1u
#define SBX_NET_CONNECT 2u

/* Local ports Landlock lets TCP bind or connect to: one rule per port
 * (the netstack-shim's grants under --net host). */
struct sbx_ports {
	uint16_t lo, hi;  /* inclusive */
	uint8_t access;   /* SBX_NET_BIND or SBX_NET_CONNECT */
};

struct sbx_policy {
	unsigned nrules;
	struct sbx_rule rule[SBX_MAX_RULES];
	unsigned npaths;
	struct sbx_path path[SBX_MAX_PATHS];
	rlim_t nofile; /* RLIMIT_NOFILE, soft = hard */
	rlim_t nproc;  /* RLIMIT_NPROC, soft = hard */
	/* The supervisor's policy (sbx_supervisor_policy_init) differs in two: */
	bool deny_eperm;   /* seccomp: any other call fails with EPERM (else: trap) */
	bool may_signal;   /* Landlock: no signal scope (it must kill its child) */
	/* The network (netstack-shim/nss_sandbox.c). By default Landlock
	 * handles TCP bind and connect with no port: none at all. */
	uint8_t net_unhandled;  /* SBX_NET_* rights Landlock leaves alone (--net
	                         * private, or a grant too wide for port rules) */
	unsigned nports;
	struct sbx_ports port[SBX_MAX_PORTS];
	/* --policy: one line after the file grants for one that is not made:
	 * where the guest would see it, and why not (NULL: no such line) */
	const char *absent_guest, *absent_why;
	/* --policy: prints the network's grants (NULL: "network: none") */
	void (*describe_net)(FILE *out, const void *arg);
	const void *net_arg;
};

/* What sbx_apply() did, for the --trace summary line. */
struct sbx_state {
	bool bounding_dropped; /* we had CAP_SETPCAP and emptied the bounding set */
	int landlock_abi;      /* 0: the kernel has no Landlock */
	unsigned nsyscalls;    /* distinct system calls allowed */
	bool seccomp_outside;  /* no filter loaded here: the emulator's stands in */
};

/* sbx_policy.c: the core host's allowlist (every rule says why) and the
 * default limits; sbx_allow() adds a rule (dies 125 when the table is full). */
void sbx_policy_init(struct sbx_policy *p);
void sbx_allow(struct sbx_policy *p, int nr, const char *why, unsigned nargs,
               const struct scmp_arg_cmp *arg);
#define SBX_ALLOW(p, nr, why, ...)                                                 \
	sbx_allow((p), (nr), (why),                                                \
	          sizeof((struct scmp_arg_cmp[]){__VA_ARGS__}) / sizeof(struct scmp_arg_cmp), \
	          (struct scmp_arg_cmp[]){__VA_ARGS__})
unsigned sbx_policy_nsyscalls(const struct sbx_policy *p);
/* A Landlock path-beneath rule for a granted directory (dies 125 when full). */
void sbx_allow_path(struct sbx_policy *p, const struct sbx_path *path);
/* Landlock TCP port rules for ports lo..hi (dies 125 when full). */
void sbx_allow_ports(struct sbx_policy *p, uint16_t lo, uint16_t hi, uint8_t access);
unsigned sbx_policy_nports(const struct sbx_policy *p); /* the rules they make */

/* sbx_apply.c: every layer, in the order above. With trace, one summary
 * line "[nh] sandbox: ..." on stderr. */
void sbx_apply(const struct sbx_policy *p, bool trace, struct sbx_state *st);

/* sbx_isolate.c: layer 0, the namespaces of --isolate, in this order (the
 * user namespace first: it grants the right to make the others). */
enum { SBX_NS_USER, SBX_NS_MOUNT, SBX_NS_IPC, SBX_NS_NET, SBX_NS_PID, SBX_NS_COUNT };
struct sbx_ns {
	int flag;          /* CLONE_NEW* */
	const char *name;  /* for messages */
	const char *proc;  /* entry in /proc/self/ns/ showing the new namespace */
};
extern const struct sbx_ns sbx_namespaces[SBX_NS_COUNT];
struct sbx_sigshare;
/* The supervisor's page as its child holds it (sbx_share.c): the mapping,
 * and the memfd behind it (close-on-exec), which a foreign image's host
 * gets across the exec into qemu (--signal-fd, host/foreign.c). */
struct sbx_share {
	struct sbx_sigshare *page; /* NULL: no supervisor */
	int fd;                    /* the page's memfd, or -1 */
};
struct sbx_isolation {
	unsigned made;           /* 1 << SBX_NS_* for each namespace made */
	int err[SBX_NS_COUNT];   /* errno of each one the system refused */
	struct sbx_share share;  /* sbx_isolate: the supervisor's page ({NULL, -1}: no fork) */
};
void sbx_unshare(struct sbx_isolation *iso); /* unshare only, no fork */
/* --net private without --isolate: a new network namespace, and first a
 * new user namespace (our uid and gid mapped, as sbx_unshare's) when the
 * kernel refuses the network one without it (not root). 0 or the errno of
 * the refusal; *userns tells whether a user namespace was made. */
int sbx_unshare_net(bool *userns);
/* The same for a mount namespace (sbx_mirror.c's), and for a PID namespace
 * (the launcher's: its next child is PID 1 there). */
int sbx_unshare_mount(bool *userns);
int sbx_unshare_pid(bool *userns);

/* sbx_mirror.c: a root of the process's own, in a new mount namespace: a
 * read-only tmpfs where only dirs appear, each host directory (checked to
 * be the one with dev and ino) mounted at its path. Whatever the kernel
 * then resolves by path for this process resolves there. 0, or -1 with why
 * ("what: errno's text"; the process keeps its root: at worst it is in a
 * mount namespace of its own, a copy of the one it was in). */
struct sbx_mirror_dir {
	const char *host; /* an absolute path in the mount namespace at the start */
	int fd;           /* > 0: the directory open there instead (host names it only in
	                   * messages): one no path leads to, e.g. in a tmpfs attached
	                   * nowhere (fs-shim/fsshim_tmp.c) */
	const char *at;   /* absolute, clean, not "/"; none beneath another's */
	dev_t dev;
	ino_t ino;        /* 0: not checked (a file the caller did not open) */
	bool file;        /* not a directory: mounted on an empty file */
	bool rdonly;      /* the mount read-only (and nosuid) */
};
int sbx_mirror(const struct sbx_mirror_dir *dirs, size_t n, bool *userns, char *why,
               size_t whylen);
/* A new tmpfs attached nowhere (fsopen, fsmount), nosuid, nodev, noexec:
 * mode its root's, size its limit (NULL: tmpfs's own, half the RAM). Its
 * descriptor, or -1 with errno (no CAP_SYS_ADMIN in this user namespace:
 * EPERM). Closing the descriptor unmounts it; what is open in it stays. */
int sbx_tmpfs(const char *mode, const char *size);
bool sbx_netns_empty(void); /* only lo, and it is down */
/* sbx_unshare, one line for what is unavailable, then, when a new PID
 * namespace was made or at_exit is given, fork through sbx_supervise():
 * returns in the child (PID 1 of the namespace); the parent never returns.
 * With trace, "[nh] isolate: namespaces: user, mount, ... (N us)". */
struct sbx_exit;
void sbx_isolate(bool trace, struct sbx_isolation *iso, const struct sbx_exit *at_exit);

/* What the supervising parent runs once the child ended (the fs-shim:
 * remove the private TMPDIR), and what that needs once it is confined. */
struct sbx_exit {
	void (*run)(void *arg); /* NULL: nothing (a foreign image's PID 1) */
	/* Optional: called in the parent right after the fork, before policy
	 * and its layers, while the child sets up (the fs-shim: remove what
	 * runs killed before their exit left behind). */
	void (*meanwhile)(void *arg);
	/* Called in the parent after the fork, before its layers: add run's
	 * Landlock path rules (descriptors opened O_PATH, closed once the rules
	 * are in) and system calls, and reserve what run uses (nothing may
	 * allocate afterwards). Under --policy it is called from
	 * sbx_supervisor_policy_init's caller with nothing to open. */
	void (*policy)(struct sbx_policy *p, void *arg);
	void *arg;
	/* Optional: called with the child's wait status once it ended, before
	 * run, confined (one write(2) to stderr is all it may do): a foreign
	 * image's emulator killed by its seccomp filter is reported here. */
	void (*ended)(int status, void *arg);
};

/* The page the supervisor shares with its child (a sealed memfd mapped
 * MAP_SHARED before the fork: sbx_share.c; host/signal.c writes it): what
 * the image does with each signal, so that the supervisor passes on
 * exactly what the image catches,
 * and the signal the image ended by (as PID 1 of a namespace the child
 * cannot die of a signal it sends itself: it sets died_by and exits 128 +
 * it, and the supervisor leaves killed by it). The guest shares the
 * child's address space and may scribble on the page: the supervisor
 * trusts no byte of it (sbx_forward, sbx_died_by). Bytes are read and
 * written with __atomic builtins: the handler of another process reads
 * them while the child writes. A foreign image's host, under qemu, maps
 * the same memfd again (--signal-fd): the exec leaves the mapping behind,
 * not the descriptor. */
struct sbx_sigshare {
	uint8_t action[65];  /* NH_SIG_* by signal number 1..64; any other value is DEFAULT */
	uint8_t died_by;     /* 0, or the signal the image ended by */
};

/* sbx_share.c: the page, in the supervisor before its fork: a memfd
 * (MFD_CLOEXEC) of sizeof(struct sbx_sigshare) bytes, sealed against
 * shrinking and growing (nobody can take the mapping from under the
 * supervisor's handler: SIGBUS), mapped MAP_SHARED; every guest signal
 * this process inherited ignored starts as NH_SIG_IGNORE. Dies 125 (after
 * at_exit->run, when given) if it cannot. */
struct sbx_share sbx_share_make(const char *why, const struct sbx_exit *at_exit);

/* The supervisor's set-up failed before its fork: at_exit->run still runs
 * (the TMPDIR goes), then "WHY: WHAT: strerror(errno)" and exit 125. */
_Noreturn void sbx_give_up(const char *why, const char *what, const struct sbx_exit *at_exit);
/* The page a foreign image's host is given (--signal-fd fd): fd must be a
 * regular file of at least sizeof(struct sbx_sigshare) bytes sealed
 * against shrinking (F_SEAL_SHRINK: only a memfd made with
 * MFD_ALLOW_SEALING can carry it, i.e. sbx_share_make's). Mapped
 * MAP_SHARED into *out (the descriptor kept, close-on-exec set); false with
 * "--signal-fd N: <why>" in err if it is not, nothing mapped. */
bool sbx_share_adopt(int fd, struct sbx_share *out, char *err, size_t errlen);

/* sbx_supervise.c: fork once; returns in the child (with the page it
 * shares with its parent, sbx_share_make's), which dies with its parent
 * (PR_SET_PDEATHSIG).
 * The parent installs its signal forwarding, confines itself
 * (sbx_confine_supervisor) and waits; it handles every signal but SIGKILL,
 * SIGSTOP, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU and libc's 32 and 33, and
 * does with each what sbx_forward() says: pass it on to the child, kill
 * the child (SIGKILL: PID 1 of a namespace ignores the others) and
 * re-raise it once the child is gone, or nothing. It runs at_exit->run when
 * given (however the child ended), then leaves exactly as the child did:
 * its exit status, or killed by its signal (core dumps off), or by the
 * signal the image ended by (sbx_died_by); a signal it killed the child
 * for is re-raised instead. The one process boundary shared by --isolate
 * and the removal of the private TMPDIR. Dies 125 if it cannot map the
 * page or fork (after at_exit->run), or if a confinement step fails (after
 * killing the child). */
struct sbx_share sbx_supervise(const char *why, const struct sbx_exit *at_exit);
/* The same with a page already shared with a supervisor above (a foreign
 * image's PID 1 under --isolate, host/foreign.c: a signal passed on to it
 * goes on to the emulator's process; a host given --signal-fd that must
 * fork, host/main.c): the parent closes share->fd and forwards by
 * share->page; the child returns with both. */
void sbx_supervise_with(const char *why, const struct sbx_exit *at_exit,
                        const struct sbx_share *share);

/* What the supervisor does with a signal it got (pure; unit-tested). */
enum sbx_forward {
	SBX_FWD_NONE,      /* nothing: the image ignores it, or got it itself (the terminal's) */
	SBX_FWD_PASS,      /* kill(child, sig): the image catches it */
	SBX_FWD_KILL,      /* kill(child, SIGKILL), then leave killed by sig */
	SBX_FWD_OWN_FAULT, /* the supervisor's own fault: default action, run again */
};
/* sig with si_code as the supervisor's handler got it, share the page (its
 * bytes as the guest may have left them). */
enum sbx_forward sbx_forward(const struct sbx_sigshare *share, int sig, int si_code);
/* The signal the child ended by, from the page and its wait status: the
 * page's died_by when it is a signal (1..64) and the child exited with 128
 * + it; else 0 (pure; unit-tested). */
int sbx_died_by(const struct sbx_sigshare *share, int status);
/* The supervisor handles sig (has a handler for it while it waits). */
bool sbx_supervisor_handles(int sig);
/* sig is one the C library keeps for itself, from 32 up to its SIGRTMIN
 * (glibc's 32-33, musl's 32-34): sigaction refuses it. */
static inline bool sbx_libc_signal(int sig)
{
	return sig >= 32 && sig < SIGRTMIN;
}

/* sbx_policy.c: the supervisor's allowlist: wait for child, signal it,
 * its signal handling and re-raise (pid/tid pinned: call it in the
 * supervisor, or under --policy in the printing process), write to 2 and
 * exit_group; nofile 0 (for the supervisor: how many descriptors it must
 * still be able to open, which at_exit->policy raises), nproc 0; EPERM for
 * anything else; no signal scope. */
void sbx_supervisor_policy_init(struct sbx_policy *p, pid_t child);
/* sbx_supervise.c: the supervisor's layers, in this order: no_new_privs,
 * capabilities, rlimits (p->nofile becomes the limit that leaves that many
 * descriptors free), Landlock with p's rules (their descriptors closed
 * after), seccomp. Dies 125 on failure. */
void sbx_confine_supervisor(struct sbx_policy *p);

/* sbx_describe.c: --policy. sbx_probe() finds what this kernel and process
 * allow without confining anything (the namespaces are tried in a child,
 * only when isolate); sbx_describe() prints the policy from the same table
 * sbx_apply() loads. */
struct sbx_probe {
	bool setpcap;                /* the bounding set can be emptied */
	int landlock_abi;            /* 0: unavailable */
	bool no_sandbox;             /* --no-sandbox given: layers 1-5 off */
	bool isolate;                /* --isolate given */
	struct sbx_isolation iso;    /* with isolate: what the system allows */
	int seccomp_err;             /* 0, or ENOSYS: no seccomp(2) here (qemu-user) */
	bool seccomp_outside;        /* with seccomp_err: a filter is on us already */
};
void sbx_probe(struct sbx_probe *k, bool no_sandbox, bool isolate);
void sbx_describe(FILE *out, const struct sbx_policy *p, const struct sbx_probe *k);
/* The supervisor's section: its layers and allowlist from sp, or why there
 * is none (sp == NULL: no fork). */
void sbx_describe_supervisor(FILE *out, const struct sbx_policy *sp, const struct sbx_probe *k);

/* The layers, each usable alone (the unit tests apply them one by one). */
void sbx_no_new_privs(void);                  /* sbx_nnp.c */
void sbx_rlimits(const struct sbx_policy *p); /* sbx_rlimit.c */
bool sbx_drop_caps(void);                     /* sbx_caps.c: true if the bounding set was dropped */
bool sbx_setpcap_permitted(void);             /* sbx_caps.c: CAP_SETPCAP is permitted */
int sbx_landlock_abi(void);                   /* sbx_landlock.c: 0 when unavailable */
int sbx_landlock(const struct sbx_policy *p); /* applies; returns the ABI used, 0 = none */
void sbx_report_install(void);                /* sbx_report.c: the SIGSYS handler */
/* sbx_seccomp.c: load the filter: true; false: seccomp(2) is absent here
 * and a filter of whoever started the process (the emulator's) stands in. */
bool sbx_seccomp(const struct sbx_policy *p);
/* 0 when seccomp(2) is there; else ENOSYS, and *outside tells whether the
 * process runs under the emulator's filter already (its probe answers). */
int sbx_seccomp_probe(bool *outside);
/* sbx_bpf.c: rule[0..n) as a program (its length, or -E2BIG, -EINVAL):
 * a call gets the action of the first rule that holds for it, any other
 * otherwise, a call of another ABI other_abi; and its load (0, -errno). */
struct sock_filter;
int sbx_bpf_compile(const struct sbx_rule *rule, unsigned n, uint32_t otherwise,
                    uint32_t other_abi, struct sock_filter *prog, size_t cap);
int sbx_bpf_load(const struct sock_filter *prog, size_t len);

/* sbx_report.c: the name of system call nr of audit architecture arch
 * (si_arch), or NULL; *abi is "" for the native ABI, else e.g. "i386 ". Reads only
 * the build-time table (sbx_names.c, generated by sbx_names_gen.c), so the
 * SIGSYS handler may call it. */
const char *sbx_syscall_name(uint32_t arch, int nr, const char **abi);
/* A rule's argument pins as --policy prints them, "a0 == 1 && (a1 & 0x7f)
 * == 0", or "any arguments" (sbx_describe.c; also the emulator's rules). */
void sbx_format_pins(const struct scmp_arg_cmp *arg, unsigned nargs, char *buf, size_t len);

/* sbx_names.c (generated): one table per ABI the kernel may report. */
struct sbx_names {
	uint32_t arch;            /* AUDIT_ARCH_* (== SCMP_ARCH_*) */
	uint32_t base;            /* first number (x32: 0x40000000) */
	const char *abi;          /* "" for the native ABI, else "i386 ", "x32 " */
	unsigned n;               /* entries in name[] */
	const char *const *name;  /* name[nr - base], NULL for holes */
};
extern const struct sbx_names sbx_name_tables[]; /* ends with n == 0 */
/* Also generated: errno names ("ENOENT") and signal abbreviations ("USR1",
 * "RTMIN"; none for 35-63), NULL where there is none; sbx_report.c's
 * sbx_errno_name() and sbx_signal_name() read them for any value. */
#define SBX_ERRNO_NAMES  256
#define SBX_SIGNAL_NAMES 65
extern const char *const sbx_errno_names[SBX_ERRNO_NAMES];
extern const char *const sbx_signal_names[SBX_SIGNAL_NAMES];
const char *sbx_errno_name(int e);  /* "ENOENT", or "?" */
const char *sbx_signal_name(int sig); /* "USR1" (no "SIG"), or NULL */

/* sbx_qemu.c: the emulator's allowlist. A foreign image runs in a
 * qemu-user process together with the foreign host (host/foreign*.c), and
 * qemu refuses seccomp to its guest: the native nonehost loads this filter
 * on itself right before it execs qemu. A rule allows, or fails with a
 * fixed errno (action); anything else kills the process (SIGSYS). */
#define SBX_QEMU_MAX_RULES 160
#define SBX_QEMU_INET    1u /* AF_INET and AF_INET6 sockets (--net private, host) */
#define SBX_QEMU_OWN_ROOT 2u /* the emulator's own root: UNIX sockets, CHMOD and CHOWN by
                              * name (host/foreign_root.c) */
/* The probe (sbx_seccomp_probe): getpriority(SBX_QEMU_PROBE_WHICH, 0), a
 * "which" no kernel knows (EINVAL), which qemu passes through unchanged and
 * the emulator's filter alone answers with SBX_QEMU_PROBE_ERRNO. How a
 * foreign host tells that its emulator is confined: it cannot read
 * /proc/self/status inside a launcher's Landlock domain, and "Seccomp: 2"
 * there would only say that some filter is on, not ours. */
#define SBX_QEMU_PROBE_WHICH 0x6e6f6e65 /* "none" */
#define SBX_QEMU_PROBE_ERRNO ENOTUNIQ
struct sbx_qemu_policy {
	unsigned nrules;
	struct sbx_rule rule[SBX_QEMU_MAX_RULES]; /* ALLOW, or ERRNO(e) */
};
void sbx_qemu_policy_init(struct sbx_qemu_policy *p, unsigned flags);
unsigned sbx_qemu_nsyscalls(const struct sbx_qemu_policy *p);
void sbx_qemu_seccomp(const struct sbx_qemu_policy *p); /* dies 125 on failure */
void sbx_qemu_describe(FILE *out, const struct sbx_qemu_policy *p);

#endif /* NONEHOST_SANDBOX_H */
