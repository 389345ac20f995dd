/*
 * Emulated persistent watches (see watches.h for the scheme).
 *
 * Everything below runs with the registry's mutex held: the watcher and the
 * completions on the client's completion thread, watches_* on the main
 * thread. Only asynchronous client calls are made with the mutex held; they
 * queue a request and never wait for the completion thread.
 */
#include "config.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "zk/path.h"
#include "zk/pathset.h"
#include "zk/session.h"
#include "util.h"
#include "zk/walk.h"
#include "zk/watches.h"

struct pwatch {
	int id;
	char *root;
	int recursive;
	int private_;
	int dead;	    /* removed: its watches' last events are ignored */
	int arming;	    /* the first walk runs: what it finds is not news */
	int retry;	    /* a request failed on a lost connection: re-arm on reconnect */
	int want_data;	    /* events carry the node's data and stat, read after the event */
	int over;	    /* arming passed the budget: the watch is refused */
	int full_told;	    /* the budget filled up later: said once */
	size_t bytes;	    /* watch budget this watch uses (see watches_budget) */
	void *root_pending; /* like pnode.pending, for the root */
	struct session *sess;
	zhandle_t *zh;
	struct pathset nodes; /* recursive: the nodes below with watches set */
	struct pwatch *next;
};

struct watches {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pwatch *list; /* dead ones stay until the handle closes: callbacks hold them */
	int next_id;
	int removing;  /* remove-watches requests in flight */
	int arms;      /* watch-setting requests in flight (atomic) */
	int closing;   /* the handle is about to close: set no new watches (atomic) */
	size_t bytes;  /* watch budget used by every live watch of the session */
	size_t budget; /* 0: WATCHES_DEFAULT_BUDGET */
};

enum arm_kind { ARM_EXISTS, ARM_KIDS };

struct arm {
	struct pwatch *pw;
	int pending; /* the event to report with the answer (0: none) */
	char path[];
};

static void pw_watcher(zhandle_t *zh, int type, int state, const char *path, void *ctx);

static struct pnode *
find(struct pwatch *pw, const char *path)
{
	return pathset_find(&pw->nodes, path);
}

static struct watches *registry_of(struct pwatch *pw);

/* What one watched node costs in a SetWatches packet: a data and a child watch. */
static size_t
node_cost(const char *path)
{
	return 2 * (strlen(path) + 4);
}

static size_t
budget_of(const struct watches *w)
{
	return w->budget ? w->budget : WATCHES_DEFAULT_BUDGET;
}

/* Every node a watch tracks goes through these two, so the budget adds up. */
static struct pnode *
track(struct pwatch *pw, const char *path)
{
	size_t cost = node_cost(path);

	pw->bytes += cost;
	registry_of(pw)->bytes += cost;
	return pathset_insert(&pw->nodes, path);
}

static void
untrack(struct pwatch *pw, struct pnode *n)
{
	size_t cost = node_cost(n->path);
	struct watches *w = registry_of(pw);

	pw->bytes -= cost < pw->bytes ? cost : pw->bytes;
	w->bytes -= cost < w->bytes ? cost : w->bytes;
	pathset_remove(&pw->nodes, n);
}

static void
untrack_all(struct pwatch *pw)
{
	struct watches *w = registry_of(pw);

	w->bytes -= pw->bytes < w->bytes ? pw->bytes : w->bytes;
	pw->bytes = 0;
	pathset_clear(&pw->nodes);
}

/* 1 when one more node at path still fits the session's budget. */
static int
fits(struct pwatch *pw, const char *path)
{
	struct watches *w = registry_of(pw);

	return w->bytes + node_cost(path) <= budget_of(w);
}

/* ---- events and arming ------------------------------------------------- */

