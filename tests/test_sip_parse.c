/* SIP parser proof (issue 4 §1/§5): the RFC 4475 torture messages (tests/sip_torture/),
 * every input placed against a PROT_NONE guard page, every prefix of every message through
 * the parser and the framer, and round trips of values and URIs from their slices. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sip/sip.h"
#include "test.h"

/* ---- guard pages: the input ends exactly where a PROT_NONE page begins ---- */
#define GUARD_CAP (128 * 1024)

struct guard {
	char *base;
	size_t size; /* readable bytes */
};

static bool guard_init(struct guard *g)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);

	g->size = (GUARD_CAP + pg - 1) / pg * pg;
	g->base = mmap(NULL, g->size + pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (g->base == MAP_FAILED)
		return false;
	return mprotect(g->base + g->size, pg, PROT_NONE) == 0;
}

/* Copies data so that its last byte is the last readable one; returns where it starts.
 * The mapping lives for the whole run (the runner is one process). */
const char *cl_sip_test_guard(const void *data, size_t len);
const char *cl_sip_test_guard(const void *data, size_t len)
{
	static struct guard g;

	if (!g.base && !guard_init(&g))
		abort();
	if (len > g.size)
		abort();
	memcpy(g.base + g.size - len, data, len);
	return g.base + g.size - len;
}

/* ---- torture files ---- */

/* Finds tests/sip_torture from the working directory or from the runner's path
 * (build/<x>/tests/run sits three levels below the tree). */
static const char *torture_dir(void)
{
	static char dir[PATH_MAX + 32];
	char exe[PATH_MAX];
	ssize_t n;

	if (access("tests/sip_torture/wsinv.msg", R_OK) == 0)
		return "tests/sip_torture";
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	for (int up = 0; up < 4; up++) {
		char *s = strrchr(exe, '/');

		if (!s)
			return NULL;
		*s = '\0';
		snprintf(dir, sizeof(dir), "%s/tests/sip_torture", exe);
		if (access(dir, R_OK) == 0)
			return dir;
	}
	return NULL;
}

