/*
 * nss_unixgram.c - pathname UNIX datagram sockets (Go's "unixgram"
 * network), made by the host itself in a root of its own (README.md,
 * "UNIX datagram sockets"; the rules the guest sees are nonehost_abi.h's).
 *
 * Why not the launcher, as for stream sockets: a datagram socket can
 * sendto(2) any path whether it is bound or connected, so no socket handed
 * over could be safe. Instead they are served only where the image has a
 * root of its own (fs-shim/fsshim_root.c: only the read-write grants, each
 * at its guest path): whatever path the kernel resolves for it (the ops'
 * own calls, a hostile image's raw ones, a ring SEND with an address)
 * finds those directories or nothing. Guest paths are then the kernel's,
 * so names need no translation.
 *
 * Contract: without the root (h->fs.own_root false: under qemu, in a child
 * image, without user namespaces) SOCKET stays -EPROTONOSUPPORT.
 *   nss_unixgram_socket()  a kernel socket at once (no pending state).
 *   nss_unixgram_bind()     the fs-shim's checks of stream BIND (its errnos:
 *          a read-only grant -EACCES, a name that exists -EADDRINUSE), then
 *          bind(2) with the guest path.
 *   nss_unixgram_connect()  the fs-shim's checks of stream CONNECT (beneath
 *          a read-write grant, a socket), then the backend's connect.
 *   nss_unixgram_to()       SENDTO's address for the kernel, not resolved
 *          here: the root decides (outside the grants: -ENOENT).
 * RECVFROM and SOCKNAME give the kernel's names as they are: guest paths
 * for sockets bound in the image; a host process's socket bound in a
 * read-write grant shows its host path.
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

int64_t nss_unixgram_socket(struct nh_host *h)
{
	int slot, fd;

	if ((slot = fsshim_handle_alloc(&h->fs)) < 0)
		return slot;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	nss_sock_take(h, slot, fd, AF_UNIX, SOCK_DGRAM, 0);
	h->net.sock[slot].ustate = NSS_U_DGRAM;
	return slot;
}

int64_t nss_unixgram_bind(struct nh_host *h, unsigned i, const char *path)
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

int64_t nss_unixgram_connect(struct nh_host *h, unsigned i, const char *path)
{
	struct nss *n = &h->net;
	struct sockaddr_un sa;
	int r;

	if ((r = nss_unix_peer_ok(h, path)) < 0)
		return r;
	return n->be->connect(n, n->sock[i].fd, (const struct sockaddr *)&sa, kernel_addr(&sa, path));
}

int nss_unixgram_to(const struct nh_host *h, uint64_t addr, uint64_t len, union nss_addr *a,
                    uint32_t *salen)
{
	char path[NH_UNIX_PATH_MAX + 1];
	int r;

	if ((r = nss_unix_addr_in(h, addr, len, path)) < 0)
		return r;
	*salen = kernel_addr((struct sockaddr_un *)a->bytes, path);
	return 0;
}
