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

/* ---- building messages (RFC 3261 §7, §8.1.1, §8.2.6, §9.1, §17.1.1.3) ----
 *
 * Every builder writes one whole message into out[0..cap) and sets *len: CRLF line ends,
 * canonical long header names, a Content-Length that matches the body, no NUL. When the
 * message does not fit it returns ENOBUFS and out[0..cap) holds garbage; nothing is ever
 * written past cap. Caller-given values (method, URIs, header values, tags) may not hold
 * CR, LF or NUL (EINVAL), so a value cannot inject a header. */

#define CL_SIP_BRANCH_COOKIE "z9hG4bK"  /* RFC 3261 §8.1.1.7 magic cookie */
#define CL_SIP_BRANCH_LEN 31            /* cookie + 24 hex digits from the CSPRNG */
#define CL_SIP_TAG_LEN 16               /* 16 hex digits (64 random bits, §19.3) */

/* Returns the RFC 3261 §21 reason phrase for a status code ("Unknown" when none). */
const char *cl_sip_reason_phrase(unsigned status);
/* Writes a fresh branch ("z9hG4bK" + 24 random hex digits) and a NUL into out (cap at
 * least CL_SIP_BRANCH_LEN + 1). Returns 0, ENOBUFS or EIO (CSPRNG failure). */
int cl_sip_branch_new(char *out, size_t cap);
/* Writes a fresh tag (CL_SIP_TAG_LEN random hex digits) and a NUL into out (cap at least
 * CL_SIP_TAG_LEN + 1). Returns 0, ENOBUFS or EIO. */
int cl_sip_tag_new(char *out, size_t cap);

/* What a builder adds after the mandatory headers. Zero it for "nothing". */
struct cl_sip_build_opts {
	struct cl_slice headers;  /* complete header lines, each ending in CRLF (Record-Route,
				   * Contact, Allow, Server, Retry-After, ...); copied as is */
	struct cl_slice ctype;    /* Content-Type value: required when body is not empty */
	struct cl_slice body;
	/* responses only, for the server transport (RFC 3261 §18.2.1, RFC 3581 §4): rewrite
	 * the top Via with received=via_received and rport=via_rport (either may be unset;
	 * any received/rport already there is replaced). rport is set only when the request
	 * asked for it (a bare ";rport"). */
	struct cl_slice via_received;
	uint16_t via_rport;
};

/* Builds a response to req (RFC 3261 §8.2.6): status line (reason NULL: the default
 * phrase), every Via in order, From, To, Call-ID, CSeq, then opts. When the request's To
 * has no tag and status is not 100, ";tag=" to_tag is added (to_tag empty: a fresh one
 * from cl_sip_tag_new; §8.2.6.2). A 100 copies Timestamp (§8.2.6.1). Record-Route for
 * dialog-creating responses (§12.1.1) is the TU's: pass it in opts->headers.
 * Returns 0, EINVAL (status outside 100..699, CR/LF in a value, body without
 * Content-Type, opts->headers not ending in CRLF), ENOBUFS, EIO, or EBADMSG when req is
 * not a request or its Via is unreadable. */
int cl_sip_build_response(const struct cl_sip_msg *req, unsigned status, const char *reason,
			  struct cl_slice to_tag, const struct cl_sip_build_opts *opts,
			  char *out, size_t cap, size_t *len);

/* A request a UAC core starts (RFC 3261 §8.1.1). Header values are given whole, tags
 * included: from needs its tag (§8.1.1.3), to has none outside a dialog. */
struct cl_sip_request_spec {
	struct cl_slice method;      /* a token, not "ACK" via this path (use build_ack) */
	struct cl_slice ruri;        /* Request-URI text */
	struct cl_slice transport;   /* Via transport: "UDP", "TCP", "TLS" */
	struct cl_slice sent_by;     /* Via sent-by: host[:port] */
	struct cl_slice via_params;  /* after the branch, e.g. ";rport" (may be empty) */
	struct cl_slice branch;      /* empty: a fresh one (cl_sip_branch_new) */
	struct cl_slice from, to, call_id;
	uint32_t cseq;               /* < 2^31 (§8.1.1.5) */
	struct cl_slice contact;     /* Contact value; empty: none */
	unsigned max_forwards;       /* 0: 70 (§8.1.1.6); 1..255 as given */
	const struct cl_sip_build_opts *opts; /* NULL: nothing more (route set goes here) */
};
/* Builds "METHOD R-URI SIP/2.0", Via (with branch), Max-Forwards, From, To, Call-ID,
 * CSeq, Contact, then opts. Returns 0, EINVAL (missing method/ruri/transport/sent_by/
 * from/to/call_id, CSeq out of range, CR/LF in a value), ENOBUFS or EIO. */
