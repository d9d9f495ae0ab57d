/*
 * cli.c - parse the nonehost command line.
 *
 * Contract: cli_parse() accepts
 *     nonehost run [OPTIONS] IMAGE [ARGS...]
 *     nonehost [OPTIONS] IMAGE [ARGS...]
 * with OPTIONS --memory SIZE, --trace, --no-sandbox, --isolate,
 * --dir HOST[:GUEST][:ro|rw] (repeatable; the syntax is checked here by
 * fsshim_dir_parse, the directories by fsshim_setup), --keep-tmp,
 * --tmpdir DIR (at most NH_PATH_MAX bytes; the directory is checked by
 * fsshim_setup), --cwd GUEST (absolute, at most NH_PATH_MAX bytes; checked
 * against the grants by fsshim_check_cwd),
 * --max-files N, --net none|private|host, --net-backend auto|uring|epoll,
 * --net-bind PORT|LO-HI and --net-connect ADDR:PORT (repeatable; values
 * checked by netstack-shim/nss_opts.c; the grants need --net host, and
 * --net host cannot be combined with --isolate, checked once the whole
 * line is read), --max-procs N (0..LAUNCH_PROCS_LIMIT, default
 * LAUNCH_MAX_PROCS; 0: no processes) and --allow-exec PATH (repeatable, at
 * most LAUNCH_MAX_EXEC, PATH absolute and at most NH_PATH_MAX bytes; the
 * file itself is checked by launcher_start; it needs processes, so not
 * with --max-procs 0, checked once the whole line is read), --launcher-fd N
 * (3..INT32_MAX; the descriptor is checked by launcher_start; not with
 * --max-procs 0), --signal-fd N (3..INT32_MAX; the descriptor is checked
 * by sbx_share_adopt; not with --isolate, whose supervisor would pass
 * signals on by a page of its own), --parent-pid N (1..INT32_MAX,
 * internal: a child image's parent image's process ID), --inherit-fds N (4..NH_SPAWN_MAX_FDS,
 * internal: a child image's descriptors 3..N-1, host/inherit.c; neither
 * --launcher-fd nor --signal-fd nor --image-fd nor --lifeline-fd may lie
 * among them), --lifeline-fd N (3..INT32_MAX, internal: the run's lifeline,
 * from a child image's launcher; the descriptor is checked by
 * launcher_start),
 * --image-fd N:PATH (N 3..INT32_MAX: the image is read from it, PATH
 * absolute is its real path, IMAGE is only the guest's argv[0]), --own-root
 * (fsshim_root checks it), --localtime TARGET (1..NH_PATH_MAX bytes, the
 * target of the guest's /etc/localtime link: fs-shim/fsshim_zone.c) and
 * --ifaces-fd N (3..INT32_MAX; NET_IFACES's table: nss_ifaces_adopt checks it):
 * internal, what the native nonehost gives a foreign host in a root of its
 * own.
 *     nonehost --policy [OPTIONS] [IMAGE]   (CLI_POLICY; IMAGE optional)
 *     nonehost --help | --version
 * Options end at IMAGE (or "--"): everything after IMAGE belongs to the
 * guest, so "-test.v" reaches it untouched. The guest's argv starts at IMAGE
 * as given. On CLI_ERROR, err holds "<subject>: <why>". No side effects
 * besides *o and err; no exit, no output. An image literally named "run"
 * (or "binfmt", main.c's subcommand) must be spelled "./run".
 * cli_parse_with() first parses extra words that must all be options (those
 * of NONEHOST_FLAGS, split by binfmt.c), their errors prefixed with their
 * name, then the command line as cli_parse() does, into the same *o.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "host.h"

bool cli_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0, mul = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++)
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, (uint64_t)(*p - '0'), &v))
			return false;
	switch (*p) {
	case 'k': case 'K': mul = UINT64_C(1) << 10; p++; break;
	case 'm': case 'M': mul = UINT64_C(1) << 20; p++; break;
	case 'g': case 'G': mul = UINT64_C(1) << 30; p++; break;
	case 't': case 'T': mul = UINT64_C(1) << 40; p++; break;
	}
	if (*p == 'i' && mul > 1) /* accept "4Gi" and "4GiB" too */
		p++;
	if (*p == 'B' && mul > 1)
		p++;
	if (*p != '\0')
		return false;
	return !__builtin_mul_overflow(v, mul, out);
}

