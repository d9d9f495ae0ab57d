/*
 * check_bpf.c - sandbox/sbx_bpf.c against libseccomp: the same rules
 * compiled by both, run by a classic-BPF interpreter here over the same
 * inputs, must give the same verdict for every one.
 *
 * Rules: the base allowlist (sbx_policy_init), the supervisor's, the
 * emulator's (each combination of its flags), the launcher's UNIX-socket
 * rule (a denylist), and a synthetic set (as allowlist and as denylist)
 * with every comparison libseccomp has, at values around the
 * 32-bit boundaries, one to three comparisons a rule, several rules for
 * one call. Inputs, for each rule: its call with arguments that satisfy
 * it, then each compared argument swept over its datum -1, 0, +1, the
 * high word changed, the mask's bits flipped, 0 and ~0 (the others kept
 * satisfying); 20,000 pseudo-random ones (calls of the rules and others,
 * arguments near the data); and calls of another ABI (i386, x32).
 * Applying the filter for real is check_sandbox.c's.
 */
#include <check.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"
#include "unit.h"

#define CAP BPF_MAXINSNS

static struct sock_filter ours[CAP], theirs[CAP];

/* A classic-BPF interpreter of what either compiler emits. */
static uint32_t run(const struct sock_filter *f, size_t len, const struct seccomp_data *d)
{
	uint32_t a = 0;

	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *i = &f[pc];
		uint32_t w;

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			ck_assert_uint_le(i->k + 4, sizeof(*d));
			memcpy(&w, (const char *)d + i->k, 4);
			a = w;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= i->k;
			break;
		case BPF_JMP | BPF_JA:
			pc += i->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			pc += a > i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += (a & i->k) ? i->jt : i->jf;
			break;
		case BPF_RET | BPF_K:
			return i->k;
		default:
			ck_abort_msg("instruction %zu: opcode 0x%x not interpreted", pc, i->code);
		}
	}
	ck_abort_msg("the program ran off its end");
	return 0;
}

/* The actions of a program beside its rules': an allowlist's (sbx_seccomp.c,
 * the emulator's) or a denylist's (the launcher's rule for a host program). */
struct acts {
	uint32_t otherwise, other_abi;
};

/* libseccomp's program for the same rules and actions. */
static size_t libseccomp(const struct sbx_rule *rule, unsigned n, struct acts x)
{
	scmp_filter_ctx ctx = seccomp_init(x.otherwise);
	int fd = memfd_create("bpf", 0);
	ssize_t got;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, x.other_abi), 0);
	for (unsigned i = 0; i < n; i++)
		ck_assert_msg(seccomp_rule_add_array(ctx, rule[i].action, rule[i].nr, rule[i].nargs,
		                                     rule[i].arg) == 0, "libseccomp refuses rule %u", i);
	ck_assert_int_eq(seccomp_export_bpf(ctx, fd), 0);
	got = pread(fd, theirs, sizeof(theirs), 0);
	ck_assert_int_gt(got, 0);
	close(fd);
	seccomp_release(ctx);
	return (size_t)got / sizeof(theirs[0]);
}

struct pair {
	size_t nours, ntheirs;
	unsigned checked;
};

static void same(struct pair *pr, const struct seccomp_data *d)
{
	uint32_t a = run(ours, pr->nours, d), b = run(theirs, pr->ntheirs, d);

	ck_assert_msg(a == b, "nr %d arch 0x%x args %#llx %#llx %#llx %#llx: ours 0x%x, libseccomp's 0x%x",
	              d->nr, d->arch, (unsigned long long)d->args[0], (unsigned long long)d->args[1],
	              (unsigned long long)d->args[2], (unsigned long long)d->args[3], a, b);
	pr->checked++;
}

