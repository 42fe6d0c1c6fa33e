/* Shared by the bench programs: a monotonic clock, the median of per-round figures, and the
 * machine line every benchmark prints first. Header-only; each program includes it once. */
#ifndef CL_BENCH_UTIL_H
#define CL_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts per[0..n) and returns its median. */
static inline double bench_median(double *per, size_t n)
{
	qsort(per, n, sizeof(per[0]), bench_cmp_double);
	return per[n / 2];
}

/* Prints "<title>" and the machine line: CPU model and cores online. */
static inline void bench_machine(const char *title)
{
	char line[256], model[128] = "unknown";
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
			snprintf(model, sizeof(model), "%s", strchr(line, ':') + 2);
			model[strcspn(model, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
	printf("%s\nmachine:  %s, %ld cores online\n", title, model, sysconf(_SC_NPROCESSORS_ONLN));
}

#endif
