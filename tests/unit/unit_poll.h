/*
 * unit_poll.h - readiness reports for the op suites that wait on IDLE
 * (check_proc.c, check_net_unix.c): seen[tag] collects the events reported
 * for each tag and not yet consumed. Include after host.h and unit.h.
 */
#ifndef NONEHOST_UNIT_POLL_H
#define NONEHOST_UNIT_POLL_H

#include <string.h>
#include <time.h>

static inline int64_t unit_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* IDLE (at most 3 s) until tag has reported one of bits; other tags'
 * reports kept in seen[] (ntags long). What tag reported (consumed), or 0. */
static inline uint32_t unit_wait_tag(struct nh_host *h, uint64_t *scratch, uint32_t *seen,
                                     uint64_t ntags, uint64_t tag, uint32_t bits)
{
	uint64_t ev = unit_galloc(scratch, 8 * sizeof(struct nh_pollev));
	int64_t deadline = unit_now_ns() + 3000000000;
	uint32_t got;

	while (!(seen[tag] & bits) && unit_now_ns() < deadline) {
		int64_t k = hook_idle(h, (const uint64_t[6]){(uint64_t)deadline, ev, 8});

		ck_assert_int_ge(k, 0);
		for (int64_t j = 0; j < k; j++) {
			struct nh_pollev pe;

			memcpy(&pe, G(ev + (uint64_t)j * sizeof(pe)), sizeof(pe));
			ck_assert_uint_lt(pe.tag, ntags);
			seen[pe.tag] |= pe.events;
		}
	}
	got = seen[tag];
	seen[tag] = 0;
	return got;
}

/* Every report there is now, into seen[]. */
static inline void unit_drain(struct nh_host *h, uint64_t *scratch, uint32_t *seen)
{
	uint64_t ev = unit_galloc(scratch, 8 * sizeof(struct nh_pollev));
	int64_t k;

	while ((k = hook_idle(h, (const uint64_t[6]){1, ev, 8})) > 0)
		for (int64_t j = 0; j < k; j++) {
			struct nh_pollev pe;

			memcpy(&pe, G(ev + (uint64_t)j * sizeof(pe)), sizeof(pe));
			seen[pe.tag] |= pe.events;
		}
	ck_assert_int_eq(k, 0);
}

#endif
