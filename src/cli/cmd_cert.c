/* `cipherline cert init|check|bundle`: the operator's certificate tools (issue 4 §4).
 *
 *   init    a local CA -> intermediate -> server certificate for first runs and tests
 *   check   handshake with a TLS server and show its chain, fingerprints, expiry,
 *           verification, RFC 5922 name match, and the negotiated version and cipher
 *   bundle  the issuer chain (everything after the leaf) for appliances without a CA store
 *
 * All X.509 and TLS work is in src/tls/; this file parses options, does file and
 * socket I/O, and formats. Exit codes: 0 good, 1 a check failed, 2 usage. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "cli.h"
#include "tls/tls.h"

#define CMD "cert"
#define MAX_IPS 16
#define PEM_FILE_MAX (1u << 20)
#define PEM_OUT_CAP 8192 /* one certificate or one key as PEM */

/* ---- shared helpers ---- */

static int set_str(const char **dst, const char *val)
{
	*dst = val;
	return 0;
}

/* Reads a whole file (at most PEM_FILE_MAX bytes) into a malloc'd buffer. */
static int read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return errno;
	*buf = malloc(PEM_FILE_MAX + 1);
	if (!*buf) {
		fclose(f);
		return ENOMEM;
	}
	n = fread(*buf, 1, PEM_FILE_MAX + 1, f);
	fclose(f);
	if (n > PEM_FILE_MAX) {
		free(*buf);
		return EFBIG;
	}
	*len = n;
	return 0;
}

/* Writes data to path with mode through a temporary file in the same folder, so
 * a reader never sees half a file. Without force an existing path is EEXIST. */
static int write_file(const char *path, const char *data, size_t len, mode_t mode, bool force)
{
	char tmp[4200];
	int fd, err = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >= sizeof(tmp))
		return ENAMETOOLONG;
	fd = mkstemp(tmp); /* 0600 from the start: a key is never readable by others */
	if (fd < 0)
		return errno;
	if (fchmod(fd, mode) != 0 || write(fd, data, len) != (ssize_t)len || fsync(fd) != 0)
		err = errno ? errno : EIO;
	if (close(fd) != 0 && !err)
		err = errno;
	if (!err && force && rename(tmp, path) != 0)
		err = errno;
	if (!err && !force && link(tmp, path) != 0)
		err = errno; /* link() fails with EEXIST atomically */
	if (err || !force)
		unlink(tmp);
	return err;
}

/* ---- JSON ---- */

/* Length of a valid UTF-8 sequence at s (0 when invalid). */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;

	if (s[0] >= 0xF8)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

/* Prints s as a JSON string (RFC 8259 §7); bytes that are not UTF-8 become \u00XX. */
static void json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	while (*p) {
		size_t n;

		if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
		} else if (*p < 0x20 || *p == 0x7F) {
			fprintf(f, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			fputc(*p++, f);
		} else if ((n = utf8_len(p)) != 0) {
			fwrite(p, 1, n, f);
			p += n;
		} else {
			fprintf(f, "\\u%04x", *p++);
		}
	}
	fputc('"', f);
}

/* ---- cert init ---- */

struct init_args {
	const char *dir, *name;
	const char *ips[MAX_IPS];
	size_t nips;
	uint64_t days;
	bool force;
};

static const char *const g_init_files[] = { "ca.pem", "ca.key", "server.key", "server.pem",
					    "server-chain.pem" };

static int init_set(void *ctx, const char *opt, const char *val)
{
	struct init_args *a = ctx;

	if (strcmp(opt, "--dir") == 0)
		return set_str(&a->dir, val);
	if (strcmp(opt, "--name") == 0)
		return set_str(&a->name, val);
	if (strcmp(opt, "--days") == 0)
		return cl_cli_parse_u64(CMD " init", opt, val, 1, 36500, &a->days);
	a->force = true;
	return 0;
}

