/* SIP transports, outgoing side: two transport layers in this process on one real loop
 * over loopback (a "server" with UDP/TCP/TLS listeners that answers requests on the
 * flow they came on, and a "client" that connects). Round trips over UDP, TCP and TLS;
 * reuse of a flow; sends queued before the connection or handshake is up; connect
 * refused; connect timeout (a listener whose accept queue is full drops our SYN);
 * a TLS name mismatch; the flow cap; RFC 5923 alias reuse only for an authenticated
 * TLS peer. The loop runs at most ITERS iterations and GUARD_MS per wait. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loop/loop.h"
#include "net/net.h"
#include "sip/sip.h"
#include "tls_pair.h"

#define ITERS 2000
#define GUARD_MS 5000 /* a bound, never asserted on */

struct side {
	struct cl_sip_tp *tp;
	bool answer;            /* answer requests with 200 on their flow */
	int nreq, nresp, nclose;
	uint64_t req_flow, resp_flow, closed_flow;
	unsigned status;
	int close_err;
	char out[2048];
};

struct rig {
	struct cl_loop *loop;
	struct side srv, cli;
	struct cl_sa udp, tcp, tls, cli_udp;
};

static void on_recv(void *arg, uint64_t flow, bool reliable, const struct cl_sip_msg *m)
{
	struct side *s = arg;
	size_t len;

	(void)reliable;
	if (!m->is_request) {
		s->nresp++;
		s->resp_flow = flow;
		s->status = m->status;
		return;
	}
	s->nreq++;
	s->req_flow = flow;
	if (s->answer && cl_sip_build_response(m, 200, "OK", (struct cl_slice){ "x", 1 }, NULL,
					       s->out, sizeof(s->out), &len) == 0)
		cl_sip_tp_send(s->tp, flow, s->out, len);
}

static void on_close(void *arg, uint64_t flow, int err)
{
	struct side *s = arg;

	s->nclose++;
	s->closed_flow = flow;
	s->close_err = err;
}

/* Runs the loop until *counter reaches want; false when the bounds ran out. */
static bool run_until(struct rig *r, const int *counter, int want)
{
	uint64_t end = cl_loop_clock_mono_ms() + GUARD_MS;

	for (int i = 0; i < ITERS && *counter < want; i++) {
		if (cl_loop_clock_mono_ms() > end)
			return false;
		cl_loop_run_once(r->loop, 10);
	}
	return *counter >= want;
}

static void addr(struct cl_sa *sa)
{
	cl_sa_parse(sa, CL_SLICE_LIT("127.0.0.1:0"));
}

/* A loop, a server (answers; UDP, TCP, and TLS when srv is given) and a client with a UDP
 * listener. cfg (may be NULL) is the client's. */
static bool rig_open(struct rig *r, struct cl_tls_server *srv, const struct cl_sip_tp_cfg *cfg)
{
	memset(r, 0, sizeof(*r));
	r->srv.answer = true;
	addr(&r->udp);
	addr(&r->tcp);
	addr(&r->tls);
	addr(&r->cli_udp);
	return cl_loop_alloc(&r->loop) == 0 &&
	       cl_sip_tp_new(&r->srv.tp, r->loop, NULL, on_recv, on_close, &r->srv) == 0 &&
	       cl_sip_tp_new(&r->cli.tp, r->loop, cfg, on_recv, on_close, &r->cli) == 0 &&
	       cl_sip_tp_listen(r->srv.tp, CL_SIP_TP_UDP, &r->udp, NULL) == 0 &&
	       cl_sip_tp_listen(r->srv.tp, CL_SIP_TP_TCP, &r->tcp, NULL) == 0 &&
	       (!srv || cl_sip_tp_listen(r->srv.tp, CL_SIP_TP_TLS, &r->tls, srv) == 0) &&
	       cl_sip_tp_listen(r->cli.tp, CL_SIP_TP_UDP, &r->cli_udp, NULL) == 0;
}

