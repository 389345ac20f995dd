/*
 * ZooKeeper's classic recipes, on the ZooKeeper layer only: this module
 * never includes shell.h or render.h. A command hands it a small context
 * (the session, a stop flag its signal handler sets) and turns the status
 * it gets back into messages and exit codes (src/cmd/recipes.c).
 *
 * Every wait here has a deadline (or none, by the caller's choice), wakes
 * at least every 100 ms to look at the stop flag, and gives up when the
 * connection has been gone for a whole session timeout, so a dead server
 * never makes a recipe hang.
 */
#ifndef ZKSH_RECIPES_H
#define ZKSH_RECIPES_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

struct session;

enum rcp_status {
	RCP_OK = 0,
	RCP_ZK,	     /* a ZooKeeper call failed: zrc and zpath say which */
	RCP_TIMEOUT, /* the deadline passed */
	RCP_STOPPED, /* a signal asked to stop (*stop holds its number) */
	RCP_BUSY,    /* lock --try: held by someone else (err names the holder) */
	RCP_BADDATA, /* a node's data is not what the recipe needs (err says why) */
	RCP_NOTDIR,  /* the path is not a directory of this recipe (err says why) */
	RCP_EXPIRED, /* the session expired (or the connection stayed gone too long) */
	RCP_LOCAL,   /* a local failure: fork, exec, read (err says why) */
	RCP_EMPTY,   /* queue pop without --wait: nothing there */
};

struct rcp {
	struct session *sess;
	/* set to a signal's number by the caller's handler (SIGINT, SIGTERM, SIGHUP) */
	volatile sig_atomic_t *stop;
	int zrc;	      /* with RCP_ZK: the ZooKeeper error */
	char zpath[4096];     /* with RCP_ZK: the path it concerned */
	char err[1024];	      /* with the other failures: a message */
	long long down_since; /* monotonic ms the connection was last seen gone, 0: up */
};

/* ---- shared machinery (common.c) --------------------------------------- */

