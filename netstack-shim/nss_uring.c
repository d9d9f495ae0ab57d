/*
 * nss_uring.c - the io_uring backend: accepting, connecting and the
 * waiting through one ring (liburing); the bytes are nss_io.c's system
 * calls, as for epoll (README.md, "The data path").
 *
 * Contract: nss_uring_open() makes the ring before the sandbox, disabled
 * (IORING_SETUP_R_DISABLED), restricts it (IORING_REGISTER_RESTRICTIONS:
 * exactly the opcodes of nss_uring_ops[], no SQE flag, no register op),
 * then enables it, and checks that the kernel has what the backend relies
 * on (IORING_ENTER_ABS_TIMER, Linux 6.12; IORING_ACCEPT_DONTWAIT came with
 * 6.10): any failure is -errno with why filled in, and the ring closed.
 * It is single-issuer with deferred task work (IORING_SETUP_DEFER_TASKRUN,
 * with IORING_SETUP_TASKRUN_FLAG to see when some is waiting): what
 * completes asynchronously (a readiness change, a poll-armed op) is posted
 * only when this process enters the ring to get events, in IDLE or when an
 * op has not completed at once; nothing runs behind its back. An op that
 * completes on its first try posts its CQE during the submission itself.
 *
 * Every op is synchronous and non-blocking (README.md has what was found
 * on Linux 6.18): ACCEPT with IORING_ACCEPT_DONTWAIT completes on its first
 * try with a result or -EAGAIN; on an O_NONBLOCK socket without it the
 * kernel arms a poll and waits.
 * CONNECT has no such flag: it completes at once (0, or the error when the
 * kernel already knows it, as connect(2) may), or the kernel arms a poll
 * for a connection in progress; then sync_op() cancels that poll, which
 * leaves the connection going on, and the op is -EINPROGRESS, SO_ERROR
 * telling the outcome as usual. sync_op() submits with every SQE queued
 * before it (lazy POLL_ADDs), takes every CQE there is, and sets the
 * readiness CQEs aside as pending reports (nss_report) for the next IDLE.
 *
 * Readiness: a multishot POLL_ADD per registered socket (edge-triggered,
 * io_uring's default), user_data = POLL | generation | handle; a CQE
 * without IORING_CQE_F_MORE ends it: re-armed (queued) after a result,
 * and after an error the socket is reported IN|OUT|ERR once (the guest
 * retries and sees the error) and left unarmed. disarm() cancels the poll
 * and runs the task work at once, so the ring drops its reference to the
 * socket before close(2): the peer sees the close then, not later.
 * wait() takes what is there; with nothing pending and a deadline not yet
 * past it enters with GETEVENTS and an absolute CLOCK_MONOTONIC timeout
 * (IORING_ENTER_ABS_TIMER) and, while the guest catches a signal, IDLE's
 * signal mask (io_uring_enter's sigmask, or the extended argument's); a
 * deadline already past costs no system call unless the kernel flags task
 * work or a CQ overflow.
 */
#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

#ifndef IORING_ACCEPT_DONTWAIT
#define IORING_ACCEPT_DONTWAIT (1U << 1) /* Linux 6.10; liburing 2.3 lacks it */
#endif
#ifndef IORING_ENTER_ABS_TIMER
#define IORING_ENTER_ABS_TIMER (1U << 5) /* Linux 6.12 */
#endif

#define UD_SYNC   UINT64_C(1)       /* the op sync_op() waits for */
#define UD_IGNORE UINT64_C(2)       /* cancellations: their CQEs say nothing */
#define UD_POLL   (UINT64_C(1) << 63)
#define POLL_MASK (POLLIN | POLLOUT | POLLRDHUP | POLLERR | POLLHUP)

_Static_assert(POLLIN == NH_POLLIN && POLLOUT == NH_POLLOUT && POLLERR == NH_POLLERR &&
               POLLHUP == NH_POLLHUP && POLLRDHUP == NH_POLLRDHUP, "poll bits are Linux's");

