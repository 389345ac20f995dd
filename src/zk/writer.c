#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zookeeper/zookeeper.h>

#include "zk/acl.h"
#include "zk/session.h"
#include "util.h"
#include "zk/writer.h"

/* A multi (or, plain, a single request) and what its answer needs. */
struct wbatch {
	struct writer *w;
	struct wop *ops;
	int n, cap;
	long bytes;
	int plain;  /* one op as a plain request */
	int losses; /* connections lost while this batch was in flight */
	zoo_op_t *zops;
	zoo_op_result_t *res;
	struct eng_wait done;
	struct wbatch *next;
};

enum outcome { APPLIED, NOT_APPLIED, UNKNOWN };

/* ---- ops and batches ------------------------------------------------------ */

long
wop_bytes(const struct wop *op)
{
	long n = 24 + (long)strlen(op->path); /* op header, path, version */

	switch (op->kind) {
	case WOP_CREATE:
		n += 12 + (op->len > 0 ? op->len : 0) + (long)strlen(op->path) + 16;
		for (int i = 0; i < op->acl.count; i++)
			n += 12 + (long)strlen(op->acl.data[i].id.scheme) +
			     (long)strlen(op->acl.data[i].id.id);
		break;
	case WOP_SET:
		n += 8 + (op->len > 0 ? op->len : 0) + 68; /* data, the stat answered */
		break;
	default:
		break;
	}
	return n;
}

void
wop_release(struct wop *op)
{
	free(op->path);
	free(op->data);
	free(op->created);
	if (op->own_acl)
		acl_free(&op->acl);
	memset(op, 0, sizeof(*op));
}

static struct wbatch *
batch_new(struct writer *w)
{
	struct wbatch *b = xcalloc(1, sizeof(*b));

	b->w = w;
	eng_wait_init(&b->done);
	return b;
}

static void
batch_push(struct wbatch *b, struct wop *op)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->ops = xrealloc(b->ops, (size_t)b->cap * sizeof(*b->ops));
	}
	b->ops[b->n++] = *op;
	b->bytes += op->bytes;
	memset(op, 0, sizeof(*op));
}

static void
batch_free(struct wbatch *b)
{
	if (b == NULL)
		return;
	for (int i = 0; i < b->n; i++)
		wop_release(&b->ops[i]);
	free(b->ops);
	free(b->zops);
	free(b->res);
	eng_wait_destroy(&b->done);
	free(b);
}

/* A new batch of ops[from..to) of b, moved out of b. */
static struct wbatch *
batch_slice(struct writer *w, struct wbatch *b, int from, int to)
{
	struct wbatch *nb = batch_new(w);

	for (int i = from; i < to; i++)
		batch_push(nb, &b->ops[i]);
	nb->plain = b->plain;
	return nb;
}

static long
first_line(const struct wbatch *b)
{
	return b->n > 0 ? b->ops[0].line : 0;
}

static long
last_line(const struct wbatch *b)
{
	return b->n > 0 ? b->ops[b->n - 1].line : 0;
}

/* ---- sending -------------------------------------------------------------- */

static void
batch_answered(struct wbatch *b, int rc)
{
	struct writer *w = b->w;

	eng_wait_done(&b->done, rc);
	eng_complete(&w->e, rc, NULL, 0, 0);
}

static void
multi_done(int rc, const void *data)
{
	batch_answered((struct wbatch *)data, rc);
}

static void
create_done(int rc, const char *value, const void *data)
{
	struct wbatch *b = (struct wbatch *)data;

	if (rc == ZOK && value != NULL)
		snprintf(b->ops[0].created, strlen(b->ops[0].path) + 16, "%s", value);
	batch_answered(b, rc);
}

static void
set_done(int rc, const struct Stat *st, const void *data)
{
	struct wbatch *b = (struct wbatch *)data;

	if (rc == ZOK && st != NULL)
		b->ops[0].st = *st;
	batch_answered(b, rc);
}

static int
send_plain(zhandle_t *zh, struct wbatch *b)
{
	struct wop *op = &b->ops[0];

	switch (op->kind) {
	case WOP_CREATE:
		return zoo_acreate(zh, op->path, op->data, op->len, &op->acl, op->mode, create_done,
				   b);
	case WOP_SET:
		return zoo_aset(zh, op->path, op->data, op->len, op->version, set_done, b);
	case WOP_DELETE:
		return zoo_adelete(zh, op->path, op->version, multi_done, b);
	default:
		break;
	}
	/* a check alone: a multi of one */
	b->plain = 0;
	return -1;
}

