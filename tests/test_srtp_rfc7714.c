/* RFC 7714 §16 (SRTP) and §17 (SRTCP) AES-GCM vectors, transcribed from the RFC
 * editor's text (sections 16 and 17 verbatim). They publish session keys, so the
 * sessions are keyed with cl_srtp_set_session_keys. Every vector is checked both
 * ways: protect gives the RFC's octets, unprotect gives the RFC's plaintext back.
 *
 * Also here: the §17 preamble erratum, and RFC 6188 §7.4's AES-192 KDF. */
#include "base/base.h"
#include "srtp/srtp_int.h"
#include "test.h"

#define KEY128 "000102030405060708090a0b0c0d0e0f"
#define KEY256 KEY128 "101112131415161718191a1b1c1d1e1f"
#define SALT "51756964 2070726f 2071756f" /* "Quid pro quo" */

/* §16 preamble: header 8040f17b 8041f8d3 5501a0b2, payload "Gallia est omnis ..." */
#define RTP_PLAIN                                                              \
	"8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976" \
	"69736120 696e2070 61727465 73207472 6573"
/* §17.1 "Encrypting the following packet" (see rfc7714_17_preamble_erratum) */
#define RTCP_PLAIN                                                             \
	"81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61" \
	"deadbeef deadbeef deadbeef deadbeef deadbeef"

struct gcm_vec {
	const char *name;
	enum cl_srtp_suite_id suite;
	bool rtcp;
	bool encrypt;      /* false: the "Tagging" vectors (UNENCRYPTED_SRTP/SRTCP, E=0) */
	const char *key;
	const char *plain;
	const char *protected;
};

static const struct gcm_vec vecs[] = {
	{ "16.1.1/16.1.2 SRTP AEAD_AES_128_GCM", CL_SRTP_AEAD_AES_128_GCM, false, true, KEY128,
	  RTP_PLAIN,
	  "8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5"
	  "0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce" },
	{ "16.1.3/16.1.4 SRTP AEAD_AES_128_GCM tagging", CL_SRTP_AEAD_AES_128_GCM, false, false,
	  KEY128, RTP_PLAIN,
	  "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976"
	  "69736120 696e2070 61727465 73207472 65732249 3f82d2bc e397e9d7 9e3b19aa 4216" },
	{ "16.2.1/16.2.2 SRTP AEAD_AES_256_GCM", CL_SRTP_AEAD_AES_256_GCM, false, true, KEY256,
	  RTP_PLAIN,
	  "8040f17b 8041f8d3 5501a0b2 32b1de78 a822fe12 ef9f78fa 332e33aa b1801238"
	  "9a58e2f3 b50b2a02 76ffae0f 1ba63799 b87b7aa3 db36dfff d6b0f9bb 7878d7a7 6c13" },
	{ "16.2.3/16.2.4 SRTP AEAD_AES_256_GCM tagging", CL_SRTP_AEAD_AES_256_GCM, false, false,
	  KEY256, RTP_PLAIN,
	  "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976"
	  "69736120 696e2070 61727465 73207472 6573a866 d5910f88 7463067c eefec452 15d4" },
	{ "17.1 SRTCP AEAD_AES_128_GCM", CL_SRTP_AEAD_AES_128_GCM, true, true, KEY128,
	  RTCP_PLAIN,
	  "81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d"
	  "c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872"
	  "45d9eade 800005d4" },
	{ "17.2 SRTCP AEAD_AES_256_GCM", CL_SRTP_AEAD_AES_256_GCM, true, true, KEY256,
	  RTCP_PLAIN,
	  "81c8000d 4d617273 d50ae4d1 f5ce5d30 4ba297e4 7d470c28 2c3ece5d bffe0a50"
	  "a2eaa5c1 110555be 8415f658 c61de047 6f1b6fad 1d1eb30c 4446839f 57ff6f6c"
	  "b26ac3be 800005d4" },
	{ "17.3 SRTCP AEAD_AES_128_GCM tagging", CL_SRTP_AEAD_AES_128_GCM, true, false, KEY128,
	  RTCP_PLAIN,
	  "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61"
	  "deadbeef deadbeef deadbeef deadbeef deadbeef 841dd968 3dd78ec9 2ae58790"
	  "125f62b3 000005d4" },
	{ "17.4 SRTCP AEAD_AES_256_GCM tag verification", CL_SRTP_AEAD_AES_256_GCM, true, false,
	  KEY256, RTCP_PLAIN,
	  "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61"
	  "deadbeef deadbeef deadbeef deadbeef deadbeef 91db4afb feee5a97 8fab4393"
	  "ed2615fe 000005d4" },
};

#define RTCP_SSRC 0x4d617273u
#define RTCP_INDEX 0x5d4u /* "with 32-bit SRTCP index 000005d4" */

/* A session whose session keys are the vector's; the master key is irrelevant. */
static struct cl_srtp *vec_session(const struct gcm_vec *v)
{
	const struct cl_srtp_suite *su = cl_srtp_suite_get(v->suite);
	uint8_t master[44] = { 0 }, key[32], salt[12];
	struct cl_srtp_master_key mk = { master, NULL, 0, 0 };
	struct cl_srtp_params p = { .suite = su, .keys = &mk, .nkeys = 1 };
	struct cl_srtp *s = NULL;

