/* The four transaction machines of RFC 3261 §17 with the RFC 6026 Accepted states:
 * INVITE client (§17.1.1), non-INVITE client (§17.1.2), INVITE server (§17.2.1) and
 * non-INVITE server (§17.2.2). Every function here is called inside an enter()/leave()
 * pair of tx.c, and re-reads tx->state after anything that calls out (send, events),
 * since the TU may act on the tx from its callback. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sip/tx_int.h"

static uint64_t t1(const struct cl_sip_tx *tx)
{
	return tx->txl->cfg.t1_ms;
}

static uint64_t t2(const struct cl_sip_tx *tx)
{
	return tx->txl->cfg.t2_ms;
}

static uint64_t t4(const struct cl_sip_tx *tx)
{
	return tx->txl->cfg.t4_ms;
}

static uint64_t t64(const struct cl_sip_tx *tx)
{
	return 64 * t1(tx);
}

static void stop_timers(struct cl_sip_tx *tx)
{
	tx_disarm(tx, TX_RETX);
	tx_disarm(tx, TX_END);
}

/* Replaces a stored message with a copy of buf. Returns 0 or ENOMEM. */
static int keep(char **dst, size_t *dlen, const char *buf, size_t len)
{
	char *p = malloc(len ? len : 1);

	if (!p)
		return ENOMEM;
	memcpy(p, buf, len);
	free(*dst);
	*dst = p;
	*dlen = len;
	return 0;
}

/* Runs a builder into a fresh allocation, doubling the capacity on ENOBUFS. */
static int grow_build(int (*fn)(const void *ctx, char *out, size_t cap, size_t *len),
		      const void *ctx, size_t hint, char **out, size_t *len)
{
	for (size_t cap = hint; cap <= 16 * hint; cap *= 2) {
		char *buf = malloc(cap);
		int rc;

		if (!buf)
			return ENOMEM;
		rc = fn(ctx, buf, cap, len);
		if (rc == 0) {
			*out = buf;
			return 0;
		}
		free(buf);
		if (rc != ENOBUFS)
			return rc;
	}
	return ENOBUFS;
}

struct resp_job {
	const struct cl_sip_msg *req;
	unsigned status;
	const char *reason;
	struct cl_slice tag;
	const struct cl_sip_build_opts *o;
};

static int resp_fn(const void *ctx, char *out, size_t cap, size_t *len)
{
	const struct resp_job *j = ctx;

	return cl_sip_build_response(j->req, j->status, j->reason, j->tag, j->o, out, cap, len);
}

int fsm_build_response(const struct cl_sip_msg *m, unsigned status, const char *reason,
		       struct cl_slice to_tag, const struct cl_sip_build_opts *o,
		       char **out, size_t *len)
{
	struct resp_job j = { m, status, reason, to_tag, o };
	size_t hint = m->head.len + 256 + to_tag.len;

	if (o)
		hint += o->headers.len + o->ctype.len + o->body.len + o->via_received.len;
	return grow_build(resp_fn, &j, hint, out, len);
}

struct ack_job {
	const struct cl_sip_msg *inv, *resp;
};

static int ack_fn(const void *ctx, char *out, size_t cap, size_t *len)
{
	const struct ack_job *j = ctx;

	return cl_sip_build_ack(j->inv, j->resp, out, cap, len);
}

/* ---- clients ---- */

int fsm_client_start(struct cl_sip_tx *tx, uint64_t now)
{
	bool inv = tx->kind == CL_SIP_TX_ICT;

	tx->state = inv ? CL_SIP_TX_CALLING : CL_SIP_TX_TRYING;
	tx->ival = (uint32_t)t1(tx);
	if (!tx->reliable) /* §17.1.1.2 Timer A, §17.1.2.2 Timer E: unreliable only */
		tx_arm(tx, TX_RETX, inv ? 'A' : 'E', now + t1(tx));
	tx_arm(tx, TX_END, inv ? 'B' : 'F', now + t64(tx));
	return 0;
}

