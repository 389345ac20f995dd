/*
 * A compare-and-set counter: read the number and the data version, write the
 * sum with that version, and start again on BadVersion (someone else won the
 * round) after a short random pause that doubles up to 20 ms.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "recipes/recipes.h"
#include "zk/session.h"
#include "util.h"

#define INCR_TRIES 1000

/* The number in data: decimal, blanks around it allowed; empty counts as init. */
static int
parse_counter(struct rcp *r, const char *path, const char *data, int len, long long init,
	      long long *out)
{
	char buf[32];
	char *end;
	int i = 0, j = len;

	while (i < j && isspace((unsigned char)data[i]))
		i++;
	while (j > i && isspace((unsigned char)data[j - 1]))
		j--;
	if (len < 0 || i == j) {
		*out = init;
		return RCP_OK;
	}
	if (j - i >= (int)sizeof(buf))
		return rcp_fail(r, RCP_BADDATA, "%s does not hold a number (data is %d bytes)",
				path, len);
	memcpy(buf, data + i, (size_t)(j - i));
	buf[j - i] = '\0';
	for (int k = 0; buf[k]; k++)
		if (!isdigit((unsigned char)buf[k]) &&
		    !(k == 0 && (buf[k] == '-' || buf[k] == '+')))
			return rcp_fail(r, RCP_BADDATA, "%s does not hold a number: '%s'", path,
					buf);
	errno = 0;
	*out = strtoll(buf, &end, 10);
	if (errno != 0 || *end != '\0' || end == buf)
		return rcp_fail(r, RCP_BADDATA, "%s does not hold a number: '%s'", path, buf);
	return RCP_OK;
}

static int
add_checked(struct rcp *r, const char *path, long long a, long long b, long long *sum)
{
	if (__builtin_add_overflow(a, b, sum))
		return rcp_fail(r, RCP_BADDATA, "%s: %lld + %lld overflows a 64-bit counter", path,
				a, b);
	return RCP_OK;
}

static void
backoff(int *pause_us)
{
	struct timespec ts;
	long us = *pause_us / 2 + random() % (*pause_us / 2 + 1);

	ts.tv_sec = us / 1000000;
	ts.tv_nsec = (us % 1000000) * 1000L;
	nanosleep(&ts, NULL);
	if (*pause_us < 20000)
		*pause_us *= 2;
}

/* One round: 1 when someone else won it (try again), else a final status. */
static int
incr_round(struct rcp *r, const char *path, long long delta, long long init, long long *value)
{
	char data[64], text[32];
	int len = sizeof(data), rc;
	struct Stat st;
	long long cur = 0, next;

	rc = zoo_get(r->sess->zh, path, 0, data, &len, &st);
	if (rc == ZNONODE) {
		if ((rc = add_checked(r, path, init, delta, &next)) != RCP_OK)
			return rc;
		snprintf(text, sizeof(text), "%lld", next);
		rc = zoo_create(r->sess->zh, path, text, (int)strlen(text), &ZOO_OPEN_ACL_UNSAFE, 0,
				NULL, 0);
		if (rc == ZNODEEXISTS)
			return 1;
		if (rc != ZOK)
			return rcp_zfail(r, rc, path);
		*value = next;
		return RCP_OK;
	}
	if (rc != ZOK)
		return rcp_zfail(r, rc, path);
	if (st.dataLength > (int)sizeof(data))
		return rcp_fail(r, RCP_BADDATA, "%s does not hold a number (data is %d bytes)",
				path, st.dataLength);
	if ((rc = parse_counter(r, path, data, len, init, &cur)) != RCP_OK)
		return rc;
	if ((rc = add_checked(r, path, cur, delta, &next)) != RCP_OK)
		return rc;
	snprintf(text, sizeof(text), "%lld", next);
	rc = zoo_set(r->sess->zh, path, text, (int)strlen(text), st.version);
	if (rc == ZBADVERSION || rc == ZNONODE)
		return 1;
	if (rc != ZOK)
		return rcp_zfail(r, rc, path);
	*value = next;
	return RCP_OK;
}

int
rcp_incr(struct rcp *r, const char *path, long long delta, long long init, long long *value)
{
	int pause_us = 1000;

	srandom((unsigned)(getpid() ^ now_ms()));
	for (int tries = 0; tries < INCR_TRIES; tries++) {
		int rc = incr_round(r, path, delta, init, value);

		if (rc != 1)
			return rc;
		if (r->stop != NULL && *r->stop)
			return RCP_STOPPED;
		backoff(&pause_us);
	}
	return rcp_fail(r, RCP_TIMEOUT, "%s: gave up after %d rounds lost to other writers", path,
			INCR_TRIES);
}
