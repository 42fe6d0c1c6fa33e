/* SIP transports: listeners, the flow table, stream I/O over TCP and TLS, and the
 * dispatch of received messages (RFC 3261 §18). UDP datagrams are in tp_udp.c,
 * outgoing connections and RFC 5923 aliases in tp_out.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tp.h"

#define MOD "sip"

const char *cl_sip_tpt_name(enum cl_sip_tpt kind)
{
	return kind == CL_SIP_TP_UDP ? "UDP" : kind == CL_SIP_TP_TCP ? "TCP" : "TLS";
}

void cl_sip_tp_cfg_init(struct cl_sip_tp_cfg *cfg)
{
	cfg->max_flows = 4096;
	cfg->udp_idle_ms = 60000;
	cfg->stream_idle_ms = 300000;
	cfg->max_msg = CL_SIP_DEFAULT_MAX_SIZE;
	cfg->connect_ms = TP_CONNECT_MS;
	cfg->handshake_ms = 10000;
	cfg->max_handshakes = 256;
}

/* ---- the flow table ---- */

static struct tp_flow *flow_get(const struct cl_sip_tp *tp, uint64_t id)
{
	size_t slot = (size_t)(id & 0xffffffffu);

	if (slot >= tp->cfg.max_flows || !tp->flows[slot] || tp->flows[slot]->id != id)
		return NULL;
	return tp->flows[slot];
}

static void idle_fired(void *arg);

size_t tp_bucket(const struct cl_sip_tp *tp, const struct cl_sa *sa, size_t tag)
{
	return (cl_sa_hash(sa) ^ tag) % tp->nhash;
}

size_t tp_tag(const struct cl_sip_tp *tp, enum cl_sip_tpt kind, const struct tp_listener *l)
{
	return kind == CL_SIP_TP_UDP ? (size_t)(l - tp->lst) : CL_SIP_TP_MAX_LISTENERS + kind;
}

static size_t *chain_next(struct tp_flow *f, bool alias)
{
	return alias ? &f->anext : &f->hnext;
}

void tp_chain_add(struct cl_sip_tp *tp, struct tp_flow *f, bool alias, size_t b)
{
	size_t *tab = alias ? tp->ahash : tp->hash;

	*chain_next(f, alias) = tab[b];
	tab[b] = f->slot + 1;
}

static void chain_del(struct cl_sip_tp *tp, struct tp_flow *f, bool alias, size_t b)
{
	size_t *tab = alias ? tp->ahash : tp->hash;

	for (size_t *p = &tab[b]; *p; p = chain_next(tp->flows[*p - 1], alias)) {
		if (*p - 1 == f->slot) {
			*p = *chain_next(f, alias);
			return;
		}
	}
}

int tp_flow_err(const struct cl_sip_tp *tp)
{
	return tp->nflows >= tp->cfg.max_flows ? ENOSPC : ENOMEM;
}

struct tp_flow *tp_flow_new(struct cl_sip_tp *tp, enum cl_sip_tpt kind, struct tp_listener *l,
			    int fd, const struct cl_sa *peer)
{
	struct tp_flow *f;
	size_t slot;

	if (tp->nflows >= tp->cfg.max_flows) {
		tp->stats.refused_flows++;
		return NULL;
	}
	for (slot = 0; tp->flows[slot]; slot++)
		;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->id = ((uint64_t)++tp->gen[slot] << 32) | slot;
	f->tp = tp;
	f->kind = kind;
	f->lst = l;
	f->fd = fd;
	f->peer = *peer;
	f->slot = slot;
	cl_timer_init(&f->idle);
	tp->flows[slot] = f;
	tp->nflows++;
	tp_chain_add(tp, f, false, tp_bucket(tp, peer, tp_tag(tp, kind, l)));
	tp_flow_touch(tp, f);
	return f;
}

