/* SIP builders (issue 4 §1/§3): responses per RFC 3261 §8.2.6, requests per §8.1.1, the
 * ACK for a non-2xx (§17.1.1.3) and CANCEL (§9.1). Each output is parsed back, and every
 * capacity short of the message gets ENOBUFS without a byte written past it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sip/sip.h"
#include "test.h"

static const char INVITE[] =
	"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8;rport\r\n"
	"v: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/TCP p2.example.com;branch=z9hG4bK2\r\n"
	"Max-Forwards: 70\r\n"
	"Route: <sip:p1.example.com;lr>\r\n"
	"Route: <sip:p2.example.com;lr>\r\n"
	"To: Bob <sip:bob@biloxi.example.com>\r\n"
	"f: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Timestamp: 54\r\n"
	"Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 4\r\n"
	"\r\n"
	"v=0\n";

static int parse(struct cl_sip_msg *m, const char *buf, size_t len)
{
	struct cl_sip_parse_opts o = { CL_SIP_STREAM, 0 };
	struct cl_sip_error err;

	return cl_sip_parse(m, buf, len, &o, &err);
}

static bool has(const char *buf, size_t len, const char *needle)
{
	return memmem(buf, len, needle, strlen(needle)) != NULL;
}

static struct cl_slice field(const struct cl_sip_msg *m, enum cl_sip_hdr id)
{
	return m->first[id] >= 0 ? m->hdr[m->first[id]].value : (struct cl_slice){ "", 0 };
}

#define CHECK_SL(s, lit) CHECK(cl_slice_eq((s), CL_SLICE_LIT(lit)))

/* Every capacity below len fails with ENOBUFS and writes nothing at or past cap. */
#define CHECK_SHORT(call_with_cap, full_len)                                          \
	do {                                                                          \
		for (size_t cap_ = 0; cap_ < (full_len); cap_++) {                    \
			char gb_[4096];                                                \
			size_t l_ = 0;                                                \
			memset(gb_, 0x5a, sizeof(gb_));                                 \
			CHECK((full_len) + 16 < sizeof(gb_));                          \
			char *out_ = gb_;                                              \
			size_t cap = cap_;                                            \
			CHECK_INT((call_with_cap), ENOBUFS);                          \
			for (size_t k_ = cap_; k_ < cap_ + 16; k_++)                  \
				CHECK_INT((uint8_t)gb_[k_], 0x5a);                     \
		}                                                                     \
	} while (0)

TEST(sip_build_response_copies_via_and_tags)
{
	struct cl_sip_msg req, r;
	static const char body[] = "v=0\r\n";
	struct cl_sip_build_opts o = { .headers = CL_SLICE_LIT("Server: cipherline\r\n"),
				       .ctype = CL_SLICE_LIT("application/sdp"),
				       .body = CL_SLICE_LIT(body) };
	char out[2048];
	size_t len;
	struct cl_sip_values_it it = { 0 };
	struct cl_slice e;
	const char *want[] = { "SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8;rport",
			       "SIP/2.0/UDP p1.example.com;branch=z9hG4bK1",
			       "SIP/2.0/TCP p2.example.com;branch=z9hG4bK2" };

	CHECK_INT(parse(&req, INVITE, sizeof(INVITE) - 1), 0);
	CHECK_INT(cl_sip_build_response(&req, 200, NULL, CL_SLICE_LIT("as83kd9bs"), &o, out,
					sizeof(out), &len), 0);
	CHECK(len > 20 && memcmp(out, "SIP/2.0 200 OK\r\n", 16) == 0);
	CHECK_INT(parse(&r, out, len), 0);
	CHECK(!r.is_request);
	CHECK_INT(r.status, 200);
	CHECK_INT(r.nvia, 3);
	for (size_t i = 0; i < 3; i++) {
		CHECK_INT(cl_sip_msg_values_next(&r, CL_SIP_HDR_VIA, &it, &e), 0);
		CHECK(cl_slice_eq(e, cl_slice_cstr(want[i])));
	}
	CHECK_INT(cl_sip_msg_values_next(&r, CL_SIP_HDR_VIA, &it, &e), ENOENT);
	CHECK_SL(r.to.tag, "as83kd9bs");
	CHECK_SL(field(&r, CL_SIP_HDR_TO), "Bob <sip:bob@biloxi.example.com>;tag=as83kd9bs");
	CHECK_SL(r.from.tag, "1928301774");
	CHECK_SL(r.call_id, "a84b4c76e66710@pc33.atlanta.example.com");
	CHECK_INT(r.cseq.num, 314159);
	CHECK_SL(r.cseq.method, "INVITE");
	CHECK_INT(r.content_length, 5);
	CHECK(cl_slice_eq(r.body, CL_SLICE_LIT(body)));
	CHECK_SL(field(&r, CL_SIP_HDR_CONTENT_TYPE), "application/sdp");
	CHECK_SL(field(&r, CL_SIP_HDR_SERVER), "cipherline");
	CHECK(!has(out, len, "Timestamp")); /* only a 100 copies it */
	CHECK(!has(out, len, "Route"));
	CHECK_INT(len, r.len); /* Content-Length matches what is there */
	CHECK_SHORT(cl_sip_build_response(&req, 200, NULL, CL_SLICE_LIT("as83kd9bs"), &o, out_,
					  cap, &l_), len);
}

