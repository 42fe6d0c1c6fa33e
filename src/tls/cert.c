/* Certificates: PEM in and out, what operators want to see of one (names, serial,
 * fingerprints, validity), and the reasons verification gives. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tls_int.h"

static const char *const g_why[] = {
	[CL_TLS_OK] = "ok",
	[CL_TLS_EXPIRED] = "expired",
	[CL_TLS_NOT_YET_VALID] = "not yet valid",
	[CL_TLS_UNKNOWN_CA] = "unknown CA",
	[CL_TLS_BAD_CHAIN] = "bad chain",
	[CL_TLS_NAME_MISMATCH] = "name mismatch",
	[CL_TLS_PROTOCOL_VERSION] = "protocol version",
	[CL_TLS_NO_SHARED_CIPHER] = "no shared cipher",
	[CL_TLS_ALERT] = "handshake alert",
	[CL_TLS_HANDSHAKE] = "handshake failure",
};

const char *cl_tls_why_str(enum cl_tls_why why)
{
	if ((size_t)why >= CL_ARRAY_SIZE(g_why) || !g_why[why])
		return "unknown";
	return g_why[why];
}

void cl_tls_result_set(struct cl_tls_result *res, enum cl_tls_why why, const char *detail)
{
	if (!res)
		return;
	res->why = why;
	snprintf(res->detail, sizeof(res->detail), "%s", detail ? detail : "");
}

/* Sorts X509_V_ERR_* codes into the reasons operators act on. */
void cl_tls_result_verify(struct cl_tls_result *res, long code)
{
	enum cl_tls_why why;

	switch (code) {
	case X509_V_OK:
		cl_tls_result_set(res, CL_TLS_OK, NULL);
		return;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		why = CL_TLS_EXPIRED;
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		why = CL_TLS_NOT_YET_VALID;
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_UNTRUSTED:
		why = CL_TLS_UNKNOWN_CA;
		break;
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		why = CL_TLS_NAME_MISMATCH;
		break;
	default:
		why = CL_TLS_BAD_CHAIN;
		break;
	}
	cl_tls_result_set(res, why, X509_verify_cert_error_string(code));
}

struct cl_tls_cert *cl_tls_cert_ref(struct cl_tls_cert *c)
{
	if (c)
		X509_up_ref(cl_x509(c));
	return c;
}

void cl_tls_cert_free(struct cl_tls_cert *c)
{
	X509_free(cl_x509(c));
}

void cl_tls_certs_free(struct cl_tls_cert **certs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cl_tls_cert_free(certs[i]);
		certs[i] = NULL;
	}
}

/* True when the PEM reader stopped because no further block starts (a clean end). */
static bool pem_clean_end(void)
{
	unsigned long e = ERR_peek_last_error();

	return ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE;
}

int cl_tls_pem_read_certs(struct cl_slice pem, struct cl_tls_cert **out, size_t cap,
			  size_t *n)
{
	BIO *bio;
	X509 *x;
	int err = 0;

	*n = 0;
	if (pem.len > INT_MAX)
		return EBADMSG;
	bio = BIO_new_mem_buf(pem.p, (int)pem.len);
	if (!bio)
		return ENOMEM;
	ERR_clear_error();
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (*n == cap) {
			X509_free(x);
			err = ENOSPC;
			goto out;
		}
		out[(*n)++] = cl_cert_of(x);
	}
	if (*n == 0 || !pem_clean_end())
		err = EBADMSG;
out:
	ERR_clear_error();
	BIO_free(bio);
	if (err) {
		cl_tls_certs_free(out, *n);
		*n = 0;
	}
	return err;
}

/* Copies what bio holds into out (NUL added). Returns 0 or ENOBUFS. */
static int bio_take(BIO *bio, char *out, size_t cap, size_t *len)
{
	char *p;
	long n = BIO_get_mem_data(bio, &p);

	if (n < 0 || (size_t)n >= cap)
		return ENOBUFS;
	memcpy(out, p, (size_t)n);
	out[n] = '\0';
	if (len)
		*len = (size_t)n;
	return 0;
}

int cl_tls_cert_pem(const struct cl_tls_cert *c, char *out, size_t cap, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int err = ENOMEM;

	if (bio && PEM_write_bio_X509(bio, cl_x509(c)) == 1)
		err = bio_take(bio, out, cap, len);
	BIO_free(bio);
	return err;
}

/* Prints a name the way `openssl x509 -subject` does (OpenSSL 3 default nameopt
 * "oneline" with UTF-8 kept), truncated on a UTF-8 boundary. */
