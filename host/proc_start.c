/*
 * proc_start.c - NH_OP_PROC_START: a child, asked of the launcher.
 *
 * Contract: start(struct nh_spawn *sp) -> a process handle, the child's pid
 * in sp->pid. The guest is hostile: the struct is copied in once (it must
 * be writable guest RAM: -EFAULT before anything starts), and every
 * pointer in it is checked before it is read. The checks, in this order:
 *   argc 0 -EINVAL; nfds > NH_SPAWN_MAX_FDS -EINVAL; argc + envc >
 *   NH_SPAWN_MAX_STRS -E2BIG;
 *   path, then dir: fsshim_guest_path's rules (-ENAMETOOLONG, -EFAULT,
 *   -EINVAL for a NUL, -ENOENT empty), and absolute (-EINVAL: the guest
 *   joins a relative path to its working directory, and passes its
 *   working directory as dir);
 *   argv then envp: struct nh_str arrays in guest RAM (-EFAULT), each
 *   string copied with its NUL into h->proc.strs (a NUL inside -EINVAL;
 *   an empty string may have any pointer), at most NH_SPAWN_MAX_DATA bytes
 *   in all, NULs included (-E2BIG);
 *   fds: int64 handles (-EFAULT): -1 closed in the child (LAUNCH_FD_CLOSED),
 *   1 and 2 the console (host 1, 2), a stdin, file, pipe or socket handle
 *   its host descriptor, a /dev/null handle LAUNCH_FD_NULL; anything else
 *   (a directory, a process handle, another served device, a pending UNIX
 *   socket, which has no descriptor yet, a free or out-of-range handle)
 *   -EBADF.
 *   The same host descriptor is sent once, however often it is named;
 *   fdmap[] indexes the received descriptors from the first (program,
 *   directory, then the child's);
 *   a free handle for the child (-EMFILE: nothing starts);
 *   the program: the image's own path (h->self, the cleaned path
 *   compared) is LAUNCH_SELF; else the path resolved in the grants
 *   (O_RDONLY|O_NONBLOCK: a FIFO cannot hang the host; links followed), a
 *   regular file (else -EACCES, as execve: a directory, /dev/null, a
 *   synthetic directory) sent as LAUNCH_BY_FD; when that finds nothing
 *   (-ENOENT) or the path lies outside every grant, and the cleaned path is
 *   an --allow-exec PATH (cleaned), LAUNCH_BY_PATH with that option's
 *   value as given; else the resolution's error, except that a path
 *   outside every grant that finds nothing is -EACCES (the image may not
 *   run it, and learns nothing of the host's files);
 *   the directory: resolved O_PATH|O_DIRECTORY (-ENOTDIR...) and sent; a
 *   synthetic one (above the grants) has no host descriptor: the request
 *   says LAUNCH_SYNTHETIC_DIR, and the launcher runs a child image there
 *   (its --cwd), a host program only where the host surely has a
 *   directory of that path (launch_host_dir; else -EACCES). Either way its guest
 *   path (the one the resolution reached it by) goes first among the
 *   strings.
 * Then one request on the control socket and its reply (launch_call,
 * launcher_call.c): a pid with exactly one descriptor, the child's
 * channel, which becomes the handle (kind FSSHIM_PROC, watched by the
 * netstack-shim, no status yet), owned by this process (F_SETOWN
 * getpid(): the launcher made it raise SIGCHLD when the exit arrives,
 * the image's SIGCHLD; an exit already there is signal_child_ended); or
 * -errno from the launcher (it decides
 * what may run: -EACCES, -EAGAIN past --max-procs, ...). A request larger
 * than the control socket takes (EMSGSIZE: net.core.wmem_max below
 * LAUNCH_MAX_MSG) is -E2BIG; a closed control socket or a malformed reply
 * (its size, its descriptors, a truncated control message, a result that
 * is neither a pid nor an errno: 0 too) -EIO, every descriptor received
 * closed. The program's and the directory's descriptors are closed in
 * every case. Nothing allocates; -ENOSYS unless the launcher runs.
 */
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "host.h"

/* The request being built: its header, the descriptors it names. */
struct spawn {
	struct launch_req req;
	const char *path;         /* LAUNCH_BY_PATH: the --allow-exec value */
	char cwd[NH_PATH_MAX + 1]; /* the working directory's guest path */
	int prog, dir;            /* descriptors to close; -1 */
	int child[NH_SPAWN_MAX_FDS]; /* the child's host descriptors, once each */
	unsigned nchild;
	size_t data;              /* bytes in h->proc.strs */
};

/* A guest path that must be absolute (fsshim_guest_path's rules first). */
static int abs_path(const struct nh_host *h, uint64_t p, uint64_t len, char *buf)
{
	int r = fsshim_guest_path(h, p, len, buf);

	if (r == 0 && buf[0] != '/')
		return -NH_EINVAL;
	return r;
}

