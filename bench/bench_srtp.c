/* make bench: SRTP protect/unprotect speed of cipherline against Debian's libsrtp2 and
 * the raw OpenSSL floor (bench/floor.h), measured side by side in one run (issue 2 §4).
 *
 * Method. Single thread, a 12-byte RTP header, 160- and 1200-byte payloads. For every
 * suite, size and operation, each of R rounds (default 31, after one warm-up round)
 * runs a batch of N packets (default 2000) through each implementation. Within a round
 * the three take turns in chunks of 100 packets, rotating who goes first, so slow phases
 * of the machine (its 2 cores are shared) fall on all three alike. A round records, per
 * implementation, the median ns/packet of its chunks (dropping chunks hit by an
 * interrupt); the table shows the median of that over the rounds.
 *
 * Every packet is copied from a template (protect) or from a pre-protected batch
 * (unprotect) into one work buffer inside the timed loop, the same cost for all three.
 * Unprotect needs fresh packets: each implementation pre-protects its batch with
 * sequential sequence numbers outside the timed region, and its receiving context is
 * re-created before each round. Any failure aborts with a message.
 *
 * A second section counts allocations (bench/alloc_count.h interposes malloc) during
 * 10,000 protects and 10,000 unprotects per suite. */

/* The floor copies SHA_CTX states, which OpenSSL 3 marks deprecated (see src/srtp/hmac.h). */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <errno.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <srtp2/srtp.h>

#include "srtp/srtp.h"

#include "../tests/alloc_count.h"
#include "floor.h"

#define HDR_LEN FLOOR_HDR
#define WORK_CAP 1536           /* header + 1200 + libsrtp2's SRTP_MAX_TRAILER_LEN */
#define DEFAULT_ROUNDS 31
#define DEFAULT_BATCH 2000
#define QUICK_ROUNDS 7
#define QUICK_BATCH 500
#define MAX_BATCH 60000         /* a pre-protected batch must not cross a ROC wrap */
#define ALLOC_PACKETS 10000
#define CHUNK 100               /* packets per implementation before the next takes over */
#define BENCH_SSRC 0x5eed1e55u
#define TARGET_CM 1.15
#define TARGET_GCM 1.10

enum impl { IMPL_CL, IMPL_LIB, IMPL_FLOOR, NIMPL };
enum op { OP_PROTECT, OP_UNPROTECT, NOPS };

static const char *const impl_name[NIMPL] = { "cipherline", "libsrtp2", "floor" };
static const char *const op_name[NOPS] = { "protect", "unprotect" };

struct bench_suite {
	enum cl_srtp_suite_id id;
	void (*lib_policy)(srtp_crypto_policy_t *p);
	bool gcm;
};

static const struct bench_suite suites[] = {
	/* libsrtp2 spells aes_cm_128_hmac_sha1_80 as a macro for the RTP default */
	{ CL_SRTP_AES_CM_128_HMAC_SHA1_80, srtp_crypto_policy_set_rtp_default, false },
	{ CL_SRTP_AES_256_CM_HMAC_SHA1_80, srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80, false },
	{ CL_SRTP_AEAD_AES_128_GCM, srtp_crypto_policy_set_aes_gcm_128_16_auth, true },
	{ CL_SRTP_AEAD_AES_256_GCM, srtp_crypto_policy_set_aes_gcm_256_16_auth, true },
};
#define NSUITES (sizeof suites / sizeof suites[0])

static const size_t payloads[] = { 160, 1200 };
#define NSIZES (sizeof payloads / sizeof payloads[0])

/* Packets protected ahead of time for the unprotect rounds, stride bytes apart. */
struct batch {
	uint8_t *buf;
	size_t stride;
	size_t n;
	size_t len;             /* every packet of a batch has the same length */
	uint32_t roc;
};

