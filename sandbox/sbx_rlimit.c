/*
 * sbx_rlimit.c - layer 2: resource limits.
 *
 * Contract: sbx_rlimits() sets, soft = hard so nothing can raise them again:
 *   RLIMIT_NOFILE  p->nofile: bounds the descriptors the host can still
 *                  open (descriptors already open stay valid);
 *   RLIMIT_CORE    0: a crash never writes guest memory to disk;
 *   RLIMIT_NPROC   p->nproc (0 for the core host, which never forks; the
 *                  kernel does not apply it to uid 0, and seccomp forbids
 *                  clone anyway: this is for unprivileged users).
 * Limits are only ever lowered: a hard limit already below ours is kept.
 * Dies 125 if getrlimit or setrlimit fails.
 */
#include <sys/resource.h>

#include "host.h"
#include "sandbox.h"

static void lower(int resource, const char *name, rlim_t want)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) != 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: getrlimit(%s)", name);
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
		want = rl.rlim_max;
	rl.rlim_cur = rl.rlim_max = want;
	if (setrlimit(resource, &rl) != 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: setrlimit(%s, %llu)", name,
		             (unsigned long long)want);
}

void sbx_rlimits(const struct sbx_policy *p)
{
	lower(RLIMIT_NOFILE, "RLIMIT_NOFILE", p->nofile);
	lower(RLIMIT_CORE, "RLIMIT_CORE", 0);
	lower(RLIMIT_NPROC, "RLIMIT_NPROC", p->nproc);
}
