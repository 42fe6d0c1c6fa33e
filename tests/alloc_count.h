/* An allocation counter for tests/noalloc and the benchmark (issue 2 §4: "the
 * per-packet path allocates nothing").
 *
 * CRYPTO_set_mem_functions would only see OpenSSL's allocations, not cipherline's own
 * or libsrtp2's (NSS). So the binary defines the glibc allocator entry points itself;
 * the dynamic linker binds every library's malloc/calloc/... to these, and they forward
 * to glibc's __libc_* functions, counting while alloc_counting is set. glibc documents
 * this replacement (malloc, free, calloc, realloc, plus the aligned variants).
 *
 * Included once per program (tests/noalloc/noalloc.c, bench/bench_srtp.c). Not
 * available under ASan, which owns malloc. */
#ifndef CL_TEST_ALLOC_COUNT_H
#define CL_TEST_ALLOC_COUNT_H

#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define ALLOC_COUNT_AVAILABLE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ALLOC_COUNT_AVAILABLE 0
#endif
#endif
#ifndef ALLOC_COUNT_AVAILABLE
#define ALLOC_COUNT_AVAILABLE 1
#endif

static volatile bool alloc_counting; /* count only while set */
static volatile unsigned long alloc_count;

#if ALLOC_COUNT_AVAILABLE
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t k, size_t n);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t n);
extern void *__libc_valloc(size_t n);
extern void *__libc_pvalloc(size_t n);

static inline void alloc_note(void)
{
	if (alloc_counting)
		alloc_count = alloc_count + 1;
}

void *malloc(size_t n)
{
	alloc_note();
	return __libc_malloc(n);
}

void *calloc(size_t k, size_t n)
{
	alloc_note();
	return __libc_calloc(k, n);
}

void *realloc(void *p, size_t n)
{
	alloc_note();
	return __libc_realloc(p, n);
}

void free(void *p)
{
	__libc_free(p);
}

void *memalign(size_t align, size_t n)
{
	alloc_note();
	return __libc_memalign(align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
	alloc_note();
	return __libc_memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	if (align < sizeof(void *) || (align & (align - 1)) != 0)
		return EINVAL;
	alloc_note();
	void *p = __libc_memalign(align, n);
	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}

void *valloc(size_t n)
{
	alloc_note();
	return __libc_valloc(n);
}

void *pvalloc(size_t n)
{
	alloc_note();
	return __libc_pvalloc(n);
}
#endif

/* Starts counting from zero. */
static void alloc_count_start(void)
{
	alloc_count = 0;
	alloc_counting = true;
}

/* Stops counting and returns the allocations seen since alloc_count_start(). */
static unsigned long alloc_count_stop(void)
{
	alloc_counting = false;
	return alloc_count;
}

#endif
