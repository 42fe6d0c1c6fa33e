/* The typed pass over a message's header lines (RFC 3261 §8.1.1, §8.2.2, §20) and the
 * message accessors. One table says, per header id, whether it may appear once, how it is
 * decoded, and the reason phrases naming it. */
#include <errno.h>
#include <string.h>

#include "sip/lex.h"
#include "sip/msg.h"

typedef int (*decode_h)(struct cl_sip_msg *m, struct cl_slice v);

struct hdr_rule {
	decode_h decode;
	bool single;
	const char *bad, *missing, *dup;
};

/* callid = word [ "@" word ] (RFC 3261 §25.1) */
static int dec_call_id(struct cl_sip_msg *m, struct cl_slice v)
{
	const char *end = cl_sip_end(v), *at = memchr(v.p, '@', v.len);

	if (!v.len)
		return EBADMSG;
	for (const char *c = v.p; c < end; c++)
		if (c != at && !cl_sip_is(*c, CL_SIP_C_WORD))
			return EBADMSG;
	if (at && (at == v.p || at == end - 1 || memchr(at + 1, '@', (size_t)(end - at - 1))))
		return EBADMSG;
	m->call_id = v;
	return 0;
}

/* CSeq = 1*DIGIT LWS Method, the number below 2^31 (RFC 3261 §8.1.1.5). */
static int dec_cseq(struct cl_sip_msg *m, struct cl_slice v)
{
	const char *end = cl_sip_end(v), *d = v.p, *q;
	uint64_t n;

	while (d < end && cl_sip_is_digit(*d))
		d++;
	if (cl_sip_uint(cl_sip_sl(v.p, d), 2147483647, &n) != 0)
		return EBADMSG;
	q = cl_sip_lws(d, end);
	if (q == d || cl_sip_token(q, end) != end || q == end)
		return EBADMSG;
	m->cseq.num = (uint32_t)n;
	m->cseq.method = cl_sip_sl(q, end);
	return 0;
}

static int dec_max_forwards(struct cl_sip_msg *m, struct cl_slice v)
{
	uint64_t n;

	if (cl_sip_uint(v, 255, &n) != 0)
		return EBADMSG;
	m->max_forwards = (int)n;
	return 0;
}

static int dec_content_length(struct cl_sip_msg *m, struct cl_slice v)
{
	uint64_t n;

	if (cl_sip_uint(v, UINT32_MAX, &n) != 0)
		return EBADMSG;
	m->content_length = (int64_t)n;
	return 0;
}

static int dec_content_type(struct cl_sip_msg *m, struct cl_slice v)
{
	struct cl_sip_ctype ct;

	(void)m;
	return cl_sip_ctype_parse(&ct, v);
}

/* From and To hold exactly one name-addr / addr-spec (RFC 4475 §3.1.2.15: an unquoted
 * display name with a comma makes two elements and is rejected). */
static int one_nameaddr(struct cl_sip_nameaddr *na, struct cl_slice v)
{
	struct cl_slice rest = v, elem, more;

	if (cl_sip_list_next(&rest, &elem) != 0 || cl_sip_list_next(&rest, &more) != ENOENT)
		return EBADMSG;
	return cl_sip_nameaddr_parse(na, elem);
}

static int dec_from(struct cl_sip_msg *m, struct cl_slice v)
{
	return one_nameaddr(&m->from, v);
}

static int dec_to(struct cl_sip_msg *m, struct cl_slice v)
{
	return one_nameaddr(&m->to, v);
}

static int dec_via(struct cl_sip_msg *m, struct cl_slice v)
{
	struct cl_slice rest = v, elem;
	struct cl_sip_via via;
	int rc;

	if (!v.len || v.p[0] == ',')
		return EBADMSG;
	while ((rc = cl_sip_list_next(&rest, &elem)) == 0) {
		if (cl_sip_via_parse(m->nvia ? &via : &m->via, elem) != 0)
			return EBADMSG;
		m->nvia++;
	}
	return rc == ENOENT ? 0 : EBADMSG;
}

