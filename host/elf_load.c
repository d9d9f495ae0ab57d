/*
 * elf_load.c - validate a GOOS=none ELF image held in memory.
 *
 * Contract: elf_validate(buf, len, limits, img, why, whylen) reads only
 * buf[0..len), allocates nothing and has no side effects besides *img and
 * why. The image is of the class the limits say (ELFCLASS64, or ELFCLASS32
 * for arm); an ELF32 file's headers are read into their ELF64 shapes
 * (every ELF32 field fits), so each rule is written once. It returns ELF_OK
 * and fills *img when every rule holds, or the first
 * broken rule with a one-line reason in why ("segment 2 overlaps segment 1
 * (0x10400000 < 0x10410000)"). Every sum of untrusted values is overflow-
 * checked. Rules are checked in a fixed order (identity, then program headers,
 * then each PT_LOAD, then their relations, then the entry point, then the
 * symbol table) so each malformed image gets one deterministic answer.
 */
#include <elf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "elf_load.h"
#include "nonehost_abi.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "elf_load.c reads little-endian ELF fields natively; add byte swapping for this host"
#endif

static const char *const rule_names[ELF_RULE_COUNT] = {
	[ELF_OK] = "ok",
	[ELF_NOT_ELF] = "not-elf",
	[ELF_CLASS] = "class",
	[ELF_DATA] = "data",
	[ELF_VERSION] = "version",
	[ELF_OSABI] = "osabi",
	[ELF_MACHINE] = "machine",
	[ELF_TYPE] = "type",
	[ELF_PHENTSIZE] = "phentsize",
	[ELF_PHDRS] = "phdrs",
	[ELF_DYNAMIC] = "dynamic",
	[ELF_NO_LOAD] = "no-load",
	[ELF_TOO_MANY] = "too-many-loads",
	[ELF_OVERFLOW] = "overflow",
	[ELF_FILESZ] = "filesz",
	[ELF_FILE_RANGE] = "file-range",
	[ELF_WX] = "w^x",
	[ELF_ALIGN] = "align",
	[ELF_OUTSIDE_RAM] = "outside-ram",
	[ELF_UNORDERED] = "unordered",
	[ELF_OVERLAP] = "overlap",
	[ELF_SHARED_PAGE] = "shared-page",
	[ELF_ENTRY] = "entry",
	[ELF_SYMTAB] = "symtab",
};

const char *elf_rule_name(enum elf_rule r)
{
	return (unsigned)r < ELF_RULE_COUNT ? rule_names[r] : "?";
}

/* Machines we can name; the host decides which one it runs (elf_limits). */
static const struct {
	uint16_t em;
	const char *name;
} machines[] = {
	{EM_X86_64, "x86-64"}, {EM_AARCH64, "aarch64"}, {EM_ARM, "arm"},
	{EM_RISCV, "riscv"},   {EM_386, "i386"},
};

const char *elf_machine_name(uint16_t machine)
{
	for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		if (machines[i].em == machine)
			return machines[i].name;
	return "unknown";
}

/* What a check needs besides the image: where to put the reason. */
struct why {
	char *buf;
	size_t len;
};

__attribute__((format(printf, 3, 4)))
static enum elf_rule reject(const struct why *w, enum elf_rule r, const char *fmt, ...)
{
	va_list ap;

	if (w->len > 0) {
		va_start(ap, fmt);
		vsnprintf(w->buf, w->len, fmt, ap);
		va_end(ap);
	}
	return r;
}

/* Sizes of the class's headers and symbols (ELFCLASS64 or ELFCLASS32). */
#define CLASS_SIZE(class, t) ((class) == ELFCLASS64 ? sizeof(Elf64_##t) : sizeof(Elf32_##t))
static size_t ehdr_size(uint8_t class) { return CLASS_SIZE(class, Ehdr); }
static size_t phdr_size(uint8_t class) { return CLASS_SIZE(class, Phdr); }
static size_t shdr_size(uint8_t class) { return CLASS_SIZE(class, Shdr); }
static size_t sym_size(uint8_t class) { return CLASS_SIZE(class, Sym); }

