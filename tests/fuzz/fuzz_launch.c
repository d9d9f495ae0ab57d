/*
 * fuzz_launch.c - what a hostile image can send the launcher, through the
 * launcher's own steps (host/launcher.h, host/launcher.c's request()):
 * launch_parse(), launch_vectors(), then a child image's command line
 * (launch_image_argv, launch_inherit) and environment
 * (launch_image_envp); and launch_sock_parse() for a UNIX socket request.
 *
 * Input: one byte of choices (MSG_TRUNC/MSG_CTRUNC, how many descriptors
 * came), then the datagram. The parent whose launcher this is: the fixed
 * options of parent_argv below, grants as a run has them. Invariants:
 *   launch_parse: 0 or one of the errnos launcher.h lists; when 0, every
 *       string within the datagram (ASan sees a read past it), the
 *       descriptor indices within what came, argc + envc and the string
 *       bytes within NH_SPAWN_MAX_STRS and NH_SPAWN_MAX_DATA;
 *   the child's command line: -EPERM, -EINVAL or -E2BIG, or words that
 *       cli_parse() accepts (all of them, or all but NONEHOST_FLAGS's,
 *       whose values go as given: launcher_msg.c) and that grant the
 *       child nothing its parent lacks: its sandbox, network, programs and
 *       process limit are the parent's whatever NONEHOST_FLAGS says, its
 *       image and arguments the request's;
 *   the child's environment: the request's, with exactly one TMPDIR, the
 *       parent's private one;
 *   launch_sock_parse: 0 or a listed errno; a BIND name one entry's name.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz.h"
#include "host.h"

static char *parent_argv[] = {
	"nonehost", "run", "--net", "host", "--net-bind", "8080", "--net-connect",
	"10.0.0.5:5432", "--allow-exec", "/usr/bin/true", "--max-procs", "8",
	"--max-files", "64", "img", NULL,
};

static struct nh_host parent;
static struct launch_words words;
/* As launcher.c's per-request state: big, so not on the stack. */
static char *argv[NH_SPAWN_MAX_STRS + 1], *envp[NH_SPAWN_MAX_STRS + 1];
static char *out[LAUNCH_MAX_ARGV], *wenv[LAUNCH_MAX_ENVP];
static struct launch_flags flags;
static struct nh_host child;

int LLVMFuzzerInitialize(int *argc, char ***argvp)
{
	char err[256];
	int n = 0;

	(void)argc;
	(void)argvp;
	while (parent_argv[n] != NULL)
		n++;
	if (cli_parse(n, parent_argv, &parent.opts, err, sizeof(err)) != CLI_RUN) {
		fprintf(stderr, "fuzz_launch: the parent's options: %s\n", err);
		abort();
	}
	parent.fs.tmp = parent.fs.etc = parent.fs.etc_theirs = -1;
	fsshim_grant_add(&parent.fs, FSSHIM_DIR, "/srv/data:/data:rw", "/srv/data", "/data", true);
	fsshim_grant_add(&parent.fs, FSSHIM_CWD, NULL, "/work", "/work", false);
	strcpy(parent.fs.cwd, "/work");
	parent.fs.tmp = fsshim_grant_add(&parent.fs, FSSHIM_TMP, NULL, "/tmp/nonehost.A/tmp",
	                                 "/tmp/nonehost.A/tmp", true);
	if (launch_words(&parent, false, &words) != 0) {
		fprintf(stderr, "fuzz_launch: the parent's words do not fit\n");
		abort();
	}
	return 0;
}

static void check_inside(const uint8_t *buf, size_t len, const char *s, const char *what)
{
	FUZZ_CHECK((const uint8_t *)s >= buf && (const uint8_t *)s < buf + len, "%s outside", what);
	FUZZ_CHECK(memchr(s, '\0', (size_t)(buf + len - (const uint8_t *)s)) != NULL,
	           "%s not terminated inside", what);
}

