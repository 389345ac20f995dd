#include "config.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "conn.h"
#include "render.h"
#include "session.h"
#include "shell.h"
#include "util.h"
#include "zkerr.h"

static int
connect_failed(struct shell *sh, int rc)
{
	struct session *s = sh->sess;

	if (rc == ZAUTHFAILED && auth_startup_given())
		return auth_refused(sh, NULL, NULL); /* the explanation addauth gives */
	if (rc == ZAUTHFAILED)
		return sh_error(sh, ZX_CONN, "Authentication failed connecting to %s", s->hosts);
	if (rc == ZBADARGUMENTS)
		return sh_error(sh, ZX_CONN, "Invalid connect string: %s", s->hosts);
	if (rc == ZSESSIONEXPIRED)
		return sh_error(sh, ZX_CONN, "Session expired connecting to %s", s->hosts);
	return sh_error(sh, ZX_CONN, "Could not connect to %s within %d ms", s->hosts,
			s->timeout_ms);
}

/*
 * session_wait in slices, so that Ctrl-C in the interactive shell ends the
 * wait for a server that does not answer. 1 when interrupted.
 */
static int
wait_connected(struct shell *sh)
{
	struct session *s = sh->sess;
	long long deadline = now_ms() + s->timeout_ms;

	for (;;) {
		long long left = deadline - now_ms();
		int rc = session_wait(s, left > 100 ? 100 : left > 0 ? (int)left : 1);

		if (rc != ZCONNECTIONLOSS || left <= 100)
			return rc;
		if (sh->interrupted)
			return 1;
	}
}

int
conn_ensure(struct shell *sh)
{
	struct session *s = sh->sess;
	int rc;

	if (sh->closed)
		return sh_error(sh, ZX_CONN,
				"Not connected (the session was closed; use connect "
				"host:port)");
	if (s->zh == NULL || s->expired) {
		int was_expired = s->zh != NULL;

		rc = session_open(s, 0);
		if (rc != ZOK)
			return connect_failed(sh, rc);
		if (was_expired && sh->interactive)
			render_text(sh,
				    "Session expired: opened a new session; one-shot watches and "
				    "ephemeral nodes of the old session are gone\n");
	}
	if (session_connected(s))
		return ZX_OK;
	rc = wait_connected(sh);
	if (rc == 1)
		return sh_error(sh, ZX_CONN, "Interrupted while connecting to %s", s->hosts);
	if (rc != ZOK)
		return connect_failed(sh, rc);
	/* session_open sent the remembered credentials to the new handle */
	return ZX_OK;
}

int
conn_switch(struct shell *sh, const char *hosts)
{
	struct session *s = sh->sess;
	struct session *n = session_new(hosts, s->timeout_ms, s->readonly);

	/* credentials belong to the old cluster: they are not carried over */
	session_free(s);
	sh->sess = n;
	sh->closed = 0;
	return conn_ensure(sh);
}
