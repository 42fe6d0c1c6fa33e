/* libFuzzer target: the SIP stream framer (RFC 3261 §18.3, RFC 5626 §4.4.1). The input
 * is fed as one buffer and again split at a point taken from its first byte, the way
 * partial reads arrive. The framer must return a frame no longer than the bytes given,
 * make progress, agree between the two feeds, and every message frame must parse (or be
 * rejected cleanly) as a stream message. Any breach aborts. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cl_sip_msg m;

/* Frames b[0..n) until an error or need-more; returns the bytes consumed. */
static size_t drain(const char *b, size_t n, int *last)
{
	static const struct cl_sip_parse_opts st = { CL_SIP_STREAM, 0 };
	struct cl_sip_error err;
	struct cl_sip_frame f;
	size_t off = 0;

	for (;;) {
		int rc = cl_sip_frame(b + off, n - off, 4096, &f);

		*last = rc;
		if (rc != 0) {
			if (rc != EAGAIN && rc != EBADMSG && rc != EMSGSIZE)
				abort();
			return off;
		}
		if (f.len == 0 || f.len > n - off)
			abort();
		if (f.kind == CL_SIP_FRAME_MSG) {
			rc = cl_sip_parse(&m, b + off, f.len, &st, &err);
			if (rc != 0 && rc != EBADMSG)
				abort();
			if (rc == 0 && m.len != f.len)
				abort();
		}
		off += f.len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *b = malloc(size ? size : 1);
	size_t whole, part, cut;
	int rc1, rc2;

	(void)rc1;
	(void)rc2;

	if (!b)
		abort();
	memcpy(b, data, size);
	whole = drain(b, size, &rc1);
	/* a partial read: only a prefix has arrived */
	cut = size ? data[0] % (size + 1) : 0;
	part = drain(b, cut, &rc2);
	if (part > whole)
		abort();
	free(b);
	return 0;
}
