/*
 * proc.c - NH_OP_PROC_PIPE, WAIT, KILL, SELF, and the process ops' set-up
 * (START is proc_start.c's). nonehost_abi.h "Processes" is the contract
 * with the guest, launcher.h the one with the launcher.
 *
 * Contract:
 *   proc_setup()  after launcher_start() (host/main.c), only when the
 *          launcher runs (h->proc.ready): maps, MAP_NORESERVE, a status and
 *          an ended flag per fs-shim handle and the buffer START copies the
 *          guest's strings into (serving the guest allocates nothing;
 *          launcher_start raised the control socket's send buffer for a
 *          request of LAUNCH_MAX_MSG bytes where the system allows it);
 *          ignores SIGPIPE from here on: a write to a pipe without a reader
 *          is -EPIPE, never a signal (the launcher resets its children's
 *          signals itself). Dies 125 if it cannot.
 *   pipe(int32 fd[2])  pipe2(O_NONBLOCK|O_CLOEXEC); both ends become
 *          handles of kind FSSHIM_PIPE (fd[0] the read end), both taken
 *          before the pipe is made: -EMFILE leaves nothing behind. The
 *          netstack-shim watches them (nss_watch) for NET_POLL.
 *   wait(handle, int32 *status)  a process handle only, else -EBADF (as
 *          waitid(P_PIDFD) with a descriptor that is no pidfd); status
 *          must be writable (-EFAULT, checked first: a status is never
 *          received and lost). A status received before is answered again;
 *          otherwise one struct launch_exit is taken from the channel
 *          without waiting: there (exactly its size) -> stored, answered,
 *          0; nothing yet -> -EAGAIN; the channel ended, or a datagram of
 *          another size -> -ECHILD. A KILL the launcher never read (the
 *          child ended first) loses nothing: the status still comes.
 *   kill(handle, sig)  a process handle only (-EBADF), sig 1..64 (else
 *          -EINVAL; no "0": the ABI has none); once its status came
 *          -ESRCH; else a struct launch_kill to the launcher without
 *          waiting; a channel the launcher has closed (the child was
 *          reaped) -> -ESRCH; a full channel -> -EAGAIN.
 *   proc_dup()  FS_DUP of a pipe or process handle: the same kind on the
 *          new descriptor, watched afresh; a process handle's copy takes
 *          the status if it came. The channel is one: whichever handle
 *          receives the status first has it, the other then sees the end
 *          (-ECHILD). The guest dups a process handle only to poll it.
 * Every op is -ENOSYS unless the launcher runs; nothing here blocks,
 * allocates or exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host.h"

void proc_setup(struct nh_host *h)
{
	struct nh_proc *p = &h->proc;
	const size_t n = h->fs.nhandles;
	uint8_t *area;

	if (!p->ready)
		return;
	area = mmap(NULL, n * (sizeof(int32_t) + 1) + NH_SPAWN_MAX_DATA, PROT_READ | PROT_WRITE,
	            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (area == MAP_FAILED)
		nh_die_errno(NH_EXIT_USAGE, "cannot map the process tables (%zu handles)", n);
	p->status = (int32_t *)(void *)area;
	p->ended = area + n * sizeof(int32_t);
	p->strs = (char *)p->ended + n;
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		nh_die_errno(NH_EXIT_USAGE, "cannot ignore SIGPIPE");
}

/* The process handle fd, or NULL with *err set. */
static struct fsshim_handle *proc_handle(struct nh_host *h, uint64_t fd, int64_t *err)
{
	struct fsshim_handle *e = fsshim_handle(&h->fs, fd);

	if (!h->proc.ready) {
		*err = -NH_ENOSYS;
		return NULL;
	}
	if (e == NULL || e->kind != FSSHIM_PROC) {
		*err = -NH_EBADF;
		return NULL;
	}
	return e;
}