/* An event with what zksh knows of the change: zxid (0: unknown), the node after it. */
static void
emit_known(struct pwatch *pw, int type, const char *path, int64_t zxid, const struct Stat *st,
	   const char *data, int datalen)
{
	struct zk_event *e = xcalloc(1, sizeof(*e));

	e->type = type;
	e->state = ZOO_CONNECTED_STATE;
	e->path = xstrdup(path);
	e->wid = pw->id;
	e->zxid = zxid;
	e->datalen = -1;
	if (st != NULL && pw->want_data) {
		e->have_stat = 1;
		e->stat = *st;
		if (data != NULL && datalen >= 0) {
			e->data = xmalloc((size_t)datalen + 1);
			memcpy(e->data, data, (size_t)datalen);
			e->data[datalen] = '\0';
			e->datalen = datalen;
		}
	}
	session_queue_event(pw->sess, e);
}

static void
emit(struct pwatch *pw, int type, const char *path)
{
	emit_known(pw, type, path, 0, NULL, NULL, -1);
}

static int
lost(int rc)
{
	return rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT;
}

static struct arm *
arm_new(struct pwatch *pw, const char *path, int pending)
{
	struct arm *a = xmalloc(sizeof(*a) + strlen(path) + 1);

	a->pw = pw;
	a->pending = pending;
	strcpy(a->path, path);
	return a;
}

static void budget_full(struct pwatch *pw, const char *path);
static int is_root(const struct pwatch *pw, const char *path);
static void **pending_slot(struct pwatch *pw, const char *path);
static void flush_pending(struct pwatch *pw, const char *path);
static void exists_done(int rc, const struct Stat *st, const void *data);
static void data_done(int rc, const char *value, int len, const struct Stat *st, const void *data);
static void kids_done(int rc, const struct String_vector *v, const struct Stat *st,
		      const void *data);

/*
 * Set an exists (data) watch, or a child watch, on path; pending is the
 * event to report when the answer comes, with the zxid (and, for a watch
 * with want_data, the data) it carries. A data event of such a watch reads
 * the data with the watch (get instead of exists).
 */
static void
arm_for(struct pwatch *pw, const char *path, enum arm_kind kind, int pending)
{
	struct watches *w = registry_of(pw);
	struct arm *a;
	int rc;

	if (__atomic_load_n(&w->closing, __ATOMIC_SEQ_CST))
		return;
	a = arm_new(pw, path, pending);
	__atomic_add_fetch(&w->arms, 1, __ATOMIC_SEQ_CST);
	if (kind == ARM_EXISTS && pending != 0 && pending != ZOO_DELETED_EVENT && pw->want_data)
		rc = zoo_awget(pw->zh, path, pw_watcher, pw, data_done, a);
	else if (kind == ARM_EXISTS)
		rc = zoo_awexists(pw->zh, path, pw_watcher, pw, exists_done, a);
	else
		rc = zoo_awget_children2(pw->zh, path, pw_watcher, pw, kids_done, a);
	if (rc != ZOK) {
		__atomic_sub_fetch(&w->arms, 1, __ATOMIC_SEQ_CST);
		if (pending != 0)
			emit(pw, pending, path); /* the event happened; what followed is unknown */
		free(a);
		if (lost(rc))
			pw->retry = 1;
	} else if (pending != 0 && kind == ARM_EXISTS) {
		void **slot = pending_slot(pw, path);

		if (slot != NULL) {
			flush_pending(pw, path);
			*slot = a;
		}
	}
}

/*
 * An event waiting for its answer holds the node's place: whatever reports
 * the node next (its deletion seen in the parent's listing) reports the
 * waiting event first, without its zxid, so a node's events stay in order.
 */
static void **
pending_slot(struct pwatch *pw, const char *path)
{
	struct pnode *n;

	if (is_root(pw, path))
		return &pw->root_pending;
	n = find(pw, path);
	return n != NULL ? &n->pending : NULL;
}

static void
flush_pending(struct pwatch *pw, const char *path)
{
	void **slot = pending_slot(pw, path);
	struct arm *a;

	if (slot == NULL || *slot == NULL)
		return;
	a = *slot;
	*slot = NULL;
	if (a->pending != 0)
		emit(pw, a->pending, a->path);
	a->pending = 0;
}

static void
arm(struct pwatch *pw, const char *path, enum arm_kind kind)
{
	arm_for(pw, path, kind, 0);
}

