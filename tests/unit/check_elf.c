/*
 * check_elf.c - unit tests of elf_validate(), elf_symbolize() and
 * elf_has_symbol().
 *
 * Contract: builds a valid GOOS=none image in memory (template()), then for
 * every rejection rule corrupts exactly one thing and asserts the rule and a
 * substring of the one-line reason. Also: the valid image is accepted with
 * the expected segments; PC lookup; and no crash or out-of-bounds read on
 * every truncation and on many random corruptions (run under ASan/UBSan).
 */
#include <check.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_load.h"
#include "nonehost_abi.h"
#include "unit.h"

/* Template layout (file offsets). */
#define T_TEXT   0x1000
#define T_RODATA 0x2000
#define T_DATA   0x3000
#define T_SYMTAB 0x3100
#define T_STRTAB 0x3200
#define T_SHDRS  0x3300
#define T_NSYM   5
#define T_SIZE   (T_SHDRS + 3 * sizeof(Elf64_Shdr))
#define T_BUF    0x5000 /* room to grow in a few cases */

#define RAM_LO   NH_RAM_START
#define RAM_HI   (NH_RAM_START + (16 << 20) - (2 << 20) - 4096)

static const struct elf_limits limits = {EM_X86_64, RAM_LO, RAM_HI, 4096, ELFCLASS64};

static const char strtab[] = "\0main.main\0runtime.foo\0asm_label\0data_sym";

struct img {
	uint8_t b[T_BUF];
	size_t len;
};

static Elf64_Ehdr *eh(struct img *t) { return (Elf64_Ehdr *)t->b; }
static Elf64_Phdr *ph(struct img *t, int i) { return (Elf64_Phdr *)(t->b + 64) + i; }
static Elf64_Shdr *sh(struct img *t, int i) { return (Elf64_Shdr *)(t->b + T_SHDRS) + i; }
static Elf64_Sym *sym(struct img *t, int i) { return (Elf64_Sym *)(t->b + T_SYMTAB) + i; }

/* phdr 0 text RX, 1 rodata R, 2 data RW (+bss), 3 PT_GNU_STACK; sections
 * 0 null, 1 .symtab, 2 .strtab. */
static void template(struct img *t)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, ELFMAG, SELFMAG);
	t->b[EI_CLASS] = ELFCLASS64;
	t->b[EI_DATA] = ELFDATA2LSB;
	t->b[EI_VERSION] = EV_CURRENT;
	t->b[EI_OSABI] = NH_ELFOSABI_STANDALONE;
	eh(t)->e_type = ET_EXEC;
	eh(t)->e_machine = EM_X86_64;
	eh(t)->e_version = EV_CURRENT;
	eh(t)->e_entry = 0x10001000;
	eh(t)->e_phoff = 64;
	eh(t)->e_phentsize = sizeof(Elf64_Phdr);
	eh(t)->e_phnum = 4;
	eh(t)->e_ehsize = sizeof(Elf64_Ehdr);
	eh(t)->e_shoff = T_SHDRS;
	eh(t)->e_shentsize = sizeof(Elf64_Shdr);
	eh(t)->e_shnum = 3;
	*ph(t, 0) = (Elf64_Phdr){PT_LOAD, PF_R | PF_X, T_TEXT, 0x10001000, 0x10001000, 0x100, 0x100, 0x1000};
	*ph(t, 1) = (Elf64_Phdr){PT_LOAD, PF_R, T_RODATA, 0x10002000, 0x10002000, 0x80, 0x80, 0x1000};
	*ph(t, 2) = (Elf64_Phdr){PT_LOAD, PF_R | PF_W, T_DATA, 0x10003000, 0x10003000, 0x40, 0x2000, 0x1000};
	*ph(t, 3) = (Elf64_Phdr){.p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W};
	memset(t->b + T_TEXT, 0xcc, 0x100);
	*sym(t, 1) = (Elf64_Sym){1, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), 0, 1, 0x10001000, 0x40};
	*sym(t, 2) = (Elf64_Sym){11, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), 0, 1, 0x10001040, 0x20};
	*sym(t, 3) = (Elf64_Sym){23, ELF64_ST_INFO(STB_LOCAL, STT_NOTYPE), 0, 1, 0x10001080, 0};
	*sym(t, 4) = (Elf64_Sym){33, ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT), 0, 3, 0x10003000, 8};
	memcpy(t->b + T_STRTAB, strtab, sizeof(strtab));
	*sh(t, 1) = (Elf64_Shdr){.sh_type = SHT_SYMTAB, .sh_offset = T_SYMTAB,
	                         .sh_size = T_NSYM * sizeof(Elf64_Sym), .sh_link = 2,
	                         .sh_entsize = sizeof(Elf64_Sym)};
	*sh(t, 2) = (Elf64_Shdr){.sh_type = SHT_STRTAB, .sh_offset = T_STRTAB,
	                         .sh_size = sizeof(strtab)};
	t->len = T_SIZE;
}

