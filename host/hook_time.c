/*
 * hook_time.c - NH_OP_NANOTIME, NH_OP_WALLTIME, NH_OP_IDLE: clocks and sleep.
 *
 * Contract:
 *   nanotime()   CLOCK_MONOTONIC in ns (vDSO, no system call).
 *   walltime()   CLOCK_REALTIME in ns since the Unix epoch.
 *   idle(until)  flush the console, then sleep until CLOCK_MONOTONIC reaches
 *                until (ns) with clock_nanosleep(TIMER_ABSTIME): the process
 *                uses no CPU meanwhile. Returns 0, also when woken early by a
 *                signal (the guest re-checks its timers anyway). A deadline
 *                in the past returns at once; one above INT64_MAX means
 *                INT64_MAX (292 years). until == 0 ("no deadline")
 *                returns -EDEADLK: with no host I/O sources yet, nothing
 *                could ever wake a single-threaded guest. (When asynchronous
 *                I/O lands, until == 0 will mean "until an I/O completion".)
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
	struct timespec ts = {
		.tv_sec = (time_t)(until / 1000000000u), /* < 2^63/1e9: fits time_t */
		.tv_nsec = (long)(until % 1000000000u),
	};
	int rc;

	if (until == 0)
		return -NH_EDEADLK;
	hook_console_flush(h);
	if ((int64_t)until <= clock_ns(CLOCK_MONOTONIC))
		return 0; /* already due: no system call */
	rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	if (rc != 0 && rc != EINTR)
		return -rc;
	return 0;
}
