/*
 * fsshim_tree.c - the shape of the guest tree, decided without a system
 * call: which grant holds a guest path, the synthetic directories above
 * the grants, and the devices served (/dev/null, /dev/zero, ...).
 *
 * Contract: paths given here are absolute and lexically clean (no "//",
 * no "." or ".." component, no trailing '/', except "/" itself).
 *   fsshim_holds()       grant path g is q or a component prefix of q.
 *   fsshim_grant_of()    the grant with the longest guest path that is p or
 *                        a component prefix of p ("/a" holds "/a/b", not
 *                        "/ab"), or -1: p lies in the synthetic part.
 *   fsshim_served()      p is an object served without a descriptor: a
 *                        device (fsshim_devices[]) no grant holds nor lies
 *                        beneath (a grant at /dev or / wins, and shows what
 *                        it has there), or an --allow-exec program fsshim_open
 *                        found no grant for (fs->prog[], each checked
 *                        there: no grant holds it or lies beneath it, nor
 *                        beneath another served object).
 *                        Or /etc/localtime, a symbolic link to the host's
 *                        zone (fs->localtime, fsshim_zone.c), on the same
 *                        terms as a device.
 *   fsshim_in_served()   p is a device or program served, or a path beneath
 *                        it (which is -ENOTDIR, as Linux).
 *   fsshim_through_link() p is the link, or a path beneath it: the walk
 *                        follows it (fsshim_resolve.c's slow path).
 *   fsshim_synth_dir()   p is a synthetic directory: no grant holds it and
 *                        it is "/" or a proper ancestor of a grant's path
 *                        or of a served object.
 *   fsshim_synth_child() the k-th entry (sorted, unique) below synthetic p:
 *                        the next component of each grant below it, and
 *                        of each served object (so /dev lists "null",
 *                        "zero", ..., character devices with the host's
 *                        inodes, /etc "localtime", a link, and
 *                        /usr/bin a granted /usr/bin/git, a regular file).
 *   fsshim_synth_ino()   a stable inode number for a synthetic directory
 *                        (FNV-1a of its path, top bit set so it cannot
 *                        collide with a small real one, never 0).
 */
#include <stdlib.h>
#include <string.h>

#include "host.h"

_Static_assert(FSSHIM_MAX_PROGS == LAUNCH_MAX_EXEC, "a shown program per --allow-exec");

bool fsshim_holds(const char *g, size_t gl, const char *q, size_t n)
{
	if (gl == 1) /* "/" */
		return true;
	return n >= gl && memcmp(q, g, gl) == 0 && (n == gl || q[gl] == '/');
}

/* q is a proper ancestor of grant path g. */
static bool above(const char *g, size_t gl, const char *q, size_t n)
{
	if (gl <= n || memcmp(g, q, n) != 0)
		return false;
	return n == 1 || g[n] == '/';
}

int fsshim_grant_of(const struct fsshim *fs, const char *p, size_t n)
{
	int best = -1;

	for (unsigned i = 0; i < fs->ngrants; i++) {
		const struct fsshim_grant *g = &fs->grant[i];

		if (fsshim_holds(g->guest, g->guest_len, p, n) &&
		    (best < 0 || g->guest_len > fs->grant[best].guest_len))
			best = (int)i;
	}
	return best;
}

#define DEV(path, minor) {path, sizeof(path) - 1, minor}
const struct fsshim_device fsshim_devices[FSSHIM_NDEVS] = {
	[FSSHIM_DEV_NULL] = DEV("/dev/null", 3),       [FSSHIM_DEV_ZERO] = DEV("/dev/zero", 5),
	[FSSHIM_DEV_FULL] = DEV("/dev/full", 7),       [FSSHIM_DEV_RANDOM] = DEV("/dev/random", 8),
	[FSSHIM_DEV_URANDOM] = DEV("/dev/urandom", 9),
};
#undef DEV

/* No grant holds path or lies beneath it: the fs-shim may serve it. */
static bool unclaimed(const struct fsshim *fs, const char *path, size_t len)
{
	if (fsshim_grant_of(fs, path, len) >= 0)
		return false;
	for (unsigned i = 0; i < fs->ngrants; i++)
		if (above(fs->grant[i].guest, fs->grant[i].guest_len, path, len))
			return false;
	return true;
}

static bool dev_shown(const struct fsshim *fs, unsigned d)
{
	return unclaimed(fs, fsshim_devices[d].path, fsshim_devices[d].len);
}

#define LINK_LEN (sizeof(FSSHIM_LOCALTIME) - 1)

static bool link_shown(const struct fsshim *fs)
{
	return fs->localtime[0] != '\0' && unclaimed(fs, FSSHIM_LOCALTIME, LINK_LEN);
}

int fsshim_served(const struct fsshim *fs, const char *p, size_t n)
{
	for (unsigned d = 1; d < FSSHIM_NDEVS; d++)
		if (n == fsshim_devices[d].len && memcmp(p, fsshim_devices[d].path, n) == 0 &&
		    dev_shown(fs, d))
			return FSSHIM_SERVED_DEV + (int)d;
	for (unsigned i = 0; i < fs->nprog; i++)
		if (n == fs->prog[i].len && memcmp(p, fs->prog[i].path, n) == 0)
			return (int)i + 1;
	if (n == LINK_LEN && memcmp(p, FSSHIM_LOCALTIME, n) == 0 && link_shown(fs))
		return FSSHIM_SERVED_LINK;
	return -1;
}