void tp_flow_touch(struct cl_sip_tp *tp, struct tp_flow *f)
{
	uint32_t ms = f->kind == CL_SIP_TP_UDP ? tp->cfg.udp_idle_ms : tp->cfg.stream_idle_ms;

	/* A slow or silent TLS client gets handshake_ms in all, never refreshed (issue 4 §2). */
	if (f->hs_counted)
		ms = tp->cfg.handshake_ms;
	cl_timer_start(tp->loop, &f->idle, ms, idle_fired, f);
}

void tp_flow_free(struct cl_sip_tp *tp, struct tp_flow *f)
{
	tp_handshake_done(tp, f);
	cl_timer_cancel(&f->idle);
	chain_del(tp, f, false, tp_bucket(tp, &f->peer, tp_tag(tp, f->kind, f->lst)));
	if (f->alias)
		chain_del(tp, f, true, tp_bucket(tp, &f->alias_sa, 0));
	if (f->fd >= 0) {
		cl_loop_fd_remove(tp->loop, f->fd);
		cl_tls_stream_free(f->tls);
		close(f->fd);
	}
	tp->flows[f->slot] = NULL;
	tp->nflows--;
	free(f->name);
	free(f->rx);
	free(f->tx);
	free(f);
}

void tp_flow_close(struct cl_sip_tp *tp, struct tp_flow *f, int err)
{
	uint64_t id = f->id;

	tp_flow_free(tp, f);
	if (tp->closeh)
		tp->closeh(tp->arg, id, err);
}

static void idle_fired(void *arg)
{
	struct tp_flow *f = arg;

	if (f->hs_counted) {
		f->tp->stats.handshake_timeouts++;
		cl_info(MOD, "TLS handshake from %s: no completion within %u ms, closed",
			cl_tls_stream_peer(f->tls), f->tp->cfg.handshake_ms);
		tp_flow_close(f->tp, f, ETIMEDOUT);
		return;
	}
	tp_flow_close(f->tp, f, 0);
}

/* The flow's incoming handshake is over (done, failed or the flow is going). */
void tp_handshake_done(struct cl_sip_tp *tp, struct tp_flow *f)
{
	if (f->hs_counted) {
		f->hs_counted = false;
		tp->handshaking--;
	}
}

struct tp_flow *tp_udp_flow(struct cl_sip_tp *tp, struct tp_listener *l, const struct cl_sa *peer)
{
	size_t b = tp_bucket(tp, peer, tp_tag(tp, CL_SIP_TP_UDP, l));

	for (size_t i = tp->hash[b]; i; i = tp->flows[i - 1]->hnext) {
		struct tp_flow *f = tp->flows[i - 1];

		if (f->kind == CL_SIP_TP_UDP && f->lst == l && cl_sa_eq(&f->peer, peer))
			return f;
	}
	return tp_flow_new(tp, CL_SIP_TP_UDP, l, -1, peer);
}

/* ---- dispatch ---- */

/* Appends printf output to tp->out at *off; false when it does not fit. */
static bool out_add(struct cl_sip_tp *tp, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool out_add(struct cl_sip_tp *tp, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tp->out + *off, sizeof(tp->out) - *off, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tp->out) - *off)
		return false;
	*off += (size_t)n;
	return true;
}

/* When a header the builder needs is itself broken (a bad CSeq, say), the response copies
 * the request's Via, From, To, Call-ID and CSeq lines as received (RFC 3261 §8.2.6), with a
 * To tag added. Returns the length, or 0 when there is no Via to answer to. */
