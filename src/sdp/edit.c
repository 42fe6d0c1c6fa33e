/* SDP edit plans and rebuilding: every line is copied byte for byte unless an edit
 * replaces or drops it, so lines the edge does not own survive in their order.
 *
 * Precedence at build time: a line dropped or replaced with cl_sdp_edit_drop/replace
 * stays so; the m= port/proto overrides only rebuild an m= line that is otherwise kept.
 * Text inserted after a line (cl_sdp_edit_conn on a section without c=) is written even
 * when that line is dropped. Appended lines follow the section's last line, in call order. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sdp/sdp_priv.h"

enum { OP_KEEP, OP_DROP, OP_REPLACE };

/* Records the first error; returns false so callers can `return fail(...)`. */
static bool edit_fail(struct cl_sdp_edit *e, int err)
{
	if (!e->err)
		e->err = err;
	return false;
}

/* Formats one line into the arena. A line may not contain CR, LF or NUL: a value taken
 * from elsewhere must not smuggle in extra SDP lines. Returns false on error. */
__attribute__((format(printf, 4, 0)))
static bool arena_vput(struct cl_sdp_edit *e, uint32_t *off, uint32_t *len, const char *fmt,
		       va_list ap)
{
	size_t room = CL_SDP_EDIT_ARENA - e->used;
	char *p = e->arena + e->used;
	int n;

	if (e->err)
		return false;
	n = vsnprintf(p, room, fmt, ap);
	if (n < 0)
		return edit_fail(e, EINVAL);
	if ((size_t)n >= room)
		return edit_fail(e, ENOSPC);
	if (memchr(p, '\r', (size_t)n) || memchr(p, '\n', (size_t)n) || memchr(p, '\0', (size_t)n))
		return edit_fail(e, EINVAL);
	*off = (uint32_t)e->used;
	*len = (uint32_t)n;
	e->used += (size_t)n;
	return true;
}

__attribute__((format(printf, 4, 5)))
static bool arena_put(struct cl_sdp_edit *e, uint32_t *off, uint32_t *len, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = arena_vput(e, off, len, fmt, ap);
	va_end(ap);
	return ok;
}

/* Returns true when the plan is usable and line i exists. */
static bool line_ok(struct cl_sdp_edit *e, size_t i)
{
	if (e->err)
		return false;
	return i < e->sdp->nlines ? true : edit_fail(e, EINVAL);
}

void cl_sdp_edit_init(struct cl_sdp_edit *e, const struct cl_sdp *sdp)
{
	e->sdp = sdp;
	e->nadd = 0;
	e->used = 0;
	e->err = sdp ? 0 : EINVAL;
	if (!sdp)
		return;
	/* Only the parsed lines and media are touched: init stays cheap. */
	memset(e->line, 0, sdp->nlines * sizeof(e->line[0]));
	for (size_t i = 0; i < sdp->nmedia; i++) {
		e->m[i].port = -1;
		e->m[i].proto_off = 0;
		e->m[i].proto_len = 0;
	}
}

void cl_sdp_edit_replace(struct cl_sdp_edit *e, size_t i, const char *fmt, ...)
{
	va_list ap;
	uint32_t off, len;
	bool ok;

	if (!line_ok(e, i))
		return;
	va_start(ap, fmt);
	ok = arena_vput(e, &off, &len, fmt, ap);
	va_end(ap);
	if (!ok)
		return;
	e->line[i].op = OP_REPLACE;
	e->line[i].off = off;
	e->line[i].len = len;
}

void cl_sdp_edit_drop(struct cl_sdp_edit *e, size_t i)
{
	if (line_ok(e, i))
		e->line[i].op = OP_DROP;
}