bool fsshim_through_link(const struct fsshim *fs, const char *p, size_t n)
{
	return fsshim_holds(FSSHIM_LOCALTIME, LINK_LEN, p, n) && link_shown(fs);
}

bool fsshim_in_served(const struct fsshim *fs, const char *p, size_t n)
{
	for (unsigned d = 1; d < FSSHIM_NDEVS; d++)
		if (fsshim_holds(fsshim_devices[d].path, fsshim_devices[d].len, p, n) &&
		    dev_shown(fs, d))
			return true;
	for (unsigned i = 0; i < fs->nprog; i++)
		if (fsshim_holds(fs->prog[i].path, fs->prog[i].len, p, n))
			return true;
	return false;
}

bool fsshim_synth_dir(const struct fsshim *fs, const char *p, size_t n)
{
	if (fsshim_grant_of(fs, p, n) >= 0)
		return false;
	if (n == 1 && p[0] == '/')
		return true;
	for (unsigned i = 0; i < fs->ngrants; i++)
		if (above(fs->grant[i].guest, fs->grant[i].guest_len, p, n))
			return true;
	for (unsigned i = 0; i < fs->nprog; i++)
		if (above(fs->prog[i].path, fs->prog[i].len, p, n))
			return true;
	for (unsigned d = 1; d < FSSHIM_NDEVS; d++)
		if (above(fsshim_devices[d].path, fsshim_devices[d].len, p, n) && dev_shown(fs, d))
			return true;
	return above(FSSHIM_LOCALTIME, LINK_LEN, p, n) && link_shown(fs);
}

uint64_t fsshim_synth_ino(const char *p, size_t n)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (size_t i = 0; i < n; i++) {
		h ^= (uint8_t)p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h | (UINT64_C(1) << 63);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool fsshim_synth_child(const struct fsshim *fs, const char *p, size_t n, unsigned k,
                        char *name, uint64_t *ino, uint8_t *type)
{
	char names[FSSHIM_MAX_GRANTS + FSSHIM_NDEVS + FSSHIM_MAX_PROGS + 1][FSSHIM_NAME_MAX + 1];
	const char *sorted[FSSHIM_MAX_GRANTS + FSSHIM_NDEVS + FSSHIM_MAX_PROGS + 1];
	char child[NH_PATH_MAX + 1];
	const unsigned devs = fs->ngrants, progs = devs + FSSHIM_NDEVS - 1, link = progs + fs->nprog;
	unsigned count = 0, uniq = 0;
	size_t start = n == 1 ? 1 : n + 1, len;
	int g, served;

	/* the grants, then the devices, then the programs, then the link */
	for (unsigned i = 0; i <= link; i++) {
		const char *gp = i < devs    ? fs->grant[i].guest
		                 : i < progs ? fsshim_devices[i - devs + 1].path
		                 : i < link  ? fs->prog[i - progs].path
		                             : FSSHIM_LOCALTIME;
		size_t gl = i < devs    ? fs->grant[i].guest_len
		            : i < progs ? fsshim_devices[i - devs + 1].len
		            : i < link  ? fs->prog[i - progs].len
		                        : LINK_LEN;
		const char *c;

		if (!above(gp, gl, p, n) || (i >= devs && i < progs && !dev_shown(fs, i - devs + 1)) ||
		    (i == link && !link_shown(fs)))
			continue;
		c = gp + start;
		len = strcspn(c, "/");
		if (len > FSSHIM_NAME_MAX)
			continue; /* cannot happen: the kernel's names are shorter */
		memcpy(names[count], c, len);
		names[count][len] = '\0';
		sorted[count] = names[count];
		count++;
	}
	qsort(sorted, count, sizeof(sorted[0]), by_name);
	for (unsigned i = 0; i < count; i++) {
		if (i > 0 && strcmp(sorted[i], sorted[i - 1]) == 0)
			continue;
		if (uniq++ != k)
			continue;
		strcpy(name, sorted[i]);
		len = (size_t)snprintf(child, sizeof(child), "%.*s/%s", n == 1 ? 0 : (int)n, p, name);
		g = fsshim_grant_of(fs, child, len);
		served = fsshim_served(fs, child, len);
		*type = NH_DT_DIR;
		if (served == FSSHIM_SERVED_LINK) {
			*ino = fs->localtime_st.ino;
			*type = NH_DT_LNK;
		} else if (served >= FSSHIM_SERVED_DEV) {
			*ino = fs->dev[served - FSSHIM_SERVED_DEV].ino;
			*type = NH_DT_CHR;
		} else if (served > 0) {
			*ino = fs->prog[served - 1].st.ino;
			*type = NH_DT_REG;
		} else if (g >= 0 && fs->grant[g].guest_len == len) {
			*ino = fs->grant[g].ino;
		} else {
			*ino = fsshim_synth_ino(child, len);
		}
		return true;
	}
	return false;
}
