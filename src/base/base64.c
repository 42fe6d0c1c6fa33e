/* Base64 (RFC 4648 §4).
 *
 * Written here rather than taken from OpenSSL: EVP_DecodeBlock needs padded input,
 * skips whitespace silently and reports padded lengths, while SDES keys arrive both
 * padded and unpadded (rtpengine strips the padding) and must be checked strictly. */
#include <errno.h>

#include "base.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t cl_base64_enc_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

int cl_base64_encode(const uint8_t *in, size_t n, char *out, size_t cap, size_t *outlen)
{
	size_t need = cl_base64_enc_len(n), o = 0;

	if (cap < need)
		return ENOBUFS;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t left = n - i;

		if (left > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (left > 2)
			v |= in[i + 2];
		out[o++] = alphabet[(v >> 18) & 63];
		out[o++] = alphabet[(v >> 12) & 63];
		out[o++] = left > 1 ? alphabet[(v >> 6) & 63] : '=';
		out[o++] = left > 2 ? alphabet[v & 63] : '=';
	}
	if (o < cap)
		out[o] = '\0';
	if (outlen)
		*outlen = o;
	return 0;
}

/* Returns the 6-bit value of c, or -1 when c is not in the alphabet. */
static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int cl_base64_decode(struct cl_slice in, uint8_t *out, size_t cap, size_t *outlen)
{
	size_t len = in.len, o = 0, pad = 0;
	uint32_t acc = 0;
	unsigned bits = 0;

	/* Padding only at the end, at most two, and only to complete a quantum. */
	while (len > 0 && in.p[len - 1] == '=' && pad < 2) {
		len--;
		pad++;
	}
	if (pad && (len + pad) % 4 != 0)
		return EBADMSG;
	if (len % 4 == 1)
		return EBADMSG;
	for (size_t i = 0; i < len; i++) {
		int v = b64val(in.p[i]);

		if (v < 0)
			return EBADMSG;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return ENOBUFS;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	/* RFC 4648 §3.5: the unused trailing bits must be zero. */
	if (bits && (acc & ((1u << bits) - 1)) != 0)
		return EBADMSG;
	if (outlen)
		*outlen = o;
	return 0;
}
