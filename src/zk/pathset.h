/*
 * A set of znode paths, each with the sorted names of its children as last
 * listed: what an emulated recursive watch remembers of its subtree, so that
 * a new listing can be compared with the previous one (watches.c).
 */
#ifndef ZKSH_PATHSET_H
#define ZKSH_PATHSET_H

#include <stddef.h>
#include <stdint.h>

struct pnode {
	char *path;
	char **kids; /* sorted names of the last listing */
	int nkids;
	int listed;
	int32_t cversion; /* of that listing: older answers are ignored */
	void *pending;	  /* watches.c: the request whose answer reports this node's event */
	struct pnode *next;
};

struct pathset {
	struct pnode **tab; /* buckets; walk them to visit every node */
	size_t size, count;
};

struct pnode *pathset_find(const struct pathset *t, const char *path);
/* Add path (not yet in t) with no listing. */
struct pnode *pathset_insert(struct pathset *t, const char *path);
void pathset_remove(struct pathset *t, struct pnode *n);
void pathset_clear(struct pathset *t);

/* Replace n's listing by names[0..count) (copied and sorted). */
void pnode_set_kids(struct pnode *n, char **names, int count, int32_t cversion);
int pnode_has_kid(const struct pnode *n, const char *name);
void pnode_free_kids(struct pnode *n);
void pnode_drop_kid(struct pnode *n, const char *name);
/* Whether name is in the sorted array names[0..count). */
int names_have(char **names, int count, const char *name);

#endif