int cl_sip_build_request(const struct cl_sip_request_spec *s, char *out, size_t cap, size_t *len);

/* Builds the ACK for a non-2xx final response resp to invite, a request we sent
 * (RFC 3261 §17.1.1.3): the same Request-URI, Call-ID, From, CSeq number and top Via
 * (one Via only), To from the response (with its tag), the invite's Route headers,
 * Max-Forwards 70, no body. Returns 0, EINVAL (invite is not an INVITE or resp not a
 * response), EBADMSG (unreadable Via) or ENOBUFS. */
int cl_sip_build_ack(const struct cl_sip_msg *invite, const struct cl_sip_msg *resp,
		     char *out, size_t cap, size_t *len);
/* Builds the CANCEL for req (RFC 3261 §9.1): the same Request-URI, Call-ID, From, To,
 * CSeq number and top Via (same branch), the Route headers, Max-Forwards 70, then
 * headers (complete lines ending in CRLF, e.g. Reason (RFC 3326); may be empty).
 * Returns 0, EINVAL (req is an ACK or CANCEL, or headers malformed), EBADMSG or ENOBUFS.
 * §9.1: send it only after a provisional response; that is the TU's rule. */
int cl_sip_build_cancel(const struct cl_sip_msg *req, struct cl_slice headers,
			char *out, size_t cap, size_t *len);

