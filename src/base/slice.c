/* Slices: length-delimited views that never own their bytes. */
#include <string.h>

#include "base.h"

struct cl_slice cl_slice_cstr(const char *s)
{
	struct cl_slice sl = { s ? s : "", s ? strlen(s) : 0 };
	return sl;
}

bool cl_slice_eq(struct cl_slice a, struct cl_slice b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool cl_slice_casecmp_eq(struct cl_slice a, struct cl_slice b)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++) {
		if (lower(a.p[i]) != lower(b.p[i]))
			return false;
	}
	return true;
}
