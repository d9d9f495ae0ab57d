/*
 * fsio.c - should the fs-shim serve reads through io_uring or plain
 * system calls? Reads FILE sequentially the way the shim would for a
 * guest read of SIZE bytes (the guest waits for each result: a READ op is
 * synchronous to it), three ways, and prints MB/s for each:
 *   pread      one pread64(2) per read
 *   uring      one io_uring read per request, submit and wait (what the
 *              shim would do per READ op)
 *   uring-qd4  four reads in flight (read-ahead the guest did not ask for;
 *              the upper bound of what io_uring could add)
 * Usage: fsio FILE [SIZE (default 1048576)]. make bench-fsio runs it on a
 * 1 GiB file in the page cache; fs-shim/README.md has the numbers.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "fsio: %s: %s\n", what, strerror(err));
	exit(1);
}

static off_t by_pread(int fd, char *buf, size_t size)
{
	off_t off = 0;
	ssize_t n;

	while ((n = pread(fd, buf, size, off)) > 0)
		off += n;
	if (n < 0)
		die("pread", errno);
	return off;
}

static off_t by_uring(int fd, char *buf, size_t size, unsigned depth, off_t len)
{
	struct io_uring ring;
	off_t next = 0, done = 0;
	unsigned inflight = 0;
	int rc = io_uring_queue_init(8, &ring, 0);

	if (rc < 0)
		die("io_uring_queue_init", -rc);
	while (done < len) {
		while (inflight < depth && next < len) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			io_uring_prep_read(sqe, fd, buf + (size_t)inflight * size, size, (__u64)next);
			next += (off_t)size;
			inflight++;
		}
		struct io_uring_cqe *cqe;

		rc = io_uring_submit_and_wait(&ring, 1);
		if (rc < 0)
			die("io_uring_submit_and_wait", -rc);
		while (io_uring_peek_cqe(&ring, &cqe) == 0) {
			if (cqe->res < 0)
				die("read", -cqe->res);
			done += cqe->res;
			inflight--;
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	io_uring_queue_exit(&ring);
	return done;
}

int main(int argc, char **argv)
{
	size_t size = argc > 2 ? strtoul(argv[2], NULL, 0) : 1 << 20;
	struct stat st;
	char *buf;
	int fd;

	if (argc < 2 || size == 0) {
		fprintf(stderr, "usage: fsio FILE [SIZE]\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0)
		die(argv[1], errno);
	buf = aligned_alloc(4096, 4 * size);
	if (buf == NULL)
		die("aligned_alloc", ENOMEM);
	by_pread(fd, buf, size); /* warm the page cache */
	for (int round = 0; round < 3; round++) {
		double t0 = now();
		off_t a = by_pread(fd, buf, size);
		double t1 = now();
		off_t b = by_uring(fd, buf, size, 1, st.st_size);
		double t2 = now();
		off_t c = by_uring(fd, buf, size, 4, st.st_size);
		double t3 = now();

		printf("read size %zu: pread %.0f MB/s, uring %.0f MB/s, uring-qd4 %.0f MB/s\n", size,
		       a / (t1 - t0) / 1e6, b / (t2 - t1) / 1e6, c / (t3 - t2) / 1e6);
	}
	return 0;
}
