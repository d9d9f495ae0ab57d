/*
 * elf_load.h - validation of GOOS=none ELF images (elf_load.c) and PC to
 * symbol lookup (elf_sym.c).
 *
 * elf_validate() is a pure function over an in-memory copy of the file: no
 * I/O, no allocation, no global state. It either accepts the image and fills
 * struct elf_image, or returns the one rule the image broke with a one-line
 * explanation naming the values compared. It never reads outside buf.
 */
#ifndef NONEHOST_ELF_LOAD_H
#define NONEHOST_ELF_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_LOADS 16  /* PT_LOAD segments accepted */
#define ELF_MAX_PHDRS 256 /* program headers accepted */

/* The rules an image can break. ELF_OK means accepted. */
enum elf_rule {
	ELF_OK = 0,
	ELF_NOT_ELF,      /* file too small or bad magic */
	ELF_CLASS,        /* not the host's class (ELFCLASS64; arm ELFCLASS32) */
	ELF_DATA,         /* not little-endian */
	ELF_VERSION,      /* EI_VERSION or e_version not EV_CURRENT */
	ELF_OSABI,        /* EI_OSABI is not 255 (GOOS=none) */
	ELF_MACHINE,      /* e_machine is not the host's */
	ELF_TYPE,         /* not ET_EXEC */
	ELF_PHENTSIZE,    /* e_phentsize != sizeof(Elf64_Phdr) (Elf32_Phdr) */
	ELF_PHDRS,        /* program header table past EOF, none or too many */
	ELF_DYNAMIC,      /* PT_INTERP or PT_DYNAMIC present */
	ELF_NO_LOAD,      /* no PT_LOAD segment */
	ELF_TOO_MANY,     /* more than ELF_MAX_LOADS PT_LOAD segments */
	ELF_OVERFLOW,     /* an address or size sum overflows */
	ELF_FILESZ,       /* p_filesz > p_memsz */
	ELF_FILE_RANGE,   /* segment's file range past EOF */
	ELF_WX,           /* segment both writable and executable */
	ELF_ALIGN,        /* p_offset and p_vaddr not congruent modulo the page */
	ELF_OUTSIDE_RAM,  /* segment outside the image area of RAM */
	ELF_UNORDERED,    /* PT_LOAD segments not in ascending p_vaddr order */
	ELF_OVERLAP,      /* PT_LOAD segments overlap */
	ELF_SHARED_PAGE,  /* two PT_LOAD segments share a page */
	ELF_ENTRY,        /* entry point outside RAM or not in an executable segment
	                   * (arm: or not 4-byte aligned, ARM state) */
	ELF_SYMTAB,       /* malformed section headers / .symtab / .strtab */
	ELF_RULE_COUNT
};

/* Where the image may lie, and for which machine. */
struct elf_limits {
	uint16_t machine; /* EM_* the host runs */
	uint64_t lo;      /* lowest address (RAM start) */
	uint64_t hi;      /* one past the highest address (below the stack guard) */
	uint64_t page;    /* page size, a power of two */
	uint8_t class;    /* EI_CLASS: ELFCLASS64, or ELFCLASS32 (arm) */
};

/* One accepted PT_LOAD segment (p_memsz > 0). */
struct elf_seg {
	uint64_t vaddr, memsz;  /* memory range */
	uint64_t offset, filesz; /* file range, copied to vaddr */
	uint32_t flags;         /* PF_R | PF_W | PF_X */
	unsigned phdr;          /* index in the program header table */
};

/* The symbol table, pointing into the validated buffer (may be empty). */
struct elf_syms {
	const uint8_t *sym; /* Elf64_Sym[nsym], or Elf32_Sym[nsym] (unaligned access safe) */
	size_t symsize;     /* sizeof either */
	size_t nsym;
	const char *str;    /* string table, last byte is NUL */
	size_t strsize;
};

struct elf_image {
	uint64_t entry;
	uint16_t machine;
	unsigned nseg;
	struct elf_seg seg[ELF_MAX_LOADS]; /* ascending, non-overlapping */
	uint64_t image_end;                /* end of the highest segment */
	struct elf_syms syms;
};

enum elf_rule elf_validate(const uint8_t *buf, size_t len, const struct elf_limits *lim,
                           struct elf_image *img, char *why, size_t whylen);

/* Short stable name of a rule ("overlap"), for tests and logs. */
const char *elf_rule_name(enum elf_rule r);

/* Human name of a machine ("x86-64"), or "unknown". */
const char *elf_machine_name(uint16_t machine);

/* The function symbol containing pc (or the nearest one below it in the same
 * executable segment), or NULL; *off is pc minus the symbol's value.
 * Async-signal-safe: no allocation, no locks, only reads the image copy. */
const char *elf_symbolize(const struct elf_image *img, uint64_t pc, uint64_t *off);

/* A defined symbol of the image is named name (false without a table). */
bool elf_has_symbol(const struct elf_image *img, const char *name);
/* The image may make the host call that its symbol name makes (the BSP's
 * one caller, which the linker keeps only where something reaches it): it
 * names it, or it cannot tell (no symbol table: stripped), or no image is
 * known (nseg 0: --policy without IMAGE). */
bool elf_may_call(const struct elf_image *img, const char *name);

#endif /* NONEHOST_ELF_LOAD_H */
