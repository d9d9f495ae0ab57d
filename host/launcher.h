/*
 * launcher.h - the launcher: the process that starts the image's children
 * (NH_OP_PROC_*, nonehost_abi.h "Processes") and makes its UNIX sockets
 * (nonehost_abi.h "UNIX sockets"), and the messages between it and the
 * host. sandbox/README.md ("Processes") has the design and the threat
 * model, netstack-shim/README.md ("UNIX sockets") the sockets'.
 *
 * The image's sandbox forbids every new process, so the host forks the
 * launcher before it (host/main.c, after the network namespace, before
 * guest RAM is mapped) and talks to it over one SOCK_SEQPACKET socketpair,
 * the control socket. The launcher confines itself (launcher_confine.c)
 * and then serves requests until the control socket ends (the host is
 * gone). The run's first launcher then kills every child with SIGKILL,
 * reaps them and exits; a child image's launcher lets its children run on,
 * as orphans do on Unix, until they end or the run does (the lifeline:
 * launcher.c).
 *
 * The host end of the control socket lives in the image's process: a
 * hostile image can send the launcher any message, with any descriptors
 * it holds. So the launcher trusts no byte and no descriptor it receives;
 * every decision (which program may run, as what) is its own, made from
 * what it learned before the image ran (launch_ctx).
 *
 * Messages (one datagram each; descriptors as SCM_RIGHTS):
 *   host -> launcher, control socket: struct launch_req, then strings_len
 *       bytes of strings: [path NUL, for LAUNCH_BY_PATH] the working
 *       directory's guest path NUL, argv[0] NUL ... argv[argc-1] NUL envp[0]
 *       NUL ... envp[envc-1] NUL. Descriptors, in order: [the program, for
 *       LAUNCH_BY_FD], [the working directory (O_PATH|O_DIRECTORY), unless
 *       LAUNCH_SYNTHETIC_DIR], then the child's descriptors that fdmap[]
 *       refers to.
 *   launcher -> host, control socket: struct launch_reply; with result > 0
 *       (the pid), one descriptor: the child's channel.
 *   host -> launcher, control socket, a UNIX socket (nss_unix.c): struct
 *       launch_sock_req, then namelen bytes of name (BIND); one descriptor:
 *       the directory (O_PATH|O_DIRECTORY) for BIND, the socket's inode
 *       (O_PATH) for CONNECT. Told from a launch_req by its magic.
 *   launcher -> host, control socket: struct launch_reply; with result 0
 *       one descriptor: the socket, listening (BIND) or connected (CONNECT).
 *   Per child, a SOCK_SEQPACKET channel: the host end is the guest's
 *       process handle (fs-shim kind FSSHIM_PROC).
 *       host -> launcher: struct launch_kill, any number of times.
 *       launcher -> host: struct launch_exit once, when the child has been
 *       reaped; then the launcher closes its end. When the host closes
 *       its end first, the child runs on and is reaped unseen.
 */
#ifndef NONEHOST_LAUNCHER_H
#define NONEHOST_LAUNCHER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "nonehost_abi.h"
#include "fsshim.h"
#include "nss.h"

#define LAUNCH_MAGIC       0x4c4e4348u /* "LNCH" */
#define LAUNCH_MAX_PROCS   64          /* --max-procs default */
#define LAUNCH_PROCS_LIMIT 4096        /* --max-procs at most */
/* The pids the run's PID namespace allocates from (its pid_max): every
 * process of the run, at every depth, launcher_confine.c layer 1b. */
#define LAUNCH_RUN_PIDS(max_procs) (16u * (max_procs) + 1024u)
#define LAUNCH_MAX_EXEC    32          /* --allow-exec options */
#define LAUNCH_MAX_RUNNERS 6           /* 3 other machines: an emulator and a host each */
/* One request: header, strings; the launcher's receive buffer. */
#define LAUNCH_MAX_MSG     (sizeof(struct launch_req) + 2 * (NH_PATH_MAX + 1) + NH_SPAWN_MAX_DATA)
/* Descriptors in one request: program, directory, the child's. */
#define LAUNCH_MAX_RIGHTS  (2 + NH_SPAWN_MAX_FDS)

