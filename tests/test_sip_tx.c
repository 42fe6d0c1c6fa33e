/* SIP transactions (issue 4 §3/§5) on simulated time: every state and timer of the four
 * RFC 3261 §17 machines (RFC 6026 Accepted states) over unreliable and reliable flows,
 * retransmission absorption, byte-identical retransmissions, CANCEL matching, the
 * end-to-end ACK for a 2xx, transport errors, re-entrant TU calls and the 503 cap.
 * No sockets, no sleeping: the harness records what the layer sends and tells. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sip/sip.h"
#include "test.h"

#define MAXREC 96
#define MSGMAX 2048

struct sent {
	uint64_t at, flow;
	struct cl_sip_tx *tx;
	size_t len;
	char buf[MSGMAX];
};

struct evrec {
	enum cl_sip_txe_type type;
	uint64_t at;
	struct cl_sip_tx *tx, *cancelled;
	unsigned status;
	char method[16];
	int err;
};

struct h {
	struct cl_sip_txl *txl;
	uint64_t now;
	struct sent sent[MAXREC];
	size_t nsent;
	struct evrec ev[MAXREC];
	size_t nev;
	int send_rc;              /* what the next sends return */
	bool reply_in_callback;   /* minimal TU: OPTIONS 200, others 501, inside REQUEST */
	bool kill_flow_in_send;   /* re-entrant transport error from inside send */
	char rx[MSGMAX];          /* the buffer messages are parsed from */
	struct cl_sip_msg m;
};

static int h_send(void *arg, struct cl_sip_tx *tx, uint64_t flow, const char *buf, size_t len)
{
	struct h *h = arg;

	if (h->nsent < MAXREC && len <= MSGMAX) {
		struct sent *s = &h->sent[h->nsent++];

		s->at = h->now;
		s->flow = flow;
		s->tx = tx;
		s->len = len;
		memcpy(s->buf, buf, len);
	}
	if (h->kill_flow_in_send) {
		h->kill_flow_in_send = false;
		cl_sip_txl_transport_error(h->txl, flow, EPIPE, h->now);
	}
	return h->send_rc;
}

static void h_event(void *arg, const struct cl_sip_txe *ev)
{
	struct h *h = arg;
	struct evrec *r;

	if (h->nev >= MAXREC)
		return;
	r = &h->ev[h->nev++];
	*r = (struct evrec){ ev->type, h->now, ev->tx, ev->cancelled, 0, "", ev->err };
	if (ev->msg) {
		struct cl_slice mt = ev->msg->is_request ? ev->msg->method : ev->msg->cseq.method;

		r->status = ev->msg->status;
		snprintf(r->method, sizeof(r->method), "%.*s", (int)mt.len, mt.p);
	}
	if (h->reply_in_callback && ev->type == CL_SIP_TXE_REQUEST) {
		bool opt = strcmp(r->method, "OPTIONS") == 0;

		cl_sip_txl_reply(h->txl, ev->tx, opt ? 200 : 501, NULL, CL_SLICE_LIT("tu1"), NULL,
				 h->now);
	}
}

static int h_init(struct h *h, const struct cl_sip_txl_cfg *cfg)
{
	memset(h, 0, sizeof(*h));
	return cl_sip_txl_new(&h->txl, cfg, h_send, h_event, h);
}

/* Fires every timer up to t, one deadline at a time. */
static void h_run(struct h *h, uint64_t t)
{
	for (int guard = 0; guard < 1000; guard++) {
		uint64_t n = cl_sip_txl_next(h->txl);

		if (n > t)
			break;
		h->now = n;
		cl_sip_txl_timer(h->txl, n);
	}
	h->now = t;
}

/* Parses text into h->m and feeds it in on flow. */
static int h_recv(struct h *h, const char *text, uint64_t flow, bool reliable)
{
	struct cl_sip_error err;
	size_t len = strlen(text);

	if (len > sizeof(h->rx))
		return ENOBUFS;
	memcpy(h->rx, text, len);
	if (cl_sip_parse(&h->m, h->rx, len, NULL, &err) != 0)
		return EBADMSG;
	return cl_sip_txl_recv(h->txl, &h->m, flow, reliable, h->now);
}

static size_t count_ev(const struct h *h, enum cl_sip_txe_type type)
{
	size_t n = 0;

	for (size_t i = 0; i < h->nev; i++)
		n += h->ev[i].type == type;
	return n;
}

static const struct evrec *last_ev(const struct h *h)
{
	return h->nev ? &h->ev[h->nev - 1] : NULL;
}

static const struct sent *last_sent(const struct h *h)
{
	return h->nsent ? &h->sent[h->nsent - 1] : NULL;
}

/* ---- messages ---- */

/* A request as a peer would send it to us. */
static void peer_req(char *out, size_t cap, const char *method, const char *branch,
		     const char *cseq_method, const char *to_tag)
{
	snprintf(out, cap,
		 "%s sip:bob@edge.example SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=%s\r\n"
		 "Max-Forwards: 70\r\n"
		 "To: <sip:bob@edge.example>%s%s\r\n"
		 "From: <sip:alice@peer.example>;tag=ft1\r\n"
		 "Call-ID: call-A@peer\r\n"
		 "CSeq: 1 %s\r\n"
		 "Content-Length: 0\r\n\r\n",
		 method, branch, to_tag ? ";tag=" : "", to_tag ? to_tag : "", cseq_method);
}

/* Starts a client tx with a request we built; returns it. */
static struct cl_sip_tx *start_client(struct h *h, const char *method, bool reliable,
				      char *req, size_t *req_len)
{
	struct cl_sip_request_spec s = {
		.method = cl_slice_cstr(method), .ruri = CL_SLICE_LIT("sip:carol@peer.example"),
		.transport = CL_SLICE_LIT("UDP"), .sent_by = CL_SLICE_LIT("edge.example"),
		.from = CL_SLICE_LIT("<sip:edge@edge.example>;tag=e1"),
		.to = CL_SLICE_LIT("<sip:carol@peer.example>"), .call_id = CL_SLICE_LIT("c-1@edge"),
		.cseq = 5,
	};
	struct cl_sip_tx *tx = NULL;

	if (cl_sip_build_request(&s, req, MSGMAX, req_len) != 0)
		return NULL;
	if (cl_sip_txl_request(h->txl, req, *req_len, 7, reliable, h->now, NULL, &tx) != 0)
		return NULL;
	return tx;
}

