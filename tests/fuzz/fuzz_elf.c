/*
 * fuzz_elf.c - a hostile image file against elf_validate() and the symbol
 * lookups that run on what it accepted (host/elf_load.h).
 *
 * Input: the file, as it is (a real image is an input too), validated for
 * each machine nonehost runs, with a whole explanation buffer and a short
 * one. Invariants:
 *   rejected: a rule with a name, and an explanation that is one line,
 *       NUL-terminated within the buffer, whatever its size;
 *   accepted (by one machine at most): every property the loader relies on when it copies segments
 *       into RAM (host/ram.c): 1..ELF_MAX_LOADS segments, each within the
 *       limits, its file range within the file, filesz <= memsz, never
 *       W+X, offset and address congruent modulo the page, ascending with
 *       no page shared; the entry in an executable segment (arm: 4-byte
 *       aligned); the symbol and string tables within the file, the
 *       strings NUL-terminated; and every name elf_symbolize() returns is
 *       a string of that table.
 */
#include <elf.h>
#include <string.h>

#include "elf_load.h"
#include "fuzz.h"
#include "nonehost_abi.h"

static const struct elf_limits limits[] = {
	{.machine = EM_X86_64, .class = ELFCLASS64},
	{.machine = EM_AARCH64, .class = ELFCLASS64},
	{.machine = EM_RISCV, .class = ELFCLASS64},
	{.machine = EM_ARM, .class = ELFCLASS32},
};
#define NLIMITS (sizeof(limits) / sizeof(limits[0]))

static bool inside(const uint8_t *buf, size_t len, const void *p, size_t n)
{
	const uint8_t *q = p;

	return q >= buf && q <= buf + len && n <= (size_t)(buf + len - q);
}

static void check_name(const struct elf_image *img, const char *name)
{
	const struct elf_syms *t = &img->syms;

	if (name == NULL)
		return;
	FUZZ_CHECK(name >= t->str && name < t->str + t->strsize, "name %p outside the string table",
	           (const void *)name);
	FUZZ_CHECK(memchr(name, '\0', (size_t)(t->str + t->strsize - name)) != NULL,
	           "name not terminated in its table");
}

static void check_accepted(const uint8_t *buf, size_t len, const struct elf_limits *lim,
                           const struct elf_image *img)
{
	bool entry_ok = false;

	FUZZ_CHECK(img->nseg >= 1 && img->nseg <= ELF_MAX_LOADS, "%u segments", img->nseg);
	FUZZ_CHECK(img->machine == lim->machine, "machine %u", img->machine);
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_seg *s = &img->seg[i];

		FUZZ_CHECK(s->memsz > 0, "segment %u: empty", i);
		FUZZ_CHECK(s->vaddr >= lim->lo && s->vaddr < lim->hi && s->memsz <= lim->hi - s->vaddr,
		           "segment %u: 0x%llx+0x%llx outside the limits", i,
		           (unsigned long long)s->vaddr, (unsigned long long)s->memsz);
		FUZZ_CHECK(s->filesz <= s->memsz, "segment %u: filesz > memsz", i);
		FUZZ_CHECK(s->offset <= len && s->filesz <= len - s->offset,
		           "segment %u: file range past the end", i);
		FUZZ_CHECK(!((s->flags & PF_W) && (s->flags & PF_X)), "segment %u: W+X", i);
		FUZZ_CHECK((s->offset & (lim->page - 1)) == (s->vaddr & (lim->page - 1)),
		           "segment %u: offset and address not congruent", i);
		if (i > 0) {
			const struct elf_seg *p = &img->seg[i - 1];
			uint64_t pend = (p->vaddr + p->memsz + lim->page - 1) & ~(lim->page - 1);

			FUZZ_CHECK(s->vaddr >= pend, "segment %u: below or in the page of %u", i, i - 1);
		}
		if (img->entry >= s->vaddr && img->entry - s->vaddr < s->memsz)
			entry_ok = (s->flags & PF_X) != 0;
	}
	FUZZ_CHECK(img->image_end == img->seg[img->nseg - 1].vaddr + img->seg[img->nseg - 1].memsz,
	           "image_end");
	FUZZ_CHECK(entry_ok, "entry 0x%llx not in an executable segment",
	           (unsigned long long)img->entry);
	FUZZ_CHECK(lim->machine != EM_ARM || img->entry % 4 == 0, "arm entry not ARM code");
	if (img->syms.nsym > 0) {
		const struct elf_syms *t = &img->syms;

		FUZZ_CHECK(t->symsize == (lim->class == ELFCLASS64 ? sizeof(Elf64_Sym)
		                                                   : sizeof(Elf32_Sym)),
		           "symbol size %zu", t->symsize);
		FUZZ_CHECK(t->nsym <= len / t->symsize && inside(buf, len, t->sym, t->nsym * t->symsize),
		           "symbols outside the file");
		FUZZ_CHECK(t->strsize > 0 && inside(buf, len, t->str, t->strsize),
		           "strings outside the file");
		FUZZ_CHECK(t->str[t->strsize - 1] == '\0', "strings not terminated");
	}
}

