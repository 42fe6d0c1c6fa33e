/* Official test vectors for the SRTP engine, as data tables.
 *
 *   RFC 3711 Appendix B.1  AES-f8 (the primitive, its IV', and a whole SRTP packet)
 *   RFC 3711 Appendix B.2  AES-CM keystream (all 65282 blocks, and as an SRTP packet)
 *   RFC 3711 Appendix B.3  key derivation (the PRF, and a session keyed from the master key)
 *   RFC 6188 §7            AES-256/AES-192 keystreams, the AES_256_CM_PRF
 *   RFC 7714 §16           AEAD_AES_128_GCM and AEAD_AES_256_GCM SRTP packets
 *
 * Where each value comes from, and which RFC sections are not covered and why, is in
 * docs/vectors.md. Every table-driven test runs all of its vectors and names each one
 * that fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "srtp/srtp.h"
#include "srtp/srtp_int.h"
#include "test.h"

#define VEC_MAX 512 /* largest decoded hex value in any table below */

/* Marks the test failed, naming the vector and what differed; the loop goes on. */
static bool vec_mem(struct cl_test *t, const char *vec, const char *what, const uint8_t *got,
		    const uint8_t *want, size_t n)
{
	if (memcmp(got, want, n) == 0)
		return true;
	cl_test_hexdiff(got, want, n);
	cl_test_fail(t, __FILE__, __LINE__, "vector %s: %s differs", vec, what);
	return false;
}

static bool vec_int(struct cl_test *t, const char *vec, const char *what, long long got,
		    long long want)
{
	if (got == want)
		return true;
	cl_test_fail(t, __FILE__, __LINE__, "vector %s: %s = %lld, want %lld", vec, what, got,
		     want);
	return false;
}

/* ------------------------------------------------------------------------------------
 * AES-CM keystream: RFC 3711 §4.1.1, Appendix B.2; RFC 6188 §7.
 * The segment is generated whole from the IV, then the listed blocks are compared.
 * ------------------------------------------------------------------------------------ */

struct ks_block {
	uint32_t index; /* block number from the IV: counter - offset */
	const char *hex;
};

struct ks_vec {
	const char *name;
	const char *key;
	const char *iv;      /* 16-octet first counter block ("Offset") */
	uint32_t blocks;     /* keystream segment length in AES blocks */
	struct ks_block want[6];
	size_t nwant;
};

static const struct ks_vec ks_vecs[] = {
	{ "RFC3711-B.2 AES-128-CM", "2B7E151628AED2A6ABF7158809CF4F3C",
	  "F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000", 65282,
	  { { 0x0000, "E03EAD0935C95E80E166B16DD92B4EB4" },
	    { 0x0001, "D23513162B02D0F72A43A2FE4A5F97AB" },
	    { 0x0002, "41E95B3BB0A2E8DD477901E4FCA894C0" },
	    { 0xFEFF, "EC8CDF7398607CB0F2D21675EA9EA1E4" },
	    { 0xFF00, "362B7C3C6773516318A077D7FC5073AE" },
	    { 0xFF01, "6A2CC3787889374FBEB4C81B17BA6C44" } },
	  6 },
	{ "RFC6188-7 AES-256-CM",
	  "57f82fe3613fd170a85ec93c40b1f092 2ec4cb0dc025b58272147cc438944a98",
	  "f0f1f2f3f4f5f6f7f8f9fafbfcfd0000", 3,
	  { { 0, "92bdd28a93c3f52511c677d08b5515a4" },
	    { 1, "9da71b2378a854f67050756ded165bac" },
	    { 2, "63c4868b7096d88421b563b8c94c9a31" } },
	  3 },
	{ "RFC6188-7 AES-192-CM", "eab234764e517b2d3d160d587d8c86219740f65f99b6bcf7",
	  "f0f1f2f3f4f5f6f7f8f9fafbfcfd0000", 2,
	  { { 0, "35096cba4610028dc1b57503804ce37c" },
	    { 1, "5de986291dcce161d5165ec4568f5c9a" } },
	  2 },
};

