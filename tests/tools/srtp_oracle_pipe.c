/* srtp_oracle_pipe: `cipherline srtp` with libsrtp2 inside. Test-only: the oracle
 * for tests/cli/srtp_tool.sh.
 *
 *   srtp_oracle_pipe protect|unprotect --suite NAME --key BASE64 [--rtcp] [--roc N]
 *       [--window N] [--mki VALUE:LEN] [--unencrypted-srtp] [--unencrypted-srtcp]
 *       [--unauthenticated-srtp]
 *   srtp_oracle_pipe --version       prints libsrtp2's version string
 *
 * Same line protocol: hex packets on stdin, one per line; results (or "ERR reason")
 * on stdout, one per line. Each SSRC gets its own libsrtp2 stream on first sight so
 * --roc can set its ROC. Caveat of libsrtp2 (srtp_rdbx_estimate_index): once the ROC
 * is set to N > 0, a first packet with SEQ >= 32768 is taken to be in ROC N-1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../srtp_oracle.h"
#include "base/base.h"

#define LINE_MAX_LEN 65536
#define PKT_MAX (LINE_MAX_LEN / 2)
#define MAX_SSRCS 256

struct oracle {
	bool protect, rtcp, have_key, have_mki;
	bool unenc_srtp, unenc_srtcp, unauth_srtp;
	const struct cl_srtp_suite *suite;
	uint8_t key[64];
	uint8_t mki[CL_SRTP_MAX_MKI_LEN];
	size_t mki_len;
	unsigned long roc, window;
	srtp_t ctx;
	uint32_t ssrcs[MAX_SSRCS];
	size_t nssrcs;
};

static int usage_err(const char *msg, const char *what)
{
	fprintf(stderr, "srtp_oracle_pipe: %s%s%s\n", msg, what ? " " : "", what ? what : "");
	return 2;
}

static bool parse_ul(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno == 0 && *end == '\0' && *out <= max;
}

/* RFC 4568 mki-value ":" mki-length, value big-endian in length bytes. */
static bool parse_mki(struct oracle *o, const char *s)
{
	const char *colon = strchr(s, ':');
	unsigned long v, len;
	char num[16];

	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(num))
		return false;
	memcpy(num, s, (size_t)(colon - s));
	num[colon - s] = '\0';
	if (!parse_ul(num, 0xffffffffUL, &v) || !parse_ul(colon + 1, CL_SRTP_MAX_MKI_LEN, &len) ||
	    len == 0)
		return false;
	memset(o->mki, 0, sizeof(o->mki));
	for (size_t i = 0; i < len && i < 4; i++)
		o->mki[len - 1 - i] = (uint8_t)(v >> (8 * i));
	o->mki_len = len;
	o->have_mki = true;
	return true;
}

static int parse_key(struct oracle *o, const char *s)
{
	size_t n = 0;

	if (!o->suite)
		return usage_err("--suite must come before --key", NULL);
	if (strncmp(s, "inline:", 7) == 0)
		s += 7;
	if (cl_base64_decode(cl_slice_cstr(s), o->key, sizeof(o->key), &n) != 0 ||
	    n != (size_t)o->suite->key_len + o->suite->salt_len)
		return usage_err("--key: bad base64 or wrong length for the suite", NULL);
	o->have_key = true;
	return 0;
}

static int parse_opt(struct oracle *o, const char *opt, const char *val)
{
	if (strcmp(opt, "--suite") == 0) {
		o->suite = cl_srtp_suite_find(val, strlen(val));
		if (!o->suite || !cl_oracle_suite(o->suite->id))
			return usage_err("--suite: libsrtp2 lacks", val);
		return 0;
	}
	if (strcmp(opt, "--key") == 0)
		return parse_key(o, val);
	if (strcmp(opt, "--roc") == 0)
		return parse_ul(val, 0xffffffffUL, &o->roc) ? 0 : usage_err("bad --roc", val);
	if (strcmp(opt, "--window") == 0)
		return parse_ul(val, 32767, &o->window) && o->window >= 64
			       ? 0
			       : usage_err("bad --window", val);
	if (strcmp(opt, "--mki") == 0)
		return parse_mki(o, val) ? 0 : usage_err("bad --mki", val);
	return usage_err("unknown option", opt);
}

static int parse_args(struct oracle *o, int argc, char **argv)
{
	bool have_action = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "protect") == 0 || strcmp(a, "unprotect") == 0) {
			o->protect = a[0] == 'p';
			have_action = true;
		} else if (strcmp(a, "--rtcp") == 0) {
			o->rtcp = true;
		} else if (strcmp(a, "--unencrypted-srtp") == 0) {
			o->unenc_srtp = true;
		} else if (strcmp(a, "--unencrypted-srtcp") == 0) {
			o->unenc_srtcp = true;
		} else if (strcmp(a, "--unauthenticated-srtp") == 0) {
			o->unauth_srtp = true;
		} else if (i + 1 < argc) {
			int err = parse_opt(o, a, argv[++i]);

			if (err)
				return err;
		} else {
			return usage_err("bad or incomplete option", a);
		}
	}
	if (!have_action || !o->suite || !o->have_key)
		return usage_err("usage: protect|unprotect --suite NAME --key BASE64 ...", NULL);
	return 0;
}

