/* The a=crypto line (RFC 4568 §9.1 grammar, §6 SRTP parameters): parse, format,
 * generate, wipe, and the bridge to the SRTP engine's parameters.
 *
 *   a=crypto:<tag> 1*WSP <crypto-suite> 1*WSP <key-params> *(1*WSP <session-param>)
 *   key-params = key-param *(";" key-param), key-param = "inline:" key-salt
 *                ["|" lifetime] ["|" mki-value ":" mki-length]
 *
 * Case: RFC 4568 writes its literals ("inline", the suite names, "KDR=", "WSH=",
 * "UNENCRYPTED_SRTP", ...) as ABNF quoted strings, which RFC 4234 §2.3 makes
 * case-insensitive, and the RFC says nothing to the contrary; so they are matched
 * ignoring ASCII case. We always emit the canonical upper-case spellings.
 *
 * A line we cannot use keeps its tag and comes back usable=false with a reason; only a
 * tag that cannot be read is EBADMSG. Reasons never quote key text: they name a field,
 * and quote a suite or parameter name only when it looks like one. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sdes.h"

#define TAG_MAX_DIGITS 9      /* RFC 4568 §9.1: tag = 1*9DIGIT */
#define KDR_MAX_LOG2 24       /* RFC 4568 §6.3.1: KDR=n, n in 1..24 */
#define NAME_QUOTE_MAX 32     /* longest suite/parameter name quoted in a reason */

/* ---- small token helpers over slices ---- */

static bool is_wsp(char ch)
{
	return ch == ' ' || ch == '\t';
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static char upper(char ch)
{
	return ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
}

static struct cl_slice sl(const char *p, size_t len)
{
	return (struct cl_slice){ p, len };
}

/* Returns s without trailing spaces, tabs, CR and LF. */
static struct cl_slice trim_end(struct cl_slice s)
{
	while (s.len > 0 && (is_wsp(s.p[s.len - 1]) || s.p[s.len - 1] == '\r' ||
			     s.p[s.len - 1] == '\n'))
		s.len--;
	return s;
}

/* Returns the next token of *rest (up to a space or tab) and moves *rest past it and
 * the whitespace after it (RFC 4568 §9.1: fields are separated by 1*WSP). */
static struct cl_slice next_token(struct cl_slice *rest)
{
	size_t n = 0, skip;

	while (n < rest->len && !is_wsp(rest->p[n]))
		n++;
	skip = n;
	while (skip < rest->len && is_wsp(rest->p[skip]))
		skip++;
	struct cl_slice tok = sl(rest->p, n);
	*rest = sl(rest->p + skip, rest->len - skip);
	return tok;
}

/* Finds ch in s; returns its index or s.len. */
static size_t find_char(struct cl_slice s, char ch)
{
	const char *q = s.len ? memchr(s.p, ch, s.len) : NULL;

	return q ? (size_t)(q - s.p) : s.len;
}

/* Returns true when s starts with the literal lit, ignoring ASCII case. */
static bool has_prefix(struct cl_slice s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len >= n && cl_slice_casecmp_eq(sl(s.p, n), sl(lit, n));
}

static bool is_lit(struct cl_slice s, const char *lit)
{
	return cl_slice_casecmp_eq(s, cl_slice_cstr(lit));
}

/* Parses 1*DIGIT into *v. Returns false when s is empty, has a non-digit, or the value
 * exceeds max (overflow included). */
static bool parse_dec(struct cl_slice s, uint64_t max, uint64_t *v)
{
	uint64_t acc = 0;

	if (s.len == 0)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		unsigned d;

		if (!is_digit(s.p[i]))
			return false;
		d = (unsigned)(s.p[i] - '0');
		if (acc > (max - d) / 10)
			return false;
		acc = acc * 10 + d;
	}
	*v = acc;
	return true;
}

/* Returns true when s is 1*DIGIT. */
static bool all_digits(struct cl_slice s)
{
	for (size_t i = 0; i < s.len; i++) {
		if (!is_digit(s.p[i]))
			return false;
	}
	return s.len > 0;
}

/* ---- reasons ---- */

static void unusable(struct cl_sdes_crypto *c, const char *why)
{
	c->usable = false;
	c->why = why;
}

/* Sets a formatted reason; fmt is always a literal in this file. */
__attribute__((format(printf, 2, 3)))
static void unusablef(struct cl_sdes_crypto *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why_buf, sizeof(c->why_buf), fmt, ap);
	va_end(ap);
	unusable(c, c->why_buf);
}

