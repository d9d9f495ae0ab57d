/*
 * check_ram.c - unit tests of host/ram.c in the test process itself: map
 * 16 MiB of guest RAM at NH_RAM_START, load a two-segment image, lay
 * out the host block and argv/envp, then check every field, the contents,
 * the pointer checks the hooks rely on, and (in forked tests) that the
 * protections really fault: text and the argument area read-only, guard
 * page inaccessible, while the host block's own page is writable (the
 * guest takes sig_pending's bits there); and that an occupied RAM range is
 * a clean 125 exit.
 */
#include <check.h>
#include <elf.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/auxv.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "host.h"
#include "unit.h"

/* ram_layout() stores the gate's address; the tests never call it. */
void gate_entry(void) {}

#define MEM  (UINT64_C(16) << 20)
#define TEXT UINT64_C(0x10001000)
#define DATA UINT64_C(0x10002000)

static uint8_t file[0x3000];
static char *guest_argv[] = {"img", "-test.v", NULL};
static char *guest_envp[] = {"A=1", "LONGER=two words", NULL};

static void setup_host(struct nh_host *h)
{
	memset(h, 0, sizeof(*h));
	memset(file + 0x1000, 0xc3, 0x100);
	memcpy(file + 0x2000, "DATADATA", 8);
	h->opts = (struct nh_opts){.memory = MEM, .image = "img", .argc = 2, .argv = guest_argv};
	h->file = file;
	h->file_len = sizeof(file);
	/* ram_load maps segments from the image file: give it one. */
	h->file_fd = memfd_create("img", 0);
	ck_assert_int_ge(h->file_fd, 0);
	ck_assert_int_eq(write(h->file_fd, file, sizeof(file)), (int)sizeof(file));
	h->img.entry = TEXT;
	h->img.nseg = 2;
	h->img.seg[0] = (struct elf_seg){TEXT, 0x100, 0x1000, 0x100, PF_R | PF_X, 0};
	h->img.seg[1] = (struct elf_seg){DATA, 0x3000, 0x2000, 8, PF_R | PF_W, 1};
	h->img.image_end = DATA + 0x3000;
	h->gate_stack_top = 0x7000000;
	h->sig.ignored[0] = UINT32_C(1) << 0;  /* SIGHUP, as signal_init records it */
	h->sig.ignored[1] = UINT32_C(1) << 31; /* signal 64 */
	strcpy(h->self, "/srv/app/img"); /* elf_self_path's */
	ram_map(h);
	ram_load(h);
	ram_layout(h, guest_envp);
}

START_TEST(test_limits)
{
	struct elf_limits l = ram_image_limits(MEM);

	ck_assert_uint_eq(l.machine, EM_X86_64);
	ck_assert_uint_eq(l.lo, NH_RAM_START);
	ck_assert_uint_eq(l.hi, NH_RAM_START + MEM - NH_RAM_STACK_OFFSET - NH_STACK_SIZE - 4096);
	ck_assert_uint_eq(l.page, 4096);
}
END_TEST

