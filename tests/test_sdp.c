/* sdp/: RFC 8866 parsing (order, lines, decoded fields), attribute iteration, and edit
 * plans that rebuild byte-identical text except for the lines the edge owns. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sdp/sdp.h"
#include "test.h"

/* The carrier example from the product brief, completed into a full offer. */
static const char carrier_offer[] =
	"v=0\r\n"
	"o=- 1001 1 IN IP4 192.0.2.10\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.10\r\n"
	"t=0 0\r\n"
	"m=audio 51895 RTP/AVP 0 101\r\n"
	"a=crypto:1 AEAD_AES_256_GCM_8 inline:URvowj9NlyRUU4Ro4NIUbg/39b1bEdLtxPelsfHpPGD9GtwWuKMMefhd76U=\r\n"
	"a=crypto:2 AEAD_AES_128_GCM_8 inline:uATLXs8T8rjZ0QVH15np2ExFaVZixIRvHHXOow==\r\n"
	"a=crypto:3 AES_256_CM_HMAC_SHA1_80 inline:JlgkqmY+uVPBLmJairIWLMTzsoP7sq6M+FLsTeZkAJUKobgTjouB0H+ZHV911Q==\r\n"
	"a=crypto:4 AES_192_CM_HMAC_SHA1_80 inline:aNNDkHj6o2xl2J6PkjReCqK4dvGFeV3AjZ9Lohiriq5RRu8gMq0=\r\n"
	"a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw\r\n"
	"a=crypto:6 AES_256_CM_HMAC_SHA1_32 inline:98t1wsF9qRKbb+vJO0zldPSX1RvXDI/SSrzNEUl0CHDGv84vqtz3+tJNA2JQdA==\r\n"
	"a=crypto:7 AES_192_CM_HMAC_SHA1_32 inline:K5rGraoWN0x2r3OHxKDMxDY4uk4TZC6z2Lu9NIU8YY/BesMyICA=\r\n"
	"a=crypto:8 AES_CM_128_HMAC_SHA1_32 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8\r\n"
	"a=crypto:9 AES_CM_128_NULL_AUTH inline:DzAaqmSiBsFG997HKmMhoFkxOo3c9TY7mO6fFHOn\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-16\r\n"
	"a=ptime:20\r\n"
	"a=sendrecv\r\n";

/* The brief's Asterisk answer (addresses filled in from RFC 5737 ranges). */
static const char asterisk_answer[] =
	"v=0\r\n"
	"o=root 301488255 301488255 IN IP4 198.51.100.7\r\n"
	"s=Asterisk PBX 13.34.0\r\n"
	"c=IN IP4 198.51.100.7\r\n"
	"t=0 0\r\n"
	"m=audio 29078 RTP/SAVP 0 101\r\n"
	"a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:7aNj4ZNv8I94feZgZP2sPmVcyNxTGIHjhkbR1rLz\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-16\r\n";

/* baresip-style: IPv6, b=, a session attribute, audio and video, rtcp-mux and rtcp. */
static const char baresip_av6[] =
	"v=0\r\n"
	"o=- 3813562712 3813562713 IN IP6 2001:db8::1\r\n"
	"s=-\r\n"
	"c=IN IP6 2001:db8::1\r\n"
	"b=AS:2000\r\n"
	"t=0 0\r\n"
	"a=tool:baresip 3.10.0\r\n"
	"a=sendonly\r\n"
	"m=audio 10000 RTP/AVP 96 0 8 101\r\n"
	"b=AS:64\r\n"
	"a=rtpmap:96 opus/48000/2\r\n"
	"a=fmtp:96 stereo=1;sprop-stereo=1\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=rtcp-mux\r\n"
	"a=rtcp:10000\r\n"
	"a=ptime:20\r\n"
	"m=video 10002/2 RTP/AVP 97\r\n"
	"c=IN IP4 192.0.2.77/127\r\n"
	"a=rtpmap:97 H264/90000\r\n"
	"a=rtcp:10003 IN IP6 2001:db8::1\r\n"
	"a=recvonly\r\n";

/* FreeSWITCH-style, LF only, no final line ending, trailing blank after s=. */
static const char freeswitch_lf[] =
	"v=0\n"
	"o=FreeSWITCH 1700000000 1700000001 IN IP4 203.0.113.5\n"
	"s=FreeSWITCH \n"
	"c=IN IP4 203.0.113.5\n"
	"t=0 0\n"
	"m=audio 16384 RTP/SAVP 0 8 101\n"
	"a=rtpmap:0 PCMU/8000\n"
	"a=rtpmap:8 PCMA/8000\n"
	"a=rtpmap:101 telephone-event/8000\n"
	"a=fmtp:101 0-16\n"
	"a=ptime:20\n"
	"a=rtcp:16385 IN IP4 203.0.113.5";

