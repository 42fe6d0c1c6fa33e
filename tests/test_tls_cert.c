/* Certificates: fingerprint and time formatting, days left, PEM in and out, the
 * local PKI of `cert init` (leaf -> intermediate -> CA verifies), chain linkage,
 * and the reasons verification gives (expired, not yet valid, unknown CA). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "test.h"
#include "tls/tls.h"

#define DAY 86400

TEST(tls_fingerprint_fmt)
{
	static const uint8_t md[] = { 0x00, 0xAB, 0x0F, 0xF0 };
	char out[16];

	CHECK_INT(cl_tls_fingerprint_fmt(md, 4, out, sizeof(out)), 0);
	CHECK(strcmp(out, "00:AB:0F:F0") == 0);
	CHECK_INT(cl_tls_fingerprint_fmt(md, 1, out, 3), 0); /* 3n bytes are enough */
	CHECK(strcmp(out, "00") == 0);
	CHECK_INT(cl_tls_fingerprint_fmt(md, 4, out, 11), ENOBUFS);
	CHECK_INT(cl_tls_fingerprint_fmt(md, 0, out, sizeof(out)), ENOBUFS);
}

TEST(tls_days_left)
{
	static const struct {
		int64_t delta, days;
	} rows[] = {
		{ 0, 0 },           { 1, 0 },        { DAY - 1, 0 },      { DAY, 1 },
		{ 30 * DAY + 5, 30 }, { -1, -1 },     { -DAY, -1 },        { -DAY - 1, -2 },
		{ 365 * DAY, 365 }, { -400 * DAY, -400 },
	};
	const int64_t now = 1700000000;

	for (size_t i = 0; i < CL_ARRAY_SIZE(rows); i++)
		CHECK_INT(cl_tls_days_left(now + rows[i].delta, now), rows[i].days);
}

TEST(tls_time_fmt)
{
	char out[CL_TLS_TIME_SIZE];

	CHECK_INT(cl_tls_time_fmt(0, out, sizeof(out)), 0);
	CHECK(strcmp(out, "1970-01-01T00:00:00Z") == 0);
	CHECK_INT(cl_tls_time_fmt(1700000000, out, sizeof(out)), 0);
	CHECK(strcmp(out, "2023-11-14T22:13:20Z") == 0);
	CHECK_INT(cl_tls_time_fmt(253402300799, out, sizeof(out)), 0); /* GeneralizedTime max */
	CHECK(strcmp(out, "9999-12-31T23:59:59Z") == 0);
	CHECK_INT(cl_tls_time_fmt(0, out, sizeof(out) - 1), ENOBUFS);
}

/* The local PKI of `cert init`, made per test (EC P-256 keys are cheap). */
static bool pki(struct cl_tls_pki *p, int64_t *now)
{
	static const char *const ips[] = { "127.0.0.1", "::1" };

	*now = (int64_t)time(NULL);
	return cl_tls_pki_init(p, "sip.example", ips, 2, 365, *now) == 0;
}

#define PKI()                                                                 \
	struct cl_tls_pki g_pki;                                              \
	int64_t g_now;                                                        \
	CHECK(pki(&g_pki, &g_now))

TEST(tls_pki_init_fields)
{
	struct cl_tls_cert_info li, ii, ci;

	PKI();
	CHECK_INT(cl_tls_cert_info(g_pki.leaf, &li), 0);
	CHECK_INT(cl_tls_cert_info(g_pki.inter, &ii), 0);
	CHECK_INT(cl_tls_cert_info(g_pki.ca, &ci), 0);
	CHECK(strcmp(li.subject, "CN = sip.example") == 0);
	CHECK(strcmp(li.issuer, ii.subject) == 0);
	CHECK(strcmp(ii.issuer, ci.subject) == 0);
	CHECK(strcmp(ci.issuer, ci.subject) == 0);
	CHECK(!li.is_ca && ii.is_ca && ci.is_ca);
	/* 159 random bits with the top one set: 20 octets, 40 hex digits. */
	CHECK_INT(strlen(li.serial), 40);
	CHECK(strcmp(li.serial, ii.serial) != 0);
	CHECK_INT(strlen(li.sha1), 59);
	CHECK_INT(strlen(li.sha256), 95);
	CHECK_INT(li.not_before, g_now - 3600);
	CHECK_INT(li.not_after, g_now + 365 * DAY);
	CHECK_INT(cl_tls_days_left(li.not_after, g_now), 365);
	CHECK(ci.not_after > li.not_after && ii.not_after > li.not_after);
	CHECK_INT(cl_tls_name_match_rfc5922(g_pki.leaf, CL_SLICE_LIT("sip.example")),
		  CL_TLS_MATCH_SIP_URI);
	CHECK_INT(cl_tls_name_match_ip(g_pki.leaf, "127.0.0.1"), CL_TLS_MATCH_IP);
	CHECK_INT(cl_tls_name_match_ip(g_pki.leaf, "::1"), CL_TLS_MATCH_IP);
	cl_tls_pki_free(&g_pki);
}

