#include "config.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "conn.h"
#include "zk/connstr.h"
#include "zk/probe.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zkerr.h"

/* Before the first session: how soon to ask the addresses ourselves. */
#define PROBE_AFTER_MS 200
#define PROBE_WAIT_MS  500
/* The interactive shell says it is still connecting after this long. */
#define NOTICE_AFTER_MS 1000

#define WAIT_INTERRUPTED -1000 /* not a ZooKeeper code */
#define WAIT_UNREACHABLE -1001

static int connect_wait_ms(struct session *s);

static int
connect_failed(struct shell *sh, int rc, const char *why)
{
	struct session *s = sh->sess;

	if (rc == ZAUTHFAILED && auth_startup_given())
		return auth_refused(sh, NULL, NULL); /* the explanation addauth gives */
	if (rc == ZAUTHFAILED)
		return sh_error(sh, ZX_CONN, "Authentication failed connecting to %s", s->hosts);
	if (rc == WAIT_UNREACHABLE)
		return sh_error(sh, ZX_CONN, "Could not connect to %s", why);
	if (rc == ZBADARGUMENTS) {
		struct connstr c;
		char buf[1024], err[512];

		/* parsed before: what the client refused is a name it cannot resolve */
		int unresolved = connstr_parse(s->hosts, &c, err, sizeof(err)) == 0 &&
				 probe_unresolved(&c, buf, sizeof(buf)) > 0;

		connstr_free(&c); /* zeroed when the parse failed */
		if (unresolved)
			return sh_error(sh, ZX_CONN,
					"Could not connect: the server name cannot be resolved: %s",
					buf);
		return sh_error(sh, ZX_CONN, "Invalid connect string: %s", s->hosts);
	}
	if (rc == ZSESSIONEXPIRED)
		return sh_error(sh, ZX_CONN, "Session expired connecting to %s", s->hosts);
	return sh_error(sh, ZX_CONN, "Could not connect to %s within %d ms", s->hosts,
			connect_wait_ms(s));
}

/* 1 when every address of the connect string refuses or does not resolve. */
static int
unreachable(struct session *s, char *why, size_t len)
{
	struct connstr c;
	char err[512];
	int r;

	if (connstr_parse(s->hosts, &c, err, sizeof(err)) != 0)
		return 0;
	r = probe_all_refused(&c, PROBE_WAIT_MS, why, len);
	connstr_free(&c);
	return r;
}

/*
 * How long the first connection may take: the session timeout for each
 * address (the client gives a silent one, a frozen server, about 2/3 of it
 * before it tries the next), at most 4 of them.
 */
static int
connect_wait_ms(struct session *s)
{
	struct connstr c;
	char err[512];
	int n = 1;

	if (session_had_session(s))
		return s->timeout_ms;
	if (connstr_parse(s->hosts, &c, err, sizeof(err)) == 0) {
		n = c.naddrs < 1 ? 1 : c.naddrs > 4 ? 4 : c.naddrs;
		connstr_free(&c);
	}
	return s->timeout_ms * n;
}

/*
 * session_wait in slices, so that Ctrl-C in the interactive shell ends the
 * wait for a server that does not answer. Before this handle ever had a
 * session, addresses that all refuse end the wait early (a refused member
 * of a live session means fail-over, and the client does that itself).
 */
static int
wait_connected(struct shell *sh, char *why, size_t len)
{
	struct session *s = sh->sess;
	long long start = now_ms(), deadline = start + connect_wait_ms(s);
	int probed = 0, told = 0;

	for (;;) {
		long long left = deadline - now_ms();
		int rc = session_wait(s, left > 100 ? 100 : left > 0 ? (int)left : 1);
		long long waited = now_ms() - start;

		if (rc != ZCONNECTIONLOSS || left <= 100)
			return rc;
		if (sh->interrupted)
			return WAIT_INTERRUPTED;
		if (!probed && waited >= PROBE_AFTER_MS && !session_had_session(s)) {
			probed = 1;
			if (unreachable(s, why, len))
				return WAIT_UNREACHABLE;
		}
		if (!told && sh->interactive && waited >= NOTICE_AFTER_MS) {
			told = 1;
			fprintf(stderr, "zksh: connecting to %s ...\n", s->hosts);
		}
	}
}

/* A chroot that does not exist makes every path of the session fail. */
static int
check_chroot(struct shell *sh)
{
	struct session *s = sh->sess;
	const char *chroot = strchr(s->hosts, '/');
	struct Stat st;
	int rc;

	if (chroot == NULL || s->chroot_checked)
		return ZX_OK;
	rc = zoo_exists(s->zh, "/", 0, &st);
	if (rc == ZNONODE)
		return sh_error(sh, ZX_CONN,
				"The chroot %s does not exist (create it with a connect string "
				"without the chroot)",
				chroot);
	if (rc == ZOK)
		s->chroot_checked = 1;
	/* other errors show on the command itself */
	return ZX_OK;
}

int
conn_ensure(struct shell *sh)
{
	struct session *s = sh->sess;
	char why[1024] = "";
	int rc;

	if (sh->closed)
		return sh_error(sh, ZX_CONN,
				"Not connected (the session was closed; use connect "
				"host:port)");
	if (s->zh != NULL && session_state(s) == ZOO_AUTH_FAILED_STATE)
		return sh_error(sh, ZX_CONN,
				"Not connected: the server closed the session when "
				"authentication failed; use connect to open a new session");
	if (s->zh == NULL || s->expired) {
		int was_expired = s->zh != NULL;

		rc = session_open(s, 0);
		if (rc != ZOK)
			return connect_failed(sh, rc, why);
		if (was_expired && sh->interactive)
			render_text(sh,
				    "Session expired: opened a new session; one-shot watches and "
				    "ephemeral nodes of the old session are gone\n");
	}
	if (!session_connected(s)) {
		rc = wait_connected(sh, why, sizeof(why));
		if (rc == WAIT_INTERRUPTED)
			return sh_error(sh, ZX_CONN, "Interrupted while connecting to %s",
					s->hosts);
		if (rc != ZOK)
			return connect_failed(sh, rc, why);
	}
	/* session_open sent the remembered credentials to the new handle */
	return check_chroot(sh);
}

/* Parse hosts for connect: a bad one is a usage error before anything closes. */
int
conn_switch(struct shell *sh, const char *hosts)
{
	struct session *s = sh->sess;
	struct session *n;
	struct connstr c;
	char err[512];

	if (hosts == NULL) {
		/* a bare connect: a new session to the same servers, as zkCli's */
		session_close(s);
		sh->closed = 0;
		return conn_ensure(sh);
	}
	if (connstr_parse(hosts, &c, err, sizeof(err)) != 0)
		return sh_error(sh, ZX_USAGE, "connect: %s", err);
	n = session_new(c.normalized, s->timeout_ms, s->readonly);
	connstr_free(&c);
	/* credentials belong to the old cluster: they are not carried over */
	session_free(s);
	sh->sess = n;
	sh->closed = 0;
	return conn_ensure(sh);
}