/* The file header at buf (ehdr_size(class) bytes, checked by the caller). */
static void read_ehdr(const uint8_t *buf, uint8_t class, Elf64_Ehdr *eh)
{
	Elf32_Ehdr e;

	if (class == ELFCLASS64) {
		memcpy(eh, buf, sizeof(*eh));
		return;
	}
	memcpy(&e, buf, sizeof(e));
	*eh = (Elf64_Ehdr){
		.e_type = e.e_type, .e_machine = e.e_machine, .e_version = e.e_version,
		.e_entry = e.e_entry, .e_phoff = e.e_phoff, .e_shoff = e.e_shoff,
		.e_flags = e.e_flags, .e_ehsize = e.e_ehsize, .e_phentsize = e.e_phentsize,
		.e_phnum = e.e_phnum, .e_shentsize = e.e_shentsize, .e_shnum = e.e_shnum,
		.e_shstrndx = e.e_shstrndx,
	};
	memcpy(eh->e_ident, e.e_ident, EI_NIDENT);
}

/* Program header i, which the caller has bounds-checked. */
static Elf64_Phdr phdr_at(const uint8_t *buf, const Elf64_Ehdr *eh, unsigned i)
{
	const uint8_t class = eh->e_ident[EI_CLASS];
	const uint8_t *at = buf + eh->e_phoff + (uint64_t)i * phdr_size(class);
	Elf64_Phdr ph;
	Elf32_Phdr p;

	if (class == ELFCLASS64) {
		memcpy(&ph, at, sizeof(ph));
		return ph;
	}
	memcpy(&p, at, sizeof(p));
	return (Elf64_Phdr){.p_type = p.p_type, .p_flags = p.p_flags, .p_offset = p.p_offset,
	                    .p_vaddr = p.p_vaddr, .p_paddr = p.p_paddr, .p_filesz = p.p_filesz,
	                    .p_memsz = p.p_memsz, .p_align = p.p_align};
}

/* [off, off+size) lies in a file of len bytes, sums overflow-checked. */
static bool in_file(uint64_t off, uint64_t size, size_t len)
{
	uint64_t end;

	return !__builtin_add_overflow(off, size, &end) && end <= len;
}

static enum elf_rule check_ident(const uint8_t *buf, size_t len, const struct elf_limits *lim,
                                 Elf64_Ehdr *eh, const struct why *w)
{
	if (len < EI_NIDENT)
		return reject(w, ELF_NOT_ELF, "not an ELF file (file too small: %zu bytes)", len);
	if (memcmp(buf, ELFMAG, SELFMAG) != 0)
		return reject(w, ELF_NOT_ELF, "not an ELF file (bad magic %02x %02x %02x %02x)",
		              buf[0], buf[1], buf[2], buf[3]);
	if (buf[EI_CLASS] != lim->class)
		return reject(w, ELF_CLASS, "wrong ELF class (EI_CLASS %u, want %u %s)",
		              buf[EI_CLASS], lim->class,
		              lim->class == ELFCLASS64 ? "ELFCLASS64" : "ELFCLASS32");
	if (buf[EI_DATA] != ELFDATA2LSB)
		return reject(w, ELF_DATA, "wrong byte order (EI_DATA %u, want %u little-endian)",
		              buf[EI_DATA], ELFDATA2LSB);
	if (buf[EI_VERSION] != EV_CURRENT)
		return reject(w, ELF_VERSION, "wrong ELF version (EI_VERSION %u, want %u)",
		              buf[EI_VERSION], EV_CURRENT);
	if (len < ehdr_size(lim->class))
		return reject(w, ELF_NOT_ELF, "not an ELF file (file too small: %zu bytes, need %zu)",
		              len, ehdr_size(lim->class));
	read_ehdr(buf, lim->class, eh);
	if (eh->e_version != EV_CURRENT)
		return reject(w, ELF_VERSION, "wrong ELF version (e_version %u, want %u)",
		              eh->e_version, EV_CURRENT);
	if (buf[EI_OSABI] != NH_ELFOSABI_STANDALONE)
		return reject(w, ELF_OSABI, "not marked GOOS=none (EI_OSABI %u, want %u)",
		              buf[EI_OSABI], NH_ELFOSABI_STANDALONE);
	if (eh->e_machine != lim->machine)
		return reject(w, ELF_MACHINE, "wrong machine (e_machine %u %s, want %u %s)",
		              eh->e_machine, elf_machine_name(eh->e_machine), lim->machine,
		              elf_machine_name(lim->machine));
	if (eh->e_type != ET_EXEC)
		return reject(w, ELF_TYPE, "not a static executable (e_type %u, want %u ET_EXEC)",
		              eh->e_type, ET_EXEC);
	return ELF_OK;
}