/* Fill r for sess and stop; the status helpers below record into it. */
void rcp_init(struct rcp *r, struct session *sess, volatile sig_atomic_t *stop);
int rcp_zfail(struct rcp *r, int zrc, const char *path);
int rcp_fail(struct rcp *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Route the events of the recipes' watches to sess's event queue while a
 * recipe runs (rcp_wait_event sees them); NULL drops them from then on,
 * and the watch events still queued with them.
 */
void rcp_listen(struct session *sess);
/* exists / get / getChildren2 with the recipes' watch (see rcp_listen). */
struct Stat;
struct String_vector;
int rcp_wexists(struct rcp *r, const char *path, struct Stat *st);
int rcp_wget(struct rcp *r, const char *path, char *buf, int *len, struct Stat *st);
int rcp_wchildren(struct rcp *r, const char *path, struct String_vector *v, struct Stat *st);

/* The session timeout the server granted, in ms (the asked one before that). */
int rcp_session_timeout(struct rcp *r);

/*
 * Wait for the next ZooKeeper event (watch or session), until deadline
 * (monotonic ms; < 0: none). RCP_OK when one or more events came (consumed),
 * else RCP_TIMEOUT, RCP_STOPPED or RCP_EXPIRED.
 */
int rcp_wait_event(struct rcp *r, long long deadline);

/* After ConnectionLoss: wait until connected again (RCP_OK) or give up. */
int rcp_reconnected(struct rcp *r, long long deadline);

/* 1 for the errors after which a read may simply be tried again. */
int rcp_transient(int zrc);

/* Create path and its missing parents as persistent empty nodes. */
int rcp_mkdirs(struct rcp *r, const char *path);

/* 16 random hex digits: the protected-mode id of this process's nodes. */
void rcp_unique_id(char out[17]);

/* The lock node's data: {"host":..., "pid":..., "start":..., "id":...} (id may be NULL). */
char *rcp_owner_data(const char *id);

/* ---- counter.c ---------------------------------------------------------- */

/* Add delta to the number in path (created as init + delta when missing). */
int rcp_incr(struct rcp *r, const char *path, long long delta, long long init, long long *value);

/* ---- wait.c ------------------------------------------------------------- */

enum rcp_cond { WAIT_EXISTS, WAIT_GONE, WAIT_VALUE, WAIT_CHANGED, WAIT_CHILDREN };

struct rcp_wait {
	enum rcp_cond cond;
	const char *value; /* WAIT_VALUE */
	long long since;   /* WAIT_CHANGED: the mzxid to differ from; -1: the state at start */
	int children;	   /* WAIT_CHILDREN: at least this many */
	long long mzxid;   /* out: the node's mzxid when the condition held (0: no node) */
};

int rcp_wait_for(struct rcp *r, const char *path, struct rcp_wait *w, long long deadline);

/* ---- lock.c: lock, read lock, election ---------------------------------- */

enum rcp_kind { KIND_LOCK, KIND_READ, KIND_ELECT };

struct rcp_node {
	char name[64];
	enum rcp_kind kind;
	long long seq;
};

struct rcp_lock {
	char dir[4096];
	enum rcp_kind kind;
	char uid[17];
	char node[4200]; /* our node's path once created, "" before */
	long long token; /* our node's czxid */
	const char *id;	 /* election: the candidate's id (NULL: host:pid) */
};

/* Parse a lock-directory child name ("lock-<uid>-<seq>"); -1 when it is none. */
int rcp_parse_node(const char *name, struct rcp_node *n);

/*
 * Take the lock (or leadership): create our node, then wait, watching only
 * the node before ours, until nothing blocks it. try_only: RCP_BUSY at once
 * when blocked. On any failure our node is removed. holder gets the node
 * name and data of whoever blocked us at the end (may be "").
 */
int rcp_lock_acquire(struct rcp *r, struct rcp_lock *l, int try_only, long long deadline,
		     char *holder, size_t holderlen);
/* Delete our node (when there is one). */
void rcp_lock_release(struct rcp *r, struct rcp_lock *l);

/* The nodes of a lock directory in queue order; the caller frees *nodes. */
int rcp_lock_nodes(struct rcp *r, const char *dir, struct rcp_node **nodes, int *n);
/* How many of the sorted nodes hold the lock now (the rest wait). */
int rcp_lock_holders(const struct rcp_node *nodes, int n);

/* ---- hold.c: run a child while something is held ------------------------ */

enum rcp_onloss { LOSS_KILL, LOSS_WARN };

struct rcp_hold {
	char **argv; /* the child's command */
	char **env;  /* extra NAME=VALUE entries, NULL-terminated (may be NULL) */
	enum rcp_onloss onloss;
	long long grace;  /* ms between SIGTERM and SIGKILL */
	const char *node; /* the node whose loss ends the hold (watched) */
	/* register: re-create the node after an expiry instead of losing it */
	int renew;
	const char *create_path; /* the path to create (the prefix with seq) */
	const char *data;
	int datalen;
	int seq;       /* the node was ephemeral-sequential */
	char *renewed; /* out: the re-created node's path (malloc'd), or NULL */
	void (*warn)(void *ctx, const char *msg); /* tell the user (stderr) */
	void *warn_ctx;
	int lost;   /* out: the hold was lost while the child ran */
	int status; /* out: the child's wait status */
};

/* Start h->argv, hold until it exits. RCP_OK (see lost/status) or RCP_LOCAL
 * (could not start it; status then says 126 or 127 as a shell would). */
int rcp_hold_run(struct rcp *r, struct rcp_hold *h);

/* ---- queue.c ----------------------------------------------------------- */

int rcp_queue_push(struct rcp *r, const char *dir, const char *data, int len, char *out,
		   size_t outlen);
/* Take the oldest item: RCP_EMPTY at once without wait, RCP_TIMEOUT when
 * none came before the deadline. *data is malloc'd (len < 0: null data). */
int rcp_queue_pop(struct rcp *r, const char *dir, int wait, long long deadline, char **data,
		  int *len);

/* ---- publish.c: the ready-znode recipe ---------------------------------- */

struct conf;

/* Replace the subtree under dir with c between a delete and a create of dir/ready. */
int rcp_publish(struct rcp *r, const char *dir, const char *ready, const struct conf *c);
/* Read the subtree under dir as of one ready node (waiting for it until deadline). */
int rcp_fetch(struct rcp *r, const char *dir, const char *ready, long long deadline,
	      struct conf *c);

#endif