static void run_ks_vec(struct cl_test *t, const struct ks_vec *v)
{
	uint8_t key[32], iv[16], want[16];
	size_t klen = cl_test_hex(v->key, key, sizeof(key));
	size_t n = (size_t)v->blocks * 16;
	uint8_t *ks = malloc(n);

	cl_test_hex(v->iv, iv, sizeof(iv));
	if (!ks) {
		cl_test_fail(t, __FILE__, __LINE__, "vector %s: out of memory", v->name);
		return;
	}
	if (vec_int(t, v->name, "cl_srtp_aes_cm_keystream",
		    cl_srtp_aes_cm_keystream(key, klen, iv, ks, n), 0)) {
		for (size_t i = 0; i < v->nwant; i++) {
			char what[48];

			cl_test_hex(v->want[i].hex, want, sizeof(want));
			snprintf(what, sizeof(what), "keystream block 0x%04x", v->want[i].index);
			if (!vec_mem(t, v->name, what, ks + (size_t)v->want[i].index * 16, want, 16))
				break;
		}
	}
	free(ks);
}

TEST(vector_aes_cm_keystream)
{
	for (size_t i = 0; i < CL_ARRAY_SIZE(ks_vecs); i++)
		run_ks_vec(t, &ks_vecs[i]);
}

/* ------------------------------------------------------------------------------------
 * Key derivation PRF: RFC 3711 §4.3.1/§4.3.3 and Appendix B.3; RFC 6188 §7
 * (AES_256_CM_PRF). index DIV kdr is 0 in every published vector.
 * ------------------------------------------------------------------------------------ */

struct kdf_vec {
	const char *name;
	const char *mkey;
	const char *msalt;
	uint8_t label;
	const char *out;
};

#define B3_KEY "E1F97A0D3E018BE0D64FA32C06DE4139"
#define B3_SALT "0EC675AD498AFEEBB6960B3AABE6"
#define R6188_KEY "f0f04914b513f2763a1b1fa130f10e29 98f6f6e43e4309d1e622a0e332b9f1b6"
#define R6188_SALT "3b04803de51ee7c96423ab5b78d2"

static const struct kdf_vec kdf_vecs[] = {
	{ "RFC3711-B.3 cipher key", B3_KEY, B3_SALT, CL_SRTP_LABEL_RTP_ENC,
	  "C61E7A93744F39EE10734AFE3FF7A087" },
	{ "RFC3711-B.3 cipher salt", B3_KEY, B3_SALT, CL_SRTP_LABEL_RTP_SALT,
	  "30CBBC08863D8C85D49DB34A9AE1" },
	/* B.3 lists 94 octets of auth key (six AES blocks, the last cut to 14). */
	{ "RFC3711-B.3 auth key", B3_KEY, B3_SALT, CL_SRTP_LABEL_RTP_AUTH,
	  "CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE "
	  "E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25 "
	  "6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2" },
	{ "RFC6188-7 AES_256_CM_PRF cipher key", R6188_KEY, R6188_SALT, CL_SRTP_LABEL_RTP_ENC,
	  "5ba1064e30ec51613cad926c5a28ef73 1ec7fb397f70a960653caf06554cd8c4" },
	{ "RFC6188-7 AES_256_CM_PRF cipher salt", R6188_KEY, R6188_SALT,
	  CL_SRTP_LABEL_RTP_SALT, "fa31791685ca444a9e07c6c64e93" },
	{ "RFC6188-7 AES_256_CM_PRF auth key", R6188_KEY, R6188_SALT, CL_SRTP_LABEL_RTP_AUTH,
	  "fd9c32d39ed5fbb5a9dc96b30818454d1313dc05" },
};

static void run_kdf_vec(struct cl_test *t, const struct kdf_vec *v)
{
	uint8_t mk[32], ms[14], want[VEC_MAX], got[VEC_MAX];
	size_t mkl = cl_test_hex(v->mkey, mk, sizeof(mk));
	size_t msl = cl_test_hex(v->msalt, ms, sizeof(ms));
	size_t n = cl_test_hex(v->out, want, sizeof(want));

	memset(got, 0xa5, sizeof(got));
	if (!vec_int(t, v->name, "cl_srtp_kdf",
		     cl_srtp_kdf(mk, mkl, ms, msl, v->label, 0, got, n), 0))
		return;
	if (!vec_mem(t, v->name, "derived bytes", got, want, n))
		return;
	/* RFC 3711 §4.3.1: exactly n octets are written, nothing past them. */
	vec_int(t, v->name, "octet after the output", got[n], 0xa5);
}