static struct cl_sdp sdp;
static struct cl_sdp_edit ed;
static char out[CL_SDP_MAX_SIZE + 1024];

static int parse(const char *s, struct cl_sdp_error *err)
{
	return cl_sdp_parse(&sdp, s, strlen(s), err);
}

static bool slice_is(struct cl_slice s, const char *want)
{
	return s.len == strlen(want) && memcmp(s.p, want, s.len) == 0;
}

/* Builds ed into out; fails the test unless it succeeds and equals want. */
static void check_build(struct cl_test *t, const char *want)
{
	size_t n = 0;

	CHECK_INT(cl_sdp_edit_build(&ed, out, sizeof(out), &n), 0);
	if (n != strlen(want) || memcmp(out, want, n) != 0) {
		cl_test_fail(t, __FILE__, __LINE__, "built:\n%.*s\nwant:\n%s", (int)n, out, want);
		return;
	}
	CHECK_INT(out[n], 0);
}

TEST(sdp_carrier_offer)
{
	struct cl_sdp_error err;
	struct cl_slice v;
	size_t cur = 0, n = 0;

	CHECK_INT(parse(carrier_offer, &err), 0);
	CHECK_INT(sdp.nlines, 20);
	CHECK_INT(sdp.session_end, 5);
	CHECK(slice_is(sdp.origin.username, "-"));
	CHECK(slice_is(sdp.origin.sess_id, "1001"));
	CHECK_INT(sdp.origin.sess_version, 1);
	CHECK_INT(sdp.origin.addr.family, AF_INET);
	CHECK(slice_is(sdp.name, "-"));
	CHECK(sdp.conn.present);
	CHECK(slice_is(sdp.conn.addr, "192.0.2.10"));
	CHECK_INT(sdp.conn.family, AF_INET);
	CHECK_INT(sdp.nmedia, 1);
	CHECK(slice_is(sdp.media[0].type, "audio"));
	CHECK_INT(sdp.media[0].port, 51895);
	CHECK_INT(sdp.media[0].nports, 1);
	CHECK(slice_is(sdp.media[0].proto, "RTP/AVP"));
	CHECK(slice_is(sdp.media[0].fmts, "0 101"));
	CHECK(!sdp.media[0].conn.present);
	CHECK(cl_sdp_media_conn(&sdp, 0) == &sdp.conn);
	CHECK_INT(sdp.media[0].ptime, 20);
	CHECK_INT(sdp.media[0].dir, CL_SDP_DIR_SENDRECV);
	CHECK_INT(sdp.media[0].first_line, 5);
	CHECK_INT(sdp.media[0].end_line, 20);
	CHECK(!sdp.media[0].has_rtcp && !sdp.media[0].rtcp_mux);
	while (cl_sdp_attr_next(&sdp, 0, "crypto", &cur, &v)) {
		char tag[4];

		snprintf(tag, sizeof(tag), "%zu ", n + 1);
		CHECK(v.len > 2 && memcmp(v.p, tag, 2) == 0);
		CHECK_INT(cl_sdp_attr_line(cur), 6 + n);
		CHECK_INT(sdp.lines[cl_sdp_attr_line(cur)].lineno, 7 + n);
		n++;
		CHECK(n <= 9);
	}
	CHECK_INT(n, 9);
	CHECK(slice_is(v, "9 AES_CM_128_NULL_AUTH inline:DzAaqmSiBsFG997HKmMhoFkxOo3c9TY7mO6fFHOn"));
}

TEST(sdp_attr_next_matching)
{
	struct cl_slice v;
	size_t cur = 0;

	CHECK_INT(parse(carrier_offer, NULL), 0);
	/* Property attribute: empty value. */
	CHECK(cl_sdp_attr_next(&sdp, 0, "sendrecv", &cur, &v));
	CHECK_INT(v.len, 0);
	CHECK_INT(cl_sdp_attr_line(cur), 19);
	CHECK(!cl_sdp_attr_next(&sdp, 0, "sendrecv", &cur, &v));
	/* Names match exactly: no prefix, no case folding. */
	cur = 0;
	CHECK(!cl_sdp_attr_next(&sdp, 0, "rtp", &cur, &v));
	cur = 0;
	CHECK(!cl_sdp_attr_next(&sdp, 0, "RTPMAP", &cur, &v));
	cur = 0;
	CHECK(cl_sdp_attr_next(&sdp, 0, "rtpmap", &cur, &v));
	CHECK(slice_is(v, "0 PCMU/8000"));
	CHECK(cl_sdp_attr_next(&sdp, 0, "rtpmap", &cur, &v));
	CHECK(slice_is(v, "101 telephone-event/8000"));
	CHECK(!cl_sdp_attr_next(&sdp, 0, "rtpmap", &cur, &v));
	/* The session section has no attributes; bad sections give false. */
	cur = 0;
	CHECK(!cl_sdp_attr_next(&sdp, CL_SDP_SESSION, "crypto", &cur, &v));
	cur = 0;
	CHECK(!cl_sdp_attr_next(&sdp, 1, "crypto", &cur, &v));
}

