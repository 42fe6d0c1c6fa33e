/* Logging to stderr with a level and a module tag. Never pass key material here. */
#include <stdio.h>
#include <time.h>

#include "base.h"

static enum cl_log_level g_level = CL_LOG_INFO;

void cl_log_set_level(enum cl_log_level lvl)
{
	g_level = lvl;
}

enum cl_log_level cl_log_get_level(void)
{
	return g_level;
}

void cl_log(enum cl_log_level lvl, const char *module, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	struct timespec ts;
	struct tm tm;
	char stamp[32];
	va_list ap;

	if (lvl > g_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ %-5s %s: ", stamp, ts.tv_nsec / 1000000L, names[lvl],
		module ? module : "-");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
