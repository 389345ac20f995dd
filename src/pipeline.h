/*
 * The pipelined writer for batch mode: write commands are sent without
 * waiting, up to `window` in flight. One session's requests are applied in
 * order, so effects keep script order; each answer is reported with its line.
 */
#ifndef ZKSH_PIPELINE_H
#define ZKSH_PIPELINE_H

#include <pthread.h>

struct shell;

struct pipeline {
	struct shell *sh;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int window;
	int inflight;
	long sent, ok, failed;
	int first_code; /* exit code of the first failure */
};

/* A request in flight: what its completion needs to report. */
struct preq {
	struct pipeline *p;
	long line;
	char *path;
	int kind; /* PREQ_CREATE, ... */
	int print_stat;
};

enum { PREQ_CREATE, PREQ_SET, PREQ_DELETE };

struct pipeline *pipeline_new(struct shell *sh, int window);
void pipeline_free(struct pipeline *p);
/* Wait for room in the window, then count one more request in flight. */
struct preq *pipeline_reserve(struct pipeline *p, int kind, const char *path);
/* Give back a reservation whose request could not be sent. */
void pipeline_cancel(struct preq *r, int rc);
/* Completion side: report rc (and created path) and free r. */
void pipeline_complete(struct preq *r, int rc, const char *created);
/* Wait until nothing is in flight. ZX_OK, or the first failure's code. */
int pipeline_drain(struct pipeline *p);

#endif
