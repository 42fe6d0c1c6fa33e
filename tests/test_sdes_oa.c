/* SDES offer/answer over whole SDPs, with fixtures built from the carrier example in the
 * product brief (../shared/brief/carrier-tls-srtp-zrtp.txt) and real-world variants. */
#include <stdio.h>
#include <stdlib.h>

#include "sdes/sdes.h"
#include "test.h"

#define CRLF "\r\n"
#define HEAD                                                                   \
	"v=0" CRLF "o=- 301488255 301488255 IN IP4 192.0.2.10" CRLF "s=-" CRLF \
	"c=IN IP4 192.0.2.10" CRLF "t=0 0" CRLF
#define CARRIER_CRYPTO                                                                          \
	"a=crypto:1 AEAD_AES_256_GCM_8 inline:URvowj9NlyRUU4Ro4NIUbg/39b1bEdLtxPelsfHpPGD9GtwWuKMMefhd76U=" CRLF \
	"a=crypto:2 AEAD_AES_128_GCM_8 inline:uATLXs8T8rjZ0QVH15np2ExFaVZixIRvHHXOow==" CRLF            \
	"a=crypto:3 AES_256_CM_HMAC_SHA1_80 inline:JlgkqmY+uVPBLmJairIWLMTzsoP7sq6M+FLsTeZkAJUKobgTjouB0H+ZHV911Q==" CRLF \
	"a=crypto:4 AES_192_CM_HMAC_SHA1_80 inline:aNNDkHj6o2xl2J6PkjReCqK4dvGFeV3AjZ9Lohiriq5RRu8gMq0=" CRLF \
	"a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw" CRLF       \
	"a=crypto:6 AES_256_CM_HMAC_SHA1_32 inline:98t1wsF9qRKbb+vJO0zldPSX1RvXDI/SSrzNEUl0CHDGv84vqtz3+tJNA2JQdA==" CRLF \
	"a=crypto:7 AES_192_CM_HMAC_SHA1_32 inline:K5rGraoWN0x2r3OHxKDMxDY4uk4TZC6z2Lu9NIU8YY/BesMyICA=" CRLF \
	"a=crypto:8 AES_CM_128_HMAC_SHA1_32 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8" CRLF       \
	"a=crypto:9 AES_CM_128_NULL_AUTH inline:DzAaqmSiBsFG997HKmMhoFkxOo3c9TY7mO6fFHOn" CRLF
#define AUDIO_ATTRS                                                                         \
	"a=rtpmap:0 PCMU/8000" CRLF "a=rtpmap:101 telephone-event/8000" CRLF "a=fmtp:101 0-16" CRLF \
	"a=ptime:20" CRLF "a=sendrecv" CRLF

/* The carrier's INVITE: RTP/AVP with nine a=crypto lines. */
static const char carrier_offer[] = HEAD "m=audio 51895 RTP/AVP 0 101" CRLF CARRIER_CRYPTO
	AUDIO_ATTRS;
/* The carrier's 200 OK: suite 5 chosen. */
static const char carrier_answer[] =
	"v=0" CRLF "o=root 301488255 301488255 IN IP4 198.51.100.7" CRLF "s=Asterisk PBX 13.34.0" CRLF
	"c=IN IP4 198.51.100.7" CRLF "t=0 0" CRLF "m=audio 29078 RTP/SAVP 0 101" CRLF
	"a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:7aNj4ZNv8I94feZgZP2sPmVcyNxTGIHjhkbR1rLz" CRLF
	"a=rtpmap:0 PCMU/8000" CRLF "a=rtpmap:101 telephone-event/8000" CRLF "a=fmtp:101 0-16" CRLF;

/* The carrier's own suite order, so that its tag numbers are ours when we offer. */
static const enum cl_srtp_suite_id carrier_order[] = {
	CL_SRTP_AEAD_AES_256_GCM_8,      CL_SRTP_AEAD_AES_128_GCM_8,
	CL_SRTP_AES_256_CM_HMAC_SHA1_80, CL_SRTP_AES_192_CM_HMAC_SHA1_80,
	CL_SRTP_AES_CM_128_HMAC_SHA1_80, CL_SRTP_AES_256_CM_HMAC_SHA1_32,
	CL_SRTP_AES_192_CM_HMAC_SHA1_32, CL_SRTP_AES_CM_128_HMAC_SHA1_32,
	CL_SRTP_AES_CM_128_NULL_AUTH,
};

/* A test rig: heap-allocated because SDP structs and legs are large. */
struct rig {
	struct cl_sdp sdp;
	struct cl_sdp_edit edit;
	struct cl_sdes_leg leg;
	struct cl_sdes_settings set;
	struct cl_sdes_decision v;
	char out[8192];
	size_t outlen;
};

static struct rig *rig_new(enum cl_sdes_mode mode)
{
	struct rig *r = calloc(1, sizeof(*r));

	cl_sdes_settings_default(&r->set);
	r->set.mode = mode;
	return r;
}

static void rig_free(struct rig *r)
{
	cl_sdes_leg_wipe(&r->leg);
	free(r);
}