/* Copies name into buf for a reason when it looks like a suite or parameter name: up to
 * 32 of A-Z, 0-9 and '_'. Otherwise returns NULL, so that no key text (base64 is mixed
 * case) or arbitrary bytes from the peer end up in a log line or a Warning header. */
static const char *quotable(struct cl_slice name, char *buf, size_t cap)
{
	if (name.len == 0 || name.len > NAME_QUOTE_MAX || name.len >= cap)
		return NULL;
	for (size_t i = 0; i < name.len; i++) {
		char ch = name.p[i];

		if (!(ch >= 'A' && ch <= 'Z') && !is_digit(ch) && ch != '_')
			return NULL;
		buf[i] = ch;
	}
	buf[name.len] = '\0';
	return buf;
}

/* ---- tag and suite ---- */

/* RFC 4568 §9.1: tag = 1*9DIGIT. Returns 0 or EBADMSG. */
static int parse_tag(struct cl_sdes_crypto *c, struct cl_slice tok)
{
	uint64_t v;

	if (tok.len > TAG_MAX_DIGITS && all_digits(tok)) {
		c->why = "tag: more than 9 digits";
		return EBADMSG;
	}
	if (tok.len == 0 || tok.len > TAG_MAX_DIGITS || !parse_dec(tok, UINT32_MAX, &v)) {
		c->why = "tag: not 1 to 9 digits";
		return EBADMSG;
	}
	c->tag = (uint32_t)v;
	return 0;
}

/* Looks the suite up by name, ignoring case (see the file comment). */
static bool parse_suite(struct cl_sdes_crypto *c, struct cl_slice tok)
{
	char name[NAME_QUOTE_MAX + 1], quoted[NAME_QUOTE_MAX + 1];

	c->suite_name = tok;
	if (tok.len == 0) {
		unusable(c, "crypto-suite missing");
		return false;
	}
	if (tok.len <= NAME_QUOTE_MAX) {
		for (size_t i = 0; i < tok.len; i++)
			name[i] = upper(tok.p[i]);
		c->suite = cl_srtp_suite_find(name, tok.len);
	}
	if (!c->suite) {
		if (quotable(tok, quoted, sizeof(quoted)))
			unusablef(c, "crypto-suite %s is not supported", quoted);
		else
			unusable(c, "crypto-suite is not a known suite name");
		return false;
	}
	return true;
}

/* ---- key-params (RFC 4568 §6.1, §9.2) ---- */

/* lifetime = ["2^"] 1*DIGIT, 1 up to the suite's maximum
 * (RFC 4568 §6.2.1: 2^48 SRTP packets; the engine caps SRTCP at 2^31 itself). */
static bool parse_lifetime(struct cl_sdes_crypto *c, struct cl_slice s, uint64_t *out)
{
	uint64_t max = c->suite->srtp_lifetime, v = 0, n;
	bool pow2 = has_prefix(s, "2^"), fits;

	if (pow2)
		s = sl(s.p + 2, s.len - 2);
	if (!all_digits(s)) {
		unusable(c, "inline: lifetime is not a number");
		return false;
	}
	if (pow2) {
		fits = parse_dec(s, 63, &n) && ((uint64_t)1 << n) <= max;
		v = fits ? (uint64_t)1 << n : 0;
	} else {
		fits = parse_dec(s, max, &v);
	}
	if (!fits) {
		unusablef(c, "inline: lifetime is above %s's maximum", c->suite->name);
		return false;
	}
	if (v == 0) {
		unusable(c, "inline: lifetime is 0");
		return false;
	}
	*out = v;
	return true;
}

/* Returns true when v fits in n bytes (n of 8 or more holds any uint64_t). */
static bool mki_fits(uint64_t v, size_t n)
{
	return n >= 8 || (v >> (8 * n)) == 0;
}

/* Writes v big-endian into out[0..n). */
static void mki_encode(uint64_t v, uint8_t *out, size_t n)
{
	for (size_t i = n; i > 0; i--) {
		out[i - 1] = (uint8_t)v;
		v >>= 8;
	}
}

/* mki = mki-value ":" mki-length, 1*DIGIT ":" 1*3DIGIT, a length of 1..128 bytes
 * (RFC 4568 §9.2), and a value that fits in that many bytes. */