static void rig_close(struct rig *r)
{
	cl_sip_tp_free(r->cli.tp);
	cl_sip_tp_free(r->srv.tp);
	cl_loop_free(r->loop);
}

/* An OPTIONS request with a Via for transport tpt, sent-by host:port (";alias" added
 * when alias). */
static size_t options(char *buf, size_t cap, const char *tpt, const char *host, unsigned port,
		      bool alias, unsigned n)
{
	int len = snprintf(buf, cap,
			   "OPTIONS sip:edge@127.0.0.1 SIP/2.0\r\n"
			   "Via: SIP/2.0/%s %s:%u;branch=z9hG4bKtp%u%s\r\n"
			   "Max-Forwards: 70\r\nFrom: <sip:a@example.com>;tag=1\r\n"
			   "To: <sip:edge@127.0.0.1>\r\nCall-ID: tp%u@x\r\nCSeq: %u OPTIONS\r\n"
			   "Content-Length: 0\r\n\r\n",
			   tpt, host, port, n, alias ? ";alias" : "", n, n);

	return len > 0 && (size_t)len < cap ? (size_t)len : 0;
}

static int send_options(struct rig *r, struct side *s, uint64_t flow, const char *tpt, unsigned n)
{
	char buf[1024];
	size_t len = options(buf, sizeof(buf), tpt, "127.0.0.1", 5070, false, n);

	(void)r;
	return cl_sip_tp_send(s->tp, flow, buf, len);
}

TEST(sip_tp_udp_round_trip_and_reuse)
{
	struct rig r;
	uint64_t f1 = 0, f2 = 0;
	struct cl_sa v6;

	CHECK(rig_open(&r, NULL, NULL));
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_UDP, &r.udp, NULL, &f1), 0);
	CHECK_INT(send_options(&r, &r.cli, f1, "UDP", 1), 0);
	CHECK(run_until(&r, &r.cli.nresp, 1));
	CHECK_INT(r.cli.status, 200);
	CHECK(r.cli.resp_flow == f1);
	/* The same destination: the same flow. */
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_UDP, &r.udp, NULL, &f2), 0);
	CHECK(f2 == f1);
	CHECK_INT(send_options(&r, &r.cli, f2, "UDP", 2), 0);
	CHECK(run_until(&r, &r.cli.nresp, 2));
	CHECK_INT(r.srv.nreq, 2);
	/* No UDP listener of the destination's family. */
	CHECK_INT(cl_sa_parse(&v6, CL_SLICE_LIT("[::1]:5060")), 0);
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_UDP, &v6, NULL, &f2), EADDRNOTAVAIL);
	rig_close(&r);
}

TEST(sip_tp_tcp_round_trip_queue_and_reuse)
{
	struct rig r;
	uint64_t f1 = 0, f2 = 0, back = 0;
	struct cl_sa peer;

	CHECK(rig_open(&r, NULL, NULL));
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_TCP, &r.tcp, NULL, &f1), 0);
	/* Sent while the connect is in progress: queued, flushed once it is up. */
	CHECK_INT(send_options(&r, &r.cli, f1, "TCP", 1), 0);
	CHECK_INT(send_options(&r, &r.cli, f1, "TCP", 2), 0);
	CHECK(run_until(&r, &r.cli.nresp, 2));
	CHECK(r.cli.resp_flow == f1);
	CHECK_INT(r.cli.status, 200);
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_TCP, &r.tcp, NULL, &f2), 0);
	CHECK(f2 == f1);
	CHECK_INT(send_options(&r, &r.cli, f2, "TCP", 3), 0);
	CHECK(run_until(&r, &r.cli.nresp, 3));
	CHECK_INT(cl_sip_tp_stats(r.cli.tp)->out_flows, 1);
	/* The server reaches the client on the connection the client opened. */
	CHECK_INT(cl_sip_tp_flow_info(r.srv.tp, r.srv.req_flow, &peer, NULL), 0);
	CHECK_INT(cl_sip_tp_connect(r.srv.tp, CL_SIP_TP_TCP, &peer, NULL, &back), 0);
	CHECK(back == r.srv.req_flow);
	CHECK_INT(send_options(&r, &r.srv, back, "TCP", 4), 0);
	CHECK(run_until(&r, &r.cli.nreq, 1));
	CHECK(r.cli.req_flow == f1);
	CHECK_INT(cl_sip_tp_stats(r.srv.tp)->out_flows, 0);
	CHECK_INT(r.cli.nclose, 0);
	rig_close(&r);
}