static int
send_multi(zhandle_t *zh, struct wbatch *b)
{
	b->zops = xrealloc(b->zops, (size_t)b->n * sizeof(*b->zops));
	b->res = xrealloc(b->res, (size_t)b->n * sizeof(*b->res));
	memset(b->res, 0, (size_t)b->n * sizeof(*b->res));
	for (int i = 0; i < b->n; i++) {
		struct wop *op = &b->ops[i];

		switch (op->kind) {
		case WOP_CREATE:
			zoo_create_op_init(&b->zops[i], op->path, op->data, op->len, &op->acl,
					   op->mode, op->created, (int)strlen(op->path) + 16);
			break;
		case WOP_SET:
			zoo_set_op_init(&b->zops[i], op->path, op->data, op->len, op->version,
					&op->st);
			break;
		case WOP_DELETE:
			zoo_delete_op_init(&b->zops[i], op->path, op->version);
			break;
		default:
			zoo_check_op_init(&b->zops[i], op->path, op->version);
			break;
		}
	}
	return zoo_amulti(zh, b->n, b->zops, b->res, multi_done, b);
}

/* Send b; when the client refuses it, b is answered at once with that rc. */
static void
batch_send(struct writer *w, struct wbatch *b)
{
	zhandle_t *zh = w->sess->zh;
	int rc = ZINVALIDSTATE;

	for (int i = 0; i < b->n; i++)
		if (b->ops[i].kind == WOP_CREATE && b->ops[i].created == NULL)
			b->ops[i].created = xcalloc(1, strlen(b->ops[i].path) + 16);
	eng_reserve(&w->e, -1); /* never full: the caller settles first */
	b->done.done = 0;
	if (zh != NULL) {
		rc = -1;
		if (b->plain && b->n == 1)
			rc = send_plain(zh, b);
		if (rc == -1)
			rc = send_multi(zh, b);
	}
	if (rc != ZOK)
		batch_answered(b, rc);
}

/* ---- settling ------------------------------------------------------------- */

static int
is_lost(int rc)
{
	return rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT || rc == ZSESSIONMOVED;
}

static int
is_fatal(int rc)
{
	return rc == ZSESSIONEXPIRED || rc == ZINVALIDSTATE || rc == ZCLOSING || rc == ZAUTHFAILED;
}

static void note(struct writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
note(struct writer *w, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->cb.note != NULL)
		w->cb.note(w->cb.ctx, msg);
}

static void
fail_op(struct writer *w, const struct wop *op, int rc)
{
	w->failed++;
	if (w->first_line == 0) {
		w->first_line = op->line;
		w->first_rc = rc;
	}
	if (w->cb.fail != NULL)
		w->cb.fail(w->cb.ctx, op, rc);
}

static void
commit_ok(struct writer *w, struct wbatch *b, int names_known)
{
	int ref_set = 0;

	for (int i = 0; i < b->n; i++) {
		struct wop *op = &b->ops[i];

		if (op->kind == WOP_CREATE && (!names_known || op->created[0] == '\0'))
			snprintf(op->created, strlen(op->path) + 16, "%s", op->path);
		if (op->kind == WOP_CREATE && names_known && !ref_set) {
			free(w->ref_path);
			w->ref_path = xstrdup(op->created);
			ref_set = 1;
		}
		if (op->kind == WOP_SET && names_known && op->st.mzxid > w->ref_zxid)
			w->ref_zxid = op->st.mzxid;
		w->ok++;
		if (op->line > w->last_acked)
			w->last_acked = op->line;
		if (w->cb.ok != NULL)
			w->cb.ok(w->cb.ctx, op);
	}
}

static void
report_unknown(struct writer *w, struct wbatch *b)
{
	if (first_line(b) == last_line(b))
		note(w, "line %ld: outcome unknown (connection lost)", first_line(b));
	else
		note(w, "lines %ld-%ld: outcome unknown (connection lost)", first_line(b),
		     last_line(b));
	w->unknown += b->n;
	if (w->first_line == 0) {
		w->first_line = first_line(b);
		w->first_rc = ZCONNECTIONLOSS;
	}
	if (!w->keep_going)
		w->stop = 1;
}

static void
sync_done(int rc, const char *value, const void *data)
{
	(void)value;
	eng_wait_done((struct eng_wait *)data, rc);
}

/*
 * After a ConnectionLoss: wait until the client reaches a member and a sync
 * through it succeeds (so that its reads see every committed write), within
 * the session timeout. 0, or the rc that ended the wait.
 */
