#include "config.h"

#include <zookeeper/zookeeper.h>

#include "shell.h"
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
