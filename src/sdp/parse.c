/* SDP parser (RFC 8866): splits the text into lines, checks §5's order section by
 * section, and decodes the fields the edge uses. One pass, no allocation.
 *
 * Order accepted (RFC 8866 §5), with one relaxation where real stacks differ:
 *   session: v= o= s= (exactly these three first), then i= u= e= p= c= b= in any order
 *            among themselves, then t= (at least one; r= z= only after a t=), k=, a=;
 *   media:   m=, then i= c= b= in any order among themselves, then k=, a=.
 * Everything else is refused: a= before t=, c= after t=, a letter RFC 8866 does not
 * define (§5: a parser must ignore or reject such a description; we reject), a second
 * c= in a section (the media address would be ambiguous), conflicting directions. */
#include <errno.h>
#include <string.h>

#include "sdp/sdp_priv.h"

/* Order ranks by type letter; 0 = not allowed there. Equal ranks may interleave. */
static const unsigned char session_rank[26] = {
	['v' - 'a'] = 1, ['o' - 'a'] = 2, ['s' - 'a'] = 3,
	['i' - 'a'] = 4, ['u' - 'a'] = 4, ['e' - 'a'] = 4, ['p' - 'a'] = 4,
	['c' - 'a'] = 4, ['b' - 'a'] = 4,
	['t' - 'a'] = 5, ['r' - 'a'] = 5, ['z' - 'a'] = 5,
	['k' - 'a'] = 6, ['a' - 'a'] = 7, ['m' - 'a'] = 8,
};
static const unsigned char media_rank[26] = {
	['m' - 'a'] = 1, ['i' - 'a'] = 2, ['c' - 'a'] = 2, ['b' - 'a'] = 2,
	['k' - 'a'] = 3, ['a' - 'a'] = 4,
};

static const char *const dir_names[] = {
	[CL_SDP_DIR_NONE] = "sendrecv",
	[CL_SDP_DIR_SENDRECV] = "sendrecv",
	[CL_SDP_DIR_SENDONLY] = "sendonly",
	[CL_SDP_DIR_RECVONLY] = "recvonly",
	[CL_SDP_DIR_INACTIVE] = "inactive",
};

struct pstate {
	struct cl_sdp *sdp;
	struct cl_sdp_error *err;
	struct cl_sdp_media *m; /* the current media section, NULL in the session */
	unsigned rank;          /* highest rank seen in the current section */
	char rank_type;         /* the line type that set it */
	bool seen_t;
	bool seen_c;            /* in the current section */
};

/* Finds the next line at pos: *line without its CRLF or LF, *next past the ending.
 * Returns 0, or EBADMSG for a CR not followed by LF or a NUL byte. */
static int split_line(const char *text, size_t len, size_t pos, struct cl_slice *line,
		      size_t *next, unsigned ln, struct cl_sdp_error *err)
{
	const char *p = text + pos;
	size_t rem = len - pos;
	const char *nl = memchr(p, '\n', rem);
	size_t n = nl ? (size_t)(nl - p) : rem;

	*next = nl ? pos + n + 1 : len;
	if (nl && n && p[n - 1] == '\r')
		n--;
	if (memchr(p, '\r', n))
		return cl_sdp_fail(err, ln, "bare CR inside a line");
	if (memchr(p, '\0', n))
		return cl_sdp_fail(err, ln, "NUL byte");
	*line = (struct cl_slice){ p, n };
	return 0;
}

/* Returns true when p[0..n) holds nothing but line endings (trailing empty lines). */
static bool only_line_ends(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (p[i] == '\n')
			i++;
		else if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
			i += 2;
		else
			return false;
	}
	return true;
}

/* Records a direction attribute (RFC 8866 §6.7); a second, different one is an error. */
static int set_dir(struct pstate *st, enum cl_sdp_dir *dir, enum cl_sdp_dir d, unsigned ln)
{
	if (*dir != CL_SDP_DIR_NONE && *dir != d)
		return cl_sdp_fail(st->err, ln, "a=%s: conflicts with a=%s", dir_names[d],
				   dir_names[*dir]);
	*dir = d;
	return 0;
}