static int init_ip(struct init_args *a, const char *val)
{
	/* --ip may repeat, and may list several: --ip 127.0.0.1,::1 */
	for (const char *p = val;;) {
		size_t n = strcspn(p, ",");
		char ip[64];

		if (n == 0 || n >= sizeof(ip) || (memcpy(ip, p, n), ip[n] = '\0', !cl_tls_is_ip(ip))) {
			cl_cli_err(CMD " init", "--ip: '%.*s' is not an IPv4 or IPv6 address",
				   (int)n, p);
			return CL_EXIT_USAGE;
		}
		if (a->nips == MAX_IPS) {
			cl_cli_err(CMD " init", "--ip: at most %d addresses", MAX_IPS);
			return CL_EXIT_USAGE;
		}
		a->ips[a->nips++] = strndup(p, n);
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

static const struct cl_cli_opt g_init_opts[] = {
	{ "--dir", "DIR", "folder for the files (created if missing)", init_set },
	{ "--name", "NAME", "the SIP domain / host name of the server (required)", init_set },
	{ "--ip", "ADDR", "also an IP SAN; repeat or separate with commas", NULL },
	{ "--days", "N", "server certificate validity in days (default 365)", init_set },
	{ "--force", NULL, "replace existing files", init_set },
};

/* The shared parser takes each option once; --ip may repeat, so it is taken out
 * first. Options with a separate value keep that value with them. */
static int init_take_ips(struct init_args *a, int argc, char **argv, char **rest, int *nrest)
{
	*nrest = 0;
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];

		if (i > 0 && strcmp(w, "--ip") == 0) {
			if (i + 1 >= argc) {
				cl_cli_err(CMD " init", "--ip needs a value (--ip ADDR)");
				return CL_EXIT_USAGE;
			}
			if (init_ip(a, argv[++i]))
				return CL_EXIT_USAGE;
			continue;
		}
		if (i > 0 && strncmp(w, "--ip=", 5) == 0) {
			if (init_ip(a, w + 5))
				return CL_EXIT_USAGE;
			continue;
		}
		rest[(*nrest)++] = argv[i];
		for (size_t o = 0; i > 0 && o < CL_ARRAY_SIZE(g_init_opts); o++)
			if (g_init_opts[o].arg && strcmp(w, g_init_opts[o].name) == 0 &&
			    i + 1 < argc)
				rest[(*nrest)++] = argv[++i];
	}
	return 0;
}

/* A host name: LDH labels of 1..63 separated by dots, at most 253 (RFC 1123 §2.1). */
static bool host_name_ok(const char *s)
{
	size_t n = strlen(s), label = 0;

	if (n == 0 || n > 253 || cl_tls_is_ip(s))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      (c == '-' && label > 0)) || ++label > 63)
			return false;
	}
	return label > 0 && s[n - 1] != '-';
}

static void init_usage(FILE *f)
{
	fprintf(f, "usage: cipherline cert init --dir DIR --name NAME [--ip ADDR]... [--days N] "
		   "[--force]\n\n"
		   "Creates a local root CA, an intermediate and a server certificate for NAME\n"
		   "(EC P-256, ECDSA-SHA256; SAN DNS:NAME, URI:sip:NAME per RFC 5922, IP:ADDR):\n"
		   "  ca.pem ca.key            the root CA: give ca.pem to clients (--ca)\n"
		   "  server.key               the server key (mode 0600)\n"
		   "  server.pem               the server certificate alone\n"
		   "  server-chain.pem         server certificate + intermediate: serve this\n"
		   "Existing files are kept unless --force.\n\noptions:\n");
	cl_cli_print_opts(f, g_init_opts, CL_ARRAY_SIZE(g_init_opts));
}

/* Refuses before writing anything when one of the files exists. */
static int init_check_dir(const struct init_args *a, char paths[][4096])
{
	struct stat st;

	if (mkdir(a->dir, 0700) != 0 && errno != EEXIST) {
		cl_cli_err(CMD " init", "--dir %s: %s", a->dir, strerror(errno));
		return CL_EXIT_FAIL;
	}
	for (size_t i = 0; i < CL_ARRAY_SIZE(g_init_files); i++) {
		if ((size_t)snprintf(paths[i], 4096, "%s/%s", a->dir, g_init_files[i]) >= 4096) {
			cl_cli_err(CMD " init", "--dir: path too long");
			return CL_EXIT_USAGE;
		}
		if (!a->force && lstat(paths[i], &st) == 0) {
			cl_cli_err(CMD " init", "%s exists; use --force to replace it", paths[i]);
			return CL_EXIT_FAIL;
		}
	}
	return 0;
}

