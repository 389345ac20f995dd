/*
 * ZooKeeper return codes as text and as exit codes: the pure mapping, no
 * output (zkerr.h reports them). The exit codes have the values of the
 * shell's ZX_OK, ZX_ZK, ZX_USAGE and ZX_CONN (zkerr.c checks that).
 */
#ifndef ZKSH_ZK_ERRMAP_H
#define ZKSH_ZK_ERRMAP_H

#include <stddef.h>

enum {
	ZKE_OK = 0,    /* ZOK */
	ZKE_ZK = 1,    /* the ZooKeeper operation failed */
	ZKE_USAGE = 2, /* BadArguments */
	ZKE_CONN = 3,  /* connection, session or authentication */
};

/* zkCli's text for rc on path ("Node does not exist: /p"); path may be NULL. */
void zkerr_message(int rc, const char *path, char *out, size_t outlen);
/* The exit code for rc (ZKE_ZK, ZKE_CONN, ...). */
int zkerr_exit(int rc);
/* ZooKeeper's name of rc ("NoNode"), as in KeeperException.Code. */
const char *zkerr_name(int rc);

#endif