/* §17.1.1.3: the ACK for a 300-699, built once and resent as the same bytes. */
static void ict_ack(struct cl_sip_tx *tx, const struct cl_sip_msg *resp)
{
	struct cl_sip_msg inv;
	struct ack_job j = { &inv, resp };
	char *buf;
	size_t len;

	if (tx_parse_req(tx, &inv) != 0 ||
	    grow_build(ack_fn, &j, tx->req_len + resp->head.len + 128, &buf, &len) != 0)
		return; /* the D timer still runs; a retransmitted final tries again */
	free(tx->out);
	tx->out = buf;
	tx->out_len = len;
}

static void ict_final(struct cl_sip_tx *tx, const struct cl_sip_msg *m, uint64_t now)
{
	stop_timers(tx);
	tx->state = CL_SIP_TX_COMPLETED;
	ict_ack(tx, m);
	/* Timer D: ">= 32 s" unreliable, 0 reliable */
	if (!tx->reliable)
		tx_arm(tx, TX_END, 'D', now + tx->txl->cfg.d_ms);
	tx_emit(tx, CL_SIP_TXE_RESPONSE, m, NULL);
	if (tx->state != CL_SIP_TX_COMPLETED || !tx->out)
		return;
	if (tx_send(tx, tx->out, tx->out_len) == 0 && tx->reliable)
		tx_end(tx);
}

static void ict_response(struct cl_sip_tx *tx, const struct cl_sip_msg *m, uint64_t now)
{
	unsigned s = m->status;

	switch (tx->state) {
	case CL_SIP_TX_CALLING:
	case CL_SIP_TX_PROCEEDING:
		tx->status = s;
		if (s < 200) { /* Proceeding: A and B stop (§17.1.1.2) */
			stop_timers(tx);
			tx->state = CL_SIP_TX_PROCEEDING;
		} else if (s < 300) { /* RFC 6026 §8.4: Accepted, Timer M */
			stop_timers(tx);
			tx->state = CL_SIP_TX_ACCEPTED;
			tx_arm(tx, TX_END, 'M', now + t64(tx));
		} else {
			ict_final(tx, m, now);
			return;
		}
		tx_emit(tx, CL_SIP_TXE_RESPONSE, m, NULL);
		return;
	case CL_SIP_TX_COMPLETED: /* a retransmitted final: the same ACK again */
		tx->txl->st.retrans_absorbed++;
		if (s >= 300 && tx->out)
			(void)tx_send(tx, tx->out, tx->out_len);
		return;
	case CL_SIP_TX_ACCEPTED: /* RFC 6026 §8.4: 2xx (retransmitted or forked) to the TU */
		if (s >= 200 && s < 300)
			tx_emit(tx, CL_SIP_TXE_RESPONSE, m, NULL);
		else
			tx->txl->st.stray_responses++;
		return;
	default:
		return;
	}
}

static void nict_response(struct cl_sip_tx *tx, const struct cl_sip_msg *m, uint64_t now)
{
	unsigned s = m->status;

	if (tx->state == CL_SIP_TX_COMPLETED) { /* §17.1.2.2: absorbed */
		tx->txl->st.retrans_absorbed++;
		return;
	}
	if (tx->state != CL_SIP_TX_TRYING && tx->state != CL_SIP_TX_PROCEEDING)
		return;
	tx->status = s;
	if (s < 200) { /* Proceeding: E goes on (at T2 from its next firing) */
		tx->state = CL_SIP_TX_PROCEEDING;
		tx_emit(tx, CL_SIP_TXE_RESPONSE, m, NULL);
		return;
	}
	stop_timers(tx);
	tx->state = CL_SIP_TX_COMPLETED;
	if (!tx->reliable) /* Timer K: T4 unreliable, 0 reliable */
		tx_arm(tx, TX_END, 'K', now + t4(tx));
	tx_emit(tx, CL_SIP_TXE_RESPONSE, m, NULL);
	if (tx->reliable && tx->state == CL_SIP_TX_COMPLETED)
		tx_end(tx);
}

void fsm_client_response(struct cl_sip_tx *tx, const struct cl_sip_msg *m, uint64_t now)
{
	if (tx->kind == CL_SIP_TX_ICT)
		ict_response(tx, m, now);
	else
		nict_response(tx, m, now);
}

/* ---- servers ---- */

