/*
 * A configuration subtree as publish writes it and fetch reads it: a
 * sorted list of relative paths ("db", "db/host") with their data. The
 * input parsers read what publish takes: a directory (one node per file,
 * subdirectories as subtrees), or a file or stdin holding either a JSON
 * object (nested objects are subtrees; strings are data as they are, other
 * values their JSON text) or key=value lines (# comments, blank lines).
 */
#ifndef ZKSH_RECIPES_CONF_H
#define ZKSH_RECIPES_CONF_H

#include <stddef.h>

struct conf_entry {
	char *key;  /* relative path, no leading '/' */
	char *data; /* NULL with len -1: null data */
	int len;
};

struct conf {
	struct conf_entry *v;
	int n, cap;
};

void conf_init(struct conf *c);
void conf_free(struct conf *c);
/* Add (copying key and data); adds missing parents with empty data. */
void conf_add(struct conf *c, const char *key, const char *data, int len);
/* Sort by key (parents before children) and refuse duplicates: -1 with err. */
int conf_finish(struct conf *c, char *err, size_t errlen);
/* The entry with key, or NULL (c must be finished). */
const struct conf_entry *conf_find(const struct conf *c, const char *key);

/* Parse text (JSON object or key=value lines) into c. -1 with a message. */
int conf_parse_text(struct conf *c, const char *text, size_t len, char *err, size_t errlen);
/* Read a directory tree into c. -1 with a message. */
int conf_read_dir(struct conf *c, const char *dir, char *err, size_t errlen);

#endif