START_TEST(test_layout)
{
	static struct nh_host h;
	const struct nh_hostblock *hb;
	const uint64_t *vec;

	setup_host(&h);
	hb = h.hb;
	ck_assert_uint_eq((uint64_t)(uintptr_t)hb, NH_RAM_START + MEM - NH_RAM_STACK_OFFSET);
	ck_assert_uint_eq(hb->magic, NH_ABI_MAGIC);
	ck_assert_uint_eq(hb->abi_version, NH_ABI_VERSION);
	ck_assert_uint_eq(hb->size, sizeof(*hb));
	ck_assert_uint_eq(hb->ram_start, NH_RAM_START);
	ck_assert_uint_eq(hb->ram_size, MEM);
	ck_assert_uint_eq(hb->ram_stack_offset, NH_RAM_STACK_OFFSET);
	ck_assert_uint_eq(hb->heap_start, DATA + 0x3000);
	ck_assert_uint_eq(hb->stack_top, (uint64_t)(uintptr_t)hb);
	ck_assert_uint_eq(hb->stack_top % 16, 0);
	ck_assert_uint_eq(hb->stack_size, NH_STACK_SIZE);
	ck_assert_uint_eq(hb->gate, (uint64_t)(uintptr_t)gate_entry);
	ck_assert_uint_eq(hb->gate_stack, 0x7000000);
	ck_assert_uint_eq(hb->flags, NH_HB_IDS | NH_HB_PIDS);
	ck_assert_int_eq(hb->pid, getpid());
	ck_assert_int_eq(hb->ppid, getppid()); /* no --parent-pid: the process's own */
	{
		struct utsname u;

		ck_assert_int_eq(uname(&u), 0);
		ck_assert_uint_ne(hb->hostname, 0);
		ck_assert_str_eq((const char *)(uintptr_t)hb->hostname, u.nodename);
	}
	ck_assert_uint_ne(hb->executable, 0);
	ck_assert_str_eq((const char *)(uintptr_t)hb->executable, "/srv/app/img");
	ck_assert_uint_eq(hb->uid, geteuid());
	ck_assert_uint_eq(hb->gid, getegid());
	ck_assert_uint_eq(hb->hwcap, getauxval(AT_HWCAP));
	ck_assert_uint_eq(hb->hwcap2, getauxval(AT_HWCAP2));
	ck_assert_uint_eq(hb->sig_pending[0], 0);
	ck_assert_uint_eq(hb->sig_pending[1], 0);
	ck_assert_uint_eq(hb->sig_ignored[0], 1);
	ck_assert_uint_eq(hb->sig_ignored[1], UINT32_C(1) << 31);
	for (size_t i = 0; i < sizeof(hb->reserved) / sizeof(hb->reserved[0]); i++)
		ck_assert_uint_eq(hb->reserved[i], 0);

	/* argv[argc] = NULL, then envp, NULL: contiguous, strings in the area. */
	ck_assert_uint_eq(hb->argc, 2);
	vec = (const uint64_t *)(uintptr_t)hb->argv;
	ck_assert_uint_eq(hb->argv, hb->stack_top + NH_PAGE_SIZE); /* the block's page is its own */
	ck_assert_str_eq((const char *)(uintptr_t)vec[0], "img");
	ck_assert_str_eq((const char *)(uintptr_t)vec[1], "-test.v");
	ck_assert_uint_eq(vec[2], 0);
	ck_assert_str_eq((const char *)(uintptr_t)vec[3], "A=1");
	ck_assert_str_eq((const char *)(uintptr_t)vec[4], "LONGER=two words");
	ck_assert_uint_eq(vec[5], 0);
	for (int i = 0; i < 5; i++)
		if (i != 2)
			ck_assert(vec[i] > hb->stack_top && vec[i] < h.ram_end);
	ck_assert_ptr_ne((const void *)(uintptr_t)vec[0], guest_argv[0]); /* copied */

	/* Segments copied, bss zero. */
	ck_assert_mem_eq((void *)(uintptr_t)TEXT, file + 0x1000, 0x100);
	ck_assert_mem_eq((void *)(uintptr_t)DATA, "DATADATA", 8);
	ck_assert_uint_eq(((uint8_t *)(uintptr_t)DATA)[8], 0);
	ck_assert_uint_eq(((uint8_t *)(uintptr_t)DATA)[0x2fff], 0);
}
END_TEST

