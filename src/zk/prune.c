#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zookeeper/zookeeper.h>

#include "util.h"
#include "zk/engine.h"
#include "zk/path.h"
#include "zk/prune.h"
#include "zk/session.h"
#include "zk/walk.h"

/* After Ctrl-C or an error: how long answers in flight are waited for. */
#define PRUNE_GRACE_MS 100
/* A node found with new children after it was emptied is emptied again this often. */
#define PRUNE_RELISTS 3

enum req { REQ_LIST, REQ_DELETE };

struct prune;

/* A node whose children are being deleted. */
struct pdir {
	struct pdir *next;   /* every pdir of the run, freed at its end */
	struct pdir *parent; /* NULL: the root */
	char *path;
	long pending; /* children not yet deleted or given up on */
	int failed;   /* a child stays, so this node stays too */
	int keep;     /* the root of deleteall /: emptied, never deleted */
	int relists;
};

/* A node to list or to delete. */
struct item {
	struct item *next;
	struct item *oprev, *onext; /* in p->out_items while a request is out */
	struct prune *p;
	struct pdir *parent; /* NULL: the root */
	char *path;
	enum req req; /* what is (or was last) in flight for it */
	int relists;
	int read_rc; /* its listing failed (NoAuth): a delete decides */
	int rc;	     /* the answer */
	char **kids;
	int nkids;
};

/* One multi() of deletes. */
struct batch {
	struct batch *next;
	struct batch *oprev, *onext; /* in p->out_batches while it is out */
	struct prune *p;
	struct item **items;
	int n;
	int optimistic; /* its nodes were not listed: one may have children */
	int rc;
	zoo_op_result_t *results;
};

struct queue {
	struct item *head, *tail;
	size_t n, bytes;
};

struct prune {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* shared with the completion thread, under mu */
	struct item *done_items;
	struct batch *done_batches;
	int inflight;	    /* reads and single deletes */
	int inflight_lists; /* of which reads */
	int inflight_multi;
	long long last_answer; /* now_ms() of the last answer (or of the start) */
	/* what requests still out point to: freed with the run even if their
	 * answers never come (the library can drop them at close, tests/lsan.supp) */
	struct item *out_items;
	struct batch *out_batches;
	/* the driver's own (it holds mu throughout, but for its waits) */
	const struct prune_opts *o;
	struct eng *tally;
	struct item *lists; /* to list; a stack, so the frontier stays narrow */
	struct queue dels;  /* to delete one by one */
	struct queue opt;   /* to delete in multis before listing them */
	struct queue conf;  /* leaves and emptied nodes, to delete in multis */
	struct batch *lost; /* multis whose answer the connection took along */
	struct pdir *dirs;  /* every pdir made */
	long deleted;
	int root_done;
};

static size_t
op_cost(const char *path)
{
	return strlen(path) + 32;
}

static struct item *
item_new(struct prune *p, struct pdir *parent, char *path)
{
	struct item *it = xcalloc(1, sizeof(*it));

	it->p = p;
	it->parent = parent;
	it->path = path;
	return it;
}

static void
item_kids_free(struct item *it)
{
	for (int i = 0; i < it->nkids; i++)
		free(it->kids[i]);
	free(it->kids);
	it->kids = NULL;
	it->nkids = 0;
}

static void
item_free(struct item *it)
{
	item_kids_free(it);
	free(it->path);
	free(it);
}

static void
q_push(struct queue *q, struct item *it)
{
	it->next = NULL;
	if (q->tail != NULL)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->n++;
	q->bytes += op_cost(it->path);
}

static struct item *
q_pop(struct queue *q)
{
	struct item *it = q->head;

	if (it == NULL)
		return NULL;
	q->head = it->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->n--;
	q->bytes -= op_cost(it->path);
	it->next = NULL;
	return it;
}

static void
q_free(struct queue *q)
{
	struct item *it;

	while ((it = q_pop(q)) != NULL)
		item_free(it);
}

static void
push_list(struct prune *p, struct item *it)
{
	item_kids_free(it);
	it->next = p->lists;
	p->lists = it;
}

/* ---- completion thread ------------------------------------------------ */

/* Called with p->mu held. */
static void
item_answered(struct item *it)
{
	struct prune *p = it->p;

	if (it->oprev != NULL)
		it->oprev->onext = it->onext;
	else
		p->out_items = it->onext;
	if (it->onext != NULL)
		it->onext->oprev = it->oprev;
	it->oprev = it->onext = NULL;
	p->last_answer = now_ms();
	p->inflight--;
	if (it->req == REQ_LIST)
		p->inflight_lists--;
	it->next = p->done_items;
	p->done_items = it;
	pthread_cond_broadcast(&p->cv);
}

