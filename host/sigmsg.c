/*
 * sigmsg.c - one-line reports from signal handlers (fault.c, the sandbox's
 * SIGSYS report).
 *
 * Contract: everything here is async-signal-safe: it formats by hand into
 * the caller's struct sigmsg (no malloc, no locks, no stdio) and
 * sigmsg_write() is a single write(2) to stderr, so a report never
 * interleaves with other output. Text that does not fit is cut, never
 * overrun; the line always ends in '\n'.
 */
#include <unistd.h>

#include "host.h"

extern char __executable_start[], etext[]; /* host text bounds, from the linker */

void sigmsg_put(struct sigmsg *m, const char *s)
{
	while (*s != '\0' && m->n < sizeof(m->buf) - 1)
		m->buf[m->n++] = *s++;
}

void sigmsg_hex(struct sigmsg *m, uint64_t v)
{
	char tmp[19] = "0x";
	int len = 1;

	while (len < 16 && (v >> (4 * len)) != 0)
		len++;
	for (int i = 0; i < len; i++)
		tmp[2 + i] = "0123456789abcdef"[(v >> (4 * (len - 1 - i))) & 0xf];
	tmp[2 + len] = '\0';
	sigmsg_put(m, tmp);
}

void sigmsg_dec(struct sigmsg *m, uint64_t v)
{
	char tmp[21];
	int i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	sigmsg_put(m, tmp + i);
}

void sigmsg_pc(struct sigmsg *m, const struct nh_host *h, bool guest, uint64_t pc)
{
	const char *sym = NULL;
	uint64_t off = 0;

	sigmsg_hex(m, pc);
	if (guest)
		sym = elf_symbolize(&h->img, pc, &off);
	if (!guest && pc >= (uint64_t)(uintptr_t)__executable_start &&
	    pc < (uint64_t)(uintptr_t)etext) {
		sigmsg_put(m, " = nonehost+");
		sigmsg_hex(m, pc - (uint64_t)(uintptr_t)__executable_start);
	}
	if (sym != NULL) {
		sigmsg_put(m, " in ");
		sigmsg_put(m, sym);
		if (off != 0) {
			sigmsg_put(m, "+");
			sigmsg_hex(m, off);
		}
	}
}

void sigmsg_write(struct sigmsg *m)
{
	m->buf[m->n++] = '\n'; /* sigmsg_put leaves room for it */
	if (write(STDERR_FILENO, m->buf, m->n) < 0) {
		/* nothing left to try */
	}
}