START_TEST(test_pointer_checks)
{
	static struct nh_host h;
	uint64_t top, guard;

	setup_host(&h);
	top = h.stack_top;
	guard = h.guard_lo;
	ck_assert_uint_eq(guard, top - NH_STACK_SIZE - 4096);

	ck_assert(!ram_readable(&h, 0, 1));
	ck_assert(ram_readable(&h, 0, 0)); /* zero length touches nothing */
	ck_assert(!ram_readable(&h, NH_RAM_START - 1, 2));
	ck_assert(ram_readable(&h, NH_RAM_START, 1));
	ck_assert(ram_readable(&h, h.ram_end - 1, 1));
	ck_assert(!ram_readable(&h, h.ram_end - 1, 2));
	ck_assert(!ram_readable(&h, h.ram_end, 1));
	ck_assert(!ram_readable(&h, UINT64_MAX, 2));     /* wraps */
	ck_assert(!ram_readable(&h, TEXT, UINT64_MAX));  /* wraps */
	ck_assert(!ram_readable(&h, guard, 1));
	ck_assert(!ram_readable(&h, guard - 1, 2));      /* straddles into the guard */
	ck_assert(!ram_readable(&h, guard + 4095, 1));
	ck_assert(ram_readable(&h, guard + 4096, 1));
	ck_assert(ram_readable(&h, TEXT, 0x100));
	ck_assert(ram_readable(&h, top, 256));           /* the host block */

	ck_assert(!ram_writable(&h, TEXT, 1));
	ck_assert(!ram_writable(&h, TEXT + 0xfff, 1));   /* the whole text page */
	ck_assert(!ram_writable(&h, DATA - 8, 16));      /* starts in text's page */
	ck_assert(ram_writable(&h, DATA, 0x3000));
	ck_assert(ram_writable(&h, DATA + 0x3000, 4096)); /* heap */
	ck_assert(ram_writable(&h, top - 64, 64));       /* stack */
	ck_assert(!ram_writable(&h, top - 8, 16));       /* into the host block */
	ck_assert(!ram_writable(&h, top, 1));
	ck_assert(!ram_writable(&h, h.ram_end - 1, 1));  /* argument strings */
	ck_assert(!ram_writable(&h, guard, 8));
	ck_assert(!ram_writable(&h, 0, 8));
	ck_assert(ram_writable(&h, 0, 0));
	/* above the highest read-only segment's page the answer needs no walk
	 * of the segments (ram_load's ro_end); below it, the walk */
	ck_assert_uint_eq(h.ro_end, TEXT + 0x1000);
	h.ro_end = 0;
	ck_assert(!ram_writable(&h, TEXT + 0xfff, 1));
	ck_assert(ram_writable(&h, DATA, 0x3000));
	ck_assert(!ram_writable(&h, top - 8, 16));

	ck_assert(ram_in_text(&h, TEXT));
	ck_assert(ram_in_text(&h, TEXT + 0xff));
	ck_assert(!ram_in_text(&h, TEXT + 0x100));
	ck_assert(!ram_in_text(&h, DATA));
	ck_assert(!ram_in_text(&h, 0));
}
END_TEST

/* These must die by SIGSEGV (forked by libcheck). */
START_TEST(test_text_readonly)
{
	static struct nh_host h;

	setup_host(&h);
	*(volatile uint8_t *)(uintptr_t)TEXT = 0x90;
}
END_TEST

START_TEST(test_args_readonly)
{
	static struct nh_host h;

	setup_host(&h);
	*(volatile uint64_t *)(uintptr_t)h.hb->argv = 0;
}
END_TEST

/* The guest takes its pending signals with an atomic exchange there. */
START_TEST(test_hostblock_sig_pending_writable)
{
	static struct nh_host h;
	uint32_t got;

	setup_host(&h);
	h.hb->sig_pending[1] = UINT32_C(1) << 31;
	got = __atomic_exchange_n(&h.hb->sig_pending[1], 0, __ATOMIC_SEQ_CST);
	ck_assert_uint_eq(got, UINT32_C(1) << 31);
	ck_assert_uint_eq(h.hb->sig_pending[1], 0);
}
END_TEST

START_TEST(test_guard_page)
{
	static struct nh_host h;

	setup_host(&h);
	(void)*(volatile uint8_t *)(uintptr_t)(h.guard_lo + 100);
}
END_TEST

START_TEST(test_data_not_executable)
{
	static struct nh_host h;

	setup_host(&h);
	memset((void *)(uintptr_t)DATA, 0xc3, 1); /* ret */
	((void (*)(void))(uintptr_t)DATA)();
}
END_TEST

