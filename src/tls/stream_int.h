/* tls module internals shared by streams, servers and clients (bio.c, setup.c,
 * server.c, client.c, stream.c). */
#ifndef CL_TLS_STREAM_INT_H
#define CL_TLS_STREAM_INT_H

#include "tls_int.h"

struct cl_tls_srvset; /* one generation of server contexts, reference counted */

struct cl_tls_stream {
	SSL *ssl;
	struct cl_tls_srvset *set;  /* server: the contexts this stream started with */
	struct cl_tls_client *cli;  /* client: where new sessions are kept */
	char name[256];             /* client: SNI and the RFC 5922 identity; "" for none */
	char peer[64];              /* for log lines */
	struct cl_tls_result res;   /* the last failure */
	bool server, done, dead; /* dead: a fatal error; no close_notify then */
	bool shut;               /* our close_notify went out */
};

/* ---- bio.c ---- */
/* A socket BIO on fd that sends with MSG_NOSIGNAL. Returns NULL on ENOMEM. */
BIO *cl_tls_bio_socket(int fd);

/* ---- setup.c ---- */
/* Versions, ciphers and options every context gets. Returns 0 or ENOMEM. */
int cl_tls_ctx_harden(SSL_CTX *ctx);
/* Loads chain_file (leaf then intermediates) and key_file into ctx and checks they
 * belong together. Returns 0, ENOENT or EBADMSG with the reason in why. */
int cl_tls_ctx_load_pair(SSL_CTX *ctx, const char *chain_file, const char *key_file,
			 char *why, size_t cap);
/* Gives ctx the trust anchors of ca_file (NULL: the system bundle). Returns 0,
 * ENOENT, EBADMSG or ENOMEM with the reason in why. */
int cl_tls_ctx_trust(SSL_CTX *ctx, const char *ca_file, char *why, size_t cap);
/* Writes "fmt ..." into why (may be NULL), plus ": <OpenSSL reason>" when the error
 * queue has one; clears the queue. */
void cl_tls_why(char *why, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- server.c ---- */
/* Returns the current contexts of s with one more reference. */
struct cl_tls_srvset *cl_tls_srvset_get(struct cl_tls_server *s);
void cl_tls_srvset_put(struct cl_tls_srvset *set);
/* The default context of set (the one a new SSL starts with). */
SSL_CTX *cl_tls_srvset_default(const struct cl_tls_srvset *set);

/* ---- client.c ---- */
SSL_CTX *cl_tls_client_sslctx(const struct cl_tls_client *c);
struct cl_tls_client *cl_tls_client_ref(struct cl_tls_client *c);
/* The session kept for name (a new reference), or NULL. */
SSL_SESSION *cl_tls_client_session(struct cl_tls_client *c, const char *name);

/* ---- stream.c ---- */
/* A stream on fd with a new SSL of ctx in the given role. Returns 0 or ENOMEM. */
int cl_tls_stream_alloc(struct cl_tls_stream **sp, SSL_CTX *ctx, int fd, bool server);
/* Fills res from OpenSSL's error queue after a failure of s's SSL. */
void cl_tls_stream_classify(const struct cl_tls_stream *s, struct cl_tls_result *res);

#endif
