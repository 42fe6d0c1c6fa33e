/* The SIP transaction layer (RFC 3261 §17, RFC 6026), sans-I/O: the transaction table
 * (§17.1.3, §17.2.3 matching), the timer heap, dispatch of received messages and the TU
 * calls. The four machines are in tx_fsm.c; sip.h documents the interface. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sip/tx_int.h"

static const char *MOD = "sip-tx";

void cl_sip_txl_cfg_init(struct cl_sip_txl_cfg *cfg)
{
	*cfg = (struct cl_sip_txl_cfg){ .t1_ms = 500, .t2_ms = 4000, .t4_ms = 5000,
					.trying_ms = 200, .d_ms = 32000, .max_tx = 8192 };
}

/* ---- keys and the table ---- */

static uint32_t mix(uint32_t h, struct cl_slice s, bool fold)
{
	for (size_t i = 0; i < s.len; i++) {
		uint8_t c = (uint8_t)s.p[i];

		if (fold && c >= 'A' && c <= 'Z')
			c = (uint8_t)(c + 32);
		h = (h ^ c) * 16777619u; /* FNV-1a */
	}
	return h;
}

static uint32_t key_hash(const struct cl_sip_txl *txl, const struct tx_key *k)
{
	uint32_t h = 2166136261u ^ txl->seed;

	if (!k->server || k->cookie)
		return mix(h, k->branch, true); /* branch: case-insensitive (§7.3.1) */
	return mix(h, k->call_id, false) ^ k->cseq;
}

static bool key_eq(const struct tx_key *a, const struct tx_key *b)
{
	if (a->server != b->server || a->cookie != b->cookie || !cl_slice_eq(a->method, b->method))
		return false;
	if (!a->server)
		return cl_slice_casecmp_eq(a->branch, b->branch);
	if (a->port != b->port || !cl_slice_casecmp_eq(a->host, b->host))
		return false;
	if (a->cookie)
		return cl_slice_casecmp_eq(a->branch, b->branch);
	/* RFC 2543 (§17.2.3 last paragraphs), without the To tag */
	return cl_slice_eq(a->call_id, b->call_id) && a->cseq == b->cseq &&
	       cl_slice_casecmp_eq(a->from_tag, b->from_tag) && cl_slice_eq(a->ruri, b->ruri) &&
	       cl_slice_eq(a->branch, b->branch);
}

static void key_from(struct tx_key *k, const struct cl_sip_msg *m, bool server)
{
	struct cl_slice br = m->via.has_branch ? m->via.branch : (struct cl_slice){ NULL, 0 };

	*k = (struct tx_key){
		.server = server,
		.cookie = br.len >= 7 && memcmp(br.p, CL_SIP_BRANCH_COOKIE, 7) == 0,
		.method = m->is_request ? m->method : m->cseq.method,
		.branch = br,
		.call_id = m->call_id,
		.from_tag = m->from.tag,
		.ruri = m->ruri_text,
		.cseq = m->cseq.num,
	};
	if (server) {
		k->host = m->via.host;
		k->port = m->via.port;
	}
}

/* Moves a slice from the message at old onto its copy at copy. */
static struct cl_slice rebase(struct cl_slice s, const char *old, size_t len, const char *copy)
{
	if (!s.len || s.p < old || s.p + s.len > old + len)
		return (struct cl_slice){ copy, 0 };
	return (struct cl_slice){ copy + (s.p - old), s.len };
}

static void key_rebase(struct tx_key *k, const char *old, size_t len, const char *copy)
{
	k->method = rebase(k->method, old, len, copy);
	k->branch = rebase(k->branch, old, len, copy);
	k->host = rebase(k->host, old, len, copy);
	k->call_id = rebase(k->call_id, old, len, copy);
	k->from_tag = rebase(k->from_tag, old, len, copy);
	k->ruri = rebase(k->ruri, old, len, copy);
}

static struct cl_sip_tx *find(const struct cl_sip_txl *txl, const struct tx_key *k)
{
	struct cl_sip_tx *tx = txl->buckets[key_hash(txl, k) & (txl->nbuckets - 1)];

	for (; tx; tx = tx->hnext)
		if (key_eq(&tx->key, k))
			return tx;
	return NULL;
}