/* Encodes and writes the five files; every key buffer is wiped. */
static int init_write(const struct init_args *a, const struct cl_tls_pki *p, char paths[][4096])
{
	static char buf[5][PEM_OUT_CAP];
	size_t len[5], chain_len;
	int err;

	err = cl_tls_cert_pem(p->ca, buf[0], PEM_OUT_CAP, &len[0]);
	err = err ? err : cl_tls_key_pem(p->ca_key, buf[1], PEM_OUT_CAP, &len[1]);
	err = err ? err : cl_tls_key_pem(p->leaf_key, buf[2], PEM_OUT_CAP, &len[2]);
	err = err ? err : cl_tls_cert_pem(p->leaf, buf[3], PEM_OUT_CAP, &len[3]);
	err = err ? err : cl_tls_cert_pem(p->inter, buf[4], PEM_OUT_CAP, &chain_len);
	if (!err && len[3] + chain_len < PEM_OUT_CAP) {
		/* server-chain.pem: leaf first, then the intermediate (RFC 8446 §4.4.2) */
		memmove(buf[4] + len[3], buf[4], chain_len + 1);
		memcpy(buf[4], buf[3], len[3]);
		len[4] = len[3] + chain_len;
	} else if (!err) {
		err = ENOBUFS;
	}
	for (size_t i = 0; !err && i < 5; i++) {
		bool key = g_init_files[i][strlen(g_init_files[i]) - 1] == 'y';

		err = write_file(paths[i], buf[i], len[i], key ? 0600 : 0644, a->force);
		if (err)
			cl_cli_err(CMD " init", "%s: %s", paths[i], strerror(err));
	}
	cl_wipe(buf, sizeof(buf));
	return err ? CL_EXIT_FAIL : 0;
}

static int cmd_init(int argc, char **argv)
{
	struct init_args a = { .days = 365 };
	struct cl_tls_pki p;
	struct cl_tls_cert_info info;
	char **rest = calloc((size_t)argc + 1, sizeof(char *)), paths[5][4096];
	int nrest, rc;

	if (!rest)
		return CL_EXIT_FAIL;
	rc = init_take_ips(&a, argc, argv, rest, &nrest);
	if (!rc)
		rc = cl_cli_parse(CMD " init", g_init_opts, CL_ARRAY_SIZE(g_init_opts), nrest, rest,
				  &a, NULL);
	free(rest);
	if (rc == CL_CLI_HELP) {
		init_usage(stdout);
		rc = CL_EXIT_OK;
		goto out;
	}
	if (!rc && (!a.dir || !a.name)) {
		cl_cli_err(CMD " init", "%s is required", a.dir ? "--name" : "--dir");
		rc = CL_EXIT_USAGE;
	}
	if (!rc && !host_name_ok(a.name)) {
		cl_cli_err(CMD " init", "--name: '%s' is not a host name", a.name);
		rc = CL_EXIT_USAGE;
	}
	if (!rc)
		rc = init_check_dir(&a, paths);
	if (rc)
		goto out;
	if (cl_tls_pki_init(&p, a.name, a.ips, a.nips, (unsigned)a.days, (int64_t)time(NULL))) {
		cl_cli_err(CMD " init", "could not create the certificates");
		rc = CL_EXIT_FAIL;
		goto out;
	}
	rc = init_write(&a, &p, paths);
	if (!rc && cl_tls_cert_info(p.leaf, &info) == 0)
		printf("wrote %s/{ca.pem,ca.key,server.key,server.pem,server-chain.pem}\n"
		       "server certificate for %s, sha256 %s\n", a.dir, a.name, info.sha256);
	cl_tls_pki_free(&p);
out:
	for (size_t i = 0; i < a.nips; i++)
		free((void *)a.ips[i]);
	return rc;
}

/* ---- cert bundle ---- */

struct bundle_args {
	const char *cert, *out;
	bool force;
};

static int bundle_set(void *ctx, const char *opt, const char *val)
{
	struct bundle_args *a = ctx;

	if (strcmp(opt, "--cert") == 0)
		return set_str(&a->cert, val);
	if (strcmp(opt, "--out") == 0)
		return set_str(&a->out, val);
	a->force = true;
	return 0;
}

static const struct cl_cli_opt g_bundle_opts[] = {
	{ "--cert", "CHAIN.pem", "the chain the edge serves: leaf first (required)", bundle_set },
	{ "--out", "FILE", "where to write the issuer chain; - for stdout (required)", bundle_set },
	{ "--force", NULL, "replace FILE when it exists", bundle_set },
};

static void bundle_usage(FILE *f)
{
	fprintf(f, "usage: cipherline cert bundle --cert CHAIN.pem --out FILE [--force]\n\n"
		   "Writes the issuer chain the edge serves, from the leaf's issuer up (every\n"
		   "certificate of CHAIN.pem after the leaf, in order), for appliances without a\n"
		   "CA store. Refuses a chain whose links do not verify, or a leaf alone.\n\n"
		   "options:\n");
	cl_cli_print_opts(f, g_bundle_opts, CL_ARRAY_SIZE(g_bundle_opts));
}