__attribute__((format(printf, 3, 4)))
static enum cli_action fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return CLI_ERROR;
}

static enum cli_action set_memory(struct nh_opts *o, const char *v, char *err, size_t errlen)
{
	uint64_t n;

	if (!cli_parse_size(v, &n))
		return fail(err, errlen, "--memory %s: not a size (use e.g. 512M, 4G)", v);
	if (n < NH_RAM_MIN)
		return fail(err, errlen, "--memory %s: too small (%llu bytes, minimum 16M)", v,
		            (unsigned long long)n);
	if (n > NH_RAM_MAX)
		return fail(err, errlen, "--memory %s: too large (%llu bytes, maximum "
		            ARCH_MAX_MEMORY_TEXT " for " ARCH_GOARCH ")", v, (unsigned long long)n);
	if (n % NH_PAGE_SIZE != 0)
		return fail(err, errlen, "--memory %s: not a multiple of the page size (%llu)", v,
		            (unsigned long long)NH_PAGE_SIZE);
	o->memory = n;
	o->memory_given = true;
	return CLI_RUN;
}

static enum cli_action add_dir(struct nh_opts *o, const char *v, char *err, size_t errlen)
{
	struct fsshim_dirspec d; /* checked here, kept as the string */

	if (o->ndirs == FSSHIM_MAX_DIRS)
		return fail(err, errlen, "--dir %s: too many grants (%d at most)", v, FSSHIM_MAX_DIRS);
	if (!fsshim_dir_parse(v, &d, err, errlen))
		return CLI_ERROR;
	o->dir[o->ndirs++] = v;
	return CLI_RUN;
}

/* v is a decimal number of at most max: true and *n. */
static bool number(const char *v, uint64_t max, uint64_t *n)
{
	const char *p = v;

	for (*n = 0; *p >= '0' && *p <= '9' && *n <= max; p++)
		*n = *n * 10 + (uint64_t)(*p - '0');
	return p != v && *p == '\0' && *n <= max;
}

static enum cli_action set_max_files(struct nh_opts *o, const char *v, char *err, size_t errlen)
{
	uint64_t n;

	if (!number(v, FSSHIM_MAX_FILES_LIMIT, &n))
		return fail(err, errlen, "--max-files %s: not a number from 0 to %d", v,
		            FSSHIM_MAX_FILES_LIMIT);
	o->max_files = (unsigned)n;
	return CLI_RUN;
}

static enum cli_action set_max_procs(struct nh_opts *o, const char *v, char *err, size_t errlen)
{
	uint64_t n;

	if (!number(v, LAUNCH_PROCS_LIMIT, &n))
		return fail(err, errlen, "--max-procs %s: not a number from 0 to %d", v,
		            LAUNCH_PROCS_LIMIT);
	o->max_procs = (unsigned)n;
	return CLI_RUN;
}

/* A descriptor handed over by the one who started us (--launcher-fd,
 * --signal-fd): 0-2 are the console's, so it lies above. */
static enum cli_action set_fd(const char *name, int *fd, const char *v, char *err,
                              size_t errlen)
{
	uint64_t n;

	if (!number(v, INT32_MAX, &n) || n < 3)
		return fail(err, errlen, "%s %s: not a descriptor number from 3 to %d", name, v,
		            INT32_MAX);
	*fd = (int)n;
	return CLI_RUN;
}

/* A child image's descriptors 3..N-1, from its launcher: at least one
 * beyond the console's, never more than a spawn can map (NH_SPAWN_MAX_FDS). */
static enum cli_action set_inherit_fds(struct nh_opts *o, const char *v, char *err,
                                       size_t errlen)
{
	uint64_t n;

	if (!number(v, NH_SPAWN_MAX_FDS, &n) || n < 4)
		return fail(err, errlen, "--inherit-fds %s: not a descriptor count from 4 to %d", v,
		            NH_SPAWN_MAX_FDS);
	o->inherit_fds = (int)n;
	return CLI_RUN;
}