static void table_remove(struct cl_sip_tx *tx)
{
	struct cl_sip_txl *txl = tx->txl;
	struct cl_sip_tx **pp = &txl->buckets[tx->hash & (txl->nbuckets - 1)];

	for (; *pp; pp = &(*pp)->hnext)
		if (*pp == tx) {
			*pp = tx->hnext;
			return;
		}
}

/* ---- the timer heap: a min-heap on each tx's earliest deadline ---- */

static uint64_t due(const struct cl_sip_tx *tx)
{
	return CL_MIN(tx->due[TX_RETX], tx->due[TX_END]);
}

static void heap_set(struct cl_sip_txl *txl, size_t i, struct cl_sip_tx *tx)
{
	txl->heap[i] = tx;
	tx->heap_idx = i;
}

static void sift_up(struct cl_sip_txl *txl, size_t i)
{
	struct cl_sip_tx *tx = txl->heap[i];

	while (i > 0 && due(txl->heap[(i - 1) / 2]) > due(tx)) {
		heap_set(txl, i, txl->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(txl, i, tx);
}

static void sift_down(struct cl_sip_txl *txl, size_t i)
{
	struct cl_sip_tx *tx = txl->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= txl->nheap)
			break;
		if (c + 1 < txl->nheap && due(txl->heap[c + 1]) < due(txl->heap[c]))
			c++;
		if (due(txl->heap[c]) >= due(tx))
			break;
		heap_set(txl, i, txl->heap[c]);
		i = c;
	}
	heap_set(txl, i, tx);
}

static void heap_fix(struct cl_sip_tx *tx)
{
	struct cl_sip_txl *txl = tx->txl;
	size_t i = tx->heap_idx;

	if (due(tx) == TX_OFF) {
		if (i == SIZE_MAX)
			return;
		tx->heap_idx = SIZE_MAX;
		if (i != --txl->nheap) {
			heap_set(txl, i, txl->heap[txl->nheap]);
			sift_up(txl, i);
			sift_down(txl, txl->heap[i]->heap_idx);
		}
		return;
	}
	if (i == SIZE_MAX) { /* nheap < max_tx: only live tx are in the heap */
		i = txl->nheap++;
		heap_set(txl, i, tx);
	}
	sift_up(txl, i);
	sift_down(txl, tx->heap_idx);
}

void tx_arm(struct cl_sip_tx *tx, int slot, char name, uint64_t at)
{
	tx->due[slot] = at;
	tx->name[slot] = name;
	heap_fix(tx);
}

void tx_disarm(struct cl_sip_tx *tx, int slot)
{
	if (tx->due[slot] == TX_OFF)
		return;
	tx->due[slot] = TX_OFF;
	heap_fix(tx);
}

/* ---- lifetime: callbacks may re-enter, so a tx is freed only at the outermost exit ---- */

static void enter(struct cl_sip_txl *txl)
{
	txl->depth++;
}

static void tx_free(struct cl_sip_tx *tx)
{
	free(tx->req);
	free(tx->out);
	free(tx);
}

static void leave(struct cl_sip_txl *txl)
{
	if (--txl->depth)
		return;
	while (txl->dead) {
		struct cl_sip_tx *tx = txl->dead;

		txl->dead = tx->dnext;
		if (tx->prev)
			tx->prev->next = tx->next;
		else
			txl->all = tx->next;
		if (tx->next)
			tx->next->prev = tx->prev;
		tx_free(tx);
	}
}

static void emit(struct cl_sip_txl *txl, const struct cl_sip_txe *ev)
{
	txl->event(txl->arg, ev);
}

void tx_emit(struct cl_sip_tx *tx, enum cl_sip_txe_type type, const struct cl_sip_msg *m,
	     struct cl_sip_tx *cancelled)
{
	struct cl_sip_txe ev = { .type = type, .tx = tx, .cancelled = cancelled, .msg = m,
				 .flow = tx->flow, .reliable = tx->reliable };

	emit(tx->txl, &ev);
}