/* ---- transactions (RFC 3261 §17 with the RFC 6026 fixes): sans-I/O ----
 *
 * struct cl_sip_txl is the transaction layer of one signaling thread. It does no I/O and
 * reads no clock: the driver passes the time (ms, any monotonic origin) into every call,
 * and gets output through two callbacks:
 *   send(arg, tx, flow, bytes, len)  put bytes on the wire on flow (an id the driver
 *                                    chose: a connection, or a UDP destination). A
 *                                    non-zero return is a transport error (§17.1.1.2,
 *                                    §17.1.2.2, §17.2.4): the tx fails with
 *                                    CL_SIP_TXE_TRANSPORT_ERROR. tx is NULL for the
 *                                    stateless 503.
 *   event(arg, ev)                   what the transaction user (TU) must know.
 * and one query: cl_sip_txl_next() is the earliest deadline, so the driver arms a single
 * loop timer and calls cl_sip_txl_timer() when it fires (early or late calls are fine;
 * retransmit intervals restart from the time given).
 *
 * Inputs: cl_sip_txl_recv() with every parsed message (its raw bytes are m->head.p ..
 * m->head.p + m->len), cl_sip_txl_timer(), cl_sip_txl_transport_error() when a flow
 * dies, and the TU's cl_sip_txl_request() / cl_sip_txl_respond() / cl_sip_txl_reply().
 *
 * Re-entrancy: the callbacks may call any cl_sip_txl_* function except cl_sip_txl_free
 * (the TU typically answers inside CL_SIP_TXE_REQUEST). A tx is freed only when the
 * outermost cl_sip_txl_* call returns, after its CL_SIP_TXE_TERMINATED event; the TU
 * drops its pointer at that event. Every message given to the TU (ev->msg) lives only for
 * the callback; the tx keeps a copy of its request (cl_sip_tx_request()).
 *
 * Machines (timers: T1/T2/T4 from the config; "unreliable" means the tx's flow is
 * datagram; the reliable flag is fixed when the tx is created):
 *   INVITE client (§17.1.1, RFC 6026 §8.4): Calling: A (T1, doubling, unreliable only),
 *     B (64*T1 -> TIMEOUT). 1xx -> Proceeding (no timers). 2xx -> Accepted, M (64*T1):
 *     every 2xx, retransmissions and forks, goes to the TU, which sends the ACK (§13.2.2.4)
 *     itself, outside any transaction. 300-699 -> the tx builds and sends the ACK,
 *     Completed, D (32 s unreliable, 0 reliable); retransmitted finals are answered with
 *     the same ACK bytes and not passed up.
 *   non-INVITE client (§17.1.2): Trying: E (T1 doubling up to T2, unreliable), F (64*T1
 *     -> TIMEOUT). 1xx -> Proceeding (E continues at T2). Final -> Completed, K (T4
 *     unreliable, 0 reliable), later responses absorbed.
 *   INVITE server (§17.2.1, RFC 6026 §8.5-8.7): Proceeding: 100 Trying when the TU has
 *     sent nothing within trying_ms (our UAS choice: the B2BUA rarely answers within
 *     200 ms, but a quick local reject or 183 then goes out without a 100 before it; 0
 *     sends it as soon as the REQUEST callback returns unanswered). A retransmitted
 *     INVITE gets the last provisional again (or the 100 at once). 2xx from the TU -> Accepted, L
 *     (64*T1): INVITE retransmissions absorbed, the TU's own 2xx retransmissions sent,
 *     ACKs passed to the TU. 300-699 -> Completed: G (T1 doubling up to T2, unreliable),
 *     H (64*T1 -> TIMEOUT: no ACK); ACK -> Confirmed, I (T4 unreliable, 0 reliable).
 *   non-INVITE server (§17.2.2): Trying (retransmissions absorbed) -> Proceeding (1xx,
 *     resent on retransmission) -> Completed (final resent on retransmission), J (64*T1
 *     unreliable, 0 reliable).
 * No timer runs in INVITE Proceeding (client or server) nor non-INVITE server Trying: a
 * TU that never answers keeps its tx.
 *
 * Matching: a response goes to the client tx with its top Via branch and CSeq method
 * (§17.1.3); unmatched responses are dropped (RFC 6026 §8.4 keeps 2xx retransmissions
 * inside the Accepted tx). A request with an RFC 3261 branch matches the server tx with
 * the same branch, top Via sent-by and method, an ACK matching the INVITE (§17.2.3).
 * Without the cookie (RFC 2543) it matches on Request-URI, From tag, Call-ID, CSeq
 * number, top Via and method (the To tag of an ACK is not compared: a simplification).
 * An ACK that matches no tx, or an INVITE tx in Accepted, is an end-to-end ACK for a 2xx
 * and goes to the TU (CL_SIP_TXE_ACK); an ACK for a non-2xx is absorbed. A CANCEL creates
 * its own non-INVITE server tx; the event names the INVITE server tx it cancels (NULL:
 * none, the TU answers 481, §9.2). Over max_tx live transactions a new request gets a
 * stateless 503 (ACKs pass, and the TU's cl_sip_txl_request() gets ENOSPC).
 *
 * Retransmissions resend the stored bytes: byte-identical. */

enum cl_sip_tx_kind {
	CL_SIP_TX_ICT,  /* INVITE client */
	CL_SIP_TX_NICT, /* non-INVITE client */
	CL_SIP_TX_IST,  /* INVITE server */
	CL_SIP_TX_NIST, /* non-INVITE server */
};

enum cl_sip_tx_state {
	CL_SIP_TX_CALLING,
	CL_SIP_TX_TRYING,
	CL_SIP_TX_PROCEEDING,
	CL_SIP_TX_COMPLETED,
	CL_SIP_TX_CONFIRMED,
	CL_SIP_TX_ACCEPTED,  /* RFC 6026 */
	CL_SIP_TX_TERMINATED,
};

struct cl_sip_txl_cfg {
	uint32_t t1_ms;      /* RTT estimate; default 500 (§17.1.1.1) */
	uint32_t t2_ms;      /* retransmit cap for non-INVITE and G; default 4000 */
	uint32_t t4_ms;      /* max network lifetime; default 5000 */
	uint32_t trying_ms;  /* INVITE server: 100 Trying after this; default 200; 0: at once */
	uint32_t d_ms;       /* Timer D on unreliable flows; default 32000 (">= 32 s") */
	uint32_t max_tx;     /* live transactions at most; default 8192 */
};

struct cl_sip_tx;
struct cl_sip_txl;

