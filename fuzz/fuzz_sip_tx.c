/* libFuzzer target: the SIP transaction layer (RFC 3261 §17) driven by fuzzed input.
 * The input is a program: each step's first byte picks an action (deliver a message on one
 * of four flows, reliable or not; advance simulated time and fire timers; fail a flow;
 * start a client transaction), the next two bytes a length, then the message bytes. The TU
 * answers every request with a status taken from the input. Invariants: no crash, no leak
 * (LSan), and time only moves forward. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip.h"

struct fz {
	struct cl_sip_txl *txl;
	uint64_t now;
	unsigned status;
};

static int fz_send(void *arg, struct cl_sip_tx *tx, uint64_t flow, const char *buf, size_t len)
{
	(void)arg;
	(void)tx;
	(void)buf;
	(void)len;
	return flow == 3 ? EPIPE : 0; /* flow 3 always fails to send */
}

static void fz_event(void *arg, const struct cl_sip_txe *ev)
{
	struct fz *z = arg;

	if (ev->type == CL_SIP_TXE_REQUEST || ev->type == CL_SIP_TXE_CANCEL)
		cl_sip_txl_reply(z->txl, ev->tx, z->status, NULL, (struct cl_slice){ "", 0 }, NULL,
				 z->now);
	if (ev->type == CL_SIP_TXE_CANCEL && ev->cancelled)
		cl_sip_txl_reply(z->txl, ev->cancelled, 487, NULL, (struct cl_slice){ "", 0 },
				 NULL, z->now);
}

static void client_request(struct fz *z, uint8_t b)
{
	static const char *methods[] = { "INVITE", "OPTIONS", "BYE", "REGISTER" };
	struct cl_sip_request_spec s;
	char out[2048];
	size_t len;

	memset(&s, 0, sizeof(s));
	s.method = cl_slice_cstr(methods[b % 4]);
	s.ruri = CL_SLICE_LIT("sip:b@sip.test");
	s.transport = (b & 4) ? CL_SLICE_LIT("TCP") : CL_SLICE_LIT("UDP");
	s.sent_by = CL_SLICE_LIT("127.0.0.1:5060");
	s.from = CL_SLICE_LIT("<sip:a@sip.test>;tag=fz1");
	s.to = CL_SLICE_LIT("<sip:b@sip.test>");
	s.call_id = CL_SLICE_LIT("fuzz@sip.test");
	s.cseq = 1u + b;
	if (cl_sip_build_request(&s, out, sizeof(out), &len) == 0)
		cl_sip_txl_request(z->txl, out, len, b % 4, (b & 4) != 0, z->now, NULL, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz z = { NULL, 1000, 200 };
	size_t off = 0;

	if (cl_sip_txl_new(&z.txl, NULL, fz_send, fz_event, &z) != 0)
		return 0;
	for (int steps = 0; off + 3 <= size && steps < 64; steps++) {
		uint8_t op = data[off];
		size_t n = (size_t)data[off + 1] << 8 | data[off + 2];

		off += 3;
		n = n > size - off ? size - off : n;
		z.status = 100u + (op * 7u) % 600u;
		if (op < 0xc0) {
			struct cl_sip_parse_opts po = { (op & 1) ? CL_SIP_STREAM : CL_SIP_DGRAM, 0 };
			struct cl_sip_error e;
			struct cl_sip_msg m;

			if (cl_sip_parse(&m, (const char *)data + off, n, &po, &e) == 0)
				cl_sip_txl_recv(z.txl, &m, (op >> 1) & 3, op & 1, z.now);
			off += n;
		} else if (op < 0xf0) {
			z.now += (uint64_t)(op - 0xc0) * 250u; /* up to 11.75 s per step */
			cl_sip_txl_timer(z.txl, z.now);
		} else if (op < 0xf8) {
			cl_sip_txl_transport_error(z.txl, op & 3, ECONNRESET, z.now);
		} else {
			client_request(&z, (uint8_t)n);
		}
	}
	z.now += 64u * 500u * 2u; /* let every timer run out */
	cl_sip_txl_timer(z.txl, z.now);
	cl_sip_txl_free(z.txl);
	return 0;
}
