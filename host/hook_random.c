/*
 * hook_random.c - NH_OP_GETRANDOM.
 *
 * Contract: getrandom(buf, len) fills [buf, buf+len) of writable guest RAM
 * from the kernel's CSPRNG and returns len. len > NH_GETRANDOM_MAX (256) is
 * -EINVAL; a range that is not writable guest RAM is -EFAULT. Requests of at
 * most 256 bytes are never short once the pool is initialised; it blocks
 * only during early boot before the pool has entropy (a one-off wait).
 */
#include <errno.h>
#include <sys/random.h>

#include "host.h"

int64_t hook_getrandom(struct nh_host *h, const uint64_t a[6])
{
	uint64_t buf = a[0], len = a[1];
	size_t done = 0;

	if (len > NH_GETRANDOM_MAX)
		return -NH_EINVAL;
	if (!ram_writable(h, buf, len))
		return -NH_EFAULT;
	while (done < len) {
		ssize_t n = getrandom((char *)(uintptr_t)buf + done, len - done, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += (size_t)n;
	}
	return (int64_t)done;
}
