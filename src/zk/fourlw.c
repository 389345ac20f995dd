/* The four-letter-word client and its pure reply parsers. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "zk/fourlw.h"

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Split "host:port" / "[v6]:port" into host (brackets dropped) and port. */
static int
split_hostport(const char *hp, char *host, size_t hostlen, char *port, size_t portlen)
{
	const char *colon;

	if (hp[0] == '[') {
		const char *close = strchr(hp, ']');
		if (close == NULL || close[1] != ':')
			return -1;
		snprintf(host, hostlen, "%.*s", (int)(close - hp - 1), hp + 1);
		colon = close + 1;
	} else {
		colon = strrchr(hp, ':');
		if (colon == NULL)
			return -1;
		snprintf(host, hostlen, "%.*s", (int)(colon - hp), hp);
	}
	snprintf(port, portlen, "%s", colon + 1);
	return host[0] != '\0' && port[0] != '\0' ? 0 : -1;
}

/* Wait for events on fd until the deadline; 1 ready, 0 timed out, -1 error. */
static int
wait_fd(int fd, short events, long long deadline)
{
	for (;;) {
		long long left = deadline - mono_ms();
		struct pollfd p = {fd, events, 0};
		int rc;

		if (left <= 0)
			return 0;
		rc = poll(&p, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			return -1; /* Ctrl-C: give up, the caller reports it */
		if (rc != 0)
			return rc > 0 ? 1 : -1;
	}
}

static int
connect_to(const struct addrinfo *ai, long long deadline, char *err, size_t errlen)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	int soerr = 0;
	socklen_t sl = sizeof(soerr);

	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		snprintf(err, errlen, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (wait_fd(fd, POLLOUT, deadline) != 1) {
		snprintf(err, errlen, "connection timed out");
		close(fd);
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr != 0) {
		snprintf(err, errlen, "%s", strerror(soerr ? soerr : errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int
send_all(int fd, const char *p, size_t n, long long deadline)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
		} else if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLOUT, deadline) != 1)
				return -1;
		} else {
			return -1;
		}
	}
	return 0;
}

static int
read_all(int fd, char **out, long long deadline, char *err, size_t errlen)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap + 1);

	if (buf == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (;;) {
		ssize_t r;

		if (len == cap) {
			char *nb;
			if (cap >= FOURLW_MAX_REPLY)
				break; /* keep what fits; the parsers need no more */
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (nb == NULL)
				break;
			buf = nb;
		}
		r = recv(fd, buf + len, cap - len, 0);
		if (r > 0) {
			len += (size_t)r;
			continue;
		}
		if (r == 0 || (r < 0 && errno == ECONNRESET))
			break;
		if (r < 0 && (errno == EAGAIN || errno == EINTR) &&
		    wait_fd(fd, POLLIN, deadline) == 1)
			continue;
		snprintf(err, errlen, "no complete answer in time");
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

int
fourlw_query(const char *hostport, const char *word, int timeout_ms, char **out, char *err,
	     size_t errlen)
{
	char host[256], port[16];
	struct addrinfo hints, *res = NULL, *ai;
	long long deadline = mono_ms() + timeout_ms;
	int fd = -1, rc;

	*out = NULL;
	if (split_hostport(hostport, host, sizeof(host), port, sizeof(port)) != 0) {
		snprintf(err, errlen, "bad address %s (want host:port)", hostport);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "%s: %s", host, gai_strerror(rc));
		return -1;
	}
	snprintf(err, errlen, "no address");
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next)
		fd = connect_to(ai, deadline, err, errlen);
	freeaddrinfo(res);
	if (fd < 0)
		return -1;
	if (send_all(fd, word, strlen(word), deadline) != 0) {
		snprintf(err, errlen, "could not send %s: %s", word, strerror(errno));
		close(fd);
		return -1;
	}
	shutdown(fd, SHUT_WR);
	rc = read_all(fd, out, deadline, err, errlen);
	close(fd);
	return rc;
}

int
fourlw_refused(const char *reply)
{
	return reply != NULL && strstr(reply, "is not executed because it is not in the whitelist");
}

/* ---- parsers ----------------------------------------------------------- */

static const char *
line_value(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = text; *p; p += strcspn(p, "\n"), p += *p == '\n')
		if (strncmp(p, key, klen) == 0)
			return p + klen;
	return NULL;
}

static long
long_value(const char *text, const char *key)
{
	const char *v = line_value(text, key);
	char *end;
	long n;

	if (v == NULL)
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	return end == v || errno != 0 ? -1 : n;
}

int
fourlw_parse_srvr(const char *text, struct fourlw_srvr *out)
{
	const char *v;

	memset(out, 0, sizeof(*out));
	out->zxid = -1;
	out->lat_min = out->lat_max = -1;
	out->received = out->sent = out->connections = out->outstanding = out->node_count = -1;
	if (strstr(text, "not currently serving requests") != NULL)
		return 0;
	if ((v = line_value(text, "Zookeeper version: ")) == NULL)
		return -1;
	snprintf(out->version, sizeof(out->version), "%.*s", (int)strcspn(v, "\r\n"), v);
	if ((v = line_value(text, "Mode: ")) != NULL)
		snprintf(out->mode, sizeof(out->mode), "%.*s", (int)strcspn(v, "\r\n"), v);
	if ((v = line_value(text, "Zxid: ")) != NULL) {
		char *end;
		errno = 0;
		out->zxid = (long long)strtoull(v, &end, 16);
		if (end == v || errno != 0)
			out->zxid = -1;
	}
	if ((v = line_value(text, "Latency min/avg/max: ")) != NULL &&
	    sscanf(v, "%ld/%lf/%ld", &out->lat_min, &out->lat_avg, &out->lat_max) != 3)
		out->lat_min = out->lat_max = -1;
	out->received = long_value(text, "Received: ");
	out->sent = long_value(text, "Sent: ");
	out->connections = long_value(text, "Connections: ");
	out->outstanding = long_value(text, "Outstanding: ");
	out->node_count = long_value(text, "Node count: ");
	out->serving = out->mode[0] != '\0';
	return 0;
}

static int
parse_pairs(const char *text, char sep, struct fourlw_kv *kv, int max)
{
	int n = 0;

	for (const char *p = text; *p && n < max; p += strcspn(p, "\n"), p += *p == '\n') {
		size_t len = strcspn(p, "\r\n");
		const char *s = memchr(p, sep, len);

		if (s == NULL || s == p || (size_t)(s - p) >= sizeof(kv[n].key))
			continue;
		snprintf(kv[n].key, sizeof(kv[n].key), "%.*s", (int)(s - p), p);
		snprintf(kv[n].value, sizeof(kv[n].value), "%.*s", (int)(len - (size_t)(s - p) - 1),
			 s + 1);
		n++;
	}
	return n;
}

int
fourlw_parse_mntr(const char *text, struct fourlw_kv *kv, int max)
{
	return parse_pairs(text, '\t', kv, max);
}

int
fourlw_parse_conf(const char *text, struct fourlw_kv *kv, int max)
{
	return parse_pairs(text, '=', kv, max);
}

const char *
fourlw_get(const struct fourlw_kv *kv, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].value;
	return NULL;
}
