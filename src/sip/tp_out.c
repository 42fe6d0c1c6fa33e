/* SIP transports, outgoing side (RFC 3261 §18.1.1, RFC 5923): finding or opening the flow
 * to a destination, the non-blocking connect and TLS handshake under one timeout, and
 * RFC 5923 connection reuse.
 *
 * Reuse rules. UDP: one flow per (listener, destination). TCP: any stream flow whose peer
 * is the destination, ours or the peer's. TLS: only a flow whose peer proved the name we
 * would verify: an outgoing flow verified for that name (RFC 5922 §7), an incoming one
 * whose certificate verified and is an identity for it, or an RFC 5923 alias.
 *
 * Aliases (RFC 5923 §5, §9). The first request with ;alias in its top Via on an incoming
 * TLS flow is looked at once. When the peer's certificate verified and is an RFC 5922
 * identity for the Via sent-by host, the flow is recorded under (the peer's address, the
 * sent-by port or 5061) with that host as its name, and a TLS connect to that address
 * and port for that name reuses it. Never for TCP, never without such a certificate;
 * the sent-by port replaces the peer's ephemeral source port, the address stays the one
 * the connection came from. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tp.h"

#define MOD "sip"
#define SIPS_PORT 5061 /* RFC 3261 §19.1.2: the default port for TLS */

void cl_sip_tp_set_tls_client(struct cl_sip_tp *tp, struct cl_tls_client *cli)
{
	tp->tls_client = cli;
}

static bool name_eq(const char *a, const char *b)
{
	return cl_tls_sip_domain_eq((struct cl_slice){ a, strlen(a) },
				    (struct cl_slice){ b, strlen(b) });
}

/* Whether stream flow f may carry messages meant for name (see the reuse rules). */
static bool flow_proves(const struct tp_flow *f, const char *name)
{
	if (f->kind != CL_SIP_TP_TLS)
		return true;
	if (f->outgoing || f->name)
		return name ? f->name && name_eq(f->name, name) : !f->name;
	return name && f->handshaken && cl_tls_stream_peer_is(f->tls, name);
}

static struct tp_flow *find_stream(struct cl_sip_tp *tp, enum cl_sip_tpt kind,
				   const struct cl_sa *dst, const char *name)
{
	size_t b = tp_bucket(tp, dst, tp_tag(tp, kind, NULL));

	for (size_t i = tp->hash[b]; i; i = tp->flows[i - 1]->hnext) {
		struct tp_flow *f = tp->flows[i - 1];

		if (f->kind == kind && cl_sa_eq(&f->peer, dst) && flow_proves(f, name))
			return f;
	}
	if (kind != CL_SIP_TP_TLS || !name)
		return NULL;
	b = tp_bucket(tp, dst, 0);
	for (size_t i = tp->ahash[b]; i; i = tp->flows[i - 1]->anext) {
		struct tp_flow *f = tp->flows[i - 1];

		if (cl_sa_eq(&f->alias_sa, dst) && name_eq(f->name, name))
			return f;
	}
	return NULL;
}

static int connect_udp(struct cl_sip_tp *tp, const struct cl_sa *dst, uint64_t *flow)
{
	for (size_t i = 0; i < tp->nlst; i++) {
		struct tp_listener *l = &tp->lst[i];
		struct tp_flow *f;

		if (l->kind != CL_SIP_TP_UDP || cl_sa_family(&l->addr) != cl_sa_family(dst))
			continue;
		f = tp_udp_flow(tp, l, dst);
		if (!f)
			return tp_flow_err(tp);
		tp_flow_touch(tp, f);
		*flow = f->id;
		return 0;
	}
	return EADDRNOTAVAIL;
}

/* The connect timer: an immediate failure kept in f->err, or the timeout. */
static void connect_expired(void *arg)
{
	struct tp_flow *f = arg;
	struct cl_sip_tp *tp = f->tp;
	char peer[CL_SA_STRLEN] = "?";
	int err = f->err ? f->err : ETIMEDOUT;

	cl_sa_format(&f->peer, peer, sizeof(peer));
	cl_info(MOD, "%s connection to %s failed: %s", cl_sip_tpt_name(f->kind), peer,
		err == ETIMEDOUT ? "timed out" : strerror(err));
	tp->stats.connect_failures++;
	tp_flow_close(tp, f, err);
}

/* Starts the socket (and the TLS client) of a new outgoing flow. An immediate connect
 * error is kept for the timer; other errors are returned. */