TEST(sdp_asterisk_answer)
{
	struct cl_sdp_error err;
	struct cl_slice v;
	size_t cur = 0;

	CHECK_INT(parse(asterisk_answer, &err), 0);
	CHECK(slice_is(sdp.name, "Asterisk PBX 13.34.0"));
	CHECK(slice_is(sdp.origin.username, "root"));
	CHECK_INT(sdp.origin.sess_version, 301488255);
	CHECK_INT(sdp.media[0].port, 29078);
	CHECK(slice_is(sdp.media[0].proto, "RTP/SAVP"));
	CHECK_INT(sdp.media[0].dir, CL_SDP_DIR_NONE);
	CHECK_INT(cl_sdp_media_dir(&sdp, 0), CL_SDP_DIR_SENDRECV);
	CHECK(cl_sdp_attr_next(&sdp, 0, "crypto", &cur, &v));
	CHECK(slice_is(v, "5 AES_CM_128_HMAC_SHA1_80 inline:7aNj4ZNv8I94feZgZP2sPmVcyNxTGIHjhkbR1rLz"));
	CHECK(!cl_sdp_attr_next(&sdp, 0, "crypto", &cur, &v));
}

TEST(sdp_ipv6_audio_video)
{
	struct cl_sdp_error err;
	const struct cl_sdp_media *a = &sdp.media[0], *vid = &sdp.media[1];
	struct cl_slice v;
	size_t cur = 0;

	CHECK_INT(parse(baresip_av6, &err), 0);
	CHECK_INT(sdp.origin.addr.family, AF_INET6);
	CHECK(slice_is(sdp.conn.addrtype, "IP6"));
	CHECK_INT(sdp.conn.family, AF_INET6);
	CHECK(slice_is(sdp.conn.addr, "2001:db8::1"));
	CHECK_INT(sdp.dir, CL_SDP_DIR_SENDONLY);
	CHECK(cl_sdp_attr_next(&sdp, CL_SDP_SESSION, "tool", &cur, &v));
	CHECK(slice_is(v, "baresip 3.10.0"));
	CHECK_INT(sdp.nmedia, 2);
	CHECK(a->rtcp_mux && a->has_rtcp);
	CHECK_INT(a->rtcp_port, 10000);
	CHECK(!a->rtcp_addr.present);
	CHECK_INT(a->ptime, 20);
	CHECK(slice_is(a->fmts, "96 0 8 101"));
	CHECK_INT(cl_sdp_media_dir(&sdp, 0), CL_SDP_DIR_SENDONLY); /* from the session */
	CHECK(cl_sdp_media_conn(&sdp, 0) == &sdp.conn);
	CHECK(slice_is(vid->type, "video"));
	CHECK_INT(vid->port, 10002);
	CHECK_INT(vid->nports, 2);
	CHECK(!vid->rtcp_mux && vid->has_rtcp);
	CHECK_INT(vid->rtcp_port, 10003);
	CHECK_INT(vid->rtcp_addr.family, AF_INET6);
	CHECK(slice_is(vid->rtcp_addr.addr, "2001:db8::1"));
	CHECK_INT(vid->dir, CL_SDP_DIR_RECVONLY);
	CHECK_INT(cl_sdp_media_dir(&sdp, 1), CL_SDP_DIR_RECVONLY);
	/* Multicast c= keeps the address without its TTL. */
	CHECK(cl_sdp_media_conn(&sdp, 1) == &vid->conn);
	CHECK(slice_is(vid->conn.addr, "192.0.2.77"));
	CHECK_INT(vid->conn.family, AF_INET);
	CHECK_INT(vid->first_line, 16);
	CHECK_INT(vid->end_line, sdp.nlines);
	CHECK_INT(a->end_line, 16);
	CHECK(strcmp(cl_sdp_dir_name(CL_SDP_DIR_INACTIVE), "inactive") == 0);
	CHECK(strcmp(cl_sdp_dir_name(CL_SDP_DIR_NONE), "sendrecv") == 0);
}

