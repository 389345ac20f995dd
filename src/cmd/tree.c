/*
 * Whole-subtree commands on the pipelined walker: getEphemerals,
 * getAllChildrenNumber, deleteall.
 *
 * The C client has no getEphemerals or getAllChildrenNumber call, so both
 * walk the tree: getEphemerals lists the nodes this session owns (the server
 * call would list the same), getAllChildrenNumber counts what it can read.
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

struct paths {
	char **v;
	size_t n, cap;
	int skip_system; /* deleteall /: /zookeeper is the server's */
	struct progress prog;
};

static int
collect_visit(void *ctx, const struct walk_node *n)
{
	struct paths *p = ctx;

	progress_tick(&p->prog);
	if (p->skip_system && strcmp(n->path, "/zookeeper") == 0)
		return 1;
	if (p->skip_system && n->depth == 0)
		return 0; /* the root node cannot be deleted */
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 1024;
		p->v = xrealloc(p->v, p->cap * sizeof(char *));
	}
	p->v[p->n++] = xstrdup(n->path);
	return 0;
}

/* One multi() in flight: its results are written when the answer comes. */
struct batch {
	struct bulk_req *r;
	struct delall *d;
	size_t hi, lo; /* deletes paths[lo..hi], hi first */
	zoo_op_result_t *results;
};

struct delall {
	struct shell *sh;
	struct paths p;
	struct bulk b;
	pthread_mutex_t mu;
	size_t (*failed)[2]; /* ranges of failed batches, to retry node by node */
	size_t nfailed, capfailed;
	size_t *lost; /* retried deletes whose answer the connection took along */
	size_t nlost, caplost;
};

static void
note_failed_batch(struct delall *d, size_t lo, size_t hi)
{
	pthread_mutex_lock(&d->mu);
	if (d->nfailed == d->capfailed) {
		d->capfailed = d->capfailed ? d->capfailed * 2 : 16;
		d->failed = xrealloc(d->failed, d->capfailed * sizeof(*d->failed));
	}
	d->failed[d->nfailed][0] = lo;
	d->failed[d->nfailed][1] = hi;
	d->nfailed++;
	pthread_mutex_unlock(&d->mu);
}

static void
multi_done(int rc, const void *data)
{
	struct batch *bt = (struct batch *)data;

	if (rc != ZOK) {
		/* all or nothing: retried one by one to find out which nodes stay */
		note_failed_batch(bt->d, bt->lo, bt->hi);
		bt->r->n = 0;
	}
	bulk_done(bt->r, rc);
	free(bt->results);
	free(bt);
}

static void
send_batch(struct delall *d, size_t lo, size_t hi)
{
	size_t count = hi - lo + 1;
	zoo_op_t *ops = xcalloc(count, sizeof(*ops));
	struct batch *bt = xcalloc(1, sizeof(*bt));
	int rc;

	for (size_t i = 0; i < count; i++)
		zoo_delete_op_init(&ops[i], d->p.v[hi - i], -1);
	bt->d = d;
	bt->lo = lo;
	bt->hi = hi;
	bt->results = xcalloc(count, sizeof(*bt->results));
	bt->r = bulk_reserve(&d->b, d->p.v[hi]);
	bt->r->n = (long)count;
	/* the request is serialised here: ops may go, results must stay */
	rc = zoo_amulti(ZH(d->sh), (int)count, ops, bt->results, multi_done, bt);
	free(ops);
	if (rc != ZOK)
		multi_done(rc, bt);
}

/* Children come after their parent in pre-order: deleting backwards empties each first. */
static void
delete_batches(struct delall *d, size_t batch)
{
	size_t hi, i, bytes = 0, count = 0;

	if (d->p.n == 0)
		return;
	hi = d->p.n - 1;
	for (i = d->p.n; i-- > 0;) {
		size_t cost = strlen(d->p.v[i]) + 32;

		if (count > 0 && (count == batch || bytes + cost > MULTI_MAX_BYTES)) {
			send_batch(d, i + 1, hi);
			progress_set(&d->p.prog, (long)(d->p.n - 1 - i)); /* sent, not answered */
			hi = i;
			bytes = count = 0;
			if (d->sh->interrupted)
				return;
		}
		bytes += cost;
		count++;
	}
	send_batch(d, 0, hi);
}

/* A retried delete: its path index rides along, for a resend after fail-over. */
struct retry {
	struct bulk_req *r;
	struct delall *d;
	size_t i;
};

static int
answer_lost(int rc)
{
	return rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT || rc == ZSESSIONMOVED;
}

static void
delete_done(int rc, const void *data)
{
	struct retry *t = (struct retry *)data;
	struct delall *d = t->d;

	if (answer_lost(rc)) {
		/* sent again once the client is back: a delete that did apply
		 * then answers NoNode, which deleteall counts as deleted */
		pthread_mutex_lock(&d->mu);
		if (d->nlost == d->caplost) {
			d->caplost = d->caplost ? d->caplost * 2 : 64;
			d->lost = xrealloc(d->lost, d->caplost * sizeof(*d->lost));
		}
		d->lost[d->nlost++] = t->i;
		pthread_mutex_unlock(&d->mu);
		t->r->n = 0;
	}
	bulk_done(t->r, rc);
	free(t);
}

