/*
 * bench/ceiling -- the raw pipelined C-client ceiling for creates.
 *
 * Connects with libzookeeper_mt, then issues N zoo_acreate calls under
 * PARENT, keeping at most W in flight (a counting window on a mutex and a
 * condition variable, as zksh's pipeline does), waits for every completion
 * and prints how long that took. It does nothing else: no parsing, no
 * output per node. zksh --pipeline is measured against it.
 *
 *   ceiling -server HOST:PORT [-op create|delete|get|children] [-n N] [-w W] [-p PARENT]
 *           [-d DATA] [-timeout MS] [-resolve-delay MS]
 *
 * -op delete deletes PARENT/z0 .. PARENT/z<N-1> the same way (zoo_adelete).
 * -op get reads each of them as an export does, three requests a node:
 * zoo_aget (data and stat), zoo_aget_children and zoo_aget_acl; W counts
 * requests, ok counts answered requests (3 N when all went well).
 * -op children sends what a walk sends a node, one zoo_aget_children2
 * (children and stat) each.
 *
 * Output, one line on stdout (bench/run.sh parses it):
 *   ceiling n=20000 window=1000 ok=20000 failed=0 connect_ms=3.1 create_ms=812.4 total_ms=815.5
 * create_ms runs from the first zoo_acreate call to the last completion;
 * total_ms from process start to that point (connect included).
 * Exit 0 if every create succeeded, 1 if some failed, 2 on usage errors,
 * 3 if it could not connect.
 *
 * Build: cc -DTHREADED -O2 ceiling.c -lzookeeper_mt -lpthread
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zookeeper/zookeeper.h>

struct window {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int inflight;
	int connected;
	long ok, failed;
	int first_rc;
};

static struct window win = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, 0};

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
	pthread_mutex_lock(&win.mu);
	win.connected = state == ZOO_CONNECTED_STATE ? 1
			: (state == ZOO_EXPIRED_SESSION_STATE || state == ZOO_AUTH_FAILED_STATE)
			    ? -1
			    : win.connected;
	pthread_cond_broadcast(&win.cv);
	pthread_mutex_unlock(&win.mu);
}

static void
void_done(int rc, const void *data)
{
	(void)data;
	pthread_mutex_lock(&win.mu);
	if (rc == ZOK) {
		win.ok++;
	} else if (win.failed++ == 0) {
		win.first_rc = rc;
	}
	win.inflight--;
	pthread_cond_signal(&win.cv);
	pthread_mutex_unlock(&win.mu);
}

static void
data_done(int rc, const char *value, int len, const struct Stat *st, const void *data)
{
	(void)value;
	(void)len;
	(void)st;
	void_done(rc, data);
}

static void
kids_done(int rc, const struct String_vector *v, const void *data)
{
	(void)v;
	void_done(rc, data);
}

static void
kids2_done(int rc, const struct String_vector *v, const struct Stat *st, const void *data)
{
	(void)v;
	(void)st;
	void_done(rc, data);
}

static void
acl_done(int rc, struct ACL_vector *acl, struct Stat *st, const void *data)
{
	(void)acl;
	(void)st;
	void_done(rc, data);
}

/* Send one request of node i (k: 0 data, 1 children, 2 ACL) for -op get. */
static int
send_get(zhandle_t *zh, const char *path, int k)
{
	if (k == 0)
		return zoo_aget(zh, path, 0, data_done, NULL);
	if (k == 1)
		return zoo_aget_children(zh, path, 0, kids_done, NULL);
	return zoo_aget_acl(zh, path, acl_done, NULL);
}

static void
create_done(int rc, const char *value, const void *data)
{
	(void)value;
	void_done(rc, data);
}

static int
wait_connected(int timeout_ms)
{
	struct timespec deadline;
	int c;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&win.mu);
	while (win.connected == 0) {
		if (pthread_cond_timedwait(&win.cv, &win.mu, &deadline) == ETIMEDOUT)
			break;
	}
	c = win.connected;
	pthread_mutex_unlock(&win.mu);
	return c;
}

