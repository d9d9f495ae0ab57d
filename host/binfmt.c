/*
 * binfmt.c - the binfmt_misc launcher: run a GOOS=none image by its path.
 *
 * Contract:
 *   nonehost binfmt install [--persist]
 *       registers one binfmt_misc entry "nonehost-<arch>" per row of the
 *       table (amd64, arm64, riscv64, arm), all run by this nonehost, which
 *       hands images of another machine to qemu-user (foreign.c); each with
 *       the line
 *       binfmt_line() builds: type M, offset 0, the first BINFMT_HDR_LEN
 *       bytes of the ELF header as magic and mask (binfmt_magic(): magic,
 *       class, data LSB, version 1, EI_OSABI 255, e_type ET_EXEC, e_machine;
 *       EI_ABIVERSION and the padding masked out), every byte as \xHH; the
 *       interpreter this nonehost's real path (/proc/self/exe); flags "F"
 *       only (the kernel opens the interpreter now, so the entry works in
 *       containers and chroots; never "C": no credentials from the image).
 *       Mounts binfmt_misc on /proc/sys/fs/binfmt_misc if it is not; an entry
 *       of that name is replaced (written -1 first) and a line says so.
 *       --persist also writes the lines to /etc/binfmt.d/nonehost.conf (made
 *       by rename, mode 0644; the directory made if missing) for
 *       systemd-binfmt.
 *   nonehost binfmt remove
 *       writes -1 to each entry and removes /etc/binfmt.d/nonehost.conf if
 *       there; nothing registered is not an error (a line says so, exit 0).
 *   nonehost binfmt line [NONEHOST]
 *       prints the lines install would register, with NONEHOST (absolute; it
 *       need not exist yet: a staged install names where it will be) as the
 *       interpreter, default this nonehost; registers nothing, needs no root.
 *       make install writes its binfmt.d file with it.
 *   nonehost binfmt status
 *       prints whether each entry is registered and enabled, its interpreter,
 *       flags, offset, magic and mask (each compared with what install would
 *       write), and the binfmt.d file; exit 0 if every entry is registered,
 *       enabled (binfmt_misc as a whole too) and its interpreter is this
 *       nonehost (same real path), else 1.
 *   Every error is one line, exit 125; EPERM or EACCES from the mount, a
 *   write or the binfmt.d file reads "nonehost: binfmt CMD: needs root: ...".
 *   Reports go to stdout.
 *
 *   NONEHOST_FLAGS (binfmt_cli_parse): the kernel starts the entry's
 *   interpreter as "nonehost /path/to/image ARGS...", so options cannot be
 *   on that command line. When nonehost's first argument is IMAGE itself
 *   (not "run", not "binfmt", not an option), the words of NONEHOST_FLAGS
 *   (split on spaces and tabs, no quoting, at most BINFMT_FLAGS_MAX words)
 *   are parsed as options before IMAGE; a word that is not an option, or a
 *   bad one, is a usage error naming NONEHOST_FLAGS. Otherwise it is ignored.
 *   binfmt_line(), binfmt_magic(), binfmt_split() and binfmt_cli_parse() are
 *   pure (unit-tested); binfmt_main() acts and prints.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "host.h"

#define BM_DIR      "/proc/sys/fs/binfmt_misc"
#define BM_REGISTER BM_DIR "/register"
#define BM_STATUS   BM_DIR "/status"
#define BM_CONF_DIR "/etc/binfmt.d"
#define BM_CONF     BM_CONF_DIR "/nonehost.conf"
#define BM_MAX_LINE 1920 /* the kernel's MAX_REGISTER_LENGTH */
#define BM_USAGE    "binfmt install [--persist] | remove | status | line [NONEHOST]"

/* One row per GOARCH of GOOS=none, whichever this build is for. Every one
 * is little-endian (binfmt_magic matches ELFDATA2LSB). */
static const struct binfmt_arch arches[] = {
	{"amd64", ELFCLASS64, EM_X86_64},
	{"arm64", ELFCLASS64, EM_AARCH64},
	{"riscv64", ELFCLASS64, EM_RISCV},
	{"arm", ELFCLASS32, EM_ARM},
};

const struct binfmt_arch *binfmt_arch_by_name(const char *goarch)
{
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (strcmp(arches[i].name, goarch) == 0)
			return &arches[i];
	return NULL;
}

const struct binfmt_arch *binfmt_host_arch(void)
{
	return binfmt_arch_by_name(ARCH_GOARCH);
}

