#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "recipes/recipes.h"
#include "zk/session.h"
#include "util.h"

/*
 * The recipes set their watches with a watcher of their own, not the
 * session's: their events matter only while a recipe runs, and the
 * interactive shell must not print them afterwards as if they were the
 * user's watches. A watch can fire after its command ended, so the watcher
 * finds the running recipe's session here rather than in a context that
 * could be gone by then.
 */
static pthread_mutex_t listen_mu = PTHREAD_MUTEX_INITIALIZER;
static struct session *listening; /* the running recipe's session, or NULL */

static void
recipe_watcher(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
	(void)zh;
	(void)ctx;
	if (type == ZOO_SESSION_EVENT) /* the session's own watcher reports those */
		return;
	pthread_mutex_lock(&listen_mu);
	if (listening != NULL)
		session_push_event(listening, type, state, path, 0);
	pthread_mutex_unlock(&listen_mu);
}

void
rcp_listen(struct session *sess)
{
	struct session *was;
	struct zk_event *e, *keep = NULL, **tail = &keep;

	pthread_mutex_lock(&listen_mu);
	was = listening;
	listening = sess;
	pthread_mutex_unlock(&listen_mu);
	if (sess != NULL || was == NULL)
		return;
	/*
	 * What the recipe's watches queued last (our own node's deletion at
	 * release comes before the delete's answer) goes; session events stay.
	 */
	while ((e = session_next_event(was)) != NULL) {
		if (e->type == ZOO_SESSION_EVENT) {
			*tail = e;
			tail = &e->next;
		} else {
			session_event_free(e);
		}
	}
	while ((e = keep) != NULL) {
		keep = e->next;
		session_push_event(was, e->type, e->state, e->path, e->wid);
		session_event_free(e);
	}
}

int
rcp_wexists(struct rcp *r, const char *path, struct Stat *st)
{
	struct Stat dummy;

	return zoo_wexists(r->sess->zh, path, recipe_watcher, NULL, st ? st : &dummy);
}

int
rcp_wget(struct rcp *r, const char *path, char *buf, int *len, struct Stat *st)
{
	return zoo_wget(r->sess->zh, path, recipe_watcher, NULL, buf, len, st);
}

int
rcp_wchildren(struct rcp *r, const char *path, struct String_vector *v, struct Stat *st)
{
	struct Stat dummy;

	return zoo_wget_children2(r->sess->zh, path, recipe_watcher, NULL, v, st ? st : &dummy);
}

void
rcp_init(struct rcp *r, struct session *sess, volatile sig_atomic_t *stop)
{
	memset(r, 0, sizeof(*r));
	r->sess = sess;
	r->stop = stop;
}

int
rcp_zfail(struct rcp *r, int zrc, const char *path)
{
	r->zrc = zrc;
	snprintf(r->zpath, sizeof(r->zpath), "%s", path ? path : "");
	if (zrc == ZSESSIONEXPIRED)
		return rcp_fail(r, RCP_EXPIRED, "the session expired");
	return RCP_ZK;
}

int
rcp_fail(struct rcp *r, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return status;
}

int
rcp_session_timeout(struct rcp *r)
{
	int t = r->sess->zh ? zoo_recv_timeout(r->sess->zh) : 0;

	return t > 0 ? t : r->sess->timeout_ms;
}

int
rcp_transient(int zrc)
{
	return zrc == ZCONNECTIONLOSS || zrc == ZOPERATIONTIMEOUT;
}

/* The connection's health: RCP_EXPIRED once expired or gone a whole session timeout. */
static int
check_session(struct rcp *r)
{
	int st = session_state(r->sess);
	long long now = now_ms();

	if (st == ZOO_EXPIRED_SESSION_STATE || st == ZOO_AUTH_FAILED_STATE || r->sess->expired)
		return rcp_fail(r, RCP_EXPIRED, "the session expired");
	if (st == ZOO_CONNECTED_STATE || st == ZOO_READONLY_STATE) {
		r->down_since = 0;
		return RCP_OK;
	}
	if (r->down_since == 0)
		r->down_since = now;
	if (now - r->down_since > rcp_session_timeout(r))
		return rcp_fail(r, RCP_EXPIRED,
				"the connection to ZooKeeper was gone for longer than the "
				"session timeout (%d ms)",
				rcp_session_timeout(r));
	return RCP_OK;
}

int
rcp_wait_event(struct rcp *r, long long deadline)
{
	for (;;) {
		struct zk_event *e;
		struct pollfd pfd;
		long long left;
		int got = 0, rc;

		while ((e = session_next_event(r->sess)) != NULL) {
			got = 1;
			session_event_free(e);
		}
		if ((rc = check_session(r)) != RCP_OK)
			return rc;
		if (got)
			return RCP_OK;
		if (r->stop != NULL && *r->stop)
			return RCP_STOPPED;
		left = deadline < 0 ? 100 : deadline - now_ms();
		if (left <= 0)
			return RCP_TIMEOUT;
		pfd.fd = session_event_fd(r->sess);
		pfd.events = POLLIN;
		poll(&pfd, 1, left > 100 ? 100 : (int)left);
	}
}

int
rcp_reconnected(struct rcp *r, long long deadline)
{
	for (;;) {
		int rc = check_session(r);

		if (rc != RCP_OK)
			return rc;
		if (session_connected(r->sess))
			return RCP_OK;
		rc = rcp_wait_event(r, deadline);
		if (rc != RCP_OK)
			return rc;
	}
}

int
rcp_mkdirs(struct rcp *r, const char *path)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return rcp_fail(r, RCP_NOTDIR, "path too long: %s", path);
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		int rc;

		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		for (int tries = 0;; tries++) {
			rc = zoo_create(r->sess->zh, buf, NULL, -1, &ZOO_OPEN_ACL_UNSAFE, 0, NULL,
					0);
			if (!rcp_transient(rc) || tries >= 3)
				break;
			if (rcp_reconnected(r, now_ms() + rcp_session_timeout(r)) != RCP_OK)
				break;
		}
		if (rc != ZOK && rc != ZNODEEXISTS)
			return rcp_zfail(r, rc, buf);
		buf[i] = i == n ? '\0' : '/';
	}
	return RCP_OK;
}

void
rcp_unique_id(char out[17])
{
	unsigned char b[8];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		/* no entropy source: the pid and the clock still make it unique here */
		unsigned long long v =
		    ((unsigned long long)getpid() << 40) ^ (unsigned long long)now_ms();
		memcpy(b, &v, sizeof(b));
	}
	for (int i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

char *
rcp_owner_data(const char *id)
{
	char host[256] = "", start[64];
	time_t t = time(NULL);
	struct tm tm;
	cJSON *o = cJSON_CreateObject();
	char *s;

	if (gethostname(host, sizeof(host) - 1) != 0)
		strcpy(host, "unknown");
	gmtime_r(&t, &tm);
	strftime(start, sizeof(start), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (id != NULL)
		cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "host", host);
	cJSON_AddNumberToObject(o, "pid", (double)getpid());
	cJSON_AddStringToObject(o, "start", start);
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}
