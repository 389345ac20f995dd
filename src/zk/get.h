/* Reads the ZooKeeper C client leaves to its caller. */
#ifndef ZKSH_ZK_GET_H
#define ZKSH_ZK_GET_H

#include <zookeeper/zookeeper.h>

/*
 * A node's whole data into a malloc'd buffer (*len < 0: null data). zoo_get
 * fills a buffer of the caller's size and says how long the data really
 * was, so a larger node is read again into a buffer of its size; a watch
 * is set by the first read only. Returns a ZooKeeper rc.
 */
int zkx_get_data(zhandle_t *zh, const char *path, int watch, char **out, int *len, struct Stat *st);

/*
 * zoo_async (sync) on path and wait for its answer, at most deadline_ms
 * (zk/engine.h): the C client answers every request, ConnectionLoss
 * included, within about the session timeout; the deadline is a guard on
 * top of that. Returns a ZooKeeper rc (OperationTimeout past the deadline).
 */
int zkx_sync(zhandle_t *zh, const char *path, int deadline_ms);

#endif
