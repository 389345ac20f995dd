#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zk/path.h"
#include "zk/session.h"
#include "util.h"
#include "zk/walk.h"

struct walk;

struct slot {
	char *path;
	int depth;
	int issued;
	int pending; /* answers still to come */
	int rc;
	char **kids;
	int nkids;
	struct Stat stat;
	char *data;
	int datalen;
	int data_rc;
	struct walk *w;
};

struct walk {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int inflight;	     /* slots with answers outstanding */
	int low;	     /* wake the walker once no more than this many are out */
	int unseen;	     /* answers since the walker last woke */
	struct slot **stack; /* top is the next node in pre-order */
	size_t n, cap;
	watcher_fn watcher; /* walk_tree_watch: watches to set, else NULL */
	void *watcher_ctx;
	long long last_answer; /* now_ms() of the last answer (or of the start) */
};

/* After Ctrl-C or an error: how long answers in flight are waited for. */
#define WALK_GRACE_MS 100
/* Answers that wake the walker (or fewer, once half the window is back). */
#define WALK_WAKE_EVERY 64

static void
slot_free(struct slot *s)
{
	for (int i = 0; i < s->nkids; i++)
		free(s->kids[i]);
	free(s->kids);
	free(s->data);
	free(s->path);
	free(s);
}

static void
slot_answered(struct slot *s)
{
	struct walk *w = s->w;

	w->last_answer = now_ms();
	if (--s->pending == 0) {
		w->inflight--;
		/*
		 * The walker is woken in bursts: it then visits what came and
		 * refills the window in one go, instead of a thread switch for
		 * every answer (the server answers in order, so each answer
		 * would be the one it waits for).
		 */
		if (++w->unseen >= WALK_WAKE_EVERY || w->inflight <= w->low)
			pthread_cond_broadcast(&w->cv);
	}
}

/* Completion thread. */
static void
children_done(int rc, const struct String_vector *v, const struct Stat *st, const void *data)
{
	struct slot *s = (struct slot *)data;
	struct walk *w = s->w;

	pthread_mutex_lock(&w->mu);
	s->rc = rc;
	if (rc == ZOK) {
		s->stat = *st;
		s->nkids = v ? v->count : 0;
		s->kids = xcalloc((size_t)s->nkids + 1, sizeof(char *));
		for (int i = 0; i < s->nkids; i++)
			s->kids[i] = xstrdup(v->data[i]);
	}
	slot_answered(s);
	pthread_mutex_unlock(&w->mu);
}

/* Completion thread. */
static void
data_done(int rc, const char *value, int len, const struct Stat *st, const void *data)
{
	struct slot *s = (struct slot *)data;
	struct walk *w = s->w;

	(void)st;
	pthread_mutex_lock(&w->mu);
	s->data_rc = rc;
	if (rc == ZOK) {
		s->datalen = len;
		if (len >= 0)
			s->data = xstrndup(value ? value : "", (size_t)len);
	}
	slot_answered(s);
	pthread_mutex_unlock(&w->mu);
}

static void
push(struct walk *w, char *path, int depth)
{
	struct slot *s = xcalloc(1, sizeof(*s));

	s->path = path;
	s->depth = depth;
	s->w = w;
	s->datalen = -1;
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->stack = xrealloc(w->stack, w->cap * sizeof(*w->stack));
	}
	w->stack[w->n++] = s;
}

static int
send_children(zhandle_t *zh, const struct walk *w, struct slot *s)
{
	if (w->watcher != NULL)
		return zoo_awget_children2(zh, s->path, w->watcher, w->watcher_ctx, children_done,
					   s);
	return zoo_aget_children2(zh, s->path, 0, children_done, s);
}

static int
send_data(zhandle_t *zh, const struct walk *w, struct slot *s)
{
	if (w->watcher != NULL)
		return zoo_awget(zh, s->path, w->watcher, w->watcher_ctx, data_done, s);
	return zoo_aget(zh, s->path, 0, data_done, s);
}

/*
 * The connection went while the request was out, or the client gave up on
 * a silent server (OperationTimeout, its receive timeout): the answer never
 * came. stalled() ends the walk when no member answers within the deadline.
 */
