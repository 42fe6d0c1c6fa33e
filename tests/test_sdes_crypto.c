/* The a=crypto line (issue 3 §2, RFC 4568 §9.1): the carrier example's nine offer lines
 * and its answer, RFC 4568's own examples, real-world variants (unpadded keys, 2^n and
 * decimal lifetimes, MKIs, aliases, session parameters), every unusable case with its
 * reason, bad tags, format round trips and limits, truncation at every length, key
 * generation, and SRTP sessions keyed from parsed lines that really interoperate.
 *
 * Inputs that test bounds are copied into heap buffers of exactly their length, so
 * ASan catches a read one byte past the end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "sdes/sdes.h"
#include "srtp/srtp.h"
#include "test.h"

/* The carrier example (brief: carrier-tls-srtp-zrtp.txt), offer then answer. */
static const struct {
	const char *line;
	enum cl_srtp_suite_id id;
	size_t key_len;
} carrier[] = {
	{ "1 AEAD_AES_256_GCM_8 inline:URvowj9NlyRUU4Ro4NIUbg/39b1bEdLtxPelsfHpPGD9GtwWuKMMefhd76U=",
	  CL_SRTP_AEAD_AES_256_GCM_8, 44 },
	{ "2 AEAD_AES_128_GCM_8 inline:uATLXs8T8rjZ0QVH15np2ExFaVZixIRvHHXOow==",
	  CL_SRTP_AEAD_AES_128_GCM_8, 28 },
	{ "3 AES_256_CM_HMAC_SHA1_80 inline:JlgkqmY+uVPBLmJairIWLMTzsoP7sq6M+FLsTeZkAJUKobgTjouB0H+ZHV911Q==",
	  CL_SRTP_AES_256_CM_HMAC_SHA1_80, 46 },
	{ "4 AES_192_CM_HMAC_SHA1_80 inline:aNNDkHj6o2xl2J6PkjReCqK4dvGFeV3AjZ9Lohiriq5RRu8gMq0=",
	  CL_SRTP_AES_192_CM_HMAC_SHA1_80, 38 },
	{ "5 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw",
	  CL_SRTP_AES_CM_128_HMAC_SHA1_80, 30 },
	{ "6 AES_256_CM_HMAC_SHA1_32 inline:98t1wsF9qRKbb+vJO0zldPSX1RvXDI/SSrzNEUl0CHDGv84vqtz3+tJNA2JQdA==",
	  CL_SRTP_AES_256_CM_HMAC_SHA1_32, 46 },
	{ "7 AES_192_CM_HMAC_SHA1_32 inline:K5rGraoWN0x2r3OHxKDMxDY4uk4TZC6z2Lu9NIU8YY/BesMyICA=",
	  CL_SRTP_AES_192_CM_HMAC_SHA1_32, 38 },
	{ "8 AES_CM_128_HMAC_SHA1_32 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8",
	  CL_SRTP_AES_CM_128_HMAC_SHA1_32, 30 },
	{ "9 AES_CM_128_NULL_AUTH inline:DzAaqmSiBsFG997HKmMhoFkxOo3c9TY7mO6fFHOn",
	  CL_SRTP_AES_CM_128_NULL_AUTH, 30 },
	{ "5 AES_CM_128_HMAC_SHA1_80 inline:7aNj4ZNv8I94feZgZP2sPmVcyNxTGIHjhkbR1rLz",
	  CL_SRTP_AES_CM_128_HMAC_SHA1_80, 30 },
};

/* ---- helpers ---- */

static int parse(struct cl_sdes_crypto *c, const char *s)
{
	return cl_sdes_parse(c, cl_slice_cstr(s));
}

/* Parses s[0..n) from a heap copy of exactly n bytes; suite_name is cleared after,
 * since it pointed into the copy. */
static int parse_heap(struct cl_sdes_crypto *c, const char *s, size_t n)
{
	char *copy = malloc(n ? n : 1);
	int rc;

	if (!copy)
		abort();
	memcpy(copy, s, n);
	rc = cl_sdes_parse(c, (struct cl_slice){ copy, n });
	free(copy);
	c->suite_name = (struct cl_slice){ NULL, 0 };
	return rc;
}

/* Builds "<head>inline:<base64 of n pattern bytes><tail>" into out. */
static const char *line_with_key(char *out, size_t cap, const char *head, size_t n,
				 const char *tail)
{
	uint8_t key[128];
	char b64[200];
	size_t blen = 0;

	for (size_t i = 0; i < n && i < sizeof(key); i++)
		key[i] = (uint8_t)(0x5a ^ (i * 7));
	if (cl_base64_encode(key, n, b64, sizeof(b64), &blen) != 0)
		abort();
	snprintf(out, cap, "%sinline:%.*s%s", head, (int)blen, b64, tail);
	return out;
}

static bool why_has(const struct cl_sdes_crypto *c, const char *sub)
{
	return c->why && strstr(c->why, sub) != NULL;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i])
			return false;
	}
	return true;
}

/* Returns true when two keys give the same MKI bytes on the wire. */
static bool same_mki_bytes(const struct cl_sdes_key *x, const struct cl_sdes_key *y)
{
	uint8_t bx[CL_SRTP_MAX_MKI_LEN], by[CL_SRTP_MAX_MKI_LEN];

	cl_sdes_mki_bytes(x, bx);
	cl_sdes_mki_bytes(y, by);
	return x->mki_len == y->mki_len && memcmp(bx, by, x->mki_len) == 0;
}

/* Compares what a line says (not where its text lives). */
static bool same_crypto(const struct cl_sdes_crypto *a, const struct cl_sdes_crypto *b)
{
	if (a->tag != b->tag || a->suite != b->suite || a->nkeys != b->nkeys ||
	    a->kdr != b->kdr || a->unencrypted_srtp != b->unencrypted_srtp ||
	    a->unencrypted_srtcp != b->unencrypted_srtcp ||
	    a->unauthenticated_srtp != b->unauthenticated_srtp || a->wsh != b->wsh ||
	    a->usable != b->usable)
		return false;
	for (size_t i = 0; i < a->nkeys; i++) {
		const struct cl_sdes_key *x = &a->keys[i], *y = &b->keys[i];

		if (x->len != y->len || memcmp(x->key_salt, y->key_salt, x->len) != 0 ||
		    x->lifetime != y->lifetime || x->mki != y->mki || x->mki_len != y->mki_len ||
		    !same_mki_bytes(x, y))
			return false;
	}
	return true;
}

/* Formats c and parses the result back into *back. Returns 0 or the failing rc. */
static int reparse(const struct cl_sdes_crypto *c, struct cl_sdes_crypto *back, char *buf,
		   size_t cap)
{
	size_t len = 0;
	int rc = cl_sdes_format(c, buf, cap, &len);

	if (rc)
		return rc;
	if (len != strlen(buf))
		return -1;
	return parse_heap(back, buf, len);
}

