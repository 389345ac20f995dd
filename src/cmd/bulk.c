#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <zookeeper/zookeeper.h>

#include "cmd/bulk.h"
#include "cmd/common.h"
#include "render.h"
#include "shell.h"
#include "util.h"
#include "walk.h"
#include "zkerr.h"

void
bulk_init(struct bulk *b, int window)
{
	memset(b, 0, sizeof(*b));
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv, NULL);
	b->window = window > 0 ? window : 1;
}

void
bulk_destroy(struct bulk *b)
{
	for (int i = 0; i < b->nfails; i++)
		free(b->fails[i].path);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv);
}

struct bulk_req *
bulk_reserve(struct bulk *b, const char *path)
{
	struct bulk_req *r = xmalloc(sizeof(*r) + strlen(path) + 1);

	r->b = b;
	r->n = 1;
	strcpy(r->path, path);
	pthread_mutex_lock(&b->mu);
	while (b->inflight >= b->window)
		pthread_cond_wait(&b->cv, &b->mu);
	b->inflight++;
	pthread_mutex_unlock(&b->mu);
	return r;
}

/* Called with b->mu held. */
static void
tally(struct bulk *b, int rc, const char *path, long n)
{
	if (rc == ZOK || (rc == ZNONODE && b->nonode_ok)) {
		b->ok += n;
		return;
	}
	b->failed += n;
	if (b->nfails < BULK_LIST) {
		b->fails[b->nfails].rc = rc;
		b->fails[b->nfails].path = xstrdup(path);
		b->nfails++;
	}
}

void
bulk_count(struct bulk *b, int rc, const char *path, long n)
{
	pthread_mutex_lock(&b->mu);
	tally(b, rc, path, n);
	pthread_mutex_unlock(&b->mu);
}

void
bulk_done(struct bulk_req *r, int rc)
{
	struct bulk *b = r->b;

	pthread_mutex_lock(&b->mu);
	if (r->n > 0)
		tally(b, rc, r->path, r->n);
	b->inflight--;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
	free(r);
}

void
bulk_drain(struct bulk *b)
{
	pthread_mutex_lock(&b->mu);
	while (b->inflight > 0)
		pthread_cond_wait(&b->cv, &b->mu);
	pthread_mutex_unlock(&b->mu);
}

int
bulk_report(struct shell *sh, struct bulk *b, const char *what, const struct walk_result *res)
{
	char msg[ZKSH_PATH_MAX + 256];
	long failed = b->failed + (res ? res->failed : 0);
	int first_rc;
	const char *first_path;

	if (res != NULL && res->interrupted)
		return sh_error(sh, ZX_PARTIAL, "%s: interrupted after %ld node%s", what, b->ok,
				b->ok == 1 ? "" : "s");
	if (failed == 0)
		return ZX_OK;
	if (b->nfails > 0) {
		first_rc = b->fails[0].rc;
		first_path = b->fails[0].path;
	} else {
		first_rc = res->first_rc;
		first_path = res->first_path;
	}
	if (b->ok == 0 && failed == 1)
		return zk_fail(sh, first_rc, first_path);
	for (int i = 0; i < b->nfails; i++)
		zk_fail(sh, b->fails[i].rc, b->fails[i].path);
	if (res != NULL)
		walk_report(sh, what, res); /* the nodes the walk could not read */
	zkerr_message(first_rc, first_path, msg, sizeof(msg));
	if (sh->result != NULL) {
		cJSON_AddNumberToObject(sh->result, "failed", (double)failed);
		cJSON_AddNumberToObject(sh->result, "succeeded", (double)b->ok);
	}
	/* failed + ok > 1 here (one failure alone went to zk_fail): "nodes" */
	return sh_error(sh, b->ok == 0 ? zkerr_exit(first_rc) : ZX_PARTIAL,
			"%s: %ld of %ld nodes failed; first: %s", what, failed, failed + b->ok,
			msg);
}
