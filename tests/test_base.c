/* base/: base64 (RFC 4648 §4, vectors from §10), hex (RFC 4648 §8) and slices. */
#include <errno.h>
#include <string.h>

#include "base/base.h"
#include "test.h"

/* RFC 4648 §10 test vectors: input, BASE64, BASE16. */
static const struct {
	const char *in, *b64, *b16;
} rfc4648[] = {
	{ "", "", "" },
	{ "f", "Zg==", "66" },
	{ "fo", "Zm8=", "666f" },
	{ "foo", "Zm9v", "666f6f" },
	{ "foob", "Zm9vYg==", "666f6f62" },
	{ "fooba", "Zm9vYmE=", "666f6f6261" },
	{ "foobar", "Zm9vYmFy", "666f6f626172" },
};

/* Decodes a C string as base64 into out; returns the error, length into *n. */
static int b64dec(const char *s, uint8_t *out, size_t cap, size_t *n)
{
	return cl_base64_decode(cl_slice_cstr(s), out, cap, n);
}

TEST(base_b64_encode_rfc4648)
{
	for (size_t i = 0; i < CL_ARRAY_SIZE(rfc4648); i++) {
		const char *in = rfc4648[i].in;
		char out[16];
		size_t n = 99;

		CHECK_INT(cl_base64_enc_len(strlen(in)), strlen(rfc4648[i].b64));
		CHECK_INT(cl_base64_encode((const uint8_t *)in, strlen(in), out, sizeof(out), &n), 0);
		CHECK_INT(n, strlen(rfc4648[i].b64));
		CHECK(strcmp(out, rfc4648[i].b64) == 0); /* NUL added when there is room */
	}
}

TEST(base_b64_encode_capacity)
{
	char out[16];
	size_t n = 0;

	/* Exactly the encoded length: succeeds, and writes no NUL past the end. */
	memset(out, 'X', sizeof(out));
	CHECK_INT(cl_base64_encode((const uint8_t *)"foob", 4, out, 8, &n), 0);
	CHECK_INT(n, 8);
	CHECK_MEM(out, "Zm9vYg==", 8);
	CHECK_INT(out[8], 'X');
	/* One short: ENOBUFS. */
	CHECK_INT(cl_base64_encode((const uint8_t *)"foob", 4, out, 7, &n), ENOBUFS);
	CHECK_INT(cl_base64_encode((const uint8_t *)"f", 1, out, 0, &n), ENOBUFS);
	/* Empty input into an empty buffer is fine. */
	CHECK_INT(cl_base64_encode((const uint8_t *)"", 0, out, 0, &n), 0);
	CHECK_INT(n, 0);
}

TEST(base_b64_decode_padded_and_unpadded)
{
	for (size_t i = 0; i < CL_ARRAY_SIZE(rfc4648); i++) {
		const char *b64 = rfc4648[i].b64, *in = rfc4648[i].in;
		char unpadded[16];
		uint8_t out[16];
		size_t n = 99, ulen = strcspn(b64, "=");

		CHECK_INT(b64dec(b64, out, sizeof(out), &n), 0);
		CHECK_INT(n, strlen(in));
		CHECK_MEM(out, in, n);
		/* rtpengine strips padding from SDES keys: the same bytes must come back. */
		memcpy(unpadded, b64, ulen);
		unpadded[ulen] = '\0';
		n = 99;
		CHECK_INT(b64dec(unpadded, out, sizeof(out), &n), 0);
		CHECK_INT(n, strlen(in));
		CHECK_MEM(out, in, n);
	}
}

TEST(base_b64_decode_sdes_key)
{
	/* RFC 4568 §6.1 example key‖salt: 40 characters, 30 bytes, no padding. */
	static const char key[] = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";
	uint8_t out[30], again[30];
	char enc[41];
	size_t n = 0;

	CHECK_INT(b64dec(key, out, sizeof(out), &n), 0);
	CHECK_INT(n, 30);
	CHECK_MEM(out, "=-n@%^x!Bjufr9)?,#5h\\`=&]{qiPQ", 30);
	CHECK_INT(cl_base64_encode(out, 30, enc, sizeof(enc), &n), 0);
	CHECK(strcmp(enc, key) == 0);
	CHECK_INT(b64dec(enc, again, sizeof(again), &n), 0);
	CHECK_MEM(again, out, 30);
}

