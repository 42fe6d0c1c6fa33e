/* cipherline SDES (RFC 4568): the a=crypto grammar, key generation, and the SDES
 * offer/answer engine with the 488 rules. Sans-I/O: inputs are parsed SDP and
 * settings, outputs are SDP edits, crypto state and verdicts with reasons. */
#ifndef CL_SDES_H
#define CL_SDES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "sdp/sdp.h"
#include "srtp/srtp.h"

/* ---- the a=crypto line (RFC 4568 §9.1) ---- */

#define CL_SDES_MAX_KEYS 4      /* inline: key-params per line we accept */
#define CL_SDES_LINE_MAX 512    /* longest a=crypto value we emit */

struct cl_sdes_key {
	uint8_t key_salt[CL_SRTP_MAX_KEY_LEN + CL_SRTP_MAX_SALT_LEN];
	uint8_t mki_len;         /* MKI length in bytes, 1..128; 0 = no MKI */
	size_t len;              /* decoded length; must equal suite key_len + salt_len */
	uint64_t lifetime;       /* packets; 0 = not given */
	uint64_t mki;            /* MKI value (decimal in SDP); fits in mki_len bytes */
};

struct cl_sdes_crypto {
	uint32_t tag;            /* 1..9 digits */
	struct cl_slice suite_name;
	const struct cl_srtp_suite *suite; /* NULL: unknown suite */
	struct cl_sdes_key keys[CL_SDES_MAX_KEYS];
	size_t nkeys;
	uint32_t kdr;            /* 0, or the rate 2^n from KDR=n */
	bool unencrypted_srtp, unencrypted_srtcp, unauthenticated_srtp;
	unsigned wsh;            /* WSH=n window size hint; 0 = absent */
	bool usable;             /* false: ignore this line (why says the reason) */
	const char *why;         /* static string naming the field, e.g. "key: 42 bytes, AEAD_AES_256_GCM needs 44" is formatted into why_buf */
	char why_buf[96];
};

/* Parses an a=crypto value (the text after "a=crypto:"). Returns 0 with c->usable set;
 * a line whose suite, key or parameter we cannot use is parsed as far as its tag and
 * returned with usable=false and why set. Returns EBADMSG (with why) when even the tag
 * cannot be read. Keys are wiped by cl_sdes_crypto_wipe. */
int cl_sdes_parse(struct cl_sdes_crypto *c, struct cl_slice value);
/* Formats c as an a=crypto value: "<tag> <suite> inline:<padded b64>[|lifetime][|mki:len]
 * [params]". Lifetimes that are powers of two are written 2^n. Returns 0 or ENOBUFS. */
int cl_sdes_format(const struct cl_sdes_crypto *c, char *out, size_t cap, size_t *len);
/* Wipes the key material in c. */
void cl_sdes_crypto_wipe(struct cl_sdes_crypto *c);
/* Fills c with tag, suite and one fresh key from OpenSSL's CSPRNG, plus the lifetime and
 * MKI to emit (0 = none). Returns 0 or EIO. */
int cl_sdes_generate(struct cl_sdes_crypto *c, uint32_t tag, const struct cl_srtp_suite *su,
		     uint64_t lifetime, uint8_t mki_len);
/* Writes k's MKI as it goes on the wire: the value big-endian in mki_len bytes
 * (RFC 3711 §3.1; nothing when mki_len is 0). */
void cl_sdes_mki_bytes(const struct cl_sdes_key *k, uint8_t out[CL_SRTP_MAX_MKI_LEN]);
/* Fills SRTP parameters from a usable crypto line. p points into keys, keys point into c
 * (key_salt) and into mki (the MKI bytes): c, keys and mki must all outlive p, i.e. stay
 * until cl_srtp_alloc has returned. Returns 0 or EINVAL. */
int cl_sdes_srtp_params(const struct cl_sdes_crypto *c, struct cl_srtp_params *p,
			struct cl_srtp_master_key keys[CL_SDES_MAX_KEYS],
			uint8_t mki[CL_SDES_MAX_KEYS][CL_SRTP_MAX_MKI_LEN]);

/* ---- settings: one direction of one connection ---- */

enum cl_sdes_mode {
	CL_SDES_OFF,      /* plain RTP; a=crypto with RTP/SAVP is refused (rule 2) */
	CL_SDES_OPTIONAL, /* best effort (RFC 8643 OSRTP): RTP/AVP with a=crypto */
	CL_SDES_REQUIRED, /* RTP/SAVP with a=crypto, or 488 */
};

enum cl_sdes_order {
	CL_SDES_ORDER_OFFERER, /* answer the offerer's first allowed line (default) */
	CL_SDES_ORDER_OURS,    /* answer the line whose suite is first in our list */
};

struct cl_sdes_settings {
	enum cl_sdes_mode mode;
	enum cl_srtp_suite_id suites[CL_SRTP_SUITE_COUNT]; /* allowed, in our order */
	size_t nsuites;
	enum cl_sdes_order order;
	uint64_t emit_lifetime;   /* lifetime to write on our lines (0 = none), e.g. 2^31 */
	uint8_t emit_mki_len;     /* MKI length to write (0 = none), e.g. 1 for "|2^31|1:1" */
	bool requires_tls;        /* SDES only over TLS (rule 6); default true */
	bool allow_weakened;      /* accept lines with UNENCRYPTED_SRTP, UNENCRYPTED_SRTCP or
	                             UNAUTHENTICATED_SRTP (echoed in our answer, RFC 4568
	                             §6.3.3); default false: such lines are not allowed */
};

