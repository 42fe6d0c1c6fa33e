/* Helpers shared by the SRTP and SRTCP packet transforms, inline for the hot path. */
#ifndef CL_SRTP_PACKET_H
#define CL_SRTP_PACKET_H

#include <string.h>

#include "srtp_int.h"

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Largest packet we hand to EVP (int lengths) with room for the trailer. */
#define CL_SRTP_MAX_PACKET (1u << 20)

/* ---- replay (RFC 3711 §3.3.2), a ring of bits indexed by index mod ring_bits ---- */

static inline bool replay_bit(const struct cl_srtp *s, const struct cl_srtp_replay *r,
			      uint64_t idx)
{
	uint64_t pos = idx & (s->ring_bits - 1);

	return (r->bits[pos >> 6] >> (pos & 63)) & 1;
}

/* Returns 0 when idx may be new, CL_SRTP_ERR_REPLAY when seen or too old. */
static inline int replay_check(const struct cl_srtp *s, const struct cl_srtp_replay *r,
			       uint64_t idx)
{
	if (!r->init || idx > r->top)
		return 0;
	if (r->top - idx >= s->window || replay_bit(s, r, idx))
		return CL_SRTP_ERR_REPLAY;
	return 0;
}

/* Clears the ring bits for indices from+1..to (to > from). */
static inline void replay_clear(const struct cl_srtp *s, struct cl_srtp_replay *r,
				uint64_t from, uint64_t to)
{
	uint64_t mask = s->ring_bits - 1;

	if (to - from >= s->ring_bits) {
		memset(r->bits, 0, s->ring_bits / 8);
		return;
	}
	for (uint64_t i = from + 1; i <= to;) {
		uint64_t pos = i & mask;

		if ((pos & 63) == 0 && to - i >= 63) {
			r->bits[pos >> 6] = 0;
			i += 64;
		} else {
			r->bits[pos >> 6] &= ~(1ULL << (pos & 63));
			i++;
		}
	}
}

/* Records an authenticated index: slides the window forward when idx is newer. */
static inline void replay_accept(const struct cl_srtp *s, struct cl_srtp_replay *r, uint64_t idx)
{
	uint64_t pos = idx & (s->ring_bits - 1);

	if (!r->init) {
		memset(r->bits, 0, s->ring_bits / 8);
		r->top = idx;
		r->init = true;
	} else if (idx == r->top + 1) {
		/* In order, the common case: the bit for idx is set below anyway. */
		r->top = idx;
	} else if (idx > r->top) {
		replay_clear(s, r, r->top, idx);
		r->top = idx;
	}
	r->bits[pos >> 6] |= 1ULL << (pos & 63);
}

/* RFC 3711 §3.3.1 and Appendix A: the packet index from the highest index seen and
 * the sequence number. Sets *old when the guess falls before ROC 0. */
static inline uint64_t rtp_index(const struct cl_srtp_replay *r, uint32_t roc0, uint16_t seq,
				 bool *old)
{
	uint32_t roc;
	uint16_t s_l;

	*old = false;
	if (!r->init)
		return ((uint64_t)roc0 << 16) | seq;
	roc = (uint32_t)(r->top >> 16);
	s_l = (uint16_t)r->top;
	if (s_l < 32768) {
		if (seq > s_l && seq - s_l > 32768) {
			if (roc == 0) {
				*old = true;
				return seq;
			}
			roc--;
		}
	} else if (s_l - 32768 > seq) {
		roc++;
	}
	return ((uint64_t)roc << 16) | seq;
}

/* ---- keys ---- */

/* Returns the session keys for master key ki at index idx, re-deriving them when
 * KDR is not 0 and r = idx DIV kdr changed (RFC 3711 §4.3.1); NULL on failure. */
static inline struct cl_srtp_keys *keys_for(struct cl_srtp *s, struct cl_srtp_stream *st,
					    size_t ki, int rtcp, uint64_t idx)
{
	struct cl_srtp_keys *ks;
	uint64_t r;

	if (!s->kdr)
		return &s->keys[ki].ks[rtcp];
	ks = &st->kdr_ks[ki * 2 + (size_t)rtcp];
	r = idx >> s->kdr_log2;
	if (!ks->ready || ks->r != r) {
		if (cl_srtp_keys_derive(ks, s->suite, &s->keys[ki], rtcp, r) != 0)
			return NULL;
	}
	return ks;
}