static bool detach(struct cl_sip_tx *tx)
{
	struct cl_sip_txl *txl = tx->txl;

	if (tx->state == CL_SIP_TX_TERMINATED)
		return false;
	cl_debug(MOD, "%s %.*s %s -> Terminated", cl_sip_tx_kind_name(tx->kind),
		 (int)tx->key.branch.len, tx->key.branch.p, cl_sip_tx_state_name(tx->state));
	tx->state = CL_SIP_TX_TERMINATED;
	tx->due[TX_RETX] = tx->due[TX_END] = TX_OFF;
	heap_fix(tx);
	table_remove(tx);
	txl->live--;
	tx->dnext = txl->dead;
	txl->dead = tx;
	return true;
}

void tx_end(struct cl_sip_tx *tx)
{
	if (detach(tx))
		tx_emit(tx, CL_SIP_TXE_TERMINATED, NULL, NULL);
}

void tx_fail(struct cl_sip_tx *tx, enum cl_sip_txe_type type, int err)
{
	struct cl_sip_txe ev = { .type = type, .tx = tx, .flow = tx->flow,
				 .reliable = tx->reliable, .err = err };

	if (!detach(tx))
		return;
	if (type == CL_SIP_TXE_TIMEOUT)
		tx->txl->st.timeouts++;
	else
		tx->txl->st.transport_errors++;
	emit(tx->txl, &ev);
	tx_emit(tx, CL_SIP_TXE_TERMINATED, NULL, NULL);
}

int tx_send(struct cl_sip_tx *tx, const char *buf, size_t len)
{
	int rc = tx->txl->send(tx->txl->arg, tx, tx->flow, buf, len);

	if (rc) {
		tx_fail(tx, CL_SIP_TXE_TRANSPORT_ERROR, rc);
		return rc;
	}
	return tx->state == CL_SIP_TX_TERMINATED ? ECANCELED : 0;
}

int tx_parse_req(const struct cl_sip_tx *tx, struct cl_sip_msg *m)
{
	struct cl_sip_parse_opts o = { CL_SIP_DGRAM, CL_MAX(tx->req_len, CL_SIP_DEFAULT_MAX_SIZE) };
	struct cl_sip_error err;

	return cl_sip_parse(m, tx->req, tx->req_len, &o, &err) ? EBADMSG : 0;
}

/* ---- creating transactions ---- */

static struct cl_sip_tx *tx_new(struct cl_sip_txl *txl, enum cl_sip_tx_kind kind,
				const char *raw, size_t len, uint64_t flow, bool reliable)
{
	struct cl_sip_tx *tx = calloc(1, sizeof(*tx));

	if (!tx || !(tx->req = malloc(len ? len : 1))) {
		free(tx);
		return NULL;
	}
	memcpy(tx->req, raw, len);
	tx->req_len = len;
	tx->txl = txl;
	tx->kind = kind;
	tx->flow = flow;
	tx->reliable = reliable;
	tx->due[TX_RETX] = tx->due[TX_END] = TX_OFF;
	tx->heap_idx = SIZE_MAX;
	return tx;
}

static void tx_insert(struct cl_sip_tx *tx)
{
	struct cl_sip_txl *txl = tx->txl;
	struct cl_sip_tx **b;

	tx->hash = key_hash(txl, &tx->key);
	b = &txl->buckets[tx->hash & (txl->nbuckets - 1)];
	tx->hnext = *b;
	*b = tx;
	tx->next = txl->all;
	if (txl->all)
		txl->all->prev = tx;
	txl->all = tx;
	txl->live++;
}

int cl_sip_txl_new(struct cl_sip_txl **out, const struct cl_sip_txl_cfg *cfg,
		   cl_sip_txl_send_h *send, cl_sip_txl_event_h *event, void *arg)
{
	struct cl_sip_txl_cfg def;
	struct cl_sip_txl *txl;
	size_t nb = 16;
	int rc = ENOMEM;

	if (!out || !send || !event)
		return EINVAL;
	*out = NULL;
	if (!cfg) {
		cl_sip_txl_cfg_init(&def);
		cfg = &def;
	}
	if (!cfg->t1_ms || cfg->t2_ms < cfg->t1_ms || !cfg->t4_ms || !cfg->max_tx ||
	    cfg->t1_ms > UINT32_MAX / 64)
		return EINVAL;
	while (nb < cfg->max_tx && nb < (1u << 20))
		nb *= 2;
	txl = calloc(1, sizeof(*txl));
	if (!txl)
		return ENOMEM;
	txl->cfg = *cfg;
	txl->send = send;
	txl->event = event;
	txl->arg = arg;
	txl->nbuckets = nb;
	txl->buckets = calloc(nb, sizeof(*txl->buckets));
	txl->heap = calloc(cfg->max_tx, sizeof(*txl->heap));
	if (!txl->buckets || !txl->heap)
		goto out;
	if ((rc = cl_random(&txl->seed, sizeof(txl->seed))) != 0)
		goto out;
	*out = txl;
	return 0;
out:
	cl_sip_txl_free(txl);
	return rc;
}

