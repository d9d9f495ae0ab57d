/*
 * nss_iface.c - NET_IFACES: the network's interfaces and their addresses,
 * as Linux's netlink dumps them, for net.Interfaces and
 * net.InterfaceAddrs.
 *
 * Why a table taken at start-up, and only for an image that asks
 * (nss_ifaces_wanted: its symbol table names NH_NET_IFACES_SYMBOL, the
 * BSP's one call of the op, which the linker keeps only where something
 * lists interfaces; or it has none to tell): the dumps cost ~35 us, ~100
 * on a cold start, which every run would pay; and after the sandbox a
 * netlink socket would be the guest's too (it runs in this process, so a
 * hostile image could make the system calls itself), with every other
 * dump (routes, neighbours) on it. Before the sandbox nothing of that
 * remains: a list of what Linux would tell this process anyway.
 *
 * Contract:
 *   nss_ifaces_take(h)  set-up, after the network's namespace is made
 *       (private: it lists that namespace's lo), under private or host,
 *       when wanted: RTM_GETLINK then RTM_GETADDR (AF_UNSPEC), each
 *       message kept in the dump's order into n->ifaces (struct nh_ifaces,
 *       nh_iface[], nh_ifaddr[]: nonehost_abi.h); for an address the first
 *       attribute, IFA_ADDRESS skipped when IFA_LOCAL is there, as Go's
 *       interface_linux.go picks it. A failing dump is kept as its errno
 *       (n->ifaces_err), which NET_IFACES returns, as net.Interfaces on
 *       Linux would fail. Allocation failure: one line, 125.
 *   nss_op_ifaces(buf, len)  the table (under --net none an empty one:
 *       no interface at all); -ENOSYS without one (an image that did not
 *       ask: it has no code that asks), the dump's -errno, -ERANGE when len
 *       is too small (before the buffer is looked at), -EFAULT for a
 *       buffer outside RAM; else its length.
 *   nss_ifaces_parse()  the parser alone, on dumps already read (tests).
 */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"

#define NSS_IFACES_MAX (1 << 20) /* a table larger than this is no table of ours */
#define DUMP_BUF 32768 /* a recv's room: the kernel sends at most a page or so per datagram */

bool nss_ifaces_wanted(const struct nh_host *h)
{
	return elf_may_call(&h->img, NH_NET_IFACES_SYMBOL);
}

/* Room for k more bytes in the table. */
static void *grow(struct nss *n, size_t k)
{
	void *p;

	if (n->ifaces_len + k > n->ifaces_cap) {
		size_t cap = n->ifaces_cap ? n->ifaces_cap : 4096;

		while (cap < n->ifaces_len + k)
			cap *= 2;
		if ((p = realloc(n->ifaces, cap)) == NULL)
			nh_die_errno(NH_EXIT_USAGE, "cannot keep the network's interfaces");
		n->ifaces = p;
		n->ifaces_cap = cap;
	}
	p = (char *)n->ifaces + n->ifaces_len;
	memset(p, 0, k);
	n->ifaces_len += k;
	return p;
}

static void add_link(struct nss *n, const struct nlmsghdr *m)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(m);
	int len = (int)m->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifi));
	struct nh_iface *out;

	if (len < 0)
		return;
	out = grow(n, sizeof(*out));
	out->index = ifi->ifi_index;
	out->flags = ifi->ifi_flags;
	out->type = ifi->ifi_type;
	for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		size_t vl = RTA_PAYLOAD(a);

		switch (a->rta_type) {
		case IFLA_ADDRESS:
			out->hwlen = (uint8_t)(vl < sizeof(out->hw) ? vl : sizeof(out->hw));
			memcpy(out->hw, RTA_DATA(a), out->hwlen);
			break;
		case IFLA_IFNAME:
			memcpy(out->name, RTA_DATA(a), vl < sizeof(out->name) ? vl : sizeof(out->name) - 1);
			out->name[sizeof(out->name) - 1] = '\0';
			break;
		case IFLA_MTU:
			if (vl >= sizeof(uint32_t))
				memcpy(&out->mtu, RTA_DATA(a), sizeof(uint32_t));
			break;
		}
	}
}

static void add_addr(struct nss *n, const struct nlmsghdr *m)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(m);
	int len = (int)m->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifa)), l2 = len;
	bool local = false;
	struct nh_ifaddr *out;

	if (len < 0 || (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return; /* Go's newAddr makes nothing of another family */
	for (const struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, l2); a = RTA_NEXT(a, l2))
		local |= a->rta_type == IFA_LOCAL;
	for (const struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		size_t vl = RTA_PAYLOAD(a), want = ifa->ifa_family == AF_INET ? 4 : 16;

		if (local && a->rta_type == IFA_ADDRESS)
			continue;
		if (vl < want)
			return; /* Go would read past it: a kernel never sends one */
		out = grow(n, sizeof(*out));
		out->index = (int32_t)ifa->ifa_index;
		out->family = ifa->ifa_family == AF_INET ? NH_AF_INET : NH_AF_INET6;
		out->prefixlen = ifa->ifa_prefixlen;
		memcpy(out->addr, RTA_DATA(a), want);
		return;
	}
}

/* Parse one datagram of a dump of type want (RTM_NEWLINK, RTM_NEWADDR):
 * 1 when the dump is done, 0 for more, or -errno. */
