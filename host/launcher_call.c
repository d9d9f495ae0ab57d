/*
 * launcher_call.c - one request to the launcher and its reply, on the host
 * side of the control socket: PROC_START's (proc_start.c) and a UNIX
 * socket's (netstack-shim/nss_unix.c).
 *
 * Contract (launcher.h has the messages): launch_call() sends iov as one
 * datagram with fds as SCM_RIGHTS (MSG_NOSIGNAL, the flags the sandbox
 * allows on the control socket: proc_policy.c), blocking (the launcher
 * answers at once), then receives one struct launch_reply
 * (MSG_CMSG_CLOEXEC, the other allowed flags) into room for one byte and
 * one descriptor more than a reply has, so a longer reply or an extra
 * descriptor shows. The result: -errno (-4095..-1) with no descriptor, or
 * a result in [0, INT32_MAX] with exactly one (*fd); anything else, or the
 * launcher gone (EOF, EPIPE), -EIO with every descriptor received closed.
 * A request too large for the control socket (EMSGSIZE: wmem_max below
 * it) is -E2BIG; ENOMEM and ENOBUFS pass through.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "host.h"

static int64_t reply(struct nh_host *h, int *fd)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(2 * sizeof(int))]; /* room for one too many: it shows */
	} ctl;
	unsigned char msg[sizeof(struct launch_reply) + 1];
	struct iovec iov = {msg, sizeof(msg)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
	                   .msg_controllen = sizeof(ctl.buf)};
	struct launch_reply rep;
	int got[2];
	unsigned nfd;
	ssize_t n;

	do
		n = recvmsg(h->proc.ctl, &m, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -NH_EIO; /* the launcher is gone */
	nfd = launch_rights_take(&m, got, 2);
	memcpy(&rep, msg, sizeof(rep));
	if (n == (ssize_t)sizeof(rep) && !(m.msg_flags & (MSG_CTRUNC | MSG_TRUNC))) {
		if (rep.result < 0 && rep.result >= -4095 && nfd == 0)
			return rep.result;
		if (rep.result >= 0 && rep.result <= INT32_MAX && nfd == 1) {
			*fd = got[0];
			return rep.result;
		}
	}
	for (unsigned i = 0; i < nfd && i < 2; i++)
		close(got[i]);
	return -NH_EIO;
}

int64_t launch_call(struct nh_host *h, const struct iovec *iov, unsigned niov, const int *fds,
                    unsigned nfds, int *fd)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(LAUNCH_MAX_RIGHTS * sizeof(int))];
	} ctl;
	struct msghdr m = {.msg_iov = (struct iovec *)(uintptr_t)iov, .msg_iovlen = niov};
	size_t total = 0;
	ssize_t n;

	for (unsigned i = 0; i < niov; i++)
		total += iov[i].iov_len;
	launch_rights_put(&m, ctl.buf, fds, nfds);
	do
		n = sendmsg(h->proc.ctl, &m, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EMSGSIZE)
		return -NH_E2BIG; /* larger than the control socket takes (wmem_max) */
	if (n < 0 && (errno == ENOMEM || errno == ENOBUFS))
		return -errno;
	if (n != (ssize_t)total)
		return -NH_EIO; /* the launcher is gone (EPIPE), or worse */
	return reply(h, fd);
}