void cl_sip_txl_free(struct cl_sip_txl *txl)
{
	if (!txl)
		return;
	while (txl->all) {
		struct cl_sip_tx *tx = txl->all;

		txl->all = tx->next;
		tx_free(tx);
	}
	free(txl->buckets);
	free(txl->heap);
	free(txl);
}

/* ---- received messages ---- */

static void recv_response(struct cl_sip_txl *txl, const struct cl_sip_msg *m, uint64_t now)
{
	struct tx_key k;
	struct cl_sip_tx *tx;

	key_from(&k, m, false);
	tx = k.cookie ? find(txl, &k) : NULL;
	if (!tx) {
		txl->st.stray_responses++; /* §18.1.2 with RFC 6026 §8.9: dropped */
		cl_debug(MOD, "stray %u response dropped", m->status);
		return;
	}
	fsm_client_response(tx, m, now);
}

static void recv_ack(struct cl_sip_txl *txl, const struct cl_sip_msg *m, uint64_t flow,
		     bool reliable, uint64_t now)
{
	struct cl_sip_txe ev = { .type = CL_SIP_TXE_ACK, .msg = m, .flow = flow,
				 .reliable = reliable };
	struct tx_key k;
	struct cl_sip_tx *tx;

	key_from(&k, m, true);
	k.method = CL_SLICE_LIT("INVITE"); /* §17.2.3: the ACK matches its INVITE */
	tx = find(txl, &k);
	if (tx) {
		fsm_server_ack(tx, m, now);
		return;
	}
	emit(txl, &ev); /* the ACK for a 2xx: end to end (§17.2.3, §13.3.1.4) */
}

/* Over max_tx: a stateless 503 (issue 4 §3; RFC 3261 §21.5.4). */
static void reject_503(struct cl_sip_txl *txl, const struct cl_sip_msg *m, uint64_t flow)
{
	static const char ra[] = "Retry-After: 5\r\n";
	struct cl_sip_build_opts o = { .headers = CL_SLICE_LIT(ra) };
	char *buf;
	size_t len;

	txl->st.rejected_503++;
	if (fsm_build_response(m, 503, NULL, (struct cl_slice){ NULL, 0 }, &o, &buf, &len) != 0)
		return;
	(void)txl->send(txl->arg, NULL, flow, buf, len);
	free(buf);
}

static int recv_request(struct cl_sip_txl *txl, const struct cl_sip_msg *m, uint64_t flow,
			bool reliable, uint64_t now)
{
	struct cl_sip_tx *tx, *cancelled = NULL;
	struct tx_key k;
	bool invite = cl_slice_eq(m->method, CL_SLICE_LIT("INVITE"));

	if (cl_slice_eq(m->method, CL_SLICE_LIT("ACK"))) {
		recv_ack(txl, m, flow, reliable, now);
		return 0;
	}
	key_from(&k, m, true);
	if ((tx = find(txl, &k)) != NULL) {
		txl->st.retrans_absorbed++;
		fsm_server_retransmit(tx, now);
		return 0;
	}
	if (txl->live >= txl->cfg.max_tx) {
		reject_503(txl, m, flow);
		return 0;
	}
	if (cl_slice_eq(m->method, CL_SLICE_LIT("CANCEL"))) { /* §9.2: find its INVITE */
		struct tx_key ik = k;

		ik.method = CL_SLICE_LIT("INVITE");
		cancelled = find(txl, &ik);
	}
	tx = tx_new(txl, invite ? CL_SIP_TX_IST : CL_SIP_TX_NIST, m->head.p, m->len, flow, reliable);
	if (!tx)
		return ENOMEM;
	tx->key = k;
	key_rebase(&tx->key, m->head.p, m->len, tx->req);
	tx_insert(tx);
	fsm_server_start(tx, m, cancelled, now);
	return 0;
}