TEST(sip_tp_connect_refused)
{
	struct rig r;
	struct cl_sa dead;
	uint64_t f = 0;
	int fd;

	CHECK(rig_open(&r, NULL, NULL));
	/* A port that was just bound and closed: nothing listens there. */
	addr(&dead);
	CHECK_INT(cl_net_tcp_listen(&fd, &dead, 1), 0);
	CHECK_INT(cl_net_local_addr(fd, &dead), 0);
	close(fd);
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_TCP, &dead, NULL, &f), 0);
	CHECK_INT(send_options(&r, &r.cli, f, "TCP", 1), 0); /* queued, then dropped */
	CHECK(run_until(&r, &r.cli.nclose, 1));
	CHECK(r.cli.closed_flow == f);
	CHECK_INT(r.cli.close_err, ECONNREFUSED);
	CHECK_INT(cl_sip_tp_send(r.cli.tp, f, "x", 1), ENOENT);
	CHECK_INT(cl_sip_tp_stats(r.cli.tp)->connect_failures, 1);
	rig_close(&r);
}

/* A listener with backlog 0 whose accept queue is full: Linux drops further SYNs, so a
 * connect to it stays in progress. Returns the listener; fills[] get the queued ones. */
static int full_listener(struct cl_sa *at, int *fills, int nfill)
{
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	addr(at);
	if (lfd < 0 || bind(lfd, &at->u.sa, at->len) || listen(lfd, 0) ||
	    cl_net_local_addr(lfd, at))
		return -1;
	for (int i = 0; i < nfill; i++)
		fills[i] = -1;
	/* Fill until a connect stays in progress: then the queue is full (bounded). */
	for (int i = 0; i < nfill; i++) {
		int k = 0;

		if (cl_net_tcp_connect_nb(&fills[i], at, NULL))
			continue;
		while (k++ < 20 && cl_net_tcp_connect_result(fills[i]) == EINPROGRESS)
			usleep(1000);
		if (k > 20)
			break;
	}
	return lfd;
}

TEST(sip_tp_connect_timeout)
{
	struct cl_sip_tp_cfg cfg;
	struct rig r;
	struct cl_sa at;
	uint64_t f = 0;
	int fills[4], lfd;

	cl_sip_tp_cfg_init(&cfg);
	cfg.connect_ms = 30;
	CHECK(rig_open(&r, NULL, &cfg));
	lfd = full_listener(&at, fills, 4);
	CHECK(lfd >= 0);
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_TCP, &at, NULL, &f), 0);
	CHECK_INT(send_options(&r, &r.cli, f, "TCP", 1), 0);
	CHECK(run_until(&r, &r.cli.nclose, 1));
	CHECK(r.cli.closed_flow == f);
	CHECK_INT(r.cli.close_err, ETIMEDOUT);
	for (int i = 0; i < 4; i++)
		if (fills[i] >= 0)
			close(fills[i]);
	close(lfd);
	rig_close(&r);
}