static enum cli_action add_exec(struct nh_opts *o, const char *v, char *err, size_t errlen)
{
	if (o->nallow_exec == LAUNCH_MAX_EXEC)
		return fail(err, errlen, "--allow-exec %s: too many programs (%d at most)", v,
		            LAUNCH_MAX_EXEC);
	if (v[0] != '/')
		return fail(err, errlen, "--allow-exec %s: not an absolute path (e.g. /usr/bin/git)",
		            v);
	if (strlen(v) > NH_PATH_MAX)
		return fail(err, errlen, "--allow-exec %.32s...: longer than %d bytes", v, NH_PATH_MAX);
	o->allow_exec[o->nallow_exec++] = v;
	return CLI_RUN;
}

/* "--name VALUE" or "--name=VALUE": the value, or NULL (*i advanced). */
static const char *value_of(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (strcmp(argv[*i], name) == 0 && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

/* The network options: --net, --net-backend, --net-bind, --net-connect. */
static const struct {
	const char *name;
	bool (*parse)(const char *v, struct nss_opts *o, char *err, size_t errlen);
	const char *example;
} net_options[] = {
	{"--net", nss_parse_mode, "none, private or host"},
	{"--net-backend", nss_parse_backend, "auto, uring or epoll"},
	{"--net-bind", nss_parse_bind, "PORT or LO-HI, e.g. 8080"},
	{"--net-connect", nss_parse_connect, "ADDR:PORT, e.g. 127.0.0.1:8080"},
};

/* 1: a network option, parsed; 0: not one; -1: an error in err. */
static int net_option(int argc, char **argv, int *i, struct nh_opts *o, char *err,
                      size_t errlen)
{
	for (size_t k = 0; k < sizeof(net_options) / sizeof(net_options[0]); k++) {
		size_t n = strlen(net_options[k].name);
		const char *v;

		if (strncmp(argv[*i], net_options[k].name, n) != 0 ||
		    (argv[*i][n] != '\0' && argv[*i][n] != '='))
			continue;
		if ((v = value_of(argc, argv, i, net_options[k].name)) == NULL) {
			fail(err, errlen, "%s: needs a value (%s)", net_options[k].name,
			     net_options[k].example);
			return -1;
		}
		return net_options[k].parse(v, &o->net, err, errlen) ? 1 : -1;
	}
	return 0;
}

/* The options from argv[*i] on, up to the first word that is not one ("--",
 * IMAGE), left at *i. CLI_RUN when they are all fine. */
static enum cli_action options(int argc, char **argv, int *pi, struct nh_opts *o, char *err,
                               size_t errlen)
{
	int i = *pi, r;
	const char *v;
	uint64_t n;

	for (; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || a[1] == '\0' || strcmp(a, "--") == 0)
			break; /* "--" or IMAGE ("-" alone is a file name) */
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return CLI_HELP;
		if (strcmp(a, "--version") == 0)
			return CLI_VERSION;
		if (strcmp(a, "--trace") == 0) {
			o->trace = true;
		} else if (strcmp(a, "--no-sandbox") == 0) {
			o->no_sandbox = true;
		} else if (strcmp(a, "--isolate") == 0) {
			o->isolate = true;
		} else if (strcmp(a, "--policy") == 0) {
			o->policy = true;
		} else if (strcmp(a, "--keep-tmp") == 0) {
			o->keep_tmp = true;
		} else if (strcmp(a, "--dir") == 0 || strncmp(a, "--dir=", 6) == 0) {
			if ((v = value_of(argc, argv, &i, "--dir")) == NULL)
				return fail(err, errlen, "--dir: needs a value (HOST[:GUEST][:ro|rw])");
			if (add_dir(o, v, err, errlen) != CLI_RUN)
				return CLI_ERROR;
		} else if (strcmp(a, "--tmpdir") == 0 || strncmp(a, "--tmpdir=", 9) == 0) {
			if ((v = value_of(argc, argv, &i, "--tmpdir")) == NULL || v[0] == '\0')
				return fail(err, errlen, "--tmpdir: needs a value (an existing directory)");
			if (strlen(v) > NH_PATH_MAX)
				return fail(err, errlen, "--tmpdir %.32s...: longer than %d bytes", v,
				            NH_PATH_MAX);
			o->tmpdir = v;
		} else if (strcmp(a, "--cwd") == 0 || strncmp(a, "--cwd=", 6) == 0) {
			if ((v = value_of(argc, argv, &i, "--cwd")) == NULL || v[0] == '\0')
				return fail(err, errlen, "--cwd: needs a value (a guest path, e.g. /)");
			if (v[0] != '/')
				return fail(err, errlen, "--cwd %s: not an absolute guest path", v);
			if (strlen(v) > NH_PATH_MAX)
				return fail(err, errlen, "--cwd %.32s...: longer than %d bytes", v,
				            NH_PATH_MAX);
			o->cwd = v;
		} else if (strcmp(a, "--max-files") == 0 || strncmp(a, "--max-files=", 12) == 0) {
			if ((v = value_of(argc, argv, &i, "--max-files")) == NULL)
				return fail(err, errlen, "--max-files: needs a value (e.g. --max-files 4096)");
			if (set_max_files(o, v, err, errlen) != CLI_RUN)
				return CLI_ERROR;
		} else if (strcmp(a, "--max-procs") == 0 || strncmp(a, "--max-procs=", 12) == 0) {
			if ((v = value_of(argc, argv, &i, "--max-procs")) == NULL)
				return fail(err, errlen, "--max-procs: needs a value (e.g. --max-procs 16)");
			if (set_max_procs(o, v, err, errlen) != CLI_RUN)
				return CLI_ERROR;
		} else if (strcmp(a, "--launcher-fd") == 0 || strncmp(a, "--launcher-fd=", 14) == 0) {
			if ((v = value_of(argc, argv, &i, "--launcher-fd")) == NULL)
				return fail(err, errlen, "--launcher-fd: needs a value (a descriptor number)");
			if (set_fd("--launcher-fd", &o->launcher_fd, v, err, errlen) != CLI_RUN)
				return CLI_ERROR;
		} else if (strcmp(a, "--image-fd") == 0 || strncmp(a, "--image-fd=", 11) == 0) {
			char num[16];
			const char *colon;

			if ((v = value_of(argc, argv, &i, "--image-fd")) == NULL)
				return fail(err, errlen, "--image-fd: needs a value (N:PATH)");
			if ((colon = strchr(v, ':')) == NULL || colon[1] != '/' ||
			    strlen(colon + 1) > NH_PATH_MAX || (size_t)(colon - v) >= sizeof(num))
				return fail(err, errlen, "--image-fd %s: not N:PATH (a descriptor, the "
				            "image's real path: absolute, at most %d bytes)", v, NH_PATH_MAX);
			memcpy(num, v, (size_t)(colon - v));
			num[colon - v] = '\0';
			if (set_fd("--image-fd", &o->image_fd, num, err, errlen) != CLI_RUN)
				return CLI_ERROR;
			o->image_real = colon + 1;
		} else if (strcmp(a, "--own-root") == 0) {
			o->own_root = true;
		} else if (strcmp(a, "--localtime") == 0 || strncmp(a, "--localtime=", 12) == 0) {
			if ((v = value_of(argc, argv, &i, "--localtime")) == NULL)
				return fail(err, errlen, "--localtime: needs a value (a link's target)");
			if (*v == '\0' || strlen(v) > NH_PATH_MAX)
				return fail(err, errlen, "--localtime: the target must be 1 to %d bytes",
				            NH_PATH_MAX);
			o->localtime = v;
		} else if (strcmp(a, "--inherit-fds") == 0 || strncmp(a, "--inherit-fds=", 14) == 0) {
			if ((v = value_of(argc, argv, &i, "--inherit-fds")) == NULL)
				return fail(err, errlen, "--inherit-fds: needs a value (a descriptor count)");
			if (set_inherit_fds(o, v, err, errlen) != CLI_RUN)
				return CLI_ERROR;
		} else if (strcmp(a, "--parent-pid") == 0 || strncmp(a, "--parent-pid=", 13) == 0) {
			if ((v = value_of(argc, argv, &i, "--parent-pid")) == NULL)
				return fail(err, errlen, "--parent-pid: needs a value (a process ID)");
			if (!number(v, INT32_MAX, &n) || n < 1)
				return fail(err, errlen, "--parent-pid %s: not a process ID from 1 to %d",
				            v, INT32_MAX);
			o->parent_pid = (int)n;
		} else if (strcmp(a, "--ifaces-fd") == 0 || strncmp(a, "--ifaces-fd=", 12) == 0) {
			if ((v = value_of(argc, argv, &i, "--ifaces-fd")) == NULL)
				return fail(err, errlen, "--ifaces-fd: needs a value (a descriptor number)");
			if (set_fd("--ifaces-fd", &o->ifaces_fd, v, err, errlen) != CLI_RUN)
				return CLI_ERROR;
		} else if (strcmp(a, "--lifeline-fd") == 0 || strncmp(a, "--lifeline-fd=", 14) == 0) {
			if ((v = value_of(argc, argv, &i, "--lifeline-fd")) == NULL)
				return fail(err, errlen, "--lifeline-fd: needs a value (a descriptor number)");
			if (set_fd("--lifeline-fd", &o->lifeline_fd, v, err, errlen) != CLI_RUN)
				return CLI_ERROR;
		} else if (strcmp(a, "--signal-fd") == 0 || strncmp(a, "--signal-fd=", 12) == 0) {
			if ((v = value_of(argc, argv, &i, "--signal-fd")) == NULL)
				return fail(err, errlen, "--signal-fd: needs a value (a descriptor number)");
			if (set_fd("--signal-fd", &o->signal_fd, v, err, errlen) != CLI_RUN)
				return CLI_ERROR;
		} else if (strcmp(a, "--allow-exec") == 0 || strncmp(a, "--allow-exec=", 13) == 0) {
			if ((v = value_of(argc, argv, &i, "--allow-exec")) == NULL)
				return fail(err, errlen, "--allow-exec: needs a value (an absolute path, "
				            "e.g. /usr/bin/git)");
			if (add_exec(o, v, err, errlen) != CLI_RUN)
				return CLI_ERROR;
		} else if (strncmp(a, "--memory=", 9) == 0) {
			if (set_memory(o, a + 9, err, errlen) != CLI_RUN)
				return CLI_ERROR;
		} else if (strcmp(a, "--memory") == 0) {
			if (i + 1 >= argc)
				return fail(err, errlen, "--memory: needs a value (e.g. --memory 512M)");
			if (set_memory(o, argv[++i], err, errlen) != CLI_RUN)
				return CLI_ERROR;
		} else if ((r = net_option(argc, argv, &i, o, err, errlen)) != 0) {
			if (r < 0)
				return CLI_ERROR;
		} else {
			return fail(err, errlen, "%s: unknown option (see nonehost --help)", a);
		}
	}
	*pi = i;
	return CLI_RUN;
}

enum cli_action cli_parse(int argc, char **argv, struct nh_opts *o, char *err, size_t errlen)
{
	return cli_parse_with(0, NULL, NULL, argc, argv, o, err, errlen);
}

enum cli_action cli_parse_with(int nextra, char **extra, const char *extra_name, int argc,
                               char **argv, struct nh_opts *o, char *err, size_t errlen)
{
	enum cli_action r;
	char why[256];
	int i = 0;

	*o = (struct nh_opts){.memory = NH_RAM_DEFAULT, .max_files = FSSHIM_MAX_FILES_DEFAULT,
	                      .max_procs = LAUNCH_MAX_PROCS};
	err[0] = '\0';
	if (nextra > 0) {
		r = options(nextra, extra, &i, o, why, sizeof(why));
		if (r == CLI_ERROR)
			return fail(err, errlen, "%s: %s", extra_name, why);
		if (r != CLI_RUN)
			return r;
		if (i < nextra)
			return fail(err, errlen, "%s: %s: not an option (IMAGE and its ARGS come "
			            "from the command line)", extra_name, extra[i]);
	}
	i = 1;
	if (i < argc && strcmp(argv[i], "run") == 0)
		i++;
	if ((r = options(argc, argv, &i, o, err, errlen)) != CLI_RUN)
		return r;
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (!nss_opts_check(&o->net, o->isolate, why, sizeof(why)))
		return nextra > 0 ? fail(err, errlen, "%s: %s", extra_name, why)
		                  : fail(err, errlen, "%s", why);
	if (o->nallow_exec > 0 && o->max_procs == 0)
		return fail(err, errlen, "--allow-exec %s: no process can start with --max-procs 0",
		            o->allow_exec[0]);
	if (o->launcher_fd > 0 && o->max_procs == 0)
		return fail(err, errlen, "--launcher-fd %d: a launcher serves processes, and "
		            "--max-procs 0 allows none", o->launcher_fd);
	/* The descriptors below N are the guest's, not the host's own. */
	if (o->inherit_fds > 0 && ((o->launcher_fd > 0 && o->launcher_fd < o->inherit_fds) ||
	                           (o->signal_fd > 0 && o->signal_fd < o->inherit_fds) ||
	                           (o->image_fd > 0 && o->image_fd < o->inherit_fds) ||
	                           (o->lifeline_fd > 0 && o->lifeline_fd < o->inherit_fds)))
		return fail(err, errlen, "--inherit-fds %d: --launcher-fd, --signal-fd, --image-fd or "
		            "--lifeline-fd lies among the descriptors 3..%d", o->inherit_fds,
		            o->inherit_fds - 1);
	/* --isolate's supervisor would pass signals on by a page of its own,
	 * and the one given would never learn what the image catches. */
	if (o->signal_fd > 0 && o->isolate)
		return fail(err, errlen, "--signal-fd %d: not with --isolate (its supervisor has a "
		            "signal page of its own)", o->signal_fd);
	if (i >= argc && o->policy)
		return CLI_POLICY;
	if (i >= argc)
		return fail(err, errlen, "no IMAGE given (see nonehost --help)");
	o->image = argv[i];
	o->argc = argc - i;
	o->argv = argv + i;
	return o->policy ? CLI_POLICY : CLI_RUN;
}

void cli_usage(int fd)
{
	dprintf(fd,
	        "usage: nonehost run [OPTIONS] IMAGE [ARGS...]\n"
	        "       nonehost [OPTIONS] IMAGE [ARGS...]\n"
	        "       nonehost --policy [OPTIONS] [IMAGE]\n"
	        "       nonehost binfmt install [--persist] | remove | status | line [NONEHOST]\n"
	        "       nonehost --help | --version\n"
	        "\n"
	        "Run a GOOS=none ELF image in this process. Options end at IMAGE; the\n"
	        "guest gets IMAGE as argv[0], then ARGS, and this environment with TMPDIR\n"
	        "set to its private temporary directory. An image of another machine\n"
	        "(arm64, riscv64, arm) runs under qemu-<arch>-static with the nonehost\n"
	        "built for it (<this directory>/<arch>/nonehost, or\n"
	        "<this directory>/../lib/nonehost/<arch>/nonehost), the qemu process\n"
	        "confined by this one before it starts (--policy IMAGE shows how).\n"
	        "\n"
	        "options:\n"
	        "  --memory SIZE   guest RAM (K/M/G/T suffix, >= 16M, page multiple; default "
	        ARCH_DEFAULT_MEMORY_TEXT ")\n"
	        "  --trace         print every host call on stderr\n"
	        "  --no-sandbox    run the image unconfined (debugging only; warns)\n"
	        "  --isolate       also new user, mount, network, PID and IPC namespaces\n"
	        "  --dir HOST[:GUEST][:ro|rw]\n"
	        "                  grant directory HOST at guest path GUEST (default: HOST's own\n"
	        "                  path), read-only unless rw; repeatable. Always granted: the\n"
	        "                  current directory (read-only), a private TMPDIR (read-write;\n"
	        "                  in memory if the image cannot start a process);\n"
	        "                  with --net private or host also /etc (read-only, made at\n"
	        "                  start: localhost in hosts, the host's services and protocols;\n"
	        "                  with --net host the host's hosts, resolv.conf,\n"
	        "                  nsswitch.conf and CA bundle; a --dir at /etc or above it\n"
	        "                  replaces it).\n"
	        "                  HOST @N: the directory open at descriptor N (GUEST needed)\n"
	        "  --keep-tmp      keep the private TMPDIR (and any /etc) at exit, on disk\n"
	        "                  (printed)\n"
	        "  --tmpdir DIR    DIR, an existing directory, is the private TMPDIR (read-write,\n"
	        "                  the guest's TMPDIR); nonehost neither makes nor removes it\n"
	        "  --cwd GUEST     the image's working directory, a guest path: a directory in\n"
	        "                  the grants or above them (default: the current directory,\n"
	        "                  which is then granted read-only unless a grant holds it)\n"
	        "  --max-files N   the guest's open files and sockets, at most (default 4096)\n"
	        "  --net none|private|host\n"
	        "                  the network: none (no socket), private (a new network\n"
	        "                  namespace with only lo) or host (this machine's network,\n"
	        "                  only as granted below). Default: none\n"
	        "  --net-bind PORT|LO-HI\n"
	        "                  with --net host: local ports the image may bind, TCP and\n"
	        "                  UDP (0: ephemeral ports); repeatable. None given: no bind\n"
	        "  --net-connect ADDR:PORT\n"
	        "                  with --net host: destinations the image may connect or send\n"
	        "                  to; ADDR an IPv4 literal, [IPv6] or *, PORT a number, LO-HI\n"
	        "                  or *; repeatable. None given: no destination\n"
	        "  --net-backend auto|uring|epoll\n"
	        "                  how sockets are served (default auto: io_uring when this\n"
	        "                  kernel has it, else epoll)\n"
	        "  --max-procs N   child processes alive at once, at most (0-4096, default 64);\n"
	        "                  0: none (no launcher). A child is a GOOS=none image, run by\n"
	        "                  a new nonehost with this one's grants and network or\n"
	        "                  narrower, or a host program given with --allow-exec. An\n"
	        "                  image that cannot start one (no os/exec) gets no launcher.\n"
	        "  --allow-exec PATH\n"
	        "                  a host program (absolute PATH) the image may run, confined:\n"
	        "                  Landlock on the grants, the network policy, no privileges;\n"
	        "                  the image sees it at PATH (so PATH searches find it);\n"
	        "                  repeatable, at most 32\n"
	        "  --launcher-fd N the launcher to use, on descriptor N, instead of forking one\n"
	        "                  (nonehost gives it to the host of a foreign image: the\n"
	        "                  launcher runs natively, confined by the kernel)\n"
	        "  --signal-fd N   the signal page of the supervisor outside, on descriptor N\n"
	        "                  (nonehost gives it to the host of a foreign image: a signal\n"
	        "                  the image catches is passed on to it; not with --isolate)\n"
	        "  --image-fd N:PATH\n"
	        "                  read the image from descriptor N, its real path PATH (what\n"
	        "                  os.Executable says); IMAGE stays its argv[0]\n"
	        "  --own-root      this process's root is its own already, where only the\n"
	        "                  read-write grants lie at their guest paths (checked; nonehost\n"
	        "                  gives both to the host of a foreign image, with --dir @N)\n"
	        "  --localtime TARGET\n"
	        "                  the guest's /etc/localtime is a link to TARGET (internal:\n"
	        "                  nonehost gives the host's to the host of a foreign image)\n"
	        "  --inherit-fds N the image's descriptors 3..N-1 are its handles 3..N-1 (4-16;\n"
	        "                  internal: the launcher gives it to a child image started\n"
	        "                  with more than descriptors 0-2)\n"
	        "  --ifaces-fd N   the network's interfaces, as listed already, on descriptor N\n"
	        "                  (internal: nonehost gives it to the host of a foreign image)\n"
	        "  --lifeline-fd N the run's lifeline on descriptor N (internal: the launcher\n"
	        "                  gives it to a child image; its children outlive it, until\n"
	        "                  the run that started the first image ends)\n"
	        "  --policy        print the effective policy (and IMAGE's layout), run nothing\n"
	        "  --help, -h      this text\n"
	        "  --version       print the version and ABI\n"
	        "\n"
	        "binfmt: install (root) registers the binfmt_misc entries nonehost-amd64,\n"
	        "-arm64, -riscv64 and -arm, so a GOOS=none image runs by its path (./app.elf\n"
	        "ARGS) through this nonehost, a foreign one under qemu-user (flag F; --persist\n"
	        "also writes /etc/binfmt.d/nonehost.conf); remove (root) undoes both; status\n"
	        "prints the entries and exits 0 only if all are registered, enabled and run\n"
	        "this nonehost, else 1; line prints the entries' lines, with NONEHOST\n"
	        "(absolute; default this nonehost) as the interpreter, for a binfmt.d file,\n"
	        "and registers nothing.\n"
	        "\n"
	        "NONEHOST_FLAGS: when the first argument is IMAGE itself (nonehost IMAGE ARGS,\n"
	        "the form the kernel uses), its words, split on spaces and tabs (no quoting),\n"
	        "are options before IMAGE, e.g. NONEHOST_FLAGS=\"--dir /srv:ro --net host\";\n"
	        "after run or an option on the command line it is not read.\n"
	        "\n"
	        "exit status: the guest's own, or 125 usage/set-up error, 126 image rejected,\n"
	        "139 unhandled guest fault, 159 sandbox violation.\n");
}
