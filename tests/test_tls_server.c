/* TLS streams, both ends in this process over a socketpair, driven by a bounded
 * non-blocking loop: the full chain is served, expired / unknown-CA / wrong-name /
 * wildcard-for-a-SIP-domain certificates are refused with their reason, TLS 1.1 and
 * weak ciphers are refused, client certificates (required, optional), SNI, session
 * resumption (TLS 1.3 and 1.2), and reload while a connection stays up. */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tls_pair.h"

TEST(tls_srv_good_chain)
{
	struct cl_tls_server *srv;
	struct cl_tls_client *cli;
	struct cl_tls_cert *chain[CL_TLS_CHAIN_MAX];
	struct cl_tls_result res;
	struct tlst_pair p;
	size_t n;

	FIXTURE();
	CHECK((srv = tlst_server(g_fx.chain, g_fx.key, CL_TLS_CLIENT_AUTH_NONE, NULL)) != NULL);
	CHECK((cli = tlst_client(g_fx.ca, CL_TLS_VERIFY_REQUIRE, NULL, NULL)) != NULL);
	CONNECT(p, srv, cli, NAME);
	CHECK_INT(p.es, 0);
	CHECK_INT(p.ec, 0);
	CHECK_INT(p.rc.why, CL_TLS_OK);
	CHECK(strcmp(cl_tls_stream_version(p.c), "TLSv1.3") == 0);
	CHECK(strcmp(cl_tls_stream_version(p.s), "TLSv1.3") == 0);
	CHECK(!cl_tls_stream_resumed(p.c));
	CHECK(strcmp(cl_tls_stream_sni(p.s), NAME) == 0);
	CHECK(cl_tls_stream_sni(p.c) == NULL);
	/* The server sends the leaf and the intermediate; the root stays home. */
	n = cl_tls_stream_peer_chain(p.c, chain, CL_TLS_CHAIN_MAX);
	CHECK_INT(n, 2);
	CHECK_INT(cl_tls_chain_linked(chain, n, &n), 0);
	cl_tls_certs_free(chain, 2);
	CHECK_INT(cl_tls_stream_verify(p.c, &res), 0);
	CHECK(cl_tls_stream_peer_is(p.c, NAME));
	CHECK(cl_tls_stream_peer_is(p.c, "127.0.0.1"));
	CHECK(!cl_tls_stream_peer_is(p.c, "other.example.com"));
	CHECK_INT(cl_tls_stream_verify(p.s, &res), EACCES); /* no client certificate */
	CHECK_INT(tlst_ping_pong(&p), 0);
	CHECK(cl_tls_stream_pending(p.c) == 0);
	tlst_pair_close(&p);

	/* An IP literal: no SNI, and the leaf's SAN iPAddress must match. */
	CONNECT(p, srv, cli, "127.0.0.1");
	CHECK_INT(p.es, 0);
	CHECK_INT(p.ec, 0);
	CHECK(cl_tls_stream_sni(p.s) == NULL);
	tlst_pair_close(&p);
	cl_tls_client_free(cli);
	cl_tls_server_free(srv);
	tlst_fx_free(&g_fx);
}

TEST(tls_srv_close_and_shutdown)
{
	struct cl_tls_server *srv;
	struct cl_tls_client *cli;
	struct tlst_pair p;
	char buf[16];
	size_t n = 1;
	bool ww;
	int err = EAGAIN;

	FIXTURE();
	CHECK((srv = tlst_server(g_fx.chain, g_fx.key, CL_TLS_CLIENT_AUTH_NONE, NULL)) != NULL);
	CHECK((cli = tlst_client(g_fx.ca, CL_TLS_VERIFY_REQUIRE, NULL, NULL)) != NULL);
	CONNECT(p, srv, cli, NAME);
	CHECK_INT(p.es | p.ec, 0);
	CHECK_INT(tlst_ping_pong(&p), 0);
	/* close_notify reads as 0 bytes; a write after our shutdown is EPIPE. */
	CHECK_INT(cl_tls_stream_shutdown(p.c, &ww), 0);
	for (int i = 0; i < ROUNDS && err == EAGAIN; i++)
		err = cl_tls_stream_read(p.s, buf, sizeof(buf), &n, &ww);
	CHECK_INT(err, 0);
	CHECK_INT(n, 0);
	CHECK_INT(cl_tls_stream_write(p.c, "x", 1, &n, &ww), EPIPE);
	CHECK_INT(cl_tls_stream_read(p.s, buf, 0, &n, &ww), EINVAL);
	tlst_pair_close(&p);

	/* The peer vanishing without close_notify is a reset, not a clean end. */
	CONNECT(p, srv, cli, NAME);
	CHECK_INT(p.es | p.ec, 0);
	CHECK_INT(tlst_ping_pong(&p), 0);
	close(p.fd[1]);
	p.fd[1] = -1;
	err = EAGAIN;
	for (int i = 0; i < ROUNDS && err == EAGAIN; i++)
		err = cl_tls_stream_read(p.s, buf, sizeof(buf), &n, &ww);
	CHECK_INT(err, ECONNRESET);
	tlst_pair_close(&p);
	cl_tls_client_free(cli);
	cl_tls_server_free(srv);
	tlst_fx_free(&g_fx);
}

