#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "recipes/conf.h"
#include "util.h"

void
conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
}

void
conf_free(struct conf *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].data);
	}
	free(c->v);
	conf_init(c);
}

static void
push(struct conf *c, const char *key, size_t klen, const char *data, int len)
{
	struct conf_entry *e;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = xrealloc(c->v, (size_t)c->cap * sizeof(*c->v));
	}
	e = &c->v[c->n++];
	e->key = xstrndup(key, klen);
	e->len = len;
	e->data = len < 0 ? NULL : xstrndup(data ? data : "", (size_t)len);
}

static int
has_key(const struct conf *c, const char *key, size_t klen)
{
	for (int i = 0; i < c->n; i++)
		if (strlen(c->v[i].key) == klen && strncmp(c->v[i].key, key, klen) == 0)
			return 1;
	return 0;
}

void
conf_add(struct conf *c, const char *key, const char *data, int len)
{
	for (const char *s = strchr(key, '/'); s != NULL; s = strchr(s + 1, '/'))
		if (!has_key(c, key, (size_t)(s - key)))
			push(c, key, (size_t)(s - key), "", 0);
	push(c, key, strlen(key), data, len);
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct conf_entry *x = a, *y = b;

	return strcmp(x->key, y->key);
}

int
conf_finish(struct conf *c, char *err, size_t errlen)
{
	int out = 0;

	if (c->n > 0)
		qsort(c->v, (size_t)c->n, sizeof(*c->v), entry_cmp);
	for (int i = 0; i < c->n; i++) {
		if (out > 0 && strcmp(c->v[out - 1].key, c->v[i].key) == 0) {
			/* an implicit parent (empty) and the explicit entry: keep the data */
			struct conf_entry *prev = &c->v[out - 1];
			if (prev->len == 0) {
				free(prev->key);
				free(prev->data);
				*prev = c->v[i];
				continue;
			}
			if (c->v[i].len == 0) {
				free(c->v[i].key);
				free(c->v[i].data);
				continue;
			}
			snprintf(err, errlen, "key '%s' is given twice", c->v[i].key);
			for (int j = i; j < c->n; j++)
				c->v[out++] = c->v[j];
			c->n = out;
			return -1;
		}
		c->v[out++] = c->v[i];
	}
	c->n = out;
	return 0;
}

const struct conf_entry *
conf_find(const struct conf *c, const char *key)
{
	struct conf_entry k = {(char *)key, NULL, 0};

	if (c->n == 0)
		return NULL;
	return bsearch(&k, c->v, (size_t)c->n, sizeof(*c->v), entry_cmp);
}

/* A key is one or more node names joined by '/'. */
static int
valid_key(const char *k, char *err, size_t errlen)
{
	size_t n = strlen(k);

	if (n == 0 || k[0] == '/' || k[n - 1] == '/' || strstr(k, "//") != NULL) {
		snprintf(err, errlen, "invalid key '%s': node names joined by /", k);
		return -1;
	}
	for (const char *p = k; *p; p += strcspn(p, "/"), p += *p == '/') {
		size_t len = strcspn(p, "/");
		if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.')) {
			snprintf(err, errlen, "invalid key '%s': . and .. are not node names", k);
			return -1;
		}
	}
	for (const char *p = k; *p; p++)
		if ((unsigned char)*p < 0x20) {
			snprintf(err, errlen, "invalid key: control character in '%s'", k);
			return -1;
		}
	return 0;
}

static int
add_json(struct conf *c, const char *prefix, const cJSON *obj, char *err, size_t errlen)
{
	for (const cJSON *it = obj->child; it != NULL; it = it->next) {
		char key[4096];

		snprintf(key, sizeof(key), "%s%s%s", prefix, *prefix ? "/" : "", it->string);
		if (valid_key(key, err, errlen) != 0)
			return -1;
		if (cJSON_IsObject(it)) {
			conf_add(c, key, "", 0);
			if (add_json(c, key, it, err, errlen) != 0)
				return -1;
		} else if (cJSON_IsString(it)) {
			conf_add(c, key, it->valuestring, (int)strlen(it->valuestring));
		} else if (cJSON_IsNull(it)) {
			conf_add(c, key, NULL, -1);
		} else {
			char *s = cJSON_PrintUnformatted(it);
			conf_add(c, key, s, (int)strlen(s));
			free(s);
		}
	}
	return 0;
}

static int
parse_lines(struct conf *c, const char *text, size_t len, char *err, size_t errlen)
{
	size_t i = 0;
	int lineno = 0;

	while (i < len) {
		size_t end = i, eq;
		char *line, *k, *v;

		while (end < len && text[end] != '\n')
			end++;
		lineno++;
		line = xstrndup(text + i, end - i);
		i = end + 1;
		if (line[0] != '\0' && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		k = line + strspn(line, " \t");
		if (*k == '\0' || *k == '#') {
			free(line);
			continue;
		}
		eq = strcspn(k, "=");
		if (k[eq] != '=') {
			snprintf(err, errlen, "line %d: expected key=value", lineno);
			free(line);
			return -1;
		}
		k[eq] = '\0';
		v = k + eq + 1;
		v += strspn(v, " \t");
		while (eq > 0 && (k[eq - 1] == ' ' || k[eq - 1] == '\t'))
			k[--eq] = '\0';
		if (valid_key(k, err, errlen) != 0) {
			free(line);
			return -1;
		}
		conf_add(c, k, v, (int)strlen(v));
		free(line);
	}
	return 0;
}

int
conf_parse_text(struct conf *c, const char *text, size_t len, char *err, size_t errlen)
{
	size_t i = 0;

	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	if (i < len && text[i] == '{') {
		cJSON *o = cJSON_ParseWithLength(text, len);
		int rc;

		if (!cJSON_IsObject(o)) {
			cJSON_Delete(o);
			snprintf(err, errlen, "not a valid JSON object");
			return -1;
		}
		rc = add_json(c, "", o, err, errlen);
		cJSON_Delete(o);
		return rc;
	}
	return parse_lines(c, text, len, err, errlen);
}

static int
read_file(const char *path, struct buf *b, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;

	if (f == NULL) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int
read_dir(struct conf *c, const char *dir, const char *prefix, int depth, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (d == NULL) {
		snprintf(err, errlen, "cannot open %s: %s", dir, strerror(errno));
		return -1;
	}
	if (depth > 64) {
		closedir(d);
		snprintf(err, errlen, "%s: directories nested too deep", dir);
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char path[4096], key[4096];
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(key, sizeof(key), "%s%s%s", prefix, *prefix ? "/" : "", de->d_name);
		if (stat(path, &st) != 0) {
			snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
			rc = -1;
		} else if (valid_key(key, err, errlen) != 0) {
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			conf_add(c, key, "", 0);
			rc = read_dir(c, path, key, depth + 1, err, errlen);
		} else if (S_ISREG(st.st_mode)) {
			struct buf b;
			buf_init(&b);
			rc = read_file(path, &b, err, errlen);
			if (rc == 0)
				conf_add(c, key, b.data ? b.data : "", (int)b.len);
			buf_free(&b);
		}
	}
	closedir(d);
	return rc;
}

int
conf_read_dir(struct conf *c, const char *dir, char *err, size_t errlen)
{
	return read_dir(c, dir, "", 0, err, errlen);
}