/* §17.2.1: the 100 Trying for a slow TU. It is built when the INVITE arrives (into
 * tx->out, status still 0), so the timer path only sends stored bytes. */
static void ist_prepare_trying(struct cl_sip_tx *tx, const struct cl_sip_msg *m)
{
	char *buf;
	size_t len;

	if (fsm_build_response(m, 100, NULL, (struct cl_slice){ NULL, 0 }, NULL, &buf, &len) != 0)
		return; /* no 100 then: the TU's own provisional still stops Timer A */
	tx->out = buf;
	tx->out_len = len;
}

static void ist_trying(struct cl_sip_tx *tx)
{
	tx_disarm(tx, TX_RETX);
	if (!tx->out || tx->status)
		return;
	tx->status = 100;
	(void)tx_send(tx, tx->out, tx->out_len);
}

void fsm_server_start(struct cl_sip_tx *tx, const struct cl_sip_msg *m,
		      struct cl_sip_tx *cancelled, uint64_t now)
{
	uint32_t trying = tx->txl->cfg.trying_ms;

	if (tx->kind == CL_SIP_TX_NIST) {
		tx->state = CL_SIP_TX_TRYING;
		tx_emit(tx, cancelled || cl_slice_eq(m->method, CL_SLICE_LIT("CANCEL"))
			    ? CL_SIP_TXE_CANCEL : CL_SIP_TXE_REQUEST, m, cancelled);
		return;
	}
	tx->state = CL_SIP_TX_PROCEEDING;
	ist_prepare_trying(tx, m);
	if (trying)
		tx_arm(tx, TX_RETX, 'T', now + trying);
	tx_emit(tx, CL_SIP_TXE_REQUEST, m, NULL);
	/* trying_ms 0: at once, unless the TU answered inside its callback */
	if (!trying && tx->state == CL_SIP_TX_PROCEEDING && !tx->status)
		ist_trying(tx);
}

void fsm_server_retransmit(struct cl_sip_tx *tx, uint64_t now)
{
	if (tx->state == CL_SIP_TX_PROCEEDING && !tx->status && tx->kind == CL_SIP_TX_IST) {
		ist_trying(tx); /* nothing sent yet: the 100 now */
		return;
	}
	/* Proceeding: the last provisional again; Completed: the final again (§17.2.1,
	 * §17.2.2). Trying, Confirmed, Accepted (RFC 6026 §8.7): absorbed. */
	if ((tx->state == CL_SIP_TX_PROCEEDING || tx->state == CL_SIP_TX_COMPLETED) && tx->out)
		(void)tx_send(tx, tx->out, tx->out_len);
}

void fsm_server_ack(struct cl_sip_tx *tx, const struct cl_sip_msg *m, uint64_t now)
{
	struct cl_sip_txl *txl = tx->txl;

	if (tx->kind != CL_SIP_TX_IST) {
		txl->st.stray_acks++;
		return;
	}
	switch (tx->state) {
	case CL_SIP_TX_COMPLETED: /* §17.2.1: Confirmed, G and H stop, Timer I */
		stop_timers(tx);
		tx->state = CL_SIP_TX_CONFIRMED;
		if (tx->reliable)
			tx_end(tx);
		else
			tx_arm(tx, TX_END, 'I', now + t4(tx));
		return;
	case CL_SIP_TX_CONFIRMED:
		txl->st.retrans_absorbed++;
		return;
	case CL_SIP_TX_ACCEPTED: /* RFC 6026 §8.7: the ACK for the 2xx goes to the TU */
		tx_emit(tx, CL_SIP_TXE_ACK, m, NULL);
		return;
	default:
		txl->st.stray_acks++;
		return;
	}
}