static bool parse_mki(struct cl_sdes_crypto *c, struct cl_slice s, struct cl_sdes_key *k)
{
	size_t colon = find_char(s, ':');
	struct cl_slice vs = sl(s.p, colon), ls;
	uint64_t v, len;

	ls = colon < s.len ? sl(s.p + colon + 1, s.len - colon - 1) : sl(s.p, 0);
	if (!all_digits(ls) || ls.len > 3 || !parse_dec(ls, 999, &len)) {
		unusable(c, "inline: MKI length is not 1 to 3 digits");
		return false;
	}
	if (len < 1 || len > CL_SRTP_MAX_MKI_LEN) {
		unusable(c, "inline: MKI length must be 1..128 bytes");
		return false;
	}
	if (!all_digits(vs)) {
		unusable(c, "inline: MKI value is not a number");
		return false;
	}
	if (!parse_dec(vs, UINT64_MAX, &v)) {
		unusable(c, "inline: MKI value is too large");
		return false;
	}
	if (!mki_fits(v, len)) {
		unusable(c, "inline: MKI value does not fit its length");
		return false;
	}
	k->mki = v;
	k->mki_len = (uint8_t)len;
	return true;
}

/* Checks the base64 alphabet ourselves first so that a bad character and a wrong
 * length get different reasons, then decodes strictly (padded or unpadded). */
static bool parse_key_salt(struct cl_sdes_crypto *c, struct cl_slice s, struct cl_sdes_key *k)
{
	size_t need = (size_t)c->suite->key_len + c->suite->salt_len, body = s.len, got;

	while (body > 0 && s.p[body - 1] == '=' && s.len - body < 2)
		body--;
	for (size_t i = 0; i < body; i++) {
		char ch = s.p[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || is_digit(ch) ||
		      ch == '+' || ch == '/')) {
			unusable(c, "inline: key is not valid base64");
			return false;
		}
	}
	if (s.len == 0) {
		unusable(c, "inline: key missing");
		return false;
	}
	if (body == 0 || body % 4 == 1) {
		unusable(c, "inline: key is not valid base64");
		return false;
	}
	got = body / 4 * 3 + (body % 4 ? body % 4 - 1 : 0);
	if (got != need) {
		unusablef(c, "inline: key is %zu bytes, %s needs %zu", got, c->suite->name, need);
		return false;
	}
	if (cl_base64_decode(s, k->key_salt, sizeof(k->key_salt), &got) != 0 || got != need) {
		unusable(c, "inline: key is not valid base64");
		return false;
	}
	k->len = got;
	return true;
}

/* key-param = "inline:" key-salt ["|" lifetime] ["|" mki] (RFC 4568 §9.2). */
static bool parse_key_param(struct cl_sdes_crypto *c, struct cl_slice s, struct cl_sdes_key *k)
{
	struct cl_slice part[3];
	size_t n = 0;

	if (!has_prefix(s, "inline:")) {
		unusable(c, find_char(s, ':') < s.len ? "key-params: only inline: keys are supported"
						      : "key-params: inline: missing");
		return false;
	}
	s = sl(s.p + 7, s.len - 7);
	while (n < 3) {
		size_t bar = find_char(s, '|');

		part[n++] = sl(s.p, bar);
		if (bar == s.len)
			break;
		s = sl(s.p + bar + 1, s.len - bar - 1);
		if (n == 3) {
			unusable(c, "inline: more than key|lifetime|mki");
			return false;
		}
	}
	if (!parse_key_salt(c, part[0], k))
		return false;
	if (n == 3)
		return parse_lifetime(c, part[1], &k->lifetime) && parse_mki(c, part[2], k);
	if (n == 2) /* one field: an MKI has a colon, a lifetime never does */
		return find_char(part[1], ':') < part[1].len ? parse_mki(c, part[1], k)
							     : parse_lifetime(c, part[1], &k->lifetime);
	return true;
}

/* RFC 4568 §6.1: every key of a line has the same MKI length (or none), and the MKI is
 * what tells the keys apart, so two keys may not share a value. */
static bool check_keys(struct cl_sdes_crypto *c)
{
	for (size_t i = 1; i < c->nkeys; i++) {
		if (c->keys[i].mki_len != c->keys[0].mki_len) {
			unusable(c, "inline: keys differ in MKI presence or length");
			return false;
		}
		for (size_t j = 0; j < i && c->keys[i].mki_len; j++) {
			if (c->keys[i].mki == c->keys[j].mki) {
				unusable(c, "inline: two keys have the same MKI");
				return false;
			}
		}
	}
	return true;
}