static size_t raw_error(struct cl_sip_tp *tp, const struct cl_sip_msg *m, unsigned status,
			const char *reason)
{
	size_t off = 0, vias = 0;
	char tag[CL_SIP_TAG_LEN + 1];

	if (!out_add(tp, &off, "SIP/2.0 %u %s\r\n", status, reason) ||
	    cl_sip_tag_new(tag, sizeof(tag)))
		return 0;
	for (size_t i = 0; i < m->nhdr; i++) {
		const struct cl_sip_field *h = &m->hdr[i];
		bool to = h->id == CL_SIP_HDR_TO;
		bool tagged = to && memmem(h->value.p, h->value.len, "tag=", 4);

		if (h->id != CL_SIP_HDR_VIA && h->id != CL_SIP_HDR_FROM && !to &&
		    h->id != CL_SIP_HDR_CALL_ID && h->id != CL_SIP_HDR_CSEQ)
			continue;
		vias += h->id == CL_SIP_HDR_VIA;
		if (!out_add(tp, &off, "%.*s: %.*s%s%s\r\n", (int)h->name.len, h->name.p,
			     (int)h->value.len, h->value.p, to && !tagged ? ";tag=" : "",
			     to && !tagged ? tag : ""))
			return 0;
	}
	if (!vias || !out_add(tp, &off, "Warning: 399 cipherline \"%s\"\r\nContent-Length: 0\r\n\r\n",
			      reason))
		return 0;
	return off;
}

/* Answers a request we could not parse, when it carries enough to be answered; otherwise
 * it is dropped (RFC 3261 §8.2: no Via, no reply). */
static void answer_bad(struct cl_sip_tp *tp, struct tp_flow *f, const struct cl_sip_msg *m,
		       const struct cl_sip_error *e)
{
	char warn[200];
	struct cl_sip_build_opts o = { 0 };
	size_t len;
	int n = snprintf(warn, sizeof(warn), "Warning: 399 cipherline \"%s\"\r\n", e->reason);

	o.headers = (struct cl_slice){ warn, (size_t)n };
	if (cl_sip_build_response(m, e->status, e->reason, (struct cl_slice){ "", 0 }, &o,
				  tp->out, sizeof(tp->out), &len) != 0)
		len = raw_error(tp, m, e->status, e->reason);
	if (len)
		cl_sip_tp_send(tp, f->id, tp->out, len);
}

void tp_dispatch(struct cl_sip_tp *tp, struct tp_flow *f, const char *buf, size_t len)
{
	struct cl_sip_parse_opts opts = {
		f->kind == CL_SIP_TP_UDP ? CL_SIP_DGRAM : CL_SIP_STREAM, tp->cfg.max_msg
	};
	struct cl_sip_error e, e2;
	struct cl_sip_msg m;

	tp->stats.rx_msgs++;
	if (cl_sip_parse(&m, buf, len, &opts, &e) != 0) {
		if (e.status == 513) {
			/* Too large: read the headers anyway, only to answer 513 (RFC 3261 §18.1.1). */
			opts.max_size = len + 1;
			if (cl_sip_parse(&m, buf, len, &opts, &e2) != 0 && !e2.status)
				return;
		}
		if (e.status) {
			tp->stats.bad_requests++;
			cl_debug(MOD, "%s flow %llx: %u %s", cl_sip_tpt_name(f->kind),
				 (unsigned long long)f->id, e.status, e.reason);
			answer_bad(tp, f, &m, &e);
		} else {
			tp->stats.bad_responses++;
		}
		return;
	}
	/* RFC 5923 §5: the first request asking for an alias decides (tp_out.c). */
	if (m.is_request && m.via.alias && f->kind == CL_SIP_TP_TLS && !f->alias_checked)
		tp_out_alias(tp, f, &m.via);
	tp->recvh(tp->arg, f->id, f->kind != CL_SIP_TP_UDP, &m);
}

/* ---- streams: TCP and TLS ---- */

static int stream_interest(struct cl_sip_tp *tp, struct tp_flow *f)
{
	unsigned ev = CL_LOOP_READ;

	if ((f->txlen && tp_stream_ready(f)) || f->want_write)
		ev |= CL_LOOP_WRITE; /* queued bytes wait for the handshake without spinning */
	return cl_loop_fd_modify(tp->loop, f->fd, ev);
}