/* Sends stderr to a temp file (path, 64 bytes) at log level INFO; *saved keeps the old. */
static bool capture_stderr(int *saved, char *path)
{
	int fd;

	snprintf(path, 64, "/tmp/cl-tp-log-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return false;
	fflush(stderr);
	*saved = dup(2);
	dup2(fd, 2);
	close(fd);
	cl_log_set_level(CL_LOG_INFO);
	return *saved >= 0;
}

/* Puts stderr and the log level back and copies what was logged into log. */
static size_t restore_stderr(int saved, const char *path, char *log, size_t cap)
{
	FILE *fp;
	size_t n = 0;

	fflush(stderr);
	cl_log_set_level(CL_LOG_ERROR);
	dup2(saved, 2);
	close(saved);
	fp = fopen(path, "r");
	if (fp) {
		n = fread(log, 1, cap - 1, fp);
		fclose(fp);
	}
	log[n] = '\0';
	unlink(path);
	return n;
}

TEST(sip_tp_tls_round_trip_reuse_and_mismatch)
{
	struct cl_tls_server *srv;
	struct cl_tls_client *cli;
	struct rig r;
	uint64_t f1 = 0, f2 = 0, bad = 0;
	char path[64], log[8192];
	int saved = -1;

	FIXTURE();
	CHECK((srv = tlst_server(g_fx.chain, g_fx.key, CL_TLS_CLIENT_AUTH_NONE, NULL)) != NULL);
	CHECK((cli = tlst_client(g_fx.ca, CL_TLS_VERIFY_REQUIRE, NULL, NULL)) != NULL);
	CHECK(rig_open(&r, srv, NULL));
	/* No client context: no new TLS connection. */
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_TLS, &r.tls, NAME, &f1), EINVAL);
	cl_sip_tp_set_tls_client(r.cli.tp, cli);
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_TLS, &r.tls, NAME, &f1), 0);
	/* Queued before the handshake, flushed after it. */
	CHECK_INT(send_options(&r, &r.cli, f1, "TLS", 1), 0);
	CHECK(run_until(&r, &r.cli.nresp, 1));
	CHECK(r.cli.resp_flow == f1);
	CHECK_INT(r.cli.status, 200);
	/* Reused for the name it was verified for (case and a trailing dot aside). */
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_TLS, &r.tls, "SIP.example.com.", &f2), 0);
	CHECK(f2 == f1);
	CHECK_INT(send_options(&r, &r.cli, f2, "TLS", 2), 0);
	CHECK(run_until(&r, &r.cli.nresp, 2));
	/* Another name is not proved by that flow: a new connection, whose handshake fails
	 * the RFC 5922 check; the reason is logged and the close handler gets EPROTO. */
	CHECK(capture_stderr(&saved, path));
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_TLS, &r.tls, "other.example.com", &bad), 0);
	CHECK(bad != f1);
	CHECK_INT(send_options(&r, &r.cli, bad, "TLS", 3), 0);
	run_until(&r, &r.cli.nclose, 1);
	restore_stderr(saved, path, log, sizeof(log));
	CHECK_INT(r.cli.nclose, 1);
	CHECK(r.cli.closed_flow == bad);
	CHECK_INT(r.cli.close_err, EPROTO);
	CHECK(strstr(log, "name mismatch") != NULL);
	CHECK(strstr(log, "other.example.com") != NULL);
	CHECK_INT(r.cli.nresp, 2);
	CHECK_INT(cl_sip_tp_stats(r.cli.tp)->tls_handshake_failures, 1);
	/* The good flow is untouched. */
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_TLS, &r.tls, NAME, &f2), 0);
	CHECK(f2 == f1);
	rig_close(&r);
	cl_tls_client_free(cli);
	cl_tls_server_free(srv);
	tlst_fx_free(&g_fx);
}

TEST(sip_tp_flow_cap)
{
	struct cl_sip_tp_cfg cfg;
	struct rig r;
	uint64_t f1 = 0, f2 = 0, f3 = 0;

	cl_sip_tp_cfg_init(&cfg);
	cfg.max_flows = 2;
	CHECK(rig_open(&r, NULL, &cfg));
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_UDP, &r.udp, NULL, &f1), 0);
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_TCP, &r.tcp, NULL, &f2), 0);
	/* Full: neither a new stream nor a new UDP flow; existing ones are still found. */
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_TCP, &r.udp, NULL, &f3), ENOSPC);
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_UDP, &r.tcp, NULL, &f3), ENOSPC);
	CHECK_INT(cl_sip_tp_stats(r.cli.tp)->refused_flows, 2);
	CHECK_INT(cl_sip_tp_connect(r.cli.tp, CL_SIP_TP_TCP, &r.tcp, NULL, &f3), 0);
	CHECK(f3 == f2);
	CHECK_INT(send_options(&r, &r.cli, f2, "TCP", 1), 0);
	CHECK(run_until(&r, &r.cli.nresp, 1));
	rig_close(&r);
}

