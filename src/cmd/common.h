/* Helpers shared by the command families. */
#ifndef ZKSH_CMD_COMMON_H
#define ZKSH_CMD_COMMON_H

#include "zkshell.h" /* walk_tree, walk_fail, shell_zkctx */

struct shell;
struct walk_result;

/* The session's handle (the file must include session.h and shell.h). */
#define ZH(sh) ((sh)->sess->zh)

/* Turn what a walk left undone into a message and an exit code (ZX_OK if none). */
int walk_report(struct shell *sh, const char *what, const struct walk_result *res);
/* A node's data into a malloc'd buffer (*len < 0: null data); a ZooKeeper rc. */
struct Stat;
int zk_get_data(struct shell *sh, const char *path, int watch, char **out, int *len,
		struct Stat *st);
/* zoo_async (sync) on path and wait for its answer; returns a ZooKeeper rc. */
int zk_sync(struct shell *sh, const char *path);

/*
 * The serialized size of a create (or set) request apart from its data, from
 * the jute encoding: what arg_data adds to the data before comparing with the
 * server's jute.maxbuffer.
 */
struct ACL_vector;
long create_overhead(const struct shell *sh, const char *path, const struct ACL_vector *acl,
		     int ttl);
long set_overhead(const struct shell *sh, const char *path);

#endif