/* Serves a leaf made from spec and connects as name; checks both ends fail. */
static void refused(struct cl_test *t, struct tlst_fx *f, const struct cl_tls_cert_spec *spec,
		    const char *ca, const char *name, enum cl_tls_why want)
{
	char chain[128], key[128];
	struct cl_tls_server *srv = NULL;
	struct cl_tls_client *cli = NULL;
	struct tlst_pair p;

	CHECK(tlst_fx_leaf(f, "bad", spec, chain, key, NULL));
	CHECK((srv = tlst_server(chain, key, CL_TLS_CLIENT_AUTH_NONE, NULL)) != NULL);
	CHECK((cli = tlst_client(ca, CL_TLS_VERIFY_REQUIRE, NULL, NULL)) != NULL);
	CONNECT(p, srv, cli, name);
	CHECK_INT(p.ec, EPROTO);
	CHECK_INT(p.rc.why, want);
	CHECK_INT(cl_tls_stream_result(p.c)->why, want);
	/* The client said why in its alert; the server logs the same reason. */
	CHECK_INT(p.es, EPROTO);
	if (want != CL_TLS_NAME_MISMATCH)
		CHECK_INT(p.rs.why, want);
	tlst_pair_close(&p);
	cl_tls_client_free(cli);
	cl_tls_server_free(srv);
}

TEST(tls_srv_expired_leaf)
{
	static const char *const dns[] = { NAME };
	struct cl_tls_cert_spec s;

	FIXTURE();
	s = tlst_leaf_spec(&g_fx, dns, 0);
	s.not_before = g_fx.now - 10 * DAY;
	s.not_after = g_fx.now - DAY;
	refused(t, &g_fx, &s, g_fx.ca, NAME, CL_TLS_EXPIRED);
	tlst_fx_free(&g_fx);
}

TEST(tls_srv_unknown_ca)
{
	struct cl_tls_pki other;
	struct cl_tls_server *srv;
	struct cl_tls_client *cli;
	char ca[128];
	struct tlst_pair p;

	FIXTURE();
	CHECK_INT(cl_tls_pki_init(&other, NAME, NULL, 0, 30, g_fx.now), 0);
	CHECK(tlst_fx_pem(&g_fx, "other-ca.pem", &other.ca, 1, NULL, NULL, ca, NULL));
	cl_tls_pki_free(&other);
	CHECK((srv = tlst_server(g_fx.chain, g_fx.key, CL_TLS_CLIENT_AUTH_NONE, NULL)) != NULL);
	CHECK((cli = tlst_client(ca, CL_TLS_VERIFY_REQUIRE, NULL, NULL)) != NULL);
	CONNECT(p, srv, cli, NAME);
	CHECK_INT(p.ec, EPROTO);
	CHECK_INT(p.rc.why, CL_TLS_UNKNOWN_CA);
	CHECK_INT(p.es, EPROTO);
	CHECK_INT(p.rs.why, CL_TLS_UNKNOWN_CA); /* from the client's unknown_ca alert */
	CHECK(strstr(p.rs.detail, "alert") != NULL);
	tlst_pair_close(&p);
	cl_tls_client_free(cli);
	cl_tls_server_free(srv);
	tlst_fx_free(&g_fx);
}

