/* sdp/ private: tokens, numbers and field decoders shared by parse.c, fields.c, edit.c. */
#ifndef CL_SDP_PRIV_H
#define CL_SDP_PRIV_H

#include "sdp/sdp.h"

/* Fills err (when not NULL) with the line and a formatted message. Returns EBADMSG. */
int cl_sdp_fail(struct cl_sdp_error *err, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Returns the next SP/HTAB-separated token of *s (empty at the end) and moves *s past it. */
struct cl_slice cl_sdp_tok(struct cl_slice *s);
/* Returns s without trailing SP/HTAB. */
struct cl_slice cl_sdp_rtrim(struct cl_slice s);

/* Parses all of s as a decimal number. Returns 0, -1 when s is empty or not all digits,
 * or 1 when it is larger than max. */
int cl_sdp_num(struct cl_slice s, uint64_t max, uint64_t *v);

/* Splits an a= value into its name (up to ':', trailing blanks trimmed) and its value
 * (after ':', empty for a property attribute). */
void cl_sdp_attr_split(struct cl_slice v, struct cl_slice *name, struct cl_slice *val);

/* Sets [*start, *end) to a section's line range. Returns false for a bad section. */
bool cl_sdp_section_range(const struct cl_sdp *sdp, size_t section, size_t *start, size_t *end);

/* Field decoders: each returns 0 or EBADMSG with err naming line ln and the field. */
int cl_sdp_dec_origin(struct cl_slice v, struct cl_sdp_origin *o, unsigned ln,
		      struct cl_sdp_error *err);
int cl_sdp_dec_conn(struct cl_slice v, struct cl_sdp_addr *a, unsigned ln,
		    struct cl_sdp_error *err);
int cl_sdp_dec_media(struct cl_slice v, struct cl_sdp_media *m, unsigned ln,
		     struct cl_sdp_error *err);
int cl_sdp_dec_bw(struct cl_slice v, unsigned ln, struct cl_sdp_error *err);
int cl_sdp_dec_time(struct cl_slice v, unsigned ln, struct cl_sdp_error *err);
int cl_sdp_dec_rtcp(struct cl_slice v, struct cl_sdp_media *m, unsigned ln,
		    struct cl_sdp_error *err);
int cl_sdp_dec_ptime(struct cl_slice v, unsigned *ptime, unsigned ln, struct cl_sdp_error *err);

#endif
