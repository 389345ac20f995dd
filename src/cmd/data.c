/*
 * The zkCli data commands: ls, get, set, create, delete, stat, exists, sync.
 * Output and error text follow zkCli 3.8; `Created /p` goes to stdout (zkCli
 * prints it on stderr), as results belong on stdout.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zk/acl.h"
#include "batch.h"
#include "cmd/common.h"
#include "command.h"
#include "zk/path.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zk/walk.h"
#include "zk/writer.h"
#include "zk/get.h"
#include "zkerr.h"

/* ---- ls ---------------------------------------------------------------- */

static int
ls_visit(void *ctx, const struct walk_node *n)
{
	struct shell *sh = ctx;

	if (n->depth == 0)
		render_path_item(sh, "paths", n->path);
	for (int i = 0; i < n->nchildren; i++) {
		char *child = path_join_alloc(n->path, n->children[i]);
		render_path_item(sh, "paths", child);
		free(child);
	}
	return 0;
}

static int
ls_recursive(struct shell *sh, const char *path)
{
	struct walk_opts o = {0, 0, -1};
	struct walk_result res;
	int rc = walk_tree(sh, path, &o, ls_visit, sh, &res);

	if (rc != ZOK)
		return walk_fail(sh, rc, path, &res);
	return walk_report(sh, "ls -R", &res);
}

static int
cmd_ls(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct String_vector v = {0, NULL};
	struct Stat st;
	int rc;

	if ((rc = arg_path_or_cwd(sh, a, 0, path)) != ZX_OK)
		return rc;
	if (args_has(a, "R"))
		return ls_recursive(sh, path);
	rc = zoo_get_children2(ZH(sh), path, args_has(a, "w"), &v, &st);
	if (rc != ZOK)
		return zk_fail(sh, rc, path);
	render_children(sh, v.data, v.count);
	if (args_has(a, "s"))
		render_stat(sh, &st);
	deallocate_String_vector(&v);
	return ZX_OK;
}

/* ---- get / stat / exists ---------------------------------------------- */

static int
cmd_get(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	char *data = NULL;
	int len, rc;
	struct Stat st;
	enum data_fmt fmt = args_has(a, "x")   ? DATA_HEX
			    : args_has(a, "b") ? DATA_BASE64
					       : DATA_TEXT;

	if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc;
	rc = zk_get_data(sh, path, args_has(a, "w"), &data, &len, &st);
	if (rc != ZOK)
		return zk_fail(sh, rc, path);
	render_data(sh, data, len, fmt);
	if (args_has(a, "s"))
		render_stat(sh, &st);
	free(data);
	return ZX_OK;
}

static int
cmd_stat(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct Stat st;
	int rc;

	if ((rc = arg_path_or_cwd(sh, a, 0, path)) != ZX_OK)
		return rc;
	rc = zoo_exists(ZH(sh), path, args_has(a, "w"), &st);
	if (rc != ZOK)
		return zk_fail(sh, rc, path);
	render_stat(sh, &st);
	return ZX_OK;
}

static int
cmd_exists(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct Stat st;
	int rc;

	if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc;
	rc = zoo_exists(ZH(sh), path, args_has(a, "w"), &st);
	if (rc != ZOK && rc != ZNONODE)
		return zk_fail(sh, rc, path);
	if (sh->result != NULL)
		cJSON_AddBoolToObject(sh->result, "exists", rc == ZOK);
	else
		render_text(sh, "%s\n", rc == ZOK ? "true" : "false");
	if (rc == ZOK && args_has(a, "s"))
		render_stat(sh, &st);
	/* absence is an answer, not an error: exit 1 without a message */
	return rc == ZOK ? ZX_OK : ZX_ZK;
}

/* ---- request sizes ----------------------------------------------------- */

/*
 * Bytes of a request as the jute encoding puts it on the wire (ZooKeeper's
 * zookeeper.jute): the request header (xid, type: two ints), then the
 * record. A string or a buffer is a 4-byte length and its bytes, a vector a
 * 4-byte count and its items, an ACL an int (perms) and two strings (scheme,
 * id). The server refuses a request whose length, the 4-byte prefix not
 * counted, is over jute.maxbuffer (NIOServerCnxn "Len error"), so that is
 * what sh->max_data is compared with.
 */
