/* SDP field decoders (RFC 8866 §5, §9 grammar): o=, c=, m=, b=, t=, a=rtcp, a=ptime.
 * Fields are split on runs of SP/HTAB (the grammar says one SP; phones emit doubles and
 * trailing blanks), and every decoder works on a slice of the caller's text. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sdp/sdp_priv.h"

int cl_sdp_fail(struct cl_sdp_error *err, unsigned line, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->line = line;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return EBADMSG;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

struct cl_slice cl_sdp_tok(struct cl_slice *s)
{
	size_t i = 0, start;

	while (i < s->len && is_blank(s->p[i]))
		i++;
	start = i;
	while (i < s->len && !is_blank(s->p[i]))
		i++;
	struct cl_slice t = { s->p + start, i - start };
	s->p += i;
	s->len -= i;
	return t;
}

struct cl_slice cl_sdp_rtrim(struct cl_slice s)
{
	while (s.len && is_blank(s.p[s.len - 1]))
		s.len--;
	return s;
}

/* Returns true when only blanks are left in s. */
static bool at_end(struct cl_slice s)
{
	return cl_sdp_rtrim(s).len == 0;
}

int cl_sdp_num(struct cl_slice s, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;
	bool big = false;

	if (!s.len)
		return -1;
	for (size_t i = 0; i < s.len; i++) {
		unsigned d = (unsigned char)s.p[i] - '0';

		if (d > 9)
			return -1;
		if (big || x > (max - d) / 10) /* max >= 9 for every caller */
			big = true;
		else
			x = x * 10 + d;
	}
	if (big)
		return 1;
	*v = x;
	return 0;
}

void cl_sdp_attr_split(struct cl_slice v, struct cl_slice *name, struct cl_slice *val)
{
	const char *colon = memchr(v.p, ':', v.len);

	if (!colon) {
		*name = cl_sdp_rtrim(v);
		*val = (struct cl_slice){ v.p + v.len, 0 };
		return;
	}
	*name = cl_sdp_rtrim((struct cl_slice){ v.p, (size_t)(colon - v.p) });
	*val = (struct cl_slice){ colon + 1, v.len - (size_t)(colon - v.p) - 1 };
}

/* Classifies an address against its addrtype. Returns AF_INET or AF_INET6 for a valid
 * literal, 0 for a name (or an addrtype we do not know), -1 for a malformed literal or
 * a literal of the other family, with *why set. */
static int addr_family(struct cl_slice addrtype, struct cl_slice addr, const char **why)
{
	char buf[INET6_ADDRSTRLEN + 1];
	unsigned char bin[16];
	bool colon = memchr(addr.p, ':', addr.len) != NULL, dotted = true;
	bool v4 = cl_slice_casecmp_eq(addrtype, CL_SLICE_LIT("IP4"));
	bool v6 = cl_slice_casecmp_eq(addrtype, CL_SLICE_LIT("IP6"));

	for (size_t i = 0; i < addr.len && dotted; i++)
		dotted = (addr.p[i] >= '0' && addr.p[i] <= '9') || addr.p[i] == '.';
	if ((!v4 && !v6) || (!colon && !dotted))
		return 0; /* a name (FQDN) or a foreign addrtype: kept, never used */
	if (v4 && colon)
		return *why = "IPv6 address under IP4", -1;
	if (v6 && !colon)
		return *why = "IPv4 address under IP6", -1;
	*why = v4 ? "bad IPv4 address" : "bad IPv6 address";
	if (addr.len >= sizeof(buf))
		return -1;
	memcpy(buf, addr.p, addr.len);
	buf[addr.len] = '\0';
	if (inet_pton(v4 ? AF_INET : AF_INET6, buf, bin) != 1)
		return -1;
	return v4 ? AF_INET : AF_INET6;
}

/* Decodes "<nettype> <addrtype> <address>[/<ttl>][/<n>]" from *rest (RFC 8866 §5.7).
 * The multicast suffix is dropped from the slice. A malformed literal is an error when
 * strict, else kept with family 0 (o= only names the session). */
