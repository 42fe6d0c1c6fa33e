/* cipherline tls: the one place OpenSSL's TLS and X.509 APIs appear (DESIGN.md).
 *
 * Certificates, keys, trust stores, contexts and connections are opaque. Today this
 * covers what the certificate tools need and what the SIP/TLS transport will reuse:
 *   - certificates: PEM in and out, display facts (names, serial, fingerprints,
 *     validity), chain linkage, chain verification against a trust store;
 *   - SIP domain identity per RFC 5922 §7 (SAN URI sip:, then dNSName, CN only
 *     without SAN, no wildcards);
 *   - issuing: EC P-256 keys, certificates signed with SHA-256, a local CA;
 *   - a TLS 1.2+ client context and a non-blocking client handshake (cert check);
 *   - for SIP over TLS: servers (certificates by SNI, client-certificate policy,
 *     reload), clients (RFC 5922 name check, session resumption) and streams in
 *     either role on non-blocking sockets.
 * Errors are errno values; verification and handshake failures also carry a
 * reason (struct cl_tls_result) worded for operators. */
#ifndef CL_TLS_H
#define CL_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

#define CL_TLS_CHAIN_MAX 16   /* certificates read from one PEM or one handshake */
#define CL_TLS_FP_SHA1_SIZE 60  /* 20 bytes as "AB:" ... plus NUL */
#define CL_TLS_FP_SHA256_SIZE 96 /* 32 bytes as "AB:" ... plus NUL */
#define CL_TLS_NAME_SIZE 512  /* subject/issuer text, truncated on a UTF-8 boundary */
#define CL_TLS_TIME_SIZE 21   /* "2026-01-27T10:00:00Z" plus NUL */

struct cl_tls_cert; /* one X.509 certificate, reference counted */
struct cl_tls_key;  /* a private key */
struct cl_tls_ca;   /* trust anchors */
struct cl_tls_ctx;  /* a TLS context: versions, ciphers, trust */
struct cl_tls_conn; /* one TLS connection over a socket */

/* Why something failed, as operators say it. */
enum cl_tls_why {
	CL_TLS_OK,
	CL_TLS_EXPIRED,          /* a certificate's notAfter has passed */
	CL_TLS_NOT_YET_VALID,    /* a certificate's notBefore is in the future */
	CL_TLS_UNKNOWN_CA,       /* the chain does not end at a trusted anchor */
	CL_TLS_BAD_CHAIN,        /* signature, CA flag, key usage, path length, ... */
	CL_TLS_NAME_MISMATCH,    /* RFC 5922 §7.2 */
	CL_TLS_PROTOCOL_VERSION, /* no TLS 1.2 or later in common */
	CL_TLS_NO_SHARED_CIPHER,
	CL_TLS_ALERT,            /* the peer sent a fatal alert */
	CL_TLS_HANDSHAKE,        /* any other handshake failure, or the peer closed */
};

struct cl_tls_result {
	enum cl_tls_why why;
	char detail[160]; /* OpenSSL's own words, for the log; "" when OK */
};

/* Returns a short word for why ("expired", "unknown CA", "protocol version", ...). */
const char *cl_tls_why_str(enum cl_tls_why why);

/* ---- certificates ---- */

/* Returns c with one more reference (c may be NULL). */
struct cl_tls_cert *cl_tls_cert_ref(struct cl_tls_cert *c);
/* Drops one reference (NULL is fine). */
void cl_tls_cert_free(struct cl_tls_cert *c);
/* Drops every certificate of certs[0..n). */
void cl_tls_certs_free(struct cl_tls_cert **certs, size_t n);

/* Parses every CERTIFICATE block of PEM text, in order, skipping other blocks.
 * Returns 0, EBADMSG when there is no certificate or a block does not decode,
 * ENOSPC when there are more than cap. On error nothing is left allocated. */
int cl_tls_pem_read_certs(struct cl_slice pem, struct cl_tls_cert **out, size_t cap,
			  size_t *n);
/* Writes c as PEM into out (NUL added). Returns 0 or ENOBUFS. *len excludes NUL. */
int cl_tls_cert_pem(const struct cl_tls_cert *c, char *out, size_t cap, size_t *len);