/* Everything one suite at one payload size needs, for all three implementations. */
struct rig {
	const struct bench_suite *bs;
	const struct cl_srtp_suite *suite;
	uint8_t master[CL_SRTP_MAX_KEY_LEN + CL_SRTP_MAX_SALT_LEN];
	size_t payload;
	size_t tmpl_len;
	uint8_t tmpl[WORK_CAP];
	uint8_t work[WORK_CAP] __attribute__((aligned(64)));
	struct cl_srtp *cl_tx, *cl_rx;
	srtp_t lib_tx, lib_rx;
	struct floor fl;
	uint64_t next[NIMPL];   /* packet index of each sender's next protect */
	struct batch pre[NIMPL];
	size_t fail_at;         /* packet a failing batch stopped at */
};

struct result {
	const struct bench_suite *bs;
	size_t payload;
	enum op op;
	double med[NIMPL];
};

static volatile uint32_t sink; /* a checksum of the outputs, so no work is optimised away */
static unsigned mismatches;

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fprintf(stderr, "bench_srtp: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static const char *suite_name(const struct bench_suite *bs)
{
	return cl_srtp_suite_get(bs->id)->name;
}

/* ---- sessions ---- */

static void cl_session(struct rig *r, struct cl_srtp **sp)
{
	struct cl_srtp_master_key mk = { .key_salt = r->master };
	struct cl_srtp_params prm = { .suite = r->suite, .keys = &mk, .nkeys = 1 };
	int err = cl_srtp_alloc(sp, &prm);
	if (err)
		die("cl_srtp_alloc(%s): %s", r->suite->name, strerror(err));
}

static void lib_session(struct rig *r, bool inbound, srtp_t *sp)
{
	srtp_policy_t p;
	memset(&p, 0, sizeof p);
	r->bs->lib_policy(&p.rtp);
	r->bs->lib_policy(&p.rtcp);
	p.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
	p.key = r->master;
	p.window_size = 128;
	srtp_err_status_t st = srtp_create(sp, &p);
	if (st != srtp_err_status_ok)
		die("srtp_create(%s): status %d", r->suite->name, (int)st);
}

/* Re-creates one implementation's receiving side, so a batch is fresh again. */
static void rx_reset(struct rig *r, enum impl impl)
{
	switch (impl) {
	case IMPL_CL:
		cl_srtp_free(r->cl_rx);
		cl_session(r, &r->cl_rx);
		break;
	case IMPL_LIB:
		if (r->lib_rx)
			srtp_dealloc(r->lib_rx);
		lib_session(r, true, &r->lib_rx);
		break;
	default:
		r->fl.rx_roc = r->pre[IMPL_FLOOR].roc;
		break;
	}
}

/* ---- the timed loops: one per implementation and operation, no dispatch inside ---- */

static void stamp_seq(uint8_t *pkt, uint64_t idx)
{
	pkt[2] = (uint8_t)(idx >> 8);
	pkt[3] = (uint8_t)idx;
}

/* Runs packets first..first+n-1 of a round (protect: of the sender's sequence; unprotect:
 * of the pre-protected batch). Returns 0, or the error with r->fail_at set. */
typedef int(batch_fn)(struct rig *r, size_t first, size_t n);

static int cl_protect_batch(struct rig *r, size_t first, size_t n)
{
	uint32_t acc = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = r->tmpl_len;
		memcpy(r->work, r->tmpl, len);
		stamp_seq(r->work, r->next[IMPL_CL]++);
		int err = cl_srtp_protect(r->cl_tx, r->work, &len, sizeof r->work);
		if (err) {
			r->fail_at = first + i;
			return err;
		}
		acc += r->work[len - 1];
	}
	sink += acc;
	return 0;
}

static int lib_protect_batch(struct rig *r, size_t first, size_t n)
{
	uint32_t acc = 0;
	for (size_t i = 0; i < n; i++) {
		int len = (int)r->tmpl_len;
		memcpy(r->work, r->tmpl, r->tmpl_len);
		stamp_seq(r->work, r->next[IMPL_LIB]++);
		srtp_err_status_t st = srtp_protect(r->lib_tx, r->work, &len);
		if (st != srtp_err_status_ok) {
			r->fail_at = first + i;
			return (int)st;
		}
		acc += r->work[len - 1];
	}
	sink += acc;
	return 0;
}