void cl_sdp_edit_append(struct cl_sdp_edit *e, size_t section, const char *fmt, ...)
{
	va_list ap;
	uint32_t off, len;
	size_t s, end;
	bool ok;

	if (e->err)
		return;
	if (!cl_sdp_section_range(e->sdp, section, &s, &end)) {
		edit_fail(e, EINVAL);
		return;
	}
	if (e->nadd == CL_SDP_EDIT_MAX_ADDS) {
		edit_fail(e, ENOSPC);
		return;
	}
	va_start(ap, fmt);
	ok = arena_vput(e, &off, &len, fmt, ap);
	va_end(ap);
	if (!ok)
		return;
	e->add[e->nadd].section = section;
	e->add[e->nadd].off = off;
	e->add[e->nadd].len = len;
	e->nadd++;
}

/* Returns true when the plan is usable and media is a media index. */
static bool media_ok(struct cl_sdp_edit *e, size_t media)
{
	if (e->err)
		return false;
	return media < e->sdp->nmedia ? true : edit_fail(e, EINVAL);
}

void cl_sdp_edit_port(struct cl_sdp_edit *e, size_t media, uint16_t port)
{
	if (media_ok(e, media))
		e->m[media].port = port;
}

void cl_sdp_edit_proto(struct cl_sdp_edit *e, size_t media, const char *proto)
{
	uint32_t off, len;

	if (!media_ok(e, media))
		return;
	if (!proto || !*proto || strpbrk(proto, " \t")) {
		edit_fail(e, EINVAL);
		return;
	}
	if (arena_put(e, &off, &len, "%s", proto)) {
		e->m[media].proto_off = off;
		e->m[media].proto_len = len;
	}
}

/* Where a new c= goes when a section has none (RFC 8866 §5 order): in the session
 * before its first b= or t= (after v o s and any i u e p), in a media section right
 * after m= and its i=. Returns the index of the line to insert after. */
static size_t conn_insert_after(const struct cl_sdp *sdp, size_t start, size_t end, bool media)
{
	size_t i;

	if (media)
		return start + 1 < end && sdp->lines[start + 1].type == 'i' ? start + 1 : start;
	for (i = 0; i < end; i++)
		if (sdp->lines[i].type == 'b' || sdp->lines[i].type == 't')
			break;
	return i - 1; /* a parsed session starts with v o s, so i >= 3 */
}

void cl_sdp_edit_conn(struct cl_sdp_edit *e, size_t section, const char *addrtype,
		      const char *addr)
{
	const struct cl_sdp *sdp = e->sdp;
	size_t start, end, i, at;
	uint32_t off, len;

	if (e->err)
		return;
	if (!addrtype || !addr || !*addrtype || !*addr ||
	    !cl_sdp_section_range(sdp, section, &start, &end)) {
		edit_fail(e, EINVAL);
		return;
	}
	for (i = start; i < end; i++) {
		if (sdp->lines[i].type == 'c') {
			cl_sdp_edit_replace(e, i, "c=IN %s %s", addrtype, addr);
			return;
		}
	}
	at = conn_insert_after(sdp, start, end, section != CL_SDP_SESSION);
	if (arena_put(e, &off, &len, "c=IN %s %s", addrtype, addr)) {
		e->line[at].ins_off = off;
		e->line[at].ins_len = len;
	}
}

/* RFC 8866 §5.2: only <sess-version> changes; the rest of o= is kept byte for byte. */
void cl_sdp_edit_origin_version(struct cl_sdp_edit *e, uint64_t version)
{
	const struct cl_sdp *sdp = e->sdp;
	struct cl_slice rest, ver;
	const char *head;

	if (!line_ok(e, 1))
		return;
	if (sdp->lines[1].type != 'o') {
		edit_fail(e, EINVAL);
		return;
	}
	rest = sdp->lines[1].value;
	cl_sdp_tok(&rest);
	cl_sdp_tok(&rest);
	ver = cl_sdp_tok(&rest);
	head = sdp->lines[1].text.p;
	cl_sdp_edit_replace(e, 1, "%.*s%" PRIu64 "%.*s", (int)(ver.p - head), head, version,
			    (int)rest.len, rest.p);
}

