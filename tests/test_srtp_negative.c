/* SRTP/SRTCP negative tests (issue 2 §3): tampering, replay, truncation, unknown MKI,
 * key exhaustion, capacity, stream limits and bad parameters must each give their own
 * CL_SRTP_ERR_* and never crash; plus the session parameters of RFC 4568 §6.3
 * (UNENCRYPTED_SRTP/SRTCP, UNAUTHENTICATED_SRTP, KDR) and ROC control.
 *
 * Every suite in the table runs, for SRTP and SRTCP. Packets handed to unprotect are
 * copied into a heap buffer of exactly their length, so ASan catches any read past
 * the end. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "srtp/srtp.h"
#include "test.h"

#define PKT_MAX 600
#define SSRC_A 0x11223344u
#define SSRC_B 0x55667788u
#define SSRC_C 0x99aabbccu
#define SSRC_X 0xdeadbeefu

struct pkt {
	size_t len;
	uint8_t b[PKT_MAX];
};

/* Counts lifetime events (srtp.h cl_srtp_event_h). */
struct evcount {
	unsigned exhausted[2];
	unsigned soft[2];
	size_t key;
};

/* Everything one suite run allocates, freed even when a CHECK returns early. */
struct sess {
	struct cl_srtp *s[8];
	size_t n;
	void *mem;
};

struct opts {
	unsigned window, max_streams;
	uint32_t kdr, roc;
	bool uenc_rtp, uenc_rtcp, uauth;
	size_t nkeys;       /* 0 means 1 */
	size_t first;       /* key material (and MKI) number of the first key */
	size_t mki_len;
	uint64_t lifetime0; /* lifetime of the first key; 0 = the suite's */
	struct evcount *ev;
};

typedef void(suite_fn)(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id, bool rtcp);

/* ---- fixtures ---- */

/* Returns master key ‖ salt number i (long enough for every suite). */
static const uint8_t *keymat(size_t i)
{
	static uint8_t km[4][CL_SRTP_MAX_KEY_LEN + CL_SRTP_MAX_SALT_LEN];

	for (size_t j = 0; j < sizeof(km[0]); j++)
		km[i][j] = (uint8_t)(0x3d * (i + 1) + 11 * j);
	return km[i];
}

/* Returns MKI number i: every byte 0xa0 + i, so any length stays distinct. */
static const uint8_t *mkival(size_t i)
{
	static uint8_t m[4][CL_SRTP_MAX_MKI_LEN];

	memset(m[i], 0xa0 + (int)i, sizeof(m[i]));
	return m[i];
}

static void on_event(enum cl_srtp_event ev, size_t key_index, bool rtcp, void *arg)
{
	struct evcount *c = arg;

	if (ev == CL_SRTP_EV_KEY_EXHAUSTED)
		c->exhausted[rtcp]++;
	else
		c->soft[rtcp]++;
	c->key = key_index;
}

static int mk(struct cl_srtp **sp, enum cl_srtp_suite_id id, const struct opts *o)
{
	struct cl_srtp_master_key keys[4];
	size_t n = o->nkeys ? o->nkeys : 1;
	struct cl_srtp_params p = {
		.suite = cl_srtp_suite_get(id), .keys = keys, .nkeys = n, .kdr = o->kdr,
		.unencrypted_srtp = o->uenc_rtp, .unencrypted_srtcp = o->uenc_rtcp,
		.unauthenticated_srtp = o->uauth, .window = o->window,
		.max_streams = o->max_streams, .roc = o->roc,
		.eventh = o->ev ? on_event : NULL, .arg = o->ev,
	};

	for (size_t i = 0; i < n; i++) {
		keys[i] = (struct cl_srtp_master_key){
			keymat(o->first + i), o->mki_len ? mkival(o->first + i) : NULL, o->mki_len,
			i == 0 ? o->lifetime0 : 0,
		};
	}
	return cl_srtp_alloc(sp, &p);
}

/* Creates a session owned by ss; NULL on failure. */
static struct cl_srtp *open_s(struct sess *ss, enum cl_srtp_suite_id id, const struct opts *o)
{
	struct cl_srtp *s = NULL;

	if (ss->n >= CL_ARRAY_SIZE(ss->s) || mk(&s, id, o) != 0)
		return NULL;
	ss->s[ss->n++] = s;
	return s;
}

static void sess_free(struct sess *ss)
{
	for (size_t i = 0; i < ss->n; i++)
		cl_srtp_free(ss->s[i]);
	free(ss->mem);
	memset(ss, 0, sizeof(*ss));
}

/* RFC 3550 §5.1 header. ext adds two CSRCs and a one-word RFC 8285 extension, so the
 * header is 28 bytes and truncation cuts through every header field. */
static size_t rtp_build(uint8_t *b, uint16_t seq, uint32_t ssrc, size_t plen, bool ext)
{
	size_t n = 12;

	b[0] = ext ? 0x92 : 0x80; /* V=2, X, CC=2 */
	b[1] = 0;                 /* PT 0 (PCMU) */
	put16(b + 2, seq);
	put32(b + 4, seq * 160u);
	put32(b + 8, ssrc);
	if (ext) {
		put32(b + 12, 0x01020304);
		put32(b + 16, 0x05060708);
		put32(b + 20, 0xbede0001); /* RFC 8285 one-byte header, 1 word */
		put32(b + 24, 0x10aabbcc);
		n = 28;
	}
	for (size_t i = 0; i < plen; i++)
		b[n + i] = (uint8_t)(i * 13 + seq);
	return n + plen;
}

/* RFC 3550 §6.4.1 SR with one report block: 52 bytes. */
static size_t rtcp_build(uint8_t *b, uint32_t ssrc, uint16_t salt)
{
	b[0] = 0x81; /* V=2, RC=1 */
	b[1] = 200;
	put16(b + 2, 12);
	put32(b + 4, ssrc);
	for (size_t i = 8; i < 52; i++)
		b[i] = (uint8_t)(i * 7 + salt);
	return 52;
}

static int prot(struct cl_srtp *s, bool rtcp, struct pkt *p)
{
	return rtcp ? cl_srtcp_protect(s, p->b, &p->len, sizeof(p->b))
		    : cl_srtp_protect(s, p->b, &p->len, sizeof(p->b));
}