TEST(vector_kdf_prf)
{
	for (size_t i = 0; i < CL_ARRAY_SIZE(kdf_vecs); i++)
		run_kdf_vec(t, &kdf_vecs[i]);
}

/* ------------------------------------------------------------------------------------
 * AES-f8, the primitive: RFC 3711 §4.1.2 and Appendix B.1.
 * B.1 gives a 4-octet "salt key" and the mask m = salt ‖ 0x55...55 (16 octets). The
 * engine takes a 14-octet session salt and builds m = salt ‖ 0x5555 (§4.1.2.2), so the
 * salt below is the B.1 salt followed by ten 0x55 octets: both give the same m.
 * ------------------------------------------------------------------------------------ */

#define B1_KEY "234829008467be186c3de14aae72d62c"
#define B1_SALT14 "32f2870d 55555555555555555555"
#define B1_HDR "806e5cba50681de55c621599"
#define B1_PT                                                                               \
	"70736575646f72616e646f6d6e657373 20697320746865206e65787420626573 74207468696e67"
#define B1_CT                                                                               \
	"019ce7a26e7854014a6366aa95d4eefd 1ad4172a14f9faf455b7f1d4b62bd08f 562c0eef7c4802"

TEST(vector_rfc3711_b1_f8)
{
	const struct cl_srtp_suite *su = cl_srtp_suite_get(CL_SRTP_F8_128_HMAC_SHA1_80);
	struct cl_srtp_keys ks;
	uint8_t key[16], salt[14], auth[20], iv[16], ivp[16], want[64], buf[64];
	size_t n;
	int ol = 0;

	memset(&ks, 0, sizeof(ks));
	memset(auth, 0x01, sizeof(auth)); /* B.1 has no auth key; any will do */
	cl_test_hex(B1_KEY, key, sizeof(key));
	cl_test_hex(B1_SALT14, salt, sizeof(salt));
	CHECK(su != NULL);
	CHECK_INT(cl_srtp_keys_init(&ks, su), 0);
	CHECK_INT(cl_srtp_keys_set(&ks, su, key, salt, auth), 0);

	/* IV' = E(k_e XOR m, IV), B.1 "IV'" line; f8iv is that keyed ECB context. */
	cl_test_hex("006e5cba50681de55c621599d462564a", iv, sizeof(iv));
	cl_test_hex("595b699bbd3bc0df26062093c1ad8f73", want, sizeof(want));
	CHECK(ks.f8iv != NULL);
	CHECK(EVP_EncryptUpdate(ks.f8iv, ivp, &ol, iv, 16) == 1);
	CHECK_INT(ol, 16);
	CHECK_MEM(ivp, want, 16);

	n = cl_test_hex(B1_PT, buf, sizeof(buf));
	cl_test_hex(B1_CT, want, sizeof(want));
	CHECK_INT(cl_srtp_f8_crypt(&ks, iv, buf, n), 0);
	CHECK_MEM(buf, want, n);
	/* f8 is its own inverse under the same IV. */
	CHECK_INT(cl_srtp_f8_crypt(&ks, iv, buf, n), 0);
	cl_test_hex(B1_PT, want, sizeof(want));
	CHECK_MEM(buf, want, n);
	cl_srtp_keys_clear(&ks);
}

/* ------------------------------------------------------------------------------------
 * Whole SRTP packets through a session keyed with the vector's session keys
 * (cl_srtp_set_session_keys), ROC from the vector (cl_srtp_set_roc).
 *   - protect: the output starts with `want` (the whole packet where the RFC gives the
 *     tag, header ‖ ciphertext where it does not) and is plaintext + tag long;
 *   - unprotect on a second session brings back the plaintext;
 *   - one flipped bit in the last octet is refused as CL_SRTP_ERR_AUTH.
 * ------------------------------------------------------------------------------------ */

struct pkt_vec {
	const char *name;
	enum cl_srtp_suite_id suite;
	const char *key;
	const char *salt;
	const char *auth; /* NULL: AEAD suites, or a vector without one (any key is used) */
	uint32_t roc;
	const char *plain;
	const char *want;
};

