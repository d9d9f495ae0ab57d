/*
 * unit_fork.c - run a probe in a forked child and capture what it says.
 */
#include <string.h>
#include <sys/wait.h>

#include "unit.h"

void unit_fork(void (*fn)(const void *), const void *arg, struct outcome *o,
               void (*on_ready)(pid_t, const void *), const void *ready_arg)
{
	int pfd[2];
	size_t n = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(pfd[0]);
		if (dup2(pfd[1], STDERR_FILENO) < 0)
			CHILD_EXIT(2);
		close(pfd[1]);
		fn(arg);
		CHILD_EXIT(3); /* fn must not return */
	}
	close(pfd[1]);
	for (;;) {
		ssize_t k = read(pfd[0], o->err + n, sizeof(o->err) - 1 - n);

		if (k <= 0)
			break;
		n += (size_t)k;
		o->err[n] = '\0';
		if (on_ready != NULL && strstr(o->err, "ready\n") != NULL) {
			on_ready(pid, ready_arg);
			on_ready = NULL;
		}
	}
	o->err[n] = '\0';
	close(pfd[0]);
	ck_assert_int_eq(waitpid(pid, &o->status, 0), pid);
}

void expect_exit(const struct outcome *o, int want)
{
	ck_assert_msg(WIFEXITED(o->status) && WEXITSTATUS(o->status) == want,
	              "child status 0x%x, want exit %d; stderr: %s", o->status, want, o->err);
}
