/*
 * nss.h - the one internal header of the netstack-shim (netstack-shim/,
 * prefix nss_): the host side of the guest's network (NH_OP_NET_*, and
 * the readiness reports of NH_OP_IDLE).
 *
 * A socket is a handle of the fs-shim's descriptor table (kind
 * FSSHIM_SOCKET, fsshim_handle.c); its host descriptor is always
 * SOCK_NONBLOCK|SOCK_CLOEXEC and its netstack state is sock[handle]. A UNIX
 * socket's descriptor comes from the launcher (nss_unix.c); until BIND or
 * CONNECT brings it, the handle has none (-1: "pending"). Every
 * op is non-blocking: it completes at once with a result, -EAGAIN or
 * -EINPROGRESS. Readiness is edge-triggered: NET_POLL registers a socket,
 * the backend (io_uring or epoll, nss_uring.c, nss_epoll.c) collects its
 * changes into a list of pending reports, and IDLE hands them out. Pipes
 * and process handles (host/proc.c) are watched the same way, so the
 * table and a backend exist whenever processes are served, --net none
 * included (there: the epoll instance and the table, nothing else).
 *
 * The state is struct nss, a member of the one host context (host.h);
 * everything it needs after the sandbox is made by nss_setup() before it.
 * The options (--net and its grants) are struct nss_opts, a member of
 * struct nh_opts. This header needs only the ABI header, so host.h can
 * include it. README.md has the design and the threat model.
 */
#ifndef NONEHOST_NSS_H
#define NONEHOST_NSS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nonehost_abi.h"

#define NSS_MAX_BIND    32    /* --net-bind options */
#define NSS_MAX_CONNECT 32    /* --net-connect options */
#define NSS_ADDR_MAX    128   /* the most a sockaddr may be (sockaddr_storage) */
#define NSS_LANDLOCK_RANGE 1024 /* wider grants: Landlock does not handle the right */
#define NSS_EVBUF       256   /* epoll events collected per wait */
#define NSS_RING_SQ     64    /* io_uring submission queue entries */
#define NSS_RW_MAX      0x7ffff000 /* Linux's MAX_RW_COUNT: one transfer at most */

struct nh_host;
struct nh_opts;
struct sbx_policy;
struct sockaddr;
struct io_uring;

enum nss_mode { NSS_DEFAULT, NSS_NONE, NSS_PRIVATE, NSS_HOST };
/* backend_why under --net none when processes are served. */
#define NSS_NONE_WHY "pipes' and processes' readiness only (--max-procs > 0; epoll is the " \
                     "cheaper to make)"
enum nss_backend_kind { NSS_AUTO, NSS_URING, NSS_EPOLL };

struct nss_ports {
	uint16_t lo, hi; /* inclusive */
};

/* --net-connect ADDR:PORT */
struct nss_dest {
	uint8_t family;        /* 0: any address ("*"), NH_AF_INET or NH_AF_INET6 */
	uint8_t addr[16];      /* AF_INET: the first 4 bytes; a v4-mapped IPv6
	                        * literal is stored as AF_INET */
	struct nss_ports port; /* "*": 1-65535 */
	bool any_port;         /* PORT was "*" */
	const char *arg;       /* the option's value, for --policy */
};

/* The network options, as parsed (nss_opts.c). */
struct nss_opts {
	uint8_t mode;          /* enum nss_mode; NSS_DEFAULT when --net is absent */
	uint8_t backend;       /* enum nss_backend_kind, --net-backend */
	unsigned nbind, nconnect;
	struct nss_ports bind[NSS_MAX_BIND]; /* {0, 0}: ephemeral binds */
	const char *bind_arg[NSS_MAX_BIND];
	struct nss_dest connect[NSS_MAX_CONNECT];
};