enum cl_sip_txe_type {
	CL_SIP_TXE_REQUEST,         /* a new server tx: answer with cl_sip_txl_respond/reply */
	CL_SIP_TXE_CANCEL,          /* a new CANCEL server tx (tx); cancelled: the INVITE server
				     * tx it matches, or NULL. The TU answers both (§9.2) */
	CL_SIP_TXE_ACK,             /* an ACK for a 2xx (end to end); tx: the Accepted INVITE
				     * server tx, or NULL when none matched */
	CL_SIP_TXE_RESPONSE,        /* a response on a client tx */
	CL_SIP_TXE_TIMEOUT,         /* Timer B or F (client), H (server: the ACK never came) */
	CL_SIP_TXE_TRANSPORT_ERROR, /* send failed or the flow died; err says why */
	CL_SIP_TXE_TERMINATED,      /* the tx is gone after this callback: drop it */
};

struct cl_sip_txe {
	enum cl_sip_txe_type type;
	struct cl_sip_tx *tx;
	struct cl_sip_tx *cancelled;  /* CANCEL only */
	const struct cl_sip_msg *msg; /* REQUEST, CANCEL, ACK, RESPONSE; valid in the callback */
	uint64_t flow;                /* the flow it arrived on (or the tx's) */
	bool reliable;
	int err;                      /* TRANSPORT_ERROR */
};

typedef int cl_sip_txl_send_h(void *arg, struct cl_sip_tx *tx, uint64_t flow,
			      const char *buf, size_t len);
typedef void cl_sip_txl_event_h(void *arg, const struct cl_sip_txe *ev);

struct cl_sip_txl_stats {
	uint64_t retrans_absorbed;   /* requests/responses eaten by a tx */
	uint64_t stray_responses;    /* matched no client tx, dropped */
	uint64_t stray_acks;         /* ACK matched a tx that was not waiting for it */
	uint64_t rejected_503;       /* over max_tx */
	uint64_t timeouts, transport_errors;
};

/* Fills cfg with the defaults above. */
void cl_sip_txl_cfg_init(struct cl_sip_txl_cfg *cfg);
/* Creates a transaction layer (cfg NULL: defaults). Returns 0, EINVAL (t1/t2/t4/max_tx
 * zero, t2 < t1, no send or event handler), ENOMEM or EIO. */
int cl_sip_txl_new(struct cl_sip_txl **out, const struct cl_sip_txl_cfg *cfg,
		   cl_sip_txl_send_h *send, cl_sip_txl_event_h *event, void *arg);
/* Frees the layer and every transaction in it, without events. NULL is fine. */
void cl_sip_txl_free(struct cl_sip_txl *txl);

/* Feeds one parsed message that arrived on flow. Returns 0 (handled, absorbed or
 * dropped), EINVAL for bad arguments, ENOMEM. */
int cl_sip_txl_recv(struct cl_sip_txl *txl, const struct cl_sip_msg *m, uint64_t flow,
		    bool reliable, uint64_t now);
/* Fires every timer due at now. Returns the number fired. */
size_t cl_sip_txl_timer(struct cl_sip_txl *txl, uint64_t now);
/* Returns the earliest timer deadline, or UINT64_MAX when none is armed. */
uint64_t cl_sip_txl_next(const struct cl_sip_txl *txl);
/* Every live tx on flow fails with CL_SIP_TXE_TRANSPORT_ERROR (err). Returns how many. */
size_t cl_sip_txl_transport_error(struct cl_sip_txl *txl, uint64_t flow, int err,
				  uint64_t now);

/* Starts a client tx for a request the TU built (cl_sip_build_request / _cancel): copies
 * it, sends it on flow and arms its timers. The top Via needs a fresh RFC 3261 branch.
 * *out (may be NULL) gets the tx; data is the TU's pointer. Returns 0, EINVAL (not a
 * parseable request, an ACK, no z9hG4bK branch), EEXIST (branch+method in use), ENOSPC
 * (over max_tx), ENOMEM, or the send callback's error (then no tx exists). */
int cl_sip_txl_request(struct cl_sip_txl *txl, const char *req, size_t len, uint64_t flow,
		       bool reliable, uint64_t now, void *data, struct cl_sip_tx **out);
/* Sends the response bytes resp on server tx (built by the TU, e.g. from
 * cl_sip_tx_request()) and moves its machine. Returns 0, EINVAL (not a server tx or not a
 * response), EPROTO (not allowed in this state: a second final, a 1xx after a final,
 * anything but a 2xx in Accepted), ESRCH (tx terminated), ENOMEM, or the transport error
 * (the tx has then failed: TRANSPORT_ERROR and TERMINATED events were delivered). */