/* What an operator wants to see of one certificate. */
struct cl_tls_cert_info {
	char subject[CL_TLS_NAME_SIZE]; /* as `openssl x509 -subject` prints it */
	char issuer[CL_TLS_NAME_SIZE];
	char serial[100];               /* uppercase hex, as `openssl x509 -serial` */
	char sha1[CL_TLS_FP_SHA1_SIZE]; /* as `openssl x509 -fingerprint -sha1` */
	char sha256[CL_TLS_FP_SHA256_SIZE];
	int64_t not_before;             /* Unix seconds, UTC */
	int64_t not_after;
	bool is_ca;                     /* basicConstraints CA:TRUE */
};

/* Fills info from c. Returns 0, or EBADMSG when a field does not decode. */
int cl_tls_cert_info(const struct cl_tls_cert *c, struct cl_tls_cert_info *info);
/* Formats md[0..n) as colon-separated uppercase hex ("AB:CD:EF"), the way
 * `openssl x509 -fingerprint` does. Returns 0 or ENOBUFS (needs 3n bytes; n > 0). */
int cl_tls_fingerprint_fmt(const uint8_t *md, size_t n, char *out, size_t cap);
/* Returns the whole days from now until t, rounded down: 0 in the last day,
 * -1 in the first day after t. */
int64_t cl_tls_days_left(int64_t t, int64_t now);
/* Formats Unix time t as "YYYY-MM-DDTHH:MM:SSZ". Returns 0, ENOBUFS or EINVAL. */
int cl_tls_time_fmt(int64_t t, char *out, size_t cap);

/* ---- SIP domain identity (RFC 5922 §7) ---- */

enum cl_tls_match {
	CL_TLS_MATCH_NONE,
	CL_TLS_MATCH_SIP_URI, /* a subjectAltName URI sip:domain */
	CL_TLS_MATCH_DNS,     /* a subjectAltName dNSName (the cert has no sip: URI) */
	CL_TLS_MATCH_CN,      /* the subject CN (the cert has no subjectAltName) */
	CL_TLS_MATCH_IP,      /* a subjectAltName iPAddress (cl_tls_name_match_ip) */
};

/* Returns "SAN URI", "SAN DNS", "CN", "SAN IP" or "none". */
const char *cl_tls_match_str(enum cl_tls_match m);
/* RFC 5922 §7.1: the host of a SAN URI that may name a SIP domain: scheme "sip"
 * (any case), no user part, no port, parameters or headers. Returns 0 and *host,
 * or EBADMSG when uri is not such a URI. */
int cl_tls_sip_uri_host(struct cl_slice uri, struct cl_slice *host);
/* RFC 5922 §7.2: true when identity equals domain in its entirety, ignoring ASCII
 * case and one trailing dot; "*" and leading-dot forms match only themselves. */
bool cl_tls_sip_domain_eq(struct cl_slice identity, struct cl_slice domain);
/* RFC 5922 §7.1/§7.2: how domain matches c's SIP domain identities. The identities
 * are the SAN sip: URIs; the SAN dNSNames only when there is no such URI; the
 * subject CN only when there is no subjectAltName at all. */
enum cl_tls_match cl_tls_name_match_rfc5922(const struct cl_tls_cert *c, struct cl_slice domain);
/* CL_TLS_MATCH_IP when c has a SAN iPAddress equal to ip (IPv4 or IPv6 text),
 * else CL_TLS_MATCH_NONE (also for text that is not an address). */
enum cl_tls_match cl_tls_name_match_ip(const struct cl_tls_cert *c, const char *ip);
/* Returns true when s is an IPv4 or IPv6 address literal (no brackets). */
bool cl_tls_is_ip(const char *s);

/* ---- chains and trust ---- */

/* Checks that each certs[i] was issued by certs[i + 1]: issuer name equals the next
 * subject, key identifiers agree, and the signature verifies with the next key.
 * Returns 0, EINVAL when n == 0, or EBADMSG with *broken = i for the first bad link. */
int cl_tls_chain_linked(struct cl_tls_cert *const *certs, size_t n, size_t *broken);

/* Loads the trust anchors of a PEM file, or the system bundle when file is NULL.
 * Returns 0, ENOENT, EBADMSG (no certificate in the file), or ENOMEM. */
int cl_tls_ca_init(struct cl_tls_ca **cap, const char *file);
/* Makes a trust store of certs[0..n) (the store takes its own references). */
int cl_tls_ca_from_certs(struct cl_tls_ca **cap, struct cl_tls_cert *const *certs, size_t n);
void cl_tls_ca_free(struct cl_tls_ca *ca);

/* Verifies chain[0] (the leaf) using chain[1..n) as untrusted intermediates, at
 * Unix time at (0: now). Returns 0 when it verifies, EACCES when it does not (res
 * says why), EINVAL or ENOMEM. Names are not checked here. */