/* A response from the peer to the request we sent (built from its bytes). */
static int peer_resp(struct h *h, const char *req, size_t req_len, unsigned status,
		     const char *tag, bool reliable)
{
	struct cl_sip_msg m;
	struct cl_sip_error err;
	char out[MSGMAX];
	size_t len;

	if (cl_sip_parse(&m, req, req_len, NULL, &err) != 0 ||
	    cl_sip_build_response(&m, status, NULL, cl_slice_cstr(tag), NULL, out, sizeof(out) - 1,
				  &len) != 0)
		return EBADMSG;
	out[len] = '\0';
	return h_recv(h, out, 9, reliable);
}

static bool sent_is(const struct sent *s, const char *prefix)
{
	return s && s->len >= strlen(prefix) && memcmp(s->buf, prefix, strlen(prefix)) == 0;
}

static bool same_bytes(const struct sent *a, const struct sent *b)
{
	return a->len == b->len && memcmp(a->buf, b->buf, a->len) == 0;
}

/* ---- INVITE client ---- */

TEST(sip_tx_ict_udp_timer_a_b)
{
	static const uint64_t want[] = { 0, 500, 1500, 3500, 7500, 15500, 31500 };
	struct h h;
	char req[MSGMAX];
	size_t rl;
	struct cl_sip_tx *tx;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = start_client(&h, "INVITE", false, req, &rl)) != NULL);
	CHECK_INT(cl_sip_tx_kind(tx), CL_SIP_TX_ICT);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_CALLING);
	CHECK_INT(cl_sip_txl_next(h.txl), 500);
	h_run(&h, 31999);
	CHECK_INT(h.nsent, CL_ARRAY_SIZE(want)); /* Timer A: T1, doubling */
	for (size_t i = 0; i < CL_ARRAY_SIZE(want); i++) {
		CHECK_INT(h.sent[i].at, want[i]);
		CHECK_INT(h.sent[i].flow, 7);
		CHECK(h.sent[i].len == rl && memcmp(h.sent[i].buf, req, rl) == 0);
	}
	CHECK_INT(h.nev, 0);
	h_run(&h, 32000); /* Timer B = 64*T1 */
	CHECK_INT(h.nev, 2);
	CHECK_INT(h.ev[0].type, CL_SIP_TXE_TIMEOUT);
	CHECK_INT(h.ev[0].at, 32000);
	CHECK(h.ev[0].tx == tx);
	CHECK_INT(h.ev[1].type, CL_SIP_TXE_TERMINATED);
	CHECK_INT(cl_sip_txl_count(h.txl), 0);
	CHECK_INT(cl_sip_txl_next(h.txl), UINT64_MAX);
	CHECK_INT(h.nsent, CL_ARRAY_SIZE(want));
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_ict_reliable_no_retransmit)
{
	struct h h;
	char req[MSGMAX];
	size_t rl;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK(start_client(&h, "INVITE", true, req, &rl) != NULL);
	CHECK_INT(cl_sip_txl_next(h.txl), 32000);
	h_run(&h, 40000);
	CHECK_INT(h.nsent, 1);
	CHECK_INT(count_ev(&h, CL_SIP_TXE_TIMEOUT), 1);
	CHECK_INT(h.ev[0].at, 32000);
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_ict_1xx_stops_timers)
{
	struct h h;
	char req[MSGMAX];
	size_t rl;
	struct cl_sip_tx *tx;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = start_client(&h, "INVITE", false, req, &rl)) != NULL);
	h_run(&h, 600);
	CHECK_INT(h.nsent, 2);
	CHECK_INT(peer_resp(&h, req, rl, 180, "pt", false), 0);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_PROCEEDING);
	CHECK_INT(h.nev, 1);
	CHECK_INT(h.ev[0].type, CL_SIP_TXE_RESPONSE);
	CHECK_INT(h.ev[0].status, 180);
	CHECK_INT(cl_sip_txl_next(h.txl), UINT64_MAX); /* no A, no B in Proceeding */
	h_run(&h, 200000);
	CHECK_INT(h.nsent, 2);
	CHECK_INT(peer_resp(&h, req, rl, 183, "pt", false), 0); /* more 1xx go up */
	CHECK_INT(h.nev, 2);
	CHECK_INT(h.ev[1].status, 183);
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_ict_non2xx_ack_and_timer_d)
{
	struct h h;
	char req[MSGMAX];
	size_t rl;
	struct cl_sip_tx *tx;
	struct cl_sip_msg ack;
	struct cl_sip_error err;
	const struct sent *a;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = start_client(&h, "INVITE", false, req, &rl)) != NULL);
	h.now = 100;
	CHECK_INT(peer_resp(&h, req, rl, 486, "busy1", false), 0);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_COMPLETED);
	CHECK_INT(cl_sip_tx_status(tx), 486);
	CHECK_INT(h.nev, 1);
	CHECK_INT(h.ev[0].type, CL_SIP_TXE_RESPONSE);
	CHECK_INT(h.nsent, 2);
	a = &h.sent[1];
	CHECK(sent_is(a, "ACK sip:carol@peer.example SIP/2.0\r\n"));
	CHECK_INT(cl_sip_parse(&ack, a->buf, a->len, NULL, &err), 0);
	CHECK(cl_slice_eq(ack.to.tag, CL_SLICE_LIT("busy1")));
	CHECK_INT(ack.cseq.num, 5);
	CHECK_INT(ack.nvia, 1);
	/* the ACK's branch is the INVITE's (§17.1.1.3) */
	CHECK(memmem(req, rl, ack.via.branch.p, ack.via.branch.len) != NULL);
	/* a retransmitted 486: the same ACK bytes, nothing to the TU */
	h.now = 2000;
	CHECK_INT(peer_resp(&h, req, rl, 486, "busy1", false), 0);
	CHECK_INT(h.nev, 1);
	CHECK_INT(h.nsent, 3);
	CHECK(same_bytes(&h.sent[2], &h.sent[1]));
	/* Timer D: 32 s after the final */
	CHECK_INT(cl_sip_txl_next(h.txl), 100 + 32000);
	h_run(&h, 32099);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_COMPLETED);
	h_run(&h, 32100);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_TERMINATED);
	CHECK_INT(cl_sip_txl_count(h.txl), 0);
	CHECK_INT(h.nsent, 3); /* no A in Completed */
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_ict_non2xx_reliable_d_zero)
{
	struct h h;
	char req[MSGMAX];
	size_t rl;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK(start_client(&h, "INVITE", true, req, &rl) != NULL);
	CHECK_INT(peer_resp(&h, req, rl, 603, "d", true), 0);
	CHECK_INT(h.nsent, 2);
	CHECK(sent_is(&h.sent[1], "ACK "));
	CHECK_INT(h.nev, 2);
	CHECK_INT(h.ev[0].type, CL_SIP_TXE_RESPONSE);
	CHECK_INT(h.ev[1].type, CL_SIP_TXE_TERMINATED);
	CHECK_INT(cl_sip_txl_count(h.txl), 0);
	/* a late retransmission is now a stray */
	CHECK_INT(peer_resp(&h, req, rl, 603, "d", true), 0);
	CHECK_INT(cl_sip_txl_stats(h.txl)->stray_responses, 1);
	CHECK_INT(h.nsent, 2);
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_ict_2xx_accepted_timer_m)
{
	struct h h;
	char req[MSGMAX];
	size_t rl;
	struct cl_sip_tx *tx;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = start_client(&h, "INVITE", false, req, &rl)) != NULL);
	h.now = 50;
	CHECK_INT(peer_resp(&h, req, rl, 200, "ok1", false), 0);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_ACCEPTED);
	CHECK_INT(h.nev, 1);
	CHECK_INT(h.ev[0].status, 200);
	CHECK_INT(h.nsent, 1); /* no ACK from the tx: the TU acks a 2xx */
	/* RFC 6026: retransmitted and forked 2xx go up too */
	CHECK_INT(peer_resp(&h, req, rl, 200, "ok1", false), 0);
	CHECK_INT(peer_resp(&h, req, rl, 200, "fork2", false), 0);
	CHECK_INT(count_ev(&h, CL_SIP_TXE_RESPONSE), 3);
	CHECK_INT(peer_resp(&h, req, rl, 486, "late", false), 0); /* not a 2xx: dropped */
	CHECK_INT(count_ev(&h, CL_SIP_TXE_RESPONSE), 3);
	CHECK_INT(cl_sip_txl_next(h.txl), 50 + 32000); /* Timer M = 64*T1 */
	h_run(&h, 32050);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_TERMINATED);
	CHECK_INT(h.nsent, 1);
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_ict_transport_errors)
{
	struct h h;
	char req[MSGMAX];
	size_t rl;
	struct cl_sip_tx *tx;

	CHECK_INT(h_init(&h, NULL), 0);
	/* the first send fails: no tx, no events, the error comes back */
	h.send_rc = ENETUNREACH;
	CHECK(start_client(&h, "INVITE", false, req, &rl) == NULL);
	CHECK_INT(cl_sip_txl_count(h.txl), 0);
	CHECK_INT(h.nev, 0);
	/* a retransmission fails: TRANSPORT_ERROR, TERMINATED */
	h.send_rc = 0;
	CHECK((tx = start_client(&h, "INVITE", false, req, &rl)) != NULL);
	h.send_rc = EHOSTUNREACH;
	h_run(&h, 500);
	CHECK_INT(h.nev, 2);
	CHECK_INT(h.ev[0].type, CL_SIP_TXE_TRANSPORT_ERROR);
	CHECK_INT(h.ev[0].err, EHOSTUNREACH);
	CHECK(h.ev[0].tx == tx);
	CHECK_INT(h.ev[1].type, CL_SIP_TXE_TERMINATED);
	CHECK_INT(cl_sip_txl_next(h.txl), UINT64_MAX);
	/* the flow dies under a tx */
	h.send_rc = 0;
	CHECK((tx = start_client(&h, "INVITE", true, req, &rl)) != NULL);
	CHECK_INT(cl_sip_txl_transport_error(h.txl, 8, ECONNRESET, h.now), 0); /* other flow */
	CHECK_INT(cl_sip_txl_transport_error(h.txl, 7, ECONNRESET, h.now), 1);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_TERMINATED);
	CHECK_INT(h.ev[h.nev - 2].type, CL_SIP_TXE_TRANSPORT_ERROR);
	CHECK_INT(h.ev[h.nev - 2].err, ECONNRESET);
	CHECK_INT(cl_sip_txl_count(h.txl), 0);
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_client_request_checks)
{
	struct h h;
	char req[MSGMAX], dup[MSGMAX];
	size_t rl;
	struct cl_sip_tx *tx;
	static const char nocookie[] =
		"OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=1234\r\nMax-Forwards: 70\r\n"
		"To: <sip:a@b>\r\nFrom: <sip:c@d>;tag=1\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n"
		"Content-Length: 0\r\n\r\n";

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = start_client(&h, "OPTIONS", false, req, &rl)) != NULL);
	memcpy(dup, req, rl);
	CHECK_INT(cl_sip_txl_request(h.txl, dup, rl, 7, false, 0, NULL, NULL), EEXIST);
	CHECK_INT(cl_sip_txl_request(h.txl, nocookie, sizeof(nocookie) - 1, 7, false, 0, NULL, NULL),
		  EINVAL);
	CHECK_INT(cl_sip_txl_request(h.txl, "garbage", 7, 7, false, 0, NULL, NULL), EINVAL);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_TRYING);
	cl_sip_txl_free(h.txl);
}