TEST(sip_build_response_100_and_generated_tag)
{
	struct cl_sip_msg req, r;
	char out[2048], out2[2048];
	size_t len, len2;

	CHECK_INT(parse(&req, INVITE, sizeof(INVITE) - 1), 0);
	/* §8.2.6.1: 100 copies Timestamp and adds no tag */
	CHECK_INT(cl_sip_build_response(&req, 100, NULL, CL_SLICE_LIT("x"), NULL, out,
					sizeof(out), &len), 0);
	CHECK_INT(parse(&r, out, len), 0);
	CHECK(!r.to.has_tag);
	CHECK(has(out, len, "\r\nTimestamp: 54\r\n"));
	CHECK(has(out, len, "SIP/2.0 100 Trying\r\n"));
	CHECK(has(out, len, "\r\nContent-Length: 0\r\n\r\n"));
	/* empty to_tag: a fresh random one, different each time */
	CHECK_INT(cl_sip_build_response(&req, 486, "Busy", (struct cl_slice){ NULL, 0 }, NULL,
					out, sizeof(out), &len), 0);
	CHECK_INT(cl_sip_build_response(&req, 486, "Busy", (struct cl_slice){ NULL, 0 }, NULL,
					out2, sizeof(out2), &len2), 0);
	CHECK_INT(parse(&r, out, len), 0);
	CHECK_INT(r.to.tag.len, CL_SIP_TAG_LEN);
	CHECK(has(out, len, "SIP/2.0 486 Busy\r\n"));
	CHECK_INT(len, len2);
	CHECK(memcmp(out, out2, len) != 0);
}

TEST(sip_build_response_keeps_existing_to_tag)
{
	static const char req_txt[] =
		"BYE sip:a@b.example SIP/2.0\r\n"
		"Via: SIP/2.0/TLS h.example:5061;branch=z9hG4bKbye1\r\n"
		"Max-Forwards: 70\r\nTo: <sip:a@b.example>;tag=t1\r\nFrom: <sip:c@d.example>;tag=f1\r\n"
		"Call-ID: c1\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
	struct cl_sip_msg req, r;
	char out[1024];
	size_t len;

	CHECK_INT(parse(&req, req_txt, sizeof(req_txt) - 1), 0);
	CHECK_INT(cl_sip_build_response(&req, 200, NULL, CL_SLICE_LIT("other"), NULL, out,
					sizeof(out), &len), 0);
	CHECK_INT(parse(&r, out, len), 0);
	CHECK_SL(field(&r, CL_SIP_HDR_TO), "<sip:a@b.example>;tag=t1");
	CHECK(!has(out, len, "other"));
}

TEST(sip_build_response_via_received_rport)
{
	struct cl_sip_msg req, r;
	struct cl_sip_build_opts o = { .via_received = CL_SLICE_LIT("192.0.2.4"),
				       .via_rport = 40123 };
	char out[2048];
	size_t len;
	struct cl_sip_values_it it = { 0 };
	struct cl_slice e;

	CHECK_INT(parse(&req, INVITE, sizeof(INVITE) - 1), 0);
	CHECK_INT(cl_sip_build_response(&req, 180, NULL, CL_SLICE_LIT("t"), &o, out, sizeof(out),
					&len), 0);
	CHECK_INT(parse(&r, out, len), 0);
	CHECK_INT(r.nvia, 3);
	CHECK_INT(cl_sip_msg_values_next(&r, CL_SIP_HDR_VIA, &it, &e), 0);
	CHECK_SL(e, "SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8;received=192.0.2.4;rport=40123");
	CHECK(r.via.rport_has_value && r.via.rport_value == 40123);
	CHECK_INT(cl_sip_msg_values_next(&r, CL_SIP_HDR_VIA, &it, &e), 0);
	CHECK_SL(e, "SIP/2.0/UDP p1.example.com;branch=z9hG4bK1");
	CHECK_INT(cl_sip_msg_values_next(&r, CL_SIP_HDR_VIA, &it, &e), 0);
	CHECK_SL(e, "SIP/2.0/TCP p2.example.com;branch=z9hG4bK2");
	CHECK_SHORT(cl_sip_build_response(&req, 180, NULL, CL_SLICE_LIT("t"), &o, out_, cap, &l_),
		    len);
}