int cl_tls_chain_verify(const struct cl_tls_ca *ca, struct cl_tls_cert *const *chain, size_t n,
			int64_t at, struct cl_tls_result *res);

/* ---- issuing (EC P-256, ECDSA with SHA-256, random 159-bit serials) ---- */

struct cl_tls_cert_spec {
	const char *cn;                      /* subject CN; NULL: none */
	const char *const *dns;              /* SAN dNSName entries */
	size_t ndns;
	const char *const *ips;              /* SAN iPAddress entries, as text */
	size_t nips;
	const char *const *uris;             /* SAN URI entries, e.g. "sip:example.com" */
	size_t nuris;
	int64_t not_before, not_after;       /* Unix seconds */
	bool ca;                             /* CA:TRUE, keyCertSign; else a TLS leaf */
	int path_len;                        /* CA only: pathLenConstraint, -1 for none */
};

/* Generates an EC P-256 key. Returns 0 or ENOMEM. */
int cl_tls_key_gen(struct cl_tls_key **kp);
void cl_tls_key_free(struct cl_tls_key *k);
/* Writes k as unencrypted PKCS#8 PEM (NUL added). The caller wipes out.
 * Returns 0 or ENOBUFS. */
int cl_tls_key_pem(const struct cl_tls_key *k, char *out, size_t cap, size_t *len);
/* Issues a certificate for key's public half per spec, signed by issuer_key with
 * issuer's name (self-signed when issuer is NULL). Leaves get CA:FALSE,
 * digitalSignature, serverAuth and clientAuth (SIP peers are both). Returns 0,
 * EINVAL (a SAN entry does not parse) or ENOMEM. */
int cl_tls_cert_issue(struct cl_tls_cert **cp, const struct cl_tls_cert_spec *spec,
		      const struct cl_tls_key *key, const struct cl_tls_cert *issuer,
		      const struct cl_tls_key *issuer_key);

/* A local PKI for first runs and tests: root CA -> intermediate -> server leaf. */
struct cl_tls_pki {
	struct cl_tls_key *ca_key, *inter_key, *leaf_key;
	struct cl_tls_cert *ca, *inter, *leaf;
};

/* Creates a root CA and an intermediate (valid max(days, 3650) + 1 days) and a leaf
 * for name valid days days from now - 1 hour, with SAN DNS:name, IP:ips[i] and
 * URI:sip:name (RFC 5922 §7.1). Returns 0, EINVAL or ENOMEM. */
int cl_tls_pki_init(struct cl_tls_pki *p, const char *name, const char *const *ips, size_t nips,
		    unsigned days, int64_t now);
/* Frees everything in p (the keys are freed by OpenSSL, which wipes them). */
void cl_tls_pki_free(struct cl_tls_pki *p);

/* ---- client contexts and connections ---- */

enum cl_tls_verify_mode {
	CL_TLS_VERIFY_REQUIRE, /* the handshake fails when the chain does not verify */
	CL_TLS_VERIFY_REPORT,  /* it completes; cl_tls_conn_verify() tells the result */
};

/* A client context: TLS 1.2 minimum, TLS 1.3, ECDHE with AEAD ciphers only,
 * trusting ca (the context takes its own reference). Returns 0 or ENOMEM. */
int cl_tls_ctx_client(struct cl_tls_ctx **ctxp, struct cl_tls_ca *ca,
		      enum cl_tls_verify_mode mode);
void cl_tls_ctx_free(struct cl_tls_ctx *ctx);

/* Starts a client connection on a connected socket fd (not owned; never closed
 * here), sending SNI when sni is non-NULL and not an IP literal. Returns 0, ENOMEM. */
int cl_tls_conn_client(struct cl_tls_conn **cp, struct cl_tls_ctx *ctx, int fd, const char *sni);
/* Advances the handshake. Returns 0 when done; EAGAIN when it waits for the socket
 * (*want_write: for writability, else readability); EPROTO when it failed (res
 * says why); EIO on a socket error. Works on blocking and non-blocking sockets. */
int cl_tls_conn_handshake(struct cl_tls_conn *c, bool *want_write, struct cl_tls_result *res);
/* After the handshake: the version ("TLSv1.3") and cipher name. */
const char *cl_tls_conn_version(const struct cl_tls_conn *c);
const char *cl_tls_conn_cipher(const struct cl_tls_conn *c);
/* The chain the peer sent, leaf first, as new references in out[0..cap).
 * Returns how many were stored. */