static int floor_protect_batch(struct rig *r, size_t first, size_t n)
{
	uint32_t acc = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = r->tmpl_len;
		uint64_t idx = r->next[IMPL_FLOOR]++;
		memcpy(r->work, r->tmpl, len);
		stamp_seq(r->work, idx);
		if (floor_protect(&r->fl, r->work, &len, idx)) {
			r->fail_at = first + i;
			return -1;
		}
		acc += r->work[len - 1];
	}
	sink += acc;
	return 0;
}

static int cl_unprotect_batch(struct rig *r, size_t first, size_t n)
{
	const struct batch *b = &r->pre[IMPL_CL];
	uint32_t acc = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = b->len;
		memcpy(r->work, b->buf + (first + i) * b->stride, len);
		int err = cl_srtp_unprotect(r->cl_rx, r->work, &len);
		if (err || len != r->tmpl_len) {
			r->fail_at = first + i;
			return err ? err : -1;
		}
		acc += r->work[len - 1];
	}
	sink += acc;
	return 0;
}

static int lib_unprotect_batch(struct rig *r, size_t first, size_t n)
{
	const struct batch *b = &r->pre[IMPL_LIB];
	uint32_t acc = 0;
	for (size_t i = 0; i < n; i++) {
		int len = (int)b->len;
		memcpy(r->work, b->buf + (first + i) * b->stride, b->len);
		srtp_err_status_t st = srtp_unprotect(r->lib_rx, r->work, &len);
		if (st != srtp_err_status_ok || (size_t)len != r->tmpl_len) {
			r->fail_at = first + i;
			return st != srtp_err_status_ok ? (int)st : -1;
		}
		acc += r->work[len - 1];
	}
	sink += acc;
	return 0;
}

static int floor_unprotect_batch(struct rig *r, size_t first, size_t n)
{
	const struct batch *b = &r->pre[IMPL_FLOOR];
	uint32_t acc = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = b->len;
		memcpy(r->work, b->buf + (first + i) * b->stride, len);
		if (floor_unprotect(&r->fl, r->work, &len) || len != r->tmpl_len) {
			r->fail_at = first + i;
			return -1;
		}
		acc += r->work[len - 1];
	}
	sink += acc;
	return 0;
}

static batch_fn *const batch_fns[NOPS][NIMPL] = {
	{ cl_protect_batch, lib_protect_batch, floor_protect_batch },
	{ cl_unprotect_batch, lib_unprotect_batch, floor_unprotect_batch },
};

/* Runs one batch; a failure aborts the benchmark with the implementation's reason. */
static void run_batch(struct rig *r, enum op op, enum impl impl, size_t first, size_t n)
{
	int err = batch_fns[op][impl](r, first, n);
	if (err == 0)
		return;
	const char *why = impl == IMPL_CL && err > 0 ? cl_srtp_strerror(err)
			  : impl == IMPL_LIB		? "libsrtp2 status (see srtp_err_status_t)"
							: "failed";
	die("%s %s failed: %s @%zu, packet %zu: %s (%d)", impl_name[impl], op_name[op],
	    r->suite->name, r->payload, r->fail_at, why, err);
}

/* ---- setup outside the timed region ---- */

/* Protects pkt (seq already stamped for idx) with one implementation's sender. */
static int protect_one(struct rig *r, enum impl impl, uint8_t *pkt, size_t *len, size_t cap)
{
	uint64_t idx = r->next[impl]++;
	stamp_seq(pkt, idx);
	if (impl == IMPL_CL)
		return cl_srtp_protect(r->cl_tx, pkt, len, cap);
	if (impl == IMPL_FLOOR)
		return floor_protect(&r->fl, pkt, len, idx);
	int ilen = (int)*len;
	srtp_err_status_t st = srtp_protect(r->lib_tx, pkt, &ilen);
	*len = (size_t)ilen;
	return st == srtp_err_status_ok ? 0 : (int)st;
}

