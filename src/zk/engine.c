#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zookeeper/zookeeper.h>

#include "util.h"
#include "zk/engine.h"

void
eng_deadline(struct timespec *ts, int timeout_ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += timeout_ms / 1000;
	ts->tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Wait on cv until cond() holds; -1 when the deadline passed first. */
static int
timed_wait(pthread_cond_t *cv, pthread_mutex_t *mu, const struct timespec *dl)
{
	if (dl == NULL) {
		pthread_cond_wait(cv, mu);
		return 0;
	}
	return pthread_cond_timedwait(cv, mu, dl) == ETIMEDOUT ? -1 : 0;
}

void
eng_init(struct eng *e, int window)
{
	memset(e, 0, sizeof(*e));
	pthread_mutex_init(&e->mu, NULL);
	pthread_cond_init(&e->cv, NULL);
	e->window = window > 0 ? window : 1;
}

void
eng_destroy(struct eng *e)
{
	for (int i = 0; i < e->nfails; i++)
		free(e->fails[i].path);
	e->nfails = 0;
	pthread_mutex_destroy(&e->mu);
	pthread_cond_destroy(&e->cv);
}

int
eng_reserve(struct eng *e, int timeout_ms)
{
	struct timespec dl;
	int rc = 0;

	if (timeout_ms >= 0)
		eng_deadline(&dl, timeout_ms);
	pthread_mutex_lock(&e->mu);
	while (e->inflight >= e->window && rc == 0)
		rc = timed_wait(&e->cv, &e->mu, timeout_ms >= 0 ? &dl : NULL);
	if (e->inflight < e->window) {
		e->inflight++;
		e->sent++;
		rc = 0;
	}
	pthread_mutex_unlock(&e->mu);
	return rc;
}

/* Called with e->mu held. */
static void
tally(struct eng *e, int rc, const char *path, long line, long n)
{
	if (rc == ZOK || (rc == ZNONODE && e->nonode_ok)) {
		e->ok += n;
		return;
	}
	e->failed += n;
	if (e->nfails < ENG_LIST) {
		e->fails[e->nfails].rc = rc;
		e->fails[e->nfails].line = line;
		e->fails[e->nfails].path = xstrdup(path ? path : "");
		e->nfails++;
	}
}

void
eng_count(struct eng *e, int rc, const char *path, long line, long n)
{
	pthread_mutex_lock(&e->mu);
	tally(e, rc, path, line, n);
	pthread_mutex_unlock(&e->mu);
}

void
eng_complete(struct eng *e, int rc, const char *path, long line, long n)
{
	pthread_mutex_lock(&e->mu);
	if (n > 0)
		tally(e, rc, path, line, n);
	e->inflight--;
	pthread_cond_broadcast(&e->cv);
	pthread_mutex_unlock(&e->mu);
}

int
eng_drain(struct eng *e, int timeout_ms)
{
	struct timespec dl;
	int rc = 0;

	if (timeout_ms >= 0)
		eng_deadline(&dl, timeout_ms);
	pthread_mutex_lock(&e->mu);
	while (e->inflight > 0 && rc == 0)
		rc = timed_wait(&e->cv, &e->mu, timeout_ms >= 0 ? &dl : NULL);
	rc = e->inflight > 0 ? -1 : 0;
	pthread_mutex_unlock(&e->mu);
	return rc;
}

int
eng_inflight(struct eng *e)
{
	int n;

	pthread_mutex_lock(&e->mu);
	n = e->inflight;
	pthread_mutex_unlock(&e->mu);
	return n;
}

void
eng_wait_init(struct eng_wait *w)
{
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->done = 0;
	w->rc = 0;
}

void
eng_wait_done(struct eng_wait *w, int rc)
{
	pthread_mutex_lock(&w->mu);
	w->rc = rc;
	w->done = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

int
eng_wait_for(struct eng_wait *w, int timeout_ms)
{
	struct timespec dl;
	int rc;

	if (timeout_ms >= 0)
		eng_deadline(&dl, timeout_ms);
	pthread_mutex_lock(&w->mu);
	while (!w->done)
		if (timed_wait(&w->cv, &w->mu, timeout_ms >= 0 ? &dl : NULL) != 0)
			break;
	rc = w->done ? w->rc : ZOPERATIONTIMEOUT;
	pthread_mutex_unlock(&w->mu);
	return rc;
}

int
eng_wait_answered(struct eng_wait *w)
{
	int done;

	pthread_mutex_lock(&w->mu);
	done = w->done;
	pthread_mutex_unlock(&w->mu);
	return done;
}

void
eng_wait_destroy(struct eng_wait *w)
{
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
}
