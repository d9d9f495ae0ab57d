/*
 * launcher_rights.c - descriptors passed between the host and the
 * launcher (SCM_RIGHTS), one way of packing and unpacking for both sides.
 *
 * Contract:
 *   launch_rights_put()   fd[0..n) as one SCM_RIGHTS message in m's
 *       control data; ctl is room for CMSG_SPACE(n * sizeof(int)) bytes,
 *       aligned for a cmsghdr. n == 0: no control data at all.
 *   launch_rights_take()  every descriptor of every SCM_RIGHTS message in
 *       a received m, in order: the first max into fd[], the rest closed.
 *       Returns how many there were (more than max: too many).
 */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host.h"

void launch_rights_put(struct msghdr *m, void *ctl, const int *fd, unsigned n)
{
	struct cmsghdr *c;

	if (n == 0) {
		m->msg_control = NULL;
		m->msg_controllen = 0;
		return;
	}
	memset(ctl, 0, CMSG_SPACE(n * sizeof(int)));
	m->msg_control = ctl;
	m->msg_controllen = CMSG_SPACE(n * sizeof(int));
	c = CMSG_FIRSTHDR(m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(c), fd, n * sizeof(int));
}

unsigned launch_rights_take(struct msghdr *m, int *fd, unsigned max)
{
	unsigned k = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		for (size_t i = 0; i < n; i++, k++) {
			int d;

			memcpy(&d, CMSG_DATA(c) + i * sizeof(int), sizeof(d));
			if (k < max)
				fd[k] = d;
			else
				close(d);
		}
	}
	return k;
}
