/* cipherline config: the YAML configuration file (issue 5 §1), read with libyaml into one
 * struct that the rest of the edge reads and never changes. Every key is checked; an
 * unknown key, a missing required key, a value of the wrong form and a duplicate key are
 * errors, each reported as "FILE:LINE: KEY.PATH: problem", and all of them (up to
 * CL_CONFIG_ERRS_MAX) are collected in one pass. Relative paths are kept as written: they
 * are taken from the working directory when used.
 *
 * Bounds: the file is at most CL_CONFIG_MAX_SIZE bytes, nesting at most
 * CL_CONFIG_MAX_DEPTH levels, at most CL_CONFIG_MAX_NODES YAML nodes; anchors, aliases
 * and more than one document are refused (they would let a small file expand).
 *
 * Keys, with the defaults used where the file is silent:
 *   domain                 required; our SIP domain and digest realm
 *   listen[]               required, 1..16 entries
 *     transport            required: udp | tcp | tls
 *     address              required: an IPv4 or IPv6 address (no host names)
 *     port                 1..65535; default 5060, or 5061 for tls (RFC 3261 §19.1.2)
 *   tls                    required when a listener is tls
 *     certificate          required: PEM chain, leaf then intermediates
 *     private_key          required: PEM key of the leaf
 *     ca_file              CA bundle to verify peers and client certificates;
 *                          default: none given (the system bundle)
 *     client_certificates  none | optional | required; default none
 *   media                  optional
 *     address              IP address for RTP; default 127.0.0.1
 *     ports                "A-B", 1 <= A < B <= 65535; default 30000-39999
 *     workers              1..64; default 0 = one per online CPU (decided at start)
 *   store                  optional
 *     path                 default var/cipherline.db
 *   connections[]          optional, up to CL_CONFIG_MAX_CONNECTIONS
 *     name                 required, unique, [A-Za-z0-9_.-], up to 64 characters
 *     type                 required: credentials | ip | fqdn
 *     username             credentials only, required
 *     password | ha1       credentials only, exactly one; ha1 is 32 hex digits (MD5 HA1)
 *     addresses[]          ip only, required, 1..64: "a.b.c.d", "a.b.c.d:port",
 *                          "a.b.c.d/len" (host bits zero), and the IPv6 forms
 *                          "v6", "[v6]:port", "v6/len"
 *     host                 fqdn only, required: a DNS name
 *     port                 fqdn only, 1..65535; default 0 = from the transport
 *                          (5060, or 5061 for tls) or DNS (RFC 3263)
 *     inbound, outbound    optional settings blocks, each:
 *       transport          udp | tcp | tls; default: any
 *       media_encryption   none | srtp | zrtp | optional (SRTP best effort); default srtp
 *       srtp_suites[]      suite names (aliases accepted), no duplicates, in order;
 *                          default: empty = the engine's own order
 *       sdes_lifetime      packets, decimal or 2^N (N 1..48); default 0 = not written
 *       sdes_mki           MKI length in bytes to write, 0..128; default 0 = no MKI
 *       sdes_requires_tls  true | false; default true (RFC 4568 §8.3)
 *   numbers[]              optional, up to CL_CONFIG_MAX_NUMBERS
 *     number | prefix      exactly one: "+" then digits, or digits, '*' and '#'
 *     connection           required: the name of a connection in this file
 *
 * Secrets (password, ha1) are never logged and are wiped when the config is freed. */
#ifndef CL_CONFIG_H
#define CL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/net.h"
#include "sip/sip.h"
#include "srtp/srtp.h"
#include "tls/tls.h"

#define CL_CONFIG_MAX_SIZE (1024 * 1024)
#define CL_CONFIG_MAX_DEPTH 16
#define CL_CONFIG_MAX_NODES 200000
#define CL_CONFIG_MAX_LISTEN CL_SIP_TP_MAX_LISTENERS
#define CL_CONFIG_MAX_CONNECTIONS 4096
#define CL_CONFIG_MAX_ADDRESSES 64
#define CL_CONFIG_MAX_NUMBERS 65536
#define CL_CONFIG_MAX_SUITES CL_SRTP_SUITE_COUNT
#define CL_CONFIG_ERRS_MAX 32
#define CL_CONFIG_ERR_LEN 256

