/* libFuzzer target: the a=crypto parser (RFC 4568 §9.1).
 * Parses arbitrary input, which must give 0 or EBADMSG, and a reason that is printable
 * and free of '"' (reasons go into Warning headers). A usable line must key an SRTP
 * session, must format, the formatted text must parse back to the same tag, suite,
 * keys, lifetimes, MKIs and session parameters, and one byte less room must give
 * ENOBUFS without writing past it. Any mismatch aborts. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "sdes/sdes.h"
#include "srtp/srtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUT_CAP 1024 /* four keys with every field, above CL_SDES_LINE_MAX */

static void check_why(const struct cl_sdes_crypto *c)
{
	if (!c->why)
		abort();
	for (const char *p = c->why; *p; p++) {
		if (*p < 0x20 || *p > 0x7e || *p == '"')
			abort();
	}
}

/* The MKI bytes on the wire must agree too (RFC 3711 §3.1: big-endian, mki_len bytes). */
static bool same_mki_bytes(const struct cl_sdes_key *x, const struct cl_sdes_key *y)
{
	uint8_t bx[CL_SRTP_MAX_MKI_LEN], by[CL_SRTP_MAX_MKI_LEN];

	cl_sdes_mki_bytes(x, bx);
	cl_sdes_mki_bytes(y, by);
	return memcmp(bx, by, x->mki_len) == 0;
}

static void check_same(const struct cl_sdes_crypto *a, const struct cl_sdes_crypto *b)
{
	if (!b->usable || a->tag != b->tag || a->suite != b->suite || a->nkeys != b->nkeys ||
	    a->kdr != b->kdr || a->wsh != b->wsh || a->unencrypted_srtp != b->unencrypted_srtp ||
	    a->unencrypted_srtcp != b->unencrypted_srtcp ||
	    a->unauthenticated_srtp != b->unauthenticated_srtp)
		abort();
	for (size_t i = 0; i < a->nkeys; i++) {
		const struct cl_sdes_key *x = &a->keys[i], *y = &b->keys[i];

		if (x->len != y->len || memcmp(x->key_salt, y->key_salt, x->len) != 0 ||
		    x->lifetime != y->lifetime || x->mki != y->mki || x->mki_len != y->mki_len ||
		    !same_mki_bytes(x, y))
			abort();
	}
}

/* A usable line must be one the SRTP engine accepts. */
static void check_srtp(const struct cl_sdes_crypto *c)
{
	struct cl_srtp_master_key keys[CL_SDES_MAX_KEYS];
	uint8_t mki[CL_SDES_MAX_KEYS][CL_SRTP_MAX_MKI_LEN];
	struct cl_srtp_params p;
	struct cl_srtp *s = NULL;

	if (cl_sdes_srtp_params(c, &p, keys, mki) != 0)
		abort();
	p.max_streams = 1;
	if (cl_srtp_alloc(&s, &p) != 0)
		abort();
	cl_srtp_free(s);
}

static void check_format(const struct cl_sdes_crypto *c)
{
	static struct cl_sdes_crypto back;
	char *out = malloc(OUT_CAP), *small;
	size_t len = 0, len2 = 0;

	if (!out || cl_sdes_format(c, out, OUT_CAP, &len) != 0 || len == 0 || len >= OUT_CAP ||
	    strlen(out) != len)
		abort();
	if (cl_sdes_parse(&back, (struct cl_slice){ out, len }) != 0)
		abort();
	check_same(c, &back);
	small = malloc(len - 1 ? len - 1 : 1);
	if (!small || cl_sdes_format(c, small, len - 1, &len2) != ENOBUFS)
		abort();
	cl_sdes_crypto_wipe(&back);
	free(small);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cl_sdes_crypto c;
	int rc;

	cl_log_set_level(CL_LOG_ERROR);
	rc = cl_sdes_parse(&c, (struct cl_slice){ (const char *)data, size });
	if (rc != 0 && rc != EBADMSG)
		abort();
	if (rc != 0 || !c.usable) {
		check_why(&c);
		if (c.nkeys != 0 || (rc == 0 && c.usable))
			abort();
	} else {
		if (c.why || !c.suite || c.nkeys < 1 || c.nkeys > CL_SDES_MAX_KEYS)
			abort();
		check_srtp(&c);
		check_format(&c);
	}
	cl_sdes_crypto_wipe(&c);
	return 0;
}