/* Fills the defaults: SRTP off, every suite but the NULL ones allowed (GCM, then
 * AES_CM 256/128 _80, _32, GCM_8, AES_192, F8), offerer's order, TLS required. */
void cl_sdes_settings_default(struct cl_sdes_settings *set);

/* ---- the 488 rules (issue 3 §4), one function ---- */

/* What one media section of an SDP shows, as the rules need it. */
struct cl_sdes_facts {
	bool answer;          /* an answer to our offer (inbound call); else an offer to us */
	bool over_tls;        /* the SDP arrived over TLS */
	bool savp;            /* RTP/SAVP or RTP/SAVPF */
	bool dtls;            /* UDP/TLS/RTP/SAVP(F): DTLS-SRTP, not SDES */
	size_t ncrypto;       /* a=crypto lines present */
	size_t nusable;       /* of which usable */
	bool allowed;         /* offer: a usable line has an allowed suite;
	                         answer: its line answers one we offered, same suite */
	bool we_offered_crypto; /* answer: our offer carried a=crypto */
	const char *detail;   /* why nothing was allowed / usable, for the reason text */
};

enum cl_sdes_outcome {
	CL_SDES_ACCEPT,         /* go on; srtp says whether this stream is SRTP */
	CL_SDES_REJECT_STREAM,  /* port 0 for this m-line (RFC 3264 §6) */
	CL_SDES_REJECT_SESSION, /* 488 (offer) or refuse the establishment (answer) */
};

struct cl_sdes_decision {
	enum cl_sdes_outcome outcome;
	bool srtp;            /* ACCEPT: SRTP on this stream */
	int rule;             /* the rule 1..6 that refused; 7 = answer mismatches offer */
	char reason[160];     /* for Warning: 399 <host> "<reason>" and the logs */
};

/* Decides one media section against the settings. Pure function. */
void cl_sdes_decide(const struct cl_sdes_settings *set, const struct cl_sdes_facts *f,
		    struct cl_sdes_decision *d);

/* ---- offer/answer over whole SDPs (sans-I/O) ---- */

#define CL_SDES_MAX_LINES 16  /* a=crypto lines read per m-line; more are ignored */

/* The SDES state of one m-line of a leg. */
struct cl_sdes_stream {
	bool rtp;             /* an RTP m-line we handle (else left alone) */
	bool srtp;            /* SRTP negotiated on it */
	bool new_tx_key;      /* last exchange: our key is new (new sender context, ROC 0) */
	bool new_rx_key;      /* last exchange: their key is new (new receiver context, ROC 0) */
	struct cl_sdes_crypto local;  /* our line: the key we protect with */
	struct cl_sdes_crypto remote; /* their line: the key we unprotect with */
	size_t noffered;      /* our pending offer */
	struct cl_sdes_crypto offered[CL_SRTP_SUITE_COUNT];
	bool offered_savp;
};

/* The SDES state of a leg: one stream per m-line, in order, allocated when an exchange
 * first reaches that m-line: st[m] is non-NULL exactly for m < nstreams. Zero it before
 * first use (a zeroed leg is the initial state); free with cl_sdes_leg_wipe. */
struct cl_sdes_leg {
	size_t nstreams;
	struct cl_sdes_stream *st[CL_SDP_MAX_MEDIA];
};

/* Answers an offer that arrived from a connection (its outbound settings). leg holds
 * the previous state on a re-offer (RFC 4568 §7.1.4) and gets the new one. The edit
 * plan (over the offer) gets the answer's proto, port 0 and a=crypto lines; the caller
 * adds addresses and ports. Returns 0, or an errno for internal failures (ENOMEM, with
 * the leg as it was); the policy outcome is in *v (REJECT_SESSION: answer 488 with
 * v->reason, and the leg is as it was). */
int cl_sdes_answer(const struct cl_sdes_settings *set, bool over_tls, const struct cl_sdp *offer,
		   struct cl_sdes_leg *leg, struct cl_sdp_edit *answer, struct cl_sdes_decision *v);

/* Builds our offer towards a connection (its inbound settings) over base, the SDP we are
 * about to send. A re-offer (leg has SRTP) repeats the running tag, suite and key unless
 * rekey is set. Returns 0 or an errno (ENOMEM, with the leg as it was). */
int cl_sdes_offer(const struct cl_sdes_settings *set, const struct cl_sdp *base, bool rekey,
		  struct cl_sdes_leg *leg, struct cl_sdp_edit *offer);

/* Checks the answer to our pending offer and settles the leg's state. Returns 0 or an
 * errno; the outcome is in *v (REJECT_SESSION: refuse the call, rules 3, 4, 7). */
int cl_sdes_process_answer(const struct cl_sdes_settings *set, bool over_tls,
			   const struct cl_sdp *answer, struct cl_sdes_leg *leg,
			   struct cl_sdes_decision *v);

/* Wipes every key in the leg, frees its streams and zeroes it, ready for reuse. */
void cl_sdes_leg_wipe(struct cl_sdes_leg *leg);
/* Wipes the keys of one stream and zeroes it; it stays allocated. NULL is ignored. */
void cl_sdes_leg_wipe_stream(struct cl_sdes_stream *st);

#endif
