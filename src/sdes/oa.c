/* SDES offer/answer over whole SDPs (RFC 3264, RFC 4568 §7, RFC 8643). Sans-I/O:
 * parsed SDP and settings in; SDP edits, per-stream crypto state and a decision out.
 *
 * Each entry point runs in two passes: first every media section is decided, then,
 * only if no section refuses the session, the edits and state changes are applied.
 * So a refused offer or re-offer leaves the leg exactly as it was.
 *
 * A leg's streams are allocated when an exchange first reaches their m-line (between
 * the passes, all or none), so a leg costs a pointer per m-line it never uses, and
 * st[m] is non-NULL exactly for m < nstreams. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sdes.h"

#define MOD "sdes"

/* ---- profiles ---- */

static bool proto_eq(struct cl_slice p, const char *s)
{
	return cl_slice_eq(p, cl_slice_cstr(s));
}

static bool proto_savp(struct cl_slice p)
{
	return proto_eq(p, "RTP/SAVP") || proto_eq(p, "RTP/SAVPF");
}

static bool proto_dtls(struct cl_slice p)
{
	return proto_eq(p, "UDP/TLS/RTP/SAVP") || proto_eq(p, "UDP/TLS/RTP/SAVPF");
}

static bool proto_rtp(struct cl_slice p)
{
	return proto_eq(p, "RTP/AVP") || proto_eq(p, "RTP/AVPF") || proto_savp(p) ||
	       proto_dtls(p);
}

/* Returns RTP/[S]AVP[F], keeping the feedback flavour of the original. */
static const char *proto_for(struct cl_slice orig, bool secure)
{
	bool fb = orig.len > 0 && orig.p[orig.len - 1] == 'F';

	if (secure)
		return fb ? "RTP/SAVPF" : "RTP/SAVP";
	return fb ? "RTP/AVPF" : "RTP/AVP";
}

/* ---- streams on demand ---- */

/* Gives st[0..n) a stream each, allocating the missing ones zeroed; a stream left
 * beyond nstreams is zeroed like a new one. On ENOMEM the streams allocated here are
 * freed again, so the leg's content is as it was. Returns 0 or ENOMEM. */
static int ensure_streams(struct cl_sdes_leg *leg, size_t n)
{
	bool fresh[CL_SDP_MAX_MEDIA] = { false };

	for (size_t m = 0; m < n; m++) {
		if (leg->st[m]) {
			if (m >= leg->nstreams)
				cl_sdes_leg_wipe_stream(leg->st[m]);
			continue;
		}
		leg->st[m] = calloc(1, sizeof(*leg->st[m]));
		if (!leg->st[m]) {
			for (size_t i = 0; i < m; i++) {
				if (fresh[i]) {
					free(leg->st[i]);
					leg->st[i] = NULL;
				}
			}
			return ENOMEM;
		}
		fresh[m] = true;
	}
	return 0;
}

/* Wipes the lines of our pending offer and forgets them. */
static void clear_offered(struct cl_sdes_stream *st)
{
	for (size_t i = 0; i < st->noffered; i++)
		cl_sdes_crypto_wipe(&st->offered[i]);
	st->noffered = 0;
}

/* Wipes and frees the streams from index n on and sets nstreams to n. */
static void drop_streams(struct cl_sdes_leg *leg, size_t n)
{
	for (size_t m = n; m < CL_SDP_MAX_MEDIA; m++) {
		if (leg->st[m]) {
			cl_sdes_leg_wipe_stream(leg->st[m]);
			free(leg->st[m]);
			leg->st[m] = NULL;
		}
	}
	leg->nstreams = n;
}

/* ---- reading a=crypto lines ---- */

struct lines {
	struct cl_sdes_crypto c[CL_SDES_MAX_LINES];
	bool tagged[CL_SDES_MAX_LINES]; /* the tag could be read */
	size_t n;       /* parsed (at most CL_SDES_MAX_LINES) */
	size_t total;   /* present in the section */
	size_t usable;
};

