/* TLS client contexts for SIP: trust anchors, our own certificate for servers that
 * ask, the RFC 5922 §7 identity check inside chain verification (so a mismatch
 * fails the handshake with an alert, like any bad certificate), and the last
 * session per name, offered again for resumption (RFC 8446 §2.2, RFC 5077). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "stream_int.h"

#define MOD "tls"

struct kept {
	char name[256];
	SSL_SESSION *sess;
};

struct cl_tls_client {
	unsigned refs;
	SSL_CTX *ctx;
	size_t next; /* the slot to overwrite when all are taken */
	struct kept kept[CL_TLS_CLIENT_SESSIONS];
};

/* RFC 5922 §7.2: the SIP domain must be one of the leaf's identities; an IP literal
 * must be one of its SAN iPAddress entries. */
static bool name_ok(X509 *leaf, const char *name)
{
	if (cl_tls_is_ip(name))
		return cl_tls_name_match_ip(cl_cert_of(leaf), name) != CL_TLS_MATCH_NONE;
	return cl_tls_name_match_rfc5922(cl_cert_of(leaf), cl_slice_cstr(name)) !=
	       CL_TLS_MATCH_NONE;
}

static int on_verify(int ok, X509_STORE_CTX *vc)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(vc, SSL_get_ex_data_X509_STORE_CTX_idx());
	const struct cl_tls_stream *s = ssl ? SSL_get_app_data(ssl) : NULL;

	if (!ok || !s || !s->name[0] || X509_STORE_CTX_get_error_depth(vc) != 0)
		return ok;
	if (name_ok(X509_STORE_CTX_get_current_cert(vc), s->name))
		return 1;
	X509_STORE_CTX_set_error(vc, cl_tls_is_ip(s->name) ? X509_V_ERR_IP_ADDRESS_MISMATCH
							  : X509_V_ERR_HOSTNAME_MISMATCH);
	return 0;
}

static struct kept *kept_find(struct cl_tls_client *c, const char *name)
{
	for (size_t i = 0; i < CL_TLS_CLIENT_SESSIONS; i++)
		if (c->kept[i].sess && strcmp(c->kept[i].name, name) == 0)
			return &c->kept[i];
	return NULL;
}

static struct kept *kept_slot(struct cl_tls_client *c, const char *name)
{
	struct kept *k = kept_find(c, name);

	for (size_t i = 0; !k && i < CL_TLS_CLIENT_SESSIONS; i++)
		if (!c->kept[i].sess)
			k = &c->kept[i];
	if (!k) {
		k = &c->kept[c->next];
		c->next = (c->next + 1) % CL_TLS_CLIENT_SESSIONS;
	}
	SSL_SESSION_free(k->sess);
	k->sess = NULL;
	return k;
}

/* A new session (TLS 1.3: a NewSessionTicket after the handshake): keep it for the
 * name, but only when the peer proved that name. Returns 1: the reference is ours. */
static int on_new_session(SSL *ssl, SSL_SESSION *sess)
{
	const struct cl_tls_stream *s = SSL_get_app_data(ssl);
	struct kept *k;

	if (!s || !s->cli || !s->name[0] || SSL_get_verify_result(ssl) != X509_V_OK)
		return 0;
	k = kept_slot(s->cli, s->name);
	memcpy(k->name, s->name, sizeof(k->name));
	k->sess = sess;
	return 1;
}

SSL_SESSION *cl_tls_client_session(struct cl_tls_client *c, const char *name)
{
	struct kept *k = name && *name ? kept_find(c, name) : NULL;
	SSL_SESSION *sess;

	if (!k)
		return NULL;
	sess = k->sess;
	if (!SSL_SESSION_is_resumable(sess) ||
	    SSL_SESSION_get_protocol_version(sess) == TLS1_3_VERSION) {
		/* RFC 8446 §C.4: a TLS 1.3 ticket is used once; the next comes with it. */
		k->sess = NULL;
		if (SSL_SESSION_is_resumable(sess))
			return sess;
		SSL_SESSION_free(sess);
		return NULL;
	}
	SSL_SESSION_up_ref(sess);
	return sess;
}

