/*
 * ram.c - guest RAM: map it, load the image into it, lay out its top, and
 * answer "may the guest hand us this range?".
 *
 * Layout (every architecture, RAM = [ram_start, ram_end), see README.md):
 *   ram_end                     ---------------------------------------------
 *                               argv/envp strings        PROT_READ after set-up
 *   stack_top + 4 KiB           argv[], NULL, envp[], NULL
 *   stack_top = ram_end - 1 MiB host block (struct nh_hostblock), alone in
 *                               its page                 RW (sig_pending)
 *                               initial stack (1 MiB)    RW
 *   guard_lo + 4 KiB            -------------------------
 *   guard_lo                    guard page               PROT_NONE
 *                               free RAM (heap from heap_start)  RW
 *                               PT_LOAD segments         their own flags, W^X
 *   ram_start                   ---------------------------------------------
 *
 * Contract: ram_reserve() (with ARCH_RESERVE_RAM: 32-bit hosts), the first
 * thing a run does, claims RAM's largest range, ARCH_MAX_MEMORY from
 * NH_RAM_START, PROT_NONE, so that the host's own mappings made before
 * ram_map() (the image file, the tables) go elsewhere; where the range is
 * partly in use already it keeps nothing, and ram_map() goes on as without
 * it. ram_map() maps the whole range with one private anonymous
 * MAP_NORESERVE mapping (RW, untouched pages cost nothing): over the start
 * of the reservation, whose rest it gives back, or else refusing to replace
 * anything already there. ram_load() maps each segment's file bytes
 * from the image (MAP_PRIVATE|MAP_FIXED, as the kernel loads an executable:
 * only touched pages are read, from the page cache; a hello world starts with
 * ~260 page faults instead of ~1,100 when it was copied), clears the tail of
 * the last file page, and mprotects each segment to exactly its p_flags. The
 * host never reads back what it mapped: a file rewritten while the image runs
 * changes only the guest's own code and data, which the guest controls anyway;
 * what was validated (h->img) is a copy. ram_layout() builds the host block
 * and the argument area and makes the argument area read-only; the host
 * block's page stays writable, and holds nothing else: the guest takes its
 * pending signals from hostblock.sig_pending with an atomic exchange
 * (signal.c; the host never reads the block back, so nothing the guest
 * writes there reaches the host). The area: argv, envp (an inherited
 * TMPDIR replaced by TMPDIR=<the private TMPDIR>) and, when the fs-shim is
 * set up, the guest's working directory (hostblock.cwd, NH_HB_FS), and
 * the machine's name (hostblock.hostname, uname's nodename: what the
 * hostname program would say), and the image's real path (h->self:
 * hostblock.executable, os.Executable's answer); the process IDs (NH_HB_PIDS: this
 * process's, and --parent-pid or its parent's), the user's (NH_HB_IDS);
 * NH_HB_NET when the netstack-shim serves the network ops, NH_HB_PROC when
 * the launcher runs (the process ops are served), and the signals ignored
 * at start (sig_ignored, signal_init). Set-up failures die with 125.
 * ram_readable()/ram_writable() are pure checks used on every guest pointer;
 * a range they accept lies in RAM, below 4 GiB on a 32-bit host (arch.h's
 * ARCH_MAX_MEMORY), so its address and length fit uintptr_t and size_t.
 */
#include <elf.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "arch.h"
#include "host.h"

struct elf_limits ram_image_limits(uint64_t ram_size)
{
	/* ram_size >= NH_RAM_MIN (16 MiB) > 2 MiB + 4 KiB: no underflow. */
	return (struct elf_limits){
		.machine = ARCH_ELF_MACHINE, /* the build's own: one host per architecture */
		.class = ARCH_ELF_CLASS,
		.lo = NH_RAM_START,
		.hi = NH_RAM_START + ram_size - NH_RAM_STACK_OFFSET - NH_STACK_SIZE - NH_PAGE_SIZE,
		.page = NH_PAGE_SIZE,
	};
}