static enum elf_rule check_phdrs(const Elf64_Ehdr *eh, size_t len, const struct why *w)
{
	const size_t phsz = phdr_size(eh->e_ident[EI_CLASS]);
	uint64_t size;

	if (eh->e_phentsize != phsz)
		return reject(w, ELF_PHENTSIZE, "bad program header size (e_phentsize %u, want %zu)",
		              eh->e_phentsize, phsz);
	if (eh->e_phnum == 0)
		return reject(w, ELF_PHDRS, "no program headers (e_phnum 0)");
	if (eh->e_phnum > ELF_MAX_PHDRS)
		return reject(w, ELF_PHDRS, "too many program headers (e_phnum %u, max %u)",
		              eh->e_phnum, ELF_MAX_PHDRS);
	size = (uint64_t)eh->e_phnum * phsz; /* <= 256*56: no overflow */
	if (!in_file(eh->e_phoff, size, len))
		return reject(w, ELF_PHDRS,
		              "program headers past end of file (0x%llx + %u * %zu > %zu bytes)",
		              (unsigned long long)eh->e_phoff, eh->e_phnum, phsz, len);
	return ELF_OK;
}

/* The checks one PT_LOAD must pass on its own. */
static enum elf_rule check_load(const Elf64_Phdr *ph, unsigned i, size_t len,
                                const struct elf_limits *lim, const struct why *w)
{
	uint64_t mend, fend;

	if (__builtin_add_overflow(ph->p_vaddr, ph->p_memsz, &mend))
		return reject(w, ELF_OVERFLOW, "segment %u: p_vaddr + p_memsz overflows (0x%llx + 0x%llx)",
		              i, (unsigned long long)ph->p_vaddr, (unsigned long long)ph->p_memsz);
	if (__builtin_add_overflow(ph->p_offset, ph->p_filesz, &fend))
		return reject(w, ELF_OVERFLOW,
		              "segment %u: p_offset + p_filesz overflows (0x%llx + 0x%llx)", i,
		              (unsigned long long)ph->p_offset, (unsigned long long)ph->p_filesz);
	if (ph->p_filesz > ph->p_memsz)
		return reject(w, ELF_FILESZ, "segment %u: p_filesz > p_memsz (0x%llx > 0x%llx)", i,
		              (unsigned long long)ph->p_filesz, (unsigned long long)ph->p_memsz);
	if (fend > len)
		return reject(w, ELF_FILE_RANGE,
		              "segment %u: file range past end of file (0x%llx + 0x%llx > 0x%zx)", i,
		              (unsigned long long)ph->p_offset, (unsigned long long)ph->p_filesz, len);
	if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
		return reject(w, ELF_WX, "segment %u is both writable and executable (p_flags 0x%x)",
		              i, ph->p_flags);
	if ((ph->p_offset & (lim->page - 1)) != (ph->p_vaddr & (lim->page - 1)))
		return reject(w, ELF_ALIGN,
		              "segment %u: p_offset and p_vaddr differ modulo the page size "
		              "(0x%llx vs 0x%llx, page 0x%llx)", i, (unsigned long long)ph->p_offset,
		              (unsigned long long)ph->p_vaddr, (unsigned long long)lim->page);
	if (ph->p_memsz > 0 && (ph->p_vaddr < lim->lo || mend > lim->hi))
		return reject(w, ELF_OUTSIDE_RAM,
		              "segment %u outside RAM (0x%llx-0x%llx not within 0x%llx-0x%llx)", i,
		              (unsigned long long)ph->p_vaddr, (unsigned long long)mend,
		              (unsigned long long)lim->lo, (unsigned long long)lim->hi);
	return ELF_OK;
}

/* Segment s against its predecessor p (both accepted by check_load). */
static enum elf_rule check_order(const struct elf_seg *p, const struct elf_seg *s,
                                 uint64_t page, const struct why *w)
{
	uint64_t pend = p->vaddr + p->memsz;               /* checked in check_load */
	uint64_t pend_page = (pend + page - 1) & ~(page - 1); /* <= lim->hi: no wrap */

	if (s->vaddr < p->vaddr)
		return reject(w, ELF_UNORDERED, "segment %u is below segment %u (0x%llx < 0x%llx)",
		              s->phdr, p->phdr, (unsigned long long)s->vaddr,
		              (unsigned long long)p->vaddr);
	if (s->vaddr < pend)
		return reject(w, ELF_OVERLAP, "segment %u overlaps segment %u (0x%llx < 0x%llx)",
		              s->phdr, p->phdr, (unsigned long long)s->vaddr, (unsigned long long)pend);
	if (s->vaddr < pend_page)
		return reject(w, ELF_SHARED_PAGE,
		              "segment %u shares a page with segment %u (0x%llx < 0x%llx)", s->phdr,
		              p->phdr, (unsigned long long)s->vaddr, (unsigned long long)pend_page);
	return ELF_OK;
}

