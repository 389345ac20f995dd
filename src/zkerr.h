/* The one place that turns ZooKeeper return codes into messages and exit codes. */
#ifndef ZKSH_ZKERR_H
#define ZKSH_ZKERR_H

#include <stddef.h>

struct shell;

/* zkCli's text for rc on path ("Node does not exist: /p"); path may be NULL. */
void zkerr_message(int rc, const char *path, char *out, size_t outlen);
/* The exit code for rc (ZX_ZK, ZX_CONN, ...). */
int zkerr_exit(int rc);
/* ZooKeeper's name of rc ("NoNode"), as in KeeperException.Code. */
const char *zkerr_name(int rc);
/* Report rc on path to stderr (text or JSON) and return its exit code. */
int zk_fail(struct shell *sh, int rc, const char *path);
/* Report a printf-style error with the given exit code and return the code. */
int sh_error(struct shell *sh, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