/* Forget the nodes below n, reporting them deleted deepest first. */
static void
forget_below(struct pwatch *pw, struct pnode *n)
{
	char child[ZKSH_PATH_MAX];

	for (int i = 0; i < n->nkids; i++) {
		struct pnode *c;
		path_join(n->path, n->kids[i], child, sizeof(child));
		if ((c = find(pw, child)) == NULL)
			continue;
		forget_below(pw, c);
		flush_pending(pw, child);
		untrack(pw, c);
		emit(pw, ZOO_DELETED_EVENT, child);
	}
}

static void
drop_kid(struct pwatch *pw, const char *path)
{
	char parent[ZKSH_PATH_MAX];
	struct pnode *p;

	path_parent(path, parent, sizeof(parent));
	if ((p = find(pw, parent)) != NULL)
		pnode_drop_kid(p, path_base(path));
}

static void
parent_done(int rc, const struct Stat *st, const void *data)
{
	struct arm *a = (struct arm *)data;
	struct pwatch *pw = a->pw;
	struct watches *w = registry_of(pw);

	pthread_mutex_lock(&w->mu);
	if (!pw->dead)
		emit_known(pw, a->pending, a->path, rc == ZOK ? st->pzxid : 0, NULL, NULL, -1);
	pthread_mutex_unlock(&w->mu);
	free(a);
	__atomic_sub_fetch(&w->arms, 1, __ATOMIC_SEQ_CST);
}

/*
 * A node's own watch said it is deleted: report it with the zxid of the
 * deletion, which is the parent's pzxid as read now (a later change of the
 * parent's children would show instead; never an earlier zxid). Answers come
 * in the order of the requests, so the node's later events follow it.
 */
static void
report_deleted(struct pwatch *pw, const char *path)
{
	struct watches *w = registry_of(pw);
	char parent[ZKSH_PATH_MAX];
	struct arm *a;

	if (strcmp(path, "/") == 0 || __atomic_load_n(&w->closing, __ATOMIC_SEQ_CST)) {
		emit(pw, ZOO_DELETED_EVENT, path);
		return;
	}
	path_parent(path, parent, sizeof(parent));
	a = arm_new(pw, path, ZOO_DELETED_EVENT);
	__atomic_add_fetch(&w->arms, 1, __ATOMIC_SEQ_CST);
	if (zoo_aexists(pw->zh, parent, 0, parent_done, a) != ZOK) {
		__atomic_sub_fetch(&w->arms, 1, __ATOMIC_SEQ_CST);
		free(a);
		emit(pw, ZOO_DELETED_EVENT, path);
	}
}

/*
 * A node below the root is gone: report it (once) with what was under it.
 * zxid: the pzxid of the parent's listing that showed it gone (0: unknown;
 * -1: ask the parent, see report_deleted).
 */
static void
node_gone_at(struct pwatch *pw, const char *path, int64_t zxid)
{
	struct pnode *n = find(pw, path);

	if (n == NULL)
		return;
	forget_below(pw, n);
	flush_pending(pw, path);
	untrack(pw, n);
	drop_kid(pw, path);
	if (zxid < 0)
		report_deleted(pw, path);
	else
		emit_known(pw, ZOO_DELETED_EVENT, path, zxid, NULL, NULL, -1);
}

static void
node_gone(struct pwatch *pw, const char *path)
{
	node_gone_at(pw, path, 0);
}

static int
is_root(const struct pwatch *pw, const char *path)
{
	return strcmp(pw->root, path) == 0;
}

/* The node for a listing of path, or NULL when the answer is stale. */
static struct pnode *
node_for_listing(struct pwatch *pw, const char *path, int32_t cversion)
{
	struct pnode *n = find(pw, path);

	if (n == NULL && !is_root(pw, path)) {
		char parent[ZKSH_PATH_MAX];
		struct pnode *p;

		path_parent(path, parent, sizeof(parent));
		p = find(pw, parent);
		if (p == NULL || !pnode_has_kid(p, path_base(path)))
			return NULL; /* deleted since, or never ours */
	}
	if (n == NULL)
		return track(pw, path);
	if (n->listed && cversion < n->cversion)
		return NULL;
	return n;
}

