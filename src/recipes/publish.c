/*
 * The ready-znode recipe. publish deletes DIR/<ready>, writes the new
 * configuration, then creates DIR/<ready> again; all in one multi() when
 * it fits (a small configuration is a single transaction), else in
 * batches, the first starting with the delete and the last ending with
 * the create. fetch reads in one session: wait for the ready znode, note
 * its czxid, read the subtree, and check that the ready znode still has
 * that czxid; when it changed (a publish ran meanwhile), read again.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "recipes/conf.h"
#include "recipes/recipes.h"
#include "zk/session.h"
#include "util.h"
#include "zk/get.h"

#define BATCH_OPS   500
#define BATCH_BYTES (512 * 1024)

static int
get_data(struct rcp *r, const char *path, char **out, int *len, struct Stat *st)
{
	return zkx_get_data(r->sess->zh, path, 0, out, len, st);
}

/* dir/key ("/key" when dir is the root); key "" gives dir. */
static void
join(const char *dir, const char *key, char *out, size_t outlen)
{
	if (*key == '\0')
		snprintf(out, outlen, "%s", dir);
	else
		snprintf(out, outlen, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, key);
}

/* Read the subtree under dir into c (relative keys; the ready node left out). */
static int
read_tree(struct rcp *r, const char *dir, const char *rel, const char *ready, struct conf *c,
	  int depth)
{
	struct String_vector v = {0, NULL};
	char path[8192];
	int rc;

	join(dir, rel, path, sizeof(path));
	rc = zoo_get_children(r->sess->zh, path, 0, &v);
	if (rc == ZNONODE && *rel) /* deleted meanwhile: the ready check will tell */
		return RCP_OK;
	if (rc != ZOK)
		return rcp_zfail(r, rc, path);
	if (depth > 64) {
		deallocate_String_vector(&v);
		return rcp_fail(r, RCP_BADDATA, "%s: nested too deep", path);
	}
	rc = RCP_OK;
	for (int i = 0; i < v.count && rc == RCP_OK; i++) {
		char key[4096], child[8192], *data;
		struct Stat st;
		int len, zrc;

		if (!*rel && strcmp(v.data[i], ready) == 0)
			continue;
		snprintf(key, sizeof(key), "%s%s%s", rel, *rel ? "/" : "", v.data[i]);
		join(dir, key, child, sizeof(child));
		zrc = get_data(r, child, &data, &len, &st);
		if (zrc == ZNONODE)
			continue;
		if (zrc != ZOK) {
			rc = rcp_zfail(r, zrc, child);
			break;
		}
		conf_add(c, key, data, len);
		free(data);
		if (st.numChildren > 0)
			rc = read_tree(r, dir, key, ready, c, depth + 1);
	}
	deallocate_String_vector(&v);
	return rc;
}

/* The ready node's czxid (0: it does not exist). */
static int
ready_czxid(struct rcp *r, const char *path, int watch, long long *czxid)
{
	struct Stat st;
	int rc = watch ? rcp_wexists(r, path, &st) : zoo_exists(r->sess->zh, path, 0, &st);

	*czxid = 0;
	if (rc == ZOK)
		*czxid = st.czxid;
	else if (rc != ZNONODE)
		return rcp_zfail(r, rc, path);
	return RCP_OK;
}

int
rcp_fetch(struct rcp *r, const char *dir, const char *ready, long long deadline, struct conf *c)
{
	char rpath[8192], err[256];

	join(dir, ready, rpath, sizeof(rpath));
	for (;;) {
		long long before, after;
		int rc = ready_czxid(r, rpath, 1, &before);

		if (rc == RCP_OK && before == 0) { /* not ready: the watch wakes us */
			if ((rc = rcp_wait_event(r, deadline)) != RCP_OK)
				return rc;
			continue;
		}
		if (rc == RCP_OK)
			rc = read_tree(r, dir, "", ready, c, 0);
		if (rc == RCP_OK)
			rc = ready_czxid(r, rpath, 0, &after);
		if (rc == RCP_ZK && rcp_transient(r->zrc))
			rc = rcp_reconnected(r, deadline);
		else if (rc == RCP_OK && after == before)
			return conf_finish(c, err, sizeof(err)) == 0
				   ? RCP_OK
				   : rcp_fail(r, RCP_BADDATA, "%s", err);
		if (rc != RCP_OK)
			return rc;
		/* a publish ran meanwhile: read again */
		conf_free(c);
		if (r->stop != NULL && *r->stop)
			return RCP_STOPPED;
		if (deadline >= 0 && now_ms() > deadline)
			return RCP_TIMEOUT;
	}
}

/* ---- publish ------------------------------------------------------------ */

struct batch {
	zoo_op_t ops[BATCH_OPS + 2];
	zoo_op_result_t res[BATCH_OPS + 2];
	char *paths[BATCH_OPS + 2];
	int n;
	size_t bytes;
};

