/* `cipherline sdp answer`: what the edge would answer to an SDP offer, as far as SDES
 * goes (issue 3 §5), without placing a call.
 *
 * One offer comes on stdin. The policy of one direction of one connection comes from
 * flags. The SDES engine (cl_sdes_answer) decides; the tool prints the answer SDP
 * with fresh keys (exit 0), or "488 <reason>" (exit 3), or the offer's parse error
 * naming its line (exit 2). With --verbose it explains each m-line on stderr, never
 * with key material. Every buffer that held a key is wiped before exit. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "cli.h"
#include "sdes/sdes.h"
#include "sdp/sdp.h"

#define CMD "sdp"
#define LIFETIME_MAX (UINT64_C(1) << 48) /* RFC 4568 §6.1, RFC 3711 §9.2: 2^48 packets */
#define OUT_CAP (2 * CL_SDP_MAX_SIZE + CL_SDP_EDIT_ARENA) /* LF->CRLF plus our lines */

enum transport { TR_UDP, TR_TCP, TR_TLS };
static const char *const g_transport[] = { "udp", "tcp", "tls" };
static const char *const g_mode[] = {
	[CL_SDES_OFF] = "off", [CL_SDES_OPTIONAL] = "optional", [CL_SDES_REQUIRED] = "required"
};
static const char *const g_order[] = {
	[CL_SDES_ORDER_OFFERER] = "offerer", [CL_SDES_ORDER_OURS] = "ours"
};

struct answer_args {
	struct cl_sdes_settings set;
	enum transport transport;
	bool verbose;
	const char *config_opt; /* the first of -c/--connection/--direction given */
};

/* Everything that may hold key material, in one heap block wiped as a whole (the leg's
 * streams are blocks of their own, wiped and freed by cl_sdes_leg_wipe). */
struct work {
	struct cl_sdp sdp;
	struct cl_sdp_edit edit;
	struct cl_sdes_leg leg;
	struct cl_sdes_decision v;
	char in[CL_SDP_MAX_SIZE + 1];
	char out[OUT_CAP];
};

/* ---- option setters ---- */

/* Matches val against names[0..n); returns the index or -1 after an error naming opt. */
static int pick_word(const char *opt, const char *val, const char *const *names, size_t n,
		     const char *valid)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(val, names[i]) == 0)
			return (int)i;
	cl_cli_err(CMD, "%s: '%s' is not one of %s", opt, val, valid);
	return -1;
}

static int set_srtp(void *ctx, const char *opt, const char *val)
{
	int i = pick_word(opt, val, g_mode, CL_ARRAY_SIZE(g_mode), "required, optional, off");

	if (i < 0)
		return CL_EXIT_USAGE;
	((struct answer_args *)ctx)->set.mode = (enum cl_sdes_mode)i;
	return 0;
}

static int set_order(void *ctx, const char *opt, const char *val)
{
	int i = pick_word(opt, val, g_order, CL_ARRAY_SIZE(g_order), "offerer, ours");

	if (i < 0)
		return CL_EXIT_USAGE;
	((struct answer_args *)ctx)->set.order = (enum cl_sdes_order)i;
	return 0;
}

static int set_transport(void *ctx, const char *opt, const char *val)
{
	int i = pick_word(opt, val, g_transport, CL_ARRAY_SIZE(g_transport), "udp, tcp, tls");

	if (i < 0)
		return CL_EXIT_USAGE;
	((struct answer_args *)ctx)->transport = (enum transport)i;
	return 0;
}

static bool suite_allowed(const struct cl_sdes_settings *set, const struct cl_srtp_suite *su)
{
	for (size_t i = 0; su && i < set->nsuites; i++)
		if (set->suites[i] == su->id)
			return true;
	return false;
}

static void list_suite_names(FILE *f)
{
	for (int i = 0; i < CL_SRTP_SUITE_COUNT; i++) {
		const struct cl_srtp_suite *su = cl_srtp_suite_get((enum cl_srtp_suite_id)i);

		if (su)
			fprintf(f, "%s%s", i ? ", " : "", su->name);
	}
}

