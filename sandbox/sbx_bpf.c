/*
 * sbx_bpf.c - seccomp filters compiled to classic BPF here: the image's,
 * the supervisor's, the emulator's, a granted host program's.
 *
 * Why not libseccomp's seccomp_load(): for the image's ~50 rules it spent
 * ~110 us adding them and ~400 us compiling, against ~180 us for the
 * kernel to take the program, on the critical path of every run
 * (sandbox/README.md, "Cost"). The rules are still written in its terms
 * (struct scmp_arg_cmp, SCMP_SYS, SCMP_ACT_*, whose values are the
 * kernel's SECCOMP_RET_*), and the program here decides as its program
 * does: tests/unit/check_bpf.c runs both over the same inputs and compares
 * every verdict.
 *
 * Contract: sbx_bpf_compile() writes into prog[cap] the program for rules
 * rule[0..n): a call gets the action of the first rule whose number is
 * its and whose comparisons all hold; any other call gets otherwise; a
 * call of another ABI (an architecture other than this build's in
 * seccomp_data, or on amd64 an x32 number) gets other_abi, since it could
 * reach calls the native rules do not name. Where two rules of one call
 * hold at once with different actions libseccomp would choose by an order
 * of its own; the policies here write no such pair (each ERRNO rule's
 * arguments exclude its call's ALLOW rules'), and check_bpf.c runs every
 * one of them against it. Rules of a number this machine lacks (SCMP_SYS's
 * negative pseudo-numbers) are left out, as libseccomp leaves them.
 * Returns the length, or -E2BIG (cap too small, more than MAX_RULES rules,
 * or a call's block too long for an 8-bit jump), or -EINVAL (an unknown
 * comparison; on a 32-bit machine a value wider than 32 bits that is not a
 * sign-extended 32-bit one).
 * sbx_bpf_load() installs it: 0 or -errno of seccomp(2); the caller has
 * set no_new_privs.
 *
 * The program: the architecture, then the number, then one block for each
 * group of calls that the rules decide alike:
 *     A = arch; arch != ours: return other_abi
 *     A = nr;   (amd64) nr & X32_SYSCALL_BIT: return other_abi
 *     per group: nr == each of its calls: enter the block; else skip it
 *       block: per rule of the call, in order: per comparison: load the
 *              argument's words, test, fail: next rule; return its action
 *              (a rule with no comparison ends the block); return otherwise
 *     return otherwise
 * A block always returns, so A holds the number through every test of it.
 * Grouping (the image's "descriptor >= 6" calls share one block) and one
 * load of the number keep it short, which is what counts: the kernel takes
 * about 1 us an instruction to take a program (its JIT, mostly), on every
 * run's critical path. The image's 53 rules were 443 instructions as a line
 * of rules, and are 324 here: its seccomp(2) went from 393 to 254 us. The
 * groups that compare arguments come first, since the kernel runs the
 * program for them on every call; the calls it allows whatever their
 * arguments it answers from its action cache.
 * Comparisons are unsigned and 64-bit (32-bit on a 32-bit machine, whose
 * arguments have no high word: only the low one is compared): EQ, NE, LT,
 * LE, GT, GE against datum_a; MASKED_EQ: (arg & datum_a) == (datum_b &
 * datum_a), as libseccomp masks the value too.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "sbx_bpf.c reads an argument's low word first: little-endian machines only"
#endif

#if defined(__x86_64__)
#define SBX_AUDIT_ARCH AUDIT_ARCH_X86_64
#define SBX_X32_BIT    0x40000000U /* __X32_SYSCALL_BIT */
#elif defined(__aarch64__)
#define SBX_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__arm__)
#define SBX_AUDIT_ARCH AUDIT_ARCH_ARM
#elif defined(__riscv) && __riscv_xlen == 64
#define SBX_AUDIT_ARCH AUDIT_ARCH_RISCV64
#else
#error "sbx_bpf.c: no AUDIT_ARCH for this machine"
#endif

#define WIDE (sizeof(long) == 8) /* arguments have a high word */

#define OFF_NR   offsetof(struct seccomp_data, nr)
#define OFF_ARCH offsetof(struct seccomp_data, arch)
#define OFF_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define OFF_HI(i) (OFF_LO(i) + 4)

#define NEXT 0xff /* a jump to the next rule, patched when its place is known */

#define MAX_RULES 256 /* the longest policy's rules, at least */
_Static_assert(SBX_MAX_RULES <= MAX_RULES && SBX_QEMU_MAX_RULES <= MAX_RULES, "MAX_RULES");

struct emit {
	struct sock_filter *prog;
	size_t cap, len;
	int err;
};