int cl_sip_txl_recv(struct cl_sip_txl *txl, const struct cl_sip_msg *m, uint64_t flow,
		    bool reliable, uint64_t now)
{
	int rc = 0;

	if (!txl || !m || !m->head.p)
		return EINVAL;
	enter(txl);
	if (m->is_request)
		rc = recv_request(txl, m, flow, reliable, now);
	else
		recv_response(txl, m, now);
	leave(txl);
	return rc;
}

size_t cl_sip_txl_timer(struct cl_sip_txl *txl, uint64_t now)
{
	size_t n = 0;

	if (!txl)
		return 0;
	enter(txl);
	/* Each firing disarms its slot and re-arms only after now: the loop ends. */
	while (txl->nheap && due(txl->heap[0]) <= now) {
		struct cl_sip_tx *tx = txl->heap[0];
		int slot = tx->due[TX_END] <= tx->due[TX_RETX] ? TX_END : TX_RETX;

		n++;
		fsm_fire(tx, slot, now);
	}
	leave(txl);
	return n;
}

uint64_t cl_sip_txl_next(const struct cl_sip_txl *txl)
{
	return txl && txl->nheap ? due(txl->heap[0]) : UINT64_MAX;
}

size_t cl_sip_txl_transport_error(struct cl_sip_txl *txl, uint64_t flow, int err, uint64_t now)
{
	size_t n = 0;

	if (!txl)
		return 0;
	enter(txl);
	/* terminated tx stay on the list until leave(), so the walk is safe; new ones go
	 * in at the head, behind the walk */
	for (struct cl_sip_tx *tx = txl->all; tx; tx = tx->next) {
		if (tx->flow != flow || tx->state == CL_SIP_TX_TERMINATED)
			continue;
		tx_fail(tx, CL_SIP_TXE_TRANSPORT_ERROR, err ? err : ECONNRESET);
		n++;
	}
	leave(txl);
	return n;
}

/* ---- the TU's calls ---- */

static int client_key(struct cl_sip_txl *txl, const char *req, size_t len,
		      enum cl_sip_tx_kind *kind, struct tx_key *k)
{
	struct cl_sip_parse_opts o = { CL_SIP_DGRAM, CL_MAX(len, CL_SIP_DEFAULT_MAX_SIZE) };
	struct cl_sip_error err;
	struct cl_sip_msg m;

	if (cl_sip_parse(&m, req, len, &o, &err) != 0 || !m.is_request ||
	    cl_slice_eq(m.method, CL_SLICE_LIT("ACK")) || m.head.p != req)
		return EINVAL;
	key_from(k, &m, false);
	if (!k->cookie)
		return EINVAL;
	*kind = cl_slice_eq(m.method, CL_SLICE_LIT("INVITE")) ? CL_SIP_TX_ICT : CL_SIP_TX_NICT;
	return find(txl, k) ? EEXIST : 0;
}

int cl_sip_txl_request(struct cl_sip_txl *txl, const char *req, size_t len, uint64_t flow,
		       bool reliable, uint64_t now, void *data, struct cl_sip_tx **out)
{
	enum cl_sip_tx_kind kind;
	struct cl_sip_tx *tx;
	struct tx_key k;
	int rc;

	if (out)
		*out = NULL;
	if (!txl || !req || !len)
		return EINVAL;
	if ((rc = client_key(txl, req, len, &kind, &k)) != 0)
		return rc;
	if (txl->live >= txl->cfg.max_tx)
		return ENOSPC;
	if (!(tx = tx_new(txl, kind, req, len, flow, reliable)))
		return ENOMEM;
	tx->key = k;
	key_rebase(&tx->key, req, len, tx->req);
	tx->data = data;
	enter(txl);
	rc = txl->send(txl->arg, tx, flow, tx->req, tx->req_len);
	if (rc) { /* never inserted: no events, no tx */
		tx_free(tx);
	} else {
		tx_insert(tx);
		fsm_client_start(tx, now);
		if (out)
			*out = tx;
	}
	leave(txl);
	return rc;
}

