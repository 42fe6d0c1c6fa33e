/* libsrtp2 as an SRTP oracle: maps cipherline suites to libsrtp2 policies and builds
 * libsrtp2 sessions from the same cl_srtp_master_key list cipherline takes. Tests and
 * benchmarks only; the product never links libsrtp2. Everything here is static inline
 * so any test or bench file can include it without a matching .c file. */
#ifndef CL_SRTP_ORACLE_H
#define CL_SRTP_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <srtp2/srtp.h>

#include "srtp/srtp.h"

typedef void(cl_oracle_policy_fn)(srtp_crypto_policy_t *p);

struct cl_oracle_suite {
	enum cl_srtp_suite_id id;
	cl_oracle_policy_fn *rtp;
	cl_oracle_policy_fn *rtcp;
};

/* Returns the libsrtp2 policy setters for a suite, or NULL when libsrtp2 lacks it
 * (f8, NULL_HMAC_SHA1_32). SRTCP always carries an 80-bit tag for the HMAC suites:
 * RFC 4568 §6.2 for the _32 suites, RFC 3711 §3.4 (SRTCP authentication is mandatory)
 * for AES_CM_128_NULL_AUTH. GCM_8 keeps its 8-byte tag on SRTCP, as libsrtp2 does. */
static inline const struct cl_oracle_suite *cl_oracle_suite(enum cl_srtp_suite_id id)
{
	static const struct cl_oracle_suite tab[] = {
		{ CL_SRTP_AES_CM_128_HMAC_SHA1_80, srtp_crypto_policy_set_rtp_default,
		  srtp_crypto_policy_set_rtcp_default },
		{ CL_SRTP_AES_CM_128_HMAC_SHA1_32, srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32,
		  srtp_crypto_policy_set_rtcp_default },
		{ CL_SRTP_AES_192_CM_HMAC_SHA1_80, srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80,
		  srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80 },
		{ CL_SRTP_AES_192_CM_HMAC_SHA1_32, srtp_crypto_policy_set_aes_cm_192_hmac_sha1_32,
		  srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80 },
		{ CL_SRTP_AES_256_CM_HMAC_SHA1_80, srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80,
		  srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80 },
		{ CL_SRTP_AES_256_CM_HMAC_SHA1_32, srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32,
		  srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80 },
		{ CL_SRTP_AEAD_AES_128_GCM, srtp_crypto_policy_set_aes_gcm_128_16_auth,
		  srtp_crypto_policy_set_aes_gcm_128_16_auth },
		{ CL_SRTP_AEAD_AES_256_GCM, srtp_crypto_policy_set_aes_gcm_256_16_auth,
		  srtp_crypto_policy_set_aes_gcm_256_16_auth },
		{ CL_SRTP_AEAD_AES_128_GCM_8, srtp_crypto_policy_set_aes_gcm_128_8_auth,
		  srtp_crypto_policy_set_aes_gcm_128_8_auth },
		{ CL_SRTP_AEAD_AES_256_GCM_8, srtp_crypto_policy_set_aes_gcm_256_8_auth,
		  srtp_crypto_policy_set_aes_gcm_256_8_auth },
		{ CL_SRTP_AES_CM_128_NULL_AUTH, srtp_crypto_policy_set_aes_cm_128_null_auth,
		  srtp_crypto_policy_set_rtcp_default },
		{ CL_SRTP_NULL_HMAC_SHA1_80, srtp_crypto_policy_set_null_cipher_hmac_sha1_80,
		  srtp_crypto_policy_set_null_cipher_hmac_sha1_80 },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (tab[i].id == id)
			return &tab[i];
	}
	return NULL;
}

/* Calls srtp_init() once per including file (a repeat call is harmless). Returns 0
 * or the libsrtp2 status. */
static inline int cl_oracle_init(void)
{
	static bool done;
	srtp_err_status_t st;

	if (done)
		return 0;
	st = srtp_init();
	done = st == srtp_err_status_ok;
	return (int)st;
}

/* Maps a libsrtp2 status to the cipherline error meaning the same, or -1 when there
 * is none (libsrtp2's other failures). */
static inline int cl_oracle_err(srtp_err_status_t st)
{
	switch (st) {
	case srtp_err_status_ok: return 0;
	case srtp_err_status_auth_fail: return CL_SRTP_ERR_AUTH;
	case srtp_err_status_replay_fail: return CL_SRTP_ERR_REPLAY;
	case srtp_err_status_replay_old: return CL_SRTP_ERR_REPLAY;
	case srtp_err_status_bad_mki: return CL_SRTP_ERR_MKI;
	case srtp_err_status_key_expired: return CL_SRTP_ERR_EXHAUSTED;
	default: return -1;
	}
}

/* Storage a policy points into while srtp_create/srtp_add_stream copies it. */
struct cl_oracle_keys {
	srtp_master_key_t mk[CL_SRTP_MAX_KEYS];
	srtp_master_key_t *mkp[CL_SRTP_MAX_KEYS];
};

/* Fills *p for a suite and its master keys (key ‖ salt, as cipherline takes them).
 * One key without MKI uses policy.key; otherwise the srtp_master_key_t list, so
 * srtp_protect_mki/srtp_unprotect_mki must be used with use_mki = 1. The SSRC is a
 * wildcard for outbound or inbound; change p->ssrc for a specific stream. Returns
 * false when libsrtp2 lacks the suite or nkeys is out of range. */
static inline bool cl_oracle_policy(srtp_policy_t *p, struct cl_oracle_keys *ks,
				    enum cl_srtp_suite_id id,
				    const struct cl_srtp_master_key *keys, size_t nkeys,
				    bool outbound, unsigned window)
{
	const struct cl_oracle_suite *os = cl_oracle_suite(id);

	if (!os || nkeys == 0 || nkeys > CL_SRTP_MAX_KEYS)
		return false;
	memset(p, 0, sizeof(*p));
	os->rtp(&p->rtp);
	os->rtcp(&p->rtcp);
	p->ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
	p->window_size = window ? window : CL_SRTP_WINDOW_DEFAULT;
	if (nkeys == 1 && keys[0].mki_len == 0) {
		/* libsrtp2 only reads the key; its API just lacks const. */
		p->key = (unsigned char *)keys[0].key_salt;
		return true;
	}
	for (size_t i = 0; i < nkeys; i++) {
		ks->mk[i].key = (unsigned char *)keys[i].key_salt;
		ks->mk[i].mki_id = (unsigned char *)keys[i].mki;
		ks->mk[i].mki_size = (unsigned)keys[i].mki_len;
		ks->mkp[i] = &ks->mk[i];
	}
	p->keys = ks->mkp;
	p->num_master_keys = nkeys;
	return true;
}

/* Creates a libsrtp2 session for one direction with a wildcard SSRC. Returns 0, -1
 * for a suite libsrtp2 lacks, or the libsrtp2 status. */
static inline int cl_oracle_create(srtp_t *out, enum cl_srtp_suite_id id,
				   const struct cl_srtp_master_key *keys, size_t nkeys,
				   bool outbound, unsigned window)
{
	struct cl_oracle_keys ks;
	srtp_policy_t p;

	*out = NULL;
	if (cl_oracle_init() != 0)
		return (int)srtp_err_status_init_fail;
	if (!cl_oracle_policy(&p, &ks, id, keys, nkeys, outbound, window))
		return -1;
	return (int)srtp_create(out, &p);
}

#endif
