/*
 * Quotas: setquota, listquota, delquota. They are stored as ZooKeeper 3.8
 * stores them (zk/quotacodec.h), so zkCli.sh and the server read what zksh
 * writes; the server keeps zookeeper_stats up to date.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/common.h"
#include "command.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zk/quotacodec.h"
#include "zk/walk.h"
#include "zkerr.h"

#define QPATH_MAX   QUOTA_PATH_MAX
#define LIMITS_NODE QUOTA_LIMITS_NODE
#define STATS_NODE  QUOTA_STATS_NODE

static cJSON *
quota_json(const struct quota *q)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "count", (double)q->count);
	cJSON_AddNumberToObject(o, "bytes", (double)q->bytes);
	cJSON_AddNumberToObject(o, "countHardLimit", (double)q->count_hard);
	cJSON_AddNumberToObject(o, "byteHardLimit", (double)q->byte_hard);
	return o;
}

static int
read_quota(struct shell *sh, const char *path, struct quota *q)
{
	char buf[512];
	int len = sizeof(buf) - 1;
	struct Stat st;
	int rc = zoo_get(ZH(sh), path, 0, buf, &len, &st);

	if (rc == ZOK)
		quota_parse(buf, len, q);
	return rc;
}

static int
write_quota(struct shell *sh, const char *path, const struct quota *q)
{
	char text[256];

	quota_format(q, text, sizeof(text));
	return zoo_set(ZH(sh), path, text, (int)strlen(text), -1);
}

/* ---- the flags --------------------------------------------------------- */

static const char *const quota_flags[] = {"n", "b", "N", "B"};

/* Which of -n -b -N -B was given (0..3), -1 for none; more than one is refused. */
static int
which_flag(struct shell *sh, struct args *a, int *which)
{
	*which = -1;
	for (int i = 0; i < 4; i++) {
		if (!args_has(a, quota_flags[i]))
			continue;
		if (*which >= 0)
			return sh_error(sh, ZX_USAGE, "%s: give only one of -n, -b, -N, -B",
					a->entry->name);
		*which = i;
	}
	return ZX_OK;
}

static int
quota_value(struct shell *sh, struct args *a, int which, long long *v)
{
	const char *s = args_get(a, quota_flags[which]);
	int counts = which == 0 || which == 2;

	if (parse_long(s, v) != 0 || (counts && *v > 2147483647LL))
		return sh_error(sh, ZX_USAGE, "setquota: -%s wants a number, not '%s'",
				quota_flags[which], s);
	if (counts && *v <= 0)
		return sh_error(sh, ZX_USAGE, "the num quota must be greater than zero");
	if (!counts && *v < 0)
		return sh_error(sh, ZX_USAGE,
				"the bytes quota must be greater than or equal to zero");
	return ZX_OK;
}

/* ---- setquota ---------------------------------------------------------- */

struct child_check {
	const char *own; /* the quota dir of the path itself */
	char found[ZKSH_PATH_MAX];
};

static int
child_visit(void *ctx, const struct walk_node *n)
{
	struct child_check *c = ctx;

	if (strcmp(n->path, c->own) == 0)
		return 0;
	for (int i = 0; i < n->nchildren; i++)
		if (strcmp(n->children[i], LIMITS_NODE) == 0) {
			snprintf(c->found, sizeof(c->found), "%s", n->path + strlen(QUOTA_ROOT));
			return -1;
		}
	return 0;
}