/* ---- non-INVITE client ---- */

TEST(sip_tx_nict_udp_timer_e_f)
{
	static const uint64_t want[] = { 0, 500, 1500, 3500, 7500, 11500, 15500, 19500,
					 23500, 27500, 31500 };
	struct h h;
	char req[MSGMAX];
	size_t rl;
	struct cl_sip_tx *tx;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = start_client(&h, "OPTIONS", false, req, &rl)) != NULL);
	CHECK_INT(cl_sip_tx_kind(tx), CL_SIP_TX_NICT);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_TRYING);
	h_run(&h, 31999);
	CHECK_INT(h.nsent, CL_ARRAY_SIZE(want)); /* Timer E: T1 doubling, capped at T2 */
	for (size_t i = 0; i < CL_ARRAY_SIZE(want); i++) {
		CHECK_INT(h.sent[i].at, want[i]);
		CHECK(same_bytes(&h.sent[i], &h.sent[0]));
	}
	h_run(&h, 32000); /* Timer F */
	CHECK_INT(h.nev, 2);
	CHECK_INT(h.ev[0].type, CL_SIP_TXE_TIMEOUT);
	CHECK_INT(h.ev[0].at, 32000);
	CHECK_INT(cl_sip_txl_stats(h.txl)->timeouts, 1);
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_nict_proceeding_e_at_t2)
{
	static const uint64_t want[] = { 0, 500, 1500, 5500, 9500 };
	struct h h;
	char req[MSGMAX];
	size_t rl;
	struct cl_sip_tx *tx;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = start_client(&h, "REGISTER", false, req, &rl)) != NULL);
	h_run(&h, 600);
	CHECK_INT(peer_resp(&h, req, rl, 100, "", false), 0);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_PROCEEDING);
	CHECK_INT(h.ev[0].status, 100);
	h_run(&h, 9600);
	CHECK_INT(h.nsent, CL_ARRAY_SIZE(want)); /* E at 1500, then every T2 */
	for (size_t i = 0; i < CL_ARRAY_SIZE(want); i++)
		CHECK_INT(h.sent[i].at, want[i]);
	/* the final: Completed, Timer K = T4 */
	CHECK_INT(peer_resp(&h, req, rl, 200, "r", false), 0);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_COMPLETED);
	CHECK_INT(h.nev, 2);
	CHECK_INT(cl_sip_txl_next(h.txl), 9600 + 5000);
	CHECK_INT(peer_resp(&h, req, rl, 200, "r", false), 0); /* absorbed */
	CHECK_INT(h.nev, 2);
	h_run(&h, 14599);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_COMPLETED);
	h_run(&h, 14600);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_TERMINATED);
	CHECK_INT(h.nsent, CL_ARRAY_SIZE(want));
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_nict_reliable_k_zero)
{
	struct h h;
	char req[MSGMAX];
	size_t rl;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK(start_client(&h, "OPTIONS", true, req, &rl) != NULL);
	CHECK_INT(cl_sip_txl_next(h.txl), 32000); /* F only */
	h.now = 300;
	CHECK_INT(peer_resp(&h, req, rl, 404, "n", true), 0);
	CHECK_INT(h.nev, 2);
	CHECK_INT(h.ev[0].status, 404);
	CHECK_INT(h.ev[1].type, CL_SIP_TXE_TERMINATED);
	CHECK_INT(h.nsent, 1);
	CHECK_INT(cl_sip_txl_next(h.txl), UINT64_MAX);
	cl_sip_txl_free(h.txl);
}