/* ---- an SRTP round trip keyed from two crypto lines ---- */

#define RTP_PAYLOAD 160
#define PKT_CAP (12 + RTP_PAYLOAD + CL_SRTP_MAX_TRAILER)

static size_t make_rtp(uint8_t *p, uint16_t seq)
{
	p[0] = 0x80;
	p[1] = 0;
	put16(p + 2, seq);
	put32(p + 4, 160u * seq);
	put32(p + 8, 0x1234abcdu);
	for (size_t i = 0; i < RTP_PAYLOAD; i++)
		p[12 + i] = (uint8_t)(i + seq);
	return 12 + RTP_PAYLOAD;
}

/* An RTCP receiver report with one report block (RFC 3550 §6.4.2). */
static size_t make_rtcp(uint8_t *p)
{
	memset(p, 0, 32);
	p[0] = 0x81;
	p[1] = 201;
	put16(p + 2, 7);
	put32(p + 4, 0x1234abcdu);
	put32(p + 8, 0x55667788u);
	return 32;
}

/* Sends three RTP packets and one RTCP packet from a session keyed by tx to one keyed
 * by rx. Returns 0, or a step number for the first thing that failed. */
static int srtp_roundtrip(const struct cl_sdes_crypto *tx, const struct cl_sdes_crypto *rx)
{
	struct cl_srtp_master_key ktx[CL_SDES_MAX_KEYS], krx[CL_SDES_MAX_KEYS];
	uint8_t mtx[CL_SDES_MAX_KEYS][CL_SRTP_MAX_MKI_LEN], mrx[CL_SDES_MAX_KEYS][CL_SRTP_MAX_MKI_LEN];
	struct cl_srtp_params ptx, prx;
	struct cl_srtp *stx = NULL, *srx = NULL;
	uint8_t pkt[PKT_CAP], want[PKT_CAP];
	int step = 0;

	if (cl_sdes_srtp_params(tx, &ptx, ktx, mtx) || cl_sdes_srtp_params(rx, &prx, krx, mrx))
		return 1;
	if (cl_srtp_alloc(&stx, &ptx) || cl_srtp_alloc(&srx, &prx)) {
		step = 2;
		goto out;
	}
	for (uint16_t seq = 1; seq <= 3 && !step; seq++) {
		size_t len = make_rtp(pkt, seq), n0 = len;

		memcpy(want, pkt, len);
		if (cl_srtp_protect(stx, pkt, &len, sizeof(pkt)))
			step = 3;
		else if (cl_srtp_unprotect(srx, pkt, &len) || len != n0 ||
			 memcmp(pkt, want, n0) != 0)
			step = 5;
	}
	if (!step) {
		size_t len = make_rtcp(pkt), n0 = len;

		memcpy(want, pkt, len);
		if (cl_srtcp_protect(stx, pkt, &len, sizeof(pkt)) ||
		    cl_srtcp_unprotect(srx, pkt, &len) || len != n0 || memcmp(pkt, want, n0) != 0)
			step = 6;
	}
out:
	cl_srtp_free(stx);
	cl_srtp_free(srx);
	return step;
}

/* ---- the carrier example ---- */

TEST(sdes_crypto_carrier_lines)
{
	for (size_t i = 0; i < CL_ARRAY_SIZE(carrier); i++) {
		struct cl_sdes_crypto c, d;

		CHECK_INT(parse(&c, carrier[i].line), 0);
		CHECK(c.usable);
		CHECK(c.why == NULL);
		CHECK(c.suite == cl_srtp_suite_get(carrier[i].id));
		CHECK(cl_slice_eq(c.suite_name, cl_slice_cstr(c.suite->name)));
		CHECK_INT(c.tag, i < 9 ? i + 1 : 5);
		CHECK_INT(c.nkeys, 1);
		CHECK_INT(c.keys[0].len, carrier[i].key_len);
		CHECK_INT(c.keys[0].len, c.suite->key_len + c.suite->salt_len);
		CHECK_INT(c.keys[0].lifetime, 0);
		CHECK_INT(c.keys[0].mki_len, 0);
		CHECK(!c.kdr && !c.wsh && !c.unencrypted_srtp && !c.unencrypted_srtcp &&
		      !c.unauthenticated_srtp);
		/* Two sessions from the same line talk to each other. */
		CHECK_INT(parse(&d, carrier[i].line), 0);
		CHECK_INT(srtp_roundtrip(&c, &d), 0);
		cl_sdes_crypto_wipe(&c);
		cl_sdes_crypto_wipe(&d);
	}
}

/* The carrier lines from exact-size heap copies, and as the SDP parser may hand them
 * over: with CR, LF and trailing blanks. */
TEST(sdes_crypto_carrier_bounds_and_trailers)
{
	static const char *tails[] = { "", "\r", "\r\n", " ", " \t \r\n" };
	char buf[256];

	for (size_t i = 0; i < CL_ARRAY_SIZE(carrier); i++) {
		for (size_t j = 0; j < CL_ARRAY_SIZE(tails); j++) {
			struct cl_sdes_crypto c;
			int n = snprintf(buf, sizeof(buf), "%s%s", carrier[i].line, tails[j]);

			CHECK_INT(parse_heap(&c, buf, (size_t)n), 0);
			CHECK(c.usable);
			CHECK_INT(c.keys[0].len, carrier[i].key_len);
			cl_sdes_crypto_wipe(&c);
		}
	}
}

/* Unpadded keys (rtpengine strips the '='): same key as padded. */
TEST(sdes_crypto_unpadded_keys)
{
	char buf[256];

	for (size_t i = 0; i < CL_ARRAY_SIZE(carrier); i++) {
		struct cl_sdes_crypto a, b;
		size_t n = strlen(carrier[i].line);

		memcpy(buf, carrier[i].line, n);
		while (buf[n - 1] == '=')
			n--;
		CHECK_INT(parse(&a, carrier[i].line), 0);
		CHECK_INT(parse_heap(&b, buf, n), 0);
		CHECK(b.usable);
		CHECK_INT(b.keys[0].len, carrier[i].key_len);
		CHECK_MEM(a.keys[0].key_salt, b.keys[0].key_salt, carrier[i].key_len);
		cl_sdes_crypto_wipe(&a);
		cl_sdes_crypto_wipe(&b);
	}
	/* The example: AES-256-GCM key‖salt, 44 bytes, 59 chars unpadded. */
	{
		struct cl_sdes_crypto c;
		char line[160];

		line_with_key(line, sizeof(line), "1 AEAD_AES_256_GCM ", 44, "");
		CHECK_INT(strlen(line), strlen("1 AEAD_AES_256_GCM inline:") + 60);
		line[strlen(line) - 1] = '\0';
		CHECK_INT(parse(&c, line), 0);
		CHECK(c.usable);
		CHECK_INT(c.keys[0].len, 44);
	}
}

