/*
 * fsshim_etc.c - the guest's /etc: the files Go's pure resolver and its
 * net package read (hosts, resolv.conf, nsswitch.conf, services,
 * protocols) and the image's own user and group (passwd, group: os/user),
 * as snapshots taken at start-up, and the local time zone (localtime), in
 * the run's etc/ (fsshim_tmp.c), granted read-only at /etc. Made under
 * --net private or host, and under none (the default) only for an image
 * that may read passwd and group (fs->users_wanted: it names
 * FSSHIM_USERS_SYMBOL), with those two and localtime alone: there is no
 * name to resolve. Otherwise /etc shows only the /etc/localtime link the
 * fs-shim serves (fsshim_zone.c). fs->etc_wanted is that answer. Set-up
 * code: plain open and write before the sandbox, every call checked,
 * errors one line and 125.
 *
 * Contract:
 *   fsshim_etc_make()  makes etc/ (fs->run.etc on disk, or in the run's
 *       tmpfs), fills it from /etc for the network the options ask for
 *       (h->opts.net.mode), then makes it 0555; returns it open (O_PATH).
 *   fsshim_etc_fill()  fills directory dirfd from directory src:
 *       hosts          --net host: a copy of src/hosts; private: exactly
 *                      "127.0.0.1 localhost" and "::1 localhost ..." (the
 *                      image's network has nothing else to name); none:
 *                      absent
 *       resolv.conf,   --net host only: copies (otherwise absent: there is
 *       nsswitch.conf  no server to ask)
 *       services,      copies, private or host (public tables: port and
 *       protocols      protocol names)
 *       passwd, group  the image's own entries only, whatever the network:
 *                      the line of src/passwd for fs->uid, and of
 *                      src/group for fs->gid without its member list (Go's
 *                      os/user reads them); absent if src has none
 *       localtime      the host's local time zone (fsshim_zone.c): a link
 *                      to fs->localtime when that is set (the host's is a
 *                      link), else a copy of src/localtime
 *       the CA bundle  --net host only: the first of Go's Linux bundle
 *                      paths (ssl/certs/ca-certificates.crt, ...) that
 *                      src has, copied to the same path, its directories
 *                      mode 0555 (crypto/x509 finds the system roots where
 *                      Linux has them; an HTTPS client then verifies as
 *                      on Linux). Public data, as services is.
 *       Each file mode 0444. A source that does not exist is not copied;
 *       one that is not a regular file, or larger than FSSHIM_ETC_MAX
 *       (1 MiB), is refused (125). Then, for each grant beneath /etc (e.g.
 *       --dir /etc/ssl:ro), the empty directories on the way to it, mode
 *       0555, as the outer grant of a nested one must have them: /etc lists
 *       it and the slow path of fsshim_resolve.c walks through them. A name
 *       already taken by one of the files is left as it is (the grant still
 *       wins at its own path).
 *   fsshim_etc_note()  the label --policy gives the grant.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"

static const char localhost[] =
	"127.0.0.1\tlocalhost\n"
	"::1\tlocalhost ip6-localhost ip6-loopback\n";

static const struct etc_file {
	const char *name;
	bool always;           /* copied under private and host (else --net host only) */
	const char *otherwise; /* written when not copied, or NULL */
} etc_files[] = {
	{"hosts", false, localhost},
	{"resolv.conf", false, NULL},
	{"nsswitch.conf", false, NULL},
	{"services", true, NULL},
	{"protocols", true, NULL},
};

/* Where Linux keeps its bundle of trusted CA certificates, relative to
 * /etc, in crypto/x509's order (root_linux.go, whose list root_none.go
 * repeats): the first that exists is the one. */
static const struct ca_bundle {
	const char *dir, *name;
} ca_bundles[] = {
	{"ssl/certs", "ca-certificates.crt"},                /* Debian, Ubuntu, Gentoo */
	{"pki/tls/certs", "ca-bundle.crt"},                  /* Fedora, RHEL 6 */
	{"ssl", "ca-bundle.pem"},                            /* openSUSE */
	{"pki/tls", "cacert.pem"},                           /* OpenELEC */
	{"pki/ca-trust/extracted/pem", "tls-ca-bundle.pem"}, /* CentOS, RHEL 7 */
	{"ssl", "cert.pem"},                                 /* Alpine */
};

/* Create name in dirfd for writing, mode 0444 whatever the umask. */
static int create(const struct fsshim *fs, int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0444);

	if (fd < 0 || fchmod(fd, 0444) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot write the guest's /etc: %s/%s", fs->run.etc, name);
	return fd;
}

static void put(const struct fsshim *fs, int fd, const char *name, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			nh_die_errno(NH_EXIT_USAGE, "cannot write the guest's /etc: %s/%s", fs->run.etc,
			             name);
		}
		p += w;
		n -= (size_t)w;
	}
}

