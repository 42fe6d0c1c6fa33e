/* Hex encoding for tools and test vectors. */
#include <errno.h>

#include "base.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int cl_hex_decode(struct cl_slice in, uint8_t *out, size_t cap, size_t *outlen)
{
	size_t o = 0;
	int hi = -1;

	for (size_t i = 0; i < in.len; i++) {
		char c = in.p[i];
		int v;

		if ((c == ' ' || c == '\t') && hi < 0)
			continue;
		v = hexval(c);
		if (v < 0)
			return EBADMSG;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (o >= cap)
			return ENOBUFS;
		out[o++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0)
		return EBADMSG;
	if (outlen)
		*outlen = o;
	return 0;
}

int cl_hex_encode(const uint8_t *in, size_t n, char *out, size_t cap)
{
	static const char digits[] = "0123456789abcdef";

	if (cap < 2 * n + 1)
		return ENOBUFS;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
	return 0;
}