static int dec_addr(struct cl_slice *rest, struct cl_sdp_addr *a, bool strict, const char *f,
		    unsigned ln, struct cl_sdp_error *err)
{
	const char *why = NULL;
	const char *slash;
	int fam;

	a->nettype = cl_sdp_tok(rest);
	a->addrtype = cl_sdp_tok(rest);
	a->addr = cl_sdp_tok(rest);
	slash = memchr(a->addr.p, '/', a->addr.len);
	if (slash)
		a->addr.len = (size_t)(slash - a->addr.p);
	if (!a->nettype.len || !a->addrtype.len || !a->addr.len)
		return cl_sdp_fail(err, ln, "%s: expected <nettype> <addrtype> <address>", f);
	a->present = true;
	a->family = 0;
	if (!cl_slice_casecmp_eq(a->nettype, CL_SLICE_LIT("IN")))
		return 0;
	fam = addr_family(a->addrtype, a->addr, &why);
	if (fam < 0 && strict)
		return cl_sdp_fail(err, ln, "%s: %s %.*s", f, why, (int)CL_MIN(a->addr.len, 48),
				   a->addr.p);
	a->family = fam < 0 ? 0 : fam;
	return 0;
}

/* RFC 8866 §5.2: o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address> */
int cl_sdp_dec_origin(struct cl_slice v, struct cl_sdp_origin *o, unsigned ln,
		      struct cl_sdp_error *err)
{
	struct cl_slice ver;
	int rc;

	o->username = cl_sdp_tok(&v);
	o->sess_id = cl_sdp_tok(&v);
	ver = cl_sdp_tok(&v);
	if (!ver.len)
		return cl_sdp_fail(err, ln, "o=: expected 6 fields");
	rc = cl_sdp_num(ver, UINT64_MAX, &o->sess_version);
	if (rc)
		return cl_sdp_fail(err, ln, "o=: sess-version %s",
				   rc < 0 ? "is not a number" : "out of range");
	if (dec_addr(&v, &o->addr, false, "o=", ln, err))
		return cl_sdp_fail(err, ln, "o=: expected 6 fields");
	if (!at_end(v))
		return cl_sdp_fail(err, ln, "o=: more than 6 fields");
	return 0;
}

/* RFC 8866 §5.7: c=<nettype> <addrtype> <connection-address> */
int cl_sdp_dec_conn(struct cl_slice v, struct cl_sdp_addr *a, unsigned ln,
		    struct cl_sdp_error *err)
{
	int rc = dec_addr(&v, a, true, "c=", ln, err);

	if (rc)
		return rc;
	if (!at_end(v))
		return cl_sdp_fail(err, ln, "c=: unexpected text after the address");
	return 0;
}

/* Decodes "<port>[/<n>]" of m= (RFC 8866 §5.14). */
static int dec_port(struct cl_slice p, struct cl_sdp_media *m, unsigned ln,
		    struct cl_sdp_error *err)
{
	const char *slash = memchr(p.p, '/', p.len);
	struct cl_slice port = p, n = { NULL, 0 };
	uint64_t x = 0;
	int rc;

	if (slash) {
		port.len = (size_t)(slash - p.p);
		n = (struct cl_slice){ slash + 1, p.len - port.len - 1 };
	}
	rc = cl_sdp_num(port, 65535, &x);
	if (rc)
		return rc < 0 ? cl_sdp_fail(err, ln, "m=: port is not a number")
			      : cl_sdp_fail(err, ln, "m=: port %.*s out of range",
					    (int)CL_MIN(port.len, 24), port.p);
	m->port = (uint16_t)x;
	m->nports = 1;
	if (!slash)
		return 0;
	rc = cl_sdp_num(n, 65535, &x);
	if (rc < 0)
		return cl_sdp_fail(err, ln, "m=: port count is not a number");
	if (rc > 0 || x == 0)
		return cl_sdp_fail(err, ln, "m=: port count %.*s out of range",
				   (int)CL_MIN(n.len, 24), n.p);
	m->nports = (uint16_t)x;
	return 0;
}

/* RFC 8866 §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ... */
int cl_sdp_dec_media(struct cl_slice v, struct cl_sdp_media *m, unsigned ln,
		     struct cl_sdp_error *err)
{
	struct cl_slice port;
	int rc;

