/* TLS server contexts: one context per configured certificate, the one to use picked
 * by SNI (RFC 6066 §3), client-certificate policy, and reload. A reload builds a new
 * generation of contexts and swaps it in; each stream holds a reference to the
 * generation it started with, and each SSL to its context, so nothing established
 * is disturbed and a failed reload changes nothing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "stream_int.h"

#define MOD "tls"

struct entry {
	SSL_CTX *ctx;
	char *sni; /* NULL: match the certificate's own names */
};

struct cl_tls_srvset {
	unsigned refs;
	size_t n;
	struct entry e[CL_TLS_SERVER_CERTS_MAX];
};

struct cl_tls_server {
	struct cl_tls_srvset *cur;
	unsigned gen;
};

static void set_free(struct cl_tls_srvset *set)
{
	for (size_t i = 0; i < set->n; i++) {
		SSL_CTX_free(set->e[i].ctx); /* SSLs using it keep their own reference */
		free(set->e[i].sni);
	}
	free(set);
}

struct cl_tls_srvset *cl_tls_srvset_get(struct cl_tls_server *s)
{
	s->cur->refs++;
	return s->cur;
}

void cl_tls_srvset_put(struct cl_tls_srvset *set)
{
	if (set && --set->refs == 0)
		set_free(set);
}

SSL_CTX *cl_tls_srvset_default(const struct cl_tls_srvset *set)
{
	return set->e[0].ctx;
}

/* An explicit SNI name, else the leaf's names: RFC 5922 identities, then RFC 6125
 * host names (wildcards allowed here: this only picks a certificate). */
static bool entry_matches(const struct entry *e, const char *name)
{
	struct cl_slice n = cl_slice_cstr(name);
	X509 *leaf;

	if (e->sni)
		return cl_tls_sip_domain_eq(cl_slice_cstr(e->sni), n);
	leaf = SSL_CTX_get0_certificate(e->ctx);
	if (!leaf)
		return false;
	return cl_tls_name_match_rfc5922(cl_cert_of(leaf), n) != CL_TLS_MATCH_NONE ||
	       X509_check_host(leaf, name, strlen(name), 0, NULL) == 1;
}

/* RFC 6066 §3: switch to the certificate for the name the client asked for; an
 * unknown name gets the default certificate rather than an alert. */
static int on_sni(SSL *ssl, int *alert, void *arg)
{
	const struct cl_tls_stream *s = SSL_get_app_data(ssl);
	const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);

	(void)alert;
	(void)arg;
	if (!s || !s->set || !name)
		return SSL_TLSEXT_ERR_OK;
	for (size_t i = 0; i < s->set->n; i++) {
		if (entry_matches(&s->set->e[i], name)) {
			if (s->set->e[i].ctx != SSL_get_SSL_CTX(ssl))
				SSL_set_SSL_CTX(ssl, s->set->e[i].ctx);
			return SSL_TLSEXT_ERR_OK;
		}
	}
	return SSL_TLSEXT_ERR_OK;
}

static int client_auth(SSL_CTX *ctx, const struct cl_tls_server_conf *conf, char *why,
		       size_t cap)
{
	STACK_OF(X509_NAME) *names;
	int err;

	if (conf->client_auth == CL_TLS_CLIENT_AUTH_NONE)
		return 0;
	err = cl_tls_ctx_trust(ctx, conf->ca_file, why, cap);
	if (err)
		return err;
	/* RFC 8446 §4.3.2 certificate_authorities: the subjects of our anchors. */
	if (conf->ca_file && (names = SSL_load_client_CA_file(conf->ca_file)) != NULL)
		SSL_CTX_set_client_CA_list(ctx, names);
	ERR_clear_error();
	SSL_CTX_set_verify(ctx,
			   SSL_VERIFY_PEER | (conf->client_auth == CL_TLS_CLIENT_AUTH_REQUIRED
						      ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT
						      : 0),
			   NULL);
	return 0;
}

/* Tells the operator what will be served: warns of an expired leaf or a chain out
 * of order, since clients will refuse them. */
static void chain_report(SSL_CTX *ctx, const char *file)
{
	struct cl_tls_cert *chain[CL_TLS_CHAIN_MAX];
	STACK_OF(X509) *extra = NULL;
	X509 *leaf = SSL_CTX_get0_certificate(ctx);
	size_t n = 0, broken = 0;

	if (!leaf)
		return;
	chain[n++] = cl_cert_of(leaf);
	SSL_CTX_get0_chain_certs(ctx, &extra);
	for (int i = 0; extra && i < sk_X509_num(extra) && n < CL_TLS_CHAIN_MAX; i++)
		chain[n++] = cl_cert_of(sk_X509_value(extra, i));
	if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0)
		cl_warn(MOD, "%s: the leaf certificate has expired", file);
	if (n > 1 && cl_tls_chain_linked(chain, n, &broken))
		cl_warn(MOD, "%s: certificate %zu is not issued by the next one", file, broken);
	cl_debug(MOD, "%s: serving the leaf and %zu intermediate(s)", file, n - 1);
	ERR_clear_error();
}

