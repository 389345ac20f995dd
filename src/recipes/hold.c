/*
 * Run a child while a node is held (lock, elect, register). The child is
 * started with PR_SET_PDEATHSIG, so it cannot outlive a zksh that was
 * killed and so stopped holding the lock. SIGINT/SIGTERM/SIGHUP reaching
 * zksh are passed on to it.
 *
 * The C client learns of an expiry only when it reconnects, so the hold
 * counts as lost as soon as the connection has been gone for two thirds of
 * the session timeout, or zksh itself did not run for that long (it was
 * stopped or starved), or the node was deleted, or the session expired.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "recipes/recipes.h"
#include "zk/session.h"
#include "util.h"

extern char **environ;

/* environ plus the extra entries, which replace same-named ones. */
static char **
child_env(char **extra)
{
	size_t n = 0, m = 0, k = 0;
	char **env;

	while (environ[n] != NULL)
		n++;
	while (extra != NULL && extra[m] != NULL)
		m++;
	env = xcalloc(n + m + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		int replaced = 0;
		for (size_t j = 0; j < m; j++) {
			size_t len = strcspn(extra[j], "=") + 1;
			if (strncmp(environ[i], extra[j], len) == 0)
				replaced = 1;
		}
		if (!replaced)
			env[k++] = environ[i];
	}
	for (size_t j = 0; j < m; j++)
		env[k++] = extra[j];
	return env;
}

/*
 * The client's socket to the server is not close-on-exec: mark it, so a
 * child (or a daemon it leaves behind) does not keep the connection open.
 */
static void
socket_cloexec(zhandle_t *zh)
{
	struct sockaddr_storage zk, peer;
	socklen_t zlen = sizeof(zk);

	if (zh == NULL || zookeeper_get_connected_host(zh, (struct sockaddr *)&zk, &zlen) == NULL)
		return;
	for (int fd = 3; fd < 1024; fd++) {
		socklen_t plen = sizeof(peer);
		struct stat st;

		if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode))
			continue;
		if (getpeername(fd, (struct sockaddr *)&peer, &plen) == 0 && plen == zlen &&
		    memcmp(&peer, &zk, zlen) == 0)
			fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
	}
}

/* In the child: only async-signal-safe calls until exec. */
static void
child_exec(char **argv, char **env, pid_t parent, int errfd)
{
	sigset_t none;
	int e;

	sigemptyset(&none);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent) /* the parent died before prctl */
		_exit(127);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execvpe(argv[0], argv, env);
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0) {
		/* nothing more to do */
	}
	_exit(e == ENOENT ? 127 : 126);
}