enum launch_prog {
	LAUNCH_BY_FD = 1,   /* rights[0]: the program as the fs-shim resolved the guest
	                     * path (O_RDONLY): a GOOS=none image, or a file that is an
	                     * --allow-exec program */
	LAUNCH_BY_PATH = 2, /* the strings start with the path: an --allow-exec PATH the
	                     * guest cannot see (it is not in the grants) */
	LAUNCH_SELF = 3,    /* the image itself (os.Executable) */
};

/* launch_req.flags */
#define LAUNCH_SYNTHETIC_DIR 1u /* the working directory lies above the grants: it
                                 * has no host directory, so no descriptor comes
                                 * for it (a child image alone can run there) */

/* fdmap[] values below 0: not a received descriptor. */
#define LAUNCH_FD_NULL   (-1) /* /dev/null, opened by the launcher */
#define LAUNCH_FD_CLOSED (-2) /* not open in the child (0-2: /dev/null instead) */

struct launch_req {
	uint32_t magic;       /* LAUNCH_MAGIC */
	uint32_t prog;        /* enum launch_prog */
	uint32_t argc;        /* >= 1 */
	uint32_t envc;
	uint32_t nfds;        /* the child's descriptors 0..nfds-1, <= NH_SPAWN_MAX_FDS */
	uint32_t flags;       /* LAUNCH_SYNTHETIC_DIR or 0 */
	uint32_t umask;       /* the child's file-mode creation mask (the image's), <= 0777 */
	int32_t fdmap[NH_SPAWN_MAX_FDS]; /* index into the received descriptors, or
	                                  * LAUNCH_FD_NULL, LAUNCH_FD_CLOSED */
	uint32_t strings_len; /* bytes that follow */
};

struct launch_reply {
	int64_t result;       /* the child's pid (LSOK: 0), or -errno (Linux numbering) */
};

/* A UNIX socket, made by the launcher (nonehost_abi.h "UNIX sockets"). */
#define LAUNCH_SOCK_MAGIC    0x4c534f4bu /* "LSOK" */
#define LAUNCH_SOCK_NAME_MAX NH_UNIX_NAME_MAX

enum launch_sock_op {
	LAUNCH_SOCK_BIND = 1,    /* bind a new socket at (the directory, name), listen */
	LAUNCH_SOCK_CONNECT = 2, /* connect a new socket to the inode received */
};

struct launch_sock_req {
	uint32_t magic;       /* LAUNCH_SOCK_MAGIC */
	uint32_t op;          /* enum launch_sock_op */
	uint32_t namelen;     /* BIND: the bytes of the name that follow; CONNECT: 0 */
	uint32_t umask;       /* BIND: the mask the name is made with (the image's),
	                       * <= 0777; CONNECT: 0 */
};

struct launch_kill {
	int32_t sig;          /* 1-64 */
};

struct launch_exit {
	int32_t status;       /* wait status, as waitpid(2) gives it */
};

