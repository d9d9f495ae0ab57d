/*
 * die.c - the set-up error tier: print one line and exit.
 *
 * Contract: nh_die() prints "nonehost: <message>" and nh_die_errno() appends
 * ": <strerror(errno)>" (errno saved on entry), both to stderr as one line,
 * then exit with the given status (125 set-up, 126 rejected image). A
 * private TMPDIR this process made and nobody else will remove (a death
 * before the supervising fork) is removed first. Only set-up code may call
 * them; code serving the guest returns -errno instead.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

static _Noreturn void vdie(int status, int err, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (err)
		fprintf(stderr, "nonehost: %s: %s\n", msg, strerror(err));
	else
		fprintf(stderr, "nonehost: %s\n", msg);
	fsshim_tmp_abandon(&nh_host);
	exit(status);
}

void nh_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(status, 0, fmt, ap);
}

void nh_die_errno(int status, const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vdie(status, err ? err : EIO, fmt, ap);
}
