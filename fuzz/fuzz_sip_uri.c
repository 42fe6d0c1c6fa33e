/* libFuzzer target: the SIP/SIPS/tel URI parser (RFC 3261 §25.1, RFC 3966) and its
 * parameter iterator. When a URI is accepted its parts must be in order inside the input,
 * and walking its parameters must end cleanly. The name-addr parser runs on the same
 * bytes. Any breach aborts. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void in(struct cl_slice s, const char *b, size_t n)
{
	if (s.len && (s.p < b || s.p + s.len > b + n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *b = malloc(size ? size : 1);
	struct cl_sip_uri u;
	struct cl_sip_nameaddr na;
	struct cl_sip_param p;
	struct cl_slice rest;
	int rc, guard = 0;

	if (!b)
		abort();
	memcpy(b, data, size);
	rc = cl_sip_uri_parse(&u, (struct cl_slice){ b, size });
	if (rc != 0 && rc != EBADMSG)
		abort();
	if (rc == 0) {
		in(u.user, b, size);
		in(u.password, b, size);
		in(u.host, b, size);
		in(u.params, b, size);
		in(u.headers, b, size);
		if (u.host.len && u.user.len && u.host.p < u.user.p + u.user.len)
			abort();
		rest = u.params;
		while ((rc = cl_sip_uri_param_next(&rest, &p)) == 0 && guard++ < 10000)
			in(p.value, b, size);
		if (rc != ENOENT) /* every parameter was validated by the parse */
			abort();
	}
	rc = cl_sip_nameaddr_parse(&na, (struct cl_slice){ b, size });
	if (rc != 0 && rc != EBADMSG)
		abort();
	if (rc == 0) {
		in(na.uri_text, b, size);
		in(na.params, b, size);
		in(na.tag, b, size);
	}
	free(b);
	return 0;
}