/* Per handle of the fs-shim's table: what the netstack keeps of a socket. */
struct nss_sock {
	uint64_t tag;    /* NET_POLL's tag */
	int32_t fd;      /* the host descriptor (also the fs-shim handle's) */
	uint32_t gen;    /* bumped when the handle becomes a socket: stale
	                  * readiness of an earlier socket is dropped */
	uint32_t pend;   /* NH_POLL* bits not reported yet */
	int32_t prev, next; /* the pending list, or -1 */
	uint8_t family;  /* AF_INET, AF_INET6, AF_UNIX */
	uint8_t type;    /* SOCK_STREAM, SOCK_DGRAM */
	uint8_t flags;   /* NSS_S_* */
	uint8_t ustate;  /* AF_UNIX: enum nss_ustate */
};
#define NSS_S_BOUND  1u /* bound by a granted BIND (or accepted) */
#define NSS_S_POLLED 2u /* registered with NET_POLL */
#define NSS_S_QUEUED 4u /* in the pending list */
#define NSS_S_ARMED  8u /* io_uring: a multishot poll is in the ring */
#define NSS_S_REUSE  16u /* AF_UNIX: SO_REUSEADDR set while pending (nss_unix.c) */

/* A UNIX socket's state (nss_unix.c). A pending one has no kernel socket
 * (fd -1) until BIND or CONNECT brings the launcher's; the guest path (of
 * BIND or CONNECT) is kept in the fs-shim handle's guest[]. */
enum nss_ustate {
	NSS_U_NONE,      /* not a UNIX socket */
	NSS_U_PENDING,   /* no kernel socket yet */
	NSS_U_BOUND,     /* bound (and listening in the kernel, backlog 0); path: local */
	NSS_U_LISTENING, /* LISTEN done: ACCEPT works; path: local */
	NSS_U_CONNECTED, /* CONNECT done; path: the peer's */
	NSS_U_ACCEPTED,  /* accepted from a listener; path: local (the listener's) */
	NSS_U_ROOTED,    /* made by the host in the image's own root (nss_unix_root.c):
	                  * a stream or datagram socket whose state and names are
	                  * the kernel's; no path */
};

struct nss_backend;

struct nss {
	bool ready;            /* nss_setup ran: the ops are served (NH_HB_NET) */
	uint8_t mode;          /* enum nss_mode, effective (never NSS_DEFAULT) */
	uint8_t backend;       /* enum nss_backend_kind: URING or EPOLL; under none AUTO,
	                        * or EPOLL when processes are served (--max-procs > 0) */
	bool netns;            /* private: we made the network namespace */
	bool userns;           /* ... inside a new user namespace (not root) */
	bool stdin_polls;      /* NET_POLL may arm standard input (io_uring: the kernel can
	                        * poll it; epoll's own ADD says so itself) */
	char why[192];         /* why this mode, for --policy */
	char backend_why[256]; /* why this backend */
	const struct nss_backend *be;
	int fd;                /* the ring or the epoll instance; -1 */
	int fds;               /* descriptors held from set-up on (fd): 0 or 1; under
	                        * --policy, what a run would hold */
	struct io_uring *ring; /* io_uring: liburing's state, mapped before the sandbox */
	void *evbuf;           /* epoll: struct epoll_event[NSS_EVBUF], mapped likewise */
	struct nss_sock *sock; /* one per fs-shim handle (nsock of them) */
	unsigned nsock;
	int32_t head, tail;    /* pending reports, oldest first; -1 when none */
	unsigned npolled;      /* sockets registered with NET_POLL */
	unsigned unsubmitted;  /* io_uring: SQEs prepared but not submitted */
	void *area;            /* the socket table's mapping (kept for the process's
	                        * life) */
	size_t area_len;
	/* NET_IFACES's table (nss_iface.c), taken at set-up when the image asks */
	bool ifaces_ready;
	bool adopted;          /* the table came with --ifaces-fd (nss_ifaces_adopt) */
	int ifaces_err;        /* the dump's -errno, or 0 */
	void *ifaces;          /* struct nh_ifaces, nh_iface[], nh_ifaddr[] */
	size_t ifaces_len, ifaces_cap;
};

/*
 * A backend: accepting, connecting and the waiting; the bytes themselves
 * are plain system calls for both (nss_recv, nss_send). Addresses are host
 * sockaddrs already checked (nss_addr.c) and allowed (nss_opts.c). Every
 * function returns at once: a result, or -errno (-EAGAIN, -EINPROGRESS).
 */
