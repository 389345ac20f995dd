/*
 * Children of znodes for completion: asked for asynchronously, waited for
 * only briefly, and kept for a short while. A Tab on a slow server gives up
 * after the wait; the answer still lands in the cache when it comes, so the
 * next Tab finds it at once.
 */
#ifndef ZKSH_ZNODECACHE_H
#define ZKSH_ZNODECACHE_H

struct session;
struct zcache;

struct zkids {
	int rc;	      /* ZOK, or the error of get_children2 (ZNONODE, ...) */
	char **names; /* unsorted, as the server sent them */
	int n;
	int numchildren; /* from the node's stat */
};

struct zcache *zcache_new(void);
void zcache_free(struct zcache *c);
void zcache_flush(struct zcache *c);

/*
 * The children of path: cached answers younger than ttl_ms, else a new
 * request waited for up to wait_ms. NULL when there is no answer (yet) or
 * no connection. The answer stays valid until the next zcache call.
 */
const struct zkids *zcache_children(struct zcache *c, struct session *s, const char *path,
				    int wait_ms, int ttl_ms);

#endif