TEST(tls_pki_chain_verifies)
{
	struct cl_tls_cert *chain[2], *leaf_only[1];
	struct cl_tls_ca *ca = NULL;
	struct cl_tls_result res;

	PKI();
	chain[0] = g_pki.leaf;
	chain[1] = g_pki.inter;
	leaf_only[0] = g_pki.leaf;
	CHECK_INT(cl_tls_ca_from_certs(&ca, &g_pki.ca, 1), 0);
	CHECK_INT(cl_tls_chain_verify(ca, chain, 2, 0, &res), 0);
	CHECK_INT(res.why, CL_TLS_OK);
	/* Without the intermediate the leaf's issuer is unknown. */
	CHECK_INT(cl_tls_chain_verify(ca, leaf_only, 1, 0, &res), EACCES);
	CHECK_INT(res.why, CL_TLS_UNKNOWN_CA);
	/* A day after the leaf's notAfter, and a day before its notBefore. */
	CHECK_INT(cl_tls_chain_verify(ca, chain, 2, g_now + 366 * DAY, &res), EACCES);
	CHECK_INT(res.why, CL_TLS_EXPIRED);
	CHECK(strstr(res.detail, "expired") != NULL);
	CHECK_INT(cl_tls_chain_verify(ca, chain, 2, g_now - 2 * DAY, &res), EACCES);
	CHECK_INT(res.why, CL_TLS_NOT_YET_VALID);
	cl_tls_ca_free(ca);
	/* Trusting only the intermediate is not enough: the root is the anchor. */
	CHECK_INT(cl_tls_ca_from_certs(&ca, &g_pki.inter, 1), 0);
	CHECK_INT(cl_tls_chain_verify(ca, chain, 2, 0, &res), EACCES);
	CHECK_INT(res.why, CL_TLS_UNKNOWN_CA);
	cl_tls_ca_free(ca);
	cl_tls_pki_free(&g_pki);
}

TEST(tls_pki_other_ca_is_unknown)
{
	struct cl_tls_pki other;
	struct cl_tls_cert *chain[2];
	struct cl_tls_ca *ca = NULL;
	struct cl_tls_result res;
	int err;

	PKI();
	CHECK_INT(cl_tls_pki_init(&other, "sip.example", NULL, 0, 30, g_now), 0);
	chain[0] = g_pki.leaf;
	chain[1] = g_pki.inter;
	err = cl_tls_ca_from_certs(&ca, &other.ca, 1);
	if (!err)
		err = cl_tls_chain_verify(ca, chain, 2, 0, &res);
	cl_tls_ca_free(ca);
	cl_tls_pki_free(&other);
	CHECK_INT(err, EACCES);
	CHECK_INT(res.why, CL_TLS_UNKNOWN_CA);
	cl_tls_pki_free(&g_pki);
}

TEST(tls_chain_linked)
{
	struct cl_tls_cert *good[3], *bad[2], *rev[2];
	size_t broken = 99;

	PKI();
	good[0] = g_pki.leaf, good[1] = g_pki.inter, good[2] = g_pki.ca;
	CHECK_INT(cl_tls_chain_linked(good, 3, &broken), 0);
	CHECK_INT(cl_tls_chain_linked(good, 1, &broken), 0);
	CHECK_INT(cl_tls_chain_linked(good, 0, &broken), EINVAL);
	bad[0] = g_pki.leaf, bad[1] = g_pki.ca; /* the intermediate is missing */
	CHECK_INT(cl_tls_chain_linked(bad, 2, &broken), EBADMSG);
	CHECK_INT(broken, 0);
	rev[0] = g_pki.inter, rev[1] = g_pki.leaf;
	CHECK_INT(cl_tls_chain_linked(rev, 2, &broken), EBADMSG);
	good[2] = g_pki.leaf;
	CHECK_INT(cl_tls_chain_linked(good, 3, &broken), EBADMSG);
	CHECK_INT(broken, 1);
	cl_tls_pki_free(&g_pki);
}