TEST(tls_srv_wrong_name)
{
	struct cl_tls_server *srv;
	struct cl_tls_client *cli;
	struct cl_tls_result res;
	struct tlst_pair p;

	FIXTURE();
	CHECK((srv = tlst_server(g_fx.chain, g_fx.key, CL_TLS_CLIENT_AUTH_NONE, NULL)) != NULL);
	CHECK((cli = tlst_client(g_fx.ca, CL_TLS_VERIFY_REQUIRE, NULL, NULL)) != NULL);
	CONNECT(p, srv, cli, "other.example.org");
	CHECK_INT(p.ec, EPROTO);
	CHECK_INT(p.rc.why, CL_TLS_NAME_MISMATCH);
	CHECK(strstr(p.rc.detail, "other.example.org") != NULL);
	CHECK_INT(p.es, EPROTO);
	tlst_pair_close(&p);
	CONNECT(p, srv, cli, "192.0.2.7"); /* an address the leaf does not carry */
	CHECK_INT(p.ec, EPROTO);
	CHECK_INT(p.rc.why, CL_TLS_NAME_MISMATCH);
	tlst_pair_close(&p);
	cl_tls_client_free(cli);

	/* Report mode completes the handshake and tells the result. */
	CHECK((cli = tlst_client(g_fx.ca, CL_TLS_VERIFY_REPORT, NULL, NULL)) != NULL);
	CONNECT(p, srv, cli, "other.example.org");
	CHECK_INT(p.ec, 0);
	CHECK_INT(cl_tls_stream_verify(p.c, &res), EACCES);
	CHECK_INT(res.why, CL_TLS_NAME_MISMATCH);
	CHECK(!cl_tls_stream_peer_is(p.c, "other.example.org"));
	tlst_pair_close(&p);
	cl_tls_client_free(cli);
	cl_tls_server_free(srv);
	tlst_fx_free(&g_fx);
}

TEST(tls_srv_wildcard_vs_sip_domain)
{
	/* RFC 5922 §7.2: a wildcard never matches a SIP domain. */
	static const char *const dns[] = { "*.example.com" };
	struct cl_tls_cert_spec s;

	FIXTURE();
	s = tlst_leaf_spec(&g_fx, dns, 30);
	refused(t, &g_fx, &s, g_fx.ca, NAME, CL_TLS_NAME_MISMATCH);
	tlst_fx_free(&g_fx);
}

TEST(tls_srv_refuses_old_versions_and_weak_ciphers)
{
	struct cl_tls_server *srv;
	struct cl_tls_result res;
	SSL_CTX *ctx;
	int err;

	FIXTURE();
	CHECK((srv = tlst_server(g_fx.chain, g_fx.key, CL_TLS_CLIENT_AUTH_NONE, NULL)) != NULL);
	/* RFC 8996: a TLS 1.1 client (which needs security level 0 to exist at all). */
	CHECK((ctx = tlst_raw_ctx(TLS1_1_VERSION, TLS1_1_VERSION, "DEFAULT@SECLEVEL=0")) != NULL);
	err = tlst_raw_once(srv, ctx, NULL, &res, NULL);
	SSL_CTX_free(ctx);
	CHECK_INT(err, EPROTO);
	CHECK_INT(res.why, CL_TLS_PROTOCOL_VERSION);
	/* TLS 1.2 offering only CBC suites: no AEAD in common. */
	CHECK((ctx = tlst_raw_ctx(TLS1_2_VERSION, TLS1_2_VERSION,
			     "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384")) != NULL);
	err = tlst_raw_once(srv, ctx, NULL, &res, NULL);
	SSL_CTX_free(ctx);
	CHECK_INT(err, EPROTO);
	CHECK_INT(res.why, CL_TLS_NO_SHARED_CIPHER);
	/* TLS 1.2 with an ECDHE+AEAD suite is fine. */
	CHECK((ctx = tlst_raw_ctx(TLS1_2_VERSION, TLS1_2_VERSION, NULL)) != NULL);
	err = tlst_raw_once(srv, ctx, NULL, &res, NULL);
	SSL_CTX_free(ctx);
	CHECK_INT(err, 0);
	cl_tls_server_free(srv);
	tlst_fx_free(&g_fx);
}

