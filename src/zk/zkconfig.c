#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "zk/zkconfig.h"

void
zkconfig_version(const char *cfg, char *out, size_t outlen)
{
	const char *v = strstr(cfg, "version=");

	while (v != NULL && v != cfg && v[-1] != '\n')
		v = strstr(v + 1, "version=");
	snprintf(out, outlen, "%.*s", v ? (int)strcspn(v + 8, "\r\n") : 0, v ? v + 8 : "");
}

/* The client address of a "server.N=..." value: what follows ';', host defaulting as zkCli. */
static void
client_address(const char *value, size_t vlen, struct buf *out)
{
	const char *semi = memchr(value, ';', vlen);
	size_t n;

	if (semi == NULL)
		return;
	semi++;
	n = strcspn(semi, "\r\n");
	if (memchr(semi, ':', n) == NULL)
		buf_adds(out, "0.0.0.0:");
	buf_add(out, semi, n);
}

char *
zkconfig_clients(const char *cfg)
{
	struct buf b;
	char version[64];
	int first = 1;

	buf_init(&b);
	zkconfig_version(cfg, version, sizeof(version));
	buf_adds(&b, version);
	buf_addc(&b, ' ');
	for (const char *line = cfg; *line; line += strcspn(line, "\n"), line += *line == '\n') {
		const char *eq = strchr(line, '=');
		size_t len = strcspn(line, "\n");

		if (strncmp(line, "server.", 7) != 0 || eq == NULL || eq > line + len)
			continue;
		if (!first)
			buf_addc(&b, ',');
		first = 0;
		client_address(eq + 1, (size_t)(line + len - eq - 1), &b);
	}
	return buf_steal(&b);
}

char *
zkconfig_lowered(const char *s)
{
	char *p = s ? xstrdup(s) : NULL;

	for (char *q = p; q && *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return p;
}

int
zkconfig_members(const char *text, char **out, const char **bad, size_t *badlen)
{
	struct buf b;

	buf_init(&b);
	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");
		size_t n = strcspn(line, "\r\n"); /* the line without its end */
		const char *next = line + len + (line[len] == '\n');

		if (n == 0 || line[0] == '#' || (n >= 8 && strncmp(line, "version=", 8) == 0)) {
			line = next;
			continue;
		}
		if (!(n >= 7 && strncmp(line, "server.", 7) == 0) &&
		    !(n >= 6 && strncmp(line, "group.", 6) == 0) &&
		    !(n >= 7 && strncmp(line, "weight.", 7) == 0)) {
			buf_free(&b);
			*bad = line;
			*badlen = n;
			return -1;
		}
		if (b.len > 0)
			buf_addc(&b, '\n');
		buf_add(&b, line, n);
		line = next;
	}
	if (b.len == 0) {
		buf_free(&b);
		return -2;
	}
	*out = zkconfig_lowered(b.data);
	buf_free(&b);
	return 0;
}

/* ---- server strings ---------------------------------------------------- */

int
zkconfig_valid_port(const char *p, size_t n)
{
	long v = 0;

	if (n == 0 || n > 5)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		v = v * 10 + (p[i] - '0');
	}
	return v >= 1 && v <= 65535;
}

/*
 * Split "host:a:b..." (host may be "[v6]") into fields at ':'; returns the
 * field count (at most max) or -1. Fields point into s, with lengths.
 */
static int
split_host_fields(const char *s, size_t n, const char **f, size_t *len, int max)
{
	const char *end = s + n, *p = s;
	int k = 0;

	if (n > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (close == NULL || close + 1 >= end || close[1] != ':' || close == s + 1)
			return -1;
		f[k] = s + 1;
		len[k++] = (size_t)(close - s - 1);
		p = close + 2;
	}
	for (;;) {
		const char *colon = memchr(p, ':', (size_t)(end - p));
		const char *stop = colon ? colon : end;

		if (k == max)
			return -1;
		f[k] = p;
		len[k++] = (size_t)(stop - p);
		if (colon == NULL)
			return k;
		p = colon + 1;
	}
}