/* The opcodes the ring allows (IORING_RESTRICTION_SQE_OP), and nothing else. */
const uint8_t nss_uring_ops[] = {
	IORING_OP_ACCEPT, IORING_OP_CONNECT, IORING_OP_POLL_ADD, IORING_OP_ASYNC_CANCEL,
};
const char *const nss_uring_op_names[] = {
	"ACCEPT", "CONNECT", "POLL_ADD", "ASYNC_CANCEL",
};
const unsigned nss_uring_nops = sizeof(nss_uring_ops) / sizeof(nss_uring_ops[0]);
_Static_assert(sizeof(nss_uring_ops) == sizeof(nss_uring_op_names) / sizeof(char *),
               "one name per opcode");

#define SETUP_FLAGS (IORING_SETUP_R_DISABLED | IORING_SETUP_SINGLE_ISSUER |                  \
                     IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG |                \
                     IORING_SETUP_SUBMIT_ALL | IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP)

static uint64_t poll_ud(unsigned i, uint32_t gen)
{
	return UD_POLL | (uint64_t)(gen & 0x7fffffffu) << 32 | i;
}

/* Submit what is queued; 0 or -errno. */
static int flush(struct nss *n)
{
	int r = n->unsubmitted > 0 ? io_uring_submit(n->ring) : 0;

	n->unsubmitted = 0;
	return r < 0 ? r : 0;
}

/* A free SQE: when the queue is full of lazily queued ones, submit them. */
static struct io_uring_sqe *sqe_get(struct nss *n)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(n->ring);

	if (sqe == NULL) {
		flush(n); /* an error shows in the CQEs of what was queued */
		sqe = io_uring_get_sqe(n->ring);
	}
	n->unsubmitted++;
	return sqe; /* never NULL: the queue was just emptied */
}

static void arm_sqe(struct nss *n, unsigned i)
{
	struct io_uring_sqe *sqe = sqe_get(n);
	struct nss_sock *s = &n->sock[i];

	io_uring_prep_poll_multishot(sqe, s->fd, POLL_MASK);
	sqe->user_data = poll_ud(i, s->gen);
	s->flags |= NSS_S_ARMED;
}

static void poll_cqe(struct nss *n, const struct io_uring_cqe *cqe)
{
	unsigned i = (unsigned)(cqe->user_data & 0xffffffffu);
	uint32_t gen = (uint32_t)(cqe->user_data >> 32) & 0x7fffffffu;
	struct nss_sock *s;

	if (i >= n->nsock)
		return;
	s = &n->sock[i];
	if ((s->gen & 0x7fffffffu) != gen || !(s->flags & NSS_S_POLLED))
		return; /* closed (or replaced) since */
	if (cqe->res >= 0)
		nss_report(n, i, s->gen, (uint32_t)cqe->res);
	if (cqe->flags & IORING_CQE_F_MORE)
		return;
	s->flags &= (uint8_t)~NSS_S_ARMED;
	if (cqe->res >= 0)
		arm_sqe(n, i); /* ended by the kernel (a full CQ): watch on */
	else
		nss_report(n, i, s->gen, NH_POLLIN | NH_POLLOUT | NH_POLLERR);
}

/* Take every CQE there is: readiness into the pending list, the sync op's
 * result into *res (true when it was there). */
static bool harvest(struct nss *n, int *res)
{
	struct io_uring_cqe *cqe;
	unsigned head, seen = 0;
	bool found = false;

	io_uring_for_each_cqe(n->ring, head, cqe) {
		seen++;
		if (cqe->user_data == UD_SYNC) {
			*res = cqe->res;
			found = true;
		} else if (cqe->user_data & UD_POLL) {
			poll_cqe(n, cqe);
		}
	}
	io_uring_cq_advance(n->ring, seen);
	return found;
}

