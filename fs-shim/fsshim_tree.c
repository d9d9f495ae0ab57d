/*
 * fsshim_tree.c - the shape of the guest tree, decided without a system
 * call: which grant holds a guest path, the synthetic directories above
 * the grants, and /dev/null.
 *
 * Contract: paths given here are absolute and lexically clean (no "//",
 * no "." or ".." component, no trailing '/', except "/" itself).
 *   fsshim_holds()       grant path g is q or a component prefix of q.
 *   fsshim_grant_of()    the grant with the longest guest path that is p or
 *                        a component prefix of p ("/a" holds "/a/b", not
 *                        "/ab"), or -1: p lies in the synthetic part.
 *   fsshim_devnull()     p is "/dev/null" and the fs-shim serves it: no
 *                        grant holds that path or lies beneath it (a grant
 *                        at /dev or / wins, and shows what it has there).
 *   fsshim_served()      p is an object served without a descriptor: that
 *                        /dev/null, or an --allow-exec program fsshim_open
 *                        found no grant for (fs->prog[], each checked
 *                        there: no grant holds it or lies beneath it, nor
 *                        beneath another served object).
 *   fsshim_in_served()   p is one of those, or a path beneath it (which is
 *                        -ENOTDIR, as Linux).
 *   fsshim_synth_dir()   p is a synthetic directory: no grant holds it and
 *                        it is "/" or a proper ancestor of a grant's path
 *                        or of a served object.
 *   fsshim_synth_child() the k-th entry (sorted, unique) below synthetic p:
 *                        the next component of each grant below it, and
 *                        of each served object (so /dev lists "null", a
 *                        character device with the host's inode, and
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

#define DEVNULL_LEN (sizeof(FSSHIM_DEVNULL) - 1)

/* No grant holds /dev/null or lies beneath it: the fs-shim serves it. */
static bool devnull_shown(const struct fsshim *fs)
{
	if (fsshim_grant_of(fs, FSSHIM_DEVNULL, DEVNULL_LEN) >= 0)
		return false;
	for (unsigned i = 0; i < fs->ngrants; i++)
		if (above(fs->grant[i].guest, fs->grant[i].guest_len, FSSHIM_DEVNULL, DEVNULL_LEN))
			return false;
	return true;
}

bool fsshim_devnull(const struct fsshim *fs, const char *p, size_t n)
{
	return n == DEVNULL_LEN && memcmp(p, FSSHIM_DEVNULL, n) == 0 && devnull_shown(fs);
}

int fsshim_served(const struct fsshim *fs, const char *p, size_t n)
{
	if (fsshim_devnull(fs, p, n))
		return FSSHIM_SERVED_DEVNULL;
	for (unsigned i = 0; i < fs->nprog; i++)
		if (n == fs->prog[i].len && memcmp(p, fs->prog[i].path, n) == 0)
			return (int)i + 1;
	return -1;
}

bool fsshim_in_served(const struct fsshim *fs, const char *p, size_t n)
{
	if (fsshim_holds(FSSHIM_DEVNULL, DEVNULL_LEN, p, n) && devnull_shown(fs))
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
	return above(FSSHIM_DEVNULL, DEVNULL_LEN, p, n) && devnull_shown(fs);
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
	char names[FSSHIM_MAX_GRANTS + 1 + FSSHIM_MAX_PROGS][FSSHIM_NAME_MAX + 1];
	const char *sorted[FSSHIM_MAX_GRANTS + 1 + FSSHIM_MAX_PROGS];
	char child[NH_PATH_MAX + 1];
	unsigned count = 0, uniq = 0, nprog = fs->ngrants + 1;
	size_t start = n == 1 ? 1 : n + 1, len;
	int g, served;

	/* the grants, then /dev/null, then the programs */
	for (unsigned i = 0; i < nprog + fs->nprog; i++) {
		const char *gp = i < fs->ngrants ? fs->grant[i].guest
		                 : i < nprog     ? FSSHIM_DEVNULL
		                                 : fs->prog[i - nprog].path;
		size_t gl = i < fs->ngrants ? fs->grant[i].guest_len
		            : i < nprog     ? DEVNULL_LEN
		                            : fs->prog[i - nprog].len;
		const char *c;

		if (!above(gp, gl, p, n) || (i == fs->ngrants && !devnull_shown(fs)))
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
		if (served == FSSHIM_SERVED_DEVNULL) {
			*ino = fs->devnull.ino;
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
