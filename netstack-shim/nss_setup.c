/*
 * nss_setup.c - the network's set-up: its mode, its namespace, its
 * backend, its tables. Runs once, in the process that runs the image,
 * after the image is validated and before the sandbox (host/main.c).
 *
 * Contract:
 *   nss_mode_of()  the effective mode and why: --net as given, none without
 *          it (nothing is granted unless asked for; a network namespace
 *          would also cost every start ~0.6 ms).
 *   nss_setup()  private: the network namespace, made here with
 *          sbx_unshare_net() (or --isolate's, iso) and its "lo" brought up;
 *          a namespace refused is one line and 125.
 *          none: SOCKET is -EACCES and nothing of the network is made; when
 *          processes are served (--max-procs > 0) the epoll instance and
 *          the table all the same, so pipes and process handles can be
 *          polled (epoll: ~10 us to make, the ring ~90 us), else nothing
 *          at all. Otherwise the backend: --net-backend uring or auto tries the io_uring ring
 *          (nss_uring_open), which needs Linux >= 6.12; auto falls back to
 *          epoll (said under --trace only), uring dies 125 with the reason;
 *          epoll makes the epoll instance. Then one netstack entry per
 *          handle of the fs-shim's table (fsshim_open ran before), mapped
 *          MAP_NORESERVE: serving the guest allocates nothing. With --trace
 *          one line says what was made and what it cost. Dies 125 on any
 *          other failure.
 *   nss_setup_policy()  for --policy: the mode, and the backend a run
 *          would use (nss_probe_backend: the ring made and closed again;
 *          epoll under none with processes); no namespace, nothing kept
 *          open.
 *   nss_lo_up()  SIOCSIFFLAGS IFF_UP on "lo" (CAP_NET_ADMIN in the
 *          namespace's owner: root, or the new user namespace's).
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

enum nss_mode nss_mode_of(const struct nh_host *h, char *why, size_t whylen)
{
	uint8_t m = h->opts.net.mode;

	if (m == NSS_DEFAULT) {
		snprintf(why, whylen, "the default (--net private or host grants sockets)");
		return NSS_NONE;
	}
	snprintf(why, whylen, "--net %s", nss_mode_name(m));
	return (enum nss_mode)m;
}

int nss_lo_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = 0;

	if (s < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) {
		r = -errno;
	} else if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0)
			r = -errno;
	}
	close(s);
	return r;
}

/* --net private: the namespace, or die. */
static void private_ns(struct nh_host *h, const struct sbx_isolation *iso)
{
	struct nss *n = &h->net;
	int err, r;

	if (iso != NULL)
		err = (iso->made & (1u << SBX_NS_NET)) ? 0 : iso->err[SBX_NS_NET];
	else
		err = sbx_unshare_net(&n->userns);
	if (err != 0)
		nh_die(NH_EXIT_USAGE, "--net private: this system refuses a network namespace: %s",
		       strerror(err));
	n->netns = iso == NULL;
	if ((r = nss_lo_up()) < 0) {
		errno = -r;
		nh_die_errno(NH_EXIT_USAGE, "--net private: cannot bring lo up in the new "
		             "network namespace");
	}
}

/* The CQ: two entries per handle (a readiness report and an op's), at
 * least twice the SQ, a power of two (the kernel clamps the rest). */
static unsigned cq_entries(unsigned nhandles)
{
	unsigned want = 2 * nhandles, cq = 2 * NSS_RING_SQ;

	while (cq < want && cq < 65536)
		cq *= 2;
	return cq;
}

static void backend(struct nh_host *h)
{
	struct nss *n = &h->net;
	uint8_t want = h->opts.net.backend;
	char why[128];
	int r;

	if (want != NSS_EPOLL) {
		if (nss_uring_open(n, cq_entries(n->nsock), why, sizeof(why)) == 0) {
			n->backend = NSS_URING;
			n->be = &nss_uring_backend;
			snprintf(n->backend_why, sizeof(n->backend_why), "%s",
			         want == NSS_URING ? "--net-backend uring" : "auto: io_uring works here");
			return;
		}
		if (want == NSS_URING)
			nh_die(NH_EXIT_USAGE, "--net-backend uring: no io_uring ring: %s", why);
		if (h->opts.trace)
			dprintf(STDERR_FILENO, "[nh] net: io_uring unavailable (%s): epoll\n", why);
		snprintf(n->backend_why, sizeof(n->backend_why), "auto: io_uring unavailable (%s)", why);
	} else {
		snprintf(n->backend_why, sizeof(n->backend_why), "--net-backend epoll");
	}
	if ((r = nss_epoll_open(n)) < 0) {
		errno = -r;
		nh_die_errno(NH_EXIT_USAGE, "cannot make the epoll instance");
	}
	n->backend = NSS_EPOLL;
	n->be = &nss_epoll_backend;
}

/* --net none with processes: the epoll instance only, for pipes and
 * process handles. */
static void readiness_only(struct nh_host *h)
{
	struct nss *n = &h->net;
	int r;

	if ((r = nss_epoll_open(n)) < 0) {
		errno = -r;
		nh_die_errno(NH_EXIT_USAGE, "cannot make the epoll instance (pipes' and processes' "
		             "readiness)");
	}
	n->backend = NSS_EPOLL;
	n->be = &nss_epoll_backend;
	snprintf(n->backend_why, sizeof(n->backend_why), "%s", NSS_NONE_WHY);
}

