#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zk/connstr.h"
#include "zk/path.h"
#include "util.h"

static int
fail(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
	snprintf(err, errlen, fmt, a, b);
	return -1;
}

/* "1".."65535", digits only. */
static int
parse_port(const char *s, int *port)
{
	long v = 0;

	if (*s == '\0' || strlen(s) > 5)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

/*
 * One "host[:port]" of the list: "[v6]:port" keeps its brackets in the
 * normalized string; otherwise the last ':' separates the port, as the C
 * client reads it.
 */
static int
parse_item(const char *item, struct connstr_addr *a, struct buf *norm, char *err, size_t errlen)
{
	const char *colon, *hostend;
	size_t hoff = 0;

	if (*item == '\0')
		return fail(err, errlen, "empty host name in the connect string%s%s", "", "");
	if (item[0] == '[') {
		const char *close = strchr(item, ']');
		if (close == NULL || close == item + 1)
			return fail(err, errlen, "bad IPv6 address '%s'%s", item, "");
		colon = close[1] == ':' ? close + 1 : NULL;
		if (close[1] != '\0' && colon == NULL)
			return fail(err, errlen, "bad address '%s': expected ':port' after ']'%s",
				    item, "");
		hoff = 1;
		hostend = close;
	} else {
		colon = strrchr(item, ':');
		hostend = colon ? colon : item + strlen(item);
		if (hostend == item)
			return fail(err, errlen, "no host name in '%s'%s", item, "");
	}
	a->port = CONNSTR_DEFAULT_PORT;
	if (colon != NULL && parse_port(colon + 1, &a->port) != 0)
		return fail(err, errlen, "port '%s' of '%s' is not a number in 1..65535", colon + 1,
			    item);
	a->host = xstrndup(item + hoff, (size_t)(hostend - item) - hoff);
	if (norm->len > 0)
		buf_addc(norm, ',');
	buf_add(norm, item, (size_t)(colon ? colon - item : (long)strlen(item)));
	{
		char port[16];
		snprintf(port, sizeof(port), ":%d", a->port);
		buf_adds(norm, port);
	}
	return 0;
}

void
connstr_free(struct connstr *c)
{
	for (int i = 0; i < c->naddrs; i++)
		free(c->addrs[i].host);
	free(c->addrs);
	free(c->chroot);
	free(c->normalized);
	memset(c, 0, sizeof(*c));
}

static int
parse_chroot(const char *slash, struct connstr *c, struct buf *norm, char *err, size_t errlen)
{
	char perr[512];

	if (strcmp(slash, "/") == 0)
		return 0; /* the Java client takes "/" as no chroot */
	if (path_validate(slash, 0, perr, sizeof(perr)) != 0)
		return fail(err, errlen, "bad chroot '%s': %s", slash, perr);
	c->chroot = xstrdup(slash);
	buf_adds(norm, slash);
	return 0;
}

int
connstr_parse(const char *in, struct connstr *c, char *err, size_t errlen)
{
	const char *slash = strchr(in, '/');
	char *hosts = xstrndup(in, slash ? (size_t)(slash - in) : strlen(in));
	char *save = NULL, *item;
	struct buf norm;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	buf_init(&norm);
	if (*hosts == '\0') {
		free(hosts);
		buf_free(&norm);
		if (slash != NULL)
			return fail(err, errlen, "no host before the chroot '%s' (host:port%s)",
				    slash, "/chroot");
		return fail(err, errlen, "empty connect string%s%s", "", "");
	}
	/* strtok would merge ",,": look for empty items by hand */
	if (hosts[0] == ',' || hosts[strlen(hosts) - 1] == ',' || strstr(hosts, ",,") != NULL)
		rc = fail(err, errlen, "empty host name in the connect string '%s'%s", in, "");
	for (item = strtok_r(hosts, ",", &save); rc == 0 && item != NULL;
	     item = strtok_r(NULL, ",", &save)) {
		c->addrs = xrealloc(c->addrs, ((size_t)c->naddrs + 1) * sizeof(*c->addrs));
		rc = parse_item(item, &c->addrs[c->naddrs], &norm, err, errlen);
		if (rc == 0)
			c->naddrs++;
	}
	if (rc == 0 && slash != NULL)
		rc = parse_chroot(slash, c, &norm, err, errlen);
	free(hosts);
	if (rc != 0) {
		buf_free(&norm);
		connstr_free(c);
		return -1;
	}
	c->normalized = buf_steal(&norm);
	return 0;
}

void
connstr_addresses(const struct connstr *c, char *buf, size_t len)
{
	size_t off = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (int i = 0; i < c->naddrs && off < len; i++) {
		const char *h = c->addrs[i].host;
		int v6 = strchr(h, ':') != NULL;
		int n = snprintf(buf + off, len - off, "%s%s%s%s:%d", i ? ", " : "", v6 ? "[" : "",
				 h, v6 ? "]" : "", c->addrs[i].port);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}