struct nss_backend {
	const char *name;
	int (*accept)(struct nss *n, int fd, struct sockaddr *sa, uint32_t *salen);
	int (*connect)(struct nss *n, int fd, const struct sockaddr *sa, uint32_t salen);
	int (*arm)(struct nss *n, unsigned i);    /* sock[i]: start reporting readiness */
	void (*disarm)(struct nss *n, unsigned i); /* stop; before close(sock[i].fd) */
	/* Collect readiness into the pending list, waiting until CLOCK_MONOTONIC
	 * reaches until (0: no deadline; a time already past: do not wait) when
	 * nothing is pending; with mask (not NULL) the signal mask while it
	 * waits (IDLE while the guest catches a signal: host/hook_time.c).
	 * 0 or -errno; a signal is 0. */
	int (*wait)(struct nss *n, int64_t until, const sigset_t *mask);
};
extern const struct nss_backend nss_uring_backend, nss_epoll_backend;

/* nss_io.c: the data path of either backend, recvfrom(flags|MSG_DONTWAIT)
 * and sendto(MSG_DONTWAIT|MSG_NOSIGNAL) straight from and into guest RAM:
 * a result or -errno at once. sa == NULL: no source address wanted (recv),
 * the connected peer (send). */
int64_t nss_recv(int fd, void *buf, size_t len, int flags, struct sockaddr *sa, uint32_t *salen);
int64_t nss_send(int fd, const void *buf, size_t len, const struct sockaddr *sa, uint32_t salen);

/* nss_opts.c: the command line's network options (pure; the errors are
 * "<option> <value>: <why>"), and the grant checks. */
bool nss_parse_mode(const char *v, struct nss_opts *o, char *err, size_t errlen);
const char *nss_mode_name(uint8_t mode); /* "none", "private", "host" */
bool nss_parse_backend(const char *v, struct nss_opts *o, char *err, size_t errlen);
bool nss_parse_bind(const char *v, struct nss_opts *o, char *err, size_t errlen);
bool nss_parse_connect(const char *v, struct nss_opts *o, char *err, size_t errlen);
bool nss_opts_check(const struct nss_opts *o, bool isolate, char *err, size_t errlen);
bool nss_bind_allowed(const struct nss_opts *o, uint16_t port);
/* sa is a checked AF_INET or AF_INET6 address (v4-mapped IPv6 counts as IPv4). */
bool nss_connect_allowed(const struct nss_opts *o, const struct sockaddr *sa);

/* nss_setup.c: the effective mode (the default from the image's symbols)
 * and why; then, for a run, the namespace (private), the backend and the
 * preallocation. Dies 125 on a set-up failure. */
enum nss_mode nss_mode_of(const struct nh_host *h, char *why, size_t whylen);
struct sbx_isolation;
void nss_setup(struct nh_host *h, const struct sbx_isolation *iso);
/* --policy: the mode and the backend a run would have, nothing made. */
void nss_setup_policy(struct nh_host *h);
/* The backend auto/uring/epoll would give on this kernel (the ring is made
 * and closed). */
enum nss_backend_kind nss_probe_backend(uint8_t want, char *why, size_t whylen);
int nss_lo_up(void); /* bring "lo" up in our network namespace: 0 or -errno */

/* nss_uring.c: make the restricted ring (0 or -errno, why filled in). The
 * opcodes it allows, for --policy. */
int nss_uring_open(struct nss *n, unsigned entries, char *why, size_t whylen);
void nss_uring_close(struct nss *n);
/* --trace: where the ring's shared memory is (a hostile image can find it
 * too; tests/integration's hostile guest writes SQEs there). */
void nss_uring_describe(const struct nss *n);
extern const uint8_t nss_uring_ops[];
extern const char *const nss_uring_op_names[];
extern const unsigned nss_uring_nops;
int nss_epoll_open(struct nss *n); /* nss_epoll.c: 0 or -errno */

/* nss_addr.c: guest sockaddrs. */
/* A host sockaddr: passed to the kernel as (struct sockaddr *)bytes, its
 * fields read with memcpy (no type punning). */