/*
 * Run one prepared op (its SQE from sqe_get) to its completion. It must
 * complete on its first try, which posts its CQE during the submission
 * itself (no GETEVENTS: entering to get events costs ~100 ns more per op,
 * measured); if the kernel armed a poll instead (CONNECT in progress, or
 * already done but completed by task work), the poll is cancelled and the
 * op is `blocked`, unless it completed meanwhile: the wait runs the task
 * work, and the op's own CQE says which.
 */
static int sync_op(struct nss *n, struct io_uring_sqe *sqe, int blocked)
{
	int res = -EIO, r;

	sqe->user_data = UD_SYNC;
	r = io_uring_submit(n->ring); /* an op done on its first try posts its CQE here */
	n->unsubmitted = 0;
	if (r < 0)
		return r;
	if (harvest(n, &res))
		return res;
	sqe = sqe_get(n);
	io_uring_prep_cancel64(sqe, UD_SYNC, 0);
	sqe->user_data = UD_IGNORE;
	r = io_uring_submit_and_wait(n->ring, 1);
	n->unsubmitted = 0;
	while (!harvest(n, &res)) {
		struct io_uring_cqe *cqe;

		if (r < 0 && r != -EINTR && r != -EAGAIN)
			return r;
		r = io_uring_wait_cqe(n->ring, &cqe);
	}
	return res == -ECANCELED ? blocked : res;
}

