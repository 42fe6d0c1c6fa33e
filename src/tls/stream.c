/* TLS streams: the handshake, reads, writes and close_notify on a non-blocking
 * socket, each returning EAGAIN with the direction to wait for, and every failure
 * sorted into the reasons operators act on and logged. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/err.h>

#include "stream_int.h"

#define MOD "tls"

/* Names the peer for log lines. */
static void peer_label(int fd, char *out, size_t cap)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char ip[INET6_ADDRSTRLEN];

	snprintf(out, cap, "fd %d", fd);
	if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0)
		return;
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;

		if (inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip)))
			snprintf(out, cap, "%s:%u", ip, ntohs(a->sin_port));
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;

		if (inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip)))
			snprintf(out, cap, "[%s]:%u", ip, ntohs(a->sin6_port));
	}
}

int cl_tls_stream_alloc(struct cl_tls_stream **sp, SSL_CTX *ctx, int fd, bool server)
{
	struct cl_tls_stream *s = calloc(1, sizeof(*s));
	BIO *bio;

	if (!s)
		return ENOMEM;
	s->ssl = SSL_new(ctx);
	bio = s->ssl ? cl_tls_bio_socket(fd) : NULL;
	if (!bio) {
		SSL_free(s->ssl);
		free(s);
		ERR_clear_error();
		return ENOMEM;
	}
	SSL_set_bio(s->ssl, bio, bio); /* one reference, used both ways */
	SSL_set_app_data(s->ssl, s);
	if (server)
		SSL_set_accept_state(s->ssl);
	else
		SSL_set_connect_state(s->ssl);
	s->server = server;
	peer_label(fd, s->peer, sizeof(s->peer));
	cl_tls_result_set(&s->res, CL_TLS_OK, NULL);
	*sp = s;
	return 0;
}

/* RFC 8446 §6.2 alert descriptions that name a reason operators know. */
static enum cl_tls_why alert_why(int alert)
{
	switch (alert) {
	case SSL_AD_CERTIFICATE_EXPIRED:
		return CL_TLS_EXPIRED;
	case SSL_AD_UNKNOWN_CA:
		return CL_TLS_UNKNOWN_CA;
	case SSL_AD_PROTOCOL_VERSION:
		return CL_TLS_PROTOCOL_VERSION;
	case SSL_AD_BAD_CERTIFICATE:
	case SSL_AD_UNSUPPORTED_CERTIFICATE:
	case SSL_AD_CERTIFICATE_REVOKED:
	case SSL_AD_CERTIFICATE_UNKNOWN:
		return CL_TLS_BAD_CHAIN;
	default:
		return CL_TLS_ALERT;
	}
}

static enum cl_tls_why reason_why(int reason)
{
	switch (reason) {
	case SSL_R_UNSUPPORTED_PROTOCOL:
	case SSL_R_UNSUPPORTED_SSL_VERSION:
	case SSL_R_WRONG_VERSION_NUMBER:
	case SSL_R_VERSION_TOO_LOW:
	case SSL_R_NO_PROTOCOLS_AVAILABLE:
		return CL_TLS_PROTOCOL_VERSION;
	case SSL_R_NO_SHARED_CIPHER:
	case SSL_R_NO_CIPHERS_AVAILABLE:
	case SSL_R_NO_SHARED_GROUPS:
	case SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM:
		return CL_TLS_NO_SHARED_CIPHER;
	default:
		return CL_TLS_HANDSHAKE;
	}
}

/* A verification failure, worded with the name we asked for. */
static void verify_failed(const struct cl_tls_stream *s, struct cl_tls_result *res)
{
	long v = SSL_get_verify_result(s->ssl);
	char d[sizeof(res->detail)];

	cl_tls_result_verify(res, v);
	if ((v == X509_V_ERR_HOSTNAME_MISMATCH || v == X509_V_ERR_IP_ADDRESS_MISMATCH) &&
	    s->name[0]) {
		snprintf(d, sizeof(d), "the certificate is not for %.100s (RFC 5922 §7)", s->name);
		cl_tls_result_set(res, CL_TLS_NAME_MISMATCH, d);
	}
}

void cl_tls_stream_classify(const struct cl_tls_stream *s, struct cl_tls_result *res)
{
	unsigned long e = ERR_peek_error();
	int reason = ERR_GET_REASON(e);
	char d[sizeof(res->detail)];

	if (e == 0 || ERR_GET_LIB(e) != ERR_LIB_SSL) {
		ERR_error_string_n(e, d, sizeof(d));
		cl_tls_result_set(res, CL_TLS_HANDSHAKE, e ? d : "TLS failure");
	} else if (reason == SSL_R_CERTIFICATE_VERIFY_FAILED) {
		verify_failed(s, res);
	} else if (reason >= SSL_AD_REASON_OFFSET && reason < SSL_AD_REASON_OFFSET + 256) {
		/* The peer refused us and sent an alert saying why. */
		snprintf(d, sizeof(d), "the peer sent alert \"%s\"",
			 SSL_alert_desc_string_long(reason - SSL_AD_REASON_OFFSET));
		cl_tls_result_set(res, alert_why(reason - SSL_AD_REASON_OFFSET), d);
	} else if (reason == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) {
		cl_tls_result_set(res, CL_TLS_HANDSHAKE, "the peer sent no certificate");
	} else if (reason == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
		cl_tls_result_set(res, CL_TLS_HANDSHAKE, "the peer closed the connection");
	} else {
		const char *r = ERR_reason_error_string(e);

		cl_tls_result_set(res, reason_why(reason), r ? r : "TLS failure");
	}
}