void binfmt_magic(const struct binfmt_arch *a, uint8_t magic[BINFMT_HDR_LEN],
                  uint8_t mask[BINFMT_HDR_LEN])
{
	const uint8_t m[BINFMT_HDR_LEN] = {
		[EI_MAG0] = ELFMAG0, [EI_MAG1] = ELFMAG1, [EI_MAG2] = ELFMAG2, [EI_MAG3] = ELFMAG3,
		[EI_CLASS] = a->class, [EI_DATA] = ELFDATA2LSB, [EI_VERSION] = EV_CURRENT,
		[EI_OSABI] = NH_ELFOSABI_STANDALONE,
		[EI_NIDENT] = ET_EXEC & 0xff, [EI_NIDENT + 1] = ET_EXEC >> 8,      /* e_type */
		[EI_NIDENT + 2] = a->machine & 0xff, [EI_NIDENT + 3] = a->machine >> 8, /* e_machine */
	};

	_Static_assert(BINFMT_HDR_LEN == EI_NIDENT + 4, "e_ident, e_type, e_machine");
	for (int i = 0; i < BINFMT_HDR_LEN; i++) {
		/* EI_ABIVERSION and the padding may be anything */
		bool matched = i <= EI_OSABI || i >= EI_NIDENT;

		mask[i] = matched ? 0xff : 0x00;
		magic[i] = m[i] & mask[i];
	}
}

/* Append s to buf (at *n), or false when it does not fit. */
static bool put(char *buf, size_t len, size_t *n, const char *s)
{
	size_t k = strlen(s);

	if (*n + k >= len)
		return false;
	memcpy(buf + *n, s, k + 1);
	*n += k;
	return true;
}

static bool put_hex(char *buf, size_t len, size_t *n, const uint8_t *b, size_t k)
{
	char x[5];

	for (size_t i = 0; i < k; i++) {
		snprintf(x, sizeof(x), "\\x%02x", b[i]);
		if (!put(buf, len, n, x))
			return false;
	}
	return true;
}

bool binfmt_line(const struct binfmt_arch *a, const char *interp, char *buf, size_t len,
                 char *err, size_t errlen)
{
	uint8_t magic[BINFMT_HDR_LEN], mask[BINFMT_HDR_LEN];
	size_t n = 0;

	if (interp[0] != '/' || strpbrk(interp, ":\n") != NULL) {
		snprintf(err, errlen, "%s: the interpreter must be an absolute path without ':' "
		         "or a newline", interp);
		return false;
	}
	binfmt_magic(a, magic, mask);
	buf[0] = '\0';
	if (!put(buf, len, &n, ":nonehost-") || !put(buf, len, &n, a->name) ||
	    !put(buf, len, &n, ":M:0:") || !put_hex(buf, len, &n, magic, sizeof(magic)) ||
	    !put(buf, len, &n, ":") || !put_hex(buf, len, &n, mask, sizeof(mask)) ||
	    !put(buf, len, &n, ":") || !put(buf, len, &n, interp) || !put(buf, len, &n, ":F") ||
	    n > BM_MAX_LINE) {
		snprintf(err, errlen, "the interpreter's path is too long for a binfmt_misc entry "
		         "(%zu bytes; the line is at most %d): %s", strlen(interp), BM_MAX_LINE,
		         interp);
		return false;
	}
	return true;
}

int binfmt_split(char *s, char **words, int max)
{
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (*s == '\0')
			return n;
		if (n == max)
			return -1;
		words[n++] = s;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
	}
}

enum cli_action cli_parse_env(const char *name, const char *value, const char *also, char *buf,
                              size_t buflen, char **words, int max, int argc, char **argv,
                              struct nh_opts *o, char *err, size_t errlen)
{
	int n;

	if (strlen(value) >= buflen) {
		snprintf(err, errlen, "%s: too long (%zu bytes, at most %zu)", name, strlen(value),
		         buflen - 1);
		return CLI_ERROR;
	}
	strcpy(buf, value);
	if (also != NULL)
		max--; /* its place */
	if ((n = binfmt_split(buf, words, max)) < 0) {
		snprintf(err, errlen, "%s: more than %d words", name, max);
		return CLI_ERROR;
	}
	if (also != NULL)
		words[n++] = (char *)also;
	return cli_parse_with(n, words, name, argc, argv, o, err, errlen);
}