static int
wait_member(struct writer *w)
{
	long long deadline = now_ms() + w->sess->timeout_ms;

	for (;;) {
		long long left = deadline - now_ms();
		struct eng_wait *sw;
		int rc;

		if (left <= 0)
			return ZCONNECTIONLOSS;
		rc = session_wait(w->sess, (int)left);
		if (rc != ZOK)
			return rc;
		if (w->sess->zh == NULL)
			return ZINVALIDSTATE;
		sw = xmalloc(sizeof(*sw));
		eng_wait_init(sw);
		rc = zoo_async(w->sess->zh, "/", sync_done, sw);
		if (rc == ZOK) {
			left = deadline - now_ms();
			rc = eng_wait_for(sw, left > 0 ? (int)left : 1);
			if (rc == ZOPERATIONTIMEOUT && !eng_wait_answered(sw))
				return ZCONNECTIONLOSS; /* sw stays: the answer may still come */
		}
		eng_wait_destroy(sw);
		free(sw);
		if (rc == ZOK)
			return ZOK;
		if (!is_lost(rc))
			return rc;
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
	}
}

/* 1 when a later op of b touches the same path as op i. */
static int
touched_later(const struct wbatch *b, int i)
{
	for (int j = i + 1; j < b->n; j++)
		if (b->ops[j].kind != WOP_CHECK && strcmp(b->ops[j].path, b->ops[i].path) == 0)
			return 1;
	return 0;
}

/*
 * Tell by reads whether b (a multi: all or nothing) was applied. A multi
 * commits under one zxid: every node it created exists with that czxid,
 * newer than a node the last acknowledged batch created; a set it applied
 * has that mzxid and the data written; a node it deleted is gone. Where the
 * reads cannot tell, UNKNOWN.
 */
static enum outcome
read_outcome(struct writer *w, struct wbatch *b)
{
	zhandle_t *zh = w->sess->zh;
	long long ref = w->ref_zxid, z = -1;
	int ncreate = 0, nexist = 0, mixed = 0, seq = 0;
	int ndel = 0, delthere = 0, nset = 0, setok = 0;
	struct Stat st;
	int rc;

	if (w->ref_path != NULL) {
		rc = zoo_exists(zh, w->ref_path, 0, &st);
		if (rc == ZOK && st.czxid > ref)
			ref = st.czxid;
		else if (rc != ZOK && rc != ZNONODE)
			return UNKNOWN;
	}
	for (int i = 0; i < b->n; i++) {
		const struct wop *op = &b->ops[i];

		if (op->kind == WOP_CREATE && (op->mode & ZOO_SEQUENCE)) {
			seq++;
			continue;
		}
		if (op->kind == WOP_CHECK || op->kind == WOP_SET || touched_later(b, i))
			continue;
		rc = zoo_exists(zh, op->path, 0, &st);
		if (rc != ZOK && rc != ZNONODE)
			return UNKNOWN;
		if (op->kind == WOP_CREATE) {
			ncreate++;
			if (rc == ZOK) {
				nexist++;
				if (z < 0)
					z = st.czxid;
				else if (z != st.czxid)
					mixed = 1;
			}
		} else {
			ndel++;
			delthere += rc == ZOK;
		}
	}
	for (int i = 0; i < b->n; i++) {
		const struct wop *op = &b->ops[i];
		char *buf;
		int len;

		if (op->kind != WOP_SET || touched_later(b, i))
			continue;
		nset++;
		len = op->len > 0 ? op->len : 1;
		buf = xmalloc((size_t)len);
		rc = zoo_get(zh, op->path, 0, buf, &len, &st);
		if (rc == ZOK && (z < 0 ? st.mzxid > ref : st.mzxid == z) &&
		    (op->len < 0 ? len < 0
				 : len == op->len && memcmp(buf, op->data, (size_t)len) == 0)) {
			setok++;
			if (z < 0 && ncreate == 0 && nset == 1)
				z = st.mzxid;
			else if (ncreate == 0 && st.mzxid != z)
				mixed = 1;
		}
		free(buf);
	}
	if (ncreate > 0 && nexist == ncreate && !mixed && z > ref && delthere == 0 && setok == nset)
		return seq ? UNKNOWN : APPLIED; /* the sequential names are not known */
	if (ncreate > 0 && nexist == 0 && (ndel == 0 || delthere == ndel))
		return NOT_APPLIED;
	if (ncreate == 0 && ndel > 0 && delthere == ndel)
		return NOT_APPLIED;
	if (ncreate == 0 && ndel == 0 && seq == 0 && nset > 0 && setok == nset && !mixed && ref > 0)
		return APPLIED;
	return UNKNOWN;
}

