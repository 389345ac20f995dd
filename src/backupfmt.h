/*
 * The export format (JSON Lines, version 1), as pure functions: encode and
 * decode one line, the ephemeralOwner special values, the node order, and
 * the checks import makes on every line before the first write.
 *
 * Line 1, the header:
 *   {"format":"zksh-export","version":1,"root":"/src","zxid_first":"0x..",
 *    "zxid_last":"0x..","nodes":N,"data_bytes":B,"ephemerals_skipped":K,
 *    "ephemerals":["/rel",...],"zookeeper":false,"stat":false}
 * Then one node per line, in pre-order with siblings sorted bytewise
 * (parents before children):
 *   {"path":"/rel","data":"<base64>"|null,"acl":[{"scheme":..,"id":..,
 *    "perms":"cdrwa"}],"type":"persistent"|"container"|"ttl"[,"ttl":MS]
 *    [,"stat":{...}]}
 * Paths are relative to the exported root, which is "/" itself.
 */
#ifndef ZKSH_BACKUPFMT_H
#define ZKSH_BACKUPFMT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <zookeeper/zookeeper.h>

#define BFMT_VERSION 1

enum bfmt_type { BT_PERSISTENT, BT_EPHEMERAL, BT_CONTAINER, BT_TTL };

struct bnode {
	char *path; /* relative to the root: "/" is the root */
	char *data; /* NULL with len -1: null data */
	int len;
	struct ACL_vector acl;
	int type;		 /* BT_PERSISTENT, BT_CONTAINER or BT_TTL */
	long long ttl;		 /* BT_TTL: milliseconds (0: not known) */
	const struct Stat *stat; /* encode only: added with want_stat */
};

struct bheader {
	int version;
	char *root;
	long long nodes;
	long long data_bytes;
	long long ephemerals;
};

/*
 * What ephemeralOwner says (ZooKeeper's EphemeralType): 0 persistent,
 * INT64_MIN a container, 0xff00.. with zero type bits a TTL node whose low
 * 40 bits are the TTL, anything else a session's ephemeral.
 */
int bfmt_owner_type(int64_t owner, long long *ttl);

/* The node's line (without '\n'), malloc'd. */
char *bfmt_encode_node(const struct bnode *n);
/* The header line; ephemerals (relative paths) is borrowed. */
char *bfmt_encode_header(const char *root, int64_t zxid_first, int64_t zxid_last, long long nodes,
			 long long data_bytes, char **ephemerals, long long nephemerals,
			 int zookeeper, int stat);

/* Decode a node line into n (free with bfmt_node_free). 0, or -1 and err. */
int bfmt_decode_node(const char *line, struct bnode *n, char *err, size_t errlen);
void bfmt_node_free(struct bnode *n);
int bfmt_decode_header(const char *line, struct bheader *h, char *err, size_t errlen);
void bfmt_header_free(struct bheader *h);

/* Pre-order: component by component, siblings bytewise. <0, 0, >0. */
int bfmt_path_cmp(const char *a, const char *b);

/* The checks across lines: order, duplicates, parents, sizes. */
struct bcheck {
	char *prev; /* the previous node's path */
	long long nodes;
	long max_data;
};

void bcheck_init(struct bcheck *c, long max_data);
void bcheck_free(struct bcheck *c);
/* Check node n after the ones before it. 0, or -1 and err. */
int bcheck_node(struct bcheck *c, const struct bnode *n, char *err, size_t errlen);

/* 1 when child's parent is parent ("/a/b" of "/a"; "/a" of "/"). */
int bfmt_is_child(const char *parent, const char *child);

#endif