/* ---- RFC 4568's own examples (§8.1, §9.3 variants) ---- */

TEST(sdes_crypto_rfc4568_examples)
{
	uint8_t mki[CL_SRTP_MAX_MKI_LEN];
	struct cl_sdes_crypto c, d;
	static const char f8[] =
		"2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;"
		"inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4";

	CHECK_INT(parse(&c, "1 AES_CM_128_HMAC_SHA1_80 "
			    "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4 "
			    "FEC_ORDER=FEC_SRTP"), 0);
	CHECK(!c.usable);
	CHECK_INT(c.tag, 1);
	CHECK(why_has(&c, "session parameter FEC_ORDER is not supported"));

	CHECK_INT(parse(&c, "1 AES_CM_128_HMAC_SHA1_80 "
			    "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32"), 0);
	CHECK(c.usable);
	CHECK_INT(c.keys[0].lifetime, 1u << 20);
	CHECK_INT(c.keys[0].mki, 1);
	CHECK_INT(c.keys[0].mki_len, 32);
	cl_sdes_mki_bytes(&c.keys[0], mki);
	CHECK(all_zero(mki, 31) && mki[31] == 1);

	/* Lifetime left out, MKI given: the colon tells them apart (§6.1). */
	CHECK_INT(parse(&c, "1 AES_CM_128_HMAC_SHA1_80 "
			    "inline:YUJDZGVmZ2hpSktMbW9QUXJzVHVWd3l6MTIzNDU2|1066:4"), 0);
	CHECK(c.usable);
	CHECK_INT(c.keys[0].lifetime, 0);
	CHECK_INT(c.keys[0].mki, 1066);
	CHECK_INT(c.keys[0].mki_len, 4);
	cl_sdes_mki_bytes(&c.keys[0], mki);
	CHECK_MEM(mki, "\x00\x00\x04\x2a", 4);

	/* Two keys told apart by MKI. */
	CHECK_INT(parse(&c, f8), 0);
	CHECK(c.usable);
	CHECK(c.suite == cl_srtp_suite_get(CL_SRTP_F8_128_HMAC_SHA1_80));
	CHECK_INT(c.nkeys, 2);
	CHECK_MEM(c.keys[0].key_salt, "123456789ABCDE0123456789ABcdef", 30);
	CHECK_MEM(c.keys[1].key_salt, "ABcdef123456789ABCDE0123456789", 30);
	CHECK_INT(c.keys[1].mki, 2);
	CHECK_INT(c.keys[1].lifetime, 1u << 20);
	CHECK_INT(parse(&d, f8), 0);
	CHECK_INT(srtp_roundtrip(&c, &d), 0);

	/* The same with the FEC_ORDER the RFC puts on it: unusable. */
	CHECK_INT(parse(&c, "2 F8_128_HMAC_SHA1_80 "
			    "inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;"
			    "inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4 FEC_ORDER=FEC_SRTP"), 0);
	CHECK(!c.usable);
	CHECK(why_has(&c, "FEC_ORDER"));
	CHECK_INT(c.nkeys, 0);
	CHECK(all_zero(c.keys, sizeof(c.keys)));
}

/* ---- lifetimes and MKIs ---- */

TEST(sdes_crypto_lifetime_and_mki)
{
	static const struct {
		const char *tail;
		uint64_t lifetime, mki;
		unsigned mki_len;
	} ok[] = {
		{ "|2^31|1:1", 1ull << 31, 1, 1 },
		{ "|2^20|1:4", 1ull << 20, 1, 4 },
		{ "|2^31", 1ull << 31, 0, 0 },
		{ "|1000000", 1000000, 0, 0 },
		{ "|2^48", 1ull << 48, 0, 0 },
		{ "|281474976710656", 1ull << 48, 0, 0 },
		{ "|2^0", 1, 0, 0 },
		{ "|1", 1, 0, 0 },
		{ "|255:1", 0, 255, 1 },
		{ "|1:128", 0, 1, 128 },
		{ "|18446744073709551615:8", 0, UINT64_MAX, 8 },
		{ "|0:1", 0, 0, 1 },
		{ "|2^10|007:3", 1024, 7, 3 },
	};
	char line[200];

	for (size_t i = 0; i < CL_ARRAY_SIZE(ok); i++) {
		struct cl_sdes_crypto c;

		line_with_key(line, sizeof(line), "1 AES_CM_128_HMAC_SHA1_80 ", 30, ok[i].tail);
		CHECK_INT(parse_heap(&c, line, strlen(line)), 0);
		if (!c.usable)
			fprintf(stderr, "  %s: %s\n", ok[i].tail, c.why);
		CHECK(c.usable);
		CHECK_INT(c.keys[0].lifetime, ok[i].lifetime);
		CHECK(c.keys[0].mki == ok[i].mki);
		CHECK_INT(c.keys[0].mki_len, ok[i].mki_len);
	}
}

TEST(sdes_crypto_lifetime_and_mki_unusable)
{
	static const struct {
		const char *tail, *why;
	} bad[] = {
		{ "|0", "lifetime is 0" },
		{ "|2^49", "lifetime is above AES_CM_128_HMAC_SHA1_80's maximum" },
		{ "|281474976710657", "lifetime is above" },
		{ "|99999999999999999999999", "lifetime is above" },
		{ "|2^99999999999999999999", "lifetime is above" },
		{ "|2^64", "lifetime is above" },
		{ "|abc", "lifetime is not a number" },
		{ "|2^", "lifetime is not a number" },
		{ "|", "lifetime is not a number" },
		{ "|-5", "lifetime is not a number" },
		{ "|2^20|", "MKI length" },
		{ "|1:0", "MKI length must be 1..128" },
		{ "|1:129", "MKI length must be 1..128" },
		{ "|1:1000", "MKI length is not 1 to 3 digits" },
		{ "|1:0004", "MKI length is not 1 to 3 digits" },
		{ "|1:", "MKI length is not 1 to 3 digits" },
		{ "|:4", "MKI value is not a number" },
		{ "|x:4", "MKI value is not a number" },
		{ "|256:1", "MKI value does not fit its length" },
		{ "|65536:2", "MKI value does not fit its length" },
		{ "|18446744073709551616:9", "MKI value is too large" },
		{ "|2^20|1:4|5", "more than key|lifetime|mki" },
		{ "|1:4|2^20", "lifetime is not a number" },
	};
	char line[200];

	for (size_t i = 0; i < CL_ARRAY_SIZE(bad); i++) {
		struct cl_sdes_crypto c;

		line_with_key(line, sizeof(line), "7 AES_CM_128_HMAC_SHA1_80 ", 30, bad[i].tail);
		CHECK_INT(parse_heap(&c, line, strlen(line)), 0);
		CHECK_INT(c.tag, 7);
		if (c.usable || !why_has(&c, bad[i].why))
			fprintf(stderr, "  %s: got \"%s\"\n", bad[i].tail, c.why ? c.why : "(usable)");
		CHECK(!c.usable);
		CHECK(why_has(&c, bad[i].why));
		CHECK_INT(c.nkeys, 0);
		CHECK(all_zero(c.keys, sizeof(c.keys)));
	}
}

