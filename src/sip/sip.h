/* cipherline SIP messages (RFC 3261 §7, §20, §25): a zero-copy parser, URIs, typed header
 * access and the stream framer.
 *
 * Everything here works on slices of the caller's receive buffer: nothing is copied,
 * nothing is allocated, the input is never NUL-terminated or written to, so the buffer
 * must outlive every struct that points into it. Every read is bounded by the length given.
 *
 * What is decoded during the one pass of cl_sip_parse(), and therefore always valid after
 * it succeeds: the start line, every header's name/value (with its table id), Call-ID,
 * CSeq, Max-Forwards, Content-Length, From, To, the top Via, and the syntax of every Via,
 * Contact and Date value. Everything else is parsed on demand from the header values with
 * the cl_sip_*_parse() functions and the iterators below; they validate as they go.
 *
 * Header values are slices that can contain folds (LWS = [*WSP CRLF] 1*WSP, RFC 3261
 * §7.3.1). Every tokenizer here treats a fold as a space; cl_sip_unfold() copies a value
 * out with each fold replaced by one space. Quoted strings are returned with their quotes
 * and escapes as received; cl_sip_unquote() decodes them into a caller buffer. */
#ifndef CL_SIP_H
#define CL_SIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

#define CL_SIP_MAX_HEADERS 128        /* header lines per message; more is 400 / error */
#define CL_SIP_DEFAULT_MAX_SIZE 65536 /* bytes; over it: 513 (datagram) or close (stream) */

/* ---- header names: one table, long and compact forms (RFC 3261 §7.3.3, IANA) ---- */
enum cl_sip_hdr {
	CL_SIP_HDR_OTHER = 0, /* not in the table: look at the name */
	CL_SIP_HDR_ACCEPT,
	CL_SIP_HDR_ACCEPT_CONTACT,      /* a */
	CL_SIP_HDR_ALLOW,
	CL_SIP_HDR_ALLOW_EVENTS,        /* u */
	CL_SIP_HDR_AUTHORIZATION,
	CL_SIP_HDR_CALL_ID,             /* i */
	CL_SIP_HDR_CONTACT,             /* m */
	CL_SIP_HDR_CONTENT_ENCODING,    /* e */
	CL_SIP_HDR_CONTENT_LENGTH,      /* l */
	CL_SIP_HDR_CONTENT_TYPE,        /* c */
	CL_SIP_HDR_CSEQ,
	CL_SIP_HDR_DATE,
	CL_SIP_HDR_EVENT,               /* o */
	CL_SIP_HDR_EXPIRES,
	CL_SIP_HDR_FROM,                /* f */
	CL_SIP_HDR_IDENTITY,            /* y */
	CL_SIP_HDR_IDENTITY_INFO,       /* n */
	CL_SIP_HDR_MAX_FORWARDS,
	CL_SIP_HDR_MIN_EXPIRES,
	CL_SIP_HDR_PATH,
	CL_SIP_HDR_PROXY_AUTHENTICATE,
	CL_SIP_HDR_PROXY_AUTHORIZATION,
	CL_SIP_HDR_PROXY_REQUIRE,
	CL_SIP_HDR_REASON,
	CL_SIP_HDR_RECORD_ROUTE,
	CL_SIP_HDR_REFER_TO,            /* r */
	CL_SIP_HDR_REFERRED_BY,         /* b */
	CL_SIP_HDR_REJECT_CONTACT,      /* j */
	CL_SIP_HDR_REQUEST_DISPOSITION, /* d */
	CL_SIP_HDR_REQUIRE,
	CL_SIP_HDR_RETRY_AFTER,
	CL_SIP_HDR_ROUTE,
	CL_SIP_HDR_SERVER,
	CL_SIP_HDR_SESSION_EXPIRES,     /* x */
	CL_SIP_HDR_SUBJECT,             /* s */
	CL_SIP_HDR_SUPPORTED,           /* k */
	CL_SIP_HDR_TO,                  /* t */
	CL_SIP_HDR_UNSUPPORTED,
	CL_SIP_HDR_USER_AGENT,
	CL_SIP_HDR_VIA,                 /* v */
	CL_SIP_HDR_WARNING,
	CL_SIP_HDR_WWW_AUTHENTICATE,
	CL_SIP_HDR_COUNT
};

