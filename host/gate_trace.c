/*
 * gate_trace.c - --trace output: one stderr line per host call.
 *
 *     [nh] write(1, 0x10003000, 18) = 18 (3.1us)
 *     [nh] nanotime() = 123456789 (0.1us)
 *     [nh] getrandom(0x0, 16) = -14 EFAULT (0.2us)
 *     [nh] op 0x7ff(0x1, 0x0, 0x0, 0x0, 0x0, 0x0) = -38 ENOSYS (0.0us)
 *     [nh] exit(7) = ?
 *     [nh] fs_open(-100, "/tmp/x\n", 7, 0x241, 0644) = 3 (5.2us)
 *     [nh] signal(SIGUSR1, CATCH) = 0 (1.3us)
 *
 * Contract: names and argument kinds come from the op table in gate.c (the
 * one place that lists the ops); the line is built in a local buffer and
 * written with one write(2), so lines from one call never interleave.
 * A guest string (kind 's', its length the next argument) is printed only
 * when the whole range is readable guest RAM, at most 96 bytes of it,
 * quoted, with '"', '\\' and every byte outside printable ASCII escaped;
 * otherwise its address. Tracing never fails the call it traces.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

struct line {
	char buf[1024];
	size_t n;
};

__attribute__((format(printf, 2, 3)))
static void add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (l->n >= sizeof(l->buf))
		return;
	va_start(ap, fmt);
	k = vsnprintf(l->buf + l->n, sizeof(l->buf) - l->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		l->n += (size_t)k < sizeof(l->buf) - l->n ? (size_t)k : sizeof(l->buf) - l->n - 1;
}

#define TRACE_STR_MAX 96

static void add_string(struct line *l, uint64_t p, uint64_t len)
{
	const unsigned char *s = (const unsigned char *)(uintptr_t)p;
	uint64_t n = len < TRACE_STR_MAX ? len : TRACE_STR_MAX;

	if (!ram_readable(&nh_host, p, len)) {
		add(l, "0x%llx", (unsigned long long)p);
		return;
	}
	add(l, "\"");
	for (uint64_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			add(l, "\\%c", s[i]);
		else if (s[i] == '\n')
			add(l, "\\n");
		else if (s[i] >= 0x20 && s[i] < 0x7f)
			add(l, "%c", s[i]);
		else
			add(l, "\\x%02x", s[i]);
	}
	add(l, "\"%s", len > n ? "..." : "");
}

static void add_arg(struct line *l, char kind, uint64_t v)
{
	static const char *const actions[] = {
		[NH_SIG_DEFAULT] = "DEFAULT", [NH_SIG_IGNORE] = "IGNORE", [NH_SIG_CATCH] = "CATCH",
		[NH_SIG_CATCH_NOWAIT] = "CATCH_NOWAIT",
	};
	const char *abbrev;

	switch (kind) {
	case 'g': /* glibc's abbreviation: USR1; none for 32-64 but SIGRTMIN, SIGRTMAX */
		abbrev = v >= 1 && v <= NH_SIGNAL_MAX ? sbx_signal_name((int)v) : NULL;
		if (abbrev != NULL)
			add(l, "SIG%s", abbrev);
		else
			add(l, "%lld", (long long)v);
		break;
	case 'a':
		if (v < sizeof(actions) / sizeof(actions[0]))
			add(l, "%s", actions[v]);
		else
			add(l, "%lld", (long long)v);
		break;
	case 'o': add(l, "0%llo", (unsigned long long)v); break;
	case 'd': add(l, "%lld", (long long)v); break;
	case 'u': add(l, "%llu", (unsigned long long)v); break;
	case 'c':
		if (v >= 0x20 && v < 0x7f && v != '\'' && v != '\\')
			add(l, "'%c'", (int)v);
		else
			add(l, "0x%02llx", (unsigned long long)v);
		break;
	default: add(l, "0x%llx", (unsigned long long)v); break;
	}
}

void gate_trace(uint64_t op, const uint64_t a[6], int64_t res, uint64_t ns, bool returns)
{
	const struct gate_op *g = gate_op_lookup(op);
	const char *kinds = g != NULL ? g->args : "xxxxxx";
	struct line l = {.n = 0};

	if (g != NULL)
		add(&l, "[nh] %s(", g->name);
	else
		add(&l, "[nh] op 0x%llx(", (unsigned long long)op);
	for (size_t i = 0; kinds[i] != '\0' && i < 6; i++) {
		if (i > 0)
			add(&l, ", ");
		if (kinds[i] == 's' && i + 1 < 6)
			add_string(&l, a[i], a[i + 1]);
		else
			add_arg(&l, kinds[i], a[i]);
	}
	if (!returns)
		add(&l, ") = ?\n");
	else if (res < 0 && res >= -4095)
		add(&l, ") = %lld %s (%.1fus)\n", (long long)res, sbx_errno_name((int)-res),
		    (double)ns / 1000.0);
	else
		add(&l, ") = %lld (%.1fus)\n", (long long)res, (double)ns / 1000.0);
	if (write(STDERR_FILENO, l.buf, l.n) < 0) {
		/* nothing to do: tracing must not change the guest's outcome */
	}
}