static int
gone(int rc)
{
	return rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT;
}

static int
lost(const struct slot *s, int want_data)
{
	return gone(s->rc) || (want_data && gone(s->data_rc));
}

/* A walk's reads are idempotent: a lost one is simply sent again. */
static void
reset(struct slot *s)
{
	for (int i = 0; i < s->nkids; i++)
		free(s->kids[i]);
	free(s->kids);
	free(s->data);
	s->kids = NULL;
	s->nkids = 0;
	s->data = NULL;
	s->datalen = -1;
	s->rc = s->data_rc = ZOK;
	s->issued = 0;
}

/* Send requests for the next nodes in pre-order until the window is full. */
static void
issue(struct walk *w, zhandle_t *zh, int window, const struct walk_opts *o)
{
	int want_data = o->want_data;

	for (size_t i = w->n; i-- > 0 && w->inflight < window;) {
		struct slot *s = w->stack[i];
		int rc;

		if (s->issued && s->pending == 0 && lost(s, want_data))
			reset(s);
		if (s->issued)
			continue;
		s->issued = 1;
		s->pending = want_data ? 2 : 1;
		/* the deadline counts from when the walk starts to wait */
		if (w->inflight++ == 0)
			w->last_answer = now_ms();
		/* the completion may run before zoo_a* returns: hold the lock */
		rc = send_children(zh, w, s);
		if (rc != ZOK) {
			s->rc = rc;
			slot_answered(s);
			if (want_data) {
				s->data_rc = rc;
				slot_answered(s);
			}
			continue;
		}
		if (want_data && (rc = send_data(zh, w, s)) != ZOK) {
			s->data_rc = rc;
			slot_answered(s);
		}
	}
}

/* Sleep until an answer arrives (or 100 ms pass, to notice Ctrl-C). */
static void
wait_answer(struct walk *w)
{
	cond_wait_ms(&w->cv, &w->mu, 100);
	w->unseen = 0;
}

static void
note_failure(struct walk_result *res, const struct slot *s, int rc)
{
	if (res->failed++ == 0) {
		res->first_rc = rc;
		path_shorten(s->path, res->first_path, sizeof(res->first_path));
	}
}

/* Hand the top node to the visitor and push its children. Returns -1 to stop. */
static int
visit_top(struct walk *w, struct slot *s, const struct walk_opts *o, walk_visit fn, void *ctx,
	  struct walk_result *res)
{
	struct walk_node n;
	int r;

	sort_strings(s->kids, s->nkids);
	n.path = s->path;
	n.depth = s->depth;
	n.children = s->kids;
	n.nchildren = s->nkids;
	n.stat = &s->stat;
	n.data = s->data;
	n.datalen = s->datalen;
	res->visited++;
	pthread_mutex_unlock(&w->mu);
	r = fn(ctx, &n);
	pthread_mutex_lock(&w->mu);
	if (r < 0)
		return -1;
	if (r == 1 || (o->max_depth >= 0 && s->depth >= o->max_depth))
		return 0;
	/* paths are as long as ZooKeeper lets them be: no fixed buffer here */
	for (int i = s->nkids; i-- > 0;)
		push(w, path_join_alloc(s->path, s->kids[i]), s->depth + 1);
	return 0;
}

static void
walk_free(struct walk *w)
{
	for (size_t i = 0; i < w->n; i++)
		slot_free(w->stack[i]);
	free(w->stack);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}

static void
walk_free_orphan(void *w)
{
	walk_free(w);
}

/*
 * Let every answer in flight arrive (they point into our slots), then free.
 * If answers are still missing after wait_ms (Ctrl-C, a silent server), the
 * walk is freed once the handle has closed.
 * Called with w->mu held; releases it.
 */
static void
finish(struct session *ss, struct walk *w, int wait_ms)
{
	long long deadline = now_ms() + wait_ms;
	int out;

	while (w->inflight > 0 && now_ms() < deadline)
		wait_answer(w);
	out = w->inflight;
	pthread_mutex_unlock(&w->mu);
	if (out > 0)
		session_free_after_close(ss, walk_free_orphan, w);
	else
		walk_free(w);
}