/* One corruption per rule. */
static void m_tiny(struct img *t) { t->len = 10; }
static void m_magic(struct img *t) { t->b[3] = 0; }
static void m_class(struct img *t) { t->b[EI_CLASS] = ELFCLASS32; }
static void m_data(struct img *t) { t->b[EI_DATA] = ELFDATA2MSB; }
static void m_eiversion(struct img *t) { t->b[EI_VERSION] = 0; }
static void m_short(struct img *t) { t->len = 40; }
static void m_eversion(struct img *t) { eh(t)->e_version = 2; }
static void m_osabi(struct img *t) { t->b[EI_OSABI] = ELFOSABI_SYSV; }
static void m_machine(struct img *t) { eh(t)->e_machine = EM_AARCH64; }
static void m_type(struct img *t) { eh(t)->e_type = ET_DYN; }
static void m_phentsize(struct img *t) { eh(t)->e_phentsize = 32; }
static void m_phnum0(struct img *t) { eh(t)->e_phnum = 0; }
static void m_phnum_big(struct img *t) { eh(t)->e_phnum = 300; }
static void m_phoff_eof(struct img *t) { eh(t)->e_phoff = T_SIZE - 64; }
static void m_phoff_wrap(struct img *t) { eh(t)->e_phoff = UINT64_MAX - 8; }
static void m_interp(struct img *t) { ph(t, 3)->p_type = PT_INTERP; }
static void m_dynamic(struct img *t) { ph(t, 3)->p_type = PT_DYNAMIC; }
static void m_noload(struct img *t) { for (int i = 0; i < 3; i++) ph(t, i)->p_type = PT_NOTE; }
static void m_allempty(struct img *t) { for (int i = 0; i < 3; i++) ph(t, i)->p_memsz = ph(t, i)->p_filesz = 0; }
static void m_vaddr_wrap(struct img *t) { ph(t, 2)->p_vaddr = UINT64_MAX & ~0xfffULL; }
static void m_offset_wrap(struct img *t) { ph(t, 2)->p_offset = UINT64_MAX & ~0xfffULL; ph(t, 2)->p_filesz = 0x2000; }
static void m_filesz(struct img *t) { ph(t, 2)->p_filesz = 0x3000; }
static void m_file_eof(struct img *t) { ph(t, 0)->p_filesz = ph(t, 0)->p_memsz = 0x4000; }
static void m_wx(struct img *t) { ph(t, 0)->p_flags = PF_R | PF_W | PF_X; }
static void m_align(struct img *t) { ph(t, 0)->p_offset = T_TEXT + 0x10; }
static void m_below_ram(struct img *t) { ph(t, 0)->p_vaddr = 0x1000; }
static void m_above_ram(struct img *t) { ph(t, 2)->p_memsz = RAM_HI - 0x10003000 + 1; }
static void m_unordered(struct img *t) { ph(t, 1)->p_vaddr = 0x10000000; }
static void m_overlap(struct img *t) { ph(t, 1)->p_vaddr = 0x10001080; ph(t, 1)->p_offset = T_RODATA + 0x80; }
static void m_sharepage(struct img *t) { ph(t, 1)->p_vaddr = 0x10001800; ph(t, 1)->p_offset = T_RODATA + 0x800; }
static void m_entry0(struct img *t) { eh(t)->e_entry = 0; }
static void m_entry_hi(struct img *t) { eh(t)->e_entry = RAM_HI; }
static void m_entry_data(struct img *t) { eh(t)->e_entry = 0x10002000; }
static void m_entry_gap(struct img *t) { eh(t)->e_entry = 0x10008000; }
static void m_shentsize(struct img *t) { eh(t)->e_shentsize = 40; }
static void m_shoff_eof(struct img *t) { eh(t)->e_shoff = T_SIZE - 64; }
static void m_shnum0(struct img *t) { eh(t)->e_shnum = 0; }
static void m_symentsize(struct img *t) { sh(t, 1)->sh_entsize = 16; }
static void m_symsize(struct img *t) { sh(t, 1)->sh_size = 5 * sizeof(Elf64_Sym) + 3; }
static void m_sym_eof(struct img *t) { sh(t, 1)->sh_offset = T_SIZE - sizeof(Elf64_Sym); }
static void m_sym_link0(struct img *t) { sh(t, 1)->sh_link = 0; }
static void m_sym_link_big(struct img *t) { sh(t, 1)->sh_link = 7; }
static void m_str_type(struct img *t) { sh(t, 2)->sh_type = SHT_PROGBITS; }
static void m_str_eof(struct img *t) { sh(t, 2)->sh_size = UINT64_MAX; }
static void m_str_nul(struct img *t) { t->b[T_STRTAB + sizeof(strtab) - 1] = 'x'; }

