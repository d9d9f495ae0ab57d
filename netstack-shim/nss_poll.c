/*
 * nss_poll.c - NH_OP_NET_POLL and IDLE's readiness reports.
 *
 * Contract:
 *   poll(fd, tag)  registers socket, pipe, process or standard input handle fd with the
 *          backend, edge-triggered, for IN|OUT|RDHUP|ERR|HUP: from then on
 *          each change the backend sees becomes a pending report
 *          { tag, events } (a process handle becomes readable when the
 *          launcher sends the exit status). A second registration of the
 *          same handle is -EEXIST (as epoll_ctl's ADD); it ends when the
 *          handle is closed (nss_close, nss_unwatch). Any other handle is
 *          -ENOTSOCK, as before pipes came; standard input the kernel
 *          cannot poll (a regular file, /dev/null) is -EPERM, as epoll's.
 *          A pending UNIX socket (no kernel socket yet) is registered all
 *          the same and reported IN|OUT|HUP|RDHUP at once (nss_unix.c);
 *          the backend watches it once BIND or CONNECT brings its socket.
 *   nss_watch() / nss_unwatch()  a pipe or process handle's entry, made
 *          fresh when the handle is made (its own generation) and dropped
 *          before its descriptor is closed.
 *   The pending reports are one list, oldest first, at most one entry per
 *   socket: a new change of a socket already in it adds its bits to that
 *   entry. nss_report() is the backends' way in; a report for a handle
 *   whose socket has been closed or replaced since (another generation) is
 *   dropped.
 *   nss_idle()  (IDLE with a socket registered or a report pending,
 *          host/hook_time.c) waits through the backend only when nothing
 *          is pending (until: CLOCK_MONOTONIC ns, 0 no deadline, a time
 *          already past no wait), then moves at most cap reports to the
 *          guest's nh_pollev array ev (checked by the caller) and keeps the
 *          rest for the next call. Returns how many it stored; cap 0 waits
 *          the same and stores none. mask (not NULL): the signal mask while
 *          the backend waits (IDLE while the guest catches a signal).
 * Nothing here allocates: the list lives in the socket table (prev/next).
 */
#include <string.h>

#include "host.h"

#define EVENTS (NH_POLLIN | NH_POLLOUT | NH_POLLERR | NH_POLLHUP | NH_POLLRDHUP)

/* The entry of a handle NET_POLL may watch: a socket, a pipe, a process,
 * standard input (watched from the start: nss_setup) when the kernel can
 * poll it; a regular file or /dev/null there is -EPERM, epoll_ctl's answer
 * (here for io_uring, which would report it ready at every IDLE; epoll's
 * ADD gives it itself). */
static struct nss_sock *pollable(struct nh_host *h, uint64_t fd, int64_t *err)
{
	const struct fsshim_handle *e = fsshim_handle(&h->fs, fd);

	if (e == NULL) {
		*err = -NH_EBADF;
		return NULL;
	}
	if ((e->kind != FSSHIM_SOCKET && e->kind != FSSHIM_PIPE && e->kind != FSSHIM_PROC &&
	     e->kind != FSSHIM_STDIN) || h->net.sock == NULL) {
		*err = -NH_ENOTSOCK;
		return NULL;
	}
	if (e->kind == FSSHIM_STDIN && !h->net.stdin_polls) {
		*err = -NH_EPERM;
		return NULL;
	}
	return &h->net.sock[fd];
}

int64_t nss_op_poll(struct nh_host *h, const uint64_t a[6])
{
	struct nss *n = &h->net;
	struct nss_sock *s;
	int64_t r;

	if ((s = pollable(h, a[0], &r)) == NULL)
		return r;
	if (s->flags & NSS_S_POLLED)
		return -NH_EEXIST;
	s->tag = a[1];
	if (s->fd < 0) { /* a pending UNIX socket: armed when its socket comes */
		s->flags |= NSS_S_POLLED;
		n->npolled++;
		nss_unix_poll_pending(h, (unsigned)a[0]);
		return 0;
	}
	if ((r = n->be->arm(n, (unsigned)a[0])) < 0)
		return r;
	s->flags |= NSS_S_POLLED;
	n->npolled++;
	return 0;
}

void nss_report(struct nss *n, unsigned i, uint32_t gen, uint32_t events)
{
	struct nss_sock *s;

	if (i >= n->nsock)
		return;
	s = &n->sock[i];
	if (s->gen != gen || !(s->flags & NSS_S_POLLED) || (events & EVENTS) == 0)
		return;
	s->pend |= events & EVENTS;
	if (s->flags & NSS_S_QUEUED)
		return;
	s->flags |= NSS_S_QUEUED;
	s->prev = n->tail;
	s->next = -1;
	if (n->tail >= 0)
		n->sock[n->tail].next = (int32_t)i;
	else
		n->head = (int32_t)i;
	n->tail = (int32_t)i;
}

void nss_unqueue(struct nss *n, unsigned i)
{
	struct nss_sock *s = &n->sock[i];

	if (!(s->flags & NSS_S_QUEUED))
		return;
	if (s->prev >= 0)
		n->sock[s->prev].next = s->next;
	else
		n->head = s->next;
	if (s->next >= 0)
		n->sock[s->next].prev = s->prev;
	else
		n->tail = s->prev;
	s->flags &= (uint8_t)~NSS_S_QUEUED;
	s->prev = s->next = -1;
	s->pend = 0;
}

void nss_watch(struct nh_host *h, unsigned handle, int fd)
{
	struct nss_sock *s;

	if (h->net.sock == NULL || handle >= h->net.nsock)
		return;
	s = &h->net.sock[handle];
	*s = (struct nss_sock){.fd = fd, .gen = s->gen + 1, .prev = -1, .next = -1};
}

void nss_unwatch(struct nh_host *h, unsigned handle)
{
	struct nss *n = &h->net;
	struct nss_sock *s;

	if (n->sock == NULL || handle >= n->nsock)
		return;
	s = &n->sock[handle];
	if (s->flags & NSS_S_POLLED) {
		s->flags &= (uint8_t)~NSS_S_POLLED; /* from here its reports are stale */
		if (s->fd >= 0) /* -1: a pending UNIX socket, never armed */
			n->be->disarm(n, handle);
		n->npolled--;
	}
	nss_unqueue(n, handle);
	s->flags = 0;
	s->fd = -1;
}

bool nss_active(const struct nss *n)
{
	return n->npolled > 0 || n->head >= 0;
}

int64_t nss_idle(struct nh_host *h, uint64_t until, uint64_t ev, uint64_t cap,
                 const sigset_t *mask)
{
	struct nss *n = &h->net;
	uint64_t k = 0;
	int r;

	if (n->head < 0 && (r = n->be->wait(n, (int64_t)until, mask)) < 0)
		return r;
	for (; k < cap && n->head >= 0; k++) {
		unsigned i = (unsigned)n->head;
		struct nh_pollev pe = {.tag = n->sock[i].tag, .events = n->sock[i].pend};

		memcpy((void *)(uintptr_t)(ev + k * sizeof(pe)), &pe, sizeof(pe));
		nss_unqueue(n, i);
	}
	return (int64_t)k;
}
