/* cipherline run: the signaling edge as it stands (issue 4): SIP over UDP, TCP and TLS,
 * the transaction layer, and the minimal transaction user until the registrar and the
 * B2BUA land. A thin driver: the loop, the transports, the transaction layer's one
 * timer, and signals (INT/TERM stop, HUP reloads the TLS certificates). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli.h"
#include "config/config.h"
#include "loop/loop.h"
#include "net/net.h"
#include "sip/sip.h"
#include "tls/tls.h"

#define CMD "run"
#define MOD "edge"
#define DEFAULT_LISTEN "udp:127.0.0.1:5060,tcp:127.0.0.1:5060"

struct edge {
	const char *listen, *cert, *key, *ca, *config;
	enum cl_tls_client_auth client_auth;
	bool verbose, flags_given; /* --listen, --tls-* or --client-certs */
	struct cl_config *cfg;     /* from -c: listeners and TLS come from it */
	struct cl_loop *loop;
	struct cl_sip_tp *tp;
	struct cl_sip_txl *txl;
	struct cl_tls_server *tls;
	struct cl_tls_server_cert tcert;
	struct cl_tls_server_conf tconf;
	struct cl_timer txtimer;
	int sigfd;
};

/* ---- the transaction user ---- */

static int tx_send(void *arg, struct cl_sip_tx *tx, uint64_t flow, const char *buf, size_t len)
{
	struct edge *e = arg;

	(void)tx;
	return cl_sip_tp_send(e->tp, flow, buf, len);
}

/* RFC 3261 §18.2.1 and RFC 3581 §4: received= when the source differs from sent-by,
 * rport= always when asked (the builder writes it only then). */
static void via_params(struct edge *e, const struct cl_sip_txe *ev, char *ip, size_t cap,
		       struct cl_sip_build_opts *o)
{
	struct cl_sa peer;

	if (cl_sip_tp_flow_info(e->tp, ev->flow, &peer, NULL) || cl_sa_format_ip(&peer, ip, cap))
		return;
	if (!cl_slice_eq(ev->msg->via.host, cl_slice_cstr(ip)))
		o->via_received = cl_slice_cstr(ip);
	o->via_rport = cl_sa_port(&peer);
}

static void answer(struct edge *e, const struct cl_sip_txe *ev)
{
	struct cl_sip_build_opts o = { 0 };
	char hdrs[512], ip[CL_SA_STRLEN];
	const char *reason;
	unsigned status;
	size_t hl;
	int err;

	if (cl_sip_minimal_reply(ev->msg, &status, &reason, hdrs, sizeof(hdrs), &hl))
		return;
	o.headers = (struct cl_slice){ hdrs, hl };
	via_params(e, ev, ip, sizeof(ip), &o);
	err = cl_sip_txl_reply(e->txl, ev->tx, status, reason, (struct cl_slice){ "", 0 }, &o,
			       cl_loop_now_ms(e->loop));
	if (err)
		cl_debug(MOD, "reply %u failed: %s", status, strerror(err));
}

static void tx_event(void *arg, const struct cl_sip_txe *ev)
{
	struct edge *e = arg;
	uint64_t now = cl_loop_now_ms(e->loop);

	switch (ev->type) {
	case CL_SIP_TXE_REQUEST:
		answer(e, ev);
		break;
	case CL_SIP_TXE_CANCEL:
		/* §9.2: 200 to the CANCEL; 487 to the INVITE if it is still unanswered. */
		cl_sip_txl_reply(e->txl, ev->tx, 200, NULL, (struct cl_slice){ "", 0 }, NULL, now);
		if (ev->cancelled)
			cl_sip_txl_reply(e->txl, ev->cancelled, 487, NULL, (struct cl_slice){ "", 0 },
					 NULL, now);
		break;
	case CL_SIP_TXE_TRANSPORT_ERROR:
		cl_debug(MOD, "transaction transport error: %s", strerror(ev->err));
		break;
	default:
		break;
	}
}

/* ---- wiring ---- */