/* Too many PT_LOADs: 17 one-page bss segments. */
static void m_too_many(struct img *t)
{
	eh(t)->e_phnum = ELF_MAX_LOADS + 1;
	for (int i = 0; i < ELF_MAX_LOADS + 1; i++)
		*ph(t, i) = (Elf64_Phdr){PT_LOAD, PF_R, 0, 0x10001000 + 0x1000 * (uint64_t)i,
		                         0, 0, 0x1000, 0x1000};
}

static const struct rule_case {
	const char *name;
	void (*mutate)(struct img *);
	enum elf_rule rule;
	const char *want;
} cases[] = {
	{"tiny", m_tiny, ELF_NOT_ELF, "not an ELF file (file too small: 10 bytes)"},
	{"magic", m_magic, ELF_NOT_ELF, "bad magic 7f 45 4c 00"},
	{"class", m_class, ELF_CLASS, "EI_CLASS 1, want 2 ELFCLASS64"},
	{"data", m_data, ELF_DATA, "EI_DATA 2, want 1 little-endian"},
	{"ei_version", m_eiversion, ELF_VERSION, "EI_VERSION 0, want 1"},
	{"short", m_short, ELF_NOT_ELF, "file too small: 40 bytes, need 64"},
	{"e_version", m_eversion, ELF_VERSION, "e_version 2, want 1"},
	{"osabi", m_osabi, ELF_OSABI, "not marked GOOS=none (EI_OSABI 0, want 255)"},
	{"machine", m_machine, ELF_MACHINE, "e_machine 183 aarch64, want 62 x86-64"},
	{"type", m_type, ELF_TYPE, "e_type 3, want 2 ET_EXEC"},
	{"phentsize", m_phentsize, ELF_PHENTSIZE, "e_phentsize 32, want 56"},
	{"phnum0", m_phnum0, ELF_PHDRS, "no program headers"},
	{"phnum_big", m_phnum_big, ELF_PHDRS, "too many program headers (e_phnum 300, max 256)"},
	{"phoff_eof", m_phoff_eof, ELF_PHDRS, "program headers past end of file"},
	{"phoff_wrap", m_phoff_wrap, ELF_PHDRS, "program headers past end of file"},
	{"interp", m_interp, ELF_DYNAMIC, "segment 3 is PT_INTERP"},
	{"dynamic", m_dynamic, ELF_DYNAMIC, "segment 3 is PT_DYNAMIC"},
	{"noload", m_noload, ELF_NO_LOAD, "no PT_LOAD segment (0 PT_LOAD of 4"},
	{"allempty", m_allempty, ELF_NO_LOAD, "no PT_LOAD segment (3 PT_LOAD of 4"},
	{"too_many", m_too_many, ELF_TOO_MANY, "too many PT_LOAD segments (more than 16)"},
	{"vaddr_wrap", m_vaddr_wrap, ELF_OVERFLOW, "segment 2: p_vaddr + p_memsz overflows"},
	{"offset_wrap", m_offset_wrap, ELF_OVERFLOW, "segment 2: p_offset + p_filesz overflows"},
	{"filesz", m_filesz, ELF_FILESZ, "segment 2: p_filesz > p_memsz (0x3000 > 0x2000)"},
	{"file_eof", m_file_eof, ELF_FILE_RANGE, "segment 0: file range past end of file (0x1000 + 0x4000 > 0x33c0)"},
	{"wx", m_wx, ELF_WX, "segment 0 is both writable and executable (p_flags 0x7)"},
	{"align", m_align, ELF_ALIGN, "segment 0: p_offset and p_vaddr differ modulo the page size (0x1010 vs 0x10001000"},
	{"below_ram", m_below_ram, ELF_OUTSIDE_RAM, "segment 0 outside RAM (0x1000-0x1100 not within 0x10000000-0x10dff000)"},
	{"above_ram", m_above_ram, ELF_OUTSIDE_RAM, "segment 2 outside RAM (0x10003000-0x10dff001"},
	{"unordered", m_unordered, ELF_UNORDERED, "segment 1 is below segment 0 (0x10000000 < 0x10001000)"},
	{"overlap", m_overlap, ELF_OVERLAP, "segment 1 overlaps segment 0 (0x10001080 < 0x10001100)"},
	{"sharepage", m_sharepage, ELF_SHARED_PAGE, "segment 1 shares a page with segment 0 (0x10001800 < 0x10002000)"},
	{"entry0", m_entry0, ELF_ENTRY, "entry point 0x0 outside RAM"},
	{"entry_hi", m_entry_hi, ELF_ENTRY, "entry point 0x10dff000 outside RAM"},
	{"entry_data", m_entry_data, ELF_ENTRY, "entry point 0x10002000 is in segment 1, which is not executable"},
	{"entry_gap", m_entry_gap, ELF_ENTRY, "entry point 0x10008000 is in no PT_LOAD segment"},
	{"shentsize", m_shentsize, ELF_SYMTAB, "bad section header size (e_shentsize 40, want 64)"},
	{"shoff_eof", m_shoff_eof, ELF_SYMTAB, "section headers past end of file"},
	{"shnum0", m_shnum0, ELF_SYMTAB, "extended section numbering"},
	{"symentsize", m_symentsize, ELF_SYMTAB, "bad entry size (sh_entsize 16"},
	{"symsize", m_symsize, ELF_SYMTAB, "bad entry size"},
	{"sym_eof", m_sym_eof, ELF_SYMTAB, "section 1 (.symtab) past end of file"},
	{"sym_link0", m_sym_link0, ELF_SYMTAB, "bad string table link (0 of 3)"},
	{"sym_link_big", m_sym_link_big, ELF_SYMTAB, "bad string table link (7 of 3)"},
	{"str_type", m_str_type, ELF_SYMTAB, "not a string table (type 1"},
	{"str_eof", m_str_eof, ELF_SYMTAB, "section 2 (.strtab) past end of file"},
	{"str_nul", m_str_nul, ELF_SYMTAB, "not NUL-terminated"},
};