/* Builds a plain packet (kept in *plain when not NULL) and protects it with tx. */
static int mkpkt(struct cl_srtp *tx, bool rtcp, uint16_t seq, uint32_t ssrc, bool ext,
		 struct pkt *p, struct pkt *plain)
{
	p->len = rtcp ? rtcp_build(p->b, ssrc, seq) : rtp_build(p->b, seq, ssrc, 40 + seq % 7, ext);
	if (plain)
		*plain = *p;
	return prot(tx, rtcp, p);
}

/* Unprotects b[0..len) from a heap copy of exactly len bytes. The result goes to out
 * (when not NULL). Returns unprotect's result, or ENOMEM. */
static int unprot_exact(struct cl_srtp *s, bool rtcp, const uint8_t *b, size_t len,
			struct pkt *out)
{
	uint8_t *buf = malloc(len);
	size_t n = len;
	int rc;

	if (!buf)
		return ENOMEM;
	if (len)
		memcpy(buf, b, len);
	rc = rtcp ? cl_srtcp_unprotect(s, buf, &n) : cl_srtp_unprotect(s, buf, &n);
	if (out && rc == 0 && n <= sizeof(out->b)) {
		memcpy(out->b, buf, n);
		out->len = n;
	}
	free(buf);
	return rc;
}

static int rx(struct cl_srtp *s, bool rtcp, const struct pkt *p)
{
	return unprot_exact(s, rtcp, p->b, p->len, NULL);
}

/* Returns true when unprotect of p gives back exactly plain. */
static bool rx_same(struct cl_srtp *s, bool rtcp, const struct pkt *p, const struct pkt *plain)
{
	struct pkt out = { 0 };

	return unprot_exact(s, rtcp, p->b, p->len, &out) == 0 && out.len == plain->len &&
	       memcmp(out.b, plain->b, out.len) == 0;
}

static const struct cl_srtp_suite *su(enum cl_srtp_suite_id id)
{
	return cl_srtp_suite_get(id);
}

/* Does this session authenticate this packet type? (SRTCP always: RFC 3711 §3.4.) */
static bool authed(enum cl_srtp_suite_id id, bool rtcp, const struct opts *o)
{
	return rtcp || (su(id)->srtp_tag_len > 0 && !o->uauth);
}

static bool is_gcm(enum cl_srtp_suite_id id)
{
	return su(id)->cipher == CL_SRTP_CIPHER_AES_GCM;
}

static size_t tag_len(enum cl_srtp_suite_id id, bool rtcp)
{
	return rtcp ? su(id)->srtcp_tag_len : su(id)->srtp_tag_len;
}

/* Trailer layout, from the length before protection. RFC 3711 §3.1/§3.4: [E‖index]
 * MKI tag. RFC 7714 §8.1/§9.1: the tag closes the AEAD ciphertext, then [E‖index] MKI. */
static size_t tag_at(enum cl_srtp_suite_id id, bool rtcp, size_t plain, size_t mki)
{
	return is_gcm(id) ? plain : plain + (rtcp ? 4 : 0) + mki;
}

static size_t mki_at(enum cl_srtp_suite_id id, bool rtcp, size_t plain)
{
	return plain + (rtcp ? 4 : 0) + (is_gcm(id) ? tag_len(id, rtcp) : 0);
}

static size_t eidx_at(enum cl_srtp_suite_id id, size_t plain)
{
	return plain + (is_gcm(id) ? tag_len(id, true) : 0);
}

static size_t hdr_len(bool rtcp)
{
	return rtcp ? 8 : 12;
}

/* Runs fn for every suite, for SRTP and (when both) SRTCP, naming the case that fails. */
static void each_suite(struct cl_test *t, suite_fn *fn, bool both)
{
	for (int id = 0; id < CL_SRTP_SUITE_COUNT; id++) {
		for (int r = 0; r < (both ? 2 : 1); r++) {
			struct sess ss = { 0 };

			fn(t, &ss, (enum cl_srtp_suite_id)id, r);
			sess_free(&ss);
			if (t->failed) {
				cl_test_fail(t, __FILE__, __LINE__, "... in suite %s, %s",
					     su((enum cl_srtp_suite_id)id)->name, r ? "SRTCP" : "SRTP");
				return;
			}
		}
	}
}

/* ---- tampering (RFC 3711 §3.3 step 5, §3.4) ---- */

/* Flips one byte at off of a copy of p and expects auth. */
static bool tampered_is_auth(struct cl_srtp *rxs, bool rtcp, const struct pkt *p, size_t off)
{
	struct pkt c = *p;

	c.b[off] ^= 0x01;
	return rx(rxs, rtcp, &c) == CL_SRTP_ERR_AUTH;
}

static void one_tamper(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id, bool rtcp)
{
	struct opts o = { 0 };
	struct cl_srtp *tx = open_s(ss, id, &o), *rxs = open_s(ss, id, &o);
	struct pkt p, plain;
	size_t hl = hdr_len(rtcp);

	CHECK(tx && rxs);
	CHECK_INT(mkpkt(tx, rtcp, 1000, SSRC_A, !rtcp, &p, &plain), 0);
	if (authed(id, rtcp, &o)) {
		CHECK(tampered_is_auth(rxs, rtcp, &p, tag_at(id, rtcp, plain.len, 0))); /* tag */
		CHECK(tampered_is_auth(rxs, rtcp, &p, p.len - 1));  /* last byte */
		CHECK(tampered_is_auth(rxs, rtcp, &p, 1));          /* M/PT */
		CHECK(tampered_is_auth(rxs, rtcp, &p, 5));          /* timestamp / SSRC */
		CHECK(tampered_is_auth(rxs, rtcp, &p, 10));         /* SSRC / sender info */
		CHECK(tampered_is_auth(rxs, rtcp, &p, hl + 20));    /* payload */
		CHECK(tampered_is_auth(rxs, rtcp, &p, plain.len - 1)); /* last payload byte */
		if (rtcp) {
			size_t e = eidx_at(id, plain.len);

			CHECK(tampered_is_auth(rxs, rtcp, &p, e));     /* E bit */
			CHECK(tampered_is_auth(rxs, rtcp, &p, e + 3)); /* SRTCP index */
		}
		if (!rtcp) {
			CHECK(tampered_is_auth(rxs, rtcp, &p, 3));  /* sequence number */
			CHECK(tampered_is_auth(rxs, rtcp, &p, 14)); /* CSRC */
			CHECK(tampered_is_auth(rxs, rtcp, &p, 27)); /* header extension */
		}
	}
	/* Failed packets leave no trace: the genuine one still decrypts exactly. */
	CHECK(rx_same(rxs, rtcp, &p, &plain));
}