static int ist_respond(struct cl_sip_tx *tx, const char *buf, size_t len, unsigned status,
		       uint64_t now)
{
	int rc;

	if (tx->state == CL_SIP_TX_ACCEPTED) { /* RFC 6026 §8.6: the TU's 2xx retransmissions */
		if (status < 200 || status >= 300)
			return EPROTO;
		return tx_send(tx, buf, len);
	}
	if (tx->state != CL_SIP_TX_PROCEEDING)
		return EPROTO;
	if ((rc = keep(&tx->out, &tx->out_len, buf, len)) != 0)
		return rc;
	tx->status = status;
	tx_disarm(tx, TX_RETX); /* no 100 from us any more */
	if (status >= 200 && status < 300) {
		tx->state = CL_SIP_TX_ACCEPTED;
		tx_arm(tx, TX_END, 'L', now + t64(tx));
	} else if (status >= 300) {
		tx->state = CL_SIP_TX_COMPLETED;
		tx->ival = (uint32_t)t1(tx);
		if (!tx->reliable)
			tx_arm(tx, TX_RETX, 'G', now + t1(tx));
		tx_arm(tx, TX_END, 'H', now + t64(tx));
	}
	return tx_send(tx, tx->out, tx->out_len);
}

static int nist_respond(struct cl_sip_tx *tx, const char *buf, size_t len, unsigned status,
			uint64_t now)
{
	int rc;

	if (tx->state != CL_SIP_TX_TRYING && tx->state != CL_SIP_TX_PROCEEDING)
		return EPROTO; /* §17.2.2: other finals are discarded */
	if ((rc = keep(&tx->out, &tx->out_len, buf, len)) != 0)
		return rc;
	tx->status = status;
	if (status < 200) {
		tx->state = CL_SIP_TX_PROCEEDING;
		return tx_send(tx, tx->out, tx->out_len);
	}
	tx->state = CL_SIP_TX_COMPLETED;
	if (!tx->reliable) /* Timer J: 64*T1 unreliable, 0 reliable */
		tx_arm(tx, TX_END, 'J', now + t64(tx));
	rc = tx_send(tx, tx->out, tx->out_len);
	if (rc == 0 && tx->reliable)
		tx_end(tx);
	return rc == ECANCELED ? 0 : rc;
}

int fsm_server_respond(struct cl_sip_tx *tx, const char *buf, size_t len, unsigned status,
		       uint64_t now)
{
	int rc = tx->kind == CL_SIP_TX_IST ? ist_respond(tx, buf, len, status, now)
					   : nist_respond(tx, buf, len, status, now);

	return rc == ECANCELED ? 0 : rc;
}

/* ---- timers ---- */

static void fire_retx(struct cl_sip_tx *tx, char name, uint64_t now)
{
	switch (name) {
	case 'A': /* §17.1.1.2: doubling, no cap */
		tx->ival *= 2;
		tx_arm(tx, TX_RETX, 'A', now + tx->ival);
		(void)tx_send(tx, tx->req, tx->req_len);
		return;
	case 'E': /* §17.1.2.2: doubling up to T2; T2 in Proceeding */
		tx->ival = tx->state == CL_SIP_TX_PROCEEDING ? (uint32_t)t2(tx)
							      : (uint32_t)CL_MIN(2 * (uint64_t)tx->ival, t2(tx));
		tx_arm(tx, TX_RETX, 'E', now + tx->ival);
		(void)tx_send(tx, tx->req, tx->req_len);
		return;
	case 'G': /* §17.2.1: doubling up to T2 */
		tx->ival = (uint32_t)CL_MIN(2 * (uint64_t)tx->ival, t2(tx));
		tx_arm(tx, TX_RETX, 'G', now + tx->ival);
		(void)tx_send(tx, tx->out, tx->out_len);
		return;
	case 'T':
		ist_trying(tx);
		return;
	default:
		return;
	}
}

void fsm_fire(struct cl_sip_tx *tx, int slot, uint64_t now)
{
	char name = tx->name[slot];

	tx_disarm(tx, slot);
	cl_debug("sip-tx", "%s timer %c fired in %s", cl_sip_tx_kind_name(tx->kind), name,
		 cl_sip_tx_state_name(tx->state));
	if (slot == TX_RETX) {
		fire_retx(tx, name, now);
		return;
	}
	switch (name) {
	case 'B': /* §17.1.1.2 */
	case 'F': /* §17.1.2.2 */
	case 'H': /* §17.2.1: the ACK never came */
		tx_fail(tx, CL_SIP_TXE_TIMEOUT, ETIMEDOUT);
		return;
	default:  /* D, I, J, K, L, M: the wait is over */
		tx_end(tx);
		return;
	}
}
