/*
 * launcher_msg.c - the launcher's pure parts: a request checked, and the
 * command line of a child image (launcher.h has the rules).
 *
 * Contract: no system call, no allocation, no global state; unit-tested
 * (tests/unit/check_launcher.c).
 *   launch_parse()       a request as received: every field and every
 *       byte checked against the descriptors that came with it, as if a
 *       hostile image had written it (it may have). 0 or -errno.
 *   launch_vectors()     argv and envp pointers into the checked strings.
 *   launch_is_sock(), launch_sock_parse()  a UNIX socket request told from
 *       a launch_req by its magic, and checked the same way.
 *   launch_words()       the options a child image inherits, from the
 *       parent's context, once, before the launcher forks.
 *   launch_image_argv()  per child image: nonehost, those words (the --dir
 *       ones replaced by NONEHOST_FLAGS's, when the child's envp has it),
 *       the request's own (--cwd, --parent-pid),
 *       "--", the image, the guest's arguments. Every word it makes is one
 *       host/cli.c accepts (unit-tested with cli_parse, fuzzed by
 *       tests/fuzz/fuzz_launch.c); NONEHOST_FLAGS's words are checked by
 *       name only, and a bad value is the child's usage error (125), as
 *       the same variable is for an image started by its path.
 *   launch_image_envp()  per child image: its envp, TMPDIR the parent's
 *       private TMPDIR.
 *   launch_program_envp() per granted host program: its envp,
 *       NONEHOST_CHILD_FLAGS a child image's words (for host/goexec.c).
 *   launch_inherit()     per child image with descriptors beyond 0-2: the
 *       word that tells it how many (--inherit-fds, host/inherit.c);
 *       launch_lifeline_fd() where its lifeline goes, above them.
 *   launch_host_dir()    per host program asked to run in a synthetic
 *       directory: the host directory it runs in, or none.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "host.h"

_Static_assert(LAUNCH_FLAGS_MAX == BINFMT_FLAGS_MAX, "NONEHOST_FLAGS: as many words as binfmt.c");
_Static_assert(sizeof(struct launch_req) == 96, "launch_req is 96 bytes");
_Static_assert(LAUNCH_MAX_RIGHTS < 32, "the descriptors' use fits a 32-bit mask");

/* ---- launch_parse ------------------------------------------------------ */

/* The fdmap of the first nfds descriptors: each entry NULL, CLOSED or the
 * index of one of the child's descriptors among all received (base <= k <
 * nrights); every one of those used at least once. */
static int check_fdmap(const struct launch_req *rq, unsigned base, unsigned nrights)
{
	uint32_t used = 0;

	for (uint32_t i = 0; i < rq->nfds; i++) {
		int32_t k = rq->fdmap[i];

		if (k == LAUNCH_FD_NULL || k == LAUNCH_FD_CLOSED)
			continue;
		if (k < (int32_t)base || (uint32_t)k >= nrights)
			return -EINVAL;
		used |= UINT32_C(1) << k;
	}
	return used == ((UINT32_C(1) << nrights) - 1) >> base << base ? 0 : -EINVAL;
}

/* Exactly n NUL-terminated strings fill s[0..len). */
static int check_strings(const char *s, size_t len, size_t n)
{
	size_t off = 0;

	for (size_t i = 0; i < n; i++) {
		const char *nul = memchr(s + off, '\0', len - off);

		if (nul == NULL)
			return -EINVAL; /* a string without its NUL, or fewer strings */
		off = (size_t)(nul - s) + 1;
	}
	return off == len ? 0 : -EINVAL; /* bytes left over: more strings, or junk */
}

int launch_parse(const void *buf, size_t len, int msg_flags, unsigned nrights,
                 struct launch_parsed *out)
{
	struct launch_req rq;
	const char *strs = (const char *)buf + sizeof(rq), *cwd;
	unsigned fixed;
	size_t nstr, pathlen = 0, cwdlen;
	bool synthetic;
	int r;

