/* TLS test helpers (see tls_pair.h). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tls_pair.h"

/* ---- fixture: the `cert init` PKI and more leaves, as files in a temp dir ---- */

static bool fx_write(struct tlst_fx *f, const char *name, const char *text, char *path)
{
	FILE *fp;
	bool ok;

	snprintf(path, 128, "%s/%s", f->dir, name);
	fp = fopen(path, "w");
	if (!fp || f->nfiles == CL_ARRAY_SIZE(f->files))
		return false;
	ok = fputs(text, fp) >= 0;
	ok = fclose(fp) == 0 && ok;
	snprintf(f->files[f->nfiles++], 128, "%s", path);
	return ok;
}

/* Writes certs (PEM, in order) to name, and key (when given) to keyname. */
bool tlst_fx_pem(struct tlst_fx *f, const char *name, struct cl_tls_cert *const *certs, size_t n,
		   const struct cl_tls_key *key, const char *keyname, char *path, char *keypath)
{
	char buf[16384];
	size_t len = 0, l;

	for (size_t i = 0; i < n; i++) {
		if (cl_tls_cert_pem(certs[i], buf + len, sizeof(buf) - len, &l))
			return false;
		len += l;
	}
	if (!fx_write(f, name, buf, path))
		return false;
	if (!key)
		return true;
	if (cl_tls_key_pem(key, buf, sizeof(buf), &l))
		return false;
	return fx_write(f, keyname, buf, keypath);
}

bool tlst_fx_init(struct tlst_fx *f)
{
	static const char *const ips[] = { "127.0.0.1" };
	struct cl_tls_cert *chain[2];

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/cl-tlss-XXXXXX");
	f->now = (int64_t)time(NULL);
	if (!mkdtemp(f->dir) || cl_tls_pki_init(&f->p, NAME, ips, 1, 30, f->now))
		return false;
	chain[0] = f->p.leaf;
	chain[1] = f->p.inter;
	return tlst_fx_pem(f, "ca.pem", &f->p.ca, 1, NULL, NULL, f->ca, NULL) &&
	       tlst_fx_pem(f, "chain.pem", chain, 2, f->p.leaf_key, "leaf.key", f->chain, f->key);
}

void tlst_fx_free(struct tlst_fx *f)
{
	for (size_t i = 0; i < f->nfiles; i++)
		unlink(f->files[i]);
	rmdir(f->dir);
	cl_tls_pki_free(&f->p);
}

/* Issues a leaf per spec from the fixture's intermediate, writes tag.pem (leaf and
 * intermediate) and tag.key; *leaf (may be NULL) gets the certificate. */
bool tlst_fx_leaf(struct tlst_fx *f, const char *tag, const struct cl_tls_cert_spec *spec,
		    char *chain, char *key, struct cl_tls_cert **leaf)
{
	struct cl_tls_key *k = NULL;
	struct cl_tls_cert *c[2] = { NULL, f->p.inter };
	char name[32], kname[32];
	bool ok;

	snprintf(name, sizeof(name), "%s.pem", tag);
	snprintf(kname, sizeof(kname), "%s.key", tag);
	ok = cl_tls_key_gen(&k) == 0 &&
	     cl_tls_cert_issue(&c[0], spec, k, f->p.inter, f->p.inter_key) == 0 &&
	     tlst_fx_pem(f, name, c, 2, k, kname, chain, key);
	cl_tls_key_free(k);
	if (ok && leaf)
		*leaf = c[0];
	else
		cl_tls_cert_free(c[0]);
	return ok;
}

/* A leaf spec with one SAN dNSName (and CN) valid from an hour ago for days. */
struct cl_tls_cert_spec tlst_leaf_spec(const struct tlst_fx *f, const char *const *dns,
					 int64_t days)
{
	return (struct cl_tls_cert_spec){ .cn = dns[0], .dns = dns, .ndns = 1,
					  .not_before = f->now - 3600,
					  .not_after = f->now + days * DAY, .path_len = -1 };
}

/* ---- servers and clients ---- */

