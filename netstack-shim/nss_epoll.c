/*
 * nss_epoll.c - the epoll backend: accept and connect as plain
 * non-blocking system calls, readiness through one epoll instance.
 *
 * Contract: nss_epoll_open() makes the epoll instance (EPOLL_CLOEXEC) and
 * its event buffer (NSS_EVBUF events) before the sandbox. The ops are
 * accept4(SOCK_NONBLOCK|SOCK_CLOEXEC) and connect on the socket (which is
 * O_NONBLOCK anyway): each returns at once, -EAGAIN / -EINPROGRESS when it
 * would wait (the data path is nss_io.c's, the same for both backends).
 * arm() adds the socket with EPOLLET for
 * IN|OUT|RDHUP|ERR|HUP, data = generation << 32 | handle; disarm() is
 * EPOLL_CTL_DEL, before the close: close(2) removes a registration only
 * with the socket's last descriptor, and FS_DUP may have made another, so a
 * stale one would make a later ADD of the same number and socket -EEXIST. wait() collects at most NSS_EVBUF events per call with
 * epoll_pwait2 (nanosecond timeout: the absolute deadline turned into a
 * relative one; none for until 0; zero for a deadline already past); the
 * kernel keeps the rest ready for the next call. A signal is no error; a
 * mask (IDLE while the guest catches a signal) is epoll_pwait2's sigmask.
 * Under qemu-user 7.2 (a foreign architecture's host) epoll_pwait2 is
 * ENOSYS: there it waits with epoll_pwait, the timeout rounded up to whole
 * milliseconds (never early, so no spinning on a deadline just ahead).
 */
#include <errno.h>
#include <limits.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

_Static_assert(EPOLLIN == NH_POLLIN && EPOLLOUT == NH_POLLOUT && EPOLLERR == NH_POLLERR &&
               EPOLLHUP == NH_POLLHUP && EPOLLRDHUP == NH_POLLRDHUP, "poll bits are Linux's");

static int epoll_accept(struct nss *n, int fd, struct sockaddr *sa, uint32_t *salen)
{
	socklen_t len = *salen;
	int r;

	(void)n;
	/* By number: on EINVAL (a socket not listening) musl's accept4 tries
	 * accept and fcntl, which the filter refuses. */
	r = (int)syscall(SYS_accept4, fd, sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	*salen = len;
	return r < 0 ? -errno : r;
}

static int epoll_connect(struct nss *n, int fd, const struct sockaddr *sa, uint32_t salen)
{
	(void)n;
	return connect(fd, sa, salen) != 0 ? -errno : 0;
}

static int epoll_arm(struct nss *n, unsigned i)
{
	struct nss_sock *s = &n->sock[i];
	struct epoll_event ev = {
		.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLERR | EPOLLHUP | EPOLLET,
		.data.u64 = (uint64_t)s->gen << 32 | i,
	};

	return epoll_ctl(n->fd, EPOLL_CTL_ADD, s->fd, &ev) != 0 ? -errno : 0;
}

static void epoll_disarm(struct nss *n, unsigned i)
{
	struct epoll_event none = {0};

	epoll_ctl(n->fd, EPOLL_CTL_DEL, n->sock[i].fd, &none); /* gone already: nothing to do */
}

static int epoll_wait_until(struct nss *n, int64_t until, const sigset_t *mask)
{
	struct epoll_event *ev = n->evbuf;
	struct timespec now, rel = {0, 0};
	int64_t left;
	int k;

	if (until != 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = until - ((int64_t)now.tv_sec * 1000000000 + now.tv_nsec);
		if (left > 0)
			rel = (struct timespec){left / 1000000000, left % 1000000000};
	}
	/* By number: musl has no epoll_pwait2(); the kernel's mask is 8 bytes. */
	k = (int)syscall(SYS_epoll_pwait2, n->fd, ev, NSS_EVBUF, until != 0 ? &rel : NULL, mask,
	                 (size_t)(_NSIG / 8));
	if (k < 0 && errno == ENOSYS) {
		int64_t ms = rel.tv_sec * 1000 + (rel.tv_nsec + 999999) / 1000000;

		k = epoll_pwait(n->fd, ev, NSS_EVBUF, until == 0 ? -1 : ms > INT_MAX ? INT_MAX : (int)ms,
		                mask);
	}
	if (k < 0)
		return errno == EINTR ? 0 : -errno;
	for (int j = 0; j < k; j++)
		nss_report(n, (unsigned)(ev[j].data.u64 & 0xffffffffu),
		           (uint32_t)(ev[j].data.u64 >> 32), ev[j].events);
	return 0;
}

const struct nss_backend nss_epoll_backend = {
	.name = "epoll",
	.accept = epoll_accept,
	.connect = epoll_connect,
	.arm = epoll_arm,
	.disarm = epoll_disarm,
	.wait = epoll_wait_until,
};

int nss_epoll_open(struct nss *n)
{
	void *buf = mmap(NULL, NSS_EVBUF * sizeof(struct epoll_event), PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (buf == MAP_FAILED)
		return -errno;
	n->evbuf = buf;
	if ((n->fd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return -errno;
	return 0;
}
