/* Randomness and wiping, both from OpenSSL. */
#include <errno.h>
#include <limits.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "base.h"

int cl_random(void *buf, size_t n)
{
	while (n > 0) {
		int chunk = n > INT_MAX ? INT_MAX : (int)n;

		if (RAND_bytes(buf, chunk) != 1)
			return EIO;
		buf = (uint8_t *)buf + chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

void cl_wipe(void *p, size_t n)
{
	if (p && n)
		OPENSSL_cleanse(p, n);
}
