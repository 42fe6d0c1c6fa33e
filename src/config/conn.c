/* cipherline config: connections (credentials, ip, fqdn) with their addresses and their
 * inbound and outbound settings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

#define BIT(i) (UINT64_C(1) << (i))

/* ---- inbound / outbound settings ---- */

static void f_set_transport(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	static const char *const names[] = { "udp", "tcp", "tls" };
	struct cl_config_settings *s = obj;
	unsigned t;

	if (!cl_config_enum(l, v, path, names, 3, "udp, tcp or tls", &t)) {
		s->transport = (enum cl_sip_tpt)t;
		s->has_transport = true;
	}
}

static void f_set_media(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	static const char *const names[] = { "none", "srtp", "zrtp", "optional" };
	struct cl_config_settings *s = obj;
	unsigned m;

	if (!cl_config_enum(l, v, path, names, 4, "none, srtp, zrtp or optional", &m))
		s->media_encryption = (enum cl_config_media_enc)m;
}

static void suite_add(struct cl_config_ld *l, yaml_node_t *v, const char *path,
		      struct cl_config_settings *s)
{
	const struct cl_srtp_suite *su;
	char q[64];
	size_t len;
	const char *name = cl_config_scalar(l, v, path, &len);

	if (!name)
		return;
	cl_config_quote(q, sizeof(q), name, len);
	su = cl_srtp_suite_find(name, len);
	if (!su) {
		cl_config_err(l, v, path, "'%s' is not an SRTP suite", q);
		return;
	}
	for (size_t i = 0; i < s->nsuites; i++) {
		if (s->suites[i] == su->id) {
			cl_config_err(l, v, path, "'%s' is listed twice", q);
			return;
		}
	}
	if (s->nsuites < CL_CONFIG_MAX_SUITES)
		s->suites[s->nsuites++] = su->id;
}

static void f_set_suites(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	yaml_node_item_t *items = NULL;
	size_t n = cl_config_seq(l, v, path, CL_CONFIG_MAX_SUITES, &items);
	char ip[CL_CONFIG_PATH_LEN];

	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = cl_config_node(l, items[i]);

		cl_config_path_idx(ip, path, i);
		if (it)
			suite_add(l, it, ip, obj);
	}
}

/* RFC 4568 §6.1 lifetime: decimal, or 2^N; at most 2^48 (RFC 3711 §9.2). */
static void f_set_lifetime(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config_settings *s = obj;
	size_t len;
	const char *t = cl_config_scalar(l, v, path, &len);
	uint64_t n = 0;
	size_t i;

	if (!t)
		return;
	if (len > 2 && t[0] == '2' && t[1] == '^') {
		for (i = 2; i < len && i < 5 && t[i] >= '0' && t[i] <= '9'; i++)
			n = n * 10 + (uint64_t)(t[i] - '0');
		if (i == len && n >= 1 && n <= 48) {
			s->sdes_lifetime = UINT64_C(1) << n;
			return;
		}
		cl_config_err(l, v, path, "2^N needs N in 1..48");
		return;
	}
	if (!cl_config_uint(l, v, path, 1, UINT64_C(1) << 48, &n))
		s->sdes_lifetime = n;
}

static void f_set_mki(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config_settings *s = obj;
	uint64_t n;

	if (!cl_config_uint(l, v, path, 0, CL_SRTP_MAX_MKI_LEN, &n))
		s->sdes_mki = (uint8_t)n;
}

static void f_set_req_tls(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config_settings *s = obj;

	cl_config_bool(l, v, path, &s->sdes_requires_tls);
}

static const struct cl_config_field g_settings[] = {
	{ "transport", f_set_transport, false },
	{ "media_encryption", f_set_media, false },
	{ "srtp_suites", f_set_suites, false },
	{ "sdes_lifetime", f_set_lifetime, false },
	{ "sdes_mki", f_set_mki, false },
	{ "sdes_requires_tls", f_set_req_tls, false },
};