/* RFC 7714 §16.1.1 / §16.2.1: one RTP packet, key 00..0f (00..1f), salt "Quid pro quo". */
#define GCM_SALT "517569642070726f2071756f"
#define GCM_PLAIN                                                                           \
	"8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976 "          \
	"69736120 696e2070 61727465 73207472 6573"

static const struct pkt_vec pkt_vecs[] = {
	{ "RFC3711-B.1 f8 packet", CL_SRTP_F8_128_HMAC_SHA1_80, B1_KEY, B1_SALT14, NULL,
	  0xd462564a, B1_HDR " " B1_PT, B1_HDR " " B1_CT },
	/* B.2 as a packet: SSRC 0, SEQ 0, ROC 0 make the IV the B.2 offset, so 48 zero
	 * payload octets encrypt to keystream blocks 0..2. */
	{ "RFC3711-B.2 AES-CM packet", CL_SRTP_AES_CM_128_HMAC_SHA1_80,
	  "2B7E151628AED2A6ABF7158809CF4F3C", "F0F1F2F3F4F5F6F7F8F9FAFBFCFD", NULL, 0,
	  "800000000000000000000000 00000000000000000000000000000000 "
	  "00000000000000000000000000000000 00000000000000000000000000000000",
	  "800000000000000000000000 E03EAD0935C95E80E166B16DD92B4EB4 "
	  "D23513162B02D0F72A43A2FE4A5F97AB 41E95B3BB0A2E8DD477901E4FCA894C0" },
	{ "RFC7714-16.1.1 AEAD_AES_128_GCM", CL_SRTP_AEAD_AES_128_GCM,
	  "000102030405060708090a0b0c0d0e0f", GCM_SALT, NULL, 0, GCM_PLAIN,
	  "8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f "
	  "42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce" },
	{ "RFC7714-16.2.1 AEAD_AES_256_GCM", CL_SRTP_AEAD_AES_256_GCM,
	  "000102030405060708090a0b0c0d0e0f 101112131415161718191a1b1c1d1e1f", GCM_SALT, NULL,
	  0, GCM_PLAIN,
	  "8040f17b 8041f8d3 5501a0b2 32b1de78 a822fe12 ef9f78fa 332e33aa b1801238 9a58e2f3 "
	  "b50b2a02 76ffae0f 1ba63799 b87b7aa3 db36dfff d6b0f9bb 7878d7a7 6c13" },
};

/* Creates a session for suite with a throw-away master key, then installs the given
 * SRTP (or SRTCP) session keys and the ROC of ssrc. Returns NULL on any error. */
static struct cl_srtp *session_with_keys(const struct cl_srtp_suite *su, bool rtcp,
					 const uint8_t *key, const uint8_t *salt,
					 const uint8_t *auth, uint32_t ssrc, uint32_t roc)
{
	uint8_t master[CL_SRTP_MAX_KEY_LEN + CL_SRTP_MAX_SALT_LEN];
	struct cl_srtp_master_key mk = { master, NULL, 0, 0 };
	struct cl_srtp_params prm = { 0 };
	struct cl_srtp *s = NULL;

	memset(master, 0x5a, sizeof(master));
	prm.suite = su;
	prm.keys = &mk;
	prm.nkeys = 1;
	if (cl_srtp_alloc(&s, &prm) != 0)
		return NULL;
	if (cl_srtp_set_session_keys(s, 0, rtcp, key, salt, auth) != 0 ||
	    cl_srtp_set_roc(s, ssrc, roc) != 0) {
		cl_srtp_free(s);
		return NULL;
	}
	return s;
}

struct pkt_bytes {
	uint8_t key[32], salt[14], auth[20];
	uint8_t plain[VEC_MAX], want[VEC_MAX];
	size_t plain_len, want_len;
	uint32_t ssrc;
};

static void pkt_decode(const struct pkt_vec *v, struct pkt_bytes *b)
{
	memset(b, 0, sizeof(*b));
	memset(b->auth, 0x01, sizeof(b->auth));
	cl_test_hex(v->key, b->key, sizeof(b->key));
	cl_test_hex(v->salt, b->salt, sizeof(b->salt));
	if (v->auth)
		cl_test_hex(v->auth, b->auth, sizeof(b->auth));
	b->plain_len = cl_test_hex(v->plain, b->plain, sizeof(b->plain));
	b->want_len = cl_test_hex(v->want, b->want, sizeof(b->want));
	b->ssrc = (uint32_t)b->plain[8] << 24 | (uint32_t)b->plain[9] << 16 |
		  (uint32_t)b->plain[10] << 8 | b->plain[11];
}