/*
 * Validation rules of a request (launch_parse, launcher_msg.c), beyond the
 * fields' comments above. The result is 0 or -errno, the errno the host
 * passes on to the guest:
 *   -E2BIG   MSG_TRUNC or MSG_CTRUNC (more bytes than LAUNCH_MAX_MSG, more
 *            descriptors than LAUNCH_MAX_RIGHTS: the kernel closed the
 *            excess); argc + envc > NH_SPAWN_MAX_STRS; argv and envp longer
 *            than NH_SPAWN_MAX_DATA bytes (NULs included)
 *   -EINVAL  shorter than the header; magic; prog not in enum launch_prog;
 *            argc 0; nfds > NH_SPAWN_MAX_FDS; flags other than
 *            LAUNCH_SYNTHETIC_DIR; umask beyond 0777; strings_len != the bytes
 *            after the header; the strings are not exactly (BY_PATH ? 1 : 0)
 *            + 1 + argc + envc NUL-terminated strings filling strings_len;
 *            the working directory's path is not absolute; the
 *            descriptors received are not exactly (BY_FD ? 1 : 0) +
 *            (SYNTHETIC_DIR ? 0 : 1) + the child's; an fdmap[i] (i < nfds) that is neither LAUNCH_FD_NULL,
 *            LAUNCH_FD_CLOSED nor the index of a child descriptor
 *   -ENAMETOOLONG, -ENOENT  the BY_PATH path is longer than NH_PATH_MAX or empty
 *   -ENAMETOOLONG  the working directory's path is longer than NH_PATH_MAX
 * The child's descriptors are the received ones after the program's and the
 * directory's (rights[base..nrights), base = (BY_FD ? 1 : 0) +
 * (SYNTHETIC_DIR ? 0 : 1)); fdmap[i]
 * = k, an index among all the received descriptors, gives the child
 * rights[k] as descriptor i, and k must be one of the child's (base <= k <
 * nrights). An index may appear in several fdmap entries (one descriptor
 * as 1 and 2), and every child descriptor received must be used by at
 * least one (a descriptor nothing refers to is -EINVAL: the count must say
 * what was sent). fdmap[i] for i >= nfds is ignored.
 *
 * Then, in launcher.c: more than max_procs live (unreaped) children is
 * -EAGAIN; what runs is decided (LAUNCH_BY_FD: the descriptor must be a
 * regular file, -EACCES otherwise; a GOOS=none image, EI_OSABI
 * NH_ELFOSABI_STANDALONE, whose path /proc/self/fd gives is absolute, still
 * there and still the same file, runs as a child image; a file that is
 * (st_dev, st_ino) one of the --allow-exec files runs as that program, by
 * its --allow-exec path; else -EACCES. LAUNCH_BY_PATH: the path must equal
 * an --allow-exec entry byte for byte, else -EACCES; if that file is a
 * GOOS=none image it runs as a child image. LAUNCH_SELF: the image); the
 * directory must be one (-ENOTDIR); a host program runs in a synthetic
 * one only where launch_host_dir finds the host's directory of that path,
 * opened then (-EACCES otherwise); then the
 * child is forked and exec'd (in the directory, when one came),
 * and an exec failure is its errno (-ENOENT, -EACCES, -ENOEXEC, ...).
 * Every descriptor received is closed once the request is answered,
 * whatever the outcome. A reply that cannot be sent at once (MSG_DONTWAIT)
 * is dropped: the channel's host end is closed with it, so a child started
 * for it counts as let go.
 *
 * A UNIX socket request (launch_sock_parse, then launch_sock in
 * launcher_sock.c). The rules of the message, as for a launch_req:
 *   -E2BIG   MSG_TRUNC or MSG_CTRUNC
 *   -EINVAL  shorter than struct launch_sock_req; magic; op not in enum
 *            launch_sock_op; namelen != the bytes after the header; not
 *            exactly one descriptor; CONNECT with a name or a umask; BIND's
 *            umask beyond 0777; BIND's name empty, ".", "..", or holding a
 *            '/' or a NUL
 *   -ENAMETOOLONG  BIND's name longer than LAUNCH_SOCK_NAME_MAX (so that
 *            "/proc/self/fd/%d/NAME" fits sun_path whatever the descriptor)
 * Then, in launcher_sock.c, trusting neither the descriptor nor the name
 * (the image holds the control socket and may send anything): under --net
 * none (the parent's mode, as the launcher learned it) -EACCES; the
 * descriptor is fstat'd: BIND wants a directory (-ENOTDIR), CONNECT a
 * socket inode (-ECONNREFUSED, connect(2)'s answer for anything else).
 * BIND: socket(AF_UNIX, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC), bind at
 * "/proc/self/fd/DIR/NAME" under the request's umask, listen(0); the
 * kernel decides where: the launcher's Landlock domain has
 * LANDLOCK_ACCESS_FS_MAKE_SOCK beneath the read-write grants only
 * (launcher_confine.c), so any other directory is -EACCES; on a kernel
 * without Landlock the launcher checks the directory itself, as CONNECT's
 * inode. CONNECT: Landlock does not govern connecting
 * to a socket path, so the launcher checks that the inode is linked
 * beneath a read-write grant now (its /proc/self/fd path lies in such a
 * grant's directory, and that path opened beneath the grant's descriptor
 * with no link followed is the same inode; else -EACCES: an O_PATH
 * descriptor of any file on the machine is easy to have, Landlock does not
 * check O_PATH opens), then connects a new socket to "/proc/self/fd/N",
 * exactly that inode. bind, listen and connect errors pass through
 * (-EADDRINUSE, -ECONNREFUSED, -EAGAIN for a full backlog, ...); on any
 * error the new socket is closed, so the image never holds a socket that
 * is neither listening nor connected. The reply is 0 with the socket, or
 * -errno alone.
 *
 * A child image runs as
 *     NONEHOST WORDS... --cwd GUEST --parent-pid=PID --lifeline-fd=N [FLAGS...]
 *         -- IMAGE argv[1] ...
 * (argv[0] is not passed: nonehost gives the guest IMAGE as argv[0];
 * GUEST is the request's working directory, which the child's fs-shim
 * finds in its grants or above them, or it ends with 125; PID the image's,
 * which the child's Getppid reports; N the descriptor, above the child's
 * others, of the run's lifeline: launcher.c), where
 * WORDS are the parent's options a child inherits (launch_words):
 *   --dir=HOST:GUEST:ro|rw for every grant of the parent (its --dir, the
 *       current directory, the guest's /etc); a
 *       read-only grant inside a read-write one's host directory (only the
 *       guest's /etc can be) is passed read-write: it is writable through
 *       the outer one anyway, and the child's fsshim_check would refuse it
 *       read-only; a grant with ':' in a path cannot be said and is left out
 *   --tmpdir=DIR, the parent's private TMPDIR: the child's TMPDIR is the
 *       parent's own (neither made nor removed by the child), so what a
 *       child leaves there outlives it, as on Linux
 *   --memory=BYTES when the parent was given --memory (else the child's
 *   own default), --max-files=N --max-procs=N, --allow-exec=P for each,
 *   --no-sandbox if the parent has it, and the network: none (or the
 *   default) -> --net=none; private -> --net=host --net-bind=0
 *   --net-bind=1-65535 --net-connect=*:* (the child is in the parent's
 *   namespace, so it reaches the parent's loopback and nothing else); host
 *   -> --net=host, --net-backend=B unless auto, and the parent's own
 *   --net-bind and --net-connect values.
 * The child image's environment is envp with TMPDIR set to the parent's
 * private TMPDIR (replaced, or added): where the new nonehost makes its run
 * directory if it needs one (its guest's /etc), the one place in the
 * launcher's Landlock domain sure to be writable, removed with the
 * parent's; an envp without TMPDIR, or with one outside the grants, would
 * make it fail.
 * NONEHOST_FLAGS in the child's envp (the first entry, as getenv finds it):
 * its words (split as binfmt.c does, at most LAUNCH_FLAGS_MAX) replace the
 * inherited --dir words (the guest's /etc grant is kept unless one of them
 * is at /etc or above it: the child resolves names through it) and come
 * last, right before "--", so they win where an option is given twice.
 * Only the words that cannot widen what the launcher cannot bound are
 * taken: --dir (the launcher's Landlock domain keeps any grant within the
 * parent's), --trace, --keep-tmp, --memory, --max-files; any other word
 * (--no-sandbox, a network option: UDP and addresses are beyond Landlock,
 * --allow-exec, --max-procs, --isolate, anything unknown) is -EPERM, a
 * --dir or other option without its value -EINVAL, too many words or too
 * long -E2BIG.
 */

