/* SIP URIs, typed headers, lexical helpers and the stream framer (issue 4 §1). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sip/sip.h"
#include "test.h"

const char *cl_sip_test_guard(const void *data, size_t len);

static bool eq(struct cl_slice s, const char *lit)
{
	return s.len == strlen(lit) && memcmp(s.p, lit, s.len) == 0;
}

static struct cl_slice gs(const char *s)
{
	size_t n = strlen(s);

	return (struct cl_slice){ cl_sip_test_guard(s, n), n };
}

static size_t put(char *out, size_t cap, size_t n, const char *pre, struct cl_slice s, bool on)
{
	if (on)
		n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%.*s", pre, (int)s.len,
				      s.p ? s.p : "");
	return n;
}

/* Rebuilds a sip/sips/tel URI from its slices. */
static size_t uri_rebuild(const struct cl_sip_uri *u, char *out, size_t cap)
{
	char port[8];
	size_t n = 0;
	bool sip = u->scheme != CL_SIP_SCHEME_TEL;

	snprintf(port, sizeof(port), "%u", u->port);
	n = put(out, cap, n, "", u->scheme_s, true);
	n = put(out, cap, n, ":", u->user, true);
	n = put(out, cap, n, ":", u->password, u->has_password);
	n = put(out, cap, n, "@", u->host, sip && u->user.len);
	n = put(out, cap, n, "", u->host, sip && !u->user.len);
	n = put(out, cap, n, ":", cl_slice_cstr(port), u->has_port);
	n = put(out, cap, n, ";", u->params, u->params.len > 0);
	n = put(out, cap, n, "?", u->headers, u->has_headers);
	return n;
}

TEST(sip_uri_valid_round_trip)
{
	static const char *ok[] = {
		"sip:alice@example.com",
		"sips:alice:secret@[2001:db8::1]:5061;transport=tls;lr",
		"sip:192.0.2.1:5060",
		"sip:+1-212-555-0101;phone-context=example.com@gw.example.com;user=phone",
		"sip:user;par=u%40example.net@example.com",
		"sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
		"sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31",
		"sip:user@example.com?Route=%3Csip:sip.example.com%3E&Subject=hi",
		"sip:example.com.",
		"tel:+1-201-555-0123;ext=1234",
		"tel:7042;phone-context=example.com",
	};
	char buf[512];

	for (size_t k = 0; k < CL_ARRAY_SIZE(ok); k++) {
		struct cl_sip_uri u;
		size_t n;

		if (cl_sip_uri_parse(&u, gs(ok[k])) != 0) {
			cl_test_fail(t, __FILE__, __LINE__, "rejected %s", ok[k]);
			return;
		}
		n = uri_rebuild(&u, buf, sizeof(buf));
		CHECK(n == strlen(ok[k]) && memcmp(buf, ok[k], n) == 0);
	}
}

TEST(sip_uri_fields)
{
	struct cl_sip_uri u;
	struct cl_sip_param p;

	CHECK_INT(cl_sip_uri_parse(&u, gs("sips:bob@[2001:db8::1]:5061;transport=tls;lr")), 0);
	CHECK_INT(u.scheme, CL_SIP_SCHEME_SIPS);
	CHECK_INT(u.host_type, CL_SIP_HOST_IPV6);
	CHECK(eq(u.host, "[2001:db8::1]"));
	CHECK_INT(u.port, 5061);
	CHECK_INT(cl_sip_uri_param_find(&u, "TRANSPORT", &p), 0);
	CHECK(eq(p.value, "tls"));
	CHECK_INT(cl_sip_uri_param_find(&u, "lr", &p), 0);
	CHECK(!p.has_value);
	CHECK_INT(cl_sip_uri_param_find(&u, "maddr", &p), ENOENT);
	CHECK_INT(cl_sip_uri_parse(&u, gs("soap.beep://192.0.2.103:3002")), 0);
	CHECK_INT(u.scheme, CL_SIP_SCHEME_OTHER);
	CHECK(eq(u.opaque, "//192.0.2.103:3002"));
	CHECK_INT(cl_sip_uri_parse(&u, gs("sip:10.0.0.1")), 0);
	CHECK_INT(u.host_type, CL_SIP_HOST_IPV4);
}

