/* cipherline check-config FILE: loads a configuration file as `cipherline run -c` would
 * (issue 5 §1) and reports every problem found, each as "FILE:LINE: KEY: problem".
 * Exit 0: valid (one summary line on stdout); 1: invalid or unreadable; 2: usage. */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "config/config.h"

#define CMD "check-config"

struct check {
	const char *file;
	int nfiles;
};

static int word(void *ctx, const char *w)
{
	struct check *k = ctx;

	k->file = w;
	k->nfiles++;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: cipherline check-config FILE\n\n"
		   "Validates a configuration file without starting the edge. Prints every\n"
		   "problem found (up to %d) as FILE:LINE: KEY: problem and exits 1, or prints\n"
		   "a one-line summary and exits 0. See etc/cipherline.yaml for the keys.\n",
		   CL_CONFIG_ERRS_MAX);
}

/* Prints what the loader found wrong, then how many more there were. */
static void print_errs(const struct cl_config_errs *errs, int err)
{
	for (size_t i = 0; i < errs->n; i++)
		fprintf(stderr, "%s\n", errs->msg[i]);
	if (errs->total > errs->n)
		fprintf(stderr, "... and %zu more errors\n", errs->total - errs->n);
	if (errs->total == 0)
		cl_cli_err(CMD, "%s", strerror(err));
}

int cl_cli_check_config(int argc, char **argv)
{
	struct check k = { 0 };
	struct cl_config_errs errs;
	struct cl_config *c = NULL;
	int rc = cl_cli_parse(CMD, NULL, 0, argc, argv, &k, word), err;

	if (rc == CL_CLI_HELP) {
		usage(stdout);
		return CL_EXIT_OK;
	}
	if (rc)
		return rc;
	if (k.nfiles != 1) {
		if (k.nfiles)
			cl_cli_err(CMD, "give one FILE, not %d", k.nfiles);
		else
			cl_cli_err(CMD, "needs a FILE (see cipherline check-config --help)");
		return CL_EXIT_USAGE;
	}
	err = cl_config_load_file(&c, k.file, &errs);
	if (err) {
		print_errs(&errs, err);
		return CL_EXIT_FAIL;
	}
	printf("%s: ok: %zu listeners, %zu connections, %zu numbers\n", k.file, c->nlisten,
	       c->nconnections, c->nnumbers);
	cl_config_free(c);
	return CL_EXIT_OK;
}