/* Parses the section's a=crypto lines; two lines with one tag are both unusable
 * (RFC 4568 §9.1: the tag identifies the line). */
static void read_lines(const struct cl_sdp *sdp, size_t m, struct lines *l)
{
	struct cl_slice val;
	size_t cur = 0;

	l->n = l->total = l->usable = 0;
	while (cl_sdp_attr_next(sdp, m, "crypto", &cur, &val)) {
		l->total++;
		if (l->n == CL_SDES_MAX_LINES)
			continue;
		l->tagged[l->n] = cl_sdes_parse(&l->c[l->n], val) == 0;
		if (!l->tagged[l->n])
			l->c[l->n].usable = false;
		l->n++;
	}
	for (size_t i = 0; i < l->n; i++) {
		for (size_t j = 0; j < l->n; j++) {
			if (i != j && l->tagged[i] && l->tagged[j] && l->c[i].tag == l->c[j].tag) {
				l->c[i].usable = false;
				snprintf(l->c[i].why_buf, sizeof(l->c[i].why_buf), "duplicate tag %u",
					 l->c[i].tag);
				l->c[i].why = l->c[i].why_buf;
			}
		}
	}
	for (size_t i = 0; i < l->n; i++)
		l->usable += l->c[i].usable;
}

static void wipe_lines(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		cl_sdes_crypto_wipe(&l->c[i]);
}

/* ---- choosing the line to answer ---- */

static bool weakened(const struct cl_sdes_crypto *c)
{
	return c->unencrypted_srtp || c->unencrypted_srtcp || c->unauthenticated_srtp;
}

static bool suite_allowed(const struct cl_sdes_settings *set, const struct cl_srtp_suite *su)
{
	for (size_t i = 0; su && i < set->nsuites; i++) {
		if (set->suites[i] == su->id)
			return true;
	}
	return false;
}

/* A usable line the settings may answer (weakened lines only when allowed). */
static bool acceptable(const struct cl_sdes_settings *set, const struct cl_sdes_crypto *c)
{
	return c->usable && (set->allow_weakened || !weakened(c));
}

/* Names what was offered when nothing could be answered: the usable suites (whole
 * names only, then "and N more"), or the first line's fault. */
static void describe_offered(const struct cl_sdes_settings *set, const struct lines *l,
			     char *detail, size_t dcap)
{
	size_t off = 0, shown = 0, usable = 0;

	detail[0] = '\0';
	for (size_t i = 0; i < l->n; i++) {
		const char *name = l->c[i].usable ? l->c[i].suite->name : NULL;
		size_t need;

		if (!name)
			continue;
		usable++;
		need = strlen(name) + (off ? 2 : 0) + (weakened(&l->c[i]) ? 11 : 0);
		if (off + need + sizeof(" and 99 more") > dcap)
			continue;
		off += (size_t)snprintf(detail + off, dcap - off, "%s%s%s", off ? ", " : "", name,
					!set->allow_weakened && weakened(&l->c[i]) ? " (weakened)" : "");
		shown++;
	}
	if (usable > shown)
		snprintf(detail + off, dcap - off, " and %zu more", usable - shown);
	if (!usable && l->n && l->c[0].why)
		snprintf(detail, dcap, "tag %u: %s", l->c[0].tag, l->c[0].why);
}

/* Returns the index of the line to answer, or -1 with detail explaining why none. */
static int pick_line(const struct cl_sdes_settings *set, const struct lines *l, char *detail,
		     size_t dcap)
{
	if (set->order == CL_SDES_ORDER_OURS) {
		for (size_t k = 0; k < set->nsuites; k++) {
			for (size_t i = 0; i < l->n; i++) {
				if (acceptable(set, &l->c[i]) && l->c[i].suite->id == set->suites[k])
					return (int)i;
			}
		}
	} else {
		for (size_t i = 0; i < l->n; i++) {
			if (acceptable(set, &l->c[i]) && suite_allowed(set, l->c[i].suite))
				return (int)i;
		}
	}
	describe_offered(set, l, detail, dcap);
	return -1;
}