static int
by_index_desc(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Delete paths[idx[0..n)], deepest (highest index) first; then wait for the answers. */
static void
delete_each(struct delall *d, size_t *idx, size_t n)
{
	qsort(idx, n, sizeof(*idx), by_index_desc);
	for (size_t k = 0; k < n && !d->sh->interrupted; k++) {
		struct retry *t = xmalloc(sizeof(*t));
		int rc;

		t->d = d;
		t->i = idx[k];
		t->r = bulk_reserve(&d->b, d->p.v[idx[k]]);
		rc = zoo_adelete(ZH(d->sh), d->p.v[idx[k]], -1, delete_done, t);
		if (rc != ZOK)
			delete_done(rc, t);
	}
	bulk_drain(&d->b);
}

/*
 * The failed batches, node by node, deepest first: the first failure is the
 * cause. A batch the connection took along is sent again node by node once
 * the client reaches a member (fail-over), within the session timeout each
 * time; what is still unanswered after that counts as failed.
 */
static void
retry_failed(struct delall *d)
{
	size_t n = 0, *idx = NULL;
	int rounds = 0;

	for (size_t k = 0; k < d->nfailed; k++)
		n += d->failed[k][1] - d->failed[k][0] + 1;
	if (n == 0)
		return;
	idx = xmalloc(n * sizeof(*idx));
	n = 0;
	for (size_t k = 0; k < d->nfailed; k++)
		for (size_t i = d->failed[k][0]; i <= d->failed[k][1]; i++)
			idx[n++] = i;
	for (;;) {
		if (!session_connected(d->sh->sess) &&
		    session_wait(d->sh->sess, d->sh->sess->timeout_ms) != ZOK)
			break;
		d->nlost = 0;
		delete_each(d, idx, n);
		free(idx);
		idx = d->lost;
		n = d->nlost;
		d->lost = NULL;
		d->nlost = d->caplost = 0;
		if (n == 0 || d->sh->interrupted || ++rounds == 5)
			break;
	}
	for (size_t k = 0; k < n; k++)
		bulk_count(&d->b, ZCONNECTIONLOSS, d->p.v[idx[k]], 1);
	free(idx);
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

/* The interactive shell asks before a large deleteall or deleteall /; batch mode never does. */
static int
deleteall_confirmed(struct shell *sh, struct args *a, const char *path, size_t count)
{
	char q[ZKSH_PATH_MAX + 64];

	if (!sh->interactive || args_has(a, "yes") || args_has(a, "y"))
		return 1;
	if (count <= DELETEALL_ASK && strcmp(path, "/") != 0)
		return 1;
	snprintf(q, sizeof(q), "deleteall %s: delete %zu node%s?", path, count,
		 count == 1 ? "" : "s");
	return confirm(sh, q);
}

static void
delall_free(struct delall *d)
{
	for (size_t i = 0; i < d->p.n; i++)
		free(d->p.v[i]);
	free(d->p.v);
	free(d->failed);
	free(d->lost);
	bulk_destroy(&d->b);
	pthread_mutex_destroy(&d->mu);
}

static int
cmd_deleteall(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct walk_opts o;
	struct walk_result res;
	struct delall d;
	size_t batch;
	int rc;

	if ((rc = args_path(a, 0, path)) != ZX_OK)
		return rc;
	if ((rc = batch_size(sh, a, &batch)) != ZX_OK)
		return rc;
	memset(&d, 0, sizeof(d));
	d.sh = sh;
	d.p.skip_system = strcmp(path, "/") == 0;
	pthread_mutex_init(&d.mu, NULL);
	memset(&o, 0, sizeof(o));
	o.max_depth = -1;
	progress_start(&d.p.prog, sh, "deleteall (reading)", 0);
	rc = walk_tree(sh, path, &o, collect_visit, &d.p, &res);
	progress_end(&d.p.prog);
	bulk_init(&d.b, sh->window / (int)batch > 2 ? sh->window / (int)batch : 2);
	d.b.nonode_ok = 1;
	if (rc != ZOK) {
		delall_free(&d);
		return walk_fail(sh, rc, path, &res);
	}
	if (!deleteall_confirmed(sh, a, path, d.p.n)) {
		delall_free(&d);
		return sh_error(sh, ZX_ZK, "deleteall %s: not confirmed, nothing deleted", path);
	}
	progress_start(&d.p.prog, sh, "deleteall", 0);
	progress_total(&d.p.prog, (long long)d.p.n);
	delete_batches(&d, batch);
	bulk_drain(&d.b);
	retry_failed(&d);
	progress_set(&d.p.prog, d.b.ok);
	progress_end(&d.p.prog);
	if (sh->interrupted)
		res.interrupted = 1;
	render_number(sh, "deleted", d.b.ok, NULL);
	rc = bulk_report(sh, &d.b, "deleteall", &res);
	delall_free(&d);
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
	     "at most batchsize nodes (default 1000) and 256 KiB; deleteall / keeps "
	     "/zookeeper. The interactive shell asks first when more than 100 nodes would "
	     "go, or for /; -y/--yes does not ask, and batch mode never does (as zkCli)",
     .attrs = CMD_ZK | CMD_WRITE,
     .parse = PARSE_CLUSTER,
     .exec = cmd_deleteall,
     .check = check_deleteall},
    {0},
};
