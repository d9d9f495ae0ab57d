/*
 * elf_sym.c - map a guest PC to the name of the function containing it.
 *
 * Contract: elf_symbolize() only reads the symbol and string tables that
 * elf_validate() bounds-checked, ELF64's or ELF32's symbols (every st_name
 * is checked against the string table size here; the table ends in NUL, so
 * every name is terminated). It
 * allocates nothing and takes no locks, so the fault handler may call it.
 * A symbol "contains" pc when value <= pc < value + size; symbols of size 0
 * (assembly labels) match as the nearest one below pc inside the same
 * executable segment, and only when no sized symbol contains pc.
 * elf_has_symbol() says whether a defined symbol is named name;
 * elf_may_call() whether the image may make the call that symbol makes
 * (proc_image_asks, nss_ifaces_wanted).
 */
#include <elf.h>
#include <string.h>

#include "elf_load.h"

/* The executable segment holding pc, or NULL. */
static const struct elf_seg *text_seg(const struct elf_image *img, uint64_t pc)
{
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_seg *s = &img->seg[i];

		if ((s->flags & PF_X) && pc >= s->vaddr && pc - s->vaddr < s->memsz)
			return s;
	}
	return NULL;
}

/* Symbol i in its ELF64 shape (an ELF32 one's fields all fit). */
static Elf64_Sym sym_at(const struct elf_syms *t, size_t i)
{
	Elf64_Sym s;
	Elf32_Sym s32;

	if (t->symsize == sizeof(Elf64_Sym)) {
		memcpy(&s, t->sym + i * sizeof(s), sizeof(s));
		return s;
	}
	memcpy(&s32, t->sym + i * sizeof(s32), sizeof(s32));
	return (Elf64_Sym){.st_name = s32.st_name, .st_info = s32.st_info, .st_other = s32.st_other,
	                   .st_shndx = s32.st_shndx, .st_value = s32.st_value, .st_size = s32.st_size};
}

const char *elf_symbolize(const struct elf_image *img, uint64_t pc, uint64_t *off)
{
	const struct elf_seg *seg = text_seg(img, pc);
	const struct elf_syms *t = &img->syms;
	Elf64_Sym best = {0};
	int found = 0; /* 0 none, 1 nearest label, 2 containing sized symbol */

	if (seg == NULL)
		return NULL;
	for (size_t i = 0; i < t->nsym; i++) {
		Elf64_Sym s = sym_at(t, i);
		unsigned type;

		type = ELF64_ST_TYPE(s.st_info);
		if ((type != STT_FUNC && type != STT_NOTYPE) || s.st_shndx == SHN_UNDEF ||
		    s.st_shndx >= SHN_LORESERVE || s.st_name == 0 || s.st_name >= t->strsize ||
		    s.st_value > pc || s.st_value < seg->vaddr)
			continue;
		if (s.st_size > 0 && pc - s.st_value < s.st_size) {
			if (found < 2 || s.st_value > best.st_value) {
				best = s;
				found = 2;
			}
		} else if (s.st_size == 0 && found < 2 && (found == 0 || s.st_value > best.st_value)) {
			best = s;
			found = 1;
		}
	}
	if (!found)
		return NULL;
	*off = pc - best.st_value;
	return t->str + best.st_name;
}

bool elf_has_symbol(const struct elf_image *img, const char *name)
{
	const struct elf_syms *t = &img->syms;
	const size_t len = strlen(name) + 1; /* with its NUL: a whole name */

	/* Symbol by symbol, the first byte first: a string table search costs
	 * what the C library's memmem costs (musl's looks at every byte,
	 * ~1 ns each: 170 us of a run's start for three names), this one
	 * ~4 ns a symbol (2,500 in a hello world, 16,000 in a test binary). */
	if (len == 1)
		return false;
	for (size_t i = 0; i < t->nsym; i++) {
		Elf64_Sym s = sym_at(t, i);

		if (s.st_name != 0 && s.st_shndx != SHN_UNDEF && s.st_name < t->strsize &&
		    t->strsize - s.st_name >= len && t->str[s.st_name] == name[0] &&
		    memcmp(t->str + s.st_name, name, len) == 0)
			return true;
	}
	return false;
}

bool elf_may_call(const struct elf_image *img, const char *name)
{
	return img->nseg == 0 || img->syms.nsym == 0 || elf_has_symbol(img, name);
}
