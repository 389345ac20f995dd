/*
 * The request engine: a bounded window of asynchronous ZooKeeper requests.
 * Reserve a place (waiting while the window is full), send, and complete
 * from the client's completion thread; drain waits until nothing is in
 * flight. Completions are tallied and the first failures are kept with
 * their context (path, script line). Every wait has a deadline.
 *
 * The ZooKeeper layer: it knows neither the shell nor the renderers.
 */
#ifndef ZKSH_ZK_ENGINE_H
#define ZKSH_ZK_ENGINE_H

#include <pthread.h>

#define ENG_LIST 20 /* failures kept one by one; the rest are counted */

struct eng_fail {
	int rc;
	long line;
	char *path;
};

struct eng {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int window;
	int inflight;
	int nonode_ok; /* NoNode counts as success (the node vanished meanwhile) */
	long sent, ok, failed;
	struct eng_fail fails[ENG_LIST];
	int nfails;
};

void eng_init(struct eng *e, int window);
void eng_destroy(struct eng *e);

/*
 * Wait for a place in the window (at most timeout_ms; < 0: no limit) and
 * count one more request in flight. 0, or -1 when the wait ran out.
 */
int eng_reserve(struct eng *e, int timeout_ms);
/* A reserved request finished (or could not be sent): tally n results of rc. */
void eng_complete(struct eng *e, int rc, const char *path, long line, long n);
/* Tally n more results without giving back a place (the parts of a multi). */
void eng_count(struct eng *e, int rc, const char *path, long line, long n);
/* Wait until nothing is in flight (at most timeout_ms; < 0: no limit). 0 or -1. */
int eng_drain(struct eng *e, int timeout_ms);
/* Requests in flight now. */
int eng_inflight(struct eng *e);

/*
 * A one-shot wait for one asynchronous answer: init, pass to the request
 * as its data, eng_wait_done from the completion, eng_wait_for in the caller.
 */
struct eng_wait {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
	int rc;
};

void eng_wait_init(struct eng_wait *w);
void eng_wait_done(struct eng_wait *w, int rc);
/* The answer's rc, or ZOPERATIONTIMEOUT when none came within timeout_ms (< 0: no limit). */
int eng_wait_for(struct eng_wait *w, int timeout_ms);
/* 1 once the answer came (then the request no longer refers to w). */
int eng_wait_answered(struct eng_wait *w);
/* Only once the answer came (or after a timeout, once it can no longer come). */
void eng_wait_destroy(struct eng_wait *w);

/* An absolute CLOCK_REALTIME deadline timeout_ms from now, for timed waits. */
struct timespec;
void eng_deadline(struct timespec *ts, int timeout_ms);

#endif