/* §17.1.3: a CANCEL shares the INVITE's branch; responses go by branch + CSeq method. */
TEST(sip_tx_client_cancel_matching)
{
	struct h h;
	char req[MSGMAX], can[MSGMAX];
	size_t rl, cl;
	struct cl_sip_tx *inv, *ctx = NULL;
	struct cl_sip_msg m;
	struct cl_sip_error err;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((inv = start_client(&h, "INVITE", false, req, &rl)) != NULL);
	CHECK_INT(peer_resp(&h, req, rl, 180, "r", false), 0);
	CHECK_INT(cl_sip_parse(&m, req, rl, NULL, &err), 0);
	CHECK_INT(cl_sip_build_cancel(&m, (struct cl_slice){ NULL, 0 }, can, sizeof(can), &cl), 0);
	CHECK_INT(cl_sip_txl_request(h.txl, can, cl, 7, false, h.now, NULL, &ctx), 0);
	CHECK_INT(cl_sip_tx_kind(ctx), CL_SIP_TX_NICT);
	CHECK_INT(peer_resp(&h, can, cl, 200, "r", false), 0);
	CHECK(last_ev(&h)->tx == ctx);
	CHECK_INT(last_ev(&h)->status, 200);
	CHECK(strcmp(last_ev(&h)->method, "CANCEL") == 0);
	CHECK_INT(cl_sip_tx_state(ctx), CL_SIP_TX_COMPLETED);
	CHECK_INT(cl_sip_tx_state(inv), CL_SIP_TX_PROCEEDING);
	CHECK_INT(peer_resp(&h, req, rl, 487, "r", false), 0);
	CHECK(last_ev(&h)->tx == inv);
	CHECK_INT(cl_sip_tx_state(inv), CL_SIP_TX_COMPLETED);
	CHECK(sent_is(last_sent(&h), "ACK "));
	cl_sip_txl_free(h.txl);
}

/* ---- INVITE server ---- */

static struct cl_sip_tx *recv_new(struct h *h, const char *method, const char *branch,
				  bool reliable)
{
	char msg[MSGMAX];
	size_t before = h->nev;

	peer_req(msg, sizeof(msg), method, branch, method, NULL);
	if (h_recv(h, msg, 3, reliable) != 0 || h->nev <= before)
		return NULL;
	return h->ev[before].tx;
}

