/*
 * What the walk commands (tree, du, count in explore.c; find, grep in
 * search.c) share: a node's kind from its Stat (the progress line is
 * progress.h). They stream their results as records (render.h), so memory
 * stays bounded for any tree size.
 */
#ifndef ZKSH_CMD_EXPLORE_H
#define ZKSH_CMD_EXPLORE_H

#include <stddef.h>

#include <cjson/cJSON.h>
#include <zookeeper/zookeeper.h>

#include "progress.h"

struct shell;
struct args;

/* The progress line: progress.h. */

/*
 * How ZooKeeper (3.5+) encodes a node's kind in ephemeralOwner: 0 persistent,
 * 0x8000000000000000 a container, high byte 0xff with the next two bytes 0 a
 * TTL node (the low five bytes are the TTL), anything else a session id.
 */
enum node_kind {
	NODE_PERSISTENT,
	NODE_EPHEMERAL,
	NODE_CONTAINER,
	NODE_TTL,
};

enum node_kind node_kind(const struct Stat *st);
const char *node_kind_name(enum node_kind k);
/* A sequential node's name ends in the server's 10-digit counter. */
int node_sequential(const char *name);

/* Write to stdout; a failed write stops the walk (sh->interrupted). */
void out_write(struct shell *sh, const char *s, size_t n);
void out_puts(struct shell *sh, const char *s);

/* A compare of find's -size, -children, -mtime: +N more, -N less, N exactly. */
struct numtest {
	int set;
	int op; /* '+', '-', '=' */
	long long n;
	long long unit;
};

int numtest_match(const struct numtest *t, long long value);

/* du -h: 1023, 1.0K, 9.9K, 10K, 1.5M; rounded up, in powers of 1024. */
void human_size(long long n, char *out, size_t len);

/*
 * fnmatch takes any pattern; what it cannot mean is a mistake worth saying:
 * a '[' without its ']' or a trailing backslash. NULL when the glob is fine.
 */
const char *glob_problem(const char *glob);

/* The exit code of a walk: rc of the root (zkCli's message), or what res left undone. */
struct walk_result;
int explore_walk_end(struct shell *sh, const char *what, int rc, const char *root,
		     const struct walk_result *res);

/* find and grep (search.c). */
int cmd_find(struct shell *sh, struct args *a);
int cmd_find_check(struct shell *sh, struct args *a);
int cmd_grep(struct shell *sh, struct args *a);
int cmd_grep_check(struct shell *sh, struct args *a);

#endif