static void done(const struct fsshim *fs, int fd, const char *name)
{
	if (close(fd) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot write the guest's /etc: %s/%s", fs->run.etc, name);
}

/* Open src/name to copy from: -1 if it does not exist; one that is not a
 * regular file, or larger than FSSHIM_ETC_MAX, is refused (125). */
static int open_source(const char *src, const char *name, char from[PATH_MAX])
{
	struct stat st;
	int in;

	if ((size_t)snprintf(from, PATH_MAX, "%s/%s", src, name) >= PATH_MAX)
		nh_die(NH_EXIT_USAGE, "cannot copy %s/%s into the guest's /etc: path too long", src, name);
	/* O_NONBLOCK: a FIFO put there must not hang the start */
	in = open(from, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (in < 0 && errno == ENOENT)
		return -1;
	if (in < 0 || fstat(in, &st) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot copy %s into the guest's /etc", from);
	if (!S_ISREG(st.st_mode))
		nh_die(NH_EXIT_USAGE, "cannot copy %s into the guest's /etc: not a regular file", from);
	if ((long long)st.st_size > FSSHIM_ETC_MAX)
		nh_die(NH_EXIT_USAGE, "cannot copy %s into the guest's /etc: %lld bytes, more than "
		       "1 MiB (%lld)", from, (long long)st.st_size, FSSHIM_ETC_MAX);
	return in;
}

/* Copy in, opened by open_source() from path from, to name in dirfd. */
static void copy_open(const struct fsshim *fs, int dirfd, int in, const char *from,
                      const char *name)
{
	long long total = 0;
	ssize_t n;
	int out = create(fs, dirfd, name);

	/* in the kernel: a CA bundle is 200 KiB and more, read and written
	 * through a buffer it cost twice as much at each start */
	while ((n = sendfile(out, in, NULL, (size_t)(FSSHIM_ETC_MAX + 1 - total))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot copy %s into the guest's /etc", from);
		total += n;
		if (total > FSSHIM_ETC_MAX) /* it grew since fstat */
			nh_die(NH_EXIT_USAGE, "cannot copy %s into the guest's /etc: more than 1 MiB "
			       "(%lld)", from, FSSHIM_ETC_MAX);
	}
	if (close(in) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot copy %s into the guest's /etc", from);
	done(fs, out, name);
}

/* Copy src/name into dirfd, if src/name exists. */
static void copy(const struct fsshim *fs, int dirfd, const char *src, const char *name)
{
	char from[PATH_MAX];
	int in = open_source(src, name, from);

	if (in >= 0)
		copy_open(fs, dirfd, in, from, name);
}

/* The end of field k (0-based) of a colon-separated line, or NULL. */
static const char *field_end(const char *line, int k)
{
	for (const char *p = line; *p != '\0' && *p != '\n'; p++)
		if (*p == ':' && k-- == 0)
			return p;
	return NULL;
}

/* From src/name (passwd or group), the first line whose third field (the
 * uid or gid) is id, into dirfd; of a group line its first three fields
 * only: the member list names other users, not ours to give. Nothing if
 * there is none (a uid no database names: Go's os/user then falls back to
 * $USER and $HOME, as without cgo on Linux). */
static void own_entry(const struct fsshim *fs, int dirfd, const char *src, const char *name,
                      uint32_t id, bool group)
{
	char from[PATH_MAX], want[16];
	size_t cap = 0;
	char *line = NULL;
	ssize_t n;
	FILE *in;
	int fd;

	if ((fd = open_source(src, name, from)) < 0)
		return;
	if ((in = fdopen(fd, "r")) == NULL)
		nh_die_errno(NH_EXIT_USAGE, "cannot read %s", from);
	snprintf(want, sizeof(want), ":%u:", id);
	while ((n = getline(&line, &cap, in)) > 0) {
		const char *id_at = field_end(line, 1), *id_end = field_end(line, 2);
		int out;

		if (id_at == NULL || id_end == NULL || (size_t)(id_end - id_at + 1) != strlen(want) ||
		    memcmp(id_at, want, strlen(want)) != 0)
			continue;
		out = create(fs, dirfd, name);
		if (group) {
			put(fs, out, name, line, (size_t)(id_end - line + 1));
			put(fs, out, name, "\n", 1);
		} else {
			put(fs, out, name, line, (size_t)n);
			if (line[n - 1] != '\n')
				put(fs, out, name, "\n", 1);
		}
		done(fs, out, name);
		break;
	}
	if (ferror(in))
		nh_die_errno(NH_EXIT_USAGE, "cannot read %s", from);
	free(line);
	fclose(in);
}

/* The path of grant guest path g relative to /etc, or NULL if g is not beneath it. */
static const char *beneath_etc(const char *g)
{
	const size_t n = sizeof(FSSHIM_ETC_GUEST) - 1;

	return strncmp(g, FSSHIM_ETC_GUEST, n) == 0 && g[n] == '/' ? g + n + 1 : NULL;
}

/* Each directory on the way to rel, rel included: made (pass 0), then made
 * 0555 (pass 1). A name already taken by something else than a directory
 * (one of the files) ends the way there. */
static void way_to(const struct fsshim *fs, int dirfd, const char *rel, int pass)
{
	char p[NH_PATH_MAX + 1];
	size_t n = strlen(rel);

	memcpy(p, rel, n + 1);
	for (size_t i = 0; i <= n; i++) {
		struct stat st;

		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (pass == 0 && mkdirat(dirfd, p, 0755) != 0 && errno != EEXIST)
			nh_die_errno(NH_EXIT_USAGE, "cannot make %s/%s in the guest's /etc", fs->run.etc, p);
		if (fstatat(dirfd, p, &st, AT_SYMLINK_NOFOLLOW) != 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot make %s/%s in the guest's /etc", fs->run.etc, p);
		if (!S_ISDIR(st.st_mode))
			return;
		if (pass == 1 && fchmodat(dirfd, p, 0555, 0) != 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot make %s/%s read-only", fs->run.etc, p);
		p[i] = rel[i];
	}
}

/* The first CA bundle src has, copied to its path in dirfd, or NULL (its
 * directories are left writable: the caller makes them 0555 last, after
 * the ways to nested grants, which may pass through them). */
static const struct ca_bundle *copy_ca_bundle(const struct fsshim *fs, int dirfd, const char *src)
{
	for (size_t i = 0; i < sizeof(ca_bundles) / sizeof(ca_bundles[0]); i++) {
		const struct ca_bundle *b = &ca_bundles[i];
		char rel[64], from[PATH_MAX];
		int in;

		snprintf(rel, sizeof(rel), "%s/%s", b->dir, b->name);
		if ((in = open_source(src, rel, from)) < 0)
			continue;
		way_to(fs, dirfd, b->dir, 0);
		copy_open(fs, dirfd, in, from, rel);
		return b;
	}
	return NULL;
}

void fsshim_etc_fill(const struct fsshim *fs, int dirfd, const char *src, int mode)
{
	const bool net_host = mode == NSS_HOST, net = net_host || mode == NSS_PRIVATE;
	const struct ca_bundle *bundle = NULL;

	for (size_t i = 0; net && i < sizeof(etc_files) / sizeof(etc_files[0]); i++) {
		const struct etc_file *f = &etc_files[i];

		if (net_host || f->always) {
			copy(fs, dirfd, src, f->name);
		} else if (f->otherwise != NULL) {
			int fd = create(fs, dirfd, f->name);

			put(fs, fd, f->name, f->otherwise, strlen(f->otherwise));
			done(fs, fd, f->name);
		}
	}
	own_entry(fs, dirfd, src, "passwd", fs->uid, false);
	own_entry(fs, dirfd, src, "group", fs->gid, true);
	if (fs->localtime[0] != '\0') {
		if (symlinkat(fs->localtime, dirfd, "localtime") != 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot write the guest's /etc: %s/localtime",
			             fs->run.etc);
	} else {
		copy(fs, dirfd, src, "localtime");
	}
	if (net_host)
		bundle = copy_ca_bundle(fs, dirfd, src);
	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < fs->ngrants; i++) {
			const char *rel = beneath_etc(fs->grant[i].guest);

			if (rel != NULL)
				way_to(fs, dirfd, rel, pass);
		}
	if (bundle != NULL)
		way_to(fs, dirfd, bundle->dir, 1);
}

int fsshim_etc_make(struct nh_host *h, int at)
{
	const struct fsshim *fs = &h->fs;
	const char *name = at == AT_FDCWD ? fs->run.etc : "etc";
	int fd, path;

	if (mkdirat(at, name, 0700) != 0 ||
	    (fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot make the guest's /etc %s", fs->run.etc);
	fsshim_etc_fill(fs, fd, FSSHIM_ETC_SOURCE, h->opts.net.mode);
	if (fchmod(fd, 0555) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot make the guest's /etc %s read-only", fs->run.etc);
	path = openat(fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (path < 0 || close(fd) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot open the guest's /etc %s", fs->run.etc);
	return path;
}

const char *fsshim_etc_note(const struct nh_host *h)
{
	if (h->opts.net.mode == NSS_HOST)
		return "the guest's /etc: name-resolution files, copied at start (--net host: the "
		       "host's hosts, resolv.conf, nsswitch.conf, services, protocols, CA bundle)";
	if (h->opts.net.mode == NSS_PRIVATE)
		return "the guest's /etc: name-resolution files, copied at start (hosts: localhost "
		       "only; the host's services, protocols)";
	return "the guest's /etc: the image's own passwd and group lines (os/user), copied at "
	       "start, and the local time zone";
}