static int unprotect_one(struct rig *r, enum impl impl, uint8_t *pkt, size_t *len)
{
	if (impl == IMPL_CL)
		return cl_srtp_unprotect(r->cl_rx, pkt, len);
	if (impl == IMPL_FLOOR)
		return floor_unprotect(&r->fl, pkt, len);
	int ilen = (int)*len;
	srtp_err_status_t st = srtp_unprotect(r->lib_rx, pkt, &ilen);
	*len = (size_t)ilen;
	return st == srtp_err_status_ok ? 0 : (int)st;
}

/* All three senders start at index 0: packet 0 must come out byte-identical from
 * each (same session keys, same IV, same tag), and each receiver must restore it.
 * This shows the floor does the same work as the other two. A mismatch is reported
 * and counted but does not stop the figures. */
static void cross_check(struct rig *r)
{
	static uint8_t out[NIMPL][WORK_CAP];
	size_t len[NIMPL];
	for (int i = 0; i < NIMPL; i++) {
		len[i] = r->tmpl_len;
		memcpy(out[i], r->tmpl, r->tmpl_len);
		if (protect_one(r, (enum impl)i, out[i], &len[i], WORK_CAP))
			die("%s protect of packet 0 failed: %s", impl_name[i], r->suite->name);
	}
	for (int i = 0; i < NIMPL; i++) {
		if (i != IMPL_LIB && (len[i] != len[IMPL_LIB] ||
				      memcmp(out[i], out[IMPL_LIB], len[i]) != 0)) {
			printf("WARNING %s @%zu: %s output differs from libsrtp2 (len %zu vs %zu)\n",
			       r->suite->name, r->payload, impl_name[i], len[i], len[IMPL_LIB]);
			mismatches++;
		}
	}
	r->pre[IMPL_FLOOR].roc = 0; /* packet 0 has ROC 0 */
	for (int i = 0; i < NIMPL; i++) {
		rx_reset(r, (enum impl)i);
		if (unprotect_one(r, (enum impl)i, out[i], &len[i]) || len[i] != r->tmpl_len ||
		    memcmp(out[i] + 4, r->tmpl + 4, r->tmpl_len - 4) != 0)
			die("%s could not unprotect its own packet 0: %s", impl_name[i],
			    r->suite->name);
	}
}

/* Each implementation protects n fresh packets for its own unprotect rounds. */
static void prebuild(struct rig *r, size_t n)
{
	for (int i = 0; i < NIMPL; i++) {
		struct batch *b = &r->pre[i];
		b->stride = (HDR_LEN + r->payload + SRTP_MAX_TRAILER_LEN + 63) & ~(size_t)63;
		b->n = n;
		b->roc = (uint32_t)(r->next[i] >> 16);
		b->buf = malloc(b->stride * n);
		if (b->buf == NULL)
			die("out of memory for %zu packets", n);
		for (size_t k = 0; k < n; k++) {
			uint8_t *p = b->buf + k * b->stride;
			size_t len = r->tmpl_len;
			memcpy(p, r->tmpl, len);
			if (protect_one(r, (enum impl)i, p, &len, b->stride))
				die("%s pre-protect failed: %s", impl_name[i], r->suite->name);
			b->len = len;
		}
	}
}