enum cli_action binfmt_cli_parse(int argc, char **argv, const char *flags, struct nh_opts *o,
                                 char *err, size_t errlen)
{
	/* --dir values stay pointers into the words: static, not on the stack */
	static char buf[4096];
	static char *words[BINFMT_FLAGS_MAX];

	if (flags == NULL || argc < 2 || argv[1][0] == '-' || strcmp(argv[1], "run") == 0 ||
	    strcmp(argv[1], "binfmt") == 0)
		return cli_parse(argc, argv, o, err, errlen);
	return cli_parse_env("NONEHOST_FLAGS", flags, NULL, buf, sizeof(buf), words, BINFMT_FLAGS_MAX,
	                     argc, argv, o, err, errlen);
}

/* ---- binfmt_main: the subcommand ---------------------------------------- */

/* Die with "binfmt CMD: [needs root: ]MSG[: strerror(e)]", 125. */
__attribute__((format(printf, 3, 4)))
static _Noreturn void bm_die(const char *cmd, int e, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e == 0)
		nh_die(NH_EXIT_USAGE, "binfmt %s: %s", cmd, msg);
	nh_die(NH_EXIT_USAGE, "binfmt %s: %s%s: %s", cmd,
	       e == EPERM || e == EACCES ? "needs root: " : "", msg, strerror(e));
}