TEST(sdp_lf_only_no_final_newline)
{
	struct cl_sdp_error err;
	size_t n = 0;
	char want[sizeof(freeswitch_lf) * 2];
	size_t w = 0;

	CHECK_INT(parse(freeswitch_lf, &err), 0);
	CHECK_INT(sdp.nlines, 12);
	CHECK(slice_is(sdp.name, "FreeSWITCH "));
	CHECK_INT(sdp.origin.sess_version, 1700000001);
	CHECK_INT(sdp.media[0].rtcp_port, 16385);
	CHECK_INT(sdp.media[0].rtcp_addr.family, AF_INET);
	CHECK(slice_is(sdp.lines[11].text, "a=rtcp:16385 IN IP4 203.0.113.5"));
	/* Rebuilding writes CRLF everywhere, the last line included. */
	for (const char *p = freeswitch_lf; *p; p++) {
		if (*p == '\n')
			want[w++] = '\r';
		want[w++] = *p;
	}
	memcpy(want + w, "\r\n", 3);
	cl_sdp_edit_init(&ed, &sdp);
	CHECK_INT(cl_sdp_edit_build(&ed, out, sizeof(out), &n), 0);
	CHECK_INT(n, strlen(want));
	CHECK_MEM(out, want, n);
}

TEST(sdp_liberal_forms)
{
	struct cl_sdp_error err;

	/* Empty and blank s=, hostname c= (family 0), trailing empty line, double blanks,
	 * ptime as a real number, o= with a hostname, a=rtcp-mux with trailing blank. */
	CHECK_INT(parse("v=0\r\no=- 1 2 IN IP4 pbx.example.com\r\ns=\r\n"
			"c=IN IP4 media.example.com\r\nt=0 0\r\n"
			"m=audio  4000  RTP/AVP  0 8 \r\na=ptime:22.5\r\na=rtcp-mux \r\n\r\n", &err), 0);
	CHECK_INT(sdp.name.len, 0);
	CHECK(slice_is(sdp.conn.addr, "media.example.com"));
	CHECK_INT(sdp.conn.family, 0);
	CHECK_INT(sdp.origin.addr.family, 0);
	CHECK_INT(sdp.media[0].port, 4000);
	CHECK(slice_is(sdp.media[0].fmts, "0 8"));
	CHECK_INT(sdp.media[0].ptime, 22);
	CHECK(sdp.media[0].rtcp_mux);
	CHECK_INT(sdp.nlines, 8);
	CHECK_INT(parse("v=0\no=- 1 2 IN IP4 192.0.2.1\ns= \nt=0 0\n", &err), 0);
	CHECK(slice_is(sdp.name, " "));
	CHECK_INT(sdp.nmedia, 0);
	CHECK_INT(sdp.session_end, 4);
	/* i u e p c b in any order before t=, k= and r= where RFC 8866 puts them; a media
	 * section without c= whose session has none (the answer layer decides). */
	CHECK_INT(parse("v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=x\r\nb=CT:128\r\ni=info\r\n"
			"u=http://example.com/\r\ne=a@example.com\r\np=+1 555\r\nt=0 0\r\n"
			"r=604800 3600 0 90000\r\nt=0 0\r\nk=prompt\r\na=x-foo\r\n"
			"m=audio 0 RTP/AVP 0\r\ni=voice\r\nb=AS:64\r\nk=clear:x\r\na=inactive\r\n", &err), 0);
	CHECK(cl_sdp_media_conn(&sdp, 0) == NULL);
	CHECK_INT(cl_sdp_media_dir(&sdp, 0), CL_SDP_DIR_INACTIVE);
	/* A repeated identical direction is fine; port 65535 and a port count are fine. */
	CHECK_INT(parse("v=0\r\no=- 1 18446744073709551615 IN IP4 192.0.2.1\r\ns=x\r\nt=0 0\r\n"
			"m=audio 65535/3 RTP/AVP 0\r\na=sendonly\r\na=sendonly\r\n", &err), 0);
	CHECK_INT(sdp.origin.sess_version, UINT64_MAX);
	CHECK_INT(sdp.media[0].port, 65535);
	CHECK_INT(sdp.media[0].nports, 3);
}

TEST(sdp_roundtrip_identical)
{
	static const char *const texts[] = { carrier_offer, asterisk_answer, baresip_av6 };
	size_t n = 0;

	for (size_t i = 0; i < CL_ARRAY_SIZE(texts); i++) {
		CHECK_INT(parse(texts[i], NULL), 0);
		cl_sdp_edit_init(&ed, &sdp);
		CHECK_INT(cl_sdp_edit_build(&ed, out, sizeof(out), &n), 0);
		CHECK_INT(n, strlen(texts[i]));
		CHECK_MEM(out, texts[i], n);
	}
}

