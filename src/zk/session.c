#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zk/secure.h"
#include "zk/session.h"
#include "util.h"

struct session *
session_new(const char *hosts, int timeout_ms, int readonly)
{
	struct session *s = xcalloc(1, sizeof(*s));

	s->hosts = xstrdup(hosts);
	s->timeout_ms = timeout_ms;
	s->readonly = readonly;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (pipe(s->evpipe) != 0) {
		s->evpipe[0] = s->evpipe[1] = -1;
	} else {
		fcntl(s->evpipe[0], F_SETFL, O_NONBLOCK);
		fcntl(s->evpipe[1], F_SETFL, O_NONBLOCK);
		fcntl(s->evpipe[0], F_SETFD, FD_CLOEXEC);
		fcntl(s->evpipe[1], F_SETFD, FD_CLOEXEC);
	}
	return s;
}

static void
free_events(struct session *s)
{
	struct zk_event *e;

	while ((e = session_next_event(s)) != NULL)
		session_event_free(e);
}

static void nudger_stop(struct session *s);

void
session_add_hook(struct session *s, enum session_hook_point point, session_hook_fn fn, void *ctx)
{
	for (int i = 0; i < s->nhooks; i++)
		if (s->hooks[i].point == point && s->hooks[i].fn == fn && s->hooks[i].ctx == ctx)
			return;
	if (s->nhooks >= SESSION_MAX_HOOKS) {
		fprintf(stderr, "zksh: session: more than %d hooks\n", SESSION_MAX_HOOKS);
		abort();
	}
	s->hooks[s->nhooks].point = point;
	s->hooks[s->nhooks].fn = fn;
	s->hooks[s->nhooks].ctx = ctx;
	s->nhooks++;
}

static void
run_hooks(struct session *s, enum session_hook_point point)
{
	for (int i = 0; i < s->nhooks; i++)
		if (s->hooks[i].point == point)
			s->hooks[i].fn(s, s->hooks[i].ctx);
}

struct session_orphan {
	struct session_orphan *next;
	void (*free_fn)(void *);
	void *obj;
};

void
session_free_after_close(struct session *s, void (*free_fn)(void *), void *obj)
{
	struct session_orphan *o = xmalloc(sizeof(*o));

	o->free_fn = free_fn;
	o->obj = obj;
	pthread_mutex_lock(&s->mu);
	o->next = s->orphans;
	s->orphans = o;
	pthread_mutex_unlock(&s->mu);
}

static void
free_orphans(struct session *s)
{
	struct session_orphan *o, *next;

	pthread_mutex_lock(&s->mu);
	o = s->orphans;
	s->orphans = NULL;
	pthread_mutex_unlock(&s->mu);
	for (; o != NULL; o = next) {
		next = o->next;
		o->free_fn(o->obj);
		free(o);
	}
}

void
session_free(struct session *s)
{
	struct auth_cred *a, *next;

	if (s == NULL)
		return;
	nudger_stop(s);
	session_close(s);
	run_hooks(s, SESSION_FREE);
	free_events(s);
	for (a = s->auths; a != NULL; a = next) {
		next = a->next;
		explicit_bzero(a->cred, strlen(a->cred));
		free(a->scheme);
		free(a->cred);
		free(a);
	}
	if (s->evpipe[0] >= 0) {
		close(s->evpipe[0]);
		close(s->evpipe[1]);
	}
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s->hosts);
	free(s);
}

/* Called with s->mu held. */
static void
link_event(struct session *s, struct zk_event *e)
{
	char byte = 'e';

	e->next = NULL;
	if (s->tail)
		s->tail->next = e;
	else
		s->head = e;
	s->tail = e;
	if (s->evpipe[1] >= 0 && write(s->evpipe[1], &byte, 1) < 0) {
		/* a full pipe already wakes the reader */
	}
}

/* Called with s->mu held. */
static void
enqueue(struct session *s, int type, int state, const char *path, int wid)
{
	struct zk_event *e = xcalloc(1, sizeof(*e));

	e->type = type;
	e->state = state;
	e->path = path ? xstrdup(path) : NULL;
	e->wid = wid;
	e->datalen = -1;
	link_event(s, e);
}