TEST(sip_uri_invalid)
{
	static const char *bad[] = {
		"", "sip:", "sip:@example.com", "sip:user@", "sip:us er@example.com",
		"sip:user@example.com:65536", "sip:user@[2001:db8::zz]", "sip:user@256.1.1.1",
		"sip:user@1.2.3", "sip:%4@example.com", "sip:%GG@example.com",
		"sip:user@-bad.example.com", "sip:user@example.com;", "sip:user@example.com;a=",
		"sip:user@example.com?x", "sip:user@exa_mple.com", "tel:", "tel:+", "tel:12;",
		"1sip:x", "<sip:user@example.com>", "sip:user@example.com>", "http://a b",
		"sip:user@example..com",
	};

	for (size_t k = 0; k < CL_ARRAY_SIZE(bad); k++) {
		struct cl_sip_uri u;

		if (cl_sip_uri_parse(&u, gs(bad[k])) != EBADMSG) {
			cl_test_fail(t, __FILE__, __LINE__, "accepted \"%s\"", bad[k]);
			return;
		}
	}
}

TEST(sip_hdr_table)
{
	CHECK_INT(cl_sip_hdr_lookup(CL_SLICE_LIT("v")), CL_SIP_HDR_VIA);
	CHECK_INT(cl_sip_hdr_lookup(CL_SLICE_LIT("I")), CL_SIP_HDR_CALL_ID);
	CHECK_INT(cl_sip_hdr_lookup(CL_SLICE_LIT("CALL-id")), CL_SIP_HDR_CALL_ID);
	CHECK_INT(cl_sip_hdr_lookup(CL_SLICE_LIT("x-custom")), CL_SIP_HDR_OTHER);
	CHECK_INT(cl_sip_hdr_lookup(CL_SLICE_LIT("q")), CL_SIP_HDR_OTHER);
	/* every compact form of RFC 3261 §7.3.3 and the registry, and every long name */
	for (const char *c = "abcdefijklmnorstuvxy"; *c; c++)
		CHECK(cl_sip_hdr_lookup((struct cl_slice){ c, 1 }) != CL_SIP_HDR_OTHER);
	for (int id = 1; id < CL_SIP_HDR_COUNT; id++)
		CHECK_INT(cl_sip_hdr_lookup(cl_slice_cstr(cl_sip_hdr_name(id))), id);
}

TEST(sip_list_and_unfold)
{
	struct cl_slice rest = gs("<sip:a@b;x=\",\">;q=0.5 , \"Doe, J\" <sip:c@d>,\r\n sip:e@f"), e;
	char out[64];
	size_t n;

	CHECK_INT(cl_sip_list_next(&rest, &e), 0);
	CHECK(eq(e, "<sip:a@b;x=\",\">;q=0.5"));
	CHECK_INT(cl_sip_list_next(&rest, &e), 0);
	CHECK(eq(e, "\"Doe, J\" <sip:c@d>"));
	CHECK_INT(cl_sip_list_next(&rest, &e), 0);
	CHECK(eq(e, "sip:e@f"));
	CHECK_INT(cl_sip_list_next(&rest, &e), ENOENT);
	rest = gs("\"open, <x>");
	CHECK_INT(cl_sip_list_next(&rest, &e), EBADMSG);
	CHECK_INT(cl_sip_unfold(gs("a\r\n  b\t c"), out, sizeof(out), &n), 0);
	CHECK(n == 5 && memcmp(out, "a b c", 5) == 0);
	CHECK_INT(cl_sip_unfold(gs("abcdef"), out, 3, &n), ENOBUFS);
	CHECK_INT(cl_sip_unquote(gs("\"J \\\"R\\\\\""), out, sizeof(out), &n), 0);
	CHECK(n == 5 && memcmp(out, "J \"R\\", 5) == 0);
	CHECK_INT(cl_sip_unquote(gs("\"x"), out, sizeof(out), &n), EBADMSG);
}

