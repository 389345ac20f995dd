/* Helpers shared by the command families. */
#ifndef ZKSH_CMD_COMMON_H
#define ZKSH_CMD_COMMON_H

#include "zkshell.h" /* walk_tree, walk_fail, walk_report, zk_get_data, zk_sync */

struct shell;

/* The session's handle (the file must include session.h and shell.h). */
#define ZH(sh) ((sh)->sess->zh)

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
