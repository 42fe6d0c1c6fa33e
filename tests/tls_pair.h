/* TLS test helpers: a temp-dir PKI written as PEM files (the `cert init` CA,
 * intermediate and leaf, plus leaves issued on demand), servers and clients built
 * from them, and a pair of streams over a socketpair driven by a bounded
 * non-blocking loop (ROUNDS rounds, each waiting at most POLL_MS). */
#ifndef CL_TEST_TLS_PAIR_H
#define CL_TEST_TLS_PAIR_H

#include <openssl/ssl.h>

#include "test.h"
#include "tls/tls.h"

#define DAY 86400
#define ROUNDS 200 /* loop rounds; each waits at most POLL_MS when both ends wait */
#define POLL_MS 20
#define NAME "sip.example.com" /* the fixture leaf: SAN DNS, URI sip:, IP 127.0.0.1 */

struct tlst_fx {
	char dir[64];
	struct cl_tls_pki p;
	int64_t now;
	char ca[128], chain[128], key[128]; /* the root, leaf+intermediate, leaf key */
	char files[16][128];
	size_t nfiles;
};

/* Makes the temp dir, the PKI for NAME and ca, chain (leaf + intermediate), key. */
bool tlst_fx_init(struct tlst_fx *f);
/* Removes the files and the dir, frees the PKI. */
void tlst_fx_free(struct tlst_fx *f);
/* Writes certs[0..n) as PEM to name, and key (when non-NULL) to keyname; the
 * paths (128 bytes each) come back in path and keypath. */
bool tlst_fx_pem(struct tlst_fx *f, const char *name, struct cl_tls_cert *const *certs,
		 size_t n, const struct cl_tls_key *key, const char *keyname, char *path,
		 char *keypath);
/* Issues a leaf per spec from the intermediate; writes tag.pem (leaf and
 * intermediate) and tag.key; *leaf (may be NULL) gets a reference. */
bool tlst_fx_leaf(struct tlst_fx *f, const char *tag, const struct cl_tls_cert_spec *spec,
		  char *chain, char *key, struct cl_tls_cert **leaf);
/* A leaf spec for dns[0] (SAN DNS and CN), valid from an hour ago for days. */
struct cl_tls_cert_spec tlst_leaf_spec(const struct tlst_fx *f, const char *const *dns,
				       int64_t days);
/* A server with one certificate, or NULL. */
struct cl_tls_server *tlst_server(const char *chain, const char *key,
				 enum cl_tls_client_auth auth, const char *ca);
/* A client, or NULL. */
struct cl_tls_client *tlst_client(const char *ca, enum cl_tls_verify_mode mode,
				 const char *chain, const char *key);

struct tlst_pair {
	int fd[2]; /* [0] server side, [1] client side */
	struct cl_tls_stream *s, *c;
	int es, ec; /* handshake results */
	struct cl_tls_result rs, rc;
};

bool tlst_pair_open(struct tlst_pair *p, struct cl_tls_server *srv, struct cl_tls_client *cli,
		    const char *name);
void tlst_pair_close(struct tlst_pair *p);
/* Runs both handshakes until neither waits; results in es/ec and rs/rc. */
void tlst_pair_handshake(struct tlst_pair *p);
/* A request from the client and a response from the server. Returns 0 or an error. */
int tlst_ping_pong(struct tlst_pair *p);
/* The SHA-256 fingerprint of the leaf served to the client. */
bool tlst_served_fp(const struct tlst_pair *p, char fp[CL_TLS_FP_SHA256_SIZE]);
bool tlst_fp_of(const struct cl_tls_cert *c, char fp[CL_TLS_FP_SHA256_SIZE]);

/* A plain OpenSSL client context with versions min..max and a TLS 1.2 cipher list. */
SSL_CTX *tlst_raw_ctx(int min, int max, const char *ciphers);
/* Connects a plain OpenSSL client of ctx to srv once, offering *sess (when sess is
 * given; it gets the new session). Returns the server's handshake result (res and
 * *reused may be NULL). */
int tlst_raw_once(struct cl_tls_server *srv, SSL_CTX *ctx, SSL_SESSION **sess,
		  struct cl_tls_result *res, bool *reused);

#define FIXTURE()                                                             \
	struct tlst_fx g_fx;                                                  \
	CHECK(tlst_fx_init(&g_fx))

/* Connects cli to srv as name and runs the handshakes; leaves the pair open. */
#define CONNECT(p, srv, cli, name)                                            \
	do {                                                                  \
		CHECK(tlst_pair_open(&(p), (srv), (cli), (name)));            \
		tlst_pair_handshake(&(p));                                    \
	} while (0)

#endif