/* The child's command line against its parent's and the request's. */
static void check_child(const struct launch_parsed *p, int n)
{
	const struct nh_opts *po = &parent.opts, *co = &child.opts;
	char err[256];
	enum cli_action r;

	FUZZ_CHECK(n > 0 && (size_t)n < LAUNCH_MAX_ARGV && out[n] == NULL, "%d words", n);
	memset(&child, 0, sizeof(child));
	r = cli_parse(n, out, &child.opts, err, sizeof(err));
	if (r != CLI_RUN) {
		/* a NONEHOST_FLAGS value goes as given: the child refuses a bad
		 * one as its command line would (125); the launcher's own words
		 * it must take */
		static char *own[LAUNCH_MAX_ARGV];
		int k = 0;

		for (int i = 0; i < n; i++)
			if (!(out[i] >= flags.buf && out[i] < flags.buf + sizeof(flags.buf)))
				own[k++] = out[i];
		own[k] = NULL;
		FUZZ_CHECK(k < n, "cli_parse refuses the launcher's words: %s", err);
		memset(&child, 0, sizeof(child));
		r = cli_parse(k, own, &child.opts, err, sizeof(err));
		FUZZ_CHECK(r == CLI_RUN, "cli_parse refuses the launcher's words: %s", err);
	}
	FUZZ_CHECK(co->no_sandbox == po->no_sandbox && co->isolate == po->isolate,
	           "the child's sandbox differs");
	FUZZ_CHECK(co->net.mode == po->net.mode && co->net.nbind == po->net.nbind &&
	           co->net.nconnect == po->net.nconnect, "the child's network differs");
	FUZZ_CHECK(co->nallow_exec == po->nallow_exec, "%u programs, the parent %u",
	           co->nallow_exec, po->nallow_exec);
	for (unsigned i = 0; i < co->nallow_exec; i++)
		FUZZ_CHECK(strcmp(co->allow_exec[i], po->allow_exec[i]) == 0, "program %s",
		           co->allow_exec[i]);
	FUZZ_CHECK(co->max_procs == po->max_procs, "max-procs %u", co->max_procs);
	FUZZ_CHECK(co->launcher_fd == 0 && co->signal_fd == 0 && co->image_fd == 0 &&
	           !co->own_root, "an internal option the launcher does not give");
	FUZZ_CHECK(strcmp(co->image, "/srv/data/child.elf") == 0, "image %s", co->image);
	FUZZ_CHECK(co->argc == (int)p->argc, "argc %d, the request's %u", co->argc, p->argc);
	for (unsigned i = 1; i < p->argc; i++)
		FUZZ_CHECK(co->argv[i] == argv[i], "argument %u", i);
}

static void check_env(int n, unsigned envc)
{
	unsigned tmpdirs = 0, k = 0;

	FUZZ_CHECK(n >= 0 && (size_t)n < LAUNCH_MAX_ENVP && wenv[n] == NULL, "%d strings", n);
	for (int i = 0; i < n; i++) {
		if (wenv[i] == words.tmpdir) {
			tmpdirs++;
			continue;
		}
		FUZZ_CHECK(strncmp(wenv[i], "TMPDIR=", 7) != 0, "the request's TMPDIR kept");
		while (k < envc && envp[k] != wenv[i])
			k++; /* the others in order */
		FUZZ_CHECK(k < envc, "a string the request did not have");
	}
	FUZZ_CHECK(tmpdirs == 1, "%u TMPDIRs", tmpdirs);
}