TEST(sip_build_response_rejects_bad_args)
{
	struct cl_sip_msg req;
	char out[2048];
	size_t len;
	struct cl_sip_build_opts nobodytype = { .body = CL_SLICE_LIT("x") };
	struct cl_sip_build_opts nocrlf = { .headers = CL_SLICE_LIT("X-A: 1") };
	struct cl_sip_build_opts inject = { .headers = CL_SLICE_LIT("X-A: 1\r\n\r\nX: y\r\n") };
	struct cl_sip_build_opts bare_lf = { .headers = CL_SLICE_LIT("X-A: 1\nX-B: 2\r\n") };

	CHECK_INT(parse(&req, INVITE, sizeof(INVITE) - 1), 0);
	CHECK_INT(cl_sip_build_response(&req, 99, NULL, CL_SLICE_LIT("t"), NULL, out, sizeof(out), &len), EINVAL);
	CHECK_INT(cl_sip_build_response(&req, 700, NULL, CL_SLICE_LIT("t"), NULL, out, sizeof(out), &len), EINVAL);
	CHECK_INT(cl_sip_build_response(&req, 200, "O\r\nK", CL_SLICE_LIT("t"), NULL, out, sizeof(out), &len), EINVAL);
	CHECK_INT(cl_sip_build_response(&req, 200, NULL, CL_SLICE_LIT("t\r\nX: 1"), NULL, out, sizeof(out), &len), EINVAL);
	CHECK_INT(cl_sip_build_response(&req, 200, NULL, CL_SLICE_LIT("t"), &nobodytype, out, sizeof(out), &len), EINVAL);
	CHECK_INT(cl_sip_build_response(&req, 200, NULL, CL_SLICE_LIT("t"), &nocrlf, out, sizeof(out), &len), EINVAL);
	CHECK_INT(cl_sip_build_response(&req, 200, NULL, CL_SLICE_LIT("t"), &inject, out, sizeof(out), &len), EINVAL);
	CHECK_INT(cl_sip_build_response(&req, 200, NULL, CL_SLICE_LIT("t"), &bare_lf, out, sizeof(out), &len), EINVAL);
	CHECK_INT(cl_sip_build_response(&req, 200, NULL, CL_SLICE_LIT("t"), NULL, NULL, 0, &len), ENOBUFS);
}

static struct cl_sip_request_spec options_spec(const struct cl_sip_build_opts *o)
{
	return (struct cl_sip_request_spec){
		.method = CL_SLICE_LIT("OPTIONS"),
		.ruri = CL_SLICE_LIT("sip:carrier.example;transport=tls"),
		.transport = CL_SLICE_LIT("TLS"),
		.sent_by = CL_SLICE_LIT("edge.example:5061"),
		.via_params = CL_SLICE_LIT(";rport;alias"),
		.from = CL_SLICE_LIT("<sip:ping@edge.example>;tag=abc"),
		.to = CL_SLICE_LIT("<sip:carrier.example>"),
		.call_id = CL_SLICE_LIT("call-1@edge"),
		.cseq = 7,
		.contact = CL_SLICE_LIT("<sip:edge.example:5061;transport=tls>"),
		.opts = o,
	};
}

