/* cipherline SDP (RFC 8866): a zero-copy parser into slices, and an edit plan that
 * rebuilds an SDP with only the lines the edge owns changed.
 *
 * Parsing keeps every line, in order, as a slice of the caller's text, so the text must
 * outlive the struct. Known fields are decoded on top (origin, c=, m=, rtcp, rtcp-mux,
 * ptime, direction). Rebuilding copies every line byte for byte unless an edit replaces
 * or drops it, so unknown lines survive untouched and in their original order. */
#ifndef CL_SDP_H
#define CL_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

#define CL_SDP_MAX_LINES 512
#define CL_SDP_MAX_MEDIA 16
#define CL_SDP_MAX_SIZE 65536      /* bytes of SDP text accepted */
#define CL_SDP_SESSION ((size_t)-1) /* "media index" meaning the session section */

enum cl_sdp_dir {
	CL_SDP_DIR_NONE,     /* no direction attribute (sendrecv by default) */
	CL_SDP_DIR_SENDRECV,
	CL_SDP_DIR_SENDONLY,
	CL_SDP_DIR_RECVONLY,
	CL_SDP_DIR_INACTIVE,
};

/* c= or the address part of a=rtcp / o=: "IN IP4 192.0.2.1". */
struct cl_sdp_addr {
	bool present;
	struct cl_slice nettype;  /* "IN" */
	struct cl_slice addrtype; /* "IP4" or "IP6" */
	struct cl_slice addr;     /* an address literal (or a name, which we keep but never use) */
	int family;               /* AF_INET or AF_INET6 when addr is a valid literal of addrtype, else 0 */
};

struct cl_sdp_origin {
	struct cl_slice username, sess_id;
	uint64_t sess_version;
	struct cl_sdp_addr addr;
};

struct cl_sdp_line {
	char type;             /* 'v', 'o', 's', 'c', 't', 'b', 'm', 'a', ... */
	struct cl_slice text;  /* the whole line as received, without its line ending */
	struct cl_slice value; /* what follows "x=" */
	unsigned lineno;       /* 1-based line number in the input */
};

struct cl_sdp_media {
	struct cl_slice type;    /* "audio", "video", ... */
	uint16_t port;           /* 0 = rejected / disabled stream */
	uint16_t nports;         /* the "/<n>" count, 1 when absent */
	struct cl_slice proto;   /* "RTP/AVP", "RTP/SAVP", "UDP/TLS/RTP/SAVP", ... */
	struct cl_slice fmts;    /* the format list as one slice: "0 8 101" */
	struct cl_sdp_addr conn; /* this section's c= (present=false: use the session's) */
	bool has_rtcp;           /* a=rtcp:<port> [addr] (RFC 3605) */
	uint16_t rtcp_port;
	struct cl_sdp_addr rtcp_addr;
	bool rtcp_mux;           /* a=rtcp-mux (RFC 5761) */
	unsigned ptime;          /* a=ptime in ms, 0 when absent */
	enum cl_sdp_dir dir;     /* this section's direction attribute */
	size_t first_line;       /* index of the m= line in lines[] */
	size_t end_line;         /* one past the section's last line */
};

struct cl_sdp {
	struct cl_sdp_line lines[CL_SDP_MAX_LINES];
	size_t nlines;
	struct cl_sdp_origin origin;
	struct cl_slice name;    /* s= */
	struct cl_sdp_addr conn; /* session-level c= */
	enum cl_sdp_dir dir;     /* session-level direction attribute */
	size_t session_end;      /* one past the session section's last line */
	struct cl_sdp_media media[CL_SDP_MAX_MEDIA];
	size_t nmedia;
};

struct cl_sdp_error {
	unsigned line;           /* 1-based line number, 0 when not tied to a line */
	char msg[120];           /* what is wrong, e.g. "m=: port is not a number" */
};

/* Parses SDP text (CRLF or LF line endings; a missing final line ending is accepted).
 * Checks RFC 8866 §5's order (v= first, then o= s= ... t=, then media sections), line
 * syntax "x=value", and the fields decoded above. Returns 0, or EBADMSG with err filled.
 * Leniency (see parse.c): i= u= e= p= c= b= in any order among themselves, blanks around
 * fields, empty s=, trailing empty lines; a literal in c=/a=rtcp must match its addrtype.
 * The struct points into text, which must outlive it. */