	if (msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		return -E2BIG;
	if (len < sizeof(rq))
		return -EINVAL;
	memcpy(&rq, buf, sizeof(rq));
	if (rq.magic != LAUNCH_MAGIC)
		return -EINVAL;
	if (rq.prog != LAUNCH_BY_FD && rq.prog != LAUNCH_BY_PATH && rq.prog != LAUNCH_SELF)
		return -EINVAL;
	if (rq.argc < 1)
		return -EINVAL;
	if (rq.argc > NH_SPAWN_MAX_STRS || rq.envc > NH_SPAWN_MAX_STRS - rq.argc)
		return -E2BIG;
	if (rq.nfds > NH_SPAWN_MAX_FDS)
		return -EINVAL;
	if ((rq.flags & ~LAUNCH_SYNTHETIC_DIR) != 0 || (rq.umask & ~0777u) != 0)
		return -EINVAL;
	synthetic = rq.flags & LAUNCH_SYNTHETIC_DIR;
	if (rq.strings_len != len - sizeof(rq))
		return -EINVAL;
	fixed = (rq.prog == LAUNCH_BY_FD ? 1u : 0u) + (synthetic ? 0u : 1u);
	if (nrights < fixed || nrights - fixed > NH_SPAWN_MAX_FDS)
		return -EINVAL;
	if ((r = check_fdmap(&rq, fixed, nrights)) != 0)
		return r;
	nstr = (rq.prog == LAUNCH_BY_PATH ? 1u : 0u) + 1u + (size_t)rq.argc + rq.envc;
	if ((r = check_strings(strs, rq.strings_len, nstr)) != 0)
		return r;
	if (rq.prog == LAUNCH_BY_PATH) {
		pathlen = strlen(strs);
		if (pathlen == 0)
			return -ENOENT;
		if (pathlen > NH_PATH_MAX)
			return -ENAMETOOLONG;
	}
	cwd = rq.prog == LAUNCH_BY_PATH ? strs + pathlen + 1 : strs;
	cwdlen = strlen(cwd);
	if (cwd[0] != '/')
		return -EINVAL; /* the guest joined it to nothing: not a path we can pass */
	if (cwdlen > NH_PATH_MAX)
		return -ENAMETOOLONG;
	if (rq.strings_len - (rq.prog == LAUNCH_BY_PATH ? pathlen + 1 : 0) - (cwdlen + 1) >
	    NH_SPAWN_MAX_DATA)
		return -E2BIG;
	*out = (struct launch_parsed){
		.prog = rq.prog,
		.argc = rq.argc,
		.envc = rq.envc,
		.nfds = rq.nfds,
		.umask = rq.umask,
		.path = rq.prog == LAUNCH_BY_PATH ? strs : NULL,
		.cwd = cwd,
		.strs = cwd + cwdlen + 1,
		.prog_fd = 0,
		.dir = synthetic ? -1 : (int)fixed - 1,
		.base = fixed,
		.nchild = nrights - fixed,
	};
	memcpy(out->fdmap, rq.fdmap, sizeof(out->fdmap));
	return 0;
}

void launch_vectors(const struct launch_parsed *p, char **argv, char **envp)
{
	/* The strings lie in the launcher's own (writable) receive buffer. */
	char *s = (char *)(uintptr_t)p->strs;

	for (uint32_t i = 0; i < p->argc; i++, s += strlen(s) + 1)
		argv[i] = s;
	argv[p->argc] = NULL;
	for (uint32_t i = 0; i < p->envc; i++, s += strlen(s) + 1)
		envp[i] = s;
	envp[p->envc] = NULL;
}

/* ---- launch_sock_parse ------------------------------------------------- */

_Static_assert(sizeof(struct launch_sock_req) == 16, "launch_sock_req is 16 bytes");

bool launch_is_sock(const void *buf, size_t len)
{
	uint32_t magic;

	if (len < sizeof(magic))
		return false;
	memcpy(&magic, buf, sizeof(magic));
	return magic == LAUNCH_SOCK_MAGIC;
}

int launch_sock_parse(const void *buf, size_t len, int msg_flags, unsigned nrights,
                      struct launch_sock_parsed *out)
{
	struct launch_sock_req rq;
	const char *name = (const char *)buf + sizeof(rq);

