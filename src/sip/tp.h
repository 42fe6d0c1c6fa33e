/* SIP transports (RFC 3261 §18, RFC 3581, RFC 5626 §4.4.1, RFC 5923): the internals
 * shared by tp.c (flows, listeners, stream I/O), tp_udp.c and tp_out.c (outgoing
 * connections, alias reuse). Private to src/sip/.
 *
 * Lookup: one hash of flows by (peer, tag), the tag being the listener index for UDP and
 * CL_SIP_TP_MAX_LISTENERS + kind for streams; a second hash holds the RFC 5923 alias
 * flows by (peer address, sent-by port). Chains link slot + 1 (0 = end). */
#ifndef CL_SIP_TP_H
#define CL_SIP_TP_H

#include "loop/loop.h"
#include "net/net.h"
#include "sip.h"
#include "tls/tls.h"

#define TP_UDP_BUF 65536
#define TP_TX_MAX (256 * 1024) /* queued bytes per stream before it is closed */
#define TP_CONNECT_MS 5000     /* default connect (+ TLS handshake) timeout */
#define TP_NAME_MAX 256        /* TLS names and alias hosts, with the NUL */

struct tp_listener {
	struct cl_sip_tp *tp;
	enum cl_sip_tpt kind;
	int fd;
	struct cl_sa addr;
	struct cl_tls_server *tls; /* TLS listeners */
};

struct tp_flow {
	struct cl_sip_tp *tp;
	uint64_t id;
	enum cl_sip_tpt kind;
	struct tp_listener *lst;   /* UDP: the socket it uses; streams: where it came from
				    * (NULL for outgoing streams) */
	int fd;                    /* streams only; -1 for UDP */
	struct cl_sa peer;
	struct cl_tls_stream *tls;
	bool handshaken;
	bool hs_counted;           /* counted in tp->handshaking (incoming TLS, not yet done) */
	bool want_write;           /* TLS asked for writability */
	bool outgoing;             /* a stream we connected (tp_out.c) */
	bool connecting;           /* its TCP connect is in progress */
	bool alias;                /* RFC 5923: in the alias hash under alias_sa and name */
	bool alias_checked;        /* the first request with ;alias was looked at */
	int err;                   /* an immediate connect failure, reported by the timer */
	char *name;                /* TLS: the name the peer proved (outgoing: the one it was
				    * verified for; alias: the sent-by host); else NULL */
	struct cl_sa alias_sa;     /* the peer's address with the Via sent-by port */
	char *rx;                  /* stream receive buffer */
	size_t rxlen, rxcap;
	char *tx;                  /* stream bytes waiting for the socket */
	size_t txlen, txcap;
	struct cl_timer idle;
	size_t slot;
	size_t hnext;              /* lookup chain (slot + 1, 0 = end) */
	size_t anext;              /* alias chain */
};

struct cl_sip_tp {
	struct cl_loop *loop;
	struct cl_sip_tp_cfg cfg;
	cl_sip_tp_recv_h *recvh;
	cl_sip_tp_close_h *closeh;
	void *arg;
	struct tp_listener lst[CL_SIP_TP_MAX_LISTENERS];
	size_t nlst;
	struct tp_flow **flows;    /* cfg.max_flows slots */
	uint32_t *gen;             /* generation per slot, part of the flow id */
	size_t *hash;              /* buckets: slot + 1 of the first flow, 0 = none */
	size_t *ahash;             /* alias buckets */
	size_t nhash;
	struct cl_tls_client *tls_client; /* outgoing TLS (not owned) */
	size_t nflows;
	size_t handshaking;        /* incoming TLS handshakes in progress */
	char udpbuf[TP_UDP_BUF + 1];
	char out[4096];            /* stateless error responses */
	struct cl_sip_tp_stats stats;
};

/* Creates a flow and links it for lookup. NULL when the table is full (stats counted)
 * or out of memory: tp_flow_err() tells which. */
struct tp_flow *tp_flow_new(struct cl_sip_tp *tp, enum cl_sip_tpt kind, struct tp_listener *l,
			    int fd, const struct cl_sa *peer);
/* ENOSPC when the flow table is full, else ENOMEM. */
int tp_flow_err(const struct cl_sip_tp *tp);
/* The bucket of (sa, tag) in either hash. */
size_t tp_bucket(const struct cl_sip_tp *tp, const struct cl_sa *sa, size_t tag);
/* The lookup tag of a flow: listener index (UDP) or MAX_LISTENERS + kind (streams). */
size_t tp_tag(const struct cl_sip_tp *tp, enum cl_sip_tpt kind, const struct tp_listener *l);
/* Links f at the head of bucket b of the main (alias false) or the alias hash. */
void tp_chain_add(struct cl_sip_tp *tp, struct tp_flow *f, bool alias, size_t b);
/* Frees a flow without telling the TU (for flows it never saw). */
void tp_flow_free(struct cl_sip_tp *tp, struct tp_flow *f);
/* True when a stream can write: connected and, for TLS, handshaken. */
bool tp_stream_ready(const struct tp_flow *f);
/* The loop handler of stream fds. */
void tp_stream_event(int fd, unsigned ev, void *arg);
/* Outgoing streams (tp_out.c): the connect completed or failed. Returns 0 (connected),
 * EINPROGRESS (not yet) or the connect error. */
int tp_out_connected(struct cl_sip_tp *tp, struct tp_flow *f);
/* RFC 5923: a request with ;alias in its top Via arrived on TLS flow f. */
void tp_out_alias(struct cl_sip_tp *tp, struct tp_flow *f, const struct cl_sip_via *v);
/* Delivers one message (datagram or framed) from flow f; answers unparseable requests. */
void tp_dispatch(struct cl_sip_tp *tp, struct tp_flow *f, const char *buf, size_t len);
/* Finds or creates the UDP flow for (listener, peer). NULL when the table is full. */
struct tp_flow *tp_udp_flow(struct cl_sip_tp *tp, struct tp_listener *l, const struct cl_sa *peer);
/* Frees a flow and tells the TU (err 0: idle or orderly close). */
void tp_flow_close(struct cl_sip_tp *tp, struct tp_flow *f, int err);
/* Restarts a flow's idle timer. */
void tp_flow_touch(struct cl_sip_tp *tp, struct tp_flow *f);
/* Ends the accounting of an incoming TLS handshake (done, failed or flow freed). */
void tp_handshake_done(struct cl_sip_tp *tp, struct tp_flow *f);
void tp_udp_readable(int fd, unsigned ev, void *arg);

#endif
