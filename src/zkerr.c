#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <zookeeper/zookeeper.h>

#include "auth.h"
#include "render.h"
#include "shell.h"
#include "zk/session.h"
#include "zkerr.h"

/* errmap's exit codes are the shell's (shell.h): checked here, where both are known. */
_Static_assert(ZKE_OK == ZX_OK && ZKE_ZK == ZX_ZK && ZKE_USAGE == ZX_USAGE && ZKE_CONN == ZX_CONN,
	       "zk/errmap.h's exit codes differ from shell.h's");

int
zk_fail(struct shell *sh, int rc, const char *path)
{
	char msg[ZKSH_PATH_MAX + 256];
	int code;

	/*
	 * The client refuses calls on a handle the server gave up on
	 * (InvalidState): say why, as the answer that ended it would have. A
	 * refused credential can end the session just after the connect
	 * succeeded, before the first command's request.
	 */
	if ((rc == ZINVALIDSTATE || rc == ZCONNECTIONLOSS) && sh->sess != NULL) {
		/* the client's own state: the watcher that tells ours may not have run yet */
		int st = sh->sess->zh != NULL ? zoo_state(sh->sess->zh) : session_state(sh->sess);

		if (st == ZOO_AUTH_FAILED_STATE)
			rc = ZAUTHFAILED;
		else if (st == ZOO_EXPIRED_SESSION_STATE && rc == ZINVALIDSTATE)
			rc = ZSESSIONEXPIRED;
	}
	code = zkerr_exit(rc);
	/* ZKSH_AUTH=foo:bar: the same explanation addauth foo bar gets */
	if (rc == ZAUTHFAILED && auth_startup_given())
		return auth_refused(sh, NULL, NULL);
	zkerr_message(rc, path, msg, sizeof(msg));
	render_error(sh, code, zkerr_name(rc), path, msg);
	return code;
}

int
sh_error(struct shell *sh, int code, const char *fmt, ...)
{
	char msg[ZKSH_PATH_MAX + 512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	render_error(sh, code, NULL, NULL, msg);
	return code;
}
