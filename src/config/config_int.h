/* cipherline config, private: the loader's state and the small typed readers that the
 * section tables in fields.c are built from. */
#ifndef CL_CONFIG_INT_H
#define CL_CONFIG_INT_H

#include <yaml.h>

#include "config/config.h"

#define CL_CONFIG_PATH_LEN 160
#define CL_CONFIG_STR_MAX 1024 /* longest string value */

struct cl_config_ld {
	yaml_document_t *doc;
	const char *name;
	struct cl_config *c;
	struct cl_config_errs *errs;
	bool oom;
};

/* A key's handler: v is its value node, path the key's full name ("tls.ca_file"). */
typedef void(cl_config_field_h)(struct cl_config_ld *l, yaml_node_t *v, const char *path,
				void *obj);

struct cl_config_field {
	const char *key;
	cl_config_field_h *fn;
	bool required;
};

/* Records "NAME:LINE: PATH: problem" at node n's line. */
void cl_config_err(struct cl_config_ld *l, const yaml_node_t *n, const char *path,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Walks mapping n with the key table f: unknown keys, keys given twice and missing
 * required keys are errors. Returns a bit mask of the keys seen (nf <= 64), 0 when n is
 * not a mapping. */
uint64_t cl_config_map(struct cl_config_ld *l, yaml_node_t *n, const char *path,
		       const struct cl_config_field *f, size_t nf, void *obj);
/* The items of sequence n: returns their count (0 after an error when n is not a
 * sequence or has more than max items); *items points at the item indices. */
size_t cl_config_seq(struct cl_config_ld *l, yaml_node_t *n, const char *path, size_t max,
		     yaml_node_item_t **items);
yaml_node_t *cl_config_node(struct cl_config_ld *l, yaml_node_item_t i);
/* The text of scalar n (non-empty, no NUL, at most CL_CONFIG_STR_MAX). Returns NULL
 * after an error. */
const char *cl_config_scalar(struct cl_config_ld *l, yaml_node_t *n, const char *path,
			     size_t *len);
/* A NUL-terminated copy of scalar n, or NULL after an error. */
char *cl_config_strdup(struct cl_config_ld *l, yaml_node_t *n, const char *path);
/* A decimal whole number in [min, max]. Returns 0 or EBADMSG (reported). */
int cl_config_uint(struct cl_config_ld *l, yaml_node_t *n, const char *path, uint64_t min,
		   uint64_t max, uint64_t *out);
/* One of names[0..nn), as its index. desc lists them ("udp, tcp or tls"). */
int cl_config_enum(struct cl_config_ld *l, yaml_node_t *n, const char *path,
		   const char *const *names, size_t nn, const char *desc, unsigned *out);
/* true or false. */
int cl_config_bool(struct cl_config_ld *l, yaml_node_t *n, const char *path, bool *out);
/* Writes a printable, shortened copy of s[0..len) for an error message. */
void cl_config_quote(char *out, size_t cap, const char *s, size_t len);

/* out = "parent[i]" or "parent.key" (cut short at CL_CONFIG_PATH_LEN). */
void cl_config_path_idx(char *out, const char *parent, size_t i);
void cl_config_path_key(char *out, const char *parent, const char *key);
/* The key node of key in mapping n (for an error at its line), or n itself. */
yaml_node_t *cl_config_map_key(struct cl_config_ld *l, yaml_node_t *n, const char *key);
/* Checks a DNS name or IP literal: letters, digits, '.', '-', at most 253. */
bool cl_config_is_host(const char *s);

/* conn.c: the connections list (the value of the root key "connections"). */
void cl_config_connections(struct cl_config_ld *l, yaml_node_t *v, const char *path,
			   void *obj);
/* conn.c: frees the connections, wiping secrets. */
void cl_config_free_connections(struct cl_config *c);

/* fields.c: fills l->c from the root mapping and checks the cross-references. */
void cl_config_root(struct cl_config_ld *l, yaml_node_t *root);

#endif