/* Looks up one name of the list, ignoring case (suite names are A-Z, 0-9 and '_'). */
static const struct cl_srtp_suite *suite_lookup(const char *p, size_t n)
{
	char name[48];

	if (n == 0 || n >= sizeof(name))
		return NULL;
	for (size_t i = 0; i < n; i++)
		name[i] = (p[i] >= 'a' && p[i] <= 'z') ? (char)(p[i] - 'a' + 'A') : p[i];
	return cl_srtp_suite_find(name, n);
}

/* --suites A,B,C: the allowed suites, in our order (used by --order ours). */
static int set_suites(void *ctx, const char *opt, const char *val)
{
	struct cl_sdes_settings *set = &((struct answer_args *)ctx)->set;
	const char *p = val;

	set->nsuites = 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		const struct cl_srtp_suite *su = suite_lookup(p, n);

		if (!su) {
			fprintf(stderr, "cipherline " CMD ": %s: %s '%.*s'; valid suites: ", opt,
				n ? "unknown suite" : "empty name in", n ? (int)n : (int)strlen(val),
				n ? p : val);
			list_suite_names(stderr);
			fputc('\n', stderr);
			return CL_EXIT_USAGE;
		}
		for (size_t i = 0; i < set->nsuites; i++) {
			if (set->suites[i] == su->id) {
				cl_cli_err(CMD, "%s: %s is listed twice", opt, su->name);
				return CL_EXIT_USAGE;
			}
		}
		set->suites[set->nsuites++] = su->id; /* no duplicates: fits CL_SRTP_SUITE_COUNT */
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

/* RFC 4568 §6.1 lifetime = ["2^"] 1*DIGIT, a count of packets. */
static int set_lifetime(void *ctx, const char *opt, const char *val)
{
	uint64_t v;
	int err;

	if (strncmp(val, "2^", 2) == 0) {
		err = cl_cli_parse_u64(CMD, opt, val + 2, 1, 48, &v);
		v = UINT64_C(1) << (err ? 0 : v);
	} else {
		err = cl_cli_parse_u64(CMD, opt, val, 1, LIFETIME_MAX, &v);
	}
	if (!err)
		((struct answer_args *)ctx)->set.emit_lifetime = v;
	return err;
}

/* The MKI we write is value 1 in N bytes (RFC 4568 §6.1 "1:N"); 0 writes none. */
static int set_mki_len(void *ctx, const char *opt, const char *val)
{
	uint64_t v;
	int err = cl_cli_parse_u64(CMD, opt, val, 0, CL_SRTP_MAX_MKI_LEN, &v);

	if (!err)
		((struct answer_args *)ctx)->set.emit_mki_len = (uint8_t)v;
	return err;
}

static int set_verbose(void *ctx, const char *opt, const char *val)
{
	((struct answer_args *)ctx)->verbose = true;
	return 0;
}

/* -c, --connection, --direction: parsed now, refused after parsing (see --help). */
static int set_config(void *ctx, const char *opt, const char *val)
{
	struct answer_args *a = ctx;

	if (strcmp(opt, "--direction") == 0 && strcmp(val, "inbound") != 0 &&
	    strcmp(val, "outbound") != 0) {
		cl_cli_err(CMD, "%s: '%s' is not one of inbound, outbound", opt, val);
		return CL_EXIT_USAGE;
	}
	if (!a->config_opt)
		a->config_opt = opt;
	return 0;
}

static const struct cl_cli_opt g_opts[] = {
	{ "--srtp", "MODE", "required (default), optional or off", set_srtp },
	{ "--suites", "NAME,NAME,...", "allowed suites, in our order (default: see below)",
	  set_suites },
	{ "--order", "offerer|ours", "whose order picks the suite (default offerer)", set_order },
	{ "--transport", "udp|tcp|tls", "how the offer arrived (default tls)", set_transport },
	{ "--lifetime", "N|2^N", "lifetime to write on our a=crypto line", set_lifetime },
	{ "--mki-len", "N", "write MKI 1 in N bytes (1..128; 0 = none)", set_mki_len },
	{ "--verbose", NULL, "explain each m-line on stderr (never keys)", set_verbose },
	{ "-c", "FILE", "configuration file (not yet: see below)", set_config },
	{ "--connection", "NAME", "connection in FILE (not yet)", set_config },
	{ "--direction", "DIR", "inbound or outbound (not yet)", set_config },
};

/* ---- help ---- */

static void usage_verbs(FILE *f)
{
	fprintf(f, "usage: cipherline sdp VERB [options]\n\n"
		   "verbs:\n"
		   "  answer    read an SDP offer on stdin; print the answer with fresh SDES\n"
		   "            keys, or \"488 <reason>\" when the offer would be refused\n\n"
		   "See cipherline sdp answer --help.\n");
}

static void suite_help_line(FILE *f, const char *num, const struct cl_srtp_suite *su)
{
	fprintf(f, "  %2s  %s", num, su->name);
	for (size_t k = 0; k < CL_ARRAY_SIZE(su->aliases) && su->aliases[k]; k++)
		fprintf(f, "%s%s", k ? ", " : " (alias ", su->aliases[k]);
	fprintf(f, "%s\n", su->aliases[0] ? ")" : "");
}

/* The default list in its order, numbered, then the suites only --suites allows. */
static void list_suites_help(FILE *f)
{
	struct cl_sdes_settings def;
	char num[24];

	cl_sdes_settings_default(&def);
	for (size_t k = 0; k < def.nsuites; k++) {
		snprintf(num, sizeof(num), "%zu", k + 1);
		suite_help_line(f, num, cl_srtp_suite_get(def.suites[k]));
	}
	for (int i = 0; i < CL_SRTP_SUITE_COUNT; i++) {
		const struct cl_srtp_suite *su = cl_srtp_suite_get((enum cl_srtp_suite_id)i);

		if (su && !suite_allowed(&def, su))
			suite_help_line(f, "-", su);
	}
}

static void usage_answer(FILE *f)
{
	fprintf(f,
		"usage: cipherline sdp answer [options] < offer.sdp\n\n"
		"Reads one SDP offer (at most %d bytes) on stdin and shows what cipherline\n"
		"would answer to it, as far as SDES (RFC 4568 a=crypto) goes, without placing\n"
		"a call:\n"
		"  - the answer SDP with a fresh key from OpenSSL's CSPRNG, on stdout: exit 0;\n"
		"  - or one line \"488 <reason>\" on stdout when the offer is refused: exit 3;\n"
		"  - or an error naming the offer's line on stderr: exit 2.\n"
		"Only what SDES owns changes: the m= profile and port, and a=crypto. Every other\n"
		"line, addresses and ports included, is echoed from the offer in its order.\n\n"
		"The policy is one direction of one connection. --srtp defaults to required\n"
		"here, since checking an SRTP offer is what the tool is for; a connection in\n"
		"the edge itself has SRTP off unless configured. optional is best effort\n"
		"(RFC 8643): keys are used when usable, plain RTP otherwise. SDES keys are\n"
		"accepted only over TLS, so --transport udp|tcp shows the refusal.\n\n"
		"options:\n",
		CL_SDP_MAX_SIZE);
	cl_cli_print_opts(f, g_opts, CL_ARRAY_SIZE(g_opts));
	fprintf(f, "\nsuites, numbered in the default order (- : allowed only when listed in\n"
		   "--suites); names ignore case and aliases are accepted:\n");
	list_suites_help(f);
	fprintf(f,
		"\n-c FILE --connection NAME --direction inbound|outbound will take the policy\n"
		"from the configuration file. Configuration files arrive with the connections\n"
		"issue; until then these options exit 2: use --srtp/--suites/--order/--transport.\n"
		"\nexit status: 0 answer printed, 1 internal failure, 2 usage or offer error,\n"
		"3 offer refused (488)\n");
}

/* ---- --verbose: one m-line at a time, from the offer and the engine's result ---- */

static bool proto_is(struct cl_slice p, const char *s)
{
	return cl_slice_eq(p, cl_slice_cstr(s));
}

static bool proto_savp(struct cl_slice p)
{
	return proto_is(p, "RTP/SAVP") || proto_is(p, "RTP/SAVPF");
}

static bool proto_dtls(struct cl_slice p)
{
	return proto_is(p, "UDP/TLS/RTP/SAVP") || proto_is(p, "UDP/TLS/RTP/SAVPF");
}

static bool proto_rtp(struct cl_slice p)
{
	return proto_is(p, "RTP/AVP") || proto_is(p, "RTP/AVPF") || proto_savp(p) ||
	       proto_dtls(p);
}

/* What one m-line of the offer shows, gathered the way the engine reads it. */
struct mfacts {
	struct cl_sdes_facts f;
	uint32_t tag[CL_SDES_MAX_LINES];
	bool tagged[CL_SDES_MAX_LINES];
	size_t n;
	char names[120]; /* the usable suites offered, for the reason text */
	char fault[120]; /* else the first unusable line's fault */
};

static bool dup_tag(const struct mfacts *mf, size_t i)
{
	for (size_t j = 0; j < mf->n; j++)
		if (j != i && mf->tagged[j] && mf->tag[j] == mf->tag[i])
			return true;
	return false;
}

/* Prints line i's fate and folds it into the facts. A tag used twice makes both lines
 * unusable (RFC 4568 §9.1: the tag names the line), as in the engine. */
static void explain_crypto(const struct answer_args *a, struct mfacts *mf, size_t i, unsigned ln,
			   struct cl_slice val)
{
	struct cl_sdes_crypto c;
	const char *pre = "cipherline " CMD ":   line";
	int rc = cl_sdes_parse(&c, val);

	if (rc == 0 && c.usable && dup_tag(mf, i)) {
		c.usable = false;
		c.why = "the tag is used twice";
	}
	if (rc) {
		fprintf(stderr, "%s %u: a=crypto unusable: %s\n", pre, ln, c.why ? c.why : "bad tag");
	} else if (!c.usable) {
		fprintf(stderr, "%s %u: a=crypto:%u unusable: %s\n", pre, ln, c.tag,
			c.why ? c.why : "unusable");
		if (!mf->fault[0])
			snprintf(mf->fault, sizeof(mf->fault), "tag %u: %s", c.tag,
				 c.why ? c.why : "unusable");
	} else {
		bool ok = suite_allowed(&a->set, c.suite);
		size_t off = strlen(mf->names);

		mf->f.nusable++;
		mf->f.allowed |= ok;
		if (off + 1 < sizeof(mf->names))
			snprintf(mf->names + off, sizeof(mf->names) - off, "%s%s", off ? ", " : "",
				 c.suite->name);
		fprintf(stderr, "%s %u: a=crypto:%u %s: %s\n", pre, ln, c.tag, c.suite->name,
			ok ? "allowed" : "not among the allowed suites");
	}
	cl_sdes_crypto_wipe(&c);
}

/* Gathers the facts of media section m as the engine sees an offer, listing its lines. */
static void media_facts(const struct answer_args *a, const struct cl_sdp *sdp, size_t m,
			struct mfacts *mf)
{
	const struct cl_sdp_media *md = &sdp->media[m];
	struct cl_slice val;
	size_t cur = 0, i = 0;

	memset(mf, 0, sizeof(*mf));
	mf->f.over_tls = a->transport == TR_TLS;
	mf->f.savp = proto_savp(md->proto);
	mf->f.dtls = proto_dtls(md->proto);
	while (cl_sdp_attr_next(sdp, m, "crypto", &cur, &val)) {
		struct cl_sdes_crypto c;

		mf->f.ncrypto++;
		if (mf->n == CL_SDES_MAX_LINES)
			continue;
		mf->tagged[mf->n] = cl_sdes_parse(&c, val) == 0;
		mf->tag[mf->n++] = c.tag;
		cl_sdes_crypto_wipe(&c);
	}
	for (cur = 0; cl_sdp_attr_next(sdp, m, "crypto", &cur, &val); i++) {
		unsigned ln = sdp->lines[cl_sdp_attr_line(cur)].lineno;

		if (i < CL_SDES_MAX_LINES)
			explain_crypto(a, mf, i, ln, val);
		else
			fprintf(stderr, "cipherline " CMD ":   line %u: a=crypto ignored (more "
				"than %d)\n", ln, CL_SDES_MAX_LINES);
	}
	mf->f.detail = mf->names[0] ? mf->names : mf->fault;
}

static const char *plain_why(const struct answer_args *a, const struct cl_sdes_facts *f)
{
	if (a->set.mode == CL_SDES_OFF)
		return f->ncrypto ? "SRTP is off: the best-effort (RFC 8643) a=crypto is declined"
				  : "SRTP is off and the offer has no a=crypto";
	if (f->ncrypto == 0)
		return "the offer has no a=crypto and SRTP is optional";
	if (a->set.requires_tls && !f->over_tls)
		return "the keys did not arrive over TLS: best effort falls back to plain RTP";
	return "no usable, allowed suite: best effort falls back to plain RTP";
}

/* The verdict line of one m-line: the engine's outcome when it answered, else ours. */
static void explain_verdict(const struct answer_args *a, const struct work *w, size_t m,
			    const struct cl_sdes_facts *f)
{
	const struct cl_sdes_stream *st = m < w->leg.nstreams ? w->leg.st[m] : NULL;
	struct cl_sdes_decision d;
	const char *pre = "cipherline " CMD ": ";

	cl_sdes_decide(&a->set, f, &d);
	if (d.outcome == CL_SDES_REJECT_SESSION)
		fprintf(stderr, "%s  -> refuses the session (rule %d): %s\n", pre, d.rule, d.reason);
	else if (d.outcome == CL_SDES_REJECT_STREAM)
		fprintf(stderr, "%s  -> rejected with port 0: %s\n", pre, d.reason);
	else if (w->v.outcome != CL_SDES_ACCEPT)
		fprintf(stderr, "%s  -> %s, but the session is refused\n", pre,
			d.srtp ? "SRTP acceptable" : "plain RTP acceptable");
	else if (st && st->srtp && st->local.suite)
		fprintf(stderr, "%s  -> SRTP: answered tag %u %s (%s order)\n", pre, st->local.tag,
			st->local.suite->name, g_order[a->set.order]);
	else
		fprintf(stderr, "%s  -> plain RTP: %s\n", pre, plain_why(a, f));
}

static void explain_media(const struct answer_args *a, const struct work *w, size_t m)
{
	const struct cl_sdp_media *md = &w->sdp.media[m];
	unsigned ln = w->sdp.lines[md->first_line].lineno;
	struct mfacts mf;

	fprintf(stderr, "cipherline " CMD ": m=%.*s (line %u) %.*s port %u\n", (int)md->type.len,
		md->type.p, ln, (int)md->proto.len, md->proto.p, md->port);
	if (!proto_rtp(md->proto)) {
		fprintf(stderr, "cipherline " CMD ":   -> not RTP: answered as offered\n");
		return;
	}
	if (md->port == 0) {
		fprintf(stderr, "cipherline " CMD ":   -> port 0 in the offer: stays rejected\n");
		return;
	}
	media_facts(a, &w->sdp, m, &mf);
	explain_verdict(a, w, m, &mf.f);
}

static void explain(const struct answer_args *a, const struct work *w)
{
	fprintf(stderr, "cipherline " CMD ": policy: --srtp %s --order %s --transport %s%s, "
		"suites ", g_mode[a->set.mode], g_order[a->set.order], g_transport[a->transport],
		a->transport == TR_TLS ? "" : " (SDES needs TLS)");
	for (size_t i = 0; i < a->set.nsuites; i++)
		fprintf(stderr, "%s%s", i ? "," : "", cl_srtp_suite_get(a->set.suites[i])->name);
	fputc('\n', stderr);
	for (size_t m = 0; m < w->sdp.nmedia; m++)
		explain_media(a, w, m);
	if (w->v.outcome == CL_SDES_REJECT_SESSION)
		fprintf(stderr, "cipherline " CMD ": 488: %s\n", w->v.reason);
}

/* ---- the run ---- */

/* Reads all of stdin into w->in. Returns 0 or an exit code after a message. */
static int read_offer(struct work *w, size_t *len)
{
	size_t n = 0, got;

	do {
		got = fread(w->in + n, 1, sizeof(w->in) - n, stdin);
		n += got;
	} while (got > 0 && n < sizeof(w->in));
	if (ferror(stdin)) {
		cl_cli_err(CMD, "cannot read the offer from stdin");
		return CL_EXIT_FAIL;
	}
	if (n > CL_SDP_MAX_SIZE) {
		cl_cli_err(CMD, "offer larger than %d bytes", CL_SDP_MAX_SIZE);
		return CL_EXIT_USAGE;
	}
	if (n == 0) {
		cl_cli_err(CMD, "no offer on stdin (empty input)");
		return CL_EXIT_USAGE;
	}
	*len = n;
	return 0;
}

static int parse_offer(struct work *w, size_t len)
{
	struct cl_sdp_error perr;

	if (cl_sdp_parse(&w->sdp, w->in, len, &perr) == 0)
		return 0;
	if (perr.line)
		cl_cli_err(CMD, "line %u: %s", perr.line, perr.msg);
	else
		cl_cli_err(CMD, "%s", perr.msg[0] ? perr.msg : "not a valid SDP");
	return CL_EXIT_USAGE;
}

/* Prints the decision: the answer SDP, or the 488 line. Returns the exit code. */
static int print_answer(struct work *w)
{
	size_t len = 0;
	int err;

	if (w->v.outcome == CL_SDES_REJECT_SESSION) {
		printf("488 %s\n", w->v.reason);
		return fflush(stdout) == 0 ? CL_EXIT_REFUSED : CL_EXIT_FAIL;
	}
	err = cl_sdp_edit_build(&w->edit, w->out, sizeof(w->out), &len);
	if (err) {
		cl_cli_err(CMD, "cannot build the answer: %s", strerror(err));
		return CL_EXIT_FAIL;
	}
	if (fwrite(w->out, 1, len, stdout) != len || fflush(stdout) != 0) {
		cl_cli_err(CMD, "cannot write the answer");
		return CL_EXIT_FAIL;
	}
	return CL_EXIT_OK;
}

static int answer_run(const struct answer_args *a, struct work *w)
{
	size_t len = 0;
	int rc = read_offer(w, &len), err;

	if (rc || (rc = parse_offer(w, len)) != 0)
		return rc;
	cl_sdp_edit_init(&w->edit, &w->sdp);
	err = cl_sdes_answer(&a->set, a->transport == TR_TLS, &w->sdp, &w->leg, &w->edit, &w->v);
	if (err) {
		cl_cli_err(CMD, "cannot answer: %s", strerror(err));
		return CL_EXIT_FAIL;
	}
	if (a->verbose)
		explain(a, w);
	return print_answer(w);
}

static int answer_cmd(int argc, char **argv)
{
	struct answer_args a = { .transport = TR_TLS };
	struct work *w;
	int rc;

	cl_sdes_settings_default(&a.set);
	a.set.mode = CL_SDES_REQUIRED;
	rc = cl_cli_parse(CMD, g_opts, CL_ARRAY_SIZE(g_opts), argc, argv, &a, NULL);
	if (rc == CL_CLI_HELP) {
		usage_answer(stdout);
		return CL_EXIT_OK;
	}
	if (rc)
		return rc;
	if (a.config_opt) {
		cl_cli_err(CMD, "%s: configuration files arrive with the connections issue; use "
			   "--srtp/--suites/--order/--transport", a.config_opt);
		return CL_EXIT_USAGE;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		cl_cli_err(CMD, "out of memory");
		return CL_EXIT_FAIL;
	}
	rc = answer_run(&a, w);
	/* Our key is in the leg, the edit arena and the output; theirs in the input. */
	cl_sdes_leg_wipe(&w->leg);
	cl_wipe(w, sizeof(*w));
	free(w);
	return rc;
}

int cl_cli_sdp(int argc, char **argv)
{
	if (argc < 2) {
		usage_verbs(stderr);
		return CL_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage_verbs(stdout);
		return CL_EXIT_OK;
	}
	if (strcmp(argv[1], "answer") == 0)
		return answer_cmd(argc - 1, argv + 1);
	if (argv[1][0] == '-')
		cl_cli_err(CMD, "missing verb before '%s' (see cipherline sdp --help)", argv[1]);
	else
		cl_cli_err(CMD, "unknown verb '%s' (see cipherline sdp --help)", argv[1]);
	usage_verbs(stderr);
	return CL_EXIT_USAGE;
}
