/*
 * nss_sandbox.c - what the sandbox must leave the network, and what
 * --policy says about it.
 *
 * Contract: nss_policy() is called after fsshim_policy() (it pins
 * descriptors to the fs-shim's floor, fs->fd_floor: every socket is made
 * after set-up, so it is >= floor) and adds, by mode:
 *   none     nothing of the network: no socket call, and Landlock handles
 *            TCP bind and connect with no port (sbx_landlock.c's default).
 *            When processes are served, the epoll instance nss_setup made
 *            for pipes and process handles: epoll_pwait2 and epoll_ctl on
 *            it only, and RLIMIT_NOFILE one more.
 *   private  Landlock does not handle TCP at all: the network namespace
 *            is the layer, and everything in it is allowed.
 *   host     one Landlock TCP bind rule per port of each --net-bind grant
 *            and one TCP connect rule per port of each --net-connect grant;
 *            a grant wider than NSS_LANDLOCK_RANGE ports (or PORT "*")
 *            leaves that right unhandled, said by --policy.
 *   private and host, seccomp: socket with its domain (AF_INET, AF_INET6),
 *   type (SOCK_STREAM or SOCK_DGRAM, always |SOCK_NONBLOCK|SOCK_CLOEXEC)
 *   and protocol (0) pinned, and AF_UNIX with either type or
 *   SOCK_SEQPACKET only in the image's own root (nss_unix_root.c); bind,
 *   listen, getsockopt, setsockopt, getsockname, getpeername, shutdown,
 *   and the data path's recvfrom and sendto (nss_io.c) on descriptors >=
 *   floor; then the backend's own:
 *   io_uring_enter on the ring's descriptor only (io_uring_setup and
 *   io_uring_register never), or accept4 (flags pinned) and connect on
 *   descriptors >= floor and epoll_pwait2, epoll_ctl on the epoll
 *   descriptor only. The waits'
 *   signal masks stay free: IDLE passes one while the guest catches a
 *   signal (host/signal.c; a mask is the process's own business). RLIMIT_NOFILE
 *   grows by the ring's (or epoll's) descriptor; sockets count in the
 *   fs-shim's --max-files.
 * Under --policy nothing is open: the mode is decided as a run would
 * (nss_mode_of), the backend probed (nss_probe_backend), and the ring's
 * descriptor shown as the one a run would have (floor - 1, or floor - 2
 * when the launcher's control socket comes after it).
 * describe() prints the network's part of "grants:" for sbx_describe,
 * with where UNIX sockets may be (nss_unix.c: without the image's own root
 * the launcher makes them, and nothing here allows socket(AF_UNIX)).
 */
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>

#include "host.h"
#include "sandbox.h"

/* A grant wider than Landlock's port rules should list. */
static bool too_wide(const struct nss_ports *r)
{
	return (unsigned)(r->hi - r->lo) + 1 > NSS_LANDLOCK_RANGE;
}

static void landlock_rules(const struct nss_opts *o, struct sbx_policy *p)
{
	for (unsigned i = 0; i < o->nbind; i++)
		if (too_wide(&o->bind[i]))
			p->net_unhandled |= SBX_NET_BIND;
	for (unsigned i = 0; i < o->nconnect; i++)
		if (o->connect[i].any_port || too_wide(&o->connect[i].port))
			p->net_unhandled |= SBX_NET_CONNECT;
	if (!(p->net_unhandled & SBX_NET_BIND))
		for (unsigned i = 0; i < o->nbind; i++)
			sbx_allow_ports(p, o->bind[i].lo, o->bind[i].hi, SBX_NET_BIND);
	if (!(p->net_unhandled & SBX_NET_CONNECT))
		for (unsigned i = 0; i < o->nconnect; i++)
			sbx_allow_ports(p, o->connect[i].port.lo, o->connect[i].port.hi,
			                SBX_NET_CONNECT);
}