/* Sends an OPTIONS with ;alias and sent-by host:5071 on a new TLS flow from c and waits
 * for the server to see it. */
static bool alias_request(struct rig *r, struct side *c, struct cl_sa *dst, const char *host,
			  const char *tpt, int n)
{
	char buf[1024];
	size_t len = options(buf, sizeof(buf), tpt, host, 5071, true, (unsigned)n);
	uint64_t f = 0;
	enum cl_sip_tpt kind = strcmp(tpt, "TLS") ? CL_SIP_TP_TCP : CL_SIP_TP_TLS;

	return cl_sip_tp_connect(c->tp, kind, dst, NAME, &f) == 0 &&
	       cl_sip_tp_send(c->tp, f, buf, len) == 0 && run_until(r, &r->srv.nreq, n);
}

TEST(sip_tp_alias_only_for_authenticated_tls)
{
	struct cl_tls_server *srv;
	struct cl_tls_client *cli, *anon, *srvcli;
	struct side c2 = { 0 }, c3 = { 0 };
	struct rig r;
	struct cl_sa at;
	uint64_t f = 0, g = 0;

	FIXTURE();
	CHECK((srv = tlst_server(g_fx.chain, g_fx.key, CL_TLS_CLIENT_AUTH_OPTIONAL, g_fx.ca)) !=
	      NULL);
	/* The client presents the fixture leaf (sip.example.com, IP 127.0.0.1). */
	CHECK((cli = tlst_client(g_fx.ca, CL_TLS_VERIFY_REQUIRE, g_fx.chain, g_fx.key)) != NULL);
	CHECK((anon = tlst_client(g_fx.ca, CL_TLS_VERIFY_REQUIRE, NULL, NULL)) != NULL);
	CHECK((srvcli = tlst_client(g_fx.ca, CL_TLS_VERIFY_REQUIRE, NULL, NULL)) != NULL);
	CHECK(rig_open(&r, srv, NULL));
	r.srv.answer = false;
	cl_sip_tp_set_tls_client(r.cli.tp, cli);
	cl_sip_tp_set_tls_client(r.srv.tp, srvcli);
	CHECK_INT(cl_sip_tp_new(&c2.tp, r.loop, NULL, on_recv, on_close, &c2), 0);
	CHECK_INT(cl_sip_tp_new(&c3.tp, r.loop, NULL, on_recv, on_close, &c3), 0);
	cl_sip_tp_set_tls_client(c2.tp, anon);
	cl_sip_tp_set_tls_client(c3.tp, cli);

	/* Without a client certificate, and over TCP: no alias. */
	CHECK(alias_request(&r, &c2, &r.tls, NAME, "TLS", 1));
	CHECK(alias_request(&r, &c2, &r.tcp, NAME, "TCP", 2));
	/* With a certificate that does not name the sent-by host: no alias. */
	CHECK(alias_request(&r, &c3, &r.tls, "evil.example.com", "TLS", 3));
	CHECK_INT(cl_sip_tp_stats(r.srv.tp)->aliases, 0);
	/* A certificate that authenticates the sent-by host: the flow is reusable for it. */
	CHECK(alias_request(&r, &r.cli, &r.tls, NAME, "TLS", 4));
	CHECK_INT(cl_sip_tp_stats(r.srv.tp)->aliases, 1);
	CHECK_INT(cl_sa_parse(&at, CL_SLICE_LIT("127.0.0.1:5071")), 0);
	CHECK_INT(cl_sip_tp_connect(r.srv.tp, CL_SIP_TP_TLS, &at, NAME, &f), 0);
	CHECK(f == r.srv.req_flow);
	CHECK_INT(send_options(&r, &r.srv, f, "TLS", 5), 0);
	CHECK(run_until(&r, &r.cli.nreq, 1));
	/* Not for another name or port, nor over TCP: those open new connections (to a
	 * port nothing listens on) instead. */
	CHECK_INT(cl_sip_tp_connect(r.srv.tp, CL_SIP_TP_TLS, &at, "other.example.com", &g), 0);
	CHECK(g != f);
	CHECK_INT(cl_sip_tp_connect(r.srv.tp, CL_SIP_TP_TCP, &at, NULL, &g), 0);
	CHECK(g != f);
	CHECK_INT(cl_sip_tp_stats(r.srv.tp)->out_flows, 2);
	CHECK_INT(c2.nreq + c3.nreq, 0);

	cl_sip_tp_free(c2.tp);
	cl_sip_tp_free(c3.tp);
	rig_close(&r);
	cl_tls_client_free(srvcli);
	cl_tls_client_free(anon);
	cl_tls_client_free(cli);
	cl_tls_server_free(srv);
	tlst_fx_free(&g_fx);
}