/*
 * Take a new listing of path: vanished children are reported deleted, new
 * ones created (unless announce is 0) and watched (unless arm_new_kids is 0:
 * the first walk visits them itself).
 */
static void
merge(struct pwatch *pw, const char *path, char **names, int count, const struct Stat *st,
      int announce, int arm_new_kids)
{
	int32_t cversion = st->cversion;
	struct pnode *n = node_for_listing(pw, path, cversion);
	char child[ZKSH_PATH_MAX];
	struct pnode old;

	if (n == NULL)
		return;
	/* the old listing aside: reporting a child gone edits n's list */
	old = *n;
	n->kids = NULL;
	n->nkids = 0;
	pnode_set_kids(n, names, count, cversion);
	for (int i = 0; old.listed && i < old.nkids; i++) {
		if (pnode_has_kid(n, old.kids[i]))
			continue;
		path_join(path, old.kids[i], child, sizeof(child));
		node_gone_at(pw, child, st->pzxid);
	}
	for (int i = 0; arm_new_kids && i < n->nkids; i++) {
		path_join(path, n->kids[i], child, sizeof(child));
		if (find(pw, child) != NULL || (old.listed && pnode_has_kid(&old, n->kids[i])))
			continue;
		if (!fits(pw, child)) {
			/* the first walk refuses the watch; later, a new node is only reported */
			pw->over = 1;
			if (pw->arming)
				break;
			if (announce)
				emit_known(pw, ZOO_CREATED_EVENT, child, st->pzxid, NULL, NULL, -1);
			budget_full(pw, child);
			continue;
		}
		track(pw, child);
		/* the creation is reported with the answer, which has its czxid */
		arm_for(pw, child, ARM_EXISTS,
			announce && (old.listed || !pw->arming) ? ZOO_CREATED_EVENT : 0);
		arm(pw, child, ARM_KIDS);
	}
	pnode_free_kids(&old);
}

/* Said once per watch, on stderr: the budget filled up after the watch was set. */
static void
budget_full(struct pwatch *pw, const char *path)
{
	if (pw->full_told)
		return;
	pw->full_told = 1;
	fprintf(stderr,
		"zksh: watch %s: the watch budget (%zu bytes of watched paths) is full: %s and "
		"other new nodes are reported but not watched\n",
		pw->root, budget_of(registry_of(pw)), path);
}

/* ---- callbacks (completion thread) ------------------------------------- */

static struct watches *
registry_of(struct pwatch *pw)
{
	return pw->sess->watches;
}

/*
 * The answer to a data (exists or get) watch: report the pending event with
 * the zxid of the change (czxid for a creation, mzxid for a data change),
 * or take the node's absence for a deletion.
 */
static void
answered(struct pwatch *pw, struct arm *a, int rc, const struct Stat *st, const char *data, int len)
{
	void **slot = pending_slot(pw, a->path);

	if (slot != NULL && *slot == a)
		*slot = NULL;
	if (rc == ZOK && a->pending != 0) {
		int64_t zxid = a->pending == ZOO_CREATED_EVENT ? st->czxid : st->mzxid;
		emit_known(pw, a->pending, a->path, zxid, st, data, len);
	} else if (rc == ZNONODE) {
		/* changed (or created), then deleted before the answer; the root's
		 * child watch reports its deletion, node_gone a node's below it */
		if (a->pending != 0 && (is_root(pw, a->path) || find(pw, a->path) != NULL))
			emit(pw, a->pending, a->path);
		if (!is_root(pw, a->path))
			node_gone(pw, a->path);
	} else {
		if (a->pending != 0)
			emit(pw, a->pending, a->path);
		if (lost(rc))
			pw->retry = 1;
	}
}

