/* Socket I/O: stream send/recv, single datagrams, and recvmmsg/sendmmsg batches for the
 * media workers. Every send uses MSG_NOSIGNAL, so a closed peer yields EPIPE, never
 * SIGPIPE. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "net/net.h"

/* Maps the errno of a failed call; EWOULDBLOCK is folded into EAGAIN. */
static int io_err(void)
{
	return errno == EWOULDBLOCK ? EAGAIN : errno;
}

int cl_net_send(int fd, const void *buf, size_t len, size_t *sent)
{
	ssize_t n;

	*sent = 0;
	do
		n = send(fd, buf, len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return io_err();
	*sent = (size_t)n;
	return 0;
}

int cl_net_recv(int fd, void *buf, size_t cap, size_t *got)
{
	ssize_t n;

	*got = 0;
	do
		n = recv(fd, buf, cap, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return io_err();
	*got = (size_t)n;
	return 0;
}

int cl_net_sendto(int fd, const void *buf, size_t len, const struct cl_sa *dst)
{
	const struct sockaddr *to = cl_sa_isset(dst) ? &dst->u.sa : NULL;
	socklen_t tolen = to ? dst->len : 0;
	ssize_t n;

	do
		n = sendto(fd, buf, len, MSG_NOSIGNAL, to, tolen);
	while (n < 0 && errno == EINTR);
	return n < 0 ? io_err() : 0;
}

int cl_net_recvfrom(int fd, void *buf, size_t cap, size_t *got, struct cl_sa *src)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	ssize_t n;

	*got = 0;
	do
		n = recvfrom(fd, buf, cap, MSG_TRUNC, (struct sockaddr *)&ss, &len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return io_err();
	if (src && cl_sa_from_sockaddr(src, (struct sockaddr *)&ss, len) != 0)
		cl_sa_init(src);
	/* MSG_TRUNC makes recvfrom return the real datagram length. */
	if ((size_t)n > cap) {
		*got = cap;
		return EMSGSIZE;
	}
	*got = (size_t)n;
	return 0;
}

int cl_net_recv_batch(int fd, struct cl_net_pkt *pkts, unsigned n, unsigned *got)
{
	struct mmsghdr mh[CL_NET_BATCH_MAX];
	struct iovec iov[CL_NET_BATCH_MAX];
	int r;

	*got = 0;
	if (!pkts || n == 0)
		return EINVAL;
	n = n > CL_NET_BATCH_MAX ? CL_NET_BATCH_MAX : n;
	memset(mh, 0, n * sizeof(mh[0]));
	for (unsigned i = 0; i < n; i++) {
		iov[i] = (struct iovec){ pkts[i].buf, pkts[i].cap };
		mh[i].msg_hdr.msg_iov = &iov[i];
		mh[i].msg_hdr.msg_iovlen = 1;
		mh[i].msg_hdr.msg_name = &pkts[i].addr.u.ss;
		mh[i].msg_hdr.msg_namelen = sizeof(pkts[i].addr.u.ss);
	}
	do
		r = recvmmsg(fd, mh, n, MSG_DONTWAIT, NULL);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return io_err();
	for (int i = 0; i < r; i++) {
		struct cl_net_pkt *p = &pkts[i];
		struct sockaddr_storage ss = p->addr.u.ss;

		if (cl_sa_from_sockaddr(&p->addr, (struct sockaddr *)&ss, mh[i].msg_hdr.msg_namelen))
			cl_sa_init(&p->addr);
		p->len = mh[i].msg_len;
		p->truncated = (mh[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
	}
	*got = (unsigned)r;
	return 0;
}

int cl_net_send_batch(int fd, const struct cl_net_pkt *pkts, unsigned n, unsigned *sent)
{
	struct mmsghdr mh[CL_NET_BATCH_MAX];
	struct iovec iov[CL_NET_BATCH_MAX];
	int r;

	*sent = 0;
	if (!pkts || n == 0)
		return EINVAL;
	n = n > CL_NET_BATCH_MAX ? CL_NET_BATCH_MAX : n;
	memset(mh, 0, n * sizeof(mh[0]));
	for (unsigned i = 0; i < n; i++) {
		const struct cl_sa *a = &pkts[i].addr;

		iov[i] = (struct iovec){ pkts[i].buf, pkts[i].len };
		mh[i].msg_hdr.msg_iov = &iov[i];
		mh[i].msg_hdr.msg_iovlen = 1;
		if (cl_sa_isset(a)) {
			mh[i].msg_hdr.msg_name = (void *)&a->u.sa;
			mh[i].msg_hdr.msg_namelen = a->len;
		}
	}
	do
		r = sendmmsg(fd, mh, n, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return io_err();
	*sent = (unsigned)r;
	return 0;
}