TEST(sip_build_request_fields_and_fresh_branch)
{
	struct cl_sip_build_opts o = { .headers = CL_SLICE_LIT("Route: <sip:sbc.example;lr>\r\n"),
				       .ctype = CL_SLICE_LIT("text/plain"),
				       .body = CL_SLICE_LIT("hello") };
	struct cl_sip_request_spec s = options_spec(&o);
	struct cl_sip_msg m, m2;
	char out[2048], out2[2048];
	size_t len, len2;

	CHECK_INT(cl_sip_build_request(&s, out, sizeof(out), &len), 0);
	CHECK_INT(parse(&m, out, len), 0);
	CHECK(m.is_request);
	CHECK_SL(m.method, "OPTIONS");
	CHECK_SL(m.ruri_text, "sip:carrier.example;transport=tls");
	CHECK_INT(m.nvia, 1);
	CHECK_SL(m.via.transport, "TLS");
	CHECK_SL(m.via.host, "edge.example");
	CHECK_INT(m.via.port, 5061);
	CHECK(m.via.rport && m.via.alias);
	CHECK_INT(m.via.branch.len, CL_SIP_BRANCH_LEN);
	CHECK(memcmp(m.via.branch.p, "z9hG4bK", 7) == 0);
	CHECK_INT(m.max_forwards, 70);
	CHECK_SL(m.from.tag, "abc");
	CHECK(!m.to.has_tag);
	CHECK_SL(m.call_id, "call-1@edge");
	CHECK_INT(m.cseq.num, 7);
	CHECK_SL(m.cseq.method, "OPTIONS");
	CHECK_SL(field(&m, CL_SIP_HDR_CONTACT), "<sip:edge.example:5061;transport=tls>");
	CHECK_SL(field(&m, CL_SIP_HDR_ROUTE), "<sip:sbc.example;lr>");
	CHECK(cl_slice_eq(m.body, CL_SLICE_LIT("hello")));
	CHECK_INT(m.len, len);
	/* a second build: another branch */
	CHECK_INT(cl_sip_build_request(&s, out2, sizeof(out2), &len2), 0);
	CHECK_INT(parse(&m2, out2, len2), 0);
	CHECK(!cl_slice_eq(m.via.branch, m2.via.branch));
	/* a given branch and Max-Forwards are used as given */
	s.branch = CL_SLICE_LIT("z9hG4bKfixed");
	s.max_forwards = 10;
	CHECK_INT(cl_sip_build_request(&s, out, sizeof(out), &len), 0);
	CHECK_INT(parse(&m, out, len), 0);
	CHECK_SL(m.via.branch, "z9hG4bKfixed");
	CHECK_INT(m.max_forwards, 10);
	CHECK_SHORT(cl_sip_build_request(&s, out_, cap, &l_), len);
}

TEST(sip_build_request_rejects_bad_args)
{
	struct cl_sip_request_spec s;
	char out[2048];
	size_t len;

	s = options_spec(NULL);
	s.method = CL_SLICE_LIT("ACK"); /* ACKs come from cl_sip_build_ack or the TU */
	CHECK_INT(cl_sip_build_request(&s, out, sizeof(out), &len), EINVAL);
	s = options_spec(NULL);
	s.method = CL_SLICE_LIT("OPT IONS");
	CHECK_INT(cl_sip_build_request(&s, out, sizeof(out), &len), EINVAL);
	s = options_spec(NULL);
	s.ruri = CL_SLICE_LIT("sip:a b");
	CHECK_INT(cl_sip_build_request(&s, out, sizeof(out), &len), EINVAL);
	s = options_spec(NULL);
	s.call_id = CL_SLICE_LIT("x\r\nVia: evil");
	CHECK_INT(cl_sip_build_request(&s, out, sizeof(out), &len), EINVAL);
	s = options_spec(NULL);
	s.from = (struct cl_slice){ NULL, 0 };
	CHECK_INT(cl_sip_build_request(&s, out, sizeof(out), &len), EINVAL);
	s = options_spec(NULL);
	s.cseq = 1u << 31;
	CHECK_INT(cl_sip_build_request(&s, out, sizeof(out), &len), EINVAL);
	s = options_spec(NULL);
	s.max_forwards = 256;
	CHECK_INT(cl_sip_build_request(&s, out, sizeof(out), &len), EINVAL);
}

static const char RESP_486[] =
	"SIP/2.0 486 Busy Here\r\n"
	"Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8;rport\r\n"
	"Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/TCP p2.example.com;branch=z9hG4bK2\r\n"
	"To: Bob <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Content-Length: 0\r\n\r\n";

