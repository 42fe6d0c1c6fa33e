/* The configuration loader (issue 5 §1): the default file's values, then one table of
 * broken files, each with the exact "NAME:LINE: KEY: problem" it must produce. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "test.h"

/* A minimal valid file; cases append or replace lines. */
#define BASE "domain: sip.test\nlisten:\n  - { transport: udp, address: 127.0.0.1, port: 5060 }\n"

static int load(const char *text, struct cl_config **c, struct cl_config_errs *e)
{
	return cl_config_load_mem(c, text, strlen(text), "t.yaml", e);
}

/* True when one of the messages is exactly want. */
static bool has_msg(const struct cl_config_errs *e, const char *want)
{
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->msg[i], want) == 0)
			return true;
	return false;
}

static void dump(const struct cl_config_errs *e)
{
	for (size_t i = 0; i < e->n; i++)
		fprintf(stderr, "    got: %s\n", e->msg[i]);
}

TEST(config_default_file)
{
	struct cl_config_errs e;
	struct cl_config *c = NULL;
	const struct cl_config_conn *a, *p, *f;
	char ip[CL_SA_STRLEN];

	CHECK_INT(cl_config_load_file(&c, "etc/cipherline.yaml", &e), 0);
	CHECK(strcmp(c->domain, "sip.test") == 0);
	CHECK_INT(c->nlisten, 3);
	CHECK_INT(c->listen[0].transport, CL_SIP_TP_UDP);
	CHECK_INT(c->listen[1].transport, CL_SIP_TP_TCP);
	CHECK_INT(c->listen[2].transport, CL_SIP_TP_TLS);
	CHECK_INT(cl_sa_port(&c->listen[2].addr), 5061);
	CHECK(cl_sa_format(&c->listen[0].addr, ip, sizeof(ip)) == 0 && !strcmp(ip, "127.0.0.1:5060"));
	CHECK(!strcmp(c->tls.certificate, "var/tls/server-chain.pem"));
	CHECK(!strcmp(c->tls.private_key, "var/tls/server.key"));
	CHECK(!strcmp(c->tls.ca_file, "var/tls/ca.pem"));
	CHECK_INT(c->tls.client_certificates, CL_TLS_CLIENT_AUTH_NONE);
	CHECK_INT(c->media.port_min, 30000);
	CHECK_INT(c->media.port_max, 39999);
	CHECK_INT(c->media.workers, 2);
	CHECK(!strcmp(c->store_path, "var/cipherline.db"));
	CHECK_INT(c->nconnections, 3);
	a = &c->connections[0];
	CHECK(!strcmp(a->name, "alice") && a->type == CL_CONFIG_CONN_CREDENTIALS);
	CHECK(!strcmp(a->username, "alice") && !strcmp(a->password, "alice-secret") && !a->ha1);
	CHECK(a->inbound.has_transport && a->inbound.transport == CL_SIP_TP_TLS);
	CHECK_INT(a->inbound.media_encryption, CL_CONFIG_MEDIA_SRTP);
	CHECK_INT(a->inbound.nsuites, 2);
	CHECK_INT(a->inbound.suites[0], CL_SRTP_AES_CM_128_HMAC_SHA1_80);
	CHECK_INT(a->inbound.suites[1], CL_SRTP_AEAD_AES_128_GCM);
	CHECK(a->inbound.sdes_requires_tls && a->outbound.sdes_requires_tls);
	CHECK(!a->outbound.has_transport && a->outbound.nsuites == 0);
	p = &c->connections[1];
	CHECK(!strcmp(p->name, "pbx") && p->type == CL_CONFIG_CONN_IP && p->naddresses == 1);
	CHECK_INT(cl_sa_port(&p->addresses[0].addr), 5080);
	CHECK_INT(p->addresses[0].prefix, 32);
	CHECK_INT(p->inbound.media_encryption, CL_CONFIG_MEDIA_NONE);
	f = &c->connections[2];
	CHECK(!strcmp(f->name, "carrier") && f->type == CL_CONFIG_CONN_FQDN);
	CHECK(!strcmp(f->host, "carrier.example") && f->port == 5061);
	CHECK_INT(c->nnumbers, 2);
	CHECK(!strcmp(c->numbers[0].digits, "+15550001") && !c->numbers[0].prefix);
	CHECK_INT(c->numbers[0].conn, 0);
	CHECK(!strcmp(c->numbers[1].digits, "+1") && c->numbers[1].prefix);
	CHECK_INT(c->numbers[1].conn, 1);
	cl_config_free(c);
}

