/* cipherline config: the top-level sections (domain, listen, tls, media, store, numbers)
 * and the checks that span sections. Connections are in conn.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

#define FIELD_BIT(i) (UINT64_C(1) << (i))

static const char *const g_tpt_names[] = { "udp", "tcp", "tls" };

/* An error at a remembered line (1-based) rather than at a node. */
static void err_line(struct cl_config_ld *l, unsigned line, const char *path, const char *what)
{
	yaml_node_t at = { .start_mark = { .line = line ? line - 1 : 0 } };

	cl_config_err(l, &at, path, "%s", what);
}

/* ---- domain, store ---- */

static void f_domain(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config *c = obj;

	c->domain = cl_config_strdup(l, v, path);
	if (c->domain && !cl_config_is_host(c->domain))
		cl_config_err(l, v, path, "is not a domain name");
}

static void f_store_path(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config *c = obj;

	free(c->store_path);
	c->store_path = cl_config_strdup(l, v, path);
}

static const struct cl_config_field g_store[] = {
	{ "path", f_store_path, true },
};

static void f_store(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	cl_config_map(l, v, path, g_store, CL_ARRAY_SIZE(g_store), obj);
}

/* ---- listen ---- */

struct listen_ld {
	struct cl_config_listen *li;
	yaml_node_t *address;
	uint64_t port;
	bool has_transport;
};

static void f_li_transport(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct listen_ld *x = obj;
	unsigned t;

	if (!cl_config_enum(l, v, path, g_tpt_names, 3, "udp, tcp or tls", &t)) {
		x->li->transport = (enum cl_sip_tpt)t;
		x->has_transport = true;
	}
}

static void f_li_address(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct listen_ld *x = obj;
	size_t len;

	if (cl_config_scalar(l, v, path, &len))
		x->address = v;
}

static void f_li_port(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct listen_ld *x = obj;

	if (cl_config_uint(l, v, path, 1, 65535, &x->port))
		x->port = 0;
}

static const struct cl_config_field g_listen[] = {
	{ "transport", f_li_transport, true },
	{ "address", f_li_address, true },
	{ "port", f_li_port, false },
};

/* Sets the address once transport and port are known: 5060, 5061 for TLS (§19.1.2). */
static void listen_addr(struct cl_config_ld *l, struct listen_ld *x, const char *path)
{
	char kp[CL_CONFIG_PATH_LEN], q[64];
	uint16_t port = (uint16_t)x->port;
	struct cl_slice s = { (const char *)x->address->data.scalar.value,
			      x->address->data.scalar.length };

	if (!port)
		port = x->li->transport == CL_SIP_TP_TLS ? 5061 : 5060;
	if (cl_sa_parse_ip(&x->li->addr, s, port)) {
		cl_config_path_key(kp, path, "address");
		cl_config_quote(q, sizeof(q), s.p, s.len);
		cl_config_err(l, x->address, kp, "'%s' is not an IPv4 or IPv6 address", q);
	}
}

static void listen_dup(struct cl_config_ld *l, size_t i, const char *path)
{
	const struct cl_config *c = l->c;
	char what[64];

	for (size_t j = 0; j < i; j++) {
		if (c->listen[j].transport == c->listen[i].transport &&
		    cl_sa_isset(&c->listen[j].addr) && cl_sa_eq(&c->listen[j].addr, &c->listen[i].addr)) {
			snprintf(what, sizeof(what), "the same as listen[%zu]", j);
			err_line(l, c->listen[i].line, path, what);
			return;
		}
	}
}

static void f_listen(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config *c = obj;
	yaml_node_item_t *items = NULL;
	size_t n = cl_config_seq(l, v, path, CL_CONFIG_MAX_LISTEN, &items);

	if (v->type == YAML_SEQUENCE_NODE && v->data.sequence.items.top == v->data.sequence.items.start)
		cl_config_err(l, v, path, "needs at least one listener");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = cl_config_node(l, items[i]);
		char ip[CL_CONFIG_PATH_LEN];
		struct listen_ld x = { .li = &c->listen[i] };
		uint64_t seen;

		if (!it)
			continue;
		cl_config_path_idx(ip, path, i);
		x.li->line = (unsigned)it->start_mark.line + 1;
		seen = cl_config_map(l, it, ip, g_listen, CL_ARRAY_SIZE(g_listen), &x);
		if (x.has_transport && x.address && (seen & FIELD_BIT(1)))
			listen_addr(l, &x, ip);
		c->nlisten = i + 1;
		listen_dup(l, i, ip);
	}
}

