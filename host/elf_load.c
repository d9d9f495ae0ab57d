/*
 * elf_load.c - validate a GOOS=none ELF image held in memory.
 *
 * Contract: elf_validate(buf, len, limits, img, why, whylen) reads only
 * buf[0..len), allocates nothing and has no side effects besides *img and
 * why. It returns ELF_OK and fills *img when every rule holds, or the first
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
	if (buf[EI_CLASS] != ELFCLASS64)
		return reject(w, ELF_CLASS, "wrong ELF class (EI_CLASS %u, want %u ELFCLASS64)",
		              buf[EI_CLASS], ELFCLASS64);
	if (buf[EI_DATA] != ELFDATA2LSB)
		return reject(w, ELF_DATA, "wrong byte order (EI_DATA %u, want %u little-endian)",
		              buf[EI_DATA], ELFDATA2LSB);
	if (buf[EI_VERSION] != EV_CURRENT)
		return reject(w, ELF_VERSION, "wrong ELF version (EI_VERSION %u, want %u)",
		              buf[EI_VERSION], EV_CURRENT);
	if (len < sizeof(*eh))
		return reject(w, ELF_NOT_ELF, "not an ELF file (file too small: %zu bytes, need %zu)",
		              len, sizeof(*eh));
	memcpy(eh, buf, sizeof(*eh));
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
	uint64_t size;

	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return reject(w, ELF_PHENTSIZE, "bad program header size (e_phentsize %u, want %zu)",
		              eh->e_phentsize, sizeof(Elf64_Phdr));
	if (eh->e_phnum == 0)
		return reject(w, ELF_PHDRS, "no program headers (e_phnum 0)");
	if (eh->e_phnum > ELF_MAX_PHDRS)
		return reject(w, ELF_PHDRS, "too many program headers (e_phnum %u, max %u)",
		              eh->e_phnum, ELF_MAX_PHDRS);
	size = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr); /* <= 256*56: no overflow */
	if (!in_file(eh->e_phoff, size, len))
		return reject(w, ELF_PHDRS,
		              "program headers past end of file (0x%llx + %u * %zu > %zu bytes)",
		              (unsigned long long)eh->e_phoff, eh->e_phnum, sizeof(Elf64_Phdr), len);
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
		Elf64_Phdr ph;
		struct elf_seg *s;

		memcpy(&ph, buf + eh->e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
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
	Elf64_Shdr sh;

	memcpy(&sh, buf + eh->e_shoff + (uint64_t)k * sizeof(sh), sizeof(sh));
	return sh;
}

/* Find and validate .symtab and its string table. Absent is fine. */
static enum elf_rule check_symtab(const uint8_t *buf, size_t len, const Elf64_Ehdr *eh,
                                  struct elf_image *img, const struct why *w)
{
	Elf64_Shdr sym, str;
	unsigned k;

	if (eh->e_shoff == 0)
		return ELF_OK; /* no section headers: no symbols */
	if (eh->e_shnum == 0)
		return reject(w, ELF_SYMTAB, "extended section numbering is not supported "
		              "(e_shoff 0x%llx, e_shnum 0)", (unsigned long long)eh->e_shoff);
	if (eh->e_shentsize != sizeof(Elf64_Shdr))
		return reject(w, ELF_SYMTAB, "bad section header size (e_shentsize %u, want %zu)",
		              eh->e_shentsize, sizeof(Elf64_Shdr));
	if (!in_file(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr), len))
		return reject(w, ELF_SYMTAB,
		              "section headers past end of file (0x%llx + %u * %zu > %zu bytes)",
		              (unsigned long long)eh->e_shoff, eh->e_shnum, sizeof(Elf64_Shdr), len);
	for (k = 0; k < eh->e_shnum; k++) {
		sym = shdr_at(buf, eh, k);
		if (sym.sh_type == SHT_SYMTAB)
			break;
	}
	if (k == eh->e_shnum)
		return ELF_OK; /* stripped */
	if (sym.sh_entsize != sizeof(Elf64_Sym) || sym.sh_size % sizeof(Elf64_Sym) != 0)
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
	img->syms.sym = buf + sym.sh_offset;
	img->syms.nsym = sym.sh_size / sizeof(Elf64_Sym);
	img->syms.str = (const char *)buf + str.sh_offset;
	img->syms.strsize = str.sh_size;
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