/* Encodes certs[1..n) as one PEM text into out (cap bytes). */
static int bundle_pem(struct cl_tls_cert **certs, size_t n, char *out, size_t cap, size_t *len)
{
	*len = 0;
	for (size_t i = 1; i < n; i++) {
		size_t l;
		int err = cl_tls_cert_pem(certs[i], out + *len, cap - *len, &l);

		if (err)
			return err;
		*len += l;
	}
	return 0;
}

static int bundle_run(const struct bundle_args *a, struct cl_tls_cert **certs, size_t n)
{
	size_t broken, len;
	static char out[CL_TLS_CHAIN_MAX * PEM_OUT_CAP];
	int err;

	if (n < 2) {
		cl_cli_err(CMD " bundle", "%s holds only the leaf: there is no issuer chain to "
					  "bundle", a->cert);
		return CL_EXIT_FAIL;
	}
	if (cl_tls_chain_linked(certs, n, &broken)) {
		cl_cli_err(CMD " bundle", "%s: certificate %zu was not issued by certificate %zu "
					  "(broken chain)", a->cert, broken + 1, broken + 2);
		return CL_EXIT_FAIL;
	}
	if (bundle_pem(certs, n, out, sizeof(out), &len))
		return CL_EXIT_FAIL;
	if (strcmp(a->out, "-") == 0) {
		fwrite(out, 1, len, stdout);
		return CL_EXIT_OK;
	}
	err = write_file(a->out, out, len, 0644, a->force);
	if (err) {
		cl_cli_err(CMD " bundle", "%s: %s%s", a->out, strerror(err),
			   err == EEXIST ? " (use --force to replace it)" : "");
		return CL_EXIT_FAIL;
	}
	fprintf(stderr, "cipherline cert bundle: wrote %zu certificate%s to %s\n", n - 1,
		n == 2 ? "" : "s", a->out);
	return CL_EXIT_OK;
}

static int cmd_bundle(int argc, char **argv)
{
	struct bundle_args a = { 0 };
	struct cl_tls_cert *certs[CL_TLS_CHAIN_MAX];
	size_t n = 0, len = 0;
	char *pem = NULL;
	int rc = cl_cli_parse(CMD " bundle", g_bundle_opts, CL_ARRAY_SIZE(g_bundle_opts), argc,
			      argv, &a, NULL), err;

	if (rc == CL_CLI_HELP) {
		bundle_usage(stdout);
		return CL_EXIT_OK;
	}
	if (rc)
		return rc;
	if (!a.cert || !a.out) {
		cl_cli_err(CMD " bundle", "%s is required", a.cert ? "--out" : "--cert");
		return CL_EXIT_USAGE;
	}
	err = read_file(a.cert, &pem, &len);
	if (err) {
		cl_cli_err(CMD " bundle", "--cert %s: %s", a.cert, strerror(err));
		return CL_EXIT_FAIL;
	}
	err = cl_tls_pem_read_certs((struct cl_slice){ pem, len }, certs, CL_TLS_CHAIN_MAX, &n);
	free(pem);
	if (err) {
		cl_cli_err(CMD " bundle", "--cert %s: %s", a.cert,
			   err == ENOSPC ? "more than 16 certificates"
					 : "no PEM certificate, or one that does not decode");
		return CL_EXIT_FAIL;
	}
	rc = bundle_run(&a, certs, n);
	cl_tls_certs_free(certs, n);
	return rc;
}

/* ---- cert check ---- */

struct check_args {
	char host[256];
	char port[8];
	const char *servername, *ca, *sip_domain;
	uint64_t warn_days, timeout;
	bool json, have_target;
};

static int check_set(void *ctx, const char *opt, const char *val)
{
	struct check_args *a = ctx;

	if (strcmp(opt, "--servername") == 0)
		return set_str(&a->servername, val);
	if (strcmp(opt, "--ca") == 0)
		return set_str(&a->ca, val);
	if (strcmp(opt, "--sip-domain") == 0)
		return set_str(&a->sip_domain, val);
	if (strcmp(opt, "--warn-days") == 0)
		return cl_cli_parse_u64(CMD " check", opt, val, 0, 36500, &a->warn_days);
	if (strcmp(opt, "--timeout") == 0)
		return cl_cli_parse_u64(CMD " check", opt, val, 1, 300, &a->timeout);
	a->json = true;
	return 0;
}

