/* libFuzzer target: the configuration loader (issue 5 §1) on arbitrary bytes, from memory.
 * It must return 0 with a config, or an error with at least one message; an accepted
 * config's cross-references must hold. Any breach aborts. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct cl_config *c)
{
	if (!c->domain || c->nlisten == 0 || c->nlisten > CL_CONFIG_MAX_LISTEN || !c->store_path)
		abort();
	for (size_t i = 0; i < c->nnumbers; i++)
		if (c->numbers[i].conn >= c->nconnections || !c->numbers[i].digits)
			abort();
	for (size_t i = 0; i < c->nconnections; i++) {
		const struct cl_config_conn *cn = &c->connections[i];

		if (!cn->name || cl_config_conn_find(c, cn->name) != (long)i)
			abort();
		if (cn->type == CL_CONFIG_CONN_CREDENTIALS && (!cn->username || !cn->password == !cn->ha1))
			abort();
		if (cn->type == CL_CONFIG_CONN_IP && cn->naddresses == 0)
			abort();
		if (cn->type == CL_CONFIG_CONN_FQDN && !cn->host)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cl_config_errs errs;
	struct cl_config *c = NULL;
	/* An exact-size copy: a read past the end is caught by ASan. */
	char *b = malloc(size ? size : 1);
	int rc;

	if (!b)
		abort();
	memcpy(b, data, size);
	rc = cl_config_load_mem(&c, b, size, "fuzz.yaml", &errs);
	if (rc == 0) {
		if (!c || errs.total)
			abort();
		check(c);
	} else if (c || (rc == EBADMSG && errs.n == 0) || (rc != EBADMSG && rc != ENOMEM && rc != EFBIG)) {
		abort();
	}
	cl_config_free(c);
	free(b);
	return 0;
}
