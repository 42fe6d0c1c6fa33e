/* SRTP sessions: parameter checks, master keys, stream slots, ROC control.
 * Everything a session will ever need is allocated here, so the packet path never
 * allocates: stream slots, their replay rings, and (KDR != 0) their session keys. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "srtp_int.h"

#define MOD "srtp"

static int check_keys(const struct cl_srtp_params *prm)
{
	const struct cl_srtp_suite *su = prm->suite;

	if (prm->nkeys < 1 || prm->nkeys > CL_SRTP_MAX_KEYS || !prm->keys) {
		cl_warn(MOD, "keys: need 1..%d master keys, got %zu", CL_SRTP_MAX_KEYS, prm->nkeys);
		return EINVAL;
	}
	for (size_t i = 0; i < prm->nkeys; i++) {
		const struct cl_srtp_master_key *k = &prm->keys[i];

		if (!k->key_salt) {
			cl_warn(MOD, "keys[%zu].key_salt: missing", i);
			return EINVAL;
		}
		if (k->mki_len != prm->keys[0].mki_len || k->mki_len > CL_SRTP_MAX_MKI_LEN ||
		    (k->mki_len && !k->mki)) {
			cl_warn(MOD, "keys[%zu].mki_len: must be 0..%d and equal for all keys", i,
				CL_SRTP_MAX_MKI_LEN);
			return EINVAL;
		}
		if (k->lifetime > su->srtp_lifetime) {
			cl_warn(MOD, "keys[%zu].lifetime: above the suite maximum 2^48", i);
			return EINVAL;
		}
		for (size_t j = 0; j < i && k->mki_len; j++) {
			if (memcmp(k->mki, prm->keys[j].mki, k->mki_len) == 0) {
				cl_warn(MOD, "keys[%zu].mki: same MKI as keys[%zu]", i, j);
				return EINVAL;
			}
		}
	}
	if (prm->nkeys > 1 && prm->keys[0].mki_len == 0)
		cl_debug(MOD, "several master keys without MKI: select_key picks the one in use");
	return 0;
}

static int check_params(const struct cl_srtp_params *prm)
{
	const struct cl_srtp_suite *su = prm ? prm->suite : NULL;

	if (!su || (unsigned)su->id >= CL_SRTP_SUITE_COUNT || cl_srtp_suite_get(su->id) != su) {
		cl_warn(MOD, "suite: missing or unknown");
		return EINVAL;
	}
	if (prm->kdr && ((prm->kdr & (prm->kdr - 1)) || prm->kdr > (1u << 24))) {
		cl_warn(MOD, "kdr: must be 0 or a power of 2 up to 2^24, got %u", prm->kdr);
		return EINVAL;
	}
	if (prm->window && (prm->window < CL_SRTP_WINDOW_MIN || prm->window > CL_SRTP_WINDOW_MAX)) {
		cl_warn(MOD, "window: must be %d..%d, got %u", CL_SRTP_WINDOW_MIN, CL_SRTP_WINDOW_MAX,
			prm->window);
		return EINVAL;
	}
	if (prm->max_streams > CL_SRTP_STREAMS_MAX) {
		cl_warn(MOD, "max_streams: at most %d", CL_SRTP_STREAMS_MAX);
		return EINVAL;
	}
	if (su->cipher == CL_SRTP_CIPHER_AES_GCM && prm->unauthenticated_srtp) {
		/* An AEAD transform always authenticates (RFC 7714 §13.2); it can only skip
		 * encryption (§16.1.3). */
		cl_warn(MOD, "%s: UNAUTHENTICATED_SRTP does not apply to an AEAD suite", su->name);
		return EINVAL;
	}
	return check_keys(prm);
}

static unsigned ring_size(unsigned window)
{
	unsigned bits = 64;

	while (bits < window)
		bits <<= 1;
	return bits;
}