/* ---- suites: aliases and case ---- */

TEST(sdes_crypto_alias_and_case)
{
	struct cl_sdes_crypto c, back;
	char line[200], out[CL_SDES_LINE_MAX];

	line_with_key(line, sizeof(line), "3 AES_CM_256_HMAC_SHA1_80 ", 46, "");
	CHECK_INT(parse(&c, line), 0);
	CHECK(c.usable);
	CHECK(c.suite == cl_srtp_suite_get(CL_SRTP_AES_256_CM_HMAC_SHA1_80));
	CHECK(cl_slice_eq(c.suite_name, CL_SLICE_LIT("AES_CM_256_HMAC_SHA1_80")));
	/* We answer with the canonical name. */
	CHECK_INT(reparse(&c, &back, out, sizeof(out)), 0);
	CHECK(strncmp(out, "3 AES_256_CM_HMAC_SHA1_80 inline:", 33) == 0);
	CHECK(same_crypto(&c, &back));

	line_with_key(line, sizeof(line), "3 AES_CM_192_HMAC_SHA1_32 ", 38, "");
	CHECK_INT(parse(&c, line), 0);
	CHECK(c.suite == cl_srtp_suite_get(CL_SRTP_AES_192_CM_HMAC_SHA1_32));

	/* RFC 4568's literals are ABNF quoted strings: case-insensitive (RFC 4234 §2.3). */
	line_with_key(line, sizeof(line), "4 aes_cm_128_hmac_sha1_80 ", 30, "");
	memcpy(strstr(line, "inline:"), "INLINE:", 7);
	CHECK_INT(parse(&c, line), 0);
	CHECK(c.usable);
	CHECK(c.suite == cl_srtp_suite_get(CL_SRTP_AES_CM_128_HMAC_SHA1_80));
}

/* ---- session parameters (RFC 4568 §6.3) ---- */

TEST(sdes_crypto_session_params)
{
	struct cl_sdes_crypto c, d;
	char line[300];

	line_with_key(line, sizeof(line), "1 AES_CM_128_HMAC_SHA1_80 ", 30,
		      " KDR=10 UNENCRYPTED_SRTP UNENCRYPTED_SRTCP UNAUTHENTICATED_SRTP WSH=256");
	CHECK_INT(parse(&c, line), 0);
	CHECK(c.usable);
	CHECK_INT(c.kdr, 1024);
	CHECK(c.unencrypted_srtp && c.unencrypted_srtcp && c.unauthenticated_srtp);
	CHECK_INT(c.wsh, 256);
	CHECK_INT(parse(&d, line), 0);
	CHECK_INT(srtp_roundtrip(&c, &d), 0);

	/* Each alone, lower case, and KDR at both ends of its range. */
	static const struct {
		const char *tail;
		uint32_t kdr;
		unsigned wsh, flags;
	} ok[] = {
		{ " KDR=1", 2, 0, 0 },
		{ " KDR=24", 1u << 24, 0, 0 },
		{ " kdr=4", 16, 0, 0 },
		{ " UNENCRYPTED_SRTP", 0, 0, 1 },
		{ " UNENCRYPTED_SRTCP", 0, 0, 2 },
		{ " UNAUTHENTICATED_SRTP", 0, 0, 4 },
		{ " WSH=64", 0, 64, 0 },
		{ " WSH=32768", 0, 32768, 0 },
		/* WSH is a hint: outside what our engine does, ignored (line usable). */
		{ " WSH=32", 0, 0, 0 },
		{ " WSH=32769", 0, 0, 0 },
		{ " WSH=99999999999999999999999", 0, 0, 0 },
		/* §6.3.7: a '-' makes an unknown parameter optional. */
		{ " -SOMETHING_LATER=1", 0, 0, 0 },
		{ " \t KDR=3\t\tWSH=128 ", 8, 128, 0 },
	};
	for (size_t i = 0; i < CL_ARRAY_SIZE(ok); i++) {
		unsigned flags;

		line_with_key(line, sizeof(line), "1 AES_CM_128_HMAC_SHA1_80 ", 30, ok[i].tail);
		CHECK_INT(parse_heap(&c, line, strlen(line)), 0);
		if (!c.usable)
			fprintf(stderr, "  %s: %s\n", ok[i].tail, c.why);
		CHECK(c.usable);
		CHECK_INT(c.kdr, ok[i].kdr);
		CHECK_INT(c.wsh, ok[i].wsh);
		flags = (c.unencrypted_srtp ? 1u : 0) | (c.unencrypted_srtcp ? 2u : 0) |
			(c.unauthenticated_srtp ? 4u : 0);
		CHECK_INT(flags, ok[i].flags);
	}

	/* GCM with UNENCRYPTED_SRTP is authentication only (RFC 7714 §16.1.3): fine. */
	line_with_key(line, sizeof(line), "1 AEAD_AES_128_GCM ", 28, " UNENCRYPTED_SRTP");
	CHECK_INT(parse(&c, line), 0);
	CHECK(c.usable);
	CHECK_INT(parse(&d, line), 0);
	CHECK_INT(srtp_roundtrip(&c, &d), 0);
}

