/* SRTP internals shared by the srtp/ sources and by the vector tests. */
#ifndef CL_SRTP_INT_H
#define CL_SRTP_INT_H

#include <openssl/evp.h>

#include "srtp.h"
#include "base/base.h"
#include "hmac.h"

/* RFC 3711 §4.3.2 key derivation labels. */
enum {
	CL_SRTP_LABEL_RTP_ENC = 0x00,
	CL_SRTP_LABEL_RTP_AUTH = 0x01,
	CL_SRTP_LABEL_RTP_SALT = 0x02,
	CL_SRTP_LABEL_RTCP_ENC = 0x03,
	CL_SRTP_LABEL_RTCP_AUTH = 0x04,
	CL_SRTP_LABEL_RTCP_SALT = 0x05,
};

/* Session keys for one of SRTP or SRTCP under one master key (and one r, when
 * KDR is not 0). The cipher contexts are keyed once and only re-IV'd per packet. */
struct cl_srtp_keys {
	EVP_CIPHER_CTX *enc;    /* AES-CTR, AES-GCM, or AES-ECB for f8 */
	EVP_CIPHER_CTX *f8iv;   /* f8 only: AES-ECB keyed with k_e XOR m (§4.1.2.2) */
	struct cl_hmac_sha1 mac;
	uint8_t salt[16];       /* session salt, zero-padded to 16 bytes */
	uint64_t r;             /* index DIV kdr these keys were derived for */
	bool ready;
};

struct cl_srtp_mkey {
	uint8_t key[CL_SRTP_MAX_KEY_LEN];
	uint8_t salt[CL_SRTP_MAX_SALT_LEN];
	uint8_t mki[CL_SRTP_MAX_MKI_LEN];
	uint64_t max[2];        /* lifetime in packets: [0] SRTP, [1] SRTCP */
	uint64_t used[2];
	bool soft_told[2];
	struct cl_srtp_keys ks[2]; /* [0] SRTP, [1] SRTCP; used when kdr is 0 */
	EVP_CIPHER_CTX *kdf;       /* AES-CM PRF keyed with the master key */
};

/* A replay window over a 48-bit SRTP index or a 31-bit SRTCP index. Bits are kept
 * in a ring indexed by (index mod nbits), so sliding forward by one is O(1). */
struct cl_srtp_replay {
	uint64_t *bits;
	uint64_t top;           /* highest index accepted */
	bool init;
};

struct cl_srtp_stream {
	uint32_t ssrc;
	bool used;
	bool roc_set;           /* ROC given by cl_srtp_set_roc before the first packet */
	uint32_t roc_init;
	struct cl_srtp_replay rtp;  /* sender: top is the highest index sent */
	struct cl_srtp_replay rtcp;
	uint32_t rtcp_tx;       /* next SRTCP index to send */
	struct cl_srtp_keys *kdr_ks; /* [nkeys][2] when kdr != 0 */
};

struct cl_srtp {
	const struct cl_srtp_suite *suite;
	size_t nkeys;
	size_t mki_len;
	size_t tx_key;
	uint32_t kdr;
	unsigned kdr_log2;
	bool enc[2];            /* encrypt SRTP / SRTCP */
	bool auth_rtp;          /* authenticate SRTP */
	uint8_t tag_len[2];
	unsigned window;
	unsigned ring_bits;     /* window rounded up to a power of 2, >= 64 */
	uint32_t roc_default;
	size_t nstreams;
	size_t last;            /* stream that matched last, checked first */
	struct cl_srtp_stream *streams;
	struct cl_srtp_mkey *keys;
	uint64_t *ring_mem;
	struct cl_srtp_keys *kdr_mem;
	cl_srtp_event_h *eventh;
	void *arg;
};

/* ---- crypto primitives (crypto.c) ---- */