/* Append n strings (struct nh_str[n] at arr) to h->proc.strs, each with a NUL. */
static int copy_strs(struct nh_host *h, uint64_t arr, uint64_t n, struct spawn *s)
{
	uint64_t bytes;

	if (__builtin_mul_overflow(n, sizeof(struct nh_str), &bytes) ||
	    !ram_readable(h, arr, bytes))
		return -NH_EFAULT;
	for (uint64_t i = 0; i < n; i++) {
		struct nh_str str;
		char *to = h->proc.strs + s->data;

		memcpy(&str, (const void *)(uintptr_t)(arr + i * sizeof(str)), sizeof(str));
		if (str.len >= NH_SPAWN_MAX_DATA - s->data)
			return -NH_E2BIG; /* no room for it and its NUL */
		if (!ram_readable(h, str.ptr, str.len))
			return -NH_EFAULT;
		if (str.len > 0)
			memcpy(to, (const void *)(uintptr_t)str.ptr, str.len);
		if (memchr(to, '\0', str.len) != NULL)
			return -NH_EINVAL;
		to[str.len] = '\0';
		s->data += str.len + 1;
	}
	return 0;
}

/* The index of host descriptor fd among the child's (added once). */
static int32_t child_fd(struct spawn *s, int fd)
{
	unsigned i = 0;

	while (i < s->nchild && s->child[i] != fd)
		i++;
	if (i == s->nchild)
		s->child[s->nchild++] = fd;
	return (int32_t)i;
}

/* fdmap[] from the guest's handles; indexes relative to the child's
 * descriptors (made absolute when the request is sent). */
static int map_fds(struct nh_host *h, uint64_t arr, uint64_t n, struct spawn *s)
{
	if (!ram_readable(h, arr, n * sizeof(int64_t))) /* n <= NH_SPAWN_MAX_FDS */
		return -NH_EFAULT;
	for (uint64_t i = 0; i < n; i++) {
		const struct fsshim_handle *e;
		int64_t v;

		memcpy(&v, (const void *)(uintptr_t)(arr + i * sizeof(v)), sizeof(v));
		if (v == -1) {
			s->req.fdmap[i] = LAUNCH_FD_CLOSED;
			continue;
		}
		if (v == 1 || v == 2) {
			s->req.fdmap[i] = child_fd(s, (int)v);
			continue;
		}
		if (v < 0 || (e = fsshim_handle(&h->fs, (uint64_t)v)) == NULL)
			return -NH_EBADF;
		switch (e->kind) {
		case FSSHIM_STDIN: case FSSHIM_FILE: case FSSHIM_PIPE: case FSSHIM_SOCKET:
		case FSSHIM_CONSOLE:
			if (e->fd < 0)
				return -NH_EBADF; /* a pending UNIX socket: nothing to give yet */
			s->req.fdmap[i] = child_fd(s, e->fd);
			break;
		case FSSHIM_CHRDEV:
			if (e->dev != FSSHIM_DEV_NULL)
				return -NH_EBADF; /* no host descriptor: only /dev/null has the launcher's */
			s->req.fdmap[i] = LAUNCH_FD_NULL;
			break;
		default: /* directories, process handles */
			return -NH_EBADF;
		}
	}
	return 0;
}

/* The --allow-exec value whose cleaned path is clean, or NULL. */
static const char *allowed(const struct nh_host *h, const char *clean)
{
	char c[NH_PATH_MAX + 1];

	for (unsigned i = 0; i < h->opts.nallow_exec; i++)
		if (fsshim_clean(h->opts.allow_exec[i], c, sizeof(c)) > 0 && strcmp(c, clean) == 0)
			return h->opts.allow_exec[i];
	return NULL;
}