TEST(sdes_crypto_session_params_unusable)
{
	static const struct {
		const char *head, *tail, *why;
		size_t n;
	} bad[] = {
		{ "1 AES_CM_128_HMAC_SHA1_80 ", " KDR=0", "KDR must be 1..24", 30 },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", " KDR=25", "KDR must be 1..24", 30 },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", " KDR=05", "KDR must be 1..24", 30 },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", " KDR=", "KDR must be 1..24", 30 },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", " KDR=x", "KDR must be 1..24", 30 },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", " WSH=abc", "WSH is not a number", 30 },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", " WSH=", "WSH is not a number", 30 },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", " FEC_ORDER=SRTP_FEC",
		  "session parameter FEC_ORDER is not supported", 30 },
		{ "1 AES_CM_128_HMAC_SHA1_80 ",
		  " FEC_KEY=inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4",
		  "session parameter FEC_KEY is not supported", 30 },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", " FOO", "session parameter FOO is not supported", 30 },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", " -", "session parameter", 30 },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", " KDR=1 KDR=2", "KDR appears twice", 30 },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", " WSH=64 WSH=128", "WSH appears twice", 30 },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", " UNENCRYPTED_SRTP UNENCRYPTED_SRTP",
		  "UNENCRYPTED_SRTP appears twice", 30 },
		{ "1 AEAD_AES_256_GCM ", " UNAUTHENTICATED_SRTP",
		  "UNAUTHENTICATED_SRTP does not apply to AEAD_AES_256_GCM", 44 },
		/* A stray key after a space is an unknown parameter, and never quoted. */
		{ "1 AES_CM_128_HMAC_SHA1_80 ", " inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz",
		  "an unknown session parameter", 30 },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", " WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz",
		  "an unknown session parameter", 30 },
	};
	char line[300];

	for (size_t i = 0; i < CL_ARRAY_SIZE(bad); i++) {
		struct cl_sdes_crypto c;

		line_with_key(line, sizeof(line), bad[i].head, bad[i].n, bad[i].tail);
		CHECK_INT(parse_heap(&c, line, strlen(line)), 0);
		if (c.usable || !why_has(&c, bad[i].why))
			fprintf(stderr, "  %s: got \"%s\"\n", bad[i].tail, c.why ? c.why : "(usable)");
		CHECK(!c.usable);
		CHECK(why_has(&c, bad[i].why));
		CHECK(strstr(c.why, "WVNfX19z") == NULL && strstr(c.why, "QUJjZGVm") == NULL);
		CHECK_INT(c.nkeys, 0);
	}
}

/* ---- suite and key errors ---- */

TEST(sdes_crypto_key_unusable)
{
	static const struct {
		const char *head;
		size_t n;
		const char *tail, *why;
	} bad[] = {
		{ "1 AEAD_AES_256_GCM ", 42, "", "inline: key is 42 bytes, AEAD_AES_256_GCM needs 44" },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", 31, "", "key is 31 bytes, AES_CM_128_HMAC_SHA1_80 needs 30" },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", 100, "", "key is 100 bytes" },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", 29, "", "key is 29 bytes" },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", 0, "", "key missing" },
		{ "1 SEED_128_CCM_80 ", 30, "", "crypto-suite SEED_128_CCM_80 is not supported" },
		{ "1 F8_128_HMAC_SHA1_32 ", 30, "", "crypto-suite F8_128_HMAC_SHA1_32 is not supported" },
		{ "1 AES-CM-128 ", 30, "", "crypto-suite is not a known suite name" },
		{ "1 seed_128_ccm_80 ", 30, "", "crypto-suite is not a known suite name" },
		{ "1 AES_CM_128_HMAC_SHA1_80_AND_A_VERY_LONG_TAIL_X ", 30, "",
		  "crypto-suite is not a known suite name" },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", 30, ";", "inline: missing" },
		{ "1 AES_CM_128_HMAC_SHA1_80 ", 30, ";uri:http://x/k", "only inline: keys" },
	};
	char line[400];

	for (size_t i = 0; i < CL_ARRAY_SIZE(bad); i++) {
		struct cl_sdes_crypto c;

		line_with_key(line, sizeof(line), bad[i].head, bad[i].n, bad[i].tail);
		CHECK_INT(parse_heap(&c, line, strlen(line)), 0);
		if (c.usable || !why_has(&c, bad[i].why))
			fprintf(stderr, "  %zu: got \"%s\"\n", i, c.why ? c.why : "(usable)");
		CHECK(!c.usable);
		CHECK(why_has(&c, bad[i].why));
		CHECK(strstr(c.why, "inline:W") == NULL);
		CHECK_INT(c.nkeys, 0);
		CHECK(all_zero(c.keys, sizeof(c.keys)));
	}

	static const struct {
		const char *line, *why;
	} raw[] = {
		{ "1", "crypto-suite missing" },
		{ "1 AES_CM_128_HMAC_SHA1_80", "key-params missing" },
		{ "1 AES_CM_128_HMAC_SHA1_80 \r\n", "key-params missing" },
		{ "1 AES_CM_128_HMAC_SHA1_80 TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw", "inline: missing" },
		{ "1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkY!UnZ5KTw",
		  "key is not valid base64" },
		{ "1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXo=A1eiQcTAniJOvkYXUnZ5KTw",
		  "key is not valid base64" }, /* padding in the wrong place */
		{ "1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KT=",
		  "key is 29 bytes" },
		{ "1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw===",
		  "key is not valid base64" },
		{ "1 AEAD_AES_256_GCM_8 inline:URvowj9NlyRUU4Ro4NIUbg/39b1bEdLtxPelsfHpPGD9GtwWuKMMefhd76V=",
		  "key is not valid base64" }, /* non-zero trailing bits (RFC 4648 §3.5) */
		{ "1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KT",
		  "key is 29 bytes" },
		/* A blank ends the key-params (1*WSP separates fields). */
		{ "1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXo eA1eiQcTAniJOvkYXUnZ5KTw",
		  "key is 12 bytes" },
		{ "1 AES_CM_128_HMAC_SHA1_80 inline:", "key missing" },
		{ "1 AES_CM_128_HMAC_SHA1_80 inline:|2^20", "key missing" },
		{ "1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw;",
		  "inline: missing" },
	};
	for (size_t i = 0; i < CL_ARRAY_SIZE(raw); i++) {
		struct cl_sdes_crypto c;

		CHECK_INT(parse_heap(&c, raw[i].line, strlen(raw[i].line)), 0);
		if (c.usable || !why_has(&c, raw[i].why))
			fprintf(stderr, "  %s: got \"%s\"\n", raw[i].line, c.why ? c.why : "(usable)");
		CHECK(!c.usable);
		CHECK(why_has(&c, raw[i].why));
		CHECK(strstr(c.why, "TCkr") == NULL);
	}
}