static enum elf_rule check_segments(const uint8_t *buf, size_t len, const Elf64_Ehdr *eh,
                                    const struct elf_limits *lim, struct elf_image *img,
                                    const struct why *w)
{
	unsigned nload = 0;
	enum elf_rule r;

	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph = phdr_at(buf, eh, i);
		struct elf_seg *s;

		if (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC)
			return reject(w, ELF_DYNAMIC, "segment %u is %s: dynamic images are not supported",
			              i, ph.p_type == PT_INTERP ? "PT_INTERP" : "PT_DYNAMIC");
		if (ph.p_type != PT_LOAD)
			continue;
		nload++;
		if ((r = check_load(&ph, i, len, lim, w)) != ELF_OK)
			return r;
		if (ph.p_memsz == 0)
			continue; /* occupies nothing */
		if (img->nseg == ELF_MAX_LOADS)
			return reject(w, ELF_TOO_MANY, "too many PT_LOAD segments (more than %u)",
			              ELF_MAX_LOADS);
		s = &img->seg[img->nseg];
		*s = (struct elf_seg){ph.p_vaddr, ph.p_memsz, ph.p_offset, ph.p_filesz, ph.p_flags, i};
		if (img->nseg > 0 && (r = check_order(s - 1, s, lim->page, w)) != ELF_OK)
			return r;
		img->nseg++;
		img->image_end = s->vaddr + s->memsz;
	}
	if (img->nseg == 0)
		return reject(w, ELF_NO_LOAD, "no PT_LOAD segment (%u PT_LOAD of %u program headers)",
		              nload, eh->e_phnum);
	return ELF_OK;
}

static enum elf_rule check_entry(const struct elf_image *img, const struct elf_limits *lim,
                                 const struct why *w)
{
	if (img->entry < lim->lo || img->entry >= lim->hi)
		return reject(w, ELF_ENTRY, "entry point 0x%llx outside RAM (0x%llx-0x%llx)",
		              (unsigned long long)img->entry, (unsigned long long)lim->lo,
		              (unsigned long long)lim->hi);
	/* arm: the host enters in ARM state (nonehost_abi.h), whose code is
	 * 4-byte aligned; bit 0 would mean Thumb */
	if (lim->machine == EM_ARM && img->entry % 4 != 0)
		return reject(w, ELF_ENTRY, "entry point 0x%llx is not ARM code (not 4-byte aligned)",
		              (unsigned long long)img->entry);
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_seg *s = &img->seg[i];

		if (img->entry >= s->vaddr && img->entry - s->vaddr < s->memsz) {
			if (s->flags & PF_X)
				return ELF_OK;
			return reject(w, ELF_ENTRY,
			              "entry point 0x%llx is in segment %u, which is not executable "
			              "(p_flags 0x%x)", (unsigned long long)img->entry, s->phdr, s->flags);
		}
	}
	return reject(w, ELF_ENTRY, "entry point 0x%llx is in no PT_LOAD segment",
	              (unsigned long long)img->entry);
}

/* Section header k, which the caller has bounds-checked. */
static Elf64_Shdr shdr_at(const uint8_t *buf, const Elf64_Ehdr *eh, unsigned k)
{
	const uint8_t class = eh->e_ident[EI_CLASS];
	const uint8_t *at = buf + eh->e_shoff + (uint64_t)k * shdr_size(class);
	Elf64_Shdr sh;
	Elf32_Shdr s;

	if (class == ELFCLASS64) {
		memcpy(&sh, at, sizeof(sh));
		return sh;
	}
	memcpy(&s, at, sizeof(s));
	return (Elf64_Shdr){.sh_name = s.sh_name, .sh_type = s.sh_type, .sh_flags = s.sh_flags,
	                    .sh_addr = s.sh_addr, .sh_offset = s.sh_offset, .sh_size = s.sh_size,
	                    .sh_link = s.sh_link, .sh_info = s.sh_info,
	                    .sh_addralign = s.sh_addralign, .sh_entsize = s.sh_entsize};
}

