/* `cipherline srtp protect|unprotect`: the operator's SRTP/SRTCP tool.
 *
 * Packets come on stdin as hex, one per line, and each result goes to stdout as
 * lowercase hex on its own line, in the same order, so a script can pair them. A
 * packet that fails prints "ERR <reason>" instead and the exit status becomes 1.
 * One session serves the whole run, so replays and the ROC behave as on the wire.
 * Key material is never printed, and it is wiped once the session holds it. */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "cli.h"
#include "srtp/srtp.h"

#define CMD "srtp"
#define LINE_MAX_LEN 65536            /* hex characters per line, without \r\n */
#define PKT_MAX (LINE_MAX_LEN / 2)
#define PKT_CAP (PKT_MAX + CL_SRTP_MAX_TRAILER)
#define KEY_BUF 64                     /* more than any suite's key ‖ salt */
#define LIFETIME_MAX (UINT64_C(1) << 48) /* RFC 3711 §9.2: 2^48 SRTP packets */
#define KDR_LOG2_MAX 24                /* RFC 4568 §6.3.1: KDR=1..24 */

struct srtp_args {
	bool have_action;
	bool protect;
	bool rtcp;
	const struct cl_srtp_suite *suite;
	char *key;                     /* in argv; wiped once decoded */
	uint32_t roc;
	unsigned window;
	uint32_t kdr;
	uint64_t lifetime;
	bool have_lifetime;
	bool have_mki;
	size_t mki_len;
	uint8_t mki[CL_SRTP_MAX_MKI_LEN];
	bool unencrypted_srtp;
	bool unencrypted_srtcp;
	bool unauthenticated_srtp;
};

/* ---- option setters ---- */

static void list_suites(FILE *f, bool with_lengths)
{
	for (int i = 0; i < CL_SRTP_SUITE_COUNT; i++) {
		const struct cl_srtp_suite *su = cl_srtp_suite_get((enum cl_srtp_suite_id)i);

		if (!su)
			continue;
		if (with_lengths)
			fprintf(f, "  %-26s key+salt %2u bytes\n", su->name,
				su->key_len + su->salt_len);
		else
			fprintf(f, "%s%s", i ? ", " : "", su->name);
	}
}

static int set_suite(void *ctx, const char *opt, const char *val)
{
	struct srtp_args *a = ctx;

	a->suite = cl_srtp_suite_find(val, strlen(val));
	if (a->suite)
		return 0;
	fprintf(stderr, "cipherline " CMD ": %s: unknown suite '%s'; valid suites: ", opt, val);
	list_suites(stderr, false);
	fputc('\n', stderr);
	return CL_EXIT_USAGE;
}

static int set_key(void *ctx, const char *opt, const char *val)
{
	struct srtp_args *a = ctx;

	a->key = (char *)val; /* argv strings are writable; we wipe it after use */
	return 0;
}

static int set_rtcp(void *ctx, const char *opt, const char *val)
{
	((struct srtp_args *)ctx)->rtcp = true;
	return 0;
}

static int set_roc(void *ctx, const char *opt, const char *val)
{
	uint64_t v;
	int err = cl_cli_parse_u64(CMD, opt, val, 0, UINT32_MAX, &v);

	if (!err)
		((struct srtp_args *)ctx)->roc = (uint32_t)v;
	return err;
}

static int set_window(void *ctx, const char *opt, const char *val)
{
	uint64_t v;
	int err = cl_cli_parse_u64(CMD, opt, val, CL_SRTP_WINDOW_MIN, CL_SRTP_WINDOW_MAX, &v);

	if (!err)
		((struct srtp_args *)ctx)->window = (unsigned)v;
	return err;
}

/* RFC 4568 §6.3.1: KDR=n means a key derivation rate of 2^n, n in 1..24. We also
 * take 0 for "derive once" (RFC 3711 §4.3.1 key_derivation_rate 0, the default). */
static int set_kdr(void *ctx, const char *opt, const char *val)
{
	uint64_t v;
	int err = cl_cli_parse_u64(CMD, opt, val, 0, KDR_LOG2_MAX, &v);

	if (!err)
		((struct srtp_args *)ctx)->kdr = v ? UINT32_C(1) << v : 0;
	return err;
}