/* Records and logs a failure; what is the phase ("handshake", "read", ...). */
static void fail(struct cl_tls_stream *s, const char *what, struct cl_tls_result *res)
{
	s->dead = true;
	cl_warn(MOD, "%s: TLS %s %s failed: %s (%s)", s->peer, s->server ? "server" : "client",
		what, cl_tls_why_str(s->res.why), s->res.detail);
	if (res)
		*res = s->res;
	ERR_clear_error();
}

/* Maps SSL_get_error() after a failed call: EAGAIN, closed (ENOTCONN), EPIPE /
 * ECONNRESET when the peer went away, EPROTO, EIO. */
static int io_err(struct cl_tls_stream *s, int r, const char *what, bool *want_write,
		  struct cl_tls_result *res)
{
	int en = errno; /* before anything else can change it */
	int e = SSL_get_error(s->ssl, r);

	switch (e) {
	case SSL_ERROR_WANT_READ:
		return EAGAIN;
	case SSL_ERROR_WANT_WRITE:
		*want_write = true;
		return EAGAIN;
	case SSL_ERROR_ZERO_RETURN: /* close_notify */
		return ENOTCONN;
	case SSL_ERROR_SYSCALL:
		ERR_clear_error();
		s->dead = true;
		if (en == 0 || en == EPIPE || en == ECONNRESET) {
			cl_tls_result_set(&s->res, CL_TLS_HANDSHAKE, "the peer closed the connection");
			if (!s->done)
				fail(s, what, res);
			return s->done ? (en == EPIPE ? EPIPE : ECONNRESET) : EPROTO;
		}
		cl_tls_result_set(&s->res, CL_TLS_HANDSHAKE, strerror(en));
		fail(s, what, res);
		return EIO;
	default:
		if (s->done && ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
			ERR_clear_error();
			s->dead = true;
			return ECONNRESET;
		}
		cl_tls_stream_classify(s, &s->res);
		fail(s, what, res);
		return EPROTO;
	}
}

int cl_tls_stream_handshake(struct cl_tls_stream *s, bool *want_write,
			    struct cl_tls_result *res)
{
	int r, err;

	*want_write = false;
	if (s->done) {
		if (res)
			cl_tls_result_set(res, CL_TLS_OK, NULL);
		return 0;
	}
	if (s->dead) {
		if (res)
			*res = s->res;
		return EPROTO;
	}
	ERR_clear_error();
	errno = 0;
	r = SSL_do_handshake(s->ssl);
	if (r == 1) {
		s->done = true;
		if (res)
			cl_tls_result_set(res, CL_TLS_OK, NULL);
		cl_debug(MOD, "%s: %s %s%s", s->peer, SSL_get_version(s->ssl),
			 SSL_get_cipher_name(s->ssl), SSL_session_reused(s->ssl) ? " resumed" : "");
		return 0;
	}
	err = io_err(s, r, "handshake", want_write, res);
	if (err == ENOTCONN) {
		cl_tls_result_set(&s->res, CL_TLS_HANDSHAKE, "the peer closed the connection");
		fail(s, "handshake", res);
		err = EPROTO;
	}
	return err;
}

int cl_tls_stream_read(struct cl_tls_stream *s, void *buf, size_t cap, size_t *n,
		       bool *want_write)
{
	int err;

	*n = 0;
	*want_write = false;
	if (cap == 0)
		return EINVAL;
	if (!s->done && (err = cl_tls_stream_handshake(s, want_write, NULL)) != 0)
		return err;
	if (s->dead)
		return EPROTO;
	ERR_clear_error();
	errno = 0;
	if (SSL_read_ex(s->ssl, buf, cap, n) == 1)
		return 0;
	*n = 0;
	err = io_err(s, 0, "read", want_write, NULL);
	return err == ENOTCONN ? 0 : err;
}

int cl_tls_stream_write(struct cl_tls_stream *s, const void *buf, size_t len, size_t *n,
			bool *want_write)
{
	int err;

	*n = 0;
	*want_write = false;
	if (len == 0)
		return EINVAL;
	if (!s->done && (err = cl_tls_stream_handshake(s, want_write, NULL)) != 0)
		return err;
	if (s->dead || s->shut)
		return EPIPE;
	ERR_clear_error();
	errno = 0;
	if (SSL_write_ex(s->ssl, buf, len, n) == 1)
		return 0;
	*n = 0;
	err = io_err(s, 0, "write", want_write, NULL);
	return err == ENOTCONN || err == ECONNRESET ? EPIPE : err;
}

int cl_tls_stream_shutdown(struct cl_tls_stream *s, bool *want_write)
{
	int r, e;

	*want_write = false;
	if (s->shut)
		return 0;
	if (s->dead || !s->done)
		return EIO;
	ERR_clear_error();
	r = SSL_shutdown(s->ssl);
	if (r >= 0) { /* 0: ours is sent, the peer's not yet seen; we do not wait for it */
		s->shut = true;
		return 0;
	}
	e = SSL_get_error(s->ssl, r);
	ERR_clear_error();
	if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
		*want_write = e == SSL_ERROR_WANT_WRITE;
		return EAGAIN;
	}
	s->dead = true;
	return EIO;
}

size_t cl_tls_stream_pending(const struct cl_tls_stream *s)
{
	int n = SSL_pending(s->ssl);

	return n > 0 ? (size_t)n : 0;
}

void cl_tls_stream_free(struct cl_tls_stream *s)
{
	if (!s)
		return;
	if (s->done && !s->dead && !s->shut)
		(void)SSL_shutdown(s->ssl); /* one close_notify if the socket takes it */
	SSL_free(s->ssl);
	ERR_clear_error();
	cl_tls_srvset_put(s->set);
	cl_tls_client_free(s->cli);
	free(s);
}