/* Returns the id of a header name (long or compact form, any case), or CL_SIP_HDR_OTHER. */
enum cl_sip_hdr cl_sip_hdr_lookup(struct cl_slice name);
/* Returns the canonical long name of a header id ("Call-ID"), or "" for OTHER. */
const char *cl_sip_hdr_name(enum cl_sip_hdr id);

/* ---- URIs (RFC 3261 §19.1, §25; RFC 3966 for tel:) ---- */
enum cl_sip_scheme { CL_SIP_SCHEME_OTHER, CL_SIP_SCHEME_SIP, CL_SIP_SCHEME_SIPS, CL_SIP_SCHEME_TEL };
enum cl_sip_host_type { CL_SIP_HOST_NONE, CL_SIP_HOST_NAME, CL_SIP_HOST_IPV4, CL_SIP_HOST_IPV6 };

struct cl_sip_uri {
	enum cl_sip_scheme scheme;
	struct cl_slice text;     /* the whole URI */
	struct cl_slice scheme_s; /* "sip", "tel", "soap.beep", ... as received */
	struct cl_slice user;     /* sip/sips: before ':' or '@' (escapes kept); tel: the number */
	struct cl_slice password; /* empty when absent */
	bool has_password;
	struct cl_slice host;     /* IPv6 with its brackets, as received; empty for tel/other */
	enum cl_sip_host_type host_type;
	uint16_t port;            /* 0 when absent */
	bool has_port;
	struct cl_slice params;   /* after the first ';' (without it); ';'-separated */
	struct cl_slice headers;  /* after '?' (without it); '&'-separated; sip/sips only */
	bool has_headers;
	struct cl_slice opaque;   /* other schemes: everything after "scheme:" */
};

/* Parses a sip:, sips:, tel: or other absolute URI. sip/sips are checked against the full
 * grammar, %XX escapes must be two hex digits, hosts must be a hostname, a dotted IPv4
 * address or a bracketed IPv6 address, ports 0..65535. Other schemes need a valid scheme
 * and visible characters only. Returns 0 or EBADMSG. */
int cl_sip_uri_parse(struct cl_sip_uri *u, struct cl_slice text);

/* ---- parameters: ";name[=value]" in headers (with LWS), in URIs, "," in auth ---- */
struct cl_sip_param {
	struct cl_slice name;
	struct cl_slice value;    /* as received; a quoted value keeps its quotes */
	bool has_value;
	bool quoted;
};

/* Takes the next header parameter from *rest (which starts at a ';' or is empty, LWS
 * allowed around it) and advances *rest. Values are token / host / quoted-string.
 * Returns 0, ENOENT at the end, or EBADMSG. */
int cl_sip_param_next(struct cl_slice *rest, struct cl_sip_param *p);
/* Finds a header parameter by name (case-insensitive). Returns 0, ENOENT or EBADMSG. */
int cl_sip_param_find(struct cl_slice params, const char *name, struct cl_sip_param *p);
/* Takes the next URI parameter from *rest (a uri.params slice: "a=1;lr"), no LWS, values
 * 1*paramchar with escapes. Returns 0, ENOENT at the end, or EBADMSG. */
int cl_sip_uri_param_next(struct cl_slice *rest, struct cl_sip_param *p);
/* Finds a URI parameter by name (case-insensitive). Returns 0, ENOENT or EBADMSG. */
int cl_sip_uri_param_find(const struct cl_sip_uri *u, const char *name, struct cl_sip_param *p);

/* ---- lexical helpers ---- */

/* Splits a comma-separated header value: takes the next element from *rest, respecting
 * quoted strings (with escapes) and <...>, trims LWS around it. Returns 0 with *elem,
 * ENOENT when *rest has nothing left, EBADMSG for an unterminated quote or bracket. An
 * empty element between commas comes back empty (callers decide whether that is legal). */
