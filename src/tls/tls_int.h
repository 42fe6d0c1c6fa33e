/* tls module internals: the opaque public types are OpenSSL's own objects, cast. */
#ifndef CL_TLS_INT_H
#define CL_TLS_INT_H

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "tls.h"

static inline X509 *cl_x509(const struct cl_tls_cert *c)
{
	return (X509 *)(uintptr_t)c;
}

static inline struct cl_tls_cert *cl_cert_of(X509 *x)
{
	return (struct cl_tls_cert *)(void *)x;
}

static inline EVP_PKEY *cl_pkey(const struct cl_tls_key *k)
{
	return (EVP_PKEY *)(uintptr_t)k;
}

static inline X509_STORE *cl_store(const struct cl_tls_ca *ca)
{
	return (X509_STORE *)(uintptr_t)ca;
}

/* Fills res from an X509_V_ERR_* code. */
void cl_tls_result_verify(struct cl_tls_result *res, long code);
/* Sets res to why and detail (may be NULL). */
void cl_tls_result_set(struct cl_tls_result *res, enum cl_tls_why why, const char *detail);
/* Converts an ASN1_TIME to Unix seconds. Returns 0 or EBADMSG. */
int cl_tls_asn1_time(const ASN1_TIME *t, int64_t *out);

#endif