/* Protects the plaintext; on success buf[0..*len) is the SRTP packet. */
static bool pkt_protect(struct cl_test *t, const struct pkt_vec *v,
			const struct cl_srtp_suite *su, const struct pkt_bytes *b, uint8_t *buf,
			size_t *len)
{
	struct cl_srtp *tx = session_with_keys(su, false, b->key, b->salt, b->auth, b->ssrc,
					       v->roc);
	bool ok;

	if (!vec_int(t, v->name, "sender session set up", tx != NULL, 1))
		return false;
	memcpy(buf, b->plain, b->plain_len);
	*len = b->plain_len;
	ok = vec_int(t, v->name, "cl_srtp_protect", cl_srtp_protect(tx, buf, len, VEC_MAX), 0) &&
	     vec_int(t, v->name, "protected length", (long long)*len,
		     (long long)(b->plain_len + su->srtp_tag_len)) &&
	     vec_mem(t, v->name, "protected packet", buf, b->want, b->want_len);
	cl_srtp_free(tx);
	return ok;
}

/* Unprotects buf on a fresh receiver; expects err, and the plaintext when err is 0. */
static bool pkt_unprotect(struct cl_test *t, const struct pkt_vec *v,
			  const struct cl_srtp_suite *su, const struct pkt_bytes *b,
			  uint8_t *buf, size_t len, int err, const char *what)
{
	struct cl_srtp *rx = session_with_keys(su, false, b->key, b->salt, b->auth, b->ssrc,
					       v->roc);
	bool ok;

	if (!vec_int(t, v->name, "receiver session set up", rx != NULL, 1))
		return false;
	ok = vec_int(t, v->name, what, cl_srtp_unprotect(rx, buf, &len), err);
	if (ok && err == 0)
		ok = vec_int(t, v->name, "unprotected length", (long long)len,
			     (long long)b->plain_len) &&
		     vec_mem(t, v->name, "unprotected packet", buf, b->plain, len);
	cl_srtp_free(rx);
	return ok;
}

static void run_pkt_vec(struct cl_test *t, const struct pkt_vec *v)
{
	const struct cl_srtp_suite *su = cl_srtp_suite_get(v->suite);
	struct pkt_bytes b;
	uint8_t buf[VEC_MAX], bad[VEC_MAX];
	size_t len = 0;

	pkt_decode(v, &b);
	if (!vec_int(t, v->name, "suite exists", su != NULL, 1) ||
	    !pkt_protect(t, v, su, &b, buf, &len))
		return;
	memcpy(bad, buf, len);
	bad[len - 1] ^= 0x01; /* last octet of the tag */
	if (!pkt_unprotect(t, v, su, &b, buf, len, 0, "cl_srtp_unprotect"))
		return;
	pkt_unprotect(t, v, su, &b, bad, len, CL_SRTP_ERR_AUTH, "unprotect with a bad tag");
}

TEST(vector_srtp_packets)
{
	for (size_t i = 0; i < CL_ARRAY_SIZE(pkt_vecs); i++)
		run_pkt_vec(t, &pkt_vecs[i]);
}

/* ------------------------------------------------------------------------------------
 * The session's own key derivation against the published session keys: a session
 * keyed from the vector's master key and salt must produce the same SRTP packet, tag
 * included, as a session given the derived keys directly. RFC 3711 B.3 (AES-128 PRF)
 * and RFC 6188 §7 (AES_256_CM_PRF).
 * ------------------------------------------------------------------------------------ */

struct derive_vec {
	const char *name;
	enum cl_srtp_suite_id suite;
	const char *master; /* master key ‖ master salt, as an SDES inline: carries them */
	const char *key, *salt, *auth;
};