int cl_sip_list_next(struct cl_slice *rest, struct cl_slice *elem);
/* Copies v into out with every fold (CRLF + WSP run) and WSP run replaced by one SP.
 * Returns 0 or ENOBUFS. *outlen gets the length (no NUL is written). */
int cl_sip_unfold(struct cl_slice v, char *out, size_t cap, size_t *outlen);
/* Decodes a quoted-string (with its quotes) into out: quoted-pairs unescaped, folds kept
 * as received. Returns 0, EBADMSG when q is not exactly one quoted string, or ENOBUFS. */
int cl_sip_unquote(struct cl_slice q, char *out, size_t cap, size_t *outlen);

/* ---- typed header values ---- */

/* name-addr / addr-spec (From, To, Contact, Route, Record-Route, Refer-To, ...). */
struct cl_sip_nameaddr {
	struct cl_slice display;  /* as received: quoted (with quotes) or tokens; may be empty */
	struct cl_slice uri_text; /* inside <...>, or the bare addr-spec */
	struct cl_sip_uri uri;
	bool bracketed;           /* the URI was in <...> */
	struct cl_slice params;   /* header params, from the first ';' after the URI (or empty) */
	struct cl_slice tag;      /* the tag parameter (empty when absent) */
	bool has_tag;
};
/* Parses one name-addr or addr-spec element. A bare addr-spec must not contain '?' or
 * ',' (RFC 3261 §20: such URIs need <>). Returns 0 or EBADMSG. */
int cl_sip_nameaddr_parse(struct cl_sip_nameaddr *na, struct cl_slice elem);

/* One Via element (RFC 3261 §20.42, rport RFC 3581, alias RFC 5923). */
struct cl_sip_via {
	struct cl_slice protocol;  /* "SIP" */
	struct cl_slice version;   /* "2.0" */
	struct cl_slice transport; /* "UDP", "TCP", "TLS", "SCTP", "WS", anything token */
	struct cl_slice host;      /* sent-by host (IPv6 with brackets) */
	enum cl_sip_host_type host_type;
	uint16_t port;             /* 0 when absent */
	struct cl_slice params;    /* from the first ';' (or empty) */
	struct cl_slice branch, received, maddr;
	bool has_branch, has_received, has_maddr;
	bool rport;                /* rport present (RFC 3581 §3) */
	bool rport_has_value;      /* "rport=1234" (filled in by a server on the way back) */
	uint16_t rport_value;
	bool alias;                /* RFC 5923 §5 */
	int ttl;                   /* -1 when absent */
};
/* Parses one Via element (one via-parm). Returns 0 or EBADMSG. */
int cl_sip_via_parse(struct cl_sip_via *v, struct cl_slice elem);

/* One Contact element (RFC 3261 §20.10; RFC 5626 +sip.instance / reg-id). */
struct cl_sip_contact {
	bool star;                 /* "Contact: *" */
	struct cl_sip_nameaddr na;
	int64_t expires;           /* -1 when absent; clamped to 2^32-1 (RFC 3261 §20.19) */
	int q;                     /* q times 1000 (0..1000), -1 when absent */
	struct cl_slice instance;  /* +sip.instance without its quotes ("<urn:uuid:...>") */
	bool has_instance;
	int64_t reg_id;            /* -1 when absent */
};
/* Parses one Contact element ("*" alone, or a name-addr with contact params). Returns 0
 * or EBADMSG. */
int cl_sip_contact_parse(struct cl_sip_contact *c, struct cl_slice elem);

/* Authorization, Proxy-Authorization, WWW-Authenticate, Proxy-Authenticate (§20.7, §25). */
struct cl_sip_auth {
	struct cl_slice scheme;    /* "Digest", or any token */
	struct cl_slice params;    /* the comma-separated auth-params, for cl_sip_auth_param_next */
};
/* Parses "scheme auth-param *(, auth-param)". Returns 0 or EBADMSG. */
int cl_sip_auth_parse(struct cl_sip_auth *a, struct cl_slice value);
/* Takes the next auth-param ("name=value", value token or quoted) from *rest. Returns 0,
 * ENOENT at the end, or EBADMSG. */
