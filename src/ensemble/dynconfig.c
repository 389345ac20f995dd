/* ZooKeeper's dynamic configuration: server strings and config text (pure). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ensemble/dynconfig.h"
#include "util.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A decimal number of n bytes at p in [lo, hi]; -1 when it is not one. */
static long
number(const char *p, size_t n, long lo, long hi)
{
	long v = 0;

	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v < lo || v > hi ? -1 : v;
}

static int
port(const char *p, size_t n)
{
	return (int)number(p, n, 1, 65535);
}

static int
host_ok(const char *p, size_t n)
{
	if (n == 0 || n >= DC_HOST_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (!isalnum(c) && c != '.' && c != '-' && c != '_' && c != ':' && c != '[' &&
		    c != ']' && c != '%')
			return 0;
	}
	return 1;
}

/*
 * Split "host:rest" at the colon that ends the host: a bracketed IPv6
 * address ends at "]:". Returns the host length, or -1.
 */
static long
host_len(const char *p, size_t n)
{
	const char *colon;

	if (n > 0 && p[0] == '[') {
		const char *close = memchr(p, ']', n);
		if (close == NULL || (size_t)(close - p) + 1 >= n || close[1] != ':')
			return -1;
		return close - p + 1;
	}
	colon = memchr(p, ':', n);
	return colon == NULL ? -1 : colon - p;
}

/* The client part after ';': "[host:]port". */
static int
parse_client(const char *p, struct dc_server *s, char *err, size_t errlen)
{
	size_t n = strlen(p);
	long hl = host_len(p, n);

	if (hl < 0) {
		s->client_host[0] = '\0';
		if ((s->client_port = port(p, n)) < 0)
			return fail(err, errlen, "bad client port '%s'", p);
		return 0;
	}
	if (!host_ok(p, (size_t)hl))
		return fail(err, errlen, "bad client host '%.*s'", (int)hl, p);
	memcpy(s->client_host, p, (size_t)hl);
	s->client_host[hl] = '\0';
	if ((s->client_port = port(p + hl + 1, n - (size_t)hl - 1)) < 0)
		return fail(err, errlen, "bad client port '%s'", p + hl + 1);
	return 0;
}

/* "host:q:e[:role]" of len n at p. */
static int
parse_quorum(const char *p, size_t n, struct dc_server *s, char *err, size_t errlen)
{
	long hl = host_len(p, n);
	const char *q, *e, *r, *end = p + n;

	if (hl < 0 || !host_ok(p, (size_t)hl))
		return fail(err, errlen, "bad host in '%.*s' (want host:quorumPort:electionPort)",
			    (int)n, p);
	memcpy(s->host, p, (size_t)hl);
	s->host[hl] = '\0';
	q = p + hl + 1;
	e = memchr(q, ':', (size_t)(end - q));
	if (e == NULL)
		return fail(err, errlen, "missing election port in '%.*s'", (int)n, p);
	if ((s->quorum_port = port(q, (size_t)(e - q))) < 0)
		return fail(err, errlen, "bad quorum port '%.*s'", (int)(e - q), q);
	e++;
	r = memchr(e, ':', (size_t)(end - e));
	if ((s->election_port = port(e, (size_t)((r ? r : end) - e))) < 0)
		return fail(err, errlen, "bad election port '%.*s'", (int)((r ? r : end) - e), e);
	s->role = DC_PARTICIPANT;
	if (r == NULL)
		return 0;
	r++;
	s->role_given = 1;
	if ((size_t)(end - r) == 11 && strncasecmp(r, "participant", 11) == 0)
		s->role = DC_PARTICIPANT;
	else if ((size_t)(end - r) == 8 && strncasecmp(r, "observer", 8) == 0)
		s->role = DC_OBSERVER;
	else
		return fail(err, errlen, "bad role '%.*s' (participant or observer)",
			    (int)(end - r), r);
	return 0;
}

int
dc_parse_server(const char *text, struct dc_server *out, char *err, size_t errlen)
{
	const char *p = text, *eq, *semi;
	size_t qlen;

	memset(out, 0, sizeof(*out));
	if (strncmp(p, "server.", 7) == 0)
		p += 7;
	eq = strchr(p, '=');
	if (eq == NULL)
		return fail(err, errlen,
			    "'%s' is not a server string (server.<id>=<host>:"
			    "<quorumPort>:<electionPort>[:role][;[<clientHost>:]"
			    "<clientPort>])",
			    text);
	if ((out->id = number(p, (size_t)(eq - p), 0, 2147483647L)) < 0)
		return fail(err, errlen, "bad server id '%.*s'", (int)(eq - p), p);
	p = eq + 1;
	semi = strchr(p, ';');
	qlen = semi ? (size_t)(semi - p) : strlen(p);
	if (parse_quorum(p, qlen, out, err, errlen) != 0)
		return -1;
	if (semi != NULL && parse_client(semi + 1, out, err, errlen) != 0)
		return -1;
	return 0;
}