static int client_ctx(SSL_CTX **out, const struct cl_tls_client_conf *conf, char *why,
		      size_t cap)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	int err = ENOMEM;

	if (!ctx || cl_tls_ctx_harden(ctx)) {
		cl_tls_why(why, cap, "cannot make a TLS context");
		goto fail;
	}
	if ((err = cl_tls_ctx_trust(ctx, conf->ca_file, why, cap)) != 0)
		goto fail;
	if (conf->chain_file &&
	    (err = cl_tls_ctx_load_pair(ctx, conf->chain_file, conf->key_file, why, cap)) != 0)
		goto fail;
	SSL_CTX_set_verify(ctx, conf->verify == CL_TLS_VERIFY_REQUIRE ? SSL_VERIFY_PEER
								      : SSL_VERIFY_NONE,
			   on_verify);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
	SSL_CTX_sess_set_new_cb(ctx, on_new_session);
	*out = ctx;
	return 0;
fail:
	SSL_CTX_free(ctx);
	ERR_clear_error();
	return err;
}

int cl_tls_client_new(struct cl_tls_client **cp, const struct cl_tls_client_conf *conf,
		      char *why, size_t why_cap)
{
	struct cl_tls_client *c;
	char buf[512];
	int err;

	ERR_clear_error();
	if (!conf || conf->verify > CL_TLS_VERIFY_REPORT) {
		cl_tls_why(why, why_cap, "bad TLS client settings");
		return EINVAL;
	}
	if (conf->chain_file && !conf->key_file) {
		cl_tls_why(why, why_cap, "%s: a certificate needs its key file", conf->chain_file);
		return EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return ENOMEM;
	err = client_ctx(&c->ctx, conf, buf, sizeof(buf));
	if (err) {
		cl_warn(MOD, "TLS client: %s", buf);
		if (why && why_cap)
			snprintf(why, why_cap, "%s", buf);
		free(c);
		return err;
	}
	c->refs = 1;
	*cp = c;
	return 0;
}

SSL_CTX *cl_tls_client_sslctx(const struct cl_tls_client *c)
{
	return c->ctx;
}

struct cl_tls_client *cl_tls_client_ref(struct cl_tls_client *c)
{
	c->refs++;
	return c;
}

void cl_tls_client_free(struct cl_tls_client *c)
{
	if (!c || --c->refs > 0)
		return;
	for (size_t i = 0; i < CL_TLS_CLIENT_SESSIONS; i++)
		SSL_SESSION_free(c->kept[i].sess);
	SSL_CTX_free(c->ctx);
	free(c);
}

int cl_tls_stream_connect(struct cl_tls_stream **sp, struct cl_tls_client *cli, int fd,
			  const char *name)
{
	struct cl_tls_stream *s;
	SSL_SESSION *sess;
	int err;

	if (!cli || fd < 0 || (name && strlen(name) >= sizeof(s->name)))
		return EINVAL;
	err = cl_tls_stream_alloc(&s, cli->ctx, fd, false);
	if (err)
		return err;
	s->cli = cl_tls_client_ref(cli);
	if (name)
		memcpy(s->name, name, strlen(name) + 1);
	/* RFC 6066 §3: SNI carries a host name, never an address literal. */
	if (s->name[0] && !cl_tls_is_ip(s->name) &&
	    SSL_set_tlsext_host_name(s->ssl, s->name) != 1) {
		cl_tls_stream_free(s);
		ERR_clear_error();
		return ENOMEM;
	}
	sess = cl_tls_client_session(cli, s->name);
	if (sess) {
		(void)SSL_set_session(s->ssl, sess); /* the server may still refuse it */
		SSL_SESSION_free(sess);
	}
	*sp = s;
	return 0;
}