/* Decodes the attributes the edge uses; every other a= line is only kept. */
static int attr_line(struct pstate *st, const struct cl_sdp_line *l)
{
	struct cl_slice name, val;
	struct cl_sdp_media *m = st->m;

	cl_sdp_attr_split(l->value, &name, &val);
	if (!name.len)
		return cl_sdp_fail(st->err, l->lineno, "a=: empty attribute name");
	for (enum cl_sdp_dir d = CL_SDP_DIR_SENDRECV; d <= CL_SDP_DIR_INACTIVE; d++)
		if (cl_slice_eq(name, cl_slice_cstr(dir_names[d])))
			return set_dir(st, m ? &m->dir : &st->sdp->dir, d, l->lineno);
	if (!m)
		return 0; /* rtcp, rtcp-mux and ptime are media-level attributes */
	if (cl_slice_eq(name, CL_SLICE_LIT("rtcp"))) {
		if (m->has_rtcp)
			return cl_sdp_fail(st->err, l->lineno, "a=rtcp: duplicate");
		return cl_sdp_dec_rtcp(val, m, l->lineno, st->err);
	}
	if (cl_slice_eq(name, CL_SLICE_LIT("rtcp-mux")))
		m->rtcp_mux = true; /* RFC 5761 §5.1.1 */
	else if (cl_slice_eq(name, CL_SLICE_LIT("ptime")))
		return cl_sdp_dec_ptime(val, &m->ptime, l->lineno, st->err);
	return 0;
}

/* Checks a line's rank against the section so far. */
static int check_rank(struct pstate *st, const struct cl_sdp_line *l, unsigned r)
{
	if (r < st->rank)
		return cl_sdp_fail(st->err, l->lineno, "%c= out of order: after %c= (RFC 8866 §5)",
				   l->type, st->rank_type);
	if (r > st->rank)
		st->rank_type = l->type;
	st->rank = r;
	return 0;
}

/* A c= line: at most one per section. */
static int conn_line(struct pstate *st, const struct cl_sdp_line *l, struct cl_sdp_addr *a)
{
	if (st->seen_c)
		return cl_sdp_fail(st->err, l->lineno, "c=: duplicate in this section");
	st->seen_c = true;
	return cl_sdp_dec_conn(l->value, a, l->lineno, st->err);
}

/* RFC 8866 §5.1-5.3: v=0, o=, s= are the first three lines, each exactly once. */
static int session_head(struct pstate *st, const struct cl_sdp_line *l, size_t idx)
{
	static const char *const want[] = { "v= first", "o= after v=", "s= after o=" };
	struct cl_sdp *sdp = st->sdp;

	if (idx >= 3)
		return cl_sdp_fail(st->err, l->lineno, "%c=: duplicate", l->type);
	if (l->type != "vos"[idx])
		return cl_sdp_fail(st->err, l->lineno, "expected %s, got %c=", want[idx], l->type);
	if (l->type == 'v' && !cl_slice_eq(cl_sdp_rtrim(l->value), CL_SLICE_LIT("0")))
		return cl_sdp_fail(st->err, l->lineno, "v=: version must be 0");
	if (l->type == 'o')
		return cl_sdp_dec_origin(l->value, &sdp->origin, l->lineno, st->err);
	if (l->type == 's')
		sdp->name = l->value; /* may be empty or " ": phones send both */
	return 0;
}