TEST(sip_tx_ist_100_trying_after_200ms)
{
	struct h h;
	struct cl_sip_tx *tx;
	char msg[MSGMAX];
	struct cl_sip_msg r;
	struct cl_sip_error err;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = recv_new(&h, "INVITE", "z9hG4bKi1", false)) != NULL);
	CHECK_INT(h.ev[0].type, CL_SIP_TXE_REQUEST);
	CHECK(strcmp(h.ev[0].method, "INVITE") == 0);
	CHECK_INT(cl_sip_tx_kind(tx), CL_SIP_TX_IST);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_PROCEEDING);
	CHECK_INT(cl_sip_tx_flow(tx), 3);
	CHECK_INT(h.nsent, 0);
	CHECK_INT(cl_sip_txl_next(h.txl), 200);
	h_run(&h, 199);
	CHECK_INT(h.nsent, 0);
	h_run(&h, 200);
	CHECK_INT(h.nsent, 1);
	CHECK(sent_is(&h.sent[0], "SIP/2.0 100 Trying\r\n"));
	CHECK_INT(h.sent[0].flow, 3);
	CHECK_INT(cl_sip_parse(&r, h.sent[0].buf, h.sent[0].len, NULL, &err), 0);
	CHECK(!r.to.has_tag);
	/* a retransmitted INVITE: the 100 again, byte for byte, not to the TU */
	peer_req(msg, sizeof(msg), "INVITE", "z9hG4bKi1", "INVITE", NULL);
	h.now = 500;
	CHECK_INT(h_recv(&h, msg, 3, false), 0);
	CHECK_INT(h.nsent, 2);
	CHECK(same_bytes(&h.sent[1], &h.sent[0]));
	CHECK_INT(h.nev, 1);
	CHECK_INT(cl_sip_txl_next(h.txl), UINT64_MAX); /* Proceeding: no timers */
	/* the TU's 180 replaces it as the provisional to resend */
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 180, NULL, CL_SLICE_LIT("u1"), NULL, 600), 0);
	CHECK(sent_is(last_sent(&h), "SIP/2.0 180 Ringing\r\n"));
	CHECK_INT(h_recv(&h, msg, 3, false), 0);
	CHECK_INT(h.nsent, 4);
	CHECK(same_bytes(&h.sent[3], &h.sent[2]));
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_ist_no_100_when_tu_answers)
{
	struct h h;
	struct cl_sip_tx *tx;
	struct cl_sip_txl_cfg cfg;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = recv_new(&h, "INVITE", "z9hG4bKi2", false)) != NULL);
	h.now = 150;
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 183, NULL, CL_SLICE_LIT("u"), NULL, h.now), 0);
	h_run(&h, 1000);
	CHECK_INT(h.nsent, 1);
	CHECK(sent_is(&h.sent[0], "SIP/2.0 183 "));
	cl_sip_txl_free(h.txl);
	/* trying_ms 0: the 100 goes out as soon as the TU returns without answering */
	cl_sip_txl_cfg_init(&cfg);
	cfg.trying_ms = 0;
	CHECK_INT(h_init(&h, &cfg), 0);
	CHECK((tx = recv_new(&h, "INVITE", "z9hG4bKi3", false)) != NULL);
	CHECK_INT(h.nsent, 1);
	CHECK(sent_is(&h.sent[0], "SIP/2.0 100 Trying\r\n"));
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_ist_non2xx_udp_g_h)
{
	static const uint64_t want[] = { 0, 500, 1500, 3500, 7500, 11500, 15500, 19500,
					 23500, 27500, 31500 };
	struct h h;
	struct cl_sip_tx *tx;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = recv_new(&h, "INVITE", "z9hG4bKg1", false)) != NULL);
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 486, NULL, CL_SLICE_LIT("u"), NULL, 0), 0);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_COMPLETED);
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 500, NULL, CL_SLICE_LIT("u"), NULL, 0), EPROTO);
	h_run(&h, 31999);
	CHECK_INT(h.nsent, CL_ARRAY_SIZE(want)); /* Timer G: T1 doubling, capped at T2 */
	for (size_t i = 0; i < CL_ARRAY_SIZE(want); i++) {
		CHECK_INT(h.sent[i].at, want[i]);
		CHECK(same_bytes(&h.sent[i], &h.sent[0]));
	}
	CHECK_INT(h.nev, 1);
	h_run(&h, 32000); /* Timer H: the ACK never came */
	CHECK_INT(h.nev, 3);
	CHECK_INT(h.ev[1].type, CL_SIP_TXE_TIMEOUT);
	CHECK(h.ev[1].tx == tx);
	CHECK_INT(h.ev[2].type, CL_SIP_TXE_TERMINATED);
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_ist_ack_confirmed_timer_i)
{
	struct h h;
	struct cl_sip_tx *tx;
	char msg[MSGMAX], ack[MSGMAX];
	const char *tag;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = recv_new(&h, "INVITE", "z9hG4bKa1", false)) != NULL);
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 404, NULL, CL_SLICE_LIT("nf"), NULL, 0), 0);
	/* an INVITE retransmission in Completed: the final again */
	peer_req(msg, sizeof(msg), "INVITE", "z9hG4bKa1", "INVITE", NULL);
	h.now = 100;
	CHECK_INT(h_recv(&h, msg, 3, false), 0);
	CHECK_INT(h.nsent, 2);
	CHECK(same_bytes(&h.sent[1], &h.sent[0]));
	h_run(&h, 700); /* G at 500 */
	CHECK_INT(h.nsent, 3);
	tag = "nf";
	peer_req(ack, sizeof(ack), "ACK", "z9hG4bKa1", "ACK", tag);
	CHECK_INT(h_recv(&h, ack, 3, false), 0);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_CONFIRMED);
	CHECK_INT(h.nev, 1); /* the ACK for a non-2xx is absorbed */
	CHECK_INT(cl_sip_txl_next(h.txl), 700 + 5000); /* Timer I = T4; G and H stopped */
	CHECK_INT(h_recv(&h, ack, 3, false), 0); /* ACK retransmission: absorbed */
	CHECK_INT(h_recv(&h, msg, 3, false), 0); /* INVITE retransmission: absorbed */
	CHECK_INT(h.nev, 1);
	CHECK_INT(h.nsent, 3);
	h_run(&h, 5699);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_CONFIRMED);
	h_run(&h, 5700);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_TERMINATED);
	CHECK_INT(h.nsent, 3);
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_ist_reliable_no_g_i_zero)
{
	struct h h;
	struct cl_sip_tx *tx;
	char ack[MSGMAX];

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = recv_new(&h, "INVITE", "z9hG4bKr1", true)) != NULL);
	CHECK(cl_sip_tx_reliable(tx));
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 480, NULL, CL_SLICE_LIT("u"), NULL, 0), 0);
	CHECK_INT(cl_sip_txl_next(h.txl), 32000); /* H only */
	h.now = 1000;
	peer_req(ack, sizeof(ack), "ACK", "z9hG4bKr1", "ACK", "u");
	CHECK_INT(h_recv(&h, ack, 3, true), 0);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_TERMINATED); /* I = 0 */
	CHECK_INT(h.nsent, 1);
	/* and without the ACK, H still fires on a reliable flow */
	CHECK((tx = recv_new(&h, "INVITE", "z9hG4bKr2", true)) != NULL);
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 480, NULL, CL_SLICE_LIT("u"), NULL, h.now), 0);
	h_run(&h, 33000);
	CHECK_INT(h.ev[h.nev - 2].type, CL_SIP_TXE_TIMEOUT);
	CHECK_INT(h.ev[h.nev - 2].at, 33000);
	CHECK_INT(h.nsent, 2);
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_ist_2xx_accepted_timer_l_ack_passthrough)
{
	struct h h;
	struct cl_sip_tx *tx;
	char msg[MSGMAX], ack[MSGMAX];

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = recv_new(&h, "INVITE", "z9hG4bKok", false)) != NULL);
	h.now = 100;
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 200, NULL, CL_SLICE_LIT("t2"), NULL, h.now), 0);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_ACCEPTED);
	CHECK_INT(h.nsent, 1);
	/* INVITE retransmissions: absorbed, no 2xx from the tx (RFC 6026 §8.7) */
	peer_req(msg, sizeof(msg), "INVITE", "z9hG4bKok", "INVITE", NULL);
	CHECK_INT(h_recv(&h, msg, 3, false), 0);
	CHECK_INT(h.nsent, 1);
	CHECK_INT(h.nev, 1);
	/* the TU retransmits its 2xx itself; anything else is refused */
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 200, NULL, CL_SLICE_LIT("t2"), NULL, 600), 0);
	CHECK_INT(h.nsent, 2);
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 486, NULL, CL_SLICE_LIT("t2"), NULL, 600), EPROTO);
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 180, NULL, CL_SLICE_LIT("t2"), NULL, 600), EPROTO);
	/* the ACK for the 2xx has its own branch: no tx, straight to the TU */
	peer_req(ack, sizeof(ack), "ACK", "z9hG4bKack2xx", "ACK", "t2");
	CHECK_INT(h_recv(&h, ack, 3, false), 0);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_ACK);
	CHECK(last_ev(&h)->tx == NULL);
	/* an ACK reusing the INVITE's branch reaches the TU through the Accepted tx */
	peer_req(ack, sizeof(ack), "ACK", "z9hG4bKok", "ACK", "t2");
	CHECK_INT(h_recv(&h, ack, 3, false), 0);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_ACK);
	CHECK(last_ev(&h)->tx == tx);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_ACCEPTED);
	CHECK_INT(cl_sip_txl_next(h.txl), 100 + 32000); /* Timer L = 64*T1 */
	h_run(&h, 32100);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_TERMINATED);
	CHECK_INT(cl_sip_txl_count(h.txl), 0); /* tx is freed now: never touch it again */
	cl_sip_txl_free(h.txl);
}