static void tp_recv(void *arg, uint64_t flow, bool reliable, const struct cl_sip_msg *m)
{
	struct edge *e = arg;
	int err = cl_sip_txl_recv(e->txl, m, flow, reliable, cl_loop_now_ms(e->loop));

	if (err)
		cl_debug(MOD, "transaction layer: %s", strerror(err));
}

static void tp_close(void *arg, uint64_t flow, int err)
{
	struct edge *e = arg;

	cl_sip_txl_transport_error(e->txl, flow, err ? err : ECONNRESET, cl_loop_now_ms(e->loop));
}

static void tx_timer(void *arg)
{
	struct edge *e = arg;

	cl_sip_txl_timer(e->txl, cl_loop_now_ms(e->loop));
}

/* Before each sleep: one loop timer at the transaction layer's next deadline. */
static void before_sleep(struct cl_loop *loop, void *arg)
{
	struct edge *e = arg;
	uint64_t next = cl_sip_txl_next(e->txl), now = cl_loop_now_ms(loop);

	if (next == UINT64_MAX) {
		cl_timer_cancel(&e->txtimer);
		return;
	}
	cl_timer_start(loop, &e->txtimer, next > now ? next - now : 0, tx_timer, e);
}

static void on_signal(int fd, unsigned ev, void *arg)
{
	struct edge *e = arg;
	struct signalfd_siginfo si;
	char why[256];

	(void)ev;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP && e->tls) {
			if (cl_tls_server_reload(e->tls, &e->tconf, why, sizeof(why)))
				cl_error(MOD, "TLS reload failed, keeping the old certificates: %s", why);
			else
				cl_info(MOD, "TLS certificates reloaded (generation %u)",
					cl_tls_server_generation(e->tls));
		} else if (si.ssi_signo != SIGHUP) {
			cl_info(MOD, "signal %u: stopping", si.ssi_signo);
			cl_loop_stop(e->loop);
		}
	}
}

/* ---- options ---- */

static int set_str(const char **dst, const char *val)
{
	*dst = val;
	return 0;
}

static int opt_set(void *ctx, const char *opt, const char *val)
{
	struct edge *e = ctx;

	if (!strncmp(opt, "--listen", 8) || !strncmp(opt, "--tls-", 6) ||
	    !strcmp(opt, "--client-certs"))
		e->flags_given = true;
	if (!strcmp(opt, "--listen"))
		return set_str(&e->listen, val);
	if (!strcmp(opt, "--tls-cert"))
		return set_str(&e->cert, val);
	if (!strcmp(opt, "--tls-key"))
		return set_str(&e->key, val);
	if (!strcmp(opt, "--tls-ca"))
		return set_str(&e->ca, val);
	if (!strcmp(opt, "-c") || !strcmp(opt, "--config"))
		return set_str(&e->config, val);
	if (!strcmp(opt, "--verbose")) {
		e->verbose = true;
		return 0;
	}
	if (!strcmp(opt, "--client-certs")) {
		if (!strcmp(val, "none"))
			e->client_auth = CL_TLS_CLIENT_AUTH_NONE;
		else if (!strcmp(val, "optional"))
			e->client_auth = CL_TLS_CLIENT_AUTH_OPTIONAL;
		else if (!strcmp(val, "required"))
			e->client_auth = CL_TLS_CLIENT_AUTH_REQUIRED;
		else {
			cl_cli_err(CMD, "--client-certs: '%s' is not none, optional or required", val);
			return CL_EXIT_USAGE;
		}
		return 0;
	}
	return CL_EXIT_USAGE;
}