	if (msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		return -E2BIG;
	if (len < sizeof(rq))
		return -EINVAL;
	memcpy(&rq, buf, sizeof(rq));
	if (rq.magic != LAUNCH_SOCK_MAGIC)
		return -EINVAL;
	if (rq.op != LAUNCH_SOCK_BIND && rq.op != LAUNCH_SOCK_CONNECT)
		return -EINVAL;
	if (rq.namelen != len - sizeof(rq))
		return -EINVAL;
	if (nrights != 1)
		return -EINVAL; /* the directory, or the socket's inode: exactly one */
	if (rq.op == LAUNCH_SOCK_CONNECT) {
		if (rq.namelen != 0 || rq.umask != 0)
			return -EINVAL;
		*out = (struct launch_sock_parsed){.op = rq.op};
		return 0;
	}
	if ((rq.umask & ~0777u) != 0)
		return -EINVAL;
	if (rq.namelen == 0 || memchr(name, '/', rq.namelen) != NULL ||
	    memchr(name, '\0', rq.namelen) != NULL)
		return -EINVAL; /* one name in the directory, nothing else */
	if ((rq.namelen == 1 && name[0] == '.') ||
	    (rq.namelen == 2 && name[0] == '.' && name[1] == '.'))
		return -EINVAL;
	if (rq.namelen > LAUNCH_SOCK_NAME_MAX)
		return -ENAMETOOLONG;
	out->op = rq.op;
	out->umask = rq.umask;
	memcpy(out->name, name, rq.namelen);
	out->name[rq.namelen] = '\0';
	return 0;
}

/* ---- launch_host_dir --------------------------------------------------- */

/* Clean path outer is inner or holds it ("/a" holds "/a/b", not "/ab"). */
static bool holds(const char *outer, const char *inner)
{
	return fsshim_holds(outer, strlen(outer), inner, strlen(inner));
}

/* Proper ancestor a of path p (both clean): "/" of any other, "/a" of "/a/b". */
static bool ancestor(const char *a, const char *p)
{
	return strcmp(a, p) != 0 && holds(a, p);
}

bool launch_host_dir(const struct nh_host *h, const char *cwd, char *out)
{
	char prog[NH_PATH_MAX + 1];

	if (cwd[0] != '/' || fsshim_clean(cwd, out, NH_PATH_MAX + 1) == 0)
		return false;
	if (strcmp(out, "/") == 0)
		return true;
	for (unsigned i = 0; i < h->fs.ngrants; i++) {
		const struct fsshim_grant *g = &h->fs.grant[i];

		if (strcmp(g->host, g->guest) == 0 && ancestor(out, g->guest))
			return true;
	}
	for (unsigned i = 0; i < h->opts.nallow_exec; i++)
		if (fsshim_clean(h->opts.allow_exec[i], prog, sizeof(prog)) > 0 && ancestor(out, prog))
			return true;
	return false;
}

/* ---- launch_words ------------------------------------------------------ */

/* Append one word; false when it does not fit. */
__attribute__((format(printf, 2, 3)))
static bool add(struct launch_words *w, const char *fmt, ...)
{
	size_t room = sizeof(w->arena) - w->used;
	va_list ap;
	int n;

	if (w->n == LAUNCH_MAX_WORDS)
		return false;
	va_start(ap, fmt);
	n = vsnprintf(w->arena + w->used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		return false;
	w->word[w->n++] = w->arena + w->used;
	w->used += (size_t)n + 1;
	return true;
}

static bool grant_words(const struct fsshim *fs, bool by_fd, struct launch_words *w)
{
	for (unsigned i = 0; i < fs->ngrants; i++) {
		const struct fsshim_grant *g = &fs->grant[i];
		bool rw = g->rw;

		if (g->origin == FSSHIM_TMP)
			continue; /* --tmpdir, below */
		/* a grant given open (--dir @N) is this process's descriptor:
		 * a child has no such number */
		if ((!by_fd && (strchr(g->host, ':') != NULL || g->given)) ||
		    strchr(g->guest, ':') != NULL) {
			w->skipped++;
			continue;
		}
		for (unsigned j = 0; j < fs->ngrants && !rw; j++)
			rw = j != i && fs->grant[j].rw && holds(fs->grant[j].host, g->host);
		if (g->origin == FSSHIM_ETC)
			w->etc = (int)w->n;
		if (by_fd ? !add(w, "--dir=@%d:%s:%s", g->fd, g->guest, rw ? "rw" : "ro")
		          : !add(w, "--dir=%s:%s:%s", g->host, g->guest, rw ? "rw" : "ro"))
			return false;
	}
	w->ndir = w->n;
	return true;
}

static bool net_words(const struct nss_opts *o, struct launch_words *w)
{
	static const char *const backend[] = {[NSS_URING] = "uring", [NSS_EPOLL] = "epoll"};

	switch (o->mode) {
	case NSS_PRIVATE:
		return add(w, "--net=host") && add(w, "--net-bind=0") && add(w, "--net-bind=1-65535") &&
		       add(w, "--net-connect=*:*");
	case NSS_HOST:
		if (!add(w, "--net=host"))
			return false;
		if ((o->backend == NSS_URING || o->backend == NSS_EPOLL) &&
		    !add(w, "--net-backend=%s", backend[o->backend]))
			return false;
		for (unsigned i = 0; i < o->nbind; i++)
			if (!add(w, "--net-bind=%s", o->bind_arg[i]))
				return false;
		for (unsigned i = 0; i < o->nconnect; i++)
			if (!add(w, "--net-connect=%s", o->connect[i].arg))
				return false;
		return true;
	default: /* none, or the default: none */
		return add(w, "--net=none");
	}
}

/* w->child_flags, from every word: not a word, an entry of the arena. */
static bool child_flags_env(struct launch_words *w)
{
	static const char name[] = "NONEHOST_CHILD_FLAGS=";
	size_t at = w->used, len = sizeof(name) - 1;

	if (sizeof(w->arena) - w->used < len + 1)
		return false;
	memcpy(w->arena + at, name, len);
	for (unsigned i = 0; i < w->n; i++) {
		size_t k = strlen(w->word[i]);

		if (strpbrk(w->word[i], " \t") != NULL)
			continue; /* cannot be said in space-separated words */
		if (sizeof(w->arena) - at < len + k + 2)
			return false;
		if (len > sizeof(name) - 1)
			w->arena[at + len++] = ' ';
		memcpy(w->arena + at + len, w->word[i], k);
		len += k;
	}
	w->arena[at + len] = '\0';
	w->child_flags = w->arena + at;
	w->used += len + 1;
	return true;
}

int launch_words(const struct nh_host *h, bool by_fd, struct launch_words *w)
{
	const struct fsshim_grant *tmp = h->fs.tmp >= 0 ? &h->fs.grant[h->fs.tmp] : NULL;
	const struct nh_opts *o = &h->opts;
	bool ok;

	w->n = w->ndir = w->skipped = 0;
	w->etc = -1;
	w->used = 0;
	w->tmpdir = NULL;
	w->child_flags = NULL;
	/* the parent's TMPDIR is the child's own (--tmpdir: neither made nor
	 * removed by it), so what a child leaves there outlives it, as on
	 * Linux (a profile a test's child writes for the test to read) */
	ok = grant_words(&h->fs, by_fd, w) &&
	     (tmp == NULL || (by_fd ? add(w, "--tmpdir=@%d:%s", tmp->fd, tmp->guest)
	                            : add(w, "--tmpdir=%s", tmp->host)));
	/* --memory only as given: its default is the child's own (arch.h), which
	 * for a foreign host (arm's 752M) is not this one's */
	ok = ok && (!o->memory_given || add(w, "--memory=%" PRIu64, o->memory)) &&
	     add(w, "--max-files=%u", o->max_files) && add(w, "--max-procs=%u", o->max_procs);
	for (unsigned i = 0; ok && i < o->nallow_exec; i++)
		ok = add(w, "--allow-exec=%s", o->allow_exec[i]);
	if (ok && o->no_sandbox)
		ok = add(w, "--no-sandbox");
	if (ok)
		ok = net_words(&o->net, w);
	if (ok)
		ok = child_flags_env(w);
	if (ok && h->fs.tmp >= 0) { /* not a word: the last entry of the arena */
		size_t at = w->used;

		ok = add(w, "TMPDIR=%s", h->fs.grant[h->fs.tmp].host);
		if (ok) {
			w->n--;
			w->tmpdir = w->arena + at;
		}
	}
	return ok ? 0 : -E2BIG;
}

/* ---- launch_image_argv ------------------------------------------------- */

/* NONEHOST_FLAGS's options a child may give itself: they narrow, or only
 * concern the child's own resources (launcher.h). */
static const struct {
	const char *name;
	bool value;
} child_flags[] = {
	{"--dir", true}, {"--memory", true}, {"--max-files", true}, {"--trace", false},
	{"--keep-tmp", false},
};

/* The word at *i (its value after it, or after '='): its index in
 * child_flags, *i moved past it; or -errno. */
static int child_flag(char **word, int n, int *i)
{
	const char *a = word[*i];

	for (size_t k = 0; k < sizeof(child_flags) / sizeof(child_flags[0]); k++) {
		size_t len = strlen(child_flags[k].name);

		if (strncmp(a, child_flags[k].name, len) != 0)
			continue;
		if (a[len] == '\0') {
			if (child_flags[k].value && ++*i >= n)
				return -EINVAL;
			return (int)k;
		}
		if (a[len] == '=' && child_flags[k].value)
			return (int)k;
	}
	return -EPERM;
}

/* A --dir value whose guest path is /etc or above it (its HOST's cleaned
 * path when GUEST is not given: the child would realpath it, which a pure
 * function cannot; a link there is the rare case that makes the child
 * refuse two grants at /etc). */
static bool dir_covers_etc(const char *v)
{
	struct fsshim_dirspec d;
	char err[64], clean[NH_PATH_MAX + 1];
	const char *guest;

	if (!fsshim_dir_parse(v, &d, err, sizeof(err)))
		return false; /* the child says what is wrong with it */
	guest = d.guest;
	if (guest[0] == '\0') {
		if (d.host[0] != '/' || fsshim_clean(d.host, clean, sizeof(clean)) == 0)
			return false;
		guest = clean;
	}
	return holds(guest, FSSHIM_ETC_GUEST);
}

/* Split and check NONEHOST_FLAGS's value: its word count, or -errno;
 * *etc tells whether one of its --dir grants is at /etc or above. */
static int split_flags(const char *value, struct launch_flags *f, bool *etc)
{
	int n;

	*etc = false;
	if (strlen(value) >= sizeof(f->buf))
		return -E2BIG;
	strcpy(f->buf, value);
	if ((n = binfmt_split(f->buf, f->word, LAUNCH_FLAGS_MAX)) < 0)
		return -E2BIG;
	for (int i = 0; i < n; i++) {
		const char *a = f->word[i];
		int k = child_flag(f->word, n, &i);

		if (k < 0)
			return k;
		if (strcmp(child_flags[k].name, "--dir") == 0)
			*etc |= dir_covers_etc(a[5] == '=' ? a + 6 : f->word[i]);
	}
	return n;
}

static const char *find_flags(char *const *envp, unsigned envc)
{
	static const char name[] = "NONEHOST_FLAGS=";

	for (unsigned i = 0; i < envc; i++)
		if (strncmp(envp[i], name, sizeof(name) - 1) == 0)
			return envp[i] + sizeof(name) - 1;
	return NULL;
}

int launch_image_argv(const struct launch_words *w, const char *nonehost, const char *image,
                      char *const *own, unsigned nown, char *const *argv, unsigned argc,
                      char *const *envp, unsigned envc, struct launch_flags *f, char **out,
                      size_t cap)
{
	const char *flags = find_flags(envp, envc);
	int nflags = 0;
	bool etc_covered = false;
	size_t n = 0;

	if (flags != NULL && (nflags = split_flags(flags, f, &etc_covered)) < 0)
		return nflags;
	if (argc < 1 || cap < (size_t)3 + w->n + nown + (size_t)nflags + 1 + argc)
		return -E2BIG;
	out[n++] = (char *)(uintptr_t)nonehost;
	for (unsigned i = 0; i < w->n; i++)
		if (i >= w->ndir || flags == NULL || ((int)i == w->etc && !etc_covered))
			out[n++] = w->word[i];
	for (unsigned i = 0; i < nown; i++)
		out[n++] = own[i];
	for (int i = 0; i < nflags; i++)
		out[n++] = f->word[i];
	out[n++] = "--";
	out[n++] = (char *)(uintptr_t)image;
	for (unsigned i = 1; i < argc; i++)
		out[n++] = argv[i];
	out[n] = NULL;
	return (int)n;
}

int launch_image_envp(const struct launch_words *w, char *const *envp, unsigned envc,
                      char **out, size_t cap)
{
	static const char name[] = "TMPDIR=";
	bool set = w->tmpdir == NULL;
	size_t n = 0;

	if (cap < (size_t)envc + 2)
		return -E2BIG;
	for (unsigned i = 0; i < envc; i++) {
		if (w->tmpdir != NULL && strncmp(envp[i], name, sizeof(name) - 1) == 0) {
			if (set)
				continue; /* one TMPDIR is enough */
			out[n++] = w->tmpdir;
			set = true;
			continue;
		}
		out[n++] = envp[i];
	}
	if (!set)
		out[n++] = w->tmpdir;
	out[n] = NULL;
	return (int)n;
}

int launch_program_envp(const struct launch_words *w, char *const *envp, unsigned envc,
                        char **out, size_t cap)
{
	static const char name[] = "NONEHOST_CHILD_FLAGS=";
	size_t n = 0;

	if (cap < (size_t)envc + 2)
		return -E2BIG;
	for (unsigned i = 0; i < envc; i++)
		if (strncmp(envp[i], name, sizeof(name) - 1) != 0)
			out[n++] = envp[i];
	if (w->child_flags != NULL)
		out[n++] = w->child_flags;
	out[n] = NULL;
	return (int)n;
}

/* ---- launch_inherit ---------------------------------------------------- */

int launch_inherit(char **out, int n, size_t cap, unsigned nfds, char *buf)
{
	if (nfds <= 3)
		return n;
	if (n < 1 || nfds > NH_SPAWN_MAX_FDS || (size_t)n + 2 > cap)
		return -E2BIG;
	snprintf(buf, LAUNCH_INHERIT_BYTES, "--inherit-fds=%u", nfds);
	memmove(out + 2, out + 1, (size_t)n * sizeof(*out)); /* words 1..n-1 and the NULL */
	out[1] = buf;
	return n + 1;
}

int launch_lifeline_fd(unsigned nfds)
{
	return nfds > 3 ? (int)nfds : 3;
}
