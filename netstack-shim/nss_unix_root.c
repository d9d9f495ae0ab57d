/*
 * nss_unix_root.c - pathname UNIX sockets, stream, datagram and
 * seqpacket, made by the host itself where the image has a root of its
 * own (README.md, "UNIX sockets in the image's own root"; the rules the
 * guest sees are nonehost_abi.h's "UNIX sockets").
 *
 * Why: a UNIX socket the image holds may connect (stream, not yet
 * connected) or send (datagram, bound or connected alike) to any path, and
 * Landlock has no right for that. In the image's own root
 * (fs-shim/fsshim_root.c: only the read-write grants, each at its guest
 * path) whatever path the kernel resolves for this process finds those
 * directories or nothing: the ops' own calls, a hostile image's raw ones,
 * a ring CONNECT or SEND with an address alike. So there the host makes
 * the sockets itself, as Linux would, and passes the kernel's state and
 * names on (guest paths are the kernel's there). Without the root (under
 * qemu, in a child image, without user namespaces) stream sockets come
 * from the launcher (nss_unix.c) and datagram and seqpacket ones are not
 * served.
 *
 * Contract (state NSS_U_ROOTED):
 *   nss_uroot_socket()   a kernel socket at once, of the type asked.
 *   nss_uroot_bind()     the checks of a brokered BIND (nss_unix_may_bind:
 *          a read-only grant -EACCES, a name that exists -EADDRINUSE...),
 *          then bind(2) with the guest path; the kernel's errors (bound
 *          already: -EINVAL).
 *   nss_uroot_connect()  the checks of a brokered CONNECT of the object
 *          (nss_unix_peer_ok: beneath a read-write grant, a socket), then
 *          the backend's connect: 0, -EAGAIN (a stream listener's backlog
 *          is full), -EPROTOTYPE, -ECONNREFUSED... as the kernel says.
 *   nss_uroot_to()       SENDTO's address for the kernel, its form checked
 *          (nss_unix_addr_in), not resolved here: the root decides
 *          (outside the read-write grants: -ENOENT).
 * LISTEN, ACCEPT, RECVFROM, SOCKNAME, SHUTDOWN and the options are the
 * kernel's (nss_unix.c, nss_sock.c, nss_io.c pass them through): guest
 * paths for sockets bound in the image, a host path for a process outside
 * that bound in a read-write grant, the unnamed address (length 2).
 * Errors are -errno (Linux numbering); nothing allocates or exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "host.h"

/* The guest path as the kernel takes it; its length. */
static uint32_t kernel_addr(struct sockaddr_un *sa, const char *path)
{
	size_t n = strlen(path); /* at most sizeof(sun_path): Linux ends it itself */

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, path, n);
	return (uint32_t)(offsetof(struct sockaddr_un, sun_path) + n);
}

int64_t nss_uroot_socket(struct nh_host *h, int type)
{
	int slot, fd;

	if ((slot = fsshim_handle_alloc(&h->fs)) < 0)
		return slot;
	if ((fd = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	nss_sock_take(h, slot, fd, AF_UNIX, type, 0);
	h->net.sock[slot].ustate = NSS_U_ROOTED;
	return slot;
}

int64_t nss_uroot_bind(struct nh_host *h, unsigned i, const char *path)
{
	struct sockaddr_un sa;
	struct fsshim_at at;
	uint32_t len;
	int r;

	r = fsshim_resolve_parent(h, NH_AT_ROOT, path, &at);
	if (r == 0)
		r = nss_unix_may_bind(h, &at);
	fsshim_at_done(&at);
	if (r < 0)
		return r;
	len = kernel_addr(&sa, path);
	return bind(h->net.sock[i].fd, (const struct sockaddr *)&sa, len) != 0 ? -errno : 0;
}

int64_t nss_uroot_connect(struct nh_host *h, unsigned i, const char *path)
{
	struct nss *n = &h->net;
	struct sockaddr_un sa;
	int r;

	if ((r = nss_unix_peer_ok(h, path)) < 0)
		return r;
	return n->be->connect(n, n->sock[i].fd, (const struct sockaddr *)&sa, kernel_addr(&sa, path));
}

int nss_uroot_to(const struct nh_host *h, uint64_t addr, uint64_t len, union nss_addr *a,
                 uint32_t *salen)
{
	char path[NH_UNIX_PATH_MAX + 1];
	int r;

	if ((r = nss_unix_addr_in(h, addr, len, path)) < 0)
		return r;
	*salen = kernel_addr((struct sockaddr_un *)a->bytes, path);
	return 0;
}