/* More keys than we take, and keys whose MKIs disagree. */
TEST(sdes_crypto_several_keys)
{
	uint8_t mki[CL_SRTP_MAX_MKI_LEN];
	char line[600], k[80];
	struct cl_sdes_crypto c, d;
	size_t n = 0;

	/* Four keys with MKIs 1..4: usable, and the receiver picks each by its MKI. */
	line_with_key(k, sizeof(k), "", 30, "");
	n = (size_t)snprintf(line, sizeof(line), "1 AES_CM_128_HMAC_SHA1_80 %s|1:2;%s|2:2;%s|3:2;%s|4:2",
			     k, k, k, k);
	CHECK_INT(parse_heap(&c, line, n), 0);
	CHECK(c.usable);
	CHECK_INT(c.nkeys, 4);
	CHECK_INT(c.keys[3].mki, 4);
	cl_sdes_mki_bytes(&c.keys[3], mki);
	CHECK_MEM(mki, "\x00\x04", 2);
	CHECK_INT(parse_heap(&d, line, n), 0);
	CHECK_INT(srtp_roundtrip(&c, &d), 0);

	n = (size_t)snprintf(line, sizeof(line),
			     "1 AES_CM_128_HMAC_SHA1_80 %s|1:2;%s|2:2;%s|3:2;%s|4:2;%s|5:2", k, k, k, k, k);
	CHECK_INT(parse_heap(&c, line, n), 0);
	CHECK(!c.usable);
	CHECK(why_has(&c, "more than 4 keys"));

	n = (size_t)snprintf(line, sizeof(line), "1 AES_CM_128_HMAC_SHA1_80 %s|1:2;%s", k, k);
	CHECK_INT(parse_heap(&c, line, n), 0);
	CHECK(!c.usable);
	CHECK(why_has(&c, "differ in MKI presence or length"));

	n = (size_t)snprintf(line, sizeof(line), "1 AES_CM_128_HMAC_SHA1_80 %s|1:2;%s|2:3", k, k);
	CHECK_INT(parse_heap(&c, line, n), 0);
	CHECK(!c.usable);
	CHECK(why_has(&c, "differ in MKI presence or length"));

	n = (size_t)snprintf(line, sizeof(line), "1 AES_CM_128_HMAC_SHA1_80 %s|7:2;%s|2^20|7:2", k, k);
	CHECK_INT(parse_heap(&c, line, n), 0);
	CHECK(!c.usable);
	CHECK(why_has(&c, "same MKI"));
	CHECK(all_zero(c.keys, sizeof(c.keys)));
}

/* ---- tags ---- */

TEST(sdes_crypto_bad_tags)
{
	static const char *bad[] = {
		"",
		" ",
		"\r\n",
		" 1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw",
		"1234567890 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw",
		"4294967296 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw",
		"99999999999999999999 AES_CM_128_HMAC_SHA1_80",
		"abc AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw",
		"1a AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw",
		"-1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw",
		"+1 AES_CM_128_HMAC_SHA1_80",
		"1:AES_CM_128_HMAC_SHA1_80",
	};
	struct cl_sdes_crypto c;

	for (size_t i = 0; i < CL_ARRAY_SIZE(bad); i++) {
		CHECK_INT(parse_heap(&c, bad[i], strlen(bad[i])), EBADMSG);
		CHECK(c.why != NULL && strstr(c.why, "tag") != NULL);
		CHECK(!c.usable);
	}
	CHECK_INT(parse(&c, "1234567890 X"), EBADMSG);
	CHECK(strcmp(c.why, "tag: more than 9 digits") == 0);
	CHECK_INT(cl_sdes_parse(&c, (struct cl_slice){ NULL, 0 }), EBADMSG);
	CHECK_INT(cl_sdes_parse(NULL, CL_SLICE_LIT("1 X")), EINVAL);

	/* Tag values are exact: 1..9 digits, leading zeros allowed by 1*9DIGIT. */
	CHECK_INT(parse(&c, "999999999 AES_CM_128_HMAC_SHA1_80 "
			    "inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw"), 0);
	CHECK_INT(c.tag, 999999999);
	CHECK(c.usable);
	CHECK_INT(parse(&c, "0 AES_CM_128_HMAC_SHA1_80 "
			    "inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw"), 0);
	CHECK_INT(c.tag, 0);
	CHECK_INT(parse(&c, "000000042 X"), 0);
	CHECK_INT(c.tag, 42);
	CHECK(!c.usable);
	CHECK_INT(parse(&c, "7\tAES_CM_128_HMAC_SHA1_80\t\tinline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw"), 0);
	CHECK_INT(c.tag, 7);
	CHECK(c.usable);
}

/* ---- format ---- */

TEST(sdes_crypto_format_exact)
{
	struct cl_sdes_crypto c;
	char out[CL_SDES_LINE_MAX];
	size_t len = 0;

	/* Unpadded in, padded out; 2^30 written as a power; parameters in our order. */
	CHECK_INT(parse(&c, "5 aes_cm_128_hmac_sha1_80 inline:7aNj4ZNv8I94feZgZP2sPmVcyNxTGIHjhkbR1rLz"
			    "|1073741824|1:1 WSH=128 unencrypted_srtcp kdr=4"), 0);
	CHECK(c.usable);
	CHECK_INT(cl_sdes_format(&c, out, sizeof(out), &len), 0);
	CHECK(strcmp(out, "5 AES_CM_128_HMAC_SHA1_80 inline:7aNj4ZNv8I94feZgZP2sPmVcyNxTGIHjhkbR1rLz"
			  "|2^30|1:1 KDR=4 UNENCRYPTED_SRTCP WSH=128") == 0);
	CHECK_INT(len, strlen(out));

	CHECK_INT(parse(&c, "1 AEAD_AES_256_GCM_8 inline:URvowj9NlyRUU4Ro4NIUbg/39b1bEdLtxPelsfHpPGD9GtwWuKMMefhd76U"
			    "|1000000 UNAUTHENTICATED_SRTP"), 0);
	CHECK(!c.usable); /* AEAD cannot skip authentication */
	CHECK_INT(parse(&c, "1 AEAD_AES_256_GCM_8 inline:URvowj9NlyRUU4Ro4NIUbg/39b1bEdLtxPelsfHpPGD9GtwWuKMMefhd76U"
			    "|1000000 UNENCRYPTED_SRTP"), 0);
	CHECK_INT(cl_sdes_format(&c, out, sizeof(out), &len), 0);
	CHECK(strcmp(out, "1 AEAD_AES_256_GCM_8 inline:URvowj9NlyRUU4Ro4NIUbg/39b1bEdLtxPelsfHpPGD9GtwWuKMMefhd76U="
			  "|1000000 UNENCRYPTED_SRTP") == 0);

	/* Every carrier line comes back byte for byte: they are already canonical. */
	for (size_t i = 0; i < CL_ARRAY_SIZE(carrier); i++) {
		CHECK_INT(parse(&c, carrier[i].line), 0);
		CHECK_INT(cl_sdes_format(&c, out, sizeof(out), &len), 0);
		CHECK(strcmp(out, carrier[i].line) == 0);
	}

	/* Nothing to write for a line without a suite or keys. */
	CHECK_INT(parse(&c, "1 SEED_128_CCM_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw"), 0);
	CHECK_INT(cl_sdes_format(&c, out, sizeof(out), &len), EINVAL);
	CHECK_INT(cl_sdes_format(NULL, out, sizeof(out), &len), EINVAL);
}