/* Find and validate .symtab and its string table. Absent is fine. */
static enum elf_rule check_symtab(const uint8_t *buf, size_t len, const Elf64_Ehdr *eh,
                                  struct elf_image *img, const struct why *w)
{
	const size_t shsz = shdr_size(eh->e_ident[EI_CLASS]), symsz = sym_size(eh->e_ident[EI_CLASS]);
	Elf64_Shdr sym, str;
	unsigned k;

	if (eh->e_shoff == 0)
		return ELF_OK; /* no section headers: no symbols */
	if (eh->e_shnum == 0)
		return reject(w, ELF_SYMTAB, "extended section numbering is not supported "
		              "(e_shoff 0x%llx, e_shnum 0)", (unsigned long long)eh->e_shoff);
	if (eh->e_shentsize != shsz)
		return reject(w, ELF_SYMTAB, "bad section header size (e_shentsize %u, want %zu)",
		              eh->e_shentsize, shsz);
	if (!in_file(eh->e_shoff, (uint64_t)eh->e_shnum * shsz, len))
		return reject(w, ELF_SYMTAB,
		              "section headers past end of file (0x%llx + %u * %zu > %zu bytes)",
		              (unsigned long long)eh->e_shoff, eh->e_shnum, shsz, len);
	for (k = 0; k < eh->e_shnum; k++) {
		sym = shdr_at(buf, eh, k);
		if (sym.sh_type == SHT_SYMTAB)
			break;
	}
	if (k == eh->e_shnum)
		return ELF_OK; /* stripped */
	if (sym.sh_entsize != symsz || sym.sh_size % symsz != 0)
		return reject(w, ELF_SYMTAB,
		              "section %u (.symtab): bad entry size (sh_entsize %llu, sh_size %llu)", k,
		              (unsigned long long)sym.sh_entsize, (unsigned long long)sym.sh_size);
	if (!in_file(sym.sh_offset, sym.sh_size, len))
		return reject(w, ELF_SYMTAB, "section %u (.symtab) past end of file (0x%llx + 0x%llx > 0x%zx)",
		              k, (unsigned long long)sym.sh_offset, (unsigned long long)sym.sh_size, len);
	if (sym.sh_link == 0 || sym.sh_link >= eh->e_shnum)
		return reject(w, ELF_SYMTAB, "section %u (.symtab): bad string table link (%u of %u)",
		              k, sym.sh_link, eh->e_shnum);
	str = shdr_at(buf, eh, sym.sh_link);
	if (str.sh_type != SHT_STRTAB || str.sh_size == 0)
		return reject(w, ELF_SYMTAB, "section %u (.strtab): not a string table (type %u, size %llu)",
		              sym.sh_link, str.sh_type, (unsigned long long)str.sh_size);
	if (!in_file(str.sh_offset, str.sh_size, len))
		return reject(w, ELF_SYMTAB, "section %u (.strtab) past end of file (0x%llx + 0x%llx > 0x%zx)",
		              sym.sh_link, (unsigned long long)str.sh_offset,
		              (unsigned long long)str.sh_size, len);
	if (buf[str.sh_offset + str.sh_size - 1] != '\0')
		return reject(w, ELF_SYMTAB, "section %u (.strtab) is not NUL-terminated", sym.sh_link);
	/* in_file() put both inside buf: the sizes fit size_t */
	img->syms.sym = buf + sym.sh_offset;
	img->syms.symsize = symsz;
	img->syms.nsym = (size_t)(sym.sh_size / symsz);
	img->syms.str = (const char *)buf + str.sh_offset;
	img->syms.strsize = (size_t)str.sh_size;
	return ELF_OK;
}

enum elf_rule elf_validate(const uint8_t *buf, size_t len, const struct elf_limits *lim,
                           struct elf_image *img, char *why, size_t whylen)
{
	const struct why w = {why, whylen};
	Elf64_Ehdr eh;
	enum elf_rule r;

	memset(img, 0, sizeof(*img));
	if (whylen > 0)
		why[0] = '\0';
	if ((r = check_ident(buf, len, lim, &eh, &w)) != ELF_OK ||
	    (r = check_phdrs(&eh, len, &w)) != ELF_OK ||
	    (r = check_segments(buf, len, &eh, lim, img, &w)) != ELF_OK)
		return r;
	img->entry = eh.e_entry;
	img->machine = eh.e_machine;
	if ((r = check_entry(img, lim, &w)) != ELF_OK ||
	    (r = check_symtab(buf, len, &eh, img, &w)) != ELF_OK)
		return r;
	return ELF_OK;
}