/* Writes queued bytes; returns 0 (maybe with bytes left) or an error. */
static int stream_flush(struct cl_sip_tp *tp, struct tp_flow *f)
{
	while (f->txlen) {
		size_t n = 0;
		bool ww = false;
		int err = f->tls ? cl_tls_stream_write(f->tls, f->tx, f->txlen, &n, &ww)
				 : cl_net_send(f->fd, f->tx, f->txlen, &n);

		f->want_write = ww;
		if (err == EAGAIN)
			break;
		if (err)
			return err;
		memmove(f->tx, f->tx + n, f->txlen - n);
		f->txlen -= n;
	}
	return stream_interest(tp, f);
}

static int stream_queue(struct tp_flow *f, const char *buf, size_t len)
{
	if (f->txlen + len > TP_TX_MAX)
		return ENOBUFS;
	if (f->txlen + len > f->txcap) {
		size_t cap = CL_MAX(f->txcap * 2, f->txlen + len);
		char *t = realloc(f->tx, cap);

		if (!t)
			return ENOMEM;
		f->tx = t;
		f->txcap = cap;
	}
	memcpy(f->tx + f->txlen, buf, len);
	f->txlen += len;
	return 0;
}

/* Frames and dispatches what the receive buffer holds. Returns 0 or an error (close). */
static int stream_consume(struct cl_sip_tp *tp, struct tp_flow *f)
{
	size_t off = 0;
	int err = 0;

	while (off < f->rxlen) {
		struct cl_sip_frame fr;

		err = cl_sip_frame(f->rx + off, f->rxlen - off, tp->cfg.max_msg, &fr);
		if (err == EAGAIN) {
			err = 0;
			break;
		}
		if (err)
			break;
		if (fr.kind == CL_SIP_FRAME_MSG) {
			uint64_t id = f->id;

			tp_dispatch(tp, f, f->rx + off, fr.len);
			if (!flow_get(tp, id))
				return ESHUTDOWN; /* closed by the TU during dispatch */
		} else if (fr.kind == CL_SIP_FRAME_PING) {
			tp->stats.keepalives++;
			err = stream_queue(f, "\r\n", 2); /* RFC 5626 §4.4.1: pong */
		}
		off += fr.len;
		if (err)
			break;
	}
	memmove(f->rx, f->rx + off, f->rxlen - off);
	f->rxlen -= off;
	return err;
}

/* Reads what the socket has. Returns 0, or an error / ECONNRESET on close. */
static int stream_read(struct cl_sip_tp *tp, struct tp_flow *f)
{
	for (int rounds = 0; rounds < 64; rounds++) {
		size_t cap = tp->cfg.max_msg + 4, n = 0;
		bool ww = false;
		int err;

		if (f->rxcap < cap) {
			char *r = realloc(f->rx, cap);

			if (!r)
				return ENOMEM;
			f->rx = r;
			f->rxcap = cap;
		}
		if (f->rxlen == f->rxcap)
			return EMSGSIZE;
		err = f->tls ? cl_tls_stream_read(f->tls, f->rx + f->rxlen, f->rxcap - f->rxlen,
						 &n, &ww)
			     : cl_net_recv(f->fd, f->rx + f->rxlen, f->rxcap - f->rxlen, &n);
		f->want_write = ww;
		if (err == EAGAIN)
			return 0;
		if (err)
			return err;
		if (n == 0)
			return ECONNRESET;
		f->rxlen += n;
		tp_flow_touch(tp, f);
		err = stream_consume(tp, f);
		if (err)
			return err;
	}
	return 0;
}

