/*
 * Whole-subtree commands on the pipelined walker: getEphemerals,
 * getAllChildrenNumber, deleteall.
 *
 * The C client has no getEphemerals or getAllChildrenNumber call, so both
 * walk the tree: getEphemerals lists the nodes this session owns (the server
 * call would list the same), getAllChildrenNumber counts what it can read.
 * deleteall does not walk first: zk/prune.c deletes in multi() batches and
 * lists only the nodes found to have children.
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/bulk.h"
#include "cmd/common.h"
#include "command.h"
#include "progress.h"
#include "zk/path.h"
#include "zk/prune.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zk/walk.h"
#include "zkerr.h"

/* Stay well under the server's 1 MB jute.maxbuffer per multi(). */
#define MULTI_MAX_BYTES (256 * 1024)
#define DELETEALL_BATCH 1000
/* deleteall in the interactive shell asks first past this many nodes (and for /) */
#define DELETEALL_ASK 100

static int
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- getEphemerals ----------------------------------------------------- */

struct eph {
	const char *prefix;
	int64_t owner;
	char **paths;
	int n, cap;
};

static int
eph_visit(void *ctx, const struct walk_node *n)
{
	struct eph *e = ctx;

	/* a string prefix, as the server's call takes it: /a matches /a/x and /ab */
	if (!starts_with(n->path, e->prefix) && !starts_with(e->prefix, n->path))
		return 1;
	if (strcmp(n->path, "/zookeeper") == 0 && !starts_with(e->prefix, "/zookeeper"))
		return 1; /* no ephemerals live there */
	if (!starts_with(n->path, e->prefix) || n->stat->ephemeralOwner != e->owner)
		return 0;
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->paths = xrealloc(e->paths, (size_t)e->cap * sizeof(char *));
	}
	e->paths[e->n++] = xstrdup(n->path);
	return 0;
}

static int
cmd_getephemerals(struct shell *sh, struct args *a)
{
	char prefix[ZKSH_PATH_MAX], root[ZKSH_PATH_MAX];
	struct walk_opts o;
	struct walk_result res;
	struct eph e;
	int rc;

	if ((rc = args_path(a, 0, prefix)) != ZX_OK)
		return rc;
	if (a->argc == 0)
		strcpy(prefix, "/");
	path_parent(prefix, root, sizeof(root));
	memset(&o, 0, sizeof(o));
	o.max_depth = -1;
	memset(&e, 0, sizeof(e));
	e.prefix = prefix;
	e.owner = zoo_client_id(ZH(sh))->client_id;
	rc = walk_tree(sh, root, &o, eph_visit, &e, &res);
	if (rc == ZNONODE)
		rc = ZOK; /* nothing there, so no ephemerals of ours either */
	if (rc == ZOK)
		render_names(sh, "ephemerals", e.paths, e.n);
	for (int i = 0; i < e.n; i++)
		free(e.paths[i]);
	free(e.paths);
	if (rc != ZOK)
		return walk_fail(sh, rc, root, &res);
	return walk_report(sh, "getEphemerals", &res);
}

/* ---- getAllChildrenNumber ---------------------------------------------- */

static int
count_visit(void *ctx, const struct walk_node *n)
{
	long long *count = ctx;

	*count += n->nchildren;
	return 0;
}

static int
cmd_getallchildrennumber(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX], line[32];
	struct walk_opts o;
	struct walk_result res;
	long long count = 0;
	int rc;

	if ((rc = args_path(a, 0, path)) != ZX_OK)
		return rc;
	memset(&o, 0, sizeof(o));
	o.max_depth = -1;
	rc = walk_tree(sh, path, &o, count_visit, &count, &res);
	if (rc != ZOK)
		return walk_fail(sh, rc, path, &res);
	snprintf(line, sizeof(line), "%lld", count);
	render_number(sh, "count", count, line);
	return walk_report(sh, "getAllChildrenNumber", &res);
}

/* ---- deleteall --------------------------------------------------------- */

/* What the interactive shell counts before it asks. */
struct tally_walk {
	long n;
	int system; /* deleteall /: the root and /zookeeper stay */
	struct progress prog;
};

static int
tally_visit(void *ctx, const struct walk_node *n)
{
	struct tally_walk *t = ctx;

	progress_tick(&t->prog);
	if (t->system && strcmp(n->path, "/zookeeper") == 0)
		return 1;
	if (!(t->system && n->depth == 0))
		t->n++;
	return 0;
}

static int
batch_size(struct shell *sh, struct args *a, size_t *batch)
{
	(void)sh;
	*batch = (size_t)args_int(a, "b", DELETEALL_BATCH); /* 1..100000, by the dispatcher */
	return ZX_OK;
}

static int
check_deleteall(struct shell *sh, struct args *a)
{
	size_t batch;

	return batch_size(sh, a, &batch);
}

/*
 * Ask on the terminal; 1 only for an answer starting with y. The line editor
 * is not reading while a command runs, so the answer is read from stdin
 * here, polling so that Ctrl-C (which sets sh->interrupted) means no.
 */
static int
confirm(struct shell *sh, const char *question)
{
	char answer[16];
	size_t n = 0;

	out_lock();
	fprintf(stderr, "%s [y/N] ", question);
	fflush(stderr);
	out_unlock();
	while (n < sizeof(answer) - 1 && !sh->interrupted) {
		struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
		char c;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if (read(STDIN_FILENO, &c, 1) != 1 || c == '\n')
			break;
		answer[n++] = c;
	}
	answer[n] = '\0';
	if (sh->interrupted) {
		fprintf(stderr, "\n");
		return 0;
	}
	return answer[0] == 'y' || answer[0] == 'Y';
}

