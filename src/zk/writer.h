/*
 * The writer: consecutive write lines of a script grouped into multi()
 * batches, with the semantics of running the lines one at a time.
 *
 * - A batch is sent when it would pass max_ops operations or max_bytes
 *   serialized bytes (well under the server's 1 MiB jute.maxbuffer), and
 *   when the caller flushes (before a read or any command that is not a
 *   batchable write). An op larger than max_bytes goes alone as a plain
 *   request.
 * - Batches are settled in script order. When one fails, the ops before
 *   the failing op are sent again as their own batch, the failing op is
 *   reported, and the writer stops (keep_going: goes on with the ops after
 *   it). Successes are reported after their batch committed, in order.
 * - window batches are in flight at once (1 by default: exact semantics;
 *   more is the weaker --pipeline mode).
 * - On ConnectionLoss it waits (up to the session timeout) for the client to
 *   reach a member, syncs, and settles each unacknowledged batch by reads:
 *   applied, not applied (sent again), or unknown (never sent again: the
 *   lines are reported and the run stops unless keep_going).
 * - atomic: every op goes into one batch, sent by writer_commit.
 *
 * The ZooKeeper layer: it knows neither the shell nor the renderers;
 * output goes through the callbacks.
 */
#ifndef ZKSH_ZK_WRITER_H
#define ZKSH_ZK_WRITER_H

#include <zookeeper/zookeeper.h>

#include "zk/engine.h"

struct session;

#define WRITER_MAX_OPS	 1000
#define WRITER_MAX_BYTES (512 * 1024)

enum wop_kind { WOP_CREATE, WOP_SET, WOP_DELETE, WOP_CHECK };

/* One write line. The writer owns path, data and acl once added. */
struct wop {
	int kind;
	long line;
	char *path;
	char *data; /* NULL: null data */
	int len;    /* -1 with data NULL */
	int version;
	int mode; /* create: ZOO_PERSISTENT, ZOO_EPHEMERAL, ... */
	struct ACL_vector acl;
	int own_acl;	/* acl was allocated (acl_free), else a static vector */
	char *created;	/* create: the name the server gave */
	struct Stat st; /* set: the stat the server returned */
	long bytes;	/* serialized size, estimated */
	int tag;	/* the caller's, untouched (batch.c: the line's output format) */
};

/* Outcomes the callbacks report. */
struct writer_cb {
	void *ctx;
	/* an op committed: print its line's output */
	void (*ok)(void *ctx, const struct wop *op);
	/* an op failed with rc (its line's message) */
	void (*fail)(void *ctx, const struct wop *op, int rc);
	/* a one-line note about the run (fail-over, unknown outcomes) for stderr */
	void (*note)(void *ctx, const char *msg);
};

struct wbatch;

struct writer {
	struct session *sess;
	struct writer_cb cb;
	struct eng e; /* batches in flight */
	int max_ops;
	long max_bytes;
	int keep_going;
	int atomic;
	int plain; /* every op as its own plain request (--no-batch --pipeline) */

	struct wbatch *cur;	    /* being filled */
	struct wbatch *head, *tail; /* sent, not yet settled, in order */
	int nlist;		    /* how many */

	long ok, failed; /* lines */
	long unknown;	 /* lines of unknown outcome */
	long dropped;	 /* lines never sent (after a failure that stops the run) */
	long failovers;	 /* connection losses survived */
	int first_rc;	 /* the first failure */
	long first_line;
	int stop;	    /* stop reading: a failure without keep_going */
	int fatal;	    /* the session or every member is gone: exit 3, stop */
	long last_acked;    /* the highest line committed */
	char *ref_path;	    /* a node created by the last acknowledged batch */
	long long ref_zxid; /* a zxid known acknowledged (set results) */
	int wait_ms;	    /* deadline for one batch's answer */
};

struct writer *writer_new(struct session *sess, const struct writer_cb *cb, int window);
/* Flush (writer_flush) and free. */
void writer_free(struct writer *w);

/* The serialized size of op, as the server will count it (estimate). */
long wop_bytes(const struct wop *op);
/* Release what an op owns. */
void wop_release(struct wop *op);

/*
 * Add op (copied; the writer takes over its buffers). Not in atomic mode it
 * may send the batch before it, or op itself as a plain request when it is
 * larger than max_bytes. Returns 0; in atomic mode -1 when the batch would
 * pass max_bytes (op is released, nothing sent).
 */
int writer_add(struct writer *w, struct wop *op);
/* Send what is pending and settle everything in flight. 0, or -1 when stopped. */
int writer_flush(struct writer *w);
/* Ops waiting in the batch being filled. */
int writer_pending(const struct writer *w);
/*
 * Atomic mode: send the one batch and settle it. A failure applies
 * nothing: the failing op is reported and nothing is sent again.
 */
int writer_commit(struct writer *w);
/* Drop what was added but not sent (atomic mode, after a refusal). */
void writer_discard(struct writer *w);

#endif