static struct rig *rig_new(const struct bench_suite *bs, size_t payload, size_t npre)
{
	struct rig *r = aligned_alloc(64, (sizeof *r + 63) & ~(size_t)63);
	if (r == NULL)
		die("out of memory");
	memset(r, 0, sizeof *r);
	r->bs = bs;
	r->suite = cl_srtp_suite_get(bs->id);
	r->payload = payload;
	size_t mlen = (size_t)r->suite->key_len + r->suite->salt_len;
	for (size_t i = 0; i < mlen; i++)
		r->master[i] = (uint8_t)(0xa5 ^ (i * 29 + bs->id));
	/* RTP header (RFC 3550 §5.1): V=2, PT 0, seq stamped per packet, ts, SSRC. */
	const uint8_t hdr[HDR_LEN] = { 0x80, 0x00, 0, 0, 0x00, 0x01, 0xe2, 0x40,
				       (uint8_t)(BENCH_SSRC >> 24), (uint8_t)(BENCH_SSRC >> 16),
				       (uint8_t)(BENCH_SSRC >> 8), (uint8_t)BENCH_SSRC };
	memcpy(r->tmpl, hdr, HDR_LEN);
	for (size_t i = 0; i < payload; i++)
		r->tmpl[HDR_LEN + i] = (uint8_t)(i * 7 + 3);
	r->tmpl_len = HDR_LEN + payload;
	cl_session(r, &r->cl_tx);
	lib_session(r, false, &r->lib_tx);
	if (floor_init(&r->fl, bs->gcm, r->master, r->suite->key_len, r->suite->salt_len))
		die("floor setup failed: %s", r->suite->name);
	cross_check(r);
	prebuild(r, npre);
	return r;
}

static void rig_free(struct rig *r)
{
	cl_srtp_free(r->cl_tx);
	cl_srtp_free(r->cl_rx);
	srtp_dealloc(r->lib_tx);
	if (r->lib_rx)
		srtp_dealloc(r->lib_rx);
	floor_free(&r->fl);
	for (int i = 0; i < NIMPL; i++)
		free(r->pre[i].buf);
	free(r);
}

/* ---- measurement ---- */

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One round: every implementation runs the same n packets, interleaved in chunks of
 * CHUNK (rotating who goes first), so slow phases of the machine land on all three.
 * A round's figure per implementation is the median of its chunks' ns/packet: a timer
 * interrupt or a steal by the hypervisor (tens of microseconds) lands in one chunk, and
 * the median drops that chunk instead of smearing it over the round. */
static void run_round(struct rig *r, enum op op, int round, size_t n, double ns[NIMPL],
		      double *chunk_ns)
{
	size_t nchunks = (n + CHUNK - 1) / CHUNK;
	for (int i = 0; i < NIMPL; i++) {
		if (op == OP_UNPROTECT)
			rx_reset(r, (enum impl)i);
	}
	for (size_t c = 0; c < nchunks; c++) {
		size_t first = c * CHUNK, k = n - first < CHUNK ? n - first : CHUNK;
		for (int j = 0; j < NIMPL; j++) {
			enum impl impl = (enum impl)(((size_t)round + c + (size_t)j) % NIMPL);
			double t0 = now_ns();
			run_batch(r, op, impl, first, k);
			chunk_ns[(size_t)impl * nchunks + c] = (now_ns() - t0) / (double)k;
		}
	}
	for (int i = 0; i < NIMPL; i++)
		ns[i] = median(chunk_ns + (size_t)i * nchunks, nchunks);
}

/* Median ns/packet over the rounds, after one warm-up round. */
static void measure(struct rig *r, enum op op, unsigned rounds, size_t n, double med[NIMPL])
{
	size_t nchunks = (n + CHUNK - 1) / CHUNK;
	double *ns = calloc((size_t)NIMPL * rounds, sizeof *ns), one[NIMPL];
	double *chunk_ns = calloc((size_t)NIMPL * nchunks, sizeof *chunk_ns);
	if (ns == NULL || chunk_ns == NULL)
		die("out of memory");
	run_round(r, op, 0, n, one, chunk_ns);
	for (unsigned round = 0; round < rounds; round++) {
		run_round(r, op, (int)round, n, one, chunk_ns);
		for (int i = 0; i < NIMPL; i++)
			ns[(size_t)i * rounds + round] = one[i];
	}
	for (int i = 0; i < NIMPL; i++)
		med[i] = median(ns + (size_t)i * rounds, rounds);
	free(chunk_ns);
	free(ns);
}