TEST(sip_via_rport_alias)
{
	struct cl_sip_via v;

	CHECK_INT(cl_sip_via_parse(&v, gs("SIP/2.0/TLS [2001:db8::9]:5061;branch=z9hG4bK1;rport;alias")), 0);
	CHECK(eq(v.transport, "TLS"));
	CHECK_INT(v.host_type, CL_SIP_HOST_IPV6);
	CHECK_INT(v.port, 5061);
	CHECK(v.rport && !v.rport_has_value && v.alias);
	CHECK(eq(v.branch, "z9hG4bK1"));
	CHECK_INT(cl_sip_via_parse(&v, gs("SIP / 2.0 / UDP\r\n 10.0.0.1 ;received=192.0.2.7;rport=40312;ttl=16;maddr=224.2.0.1")), 0);
	CHECK(v.has_received && eq(v.received, "192.0.2.7"));
	CHECK(v.rport && v.rport_has_value && v.rport_value == 40312);
	CHECK_INT(v.ttl, 16);
	CHECK(!v.has_branch && !v.alias);
	CHECK_INT(cl_sip_via_parse(&v, gs("SIP/2.0/UDP h;received=2001:db8::1;branch=x")), 0);
	CHECK_INT(cl_sip_via_parse(&v, gs("SIP/2.0/UDP h;rport=70000")), EBADMSG);
	CHECK_INT(cl_sip_via_parse(&v, gs("SIP/2.0/UDP h;branch")), EBADMSG);
	CHECK_INT(cl_sip_via_parse(&v, gs("SIP/2.0 h")), EBADMSG);
	CHECK_INT(cl_sip_via_parse(&v, gs("SIP/2.0/UDP")), EBADMSG);
	CHECK_INT(cl_sip_via_parse(&v, gs("SIP/2.0/UDP h x")), EBADMSG);
}

TEST(sip_contact_params)
{
	struct cl_sip_contact c;
	char inst[64];
	size_t n;

	CHECK_INT(cl_sip_contact_parse(&c, gs("<sip:alice@192.0.2.4;transport=tcp>;expires=3600;"
					      "+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\";"
					      "reg-id=1;q=0.7")), 0);
	CHECK_INT(c.expires, 3600);
	CHECK_INT(c.reg_id, 1);
	CHECK_INT(c.q, 700);
	CHECK(eq(c.instance, "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"));
	CHECK(c.na.bracketed && eq(c.na.uri_text, "sip:alice@192.0.2.4;transport=tcp"));
	CHECK_INT(cl_sip_contact_parse(&c, gs("*")), 0);
	CHECK(c.star);
	CHECK_INT(cl_sip_contact_parse(&c, gs("<sip:a@b>;expires=99999999999")), 0);
	CHECK_INT(c.expires, 4294967295LL);
	CHECK_INT(cl_sip_contact_parse(&c, gs("<sip:a@b>;q=1.5")), EBADMSG);
	CHECK_INT(cl_sip_contact_parse(&c, gs("<sip:a@b>;q=0.1234")), EBADMSG);
	CHECK_INT(cl_sip_contact_parse(&c, gs("<sip:a@b>;reg-id=0")), EBADMSG);
	CHECK_INT(cl_sip_contact_parse(&c, gs("<sip:a@b>;+sip.instance=x")), EBADMSG);
	CHECK_INT(cl_sip_contact_parse(&c, gs("sip:a@b?x=y")), EBADMSG);
	CHECK_INT(cl_sip_unquote(gs("\"a\""), inst, sizeof(inst), &n), 0);
}