/* Runs on the client's completion thread. */
static void
watcher(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
	struct session *s = ctx;

	(void)zh;
	pthread_mutex_lock(&s->mu);
	if (type == ZOO_SESSION_EVENT) {
		if (state == ZOO_CONNECTED_STATE || state == ZOO_READONLY_STATE) {
			s->expired = 0;
			s->had_session = 1;
		}
		if (state == ZOO_EXPIRED_SESSION_STATE)
			s->expired = 1;
		s->state = state;
		pthread_cond_broadcast(&s->cv);
		enqueue(s, type, state, NULL, 0);
	} else {
		enqueue(s, type, state, path, 0);
	}
	pthread_mutex_unlock(&s->mu);
}

void
session_queue_event(struct session *s, struct zk_event *e)
{
	pthread_mutex_lock(&s->mu);
	link_event(s, e);
	pthread_mutex_unlock(&s->mu);
}

void
session_push_event(struct session *s, int type, int state, const char *path, int wid)
{
	pthread_mutex_lock(&s->mu);
	enqueue(s, type, state, path, wid);
	pthread_mutex_unlock(&s->mu);
}

int
session_remove_watches(struct session *s, const char *path, int wtype, int local)
{
	if (s->zh == NULL)
		return ZINVALIDSTATE;
	/* watch=1 registers zookeeper_init's watcher and context: remove only those */
	return zoo_remove_watches(s->zh, path, (ZooWatcherType)wtype, watcher, s, local);
}

static struct auth_cred *
auth_remembered(struct session *s, const char *scheme, const char *cred)
{
	for (struct auth_cred *a = s->auths; a != NULL; a = a->next)
		if (strcmp(a->scheme, scheme) == 0 && strcmp(a->cred, cred) == 0)
			return a;
	return NULL;
}

void
session_preload_auth(struct session *s, const char *scheme, const char *cred)
{
	struct auth_cred *a;

	if (auth_remembered(s, scheme, cred) != NULL)
		return;
	a = xcalloc(1, sizeof(*a));
	a->scheme = xstrdup(scheme);
	a->cred = xstrdup(cred);
	a->next = s->auths;
	s->auths = a;
}

/*
 * The client keeps credentials per handle and re-sends them after a
 * reconnect, but a new handle starts with none: hand it every remembered
 * one. Before the connection is up they are queued and sent first.
 */
static void
auth_apply_all(struct session *s, zhandle_t *zh)
{
	for (struct auth_cred *a = s->auths; a != NULL; a = a->next)
		zoo_add_auth(zh, a->scheme, a->cred, (int)strlen(a->cred), NULL, NULL);
}