static int64_t mem_protect(struct nh_host *h, uint64_t addr, uint64_t len, uint64_t prot)
{
	const uint64_t a[6] = {addr, len, prot};

	return hook_mem_protect(h, a);
}

/* NH_OP_MEM_PROTECT: its checks, and the ranges the pointer checks use. */
START_TEST(test_mem_protect)
{
	static struct nh_host h;
	const uint64_t rw = NH_PROT_READ | NH_PROT_WRITE;
	uint64_t heap;

	setup_host(&h);
	heap = DATA + 0x3000;
	ck_assert_int_eq(mem_protect(&h, heap, 4096, 4), -NH_EINVAL);    /* no exec bit */
	ck_assert_int_eq(mem_protect(&h, heap, 4096, 1u << 31), -NH_EINVAL);
	ck_assert_int_eq(mem_protect(&h, heap + 1, 4096, 0), -NH_EINVAL); /* unaligned */
	ck_assert_int_eq(mem_protect(&h, heap + 1, 0, 0), -NH_EINVAL);    /* checked first */
	ck_assert_int_eq(mem_protect(&h, heap, 0, 0), 0);                 /* nothing */
	ck_assert_int_eq(mem_protect(&h, TEXT, 4096, rw), -NH_ENOMEM);    /* the image's text */
	ck_assert_int_eq(mem_protect(&h, NH_RAM_START - 4096, 8192, 0), -NH_ENOMEM);
	ck_assert_int_eq(mem_protect(&h, h.guard_lo, 4096, rw), -NH_ENOMEM);
	ck_assert_int_eq(mem_protect(&h, h.guard_lo - 4096, 4097, 0), -NH_ENOMEM); /* rounds up */
	ck_assert_int_eq(mem_protect(&h, h.stack_top - 4096, 4096, 0), -NH_ENOMEM); /* stack */
	ck_assert_int_eq(mem_protect(&h, h.stack_top, 4096, rw), -NH_ENOMEM); /* host block */
	ck_assert_int_eq(mem_protect(&h, heap, UINT64_MAX - heap + 1, 0), -NH_ENOMEM); /* wraps */
	ck_assert_int_eq(mem_protect(&h, UINT64_MAX & ~UINT64_C(4095), 4095, 0), -NH_ENOMEM);
	ck_assert_uint_eq(h.nprot, 0);

	/* Three pages: none, read, none; then the middle one back. */
	ck_assert_int_eq(mem_protect(&h, heap, 3 * 4096, 0), 0);
	ck_assert_uint_eq(h.nprot, 1);
	ck_assert_int_eq(mem_protect(&h, heap + 4096, 1, NH_PROT_READ), 0); /* len rounds up */
	ck_assert_uint_eq(h.nprot, 3);
	ck_assert(!ram_readable(&h, heap, 1));
	ck_assert(!ram_readable(&h, heap - 1, 2));
	ck_assert(ram_readable(&h, heap - 8, 8));
	ck_assert(ram_readable(&h, heap + 4096, 4096));
	ck_assert(!ram_writable(&h, heap + 4096, 1));
	ck_assert(!ram_readable(&h, heap + 4096, 4097));
	ck_assert(!ram_readable(&h, heap + 2 * 4096 + 4095, 1));
	ck_assert(ram_writable(&h, heap + 3 * 4096, 4096));
	ck_assert(ram_writable(&h, DATA, 0x3000));
	ck_assert(!ram_writable(&h, DATA, 0x3001));
	ck_assert(!ram_readable(&h, DATA, 0x10000)); /* spans all three */

	/* WRITE alone is read and write: the middle page back, its
	 * neighbours stay; then all of it, and the ranges are gone. */
	ck_assert_int_eq(mem_protect(&h, heap + 4096, 4096, NH_PROT_WRITE), 0);
	ck_assert_uint_eq(h.nprot, 2);
	ck_assert(ram_writable(&h, heap + 4096, 4096));
	ck_assert(!ram_writable(&h, heap + 4096, 4097));
	ck_assert_int_eq(mem_protect(&h, heap + 4096, 4096, 0), 0); /* merges into one */
	ck_assert_uint_eq(h.nprot, 1);
	ck_assert_uint_eq(h.prot[0].lo, heap);
	ck_assert_uint_eq(h.prot[0].hi, heap + 3 * 4096);
	ck_assert_int_eq(mem_protect(&h, heap - 4096, 5 * 4096, rw), 0);
	ck_assert_uint_eq(h.nprot, 0);
	ck_assert(ram_writable(&h, DATA, 0x10000));
	*(volatile uint8_t *)(uintptr_t)heap = 1; /* really writable again */

	/* Data and bss are the guest's too. */
	ck_assert_int_eq(mem_protect(&h, DATA, 4096, NH_PROT_READ), 0);
	ck_assert(!ram_writable(&h, DATA, 1));
	ck_assert_int_eq(mem_protect(&h, DATA, 4096, rw), 0);
}
END_TEST

