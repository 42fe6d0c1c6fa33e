/* cipherline config: reading the file, the bounded libyaml passes, error collection, and
 * the typed readers the section tables use. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config_int.h"

void cl_config_err(struct cl_config_ld *l, const yaml_node_t *n, const char *path,
		   const char *fmt, ...)
{
	struct cl_config_errs *e = l->errs;
	char *m;
	int off;
	va_list ap;

	if (!e)
		return;
	e->total++;
	if (e->n >= CL_CONFIG_ERRS_MAX)
		return;
	m = e->msg[e->n++];
	if (n)
		off = snprintf(m, CL_CONFIG_ERR_LEN, "%s:%lu: %s%s", l->name,
			       (unsigned long)n->start_mark.line + 1, path ? path : "",
			       path && *path ? ": " : "");
	else /* about the whole file: no line */
		off = snprintf(m, CL_CONFIG_ERR_LEN, "%s: ", l->name);
	if (off < 0 || off >= CL_CONFIG_ERR_LEN)
		return;
	va_start(ap, fmt);
	vsnprintf(m + off, CL_CONFIG_ERR_LEN - (size_t)off, fmt, ap);
	va_end(ap);
}

void cl_config_quote(char *out, size_t cap, const char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 4 < cap; i++)
		out[o++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (i < len && o + 3 < cap)
		o += (size_t)snprintf(out + o, cap - o, "...");
	out[o < cap ? o : cap - 1] = '\0';
}

yaml_node_t *cl_config_node(struct cl_config_ld *l, yaml_node_item_t i)
{
	return yaml_document_get_node(l->doc, i);
}

static const char *kind_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	default:
		return "a single value";
	}
}

const char *cl_config_scalar(struct cl_config_ld *l, yaml_node_t *n, const char *path,
			     size_t *len)
{
	const char *s;

	if (n->type != YAML_SCALAR_NODE) {
		cl_config_err(l, n, path, "expected a single value, not %s", kind_name(n));
		return NULL;
	}
	s = (const char *)n->data.scalar.value;
	*len = n->data.scalar.length;
	if (*len == 0) {
		cl_config_err(l, n, path, "is empty");
		return NULL;
	}
	if (*len > CL_CONFIG_STR_MAX || memchr(s, '\0', *len)) {
		cl_config_err(l, n, path, "is longer than %d bytes or holds a NUL", CL_CONFIG_STR_MAX);
		return NULL;
	}
	return s;
}

char *cl_config_strdup(struct cl_config_ld *l, yaml_node_t *n, const char *path)
{
	size_t len;
	const char *s = cl_config_scalar(l, n, path, &len);
	char *d;

	if (!s)
		return NULL;
	d = strndup(s, len);
	if (!d)
		l->oom = true;
	return d;
}

int cl_config_uint(struct cl_config_ld *l, yaml_node_t *n, const char *path, uint64_t min,
		   uint64_t max, uint64_t *out)
{
	char q[48];
	size_t len, i;
	uint64_t v = 0;
	const char *s = cl_config_scalar(l, n, path, &len);

	if (!s)
		return EBADMSG;
	for (i = 0; i < len && i < 20 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	if (i == len && len <= 19 && v >= min && v <= max) {
		*out = v;
		return 0;
	}
	cl_config_quote(q, sizeof(q), s, len);
	cl_config_err(l, n, path, "'%s' is not a whole number in %" PRIu64 "..%" PRIu64, q, min,
		      max);
	return EBADMSG;
}

int cl_config_enum(struct cl_config_ld *l, yaml_node_t *n, const char *path,
		   const char *const *names, size_t nn, const char *desc, unsigned *out)
{
	char q[48];
	size_t len;
	const char *s = cl_config_scalar(l, n, path, &len);

	if (!s)
		return EBADMSG;
	for (size_t i = 0; i < nn; i++) {
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0) {
			*out = (unsigned)i;
			return 0;
		}
	}
	cl_config_quote(q, sizeof(q), s, len);
	cl_config_err(l, n, path, "'%s' is not %s", q, desc);
	return EBADMSG;
}

int cl_config_bool(struct cl_config_ld *l, yaml_node_t *n, const char *path, bool *out)
{
	static const char *const names[] = { "false", "true" };
	unsigned v;

	if (cl_config_enum(l, n, path, names, 2, "true or false", &v))
		return EBADMSG;
	*out = v == 1;
	return 0;
}

static void key_path(char *out, const char *parent, const char *key, size_t klen)
{
	char q[64];

	cl_config_quote(q, sizeof(q), key, klen);
	snprintf(out, CL_CONFIG_PATH_LEN, "%s%s%s", parent, *parent ? "." : "", q);
}

/* The table entry for key, or NULL. */
static const struct cl_config_field *field_find(const struct cl_config_field *f, size_t nf,
						const char *key, size_t klen)
{
	for (size_t i = 0; i < nf; i++)
		if (strlen(f[i].key) == klen && memcmp(f[i].key, key, klen) == 0)
			return &f[i];
	return NULL;
}