static void
list_done(int rc, const struct String_vector *v, const void *data)
{
	struct item *it = (struct item *)data;
	struct prune *p = it->p;

	pthread_mutex_lock(&p->mu);
	it->rc = rc;
	if (rc == ZOK && v != NULL && v->count > 0) {
		it->nkids = v->count;
		it->kids = xcalloc((size_t)v->count, sizeof(char *));
		for (int i = 0; i < v->count; i++)
			it->kids[i] = xstrdup(v->data[i]);
	}
	item_answered(it);
	pthread_mutex_unlock(&p->mu);
}

static void
delete_done(int rc, const void *data)
{
	struct item *it = (struct item *)data;
	struct prune *p = it->p;

	pthread_mutex_lock(&p->mu);
	it->rc = rc;
	item_answered(it);
	pthread_mutex_unlock(&p->mu);
}

/* Called with p->mu held. */
static void
batch_answered(struct batch *b, int rc)
{
	struct prune *p = b->p;

	if (b->oprev != NULL)
		b->oprev->onext = b->onext;
	else
		p->out_batches = b->onext;
	if (b->onext != NULL)
		b->onext->oprev = b->oprev;
	b->oprev = b->onext = NULL;
	b->rc = rc;
	p->last_answer = now_ms();
	p->inflight_multi--;
	b->next = p->done_batches;
	p->done_batches = b;
	pthread_cond_broadcast(&p->cv);
}

static void
multi_done(int rc, const void *data)
{
	struct batch *b = (struct batch *)data;
	struct prune *p = b->p;

	pthread_mutex_lock(&p->mu);
	batch_answered(b, rc);
	pthread_mutex_unlock(&p->mu);
}

/* ---- sending (driver, p->mu held: a completion may run before zoo_a* returns) */

/* The library calls alone: these allocate nothing of zksh's (tests/lsan.supp). */
static int
prune_send_list(zhandle_t *zh, struct item *it)
{
	return zoo_aget_children(zh, it->path, 0, list_done, it);
}

static int
prune_send_delete(zhandle_t *zh, struct item *it)
{
	return zoo_adelete(zh, it->path, -1, delete_done, it);
}

static void
started(struct prune *p)
{
	/* the deadline counts from when the run starts to wait */
	if (p->inflight + p->inflight_multi == 0)
		p->last_answer = now_ms();
}

static void
send_item(struct prune *p, zhandle_t *zh, struct item *it, enum req req)
{
	int rc;

	started(p);
	it->req = req;
	it->oprev = NULL;
	it->onext = p->out_items;
	if (p->out_items != NULL)
		p->out_items->oprev = it;
	p->out_items = it;
	p->inflight++;
	if (req == REQ_LIST)
		p->inflight_lists++;
	rc = req == REQ_LIST ? prune_send_list(zh, it) : prune_send_delete(zh, it);
	if (rc != ZOK) {
		it->rc = rc;
		item_answered(it);
	}
}

static void
send_batch(struct prune *p, zhandle_t *zh, struct batch *b)
{
	zoo_op_t *ops = xcalloc((size_t)b->n, sizeof(*ops));
	int rc;

	for (int i = 0; i < b->n; i++)
		zoo_delete_op_init(&ops[i], b->items[i]->path, -1);
	free(b->results);
	b->results = xcalloc((size_t)b->n, sizeof(*b->results));
	started(p);
	b->oprev = NULL;
	b->onext = p->out_batches;
	if (p->out_batches != NULL)
		p->out_batches->oprev = b;
	p->out_batches = b;
	p->inflight_multi++;
	/* the request is serialised here: ops may go, results must stay */
	rc = zoo_amulti(zh, b->n, ops, b->results, multi_done, b);
	free(ops);
	if (rc != ZOK)
		batch_answered(b, rc);
}

/* Up to a batch's worth of q's nodes, as one multi(). */
static void
send_from(struct prune *p, zhandle_t *zh, struct queue *q, int optimistic)
{
	struct batch *b = xcalloc(1, sizeof(*b));
	size_t bytes = 0;
	int cap = p->o->batch;

	b->p = p;
	b->optimistic = optimistic;
	b->items = xcalloc((size_t)cap, sizeof(*b->items));
	while (q->head != NULL && b->n < cap) {
		size_t cost = op_cost(q->head->path);

		if (b->n > 0 && bytes + cost > p->o->max_bytes)
			break;
		bytes += cost;
		b->items[b->n++] = q_pop(q);
	}
	send_batch(p, zh, b);
}

