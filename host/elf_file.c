/*
 * elf_file.c - read the image file into memory, once.
 *
 * Contract: elf_read_file() opens h->opts.image, checks it is a regular file
 * of at most ELF_FILE_MAX bytes and reads all of it into a fresh buffer
 * (h->file, h->file_len). The loader validates and copies from this buffer
 * only, so a file rewritten while we run cannot change what was checked.
 * I/O errors die with status 125; an oversized or non-regular file is an
 * image rejection (126).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"

#define ELF_FILE_MAX (UINT64_C(1) << 30) /* 1 GiB: far above any Go binary */

void elf_read_file(struct nh_host *h)
{
	const char *path = h->opts.image;
	struct stat st;
	size_t done = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot open image: %s", path);
	if (fstat(fd, &st) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot stat image: %s", path);
	if (!S_ISREG(st.st_mode))
		nh_die(NH_EXIT_REJECTED, "image rejected: %s: not a regular file", path);
	if ((uint64_t)st.st_size > ELF_FILE_MAX)
		nh_die(NH_EXIT_REJECTED, "image rejected: %s: file too large (%lld bytes, max %llu)",
		       path, (long long)st.st_size, (unsigned long long)ELF_FILE_MAX);
	h->file = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	if (h->file == NULL)
		nh_die_errno(NH_EXIT_USAGE, "cannot read image: %s", path);
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, h->file + done, (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot read image: %s", path);
		if (n == 0)
			break; /* shrank under us: validate what we have */
		done += (size_t)n;
	}
	h->file_len = done;
	close(fd);
}