static void set_suites(struct rig *r, const enum cl_srtp_suite_id *ids, size_t n)
{
	memcpy(r->set.suites, ids, n * sizeof(*ids));
	r->set.nsuites = n;
}

/* Answers text; returns 0 when the answer was built (v says accept/488). */
static int answer(struct rig *r, const char *text, bool tls)
{
	struct cl_sdp_error perr;
	int err = cl_sdp_parse(&r->sdp, text, strlen(text), &perr);

	if (err)
		return err;
	cl_sdp_edit_init(&r->edit, &r->sdp);
	err = cl_sdes_answer(&r->set, tls, &r->sdp, &r->leg, &r->edit, &r->v);
	if (!err && r->v.outcome != CL_SDES_REJECT_SESSION)
		err = cl_sdp_edit_build(&r->edit, r->out, sizeof(r->out), &r->outlen);
	return err;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Returns the decoded length of the first inline: key in text, or 0. */
static size_t first_key(const char *text, uint8_t *key, size_t cap)
{
	const char *p = strstr(text, "inline:");
	size_t n = 0, len = 0;

	if (!p)
		return 0;
	p += 7;
	while (p[n] && p[n] != '\r' && p[n] != '|' && p[n] != ' ')
		n++;
	if (cl_base64_decode((struct cl_slice){ p, n }, key, cap, &len))
		return 0;
	return len;
}

/* Our order, CM-128 first: the carrier's own answer (tag 5) comes out. */
TEST(sdes_oa_carrier_order_ours_picks_tag5)
{
	static const enum cl_srtp_suite_id ours[] = { CL_SRTP_AES_CM_128_HMAC_SHA1_80,
						      CL_SRTP_AEAD_AES_256_GCM_8 };
	struct rig *r = rig_new(CL_SDES_REQUIRED);
	uint8_t key[64], offered[64];

	set_suites(r, ours, CL_ARRAY_SIZE(ours));
	r->set.order = CL_SDES_ORDER_OURS;
	CHECK_INT(answer(r, carrier_offer, true), 0);
	CHECK_INT(r->v.outcome, CL_SDES_ACCEPT);
	CHECK(strstr(r->out, "m=audio 51895 RTP/SAVP 0 101\r\n") != NULL);
	CHECK_INT(count(r->out, "a=crypto:"), 1);
	CHECK(strstr(r->out, "a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:") != NULL);
	/* A fresh 30-byte key, padded base64, not the offerer's. */
	CHECK_INT(first_key(r->out, key, sizeof(key)), 30);
	CHECK_INT(first_key(strstr(carrier_offer, "a=crypto:5"), offered, sizeof(offered)), 30);
	CHECK(memcmp(key, offered, 30) != 0);
	/* Everything the edge does not own is untouched, in order. */
	CHECK(strstr(r->out, "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
			     "a=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\na=crypto:5") != NULL);
	CHECK(r->leg.st[0]->srtp && r->leg.st[0]->new_tx_key && r->leg.st[0]->new_rx_key);
	CHECK_INT(r->leg.st[0]->remote.tag, 5);
	rig_free(r);
}

/* The offerer's order picks tag 1 (GCM_8) when GCM_8 is allowed... */
TEST(sdes_oa_carrier_order_offerer_picks_tag1)
{
	struct rig *r = rig_new(CL_SDES_REQUIRED);

	CHECK_INT(answer(r, carrier_offer, true), 0);
	CHECK_INT(r->v.outcome, CL_SDES_ACCEPT);
	CHECK(strstr(r->out, "a=crypto:1 AEAD_AES_256_GCM_8 inline:") != NULL);
	CHECK_INT(count(r->out, "a=crypto:"), 1);
	rig_free(r);
}

/* ...and the first allowed one when it is not. */
TEST(sdes_oa_carrier_order_offerer_without_gcm8)
{
	static const enum cl_srtp_suite_id allowed[] = { CL_SRTP_AES_CM_128_HMAC_SHA1_80,
							 CL_SRTP_AES_256_CM_HMAC_SHA1_80 };
	struct rig *r = rig_new(CL_SDES_REQUIRED);

	set_suites(r, allowed, CL_ARRAY_SIZE(allowed));
	CHECK_INT(answer(r, carrier_offer, true), 0);
	CHECK(strstr(r->out, "a=crypto:3 AES_256_CM_HMAC_SHA1_80 inline:") != NULL);
	rig_free(r);
}

TEST(sdes_oa_carrier_offer_refusals)
{
	static const enum cl_srtp_suite_id gcm[] = { CL_SRTP_AEAD_AES_128_GCM };
	static const char savp[] = HEAD "m=audio 51895 RTP/SAVP 0 101" CRLF CARRIER_CRYPTO
		AUDIO_ATTRS;
	struct rig *r = rig_new(CL_SDES_REQUIRED);

	/* Rule 6: keys over UDP. */
	CHECK_INT(answer(r, carrier_offer, false), 0);
	CHECK_INT(r->v.outcome, CL_SDES_REJECT_SESSION);
	CHECK_INT(r->v.rule, 6);
	/* Rule 5: nothing allowed; the reason lists what was offered. */
	set_suites(r, gcm, 1);
	CHECK_INT(answer(r, carrier_offer, true), 0);
	CHECK_INT(r->v.rule, 5);
	CHECK(strstr(r->v.reason, "AEAD_AES_256_GCM_8") != NULL);
	CHECK(r->leg.nstreams == 0 && r->leg.st[0] == NULL); /* refused: the leg is untouched */
	/* Rule 2: SRTP off, RTP/SAVP with crypto. */
	r->set.mode = CL_SDES_OFF;
	CHECK_INT(answer(r, savp, true), 0);
	CHECK_INT(r->v.rule, 2);
	/* OSRTP offer (RTP/AVP + a=crypto) to a connection with SRTP off: plain RTP. */
	CHECK_INT(answer(r, carrier_offer, true), 0);
	CHECK_INT(r->v.outcome, CL_SDES_ACCEPT);
	CHECK_INT(count(r->out, "a=crypto"), 0);
	CHECK(strstr(r->out, "m=audio 51895 RTP/AVP 0 101") != NULL);
	rig_free(r);
}

/* Rule 1: SRTP required, an INVITE without a=crypto. */
TEST(sdes_oa_rule1_no_crypto)
{
	static const char plain[] = HEAD "m=audio 4000 RTP/AVP 0" CRLF AUDIO_ATTRS;
	struct rig *r = rig_new(CL_SDES_REQUIRED);

	CHECK_INT(answer(r, plain, true), 0);
	CHECK_INT(r->v.outcome, CL_SDES_REJECT_SESSION);
	CHECK_INT(r->v.rule, 1);
	r->set.mode = CL_SDES_OPTIONAL;
	CHECK_INT(answer(r, plain, true), 0);
	CHECK_INT(r->v.outcome, CL_SDES_ACCEPT);
	CHECK(r->leg.nstreams == 1 && !r->leg.st[0]->srtp);
	rig_free(r);
}

/* We offer in the carrier's order; its 200 OK (tag 5) is accepted, and the answer's
 * mismatches are refused with rules 3, 4 and 7. */
TEST(sdes_oa_process_carrier_answer)
{
	static const char base[] = HEAD "m=audio 40000 RTP/AVP 0 101" CRLF AUDIO_ATTRS;
	struct rig *r = rig_new(CL_SDES_REQUIRED);
	struct cl_sdp ans;
	struct cl_sdp_error perr;
	uint8_t key[64];

	set_suites(r, carrier_order, CL_ARRAY_SIZE(carrier_order));
	CHECK_INT(cl_sdp_parse(&r->sdp, base, strlen(base), &perr), 0);
	cl_sdp_edit_init(&r->edit, &r->sdp);
	CHECK_INT(cl_sdes_offer(&r->set, &r->sdp, false, &r->leg, &r->edit), 0);
	CHECK_INT(cl_sdp_edit_build(&r->edit, r->out, sizeof(r->out), &r->outlen), 0);
	CHECK(strstr(r->out, "m=audio 40000 RTP/SAVP 0 101") != NULL);
	CHECK_INT(count(r->out, "a=crypto:"), 9);
	CHECK(strstr(r->out, "a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:") != NULL);
	CHECK_INT(cl_sdp_parse(&ans, carrier_answer, strlen(carrier_answer), &perr), 0);
	CHECK_INT(cl_sdes_process_answer(&r->set, true, &ans, &r->leg, &r->v), 0);
	CHECK_INT(r->v.outcome, CL_SDES_ACCEPT);
	CHECK(r->leg.nstreams == 1 && r->leg.st[0]->srtp);
	CHECK_INT(r->leg.st[0]->local.tag, 5);
	CHECK(r->leg.st[0]->local.suite->id == CL_SRTP_AES_CM_128_HMAC_SHA1_80);
	CHECK_INT(first_key(carrier_answer, key, sizeof(key)), 30);
	CHECK_MEM(r->leg.st[0]->remote.keys[0].key_salt, key, 30);
	rig_free(r);
}

/* Runs our nine-suite offer and processes an answer text; returns the decision rule. */
static int answer_rule(enum cl_sdes_mode mode, const char *ans_text, bool *srtp)
{
	static const char base[] = HEAD "m=audio 40000 RTP/AVP 0 101" CRLF AUDIO_ATTRS;
	struct rig *r = rig_new(mode);
	struct cl_sdp ans;
	struct cl_sdp_error perr;
	int rule = -1;

	set_suites(r, carrier_order, CL_ARRAY_SIZE(carrier_order));
	if (cl_sdp_parse(&r->sdp, base, strlen(base), &perr) == 0) {
		cl_sdp_edit_init(&r->edit, &r->sdp);
		if (cl_sdes_offer(&r->set, &r->sdp, false, &r->leg, &r->edit) == 0 &&
		    cl_sdp_parse(&ans, ans_text, strlen(ans_text), &perr) == 0 &&
		    cl_sdes_process_answer(&r->set, true, &ans, &r->leg, &r->v) == 0)
			rule = r->v.outcome == CL_SDES_REJECT_SESSION ? r->v.rule : 0;
	}
	*srtp = r->leg.nstreams && r->leg.st[0]->srtp;
	rig_free(r);
	return rule;
}

TEST(sdes_oa_answer_mismatches)
{
	char text[2048];
	bool srtp;

#define ANS(proto, crypto)                                                                   \
	snprintf(text, sizeof(text), "%sm=audio 29078 %s 0 101\r\n%sa=rtpmap:0 PCMU/8000\r\n", \
		 HEAD, proto, crypto)
	ANS("RTP/SAVP", "");
	CHECK_INT(answer_rule(CL_SDES_REQUIRED, text, &srtp), 3);
	ANS("RTP/SAVP", "a=crypto:12 AES_CM_128_HMAC_SHA1_80 inline:7aNj4ZNv8I94feZgZP2sPmVcyNxTGIHjhkbR1rLz\r\n");
	CHECK_INT(answer_rule(CL_SDES_REQUIRED, text, &srtp), 7); /* tag never offered */
	ANS("RTP/SAVP", "a=crypto:5 AES_256_CM_HMAC_SHA1_80 inline:JlgkqmY+uVPBLmJairIWLMTzsoP7sq6M+FLsTeZkAJUKobgTjouB0H+ZHV911Q==\r\n");
	CHECK_INT(answer_rule(CL_SDES_REQUIRED, text, &srtp), 7); /* suite changed */
	ANS("RTP/AVP", "a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:7aNj4ZNv8I94feZgZP2sPmVcyNxTGIHjhkbR1rLz\r\n");
	CHECK_INT(answer_rule(CL_SDES_REQUIRED, text, &srtp), 7); /* profile */
	ANS("RTP/AVP", "a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:7aNj4ZNv8I94feZgZP2sPmVcyNxTGIHjhkbR1rLz\r\n");
	CHECK_INT(answer_rule(CL_SDES_OFF, text, &srtp), 4);
	ANS("RTP/AVP", "");
	CHECK_INT(answer_rule(CL_SDES_OFF, text, &srtp), 0);
	CHECK(!srtp);
	ANS("RTP/SAVP", "a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:7aNj4ZNv8I94feZgZP2sPmVcyNxTGIHjhkbR1rLz\r\n");
	CHECK_INT(answer_rule(CL_SDES_REQUIRED, text, &srtp), 0);
	CHECK(srtp);
#undef ANS
}

/* One offer per real-world variant; each names the tag that must be answered (0: 488). */
struct variant {
	const char *name;
	const char *crypto; /* the m-line's a=crypto lines */
	uint32_t want_tag;
	const char *why;    /* for 488: substring of the reason */
};

static const struct variant variants[] = {
	{ "unpadded AES-256-GCM key (42 bytes unless handled)",
	  "a=crypto:1 AEAD_AES_256_GCM inline:URvowj9NlyRUU4Ro4NIUbg/39b1bEdLtxPelsfHpPGD9GtwWuKMMefhd76U\r\n",
	  1, NULL },
	{ "lifetime and MKI |2^31|1:1",
	  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw|2^31|1:1\r\n",
	  1, NULL },
	{ "lifetime and MKI |2^20|1:4",
	  "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw|2^20|1:4\r\n",
	  2, NULL },
	{ "decimal lifetime",
	  "a=crypto:3 AES_CM_128_HMAC_SHA1_32 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8|1048576\r\n",
	  3, NULL },
	{ "alias AES_CM_256_HMAC_SHA1_80",
	  "a=crypto:4 AES_CM_256_HMAC_SHA1_80 inline:JlgkqmY+uVPBLmJairIWLMTzsoP7sq6M+FLsTeZkAJUKobgTjouB0H+ZHV911Q==\r\n",
	  4, NULL },
	{ "one invalid line among valid ones",
	  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:not*base64*at*all*000000000000000000000\r\n"
	  "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw\r\n",
	  2, NULL },
	{ "duplicate tag: both lines unusable, the third answered",
	  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw\r\n"
	  "a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8\r\n"
	  "a=crypto:3 AES_CM_128_HMAC_SHA1_32 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8\r\n",
	  3, NULL },
	{ "duplicate tag only", 
	  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw\r\n"
	  "a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8\r\n",
	  0, "duplicate tag 1" },
	{ "over-long key",
	  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:JlgkqmY+uVPBLmJairIWLMTzsoP7sq6M+FLsTeZkAJUKobgTjouB0H+ZHV911Q==\r\n",
	  0, "tag 1" },
	{ "bad base64 character",
	  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAni*OvkYXUnZ5KTw\r\n",
	  0, "tag 1" },
	{ "MKI too long (1:129)",
	  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw|2^31|1:129\r\n",
	  0, "tag 1" },
	{ "unknown suite only",
	  "a=crypto:1 AES_CM_512_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw\r\n",
	  0, "tag 1" },
	{ "FEC_ORDER makes its line unusable",
	  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw FEC_ORDER=FEC_SRTP\r\n"
	  "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8\r\n",
	  2, NULL },
};

TEST(sdes_oa_real_world_variants)
{
	struct rig *r = rig_new(CL_SDES_REQUIRED);
	char text[4096], want[48];
	bool ok = true;

	for (size_t i = 0; i < CL_ARRAY_SIZE(variants); i++) {
		const struct variant *v = &variants[i];
		int err;

		snprintf(text, sizeof(text), "%sm=audio 4000 RTP/SAVP 0\r\n%s%s", HEAD, v->crypto,
			 AUDIO_ATTRS);
		cl_sdes_leg_wipe(&r->leg);
		err = answer(r, text, true);
		snprintf(want, sizeof(want), "a=crypto:%u ", v->want_tag);
		if (err || (v->want_tag && (r->v.outcome != CL_SDES_ACCEPT || !strstr(r->out, want))) ||
		    (!v->want_tag && (r->v.outcome != CL_SDES_REJECT_SESSION ||
				      !strstr(r->v.reason, v->why)))) {
			cl_test_fail(t, __FILE__, __LINE__, "variant \"%s\": err %d outcome %d reason \"%s\"",
				     v->name, err, r->v.outcome, r->v.reason);
			ok = false;
		}
	}
	CHECK(ok);
	rig_free(r);
}

/* Emission settings: lifetime and MKI written only when the connection asks for them. */
TEST(sdes_oa_emit_lifetime_mki)
{
	struct rig *r = rig_new(CL_SDES_REQUIRED);

	r->set.emit_lifetime = 1ULL << 31;
	r->set.emit_mki_len = 1;
	CHECK_INT(answer(r, carrier_offer, true), 0);
	CHECK(strstr(r->out, "|2^31|1:1\r\n") != NULL);
	r->set.emit_lifetime = 0;
	r->set.emit_mki_len = 0;
	cl_sdes_leg_wipe(&r->leg);
	CHECK_INT(answer(r, carrier_offer, true), 0);
	CHECK(strstr(r->out, "|") == NULL);
	rig_free(r);
}

/* Audio and video: each RTP m-line gets its own line and key. */
TEST(sdes_oa_audio_video)
{
	static const char av[] = HEAD "m=audio 4000 RTP/SAVP 0" CRLF
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw" CRLF
		"a=rtcp-mux" CRLF "m=video 4002 RTP/SAVPF 96" CRLF
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8" CRLF
		"a=rtpmap:96 VP8/90000" CRLF "m=application 5000 UDP/BFCP *" CRLF;
	struct rig *r = rig_new(CL_SDES_REQUIRED);

	CHECK_INT(answer(r, av, true), 0);
	CHECK_INT(r->v.outcome, CL_SDES_ACCEPT);
	CHECK_INT(count(r->out, "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"), 2);
	CHECK(strstr(r->out, "m=video 4002 RTP/SAVPF 96") != NULL);
	CHECK(strstr(r->out, "m=application 5000 UDP/BFCP *") != NULL);
	CHECK_INT(r->leg.nstreams, 3);
	CHECK(r->leg.st[0]->srtp && r->leg.st[1]->srtp && !r->leg.st[2]->rtp);
	CHECK(memcmp(r->leg.st[0]->local.keys[0].key_salt, r->leg.st[1]->local.keys[0].key_salt, 30));
	rig_free(r);
}

/* RFC 4568 §7.1.4: the same tag, suite and key keeps the contexts; a new key makes new
 * ones; hold and resume never rekey. */
TEST(sdes_oa_reoffers)
{
	static const char hold[] = HEAD "m=audio 51895 RTP/AVP 0 101" CRLF
		"a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw" CRLF
		"a=sendonly" CRLF;
	static const char rekey[] = HEAD "m=audio 51895 RTP/AVP 0 101" CRLF
		"a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8" CRLF;
	static const enum cl_srtp_suite_id ours[] = { CL_SRTP_AES_CM_128_HMAC_SHA1_80 };
	struct rig *r = rig_new(CL_SDES_REQUIRED);
	uint8_t k1[64], k2[64];

	set_suites(r, ours, 1);
	CHECK_INT(answer(r, carrier_offer, true), 0);
	CHECK(r->leg.st[0]->new_tx_key && r->leg.st[0]->new_rx_key);
	CHECK_INT(first_key(r->out, k1, sizeof(k1)), 30);
	/* Same offer again: nothing new, the same answer key. */
	CHECK_INT(answer(r, carrier_offer, true), 0);
	CHECK(!r->leg.st[0]->new_tx_key && !r->leg.st[0]->new_rx_key);
	CHECK_INT(first_key(r->out, k2, sizeof(k2)), 30);
	CHECK_MEM(k1, k2, 30);
	/* Hold (sendonly) with the same line: no rekey. */
	CHECK_INT(answer(r, hold, true), 0);
	CHECK(!r->leg.st[0]->new_tx_key && !r->leg.st[0]->new_rx_key);
	/* A new key from the offerer: new contexts both ways, and a fresh key of ours. */
	CHECK_INT(answer(r, rekey, true), 0);
	CHECK(r->leg.st[0]->new_tx_key && r->leg.st[0]->new_rx_key);
	CHECK_INT(first_key(r->out, k2, sizeof(k2)), 30);
	CHECK(memcmp(k1, k2, 30) != 0);
	rig_free(r);
}

/* Our own re-offer repeats the running line; a rekey offers fresh ones. */
TEST(sdes_oa_our_reoffer)
{
	static const char base[] = HEAD "m=audio 40000 RTP/AVP 0 101" CRLF AUDIO_ATTRS;
	struct rig *r = rig_new(CL_SDES_REQUIRED);
	struct cl_sdp ans;
	struct cl_sdp_error perr;
	uint8_t first[64], again[64];

	set_suites(r, carrier_order, CL_ARRAY_SIZE(carrier_order));
	CHECK_INT(cl_sdp_parse(&r->sdp, base, strlen(base), &perr), 0);
	cl_sdp_edit_init(&r->edit, &r->sdp);
	CHECK_INT(cl_sdes_offer(&r->set, &r->sdp, false, &r->leg, &r->edit), 0);
	CHECK_INT(cl_sdp_parse(&ans, carrier_answer, strlen(carrier_answer), &perr), 0);
	CHECK_INT(cl_sdes_process_answer(&r->set, true, &ans, &r->leg, &r->v), 0);
	memcpy(first, r->leg.st[0]->local.keys[0].key_salt, 30);
	/* Re-offer: only tag 5 with the same key; the same answer changes nothing. */
	cl_sdp_edit_init(&r->edit, &r->sdp);
	CHECK_INT(cl_sdes_offer(&r->set, &r->sdp, false, &r->leg, &r->edit), 0);
	CHECK_INT(cl_sdp_edit_build(&r->edit, r->out, sizeof(r->out), &r->outlen), 0);
	CHECK_INT(count(r->out, "a=crypto:"), 1);
	CHECK(strstr(r->out, "a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:") != NULL);
	CHECK_INT(first_key(r->out, again, sizeof(again)), 30);
	CHECK_MEM(first, again, 30);
	CHECK_INT(cl_sdes_process_answer(&r->set, true, &ans, &r->leg, &r->v), 0);
	CHECK_INT(r->v.outcome, CL_SDES_ACCEPT);
	CHECK(!r->leg.st[0]->new_tx_key && !r->leg.st[0]->new_rx_key);
	/* Rekey: nine fresh lines. */
	cl_sdp_edit_init(&r->edit, &r->sdp);
	CHECK_INT(cl_sdes_offer(&r->set, &r->sdp, true, &r->leg, &r->edit), 0);
	CHECK_INT(cl_sdp_edit_build(&r->edit, r->out, sizeof(r->out), &r->outlen), 0);
	CHECK_INT(count(r->out, "a=crypto:"), 9);
	rig_free(r);
}

/* The other leg's keys never cross: our offer drops every a=crypto of the base SDP. */
TEST(sdes_oa_offer_never_forwards_keys)
{
	struct rig *r = rig_new(CL_SDES_OFF);

	struct cl_sdp_error perr;

	CHECK_INT(cl_sdp_parse(&r->sdp, carrier_offer, strlen(carrier_offer), &perr), 0);
	cl_sdp_edit_init(&r->edit, &r->sdp);
	CHECK_INT(cl_sdes_offer(&r->set, &r->sdp, false, &r->leg, &r->edit), 0);
	CHECK_INT(cl_sdp_edit_build(&r->edit, r->out, sizeof(r->out), &r->outlen), 0);
	CHECK_INT(count(r->out, "a=crypto"), 0);
	CHECK(strstr(r->out, "m=audio 51895 RTP/AVP 0 101") != NULL);
	rig_free(r);
}

/* Session parameters that weaken SRTP are refused by default, and echoed when a
 * connection allows them (RFC 4568 §6.3.3-6.3.5). */
TEST(sdes_oa_weakened_params)
{
	static const char weak[] = HEAD "m=audio 4000 RTP/SAVP 0" CRLF
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw UNENCRYPTED_SRTP" CRLF
		AUDIO_ATTRS;
	struct rig *r = rig_new(CL_SDES_REQUIRED);

	CHECK_INT(answer(r, weak, true), 0);
	CHECK_INT(r->v.outcome, CL_SDES_REJECT_SESSION);
	CHECK_INT(r->v.rule, 5);
	CHECK(strstr(r->v.reason, "AES_CM_128_HMAC_SHA1_80 (weakened)") != NULL);
	r->set.allow_weakened = true;
	CHECK_INT(answer(r, weak, true), 0);
	CHECK_INT(r->v.outcome, CL_SDES_ACCEPT);
	CHECK(strstr(r->out, " UNENCRYPTED_SRTP\r\n") != NULL);
	CHECK(r->leg.st[0]->local.unencrypted_srtp);
	rig_free(r);
}

/* A refusal's reason lists whole suite names only. */
TEST(sdes_oa_reason_whole_names)
{
	static const enum cl_srtp_suite_id gcm[] = { CL_SRTP_AEAD_AES_128_GCM };
	struct rig *r = rig_new(CL_SDES_REQUIRED);
	const char *tail;

	set_suites(r, gcm, 1);
	CHECK_INT(answer(r, carrier_offer, true), 0);
	CHECK_INT(r->v.rule, 5);
	CHECK(strlen(r->v.reason) < sizeof(r->v.reason) - 1);
	tail = strrchr(r->v.reason, ' ');
	CHECK(tail && (strstr(r->v.reason, " more") || strstr(tail, "_NULL_AUTH")));
	CHECK(strstr(r->v.reason, "AEAD_AES_256_GCM_8, AEAD_AES_128_GCM_8") != NULL);
	rig_free(r);
}

/* An offer with only DTLS-SRTP says so. */
TEST(sdes_oa_dtls_only_reason)
{
	static const char dtls[] = HEAD "m=audio 5000 UDP/TLS/RTP/SAVP 0" CRLF AUDIO_ATTRS;
	struct rig *r = rig_new(CL_SDES_REQUIRED);

	CHECK_INT(answer(r, dtls, true), 0);
	CHECK_INT(r->v.outcome, CL_SDES_REJECT_SESSION);
	CHECK(strstr(r->v.reason, "DTLS-SRTP") != NULL);
	rig_free(r);
}

/* ---- the leg's streams: allocated on demand, wiped and freed ---- */

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i])
			return false;
	}
	return true;
}

