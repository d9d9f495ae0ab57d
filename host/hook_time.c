/*
 * hook_time.c - NH_OP_NANOTIME, NH_OP_WALLTIME, NH_OP_IDLE: clocks, sleep
 * and the network's readiness.
 *
 * Contract:
 *   nanotime()   CLOCK_MONOTONIC in ns (vDSO, no system call).
 *   walltime()   CLOCK_REALTIME in ns since the Unix epoch.
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
 *                single-threaded guest),
 *                a past deadline returns 0 with no system call, otherwise
 *                clock_nanosleep(TIMER_ABSTIME) sleeps (the process uses no
 *                CPU meanwhile; woken early by a signal it returns 0: the
 *                guest re-checks its timers anyway). Otherwise the
 *                netstack-shim waits (nss_idle: its backend's ring or epoll
 *                instance, same deadline).
 * The only blocking op of the ABI.
 */
#include <errno.h>
#include <time.h>

#include "host.h"

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
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
	if (h->net.ready && nss_active(&h->net)) {
		hook_console_flush(h);
		return nss_idle(h, until, a[1], cap);
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