size_t cl_tls_conn_peer_chain(const struct cl_tls_conn *c, struct cl_tls_cert **out, size_t cap);
/* The chain verification result of the handshake (0 when verified, else EACCES). */
int cl_tls_conn_verify(const struct cl_tls_conn *c, struct cl_tls_result *res);
/* Sends close_notify (best effort, never blocks for long) and frees c. */
void cl_tls_conn_free(struct cl_tls_conn *c);

/* ---- streams: TLS over a non-blocking socket, server or client role ----
 *
 * A stream wraps a connected socket fd (never closed here) and never blocks: each
 * call returns 0, or EAGAIN with *want_write telling what to wait for (true: the
 * socket becoming writable, false: readable), or an error. Any event loop can drive
 * it. Every handshake failure is logged with its reason (module "tls") and kept for
 * cl_tls_stream_result(). Sockets are written with MSG_NOSIGNAL: no SIGPIPE.
 * Servers, clients and streams belong to one thread (the signaling thread). */

struct cl_tls_server; /* server contexts: certificates by SNI, client-cert policy */
struct cl_tls_client; /* a client context for SIP: trust, our certificate, sessions */
struct cl_tls_stream; /* one TLS connection over a socket */

enum cl_tls_client_auth {
	CL_TLS_CLIENT_AUTH_NONE,     /* no CertificateRequest */
	CL_TLS_CLIENT_AUTH_OPTIONAL, /* asked for; none is fine, one that fails to verify is not */
	CL_TLS_CLIENT_AUTH_REQUIRED, /* the handshake fails without a certificate that verifies */
};

/* One certificate a server offers. */
struct cl_tls_server_cert {
	const char *sni;        /* the SNI host name that selects it (case and a trailing dot
				 * ignored); NULL: the certificate's own names (SAN URI sip:,
				 * SAN DNS with RFC 6125 wildcards, CN without SAN) */
	const char *chain_file; /* PEM: the leaf, then its intermediates; all are sent */
	const char *key_file;   /* PEM: the leaf's private key */
};

struct cl_tls_server_conf {
	const struct cl_tls_server_cert *certs; /* certs[0] is the default: used without SNI
						 * or for a name no entry has */
	size_t ncerts;                          /* 1 .. CL_TLS_SERVER_CERTS_MAX */
	enum cl_tls_client_auth client_auth;
	const char *ca_file; /* trust anchors for client certificates (their subjects are
			      * advertised); NULL: the system bundle (nothing advertised) */
};

#define CL_TLS_SERVER_CERTS_MAX 64

/* Builds server contexts: TLS 1.2 minimum and TLS 1.3, ECDHE+AEAD ciphers for
 * TLS 1.2 (OpenSSL's TLS 1.3 suites, all AEAD), server cipher preference, no
 * compression, no renegotiation, session tickets and a session cache. Returns 0,
 * EINVAL (bad conf), ENOENT/EBADMSG (a file is missing or does not load; why says
 * which and why), or ENOMEM. why (may be NULL) gets the reason. */
int cl_tls_server_new(struct cl_tls_server **sp, const struct cl_tls_server_conf *conf,
		      char *why, size_t why_cap);
/* Builds contexts from conf and swaps them in for new handshakes; streams already
 * accepted keep theirs and go on working. On failure the old contexts stay, why gets
 * the reason, and the error is returned as by cl_tls_server_new. */
int cl_tls_server_reload(struct cl_tls_server *s, const struct cl_tls_server_conf *conf,
			 char *why, size_t why_cap);
/* How many reloads succeeded since creation (a generation number for logs). */
unsigned cl_tls_server_generation(const struct cl_tls_server *s);
/* Frees s (NULL is fine); streams accepted from it stay valid. */
void cl_tls_server_free(struct cl_tls_server *s);

struct cl_tls_client_conf {
	const char *ca_file;    /* trust anchors; NULL: the system bundle */
	const char *chain_file; /* our certificate for servers that ask (leaf first, then
				 * intermediates); NULL: none */
	const char *key_file;   /* its key; required with chain_file */
	enum cl_tls_verify_mode verify; /* REQUIRE (the default): chain and RFC 5922 name */
};

#define CL_TLS_CLIENT_SESSIONS 128 /* sessions kept for resumption, one per name */

/* Builds a client context: the same versions and ciphers as a server, verification
 * of the chain and of the name given to cl_tls_stream_connect (RFC 5922 §7), and a
 * cache of the last session per name, offered on the next connect. Returns 0,
 * EINVAL, ENOENT/EBADMSG (why says which file), or ENOMEM. */