struct nh_host;

/* launcher.c: fork the launcher (unless --max-procs 0); in the host, sets
 * h->proc.ctl to the host end of the control socket and h->proc.pid.
 * Dies 125 if it cannot. launcher_start_late() instead, after fsshim_root,
 * for an image that cannot ask for a process (proc_image_asks): it forks
 * the launcher only where the image got no root of its own, to make its
 * UNIX sockets; else there is none, as with --max-procs 0. */
void launcher_start(struct nh_host *h);
void launcher_start_late(struct nh_host *h);

/* ---- launcher_msg.c: pure functions (unit-tested) ---------------------- */

/* A request that passed launch_parse(); pointers into the buffer. */
struct launch_parsed {
	uint32_t prog;        /* enum launch_prog */
	uint32_t argc, envc, nfds;
	uint32_t umask;
	int32_t fdmap[NH_SPAWN_MAX_FDS];
	const char *path;     /* LAUNCH_BY_PATH: the path; else NULL */
	const char *cwd;      /* the working directory's guest path */
	const char *strs;     /* argv[0], then the other argc + envc - 1 strings */
	unsigned prog_fd;     /* LAUNCH_BY_FD: rights[0] */
	int dir;              /* rights[dir]: the working directory; -1: synthetic */
	unsigned base;        /* rights[base..base + nchild): the child's descriptors */
	unsigned nchild;      /* how many of those */
};

