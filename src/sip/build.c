/* SIP message builders (RFC 3261 §7, §8.1.1, §8.2.6, §9.1, §17.1.1.3): whole messages
 * into a caller buffer of known capacity, never past it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sip/lex.h"
#include "sip/sip.h"

/* A bounded writer: once anything does not fit, full stays set and nothing more is written. */
struct bw {
	char *p;
	size_t cap, len;
	bool full;
};

static void put(struct bw *b, const char *s, size_t n)
{
	if (b->full || n == 0)
		return;
	if (n > b->cap - b->len) {
		b->full = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void puts_(struct bw *b, const char *s)
{
	put(b, s, strlen(s));
}

static void putsl(struct bw *b, struct cl_slice s)
{
	put(b, s.p, s.len);
}

static void putu(struct bw *b, unsigned long long v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%llu", v);

	put(b, tmp, (size_t)n);
}

static void put_hdr(struct bw *b, const char *name, struct cl_slice v)
{
	puts_(b, name);
	put(b, ": ", 2);
	putsl(b, v);
	put(b, "\r\n", 2);
}

static int bw_done(const struct bw *b, size_t *len)
{
	if (b->full)
		return ENOBUFS;
	*len = b->len;
	return 0;
}

/* A caller value that could break a header line: CR, LF or NUL anywhere. */
static bool unsafe(struct cl_slice s)
{
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] == '\r' || s.p[i] == '\n' || s.p[i] == '\0')
			return true;
	return false;
}

static bool is_token(struct cl_slice s)
{
	return s.len && cl_sip_token(s.p, s.p + s.len) == s.p + s.len;
}

/* Header lines given whole: empty, or ending in CRLF with no bare CR/LF or NUL inside,
 * and no empty line (which would end the head early). */
static bool lines_ok(struct cl_slice h)
{
	if (!h.len)
		return true;
	if (h.len < 3 || h.p[h.len - 2] != '\r' || h.p[h.len - 1] != '\n' || h.p[0] == '\r' ||
	    cl_sip_is_wsp(h.p[0]))
		return false;
	for (size_t i = 0; i < h.len; i++) {
		if (h.p[i] == '\0')
			return false;
		if (h.p[i] == '\r' && (i + 1 >= h.len || h.p[i + 1] != '\n'))
			return false;
		if (h.p[i] == '\n' && (i == 0 || h.p[i - 1] != '\r'))
			return false;
		if (h.p[i] == '\n' && i + 1 < h.len && h.p[i + 1] == '\r')
			return false;
	}
	return true;
}

static bool opts_ok(const struct cl_sip_build_opts *o)
{
	if (!o)
		return true;
	if (!lines_ok(o->headers) || unsafe(o->ctype) || unsafe(o->via_received))
		return false;
	return !(o->body.len && !o->ctype.len);
}

/* opts' headers, Content-Type, Content-Length, the empty line and the body (§7.4, §20.14). */
static void put_tail(struct bw *b, const struct cl_sip_build_opts *o)
{
	struct cl_slice body = o ? o->body : (struct cl_slice){ NULL, 0 };

	if (o) {
		putsl(b, o->headers);
		if (o->ctype.len)
			put_hdr(b, "Content-Type", o->ctype);
	}
	puts_(b, "Content-Length: ");
	putu(b, body.len);
	put(b, "\r\n\r\n", 4);
	putsl(b, body);
}

static void put_copy(struct bw *b, const struct cl_sip_msg *m, enum cl_sip_hdr id)
{
	size_t c = 0;
	int i;

	while ((i = cl_sip_msg_hdr_next(m, id, &c)) >= 0)
		put_hdr(b, cl_sip_hdr_name(id), m->hdr[i].value);
}

static void put_first(struct bw *b, const struct cl_sip_msg *m, enum cl_sip_hdr id)
{
	if (m->first[id] >= 0)
		put_hdr(b, cl_sip_hdr_name(id), m->hdr[m->first[id]].value);
}

/* The top Via element's text. Returns 0 or EBADMSG. */
static int top_via(const struct cl_sip_msg *m, struct cl_slice *elem, struct cl_slice *rest)
{
	if (m->first[CL_SIP_HDR_VIA] < 0)
		return EBADMSG;
	*rest = m->hdr[m->first[CL_SIP_HDR_VIA]].value;
	return cl_sip_list_next(rest, elem) == 0 ? 0 : EBADMSG;
}

