/*
 * The connection: connect with a timeout, the watcher that turns ZooKeeper's
 * callbacks into a queue the main thread reads (with a pipe to select() on),
 * credentials to re-apply after a new session, and close.
 */
#ifndef ZKSH_SESSION_H
#define ZKSH_SESSION_H

#include <pthread.h>

#include <zookeeper/zookeeper.h>

struct zk_event {
	int type;   /* ZOO_*_EVENT */
	int state;  /* ZOO_*_STATE */
	char *path; /* NULL for session events */
	struct zk_event *next;
};

struct auth_cred {
	char *scheme;
	char *cred;
	struct auth_cred *next;
};

struct session {
	zhandle_t *zh;
	char *hosts; /* connect string, chroot included */
	int timeout_ms;
	int readonly;

	pthread_mutex_t mu;
	pthread_cond_t cv;
	int state;    /* last ZOO_*_STATE the watcher saw (0: none yet) */
	int expired;  /* the session expired; a new one is needed */
	int sessions; /* how many sessions this handle has opened */

	struct zk_event *head, *tail;
	int evpipe[2]; /* a byte per queued event */

	struct auth_cred *auths; /* added with addauth, re-applied after expiry */
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
void session_close(struct session *s);
int session_connected(struct session *s);
int session_state(struct session *s);

/* Next queued event or NULL; the caller frees it with session_event_free. */
struct zk_event *session_next_event(struct session *s);
void session_event_free(struct zk_event *e);
int session_event_fd(const struct session *s);

/* zoo_add_auth and wait for the answer; on success remember it for re-use. */
int session_add_auth(struct session *s, const char *scheme, const char *cred);

/* zkCli's names: "SyncConnected", "NodeDataChanged", ... */
const char *state_name(int state);
const char *state_label(int state); /* prompt: CONNECTED, CONNECTING, ... */
const char *event_type_name(int type);

#endif
