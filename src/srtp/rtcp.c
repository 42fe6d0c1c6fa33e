/* SRTCP (RFC 3711 §3.4, RFC 7714 §9): protect and unprotect (compound) RTCP in place.
 * Layout, AES-CM/f8/NULL:  header(8) | rest' | E‖index | MKI | tag
 * Layout, AEAD:            header(8) | rest' | tag | E‖index | MKI
 * The E bit says whether rest' is encrypted; it is authenticated, so it is trusted. */
#include <openssl/crypto.h>

#include "packet.h"

#define E_BIT 0x80000000u

static int rtcp_check(const uint8_t *pkt, size_t n)
{
	if (n < 8 || (pkt[0] >> 6) != 2 || n > CL_SRTP_MAX_PACKET)
		return CL_SRTP_ERR_SHORT;
	return 0;
}

/* AES-CM or f8 over rest (from byte 8 to end); eidx is E‖index. */
static int rtcp_crypt(struct cl_srtp *s, struct cl_srtp_keys *ks, uint8_t *pkt, size_t end,
		      uint32_t eidx)
{
	uint8_t iv[16];

	if (end == 8)
		return 0;
	if (s->suite->cipher == CL_SRTP_CIPHER_AES_F8) {
		/* §4.1.2.3: IV = 0..0 (32 bits) || E || SRTCP index || V..SSRC (64 bits) */
		memset(iv, 0, 4);
		wr32(iv + 4, eidx);
		memcpy(iv + 8, pkt, 8);
		return cl_srtp_f8_crypt(ks, iv, pkt + 8, end - 8);
	}
	cm_iv(iv, ks->salt, rd32(pkt + 4), eidx & ~E_BIT);
	return cl_srtp_ctr_crypt(ks, iv, pkt + 8, end - 8);
}

static int rtcp_seal_gcm(struct cl_srtp *s, struct cl_srtp_keys *ks, uint8_t *pkt, size_t n,
			 uint32_t eidx)
{
	size_t tag = s->tag_len[1];
	uint8_t iv[12], *trailer = pkt + n + tag;
	bool enc = eidx & E_BIT;
	/* §9.1: AAD = header ‖ E‖index when encrypting; the whole packet ‖ E‖index when not. */
	struct cl_srtp_aad aad = { pkt, enc ? 8 : n, trailer, 4 };

	wr32(trailer, eidx);
	gcm_iv(iv, ks->salt, rd32(pkt + 4), eidx & ~E_BIT);
	return cl_srtp_gcm_seal(ks, iv, &aad, pkt + 8, enc ? n - 8 : 0, pkt + n, tag);
}

int cl_srtcp_protect(struct cl_srtp *s, uint8_t *pkt, size_t *len, size_t cap)
{
	size_t n = *len, ki = s->tx_key, tag = s->tag_len[1];
	size_t trailer = 4 + s->mki_len + tag;
	struct cl_srtp_stream *st;
	struct cl_srtp_keys *ks;
	uint32_t eidx;
	int err;

	err = rtcp_check(pkt, n);
	if (err)
		return err;
	if (cap < n || cap - n < trailer)
		return CL_SRTP_ERR_CAPACITY;
	err = key_check(s, ki, 1);
	if (err)
		return err;
	st = cl_srtp_stream_find(s, rd32(pkt + 4));
	if (!st) {
		st = cl_srtp_stream_free_slot(s);
		if (!st)
			return CL_SRTP_ERR_STREAMS;
		cl_srtp_stream_claim(s, st, rd32(pkt + 4), s->roc_default);
	}
	if (st->rtcp_tx > 0x7fffffffu)
		return CL_SRTP_ERR_EXHAUSTED;
	eidx = st->rtcp_tx | (s->enc[1] ? E_BIT : 0);
	ks = keys_for(s, st, ki, 1, st->rtcp_tx);
	if (!ks)
		return EIO;
	if (s->suite->cipher == CL_SRTP_CIPHER_AES_GCM) {
		err = rtcp_seal_gcm(s, ks, pkt, n, eidx);
		if (!err && s->mki_len)
			memcpy(pkt + n + tag + 4, s->keys[ki].mki, s->mki_len);
	} else {
		uint8_t mac[20];

		err = (eidx & E_BIT) ? rtcp_crypt(s, ks, pkt, n, eidx) : 0;
		wr32(pkt + n, eidx);
		if (!err && s->mki_len)
			memcpy(pkt + n + 4, s->keys[ki].mki, s->mki_len);
		if (!err) {
			cl_hmac_sha1_2(&ks->mac, pkt, n + 4, NULL, 0, mac);
			memcpy(pkt + n + 4 + s->mki_len, mac, tag);
		}
	}
	if (err)
		return err;
	st->rtcp_tx++;
	key_use(s, ki, 1);
	*len = n + trailer;
	return 0;
}