TEST(base_b64_decode_rejects)
{
	static const char *const bad[] = {
		"Zm9v YmFy",  /* whitespace inside */
		"Zm9vYmFy\n", /* trailing newline */
		" Zm9v",      /* leading space */
		"Zm9v\tYmFy", /* tab */
		"Zm9v!mFy",   /* outside the alphabet */
		"Zm9v-_Fy",   /* the URL-safe alphabet (§5) is not accepted */
		"Zg=",        /* padding that does not complete a quantum */
		"Zg===",      /* too much padding */
		"Z===",
		"====",
		"=Zm9",       /* padding first */
		"Zm=9",       /* padding in the middle */
		"Zg==Zg==",   /* padding then more data */
		"Z",          /* a lone sextet carries no whole byte */
		"Zm9vY",
		"Zm9vY=",
		"Zh==",       /* §3.5: non-zero trailing bits ('h' = 100001) */
		"Zh",
		"Zm9=",       /* '9' = 111101: trailing 01 */
		"Zm9",
		"Zm/=",
	};
	uint8_t out[16];
	size_t n;

	for (size_t i = 0; i < CL_ARRAY_SIZE(bad); i++) {
		if (b64dec(bad[i], out, sizeof(out), &n) != EBADMSG) {
			cl_test_fail(t, __FILE__, __LINE__, "accepted \"%s\"", bad[i]);
			return;
		}
	}
	/* An embedded NUL is outside the alphabet too. */
	CHECK_INT(cl_base64_decode((struct cl_slice){ "Zm9v\0mFy", 8 }, out, sizeof(out), &n),
		  EBADMSG);
	/* A non-ASCII byte. */
	CHECK_INT(b64dec("Zm9v\xc3\xa9mF", out, sizeof(out), &n), EBADMSG);
}

TEST(base_b64_decode_capacity)
{
	uint8_t out[8];
	size_t n = 0;

	CHECK_INT(b64dec("Zm9vYmFy", out, 5, &n), ENOBUFS);
	CHECK_INT(b64dec("Zm9vYmFy", out, 6, &n), 0);
	CHECK_INT(n, 6);
	CHECK_INT(b64dec("Zg==", out, 0, &n), ENOBUFS);
	CHECK_INT(b64dec("", out, 0, &n), 0);
	CHECK_INT(n, 0);
	/* outlen may be NULL. */
	CHECK_INT(b64dec("Zm8", out, sizeof(out), NULL), 0);
	CHECK_MEM(out, "fo", 2);
}

TEST(base_b64_roundtrip_all_lengths)
{
	uint8_t in[64], out[64];
	char enc[89];

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 37 + 251);
	for (size_t len = 0; len <= sizeof(in); len++) {
		size_t elen = 0, dlen = 0;

		CHECK_INT(cl_base64_encode(in, len, enc, sizeof(enc), &elen), 0);
		CHECK_INT(elen, cl_base64_enc_len(len));
		CHECK_INT(elen % 4, 0);
		CHECK_INT(cl_base64_decode((struct cl_slice){ enc, elen }, out, sizeof(out), &dlen), 0);
		CHECK_INT(dlen, len);
		CHECK_MEM(out, in, len);
		/* and again without its padding */
		while (elen > 0 && enc[elen - 1] == '=')
			elen--;
		CHECK_INT(cl_base64_decode((struct cl_slice){ enc, elen }, out, sizeof(out), &dlen), 0);
		CHECK_INT(dlen, len);
		CHECK_MEM(out, in, len);
	}
}

TEST(base_hex_rfc4648)
{
	for (size_t i = 0; i < CL_ARRAY_SIZE(rfc4648); i++) {
		const char *in = rfc4648[i].in;
		char enc[16];
		uint8_t dec[8];
		size_t n = 99;

		CHECK_INT(cl_hex_encode((const uint8_t *)in, strlen(in), enc, sizeof(enc)), 0);
		CHECK(strcmp(enc, rfc4648[i].b16) == 0);
		CHECK_INT(cl_hex_decode(cl_slice_cstr(rfc4648[i].b16), dec, sizeof(dec), &n), 0);
		CHECK_INT(n, strlen(in));
		CHECK_MEM(dec, in, n);
	}
}