union nss_addr {
	uint8_t bytes[NSS_ADDR_MAX];
	uint64_t align_;
};
/* Copy [p, p+len) in and check it: 0 and *salen = the family's size, or
 * -EINVAL (len < 2 or > 128, or shorter than the family's), -EFAULT,
 * -EAFNOSUPPORT (neither AF_INET nor AF_INET6). */
int nss_addr_in(const struct nh_host *h, uint64_t p, uint64_t len, union nss_addr *a,
                uint32_t *salen);
/* An in/out (addr, uint32 *addrlen) pair of the guest, checked before the
 * op: the length pointer writable (-EFAULT), its value <= INT_MAX
 * (-EINVAL), addr writable for min(room, most) bytes (-EFAULT); most is the
 * longest address the op can give (the socket family's size). optional:
 * addr == 0 means no address is wanted (wanted stays false). */
struct nss_out {
	uint64_t addr, lenp;
	uint32_t room;     /* *addrlen as given */
	uint32_t writable; /* min(room, most): checked writable at addr */
	bool wanted;
};
int nss_out_check(const struct nh_host *h, uint64_t addr, uint64_t lenp, uint32_t most,
                  bool optional, struct nss_out *o);
/* Write a, truncated to the room, and its full length len (when wanted). */
void nss_out_put(const struct nss_out *o, const union nss_addr *a, uint32_t len);
uint16_t nss_addr_port(const union nss_addr *a);
uint32_t nss_family_len(int family);

/* nss_sock.c: the socket handles. */
struct nss_sock *nss_sock(struct nh_host *h, uint64_t fd, int *hostfd, int64_t *err);
/* Take handle slot for host socket fd (-1: a pending UNIX socket); the slot. */
int64_t nss_sock_take(struct nh_host *h, int slot, int fd, int family, int type, uint8_t flags);
int64_t nss_op_socket(struct nh_host *h, const uint64_t a[6]);
int64_t nss_op_bind(struct nh_host *h, const uint64_t a[6]);
int64_t nss_op_listen(struct nh_host *h, const uint64_t a[6]);
int64_t nss_op_accept(struct nh_host *h, const uint64_t a[6]);
int64_t nss_op_connect(struct nh_host *h, const uint64_t a[6]);
int64_t nss_op_shutdown(struct nh_host *h, const uint64_t a[6]);
/* fs-shim's FS_CLOSE, FS_READ and FS_WRITE of a socket handle. */
void nss_close(struct nh_host *h, unsigned handle);
/* FS_DUP of socket handle: slot becomes a socket on host descriptor fd (the
 * dup), of the same family and type, bound if it was; not registered. */
int64_t nss_dup(struct nh_host *h, unsigned handle, int slot, int fd);
int64_t nss_read(struct nh_host *h, unsigned handle, uint64_t buf, uint64_t len);
int64_t nss_write(struct nh_host *h, unsigned handle, uint64_t buf, uint64_t len);

/* nss_unix.c: pathname UNIX stream sockets, made by the launcher
 * (README.md "UNIX sockets"; nonehost_abi.h has the rules). The ops call
 * these for a handle of family AF_UNIX once the handle and the arguments
 * common to every family are checked. */
#define NSS_UNIX_OUT_MAX NH_UNIX_ADDR_MAX /* SOCKNAME's longest address */
int64_t nss_unix_socket(struct nh_host *h, uint64_t type, uint64_t protocol);
int64_t nss_unix_bind(struct nh_host *h, unsigned i, uint64_t addr, uint64_t len);
int64_t nss_unix_connect(struct nh_host *h, unsigned i, uint64_t addr, uint64_t len);
int64_t nss_unix_listen(struct nh_host *h, unsigned i, int backlog);
/* ACCEPT made slot from listener i: its state and name; *a, *len the
 * address the guest gets (the unnamed one). */
void nss_unix_accepted(struct nh_host *h, unsigned i, unsigned slot, union nss_addr *a,
                       uint32_t *len);
int64_t nss_unix_sockname(struct nh_host *h, unsigned i, const struct nss_out *o, bool peer);
/* GETSOCKOPT and SETSOCKOPT of a pending socket (level, name and the value's
 * size already checked against the allowlist; val in host memory). */