TEST(config_defaults)
{
	struct cl_config_errs e;
	struct cl_config *c = NULL;
	const char *text = "domain: sip.test\nlisten:\n  - { transport: tls, address: \"::1\" }\n"
			   "tls: { certificate: c.pem, private_key: k.pem }\n"
			   "connections:\n  - { name: p, type: ip, addresses: [10.0.0.0/8] }\n";

	CHECK_INT(load(text, &c, &e), 0);
	CHECK_INT(cl_sa_port(&c->listen[0].addr), 5061);
	CHECK_INT(cl_sa_family(&c->listen[0].addr), AF_INET6);
	CHECK(c->tls.ca_file == NULL);
	CHECK_INT(c->media.port_min, 30000);
	CHECK_INT(c->media.workers, 0);
	CHECK(!strcmp(c->store_path, "var/cipherline.db"));
	CHECK_INT(c->connections[0].inbound.media_encryption, CL_CONFIG_MEDIA_SRTP);
	CHECK(c->connections[0].inbound.sdes_requires_tls);
	CHECK_INT(c->connections[0].addresses[0].prefix, 8);
	CHECK_INT(c->nnumbers, 0);
	cl_config_free(c);
}

TEST(config_settings_values)
{
	struct cl_config_errs e;
	struct cl_config *c = NULL;
	const char *text = BASE "connections:\n  - name: x\n    type: credentials\n"
			   "    username: x\n    ha1: 0123456789abcdef0123456789ABCDEF\n"
			   "    outbound: { transport: tcp, media_encryption: optional, sdes_lifetime: 2^31,"
			   " sdes_mki: 4, sdes_requires_tls: false, srtp_suites: [AES_CM_128_HMAC_SHA1_32] }\n"
			   "    inbound: { media_encryption: zrtp, sdes_lifetime: 1000 }\n";
	const struct cl_config_settings *o;

	CHECK_INT(load(text, &c, &e), 0);
	CHECK(c->connections[0].password == NULL && c->connections[0].ha1 != NULL);
	o = &c->connections[0].outbound;
	CHECK(o->has_transport && o->transport == CL_SIP_TP_TCP);
	CHECK_INT(o->media_encryption, CL_CONFIG_MEDIA_OPTIONAL);
	CHECK(o->sdes_lifetime == (UINT64_C(1) << 31));
	CHECK_INT(o->sdes_mki, 4);
	CHECK(!o->sdes_requires_tls);
	CHECK_INT(o->suites[0], CL_SRTP_AES_CM_128_HMAC_SHA1_32);
	CHECK_INT(c->connections[0].inbound.media_encryption, CL_CONFIG_MEDIA_ZRTP);
	CHECK_INT(c->connections[0].inbound.sdes_lifetime, 1000);
	cl_config_free(c);
}

TEST(config_addresses_cidr)
{
	static const struct {
		const char *addr;
		int fam;
		unsigned port, prefix;
	} ok[] = {
		{ "192.0.2.7", AF_INET, 0, 32 },        { "192.0.2.7:5080", AF_INET, 5080, 32 },
		{ "192.0.2.0/24", AF_INET, 0, 24 },     { "0.0.0.0/0", AF_INET, 0, 0 },
		{ "2001:db8::1", AF_INET6, 0, 128 },    { "[2001:db8::1]:5060", AF_INET6, 5060, 128 },
		{ "2001:db8::/32", AF_INET6, 0, 32 },   { "[::1]", AF_INET6, 0, 128 },
	};
	static const char *const bad[] = { "192.0.2.1/24", "192.0.2.0/33", "192.0.2.0/", "1.2.3",
					   "192.0.2.1:0", "192.0.2.1:70000", "host.example",
					   "2001:db8::1/129", "192.0.2.0/2x", "[::1]:" };
	char text[512];

	for (size_t i = 0; i < CL_ARRAY_SIZE(ok); i++) {
		struct cl_config_errs e;
		struct cl_config *c = NULL;

		snprintf(text, sizeof(text), BASE "connections:\n  - { name: p, type: ip, addresses: [\"%s\"] }\n",
			 ok[i].addr);
		if (load(text, &c, &e)) {
			dump(&e);
			CHECK(!ok[i].addr);
		}
		CHECK_INT(cl_sa_family(&c->connections[0].addresses[0].addr), ok[i].fam);
		CHECK_INT(cl_sa_port(&c->connections[0].addresses[0].addr), ok[i].port);
		CHECK_INT(c->connections[0].addresses[0].prefix, ok[i].prefix);
		cl_config_free(c);
	}
	for (size_t i = 0; i < CL_ARRAY_SIZE(bad); i++) {
		struct cl_config_errs e;
		struct cl_config *c = NULL;

		snprintf(text, sizeof(text), BASE "connections:\n  - { name: p, type: ip, addresses: [\"%s\"] }\n",
			 bad[i]);
		if (load(text, &c, &e) != EBADMSG || e.total != 1) {
			dump(&e);
			CHECK(!bad[i]);
		}
		CHECK(strstr(e.msg[0], "t.yaml:5: connections[0].addresses[0]: '") == e.msg[0]);
	}
}