TEST(sdp_build_capacity)
{
	size_t need = strlen(asterisk_answer), n = 0;
	char buf[1024];

	CHECK_INT(parse(asterisk_answer, NULL), 0);
	cl_sdp_edit_init(&ed, &sdp);
	/* Every cap below the size is ENOBUFS and writes nothing at or past cap. */
	for (size_t cap = 0; cap < need; cap++) {
		memset(buf, 'X', sizeof(buf));
		CHECK_INT(cl_sdp_edit_build(&ed, buf, cap, &n), ENOBUFS);
		CHECK_INT(n, need);
		for (size_t i = cap; i < sizeof(buf); i++)
			CHECK_INT(buf[i], 'X');
	}
	memset(buf, 'X', sizeof(buf));
	CHECK_INT(cl_sdp_edit_build(&ed, buf, need, &n), 0); /* exact: no NUL */
	CHECK_INT(n, need);
	CHECK_INT(buf[need], 'X');
	CHECK_INT(cl_sdp_edit_build(&ed, buf, need + 1, &n), 0);
	CHECK_INT(buf[need], 0);
	CHECK_INT(cl_sdp_edit_build(&ed, NULL, 0, &n), ENOBUFS);
	CHECK_INT(n, need);
}

static const char edit_in[] =
	"v=0\r\n"
	"o=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\n"
	"s= \r\n"
	"c=IN IP4 192.0.2.10\r\n"
	"t=0 0\r\n"
	"a=x-unknown:keep me\r\n"
	"m=audio 49170 RTP/AVP 0 8\r\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8\r\n"
	"a=cryptox:3 not-a-crypto\r\n"
	"a=sendrecv\r\n"
	"m=video 51372/2 RTP/AVP 31\r\n"
	"i=camera\r\n"
	"a=rtpmap:31 H261/90000\r\n";

TEST(sdp_edit_all)
{
	CHECK_INT(parse(edit_in, NULL), 0);
	cl_sdp_edit_init(&ed, &sdp);
	cl_sdp_edit_port(&ed, 0, 30000);
	cl_sdp_edit_proto(&ed, 0, "RTP/SAVP");
	cl_sdp_edit_proto(&ed, 1, "RTP/SAVPF");
	cl_sdp_edit_port(&ed, 1, 0);
	cl_sdp_edit_conn(&ed, CL_SDP_SESSION, "IP4", "203.0.113.1");
	cl_sdp_edit_conn(&ed, 1, "IP6", "2001:db8::9");
	cl_sdp_edit_conn(&ed, 1, "IP6", "2001:db8::5"); /* a second call replaces the first */
	cl_sdp_edit_origin_version(&ed, 2890844527ULL);
	cl_sdp_edit_drop_attr(&ed, 0, "crypto");
	cl_sdp_edit_append(&ed, 0, "a=crypto:%d %s inline:%s", 1, "AES_CM_128_HMAC_SHA1_80",
			   "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0");
	cl_sdp_edit_append(&ed, CL_SDP_SESSION, "a=ice-lite");
	cl_sdp_edit_append(&ed, 0, "a=rtcp-mux");
	CHECK_INT(ed.err, 0);
	check_build(t,
		    "v=0\r\n"
		    "o=alice 2890844526 2890844527 IN IP4 192.0.2.10\r\n"
		    "s= \r\n"
		    "c=IN IP4 203.0.113.1\r\n"
		    "t=0 0\r\n"
		    "a=x-unknown:keep me\r\n"
		    "a=ice-lite\r\n"
		    "m=audio 30000 RTP/SAVP 0 8\r\n"
		    "a=rtpmap:0 PCMU/8000\r\n"
		    "a=cryptox:3 not-a-crypto\r\n"
		    "a=sendrecv\r\n"
		    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0\r\n"
		    "a=rtcp-mux\r\n"
		    "m=video 0/2 RTP/SAVPF 31\r\n"
		    "i=camera\r\n"
		    "c=IN IP6 2001:db8::5\r\n"
		    "a=rtpmap:31 H261/90000\r\n");
}