static void print_row(const struct result *res)
{
	const double *m = res->med;
	printf("%-24s %5zu  %-9s %11.1f %11.1f %9.1f %14.2f %11.2f\n", suite_name(res->bs),
	       res->payload, op_name[res->op], m[IMPL_CL], m[IMPL_LIB], m[IMPL_FLOOR],
	       m[IMPL_CL] / m[IMPL_LIB], m[IMPL_CL] / m[IMPL_FLOOR]);
	fflush(stdout);
}

/* Command-line choices. only_suite/only_size narrow the table (for profiling). */
struct opts {
	unsigned rounds;
	size_t batch;
	bool allocs;
	const char *only_suite;
	size_t only_size;
};

static bool suite_selected(const struct opts *o, const struct bench_suite *bs)
{
	return !o->only_suite || strcmp(o->only_suite, suite_name(bs)) == 0;
}

static bool selected(const struct opts *o, const struct bench_suite *bs, size_t payload)
{
	return suite_selected(o, bs) && (!o->only_size || o->only_size == payload);
}

static size_t run_table(const struct opts *o, struct result *res)
{
	size_t nres = 0;
	printf("%-24s %5s  %-9s %11s %11s %9s %14s %11s\n", "suite", "size", "op",
	       "cipherline", "libsrtp2", "floor", "ours/libsrtp2", "ours/floor");
	for (size_t s = 0; s < NSUITES; s++) {
		for (size_t z = 0; z < NSIZES; z++) {
			if (!selected(o, &suites[s], payloads[z]))
				continue;
			struct rig *r = rig_new(&suites[s], payloads[z], o->batch);
			for (int op = 0; op < NOPS; op++) {
				struct result *x = &res[nres++];
				*x = (struct result){ &suites[s], payloads[z], (enum op)op, { 0 } };
				measure(r, (enum op)op, o->rounds, o->batch, x->med);
				print_row(x);
			}
			rig_free(r);
		}
	}
	return nres;
}

/* Issue 2 §4 targets: CM-128-80 at 160 bytes <= 1.15x the floor, GCM <= 1.10x. */
static void print_targets(const struct result *res, size_t nres)
{
	size_t shown = 0;
	printf("\ntargets (ours/floor; figures, not a test):\n");
	for (size_t i = 0; i < nres; i++) {
		const struct result *x = &res[i];
		double limit;
		if (x->bs->id == CL_SRTP_AES_CM_128_HMAC_SHA1_80 && x->payload == 160)
			limit = TARGET_CM;
		else if (x->bs->gcm)
			limit = TARGET_GCM;
		else
			continue;
		double ratio = x->med[IMPL_CL] / x->med[IMPL_FLOOR];
		printf("  %-24s @%-4zu %-9s %6.3f <= %.2f  %s\n", suite_name(x->bs), x->payload,
		       op_name[x->op], ratio, limit, ratio <= limit ? "MET" : "MISSED");
		shown++;
	}
	if (shown == 0)
		printf("  (no row with a target was run)\n");
}

/* ---- allocation counting ---- */

static unsigned long count_allocs(struct rig *r, enum op op, enum impl impl, size_t n)
{
	if (op == OP_UNPROTECT)
		rx_reset(r, impl);
	alloc_count_start();
	run_batch(r, op, impl, 0, n);
	return alloc_count_stop();
}

/* Shows the counter sees all three: re-creating a receiving context must allocate. */
static void alloc_self_check(void)
{
	unsigned long c[NIMPL];
	struct rig *r = rig_new(&suites[0], 160, 1);
	for (int i = 0; i < NIMPL; i++) {
		alloc_count_start();
		if (i == IMPL_FLOOR) {
			floor_free(&r->fl);
			if (floor_init(&r->fl, r->bs->gcm, r->master, r->suite->key_len,
				       r->suite->salt_len))
				die("floor setup failed");
		} else {
			rx_reset(r, (enum impl)i);
		}
		c[i] = alloc_count_stop();
		if (c[i] == 0)
			die("allocation counter saw no allocation in %s setup", impl_name[i]);
	}
	printf("  counter check, allocations to set up a context: cipherline %lu, libsrtp2 %lu,"
	       " floor %lu\n",
	       c[IMPL_CL], c[IMPL_LIB], c[IMPL_FLOOR]);
	rig_free(r);
}

