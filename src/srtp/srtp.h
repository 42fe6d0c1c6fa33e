/* cipherline SRTP/SRTCP: RFC 3711 (AES-CM, f8, HMAC-SHA1, key derivation),
 * RFC 6188 (AES-192/256), RFC 7714 (AES-GCM), RFC 4568 suite names.
 *
 * One session (struct cl_srtp) holds the master keys of one direction of one
 * leg, as an a=crypto line describes them, and a stream per SSRC. Protect and
 * unprotect work in place: the caller's buffer must have room for the trailer
 * (cl_srtp_overhead()), and every call states the buffer's capacity.
 *
 * The per-packet path never allocates. Key material is wiped on free; tags are
 * compared with CRYPTO_memcmp. A session is not thread-safe: one per worker. */
#ifndef CL_SRTP_H
#define CL_SRTP_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- errors (errno values, so they compose with the rest of cipherline) ---- */
#define CL_SRTP_ERR_AUTH EKEYREJECTED   /* authentication tag mismatch */
#define CL_SRTP_ERR_REPLAY EALREADY     /* seen before, or older than the window */
#define CL_SRTP_ERR_SHORT EBADMSG       /* truncated or not RTP/RTCP version 2 */
#define CL_SRTP_ERR_MKI ENOKEY          /* MKI names no master key of this session */
#define CL_SRTP_ERR_EXHAUSTED EKEYEXPIRED /* master key used up its lifetime */
#define CL_SRTP_ERR_CAPACITY ENOBUFS    /* output buffer too small for the trailer */
#define CL_SRTP_ERR_STREAMS ENOSPC      /* new SSRC but the session's stream limit is hit */

/* Returns a short operator-facing name for an error above: "auth", "replay", "short",
 * "mki", "exhausted", "capacity", "streams", "invalid", or "error". */
const char *cl_srtp_strerror(int err);

/* ---- suites ---- */
enum cl_srtp_cipher {
	CL_SRTP_CIPHER_NULL,
	CL_SRTP_CIPHER_AES_CM,  /* RFC 3711 §4.1.1, RFC 6188 */
	CL_SRTP_CIPHER_AES_F8,  /* RFC 3711 §4.1.2 */
	CL_SRTP_CIPHER_AES_GCM, /* RFC 7714 */
};

enum cl_srtp_auth {
	CL_SRTP_AUTH_NULL,
	CL_SRTP_AUTH_HMAC_SHA1, /* RFC 3711 §4.2.1 */
	CL_SRTP_AUTH_AEAD,      /* the GCM tag itself */
};

enum cl_srtp_suite_id {
	CL_SRTP_AES_CM_128_HMAC_SHA1_80,
	CL_SRTP_AES_CM_128_HMAC_SHA1_32,
	CL_SRTP_AES_192_CM_HMAC_SHA1_80,
	CL_SRTP_AES_192_CM_HMAC_SHA1_32,
	CL_SRTP_AES_256_CM_HMAC_SHA1_80,
	CL_SRTP_AES_256_CM_HMAC_SHA1_32,
	CL_SRTP_AEAD_AES_128_GCM,
	CL_SRTP_AEAD_AES_256_GCM,
	CL_SRTP_AEAD_AES_128_GCM_8,
	CL_SRTP_AEAD_AES_256_GCM_8,
	CL_SRTP_F8_128_HMAC_SHA1_80,
	CL_SRTP_AES_CM_128_NULL_AUTH,
	CL_SRTP_NULL_HMAC_SHA1_80,
	CL_SRTP_NULL_HMAC_SHA1_32,
	CL_SRTP_SUITE_COUNT
};

struct cl_srtp_suite {
	enum cl_srtp_suite_id id;
	const char *name;          /* SDES name (RFC 4568 §6.2, RFC 6188, RFC 7714) */
	const char *aliases[2];    /* older spellings accepted on input; NULL = none */
	enum cl_srtp_cipher cipher;
	enum cl_srtp_auth auth;
	uint8_t key_len;           /* master key and session encryption key, bytes */
	uint8_t salt_len;          /* master salt and session salt, bytes */
	uint8_t auth_key_len;      /* session authentication key, bytes (0 = none) */
	uint8_t srtp_tag_len;      /* bytes of tag on SRTP */
	uint8_t srtcp_tag_len;     /* bytes of tag on SRTCP (80 bits for the _32 suites) */
	uint64_t srtp_lifetime;    /* maximum packets per master key: 2^48 */
	uint64_t srtcp_lifetime;   /* 2^31 */
};

/* Returns the suite with this SDES name or alias (exact case), or NULL. */
const struct cl_srtp_suite *cl_srtp_suite_find(const char *name, size_t len);
/* Returns the suite for an id, or NULL when out of range. */
const struct cl_srtp_suite *cl_srtp_suite_get(enum cl_srtp_suite_id id);