int launch_parse(const void *buf, size_t len, int msg_flags, unsigned nrights,
                 struct launch_parsed *out);
/* argv[0..argc) and envp[0..envc) from a parsed request, each then NULL
 * (argv: argc + 1 entries, envp: envc + 1). */
void launch_vectors(const struct launch_parsed *p, char **argv, char **envp);

/* A UNIX socket request that passed launch_sock_parse(). */
struct launch_sock_parsed {
	uint32_t op;          /* enum launch_sock_op */
	uint32_t umask;       /* BIND's */
	char name[LAUNCH_SOCK_NAME_MAX + 1]; /* BIND: NUL-terminated; CONNECT: "" */
};
/* The datagram is a UNIX socket request (its magic), not a launch_req. */
bool launch_is_sock(const void *buf, size_t len);
int launch_sock_parse(const void *buf, size_t len, int msg_flags, unsigned nrights,
                      struct launch_sock_parsed *out);

/* The option words a child image inherits (see above). */
#define LAUNCH_MAX_WORDS (FSSHIM_MAX_GRANTS + 7 + LAUNCH_MAX_EXEC + NSS_MAX_BIND + \
                          NSS_MAX_CONNECT)
#define LAUNCH_WORDS_BYTES (2 * (FSSHIM_MAX_GRANTS * (2 * NH_PATH_MAX + 16) +     \
                                 LAUNCH_MAX_EXEC * (NH_PATH_MAX + 16) +               \
                                 (NSS_MAX_BIND + NSS_MAX_CONNECT) * 160 + 512) +      \
                            NH_PATH_MAX) /* the words twice: NONEHOST_CHILD_FLAGS */
struct launch_words {
	unsigned n;           /* words in word[] */
	unsigned ndir;        /* word[0..ndir): the --dir words */
	int etc;              /* the guest's /etc grant's word, or -1 */
	unsigned skipped;     /* grants left out (a ':' in a path, one given as --dir @N) */
	char *tmpdir;         /* "TMPDIR=<the private TMPDIR>", or NULL: none */
	char *child_flags;    /* "NONEHOST_CHILD_FLAGS=<the words, space-separated>" */
	char *word[LAUNCH_MAX_WORDS];
	size_t used;
	char arena[LAUNCH_WORDS_BYTES];
};
/* From the parent's options, grants and network (no system call): 0, or
 * -E2BIG when they do not fit. by_fd: each grant by its descriptor
 * (--dir @N:GUEST:MODE, --tmpdir @N:PATH), for a foreign host in a root of
 * its own (host/foreign_root.c), where no host path leads to them. */