uint64_t cl_config_map(struct cl_config_ld *l, yaml_node_t *n, const char *path,
		       const struct cl_config_field *f, size_t nf, void *obj)
{
	char kp[CL_CONFIG_PATH_LEN];
	uint64_t seen = 0;

	if (n->type != YAML_MAPPING_NODE) {
		cl_config_err(l, n, path, "expected a mapping of keys, not %s", kind_name(n));
		return 0;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = cl_config_node(l, p->key), *v = cl_config_node(l, p->value);
		const struct cl_config_field *fd;
		const char *ks;

		if (!k || !v)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			cl_config_err(l, k, path, "a key must be a single word, not %s", kind_name(k));
			continue;
		}
		ks = (const char *)k->data.scalar.value;
		key_path(kp, path, ks, k->data.scalar.length);
		fd = field_find(f, nf, ks, k->data.scalar.length);
		if (!fd) {
			cl_config_err(l, k, kp, "unknown key");
			continue;
		}
		if (seen & (UINT64_C(1) << (fd - f))) {
			cl_config_err(l, k, kp, "given twice");
			continue;
		}
		seen |= UINT64_C(1) << (fd - f);
		fd->fn(l, v, kp, obj);
	}
	for (size_t i = 0; i < nf; i++) {
		if (f[i].required && !(seen & (UINT64_C(1) << i))) {
			key_path(kp, path, f[i].key, strlen(f[i].key));
			cl_config_err(l, n, kp, "required key is missing");
		}
	}
	return seen;
}

size_t cl_config_seq(struct cl_config_ld *l, yaml_node_t *n, const char *path, size_t max,
		     yaml_node_item_t **items)
{
	size_t cnt;

	if (n->type != YAML_SEQUENCE_NODE) {
		cl_config_err(l, n, path, "expected a list, not %s", kind_name(n));
		return 0;
	}
	cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (cnt > max) {
		cl_config_err(l, n, path, "has %zu entries; at most %zu are allowed", cnt, max);
		return 0;
	}
	*items = n->data.sequence.items.start;
	return cnt;
}

/* ---- the libyaml passes ---- */

/* libyaml frees without wiping: clear its copies of the input, which hold secrets. */
static void parser_wipe(yaml_parser_t *p)
{
	if (p->buffer.start)
		cl_wipe(p->buffer.start, (size_t)(p->buffer.end - p->buffer.start));
	if (p->raw_buffer.start)
		cl_wipe(p->raw_buffer.start, (size_t)(p->raw_buffer.end - p->raw_buffer.start));
}

static void doc_wipe(yaml_document_t *d)
{
	for (yaml_node_t *n = d->nodes.start; n && n < d->nodes.top; n++)
		if (n->type == YAML_SCALAR_NODE && n->data.scalar.value)
			cl_wipe(n->data.scalar.value, n->data.scalar.length);
}

static void yaml_fail(struct cl_config_ld *l, const yaml_parser_t *p)
{
	struct cl_config_errs *e = l->errs;

	if (p->error == YAML_MEMORY_ERROR) {
		l->oom = true;
		return;
	}
	if (!e)
		return;
	e->total++;
	if (e->n < CL_CONFIG_ERRS_MAX)
		snprintf(e->msg[e->n++], CL_CONFIG_ERR_LEN, "%s:%lu: YAML: %s%s%s", l->name,
			 (unsigned long)p->problem_mark.line + 1, p->problem ? p->problem : "error",
			 p->context ? " " : "", p->context ? p->context : "");
}

static bool has_anchor(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return ev->data.scalar.anchor != NULL;
	case YAML_SEQUENCE_START_EVENT:
		return ev->data.sequence_start.anchor != NULL;
	case YAML_MAPPING_START_EVENT:
		return ev->data.mapping_start.anchor != NULL;
	default:
		return ev->type == YAML_ALIAS_EVENT;
	}
}

/* The first pass, over events: refuses anchors and aliases, deep nesting, too many nodes
 * and a second document before the loader builds any tree. Returns 0 or EBADMSG. */
static int prescan(struct cl_config_ld *l, const char *text, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	size_t depth = 0, nodes = 0, docs = 0;
	const char *why = NULL;
	unsigned long line = 1;
	int err = 0;

	if (!yaml_parser_initialize(&p)) {
		l->oom = true;
		return ENOMEM;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	for (bool done = false; !done && !why;) {
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_fail(l, &p);
			err = EBADMSG;
			break;
		}
		line = (unsigned long)ev.start_mark.line + 1;
		done = ev.type == YAML_STREAM_END_EVENT;
		if (has_anchor(&ev))
			why = "anchors and aliases are not supported";
		else if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1)
			why = "only one YAML document is allowed";
		else if ((ev.type == YAML_SEQUENCE_START_EVENT ||
			  ev.type == YAML_MAPPING_START_EVENT) && ++depth > CL_CONFIG_MAX_DEPTH)
			why = "nested too deeply";
		else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		if (++nodes > CL_CONFIG_MAX_NODES)
			why = "too many values";
		if (ev.type == YAML_SCALAR_EVENT && ev.data.scalar.value)
			cl_wipe(ev.data.scalar.value, ev.data.scalar.length);
		yaml_event_delete(&ev);
	}
	if (why) {
		yaml_node_t at = { .start_mark = { .line = line - 1 } };

		cl_config_err(l, &at, NULL, "%s", why);
		err = EBADMSG;
	}
	parser_wipe(&p);
	yaml_parser_delete(&p);
	return err;
}