struct cl_tls_server *tlst_server(const char *chain, const char *key,
				     enum cl_tls_client_auth auth, const char *ca)
{
	struct cl_tls_server_cert c = { NULL, chain, key };
	struct cl_tls_server_conf conf = { &c, 1, auth, ca };
	struct cl_tls_server *s = NULL;

	return cl_tls_server_new(&s, &conf, NULL, 0) == 0 ? s : NULL;
}

struct cl_tls_client *tlst_client(const char *ca, enum cl_tls_verify_mode mode,
				     const char *chain, const char *key)
{
	struct cl_tls_client_conf conf = { ca, chain, key, mode };
	struct cl_tls_client *c = NULL;

	return cl_tls_client_new(&c, &conf, NULL, 0) == 0 ? c : NULL;
}

/* ---- a connected pair of streams and a bounded loop driving both ---- */


bool tlst_pair_open(struct tlst_pair *p, struct cl_tls_server *srv, struct cl_tls_client *cli,
		      const char *name)
{
	memset(p, 0, sizeof(*p));
	p->fd[0] = p->fd[1] = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, p->fd) != 0)
		return false;
	return cl_tls_stream_accept(&p->s, srv, p->fd[0]) == 0 &&
	       cl_tls_stream_connect(&p->c, cli, p->fd[1], name) == 0;
}

void tlst_pair_close(struct tlst_pair *p)
{
	cl_tls_stream_free(p->c);
	cl_tls_stream_free(p->s);
	for (int i = 0; i < 2; i++)
		if (p->fd[i] >= 0)
			close(p->fd[i]);
	memset(p, 0, sizeof(*p));
	p->fd[0] = p->fd[1] = -1;
}

/* Waits (at most POLL_MS) for what the two ends want. */
static void wait2(int fd0, bool w0, int fd1, bool w1)
{
	struct pollfd pf[2] = { { fd0, w0 ? POLLOUT : POLLIN, 0 },
				{ fd1, w1 ? POLLOUT : POLLIN, 0 } };

	(void)poll(pf, 2, POLL_MS);
}

/* Runs both handshakes until neither waits. A side that fails stops sending, so
 * the other sees the end of the stream rather than waiting forever. */
void tlst_pair_handshake(struct tlst_pair *p)
{
	bool ws = false, wc = false;

	p->es = p->ec = EAGAIN;
	for (int i = 0; i < ROUNDS && (p->es == EAGAIN || p->ec == EAGAIN); i++) {
		if (p->es == EAGAIN && (p->es = cl_tls_stream_handshake(p->s, &ws, &p->rs)) &&
		    p->es != EAGAIN)
			shutdown(p->fd[0], SHUT_WR);
		if (p->ec == EAGAIN && (p->ec = cl_tls_stream_handshake(p->c, &wc, &p->rc)) &&
		    p->ec != EAGAIN)
			shutdown(p->fd[1], SHUT_WR);
		if (p->es == EAGAIN && p->ec == EAGAIN)
			wait2(p->fd[0], ws, p->fd[1], wc);
	}
}

/* Sends msg from one end and reads it at the other. Returns 0 or the error. */
static int pass(struct tlst_pair *p, struct cl_tls_stream *from, int ffd, struct cl_tls_stream *to,
		int tfd, const char *msg)
{
	size_t len = strlen(msg), off = 0, got = 0, n;
	char buf[256];
	bool ww = false, rw = false;
	int err;

	for (int i = 0; i < ROUNDS && got < len; i++) {
		if (off < len) {
			err = cl_tls_stream_write(from, msg + off, len - off, &n, &ww);
			if (err && err != EAGAIN)
				return err;
			off += n;
		}
		err = cl_tls_stream_read(to, buf + got, sizeof(buf) - got, &n, &rw);
		if (err && err != EAGAIN)
			return err;
		if (!err && n == 0)
			return ENOTCONN;
		got += n;
		if (err == EAGAIN)
			wait2(ffd, ww, tfd, rw);
	}
	return got == len && memcmp(buf, msg, len) == 0 ? 0 : EBADMSG;
}