#define JUTE_HEADER 8 /* RequestHeader: xid, type */
#define JUTE_INT    4
#define JUTE_LONG   8

/* The path as the server gets it: the client puts the chroot in front. */
static long
jute_path(const struct shell *sh, const char *path)
{
	const char *chroot = sh->sess && sh->sess->hosts ? strchr(sh->sess->hosts, '/') : NULL;
	long n = JUTE_INT + (long)strlen(path);

	if (chroot != NULL && strcmp(chroot, "/") != 0)
		n += (long)strlen(chroot) - (strcmp(path, "/") == 0);
	return n;
}

static long
jute_acl(const struct ACL_vector *v)
{
	long n = JUTE_INT;

	for (int i = 0; i < v->count; i++)
		n += JUTE_INT + JUTE_INT + (long)strlen(v->data[i].id.scheme) + JUTE_INT +
		     (long)strlen(v->data[i].id.id);
	return n;
}

/* SetDataRequest: path, data, version; without the data's own bytes. */
long
set_overhead(const struct shell *sh, const char *path)
{
	return JUTE_HEADER + jute_path(sh, path) + JUTE_INT + JUTE_INT;
}

/* CreateRequest: path, data, acl, flags (CreateTTLRequest: and a long ttl). */
long
create_overhead(const struct shell *sh, const char *path, const struct ACL_vector *acl, int ttl)
{
	return JUTE_HEADER + jute_path(sh, path) + JUTE_INT + jute_acl(acl) + JUTE_INT +
	       (ttl ? JUTE_LONG : 0);
}

/* ---- set --------------------------------------------------------------- */

static int
set_prepare(struct shell *sh, struct args *a, char *path, char **data, int *len, int *version)
{
	int rc;

	if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc;
	if ((rc = arg_version(sh, a, version)) != ZX_OK)
		return rc;
	return arg_data(sh, a, a->argv[1], set_overhead(sh, path), data, len);
}

static int
check_set(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	char *data;
	int len, version, rc;

	rc = set_prepare(sh, a, path, &data, &len, &version);
	if (rc == ZX_OK)
		free(data);
	return rc;
}

static int
cmd_set(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	char *data;
	int len, version, rc;
	struct Stat st;

	if ((rc = set_prepare(sh, a, path, &data, &len, &version)) != ZX_OK)
		return rc;
	rc = zoo_set2(ZH(sh), path, data, len, version, &st);
	free(data);
	if (rc != ZOK)
		return zk_fail(sh, rc, path);
	render_value(sh, "path", path, NULL);
	if (args_has(a, "s"))
		render_stat(sh, &st);
	return ZX_OK;
}

/* Batch mode: queue the set in the writer (batch.h); set -s runs plain. */
static int
submit_set(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct wop op = {0};
	int rc;

	if (args_has(a, "s"))
		return ZX_UNBATCHED;
	if ((rc = set_prepare(sh, a, path, &op.data, &op.len, &op.version)) != ZX_OK)
		return rc;
	op.kind = WOP_SET;
	op.path = xstrdup(path);
	return batch_submit(sh, &op);
}

/* ---- create ------------------------------------------------------------ */

#define TTL_MAX 0xFFFFFFFFFFLL

struct create_req {
	char path[ZKSH_PATH_MAX];
	char *data;
	int len;
	int mode;
	long long ttl;
	struct ACL_vector acl;
	int own_acl;
};