/*
 * The interactive shell counts the nodes and asks before a large deleteall
 * or deleteall /; batch mode and -y never do (nor count: the delete does
 * not need it). ZX_OK to go on, with *count the nodes counted or -1.
 */
static int
deleteall_confirmed(struct shell *sh, struct args *a, const char *path, long *count)
{
	char q[ZKSH_PATH_MAX + 64];
	struct tally_walk t;
	struct walk_opts o;
	struct walk_result res;
	int rc;

	*count = -1;
	if (!sh->interactive || args_has(a, "yes") || args_has(a, "y"))
		return ZX_OK;
	memset(&t, 0, sizeof(t));
	memset(&o, 0, sizeof(o));
	t.system = strcmp(path, "/") == 0;
	o.max_depth = -1;
	progress_start(&t.prog, sh, "deleteall (counting)", 0);
	rc = walk_tree(sh, path, &o, tally_visit, &t, &res);
	progress_end(&t.prog);
	if (rc != ZOK)
		return walk_fail(sh, rc, path, &res);
	if (res.interrupted)
		return sh_error(sh, ZX_ZK,
				"deleteall %s: interrupted while counting, nothing deleted", path);
	*count = t.n;
	if (t.n <= DELETEALL_ASK && !t.system)
		return ZX_OK;
	snprintf(q, sizeof(q), "deleteall %s: delete %ld node%s?", path, t.n, t.n == 1 ? "" : "s");
	if (!confirm(sh, q))
		return sh_error(sh, ZX_ZK, "deleteall %s: not confirmed, nothing deleted", path);
	return ZX_OK;
}

static void
deleteall_tick(void *ctx, long deleted)
{
	progress_set(ctx, deleted);
}

static int
cmd_deleteall(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct zkctx zc = shell_zkctx(sh);
	struct prune_opts po;
	struct walk_result res;
	struct progress prog;
	struct bulk b;
	size_t batch;
	long count;
	int rc, system;

	if ((rc = args_path(a, 0, path)) != ZX_OK)
		return rc;
	if ((rc = batch_size(sh, a, &batch)) != ZX_OK)
		return rc;
	if ((rc = deleteall_confirmed(sh, a, path, &count)) != ZX_OK)
		return rc;
	system = strcmp(path, "/") == 0;
	memset(&po, 0, sizeof(po));
	po.batch = (int)batch;
	po.max_bytes = MULTI_MAX_BYTES;
	po.keep_root = system;
	po.keep_name = system ? "zookeeper" : NULL;
	po.tick = deleteall_tick;
	po.tick_ctx = &prog;
	bulk_init(&b, 1);
	b.nonode_ok = b.e.nonode_ok = 1; /* a node that went meanwhile is deleted */
	progress_start(&prog, sh, "deleteall", 0);
	if (count >= 0)
		progress_total(&prog, count);
	rc = prune_zk(&zc, path, &po, &b.e, &res);
	progress_set(&prog, b.e.ok);
	progress_end(&prog);
	if (rc != ZOK) {
		if (b.e.ok > 0)
			render_number(sh, "deleted", b.e.ok, NULL);
		rc = walk_fail(sh, rc, path, &res);
		bulk_destroy(&b);
		return rc;
	}
	render_number(sh, "deleted", b.e.ok, NULL);
	rc = bulk_report(sh, &b, "deleteall", &res);
	bulk_destroy(&b);
	return rc;
}

const struct cmd_entry cmd_tree_entries[] = {
    {.name = "getEphemerals",
     .pos = POSITIONALS(PATH_POS(POS_OPTIONAL)),
     .help = "list the ephemeral nodes of this session whose path starts with path "
	     "(walks the tree: the C client has no getEphemerals call)",
     .attrs = CMD_ZK | CMD_EMULATED,
     .parse = PARSE_CLUSTER,
     .exec = cmd_getephemerals},
    {.name = "getAllChildrenNumber",
     .pos = POSITIONALS(PATH_POS(0)),
     .help = "print how many nodes are below path, at any depth (walks the tree: the C "
	     "client has no getAllChildrenNumber call)",
     .attrs = CMD_ZK | CMD_EMULATED,
     .parse = PARSE_CLUSTER,
     .exec = cmd_getallchildrennumber},
    {.name = "deleteall",
     .opts = OPTS({.shrt = 'b',
		   .type = OPT_INT,
		   .value = "batchsize",
		   .min = 1,
		   .max = 100000,
		   .noun = "a batch size",
		   .help = "at most this many nodes a multi() (default 1000)"},
		  OPT_FLAG('y', "yes", "do not ask, however many nodes would go")),
     .pos = POSITIONALS(PATH_POS(0)),
     .help = "delete a node and everything below it, deepest first, in multi() batches of "
	     "at most batchsize nodes (default 1000) and 256 KiB, listing only the nodes "
	     "found to have children; deleteall / keeps "
	     "/zookeeper. The interactive shell asks first when more than 100 nodes would "
	     "go, or for /; -y/--yes does not ask, and batch mode never does (as zkCli)",
     .attrs = CMD_ZK | CMD_WRITE,
     .parse = PARSE_CLUSTER,
     .exec = cmd_deleteall,
     .check = check_deleteall},
    {0},
};
