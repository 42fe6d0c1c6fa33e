/* cipherline net: socket addresses and non-blocking UDP/TCP sockets (IPv4 and IPv6).
 *
 * Every socket made here is non-blocking and close-on-exec; IPv6 listeners and UDP
 * sockets set IPV6_V6ONLY, so a v4 and a v6 socket can share a port number and peers
 * never appear as v4-mapped addresses. Sends use MSG_NOSIGNAL: nothing here raises
 * SIGPIPE. Functions return 0 or an errno value; EAGAIN means "try when ready". */
#ifndef CL_NET_H
#define CL_NET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "base/base.h"

/* ---- addresses ---- */

/* An IPv4 or IPv6 address and port, or unset (AF_UNSPEC when zeroed). A value type:
 * copy and compare it freely. */
struct cl_sa {
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_storage ss;
	} u;
	socklen_t len; /* 0 when unset */
};

/* Room for the longest cl_sa_format output, "[v6]:65535" with its NUL. */
#define CL_SA_STRLEN (INET6_ADDRSTRLEN + 8)

/* Clears sa to unset. */
void cl_sa_init(struct cl_sa *sa);
/* Parses "a.b.c.d:port" or "[v6]:port" (decimal port 0..65535, no zone id).
 * Returns 0 or EBADMSG (sa is then unset). */
int cl_sa_parse(struct cl_sa *sa, struct cl_slice s);
/* Parses a bare address, "a.b.c.d", "v6" or "[v6]", with the given port.
 * Returns 0 or EBADMSG. */
int cl_sa_parse_ip(struct cl_sa *sa, struct cl_slice s, uint16_t port);
/* Copies a kernel sockaddr (AF_INET or AF_INET6). Returns 0 or EINVAL. */
int cl_sa_from_sockaddr(struct cl_sa *sa, const struct sockaddr *addr, socklen_t len);
/* Formats "a.b.c.d:port" or "[v6]:port" with a NUL. Returns 0, EINVAL (unset) or
 * ENOBUFS when cap is too small. */
int cl_sa_format(const struct cl_sa *sa, char *buf, size_t cap);
/* Formats the address alone, without brackets or port. Returns 0, EINVAL, ENOBUFS. */
int cl_sa_format_ip(const struct cl_sa *sa, char *buf, size_t cap);
/* Returns AF_INET, AF_INET6, or AF_UNSPEC when unset. */
int cl_sa_family(const struct cl_sa *sa);
/* Returns true when sa holds an address. */
bool cl_sa_isset(const struct cl_sa *sa);
/* Returns the port in host order (0 when unset). */
uint16_t cl_sa_port(const struct cl_sa *sa);
/* Sets the port. Returns 0 or EINVAL when sa is unset. */
int cl_sa_set_port(struct cl_sa *sa, uint16_t port);
/* Returns true for 127.0.0.0/8 and ::1. */
bool cl_sa_is_loopback(const struct cl_sa *sa);
/* Total order over family, address bytes, then port (scope id last for v6):
 * returns <0, 0 or >0. Unset sorts first. */
int cl_sa_cmp(const struct cl_sa *a, const struct cl_sa *b);
/* Returns true when family, address and port are equal. */
bool cl_sa_eq(const struct cl_sa *a, const struct cl_sa *b);
/* Returns true when family and address are equal, whatever the ports. */
bool cl_sa_eq_ip(const struct cl_sa *a, const struct cl_sa *b);
/* Returns a hash of family, address and port, for flow tables (not DoS-keyed). */
uint32_t cl_sa_hash(const struct cl_sa *sa);

/* ---- socket options ---- */

/* Sets or clears O_NONBLOCK. Returns 0 or errno. */
int cl_net_set_nonblock(int fd, bool on);
/* Sets FD_CLOEXEC. Returns 0 or errno. */
int cl_net_set_cloexec(int fd);
/* Sets SO_REUSEADDR. Returns 0 or errno. */
int cl_net_set_reuseaddr(int fd);
/* Sets IPV6_V6ONLY on or off. Returns 0 or errno. */
int cl_net_set_v6only(int fd, bool on);
/* Sets TCP_NODELAY (SIP writes whole messages: Nagle only adds delay). Returns 0/errno. */
int cl_net_set_nodelay(int fd);
/* Reads the socket's local (getsockname) or peer (getpeername) address. */
int cl_net_local_addr(int fd, struct cl_sa *sa);
int cl_net_peer_addr(int fd, struct cl_sa *sa);