static void run_allocs(const struct opts *o)
{
	unsigned long total[NIMPL] = { 0 };
	size_t packets = 0;
	printf("\nallocations during %d protects and %d unprotects per suite (160-byte payload;"
	       " malloc/calloc/realloc/memalign interposed):\n",
	       ALLOC_PACKETS, ALLOC_PACKETS);
	if (!ALLOC_COUNT_AVAILABLE) {
		printf("  not available in a sanitizer build\n");
		return;
	}
	alloc_self_check();
	printf("  %-24s %-9s %11s %11s %9s\n", "suite", "op", "cipherline", "libsrtp2", "floor");
	for (size_t s = 0; s < NSUITES; s++) {
		if (!suite_selected(o, &suites[s]))
			continue;
		struct rig *r = rig_new(&suites[s], 160, ALLOC_PACKETS);
		for (int op = 0; op < NOPS; op++) {
			unsigned long c[NIMPL];
			for (int i = 0; i < NIMPL; i++) {
				c[i] = count_allocs(r, (enum op)op, (enum impl)i, ALLOC_PACKETS);
				total[i] += c[i];
			}
			packets += ALLOC_PACKETS;
			printf("  %-24s %-9s %11lu %11lu %9lu\n", suite_name(&suites[s]),
			       op_name[op], c[IMPL_CL], c[IMPL_LIB], c[IMPL_FLOOR]);
		}
		rig_free(r);
	}
	if (packets == 0)
		return;
	printf("allocations per packet: cipherline %.3f, libsrtp2 %.3f, floor %.3f\n",
	       (double)total[IMPL_CL] / (double)packets, (double)total[IMPL_LIB] / (double)packets,
	       (double)total[IMPL_FLOOR] / (double)packets);
}

/* ---- machine description ---- */

static int find_nss(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	if (info->dlpi_name && strstr(info->dlpi_name, "libnss3")) {
		*(bool *)arg = true;
		return 1;
	}
	return 0;
}

/* Appends to flags those of the CPU features the crypto cares about that line lists. */
static void cpu_flags(const char *list, char *flags, size_t fcap)
{
	static const char *const want[] = { "aes", "sha_ni", "avx2", "vaes", "vpclmulqdq" };
	char padded[4096], pat[32];
	snprintf(padded, sizeof padded, " %s ", list);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		snprintf(pat, sizeof pat, " %s ", want[i]);
		size_t used = strlen(flags);
		if (strstr(padded, pat))
			snprintf(flags + used, fcap - used, "%s%s", used ? " " : "", want[i]);
	}
	if (flags[0] == '\0')
		snprintf(flags, fcap, "no aes/sha_ni/avx2");
}

/* The first "model name" and "flags" of /proc/cpuinfo. */
static void cpu_info(char *model, size_t mcap, char *flags, size_t fcap)
{
	char line[4096];
	snprintf(model, mcap, "unknown");
	flags[0] = '\0';
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f)) {
		char *v = strchr(line, ':');
		if (v == NULL)
			continue;
		v += 1 + strspn(v + 1, " \t");
		v[strcspn(v, "\n")] = '\0';
		if (strncmp(line, "model name", 10) == 0 && strcmp(model, "unknown") == 0)
			snprintf(model, mcap, "%s", v);
		else if (strncmp(line, "flags", 5) == 0 && flags[0] == '\0')
			cpu_flags(v, flags, fcap);
	}
	fclose(f);
}