	m->type = cl_sdp_tok(&v);
	port = cl_sdp_tok(&v);
	m->proto = cl_sdp_tok(&v);
	if (!m->proto.len)
		return cl_sdp_fail(err, ln, "m=: expected <media> <port> <proto> <fmt> ...");
	rc = dec_port(port, m, ln, err);
	if (rc)
		return rc;
	while (v.len && (v.p[0] == ' ' || v.p[0] == '\t'))
		v.p++, v.len--;
	m->fmts = cl_sdp_rtrim(v);
	if (!m->fmts.len)
		return cl_sdp_fail(err, ln, "m=: no formats");
	return 0;
}

/* RFC 8866 §5.8: b=<bwtype>:<bandwidth> */
int cl_sdp_dec_bw(struct cl_slice v, unsigned ln, struct cl_sdp_error *err)
{
	const char *colon = memchr(v.p, ':', v.len);
	struct cl_slice type, bw;
	uint64_t x;

	if (!colon)
		return cl_sdp_fail(err, ln, "b=: expected <bwtype>:<bandwidth>");
	type = (struct cl_slice){ v.p, (size_t)(colon - v.p) };
	bw = cl_sdp_rtrim((struct cl_slice){ colon + 1, v.len - type.len - 1 });
	if (!type.len || memchr(type.p, ' ', type.len) || memchr(type.p, '\t', type.len))
		return cl_sdp_fail(err, ln, "b=: bad bwtype");
	if (cl_sdp_num(bw, UINT64_MAX, &x))
		return cl_sdp_fail(err, ln, "b=: bandwidth is not a number");
	return 0;
}

/* RFC 8866 §5.9: t=<start-time> <stop-time>, decimal NTP seconds. */
int cl_sdp_dec_time(struct cl_slice v, unsigned ln, struct cl_sdp_error *err)
{
	struct cl_slice start = cl_sdp_tok(&v), stop = cl_sdp_tok(&v);
	uint64_t x;

	if (cl_sdp_num(start, UINT64_MAX, &x) || cl_sdp_num(stop, UINT64_MAX, &x) || !at_end(v))
		return cl_sdp_fail(err, ln, "t=: expected <start-time> <stop-time>");
	return 0;
}

/* RFC 3605 §2.1: a=rtcp:<port> [<nettype> <addrtype> <connection-address>] */
int cl_sdp_dec_rtcp(struct cl_slice v, struct cl_sdp_media *m, unsigned ln,
		    struct cl_sdp_error *err)
{
	struct cl_slice port = cl_sdp_tok(&v);
	uint64_t x = 0;
	int rc = cl_sdp_num(port, 65535, &x);

	if (rc)
		return rc < 0 ? cl_sdp_fail(err, ln, "a=rtcp: port is not a number")
			      : cl_sdp_fail(err, ln, "a=rtcp: port %.*s out of range",
					    (int)CL_MIN(port.len, 24), port.p);
	m->has_rtcp = true;
	m->rtcp_port = (uint16_t)x;
	if (at_end(v))
		return 0;
	rc = dec_addr(&v, &m->rtcp_addr, true, "a=rtcp", ln, err);
	if (!rc && !at_end(v))
		rc = cl_sdp_fail(err, ln, "a=rtcp: unexpected text after the address");
	return rc;
}

/* RFC 8866 §6.4: a=ptime:<packet time>, a non-zero integer or real number of ms.
 * A fraction is dropped: 22.5 gives 22. */
int cl_sdp_dec_ptime(struct cl_slice v, unsigned *ptime, unsigned ln, struct cl_sdp_error *err)
{
	struct cl_slice t = cl_sdp_tok(&v), ip = t, frac = { NULL, 0 };
	const char *dot = memchr(t.p, '.', t.len);
	uint64_t x = 0, f = 0;
	int rc;

	if (dot) {
		ip.len = (size_t)(dot - t.p);
		frac = (struct cl_slice){ dot + 1, t.len - ip.len - 1 };
	}
	rc = cl_sdp_num(ip, 100000, &x);
	if (rc < 0 || !at_end(v) || (dot && cl_sdp_num(frac, UINT64_MAX, &f) < 0))
		return cl_sdp_fail(err, ln, "a=ptime: not a number");
	if (rc > 0)
		return cl_sdp_fail(err, ln, "a=ptime: %.*s out of range",
				   (int)CL_MIN(t.len, 24), t.p);
	*ptime = (unsigned)x;
	return 0;
}