static int session_line(struct pstate *st, const struct cl_sdp_line *l)
{
	size_t idx = st->sdp->nlines;
	unsigned r = session_rank[l->type - 'a'];
	int rc;

	if (!r)
		return cl_sdp_fail(st->err, l->lineno, "unknown line type %c=", l->type);
	if (idx < 3 || r <= 3)
		return session_head(st, l, idx);
	if ((l->type == 'r' || l->type == 'z') && !st->seen_t)
		return cl_sdp_fail(st->err, l->lineno, "%c= before t=", l->type);
	rc = check_rank(st, l, r);
	if (rc)
		return rc;
	switch (l->type) {
	case 'c':
		return conn_line(st, l, &st->sdp->conn);
	case 'b':
		return cl_sdp_dec_bw(l->value, l->lineno, st->err);
	case 't':
		st->seen_t = true;
		return cl_sdp_dec_time(l->value, l->lineno, st->err);
	case 'a':
		return attr_line(st, l);
	}
	return 0;
}

/* RFC 8866 §5.14: an m= line closes the previous section and opens a media one. */
static int media_start(struct pstate *st, const struct cl_sdp_line *l)
{
	struct cl_sdp *sdp = st->sdp;
	size_t idx = sdp->nlines;
	struct cl_sdp_media *m;
	int rc;

	if (!st->seen_t)
		return cl_sdp_fail(st->err, l->lineno, "m=: no t= before the first m=");
	if (sdp->nmedia == CL_SDP_MAX_MEDIA)
		return cl_sdp_fail(st->err, l->lineno, "too many m= sections (max %d)",
				   CL_SDP_MAX_MEDIA);
	m = &sdp->media[sdp->nmedia];
	memset(m, 0, sizeof(*m));
	m->first_line = idx;
	rc = cl_sdp_dec_media(l->value, m, l->lineno, st->err);
	if (rc)
		return rc;
	if (st->m)
		st->m->end_line = idx;
	else
		sdp->session_end = idx;
	sdp->nmedia++;
	st->m = m;
	st->rank = 1;
	st->rank_type = 'm';
	st->seen_c = false;
	return 0;
}

static int media_line(struct pstate *st, const struct cl_sdp_line *l)
{
	unsigned r = media_rank[l->type - 'a'];
	int rc;

	if (l->type == 'm')
		return media_start(st, l);
	if (!r)
		return session_rank[l->type - 'a']
			       ? cl_sdp_fail(st->err, l->lineno, "%c= in a media section", l->type)
			       : cl_sdp_fail(st->err, l->lineno, "unknown line type %c=", l->type);
	rc = check_rank(st, l, r);
	if (rc)
		return rc;
	switch (l->type) {
	case 'c':
		return conn_line(st, l, &st->m->conn);
	case 'b':
		return cl_sdp_dec_bw(l->value, l->lineno, st->err);
	case 'a':
		return attr_line(st, l);
	}
	return 0;
}

/* Checks "x=" syntax (RFC 8866 §5: a lowercase letter, '=', no blank before '='),
 * stores the line and dispatches it to its section. */
static int add_line(struct pstate *st, struct cl_slice text, unsigned ln)
{
	struct cl_sdp *sdp = st->sdp;
	struct cl_sdp_line *l;
	int rc;

	if (text.len < 2 || text.p[1] != '=' || text.p[0] < 'a' || text.p[0] > 'z')
		return cl_sdp_fail(st->err, ln, "not a \"<type>=<value>\" line");
	if (sdp->nlines == CL_SDP_MAX_LINES)
		return cl_sdp_fail(st->err, ln, "too many lines (max %d)", CL_SDP_MAX_LINES);
	l = &sdp->lines[sdp->nlines];
	l->type = text.p[0];
	l->text = text;
	l->value = (struct cl_slice){ text.p + 2, text.len - 2 };
	l->lineno = ln;
	if (st->m || (l->type == 'm' && sdp->nlines >= 3))
		rc = media_line(st, l);
	else
		rc = session_line(st, l);
	if (!rc)
		sdp->nlines++;
	return rc;
}

static int finish(struct pstate *st)
{
	static const char *const missing[] = { "empty SDP", "missing o=", "missing s=" };
	struct cl_sdp *sdp = st->sdp;

	if (sdp->nlines < 3)
		return cl_sdp_fail(st->err, 0, "%s", missing[sdp->nlines]);
	if (!st->seen_t)
		return cl_sdp_fail(st->err, 0, "missing t=");
	if (st->m)
		st->m->end_line = sdp->nlines;
	else
		sdp->session_end = sdp->nlines;
	return 0;
}

