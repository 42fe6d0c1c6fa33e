/* SDP + SDES benchmark (issue 3 §6): the carrier example's nine-suite offer, parsed and
 * answered on a new leg (decision, stream allocated, fresh CSPRNG key, answer SDP built,
 * the previous leg wiped and freed), in operations per second.
 * Figures, not a test: median over rounds, machine printed first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/opensslv.h>

#include "bench_util.h"
#include "sdes/sdes.h"

#define CRLF "\r\n"
static const char offer[] =
	"v=0" CRLF "o=- 301488255 301488255 IN IP4 192.0.2.10" CRLF "s=-" CRLF
	"c=IN IP4 192.0.2.10" CRLF "t=0 0" CRLF "m=audio 51895 RTP/AVP 0 101" CRLF
	"a=crypto:1 AEAD_AES_256_GCM_8 inline:URvowj9NlyRUU4Ro4NIUbg/39b1bEdLtxPelsfHpPGD9GtwWuKMMefhd76U=" CRLF
	"a=crypto:2 AEAD_AES_128_GCM_8 inline:uATLXs8T8rjZ0QVH15np2ExFaVZixIRvHHXOow==" CRLF
	"a=crypto:3 AES_256_CM_HMAC_SHA1_80 inline:JlgkqmY+uVPBLmJairIWLMTzsoP7sq6M+FLsTeZkAJUKobgTjouB0H+ZHV911Q==" CRLF
	"a=crypto:4 AES_192_CM_HMAC_SHA1_80 inline:aNNDkHj6o2xl2J6PkjReCqK4dvGFeV3AjZ9Lohiriq5RRu8gMq0=" CRLF
	"a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:TCkr9L8rtn4+aJXoeA1eiQcTAniJOvkYXUnZ5KTw" CRLF
	"a=crypto:6 AES_256_CM_HMAC_SHA1_32 inline:98t1wsF9qRKbb+vJO0zldPSX1RvXDI/SSrzNEUl0CHDGv84vqtz3+tJNA2JQdA==" CRLF
	"a=crypto:7 AES_192_CM_HMAC_SHA1_32 inline:K5rGraoWN0x2r3OHxKDMxDY4uk4TZC6z2Lu9NIU8YY/BesMyICA=" CRLF
	"a=crypto:8 AES_CM_128_HMAC_SHA1_32 inline:CYuxgxVh3SpfdN4uXoR5M709+19SQMuNepdP0Dw8" CRLF
	"a=crypto:9 AES_CM_128_NULL_AUTH inline:DzAaqmSiBsFG997HKmMhoFkxOo3c9TY7mO6fFHOn" CRLF
	"a=rtpmap:0 PCMU/8000" CRLF "a=rtpmap:101 telephone-event/8000" CRLF "a=fmtp:101 0-16" CRLF
	"a=ptime:20" CRLF "a=sendrecv" CRLF;

#define ROUNDS 31
#define BATCH 2000

struct rig {
	struct cl_sdp sdp;
	struct cl_sdp_edit edit;
	struct cl_sdes_leg leg;
	struct cl_sdes_settings set;
	char out[4096];
};

/* One operation: 0 = parse only, 1 = parse + answer + build. Aborts on failure. */
static void op(struct rig *r, int what)
{
	struct cl_sdp_error err;
	struct cl_sdes_decision v;
	size_t len;

	if (cl_sdp_parse(&r->sdp, offer, sizeof(offer) - 1, &err) != 0)
		abort();
	if (what == 0)
		return;
	cl_sdes_leg_wipe(&r->leg); /* a new call: the last one's stream wiped and freed */
	cl_sdp_edit_init(&r->edit, &r->sdp);
	if (cl_sdes_answer(&r->set, true, &r->sdp, &r->leg, &r->edit, &v) != 0 ||
	    v.outcome != CL_SDES_ACCEPT ||
	    cl_sdp_edit_build(&r->edit, r->out, sizeof(r->out), &len) != 0)
		abort();
}

static double median_ns(struct rig *r, int what)
{
	double per[ROUNDS];

	for (int i = 0; i < BATCH / 10; i++)
		op(r, what); /* warm up */
	for (int k = 0; k < ROUNDS; k++) {
		double t0 = bench_now_ns();

		for (int i = 0; i < BATCH; i++)
			op(r, what);
		per[k] = (bench_now_ns() - t0) / BATCH;
	}
	return bench_median(per, ROUNDS);
}

static void machine(void)
{
	bench_machine("cipherline SDP/SDES benchmark");
	printf("OpenSSL:  %s\n", OPENSSL_VERSION_TEXT);
}

int main(void)
{
	struct rig *r = calloc(1, sizeof(*r));
	double parse, full;

	if (!r)
		return 1;
	machine();
	cl_sdes_settings_default(&r->set);
	r->set.mode = CL_SDES_REQUIRED;
	printf("method:   the carrier example offer (%zu bytes, nine a=crypto lines); median of %d "
	       "rounds x %d operations\n\n",
	       sizeof(offer) - 1, ROUNDS, BATCH);
	parse = median_ns(r, 0);
	full = median_ns(r, 1);
	printf("%-44s %10s %12s\n", "operation", "ns/op", "ops/s");
	printf("%-44s %10.0f %12.0f\n", "parse the offer (SDP)", parse, 1e9 / parse);
	printf("%-44s %10.0f %12.0f\n", "parse + answer (decide, fresh key, build)", full,
	       1e9 / full);
	printf("\nper signaling thread: %.0f offers answered per second\n", 1e9 / full);
	cl_sdes_leg_wipe(&r->leg);
	free(r);
	return 0;
}
