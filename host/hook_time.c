/*
 * hook_time.c - NH_OP_NANOTIME, NH_OP_WALLTIME, NH_OP_NOW, NH_OP_IDLE:
 * clocks, sleep and the network's readiness.
 *
 * Contract:
 *   nanotime()   CLOCK_MONOTONIC in ns (vDSO, no system call).
 *   walltime()   CLOCK_REALTIME in ns since the Unix epoch.
 *   now(mono)    walltime(), then nanotime() stored at mono (8 bytes of
 *                writable guest RAM, checked first: -EFAULT). time.Now
 *                wants both: one crossing instead of two, which under
 *                qemu-user saves about 0.2 us of emulated dispatch.
 *   idle(until, ev, cap)  flush the console, then wait until CLOCK_MONOTONIC
 *                reaches until (ns) or a handle registered with NET_POLL (a
 *                socket, a pipe, a process) reports a change, and store at
 *                most cap struct nh_pollev reports at ev; returns how many
 *                (0 when only the time came). cap > 0 needs ev writable for cap reports
 *                (-EFAULT); cap 0 (old callers) ignores ev and reports
 *                nothing. Reports already pending return at once (the
 *                rest stay for the next call). A deadline in the past does
 *                not wait (the guest's netpoll(0)); one above INT64_MAX
 *                means INT64_MAX (292 years); until == 0 means no deadline.
 *                With nothing registered and nothing pending (always so
 *                for a guest without sockets, pipes or processes): until
 *                == 0 is -EDEADLK (nothing could ever wake a
 *                single-threaded guest; unless it catches a signal: below),
 *                a past deadline returns 0 with no system call, otherwise
 *                clock_nanosleep(TIMER_ABSTIME) sleeps (the process uses no
 *                CPU meanwhile; woken early by a signal it returns 0: the
 *                guest re-checks its timers anyway). Otherwise the
 *                netstack-shim waits (nss_idle: its backend's ring or epoll
 *                instance, same deadline).
 *                While the guest catches a signal (signal.c) IDLE must not
 *                miss one: it blocks the caught signals, then looks at
 *                hostblock.sig_pending. A bit set: no wait (with sockets,
 *                the reports already there, collected without waiting;
 *                otherwise 0). None: it waits as above but with the mask
 *                from before handed to the wait itself (epoll_pwait2's,
 *                io_uring's sigmask; instead of the sleep,
 *                ppoll(NULL, 0, timeout, mask), and for until == 0 with
 *                nothing registered a wait for a signal instead of
 *                -EDEADLK, unless every caught signal is
 *                NH_SIG_CATCH_NOWAIT), so that a signal after the look ends the wait
 *                (EINTR: 0), then the mask is put back. With no signal
 *                caught none of this runs: no system call more.
 * The only blocking op of the ABI.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "host.h"

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t nh_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

int64_t hook_nanotime(struct nh_host *h, const uint64_t a[6])
{
	(void)h;
	(void)a;
	return clock_ns(CLOCK_MONOTONIC);
}

int64_t hook_walltime(struct nh_host *h, const uint64_t a[6])
{
	(void)h;
	(void)a;
	return clock_ns(CLOCK_REALTIME);
}

int64_t hook_now(struct nh_host *h, const uint64_t a[6])
{
	int64_t wall, mono;

	if (!ram_writable(h, a[0], sizeof(mono)))
		return -NH_EFAULT;
	wall = clock_ns(CLOCK_REALTIME);
	mono = clock_ns(CLOCK_MONOTONIC);
	memcpy((void *)(uintptr_t)a[0], &mono, sizeof(mono));
	return wall;
}

/* Until until (0: none) or a signal: ppoll with no descriptor and the
 * caller's mask, its timeout relative (ppoll has no absolute one; IDLE may
 * return early and the guest's timers tolerate the late microseconds). */
static int64_t wait_signal(uint64_t until, const sigset_t *mask)
{
	struct timespec rel, *tp = NULL;

	if (until != 0) {
		int64_t left = (int64_t)until - clock_ns(CLOCK_MONOTONIC);

		if (left <= 0)
			return 0;
		rel = (struct timespec){.tv_sec = (time_t)(left / 1000000000),
		                        .tv_nsec = left % 1000000000};
#if UINTPTR_MAX <= UINT32_MAX
		/* 32-bit: as for clock_nanosleep below, 68 years at most, so that
		 * glibc's ppoll stays the 32-bit call (qemu-arm 7.2 has no
		 * ppoll_time64) */
		if (rel.tv_sec > INT32_MAX)
			rel = (struct timespec){.tv_sec = INT32_MAX, .tv_nsec = 0};
#endif
		tp = &rel;
	}
	if (ppoll(NULL, 0, tp, mask) < 0 && errno != EINTR)
		return -errno;
	return 0;
}

/* IDLE while the guest catches a signal (the contract above). */
static int64_t idle_catching(struct nh_host *h, uint64_t until, uint64_t ev, uint64_t cap,
                             bool net)
{
	sigset_t old;
	int64_t r;

	hook_console_flush(h);
	if (!net && until != 0 && (int64_t)until <= clock_ns(CLOCK_MONOTONIC))
		return 0; /* already due: no system call */
	if (signal_idle_begin(h, &old))
		r = net ? nss_idle(h, 1, ev, cap, NULL) : 0; /* until 1: long past, no wait */
	else if (net)
		r = nss_idle(h, until, ev, cap, &old);
	else if (until == 0 && h->sig.nwaited == 0)
		r = -NH_EDEADLK; /* only NOWAIT signals: nobody waits for them */
	else
		r = wait_signal(until, &old);
	signal_idle_end(&old);
	return r;
}

int64_t hook_idle(struct nh_host *h, const uint64_t a[6])
{
	uint64_t until = a[0] > INT64_MAX ? INT64_MAX : a[0]; /* "never" stays never */
	uint64_t cap = a[2], bytes;
	struct timespec ts = {
		.tv_sec = (time_t)(until / 1000000000u), /* < 2^63/1e9: fits time_t */
		.tv_nsec = (long)(until % 1000000000u),
	};
	int rc;

	if (cap > 0 && (__builtin_mul_overflow(cap, sizeof(struct nh_pollev), &bytes) ||
	                !ram_writable(h, a[1], bytes)))
		return -NH_EFAULT;
	if (h->sig.ncaught > 0)
		return idle_catching(h, until, a[1], cap, h->net.ready && nss_active(&h->net));
	if (h->net.ready && nss_active(&h->net)) {
		hook_console_flush(h);
		return nss_idle(h, until, a[1], cap, NULL);
	}
	if (until == 0)
		return -NH_EDEADLK;
	hook_console_flush(h);
	if ((int64_t)until <= clock_ns(CLOCK_MONOTONIC))
		return 0; /* already due: no system call */
#if UINTPTR_MAX <= UINT32_MAX
	/* 32-bit: a deadline past 2^31 s of uptime (68 years) is cut to that,
	 * as IDLE may return early, so glibc's clock_nanosleep stays the 32-bit
	 * call (qemu-arm 7.2 has no clock_nanosleep_time64: EOVERFLOW) */
	if (ts.tv_sec > INT32_MAX)
		ts = (struct timespec){.tv_sec = INT32_MAX, .tv_nsec = 0};
#endif
	rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	if (rc != 0 && rc != EINTR)
		return -rc;
	return 0;
}
