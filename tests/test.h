/* cipherline's test runner: TEST() puts each test into a linker-built name table
 * (the cl_tests section), so a new test file needs no registration elsewhere. */
#ifndef CL_TEST_H
#define CL_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cl_test {
	const char *name;
	bool failed;
};

struct cl_testcase {
	const char *name;
	void (*fn)(struct cl_test *t);
};

#define TEST(fname)                                                           \
	static void fname(struct cl_test *t);                                 \
	static const struct cl_testcase cl_tc_##fname                         \
		__attribute__((used, section("cl_tests"), aligned(sizeof(void *)))) = { #fname, fname }; \
	static void fname(struct cl_test *t)

void cl_test_fail(struct cl_test *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Prints a hexdump of two buffers that differ, for CHECK_MEM. */
void cl_test_hexdiff(const uint8_t *got, const uint8_t *want, size_t n);

#define CHECK(cond)                                                           \
	do {                                                                  \
		if (!(cond)) {                                                \
			cl_test_fail(t, __FILE__, __LINE__, "%s", #cond);     \
			return;                                               \
		}                                                             \
	} while (0)

#define CHECK_INT(got, want)                                                  \
	do {                                                                  \
		long long g_ = (long long)(got), w_ = (long long)(want);      \
		if (g_ != w_) {                                               \
			cl_test_fail(t, __FILE__, __LINE__, "%s = %lld, want %lld", #got, g_, w_); \
			return;                                               \
		}                                                             \
	} while (0)

#define CHECK_MEM(got, want, n)                                               \
	do {                                                                  \
		if (memcmp((got), (want), (n)) != 0) {                        \
			cl_test_hexdiff((const uint8_t *)(got), (const uint8_t *)(want), (n)); \
			cl_test_fail(t, __FILE__, __LINE__, "%s != %s", #got, #want); \
			return;                                               \
		}                                                             \
	} while (0)

/* Big-endian writers for building RTP/RTCP packets in tests. */
static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* Decodes a hex string literal (spaces allowed) into out; returns the length or aborts. */
size_t cl_test_hex(const char *hex, uint8_t *out, size_t cap);

#endif
