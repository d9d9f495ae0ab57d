/*
 * sbx_share.c - the page the supervisor shares with its child (struct
 * sbx_sigshare): made as a memfd, so that it crosses an exec.
 *
 * Contract (sandbox.h has each function's):
 *   sbx_share_make()   in the supervisor, before its fork (sbx_supervise.c).
 *   sbx_share_adopt()  in a foreign image's host, under qemu (host/main.c,
 *       --signal-fd): the page the native nonehost's supervisor made.
 *
 * Why a memfd and not MAP_SHARED|MAP_ANONYMOUS: a foreign image's child
 * execs qemu (host/foreign.c), and an exec drops every mapping; a
 * descriptor it keeps (close-on-exec cleared there, and only there), which
 * the foreign host maps again. The native child uses the same page the
 * same way, through the mapping it inherits: one page for both.
 *
 * Why sealed (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL): the supervisor's
 * handler reads the page; a file shrunk under the mapping would make that
 * read a SIGBUS, which would end the supervisor. The image host closes its
 * descriptor before the guest runs, but the seals make the size a fact
 * rather than a promise, and F_SEAL_SHRINK tells sbx_share_adopt() that a
 * descriptor is such a page: only a memfd made with MFD_ALLOW_SEALING can
 * carry it (a tmpfs file has F_SEAL_SEAL from the start).
 *
 * The calls: memfd_create, ftruncate, fcntl and mmap before the fork, in
 * a process not yet confined; in the foreign host fstat, fcntl and mmap,
 * which the emulator's allowlist has (sandbox/sbx_qemu.c: mmap, fstat,
 * fcntl, any arguments), before the host's own layers (host/main.c: its
 * signals come right after the supervisor's fork, the sandbox last).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

#define SHARE_SEALS (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)

void sbx_give_up(const char *why, const char *what, const struct sbx_exit *at_exit)
{
	int e = errno;

	if (at_exit != NULL && at_exit->run != NULL)
		at_exit->run(at_exit->arg);
	errno = e;
	nh_die_errno(NH_EXIT_USAGE, "%s: %s", why, what);
}

/* The page starts with the actions this process inherited: a signal
 * ignored here is ignored by the image until it says otherwise (the
 * child's signal_init writes the same). */
struct sbx_share sbx_share_make(const char *why, const struct sbx_exit *at_exit)
{
	struct sbx_share sh = {.page = NULL, .fd = -1};
	struct sbx_sigshare *s;
	struct sigaction sa;

	sh.fd = memfd_create("nonehost-signals", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (sh.fd < 0)
		sbx_give_up(why, "memfd_create for the signal page shared with the child", at_exit);
	if (ftruncate(sh.fd, (off_t)sizeof(*s)) != 0)
		sbx_give_up(why, "size the signal page (ftruncate)", at_exit);
	if (fcntl(sh.fd, F_ADD_SEALS, SHARE_SEALS) != 0)
		sbx_give_up(why, "seal the signal page's size (F_ADD_SEALS)", at_exit);
	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE, MAP_SHARED, sh.fd, 0);
	if (s == MAP_FAILED)
		sbx_give_up(why, "map the signal page shared with the child", at_exit);
	for (int sig = 1; sig <= NH_SIGNAL_MAX; sig++) {
		if (!signal_is_guest(sig))
			continue;
		if (sigaction(sig, NULL, &sa) != 0)
			sbx_give_up(why, "read a signal's disposition", at_exit);
		if (sa.sa_handler == SIG_IGN)
			s->action[sig] = NH_SIG_IGNORE;
	}
	sh.page = s;
	return sh;
}

__attribute__((format(printf, 4, 5)))
static bool refuse(int fd, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "--signal-fd %d: ", fd);

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return false;
}

bool sbx_share_adopt(int fd, struct sbx_share *out, char *err, size_t errlen)
{
	const char *what = "the supervisor's signal page";
	struct sbx_sigshare *s;
	struct stat st;
	int seals;

	*out = (struct sbx_share){.page = NULL, .fd = -1};
	if (fstat(fd, &st) != 0)
		return refuse(fd, err, errlen, "not open (%s)", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return refuse(fd, err, errlen, "not a regular file (%s is a memfd)", what);
	if (st.st_size < (off_t)sizeof(*s))
		return refuse(fd, err, errlen, "%lld bytes, fewer than the %zu of %s",
		              (long long)st.st_size, sizeof(*s), what);
	if ((seals = fcntl(fd, F_GET_SEALS)) < 0)
		return refuse(fd, err, errlen, "no seals (%s): not a memfd, as %s is",
		              strerror(errno), what);
	if (!(seals & F_SEAL_SHRINK))
		return refuse(fd, err, errlen, "not sealed against shrinking (F_SEAL_SHRINK), as %s "
		              "is", what);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
		return refuse(fd, err, errlen, "set close-on-exec: %s", strerror(errno));
	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (s == MAP_FAILED)
		return refuse(fd, err, errlen, "map %s: %s", what, strerror(errno));
	*out = (struct sbx_share){.page = s, .fd = fd};
	return true;
}