TEST(srtpneg_tamper_is_auth)
{
	each_suite(t, one_tamper, true);
}

/* A tag of all zeros must not pass. */
static void one_zero_tag(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id, bool rtcp)
{
	struct opts o = { 0 };
	struct cl_srtp *tx = open_s(ss, id, &o), *rxs = open_s(ss, id, &o);
	size_t tag = tag_len(id, rtcp);
	struct pkt p, plain;

	CHECK(tx && rxs);
	CHECK_INT(mkpkt(tx, rtcp, 7, SSRC_B, false, &p, &plain), 0);
	if (!authed(id, rtcp, &o))
		return;
	memset(p.b + tag_at(id, rtcp, plain.len, 0), 0, tag);
	CHECK_INT(rx(rxs, rtcp, &p), CL_SRTP_ERR_AUTH);
}

TEST(srtpneg_zero_tag_is_auth)
{
	each_suite(t, one_zero_tag, true);
}

/* ---- replay (RFC 3711 §3.3.2) ---- */

static void one_window(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id, bool rtcp,
		       unsigned w)
{
	struct opts o = { .window = w };
	struct cl_srtp *tx = open_s(ss, id, &o), *rxs = open_s(ss, id, &o);
	size_t n = w + 6, top = n - 1;
	struct pkt *pk = ss->mem = calloc(n, sizeof(*pk));

	CHECK(tx && rxs && pk);
	/* SRTP indices 1000.., SRTCP indices 0..: the sender counts in order. */
	for (size_t i = 0; i < n; i++)
		CHECK_INT(mkpkt(tx, rtcp, (uint16_t)(1000 + i), SSRC_A, false, &pk[i], NULL), 0);
	CHECK_INT(rx(rxs, rtcp, &pk[top]), 0);
	CHECK_INT(rx(rxs, rtcp, &pk[top]), CL_SRTP_ERR_REPLAY);        /* replay */
	CHECK_INT(rx(rxs, rtcp, &pk[top - w]), CL_SRTP_ERR_REPLAY);    /* just outside */
	CHECK_INT(rx(rxs, rtcp, &pk[0]), CL_SRTP_ERR_REPLAY);          /* far outside */
	CHECK_INT(rx(rxs, rtcp, &pk[top - w + 1]), 0);                 /* just inside */
	CHECK_INT(rx(rxs, rtcp, &pk[top - w + 1]), CL_SRTP_ERR_REPLAY);
	CHECK_INT(rx(rxs, rtcp, &pk[top - 1]), 0);
	CHECK_INT(rx(rxs, rtcp, &pk[top - w / 2]), 0);
	CHECK_INT(rx(rxs, rtcp, &pk[top - w / 2]), CL_SRTP_ERR_REPLAY);
	/* A forged replay of an unseen index inside the window is auth, not accepted, and
	 * does not mark the index: the genuine packet still passes afterwards. */
	if (authed(id, rtcp, &o)) {
		struct pkt f = pk[top - 2];

		f.b[tag_at(id, rtcp, f.len - cl_srtp_overhead(tx, rtcp), 0)] ^= 0x80;
		CHECK_INT(rx(rxs, rtcp, &f), CL_SRTP_ERR_AUTH);
		CHECK_INT(rx(rxs, rtcp, &pk[top - 2]), 0);
	}
}

static void one_replay(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id, bool rtcp)
{
	static const unsigned windows[] = { 64, 100, 128, 1024 };

	for (size_t i = 0; i < CL_ARRAY_SIZE(windows); i++) {
		struct sess inner = { 0 };

		one_window(t, &inner, id, rtcp, windows[i]);
		sess_free(&inner);
		if (t->failed) {
			cl_test_fail(t, __FILE__, __LINE__, "... with window %u", windows[i]);
			return;
		}
	}
}

TEST(srtpneg_replay_window)
{
	each_suite(t, one_replay, true);
}

/* ---- truncation: every length 0..full-1 ---- */

static bool trunc_ok(int rc, size_t len, bool rtcp, bool auth, bool mki)
{
	if (len < hdr_len(rtcp))
		return rc == CL_SRTP_ERR_SHORT;
	if (rc == CL_SRTP_ERR_SHORT || (mki && rc == CL_SRTP_ERR_MKI))
		return true;
	if (auth)
		return rc == CL_SRTP_ERR_AUTH;
	/* No tag (AES_CM_128_NULL_AUTH, UNAUTHENTICATED_SRTP): a shorter packet is a
	 * packet, so it may be accepted once and then be a replay. */
	return rc == 0 || rc == CL_SRTP_ERR_REPLAY;
}

static void one_trunc_case(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id,
			   bool rtcp, size_t mki_len, bool ext)
{
	struct opts o = { .mki_len = mki_len, .nkeys = mki_len ? 2 : 1 };
	struct cl_srtp *tx = open_s(ss, id, &o), *rxs = open_s(ss, id, &o);
	bool auth = authed(id, rtcp, &o);
	struct pkt p, plain;

	CHECK(tx && rxs);
	CHECK_INT(mkpkt(tx, rtcp, 77, SSRC_A, ext, &p, &plain), 0);
	for (size_t len = 0; len < p.len; len++) {
		int rc = unprot_exact(rxs, rtcp, p.b, len, NULL);

		if (!trunc_ok(rc, len, rtcp, auth, mki_len > 0)) {
			cl_test_fail(t, __FILE__, __LINE__, "length %zu of %zu gave %d (%s)", len,
				     p.len, rc, cl_srtp_strerror(rc));
			return;
		}
	}
	if (auth)
		CHECK(rx_same(rxs, rtcp, &p, &plain));
}

static void one_trunc(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id, bool rtcp)
{
	static const struct {
		size_t mki;
		bool ext;
	} cases[] = { { 0, false }, { 0, true }, { 1, false }, { 4, true }, { 128, false } };

	for (size_t i = 0; i < CL_ARRAY_SIZE(cases); i++) {
		struct sess inner = { 0 };

		one_trunc_case(t, &inner, id, rtcp, cases[i].mki, cases[i].ext);
		sess_free(&inner);
		if (t->failed) {
			cl_test_fail(t, __FILE__, __LINE__, "... with MKI length %zu%s", cases[i].mki,
				     cases[i].ext ? ", CSRCs and extension" : "");
			return;
		}
	}
}

