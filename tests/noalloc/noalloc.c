/* The allocation counter: proves the SRTP packet path never allocates (issue 2 §2, §4).
 *
 * tests/alloc_count.h interposes malloc and friends (forwarding to glibc's __libc_*
 * entry points) and counts calls only between alloc_count_start() and _stop(). For every suite it creates
 * the sessions outside the counted region, then counts across 10,000 SRTP and 1,000
 * SRTCP protect+unprotect round trips that include a sequence-number wrap, a new SSRC
 * appearing mid-run, a replayed packet being rejected, and a switch of master key
 * (MKI). libcrypto is dynamically linked, so its allocations are counted too.
 *
 * Standalone (its own main, not tests/runner.c) and never built with ASan, which has
 * its own allocator. Output: one line per suite, then "N passed, N failed". */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "srtp/srtp.h"

#include "../alloc_count.h"

/* ---- the workload ---- */

#define RTP_PACKETS 10000
#define RTCP_PACKETS 1000
#define SSRC_A 0x0a0b0c0du
#define SSRC_B 0x1a1b1c1du
#define BUF 1500

struct run {
	struct cl_srtp *tx, *rx;
	const char *what; /* first failure, or NULL */
	int rc;
};

static uint8_t keysalt[2][CL_SRTP_MAX_KEY_LEN + CL_SRTP_MAX_SALT_LEN];
static const uint8_t mkis[2][4] = { { 0, 0, 0, 1 }, { 0, 0, 0, 2 } };

