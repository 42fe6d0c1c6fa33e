/* SIP lexical layer (RFC 3261 §25.1): character classes, LWS, tokens, quoted strings,
 * comma lists and parameters. Every scan is bounded by an end pointer. */
#include <errno.h>
#include <string.h>

#include "sip/lex.h"

/* Generated: bit 1 token, 2 unreserved, 4 word, 8 paramchar, 16 hnv, 32 user,
 * 64 password, 128 host (alphanum "-" "."). */
const uint8_t cl_sip_ctab[256] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x7f, 0x04, 0x00, 0x78, 0x05, 0x68, 0x7f, 0x7e, 0x7e, 0x7f, 0x7d, 0x60, 0xff, 0xff, 0x3c,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1c, 0x20, 0x04, 0x60, 0x04, 0x34,
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1c, 0x04, 0x1c, 0x00, 0x7f,
	0x05, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x04, 0x00, 0x04, 0x7f, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

const char *cl_sip_lws(const char *p, const char *end)
{
	for (;;) {
		if (p < end && cl_sip_is_wsp(*p))
			p++;
		else if (end - p >= 3 && p[0] == '\r' && p[1] == '\n' && cl_sip_is_wsp(p[2]))
			p += 3;
		else
			return p;
	}
}

const char *cl_sip_token(const char *p, const char *end)
{
	while (p < end && cl_sip_is(*p, CL_SIP_C_TOKEN))
		p++;
	return p;
}

/* RFC 3261 §25.1: qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII,
 * quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F). */
const char *cl_sip_quoted(const char *p, const char *end)
{
	if (p >= end || *p != '"')
		return NULL;
	for (p++; p < end;) {
		uint8_t c = (uint8_t)*p;

		if (c == '"')
			return p + 1;
		if (c == '\\') {
			if (end - p < 2 || p[1] == '\r' || p[1] == '\n' || (uint8_t)p[1] > 0x7f)
				return NULL;
			p += 2;
		} else if (c == '\r') {
			const char *q = cl_sip_lws(p, end);

			if (q == p)
				return NULL; /* a CR that is not a fold */
			p = q;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			return NULL;
		} else {
			p++;
		}
	}
	return NULL;
}

struct cl_slice cl_sip_trim(struct cl_slice s)
{
	const char *p = s.p, *end = cl_sip_end(s);

	if (!s.len)
		return s;
	p = cl_sip_lws(p, end);
	while (end > p) {
		if (cl_sip_is_wsp(end[-1]))
			end--;
		else if (end - p >= 2 && end[-1] == '\n' && end[-2] == '\r')
			end -= 2; /* only reachable for a fold followed by WSP we already trimmed */
		else
			break;
	}
	return cl_sip_sl(p, end);
}

int cl_sip_uint(struct cl_slice s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!s.len)
		return EBADMSG;
	for (size_t i = 0; i < s.len; i++) {
		if (!cl_sip_is_digit(s.p[i]))
			return EBADMSG;
		v = v * 10 + (uint64_t)(s.p[i] - '0');
		if (v > max)
			return EBADMSG;
	}
	*out = v;
	return 0;
}

static bool is_hex(char c)
{
	return cl_sip_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool cl_sip_escaped_run(struct cl_slice s, unsigned cls, bool allow_empty)
{
	if (!s.len)
		return allow_empty;
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] == '%') {
			if (s.len - i < 3 || !is_hex(s.p[i + 1]) || !is_hex(s.p[i + 2]))
				return false;
			i += 2;
		} else if (!cl_sip_is(s.p[i], cls)) {
			return false;
		}
	}
	return true;
}

bool cl_sip_eq(struct cl_slice s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len == n && cl_slice_casecmp_eq(s, (struct cl_slice){ lit, n });
}

/* ---- comma lists ---- */

/* Returns the end of one list element starting at p: a ',' outside quotes and <>, or end.
 * NULL when a quote or bracket is left open. */
static const char *elem_end(const char *p, const char *end)
{
	while (p < end) {
		if (*p == ',') {
			return p;
		} else if (*p == '"') {
			p = cl_sip_quoted(p, end);
			if (!p)
				return NULL;
		} else if (*p == '<') {
			const char *q = memchr(p, '>', (size_t)(end - p));

			if (!q)
				return NULL;
			p = q + 1;
		} else {
			p++;
		}
	}
	return p;
}

int cl_sip_list_next(struct cl_slice *rest, struct cl_slice *elem)
{
	const char *p, *end = cl_sip_end(*rest), *e;

	if (!rest->len)
		return ENOENT;
	p = cl_sip_lws(rest->p, end);
	if (p == end) {
		rest->len = 0;
		return ENOENT;
	}
	if (*p == ',') /* the separator left by the previous call */
		p++;
	e = elem_end(p, end);
	if (!e)
		return EBADMSG;
	*elem = cl_sip_trim(cl_sip_sl(p, e));
	*rest = cl_sip_sl(e, end);
	return 0;
}

