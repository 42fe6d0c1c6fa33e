/* Non-blocking UDP and TCP sockets: options, bind, listen, accept, connect. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net.h"

int cl_net_set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return errno;
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	return fcntl(fd, F_SETFL, fl) < 0 ? errno : 0;
}

int cl_net_set_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFD);

	if (fl < 0)
		return errno;
	return fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0 ? errno : 0;
}

static int setopt_int(int fd, int level, int name, int v)
{
	return setsockopt(fd, level, name, &v, sizeof(v)) < 0 ? errno : 0;
}

int cl_net_set_reuseaddr(int fd)
{
	return setopt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
}

int cl_net_set_v6only(int fd, bool on)
{
	return setopt_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, on);
}

int cl_net_set_nodelay(int fd)
{
	return setopt_int(fd, IPPROTO_TCP, TCP_NODELAY, 1);
}

int cl_net_local_addr(int fd, struct cl_sa *sa)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return errno;
	return cl_sa_from_sockaddr(sa, (struct sockaddr *)&ss, len);
}

int cl_net_peer_addr(int fd, struct cl_sa *sa)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
		return errno;
	return cl_sa_from_sockaddr(sa, (struct sockaddr *)&ss, len);
}

/* Makes a non-blocking close-on-exec socket for sa's family; v6 sockets are v6-only. */
static int make_socket(int *fdp, const struct cl_sa *sa, int type)
{
	int af = cl_sa_family(sa), fd, err;

	*fdp = -1;
	if (af != AF_INET && af != AF_INET6)
		return EINVAL;
	fd = socket(af, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	if (af == AF_INET6) {
		err = cl_net_set_v6only(fd, true);
		if (err) {
			close(fd);
			return err;
		}
	}
	*fdp = fd;
	return 0;
}

/* Closes *fdp, sets it to -1 and returns err (the cleanup path of the constructors). */
static int fail(int *fdp, int err)
{
	close(*fdp);
	*fdp = -1;
	return err;
}

int cl_net_udp_bind(int *fdp, const struct cl_sa *local)
{
	int err;

	if (!fdp)
		return EINVAL;
	err = make_socket(fdp, local, SOCK_DGRAM);
	if (err)
		return err;
	if (bind(*fdp, &local->u.sa, local->len) < 0)
		return fail(fdp, errno);
	return 0;
}

int cl_net_tcp_listen(int *fdp, const struct cl_sa *local, int backlog)
{
	int err;

	if (!fdp)
		return EINVAL;
	err = make_socket(fdp, local, SOCK_STREAM);
	if (err)
		return err;
	err = cl_net_set_reuseaddr(*fdp);
	if (err)
		return fail(fdp, err);
	if (bind(*fdp, &local->u.sa, local->len) < 0)
		return fail(fdp, errno);
	if (listen(*fdp, backlog > 0 ? backlog : SOMAXCONN) < 0)
		return fail(fdp, errno);
	return 0;
}

int cl_net_tcp_accept(int lfd, int *fdp, struct cl_sa *peer)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd;

	if (!fdp)
		return EINVAL;
	*fdp = -1;
	fd = accept4(lfd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return errno == EWOULDBLOCK ? EAGAIN : errno;
	if (peer && cl_sa_from_sockaddr(peer, (struct sockaddr *)&ss, len) != 0)
		cl_sa_init(peer);
	*fdp = fd;
	return 0;
}

int cl_net_tcp_connect_nb(int *fdp, const struct cl_sa *peer, const struct cl_sa *local)
{
	int err;

	if (!fdp)
		return EINVAL;
	if (local && cl_sa_family(local) != cl_sa_family(peer)) {
		*fdp = -1;
		return EINVAL;
	}
	err = make_socket(fdp, peer, SOCK_STREAM);
	if (err)
		return err;
	if (local && bind(*fdp, &local->u.sa, local->len) < 0)
		return fail(fdp, errno);
	if (connect(*fdp, &peer->u.sa, peer->len) < 0 && errno != EINPROGRESS)
		return fail(fdp, errno);
	return 0;
}

int cl_net_tcp_connect_result(int fd)
{
	int soerr = 0;
	socklen_t len = sizeof(soerr);
	struct cl_sa sa;
	int err;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		return errno;
	if (soerr)
		return soerr; /* reading SO_ERROR clears it: call this once */
	/* No error yet: connected only if there is a peer. */
	err = cl_net_peer_addr(fd, &sa);
	return err == ENOTCONN ? EINPROGRESS : err;
}
