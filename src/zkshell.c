#include "config.h"

#include <zookeeper/zookeeper.h>

#include "shell.h"
#include "zk/get.h"
#include "zkerr.h"
#include "zkshell.h"

struct zkctx
shell_zkctx(struct shell *sh)
{
	struct zkctx zc = {.sess = sh->sess, .window = sh->window, .stop = &sh->interrupted};

	return zc;
}

int
walk_tree(struct shell *sh, const char *root, const struct walk_opts *o, walk_visit fn, void *ctx,
	  struct walk_result *res)
{
	struct zkctx zc = shell_zkctx(sh);

	return walk_zk(&zc, root, o, fn, ctx, res);
}

int
walk_fail(struct shell *sh, int rc, const char *root, const struct walk_result *res)
{
	const char *node = res->stuck_path[0] ? res->stuck_path : root;

	if (rc == ZOPERATIONTIMEOUT)
		return sh_error(sh, ZX_CONN,
				"No server answered within the session timeout (%d ms) while "
				"reading %s",
				walk_deadline_ms(sh->sess), node);
	if (rc == ZSESSIONEXPIRED)
		return sh_error(sh, ZX_CONN, "The session expired while reading %s", node);
	return zk_fail(sh, rc, node);
}

int
walk_report(struct shell *sh, const char *what, const struct walk_result *res)
{
	char msg[ZKSH_PATH_MAX + 256];

	if (res->interrupted)
		return sh_error(sh, ZX_PARTIAL, "%s: interrupted after %ld node%s", what,
				res->visited, res->visited == 1 ? "" : "s");
	if (res->failed > 0) {
		zkerr_message(res->first_rc, res->first_path, msg, sizeof(msg));
		return sh_error(sh, ZX_PARTIAL, "%s: %ld node%s could not be read; first: %s", what,
				res->failed, res->failed == 1 ? "" : "s", msg);
	}
	return ZX_OK;
}

int
zk_get_data(struct shell *sh, const char *path, int watch, char **out, int *len, struct Stat *st)
{
	return zkx_get_data(sh->sess->zh, path, watch, out, len, st);
}

int
zk_sync(struct shell *sh, const char *path)
{
	return zkx_sync(sh->sess->zh, path, 2 * sh->sess->timeout_ms + 10000);
}