/* HOST:PORT, [IPv6]:PORT, or HOST alone (port 5061, RFC 3261 §19.1.2 for sips). */
static int check_target(void *ctx, const char *w)
{
	struct check_args *a = ctx;
	const char *port = "5061", *h = w, *colon;
	size_t hl;
	uint64_t pn;

	if (a->have_target) {
		cl_cli_err(CMD " check", "unexpected argument '%s' (one HOST:PORT)", w);
		return CL_EXIT_USAGE;
	}
	if (w[0] == '[') {
		const char *rb = strchr(w, ']');

		if (!rb || (rb[1] != '\0' && rb[1] != ':'))
			goto bad;
		h = w + 1;
		hl = (size_t)(rb - h);
		if (rb[1] == ':')
			port = rb + 2;
	} else {
		colon = strchr(w, ':');
		if (colon && strchr(colon + 1, ':')) {
			cl_cli_err(CMD " check", "'%s': put an IPv6 address in brackets: [%s]:5061",
				   w, w);
			return CL_EXIT_USAGE;
		}
		hl = colon ? (size_t)(colon - w) : strlen(w);
		if (colon)
			port = colon + 1;
	}
	if (hl == 0 || hl >= sizeof(a->host))
		goto bad;
	if (cl_cli_parse_u64(CMD " check", "port", port, 1, 65535, &pn))
		return CL_EXIT_USAGE;
	memcpy(a->host, h, hl);
	a->host[hl] = '\0';
	snprintf(a->port, sizeof(a->port), "%u", (unsigned)pn);
	a->have_target = true;
	return 0;
bad:
	cl_cli_err(CMD " check", "'%s' is not HOST:PORT", w);
	return CL_EXIT_USAGE;
}

static const struct cl_cli_opt g_check_opts[] = {
	{ "--servername", "NAME", "SNI to send (default: HOST when it is a name)", check_set },
	{ "--ca", "FILE", "trust only the CAs in FILE (default: the system bundle)", check_set },
	{ "--sip-domain", "D", "check the SIP domain D per RFC 5922 (default: servername)",
	  check_set },
	{ "--warn-days", "N", "fail when the leaf expires within N days (default 30)", check_set },
	{ "--json", NULL, "print one JSON object", check_set },
	{ "--timeout", "S", "seconds for connect + handshake (default 10)", check_set },
};

static void check_usage(FILE *f)
{
	fprintf(f, "usage: cipherline cert check HOST[:PORT] [OPTIONS]\n\n"
		   "Connects to HOST:PORT (default port 5061), does a TLS 1.2+ handshake and\n"
		   "prints each certificate the server sent (subject, issuer, serial, SHA-1 and\n"
		   "SHA-256 fingerprints, validity, days left), whether the chain verifies,\n"
		   "whether the name matches per RFC 5922 (SAN URI sip:, then DNS, no wildcards),\n"
		   "and the TLS version and cipher. Exit status 1 when the connection fails,\n"
		   "the chain does not verify, the name does not match, or the leaf expires\n"
		   "within --warn-days; 2 for usage errors.\n\noptions:\n");
	cl_cli_print_opts(f, g_check_opts, CL_ARRAY_SIZE(g_check_opts));
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for events, or the deadline. Returns 0 or ETIMEDOUT. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	int64_t left;
	int r;

	do {
		left = deadline - now_ms();
		if (left <= 0)
			return ETIMEDOUT;
		r = poll(&p, 1, (int)left);
	} while (r < 0 && errno == EINTR);
	return r > 0 ? 0 : r == 0 ? ETIMEDOUT : errno;
}

/* Non-blocking connect to one address, bounded by the deadline. Returns fd or -errno. */
static int connect_one(const struct addrinfo *ai, int64_t deadline)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			ai->ai_protocol);
	int err = 0;
	socklen_t sl = sizeof(err);

	if (fd < 0)
		return -errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		err = errno;
		if (err == EINPROGRESS) {
			err = wait_fd(fd, POLLOUT, deadline);
			if (!err && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) != 0)
				err = errno;
		}
	}
	if (err) {
		close(fd);
		return -err;
	}
	return fd;
}

/* TCP to the target: every address in turn, until the deadline (the only network
 * access this tool makes, besides resolving HOST). Returns fd or -1 with *why. */