/* The top Via with received / rport set (RFC 3261 §18.2.1, RFC 3581 §4): the element up
 * to its parameters, every other parameter as received, then ours. */
static int put_via_rewritten(struct bw *b, struct cl_slice elem, const struct cl_sip_build_opts *o)
{
	struct cl_sip_via v;
	struct cl_sip_param p;
	struct cl_slice rest;
	int rc;

	if (cl_sip_via_parse(&v, elem) != 0)
		return EBADMSG;
	puts_(b, "Via: ");
	put(b, elem.p, v.params.len ? (size_t)(v.params.p - elem.p) : elem.len);
	rest = v.params;
	while ((rc = cl_sip_param_next(&rest, &p)) == 0) {
		if ((o->via_received.len && cl_sip_eq(p.name, "received")) ||
		    (o->via_rport && cl_sip_eq(p.name, "rport")))
			continue;
		put(b, ";", 1);
		putsl(b, p.name);
		if (p.has_value) {
			put(b, "=", 1);
			putsl(b, p.value);
		}
	}
	if (rc != ENOENT)
		return EBADMSG;
	if (o->via_received.len) {
		puts_(b, ";received=");
		putsl(b, o->via_received);
	}
	if (o->via_rport && v.rport) {
		puts_(b, ";rport=");
		putu(b, o->via_rport);
	}
	put(b, "\r\n", 2);
	return 0;
}

/* Every Via in order (§8.2.6.2); the top one rewritten when opts ask for it. */
static int put_vias(struct bw *b, const struct cl_sip_msg *m, const struct cl_sip_build_opts *o)
{
	struct cl_slice elem, rest;
	size_t c = 0;
	int i, rc;

	if (!o || (!o->via_received.len && !o->via_rport)) {
		put_copy(b, m, CL_SIP_HDR_VIA);
		return 0;
	}
	if ((rc = top_via(m, &elem, &rest)) != 0 || (rc = put_via_rewritten(b, elem, o)) != 0)
		return rc;
	/* the rest of the first Via line: ", v2, v3" */
	rest = cl_sip_trim(rest);
	if (rest.len && rest.p[0] == ',')
		rest = cl_sip_trim((struct cl_slice){ rest.p + 1, rest.len - 1 });
	if (rest.len)
		put_hdr(b, "Via", rest);
	i = cl_sip_msg_hdr_next(m, CL_SIP_HDR_VIA, &c); /* skip the first line */
	while (i >= 0 && (i = cl_sip_msg_hdr_next(m, CL_SIP_HDR_VIA, &c)) >= 0)
		put_hdr(b, "Via", m->hdr[i].value);
	return 0;
}

/* To, plus our tag when the request had none (§8.2.6.2; never on a 100). */
static int put_to(struct bw *b, const struct cl_sip_msg *req, unsigned status, struct cl_slice tag)
{
	char fresh[CL_SIP_TAG_LEN + 1];
	int rc;

	puts_(b, "To: ");
	putsl(b, req->hdr[req->first[CL_SIP_HDR_TO]].value);
	if (status != 100 && !req->to.has_tag) {
		if (!tag.len) {
			if ((rc = cl_sip_tag_new(fresh, sizeof(fresh))) != 0)
				return rc;
			tag = cl_slice_cstr(fresh);
		}
		puts_(b, ";tag=");
		putsl(b, tag);
	}
	put(b, "\r\n", 2);
	return 0;
}

int cl_sip_build_response(const struct cl_sip_msg *req, unsigned status, const char *reason,
			  struct cl_slice to_tag, const struct cl_sip_build_opts *opts,
			  char *out, size_t cap, size_t *len)
{
	struct bw b = { out, cap, 0, false };
	struct cl_slice rs = cl_slice_cstr(reason ? reason : cl_sip_reason_phrase(status));
	int rc;

	if (!req || !len || (cap && !out) || status < 100 || status > 699 || unsafe(rs) ||
	    unsafe(to_tag) || !opts_ok(opts))
		return EINVAL;
	if (!req->is_request || req->first[CL_SIP_HDR_TO] < 0)
		return EBADMSG;
	puts_(&b, "SIP/2.0 ");
	putu(&b, status);
	put(&b, " ", 1);
	putsl(&b, rs);
	put(&b, "\r\n", 2);
	if ((rc = put_vias(&b, req, opts)) != 0)
		return rc;
	put_first(&b, req, CL_SIP_HDR_FROM);
	if ((rc = put_to(&b, req, status, to_tag)) != 0)
		return rc;
	put_first(&b, req, CL_SIP_HDR_CALL_ID);
	put_first(&b, req, CL_SIP_HDR_CSEQ);
	if (status == 100) { /* §8.2.6.1 */
		const struct cl_sip_field *ts = cl_sip_msg_hdr_find(req, CL_SLICE_LIT("Timestamp"));

		if (ts)
			put_hdr(&b, "Timestamp", ts->value);
	}
	put_tail(&b, opts);
	return bw_done(&b, len);
}