static int
full(const struct prune *p, const struct queue *q)
{
	return q->n >= (size_t)p->o->batch || q->bytes >= p->o->max_bytes;
}

static void
issue(struct prune *p, zhandle_t *zh, int window, int mwindow)
{
	while (p->lost != NULL && p->inflight_multi < mwindow) {
		struct batch *b = p->lost;

		p->lost = b->next;
		send_batch(p, zh, b);
	}
	while (p->inflight < window && (p->dels.head != NULL || p->lists != NULL)) {
		struct item *it;

		if ((it = q_pop(&p->dels)) != NULL) {
			send_item(p, zh, it, REQ_DELETE);
			continue;
		}
		it = p->lists;
		p->lists = it->next;
		it->next = NULL;
		send_item(p, zh, it, REQ_LIST);
	}
	while (p->inflight_multi < mwindow && (full(p, &p->conf) || full(p, &p->opt)))
		send_from(p, zh, full(p, &p->conf) ? &p->conf : &p->opt, !full(p, &p->conf));
	/* what is left of a batch goes once no reading could add to it */
	if (p->lists != NULL || p->inflight_lists > 0)
		return;
	if (p->inflight_multi < mwindow && p->opt.head != NULL)
		send_from(p, zh, &p->opt, 1);
	/* emptied nodes come from answers to deletes: wait for those first */
	if (p->inflight_multi == 0 && p->inflight == 0 && p->dels.head == NULL && p->lost == NULL &&
	    p->conf.head != NULL)
		send_from(p, zh, &p->conf, 0);
}

/* ---- answers (driver) ------------------------------------------------- */

static int
answer_lost(int rc)
{
	return rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT || rc == ZSESSIONMOVED;
}

static int
fatal(int rc)
{
	return rc == ZSESSIONEXPIRED || rc == ZINVALIDSTATE || rc == ZCLOSING || rc == ZAUTHFAILED;
}

static void settle(struct prune *p, struct pdir *parent, int failed);

/* Every child of d is gone or given up on. */
static void
dir_done(struct prune *p, struct pdir *d)
{
	struct pdir *parent = d->parent;

	if (d->failed) {
		/* it still has a child: it stays, counted without a request */
		if (!d->keep)
			eng_count(p->tally, ZNOTEMPTY, d->path, 0, 1);
		settle(p, parent, 1);
	} else if (d->keep) {
		p->root_done = 1;
	} else {
		struct item *it = item_new(p, parent, d->path);

		d->path = NULL; /* the item's now */
		it->relists = d->relists;
		q_push(&p->conf, it);
	}
}

static void
settle(struct prune *p, struct pdir *parent, int failed)
{
	if (parent == NULL) {
		p->root_done = 1;
		return;
	}
	if (failed)
		parent->failed = 1;
	if (--parent->pending == 0)
		dir_done(p, parent);
}

/* A node is deleted (rc ZOK or NoNode) or given up on (its error). */
static void
deleted(struct prune *p, struct item *it, int rc)
{
	int ok = rc == ZOK || (rc == ZNONODE && p->tally->nonode_ok);

	eng_count(p->tally, rc, it->path, 0, 1);
	if (ok)
		p->deleted++;
	settle(p, it->parent, !ok);
	item_free(it);
}

static int
list_answer(struct prune *p, struct item *it, struct walk_result *res)
{
	const struct prune_opts *o = p->o;
	struct pdir *d;
	int rc = it->rc, optimistic;

	if (answer_lost(rc)) {
		push_list(p, it);
		return ZOK;
	}
	if (fatal(rc)) {
		path_shorten(it->path, res->stuck_path, sizeof(res->stuck_path));
		item_free(it);
		return rc;
	}
	if (it->parent == NULL && it->relists == 0 && rc != ZOK) {
		item_free(it); /* the root itself: NoNode, NoAuth... */
		return rc;
	}
	if (rc == ZNONODE) {
		/* gone meanwhile: nothing to delete */
		settle(p, it->parent, 0);
		item_free(it);
		return ZOK;
	}
	if (rc != ZOK) {
		/* not readable: deleting it tells whether it is a leaf */
		it->read_rc = rc;
		q_push(&p->dels, it);
		return ZOK;
	}
	if (it->nkids == 0) {
		/* a leaf: deleted in a multi() with others */
		if (it->parent == NULL && o->keep_root) {
			item_free(it);
			p->root_done = 1;
		} else {
			q_push(&p->conf, it);
		}
		return ZOK;
	}
	d = xcalloc(1, sizeof(*d));
	d->next = p->dirs;
	p->dirs = d;
	d->parent = it->parent;
	d->path = it->path;
	d->keep = it->parent == NULL && o->keep_root;
	d->relists = it->relists;
	optimistic = it->nkids >= PRUNE_OPTIMISTIC_MIN;
	for (int i = 0; i < it->nkids; i++) {
		struct item *c;

		if (d->keep && o->keep_name != NULL && strcmp(it->kids[i], o->keep_name) == 0)
			continue;
		c = item_new(p, d, path_join_alloc(d->path, it->kids[i]));
		d->pending++;
		if (optimistic)
			q_push(&p->opt, c);
		else
			push_list(p, c);
	}
	it->path = NULL; /* d's now */
	item_free(it);
	if (d->pending == 0)
		dir_done(p, d); /* / with only /zookeeper */
	return ZOK;
}

