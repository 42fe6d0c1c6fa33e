/* Header names and typed header values (RFC 3261 §20, §25.1; RFC 3581; RFC 5923;
 * RFC 5626 §4.2; RFC 3326). Each parser validates the whole element it is given. */
#include <errno.h>
#include <string.h>

#include "sip/lex.h"

struct hdr_def {
	const char *name;
	uint8_t len;
	char compact; /* RFC 3261 §7.3.3 and the IANA SIP header registry */
};

#define H(id, n, c) [id] = { n, sizeof(n) - 1, c }
static const struct hdr_def hdr_table[CL_SIP_HDR_COUNT] = {
	H(CL_SIP_HDR_OTHER, "", 0),
	H(CL_SIP_HDR_ACCEPT, "Accept", 0),
	H(CL_SIP_HDR_ACCEPT_CONTACT, "Accept-Contact", 'a'),
	H(CL_SIP_HDR_ALLOW, "Allow", 0),
	H(CL_SIP_HDR_ALLOW_EVENTS, "Allow-Events", 'u'),
	H(CL_SIP_HDR_AUTHORIZATION, "Authorization", 0),
	H(CL_SIP_HDR_CALL_ID, "Call-ID", 'i'),
	H(CL_SIP_HDR_CONTACT, "Contact", 'm'),
	H(CL_SIP_HDR_CONTENT_ENCODING, "Content-Encoding", 'e'),
	H(CL_SIP_HDR_CONTENT_LENGTH, "Content-Length", 'l'),
	H(CL_SIP_HDR_CONTENT_TYPE, "Content-Type", 'c'),
	H(CL_SIP_HDR_CSEQ, "CSeq", 0),
	H(CL_SIP_HDR_DATE, "Date", 0),
	H(CL_SIP_HDR_EVENT, "Event", 'o'),
	H(CL_SIP_HDR_EXPIRES, "Expires", 0),
	H(CL_SIP_HDR_FROM, "From", 'f'),
	H(CL_SIP_HDR_IDENTITY, "Identity", 'y'),
	H(CL_SIP_HDR_IDENTITY_INFO, "Identity-Info", 'n'),
	H(CL_SIP_HDR_MAX_FORWARDS, "Max-Forwards", 0),
	H(CL_SIP_HDR_MIN_EXPIRES, "Min-Expires", 0),
	H(CL_SIP_HDR_PATH, "Path", 0),
	H(CL_SIP_HDR_PROXY_AUTHENTICATE, "Proxy-Authenticate", 0),
	H(CL_SIP_HDR_PROXY_AUTHORIZATION, "Proxy-Authorization", 0),
	H(CL_SIP_HDR_PROXY_REQUIRE, "Proxy-Require", 0),
	H(CL_SIP_HDR_REASON, "Reason", 0),
	H(CL_SIP_HDR_RECORD_ROUTE, "Record-Route", 0),
	H(CL_SIP_HDR_REFER_TO, "Refer-To", 'r'),
	H(CL_SIP_HDR_REFERRED_BY, "Referred-By", 'b'),
	H(CL_SIP_HDR_REJECT_CONTACT, "Reject-Contact", 'j'),
	H(CL_SIP_HDR_REQUEST_DISPOSITION, "Request-Disposition", 'd'),
	H(CL_SIP_HDR_REQUIRE, "Require", 0),
	H(CL_SIP_HDR_RETRY_AFTER, "Retry-After", 0),
	H(CL_SIP_HDR_ROUTE, "Route", 0),
	H(CL_SIP_HDR_SERVER, "Server", 0),
	H(CL_SIP_HDR_SESSION_EXPIRES, "Session-Expires", 'x'),
	H(CL_SIP_HDR_SUBJECT, "Subject", 's'),
	H(CL_SIP_HDR_SUPPORTED, "Supported", 'k'),
	H(CL_SIP_HDR_TO, "To", 't'),
	H(CL_SIP_HDR_UNSUPPORTED, "Unsupported", 0),
	H(CL_SIP_HDR_USER_AGENT, "User-Agent", 0),
	H(CL_SIP_HDR_VIA, "Via", 'v'),
	H(CL_SIP_HDR_WARNING, "Warning", 0),
	H(CL_SIP_HDR_WWW_AUTHENTICATE, "WWW-Authenticate", 0),
};
#undef H

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

enum cl_sip_hdr cl_sip_hdr_lookup(struct cl_slice name)
{
	if (name.len == 1) {
		char c = lower(name.p[0]);

		for (int id = 1; id < CL_SIP_HDR_COUNT; id++)
			if (hdr_table[id].compact == c)
				return (enum cl_sip_hdr)id;
		return CL_SIP_HDR_OTHER;
	}
	for (int id = 1; id < CL_SIP_HDR_COUNT; id++) {
		const struct hdr_def *d = &hdr_table[id];

		if (d->len == name.len && lower(d->name[0]) == lower(name.p[0]) &&
		    cl_slice_casecmp_eq(name, (struct cl_slice){ d->name, d->len }))
			return (enum cl_sip_hdr)id;
	}
	return CL_SIP_HDR_OTHER;
}