/* The whole of a small file (proc or binfmt.d) into buf: 0, or an errno. */
static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t r = 0;

	if (fd < 0)
		return errno;
	while (n + 1 < len && (r = read(fd, buf + n, len - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	r = r < 0 ? errno : 0;
	close(fd);
	return (int)r;
}

/* s in one write(2), as binfmt_misc wants it: 0, or an errno. */
static int write_once(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t k = strlen(s);
	ssize_t r;
	int e;

	if (fd < 0)
		return errno;
	r = write(fd, s, k);
	e = r < 0 ? errno : (size_t)r != k ? EIO : 0;
	close(fd);
	return e;
}

/* This nonehost's path, checked to still be the running file. */
static void this_exe(const char *cmd, char *path, size_t len)
{
	struct stat self, named;
	ssize_t n = readlink("/proc/self/exe", path, len - 1);

	if (n < 0)
		bm_die(cmd, errno, "cannot read /proc/self/exe");
	if ((size_t)n >= len - 1)
		bm_die(cmd, 0, "/proc/self/exe: path too long");
	path[n] = '\0';
	if (stat("/proc/self/exe", &self) != 0)
		bm_die(cmd, errno, "cannot stat /proc/self/exe");
	if (stat(path, &named) != 0 || named.st_dev != self.st_dev || named.st_ino != self.st_ino)
		bm_die(cmd, 0, "%s: no longer this nonehost (deleted or replaced while running?)",
		       path);
}

/* Same file by real path (an interpreter that is gone is not the same). */
static bool same_path(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	return realpath(a, ra) != NULL && realpath(b, rb) != NULL && strcmp(ra, rb) == 0;
}

/* The value of the entry file's line starting with key, into v ("" if none). */
static void entry_field(const char *entry, const char *key, char *v, size_t len)
{
	size_t k = strlen(key);

	v[0] = '\0';
	for (const char *l = entry; *l != '\0'; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "") {
		if (strncmp(l, key, k) == 0) {
			size_t n = strcspn(l + k, "\n");

			snprintf(v, len, "%.*s", (int)n, l + k);
			return;
		}
	}
}

static void hex(const uint8_t *b, size_t k, char *out)
{
	for (size_t i = 0; i < k; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

#define NARCHES (sizeof(arches) / sizeof(arches[0]))

static void entry_path(const struct binfmt_arch *a, char *out, size_t len)
{
	snprintf(out, len, BM_DIR "/nonehost-%s", a->name);
}

/* Every row's line, with interp as the interpreter. */
static void all_lines(const char *cmd, const char *interp, char lines[][BM_MAX_LINE + 1])
{
	char why[PATH_MAX + 128];

	for (size_t i = 0; i < NARCHES; i++)
		if (!binfmt_line(&arches[i], interp, lines[i], BM_MAX_LINE + 1, why, sizeof(why)))
			bm_die(cmd, 0, "%s", why);
}

static void register_entry(const struct binfmt_arch *a, const char *line, const char *self)
{
	char entry[64], old[4096], interp[PATH_MAX];
	bool replaced = false;
	int e;

	entry_path(a, entry, sizeof(entry));
	if ((e = read_small(entry, old, sizeof(old))) == 0) {
		entry_field(old, "interpreter ", interp, sizeof(interp));
		if ((e = write_once(entry, "-1")) != 0)
			bm_die("install", e, "cannot remove the existing entry %s", entry);
		printf("%s: replaced the existing entry (interpreter %s)\n", entry + sizeof(BM_DIR),
		       interp[0] != '\0' ? interp : "unknown");
		replaced = true;
	} else if (e != ENOENT) {
		bm_die("install", e, "cannot read %s", entry);
	}
	if ((e = write_once(BM_REGISTER, line)) != 0)
		bm_die("install", e, "cannot register %s%s (the kernel read: %s)",
		       entry + sizeof(BM_DIR), replaced ? ", the old entry is gone" : "", line);
	printf("%s: registered: GOOS=none %s images now run through %s\n", entry + sizeof(BM_DIR),
	       a->name, self);
}

/* One entry per row: this nonehost runs its own machine's images and hands
 * the others to qemu-user with their host (host/foreign.c). */
static int install(bool persist)
{
	char self[PATH_MAX], lines[NARCHES][BM_MAX_LINE + 1];
	int e;

	this_exe("install", self, sizeof(self));
	all_lines("install", self, lines);
	if (access(BM_REGISTER, F_OK) != 0) {
		if (access(BM_DIR, F_OK) != 0)
			bm_die("install", 0, "this kernel has no binfmt_misc (no %s)", BM_DIR);
		if (mount("binfmt_misc", BM_DIR, "binfmt_misc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		          NULL) != 0)
			bm_die("install", errno, "cannot mount binfmt_misc on %s", BM_DIR);
		printf("mounted binfmt_misc on %s\n", BM_DIR);
	}
	for (size_t i = 0; i < NARCHES; i++)
		register_entry(&arches[i], lines[i], self);
	if (persist) {
		char tmp[] = BM_CONF_DIR "/.nonehost.conf.XXXXXX";
		bool ok;
		int fd;

		if (mkdir(BM_CONF_DIR, 0755) != 0 && errno != EEXIST)
			bm_die("install", errno, "cannot make %s", BM_CONF_DIR);
		if ((fd = mkstemp(tmp)) < 0)
			bm_die("install", errno, "cannot write %s", BM_CONF);
		ok = fchmod(fd, 0644) == 0 &&
		     dprintf(fd, "# nonehost binfmt install --persist: GOOS=none images run "
		             "through nonehost\n") >= 0;
		for (size_t i = 0; ok && i < NARCHES; i++)
			ok = dprintf(fd, "%s\n", lines[i]) >= 0;
		if (!ok || fsync(fd) != 0 || close(fd) != 0 || rename(tmp, BM_CONF) != 0) {
			e = errno;
			unlink(tmp);
			bm_die("install", e, "cannot write %s", BM_CONF);
		}
		printf("%s: written (systemd-binfmt registers the entries at boot)\n", BM_CONF);
	}
	return 0;
}

static int remove_entries(void)
{
	for (size_t i = 0; i < NARCHES; i++) {
		char entry[64], old[4096], interp[PATH_MAX];
		int e;

		entry_path(&arches[i], entry, sizeof(entry));
		if ((e = read_small(entry, old, sizeof(old))) == 0) {
			entry_field(old, "interpreter ", interp, sizeof(interp));
			if ((e = write_once(entry, "-1")) != 0)
				bm_die("remove", e, "cannot remove %s", entry);
			printf("%s: removed (interpreter %s)\n", entry + sizeof(BM_DIR), interp);
		} else if (e == ENOENT) {
			printf("%s: not registered, nothing to remove\n", entry + sizeof(BM_DIR));
		} else {
			bm_die("remove", e, "cannot read %s", entry);
		}
	}
	if (unlink(BM_CONF) == 0)
		printf("%s: removed\n", BM_CONF);
	else if (errno != ENOENT)
		bm_die("remove", errno, "cannot remove %s", BM_CONF);
	return 0;
}

/* The binfmt.d file, if any: whether it holds the lines install writes. */
static void status_conf(char lines[][BM_MAX_LINE + 1])
{
	char buf[16384];
	bool all = true;

	if (read_small(BM_CONF, buf, sizeof(buf)) != 0)
		return;
	for (size_t i = 0; i < NARCHES; i++)
		all = all && lines[i][0] != '\0' && strstr(buf, lines[i]) != NULL;
	printf("%s: present, %s\n", BM_CONF, all ? "with the lines install --persist writes"
	       : "not with the lines install --persist would write");
}

/* One entry: registered, enabled, this nonehost's, as install writes it. */
static bool status_entry(const struct binfmt_arch *a, const char *self)
{
	uint8_t magic[BINFMT_HDR_LEN], mask[BINFMT_HDR_LEN];
	char want_magic[2 * BINFMT_HDR_LEN + 1], want_mask[2 * BINFMT_HDR_LEN + 1];
	char entry[64], buf[4096], interp[PATH_MAX], v[256];
	const char *name = entry + sizeof(BM_DIR);
	bool enabled, here;
	int e;

	entry_path(a, entry, sizeof(entry));
	binfmt_magic(a, magic, mask);
	hex(magic, sizeof(magic), want_magic);
	hex(mask, sizeof(mask), want_mask);
	if ((e = read_small(entry, buf, sizeof(buf))) == ENOENT) {
		printf("%s: not registered\n", name);
		return false;
	}
	if (e != 0)
		bm_die("status", e, "cannot read %s", entry);
	enabled = strncmp(buf, "enabled\n", 8) == 0;
	entry_field(buf, "interpreter ", interp, sizeof(interp));
	here = same_path(interp, self);
	printf("%s: registered, %s\n", name, enabled ? "enabled" : "disabled");
	printf("  interpreter: %s (%s)\n", interp, here ? "this nonehost" : "not this nonehost");
	entry_field(buf, "flags: ", v, sizeof(v));
	printf("  flags: %s\n", v);
	entry_field(buf, "offset ", v, sizeof(v));
	printf("  offset: %s\n", v);
	entry_field(buf, "magic ", v, sizeof(v));
	printf("  magic: %s (%s)\n", v, strcmp(v, want_magic) == 0 ? "as install writes it" : "differs");
	entry_field(buf, "mask ", v, sizeof(v));
	printf("  mask: %s (%s)\n", v, strcmp(v, want_mask) == 0 ? "as install writes it" : "differs");
	return enabled && here;
}

static int status(void)
{
	char self[PATH_MAX], lines[NARCHES][BM_MAX_LINE + 1], why[PATH_MAX + 128], v[256];
	bool all = true;

	this_exe("status", self, sizeof(self));
	for (size_t i = 0; i < NARCHES; i++)
		if (!binfmt_line(&arches[i], self, lines[i], sizeof(lines[i]), why, sizeof(why)))
			lines[i][0] = '\0'; /* not installable from here: nothing matches it */
	if (access(BM_REGISTER, F_OK) != 0) {
		printf("binfmt_misc: not mounted on %s: no entry is registered\n", BM_DIR);
		status_conf(lines);
		return 1;
	}
	for (size_t i = 0; i < NARCHES; i++)
		all = status_entry(&arches[i], self) && all;
	if (read_small(BM_STATUS, v, sizeof(v)) == 0 && strncmp(v, "enabled", 7) != 0) {
		printf("binfmt_misc: disabled as a whole (%s)\n", BM_STATUS);
		all = false;
	}
	status_conf(lines);
	return all ? 0 : 1;
}

/* The lines, for a binfmt.d file written elsewhere (make install). */
static int print_lines(const char *interp)
{
	char self[PATH_MAX], lines[NARCHES][BM_MAX_LINE + 1];

	if (interp == NULL) {
		this_exe("line", self, sizeof(self));
		interp = self;
	}
	all_lines("line", interp, lines);
	for (size_t i = 0; i < NARCHES; i++)
		printf("%s\n", lines[i]);
	return 0;
}

int binfmt_main(int argc, char **argv)
{
	const char *cmd = argc > 0 ? argv[0] : "";

	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		printf("usage: nonehost " BM_USAGE "\n");
		return 0;
	}
	if (argc == 0)
		nh_die(NH_EXIT_USAGE, "usage: binfmt: needs a subcommand (nonehost " BM_USAGE ")");
	if (strcmp(cmd, "install") != 0 && strcmp(cmd, "remove") != 0 && strcmp(cmd, "status") != 0 &&
	    strcmp(cmd, "line") != 0)
		nh_die(NH_EXIT_USAGE, "usage: binfmt %s: not a subcommand (nonehost " BM_USAGE ")",
		       cmd);
	for (int i = 1; i < argc; i++) {
		if (strcmp(cmd, "install") == 0 && strcmp(argv[i], "--persist") == 0)
			continue;
		if (strcmp(cmd, "line") == 0 && i == 1 && argv[i][0] != '-')
			continue;
		nh_die(NH_EXIT_USAGE, "usage: binfmt %s: %s: unknown argument (nonehost " BM_USAGE ")",
		       cmd, argv[i]);
	}
	if (strcmp(cmd, "install") == 0)
		return install(argc > 1);
	if (strcmp(cmd, "remove") == 0)
		return remove_entries();
	if (strcmp(cmd, "line") == 0)
		return print_lines(argc > 1 ? argv[1] : NULL);
	return status();
}
