/*
 * nss_unixgram.c - pathname UNIX datagram sockets (Go's "unixgram"
 * network), made by the host itself in a root of its own (README.md,
 * "UNIX datagram sockets"; the rules the guest sees are nonehost_abi.h's).
 *
 * Why not the launcher, as for stream sockets: a datagram socket can
 * sendto(2) any path whether it is bound or connected, so no socket handed
 * over could be safe. Instead the process that runs the image gets a root
 * where only the read-write grants exist, each at its guest path
 * (sandbox/sbx_mirror.c): whatever path the kernel resolves for it (the
 * ops' own calls, a hostile image's raw ones, a ring SEND with an address)
 * finds those directories or nothing. Guest paths are then the kernel's,
 * so names need no translation.
 *
 * Contract:
 *   nss_unix_root()  under --net private or host, after the launcher is
 *          forked (it keeps the real root) and before any descriptor is
 *          adopted or the sandbox applied: the mirror of the read-write
 *          grants (those at "/" or beneath another read-write grant are
 *          left out, sockets there are not reachable). On success
 *          h->net.unix_root: SOCKET serves NH_SOCK_DGRAM; else it stays
 *          -EPROTONOSUPPORT (one line under --trace says why: no user
 *          namespaces, a foreign image's emulator).
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
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

/* g lies beneath (or is) another read-write grant's guest path. */
static bool beneath_rw(const struct fsshim *fs, unsigned g)
{
	const struct fsshim_grant *a = &fs->grant[g];

	for (unsigned i = 0; i < fs->ngrants; i++) {
		const struct fsshim_grant *b = &fs->grant[i];

		if (i == g || !b->rw || b->guest_len >= a->guest_len)
			continue;
		if (b->guest_len == 1 || /* "/" */
		    (strncmp(a->guest, b->guest, b->guest_len) == 0 && a->guest[b->guest_len] == '/'))
			return true;
	}
	return false;
}

void nss_unix_root(struct nh_host *h)
{
	struct sbx_mirror_dir dirs[FSSHIM_MAX_GRANTS];
	struct fsshim *fs = &h->fs;
	struct timespec t0;
	char why[256];
	size_t n = 0;
	bool userns;

	if (!h->net.ready || h->net.mode == NSS_NONE)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned i = 0; i < fs->ngrants; i++) {
		const struct fsshim_grant *g = &fs->grant[i];
		struct stat st;

		if (!g->rw || g->guest_len == 1 || beneath_rw(fs, i))
			continue;
		if (fstat(g->fd, &st) != 0)
			nh_die_errno(NH_EXIT_USAGE, "unixgram: fstat(%s)", g->host);
		dirs[n++] = (struct sbx_mirror_dir){.host = g->host, .at = g->guest,
		                                    .dev = st.st_dev, .ino = st.st_ino};
	}
	if (sbx_mirror(dirs, n, &userns, why, sizeof(why)) != 0) {
		if (h->opts.trace)
			dprintf(STDERR_FILENO, "[nh] net: no UNIX datagram sockets: no root of our own "
			        "(%s)\n", why);
		return;
	}
	h->net.unix_root = true;
	if (h->opts.trace)
		dprintf(STDERR_FILENO, "[nh] net: a root of our own%s: %zu read-write grant%s "
		        "(%ld us)\n", userns ? " (in a new user namespace)" : "", n, n == 1 ? "" : "s",
		        nss_us_since(&t0));
}

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