size_t cl_sip_test_load(const char *name, char *buf, size_t cap);
size_t cl_sip_test_load(const char *name, char *buf, size_t cap)
{
	const char *dir = torture_dir();
	char path[PATH_MAX + 64];
	FILE *f;
	size_t n;

	if (!dir)
		return 0;
	snprintf(path, sizeof(path), "%s/%s.msg", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return 0;
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

enum { OK = -1, DROP = 0 }; /* OK: parses; DROP: a response rejected without answer */

static const struct torture {
	const char *name;
	int expect;          /* OK, DROP, or the status to answer */
	const char *reason;  /* expected reason phrase ("" when any) */
} torture[] = {
	/* RFC 4475 §3.1.1: valid messages */
	{ "wsinv", OK, "" },         { "intmeth", OK, "" },      { "esc01", OK, "" },
	{ "escnull", OK, "" },       { "esc02", OK, "" },        { "lwsdisp", OK, "" },
	{ "longreq", OK, "" },       { "dblreq", OK, "" },       { "semiuri", OK, "" },
	{ "transports", OK, "" },    { "mpart01", OK, "" },      { "unreason", OK, "" },
	{ "noreason", OK, "" },
	/* §3.1.2: invalid messages */
	{ "badinv01", 400, "Bad Via" },
	{ "clerr", 400, "Content-Length Too Large" },
	{ "ncl", 400, "Bad Content-Length" },
	{ "scalar02", 400, "Bad CSeq" },
	{ "scalarlg", DROP, "Bad CSeq" },
	{ "quotbal", 400, "Bad To" },
	{ "ltgtruri", 400, "Bad Request-URI" },
	{ "lwsruri", 400, "Bad Request-Line" },
	{ "lwsstart", 400, "Bad Request-Line" },
	{ "trws", 400, "Bad Request-Line" },
	{ "escruri", 400, "Bad Request-URI" },
	{ "baddate", 400, "Bad Date" },
	{ "regbadct", 400, "Bad Contact" },
	{ "badaspec", 400, "Bad To" },
	{ "baddn", 400, "Bad From" },
	{ "badvers", 505, "Version Not Supported" },
	{ "mismatch01", 400, "CSeq Method Mismatch" },
	{ "mismatch02", 400, "CSeq Method Mismatch" },
	{ "bigcode", DROP, "Bad Status-Line" },
	/* §3.2: valid syntax; a bare "z9hG4bK" branch is the transaction layer's business */
	{ "badbranch", OK, "" },
	/* §3.3: application-layer semantics; the parser flags what is syntax */
	{ "insuf", 400, "Missing From" },
	{ "unkscm", OK, "" },        { "novelsc", OK, "" },      { "unksm2", OK, "" },
	{ "bext01", OK, "" },        { "invut", OK, "" },        { "regaut01", OK, "" },
	{ "multi01", 400, "Duplicate CSeq" },
	{ "mcl01", 400, "Duplicate Content-Length" },
	{ "bcast", OK, "" },
	{ "zeromf", 483, "Too Many Hops" },
	{ "cparam01", OK, "" },      { "cparam02", OK, "" },     { "regescrt", OK, "" },
	{ "sdp01", OK, "" },
	/* §3.4: an RFC 2543 INVITE (no branch, no Max-Forwards, no Content-Length) */
	{ "inv2543", OK, "" },
};

static bool cl_sip_eq_test(struct cl_slice s, const char *lit)
{
	return s.len == strlen(lit) && memcmp(s.p, lit, s.len) == 0;
}

static char file[8192];
static struct cl_sip_msg msg;

/* Checks every slice of a parsed message lies inside [buf, buf+len). */
static bool inside(struct cl_slice s, const char *buf, size_t len)
{
	return s.len == 0 || (s.p >= buf && s.p + s.len <= buf + len);
}

static bool all_inside(const struct cl_sip_msg *m, const char *buf, size_t len)
{
	for (size_t i = 0; i < m->nhdr; i++)
		if (!inside(m->hdr[i].name, buf, len) || !inside(m->hdr[i].value, buf, len))
			return false;
	return inside(m->body, buf, len) && inside(m->ruri_text, buf, len) &&
	       inside(m->call_id, buf, len) && m->len <= len;
}

TEST(sip_torture_rfc4475)
{
	struct cl_sip_error err;

	for (size_t k = 0; k < CL_ARRAY_SIZE(torture); k++) {
		const struct torture *tc = &torture[k];
		size_t n = cl_sip_test_load(tc->name, file, sizeof(file));
		const char *g = cl_sip_test_guard(file, n);
		int rc;

		if (!n) {
			cl_test_fail(t, __FILE__, __LINE__, "cannot read %s.msg", tc->name);
			return;
		}
		rc = cl_sip_parse(&msg, g, n, NULL, &err);
		if ((tc->expect == OK || tc->expect == 483) != (rc == 0) ||
		    (tc->expect != OK && err.status != tc->expect) ||
		    (tc->reason[0] && strcmp(err.reason, tc->reason) != 0)) {
			cl_test_fail(t, __FILE__, __LINE__, "%s: rc %d status %u \"%s\", want %d \"%s\"",
				     tc->name, rc, err.status, err.reason, tc->expect, tc->reason);
			return;
		}
		if (rc == 0)
			CHECK(all_inside(&msg, g, n));
	}
}

/* Spot checks of what the valid torture messages decode to. */
TEST(sip_torture_decoded)
{
	struct cl_sip_error err;
	struct cl_sip_values_it it = { 0 };
	struct cl_slice e;
	struct cl_sip_contact c;
	size_t n = cl_sip_test_load("wsinv", file, sizeof(file));
	const char *g = cl_sip_test_guard(file, n);

	CHECK_INT(cl_sip_parse(&msg, g, n, NULL, &err), 0);
	CHECK(cl_sip_eq_test(msg.method, "INVITE"));
	CHECK_INT(msg.max_forwards, 68);
	CHECK_INT(msg.cseq.num, 9);
	CHECK(cl_sip_eq_test(msg.to.tag, "1918181833n"));
	CHECK(cl_sip_eq_test(msg.from.tag, "98asjd8"));
	CHECK(cl_sip_eq_test(msg.from.display, "\"J Rosenberg \\\\\\\"\""));
	CHECK_INT(msg.nvia, 3);
	CHECK(cl_sip_eq_test(msg.via.transport, "UDP"));
	CHECK(cl_sip_eq_test(msg.via.branch, "390skdjuw"));
	CHECK_INT(msg.body.len, 150);
	CHECK_INT(cl_sip_msg_values_next(&msg, CL_SIP_HDR_CONTACT, &it, &e), 0);
	CHECK_INT(cl_sip_contact_parse(&c, e), 0);
	CHECK_INT(c.q, 330);
	CHECK(cl_sip_eq_test(c.na.uri.host, "example.com"));
	CHECK(cl_sip_msg_hdr_find(&msg, CL_SLICE_LIT("s")) != NULL);
	CHECK_INT(cl_sip_msg_hdr_find(&msg, CL_SLICE_LIT("Subject"))->value.len, 0);

	n = cl_sip_test_load("intmeth", file, sizeof(file));
	g = cl_sip_test_guard(file, n);
	CHECK_INT(cl_sip_parse(&msg, g, n, NULL, &err), 0);
	CHECK(cl_sip_eq_test(msg.ruri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"));
	CHECK(cl_sip_eq_test(msg.from.tag, "_token~1'+`*%!-."));
	CHECK_INT(msg.max_forwards, 255);

	n = cl_sip_test_load("dblreq", file, sizeof(file));
	g = cl_sip_test_guard(file, n);
	CHECK_INT(cl_sip_parse(&msg, g, n, NULL, &err), 0);
	CHECK(cl_sip_eq_test(msg.method, "REGISTER"));
	CHECK(msg.len < n); /* the trailing INVITE is ignored (RFC 4475 §3.1.1.8) */

	n = cl_sip_test_load("inv2543", file, sizeof(file));
	g = cl_sip_test_guard(file, n);
	CHECK_INT(cl_sip_parse(&msg, g, n, NULL, &err), 0);
	CHECK_INT(msg.max_forwards, -1);
	CHECK_INT(msg.body.len, 105);
}

/* Every prefix of every torture message, against the guard page: the datagram parser
 * and the framer must return cleanly (and the framer never claims a frame it lacks). */
TEST(sip_torture_prefixes_guarded)
{
	struct cl_sip_error err;
	struct cl_sip_frame f;

	for (size_t k = 0; k < CL_ARRAY_SIZE(torture); k++) {
		size_t n = cl_sip_test_load(torture[k].name, file, sizeof(file));

		CHECK(n > 0);
		for (size_t len = 0; len <= n; len++) {
			const char *g = cl_sip_test_guard(file, len);
			int rc = cl_sip_parse(&msg, g, len, NULL, &err);

			CHECK(rc == 0 || rc == EBADMSG);
			rc = cl_sip_frame(g, len, 0, &f);
			CHECK(rc == 0 || rc == EAGAIN || rc == EBADMSG || rc == EMSGSIZE);
			CHECK(rc != 0 || f.len <= len);
		}
	}
}

/* Stream path: each torture message with a Content-Length matching its body frames to
 * the message and parses as a stream with the same verdict. */
TEST(sip_torture_stream)
{
	static const struct cl_sip_parse_opts st = { CL_SIP_STREAM, 0 };
	static const char *valid[] = { "wsinv", "intmeth", "esc01", "longreq", "mpart01",
				       "unreason", "noreason", "bcast", "sdp01" };
	struct cl_sip_error err;
	struct cl_sip_frame f;

	for (size_t k = 0; k < CL_ARRAY_SIZE(valid); k++) {
		size_t n = cl_sip_test_load(valid[k], file, sizeof(file));
		const char *g = cl_sip_test_guard(file, n);

		CHECK_INT(cl_sip_frame(g, n, 0, &f), 0);
		CHECK_INT(f.kind, CL_SIP_FRAME_MSG);
		CHECK_INT(f.len, n);
		CHECK_INT(cl_sip_parse(&msg, g, f.len, &st, &err), 0);
	}
	/* no Content-Length on a stream: the framer closes, the parser says 400 */
	{
		size_t n = cl_sip_test_load("inv2543", file, sizeof(file));
		const char *g = cl_sip_test_guard(file, n);

		CHECK_INT(cl_sip_frame(g, n, 0, &f), EBADMSG);
		CHECK_INT(cl_sip_parse(&msg, g, n, &st, &err), EBADMSG);
		CHECK_INT(err.status, 400);
	}
}

/* Round trip: the bytes between list elements are only LWS and one comma, so the value
 * is exactly its elements and separators. */
static bool list_round_trip(struct cl_slice v)
{
	struct cl_slice rest = v, e;
	const char *prev = v.p;
	int elems = 0;

	while (cl_sip_list_next(&rest, &e) == 0) {
		int commas = 0;

		for (const char *c = prev; c < e.p; c++) {
			if (*c == ',')
				commas++;
			else if (*c != ' ' && *c != '\t' && *c != '\r' && *c != '\n')
				return false;
		}
		if (commas != (elems ? 1 : 0))
			return false;
		prev = e.p + e.len;
		elems++;
	}
	for (const char *c = prev; c < v.p + v.len; c++)
		if (*c != ' ' && *c != '\t' && *c != '\r' && *c != '\n' && *c != ',')
			return false;
	return true;
}

TEST(sip_round_trip_values)
{
	static const char *names[] = { "wsinv", "semiuri", "longreq", "transports", "esc01",
				       "bext01", "mpart01", "intmeth" };
	struct cl_sip_error err;

	for (size_t k = 0; k < CL_ARRAY_SIZE(names); k++) {
		size_t n = cl_sip_test_load(names[k], file, sizeof(file));
		const char *g = cl_sip_test_guard(file, n);

		CHECK_INT(cl_sip_parse(&msg, g, n, NULL, &err), 0);
		for (size_t i = 0; i < msg.nhdr; i++) {
			const struct cl_sip_field *h = &msg.hdr[i];
			const char *colon = memchr(h->name.p, ':', (size_t)(g + n - h->name.p));

			/* the value is the trimmed text between the colon and the line end */
			CHECK(colon && h->value.p >= colon + 1);
			for (const char *c = colon + 1; c < h->value.p; c++)
				CHECK(*c == ' ' || *c == '\t' || *c == '\r' || *c == '\n');
			CHECK(h->value.p[h->value.len] == '\r');
			if (h->id == CL_SIP_HDR_VIA || h->id == CL_SIP_HDR_CONTACT ||
			    h->id == CL_SIP_HDR_ACCEPT || h->id == CL_SIP_HDR_REQUIRE)
				CHECK(list_round_trip(h->value));
		}
	}
}
