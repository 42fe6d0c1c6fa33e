/* The test runner: every TEST() in the binary, in link order, each under an alarm.
 * Usage: run [substring]. The last line is "N passed, N failed". */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "test.h"

extern const struct cl_testcase __start_cl_tests[];
extern const struct cl_testcase __stop_cl_tests[];

static const char *current;

void cl_test_fail(struct cl_test *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t->failed = true;
	fprintf(stderr, "  %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cl_test_hexdiff(const uint8_t *got, const uint8_t *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (got[i] != want[i]) {
			fprintf(stderr, "  first difference at byte %zu: got %02x want %02x\n", i,
				got[i], want[i]);
			return;
		}
	}
}

size_t cl_test_hex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;

	if (cl_hex_decode(cl_slice_cstr(hex), out, cap, &n) != 0) {
		fprintf(stderr, "bad hex literal in test %s\n", current);
		abort();
	}
	return n;
}

static void on_alarm(int sig)
{
	static const char msg[] = "FAIL (timeout) ";
	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0 || write(2, current, strlen(current)) < 0 ||
	    write(2, "\n", 1) < 0)
		_exit(3);
	_exit(2);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	unsigned limit = getenv("CL_TEST_TIMEOUT") ? (unsigned)atoi(getenv("CL_TEST_TIMEOUT")) : 300;
	unsigned passed = 0, failed = 0;

	signal(SIGALRM, on_alarm);
	cl_log_set_level(CL_LOG_ERROR);
	for (const struct cl_testcase *tc = __start_cl_tests; tc < __stop_cl_tests; tc++) {
		struct cl_test t = { tc->name, false };
		double t0;

		if (filter && !strstr(tc->name, filter))
			continue;
		current = tc->name;
		alarm(limit);
		t0 = now_ms();
		tc->fn(&t);
		alarm(0);
		if (t.failed) {
			failed++;
			printf("FAIL %s\n", tc->name);
		} else {
			passed++;
			printf("ok   %s (%.0f ms)\n", tc->name, now_ms() - t0);
		}
		fflush(stdout);
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