int cl_sip_txl_respond(struct cl_sip_txl *txl, struct cl_sip_tx *tx, const char *resp,
		       size_t len, uint64_t now);
/* Builds a response from the tx's request with cl_sip_build_response() and sends it as
 * cl_sip_txl_respond() does. Returns the same errors plus the builder's. */
int cl_sip_txl_reply(struct cl_sip_txl *txl, struct cl_sip_tx *tx, unsigned status,
		     const char *reason, struct cl_slice to_tag,
		     const struct cl_sip_build_opts *opts, uint64_t now);
/* Returns the number of live (not terminated) transactions. */
size_t cl_sip_txl_count(const struct cl_sip_txl *txl);
/* Returns the counters. */
const struct cl_sip_txl_stats *cl_sip_txl_stats(const struct cl_sip_txl *txl);

enum cl_sip_tx_kind cl_sip_tx_kind(const struct cl_sip_tx *tx);
enum cl_sip_tx_state cl_sip_tx_state(const struct cl_sip_tx *tx);
/* Returns the request bytes the tx keeps (received or sent): parse them to answer. */
struct cl_slice cl_sip_tx_request(const struct cl_sip_tx *tx);
uint64_t cl_sip_tx_flow(const struct cl_sip_tx *tx);
bool cl_sip_tx_reliable(const struct cl_sip_tx *tx);
/* Returns the status of the last response sent (server) or received (client), 0: none. */
unsigned cl_sip_tx_status(const struct cl_sip_tx *tx);
void *cl_sip_tx_data(const struct cl_sip_tx *tx);
void cl_sip_tx_set_data(struct cl_sip_tx *tx, void *data);
/* Returns "ICT", "NIST", ... and "Calling", "Proceeding", ... for logs. */
const char *cl_sip_tx_kind_name(enum cl_sip_tx_kind k);
const char *cl_sip_tx_state_name(enum cl_sip_tx_state s);

/* ---- transports (RFC 3261 §18, RFC 3581, RFC 5626 §4.4.1) ----
 * Listeners on UDP, TCP and TLS; a flow per UDP 5-tuple or per stream connection, each
 * with an idle timeout, in a capped table. Received messages are parsed and handed to the
 * transaction user with their flow id; a request that cannot be parsed is answered
 * statelessly (400/505/513 naming what is wrong) when it can be. Responses go back on the
 * flow the request came on (for UDP: to its source address and port, RFC 3581).
 *
 * Outgoing: cl_sip_tp_connect() finds or opens a flow to an address. Stream connects and
 * TLS handshakes run non-blocking under one timeout; messages sent meanwhile are queued
 * and flushed once the flow is up; a failure reaches the close handler. RFC 5923: a TLS
 * flow on which a request came with ;alias in its top Via is reused for connects to the
 * sent-by host and port, but only when the peer's certificate authenticated that host
 * (RFC 5923 §9, RFC 5922 §7); never for TCP or an unauthenticated peer. */
struct cl_loop;
struct cl_sa;
struct cl_tls_server;
struct cl_tls_client;

enum cl_sip_tpt { CL_SIP_TP_UDP, CL_SIP_TP_TCP, CL_SIP_TP_TLS };

#define CL_SIP_TP_MAX_LISTENERS 16

struct cl_sip_tp_cfg {
	size_t max_flows;       /* flows at once (default 4096); new ones beyond are refused */
	uint32_t udp_idle_ms;   /* default 60 s */
	uint32_t stream_idle_ms; /* default 300 s */
	size_t max_msg;         /* default CL_SIP_DEFAULT_MAX_SIZE */
	uint32_t connect_ms;    /* outgoing TCP connect plus TLS handshake; default (and 0) 5 s */
	uint32_t handshake_ms;  /* an incoming TLS handshake must finish within; default (0) 10 s */
	size_t max_handshakes;  /* incoming TLS handshakes in progress at once; default (0) 256 */
};

struct cl_sip_tp_stats {
	uint64_t rx_msgs, tx_msgs, bad_requests, bad_responses, stream_errors, refused_flows;
	uint64_t tls_handshake_failures, keepalives;
	uint64_t handshake_timeouts;  /* incoming TLS handshakes cut off at handshake_ms */
	uint64_t handshakes_refused;  /* connections refused at max_handshakes */
	uint64_t out_flows;        /* outgoing streams opened */
	uint64_t connect_failures; /* outgoing streams that failed or timed out before use */
	uint64_t aliases;          /* TLS flows made reusable by RFC 5923 alias */
};

