/* Private to src/sip: the transaction layer's structures, shared by tx.c (table, timer
 * heap, dispatch, API) and tx_fsm.c (the four RFC 3261 §17 machines). */
#ifndef CL_SIP_TX_INT_H
#define CL_SIP_TX_INT_H

#include "sip/sip.h"

/* What identifies a transaction (§17.1.3, §17.2.3). Slices point into the tx's own copy
 * of its request (or into the message being matched). */
struct tx_key {
	bool server;
	bool cookie;               /* the top Via branch starts with z9hG4bK */
	struct cl_slice method;    /* "INVITE" when an ACK looks for its INVITE */
	struct cl_slice branch;
	struct cl_slice host;      /* top Via sent-by (server only) */
	uint16_t port;
	/* RFC 2543 fallback (server, no cookie) */
	struct cl_slice call_id, from_tag, ruri;
	uint32_t cseq;
};

enum { TX_RETX, TX_END, TX_NTIMERS }; /* A/E/G/100-Trying, and B/D/F/H/I/J/K/L/M */

#define TX_OFF UINT64_MAX

struct cl_sip_tx {
	struct cl_sip_txl *txl;
	enum cl_sip_tx_kind kind;
	enum cl_sip_tx_state state;
	bool reliable;
	uint64_t flow;
	void *data;
	struct tx_key key;
	uint32_t hash;
	struct cl_sip_tx *hnext;        /* hash chain */
	struct cl_sip_tx *prev, *next;  /* every tx not yet freed */
	struct cl_sip_tx *dnext;        /* terminated, waiting to be freed */
	uint64_t due[TX_NTIMERS];       /* deadlines, TX_OFF when disarmed */
	char name[TX_NTIMERS];          /* the RFC letter, for logs ('T': 100 Trying) */
	uint32_t ival;                  /* the current A/E/G interval */
	size_t heap_idx;                /* SIZE_MAX: not in the heap */
	char *req;                      /* the request, received or sent */
	size_t req_len;
	char *out;                      /* server: the last response sent; ICT: the ACK */
	size_t out_len;
	unsigned status;                /* last response sent (server) or received (client) */
};

struct cl_sip_txl {
	struct cl_sip_txl_cfg cfg;
	cl_sip_txl_send_h *send;
	cl_sip_txl_event_h *event;
	void *arg;
	struct cl_sip_tx **buckets;
	size_t nbuckets;                /* a power of two */
	struct cl_sip_tx **heap;        /* min-heap on the earliest due[] */
	size_t nheap;
	struct cl_sip_tx *all;
	struct cl_sip_tx *dead;
	size_t live;
	unsigned depth;                 /* nesting of public calls (callbacks re-enter) */
	uint32_t seed;                  /* hash seed against chosen-collision floods */
	struct cl_sip_txl_stats st;
};

/* tx.c */
void tx_arm(struct cl_sip_tx *tx, int slot, char name, uint64_t at);
void tx_disarm(struct cl_sip_tx *tx, int slot);
/* Sends bytes on the tx's flow. A transport error fails the tx (events delivered) and is
 * returned; ECANCELED when the tx was terminated from inside the send callback. */
int tx_send(struct cl_sip_tx *tx, const char *buf, size_t len);
void tx_emit(struct cl_sip_tx *tx, enum cl_sip_txe_type type, const struct cl_sip_msg *m,
	     struct cl_sip_tx *cancelled);
/* Terminates the tx: out of the table and heap, TERMINATED event, freed later. */
void tx_end(struct cl_sip_tx *tx);
/* Terminates with a TIMEOUT or TRANSPORT_ERROR event first. */
void tx_fail(struct cl_sip_tx *tx, enum cl_sip_txe_type type, int err);
/* Parses the tx's stored request into m. Returns 0 or EBADMSG. */
int tx_parse_req(const struct cl_sip_tx *tx, struct cl_sip_msg *m);

/* tx_fsm.c */
int fsm_client_start(struct cl_sip_tx *tx, uint64_t now);
void fsm_client_response(struct cl_sip_tx *tx, const struct cl_sip_msg *m, uint64_t now);
void fsm_server_start(struct cl_sip_tx *tx, const struct cl_sip_msg *m,
		      struct cl_sip_tx *cancelled, uint64_t now);
void fsm_server_retransmit(struct cl_sip_tx *tx, uint64_t now);
void fsm_server_ack(struct cl_sip_tx *tx, const struct cl_sip_msg *m, uint64_t now);
int fsm_server_respond(struct cl_sip_tx *tx, const char *buf, size_t len, unsigned status,
		       uint64_t now);
void fsm_fire(struct cl_sip_tx *tx, int slot, uint64_t now);
/* Builds a response to m into a fresh allocation. Returns 0, ENOMEM or the builder's. */
int fsm_build_response(const struct cl_sip_msg *m, unsigned status, const char *reason,
		       struct cl_slice to_tag, const struct cl_sip_build_opts *o,
		       char **out, size_t *len);

#endif
