/* libFuzzer target: the SDES answer engine on fuzzed offers (issue 3 §6).
 * The first byte picks the settings (mode, order, TLS, emission); the rest is the offer.
 * Whatever is accepted must build into an SDP that parses again, whose a=crypto lines
 * are all ours and usable. The leg must hold a stream exactly for each m-line of an
 * accepted offer, and nothing after a refused one; the same offer is then answered
 * again as a re-offer on the same leg. */
#include <stdlib.h>
#include <string.h>

#include "sdes/sdes.h"

struct state {
	struct cl_sdp offer, out;
	struct cl_sdp_edit edit;
	struct cl_sdes_leg leg;
	char text[CL_SDP_MAX_SIZE + 1];
	char built[3 * CL_SDP_MAX_SIZE];
};

static void settings(uint8_t b, struct cl_sdes_settings *set)
{
	cl_sdes_settings_default(set);
	set->mode = (enum cl_sdes_mode)(b % 3);
	set->order = (b & 4) ? CL_SDES_ORDER_OURS : CL_SDES_ORDER_OFFERER;
	set->requires_tls = (b & 8) != 0;
	if (b & 16) {
		set->emit_lifetime = 1ULL << 31;
		set->emit_mki_len = (uint8_t)(1 + (b >> 6));
	}
	if (b & 32)
		set->nsuites = 3;
}

static void check_output(struct state *st, size_t len)
{
	struct cl_sdp_error err;
	struct cl_slice val;

	if (cl_sdp_parse(&st->out, st->built, len, &err) != 0)
		abort(); /* we built something we cannot parse */
	for (size_t m = 0; m < st->out.nmedia; m++) {
		size_t cur = 0;

		while (cl_sdp_attr_next(&st->out, m, "crypto", &cur, &val)) {
			struct cl_sdes_crypto c;

			if (cl_sdes_parse(&c, val) != 0 || !c.usable)
				abort(); /* every line we write must be usable */
			cl_sdes_crypto_wipe(&c);
		}
	}
}

/* st[m] is allocated exactly for m < nstreams. */
static void check_leg(const struct cl_sdes_leg *leg, size_t want)
{
	if (leg->nstreams != want)
		abort();
	for (size_t m = 0; m < CL_SDP_MAX_MEDIA; m++) {
		if ((leg->st[m] != NULL) != (m < want))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct state *st;
	struct cl_sdes_settings set;
	struct cl_sdes_decision v;
	struct cl_sdp_error err;
	size_t len;

	if (size < 1 || size - 1 > CL_SDP_MAX_SIZE)
		return 0;
	if (!st && !(st = calloc(1, sizeof(*st))))
		return 0;
	settings(data[0], &set);
	memcpy(st->text, data + 1, size - 1);
	if (cl_sdp_parse(&st->offer, st->text, size - 1, &err) != 0)
		return 0;
	cl_sdes_leg_wipe(&st->leg);
	cl_sdp_edit_init(&st->edit, &st->offer);
	if (cl_sdes_answer(&set, (data[0] & 128) != 0, &st->offer, &st->leg, &st->edit, &v) != 0)
		return 0;
	if (v.outcome == CL_SDES_REJECT_SESSION) {
		check_leg(&st->leg, 0); /* a refused offer allocates nothing */
		return 0;
	}
	check_leg(&st->leg, st->offer.nmedia);
	if (cl_sdp_edit_build(&st->edit, st->built, sizeof(st->built), &len) == 0)
		check_output(st, len);
	/* The same offer again: a re-offer is accepted the same way, reusing the streams. */
	cl_sdp_edit_init(&st->edit, &st->offer);
	if (cl_sdes_answer(&set, (data[0] & 128) != 0, &st->offer, &st->leg, &st->edit, &v) != 0)
		return 0;
	if (v.outcome == CL_SDES_REJECT_SESSION)
		abort();
	check_leg(&st->leg, st->offer.nmedia);
	return 0;
}