static int entry_init(struct entry *e, const struct cl_tls_server_cert *c,
		      const struct cl_tls_server_conf *conf, char *why, size_t cap)
{
	int err;

	e->ctx = SSL_CTX_new(TLS_server_method());
	if (!e->ctx || cl_tls_ctx_harden(e->ctx)) {
		cl_tls_why(why, cap, "cannot make a TLS context");
		return ENOMEM;
	}
	err = cl_tls_ctx_load_pair(e->ctx, c->chain_file, c->key_file, why, cap);
	if (!err)
		err = client_auth(e->ctx, conf, why, cap);
	if (err)
		return err;
	/* RFC 8446 §4.6.1: one ticket per handshake; clients keep one per name. */
	SSL_CTX_set_num_tickets(e->ctx, 1);
	SSL_CTX_set_tlsext_servername_callback(e->ctx, on_sni);
	if (c->sni && !(e->sni = strdup(c->sni))) {
		cl_tls_why(why, cap, "out of memory");
		return ENOMEM;
	}
	chain_report(e->ctx, c->chain_file);
	return 0;
}

static bool conf_ok(const struct cl_tls_server_conf *conf, char *why, size_t cap)
{
	if (conf && conf->certs && conf->ncerts >= 1 && conf->ncerts <= CL_TLS_SERVER_CERTS_MAX &&
	    conf->client_auth <= CL_TLS_CLIENT_AUTH_REQUIRED)
		return true;
	cl_tls_why(why, cap, "a TLS server needs 1 to %d certificates", CL_TLS_SERVER_CERTS_MAX);
	return false;
}

static int set_build(struct cl_tls_srvset **out, const struct cl_tls_server_conf *conf,
		     char *why, size_t cap)
{
	struct cl_tls_srvset *set;
	int err = 0;

	ERR_clear_error(); /* reasons in why must be ours, not left over */
	if (!conf_ok(conf, why, cap))
		return EINVAL;
	set = calloc(1, sizeof(*set));
	if (!set)
		return ENOMEM;
	set->refs = 1;
	for (size_t i = 0; !err && i < conf->ncerts; i++) {
		set->n = i + 1;
		err = entry_init(&set->e[i], &conf->certs[i], conf, why, cap);
	}
	if (err) {
		set_free(set);
		return err;
	}
	*out = set;
	return 0;
}

int cl_tls_server_new(struct cl_tls_server **sp, const struct cl_tls_server_conf *conf,
		      char *why, size_t why_cap)
{
	struct cl_tls_server *s = calloc(1, sizeof(*s));
	char buf[512];
	int err;

	if (!s)
		return ENOMEM;
	err = set_build(&s->cur, conf, buf, sizeof(buf));
	if (err) {
		cl_warn(MOD, "TLS server: %s", buf);
		if (why && why_cap)
			snprintf(why, why_cap, "%s", buf);
		free(s);
		return err;
	}
	cl_info(MOD, "TLS server: %zu certificate(s)", s->cur->n);
	*sp = s;
	return 0;
}

int cl_tls_server_reload(struct cl_tls_server *s, const struct cl_tls_server_conf *conf,
			 char *why, size_t why_cap)
{
	struct cl_tls_srvset *set;
	char buf[512];
	int err;

	if (!s)
		return EINVAL;
	err = set_build(&set, conf, buf, sizeof(buf));
	if (err) {
		cl_warn(MOD, "TLS reload failed, keeping the current certificates: %s", buf);
		if (why && why_cap)
			snprintf(why, why_cap, "%s", buf);
		return err;
	}
	cl_tls_srvset_put(s->cur); /* streams that started with it keep their reference */
	s->cur = set;
	s->gen++;
	cl_info(MOD, "TLS reloaded: %zu certificate(s), generation %u", set->n, s->gen);
	return 0;
}

unsigned cl_tls_server_generation(const struct cl_tls_server *s)
{
	return s->gen;
}

void cl_tls_server_free(struct cl_tls_server *s)
{
	if (!s)
		return;
	cl_tls_srvset_put(s->cur);
	free(s);
}

int cl_tls_stream_accept(struct cl_tls_stream **sp, struct cl_tls_server *srv, int fd)
{
	struct cl_tls_stream *s;
	int err;

	if (!srv || fd < 0)
		return EINVAL;
	err = cl_tls_stream_alloc(&s, cl_tls_srvset_default(srv->cur), fd, true);
	if (err)
		return err;
	s->set = cl_tls_srvset_get(srv);
	*sp = s;
	return 0;
}