static int tls_handshake(struct cl_sip_tp *tp, struct tp_flow *f)
{
	struct cl_tls_result res;
	bool ww = false;
	int err = cl_tls_stream_handshake(f->tls, &ww, &res);

	f->want_write = ww;
	if (err == EAGAIN)
		return stream_interest(tp, f);
	if (err) {
		tp->stats.tls_handshake_failures++;
		if (f->outgoing)
			cl_warn(MOD, "TLS handshake to %s as %s failed: %s (%s)",
				cl_tls_stream_peer(f->tls), f->name ? f->name : "(no name)",
				cl_tls_why_str(res.why), res.detail);
		else
			cl_info(MOD, "TLS handshake from %s failed: %s", cl_tls_stream_peer(f->tls),
				cl_tls_why_str(res.why));
		return err;
	}
	f->handshaken = true;
	tp_handshake_done(tp, f);
	tp_flow_touch(tp, f); /* the handshake or connect timer becomes the idle timer */
	cl_debug(MOD, "TLS from %s: %s %s%s", cl_tls_stream_peer(f->tls),
		 cl_tls_stream_version(f->tls), cl_tls_stream_cipher(f->tls),
		 cl_tls_stream_resumed(f->tls) ? " (resumed)" : "");
	return 0;
}

bool tp_stream_ready(const struct tp_flow *f)
{
	return !f->connecting && (!f->tls || f->handshaken);
}

void tp_stream_event(int fd, unsigned ev, void *arg)
{
	struct tp_flow *f = arg;
	struct cl_sip_tp *tp = f->tp;
	int err = 0;

	(void)fd;
	if (f->connecting) {
		err = tp_out_connected(tp, f);
		if (err == EINPROGRESS)
			return;
	}
	if (!err && f->tls && !f->handshaken) {
		err = tls_handshake(tp, f);
		if (!err && !f->handshaken)
			return;
	}
	if (!err && (ev & CL_LOOP_WRITE))
		err = stream_flush(tp, f);
	if (!err && (ev & (CL_LOOP_READ | CL_LOOP_ERR | CL_LOOP_HUP)))
		err = stream_read(tp, f);
	if (err == ESHUTDOWN)
		return;
	if (!err)
		err = stream_flush(tp, f);
	if (err) {
		if (err != ECONNRESET)
			tp->stats.stream_errors++;
		tp_flow_close(tp, f, err == ECONNRESET ? 0 : err);
	}
}

static void accept_event(int lfd, unsigned ev, void *arg)
{
	struct tp_listener *l = arg;
	struct cl_sip_tp *tp = l->tp;

	(void)ev;
	for (int i = 0; i < 64; i++) {
		struct tp_flow *f;
		struct cl_sa peer;
		int fd;

		if (cl_net_tcp_accept(lfd, &fd, &peer) != 0)
			return;
		if (l->kind == CL_SIP_TP_TLS && tp->handshaking >= tp->cfg.max_handshakes) {
			tp->stats.handshakes_refused++; /* too many slow clients at once */
			close(fd);
			continue;
		}
		cl_net_set_nodelay(fd);
		f = tp_flow_new(tp, l->kind, l, fd, &peer);
		if (!f || (l->kind == CL_SIP_TP_TLS && cl_tls_stream_accept(&f->tls, l->tls, fd)) ||
		    cl_loop_fd_add(tp->loop, fd, CL_LOOP_READ, tp_stream_event, f)) {
			if (f)
				tp_flow_free(tp, f); /* the TU never saw it */
			else
				close(fd);
			continue;
		}
		if (f->tls) {
			f->hs_counted = true;
			tp->handshaking++;
			tp_flow_touch(tp, f);
		}
	}
}

/* ---- the layer ---- */