int64_t nss_unix_getopt(struct nh_host *h, unsigned i, int level, int name, int *val);
int64_t nss_unix_setopt(struct nh_host *h, unsigned i, int level, int name, const void *val);
/* NET_POLL of a pending socket: registered, reported at once. */
void nss_unix_poll_pending(struct nh_host *h, unsigned i);
/* For nss_unix_root.c: a guest sockaddr_un's path (copied once); BIND's
 * checks of where a name goes; CONNECT's of the object (a socket beneath a
 * read-write grant). 0 or -errno. */
int nss_unix_addr_in(const struct nh_host *h, uint64_t p, uint64_t len, char *path);
struct fsshim_at;
int nss_unix_may_bind(const struct nh_host *h, const struct fsshim_at *at);
int nss_unix_peer_ok(struct nh_host *h, const char *path);

/* nss_unix_root.c: UNIX stream and datagram sockets the host makes itself
 * where the image has a root of its own (h->fs.own_root). */
int64_t nss_uroot_socket(struct nh_host *h, int type);
int64_t nss_uroot_bind(struct nh_host *h, unsigned i, const char *path);
int64_t nss_uroot_connect(struct nh_host *h, unsigned i, const char *path);
/* SENDTO's guest address as the kernel's sockaddr_un in *a, *salen long. */
int nss_uroot_to(const struct nh_host *h, uint64_t addr, uint64_t len, union nss_addr *a,
                 uint32_t *salen);

/* nss_io.c */
int64_t nss_op_recvfrom(struct nh_host *h, const uint64_t a[6]);
int64_t nss_op_sendto(struct nh_host *h, const uint64_t a[6]);

/* nss_opt.c */
int64_t nss_op_getsockopt(struct nh_host *h, const uint64_t a[6]);
int64_t nss_op_setsockopt(struct nh_host *h, const uint64_t a[6]);
int64_t nss_op_sockname(struct nh_host *h, const uint64_t a[6]);

/* nss_iface.c: NET_IFACES, the interfaces as netlink lists them. */
bool nss_ifaces_wanted(const struct nh_host *h); /* the image names NH_NET_IFACES_SYMBOL */
void nss_ifaces_take(struct nh_host *h);          /* set-up: the table, or the dump's errno */
void nss_ifaces_adopt(struct nh_host *h);         /* --ifaces-fd's table, read and closed */
int nss_ifaces_memfd(struct nh_host *h);          /* the table taken, in a memfd; or -1 */
int nss_ifaces_parse(struct nss *n, const void *buf, size_t len, int want);
int64_t nss_op_ifaces(struct nh_host *h, const uint64_t a[6]);

/* nss_poll.c: registrations and the pending reports. */
int64_t nss_op_poll(struct nh_host *h, const uint64_t a[6]);
/* Pipes and process handles (host/proc.c), polled like sockets:
 * nss_watch() makes handle's entry fresh for host descriptor fd (a new
 * generation, not registered); nss_unwatch() drops its registration and
 * any report not handed out, before the caller closes the descriptor.
 * Both do nothing without the table. */
void nss_watch(struct nh_host *h, unsigned handle, int fd);
void nss_unwatch(struct nh_host *h, unsigned handle);
/* The backends' report: handle i (of generation gen) may have changed
 * readiness to events (NH_POLL* bits). Stale reports are dropped. */
void nss_report(struct nss *n, unsigned i, uint32_t gen, uint32_t events);
void nss_unqueue(struct nss *n, unsigned i);
/* IDLE has something to wait for: a registered socket or a pending report. */
bool nss_active(const struct nss *n);
/* IDLE with sockets: wait (only when nothing is pending; with mask, not
 * NULL, as the signal mask meanwhile) and hand out at most cap reports at
 * ev (checked writable by the caller). Returns how many. */
int64_t nss_idle(struct nh_host *h, uint64_t until, uint64_t ev, uint64_t cap,
                 const sigset_t *mask);

/* nss_sandbox.c: what the sandbox must leave the network: seccomp rules
 * (none under --net none), RLIMIT_NOFILE, Landlock's TCP port rules, and
 * the --policy description (p->describe_net). */
void nss_policy(struct nh_host *h, struct sbx_policy *p);

#endif /* NONEHOST_NSS_H */
