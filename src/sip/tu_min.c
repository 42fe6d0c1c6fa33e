/* The minimal transaction user, until the registrar and B2BUA exist (issue 4 §3): what an
 * edge answers to a request addressed to it. A pure function over a parsed request. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sip.h"

#define ALLOW "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER"

static bool method_is(const struct cl_sip_msg *m, const char *name)
{
	return cl_slice_eq(m->method, cl_slice_cstr(name));
}

/* RFC 3261 §8.2.2.3: option tags in Require we do not support get 420 with Unsupported. */
static bool unsupported_required(const struct cl_sip_msg *m, char *hdrs, size_t cap, size_t *len)
{
	struct cl_sip_values_it it = { 0 };
	struct cl_slice tag;
	size_t off = 0;
	int n;

	while (cl_sip_msg_values_next(m, CL_SIP_HDR_REQUIRE, &it, &tag) == 0) {
		n = snprintf(hdrs + off, cap - off, "%s%.*s", off ? ", " : "Unsupported: ",
			     (int)tag.len, tag.p);
		if (n < 0 || (size_t)n >= cap - off - 2)
			break;
		off += (size_t)n;
	}
	if (!off)
		return false;
	memcpy(hdrs + off, "\r\n", 3);
	*len = off + 2;
	return true;
}

int cl_sip_minimal_reply(const struct cl_sip_msg *req, unsigned *status, const char **reason,
			 char *hdrs, size_t cap, size_t *hlen)
{
	*hlen = 0;
	*reason = NULL;
	if (cap < 128)
		return ENOBUFS;
	if (method_is(req, "ACK"))
		return ENOENT; /* never answered */
	if (req->max_forwards == 0 && !method_is(req, "OPTIONS")) {
		*status = 483;
		return 0;
	}
	if (unsupported_required(req, hdrs, cap, hlen)) {
		*status = 420;
		return 0;
	}
	if (method_is(req, "OPTIONS")) {
		/* SBCs ping with OPTIONS (RFC 3261 §11.2): say what we speak. */
		*hlen = (size_t)snprintf(hdrs, cap,
					 "Allow: " ALLOW "\r\nAccept: application/sdp\r\n"
					 "Supported: outbound\r\nServer: cipherline/" CL_VERSION "\r\n");
		*status = 200;
		return 0;
	}
	if (method_is(req, "INVITE") || method_is(req, "REGISTER") || method_is(req, "BYE")) {
		*status = 404; /* no connection or number is known yet */
		*reason = "Not Found";
		return 0;
	}
	*hlen = (size_t)snprintf(hdrs, cap, "Allow: " ALLOW "\r\n");
	*status = 501;
	return 0;
}
