/*
 * Emulated persistent watches (see watches.h for the scheme).
 *
 * Everything below runs with the registry's mutex held: the watcher and the
 * completions on the client's completion thread, watches_* on the main
 * thread. Only asynchronous client calls are made with the mutex held; they
 * queue a request and never wait for the completion thread.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "path.h"
#include "pathset.h"
#include "session.h"
#include "shell.h"
#include "util.h"
#include "walk.h"
#include "watches.h"

struct pwatch {
	int id;
	char *root;
	int recursive;
	int private_;
	int dead;   /* removed: its watches' last events are ignored */
	int arming; /* the first walk runs: what it finds is not news */
	int retry;  /* a request failed on a lost connection: re-arm on reconnect */
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
	int removing; /* remove-watches requests in flight */
	int arms;     /* watch-setting requests in flight (atomic) */
	int closing;  /* the handle is about to close: set no new watches (atomic) */
};

enum arm_kind { ARM_EXISTS, ARM_KIDS };

struct arm {
	struct pwatch *pw;
	char path[];
};

static void pw_watcher(zhandle_t *zh, int type, int state, const char *path, void *ctx);

static struct pnode *
find(struct pwatch *pw, const char *path)
{
	return pathset_find(&pw->nodes, path);
}

/* ---- events and arming ------------------------------------------------- */

static void
emit(struct pwatch *pw, int type, const char *path)
{
	session_push_event(pw->sess, type, ZOO_CONNECTED_STATE, path, pw->id);
}

static int
lost(int rc)
{
	return rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT;
}

static struct arm *
arm_new(struct pwatch *pw, const char *path)
{
	struct arm *a = xmalloc(sizeof(*a) + strlen(path) + 1);

	a->pw = pw;
	strcpy(a->path, path);
	return a;
}

static struct watches *registry_of(struct pwatch *pw);
static void exists_done(int rc, const struct Stat *st, const void *data);
static void kids_done(int rc, const struct String_vector *v, const struct Stat *st,
		      const void *data);