/* st[m] is allocated exactly for m < want. */
static bool leg_has(const struct cl_sdes_leg *leg, size_t want)
{
	if (leg->nstreams != want)
		return false;
	for (size_t m = 0; m < CL_SDP_MAX_MEDIA; m++) {
		if ((leg->st[m] != NULL) != (m < want))
			return false;
	}
	return true;
}

static const char av_offer[] = HEAD "m=audio 4000 RTP/SAVP 0" CRLF
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw" CRLF
	"m=video 4002 RTP/SAVPF 96" CRLF
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8" CRLF
	"m=application 5000 UDP/BFCP *" CRLF;

/* Nothing is allocated for a refused offer; a refused re-offer leaves every byte of the
 * streams as it was; fewer m-lines free the rest; cl_sdes_leg_wipe frees all and the
 * leg can be used again. */
TEST(sdes_oa_leg_streams_on_demand)
{
	struct rig *r = rig_new(CL_SDES_REQUIRED);
	struct cl_sdes_stream *st0, *copy = malloc(sizeof(*copy));

	CHECK(copy != NULL);
	CHECK_INT(answer(r, av_offer, false), 0); /* rule 6 */
	CHECK_INT(r->v.outcome, CL_SDES_REJECT_SESSION);
	CHECK(leg_has(&r->leg, 0));
	CHECK_INT(answer(r, av_offer, true), 0);
	CHECK_INT(r->v.outcome, CL_SDES_ACCEPT);
	CHECK(leg_has(&r->leg, 3));
	st0 = r->leg.st[0];
	memcpy(copy, st0, sizeof(*copy));
	CHECK_INT(answer(r, av_offer, false), 0);
	CHECK_INT(r->v.outcome, CL_SDES_REJECT_SESSION);
	CHECK(leg_has(&r->leg, 3) && r->leg.st[0] == st0);
	CHECK(memcmp(st0, copy, sizeof(*copy)) == 0);
	CHECK_INT(answer(r, carrier_offer, true), 0);
	CHECK_INT(r->v.outcome, CL_SDES_ACCEPT);
	CHECK(leg_has(&r->leg, 1) && r->leg.st[0] == st0);
	cl_sdes_leg_wipe(&r->leg);
	CHECK(leg_has(&r->leg, 0));
	CHECK_INT(answer(r, av_offer, true), 0);
	CHECK(leg_has(&r->leg, 3) && r->leg.st[0]->srtp);
	cl_wipe(copy, sizeof(*copy));
	free(copy);
	cl_sdes_leg_wipe(NULL);
	rig_free(r);
}