static int tcp_connect(const struct check_args *a, int64_t deadline, char *why, size_t cap)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res, *ai;
	int fd = -ENOENT, r = getaddrinfo(a->host, a->port, &hints, &res);

	if (r != 0) {
		snprintf(why, cap, "cannot resolve %.100s: %s", a->host, gai_strerror(r));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = connect_one(ai, deadline);
		if (fd >= 0 || fd == -ETIMEDOUT)
			break;
	}
	freeaddrinfo(res);
	if (fd == -ETIMEDOUT)
		snprintf(why, cap, "connect: timed out after %u s", (unsigned)a->timeout);
	else if (fd == -ECONNREFUSED)
		snprintf(why, cap, "connect: connection refused");
	else if (fd < 0)
		snprintf(why, cap, "connect: %s", strerror(-fd));
	return fd < 0 ? -1 : fd;
}

/* What one check found; filled in by check_run, printed by the formatters. */
struct check_report {
	const char *failure; /* connection or handshake failure, or NULL */
	char why[200];
	const char *version, *cipher;
	struct cl_tls_cert *chain[CL_TLS_CHAIN_MAX];
	struct cl_tls_cert_info info[CL_TLS_CHAIN_MAX];
	size_t n;
	struct cl_tls_result verify;
	const char *name;        /* the name checked */
	enum cl_tls_match match;
	int64_t now, days_left;
	bool verify_ok, name_ok, expiry_ok;
};

static int handshake(struct cl_tls_conn *c, int fd, int64_t deadline, struct check_report *r)
{
	struct cl_tls_result res;
	bool ww;
	int err;

	while ((err = cl_tls_conn_handshake(c, &ww, &res)) == EAGAIN) {
		if (wait_fd(fd, ww ? POLLOUT : POLLIN, deadline)) {
			r->failure = "handshake";
			snprintf(r->why, sizeof(r->why), "timed out");
			return ETIMEDOUT;
		}
	}
	if (err) {
		r->failure = "handshake";
		snprintf(r->why, sizeof(r->why), "%s%s%s", cl_tls_why_str(res.why),
			 res.detail[0] ? ": " : "", res.detail);
	}
	return err;
}

/* Verification, RFC 5922 name and expiry of what the handshake gave. */
static void check_judge(const struct check_args *a, struct cl_tls_conn *c, struct check_report *r)
{
	r->verify_ok = cl_tls_conn_verify(c, &r->verify) == 0;
	r->name = a->sip_domain ? a->sip_domain : a->servername ? a->servername : a->host;
	if (r->n == 0)
		return;
	r->match = cl_tls_is_ip(r->name) ? cl_tls_name_match_ip(r->chain[0], r->name)
					 : cl_tls_name_match_rfc5922(r->chain[0],
								     cl_slice_cstr(r->name));
	r->name_ok = r->match != CL_TLS_MATCH_NONE;
	for (size_t i = 0; i < r->n; i++)
		if (cl_tls_cert_info(r->chain[i], &r->info[i]))
			snprintf(r->info[i].subject, sizeof(r->info[i].subject), "(undecodable)");
	r->days_left = cl_tls_days_left(r->info[0].not_after, r->now);
	r->expiry_ok = r->info[0].not_after - r->now >= (int64_t)a->warn_days * 86400;
}

static void check_run(const struct check_args *a, struct cl_tls_ctx *ctx, struct check_report *r)
{
	int64_t deadline = now_ms() + (int64_t)a->timeout * 1000;
	struct cl_tls_conn *c = NULL;
	const char *sni = a->servername ? a->servername : a->host;
	int fd = tcp_connect(a, deadline, r->why, sizeof(r->why));

	r->now = (int64_t)time(NULL);
	if (fd < 0) {
		r->failure = "connect";
		return;
	}
	if (cl_tls_conn_client(&c, ctx, fd, sni)) {
		r->failure = "handshake";
		snprintf(r->why, sizeof(r->why), "out of memory");
	} else if (handshake(c, fd, deadline, r) == 0) {
		r->version = cl_tls_conn_version(c);
		r->cipher = cl_tls_conn_cipher(c);
		r->n = cl_tls_conn_peer_chain(c, r->chain, CL_TLS_CHAIN_MAX);
		check_judge(a, c, r);
	}
	cl_tls_conn_free(c);
	close(fd);
}

static void print_cert_text(size_t i, const struct cl_tls_cert_info *ci, int64_t now)
{
	char nb[CL_TLS_TIME_SIZE] = "?", na[CL_TLS_TIME_SIZE] = "?";

	cl_tls_time_fmt(ci->not_before, nb, sizeof(nb));
	cl_tls_time_fmt(ci->not_after, na, sizeof(na));
	printf("certificate %zu%s\n  subject:    %s\n  issuer:     %s\n  serial:     %s\n"
	       "  sha1:       %s\n  sha256:     %s\n  not before: %s\n  not after:  %s\n"
	       "  days left:  %lld\n",
	       i, i == 0 ? " (leaf)" : "", ci->subject, ci->issuer, ci->serial, ci->sha1,
	       ci->sha256, nb, na, (long long)cl_tls_days_left(ci->not_after, now));
}

