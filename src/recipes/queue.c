/*
 * A FIFO queue on persistent sequential nodes DIR/item-<seq>. Pop reads the
 * oldest item and deletes its node; only the consumer whose delete
 * succeeded returns the data, so each item goes to exactly one consumer.
 * When the delete's answer is lost with the connection, nobody can tell
 * whether it happened: pop then fails (exit 3) without printing, so an item
 * may be lost in that case but is never delivered twice.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recipes/recipes.h"
#include "zk/session.h"
#include "util.h"

#define ITEM_PREFIX "item-"

int
rcp_queue_push(struct rcp *r, const char *dir, const char *data, int len, char *out, size_t outlen)
{
	char prefix[4200];
	int rc;

	snprintf(prefix, sizeof(prefix), "%s/" ITEM_PREFIX, dir);
	for (int tries = 0; tries < 2; tries++) {
		rc = zoo_create(r->sess->zh, prefix, data, len, &ZOO_OPEN_ACL_UNSAFE, ZOO_SEQUENCE,
				out, (int)outlen);
		if (rc != ZNONODE)
			break;
		if ((rc = rcp_mkdirs(r, dir)) != RCP_OK)
			return rc;
	}
	if (rc != ZOK)
		return rcp_zfail(r, rc, prefix);
	return RCP_OK;
}

static int
item_cmp(const void *a, const void *b)
{
	/* same prefix and a 10-digit counter: the name order is the queue order */
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Try to take one of the items; RCP_OK with data, RCP_EMPTY when none was had. */
static int
take_one(struct rcp *r, const char *dir, char **names, int n, char **data, int *len)
{
	char path[4200];

	for (int i = 0; i < n; i++) {
		struct Stat st;
		int cap = 4096, rc;
		char *buf;

		if (strncmp(names[i], ITEM_PREFIX, strlen(ITEM_PREFIX)) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		for (;;) {
			int got = cap;

			buf = xmalloc((size_t)cap);
			rc = zoo_get(r->sess->zh, path, 0, buf, &got, &st);
			if (rc != ZOK || st.dataLength <= cap) {
				*len = got;
				break;
			}
			free(buf);
			cap = st.dataLength;
		}
		if (rc == ZNONODE) {
			free(buf);
			continue;
		}
		if (rc == ZOK)
			rc = zoo_delete(r->sess->zh, path, st.version);
		if (rc == ZOK) {
			*data = buf;
			return RCP_OK;
		}
		free(buf);
		if (rc == ZNONODE) /* another consumer took it */
			continue;
		return rcp_zfail(r, rc, path);
	}
	return RCP_EMPTY;
}

int
rcp_queue_pop(struct rcp *r, const char *dir, int wait, long long deadline, char **data, int *len)
{
	for (;;) {
		struct String_vector v = {0, NULL};
		int rc = wait ? rcp_wchildren(r, dir, &v, NULL)
			      : zoo_get_children(r->sess->zh, dir, 0, &v);

		if (rc == ZNONODE && wait)
			rc = rcp_wexists(r, dir, NULL);
		if (rc == ZNONODE && !wait)
			return RCP_EMPTY;
		if (rc != ZOK && rc != ZNONODE) {
			if (!rcp_transient(rc) || !wait)
				return rcp_zfail(r, rc, dir);
			if ((rc = rcp_reconnected(r, deadline)) != RCP_OK)
				return rc;
			continue;
		}
		if (v.count > 0)
			qsort(v.data, (size_t)v.count, sizeof(char *), item_cmp);
		rc = take_one(r, dir, v.data, v.count, data, len);
		deallocate_String_vector(&v);
		if (rc != RCP_EMPTY || !wait)
			return rc;
		if ((rc = rcp_wait_event(r, deadline)) != RCP_OK)
			return rc;
	}
}
