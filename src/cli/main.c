/* cipherline: the binary. A table of subcommands, each with --help, and the small
 * option parser they share. Usage errors exit 2 with a message naming the word. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "cli.h"

static const struct cl_cli_cmd g_cmds[] = {
	{ "version", "print the versions of cipherline and OpenSSL", cl_cli_version },
	{ "srtp", "protect or unprotect SRTP/SRTCP packets given as hex lines", cl_cli_srtp },
	{ "run", "start the SIP edge (UDP, TCP, TLS)", cl_cli_run },
	{ "check-config", "validate a configuration file (every problem, with its line)",
	  cl_cli_check_config },
	{ "cert", "check certificate chains, fingerprints and expiry", cl_cli_cert },
	{ "sdp", "show the SDES answer to an SDP offer, or why it is refused (488)", cl_cli_sdp },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: cipherline COMMAND [OPTIONS]\n"
		   "       cipherline COMMAND --help\n\n"
		   "commands:\n");
	for (size_t i = 0; i < CL_ARRAY_SIZE(g_cmds); i++)
		fprintf(f, "  %-12s %s%s\n", g_cmds[i].name, g_cmds[i].summary,
			g_cmds[i].run ? "" : " (not yet available)");
}

static const struct cl_cli_cmd *cmd_find(const char *name)
{
	for (size_t i = 0; i < CL_ARRAY_SIZE(g_cmds); i++)
		if (strcmp(g_cmds[i].name, name) == 0)
			return &g_cmds[i];
	return NULL;
}

static bool is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 || strcmp(a, "help") == 0;
}

static int dispatch(const struct cl_cli_cmd *c, int argc, char **argv)
{
	if (!c->run) {
		fprintf(stderr, "cipherline: '%s' is not yet available in cipherline %s\n",
			c->name, CL_VERSION);
		return CL_EXIT_USAGE;
	}
	return c->run(argc, argv);
}

int main(int argc, char **argv)
{
	const struct cl_cli_cmd *c;

	if (argc < 2) {
		usage(stderr);
		return CL_EXIT_USAGE;
	}
	if (is_help(argv[1])) {
		/* `cipherline help srtp` is `cipherline srtp --help`. */
		if (argc > 2 && (c = cmd_find(argv[2])) != NULL) {
			char *hargv[] = { argv[2], (char *)"--help", NULL };
			return dispatch(c, 2, hargv);
		}
		if (argc > 2) {
			fprintf(stderr, "cipherline: unknown command '%s'\n", argv[2]);
			return CL_EXIT_USAGE;
		}
		usage(stdout);
		return CL_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cl_cli_version(1, argv + 1);
	if (argv[1][0] == '-') {
		fprintf(stderr, "cipherline: unknown option '%s' (see cipherline --help)\n",
			argv[1]);
		return CL_EXIT_USAGE;
	}
	c = cmd_find(argv[1]);
	if (!c) {
		fprintf(stderr, "cipherline: unknown command '%s' (see cipherline --help)\n",
			argv[1]);
		return CL_EXIT_USAGE;
	}
	return dispatch(c, argc - 1, argv + 1);
}

/* ---- shared option parsing ---- */

void cl_cli_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cipherline %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Finds the option spelled by word, which may carry "=VALUE". */
static const struct cl_cli_opt *opt_find(const struct cl_cli_opt *opts, size_t nopts,
					 const char *word, const char **inline_val)
{
	const char *eq = strchr(word, '=');
	size_t n = eq ? (size_t)(eq - word) : strlen(word);

	for (size_t i = 0; i < nopts; i++) {
		if (strlen(opts[i].name) == n && memcmp(opts[i].name, word, n) == 0) {
			*inline_val = eq ? eq + 1 : NULL;
			return &opts[i];
		}
	}
	return NULL;
}

/* Handles the option at argv[*i], advancing *i past a separate argument. */
static int parse_one(const char *cmd, const struct cl_cli_opt *o, const char *inline_val,
		     int argc, char **argv, int *i, void *ctx)
{
	const char *val = inline_val;

	if (!o->arg) {
		if (val) {
			cl_cli_err(cmd, "%s takes no value", o->name);
			return CL_EXIT_USAGE;
		}
		return o->set(ctx, o->name, NULL);
	}
	if (!val) {
		if (*i + 1 >= argc) {
			cl_cli_err(cmd, "%s needs a value (%s %s)", o->name, o->name, o->arg);
			return CL_EXIT_USAGE;
		}
		val = argv[++*i];
	}
	return o->set(ctx, o->name, val);
}

int cl_cli_parse(const char *cmd, const struct cl_cli_opt *opts, size_t nopts, int argc,
		 char **argv, void *ctx, cl_cli_word_h *word)
{
	uint64_t seen = 0; /* each option at most once; tables stay under 64 */

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *inline_val = NULL;
		const struct cl_cli_opt *o;
		int err;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return CL_CLI_HELP;
		if (a[0] != '-' || a[1] == '\0') {
			if (!word) {
				cl_cli_err(cmd, "unexpected argument '%s'", a);
				return CL_EXIT_USAGE;
			}
			err = word(ctx, a);
			if (err)
				return err;
			continue;
		}
		o = opt_find(opts, nopts, a, &inline_val);
		if (!o) {
			cl_cli_err(cmd, "unknown option '%.*s' (see cipherline %s --help)",
				   (int)strcspn(a, "="), a, cmd);
			return CL_EXIT_USAGE;
		}
		if (seen & (UINT64_C(1) << (o - opts))) {
			cl_cli_err(cmd, "%s given twice", o->name);
			return CL_EXIT_USAGE;
		}
		seen |= UINT64_C(1) << (o - opts);
		err = parse_one(cmd, o, inline_val, argc, argv, &i, ctx);
		if (err)
			return err;
	}
	return 0;
}

void cl_cli_print_opts(FILE *f, const struct cl_cli_opt *opts, size_t nopts)
{
	for (size_t i = 0; i < nopts; i++) {
		char left[48];

		snprintf(left, sizeof(left), "%s%s%s", opts[i].name, opts[i].arg ? " " : "",
			 opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-26s %s\n", left, opts[i].help);
	}
}

int cl_cli_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t min,
		     uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull alone would accept spaces, a sign (wrapping "-1") and "0x". */
	if (s[0] < '0' || s[0] > '9')
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	cl_cli_err(cmd, "%s: '%s' is not a whole number in %" PRIu64 "..%" PRIu64, opt, s, min,
		   max);
	return CL_EXIT_USAGE;
}
