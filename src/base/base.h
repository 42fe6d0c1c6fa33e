/* cipherline base: slices, logging, encodings, randomness, version.
 * Every other module depends on this one; it depends only on libc and OpenSSL. */
#ifndef CL_BASE_H
#define CL_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CL_VERSION "0.1.0"

#define CL_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define CL_MIN(a, b) ((a) < (b) ? (a) : (b))
#define CL_MAX(a, b) ((a) > (b) ? (a) : (b))

/* A read-only view into someone else's bytes: never owns, never NUL-terminated. */
struct cl_slice {
	const char *p;
	size_t len;
};

#define CL_SLICE_LIT(s) ((struct cl_slice){ (s), sizeof(s) - 1 })

/* Returns a slice over a NUL-terminated string (NULL gives the empty slice). */
struct cl_slice cl_slice_cstr(const char *s);
/* Returns true when the two slices hold the same bytes. */
bool cl_slice_eq(struct cl_slice a, struct cl_slice b);
/* Returns true when the slices are equal ignoring ASCII case. */
bool cl_slice_casecmp_eq(struct cl_slice a, struct cl_slice b);

/* ---- logging (stderr) ---- */
enum cl_log_level { CL_LOG_ERROR, CL_LOG_WARN, CL_LOG_INFO, CL_LOG_DEBUG };

void cl_log_set_level(enum cl_log_level lvl);
enum cl_log_level cl_log_get_level(void);
void cl_log(enum cl_log_level lvl, const char *module, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define cl_error(mod, ...) cl_log(CL_LOG_ERROR, (mod), __VA_ARGS__)
#define cl_warn(mod, ...) cl_log(CL_LOG_WARN, (mod), __VA_ARGS__)
#define cl_info(mod, ...) cl_log(CL_LOG_INFO, (mod), __VA_ARGS__)
#define cl_debug(mod, ...) cl_log(CL_LOG_DEBUG, (mod), __VA_ARGS__)

/* ---- base64 (RFC 4648 §4), strict alphabet, padding optional on decode ---- */

/* Returns the encoded length (with padding) of n input bytes. */
size_t cl_base64_enc_len(size_t n);
/* Encodes in[0..n) with padding into out (capacity cap, NUL added if room).
 * Returns 0, or ENOBUFS when cap is too small. *outlen gets the length without NUL. */
int cl_base64_encode(const uint8_t *in, size_t n, char *out, size_t cap, size_t *outlen);
/* Decodes a padded or unpadded base64 slice. Whitespace and any character outside
 * the alphabet is EBADMSG, as is misplaced padding or non-zero trailing bits.
 * Returns 0, EBADMSG, or ENOBUFS when cap is too small. */
int cl_base64_decode(struct cl_slice in, uint8_t *out, size_t cap, size_t *outlen);

/* ---- hex ---- */

/* Decodes hex digits (either case; spaces and tabs between bytes are skipped).
 * Returns 0, EBADMSG for an odd count or non-hex character, ENOBUFS when full. */
int cl_hex_decode(struct cl_slice in, uint8_t *out, size_t cap, size_t *outlen);
/* Encodes n bytes as lowercase hex into out (needs 2n+1). Returns 0 or ENOBUFS. */
int cl_hex_encode(const uint8_t *in, size_t n, char *out, size_t cap);

/* ---- randomness: OpenSSL's CSPRNG ---- */

/* Fills buf with n random bytes. Returns 0 or EIO when the CSPRNG fails. */
int cl_random(void *buf, size_t n);

/* ---- memory hygiene ---- */

/* Wipes n bytes at p so the compiler cannot elide it (OPENSSL_cleanse). */
void cl_wipe(void *p, size_t n);

#endif