/* The file against one machine's limits; whether it was accepted. */
static bool validate(const uint8_t *buf, size_t len, const struct elf_limits *lim, size_t whylen)
{
	char why[256];
	struct elf_image img;
	enum elf_rule r;
	uint64_t off;

	memset(why, 'X', sizeof(why));
	r = elf_validate(buf, len, lim, &img, why, whylen);
	FUZZ_CHECK(r >= ELF_OK && r < ELF_RULE_COUNT, "rule %d", (int)r);
	FUZZ_CHECK(elf_rule_name(r) != NULL, "rule %d has no name", (int)r);
	FUZZ_CHECK(memchr(why, '\0', whylen) != NULL, "explanation not terminated in %zu bytes",
	           whylen);
	FUZZ_CHECK(strchr(why, '\n') == NULL, "explanation of more than one line: %s", why);
	if (r != ELF_OK) {
		FUZZ_CHECK(whylen == 1 || why[0] != '\0', "rule %s without an explanation",
		           elf_rule_name(r));
		return false;
	}
	check_accepted(buf, len, lim, &img);
	if (fuzz_trace)
		fprintf(stderr, "accepted for machine %u: %u segments, %zu symbols\n", lim->machine,
		        img.nseg, img.syms.nsym);
	check_name(&img, elf_symbolize(&img, img.entry, &off));
	for (unsigned i = 0; i < img.nseg; i++) {
		check_name(&img, elf_symbolize(&img, img.seg[i].vaddr, &off));
		check_name(&img, elf_symbolize(&img, img.seg[i].vaddr + img.seg[i].memsz - 1, &off));
	}
	(void)elf_has_symbol(&img, "runtime.main");
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned accepted = 0;

	for (size_t i = 0; i < NLIMITS; i++) {
		struct elf_limits lim = limits[i];

		lim.lo = NH_RAM_START;
		lim.hi = NH_RAM_START + (UINT64_C(64) << 20);
		lim.page = NH_PAGE_SIZE;
		accepted += validate(data, size, &lim, 256);
		(void)validate(data, size, &lim, 1 + size % 40); /* a short buffer: truncation */
	}
	FUZZ_CHECK(accepted <= 1, "accepted for %u machines", accepted);
	return 0;
}

/*
 * Seeds: a small image of each class, as the go linker lays one out: a
 * text segment at NH_TEXT_ADDR, a data segment a page above, and a symbol
 * table (a function, a data object, an assembly label of size 0).
 */
#define SEED_PAGE 4096
#define SEED_SYMS 4
static const char seed_strtab[] = "\0_rt0_go\0runtime.main\0runtime.data\0";
#define SEED_LEN (3 * SEED_PAGE)

/* The file: its parts (headers, tables) at their offsets, zeros between. */
struct part {
	uint64_t off;
	const void *p;
	size_t n;
};

static void lay_out(fuzz_emit_fn *emit, const char *name, const struct part parts[5])
{
	static uint8_t f[SEED_LEN];

	memset(f, 0, sizeof(f));
	for (int i = 0; i < 5; i++)
		memcpy(f + parts[i].off, parts[i].p, parts[i].n);
	emit(name, f, SEED_LEN);
}