int cl_sip_unfold(struct cl_slice v, char *out, size_t cap, size_t *outlen)
{
	const char *p = v.p, *end = cl_sip_end(v);
	size_t n = 0;

	while (p < end) {
		const char *q = cl_sip_lws(p, end);
		char c = *p;

		if (q != p)
			c = ' ';
		else
			q = p + 1;
		if (n >= cap)
			return ENOBUFS;
		out[n++] = c;
		p = q;
	}
	*outlen = n;
	return 0;
}

int cl_sip_unquote(struct cl_slice q, char *out, size_t cap, size_t *outlen)
{
	const char *end = cl_sip_end(q), *p;
	size_t n = 0;

	if (cl_sip_quoted(q.p, end) != end)
		return EBADMSG;
	for (p = q.p + 1; p < end - 1; p++) {
		if (*p == '\\')
			p++;
		if (n >= cap)
			return ENOBUFS;
		out[n++] = *p;
	}
	*outlen = n;
	return 0;
}

/* ---- parameters ---- */

/* gen-value = token / host / quoted-string; host adds ':' '[' ']' to token chars. */
static const char *gen_value(const char *p, const char *end, bool *quoted)
{
	const char *q;

	*quoted = p < end && *p == '"';
	if (*quoted)
		return cl_sip_quoted(p, end);
	for (q = p; q < end && (cl_sip_is(*q, CL_SIP_C_TOKEN) || *q == ':' || *q == '[' ||
				*q == ']');
	     q++)
		;
	return q == p ? NULL : q;
}

/* One "sep name [= value]" with LWS around each part (SEMI, COMMA, EQUAL). For ','
 * (auth-params, RFC 3261 §25.1) the leading separator is optional, a value is required
 * and the next non-LWS character must be ',' or the end. */
static int param_next(struct cl_slice *rest, struct cl_sip_param *prm, char sep)
{
	const char *end = cl_sip_end(*rest), *p = cl_sip_lws(rest->p, end), *q;

	if (p == end)
		return ENOENT;
	if (*p == sep)
		p = cl_sip_lws(p + 1, end);
	else if (sep == ';')
		return EBADMSG;
	q = cl_sip_token(p, end);
	if (q == p)
		return EBADMSG;
	memset(prm, 0, sizeof(*prm));
	prm->name = cl_sip_sl(p, q);
	p = cl_sip_lws(q, end);
	if (p < end && *p == '=') {
		p = cl_sip_lws(p + 1, end);
		q = gen_value(p, end, &prm->quoted);
		if (!q)
			return EBADMSG;
		prm->value = cl_sip_sl(p, q);
		prm->has_value = true;
		p = q;
	} else {
		p = q;
	}
	if (sep == ',') {
		const char *n = cl_sip_lws(p, end);

		if (!prm->has_value || (n < end && *n != ','))
			return EBADMSG;
	}
	*rest = cl_sip_sl(p, end);
	return 0;
}

int cl_sip_param_next(struct cl_slice *rest, struct cl_sip_param *p)
{
	return param_next(rest, p, ';');
}

int cl_sip_auth_param_next(struct cl_slice *rest, struct cl_sip_param *p)
{
	return param_next(rest, p, ',');
}

int cl_sip_param_find(struct cl_slice params, const char *name, struct cl_sip_param *p)
{
	int rc;

	while ((rc = cl_sip_param_next(&params, p)) == 0)
		if (cl_sip_eq(p->name, name))
			return 0;
	return rc;
}

int cl_sip_uri_param_next(struct cl_slice *rest, struct cl_sip_param *prm)
{
	const char *p = rest->p, *end = cl_sip_end(*rest), *semi, *eq;

	if (!rest->len)
		return ENOENT;
	semi = memchr(p, ';', (size_t)(end - p));
	if (!semi)
		semi = end;
	memset(prm, 0, sizeof(*prm));
	eq = memchr(p, '=', (size_t)(semi - p));
	prm->name = cl_sip_sl(p, eq ? eq : semi);
	if (eq) {
		prm->value = cl_sip_sl(eq + 1, semi);
		prm->has_value = true;
	}
	/* RFC 3261 §25.1: pname = 1*paramchar, pvalue = 1*paramchar */
	if (!cl_sip_escaped_run(prm->name, CL_SIP_C_PARAM, false) ||
	    (eq && !cl_sip_escaped_run(prm->value, CL_SIP_C_PARAM, false)))
		return EBADMSG;
	*rest = semi < end ? cl_sip_sl(semi + 1, end) : cl_sip_sl(end, end);
	if (semi < end && !rest->len)
		return EBADMSG; /* trailing ';' */
	return 0;
}

int cl_sip_uri_param_find(const struct cl_sip_uri *u, const char *name, struct cl_sip_param *p)
{
	struct cl_slice rest = u->params;
	int rc;

	while ((rc = cl_sip_uri_param_next(&rest, p)) == 0)
		if (cl_sip_eq(p->name, name))
			return 0;
	return rc;
}