static void settle(struct writer *w, struct wbatch *b, int rc);

/* Send b and settle it before anything else (a re-sent part of a batch). */
static void
run_now(struct writer *w, struct wbatch *b)
{
	int rc;

	batch_send(w, b);
	rc = eng_wait_for(&b->done, w->wait_ms);
	if (rc == ZOPERATIONTIMEOUT && !eng_wait_answered(&b->done)) {
		w->fatal = 1;
		report_unknown(w, b);
		return; /* b stays: the client may still answer */
	}
	settle(w, b, rc);
}

static void
settle_lost(struct writer *w, struct wbatch *b, int rc)
{
	enum outcome o;

	if (w->fatal) {
		report_unknown(w, b);
		batch_free(b);
		return;
	}
	w->failovers++;
	rc = wait_member(w);
	if (rc != ZOK) {
		w->fatal = 1;
		note(w, "%s: no ZooKeeper member answered within the session timeout (%d ms)",
		     rc == ZSESSIONEXPIRED ? "session expired" : "connection lost",
		     w->sess->timeout_ms);
		report_unknown(w, b);
		batch_free(b);
		return;
	}
	o = read_outcome(w, b);
	if (o == APPLIED) {
		commit_ok(w, b, 0);
		batch_free(b);
	} else if (o == NOT_APPLIED && ++b->losses >= 2) {
		/*
		 * Twice sent, twice the connection dropped, never applied: the
		 * server itself closes it on this request (a request over its
		 * jute.maxbuffer does that). Sending it a third time would loop.
		 */
		w->fatal = 1;
		if (first_line(b) == last_line(b))
			note(w,
			     "line %ld was not applied: the server closed the connection each "
			     "time it was sent (a request over the server's jute.maxbuffer does "
			     "that); not sent again",
			     first_line(b));
		else
			note(w,
			     "lines %ld-%ld were not applied: the server closed the connection "
			     "each time they were sent (a request over the server's "
			     "jute.maxbuffer does that); not sent again",
			     first_line(b), last_line(b));
		for (int i = 0; i < b->n; i++)
			fail_op(w, &b->ops[i], ZCONNECTIONLOSS);
		batch_free(b);
	} else if (o == NOT_APPLIED) {
		run_now(w, b); /* known not applied: safe to send again */
	} else {
		report_unknown(w, b);
		batch_free(b);
	}
}

/* The index of the op that failed a multi, and its rc. */
static int
failing_op(const struct wbatch *b, int rc, int *oprc)
{
	for (int i = 0; i < b->n; i++) {
		int e = b->res[i].err;

		if (e != ZOK && e != ZRUNTIMEINCONSISTENCY) {
			*oprc = e;
			return i;
		}
	}
	*oprc = rc;
	return 0;
}

static void
settle(struct writer *w, struct wbatch *b, int rc)
{
	int f, frc;

	if (rc == ZOK) {
		commit_ok(w, b, 1);
		batch_free(b);
		return;
	}
	if (is_lost(rc)) {
		settle_lost(w, b, rc);
		return;
	}
	if (is_fatal(rc)) {
		w->fatal = 1;
		note(w, "%s", zerror(rc));
		report_unknown(w, b);
		batch_free(b);
		return;
	}
	f = b->plain || b->res == NULL ? 0 : failing_op(b, rc, &frc);
	if (b->plain || b->res == NULL)
		frc = rc;
	if (w->atomic) {
		fail_op(w, &b->ops[f], frc);
		w->dropped += b->n - 1;
		w->stop = 1;
		batch_free(b);
		return;
	}
	if (f > 0)
		run_now(w, batch_slice(w, b, 0, f));
	if (w->fatal || (w->stop && !w->keep_going)) {
		/* the lines before it did not go through after all: it never ran */
		w->dropped += b->n - f;
		batch_free(b);
		return;
	}
	fail_op(w, &b->ops[f], frc);
	if (w->keep_going && f + 1 < b->n)
		run_now(w, batch_slice(w, b, f + 1, b->n));
	else if (!w->keep_going) {
		w->dropped += b->n - f - 1;
		w->stop = 1;
	}
	batch_free(b);
}