int launch_words(const struct nh_host *h, bool by_fd, struct launch_words *w);

/* A granted host program's environment, into out[cap]: envp with
 * NONEHOST_CHILD_FLAGS set to the words a child image gets (w->child_flags:
 * space-separated; one with a space or a tab in it left out), so that a
 * nonehost it runs as the go command's exec wrapper (host/goexec.c) runs its
 * image as this image's child would run; every NONEHOST_CHILD_FLAGS envp had
 * is dropped. Its length, or -E2BIG. */
int launch_program_envp(const struct launch_words *w, char *const *envp, unsigned envc,
                        char **out, size_t cap);

/* NONEHOST_FLAGS, as binfmt.c splits it. */
#define LAUNCH_FLAGS_MAX   64   /* == BINFMT_FLAGS_MAX */
#define LAUNCH_FLAGS_BYTES 4096 /* as binfmt_cli_parse's buffer */
struct launch_flags {
	char buf[LAUNCH_FLAGS_BYTES];
	char *word[LAUNCH_FLAGS_MAX];
};
/* The child image's argv, NULL-terminated, into out[cap] (own[nown]: this
 * request's words, at most LAUNCH_OWN_WORDS, after the inherited ones): its length, or
 * -errno (NONEHOST_FLAGS: -EPERM, -EINVAL, -E2BIG as above; -E2BIG when cap
 * is too small). argv and envp as launch_vectors gives them. */
#define LAUNCH_OWN_WORDS 4 /* --cwd GUEST --parent-pid=N --lifeline-fd=N */
#define LAUNCH_MAX_ARGV (1 + 1 + LAUNCH_MAX_WORDS + LAUNCH_OWN_WORDS + LAUNCH_FLAGS_MAX + 2 + \
                         NH_SPAWN_MAX_STRS + 1) /* the second 1: launch_inherit's word */
int launch_image_argv(const struct launch_words *w, const char *nonehost, const char *image,
                      char *const *own, unsigned nown, char *const *argv, unsigned argc,
                      char *const *envp, unsigned envc, struct launch_flags *f, char **out,
                      size_t cap);

/* A host program asked to run in a synthetic working directory cwd (a
 * request's, unchecked) runs in the host's directory of that path when the
 * host has one by that name for sure: cwd, cleaned into out
 * (NH_PATH_MAX + 1), is "/" or a proper ancestor of a grant at its own path
 * (realpath'd) or of an --allow-exec path. It grants nothing (the
 * program's Landlock domain is the grants') and tells the image nothing it
 * does not know. false: no such directory (the launcher says -EACCES). */
bool launch_host_dir(const struct nh_host *h, const char *cwd, char *out);

/* A child image given nfds > 3 descriptors: "--inherit-fds=N" (written
 * into buf, LAUNCH_INHERIT_BYTES) inserted as out[1], the first option
 * (host/inherit.c adopts them), into out[cap] holding n words and NULL.
 * The new length, n itself when nfds <= 3, or -E2BIG. Pure. */
#define LAUNCH_INHERIT_BYTES 24
int launch_inherit(char **out, int n, size_t cap, unsigned nfds, char *buf);

/* The lifeline's descriptor in a child image given nfds descriptors
 * (--lifeline-fd): the first above them, never among the ones it adopts
 * (cli.c refuses that). Pure. */
int launch_lifeline_fd(unsigned nfds);

/* The child image's environment into out[cap], NULL-terminated: envp with
 * every TMPDIR entry replaced by w->tmpdir, or it added (nothing changed
 * without one): its length, or -E2BIG when cap is too small. */
#define LAUNCH_MAX_ENVP (NH_SPAWN_MAX_STRS + 2)
int launch_image_envp(const struct launch_words *w, char *const *envp, unsigned envc,
                      char **out, size_t cap);

/* launcher_rights.c: SCM_RIGHTS packed and unpacked, for both sides. */
struct msghdr;
void launch_rights_put(struct msghdr *m, void *ctl, const int *fd, unsigned n);
unsigned launch_rights_take(struct msghdr *m, int *fd, unsigned max);