static bool parse_key_params(struct cl_sdes_crypto *c, struct cl_slice s)
{
	if (s.len == 0) {
		unusable(c, "key-params missing");
		return false;
	}
	for (;;) {
		size_t semi = find_char(s, ';');

		if (c->nkeys == CL_SDES_MAX_KEYS) {
			unusablef(c, "key-params: more than %d keys", CL_SDES_MAX_KEYS);
			return false;
		}
		if (!parse_key_param(c, sl(s.p, semi), &c->keys[c->nkeys]))
			return false;
		c->nkeys++;
		if (semi == s.len)
			break;
		s = sl(s.p + semi + 1, s.len - semi - 1);
	}
	return check_keys(c);
}

/* ---- session parameters (RFC 4568 §6.3) ---- */

enum { P_KDR = 1, P_UENC_SRTP = 2, P_UENC_SRTCP = 4, P_UAUTH = 8, P_WSH = 16 };

/* KDR=n: "a decimal integer in the set {1,2,...,24} ... leading zeroes MUST NOT be
 * used" (§6.3.1). KDR=0 is not in the set, so it makes the line unusable too. */
static bool parse_kdr(struct cl_sdes_crypto *c, struct cl_slice v)
{
	uint64_t n;

	if (v.len == 0 || v.p[0] == '0' || !parse_dec(v, KDR_MAX_LOG2, &n)) {
		unusable(c, "session parameter KDR must be 1..24");
		return false;
	}
	c->kdr = (uint32_t)1 << n;
	return true;
}

/* WSH=n (§6.3.6) is a hint for the receiver's replay window, "minimum value is 64".
 * We honour it where our SRTP engine can (64..32768) and otherwise ignore the hint:
 * the line stays usable and the window is our default. Only a value that is not a
 * number breaks the grammar and makes the line unusable. */
static bool parse_wsh(struct cl_sdes_crypto *c, struct cl_slice v)
{
	uint64_t n = 0;

	for (size_t i = 0; i < v.len; i++) {
		if (!is_digit(v.p[i])) {
			unusable(c, "session parameter WSH is not a number");
			return false;
		}
	}
	if (v.len == 0) {
		unusable(c, "session parameter WSH is not a number");
		return false;
	}
	if (parse_dec(v, CL_SRTP_WINDOW_MAX, &n) && n >= CL_SRTP_WINDOW_MIN)
		c->wsh = (unsigned)n;
	return true;
}

/* Names an unsupported parameter (FEC_ORDER, FEC_KEY or anything unknown). */
static void unknown_param(struct cl_sdes_crypto *c, struct cl_slice tok)
{
	char name[NAME_QUOTE_MAX + 1];
	const char *q = quotable(sl(tok.p, find_char(tok, '=')), name, sizeof(name));

	if (q)
		unusablef(c, "session parameter %s is not supported", q);
	else
		unusable(c, "an unknown session parameter");
}

/* The session parameters we honour; FEC_ORDER and FEC_KEY (§6.3.4, §6.3.5) are not
 * among them, so they make the line unusable like any unknown parameter. */
static const struct {
	const char *name; /* with its '=' when it takes a value */
	unsigned bit;
} params[] = {
	{ "KDR=", P_KDR },
	{ "WSH=", P_WSH },
	{ "UNENCRYPTED_SRTP", P_UENC_SRTP },
	{ "UNENCRYPTED_SRTCP", P_UENC_SRTCP },
	{ "UNAUTHENTICATED_SRTP", P_UAUTH },
};

static bool parse_session_param(struct cl_sdes_crypto *c, struct cl_slice tok, unsigned *seen)
{
	for (size_t i = 0; i < CL_ARRAY_SIZE(params); i++) {
		const char *name = params[i].name;
		size_t n = strlen(name);
		bool valued = name[n - 1] == '=';
		struct cl_slice v;

		if (valued ? !has_prefix(tok, name) : !is_lit(tok, name))
			continue;
		v = sl(tok.p + n, tok.len - n);
		if (*seen & params[i].bit) {
			unusablef(c, "session parameter %.*s appears twice",
				  (int)(valued ? n - 1 : n), name);
			return false;
		}
		*seen |= params[i].bit;
		switch (params[i].bit) {
		case P_KDR:
			return parse_kdr(c, v);
		case P_WSH:
			return parse_wsh(c, v);
		case P_UENC_SRTP:
			c->unencrypted_srtp = true;
			return true;
		case P_UENC_SRTCP:
			c->unencrypted_srtcp = true;
			return true;
		default:
			c->unauthenticated_srtp = true;
			return true;
		}
	}
	/* §6.3.7: unknown parameters are mandatory, so the line is invalid, unless the
	 * parameter is prefixed with '-', which makes it optional: we ignore it. */
	if (tok.len > 1 && tok.p[0] == '-')
		return true;
	unknown_param(c, tok);
	return false;
}