TEST(tls_srv_client_cert)
{
	static const char *const dns[] = { "alice.example.com" };
	struct cl_tls_cert_spec spec;
	struct cl_tls_server *srv, *opt;
	struct cl_tls_client *anon, *alice;
	struct cl_tls_cert *chain[CL_TLS_CHAIN_MAX], *leaf;
	struct cl_tls_result res;
	char cchain[128], ckey[128], fa[CL_TLS_FP_SHA256_SIZE], fb[CL_TLS_FP_SHA256_SIZE];
	struct tlst_pair p;
	size_t n;

	FIXTURE();
	spec = tlst_leaf_spec(&g_fx, dns, 30);
	CHECK(tlst_fx_leaf(&g_fx, "alice", &spec, cchain, ckey, &leaf));
	CHECK(tlst_fp_of(leaf, fa));
	cl_tls_cert_free(leaf);
	CHECK((srv = tlst_server(g_fx.chain, g_fx.key, CL_TLS_CLIENT_AUTH_REQUIRED, g_fx.ca)) != NULL);
	CHECK((opt = tlst_server(g_fx.chain, g_fx.key, CL_TLS_CLIENT_AUTH_OPTIONAL, g_fx.ca)) != NULL);
	CHECK((anon = tlst_client(g_fx.ca, CL_TLS_VERIFY_REQUIRE, NULL, NULL)) != NULL);
	CHECK((alice = tlst_client(g_fx.ca, CL_TLS_VERIFY_REQUIRE, cchain, ckey)) != NULL);

	/* Required and missing: the server refuses; the TLS 1.3 client learns it from
	 * the alert that follows its Finished. */
	CONNECT(p, srv, anon, NAME);
	CHECK_INT(p.es, EPROTO);
	CHECK(strstr(p.rs.detail, "no certificate") != NULL);
	CHECK(p.ec == 0 || p.ec == EPROTO);
	if (p.ec == 0)
		CHECK(tlst_ping_pong(&p) != 0);
	tlst_pair_close(&p);

	/* Required and present: the server sees and verifies alice's chain. */
	CONNECT(p, srv, alice, NAME);
	CHECK_INT(p.es, 0);
	CHECK_INT(p.ec, 0);
	CHECK_INT(tlst_ping_pong(&p), 0);
	CHECK_INT(cl_tls_stream_verify(p.s, &res), 0);
	CHECK(cl_tls_stream_peer_is(p.s, "alice.example.com"));
	n = cl_tls_stream_peer_chain(p.s, chain, CL_TLS_CHAIN_MAX);
	CHECK_INT(n, 2);
	CHECK(tlst_fp_of(chain[0], fb));
	cl_tls_certs_free(chain, n);
	CHECK(strcmp(fa, fb) == 0);
	tlst_pair_close(&p);

	/* Optional: none is fine (and says so), one is verified. */
	CONNECT(p, opt, anon, NAME);
	CHECK_INT(p.es | p.ec, 0);
	CHECK_INT(tlst_ping_pong(&p), 0);
	CHECK_INT(cl_tls_stream_verify(p.s, &res), EACCES);
	tlst_pair_close(&p);
	CONNECT(p, opt, alice, NAME);
	CHECK_INT(p.es | p.ec, 0);
	CHECK_INT(cl_tls_stream_verify(p.s, &res), 0);
	tlst_pair_close(&p);

	cl_tls_client_free(alice);
	cl_tls_client_free(anon);
	cl_tls_server_free(opt);
	cl_tls_server_free(srv);
	tlst_fx_free(&g_fx);
}

