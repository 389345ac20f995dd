/*
 * bench/multi_ceiling -- the raw C-client ceiling for writes grouped into
 * zoo_amulti batches.
 *
 * Connects with libzookeeper_mt, then creates (or deletes) PARENT/z0 ..
 * PARENT/z<N-1> in multi() batches of B operations, keeping at most W
 * batches in flight, waits for every completion and prints how long that
 * took. No parsing, no output per node: what the C client itself can do
 * with multi(). zksh's default batch mode is measured against it.
 *
 *   multi_ceiling -server HOST:PORT [-op create|delete] [-n N] [-b B] [-w W]
 *                 [-p PARENT] [-d DATA] [-timeout MS] [-resolve-delay MS]
 *
 * Output, one line on stdout (bench/run.sh parses it):
 *   multi op=create n=20000 batch=1000 window=1 ok=20000 failed=0 connect_ms=3.1 op_ms=120.4
 * total_ms=123.5 Exit 0 if every operation succeeded, 1 if some failed, 2 on usage errors, 3 if it
 * could not connect.
 *
 * Build: cc -DTHREADED -O2 multi_ceiling.c -lzookeeper_mt -lpthread
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zookeeper/zookeeper.h>

struct batch {
	int n;
	zoo_op_t *ops;
	zoo_op_result_t *res;
	char (*paths)[64];
	char (*created)[80];
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int inflight, connected;
static long ok, failed;
static int first_rc;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
watcher(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
	(void)zh;
	(void)path;
	(void)ctx;
	if (type != ZOO_SESSION_EVENT)
		return;
	pthread_mutex_lock(&mu);
	if (state == ZOO_CONNECTED_STATE)
		connected = 1;
	else if (state == ZOO_EXPIRED_SESSION_STATE || state == ZOO_AUTH_FAILED_STATE)
		connected = -1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static void
multi_done(int rc, const void *data)
{
	const struct batch *b = data;

	pthread_mutex_lock(&mu);
	if (rc == ZOK) {
		ok += b->n;
	} else {
		if (failed == 0)
			first_rc = rc;
		failed += b->n;
	}
	inflight--;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
}

static long
num_arg(const char *name, const char *v, long lo, long hi)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *v == '\0' || *end != '\0' || n < lo || n > hi) {
		fprintf(stderr, "multi_ceiling: %s wants a number from %ld to %ld, not '%s'\n",
			name, lo, hi, v);
		exit(2);
	}
	return n;
}

static void
usage(void)
{
	fputs("usage: multi_ceiling -server HOST:PORT [-op create|delete] [-n N] [-b B] [-w W]\n"
	      "                     [-p PARENT] [-d DATA] [-timeout MS] [-resolve-delay MS]\n",
	      stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	double t0 = now_ms(), t_conn, t_end;
	const char *server = NULL, *parent = "/bench/multi", *data = "data", *op = "create";
	long n = 20000, bsize = 1000, w = 1, timeout = 30000, resolve_delay = 0;
	int del, dlen, nb;
	struct batch *batches;
	struct timespec dl;
	zhandle_t *zh;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] == '-' && a[1] == '-')
			a++;
		if (i + 1 >= argc)
			usage();
		if (strcmp(a, "-server") == 0)
			server = argv[++i];
		else if (strcmp(a, "-op") == 0)
			op = argv[++i];
		else if (strcmp(a, "-n") == 0)
			n = num_arg("-n", argv[++i], 1, 100000000);
		else if (strcmp(a, "-b") == 0)
			bsize = num_arg("-b", argv[++i], 1, 100000);
		else if (strcmp(a, "-w") == 0)
			w = num_arg("-w", argv[++i], 1, 100000);
		else if (strcmp(a, "-p") == 0)
			parent = argv[++i];
		else if (strcmp(a, "-d") == 0)
			data = argv[++i];
		else if (strcmp(a, "-timeout") == 0)
			timeout = num_arg("-timeout", argv[++i], 1, 3600000);
		else if (strcmp(a, "-resolve-delay") == 0)
			resolve_delay = num_arg("-resolve-delay", argv[++i], -1, 86400000);
		else
			usage();
	}
	if (server == NULL || strlen(parent) > 40 || (strcmp(op, "create") && strcmp(op, "delete")))
		usage();
	del = strcmp(op, "delete") == 0;
	dlen = (int)strlen(data);

	/* every op prepared before the clock starts: the client's cost, not ours */
	nb = (int)((n + bsize - 1) / bsize);
	batches = calloc((size_t)nb, sizeof(*batches));
	for (int k = 0; k < nb; k++) {
		struct batch *b = &batches[k];

		b->n = (int)(k + 1 < nb ? bsize : n - (long)k * bsize);
		b->ops = calloc((size_t)b->n, sizeof(*b->ops));
		b->res = calloc((size_t)b->n, sizeof(*b->res));
		b->paths = calloc((size_t)b->n, sizeof(*b->paths));
		b->created = calloc((size_t)b->n, sizeof(*b->created));
		for (int i = 0; i < b->n; i++) {
			snprintf(b->paths[i], sizeof(b->paths[i]), "%s/z%ld", parent,
				 (long)k * bsize + i);
			if (del)
				zoo_delete_op_init(&b->ops[i], b->paths[i], -1);
			else
				zoo_create_op_init(&b->ops[i], b->paths[i], data, dlen,
						   &ZOO_OPEN_ACL_UNSAFE, ZOO_PERSISTENT,
						   b->created[i], sizeof(b->created[i]));
		}
	}

	zoo_set_debug_level(getenv("CEILING_DEBUG") ? ZOO_LOG_LEVEL_DEBUG : 0);
	zh = zookeeper_init(server, watcher, (int)timeout, NULL, NULL, 0);
	if (zh == NULL) {
		fprintf(stderr, "multi_ceiling: zookeeper_init: %s\n", strerror(errno));
		return 3;
	}
	if (resolve_delay != 0 && zoo_set_servers_resolution_delay(zh, (int)resolve_delay) != ZOK)
		return 2;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += timeout / 1000;
	pthread_mutex_lock(&mu);
	while (connected == 0)
		if (pthread_cond_timedwait(&cv, &mu, &dl) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&mu);
	if (connected != 1) {
		fprintf(stderr, "multi_ceiling: could not connect to %s\n", server);
		zookeeper_close(zh);
		return 3;
	}
	t_conn = now_ms();

	for (int k = 0; k < nb; k++) {
		int rc;

		pthread_mutex_lock(&mu);
		while (inflight >= w)
			pthread_cond_wait(&cv, &mu);
		inflight++;
		pthread_mutex_unlock(&mu);
		rc = zoo_amulti(zh, batches[k].n, batches[k].ops, batches[k].res, multi_done,
				&batches[k]);
		if (rc != ZOK)
			multi_done(rc, &batches[k]);
	}
	pthread_mutex_lock(&mu);
	while (inflight > 0)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	t_end = now_ms();

	printf("multi op=%s n=%ld batch=%ld window=%ld ok=%ld failed=%ld connect_ms=%.1f "
	       "op_ms=%.1f total_ms=%.1f\n",
	       op, n, bsize, w, ok, failed, t_conn - t0, t_end - t_conn, t_end - t0);
	if (failed > 0)
		fprintf(stderr, "multi_ceiling: %ld operations failed; first: %s\n", failed,
			zerror(first_rc));
	zookeeper_close(zh);
	for (int k = 0; k < nb; k++) {
		free(batches[k].ops);
		free(batches[k].res);
		free(batches[k].paths);
		free(batches[k].created);
	}
	free(batches);
	return failed > 0 ? 1 : 0;
}