/* Returns the EVP cipher name for AES-CTR/ECB/GCM at this key length. */
int cl_srtp_keys_init(struct cl_srtp_keys *ks, const struct cl_srtp_suite *su);
void cl_srtp_keys_clear(struct cl_srtp_keys *ks);
/* Derives session keys from a master key per RFC 3711 §4.3 for r = index DIV kdr. */
int cl_srtp_keys_derive(struct cl_srtp_keys *ks, const struct cl_srtp_suite *su,
			const struct cl_srtp_mkey *mk, bool rtcp, uint64_t r);
/* Keys the contexts with explicit session keys (vectors that give session keys). */
int cl_srtp_keys_set(struct cl_srtp_keys *ks, const struct cl_srtp_suite *su,
		     const uint8_t *enc_key, const uint8_t *salt, const uint8_t *auth_key);

/* Keys a new AES-CM PRF context with a master key, for cl_srtp_keys_derive. */
int cl_srtp_kdf_init(EVP_CIPHER_CTX **ctx, const uint8_t *mkey, size_t mkey_len);
/* AES-CM keystream (RFC 3711 §4.1.1) for key and 16-byte IV: out[0..n). */
int cl_srtp_aes_cm_keystream(const uint8_t *key, size_t key_len, const uint8_t iv[16],
			     uint8_t *out, size_t n);
/* RFC 3711 §4.3.1 (and RFC 6188 §4, RFC 7714 §11) key derivation: n bytes for label. */
int cl_srtp_kdf(const uint8_t *mkey, size_t mkey_len, const uint8_t *msalt, size_t msalt_len,
		uint8_t label, uint64_t r, uint8_t *out, size_t n);
/* f8 (RFC 3711 §4.1.2) in place with session keys already in ks and a 16-byte IV. */
int cl_srtp_f8_crypt(struct cl_srtp_keys *ks, const uint8_t iv[16], uint8_t *buf, size_t n);
/* AES-CTR in place from a 16-byte IV. */
int cl_srtp_ctr_crypt(struct cl_srtp_keys *ks, const uint8_t iv[16], uint8_t *buf, size_t n);

/* GCM additional authenticated data in up to two pieces: a ‖ b. */
struct cl_srtp_aad {
	const uint8_t *a;
	size_t alen;
	const uint8_t *b;
	size_t blen;
};

/* AES-GCM seal in place: buf[0..n) encrypted, taglen bytes of tag to tag. */
int cl_srtp_gcm_seal(struct cl_srtp_keys *ks, const uint8_t iv[12], const struct cl_srtp_aad *aad,
		     uint8_t *buf, size_t n, uint8_t *tag, size_t taglen);
/* AES-GCM open in place. Returns 0, CL_SRTP_ERR_AUTH, or EIO. */
int cl_srtp_gcm_open(struct cl_srtp_keys *ks, const uint8_t iv[12], const struct cl_srtp_aad *aad,
		     uint8_t *buf, size_t n, uint8_t *tag, size_t taglen);

/* ---- streams (session.c) ---- */

/* Returns the stream of an SSRC, or NULL. */
struct cl_srtp_stream *cl_srtp_stream_find(struct cl_srtp *s, uint32_t ssrc);
/* Returns an unused stream slot, or NULL when the session is full. */
struct cl_srtp_stream *cl_srtp_stream_free_slot(struct cl_srtp *s);
/* Marks a free slot as the stream of ssrc, starting at ROC roc. */
void cl_srtp_stream_claim(struct cl_srtp *s, struct cl_srtp_stream *st, uint32_t ssrc,
			  uint32_t roc);

/* ---- test hook ---- */

/* Overrides the session keys of master key i (SRTP or SRTCP) with explicit values,
 * for vectors that publish session keys. kdr must be 0. Returns 0 or EINVAL. */
int cl_srtp_set_session_keys(struct cl_srtp *s, size_t i, bool rtcp, const uint8_t *enc_key,
			     const uint8_t *salt, const uint8_t *auth_key);

#endif