static long
num_arg(const char *name, const char *v, long lo, long hi)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *v == '\0' || *end != '\0' || n < lo || n > hi) {
		fprintf(stderr, "ceiling: %s wants a number from %ld to %ld, not '%s'\n", name, lo,
			hi, v);
		exit(2);
	}
	return n;
}

static void
usage(void)
{
	fputs("usage: ceiling -server HOST:PORT [-op create|delete|get|children] [-n N] [-w W] "
	      "[-p PARENT]\n"
	      "               [-d DATA] [-timeout MS] [-resolve-delay MS]\n",
	      stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	double t0 = now_ms(), t_conn, t_end;
	const char *server = NULL, *parent = "/bench/ceiling", *data = "data", *op = "create";
	long n = 20000, w = 1000, timeout = 30000, resolve_delay = 0;
	size_t dlen;
	zhandle_t *zh;
	char path[4096];
	int c, rc;

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
			n = num_arg("-n", argv[++i], 0, 100000000);
		else if (strcmp(a, "-w") == 0)
			w = num_arg("-w", argv[++i], 1, 1000000);
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
	if (server == NULL ||
	    (strcmp(op, "create") != 0 && strcmp(op, "delete") != 0 && strcmp(op, "get") != 0 &&
	     strcmp(op, "children") != 0))
		usage();
	dlen = strlen(data);

	zoo_set_debug_level(getenv("CEILING_DEBUG") ? ZOO_LOG_LEVEL_DEBUG : 0);
	zh = zookeeper_init(server, watcher, (int)timeout, NULL, NULL, 0);
	if (zh == NULL) {
		fprintf(stderr, "ceiling: zookeeper_init: %s\n", strerror(errno));
		return 3;
	}
	if (resolve_delay != 0 && zoo_set_servers_resolution_delay(zh, (int)resolve_delay) != ZOK) {
		fprintf(stderr, "ceiling: zoo_set_servers_resolution_delay failed\n");
		return 2;
	}
	c = wait_connected((int)timeout);
	if (c != 1) {
		fprintf(stderr, "ceiling: could not connect to %s\n", server);
		zookeeper_close(zh);
		return 3;
	}
	t_conn = now_ms();

	for (long i = 0; i < n * (op[0] == 'g' ? 3 : 1); i++) {
		snprintf(path, sizeof(path), "%s/z%ld", parent, op[0] == 'g' ? i / 3 : i);
		pthread_mutex_lock(&win.mu);
		while (win.inflight >= w)
			pthread_cond_wait(&win.cv, &win.mu);
		win.inflight++;
		pthread_mutex_unlock(&win.mu);
		if (op[0] == 'g')
			rc = send_get(zh, path, (int)(i % 3));
		else if (op[0] == 'c' && op[1] == 'h')
			rc = zoo_aget_children2(zh, path, 0, kids2_done, NULL);
		else if (op[0] == 'd')
			rc = zoo_adelete(zh, path, -1, void_done, NULL);
		else
			rc = zoo_acreate(zh, path, data, (int)dlen, &ZOO_OPEN_ACL_UNSAFE,
					 ZOO_PERSISTENT, create_done, NULL);
		if (rc != ZOK) {
			/* not queued: no completion will come, count it here */
			pthread_mutex_lock(&win.mu);
			win.inflight--;
			if (win.failed++ == 0)
				win.first_rc = rc;
			pthread_mutex_unlock(&win.mu);
		}
	}
	pthread_mutex_lock(&win.mu);
	while (win.inflight > 0)
		pthread_cond_wait(&win.cv, &win.mu);
	pthread_mutex_unlock(&win.mu);
	t_end = now_ms();

	printf("ceiling n=%ld window=%ld ok=%ld failed=%ld connect_ms=%.1f create_ms=%.1f "
	       "total_ms=%.1f\n",
	       n, w, win.ok, win.failed, t_conn - t0, t_end - t_conn, t_end - t0);
	if (win.failed > 0)
		fprintf(stderr, "ceiling: %ld requests failed; first: %s\n", win.failed,
			zerror(win.first_rc));
	zookeeper_close(zh);
	return win.failed > 0 ? 1 : 0;
}