/* RFC 4568 §6.1 lifetime = ["2^"] 1*DIGIT, a count of packets. */
static int parse_lifetime(struct srtp_args *a, const char *opt, const char *s)
{
	uint64_t v;
	int err;

	if (a->have_lifetime) {
		cl_cli_err(CMD, "%s: the lifetime is given twice (--lifetime and --key)", opt);
		return CL_EXIT_USAGE;
	}
	if (strncmp(s, "2^", 2) == 0) {
		err = cl_cli_parse_u64(CMD, opt, s + 2, 1, 48, &v);
		if (!err)
			v = UINT64_C(1) << v;
	} else {
		err = cl_cli_parse_u64(CMD, opt, s, 1, LIFETIME_MAX, &v);
	}
	if (err)
		return err;
	a->lifetime = v;
	a->have_lifetime = true;
	return 0;
}

static int set_lifetime(void *ctx, const char *opt, const char *val)
{
	return parse_lifetime(ctx, opt, val);
}

/* RFC 4568 §6.1 mki = mki-value ":" mki-length: a decimal value sent big-endian in
 * mki-length bytes (1..128). */
static int parse_mki(struct srtp_args *a, const char *opt, const char *s)
{
	const char *colon = strchr(s, ':');
	char num[24];
	uint64_t v, len;
	size_t n;

	if (a->have_mki) {
		cl_cli_err(CMD, "%s: the MKI is given twice (--mki and --key)", opt);
		return CL_EXIT_USAGE;
	}
	n = colon ? (size_t)(colon - s) : 0;
	if (!colon || n == 0 || n >= sizeof(num)) {
		cl_cli_err(CMD, "%s: '%s' is not VALUE:LENGTH (e.g. 1:4)", opt, s);
		return CL_EXIT_USAGE;
	}
	memcpy(num, s, n);
	num[n] = '\0';
	if (cl_cli_parse_u64(CMD, opt, num, 0, UINT64_MAX, &v) ||
	    cl_cli_parse_u64(CMD, opt, colon + 1, 1, CL_SRTP_MAX_MKI_LEN, &len))
		return CL_EXIT_USAGE;
	if (len < 8 && v >> (8 * len)) {
		cl_cli_err(CMD, "%s: MKI value %s does not fit in %u byte(s)", opt, num,
			   (unsigned)len);
		return CL_EXIT_USAGE;
	}
	memset(a->mki, 0, sizeof(a->mki));
	for (size_t i = 0; i < len && i < 8; i++)
		a->mki[len - 1 - i] = (uint8_t)(v >> (8 * i));
	a->mki_len = (size_t)len;
	a->have_mki = true;
	return 0;
}

static int set_mki(void *ctx, const char *opt, const char *val)
{
	return parse_mki(ctx, opt, val);
}

static int set_unenc_srtp(void *ctx, const char *opt, const char *val)
{
	((struct srtp_args *)ctx)->unencrypted_srtp = true;
	return 0;
}

static int set_unenc_srtcp(void *ctx, const char *opt, const char *val)
{
	((struct srtp_args *)ctx)->unencrypted_srtcp = true;
	return 0;
}

static int set_unauth_srtp(void *ctx, const char *opt, const char *val)
{
	((struct srtp_args *)ctx)->unauthenticated_srtp = true;
	return 0;
}

static int set_action(void *ctx, const char *word)
{
	struct srtp_args *a = ctx;

	if (a->have_action) {
		cl_cli_err(CMD, "unexpected argument '%s'", word);
		return CL_EXIT_USAGE;
	}
	if (strcmp(word, "protect") != 0 && strcmp(word, "unprotect") != 0) {
		cl_cli_err(CMD, "unknown action '%s'; use protect or unprotect", word);
		return CL_EXIT_USAGE;
	}
	a->protect = word[0] == 'p';
	a->have_action = true;
	return 0;
}

static const struct cl_cli_opt g_opts[] = {
	{ "--suite", "NAME", "SDES suite name (see below)", set_suite },
	{ "--key", "BASE64", "key||salt as after inline: in a=crypto", set_key },
	{ "--rtcp", NULL, "packets are RTCP/SRTCP instead of RTP/SRTP", set_rtcp },
	{ "--roc", "N", "initial ROC of every SSRC (0..4294967295)", set_roc },
	{ "--window", "N", "replay window in packets (64..32768, default 128)", set_window },
	{ "--mki", "VALUE:LEN", "MKI as in a=crypto, e.g. 1:4 (LEN 1..128 bytes)", set_mki },
	{ "--kdr", "N", "KDR=N: key derivation rate 2^N (1..24; 0 = none)", set_kdr },
	{ "--lifetime", "N|2^N", "master key lifetime in packets", set_lifetime },
	{ "--unencrypted-srtp", NULL, "UNENCRYPTED_SRTP", set_unenc_srtp },
	{ "--unencrypted-srtcp", NULL, "UNENCRYPTED_SRTCP", set_unenc_srtcp },
	{ "--unauthenticated-srtp", NULL, "UNAUTHENTICATED_SRTP", set_unauth_srtp },
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cipherline srtp protect|unprotect --suite NAME --key BASE64 [options]\n\n"
		"Reads packets as hex on stdin, one per line, and writes each result as hex\n"
		"on stdout, one line per input line in the same order. A packet that fails\n"
		"prints \"ERR <reason>\" (auth, replay, short, mki, exhausted, hex, long) and\n"
		"the exit status is then 1. One session serves the whole run, so replays and\n"
		"the ROC behave as on the wire.\n\n"
		"The key may be padded or unpadded base64, and may be given as the whole SDES\n"
		"key-params: inline:KEY[|LIFETIME][|MKI:LEN].\n\n"
		"options:\n");
	cl_cli_print_opts(f, g_opts, CL_ARRAY_SIZE(g_opts));
	fprintf(f, "\nsuites:\n");
	list_suites(f, true);
	fprintf(f, "\nexit status: 0 all packets done, 1 some packet failed, 2 usage error\n");
}