/* Settle the oldest batch in flight. */
static void
settle_head(struct writer *w)
{
	struct wbatch *b = w->head;
	int rc;

	w->head = b->next;
	w->nlist--;
	if (w->head == NULL)
		w->tail = NULL;
	b->next = NULL;
	rc = eng_wait_for(&b->done, w->wait_ms);
	if (rc == ZOPERATIONTIMEOUT && !eng_wait_answered(&b->done)) {
		w->fatal = 1;
		note(w, "no answer from ZooKeeper within %d ms", w->wait_ms);
		report_unknown(w, b);
		return; /* b stays allocated: the client may still answer */
	}
	settle(w, b, rc);
}

static void
send_cur(struct writer *w)
{
	struct wbatch *b = w->cur;

	w->cur = NULL;
	if (b == NULL || b->n == 0) {
		batch_free(b);
		return;
	}
	if (w->stop || w->fatal) {
		w->dropped += b->n;
		batch_free(b);
		return;
	}
	while (w->head != NULL && w->nlist >= w->e.window)
		settle_head(w);
	batch_send(w, b);
	w->nlist++;
	if (w->tail != NULL)
		w->tail->next = b;
	else
		w->head = b;
	w->tail = b;
	/* one in flight: settle now, so that a failure stops what follows */
	if (w->e.window <= 1)
		settle_head(w);
}

/* ---- the interface -------------------------------------------------------- */

struct writer *
writer_new(struct session *sess, const struct writer_cb *cb, int window)
{
	struct writer *w = xcalloc(1, sizeof(*w));

	w->sess = sess;
	w->cb = *cb;
	eng_init(&w->e, window);
	w->max_ops = WRITER_MAX_OPS;
	w->max_bytes = WRITER_MAX_BYTES;
	/* the client answers every request within about the session timeout */
	w->wait_ms = 2 * sess->timeout_ms + 10000;
	return w;
}

void
writer_free(struct writer *w)
{
	if (w == NULL)
		return;
	writer_flush(w);
	batch_free(w->cur);
	free(w->ref_path);
	eng_destroy(&w->e);
	free(w);
}

int
writer_pending(const struct writer *w)
{
	return w->cur != NULL ? w->cur->n : 0;
}

/*
 * The 3.8 C client's multi cannot carry every create: a container create's
 * answer makes deserialize_multi abort the process, and TTL creates come
 * back Unimplemented. Those go alone, as plain requests.
 */
static int
multi_safe(const struct wop *op)
{
	return op->kind != WOP_CREATE ||
	       (op->mode != ZOO_CONTAINER && op->mode != ZOO_PERSISTENT_WITH_TTL &&
		op->mode != ZOO_PERSISTENT_SEQUENTIAL_WITH_TTL);
}

int
writer_add(struct writer *w, struct wop *op)
{
	op->bytes = wop_bytes(op);
	if (w->stop || w->fatal) {
		w->dropped++;
		wop_release(op);
		return 0;
	}
	if (w->atomic) {
		if (w->cur != NULL && w->cur->bytes + op->bytes > w->max_bytes) {
			wop_release(op);
			return -1;
		}
		if (w->cur == NULL)
			w->cur = batch_new(w);
		batch_push(w->cur, op);
		return 0;
	}
	if (w->cur != NULL && (w->cur->n >= w->max_ops || w->cur->bytes + op->bytes > w->max_bytes))
		send_cur(w);
	if (op->bytes > w->max_bytes || w->plain || !multi_safe(op)) {
		/* too large to wrap in a multi, a kind the client's multi cannot
		 * take, or no grouping: alone, plain */
		send_cur(w);
		w->cur = batch_new(w);
		w->cur->plain = 1;
		batch_push(w->cur, op);
		send_cur(w);
		return 0;
	}
	if (w->cur == NULL)
		w->cur = batch_new(w);
	batch_push(w->cur, op);
	if (w->cur->n >= w->max_ops)
		send_cur(w);
	return 0;
}

int
writer_flush(struct writer *w)
{
	if (!w->atomic)
		send_cur(w);
	while (w->head != NULL)
		settle_head(w);
	eng_drain(&w->e, w->wait_ms);
	return w->stop || w->fatal ? -1 : 0;
}

int
writer_commit(struct writer *w)
{
	struct wbatch *b = w->cur;

	w->cur = NULL;
	if (b == NULL || b->n == 0) {
		batch_free(b);
		return 0;
	}
	run_now(w, b);
	return w->stop || w->fatal ? -1 : 0;
}

void
writer_discard(struct writer *w)
{
	if (w->cur != NULL)
		w->dropped += w->cur->n;
	batch_free(w->cur);
	w->cur = NULL;
}
