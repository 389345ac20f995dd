#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zk/connstr.h"
#include "zk/probe.h"
#include "util.h"

#define PROBE_MAX_SOCKETS 64

struct probe {
	struct pollfd pfd[PROBE_MAX_SOCKETS];
	int owner[PROBE_MAX_SOCKETS]; /* index of the address */
	int n;
	int reachable; /* one accepted or is still pending */
};

static void
note(char *why, size_t len, const struct connstr_addr *a, const char *reason)
{
	size_t off = strlen(why);
	int v6 = strchr(a->host, ':') != NULL;

	if (off < len)
		snprintf(why + off, len - off, "%s%s%s%s:%d (%s)", off ? ", " : "", v6 ? "[" : "",
			 a->host, v6 ? "]" : "", a->port, reason);
}

static struct addrinfo *
resolve(const struct connstr_addr *a, int *gai)
{
	struct addrinfo hints, *ai = NULL;
	char port[16];

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", a->port);
	*gai = getaddrinfo(a->host, port, &hints, &ai);
	return *gai == 0 ? ai : NULL;
}

/* Start a non-blocking connect to every address of a. */
static void
start(struct probe *p, const struct connstr_addr *a, int idx, char *why, size_t len)
{
	int gai, started = 0, err = ECONNREFUSED;
	struct addrinfo *ai = resolve(a, &gai), *r;

	if (ai == NULL) {
		note(why, len, a, "name cannot be resolved");
		return;
	}
	for (r = ai; r != NULL && p->n < PROBE_MAX_SOCKETS; r = r->ai_next) {
		int fd = socket(r->ai_family, r->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
				r->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, r->ai_addr, r->ai_addrlen) == 0 || errno == EINPROGRESS) {
			p->pfd[p->n].fd = fd;
			p->pfd[p->n].events = POLLOUT;
			p->owner[p->n++] = idx;
			started = 1;
			continue;
		}
		err = errno;
		close(fd);
	}
	freeaddrinfo(ai);
	if (!started)
		note(why, len, a, err == ECONNREFUSED ? "connection refused" : strerror(err));
}

int
probe_all_refused(const struct connstr *c, int wait_ms, char *why, size_t len)
{
	struct probe p;
	long long deadline = now_ms() + wait_ms;
	int refused[PROBE_MAX_SOCKETS] = {0};

	memset(&p, 0, sizeof(p));
	why[0] = '\0';
	if (c->naddrs > PROBE_MAX_SOCKETS)
		return 0;
	for (int i = 0; i < c->naddrs; i++)
		start(&p, &c->addrs[i], i, why, len);
	while (!p.reachable) {
		int open = 0, left = (int)(deadline - now_ms());

		for (int i = 0; i < p.n; i++)
			open += p.pfd[i].fd >= 0;
		if (open == 0)
			break;
		if (left <= 0 || poll(p.pfd, (nfds_t)p.n, left) <= 0) {
			p.reachable = 1; /* still pending: a slow network, not a refusal */
			break;
		}
		for (int i = 0; i < p.n; i++) {
			int err = 0;
			socklen_t elen = sizeof(err);

			if (p.pfd[i].fd < 0 || p.pfd[i].revents == 0)
				continue;
			getsockopt(p.pfd[i].fd, SOL_SOCKET, SO_ERROR, &err, &elen);
			close(p.pfd[i].fd);
			p.pfd[i].fd = -1; /* poll ignores negative descriptors */
			if (err == 0)
				p.reachable = 1;
			else
				refused[p.owner[i]] = err;
		}
	}
	for (int i = 0; i < p.n; i++)
		if (p.pfd[i].fd >= 0)
			close(p.pfd[i].fd);
	if (p.reachable)
		return 0;
	for (int i = 0; i < c->naddrs && i < PROBE_MAX_SOCKETS; i++)
		if (refused[i] != 0)
			note(why, len, &c->addrs[i],
			     refused[i] == ECONNREFUSED ? "connection refused"
							: strerror(refused[i]));
	return 1;
}

int
probe_unresolved(const struct connstr *c, char *why, size_t len)
{
	int n = 0;

	why[0] = '\0';
	for (int i = 0; i < c->naddrs; i++) {
		int gai;
		struct addrinfo *ai = resolve(&c->addrs[i], &gai);

		if (ai != NULL) {
			freeaddrinfo(ai);
			continue;
		}
		note(why, len, &c->addrs[i], gai_strerror(gai));
		n++;
	}
	return n;
}
