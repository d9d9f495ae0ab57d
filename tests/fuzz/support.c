/*
 * support.c - what every target links beside the host's parts: nh_host,
 * the host context host/main.c defines in nonehost (the gate and the error
 * paths name it), FUZZ_TRACE, the small file trees the fs and gate
 * targets start every input from, their canary and their working
 * directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "host.h"

struct nh_host nh_host;

bool fuzz_trace;

/* Before main: libFuzzer's and replay.c's alike. */
__attribute__((constructor)) static void trace_from_env(void)
{
	fuzz_trace = getenv("FUZZ_TRACE") != NULL;
}

void fuzz_empty_dir(int fd)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;

	FUZZ_CHECK(d != NULL, "fdopendir");
	while ((e = readdir(d)) != NULL) {
		int sub;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (unlinkat(fd, e->d_name, 0) == 0)
			continue;
		(void)fchmodat(fd, e->d_name, 0700, 0); /* a directory chmod'ed to 0 */
		sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		FUZZ_CHECK(sub >= 0, "cannot open %s to empty it: %s", e->d_name, strerror(errno));
		fuzz_empty_dir(sub);
		FUZZ_CHECK(unlinkat(fd, e->d_name, AT_REMOVEDIR) == 0, "rmdir %s: %s", e->d_name,
		           strerror(errno));
	}
	closedir(d);
}

void fuzz_put(int dir, const char *name, const char *s)
{
	int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	FUZZ_CHECK(fd >= 0 && write(fd, s, strlen(s)) == (ssize_t)strlen(s) && close(fd) == 0,
	           "%s", name);
}

void fuzz_canary_make(const char *path)
{
	fuzz_put(AT_FDCWD, path, "canary\n");
	FUZZ_CHECK(chmod(path, 0644) == 0, "%s", path);
}

void fuzz_canary_check(const char *path)
{
	struct stat st;
	char buf[16] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	FUZZ_CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 7 && memcmp(buf, "canary\n", 7) == 0 &&
	           fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0644 && st.st_nlink == 1,
	           "the canary %s changed", path);
	close(fd);
}

static char workdir[PATH_MAX];

static void remove_workdir(void)
{
	int fd = open(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fuzz_empty_dir(fd);
		rmdir(workdir);
	}
}

void fuzz_workdir(char *template)
{
	FUZZ_CHECK(mkdtemp(template) != NULL && strlen(template) < sizeof(workdir), "mkdtemp %s",
	           template);
	strcpy(workdir, template);
	FUZZ_CHECK(atexit(remove_workdir) == 0, "atexit");
}