/* launcher_call.c, in the host: one request and its reply on the control
 * socket. iov[0..niov) goes as one datagram with fds[0..nfds) (nfds <=
 * LAUNCH_MAX_RIGHTS) as SCM_RIGHTS (MSG_NOSIGNAL, blocking: the launcher
 * answers at once), then one struct launch_reply is received
 * (MSG_CMSG_CLOEXEC). Returns the reply's result: -errno (-4095..-1) with
 * no descriptor, or a result >= 0 (<= INT32_MAX) with exactly one, *fd. A
 * request the control socket cannot take is -E2BIG (EMSGSIZE: larger than
 * wmem_max), -ENOMEM or -ENOBUFS; a gone launcher or a malformed reply
 * (its size, its descriptors, a truncated control message, a result out
 * of range) -EIO, every descriptor received closed. */
struct iovec;
int64_t launch_call(struct nh_host *h, const struct iovec *iov, unsigned niov, const int *fds,
                    unsigned nfds, int *fd);

/* ---- launcher.c and launcher_confine.c -------------------------------- */

/* An --allow-exec program, as stat'd when the launcher started. */
struct launch_exec {
	const char *path;     /* the --allow-exec value */
	dev_t dev;
	ino_t ino;
};

/* Everything the launcher knows, built by the host before the fork (from
 * what it learned before the image ran): nothing in it comes from the
 * image. */
struct launch_ctx {
	struct nh_host *h;    /* the host's context as forked: grants, network */
	int ctl;              /* the launcher's end of the control socket */
	int lifeline;         /* the run's lifeline (--lifeline-fd, a child image's), or
	                       * -1: this is the run's first launcher, which makes it */
	pid_t host;           /* the host (the launcher's parent) */
	bool pid1;            /* PID 1 of the run's PID namespace (launcher_confine.c,
	                       * layer 1b): it reaps the run's orphans */
	unsigned max_procs;
	bool trace;
	int64_t t0_ns;        /* CLOCK_MONOTONIC at launcher_start, for --trace */
	char nonehost[NH_PATH_MAX + 1]; /* this binary (/proc/self/exe) */
	const char *self;     /* the image's realpath (h->self) */
	unsigned nexec;
	struct launch_exec exec[LAUNCH_MAX_EXEC];
	/* The other machines' emulators and foreign hosts found (foreign.c:
	 * foreign_runners), which child images of those machines run through. */
	unsigned nrunners;
	char runner[LAUNCH_MAX_RUNNERS][NH_PATH_MAX + 1];
	char layers[448];     /* what launcher_confine applied, for --trace */
	int landlock;         /* the Landlock ABI launcher_confine applied; 0: none */
	struct launch_words words;
};

/* launcher_confine.c: the launcher's own layers (sandbox/README.md,
 * "Processes"), in the launcher, before it serves. One line and exit 125
 * on any failure. The read-write grants' descriptors stay open (CONNECT's
 * check, launcher_sock.c); the others are closed. */
void launcher_confine(struct launch_ctx *c);
/* The parent's network mode as the launcher knows it (never NSS_DEFAULT). */
enum nss_mode launch_net_mode(const struct nh_host *h);
/* launcher_sock.c: a UNIX socket request (see above), in the launcher; fd
 * is the descriptor received (not closed here). 0 and *sock, or -errno. */
int launch_sock(const struct launch_ctx *c, const struct launch_sock_parsed *p, int fd,
                int *sock);
/* launcher.c: the launcher's own errors (launcher.c, launcher_confine.c):
 * "nonehost: launcher: <msg>: <strerror(errno)>" on 2, _exit(125): it
 * shares the host's stdio buffers and TMPDIR and must touch neither. */
__attribute__((format(printf, 1, 2)))
_Noreturn void launcher_fail(const char *fmt, ...);

#endif /* NONEHOST_LAUNCHER_H */