TEST(sip_nameaddr_forms)
{
	struct cl_sip_nameaddr na;

	CHECK_INT(cl_sip_nameaddr_parse(&na, gs("\"A \\\"B\\\"\" <sip:a@b.example>;tag=x1;foo")), 0);
	CHECK(eq(na.display, "\"A \\\"B\\\"\""));
	CHECK(eq(na.tag, "x1"));
	CHECK_INT(cl_sip_nameaddr_parse(&na, gs("Bob Smith <tel:+15551234>")), 0);
	CHECK(eq(na.display, "Bob Smith"));
	CHECK_INT(na.uri.scheme, CL_SIP_SCHEME_TEL);
	CHECK_INT(cl_sip_nameaddr_parse(&na, gs("sip:c@d;tag=7")), 0);
	CHECK(!na.bracketed && eq(na.uri_text, "sip:c@d") && eq(na.tag, "7"));
	CHECK_INT(cl_sip_nameaddr_parse(&na, gs("< sip:c@d >")), EBADMSG);
	CHECK_INT(cl_sip_nameaddr_parse(&na, gs("\"x <sip:c@d>")), EBADMSG);
	CHECK_INT(cl_sip_nameaddr_parse(&na, gs("<sip:c@d>;tag")), EBADMSG);
	CHECK_INT(cl_sip_nameaddr_parse(&na, gs("<sip:c@d> junk")), EBADMSG);
}

TEST(sip_auth_warning_reason_ctype)
{
	struct cl_sip_auth a;
	struct cl_sip_param p;
	struct cl_sip_warning w;
	struct cl_sip_reason r;
	struct cl_sip_ctype ct;
	struct cl_slice rest;

	CHECK_INT(cl_sip_auth_parse(&a, gs("Digest username=\"bob\", realm=\"biloxi.com\",\r\n"
					   " nonce=\"dcd98b\", uri=\"sip:bob@biloxi.com\", qop=auth,"
					   " nc=00000001, response=\"6629fae4\"")), 0);
	CHECK(eq(a.scheme, "Digest"));
	rest = a.params;
	CHECK_INT(cl_sip_auth_param_next(&rest, &p), 0);
	CHECK(eq(p.name, "username") && eq(p.value, "\"bob\"") && p.quoted);
	CHECK_INT(cl_sip_param_find((struct cl_slice){ 0 }, "x", &p), ENOENT);
	for (int i = 0; i < 6; i++)
		CHECK_INT(cl_sip_auth_param_next(&rest, &p), 0);
	CHECK(eq(p.name, "response"));
	CHECK_INT(cl_sip_auth_param_next(&rest, &p), ENOENT);
	CHECK_INT(cl_sip_auth_parse(&a, gs("Digest realm=\"x\" nonce=\"y\"")), EBADMSG);
	CHECK_INT(cl_sip_auth_parse(&a, gs("NoOneKnowsThisScheme opaque-data=here")), 0);

	CHECK_INT(cl_sip_warning_parse(&w, gs("307 isi.edu \"Session parameter 'foo' not understood\"")), 0);
	CHECK_INT(w.code, 307);
	CHECK(eq(w.agent, "isi.edu"));
	CHECK_INT(cl_sip_warning_parse(&w, gs("399 192.0.2.1:5060 \"x\"")), 0);
	CHECK(eq(w.agent, "192.0.2.1:5060"));
	CHECK_INT(cl_sip_warning_parse(&w, gs("1812 overture \"In Progress\"")), EBADMSG);

	CHECK_INT(cl_sip_reason_parse(&r, gs("Q.850 ;cause=16 ;text=\"Terminated\"")), 0);
	CHECK(eq(r.protocol, "Q.850") && r.cause == 16 && eq(r.text, "\"Terminated\""));
	CHECK_INT(cl_sip_reason_parse(&r, gs("SIP;cause=x")), EBADMSG);

	CHECK_INT(cl_sip_ctype_parse(&ct, gs("multipart/mixed;boundary=7a9cbec02ceef655")), 0);
	CHECK(eq(ct.type, "multipart") && eq(ct.subtype, "mixed"));
	CHECK_INT(cl_sip_ctype_parse(&ct, gs("application")), EBADMSG);
}

/* ---- whole messages built here ---- */