/* A value that satisfies c (or its datum, when none does simply). */
static uint64_t satisfying(const struct scmp_arg_cmp *c)
{
	switch (c->op) {
	case SCMP_CMP_NE: return c->datum_a + 1;
	case SCMP_CMP_LT: return c->datum_a != 0 ? c->datum_a - 1 : 0;
	case SCMP_CMP_GT: return c->datum_a + 1;
	case SCMP_CMP_MASKED_EQ: return c->datum_b;
	default: return c->datum_a;
	}
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void compare_all(const struct sbx_rule *rule, unsigned n, struct acts x)
{
	struct pair pr = {0};
	int len = sbx_bpf_compile(rule, n, x.otherwise, x.other_abi, ours, CAP);

	ck_assert_msg(len > 0, "sbx_bpf_compile: %d", len);
	pr.nours = (size_t)len;
	pr.ntheirs = libseccomp(rule, n, x);
	for (unsigned r = 0; r < n; r++) {
		struct seccomp_data d = {.nr = rule[r].nr, .arch = AUDIT_ARCH_X86_64};

		for (unsigned a = 0; a < rule[r].nargs; a++)
			d.args[rule[r].arg[a].arg] = satisfying(&rule[r].arg[a]);
		same(&pr, &d);
		for (unsigned a = 0; a < rule[r].nargs; a++) {
			const struct scmp_arg_cmp *c = &rule[r].arg[a];
			const uint64_t v = c->op == SCMP_CMP_MASKED_EQ ? c->datum_b : c->datum_a;
			const uint64_t sweep[] = {v - 1, v, v + 1, v ^ (1ULL << 32), v + (1ULL << 32),
			                          v - (1ULL << 32), v ^ c->datum_a, v | ~c->datum_a,
			                          v & 0xffffffffULL, v | 0xffffffff00000000ULL, 0, ~0ULL};
			struct seccomp_data e = d;

			for (size_t k = 0; k < sizeof(sweep) / sizeof(sweep[0]); k++) {
				e.args[c->arg] = sweep[k];
				same(&pr, &e);
			}
		}
		/* another ABI: i386, and on amd64 an x32 number */
		d.arch = AUDIT_ARCH_I386;
		same(&pr, &d);
		d.arch = AUDIT_ARCH_X86_64;
		d.nr |= 0x40000000;
		same(&pr, &d);
	}
	for (int k = 0; k < 20000; k++) {
		const struct sbx_rule *r = &rule[next_random() % n];
		struct seccomp_data d = {.arch = AUDIT_ARCH_X86_64};

		d.nr = next_random() % 4 == 0 ? (int)(next_random() % 460) : r->nr;
		for (int a = 0; a < 6; a++) {
			const uint64_t near = r->nargs > 0 ? r->arg[next_random() % r->nargs].datum_a : 0;

			switch (next_random() % 4) {
			case 0: d.args[a] = next_random(); break;
			case 1: d.args[a] = near + (next_random() % 5) - 2; break;
			case 2: d.args[a] = near ^ (1ULL << (next_random() % 64)); break;
			default: d.args[a] = next_random() % 8; break;
			}
		}
		same(&pr, &d);
	}
	ck_assert_uint_gt(pr.checked, 20000);
}

START_TEST(test_base_policy)
{
	static struct sbx_policy p;

	sbx_policy_init(&p);
	ck_assert_uint_gt(p.nrules, 0);
	compare_all(p.rule, p.nrules, (struct acts){SCMP_ACT_TRAP, SCMP_ACT_TRAP});
}
END_TEST

START_TEST(test_supervisor_policy)
{
	static struct sbx_policy p;

	sbx_supervisor_policy_init(&p, 4242);
	ck_assert(p.deny_eperm);
	compare_all(p.rule, p.nrules, (struct acts){SCMP_ACT_ERRNO(EPERM), SCMP_ACT_ERRNO(EPERM)});
}
END_TEST

START_TEST(test_every_comparison)
{
	static const uint64_t data[] = {0, 1, 5, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
	                                0x100000005ULL, 0xffffffffffffff9cULL, ~0ULL};
	static const enum scmp_compare ops[] = {SCMP_CMP_EQ, SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE,
	                                        SCMP_CMP_GT, SCMP_CMP_GE, SCMP_CMP_MASKED_EQ};
	static struct sbx_rule rule[SBX_MAX_RULES];
	unsigned n = 0, nr = 0;

	/* one comparison a rule, each op at each datum, a call per rule */
	for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
		for (size_t d = 0; d < sizeof(data) / sizeof(data[0]) && n < 80; d++, nr++)
			rule[n++] = (struct sbx_rule){.nr = (int)nr, .action = SCMP_ACT_ALLOW, .nargs = 1,
			                              .arg = {{.arg = (unsigned)(d % 6), .op = ops[o],
			                                       .datum_a = ops[o] == SCMP_CMP_MASKED_EQ
			                                                          ? ~data[d] : data[d],
			                                       .datum_b = data[d] & 0xf0f0f0f00f0f0f0fULL}}};
	/* several comparisons, several rules on one call (SYS_ioctl) */
	rule[n++] = (struct sbx_rule){.nr = SYS_ioctl, .action = SCMP_ACT_ALLOW, .nargs = 3,
	                              .arg = {SCMP_A0(SCMP_CMP_GE, 3), SCMP_A2(SCMP_CMP_LE, 0x100000000ULL),
	                                      SCMP_A1(SCMP_CMP_MASKED_EQ, 0xff00, 0x5400)}};
	rule[n++] = (struct sbx_rule){.nr = SYS_ioctl, .action = SCMP_ACT_ALLOW, .nargs = 2,
	                              .arg = {SCMP_A0(SCMP_CMP_EQ, 0xffffffffffffff9cULL),
	                                      SCMP_A2(SCMP_CMP_NE, 0)}};
	rule[n++] = (struct sbx_rule){.nr = SYS_getpid, .action = SCMP_ACT_ALLOW, .nargs = 0};
	compare_all(rule, n, (struct acts){SCMP_ACT_TRAP, SCMP_ACT_TRAP});
	/* the same as a denylist */
	for (unsigned i = 0; i < n; i++)
		rule[i].action = SCMP_ACT_ERRNO(EACCES);
	compare_all(rule, n, (struct acts){SCMP_ACT_ALLOW, SCMP_ACT_KILL_PROCESS});
}
END_TEST

/* Calls decided alike share one block: twenty calls that each allow a
 * descriptor >= 6 compile to little more than their twenty number tests,
 * and decide as libseccomp's program. Around them: calls whose rules are
 * interleaved with other calls' rules, blocks alike but for the action or
 * for one datum (kept apart), a rule with no comparison ending its call's
 * block before later ones, pure calls of two actions. */
START_TEST(test_calls_decided_alike)
{
	static const int fd_calls[] = {SYS_read, SYS_write, SYS_close, SYS_fstat, SYS_lseek,
	                               SYS_pread64, SYS_pwrite64, SYS_readv, SYS_writev, SYS_fsync,
	                               SYS_fdatasync, SYS_ftruncate, SYS_getdents64, SYS_fchmod,
	                               SYS_fchown, SYS_fstatfs, SYS_flock, SYS_dup, SYS_fadvise64,
	                               SYS_syncfs};
	static struct sbx_rule rule[SBX_MAX_RULES];
	const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
	unsigned n = 0;
	int len;

	for (size_t i = 0; i < sizeof(fd_calls) / sizeof(fd_calls[0]); i++)
		rule[n++] = (struct sbx_rule){.nr = fd_calls[i], .action = SCMP_ACT_ALLOW, .nargs = 1,
		                              .arg = {SCMP_A0(SCMP_CMP_GE, 6)}};
	len = sbx_bpf_compile(rule, n, SCMP_ACT_TRAP, SCMP_ACT_TRAP, ours, CAP);
	ck_assert_msg(len > 0 && len < 40, "20 calls alike: %d instructions", len);
	compare_all(rule, n, (struct acts){SCMP_ACT_TRAP, SCMP_ACT_TRAP});
	/* interleaved: two calls of two rules each, alike; a third alike but
	 * for its second datum; a fourth alike but for its action */
	const int calls[] = {SYS_ioctl, SYS_fcntl, SYS_prctl, SYS_madvise};
	for (unsigned step = 0; step < 2; step++)
		for (unsigned c = 0; c < 4; c++)
			rule[n++] = (struct sbx_rule){
				.nr = calls[c], .action = c == 3 ? eperm : SCMP_ACT_ALLOW, .nargs = 2,
				.arg = {SCMP_A1(SCMP_CMP_EQ, 0x5401 + step),
				        SCMP_A2(SCMP_CMP_LE, c == 2 && step == 1 ? 9 : 8)}};
	/* a rule with no comparison, then one its call never reaches */
	rule[n++] = (struct sbx_rule){.nr = SYS_mmap, .action = SCMP_ACT_ALLOW, .nargs = 1,
	                              .arg = {SCMP_A2(SCMP_CMP_MASKED_EQ, 4, 0)}};
	rule[n++] = (struct sbx_rule){.nr = SYS_munmap, .action = SCMP_ACT_ALLOW, .nargs = 0};
	rule[n++] = (struct sbx_rule){.nr = SYS_mmap, .action = SCMP_ACT_ALLOW, .nargs = 0};
	rule[n++] = (struct sbx_rule){.nr = SYS_mmap, .action = SCMP_ACT_ALLOW, .nargs = 1,
	                              .arg = {SCMP_A0(SCMP_CMP_EQ, 7)}};
	/* pure calls of two actions */
	rule[n++] = (struct sbx_rule){.nr = SYS_getpid, .action = SCMP_ACT_ALLOW, .nargs = 0};
	rule[n++] = (struct sbx_rule){.nr = SYS_getuid, .action = eperm, .nargs = 0};
	rule[n++] = (struct sbx_rule){.nr = SYS_gettid, .action = SCMP_ACT_ALLOW, .nargs = 0};
	rule[n++] = (struct sbx_rule){.nr = SYS_getgid, .action = eperm, .nargs = 0};
	compare_all(rule, n, (struct acts){SCMP_ACT_TRAP, SCMP_ACT_TRAP});
	compare_all(rule, n, (struct acts){SCMP_ACT_ERRNO(ENOSYS), SCMP_ACT_KILL_PROCESS});
}
END_TEST

/* The launcher's one rule for a granted program: socket(AF_UNIX, ...)
 * fails with EACCES, everything else is allowed, another ABI killed. */
START_TEST(test_unix_socket_rule)
{
	const struct sbx_rule r = {.nr = SYS_socket, .action = SCMP_ACT_ERRNO(EACCES), .nargs = 1,
	                           .arg = {SCMP_A0(SCMP_CMP_EQ, 1)}};

	compare_all(&r, 1, (struct acts){SCMP_ACT_ALLOW, SCMP_ACT_KILL_PROCESS});
}
END_TEST

/* The emulator's, in every variant of its flags: ALLOW and ERRNO rules,
 * anything else and another ABI kill. */
START_TEST(test_emulator_policy)
{
	static struct sbx_qemu_policy p;
	const unsigned flags = (unsigned)_i;

	sbx_qemu_policy_init(&p, flags);
	ck_assert_uint_gt(p.nrules, 0);
	compare_all(p.rule, p.nrules, (struct acts){SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_PROCESS});
}
END_TEST

/* Too little room, or a value a 32-bit argument cannot hold there, is an
 * error, never a shorter program. */
START_TEST(test_errors)
{
	const struct sbx_rule r = {.nr = SYS_ioctl, .action = SCMP_ACT_ALLOW, .nargs = 1,
	                           .arg = {SCMP_A0(SCMP_CMP_EQ, 1)}};
	struct sbx_rule bad = r;

	ck_assert_int_eq(sbx_bpf_compile(&r, 1, SCMP_ACT_TRAP, SCMP_ACT_TRAP, ours, 4), -E2BIG);
	ck_assert_int_gt(sbx_bpf_compile(&r, 1, SCMP_ACT_TRAP, SCMP_ACT_TRAP, ours, CAP), 0);
	bad.arg[0].op = (enum scmp_compare)99;
	ck_assert_int_eq(sbx_bpf_compile(&bad, 1, SCMP_ACT_TRAP, SCMP_ACT_TRAP, ours, CAP), -EINVAL);
	ck_assert_int_eq(sbx_bpf_load(ours, 0), -E2BIG);
}
END_TEST

Suite *bpf_suite(void)
{
	Suite *s = suite_create("bpf");
	TCase *tc = tcase_create("against libseccomp");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_base_policy);
	tcase_add_test(tc, test_supervisor_policy);
	tcase_add_test(tc, test_every_comparison);
	tcase_add_test(tc, test_calls_decided_alike);
	tcase_add_test(tc, test_unix_socket_rule);
	tcase_add_loop_test(tc, test_emulator_policy, 0, (SBX_QEMU_INET | SBX_QEMU_OWN_ROOT) + 1);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}
