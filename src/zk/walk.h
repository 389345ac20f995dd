/*
 * The pipelined walker: visits a subtree in pre-order (a node, then each
 * child's subtree, children sorted), keeping up to `window` asynchronous
 * requests in flight. Memory is bounded by the window and the frontier, not
 * the size of the tree; results reach the visitor in a stable order.
 */
#ifndef ZKSH_WALK_H
#define ZKSH_WALK_H

#include <zookeeper/zookeeper.h>

struct session;
struct zkctx;

struct walk_node {
	const char *path;
	int depth;	 /* 0 for the root of the walk */
	char **children; /* sorted names */
	int nchildren;
	const struct Stat *stat;
	const char *data; /* with want_data; len < 0 is null data */
	int datalen;
};

/* Return 0 to go on, 1 to skip this node's subtree, -1 to stop the walk. */
typedef int (*walk_visit)(void *ctx, const struct walk_node *n);

struct walk_opts {
	int window;    /* requests in flight; <= 0 uses the context's */
	int want_data; /* also fetch each node's data */
	int max_depth; /* < 0: no limit */
};

struct walk_result {
	long visited;
	long vanished;	       /* deleted while the walk ran: skipped */
	long failed;	       /* other per-node errors (e.g. NoAuth on a child) */
	int first_rc;	       /* first per-node error */
	char first_path[1024]; /* shortened with a marker when longer (path_shorten) */
	char stuck_path[1024]; /* the node a walk that stopped early waited for */
	int interrupted;
};

/*
 * Walk the subtree at root. Returns ZOK, or the error of the root itself
 * (NoNode, NoAuth...), or what ended the walk early: OperationTimeout when
 * no answer came within the session timeout, SessionExpired, AuthFailed.
 * A read that came back ConnectionLoss is sent again once the client has
 * failed over to another member. Per-node errors below the root are
 * counted in res; a node that vanished mid-walk is skipped. The stop flag
 * (Ctrl-C) ends the walk at once (res->interrupted), without waiting for
 * answers in flight. Commands call it as walk_tree (src/zkshell.c).
 */
int walk_zk(const struct zkctx *zc, const char *root, const struct walk_opts *o, walk_visit fn,
	    void *ctx, struct walk_result *res);

/* How long a walk waits for answers: the session timeout the server granted, else the one asked. */
int walk_deadline_ms(struct session *s);

/*
 * walk_zk that also sets a child watch (and with want_data a data watch)
 * with watcher on every node it lists: how persistent watches are armed.
 */
int walk_zk_watch(const struct zkctx *zc, const char *root, const struct walk_opts *o,
		  watcher_fn watcher, void *watcher_ctx, walk_visit fn, void *ctx,
		  struct walk_result *res);

#endif
