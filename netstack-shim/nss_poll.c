/*
 * nss_poll.c - NH_OP_NET_POLL and IDLE's readiness reports.
 *
 * Contract:
 *   poll(fd, tag)  registers socket fd with the backend, edge-triggered,
 *          for IN|OUT|RDHUP|ERR|HUP: from then on each change the backend
 *          sees becomes a pending report { tag, events }. A second
 *          registration of the same socket is -EEXIST (as epoll_ctl's ADD);
 *          it ends when the handle is closed (nss_close).
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
 *          the same and stores none.
 * Nothing here allocates: the list lives in the socket table (prev/next).
 */
#include <string.h>

#include "host.h"

#define EVENTS (NH_POLLIN | NH_POLLOUT | NH_POLLERR | NH_POLLHUP | NH_POLLRDHUP)

int64_t nss_op_poll(struct nh_host *h, const uint64_t a[6])
{
	struct nss *n = &h->net;
	struct nss_sock *s;
	int64_t r;
	int fd;

	if ((s = nss_sock(h, a[0], &fd, &r)) == NULL)
		return r;
	if (s->flags & NSS_S_POLLED)
		return -NH_EEXIST;
	s->tag = a[1];
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

bool nss_active(const struct nss *n)
{
	return n->npolled > 0 || n->head >= 0;
}

int64_t nss_idle(struct nh_host *h, uint64_t until, uint64_t ev, uint64_t cap)
{
	struct nss *n = &h->net;
	uint64_t k = 0;
	int r;

	if (n->head < 0 && (r = n->be->wait(n, (int64_t)until)) < 0)
		return r;
	for (; k < cap && n->head >= 0; k++) {
		unsigned i = (unsigned)n->head;
		struct nh_pollev pe = {.tag = n->sock[i].tag, .events = n->sock[i].pend};

		memcpy((void *)(uintptr_t)(ev + k * sizeof(pe)), &pe, sizeof(pe));
		nss_unqueue(n, i);
	}
	return (int64_t)k;
}