static void
exists_done(int rc, const struct Stat *st, const void *data)
{
	struct arm *a = (struct arm *)data;
	struct pwatch *pw = a->pw;
	struct watches *w = registry_of(pw);

	pthread_mutex_lock(&w->mu);
	if (!pw->dead)
		answered(pw, a, rc, st, NULL, -1);
	pthread_mutex_unlock(&w->mu);
	free(a);
	__atomic_sub_fetch(&w->arms, 1, __ATOMIC_SEQ_CST);
}

static void
data_done(int rc, const char *value, int len, const struct Stat *st, const void *data)
{
	struct arm *a = (struct arm *)data;
	struct pwatch *pw = a->pw;
	struct watches *w = registry_of(pw);

	pthread_mutex_lock(&w->mu);
	if (!pw->dead) {
		answered(pw, a, rc, st, value, len);
		/* a get sets no watch on a missing node: watch the root come back */
		if (rc == ZNONODE && is_root(pw, a->path))
			arm(pw, a->path, ARM_EXISTS);
	}
	pthread_mutex_unlock(&w->mu);
	free(a);
	__atomic_sub_fetch(&w->arms, 1, __ATOMIC_SEQ_CST);
}

static void
kids_done(int rc, const struct String_vector *v, const struct Stat *st, const void *data)
{
	struct arm *a = (struct arm *)data;
	struct pwatch *pw = a->pw;
	struct watches *w = registry_of(pw);

	pthread_mutex_lock(&w->mu);
	if (pw->dead) {
		/* removed meanwhile */
	} else if (!pw->recursive && a->pending != 0) {
		/* the root's children changed: the listing's pzxid is the change's */
		emit_known(pw, a->pending, a->path, rc == ZOK ? st->pzxid : 0, NULL, NULL, -1);
		if (lost(rc))
			pw->retry = 1;
	} else if (rc == ZOK && pw->recursive) {
		merge(pw, a->path, v ? v->data : NULL, v ? v->count : 0, st, 1, 1);
	} else if (rc == ZNONODE && pw->recursive) {
		struct pnode *n = find(pw, a->path);
		if (is_root(pw, a->path) && n != NULL) {
			forget_below(pw, n); /* the root's own watch reports the root */
			untrack(pw, n);
		} else if (!is_root(pw, a->path)) {
			node_gone(pw, a->path);
		}
	} else if (lost(rc)) {
		pw->retry = 1;
	}
	pthread_mutex_unlock(&w->mu);
	free(a);
	__atomic_sub_fetch(&w->arms, 1, __ATOMIC_SEQ_CST);
}

static void
rearm_all(struct pwatch *pw)
{
	pw->retry = 0;
	arm(pw, pw->root, ARM_EXISTS);
	arm(pw, pw->root, ARM_KIDS);
	for (size_t i = 0; i < pw->nodes.size; i++)
		for (struct pnode *n = pw->nodes.tab[i]; n; n = n->next)
			if (!is_root(pw, n->path)) {
				arm(pw, n->path, ARM_EXISTS);
				arm(pw, n->path, ARM_KIDS);
			}
}

static void
root_event(struct pwatch *pw, int type)
{
	struct pnode *n;

	/* ZOO_*_EVENT are extern consts, not case labels */
	/* creations, data and child changes are reported with the answer of
	 * the re-arming read, which carries their zxid */
	if (type == ZOO_CREATED_EVENT) {
		arm_for(pw, pw->root, ARM_EXISTS, type);
		arm(pw, pw->root, ARM_KIDS);
	} else if (type == ZOO_DELETED_EVENT) {
		flush_pending(pw, pw->root);
		if (pw->recursive && (n = find(pw, pw->root)) != NULL) {
			forget_below(pw, n);
			untrack(pw, n);
		}
		report_deleted(pw, pw->root);
		arm(pw, pw->root, ARM_EXISTS); /* to see it come back */
	} else if (type == ZOO_CHANGED_EVENT) {
		arm_for(pw, pw->root, ARM_EXISTS, type);
	} else if (type == ZOO_CHILD_EVENT) {
		/* a recursive watch reports the children themselves instead */
		arm_for(pw, pw->root, ARM_KIDS, pw->recursive ? 0 : type);
	}
}