/* Set an exists (data) watch, or a child watch, on path. */
static void
arm(struct pwatch *pw, const char *path, enum arm_kind kind)
{
	struct watches *w = registry_of(pw);
	struct arm *a;
	int rc;

	if (__atomic_load_n(&w->closing, __ATOMIC_SEQ_CST))
		return;
	a = arm_new(pw, path);
	__atomic_add_fetch(&w->arms, 1, __ATOMIC_SEQ_CST);
	if (kind == ARM_EXISTS)
		rc = zoo_awexists(pw->zh, path, pw_watcher, pw, exists_done, a);
	else
		rc = zoo_awget_children2(pw->zh, path, pw_watcher, pw, kids_done, a);
	if (rc != ZOK) {
		__atomic_sub_fetch(&w->arms, 1, __ATOMIC_SEQ_CST);
		free(a);
		if (lost(rc))
			pw->retry = 1;
	}
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
		pathset_remove(&pw->nodes, c);
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

/* A node below the root is gone: report it (once) with what was under it. */
static void
node_gone(struct pwatch *pw, const char *path)
{
	struct pnode *n = find(pw, path);

	if (n == NULL)
		return;
	forget_below(pw, n);
	pathset_remove(&pw->nodes, n);
	drop_kid(pw, path);
	emit(pw, ZOO_DELETED_EVENT, path);
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
		return pathset_insert(&pw->nodes, path);
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
merge(struct pwatch *pw, const char *path, char **names, int count, int32_t cversion, int announce,
      int arm_new_kids)
{
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
		node_gone(pw, child);
	}
	for (int i = 0; arm_new_kids && i < n->nkids; i++) {
		path_join(path, n->kids[i], child, sizeof(child));
		if (find(pw, child) != NULL || (old.listed && pnode_has_kid(&old, n->kids[i])))
			continue;
		pathset_insert(&pw->nodes, child);
		if (announce && (old.listed || !pw->arming))
			emit(pw, ZOO_CREATED_EVENT, child);
		arm(pw, child, ARM_EXISTS);
		arm(pw, child, ARM_KIDS);
	}
	pnode_free_kids(&old);
}

/* ---- callbacks (completion thread) ------------------------------------- */

static struct watches *
registry_of(struct pwatch *pw)
{
	return pw->sess->watches;
}

static void
exists_done(int rc, const struct Stat *st, const void *data)
{
	struct arm *a = (struct arm *)data;
	struct pwatch *pw = a->pw;
	struct watches *w = registry_of(pw);

	(void)st;
	pthread_mutex_lock(&w->mu);
	if (!pw->dead) {
		if (rc == ZNONODE && !is_root(pw, a->path))
			node_gone(pw, a->path);
		else if (lost(rc))
			pw->retry = 1;
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
	} else if (rc == ZOK && pw->recursive) {
		merge(pw, a->path, v ? v->data : NULL, v ? v->count : 0, st->cversion, 1, 1);
	} else if (rc == ZNONODE && pw->recursive) {
		struct pnode *n = find(pw, a->path);
		if (is_root(pw, a->path) && n != NULL) {
			forget_below(pw, n); /* the root's own watch reports the root */
			pathset_remove(&pw->nodes, n);
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
	if (type == ZOO_CREATED_EVENT) {
		emit(pw, type, pw->root);
		arm(pw, pw->root, ARM_EXISTS);
		arm(pw, pw->root, ARM_KIDS);
	} else if (type == ZOO_DELETED_EVENT) {
		if (pw->recursive && (n = find(pw, pw->root)) != NULL) {
			forget_below(pw, n);
			pathset_remove(&pw->nodes, n);
		}
		emit(pw, type, pw->root);
		arm(pw, pw->root, ARM_EXISTS); /* to see it come back */
	} else if (type == ZOO_CHANGED_EVENT) {
		emit(pw, type, pw->root);
		arm(pw, pw->root, ARM_EXISTS);
	} else if (type == ZOO_CHILD_EVENT) {
		/* a recursive watch reports the children themselves instead */
		if (!pw->recursive)
			emit(pw, type, pw->root);
		arm(pw, pw->root, ARM_KIDS);
	}
}

static void
below_event(struct pwatch *pw, int type, const char *path)
{
	if (find(pw, path) == NULL)
		return; /* a watch left from before the node was forgotten */
	if (type == ZOO_DELETED_EVENT) {
		node_gone(pw, path);
	} else if (type == ZOO_CHANGED_EVENT) {
		emit(pw, type, path);
		arm(pw, path, ARM_EXISTS);
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

static struct watches *
registry(struct session *s)
{
	if (s->watches == NULL) {
		s->watches = xcalloc(1, sizeof(*s->watches));
		pthread_mutex_init(&s->watches->mu, NULL);
		pthread_cond_init(&s->watches->cv, NULL);
	}
	return s->watches;
}

static int
arm_visit(void *ctx, const struct walk_node *n)
{
	struct pwatch *pw = ctx;
	struct watches *w = registry_of(pw);

	pthread_mutex_lock(&w->mu);
	merge(pw, n->path, n->children, n->nchildren, n->stat->cversion, 0, 0);
	/* the walk set the child watch; the data watch is ours to set */
	if (n->depth > 0)
		arm(pw, n->path, ARM_EXISTS);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

static int
arm_subtree(struct shell *sh, struct pwatch *pw, struct walk_result *res)
{
	struct walk_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	o.max_depth = pw->recursive ? -1 : 0;
	rc = walk_tree_watch(sh, pw->root, &o, pw_watcher, pw, arm_visit, pw, res);
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
		for (struct pnode *n = pw->nodes.tab[i]; n; n = n->next)
			if (!is_root(pw, n->path))
				remove_one(pw, n->path, done.as_declared);
	pathset_clear(&pw->nodes);
}

int
watches_add(struct shell *sh, const char *path, int recursive, int private_, int *id,
	    struct walk_result *res)
{
	struct watches *w = registry(sh->sess);
	struct pwatch *pw = xcalloc(1, sizeof(*pw));
	struct walk_result scratch;
	struct Stat st;
	int rc;

	pw->root = xstrdup(path);
	pw->recursive = recursive;
	pw->private_ = private_;
	pw->sess = sh->sess;
	pw->zh = sh->sess->zh;
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
		rc = arm_subtree(sh, pw, res);
	else if (rc == ZNONODE)
		rc = ZOK; /* the exists watch reports its creation */
	pthread_mutex_lock(&w->mu);
	pw->arming = 0;
	if (rc != ZOK) {
		kill_watch(pw);
		wait_removed(sh->sess);
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
watches_on_event(struct shell *sh, const struct zk_event *e)
{
	struct watches *w = sh->sess->watches;
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
void
watches_quiesce(struct session *s)
{
	struct watches *w = s->watches;
	long long deadline = now_ms() + (s->timeout_ms < 2000 ? s->timeout_ms : 2000);

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
void
watches_session_closed(struct session *s)
{
	struct pwatch *pw, *next;

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
	s->watches->arms = 0;
	__atomic_store_n(&s->watches->closing, 0, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&s->watches->mu);
}

void
watches_destroy(struct session *s)
{
	if (s->watches == NULL)
		return;
	watches_session_closed(s);
	pthread_mutex_destroy(&s->watches->mu);
	pthread_cond_destroy(&s->watches->cv);
	free(s->watches);
	s->watches = NULL;
}