TEST(srtpneg_truncation_every_length)
{
	each_suite(t, one_trunc, true);
}

/* A header that claims more CSRCs or extension words than the packet holds. */
static void one_lying_header(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id,
			     bool rtcp)
{
	struct opts o = { 0 };
	struct cl_srtp *rxs = open_s(ss, id, &o);
	struct pkt p;
	int rc;

	CHECK(rxs);
	p.len = rtp_build(p.b, 5, SSRC_A, 0, true); /* 28 bytes, no payload */
	p.b[0] = 0x9f;                               /* CC = 15: 72-byte header */
	rc = rx(rxs, false, &p);
	CHECK(rc == CL_SRTP_ERR_SHORT || rc == CL_SRTP_ERR_AUTH);
	p.b[0] = 0x92;
	put16(p.b + 22, 0xffff); /* extension of 65535 words */
	rc = rx(rxs, false, &p);
	CHECK(rc == CL_SRTP_ERR_SHORT || rc == CL_SRTP_ERR_AUTH);
	/* RTCP length field larger than the datagram. */
	p.len = rtcp_build(p.b, SSRC_A, 1);
	put16(p.b + 2, 0xffff);
	rc = rx(rxs, true, &p);
	CHECK(rc == CL_SRTP_ERR_SHORT || rc == CL_SRTP_ERR_AUTH);
}

TEST(srtpneg_lying_header_lengths)
{
	each_suite(t, one_lying_header, false);
}

/* ---- MKI (RFC 3711 §3.1, RFC 4568 §6.1) ---- */

static void one_mki_len(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id, bool rtcp,
			size_t m)
{
	struct opts o2 = { .nkeys = 2, .mki_len = m }, o3 = { .first = 2, .mki_len = m };
	struct cl_srtp *tx = open_s(ss, id, &o2), *rxs = open_s(ss, id, &o2);
	struct cl_srtp *tx3 = open_s(ss, id, &o3);
	struct pkt p, plain, f, fplain;

	CHECK(tx && rxs && tx3);
	CHECK_INT(mkpkt(tx, rtcp, 1, SSRC_A, false, &p, &plain), 0);
	CHECK_MEM(p.b + mki_at(id, rtcp, plain.len), mkival(0), m);
	CHECK(rx_same(rxs, rtcp, &p, &plain));
	CHECK_INT(cl_srtp_select_key(tx, 1), 0);
	CHECK_INT(mkpkt(tx, rtcp, 2, SSRC_A, false, &p, &plain), 0);
	CHECK_MEM(p.b + mki_at(id, rtcp, plain.len), mkival(1), m);
	CHECK(rx_same(rxs, rtcp, &p, &plain));
	/* A third key the receiver does not know. */
	CHECK_INT(mkpkt(tx3, rtcp, 3, SSRC_B, false, &f, &fplain), 0);
	CHECK_MEM(f.b + mki_at(id, rtcp, fplain.len), mkival(2), m);
	CHECK_INT(rx(rxs, rtcp, &f), CL_SRTP_ERR_MKI);
	/* Known MKI, wrong key behind it: auth (when authenticated). */
	memcpy(f.b + mki_at(id, rtcp, fplain.len), mkival(1), m);
	if (authed(id, rtcp, &o2))
		CHECK_INT(rx(rxs, rtcp, &f), CL_SRTP_ERR_AUTH);
	/* The receiver is unharmed. */
	CHECK_INT(mkpkt(tx, rtcp, 4, SSRC_A, false, &p, &plain), 0);
	CHECK(rx_same(rxs, rtcp, &p, &plain));
}

static void one_mki(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id, bool rtcp)
{
	static const size_t lens[] = { 1, 4, 128 };

	for (size_t i = 0; i < CL_ARRAY_SIZE(lens); i++) {
		struct sess inner = { 0 };

		one_mki_len(t, &inner, id, rtcp, lens[i]);
		sess_free(&inner);
		if (t->failed) {
			cl_test_fail(t, __FILE__, __LINE__, "... with MKI length %zu", lens[i]);
			return;
		}
	}
}

TEST(srtpneg_unknown_mki)
{
	each_suite(t, one_mki, true);
}

/* ---- key lifetime (RFC 3711 §9.2) ---- */

static void one_exhaust(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id, bool rtcp)
{
	struct evcount etx = { 0 }, erx = { 0 };
	struct opts otx = { .nkeys = 2, .mki_len = 1, .lifetime0 = 5, .ev = &etx };
	struct opts orx = { .nkeys = 2, .mki_len = 1, .lifetime0 = 5, .ev = &erx };
	struct opts ofree = { .nkeys = 2, .mki_len = 1 };
	struct cl_srtp *tx = open_s(ss, id, &otx), *rxs = open_s(ss, id, &orx);
	struct cl_srtp *txu = open_s(ss, id, &ofree);
	struct pkt p, plain;

	CHECK(tx && rxs && txu);
	for (uint16_t i = 0; i < 5; i++) {
		CHECK_INT(mkpkt(tx, rtcp, (uint16_t)(100 + i), SSRC_A, false, &p, &plain), 0);
		CHECK(rx_same(rxs, rtcp, &p, &plain));
	}
	CHECK_INT(cl_srtp_key_used(tx, 0, rtcp), 5);
	CHECK_INT(mkpkt(tx, rtcp, 105, SSRC_A, false, &p, &plain), CL_SRTP_ERR_EXHAUSTED);
	CHECK_INT(p.len, plain.len); /* refused packets are not touched */
	CHECK_MEM(p.b, plain.b, p.len);
	CHECK_INT(mkpkt(tx, rtcp, 106, SSRC_B, false, &p, NULL), CL_SRTP_ERR_EXHAUSTED);
	CHECK_INT(cl_srtp_key_used(tx, 0, rtcp), 5);
	CHECK_INT(etx.exhausted[rtcp], 1);
	CHECK_INT(etx.exhausted[!rtcp], 0);
	CHECK_INT(etx.key, 0);
	/* The receiver's copy of key 0 is used up too (a lifetime is per master key, so a
	 * new SSRC does not reset it). */
	CHECK_INT(mkpkt(txu, rtcp, 105, SSRC_B, false, &p, NULL), 0);
	CHECK_INT(rx(rxs, rtcp, &p), CL_SRTP_ERR_EXHAUSTED);
	CHECK_INT(rx(rxs, rtcp, &p), CL_SRTP_ERR_EXHAUSTED);
	CHECK_INT(erx.exhausted[rtcp], 1);
	CHECK_INT(cl_srtp_key_used(rxs, 0, rtcp), 5);
	/* The other direction's count is untouched. */
	CHECK_INT(mkpkt(tx, !rtcp, 200, SSRC_A, false, &p, &plain), 0);
	CHECK(rx_same(rxs, !rtcp, &p, &plain));
	/* Rekey to the second master key: both sides keep working. */
	CHECK_INT(cl_srtp_select_key(tx, 1), 0);
	CHECK_INT(cl_srtp_select_key(tx, 2), EINVAL);
	for (uint16_t i = 0; i < 10; i++) {
		CHECK_INT(mkpkt(tx, rtcp, (uint16_t)(107 + i), SSRC_A, false, &p, &plain), 0);
		CHECK(rx_same(rxs, rtcp, &p, &plain));
	}
	CHECK_INT(cl_srtp_key_used(tx, 1, rtcp), 10);
	CHECK_INT(etx.exhausted[rtcp], 1);
	CHECK_INT(erx.exhausted[rtcp], 1);
}

