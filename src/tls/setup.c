/* What every TLS context gets (versions, ciphers, options), and loading the files
 * operators configure: certificate chains, keys and CA bundles, each failure worded
 * with the file and OpenSSL's reason. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "stream_int.h"

/* DESIGN.md security rules: TLS 1.2 gets forward secrecy and AEAD only (RFC 7525
 * §4.2); TLS 1.3 keeps OpenSSL's default suites, all AEAD with (EC)DHE. */
#define TLS12_CIPHERS "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL"
#define SID_CTX "cipherline"

void cl_tls_why(char *why, size_t cap, const char *fmt, ...)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;
	va_list ap;
	int n;

	if (why && cap) {
		va_start(ap, fmt);
		n = vsnprintf(why, cap, fmt, ap);
		va_end(ap);
		if (r && n >= 0 && (size_t)n < cap)
			snprintf(why + n, cap - (size_t)n, ": %s", r);
	}
	ERR_clear_error();
}

int cl_tls_ctx_harden(SSL_CTX *ctx)
{
	/* RFC 8996: no TLS 1.0/1.1. No compression (CRIME), no renegotiation. */
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(ctx, TLS12_CIPHERS) != 1)
		return ENOMEM;
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
					 SSL_OP_CIPHER_SERVER_PREFERENCE);
	/* A write may be partial and its retry may come from a moved buffer. */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	/* Sessions resume across the contexts of one server (SNI, client certs). */
	if (SSL_CTX_set_session_id_context(ctx, (const unsigned char *)SID_CTX,
					   sizeof(SID_CTX) - 1) != 1)
		return ENOMEM;
	return 0;
}

/* ENOENT when path cannot be opened, else 0 (the loaders' errors are vaguer). */
static int readable(const char *path)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return errno ? errno : ENOENT;
	fclose(f);
	return 0;
}

int cl_tls_ctx_load_pair(SSL_CTX *ctx, const char *chain_file, const char *key_file,
			 char *why, size_t cap)
{
	int err;

	if (!chain_file || !key_file) {
		cl_tls_why(why, cap, "a certificate needs both a chain file and a key file");
		return EINVAL;
	}
	if ((err = readable(chain_file)) != 0) {
		cl_tls_why(why, cap, "%s: %s", chain_file, strerror(err));
		return err;
	}
	if ((err = readable(key_file)) != 0) {
		cl_tls_why(why, cap, "%s: %s", key_file, strerror(err));
		return err;
	}
	ERR_clear_error();
	/* The leaf, then every further certificate as the chain sent (RFC 8446 §4.4.2). */
	if (SSL_CTX_use_certificate_chain_file(ctx, chain_file) != 1) {
		cl_tls_why(why, cap, "%s: no usable certificate chain", chain_file);
		return EBADMSG;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1 &&
	    ERR_GET_REASON(ERR_peek_last_error()) != X509_R_KEY_VALUES_MISMATCH) {
		cl_tls_why(why, cap, "%s: no usable private key", key_file);
		return EBADMSG;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		ERR_clear_error();
		cl_tls_why(why, cap, "%s: the key does not belong to the leaf of %s", key_file,
			   chain_file);
		return EBADMSG;
	}
	return 0;
}

int cl_tls_ctx_trust(SSL_CTX *ctx, const char *ca_file, char *why, size_t cap)
{
	struct cl_tls_ca *ca;
	int err = cl_tls_ca_init(&ca, ca_file);

	if (err) {
		cl_tls_why(why, cap, "%s: %s", ca_file ? ca_file : "the system CA bundle",
			   err == EBADMSG ? "no CA certificate" : strerror(err));
		return err;
	}
	SSL_CTX_set1_cert_store(ctx, cl_store(ca)); /* takes its own reference */
	cl_tls_ca_free(ca);
	return 0;
}