START_TEST(test_rule)
{
	const struct rule_case *c = &cases[_i];
	struct img *t = malloc(sizeof(*t));
	struct elf_image img;
	char why[256];
	enum elf_rule r;
	uint8_t *exact;

	ck_assert_ptr_nonnull(t);
	template(t);
	c->mutate(t);
	/* Validate an exact-size copy so ASan sees any read past the end. */
	exact = malloc(t->len);
	ck_assert_ptr_nonnull(exact);
	memcpy(exact, t->b, t->len);
	r = elf_validate(exact, t->len, &limits, &img, why, sizeof(why));
	ck_assert_msg(r == c->rule, "%s: got rule %s (%s), want %s", c->name, elf_rule_name(r), why,
	              elf_rule_name(c->rule));
	ck_assert_msg(strstr(why, c->want) != NULL, "%s: reason \"%s\" lacks \"%s\"", c->name, why,
	              c->want);
	ck_assert_msg(strchr(why, '\n') == NULL, "%s: reason is not one line", c->name);
	free(exact);
	free(t);
}
END_TEST

START_TEST(test_valid)
{
	static struct img t;
	struct elf_image img;
	char why[256] = "unset";

	template(&t);
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits, &img, why, sizeof(why)), ELF_OK);
	ck_assert_str_eq(why, "");
	ck_assert_uint_eq(img.entry, 0x10001000);
	ck_assert_uint_eq(img.nseg, 3);
	ck_assert_uint_eq(img.seg[2].vaddr, 0x10003000);
	ck_assert_uint_eq(img.seg[2].filesz, 0x40);
	ck_assert_uint_eq(img.seg[2].memsz, 0x2000);
	ck_assert_uint_eq(img.seg[2].flags, PF_R | PF_W);
	ck_assert_uint_eq(img.seg[1].phdr, 1);
	ck_assert_uint_eq(img.image_end, 0x10005000);
	ck_assert_uint_eq(img.syms.nsym, T_NSYM);

	/* No section headers at all: still valid, no symbols. */
	eh(&t)->e_shoff = 0;
	eh(&t)->e_shnum = 0;
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits, &img, why, sizeof(why)), ELF_OK);
	ck_assert_uint_eq(img.syms.nsym, 0);

	/* Stripped: sections but no SHT_SYMTAB. */
	template(&t);
	sh(&t, 1)->sh_type = SHT_PROGBITS;
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits, &img, why, sizeof(why)), ELF_OK);
	ck_assert_uint_eq(img.syms.nsym, 0);

	/* A zero-size PT_LOAD is ignored. */
	template(&t);
	ph(&t, 3)->p_type = PT_LOAD;
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits, &img, why, sizeof(why)), ELF_OK);
	ck_assert_uint_eq(img.nseg, 3);

	/* A segment ending exactly at the limit is inside. */
	template(&t);
	ph(&t, 2)->p_memsz = RAM_HI - 0x10003000;
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits, &img, why, sizeof(why)), ELF_OK);
}
END_TEST