int tlst_ping_pong(struct tlst_pair *p)
{
	int err = pass(p, p->c, p->fd[1], p->s, p->fd[0], "OPTIONS sip:x SIP/2.0\r\n");

	return err ? err : pass(p, p->s, p->fd[0], p->c, p->fd[1], "SIP/2.0 200 OK\r\n");
}

/* The SHA-256 fingerprint of the leaf the client was served. */
bool tlst_served_fp(const struct tlst_pair *p, char fp[CL_TLS_FP_SHA256_SIZE])
{
	struct cl_tls_cert *chain[CL_TLS_CHAIN_MAX];
	struct cl_tls_cert_info info;
	size_t n = cl_tls_stream_peer_chain(p->c, chain, CL_TLS_CHAIN_MAX);
	bool ok = n > 0 && cl_tls_cert_info(chain[0], &info) == 0;

	if (ok)
		memcpy(fp, info.sha256, CL_TLS_FP_SHA256_SIZE);
	cl_tls_certs_free(chain, n);
	return ok;
}

bool tlst_fp_of(const struct cl_tls_cert *c, char fp[CL_TLS_FP_SHA256_SIZE])
{
	struct cl_tls_cert_info info;

	if (cl_tls_cert_info(c, &info))
		return false;
	memcpy(fp, info.sha256, CL_TLS_FP_SHA256_SIZE);
	return true;
}


/* A raw OpenSSL client on fd with its own versions and ciphers, driven against the
 * server stream s. Returns the server's handshake result; *sess gets the session. */
static int raw_client(struct cl_tls_stream *s, int sfd, int fd, SSL_CTX *ctx,
		      SSL_SESSION **sess, struct cl_tls_result *res)
{
	SSL *ssl = SSL_new(ctx);
	int es = EAGAIN, rc = -1;
	bool ws = false;
	char b;

	if (!ssl || SSL_set_fd(ssl, fd) != 1)
		return ENOMEM;
	SSL_set_connect_state(ssl);
	if (sess && *sess)
		SSL_set_session(ssl, *sess);
	for (int i = 0; i < ROUNDS && (es == EAGAIN || rc != 1); i++) {
		if (es == EAGAIN && (es = cl_tls_stream_handshake(s, &ws, res)) && es != EAGAIN)
			shutdown(sfd, SHUT_WR);
		if (rc != 1 && (rc = SSL_do_handshake(ssl)) != 1 &&
		    SSL_get_error(ssl, rc) != SSL_ERROR_WANT_READ &&
		    SSL_get_error(ssl, rc) != SSL_ERROR_WANT_WRITE)
			break;
		if (es == EAGAIN && rc != 1)
			wait2(sfd, ws, fd, false);
	}
	if (sess && rc == 1) {
		SSL_SESSION_free(*sess);
		(void)SSL_read(ssl, &b, 1); /* TLS 1.3 tickets come after the handshake */
		*sess = SSL_get1_session(ssl);
	}
	if (rc == 1)
		(void)SSL_shutdown(ssl); /* else OpenSSL marks the session not resumable */
	SSL_free(ssl);
	return es;
}

SSL_CTX *tlst_raw_ctx(int min, int max, const char *ciphers)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx && (SSL_CTX_set_min_proto_version(ctx, min) != 1 ||
		    SSL_CTX_set_max_proto_version(ctx, max) != 1 ||
		    (ciphers && SSL_CTX_set_cipher_list(ctx, ciphers) != 1))) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* Connects the raw client ctx once; returns the server's result. */
int tlst_raw_once(struct cl_tls_server *srv, SSL_CTX *ctx, SSL_SESSION **sess,
		    struct cl_tls_result *res, bool *reused)
{
	int fd[2], err = ENOMEM;
	struct cl_tls_stream *s = NULL;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fd) != 0)
		return errno;
	if (cl_tls_stream_accept(&s, srv, fd[0]) == 0) {
		err = raw_client(s, fd[0], fd[1], ctx, sess, res);
		if (reused)
			*reused = err == 0 && cl_tls_stream_resumed(s);
	}
	cl_tls_stream_free(s);
	close(fd[0]);
	close(fd[1]);
	return err;
}