/* "    Landlock TCP bind: 1 port rule: 8080" */
static void describe_rules(FILE *out, const struct sbx_policy *p, uint8_t access,
                           const char *what, bool none)
{
	unsigned k = 0;

	fprintf(out, "    Landlock TCP %s: ", what);
	if (p->net_unhandled & access) {
		fprintf(out, "not handled (a grant of every port, or of more than %d: the host "
		        "checks it alone)\n", NSS_LANDLOCK_RANGE);
		return;
	}
	if (none) {
		fprintf(out, "handled, no rule (no TCP %s at all)\n", what);
		return;
	}
	for (unsigned i = 0; i < p->nports; i++)
		if (p->port[i].access == access)
			k += (unsigned)(p->port[i].hi - p->port[i].lo) + 1;
	fprintf(out, "%u port rule%s:", k, k == 1 ? "" : "s");
	for (unsigned i = 0; i < p->nports; i++) {
		const struct sbx_ports *r = &p->port[i];

		if (r->access != access)
			continue;
		if (r->lo == r->hi)
			fprintf(out, " %u", r->lo);
		else
			fprintf(out, " %u-%u", r->lo, r->hi);
	}
	fprintf(out, "\n");
}

static void describe(FILE *out, const void *arg)
{
	const struct nh_host *h = arg;
	const struct nss *n = &h->net;
	const struct nss_opts *o = &h->opts.net;
	struct sbx_policy p = {.nports = 0};

	fprintf(out, "  network: %s (%s)", nss_mode_name(n->mode), n->why);
	if (n->mode == NSS_NONE) {
		fprintf(out, "; NET_SOCKET is EACCES, nothing of the network is allowed\n");
		if (n->fds > 0)
			fprintf(out, "    epoll instance: %s\n", n->backend_why);
		return;
	}
	fprintf(out, "; backend %s (%s)\n", n->backend == NSS_URING ? "io_uring" : "epoll",
	        n->backend_why);
	if (n->mode == NSS_PRIVATE) {
		fprintf(out, "    a new network namespace with only lo (up); everything in it is "
		        "allowed\n");
	} else {
		fprintf(out, "    bind (local ports, TCP and UDP):");
		for (unsigned i = 0; i < o->nbind; i++)
			fprintf(out, " %s", o->bind_arg[i]);
		fprintf(out, "%s\n", o->nbind == 0 ? " none" : "");
		fprintf(out, "    connect (TCP and UDP destinations):");
		for (unsigned i = 0; i < o->nconnect; i++)
			fprintf(out, " %s", o->connect[i].arg);
		fprintf(out, "%s\n", o->nconnect == 0 ? " none" : "");
	}
	fprintf(out, "    UNIX sockets: at paths beneath read-write grants; stream, datagram and "
	        "seqpacket ones made by the host in the image's own root, where nothing else "
	        "exists (a new mount namespace); where none can be made (a child image, no user "
	        "namespaces), stream ones %s and no others\n", proc_served(h)
	        ? "made by the launcher, listening or connected (never one that could connect "
	          "elsewhere),"
	        : "none either (--max-procs 0: no launcher to make them)");
	if (n->backend == NSS_URING) {
		fprintf(out, "    io_uring opcodes:");
		for (unsigned i = 0; i < nss_uring_nops; i++)
			fprintf(out, "%s %s", i ? "," : "", nss_uring_op_names[i]);
		fprintf(out, "; no SQE flag; no register op (the ring is restricted before the "
		        "sandbox)\n");
	}
	fprintf(out, "    interfaces (net.Interfaces): the %s's, listed at start for an image that "
	        "lists them; no netlink socket after it\n",
	        n->mode == NSS_PRIVATE ? "namespace" : "host");
	if (n->mode == NSS_PRIVATE) {
		fprintf(out, "    Landlock TCP: not handled (the network namespace is the layer)\n");
		return;
	}
	landlock_rules(o, &p);
	describe_rules(out, &p, SBX_NET_BIND, "bind", o->nbind == 0);
	describe_rules(out, &p, SBX_NET_CONNECT, "connect", o->nconnect == 0);
}

