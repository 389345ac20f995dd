/*
 * Reporting ZooKeeper errors and the shell's own: the message and the exit
 * code come from the pure mapping (zk/errmap.h), the output from render.c.
 */
#ifndef ZKSH_ZKERR_H
#define ZKSH_ZKERR_H

#include "zk/errmap.h"

struct shell;

/* Report rc on path to stderr (text or JSON) and return its exit code. */
int zk_fail(struct shell *sh, int rc, const char *path);
/* Report a printf-style error with the given exit code and return the code. */
int sh_error(struct shell *sh, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