/* ---- non-INVITE server ---- */

TEST(sip_tx_nist_udp_timer_j)
{
	struct h h;
	struct cl_sip_tx *tx;
	char msg[MSGMAX];

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = recv_new(&h, "OPTIONS", "z9hG4bKo1", false)) != NULL);
	CHECK_INT(cl_sip_tx_kind(tx), CL_SIP_TX_NIST);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_TRYING);
	CHECK_INT(cl_sip_txl_next(h.txl), UINT64_MAX);
	/* Trying: retransmissions absorbed silently */
	peer_req(msg, sizeof(msg), "OPTIONS", "z9hG4bKo1", "OPTIONS", NULL);
	CHECK_INT(h_recv(&h, msg, 3, false), 0);
	CHECK_INT(h.nsent, 0);
	CHECK_INT(h.nev, 1);
	/* Proceeding: the 1xx again */
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 100, NULL, CL_SLICE_LIT("x"), NULL, 10), 0);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_PROCEEDING);
	CHECK_INT(h_recv(&h, msg, 3, false), 0);
	CHECK_INT(h.nsent, 2);
	CHECK(same_bytes(&h.sent[1], &h.sent[0]));
	/* Completed: the final again, byte for byte; Timer J = 64*T1 */
	h.now = 1000;
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 200, NULL, CL_SLICE_LIT("x"), NULL, h.now), 0);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_COMPLETED);
	CHECK_INT(h_recv(&h, msg, 3, false), 0);
	CHECK_INT(h.nsent, 4);
	CHECK(same_bytes(&h.sent[3], &h.sent[2]));
	CHECK(sent_is(&h.sent[3], "SIP/2.0 200 OK\r\n"));
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 500, NULL, CL_SLICE_LIT("x"), NULL, h.now), EPROTO);
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 180, NULL, CL_SLICE_LIT("x"), NULL, h.now), EPROTO);
	CHECK_INT(cl_sip_txl_next(h.txl), 1000 + 32000);
	h_run(&h, 32999);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_COMPLETED);
	h_run(&h, 33000);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_TERMINATED);
	CHECK_INT(h.nev, 2);
	/* after J a retransmission is a new request */
	CHECK_INT(h_recv(&h, msg, 3, false), 0);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_REQUEST);
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_nist_reliable_j_zero)
{
	struct h h;
	struct cl_sip_tx *tx;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = recv_new(&h, "REGISTER", "z9hG4bKreg", true)) != NULL);
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 401, NULL, CL_SLICE_LIT("x"), NULL, 0), 0);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_TERMINATED);
	CHECK_INT(cl_sip_txl_count(h.txl), 0);
	CHECK_INT(h.nsent, 1);
	cl_sip_txl_free(h.txl);
}

/* The minimal TU answers from inside its callback: OPTIONS 200, others 501. */
TEST(sip_tx_tu_answers_in_callback)
{
	struct h h;

	CHECK_INT(h_init(&h, NULL), 0);
	h.reply_in_callback = true;
	CHECK(recv_new(&h, "OPTIONS", "z9hG4bKcb1", false) != NULL);
	CHECK_INT(h.nsent, 1);
	CHECK(sent_is(&h.sent[0], "SIP/2.0 200 OK\r\n"));
	CHECK(recv_new(&h, "SUBSCRIBE", "z9hG4bKcb2", true) != NULL);
	CHECK(sent_is(last_sent(&h), "SIP/2.0 501 Not Implemented\r\n"));
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_TERMINATED); /* reliable: J = 0 */
	CHECK(recv_new(&h, "INVITE", "z9hG4bKcb3", false) != NULL);
	CHECK(sent_is(last_sent(&h), "SIP/2.0 501 "));
	h_run(&h, 1000);
	CHECK(sent_is(last_sent(&h), "SIP/2.0 501 ")); /* G, no 100 Trying */
	CHECK_INT(cl_sip_txl_count(h.txl), 2);
	cl_sip_txl_free(h.txl);
}

/* ---- CANCEL, stray ACK, RFC 2543 ---- */