static void put(struct emit *e, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (e->len == e->cap) {
		e->err = -E2BIG;
		return;
	}
	e->prog[e->len++] = (struct sock_filter){code, jt, jf, k};
}

static void load(struct emit *e, uint32_t off)
{
	put(e, BPF_LD | BPF_W | BPF_ABS, 0, 0, off);
}

static void jump(struct emit *e, uint16_t op, uint32_t k, uint8_t jt, uint8_t jf)
{
	put(e, BPF_JMP | op | BPF_K, jt, jf, k);
}

/* On a 32-bit machine: v is a 32-bit value, or one sign-extended from 32
 * bits (AT_FDCWD written as a long), which its low word stands for. */
static bool fits32(uint64_t v)
{
	return v >> 32 == 0 || (v >> 31) == 0x1ffffffffULL;
}

/* One comparison: falls through when it holds, jumps to NEXT when not. */
static void compare(struct emit *e, const struct scmp_arg_cmp *c)
{
	const uint32_t lo = (uint32_t)c->datum_a, hi = (uint32_t)(c->datum_a >> 32);
	const unsigned i = c->arg;
	const uint64_t want = c->datum_b & c->datum_a; /* MASKED_EQ: bits outside the mask never count */

	if (!WIDE && (!fits32(c->datum_a) || !fits32(want))) {
		e->err = -EINVAL;
		return;
	}
	switch (c->op) {
	case SCMP_CMP_EQ:
		if (WIDE) {
			load(e, OFF_HI(i));
			jump(e, BPF_JEQ, hi, 0, NEXT);
		}
		load(e, OFF_LO(i));
		jump(e, BPF_JEQ, lo, 0, NEXT);
		return;
	case SCMP_CMP_NE:
		if (WIDE) {
			load(e, OFF_HI(i));
			jump(e, BPF_JEQ, hi, 0, 2); /* the high words differ: holds */
		}
		load(e, OFF_LO(i));
		jump(e, BPF_JEQ, lo, NEXT, 0);
		return;
	case SCMP_CMP_MASKED_EQ:
		if (WIDE) {
			load(e, OFF_HI(i));
			put(e, BPF_ALU | BPF_AND | BPF_K, 0, 0, hi);
			jump(e, BPF_JEQ, (uint32_t)(want >> 32), 0, NEXT);
		}
		load(e, OFF_LO(i));
		put(e, BPF_ALU | BPF_AND | BPF_K, 0, 0, lo);
		jump(e, BPF_JEQ, (uint32_t)want, 0, NEXT);
		return;
	case SCMP_CMP_GT:
	case SCMP_CMP_GE:
		/* holds when hi > datum's, or equal and lo > (>=) datum's */
		if (WIDE) {
			load(e, OFF_HI(i));
			jump(e, BPF_JGT, hi, 3, 0);
			jump(e, BPF_JEQ, hi, 0, NEXT);
		}
		load(e, OFF_LO(i));
		jump(e, c->op == SCMP_CMP_GT ? BPF_JGT : BPF_JGE, lo, 0, NEXT);
		return;
	case SCMP_CMP_LT:
	case SCMP_CMP_LE:
		/* fails when hi > datum's; holds when hi < datum's; else by lo */
		if (WIDE) {
			load(e, OFF_HI(i));
			jump(e, BPF_JGT, hi, NEXT, 0);
			jump(e, BPF_JEQ, hi, 0, 2);
		}
		load(e, OFF_LO(i));
		jump(e, c->op == SCMP_CMP_LT ? BPF_JGE : BPF_JGT, lo, NEXT, 0);
		return;
	default:
		e->err = -EINVAL;
	}
}

/* Point the NEXT jumps of the rule that starts at from to the end. */
static void patch(struct emit *e, size_t from)
{
	for (size_t k = from; k < e->len; k++) {
		struct sock_filter *f = &e->prog[k];
		const size_t to = e->len - (k + 1);

		if (BPF_CLASS(f->code) != BPF_JMP || (f->jt != NEXT && f->jf != NEXT))
			continue;
		if (to >= NEXT) {
			e->err = -E2BIG;
			return;
		}
		if (f->jt == NEXT)
			f->jt = (uint8_t)to;
		if (f->jf == NEXT)
			f->jf = (uint8_t)to;
	}
}

/* Rules a and b decide alike: the same action on the same comparisons. */
static bool same_rule(const struct sbx_rule *a, const struct sbx_rule *b)
{
	if (a->action != b->action || a->nargs != b->nargs)
		return false;
	for (unsigned k = 0; k < a->nargs; k++)
		if (a->arg[k].arg != b->arg[k].arg || a->arg[k].op != b->arg[k].op ||
		    a->arg[k].datum_a != b->arg[k].datum_a || a->arg[k].datum_b != b->arg[k].datum_b)
			return false;
	return true;
}