static bool parse_session_params(struct cl_sdes_crypto *c, struct cl_slice rest)
{
	unsigned seen = 0;

	while (rest.len) {
		if (!parse_session_param(c, next_token(&rest), &seen))
			return false;
	}
	/* An AEAD transform always authenticates (RFC 7714 §13.2); the engine refuses it. */
	if (c->unauthenticated_srtp && c->suite->cipher == CL_SRTP_CIPHER_AES_GCM) {
		unusablef(c, "UNAUTHENTICATED_SRTP does not apply to %s", c->suite->name);
		return false;
	}
	return true;
}

/* ---- public API ---- */

void cl_sdes_crypto_wipe(struct cl_sdes_crypto *c)
{
	if (!c)
		return;
	cl_wipe(c->keys, sizeof(c->keys));
}

/* Parses everything after the tag; false leaves c unusable with a reason. */
static bool parse_rest(struct cl_sdes_crypto *c, struct cl_slice rest)
{
	return parse_suite(c, next_token(&rest)) && parse_key_params(c, next_token(&rest)) &&
	       parse_session_params(c, rest);
}

int cl_sdes_parse(struct cl_sdes_crypto *c, struct cl_slice value)
{
	struct cl_slice rest;
	size_t n = 0;
	int err;

	if (!c)
		return EINVAL;
	cl_sdes_crypto_wipe(c);
	memset(c, 0, sizeof(*c));
	rest = trim_end(value.p ? value : sl("", 0));
	while (n < rest.len && !is_wsp(rest.p[n]))
		n++;
	err = parse_tag(c, sl(rest.p, n));
	if (err)
		return err;
	(void)next_token(&rest);
	c->usable = true;
	if (!parse_rest(c, rest)) {
		/* Nothing of an unusable line is ever used: drop what was decoded. */
		cl_sdes_crypto_wipe(c);
		c->nkeys = 0;
	}
	return 0;
}

/* ---- format ---- */

/* An output cursor that never writes past cap and remembers when it ran out. */
struct out {
	char *p;
	size_t cap, len;
	bool full;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->full || n > o->cap - o->len) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

__attribute__((format(printf, 2, 3)))
static void putf(struct out *o, const char *fmt, ...)
{
	char buf[48];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(o, buf, n > 0 ? (size_t)n : 0);
}

/* Returns n when v is 2^n, else -1. */
static int log2_exact(uint64_t v)
{
	int n = 0;

	if (v == 0 || (v & (v - 1)))
		return -1;
	while (v >>= 1)
		n++;
	return n;
}

/* inline:<padded base64>[|lifetime][|mki:len]. The base64 copy is wiped after use. */
static void put_key(struct out *o, const struct cl_sdes_key *k)
{
	char b64[CL_SRTP_MAX_KEY_LEN + CL_SRTP_MAX_SALT_LEN + 24]; /* ≥ 4*ceil(46/3)+1 */
	size_t n = 0;
	int lg;

	if (cl_base64_encode(k->key_salt, k->len, b64, sizeof(b64), &n) != 0) {
		o->full = true;
		return;
	}
	put(o, "inline:", 7);
	put(o, b64, n);
	cl_wipe(b64, sizeof(b64));
	lg = log2_exact(k->lifetime);
	if (k->lifetime && lg >= 0)
		putf(o, "|2^%d", lg);
	else if (k->lifetime)
		putf(o, "|%llu", (unsigned long long)k->lifetime);
	if (k->mki_len)
		putf(o, "|%llu:%u", (unsigned long long)k->mki, (unsigned)k->mki_len);
}

/* Returns true when c can be written: a known suite, 1..4 keys of its length, MKIs of
 * 1..128 bytes whose value fits that length, a KDR of 2^1..2^24. */
