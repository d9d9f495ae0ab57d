/*
 * nss_opts.c - the network options of the command line, and the grants
 * they make.
 *
 * Contract (pure: no system call, no output, no exit; host/cli.c calls the
 * parsers, tests/unit/check_net.c checks every error):
 *   --net none|private|host          nss_parse_mode; twice is an error
 *   --net-backend auto|uring|epoll   nss_parse_backend
 *   --net-bind PORT|LO-HI            nss_parse_bind: decimal ports; 0 alone
 *                                    grants ephemeral binds (bind to port 0,
 *                                    and LISTEN on a socket never bound);
 *                                    a range is 1 <= LO <= HI <= 65535
 *   --net-connect ADDR:PORT          nss_parse_connect: ADDR an IPv4 literal
 *                                    (dotted quad), a bracketed IPv6 literal
 *                                    ([::1]; a v4-mapped one is the IPv4
 *                                    address) or "*"; PORT 1-65535, LO-HI or
 *                                    "*"
 *   nss_opts_check()                 after the whole line: grants need
 *                                    --net host, and --net host cannot run
 *                                    in --isolate's network namespace
 * Each parser returns false with err = "<option> <value>: <why>" (the
 * caller prefixes nothing), at most NSS_MAX_BIND / NSS_MAX_CONNECT of each.
 * nss_bind_allowed() and nss_connect_allowed() are the host's checks under
 * --net host (netstack-shim/README.md): a port is granted when a --net-bind
 * range holds it (port 0 only by "0"); an address when a --net-connect
 * grant's address is "*" or equal (IPv4-mapped IPv6 compared as IPv4) and
 * its port range holds the port.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "host.h"

__attribute__((format(printf, 3, 4)))
static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return false;
}

static const char *const mode_names[] = {
	[NSS_DEFAULT] = "default", [NSS_NONE] = "none", [NSS_PRIVATE] = "private",
	[NSS_HOST] = "host",
};

const char *nss_mode_name(uint8_t mode)
{
	return mode <= NSS_HOST ? mode_names[mode] : "?";
}

bool nss_parse_mode(const char *v, struct nss_opts *o, char *err, size_t errlen)
{
	for (uint8_t m = NSS_NONE; m <= NSS_HOST; m++) {
		if (strcmp(v, mode_names[m]) != 0)
			continue;
		if (o->mode != NSS_DEFAULT && o->mode != m)
			return fail(err, errlen, "--net %s: given twice (--net %s before)", v,
			            mode_names[o->mode]);
		o->mode = m;
		return true;
	}
	return fail(err, errlen, "--net %s: not a mode (none, private or host)", v);
}

bool nss_parse_backend(const char *v, struct nss_opts *o, char *err, size_t errlen)
{
	static const char *const names[] = {[NSS_AUTO] = "auto", [NSS_URING] = "uring",
	                                    [NSS_EPOLL] = "epoll"};

	for (uint8_t b = NSS_AUTO; b <= NSS_EPOLL; b++)
		if (strcmp(v, names[b]) == 0) {
			o->backend = b;
			return true;
		}
	return fail(err, errlen, "--net-backend %s: not a backend (auto, uring or epoll)", v);
}

/* A decimal port [s, e): digits only, at most 65535. */
static bool port_of(const char *s, const char *e, uint16_t *port)
{
	unsigned v = 0;

	if (s == e || e - s > 5)
		return false;
	for (const char *p = s; p < e; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* PORT or LO-HI in s; false with why set. */
static bool ports_of(const char *s, struct nss_ports *r, const char **why)
{
	const char *dash = strchr(s, '-'), *end = s + strlen(s);

	if (dash == NULL) {
		if (!port_of(s, end, &r->lo)) {
			*why = "not a port (0-65535) or a range LO-HI";
			return false;
		}
		r->hi = r->lo;
		return true;
	}
	if (!port_of(s, dash, &r->lo) || !port_of(dash + 1, end, &r->hi)) {
		*why = "not a port (0-65535) or a range LO-HI";
		return false;
	}
	if (r->lo == 0) {
		*why = "a range starts at 1 (port 0, ephemeral binds, is granted alone)";
		return false;
	}
	if (r->lo > r->hi) {
		*why = "the range is empty (LO above HI)";
		return false;
	}
	return true;
}

bool nss_parse_bind(const char *v, struct nss_opts *o, char *err, size_t errlen)
{
	struct nss_ports r;
	const char *why;

	if (o->nbind == NSS_MAX_BIND)
		return fail(err, errlen, "--net-bind %s: too many grants (%d at most)", v, NSS_MAX_BIND);
	if (!ports_of(v, &r, &why))
		return fail(err, errlen, "--net-bind %s: %s", v, why);
	o->bind_arg[o->nbind] = v;
	o->bind[o->nbind++] = r;
	return true;
}

/* ADDR of --net-connect: [s, e). */
static bool addr_of(const char *s, const char *e, struct nss_dest *d, const char **why)
{
	char buf[64];
	size_t n = (size_t)(e - s);
	struct in6_addr a6;
	struct in_addr a4;

	if (n == 1 && *s == '*') {
		d->family = 0;
		return true;
	}
	if (n >= sizeof(buf)) {
		*why = "not an address (an IPv4 literal, [IPv6] or *)";
		return false;
	}
	if (*s == '[') {
		if (n < 2 || e[-1] != ']') {
			*why = "an IPv6 literal is written [ADDR]";
			return false;
		}
		memcpy(buf, s + 1, n - 2);
		buf[n - 2] = '\0';
		if (inet_pton(AF_INET6, buf, &a6) != 1) {
			*why = "not an IPv6 literal inside [ ]";
			return false;
		}
		if (IN6_IS_ADDR_V4MAPPED(&a6)) {
			memcpy(d->addr, a6.s6_addr + 12, 4);
			d->family = NH_AF_INET;
		} else {
			memcpy(d->addr, a6.s6_addr, 16);
			d->family = NH_AF_INET6;
		}
		return true;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strchr(buf, ':') != NULL) {
		*why = "an IPv6 literal goes in brackets ([ADDR]:PORT)";
		return false;
	}
	if (inet_pton(AF_INET, buf, &a4) != 1) {
		*why = "not an address (an IPv4 literal, [IPv6] or *)";
		return false;
	}
	memcpy(d->addr, &a4, 4);
	d->family = NH_AF_INET;
	return true;
}

bool nss_parse_connect(const char *v, struct nss_opts *o, char *err, size_t errlen)
{
	struct nss_dest d = {.arg = v};
	const char *colon, *why;

	if (o->nconnect == NSS_MAX_CONNECT)
		return fail(err, errlen, "--net-connect %s: too many grants (%d at most)", v,
		            NSS_MAX_CONNECT);
	colon = v[0] == '[' ? strchr(v, ']') : strrchr(v, ':');
	if (colon != NULL && v[0] == '[')
		colon = colon[1] == ':' ? colon + 1 : NULL;
	if (colon == NULL)
		return fail(err, errlen, "--net-connect %s: no :PORT (ADDR:PORT, e.g. 127.0.0.1:8080, "
		            "[::1]:443, *:*)", v);
	if (!addr_of(v, colon, &d, &why))
		return fail(err, errlen, "--net-connect %s: %s", v, why);
	if (strcmp(colon + 1, "*") == 0) {
		d.port = (struct nss_ports){1, 65535};
		d.any_port = true;
	} else if (!ports_of(colon + 1, &d.port, &why)) {
		return fail(err, errlen, "--net-connect %s: %s", v, why);
	} else if (d.port.lo == 0) {
		return fail(err, errlen, "--net-connect %s: port 0 cannot be connected to", v);
	}
	o->connect[o->nconnect++] = d;
	return true;
}

bool nss_opts_check(const struct nss_opts *o, bool isolate, char *err, size_t errlen)
{
	if (o->mode != NSS_HOST && o->nbind > 0)
		return fail(err, errlen, "--net-bind %s: needs --net host (a grant of the host's "
		            "network)", o->bind_arg[0]);
	if (o->mode != NSS_HOST && o->nconnect > 0)
		return fail(err, errlen, "--net-connect %s: needs --net host (a grant of the host's "
		            "network)", o->connect[0].arg);
	if (o->mode == NSS_HOST && isolate)
		return fail(err, errlen, "--net host: --isolate runs the image in a network namespace "
		            "of its own; use --net private, or leave --isolate out");
	return true;
}

bool nss_bind_allowed(const struct nss_opts *o, uint16_t port)
{
	for (unsigned i = 0; i < o->nbind; i++)
		if (port >= o->bind[i].lo && port <= o->bind[i].hi)
			return true;
	return false;
}

bool nss_connect_allowed(const struct nss_opts *o, const struct sockaddr *sa)
{
	uint8_t addr[16];
	uint16_t port;
	int family;

	if (sa->sa_family == AF_INET) {
		struct sockaddr_in in;

		memcpy(&in, sa, sizeof(in));
		memcpy(addr, &in.sin_addr, 4);
		port = ntohs(in.sin_port);
		family = NH_AF_INET;
	} else {
		struct sockaddr_in6 in6;

		memcpy(&in6, sa, sizeof(in6));
		memcpy(addr, &in6.sin6_addr, 16);
		port = ntohs(in6.sin6_port);
		family = NH_AF_INET6;
		if (IN6_IS_ADDR_V4MAPPED(&in6.sin6_addr)) {
			memmove(addr, addr + 12, 4);
			family = NH_AF_INET;
		}
	}
	for (unsigned i = 0; i < o->nconnect; i++) {
		const struct nss_dest *d = &o->connect[i];

		if (port < d->port.lo || port > d->port.hi)
			continue;
		if (d->family == 0 ||
		    (d->family == family && memcmp(d->addr, addr, family == NH_AF_INET ? 4 : 16) == 0))
			return true;
	}
	return false;
}