TEST(sdes_crypto_format_roundtrip)
{
	static const char *lines[] = {
		"1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32",
		"1 AES_CM_128_HMAC_SHA1_80 inline:YUJDZGVmZ2hpSktMbW9QUXJzVHVWd3l6MTIzNDU2|1066:4",
		"2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;"
		"inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4",
		"9 AES_CM_128_HMAC_SHA1_32 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8|123456789|"
		"18446744073709551615:128 KDR=24 UNENCRYPTED_SRTP UNENCRYPTED_SRTCP "
		"UNAUTHENTICATED_SRTP WSH=32768",
		"3 AES_CM_256_HMAC_SHA1_80 inline:JlgkqmY+uVPBLmJairIWLMTzsoP7sq6M+FLsTeZkAJUKobgTjouB0H+ZHV911Q|2^31|1:1",
		"12 AEAD_AES_128_GCM inline:uATLXs8T8rjZ0QVH15np2ExFaVZixIRvHHXOow|2^48 KDR=1 -OPTIONAL WSH=70",
		"4 NULL_HMAC_SHA1_32 inline:aNNDkHj6o2xl2J6PkjReCqK4dvGFeV3AjZ9Lohir WSH=1",
	};
	char out[CL_SDES_LINE_MAX];

	for (size_t i = 0; i < CL_ARRAY_SIZE(lines); i++) {
		struct cl_sdes_crypto c, back;

		CHECK_INT(parse(&c, lines[i]), 0);
		if (!c.usable)
			fprintf(stderr, "  %s: %s\n", lines[i], c.why);
		CHECK(c.usable);
		CHECK_INT(reparse(&c, &back, out, sizeof(out)), 0);
		CHECK(same_crypto(&c, &back));
		CHECK_INT(srtp_roundtrip(&c, &back), 0);
	}
	for (size_t i = 0; i < CL_ARRAY_SIZE(carrier); i++) {
		struct cl_sdes_crypto c, back;

		CHECK_INT(parse(&c, carrier[i].line), 0);
		CHECK_INT(reparse(&c, &back, out, sizeof(out)), 0);
		CHECK(same_crypto(&c, &back));
	}
}

/* Every capacity short of the line is ENOBUFS, written into an exact-size heap buffer. */
TEST(sdes_crypto_format_enobufs)
{
	struct cl_sdes_crypto c;
	char full[CL_SDES_LINE_MAX];
	size_t need = 0, len = 0;

	CHECK_INT(parse(&c, "9 AES_CM_128_HMAC_SHA1_32 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8"
			    "|2^31|1:1;inline:DzAaqmSiBsFG997HKmMhoFkxOo3c9TY7mO6fFHOn|1000|2:1 KDR=4 "
			    "UNENCRYPTED_SRTCP WSH=512"), 0);
	CHECK(c.usable);
	CHECK_INT(cl_sdes_format(&c, full, sizeof(full), &need), 0);
	for (size_t cap = 0; cap <= need + 1; cap++) {
		char *buf = malloc(cap ? cap : 1);
		int rc;

		if (!buf)
			abort();
		len = 12345;
		rc = cl_sdes_format(&c, cap ? buf : NULL, cap, &len);
		if (cap < need) {
			free(buf);
			CHECK_INT(rc, ENOBUFS);
			CHECK_INT(len, 12345);
			continue;
		}
		CHECK(rc == 0 && len == need && memcmp(buf, full, need) == 0);
		CHECK(cap == need || buf[need] == '\0');
		free(buf);
	}
	/* The longest line we could emit fits CL_SDES_LINE_MAX. */
	CHECK(need < CL_SDES_LINE_MAX);
}

/* ---- truncation at every length ---- */

TEST(sdes_crypto_truncation)
{
	static const char *extra[] = {
		"2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;"
		"inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4 FEC_ORDER=FEC_SRTP",
		"9 AES_CM_128_HMAC_SHA1_32 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8|2^31|"
		"255:1 KDR=24 UNENCRYPTED_SRTP UNENCRYPTED_SRTCP UNAUTHENTICATED_SRTP WSH=32768\r\n",
	};
	char out[CL_SDES_LINE_MAX];

	for (size_t i = 0; i < CL_ARRAY_SIZE(carrier) + CL_ARRAY_SIZE(extra); i++) {
		const char *line = i < CL_ARRAY_SIZE(carrier) ? carrier[i].line
							      : extra[i - CL_ARRAY_SIZE(carrier)];
		size_t n = strlen(line);

		for (size_t k = 0; k <= n; k++) {
			struct cl_sdes_crypto c, back;
			int rc = parse_heap(&c, line, k);

			CHECK(rc == 0 || rc == EBADMSG);
			CHECK(rc == 0 || k < 2);
			CHECK(c.usable || c.why != NULL);
			if (c.usable) {
				CHECK_INT(reparse(&c, &back, out, sizeof(out)), 0);
				CHECK(same_crypto(&c, &back));
			}
			cl_sdes_crypto_wipe(&c);
		}
	}
}

/* ---- generate, wipe, SRTP parameters ---- */

TEST(sdes_crypto_generate)
{
	uint8_t mki[CL_SRTP_MAX_MKI_LEN];
	char out[CL_SDES_LINE_MAX];

	for (enum cl_srtp_suite_id id = 0; id < CL_SRTP_SUITE_COUNT; id++) {
		const struct cl_srtp_suite *su = cl_srtp_suite_get(id);
		struct cl_sdes_crypto a, b, back;

		CHECK_INT(cl_sdes_generate(&a, 1 + (uint32_t)id, su, 0, 0), 0);
		CHECK_INT(cl_sdes_generate(&b, 1 + (uint32_t)id, su, 1ull << 31, 4), 0);
		CHECK(a.usable && b.usable);
		CHECK(a.suite == su && cl_slice_eq(a.suite_name, cl_slice_cstr(su->name)));
		CHECK_INT(a.nkeys, 1);
		CHECK_INT(a.keys[0].len, su->key_len + su->salt_len);
		CHECK(memcmp(a.keys[0].key_salt, b.keys[0].key_salt, a.keys[0].len) != 0);
		CHECK_INT(a.keys[0].mki_len, 0);
		CHECK_INT(b.keys[0].mki, 1);
		CHECK_INT(b.keys[0].mki_len, 4);
		cl_sdes_mki_bytes(&b.keys[0], mki);
		CHECK_MEM(mki, "\x00\x00\x00\x01", 4);
		CHECK_INT(b.keys[0].lifetime, 1ull << 31);

		CHECK_INT(reparse(&b, &back, out, sizeof(out)), 0);
		CHECK(strstr(out, "|2^31|1:4") != NULL);
		CHECK(same_crypto(&b, &back));
		CHECK_INT(srtp_roundtrip(&b, &back), 0);
		CHECK_INT(reparse(&a, &back, out, sizeof(out)), 0);
		CHECK(strchr(out, '|') == NULL);
		CHECK_INT(srtp_roundtrip(&a, &back), 0);
		cl_sdes_crypto_wipe(&a);
		cl_sdes_crypto_wipe(&b);
		cl_sdes_crypto_wipe(&back);
	}
	{
		struct cl_sdes_crypto c;
		const struct cl_srtp_suite *su = cl_srtp_suite_get(CL_SRTP_AES_CM_128_HMAC_SHA1_80);

		CHECK_INT(cl_sdes_generate(&c, 1, su, 1ull << 31, 1), 0);
		CHECK_INT(cl_sdes_format(&c, out, sizeof(out), NULL), 0);
		CHECK(strstr(out, "|2^31|1:1") != NULL);
		CHECK_INT(cl_sdes_generate(&c, 1, NULL, 0, 0), EINVAL);
		CHECK_INT(cl_sdes_generate(&c, 1000000000u, su, 0, 0), EINVAL);
		CHECK_INT(cl_sdes_generate(&c, 1, su, (1ull << 48) + 1, 0), EINVAL);
		CHECK_INT(cl_sdes_generate(&c, 1, su, 0, 129), EINVAL);
		CHECK_INT(cl_sdes_generate(NULL, 1, su, 0, 0), EINVAL);
	}
}

