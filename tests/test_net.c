/* net/: address parse/format round trips and bad inputs, comparison and hashing,
 * non-blocking TCP connect (loopback listener and a closed port), UDP batches, and
 * MSG_NOSIGNAL. Loopback only; real-time waits (poll) are only failure guards. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net.h"
#include "test.h"

#define GUARD_MS 5000

/* Parses a copy of s in a buffer of exactly its length, so ASan catches any read
 * past the slice. */
static int parse_exact(struct cl_sa *sa, const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(n ? n : 1);
	int err;

	if (!p)
		return ENOMEM;
	memcpy(p, s, n);
	err = cl_sa_parse(sa, (struct cl_slice){ p, n });
	free(p);
	return err;
}

TEST(net_sa_parse_format_roundtrip)
{
	static const struct {
		const char *in, *out;
		int af;
		uint16_t port;
	} v[] = {
		{ "127.0.0.1:5060", "127.0.0.1:5060", AF_INET, 5060 },
		{ "0.0.0.0:0", "0.0.0.0:0", AF_INET, 0 },
		{ "255.255.255.255:65535", "255.255.255.255:65535", AF_INET, 65535 },
		{ "10.1.2.3:05061", "10.1.2.3:5061", AF_INET, 5061 },
		{ "[::1]:5060", "[::1]:5060", AF_INET6, 5060 },
		{ "[::]:0", "[::]:0", AF_INET6, 0 },
		{ "[2001:DB8:0:0::1]:5061", "[2001:db8::1]:5061", AF_INET6, 5061 },
		{ "[::ffff:192.0.2.1]:5060", "[::ffff:192.0.2.1]:5060", AF_INET6, 5060 },
		{ "[fe80::1:2:3:4]:1", "[fe80::1:2:3:4]:1", AF_INET6, 1 },
	};

	for (size_t i = 0; i < CL_ARRAY_SIZE(v); i++) {
		struct cl_sa a, b;
		char buf[CL_SA_STRLEN];

		CHECK_INT(parse_exact(&a, v[i].in), 0);
		CHECK_INT(cl_sa_family(&a), v[i].af);
		CHECK_INT(cl_sa_port(&a), v[i].port);
		CHECK(cl_sa_isset(&a));
		CHECK_INT(cl_sa_format(&a, buf, sizeof(buf)), 0);
		if (strcmp(buf, v[i].out) != 0) {
			fprintf(stderr, "  format(%s) = %s\n", v[i].in, buf);
			CHECK(0);
		}
		CHECK_INT(parse_exact(&b, buf), 0);
		CHECK(cl_sa_eq(&a, &b));
		CHECK_INT(cl_sa_cmp(&a, &b), 0);
		CHECK_INT(cl_sa_hash(&a), cl_sa_hash(&b));
	}
}

TEST(net_sa_parse_bad)
{
	static const char *const bad[] = {
		"", ":", ":5060", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
		"127.0.0.1:99999", "127.0.0.1:123456", "127.0.0.1:-1", "127.0.0.1:+5",
		"127.0.0.1:0x10", "127.0.0.1:50 ", " 127.0.0.1:5060", "127.0.0.1 :5060",
		"256.0.0.1:1", "1.2.3:5", "1.2.3.4.5:5", "01.2.3.4:5", "a.b.c.d:5",
		"localhost:5060", "::1:5060", "::1", "[::1]", "[::1]5060", "[::1:5060",
		"::1]:5060", "[::1]:", "[]:5060", "[127.0.0.1]:5060", "[::1]:50x",
		"[::1]:5060:1", "[fe80::1%eth0]:5060", "[fe80::1%2]:5060", "[:::1]:5",
		"[1:2:3:4:5:6:7:8:9]:5", "1.2.3.4:5060]", "[::1]]:5060",
	};

	for (size_t i = 0; i < CL_ARRAY_SIZE(bad); i++) {
		struct cl_sa a;

		if (parse_exact(&a, bad[i]) != EBADMSG) {
			fprintf(stderr, "  accepted \"%s\"\n", bad[i]);
			CHECK(0);
		}
		CHECK(!cl_sa_isset(&a)); /* left unset on failure */
	}
	/* An embedded NUL is just a bad byte: the slice length rules. */
	{
		struct cl_sa a;

		CHECK_INT(cl_sa_parse(&a, (struct cl_slice){ "1.2.3.4\0:5", 10 }), EBADMSG);
		CHECK_INT(cl_sa_parse(&a, (struct cl_slice){ "1.2.3.4:5\0", 10 }), EBADMSG);
		CHECK_INT(cl_sa_parse(&a, (struct cl_slice){ NULL, 0 }), EBADMSG);
	}
}