#define REQ_HEAD "OPTIONS sip:edge.example.com SIP/2.0\r\n"                      \
		 "Via: SIP/2.0/TLS 192.0.2.9:5061;branch=z9hG4bKabc;rport;alias\r\n" \
		 "From: <sip:a@example.com>;tag=1\r\nTo: <sip:edge.example.com>\r\n"  \
		 "Call-ID: x1@192.0.2.9\r\nCSeq: 7 OPTIONS\r\n"

static int parse_str(struct cl_sip_msg *m, const char *s, struct cl_sip_error *err)
{
	return cl_sip_parse(m, cl_sip_test_guard(s, strlen(s)), strlen(s), NULL, err);
}

static struct cl_sip_msg m;

TEST(sip_msg_mandatory_and_limits)
{
	struct cl_sip_error err;
	/* status 0 with a reason: a response dropped; 0 or 483 without: parsed */
	static const struct { const char *msg; uint16_t status; const char *reason; } c[] = {
		{ REQ_HEAD "Max-Forwards: 70\r\n\r\n", 0, "" },
		{ REQ_HEAD "\r\n", 400, "Missing Max-Forwards" },
		{ REQ_HEAD "Max-Forwards: 256\r\n\r\n", 400, "Bad Max-Forwards" },
		{ REQ_HEAD "Max-Forwards: 0\r\n\r\n", 483, "Too Many Hops" },
		{ REQ_HEAD "Max-Forwards: 1\r\nCall-ID: y\r\n\r\n", 400, "Duplicate Call-ID" },
		{ REQ_HEAD "Max-Forwards: 1\r\nContact: *\r\nContact: <sip:x@y>\r\n\r\n", 400, "Bad Contact" },
		{ REQ_HEAD "Max-Forwards: 1\r\nContent-Length: 5\r\n\r\nabc", 400, "Content-Length Too Large" },
		{ REQ_HEAD "Max-Forwards: 1\nContent-Length: 0\r\n\r\n", 400, "Bad Header Line" },
		{ REQ_HEAD "Max-Forwards: 1\r\nBad Header: x\r\n\r\n", 400, "Bad Header Line" },
		{ REQ_HEAD "Max-Forwards: 1\r\n", 400, "Incomplete Message" },
		{ "OPTIONS sip:a@b SIP/2.0\r\n folded: x\r\n\r\n", 400, "Bad Header Line" },
		{ "OPTIONS sip:a@b SIP/2.0\r\nTo: <sip:a@b>\r\nFrom: <sip:a@b>;tag=1\r\nCall-ID: a\r\n"
		  "CSeq: 1 OPTIONS\r\nMax-Forwards: 1\r\n\r\n", 400, "Missing Via" },
		{ "SIP/2.0 200 OK\r\nTo: <sip:a@b>\r\n\r\n", 0, "Missing Via" },
		{ "SIP/2.0 99 Odd\r\n\r\n", 0, "Bad Status-Line" },
		{ "garbage\r\n\r\n", 400, "Bad Request-Line" },
	};

	for (size_t k = 0; k < CL_ARRAY_SIZE(c); k++) {
		int rc = parse_str(&m, c[k].msg, &err);

		if (err.status != c[k].status || strcmp(err.reason, c[k].reason) != 0 ||
		    (rc == 0) != ((c[k].status == 0 && !c[k].reason[0]) || c[k].status == 483)) {
			cl_test_fail(t, __FILE__, __LINE__, "case %zu: rc %d %u \"%s\"", k, rc,
				     err.status, err.reason);
			return;
		}
	}
}

TEST(sip_msg_oversize_513)
{
	static char big[CL_SIP_DEFAULT_MAX_SIZE + 200];
	struct cl_sip_parse_opts o = { CL_SIP_DGRAM, 0 };
	struct cl_sip_error err;
	size_t n = strlen(REQ_HEAD "Max-Forwards: 70\r\n\r\n");

	memcpy(big, REQ_HEAD "Max-Forwards: 70\r\n\r\n", n);
	memset(big + n, 'x', sizeof(big) - n);
	CHECK_INT(cl_sip_parse(&m, big, sizeof(big), &o, &err), EBADMSG);
	CHECK_INT(err.status, 513);
	o.max_size = 100;
	CHECK_INT(cl_sip_parse(&m, big, n, &o, &err), EBADMSG);
	CHECK_INT(err.status, 513);
	o.max_size = 0;
	CHECK_INT(cl_sip_parse(&m, big, n, &o, &err), 0);
}