/* host:quorumPort:electionPort[:participant|observer] */
static int
valid_quorum_address(const char *s, size_t n)
{
	const char *f[5];
	size_t len[5];
	int k = split_host_fields(s, n, f, len, 5);

	if (k < 3 || k > 4 || len[0] == 0 || !zkconfig_valid_port(f[1], len[1]) ||
	    !zkconfig_valid_port(f[2], len[2]))
		return 0;
	return k == 3 || (len[3] == 11 && strncmp(f[3], "participant", 11) == 0) ||
	       (len[3] == 8 && strncmp(f[3], "observer", 8) == 0);
}

/* [clientHost:]clientPort */
static int
valid_client_address(const char *s, size_t n)
{
	const char *f[3];
	size_t len[3];
	int k = split_host_fields(s, n, f, len, 3);

	if (k == 1)
		return zkconfig_valid_port(f[0], len[0]);
	return k == 2 && len[0] > 0 && zkconfig_valid_port(f[1], len[1]);
}

int
zkconfig_valid_id(const char *p, size_t n)
{
	if (n == 0 || n > 18)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

int
zkconfig_valid_server(const char *s, size_t n, int members)
{
	const char *eq = memchr(s, '=', n), *end = s + n, *semi, *p;

	if (members && eq != NULL &&
	    ((n > 6 && strncmp(s, "group.", 6) == 0) || (n > 7 && strncmp(s, "weight.", 7) == 0)))
		return 1;
	if (eq == NULL || n < 8 || strncmp(s, "server.", 7) != 0 ||
	    !zkconfig_valid_id(s + 7, (size_t)(eq - s - 7)))
		return 0;
	p = eq + 1;
	semi = memchr(p, ';', (size_t)(end - p));
	if (semi != NULL && !valid_client_address(semi + 1, (size_t)(end - semi - 1)))
		return 0;
	if (semi == NULL)
		semi = end;
	for (;;) {
		const char *bar = memchr(p, '|', (size_t)(semi - p));
		const char *stop = bar ? bar : semi;

		if (!valid_quorum_address(p, (size_t)(stop - p)))
			return 0;
		if (bar == NULL)
			return 1;
		p = bar + 1;
	}
}

int
zkconfig_check_list(const char *list, int ids, int members, const char **bad, size_t *badlen)
{
	const char *p = list;

	if (list == NULL)
		return 0;
	for (;;) {
		size_t n = strcspn(p, ",\n");
		int ok = ids ? zkconfig_valid_id(p, n) : zkconfig_valid_server(p, n, members);

		if (!ok) {
			*bad = p;
			*badlen = n;
			return -1;
		}
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

/* ---- after a lost answer ----------------------------------------------- */

int
zkconfig_has_id(const char *cfg, const char *id, size_t len)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "server.%.*s=", (int)len, id);
	for (p = cfg; (p = strstr(p, key)) != NULL; p++)
		if (p == cfg || p[-1] == '\n')
			return 1;
	return 0;
}

int
zkconfig_applied(const char *present, const char *absent, const char *cfg)
{
	const char *lists[2] = {present, absent};

	for (int k = 0; k < 2; k++) {
		const char *p = lists[k];
		while (p != NULL && *p) {
			size_t len = strcspn(p, ",\n");
			const char *id = p;
			size_t idlen = len;

			if (k == 0 && strncmp(p, "server.", 7) == 0) {
				id = p + 7;
				idlen = strcspn(id, "=,\n");
			}
			if (idlen > 0 && zkconfig_has_id(cfg, id, idlen) != (k == 0))
				return 0;
			p += len + (p[len] != '\0');
		}
	}
	return 1;
}

int
zkconfig_parse_version(const char *v, long long *out)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 16);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < -1)
		return -1;
	*out = n;
	return 0;
}
