/* HMAC-SHA1 with precomputed inner and outer state (RFC 2104), for the packet path.
 *
 * Why not EVP: in OpenSSL 3.0 every EVP digest re-use (EVP_MD_CTX_copy_ex,
 * EVP_DigestInit_ex2, EVP_MAC_init with a NULL key) calls the provider's dupctx or
 * newctx, which is two mallocs and frees per packet (measured: 2.00 allocs/packet,
 * 215-290 ns against 175-185 ns here). The SHA_CTX state of libcrypto's own SHA-1 is a
 * plain struct, so copying the precomputed pads costs a memcpy and never allocates.
 * The hash itself is OpenSSL's (SHA-NI/AVX2 assembly); nothing here implements SHA-1. */
#ifndef CL_SRTP_HMAC_H
#define CL_SRTP_HMAC_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/sha.h>

struct cl_hmac_sha1 {
	SHA_CTX inner; /* SHA-1 state after (K XOR ipad) */
	SHA_CTX outer; /* SHA-1 state after (K XOR opad) */
};

/* Precomputes the pads for a key of up to 64 bytes. Returns 0 or EINVAL. */
int cl_hmac_sha1_init(struct cl_hmac_sha1 *h, const uint8_t *key, size_t key_len);
/* MAC of a ‖ b (b may be empty) into out[20]. */
void cl_hmac_sha1_2(const struct cl_hmac_sha1 *h, const uint8_t *a, size_t alen,
		    const uint8_t *b, size_t blen, uint8_t out[20]);
/* Wipes the precomputed state. */
void cl_hmac_sha1_clear(struct cl_hmac_sha1 *h);

#endif