TEST(sip_msg_typed_access)
{
	static const char s[] =
		"REGISTER sip:example.com SIP/2.0\r\n"
		"v: SIP/2.0/TCP 192.0.2.9:5060;branch=z9hG4bKr1;rport, SIP/2.0/UDP p.example;branch=z9hG4bKr0\r\n"
		"Via: SIP/2.0/UDP q.example;branch=z9hG4bKq\r\n"
		"f: \"Alice\" <sip:alice@example.com>;tag=a1\r\nt: <sip:alice@example.com>\r\n"
		"i: reg1@192.0.2.9\r\nCSeq: 42 REGISTER\r\nMax-Forwards: 70\r\n"
		"k: path, gruu,\r\n outbound\r\nRequire: outbound\r\nExpires: 600\r\n"
		"Route: <sip:p1.example;lr>, <sip:p2.example;lr>\r\nRoute: <sip:p3.example;lr>\r\n"
		"m: <sip:alice@192.0.2.9:5060;transport=tcp>;reg-id=1;+sip.instance=\"<urn:uuid:1>\"\r\n"
		"Authorization: Digest username=\"alice\", realm=\"example.com\"\r\n"
		"Reason: SIP;cause=200;text=\"Call completed elsewhere\"\r\n"
		"Warning: 301 edge \"no\"\r\nl: 0\r\n\r\n";
	struct cl_sip_error err;
	struct cl_sip_values_it it = { 0 };
	struct cl_slice e;
	struct cl_sip_nameaddr na;
	uint32_t exp;
	int routes = 0;

	CHECK_INT(parse_str(&m, s, &err), 0);
	CHECK_INT(m.nvia, 3);
	CHECK(m.via.rport && eq(m.via.branch, "z9hG4bKr1") && m.via.port == 5060);
	CHECK(eq(m.call_id, "reg1@192.0.2.9"));
	CHECK(eq(m.from.display, "\"Alice\"") && eq(m.from.tag, "a1"));
	CHECK(!m.to.has_tag);
	CHECK(cl_sip_msg_has_option(&m, CL_SIP_HDR_SUPPORTED, "outbound"));
	CHECK(cl_sip_msg_has_option(&m, CL_SIP_HDR_SUPPORTED, "gruu"));
	CHECK(!cl_sip_msg_has_option(&m, CL_SIP_HDR_SUPPORTED, "100rel"));
	CHECK(cl_sip_msg_has_option(&m, CL_SIP_HDR_REQUIRE, "outbound"));
	CHECK_INT(cl_sip_msg_expires(&m, &exp), 0);
	CHECK_INT(exp, 600);
	while (cl_sip_msg_values_next(&m, CL_SIP_HDR_ROUTE, &it, &e) == 0) {
		CHECK_INT(cl_sip_nameaddr_parse(&na, e), 0);
		routes++;
	}
	CHECK_INT(routes, 3);
	CHECK(eq(na.uri.host, "p3.example"));
	CHECK_INT(m.content_length, 0);
	CHECK(cl_sip_msg_hdr_find(&m, CL_SLICE_LIT("WARNING")) != NULL);
}

/* ---- framer ---- */

