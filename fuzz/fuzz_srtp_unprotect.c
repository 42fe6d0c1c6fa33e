/* libFuzzer target: SRTP unprotect across the suite families (issue 2 §3).
 * fuzz_srtcp_unprotect.c includes this file with FUZZ_RTCP set, for SRTCP.
 *
 * Input: byte 0 picks the session variant:
 *   bits 0-3  suite (mod CL_SRTP_SUITE_COUNT)
 *   bit 4     MKI: two master keys with 2-byte MKIs 00 01 and 00 02
 *   bit 5     UNENCRYPTED_SRTP (SRTCP target: UNENCRYPTED_SRTCP)
 *   bit 6     UNAUTHENTICATED_SRTP (ignored for AEAD suites, which always authenticate)
 *   bit 7     mode: 0 = the rest is an SRTP packet as received;
 *                   1 = bytes 1..3 are (flip position, XOR mask, key choice) and the
 *                       rest is an RTP packet: a sender session protects it, one byte is
 *                       flipped (mask 0: none), and the receiver unprotects it. This
 *                       reaches past authentication, and checks two properties: an
 *                       untouched packet that is accepted decrypts to the original, and
 *                       a touched one is never accepted when the session authenticates.
 * Keys are fixed. Sessions live for the whole process, one pair per variant, so replay
 * windows and streams carry over from input to input as on the wire. Every packet is
 * unprotected from a heap buffer of exactly its length, so ASan sees any over-read. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "srtp/srtp.h"

#ifndef FUZZ_RTCP
#define FUZZ_RTCP 0
#endif

#define OPT_MKI 0x10
#define OPT_UNENC 0x20
#define OPT_UNAUTH 0x40
#define MODE_VALID 0x80

struct variant {
	struct cl_srtp *tx, *rx;
	bool tried;
	bool authed; /* does rx authenticate this packet type? */
};

static struct variant variants[128];

static int protect(struct cl_srtp *s, uint8_t *p, size_t *len, size_t cap)
{
	return FUZZ_RTCP ? cl_srtcp_protect(s, p, len, cap) : cl_srtp_protect(s, p, len, cap);
}

static int unprotect(struct cl_srtp *s, uint8_t *p, size_t *len)
{
	return FUZZ_RTCP ? cl_srtcp_unprotect(s, p, len) : cl_srtp_unprotect(s, p, len);
}

/* Returns the sessions for variant byte v (bit 7 ignored), creating them once. */
static struct variant *variant_get(uint8_t v)
{
	static uint8_t km[2][CL_SRTP_MAX_KEY_LEN + CL_SRTP_MAX_SALT_LEN];
	static const uint8_t mki[2][2] = { { 0, 1 }, { 0, 2 } };
	const struct cl_srtp_suite *su = cl_srtp_suite_get((v & 0x0f) % CL_SRTP_SUITE_COUNT);
	struct cl_srtp_master_key keys[2];
	struct cl_srtp_params p = { .suite = su, .keys = keys, .max_streams = 64 };
	struct variant *var;
	bool aead = su->cipher == CL_SRTP_CIPHER_AES_GCM;

	if (aead)
		v &= (uint8_t)~OPT_UNAUTH;
	var = &variants[v & 0x7f];
	if (var->tried)
		return var->rx ? var : NULL;
	var->tried = true;
	for (size_t i = 0; i < sizeof(km[0]); i++) {
		km[0][i] = (uint8_t)(0x5a ^ i);
		km[1][i] = (uint8_t)(0xa5 + 3 * i);
	}
	for (size_t i = 0; i < 2; i++)
		keys[i] = (struct cl_srtp_master_key){ km[i], (v & OPT_MKI) ? mki[i] : NULL,
						       (v & OPT_MKI) ? 2 : 0, 0 };
	p.nkeys = (v & OPT_MKI) ? 2 : 1;
	p.unencrypted_srtp = !FUZZ_RTCP && (v & OPT_UNENC);
	p.unencrypted_srtcp = FUZZ_RTCP && (v & OPT_UNENC);
	p.unauthenticated_srtp = v & OPT_UNAUTH;
	if (cl_srtp_alloc(&var->tx, &p) != 0 || cl_srtp_alloc(&var->rx, &p) != 0) {
		cl_srtp_free(var->tx);
		var->tx = NULL;
		return NULL;
	}
	var->authed = FUZZ_RTCP || (su->srtp_tag_len > 0 && !p.unauthenticated_srtp);
	return var;
}

/* Unprotects pkt[0..len) from an exactly sized heap copy; the result (if accepted)
 * goes to out[0..*outlen). Returns unprotect's result. */
static int unprotect_exact(struct cl_srtp *rx, const uint8_t *pkt, size_t len, uint8_t *out,
			   size_t *outlen)
{
	uint8_t *buf = malloc(len ? len : 1);
	size_t n = len;
	int rc;

	if (!buf)
		abort();
	if (len)
		memcpy(buf, pkt, len);
	rc = unprotect(rx, buf, &n);
	if (rc == 0) {
		if (n > len)
			abort(); /* unprotect may only shrink a packet */
		if (out)
			memcpy(out, buf, n);
		*outlen = n;
	}
	free(buf);
	return rc;
}

/* Mode 1: protect the input with the sender, maybe flip a byte, unprotect. */
static void valid_mode(struct variant *var, const uint8_t *ctl, const uint8_t *in, size_t n)
{
	size_t cap = n + CL_SRTP_MAX_TRAILER, len = n, outlen = 0;
	uint8_t *pkt = malloc(cap), *plain = malloc(n), *out = malloc(cap);
	int rc;

	if (!pkt || !plain || !out)
		abort();
	memcpy(pkt, in, n);
	pkt[0] = (uint8_t)((pkt[0] & 0x3f) | 0x80); /* RTP/RTCP version 2 */
	memcpy(plain, pkt, n);
	(void)cl_srtp_select_key(var->tx, ctl[2] & 1);
	if (protect(var->tx, pkt, &len, cap) != 0)
		goto out;
	if (ctl[1])
		pkt[ctl[0] % len] ^= ctl[1];
	rc = unprotect_exact(var->rx, pkt, len, out, &outlen);
	if (rc == 0 && var->authed) {
		if (ctl[1])
			abort(); /* a modified packet passed authentication */
		if (outlen != n || memcmp(out, plain, n) != 0)
			abort(); /* accepted, but not what was sent */
	}
out:
	free(pkt);
	free(plain);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct variant *var;
	size_t outlen;

	if (size < 1)
		return 0;
	var = variant_get(data[0]);
	if (!var)
		return 0;
	if (!(data[0] & MODE_VALID)) {
		(void)unprotect_exact(var->rx, data + 1, size - 1, NULL, &outlen);
		return 0;
	}
	if (size >= 4)
		valid_mode(var, data + 1, data + 4, size - 4);
	return 0;
}