int
walk_zk(const struct zkctx *zc, const char *root, const struct walk_opts *o, walk_visit fn,
	void *ctx, struct walk_result *res)
{
	return walk_zk_watch(zc, root, o, NULL, NULL, fn, ctx, res);
}

int
walk_deadline_ms(struct session *ss)
{
	int t = ss->zh != NULL ? zoo_recv_timeout(ss->zh) : 0;

	return t > 0 ? t : ss->timeout_ms;
}

/* Why the walk cannot go on, or ZOK: the session, the deadline, Ctrl-C. */
static int
stalled(const struct zkctx *zc, struct walk *w, struct walk_result *res)
{
	struct session *ss = zc->sess;
	int st = session_state(ss);

	if (zc->stop != NULL && *zc->stop) {
		res->interrupted = 1;
		return ZOK;
	}
	if (st == ZOO_EXPIRED_SESSION_STATE)
		return ZSESSIONEXPIRED;
	if (st == ZOO_AUTH_FAILED_STATE)
		return ZAUTHFAILED;
	/* no member answered within the session timeout: the session is as good as gone */
	if (now_ms() - w->last_answer > walk_deadline_ms(ss))
		return ZOPERATIONTIMEOUT;
	return ZOK;
}

/* The node the walk was waiting for, for the message. */
static void
note_stuck(struct walk *w, struct walk_result *res)
{
	for (size_t i = w->n; i-- > 0;) {
		if (w->stack[i]->issued) {
			path_shorten(w->stack[i]->path, res->stuck_path, sizeof(res->stuck_path));
			return;
		}
	}
}

int
walk_zk_watch(const struct zkctx *zc, const char *root, const struct walk_opts *o,
	      watcher_fn watcher, void *watcher_ctx, walk_visit fn, void *ctx,
	      struct walk_result *res)
{
	struct walk *w = xcalloc(1, sizeof(*w));
	zhandle_t *zh = zc->sess->zh;
	int window = o->window > 0 ? o->window : zc->window;
	int root_rc = ZOK;

	memset(res, 0, sizeof(*res));
	w->watcher = watcher;
	w->watcher_ctx = watcher_ctx;
	w->last_answer = now_ms();
	w->low = window / 2;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	pthread_mutex_lock(&w->mu);
	push(w, xstrdup(root), 0);
	while (w->n > 0) {
		struct slot *s;
		int rc, depth;

		if (zc->stop != NULL && *zc->stop) {
			res->interrupted = 1;
			break;
		}
		/* while the client fails over, requests would only come back lost */
		if (session_connected(zc->sess))
			issue(w, zh, window, o);
		s = w->stack[w->n - 1];
		if (!s->issued || s->pending > 0 || lost(s, o->want_data)) {
			if ((rc = stalled(zc, w, res)) != ZOK || res->interrupted) {
				note_stuck(w, res);
				root_rc = rc;
				break;
			}
			wait_answer(w);
			continue;
		}
		w->n--;
		depth = s->depth;
		rc = s->rc != ZOK ? s->rc : (o->want_data ? s->data_rc : ZOK);
		if (rc == ZOK) {
			rc = visit_top(w, s, o, fn, ctx, res);
			slot_free(s);
			if (rc < 0)
				break;
			continue;
		}
		if (depth > 0 && rc == ZNONODE)
			res->vanished++;
		else if (depth > 0)
			note_failure(res, s, rc);
		if (rc == ZSESSIONEXPIRED || rc == ZINVALIDSTATE || rc == ZCLOSING ||
		    rc == ZAUTHFAILED)
			path_shorten(s->path, res->stuck_path, sizeof(res->stuck_path));
		slot_free(s);
		if (depth == 0 || rc == ZSESSIONEXPIRED || rc == ZINVALIDSTATE || rc == ZCLOSING ||
		    rc == ZAUTHFAILED) {
			root_rc = rc;
			break;
		}
	}
	/*
	 * Answers still out are waited for briefly after Ctrl-C or an error,
	 * within the deadline otherwise; then the walk waits for the handle to close.
	 */
	finish(zc->sess, w,
	       root_rc == ZOK && !res->interrupted ? walk_deadline_ms(zc->sess) : WALK_GRACE_MS);
	return root_rc;
}
