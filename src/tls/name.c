/* SIP domain identity in certificates, RFC 5922 §7.
 *
 * §7.1 finds the identities: each subjectAltName URI whose scheme is "sip" and
 * which has no user part gives its host; dNSName entries count only when no such
 * URI exists; the subject CN counts only when there is no subjectAltName at all.
 * §7.2 compares them: whole values only, case-insensitively (DNS names), never a
 * suffix, never a wildcard ("*.example.com" matches only "*.example.com"). */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "tls_int.h"

static const char *const g_match[] = {
	[CL_TLS_MATCH_NONE] = "none",
	[CL_TLS_MATCH_SIP_URI] = "SAN URI",
	[CL_TLS_MATCH_DNS] = "SAN DNS",
	[CL_TLS_MATCH_CN] = "CN",
	[CL_TLS_MATCH_IP] = "SAN IP",
};

const char *cl_tls_match_str(enum cl_tls_match m)
{
	return (size_t)m < CL_ARRAY_SIZE(g_match) ? g_match[m] : "none";
}

/* A DNS host name: LDH labels separated by dots (a trailing dot allowed). The
 * wildcard and leading-dot forms are kept as identities; they just never match
 * anything but themselves. */
static bool host_chars_ok(struct cl_slice h)
{
	if (h.len == 0)
		return false;
	for (size_t i = 0; i < h.len; i++) {
		unsigned char ch = (unsigned char)h.p[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '*'))
			return false;
	}
	return true;
}

int cl_tls_sip_uri_host(struct cl_slice uri, struct cl_slice *host)
{
	struct cl_slice scheme = { uri.p, CL_MIN(uri.len, (size_t)4) };
	struct cl_slice h;

	/* RFC 5922 §7.1: only the "sip" scheme names a SIP domain; "sips" does not. */
	if (uri.len < 5 || !cl_slice_casecmp_eq(scheme, CL_SLICE_LIT("sip:")))
		return EBADMSG;
	h = (struct cl_slice){ uri.p + 4, uri.len - 4 };
	/* A user part ("@"), a port, parameters or headers: not a domain identity. */
	if (!host_chars_ok(h))
		return EBADMSG;
	*host = h;
	return 0;
}

/* Drops one trailing dot: "example.com." is the same DNS name. */
static struct cl_slice strip_dot(struct cl_slice s)
{
	if (s.len > 0 && s.p[s.len - 1] == '.')
		s.len--;
	return s;
}

bool cl_tls_sip_domain_eq(struct cl_slice identity, struct cl_slice domain)
{
	identity = strip_dot(identity);
	domain = strip_dot(domain);
	if (identity.len == 0 || domain.len == 0)
		return false;
	/* §7.2: entire values, no suffixes, no wildcards: a byte-wise caseless compare
	 * makes "*.example.com" match only itself. */
	return cl_slice_casecmp_eq(identity, domain);
}

/* The IA5String of a GENERAL_NAME as a slice (OpenSSL does not NUL-terminate it
 * reliably, and it may contain NULs, which host_chars_ok refuses). */
static struct cl_slice ia5(const ASN1_IA5STRING *s)
{
	return (struct cl_slice){ (const char *)ASN1_STRING_get0_data(s),
				  (size_t)ASN1_STRING_length(s) };
}

/* Walks the SAN entries of one type (GEN_URI or GEN_DNS): true when one matches
 * domain. *seen counts the entries that are SIP domain identities at all. */
static bool san_match(const GENERAL_NAMES *gens, int type, struct cl_slice domain, int *seen)
{
	struct cl_slice v, host;

	*seen = 0;
	for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);

		if (g->type != type)
			continue;
		v = ia5(type == GEN_URI ? g->d.uniformResourceIdentifier : g->d.dNSName);
		if (type == GEN_URI) {
			if (cl_tls_sip_uri_host(v, &host) != 0)
				continue;
			v = host;
		} else if (!host_chars_ok(v)) {
			continue;
		}
		(*seen)++;
		if (cl_tls_sip_domain_eq(v, domain))
			return true;
	}
	return false;
}

/* §7.1: the CN, only for a certificate without subjectAltName, and only when it
 * holds a valid DNS name. Every CN of the subject is tried. */
static bool cn_match(const X509 *x, struct cl_slice domain)
{
	const X509_NAME *nm = X509_get_subject_name(x);
	int i = -1;

	while ((i = X509_NAME_get_index_by_NID(nm, NID_commonName, i)) >= 0) {
		const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, i));
		struct cl_slice v = { (const char *)ASN1_STRING_get0_data(s),
				      (size_t)ASN1_STRING_length(s) };

		if (ASN1_STRING_type(s) == V_ASN1_BMPSTRING ||
		    ASN1_STRING_type(s) == V_ASN1_UNIVERSALSTRING)
			continue; /* never ASCII host names */
		if (host_chars_ok(v) && cl_tls_sip_domain_eq(v, domain))
			return true;
	}
	return false;
}

enum cl_tls_match cl_tls_name_match_rfc5922(const struct cl_tls_cert *c, struct cl_slice domain)
{
	const X509 *x = cl_x509(c);
	GENERAL_NAMES *gens;
	enum cl_tls_match m = CL_TLS_MATCH_NONE;
	int crit = -1, uris = 0, dns = 0;

	if (!host_chars_ok(domain))
		return CL_TLS_MATCH_NONE;
	gens = X509_get_ext_d2i(x, NID_subject_alt_name, &crit, NULL);
	if (!gens) {
		ERR_clear_error();
		/* crit == -1: no subjectAltName at all; otherwise it did not decode. */
		return crit == -1 && cn_match(x, domain) ? CL_TLS_MATCH_CN : CL_TLS_MATCH_NONE;
	}
	if (san_match(gens, GEN_URI, domain, &uris))
		m = CL_TLS_MATCH_SIP_URI;
	/* §7.1: a dNSName is an identity if and only if no sip: URI identity exists. */
	else if (uris == 0 && san_match(gens, GEN_DNS, domain, &dns))
		m = CL_TLS_MATCH_DNS;
	GENERAL_NAMES_free(gens);
	return m;
}

bool cl_tls_is_ip(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

enum cl_tls_match cl_tls_name_match_ip(const struct cl_tls_cert *c, const char *ip)
{
	int r;

	if (!cl_tls_is_ip(ip))
		return CL_TLS_MATCH_NONE;
	r = X509_check_ip_asc(cl_x509(c), ip, 0);
	ERR_clear_error();
	return r == 1 ? CL_TLS_MATCH_IP : CL_TLS_MATCH_NONE;
}