int cl_tls_client_new(struct cl_tls_client **cp, const struct cl_tls_client_conf *conf,
		      char *why, size_t why_cap);
/* Drops the caller's reference (NULL is fine); streams keep theirs. */
void cl_tls_client_free(struct cl_tls_client *c);

/* Starts the server side of a stream on an accepted socket. Returns 0 or ENOMEM. */
int cl_tls_stream_accept(struct cl_tls_stream **sp, struct cl_tls_server *srv, int fd);
/* Starts the client side on a connected socket. name is the SIP domain (or host or
 * IP literal) the peer must prove: it is sent as SNI unless it is an IP literal, and
 * the leaf must match it per RFC 5922 §7 (IP literals: a SAN iPAddress). NULL: no
 * SNI and no name check (the chain is still verified). A session kept for name is
 * offered. Returns 0, EINVAL (name too long) or ENOMEM. */
int cl_tls_stream_connect(struct cl_tls_stream **sp, struct cl_tls_client *cli, int fd,
			  const char *name);
/* Advances the handshake. Returns 0 when done (then again 0); EAGAIN (see above);
 * EPROTO when the handshake failed (res, may be NULL, says why: expired, unknown CA,
 * name mismatch, protocol version, no shared cipher, ...); EIO on a socket error. */
int cl_tls_stream_handshake(struct cl_tls_stream *s, bool *want_write,
			    struct cl_tls_result *res);
/* Reads up to cap (> 0) bytes, finishing the handshake first if needed. Returns 0
 * with *n > 0, or 0 with *n == 0 when the peer closed with close_notify; EAGAIN;
 * ECONNRESET when the peer went away without close_notify; EPROTO (a TLS error or
 * alert, see cl_tls_stream_result); EIO. Data may stay buffered inside the stream:
 * read again while cl_tls_stream_pending() is non-zero before waiting. */
int cl_tls_stream_read(struct cl_tls_stream *s, void *buf, size_t cap, size_t *n,
		       bool *want_write);
/* Writes up to len (> 0) bytes. Returns 0 with *n in 1..len; EAGAIN, after which the
 * same bytes must be offered again (the buffer may move); EPIPE when the peer is
 * gone; EPROTO; EIO. */
int cl_tls_stream_write(struct cl_tls_stream *s, const void *buf, size_t len, size_t *n,
			bool *want_write);
/* Sends close_notify. Returns 0 when sent (the peer's is not awaited), EAGAIN, EIO. */
int cl_tls_stream_shutdown(struct cl_tls_stream *s, bool *want_write);
/* Returns the number of decrypted bytes buffered and readable without the socket. */
size_t cl_tls_stream_pending(const struct cl_tls_stream *s);
/* Frees s (NULL is fine), sending close_notify once if it can without waiting. */
void cl_tls_stream_free(struct cl_tls_stream *s);

/* The last failure of s (why CL_TLS_OK when none). */
const struct cl_tls_result *cl_tls_stream_result(const struct cl_tls_stream *s);
/* "ip:port" or "[ip6]:port" of the peer, or "fd N" for other sockets; for logs. */
const char *cl_tls_stream_peer(const struct cl_tls_stream *s);
/* After the handshake: the version ("TLSv1.3"), the cipher name, and whether an
 * earlier session was resumed. */
const char *cl_tls_stream_version(const struct cl_tls_stream *s);
const char *cl_tls_stream_cipher(const struct cl_tls_stream *s);
bool cl_tls_stream_resumed(const struct cl_tls_stream *s);
/* Server side: the SNI name the client sent, or NULL. */
const char *cl_tls_stream_sni(const struct cl_tls_stream *s);
/* The peer's chain as sent, leaf first, as new references in out[0..cap); on a
 * resumed session only the leaf is known. Returns how many were stored. */
size_t cl_tls_stream_peer_chain(const struct cl_tls_stream *s, struct cl_tls_cert **out,
				size_t cap);
/* Whether the peer's certificate verified (0) or not (EACCES; also when there is
 * none); res (may be NULL) says why. */
int cl_tls_stream_verify(const struct cl_tls_stream *s, struct cl_tls_result *res);
/* True when the peer's certificate verified and is an RFC 5922 §7 identity for
 * domain (for RFC 5923 connection reuse: the certificate authenticated that name). */
bool cl_tls_stream_peer_is(const struct cl_tls_stream *s, const char *domain);

#endif
