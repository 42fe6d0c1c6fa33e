/* SIP transports (RFC 3261 §18, RFC 3581, RFC 5626 §4.4.1): the internals shared by
 * tp.c (flows, listeners, stream I/O) and tp_udp.c. Private to src/sip/. */
#ifndef CL_SIP_TP_H
#define CL_SIP_TP_H

#include "loop/loop.h"
#include "net/net.h"
#include "sip.h"
#include "tls/tls.h"

#define TP_UDP_BUF 65536
#define TP_TX_MAX (256 * 1024) /* queued bytes per stream before it is closed */

struct tp_listener {
	struct cl_sip_tp *tp;
	enum cl_sip_tpt kind;
	int fd;
	struct cl_sa addr;
	struct cl_tls_server *tls; /* TLS listeners */
};

struct tp_flow {
	uint64_t id;
	enum cl_sip_tpt kind;
	struct tp_listener *lst;   /* UDP: the socket it uses; streams: where it came from */
	int fd;                    /* streams only; -1 for UDP */
	struct cl_sa peer;
	struct cl_tls_stream *tls;
	bool handshaken;
	bool want_write;           /* TLS asked for writability */
	char *rx;                  /* stream receive buffer */
	size_t rxlen, rxcap;
	char *tx;                  /* stream bytes waiting for the socket */
	size_t txlen, txcap;
	struct cl_timer idle;
	size_t slot;
	size_t hnext;              /* UDP lookup chain (slot + 1, 0 = end) */
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
	size_t *hash;              /* UDP buckets: slot + 1 of the first flow, 0 = none */
	size_t nhash;
	size_t nflows;
	char udpbuf[TP_UDP_BUF + 1];
	char out[4096];            /* stateless error responses */
	struct cl_sip_tp_stats stats;
};

/* Delivers one message (datagram or framed) from flow f; answers unparseable requests. */
void tp_dispatch(struct cl_sip_tp *tp, struct tp_flow *f, const char *buf, size_t len);
/* Finds or creates the UDP flow for (listener, peer). NULL when the table is full. */
struct tp_flow *tp_udp_flow(struct cl_sip_tp *tp, struct tp_listener *l, const struct cl_sa *peer);
/* Frees a flow and tells the TU (err 0: idle or orderly close). */
void tp_flow_close(struct cl_sip_tp *tp, struct tp_flow *f, int err);
/* Restarts a flow's idle timer. */
void tp_flow_touch(struct cl_sip_tp *tp, struct tp_flow *f);
void tp_udp_readable(int fd, unsigned ev, void *arg);

#endif
