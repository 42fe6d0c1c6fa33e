/* Socket addresses: parse, format, compare and hash IPv4/IPv6 address + port. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "net/net.h"

void cl_sa_init(struct cl_sa *sa)
{
	memset(sa, 0, sizeof(*sa));
}

/* Copies the slice into a NUL-terminated scratch (the input is never modified)
 * and runs inet_pton for the family. */
static bool pton(int af, struct cl_slice s, void *dst)
{
	char tmp[INET6_ADDRSTRLEN];

	if (s.len == 0 || s.len >= sizeof(tmp) || memchr(s.p, '\0', s.len))
		return false; /* an embedded NUL would cut the string short */
	memcpy(tmp, s.p, s.len);
	tmp[s.len] = '\0';
	return inet_pton(af, tmp, dst) == 1;
}

static void set_v4(struct cl_sa *sa, const struct in_addr *a, uint16_t port)
{
	cl_sa_init(sa);
	sa->u.in.sin_family = AF_INET;
	sa->u.in.sin_addr = *a;
	sa->u.in.sin_port = htons(port);
	sa->len = sizeof(sa->u.in);
}

static void set_v6(struct cl_sa *sa, const struct in6_addr *a, uint16_t port)
{
	cl_sa_init(sa);
	sa->u.in6.sin6_family = AF_INET6;
	sa->u.in6.sin6_addr = *a;
	sa->u.in6.sin6_port = htons(port);
	sa->len = sizeof(sa->u.in6);
}

/* Parses a bare v4 or v6 literal (no brackets). */
static int parse_host(struct cl_sa *sa, struct cl_slice s, uint16_t port)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (memchr(s.p, ':', s.len)) {
		if (!pton(AF_INET6, s, &a6))
			return EBADMSG;
		set_v6(sa, &a6, port);
		return 0;
	}
	if (!pton(AF_INET, s, &a4))
		return EBADMSG;
	set_v4(sa, &a4, port);
	return 0;
}

/* Parses 1..5 decimal digits with a value <= 65535. */
static int parse_port(struct cl_slice s, uint16_t *port)
{
	uint32_t v = 0;

	if (s.len == 0 || s.len > 5)
		return EBADMSG;
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return EBADMSG;
		v = v * 10 + (uint32_t)(s.p[i] - '0');
	}
	if (v > 65535)
		return EBADMSG;
	*port = (uint16_t)v;
	return 0;
}

/* Splits "host:port" / "[v6]:port" into host (brackets stripped) and port. */
static int split_hostport(struct cl_slice s, struct cl_slice *host, struct cl_slice *port)
{
	const char *colon;

	if (s.len && s.p[0] == '[') {
		const char *rb = memchr(s.p, ']', s.len);

		if (!rb || (size_t)(rb - s.p) + 1 >= s.len || rb[1] != ':')
			return EBADMSG;
		*host = (struct cl_slice){ s.p + 1, (size_t)(rb - s.p) - 1 };
		colon = rb + 1;
		if (!memchr(host->p, ':', host->len))
			return EBADMSG; /* brackets are for v6 only */
	} else {
		colon = memchr(s.p, ':', s.len);
		if (!colon)
			return EBADMSG;
		*host = (struct cl_slice){ s.p, (size_t)(colon - s.p) };
		if (memchr(colon + 1, ':', s.len - host->len - 1))
			return EBADMSG; /* an unbracketed v6 literal is ambiguous */
	}
	*port = (struct cl_slice){ colon + 1, s.len - (size_t)(colon + 1 - s.p) };
	return 0;
}

int cl_sa_parse(struct cl_sa *sa, struct cl_slice s)
{
	struct cl_slice host, port;
	uint16_t p;
	int err;

	cl_sa_init(sa);
	if (!s.p)
		return EBADMSG;
	err = split_hostport(s, &host, &port);
	if (!err)
		err = parse_port(port, &p);
	if (!err)
		err = parse_host(sa, host, p);
	return err;
}

int cl_sa_parse_ip(struct cl_sa *sa, struct cl_slice s, uint16_t port)
{
	cl_sa_init(sa);
	if (!s.p || s.len == 0)
		return EBADMSG;
	if (s.p[0] == '[') {
		if (s.len < 2 || s.p[s.len - 1] != ']')
			return EBADMSG;
		s = (struct cl_slice){ s.p + 1, s.len - 2 };
		if (!memchr(s.p, ':', s.len))
			return EBADMSG;
	}
	return parse_host(sa, s, port);
}

int cl_sa_from_sockaddr(struct cl_sa *sa, const struct sockaddr *addr, socklen_t len)
{
	cl_sa_init(sa);
	if (!addr)
		return EINVAL;
	if (addr->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		memcpy(&sa->u.in, addr, sizeof(sa->u.in));
		sa->len = sizeof(sa->u.in);
		return 0;
	}
	if (addr->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		memcpy(&sa->u.in6, addr, sizeof(sa->u.in6));
		sa->len = sizeof(sa->u.in6);
		return 0;
	}
	return EINVAL;
}