void
dc_format_server(const struct dc_server *s, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "server.%ld=%s:%d:%d:%s", s->id, s->host, s->quorum_port,
			 s->election_port, s->role == DC_OBSERVER ? "observer" : "participant");

	if (s->client_port > 0 && n >= 0 && (size_t)n < outlen) {
		if (s->client_host[0] != '\0')
			snprintf(out + n, outlen - (size_t)n, ";%s:%d", s->client_host,
				 s->client_port);
		else
			snprintf(out + n, outlen - (size_t)n, ";%d", s->client_port);
	}
}

static int
parse_line(const char *line, struct dc_config *c, char *err, size_t errlen)
{
	struct dc_server s;
	char e2[384];

	if (line[0] == '\0' || line[0] == '#')
		return 0;
	if (strncmp(line, "version=", 8) == 0) {
		char *end;
		errno = 0;
		c->version = strtoll(line + 8, &end, 16);
		if (line[8] == '\0' || *end != '\0' || errno != 0 || c->version < 0)
			return fail(err, errlen, "bad version line '%s'", line);
		return 0;
	}
	if (strncmp(line, "group.", 6) == 0 || strncmp(line, "weight.", 7) == 0)
		return fail(err, errlen, "hierarchical quorums are not supported: '%s'", line);
	if (strncmp(line, "server.", 7) != 0)
		return fail(err, errlen, "not a dynamic config line: '%s'", line);
	if (dc_parse_server(line, &s, e2, sizeof(e2)) != 0)
		return fail(err, errlen, "%s", e2);
	if (dc_index(c, s.id) >= 0)
		return fail(err, errlen, "server id %ld appears twice", s.id);
	if (c->n >= DC_MAX_SERVERS)
		return fail(err, errlen, "more than %d servers", DC_MAX_SERVERS);
	c->s[c->n++] = s;
	return 0;
}

int
dc_parse_config(const char *text, struct dc_config *out, char *err, size_t errlen)
{
	const char *p = text;

	memset(out, 0, sizeof(*out));
	out->version = -1;
	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		char line[1024];

		/* trailing CR and blanks are not part of the value */
		while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n >= sizeof(line))
			return fail(err, errlen, "line too long");
		memcpy(line, p, n);
		line[n] = '\0';
		if (parse_line(line, out, err, errlen) != 0)
			return -1;
		p += strcspn(p, "\n");
		if (*p == '\n')
			p++;
	}
	return 0;
}

char *
dc_format_config(const struct dc_config *c, int with_version)
{
	struct buf b;
	char line[DC_HOST_MAX * 2 + 64];

	buf_init(&b);
	for (int i = 0; i < c->n; i++) {
		dc_format_server(&c->s[i], line, sizeof(line));
		buf_adds(&b, line);
		buf_addc(&b, '\n');
	}
	if (with_version && c->version >= 0) {
		snprintf(line, sizeof(line), "version=%llx\n", c->version);
		buf_adds(&b, line);
	}
	if (b.data == NULL)
		buf_adds(&b, "");
	return buf_steal(&b);
}

int
dc_index(const struct dc_config *c, long id)
{
	for (int i = 0; i < c->n; i++)
		if (c->s[i].id == id)
			return i;
	return -1;
}

const struct dc_server *
dc_find(const struct dc_config *c, long id)
{
	int i = dc_index(c, id);

	return i < 0 ? NULL : &c->s[i];
}

int
dc_voters(const struct dc_config *c)
{
	int v = 0;

	for (int i = 0; i < c->n; i++)
		v += c->s[i].role == DC_PARTICIPANT;
	return v;
}

int
dc_quorum(int voters)
{
	return voters <= 0 ? 0 : voters / 2 + 1;
}

int
dc_tolerance(int voters)
{
	return voters <= 0 ? 0 : (voters - 1) / 2;
}

static int
wildcard(const char *h)
{
	return h[0] == '\0' || strcmp(h, "0.0.0.0") == 0 || strcmp(h, "::") == 0 ||
	       strcmp(h, "[::]") == 0;
}

void
dc_client_address(const struct dc_server *s, char *out, size_t outlen)
{
	if (s->client_port <= 0) {
		if (outlen > 0)
			out[0] = '\0';
		return;
	}
	snprintf(out, outlen, "%s:%d", wildcard(s->client_host) ? s->host : s->client_host,
		 s->client_port);
}

int
dc_same(const struct dc_server *a, const struct dc_server *b)
{
	char ca[DC_HOST_MAX + 8], cb[DC_HOST_MAX + 8];

	dc_client_address(a, ca, sizeof(ca));
	dc_client_address(b, cb, sizeof(cb));
	return a->id == b->id && strcasecmp(a->host, b->host) == 0 &&
	       a->quorum_port == b->quorum_port && a->election_port == b->election_port &&
	       a->role == b->role && strcasecmp(ca, cb) == 0;
}

int
dc_address_clash(const struct dc_server *a, const struct dc_server *b)
{
	int pa[3] = {a->quorum_port, a->election_port, a->client_port};
	int pb[3] = {b->quorum_port, b->election_port, b->client_port};

	if (strcasecmp(a->host, b->host) != 0)
		return 0;
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			if (pa[i] > 0 && pa[i] == pb[j])
				return 1;
	return 0;
}