START_TEST(test_symbolize)
{
	static struct img t;
	struct elf_image img;
	uint64_t off = 99;
	char why[256];

	template(&t);
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits, &img, why, sizeof(why)), ELF_OK);
	ck_assert_str_eq(elf_symbolize(&img, 0x10001000, &off), "main.main");
	ck_assert_uint_eq(off, 0);
	ck_assert_str_eq(elf_symbolize(&img, 0x1000103f, &off), "main.main");
	ck_assert_uint_eq(off, 0x3f);
	ck_assert_str_eq(elf_symbolize(&img, 0x10001050, &off), "runtime.foo");
	ck_assert_uint_eq(off, 0x10);
	ck_assert_str_eq(elf_symbolize(&img, 0x10001090, &off), "asm_label");
	ck_assert_uint_eq(off, 0x10);
	ck_assert_ptr_null(elf_symbolize(&img, 0x10003000, &off)); /* data, not text */
	ck_assert_ptr_null(elf_symbolize(&img, 0x10001100, &off)); /* past text */
	ck_assert_ptr_null(elf_symbolize(&img, 0, &off));
	/* A name offset past the string table is skipped, not read. */
	sym(&t, 1)->st_name = 0x7fffffff;
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits, &img, why, sizeof(why)), ELF_OK);
	ck_assert_ptr_null(elf_symbolize(&img, 0x10001010, &off));
}
END_TEST

