/*
 * gate.c - the host side of the gate: the op table, the dispatcher, the
 * host-call stack and the CPU check the gate's design relies on.
 *
 * Contract: gate_dispatch() is called only by gate_entry (gate_<arch>.S) on
 * the host-call stack; on arm through gate_dispatch_mem(), which first
 * copies the arguments out of guest memory. It looks the op up in
 * gate_ops[] (the one table of op numbers, names, argument kinds and
 * handlers; --trace reads its names from here too), runs the handler and
 * returns its result, or -NH_ENOSYS for an unknown op (the holes between op
 * ranges included). Handlers never exit on guest input (NH_OP_EXIT aside)
 * and validate every guest pointer. With --trace each call is timed and printed.
 * gate_init() maps the host-call stack outside guest RAM with a guard page
 * below it, and on riscv64 keeps the host's thread pointer for the gate
 * (nh_host.gate_tp). gate_check_cpu() dies (125) on amd64 unless the kernel
 * lets user space use wrgsbase, which the GOOS=none runtime needs for its
 * TLS in GS; arm64, riscv64 and arm need nothing of the kind.
 */
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <time.h>

#include "host.h"

#ifndef HWCAP2_FSGSBASE
#define HWCAP2_FSGSBASE (1UL << 1)
#endif

static const struct gate_op gate_ops[] = {
	[NH_OP_EXIT] = {"exit", "d", hook_exit},
	[NH_OP_WRITE] = {"write", "dxu", hook_write},
	[NH_OP_PRINTK] = {"printk", "c", hook_printk},
	[NH_OP_NANOTIME] = {"nanotime", "", hook_nanotime},
	[NH_OP_WALLTIME] = {"walltime", "", hook_walltime},
	[NH_OP_GETRANDOM] = {"getrandom", "xu", hook_getrandom},
	[NH_OP_IDLE] = {"idle", "uxu", hook_idle},
	[NH_OP_FAULT] = {"fault", "xx", hook_fault},
	[NH_OP_PREEMPT] = {"preempt", "x", hook_preempt},
	[NH_OP_SIGNAL] = {"signal", "ga", hook_signal},
	[NH_OP_RAISE] = {"raise", "g", hook_raise},
	[NH_OP_NOW] = {"now", "x", hook_now},
	[NH_OP_MEM_PROTECT] = {"mem_protect", "xux", hook_mem_protect},
	[NH_OP_MEM_RELEASE] = {"mem_release", "xu", hook_mem_release},
	[NH_OP_MEM_MAP] = {"mem_map", "xuxxdu", hook_mem_map},
	/* fs-shim/ */
	[NH_OP_FS_OPEN] = {"fs_open", "dsuxo", fsshim_op_open},
	[NH_OP_FS_CLOSE] = {"fs_close", "d", fsshim_op_close},
	[NH_OP_FS_READ] = {"fs_read", "dxu", fsshim_op_read},
	[NH_OP_FS_WRITE] = {"fs_write", "dxu", fsshim_op_write},
	[NH_OP_FS_PREAD] = {"fs_pread", "dxud", fsshim_op_pread},
	[NH_OP_FS_PWRITE] = {"fs_pwrite", "dxud", fsshim_op_pwrite},
	[NH_OP_FS_SEEK] = {"fs_seek", "ddd", fsshim_op_seek},
	[NH_OP_FS_STAT] = {"fs_stat", "dsuxx", fsshim_op_stat},
	[NH_OP_FS_READDIR] = {"fs_readdir", "dxuu", fsshim_op_readdir},
	[NH_OP_FS_MKDIR] = {"fs_mkdir", "dsuo", fsshim_op_mkdir},
	[NH_OP_FS_UNLINK] = {"fs_unlink", "dsux", fsshim_op_unlink},
	[NH_OP_FS_RENAME] = {"fs_rename", "dsudsu", fsshim_op_rename},
	[NH_OP_FS_LINK] = {"fs_link", "dsudsu", fsshim_op_link},
	[NH_OP_FS_SYMLINK] = {"fs_symlink", "sudsu", fsshim_op_symlink},
	[NH_OP_FS_READLINK] = {"fs_readlink", "dsuxu", fsshim_op_readlink},
	[NH_OP_FS_CHMOD] = {"fs_chmod", "dsuo", fsshim_op_chmod},
	[NH_OP_FS_TRUNCATE] = {"fs_truncate", "dsud", fsshim_op_truncate},
	[NH_OP_FS_FSYNC] = {"fs_fsync", "d", fsshim_op_fsync},
	[NH_OP_FS_UTIMENS] = {"fs_utimens", "dsuxx", fsshim_op_utimens},
	[NH_OP_FS_DUP] = {"fs_dup", "d", fsshim_op_dup},
	[NH_OP_FS_CHOWN] = {"fs_chown", "dsuddx", fsshim_op_chown},
	[NH_OP_FS_FLOCK] = {"fs_flock", "dd", fsshim_op_flock},
	[NH_OP_FS_UMASK] = {"fs_umask", "o", fsshim_op_umask},
	/* netstack-shim/ */
	[NH_OP_NET_SOCKET] = {"net_socket", "dxd", nss_op_socket},
	[NH_OP_NET_BIND] = {"net_bind", "dxu", nss_op_bind},
	[NH_OP_NET_LISTEN] = {"net_listen", "dd", nss_op_listen},
	[NH_OP_NET_ACCEPT] = {"net_accept", "dxx", nss_op_accept},
	[NH_OP_NET_CONNECT] = {"net_connect", "dxu", nss_op_connect},
	[NH_OP_NET_RECVFROM] = {"net_recvfrom", "dxuxxx", nss_op_recvfrom},
	[NH_OP_NET_SENDTO] = {"net_sendto", "dxuxxu", nss_op_sendto},
	[NH_OP_NET_SHUTDOWN] = {"net_shutdown", "dd", nss_op_shutdown},
	[NH_OP_NET_GETSOCKOPT] = {"net_getsockopt", "dddxx", nss_op_getsockopt},
	[NH_OP_NET_SETSOCKOPT] = {"net_setsockopt", "dddxu", nss_op_setsockopt},
	[NH_OP_NET_SOCKNAME] = {"net_sockname", "dxxd", nss_op_sockname},
	[NH_OP_NET_POLL] = {"net_poll", "dx", nss_op_poll},
	[NH_OP_NET_IFACES] = {"net_ifaces", "xu", nss_op_ifaces},
	/* processes: host/proc.c, host/proc_start.c */
	[NH_OP_PROC_PIPE] = {"proc_pipe", "x", proc_op_pipe},
	[NH_OP_PROC_START] = {"proc_start", "x", proc_op_start},
	[NH_OP_PROC_WAIT] = {"proc_wait", "dx", proc_op_wait},
	[NH_OP_PROC_KILL] = {"proc_kill", "dd", proc_op_kill},
};

