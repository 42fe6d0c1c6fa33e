/* SRTP (RFC 3711 §3.3, RFC 7714 §8): protect and unprotect RTP in place.
 * Layout, AES-CM/f8/NULL:  header | payload' | MKI | tag        (RFC 3711 §3.1)
 * Layout, AEAD:            header | payload' | tag | MKI        (RFC 7714 §8, libsrtp)
 * With UNENCRYPTED_SRTP an AEAD suite authenticates the whole packet as AAD. */
#include <openssl/crypto.h>

#include "packet.h"

/* RFC 3550 §5.1: 12 bytes, the CSRC list, then an optional extension. */
static int rtp_header_len(const uint8_t *p, size_t n, size_t *hl)
{
	size_t h;

	if (n < 12 || (p[0] >> 6) != 2 || n > CL_SRTP_MAX_PACKET)
		return CL_SRTP_ERR_SHORT;
	h = 12 + 4 * (size_t)(p[0] & 0x0f);
	if (p[0] & 0x10) {
		if (n < h + 4)
			return CL_SRTP_ERR_SHORT;
		h += 4 + 4 * (size_t)rd16(p + h + 2);
	}
	if (h > n)
		return CL_SRTP_ERR_SHORT;
	*hl = h;
	return 0;
}

/* Encrypts or decrypts the payload with AES-CM or f8 (the same operation). */
static int rtp_crypt(struct cl_srtp *s, struct cl_srtp_keys *ks, uint8_t *pkt, size_t hl,
		     size_t end, uint64_t idx)
{
	uint8_t iv[16];

	if (!s->enc[0] || end == hl)
		return 0;
	if (s->suite->cipher == CL_SRTP_CIPHER_AES_F8) {
		/* §4.1.2.2: IV = 0x00 || M || PT || SEQ || TS || SSRC || ROC */
		iv[0] = 0;
		memcpy(iv + 1, pkt + 1, 11);
		wr32(iv + 12, (uint32_t)(idx >> 16));
		return cl_srtp_f8_crypt(ks, iv, pkt + hl, end - hl);
	}
	cm_iv(iv, ks->salt, rd32(pkt + 8), idx);
	return cl_srtp_ctr_crypt(ks, iv, pkt + hl, end - hl);
}

/* RFC 3711 §4.2: tag = HMAC(auth key, authenticated portion || ROC), truncated. */
static void rtp_mac(const struct cl_srtp_keys *ks, const uint8_t *pkt, size_t end, uint64_t idx,
		    uint8_t mac[20])
{
	uint8_t roc[4];

	wr32(roc, (uint32_t)(idx >> 16));
	cl_hmac_sha1_2(&ks->mac, pkt, end, roc, 4, mac);
}

static int rtp_seal(struct cl_srtp *s, struct cl_srtp_keys *ks, uint8_t *pkt, size_t hl,
		    size_t n, uint64_t idx, size_t ki)
{
	size_t tag = s->tag_len[0];
	uint8_t mac[20];
	int err;

	if (s->suite->cipher == CL_SRTP_CIPHER_AES_GCM) {
		uint8_t iv[12];

		/* UNENCRYPTED_SRTP: the whole packet is AAD (RFC 7714 §16.1.3). */
		struct cl_srtp_aad aad = { pkt, s->enc[0] ? hl : n, NULL, 0 };

		gcm_iv(iv, ks->salt, rd32(pkt + 8), idx);
		err = cl_srtp_gcm_seal(ks, iv, &aad, pkt + hl, s->enc[0] ? n - hl : 0, pkt + n, tag);
		if (!err && s->mki_len)
			memcpy(pkt + n + tag, s->keys[ki].mki, s->mki_len);
		return err;
	}
	err = rtp_crypt(s, ks, pkt, hl, n, idx);
	if (err)
		return err;
	if (s->mki_len)
		memcpy(pkt + n, s->keys[ki].mki, s->mki_len);
	if (tag) {
		rtp_mac(ks, pkt, n, idx, mac);
		memcpy(pkt + n + s->mki_len, mac, tag);
	}
	return 0;
}