int cl_sdp_parse(struct cl_sdp *sdp, const char *text, size_t len, struct cl_sdp_error *err);

/* Iterates a=<name>[:<value>] attributes of a section (CL_SDP_SESSION or a media index).
 * *cursor starts at 0. Returns true and sets *value (empty for a property attribute)
 * for each match, false at the end of the section. */
bool cl_sdp_attr_next(const struct cl_sdp *sdp, size_t media, const char *name, size_t *cursor,
		      struct cl_slice *value);
/* Returns the index in lines[] of the line *cursor last matched (after attr_next). */
size_t cl_sdp_attr_line(size_t cursor);

/* Returns the effective direction of a media section (its own, else the session's,
 * else sendrecv). */
enum cl_sdp_dir cl_sdp_media_dir(const struct cl_sdp *sdp, size_t media);
/* Returns the effective connection address of a media section, or NULL. */
const struct cl_sdp_addr *cl_sdp_media_conn(const struct cl_sdp *sdp, size_t media);
/* Returns "sendrecv", "sendonly", ... for a direction (CL_SDP_DIR_NONE: "sendrecv"). */
const char *cl_sdp_dir_name(enum cl_sdp_dir dir);

/* ---- rebuilding ---- */

#define CL_SDP_EDIT_ARENA 16384
#define CL_SDP_EDIT_MAX_ADDS 128

/* An edit plan over a parsed SDP: each line is kept verbatim, dropped, or replaced,
 * and new lines can be appended to the end of a section. Replacement text is copied
 * into the plan's own arena, so callers may pass temporaries. */
struct cl_sdp_edit {
	const struct cl_sdp *sdp;
	struct {
		uint8_t op;      /* keep, drop, replace */
		uint32_t off;    /* replacement text in arena */
		uint32_t len;
		uint32_t ins_off; /* a line inserted right after this one, in arena: */
		uint32_t ins_len; /* cl_sdp_edit_conn on a section without c= (0: none) */
	} line[CL_SDP_MAX_LINES];
	struct {
		size_t section;  /* CL_SDP_SESSION or a media index */
		uint32_t off;
		uint32_t len;
	} add[CL_SDP_EDIT_MAX_ADDS];
	size_t nadd;
	struct {                 /* m= overrides, composed into one m= line at build time */
		int32_t port;    /* -1: unchanged */
		uint32_t proto_off, proto_len; /* proto_len 0: unchanged */
	} m[CL_SDP_MAX_MEDIA];
	char arena[CL_SDP_EDIT_ARENA];
	size_t used;
	int err;                 /* first error (ENOSPC when the arena or adds ran out) */
};

/* Starts an empty plan (every line kept). */
void cl_sdp_edit_init(struct cl_sdp_edit *e, const struct cl_sdp *sdp);
/* Replaces line i with the formatted text (a whole line such as "c=IN IP4 192.0.2.1",
 * without line ending). Errors are sticky in e->err. */
void cl_sdp_edit_replace(struct cl_sdp_edit *e, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Drops line i. */
void cl_sdp_edit_drop(struct cl_sdp_edit *e, size_t i);
/* Appends a line at the end of a section (CL_SDP_SESSION: before the first m=). */
void cl_sdp_edit_append(struct cl_sdp_edit *e, size_t section, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Field helpers that rewrite the lines the edge owns. */
void cl_sdp_edit_port(struct cl_sdp_edit *e, size_t media, uint16_t port);
void cl_sdp_edit_proto(struct cl_sdp_edit *e, size_t media, const char *proto);
/* Rewrites (or adds) the c= of a section: CL_SDP_SESSION or a media index. */
void cl_sdp_edit_conn(struct cl_sdp_edit *e, size_t section, const char *addrtype,
		      const char *addr);
/* Sets the o= session version. */
void cl_sdp_edit_origin_version(struct cl_sdp_edit *e, uint64_t version);
/* Drops every a=<name> attribute of a section. */
void cl_sdp_edit_drop_attr(struct cl_sdp_edit *e, size_t section, const char *name);

/* Writes the edited SDP with CRLF line endings into out (capacity cap, NUL added when
 * room). Returns 0, e->err, or ENOBUFS. *len gets the length without NUL (with ENOBUFS:
 * the length that would be needed, so cap must exceed it by one for the NUL to fit). */
int cl_sdp_edit_build(const struct cl_sdp_edit *e, char *out, size_t cap, size_t *len);

#endif