/* Indexed by op number: the table ends at the last op of the last range,
 * and every op of each range has an entry (gate_check_ops() at start-up
 * and tests/unit/check_gate.c). */
_Static_assert(sizeof(gate_ops) / sizeof(gate_ops[0]) == NH_OP_PROC_MAX + 1,
               "gate_ops ends at the last process op");
_Static_assert(NH_OP_FS_OPEN > NH_OP_CORE_MAX && NH_OP_NET_SOCKET > NH_OP_FS_MAX &&
               NH_OP_PROC_PIPE > NH_OP_NET_MAX, "op ranges in order");

bool gate_ops_complete(void)
{
	for (unsigned op = 1; op <= NH_OP_PROC_MAX; op++) {
		bool in_range = op <= NH_OP_CORE_MAX || (op >= NH_OP_FS_OPEN && op <= NH_OP_FS_MAX) ||
		                (op >= NH_OP_NET_SOCKET && op <= NH_OP_NET_MAX) ||
		                op >= NH_OP_PROC_PIPE;

		if (in_range != (gate_ops[op].fn != NULL && gate_ops[op].name != NULL))
			return false;
	}
	return true;
}

const struct gate_op *gate_op_lookup(uint64_t op)
{
	if (op >= sizeof(gate_ops) / sizeof(gate_ops[0]) || gate_ops[op].fn == NULL)
		return NULL;
	return &gate_ops[op];
}

int64_t gate_dispatch(uint64_t op, const uint64_t a[6])
{
	struct nh_host *h = &nh_host;
	const struct gate_op *g = gate_op_lookup(op);
	uint64_t t0;
	int64_t r;

	if (__builtin_expect(!h->opts.trace, 1))
		return g != NULL ? g->fn(h, a) : -NH_ENOSYS;
	if (op == NH_OP_EXIT) /* does not return: trace it first, like strace's "= ?" */
		gate_trace(op, a, 0, 0, false);
	t0 = (uint64_t)nh_mono_ns();
	r = g != NULL ? g->fn(h, a) : -NH_ENOSYS;
	gate_trace(op, a, r, (uint64_t)nh_mono_ns() - t0, true);
	return r;
}

#if defined(__arm__)
/* gate_arm.S: arm's six arguments lie in guest memory at args (nonehost_abi.h
 * "The gate"), read as any guest pointer is; a range that is not guest RAM
 * is -NH_EFAULT, for every op. */
int64_t gate_dispatch_mem(uint32_t op, uint32_t args)
{
	uint64_t a[6];

	if (!ram_readable(&nh_host, args, sizeof(a)))
		return -NH_EFAULT;
	memcpy(a, (const void *)(uintptr_t)args, sizeof(a));
	return gate_dispatch(op, a);
}
#endif

void gate_init(struct nh_host *h)
{
	size_t size = NH_GATE_STACK_SIZE + NH_PAGE_SIZE;
	uint8_t *p;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (p == MAP_FAILED)
		nh_die_errno(NH_EXIT_USAGE, "cannot map the host-call stack: %s", h->opts.image);
	if (mprotect(p, NH_PAGE_SIZE, PROT_NONE) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot protect the host-call stack guard: %s",
		             h->opts.image);
	h->gate_stack_top = (uint64_t)(uintptr_t)(p + size); /* page-aligned, so 16-aligned */
#if defined(__riscv)
	h->gate_tp = (uint64_t)(uintptr_t)__builtin_thread_pointer();
#endif
}

void gate_check_cpu(const struct nh_host *h)
{
#if defined(__x86_64__)
	if (!(getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE))
		nh_die(NH_EXIT_USAGE, "cannot run image: %s: the kernel does not allow FSGSBASE "
		       "instructions in user space (AT_HWCAP2 bit 1 clear; needs Linux >= 5.9 and a "
		       "CPU with fsgsbase), and the GOOS=none runtime uses wrgsbase", h->opts.image);
#else
	(void)h;
#endif
}
