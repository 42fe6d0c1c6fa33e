/* The suite registry: every SDES crypto-suite cipherline speaks, in one table.
 * Sources: RFC 4568 §6.2 (AES_CM_128_*, F8_128_*), RFC 6188 §3 (AES_192/256_CM_*),
 * RFC 7714 §14.1 (AEAD_AES_*_GCM); the _8 GCM variants and the NULL suites are the
 * legacy names carriers and libsrtp-based stacks still send. */
#include <string.h>

#include "srtp.h"

#define L48 (1ULL << 48)
#define L31 (1ULL << 31)

/* RFC 3711 §3.4 mandates SRTCP authentication, and RFC 4568 §6.2.2 keeps an
 * 80-bit SRTCP tag for the _32 suites: hence srtcp_tag_len 10 on every HMAC
 * suite, including AES_CM_128_NULL_AUTH. */
static const struct cl_srtp_suite suites[CL_SRTP_SUITE_COUNT] = {
	{ CL_SRTP_AES_CM_128_HMAC_SHA1_80, "AES_CM_128_HMAC_SHA1_80", { NULL, NULL },
	  CL_SRTP_CIPHER_AES_CM, CL_SRTP_AUTH_HMAC_SHA1, 16, 14, 20, 10, 10, L48, L31 },
	{ CL_SRTP_AES_CM_128_HMAC_SHA1_32, "AES_CM_128_HMAC_SHA1_32", { NULL, NULL },
	  CL_SRTP_CIPHER_AES_CM, CL_SRTP_AUTH_HMAC_SHA1, 16, 14, 20, 4, 10, L48, L31 },
	{ CL_SRTP_AES_192_CM_HMAC_SHA1_80, "AES_192_CM_HMAC_SHA1_80",
	  { "AES_CM_192_HMAC_SHA1_80", NULL },
	  CL_SRTP_CIPHER_AES_CM, CL_SRTP_AUTH_HMAC_SHA1, 24, 14, 20, 10, 10, L48, L31 },
	{ CL_SRTP_AES_192_CM_HMAC_SHA1_32, "AES_192_CM_HMAC_SHA1_32",
	  { "AES_CM_192_HMAC_SHA1_32", NULL },
	  CL_SRTP_CIPHER_AES_CM, CL_SRTP_AUTH_HMAC_SHA1, 24, 14, 20, 4, 10, L48, L31 },
	{ CL_SRTP_AES_256_CM_HMAC_SHA1_80, "AES_256_CM_HMAC_SHA1_80",
	  { "AES_CM_256_HMAC_SHA1_80", NULL },
	  CL_SRTP_CIPHER_AES_CM, CL_SRTP_AUTH_HMAC_SHA1, 32, 14, 20, 10, 10, L48, L31 },
	{ CL_SRTP_AES_256_CM_HMAC_SHA1_32, "AES_256_CM_HMAC_SHA1_32",
	  { "AES_CM_256_HMAC_SHA1_32", NULL },
	  CL_SRTP_CIPHER_AES_CM, CL_SRTP_AUTH_HMAC_SHA1, 32, 14, 20, 4, 10, L48, L31 },
	{ CL_SRTP_AEAD_AES_128_GCM, "AEAD_AES_128_GCM", { NULL, NULL },
	  CL_SRTP_CIPHER_AES_GCM, CL_SRTP_AUTH_AEAD, 16, 12, 0, 16, 16, L48, L31 },
	{ CL_SRTP_AEAD_AES_256_GCM, "AEAD_AES_256_GCM", { NULL, NULL },
	  CL_SRTP_CIPHER_AES_GCM, CL_SRTP_AUTH_AEAD, 32, 12, 0, 16, 16, L48, L31 },
	{ CL_SRTP_AEAD_AES_128_GCM_8, "AEAD_AES_128_GCM_8", { NULL, NULL },
	  CL_SRTP_CIPHER_AES_GCM, CL_SRTP_AUTH_AEAD, 16, 12, 0, 8, 8, L48, L31 },
	{ CL_SRTP_AEAD_AES_256_GCM_8, "AEAD_AES_256_GCM_8", { NULL, NULL },
	  CL_SRTP_CIPHER_AES_GCM, CL_SRTP_AUTH_AEAD, 32, 12, 0, 8, 8, L48, L31 },
	{ CL_SRTP_F8_128_HMAC_SHA1_80, "F8_128_HMAC_SHA1_80", { NULL, NULL },
	  CL_SRTP_CIPHER_AES_F8, CL_SRTP_AUTH_HMAC_SHA1, 16, 14, 20, 10, 10, L48, L31 },
	{ CL_SRTP_AES_CM_128_NULL_AUTH, "AES_CM_128_NULL_AUTH", { NULL, NULL },
	  CL_SRTP_CIPHER_AES_CM, CL_SRTP_AUTH_NULL, 16, 14, 20, 0, 10, L48, L31 },
	{ CL_SRTP_NULL_HMAC_SHA1_80, "NULL_HMAC_SHA1_80", { NULL, NULL },
	  CL_SRTP_CIPHER_NULL, CL_SRTP_AUTH_HMAC_SHA1, 16, 14, 20, 10, 10, L48, L31 },
	{ CL_SRTP_NULL_HMAC_SHA1_32, "NULL_HMAC_SHA1_32", { NULL, NULL },
	  CL_SRTP_CIPHER_NULL, CL_SRTP_AUTH_HMAC_SHA1, 16, 14, 20, 4, 10, L48, L31 },
};

static bool name_is(const char *want, const char *name, size_t len)
{
	return want && strlen(want) == len && memcmp(want, name, len) == 0;
}

const struct cl_srtp_suite *cl_srtp_suite_find(const char *name, size_t len)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < CL_SRTP_SUITE_COUNT; i++) {
		const struct cl_srtp_suite *su = &suites[i];

		if (name_is(su->name, name, len) || name_is(su->aliases[0], name, len) ||
		    name_is(su->aliases[1], name, len))
			return su;
	}
	return NULL;
}

const struct cl_srtp_suite *cl_srtp_suite_get(enum cl_srtp_suite_id id)
{
	if ((unsigned)id >= CL_SRTP_SUITE_COUNT)
		return NULL;
	return &suites[id];
}

const char *cl_srtp_strerror(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case CL_SRTP_ERR_AUTH:
		return "auth";
	case CL_SRTP_ERR_REPLAY:
		return "replay";
	case CL_SRTP_ERR_SHORT:
		return "short";
	case CL_SRTP_ERR_MKI:
		return "mki";
	case CL_SRTP_ERR_EXHAUSTED:
		return "exhausted";
	case CL_SRTP_ERR_CAPACITY:
		return "capacity";
	case CL_SRTP_ERR_STREAMS:
		return "streams";
	case EINVAL:
		return "invalid";
	default:
		return "error";
	}
}
