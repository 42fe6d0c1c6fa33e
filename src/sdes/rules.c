/* The 488 rules (issue 3 §4, the carrier article's NOTEs) in one pure function, and
 * the default settings. Inputs are facts about one media section; the output is the
 * outcome with the rule number and a reason a caller can read in a Warning header. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sdes.h"

void cl_sdes_settings_default(struct cl_sdes_settings *set)
{
	/* Strongest first; GCM_8, AES_192 (old libsrtp derives its keys wrongly, libsrtp
	 * #763) and f8 last; the NULL suites are never allowed by default. */
	static const enum cl_srtp_suite_id order[] = {
		CL_SRTP_AEAD_AES_256_GCM,        CL_SRTP_AEAD_AES_128_GCM,
		CL_SRTP_AES_256_CM_HMAC_SHA1_80, CL_SRTP_AES_CM_128_HMAC_SHA1_80,
		CL_SRTP_AES_256_CM_HMAC_SHA1_32, CL_SRTP_AES_CM_128_HMAC_SHA1_32,
		CL_SRTP_AEAD_AES_256_GCM_8,      CL_SRTP_AEAD_AES_128_GCM_8,
		CL_SRTP_AES_192_CM_HMAC_SHA1_80, CL_SRTP_AES_192_CM_HMAC_SHA1_32,
		CL_SRTP_F8_128_HMAC_SHA1_80,
	};

	memset(set, 0, sizeof(*set));
	set->mode = CL_SDES_OFF;
	set->order = CL_SDES_ORDER_OFFERER;
	set->requires_tls = true;
	for (size_t i = 0; i < CL_ARRAY_SIZE(order); i++)
		set->suites[set->nsuites++] = order[i];
}

static void __attribute__((format(printf, 5, 6)))
verdict(struct cl_sdes_decision *d, enum cl_sdes_outcome o, bool srtp, int rule, const char *fmt,
	...)
{
	va_list ap;

	d->outcome = o;
	d->srtp = srtp;
	d->rule = rule;
	va_start(ap, fmt);
	vsnprintf(d->reason, sizeof(d->reason), fmt, ap);
	va_end(ap);
}

#define ACCEPT_PLAIN(d) verdict((d), CL_SDES_ACCEPT, false, 0, "%s", "")
#define ACCEPT_SRTP(d) verdict((d), CL_SDES_ACCEPT, true, 0, "%s", "")

/* SDES offered or answered over a transport other than TLS (rule 6). */
static bool sdes_in_clear(const struct cl_sdes_settings *set, const struct cl_sdes_facts *f)
{
	return f->ncrypto > 0 && set->requires_tls && !f->over_tls;
}

/* An offer from the connection: an outbound call, or its re-INVITE. */
static void decide_offer(const struct cl_sdes_settings *set, const struct cl_sdes_facts *f,
			 struct cl_sdes_decision *d)
{
	bool osrtp = !f->savp && f->ncrypto > 0; /* RFC 8643: RTP/AVP with a=crypto */

	if (set->mode == CL_SDES_OFF) {
		if (f->savp)
			return verdict(d, CL_SDES_REJECT_SESSION, false, 2,
				       "SRTP is off for this connection but the offer is RTP/SAVP%s",
				       f->ncrypto ? " with a=crypto" : "");
		return ACCEPT_PLAIN(d); /* an OSRTP offer is answered as plain RTP */
	}
	if (f->ncrypto == 0) {
		if (set->mode == CL_SDES_REQUIRED)
			return verdict(d, CL_SDES_REJECT_SESSION, false, 1,
				       "SRTP is required but the offer has no a=crypto");
		if (f->savp)
			return verdict(d, CL_SDES_REJECT_SESSION, false, 1,
				       "the offer is RTP/SAVP without a=crypto");
		return ACCEPT_PLAIN(d);
	}
	if (sdes_in_clear(set, f)) {
		if (set->mode == CL_SDES_OPTIONAL && osrtp)
			return ACCEPT_PLAIN(d); /* best effort: keys seen in clear are not used */
		return verdict(d, CL_SDES_REJECT_SESSION, false, 6,
			       "SDES keys must arrive over TLS for this connection");
	}
	if (!f->allowed) {
		if (set->mode == CL_SDES_OPTIONAL && osrtp)
			return ACCEPT_PLAIN(d);
		return verdict(d, CL_SDES_REJECT_SESSION, false, 5,
			       "no offered crypto suite is allowed: %s", f->detail ? f->detail : "");
	}
	return ACCEPT_SRTP(d);
}

/* The connection's answer to our offer: an inbound call. */
static void decide_answer(const struct cl_sdes_settings *set, const struct cl_sdes_facts *f,
			  struct cl_sdes_decision *d)
{
	if (!f->we_offered_crypto || set->mode == CL_SDES_OFF) {
		if (f->ncrypto > 0)
			return verdict(d, CL_SDES_REJECT_SESSION, false, 4,
				       "SRTP is off for this connection but the answer has a=crypto");
		if (f->savp)
			return verdict(d, CL_SDES_REJECT_SESSION, false, 7,
				       "the answer is RTP/SAVP to a plain RTP offer");
		return ACCEPT_PLAIN(d);
	}
	if (f->ncrypto == 0) {
		if (set->mode == CL_SDES_REQUIRED)
			return verdict(d, CL_SDES_REJECT_SESSION, false, 3,
				       "SRTP is required but the answer has no a=crypto");
		if (f->savp)
			return verdict(d, CL_SDES_REJECT_SESSION, false, 7,
				       "the answer is RTP/SAVP without a=crypto");
		return ACCEPT_PLAIN(d); /* best effort declined */
	}
	if (sdes_in_clear(set, f))
		return verdict(d, CL_SDES_REJECT_SESSION, false, 6,
			       "SDES keys must arrive over TLS for this connection");
	if (f->ncrypto != 1 || !f->allowed)
		return verdict(d, CL_SDES_REJECT_SESSION, false, 7,
			       "the answer's a=crypto does not match our offer: %s", f->detail ? f->detail : "");
	if (set->mode == CL_SDES_REQUIRED && !f->savp)
		return verdict(d, CL_SDES_REJECT_SESSION, false, 7,
			       "the answer's profile is RTP/AVP to our RTP/SAVP offer");
	return ACCEPT_SRTP(d);
}

void cl_sdes_decide(const struct cl_sdes_settings *set, const struct cl_sdes_facts *f,
		    struct cl_sdes_decision *d)
{
	if (f->dtls)
		return verdict(d, CL_SDES_REJECT_STREAM, false, 0,
			       "DTLS-SRTP (UDP/TLS/RTP/SAVP) is not supported");
	if (f->answer)
		decide_answer(set, f, d);
	else
		decide_offer(set, f, d);
}