/* True when two lines carry the same suite and key material. */
static bool same_key(const struct cl_sdes_crypto *a, const struct cl_sdes_crypto *b)
{
	return a->suite == b->suite && a->nkeys == b->nkeys && a->nkeys > 0 &&
	       a->keys[0].len == b->keys[0].len &&
	       CRYPTO_memcmp(a->keys[0].key_salt, b->keys[0].key_salt, a->keys[0].len) == 0;
}

/* Copies a parsed line into long-lived state: nothing may point into the SDP text or
 * into the temporary it came from. */
static void keep_line(struct cl_sdes_crypto *dst, const struct cl_sdes_crypto *src)
{
	*dst = *src;
	dst->suite_name = (struct cl_slice){ "", 0 };
	dst->why = NULL;
}

static int append_crypto(struct cl_sdp_edit *e, size_t m, const struct cl_sdes_crypto *c)
{
	char buf[CL_SDES_LINE_MAX];
	size_t len;
	int err = cl_sdes_format(c, buf, sizeof(buf), &len);

	if (!err)
		cl_sdp_edit_append(e, m, "a=crypto:%.*s", (int)len, buf);
	cl_wipe(buf, sizeof(buf));
	return err ? err : e->err;
}

/* ---- answering an offer from the connection ---- */

/* Pass one for a section: the decision and the line to answer (pick, kept in chosen,
 * so pass two does not parse the section again). */
struct plan {
	struct cl_sdes_decision d;
	int pick;
	bool rtp;
	struct cl_sdes_crypto chosen;
};

static void plan_offer_section(const struct cl_sdes_settings *set, bool over_tls,
			       const struct cl_sdp *sdp, size_t m, struct lines *l, struct plan *p)
{
	const struct cl_sdp_media *md = &sdp->media[m];
	struct cl_sdes_facts f = { 0 };
	char detail[120] = "";

	p->rtp = proto_rtp(md->proto);
	p->pick = -1;
	memset(&p->d, 0, sizeof(p->d));
	if (!p->rtp || md->port == 0)
		return; /* not ours, or already rejected by the offerer: answered as is */
	read_lines(sdp, m, l);
	f.over_tls = over_tls;
	f.savp = proto_savp(md->proto);
	f.dtls = proto_dtls(md->proto);
	f.ncrypto = l->total;
	f.nusable = l->usable;
	p->pick = pick_line(set, l, detail, sizeof(detail));
	if (p->pick >= 0)
		p->chosen = l->c[p->pick];
	f.allowed = p->pick >= 0;
	f.detail = detail;
	cl_sdes_decide(set, &f, &p->d);
}

/* Pass two for an accepted SRTP section: our line, re-using the running key when the
 * offerer re-offers the same tag, suite and key (RFC 4568 §7.1.4). */
static int answer_srtp(const struct cl_sdes_settings *set, struct cl_sdes_stream *st,
		       const struct cl_sdes_crypto *theirs)
{
	bool same = st->srtp && same_key(&st->remote, theirs) && st->remote.tag == theirs->tag;
	int err = 0;

	st->new_rx_key = !same;
	st->new_tx_key = !same;
	if (!same) {
		/* A new receive context starts at ROC 0; so must ours, with a fresh key, or
		 * keystream would repeat under the old one. */
		cl_sdes_crypto_wipe(&st->local);
		err = cl_sdes_generate(&st->local, theirs->tag, theirs->suite, set->emit_lifetime,
				       set->emit_mki_len);
		/* RFC 4568 §6.3.3-6.3.5: these are negotiated; accepting means echoing. */
		st->local.unencrypted_srtp = theirs->unencrypted_srtp;
		st->local.unencrypted_srtcp = theirs->unencrypted_srtcp;
		st->local.unauthenticated_srtp = theirs->unauthenticated_srtp;
	}
	cl_sdes_crypto_wipe(&st->remote);
	keep_line(&st->remote, theirs);
	st->srtp = true;
	return err;
}