void ram_reserve(struct nh_host *h)
{
#if ARCH_RESERVE_RAM
	void *want = (void *)(uintptr_t)NH_RAM_START, *p;

	p = mmap(want, ARCH_MAX_MEMORY, PROT_NONE,
	         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return; /* partly in use: ram_map says so if RAM needs it */
	if (p != want) {
		/* taken as a hint (qemu-user 7.2 does): somewhere else is no use */
		if (munmap(p, ARCH_MAX_MEMORY) != 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot give back the address space reserved "
			             "for guest RAM at %p", p);
		return;
	}
	h->ram_reserved = true;
#else
	(void)h;
#endif
}

void ram_map(struct nh_host *h)
{
	uint64_t start = NH_RAM_START, size = h->opts.memory;
	void *want = (void *)(uintptr_t)start, *p;

	h->ram_start = start;
	h->ram_end = start + size;
	h->stack_top = h->ram_end - NH_RAM_STACK_OFFSET;
	h->guard_lo = h->stack_top - NH_STACK_SIZE - NH_PAGE_SIZE;
	if (h->ram_reserved) {
		/* ours since ram_reserve: RAM over its start, the rest given back */
		if (mmap(want, size, PROT_READ | PROT_WRITE,
		         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) != want)
			nh_die_errno(NH_EXIT_USAGE, "cannot map guest RAM (%llu bytes at 0x%llx) over "
			             "its reservation: %s", (unsigned long long)size,
			             (unsigned long long)start, h->opts.image);
		if (size < ARCH_MAX_MEMORY &&
		    munmap((void *)(uintptr_t)h->ram_end, ARCH_MAX_MEMORY - size) != 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot give back the address space reserved for "
			             "guest RAM above 0x%llx", (unsigned long long)h->ram_end);
		h->ram_reserved = false;
		return;
	}
	p = mmap(want, size, PROT_READ | PROT_WRITE,
	         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED && errno == EEXIST)
		nh_die(NH_EXIT_USAGE, "cannot map guest RAM: %s: range 0x%llx-0x%llx is already in use",
		       h->opts.image, (unsigned long long)start, (unsigned long long)h->ram_end);
	if (p == MAP_FAILED)
		nh_die_errno(NH_EXIT_USAGE, "cannot map guest RAM (%llu bytes at 0x%llx): %s",
		             (unsigned long long)size, (unsigned long long)start, h->opts.image);
	/* a kernel without MAP_FIXED_NOREPLACE treats it as a hint, and so does
	 * qemu-user 7.2 (for a range in use, too) */
	if (p != want)
		nh_die(NH_EXIT_USAGE, "cannot map guest RAM: %s: range 0x%llx-0x%llx: the kernel "
		       "placed it at %p instead (in use?)", h->opts.image, (unsigned long long)start,
		       (unsigned long long)h->ram_end, p);
}

static int seg_prot(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
	       ((flags & PF_X) ? PROT_EXEC : 0);
}

/*
 * Map a segment's file bytes straight from the image, as the kernel maps an
 * executable: only the pages the guest touches are read, and they come from
 * the page cache. MAP_PRIVATE: guest writes never reach the file. The rest
 * of the last file page past p_filesz is cleared (bss that shares it); the
 * pages wholly past it stay the anonymous zero RAM. A read-only segment
 * whose file bytes end mid-page is copied instead (clearing needs writing).
 */
static void ram_map_segment(struct nh_host *h, const struct elf_seg *s)
{
	uint64_t lo = PAGE_DOWN(s->vaddr), end = s->vaddr + s->filesz;
	void *want = (void *)(uintptr_t)lo;

	if (s->filesz == 0)
		return;
	if (!(s->flags & PF_W) && end != PAGE_UP(end) && s->memsz > s->filesz) {
		memcpy((void *)(uintptr_t)s->vaddr, h->file + s->offset, s->filesz);
		return;
	}
	if (mmap(want, PAGE_UP(end) - lo, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED,
	         h->file_fd, (off_t)PAGE_DOWN(s->offset)) != want)
		nh_die_errno(NH_EXIT_USAGE, "cannot map segment %u (0x%llx-0x%llx): %s", s->phdr,
		             (unsigned long long)lo, (unsigned long long)PAGE_UP(end), h->opts.image);
	if (end != PAGE_UP(end))
		memset((void *)(uintptr_t)end, 0, PAGE_UP(end) - end);
}

void ram_load(struct nh_host *h)
{
	for (unsigned i = 0; i < h->img.nseg; i++) {
		const struct elf_seg *s = &h->img.seg[i];
		uint64_t lo = PAGE_DOWN(s->vaddr), hi = PAGE_UP(s->vaddr + s->memsz);

		ram_map_segment(h, s);
		if (!(s->flags & PF_W) && hi > h->ro_end)
			h->ro_end = hi;
		if (mprotect((void *)(uintptr_t)lo, hi - lo, seg_prot(s->flags)) != 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot protect segment %u (0x%llx-0x%llx): %s",
			             s->phdr, (unsigned long long)lo, (unsigned long long)hi,
			             h->opts.image);
	}
	close(h->file_fd); /* the mappings keep the file */
	h->file_fd = -1;
}

/* The guest gets TMPDIR=<its private TMPDIR> instead of the host's. */
static bool is_tmpdir(const char *e)
{
	return strncmp(e, "TMPDIR=", 7) == 0;
}

/* Bytes the argument area needs: pointer array and strings (the TMPDIR
 * entry, the working directory and the host's name included). */
static uint64_t args_size(int argc, char **argv, char **envp, const char *tmpdir,
                          const char *cwd, const char *name, const char *exe, uint64_t *nptr)
{
	uint64_t n = (uint64_t)argc + 2;
	uint64_t size = strlen(cwd) + 1 + strlen(name) + 1 + strlen(exe) + 1;

	for (int i = 0; i < argc; i++)
		size += strlen(argv[i]) + 1;
	for (char **e = envp; e != NULL && *e != NULL; e++) {
		if (tmpdir != NULL && is_tmpdir(*e))
			continue;
		size += strlen(*e) + 1;
		n++;
	}
	if (tmpdir != NULL) {
		size += 7 + strlen(tmpdir) + 1;
		n++;
	}
	*nptr = n;
	return size + n * sizeof(uintptr_t);
}

/* Copy one string into the argument area, return its guest address. */
static uintptr_t put_string(char **cursor, const char *s)
{
	size_t n = strlen(s) + 1;
	char *at = *cursor;

	memcpy(at, s, n);
	*cursor += n;
	return (uintptr_t)at;
}

void ram_layout(struct nh_host *h, char **envp)
{
	struct nh_hostblock *hb = (struct nh_hostblock *)(uintptr_t)h->stack_top;
	/* argv and envp are char *[]: pointers of the guest's size, which is
	 * the host's (a host is built for the machine of the images it runs). */
	uintptr_t *vec = (uintptr_t *)(uintptr_t)(h->stack_top + NH_PAGE_SIZE), cwd = 0, name, exe = 0;
	const char *tmpdir = h->fs.ready && h->fs.tmp >= 0 ? h->fs.grant[h->fs.tmp].guest : NULL;
	struct utsname uts;
	uint64_t nptr, need;
	uint64_t room = NH_RAM_STACK_OFFSET - NH_PAGE_SIZE;
	char *str;
	size_t k = 0;

	if (uname(&uts) != 0)
		nh_die_errno(NH_EXIT_USAGE, "uname");
	need = args_size(h->opts.argc, h->opts.argv, envp, tmpdir, h->fs.cwd, uts.nodename, h->self,
	                 &nptr);
	str = (char *)(vec + nptr);
	if (need > room)
		nh_die(NH_EXIT_USAGE, "cannot pass arguments: %s: argv and environment need %llu "
		       "bytes, the host block area holds %llu", h->opts.image,
		       (unsigned long long)need, (unsigned long long)room);
	for (int i = 0; i < h->opts.argc; i++)
		vec[k++] = put_string(&str, h->opts.argv[i]);
	vec[k++] = 0;
	for (char **e = envp; e != NULL && *e != NULL; e++)
		if (tmpdir == NULL || !is_tmpdir(*e))
			vec[k++] = put_string(&str, *e);
	if (tmpdir != NULL) {
		vec[k++] = (uintptr_t)str;
		str += sprintf(str, "TMPDIR=%s", tmpdir) + 1;
	}
	vec[k++] = 0;
	if (h->fs.ready)
		cwd = put_string(&str, h->fs.cwd);
	name = put_string(&str, uts.nodename);
	if (h->self[0] != '\0')
		exe = put_string(&str, h->self);

	*hb = (struct nh_hostblock){
		.magic = NH_ABI_MAGIC,
		.abi_version = NH_ABI_VERSION,
		.size = sizeof(*hb),
		.ram_start = h->ram_start,
		.ram_size = h->ram_end - h->ram_start,
		.ram_stack_offset = NH_RAM_STACK_OFFSET,
		.heap_start = PAGE_UP(h->img.image_end),
		.stack_top = h->stack_top,
		.stack_size = NH_STACK_SIZE,
		.argc = (uint64_t)h->opts.argc,
		.argv = (uint64_t)(uintptr_t)vec,
		.gate = (uint64_t)(uintptr_t)gate_entry,
		.gate_stack = h->gate_stack_top,
		.flags = (h->opts.trace ? NH_HB_TRACE : 0) | (h->fs.ready ? NH_HB_FS : 0) |
		         (h->net.ready ? NH_HB_NET : 0) | (h->proc.ready ? NH_HB_PROC : 0) | NH_HB_IDS |
		         NH_HB_PIDS,
		.cwd = cwd,
		.sig_ignored = {h->sig.ignored[0], h->sig.ignored[1]},
		.uid = (uint32_t)geteuid(),
		.gid = (uint32_t)getegid(),
		.hwcap = getauxval(AT_HWCAP),
		.hwcap2 = getauxval(AT_HWCAP2),
		.hostname = name,
		.executable = exe,
		.pid = (int32_t)getpid(),
		.ppid = h->opts.parent_pid > 0 ? h->opts.parent_pid : (int32_t)getppid(),
	};
	h->hb = hb;
	if (mprotect(vec, NH_RAM_STACK_OFFSET - NH_PAGE_SIZE, PROT_READ) != 0 ||
	    mprotect((void *)(uintptr_t)h->guard_lo, NH_PAGE_SIZE, PROT_NONE) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot protect the argument area or stack guard: %s",
		             h->opts.image);
}

/* [addr, addr+len) overlaps [lo, hi). */
static bool overlaps(uint64_t addr, uint64_t end, uint64_t lo, uint64_t hi)
{
	return addr < hi && lo < end;
}

/* Whether [addr, end) avoids every page the guest protected from access
 * need (NH_PROT_READ: no access at all; NH_PROT_WRITE: any protection). */
static bool prot_allows(const struct nh_host *h, uint64_t addr, uint64_t end, uint32_t need)
{
	unsigned lo = 0, hi = h->nprot;

	/* The first range that ends above addr; the ranges are sorted. */
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (h->prot[mid].hi <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (unsigned i = lo; i < h->nprot && h->prot[i].lo < end; i++)
		if ((need & NH_PROT_WRITE) || h->prot[i].prot == 0)
			return false;
	return true;
}

bool ram_readable(const struct nh_host *h, uint64_t addr, uint64_t len)
{
	uint64_t end;

	if (len == 0)
		return true;
	if (__builtin_add_overflow(addr, len, &end))
		return false;
	return addr >= h->ram_start && end <= h->ram_end &&
	       !overlaps(addr, end, h->guard_lo, h->guard_lo + NH_PAGE_SIZE) &&
	       (h->nprot == 0 || prot_allows(h, addr, end, NH_PROT_READ));
}

bool ram_writable(const struct nh_host *h, uint64_t addr, uint64_t len)
{
	uint64_t end = addr + len;

	if (len == 0)
		return true;
	if (!ram_readable(h, addr, len) || end > h->stack_top)
		return false;
	if (h->nprot != 0 && !prot_allows(h, addr, end, NH_PROT_WRITE))
		return false;
	if (h->ro_end != 0 && addr >= h->ro_end)
		return true; /* the heap and the stack: every op's buffer, NOW's result */
	for (unsigned i = 0; i < h->img.nseg; i++) {
		const struct elf_seg *s = &h->img.seg[i];

		if (!(s->flags & PF_W) &&
		    overlaps(addr, end, PAGE_DOWN(s->vaddr), PAGE_UP(s->vaddr + s->memsz)))
			return false;
	}
	return true;
}

bool ram_in_text(const struct nh_host *h, uint64_t pc)
{
	for (unsigned i = 0; i < h->img.nseg; i++) {
		const struct elf_seg *s = &h->img.seg[i];

		if ((s->flags & PF_X) && pc >= s->vaddr && pc - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

/* Appends {lo, hi, prot} to out[*n], merged with the last range when they
 * touch and match. */
static void prot_push(struct ram_prot *out, unsigned *n, uint64_t lo, uint64_t hi,
                      uint32_t prot)
{
	if (*n > 0 && out[*n - 1].hi == lo && out[*n - 1].prot == prot)
		out[*n - 1].hi = hi;
	else
		out[(*n)++] = (struct ram_prot){lo, hi, prot};
}

/* One change splits at most one range in two and adds one. Static: the
 * host allocates nothing after start-up, and has one thread. */
static struct ram_prot next[NH_PROT_RANGES_MAX + 2];

/* The ranges once [lo, hi) is prot, in next[]: their count, or -ENOMEM
 * when they would not fit. Nothing changes until prot_commit(). */
static int64_t prot_plan(const struct nh_host *h, uint64_t lo, uint64_t hi, uint32_t prot)
{
	const bool rw = prot == (NH_PROT_READ | NH_PROT_WRITE);
	bool placed = false;
	unsigned n = 0;

	for (unsigned i = 0; i < h->nprot; i++) {
		const struct ram_prot *r = &h->prot[i];

		if (r->lo < lo)
			prot_push(next, &n, r->lo, r->hi < lo ? r->hi : lo, r->prot);
		if (!placed && r->hi > lo) {
			if (!rw)
				prot_push(next, &n, lo, hi, prot);
			placed = true;
		}
		if (r->hi > hi)
			prot_push(next, &n, r->lo > hi ? r->lo : hi, r->hi, r->prot);
	}
	if (!placed && !rw)
		prot_push(next, &n, lo, hi, prot);
	return n > NH_PROT_RANGES_MAX ? -NH_ENOMEM : (int64_t)n;
}

static void prot_commit(struct nh_host *h, int64_t n)
{
	memcpy(h->prot, next, (size_t)n * sizeof(next[0]));
	h->nprot = (unsigned)n;
}

static int kernel_prot(uint32_t prot)
{
	return (prot & NH_PROT_READ ? PROT_READ : 0) | (prot & NH_PROT_WRITE ? PROT_WRITE : 0);
}

int64_t ram_protect(struct nh_host *h, uint64_t lo, uint64_t hi, uint32_t prot)
{
	int64_t n = prot_plan(h, lo, hi, prot);

	if (n < 0)
		return n;
	if (mprotect((void *)(uintptr_t)lo, (size_t)(hi - lo), kernel_prot(prot)) != 0)
		return -errno;
	prot_commit(h, n);
	return 0;
}

int64_t ram_map_over(struct nh_host *h, uint64_t lo, uint64_t hi, uint32_t prot, int flags,
                     int fd, uint64_t offset)
{
	int64_t n = prot_plan(h, lo, hi, prot);
	void *want = (void *)(uintptr_t)lo, *got;

	if (n < 0)
		return n;
	got = mmap(want, (size_t)(hi - lo), kernel_prot(prot), MAP_FIXED | flags, fd, (off_t)offset);
	if (got == MAP_FAILED) {
		int e = errno;

		/* The kernel checks the file before it takes the old pages
		 * away; past those checks, in case it took them, fresh ones,
		 * readable and writable, as syscall.Mmap's were. */
		if (fd >= 0 && e != EACCES && e != ENODEV && e != EINVAL && e != EBADF &&
		    e != EOVERFLOW && e != EPERM)
			(void)ram_map_over(h, lo, hi, NH_PROT_READ | NH_PROT_WRITE,
			              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		return -e;
	}
	prot_commit(h, n);
	return 0;
}