TEST(sip_tx_cancel_matches_invite)
{
	struct h h;
	struct cl_sip_tx *inv, *can;
	char msg[MSGMAX], ack[MSGMAX];

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((inv = recv_new(&h, "INVITE", "z9hG4bKc1", false)) != NULL);
	CHECK_INT(cl_sip_txl_reply(h.txl, inv, 180, NULL, CL_SLICE_LIT("tt"), NULL, 0), 0);
	peer_req(msg, sizeof(msg), "CANCEL", "z9hG4bKc1", "CANCEL", NULL);
	CHECK_INT(h_recv(&h, msg, 3, false), 0);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_CANCEL);
	CHECK(last_ev(&h)->cancelled == inv);
	can = last_ev(&h)->tx;
	CHECK(can != inv);
	CHECK_INT(cl_sip_tx_kind(can), CL_SIP_TX_NIST);
	CHECK_INT(cl_sip_txl_count(h.txl), 2);
	/* §9.2: 200 to the CANCEL, 487 to the INVITE, the ACK confirms it */
	CHECK_INT(cl_sip_txl_reply(h.txl, can, 200, NULL, CL_SLICE_LIT("tt"), NULL, 0), 0);
	CHECK(strstr(last_sent(&h)->buf, "CSeq: 1 CANCEL\r\n") != NULL);
	CHECK_INT(cl_sip_txl_reply(h.txl, inv, 487, NULL, CL_SLICE_LIT("tt"), NULL, 0), 0);
	CHECK(strstr(last_sent(&h)->buf, "CSeq: 1 INVITE\r\n") != NULL);
	/* a retransmitted CANCEL hits its own tx, not a new one */
	CHECK_INT(h_recv(&h, msg, 3, false), 0);
	CHECK(strstr(last_sent(&h)->buf, "CSeq: 1 CANCEL\r\n") != NULL);
	CHECK_INT(count_ev(&h, CL_SIP_TXE_CANCEL), 1);
	peer_req(ack, sizeof(ack), "ACK", "z9hG4bKc1", "ACK", "tt");
	CHECK_INT(h_recv(&h, ack, 3, false), 0);
	CHECK_INT(cl_sip_tx_state(inv), CL_SIP_TX_CONFIRMED);
	/* a CANCEL for nothing: the TU learns there is no INVITE (it answers 481) */
	peer_req(msg, sizeof(msg), "CANCEL", "z9hG4bKnone", "CANCEL", NULL);
	CHECK_INT(h_recv(&h, msg, 3, false), 0);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_CANCEL);
	CHECK(last_ev(&h)->cancelled == NULL);
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_matching_sent_by_and_2543)
{
	struct h h;
	char msg[MSGMAX];
	static const char old[] =
		"INVITE sip:bob@edge.example SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 192.0.2.9\r\n"
		"To: <sip:bob@edge.example>\r\nFrom: <sip:x@old.example>;tag=o1\r\n"
		"Call-ID: old-1\r\nCSeq: 8 INVITE\r\nContent-Length: 0\r\n\r\n";
	static const char old_ack[] =
		"ACK sip:bob@edge.example SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 192.0.2.9\r\n"
		"To: <sip:bob@edge.example>;tag=z\r\nFrom: <sip:x@old.example>;tag=o1\r\n"
		"Call-ID: old-1\r\nCSeq: 8 ACK\r\nContent-Length: 0\r\n\r\n";
	struct cl_sip_tx *tx;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK(recv_new(&h, "OPTIONS", "z9hG4bKsame", false) != NULL);
	/* same branch from another sent-by: another transaction (§17.2.3) */
	peer_req(msg, sizeof(msg), "OPTIONS", "z9hG4bKsame", "OPTIONS", NULL);
	{
		char *v = strstr(msg, "192.0.2.1:5060");

		CHECK(v != NULL);
		v[8] = '2';
	}
	CHECK_INT(h_recv(&h, msg, 3, false), 0);
	CHECK_INT(count_ev(&h, CL_SIP_TXE_REQUEST), 2);
	/* the branch compares case-insensitively (§7.3.1): a retransmission */
	peer_req(msg, sizeof(msg), "OPTIONS", "z9hG4bKSAME", "OPTIONS", NULL);
	CHECK_INT(h_recv(&h, msg, 3, false), 0);
	CHECK_INT(count_ev(&h, CL_SIP_TXE_REQUEST), 2);
	/* RFC 2543: no cookie, matched on the request's identity */
	CHECK_INT(h_recv(&h, old, 4, false), 0);
	CHECK_INT(count_ev(&h, CL_SIP_TXE_REQUEST), 3);
	tx = last_ev(&h)->tx;
	CHECK_INT(h_recv(&h, old, 4, false), 0);
	CHECK_INT(count_ev(&h, CL_SIP_TXE_REQUEST), 3);
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 486, NULL, CL_SLICE_LIT("z"), NULL, 0), 0);
	CHECK_INT(h_recv(&h, old_ack, 4, false), 0);
	CHECK_INT(cl_sip_tx_state(tx), CL_SIP_TX_CONFIRMED);
	cl_sip_txl_free(h.txl);
}

/* ---- the cap ---- */

TEST(sip_tx_cap_503)
{
	struct h h;
	struct cl_sip_txl_cfg cfg;
	char msg[MSGMAX], req[MSGMAX];
	size_t rl;
	struct cl_sip_msg r;
	struct cl_sip_error err;

	cl_sip_txl_cfg_init(&cfg);
	cfg.max_tx = 2;
	CHECK_INT(h_init(&h, &cfg), 0);
	CHECK(recv_new(&h, "OPTIONS", "z9hG4bKm1", false) != NULL);
	CHECK(recv_new(&h, "INVITE", "z9hG4bKm2", false) != NULL);
	CHECK_INT(cl_sip_txl_count(h.txl), 2);
	/* the third: a stateless 503 on its flow, the TU never sees it */
	peer_req(msg, sizeof(msg), "REGISTER", "z9hG4bKm3", "REGISTER", NULL);
	CHECK_INT(h_recv(&h, msg, 5, false), 0);
	CHECK_INT(h.nev, 2);
	CHECK_INT(h.nsent, 1);
	CHECK_INT(h.sent[0].flow, 5);
	CHECK(h.sent[0].tx == NULL);
	CHECK_INT(cl_sip_parse(&r, h.sent[0].buf, h.sent[0].len, NULL, &err), 0);
	CHECK_INT(r.status, 503);
	CHECK(r.to.has_tag);
	CHECK(cl_slice_eq(r.cseq.method, CL_SLICE_LIT("REGISTER")));
	CHECK_INT(cl_sip_txl_stats(h.txl)->rejected_503, 1);
	/* retransmissions of existing ones still match; ACKs still pass */
	peer_req(msg, sizeof(msg), "OPTIONS", "z9hG4bKm1", "OPTIONS", NULL);
	CHECK_INT(h_recv(&h, msg, 3, false), 0);
	CHECK_INT(h.nsent, 1);
	peer_req(msg, sizeof(msg), "ACK", "z9hG4bKm9", "ACK", "t");
	CHECK_INT(h_recv(&h, msg, 3, false), 0);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_ACK);
	/* the TU's own requests get ENOSPC */
	CHECK(start_client(&h, "OPTIONS", false, req, &rl) == NULL);
	CHECK_INT(cl_sip_txl_request(h.txl, req, rl, 1, false, 0, NULL, NULL), ENOSPC);
	cl_sip_txl_free(h.txl);
}

