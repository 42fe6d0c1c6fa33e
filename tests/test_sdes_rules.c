/* The 488 rules as a table: one row per case, each naming the rule it exercises. */
#include "sdes/sdes.h"
#include "test.h"

enum { OFF = CL_SDES_OFF, OPT = CL_SDES_OPTIONAL, REQ = CL_SDES_REQUIRED };
enum { ACC = CL_SDES_ACCEPT, RSTREAM = CL_SDES_REJECT_STREAM, R488 = CL_SDES_REJECT_SESSION };

struct row {
	const char *name;
	int mode;
	bool answer, tls, savp, dtls;
	size_t ncrypto;
	bool allowed, we_offered;
	int outcome;
	bool srtp;
	int rule;
	const char *reason; /* substring of the reason, or NULL */
};

static const struct row rows[] = {
	/* Offers from the connection (outbound calls). */
	{ "1: required, offer without a=crypto", REQ, false, true, false, false, 0, false, false,
	  R488, false, 1, "no a=crypto" },
	{ "1: required, RTP/SAVP offer without a=crypto", REQ, false, true, true, false, 0, false,
	  false, R488, false, 1, "no a=crypto" },
	{ "2: off, RTP/SAVP with a=crypto", OFF, false, true, true, false, 3, true, false, R488, false,
	  2, "SRTP is off" },
	{ "2: off, OSRTP offer answered as plain RTP", OFF, false, true, false, false, 3, true, false,
	  ACC, false, 0, NULL },
	{ "off, plain offer", OFF, false, false, false, false, 0, false, false, ACC, false, 0, NULL },
	{ "5: required, no allowed suite", REQ, false, true, true, false, 2, false, false, R488, false,
	  5, "no offered crypto suite is allowed" },
	{ "6: required, SDES over UDP", REQ, false, false, true, false, 2, true, false, R488, false, 6,
	  "TLS" },
	{ "required, SAVP + allowed crypto over TLS", REQ, false, true, true, false, 9, true, false,
	  ACC, true, 0, NULL },
	{ "required, carrier-style RTP/AVP + crypto over TLS", REQ, false, true, false, false, 9, true,
	  false, ACC, true, 0, NULL },
	{ "optional, OSRTP offer over TLS", OPT, false, true, false, false, 1, true, false, ACC, true,
	  0, NULL },
	{ "optional, OSRTP offer over UDP falls back to RTP", OPT, false, false, false, false, 1, true,
	  false, ACC, false, 0, NULL },
	{ "6: optional, SAVP offer over UDP", OPT, false, false, true, false, 1, true, false, R488,
	  false, 6, "TLS" },
	{ "optional, OSRTP with no allowed suite falls back", OPT, false, true, false, false, 1, false,
	  false, ACC, false, 0, NULL },
	{ "5: optional, SAVP with no allowed suite", OPT, false, true, true, false, 1, false, false,
	  R488, false, 5, NULL },
	{ "optional, plain offer", OPT, false, true, false, false, 0, false, false, ACC, false, 0,
	  NULL },
	{ "1: optional, RTP/SAVP without a=crypto", OPT, false, true, true, false, 0, false, false,
	  R488, false, 1, "without a=crypto" },
	{ "DTLS-SRTP stream rejected", REQ, false, true, true, true, 0, false, false, RSTREAM, false,
	  0, "DTLS" },
	/* Answers from the connection to our offer (inbound calls). */
	{ "3: required, answer without a=crypto", REQ, true, true, true, false, 0, false, true, R488,
	  false, 3, "no a=crypto" },
	{ "4: off, answer with a=crypto", OFF, true, true, false, false, 1, false, false, R488, false,
	  4, "SRTP is off" },
	{ "required, answer with the offered tag", REQ, true, true, true, false, 1, true, true, ACC,
	  true, 0, NULL },
	{ "7: required, answer tag never offered", REQ, true, true, true, false, 1, false, true, R488,
	  false, 7, "does not match" },
	{ "7: required, answer RTP/AVP to our SAVP", REQ, true, true, false, false, 1, true, true,
	  R488, false, 7, "profile" },
	{ "7: off, SAVP answer to plain offer", OFF, true, true, true, false, 0, false, false, R488,
	  false, 7, NULL },
	{ "optional, answer declines SRTP", OPT, true, true, false, false, 0, false, true, ACC, false,
	  0, NULL },
	{ "optional, answer accepts SRTP", OPT, true, true, false, false, 1, true, true, ACC, true, 0,
	  NULL },
	{ "6: required, answer with keys over UDP", REQ, true, false, true, false, 1, true, true, R488,
	  false, 6, "TLS" },
	{ "off, plain answer", OFF, true, false, false, false, 0, false, false, ACC, false, 0, NULL },
};

TEST(sdes_rules_table)
{
	struct cl_sdes_settings set;
	bool ok = true;

	for (size_t i = 0; i < CL_ARRAY_SIZE(rows); i++) {
		const struct row *r = &rows[i];
		struct cl_sdes_facts f = { r->answer, r->tls, r->savp, r->dtls, r->ncrypto,
					   r->allowed ? r->ncrypto : 0, r->allowed, r->we_offered,
					   "AES_CM_128_NULL_AUTH" };
		struct cl_sdes_decision d;

		cl_sdes_settings_default(&set);
		set.mode = (enum cl_sdes_mode)r->mode;
		cl_sdes_decide(&set, &f, &d);
		if ((int)d.outcome != r->outcome || d.srtp != r->srtp || d.rule != r->rule ||
		    (r->reason && !strstr(d.reason, r->reason))) {
			cl_test_fail(t, __FILE__, __LINE__,
				     "row \"%s\": outcome %d srtp %d rule %d reason \"%s\"", r->name,
				     d.outcome, d.srtp, d.rule, d.reason);
			ok = false;
		}
	}
	CHECK(ok);
}

/* A connection may opt out of TLS for SDES (with a warning in its config). */
TEST(sdes_rules_tls_opt_out)
{
	struct cl_sdes_settings set;
	struct cl_sdes_facts f = { .savp = true, .ncrypto = 1, .nusable = 1, .allowed = true };
	struct cl_sdes_decision d;

	cl_sdes_settings_default(&set);
	set.mode = CL_SDES_REQUIRED;
	set.requires_tls = false;
	cl_sdes_decide(&set, &f, &d);
	CHECK_INT(d.outcome, CL_SDES_ACCEPT);
	CHECK(d.srtp);
}

TEST(sdes_rules_defaults)
{
	struct cl_sdes_settings set;

	cl_sdes_settings_default(&set);
	CHECK_INT(set.mode, CL_SDES_OFF);
	CHECK(set.requires_tls);
	CHECK_INT(set.order, CL_SDES_ORDER_OFFERER);
	CHECK_INT(set.nsuites, 11);
	for (size_t i = 0; i < set.nsuites; i++) {
		const struct cl_srtp_suite *su = cl_srtp_suite_get(set.suites[i]);

		CHECK(su->cipher != CL_SRTP_CIPHER_NULL && su->auth != CL_SRTP_AUTH_NULL);
	}
}