/* ---- sockets ---- */

/* Makes a UDP socket bound to local (port 0 picks one; read it with
 * cl_net_local_addr). No SO_REUSEADDR: two sockets never share a UDP port.
 * Returns 0 with *fdp set, or errno (*fdp = -1). */
int cl_net_udp_bind(int *fdp, const struct cl_sa *local);
/* Makes a TCP listener on local with SO_REUSEADDR (backlog <= 0 means SOMAXCONN).
 * Returns 0 with *fdp set, or errno (*fdp = -1). */
int cl_net_tcp_listen(int *fdp, const struct cl_sa *local, int backlog);
/* Accepts one connection, non-blocking and close-on-exec; peer may be NULL.
 * Returns 0 with *fdp set, EAGAIN when none is pending, or errno. */
int cl_net_tcp_accept(int lfd, int *fdp, struct cl_sa *peer);
/* Starts a non-blocking connect to peer, from local if not NULL. Returns 0 with
 * *fdp set while the connection is in progress (or already up): watch *fdp for
 * writability, then call cl_net_tcp_connect_result. Returns an errno (and
 * *fdp = -1) for an immediate failure, such as ECONNREFUSED or ENETUNREACH. */
int cl_net_tcp_connect_nb(int *fdp, const struct cl_sa *peer, const struct cl_sa *local);
/* After writability: returns 0 when connected, or the connect error (SO_ERROR),
 * e.g. ECONNREFUSED or ETIMEDOUT. EINPROGRESS if called too early. */
int cl_net_tcp_connect_result(int fd);

/* ---- I/O ---- */

/* Sends on a stream (MSG_NOSIGNAL). Returns 0 with *sent (possibly short), EAGAIN
 * when nothing could be sent, or errno (EPIPE, ECONNRESET, ...). */
int cl_net_send(int fd, const void *buf, size_t len, size_t *sent);
/* Receives up to cap bytes from a stream. Returns 0 with *got (0 = peer closed),
 * EAGAIN, or errno. */
int cl_net_recv(int fd, void *buf, size_t cap, size_t *got);
/* Sends one datagram to dst (NULL for a connected socket). Returns 0, EAGAIN, errno. */
int cl_net_sendto(int fd, const void *buf, size_t len, const struct cl_sa *dst);
/* Receives one datagram; src may be NULL. Returns 0 with *got, EAGAIN, or errno;
 * EMSGSIZE when the datagram was longer than cap (the rest is lost). */
int cl_net_recvfrom(int fd, void *buf, size_t cap, size_t *got, struct cl_sa *src);

/* One datagram of a batch. */
struct cl_net_pkt {
	void *buf;
	size_t cap;        /* recv: buffer room */
	size_t len;        /* recv: bytes received; send: bytes to send */
	struct cl_sa addr; /* recv: source; send: destination (unset = connected peer) */
	bool truncated;    /* recv: longer than cap (MSG_TRUNC) */
};

/* Most datagrams one batch call moves; larger n are clamped. */
#define CL_NET_BATCH_MAX 64

/* Receives up to n datagrams with one recvmmsg. Returns 0 with *got >= 1, EAGAIN
 * when none is waiting, or errno. */
int cl_net_recv_batch(int fd, struct cl_net_pkt *pkts, unsigned n, unsigned *got);
/* Sends up to n datagrams with one sendmmsg (MSG_NOSIGNAL). Returns 0 with *sent >= 1
 * (the first *sent went out; retry the rest), EAGAIN, or the first packet's errno. */
int cl_net_send_batch(int fd, const struct cl_net_pkt *pkts, unsigned n, unsigned *sent);

#endif