static void print_text(const struct check_args *a, const struct check_report *r)
{
	printf("server:     %s:%s", a->host, a->port);
	if (a->servername || !cl_tls_is_ip(a->host))
		printf(" (SNI %s)", a->servername ? a->servername : a->host);
	putchar('\n');
	if (r->failure) {
		printf("result:     FAILED: %s: %s\n", r->failure, r->why);
		return;
	}
	printf("tls:        %s %s\n", r->version, r->cipher);
	printf("chain:      %zu certificate%s sent\n", r->n, r->n == 1 ? "" : "s");
	for (size_t i = 0; i < r->n; i++)
		print_cert_text(i, &r->info[i], r->now);
	printf("verify:     %s%s (against %s)\n", r->verify_ok ? "ok" : "FAILED: ",
	       r->verify_ok ? "" : cl_tls_why_str(r->verify.why),
	       a->ca ? a->ca : "the system bundle");
	if (!r->verify_ok)
		printf("            %s\n", r->verify.detail);
	if (r->name_ok)
		printf("name:       ok: %s matches the %s (RFC 5922 §7.2)\n", r->name,
		       cl_tls_match_str(r->match));
	else
		printf("name:       FAILED: %s is not an identity of the certificate "
		       "(RFC 5922 §7.2)\n", r->name);
	printf("expiry:     %s: the leaf %s %lld day%s (warning at %u)\n",
	       r->expiry_ok ? "ok" : "FAILED", r->days_left < 0 ? "expired" : "expires in",
	       (long long)(r->days_left < 0 ? -r->days_left : r->days_left),
	       r->days_left < 0 ? "s ago" : "s", (unsigned)a->warn_days);
	printf("result:     %s\n", r->verify_ok && r->name_ok && r->expiry_ok ? "ok" : "FAILED");
}

static void json_cert(const struct cl_tls_cert_info *ci, int64_t now)
{
	char nb[CL_TLS_TIME_SIZE] = "", na[CL_TLS_TIME_SIZE] = "";

	cl_tls_time_fmt(ci->not_before, nb, sizeof(nb));
	cl_tls_time_fmt(ci->not_after, na, sizeof(na));
	fputs("{\"subject\":", stdout);
	json_str(stdout, ci->subject);
	fputs(",\"issuer\":", stdout);
	json_str(stdout, ci->issuer);
	printf(",\"serial\":\"%s\",\"sha1\":\"%s\",\"sha256\":\"%s\",\"not_before\":\"%s\","
	       "\"not_after\":\"%s\",\"days_left\":%lld,\"ca\":%s}",
	       ci->serial, ci->sha1, ci->sha256, nb, na,
	       (long long)cl_tls_days_left(ci->not_after, now), ci->is_ca ? "true" : "false");
}

static void print_json(const struct check_args *a, const struct check_report *r)
{
	bool ok = !r->failure && r->verify_ok && r->name_ok && r->expiry_ok;

	fputs("{\"host\":", stdout);
	json_str(stdout, a->host);
	printf(",\"port\":%s,\"servername\":", a->port);
	json_str(stdout, a->servername ? a->servername : cl_tls_is_ip(a->host) ? NULL : a->host);
	printf(",\"ok\":%s", ok ? "true" : "false");
	if (r->failure) {
		printf(",\"error\":{\"stage\":\"%s\",\"reason\":", r->failure);
		json_str(stdout, r->why);
		fputs("}}\n", stdout);
		return;
	}
	printf(",\"tls_version\":\"%s\",\"cipher\":\"%s\",\"chain\":[", r->version, r->cipher);
	for (size_t i = 0; i < r->n; i++) {
		if (i)
			putchar(',');
		json_cert(&r->info[i], r->now);
	}
	printf("],\"verify\":{\"ok\":%s,\"against\":", r->verify_ok ? "true" : "false");
	json_str(stdout, a->ca ? a->ca : "system");
	printf(",\"reason\":");
	json_str(stdout, r->verify_ok ? NULL : cl_tls_why_str(r->verify.why));
	printf(",\"detail\":");
	json_str(stdout, r->verify_ok ? NULL : r->verify.detail);
	fputs("},\"name\":{\"checked\":", stdout);
	json_str(stdout, r->name);
	printf(",\"ok\":%s,\"matched\":", r->name_ok ? "true" : "false");
	json_str(stdout, r->name_ok ? cl_tls_match_str(r->match) : NULL);
	printf("},\"expiry\":{\"ok\":%s,\"days_left\":%lld,\"warn_days\":%u}}\n",
	       r->expiry_ok ? "true" : "false", (long long)r->days_left, (unsigned)a->warn_days);
}