TEST(tls_srv_client_cert_unknown_ca)
{
	struct cl_tls_pki other;
	struct cl_tls_cert *chain[2];
	struct cl_tls_server *srv;
	struct cl_tls_client *cli;
	char cchain[128], ckey[128];
	struct tlst_pair p;

	FIXTURE();
	CHECK_INT(cl_tls_pki_init(&other, "mallory.example.com", NULL, 0, 30, g_fx.now), 0);
	chain[0] = other.leaf;
	chain[1] = other.inter;
	CHECK(tlst_fx_pem(&g_fx, "mallory.pem", chain, 2, other.leaf_key, "mallory.key", cchain, ckey));
	cl_tls_pki_free(&other);
	CHECK((srv = tlst_server(g_fx.chain, g_fx.key, CL_TLS_CLIENT_AUTH_OPTIONAL, g_fx.ca)) != NULL);
	CHECK((cli = tlst_client(g_fx.ca, CL_TLS_VERIFY_REQUIRE, cchain, ckey)) != NULL);
	CONNECT(p, srv, cli, NAME);
	CHECK_INT(p.es, EPROTO);
	CHECK_INT(p.rs.why, CL_TLS_UNKNOWN_CA);
	tlst_pair_close(&p);
	cl_tls_client_free(cli);
	cl_tls_server_free(srv);
	tlst_fx_free(&g_fx);
}

TEST(tls_srv_sni)
{
	static const char *const bdns[] = { "b.example.net" }, *const cdns[] = { "c.example.org" };
	struct cl_tls_cert_spec sb, sc;
	struct cl_tls_cert *lb, *lc;
	char bchain[128], bkey[128], cchain[128], ckey[128];
	char fdef[CL_TLS_FP_SHA256_SIZE], fb[CL_TLS_FP_SHA256_SIZE], fc[CL_TLS_FP_SHA256_SIZE];
	char got[CL_TLS_FP_SHA256_SIZE];
	struct cl_tls_server_cert certs[3];
	struct cl_tls_server_conf conf;
	struct cl_tls_server *srv = NULL;
	struct cl_tls_client *cli, *rep;
	struct tlst_pair p;

	FIXTURE();
	sb = tlst_leaf_spec(&g_fx, bdns, 30);
	sc = tlst_leaf_spec(&g_fx, cdns, 30);
	CHECK(tlst_fx_leaf(&g_fx, "b", &sb, bchain, bkey, &lb));
	CHECK(tlst_fx_leaf(&g_fx, "c", &sc, cchain, ckey, &lc));
	CHECK(tlst_fp_of(g_fx.p.leaf, fdef) && tlst_fp_of(lb, fb) && tlst_fp_of(lc, fc));
	cl_tls_cert_free(lb);
	cl_tls_cert_free(lc);
	/* certs[1] is picked by its configured name, certs[2] by the names it carries. */
	certs[0] = (struct cl_tls_server_cert){ NULL, g_fx.chain, g_fx.key };
	certs[1] = (struct cl_tls_server_cert){ "B.example.net.", bchain, bkey };
	certs[2] = (struct cl_tls_server_cert){ NULL, cchain, ckey };
	conf = (struct cl_tls_server_conf){ certs, 3, CL_TLS_CLIENT_AUTH_NONE, NULL };
	CHECK_INT(cl_tls_server_new(&srv, &conf, NULL, 0), 0);
	CHECK((cli = tlst_client(g_fx.ca, CL_TLS_VERIFY_REQUIRE, NULL, NULL)) != NULL);
	CHECK((rep = tlst_client(g_fx.ca, CL_TLS_VERIFY_REPORT, NULL, NULL)) != NULL);

	CONNECT(p, srv, cli, "b.example.net");
	CHECK_INT(p.es | p.ec, 0);
	CHECK(tlst_served_fp(&p, got) && strcmp(got, fb) == 0);
	CHECK(strcmp(cl_tls_stream_sni(p.s), "b.example.net") == 0);
	CHECK_INT(tlst_ping_pong(&p), 0);
	tlst_pair_close(&p);
	CONNECT(p, srv, cli, "c.example.org");
	CHECK_INT(p.es | p.ec, 0);
	CHECK(tlst_served_fp(&p, got) && strcmp(got, fc) == 0);
	tlst_pair_close(&p);
	CONNECT(p, srv, cli, NAME);
	CHECK_INT(p.es | p.ec, 0);
	CHECK(tlst_served_fp(&p, got) && strcmp(got, fdef) == 0);
	tlst_pair_close(&p);
	/* No SNI, or a name nobody has: the default certificate. */
	CONNECT(p, srv, rep, NULL);
	CHECK_INT(p.es | p.ec, 0);
	CHECK(tlst_served_fp(&p, got) && strcmp(got, fdef) == 0);
	tlst_pair_close(&p);
	CONNECT(p, srv, rep, "nobody.example");
	CHECK_INT(p.es | p.ec, 0);
	CHECK(tlst_served_fp(&p, got) && strcmp(got, fdef) == 0);
	tlst_pair_close(&p);
	cl_tls_client_free(rep);
	cl_tls_client_free(cli);
	cl_tls_server_free(srv);
	tlst_fx_free(&g_fx);
}