const char *cl_sip_hdr_name(enum cl_sip_hdr id)
{
	return (unsigned)id < CL_SIP_HDR_COUNT ? hdr_table[id].name : "";
}

/* ---- name-addr / addr-spec (RFC 3261 §20.10, §25.1) ---- */

/* display-name = *(token LWS) / quoted-string; returns the '<' or NULL for addr-spec. */
static const char *display_name(const char *p, const char *end, struct cl_slice *disp)
{
	const char *s = p, *last = p, *q;

	if (p < end && *p == '"') {
		q = cl_sip_quoted(p, end);
		if (!q)
			return NULL;
		*disp = cl_sip_sl(p, q);
		p = cl_sip_lws(q, end);
		return p < end && *p == '<' ? p : NULL;
	}
	for (;;) {
		q = cl_sip_token(p, end);
		if (q == p)
			break;
		last = q;
		p = cl_sip_lws(q, end);
	}
	if (p < end && *p == '<') {
		*disp = cl_sip_sl(s, last);
		return p;
	}
	return NULL;
}

static int na_params(struct cl_sip_nameaddr *na, const char *p, const char *end)
{
	struct cl_slice rest;
	struct cl_sip_param prm;
	int rc;

	p = cl_sip_lws(p, end);
	if (p < end && *p != ';')
		return EBADMSG;
	na->params = rest = cl_sip_sl(p, end);
	while ((rc = cl_sip_param_next(&rest, &prm)) == 0) {
		if (cl_sip_eq(prm.name, "tag")) {
			if (!prm.has_value || prm.quoted)
				return EBADMSG;
			na->tag = prm.value;
			na->has_tag = true;
		}
	}
	return rc == ENOENT ? 0 : rc;
}

int cl_sip_nameaddr_parse(struct cl_sip_nameaddr *na, struct cl_slice elem)
{
	struct cl_slice e = cl_sip_trim(elem);
	const char *p = e.p, *end = cl_sip_end(e), *lt, *q;

	memset(na, 0, sizeof(*na));
	if (!e.len)
		return EBADMSG;
	lt = display_name(p, end, &na->display);
	if (lt) {
		/* RFC 3261 §25.1: LAQUOT addr-spec RAQUOT, no LWS inside the brackets */
		q = memchr(lt, '>', (size_t)(end - lt));
		if (!q)
			return EBADMSG;
		na->uri_text = cl_sip_sl(lt + 1, q);
		na->bracketed = true;
		p = q + 1;
	} else {
		na->display = (struct cl_slice){ p, 0 };
		for (q = p; q < end && *q != ';' && !cl_sip_is_wsp(*q) && *q != '\r'; q++)
			if (*q == '?' || *q == ',' || *q == '"' || *q == '<' || *q == '>')
				return EBADMSG; /* RFC 3261 §20: such URIs must be in <> */
		na->uri_text = cl_sip_sl(p, q);
		p = q;
	}
	if (cl_sip_uri_parse(&na->uri, na->uri_text) != 0)
		return EBADMSG;
	return na_params(na, p, end);
}

/* ---- Via (RFC 3261 §20.42; RFC 3581 §3 rport; RFC 5923 §5 alias) ---- */

static const char *via_protocol(struct cl_sip_via *v, const char *p, const char *end)
{
	struct cl_slice *part[3] = { &v->protocol, &v->version, &v->transport };

	for (int i = 0; i < 3; i++) {
		const char *q;

		if (i > 0) { /* SLASH = SWS "/" SWS */
			p = cl_sip_lws(p, end);
			if (p == end || *p != '/')
				return NULL;
			p = cl_sip_lws(p + 1, end);
		}
		q = cl_sip_token(p, end);
		if (q == p)
			return NULL;
		*part[i] = cl_sip_sl(p, q);
		p = q;
	}
	return p;
}