/* Whole names only, defined ones only, and none without a table. */
START_TEST(test_has_symbol)
{
	static struct img t;
	struct elf_image img;
	char why[256];

	template(&t);
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits, &img, why, sizeof(why)), ELF_OK);
	ck_assert(elf_has_symbol(&img, "main.main"));
	ck_assert(elf_has_symbol(&img, "runtime.foo"));
	ck_assert(elf_has_symbol(&img, "asm_label"));
	ck_assert(!elf_has_symbol(&img, "main.mai"));
	ck_assert(!elf_has_symbol(&img, "main.main2"));
	ck_assert(!elf_has_symbol(&img, "ain.main")); /* in the table, but no name's start */
	ck_assert(!elf_has_symbol(&img, "asm_label\001")); /* past the table's end */
	ck_assert(!elf_has_symbol(&img, ""));
	sym(&t, 1)->st_shndx = SHN_UNDEF; /* main.main, undefined */
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits, &img, why, sizeof(why)), ELF_OK);
	ck_assert(!elf_has_symbol(&img, "main.main"));
	sym(&t, 1)->st_shndx = 1;
	sym(&t, 1)->st_name = 0x7fffffff; /* past the string table: skipped, not read */
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits, &img, why, sizeof(why)), ELF_OK);
	ck_assert(!elf_has_symbol(&img, "main.main"));
	template(&t);
	sh(&t, 1)->sh_type = SHT_PROGBITS; /* stripped */
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits, &img, why, sizeof(why)), ELF_OK);
	ck_assert(!elf_has_symbol(&img, "main.main"));
}
END_TEST

/* The same image as ELF32 for arm (the arm host's class): headers, segments
 * and symbols read in their 32-bit shapes; the entry must be ARM code. */
static const struct elf_limits limits32 = {EM_ARM, RAM_LO, RAM_HI, 4096, ELFCLASS32};

static void template32(struct img *t)
{
	Elf32_Ehdr *e = (Elf32_Ehdr *)t->b;
	Elf32_Phdr *p = (Elf32_Phdr *)(t->b + sizeof(*e));
	Elf32_Shdr *h = (Elf32_Shdr *)(t->b + T_SHDRS);
	Elf32_Sym *y = (Elf32_Sym *)(t->b + T_SYMTAB);

	memset(t, 0, sizeof(*t));
	memcpy(t->b, ELFMAG, SELFMAG);
	t->b[EI_CLASS] = ELFCLASS32;
	t->b[EI_DATA] = ELFDATA2LSB;
	t->b[EI_VERSION] = EV_CURRENT;
	t->b[EI_OSABI] = NH_ELFOSABI_STANDALONE;
	e->e_type = ET_EXEC;
	e->e_machine = EM_ARM;
	e->e_version = EV_CURRENT;
	e->e_entry = 0x10001000;
	e->e_phoff = sizeof(*e);
	e->e_phentsize = sizeof(Elf32_Phdr);
	e->e_phnum = 2;
	e->e_ehsize = sizeof(*e);
	e->e_shoff = T_SHDRS;
	e->e_shentsize = sizeof(Elf32_Shdr);
	e->e_shnum = 3;
	p[0] = (Elf32_Phdr){PT_LOAD, T_TEXT, 0x10001000, 0x10001000, 0x100, 0x100, PF_R | PF_X, 0x1000};
	p[1] = (Elf32_Phdr){PT_LOAD, T_DATA, 0x10003000, 0x10003000, 0x40, 0x2000, PF_R | PF_W, 0x1000};
	y[1] = (Elf32_Sym){1, 0x10001000, 0x40, ELF32_ST_INFO(STB_GLOBAL, STT_FUNC), 0, 1};
	y[2] = (Elf32_Sym){11, 0x10001040, 0x20, ELF32_ST_INFO(STB_GLOBAL, STT_FUNC), 0, 1};
	memcpy(t->b + T_STRTAB, strtab, sizeof(strtab));
	h[1] = (Elf32_Shdr){.sh_type = SHT_SYMTAB, .sh_offset = T_SYMTAB,
	                    .sh_size = 3 * sizeof(Elf32_Sym), .sh_link = 2,
	                    .sh_entsize = sizeof(Elf32_Sym)};
	h[2] = (Elf32_Shdr){.sh_type = SHT_STRTAB, .sh_offset = T_STRTAB, .sh_size = sizeof(strtab)};
	t->len = T_SHDRS + 3 * sizeof(Elf32_Shdr);
}

