/*
 * fsshim_zone.c - the host's time zone, where a Linux program finds it:
 * the zone database, read-only at its own path, and /etc/localtime.
 *
 * Why: Go's time package (zoneinfo_unix.go, built for none too) takes the
 * local zone from /etc/localtime unless TZ names one, and LoadLocation's
 * zones from the first of four directories that has them. Without these an
 * image ran in UTC whatever the host's zone, and LoadLocation
 * ("Europe/Berlin") failed, where the same program built for Linux works.
 * Both are the host's public data, like /etc/services; an image that wants
 * UTC sets TZ, as on Linux.
 *
 * Contract: fsshim_zone(h, root), set-up code right after fsshim_setup
 * (root "" in a run; a test's tree otherwise):
 *   the database   the first of fsshim_zone_dirs that root has as a
 *       directory, granted read-only (FSSHIM_ZONE) at that path, its host
 *       side realpath'd. Not when a grant holds that path already (--dir
 *       /:ro shows the host's own), nor when a read-write grant's host
 *       directory holds it (fsshim_check would refuse a read-only grant
 *       there); nothing when root has none.
 *   /etc/localtime  the target of root's, when it is a symbolic link (at
 *       most NH_PATH_MAX bytes; h->opts.localtime instead when given: the
 *       native nonehost's, for a foreign host in a root of its own that has
 *       no /etc), into fs->localtime, and what STAT shows for it (the
 *       host's lstat; for a given one root's, mode 0777, the time of set-up). The
 *       fs-shim serves the guest a link with that target at /etc/localtime
 *       when no grant holds that path or lies beneath it (fsshim_tree.c),
 *       resolved in the guest's tree like any link, so into the database's
 *       grant; our /etc, when made, holds the same link (fsshim_etc.c). A
 *       regular file there is not shown under --net none (no descriptor to
 *       serve it by) and is copied into our /etc otherwise.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

const char *const fsshim_zone_dirs[] = {
	"/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ", "/etc/zoneinfo", NULL,
};

static void grant_database(struct fsshim *fs, const char *root)
{
	for (const char *const *d = fsshim_zone_dirs; *d != NULL; d++) {
		char at[PATH_MAX], *real;
		struct stat st;
		bool inside_rw = false;

		if ((size_t)snprintf(at, sizeof(at), "%s%s", root, *d) >= sizeof(at) || stat(at, &st) != 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		if (fsshim_grant_of(fs, *d, strlen(*d)) >= 0)
			return; /* the guest sees that grant's */
		if ((real = realpath(at, NULL)) == NULL)
			nh_die_errno(NH_EXIT_USAGE, "the time zone database %s", at);
		for (unsigned i = 0; i < fs->ngrants; i++)
			inside_rw |= fs->grant[i].rw && fsshim_host_holds(fs->grant[i].host, real);
		if (!inside_rw && strlen(real) <= NH_PATH_MAX)
			fsshim_grant_add(fs, FSSHIM_ZONE, NULL, real, *d, false);
		free(real);
		return;
	}
}

static void read_localtime(struct nh_host *h, const char *root)
{
	struct fsshim *fs = &h->fs;
	char at[PATH_MAX];
	struct stat st;
	ssize_t n;

	fs->localtime[0] = '\0';
	if (h->opts.localtime != NULL) {
		struct timespec now;
		int64_t t;

		strcpy(fs->localtime, h->opts.localtime); /* cli.c: 1..NH_PATH_MAX bytes */
		if (clock_gettime(CLOCK_REALTIME, &now) != 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot read the clock");
		t = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
		fs->localtime_st = (struct nh_stat){
			.ino = fsshim_synth_ino(FSSHIM_LOCALTIME, sizeof(FSSHIM_LOCALTIME) - 1),
			.nlink = 1,
			.mode = S_IFLNK | 0777,
			.size = strlen(fs->localtime),
			.atime_ns = t,
			.mtime_ns = t,
			.ctime_ns = t,
		};
		return;
	}
	if ((size_t)snprintf(at, sizeof(at), "%s%s", root, FSSHIM_LOCALTIME) >= sizeof(at) ||
	    lstat(at, &st) != 0 || !S_ISLNK(st.st_mode))
		return;
	n = readlink(at, fs->localtime, NH_PATH_MAX + 1);
	if (n <= 0 || n > NH_PATH_MAX) { /* gone since, or too long to show */
		fs->localtime[0] = '\0';
		return;
	}
	fs->localtime[n] = '\0';
	fsshim_stat_out(&st, &fs->localtime_st);
}

void fsshim_zone(struct nh_host *h, const char *root)
{
	grant_database(&h->fs, root);
	read_localtime(h, root);
}