static pid_t
spawn(struct rcp *r, char **argv, char **extra, int *code)
{
	char **env = child_env(extra);
	pid_t parent = getpid(), pid;
	int pfd[2], e = 0;
	ssize_t n;

	*code = 126;
	if (pipe2(pfd, O_CLOEXEC) != 0) {
		free(env);
		rcp_fail(r, RCP_LOCAL, "pipe: %s", strerror(errno));
		return -1;
	}
	socket_cloexec(r->sess->zh);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0)
		child_exec(argv, env, parent, pfd[1]);
	free(env);
	close(pfd[1]);
	if (pid < 0) {
		close(pfd[0]);
		rcp_fail(r, RCP_LOCAL, "fork: %s", strerror(errno));
		return -1;
	}
	do
		n = read(pfd[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(pfd[0]);
	if (n == (ssize_t)sizeof(e)) {
		waitpid(pid, NULL, 0);
		rcp_fail(r, RCP_LOCAL, "cannot run %s: %s", argv[0], strerror(e));
		*code = e == ENOENT ? 127 : 126; /* as a shell says it */
		return -1;
	}
	return pid;
}

/* Create the registration again (after an expiry or a deletion) and watch it. */
static int
recreate(struct rcp *r, struct rcp_hold *h)
{
	char out[4200];
	int rc = zoo_create(r->sess->zh, h->create_path, h->data, h->datalen, &ZOO_OPEN_ACL_UNSAFE,
			    ZOO_EPHEMERAL | (h->seq ? ZOO_SEQUENCE : 0), out, (int)sizeof(out));

	if (rc != ZOK && rc != ZNODEEXISTS)
		return 0;
	if (rc == ZOK) {
		free(h->renewed);
		h->renewed = xstrdup(out);
	}
	rcp_wexists(r, h->renewed ? h->renewed : h->node, NULL);
	return 1;
}

/* Drain the events; 1 when one says node was deleted. */
static int
node_deleted(struct rcp *r, const char *node)
{
	struct zk_event *e;
	int deleted = 0;

	while ((e = session_next_event(r->sess)) != NULL) {
		if (e->type == ZOO_DELETED_EVENT && e->path && strcmp(e->path, node) == 0)
			deleted = 1;
		session_event_free(e);
	}
	return deleted;
}

/* lock, elect: still held? 0 once lost, with the reason in why. */
static int
still_held(struct rcp *r, struct rcp_hold *h, long long *last_tick, char *why, size_t whylen)
{
	int limit = rcp_session_timeout(r) * 2 / 3;
	long long now = now_ms();
	int st, deleted = node_deleted(r, h->node);

	if (now - *last_tick > limit) {
		snprintf(why, whylen,
			 "zksh did not run for %lld ms (more than 2/3 of the %d ms "
			 "session timeout)",
			 now - *last_tick, rcp_session_timeout(r));
		return 0;
	}
	*last_tick = now;
	st = session_state(r->sess);
	if (st == ZOO_EXPIRED_SESSION_STATE || r->sess->expired) {
		snprintf(why, whylen, "the session expired");
		return 0;
	}
	if (deleted) {
		snprintf(why, whylen, "%s was deleted", h->node);
		return 0;
	}
	if (st == ZOO_CONNECTED_STATE || st == ZOO_READONLY_STATE) {
		r->down_since = 0;
		return 1;
	}
	if (r->down_since == 0)
		r->down_since = now;
	if (now - r->down_since > limit) {
		snprintf(why, whylen,
			 "the connection was gone for %lld ms (more than 2/3 of the %d "
			 "ms session timeout)",
			 now - r->down_since, rcp_session_timeout(r));
		return 0;
	}
	return 1;
}

/*
 * register: after an expiry open a new session, after an expiry or a
 * deletion create the node again once connected. *missing tracks it.
 */
static void
keep_registered(struct rcp *r, struct rcp_hold *h, int *missing)
{
	const char *node = h->renewed ? h->renewed : h->node;
	int st = session_state(r->sess);
	char msg[4400];

	if (node_deleted(r, node) && !*missing) {
		*missing = 1;
		snprintf(msg, sizeof(msg), "%s was deleted: creating it again", node);
		h->warn(h->warn_ctx, msg);
	}
	if (st == ZOO_EXPIRED_SESSION_STATE || r->sess->expired) {
		if (!*missing) {
			snprintf(msg, sizeof(msg), "the session expired: registering %s again",
				 h->create_path);
			h->warn(h->warn_ctx, msg);
		}
		*missing = 1;
		session_open(r->sess, 0);
		return;
	}
	if (*missing && (st == ZOO_CONNECTED_STATE || st == ZOO_READONLY_STATE) && recreate(r, h)) {
		*missing = 0;
		snprintf(msg, sizeof(msg), "registered again: %s",
			 h->renewed ? h->renewed : h->node);
		h->warn(h->warn_ctx, msg);
	}
}

int
rcp_hold_run(struct rcp *r, struct rcp_hold *h)
{
	long long last_tick = now_ms(), kill_at = -1;
	char why[512];
	pid_t pid;
	int code, missing = 0;

	h->lost = 0;
	rcp_wexists(r, h->node, NULL); /* its deletion wakes us */

	pid = spawn(r, h->argv, h->env, &code);
	if (pid < 0) {
		h->status = code << 8; /* a wait status: the child "exited" with code */
		return RCP_LOCAL;
	}
	for (;;) {
		struct pollfd pfd;
		pid_t w = waitpid(pid, &h->status, WNOHANG);

		if (w == pid)
			return RCP_OK;
		if (r->stop != NULL && *r->stop) {
			kill(pid, *r->stop);
			*r->stop = 0;
		}
		if (h->renew)
			keep_registered(r, h, &missing);
		else if (!h->lost && !still_held(r, h, &last_tick, why, sizeof(why))) {
			char msg[700];

			h->lost = 1;
			snprintf(msg, sizeof(msg), "lost %s while the command ran: %s%s", h->node,
				 why, h->onloss == LOSS_KILL ? "; stopping the command" : "");
			h->warn(h->warn_ctx, msg);
			if (h->onloss == LOSS_KILL) {
				kill(pid, SIGTERM);
				kill_at = now_ms() + h->grace;
			}
		}
		if (kill_at >= 0 && now_ms() >= kill_at) {
			kill(pid, SIGKILL);
			kill_at = -1;
		}
		pfd.fd = session_event_fd(r->sess);
		pfd.events = POLLIN;
		poll(&pfd, 1, 50);
	}
}