static int out_start(struct cl_sip_tp *tp, struct tp_flow *f, const char *name)
{
	int err = cl_net_tcp_connect_nb(&f->fd, &f->peer, NULL);

	if (err) {
		f->fd = -1;
		f->err = err;
		return 0;
	}
	if (f->kind == CL_SIP_TP_TLS) {
		err = cl_tls_stream_connect(&f->tls, tp->tls_client, f->fd, name);
		if (err)
			return err;
	}
	/* Connect completion shows as writability (RFC 793 handshake done, or an error). */
	return cl_loop_fd_add(tp->loop, f->fd, CL_LOOP_WRITE, tp_stream_event, f);
}

static int connect_stream(struct cl_sip_tp *tp, enum cl_sip_tpt kind, const struct cl_sa *dst,
			  const char *name, uint64_t *flow)
{
	struct tp_flow *f = find_stream(tp, kind, dst, name);
	int err;

	if (f) {
		*flow = f->id;
		return 0;
	}
	if (kind == CL_SIP_TP_TLS && !tp->tls_client)
		return EINVAL; /* reuse works without one; a new connection does not */
	f = tp_flow_new(tp, kind, NULL, -1, dst);
	if (!f)
		return tp_flow_err(tp);
	f->outgoing = true;
	f->connecting = true;
	if (name && !(f->name = strdup(name)))
		err = ENOMEM;
	else
		err = out_start(tp, f, name);
	if (!err)
		err = cl_timer_start(tp->loop, &f->idle, f->err ? 0 : tp->cfg.connect_ms,
				     connect_expired, f);
	if (err) {
		tp_flow_free(tp, f); /* the TU never saw it */
		return err;
	}
	tp->stats.out_flows++;
	*flow = f->id;
	return 0;
}

int cl_sip_tp_connect(struct cl_sip_tp *tp, enum cl_sip_tpt kind, const struct cl_sa *dst,
		      const char *tls_name, uint64_t *flow)
{
	if (!tp || !dst || !flow || !cl_sa_isset(dst))
		return EINVAL;
	switch (kind) {
	case CL_SIP_TP_UDP:
		return connect_udp(tp, dst, flow);
	case CL_SIP_TP_TLS:
		if (tls_name && (!*tls_name || strlen(tls_name) >= TP_NAME_MAX))
			return EINVAL;
		return connect_stream(tp, kind, dst, tls_name, flow);
	case CL_SIP_TP_TCP:
		return connect_stream(tp, kind, dst, NULL, flow);
	}
	return EINVAL;
}

int tp_out_connected(struct cl_sip_tp *tp, struct tp_flow *f)
{
	int err = cl_net_tcp_connect_result(f->fd);

	if (err == EINPROGRESS)
		return err;
	if (err) {
		char peer[CL_SA_STRLEN] = "?";

		cl_sa_format(&f->peer, peer, sizeof(peer));
		cl_info(MOD, "%s connection to %s failed: %s", cl_sip_tpt_name(f->kind), peer,
			strerror(err));
		tp->stats.connect_failures++;
		return err;
	}
	f->connecting = false;
	cl_net_set_nodelay(f->fd);
	if (!f->tls)
		tp_flow_touch(tp, f); /* the connect timer becomes the idle timer */
	return 0;
}

/* The Via sent-by host without IPv6 brackets, as a string. False when it does not fit. */
static bool via_host(const struct cl_sip_via *v, char *out, size_t cap)
{
	struct cl_slice h = v->host;

	if (h.len >= 2 && h.p[0] == '[') {
		h.p++;
		h.len -= 2;
	}
	if (!h.len || h.len >= cap)
		return false;
	memcpy(out, h.p, h.len);
	out[h.len] = '\0';
	return true;
}

void tp_out_alias(struct cl_sip_tp *tp, struct tp_flow *f, const struct cl_sip_via *v)
{
	char host[TP_NAME_MAX], peer[CL_SA_STRLEN] = "?";

	f->alias_checked = true;
	if (f->outgoing)
		return; /* already reusable for the name it was verified for */
	cl_sa_format(&f->peer, peer, sizeof(peer));
	if (!via_host(v, host, sizeof(host)) || !f->handshaken ||
	    !cl_tls_stream_peer_is(f->tls, host)) {
		cl_info(MOD, "TLS flow from %s: Via alias ignored: the peer's certificate does "
			     "not authenticate the sent-by host", peer);
		return;
	}
	f->name = strdup(host);
	if (!f->name)
		return;
	f->alias_sa = f->peer;
	cl_sa_set_port(&f->alias_sa, v->port ? v->port : SIPS_PORT);
	f->alias = true;
	tp_chain_add(tp, f, true, tp_bucket(tp, &f->alias_sa, 0));
	tp->stats.aliases++;
	cl_debug(MOD, "TLS flow from %s: alias %s port %u (RFC 5923)", peer, host,
		 (unsigned)cl_sa_port(&f->alias_sa));
}