static void settings(struct cl_config_ld *l, yaml_node_t *v, const char *path,
		     struct cl_config_settings *s)
{
	uint64_t seen = cl_config_map(l, v, path, g_settings, CL_ARRAY_SIZE(g_settings), s);
	char kp[CL_CONFIG_PATH_LEN];

	if ((seen & BIT(2)) && s->media_encryption == CL_CONFIG_MEDIA_NONE) {
		cl_config_path_key(kp, path, "srtp_suites");
		cl_config_err(l, cl_config_map_key(l, v, "srtp_suites"), kp,
			      "not used when media_encryption is none");
	}
}

static void f_inbound(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	settings(l, v, path, &((struct cl_config_conn *)obj)->inbound);
}

static void f_outbound(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	settings(l, v, path, &((struct cl_config_conn *)obj)->outbound);
}

/* ---- addresses: "a.b.c.d", "a.b.c.d:port", "a.b.c.d/len" and the IPv6 forms ---- */

/* True when every bit of the address past prefix is zero. */
static bool host_bits_zero(const struct cl_sa *sa, unsigned prefix)
{
	const uint8_t *b = cl_sa_family(sa) == AF_INET ? (const uint8_t *)&sa->u.in.sin_addr
						      : (const uint8_t *)&sa->u.in6.sin6_addr;
	unsigned bits = cl_sa_family(sa) == AF_INET ? 32 : 128;

	for (unsigned i = prefix; i < bits; i++)
		if (b[i / 8] & (0x80u >> (i % 8)))
			return false;
	return true;
}

static int cidr_parse(struct cl_config_addr *a, struct cl_slice s, const char *slash)
{
	size_t plen = s.len - (size_t)(slash - s.p) - 1;
	unsigned prefix = 0;

	if (plen == 0 || plen > 3)
		return EBADMSG;
	for (size_t i = 0; i < plen; i++) {
		if (slash[1 + i] < '0' || slash[1 + i] > '9')
			return EBADMSG;
		prefix = prefix * 10 + (unsigned)(slash[1 + i] - '0');
	}
	if (cl_sa_parse_ip(&a->addr, (struct cl_slice){ s.p, (size_t)(slash - s.p) }, 0))
		return EBADMSG;
	if (prefix > (cl_sa_family(&a->addr) == AF_INET ? 32u : 128u))
		return EBADMSG;
	if (!host_bits_zero(&a->addr, prefix))
		return EDOM;
	a->prefix = (uint8_t)prefix;
	return 0;
}

/* Returns 0, EBADMSG (not an address form) or EDOM (a CIDR with host bits set). */
static int addr_parse(struct cl_config_addr *a, struct cl_slice s)
{
	const char *slash = memchr(s.p, '/', s.len), *colon = memchr(s.p, ':', s.len);
	int err;

	if (slash)
		return cidr_parse(a, s, slash);
	if ((s.p[0] == '[' && s.p[s.len - 1] != ']') || (s.p[0] != '[' && colon && !memchr(colon + 1, ':', s.len - (size_t)(colon - s.p) - 1))) {
		err = cl_sa_parse(&a->addr, s); /* with a port */
		if (!err && cl_sa_port(&a->addr) == 0)
			err = EBADMSG;
	} else {
		err = cl_sa_parse_ip(&a->addr, s, 0);
	}
	if (err)
		return EBADMSG;
	a->prefix = cl_sa_family(&a->addr) == AF_INET ? 32 : 128;
	return 0;
}

