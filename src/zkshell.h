/*
 * The shell's side of the ZooKeeper layer: the context a shell hands to the
 * walker and the watches (zk/), walks as the commands run them with their
 * errors reported, and the reads the commands share.
 */
#ifndef ZKSH_ZKSHELL_H
#define ZKSH_ZKSHELL_H

#include "zk/session.h"
#include "zk/walk.h"

struct shell;

/* The shell's session, window and Ctrl-C flag. */
struct zkctx shell_zkctx(struct shell *sh);

/* walk_zk with the shell's context (see zk/walk.h). */
int walk_tree(struct shell *sh, const char *root, const struct walk_opts *o, walk_visit fn,
	      void *ctx, struct walk_result *res);

/*
 * Report a walk_tree error (its return value rc) naming the node it failed
 * on: "No server answered within the session timeout (3000 ms) while
 * reading /a/b" (exit 3) when no member answered in time, the session's
 * expiry, or rc on the node. Returns the exit code.
 */
int walk_fail(struct shell *sh, int rc, const char *root, const struct walk_result *res);

/* Turn what a walk left undone into a message and an exit code (ZX_OK if none). */
int walk_report(struct shell *sh, const char *what, const struct walk_result *res);

/* A node's data into a malloc'd buffer (*len < 0: null data); a ZooKeeper rc (zkx_get_data). */
int zk_get_data(struct shell *sh, const char *path, int watch, char **out, int *len,
		struct Stat *st);
/* zoo_async (sync) on path and wait for its answer (zkx_sync); a ZooKeeper rc. */
int zk_sync(struct shell *sh, const char *path);

#endif