int cl_sip_tp_new(struct cl_sip_tp **tpp, struct cl_loop *loop, const struct cl_sip_tp_cfg *cfg,
		  cl_sip_tp_recv_h *recvh, cl_sip_tp_close_h *closeh, void *arg)
{
	struct cl_sip_tp *tp;

	if (!tpp || !loop || !recvh)
		return EINVAL;
	tp = calloc(1, sizeof(*tp));
	if (!tp)
		return ENOMEM;
	if (cfg)
		tp->cfg = *cfg;
	else
		cl_sip_tp_cfg_init(&tp->cfg);
	if (!tp->cfg.connect_ms)
		tp->cfg.connect_ms = TP_CONNECT_MS;
	if (!tp->cfg.handshake_ms)
		tp->cfg.handshake_ms = 10000;
	if (!tp->cfg.max_handshakes)
		tp->cfg.max_handshakes = 256;
	if (!tp->cfg.max_flows || !tp->cfg.max_msg || tp->cfg.max_msg > TP_UDP_BUF) {
		free(tp);
		return EINVAL;
	}
	tp->loop = loop;
	tp->recvh = recvh;
	tp->closeh = closeh;
	tp->arg = arg;
	tp->nhash = tp->cfg.max_flows * 2 + 1;
	tp->flows = calloc(tp->cfg.max_flows, sizeof(*tp->flows));
	tp->gen = calloc(tp->cfg.max_flows, sizeof(*tp->gen));
	tp->hash = calloc(tp->nhash, sizeof(*tp->hash));
	tp->ahash = calloc(tp->nhash, sizeof(*tp->ahash));
	if (!tp->flows || !tp->gen || !tp->hash || !tp->ahash) {
		cl_sip_tp_free(tp);
		return ENOMEM;
	}
	*tpp = tp;
	return 0;
}

void cl_sip_tp_free(struct cl_sip_tp *tp)
{
	if (!tp)
		return;
	tp->closeh = NULL;
	for (size_t i = 0; tp->flows && i < tp->cfg.max_flows; i++) {
		if (tp->flows[i])
			tp_flow_close(tp, tp->flows[i], 0);
	}
	for (size_t i = 0; i < tp->nlst; i++) {
		cl_loop_fd_remove(tp->loop, tp->lst[i].fd);
		close(tp->lst[i].fd);
	}
	free(tp->flows);
	free(tp->gen);
	free(tp->hash);
	free(tp->ahash);
	free(tp);
}

int cl_sip_tp_listen(struct cl_sip_tp *tp, enum cl_sip_tpt kind, struct cl_sa *addr,
		     struct cl_tls_server *tls)
{
	struct tp_listener *l;
	int err;

	if (tp->nlst == CL_SIP_TP_MAX_LISTENERS || (kind == CL_SIP_TP_TLS && !tls))
		return EINVAL;
	l = &tp->lst[tp->nlst];
	memset(l, 0, sizeof(*l));
	l->tp = tp;
	l->kind = kind;
	l->tls = tls;
	err = kind == CL_SIP_TP_UDP ? cl_net_udp_bind(&l->fd, addr)
				    : cl_net_tcp_listen(&l->fd, addr, 128);
	if (err)
		return err;
	cl_net_local_addr(l->fd, addr);
	l->addr = *addr;
	err = cl_loop_fd_add(tp->loop, l->fd, CL_LOOP_READ,
			     kind == CL_SIP_TP_UDP ? tp_udp_readable : accept_event, l);
	if (err) {
		close(l->fd);
		return err;
	}
	tp->nlst++;
	return 0;
}

int cl_sip_tp_send(struct cl_sip_tp *tp, uint64_t flow, const char *buf, size_t len)
{
	struct tp_flow *f = flow_get(tp, flow);
	int err;

	if (!f)
		return ENOENT;
	tp->stats.tx_msgs++;
	if (f->kind == CL_SIP_TP_UDP)
		return cl_net_sendto(f->lst->fd, buf, len, &f->peer);
	/* Before the connection (and handshake) is up, messages wait in the queue. */
	err = stream_queue(f, buf, len);
	if (!err && tp_stream_ready(f))
		err = stream_flush(tp, f);
	if (err)
		tp_flow_close(tp, f, err);
	return err;
}

int cl_sip_tp_flow_info(const struct cl_sip_tp *tp, uint64_t flow, struct cl_sa *peer,
			enum cl_sip_tpt *kind)
{
	const struct tp_flow *f = flow_get(tp, flow);

	if (!f)
		return ENOENT;
	if (peer)
		*peer = f->peer;
	if (kind)
		*kind = f->kind;
	return 0;
}

const struct cl_sip_tp_stats *cl_sip_tp_stats(const struct cl_sip_tp *tp)
{
	return &tp->stats;
}