static int
delete_answer(struct prune *p, struct item *it, struct walk_result *res)
{
	int rc = it->rc;

	if (answer_lost(rc)) {
		/* sent again once the client is back: if it had applied, NoNode */
		q_push(&p->dels, it);
		return ZOK;
	}
	if (fatal(rc)) {
		path_shorten(it->path, res->stuck_path, sizeof(res->stuck_path));
		item_free(it);
		return rc;
	}
	if (rc == ZNOTEMPTY && it->read_rc == ZOK && it->relists < PRUNE_RELISTS) {
		/* children came meanwhile (or it was never listed): empty it first */
		it->relists++;
		push_list(p, it);
		return ZOK;
	}
	if (rc == ZNOTEMPTY && it->read_rc != ZOK)
		rc = it->read_rc; /* the cause: its children could not be read */
	deleted(p, it, rc);
	return ZOK;
}

/* The operation a failed multi() failed on, or -1. */
static int
failed_op(const struct batch *b)
{
	for (int i = 0; i < b->n; i++)
		if (b->results[i].err != ZOK && b->results[i].err != ZRUNTIMEINCONSISTENCY)
			return i;
	return -1;
}

static int
batch_answer(struct prune *p, struct batch *b, struct walk_result *res)
{
	int rc = b->rc, k;

	if (rc == ZOK) {
		for (int i = 0; i < b->n; i++)
			deleted(p, b->items[i], ZOK);
	} else if (answer_lost(rc)) {
		/* sent again; had it applied, it fails on NoNode and goes one by one */
		b->next = p->lost;
		p->lost = b;
		return ZOK;
	} else if (fatal(rc)) {
		path_shorten(b->items[0]->path, res->stuck_path, sizeof(res->stuck_path));
		for (int i = 0; i < b->n; i++)
			item_free(b->items[i]);
	} else if (b->optimistic && (k = failed_op(b)) >= 0 && b->results[k].err == ZNOTEMPTY) {
		/* nodes before k passed: leaves; k has children; the rest are listed */
		for (int i = 0; i < k; i++)
			q_push(&p->conf, b->items[i]);
		for (int i = b->n; i-- > k;)
			push_list(p, b->items[i]);
	} else {
		/* all or nothing: one by one, to learn which nodes stay and why */
		for (int i = 0; i < b->n; i++)
			q_push(&p->dels, b->items[i]);
	}
	if (!fatal(rc))
		rc = ZOK;
	free(b->items);
	free(b->results);
	free(b);
	return rc;
}

/* Take the answers that came in; ZOK or what ends the run. */
static int
take_answers(struct prune *p, struct walk_result *res)
{
	int rc = ZOK;

	while (p->done_items != NULL || p->done_batches != NULL) {
		struct item *items = p->done_items;
		struct batch *batches = p->done_batches;

		p->done_items = NULL;
		p->done_batches = NULL;
		while (items != NULL) {
			struct item *it = items;
			int r;

			items = it->next;
			it->next = NULL;
			if (rc != ZOK) {
				item_free(it);
				continue;
			}
			r = it->req == REQ_LIST ? list_answer(p, it, res)
						: delete_answer(p, it, res);
			if (r != ZOK)
				rc = r;
		}
		while (batches != NULL) {
			struct batch *b = batches;
			int r;

			batches = b->next;
			if (rc != ZOK) {
				for (int i = 0; i < b->n; i++)
					item_free(b->items[i]);
				free(b->items);
				free(b->results);
				free(b);
				continue;
			}
			if ((r = batch_answer(p, b, res)) != ZOK)
				rc = r;
		}
		if (rc != ZOK)
			break;
	}
	return rc;
}

/* ---- the run ---------------------------------------------------------- */