TEST(net_sa_parse_stops_at_len)
{
	struct cl_sa a;

	/* Only the first 14 bytes are the slice: the rest must not be read. */
	CHECK_INT(cl_sa_parse(&a, (struct cl_slice){ "127.0.0.1:50601234", 14 }), 0);
	CHECK_INT(cl_sa_port(&a), 5060);
	CHECK_INT(cl_sa_parse(&a, (struct cl_slice){ "[::1]:5060]junk", 10 }), 0);
	CHECK_INT(cl_sa_port(&a), 5060);
	CHECK(cl_sa_is_loopback(&a));
}

TEST(net_sa_parse_ip)
{
	struct cl_sa a;
	char buf[CL_SA_STRLEN];

	CHECK_INT(cl_sa_parse_ip(&a, CL_SLICE_LIT("192.0.2.7"), 5060), 0);
	CHECK_INT(cl_sa_format(&a, buf, sizeof(buf)), 0);
	CHECK(strcmp(buf, "192.0.2.7:5060") == 0);
	CHECK_INT(cl_sa_parse_ip(&a, CL_SLICE_LIT("2001:db8::7"), 5061), 0);
	CHECK_INT(cl_sa_format(&a, buf, sizeof(buf)), 0);
	CHECK(strcmp(buf, "[2001:db8::7]:5061") == 0);
	CHECK_INT(cl_sa_format_ip(&a, buf, sizeof(buf)), 0);
	CHECK(strcmp(buf, "2001:db8::7") == 0);
	CHECK_INT(cl_sa_parse_ip(&a, CL_SLICE_LIT("[2001:db8::7]"), 1), 0);
	CHECK_INT(cl_sa_port(&a), 1);
	CHECK_INT(cl_sa_parse_ip(&a, CL_SLICE_LIT("[192.0.2.7]"), 1), EBADMSG);
	CHECK_INT(cl_sa_parse_ip(&a, CL_SLICE_LIT("[::1"), 1), EBADMSG);
	CHECK_INT(cl_sa_parse_ip(&a, CL_SLICE_LIT("["), 1), EBADMSG);
	CHECK_INT(cl_sa_parse_ip(&a, CL_SLICE_LIT("192.0.2.7:5"), 1), EBADMSG);
	CHECK_INT(cl_sa_parse_ip(&a, CL_SLICE_LIT(""), 1), EBADMSG);
}

TEST(net_sa_format_limits)
{
	struct cl_sa a;
	char buf[CL_SA_STRLEN];

	cl_sa_init(&a);
	CHECK_INT(cl_sa_format(&a, buf, sizeof(buf)), EINVAL);
	CHECK_INT(cl_sa_set_port(&a, 1), EINVAL);
	CHECK_INT(cl_sa_port(&a), 0);
	CHECK_INT(parse_exact(&a, "127.0.0.1:5060"), 0);
	CHECK_INT(cl_sa_format(&a, buf, 15), 0); /* exactly fits with its NUL */
	CHECK(strcmp(buf, "127.0.0.1:5060") == 0);
	CHECK_INT(cl_sa_format(&a, buf, 14), ENOBUFS);
	CHECK_INT(cl_sa_format(&a, NULL, 0), ENOBUFS);
	CHECK_INT(cl_sa_format_ip(&a, buf, 9), ENOBUFS);
	CHECK_INT(cl_sa_format_ip(&a, buf, 10), 0);
	/* The longest v6 text form fits CL_SA_STRLEN. */
	CHECK_INT(parse_exact(&a, "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535"), 0);
	CHECK_INT(cl_sa_format(&a, buf, sizeof(buf)), 0);
	CHECK(strlen(buf) < sizeof(buf));
	CHECK_INT(cl_sa_port(&a), 65535);
}

TEST(net_sa_compare_port)
{
	struct cl_sa a, b, c, u;

	cl_sa_init(&u);
	CHECK_INT(parse_exact(&a, "10.0.0.1:5060"), 0);
	CHECK_INT(parse_exact(&b, "10.0.0.1:5061"), 0);
	CHECK_INT(parse_exact(&c, "[::1]:5060"), 0);
	CHECK(!cl_sa_eq(&a, &b));
	CHECK(cl_sa_eq_ip(&a, &b));
	CHECK(cl_sa_cmp(&a, &b) < 0 && cl_sa_cmp(&b, &a) > 0);
	CHECK(cl_sa_cmp(&a, &c) < 0); /* AF_INET sorts before AF_INET6 */
	CHECK(cl_sa_cmp(&u, &a) < 0); /* unset first */
	CHECK(cl_sa_eq(&u, &u));
	CHECK(!cl_sa_eq_ip(&a, &c));
	CHECK_INT(cl_sa_set_port(&b, 5060), 0);
	CHECK(cl_sa_eq(&a, &b));
	CHECK_INT(cl_sa_hash(&a), cl_sa_hash(&b));
	CHECK_INT(cl_sa_set_port(&c, 1), 0);
	CHECK_INT(cl_sa_port(&c), 1);
	CHECK(cl_sa_is_loopback(&c));
	CHECK(!cl_sa_is_loopback(&a));
	CHECK_INT(parse_exact(&a, "127.255.0.1:1"), 0);
	CHECK(cl_sa_is_loopback(&a));
	CHECK_INT(cl_sa_from_sockaddr(&a, &u.u.sa, sizeof(u.u.ss)), EINVAL);
}