int nss_ifaces_parse(struct nss *n, const void *buf, size_t len, int want)
{
	int left = (int)len;

	for (const struct nlmsghdr *m = buf; NLMSG_OK(m, left); m = NLMSG_NEXT(m, left)) {
		if (m->nlmsg_type == NLMSG_DONE)
			return 1;
		if (m->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(m);

			if (m->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				return -EIO;
			return e->error < 0 ? e->error : -EIO;
		}
		if (m->nlmsg_type != want)
			continue;
		if (want == RTM_NEWLINK) {
			add_link(n, m);
			((struct nh_ifaces *)n->ifaces)->niface++;
		} else {
			uint32_t before = (uint32_t)n->ifaces_len;

			add_addr(n, m);
			if (n->ifaces_len != before)
				((struct nh_ifaces *)n->ifaces)->naddr++;
		}
	}
	return 0;
}

/* One dump over fd into the table: 0 or -errno. */
static int dump(struct nss *n, int fd, int type, int want, void *buf)
{
	struct {
		struct nlmsghdr h;
		struct rtgenmsg g;
	} req = {{.nlmsg_len = sizeof(req), .nlmsg_type = (uint16_t)type,
	          .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1},
	         {.rtgen_family = AF_UNSPEC}};
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	int r;

	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	do {
		/* MSG_TRUNC: the datagram's whole length, so a cut one is seen */
		ssize_t got = recv(fd, buf, DUMP_BUF, MSG_TRUNC);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got < 0 ? -errno : -EIO;
		if (got > DUMP_BUF)
			return -EMSGSIZE;
		r = nss_ifaces_parse(n, buf, (size_t)got, want);
	} while (r == 0);
	return r < 0 ? r : 0;
}

void nss_ifaces_take(struct nh_host *h)
{
	struct nss *n = &h->net;
	void *buf;
	int fd, r;

	n->ifaces_len = 0;
	grow(n, sizeof(struct nh_ifaces));
	if ((buf = malloc(DUMP_BUF)) == NULL)
		nh_die_errno(NH_EXIT_USAGE, "cannot read the network's interfaces");
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	r = fd < 0 ? -errno : dump(n, fd, RTM_GETLINK, RTM_NEWLINK, buf);
	/* the addresses after every link: the table's order is the guest's */
	if (r == 0)
		r = dump(n, fd, RTM_GETADDR, RTM_NEWADDR, buf);
	if (fd >= 0)
		close(fd);
	free(buf);
	n->ifaces_err = r;
	n->ifaces_ready = true;
	if (h->opts.trace)
		dprintf(STDERR_FILENO, "[nh] net: interfaces: %u, addresses %u%s%s\n",
		        ((struct nh_ifaces *)n->ifaces)->niface, ((struct nh_ifaces *)n->ifaces)->naddr,
		        r < 0 ? ", the dump failed: " : "", r < 0 ? strerror(-r) : "");
}

int nss_ifaces_memfd(struct nh_host *h)
{
	const struct nss *n = &h->net;
	size_t done = 0;
	int fd;

	if (!n->ifaces_ready || n->ifaces_err < 0)
		return -1;
	if ((fd = memfd_create("nonehost-ifaces", MFD_CLOEXEC)) < 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot pass the network's interfaces on");
	while (done < n->ifaces_len) {
		ssize_t w = write(fd, (const char *)n->ifaces + done, n->ifaces_len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot pass the network's interfaces on");
		done += (size_t)w;
	}
	return fd;
}

void nss_ifaces_adopt(struct nh_host *h)
{
	struct nss *n = &h->net;
	const int fd = h->opts.ifaces_fd;
	const struct nh_ifaces *hd;
	struct stat st;
	ssize_t got;

	if (fd <= 0)
		return;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(*hd) ||
	    st.st_size > NSS_IFACES_MAX)
		nh_die(NH_EXIT_USAGE, "--ifaces-fd %d: not a table of interfaces (a regular file of "
		       "%zu to %d bytes)", fd, sizeof(*hd), NSS_IFACES_MAX);
	n->ifaces_len = 0;
	grow(n, (size_t)st.st_size);
	got = pread(fd, n->ifaces, (size_t)st.st_size, 0);
	hd = n->ifaces;
	if (got != st.st_size ||
	    sizeof(*hd) + (uint64_t)hd->niface * sizeof(struct nh_iface) +
	            (uint64_t)hd->naddr * sizeof(struct nh_ifaddr) != (uint64_t)st.st_size)
		nh_die(NH_EXIT_USAGE, "--ifaces-fd %d: not a table of interfaces (its counts and "
		       "its size differ)", fd);
	if (close(fd) != 0)
		nh_die_errno(NH_EXIT_USAGE, "--ifaces-fd %d", fd);
	h->opts.ifaces_fd = 0;
	n->adopted = true;
}

int64_t nss_op_ifaces(struct nh_host *h, const uint64_t a[6])
{
	static const struct nh_ifaces none; /* --net none: no interface, no address */
	const struct nss *n = &h->net;
	const void *table = n->mode == NSS_NONE ? &none : n->ifaces;
	size_t len = n->mode == NSS_NONE ? sizeof(none) : n->ifaces_len;

	if (!n->ready || (n->mode != NSS_NONE && !n->ifaces_ready))
		return -NH_ENOSYS;
	if (n->mode != NSS_NONE && n->ifaces_err < 0)
		return n->ifaces_err;
	if (a[1] < len)
		return -NH_ERANGE;
	if (!ram_writable(h, a[0], len))
		return -NH_EFAULT;
	memcpy((void *)(uintptr_t)a[0], table, len);
	return (int64_t)len;
}