static bool formattable(const struct cl_sdes_crypto *c)
{
	size_t need;
	int kdr = log2_exact(c->kdr);

	if (!c->suite || c->nkeys < 1 || c->nkeys > CL_SDES_MAX_KEYS || c->tag > 999999999u)
		return false;
	if (c->kdr && (kdr < 1 || kdr > KDR_MAX_LOG2))
		return false;
	need = (size_t)c->suite->key_len + c->suite->salt_len;
	for (size_t i = 0; i < c->nkeys; i++) {
		const struct cl_sdes_key *k = &c->keys[i];

		if (k->len != need || k->mki_len > CL_SRTP_MAX_MKI_LEN ||
		    (k->mki_len && !mki_fits(k->mki, k->mki_len)))
			return false;
	}
	return true;
}

int cl_sdes_format(const struct cl_sdes_crypto *c, char *out, size_t cap, size_t *len)
{
	struct out o = { out, cap, 0, false };

	if (!c || (!out && cap) || !formattable(c))
		return EINVAL;
	putf(&o, "%u ", (unsigned)c->tag);
	put(&o, c->suite->name, strlen(c->suite->name));
	put(&o, " ", 1);
	for (size_t i = 0; i < c->nkeys; i++) {
		if (i)
			put(&o, ";", 1);
		put_key(&o, &c->keys[i]);
	}
	/* Session parameters in a fixed order (RFC 4568 §6.3). */
	if (c->kdr)
		putf(&o, " KDR=%d", log2_exact(c->kdr));
	if (c->unencrypted_srtp)
		put(&o, " UNENCRYPTED_SRTP", 17);
	if (c->unencrypted_srtcp)
		put(&o, " UNENCRYPTED_SRTCP", 18);
	if (c->unauthenticated_srtp)
		put(&o, " UNAUTHENTICATED_SRTP", 21);
	if (c->wsh)
		putf(&o, " WSH=%u", c->wsh);
	if (o.full)
		return ENOBUFS;
	if (o.len < cap)
		out[o.len] = '\0';
	if (len)
		*len = o.len;
	return 0;
}

/* ---- generate and SRTP parameters ---- */

int cl_sdes_generate(struct cl_sdes_crypto *c, uint32_t tag, const struct cl_srtp_suite *su,
		     uint64_t lifetime, uint8_t mki_len)
{
	struct cl_sdes_key *k;

	if (!c || !su || tag > 999999999u || lifetime > su->srtp_lifetime ||
	    mki_len > CL_SRTP_MAX_MKI_LEN)
		return EINVAL;
	cl_sdes_crypto_wipe(c);
	memset(c, 0, sizeof(*c));
	c->tag = tag;
	c->suite = su;
	c->suite_name = cl_slice_cstr(su->name);
	k = &c->keys[0];
	k->len = (size_t)su->key_len + su->salt_len;
	if (cl_random(k->key_salt, k->len) != 0) {
		cl_sdes_crypto_wipe(c);
		c->why = "no randomness for a key";
		return EIO;
	}
	k->lifetime = lifetime;
	if (mki_len) {
		k->mki = 1;
		k->mki_len = mki_len;
	}
	c->nkeys = 1;
	c->usable = true;
	return 0;
}

void cl_sdes_mki_bytes(const struct cl_sdes_key *k, uint8_t out[CL_SRTP_MAX_MKI_LEN])
{
	if (k && out)
		mki_encode(k->mki, out, k->mki_len < CL_SRTP_MAX_MKI_LEN ? k->mki_len
									 : CL_SRTP_MAX_MKI_LEN);
}

int cl_sdes_srtp_params(const struct cl_sdes_crypto *c, struct cl_srtp_params *p,
			struct cl_srtp_master_key keys[CL_SDES_MAX_KEYS],
			uint8_t mki[CL_SDES_MAX_KEYS][CL_SRTP_MAX_MKI_LEN])
{
	if (!c || !p || !keys || !mki || !c->usable || !formattable(c))
		return EINVAL;
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < c->nkeys; i++) {
		const struct cl_sdes_key *k = &c->keys[i];

		/* The MKI is derived here, not stored, so it cannot disagree with k->mki. */
		cl_sdes_mki_bytes(k, mki[i]);
		keys[i] = (struct cl_srtp_master_key){
			.key_salt = k->key_salt,
			.mki = k->mki_len ? mki[i] : NULL,
			.mki_len = k->mki_len,
			.lifetime = k->lifetime,
		};
	}
	p->suite = c->suite;
	p->keys = keys;
	p->nkeys = c->nkeys;
	p->kdr = c->kdr;
	p->unencrypted_srtp = c->unencrypted_srtp;
	p->unencrypted_srtcp = c->unencrypted_srtcp;
	p->unauthenticated_srtp = c->unauthenticated_srtp;
	p->window = c->wsh;
	return 0;
}