/* ---- sessions ---- */
#define CL_SRTP_MAX_KEYS 16
#define CL_SRTP_MAX_KEY_LEN 32
#define CL_SRTP_MAX_SALT_LEN 14
#define CL_SRTP_MAX_MKI_LEN 128
#define CL_SRTP_MAX_TAG_LEN 16
/* Bytes protect may append: SRTCP E‖index, MKI, tag. */
#define CL_SRTP_MAX_TRAILER (4 + CL_SRTP_MAX_MKI_LEN + CL_SRTP_MAX_TAG_LEN)
#define CL_SRTP_WINDOW_DEFAULT 128
#define CL_SRTP_WINDOW_MIN 64
#define CL_SRTP_WINDOW_MAX 32768
#define CL_SRTP_STREAMS_DEFAULT 32
#define CL_SRTP_STREAMS_MAX 4096

struct cl_srtp_master_key {
	const uint8_t *key_salt; /* key ‖ salt, as an SDES inline: carries them */
	const uint8_t *mki;      /* MKI value, mki_len bytes; NULL when mki_len is 0 */
	size_t mki_len;          /* 0, or 1..128; the same for every key of a session */
	uint64_t lifetime;       /* packets; 0 = the suite's maximum */
};

enum cl_srtp_event {
	CL_SRTP_EV_KEY_SOFT_LIMIT, /* 2^16 packets left on a master key */
	CL_SRTP_EV_KEY_EXHAUSTED,  /* a master key hit its lifetime: rekey now */
};

/* Event callback; runs on the packet path, so it must not free the session. */
typedef void(cl_srtp_event_h)(enum cl_srtp_event ev, size_t key_index, bool rtcp,
			     void *arg);

struct cl_srtp_params {
	const struct cl_srtp_suite *suite;
	const struct cl_srtp_master_key *keys; /* 1..CL_SRTP_MAX_KEYS master keys */
	size_t nkeys;
	uint32_t kdr;              /* key derivation rate: 0, or a power of 2 up to 2^24 */
	bool unencrypted_srtp;     /* RFC 4568 §6.3.5 session parameters; with GCM this is */
	                           /* authentication only (RFC 7714 §16.1.3) */
	bool unencrypted_srtcp;
	bool unauthenticated_srtp;
	unsigned window;           /* replay window 64..32768; 0 = 128 */
	unsigned max_streams;      /* SSRCs per session; 0 = CL_SRTP_STREAMS_DEFAULT */
	uint32_t roc;              /* ROC assumed for an SSRC not seen yet (usually 0) */
	cl_srtp_event_h *eventh;
	void *arg;
};

struct cl_srtp;

/* Creates a session. Returns 0, EINVAL for bad parameters (naming the field in the
 * log), or ENOMEM. All memory, including every stream slot, is allocated here. */
int cl_srtp_alloc(struct cl_srtp **sp, const struct cl_srtp_params *prm);
/* Wipes and frees the session; NULL is ignored. */
void cl_srtp_free(struct cl_srtp *s);

/* Encrypts and authenticates the RTP packet pkt[0..*len) in place; *len grows by the
 * MKI and tag. cap is the buffer's size. Returns 0 or a CL_SRTP_ERR_* value. */
int cl_srtp_protect(struct cl_srtp *s, uint8_t *pkt, size_t *len, size_t cap);
/* Verifies, replay-checks and decrypts an SRTP packet in place; *len shrinks to the
 * RTP packet. A new SSRC gets a stream only once its first packet authenticates. */
int cl_srtp_unprotect(struct cl_srtp *s, uint8_t *pkt, size_t *len);
/* The same for (compound) RTCP; adds E‖SRTCP index, MKI and tag. */
int cl_srtcp_protect(struct cl_srtp *s, uint8_t *pkt, size_t *len, size_t cap);
/* Verifies, replay-checks and decrypts an SRTCP packet in place. */
int cl_srtcp_unprotect(struct cl_srtp *s, uint8_t *pkt, size_t *len);

/* Returns the most bytes protect appends (SRTP or SRTCP) for this session. */
size_t cl_srtp_overhead(const struct cl_srtp *s, bool rtcp);
/* Sets the ROC of an SSRC (creating its stream). For a stream already receiving, the
 * replay window restarts at ROC‖(highest SEQ seen), with only that index marked seen.
 * Returns 0 or CL_SRTP_ERR_STREAMS. */
int cl_srtp_set_roc(struct cl_srtp *s, uint32_t ssrc, uint32_t roc);
/* Reads the ROC of a known SSRC. Returns 0 or ENOENT. */
int cl_srtp_get_roc(const struct cl_srtp *s, uint32_t ssrc, uint32_t *roc);
/* Sets the next SRTCP index protect sends for ssrc (creating its stream), e.g. to
 * continue after a restart. Returns 0, EINVAL above 2^31-1, or CL_SRTP_ERR_STREAMS. */
int cl_srtcp_set_index(struct cl_srtp *s, uint32_t ssrc, uint32_t next_index);
/* Chooses which master key protect uses from now on. Returns 0 or EINVAL. */
int cl_srtp_select_key(struct cl_srtp *s, size_t key_index);
/* Returns how many SRTP (or SRTCP) packets a master key has processed. */
uint64_t cl_srtp_key_used(const struct cl_srtp *s, size_t key_index, bool rtcp);

#endif
