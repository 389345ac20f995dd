/*
 * The connection: connect with a timeout, the watcher that turns ZooKeeper's
 * callbacks into a queue the main thread reads (with a pipe to select() on),
 * credentials to re-apply after a new session, and close.
 */
#ifndef ZKSH_SESSION_H
#define ZKSH_SESSION_H

#include <pthread.h>
#include <signal.h>
#include <stdint.h>

#include <zookeeper/zookeeper.h>

struct zk_event {
	int type;   /* ZOO_*_EVENT */
	int state;  /* ZOO_*_STATE */
	char *path; /* NULL for session events */
	int wid;    /* emulated persistent watch that made it (watches.h); 0: the default watcher */
	/*
	 * Emulated watches only: the zxid of the change where zksh observed it
	 * (mzxid of the data read after a data event, pzxid of the listing after
	 * a child event, czxid of a created node; 0: not known), and, for a watch
	 * that asked for data, the node as read after the event.
	 */
	int64_t zxid;
	int have_stat;
	struct Stat stat;
	char *data;  /* malloc'd, or NULL */
	int datalen; /* -1: null data (or not read) */
	struct zk_event *next;
};

struct auth_cred {
	char *scheme;
	char *cred;
	struct auth_cred *next;
};

struct session;

/*
 * Hooks: modules that keep state tied to the handle (the emulated watches,
 * the walks given up on) register a function the session calls at each
 * point of a handle's end, so that the session needs to know none of them.
 * Registered and run on the main thread.
 */
enum session_hook_point {
	SESSION_BEFORE_CLOSE, /* a handle is about to close: stop sending requests */
	SESSION_CLOSED,	      /* the handle closed (also when there was none): no callback runs */
	SESSION_FREE,	      /* the session is being freed, after SESSION_CLOSED */
};
typedef void (*session_hook_fn)(struct session *s, void *ctx);
#define SESSION_MAX_HOOKS 8

struct session_hook {
	enum session_hook_point point;
	session_hook_fn fn;
	void *ctx;
};

struct session_orphan;

struct session {
	zhandle_t *zh;
	char *hosts; /* connect string, chroot included */
	int timeout_ms;
	int readonly;

	pthread_mutex_t mu;
	pthread_cond_t cv;
	int state;	    /* last ZOO_*_STATE the watcher saw (0: none yet) */
	int expired;	    /* the session expired; a new one is needed */
	int sessions;	    /* how many sessions this handle has opened */
	int had_session;    /* the current handle has been connected once */
	int chroot_checked; /* the chroot of hosts exists (conn.c) */

	struct zk_event *head, *tail;
	int evpipe[2]; /* a byte per queued event */

	struct auth_cred *auths; /* added with addauth, re-applied after expiry */

	struct watches *watches; /* emulated persistent watches (watches.c owns it), or NULL */

	struct session_hook hooks[SESSION_MAX_HOOKS];
	int nhooks;

	struct session_orphan *orphans; /* session_free_after_close, guarded by mu */

	/* the nudger (see session_busy), guarded by mu */
	pthread_t nudger;
	int nudger_running;
	int nudger_stop;
	int busy;
};

/*
 * Event types the C client does not deliver, with Java's values: removewatches
 * reports the removals itself, as zkCli shows them.
 */
#define ZKSH_CHILD_WATCH_REMOVED_EVENT	    5
#define ZKSH_DATA_WATCH_REMOVED_EVENT	    6
#define ZKSH_PERSISTENT_WATCH_REMOVED_EVENT 7

/*
 * What the ZooKeeper layer's long operations (the walker, the emulated
 * watches) need from their caller: the session, the requests to keep in
 * flight, and a flag that asks them to stop (Ctrl-C; NULL: never).
 */
struct zkctx {
	struct session *sess;
	int window;
	const volatile sig_atomic_t *stop;
};

struct session *session_new(const char *hosts, int timeout_ms, int readonly);
void session_free(struct session *s);

/*
 * Open the handle. wait_ms > 0 waits that long for a connection; 0 returns
 * at once (the REPL shows CONNECTING). Returns ZOK or a ZooKeeper error
 * (ZCONNECTIONLOSS when the wait ran out, ZAUTHFAILED, ZSESSIONEXPIRED).
 */
int session_open(struct session *s, int wait_ms);
int session_wait(struct session *s, int wait_ms);
/*
 * Keep obj, which answers to requests still out point into (a walk or a
 * deleteall given up on: Ctrl-C, a silent server), until the handle has
 * closed and no answer can come any more; then free_fn(obj).
 */
void session_free_after_close(struct session *s, void (*free_fn)(void *), void *obj);
void session_close(struct session *s);
/*
 * Call fn(s, ctx) at point from now on. Adding the same fn and ctx again
 * changes nothing; past SESSION_MAX_HOOKS it aborts (a programming error).
 */
void session_add_hook(struct session *s, enum session_hook_point point, session_hook_fn fn,
		      void *ctx);
int session_connected(struct session *s);
/* 1 once the current handle has had a session: refusals then mean fail-over. */
int session_had_session(struct session *s);
int session_state(struct session *s);

/* Next queued event or NULL; the caller frees it with session_event_free. */
struct zk_event *session_next_event(struct session *s);
void session_event_free(struct zk_event *e);
int session_event_fd(const struct session *s);

/* zoo_add_auth and wait for the answer; on success remember it for re-use. */
int session_add_auth(struct session *s, const char *scheme, const char *cred);

/* Queue a filled-in event (malloc'd, with its path and data); the queue owns it. */
void session_queue_event(struct session *s, struct zk_event *e);

/* Queue an event as the watcher would; wid names the emulated watch (0: none). */
void session_push_event(struct session *s, int type, int state, const char *path, int wid);

/*
 * Remember a credential before there is a handle (ZKSH_AUTH, --auth-file):
 * session_open hands every remembered credential to each new handle.
 */
void session_preload_auth(struct session *s, const char *scheme, const char *cred);

/* zoo_remove_watches for the watches set with watch=1 (the default watcher). */
int session_remove_watches(struct session *s, const char *path, int wtype, int local);

/*
 * Mark that a command is running (1) or finished (0). While one runs, a
 * background thread sends a cheap read every 500 ms. ZooKeeper 3.8.0 (the
 * version Debian ships) has a lost wake-up in its CommitProcessor
 * (ZOOKEEPER-4537, fixed in 3.8.1): a committed write's answer can sit on
 * the server until another request arrives. The Java client's pings happen
 * to provide one; the C client sends no ping while a request is in flight,
 * so without this a synchronous write could wait for the session timeout.
 */
void session_busy(struct session *s, int busy);

/* zkCli's names: "SyncConnected", "NodeDataChanged", ... */
const char *state_name(int state);
const char *state_label(int state); /* prompt: CONNECTED, CONNECTING, ... */
const char *event_type_name(int type);

#endif