/* Our offer allocates its streams; a refused answer changes nothing; an offer from them
 * while ours is pending (glare) wipes the keys we offered. */
TEST(sdes_oa_offer_streams_and_glare)
{
	static const char base[] = HEAD "m=audio 40000 RTP/AVP 0 101" CRLF AUDIO_ATTRS;
	static const char two[] = HEAD "m=audio 29078 RTP/SAVP 0" CRLF "m=video 0 RTP/SAVP 96" CRLF;
	struct rig *r = rig_new(CL_SDES_REQUIRED);
	struct cl_sdes_stream *copy = malloc(sizeof(*copy));
	struct cl_sdp ans;
	struct cl_sdp_error perr;

	CHECK(copy != NULL);
	set_suites(r, carrier_order, CL_ARRAY_SIZE(carrier_order));
	CHECK_INT(cl_sdp_parse(&r->sdp, base, strlen(base), &perr), 0);
	cl_sdp_edit_init(&r->edit, &r->sdp);
	CHECK_INT(cl_sdes_offer(&r->set, &r->sdp, false, &r->leg, &r->edit), 0);
	CHECK(leg_has(&r->leg, 1));
	CHECK_INT(r->leg.st[0]->noffered, 9);
	memcpy(copy, r->leg.st[0], sizeof(*copy));
	CHECK_INT(cl_sdp_parse(&ans, two, strlen(two), &perr), 0);
	CHECK_INT(cl_sdes_process_answer(&r->set, true, &ans, &r->leg, &r->v), 0);
	CHECK_INT(r->v.rule, 7);
	CHECK(leg_has(&r->leg, 1) && memcmp(r->leg.st[0], copy, sizeof(*copy)) == 0);
	CHECK_INT(answer(r, carrier_offer, true), 0);
	CHECK_INT(r->v.outcome, CL_SDES_ACCEPT);
	CHECK(leg_has(&r->leg, 1));
	CHECK_INT(r->leg.st[0]->noffered, 0);
	for (size_t i = 0; i < CL_SRTP_SUITE_COUNT; i++)
		CHECK(all_zero(r->leg.st[0]->offered[i].keys, sizeof(r->leg.st[0]->offered[i].keys)));
	cl_wipe(copy, sizeof(*copy));
	free(copy);
	rig_free(r);
}