TEST(tls_srv_resumption)
{
	struct cl_tls_server *srv;
	struct cl_tls_client *cli;
	SSL_SESSION *sess = NULL;
	SSL_CTX *ctx;
	bool reused = true;
	struct tlst_pair p;

	FIXTURE();
	CHECK((srv = tlst_server(g_fx.chain, g_fx.key, CL_TLS_CLIENT_AUTH_NONE, NULL)) != NULL);
	CHECK((cli = tlst_client(g_fx.ca, CL_TLS_VERIFY_REQUIRE, NULL, NULL)) != NULL);
	/* TLS 1.3: the ticket arrives after the handshake, with the first data read. */
	for (int i = 0; i < 3; i++) {
		CONNECT(p, srv, cli, NAME);
		CHECK_INT(p.es | p.ec, 0);
		CHECK_INT(cl_tls_stream_resumed(p.c), i > 0);
		CHECK_INT(cl_tls_stream_resumed(p.s), i > 0);
		CHECK(cl_tls_stream_peer_is(p.c, NAME)); /* the identity survives resumption */
		CHECK_INT(tlst_ping_pong(&p), 0);
		tlst_pair_close(&p);
	}
	/* A session is kept per name: another name starts afresh. */
	CONNECT(p, srv, cli, "127.0.0.1");
	CHECK_INT(p.es | p.ec, 0);
	CHECK(!cl_tls_stream_resumed(p.c));
	tlst_pair_close(&p);

	/* TLS 1.2 (a ticket, RFC 5077) from a plain OpenSSL client. */
	CHECK((ctx = tlst_raw_ctx(TLS1_2_VERSION, TLS1_2_VERSION, NULL)) != NULL);
	CHECK_INT(tlst_raw_once(srv, ctx, &sess, NULL, &reused), 0);
	CHECK(!reused && sess != NULL);
	CHECK_INT(tlst_raw_once(srv, ctx, &sess, NULL, &reused), 0);
	CHECK(reused);
	SSL_SESSION_free(sess);
	SSL_CTX_free(ctx);
	cl_tls_client_free(cli);
	cl_tls_server_free(srv);
	tlst_fx_free(&g_fx);
}

