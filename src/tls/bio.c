/* A socket BIO that never raises SIGPIPE: OpenSSL's own socket BIO uses write(),
 * which kills a process that has not ignored SIGPIPE when a peer resets. This one
 * uses recv() and send(MSG_NOSIGNAL) and reports EAGAIN as "retry". */
#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>

#include "stream_int.h"

static BIO_METHOD *g_method;
static CRYPTO_ONCE g_once = CRYPTO_ONCE_STATIC_INIT;

static int fd_of(BIO *b)
{
	return (int)(intptr_t)BIO_get_data(b);
}

static bool would_block(int e)
{
	return e == EAGAIN || e == EWOULDBLOCK || e == EINTR;
}

static int sock_read(BIO *b, char *buf, int len)
{
	ssize_t r;

	BIO_clear_retry_flags(b);
	if (len <= 0)
		return 0;
	r = recv(fd_of(b), buf, (size_t)len, 0);
	if (r < 0 && would_block(errno))
		BIO_set_retry_read(b);
	else if (r == 0)
		BIO_set_flags(b, BIO_FLAGS_IN_EOF); /* lets SSL tell EOF from an error */
	return (int)r;
}

static int sock_write(BIO *b, const char *buf, int len)
{
	ssize_t r;

	BIO_clear_retry_flags(b);
	if (len <= 0)
		return 0;
	r = send(fd_of(b), buf, (size_t)len, MSG_NOSIGNAL);
	if (r < 0 && would_block(errno))
		BIO_set_retry_write(b);
	return (int)r;
}

static long sock_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	switch (cmd) {
	case BIO_CTRL_FLUSH: /* nothing is buffered here */
		return 1;
	case BIO_CTRL_EOF:
		return BIO_test_flags(b, BIO_FLAGS_IN_EOF) != 0;
	case BIO_C_GET_FD:
		if (ptr)
			*(int *)ptr = fd_of(b);
		return fd_of(b);
	default:
		return 0;
	}
}

static int sock_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

static void make_method(void)
{
	BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK |
					     BIO_TYPE_DESCRIPTOR,
				     "cipherline socket");

	if (!m)
		return;
	if (BIO_meth_set_read(m, sock_read) != 1 || BIO_meth_set_write(m, sock_write) != 1 ||
	    BIO_meth_set_ctrl(m, sock_ctrl) != 1 || BIO_meth_set_create(m, sock_create) != 1) {
		BIO_meth_free(m);
		return;
	}
	g_method = m;
}

BIO *cl_tls_bio_socket(int fd)
{
	BIO *b;

	if (!CRYPTO_THREAD_run_once(&g_once, make_method) || !g_method)
		return NULL;
	b = BIO_new(g_method);
	if (b)
		BIO_set_data(b, (void *)(intptr_t)fd);
	return b;
}