TEST(srtpneg_key_exhausted)
{
	each_suite(t, one_exhaust, true);
}

/* ---- capacity ---- */

static void one_cap_mki(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id, bool rtcp,
			size_t m)
{
	struct opts o = { .mki_len = m };
	struct cl_srtp *tx = open_s(ss, id, &o), *rxs = open_s(ss, id, &o);
	size_t want = (rtcp ? 4 + su(id)->srtcp_tag_len : su(id)->srtp_tag_len) + m;
	size_t ov, len;
	struct pkt p, plain;
	int rc;

	CHECK(tx && rxs);
	ov = cl_srtp_overhead(tx, rtcp);
	CHECK_INT(ov, want);
	p.len = rtcp ? rtcp_build(p.b, SSRC_A, 3) : rtp_build(p.b, 3, SSRC_A, 50, true);
	plain = p;
	len = p.len;
	if (ov > 0) {
		rc = rtcp ? cl_srtcp_protect(tx, p.b, &len, p.len + ov - 1)
			  : cl_srtp_protect(tx, p.b, &len, p.len + ov - 1);
		CHECK_INT(rc, CL_SRTP_ERR_CAPACITY);
		CHECK_INT(len, plain.len);
		CHECK_MEM(p.b, plain.b, plain.len);
		CHECK_INT(cl_srtp_key_used(tx, 0, rtcp), 0);
	}
	rc = rtcp ? cl_srtcp_protect(tx, p.b, &len, 0) : cl_srtp_protect(tx, p.b, &len, 0);
	CHECK_INT(rc, CL_SRTP_ERR_CAPACITY);
	CHECK_INT(len, plain.len);
	CHECK_MEM(p.b, plain.b, plain.len);
	/* Exactly enough room. */
	rc = rtcp ? cl_srtcp_protect(tx, p.b, &len, plain.len + ov)
		  : cl_srtp_protect(tx, p.b, &len, plain.len + ov);
	CHECK_INT(rc, 0);
	CHECK_INT(len, plain.len + ov);
	p.len = len;
	/* The first SRTCP packet after a refused one still carries index 0. */
	if (rtcp)
		CHECK_INT((p.b[eidx_at(id, plain.len)] & 0x7f) | p.b[eidx_at(id, plain.len) + 1] |
			  p.b[eidx_at(id, plain.len) + 2] | p.b[eidx_at(id, plain.len) + 3], 0);
	CHECK(rx_same(rxs, rtcp, &p, &plain));
}

static void one_cap(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id, bool rtcp)
{
	struct sess inner = { 0 };

	one_cap_mki(t, &inner, id, rtcp, 0);
	sess_free(&inner);
	if (!t->failed)
		one_cap_mki(t, ss, id, rtcp, 4);
}

TEST(srtpneg_capacity)
{
	each_suite(t, one_cap, true);
}

/* ---- stream limit ---- */

static void one_streams(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id, bool rtcp)
{
	struct opts o2 = { .max_streams = 2 }, o = { 0 };
	struct cl_srtp *tx = open_s(ss, id, &o2), *rxs = open_s(ss, id, &o2);
	struct cl_srtp *txb = open_s(ss, id, &o);
	struct pkt p, plain, c;
	uint32_t roc = 99;

	CHECK(tx && rxs && txb);
	/* Forgeries from new SSRCs must fail authentication without taking a slot. */
	if (authed(id, rtcp, &o)) {
		for (uint32_t i = 0; i < 4; i++) {
			CHECK_INT(mkpkt(txb, rtcp, 9, SSRC_X + i, false, &p, NULL), 0);
			p.b[tag_at(id, rtcp, p.len - cl_srtp_overhead(txb, rtcp), 0)] ^= 0x55;
			CHECK_INT(rx(rxs, rtcp, &p), CL_SRTP_ERR_AUTH);
		}
		CHECK_INT(cl_srtp_get_roc(rxs, SSRC_X, &roc), ENOENT);
	}
	CHECK_INT(mkpkt(tx, rtcp, 10, SSRC_A, false, &p, &plain), 0);
	CHECK(rx_same(rxs, rtcp, &p, &plain));
	CHECK_INT(mkpkt(tx, rtcp, 10, SSRC_B, false, &p, &plain), 0);
	CHECK(rx_same(rxs, rtcp, &p, &plain));
	/* A third SSRC: the sender refuses, and so does the receiver (after auth). */
	CHECK_INT(mkpkt(tx, rtcp, 10, SSRC_C, false, &p, &plain), CL_SRTP_ERR_STREAMS);
	CHECK_INT(p.len, plain.len);
	CHECK_INT(mkpkt(txb, rtcp, 10, SSRC_C, false, &c, NULL), 0);
	CHECK_INT(rx(rxs, rtcp, &c), CL_SRTP_ERR_STREAMS);
	CHECK_INT(cl_srtp_set_roc(rxs, SSRC_C, 0), CL_SRTP_ERR_STREAMS);
	CHECK_INT(cl_srtp_get_roc(rxs, SSRC_C, &roc), ENOENT);
	/* Known SSRCs carry on. */
	CHECK_INT(mkpkt(tx, rtcp, 11, SSRC_A, false, &p, &plain), 0);
	CHECK(rx_same(rxs, rtcp, &p, &plain));
	CHECK_INT(cl_srtp_get_roc(rxs, SSRC_A, &roc), 0);
	CHECK_INT(roc, 0);
}