static int init_mkey(struct cl_srtp *s, size_t i, const struct cl_srtp_master_key *k)
{
	const struct cl_srtp_suite *su = s->suite;
	struct cl_srtp_mkey *mk = &s->keys[i];
	int err;

	memcpy(mk->key, k->key_salt, su->key_len);
	memcpy(mk->salt, k->key_salt + su->key_len, su->salt_len);
	if (k->mki_len)
		memcpy(mk->mki, k->mki, k->mki_len);
	mk->max[0] = k->lifetime ? k->lifetime : su->srtp_lifetime;
	mk->max[1] = k->lifetime ? CL_MIN(k->lifetime, su->srtcp_lifetime) : su->srtcp_lifetime;
	err = cl_srtp_kdf_init(&mk->kdf, mk->key, su->key_len);
	if (err)
		return err;
	for (int rtcp = 0; rtcp < 2; rtcp++) {
		err = cl_srtp_keys_init(&mk->ks[rtcp], su);
		if (!err && !s->kdr)
			err = cl_srtp_keys_derive(&mk->ks[rtcp], su, mk, rtcp, 0);
		if (err)
			return err;
	}
	return 0;
}

/* Allocates nstreams slots plus one scratch slot (never claimed), which lets a packet
 * from a new SSRC be authenticated even when the session is full. */
static int alloc_streams(struct cl_srtp *s)
{
	size_t words = s->ring_bits / 64, slots = s->nstreams + 1;

	s->streams = calloc(slots, sizeof(*s->streams));
	s->ring_mem = calloc(slots * 2 * words, sizeof(uint64_t));
	if (!s->streams || !s->ring_mem)
		return ENOMEM;
	if (s->kdr) {
		s->kdr_mem = calloc(slots * s->nkeys * 2, sizeof(*s->kdr_mem));
		if (!s->kdr_mem)
			return ENOMEM;
		for (size_t i = 0; i < slots * s->nkeys * 2; i++) {
			if (cl_srtp_keys_init(&s->kdr_mem[i], s->suite))
				return ENOMEM;
		}
	}
	for (size_t i = 0; i < slots; i++) {
		struct cl_srtp_stream *st = &s->streams[i];

		st->rtp.bits = s->ring_mem + (2 * i) * words;
		st->rtcp.bits = s->ring_mem + (2 * i + 1) * words;
		st->kdr_ks = s->kdr ? s->kdr_mem + i * s->nkeys * 2 : NULL;
	}
	return 0;
}

int cl_srtp_alloc(struct cl_srtp **sp, const struct cl_srtp_params *prm)
{
	struct cl_srtp *s;
	int err;

	if (!sp)
		return EINVAL;
	*sp = NULL;
	err = check_params(prm);
	if (err)
		return err;
	s = calloc(1, sizeof(*s));
	if (!s)
		return ENOMEM;
	s->suite = prm->suite;
	s->nkeys = prm->nkeys;
	s->mki_len = prm->keys[0].mki_len;
	s->kdr = prm->kdr;
	while (s->kdr && (1u << s->kdr_log2) < s->kdr)
		s->kdr_log2++;
	s->enc[0] = s->suite->cipher != CL_SRTP_CIPHER_NULL && !prm->unencrypted_srtp;
	s->enc[1] = s->suite->cipher != CL_SRTP_CIPHER_NULL && !prm->unencrypted_srtcp;
	s->tag_len[0] = prm->unauthenticated_srtp ? 0 : s->suite->srtp_tag_len;
	s->tag_len[1] = s->suite->srtcp_tag_len;
	s->window = prm->window ? prm->window : CL_SRTP_WINDOW_DEFAULT;
	s->ring_bits = ring_size(s->window);
	s->nstreams = prm->max_streams ? prm->max_streams : CL_SRTP_STREAMS_DEFAULT;
	s->roc_default = prm->roc;
	s->eventh = prm->eventh;
	s->arg = prm->arg;
	s->keys = calloc(s->nkeys, sizeof(*s->keys));
	err = s->keys ? alloc_streams(s) : ENOMEM;
	for (size_t i = 0; !err && i < s->nkeys; i++)
		err = init_mkey(s, i, &prm->keys[i]);
	if (err) {
		cl_srtp_free(s);
		return err;
	}
	*sp = s;
	return 0;
}

void cl_srtp_free(struct cl_srtp *s)
{
	if (!s)
		return;
	for (size_t i = 0; s->keys && i < s->nkeys; i++) {
		cl_srtp_keys_clear(&s->keys[i].ks[0]);
		cl_srtp_keys_clear(&s->keys[i].ks[1]);
		EVP_CIPHER_CTX_free(s->keys[i].kdf);
	}
	if (s->keys)
		OPENSSL_cleanse(s->keys, s->nkeys * sizeof(*s->keys));
	for (size_t i = 0; s->kdr_mem && i < (s->nstreams + 1) * s->nkeys * 2; i++)
		cl_srtp_keys_clear(&s->kdr_mem[i]);
	free(s->kdr_mem);
	free(s->keys);
	free(s->ring_mem);
	free(s->streams);
	OPENSSL_cleanse(s, sizeof(*s));
	free(s);
}