void cl_sdp_edit_drop_attr(struct cl_sdp_edit *e, size_t section, const char *name)
{
	size_t cur = 0, s, end;

	if (e->err)
		return;
	if (!name || !cl_sdp_section_range(e->sdp, section, &s, &end)) {
		edit_fail(e, EINVAL);
		return;
	}
	while (cl_sdp_attr_next(e->sdp, section, name, &cur, NULL))
		e->line[cl_sdp_attr_line(cur)].op = OP_DROP;
}

/* ---- build ---- */

/* An output cursor: pos keeps counting past cap so the caller learns the size needed,
 * but nothing is written once a piece does not fit. */
struct wr {
	char *out;
	size_t cap, pos;
};

static void put(struct wr *w, const char *p, size_t n)
{
	if (!n)
		return;
	if (w->pos <= w->cap && n <= w->cap - w->pos)
		memcpy(w->out + w->pos, p, n);
	w->pos += n;
}

static void put_line(struct wr *w, const char *p, size_t n)
{
	put(w, p, n);
	put(w, "\r\n", 2);
}

/* RFC 8866 §5.14: m=<media> <port>[/<n>] <proto> <fmt> ..., with the overrides. */
static void put_media(const struct cl_sdp_edit *e, struct wr *w, size_t k)
{
	const struct cl_sdp_media *m = &e->sdp->media[k];
	unsigned port = e->m[k].port >= 0 ? (unsigned)e->m[k].port : m->port;
	char num[16];
	int n;

	put(w, "m=", 2);
	put(w, m->type.p, m->type.len);
	n = snprintf(num, sizeof(num), " %u", port);
	put(w, num, (size_t)n);
	if (m->nports > 1) {
		n = snprintf(num, sizeof(num), "/%u", (unsigned)m->nports);
		put(w, num, (size_t)n);
	}
	put(w, " ", 1);
	if (e->m[k].proto_len)
		put(w, e->arena + e->m[k].proto_off, e->m[k].proto_len);
	else
		put(w, m->proto.p, m->proto.len);
	put(w, " ", 1);
	put_line(w, m->fmts.p, m->fmts.len);
}

static void put_section(const struct cl_sdp_edit *e, struct wr *w, size_t section, size_t start,
			size_t end)
{
	const struct cl_sdp *sdp = e->sdp;

	for (size_t i = start; i < end; i++) {
		if (e->line[i].op == OP_REPLACE)
			put_line(w, e->arena + e->line[i].off, e->line[i].len);
		else if (e->line[i].op == OP_KEEP && i == start && section != CL_SDP_SESSION &&
			 (e->m[section].port >= 0 || e->m[section].proto_len))
			put_media(e, w, section);
		else if (e->line[i].op == OP_KEEP)
			put_line(w, sdp->lines[i].text.p, sdp->lines[i].text.len);
		if (e->line[i].ins_len)
			put_line(w, e->arena + e->line[i].ins_off, e->line[i].ins_len);
	}
	for (size_t k = 0; k < e->nadd; k++)
		if (e->add[k].section == section)
			put_line(w, e->arena + e->add[k].off, e->add[k].len);
}

int cl_sdp_edit_build(const struct cl_sdp_edit *e, char *out, size_t cap, size_t *len)
{
	struct wr w = { out, out ? cap : 0, 0 };
	const struct cl_sdp *sdp = e->sdp;

	if (len)
		*len = 0;
	if (e->err)
		return e->err;
	if (!sdp)
		return EINVAL;
	put_section(e, &w, CL_SDP_SESSION, 0, sdp->session_end);
	for (size_t k = 0; k < sdp->nmedia; k++)
		put_section(e, &w, k, sdp->media[k].first_line, sdp->media[k].end_line);
	if (len)
		*len = w.pos;
	if (w.pos > w.cap)
		return ENOBUFS;
	if (w.pos < w.cap)
		w.out[w.pos] = '\0';
	return 0;
}