/* Returns 0 when master key ki may process one more packet. */
static inline int key_check(const struct cl_srtp *s, size_t ki, int rtcp)
{
	const struct cl_srtp_mkey *mk = &s->keys[ki];

	return mk->used[rtcp] >= mk->max[rtcp] ? CL_SRTP_ERR_EXHAUSTED : 0;
}

/* Counts one packet against master key ki and raises the lifetime events. */
static inline void key_use(struct cl_srtp *s, size_t ki, int rtcp)
{
	struct cl_srtp_mkey *mk = &s->keys[ki];
	uint64_t used = ++mk->used[rtcp];

	if (!s->eventh)
		return;
	if (!mk->soft_told[rtcp] && mk->max[rtcp] > (1u << 16) &&
	    used >= mk->max[rtcp] - (1u << 16)) {
		mk->soft_told[rtcp] = true;
		s->eventh(CL_SRTP_EV_KEY_SOFT_LIMIT, ki, rtcp, s->arg);
	}
	if (used == mk->max[rtcp])
		s->eventh(CL_SRTP_EV_KEY_EXHAUSTED, ki, rtcp, s->arg);
}

/* Picks the master key a received packet names by its MKI (or the selected key). */
static inline int key_for_mki(const struct cl_srtp *s, const uint8_t *mki, size_t *ki)
{
	if (!s->mki_len) {
		*ki = s->tx_key;
		return 0;
	}
	for (size_t i = 0; i < s->nkeys; i++) {
		if (memcmp(s->keys[i].mki, mki, s->mki_len) == 0) {
			*ki = i;
			return 0;
		}
	}
	return CL_SRTP_ERR_MKI;
}

/* Finds the stream of ssrc, or the slot a new SSRC would take (*fresh). When the
 * session is full that is the scratch slot: the packet is still authenticated, so a
 * forgery counts as "auth" and only a genuine new SSRC as "streams". */
static inline struct cl_srtp_stream *rx_stream(struct cl_srtp *s, uint32_t ssrc, bool *fresh)
{
	struct cl_srtp_stream *st = cl_srtp_stream_find(s, ssrc);

	*fresh = st == NULL;
	if (!st) {
		st = cl_srtp_stream_free_slot(s);
		if (!st)
			st = &s->streams[s->nstreams];
		st->rtp.init = false;
		st->rtcp.init = false;
	}
	return st;
}

/* Takes the slot rx_stream chose for a new SSRC once its packet authenticated. */
static inline int rx_claim(struct cl_srtp *s, struct cl_srtp_stream *st, uint32_t ssrc)
{
	if (st == &s->streams[s->nstreams])
		return CL_SRTP_ERR_STREAMS;
	cl_srtp_stream_claim(s, st, ssrc, s->roc_default);
	return 0;
}

/* ---- IVs ---- */

static inline uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return __builtin_bswap64(v);
}

static inline void wr64(uint8_t *p, uint64_t v)
{
	v = __builtin_bswap64(v);
	memcpy(p, &v, 8);
}

/* AES-CM (RFC 3711 §4.1.1): IV = (salt*2^16) XOR (SSRC*2^64) XOR (index*2^16). The
 * session salt is kept zero-padded to 16 bytes, so this is two 64-bit XORs. */
static inline void cm_iv(uint8_t iv[16], const uint8_t salt[16], uint32_t ssrc, uint64_t idx)
{
	wr64(iv, rd64(salt) ^ ssrc);
	wr64(iv + 8, rd64(salt + 8) ^ (idx << 16));
}

/* AES-GCM (RFC 7714 §8.1, §9.1): IV = (0x0000 || SSRC || v48) XOR salt, where v48 is
 * ROC || SEQ for SRTP and 0x0000 || 0 || SRTCP index for SRTCP. */
static inline void gcm_iv(uint8_t iv[12], const uint8_t salt[16], uint32_t ssrc, uint64_t v48)
{
	wr64(iv, rd64(salt) ^ ((uint64_t)ssrc << 16) ^ (v48 >> 32));
	wr32(iv + 8, rd32(salt + 8) ^ (uint32_t)v48);
}

#endif