static int64_t mem_release(struct nh_host *h, uint64_t addr, uint64_t len)
{
	const uint64_t a[6] = {addr, len};

	return hook_mem_release(h, a);
}

/* NH_OP_MEM_RELEASE: the heap's pages only, and they are really given
 * back (read as zero: the test's RAM is private anonymous memory). */
START_TEST(test_mem_release)
{
	static struct nh_host h;
	uint64_t heap;

	setup_host(&h);
	heap = DATA + 0x3000; /* the image's end: the heap's first page */
	ck_assert_int_eq(mem_release(&h, heap + 1, 4096), -NH_EINVAL);
	ck_assert_int_eq(mem_release(&h, heap, 0), 0);
	ck_assert_int_eq(mem_release(&h, DATA, 4096), -NH_ENOMEM); /* data: the image file's */
	ck_assert_int_eq(mem_release(&h, TEXT, 4096), -NH_ENOMEM);
	ck_assert_int_eq(mem_release(&h, h.guard_lo - 4096, 4097), -NH_ENOMEM);
	ck_assert_int_eq(mem_release(&h, h.stack_top - 4096, 4096), -NH_ENOMEM);
	ck_assert_int_eq(mem_release(&h, heap, UINT64_MAX - heap + 1), -NH_ENOMEM);
	ck_assert_str_eq((char *)(uintptr_t)DATA, "DATADATA");

	memset((void *)(uintptr_t)heap, 0x5a, 3 * 4096);
	ck_assert_int_eq(mem_release(&h, heap + 4096, 1), 0); /* one page */
	ck_assert_uint_eq(*(uint8_t *)(uintptr_t)(heap + 4095), 0x5a);
	ck_assert_uint_eq(*(uint8_t *)(uintptr_t)(heap + 4096), 0);
	ck_assert_uint_eq(*(uint8_t *)(uintptr_t)(heap + 2 * 4096 - 1), 0);
	ck_assert_uint_eq(*(uint8_t *)(uintptr_t)(heap + 2 * 4096), 0x5a);
	/* a protected page keeps its protection */
	ck_assert_int_eq(mem_protect(&h, heap, 4096, NH_PROT_READ), 0);
	ck_assert_int_eq(mem_release(&h, heap, 4096), 0);
	ck_assert_uint_eq(*(uint8_t *)(uintptr_t)heap, 0);
	ck_assert(!ram_writable(&h, heap, 1));
	ck_assert_int_eq(mem_release(&h, heap, h.guard_lo - heap), 0); /* the whole heap */
}
END_TEST

/* At most NH_PROT_RANGES_MAX ranges: one more is ENOMEM and changes
 * nothing, neither the ranges nor the pages; splitting one is refused
 * too; joining two frees one. */