/* The epoll instance's own calls (the epoll backend, or under none the
 * readiness of pipes and processes). */
static void epoll_rules(struct sbx_policy *p, scmp_datum_t epfd, bool none)
{
	SBX_ALLOW(p, SCMP_SYS(epoll_pwait2), none ? "netstack: IDLE's wait (pipes, processes)"
	                                          : "netstack: IDLE's wait",
	          SCMP_A0(SCMP_CMP_EQ, epfd));
	SBX_ALLOW(p, SCMP_SYS(epoll_ctl), none ? "netstack: POLL (pipes, processes)"
	                                       : "netstack: POLL",
	          SCMP_A0(SCMP_CMP_EQ, epfd));
}

void nss_policy(struct nh_host *h, struct sbx_policy *p)
{
	struct nss *n = &h->net;
	const scmp_datum_t floor = (scmp_datum_t)h->fs.fd_floor;
	static const int domains[] = {AF_INET, AF_INET6},
	                 types[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET};
	/* --policy: the launcher's control socket is opened after ours */
	scmp_datum_t ring = (scmp_datum_t)(n->fd >= 0 ? n->fd
	                                              : (int)floor - 1 - (h->opts.max_procs > 0));

	p->describe_net = describe;
	p->net_arg = h;
	if (n->mode == NSS_NONE) {
		if (n->fds == 0)
			return;
		p->nofile += 1;
		epoll_rules(p, ring, true);
		return;
	}
	if (n->mode == NSS_PRIVATE)
		p->net_unhandled = SBX_NET_BIND | SBX_NET_CONNECT;
	else
		landlock_rules(&h->opts.net, p);
	p->nofile += 1;
	for (size_t d = 0; d < 2; d++)
		for (size_t t = 0; t < 2; t++)
			SBX_ALLOW(p, SCMP_SYS(socket), "netstack: SOCKET (TCP, UDP; non-blocking, "
			          "close-on-exec)", SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)domains[d]),
			          SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)(types[t] | SOCK_NONBLOCK |
			                                                  SOCK_CLOEXEC)),
			          SCMP_A2(SCMP_CMP_EQ, 0));
	for (size_t t = 0; t < 3 && h->fs.own_root; t++)
		SBX_ALLOW(p, SCMP_SYS(socket), "netstack: SOCKET (UNIX, in the image's own root: "
		          "nss_unix_root.c)", SCMP_A0(SCMP_CMP_EQ, AF_UNIX),
		          SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)(types[t] | SOCK_NONBLOCK | SOCK_CLOEXEC)),
		          SCMP_A2(SCMP_CMP_EQ, 0));
	SBX_ALLOW(p, SCMP_SYS(bind), "netstack: BIND", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(listen), "netstack: LISTEN", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(getsockopt), "netstack: GETSOCKOPT", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(setsockopt), "netstack: SETSOCKOPT", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(getsockname), "netstack: SOCKNAME", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(getpeername), "netstack: SOCKNAME (peer)",
	          SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(shutdown), "netstack: SHUTDOWN (io_uring's would need a worker "
	          "thread)", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(recvfrom), "netstack: RECVFROM, READ", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(sendto), "netstack: SENDTO, WRITE", SCMP_A0(SCMP_CMP_GE, floor));
	if (n->backend == NSS_URING) {
		SBX_ALLOW(p, SCMP_SYS(io_uring_enter), "netstack: the ring (its ops, IDLE's wait)",
		          SCMP_A0(SCMP_CMP_EQ, ring));
		return;
	}
	SBX_ALLOW(p, SCMP_SYS(accept4), "netstack: ACCEPT",
	          SCMP_A0(SCMP_CMP_GE, floor), SCMP_A3(SCMP_CMP_EQ, SOCK_NONBLOCK | SOCK_CLOEXEC));
	SBX_ALLOW(p, SCMP_SYS(connect), "netstack: CONNECT", SCMP_A0(SCMP_CMP_GE, floor));
	epoll_rules(p, ring, false);
}