/* cl_sdes_leg_wipe_stream wipes and zeroes one stream, which stays allocated. */
TEST(sdes_oa_wipe_stream)
{
	struct rig *r = rig_new(CL_SDES_REQUIRED);
	struct cl_sdes_stream *st;

	CHECK_INT(answer(r, carrier_offer, true), 0);
	CHECK(leg_has(&r->leg, 1));
	st = r->leg.st[0];
	CHECK(st->srtp && !all_zero(st->local.keys[0].key_salt, st->local.keys[0].len));
	cl_sdes_leg_wipe_stream(st);
	CHECK(all_zero(st, sizeof(*st)));
	CHECK(leg_has(&r->leg, 1) && r->leg.st[0] == st);
	cl_sdes_leg_wipe_stream(NULL);
	rig_free(r);
}

/* A first m-line that is not RTP reads no a=crypto lines and gets a stream anyway. */
TEST(sdes_oa_first_mline_not_rtp)
{
	static const char offer[] = HEAD "m=application 5000 UDP/BFCP *" CRLF
		"m=audio 4000 RTP/SAVP 0" CRLF
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw" CRLF;
	struct rig *r = rig_new(CL_SDES_REQUIRED);

	CHECK_INT(answer(r, offer, true), 0);
	CHECK_INT(r->v.outcome, CL_SDES_ACCEPT);
	CHECK(leg_has(&r->leg, 2) && !r->leg.st[0]->rtp && r->leg.st[1]->srtp);
	CHECK(strstr(r->out, "m=application 5000 UDP/BFCP *\r\n") != NULL);
	rig_free(r);
}