TEST(sip_build_ack_for_non2xx)
{
	struct cl_sip_msg inv, resp, a;
	char out[2048];
	size_t len, c = 0;
	int i;

	CHECK_INT(parse(&inv, INVITE, sizeof(INVITE) - 1), 0);
	CHECK_INT(parse(&resp, RESP_486, sizeof(RESP_486) - 1), 0);
	CHECK_INT(cl_sip_build_ack(&inv, &resp, out, sizeof(out), &len), 0);
	CHECK_INT(parse(&a, out, len), 0);
	CHECK_SL(a.method, "ACK");
	CHECK_SL(a.ruri_text, "sip:bob@biloxi.example.com");
	CHECK_INT(a.nvia, 1); /* §17.1.1.3: only the top Via */
	CHECK_SL(a.via.branch, "z9hG4bKnashds8");
	CHECK_SL(a.via.host, "pc33.atlanta.example.com");
	CHECK_SL(a.to.tag, "8321234356");
	CHECK_SL(a.from.tag, "1928301774");
	CHECK_SL(a.call_id, "a84b4c76e66710@pc33.atlanta.example.com");
	CHECK_INT(a.cseq.num, 314159);
	CHECK_SL(a.cseq.method, "ACK");
	CHECK_INT(a.max_forwards, 70);
	CHECK_INT(a.content_length, 0);
	i = cl_sip_msg_hdr_next(&a, CL_SIP_HDR_ROUTE, &c);
	CHECK(i >= 0);
	CHECK_SL(a.hdr[i].value, "<sip:p1.example.com;lr>");
	i = cl_sip_msg_hdr_next(&a, CL_SIP_HDR_ROUTE, &c);
	CHECK(i >= 0);
	CHECK_SL(a.hdr[i].value, "<sip:p2.example.com;lr>");
	CHECK(!has(out, len, "Contact"));
	CHECK_SHORT(cl_sip_build_ack(&inv, &resp, out_, cap, &l_), len);
	/* an ACK needs an INVITE and a response */
	CHECK_INT(cl_sip_build_ack(&resp, &resp, out, sizeof(out), &len), EINVAL);
	CHECK_INT(cl_sip_build_ack(&inv, &inv, out, sizeof(out), &len), EINVAL);
}

TEST(sip_build_cancel)
{
	struct cl_sip_msg inv, c, ack;
	char out[2048];
	size_t len;
	struct cl_slice reason = CL_SLICE_LIT("Reason: SIP;cause=487;text=\"Request Terminated\"\r\n");

	CHECK_INT(parse(&inv, INVITE, sizeof(INVITE) - 1), 0);
	CHECK_INT(cl_sip_build_cancel(&inv, reason, out, sizeof(out), &len), 0);
	CHECK_INT(parse(&c, out, len), 0);
	CHECK_SL(c.method, "CANCEL");
	CHECK_SL(c.ruri_text, "sip:bob@biloxi.example.com");
	CHECK_INT(c.nvia, 1);
	CHECK_SL(c.via.branch, "z9hG4bKnashds8"); /* §9.1: the same branch */
	CHECK(!c.to.has_tag);
	CHECK_SL(c.from.tag, "1928301774");
	CHECK_INT(c.cseq.num, 314159);
	CHECK_SL(c.cseq.method, "CANCEL");
	CHECK_SL(field(&c, CL_SIP_HDR_ROUTE), "<sip:p1.example.com;lr>");
	CHECK_SL(field(&c, CL_SIP_HDR_REASON), "SIP;cause=487;text=\"Request Terminated\"");
	CHECK_SHORT(cl_sip_build_cancel(&inv, reason, out_, cap, &l_), len);
	CHECK_INT(cl_sip_build_cancel(&inv, CL_SLICE_LIT("Reason: x"), out, sizeof(out), &len),
		  EINVAL);
	/* no CANCEL for an ACK or a CANCEL */
	CHECK_INT(cl_sip_build_cancel(&c, (struct cl_slice){ NULL, 0 }, out, sizeof(out), &len),
		  EINVAL);
	{
		static const char a[] = "ACK sip:b@c SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKa\r\n"
					"Max-Forwards: 70\r\nTo: <sip:b@c>;tag=1\r\nFrom: <sip:d@e>;tag=2\r\n"
					"Call-ID: x\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";

		CHECK_INT(parse(&ack, a, sizeof(a) - 1), 0);
		CHECK_INT(cl_sip_build_cancel(&ack, (struct cl_slice){ NULL, 0 }, out, sizeof(out), &len),
			  EINVAL);
	}
}

TEST(sip_build_branch_tag_phrase)
{
	char b[CL_SIP_BRANCH_LEN + 1], tg[CL_SIP_TAG_LEN + 1];

	CHECK_INT(cl_sip_branch_new(b, sizeof(b)), 0);
	CHECK_INT(strlen(b), CL_SIP_BRANCH_LEN);
	CHECK(memcmp(b, "z9hG4bK", 7) == 0);
	CHECK_INT(cl_sip_branch_new(b, sizeof(b) - 1), ENOBUFS);
	CHECK_INT(cl_sip_tag_new(tg, sizeof(tg)), 0);
	CHECK_INT(strlen(tg), CL_SIP_TAG_LEN);
	CHECK_INT(cl_sip_tag_new(tg, sizeof(tg) - 1), ENOBUFS);
	CHECK(strcmp(cl_sip_reason_phrase(487), "Request Terminated") == 0);
	CHECK(strcmp(cl_sip_reason_phrase(503), "Service Unavailable") == 0);
	CHECK(strcmp(cl_sip_reason_phrase(299), "Unknown") == 0);
}