static int open_pair(struct run *r, const struct cl_srtp_suite *su, uint32_t kdr)
{
	struct cl_srtp_master_key keys[2] = {
		{ keysalt[0], mkis[0], 4, 0 },
		{ keysalt[1], mkis[1], 4, 0 },
	};
	struct cl_srtp_params p = { .suite = su, .keys = keys, .nkeys = 2, .kdr = kdr };
	int rc;

	for (size_t i = 0; i < sizeof(keysalt[0]); i++) {
		keysalt[0][i] = (uint8_t)(i * 29 + 1);
		keysalt[1][i] = (uint8_t)(i * 31 + 7);
	}
	rc = cl_srtp_alloc(&r->tx, &p);
	if (!rc)
		rc = cl_srtp_alloc(&r->rx, &p);
	return rc;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* RFC 3550 §5.1: a 12-byte header and a 160-byte payload. */
static size_t rtp_build(uint8_t *b, uint16_t seq, uint32_t ssrc)
{
	b[0] = 0x80;
	b[1] = 0;
	b[2] = (uint8_t)(seq >> 8);
	b[3] = (uint8_t)seq;
	put32(b + 4, (uint32_t)seq * 160u);
	put32(b + 8, ssrc);
	memset(b + 12, (int)(seq & 0xff), 160);
	return 172;
}

/* RFC 3550 §6.4.2: an RR with one report block (32 bytes). */
static size_t rtcp_build(uint8_t *b, uint32_t ssrc, unsigned i)
{
	b[0] = 0x81;
	b[1] = 201;
	b[2] = 0;
	b[3] = 7;
	put32(b + 4, ssrc);
	memset(b + 8, (int)(i & 0xff), 24);
	return 32;
}

static bool fail(struct run *r, const char *what, int rc)
{
	if (!r->what) {
		r->what = what;
		r->rc = rc;
	}
	return false;
}

/* One protect + unprotect; the result must equal the plain packet. */
static bool round_trip(struct run *r, bool rtcp, uint8_t *pkt, size_t n, uint8_t *keep)
{
	uint8_t plain[BUF];
	size_t len = n;
	int rc;

	memcpy(plain, pkt, n);
	rc = rtcp ? cl_srtcp_protect(r->tx, pkt, &len, BUF) : cl_srtp_protect(r->tx, pkt, &len, BUF);
	if (rc)
		return fail(r, "protect", rc);
	if (keep)
		memcpy(keep, pkt, len);
	rc = rtcp ? cl_srtcp_unprotect(r->rx, pkt, &len) : cl_srtp_unprotect(r->rx, pkt, &len);
	if (rc)
		return fail(r, "unprotect", rc);
	if (len != n || memcmp(pkt, plain, n) != 0)
		return fail(r, "round trip differs", 0);
	return true;
}

/* Unprotecting an already accepted packet again must give replay. */
static bool replay(struct run *r, bool rtcp, const uint8_t *kept, size_t n)
{
	uint8_t pkt[BUF];
	size_t len = n;
	int rc;

	memcpy(pkt, kept, n);
	rc = rtcp ? cl_srtcp_unprotect(r->rx, pkt, &len) : cl_srtp_unprotect(r->rx, pkt, &len);
	return rc == CL_SRTP_ERR_REPLAY ? true : fail(r, "replay accepted", rc);
}

/* SRTP: sequence numbers cross 65535 -> 0; SSRC B joins halfway; the key changes. */
static bool rtp_run(struct run *r)
{
	uint8_t pkt[BUF], kept[BUF];
	size_t kept_len = 0;

	for (unsigned i = 0; i < RTP_PACKETS; i++) {
		uint32_t ssrc = (i >= RTP_PACKETS / 2 && i % 2) ? SSRC_B : SSRC_A;
		uint16_t seq = (uint16_t)(60000u + i);
		size_t n = rtp_build(pkt, seq, ssrc);
		bool keep = i == 100;

		if (i == RTP_PACKETS * 3 / 4 && cl_srtp_select_key(r->tx, 1) != 0)
			return fail(r, "select_key", EINVAL);
		if (!round_trip(r, false, pkt, n, keep ? kept : NULL))
			return false;
		if (keep)
			kept_len = n + cl_srtp_overhead(r->tx, false);
		if (i == 200 && !replay(r, false, kept, kept_len))
			return false;
	}
	return true;
}

static bool rtcp_run(struct run *r)
{
	uint8_t pkt[BUF], kept[BUF];
	size_t kept_len = 0;

	for (unsigned i = 0; i < RTCP_PACKETS; i++) {
		uint32_t ssrc = (i >= RTCP_PACKETS / 2 && i % 2) ? SSRC_B : SSRC_A;
		size_t n = rtcp_build(pkt, ssrc, i);
		bool keep = i == 10;

		if (!round_trip(r, true, pkt, n, keep ? kept : NULL))
			return false;
		if (keep)
			kept_len = n + cl_srtp_overhead(r->tx, true);
		if (i == 20 && !replay(r, true, kept, kept_len))
			return false;
	}
	return true;
}

/* Returns true when the suite passed; prints its line. */
/* kdr != 0 makes the engine re-derive session keys on the packet path. */
static bool run_suite(const struct cl_srtp_suite *su, uint32_t kdr)
{
	struct run r = { 0 };
	unsigned long allocs;
	int rc;

	rc = open_pair(&r, su, kdr);
	if (rc) {
		printf("FAIL noalloc %s kdr=%u (cl_srtp_alloc: %s)\n", su->name, kdr,
		       cl_srtp_strerror(rc));
		cl_srtp_free(r.tx);
		return false;
	}
	alloc_count_start();
	if (rtp_run(&r))
		(void)rtcp_run(&r);
	allocs = alloc_count_stop();
	cl_srtp_free(r.tx);
	cl_srtp_free(r.rx);
	if (r.what) {
		printf("FAIL noalloc %s kdr=%u (%s: %s)\n", su->name, kdr, r.what,
		       cl_srtp_strerror(r.rc));
		return false;
	}
	if (allocs) {
		printf("FAIL noalloc %s kdr=%u (%lu allocations)\n", su->name, kdr, allocs);
		return false;
	}
	printf("ok   noalloc %s kdr=%u (0 allocations)\n", su->name, kdr);
	return true;
}

/* The counter must see libcrypto's allocations, or a pass would prove nothing. */
static bool counter_works(void)
{
	EVP_CIPHER_CTX *ctx;
	unsigned long seen;

	alloc_count_start();
	ctx = EVP_CIPHER_CTX_new();
	seen = alloc_count_stop();
	EVP_CIPHER_CTX_free(ctx);
	printf("%s noalloc counter sees libcrypto (%lu allocations in EVP_CIPHER_CTX_new)\n",
	       seen ? "ok  " : "FAIL", seen);
	return seen > 0;
}

int main(void)
{
	unsigned passed = 0, failed = 0;

	if (counter_works())
		passed++;
	else
		failed++;

	/* KDR 0, and KDR 2^4: a re-derivation every 16 packets (RFC 3711 §4.3.1). */
	for (int k = 0; k < 2; k++) {
		for (int id = 0; id < CL_SRTP_SUITE_COUNT; id++) {
			if (run_suite(cl_srtp_suite_get((enum cl_srtp_suite_id)id), k ? 16 : 0))
				passed++;
			else
				failed++;
			fflush(stdout);
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