/* ---- sockets ---- */

/* Waits (guard only) until fd has any of the poll events. */
static bool wait_fd(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, GUARD_MS) == 1;
}

/* Connects to a listener on bind_str and moves bytes both ways; *skipped when the
 * family is unavailable. */
static void tcp_pair(struct cl_test *t, const char *bind_str, bool *skipped)
{
	struct cl_sa any, laddr, caddr, peer;
	int lfd, cfd, afd = -1, err;
	char buf[16];
	size_t n;

	*skipped = false;
	CHECK_INT(cl_sa_parse(&any, cl_slice_cstr(bind_str)), 0);
	err = cl_net_tcp_listen(&lfd, &any, 0);
	if (err == EADDRNOTAVAIL || err == EAFNOSUPPORT) {
		fprintf(stderr, "  skip: %s unavailable (%s)\n", bind_str, strerror(err));
		*skipped = true;
		return;
	}
	CHECK_INT(err, 0);
	CHECK_INT(cl_net_tcp_accept(lfd, &afd, NULL), EAGAIN);
	CHECK_INT(cl_net_local_addr(lfd, &laddr), 0);
	CHECK_INT(cl_net_tcp_connect_nb(&cfd, &laddr, NULL), 0);
	CHECK(wait_fd(cfd, POLLOUT));
	CHECK_INT(cl_net_tcp_connect_result(cfd), 0);
	CHECK_INT(cl_net_set_nodelay(cfd), 0);
	CHECK(wait_fd(lfd, POLLIN));
	CHECK_INT(cl_net_tcp_accept(lfd, &afd, &peer), 0);
	CHECK_INT(cl_net_local_addr(cfd, &caddr), 0);
	CHECK(cl_sa_eq(&peer, &caddr));
	CHECK_INT(cl_net_send(cfd, "ping", 4, &n), 0);
	CHECK_INT(n, 4);
	CHECK(wait_fd(afd, POLLIN));
	CHECK_INT(cl_net_recv(afd, buf, sizeof(buf), &n), 0);
	CHECK_INT(n, 4);
	CHECK_MEM(buf, "ping", 4);
	CHECK_INT(cl_net_recv(afd, buf, sizeof(buf), &n), EAGAIN);
	close(cfd);
	CHECK(wait_fd(afd, POLLIN));
	CHECK_INT(cl_net_recv(afd, buf, sizeof(buf), &n), 0);
	CHECK_INT(n, 0); /* orderly close */
	close(afd);
	close(lfd);
}

TEST(net_tcp_connect_loopback_v4)
{
	bool skipped;

	tcp_pair(t, "127.0.0.1:0", &skipped);
	CHECK(!skipped);
}

TEST(net_tcp_connect_loopback_v6)
{
	bool skipped;

	tcp_pair(t, "[::1]:0", &skipped); /* skips cleanly without ::1 */
}

TEST(net_tcp_connect_refused)
{
	struct cl_sa any, addr;
	int lfd, cfd, err;

	/* Learn a free port from a listener, then close it: the port is now closed. */
	CHECK_INT(parse_exact(&any, "127.0.0.1:0"), 0);
	CHECK_INT(cl_net_tcp_listen(&lfd, &any, 1), 0);
	CHECK_INT(cl_net_local_addr(lfd, &addr), 0);
	close(lfd);
	err = cl_net_tcp_connect_nb(&cfd, &addr, NULL);
	if (err == 0) { /* in progress: the refusal arrives as writability + SO_ERROR */
		CHECK(wait_fd(cfd, POLLOUT));
		err = cl_net_tcp_connect_result(cfd);
		close(cfd);
	} else {
		CHECK_INT(cfd, -1);
	}
	CHECK_INT(err, ECONNREFUSED);
}