static void reset(struct cl_sdp *sdp)
{
	sdp->nlines = 0;
	sdp->nmedia = 0;
	sdp->session_end = 0;
	memset(&sdp->origin, 0, sizeof(sdp->origin));
	memset(&sdp->conn, 0, sizeof(sdp->conn));
	sdp->name = (struct cl_slice){ "", 0 };
	sdp->dir = CL_SDP_DIR_NONE;
}

int cl_sdp_parse(struct cl_sdp *sdp, const char *text, size_t len, struct cl_sdp_error *err)
{
	struct pstate st = { .sdp = sdp, .err = err };
	size_t pos = 0, next = 0;
	unsigned ln = 0;
	int rc;

	if (err) {
		err->line = 0;
		err->msg[0] = '\0';
	}
	if (!sdp || (!text && len))
		return EINVAL;
	reset(sdp);
	if (len > CL_SDP_MAX_SIZE)
		return cl_sdp_fail(err, 0, "SDP larger than %d bytes", CL_SDP_MAX_SIZE);
	for (; pos < len; pos = next) {
		struct cl_slice line;

		rc = split_line(text, len, pos, &line, &next, ++ln, err);
		if (rc)
			return rc;
		if (!line.len) {
			if (only_line_ends(text + next, len - next))
				break; /* trailing empty lines, e.g. an extra CRLF after the body */
			return cl_sdp_fail(err, ln, "empty line");
		}
		rc = add_line(&st, line, ln);
		if (rc)
			return rc;
	}
	return finish(&st);
}

/* ---- queries ---- */

bool cl_sdp_section_range(const struct cl_sdp *sdp, size_t section, size_t *start, size_t *end)
{
	if (section == CL_SDP_SESSION) {
		*start = 0;
		*end = sdp->session_end;
		return true;
	}
	if (section >= sdp->nmedia)
		return false;
	*start = sdp->media[section].first_line;
	*end = sdp->media[section].end_line;
	return true;
}

bool cl_sdp_attr_next(const struct cl_sdp *sdp, size_t media, const char *name, size_t *cursor,
		      struct cl_slice *value)
{
	size_t start, end;
	struct cl_slice want, n, v;

	if (!sdp || !name || !cursor || !cl_sdp_section_range(sdp, media, &start, &end))
		return false;
	want = cl_slice_cstr(name);
	for (size_t i = CL_MAX(*cursor, start); i < end; i++) {
		if (sdp->lines[i].type != 'a')
			continue;
		cl_sdp_attr_split(sdp->lines[i].value, &n, &v);
		if (!cl_slice_eq(n, want))
			continue;
		if (value)
			*value = v;
		*cursor = i + 1; /* never 0 after a match, so 0 can mean "start" */
		return true;
	}
	return false;
}

size_t cl_sdp_attr_line(size_t cursor)
{
	return cursor - 1;
}

enum cl_sdp_dir cl_sdp_media_dir(const struct cl_sdp *sdp, size_t media)
{
	if (media < sdp->nmedia && sdp->media[media].dir != CL_SDP_DIR_NONE)
		return sdp->media[media].dir;
	return sdp->dir != CL_SDP_DIR_NONE ? sdp->dir : CL_SDP_DIR_SENDRECV;
}

const struct cl_sdp_addr *cl_sdp_media_conn(const struct cl_sdp *sdp, size_t media)
{
	if (media < sdp->nmedia && sdp->media[media].conn.present)
		return &sdp->media[media].conn;
	return sdp->conn.present ? &sdp->conn : NULL;
}

const char *cl_sdp_dir_name(enum cl_sdp_dir dir)
{
	if ((unsigned)dir >= CL_ARRAY_SIZE(dir_names))
		return "sendrecv";
	return dir_names[dir];
}
