/* SIP, SIPS and tel URIs (RFC 3261 §19.1.1 and §25.1, RFC 3966 §3), and hosts. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "sip/lex.h"

static bool ipv4_check(struct cl_slice h)
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		unsigned v = 0, nd = 0;

		if (part > 0) {
			if (i >= h.len || h.p[i] != '.')
				return false;
			i++;
		}
		while (i < h.len && cl_sip_is_digit(h.p[i]) && nd < 4) {
			v = v * 10 + (unsigned)(h.p[i++] - '0');
			nd++;
		}
		if (nd == 0 || nd > 3 || v > 255)
			return false;
	}
	return i == h.len;
}

/* RFC 3261 §25.1: hostname = *( domainlabel "." ) toplabel [ "." ], toplabel starts
 * with ALPHA; labels are alphanum with inner "-". */
static bool hostname_check(struct cl_slice h)
{
	size_t i = 0, start = 0;
	char top = 0;

	if (!h.len || h.p[0] == '.')
		return false;
	for (; i <= h.len; i++) {
		if (i < h.len && h.p[i] != '.') {
			if (!cl_sip_is(h.p[i], CL_SIP_C_HOST))
				return false;
			continue;
		}
		if (i == start)
			return i == h.len && i > 0; /* only a trailing dot may end empty */
		if (h.p[start] == '-' || h.p[i - 1] == '-')
			return false;
		top = h.p[start];
		start = i + 1;
	}
	return (top >= 'a' && top <= 'z') || (top >= 'A' && top <= 'Z');
}

enum cl_sip_host_type cl_sip_host_check(struct cl_slice h)
{
	char buf[INET6_ADDRSTRLEN + 1];
	unsigned char addr[16];
	bool digits = true;

	if (h.len >= 2 && h.p[0] == '[') {
		if (h.p[h.len - 1] != ']' || h.len - 2 >= sizeof(buf))
			return CL_SIP_HOST_NONE;
		memcpy(buf, h.p + 1, h.len - 2);
		buf[h.len - 2] = '\0';
		return inet_pton(AF_INET6, buf, addr) == 1 ? CL_SIP_HOST_IPV6 : CL_SIP_HOST_NONE;
	}
	for (size_t i = 0; i < h.len; i++)
		if (!cl_sip_is_digit(h.p[i]) && h.p[i] != '.')
			digits = false;
	if (digits)
		return ipv4_check(h) ? CL_SIP_HOST_IPV4 : CL_SIP_HOST_NONE;
	return hostname_check(h) ? CL_SIP_HOST_NAME : CL_SIP_HOST_NONE;
}

const char *cl_sip_hostport(const char *p, const char *end, struct cl_slice *host,
			    enum cl_sip_host_type *type, uint16_t *port, bool *has_port)
{
	const char *q = p;
	uint64_t v;

	if (q < end && *q == '[') {
		q = memchr(q, ']', (size_t)(end - q));
		if (!q)
			return NULL;
		q++;
	} else {
		while (q < end && cl_sip_is(*q, CL_SIP_C_HOST))
			q++;
	}
	*host = cl_sip_sl(p, q);
	*type = cl_sip_host_check(*host);
	if (*type == CL_SIP_HOST_NONE)
		return NULL;
	*port = 0;
	*has_port = false;
	if (q < end && *q == ':') {
		const char *d = ++q;

		while (q < end && cl_sip_is_digit(*q))
			q++;
		if (cl_sip_uint(cl_sip_sl(d, q), 65535, &v) != 0)
			return NULL;
		*port = (uint16_t)v;
		*has_port = true;
	}
	return q;
}

/* headers = "?" header *( "&" header ), header = hname "=" hvalue (RFC 3261 §25.1). */
static bool uri_headers_check(struct cl_slice s)
{
	const char *p = s.p, *end = cl_sip_end(s);

	while (p <= end) {
		const char *amp = memchr(p, '&', (size_t)(end - p)), *eq;

		if (!amp)
			amp = end;
		eq = memchr(p, '=', (size_t)(amp - p));
		if (!eq || !cl_sip_escaped_run(cl_sip_sl(p, eq), CL_SIP_C_HNV, false) ||
		    !cl_sip_escaped_run(cl_sip_sl(eq + 1, amp), CL_SIP_C_HNV, true))
			return false;
		p = amp + 1;
	}
	return true;
}