START_TEST(test_elf32)
{
	static struct img t;
	struct elf_image img;
	uint64_t off = 99;
	char why[256];

	template32(&t);
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits32, &img, why, sizeof(why)), ELF_OK);
	ck_assert_uint_eq(img.machine, EM_ARM);
	ck_assert_uint_eq(img.nseg, 2);
	ck_assert_uint_eq(img.seg[1].vaddr, 0x10003000);
	ck_assert_uint_eq(img.seg[1].filesz, 0x40);
	ck_assert_uint_eq(img.seg[1].memsz, 0x2000);
	ck_assert_uint_eq(img.seg[1].flags, PF_R | PF_W);
	ck_assert_uint_eq(img.syms.nsym, 3);
	ck_assert_str_eq(elf_symbolize(&img, 0x10001050, &off), "runtime.foo");
	ck_assert_uint_eq(off, 0x10);

	/* each class only where it belongs */
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits, &img, why, sizeof(why)), ELF_CLASS);
	ck_assert_str_eq(why, "wrong ELF class (EI_CLASS 1, want 2 ELFCLASS64)");
	template(&t);
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits32, &img, why, sizeof(why)), ELF_CLASS);
	ck_assert_str_eq(why, "wrong ELF class (EI_CLASS 2, want 1 ELFCLASS32)");

	/* the 32-bit header sizes */
	template32(&t);
	((Elf32_Ehdr *)t.b)->e_phentsize = sizeof(Elf64_Phdr);
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits32, &img, why, sizeof(why)), ELF_PHENTSIZE);
	ck_assert_ptr_nonnull(strstr(why, "e_phentsize 56, want 32"));
	template32(&t);
	((Elf32_Shdr *)(t.b + T_SHDRS))[1].sh_entsize = sizeof(Elf64_Sym);
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits32, &img, why, sizeof(why)), ELF_SYMTAB);
	ck_assert_int_eq(elf_validate(t.b, 40, &limits32, &img, why, sizeof(why)), ELF_NOT_ELF);
	ck_assert_ptr_nonnull(strstr(why, "file too small: 40 bytes, need 52"));

	/* a Thumb (odd) or misaligned entry: the host enters in ARM state */
	template32(&t);
	((Elf32_Ehdr *)t.b)->e_entry = 0x10001001;
	ck_assert_int_eq(elf_validate(t.b, t.len, &limits32, &img, why, sizeof(why)), ELF_ENTRY);
	ck_assert_str_eq(why, "entry point 0x10001001 is not ARM code (not 4-byte aligned)");

	/* every truncation is refused, without reading past the end */
	template32(&t);
	for (size_t n = 0; n < t.len; n++) {
		uint8_t *p = malloc(n ? n : 1);

		ck_assert_ptr_nonnull(p);
		memcpy(p, t.b, n);
		ck_assert_msg(elf_validate(p, n, &limits32, &img, why, sizeof(why)) != ELF_OK,
		              "ELF32 truncated to %zu bytes but accepted", n);
		free(p);
	}
}
END_TEST

