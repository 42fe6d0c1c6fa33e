/* The raw OpenSSL floor for the SRTP benchmark: the least work any SRTP
 * implementation on OpenSSL must do per packet, with nothing else around it.
 *
 *   AES-CM suites: AES-CTR on a context keyed once (only the IV is reset per packet)
 *                  plus HMAC-SHA1 from precomputed inner/outer SHA_CTX states
 *                  (RFC 2104), over header ‖ payload ‖ ROC (RFC 3711 §4.2), 10-byte tag.
 *   GCM suites:    EVP AES-GCM seal and open on a context keyed once, AAD = header
 *                  (RFC 7714 §8, §9).
 *
 * It has no replay window, no index estimation and no stream lookup: the sender knows
 * its index and the receiver is told its ROC. Session keys come from the RFC 3711 §4.3
 * PRF here (setup only), so the floor emits real SRTP and the benchmark can check that
 * all three implementations produce the same bytes.
 *
 * Included once, by bench_srtp.c. Bench-only code: the product keeps its own HMAC in
 * src/srtp/hmac.c. */
#ifndef CL_BENCH_FLOOR_H
#define CL_BENCH_FLOOR_H

#ifndef OPENSSL_SUPPRESS_DEPRECATED
#define OPENSSL_SUPPRESS_DEPRECATED 1
#endif
#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/sha.h>

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define FLOOR_HDR 12     /* the benchmark's RTP header: no CSRC, no extension */
#define FLOOR_HMAC_TAG 10
#define FLOOR_GCM_TAG 16

struct floor {
	EVP_CIPHER_CTX *tx;  /* CTR or GCM, encrypt direction */
	EVP_CIPHER_CTX *rx;  /* CTR (encrypt is decrypt) or GCM decrypt */
	SHA_CTX inner;       /* SHA-1 state after (k_a XOR ipad) */
	SHA_CTX outer;       /* SHA-1 state after (k_a XOR opad) */
	uint8_t salt[14];    /* session salt: 14 bytes for AES-CM, 12 for GCM */
	bool gcm;
	uint32_t rx_roc;     /* the receiver's ROC, given, not estimated */
};

static const EVP_CIPHER *floor_cipher(bool gcm, size_t key_len)
{
	if (gcm)
		return key_len == 32 ? EVP_aes_256_gcm() : EVP_aes_128_gcm();
	return key_len == 32 ? EVP_aes_256_ctr() : EVP_aes_128_ctr();
}

/* RFC 3711 §4.3.1 PRF with r = 0 (KDR 0): AES-CM keystream under the master key,
 * IV = (master_salt XOR label at byte 7) * 2^16. RFC 6188 §4 uses the same for
 * AES-256, and RFC 7714 §11 for GCM with its 12-byte salt padded with zero octets. */