/* Contact: "*" stands alone (RFC 3261 §10.2.2); every element must parse. */
static int dec_contact(struct cl_sip_msg *m, struct cl_slice v)
{
	struct cl_slice rest = v, elem;
	struct cl_sip_contact c;
	size_t n = 0;
	int rc;

	if (!v.len || v.p[0] == ',')
		return EBADMSG;
	while ((rc = cl_sip_list_next(&rest, &elem)) == 0) {
		if (cl_sip_contact_parse(&c, elem) != 0 || (c.star && (n > 0 || rest.len)))
			return EBADMSG;
		n++;
	}
	return rc == ENOENT ? 0 : EBADMSG;
}

/* rfc1123-date = wkday "," SP date1 SP time SP "GMT" (RFC 3261 §20.17, RFC 4475 §3.1.2.12) */
static int dec_date(struct cl_sip_msg *m, struct cl_slice v)
{
	static const char days[] = "MonTueWedThuFriSatSun";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	static const char shape[] = "www, dd mmm yyyy dd:dd:dd GMT";
	const char *s = v.p;
	bool day = false, mon = false;

	(void)m;
	if (v.len != sizeof(shape) - 1)
		return EBADMSG;
	for (size_t i = 0; i < v.len; i++) {
		char k = shape[i];

		if ((k == 'd' || k == 'y') ? !cl_sip_is_digit(s[i])
					   : (k != 'w' && k != 'm' && s[i] != k))
			return EBADMSG;
	}
	for (int i = 0; i < 7; i++)
		day |= memcmp(s, days + 3 * i, 3) == 0;
	for (int i = 0; i < 12; i++)
		mon |= memcmp(s + 8, months + 3 * i, 3) == 0;
	return day && mon ? 0 : EBADMSG;
}

#define RULE(id, fn, one, nm) \
	[id] = { fn, one, "Bad " nm, "Missing " nm, "Duplicate " nm }
static const struct hdr_rule rules[CL_SIP_HDR_COUNT] = {
	RULE(CL_SIP_HDR_CALL_ID, dec_call_id, true, "Call-ID"),
	RULE(CL_SIP_HDR_CSEQ, dec_cseq, true, "CSeq"),
	RULE(CL_SIP_HDR_MAX_FORWARDS, dec_max_forwards, true, "Max-Forwards"),
	RULE(CL_SIP_HDR_CONTENT_LENGTH, dec_content_length, true, "Content-Length"),
	RULE(CL_SIP_HDR_CONTENT_TYPE, dec_content_type, true, "Content-Type"),
	RULE(CL_SIP_HDR_FROM, dec_from, true, "From"),
	RULE(CL_SIP_HDR_TO, dec_to, true, "To"),
	RULE(CL_SIP_HDR_VIA, dec_via, false, "Via"),
	RULE(CL_SIP_HDR_CONTACT, dec_contact, false, "Contact"),
	RULE(CL_SIP_HDR_DATE, dec_date, true, "Date"),
};
#undef RULE

void cl_sip_msg_reset_typed(struct cl_sip_msg *m)
{
	memset(&m->first, 0, sizeof(*m) - offsetof(struct cl_sip_msg, first));
	for (int i = 0; i < CL_SIP_HDR_COUNT; i++)
		m->first[i] = -1;
	m->max_forwards = -1;
	m->content_length = -1;
}

static int fail(struct cl_sip_msg *m, struct cl_sip_error *err, const char *reason,
		const char *at, const char *base)
{
	err->status = m->is_request ? 400 : 0;
	err->reason = reason;
	err->offset = at ? (size_t)(at - base) : 0;
	return EBADMSG;
}

/* "Contact: *" must be the only Contact (RFC 3261 §10.2.2). */
static bool star_alone(const struct cl_sip_msg *m)
{
	size_t lines = 0;
	bool star = false;

	if (m->first[CL_SIP_HDR_CONTACT] < 0)
		return true;
	for (size_t i = (size_t)m->first[CL_SIP_HDR_CONTACT]; i < m->nhdr; i++) {
		if (m->hdr[i].id != CL_SIP_HDR_CONTACT)
			continue;
		lines++;
		star |= m->hdr[i].value.len == 1 && m->hdr[i].value.p[0] == '*';
	}
	return !star || lines == 1;
}

/* RFC 3261 §8.1.1: To, From, CSeq, Call-ID, Max-Forwards, Via. Max-Forwards may be
 * missing from an RFC 2543 request (top Via without the z9hG4bK cookie, RFC 4475
 * §3.4.1); proxies add it (RFC 3261 §16.6 step 3). */
