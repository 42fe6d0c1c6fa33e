/* SIP parse benchmark (issue 4 §6): messages parsed per second for a typical INVITE with
 * SDP and for a REGISTER, through cl_sip_parse() (datagram) and through the stream framer
 * followed by the parse. Figures, not a test: median over rounds, machine printed first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "sip/sip.h"

#define CRLF "\r\n"
static const char invite[] =
	"INVITE sip:+4930123456@edge.example.net;user=phone SIP/2.0" CRLF
	"Via: SIP/2.0/TLS 198.51.100.7:5061;branch=z9hG4bK-524287-1---77ba7f8d3e2a;rport;alias" CRLF
	"Max-Forwards: 70" CRLF
	"Contact: <sip:alice@198.51.100.7:5061;transport=tls;ob>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\"" CRLF
	"To: <sip:+4930123456@edge.example.net;user=phone>" CRLF
	"From: \"Alice\" <sip:alice@example.com>;tag=9fxced76sl" CRLF
	"Call-ID: 3848276298220188511@198.51.100.7" CRLF
	"CSeq: 1 INVITE" CRLF
	"Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE" CRLF
	"Supported: replaces, outbound, gruu, timer" CRLF
	"User-Agent: ExamplePhone/5.2.1" CRLF
	"Session-Expires: 1800;refresher=uac" CRLF
	"Content-Type: application/sdp" CRLF
	"Content-Length: 407" CRLF CRLF
	"v=0" CRLF "o=- 3848276298 3848276298 IN IP4 198.51.100.7" CRLF "s=-" CRLF
	"c=IN IP4 198.51.100.7" CRLF "t=0 0" CRLF "m=audio 40000 RTP/SAVP 0 8 101" CRLF
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz" CRLF
	"a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj" CRLF
	"a=rtpmap:0 PCMU/8000" CRLF "a=rtpmap:8 PCMA/8000" CRLF
	"a=rtpmap:101 telephone-event/8000" CRLF "a=fmtp:101 0-16" CRLF "a=ptime:20" CRLF
	"a=sendrecv" CRLF;

static const char reg[] =
	"REGISTER sip:example.com SIP/2.0" CRLF
	"Via: SIP/2.0/TLS 198.51.100.7:5061;branch=z9hG4bK-524287-1---a1b2c3d4;rport" CRLF
	"Max-Forwards: 70" CRLF
	"Contact: <sip:alice@198.51.100.7:5061;transport=tls;ob>;reg-id=1;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\";expires=600" CRLF
	"To: <sip:alice@example.com>" CRLF
	"From: <sip:alice@example.com>;tag=a73kszlfl" CRLF
	"Call-ID: 1j9FpLxk3uxtm8tn@198.51.100.7" CRLF
	"CSeq: 2 REGISTER" CRLF
	"Supported: path, outbound, gruu" CRLF
	"Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", uri=\"sip:example.com\", response=\"dfe56131d1958046689d83306477ecc\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"0a4f113b\"" CRLF
	"User-Agent: ExamplePhone/5.2.1" CRLF
	"Content-Length: 0" CRLF CRLF;

#define ROUNDS 31
#define BATCH 20000

static struct cl_sip_msg msg;

/* One operation: parse (stream=0) or frame + parse (stream=1). Aborts on failure. */
static void op(const char *m, size_t n, int stream)
{
	static const struct cl_sip_parse_opts dg = { CL_SIP_DGRAM, 0 }, st = { CL_SIP_STREAM, 0 };
	struct cl_sip_error err;
	struct cl_sip_frame f;

	if (stream && (cl_sip_frame(m, n, 0, &f) != 0 || f.len != n))
		abort();
	if (cl_sip_parse(&msg, m, n, stream ? &st : &dg, &err) != 0 || err.status)
		abort();
}

static double median_ns(const char *m, size_t n, int stream)
{
	double per[ROUNDS];

	for (int i = 0; i < BATCH / 10; i++)
		op(m, n, stream); /* warm up */
	for (int k = 0; k < ROUNDS; k++) {
		double t0 = bench_now_ns();

		for (int i = 0; i < BATCH; i++)
			op(m, n, stream);
		per[k] = (bench_now_ns() - t0) / BATCH;
	}
	return bench_median(per, ROUNDS);
}

static void machine(void)
{
	bench_machine("cipherline SIP parse benchmark");
}

int main(void)
{
	static const struct { const char *label; const char *m; size_t n; } cases[] = {
		{ "INVITE with SDP", invite, sizeof(invite) - 1 },
		{ "REGISTER (outbound, digest)", reg, sizeof(reg) - 1 },
	};

	machine();
	printf("method:   cl_sip_parse() on one buffer (datagram), and framer + parse (stream);\n"
	       "          median of %d rounds x %d messages, one thread\n\n", ROUNDS, BATCH);
	printf("%-30s %6s %14s %10s %12s\n", "message", "bytes", "path", "ns/msg", "msgs/s");
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		for (int stream = 0; stream < 2; stream++) {
			double ns = median_ns(cases[k].m, cases[k].n, stream);

			printf("%-30s %6zu %14s %10.0f %12.0f\n", cases[k].label, cases[k].n,
			       stream ? "frame+parse" : "parse", ns, 1e9 / ns);
		}
	}
	return 0;
}
