/*
 * Quotas as ZooKeeper 3.8 stores them, encoded and decoded; pure. Under
 * /zookeeper/quota<path> the node zookeeper_limits holds the limits and
 * zookeeper_stats what the server counts, both as a StatsTrack string:
 *
 *   "count=10,bytes=-1=;byteHardLimit=-1;countHardLimit=-1"  (3.8)
 *   "count=2,bytes=0"                                         (older, and stats)
 *
 * The odd "=" after bytes is 3.8's marker for the hard-limit keys that
 * follow; the older form is read too and written back as it was.
 */
#ifndef ZKSH_ZK_QUOTACODEC_H
#define ZKSH_ZK_QUOTACODEC_H

#include <stddef.h>

#include "zk/path.h"

#define QUOTA_ROOT	  "/zookeeper/quota"
#define QUOTA_LIMITS_NODE "zookeeper_limits"
#define QUOTA_STATS_NODE  "zookeeper_stats"
/* A path under QUOTA_ROOT with its leaf: the size of quota_path's out. */
#define QUOTA_PATH_MAX (ZKSH_PATH_MAX + 64)
/* Enough for any quota_format text (four keys with 20-digit values). */
#define QUOTA_TEXT_MAX 160

/* A StatsTrack: a missing key reads as -1; hard limits are written only if present. */
struct quota {
	long long count, bytes, count_hard, byte_hard;
	int has_count_hard, has_byte_hard;
};

/* The fields quota_set_field sets, in the order of setquota's -n -b -N -B. */
enum quota_field {
	QUOTA_COUNT,	  /* count (soft) */
	QUOTA_BYTES,	  /* bytes (soft) */
	QUOTA_COUNT_HARD, /* countHardLimit */
	QUOTA_BYTE_HARD,  /* byteHardLimit */
};

/* Every field -1, no hard limit. */
void quota_init(struct quota *q);

/*
 * Read len bytes of StatsTrack text (not NUL-terminated; NULL or len <= 0
 * is an empty quota). Keys are separated by ',' or ';'; unknown keys and
 * entries without '=' are skipped; a value is read as strtoll does (digits
 * up to the first other character, 0 when there are none; clamped to the
 * range of long long).
 */
void quota_parse(const char *data, int len, struct quota *q);

/*
 * StatsTrack.toString() of 3.8, key order included, into out (always
 * NUL-terminated when outlen > 0; cut short when outlen is too small).
 */
void quota_format(const struct quota *q, char *out, size_t outlen);

/* Set one field (a hard limit then counts as present). Other values of which are ignored. */
void quota_set_field(struct quota *q, int which, long long v);

/* QUOTA_ROOT + path [+ "/" + leaf] into out (QUOTA_PATH_MAX bytes); leaf may be NULL. */
void quota_path(const char *path, const char *leaf, char *out);

#endif
