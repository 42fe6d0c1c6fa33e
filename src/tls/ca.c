/* Trust anchors (an X509_STORE) and chain verification against them. */
#include <errno.h>
#include <stdio.h>

#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "tls_int.h"

void cl_tls_ca_free(struct cl_tls_ca *ca)
{
	X509_STORE_free(cl_store(ca));
}

/* Loads file's certificates; X509_STORE_load_file counts none as success. */
static int load_file(X509_STORE *st, const char *file)
{
	FILE *f = fopen(file, "r");

	if (!f)
		return errno ? errno : ENOENT;
	fclose(f);
	if (X509_STORE_load_file(st, file) != 1)
		return EBADMSG;
	for (int i = 0; i < sk_X509_OBJECT_num(X509_STORE_get0_objects(st)); i++)
		if (X509_OBJECT_get0_X509(sk_X509_OBJECT_value(X509_STORE_get0_objects(st), i)))
			return 0;
	return EBADMSG;
}

int cl_tls_ca_init(struct cl_tls_ca **cap, const char *file)
{
	X509_STORE *st = X509_STORE_new();
	int err = 0;

	if (!st)
		return ENOMEM;
	if (file)
		err = load_file(st, file);
	else if (X509_STORE_set_default_paths(st) != 1)
		err = ENOENT;
	ERR_clear_error();
	if (err) {
		X509_STORE_free(st);
		return err;
	}
	*cap = (struct cl_tls_ca *)(void *)st;
	return 0;
}

int cl_tls_ca_from_certs(struct cl_tls_ca **cap, struct cl_tls_cert *const *certs, size_t n)
{
	X509_STORE *st = X509_STORE_new();

	if (!st)
		return ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (X509_STORE_add_cert(st, cl_x509(certs[i])) != 1) {
			X509_STORE_free(st);
			ERR_clear_error();
			return ENOMEM;
		}
	}
	*cap = (struct cl_tls_ca *)(void *)st;
	return 0;
}

int cl_tls_chain_verify(const struct cl_tls_ca *ca, struct cl_tls_cert *const *chain, size_t n,
			int64_t at, struct cl_tls_result *res)
{
	X509_STORE_CTX *vc = NULL;
	STACK_OF(X509) *untrusted = NULL;
	int err = ENOMEM;

	if (!ca || n == 0)
		return EINVAL;
	vc = X509_STORE_CTX_new();
	untrusted = sk_X509_new_null();
	if (!vc || !untrusted)
		goto out;
	for (size_t i = 1; i < n; i++)
		if (!sk_X509_push(untrusted, cl_x509(chain[i])))
			goto out;
	if (X509_STORE_CTX_init(vc, cl_store(ca), cl_x509(chain[0]), untrusted) != 1)
		goto out;
	/* RFC 5280 §6 path validation; a TLS server certificate's purpose. */
	X509_STORE_CTX_set_purpose(vc, X509_PURPOSE_SSL_SERVER);
	if (at)
		X509_STORE_CTX_set_time(vc, 0, (time_t)at);
	if (X509_verify_cert(vc) == 1) {
		cl_tls_result_set(res, CL_TLS_OK, NULL);
		err = 0;
	} else {
		cl_tls_result_verify(res, X509_STORE_CTX_get_error(vc));
		err = EACCES;
	}
out:
	ERR_clear_error();
	sk_X509_free(untrusted);
	X509_STORE_CTX_free(vc);
	return err;
}