/* Whether the kernel can poll fd: epoll_ctl refuses a regular file, a
 * directory, /dev/null (always ready, nothing to wait for). io_uring's poll
 * takes them, and its multishot poll of one ends at once with "ready",
 * every time it is armed again: watched, IDLE would never wait. */
static bool can_poll(int fd)
{
	struct epoll_event ev = {.events = EPOLLIN};
	int ep = epoll_create1(EPOLL_CLOEXEC);
	bool ok;

	if (ep < 0)
		nh_die_errno(NH_EXIT_USAGE, "net: epoll_create1 (can standard input be polled?)");
	ok = epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0;
	if (close(ep) != 0)
		nh_die_errno(NH_EXIT_USAGE, "net: close the epoll instance of the standard input check");
	return ok;
}

/* Standard input may be watched (NET_POLL) like a pipe: os waits for it in
 * the poller, and READ stops waiting in the host once it is (fsshim_io.c).
 * Not a file the kernel cannot poll (nss_poll.c): epoll_ctl says so itself
 * when NET_POLL arms it; for io_uring, which would not, ask epoll here. */
static void watch_stdin(struct nh_host *h)
{
	struct nss *n = &h->net;

	n->stdin_polls = n->backend == NSS_EPOLL || can_poll(STDIN_FILENO);
	if (n->stdin_polls)
		nss_watch(h, 0, STDIN_FILENO);
}

void nss_setup(struct nh_host *h, const struct sbx_isolation *iso)
{
	struct nss *n = &h->net;
	const struct nss adopted = *n; /* a table nss_ifaces_adopt read, if any */
	const int64_t t0 = nh_mono_ns();
	size_t size;

	*n = (struct nss){.fd = -1, .head = -1, .tail = -1, .adopted = adopted.adopted,
	                  .ifaces = adopted.ifaces, .ifaces_len = adopted.ifaces_len,
	                  .ifaces_cap = adopted.ifaces_cap};
	n->mode = (uint8_t)nss_mode_of(h, n->why, sizeof(n->why));
	n->ready = true;
	if (n->mode == NSS_PRIVATE)
		private_ns(h, iso);
	if (n->mode == NSS_NONE && h->opts.max_procs == 0) {
		if (h->opts.trace)
			dprintf(STDERR_FILENO, "[nh] net: none (%s)\n", n->why);
		return;
	}
	n->nsock = h->fs.nhandles;
	size = (size_t)n->nsock * sizeof(struct nss_sock);
	n->area = mmap(NULL, size, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (n->area == MAP_FAILED)
		nh_die_errno(NH_EXIT_USAGE, "cannot map the socket table (%u handles)", n->nsock);
	n->area_len = size;
	n->sock = n->area;
	if (n->mode == NSS_NONE) {
		readiness_only(h);
		watch_stdin(h);
		n->fds = 1;
		if (h->opts.trace)
			dprintf(STDERR_FILENO, "[nh] net: none (%s); epoll for pipes and processes "
			        "(%ld us)\n", n->why, (long)((nh_mono_ns() - t0) / 1000));
		return;
	}
	backend(h);
	watch_stdin(h);
	n->fds = 1;
	if (n->adopted)
		n->ifaces_ready = true;
	else if (nss_ifaces_wanted(h))
		nss_ifaces_take(h);
	if (h->opts.trace)
		dprintf(STDERR_FILENO, "[nh] net: %s (%s)%s, %s, %u bind and %u connect grant%s "
		        "(%ld us)\n", nss_mode_name(n->mode), n->why,
		        n->netns ? (n->userns ? ", new user and network namespaces, lo up"
		                              : ", new network namespace, lo up")
		                 : n->mode == NSS_PRIVATE ? ", --isolate's network namespace, lo up" : "",
		        n->be->name, h->opts.net.nbind, h->opts.net.nconnect,
		        h->opts.net.nconnect == 1 ? "" : "s", (long)((nh_mono_ns() - t0) / 1000));
	if (h->opts.trace && n->be == &nss_uring_backend)
		nss_uring_describe(n);
}

void nss_setup_policy(struct nh_host *h)
{
	struct nss *n = &h->net;

	*n = (struct nss){.fd = -1, .head = -1, .tail = -1};
	n->mode = (uint8_t)nss_mode_of(h, n->why, sizeof(n->why));
	if (n->mode == NSS_NONE && h->opts.max_procs > 0) {
		n->backend = NSS_EPOLL;
		snprintf(n->backend_why, sizeof(n->backend_why), "%s", NSS_NONE_WHY);
		n->fds = 1;
	}
	if (n->mode == NSS_NONE)
		return;
	n->backend = (uint8_t)nss_probe_backend(h->opts.net.backend, n->backend_why,
	                                        sizeof(n->backend_why));
	n->fds = 1;
}

enum nss_backend_kind nss_probe_backend(uint8_t want, char *why, size_t whylen)
{
	struct nss n = {.fd = -1};
	char err[128];

	if (want == NSS_EPOLL) {
		snprintf(why, whylen, "--net-backend epoll");
		return NSS_EPOLL;
	}
	if (nss_uring_open(&n, 2 * NSS_RING_SQ, err, sizeof(err)) == 0) {
		nss_uring_close(&n);
		snprintf(why, whylen, "%s", want == NSS_URING ? "--net-backend uring"
		                                              : "auto: io_uring works here");
		return NSS_URING;
	}
	if (want == NSS_URING) {
		snprintf(why, whylen, "--net-backend uring, but no ring here (%s): a run stops "
		         "with 125", err);
		return NSS_URING;
	}
	snprintf(why, whylen, "auto: io_uring unavailable (%s)", err);
	return NSS_EPOLL;
}