int cl_sa_family(const struct cl_sa *sa)
{
	return sa && sa->len ? sa->u.sa.sa_family : AF_UNSPEC;
}

bool cl_sa_isset(const struct cl_sa *sa)
{
	return cl_sa_family(sa) != AF_UNSPEC;
}

int cl_sa_format_ip(const struct cl_sa *sa, char *buf, size_t cap)
{
	char tmp[INET6_ADDRSTRLEN];
	const void *a;
	size_t n;

	switch (cl_sa_family(sa)) {
	case AF_INET: a = &sa->u.in.sin_addr; break;
	case AF_INET6: a = &sa->u.in6.sin6_addr; break;
	default: return EINVAL;
	}
	if (!inet_ntop(sa->u.sa.sa_family, a, tmp, sizeof(tmp)))
		return EINVAL;
	n = strlen(tmp);
	if (!buf || n >= cap)
		return ENOBUFS;
	memcpy(buf, tmp, n + 1);
	return 0;
}

int cl_sa_format(const struct cl_sa *sa, char *buf, size_t cap)
{
	char ip[INET6_ADDRSTRLEN];
	int err = cl_sa_format_ip(sa, ip, sizeof(ip));
	int n;

	if (err)
		return err;
	if (!buf)
		return ENOBUFS;
	n = snprintf(buf, cap, cl_sa_family(sa) == AF_INET6 ? "[%s]:%u" : "%s:%u", ip,
		     (unsigned)cl_sa_port(sa));
	if (n < 0 || (size_t)n >= cap)
		return ENOBUFS;
	return 0;
}

uint16_t cl_sa_port(const struct cl_sa *sa)
{
	switch (cl_sa_family(sa)) {
	case AF_INET: return ntohs(sa->u.in.sin_port);
	case AF_INET6: return ntohs(sa->u.in6.sin6_port);
	default: return 0;
	}
}

int cl_sa_set_port(struct cl_sa *sa, uint16_t port)
{
	switch (cl_sa_family(sa)) {
	case AF_INET: sa->u.in.sin_port = htons(port); return 0;
	case AF_INET6: sa->u.in6.sin6_port = htons(port); return 0;
	default: return EINVAL;
	}
}

bool cl_sa_is_loopback(const struct cl_sa *sa)
{
	switch (cl_sa_family(sa)) {
	case AF_INET: return (ntohl(sa->u.in.sin_addr.s_addr) >> 24) == 127;
	case AF_INET6: return IN6_IS_ADDR_LOOPBACK(&sa->u.in6.sin6_addr);
	default: return false;
	}
}

/* Points *p at the address bytes and returns their length (0 when unset). */
static size_t addr_bytes(const struct cl_sa *sa, const uint8_t **p)
{
	switch (cl_sa_family(sa)) {
	case AF_INET: *p = (const uint8_t *)&sa->u.in.sin_addr; return 4;
	case AF_INET6: *p = (const uint8_t *)&sa->u.in6.sin6_addr; return 16;
	default: *p = NULL; return 0;
	}
}

static int cmp_ip(const struct cl_sa *a, const struct cl_sa *b)
{
	const uint8_t *pa, *pb;
	size_t na = addr_bytes(a, &pa), nb = addr_bytes(b, &pb);
	int fa = cl_sa_family(a), fb = cl_sa_family(b);

	if (fa != fb)
		return fa < fb ? -1 : 1;
	if (na == 0)
		return 0;
	if (na != nb)
		return na < nb ? -1 : 1;
	return memcmp(pa, pb, na);
}

int cl_sa_cmp(const struct cl_sa *a, const struct cl_sa *b)
{
	int c = cmp_ip(a, b);
	uint16_t pa = cl_sa_port(a), pb = cl_sa_port(b);

	if (c)
		return c < 0 ? -1 : 1;
	if (pa != pb)
		return pa < pb ? -1 : 1;
	if (cl_sa_family(a) == AF_INET6 && a->u.in6.sin6_scope_id != b->u.in6.sin6_scope_id)
		return a->u.in6.sin6_scope_id < b->u.in6.sin6_scope_id ? -1 : 1;
	return 0;
}

bool cl_sa_eq(const struct cl_sa *a, const struct cl_sa *b)
{
	return cl_sa_cmp(a, b) == 0;
}

bool cl_sa_eq_ip(const struct cl_sa *a, const struct cl_sa *b)
{
	return cmp_ip(a, b) == 0;
}

uint32_t cl_sa_hash(const struct cl_sa *sa)
{
	const uint8_t *p;
	size_t n = addr_bytes(sa, &p);
	uint16_t port = cl_sa_port(sa);
	uint32_t h = 2166136261u ^ (uint32_t)cl_sa_family(sa); /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	h = (h ^ (uint8_t)(port >> 8)) * 16777619u;
	h = (h ^ (uint8_t)port) * 16777619u;
	return h;
}