/* Locates the trailer fields of a received SRTCP packet; returns SHORT if too small. */
struct rtcp_parts {
	size_t end;        /* end of the (encrypted) RTCP data */
	const uint8_t *eidx;
	const uint8_t *mki;
	uint8_t *tag;
};

static int rtcp_split(const struct cl_srtp *s, uint8_t *pkt, size_t n, struct rtcp_parts *p)
{
	size_t tag = s->tag_len[1], trailer = 4 + s->mki_len + tag;

	if (n - 8 < trailer)
		return CL_SRTP_ERR_SHORT;
	p->end = n - trailer;
	if (s->suite->cipher == CL_SRTP_CIPHER_AES_GCM) {
		p->tag = pkt + p->end;
		p->eidx = p->tag + tag;
		p->mki = p->eidx + 4;
	} else {
		p->eidx = pkt + p->end;
		p->mki = p->eidx + 4;
		p->tag = (uint8_t *)p->mki + s->mki_len;
	}
	return 0;
}

static int rtcp_open(struct cl_srtp *s, struct cl_srtp_keys *ks, uint8_t *pkt,
		     const struct rtcp_parts *p, uint32_t eidx)
{
	bool enc = (eidx & E_BIT) && s->suite->cipher != CL_SRTP_CIPHER_NULL;
	uint8_t mac[20];

	if (s->suite->cipher == CL_SRTP_CIPHER_AES_GCM) {
		struct cl_srtp_aad aad = { pkt, enc ? 8 : p->end, p->eidx, 4 };
		uint8_t iv[12];

		gcm_iv(iv, ks->salt, rd32(pkt + 4), eidx & ~E_BIT);
		return cl_srtp_gcm_open(ks, iv, &aad, pkt + 8, enc ? p->end - 8 : 0, p->tag,
					s->tag_len[1]);
	}
	cl_hmac_sha1_2(&ks->mac, pkt, p->end + 4, NULL, 0, mac);
	if (CRYPTO_memcmp(mac, p->tag, s->tag_len[1]) != 0)
		return CL_SRTP_ERR_AUTH;
	return enc ? rtcp_crypt(s, ks, pkt, p->end, eidx) : 0;
}

int cl_srtcp_unprotect(struct cl_srtp *s, uint8_t *pkt, size_t *len)
{
	struct rtcp_parts p;
	struct cl_srtp_stream *st;
	struct cl_srtp_keys *ks;
	size_t ki;
	uint32_t eidx;
	bool fresh;
	int err;

	err = rtcp_check(pkt, *len);
	if (!err)
		err = rtcp_split(s, pkt, *len, &p);
	if (!err)
		err = key_for_mki(s, p.mki, &ki);
	if (!err)
		err = key_check(s, ki, 1);
	if (err)
		return err;
	eidx = rd32(p.eidx);
	st = rx_stream(s, rd32(pkt + 4), &fresh);
	if (replay_check(s, &st->rtcp, eidx & ~E_BIT))
		return CL_SRTP_ERR_REPLAY;
	ks = keys_for(s, st, ki, 1, eidx & ~E_BIT);
	if (!ks)
		return EIO;
	err = rtcp_open(s, ks, pkt, &p, eidx);
	if (err)
		return err;
	if (fresh && (err = rx_claim(s, st, rd32(pkt + 4))) != 0)
		return err;
	replay_accept(s, &st->rtcp, eidx & ~E_BIT);
	key_use(s, ki, 1);
	*len = p.end;
	return 0;
}
