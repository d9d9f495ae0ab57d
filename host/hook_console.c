/*
 * hook_console.c - NH_OP_EXIT, NH_OP_WRITE, NH_OP_PRINTK: the console.
 *
 * Contract:
 *   exit(status)       flush the console, exit_group(status & 0xff).
 *   write(fd, buf, len) fd must be 1 or 2 (else -EBADF); [buf, buf+len) must
 *                      be readable guest RAM (else -EFAULT). Flushes pending
 *                      printk bytes first so output keeps its order, then
 *                      writes all of it, retrying partial writes and EINTR
 *                      (and waiting for POLLOUT on a non-blocking fd). Returns
 *                      len, or the bytes written before an error, or -errno.
 *                      No reader (EPIPE): the image ends killed by SIGPIPE
 *                      while SIGPIPE's action is DEFAULT (signal_die), as a
 *                      Go program on Linux does; -EPIPE otherwise.
 *   printk(byte)       append to a buffer that goes to stderr (like the Go
 *                      runtime's print on Linux); flushed at '\n', when full,
 *                      before write and idle, and at exit or fault. Returns 0.
 *   close(1|2)         (FS_CLOSE, hook_console_close) /dev/null is put in
 *                      its place with dup3, so whoever reads it sees the
 *                      end and the number stays ours; WRITE to it is then
 *                      -EBADF, a second close -EBADF, as on Linux. Host
 *                      reports on a closed 2 go to /dev/null.
 * hook_console_flush() uses only write(2), so the fault handler may call it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

void hook_console_open(struct nh_host *h)
{
	h->console_closed = 0;
	if ((h->console_null = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot open /dev/null");
}

void hook_console_policy(struct nh_host *h, struct sbx_policy *p)
{
	for (scmp_datum_t fd = 1; fd <= 2; fd++)
		SBX_ALLOW(p, SCMP_SYS(dup3), "console: CLOSE of 1 or 2 puts /dev/null there",
		          SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)h->console_null),
		          SCMP_A1(SCMP_CMP_EQ, fd), SCMP_A2(SCMP_CMP_EQ, 0));
}

int64_t hook_console_close(struct nh_host *h, uint64_t fd)
{
	if ((fd != 1 && fd != 2) || (h->console_closed & (1u << fd)))
		return -NH_EBADF;
	hook_console_flush(h);
	/* By number: musl's dup3 with no flags is dup2, which the filter refuses. */
	if (syscall(SYS_dup3, h->console_null, (int)fd, 0) != (long)fd)
		return -errno;
	h->console_closed |= 1u << fd;
	return 0;
}

/* Write all of [p, p+n) to fd. Returns n, the count before an error, or -errno. */
static int64_t write_all(int fd, const char *p, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t k = write(fd, p + done, n - done);

		if (k >= 0) {
			done += (size_t)k;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			struct pollfd pfd = {.fd = fd, .events = POLLOUT};

			if (poll(&pfd, 1, -1) >= 0 || errno == EINTR)
				continue;
		}
		return done > 0 ? (int64_t)done : -errno;
	}
	return (int64_t)done;
}

void hook_console_flush(struct nh_host *h)
{
	if (h->pk_len > 0) {
		write_all(STDERR_FILENO, h->pk_buf, h->pk_len);
		h->pk_len = 0;
	}
}

int64_t hook_exit(struct nh_host *h, const uint64_t a[6])
{
	hook_console_flush(h);
	_exit((int)(a[0] & 0xff)); /* glibc's and musl's _exit are exit_group */
}

int64_t hook_write(struct nh_host *h, const uint64_t a[6])
{
	uint64_t fd = a[0], buf = a[1], len = a[2];
	int64_t r;

	if ((fd != 1 && fd != 2) || (h->console_closed & (1u << fd)))
		return -NH_EBADF;
	if (!ram_readable(h, buf, len))
		return -NH_EFAULT;
	hook_console_flush(h);
	r = write_all((int)fd, (const char *)(uintptr_t)buf, len);
	/* The console's reader is gone: a Linux Go program writing to its
	 * standard output or error dies of SIGPIPE there (os.epipecheck), and
	 * so does this one, unless it ignores SIGPIPE (-EPIPE) or catches it
	 * (-EPIPE, and the kernel ran signal.c's handler: the bit is set).
	 * The kernel's disposition is SIG_IGN otherwise (signal.c). */
	if (r == -EPIPE && h->sig.action[SIGPIPE] == NH_SIG_DEFAULT)
		signal_die(h, SIGPIPE);
	return r;
}

int64_t hook_printk(struct nh_host *h, const uint64_t a[6])
{
	char c = (char)a[0];

	h->pk_buf[h->pk_len++] = c;
	if (c == '\n' || h->pk_len == sizeof(h->pk_buf))
		hook_console_flush(h);
	return 0;
}