static int
create_mode(struct shell *sh, struct args *a, struct create_req *c)
{
	int e = args_has(a, "e"), s = args_has(a, "s"), k = args_has(a, "c");
	const char *t = args_get(a, "t");

	if (k && (e || s))
		return sh_error(sh, ZX_USAGE,
				"-c cannot be combined with -s or -e. Containers "
				"cannot be ephemeral or sequential.");
	c->ttl = -1;
	if (t != NULL) {
		if (parse_long(t, &c->ttl) != 0)
			return sh_error(sh, ZX_USAGE, "-t argument must be a long value");
		if (e)
			return sh_error(sh, ZX_USAGE, "TTLs cannot be used with Ephemeral znodes");
		if (k)
			return sh_error(sh, ZX_USAGE, "TTLs cannot be used with Container znodes");
		if (c->ttl <= 0 || c->ttl > TTL_MAX)
			return sh_error(sh, ZX_USAGE,
					"ttl must be positive and cannot be larger than: %lld",
					TTL_MAX);
	}
	if (e && s)
		c->mode = ZOO_EPHEMERAL_SEQUENTIAL;
	else if (e)
		c->mode = ZOO_EPHEMERAL;
	else if (s)
		c->mode = t ? ZOO_PERSISTENT_SEQUENTIAL_WITH_TTL : ZOO_PERSISTENT_SEQUENTIAL;
	else if (k)
		c->mode = ZOO_CONTAINER;
	else
		c->mode = t ? ZOO_PERSISTENT_WITH_TTL : ZOO_PERSISTENT;
	return ZX_OK;
}

static int
create_prepare(struct shell *sh, struct args *a, struct create_req *c)
{
	char err[512];
	int rc;

	memset(c, 0, sizeof(*c));
	c->acl = ZOO_OPEN_ACL_UNSAFE;
	if ((rc = create_mode(sh, a, c)) != ZX_OK)
		return rc;
	if ((rc = arg_path(sh, a->argv[0], args_has(a, "s"), c->path)) != ZX_OK)
		return rc;
	if (a->argc > 2) {
		if (acl_parse(a->argv[2], &c->acl, err, sizeof(err)) != 0)
			return sh_error(sh, ZX_USAGE, "%s", err);
		c->own_acl = 1;
	}
	rc = arg_data(sh, a, a->argc > 1 ? a->argv[1] : NULL,
		      create_overhead(sh, c->path, &c->acl, c->ttl > 0), &c->data, &c->len);
	if (rc != ZX_OK && c->own_acl)
		acl_free(&c->acl);
	return rc;
}

static void
create_release(struct create_req *c)
{
	free(c->data);
	if (c->own_acl)
		acl_free(&c->acl);
}

static int
check_create(struct shell *sh, struct args *a)
{
	struct create_req c;
	int rc = create_prepare(sh, a, &c);

	if (rc == ZX_OK)
		create_release(&c);
	return rc;
}

/*
 * A failed create's message. NoNode means the parent is missing: name it
 * (zkCli 3.8 names the node it was asked to create). Unimplemented for a TTL
 * node means the server was started without extended types.
 */
static int
create_fail(struct shell *sh, int rc, const struct create_req *c)
{
	char parent[ZKSH_PATH_MAX];

	if (rc == ZNONODE) {
		path_parent(c->path, parent, sizeof(parent));
		return zk_fail(sh, rc, parent);
	}
	if (rc == ZUNIMPLEMENTED && c->ttl > 0)
		return sh_error(sh, ZX_ZK,
				"KeeperErrorCode = Unimplemented for %s: the server does not "
				"take TTL nodes; start it with extendedTypesEnabled=true "
				"(the zookeeper.extendedTypesEnabled system property)",
				c->path);
	return zk_fail(sh, rc, c->path);
}

/* One create, the node's own: TTL or not. */
static int
create_one(struct shell *sh, const struct create_req *c, char *created, int createdlen)
{
	if (c->ttl > 0)
		return zoo_create2_ttl(ZH(sh), c->path, c->data, c->len, &c->acl, c->mode, c->ttl,
				       created, createdlen, NULL);
	return zoo_create(ZH(sh), c->path, c->data, c->len, &c->acl, c->mode, created, createdlen);
}

/*
 * create -p: the missing parents, top down, persistent with null data (as
 * `create /p` without data) and the node's ACL. One that exists already,
 * or appears meanwhile, is fine. Returns a ZooKeeper rc and the path it
 * failed on.
 */
