/*
 * Many asynchronous requests of one command (setAcl -R, deleteall) on the
 * request engine (zk/engine.h): a bounded window in flight, a tally, and
 * the first failures kept so they can be listed.
 */
#ifndef ZKSH_CMD_BULK_H
#define ZKSH_CMD_BULK_H

#include "zk/engine.h"

struct shell;
struct walk_result;

/* A command's view of the request engine (zk/engine.h). */
struct bulk {
	struct eng e;
	int nonode_ok; /* a node that vanished meanwhile is not a failure */
	long ok;       /* successes, up to date after bulk_drain */
};

/* What a completion needs: its bulk and the path for the failure list. */
struct bulk_req {
	struct bulk *b;
	long n; /* requests this one stands for (a multi) */
	char path[];
};

void bulk_init(struct bulk *b, int window);
void bulk_destroy(struct bulk *b);
/* Wait for room in the window; returns a request to pass to the completion. */
struct bulk_req *bulk_reserve(struct bulk *b, const char *path);
/* Completion side (or when sending failed): tally rc, free r. */
void bulk_done(struct bulk_req *r, int rc);
/* Tally n more results of one request without freeing it (multi results). */
void bulk_count(struct bulk *b, int rc, const char *path, long n);
/* Wait until nothing is in flight. */
void bulk_drain(struct bulk *b);

/*
 * List the failures (and the nodes the walk could not read), then sum up:
 * ZX_OK when nothing failed; the first failure's own exit code when nothing
 * succeeded; ZX_PARTIAL otherwise.
 */
int bulk_report(struct shell *sh, struct bulk *b, const char *what, const struct walk_result *res);

#endif