/* Says each failure on stderr; returns the exit code. */
static int check_verdict(const struct check_args *a, const struct check_report *r)
{
	int rc = CL_EXIT_OK;

	if (r->failure) {
		cl_cli_err(CMD " check", "%s:%s: %s failed: %s", a->host, a->port, r->failure,
			   r->why);
		return CL_EXIT_FAIL;
	}
	if (r->n == 0) {
		cl_cli_err(CMD " check", "the server sent no certificate");
		return CL_EXIT_FAIL;
	}
	if (!r->verify_ok) {
		cl_cli_err(CMD " check", "verification failed: %s (%s)",
			   cl_tls_why_str(r->verify.why), r->verify.detail);
		rc = CL_EXIT_FAIL;
	}
	if (!r->name_ok) {
		cl_cli_err(CMD " check", "name mismatch: %s is not an identity of the "
					 "certificate (RFC 5922 §7.2)", r->name);
		rc = CL_EXIT_FAIL;
	}
	if (!r->expiry_ok) {
		if (r->info[0].not_after <= r->now)
			cl_cli_err(CMD " check", "the leaf certificate expired %lld day%s ago",
				   (long long)-r->days_left, r->days_left == -1 ? "" : "s");
		else
			cl_cli_err(CMD " check", "the leaf certificate expires in %lld days, "
						 "within --warn-days %u", (long long)r->days_left,
				   (unsigned)a->warn_days);
		rc = CL_EXIT_FAIL;
	}
	return rc;
}

static int cmd_check(int argc, char **argv)
{
	struct check_args a = { .warn_days = 30, .timeout = 10 };
	static struct check_report r;
	struct cl_tls_ca *ca = NULL;
	struct cl_tls_ctx *ctx = NULL;
	int rc = cl_cli_parse(CMD " check", g_check_opts, CL_ARRAY_SIZE(g_check_opts), argc, argv,
			      &a, check_target), err;

	if (rc == CL_CLI_HELP) {
		check_usage(stdout);
		return CL_EXIT_OK;
	}
	if (rc)
		return rc;
	if (!a.have_target) {
		cl_cli_err(CMD " check", "HOST:PORT is required");
		return CL_EXIT_USAGE;
	}
	err = cl_tls_ca_init(&ca, a.ca);
	if (err) {
		cl_cli_err(CMD " check", "--ca %s: %s", a.ca ? a.ca : "(system)",
			   err == EBADMSG ? "no PEM certificate in it" : strerror(err));
		return a.ca ? CL_EXIT_USAGE : CL_EXIT_FAIL;
	}
	if (cl_tls_ctx_client(&ctx, ca, CL_TLS_VERIFY_REPORT)) {
		cl_tls_ca_free(ca);
		return CL_EXIT_FAIL;
	}
	check_run(&a, ctx, &r);
	if (a.json)
		print_json(&a, &r);
	else
		print_text(&a, &r);
	fflush(stdout);
	rc = check_verdict(&a, &r);
	cl_tls_certs_free(r.chain, r.n);
	cl_tls_ctx_free(ctx);
	cl_tls_ca_free(ca);
	return rc;
}

/* ---- dispatch ---- */

static void cert_usage(FILE *f)
{
	fprintf(f, "usage: cipherline cert init --dir DIR --name NAME [--ip ADDR]... [--days N]\n"
		   "       cipherline cert check HOST[:PORT] [--servername NAME] [--ca FILE]\n"
		   "                  [--sip-domain D] [--warn-days N] [--json] [--timeout S]\n"
		   "       cipherline cert bundle --cert CHAIN.pem --out FILE\n"
		   "       cipherline cert ACTION --help\n");
}

int cl_cli_cert(int argc, char **argv)
{
	/* A peer that closes mid-handshake must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		cert_usage(stderr);
		return CL_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cert_usage(stdout);
		return CL_EXIT_OK;
	}
	if (strcmp(argv[1], "init") == 0)
		return cmd_init(argc - 1, argv + 1);
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "bundle") == 0)
		return cmd_bundle(argc - 1, argv + 1);
	cl_cli_err(CMD, "unknown action '%s' (init, check or bundle)", argv[1]);
	return CL_EXIT_USAGE;
}
