/* HMAC-SHA1 (RFC 2104) over libcrypto's SHA-1 with the pads hashed once per key.
 * See hmac.h for why this is not EVP_MAC. */
/* SHA1_Init/Update/Final are deprecated in 3.0 but shipped; see hmac.h for why. */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "hmac.h"

int cl_hmac_sha1_init(struct cl_hmac_sha1 *h, const uint8_t *key, size_t key_len)
{
	uint8_t pad[SHA_CBLOCK];

	if (key_len > SHA_CBLOCK)
		return EINVAL;
	memset(pad, 0x36, sizeof(pad));
	for (size_t i = 0; i < key_len; i++)
		pad[i] ^= key[i];
	SHA1_Init(&h->inner);
	SHA1_Update(&h->inner, pad, sizeof(pad));
	for (size_t i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36 ^ 0x5c;
	SHA1_Init(&h->outer);
	SHA1_Update(&h->outer, pad, sizeof(pad));
	OPENSSL_cleanse(pad, sizeof(pad));
	return 0;
}

void cl_hmac_sha1_2(const struct cl_hmac_sha1 *h, const uint8_t *a, size_t alen,
		    const uint8_t *b, size_t blen, uint8_t out[20])
{
	SHA_CTX c = h->inner;

	SHA1_Update(&c, a, alen);
	if (blen)
		SHA1_Update(&c, b, blen);
	SHA1_Final(out, &c);
	c = h->outer;
	SHA1_Update(&c, out, SHA_DIGEST_LENGTH);
	SHA1_Final(out, &c);
	/* c now holds only the digest just output, no key-derived state: no wipe. */
}

void cl_hmac_sha1_clear(struct cl_hmac_sha1 *h)
{
	OPENSSL_cleanse(h, sizeof(*h));
}
