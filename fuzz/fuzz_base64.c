/* libFuzzer target: base64 (RFC 4648 §4) as SDES inline: keys use it.
 * Decodes arbitrary input. When it is accepted, the decoder's strictness (no
 * whitespace, padding only at the end, zero trailing bits: §3.5) means the input is
 * the canonical encoding, give or take its padding; so re-encoding must reproduce it,
 * and decoding that again must give the same bytes. Any mismatch aborts. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Length of s[0..n) without its trailing '=' padding. */
static size_t unpadded(const char *s, size_t n)
{
	while (n > 0 && s[n - 1] == '=')
		n--;
	return n;
}

static void check_roundtrip(const char *in, size_t size, const uint8_t *dec, size_t n)
{
	size_t cap = cl_base64_enc_len(n) + 1, elen = 0, n2 = 0;
	char *enc = malloc(cap);
	uint8_t *dec2 = malloc(n + 1);

	if (!enc || !dec2)
		abort();
	if (cl_base64_encode(dec, n, enc, cap, &elen) != 0 || elen != cap - 1 || enc[elen])
		abort();
	if (unpadded(in, size) != unpadded(enc, elen) ||
	    memcmp(in, enc, unpadded(enc, elen)) != 0)
		abort(); /* accepted a non-canonical encoding */
	if (cl_base64_decode((struct cl_slice){ enc, elen }, dec2, n, &n2) != 0 || n2 != n ||
	    (n && memcmp(dec, dec2, n) != 0))
		abort();
	/* One byte less room must be refused, not overrun. */
	if (n && cl_base64_decode((struct cl_slice){ enc, elen }, dec2, n - 1, &n2) != ENOBUFS)
		abort();
	free(enc);
	free(dec2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *dec = malloc(size ? size : 1);
	size_t n = 0;
	int rc;

	if (!dec)
		abort();
	rc = cl_base64_decode((struct cl_slice){ (const char *)data, size }, dec, size, &n);
	if (rc == ENOBUFS || (rc && rc != EBADMSG))
		abort(); /* size bytes always suffice: decoding only shrinks */
	if (rc == 0) {
		if (n > size * 3 / 4)
			abort();
		check_roundtrip((const char *)data, size, dec, n);
	}
	free(dec);
	return 0;
}