static int floor_kdf(const uint8_t *mkey, size_t key_len, const uint8_t *msalt,
		     size_t salt_len, uint8_t label, uint8_t *out, size_t n)
{
	uint8_t iv[16] = { 0 };
	memcpy(iv, msalt, salt_len);
	iv[7] ^= label;
	memset(out, 0, n);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int outl = 0;
	int ok = c && EVP_EncryptInit_ex2(c, floor_cipher(false, key_len), mkey, iv, NULL) &&
		 EVP_EncryptUpdate(c, out, &outl, out, (int)n);
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

/* RFC 2104: precompute the inner and outer SHA-1 states for a key of <= 64 bytes. */
static void floor_hmac_init(struct floor *f, const uint8_t *key, size_t len)
{
	uint8_t ipad[64], opad[64];
	for (size_t i = 0; i < 64; i++) {
		uint8_t k = i < len ? key[i] : 0;
		ipad[i] = k ^ 0x36;
		opad[i] = k ^ 0x5c;
	}
	SHA1_Init(&f->inner);
	SHA1_Update(&f->inner, ipad, sizeof ipad);
	SHA1_Init(&f->outer);
	SHA1_Update(&f->outer, opad, sizeof opad);
	OPENSSL_cleanse(ipad, sizeof ipad);
	OPENSSL_cleanse(opad, sizeof opad);
}

/* Derives the SRTP session keys (labels 0, 1, 2) and keys both contexts once.
 * master = key ‖ salt as SDES carries it. Returns 0 or -1. */
static int floor_init(struct floor *f, bool gcm, const uint8_t *master, size_t key_len,
		      size_t salt_len)
{
	uint8_t ke[32], ka[20];
	memset(f, 0, sizeof *f);
	f->gcm = gcm;
	const uint8_t *ms = master + key_len;
	if (floor_kdf(master, key_len, ms, salt_len, 0x00, ke, key_len) ||
	    floor_kdf(master, key_len, ms, salt_len, 0x02, f->salt, salt_len))
		return -1;
	if (!gcm) {
		if (floor_kdf(master, key_len, ms, salt_len, 0x01, ka, sizeof ka))
			return -1;
		floor_hmac_init(f, ka, sizeof ka);
	}
	const EVP_CIPHER *c = floor_cipher(gcm, key_len);
	f->tx = EVP_CIPHER_CTX_new();
	f->rx = EVP_CIPHER_CTX_new();
	int ok = f->tx && f->rx && EVP_EncryptInit_ex2(f->tx, c, ke, NULL, NULL) &&
		 (gcm ? EVP_DecryptInit_ex2(f->rx, c, ke, NULL, NULL)
		      : EVP_EncryptInit_ex2(f->rx, c, ke, NULL, NULL));
	OPENSSL_cleanse(ke, sizeof ke);
	OPENSSL_cleanse(ka, sizeof ka);
	return ok ? 0 : -1;
}

static void floor_free(struct floor *f)
{
	EVP_CIPHER_CTX_free(f->tx);
	EVP_CIPHER_CTX_free(f->rx);
	OPENSSL_cleanse(f, sizeof *f);
}

/* RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16). */
static void floor_cm_iv(const struct floor *f, const uint8_t *pkt, uint64_t idx,
			uint8_t iv[16])
{
	memcpy(iv, f->salt, 14);
	iv[14] = iv[15] = 0;
	for (int i = 0; i < 4; i++)
		iv[4 + i] ^= pkt[8 + i];
	for (int i = 0; i < 6; i++)
		iv[8 + i] ^= (uint8_t)(idx >> (40 - 8 * i));
}

/* RFC 7714 §8.1: IV = (00 00 ‖ SSRC ‖ ROC ‖ SEQ) XOR salt, 12 bytes. */
static void floor_gcm_iv(const struct floor *f, const uint8_t *pkt, uint64_t idx,
			 uint8_t iv[12])
{
	memcpy(iv, f->salt, 12);
	for (int i = 0; i < 4; i++)
		iv[2 + i] ^= pkt[8 + i];
	for (int i = 0; i < 6; i++)
		iv[6 + i] ^= (uint8_t)(idx >> (40 - 8 * i));
}

/* RFC 3711 §4.2: HMAC-SHA1(k_a, authenticated portion ‖ ROC) into md[20]. */
static void floor_hmac(const struct floor *f, const uint8_t *p, size_t n, uint32_t roc,
		       uint8_t md[20])
{
	uint8_t r[4] = { (uint8_t)(roc >> 24), (uint8_t)(roc >> 16), (uint8_t)(roc >> 8),
			 (uint8_t)roc };
	SHA_CTX c = f->inner;
	SHA1_Update(&c, p, n);
	SHA1_Update(&c, r, sizeof r);
	SHA1_Final(md, &c);
	c = f->outer;
	SHA1_Update(&c, md, 20);
	SHA1_Final(md, &c);
}

static int floor_ctr(EVP_CIPHER_CTX *c, const uint8_t iv[16], uint8_t *p, size_t n)
{
	int outl = 0;
	if (!EVP_EncryptInit_ex2(c, NULL, NULL, iv, NULL))
		return -1;
	return EVP_EncryptUpdate(c, p, &outl, p, (int)n) ? 0 : -1;
}

/* AES-CM + HMAC-SHA1-80 protect of pkt[0..*len) at packet index idx. */
static int floor_cm_protect(struct floor *f, uint8_t *pkt, size_t *len, uint64_t idx)
{
	uint8_t iv[16], md[20];
	floor_cm_iv(f, pkt, idx, iv);
	if (floor_ctr(f->tx, iv, pkt + FLOOR_HDR, *len - FLOOR_HDR))
		return -1;
	floor_hmac(f, pkt, *len, (uint32_t)(idx >> 16), md);
	memcpy(pkt + *len, md, FLOOR_HMAC_TAG);
	*len += FLOOR_HMAC_TAG;
	return 0;
}

/* Verify the tag in constant time, then decrypt. */
static int floor_cm_unprotect(struct floor *f, uint8_t *pkt, size_t *len)
{
	uint8_t iv[16], md[20];
	if (*len < FLOOR_HDR + FLOOR_HMAC_TAG)
		return -1;
	size_t n = *len - FLOOR_HMAC_TAG;
	floor_hmac(f, pkt, n, f->rx_roc, md);
	if (CRYPTO_memcmp(md, pkt + n, FLOOR_HMAC_TAG) != 0)
		return -1;
	uint64_t idx = ((uint64_t)f->rx_roc << 16) | (uint64_t)(pkt[2] << 8 | pkt[3]);
	floor_cm_iv(f, pkt, idx, iv);
	if (floor_ctr(f->rx, iv, pkt + FLOOR_HDR, n - FLOOR_HDR))
		return -1;
	*len = n;
	return 0;
}

/* The GCM tag through the provider's parameters directly: the cheapest EVP path
 * (EVP_CIPHER_CTX_ctrl adds a legacy-ctrl translation of a few hundred instructions),
 * so the floor stays a floor. Returns 1 on success. */
static int floor_gcm_tag(EVP_CIPHER_CTX *c, int set, uint8_t *tag)
{
	OSSL_PARAM p[2] = {
		OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, FLOOR_GCM_TAG),
		OSSL_PARAM_construct_end(),
	};
	return set ? EVP_CIPHER_CTX_set_params(c, p) : EVP_CIPHER_CTX_get_params(c, p);
}