/* zkCli's rule: no quota on a node with a quota above or below it. */
static int
check_nesting(struct shell *sh, const char *path)
{
	char dir[QPATH_MAX], limits[QPATH_MAX];
	struct child_check c;
	struct walk_opts o;
	struct walk_result res;
	struct Stat st;
	int rc;

	quota_path(path, NULL, dir);
	memset(&c, 0, sizeof(c));
	c.own = dir;
	memset(&o, 0, sizeof(o));
	o.max_depth = -1;
	rc = walk_tree(sh, dir, &o, child_visit, &c, &res);
	if (rc != ZOK && rc != ZNONODE)
		return zk_fail(sh, rc, dir);
	if (c.found[0] != '\0')
		return sh_error(sh, ZX_ZK, "%s has a child %s which has a quota", path, c.found);
	for (const char *p = strchr(path + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
		char parent[ZKSH_PATH_MAX];

		snprintf(parent, sizeof(parent), "%.*s", (int)(p - path), path);
		quota_path(parent, LIMITS_NODE, limits);
		rc = zoo_exists(ZH(sh), limits, 0, &st);
		if (rc == ZOK)
			return sh_error(sh, ZX_ZK, "%s has a parent %s which has a quota", path,
					parent);
		if (rc != ZNONODE)
			return zk_fail(sh, rc, limits);
	}
	return ZX_OK;
}

/* Create /zookeeper/quota<path> and the nodes above it, as zkCli does (null data). */
static int
make_quota_dirs(struct shell *sh, const char *path)
{
	char dir[QPATH_MAX];
	int rc;

	for (const char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		snprintf(dir, sizeof(dir), "%s%.*s", QUOTA_ROOT, (int)(p - path), path);
		rc = zoo_create(ZH(sh), dir, NULL, -1, &ZOO_OPEN_ACL_UNSAFE, ZOO_PERSISTENT, NULL,
				0);
		if (rc != ZOK && rc != ZNODEEXISTS)
			return zk_fail(sh, rc, dir);
		if (*p == '\0')
			return ZX_OK;
	}
}

static int
store_quota(struct shell *sh, const char *path, int which, long long v, struct quota *q)
{
	char limits[QPATH_MAX], stats[QPATH_MAX], text[256];
	static const char zero[] = "count=0,bytes=0";
	int rc;

	quota_path(path, LIMITS_NODE, limits);
	quota_path(path, STATS_NODE, stats);
	rc = read_quota(sh, limits, q);
	if (rc == ZOK) {
		quota_set_field(q, which, v);
		rc = write_quota(sh, limits, q);
		return rc == ZOK ? ZX_OK : zk_fail(sh, rc, limits);
	}
	if (rc != ZNONODE)
		return zk_fail(sh, rc, limits);
	quota_init(q);
	q->has_count_hard = q->has_byte_hard = 1;
	quota_set_field(q, which, v);
	quota_format(q, text, sizeof(text));
	rc = zoo_create(ZH(sh), limits, text, (int)strlen(text), &ZOO_OPEN_ACL_UNSAFE,
			ZOO_PERSISTENT, NULL, 0);
	if (rc != ZOK)
		return zk_fail(sh, rc, limits);
	/* the server recounts the subtree when the stats node appears */
	rc = zoo_create(ZH(sh), stats, zero, (int)strlen(zero), &ZOO_OPEN_ACL_UNSAFE,
			ZOO_PERSISTENT, NULL, 0);
	if (rc != ZOK && rc != ZNODEEXISTS)
		return zk_fail(sh, rc, stats);
	return ZX_OK;
}

static int
quota_target(struct shell *sh, struct args *a, char *path)
{
	int rc = arg_path(sh, a->argv[0], 0, path);

	if (rc != ZX_OK)
		return rc;
	if (strncmp(path, QUOTA_ROOT, strlen(QUOTA_ROOT)) == 0)
		return sh_error(sh, ZX_USAGE, "cannot set a quota under the path: %s", QUOTA_ROOT);
	return ZX_OK;
}

/* Everything setquota can tell without the server: the flag, its value, the path. */
static int
setquota_prepare(struct shell *sh, struct args *a, char *path, int *which, long long *v)
{
	int rc;

	if ((rc = which_flag(sh, a, which)) != ZX_OK)
		return rc;
	if (*which < 0)
		return sh_error(sh, ZX_USAGE, "setquota: give one of -n, -b, -N, -B");
	if ((rc = quota_value(sh, a, *which, v)) != ZX_OK)
		return rc;
	if ((rc = quota_target(sh, a, path)) != ZX_OK)
		return rc;
	if (strcmp(path, "/") == 0)
		return sh_error(sh, ZX_USAGE, "setquota: the root node / cannot have a quota");
	return ZX_OK;
}

static int
check_setquota(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	long long v;
	int which;

	return setquota_prepare(sh, a, path, &which, &v);
}

static int
cmd_setquota(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct quota q;
	struct Stat st;
	long long v;
	int which, rc;

	if ((rc = setquota_prepare(sh, a, path, &which, &v)) != ZX_OK)
		return rc;
	rc = zoo_exists(ZH(sh), path, 0, &st);
	if (rc == ZNONODE)
		return sh_error(sh, ZX_ZK, "%s does not exist.", path);
	if (rc != ZOK)
		return zk_fail(sh, rc, path);
	if ((rc = check_nesting(sh, path)) != ZX_OK)
		return rc;
	if ((rc = make_quota_dirs(sh, path)) != ZX_OK)
		return rc;
	if ((rc = store_quota(sh, path, which, v, &q)) != ZX_OK)
		return rc;
	render_value(sh, "path", path, NULL);
	if (sh->result != NULL)
		cJSON_AddItemToObject(sh->result, "quota", quota_json(&q));
	return ZX_OK;
}

/* ---- listquota --------------------------------------------------------- */

/*
 * The server refuses writes over a hard limit only when it runs with
 * zookeeper.enforceQuota=true (3.7 on; off by default): say so when the
 * count shows a hard limit passed. Text: a note on stderr, so stdout stays
 * zkCli's; JSON: "note" in the document.
 */
static void
note_unenforced(struct shell *sh, const char *path, const struct quota *q, const struct quota *s)
{
	char note[ZKSH_PATH_MAX + 512];
	int over_count = q->has_count_hard && q->count_hard >= 0 && s->count > q->count_hard;
	int over_bytes = q->has_byte_hard && q->byte_hard >= 0 && s->bytes > q->byte_hard;

	if (!over_count && !over_bytes)
		return;
	if (over_count)
		snprintf(note, sizeof(note), "%s holds %lld nodes, over its hard limit of %lld",
			 path, s->count, q->count_hard);
	else
		snprintf(note, sizeof(note), "%s holds %lld bytes, over its hard limit of %lld",
			 path, s->bytes, q->byte_hard);
	snprintf(note + strlen(note), sizeof(note) - strlen(note),
		 ": the server enforces hard quotas only when started with "
		 "zookeeper.enforceQuota=true (or the nodes were there before the limit)");
	if (sh->result != NULL) {
		cJSON_AddStringToObject(sh->result, "note", note);
		return;
	}
	out_lock();
	fprintf(stderr, "Note: %s\n", note);
	out_unlock();
}

static int
cmd_listquota(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX], limits[QPATH_MAX], stats[QPATH_MAX];
	char qtext[256], stext[256];
	struct quota q, s;
	int rc;

	if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc;
	quota_path(path, LIMITS_NODE, limits);
	quota_path(path, STATS_NODE, stats);
	if (sh->interactive && !shell_json(sh))
		fprintf(stderr, "absolute path is %s\n", limits);
	rc = strcmp(path, "/") == 0 ? ZNONODE : read_quota(sh, limits, &q);
	if (rc == ZOK)
		rc = read_quota(sh, stats, &s);
	if (rc == ZNONODE)
		return sh_error(sh, ZX_ZK, "quota for %s does not exist.", path);
	if (rc != ZOK)
		return zk_fail(sh, rc, limits);
	if (sh->result != NULL) {
		cJSON_AddStringToObject(sh->result, "path", path);
		cJSON_AddItemToObject(sh->result, "quota", quota_json(&q));
		cJSON *o = cJSON_AddObjectToObject(sh->result, "stat");
		cJSON_AddNumberToObject(o, "count", (double)s.count);
		cJSON_AddNumberToObject(o, "bytes", (double)s.bytes);
		note_unenforced(sh, path, &q, &s);
		return ZX_OK;
	}
	quota_format(&q, qtext, sizeof(qtext));
	quota_format(&s, stext, sizeof(stext));
	render_text(sh, "Output quota for %s %s\nOutput stat for %s %s\n", path, qtext, path,
		    stext);
	note_unenforced(sh, path, &q, &s);
	return ZX_OK;
}