static void f_addresses(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config_conn *cn = obj;
	yaml_node_item_t *items = NULL;
	size_t n = cl_config_seq(l, v, path, CL_CONFIG_MAX_ADDRESSES, &items);
	char ip[CL_CONFIG_PATH_LEN], q[64];

	if (v->type == YAML_SEQUENCE_NODE && v->data.sequence.items.top == v->data.sequence.items.start)
		cl_config_err(l, v, path, "needs at least one address");
	if (n && !(cn->addresses = calloc(n, sizeof(*cn->addresses)))) {
		l->oom = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = cl_config_node(l, items[i]);
		size_t len;
		const char *s;
		int err;

		cl_config_path_idx(ip, path, i);
		if (!it || !(s = cl_config_scalar(l, it, ip, &len)))
			continue;
		cl_config_quote(q, sizeof(q), s, len);
		err = addr_parse(&cn->addresses[cn->naddresses], (struct cl_slice){ s, len });
		if (err == EDOM)
			cl_config_err(l, it, ip, "'%s' has bits set past the prefix length", q);
		else if (err)
			cl_config_err(l, it, ip, "'%s' is not an address, address:port or CIDR", q);
		else
			cn->naddresses++;
	}
}

/* ---- one connection ---- */

static bool is_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '.' || s[i] == '-'))
			return false;
	return true;
}

static void f_name(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config_conn *cn = obj;
	char q[80];

	cn->name = cl_config_strdup(l, v, path);
	if (!cn->name)
		return;
	cl_config_quote(q, sizeof(q), cn->name, strlen(cn->name));
	if (!is_name(cn->name))
		cl_config_err(l, v, path, "'%s' is not 1..64 of A-Z a-z 0-9 _ . -", q);
	else if (cl_config_conn_find(l->c, cn->name) >= 0)
		cl_config_err(l, v, path, "'%s' is already the name of another connection", q);
}

static void f_type(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	static const char *const names[] = { "credentials", "ip", "fqdn" };
	struct cl_config_conn *cn = obj;
	unsigned t;

	if (!cl_config_enum(l, v, path, names, 3, "credentials, ip or fqdn", &t))
		cn->type = (enum cl_config_conn_type)t;
}

static void f_username(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	((struct cl_config_conn *)obj)->username = cl_config_strdup(l, v, path);
}

/* The secret's value is never quoted in an error. */
static void f_password(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	((struct cl_config_conn *)obj)->password = cl_config_strdup(l, v, path);
}

static void f_ha1(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config_conn *cn = obj;
	size_t n;

	cn->ha1 = cl_config_strdup(l, v, path);
	if (!cn->ha1)
		return;
	n = strlen(cn->ha1);
	/* RFC 2617 §3.2.2.2: HA1 = MD5(username:realm:password), 32 hex digits. */
	if (n != 32 || strspn(cn->ha1, "0123456789abcdefABCDEF") != n)
		cl_config_err(l, v, path, "is not 32 hex digits (an MD5 HA1)");
}

static void f_host(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config_conn *cn = obj;

	cn->host = cl_config_strdup(l, v, path);
	if (cn->host && !cl_config_is_host(cn->host))
		cl_config_err(l, v, path, "is not a host name");
}

static void f_port(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config_conn *cn = obj;
	uint64_t p;

	if (!cl_config_uint(l, v, path, 1, 65535, &p))
		cn->port = (uint16_t)p;
}

static const struct cl_config_field g_conn[] = {
	{ "name", f_name, true },           /* 0 */
	{ "type", f_type, true },           /* 1 */
	{ "username", f_username, false },  /* 2 credentials */
	{ "password", f_password, false },  /* 3 credentials */
	{ "ha1", f_ha1, false },            /* 4 credentials */
	{ "addresses", f_addresses, false }, /* 5 ip */
	{ "host", f_host, false },          /* 6 fqdn */
	{ "port", f_port, false },          /* 7 fqdn */
	{ "inbound", f_inbound, false },
	{ "outbound", f_outbound, false },
};

#define TYPE_UNSET ((enum cl_config_conn_type)3) /* until type is read */
#define TYPE_KEYS (BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7))

static const uint64_t g_type_keys[] = {
	[CL_CONFIG_CONN_CREDENTIALS] = BIT(2) | BIT(3) | BIT(4),
	[CL_CONFIG_CONN_IP] = BIT(5),
	[CL_CONFIG_CONN_FQDN] = BIT(6) | BIT(7),
};