static int spec_ok(const struct cl_sip_request_spec *s)
{
	const struct cl_slice must[] = { s->ruri, s->transport, s->sent_by, s->from, s->to,
					 s->call_id };

	if (!is_token(s->method) || cl_sip_eq(s->method, "ACK") || s->cseq >= (1u << 31) ||
	    s->max_forwards > 255 || !opts_ok(s->opts))
		return EINVAL;
	for (size_t i = 0; i < CL_ARRAY_SIZE(must); i++)
		if (!must[i].len || unsafe(must[i]))
			return EINVAL;
	if (unsafe(s->via_params) || unsafe(s->branch) || unsafe(s->contact) ||
	    memchr(s->ruri.p, ' ', s->ruri.len))
		return EINVAL;
	return 0;
}

int cl_sip_build_request(const struct cl_sip_request_spec *s, char *out, size_t cap, size_t *len)
{
	struct bw b = { out, cap, 0, false };
	char fresh[CL_SIP_BRANCH_LEN + 1];
	struct cl_slice branch;
	int rc;

	if (!s || !len || (cap && !out) || (rc = spec_ok(s)) != 0)
		return EINVAL;
	branch = s->branch;
	if (!branch.len) {
		if ((rc = cl_sip_branch_new(fresh, sizeof(fresh))) != 0)
			return rc;
		branch = cl_slice_cstr(fresh);
	}
	putsl(&b, s->method);
	put(&b, " ", 1);
	putsl(&b, s->ruri);
	puts_(&b, " SIP/2.0\r\nVia: SIP/2.0/");
	putsl(&b, s->transport);
	put(&b, " ", 1);
	putsl(&b, s->sent_by);
	puts_(&b, ";branch=");
	putsl(&b, branch);
	putsl(&b, s->via_params);
	puts_(&b, "\r\nMax-Forwards: ");
	putu(&b, s->max_forwards ? s->max_forwards : 70);
	put(&b, "\r\n", 2);
	put_hdr(&b, "From", s->from);
	put_hdr(&b, "To", s->to);
	put_hdr(&b, "Call-ID", s->call_id);
	puts_(&b, "CSeq: ");
	putu(&b, s->cseq);
	put(&b, " ", 1);
	putsl(&b, s->method);
	put(&b, "\r\n", 2);
	if (s->contact.len)
		put_hdr(&b, "Contact", s->contact);
	put_tail(&b, s->opts);
	return bw_done(&b, len);
}

/* ACK (§17.1.1.3) and CANCEL (§9.1) share everything but the method and the To value. */
static int build_derived(const struct cl_sip_msg *req, const char *method, struct cl_slice to,
			 struct cl_slice headers, char *out, size_t cap, size_t *len)
{
	struct bw b = { out, cap, 0, false };
	struct cl_sip_build_opts o = { .headers = headers };
	struct cl_slice via, rest;

	if (top_via(req, &via, &rest) != 0)
		return EBADMSG;
	puts_(&b, method);
	put(&b, " ", 1);
	putsl(&b, req->ruri_text);
	puts_(&b, " SIP/2.0\r\n");
	put_hdr(&b, "Via", via);
	puts_(&b, "Max-Forwards: 70\r\n");
	put_first(&b, req, CL_SIP_HDR_FROM);
	put_hdr(&b, "To", to);
	put_first(&b, req, CL_SIP_HDR_CALL_ID);
	puts_(&b, "CSeq: ");
	putu(&b, req->cseq.num);
	put(&b, " ", 1);
	puts_(&b, method);
	put(&b, "\r\n", 2);
	put_copy(&b, req, CL_SIP_HDR_ROUTE);
	put_tail(&b, &o);
	return bw_done(&b, len);
}