/* ---- delquota ---------------------------------------------------------- */

/* Remove the quota dir's nodes, then the dirs above that nothing else uses. */
static int
remove_quota(struct shell *sh, const char *path)
{
	char dir[QPATH_MAX], node[QPATH_MAX];
	struct String_vector v;
	int rc;

	quota_path(path, NULL, dir);
	for (const char *leaf = LIMITS_NODE; leaf != NULL;
	     leaf = strcmp(leaf, LIMITS_NODE) == 0 ? STATS_NODE : NULL) {
		quota_path(path, leaf, node);
		rc = zoo_delete(ZH(sh), node, -1);
		if (rc != ZOK && rc != ZNONODE)
			return zk_fail(sh, rc, node);
	}
	while (strcmp(dir, QUOTA_ROOT) != 0) {
		rc = zoo_get_children(ZH(sh), dir, 0, &v);
		if (rc == ZOK && v.count > 0) {
			deallocate_String_vector(&v);
			break;
		}
		if (rc == ZOK) {
			deallocate_String_vector(&v);
			rc = zoo_delete(ZH(sh), dir, -1);
		}
		if (rc != ZOK && rc != ZNONODE && rc != ZNOTEMPTY)
			return zk_fail(sh, rc, dir);
		*strrchr(dir, '/') = '\0';
	}
	return ZX_OK;
}

