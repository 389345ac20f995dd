#include "config.h"

#include <stdio.h>
#include <string.h>

#include "zk/path.h"
#include "util.h"

/* Decode one UTF-8 sequence at p (n bytes left); returns its length or 0 when malformed. */
static size_t
utf8_next(const unsigned char *p, size_t n, unsigned *cp)
{
	size_t k;
	unsigned c = p[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		k = 1, *cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		k = 2, *cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 3, *cp = c & 0x07;
	else
		return 0;
	if (k >= n)
		return 0;
	for (size_t j = 1; j <= k; j++) {
		if ((p[j] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (p[j] & 0x3f);
	}
	if ((k == 2 && *cp < 0x800) || (k == 3 && *cp < 0x10000) || *cp > 0x10ffff ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return k + 1;
}

/* Characters ZooKeeper refuses in a node name. */
static int
bad_char(unsigned cp)
{
	return (cp > 0x0000 && cp <= 0x001f) || (cp >= 0x007f && cp <= 0x009f) ||
	       (cp >= 0xd800 && cp <= 0xf8ff) || (cp >= 0xfff0 && cp <= 0xffff);
}

static int
invalid(const char *path, const char *why, size_t at, char *err, size_t errlen)
{
	snprintf(err, errlen, "Invalid path string \"%s\" caused by %s @%zu", path, why, at);
	return -1;
}

int
path_validate(const char *path, int sequential, char *err, size_t errlen)
{
	size_t n = strlen(path);
	const unsigned char *p = (const unsigned char *)path;

	if (n == 0) {
		snprintf(err, errlen, "Path length must be > 0");
		return -1;
	}
	if (path[0] != '/') {
		snprintf(err, errlen, "Path must start with / character");
		return -1;
	}
	if (n == 1)
		return 0;
	if (path[n - 1] == '/' && !sequential) {
		snprintf(err, errlen, "Path must not end with / character");
		return -1;
	}
	for (size_t i = 1; i < n;) {
		unsigned cp;
		size_t k = utf8_next(p + i, n - i, &cp);

		if (k == 0)
			return invalid(path, "invalid UTF-8", i, err, errlen);
		if (cp == '/' && path[i - 1] == '/')
			return invalid(path, "empty node name specified", i, err, errlen);
		if (cp == '.' && path[i - 1] == '/') {
			size_t rest = (i + 1 < n && path[i + 1] == '.') ? 2 : 1;
			char after = path[i + rest];
			if (after == '/' || after == '\0')
				return invalid(path, "relative paths not allowed", i, err, errlen);
		}
		if (bad_char(cp))
			return invalid(path, "invalid character", i, err, errlen);
		i += k;
	}
	return 0;
}

void
path_join(const char *parent, const char *name, char *out, size_t outlen)
{
	if (strcmp(parent, "/") == 0)
		snprintf(out, outlen, "/%s", name);
	else
		snprintf(out, outlen, "%s/%s", parent, name);
}

char *
path_join_alloc(const char *parent, const char *name)
{
	size_t n = strlen(parent) + strlen(name) + 2;
	char *out = xmalloc(n);

	path_join(parent, name, out, n);
	return out;
}

void
path_shorten(const char *path, char *out, size_t outlen)
{
	size_t len = strlen(path), keep;
	char mark[64];
	int m;

	if (len < outlen) {
		memcpy(out, path, len + 1);
		return;
	}
	m = snprintf(mark, sizeof(mark), "...[%zu bytes in all]...", len);
	if (outlen < (size_t)m + 3) {
		if (outlen > 0)
			out[0] = '\0';
		return;
	}
	keep = (outlen - 1 - (size_t)m) / 2;
	memcpy(out, path, keep);
	memcpy(out + keep, mark, (size_t)m);
	memcpy(out + keep + (size_t)m, path + len - keep, keep);
	out[keep * 2 + (size_t)m] = '\0';
}

void
path_parent(const char *path, char *out, size_t outlen)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL || slash == path)
		snprintf(out, outlen, "/");
	else
		snprintf(out, outlen, "%.*s", (int)(slash - path), path);
}

const char *
path_base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Append the components of rel to out (an absolute path), resolving . and .. */
static int
append_relative(char *out, size_t outlen, const char *rel)
{
	const char *p = rel;

	while (*p != '\0') {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* "a//b" and "./a" stay where they are */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(out, '/');
			if (slash == out)
				out[1] = '\0';
			else if (slash != NULL)
				*slash = '\0';
		} else {
			size_t cur = strlen(out);
			size_t need = cur + (cur > 1) + len + 1;
			if (need > outlen)
				return -1;
			if (cur > 1)
				out[cur++] = '/';
			memcpy(out + cur, p, len);
			out[cur + len] = '\0';
		}
		p += len;
		if (*p == '/')
			p++;
	}
	return 0;
}

int
path_resolve(const char *cwd, const char *arg, int sequential, char *out, size_t outlen, char *err,
	     size_t errlen)
{
	size_t n = strlen(arg);

	if (arg[0] == '/' || n == 0) {
		if (n + 1 > outlen) {
			snprintf(err, errlen, "Path is too long");
			return -1;
		}
		memcpy(out, arg, n + 1);
		return path_validate(out, sequential, err, errlen);
	}
	if (arg[n - 1] == '/' && !sequential && strcmp(arg, "..") != 0) {
		snprintf(err, errlen, "Path must not end with / character");
		return -1;
	}
	if (strlen(cwd) + 1 > outlen)
		return -1;
	strcpy(out, cwd);
	if (append_relative(out, outlen, arg) != 0) {
		snprintf(err, errlen, "Path is too long");
		return -1;
	}
	/* a sequential prefix keeps the trailing slash the user typed */
	if (sequential && arg[n - 1] == '/' && strlen(out) + 2 <= outlen && strcmp(out, "/") != 0)
		strcat(out, "/");
	return path_validate(out, sequential, err, errlen);
}