TEST(sdp_edit_conn_insert_session_and_replace_drop)
{
	/* No session c=: a new one goes before the first b=/t=; the media c= is replaced.
	 * Explicit replace/drop of lines; a replaced m= line wins over the overrides. */
	CHECK_INT(parse("v=0\r\no=- 7 7 IN IP4 192.0.2.1\r\ns=-\r\ni=call\r\nb=AS:80\r\nt=0 0\r\n"
			"m=audio 5004 RTP/AVP 0\r\nc=IN IP4 192.0.2.1\r\na=ptime:20\r\n"
			"m=audio 5006 RTP/AVP 8\r\n", NULL), 0);
	cl_sdp_edit_init(&ed, &sdp);
	cl_sdp_edit_conn(&ed, CL_SDP_SESSION, "IP6", "2001:db8::1");
	cl_sdp_edit_conn(&ed, 0, "IP4", "198.51.100.1");
	cl_sdp_edit_conn(&ed, 1, "IP4", "198.51.100.2");
	cl_sdp_edit_drop(&ed, 8);
	cl_sdp_edit_replace(&ed, 9, "m=audio %u RTP/AVP 8 101", 7000u);
	cl_sdp_edit_port(&ed, 1, 1234); /* ignored: the line is replaced */
	check_build(t,
		    "v=0\r\no=- 7 7 IN IP4 192.0.2.1\r\ns=-\r\ni=call\r\n"
		    "c=IN IP6 2001:db8::1\r\n"
		    "b=AS:80\r\nt=0 0\r\n"
		    "m=audio 5004 RTP/AVP 0\r\nc=IN IP4 198.51.100.1\r\n"
		    "m=audio 7000 RTP/AVP 8 101\r\nc=IN IP4 198.51.100.2\r\n");
	/* The rebuilt text parses, with the new addresses decoded. */
	memcpy(out + sizeof(out) / 2, out, strlen(out) + 1);
	CHECK_INT(parse(out + sizeof(out) / 2, NULL), 0);
	CHECK_INT(sdp.conn.family, AF_INET6);
	CHECK_INT(sdp.media[1].conn.family, AF_INET);
	CHECK_INT(sdp.media[1].port, 7000);
}

TEST(sdp_edit_errors_sticky)
{
	size_t n = 5;

	CHECK_INT(parse(asterisk_answer, NULL), 0);
	/* A line break in a replacement would inject SDP lines: refused. */
	cl_sdp_edit_init(&ed, &sdp);
	cl_sdp_edit_replace(&ed, 3, "c=IN IP4 %s", "192.0.2.1\r\na=evil");
	CHECK_INT(ed.err, EINVAL);
	cl_sdp_edit_port(&ed, 0, 1); /* ignored after an error */
	CHECK_INT(cl_sdp_edit_build(&ed, out, sizeof(out), &n), EINVAL);
	CHECK_INT(n, 0);
	/* Bad indices. */
	cl_sdp_edit_init(&ed, &sdp);
	cl_sdp_edit_drop(&ed, sdp.nlines);
	CHECK_INT(ed.err, EINVAL);
	cl_sdp_edit_init(&ed, &sdp);
	cl_sdp_edit_port(&ed, 1, 5);
	CHECK_INT(ed.err, EINVAL);
	cl_sdp_edit_init(&ed, &sdp);
	cl_sdp_edit_append(&ed, 3, "a=x");
	CHECK_INT(ed.err, EINVAL);
	cl_sdp_edit_init(&ed, &sdp);
	cl_sdp_edit_proto(&ed, 0, "RTP/SAVP extra");
	CHECK_INT(ed.err, EINVAL);
	cl_sdp_edit_init(&ed, &sdp);
	cl_sdp_edit_conn(&ed, 0, "IP4", "");
	CHECK_INT(ed.err, EINVAL);
	/* Out of adds, out of arena. */
	cl_sdp_edit_init(&ed, &sdp);
	for (int i = 0; i <= CL_SDP_EDIT_MAX_ADDS; i++)
		cl_sdp_edit_append(&ed, 0, "a=x-%d", i);
	CHECK_INT(ed.err, ENOSPC);
	cl_sdp_edit_init(&ed, &sdp);
	for (int i = 0; i < 40 && !ed.err; i++)
		cl_sdp_edit_replace(&ed, 6, "a=x-%0500d", i);
	CHECK_INT(ed.err, ENOSPC);
	CHECK_INT(cl_sdp_edit_build(&ed, out, sizeof(out), &n), ENOSPC);
}

/* ---- negative cases ---- */

static void expect_err(struct cl_test *t, const char *text, size_t len, unsigned line,
		       const char *sub)
{
	struct cl_sdp_error err;
	char *copy = malloc(len ? len : 1); /* exact size: ASan catches an over-read */

	CHECK(copy != NULL);
	memcpy(copy, text, len);
	int rc = cl_sdp_parse(&sdp, copy, len, &err);
	free(copy);
	if (rc != EBADMSG || err.line != line || !strstr(err.msg, sub))
		cl_test_fail(t, __FILE__, __LINE__, "rc %d line %u \"%s\", want line %u \"%s\"",
			     rc, err.line, err.msg, line, sub);
}