/* "SIP/2.0 NNN " at the start: the status, or 0. */
static unsigned status_of(const char *b, size_t len)
{
	unsigned s;

	if (len < 12 || memcmp(b, "SIP/2.0 ", 8) != 0 || b[11] != ' ')
		return 0;
	for (int i = 8; i < 11; i++)
		if (b[i] < '0' || b[i] > '9')
			return 0;
	s = (unsigned)(b[8] - '0') * 100 + (unsigned)(b[9] - '0') * 10 + (unsigned)(b[10] - '0');
	return s >= 100 && s <= 699 ? s : 0;
}

static bool is_server(const struct cl_sip_tx *tx)
{
	return tx->kind == CL_SIP_TX_IST || tx->kind == CL_SIP_TX_NIST;
}

int cl_sip_txl_respond(struct cl_sip_txl *txl, struct cl_sip_tx *tx, const char *resp,
		       size_t len, uint64_t now)
{
	unsigned status;
	int rc;

	if (!txl || !tx || tx->txl != txl || !resp || !is_server(tx))
		return EINVAL;
	if (tx->state == CL_SIP_TX_TERMINATED)
		return ESRCH;
	if (!(status = status_of(resp, len)))
		return EINVAL;
	enter(txl);
	rc = fsm_server_respond(tx, resp, len, status, now);
	leave(txl);
	return rc;
}

int cl_sip_txl_reply(struct cl_sip_txl *txl, struct cl_sip_tx *tx, unsigned status,
		     const char *reason, struct cl_slice to_tag,
		     const struct cl_sip_build_opts *opts, uint64_t now)
{
	struct cl_sip_msg m;
	char *buf;
	size_t len;
	int rc;

	if (!txl || !tx || tx->txl != txl || !is_server(tx))
		return EINVAL;
	if (tx->state == CL_SIP_TX_TERMINATED)
		return ESRCH;
	if ((rc = tx_parse_req(tx, &m)) != 0 ||
	    (rc = fsm_build_response(&m, status, reason, to_tag, opts, &buf, &len)) != 0)
		return rc;
	rc = cl_sip_txl_respond(txl, tx, buf, len, now);
	free(buf);
	return rc;
}

/* ---- accessors ---- */

size_t cl_sip_txl_count(const struct cl_sip_txl *txl)
{
	return txl ? txl->live : 0;
}

const struct cl_sip_txl_stats *cl_sip_txl_stats(const struct cl_sip_txl *txl)
{
	return &txl->st;
}

enum cl_sip_tx_kind cl_sip_tx_kind(const struct cl_sip_tx *tx)
{
	return tx->kind;
}

enum cl_sip_tx_state cl_sip_tx_state(const struct cl_sip_tx *tx)
{
	return tx->state;
}

struct cl_slice cl_sip_tx_request(const struct cl_sip_tx *tx)
{
	return (struct cl_slice){ tx->req, tx->req_len };
}

uint64_t cl_sip_tx_flow(const struct cl_sip_tx *tx)
{
	return tx->flow;
}

bool cl_sip_tx_reliable(const struct cl_sip_tx *tx)
{
	return tx->reliable;
}

unsigned cl_sip_tx_status(const struct cl_sip_tx *tx)
{
	return tx->status;
}

void *cl_sip_tx_data(const struct cl_sip_tx *tx)
{
	return tx->data;
}

void cl_sip_tx_set_data(struct cl_sip_tx *tx, void *data)
{
	tx->data = data;
}

const char *cl_sip_tx_kind_name(enum cl_sip_tx_kind k)
{
	static const char *const n[] = { "ICT", "NICT", "IST", "NIST" };

	return (unsigned)k < CL_ARRAY_SIZE(n) ? n[k] : "?";
}

const char *cl_sip_tx_state_name(enum cl_sip_tx_state s)
{
	static const char *const n[] = { "Calling", "Trying", "Proceeding", "Completed",
					 "Confirmed", "Accepted", "Terminated" };

	return (unsigned)s < CL_ARRAY_SIZE(n) ? n[s] : "?";
}