TEST(srtpneg_stream_limit)
{
	each_suite(t, one_streams, true);
}

/* With the table full, a forgery from a new SSRC is still a forgery: the stream limit
 * applies only after authentication, so the error is auth, not streams. */
static void one_full_forged(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id,
			    bool rtcp)
{
	struct opts o1 = { .max_streams = 1 }, o = { 0 };
	struct cl_srtp *rxs = open_s(ss, id, &o1), *tx = open_s(ss, id, &o);
	struct pkt p, plain;

	CHECK(tx && rxs);
	if (!authed(id, rtcp, &o))
		return;
	CHECK_INT(mkpkt(tx, rtcp, 10, SSRC_A, false, &p, &plain), 0);
	CHECK(rx_same(rxs, rtcp, &p, &plain));
	CHECK_INT(mkpkt(tx, rtcp, 10, SSRC_C, false, &p, &plain), 0);
	p.b[tag_at(id, rtcp, plain.len, 0)] ^= 0x55;
	CHECK_INT(rx(rxs, rtcp, &p), CL_SRTP_ERR_AUTH);
}

TEST(srtpneg_stream_limit_forged_when_full)
{
	each_suite(t, one_full_forged, true);
}

/* ---- bad parameters ---- */

static int try_alloc(const struct cl_srtp_params *p)
{
	struct cl_srtp *s = NULL;
	int rc = cl_srtp_alloc(&s, p);

	cl_srtp_free(s);
	if (rc == 0 && !s)
		return -1;
	return rc;
}

TEST(srtpneg_bad_params)
{
	struct cl_srtp_master_key k[CL_SRTP_MAX_KEYS + 1];
	struct cl_srtp_params p = { .suite = su(CL_SRTP_AES_CM_128_HMAC_SHA1_80), .keys = k,
				    .nkeys = 1 };
	static uint8_t mkis[CL_SRTP_MAX_KEYS + 1][CL_SRTP_MAX_MKI_LEN + 1];
	struct cl_srtp_params q;

	for (size_t i = 0; i < CL_ARRAY_SIZE(k); i++) {
		memset(mkis[i], (int)i, sizeof(mkis[i]));
		k[i] = (struct cl_srtp_master_key){ keymat(i % 4), mkis[i], 1, 0 };
	}
	CHECK_INT(try_alloc(&p), 0);
	q = p, q.suite = NULL;
	CHECK_INT(try_alloc(&q), EINVAL);
	q = p, q.nkeys = 0;
	CHECK_INT(try_alloc(&q), EINVAL);
	q = p, q.keys = NULL;
	CHECK_INT(try_alloc(&q), EINVAL);
	q = p, q.nkeys = CL_SRTP_MAX_KEYS;
	CHECK_INT(try_alloc(&q), 0);
	q = p, q.nkeys = CL_SRTP_MAX_KEYS + 1;
	CHECK_INT(try_alloc(&q), EINVAL);
	/* MKI lengths must match across keys, be at most 128, and come with a value. */
	q = p, q.nkeys = 2, k[1].mki_len = 2;
	CHECK_INT(try_alloc(&q), EINVAL);
	k[0].mki_len = k[1].mki_len = CL_SRTP_MAX_MKI_LEN;
	CHECK_INT(try_alloc(&q), 0);
	k[0].mki_len = k[1].mki_len = CL_SRTP_MAX_MKI_LEN + 1;
	CHECK_INT(try_alloc(&q), EINVAL);
	k[0].mki_len = k[1].mki_len = 1;
	k[1].mki = NULL;
	CHECK_INT(try_alloc(&q), EINVAL);
	k[1].mki = mkis[0]; /* two keys, one MKI */
	CHECK_INT(try_alloc(&q), EINVAL);
	k[1].mki = mkis[1];
	CHECK_INT(try_alloc(&q), 0);
	/* Replay window 64..32768 (0 = default). */
	static const struct {
		unsigned window;
		int rc;
	} win[] = { { 0, 0 }, { 1, EINVAL }, { 32, EINVAL }, { 63, EINVAL }, { 64, 0 },
		    { 65, 0 }, { 32768, 0 }, { 32769, EINVAL }, { 65536, EINVAL } };
	for (size_t i = 0; i < CL_ARRAY_SIZE(win); i++) {
		q = p, q.window = win[i].window;
		CHECK_INT(try_alloc(&q), win[i].rc);
	}
	/* KDR: 0 or a power of 2 up to 2^24 (RFC 3711 §4.3.1, §8.1). */
	static const struct {
		uint32_t kdr;
		int rc;
	} kdr[] = { { 0, 0 }, { 1, 0 }, { 2, 0 }, { 3, EINVAL }, { 48, EINVAL },
		    { 1u << 24, 0 }, { (1u << 24) + 1, EINVAL }, { 1u << 25, EINVAL },
		    { 0x80000000u, EINVAL }, { 0xffffffffu, EINVAL } };
	for (size_t i = 0; i < CL_ARRAY_SIZE(kdr); i++) {
		q = p, q.kdr = kdr[i].kdr;
		CHECK_INT(try_alloc(&q), kdr[i].rc);
	}
	q = p, q.max_streams = CL_SRTP_STREAMS_MAX + 1;
	CHECK_INT(try_alloc(&q), EINVAL);
	/* RFC 7714: an AEAD transform always authenticates. */
	q = p, q.suite = su(CL_SRTP_AEAD_AES_128_GCM), q.unauthenticated_srtp = true;
	CHECK_INT(try_alloc(&q), EINVAL);
	q.suite = su(CL_SRTP_AEAD_AES_256_GCM_8);
	CHECK_INT(try_alloc(&q), EINVAL);
	q.unauthenticated_srtp = false;
	CHECK_INT(try_alloc(&q), 0);
	/* A failed alloc leaves no session behind. */
	static char junk;
	struct cl_srtp *s = (struct cl_srtp *)&junk;

	q = p, q.nkeys = 0;
	CHECK_INT(cl_srtp_alloc(&s, &q), EINVAL);
	CHECK(s == NULL);
	CHECK_INT(cl_srtp_alloc(NULL, &p), EINVAL);
	CHECK_INT(cl_srtp_alloc(&s, NULL), EINVAL);
	CHECK(s == NULL);
	cl_srtp_free(NULL);
}