/* ---- the key: inline:BASE64[|lifetime][|mki:len] (RFC 4568 §6.1 key-info) ---- */

static int key_params(struct srtp_args *a, const char *p)
{
	while (*p == '|') {
		const char *next = strchr(p + 1, '|');
		size_t n = next ? (size_t)(next - p - 1) : strlen(p + 1);
		char seg[64];
		int err;

		if (n == 0 || n >= sizeof(seg)) {
			cl_cli_err(CMD, "--key: bad lifetime or MKI after '|'");
			return CL_EXIT_USAGE;
		}
		memcpy(seg, p + 1, n);
		seg[n] = '\0';
		err = strchr(seg, ':') ? parse_mki(a, "--key", seg)
				       : parse_lifetime(a, "--key", seg);
		if (err)
			return err;
		p += 1 + n;
	}
	return 0;
}

/* Decodes the key into out (suite->key_len + salt_len bytes), never echoing it. */
static int key_decode(struct srtp_args *a, uint8_t *out, size_t cap)
{
	const struct cl_srtp_suite *su = a->suite;
	const char *b64 = a->key;
	size_t need = (size_t)su->key_len + su->salt_len, n = 0, b64len;
	int err;

	if (strncmp(b64, "inline:", 7) == 0)
		b64 += 7;
	b64len = strcspn(b64, "|");
	err = key_params(a, b64 + b64len);
	if (err)
		return err;
	err = cl_base64_decode((struct cl_slice){ b64, b64len }, out, cap, &n);
	if (err == EBADMSG) {
		cl_cli_err(CMD, "--key: not valid base64");
		return CL_EXIT_USAGE;
	}
	if (err || n != need) {
		cl_cli_err(CMD, "--key: decodes to %s%zu bytes; %s needs %zu (%u-byte key + "
			   "%u-byte salt)", err ? "more than " : "", err ? cap : n, su->name,
			   need, su->key_len, su->salt_len);
		return CL_EXIT_USAGE;
	}
	return 0;
}

static int args_check(const struct srtp_args *a)
{
	if (!a->have_action) {
		cl_cli_err(CMD, "missing action: protect or unprotect (see --help)");
		return CL_EXIT_USAGE;
	}
	if (!a->suite) {
		cl_cli_err(CMD, "missing --suite");
		return CL_EXIT_USAGE;
	}
	if (!a->key) {
		cl_cli_err(CMD, "missing --key");
		return CL_EXIT_USAGE;
	}
	return 0;
}

/* Builds the session from the arguments; wipes the key wherever it was. */
static int session_open(struct srtp_args *a, struct cl_srtp **sp)
{
	uint8_t key[KEY_BUF];
	struct cl_srtp_master_key mk = { 0 };
	struct cl_srtp_params prm = { 0 };
	int err = key_decode(a, key, sizeof(key));

	cl_wipe(a->key, strlen(a->key)); /* hide it from /proc/PID/cmdline too */
	if (err)
		goto out;
	mk.key_salt = key;
	mk.mki = a->have_mki ? a->mki : NULL;
	mk.mki_len = a->have_mki ? a->mki_len : 0;
	mk.lifetime = a->lifetime;
	prm.suite = a->suite;
	prm.keys = &mk;
	prm.nkeys = 1;
	prm.kdr = a->kdr;
	prm.unencrypted_srtp = a->unencrypted_srtp;
	prm.unencrypted_srtcp = a->unencrypted_srtcp;
	prm.unauthenticated_srtp = a->unauthenticated_srtp;
	prm.window = a->window;
	prm.roc = a->roc;
	err = cl_srtp_alloc(sp, &prm);
	if (err) {
		cl_cli_err(CMD, "cannot create the session: %s",
			   err == EINVAL ? "parameters refused (see above)" : "out of memory");
		err = CL_EXIT_USAGE;
	}
out:
	cl_wipe(key, sizeof(key));
	return err;
}