int cl_sip_auth_param_next(struct cl_slice *rest, struct cl_sip_param *p);

/* One Warning element (§20.43): 3-digit code, agent, quoted text. */
struct cl_sip_warning {
	unsigned code;
	struct cl_slice agent;
	struct cl_slice text;      /* with quotes; cl_sip_unquote() decodes */
};
int cl_sip_warning_parse(struct cl_sip_warning *w, struct cl_slice elem);

/* One Reason element (RFC 3326): protocol;cause=N;text="...". */
struct cl_sip_reason {
	struct cl_slice protocol;  /* "SIP", "Q.850", ... */
	int cause;                 /* -1 when absent */
	struct cl_slice text;      /* with quotes, empty when absent */
	struct cl_slice params;
};
int cl_sip_reason_parse(struct cl_sip_reason *r, struct cl_slice elem);

/* Content-Type (§20.15): type "/" subtype *(";" param). */
struct cl_sip_ctype {
	struct cl_slice type, subtype, params;
};
int cl_sip_ctype_parse(struct cl_sip_ctype *ct, struct cl_slice value);

/* Parses delta-seconds (Expires, expires=): digits only, values above 2^32-1 clamp to it
 * (RFC 3261 §20.19). Returns 0 or EBADMSG. */
int cl_sip_delta_parse(struct cl_slice v, uint32_t *out);

/* ---- messages ---- */

struct cl_sip_field {
	uint8_t id;                /* enum cl_sip_hdr */
	struct cl_slice name;      /* as received */
	struct cl_slice value;     /* LWS-trimmed at both ends; may contain folds */
};

struct cl_sip_cseq {
	uint32_t num;              /* < 2^31 (RFC 3261 §8.1.1.5) */
	struct cl_slice method;
};

struct cl_sip_msg {
	bool is_request;
	/* request line */
	struct cl_slice method;
	struct cl_slice ruri_text;
	struct cl_sip_uri ruri;
	/* status line */
	unsigned status;
	struct cl_slice reason_phrase;
	/* headers, in order */
	struct cl_sip_field hdr[CL_SIP_MAX_HEADERS];
	size_t nhdr;
	int16_t first[CL_SIP_HDR_COUNT]; /* index in hdr[] of the first of each id, -1: none */
	/* decoded during the pass */
	struct cl_slice call_id;
	struct cl_sip_cseq cseq;
	int max_forwards;          /* -1 when absent */
	int64_t content_length;    /* -1 when absent */
	struct cl_sip_nameaddr from, to;
	struct cl_sip_via via;     /* the top Via */
	size_t nvia;               /* Via elements, over all Via header lines */
	/* framing */
	struct cl_slice head;      /* start line + headers, through the empty line */
	struct cl_slice body;
	size_t len;                /* bytes of this message (head + body); on a datagram any
				    * octets after it are ignored (RFC 4475 §3.1.1.8) */
};

enum cl_sip_transport_kind { CL_SIP_DGRAM, CL_SIP_STREAM };

struct cl_sip_parse_opts {
	enum cl_sip_transport_kind kind; /* DGRAM: Content-Length optional (body = rest);
					  * STREAM: mandatory and the buffer must hold it */
	size_t max_size;                 /* 0: CL_SIP_DEFAULT_MAX_SIZE */
};

/* What to answer. After a failure: status 400 (malformed, missing or duplicate mandatory
 * header, CSeq method mismatch, Content-Length beyond the datagram), 505 (SIP version
 * not 2.0), 513 (over max_size), or 0 for a response (bad responses are dropped, never
 * answered). After success: status 0, or 483 when a request has Max-Forwards 0 (advice:
 * the transaction user decides, e.g. OPTIONS to the edge itself may still get 200). */