/* ---- not RTP/RTCP version 2 (RFC 3550 §5.1) ---- */

static void one_version(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id, bool rtcp)
{
	static const uint8_t versions[] = { 0x00, 0x40, 0xc0 };
	struct opts o = { 0 };
	struct cl_srtp *tx = open_s(ss, id, &o), *rxs = open_s(ss, id, &o);
	struct pkt p, plain, c;

	CHECK(tx && rxs);
	CHECK_INT(mkpkt(tx, rtcp, 33, SSRC_A, false, &p, &plain), 0);
	for (size_t i = 0; i < CL_ARRAY_SIZE(versions); i++) {
		c = p;
		c.b[0] = (uint8_t)((c.b[0] & 0x3f) | versions[i]);
		CHECK_INT(rx(rxs, rtcp, &c), CL_SRTP_ERR_SHORT);
		c = plain;
		c.b[0] = (uint8_t)((c.b[0] & 0x3f) | versions[i]);
		CHECK_INT(prot(tx, rtcp, &c), CL_SRTP_ERR_SHORT);
	}
	CHECK(rx_same(rxs, rtcp, &p, &plain));
}

TEST(srtpneg_not_version_2)
{
	each_suite(t, one_version, true);
}

/* ---- RFC 4568 §6.3.5-6.3.7 session parameters ---- */

/* Payload bytes (after the header) differ between a and b. */
static bool payload_differs(const struct pkt *a, const struct pkt *b, size_t hl, size_t end)
{
	return memcmp(a->b + hl, b->b + hl, end - hl) != 0;
}

static void one_unenc_srtp(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id,
			   bool rtcp)
{
	struct opts o = { .uenc_rtp = true };
	struct cl_srtp *tx = open_s(ss, id, &o), *rxs = open_s(ss, id, &o);
	struct pkt p, plain, c;

	/* For AEAD the whole packet becomes associated data (RFC 7714 §16.1.3). */
	CHECK(tx && rxs);
	CHECK_INT(mkpkt(tx, false, 50, SSRC_A, true, &p, &plain), 0);
	CHECK_INT(p.len, plain.len + su(id)->srtp_tag_len);
	CHECK_MEM(p.b, plain.b, plain.len); /* readable */
	if (authed(id, false, &o)) {
		c = p;
		c.b[40] ^= 1;
		CHECK_INT(rx(rxs, false, &c), CL_SRTP_ERR_AUTH); /* but authenticated */
	}
	CHECK(rx_same(rxs, false, &p, &plain));
	/* SRTCP is still encrypted (unless the cipher is NULL). */
	CHECK_INT(mkpkt(tx, true, 50, SSRC_A, false, &p, &plain), 0);
	if (su(id)->cipher != CL_SRTP_CIPHER_NULL) {
		CHECK(payload_differs(&p, &plain, 8, plain.len));
		CHECK(p.b[eidx_at(id, plain.len)] & 0x80);
	}
	CHECK(rx_same(rxs, true, &p, &plain));
}

TEST(srtpneg_unencrypted_srtp)
{
	each_suite(t, one_unenc_srtp, false);
}

static void one_unenc_srtcp(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id,
			    bool rtcp)
{
	struct opts o = { .uenc_rtcp = true }, od = { 0 };
	struct cl_srtp *tx = open_s(ss, id, &o), *rxs = open_s(ss, id, &o);
	struct cl_srtp *txd = open_s(ss, id, &od);
	struct pkt p, plain, c;

	CHECK(tx && rxs && txd);
	CHECK_INT(mkpkt(tx, true, 60, SSRC_A, false, &p, &plain), 0);
	CHECK_INT(p.len, plain.len + 4 + su(id)->srtcp_tag_len);
	CHECK_MEM(p.b, plain.b, plain.len);   /* readable */
	CHECK_INT(p.b[eidx_at(id, plain.len)] & 0x80, 0); /* RFC 3711 §3.4: E = 0 */
	c = p;
	c.b[30] ^= 1;
	CHECK_INT(rx(rxs, true, &c), CL_SRTP_ERR_AUTH);
	c = p;
	c.b[eidx_at(id, plain.len)] |= 0x80; /* claim encryption: E is authenticated */
	CHECK_INT(rx(rxs, true, &c), CL_SRTP_ERR_AUTH);
	CHECK(rx_same(rxs, true, &p, &plain));
	/* The default session sets E and encrypts (for a real cipher). */
	CHECK_INT(mkpkt(txd, true, 60, SSRC_A, false, &p, &plain), 0);
	if (su(id)->cipher != CL_SRTP_CIPHER_NULL) {
		CHECK(p.b[eidx_at(id, plain.len)] & 0x80);
		CHECK(payload_differs(&p, &plain, 8, plain.len));
	}
	/* SRTP is still encrypted. */
	CHECK_INT(mkpkt(tx, false, 60, SSRC_A, false, &p, &plain), 0);
	if (su(id)->cipher != CL_SRTP_CIPHER_NULL)
		CHECK(payload_differs(&p, &plain, 12, plain.len));
	CHECK(rx_same(rxs, false, &p, &plain));
}

TEST(srtpneg_unencrypted_srtcp)
{
	each_suite(t, one_unenc_srtcp, false);
}