static int mandatory(struct cl_sip_msg *m, struct cl_sip_error *err, const char *base)
{
	static const uint8_t need[] = { CL_SIP_HDR_VIA, CL_SIP_HDR_FROM, CL_SIP_HDR_TO,
					CL_SIP_HDR_CALL_ID, CL_SIP_HDR_CSEQ };
	bool rfc2543 = !m->via.has_branch || m->via.branch.len < 7 ||
		       memcmp(m->via.branch.p, "z9hG4bK", 7) != 0;

	for (size_t i = 0; i < sizeof(need); i++)
		if (m->first[need[i]] < 0)
			return fail(m, err, rules[need[i]].missing, NULL, base);
	if (!star_alone(m))
		return fail(m, err, "Bad Contact", NULL, base);
	if (!m->is_request)
		return 0;
	if (m->max_forwards < 0 && !rfc2543)
		return fail(m, err, "Missing Max-Forwards", NULL, base);
	/* RFC 3261 §8.1.1.5: the CSeq method matches the request's (RFC 4475 §3.1.2.16) */
	if (!cl_slice_eq(m->cseq.method, m->method))
		return fail(m, err, "CSeq Method Mismatch", NULL, base);
	return 0;
}

int cl_sip_msg_decode(struct cl_sip_msg *m, struct cl_sip_error *err, const char *base)
{
	for (size_t i = 0; i < m->nhdr; i++) {
		struct cl_sip_field *h = &m->hdr[i];
		const struct hdr_rule *r;

		h->value = cl_sip_trim(h->value);
		h->id = (uint8_t)cl_sip_hdr_lookup(h->name);
		r = &rules[h->id];
		if (m->first[h->id] < 0)
			m->first[h->id] = (int16_t)i;
		else if (r->single)
			return fail(m, err, r->dup, h->name.p, base);
		if (r->decode && r->decode(m, h->value) != 0)
			return fail(m, err, r->bad, h->name.p, base);
	}
	return mandatory(m, err, base);
}

/* ---- accessors ---- */

int cl_sip_msg_hdr_next(const struct cl_sip_msg *m, enum cl_sip_hdr id, size_t *cursor)
{
	size_t i = *cursor;

	if (i == 0 && (unsigned)id < CL_SIP_HDR_COUNT && m->first[id] >= 0)
		i = (size_t)m->first[id];
	for (; i < m->nhdr; i++) {
		if (m->hdr[i].id == id) {
			*cursor = i + 1;
			return (int)i;
		}
	}
	*cursor = m->nhdr;
	return -1;
}

const struct cl_sip_field *cl_sip_msg_hdr_find(const struct cl_sip_msg *m, struct cl_slice name)
{
	enum cl_sip_hdr id = cl_sip_hdr_lookup(name);

	if (id != CL_SIP_HDR_OTHER)
		return m->first[id] >= 0 ? &m->hdr[m->first[id]] : NULL;
	for (size_t i = 0; i < m->nhdr; i++)
		if (m->hdr[i].id == CL_SIP_HDR_OTHER && cl_slice_casecmp_eq(m->hdr[i].name, name))
			return &m->hdr[i];
	return NULL;
}

int cl_sip_msg_values_next(const struct cl_sip_msg *m, enum cl_sip_hdr id,
			   struct cl_sip_values_it *it, struct cl_slice *elem)
{
	for (;;) {
		int rc, i;

		if (it->open) {
			rc = cl_sip_list_next(&it->rest, elem);
			if (rc != ENOENT)
				return rc;
			it->open = false;
		}
		i = cl_sip_msg_hdr_next(m, id, &it->cursor);
		if (i < 0)
			return ENOENT;
		it->rest = m->hdr[i].value;
		it->open = true;
	}
}

bool cl_sip_msg_has_option(const struct cl_sip_msg *m, enum cl_sip_hdr id, const char *tag)
{
	struct cl_sip_values_it it = { 0 };
	struct cl_slice e;

	while (cl_sip_msg_values_next(m, id, &it, &e) == 0)
		if (cl_sip_eq(e, tag))
			return true;
	return false;
}

int cl_sip_msg_expires(const struct cl_sip_msg *m, uint32_t *out)
{
	if (m->first[CL_SIP_HDR_EXPIRES] < 0)
		return ENOENT;
	return cl_sip_delta_parse(m->hdr[m->first[CL_SIP_HDR_EXPIRES]].value, out);
}