/* ---- transport errors on the server side, re-entrancy, config ---- */

TEST(sip_tx_server_transport_errors)
{
	struct h h;
	struct cl_sip_tx *tx;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = recv_new(&h, "INVITE", "z9hG4bKe1", false)) != NULL);
	h.send_rc = ECONNREFUSED;
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 486, NULL, CL_SLICE_LIT("u"), NULL, 0), ECONNREFUSED);
	CHECK_INT(h.ev[1].type, CL_SIP_TXE_TRANSPORT_ERROR);
	CHECK_INT(h.ev[1].err, ECONNREFUSED);
	CHECK_INT(h.ev[2].type, CL_SIP_TXE_TERMINATED);
	CHECK_INT(cl_sip_txl_next(h.txl), UINT64_MAX);
	/* the 100 Trying fails to go out */
	CHECK((tx = recv_new(&h, "INVITE", "z9hG4bKe2", false)) != NULL);
	h_run(&h, 200);
	CHECK_INT(last_ev(&h)->type, CL_SIP_TXE_TERMINATED);
	CHECK_INT(h.ev[h.nev - 2].type, CL_SIP_TXE_TRANSPORT_ERROR);
	/* a flow dies with two server tx and one client tx on it, none elsewhere */
	h.send_rc = 0;
	CHECK(recv_new(&h, "OPTIONS", "z9hG4bKe3", true) != NULL);
	CHECK(recv_new(&h, "INVITE", "z9hG4bKe4", true) != NULL);
	CHECK_INT(cl_sip_txl_count(h.txl), 2);
	CHECK_INT(cl_sip_txl_transport_error(h.txl, 3, 0, h.now), 2);
	CHECK_INT(cl_sip_txl_count(h.txl), 0);
	CHECK_INT(cl_sip_txl_stats(h.txl)->transport_errors, 4);
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_reentrant_transport_error_in_send)
{
	struct h h;
	struct cl_sip_tx *tx;
	char req[MSGMAX];
	size_t rl;

	CHECK_INT(h_init(&h, NULL), 0);
	CHECK((tx = start_client(&h, "OPTIONS", false, req, &rl)) != NULL);
	h.kill_flow_in_send = true; /* the driver learns of the failure while sending */
	h_run(&h, 500);
	CHECK_INT(h.nsent, 2);
	CHECK_INT(count_ev(&h, CL_SIP_TXE_TRANSPORT_ERROR), 1);
	CHECK_INT(count_ev(&h, CL_SIP_TXE_TERMINATED), 1);
	CHECK_INT(cl_sip_txl_next(h.txl), UINT64_MAX);
	/* server side: the flow dies while the final goes out */
	CHECK((tx = recv_new(&h, "OPTIONS", "z9hG4bKre", false)) != NULL);
	h.kill_flow_in_send = true;
	CHECK_INT(cl_sip_txl_reply(h.txl, tx, 200, NULL, CL_SLICE_LIT("x"), NULL, h.now), 0);
	CHECK_INT(count_ev(&h, CL_SIP_TXE_TERMINATED), 2);
	CHECK_INT(cl_sip_txl_count(h.txl), 0);
	cl_sip_txl_free(h.txl);
}

TEST(sip_tx_config_and_stray)
{
	struct h h;
	struct cl_sip_txl_cfg cfg;
	struct cl_sip_txl *x = NULL;
	char req[MSGMAX];
	size_t rl;
	static const char stray[] =
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP edge.example;branch=z9hG4bKnobody\r\n"
		"To: <sip:a@b>;tag=1\r\nFrom: <sip:c@d>;tag=2\r\nCall-ID: s\r\nCSeq: 1 OPTIONS\r\n"
		"Content-Length: 0\r\n\r\n";

	cl_sip_txl_cfg_init(&cfg);
	CHECK_INT(cfg.t1_ms, 500);
	CHECK_INT(cfg.t2_ms, 4000);
	CHECK_INT(cfg.t4_ms, 5000);
	cfg.t2_ms = 100; /* below T1 */
	CHECK_INT(cl_sip_txl_new(&x, &cfg, h_send, h_event, NULL), EINVAL);
	CHECK_INT(cl_sip_txl_new(&x, NULL, NULL, h_event, NULL), EINVAL);
	/* T1 = 100 ms: every timer scales */
	cl_sip_txl_cfg_init(&cfg);
	cfg.t1_ms = 100;
	cfg.t2_ms = 400;
	CHECK_INT(h_init(&h, &cfg), 0);
	CHECK(start_client(&h, "INVITE", false, req, &rl) != NULL);
	CHECK_INT(cl_sip_txl_next(h.txl), 100);
	h_run(&h, 6400);
	CHECK_INT(count_ev(&h, CL_SIP_TXE_TIMEOUT), 1);
	CHECK_INT(h.ev[0].at, 6400);
	CHECK_INT(h.nsent, 7);
	CHECK_INT(h_recv(&h, stray, 1, false), 0);
	CHECK_INT(cl_sip_txl_stats(h.txl)->stray_responses, 1);
	CHECK_INT(h.nev, 2);
	cl_sip_txl_free(h.txl);
	cl_sip_txl_free(NULL);
}
