/* cipherline tls: the one place OpenSSL's TLS and X.509 APIs appear (DESIGN.md).
 *
 * Certificates, keys, trust stores, contexts and connections are opaque. Today this
 * covers what the certificate tools need and what the SIP/TLS transport will reuse:
 *   - certificates: PEM in and out, display facts (names, serial, fingerprints,
 *     validity), chain linkage, chain verification against a trust store;
 *   - SIP domain identity per RFC 5922 §7 (SAN URI sip:, then dNSName, CN only
 *     without SAN, no wildcards);
 *   - issuing: EC P-256 keys, certificates signed with SHA-256, a local CA;
 *   - a TLS 1.2+ client context and a non-blocking client handshake.
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

#endif
