/*
 * abi_gen.c - export nonehost_abi.h constants to the assembly test guest.
 *
 * Contract: compiled with -S only (never linked). Each ABI constant becomes
 * an assembler ".set NAME, value" line in the generated assembly; the
 * Makefile extracts those lines into abi.inc, which cguest.S includes. So the
 * guest's op numbers, host block offsets and magic come from the header, the
 * single source of truth, and never from a hand-copied list.
 */
#include "nonehost_abi.h"

#define SET(sym) __asm__ volatile(".set " #sym ", %c0" : : "i"((long long)(sym)))
/* %c takes 32-bit immediates only: split 64-bit constants into halves. */
#define SET64(sym)                                                                   \
	__asm__ volatile(".set " #sym ", (%c0 << 32) | %c1"                          \
	                 : : "i"((long long)((sym) >> 32)), "i"((long long)((sym) & 0xffffffffu)))

void abi_gen(void);

void abi_gen(void)
{
	SET64(NH_ABI_MAGIC);
	SET(NH_ABI_VERSION);
	SET(NH_RAM_START);
	SET(NH_PAGE_SIZE);
	SET(NH_HB_MAGIC);
	SET(NH_HB_ABI_VERSION);
	SET(NH_HB_SIZE);
	SET(NH_HB_RAM_START);
	SET(NH_HB_RAM_SIZE);
	SET(NH_HB_RAM_STACK_OFFSET);
	SET(NH_HB_HEAP_START);
	SET(NH_HB_STACK_TOP);
	SET(NH_HB_STACK_SIZE);
	SET(NH_HB_ARGC);
	SET(NH_HB_ARGV);
	SET(NH_HB_GATE);
	SET(NH_HB_GATE_STACK);
	SET(NH_HB_FLAGS);
	SET(NH_OP_EXIT);
	SET(NH_OP_WRITE);
	SET(NH_OP_PRINTK);
	SET(NH_OP_NANOTIME);
	SET(NH_OP_WALLTIME);
	SET(NH_OP_GETRANDOM);
	SET(NH_OP_IDLE);
	SET(NH_OP_FAULT);
	SET(NH_OP_MEM_PROTECT);
	SET(NH_OP_PREEMPT);
	SET(NH_OP_PROC_PIPE);
	SET(NH_HB_CWD);
	SET(NH_HB_FS);
	SET(NH_AT_ROOT);
	SET(NH_O_WRONLY);
	SET(NH_O_CREAT);
	SET(NH_O_TRUNC);
	SET(NH_OP_FS_OPEN);
	SET(NH_OP_FS_CLOSE);
	SET(NH_OP_FS_READ);
	SET(NH_OP_FS_WRITE);
	SET(NH_OP_FS_PREAD);
	SET(NH_OP_FS_SEEK);
	SET(NH_OP_FS_STAT);
	SET(NH_OP_FS_TRUNCATE);
	SET(NH_OP_FS_UTIMENS);
	SET(NH_OP_FS_DUP);
	SET(NH_OP_FS_MAX);
	SET(NH_GETRANDOM_MAX);
	SET(NH_EBADF);
	SET(NH_EFAULT);
	SET(NH_EINVAL);
	SET(NH_EDEADLK);
	SET(NH_ENOSYS);
	SET(NH_HB_NET);
	SET(NH_OP_NET_SOCKET);
	SET(NH_OP_NET_BIND);
	SET(NH_OP_NET_LISTEN);
	SET(NH_OP_NET_ACCEPT);
	SET(NH_OP_NET_CONNECT);
	SET(NH_OP_NET_SOCKNAME);
	SET(NH_OP_NET_POLL);
	SET(NH_AF_INET);
	SET(NH_AF_UNIX);
	SET(NH_UNIX_PATH_MAX);
	SET(NH_SOCK_STREAM);
	SET(NH_POLLIN);
	SET(NH_POLLOUT);
	SET(NH_EAGAIN);
	SET(NH_EACCES);
	SET(NH_EINPROGRESS);
	SET(NH_HB_SIG_PENDING);
	SET(NH_HB_SIG_IGNORED);
	SET(NH_OP_SIGNAL);
	SET(NH_OP_RAISE);
	SET(NH_OP_NOW);
	SET(NH_SIG_DEFAULT);
	SET(NH_SIG_IGNORE);
	SET(NH_SIG_CATCH);
}