enum cl_config_conn_type {
	CL_CONFIG_CONN_CREDENTIALS,
	CL_CONFIG_CONN_IP,
	CL_CONFIG_CONN_FQDN,
};

enum cl_config_media_enc {
	CL_CONFIG_MEDIA_NONE,
	CL_CONFIG_MEDIA_SRTP,
	CL_CONFIG_MEDIA_ZRTP,
	CL_CONFIG_MEDIA_OPTIONAL, /* SRTP when the peer offers it, RTP otherwise */
};

struct cl_config_listen {
	enum cl_sip_tpt transport;
	struct cl_sa addr; /* address and port */
	unsigned line;
};

struct cl_config_tls {
	bool present;
	char *certificate, *private_key;
	char *ca_file; /* NULL: not given */
	enum cl_tls_client_auth client_certificates;
};

struct cl_config_media {
	struct cl_sa addr; /* port 0 */
	uint16_t port_min, port_max;
	unsigned workers; /* 0: one per online CPU */
};

/* One entry of an ip connection's addresses. */
struct cl_config_addr {
	struct cl_sa addr; /* port 0 = any port */
	uint8_t prefix;    /* 32 or 128 for one host */
};

struct cl_config_settings {
	bool has_transport;
	enum cl_sip_tpt transport;
	enum cl_config_media_enc media_encryption;
	enum cl_srtp_suite_id suites[CL_CONFIG_MAX_SUITES];
	size_t nsuites; /* 0: the engine's own order */
	uint64_t sdes_lifetime;
	uint8_t sdes_mki;
	bool sdes_requires_tls;
};

struct cl_config_conn {
	char *name;
	enum cl_config_conn_type type;
	char *username;             /* credentials */
	char *password, *ha1;       /* credentials, secret; one is NULL */
	struct cl_config_addr *addresses; /* ip */
	size_t naddresses;
	char *host;                 /* fqdn */
	uint16_t port;              /* fqdn; 0 = by transport or DNS */
	struct cl_config_settings inbound, outbound;
	unsigned line;
};

struct cl_config_number {
	char *digits;
	char *connection; /* the name as written */
	bool prefix; /* digits is a prefix rather than a whole number */
	size_t conn; /* index into connections */
	unsigned line;
};

struct cl_config {
	char *name; /* the file name errors were reported against */
	char *domain;
	struct cl_config_listen listen[CL_CONFIG_MAX_LISTEN];
	size_t nlisten;
	struct cl_config_tls tls;
	struct cl_config_media media;
	char *store_path;
	struct cl_config_conn *connections;
	size_t nconnections;
	struct cl_config_number *numbers;
	size_t nnumbers;
};

/* The errors of one load: the first CL_CONFIG_ERRS_MAX messages, and how many in all. */
struct cl_config_errs {
	char msg[CL_CONFIG_ERRS_MAX][CL_CONFIG_ERR_LEN];
	size_t n;     /* messages stored */
	size_t total; /* errors found (may exceed n) */
};

/* Loads the YAML in text[0..len), naming it name in errors. Returns 0 with *cp set,
 * EBADMSG when the file is invalid (errs says why), EFBIG when len exceeds
 * CL_CONFIG_MAX_SIZE, EINVAL for a bad argument, ENOMEM. errs may be NULL. */
int cl_config_load_mem(struct cl_config **cp, const char *text, size_t len, const char *name,
		       struct cl_config_errs *errs);
/* Reads path and loads it as cl_config_load_mem does. Also returns the errno of a file
 * that cannot be read (with a message in errs). */
int cl_config_load_file(struct cl_config **cp, const char *path, struct cl_config_errs *errs);
/* Frees c (NULL is fine), wiping passwords and HA1s. */
void cl_config_free(struct cl_config *c);

/* Returns the index of the connection called name, or -1. */
long cl_config_conn_find(const struct cl_config *c, const char *name);
/* "credentials", "ip", "fqdn". */
const char *cl_config_conn_type_name(enum cl_config_conn_type t);
/* "none", "srtp", "zrtp", "optional". */
const char *cl_config_media_enc_name(enum cl_config_media_enc m);

#endif
