/* RFC 5922 §7 SIP domain identity: the URI and comparison rules as tables, then a
 * table of certificates (issued here, self-signed) against the names they must
 * and must not match. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "test.h"
#include "tls/tls.h"

TEST(tls_sip_uri_host_rfc5922_7_1)
{
	static const struct {
		const char *uri, *host; /* host NULL: not a SIP domain identity */
	} rows[] = {
		{ "sip:example.com", "example.com" },
		{ "SIP:Example.COM", "Example.COM" }, /* the scheme is case-insensitive */
		{ "sip:a-b.example.com.", "a-b.example.com." },
		{ "sip:*.example.com", "*.example.com" }, /* kept, but matches only itself */
		{ "sips:example.com", NULL },            /* §7.1: only the "sip" scheme */
		{ "sip:alice@example.com", NULL },       /* a user part: a user, not a domain */
		{ "sip:example.com:5061", NULL },
		{ "sip:example.com;transport=tls", NULL },
		{ "sip:example.com?subject=x", NULL },
		{ "sip:", NULL },
		{ "sip", NULL },
		{ "tel:+15551234", NULL },
		{ "http://example.com", NULL },
		{ "", NULL },
	};

	for (size_t i = 0; i < CL_ARRAY_SIZE(rows); i++) {
		struct cl_slice h = { 0 };
		int err = cl_tls_sip_uri_host(cl_slice_cstr(rows[i].uri), &h);

		if (!rows[i].host) {
			CHECK_INT(err, EBADMSG);
			continue;
		}
		CHECK_INT(err, 0);
		CHECK(cl_slice_eq(h, cl_slice_cstr(rows[i].host)));
	}
}

TEST(tls_sip_domain_eq_rfc5922_7_2)
{
	static const struct {
		const char *id, *domain;
		bool eq;
	} rows[] = {
		{ "example.com", "example.com", true },
		{ "EXAMPLE.com", "example.COM", true }, /* DNS names ignore case */
		{ "example.com.", "example.com", true },
		{ "example.com", "example.com.", true },
		{ "example.com", "foo.example.com", false }, /* no suffix matching */
		{ "foo.example.com", "example.com", false },
		{ "*.example.com", "foo.example.com", false }, /* no wildcards */
		{ "*.example.com", "*.example.com", true },    /* ... it matches only itself */
		{ ".example.com", "foo.example.com", false },
		{ "f*.example.com", "foo.example.com", false },
		{ "example.co", "example.com", false },
		{ "", "", false },
		{ ".", ".", false },
	};

	for (size_t i = 0; i < CL_ARRAY_SIZE(rows); i++)
		CHECK_INT(cl_tls_sip_domain_eq(cl_slice_cstr(rows[i].id),
					       cl_slice_cstr(rows[i].domain)),
			  rows[i].eq);
}

enum { NONE = CL_TLS_MATCH_NONE, URI = CL_TLS_MATCH_SIP_URI, DNS = CL_TLS_MATCH_DNS,
       CN = CL_TLS_MATCH_CN };

#define L(...) ((const char *const[]){ __VA_ARGS__ })
#define N(...) (sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

struct cert_row {
	const char *name;
	const char *cn;
	const char *const *dns;
	size_t ndns;
	const char *const *uris;
	size_t nuris;
	const char *const *ips;
	size_t nips;
	const char *domain;
	int want;
};

static const struct cert_row g_rows[] = {
	{ "SAN URI sip: matches", "x", NULL, 0, L("sip:sip.example"), 1, NULL, 0, "sip.example", URI },
	{ "SAN URI, host case differs", NULL, NULL, 0, L("sip:SIP.Example"), 1, NULL, 0,
	  "sip.EXAMPLE", URI },
	{ "second SAN URI matches", NULL, NULL, 0, L("sip:a.example", "sip:b.example"), 2, NULL, 0,
	  "b.example", URI },
	{ "URI first: DNS ignored when a sip: URI exists", NULL, L("b.example"), 1,
	  L("sip:a.example"), 1, NULL, 0, "b.example", NONE },
	{ "URI and DNS both name it: URI wins", NULL, L("a.example"), 1, L("sip:a.example"), 1,
	  NULL, 0, "a.example", URI },
	{ "dNSName matches without sip: URI", NULL, L("sip.example"), 1, NULL, 0, NULL, 0,
	  "sip.example", DNS },
	{ "dNSName, host case differs", NULL, L("Sip.Example"), 1, NULL, 0, NULL, 0,
	  "SIP.example", DNS },
	{ "sips: URI is no identity, DNS counts", NULL, L("a.example"), 1, L("sips:a.example"), 1,
	  NULL, 0, "a.example", DNS },
	{ "sip: URI with a user is no identity", NULL, NULL, 0, L("sip:alice@a.example"), 1, NULL,
	  0, "a.example", NONE },
	{ "wildcard dNSName refused for a SIP domain", NULL, L("*.example.com"), 1, NULL, 0, NULL, 0,
	  "sip.example.com", NONE },
	{ "wildcard sip: URI refused", NULL, NULL, 0, L("sip:*.example.com"), 1, NULL, 0,
	  "sip.example.com", NONE },
	{ "no suffix match", NULL, L("example.com"), 1, NULL, 0, NULL, 0, "sip.example.com", NONE },
	{ "no parent match", NULL, L("sip.example.com"), 1, NULL, 0, NULL, 0, "example.com", NONE },
	{ "CN fallback without SAN", "sip.example", NULL, 0, NULL, 0, NULL, 0, "sip.example", CN },
	{ "CN fallback, case differs", "SIP.example", NULL, 0, NULL, 0, NULL, 0, "sip.EXAMPLE", CN },
	{ "CN ignored when SAN exists (IP only)", "sip.example", NULL, 0, NULL, 0, L("192.0.2.1"),
	  1, "sip.example", NONE },
	{ "CN ignored when SAN has another DNS", "sip.example", L("other.example"), 1, NULL, 0,
	  NULL, 0, "sip.example", NONE },
	{ "wildcard CN refused", "*.example.com", NULL, 0, NULL, 0, NULL, 0, "a.example.com", NONE },
	{ "CN that is not a host name", "Example Corp", NULL, 0, NULL, 0, NULL, 0, "Example Corp",
	  NONE },
	{ "nothing at all", NULL, NULL, 0, NULL, 0, NULL, 0, "sip.example", NONE },
};