/* The keys a type needs, or does not take. */
static void conn_type_check(struct cl_config_ld *l, yaml_node_t *m, const char *path,
			    const struct cl_config_conn *cn, uint64_t seen)
{
	const char *tn = cl_config_conn_type_name(cn->type);
	uint64_t wrong = seen & TYPE_KEYS & ~g_type_keys[cn->type];
	char kp[CL_CONFIG_PATH_LEN];

	for (size_t i = 2; i < 8; i++) {
		if (!(wrong & BIT(i)))
			continue;
		cl_config_path_key(kp, path, g_conn[i].key);
		cl_config_err(l, cl_config_map_key(l, m, g_conn[i].key), kp,
			      "not taken by a connection of type %s", tn);
	}
	if (cn->type == CL_CONFIG_CONN_CREDENTIALS) {
		if (!(seen & BIT(2)))
			cl_config_err(l, m, path, "type credentials needs username");
		if ((seen & (BIT(3) | BIT(4))) == (BIT(3) | BIT(4)))
			cl_config_err(l, cl_config_map_key(l, m, "ha1"), path,
				      "give password or ha1, not both");
		else if (!(seen & (BIT(3) | BIT(4))))
			cl_config_err(l, m, path, "type credentials needs password or ha1");
	} else if (cn->type == CL_CONFIG_CONN_IP && !(seen & BIT(5))) {
		cl_config_err(l, m, path, "type ip needs addresses");
	} else if (cn->type == CL_CONFIG_CONN_FQDN && !(seen & BIT(6))) {
		cl_config_err(l, m, path, "type fqdn needs host");
	}
}

static void settings_init(struct cl_config_settings *s)
{
	*s = (struct cl_config_settings){ .media_encryption = CL_CONFIG_MEDIA_SRTP,
					  .sdes_requires_tls = true };
}

void cl_config_connections(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config *c = obj;
	yaml_node_item_t *items = NULL;
	size_t n = cl_config_seq(l, v, path, CL_CONFIG_MAX_CONNECTIONS, &items);

	if (n && !(c->connections = calloc(n, sizeof(*c->connections)))) {
		l->oom = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = cl_config_node(l, items[i]);
		struct cl_config_conn *cn = &c->connections[i];
		char ip[CL_CONFIG_PATH_LEN];
		uint64_t seen;

		settings_init(&cn->inbound);
		settings_init(&cn->outbound);
		cn->type = TYPE_UNSET;
		if (!it)
			continue;
		cl_config_path_idx(ip, path, i);
		cn->line = (unsigned)it->start_mark.line + 1;
		/* The name check looks at connections[0..i) only. */
		c->nconnections = i;
		seen = cl_config_map(l, it, ip, g_conn, CL_ARRAY_SIZE(g_conn), cn);
		c->nconnections = i + 1;
		if ((unsigned)cn->type < TYPE_UNSET)
			conn_type_check(l, it, ip, cn, seen);
		else
			cn->type = CL_CONFIG_CONN_CREDENTIALS;
	}
	c->nconnections = n;
}

static void secret_free(char *s)
{
	if (s) {
		cl_wipe(s, strlen(s));
		free(s);
	}
}

void cl_config_free_connections(struct cl_config *c)
{
	for (size_t i = 0; i < c->nconnections; i++) {
		struct cl_config_conn *cn = &c->connections[i];

		secret_free(cn->password);
		secret_free(cn->ha1);
		free(cn->name);
		free(cn->username);
		free(cn->addresses);
		free(cn->host);
	}
	free(c->connections);
	c->connections = NULL;
	c->nconnections = 0;
}

const char *cl_config_conn_type_name(enum cl_config_conn_type t)
{
	static const char *const names[] = { "credentials", "ip", "fqdn" };

	return (unsigned)t < CL_ARRAY_SIZE(names) ? names[t] : "?";
}

const char *cl_config_media_enc_name(enum cl_config_media_enc m)
{
	static const char *const names[] = { "none", "srtp", "zrtp", "optional" };

	return (unsigned)m < CL_ARRAY_SIZE(names) ? names[m] : "?";
}
