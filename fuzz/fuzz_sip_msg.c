/* libFuzzer target: the SIP message parser (RFC 3261 §7) and the typed accessors.
 * Parses arbitrary bytes as a datagram and as a stream from an exact-size heap copy (ASan
 * sees any read past the end). On success: every slice lies inside the input, the
 * message length fits, and every Via / Contact / Route / auth / Warning / Reason value
 * goes through its typed parser, which must return cleanly. Any breach aborts. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cl_sip_msg m;

static void in(struct cl_slice s, const char *b, size_t n)
{
	if (s.len && (s.p < b || s.p + s.len > b + n))
		abort();
}

static void walk(enum cl_sip_hdr id, const char *b, size_t n)
{
	struct cl_sip_values_it it = { 0 };
	struct cl_slice e;
	union {
		struct cl_sip_nameaddr na;
		struct cl_sip_contact c;
		struct cl_sip_via v;
		struct cl_sip_auth a;
		struct cl_sip_warning w;
		struct cl_sip_reason r;
	} u;
	int rc, guard = 0;

	while ((rc = cl_sip_msg_values_next(&m, id, &it, &e)) == 0 && guard++ < 1000) {
		in(e, b, n);
		switch (id) {
		case CL_SIP_HDR_ROUTE: rc = cl_sip_nameaddr_parse(&u.na, e); break;
		case CL_SIP_HDR_CONTACT: rc = cl_sip_contact_parse(&u.c, e); break;
		case CL_SIP_HDR_VIA: rc = cl_sip_via_parse(&u.v, e); break;
		case CL_SIP_HDR_WARNING: rc = cl_sip_warning_parse(&u.w, e); break;
		case CL_SIP_HDR_REASON: rc = cl_sip_reason_parse(&u.r, e); break;
		default: rc = 0; break;
		}
		if (rc != 0 && rc != EBADMSG)
			abort();
		/* the pass validated every Via and Contact already */
		if (rc && (id == CL_SIP_HDR_VIA || id == CL_SIP_HDR_CONTACT))
			abort();
	}
	if (rc != ENOENT && rc != EBADMSG && rc != 0)
		abort();
}

static void check(const char *b, size_t n)
{
	struct cl_sip_auth a;
	struct cl_sip_param p;
	uint32_t exp;

	if (m.len > n)
		abort();
	in(m.body, b, n);
	in(m.ruri_text, b, n);
	in(m.call_id, b, n);
	for (size_t i = 0; i < m.nhdr; i++) {
		in(m.hdr[i].name, b, n);
		in(m.hdr[i].value, b, n);
		if (m.hdr[i].id == CL_SIP_HDR_AUTHORIZATION && cl_sip_auth_parse(&a, m.hdr[i].value) == 0)
			while (cl_sip_auth_param_next(&a.params, &p) == 0)
				in(p.value, b, n);
	}
	walk(CL_SIP_HDR_VIA, b, n);
	walk(CL_SIP_HDR_CONTACT, b, n);
	walk(CL_SIP_HDR_ROUTE, b, n);
	walk(CL_SIP_HDR_WARNING, b, n);
	walk(CL_SIP_HDR_REASON, b, n);
	(void)cl_sip_msg_expires(&m, &exp);
	(void)cl_sip_msg_has_option(&m, CL_SIP_HDR_SUPPORTED, "outbound");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cl_sip_parse_opts dg = { CL_SIP_DGRAM, 0 }, st = { CL_SIP_STREAM, 0 };
	struct cl_sip_error err;
	char *b = malloc(size ? size : 1);
	int rc;

	if (!b)
		abort();
	memcpy(b, data, size);
	for (int k = 0; k < 2; k++) {
		rc = cl_sip_parse(&m, b, size, k ? &st : &dg, &err);
		if (rc != 0 && (rc != EBADMSG || !err.reason || !err.reason[0]))
			abort();
		if (rc == 0 && err.status != 0 && err.status != 483)
			abort();
		if (rc != 0 && err.status && err.status != 400 && err.status != 505 &&
		    err.status != 513)
			abort();
		if (rc == 0)
			check(b, size);
	}
	free(b);
	return 0;
}
