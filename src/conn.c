#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conn.h"
#include "render.h"
#include "session.h"
#include "shell.h"
#include "zkerr.h"

int
conn_reapply_auth(struct shell *sh)
{
	struct session *s = sh->sess;

	for (struct auth_cred *a = s->auths; a != NULL; a = a->next) {
		int rc = zoo_add_auth(s->zh, a->scheme, a->cred, (int)strlen(a->cred), NULL, NULL);
		if (rc != ZOK)
			return zk_fail(sh, rc, NULL);
	}
	return ZX_OK;
}

static int
connect_failed(struct shell *sh, int rc)
{
	struct session *s = sh->sess;

	if (rc == ZAUTHFAILED)
		return sh_error(sh, ZX_CONN, "Authentication failed connecting to %s", s->hosts);
	if (rc == ZBADARGUMENTS)
		return sh_error(sh, ZX_CONN, "Invalid connect string: %s", s->hosts);
	if (rc == ZSESSIONEXPIRED)
		return sh_error(sh, ZX_CONN, "Session expired connecting to %s", s->hosts);
	return sh_error(sh, ZX_CONN, "Could not connect to %s within %d ms", s->hosts,
			s->timeout_ms);
}

int
conn_ensure(struct shell *sh)
{
	struct session *s = sh->sess;
	int rc, fresh = 0;

	if (sh->closed)
		return sh_error(sh, ZX_CONN, "Not connected (the session was closed; use connect "
					     "host:port)");
	if (s->zh == NULL || s->expired) {
		int was_expired = s->zh != NULL;

		rc = session_open(s, 0);
		if (rc != ZOK)
			return connect_failed(sh, rc);
		fresh = 1;
		if (was_expired && sh->interactive)
			render_text(sh, "Session expired: opened a new session; one-shot watches and "
					"ephemeral nodes of the old session are gone\n");
	}
	if (session_connected(s))
		return ZX_OK;
	rc = session_wait(s, s->timeout_ms);
	if (rc != ZOK)
		return connect_failed(sh, rc);
	if (fresh && s->auths != NULL)
		return conn_reapply_auth(sh);
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