/* ---- the packet pump ---- */

typedef int(xform_h)(struct cl_srtp *s, uint8_t *pkt, size_t *len, size_t cap);

static int rtp_protect(struct cl_srtp *s, uint8_t *pkt, size_t *len, size_t cap)
{
	return cl_srtp_protect(s, pkt, len, cap);
}

static int rtp_unprotect(struct cl_srtp *s, uint8_t *pkt, size_t *len, size_t cap)
{
	return cl_srtp_unprotect(s, pkt, len);
}

static int rtcp_protect(struct cl_srtp *s, uint8_t *pkt, size_t *len, size_t cap)
{
	return cl_srtcp_protect(s, pkt, len, cap);
}

static int rtcp_unprotect(struct cl_srtp *s, uint8_t *pkt, size_t *len, size_t cap)
{
	return cl_srtcp_unprotect(s, pkt, len);
}

static xform_h *const g_xform[2][2] = {
	/* [rtcp][protect] */
	{ rtp_unprotect, rtp_protect },
	{ rtcp_unprotect, rtcp_protect },
};

struct pump {
	struct cl_srtp *s;
	xform_h *xform;
	char line[LINE_MAX_LEN + 1];   /* room for a trailing \r */
	uint8_t pkt[PKT_CAP];
	char out[2 * PKT_CAP + 1];
};

/* Reads one line into buf, keeping at most cap bytes; *len gets the full length
 * (which may exceed cap). Returns false at end of input with nothing read. */
static bool read_line(FILE *in, char *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	int c;

	while ((c = getc(in)) != EOF && c != '\n') {
		if (n < cap)
			buf[n] = (char)c;
		if (n < SIZE_MAX)
			n++;
	}
	if (c == EOF && n == 0)
		return false;
	if (n > 0 && n <= cap && buf[n - 1] == '\r')
		n--;
	*len = n;
	return true;
}

/* Handles one input line: writes the result or "ERR reason". Returns true on success. */
static bool pump_line(struct pump *p, size_t n, FILE *out)
{
	const char *why = NULL;
	size_t len = 0;
	int err;

	if (n > LINE_MAX_LEN)
		why = "long";
	else if (cl_hex_decode((struct cl_slice){ p->line, n }, p->pkt, PKT_MAX, &len))
		why = "hex";
	else if (len > 0 && (err = p->xform(p->s, p->pkt, &len, sizeof(p->pkt))) != 0)
		why = cl_srtp_strerror(err);
	if (why) {
		fprintf(out, "ERR %s\n", why);
		return false;
	}
	cl_hex_encode(p->pkt, len, p->out, sizeof(p->out));
	fputs(p->out, out);
	fputc('\n', out);
	return true;
}

static int pump_run(struct pump *p, FILE *in, FILE *out)
{
	bool failed = false;
	size_t n;

	while (read_line(in, p->line, sizeof(p->line), &n)) {
		if (!pump_line(p, n, out))
			failed = true;
		/* Flush per line so the tool works interactively and in pipelines. */
		if (fflush(out) != 0) {
			cl_cli_err(CMD, "cannot write the output");
			return CL_EXIT_FAIL;
		}
	}
	if (ferror(in)) {
		cl_cli_err(CMD, "cannot read the input");
		return CL_EXIT_FAIL;
	}
	return failed ? CL_EXIT_FAIL : CL_EXIT_OK;
}

int cl_cli_srtp(int argc, char **argv)
{
	struct srtp_args a = { 0 };
	struct pump *p = NULL;
	int rc = cl_cli_parse(CMD, g_opts, CL_ARRAY_SIZE(g_opts), argc, argv, &a, set_action);

	if (rc == CL_CLI_HELP) {
		usage(stdout);
		return CL_EXIT_OK;
	}
	if (rc || (rc = args_check(&a)) != 0)
		return rc;
	p = calloc(1, sizeof(*p));
	if (!p) {
		cl_cli_err(CMD, "out of memory");
		return CL_EXIT_FAIL;
	}
	rc = session_open(&a, &p->s);
	if (rc)
		goto out;
	p->xform = g_xform[a.rtcp][a.protect];
	rc = pump_run(p, stdin, stdout);
out:
	cl_srtp_free(p->s);
	free(p);
	return rc;
}