static int via_param(struct cl_sip_via *v, const struct cl_sip_param *prm)
{
	uint64_t n;

	if (cl_sip_eq(prm->name, "branch")) {
		v->branch = prm->value;
		v->has_branch = true;
		return prm->has_value && !prm->quoted ? 0 : EBADMSG;
	}
	if (cl_sip_eq(prm->name, "received")) {
		v->received = prm->value;
		v->has_received = true;
		return prm->has_value && !prm->quoted ? 0 : EBADMSG;
	}
	if (cl_sip_eq(prm->name, "maddr")) {
		v->maddr = prm->value;
		v->has_maddr = true;
		return prm->has_value && cl_sip_host_check(prm->value) ? 0 : EBADMSG;
	}
	if (cl_sip_eq(prm->name, "rport")) { /* RFC 3581 §3: "rport" [EQUAL 1*DIGIT] */
		v->rport = true;
		if (!prm->has_value)
			return 0;
		v->rport_has_value = true;
		if (cl_sip_uint(prm->value, 65535, &n) != 0)
			return EBADMSG;
		v->rport_value = (uint16_t)n;
		return 0;
	}
	if (cl_sip_eq(prm->name, "alias")) { /* RFC 5923 §5 */
		v->alias = true;
		return 0;
	}
	if (cl_sip_eq(prm->name, "ttl")) {
		if (!prm->has_value || cl_sip_uint(prm->value, 255, &n) != 0)
			return EBADMSG;
		v->ttl = (int)n;
	}
	return 0;
}

int cl_sip_via_parse(struct cl_sip_via *v, struct cl_slice elem)
{
	struct cl_slice e = cl_sip_trim(elem), rest;
	const char *p = e.p, *end = cl_sip_end(e);
	struct cl_sip_param prm;
	bool has_port;
	int rc;

	memset(v, 0, sizeof(*v));
	v->ttl = -1;
	p = via_protocol(v, p, end);
	if (!p)
		return EBADMSG;
	p = cl_sip_lws(p, end);
	p = cl_sip_hostport(p, end, &v->host, &v->host_type, &v->port, &has_port);
	if (!p)
		return EBADMSG;
	p = cl_sip_lws(p, end);
	if (p < end && *p != ';')
		return EBADMSG;
	v->params = rest = cl_sip_sl(p, end);
	while ((rc = cl_sip_param_next(&rest, &prm)) == 0)
		if (via_param(v, &prm) != 0)
			return EBADMSG;
	return rc == ENOENT ? 0 : EBADMSG;
}

/* ---- Contact (RFC 3261 §20.10; RFC 5626 §4.2) ---- */

int cl_sip_delta_parse(struct cl_slice v, uint32_t *out)
{
	uint64_t n = 0;

	if (!v.len)
		return EBADMSG;
	for (size_t i = 0; i < v.len; i++) {
		if (!cl_sip_is_digit(v.p[i]))
			return EBADMSG;
		n = n * 10 + (uint64_t)(v.p[i] - '0');
		if (n > UINT32_MAX)
			n = UINT32_MAX + 1ull; /* stays saturated (RFC 3261 §20.19) */
	}
	*out = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	return 0;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), returned x1000. */
static int qvalue(struct cl_slice s, int *q)
{
	int v = 0, scale = 100;

	if (!s.len || (s.p[0] != '0' && s.p[0] != '1') || s.len == 2 || s.len > 5 ||
	    (s.len > 1 && s.p[1] != '.'))
		return EBADMSG;
	for (size_t i = 2; i < s.len; i++, scale /= 10) {
		if (!cl_sip_is_digit(s.p[i]) || (s.p[0] == '1' && s.p[i] != '0'))
			return EBADMSG;
		v += (s.p[i] - '0') * scale;
	}
	*q = (s.p[0] - '0') * 1000 + v;
	return 0;
}

static int contact_param(struct cl_sip_contact *c, const struct cl_sip_param *prm)
{
	uint32_t d;
	uint64_t n;

	if (cl_sip_eq(prm->name, "expires")) {
		if (!prm->has_value || cl_sip_delta_parse(prm->value, &d) != 0)
			return EBADMSG;
		c->expires = d;
	} else if (cl_sip_eq(prm->name, "q")) {
		return prm->has_value ? qvalue(prm->value, &c->q) : EBADMSG;
	} else if (cl_sip_eq(prm->name, "+sip.instance")) {
		if (!prm->has_value || !prm->quoted)
			return EBADMSG;
		c->instance = (struct cl_slice){ prm->value.p + 1, prm->value.len - 2 };
		c->has_instance = true;
	} else if (cl_sip_eq(prm->name, "reg-id")) { /* RFC 5626 §4.2: 1*DIGIT, 1..2^31-1 */
		if (!prm->has_value || cl_sip_uint(prm->value, 2147483647, &n) != 0 || n == 0)
			return EBADMSG;
		c->reg_id = (int64_t)n;
	}
	return 0;
}

int cl_sip_contact_parse(struct cl_sip_contact *c, struct cl_slice elem)
{
	struct cl_slice e = cl_sip_trim(elem), rest;
	struct cl_sip_param prm;
	int rc;

	memset(c, 0, sizeof(*c));
	c->expires = -1;
	c->q = -1;
	c->reg_id = -1;
	if (e.len == 1 && e.p[0] == '*') {
		c->star = true;
		return 0;
	}
	if (cl_sip_nameaddr_parse(&c->na, e) != 0)
		return EBADMSG;
	rest = c->na.params;
	while ((rc = cl_sip_param_next(&rest, &prm)) == 0)
		if (contact_param(c, &prm) != 0)
			return EBADMSG;
	return rc == ENOENT ? 0 : EBADMSG;
}

