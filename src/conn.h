/* Connecting on demand: commands that need ZooKeeper call conn_ensure first. */
#ifndef ZKSH_CONN_H
#define ZKSH_CONN_H

struct shell;

/* Connect (or reconnect after expiry) within the timeout. ZX_OK or ZX_CONN. */
int conn_ensure(struct shell *sh);
/* Replace the session with one to hosts (the `connect` command). */
int conn_switch(struct shell *sh, const char *hosts);

#endif