static void
deadline_after(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

int
session_connected(struct session *s)
{
	int st = session_state(s);
	return st == ZOO_CONNECTED_STATE || st == ZOO_READONLY_STATE;
}

int
session_had_session(struct session *s)
{
	int had;

	pthread_mutex_lock(&s->mu);
	had = s->zh != NULL && s->had_session;
	pthread_mutex_unlock(&s->mu);
	return had;
}

int
session_state(struct session *s)
{
	int st;

	pthread_mutex_lock(&s->mu);
	st = s->zh ? s->state : ZOO_NOTCONNECTED_STATE;
	pthread_mutex_unlock(&s->mu);
	return st;
}

int
session_wait(struct session *s, int wait_ms)
{
	struct timespec deadline;
	int rc = ZOK;

	deadline_after(&deadline, wait_ms);
	pthread_mutex_lock(&s->mu);
	for (;;) {
		if (s->state == ZOO_CONNECTED_STATE || s->state == ZOO_READONLY_STATE)
			break;
		if (s->state == ZOO_AUTH_FAILED_STATE) {
			rc = ZAUTHFAILED;
			break;
		}
		if (s->state == ZOO_EXPIRED_SESSION_STATE) {
			rc = ZSESSIONEXPIRED;
			break;
		}
		if (pthread_cond_timedwait(&s->cv, &s->mu, &deadline) == ETIMEDOUT) {
			rc = ZCONNECTIONLOSS;
			break;
		}
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

int
session_open(struct session *s, int wait_ms)
{
	zhandle_t *zh;

	session_close(s);
	pthread_mutex_lock(&s->mu);
	s->state = ZOO_CONNECTING_STATE;
	s->expired = 0;
	s->had_session = 0;
	s->chroot_checked = 0;
	pthread_mutex_unlock(&s->mu);
	if (secure_wanted())
		zh = secure_init(s->hosts, watcher, s->timeout_ms, s,
				 s->readonly ? ZOO_READONLY : 0);
	else
		zh = zookeeper_init(s->hosts, watcher, s->timeout_ms, NULL, s,
				    s->readonly ? ZOO_READONLY : 0);
	if (zh == NULL)
		return ZBADARGUMENTS;
	/* by default the client resolves the host list again on every turn of
	 * its I/O loop (a syscall storm per request); once a second is plenty,
	 * and it still re-resolves after a connection loss */
	zoo_set_servers_resolution_delay(zh, 1000);
	auth_apply_all(s, zh);
	pthread_mutex_lock(&s->mu);
	s->zh = zh;
	s->sessions++;
	pthread_mutex_unlock(&s->mu);
	if (wait_ms <= 0)
		return ZOK;
	return session_wait(s, wait_ms);
}

void
session_close(struct session *s)
{
	zhandle_t *zh;

	if (s->zh != NULL)
		run_hooks(s, SESSION_BEFORE_CLOSE);
	pthread_mutex_lock(&s->mu);
	zh = s->zh;
	s->zh = NULL;
	s->state = 0;
	pthread_mutex_unlock(&s->mu);
	if (zh != NULL)
		zookeeper_close(zh);
	/* no answer can come any more: the runs given up on can go, and the
	 * closed handle took the emulated watches' one-shot watches with it */
	free_orphans(s);
	run_hooks(s, SESSION_CLOSED);
}

struct zk_event *
session_next_event(struct session *s)
{
	struct zk_event *e;
	char byte;

	pthread_mutex_lock(&s->mu);
	e = s->head;
	if (e != NULL) {
		s->head = e->next;
		if (s->head == NULL)
			s->tail = NULL;
		e->next = NULL;
		if (s->evpipe[0] >= 0 && read(s->evpipe[0], &byte, 1) < 0) {
			/* nothing to drain: the pipe had filled up */
		}
	}
	pthread_mutex_unlock(&s->mu);
	return e;
}

void
session_event_free(struct zk_event *e)
{
	if (e == NULL)
		return;
	free(e->path);
	free(e->data);
	free(e);
}

int
session_event_fd(const struct session *s)
{
	return s->evpipe[0];
}

/* Shared by the waiter and the completion; whoever finishes last frees it. */
struct auth_wait {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
	int abandoned;
	int rc;
};

static void
auth_done(int rc, const void *data)
{
	struct auth_wait *w = (struct auth_wait *)data;
	int abandoned;

	pthread_mutex_lock(&w->mu);
	w->done = 1;
	w->rc = rc;
	abandoned = w->abandoned;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	if (abandoned)
		free(w);
}

static int
add_auth_wait(struct session *s, const char *scheme, const char *cred)
{
	struct auth_wait *w = xcalloc(1, sizeof(*w));
	struct timespec deadline;
	int rc;

	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	rc = zoo_add_auth(s->zh, scheme, cred, (int)strlen(cred), auth_done, w);
	if (rc != ZOK) {
		free(w);
		return rc;
	}
	deadline_after(&deadline, s->timeout_ms);
	pthread_mutex_lock(&w->mu);
	while (!w->done)
		if (pthread_cond_timedwait(&w->cv, &w->mu, &deadline) == ETIMEDOUT)
			break;
	if (!w->done) {
		/* the answer may still come: leave w to the completion */
		w->abandoned = 1;
		pthread_mutex_unlock(&w->mu);
		return ZOPERATIONTIMEOUT;
	}
	rc = w->rc;
	pthread_mutex_unlock(&w->mu);
	free(w);
	return rc;
}

/*
 * The answer to a refused addauth can come before the session event that
 * says the server closed the session: wait (briefly) for that, so that the
 * next command sees AUTH_FAILED rather than a handle in limbo.
 */
static void
auth_failed_wait(struct session *s)
{
	struct timespec deadline;

	deadline_after(&deadline, s->timeout_ms < 2000 ? s->timeout_ms : 2000);
	pthread_mutex_lock(&s->mu);
	while (s->state != ZOO_AUTH_FAILED_STATE)
		if (pthread_cond_timedwait(&s->cv, &s->mu, &deadline) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&s->mu);
}

int
session_add_auth(struct session *s, const char *scheme, const char *cred)
{
	struct auth_cred *a;
	int rc;

	if (s->zh == NULL)
		return ZINVALIDSTATE;
	rc = add_auth_wait(s, scheme, cred);
	if (rc == ZAUTHFAILED)
		auth_failed_wait(s);
	if (rc != ZOK)
		return rc;
	if (auth_remembered(s, scheme, cred) != NULL)
		return ZOK;
	a = xcalloc(1, sizeof(*a));
	a->scheme = xstrdup(scheme);
	a->cred = xstrdup(cred);
	a->next = s->auths;
	s->auths = a;
	return ZOK;
}

const char *
state_name(int state)
{
	if (state == ZOO_CONNECTED_STATE)
		return "SyncConnected";
	if (state == ZOO_READONLY_STATE)
		return "ConnectedReadOnly";
	if (state == ZOO_EXPIRED_SESSION_STATE)
		return "Expired";
	if (state == ZOO_AUTH_FAILED_STATE)
		return "AuthFailed";
	if (state == ZOO_CONNECTING_STATE || state == ZOO_ASSOCIATING_STATE || state == 0 ||
	    state == ZOO_NOTCONNECTED_STATE)
		return "Disconnected";
	return "Unknown";
}

const char *
state_label(int state)
{
	if (state == ZOO_CONNECTED_STATE)
		return "CONNECTED";
	if (state == ZOO_READONLY_STATE)
		return "READONLY";
	if (state == ZOO_EXPIRED_SESSION_STATE)
		return "EXPIRED";
	if (state == ZOO_AUTH_FAILED_STATE)
		return "AUTH_FAILED";
	if (state == ZOO_NOTCONNECTED_STATE)
		return "CLOSED";
	return "CONNECTING";
}

const char *
event_type_name(int type)
{
	if (type == ZOO_CREATED_EVENT)
		return "NodeCreated";
	if (type == ZOO_DELETED_EVENT)
		return "NodeDeleted";
	if (type == ZOO_CHANGED_EVENT)
		return "NodeDataChanged";
	if (type == ZOO_CHILD_EVENT)
		return "NodeChildrenChanged";
	if (type == ZOO_NOTWATCHING_EVENT)
		return "DataWatchRemoved";
	if (type == ZKSH_CHILD_WATCH_REMOVED_EVENT)
		return "ChildWatchRemoved";
	if (type == ZKSH_DATA_WATCH_REMOVED_EVENT)
		return "DataWatchRemoved";
	if (type == ZKSH_PERSISTENT_WATCH_REMOVED_EVENT)
		return "PersistentWatchRemoved";
	return "None";
}

/* ---- the nudger ---------------------------------------------------------- */

static void
nudge_done(int rc, const struct Stat *st, const void *data)
{
	(void)rc;
	(void)st;
	(void)data;
}

static void *
nudger_main(void *arg)
{
	struct session *s = arg;
	struct timespec deadline;

	pthread_mutex_lock(&s->mu);
	while (!s->nudger_stop) {
		deadline_after(&deadline, 500);
		pthread_cond_timedwait(&s->cv, &s->mu, &deadline);
		if (s->nudger_stop)
			break;
		/* zh is only swapped under mu, so it stays valid for the call */
		if (s->busy && s->zh != NULL && s->state == ZOO_CONNECTED_STATE)
			zoo_aexists(s->zh, "/", 0, nudge_done, NULL);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

void
session_busy(struct session *s, int busy)
{
	pthread_mutex_lock(&s->mu);
	s->busy = busy;
	if (busy && !s->nudger_running && !s->nudger_stop &&
	    pthread_create(&s->nudger, NULL, nudger_main, s) == 0)
		s->nudger_running = 1;
	pthread_mutex_unlock(&s->mu);
}

static void
nudger_stop(struct session *s)
{
	int running;

	pthread_mutex_lock(&s->mu);
	s->nudger_stop = 1;
	running = s->nudger_running;
	s->nudger_running = 0;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	if (running)
		pthread_join(s->nudger, NULL);
}
