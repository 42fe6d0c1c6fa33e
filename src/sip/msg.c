/* SIP message parsing (RFC 3261 §7, §8.2.2, §18.3, §20): start line, header lines with
 * folding, the one-pass decoding of the core headers, mandatory-header checks, body. */
#include <errno.h>
#include <string.h>

#include "sip/lex.h"
#include "sip/msg.h"

static int fail(struct cl_sip_error *err, const struct cl_sip_msg *m, uint16_t status,
		const char *reason, const char *at, const char *base)
{
	err->status = m->is_request ? status : 0; /* bad responses are dropped */
	err->reason = reason;
	err->offset = at && base ? (size_t)(at - base) : 0;
	return EBADMSG;
}

/* SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; returns 0, EBADMSG, or EPROTO when it is
 * well formed but not 2.0. */
static int version(struct cl_slice v)
{
	size_t i = 4, d1, d2;

	if (v.len < 7 || !cl_sip_eq((struct cl_slice){ v.p, 4 }, "SIP/"))
		return EBADMSG;
	for (d1 = i; i < v.len && cl_sip_is_digit(v.p[i]); i++)
		;
	if (i == d1 || i >= v.len || v.p[i] != '.')
		return EBADMSG;
	for (d2 = ++i; i < v.len && cl_sip_is_digit(v.p[i]); i++)
		;
	if (i == d2 || i != v.len)
		return EBADMSG;
	return v.len == 7 && v.p[4] == '2' && v.p[6] == '0' ? 0 : EPROTO;
}

/* Request-Line = Method SP Request-URI SP SIP-Version (RFC 3261 §7.1): single SPs. */
static int request_line(struct cl_sip_msg *m, struct cl_slice l, struct cl_sip_error *err,
			const char *base)
{
	const char *end = cl_sip_end(l), *sp1 = memchr(l.p, ' ', l.len), *sp2;
	int rc;

	m->is_request = true;
	if (!sp1 || cl_sip_token(l.p, sp1) != sp1 || sp1 == l.p)
		return fail(err, m, 400, "Bad Request-Line", l.p, base);
	sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
	if (!sp2)
		return fail(err, m, 400, "Bad Request-Line", l.p, base);
	m->method = cl_sip_sl(l.p, sp1);
	m->ruri_text = cl_sip_sl(sp1 + 1, sp2);
	rc = version(cl_sip_sl(sp2 + 1, end));
	if (rc == EPROTO)
		return fail(err, m, 505, "Version Not Supported", l.p, base);
	if (rc)
		return fail(err, m, 400, "Bad Request-Line", l.p, base);
	/* RFC 3261 §19.1.1 table: no URI headers in a Request-URI (RFC 4475 §3.1.2.11) */
	if (cl_sip_uri_parse(&m->ruri, m->ruri_text) != 0 || m->ruri.has_headers)
		return fail(err, m, 400, "Bad Request-URI", l.p, base);
	return 0;
}

/* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (RFC 3261 §7.2). */
static int status_line(struct cl_sip_msg *m, struct cl_slice l, struct cl_sip_error *err,
		       const char *base)
{
	const char *end = cl_sip_end(l), *sp = memchr(l.p, ' ', l.len), *c;

	m->is_request = false;
	if (!sp || version(cl_sip_sl(l.p, sp)) != 0 || end - sp < 4)
		return fail(err, m, 0, "Bad Status-Line", l.p, base);
	c = sp + 1;
	if (!cl_sip_is_digit(c[0]) || !cl_sip_is_digit(c[1]) || !cl_sip_is_digit(c[2]) ||
	    c[0] < '1' || c[0] > '6' || (c + 3 < end && c[3] != ' '))
		return fail(err, m, 0, "Bad Status-Line", l.p, base);
	m->status = (unsigned)((c[0] - '0') * 100 + (c[1] - '0') * 10 + (c[2] - '0'));
	m->reason_phrase = c + 3 < end ? cl_sip_sl(c + 4, end) : cl_sip_sl(end, end);
	for (size_t i = 0; i < m->reason_phrase.len; i++) {
		uint8_t b = (uint8_t)m->reason_phrase.p[i];

		if ((b < 0x20 && b != '\t') || b == 0x7f)
			return fail(err, m, 0, "Bad Status-Line", l.p, base);
	}
	return 0;
}

/* Returns the end of the line at p (pointing at its CR), or NULL with *bad set when the
 * line has a bare CR or LF, or when no LF follows. */