static const struct cl_cli_opt opts[] = {
	{ "--listen", "LIST", "transport:address:port,... (default " DEFAULT_LISTEN ")", opt_set },
	{ "--tls-cert", "FILE", "PEM chain served on TLS listeners (leaf, then intermediates)",
	  opt_set },
	{ "--tls-key", "FILE", "the leaf's private key", opt_set },
	{ "--tls-ca", "FILE", "CA bundle for client certificates", opt_set },
	{ "--client-certs", "MODE", "none (default), optional or required", opt_set },
	{ "-c", "FILE", "configuration file (etc/cipherline.yaml); replaces --listen and --tls-*",
	  opt_set },
	{ "--verbose", NULL, "log every transaction decision", opt_set },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: cipherline run -c FILE [--verbose]\n"
		   "       cipherline run [--listen LIST] [--tls-cert FILE --tls-key FILE]\n"
		   "                      [--tls-ca FILE] [--client-certs MODE] [--verbose]\n\n"
		   "Starts the SIP edge on the listed transports (udp, tcp, tls; IPv4 or [IPv6]),\n"
		   "taken from the configuration file's listen and tls sections with -c.\n"
		   "OPTIONS is answered 200; INVITE, REGISTER and BYE get 404 until connections\n"
		   "and numbers exist; other methods 501. SIGHUP reloads the TLS certificates;\n"
		   "SIGINT/SIGTERM stop. Logs go to stderr.\n\noptions:\n");
	cl_cli_print_opts(f, opts, CL_ARRAY_SIZE(opts));
}

/* ---- start-up ---- */

static int parse_listen(const char *item, enum cl_sip_tpt *kind, struct cl_sa *sa)
{
	const char *colon = strchr(item, ':');
	struct cl_slice k;

	if (!colon)
		return EINVAL;
	k = (struct cl_slice){ item, (size_t)(colon - item) };
	if (cl_slice_casecmp_eq(k, CL_SLICE_LIT("udp")))
		*kind = CL_SIP_TP_UDP;
	else if (cl_slice_casecmp_eq(k, CL_SLICE_LIT("tcp")))
		*kind = CL_SIP_TP_TCP;
	else if (cl_slice_casecmp_eq(k, CL_SLICE_LIT("tls")))
		*kind = CL_SIP_TP_TLS;
	else
		return EINVAL;
	return cl_sa_parse(sa, cl_slice_cstr(colon + 1));
}

static int start_tls(struct edge *e)
{
	char why[256];
	int err;

	if (!e->cert || !e->key) {
		cl_cli_err(CMD, "--listen tls:... needs --tls-cert and --tls-key");
		return CL_EXIT_USAGE;
	}
	e->tcert = (struct cl_tls_server_cert){ NULL, e->cert, e->key };
	e->tconf = (struct cl_tls_server_conf){ &e->tcert, 1, e->client_auth, e->ca };
	err = cl_tls_server_new(&e->tls, &e->tconf, why, sizeof(why));
	if (err) {
		cl_cli_err(CMD, "TLS: %s", why);
		return CL_EXIT_FAIL;
	}
	return 0;
}

static int listen_one(struct edge *e, enum cl_sip_tpt kind, struct cl_sa *sa,
		      const char *what)
{
	char addr[CL_SA_STRLEN];
	int rc;

	if (kind == CL_SIP_TP_TLS && !e->tls && (rc = start_tls(e)) != 0)
		return rc;
	rc = cl_sip_tp_listen(e->tp, kind, sa, e->tls);
	if (rc) {
		cl_cli_err(CMD, "%s: %s", what, strerror(rc));
		return CL_EXIT_FAIL;
	}
	cl_sa_format(sa, addr, sizeof(addr));
	cl_info(MOD, "listening on %s %s", cl_sip_tpt_name(kind), addr);
	return 0;
}

/* The listen section of the configuration file. */
static int start_listeners_cfg(struct edge *e)
{
	char what[CL_CONFIG_ERR_LEN];
	int rc;

	for (size_t i = 0; i < e->cfg->nlisten; i++) {
		struct cl_config_listen *li = &e->cfg->listen[i];

		snprintf(what, sizeof(what), "%s:%u: listen[%zu]", e->cfg->name, li->line, i);
		if ((rc = listen_one(e, li->transport, &li->addr, what)) != 0)
			return rc;
	}
	return 0;
}

