/*
 * Exclusive lock, read lock and leader election: ZooKeeper's
 * ephemeral-sequential recipe. Each contender creates
 * DIR/<kind>-<uid>-<seq> (uid: a random id of this process, so that after a
 * ConnectionLoss during the create we find our own node instead of leaving
 * an orphan: Curator's "protected" mode) and then waits, watching only the
 * node it queues behind, so a release wakes one waiter, not the herd.
 *
 * Blocking: a write lock or an election candidate waits for the node just
 * before its own; a read lock waits for the nearest write lock before it.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recipes/recipes.h"
#include "zk/session.h"
#include "util.h"

static const char *const kind_names[] = {"lock", "read", "elect"};

int
rcp_parse_node(const char *name, struct rcp_node *n)
{
	size_t len = strlen(name);
	const char *seq;
	int k;

	if (len >= sizeof(n->name))
		return -1;
	for (k = 0; k < 3; k++) {
		size_t kl = strlen(kind_names[k]);
		if (strncmp(name, kind_names[k], kl) == 0 && name[kl] == '-')
			break;
	}
	if (k == 3)
		return -1;
	/* <kind>-<16 hex>-<10 digits> */
	if (len != strlen(kind_names[k]) + 1 + 16 + 1 + 10)
		return -1;
	for (size_t i = strlen(kind_names[k]) + 1; i < len - 11; i++)
		if (!isxdigit((unsigned char)name[i]))
			return -1;
	if (name[len - 11] != '-')
		return -1;
	seq = name + len - 10;
	n->seq = 0;
	for (int i = 0; i < 10; i++) {
		if (!isdigit((unsigned char)seq[i]))
			return -1;
		n->seq = n->seq * 10 + (seq[i] - '0');
	}
	memcpy(n->name, name, len + 1);
	n->kind = (enum rcp_kind)k;
	return 0;
}