static void
below_event(struct pwatch *pw, int type, const char *path)
{
	if (find(pw, path) == NULL)
		return; /* a watch left from before the node was forgotten */
	if (type == ZOO_DELETED_EVENT) {
		node_gone_at(pw, path, -1);
	} else if (type == ZOO_CHANGED_EVENT) {
		arm_for(pw, path, ARM_EXISTS, type);
	} else if (type == ZOO_CHILD_EVENT) {
		arm(pw, path, ARM_KIDS);
	}
}

static void
pw_watcher(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
	struct pwatch *pw = ctx;
	struct watches *w = registry_of(pw);

	pthread_mutex_lock(&w->mu);
	if (pw->dead || zh != pw->zh) {
		/* a removed watch's last events */
	} else if (type == ZOO_SESSION_EVENT) {
		if (state == ZOO_CONNECTED_STATE && pw->retry)
			rearm_all(pw);
	} else if (path != NULL && is_root(pw, path)) {
		root_event(pw, type);
	} else if (path != NULL && pw->recursive) {
		below_event(pw, type, path);
	}
	pthread_mutex_unlock(&w->mu);
}

/* ---- the main thread's side -------------------------------------------- */

static void watches_quiesce(struct session *s, void *ctx);
static void watches_session_closed(struct session *s, void *ctx);
static void watches_destroy(struct session *s, void *ctx);

/* The session's watches, made on first use; the session's hooks end them. */
static struct watches *
registry(struct session *s)
{
	if (s->watches == NULL) {
		s->watches = xcalloc(1, sizeof(*s->watches));
		pthread_mutex_init(&s->watches->mu, NULL);
		pthread_cond_init(&s->watches->cv, NULL);
		session_add_hook(s, SESSION_BEFORE_CLOSE, watches_quiesce, NULL);
		session_add_hook(s, SESSION_CLOSED, watches_session_closed, NULL);
		session_add_hook(s, SESSION_FREE, watches_destroy, NULL);
	}
	return s->watches;
}

static int
arm_visit(void *ctx, const struct walk_node *n)
{
	struct pwatch *pw = ctx;
	struct watches *w = registry_of(pw);

	pthread_mutex_lock(&w->mu);
	merge(pw, n->path, n->children, n->nchildren, n->stat, 0, 0);
	/* the walk set the child watch; the data watch is ours to set */
	if (n->depth > 0)
		arm(pw, n->path, ARM_EXISTS);
	if (w->bytes > budget_of(w))
		pw->over = 1;
	pthread_mutex_unlock(&w->mu);
	/* past the budget: stop, and watches_add takes it all back */
	return pw->over ? -1 : 0;
}

static int
arm_subtree(const struct zkctx *zc, struct pwatch *pw, struct walk_result *res)
{
	struct walk_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	o.max_depth = pw->recursive ? -1 : 0;
	rc = walk_zk_watch(zc, pw->root, &o, pw_watcher, pw, arm_visit, pw, res);
	return rc == ZNONODE ? ZOK : rc; /* deleted meanwhile: its exists watch reports it */
}