static void print_machine(unsigned rounds, size_t batch)
{
	char model[256], flags[128], load[128] = "?";
	bool nss = false;
	cpu_info(model, sizeof model, flags, sizeof flags);
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) {
		if (fgets(load, sizeof load, f))
			load[strcspn(load, "\n")] = '\0';
		fclose(f);
	}
	dl_iterate_phdr(find_nss, &nss);
	printf("cipherline SRTP benchmark\n");
	printf("machine:  %s, %ld cores online (cpu flags: %s); load average %s\n", model,
	       sysconf(_SC_NPROCESSORS_ONLN), flags, load);
	printf("OpenSSL:  %s\n", OpenSSL_version(OPENSSL_VERSION));
	printf("libsrtp2: %s (crypto: %s)\n", srtp_get_version_string(),
	       nss ? "NSS" : "built-in or OpenSSL");
	printf("method:   single thread, 12-byte RTP header; ns per packet, median over %u rounds"
	       " of %zu packets,\n          the three implementations interleaved in chunks of"
	       " %d packets (a round: median of its chunks)\n\n",
	       rounds, batch, CHUNK);
}

/* ---- main ---- */

static void usage(FILE *out)
{
	fprintf(out,
		"usage: bench_srtp [--rounds N] [--batch N] [--quick] [--no-alloc]"
		" [--suite NAME] [--size 160|1200]\n"
		"  --rounds N     timed rounds per row (default %d; --quick: %d)\n"
		"  --batch N      packets per round (default %d; --quick: %d; max %d)\n"
		"  --no-alloc     skip the allocation count\n"
		"  --suite NAME   only this suite (SDES name); --size N: only this payload size\n",
		DEFAULT_ROUNDS, QUICK_ROUNDS, DEFAULT_BATCH, QUICK_BATCH, MAX_BATCH);
}

static unsigned long parse_num(const char *s, unsigned long lo, unsigned long hi)
{
	char *end = NULL;
	errno = 0;
	unsigned long v = s ? strtoul(s, &end, 10) : 0;
	if (s == NULL || errno || end == s || *end != '\0' || v < lo || v > hi) {
		usage(stderr);
		exit(2);
	}
	return v;
}

/* Returns 0, 1 to exit successfully (--help) or 2 for a usage error. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	bool quick = false;
	*o = (struct opts){ .allocs = true };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes_value = true;
		if (strcmp(a, "--rounds") == 0)
			o->rounds = (unsigned)parse_num(v, 1, 1001);
		else if (strcmp(a, "--batch") == 0)
			o->batch = parse_num(v, 1, MAX_BATCH);
		else if (strcmp(a, "--size") == 0)
			o->only_size = parse_num(v, 1, 1200);
		else if (strcmp(a, "--suite") == 0 && v != NULL)
			o->only_suite = v;
		else if (strcmp(a, "--quick") == 0) {
			quick = true;
			takes_value = false;
		} else if (strcmp(a, "--no-alloc") == 0) {
			o->allocs = false;
			takes_value = false;
		} else {
			bool help = strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
			usage(help ? stdout : stderr);
			return help ? 1 : 2;
		}
		if (takes_value)
			i++;
	}
	if (o->rounds == 0)
		o->rounds = quick ? QUICK_ROUNDS : DEFAULT_ROUNDS;
	if (o->batch == 0)
		o->batch = quick ? QUICK_BATCH : DEFAULT_BATCH;
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	int rc = parse_args(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (o.only_suite) {
		const struct cl_srtp_suite *su = cl_srtp_suite_find(o.only_suite, strlen(o.only_suite));
		if (su == NULL)
			die("unknown suite %s", o.only_suite);
		o.only_suite = su->name; /* an alias selects its suite */
	}
	if (srtp_init() != srtp_err_status_ok)
		die("srtp_init failed");
	print_machine(o.rounds, o.batch);
	struct result res[NSUITES * NSIZES * NOPS];
	size_t nres = run_table(&o, res);
	print_targets(res, nres);
	if (o.allocs)
		run_allocs(&o);
	if (mismatches)
		printf("\nWARNING: %u output mismatches against libsrtp2 (see above)\n", mismatches);
	srtp_shutdown();
	return 0;
}