static int load_doc(struct cl_config_ld *l, const char *text, size_t len)
{
	yaml_parser_t p;
	yaml_document_t doc;
	yaml_node_t *root;
	int err = 0;

	if (!yaml_parser_initialize(&p)) {
		l->oom = true;
		return ENOMEM;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &doc)) {
		yaml_fail(l, &p);
		parser_wipe(&p);
		yaml_parser_delete(&p);
		return l->oom ? ENOMEM : EBADMSG;
	}
	l->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		yaml_node_t at = { 0 };

		cl_config_err(l, &at, NULL, "the file is empty");
		err = EBADMSG;
	} else {
		cl_config_root(l, root);
	}
	l->doc = NULL;
	doc_wipe(&doc);
	yaml_document_delete(&doc);
	parser_wipe(&p);
	yaml_parser_delete(&p);
	return err;
}

int cl_config_load_mem(struct cl_config **cp, const char *text, size_t len, const char *name,
		       struct cl_config_errs *errs)
{
	struct cl_config_errs dummy;
	struct cl_config_ld l = { .name = name, .errs = errs ? errs : &dummy };
	struct cl_config *c;
	int err;

	if (!cp || (!text && len) || !name)
		return EINVAL;
	*cp = NULL;
	memset(l.errs, 0, sizeof(*l.errs));
	if (len > CL_CONFIG_MAX_SIZE) {
		cl_config_err(&l, NULL, NULL, "larger than %d bytes", CL_CONFIG_MAX_SIZE);
		return EFBIG;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->name = strdup(name))) {
		free(c);
		return ENOMEM;
	}
	l.c = c;
	err = prescan(&l, text ? text : "", len);
	if (!err)
		err = load_doc(&l, text ? text : "", len);
	if (l.oom)
		err = ENOMEM;
	else if (!err && l.errs->total)
		err = EBADMSG;
	if (err) {
		cl_config_free(c);
		return err;
	}
	*cp = c;
	return 0;
}

/* Reads at most CL_CONFIG_MAX_SIZE + 1 bytes of fd into a new buffer. */
static int read_all(int fd, char **bufp, size_t *lenp)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap), *nb;

	while (buf) {
		ssize_t n;

		if (len == cap) {
			if (cap > CL_CONFIG_MAX_SIZE)
				break;
			cap *= 2;
			if (!(nb = realloc(buf, cap)))
				break;
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			free(buf);
			return err;
		}
		if (n == 0) {
			*bufp = buf;
			*lenp = len;
			return 0;
		}
		len += (size_t)n;
	}
	if (buf && len > CL_CONFIG_MAX_SIZE) {
		*bufp = buf;
		*lenp = len;
		return 0;
	}
	free(buf);
	return ENOMEM;
}

int cl_config_load_file(struct cl_config **cp, const char *path,
			struct cl_config_errs *errs)
{
	struct cl_config_errs dummy;
	struct cl_config_ld l = { .name = path, .errs = errs ? errs : &dummy };
	char *buf = NULL;
	size_t len = 0;
	int fd, err;

	if (!cp || !path)
		return EINVAL;
	*cp = NULL;
	memset(l.errs, 0, sizeof(*l.errs));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		cl_config_err(&l, NULL, NULL, "cannot open: %s", strerror(err));
		return err;
	}
	err = read_all(fd, &buf, &len);
	close(fd);
	if (err) {
		cl_config_err(&l, NULL, NULL, "cannot read: %s", strerror(err));
		return err;
	}
	err = cl_config_load_mem(cp, buf, len, path, errs);
	cl_wipe(buf, len);
	free(buf);
	return err;
}

yaml_node_t *cl_config_map_key(struct cl_config_ld *l, yaml_node_t *n, const char *key)
{
	size_t klen = strlen(key);

	if (n->type != YAML_MAPPING_NODE)
		return n;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = cl_config_node(l, p->key);

		if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == klen &&
		    memcmp(k->data.scalar.value, key, klen) == 0)
			return k;
	}
	return n;
}

bool cl_config_is_host(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '-'))
			return false;
	}
	return true;
}

void cl_config_path_idx(char *out, const char *parent, size_t i)
{
	if (snprintf(out, CL_CONFIG_PATH_LEN, "%s[%zu]", parent, i) >= CL_CONFIG_PATH_LEN)
		out[CL_CONFIG_PATH_LEN - 1] = '\0';
}

void cl_config_path_key(char *out, const char *parent, const char *key)
{
	key_path(out, parent, key, strlen(key));
}