/* The next rule of call nr from rule[from] on, or n. */
static unsigned next_of(const struct sbx_rule *rule, unsigned n, int nr, unsigned from)
{
	while (from < n && rule[from].nr != nr)
		from++;
	return from;
}

/* Calls a and b (each given by its first rule) are decided alike. */
static bool same_block(const struct sbx_rule *rule, unsigned n, unsigned a, unsigned b)
{
	for (;;) {
		if (a == n || b == n)
			return a == n && b == n;
		if (!same_rule(&rule[a], &rule[b]))
			return false;
		if (rule[a].nargs == 0)
			return true;
		a = next_of(rule, n, rule[a].nr, a + 1);
		b = next_of(rule, n, rule[b].nr, b + 1);
	}
}

/* The rules of the call whose first rule is first, each falling to the
 * next when it does not hold, and otherwise after the last; a rule with no
 * comparison holds for every call of its number, so it ends the block. */
static void block(struct emit *e, const struct sbx_rule *rule, unsigned n, unsigned first,
                  uint32_t otherwise)
{
	for (unsigned r = first; r < n && e->err == 0; r = next_of(rule, n, rule[r].nr, r + 1)) {
		const size_t start = e->len;

		for (unsigned a = 0; a < rule[r].nargs; a++)
			compare(e, &rule[r].arg[a]);
		put(e, BPF_RET | BPF_K, 0, 0, rule[r].action);
		if (e->err == 0)
			patch(e, start);
		if (rule[r].nargs == 0)
			return;
	}
	put(e, BPF_RET | BPF_K, 0, 0, otherwise);
}

int sbx_bpf_compile(const struct sbx_rule *rule, unsigned n, uint32_t otherwise,
                    uint32_t other_abi, struct sock_filter *prog, size_t cap)
{
	struct emit e = {prog, cap, 0, 0};
	unsigned first[MAX_RULES], leader[MAX_RULES], ncalls = 0;

	if (n > MAX_RULES)
		return -E2BIG;
	/* each call's first rule, and the first call decided alike (its leader) */
	for (unsigned r = 0; r < n; r++)
		if (rule[r].nr >= 0 && next_of(rule, n, rule[r].nr, 0) == r) {
			unsigned l = 0;

			while (l < ncalls && !same_block(rule, n, first[l], r))
				l++;
			leader[ncalls] = l < ncalls ? l : ncalls;
			first[ncalls++] = r;
		}
	load(&e, OFF_ARCH);
	jump(&e, BPF_JEQ, SBX_AUDIT_ARCH, 1, 0);
	put(&e, BPF_RET | BPF_K, 0, 0, other_abi);
	load(&e, OFF_NR);
#ifdef SBX_X32_BIT
	jump(&e, BPF_JSET, SBX_X32_BIT, 0, 1);
	put(&e, BPF_RET | BPF_K, 0, 0, other_abi);
#endif
	/* A holds the number from here on (no block falls through); the
	 * groups that compare arguments first (above: why) */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned c = 0; c < ncalls && e.err == 0; c++) {
			unsigned k = 0, j = 0;
			size_t last;

			if (leader[c] != c || (rule[first[c]].nargs == 0) != (pass == 1))
				continue;
			for (unsigned m = c; m < ncalls; m++)
				k += leader[m] == c;
			if (k > NEXT) {
				e.err = -E2BIG;
				break;
			}
			for (unsigned m = c; m < ncalls; m++)
				if (leader[m] == c)
					jump(&e, BPF_JEQ, (uint32_t)rule[first[m]].nr, (uint8_t)(k - 1 - j++), 0);
			last = e.len - 1;
			block(&e, rule, n, first[c], otherwise);
			if (e.err == 0 && e.len - (last + 1) >= NEXT)
				e.err = -E2BIG;
			if (e.err == 0)
				prog[last].jf = (uint8_t)(e.len - (last + 1));
		}
	put(&e, BPF_RET | BPF_K, 0, 0, otherwise);
	return e.err != 0 ? e.err : (int)e.len;
}

int sbx_bpf_load(const struct sock_filter *prog, size_t len)
{
	struct sock_fprog fp = {.len = (unsigned short)len, .filter = (struct sock_filter *)prog};

	if (len == 0 || len > BPF_MAXINSNS)
		return -E2BIG;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) == 0 ? 0 : -errno;
}