int64_t proc_op_pipe(struct nh_host *h, const uint64_t a[6])
{
	struct fsshim *fs = &h->fs;
	int32_t out[2];
	int rd, wr, fd[2];

	if (!h->proc.ready)
		return -NH_ENOSYS;
	if (!ram_writable(h, a[0], sizeof(out)))
		return -NH_EFAULT;
	if ((rd = fsshim_handle_alloc(fs)) < 0)
		return rd;
	fsshim_handle_set(fs, rd, FSSHIM_PIPE, -1, -1, NULL); /* held while the second is found */
	if ((wr = fsshim_handle_alloc(fs)) < 0) {
		fsshim_handle_free(fs, rd);
		return wr;
	}
	if (pipe2(fd, O_NONBLOCK | O_CLOEXEC) != 0) {
		int r = -errno;

		fsshim_handle_free(fs, rd);
		return r;
	}
	fsshim_handle_set(fs, rd, FSSHIM_PIPE, fd[0], -1, NULL);
	fsshim_handle_set(fs, wr, FSSHIM_PIPE, fd[1], -1, NULL);
	nss_watch(h, (unsigned)rd, fd[0]);
	nss_watch(h, (unsigned)wr, fd[1]);
	out[0] = rd;
	out[1] = wr;
	memcpy((void *)(uintptr_t)a[0], out, sizeof(out));
	return 0;
}

int64_t proc_op_wait(struct nh_host *h, const uint64_t a[6])
{
	struct nh_proc *p = &h->proc;
	struct fsshim_handle *e;
	unsigned char msg[sizeof(struct launch_exit) + 1]; /* one more: a longer one shows */
	struct launch_exit ex;
	ssize_t n;
	int64_t r;

	if ((e = proc_handle(h, a[0], &r)) == NULL)
		return r;
	if (!ram_writable(h, a[1], sizeof(int32_t)))
		return -NH_EFAULT;
	if (!p->ended[a[0]]) {
		/* ECONNRESET: the launcher closed its end with KILLs unread (the
		 * child ended before it read them). The kernel says so once,
		 * ahead of the status queued behind it. */
		do
			n = recv(e->fd, msg, sizeof(msg), MSG_DONTWAIT);
		while (n < 0 && (errno == EINTR || errno == ECONNRESET));
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return -NH_EAGAIN;
		if (n != (ssize_t)sizeof(ex))
			return -NH_ECHILD; /* the end, an error, or not a launch_exit */
		memcpy(&ex, msg, sizeof(ex));
		p->status[a[0]] = ex.status;
		p->ended[a[0]] = 1;
	}
	memcpy((void *)(uintptr_t)a[1], &p->status[a[0]], sizeof(int32_t));
	return 0;
}

int64_t proc_op_kill(struct nh_host *h, const uint64_t a[6])
{
	struct fsshim_handle *e;
	struct launch_kill k;
	ssize_t n;
	int64_t r;

	if ((e = proc_handle(h, a[0], &r)) == NULL)
		return r;
	if (a[1] < 1 || a[1] > 64)
		return -NH_EINVAL;
	if (h->proc.ended[a[0]])
		return -NH_ESRCH;
	k.sig = (int32_t)a[1];
	do
		n = send(e->fd, &k, sizeof(k), MSG_DONTWAIT | MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(k))
		return 0;
	if (n >= 0)
		return -NH_EIO; /* a datagram goes whole or not at all */
	if (errno == EPIPE || errno == ECONNRESET || errno == ENOTCONN)
		return -NH_ESRCH; /* reaped: the launcher closed its end */
	return -errno;
}

int64_t proc_dup(struct nh_host *h, unsigned handle, int slot, int fd)
{
	const uint8_t kind = h->fs.handle[handle].kind;

	fsshim_handle_set(&h->fs, slot, kind, fd, -1, NULL);
	nss_watch(h, (unsigned)slot, fd);
	if (kind == FSSHIM_PROC && h->proc.status != NULL) {
		h->proc.status[slot] = h->proc.status[handle];
		h->proc.ended[slot] = h->proc.ended[handle];
	}
	return slot;
}