START_TEST(test_mem_protect_limit)
{
	static struct nh_host h;
	uint64_t heap, p;
	unsigned i;

	setup_host(&h);
	heap = DATA + 0x3000;
	ck_assert_uint_le(heap + 2 * 4096 * (NH_PROT_RANGES_MAX + 1), h.guard_lo);
	for (i = 0; i < NH_PROT_RANGES_MAX; i++)
		ck_assert_int_eq(mem_protect(&h, heap + 2 * 4096 * i, 4096, 0), 0);
	ck_assert_uint_eq(h.nprot, NH_PROT_RANGES_MAX);
	p = heap + 2 * 4096 * i;
	ck_assert_int_eq(mem_protect(&h, p, 4096, 0), -NH_ENOMEM);
	ck_assert_uint_eq(h.nprot, NH_PROT_RANGES_MAX);
	*(volatile uint8_t *)(uintptr_t)p = 1; /* still writable */
	ck_assert_int_eq(mem_protect(&h, heap + 4096, 1, NH_PROT_READ), -NH_ENOMEM);
	ck_assert_int_eq(mem_protect(&h, heap + 4096, 1, 0), 0); /* joins the first two */
	ck_assert_uint_eq(h.nprot, NH_PROT_RANGES_MAX - 1);
	ck_assert_int_eq(mem_protect(&h, p, 4096, NH_PROT_READ), 0);
	ck_assert_uint_eq(h.nprot, NH_PROT_RANGES_MAX);
	ck_assert(!ram_readable(&h, heap + 2 * 4096 * (NH_PROT_RANGES_MAX - 1), 1));
	ck_assert(ram_readable(&h, heap + 2 * 4096 * (NH_PROT_RANGES_MAX - 1) + 4096, 4096));
	ck_assert(ram_readable(&h, p, 4096));
	ck_assert(!ram_writable(&h, p, 1));
}
END_TEST

/* The pages themselves: forked, these must die by SIGSEGV. */
START_TEST(test_mem_protect_none_faults)
{
	static struct nh_host h;

	setup_host(&h);
	ck_assert_int_eq(mem_protect(&h, DATA + 0x3000, 4096, 0), 0);
	(void)*(volatile uint8_t *)(uintptr_t)(DATA + 0x3000 + 4095);
}
END_TEST

START_TEST(test_mem_protect_read_faults_on_write)
{
	static struct nh_host h;

	setup_host(&h);
	ck_assert_int_eq(mem_protect(&h, DATA + 0x3000, 4096, NH_PROT_READ), 0);
	ck_assert_uint_eq(*(volatile uint8_t *)(uintptr_t)(DATA + 0x3000), 0);
	*(volatile uint8_t *)(uintptr_t)(DATA + 0x3000) = 1;
}
END_TEST

/* RAM already mapped: a one-line error and exit 125, no clobbering. */
START_TEST(test_ram_taken)
{
	static struct nh_host h;

	setup_host(&h);
	if (freopen("/dev/null", "w", stderr) == NULL) /* the expected message */
		return;
	ram_map(&h);
}
END_TEST

Suite *ram_suite(void)
{
	Suite *s = suite_create("ram");
	TCase *tc = tcase_create("layout"), *prot = tcase_create("protection");

	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_pointer_checks);
	tcase_add_exit_test(tc, test_ram_taken, NH_EXIT_USAGE);
	tcase_add_test_raise_signal(prot, test_text_readonly, SIGSEGV);
	tcase_add_test_raise_signal(prot, test_args_readonly, SIGSEGV);
	tcase_add_test(prot, test_hostblock_sig_pending_writable);
	tcase_add_test_raise_signal(prot, test_guard_page, SIGSEGV);
	tcase_add_test_raise_signal(prot, test_data_not_executable, SIGSEGV);
	tcase_add_test(prot, test_mem_protect);
	tcase_add_test(prot, test_mem_protect_limit);
	tcase_add_test(prot, test_mem_release);
	tcase_add_test_raise_signal(prot, test_mem_protect_none_faults, SIGSEGV);
	tcase_add_test_raise_signal(prot, test_mem_protect_read_faults_on_write, SIGSEGV);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, prot);
	return s;
}
