/* SIP over UDP (RFC 3261 §18.1.2, §18.2.1): datagrams in batches, a flow per source
 * address so that responses go back where the request came from (RFC 3581). */
#include <errno.h>

#include "tp.h"

void tp_udp_readable(int fd, unsigned ev, void *arg)
{
	struct tp_listener *l = arg;
	struct cl_sip_tp *tp = l->tp;

	(void)ev;
	/* Bounded: a flood yields to the loop after 64 datagrams. */
	for (int i = 0; i < 64; i++) {
		struct tp_flow *f;
		struct cl_sa src;
		size_t n = 0;
		int err = cl_net_recvfrom(fd, tp->udpbuf, TP_UDP_BUF, &n, &src);

		if (err == EAGAIN)
			return;
		if (err || n == 0)
			continue; /* EMSGSIZE (truncated) or an ICMP error: nothing to answer */
		/* RFC 5626 §4.4.1 on UDP uses STUN, not CRLF: a bare CRLF is just dropped. */
		if (n <= 4 && (tp->udpbuf[0] == '\r' || tp->udpbuf[0] == '\n'))
			continue;
		f = tp_udp_flow(tp, l, &src);
		if (!f)
			continue;
		tp_flow_touch(tp, f);
		tp_dispatch(tp, f, tp->udpbuf, n);
	}
}