	p.unencrypted_srtp = !v->encrypt && !v->rtcp;
	p.unencrypted_srtcp = !v->encrypt && v->rtcp;
	if (cl_srtp_alloc(&s, &p) != 0)
		return NULL;
	cl_test_hex(v->key, key, sizeof(key));
	cl_test_hex(SALT, salt, sizeof(salt));
	if (cl_srtp_set_session_keys(s, 0, v->rtcp, key, salt, NULL) != 0 ||
	    (v->rtcp && cl_srtcp_set_index(s, RTCP_SSRC, RTCP_INDEX) != 0)) {
		cl_srtp_free(s);
		return NULL;
	}
	return s;
}

static int vec_protect(struct cl_srtp *s, const struct gcm_vec *v, uint8_t *buf, size_t *n)
{
	return v->rtcp ? cl_srtcp_protect(s, buf, n, 256) : cl_srtp_protect(s, buf, n, 256);
}

static int vec_unprotect(struct cl_srtp *s, const struct gcm_vec *v, uint8_t *buf, size_t *n)
{
	return v->rtcp ? cl_srtcp_unprotect(s, buf, n) : cl_srtp_unprotect(s, buf, n);
}

/* Runs one vector both ways; returns a description of the first failure, or NULL. */
static const char *run_vec(const struct gcm_vec *v)
{
	uint8_t plain[256], want[256], buf[256];
	size_t np = cl_test_hex(v->plain, plain, sizeof(plain));
	size_t nw = cl_test_hex(v->protected, want, sizeof(want));
	size_t n = np;
	struct cl_srtp *tx = vec_session(v), *rx = vec_session(v);
	const char *fail = NULL;

	if (!tx || !rx) {
		fail = "session setup";
		goto out;
	}
	memcpy(buf, plain, np);
	if (vec_protect(tx, v, buf, &n) != 0 || n != nw || memcmp(buf, want, nw) != 0) {
		fail = "protect does not give the RFC's octets";
		goto out;
	}
	if (vec_unprotect(rx, v, buf, &n) != 0 || n != np || memcmp(buf, plain, np) != 0) {
		fail = "unprotect does not give the RFC's plaintext";
		goto out;
	}
	/* The published packet with its last tag octet flipped must not verify. */
	memcpy(buf, want, nw);
	n = nw;
	buf[v->rtcp ? nw - 5 : nw - 1] ^= 1;
	cl_srtp_free(rx);
	rx = vec_session(v);
	if (!rx || vec_unprotect(rx, v, buf, &n) != CL_SRTP_ERR_AUTH)
		fail = "a flipped tag bit still verifies";
out:
	cl_srtp_free(tx);
	cl_srtp_free(rx);
	return fail;
}

TEST(rfc7714_gcm_vectors)
{
	bool ok = true;

	for (size_t i = 0; i < CL_ARRAY_SIZE(vecs); i++) {
		const char *fail = run_vec(&vecs[i]);

		if (fail) {
			cl_test_fail(t, __FILE__, __LINE__, "RFC 7714 %s: %s", vecs[i].name, fail);
			ok = false;
		}
	}
	CHECK(ok);
}

/* §17's preamble says every example is based on 81c8000e ... 4e545031 4e545031 ...
 * 0000eb98 ..., but §17.1-17.4 encrypt 81c8000d ... 4e545031 4e545032 ... 0000e930 ...
 * (three words differ). The published outputs belong to the §17.1 packet, so the
 * preamble is the error: protecting it does not give §17.1's octets. */
TEST(rfc7714_17_preamble_erratum)
{
	static const char preamble[] =
		"81c8000e 4d617273 4e545031 4e545031 52545020 0000042a 0000eb98 4c756e61"
		"deadbeef deadbeef deadbeef deadbeef deadbeef";
	const struct gcm_vec *v = &vecs[4]; /* 17.1 */
	uint8_t buf[256], want[256];
	size_t n = cl_test_hex(preamble, buf, sizeof(buf));
	size_t nw = cl_test_hex(v->protected, want, sizeof(want));
	struct cl_srtp *s = vec_session(v);

	CHECK(s != NULL);
	CHECK_INT(cl_srtcp_protect(s, buf, &n, sizeof(buf)), 0);
	CHECK_INT(n, nw);
	CHECK(memcmp(buf, want, nw) != 0);
	cl_srtp_free(s);
}

/* RFC 6188 §7.4 (AES_192_CM_PRF), the cipher key's first 16 octets as the RFC gives
 * them. Debian's libsrtp2 2.5.0 derives AES-192 keys in AES-256 mode (libsrtp issue
 * #763, fixed by PR #765 in 2025), so it disagrees here and with us. */
TEST(rfc6188_aes192_kdf)
{
	uint8_t mk[24], ms[14], out[24], want[16];

	cl_test_hex("73edc66c4fa15776fb57f9505c17136550ffda71f3e8e5f1", mk, sizeof(mk));
	cl_test_hex("c8522f3acd4ce86d5add78edbb11", ms, sizeof(ms));
	cl_test_hex("31874736a8f1143870c26e4857d8a5b2", want, sizeof(want));
	CHECK_INT(cl_srtp_kdf(mk, 24, ms, 14, CL_SRTP_LABEL_RTP_ENC, 0, out, 24), 0);
	CHECK_MEM(out, want, 16);
}