/* a=crypto lines in sections the engine leaves alone are dropped too: an answer never
 * echoes the offerer's keys, an offer never forwards the other leg's (found by
 * fuzz_sdp_answer). */
TEST(sdes_oa_no_foreign_crypto_in_other_sections)
{
	static const char offer[] = HEAD "m=audio 4000 RTP/SAVP 0" CRLF
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw" CRLF
		"m=audio 4002 RTP/FOO 0" CRLF
		"a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8" CRLF
		"a=sendrecv" CRLF "m=audio 4004 UDP/TLS/RTP/SAVP 0" CRLF
		"a=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:DzAaqmSiBsFG997HKmMhoFkxOo3c9TY7mO6fFHOn" CRLF;
	struct rig *r = rig_new(CL_SDES_REQUIRED);

	CHECK_INT(answer(r, offer, true), 0);
	CHECK_INT(r->v.outcome, CL_SDES_ACCEPT);
	CHECK_INT(count(r->out, "a=crypto:"), 1);
	CHECK(strstr(r->out, "m=audio 4002 RTP/FOO 0\r\na=sendrecv\r\n") != NULL);
	CHECK(strstr(r->out, "CYuxgx") == NULL && strstr(r->out, "DzAaqm") == NULL);
	cl_sdes_leg_wipe(&r->leg);
	cl_sdp_edit_init(&r->edit, &r->sdp);
	CHECK_INT(cl_sdes_offer(&r->set, &r->sdp, false, &r->leg, &r->edit), 0);
	CHECK_INT(cl_sdp_edit_build(&r->edit, r->out, sizeof(r->out), &r->outlen), 0);
	CHECK(strstr(r->out, "TCkr9L") == NULL && strstr(r->out, "CYuxgx") == NULL &&
	      strstr(r->out, "DzAaqm") == NULL);
	CHECK(strstr(r->out, "m=audio 4002 RTP/FOO 0\r\na=sendrecv\r\n") != NULL);
	rig_free(r);
}