static int
node_cmp(const void *a, const void *b)
{
	const struct rcp_node *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int
rcp_lock_nodes(struct rcp *r, const char *dir, struct rcp_node **nodes, int *n)
{
	struct String_vector v = {0, NULL};
	struct Stat st;
	int rc = zoo_get_children2(r->sess->zh, dir, 0, &v, &st);

	*nodes = NULL;
	*n = 0;
	if (rc != ZOK)
		return rcp_zfail(r, rc, dir);
	if (st.ephemeralOwner != 0) {
		deallocate_String_vector(&v);
		return rcp_fail(r, RCP_NOTDIR,
				"%s is not a lock directory: it is an ephemeral node, which "
				"cannot have children",
				dir);
	}
	*nodes = xcalloc((size_t)v.count + 1, sizeof(**nodes));
	for (int i = 0; i < v.count; i++) {
		if (rcp_parse_node(v.data[i], &(*nodes)[*n]) != 0) {
			rc = rcp_fail(r, RCP_NOTDIR,
				      "%s is not a lock directory: its child '%s' is not a "
				      "lock node",
				      dir, v.data[i]);
			deallocate_String_vector(&v);
			free(*nodes);
			*nodes = NULL;
			*n = 0;
			return rc;
		}
		(*n)++;
	}
	deallocate_String_vector(&v);
	qsort(*nodes, (size_t)*n, sizeof(**nodes), node_cmp);
	return RCP_OK;
}

int
rcp_lock_holders(const struct rcp_node *nodes, int n)
{
	int k = 0;

	if (n == 0)
		return 0;
	if (nodes[0].kind != KIND_READ)
		return 1;
	while (k < n && nodes[k].kind == KIND_READ)
		k++;
	return k;
}

/* Our node among nodes: its index, or -1. */
static int
find_own(const struct rcp_lock *l, const struct rcp_node *nodes, int n)
{
	for (int i = 0; i < n; i++)
		if (strstr(nodes[i].name, l->uid) != NULL)
			return i;
	return -1;
}

/* The index of the node ours waits for, or -1 when none blocks it. */
static int
blocker(const struct rcp_lock *l, const struct rcp_node *nodes, int me)
{
	if (l->kind != KIND_READ)
		return me - 1;
	for (int i = me - 1; i >= 0; i--)
		if (nodes[i].kind != KIND_READ)
			return i;
	return -1;
}

/* Mixing elections and locks in one directory is refused. */
static int
check_kinds(struct rcp *r, const struct rcp_lock *l, const struct rcp_node *nodes, int n)
{
	for (int i = 0; i < n; i++)
		if ((nodes[i].kind == KIND_ELECT) != (l->kind == KIND_ELECT))
			return rcp_fail(r, RCP_NOTDIR, "%s is not %s directory: it holds '%s'",
					l->dir, l->kind == KIND_ELECT ? "an election" : "a lock",
					nodes[i].name);
	return RCP_OK;
}

/* Validate (or create) the directory before anything of ours goes into it. */
static int
prepare_dir(struct rcp *r, struct rcp_lock *l)
{
	struct rcp_node *nodes;
	int n, rc = rcp_lock_nodes(r, l->dir, &nodes, &n);

	if (rc == RCP_ZK && r->zrc == ZNONODE)
		return rcp_mkdirs(r, l->dir);
	if (rc == RCP_OK)
		rc = check_kinds(r, l, nodes, n);
	free(nodes);
	return rc;
}

/* After a ConnectionLoss on the create: did it happen? 1 yes (l->node set), 0 no. */
static int
find_created(struct rcp *r, struct rcp_lock *l)
{
	struct rcp_node *nodes;
	int n, me, rc;

	if ((rc = rcp_lock_nodes(r, l->dir, &nodes, &n)) != RCP_OK)
		return -rc;
	me = find_own(l, nodes, n);
	if (me >= 0)
		snprintf(l->node, sizeof(l->node), "%s/%s", l->dir, nodes[me].name);
	free(nodes);
	return me >= 0;
}

static int
create_node(struct rcp *r, struct rcp_lock *l, long long deadline)
{
	char prefix[4200], *data = rcp_owner_data(l->id);
	struct Stat st;
	int rc;

	snprintf(prefix, sizeof(prefix), "%s/%s-%s-", l->dir, kind_names[l->kind], l->uid);
	for (;;) {
		rc = zoo_create2(r->sess->zh, prefix, data, (int)strlen(data), &ZOO_OPEN_ACL_UNSAFE,
				 ZOO_EPHEMERAL_SEQUENTIAL, l->node, (int)sizeof(l->node), &st);
		if (rc == ZOK) {
			l->token = st.czxid;
			break;
		}
		if (rc == ZNONODE) { /* the directory went away meanwhile */
			if ((rc = rcp_mkdirs(r, l->dir)) != RCP_OK)
				goto out;
			continue;
		}
		if (!rcp_transient(rc)) {
			rc = rcp_zfail(r, rc, prefix);
			goto out;
		}
		if ((rc = rcp_reconnected(r, deadline)) != RCP_OK)
			goto out;
		rc = find_created(r, l);
		if (rc < 0) {
			rc = -rc;
			goto out;
		}
		if (rc == 1) {
			rc = zoo_exists(r->sess->zh, l->node, 0, &st);
			if (rc != ZOK) {
				rc = rcp_zfail(r, rc, l->node);
				goto out;
			}
			l->token = st.czxid;
			break;
		}
	}
	rc = RCP_OK;
out:
	free(data);
	return rc;
}

/* Name and data of the node at dir/name, for messages. */
static void
describe(struct rcp *r, const char *dir, const char *name, char *out, size_t outlen)
{
	char path[4200], data[512];
	int len = sizeof(data) - 1;
	struct Stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (zoo_get(r->sess->zh, path, 0, data, &len, &st) != ZOK || len < 0)
		len = 0;
	data[len] = '\0';
	snprintf(out, outlen, "%s %s", name, data);
}

/* One look at the queue: RCP_OK when ours is unblocked, 1 when waiting (watch set). */
static int
try_once(struct rcp *r, struct rcp_lock *l, char *holder, size_t holderlen)
{
	struct rcp_node *nodes;
	char path[4200];
	int n, me, b, rc;

	if ((rc = rcp_lock_nodes(r, l->dir, &nodes, &n)) != RCP_OK)
		return rc;
	me = find_own(l, nodes, n);
	if (me < 0) {
		free(nodes);
		l->node[0] = '\0';
		return rcp_fail(r, RCP_EXPIRED, "our node in %s was deleted while we waited",
				l->dir);
	}
	b = blocker(l, nodes, me);
	if (b < 0) {
		free(nodes);
		return RCP_OK;
	}
	if (holder != NULL)
		describe(r, l->dir, nodes[0].name, holder, holderlen);
	snprintf(path, sizeof(path), "%s/%s", l->dir, nodes[b].name);
	free(nodes);
	rc = rcp_wexists(r, path, NULL);
	if (rc == ZNONODE)
		return 2; /* gone already: look again at once */
	if (rc != ZOK && !rcp_transient(rc))
		return rcp_zfail(r, rc, path);
	return 1;
}

int
rcp_lock_acquire(struct rcp *r, struct rcp_lock *l, int try_only, long long deadline, char *holder,
		 size_t holderlen)
{
	int rc;

	l->node[0] = '\0';
	rcp_unique_id(l->uid);
	holder[0] = '\0';
	if ((rc = prepare_dir(r, l)) != RCP_OK)
		return rc;
	if ((rc = create_node(r, l, deadline)) != RCP_OK) {
		rcp_lock_release(r, l);
		return rc;
	}
	for (;;) {
		rc = try_once(r, l, holder, holderlen);
		if (rc == RCP_OK)
			return RCP_OK;
		if (rc == 1 && try_only)
			rc = rcp_fail(r, RCP_BUSY, "held");
		else if (rc == 1)
			rc = rcp_wait_event(r, deadline);
		else if (rc == 2)
			rc = RCP_OK;
		if (rc == RCP_ZK && rcp_transient(r->zrc))
			rc = rcp_reconnected(r, deadline);
		if (rc != RCP_OK) {
			rcp_lock_release(r, l);
			return rc;
		}
	}
}

void
rcp_lock_release(struct rcp *r, struct rcp_lock *l)
{
	if (l->node[0] == '\0')
		return;
	for (int tries = 0; tries < 3; tries++) {
		int rc = zoo_delete(r->sess->zh, l->node, -1);

		if (!rcp_transient(rc))
			break;
		/* gone with the connection: wait a little, the session may still be ours */
		if (rcp_reconnected(r, now_ms() + rcp_session_timeout(r)) != RCP_OK)
			break;
	}
	l->node[0] = '\0';
}