/* ---- Authorization & co (RFC 3261 §25.1: credentials, challenge) ---- */

int cl_sip_auth_parse(struct cl_sip_auth *a, struct cl_slice value)
{
	struct cl_slice v = cl_sip_trim(value), rest;
	const char *end = cl_sip_end(v), *q = cl_sip_token(v.p, end), *p;
	struct cl_sip_param prm;
	int rc;

	memset(a, 0, sizeof(*a));
	if (q == v.p)
		return EBADMSG;
	a->scheme = cl_sip_sl(v.p, q);
	p = cl_sip_lws(q, end);
	if (p == q && p < end)
		return EBADMSG; /* LWS must separate the scheme from its params */
	a->params = rest = cl_sip_sl(p, end);
	while ((rc = cl_sip_auth_param_next(&rest, &prm)) == 0)
		;
	return rc == ENOENT ? 0 : EBADMSG;
}

/* ---- Warning (§20.43), Reason (RFC 3326 §2), Content-Type (§20.15) ---- */

int cl_sip_warning_parse(struct cl_sip_warning *w, struct cl_slice elem)
{
	struct cl_slice e = cl_sip_trim(elem), host;
	const char *p = e.p, *end = cl_sip_end(e), *q;
	enum cl_sip_host_type ht;
	uint16_t port;
	bool hp;

	memset(w, 0, sizeof(*w));
	if (e.len < 4 || !cl_sip_is_digit(p[0]) || !cl_sip_is_digit(p[1]) ||
	    !cl_sip_is_digit(p[2]) || !cl_sip_is_wsp(p[3]))
		return EBADMSG;
	w->code = (unsigned)((p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0'));
	p = cl_sip_lws(p + 3, end);
	q = cl_sip_hostport(p, end, &host, &ht, &port, &hp); /* warn-agent: hostport / pseudonym */
	if (!q || (q < end && !cl_sip_is_wsp(*q)))
		q = cl_sip_token(p, end);
	if (q == p)
		return EBADMSG;
	w->agent = cl_sip_sl(p, q);
	p = cl_sip_lws(q, end);
	q = cl_sip_quoted(p, end);
	if (!q || q != end)
		return EBADMSG;
	w->text = cl_sip_sl(p, q);
	return 0;
}

int cl_sip_reason_parse(struct cl_sip_reason *r, struct cl_slice elem)
{
	struct cl_slice e = cl_sip_trim(elem), rest;
	const char *end = cl_sip_end(e), *q = cl_sip_token(e.p, end), *p;
	struct cl_sip_param prm;
	uint64_t n;
	int rc;

	memset(r, 0, sizeof(*r));
	r->cause = -1;
	if (q == e.p)
		return EBADMSG;
	r->protocol = cl_sip_sl(e.p, q);
	p = cl_sip_lws(q, end);
	r->params = rest = cl_sip_sl(p, end);
	while ((rc = cl_sip_param_next(&rest, &prm)) == 0) {
		if (cl_sip_eq(prm.name, "cause")) {
			if (!prm.has_value || cl_sip_uint(prm.value, 65535, &n) != 0)
				return EBADMSG;
			r->cause = (int)n;
		} else if (cl_sip_eq(prm.name, "text")) {
			if (!prm.quoted)
				return EBADMSG;
			r->text = prm.value;
		}
	}
	return rc == ENOENT ? 0 : EBADMSG;
}

int cl_sip_ctype_parse(struct cl_sip_ctype *ct, struct cl_slice value)
{
	struct cl_slice v = cl_sip_trim(value), rest;
	const char *end = cl_sip_end(v), *p = v.p, *q = cl_sip_token(p, end);
	struct cl_sip_param prm;
	int rc;

	memset(ct, 0, sizeof(*ct));
	if (q == p)
		return EBADMSG;
	ct->type = cl_sip_sl(p, q);
	p = cl_sip_lws(q, end);
	if (p == end || *p != '/')
		return EBADMSG;
	p = cl_sip_lws(p + 1, end);
	q = cl_sip_token(p, end);
	if (q == p)
		return EBADMSG;
	ct->subtype = cl_sip_sl(p, q);
	p = cl_sip_lws(q, end);
	if (p < end && *p != ';')
		return EBADMSG;
	ct->params = rest = cl_sip_sl(p, end);
	while ((rc = cl_sip_param_next(&rest, &prm)) == 0)
		;
	return rc == ENOENT ? 0 : EBADMSG;
}