static int apply_answer_section(const struct cl_sdes_settings *set, const struct cl_sdp *sdp,
				size_t m, const struct plan *p, struct cl_sdes_stream *st,
				struct cl_sdp_edit *e)
{
	const struct cl_sdp_media *md = &sdp->media[m];
	bool was_srtp = st->srtp;
	int err = 0;

	st->rtp = p->rtp;
	clear_offered(st); /* their offer replaces a pending one of ours (glare) */
	/* Every a=crypto line we answer with is ours; a section we do not handle (RFC 4568
	 * keys only SRTP) is answered as offered, but without the offerer's key lines. */
	cl_sdp_edit_drop_attr(e, m, "crypto");
	if (!p->rtp)
		return e->err;
	if (md->port == 0 || p->d.outcome == CL_SDES_REJECT_STREAM || !p->d.srtp) {
		if (md->port == 0 || p->d.outcome == CL_SDES_REJECT_STREAM)
			cl_sdp_edit_port(e, m, 0);
		else if (proto_savp(md->proto))
			cl_sdp_edit_proto(e, m, proto_for(md->proto, false));
		st->srtp = false;
		st->new_tx_key = st->new_rx_key = was_srtp;
		cl_sdes_crypto_wipe(&st->local);
		cl_sdes_crypto_wipe(&st->remote);
		return e->err;
	}
	err = answer_srtp(set, st, &p->chosen);
	if (err)
		return err;
	/* Required: RTP/SAVP even to an RTP/AVP offer, as the carrier answers; best
	 * effort keeps the offer's profile (RFC 8643 §3). */
	if (set->mode == CL_SDES_REQUIRED)
		cl_sdp_edit_proto(e, m, proto_for(md->proto, true));
	return append_crypto(e, m, &st->local);
}

int cl_sdes_answer(const struct cl_sdes_settings *set, bool over_tls, const struct cl_sdp *offer,
		   struct cl_sdes_leg *leg, struct cl_sdp_edit *answer, struct cl_sdes_decision *v)
{
	struct plan plans[CL_SDP_MAX_MEDIA];
	struct lines l;
	size_t live = 0;
	int err = 0;

	l.n = 0; /* a section that is not ours reads no lines */
	memset(v, 0, sizeof(*v));
	for (size_t m = 0; m < offer->nmedia; m++) {
		plan_offer_section(set, over_tls, offer, m, &l, &plans[m]);
		wipe_lines(&l);
		if (plans[m].d.outcome == CL_SDES_REJECT_SESSION) {
			*v = plans[m].d;
			goto out;
		}
		live += plans[m].rtp && offer->media[m].port &&
			plans[m].d.outcome == CL_SDES_ACCEPT;
	}
	if (live == 0) {
		/* Every stream refused: say why the last refused one was. */
		const char *why = "no acceptable RTP media stream";

		for (size_t m = 0; m < offer->nmedia; m++) {
			if (plans[m].d.outcome == CL_SDES_REJECT_STREAM)
				why = plans[m].d.reason;
		}
		v->outcome = CL_SDES_REJECT_SESSION;
		snprintf(v->reason, sizeof(v->reason), "%s", why);
		goto out;
	}
	err = ensure_streams(leg, offer->nmedia);
	if (err)
		goto out;
	for (size_t m = 0; m < offer->nmedia && !err; m++)
		err = apply_answer_section(set, offer, m, &plans[m], leg->st[m], answer);
	drop_streams(leg, offer->nmedia);
	v->outcome = CL_SDES_ACCEPT;
out:
	/* The chosen lines hold the offerer's keys; unset ones are merely zeroed. */
	for (size_t m = 0; m < offer->nmedia; m++)
		cl_sdes_crypto_wipe(&plans[m].chosen);
	return err;
}