int cl_sip_build_ack(const struct cl_sip_msg *invite, const struct cl_sip_msg *resp,
		     char *out, size_t cap, size_t *len)
{
	if (!invite || !resp || !len || (cap && !out) || !invite->is_request ||
	    !cl_sip_eq(invite->method, "INVITE") || resp->is_request ||
	    resp->first[CL_SIP_HDR_TO] < 0 || invite->first[CL_SIP_HDR_TO] < 0)
		return EINVAL;
	return build_derived(invite, "ACK", resp->hdr[resp->first[CL_SIP_HDR_TO]].value,
			     (struct cl_slice){ NULL, 0 }, out, cap, len);
}

int cl_sip_build_cancel(const struct cl_sip_msg *req, struct cl_slice headers,
			char *out, size_t cap, size_t *len)
{
	if (!req || !len || (cap && !out) || !req->is_request || !lines_ok(headers) ||
	    cl_sip_eq(req->method, "ACK") || cl_sip_eq(req->method, "CANCEL") ||
	    req->first[CL_SIP_HDR_TO] < 0)
		return EINVAL;
	return build_derived(req, "CANCEL", req->hdr[req->first[CL_SIP_HDR_TO]].value, headers,
			     out, cap, len);
}

static int rand_hex(char *out, size_t nbytes)
{
	uint8_t r[16];
	int rc;

	if ((rc = cl_random(r, nbytes)) != 0)
		return rc;
	rc = cl_hex_encode(r, nbytes, out, 2 * nbytes + 1);
	cl_wipe(r, sizeof(r));
	return rc;
}

int cl_sip_branch_new(char *out, size_t cap)
{
	if (!out || cap < CL_SIP_BRANCH_LEN + 1)
		return ENOBUFS;
	memcpy(out, CL_SIP_BRANCH_COOKIE, 7);
	return rand_hex(out + 7, (CL_SIP_BRANCH_LEN - 7) / 2);
}

int cl_sip_tag_new(char *out, size_t cap)
{
	if (!out || cap < CL_SIP_TAG_LEN + 1)
		return ENOBUFS;
	return rand_hex(out, CL_SIP_TAG_LEN / 2);
}

/* RFC 3261 §21 and the common extensions a B2BUA sends. */
static const struct {
	uint16_t code;
	const char *text;
} phrases[] = {
	{ 100, "Trying" }, { 180, "Ringing" }, { 181, "Call Is Being Forwarded" },
	{ 182, "Queued" }, { 183, "Session Progress" }, { 200, "OK" }, { 202, "Accepted" },
	{ 300, "Multiple Choices" }, { 301, "Moved Permanently" }, { 302, "Moved Temporarily" },
	{ 305, "Use Proxy" }, { 380, "Alternative Service" }, { 400, "Bad Request" },
	{ 401, "Unauthorized" }, { 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 406, "Not Acceptable" },
	{ 407, "Proxy Authentication Required" }, { 408, "Request Timeout" }, { 410, "Gone" },
	{ 413, "Request Entity Too Large" }, { 414, "Request-URI Too Long" },
	{ 415, "Unsupported Media Type" }, { 416, "Unsupported URI Scheme" },
	{ 420, "Bad Extension" }, { 421, "Extension Required" }, { 423, "Interval Too Brief" },
	{ 480, "Temporarily Unavailable" }, { 481, "Call/Transaction Does Not Exist" },
	{ 482, "Loop Detected" }, { 483, "Too Many Hops" }, { 484, "Address Incomplete" },
	{ 485, "Ambiguous" }, { 486, "Busy Here" }, { 487, "Request Terminated" },
	{ 488, "Not Acceptable Here" }, { 491, "Request Pending" }, { 493, "Undecipherable" },
	{ 500, "Server Internal Error" }, { 501, "Not Implemented" }, { 502, "Bad Gateway" },
	{ 503, "Service Unavailable" }, { 504, "Server Time-out" },
	{ 505, "Version Not Supported" }, { 513, "Message Too Large" },
	{ 600, "Busy Everywhere" }, { 603, "Decline" }, { 604, "Does Not Exist Anywhere" },
	{ 606, "Not Acceptable" },
};

const char *cl_sip_reason_phrase(unsigned status)
{
	for (size_t i = 0; i < CL_ARRAY_SIZE(phrases); i++)
		if (phrases[i].code == status)
			return phrases[i].text;
	return "Unknown";
}