TEST(sdes_crypto_wipe)
{
	struct cl_sdes_crypto c;

	CHECK_INT(parse(&c, carrier[2].line), 0);
	CHECK(!all_zero(c.keys[0].key_salt, c.keys[0].len));
	cl_sdes_crypto_wipe(&c);
	CHECK(all_zero(c.keys, sizeof(c.keys)));
	cl_sdes_crypto_wipe(NULL);
}

TEST(sdes_crypto_srtp_params)
{
	struct cl_sdes_crypto c;
	struct cl_srtp_params p;
	struct cl_srtp_master_key keys[CL_SDES_MAX_KEYS];
	uint8_t mki[CL_SDES_MAX_KEYS][CL_SRTP_MAX_MKI_LEN];
	char buf[CL_SDES_LINE_MAX];

	CHECK_INT(parse(&c, "3 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw"
			    "|2^30|258:2;inline:DzAaqmSiBsFG997HKmMhoFkxOo3c9TY7mO6fFHOn|2^20|259:2 "
			    "KDR=8 UNENCRYPTED_SRTCP WSH=1024"), 0);
	CHECK(c.usable);
	CHECK_INT(cl_sdes_srtp_params(&c, &p, keys, mki), 0);
	CHECK(p.suite == c.suite);
	CHECK(p.keys == keys);
	CHECK_INT(p.nkeys, 2);
	CHECK(keys[0].key_salt == c.keys[0].key_salt);
	CHECK(keys[1].key_salt == c.keys[1].key_salt);
	CHECK_INT(keys[0].mki_len, 2);
	CHECK(keys[0].mki == mki[0] && keys[1].mki == mki[1]);
	CHECK_MEM(keys[0].mki, "\x01\x02", 2);
	CHECK_MEM(keys[1].mki, "\x01\x03", 2);
	CHECK_INT(keys[0].lifetime, 1ull << 30);
	CHECK_INT(keys[1].lifetime, 1ull << 20);
	CHECK_INT(p.kdr, 256);
	CHECK(!p.unencrypted_srtp && p.unencrypted_srtcp && !p.unauthenticated_srtp);
	CHECK_INT(p.window, 1024);
	CHECK_INT(p.max_streams, 0);
	CHECK_INT(p.roc, 0);

	/* No MKI: mki is NULL. */
	CHECK_INT(parse(&c, carrier[4].line), 0);
	CHECK_INT(cl_sdes_srtp_params(&c, &p, keys, mki), 0);
	CHECK(keys[0].mki == NULL && keys[0].mki_len == 0 && keys[0].lifetime == 0);
	CHECK_INT(p.window, 0);

	/* The MKI bytes follow the value, also one edited by hand; a value that no longer
	 * fits its length is refused (as by format), not keyed truncated. */
	CHECK_INT(parse(&c, "3 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw|5:1"), 0);
	c.keys[0].mki = 6;
	CHECK_INT(cl_sdes_srtp_params(&c, &p, keys, mki), 0);
	CHECK_INT(keys[0].mki_len, 1);
	CHECK_MEM(keys[0].mki, "\x06", 1);
	c.keys[0].mki = 256;
	CHECK_INT(cl_sdes_srtp_params(&c, &p, keys, mki), EINVAL);
	CHECK_INT(cl_sdes_format(&c, buf, sizeof(buf), NULL), EINVAL);
	CHECK_INT(cl_sdes_srtp_params(&c, &p, keys, NULL), EINVAL);

	/* Unusable lines key nothing. */
	CHECK_INT(parse(&c, "3 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw FOO"), 0);
	CHECK_INT(cl_sdes_srtp_params(&c, &p, keys, mki), EINVAL);
	CHECK_INT(cl_sdes_srtp_params(NULL, &p, keys, mki), EINVAL);
}

/* cl_sdes_mki_bytes: the value big-endian in mki_len bytes (RFC 3711 §3.1), long ones
 * zero-padded in front, nothing written past mki_len. */
TEST(sdes_crypto_mki_bytes)
{
	struct cl_sdes_key k = { .mki = 0x0102030405060708ull, .mki_len = 8 };
	uint8_t out[CL_SRTP_MAX_MKI_LEN];

	memset(out, 0xee, sizeof(out));
	cl_sdes_mki_bytes(&k, out);
	CHECK_MEM(out, "\x01\x02\x03\x04\x05\x06\x07\x08\xee", 9);
	k.mki_len = 10;
	cl_sdes_mki_bytes(&k, out);
	CHECK_MEM(out, "\x00\x00\x01\x02\x03\x04\x05\x06\x07\x08\xee", 11);
	k.mki = 0x2a;
	k.mki_len = 1;
	memset(out, 0xee, sizeof(out));
	cl_sdes_mki_bytes(&k, out);
	CHECK_MEM(out, "\x2a\xee", 2);
	k.mki_len = 0;
	memset(out, 0xee, sizeof(out));
	cl_sdes_mki_bytes(&k, out);
	CHECK_INT(out[0], 0xee);
	k.mki_len = CL_SRTP_MAX_MKI_LEN;
	cl_sdes_mki_bytes(&k, out);
	CHECK(all_zero(out, CL_SRTP_MAX_MKI_LEN - 1) && out[CL_SRTP_MAX_MKI_LEN - 1] == 0x2a);
	k.mki_len = 255; /* out of range: clamped to the buffer */
	cl_sdes_mki_bytes(&k, out);
	CHECK_INT(out[CL_SRTP_MAX_MKI_LEN - 1], 0x2a);
	cl_sdes_mki_bytes(NULL, out);
}
