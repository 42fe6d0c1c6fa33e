/* Stream framing for SIP over TCP/TLS (RFC 3261 §18.3: Content-Length is mandatory and
 * delimits the body; RFC 5626 §3.5.1 and §4.4.1: CRLFCRLF ping, CRLF pong). The framer
 * finds message boundaries only; cl_sip_parse() judges the message itself. */
#include <errno.h>
#include <string.h>

#include "sip/lex.h"

/* Finds "\r\n\r\n" in the head; returns its offset + 4, or 0 when not there yet.
 * A bare CR or LF makes *bad true. */
static size_t head_end(const char *buf, size_t len, bool *bad)
{
	const char *p = buf, *end = buf + len;

	*bad = false;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			return 0;
		if (nl == p || nl[-1] != '\r' || memchr(p, '\r', (size_t)(nl - 1 - p))) {
			*bad = true;
			return 0;
		}
		if (nl - 1 == p) /* an empty line */
			return (size_t)(nl + 1 - buf);
		p = nl + 1;
	}
	return 0;
}

/* Reads the one Content-Length (or "l") of a complete head. Returns 0 or EBADMSG. */
static int content_length(const char *buf, size_t hlen, uint64_t *cl)
{
	const char *p = memchr(buf, '\n', hlen) + 1, *end = buf + hlen - 2;
	bool seen = false;

	while (p < end) {
		const char *e = memchr(p, '\r', (size_t)(end - p)), *q = cl_sip_token(p, e), *v;
		struct cl_slice name = cl_sip_sl(p, q);

		if (cl_sip_hdr_lookup(name) == CL_SIP_HDR_CONTENT_LENGTH) {
			/* the value runs to the next line that does not start with WSP */
			const char *ve = e;

			while (end - ve >= 3 && cl_sip_is_wsp(ve[2]))
				ve = memchr(ve + 2, '\r', (size_t)(end - ve - 2));
			while (q < e && cl_sip_is_wsp(*q))
				q++;
			if (seen || q == e || *q != ':')
				return EBADMSG;
			v = q + 1;
			if (cl_sip_uint(cl_sip_trim(cl_sip_sl(v, ve)), UINT32_MAX, cl) != 0)
				return EBADMSG;
			seen = true;
		}
		p = e + 2;
	}
	return seen ? 0 : EBADMSG;
}

/* RFC 5626 §4.4.1: a lone CRLF before a message is a pong, CRLFCRLF is a ping. */
static int keepalive(const char *buf, size_t len, struct cl_sip_frame *f)
{
	f->kind = CL_SIP_FRAME_PONG;
	f->len = 2;
	if (len < 2 || buf[1] != '\n')
		return len < 2 ? EAGAIN : EBADMSG;
	if (len == 2 || (len == 3 && buf[2] == '\r'))
		return EAGAIN; /* a pong, or half a ping: see sip.h */
	if (len >= 4 && buf[2] == '\r' && buf[3] == '\n') {
		f->kind = CL_SIP_FRAME_PING;
		f->len = 4;
	}
	return 0;
}

int cl_sip_frame(const char *buf, size_t len, size_t max_size, struct cl_sip_frame *f)
{
	size_t max = max_size ? max_size : CL_SIP_DEFAULT_MAX_SIZE, hlen;
	uint64_t cl;
	bool bad;

	f->kind = CL_SIP_FRAME_MSG;
	f->len = 0;
	if (!len)
		return EAGAIN;
	if (buf[0] == '\r')
		return keepalive(buf, len, f);
	/* a start line begins with a method token or "SIP/": anything else is garbage */
	if (!cl_sip_is(buf[0], CL_SIP_C_TOKEN))
		return EBADMSG;
	hlen = head_end(buf, CL_MIN(len, max), &bad);
	if (bad)
		return EBADMSG;
	if (!hlen)
		return len >= max ? EMSGSIZE : EAGAIN;
	if (content_length(buf, hlen, &cl) != 0)
		return EBADMSG;
	if (cl > max - hlen)
		return EMSGSIZE;
	if (len < hlen + cl)
		return EAGAIN;
	f->len = hlen + (size_t)cl;
	return 0;
}