static void fuzz_request(const uint8_t *buf, size_t len, int msg_flags, unsigned nrights)
{
	struct launch_parsed p;
	size_t data = 0;
	char parent_pid[] = "--parent-pid=7", lifeline[32];
	char inherit[LAUNCH_INHERIT_BYTES];
	int r, n;

	r = launch_parse(buf, len, msg_flags, nrights, &p);
	FUZZ_CHECK(r == 0 || r == -E2BIG || r == -EINVAL || r == -ENAMETOOLONG || r == -ENOENT,
	           "launch_parse: %d", r);
	if (r != 0)
		return;
	FUZZ_CHECK(p.prog >= LAUNCH_BY_FD && p.prog <= LAUNCH_SELF, "prog %u", p.prog);
	FUZZ_CHECK(p.argc >= 1 && p.argc + p.envc <= NH_SPAWN_MAX_STRS, "argc %u envc %u", p.argc,
	           p.envc);
	FUZZ_CHECK(p.nfds <= NH_SPAWN_MAX_FDS, "nfds %u", p.nfds);
	FUZZ_CHECK(p.base + p.nchild == nrights, "descriptors: %u + %u of %u", p.base, p.nchild,
	           nrights);
	FUZZ_CHECK(p.dir < (int)p.base && (p.prog != LAUNCH_BY_FD || p.prog_fd < p.base),
	           "the program's or the directory's descriptor among the child's");
	for (unsigned i = 0; i < p.nfds; i++)
		FUZZ_CHECK(p.fdmap[i] == LAUNCH_FD_NULL || p.fdmap[i] == LAUNCH_FD_CLOSED ||
		           ((unsigned)p.fdmap[i] >= p.base && (unsigned)p.fdmap[i] < nrights),
		           "fdmap[%u] = %d", i, p.fdmap[i]);
	if (p.path != NULL) {
		check_inside(buf, len, p.path, "the path");
		FUZZ_CHECK(p.path[0] != '\0' && strlen(p.path) <= NH_PATH_MAX, "the path's length");
	}
	check_inside(buf, len, p.cwd, "the directory");
	FUZZ_CHECK(p.cwd[0] == '/' && strlen(p.cwd) <= NH_PATH_MAX, "the directory %s", p.cwd);
	launch_vectors(&p, argv, envp);
	FUZZ_CHECK(argv[p.argc] == NULL && envp[p.envc] == NULL, "vectors not terminated");
	for (unsigned i = 0; i < p.argc + p.envc; i++) {
		const char *s = i < p.argc ? argv[i] : envp[i - p.argc];

		check_inside(buf, len, s, "a string");
		data += strlen(s) + 1;
	}
	FUZZ_CHECK(data <= NH_SPAWN_MAX_DATA, "%zu bytes of strings", data);

	/* As a child image, the way launcher.c's request() goes on. */
	snprintf(lifeline, sizeof(lifeline), "--lifeline-fd=%d", launch_lifeline_fd(p.nfds));
	char *own[LAUNCH_OWN_WORDS] = {"--cwd", (char *)(uintptr_t)p.cwd, parent_pid, lifeline};
	n = launch_image_argv(&words, "/usr/bin/nonehost", "/srv/data/child.elf", own,
	                      LAUNCH_OWN_WORDS, argv, p.argc, envp, p.envc, &flags, out,
	                      LAUNCH_MAX_ARGV - 1);
	FUZZ_CHECK(n >= 0 || n == -EPERM || n == -EINVAL || n == -E2BIG, "launch_image_argv: %d",
	           n);
	if (n < 0)
		return;
	n = launch_inherit(out, n, LAUNCH_MAX_ARGV, p.nfds, inherit);
	FUZZ_CHECK(n >= 0, "launch_inherit: %d", n);
	check_child(&p, n);
	check_env(launch_image_envp(&words, envp, p.envc, wenv, LAUNCH_MAX_ENVP), p.envc);
}

