/* Private to src/sip: character classes and small tokenizers over [p, end) ranges.
 * Every function is bounded by end and never reads *end. */
#ifndef CL_SIP_LEX_H
#define CL_SIP_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sip/sip.h"

enum {
	CL_SIP_C_TOKEN = 1,    /* token chars (RFC 3261 §25.1) */
	CL_SIP_C_UNRES = 2,    /* unreserved = alphanum / mark */
	CL_SIP_C_WORD = 4,     /* word chars (Call-ID) */
	CL_SIP_C_PARAM = 8,    /* paramchar minus escapes: param-unreserved / unreserved */
	CL_SIP_C_HNV = 16,     /* hnv-unreserved / unreserved (URI headers) */
	CL_SIP_C_USER = 32,    /* unreserved / user-unreserved */
	CL_SIP_C_PASS = 64,    /* unreserved / password extras */
	CL_SIP_C_HOST = 128,   /* alphanum / "-" / "." */
};

extern const uint8_t cl_sip_ctab[256];

static inline bool cl_sip_is(char c, unsigned cls)
{
	return (cl_sip_ctab[(uint8_t)c] & cls) != 0;
}

static inline bool cl_sip_is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static inline bool cl_sip_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline struct cl_slice cl_sip_sl(const char *a, const char *b)
{
	return (struct cl_slice){ a, (size_t)(b - a) };
}

/* One past the last byte of s, without arithmetic on a NULL empty slice. */
static inline const char *cl_sip_end(struct cl_slice s)
{
	return s.len ? s.p + s.len : s.p;
}

/* Skips LWS: WSP and folds (CRLF followed by WSP). */
const char *cl_sip_lws(const char *p, const char *end);
/* Returns the end of a token run starting at p (p itself when none). */
const char *cl_sip_token(const char *p, const char *end);
/* p at '"': returns one past the closing quote, or NULL when unterminated or invalid. */
const char *cl_sip_quoted(const char *p, const char *end);
/* Trims LWS from both ends. */
struct cl_slice cl_sip_trim(struct cl_slice s);
/* Parses 1*DIGIT exactly covering s; values above max give EBADMSG. Returns 0/EBADMSG. */
int cl_sip_uint(struct cl_slice s, uint64_t max, uint64_t *out);
/* Validates a run of chars of class cls or %XX escapes. */
bool cl_sip_escaped_run(struct cl_slice s, unsigned cls, bool allow_empty);
/* Host: hostname / IPv4 / [IPv6]. Returns the type or CL_SIP_HOST_NONE when invalid. */
enum cl_sip_host_type cl_sip_host_check(struct cl_slice h);
/* Parses host[:port] at p; returns the end of it (NULL when invalid). */
const char *cl_sip_hostport(const char *p, const char *end, struct cl_slice *host,
			    enum cl_sip_host_type *type, uint16_t *port, bool *has_port);
/* Case-insensitive compare of a slice with a C string. */
bool cl_sip_eq(struct cl_slice s, const char *lit);

#endif