#define HEAD "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"

static const struct {
	const char *text;
	unsigned line;
	const char *msg;
} bad[] = {
	{ "v=1\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", 1, "v=: version must be 0" },
	{ "o=- 1 1 IN IP4 192.0.2.1\r\n", 1, "expected v= first" },
	{ "v=0\r\ns=-\r\nt=0 0\r\n", 2, "expected o= after v=" },
	{ "v=0\r\n", 0, "missing o=" },
	{ "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nt=0 0\r\n", 3, "expected s= after o=" },
	{ HEAD "c=IN IP4 192.0.2.1\r\n", 0, "missing t=" },
	{ "", 0, "empty SDP" },
	{ HEAD "t=0 0\r\nm=audio 70000 RTP/AVP 0\r\n", 5, "m=: port 70000 out of range" },
	{ HEAD "t=0 0\r\nm=audio 7x RTP/AVP 0\r\n", 5, "m=: port is not a number" },
	{ HEAD "t=0 0\r\nm=audio 4000/0 RTP/AVP 0\r\n", 5, "m=: port count 0 out of range" },
	{ HEAD "t=0 0\r\nm=audio 4000 RTP/AVP\r\n", 5, "m=: no formats" },
	{ HEAD "t=0 0\r\nm=audio 4000 RTP/AVP   \r\n", 5, "m=: no formats" },
	{ HEAD "t=0 0\r\nm=audio 4000\r\n", 5, "m=: expected" },
	{ HEAD "c=IN IP4 192.0.2.300\r\nt=0 0\r\n", 4, "c=: bad IPv4 address 192.0.2.300" },
	{ HEAD "c=IN IP4 2001:db8::1\r\nt=0 0\r\n", 4, "c=: IPv6 address under IP4" },
	{ HEAD "c=IN IP6 192.0.2.1\r\nt=0 0\r\n", 4, "c=: IPv4 address under IP6" },
	{ HEAD "c=IN IP6 2001:db8:::1\r\nt=0 0\r\n", 4, "c=: bad IPv6 address" },
	{ HEAD "c=IN IP4\r\nt=0 0\r\n", 4, "c=: expected <nettype> <addrtype> <address>" },
	{ HEAD "c=IN IP4 192.0.2.1 x\r\nt=0 0\r\n", 4, "c=: unexpected text" },
	{ HEAD "c=IN IP4 192.0.2.1\r\nc=IN IP4 192.0.2.2\r\nt=0 0\r\n", 5, "c=: duplicate" },
	{ HEAD "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=ptime:abc\r\n", 6, "a=ptime: not a number" },
	{ HEAD "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=ptime:9999999\r\n", 6, "a=ptime: 9999999 out of range" },
	{ HEAD "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtcp:x\r\n", 6, "a=rtcp: port is not a number" },
	{ HEAD "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtcp:65536\r\n", 6, "a=rtcp: port 65536 out of range" },
	{ HEAD "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtcp:4001 IN IP4 1.2.3.999\r\n", 6, "a=rtcp: bad IPv4" },
	{ HEAD "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtcp:4001\r\na=rtcp:4003\r\n", 7, "a=rtcp: duplicate" },
	{ HEAD "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\na=recvonly\r\n", 7, "a=recvonly: conflicts with a=sendonly" },
	{ HEAD "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=\r\n", 6, "a=: empty attribute name" },
	{ HEAD "b=AS\r\nt=0 0\r\n", 4, "b=: expected <bwtype>:<bandwidth>" },
	{ HEAD "b=AS:fast\r\nt=0 0\r\n", 4, "b=: bandwidth is not a number" },
	{ HEAD "b=:64\r\nt=0 0\r\n", 4, "b=: bad bwtype" },
	{ HEAD "t=now\r\n", 4, "t=: expected" },
	{ HEAD "t=0 0\r\nc=IN IP4 192.0.2.1\r\n", 5, "c= out of order: after t=" },
	{ HEAD "a=sendrecv\r\nt=0 0\r\n", 5, "t= out of order: after a=" },
	{ HEAD "r=1 2 3\r\nt=0 0\r\n", 4, "r= before t=" },
	{ HEAD "m=audio 4000 RTP/AVP 0\r\n", 4, "m=: no t= before the first m=" },
	{ HEAD "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=ptime:20\r\nc=IN IP4 192.0.2.1\r\n", 7, "c= out of order: after a=" },
	{ HEAD "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\nt=0 0\r\n", 6, "t= in a media section" },
	{ HEAD "t=0 0\r\nx=1\r\n", 5, "unknown line type x=" },
	{ HEAD "t=0 0\r\nv=0\r\n", 5, "v=: duplicate" },
	{ HEAD "t=0 0\r\nhello\r\n", 5, "not a \"<type>=<value>\" line" },
	{ HEAD "t=0 0\r\nA=b\r\n", 5, "not a" },
	{ HEAD "t=0 0\r\na =b\r\n", 5, "not a" },
	{ HEAD "t=0 0\r\na\r\n", 5, "not a" },
	{ HEAD "\r\nt=0 0\r\n", 4, "empty line" },
	{ HEAD "t=0 0\r\n\r\n \r\n", 5, "empty line" },
	{ "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=a\rb\r\nt=0 0\r\n", 3, "bare CR" },
	{ HEAD "t=0 0\r", 4, "bare CR" },
	{ "v=0\r\no=- 1 x IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", 2, "o=: sess-version is not a number" },
	{ "v=0\r\no=- 1 99999999999999999999 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", 2, "o=: sess-version out of range" },
	{ "v=0\r\no=- 1 1 IN IP4\r\ns=-\r\nt=0 0\r\n", 2, "o=: expected 6 fields" },
	{ "v=0\r\no=- 1 1 IN IP4 a b\r\ns=-\r\nt=0 0\r\n", 2, "o=: more than 6 fields" },
};