/* Every error class: the file and the exact message it must produce. */
static const struct {
	const char *text, *want;
} g_bad[] = {
	/* unknown keys, at each level */
	{ BASE "bogus: 1\n", "t.yaml:4: bogus: unknown key" },
	{ BASE "tls: { certificate: a, private_key: b, cafile: c }\n", "t.yaml:4: tls.cafile: unknown key" },
	{ BASE "connections:\n  - { name: a, type: ip, addresses: [1.2.3.4], inbound: { srtp: x } }\n",
	  "t.yaml:5: connections[0].inbound.srtp: unknown key" },
	/* missing required keys */
	{ "listen:\n  - { transport: udp, address: 127.0.0.1 }\n", "t.yaml:1: domain: required key is missing" },
	{ "domain: sip.test\n", "t.yaml:1: listen: required key is missing" },
	{ "domain: sip.test\nlisten:\n  - { transport: udp }\n",
	  "t.yaml:3: listen[0].address: required key is missing" },
	{ BASE "tls: { certificate: a }\n", "t.yaml:4: tls.private_key: required key is missing" },
	{ BASE "connections:\n  - { type: ip, addresses: [1.2.3.4] }\n",
	  "t.yaml:5: connections[0].name: required key is missing" },
	{ BASE "numbers:\n  - { number: \"1\" }\n", "t.yaml:5: numbers[0].connection: required key is missing" },
	{ BASE "store: {}\n", "t.yaml:4: store.path: required key is missing" },
	{ "domain: sip.test\nlisten:\n  - { transport: tls, address: 127.0.0.1 }\n",
	  "t.yaml:3: listen[0].transport: tls needs the tls section" },
	/* wrong values and types */
	{ "domain: sip.test\nlisten:\n  - { transport: tcx, address: 127.0.0.1 }\n",
	  "t.yaml:3: listen[0].transport: 'tcx' is not udp, tcp or tls" },
	{ "domain: sip.test\nlisten:\n  - { transport: udp, address: 127.0.0.1, port: 0 }\n",
	  "t.yaml:3: listen[0].port: '0' is not a whole number in 1..65535" },
	{ "domain: sip.test\nlisten:\n  - { transport: udp, address: 127.0.0.1, port: 65536 }\n",
	  "t.yaml:3: listen[0].port: '65536' is not a whole number in 1..65535" },
	{ "domain: sip.test\nlisten:\n  - { transport: udp, address: localhost }\n",
	  "t.yaml:3: listen[0].address: 'localhost' is not an IPv4 or IPv6 address" },
	{ "domain: sip.test\nlisten: []\n", "t.yaml:2: listen: needs at least one listener" },
	{ "domain: sip.test\nlisten: udp\n", "t.yaml:2: listen: expected a list, not a single value" },
	{ "domain: [a]\nlisten:\n  - { transport: udp, address: 127.0.0.1 }\n",
	  "t.yaml:1: domain: expected a single value, not a list" },
	{ BASE "  - { transport: udp, address: 127.0.0.1 }\n", "t.yaml:4: listen[1]: the same as listen[0]" },
	{ BASE "tls: { certificate: a, private_key: b, client_certificates: maybe }\n",
	  "t.yaml:4: tls.client_certificates: 'maybe' is not none, optional or required" },
	{ BASE "media: { workers: 0 }\n", "t.yaml:4: media.workers: '0' is not a whole number in 1..64" },
	{ BASE "media: { workers: 65 }\n", "t.yaml:4: media.workers: '65' is not a whole number in 1..64" },
	{ BASE "media: { ports: 40000-30000 }\n",
	  "t.yaml:4: media.ports: '40000-30000': the first port must be below the last" },
	{ BASE "media: { ports: 30000-30000 }\n",
	  "t.yaml:4: media.ports: '30000-30000': the first port must be below the last" },
	{ BASE "media: { ports: 30000 }\n", "t.yaml:4: media.ports: '30000' is not a range A-B of ports 1..65535" },
	{ BASE "media: { ports: 0-10 }\n", "t.yaml:4: media.ports: '0-10' is not a range A-B of ports 1..65535" },
	{ BASE "media: { address: nowhere }\n", "t.yaml:4: media.address: 'nowhere' is not an IPv4 or IPv6 address" },
	{ BASE "domain: again\n", "t.yaml:4: domain: given twice" },
	{ BASE "store: { path: \"\" }\n", "t.yaml:4: store.path: is empty" },
	/* connections */
	{ BASE "connections:\n  - { name: a, type: ip, addresses: [1.2.3.4] }\n  - { name: a, type: ip, addresses: [1.2.3.5] }\n",
	  "t.yaml:6: connections[1].name: 'a' is already the name of another connection" },
	{ BASE "connections:\n  - { name: \"a b\", type: ip, addresses: [1.2.3.4] }\n",
	  "t.yaml:5: connections[0].name: 'a b' is not 1..64 of A-Z a-z 0-9 _ . -" },
	{ BASE "connections:\n  - { name: a, type: sip, addresses: [1.2.3.4] }\n",
	  "t.yaml:5: connections[0].type: 'sip' is not credentials, ip or fqdn" },
	{ BASE "connections:\n  - { name: a, type: credentials, password: p }\n",
	  "t.yaml:5: connections[0]: type credentials needs username" },
	{ BASE "connections:\n  - { name: a, type: credentials, username: a }\n",
	  "t.yaml:5: connections[0]: type credentials needs password or ha1" },
	{ BASE "connections:\n  - name: a\n    type: credentials\n    username: a\n    password: p\n    ha1: 0123456789abcdef0123456789abcdef\n",
	  "t.yaml:9: connections[0]: give password or ha1, not both" },
	{ BASE "connections:\n  - { name: a, type: credentials, username: a, ha1: 0123456789abcdef }\n",
	  "t.yaml:5: connections[0].ha1: is not 32 hex digits (an MD5 HA1)" },
	{ BASE "connections:\n  - { name: a, type: credentials, username: a, ha1: 0123456789abcdef0123456789abcdeg }\n",
	  "t.yaml:5: connections[0].ha1: is not 32 hex digits (an MD5 HA1)" },
	{ BASE "connections:\n  - { name: a, type: ip }\n", "t.yaml:5: connections[0]: type ip needs addresses" },
	{ BASE "connections:\n  - { name: a, type: ip, addresses: [] }\n",
	  "t.yaml:5: connections[0].addresses: needs at least one address" },
	{ BASE "connections:\n  - { name: a, type: fqdn }\n", "t.yaml:5: connections[0]: type fqdn needs host" },
	{ BASE "connections:\n  - { name: a, type: fqdn, host: \"a b\" }\n",
	  "t.yaml:5: connections[0].host: is not a host name" },
	{ BASE "connections:\n  - name: a\n    type: ip\n    addresses: [1.2.3.4]\n    username: u\n",
	  "t.yaml:8: connections[0].username: not taken by a connection of type ip" },
	{ BASE "connections:\n  - name: a\n    type: credentials\n    username: u\n    password: p\n    host: h\n",
	  "t.yaml:9: connections[0].host: not taken by a connection of type credentials" },
	{ BASE "connections:\n  - name: a\n    type: ip\n    addresses: [1.2.3.4]\n    inbound: { transport: tcx }\n",
	  "t.yaml:8: connections[0].inbound.transport: 'tcx' is not udp, tcp or tls" },
	{ BASE "connections:\n  - name: a\n    type: ip\n    addresses: [1.2.3.4]\n    outbound: { media_encryption: dtls }\n",
	  "t.yaml:8: connections[0].outbound.media_encryption: 'dtls' is not none, srtp, zrtp or optional" },
	{ BASE "connections:\n  - name: a\n    type: ip\n    addresses: [1.2.3.4]\n    inbound: { srtp_suites: [AES_CM_128_HMAC_SHA1_80, NOPE] }\n",
	  "t.yaml:8: connections[0].inbound.srtp_suites[1]: 'NOPE' is not an SRTP suite" },
	{ BASE "connections:\n  - name: a\n    type: ip\n    addresses: [1.2.3.4]\n    inbound: { srtp_suites: [AEAD_AES_128_GCM, AEAD_AES_128_GCM] }\n",
	  "t.yaml:8: connections[0].inbound.srtp_suites[1]: 'AEAD_AES_128_GCM' is listed twice" },
	{ BASE "connections:\n  - name: a\n    type: ip\n    addresses: [1.2.3.4]\n    inbound: { media_encryption: none, srtp_suites: [AEAD_AES_128_GCM] }\n",
	  "t.yaml:8: connections[0].inbound.srtp_suites: not used when media_encryption is none" },
	{ BASE "connections:\n  - name: a\n    type: ip\n    addresses: [1.2.3.4]\n    inbound: { sdes_lifetime: 2^49 }\n",
	  "t.yaml:8: connections[0].inbound.sdes_lifetime: 2^N needs N in 1..48" },
	{ BASE "connections:\n  - name: a\n    type: ip\n    addresses: [1.2.3.4]\n    inbound: { sdes_mki: 129 }\n",
	  "t.yaml:8: connections[0].inbound.sdes_mki: '129' is not a whole number in 0..128" },
	{ BASE "connections:\n  - name: a\n    type: ip\n    addresses: [1.2.3.4]\n    inbound: { sdes_requires_tls: yes }\n",
	  "t.yaml:8: connections[0].inbound.sdes_requires_tls: 'yes' is not true or false" },
	/* numbers */
	{ BASE "numbers:\n  - { number: \"+1555\", connection: ghost }\n",
	  "t.yaml:5: numbers[0].connection: no connection is called 'ghost'" },
	{ BASE "numbers:\n  - { number: \"+1\", prefix: \"+1\", connection: a }\n",
	  "t.yaml:5: numbers[0]: give number or prefix, not both" },
	{ BASE "numbers:\n  - { connection: a }\n", "t.yaml:5: numbers[0]: needs number or prefix" },
	{ BASE "numbers:\n  - { number: \"+1-555\", connection: a }\n",
	  "t.yaml:5: numbers[0].number: '+1-555' is not '+' and up to 32 digits, '*' or '#'" },
	/* YAML and bounds */
	{ "", "t.yaml:1: the file is empty" },
	{ "domain: [\n", "t.yaml:2: YAML: did not find expected node content while parsing a flow node" },
	{ "a: &x 1\nb: *x\n", "t.yaml:1: anchors and aliases are not supported" },
	{ "--- 1\n--- 2\n", "t.yaml:2: only one YAML document is allowed" },
	{ "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]", "t.yaml:1: nested too deeply" },
	{ "- 1\n", "t.yaml:1: expected a mapping of keys, not a list" },
};