static void
removed_done(int rc, const void *data)
{
	struct watches *w = (struct watches *)data;

	(void)rc;
	pthread_mutex_lock(&w->mu);
	w->removing--;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void
remove_one(struct pwatch *pw, const char *path, void_completion_t *done)
{
	struct watches *w = registry_of(pw);

	if (zoo_aremove_watches(pw->zh, path, ZWATCHTYPE_ANY, pw_watcher, pw, 0, done, w) == ZOK)
		w->removing++;
}

/*
 * Wait (mutex held) for the server to confirm the removals: the client
 * leaks the bookkeeping of removals still unanswered when it closes.
 */
static void
wait_removed(struct session *s)
{
	struct watches *w = s->watches;
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += s->timeout_ms / 1000 + 1;
	while (w->removing > 0)
		if (pthread_cond_timedwait(&w->cv, &w->mu, &deadline) != 0)
			break;
}

static void
kill_watch(struct pwatch *pw)
{
	/* zookeeper.h types this argument void_completion_t * but calls it as the
	 * function itself: hand it the function under the type it asks for */
	union {
		void_completion_t fn;
		void_completion_t *as_declared;
	} done = {.fn = removed_done};

	pw->dead = 1;
	/* the server forgets the one-shot watches now, not when they fire */
	remove_one(pw, pw->root, done.as_declared);
	for (size_t i = 0; i < pw->nodes.size; i++)
		for (struct pnode *n = pw->nodes.tab[i]; n; n = n->next) {
			if (!is_root(pw, n->path))
				remove_one(pw, n->path, done.as_declared);
			/* children listed but not yet tracked: a walk stopped early
			 * (the budget) had already listed some of them with a watch */
			for (int k = 0; k < n->nkids; k++) {
				char child[ZKSH_PATH_MAX];

				path_join(n->path, n->kids[k], child, sizeof(child));
				if (find(pw, child) == NULL)
					remove_one(pw, child, done.as_declared);
			}
		}
	untrack_all(pw);
}

/* Wait (bounded by the session timeout) until no watch-setting request is in flight. */
static void
drain_arms(struct session *s)
{
	long long deadline = now_ms() + s->timeout_ms;

	while (__atomic_load_n(&s->watches->arms, __ATOMIC_SEQ_CST) > 0 && now_ms() < deadline)
		usleep(2000);
}

void
watches_set_budget(struct session *s, size_t bytes)
{
	struct watches *w = registry(s);

	pthread_mutex_lock(&w->mu);
	w->budget = bytes;
	pthread_mutex_unlock(&w->mu);
}

size_t
watches_budget(struct session *s, size_t *used)
{
	struct watches *w = registry(s);
	size_t b;

	pthread_mutex_lock(&w->mu);
	b = budget_of(w);
	if (used != NULL)
		*used = w->bytes;
	pthread_mutex_unlock(&w->mu);
	return b;
}

int
watches_add(const struct zkctx *zc, const char *path, int flags, int *id, struct walk_result *res)
{
	struct watches *w = registry(zc->sess);
	struct pwatch *pw = xcalloc(1, sizeof(*pw));
	struct walk_result scratch;
	struct Stat st;
	int rc;

	pw->root = xstrdup(path);
	pw->recursive = (flags & WATCH_RECURSIVE) != 0;
	pw->private_ = (flags & WATCH_PRIVATE) != 0;
	pw->want_data = (flags & WATCH_DATA) != 0;
	pw->sess = zc->sess;
	pw->zh = zc->sess->zh;
	pw->arming = 1;
	pthread_mutex_lock(&w->mu);
	pw->id = ++w->next_id;
	pw->next = w->list;
	w->list = pw;
	pthread_mutex_unlock(&w->mu);
	*id = pw->id;
	if (res == NULL)
		res = &scratch;
	memset(res, 0, sizeof(*res));
	rc = zoo_wexists(pw->zh, path, pw_watcher, pw, &st);
	if (rc == ZOK)
		rc = arm_subtree(zc, pw, res);
	else if (rc == ZNONODE)
		rc = ZOK; /* the exists watch reports its creation */
	pthread_mutex_lock(&w->mu);
	pw->arming = 0;
	if (rc == ZOK && pw->over)
		rc = WATCHES_OVER_BUDGET;
	if (rc != ZOK) {
		/*
		 * No half-armed watch: let the requests that set watches be
		 * answered (the client removes only watches it has registered,
		 * which it does with the answer), then remove every one.
		 */
		pw->dead = 1;
		pthread_mutex_unlock(&w->mu);
		drain_arms(zc->sess);
		pthread_mutex_lock(&w->mu);
		kill_watch(pw);
		wait_removed(zc->sess);
	}
	pthread_mutex_unlock(&w->mu);
	return rc;
}

int
watches_remove_path(struct session *s, const char *path)
{
	int removed = 0;

	if (s->watches == NULL)
		return 0;
	pthread_mutex_lock(&s->watches->mu);
	for (struct pwatch *pw = s->watches->list; pw; pw = pw->next) {
		if (pw->dead || pw->private_ || strcmp(pw->root, path) != 0)
			continue;
		kill_watch(pw);
		emit(pw, ZKSH_PERSISTENT_WATCH_REMOVED_EVENT, path);
		removed++;
	}
	wait_removed(s);
	pthread_mutex_unlock(&s->watches->mu);
	return removed;
}

void
watches_remove_id(struct session *s, int id)
{
	if (s->watches == NULL)
		return;
	pthread_mutex_lock(&s->watches->mu);
	for (struct pwatch *pw = s->watches->list; pw; pw = pw->next)
		if (pw->id == id && !pw->dead)
			kill_watch(pw);
	wait_removed(s);
	pthread_mutex_unlock(&s->watches->mu);
}

static int
covers(const struct pwatch *pw, const char *path, int type)
{
	size_t n = strlen(pw->root);

	if (pw->dead || pw->private_)
		return 0;
	if (strcmp(pw->root, path) == 0)
		return pw->recursive ? type != ZOO_CHILD_EVENT : 1;
	if (!pw->recursive || type == ZOO_CHILD_EVENT)
		return 0;
	return strncmp(path, pw->root, n) == 0 && (path[n] == '/' || n == 1);
}

static int
one_shot_change(int type)
{
	return type == ZOO_CREATED_EVENT || type == ZOO_DELETED_EVENT ||
	       type == ZOO_CHANGED_EVENT || type == ZOO_CHILD_EVENT;
}

int
watches_on_event(struct session *s, const struct zk_event *e)
{
	struct watches *w = s->watches;
	int show = 1;

	if (w == NULL)
		return 1;
	pthread_mutex_lock(&w->mu);
	for (struct pwatch *pw = w->list; pw; pw = pw->next) {
		if (e->wid != 0 && pw->id == e->wid)
			show = !pw->private_;
		else if (e->wid == 0 && e->path != NULL && one_shot_change(e->type) &&
			 covers(pw, e->path, e->type))
			show = 0;
	}
	pthread_mutex_unlock(&w->mu);
	return show;
}

/*
 * Before the handle closes: set no new watches and let the requests that
 * set them be answered (bounded), because the C client leaks the
 * bookkeeping of requests still unanswered when it closes.
 */
static void
watches_quiesce(struct session *s, void *ctx)
{
	struct watches *w = s->watches;
	long long deadline = now_ms() + (s->timeout_ms < 2000 ? s->timeout_ms : 2000);

	(void)ctx;
	if (w == NULL)
		return;
	__atomic_store_n(&w->closing, 1, __ATOMIC_SEQ_CST);
	while (now_ms() < deadline) {
		int removing;

		pthread_mutex_lock(&w->mu);
		removing = w->removing;
		pthread_mutex_unlock(&w->mu);
		if (removing <= 0 && __atomic_load_n(&w->arms, __ATOMIC_SEQ_CST) <= 0)
			break;
		usleep(5000);
	}
}

/* After zookeeper_close no callback can run: everything can go. */
static void
watches_session_closed(struct session *s, void *ctx)
{
	struct pwatch *pw, *next;

	(void)ctx;
	if (s->watches == NULL)
		return;
	pthread_mutex_lock(&s->watches->mu);
	for (pw = s->watches->list; pw; pw = next) {
		next = pw->next;
		pathset_clear(&pw->nodes);
		free(pw->root);
		free(pw);
	}
	s->watches->list = NULL;
	s->watches->removing = 0; /* the close answered them all */
	s->watches->bytes = 0;
	s->watches->arms = 0;
	__atomic_store_n(&s->watches->closing, 0, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&s->watches->mu);
}

/* The session is being freed. */
static void
watches_destroy(struct session *s, void *ctx)
{
	if (s->watches == NULL)
		return;
	watches_session_closed(s, ctx);
	pthread_mutex_destroy(&s->watches->mu);
	pthread_cond_destroy(&s->watches->cv);
	free(s->watches);
	s->watches = NULL;
}