int cl_srtp_protect(struct cl_srtp *s, uint8_t *pkt, size_t *len, size_t cap)
{
	size_t n = *len, hl, ki = s->tx_key, trailer = s->mki_len + s->tag_len[0];
	struct cl_srtp_stream *st;
	struct cl_srtp_keys *ks;
	uint64_t idx;
	bool old;
	int err;

	err = rtp_header_len(pkt, n, &hl);
	if (err)
		return err;
	if (cap < n || cap - n < trailer)
		return CL_SRTP_ERR_CAPACITY;
	err = key_check(s, ki, 0);
	if (err)
		return err;
	st = cl_srtp_stream_find(s, rd32(pkt + 8));
	if (!st) {
		st = cl_srtp_stream_free_slot(s);
		if (!st)
			return CL_SRTP_ERR_STREAMS;
		cl_srtp_stream_claim(s, st, rd32(pkt + 8), s->roc_default);
	}
	idx = rtp_index(&st->rtp, st->roc_init, rd16(pkt + 2), &old);
	ks = keys_for(s, st, ki, 0, idx);
	if (!ks)
		return EIO;
	err = rtp_seal(s, ks, pkt, hl, n, idx, ki);
	if (err)
		return err;
	if (!st->rtp.init || idx > st->rtp.top) {
		st->rtp.top = idx;
		st->rtp.init = true;
	}
	key_use(s, ki, 0);
	*len = n + trailer;
	return 0;
}

/* Authenticates (and for AEAD decrypts) the packet; end = end of the payload. */
static int rtp_open(struct cl_srtp *s, struct cl_srtp_keys *ks, uint8_t *pkt, size_t hl,
		    size_t end, uint64_t idx)
{
	size_t tag = s->tag_len[0];
	uint8_t mac[20];

	if (s->suite->cipher == CL_SRTP_CIPHER_AES_GCM) {
		struct cl_srtp_aad aad = { pkt, s->enc[0] ? hl : end, NULL, 0 };
		uint8_t iv[12];

		gcm_iv(iv, ks->salt, rd32(pkt + 8), idx);
		return cl_srtp_gcm_open(ks, iv, &aad, pkt + hl, s->enc[0] ? end - hl : 0, pkt + end,
					tag);
	}
	if (tag) {
		rtp_mac(ks, pkt, end, idx, mac);
		if (CRYPTO_memcmp(mac, pkt + end + s->mki_len, tag) != 0)
			return CL_SRTP_ERR_AUTH;
	}
	return rtp_crypt(s, ks, pkt, hl, end, idx);
}

int cl_srtp_unprotect(struct cl_srtp *s, uint8_t *pkt, size_t *len)
{
	size_t n = *len, hl, ki, end, trailer = s->mki_len + s->tag_len[0];
	bool aead = s->suite->cipher == CL_SRTP_CIPHER_AES_GCM, fresh, old;
	struct cl_srtp_stream *st;
	struct cl_srtp_keys *ks;
	uint64_t idx;
	int err;

	err = rtp_header_len(pkt, n, &hl);
	if (err)
		return err;
	if (n - hl < trailer)
		return CL_SRTP_ERR_SHORT;
	end = n - trailer;
	err = key_for_mki(s, aead ? pkt + n - s->mki_len : pkt + end, &ki);
	if (!err)
		err = key_check(s, ki, 0);
	if (err)
		return err;
	st = rx_stream(s, rd32(pkt + 8), &fresh);
	idx = rtp_index(&st->rtp, fresh ? s->roc_default : st->roc_init, rd16(pkt + 2), &old);
	if (old || replay_check(s, &st->rtp, idx))
		return CL_SRTP_ERR_REPLAY;
	ks = keys_for(s, st, ki, 0, idx);
	if (!ks)
		return EIO;
	err = rtp_open(s, ks, pkt, hl, end, idx);
	if (err)
		return err;
	if (fresh && (err = rx_claim(s, st, rd32(pkt + 8))) != 0)
		return err;
	replay_accept(s, &st->rtp, idx);
	key_use(s, ki, 0);
	*len = end;
	return 0;
}