TEST(net_tcp_bad_args)
{
	struct cl_sa u, a;
	int fd = 7;

	cl_sa_init(&u);
	CHECK_INT(cl_net_tcp_listen(&fd, &u, 0), EINVAL);
	CHECK_INT(fd, -1);
	CHECK_INT(cl_net_udp_bind(&fd, NULL), EINVAL);
	CHECK_INT(parse_exact(&a, "127.0.0.1:1"), 0);
	CHECK_INT(parse_exact(&u, "[::1]:0"), 0);
	CHECK_INT(cl_net_tcp_connect_nb(&fd, &a, &u), EINVAL); /* family mismatch */
	CHECK_INT(fd, -1);
}

TEST(net_send_no_sigpipe)
{
	int sv[2];
	size_t n = 99;

	/* Without MSG_NOSIGNAL this would kill the runner with SIGPIPE. */
	CHECK_INT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	close(sv[1]);
	CHECK_INT(cl_net_send(sv[0], "x", 1, &n), EPIPE);
	CHECK_INT(n, 0);
	close(sv[0]);
}

TEST(net_udp_batch_v4)
{
	struct cl_sa any, a, b;
	int fa, fb;
	uint8_t out[10][8], in[12][8], big[100] = { 0 };
	struct cl_net_pkt tx[10], rx[12];
	unsigned sent = 0, got = 0, total = 0;
	size_t n;

	CHECK_INT(parse_exact(&any, "127.0.0.1:0"), 0);
	CHECK_INT(cl_net_udp_bind(&fa, &any), 0);
	CHECK_INT(cl_net_udp_bind(&fb, &any), 0);
	CHECK_INT(cl_net_local_addr(fa, &a), 0);
	CHECK_INT(cl_net_local_addr(fb, &b), 0);
	CHECK_INT(cl_net_recv_batch(fb, rx, 12, &got), EAGAIN);
	for (int i = 0; i < 10; i++) {
		memset(out[i], 'a' + i, sizeof(out[i]));
		tx[i] = (struct cl_net_pkt){ .buf = out[i], .len = (size_t)(i % 8) + 1, .addr = b };
	}
	CHECK_INT(cl_net_send_batch(fa, tx, 10, &sent), 0);
	CHECK_INT(sent, 10); /* loopback UDP does not fill up for 10 datagrams */
	for (int i = 0; i < 12; i++)
		rx[i] = (struct cl_net_pkt){ .buf = in[i], .cap = sizeof(in[i]) };
	for (int tries = 0; tries < 20 && total < 10; tries++) {
		CHECK(wait_fd(fb, POLLIN));
		CHECK_INT(cl_net_recv_batch(fb, rx + total, 12 - total, &got), 0);
		total += got;
	}
	CHECK_INT(total, 10);
	for (unsigned i = 0; i < 10; i++) {
		CHECK_INT(rx[i].len, (i % 8) + 1);
		CHECK_MEM(rx[i].buf, out[i], rx[i].len);
		CHECK(cl_sa_eq(&rx[i].addr, &a));
		CHECK(!rx[i].truncated);
	}
	/* A datagram longer than the buffer is flagged, in batches and singly. */
	CHECK_INT(cl_net_sendto(fa, big, sizeof(big), &b), 0);
	CHECK(wait_fd(fb, POLLIN));
	CHECK_INT(cl_net_recv_batch(fb, rx, 1, &got), 0);
	CHECK_INT(got, 1);
	CHECK(rx[0].truncated);
	CHECK_INT(rx[0].len, sizeof(in[0]));
	CHECK_INT(cl_net_sendto(fa, big, sizeof(big), &b), 0);
	CHECK(wait_fd(fb, POLLIN));
	CHECK_INT(cl_net_recvfrom(fb, in[0], sizeof(in[0]), &n, NULL), EMSGSIZE);
	CHECK_INT(n, sizeof(in[0]));
	close(fa);
	close(fb);
}

TEST(net_v6only_shares_port)
{
	struct cl_sa v4, v6;
	int f4, f6, err;

	/* IPV6_V6ONLY lets a v4 and a v6 socket bind the same port number. */
	CHECK_INT(parse_exact(&v4, "0.0.0.0:0"), 0);
	CHECK_INT(cl_net_udp_bind(&f4, &v4), 0);
	CHECK_INT(cl_net_local_addr(f4, &v4), 0);
	CHECK_INT(parse_exact(&v6, "[::]:0"), 0);
	CHECK_INT(cl_sa_set_port(&v6, cl_sa_port(&v4)), 0);
	err = cl_net_udp_bind(&f6, &v6);
	if (err == EAFNOSUPPORT || err == EADDRNOTAVAIL) {
		fprintf(stderr, "  skip: IPv6 unavailable\n");
	} else {
		CHECK_INT(err, 0);
		close(f6);
	}
	close(f4);
}
