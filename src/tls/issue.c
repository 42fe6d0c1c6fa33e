/* Issuing certificates: EC P-256 keys, X.509 v3 certificates signed with ECDSA and
 * SHA-256, random serials, and the local CA -> intermediate -> leaf of `cert init`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tls_int.h"

#define DAY 86400
#define CN_MAX 64 /* RFC 5280 Appendix A: ub-common-name */

int cl_tls_key_gen(struct cl_tls_key **kp)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	ERR_clear_error();
	if (!k)
		return ENOMEM;
	*kp = (struct cl_tls_key *)(void *)k;
	return 0;
}

void cl_tls_key_free(struct cl_tls_key *k)
{
	EVP_PKEY_free(cl_pkey(k));
}

int cl_tls_key_pem(const struct cl_tls_key *k, char *out, size_t cap, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_secmem());
	char *p;
	long n;
	int err = ENOMEM;

	if (!bio)
		return ENOMEM;
	if (PEM_write_bio_PrivateKey(bio, cl_pkey(k), NULL, NULL, 0, NULL, NULL) == 1) {
		n = BIO_get_mem_data(bio, &p);
		err = ENOBUFS;
		if (n >= 0 && (size_t)n < cap) {
			memcpy(out, p, (size_t)n);
			out[n] = '\0';
			*len = (size_t)n;
			err = 0;
		}
	}
	BIO_free(bio); /* a secure-heap BIO is cleansed on free */
	ERR_clear_error();
	return err;
}

/* RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; 159 random bits. */
static int set_serial(X509 *x)
{
	BIGNUM *bn = BN_new();
	int ok = bn && BN_rand(bn, 159, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) == 1 &&
		 BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;

	BN_free(bn);
	return ok ? 0 : ENOMEM;
}

/* Adds one SAN entry of type with text value. */
static int san_add(GENERAL_NAMES *gens, int type, const char *v)
{
	GENERAL_NAME *g = NULL;
	ASN1_IA5STRING *s;

	if (type == GEN_IPADD) {
		ASN1_OCTET_STRING *ip = a2i_IPADDRESS(v);

		if (!ip)
			return EINVAL;
		g = GENERAL_NAME_new();
		if (!g) {
			ASN1_OCTET_STRING_free(ip);
			return ENOMEM;
		}
		GENERAL_NAME_set0_value(g, GEN_IPADD, ip);
	} else {
		s = ASN1_IA5STRING_new();
		g = GENERAL_NAME_new();
		if (!s || !g || ASN1_STRING_set(s, v, (int)strlen(v)) != 1) {
			ASN1_IA5STRING_free(s);
			GENERAL_NAME_free(g);
			return ENOMEM;
		}
		GENERAL_NAME_set0_value(g, type, s);
	}
	if (!sk_GENERAL_NAME_push(gens, g)) {
		GENERAL_NAME_free(g);
		return ENOMEM;
	}
	return 0;
}

static int add_san(X509 *x, const struct cl_tls_cert_spec *s)
{
	GENERAL_NAMES *gens;
	int err = 0;

	if (s->ndns + s->nips + s->nuris == 0)
		return 0;
	gens = sk_GENERAL_NAME_new_null();
	if (!gens)
		return ENOMEM;
	for (size_t i = 0; !err && i < s->ndns; i++)
		err = san_add(gens, GEN_DNS, s->dns[i]);
	for (size_t i = 0; !err && i < s->nips; i++)
		err = san_add(gens, GEN_IPADD, s->ips[i]);
	for (size_t i = 0; !err && i < s->nuris; i++)
		err = san_add(gens, GEN_URI, s->uris[i]);
	/* RFC 5280 §4.2.1.6: critical when the subject is empty. */
	if (!err && X509_add1_ext_i2d(x, NID_subject_alt_name, gens, !s->cn, 0) != 1)
		err = ENOMEM;
	GENERAL_NAMES_free(gens);
	return err;
}

/* Adds one extension from its openssl.cnf text, with ctx giving issuer/subject. */
static int add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	int ok = e && X509_add_ext(x, e, -1) == 1;

	X509_EXTENSION_free(e);
	return ok ? 0 : ENOMEM;
}