struct cl_sip_tp;
/* A parsed message arrived on flow (m points into the transport's buffer: copy what you
 * keep). reliable: a stream. */
typedef void(cl_sip_tp_recv_h)(void *arg, uint64_t flow, bool reliable, const struct cl_sip_msg *m);
/* A flow is gone (err 0: idle timeout or orderly close, else why). */
typedef void(cl_sip_tp_close_h)(void *arg, uint64_t flow, int err);

/* Fills the defaults. */
void cl_sip_tp_cfg_init(struct cl_sip_tp_cfg *cfg);
/* Creates the transport layer on a loop. Returns 0, EINVAL or ENOMEM. */
int cl_sip_tp_new(struct cl_sip_tp **tpp, struct cl_loop *loop, const struct cl_sip_tp_cfg *cfg,
		  cl_sip_tp_recv_h *recvh, cl_sip_tp_close_h *closeh, void *arg);
/* Closes every flow and listener and frees the layer (NULL is fine). */
void cl_sip_tp_free(struct cl_sip_tp *tp);
/* Listens on addr (port 0: any; the bound address is written back). tls: the server
 * contexts for CL_SIP_TP_TLS. Returns 0 or an errno. */
int cl_sip_tp_listen(struct cl_sip_tp *tp, enum cl_sip_tpt kind, struct cl_sa *addr,
		     struct cl_tls_server *tls);
/* Sends a whole message on flow. Returns 0, ENOENT (flow gone), ENOBUFS (stream queue
 * full: the flow is closed) or a socket error. */
int cl_sip_tp_send(struct cl_sip_tp *tp, uint64_t flow, const char *buf, size_t len);
/* The client context for outgoing TLS flows (not owned: keep it alive while the layer
 * may connect; streams already open hold their own reference). NULL: none. */
void cl_sip_tp_set_tls_client(struct cl_sip_tp *tp, struct cl_tls_client *cli);
/* The flow to send to dst over kind, in *flow. UDP: the flow of the first UDP listener of
 * dst's family. TCP: an existing flow with peer dst (ours or the peer's), else a new
 * connection. TLS: an existing flow whose peer proved tls_name (ours verified for that
 * name; an incoming one whose certificate is an RFC 5922 identity for it; an RFC 5923
 * alias for that name at dst's address and port), else a new connection whose handshake
 * checks tls_name (NULL: chain only, and only reused for NULL). A new stream flow connects
 * in the background: cl_sip_tp_send queues until it is up, and a failure (ECONNREFUSED,
 * ETIMEDOUT after cfg.connect_ms, EPROTO for a failed handshake, ...) reaches the close
 * handler, never this return. Returns 0, EINVAL (bad kind or name; TLS: nothing to reuse
 * and no client context set), EADDRNOTAVAIL (no UDP listener of dst's family), ENOSPC
 * (flow table full) or ENOMEM. */
int cl_sip_tp_connect(struct cl_sip_tp *tp, enum cl_sip_tpt kind, const struct cl_sa *dst,
		      const char *tls_name, uint64_t *flow);
/* The peer address and kind of a flow. Returns 0 or ENOENT. */
int cl_sip_tp_flow_info(const struct cl_sip_tp *tp, uint64_t flow, struct cl_sa *peer,
			enum cl_sip_tpt *kind);
/* Counters. */
const struct cl_sip_tp_stats *cl_sip_tp_stats(const struct cl_sip_tp *tp);
/* "UDP", "TCP", "TLS". */
const char *cl_sip_tpt_name(enum cl_sip_tpt kind);

/* The minimal transaction user (until the registrar and B2BUA): the status to answer a
 * request with, and extra header lines (CRLF-terminated) written into hdrs. OPTIONS → 200
 * (Allow, Accept, Supported, Server), Max-Forwards 0 → 483, unsupported Require → 420
 * with Unsupported, INVITE/REGISTER/BYE → 404, other methods → 501 with Allow. Returns 0,
 * ENOENT for an ACK (never answered), or ENOBUFS (cap < 128). */
int cl_sip_minimal_reply(const struct cl_sip_msg *req, unsigned *status, const char **reason,
			 char *hdrs, size_t cap, size_t *hlen);

#endif