static int name_text(const X509_NAME *name, char *out, size_t cap)
{
	const unsigned long flags = (XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) |
				    ASN1_STRFLGS_UTF8_CONVERT;
	BIO *bio = BIO_new(BIO_s_mem());
	char *p;
	long n;

	if (!bio)
		return ENOMEM;
	if (X509_NAME_print_ex(bio, name, 0, flags) < 0) {
		BIO_free(bio);
		return EBADMSG;
	}
	n = BIO_get_mem_data(bio, &p);
	if (n < 0)
		n = 0;
	if ((size_t)n >= cap) {
		n = (long)cap - 1;
		while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
			n--; /* p[n] would start the cut-off part: keep whole characters */
	}
	memcpy(out, p, (size_t)n);
	out[n] = '\0';
	BIO_free(bio);
	return 0;
}

/* The serial as `openssl x509 -serial` prints it: i2a_ASN1_INTEGER's hex. */
static int serial_text(const X509 *x, char *out, size_t cap)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int err = EBADMSG;

	if (!bio)
		return ENOMEM;
	if (i2a_ASN1_INTEGER(bio, X509_get0_serialNumber(x)) > 0)
		err = bio_take(bio, out, cap, NULL);
	BIO_free(bio);
	return err;
}

static int fingerprint(const X509 *x, const EVP_MD *md, char *out, size_t cap)
{
	unsigned char buf[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (X509_digest(x, md, buf, &n) != 1)
		return ENOMEM;
	return cl_tls_fingerprint_fmt(buf, n, out, cap);
}

int cl_tls_asn1_time(const ASN1_TIME *t, int64_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return EBADMSG;
	*out = (int64_t)timegm(&tm);
	return 0;
}

int cl_tls_cert_info(const struct cl_tls_cert *c, struct cl_tls_cert_info *info)
{
	const X509 *x = cl_x509(c);
	int err;

	memset(info, 0, sizeof(*info));
	err = name_text(X509_get_subject_name(x), info->subject, sizeof(info->subject));
	if (!err)
		err = name_text(X509_get_issuer_name(x), info->issuer, sizeof(info->issuer));
	if (!err)
		err = serial_text(x, info->serial, sizeof(info->serial));
	if (!err)
		err = fingerprint(x, EVP_sha1(), info->sha1, sizeof(info->sha1));
	if (!err)
		err = fingerprint(x, EVP_sha256(), info->sha256, sizeof(info->sha256));
	if (!err)
		err = cl_tls_asn1_time(X509_get0_notBefore(x), &info->not_before);
	if (!err)
		err = cl_tls_asn1_time(X509_get0_notAfter(x), &info->not_after);
	/* X509_check_ca() takes a non-const X509 only because it caches extensions. */
	info->is_ca = !err && X509_check_ca(cl_x509(c)) != 0;
	ERR_clear_error();
	return err;
}

int cl_tls_fingerprint_fmt(const uint8_t *md, size_t n, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";

	if (n == 0 || cap / 3 < n)
		return ENOBUFS;
	for (size_t i = 0; i < n; i++) {
		out[3 * i] = hex[md[i] >> 4];
		out[3 * i + 1] = hex[md[i] & 15];
		out[3 * i + 2] = i + 1 < n ? ':' : '\0';
	}
	return 0;
}

int64_t cl_tls_days_left(int64_t t, int64_t now)
{
	int64_t d = t - now;

	return d >= 0 ? d / 86400 : -((-d + 86399) / 86400);
}

int cl_tls_time_fmt(int64_t t, char *out, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (cap < CL_TLS_TIME_SIZE)
		return ENOBUFS;
	if ((int64_t)tt != t || !gmtime_r(&tt, &tm) || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 0)
		return EINVAL;
	if (strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) != CL_TLS_TIME_SIZE - 1)
		return EINVAL;
	return 0;
}

int cl_tls_chain_linked(struct cl_tls_cert *const *certs, size_t n, size_t *broken)
{
	if (n == 0)
		return EINVAL;
	for (size_t i = 0; i + 1 < n; i++) {
		X509 *sub = cl_x509(certs[i]), *iss = cl_x509(certs[i + 1]);
		EVP_PKEY *pk = X509_get0_pubkey(iss);

		/* X509_check_issued: names, AKID/SKID, and the issuer's keyCertSign. */
		if (X509_check_issued(iss, sub) != X509_V_OK || !pk || X509_verify(sub, pk) != 1) {
			ERR_clear_error();
			*broken = i;
			return EBADMSG;
		}
	}
	return 0;
}