static bool uri_params_check(struct cl_slice params)
{
	struct cl_sip_param prm;
	int rc;

	while ((rc = cl_sip_uri_param_next(&params, &prm)) == 0)
		;
	return rc == ENOENT;
}

/* userinfo = ( user / telephone-subscriber ) [ ":" password ] "@" */
static bool userinfo(struct cl_sip_uri *u, const char *p, const char *at)
{
	const char *colon = memchr(p, ':', (size_t)(at - p));

	u->user = cl_sip_sl(p, colon ? colon : at);
	if (colon) {
		u->password = cl_sip_sl(colon + 1, at);
		u->has_password = true;
	}
	return cl_sip_escaped_run(u->user, CL_SIP_C_USER, false) &&
	       cl_sip_escaped_run(u->password, CL_SIP_C_PASS, true);
}

static int sip_uri(struct cl_sip_uri *u, const char *p, const char *end)
{
	const char *at = memchr(p, '@', (size_t)(end - p)), *q, *qm;

	if (at) {
		if (!userinfo(u, p, at))
			return EBADMSG;
		p = at + 1;
	}
	p = cl_sip_hostport(p, end, &u->host, &u->host_type, &u->port, &u->has_port);
	if (!p)
		return EBADMSG;
	qm = memchr(p, '?', (size_t)(end - p));
	q = qm ? qm : end;
	if (p < q) {
		if (*p != ';')
			return EBADMSG;
		u->params = cl_sip_sl(p + 1, q);
		if (!u->params.len || !uri_params_check(u->params))
			return EBADMSG;
	}
	if (qm) {
		u->headers = cl_sip_sl(qm + 1, end);
		u->has_headers = true;
		if (!uri_headers_check(u->headers))
			return EBADMSG;
	}
	return 0;
}

/* RFC 3966 §3: global-number-digits = "+" *phonedigit DIGIT *phonedigit;
 * local-number-digits = *phonedigit-hex (HEXDIG / "*" / "#") *phonedigit-hex. */
static int tel_uri(struct cl_sip_uri *u, const char *p, const char *end)
{
	const char *semi = memchr(p, ';', (size_t)(end - p)), *q = semi ? semi : end;
	bool global = p < q && *p == '+', digit = false;

	u->user = cl_sip_sl(p, q);
	for (const char *c = p + global; c < q; c++) {
		bool sep = *c == '-' || *c == '.' || *c == '(' || *c == ')';
		bool hex = strchr("0123456789abcdefABCDEF*#", *c) != NULL;

		if (global ? !(sep || cl_sip_is_digit(*c)) : !(sep || hex))
			return EBADMSG;
		digit |= global ? cl_sip_is_digit(*c) : hex;
	}
	if (!digit)
		return EBADMSG;
	if (semi) {
		u->params = cl_sip_sl(semi + 1, end);
		if (!u->params.len || !uri_params_check(u->params))
			return EBADMSG;
	}
	return 0;
}

/* absoluteURI of an unknown scheme: kept opaque, visible ASCII except <>" and space. */
static int other_uri(struct cl_sip_uri *u, const char *p, const char *end)
{
	if (p == end)
		return EBADMSG;
	for (const char *c = p; c < end; c++)
		if ((uint8_t)*c <= 0x20 || (uint8_t)*c >= 0x7f || *c == '<' || *c == '>' ||
		    *c == '"')
			return EBADMSG;
	u->opaque = cl_sip_sl(p, end);
	return 0;
}

int cl_sip_uri_parse(struct cl_sip_uri *u, struct cl_slice text)
{
	const char *p = text.p, *end = cl_sip_end(text), *q = p;

	memset(u, 0, sizeof(*u));
	u->text = text;
	if (!text.len || !((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')))
		return EBADMSG;
	while (q < end && (cl_sip_is(*q, CL_SIP_C_HOST) || *q == '+'))
		q++;
	if (q == end || *q != ':')
		return EBADMSG;
	u->scheme_s = cl_sip_sl(p, q);
	p = q + 1;
	if (cl_sip_eq(u->scheme_s, "sip") || cl_sip_eq(u->scheme_s, "sips")) {
		u->scheme = u->scheme_s.len == 3 ? CL_SIP_SCHEME_SIP : CL_SIP_SCHEME_SIPS;
		return sip_uri(u, p, end);
	}
	if (cl_sip_eq(u->scheme_s, "tel")) {
		u->scheme = CL_SIP_SCHEME_TEL;
		return tel_uri(u, p, end);
	}
	return other_uri(u, p, end);
}