static void fuzz_sock(const uint8_t *buf, size_t len, int msg_flags, unsigned nrights)
{
	struct launch_sock_parsed s;
	int r = launch_sock_parse(buf, len, msg_flags, nrights, &s);

	FUZZ_CHECK(r == 0 || r == -E2BIG || r == -EINVAL || r == -ENAMETOOLONG,
	           "launch_sock_parse: %d", r);
	if (r != 0)
		return;
	FUZZ_CHECK(nrights == 1, "%u descriptors", nrights);
	if (s.op == LAUNCH_SOCK_CONNECT) {
		FUZZ_CHECK(s.name[0] == '\0', "CONNECT with a name");
		return;
	}
	FUZZ_CHECK(s.op == LAUNCH_SOCK_BIND, "op %u", s.op);
	FUZZ_CHECK(s.name[0] != '\0' && strchr(s.name, '/') == NULL && strcmp(s.name, ".") != 0 &&
	           strcmp(s.name, "..") != 0 && strlen(s.name) <= LAUNCH_SOCK_NAME_MAX,
	           "BIND's name \"%s\"", s.name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	uint8_t choice = fuzz_byte(&in);
	int msg_flags = (choice & 1 ? MSG_TRUNC : 0) | (choice & 2 ? MSG_CTRUNC : 0);
	unsigned nrights = (choice >> 2) % (LAUNCH_MAX_RIGHTS + 2);
	uint8_t *buf;

	if ((choice & 3) == 3)
		msg_flags = 0; /* most inputs whole */
	if (in.n > LAUNCH_MAX_MSG)
		return 0; /* the launcher's buffer: a longer one comes with MSG_TRUNC */
	/* the launcher's receive buffer holds exactly the datagram */
	buf = malloc(in.n ? in.n : 1);
	FUZZ_CHECK(buf != NULL, "out of memory");
	memcpy(buf, in.p, in.n);
	if (launch_is_sock(buf, in.n))
		fuzz_sock(buf, in.n, msg_flags, nrights);
	else
		fuzz_request(buf, in.n, msg_flags, nrights);
	free(buf);
	return 0;
}

/* A seed: the choice byte for nrights descriptors, whole, then the request
 * with its strings (nstr of them, NUL-separated). */
static void emit_req(fuzz_emit_fn *emit, const char *name, struct launch_req rq,
                     unsigned nrights, const char *const *strs, unsigned nstr)
{
	static uint8_t buf[1 + sizeof(struct launch_req) + 1024];
	size_t n = 1 + sizeof(rq);

	buf[0] = (uint8_t)(nrights << 2 | 3);
	for (unsigned i = 0; i < nstr; i++) {
		size_t l = strlen(strs[i]) + 1;

		memcpy(buf + n, strs[i], l);
		n += l;
	}
	rq.magic = LAUNCH_MAGIC;
	rq.strings_len = (uint32_t)(n - 1 - sizeof(rq));
	memcpy(buf + 1, &rq, sizeof(rq));
	emit(name, buf, n);
}

static void emit_sock(fuzz_emit_fn *emit, const char *name, uint32_t op, const char *sname)
{
	uint8_t buf[1 + sizeof(struct launch_sock_req) + 64];
	struct launch_sock_req rq = {LAUNCH_SOCK_MAGIC, op, (uint32_t)strlen(sname),
	                             op == LAUNCH_SOCK_BIND ? 022u : 0u};

	buf[0] = 1 << 2 | 3;
	memcpy(buf + 1, &rq, sizeof(rq));
	memcpy(buf + 1 + sizeof(rq), sname, rq.namelen);
	emit(name, buf, 1 + sizeof(rq) + rq.namelen);
}

void fuzz_seeds(fuzz_emit_fn *emit)
{
	/* the image itself in /work: the directory (0) and three descriptors */
	emit_req(emit, "self", (struct launch_req){.prog = LAUNCH_SELF, .argc = 2, .envc = 2,
	                                           .nfds = 3, .fdmap = {1, 2, 3}},
	         4, (const char *[]){"/work", "img", "-test.v", "HOME=/", "TMPDIR=/tmp/x"}, 5);
	/* a program by descriptor (0) in a synthetic directory, one descriptor
	 * as 1 and 2, and a fourth: --inherit-fds */
	emit_req(emit, "by-fd",
	         (struct launch_req){.prog = LAUNCH_BY_FD, .argc = 1, .envc = 1, .nfds = 5,
	                             .flags = LAUNCH_SYNTHETIC_DIR,
	                             .fdmap = {LAUNCH_FD_NULL, 1, 1, LAUNCH_FD_CLOSED, 2}},
	         3, (const char *[]){"/", "child", "PATH=/bin"}, 3);
	/* an --allow-exec path, options for a child image in NONEHOST_FLAGS */
	emit_req(emit, "by-path",
	         (struct launch_req){.prog = LAUNCH_BY_PATH, .argc = 1, .envc = 2,
	                             .fdmap = {0}},
	         1, (const char *[]){"/usr/bin/true", "/data", "true",
	                             "NONEHOST_FLAGS=--dir /srv:/srv:ro --trace --memory=64M",
	                             "TMPDIR=/elsewhere"}, 5);
	emit_req(emit, "flags-refused",
	         (struct launch_req){.prog = LAUNCH_SELF, .argc = 1, .envc = 1},
	         1, (const char *[]){"/work", "img", "NONEHOST_FLAGS=--no-sandbox --dir=/etc"}, 3);
	emit_sock(emit, "sock-bind", LAUNCH_SOCK_BIND, "listener");
	emit_sock(emit, "sock-connect", LAUNCH_SOCK_CONNECT, "");
}