/* ---- tls ---- */

static void f_tls_str(struct cl_config_ld *l, yaml_node_t *v, const char *path, char **dst)
{
	free(*dst);
	*dst = cl_config_strdup(l, v, path);
}

static void f_tls_cert(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	f_tls_str(l, v, path, &((struct cl_config_tls *)obj)->certificate);
}

static void f_tls_key(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	f_tls_str(l, v, path, &((struct cl_config_tls *)obj)->private_key);
}

static void f_tls_ca(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	f_tls_str(l, v, path, &((struct cl_config_tls *)obj)->ca_file);
}

static void f_tls_client(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	static const char *const names[] = { "none", "optional", "required" };
	struct cl_config_tls *t = obj;
	unsigned m;

	/* The names follow enum cl_tls_client_auth's order. */
	if (!cl_config_enum(l, v, path, names, 3, "none, optional or required", &m))
		t->client_certificates = (enum cl_tls_client_auth)m;
}

static const struct cl_config_field g_tls[] = {
	{ "certificate", f_tls_cert, true },
	{ "private_key", f_tls_key, true },
	{ "ca_file", f_tls_ca, false },
	{ "client_certificates", f_tls_client, false },
};

static void f_tls(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config *c = obj;

	c->tls.present = true;
	cl_config_map(l, v, path, g_tls, CL_ARRAY_SIZE(g_tls), &c->tls);
}

/* ---- media ---- */

static void f_media_addr(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config_media *m = obj;
	char q[64];
	size_t len;
	const char *s = cl_config_scalar(l, v, path, &len);

	if (s && cl_sa_parse_ip(&m->addr, (struct cl_slice){ s, len }, 0)) {
		cl_config_quote(q, sizeof(q), s, len);
		cl_config_err(l, v, path, "'%s' is not an IPv4 or IPv6 address", q);
	}
}

/* One port number of a range: digits only, 1..65535. */
static bool port_num(const char *s, size_t len, uint16_t *out)
{
	uint32_t v = 0;

	if (len == 0 || len > 5)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return false;
	*out = (uint16_t)v;
	return true;
}

static void f_media_ports(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config_media *m = obj;
	char q[64];
	size_t len;
	const char *s = cl_config_scalar(l, v, path, &len), *dash;
	uint16_t a, b;

	if (!s)
		return;
	dash = memchr(s, '-', len);
	cl_config_quote(q, sizeof(q), s, len);
	if (!dash || !port_num(s, (size_t)(dash - s), &a) ||
	    !port_num(dash + 1, len - (size_t)(dash - s) - 1, &b)) {
		cl_config_err(l, v, path, "'%s' is not a range A-B of ports 1..65535", q);
		return;
	}
	if (a >= b) {
		cl_config_err(l, v, path, "'%s': the first port must be below the last", q);
		return;
	}
	m->port_min = a;
	m->port_max = b;
}

static void f_media_workers(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config_media *m = obj;
	uint64_t w;

	if (!cl_config_uint(l, v, path, 1, 64, &w))
		m->workers = (unsigned)w;
}

static const struct cl_config_field g_media[] = {
	{ "address", f_media_addr, false },
	{ "ports", f_media_ports, false },
	{ "workers", f_media_workers, false },
};

static void f_media(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config *c = obj;

	cl_config_map(l, v, path, g_media, CL_ARRAY_SIZE(g_media), &c->media);
}

/* ---- numbers ---- */

/* RFC 3966 §5.1.4-style digits: an optional '+', then digits, '*' and '#'. */
static bool is_digits(const char *s, bool prefix)
{
	size_t n = strlen(s), i = s[0] == '+';

	if (n > 32 || (!prefix && n == i))
		return false;
	for (; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '*' || s[i] == '#'))
			return false;
	return true;
}

static void num_digits(struct cl_config_ld *l, yaml_node_t *v, const char *path,
		       struct cl_config_number *nb, bool prefix)
{
	char q[64];

	free(nb->digits);
	nb->digits = cl_config_strdup(l, v, path);
	nb->prefix = prefix;
	if (nb->digits && !is_digits(nb->digits, prefix)) {
		cl_config_quote(q, sizeof(q), nb->digits, strlen(nb->digits));
		cl_config_err(l, v, path, "'%s' is not '+' and up to 32 digits, '*' or '#'", q);
	}
}

static void f_num_number(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	num_digits(l, v, path, obj, false);
}