static int
batch_run(struct rcp *r, struct batch *b)
{
	int rc = b->n ? zoo_multi(r->sess->zh, b->n, b->ops, b->res) : ZOK;
	int failed = -1;

	if (rc != ZOK)
		for (int i = 0; i < b->n && failed < 0; i++)
			if (b->res[i].err != ZOK && b->res[i].err != ZRUNTIMEINCONSISTENCY)
				failed = i;
	if (rc != ZOK)
		rc = rcp_zfail(r, failed >= 0 ? b->res[failed].err : rc,
			       failed >= 0 ? b->paths[failed] : "");
	else
		rc = RCP_OK;
	for (int i = 0; i < b->n; i++)
		free(b->paths[i]);
	b->n = 0;
	b->bytes = 0;
	return rc;
}

static int
batch_full(const struct batch *b, int len)
{
	return b->n >= BATCH_OPS || b->bytes + (size_t)(len > 0 ? len : 0) > BATCH_BYTES;
}

static zoo_op_t *
batch_add(struct batch *b, const char *path, int len)
{
	b->paths[b->n] = xstrdup(path);
	b->bytes += strlen(path) + (size_t)(len > 0 ? len : 0) + 32;
	return &b->ops[b->n++];
}

static void
add_create(struct batch *b, const char *path, const char *data, int len)
{
	zoo_op_t *op = batch_add(b, path, len);

	zoo_create_op_init(op, b->paths[b->n - 1], data, len, &ZOO_OPEN_ACL_UNSAFE, 0, NULL, 0);
}

static void
add_set(struct batch *b, const char *path, const char *data, int len)
{
	zoo_op_t *op = batch_add(b, path, len);

	zoo_set_op_init(op, b->paths[b->n - 1], data, len, -1, NULL);
}

static void
add_delete(struct batch *b, const char *path)
{
	zoo_op_t *op = batch_add(b, path, 0);

	zoo_delete_op_init(op, b->paths[b->n - 1], -1);
}

static int
same_data(const struct conf_entry *a, const struct conf_entry *b)
{
	return a->len == b->len && (a->len <= 0 || memcmp(a->data, b->data, (size_t)a->len) == 0);
}

/* Run the batch when one more op of len bytes would not fit. */
static int
flush_if_full(struct rcp *r, struct batch *b, int len)
{
	return batch_full(b, len) ? batch_run(r, b) : RCP_OK;
}

static int
write_all(struct rcp *r, struct batch *b, const char *dir, const char *rpath, long long old_ready,
	  const struct conf *old, const struct conf *c)
{
	char path[8192], stamp[64];
	time_t t = time(NULL);
	struct tm tm;
	int rc;

	if (old_ready != 0)
		add_delete(b, rpath);
	for (int i = 0; i < c->n; i++) {
		const struct conf_entry *e = &c->v[i], *o = conf_find(old, e->key);

		if (o != NULL && same_data(o, e))
			continue;
		if ((rc = flush_if_full(r, b, e->len)) != RCP_OK)
			return rc;
		join(dir, e->key, path, sizeof(path));
		if (o != NULL)
			add_set(b, path, e->data, e->len);
		else
			add_create(b, path, e->data, e->len);
	}
	for (int i = old->n - 1; i >= 0; i--) { /* children before parents */
		if (conf_find(c, old->v[i].key) != NULL)
			continue;
		if ((rc = flush_if_full(r, b, 0)) != RCP_OK)
			return rc;
		join(dir, old->v[i].key, path, sizeof(path));
		add_delete(b, path);
	}
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if ((rc = flush_if_full(r, b, (int)strlen(stamp))) != RCP_OK)
		return rc;
	add_create(b, rpath, stamp, (int)strlen(stamp));
	/* the ops point into c and stamp: run them before those go */
	return batch_run(r, b);
}

int
rcp_publish(struct rcp *r, const char *dir, const char *ready, const struct conf *c)
{
	char rpath[8192];
	struct conf old;
	struct batch *b;
	long long czxid;
	int rc;

	join(dir, ready, rpath, sizeof(rpath));
	if (conf_find(c, ready) != NULL)
		return rcp_fail(r, RCP_BADDATA,
				"the configuration has a key '%s', the name of the ready node",
				ready);
	if ((rc = rcp_mkdirs(r, dir)) != RCP_OK)
		return rc;
	if ((rc = ready_czxid(r, rpath, 0, &czxid)) != RCP_OK)
		return rc;
	conf_init(&old);
	if ((rc = read_tree(r, dir, "", ready, &old, 0)) != RCP_OK) {
		conf_free(&old);
		return rc;
	}
	if (conf_finish(&old, r->err, sizeof(r->err)) != 0) {
		conf_free(&old);
		return RCP_BADDATA;
	}
	b = xcalloc(1, sizeof(*b));
	rc = write_all(r, b, dir, rpath, czxid, &old, c);
	free(b);
	conf_free(&old);
	return rc;
}
