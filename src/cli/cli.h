/* cipherline command line: the subcommand table lives in main.c, each subcommand in
 * its own cmd_*.c. This header carries the small option parser they share.
 *
 * Exit codes: 0 success, 1 the work ran but something failed (a packet did not
 * decrypt), 2 a usage error (unknown command or option, bad value) or unparsable
 * input, 3 a policy refusal (`sdp answer` would answer 488). */
#ifndef CL_CLI_H
#define CL_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum {
	CL_EXIT_OK = 0,
	CL_EXIT_FAIL = 1,
	CL_EXIT_USAGE = 2,
	CL_EXIT_REFUSED = 3,
};

/* A subcommand: argv[0] is its own name. Returns an exit code. */
typedef int(cl_cli_cmd_h)(int argc, char **argv);

struct cl_cli_cmd {
	const char *name;
	const char *summary;  /* one line for `cipherline --help` */
	cl_cli_cmd_h *run;    /* NULL: listed, but not yet available */
};

/* Sets one option: val is NULL for a flag. Returns 0, or CL_EXIT_USAGE after
 * printing an error that names the option. */
typedef int(cl_cli_set_h)(void *ctx, const char *opt, const char *val);
/* Takes one word that is not an option. Returns 0 or CL_EXIT_USAGE. */
typedef int(cl_cli_word_h)(void *ctx, const char *word);

struct cl_cli_opt {
	const char *name;     /* "--suite" */
	const char *arg;      /* argument shown in help ("NAME"); NULL for a flag */
	const char *help;     /* one line */
	cl_cli_set_h *set;
};

#define CL_CLI_HELP (-1)

/* Parses argv[1..argc): "--opt VALUE", "--opt=VALUE" and flags call their handler
 * (each option at most once), other words go to word (NULL: none are allowed).
 * Returns 0, CL_CLI_HELP when --help or -h was given, or CL_EXIT_USAGE after an
 * error on stderr naming the offending word. */
int cl_cli_parse(const char *cmd, const struct cl_cli_opt *opts, size_t nopts, int argc,
		 char **argv, void *ctx, cl_cli_word_h *word);
/* Prints the option table, one aligned line per option. */
void cl_cli_print_opts(FILE *f, const struct cl_cli_opt *opts, size_t nopts);
/* Parses a decimal integer strictly (digits only, no sign, no spaces) in
 * [min, max]. Returns 0, or CL_EXIT_USAGE after an error naming opt. */
int cl_cli_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t min,
		     uint64_t max, uint64_t *out);
/* Prints "cipherline CMD: message" on stderr. */
void cl_cli_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Subcommands. */
int cl_cli_version(int argc, char **argv);
int cl_cli_srtp(int argc, char **argv);
int cl_cli_sdp(int argc, char **argv);
int cl_cli_cert(int argc, char **argv);
int cl_cli_run(int argc, char **argv);
int cl_cli_check_config(int argc, char **argv);

#endif