/* ---- our offer towards the connection ---- */

static int offer_section(const struct cl_sdes_settings *set, const struct cl_sdp *base, size_t m,
			 bool rekey, struct cl_sdes_stream *st, struct cl_sdp_edit *e)
{
	const struct cl_sdp_media *md = &base->media[m];
	bool secure = set->mode != CL_SDES_OFF;
	int err = 0;

	st->rtp = proto_rtp(md->proto) && !proto_dtls(md->proto);
	clear_offered(st);
	/* Never forward the other leg's keys, not even in a section we leave alone (DTLS,
	 * not RTP): every a=crypto line here is ours. */
	cl_sdp_edit_drop_attr(e, m, "crypto");
	if (!st->rtp)
		return e->err;
	cl_sdp_edit_proto(e, m, proto_for(md->proto, set->mode == CL_SDES_REQUIRED));
	st->offered_savp = set->mode == CL_SDES_REQUIRED;
	if (!secure || md->port == 0)
		return e->err;
	if (st->srtp && !rekey) {
		/* RFC 4568 §7.1.4: re-offer the running line, so nothing is rekeyed. */
		st->offered[0] = st->local;
		st->noffered = 1;
		return append_crypto(e, m, &st->offered[0]);
	}
	for (size_t k = 0; k < set->nsuites && !err; k++) {
		struct cl_sdes_crypto *c = &st->offered[st->noffered];

		err = cl_sdes_generate(c, (uint32_t)k + 1, cl_srtp_suite_get(set->suites[k]),
				       set->emit_lifetime, set->emit_mki_len);
		if (!err)
			err = append_crypto(e, m, c);
		st->noffered++;
	}
	return err;
}

int cl_sdes_offer(const struct cl_sdes_settings *set, const struct cl_sdp *base, bool rekey,
		  struct cl_sdes_leg *leg, struct cl_sdp_edit *offer)
{
	int err = ensure_streams(leg, base->nmedia);

	if (err)
		return err;
	for (size_t m = 0; m < base->nmedia && !err; m++)
		err = offer_section(set, base, m, rekey, leg->st[m], offer);
	drop_streams(leg, base->nmedia);
	return err;
}

/* ---- the connection's answer to our offer ---- */

/* Finds the offered line an answer line refers to; fills detail when it does not fit. */
static int match_offered(const struct cl_sdes_stream *st, const struct lines *l, char *detail,
			 size_t dcap)
{
	const struct cl_sdes_crypto *a = &l->c[0];

	if (l->n != 1) {
		snprintf(detail, dcap, "%zu a=crypto lines (an answer has one)", l->total);
		return -1;
	}
	if (!a->usable) {
		snprintf(detail, dcap, "tag %u: %s", a->tag, a->why ? a->why : "unusable");
		return -1;
	}
	for (size_t i = 0; i < st->noffered; i++) {
		if (st->offered[i].tag != a->tag)
			continue;
		if (st->offered[i].suite != a->suite) {
			snprintf(detail, dcap, "tag %u was offered as %s, answered as %s", a->tag,
				 st->offered[i].suite->name, a->suite->name);
			return -1;
		}
		return (int)i;
	}
	snprintf(detail, dcap, "tag %u was never offered", a->tag);
	return -1;
}

static void plan_answer_section(const struct cl_sdes_settings *set, bool over_tls,
				const struct cl_sdp *sdp, size_t m, const struct cl_sdes_stream *st,
				struct lines *l, struct plan *p)
{
	const struct cl_sdp_media *md = &sdp->media[m];
	struct cl_sdes_facts f = { 0 };
	char detail[120] = "";

