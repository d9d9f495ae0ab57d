/*
 * nss_addr.c - socket addresses crossing the gate.
 *
 * Contract: addresses are Linux's struct sockaddr_in (16 bytes) and
 * sockaddr_in6 (28 bytes) on every architecture (hooks/nonehost_abi.h).
 * nss_addr_in() copies the guest's [p, p+len) once into host memory and
 * decides everything from that copy (the guest cannot change it between
 * the check and the system call): len outside [2, 128] is -EINVAL (Linux's
 * bound, sockaddr_storage), an unreadable range -EFAULT, a family other
 * than AF_INET and AF_INET6 -EAFNOSUPPORT, a len shorter than the family's
 * struct -EINVAL; the kernel gets exactly the family's size.
 * nss_out_check() checks an (addr, uint32 *addrlen) result pair before the
 * op runs, so an accepted connection or a received datagram is never lost
 * to a bad pointer afterwards; nss_out_put() writes the address truncated
 * to the room and the full length, as accept(2) and recvfrom(2) do.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "host.h"

uint32_t nss_family_len(int family)
{
	switch (family) {
	case AF_INET: return sizeof(struct sockaddr_in);
	case AF_INET6: return sizeof(struct sockaddr_in6);
	default: return 0;
	}
}

_Static_assert(sizeof(struct sockaddr_in) == 16 && sizeof(struct sockaddr_in6) == 28,
               "the ABI's address sizes are Linux's");
_Static_assert(NSS_ADDR_MAX == sizeof(struct sockaddr_storage), "sockaddr_storage");
_Static_assert(NH_AF_INET == AF_INET && NH_AF_INET6 == AF_INET6, "the ABI's families");

int nss_addr_in(const struct nh_host *h, uint64_t p, uint64_t len, union nss_addr *a,
                uint32_t *salen)
{
	sa_family_t family;
	uint32_t want;

	if (len < sizeof(family) || len > NSS_ADDR_MAX)
		return -NH_EINVAL;
	if (!ram_readable(h, p, len))
		return -NH_EFAULT;
	memset(a, 0, sizeof(*a));
	memcpy(a->bytes, (const void *)(uintptr_t)p, len);
	memcpy(&family, a->bytes, sizeof(family));
	if ((want = nss_family_len(family)) == 0)
		return -NH_EAFNOSUPPORT;
	if (len < want)
		return -NH_EINVAL;
	*salen = want;
	return 0;
}

int nss_out_check(const struct nh_host *h, uint64_t addr, uint64_t lenp, uint32_t most,
                  bool optional, struct nss_out *o)
{
	uint32_t room;

	*o = (struct nss_out){.addr = addr, .lenp = lenp};
	if (optional && addr == 0)
		return 0;
	if (!ram_writable(h, lenp, sizeof(room)))
		return -NH_EFAULT;
	memcpy(&room, (const void *)(uintptr_t)lenp, sizeof(room));
	if (room > INT_MAX) /* Linux reads it as an int: negative is -EINVAL */
		return -NH_EINVAL;
	o->writable = room < most ? room : most;
	if (!ram_writable(h, addr, o->writable))
		return -NH_EFAULT;
	o->room = room;
	o->wanted = true;
	return 0;
}

void nss_out_put(const struct nss_out *o, const union nss_addr *a, uint32_t len)
{
	uint32_t n = len < o->writable ? len : o->writable;

	if (!o->wanted)
		return;
	if (n > 0) /* addr may be 0 when there is no room */
		memcpy((void *)(uintptr_t)o->addr, a->bytes, n);
	memcpy((void *)(uintptr_t)o->lenp, &len, sizeof(len));
}

uint16_t nss_addr_port(const union nss_addr *a)
{
	uint16_t port; /* sin_port and sin6_port: both at offset 2 */

	_Static_assert(offsetof(struct sockaddr_in, sin_port) == 2 &&
	               offsetof(struct sockaddr_in6, sin6_port) == 2, "port offsets");
	memcpy(&port, a->bytes + 2, sizeof(port));
	return ntohs(port);
}
