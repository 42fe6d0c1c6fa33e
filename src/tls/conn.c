/* TLS client contexts and connections: TLS 1.2 minimum, strong ciphers only, a
 * handshake that runs on blocking or non-blocking sockets, and failures sorted
 * into the reasons operators act on (expired, unknown CA, protocol version, ...). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "tls_int.h"

/* TLS 1.2: forward secrecy and AEAD only. TLS 1.3 keeps OpenSSL's suites, all AEAD. */
#define TLS12_CIPHERS "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL"

struct cl_tls_conn {
	SSL *ssl;
	bool done;
};

static SSL_CTX *sslctx(const struct cl_tls_ctx *ctx)
{
	return (SSL_CTX *)(uintptr_t)ctx;
}

int cl_tls_ctx_client(struct cl_tls_ctx **ctxp, struct cl_tls_ca *ca,
		      enum cl_tls_verify_mode mode)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx)
		goto fail;
	/* DESIGN.md security rules: TLS 1.2 and later only, strong ciphers. */
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(ctx, TLS12_CIPHERS) != 1)
		goto fail;
	if (ca)
		SSL_CTX_set1_cert_store(ctx, cl_store(ca));
	SSL_CTX_set_verify(ctx, mode == CL_TLS_VERIFY_REQUIRE ? SSL_VERIFY_PEER : SSL_VERIFY_NONE,
			   NULL);
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
	*ctxp = (struct cl_tls_ctx *)(void *)ctx;
	return 0;
fail:
	SSL_CTX_free(ctx);
	ERR_clear_error();
	return ENOMEM;
}

void cl_tls_ctx_free(struct cl_tls_ctx *ctx)
{
	SSL_CTX_free(sslctx(ctx));
}

int cl_tls_conn_client(struct cl_tls_conn **cp, struct cl_tls_ctx *ctx, int fd, const char *sni)
{
	struct cl_tls_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return ENOMEM;
	c->ssl = SSL_new(sslctx(ctx));
	if (!c->ssl || SSL_set_fd(c->ssl, fd) != 1)
		goto fail;
	/* RFC 6066 §3: SNI carries a host name, never an address literal. */
	if (sni && *sni && !cl_tls_is_ip(sni) && SSL_set_tlsext_host_name(c->ssl, sni) != 1)
		goto fail;
	SSL_set_connect_state(c->ssl);
	*cp = c;
	return 0;
fail:
	SSL_free(c->ssl);
	free(c);
	ERR_clear_error();
	return ENOMEM;
}

/* Sorts an SSL library reason code. */
static enum cl_tls_why ssl_reason_why(int reason)
{
	switch (reason) {
	case SSL_R_UNSUPPORTED_PROTOCOL:
	case SSL_R_UNSUPPORTED_SSL_VERSION:
	case SSL_R_WRONG_VERSION_NUMBER:
	case SSL_R_VERSION_TOO_LOW:
	case SSL_R_NO_PROTOCOLS_AVAILABLE:
	case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
		return CL_TLS_PROTOCOL_VERSION;
	case SSL_R_NO_SHARED_CIPHER:
	case SSL_R_NO_CIPHERS_AVAILABLE:
		return CL_TLS_NO_SHARED_CIPHER;
	default:
		/* SSL_AD_REASON_OFFSET + alert code: the peer sent that alert. */
		if (reason >= SSL_AD_REASON_OFFSET && reason < SSL_AD_REASON_OFFSET + 256)
			return CL_TLS_ALERT;
		return CL_TLS_HANDSHAKE;
	}
}

/* Fills res from OpenSSL's error queue after SSL_ERROR_SSL. */
static void handshake_failed(const struct cl_tls_conn *c, struct cl_tls_result *res)
{
	unsigned long e = ERR_peek_error();
	int reason = ERR_GET_REASON(e);
	char buf[120];

	if (ERR_GET_LIB(e) == ERR_LIB_SSL && reason == SSL_R_CERTIFICATE_VERIFY_FAILED) {
		cl_tls_result_verify(res, SSL_get_verify_result(c->ssl));
		return;
	}
	if (e == 0) {
		cl_tls_result_set(res, CL_TLS_HANDSHAKE, "handshake failed");
		return;
	}
	ERR_error_string_n(e, buf, sizeof(buf));
	cl_tls_result_set(res, ERR_GET_LIB(e) == ERR_LIB_SSL ? ssl_reason_why(reason)
							    : CL_TLS_HANDSHAKE,
			  ERR_reason_error_string(e) ? ERR_reason_error_string(e) : buf);
}

int cl_tls_conn_handshake(struct cl_tls_conn *c, bool *want_write, struct cl_tls_result *res)
{
	int r, e;

	*want_write = false;
	if (c->done)
		return 0;
	ERR_clear_error();
	errno = 0;
	r = SSL_do_handshake(c->ssl);
	if (r == 1) {
		c->done = true;
		cl_tls_result_set(res, CL_TLS_OK, NULL);
		return 0;
	}
	e = SSL_get_error(c->ssl, r);
	switch (e) {
	case SSL_ERROR_WANT_READ:
		return EAGAIN;
	case SSL_ERROR_WANT_WRITE:
		*want_write = true;
		return EAGAIN;
	case SSL_ERROR_SYSCALL:
		if (errno == 0 || errno == EPIPE || errno == ECONNRESET) {
			/* RFC 8446 §6: a TLS peer says why with an alert; this one just left. */
			cl_tls_result_set(res, CL_TLS_HANDSHAKE,
					  "the peer closed the connection during the handshake");
			ERR_clear_error();
			return EPROTO;
		}
		e = errno;
		cl_tls_result_set(res, CL_TLS_HANDSHAKE, strerror(e));
		ERR_clear_error();
		return EIO;
	default:
		handshake_failed(c, res);
		ERR_clear_error();
		return EPROTO;
	}
}

const char *cl_tls_conn_version(const struct cl_tls_conn *c)
{
	return SSL_get_version(c->ssl);
}

const char *cl_tls_conn_cipher(const struct cl_tls_conn *c)
{
	const char *n = SSL_get_cipher_name(c->ssl);

	return n ? n : "(none)";
}

size_t cl_tls_conn_peer_chain(const struct cl_tls_conn *c, struct cl_tls_cert **out, size_t cap)
{
	/* On the client side the chain includes the leaf, in the order sent. */
	STACK_OF(X509) *sk = SSL_get_peer_cert_chain(c->ssl);
	size_t n = 0;

	for (int i = 0; sk && i < sk_X509_num(sk) && n < cap; i++) {
		X509 *x = sk_X509_value(sk, i);

		X509_up_ref(x);
		out[n++] = cl_cert_of(x);
	}
	return n;
}

int cl_tls_conn_verify(const struct cl_tls_conn *c, struct cl_tls_result *res)
{
	long v;

	if (!SSL_get0_peer_certificate(c->ssl)) {
		cl_tls_result_set(res, CL_TLS_BAD_CHAIN, "the peer sent no certificate");
		return EACCES;
	}
	v = SSL_get_verify_result(c->ssl);
	cl_tls_result_verify(res, v);
	return v == X509_V_OK ? 0 : EACCES;
}

void cl_tls_conn_free(struct cl_tls_conn *c)
{
	if (!c)
		return;
	if (c->done)
		(void)SSL_shutdown(c->ssl); /* one close_notify; no waiting for the peer's */
	SSL_free(c->ssl);
	ERR_clear_error();
	free(c);
}