/* Issue 4 §2 limits: a TLS client that never finishes its handshake is cut off after
 * handshake_ms, and at most max_handshakes may be in progress at once. */
TEST(sip_tp_tls_handshake_limits)
{
	struct cl_sip_tp_cfg cfg;
	struct cl_tls_server *srv;
	struct side s;
	struct cl_loop *loop = NULL;
	struct cl_sa tls;
	int fd1 = -1, fd2 = -1;
	uint64_t end;

	FIXTURE();
	CHECK((srv = tlst_server(g_fx.chain, g_fx.key, CL_TLS_CLIENT_AUTH_NONE, NULL)) != NULL);
	memset(&s, 0, sizeof(s));
	cl_sip_tp_cfg_init(&cfg);
	cfg.handshake_ms = 150;
	cfg.max_handshakes = 1;
	addr(&tls);
	CHECK(cl_loop_alloc(&loop) == 0);
	CHECK(cl_sip_tp_new(&s.tp, loop, &cfg, on_recv, on_close, &s) == 0);
	CHECK(cl_sip_tp_listen(s.tp, CL_SIP_TP_TLS, &tls, srv) == 0);
	/* Two silent TCP connections to the TLS port: the second exceeds the limit. */
	CHECK(cl_net_tcp_connect_nb(&fd1, &tls, NULL) == 0);
	for (int i = 0; i < 5; i++) /* let the server accept it */
		cl_loop_run_once(loop, 10);
	CHECK(cl_net_tcp_connect_nb(&fd2, &tls, NULL) == 0);
	end = cl_loop_clock_mono_ms() + GUARD_MS;
	for (int i = 0; i < ITERS && (cl_sip_tp_stats(s.tp)->handshakes_refused < 1 || s.nclose < 1) &&
			cl_loop_clock_mono_ms() < end; i++)
		cl_loop_run_once(loop, 10);
	CHECK_INT(cl_sip_tp_stats(s.tp)->handshakes_refused, 1);
	/* The first one is closed by the handshake deadline. */
	CHECK_INT(s.nclose, 1);
	CHECK_INT(s.close_err, ETIMEDOUT);
	CHECK_INT(cl_sip_tp_stats(s.tp)->handshake_timeouts, 1);
	/* Its slot is free again: a new silent client is accepted and timed out too. */
	close(fd2);
	fd2 = -1;
	CHECK(cl_net_tcp_connect_nb(&fd2, &tls, NULL) == 0);
	end = cl_loop_clock_mono_ms() + GUARD_MS;
	for (int i = 0; i < ITERS && s.nclose < 2 && cl_loop_clock_mono_ms() < end; i++)
		cl_loop_run_once(loop, 10);
	CHECK_INT(s.nclose, 2);
	CHECK_INT(cl_sip_tp_stats(s.tp)->handshake_timeouts, 2);
	close(fd1);
	close(fd2);
	cl_sip_tp_free(s.tp);
	cl_tls_server_free(srv);
	cl_loop_free(loop);
	tlst_fx_free(&g_fx);
}