static int add_exts(X509 *x, X509 *issuer, const struct cl_tls_cert_spec *s)
{
	X509V3_CTX ctx;
	char bc[48];
	int err;

	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	if (s->ca && s->path_len >= 0)
		snprintf(bc, sizeof(bc), "critical,CA:TRUE,pathlen:%d", s->path_len);
	else
		snprintf(bc, sizeof(bc), "critical,CA:%s", s->ca ? "TRUE" : "FALSE");
	err = add_ext(x, &ctx, NID_basic_constraints, bc);
	if (!err)
		err = add_ext(x, &ctx, NID_key_usage,
			      s->ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
	if (!err && !s->ca)
		err = add_ext(x, &ctx, NID_ext_key_usage, "serverAuth,clientAuth");
	if (!err)
		err = add_ext(x, &ctx, NID_subject_key_identifier, "hash");
	if (!err && issuer)
		err = add_ext(x, &ctx, NID_authority_key_identifier, "keyid:always");
	if (!err)
		err = add_san(x, s);
	return err;
}

/* Version, serial, names, validity and public key. */
static int set_fields(X509 *x, const struct cl_tls_cert_spec *s, EVP_PKEY *key,
		      const X509 *issuer)
{
	X509_NAME *nm = X509_get_subject_name(x);

	if (X509_set_version(x, X509_VERSION_3) != 1 || set_serial(x) != 0)
		return ENOMEM;
	if (s->cn && X509_NAME_add_entry_by_NID(nm, NID_commonName, MBSTRING_UTF8,
						(const unsigned char *)s->cn, -1, -1, 0) != 1)
		return EINVAL;
	if (X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : nm) != 1)
		return ENOMEM;
	if (!ASN1_TIME_set(X509_getm_notBefore(x), (time_t)s->not_before) ||
	    !ASN1_TIME_set(X509_getm_notAfter(x), (time_t)s->not_after))
		return EINVAL;
	return X509_set_pubkey(x, key) == 1 ? 0 : ENOMEM;
}

int cl_tls_cert_issue(struct cl_tls_cert **cp, const struct cl_tls_cert_spec *spec,
		      const struct cl_tls_key *key, const struct cl_tls_cert *issuer,
		      const struct cl_tls_key *issuer_key)
{
	X509 *x = X509_new(), *ix = issuer ? cl_x509(issuer) : NULL;
	EVP_PKEY *signer = cl_pkey(issuer ? issuer_key : key);
	int err = ENOMEM;

	if (!x || !key || (issuer && !issuer_key) || spec->not_after < spec->not_before) {
		err = x ? EINVAL : ENOMEM;
		goto out;
	}
	err = set_fields(x, spec, cl_pkey(key), ix);
	if (!err)
		err = add_exts(x, ix, spec);
	if (!err && X509_sign(x, signer, EVP_sha256()) <= 0)
		err = ENOMEM;
out:
	ERR_clear_error();
	if (err) {
		X509_free(x);
		return err;
	}
	*cp = cl_cert_of(x);
	return 0;
}

void cl_tls_pki_free(struct cl_tls_pki *p)
{
	cl_tls_cert_free(p->leaf);
	cl_tls_cert_free(p->inter);
	cl_tls_cert_free(p->ca);
	cl_tls_key_free(p->leaf_key);
	cl_tls_key_free(p->inter_key);
	cl_tls_key_free(p->ca_key);
	memset(p, 0, sizeof(*p));
}

static int issue_leaf(struct cl_tls_pki *p, const char *name, const char *const *ips,
		      size_t nips, unsigned days, int64_t now)
{
	char uri[300];
	const char *uris[] = { uri };
	struct cl_tls_cert_spec s = {
		.cn = strlen(name) <= CN_MAX ? name : NULL, .dns = &name, .ndns = 1, .ips = ips, .nips = nips,
		.uris = uris, .nuris = 1, .not_before = now - 3600,
		.not_after = now + (int64_t)days * DAY, .path_len = -1,
	};

	/* RFC 5922 §7.1: the SIP domain as a SAN URI sip:name, beside the dNSName. */
	if ((size_t)snprintf(uri, sizeof(uri), "sip:%s", name) >= sizeof(uri))
		return EINVAL;
	return cl_tls_cert_issue(&p->leaf, &s, p->leaf_key, p->inter, p->inter_key);
}

int cl_tls_pki_init(struct cl_tls_pki *p, const char *name, const char *const *ips, size_t nips,
		    unsigned days, int64_t now)
{
	char ca_cn[CN_MAX + 1], in_cn[CN_MAX + 1]; /* truncated: a CN is at most 64 */
	int64_t ca_days = (days > 3650 ? days : 3650) + 1;
	struct cl_tls_cert_spec ca = { .cn = ca_cn, .not_before = now - 3600,
				       .not_after = now + ca_days * DAY, .ca = true,
				       .path_len = 1 };
	struct cl_tls_cert_spec in = ca;
	int err;

	memset(p, 0, sizeof(*p));
	if (!name || !*name || days == 0)
		return EINVAL;
	snprintf(ca_cn, sizeof(ca_cn), "cipherline local CA for %s", name);
	snprintf(in_cn, sizeof(in_cn), "cipherline intermediate for %s", name);
	in.cn = in_cn;
	in.path_len = 0;
	err = cl_tls_key_gen(&p->ca_key);
	if (!err)
		err = cl_tls_key_gen(&p->inter_key);
	if (!err)
		err = cl_tls_key_gen(&p->leaf_key);
	if (!err)
		err = cl_tls_cert_issue(&p->ca, &ca, p->ca_key, NULL, NULL);
	if (!err)
		err = cl_tls_cert_issue(&p->inter, &in, p->inter_key, p->ca, p->ca_key);
	if (!err)
		err = issue_leaf(p, name, ips, nips, days, now);
	if (err)
		cl_tls_pki_free(p);
	return err;
}