static int uring_accept(struct nss *n, int fd, struct sockaddr *sa, uint32_t *salen)
{
	struct io_uring_sqe *sqe = sqe_get(n);
	socklen_t len = *salen;
	int r;

	io_uring_prep_accept(sqe, fd, sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	sqe->ioprio |= IORING_ACCEPT_DONTWAIT;
	r = sync_op(n, sqe, -EAGAIN);
	*salen = len;
	return r;
}

static int uring_connect(struct nss *n, int fd, const struct sockaddr *sa, uint32_t salen)
{
	struct io_uring_sqe *sqe = sqe_get(n);

	io_uring_prep_connect(sqe, fd, sa, salen);
	return sync_op(n, sqe, -EINPROGRESS);
}

static int uring_arm(struct nss *n, unsigned i)
{
	arm_sqe(n, i); /* submitted with the next op or wait */
	return 0;
}

static void uring_disarm(struct nss *n, unsigned i)
{
	struct nss_sock *s = &n->sock[i];
	struct io_uring_sqe *sqe;
	int res;

	if (!(s->flags & NSS_S_ARMED))
		return;
	sqe = sqe_get(n);
	io_uring_prep_cancel64(sqe, poll_ud(i, s->gen), 0);
	sqe->user_data = UD_IGNORE;
	s->flags &= (uint8_t)~NSS_S_ARMED;
	/* GETEVENTS runs the cancellation's task work now: the ring lets go of
	 * the socket before the caller closes it. */
	io_uring_submit_and_get_events(n->ring);
	n->unsubmitted = 0;
	harvest(n, &res);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int uring_wait(struct nss *n, int64_t until, const sigset_t *mask)
{
	struct __kernel_timespec ts = {.tv_sec = until / 1000000000, .tv_nsec = until % 1000000000};
	struct io_uring_getevents_arg arg = {
		.ts = (uint64_t)(uintptr_t)&ts,
		.sigmask = (uint64_t)(uintptr_t)mask, /* 0: the mask stays as it is */
		.sigmask_sz = _NSIG / 8,
	};
	unsigned kflags;
	int res, r;

	harvest(n, &res);
	kflags = IO_URING_READ_ONCE(*n->ring->sq.kflags);
	if (n->head >= 0 || (until != 0 && until <= now_ns())) {
		if (n->unsubmitted > 0 || (kflags & (IORING_SQ_TASKRUN | IORING_SQ_CQ_OVERFLOW))) {
			r = io_uring_submit_and_get_events(n->ring);
			n->unsubmitted = 0;
			harvest(n, &res);
			return r < 0 && r != -EINTR ? r : 0;
		}
		return 0; /* nothing could have changed: no system call */
	}
	if ((r = flush(n)) < 0)
		return r;
	if (until == 0)
		r = io_uring_enter2((unsigned)n->fd, 0, 1, IORING_ENTER_GETEVENTS, (sigset_t *)mask,
		                    _NSIG / 8);
	else
		r = io_uring_enter2((unsigned)n->fd, 0, 1,
		                    IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG |
		                            IORING_ENTER_ABS_TIMER,
		                    (sigset_t *)&arg, sizeof(arg));
	harvest(n, &res);
	return r < 0 && r != -ETIME && r != -EINTR ? r : 0;
}

const struct nss_backend nss_uring_backend = {
	.name = "io_uring",
	.accept = uring_accept,
	.connect = uring_connect,
	.arm = uring_arm,
	.disarm = uring_disarm,
	.wait = uring_wait,
};

/* Close the ring, keep errno's story in why. */
static int give_up(struct nss *n, int r, char *why, size_t whylen, const char *what)
{
	snprintf(why, whylen, "%s: %s", what, strerror(-r));
	nss_uring_close(n);
	return r;
}

int nss_uring_open(struct nss *n, unsigned entries, char *why, size_t whylen)
{
	struct io_uring_params p = {.flags = SETUP_FLAGS, .cq_entries = entries};
	struct io_uring_restriction res[sizeof(nss_uring_ops) + 1];
	struct __kernel_timespec past = {0, 1}; /* 1 ns after boot: long past */
	struct io_uring_getevents_arg arg = {.ts = (uint64_t)(uintptr_t)&past};
	int r;

	if (n->ring == NULL) {
		void *m = mmap(NULL, sizeof(*n->ring), PROT_READ | PROT_WRITE,
		               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED) {
			snprintf(why, whylen, "cannot map the ring's state: %s", strerror(errno));
			return -errno;
		}
		n->ring = m;
	}
	if ((r = io_uring_queue_init_params(NSS_RING_SQ, n->ring, &p)) < 0) {
		snprintf(why, whylen, "io_uring_setup: %s", strerror(-r));
		return r;
	}
	n->fd = n->ring->ring_fd;
	memset(res, 0, sizeof(res));
	for (unsigned i = 0; i < nss_uring_nops; i++) {
		res[i].opcode = IORING_RESTRICTION_SQE_OP;
		res[i].sqe_op = nss_uring_ops[i];
	}
	res[nss_uring_nops].opcode = IORING_RESTRICTION_SQE_FLAGS_ALLOWED;
	res[nss_uring_nops].sqe_flags = 0; /* no IOSQE_*: no links, no async, no fixed files */
	if ((r = io_uring_register_restrictions(n->ring, res, nss_uring_nops + 1)) < 0)
		return give_up(n, r, why, whylen, "IORING_REGISTER_RESTRICTIONS");
	if ((r = io_uring_enable_rings(n->ring)) < 0)
		return give_up(n, r, why, whylen, "IORING_REGISTER_ENABLE_RINGS");
	r = io_uring_enter2((unsigned)n->fd, 0, 1,
	                    IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG | IORING_ENTER_ABS_TIMER,
	                    (sigset_t *)&arg, sizeof(arg));
	if (r != -ETIME)
		return give_up(n, r < 0 ? r : -EIO, why, whylen,
		               "IORING_ENTER_ABS_TIMER (needs Linux >= 6.12)");
	return 0;
}

void nss_uring_close(struct nss *n)
{
	if (n->fd >= 0)
		io_uring_queue_exit(n->ring);
	n->fd = -1;
}

void nss_uring_describe(const struct nss *n)
{
	const struct io_uring *r = n->ring;

	dprintf(STDERR_FILENO, "[nh] net: ring fd %d: sq tail %p mask %p array %p sqes %p, "
	        "cq head %p tail %p mask %p cqes %p\n", r->ring_fd, (void *)r->sq.ktail,
	        (void *)r->sq.kring_mask, (void *)r->sq.array, (void *)r->sq.sqes,
	        (void *)r->cq.khead, (void *)r->cq.ktail, (void *)r->cq.kring_mask, (void *)r->cq.cqes);
}