static const struct derive_vec derive_vecs[] = {
	{ "RFC3711-B.3 session", CL_SRTP_AES_CM_128_HMAC_SHA1_80, B3_KEY " " B3_SALT,
	  "C61E7A93744F39EE10734AFE3FF7A087", "30CBBC08863D8C85D49DB34A9AE1",
	  "CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA4" },
	{ "RFC6188-7 AES_256_CM_PRF session", CL_SRTP_AES_256_CM_HMAC_SHA1_80,
	  R6188_KEY " " R6188_SALT,
	  "5ba1064e30ec51613cad926c5a28ef73 1ec7fb397f70a960653caf06554cd8c4",
	  "fa31791685ca444a9e07c6c64e93", "fd9c32d39ed5fbb5a9dc96b30818454d1313dc05" },
};

#define DERIVE_RTP                                                                          \
	"80 60 1234 00000064 cafebabe 000102030405060708090a0b0c0d0e0f "                    \
	"101112131415161718191a1b1c1d1e1f"

static bool derive_protect(struct cl_test *t, const char *name, struct cl_srtp *s,
			   uint8_t *buf, size_t *len)
{
	if (!vec_int(t, name, "session set up", s != NULL, 1))
		return false;
	*len = cl_test_hex(DERIVE_RTP, buf, VEC_MAX);
	return vec_int(t, name, "cl_srtp_protect", cl_srtp_protect(s, buf, len, VEC_MAX), 0);
}

static void run_derive_vec(struct cl_test *t, const struct derive_vec *v)
{
	const struct cl_srtp_suite *su = cl_srtp_suite_get(v->suite);
	uint8_t master[48], key[32], salt[14], auth[20], a[VEC_MAX], b[VEC_MAX];
	struct cl_srtp_master_key mk = { master, NULL, 0, 0 };
	struct cl_srtp_params prm = { 0 };
	struct cl_srtp *from_master = NULL, *from_keys;
	size_t alen = 0, blen = 0;

	cl_test_hex(v->master, master, sizeof(master));
	cl_test_hex(v->key, key, sizeof(key));
	cl_test_hex(v->salt, salt, sizeof(salt));
	cl_test_hex(v->auth, auth, sizeof(auth));
	prm.suite = su;
	prm.keys = &mk;
	prm.nkeys = 1;
	if (cl_srtp_alloc(&from_master, &prm) != 0)
		from_master = NULL;
	from_keys = session_with_keys(su, false, key, salt, auth, 0xcafebabe, 0);
	if (derive_protect(t, v->name, from_master, a, &alen) &&
	    derive_protect(t, v->name, from_keys, b, &blen) &&
	    vec_int(t, v->name, "packet length", (long long)alen, (long long)blen))
		vec_mem(t, v->name, "packet from the master key", a, b, alen);
	cl_srtp_free(from_master);
	cl_srtp_free(from_keys);
}

TEST(vector_kdf_sessions)
{
	for (size_t i = 0; i < CL_ARRAY_SIZE(derive_vecs); i++)
		run_derive_vec(t, &derive_vecs[i]);
}

/* ------------------------------------------------------------------------------------
 * RFC 7714 erratum 4938 (Section 11, verified): the 96-bit GCM master salt is
 * multiplied by 2^16 (16 zero bits appended) before the RFC 3711 / RFC 6188 KDF. No
 * published bytes go with it, so this checks the rule itself: a 12-octet salt must
 * derive exactly what the same salt followed by 0x0000 derives, for every label.
 * ------------------------------------------------------------------------------------ */

TEST(vector_rfc7714_errata4938_salt)
{
	uint8_t mk[32], s12[12], s14[14], a[32], b[32];

	cl_test_hex(R6188_KEY, mk, sizeof(mk));
	cl_test_hex(GCM_SALT, s12, sizeof(s12));
	cl_test_hex(GCM_SALT " 0000", s14, sizeof(s14));
	for (uint8_t label = CL_SRTP_LABEL_RTP_ENC; label <= CL_SRTP_LABEL_RTCP_SALT; label++) {
		for (size_t klen = 16; klen <= 32; klen += 16) {
			CHECK_INT(cl_srtp_kdf(mk, klen, s12, 12, label, 0, a, klen), 0);
			CHECK_INT(cl_srtp_kdf(mk, klen, s14, 14, label, 0, b, klen), 0);
			CHECK_MEM(a, b, klen);
		}
	}
}
