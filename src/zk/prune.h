/*
 * Deleting a subtree without reading all of it first (deleteall).
 *
 * A node's children are deleted in multi() batches; a child that turns out
 * to have children of its own (the multi fails with NotEmpty) is listed and
 * emptied first. Only small families (fewer than PRUNE_OPTIMISTIC_MIN
 * children) are listed before they are deleted, and a batch that failed
 * once has its remaining nodes listed, so at most one multi() per batch
 * fails. A flat tree of N leaves costs one read and N / batch multis; a
 * walk first would cost N + 1 reads more.
 *
 * The ZooKeeper layer: it knows neither the shell nor the renderers.
 */
#ifndef ZKSH_ZK_PRUNE_H
#define ZKSH_ZK_PRUNE_H

#include <stddef.h>

struct eng;
struct walk_result;
struct zkctx;

/* Families at least this large are deleted before they are listed. */
#define PRUNE_OPTIMISTIC_MIN 8

struct prune_opts {
	int window;	       /* reads and single deletes in flight; <= 0: the context's */
	int batch;	       /* deletes per multi() */
	size_t max_bytes;      /* request bytes per multi() */
	int keep_root;	       /* the root is emptied, not deleted (deleteall /) */
	const char *keep_name; /* a child of the root left alone (zookeeper), or NULL */
	/* progress, on the calling thread: nodes deleted so far */
	void (*tick)(void *ctx, long deleted);
	void *tick_ctx;
};

/*
 * Delete root and everything below it. Every delete is tallied in tally
 * (ZOK, or the node's error; a node that vanished meanwhile counts as
 * deleted when tally->nonode_ok), deepest first, so the first failure
 * listed is the cause; a node left with children counts as failed with
 * NotEmpty. Returns ZOK, the error of reading the root (NoNode, NoAuth),
 * or what ended the run early: OperationTimeout when no answer came within
 * the session timeout (res->stuck_path: a node waited for),
 * SessionExpired, AuthFailed. Answers lost to a fail-over are sent again
 * once the client is back: a delete that had applied then answers NoNode.
 * The stop flag (Ctrl-C) ends it at once (res->interrupted).
 */
int prune_zk(const struct zkctx *zc, const char *root, const struct prune_opts *o,
	     struct eng *tally, struct walk_result *res);

#endif