TEST(config_errors_table)
{
	for (size_t i = 0; i < CL_ARRAY_SIZE(g_bad); i++) {
		struct cl_config_errs e;
		struct cl_config *c = (struct cl_config *)&e;

		if (load(g_bad[i].text, &c, &e) != EBADMSG || !has_msg(&e, g_bad[i].want)) {
			fprintf(stderr, "  case %zu: want: %s\n", i, g_bad[i].want);
			dump(&e);
			CHECK(!"config error case");
		}
		CHECK(c == NULL);
	}
}

/* All errors are reported, not only the first; past the cap they are counted. */
TEST(config_every_error_and_cap)
{
	struct cl_config_errs e;
	struct cl_config *c = NULL;
	char text[4096];
	size_t off = (size_t)snprintf(text, sizeof(text), BASE);

	for (int i = 0; i < 40; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off, "bogus%d: 1\n", i);
	CHECK_INT(load(text, &c, &e), EBADMSG);
	CHECK_INT(e.n, CL_CONFIG_ERRS_MAX);
	CHECK_INT(e.total, 40);
	CHECK(!strcmp(e.msg[0], "t.yaml:4: bogus0: unknown key"));
	CHECK(!strcmp(e.msg[1], "t.yaml:5: bogus1: unknown key"));
}

TEST(config_bounds)
{
	struct cl_config_errs e;
	struct cl_config *c = NULL;
	size_t big = CL_CONFIG_MAX_SIZE + 1;
	char *text = malloc(big);

	CHECK(text != NULL);
	memset(text, '#', big);
	CHECK_INT(cl_config_load_mem(&c, text, big, "big.yaml", &e), EFBIG);
	free(text);
	CHECK(!strcmp(e.msg[0], "big.yaml: larger than 1048576 bytes"));
	CHECK_INT(cl_config_load_mem(&c, "a: \"\\0\"", 7, "n.yaml", &e), EBADMSG);
	CHECK_INT(cl_config_load_file(&c, "tests/no-such-config.yaml", &e), ENOENT);
	CHECK(strstr(e.msg[0], "tests/no-such-config.yaml: cannot open") == e.msg[0]);
	CHECK_INT(cl_config_load_mem(NULL, "", 0, "x", &e), EINVAL);
}