/* Every truncation of a valid image is rejected, without reading past it. */
START_TEST(test_truncations)
{
	static struct img t;
	struct elf_image img;
	char why[256];

	template(&t);
	for (size_t n = 0; n < t.len; n++) {
		uint8_t *p = malloc(n ? n : 1);

		ck_assert_ptr_nonnull(p);
		memcpy(p, t.b, n);
		ck_assert_msg(elf_validate(p, n, &limits, &img, why, sizeof(why)) != ELF_OK,
		              "truncated to %zu bytes but accepted", n);
		free(p);
	}
}
END_TEST

/* Random corruptions of headers and tables: any answer, but no crash. */
START_TEST(test_corruptions)
{
	static struct img t;
	struct elf_image img;
	char why[256];
	uint64_t x = 0x9e3779b97f4a7c15u;
	int accepted = 0;

	for (int iter = 0; iter < 20000; iter++) {
		template(&t);
		for (int k = 0; k < 1 + iter % 4; k++) {
			size_t at;

			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* Mostly the headers (0..0x200) and the tables (0x3100..end). */
			at = (x >> 8) % 2 ? (x >> 16) % 0x200 : T_SYMTAB + (x >> 16) % (T_SIZE - T_SYMTAB);
			t.b[at] = (uint8_t)(x >> 40);
		}
		if (elf_validate(t.b, t.len, &limits, &img, why, sizeof(why)) == ELF_OK) {
			uint64_t off;

			accepted++;
			for (uint64_t pc = 0x10000f00; pc < 0x10001200; pc += 0x10)
				(void)elf_symbolize(&img, pc, &off);
			for (unsigned i = 0; i < img.nseg; i++) {
				ck_assert(!((img.seg[i].flags & PF_W) && (img.seg[i].flags & PF_X)));
				ck_assert(img.seg[i].vaddr >= RAM_LO);
				ck_assert(img.seg[i].vaddr + img.seg[i].memsz <= RAM_HI);
				ck_assert(img.seg[i].offset + img.seg[i].filesz <= t.len);
			}
		}
	}
	ck_assert_int_gt(accepted, 0); /* the fuzzer did reach the accept path */
}
END_TEST

/* Every rule has at least one malformed image above. */
START_TEST(test_rule_coverage)
{
	for (int r = ELF_OK + 1; r < ELF_RULE_COUNT; r++) {
		int n = 0;

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			n += cases[i].rule == (enum elf_rule)r;
		ck_assert_msg(n > 0, "rule %s has no test case", elf_rule_name(r));
	}
}
END_TEST

START_TEST(test_rule_names)
{
	for (int r = 0; r < ELF_RULE_COUNT; r++)
		ck_assert_msg(elf_rule_name(r) != NULL && strcmp(elf_rule_name(r), "?") != 0,
		              "rule %d has no name", r);
	ck_assert_str_eq(elf_rule_name(ELF_RULE_COUNT), "?");
	ck_assert_str_eq(elf_machine_name(EM_X86_64), "x86-64");
	ck_assert_str_eq(elf_machine_name(0xbeef), "unknown");
}
END_TEST

Suite *elf_suite(void)
{
	Suite *s = suite_create("elf");
	TCase *rules = tcase_create("rules"), *other = tcase_create("accept");

	tcase_add_loop_test(rules, test_rule, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(other, test_valid);
	tcase_add_test(other, test_symbolize);
	tcase_add_test(other, test_has_symbol);
	tcase_add_test(other, test_elf32);
	tcase_add_test(other, test_truncations);
	tcase_add_test(other, test_corruptions);
	tcase_add_test(other, test_rule_names);
	tcase_add_test(other, test_rule_coverage);
	tcase_set_timeout(other, 60);
	suite_add_tcase(s, rules);
	suite_add_tcase(s, other);
	return s;
}