static int
create_parents(struct shell *sh, const struct create_req *c, char *failed)
{
	char dir[ZKSH_PATH_MAX];

	for (const char *p = strchr(c->path + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
		int rc;

		snprintf(dir, sizeof(dir), "%.*s", (int)(p - c->path), c->path);
		rc = zoo_create(ZH(sh), dir, NULL, -1, &c->acl, ZOO_PERSISTENT, NULL, 0);
		if (rc != ZOK && rc != ZNODEEXISTS) {
			snprintf(failed, ZKSH_PATH_MAX, "%s", dir);
			return rc;
		}
	}
	return ZOK;
}

static int
cmd_create(struct shell *sh, struct args *a)
{
	struct create_req c;
	char created[ZKSH_PATH_MAX + 16];
	char line[ZKSH_PATH_MAX + 32];
	int rc;

	if ((rc = create_prepare(sh, a, &c)) != ZX_OK)
		return rc;
	rc = create_one(sh, &c, created, sizeof(created));
	/* -p: try the node first, the parents only when one is missing */
	if (rc == ZNONODE && args_has(a, "p")) {
		char failed[ZKSH_PATH_MAX];
		if ((rc = create_parents(sh, &c, failed)) != ZOK) {
			create_release(&c);
			return zk_fail(sh, rc, failed);
		}
		rc = create_one(sh, &c, created, sizeof(created));
	}
	if (rc != ZOK) {
		rc = create_fail(sh, rc, &c);
		create_release(&c);
		return rc;
	}
	create_release(&c);
	snprintf(line, sizeof(line), "Created %s", created);
	render_value(sh, "created", created, line);
	return ZX_OK;
}

/* Batch mode: queue the create in the writer; TTL creates and -p run plain. */
static int
submit_create(struct shell *sh, struct args *a)
{
	struct create_req c;
	struct wop op = {0};
	int rc;

	/* -p reads first; container and TTL creates cannot go into the client's multi */
	if (args_has(a, "p") || args_has(a, "t") || args_has(a, "c"))
		return ZX_UNBATCHED;
	if ((rc = create_prepare(sh, a, &c)) != ZX_OK)
		return rc;
	op.kind = WOP_CREATE;
	op.path = xstrdup(c.path);
	op.data = c.data;
	op.len = c.len;
	op.mode = c.mode;
	op.acl = c.acl;
	op.own_acl = c.own_acl;
	return batch_submit(sh, &op);
}

/* ---- delete ------------------------------------------------------------ */

static int
cmd_delete(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	int version, rc;

	if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc;
	if ((rc = arg_version(sh, a, &version)) != ZX_OK)
		return rc;
	rc = zoo_delete(ZH(sh), path, version);
	if (rc != ZOK)
		return zk_fail(sh, rc, path);
	render_value(sh, "deleted", path, NULL);
	return ZX_OK;
}

static int
check_delete(struct shell *sh, struct args *a)
{
	int version;

	return arg_version(sh, a, &version);
}

/* Batch mode: queue the delete in the writer. */
static int
submit_delete(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct wop op = {0};
	int rc;

	if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc;
	if ((rc = arg_version(sh, a, &op.version)) != ZX_OK)
		return rc;
	op.kind = WOP_DELETE;
	op.path = xstrdup(path);
	op.len = -1;
	return batch_submit(sh, &op);
}

/* ---- check ------------------------------------------------------------- */

static int
check_prepare(struct shell *sh, struct args *a, char *path, int *version)
{
	long long n;
	int rc;

	if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc;
	if (parse_long(a->argv[1], &n) != 0 || n < -1 || n > 2147483647LL)
		return sh_error(sh, ZX_USAGE, "check: version must be an integer, not '%s'",
				a->argv[1]);
	*version = (int)n;
	return ZX_OK;
}

/* A multi of one check op: BadVersion unless the node is at that version. */
static int
cmd_check(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	zoo_op_t op;
	zoo_op_result_t res;
	int version, rc;

	if ((rc = check_prepare(sh, a, path, &version)) != ZX_OK)
		return rc;
	zoo_check_op_init(&op, path, version);
	rc = zoo_multi(ZH(sh), 1, &op, &res);
	if (rc != ZOK)
		return zk_fail(sh, rc, path);
	render_value(sh, "checked", path, NULL);
	return ZX_OK;
}

static int
submit_check(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct wop op = {0};
	int rc;

	if ((rc = check_prepare(sh, a, path, &op.version)) != ZX_OK)
		return rc;
	op.kind = WOP_CHECK;
	op.path = xstrdup(path);
	op.len = -1;
	return batch_submit(sh, &op);
}

/* ---- sync -------------------------------------------------------------- */

static int
cmd_sync(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	int rc;

	if ((rc = arg_path_or_cwd(sh, a, 0, path)) != ZX_OK)
		return rc;
	rc = zk_sync(sh, path);
	if (rc != ZOK)
		return zk_fail(sh, rc, path);
	render_value(sh, "synced", path, "Sync is OK");
	return ZX_OK;
}

const struct cmd_entry cmd_data_entries[] = {
    {.name = "ls",
     .flags = "s w R",
     .min_args = 0,
     .max_args = 1,
     .usage = "[-s] [-w] [-R] path",
     .help = "list the children of a node (-R: every descendant, -s: with stat, -w: watch)",
     .complete = CPL_PATH,
     .attrs = CMD_ZK,
     .exec = cmd_ls},
    {.name = "get",
     .flags = "s w b x",
     .min_args = 1,
     .max_args = 1,
     .usage = "[-s] [-w] [-b] [-x] path",
     .help = "print a node's data (-b: base64, -x: hex dump, -s: with stat, -w: watch)",
     .complete = CPL_PATH,
     .attrs = CMD_ZK,
     .exec = cmd_get},
    {.name = "set",
     .flags = "s v: b",
     .min_args = 2,
     .max_args = 2,
     .usage = "[-s] [-v version] [-b] path data",
     .help = "set a node's data (-b: data is base64, -v: only if at that version)",
     .complete = CPL_PATH,
     .attrs = CMD_ZK | CMD_WRITE,
     .exec = cmd_set,
     .check = check_set,
     .submit = submit_set},
    {.name = "create",
     .flags = "s e c t: b p",
     .min_args = 1,
     .max_args = 3,
     .usage = "[-s] [-e] [-c] [-t ttl] [-b] [-p] path [data] [acl]",
     .help = "create a node (-s sequential, -e ephemeral, -c container, -t ttl in ms: TTL "
	     "nodes need a server started with extendedTypesEnabled=true; -p: create the "
	     "missing parents first, persistent, with no data and the same ACL)",
     .complete = CPL_PATH,
     .attrs = CMD_ZK | CMD_WRITE,
     .exec = cmd_create,
     .check = check_create,
     .submit = submit_create},
    {.name = "delete",
     .alias = "rm",
     .flags = "v:",
     .min_args = 1,
     .max_args = 1,
     .usage = "[-v version] path",
     .help = "delete a node that has no children (-v: only if at that version)",
     .complete = CPL_PATH,
     .attrs = CMD_ZK | CMD_WRITE,
     .exec = cmd_delete,
     .check = check_delete,
     .submit = submit_delete},
    {.name = "stat",
     .flags = "w",
     .min_args = 0,
     .max_args = 1,
     .usage = "[-w] path",
     .help = "print a node's stat (-w: watch)",
     .complete = CPL_PATH,
     .attrs = CMD_ZK,
     .exec = cmd_stat},
    {.name = "exists",
     .flags = "s w",
     .min_args = 1,
     .max_args = 1,
     .usage = "[-s] [-w] path",
     .help = "print true and exit 0 if the node exists, else print false and exit 1",
     .complete = CPL_PATH,
     .attrs = CMD_ZK,
     .exec = cmd_exists},
    {.name = "sync",
     .min_args = 0,
     .max_args = 1,
     .usage = "path",
     .help = "make the connected server catch up with the leader for path",
     .complete = CPL_PATH,
     .attrs = CMD_ZK,
     .exec = cmd_sync},
    {.name = "check",
     .min_args = 2,
     .max_args = 2,
     .usage = "path version",
     .help = "fail (BadVersion) unless the node is at that data version; in a script "
	     "it joins the writes' multi (with --atomic: optimistic concurrency)",
     .complete = CPL_PATH,
     .attrs = CMD_ZK,
     .exec = cmd_check,
     .submit = submit_check},
    {0},
};