TEST(tls_srv_reload_keeps_connections)
{
	static const char *const dns[] = { NAME };
	struct cl_tls_cert_spec spec;
	struct cl_tls_cert *lb;
	struct cl_tls_server_cert cb, bad;
	struct cl_tls_server_conf conf;
	struct cl_tls_server *srv;
	struct cl_tls_client *cli;
	char bchain[128], bkey[128], why[512], got[CL_TLS_FP_SHA256_SIZE];
	char fa[CL_TLS_FP_SHA256_SIZE], fb[CL_TLS_FP_SHA256_SIZE];
	struct tlst_pair p1, p2;

	FIXTURE();
	spec = tlst_leaf_spec(&g_fx, dns, 60);
	CHECK(tlst_fx_leaf(&g_fx, "b", &spec, bchain, bkey, &lb));
	CHECK(tlst_fp_of(g_fx.p.leaf, fa) && tlst_fp_of(lb, fb));
	cl_tls_cert_free(lb);
	CHECK((srv = tlst_server(g_fx.chain, g_fx.key, CL_TLS_CLIENT_AUTH_NONE, NULL)) != NULL);
	CHECK((cli = tlst_client(g_fx.ca, CL_TLS_VERIFY_REQUIRE, NULL, NULL)) != NULL);
	CONNECT(p1, srv, cli, NAME);
	CHECK_INT(p1.es | p1.ec, 0);
	CHECK(tlst_served_fp(&p1, got) && strcmp(got, fa) == 0);
	CHECK_INT(tlst_ping_pong(&p1), 0);

	cb = (struct cl_tls_server_cert){ NULL, bchain, bkey };
	conf = (struct cl_tls_server_conf){ &cb, 1, CL_TLS_CLIENT_AUTH_NONE, NULL };
	CHECK_INT(cl_tls_server_reload(srv, &conf, why, sizeof(why)), 0);
	CHECK_INT(cl_tls_server_generation(srv), 1);
	/* Connection 1 keeps going on certificate A; connection 2 gets B. */
	CHECK_INT(tlst_ping_pong(&p1), 0);
	CONNECT(p2, srv, cli, NAME);
	CHECK_INT(p2.es | p2.ec, 0);
	CHECK(!cl_tls_stream_resumed(p2.c)); /* new ticket keys: the old ticket is refused */
	CHECK(tlst_served_fp(&p2, got) && strcmp(got, fb) == 0);
	CHECK_INT(tlst_ping_pong(&p2), 0);
	CHECK_INT(tlst_ping_pong(&p1), 0);
	tlst_pair_close(&p2);

	/* A reload that fails says why and changes nothing. */
	bad = (struct cl_tls_server_cert){ NULL, g_fx.chain, bkey }; /* B's key, A's chain */
	conf.certs = &bad;
	CHECK_INT(cl_tls_server_reload(srv, &conf, why, sizeof(why)), EBADMSG);
	CHECK(strstr(why, "does not belong") != NULL);
	bad.key_file = "/nonexistent/key.pem";
	CHECK_INT(cl_tls_server_reload(srv, &conf, why, sizeof(why)), ENOENT);
	CHECK(strstr(why, "/nonexistent/key.pem") != NULL);
	CHECK_INT(cl_tls_server_generation(srv), 1);
	CONNECT(p2, srv, cli, NAME);
	CHECK_INT(p2.es | p2.ec, 0);
	CHECK(tlst_served_fp(&p2, got) && strcmp(got, fb) == 0);
	tlst_pair_close(&p2);

	/* Freeing the server leaves established streams working. */
	cl_tls_server_free(srv);
	CHECK_INT(tlst_ping_pong(&p1), 0);
	tlst_pair_close(&p1);
	cl_tls_client_free(cli);
	tlst_fx_free(&g_fx);
}

TEST(tls_srv_bad_config)
{
	struct cl_tls_server_cert c;
	struct cl_tls_server_conf conf = { &c, 1, CL_TLS_CLIENT_AUTH_REQUIRED, NULL };
	struct cl_tls_client_conf cc = { NULL, NULL, NULL, CL_TLS_VERIFY_REQUIRE };
	struct cl_tls_server *srv = NULL;
	struct cl_tls_client *cli = NULL;
	char why[512];

	FIXTURE();
	c = (struct cl_tls_server_cert){ NULL, "/nonexistent/chain.pem", g_fx.key };
	CHECK_INT(cl_tls_server_new(&srv, &conf, why, sizeof(why)), ENOENT);
	CHECK(strstr(why, "/nonexistent/chain.pem") != NULL);
	c = (struct cl_tls_server_cert){ NULL, g_fx.key, g_fx.key }; /* a key is no chain */
	CHECK_INT(cl_tls_server_new(&srv, &conf, why, sizeof(why)), EBADMSG);
	CHECK(strstr(why, "no usable certificate chain") != NULL);
	c = (struct cl_tls_server_cert){ NULL, g_fx.chain, g_fx.key };
	conf.ca_file = g_fx.key; /* a CA bundle without a certificate */
	CHECK_INT(cl_tls_server_new(&srv, &conf, why, sizeof(why)), EBADMSG);
	conf.ncerts = 0;
	CHECK_INT(cl_tls_server_new(&srv, &conf, why, sizeof(why)), EINVAL);
	cc.chain_file = g_fx.chain; /* a chain without its key */
	CHECK_INT(cl_tls_client_new(&cli, &cc, why, sizeof(why)), EINVAL);
	cc.ca_file = "/nonexistent/ca.pem";
	cc.chain_file = NULL;
	CHECK_INT(cl_tls_client_new(&cli, &cc, why, sizeof(why)), ENOENT);
	/* The system bundle loads. */
	cc.ca_file = NULL;
	CHECK_INT(cl_tls_client_new(&cli, &cc, why, sizeof(why)), 0);
	cl_tls_client_free(cli);
	tlst_fx_free(&g_fx);
}
