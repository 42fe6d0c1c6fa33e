/* libFuzzer target: the SDP parser (RFC 8866) and the edit/build path.
 * Parses arbitrary bytes. When they are accepted: rebuilding with no edits must give
 * text that parses again into the same lines and media; a plan with the edits the edge
 * makes (m= port and proto, c= replace or insert, o= version, a=crypto dropped and
 * appended) must build into a large buffer, fail cleanly or succeed in a small one,
 * and re-parse too. Any mismatch aborts. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sdp/sdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cl_sdp sdp, again;
static struct cl_sdp_edit ed;
static char big[4 * CL_SDP_MAX_SIZE];

static bool same_slice(struct cl_slice a, struct cl_slice b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* The rebuilt text must parse into the same lines and decoded media. */
static void check_same(void)
{
	if (again.nlines != sdp.nlines || again.nmedia != sdp.nmedia ||
	    again.session_end != sdp.session_end ||
	    again.origin.sess_version != sdp.origin.sess_version)
		abort();
	for (size_t i = 0; i < sdp.nlines; i++)
		if (!same_slice(again.lines[i].text, sdp.lines[i].text))
			abort();
	for (size_t k = 0; k < sdp.nmedia; k++)
		if (again.media[k].port != sdp.media[k].port ||
		    again.media[k].nports != sdp.media[k].nports ||
		    again.media[k].ptime != sdp.media[k].ptime ||
		    again.media[k].dir != sdp.media[k].dir ||
		    !same_slice(again.media[k].fmts, sdp.media[k].fmts))
			abort();
}

/* Builds the plan into an exact-size heap buffer (ASan sees any overrun), then parses
 * that when it fits the parser's limits, and with same, compares it with the input
 * (while the buffer the lines point into is alive). Returns the parse result, or -1
 * when skipped. */
static int build_and_reparse(size_t extra_lines, bool same)
{
	size_t need = 0, n = 0;
	char *buf;
	int rc;

	if (cl_sdp_edit_build(&ed, NULL, 0, &need) != (sdp.nlines ? ENOBUFS : 0))
		abort();
	buf = malloc(need ? need : 1);
	if (!buf)
		abort();
	if (cl_sdp_edit_build(&ed, buf, need, &n) != 0 || n != need)
		abort();
	rc = -1;
	if (need <= CL_SDP_MAX_SIZE && sdp.nlines + extra_lines <= CL_SDP_MAX_LINES)
		rc = cl_sdp_parse(&again, buf, need, NULL);
	if (rc == 0 && same)
		check_same();
	free(buf);
	return rc;
}

static void apply_edits(void)
{
	static const char key[] = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0";
	char small[64];
	size_t n = 0;
	int rc;

	cl_sdp_edit_init(&ed, &sdp);
	cl_sdp_edit_origin_version(&ed, sdp.origin.sess_version + 1);
	cl_sdp_edit_conn(&ed, CL_SDP_SESSION, "IP4", "192.0.2.1");
	cl_sdp_edit_append(&ed, CL_SDP_SESSION, "a=x-edge:1");
	for (size_t k = 0; k < sdp.nmedia; k++) {
		cl_sdp_edit_port(&ed, k, (uint16_t)(k * 2 + 1000));
		cl_sdp_edit_proto(&ed, k, k & 1 ? "RTP/AVP" : "RTP/SAVP");
		if (k < 2)
			cl_sdp_edit_conn(&ed, k, "IP6", "2001:db8::1");
		cl_sdp_edit_drop_attr(&ed, k, "crypto");
		cl_sdp_edit_append(&ed, k, "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s", key);
	}
	if (ed.err && ed.err != ENOSPC)
		abort();
	rc = cl_sdp_edit_build(&ed, small, sizeof(small), &n);
	if (rc != 0 && rc != ENOBUFS && rc != ed.err)
		abort();
	rc = cl_sdp_edit_build(&ed, big, sizeof(big), &n);
	if (rc != ed.err || (rc == 0 && (n >= sizeof(big) || big[n])))
		abort();
	/* c= inserted twice at most, one add per section plus one in the session. */
	if (!ed.err && build_and_reparse(3 + sdp.nmedia * 2, false) > 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cl_sdp_error err;
	char *text = malloc(size ? size : 1); /* exact size, no NUL after it */
	int rc;

	if (!text)
		abort();
	memcpy(text, data, size);
	rc = cl_sdp_parse(&sdp, text, size, &err);
	if (rc != 0 && (rc != EBADMSG || !err.msg[0]))
		abort();
	if (rc == 0) {
		cl_sdp_edit_init(&ed, &sdp);
		if (build_and_reparse(0, true) > 0)
			abort();
		apply_edits();
	}
	free(text);
	return 0;
}