static void seed64(fuzz_emit_fn *emit, const char *name, uint16_t machine)
{
	Elf64_Ehdr eh = {
		.e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT,
		            NH_ELFOSABI_STANDALONE},
		.e_type = ET_EXEC, .e_machine = machine, .e_version = EV_CURRENT,
		.e_entry = NH_TEXT_ADDR + 0x40, .e_phoff = sizeof(Elf64_Ehdr),
		.e_shoff = 2 * SEED_PAGE + 0x100, .e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr), .e_phnum = 2,
		.e_shentsize = sizeof(Elf64_Shdr), .e_shnum = 3,
	};
	Elf64_Phdr ph[2] = {
		{PT_LOAD, PF_R | PF_X, SEED_PAGE, NH_TEXT_ADDR, NH_TEXT_ADDR, 0x100, 0x100, SEED_PAGE},
		{PT_LOAD, PF_R | PF_W, 2 * SEED_PAGE, NH_TEXT_ADDR + SEED_PAGE, NH_TEXT_ADDR + SEED_PAGE,
		 0x40, 0x2000, SEED_PAGE},
	};
	Elf64_Shdr sh[3] = {
		{0},
		{.sh_name = 0, .sh_type = SHT_SYMTAB, .sh_offset = 2 * SEED_PAGE + 0x400,
		 .sh_size = SEED_SYMS * sizeof(Elf64_Sym), .sh_link = 2,
		 .sh_entsize = sizeof(Elf64_Sym)},
		{.sh_type = SHT_STRTAB, .sh_offset = 2 * SEED_PAGE + 0x600,
		 .sh_size = sizeof(seed_strtab)},
	};
	Elf64_Sym sym[SEED_SYMS] = {
		{0},
		{.st_name = 1, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE), .st_shndx = 1,
		 .st_value = NH_TEXT_ADDR + 0x40},
		{.st_name = 9, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), .st_shndx = 1,
		 .st_value = NH_TEXT_ADDR + 0x80, .st_size = 0x40},
		{.st_name = 22, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT), .st_shndx = 2,
		 .st_value = NH_TEXT_ADDR + SEED_PAGE, .st_size = 8},
	};

	lay_out(emit, name, (const struct part[]){{0, &eh, sizeof(eh)},
	                                          {eh.e_phoff, ph, sizeof(ph)},
	                                          {eh.e_shoff, sh, sizeof(sh)},
	                                          {sh[1].sh_offset, sym, sizeof(sym)},
	                                          {sh[2].sh_offset, seed_strtab,
	                                           sizeof(seed_strtab)}});
}

static void seed32(fuzz_emit_fn *emit, const char *name)
{
	const uint32_t text = (uint32_t)NH_TEXT_ADDR;
	Elf32_Ehdr eh = {
		.e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS32, ELFDATA2LSB, EV_CURRENT,
		            NH_ELFOSABI_STANDALONE},
		.e_type = ET_EXEC, .e_machine = EM_ARM, .e_version = EV_CURRENT,
		.e_entry = text + 0x40, .e_phoff = sizeof(Elf32_Ehdr),
		.e_shoff = 2 * SEED_PAGE + 0x100, .e_ehsize = sizeof(Elf32_Ehdr),
		.e_phentsize = sizeof(Elf32_Phdr), .e_phnum = 2,
		.e_shentsize = sizeof(Elf32_Shdr), .e_shnum = 3,
	};
	Elf32_Phdr ph[2] = {
		{PT_LOAD, SEED_PAGE, text, text, 0x100, 0x100, PF_R | PF_X, SEED_PAGE},
		{PT_LOAD, 2 * SEED_PAGE, text + SEED_PAGE, text + SEED_PAGE, 0x40, 0x2000,
		 PF_R | PF_W, SEED_PAGE},
	};
	Elf32_Shdr sh[3] = {
		{0},
		{.sh_type = SHT_SYMTAB, .sh_offset = 2 * SEED_PAGE + 0x400,
		 .sh_size = SEED_SYMS * sizeof(Elf32_Sym), .sh_link = 2,
		 .sh_entsize = sizeof(Elf32_Sym)},
		{.sh_type = SHT_STRTAB, .sh_offset = 2 * SEED_PAGE + 0x600,
		 .sh_size = sizeof(seed_strtab)},
	};
	Elf32_Sym sym[SEED_SYMS] = {
		{0},
		{.st_name = 1, .st_value = text + 0x40, .st_info = ELF32_ST_INFO(STB_GLOBAL, STT_NOTYPE),
		 .st_shndx = 1},
		{.st_name = 9, .st_value = text + 0x80, .st_size = 0x40,
		 .st_info = ELF32_ST_INFO(STB_GLOBAL, STT_FUNC), .st_shndx = 1},
		{.st_name = 22, .st_value = text + SEED_PAGE, .st_size = 8,
		 .st_info = ELF32_ST_INFO(STB_GLOBAL, STT_OBJECT), .st_shndx = 2},
	};

	lay_out(emit, name, (const struct part[]){{0, &eh, sizeof(eh)},
	                                          {eh.e_phoff, ph, sizeof(ph)},
	                                          {eh.e_shoff, sh, sizeof(sh)},
	                                          {sh[1].sh_offset, sym, sizeof(sym)},
	                                          {sh[2].sh_offset, seed_strtab,
	                                           sizeof(seed_strtab)}});
}

void fuzz_seeds(fuzz_emit_fn *emit)
{
	seed64(emit, "amd64", EM_X86_64);
	seed64(emit, "arm64", EM_AARCH64);
	seed64(emit, "riscv64", EM_RISCV);
	seed32(emit, "arm");
}
