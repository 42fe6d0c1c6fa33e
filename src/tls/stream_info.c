/* What a stream tells after its handshake: version, cipher, resumption, SNI, the
 * peer's chain and whether it verified, and RFC 5922 identity for connection reuse. */
#include <errno.h>

#include "stream_int.h"

const struct cl_tls_result *cl_tls_stream_result(const struct cl_tls_stream *s)
{
	return &s->res;
}

const char *cl_tls_stream_peer(const struct cl_tls_stream *s)
{
	return s->peer;
}

const char *cl_tls_stream_version(const struct cl_tls_stream *s)
{
	return SSL_get_version(s->ssl);
}

const char *cl_tls_stream_cipher(const struct cl_tls_stream *s)
{
	const char *n = SSL_get_cipher_name(s->ssl);

	return n ? n : "(none)";
}

bool cl_tls_stream_resumed(const struct cl_tls_stream *s)
{
	return SSL_session_reused(s->ssl) == 1;
}

const char *cl_tls_stream_sni(const struct cl_tls_stream *s)
{
	return s->server ? SSL_get_servername(s->ssl, TLSEXT_NAMETYPE_host_name) : NULL;
}

size_t cl_tls_stream_peer_chain(const struct cl_tls_stream *s, struct cl_tls_cert **out,
				size_t cap)
{
	/* A client's chain starts with the leaf, a server's omits it: add it once. */
	X509 *leaf = SSL_get0_peer_certificate(s->ssl);
	STACK_OF(X509) *sk = SSL_get_peer_cert_chain(s->ssl);
	size_t n = 0;

	if (!leaf || cap == 0)
		return 0;
	X509_up_ref(leaf);
	out[n++] = cl_cert_of(leaf);
	for (int i = 0; sk && i < sk_X509_num(sk) && n < cap; i++) {
		X509 *x = sk_X509_value(sk, i);

		if (i == 0 && X509_cmp(x, leaf) == 0)
			continue;
		X509_up_ref(x);
		out[n++] = cl_cert_of(x);
	}
	return n;
}

int cl_tls_stream_verify(const struct cl_tls_stream *s, struct cl_tls_result *res)
{
	long v;

	if (!SSL_get0_peer_certificate(s->ssl)) {
		cl_tls_result_set(res, CL_TLS_BAD_CHAIN, "the peer sent no certificate");
		return EACCES;
	}
	v = SSL_get_verify_result(s->ssl);
	cl_tls_result_verify(res, v);
	return v == X509_V_OK ? 0 : EACCES;
}

bool cl_tls_stream_peer_is(const struct cl_tls_stream *s, const char *domain)
{
	X509 *leaf = SSL_get0_peer_certificate(s->ssl);

	if (!leaf || !domain || !s->done || SSL_get_verify_result(s->ssl) != X509_V_OK)
		return false;
	if (cl_tls_is_ip(domain))
		return cl_tls_name_match_ip(cl_cert_of(leaf), domain) != CL_TLS_MATCH_NONE;
	return cl_tls_name_match_rfc5922(cl_cert_of(leaf), cl_slice_cstr(domain)) !=
	       CL_TLS_MATCH_NONE;
}