static const char *line_end(const char *p, const char *end, bool *bad)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	*bad = false;
	if (!nl)
		return NULL;
	if (nl == p || nl[-1] != '\r' || memchr(p, '\r', (size_t)(nl - 1 - p))) {
		*bad = true;
		return NULL;
	}
	return nl - 1;
}

/* message-header = field-name HCOLON field-value CRLF, with folded continuation lines
 * (RFC 3261 §7.3.1). Fills m->hdr; returns the start of the body or NULL on error. */
static const char *header_lines(struct cl_sip_msg *m, const char *p, const char *end,
				struct cl_sip_error *err, const char *base)
{
	struct cl_sip_field *cur = NULL;
	const char *e, *q;
	bool bad;

	while ((e = line_end(p, end, &bad)) != NULL) {
		if (e == p) { /* the empty line */
			m->head = cl_sip_sl(base, e + 2);
			return e + 2;
		}
		if (cl_sip_is_wsp(*p)) { /* a fold continues the current value */
			if (!cur)
				break;
			cur->value.len = (size_t)(e - cur->value.p);
		} else {
			if (m->nhdr == CL_SIP_MAX_HEADERS) {
				fail(err, m, 400, "Too Many Headers", p, base);
				return NULL;
			}
			q = cl_sip_token(p, e);
			cur = &m->hdr[m->nhdr++];
			cur->name = cl_sip_sl(p, q);
			while (q < e && cl_sip_is_wsp(*q))
				q++;
			if (q == p || q == e || *q != ':')
				break;
			cur->value = cl_sip_sl(q + 1, e);
		}
		p = e + 2;
	}
	fail(err, m, 400, e || bad ? "Bad Header Line" : "Incomplete Message", p, base);
	return NULL;
}

static int body(struct cl_sip_msg *m, const char *b, const char *end,
		const struct cl_sip_parse_opts *o, struct cl_sip_error *err, const char *base)
{
	size_t avail = (size_t)(end - b);

	if (m->content_length < 0) {
		/* RFC 3261 §18.3: mandatory on streams; a datagram's body is the rest */
		if (o->kind == CL_SIP_STREAM)
			return fail(err, m, 400, "Missing Content-Length", NULL, NULL);
		m->content_length = (int64_t)avail;
	}
	if ((uint64_t)m->content_length > avail)
		return fail(err, m, 400, "Content-Length Too Large", NULL, NULL);
	m->body = (struct cl_slice){ b, (size_t)m->content_length };
	m->len = (size_t)(b - base) + (size_t)m->content_length;
	return 0;
}

int cl_sip_parse(struct cl_sip_msg *m, const char *buf, size_t len,
		 const struct cl_sip_parse_opts *opts, struct cl_sip_error *err)
{
	static const struct cl_sip_parse_opts dflt = { CL_SIP_DGRAM, 0 };
	const struct cl_sip_parse_opts *o = opts ? opts : &dflt;
	size_t max = o->max_size ? o->max_size : CL_SIP_DEFAULT_MAX_SIZE;
	const char *p = buf, *end = buf + len, *e, *b;
	bool bad;
	int rc;

	memset(m, 0, offsetof(struct cl_sip_msg, hdr));
	m->nhdr = 0;
	cl_sip_msg_reset_typed(m);
	*err = (struct cl_sip_error){ 0, "", 0 };
	while (end - p >= 2 && p[0] == '\r' && p[1] == '\n') /* RFC 3261 §7.5 */
		p += 2;
	m->is_request = !(end - p >= 4 && cl_sip_eq(cl_sip_sl(p, p + 4), "SIP/"));
	if (len > max)
		return fail(err, m, 513, "Message Too Large", NULL, NULL);
	e = line_end(p, end, &bad);
	if (!e)
		return fail(err, m, 400, "Bad Start Line", p, buf);
	rc = m->is_request ? request_line(m, cl_sip_sl(p, e), err, buf)
			   : status_line(m, cl_sip_sl(p, e), err, buf);
	if (rc)
		return rc;
	b = header_lines(m, e + 2, end, err, buf);
	if (!b)
		return EBADMSG;
	rc = cl_sip_msg_decode(m, err, buf);
	if (rc)
		return rc;
	rc = body(m, b, end, o, err, buf);
	if (rc)
		return rc;
	if (m->is_request && m->max_forwards == 0) { /* RFC 3261 §16.3 step 3: advice only */
		err->status = 483;
		err->reason = "Too Many Hops";
	}
	return 0;
}