TEST(sip_frame_pipelined_and_partial)
{
	static const char one[] = REQ_HEAD "Max-Forwards: 70\r\nContent-Length: 4\r\n\r\nbody";
	static char buf[4 * sizeof(one) + 16];
	struct cl_sip_frame f;
	size_t n1 = sizeof(one) - 1, off = 0, total, frames = 0, pings = 0;

	memcpy(buf, one, n1);
	memcpy(buf + n1, "\r\n\r\n", 4);
	memcpy(buf + n1 + 4, one, n1);
	total = 2 * n1 + 4;
	while (off < total) {
		const char *g = cl_sip_test_guard(buf + off, total - off);

		CHECK_INT(cl_sip_frame(g, total - off, 0, &f), 0);
		frames += f.kind == CL_SIP_FRAME_MSG;
		pings += f.kind == CL_SIP_FRAME_PING;
		off += f.len;
	}
	CHECK(frames == 2 && pings == 1 && off == total);
	/* partial reads: every prefix of one message needs more */
	for (size_t len = 0; len < n1; len++) {
		int rc = cl_sip_frame(cl_sip_test_guard(one, len), len, 0, &f);

		CHECK(rc == EAGAIN);
	}
	CHECK_INT(cl_sip_frame(cl_sip_test_guard(one, n1), n1, 0, &f), 0);
	CHECK_INT(f.len, n1);
}

TEST(sip_frame_keepalive_and_errors)
{
	struct cl_sip_frame f;

	CHECK_INT(cl_sip_frame(cl_sip_test_guard("\r\n\r\n", 4), 4, 0, &f), 0);
	CHECK(f.kind == CL_SIP_FRAME_PING && f.len == 4);
	CHECK_INT(cl_sip_frame(cl_sip_test_guard("\r\nOPT", 5), 5, 0, &f), 0);
	CHECK(f.kind == CL_SIP_FRAME_PONG && f.len == 2);
	CHECK_INT(cl_sip_frame(cl_sip_test_guard("\r\n", 2), 2, 0, &f), EAGAIN);
	CHECK(f.kind == CL_SIP_FRAME_PONG);
	CHECK_INT(cl_sip_frame(cl_sip_test_guard("\r", 1), 1, 0, &f), EAGAIN);
	CHECK_INT(cl_sip_frame(cl_sip_test_guard("\rx", 2), 2, 0, &f), EBADMSG);
	CHECK_INT(cl_sip_frame(cl_sip_test_guard("\x16\x03\x01", 3), 3, 0, &f), EBADMSG);
	CHECK_INT(cl_sip_frame(cl_sip_test_guard(REQ_HEAD "\r\n", strlen(REQ_HEAD "\r\n")),
			       strlen(REQ_HEAD "\r\n"), 0, &f), EBADMSG); /* no Content-Length */
	CHECK_INT(cl_sip_frame(cl_sip_test_guard(REQ_HEAD "l: 1\r\nl: 1\r\n\r\nab", strlen(REQ_HEAD) + 16),
			       strlen(REQ_HEAD) + 16, 0, &f), EBADMSG);
	CHECK_INT(cl_sip_frame(cl_sip_test_guard(REQ_HEAD "l: -1\r\n\r\n", strlen(REQ_HEAD) + 9),
			       strlen(REQ_HEAD) + 9, 0, &f), EBADMSG);
	CHECK_INT(cl_sip_frame(cl_sip_test_guard(REQ_HEAD "l: 9999\r\n\r\n", strlen(REQ_HEAD) + 11),
			       strlen(REQ_HEAD) + 11, 200, &f), EMSGSIZE);
	CHECK_INT(cl_sip_frame(cl_sip_test_guard(REQ_HEAD "l:\r\n 3\r\n\r\nabc", strlen(REQ_HEAD) + 13),
			       strlen(REQ_HEAD) + 13, 0, &f), 0);
	CHECK_INT(f.len, strlen(REQ_HEAD) + 13);
	CHECK_INT(cl_sip_frame(cl_sip_test_guard(REQ_HEAD "X: y\n\r\n", strlen(REQ_HEAD) + 7),
			       strlen(REQ_HEAD) + 7, 0, &f), EBADMSG);
	/* a head that never ends is over-size once max bytes are in */
	{
		static char junk[300];

		memset(junk, 'a', sizeof(junk));
		CHECK_INT(cl_sip_frame(cl_sip_test_guard(junk, sizeof(junk)), sizeof(junk), 256, &f),
			  EMSGSIZE);
		CHECK_INT(cl_sip_frame(cl_sip_test_guard(junk, 100), 100, 256, &f), EAGAIN);
	}
}
