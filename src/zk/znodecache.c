#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zookeeper/zookeeper.h>

#include "zk/session.h"
#include "util.h"
#include "zk/engine.h"
#include "zk/znodecache.h"

#define CACHE_MAX 64

/* One request; the callback and the cache each hold a reference. */
struct fetch {
	struct zkids kids;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int refs;
	int done;
};

struct centry {
	char *path;
	struct fetch *f;
	long long at;
};

struct zcache {
	struct centry ents[CACHE_MAX];
	int n;
	const void *zh; /* the handle the cached answers came from */
};

static void
fetch_release(struct fetch *f)
{
	int refs;

	pthread_mutex_lock(&f->mu);
	refs = --f->refs;
	pthread_mutex_unlock(&f->mu);
	if (refs > 0)
		return;
	for (int i = 0; i < f->kids.n; i++)
		free(f->kids.names[i]);
	free(f->kids.names);
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cv);
	free(f);
}

/* Completion thread: the answer may come after the Tab gave up waiting. */
static void
children_done(int rc, const struct String_vector *v, const struct Stat *st, const void *data)
{
	struct fetch *f = (struct fetch *)data;

	pthread_mutex_lock(&f->mu);
	f->kids.rc = rc;
	if (rc == ZOK && v != NULL) {
		f->kids.names = xcalloc((size_t)v->count + 1, sizeof(char *));
		for (int i = 0; i < v->count; i++)
			f->kids.names[i] = xstrdup(v->data[i]);
		f->kids.n = v->count;
		f->kids.numchildren = st ? st->numChildren : v->count;
	}
	f->done = 1;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	fetch_release(f);
}

struct zcache *
zcache_new(void)
{
	return xcalloc(1, sizeof(struct zcache));
}

static void
drop_entry(struct zcache *c, int i)
{
	free(c->ents[i].path);
	fetch_release(c->ents[i].f);
	c->ents[i] = c->ents[--c->n];
}

void
zcache_flush(struct zcache *c)
{
	while (c->n > 0)
		drop_entry(c, c->n - 1);
}

void
zcache_free(struct zcache *c)
{
	if (c == NULL)
		return;
	zcache_flush(c);
	free(c);
}

static struct fetch *
start_fetch(struct zcache *c, zhandle_t *zh, const char *path)
{
	struct fetch *f = xcalloc(1, sizeof(*f));
	int oldest = 0;

	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	f->refs = 2;
	if (zoo_aget_children2(zh, path, 0, children_done, f) != ZOK) {
		f->refs = 1;
		fetch_release(f);
		return NULL;
	}
	if (c->n == CACHE_MAX) {
		for (int i = 1; i < c->n; i++)
			if (c->ents[i].at < c->ents[oldest].at)
				oldest = i;
		drop_entry(c, oldest);
	}
	c->ents[c->n].path = xstrdup(path);
	c->ents[c->n].f = f;
	c->ents[c->n].at = now_ms();
	c->n++;
	return f;
}

static int
answered(struct fetch *f)
{
	int done;

	pthread_mutex_lock(&f->mu);
	done = f->done;
	pthread_mutex_unlock(&f->mu);
	return done;
}

/* Wait up to ms for f's answer; 1 when it is there. */
static int
await(struct fetch *f, int ms)
{
	struct timespec ts;
	int done;

	eng_deadline(&ts, ms);
	pthread_mutex_lock(&f->mu);
	while (!f->done)
		if (pthread_cond_timedwait(&f->cv, &f->mu, &ts) == ETIMEDOUT)
			break;
	done = f->done;
	pthread_mutex_unlock(&f->mu);
	return done;
}

const struct zkids *
zcache_children(struct zcache *c, struct session *s, const char *path, int wait_ms, int ttl_ms)
{
	zhandle_t *zh = s->zh;
	struct fetch *f = NULL;

	/* another session (connect, a renewed one) may see another tree */
	if (c->zh != zh) {
		zcache_flush(c);
		c->zh = zh;
	}
	for (int i = 0; i < c->n; i++) {
		if (strcmp(c->ents[i].path, path) != 0)
			continue;
		if (answered(c->ents[i].f) && now_ms() - c->ents[i].at > ttl_ms)
			drop_entry(c, i);
		else
			f = c->ents[i].f;
		break;
	}
	if (f == NULL) {
		if (zh == NULL || !session_connected(s))
			return NULL;
		if ((f = start_fetch(c, zh, path)) == NULL)
			return NULL;
	}
	return await(f, wait_ms) ? &f->kids : NULL;
}