static void one_unauth_srtp(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id,
			    bool rtcp)
{
	struct opts o = { .uauth = true, .mki_len = 2, .nkeys = 2 };
	struct cl_srtp *tx = NULL, *rxs;
	struct pkt p, plain, c;

	if (is_gcm(id)) {
		CHECK_INT(mk(&tx, id, &o), EINVAL);
		return;
	}
	tx = open_s(ss, id, &o);
	rxs = open_s(ss, id, &o);
	CHECK(tx && rxs);
	CHECK_INT(cl_srtp_overhead(tx, false), 2);
	CHECK_INT(cl_srtp_overhead(tx, true), 4 + 2 + su(id)->srtcp_tag_len);
	CHECK_INT(mkpkt(tx, false, 70, SSRC_A, false, &p, &plain), 0);
	CHECK_INT(p.len, plain.len + 2); /* MKI only, no tag */
	CHECK_MEM(p.b + plain.len, mkival(0), 2);
	if (su(id)->cipher != CL_SRTP_CIPHER_NULL)
		CHECK(payload_differs(&p, &plain, 12, plain.len));
	CHECK(rx_same(rxs, false, &p, &plain));
	/* SRTCP keeps its tag (RFC 3711 §3.4). */
	CHECK_INT(mkpkt(tx, true, 70, SSRC_A, false, &p, &plain), 0);
	CHECK_INT(p.len, plain.len + 4 + 2 + su(id)->srtcp_tag_len);
	c = p;
	c.b[20] ^= 1;
	CHECK_INT(rx(rxs, true, &c), CL_SRTP_ERR_AUTH);
	CHECK(rx_same(rxs, true, &p, &plain));
}

TEST(srtpneg_unauthenticated_srtp)
{
	each_suite(t, one_unauth_srtp, false);
}

/* ---- KDR (RFC 3711 §4.3.1): r = index DIV kdr ---- */

static void one_kdr(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id, bool rtcp)
{
	struct opts o16 = { .kdr = 16 }, o0 = { 0 };
	struct cl_srtp *tx = open_s(ss, id, &o16), *rxs = open_s(ss, id, &o16);
	struct cl_srtp *tx0 = open_s(ss, id, &o0), *late = open_s(ss, id, &o16);
	size_t n = rtcp ? 40 : 100;
	struct pkt *pk = ss->mem = calloc(2 * n, sizeof(*pk)), *plain = pk + n;
	struct pkt q;

	CHECK(tx && rxs && tx0 && late && pk);
	for (size_t i = 0; i < n; i++) {
		CHECK_INT(mkpkt(tx, rtcp, (uint16_t)i, SSRC_A, false, &pk[i], &plain[i]), 0);
		CHECK_INT(mkpkt(tx0, rtcp, (uint16_t)i, SSRC_A, false, &q, NULL), 0);
		CHECK_INT(q.len, pk[i].len);
		/* r = 0 for the first 16 indices: the same session keys as KDR 0. */
		if (i < 16)
			CHECK_MEM(pk[i].b, q.b, q.len);
		else
			CHECK(memcmp(pk[i].b, q.b, q.len) != 0);
		CHECK(rx_same(rxs, rtcp, &pk[i], &plain[i]));
	}
	/* A receiver joining late derives r = 6 (or 2) directly, then goes back a few r. */
	CHECK(rx_same(late, rtcp, &pk[n - 1], &plain[n - 1]));
	CHECK(rx_same(late, rtcp, &pk[n - 20], &plain[n - 20]));
	CHECK(rx_same(late, rtcp, &pk[n - 2], &plain[n - 2]));
	CHECK(rx_same(late, rtcp, &pk[n - 37], &plain[n - 37]));
	CHECK_INT(rx(late, rtcp, &pk[n - 20]), CL_SRTP_ERR_REPLAY);
}

TEST(srtpneg_kdr_rederives)
{
	each_suite(t, one_kdr, true);
}

/* ---- ROC (RFC 3711 §3.3.1) ---- */

static void one_roc(struct cl_test *t, struct sess *ss, enum cl_srtp_suite_id id, bool rtcp)
{
	struct opts o7 = { .roc = 7 }, o = { 0 };
	struct cl_srtp *tx = open_s(ss, id, &o7), *rx0 = open_s(ss, id, &o);
	struct cl_srtp *rx7 = open_s(ss, id, &o7), *tx2 = open_s(ss, id, &o);
	struct cl_srtp *rx2 = open_s(ss, id, &o);
	static const uint16_t wrap[] = { 65533, 65534, 65535, 0, 1, 2 };
	struct pkt p, plain;
	uint32_t roc = 0;

	CHECK(tx && rx0 && rx7 && tx2 && rx2);
	CHECK_INT(mkpkt(tx, false, 10, SSRC_A, false, &p, &plain), 0);
	CHECK_INT(cl_srtp_get_roc(tx, SSRC_A, &roc), 0);
	CHECK_INT(roc, 7);
	if (authed(id, false, &o))
		CHECK_INT(rx(rx0, false, &p), CL_SRTP_ERR_AUTH); /* wrong ROC */
	CHECK_INT(cl_srtp_get_roc(rx0, SSRC_B, &roc), ENOENT);
	CHECK_INT(cl_srtp_set_roc(rx0, SSRC_A, 7), 0);
	CHECK_INT(cl_srtp_get_roc(rx0, SSRC_A, &roc), 0);
	CHECK_INT(roc, 7);
	CHECK(rx_same(rx0, false, &p, &plain));
	CHECK_INT(rx(rx0, false, &p), CL_SRTP_ERR_REPLAY);
	CHECK(rx_same(rx7, false, &p, &plain));
	CHECK_INT(cl_srtp_get_roc(rx7, SSRC_A, &roc), 0);
	CHECK_INT(roc, 7);
	/* Re-keying a restarted sender: set a new ROC on a known SSRC. */
	CHECK_INT(cl_srtp_set_roc(tx, SSRC_A, 9), 0);
	CHECK_INT(mkpkt(tx, false, 11, SSRC_A, false, &p, &plain), 0);
	CHECK_INT(cl_srtp_set_roc(rx7, SSRC_A, 9), 0);
	CHECK_INT(cl_srtp_get_roc(rx7, SSRC_A, &roc), 0);
	CHECK_INT(roc, 9);
	CHECK(rx_same(rx7, false, &p, &plain));
	/* Sequence wrap: both sides move to ROC 1. */
	for (size_t i = 0; i < CL_ARRAY_SIZE(wrap); i++) {
		CHECK_INT(mkpkt(tx2, false, wrap[i], SSRC_B, false, &p, &plain), 0);
		CHECK(rx_same(rx2, false, &p, &plain));
	}
	CHECK_INT(cl_srtp_get_roc(tx2, SSRC_B, &roc), 0);
	CHECK_INT(roc, 1);
	CHECK_INT(cl_srtp_get_roc(rx2, SSRC_B, &roc), 0);
	CHECK_INT(roc, 1);
}

TEST(srtpneg_roc_get_set)
{
	each_suite(t, one_roc, false);
}