static void f_num_prefix(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	num_digits(l, v, path, obj, true);
}

static void f_num_conn(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config_number *nb = obj;

	nb->connection = cl_config_strdup(l, v, path);
}

static const struct cl_config_field g_number[] = {
	{ "number", f_num_number, false },
	{ "prefix", f_num_prefix, false },
	{ "connection", f_num_conn, true },
};

static void f_numbers(struct cl_config_ld *l, yaml_node_t *v, const char *path, void *obj)
{
	struct cl_config *c = obj;
	yaml_node_item_t *items = NULL;
	size_t n = cl_config_seq(l, v, path, CL_CONFIG_MAX_NUMBERS, &items);

	if (n && !(c->numbers = calloc(n, sizeof(*c->numbers)))) {
		l->oom = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = cl_config_node(l, items[i]);
		struct cl_config_number *nb = &c->numbers[i];
		char ip[CL_CONFIG_PATH_LEN];
		uint64_t seen;

		c->nnumbers = i + 1;
		if (!it)
			continue;
		cl_config_path_idx(ip, path, i);
		nb->line = (unsigned)it->start_mark.line + 1;
		seen = cl_config_map(l, it, ip, g_number, CL_ARRAY_SIZE(g_number), nb);
		if (it->type != YAML_MAPPING_NODE)
			continue;
		if ((seen & 3) == 3)
			cl_config_err(l, cl_config_map_key(l, it, "prefix"), ip,
				      "give number or prefix, not both");
		else if (!(seen & 3))
			cl_config_err(l, it, ip, "needs number or prefix");
	}
}

/* Each number's connection must be one of this file's (after both lists are read). */
static void numbers_resolve(struct cl_config_ld *l)
{
	struct cl_config *c = l->c;
	char path[CL_CONFIG_PATH_LEN], what[160];

	for (size_t i = 0; i < c->nnumbers; i++) {
		struct cl_config_number *nb = &c->numbers[i];
		long k;

		if (!nb->connection)
			continue;
		k = cl_config_conn_find(c, nb->connection);
		if (k >= 0) {
			nb->conn = (size_t)k;
			continue;
		}
		snprintf(path, sizeof(path), "numbers[%zu].connection", i);
		snprintf(what, sizeof(what), "no connection is called '%.64s'", nb->connection);
		err_line(l, nb->line, path, what);
	}
}

/* ---- the root ---- */

static const struct cl_config_field g_root[] = {
	{ "domain", f_domain, true },
	{ "listen", f_listen, true },
	{ "tls", f_tls, false },
	{ "media", f_media, false },
	{ "store", f_store, false },
	{ "connections", cl_config_connections, false },
	{ "numbers", f_numbers, false },
};

static void tls_needed(struct cl_config_ld *l)
{
	const struct cl_config *c = l->c;
	char path[64];

	if (c->tls.present)
		return;
	for (size_t i = 0; i < c->nlisten; i++) {
		if (c->listen[i].transport == CL_SIP_TP_TLS) {
			snprintf(path, sizeof(path), "listen[%zu].transport", i);
			err_line(l, c->listen[i].line, path, "tls needs the tls section");
			return;
		}
	}
}

void cl_config_root(struct cl_config_ld *l, yaml_node_t *root)
{
	struct cl_config *c = l->c;

	cl_sa_parse_ip(&c->media.addr, CL_SLICE_LIT("127.0.0.1"), 0);
	c->media.port_min = 30000;
	c->media.port_max = 39999;
	cl_config_map(l, root, "", g_root, CL_ARRAY_SIZE(g_root), c);
	if (!c->store_path && !(c->store_path = strdup("var/cipherline.db")))
		l->oom = true;
	tls_needed(l);
	numbers_resolve(l);
}

void cl_config_free(struct cl_config *c)
{
	if (!c)
		return;
	cl_config_free_connections(c);
	for (size_t i = 0; i < c->nnumbers; i++) {
		free(c->numbers[i].digits);
		free(c->numbers[i].connection);
	}
	free(c->numbers);
	free(c->tls.certificate);
	free(c->tls.private_key);
	free(c->tls.ca_file);
	free(c->store_path);
	free(c->domain);
	free(c->name);
	free(c);
}

long cl_config_conn_find(const struct cl_config *c, const char *name)
{
	for (size_t i = 0; i < c->nconnections; i++)
		if (c->connections[i].name && strcmp(c->connections[i].name, name) == 0)
			return (long)i;
	return -1;
}
