/*
 * unit.h - the suites of the host's libcheck unit tests (check_main.c runs
 * them all).
 */
#ifndef NONEHOST_UNIT_H
#define NONEHOST_UNIT_H

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

Suite *elf_suite(void);
Suite *cli_suite(void);
Suite *abi_suite(void);
Suite *ram_suite(void);
Suite *sandbox_suite(void);
Suite *isolate_suite(void);
Suite *mirror_suite(void);
Suite *describe_suite(void);
Suite *fsshim_suite(void);
Suite *fsshim_twin_suite(void);
Suite *fsshim_etc_suite(void);
Suite *supervisor_suite(void);
Suite *net_suite(void);
Suite *net_policy_suite(void);
Suite *net_unix_suite(void);
Suite *binfmt_suite(void);
Suite *proc_suite(void);
Suite *launcher_suite(void);
Suite *foreign_suite(void);
Suite *signal_suite(void);
Suite *inherit_suite(void);
Suite *bpf_suite(void);

/* Leave a forked child at once: exit_group, not exit (no atexit, no ASan
 * teardown, which would make system calls a filter may forbid). */
#define CHILD_EXIT(code) syscall(SYS_exit_group, (code))

/* A probe in a forked child: on failure say which one and exit 1. One
 * write(2): dprintf would lseek first, which a filter may refuse. */
#define PROBE(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			char probe_msg_[512];                                        \
			int probe_n_ = snprintf(probe_msg_, sizeof(probe_msg_),      \
			                        "child: line %d: %s (errno %d)\n",  \
			                        __LINE__, #cond, errno);             \
			if (write(STDERR_FILENO, probe_msg_,                         \
			          probe_n_ > 0 ? (size_t)probe_n_ : 0) < 0)          \
				CHILD_EXIT(1);                                       \
			CHILD_EXIT(1);                                               \
		}                                                                    \
	} while (0)

/* What a forked child did: its wait status and its stderr. */
struct outcome {
	int status;
	char err[4096];
};

/* unit_fork.c: run fn(arg) in a child whose stderr is captured into o (fn
 * must not return: it ends with CHILD_EXIT or _exit). If on_ready is set, it
 * is called with the child's pid and ready_arg once the child has written
 * "ready\n". Waits for the child. */
void unit_fork(void (*fn)(const void *), const void *arg, struct outcome *o,
               void (*on_ready)(pid_t, const void *), const void *ready_arg);

/* Assert the child exited with status want (its stderr in the message). */
void expect_exit(const struct outcome *o, int want);

/* The op suites (check_fsshim*.c, check_net*.c) drive op functions
 * directly: each has its own host context H (guest RAM mapped) and bump
 * pointer scratch into that RAM. */
#define CALL(fn, ...) fn(&H, (const uint64_t[6]){__VA_ARGS__})
#define G(p)          ((void *)(uintptr_t)(p)) /* a guest address, as a host pointer */
#define EQ(expr, want)                                                                    \
	do {                                                                              \
		int64_t got_ = (expr);                                                    \
		ck_assert_msg(got_ == (int64_t)(want), "%s = %lld, want %lld", #expr,     \
		              (long long)got_, (long long)(want));                        \
	} while (0)

/* n bytes of guest RAM from the bump pointer *scratch, 16-byte aligned. */
static inline uint64_t unit_galloc(uint64_t *scratch, size_t n)
{
	uint64_t p = *scratch;

	*scratch += (n + 15) & ~(size_t)15;
	return p;
}

/* Write file dir/name with content (the op suites' test trees). */
static inline void unit_put(const char *dir, const char *name, const char *content)
{
	char p[8192];
	FILE *f;

	ck_assert_int_lt(snprintf(p, sizeof(p), "%s/%s", dir, name), (int)sizeof(p));
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	ck_assert_int_eq(fclose(f), 0);
}

#endif
