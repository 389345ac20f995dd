/* Helpers shared by the command families. */
#ifndef ZKSH_CMD_COMMON_H
#define ZKSH_CMD_COMMON_H

struct shell;
struct walk_result;

/* Turn what a walk left undone into a message and an exit code (ZX_OK if none). */
int walk_report(struct shell *sh, const char *what, const struct walk_result *res);
/* zoo_async (sync) on path and wait for its answer; returns a ZooKeeper rc. */
int zk_sync(struct shell *sh, const char *path);

#endif