	memset(&p->d, 0, sizeof(p->d));
	p->pick = -1;
	p->rtp = st->rtp;
	if (!st->rtp || md->port == 0)
		return;
	read_lines(sdp, m, l);
	f.answer = true;
	f.over_tls = over_tls;
	f.savp = proto_savp(md->proto);
	f.dtls = proto_dtls(md->proto);
	f.ncrypto = l->total;
	f.nusable = l->usable;
	f.we_offered_crypto = st->noffered > 0;
	if (l->total)
		p->pick = match_offered(st, l, detail, sizeof(detail));
	f.allowed = p->pick >= 0;
	f.detail = detail;
	cl_sdes_decide(set, &f, &p->d);
}

static void settle_stream(struct cl_sdes_stream *st, const struct lines *l, const struct plan *p,
			  bool port0)
{
	bool was_srtp = st->srtp;

	if (port0 || !p->d.srtp) {
		st->new_tx_key = st->new_rx_key = was_srtp;
		st->srtp = false;
		cl_sdes_crypto_wipe(&st->local);
		cl_sdes_crypto_wipe(&st->remote);
	} else {
		const struct cl_sdes_crypto *mine = &st->offered[p->pick];
		bool same_tx = was_srtp && same_key(&st->local, mine);
		bool same_rx = was_srtp && same_key(&st->remote, &l->c[0]);

		st->new_tx_key = !same_tx;
		st->new_rx_key = !same_rx;
		if (!same_tx) {
			cl_sdes_crypto_wipe(&st->local);
			st->local = *mine;
		}
		cl_sdes_crypto_wipe(&st->remote);
		keep_line(&st->remote, &l->c[0]);
		st->srtp = true;
	}
	clear_offered(st);
}

int cl_sdes_process_answer(const struct cl_sdes_settings *set, bool over_tls,
			   const struct cl_sdp *answer, struct cl_sdes_leg *leg,
			   struct cl_sdes_decision *v)
{
	struct plan plans[CL_SDP_MAX_MEDIA];
	struct lines l;

	l.n = 0; /* a section that is not ours reads no lines */
	memset(v, 0, sizeof(*v));
	if (answer->nmedia != leg->nstreams) {
		v->outcome = CL_SDES_REJECT_SESSION;
		v->rule = 7;
		snprintf(v->reason, sizeof(v->reason), "the answer has %zu m-lines, the offer had %zu",
			 answer->nmedia, leg->nstreams);
		return 0;
	}
	for (size_t m = 0; m < answer->nmedia; m++) {
		if (!leg->st[m])
			return EINVAL; /* not a leg our offer made */
		plan_answer_section(set, over_tls, answer, m, leg->st[m], &l, &plans[m]);
		wipe_lines(&l);
		if (plans[m].d.outcome == CL_SDES_REJECT_SESSION) {
			*v = plans[m].d;
			return 0;
		}
	}
	for (size_t m = 0; m < answer->nmedia; m++) {
		l.n = 0;
		if (plans[m].rtp && answer->media[m].port)
			read_lines(answer, m, &l);
		if (plans[m].rtp)
			settle_stream(leg->st[m], &l, &plans[m], answer->media[m].port == 0);
		wipe_lines(&l);
	}
	v->outcome = CL_SDES_ACCEPT;
	return 0;
}

void cl_sdes_leg_wipe_stream(struct cl_sdes_stream *st)
{
	if (!st)
		return;
	cl_sdes_crypto_wipe(&st->local);
	cl_sdes_crypto_wipe(&st->remote);
	for (size_t i = 0; i < CL_SRTP_SUITE_COUNT; i++)
		cl_sdes_crypto_wipe(&st->offered[i]);
	memset(st, 0, sizeof(*st));
}

void cl_sdes_leg_wipe(struct cl_sdes_leg *leg)
{
	if (!leg)
		return;
	drop_streams(leg, 0);
	memset(leg, 0, sizeof(*leg));
}