TEST(tls_pem_round_trip)
{
	static char pem[4 * 8192];
	struct cl_tls_cert *got[CL_TLS_CHAIN_MAX];
	struct cl_tls_cert_info a, b;
	size_t len, l2, n = 0;

	PKI();
	CHECK_INT(cl_tls_cert_pem(g_pki.leaf, pem, sizeof(pem), &len), 0);
	CHECK(strncmp(pem, "-----BEGIN CERTIFICATE-----\n", 28) == 0);
	/* A key block between the certificates is skipped. */
	CHECK_INT(cl_tls_key_pem(g_pki.leaf_key, pem + len, sizeof(pem) - len, &l2), 0);
	CHECK(strncmp(pem + len, "-----BEGIN PRIVATE KEY-----\n", 28) == 0);
	len += l2;
	CHECK_INT(cl_tls_cert_pem(g_pki.inter, pem + len, sizeof(pem) - len, &l2), 0);
	len += l2;
	CHECK_INT(cl_tls_pem_read_certs((struct cl_slice){ pem, len }, got, CL_TLS_CHAIN_MAX, &n),
		  0);
	CHECK_INT(n, 2);
	CHECK_INT(cl_tls_cert_info(got[1], &a), 0);
	CHECK_INT(cl_tls_cert_info(g_pki.inter, &b), 0);
	CHECK(strcmp(a.sha256, b.sha256) == 0);
	cl_tls_certs_free(got, n);
	/* More than cap certificates. */
	CHECK_INT(cl_tls_pem_read_certs((struct cl_slice){ pem, len }, got, 1, &n), ENOSPC);
	CHECK_INT(n, 0);
	CHECK_INT(cl_tls_cert_pem(g_pki.leaf, pem, 100, &len), ENOBUFS);
	cl_wipe(pem, sizeof(pem));
	cl_tls_pki_free(&g_pki);
}

TEST(tls_pem_refuses_garbage)
{
	static const char *const bad[] = {
		"",
		"hello\n",
		"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		"-----BEGIN CERTIFICATE-----\nnot base64 !!\n-----END CERTIFICATE-----\n",
		"-----BEGIN CERTIFICATE-----\nMIIB\n", /* no END line */
	};
	struct cl_tls_cert *got[4];
	size_t n = 7;

	for (size_t i = 0; i < CL_ARRAY_SIZE(bad); i++) {
		CHECK_INT(cl_tls_pem_read_certs(cl_slice_cstr(bad[i]), got, 4, &n), EBADMSG);
		CHECK_INT(n, 0);
	}
}

TEST(tls_ca_init_file)
{
	char path[] = "/tmp/cl_tls_ca.XXXXXX", pem[8192];
	struct cl_tls_ca *ca = NULL;
	size_t len;
	int fd;

	PKI();
	CHECK_INT(cl_tls_ca_init(&ca, "/nonexistent/ca.pem"), ENOENT);
	CHECK_INT(cl_tls_cert_pem(g_pki.ca, pem, sizeof(pem), &len), 0);
	fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, pem, len) == (ssize_t)len);
	close(fd);
	CHECK_INT(cl_tls_ca_init(&ca, path), 0);
	cl_tls_ca_free(ca);
	fd = open(path, O_WRONLY | O_TRUNC);
	CHECK(fd >= 0 && write(fd, "junk\n", 5) == 5);
	close(fd);
	CHECK_INT(cl_tls_ca_init(&ca, path), EBADMSG);
	unlink(path);
	cl_tls_pki_free(&g_pki);
}

TEST(tls_issue_rejects_bad_spec)
{
	struct cl_tls_cert_spec s = { .cn = "x", .not_before = 100, .not_after = 50 };
	const char *bad_ip[] = { "300.1.1.1" };
	struct cl_tls_cert *c = NULL;
	struct cl_tls_pki p;

	PKI();
	CHECK_INT(cl_tls_cert_issue(&c, &s, g_pki.leaf_key, NULL, NULL), EINVAL);
	s.not_after = 200;
	s.ips = bad_ip;
	s.nips = 1;
	CHECK_INT(cl_tls_cert_issue(&c, &s, g_pki.leaf_key, NULL, NULL), EINVAL);
	CHECK_INT(cl_tls_pki_init(&p, "", NULL, 0, 1, 0), EINVAL);
	CHECK_INT(cl_tls_pki_init(&p, "a.example", NULL, 0, 0, 0), EINVAL);
	CHECK(c == NULL);
	cl_tls_pki_free(&g_pki);
}
