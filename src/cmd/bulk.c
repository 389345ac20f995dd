#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <zookeeper/zookeeper.h>

#include "cmd/bulk.h"
#include "cmd/common.h"
#include "render.h"
#include "shell.h"
#include "util.h"
#include "zk/walk.h"
#include "zkerr.h"

void
bulk_init(struct bulk *b, int window)
{
	memset(b, 0, sizeof(*b));
	eng_init(&b->e, window);
}

void
bulk_destroy(struct bulk *b)
{
	eng_destroy(&b->e);
}

struct bulk_req *
bulk_reserve(struct bulk *b, const char *path)
{
	struct bulk_req *r = xmalloc(sizeof(*r) + strlen(path) + 1);

	r->b = b;
	r->n = 1;
	strcpy(r->path, path);
	b->e.nonode_ok = b->nonode_ok;
	eng_reserve(&b->e, -1); /* the client answers every request: no deadline */
	return r;
}

void
bulk_count(struct bulk *b, int rc, const char *path, long n)
{
	eng_count(&b->e, rc, path, 0, n);
}

void
bulk_done(struct bulk_req *r, int rc)
{
	eng_complete(&r->b->e, rc, r->path, 0, r->n);
	free(r);
}

void
bulk_drain(struct bulk *b)
{
	eng_drain(&b->e, -1);
	pthread_mutex_lock(&b->e.mu);
	b->ok = b->e.ok;
	pthread_mutex_unlock(&b->e.mu);
}

int
bulk_report(struct shell *sh, struct bulk *b, const char *what, const struct walk_result *res)
{
	char msg[ZKSH_PATH_MAX + 256];
	struct eng *e = &b->e;
	long failed = e->failed + (res ? res->failed : 0);
	int first_rc;
	const char *first_path;

	b->ok = e->ok;
	if (res != NULL && res->interrupted)
		return sh_error(sh, ZX_PARTIAL, "%s: interrupted after %ld node%s", what, b->ok,
				b->ok == 1 ? "" : "s");
	if (failed == 0)
		return ZX_OK;
	if (e->nfails > 0) {
		first_rc = e->fails[0].rc;
		first_path = e->fails[0].path;
	} else {
		first_rc = res->first_rc;
		first_path = res->first_path;
	}
	if (b->ok == 0 && failed == 1)
		return zk_fail(sh, first_rc, first_path);
	for (int i = 0; i < e->nfails; i++)
		zk_fail(sh, e->fails[i].rc, e->fails[i].path);
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