static int
check_delquota(struct shell *sh, struct args *a)
{
	int which;

	return which_flag(sh, a, &which);
}

static int
cmd_delquota(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX], limits[QPATH_MAX];
	struct quota q;
	int which, rc;

	if ((rc = which_flag(sh, a, &which)) != ZX_OK)
		return rc;
	if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc;
	quota_path(path, LIMITS_NODE, limits);
	rc = strcmp(path, "/") == 0 ? ZNONODE : read_quota(sh, limits, &q);
	if (rc == ZNONODE)
		return sh_error(sh, ZX_ZK, "Quota does not exist for %s", path);
	if (rc != ZOK)
		return zk_fail(sh, rc, limits);
	if (which < 0) {
		rc = remove_quota(sh, path);
	} else {
		quota_set_field(&q, which, -1);
		rc = write_quota(sh, limits, &q);
		rc = rc == ZOK ? ZX_OK : zk_fail(sh, rc, limits);
	}
	if (rc == ZX_OK)
		render_value(sh, "path", path, NULL);
	return rc;
}

const struct cmd_entry cmd_quota_entries[] = {
    {.name = "setquota",
     .flags = "n: b: N: B:",
     .min_args = 1,
     .max_args = 1,
     .usage = "-n|-b|-N|-B val path",
     .help = "set a quota on path: -n/-b soft limits on the node count/bytes (the server "
	     "only logs them), -N/-B hard limits (refused writes, but only on a server "
	     "started with zookeeper.enforceQuota=true); stored under /zookeeper/quota as "
	     "zkCli does",
     .complete = CPL_PATH,
     .attrs = CMD_ZK | CMD_WRITE,
     .exec = cmd_setquota,
     .check = check_setquota},
    {.name = "listquota",
     .min_args = 1,
     .max_args = 1,
     .usage = "path",
     .help = "print the quota of path and the server's count of what it holds",
     .complete = CPL_PATH,
     .attrs = CMD_ZK,
     .exec = cmd_listquota},
    {.name = "delquota",
     .flags = "n b N B",
     .min_args = 1,
     .max_args = 1,
     .usage = "[-n|-b|-N|-B] path",
     .help = "delete the quota of path, or only one of its limits",
     .complete = CPL_PATH,
     .attrs = CMD_ZK | CMD_WRITE,
     .exec = cmd_delquota,
     .check = check_delquota},
    {0},
};