/* RFC 7714 §8.2 seal: AAD = header, payload encrypted, 16-byte tag appended. */
static int floor_gcm_protect(struct floor *f, uint8_t *pkt, size_t *len, uint64_t idx)
{
	uint8_t iv[12];
	int outl = 0;
	size_t n = *len - FLOOR_HDR;
	floor_gcm_iv(f, pkt, idx, iv);
	if (!EVP_EncryptInit_ex2(f->tx, NULL, NULL, iv, NULL) ||
	    !EVP_EncryptUpdate(f->tx, NULL, &outl, pkt, FLOOR_HDR) ||
	    !EVP_EncryptUpdate(f->tx, pkt + FLOOR_HDR, &outl, pkt + FLOOR_HDR, (int)n) ||
	    !EVP_EncryptFinal_ex(f->tx, pkt + *len, &outl) ||
	    !floor_gcm_tag(f->tx, 0, pkt + *len))
		return -1;
	*len += FLOOR_GCM_TAG;
	return 0;
}

/* RFC 7714 §9 open: set the tag, decrypt, and let Final verify it. */
static int floor_gcm_unprotect(struct floor *f, uint8_t *pkt, size_t *len)
{
	uint8_t iv[12];
	int outl = 0;
	if (*len < FLOOR_HDR + FLOOR_GCM_TAG)
		return -1;
	size_t n = *len - FLOOR_HDR - FLOOR_GCM_TAG;
	uint64_t idx = ((uint64_t)f->rx_roc << 16) | (uint64_t)(pkt[2] << 8 | pkt[3]);
	floor_gcm_iv(f, pkt, idx, iv);
	if (!EVP_DecryptInit_ex2(f->rx, NULL, NULL, iv, NULL) ||
	    !EVP_DecryptUpdate(f->rx, NULL, &outl, pkt, FLOOR_HDR) ||
	    !EVP_DecryptUpdate(f->rx, pkt + FLOOR_HDR, &outl, pkt + FLOOR_HDR, (int)n) ||
	    !floor_gcm_tag(f->rx, 1, pkt + FLOOR_HDR + n) ||
	    EVP_DecryptFinal_ex(f->rx, pkt + FLOOR_HDR + n, &outl) <= 0)
		return -1;
	*len = FLOOR_HDR + n;
	return 0;
}

/* Dispatch once per packet on a bool, as a real implementation dispatches on its suite. */
static int floor_protect(struct floor *f, uint8_t *pkt, size_t *len, uint64_t idx)
{
	return f->gcm ? floor_gcm_protect(f, pkt, len, idx) : floor_cm_protect(f, pkt, len, idx);
}

static int floor_unprotect(struct floor *f, uint8_t *pkt, size_t *len)
{
	return f->gcm ? floor_gcm_unprotect(f, pkt, len) : floor_cm_unprotect(f, pkt, len);
}

#endif