TEST(sdp_negative_table)
{
	for (size_t i = 0; i < CL_ARRAY_SIZE(bad); i++) {
		bool was = t->failed;

		expect_err(t, bad[i].text, strlen(bad[i].text), bad[i].line, bad[i].msg);
		if (t->failed && !was)
			cl_test_fail(t, __FILE__, __LINE__, "case %zu: %s", i, bad[i].text);
	}
}

TEST(sdp_negative_nul_byte)
{
	static const char text[] = HEAD "t=0 0\r\na=x\0y\r\n";

	expect_err(t, text, sizeof(text) - 1, 5, "NUL byte");
}

TEST(sdp_negative_too_many_media)
{
	static char text[4096];
	size_t n = (size_t)snprintf(text, sizeof(text), HEAD "t=0 0\r\n");

	for (int i = 0; i <= CL_SDP_MAX_MEDIA; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "m=audio %d RTP/AVP 0\r\n",
				      4000 + 2 * i);
	CHECK(n < sizeof(text));
	expect_err(t, text, n, 5 + CL_SDP_MAX_MEDIA, "too many m= sections (max 16)");
	/* Exactly the maximum parses. */
	n -= strlen("m=audio 4032 RTP/AVP 0\r\n");
	text[n] = '\0';
	CHECK_INT(parse(text, NULL), 0);
	CHECK_INT(sdp.nmedia, CL_SDP_MAX_MEDIA);
}

TEST(sdp_negative_too_many_lines_and_size)
{
	static char text[CL_SDP_MAX_SIZE + 16];
	size_t n = (size_t)snprintf(text, sizeof(text), HEAD "t=0 0\r\n");

	for (int i = 4; i < CL_SDP_MAX_LINES; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "a=x-%d\r\n", i);
	CHECK_INT(parse(text, NULL), 0);
	CHECK_INT(sdp.nlines, CL_SDP_MAX_LINES);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "a=one-too-many\r\n");
	expect_err(t, text, n, CL_SDP_MAX_LINES + 1, "too many lines (max 512)");
	memset(text, 'a', sizeof(text));
	expect_err(t, text, CL_SDP_MAX_SIZE + 1, 0, "larger than 65536");
}

/* Every prefix of a valid SDP, in an exact-size heap copy: never a crash or an
 * over-read, always 0 or EBADMSG, and any success rebuilds. */
static void truncations(struct cl_test *t, const char *text)
{
	size_t len = strlen(text), ok = 0, n = 0;

	for (size_t cut = 0; cut <= len; cut++) {
		struct cl_sdp_error err;
		char *copy = malloc(cut ? cut : 1);
		int rc;

		CHECK(copy != NULL);
		memcpy(copy, text, cut);
		rc = cl_sdp_parse(&sdp, copy, cut, &err);
		if (rc == 0) {
			ok++;
			cl_sdp_edit_init(&ed, &sdp);
			rc = cl_sdp_edit_build(&ed, out, sizeof(out), &n);
		} else if (rc != EBADMSG || err.line > 40 || !err.msg[0]) {
			rc = -1;
		}
		free(copy);
		CHECK_INT(rc == 0 || rc == EBADMSG, 1);
	}
	CHECK(ok > 0);
}

TEST(sdp_truncated_every_length)
{
	truncations(t, carrier_offer);
	truncations(t, baresip_av6);
	truncations(t, freeswitch_lf);
}