/* A self-signed certificate with the row's names. */
static struct cl_tls_cert *row_cert(const struct cert_row *r, struct cl_tls_key *key)
{
	int64_t now = (int64_t)time(NULL);
	struct cl_tls_cert_spec s = { .cn = r->cn, .dns = r->dns, .ndns = r->ndns,
				      .uris = r->uris, .nuris = r->nuris, .ips = r->ips,
				      .nips = r->nips, .not_before = now - 60,
				      .not_after = now + 86400, .path_len = -1 };
	struct cl_tls_cert *c = NULL;

	if (cl_tls_cert_issue(&c, &s, key, NULL, NULL) != 0)
		return NULL;
	return c;
}

TEST(tls_name_match_rfc5922_table)
{
	struct cl_tls_key *key = NULL;

	CHECK_INT(cl_tls_key_gen(&key), 0);
	for (size_t i = 0; i < CL_ARRAY_SIZE(g_rows); i++) {
		struct cl_tls_cert *c = row_cert(&g_rows[i], key);
		int got;

		if (!c) {
			cl_tls_key_free(key);
			cl_test_fail(t, __FILE__, __LINE__, "%s: issue failed", g_rows[i].name);
			return;
		}
		got = (int)cl_tls_name_match_rfc5922(c, cl_slice_cstr(g_rows[i].domain));
		cl_tls_cert_free(c);
		if (got != g_rows[i].want) {
			cl_test_fail(t, __FILE__, __LINE__, "%s: %s, want %s", g_rows[i].name,
				     cl_tls_match_str((enum cl_tls_match)got),
				     cl_tls_match_str((enum cl_tls_match)g_rows[i].want));
		}
	}
	cl_tls_key_free(key);
}

TEST(tls_name_match_ip)
{
	struct cert_row r = { "ip", "sip.example", L("sip.example"), 1, NULL, 0,
			      L("127.0.0.1", "::1"), 2, NULL, 0 };
	struct cl_tls_key *key = NULL;
	struct cl_tls_cert *c;

	CHECK_INT(cl_tls_key_gen(&key), 0);
	c = row_cert(&r, key);
	cl_tls_key_free(key);
	CHECK(c != NULL);
	CHECK_INT(cl_tls_name_match_ip(c, "127.0.0.1"), CL_TLS_MATCH_IP);
	CHECK_INT(cl_tls_name_match_ip(c, "::1"), CL_TLS_MATCH_IP);
	CHECK_INT(cl_tls_name_match_ip(c, "0:0::1"), CL_TLS_MATCH_IP);
	CHECK_INT(cl_tls_name_match_ip(c, "127.0.0.2"), CL_TLS_MATCH_NONE);
	CHECK_INT(cl_tls_name_match_ip(c, "sip.example"), CL_TLS_MATCH_NONE);
	/* An address is never a SIP domain: the RFC 5922 match ignores IP SANs. */
	CHECK_INT(cl_tls_name_match_rfc5922(c, CL_SLICE_LIT("127.0.0.1")), CL_TLS_MATCH_NONE);
	CHECK(cl_tls_is_ip("192.0.2.1") && cl_tls_is_ip("2001:db8::1"));
	CHECK(!cl_tls_is_ip("sip.example") && !cl_tls_is_ip("[::1]") && !cl_tls_is_ip(""));
	cl_tls_cert_free(c);
}

TEST(tls_match_and_why_words)
{
	CHECK(strcmp(cl_tls_match_str(CL_TLS_MATCH_SIP_URI), "SAN URI") == 0);
	CHECK(strcmp(cl_tls_match_str(CL_TLS_MATCH_CN), "CN") == 0);
	CHECK(strcmp(cl_tls_why_str(CL_TLS_EXPIRED), "expired") == 0);
	CHECK(strcmp(cl_tls_why_str(CL_TLS_UNKNOWN_CA), "unknown CA") == 0);
	CHECK(strcmp(cl_tls_why_str(CL_TLS_PROTOCOL_VERSION), "protocol version") == 0);
	CHECK(strcmp(cl_tls_why_str((enum cl_tls_why)99), "unknown") == 0);
}