TEST(base_hex_decode)
{
	uint8_t out[8];
	size_t n = 0;

	CHECK_INT(cl_hex_decode(cl_slice_cstr("DEADbeef"), out, sizeof(out), &n), 0);
	CHECK_INT(n, 4);
	CHECK_MEM(out, "\xde\xad\xbe\xef", 4);
	/* Spaces and tabs between bytes are skipped (vectors as the RFCs print them). */
	CHECK_INT(cl_hex_decode(cl_slice_cstr(" de ad\tbe  ef "), out, sizeof(out), &n), 0);
	CHECK_INT(n, 4);
	CHECK_MEM(out, "\xde\xad\xbe\xef", 4);
	/* ... but not inside a byte. */
	CHECK_INT(cl_hex_decode(cl_slice_cstr("d e"), out, sizeof(out), &n), EBADMSG);
	CHECK_INT(cl_hex_decode(cl_slice_cstr("abc"), out, sizeof(out), &n), EBADMSG);
	CHECK_INT(cl_hex_decode(cl_slice_cstr("0g"), out, sizeof(out), &n), EBADMSG);
	CHECK_INT(cl_hex_decode(cl_slice_cstr("0x00"), out, sizeof(out), &n), EBADMSG);
	CHECK_INT(cl_hex_decode(cl_slice_cstr("00\n"), out, sizeof(out), &n), EBADMSG);
	CHECK_INT(cl_hex_decode(cl_slice_cstr("0011223344"), out, 4, &n), ENOBUFS);
	CHECK_INT(cl_hex_decode(cl_slice_cstr("00112233"), out, 4, &n), 0);
	CHECK_INT(n, 4);
	CHECK_INT(cl_hex_decode(cl_slice_cstr(""), out, 0, &n), 0);
	CHECK_INT(n, 0);
}

TEST(base_hex_encode)
{
	static const uint8_t in[] = { 0x00, 0x0f, 0xa0, 0xff };
	char out[9];

	memset(out, 'X', sizeof(out));
	CHECK_INT(cl_hex_encode(in, sizeof(in), out, 8), ENOBUFS); /* needs room for NUL */
	CHECK_INT(cl_hex_encode(in, sizeof(in), out, 9), 0);
	CHECK(strcmp(out, "000fa0ff") == 0);
	CHECK_INT(cl_hex_encode(in, 0, out, 1), 0);
	CHECK_INT(out[0], '\0');
	CHECK_INT(cl_hex_encode(in, 0, out, 0), ENOBUFS);
}

TEST(base_slices)
{
	struct cl_slice a = cl_slice_cstr("INLINE"), b = CL_SLICE_LIT("inline");
	struct cl_slice e = cl_slice_cstr(NULL), e2 = cl_slice_cstr("");

	CHECK_INT(a.len, 6);
	CHECK_INT(b.len, 6);
	CHECK_INT(e.len, 0);
	CHECK(e.p != NULL);
	CHECK(cl_slice_eq(e, e2));
	CHECK(cl_slice_eq(e, (struct cl_slice){ NULL, 0 }));
	CHECK(!cl_slice_eq(a, b));
	CHECK(cl_slice_eq(b, cl_slice_cstr("inline")));
	CHECK(cl_slice_casecmp_eq(a, b));
	CHECK(cl_slice_casecmp_eq(CL_SLICE_LIT("a=Crypto:1"), CL_SLICE_LIT("A=cRYPTO:1")));
	CHECK(!cl_slice_casecmp_eq(a, CL_SLICE_LIT("inlin")));
	CHECK(!cl_slice_casecmp_eq(CL_SLICE_LIT("["), CL_SLICE_LIT("{"))); /* not letters */
	CHECK(!cl_slice_casecmp_eq(CL_SLICE_LIT("@"), CL_SLICE_LIT("`")));
	/* A slice need not be NUL-terminated: compare a view into a longer buffer. */
	CHECK(cl_slice_eq((struct cl_slice){ "inline:xyz", 6 }, b));
	CHECK(!cl_slice_eq((struct cl_slice){ "inline:xyz", 7 }, b));
	CHECK_INT(CL_MIN(3, 5), 3);
	CHECK_INT(CL_MAX(3, 5), 5);
}