static int start_listeners(struct edge *e)
{
	char buf[512], what[560], *save = NULL;
	int rc;

	if (e->cfg)
		return start_listeners_cfg(e);
	snprintf(buf, sizeof(buf), "%s", e->listen);
	for (char *it = strtok_r(buf, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
		enum cl_sip_tpt kind;
		struct cl_sa sa;

		if (parse_listen(it, &kind, &sa)) {
			cl_cli_err(CMD, "--listen: '%s' is not udp|tcp|tls:ADDRESS:PORT", it);
			return CL_EXIT_USAGE;
		}
		snprintf(what, sizeof(what), "--listen %s", it);
		if ((rc = listen_one(e, kind, &sa, what)) != 0)
			return rc;
	}
	return 0;
}

static int start_signals(struct edge *e)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPIPE);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return errno;
	sigdelset(&set, SIGPIPE);
	e->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (e->sigfd < 0)
		return errno;
	return cl_loop_fd_add(e->loop, e->sigfd, CL_LOOP_READ, on_signal, e);
}

static int start(struct edge *e)
{
	int err = cl_loop_alloc(&e->loop);

	if (!err)
		err = cl_sip_tp_new(&e->tp, e->loop, NULL, tp_recv, tp_close, e);
	if (!err)
		err = cl_sip_txl_new(&e->txl, NULL, tx_send, tx_event, e);
	if (!err)
		err = start_signals(e);
	if (err) {
		cl_cli_err(CMD, "start-up: %s", strerror(err));
		return CL_EXIT_FAIL;
	}
	cl_timer_init(&e->txtimer);
	cl_loop_set_before_sleep(e->loop, before_sleep, e);
	return start_listeners(e);
}

static void stop(struct edge *e)
{
	cl_sip_tp_free(e->tp);
	cl_sip_txl_free(e->txl);
	cl_timer_cancel(&e->txtimer);
	if (e->sigfd >= 0) {
		cl_loop_fd_remove(e->loop, e->sigfd);
		close(e->sigfd);
	}
	cl_loop_free(e->loop);
	cl_tls_server_free(e->tls);
	cl_config_free(e->cfg);
}

/* -c FILE: every problem is printed, as check-config does; run only uses the listen and
 * tls sections until the registrar and routing arrive. */
static int load_config(struct edge *e)
{
	struct cl_config_errs errs;
	struct cl_config *c;
	int err;

	if (e->flags_given) {
		cl_cli_err(CMD, "-c replaces --listen, --tls-* and --client-certs; give one or the other");
		return CL_EXIT_USAGE;
	}
	err = cl_config_load_file(&c, e->config, &errs);
	if (err) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msg[i]);
		if (errs.total > errs.n)
			fprintf(stderr, "... and %zu more errors\n", errs.total - errs.n);
		cl_cli_err(CMD, "%s: %s", e->config, err == EBADMSG ? "invalid configuration"
								   : strerror(err));
		return CL_EXIT_FAIL;
	}
	e->cfg = c;
	e->cert = c->tls.certificate;
	e->key = c->tls.private_key;
	e->ca = c->tls.ca_file;
	e->client_auth = c->tls.client_certificates;
	cl_info(MOD, "%s: %zu listeners, %zu connections, %zu numbers", c->name, c->nlisten,
		c->nconnections, c->nnumbers);
	return 0;
}

int cl_cli_run(int argc, char **argv)
{
	struct edge e = { .listen = DEFAULT_LISTEN, .sigfd = -1 };
	int rc = cl_cli_parse(CMD, opts, CL_ARRAY_SIZE(opts), argc, argv, &e, NULL);

	if (rc == CL_CLI_HELP) {
		usage(stdout);
		return CL_EXIT_OK;
	}
	if (rc)
		return rc;
	if (e.config && (rc = load_config(&e)) != 0)
		return rc;
	if (e.verbose)
		cl_log_set_level(CL_LOG_DEBUG);
	rc = start(&e);
	if (!rc) {
		cl_info(MOD, "cipherline " CL_VERSION " running");
		cl_loop_run(e.loop);
	}
	stop(&e);
	return rc;
}