/* Adds a libsrtp2 stream for a new SSRC, with the ROC from --roc. */
static int add_stream(struct oracle *o, uint32_t ssrc)
{
	struct cl_srtp_master_key mk = { .key_salt = o->key };
	struct cl_oracle_keys ks;
	srtp_policy_t p;
	int st;

	if (o->have_mki) {
		mk.mki = o->mki;
		mk.mki_len = o->mki_len;
	}
	if (!cl_oracle_policy(&p, &ks, o->suite->id, &mk, 1, o->protect, (unsigned)o->window))
		return -1;
	/* RFC 4568 §6.3.5 session parameters as libsrtp2 security services. */
	if (o->unenc_srtp)
		p.rtp.sec_serv &= ~sec_serv_conf;
	if (o->unenc_srtcp)
		p.rtcp.sec_serv &= ~sec_serv_conf;
	if (o->unauth_srtp)
		p.rtp.sec_serv &= ~sec_serv_auth;
	p.ssrc.type = ssrc_specific;
	p.ssrc.value = ssrc;
	st = (int)srtp_add_stream(o->ctx, &p);
	if (st == 0 && o->roc)
		st = (int)srtp_set_stream_roc(o->ctx, ssrc, (uint32_t)o->roc);
	return st;
}

static const char *reason(srtp_err_status_t st)
{
	switch (st) {
	case srtp_err_status_auth_fail: return "auth";
	case srtp_err_status_replay_fail:
	case srtp_err_status_replay_old: return "replay";
	case srtp_err_status_bad_mki: return "mki";
	case srtp_err_status_key_expired: return "exhausted";
	case srtp_err_status_bad_param:
	case srtp_err_status_parse_err: return "short";
	default: return "error";
	}
}

/* Runs one packet through libsrtp2. Returns NULL or a failure reason. */
static const char *process(struct oracle *o, uint8_t *pkt, size_t *len)
{
	size_t off = o->rtcp ? 4 : 8;
	uint32_t ssrc;
	int n = (int)*len;
	srtp_err_status_t st;
	size_t i;

	if (*len < off + 4)
		return "short";
	ssrc = (uint32_t)pkt[off] << 24 | (uint32_t)pkt[off + 1] << 16 |
	       (uint32_t)pkt[off + 2] << 8 | pkt[off + 3];
	for (i = 0; i < o->nssrcs && o->ssrcs[i] != ssrc; i++)
		;
	if (i == o->nssrcs) {
		if (o->nssrcs == MAX_SSRCS)
			return "streams";
		if (add_stream(o, ssrc) != 0)
			return "error";
		o->ssrcs[o->nssrcs++] = ssrc;
	}
	if (o->rtcp)
		st = o->protect ? srtp_protect_rtcp_mki(o->ctx, pkt, &n, o->have_mki, 0)
				: srtp_unprotect_rtcp_mki(o->ctx, pkt, &n, o->have_mki);
	else
		st = o->protect ? srtp_protect_mki(o->ctx, pkt, &n, o->have_mki, 0)
				: srtp_unprotect_mki(o->ctx, pkt, &n, o->have_mki);
	if (st != srtp_err_status_ok)
		return reason(st);
	*len = (size_t)n;
	return NULL;
}

static bool read_line(char *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	int c;

	while ((c = getchar()) != EOF && c != '\n') {
		if (n < cap)
			buf[n] = (char)c;
		n++;
	}
	if (c == EOF && n == 0)
		return false;
	if (n > 0 && n <= cap && buf[n - 1] == '\r')
		n--;
	*len = n;
	return true;
}

int main(int argc, char **argv)
{
	static char line[LINE_MAX_LEN + 1];
	static uint8_t pkt[PKT_MAX + SRTP_MAX_TRAILER_LEN + 16];
	static char out[2 * sizeof(pkt) + 1];
	struct oracle o = { 0 };
	bool failed = false;
	size_t n;
	int rc;

	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("%s\n", srtp_get_version_string());
		return 0;
	}
	rc = parse_args(&o, argc, argv);
	if (rc)
		return rc;
	if (cl_oracle_init() != 0 || srtp_create(&o.ctx, NULL) != srtp_err_status_ok)
		return usage_err("libsrtp2 init failed", NULL);
	while (read_line(line, sizeof(line), &n)) {
		const char *why = NULL;
		size_t len = 0;

		if (n > LINE_MAX_LEN)
			why = "long";
		else if (cl_hex_decode((struct cl_slice){ line, n }, pkt, PKT_MAX, &len))
			why = "hex";
		else if (len > 0)
			why = process(&o, pkt, &len);
		if (why) {
			printf("ERR %s\n", why);
			failed = true;
		} else {
			cl_hex_encode(pkt, len, out, sizeof(out));
			printf("%s\n", out);
		}
		fflush(stdout);
	}
	srtp_dealloc(o.ctx);
	return failed ? 1 : 0;
}