struct cl_srtp_stream *cl_srtp_stream_find(struct cl_srtp *s, uint32_t ssrc)
{
	struct cl_srtp_stream *st = &s->streams[s->last];

	if (st->used && st->ssrc == ssrc)
		return st;
	for (size_t i = 0; i < s->nstreams; i++) {
		st = &s->streams[i];
		if (st->used && st->ssrc == ssrc) {
			s->last = i;
			return st;
		}
	}
	return NULL;
}

struct cl_srtp_stream *cl_srtp_stream_free_slot(struct cl_srtp *s)
{
	for (size_t i = 0; i < s->nstreams; i++) {
		if (!s->streams[i].used)
			return &s->streams[i];
	}
	return NULL;
}

void cl_srtp_stream_claim(struct cl_srtp *s, struct cl_srtp_stream *st, uint32_t ssrc,
			  uint32_t roc)
{
	st->used = true;
	st->ssrc = ssrc;
	st->roc_init = roc;
	st->rtp.init = false;
	st->rtcp.init = false;
	st->rtcp_tx = 0;
	s->last = (size_t)(st - s->streams);
}

size_t cl_srtp_overhead(const struct cl_srtp *s, bool rtcp)
{
	return (rtcp ? 4 : 0) + s->mki_len + s->tag_len[rtcp];
}

int cl_srtp_set_roc(struct cl_srtp *s, uint32_t ssrc, uint32_t roc)
{
	struct cl_srtp_stream *st = cl_srtp_stream_find(s, ssrc);

	if (!st) {
		st = cl_srtp_stream_free_slot(s);
		if (!st)
			return CL_SRTP_ERR_STREAMS;
		cl_srtp_stream_claim(s, st, ssrc, roc);
		return 0;
	}
	/* Keep the sequence number, restart the window at the new ROC. */
	if (st->rtp.init) {
		uint64_t top = ((uint64_t)roc << 16) | (st->rtp.top & 0xffff);

		memset(st->rtp.bits, 0, s->ring_bits / 8);
		st->rtp.top = top;
		st->rtp.bits[(top & (s->ring_bits - 1)) >> 6] |= 1ULL << (top & 63);
	}
	st->roc_init = roc;
	return 0;
}

int cl_srtcp_set_index(struct cl_srtp *s, uint32_t ssrc, uint32_t next_index)
{
	struct cl_srtp_stream *st;

	if (next_index > 0x7fffffffu)
		return EINVAL;
	st = cl_srtp_stream_find(s, ssrc);
	if (!st) {
		st = cl_srtp_stream_free_slot(s);
		if (!st)
			return CL_SRTP_ERR_STREAMS;
		cl_srtp_stream_claim(s, st, ssrc, s->roc_default);
	}
	st->rtcp_tx = next_index;
	return 0;
}

int cl_srtp_get_roc(const struct cl_srtp *s, uint32_t ssrc, uint32_t *roc)
{
	for (size_t i = 0; i < s->nstreams; i++) {
		const struct cl_srtp_stream *st = &s->streams[i];

		if (st->used && st->ssrc == ssrc) {
			*roc = st->rtp.init ? (uint32_t)(st->rtp.top >> 16) : st->roc_init;
			return 0;
		}
	}
	return ENOENT;
}

int cl_srtp_select_key(struct cl_srtp *s, size_t key_index)
{
	if (key_index >= s->nkeys)
		return EINVAL;
	s->tx_key = key_index;
	return 0;
}

uint64_t cl_srtp_key_used(const struct cl_srtp *s, size_t key_index, bool rtcp)
{
	return key_index < s->nkeys ? s->keys[key_index].used[rtcp] : 0;
}

int cl_srtp_set_session_keys(struct cl_srtp *s, size_t i, bool rtcp, const uint8_t *enc_key,
			     const uint8_t *salt, const uint8_t *auth_key)
{
	if (!s || i >= s->nkeys || s->kdr)
		return EINVAL;
	return cl_srtp_keys_set(&s->keys[i].ks[rtcp], s->suite, enc_key, salt, auth_key);
}