struct cl_sip_error {
	uint16_t status;
	const char *reason;        /* static text naming what is wrong: "Bad CSeq",
				    * "Missing Call-ID", ... ("" when status is 0) */
	size_t offset;             /* byte offset of the line at fault (0 when not tied) */
};

/* Parses one message from buf[0..len). Leading CRLFs are skipped (RFC 3261 §7.5). Line
 * endings must be CRLF; a bare CR or LF in the head is an error. For requests, Via, From,
 * To, Call-ID, CSeq and Max-Forwards are mandatory (Max-Forwards may be absent only when
 * the top Via has no RFC 3261 branch, i.e. from an RFC 2543 element, RFC 4475 §3.4.1);
 * responses need Via, From, To, Call-ID and CSeq. From, To, Call-ID, CSeq, Max-Forwards,
 * Content-Length and Content-Type may appear once. The Request-URI may not carry URI
 * headers (RFC 3261 §19.1.1). Returns 0 (err->status 0 or 483), or EBADMSG with err
 * filled. m points into buf. */
int cl_sip_parse(struct cl_sip_msg *m, const char *buf, size_t len,
		 const struct cl_sip_parse_opts *opts, struct cl_sip_error *err);

/* Returns the index of the next header with this id after *cursor (start with 0), or -1.
 * Usage: for (size_t c = 0; (i = cl_sip_msg_hdr_next(m, id, &c)) >= 0;) ... */
int cl_sip_msg_hdr_next(const struct cl_sip_msg *m, enum cl_sip_hdr id, size_t *cursor);
/* Returns the first header with this name (any case, compact forms matched for known
 * names), or NULL. */
const struct cl_sip_field *cl_sip_msg_hdr_find(const struct cl_sip_msg *m, struct cl_slice name);

/* Iterates the comma-separated elements of every header line with this id, in order
 * (Via, Contact, Route, Record-Route, Supported, Require, Allow, ...). */
struct cl_sip_values_it {
	size_t cursor;             /* header cursor; zero the struct to start */
	struct cl_slice rest;
	bool open;
};
/* Returns 0 with the next element, ENOENT at the end, or EBADMSG. */
int cl_sip_msg_values_next(const struct cl_sip_msg *m, enum cl_sip_hdr id,
			   struct cl_sip_values_it *it, struct cl_slice *elem);
/* Returns true when an option tag is listed in Supported / Require / Proxy-Require. */
bool cl_sip_msg_has_option(const struct cl_sip_msg *m, enum cl_sip_hdr id, const char *tag);
/* Reads the Expires header: 0, ENOENT when absent, EBADMSG. */
int cl_sip_msg_expires(const struct cl_sip_msg *m, uint32_t *out);

/* ---- stream framing (TCP/TLS; RFC 3261 §18.3, RFC 5626 §3.5.1/§4.4.1) ---- */
enum cl_sip_frame_kind {
	CL_SIP_FRAME_MSG,  /* one complete message of len bytes (head + Content-Length body) */
	CL_SIP_FRAME_PING, /* CRLFCRLF keepalive (4 bytes): answer with one CRLF */
	CL_SIP_FRAME_PONG, /* a single CRLF (2 bytes): the answer to our ping */
};
struct cl_sip_frame {
	enum cl_sip_frame_kind kind;
	size_t len;               /* bytes to consume */
};
/* Frames the bytes received so far on a stream (max_size 0: the default). Returns:
 *   0        a frame: consume f->len bytes and call again for pipelined data;
 *   EAGAIN   need more bytes. When the buffer is exactly CRLF (or CRLF CR), f says PONG/2:
 *            a client waiting for a pong may take it; a server waits (it may be half a ping);
 *   EBADMSG  garbage, a bare LF/CR or NUL in the head, missing, duplicate or invalid
 *            Content-Length: close the connection;
 *   EMSGSIZE the head or head+body exceeds max_size: close the connection.
 * The framer does not parse the message: call cl_sip_parse() with CL_SIP_STREAM on it. */
int cl_sip_frame(const char *buf, size_t len, size_t max_size, struct cl_sip_frame *f);

#endif