/* Sleep until an answer arrives (or 100 ms pass, to notice Ctrl-C). */
static void
wait_answer(struct prune *p)
{
	cond_wait_ms(&p->cv, &p->mu, 100);
}

/* Everything the driver holds; answers still out are not touched. */
static void
prune_free(struct prune *p)
{
	struct item *it;
	struct batch *b;

	q_free(&p->dels);
	q_free(&p->opt);
	q_free(&p->conf);
	while ((it = p->lists) != NULL) {
		p->lists = it->next;
		item_free(it);
	}
	while ((it = p->done_items) != NULL) {
		p->done_items = it->next;
		item_free(it);
	}
	while ((it = p->out_items) != NULL) {
		p->out_items = it->onext;
		item_free(it);
	}
	while ((b = p->lost) != NULL || (b = p->done_batches) != NULL ||
	       (b = p->out_batches) != NULL) {
		if (b == p->lost)
			p->lost = b->next;
		else if (b == p->done_batches)
			p->done_batches = b->next;
		else
			p->out_batches = b->onext;
		for (int i = 0; i < b->n; i++)
			item_free(b->items[i]);
		free(b->items);
		free(b->results);
		free(b);
	}
	while (p->dirs != NULL) {
		struct pdir *d = p->dirs;

		p->dirs = d->next;
		free(d->path);
		free(d);
	}
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}

static void
prune_free_orphan(void *p)
{
	prune_free(p);
}

/*
 * Let the answers in flight arrive (they point into the run), then free it;
 * if some are still out after wait_ms, once the handle has closed.
 * Called with p->mu held; releases it.
 */
static void
finish(struct session *ss, struct prune *p, int wait_ms)
{
	long long deadline = now_ms() + wait_ms;
	int out;

	while (p->inflight + p->inflight_multi > 0 && now_ms() < deadline)
		wait_answer(p);
	out = p->inflight + p->inflight_multi;
	pthread_mutex_unlock(&p->mu);
	if (out > 0)
		session_free_after_close(ss, prune_free_orphan, p);
	else
		prune_free(p);
}

/* What stops the run: the session, the deadline; ZOK to go on. */
static int
stalled(const struct zkctx *zc, struct prune *p)
{
	int st = session_state(zc->sess);

	if (st == ZOO_EXPIRED_SESSION_STATE)
		return ZSESSIONEXPIRED;
	if (st == ZOO_AUTH_FAILED_STATE)
		return ZAUTHFAILED;
	if (now_ms() - p->last_answer > walk_deadline_ms(zc->sess))
		return ZOPERATIONTIMEOUT;
	return ZOK;
}

/* A node the run waits for, for the message. */
static void
note_stuck(struct prune *p, struct walk_result *res, const char *root)
{
	const char *path = root;

	if (res->stuck_path[0] != '\0')
		return;
	if (p->lists != NULL)
		path = p->lists->path;
	else if (p->dels.head != NULL)
		path = p->dels.head->path;
	path_shorten(path, res->stuck_path, sizeof(res->stuck_path));
}

int
prune_zk(const struct zkctx *zc, const char *root, const struct prune_opts *o, struct eng *tally,
	 struct walk_result *res)
{
	struct prune *p = xcalloc(1, sizeof(*p));
	zhandle_t *zh = zc->sess->zh;
	int window = o->window > 0 ? o->window : zc->window;
	int mwindow = window / o->batch > 2 ? window / o->batch : 2;
	int rc = ZOK;

	memset(res, 0, sizeof(*res));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->o = o;
	p->tally = tally;
	p->last_answer = now_ms();
	pthread_mutex_lock(&p->mu);
	push_list(p, item_new(p, NULL, xstrdup(root)));
	for (;;) {
		if (zc->stop != NULL && *zc->stop) {
			res->interrupted = 1;
			break;
		}
		if ((rc = take_answers(p, res)) != ZOK || p->root_done)
			break;
		/* while the client fails over, requests would only come back lost */
		if (session_connected(zc->sess))
			issue(p, zh, window, mwindow);
		if (p->done_items != NULL || p->done_batches != NULL)
			continue; /* answered at once (a request that could not be sent) */
		if ((rc = stalled(zc, p)) != ZOK) {
			note_stuck(p, res, root);
			break;
		}
		wait_answer(p);
		if (o->tick != NULL) {
			long n = p->deleted;

			pthread_mutex_unlock(&p->mu);
			o->tick(o->tick_ctx, n);
			pthread_mutex_lock(&p->mu);
		}
	}
	finish(zc->sess, p,
	       rc == ZOK && !res->interrupted ? walk_deadline_ms(zc->sess) : PRUNE_GRACE_MS);
	return rc;
}
