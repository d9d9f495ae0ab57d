/*
 * elf_file.c - map the image file, once, and find its real path.
 *
 * Contract: elf_read_file() opens h->opts.image (or takes --image-fd's), checks it is a regular file
 * of at most ELF_FILE_MAX bytes and maps it read-only (h->file, h->file_len;
 * h->file_fd stays open until ram_load() has mapped the segments). The
 * validator copies what it checks into h->img, so later changes to the file
 * cannot change a checked value (only the fault reporter reads symbols from
 * the mapping later). I/O errors die with status 125; an empty,
 * oversized or non-regular file is an image rejection (126).
 * elf_self_path() (elf_read_file calls it; so does the launcher, which a
 * foreign image's native nonehost starts without reading the image) sets
 * h->self once: the image's realpath, or --image-fd's PATH (no path leads
 * to the image in a foreign host's root of its own). What os.Executable
 * says on Linux, resolved the same way; one longer than NH_PATH_MAX is 125.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"

#define ELF_FILE_MAX ARCH_IMAGE_FILE_MAX /* 1 GiB, 128 MiB on 32-bit arm: far above any Go binary */

void elf_read_file(struct nh_host *h)
{
	const char *path = h->opts.image;
	struct stat st;
	void *p;
	int fd;

	/* --image-fd: given open (a foreign host in a root of its own) */
	fd = h->opts.image_fd > 0 ? h->opts.image_fd : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || (h->opts.image_fd > 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) != 0))
		nh_die_errno(NH_EXIT_USAGE, "cannot open image: %s", path);
	if (fstat(fd, &st) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot stat image: %s", path);
	if (!S_ISREG(st.st_mode))
		nh_die(NH_EXIT_REJECTED, "image rejected: %s: not a regular file", path);
	if ((uint64_t)st.st_size > ELF_FILE_MAX)
		nh_die(NH_EXIT_REJECTED, "image rejected: %s: file too large (%lld bytes, max %llu)",
		       path, (long long)st.st_size, (unsigned long long)ELF_FILE_MAX);
	if (st.st_size == 0)
		nh_die(NH_EXIT_REJECTED, "image rejected: %s: not an ELF file (file too small: 0 bytes)", path);
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		nh_die_errno(NH_EXIT_USAGE, "cannot map image: %s", path);
	h->file = p;
	h->file_len = (size_t)st.st_size;
	h->file_fd = fd;
	elf_self_path(h);
}

void elf_self_path(struct nh_host *h)
{
	char *real;

	if (h->self[0] != '\0')
		return;
	real = h->opts.image_real != NULL ? strdup(h->opts.image_real)
	                                  : realpath(h->opts.image, NULL);
	if (real == NULL)
		nh_die_errno(NH_EXIT_USAGE, "the real path of the image %s", h->opts.image);
	if (strlen(real) > NH_PATH_MAX)
		nh_die(NH_EXIT_USAGE, "the image's real path %s is longer than %d bytes", real,
		       NH_PATH_MAX);
	strcpy(h->self, real);
	free(real);
}
