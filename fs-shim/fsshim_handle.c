/*
 * fsshim_handle.c - the guest's descriptor table, kept by the host.
 *
 * Contract: the table has FSSHIM_FIRST_HANDLE + --max-files entries,
 * preallocated by fsshim_open() (with one guest-path slot of NH_PATH_MAX + 1
 * bytes each), so serving the guest never allocates. Handle 0 is the host's
 * standard input (kind STDIN, host fd 0); 1 and 2 are never file handles.
 * fsshim_handle() returns the entry for a guest handle, or NULL when it is
 * out of range or free (the caller says -NH_EBADF). fsshim_handle_alloc()
 * finds the lowest free handle >= 3 without taking it (-NH_EMFILE when all
 * --max-files are open), so an op can refuse before opening anything;
 * fsshim_handle_set() takes it. fsshim_handle_free() releases one (the
 * caller has closed its host descriptor).
 */
#include <string.h>

#include "host.h"

struct fsshim_handle *fsshim_handle(struct fsshim *fs, uint64_t fd)
{
	struct fsshim_handle *e;

	if (!fs->ready || fd >= fs->nhandles)
		return NULL;
	e = &fs->handle[fd];
	return e->kind == FSSHIM_FREE ? NULL : e;
}

int fsshim_handle_alloc(struct fsshim *fs)
{
	for (unsigned i = fs->next_free; i < fs->nhandles; i++)
		if (fs->handle[i].kind == FSSHIM_FREE) {
			fs->next_free = i;
			return (int)i;
		}
	fs->next_free = fs->nhandles;
	return -NH_EMFILE;
}

void fsshim_handle_set(struct fsshim *fs, int i, int kind, int fd, int grant, const char *guest)
{
	struct fsshim_handle *e = &fs->handle[i];

	e->kind = (uint8_t)kind;
	e->fd = fd;
	e->grant = (int8_t)grant;
	e->acc = 0;
	if (guest != NULL && (kind == FSSHIM_DIRH || kind == FSSHIM_SYNTH))
		strcpy(e->guest, guest); /* both NH_PATH_MAX + 1 bytes */
	else
		e->guest[0] = '\0';
	if ((unsigned)i == fs->next_free)
		fs->next_free++;
}

void fsshim_handle_free(struct fsshim *fs, int i)
{
	struct fsshim_handle *e = &fs->handle[i];

	e->kind = FSSHIM_FREE;
	e->fd = -1;
	e->grant = -1;
	if ((unsigned)i >= FSSHIM_FIRST_HANDLE && (unsigned)i < fs->next_free)
		fs->next_free = (unsigned)i;
}

int fsshim_map_fd(struct fsshim *fs, uint64_t fd)
{
	struct fsshim_handle *e = fsshim_handle(fs, fd);

	if (e == NULL)
		return -NH_EBADF;
	if (e->kind != FSSHIM_FILE || e->fd < 0)
		return -NH_ENODEV;
	return e->fd;
}