static int program(struct nh_host *h, const char *path, struct spawn *s)
{
	char clean[NH_PATH_MAX + 1];
	const char *allow;
	struct fsshim_obj o;
	struct stat st;
	size_t n = fsshim_clean(path, clean, sizeof(clean));
	int r;

	if (n == 0)
		return -NH_ENAMETOOLONG;
	if (h->self[0] != '\0' && strcmp(clean, h->self) == 0) {
		s->req.prog = LAUNCH_SELF;
		return 0;
	}
	r = fsshim_resolve(h, NH_AT_ROOT, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0,
	                   true, false, &o);
	allow = allowed(h, clean);
	if (allow != NULL && (r == -NH_ENOENT || fsshim_grant_of(&h->fs, clean, n) < 0)) {
		fsshim_obj_done(&o);
		s->req.prog = LAUNCH_BY_PATH;
		s->path = allow;
		return 0;
	}
	if (r == -NH_ENOENT && fsshim_grant_of(&h->fs, clean, n) < 0)
		return -NH_EACCES; /* outside the grants: not the image's to run (and
		                    * whether the host has a file there is not its
		                    * business either) */
	if (r < 0)
		return r;
	if (o.fd < 0 || fsshim_fstat(o.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		fsshim_obj_done(&o);
		return -NH_EACCES; /* a directory, /dev/null, a synthetic directory */
	}
	s->req.prog = LAUNCH_BY_FD;
	s->prog = o.fd; /* ours: the resolution opened it */
	return 0;
}

static int workdir(struct nh_host *h, const char *dir, struct spawn *s)
{
	struct fsshim_obj o;
	int r = fsshim_resolve(h, NH_AT_ROOT, dir, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, true, false,
	                       &o);

	if (r < 0)
		return r;
	strcpy(s->cwd, o.guest); /* the path it was reached by, cleaned */
	if (o.fd < 0)
		s->req.flags |= LAUNCH_SYNTHETIC_DIR; /* above the grants: no host directory */
	s->dir = o.fd;
	return 0;
}

/* Send the request (header, [path], strings; the descriptors as
 * SCM_RIGHTS) and take the reply: the pid and *chan, or -errno. */
static int64_t request(struct nh_host *h, struct spawn *s, int *chan)
{
	int rights[LAUNCH_MAX_RIGHTS];
	unsigned nr = 0, first;
	size_t plen = s->path != NULL ? strlen(s->path) + 1 : 0, clen = strlen(s->cwd) + 1;
	struct iovec iov[4] = {
		{&s->req, sizeof(s->req)},
		{(void *)(uintptr_t)s->path, plen},
		{s->cwd, clen},
		{h->proc.strs, s->data},
	};
	int64_t r;

	if (s->prog >= 0)
		rights[nr++] = s->prog;
	if (s->dir >= 0)
		rights[nr++] = s->dir;
	first = nr;
	for (unsigned i = 0; i < s->nchild; i++)
		rights[nr++] = s->child[i];
	for (unsigned i = 0; i < s->req.nfds; i++)
		if (s->req.fdmap[i] >= 0)
			s->req.fdmap[i] += (int32_t)first;
	s->req.strings_len = (uint32_t)(plen + clen + s->data);
	r = launch_call(h, iov, 4, rights, nr, chan);
	if (r == 0) { /* a descriptor but no pid */
		close(*chan);
		return -NH_EIO;
	}
	return r;
}

/* Everything the guest gave, checked and copied: the request's header,
 * strings and descriptors; path and dir copied out. */
static int64_t gather(struct nh_host *h, const struct nh_spawn *sp, struct spawn *s, char *path,
                      char *dir)
{
	int64_t r;

	if (sp->argc == 0 || sp->nfds > NH_SPAWN_MAX_FDS)
		return -NH_EINVAL;
	if (sp->argc > NH_SPAWN_MAX_STRS || sp->envc > NH_SPAWN_MAX_STRS - sp->argc)
		return -NH_E2BIG;
	if ((r = abs_path(h, sp->path, sp->pathlen, path)) < 0 ||
	    (r = abs_path(h, sp->dir, sp->dirlen, dir)) < 0)
		return r;
	s->req = (struct launch_req){.magic = LAUNCH_MAGIC, .argc = (uint32_t)sp->argc,
	                             .envc = (uint32_t)sp->envc, .nfds = (uint32_t)sp->nfds,
	                             .umask = fsshim_umask()};
	for (unsigned i = 0; i < NH_SPAWN_MAX_FDS; i++)
		s->req.fdmap[i] = LAUNCH_FD_CLOSED;
	if ((r = copy_strs(h, sp->argv, sp->argc, s)) < 0 ||
	    (r = copy_strs(h, sp->envv, sp->envc, s)) < 0)
		return r;
	return map_fds(h, sp->fds, sp->nfds, s);
}

int64_t proc_op_start(struct nh_host *h, const uint64_t a[6])
{
	char path[NH_PATH_MAX + 1], dir[NH_PATH_MAX + 1];
	struct spawn s = {.prog = -1, .dir = -1};
	struct nh_spawn sp;
	int64_t r;
	int slot, chan = -1;

	if (!h->proc.ready)
		return -NH_ENOSYS;
	if (!ram_writable(h, a[0], sizeof(sp)))
		return -NH_EFAULT;
	memcpy(&sp, (const void *)(uintptr_t)a[0], sizeof(sp));
	if ((r = gather(h, &sp, &s, path, dir)) < 0)
		return r;
	if ((slot = fsshim_handle_alloc(&h->fs)) < 0)
		return slot; /* before anything runs: no child goes unseen */
	r = program(h, path, &s);
	if (r == 0)
		r = workdir(h, dir, &s);
	if (r == 0)
		r = request(h, &s, &chan);
	if (s.prog >= 0)
		close(s.prog);
	if (s.dir >= 0)
		close(s.dir);
	if (r < 0)
		return r;
	fsshim_handle_set(&h->fs, slot, FSSHIM_PROC, chan, -1, NULL);
	nss_watch(h, (unsigned)slot, chan);
	/* The image's SIGCHLD: the channel raises it when the exit arrives
	 * (launcher.c made it so) once it has an owner. An exit that came
	 * first found none: look once. Should the owner not take, the exit
	 * still comes through WAIT; only the signal is lost. */
	if (fcntl(chan, F_SETOWN, getpid()) == 0 &&
	    poll(&(struct pollfd){.fd = chan, .events = POLLIN}, 1, 0) == 1)
		signal_child_ended(h);
	h->proc.status[slot] = 0;
	h->proc.ended[slot] = 0;
	sp.pid = r;
	memcpy((void *)(uintptr_t)(a[0] + offsetof(struct nh_spawn, pid)), &sp.pid, sizeof(sp.pid));
	return slot;
}
