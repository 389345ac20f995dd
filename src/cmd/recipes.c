/*
 * The recipe commands' table, the helpers they share, and the commands
 * that run a child while holding something: lock, elect, register (and
 * members). incr, wait, queue and publish/fetch are in recipes_data.c. The
 * recipe logic lives in src/recipes/ on the ZooKeeper layer; these files
 * parse arguments, install the signal handlers the recipes' stop flag
 * needs, and turn their statuses into messages and exit codes.
 *
 * Exit codes beyond the core's 0-5 (README.md lists all), as the Unix tools these resemble:
 * lock/elect/register exit with the child's status (128+N when a signal
 * ended it); 1 (or -E N) when the lock could not be had; ZX_LOST (6) when
 * it was lost while the child ran; wait and queue pop --wait exit 124 on
 * timeout; a signal that ends a wait gives 128+N.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cmd/common.h"
#include "cmd/recipes.h"
#include "command.h"
#include "conn.h"
#include "duration.h"
#include "zk/path.h"
#include "recipes/recipes.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zkerr.h"

/* ---- signals ----------------------------------------------------------- */

/* The handler can reach nothing else: the one global, named as such. */
static volatile sig_atomic_t recipe_signal;

static void
on_signal(int sig)
{
	recipe_signal = sig;
}

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

/* While a recipe runs: catch the stop signals, and listen to its watches. */
void
recipe_begin(struct shell *sh, struct sigsave *s)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	recipe_signal = 0;
	for (int i = 0; i < 3; i++)
		sigaction(stop_signals[i], &sa, &s->old[i]);
	rcp_listen(sh->sess);
}

void
recipe_end(struct sigsave *s)
{
	rcp_listen(NULL);
	for (int i = 0; i < 3; i++)
		sigaction(stop_signals[i], &s->old[i], NULL);
}

/* ---- shared helpers ------------------------------------------------------ */

int
arg_duration(struct shell *sh, const struct args *a, const char *flag, long long *ms)
{
	const char *v = args_get(a, flag);
	char err[256];

	if (v == NULL)
		return ZX_OK;
	if (parse_duration(v, ms, err, sizeof(err)) != 0)
		return sh_error(sh, ZX_USAGE, "%s: --%s: %s", a->entry->name, flag, err);
	return ZX_OK;
}

/* now + ms, or -1 (no deadline) when ms < 0. */
long long
deadline_in(long long ms)
{
	return ms < 0 ? -1 : now_ms() + ms;
}

/* The recipe's status as a message and an exit code. */
int
recipe_fail(struct shell *sh, const char *cmd, struct rcp *r, int status)
{
	switch (status) {
	case RCP_OK:
		return ZX_OK;
	case RCP_ZK:
		return zk_fail(sh, r->zrc, r->zpath);
	case RCP_TIMEOUT:
		return sh_error(sh, ZX_TIMEOUT, "%s: timed out%s%s", cmd, r->err[0] ? ": " : "",
				r->err);
	case RCP_STOPPED:
		return sh_error(sh, 128 + (int)recipe_signal, "%s: stopped by signal %d", cmd,
				(int)recipe_signal);
	case RCP_EXPIRED:
		return sh_error(sh, ZX_CONN, "%s: %s", cmd, r->err);
	case RCP_NOTDIR:
		return sh_error(sh, ZX_USAGE, "%s: %s", cmd, r->err);
	case RCP_LOCAL:
		return sh_error(sh, 5, "%s: %s", cmd, r->err);
	default:
		return sh_error(sh, ZX_ZK, "%s: %s", cmd, r->err);
	}
}

/* Connect once the arguments are known to be good. */
int
connect_now(struct shell *sh, struct rcp *r)
{
	int rc = conn_ensure(sh);

	rcp_init(r, sh->sess, &recipe_signal);
	return rc;
}

/* ---- running a child under a lock --------------------------------------- */

static void
warn_stderr(void *ctx, const char *msg)
{
	struct shell *sh = ctx;

	sh_error(sh, 0, "%s", msg);
}

/* 1 when cmd can be run: a path to an executable, or found in $PATH. */
static int
runnable(const char *cmd)
{
	const char *p = getenv("PATH");
	char buf[ZKSH_PATH_MAX];

	if (strchr(cmd, '/') != NULL)
		return access(cmd, X_OK) == 0;
	for (p = p ? p : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");

		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)n, p, n ? "/" : "", cmd);
		if (access(buf, X_OK) == 0)
			return 1;
		p += n + (p[n] == ':');
	}
	return 0;
}

/*
 * Where the command starts in a->argv: just after the "--" that must follow
 * want positionals. -1 (reported) on bad input, before anything connects.
 */
static int
command_after_dashdash(struct shell *sh, const struct args *a, int want, int *code)
{
	const char *what = want == 1 ? "PATH" : "PATH DATA";
	const char *cmd = a->entry->name;

	*code = ZX_USAGE;
	if (a->dashdash < 0) {
		sh_error(sh, ZX_USAGE, "%s: put -- before the command: %s %s -- CMD [ARGS...]", cmd,
			 cmd, what);
		return -1;
	}
	if (a->dashdash != want) {
		sh_error(sh, ZX_USAGE, "%s: give %s before --, then the command: %s %s -- CMD", cmd,
			 what, cmd, what);
		return -1;
	}
	if (a->argc == want) {
		sh_error(sh, ZX_USAGE, "%s: no command after --", cmd);
		return -1;
	}
	if (!runnable(a->argv[want])) {
		*code = 127;
		sh_error(sh, 127, "%s: %s: command not found", cmd, a->argv[want]);
		return -1;
	}
	return want;
}

struct hold_opts {
	enum rcp_onloss onloss;
	long long grace;
};

static int
arg_hold_opts(struct shell *sh, const struct args *a, struct hold_opts *o)
{
	const char *v = args_get(a, "on-loss");
	int rc;

	o->onloss = LOSS_KILL;
	o->grace = 5000;
	if (v != NULL && strcmp(v, "warn") == 0)
		o->onloss = LOSS_WARN;
	else if (v != NULL && strcmp(v, "kill") != 0)
		return sh_error(sh, ZX_USAGE, "%s: --on-loss is kill or warn, not '%s'",
				a->entry->name, v);
	if ((rc = arg_duration(sh, a, "grace", &o->grace)) != ZX_OK)
		return rc;
	return ZX_OK;
}

/* The exit code after a hold: the child's, or ZX_LOST. */
static int
hold_exit(struct shell *sh, const char *cmd, struct rcp *r, struct rcp_hold *h, int rc)
{
	if (rc == RCP_LOCAL) {
		sh_error(sh, WEXITSTATUS(h->status), "%s: %s", cmd, r->err);
		return WEXITSTATUS(h->status);
	}
	if (h->lost)
		return sh_error(sh, ZX_LOST,
				"%s: the command did not finish under the lock (exit %d)", cmd,
				ZX_LOST);
	if (WIFSIGNALED(h->status))
		return 128 + WTERMSIG(h->status);
	return WEXITSTATUS(h->status);
}

static int
run_locked(struct shell *sh, struct rcp *r, struct rcp_lock *l, char **argv,
	   const struct hold_opts *o)
{
	char penv[4300], tenv[64];
	char *env[] = {penv, tenv, NULL};
	struct rcp_hold h;
	int rc;

	snprintf(penv, sizeof(penv), "ZKSH_LOCK_PATH=%s", l->node);
	snprintf(tenv, sizeof(tenv), "ZKSH_LOCK_TOKEN=%lld", l->token);
	memset(&h, 0, sizeof(h));
	h.argv = argv;
	h.env = env;
	h.onloss = o->onloss;
	h.grace = o->grace;
	h.node = l->node;
	h.warn = warn_stderr;
	h.warn_ctx = sh;
	rc = rcp_hold_run(r, &h);
	rcp_lock_release(r, l);
	return hold_exit(sh, l->kind == KIND_ELECT ? "elect" : "lock", r, &h, rc);
}

/* ---- lock ---------------------------------------------------------------- */

/* Node data (not NUL-terminated) as a JSON string; null data as "". */
static void
add_data(cJSON *o, const char *data, int len)
{
	char *s = xstrndup(data ? data : "", len > 0 ? (size_t)len : 0);

	cJSON_AddStringToObject(o, "data", s);
	free(s);
}

static int
lock_list(struct shell *sh, const char *dir)
{
	struct rcp_node *nodes;
	struct rcp r;
	cJSON *arr = NULL;
	int n, held, rc;

	if ((rc = connect_now(sh, &r)) != ZX_OK)
		return rc;
	if ((rc = rcp_lock_nodes(&r, dir, &nodes, &n)) != RCP_OK)
		return recipe_fail(sh, "lock", &r, rc);
	held = rcp_lock_holders(nodes, n);
	if (sh->result != NULL)
		arr = cJSON_AddArrayToObject(sh->result, "nodes");
	for (int i = 0; i < n; i++) {
		char path[ZKSH_PATH_MAX + 80], *data = NULL;
		const char *role = i < held ? "holder" : "waiter";
		struct Stat st;
		int len;

		snprintf(path, sizeof(path), "%s/%s", dir, nodes[i].name);
		if (zk_get_data(sh, path, 0, &data, &len, &st) != ZOK)
			continue; /* gone since the listing */
		if (arr != NULL) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "role", role);
			cJSON_AddStringToObject(o, "node", nodes[i].name);
			cJSON_AddStringToObject(o, "mode",
						nodes[i].kind == KIND_READ ? "read" : "write");
			cJSON_AddNumberToObject(o, "token", (double)st.czxid);
			add_data(o, data, len);
			cJSON_AddItemToArray(arr, o);
		} else {
			out_lock();
			printf("%s %s %.*s\n", role, nodes[i].name, len > 0 ? len : 0, data);
			out_unlock();
		}
		free(data);
	}
	free(nodes);
	return ZX_OK;
}

static int
lock_conflict_code(struct shell *sh, const struct args *a, int *code)
{
	const char *v = args_get(a, "E");
	long long n;

	if (v == NULL)
		v = args_get(a, "conflict-exit-code");
	*code = ZX_ZK;
	if (v == NULL)
		return ZX_OK;
	if (parse_long(v, &n) != 0 || n < 0 || n > 255)
		return sh_error(sh, ZX_USAGE, "lock: -E wants an exit code from 0 to 255, not '%s'",
				v);
	*code = (int)n;
	return ZX_OK;
}

/* Take the lock (or leadership) and run argv under it. */
static int
lock_and_run(struct shell *sh, struct rcp_lock *l, int try_only, long long wait_ms, int conflict,
	     char **argv, const struct hold_opts *o)
{
	const char *cmd = l->kind == KIND_ELECT ? "elect" : "lock";
	char holder[700];
	struct sigsave ss;
	struct rcp r;
	int rc;

	if ((rc = connect_now(sh, &r)) != ZX_OK)
		return rc;
	recipe_begin(sh, &ss);
	rc = rcp_lock_acquire(&r, l, try_only, deadline_in(wait_ms), holder, sizeof(holder));
	if (rc == RCP_OK)
		rc = run_locked(sh, &r, l, argv, o);
	else if (rc == RCP_BUSY || rc == RCP_TIMEOUT)
		rc = sh_error(sh, conflict, "%s: %s is held%s%s%s", cmd, l->dir,
			      rc == RCP_TIMEOUT ? " (gave up waiting)" : "",
			      holder[0] ? " by " : "", holder);
	else
		rc = recipe_fail(sh, cmd, &r, rc);
	recipe_end(&ss);
	return rc;
}

static int
cmd_lock(struct shell *sh, struct args *a)
{
	struct rcp_lock l;
	struct hold_opts o;
	long long wait_ms = -1;
	int conflict, at, rc;

	memset(&l, 0, sizeof(l));
	if ((rc = arg_path(sh, a->argv[0], 0, l.dir)) != ZX_OK)
		return rc;
	if (args_has(a, "list")) {
		if (a->argc != 1 || a->dashdash >= 0)
			return sh_error(sh, ZX_USAGE, "lock: --list takes only the lock path");
		return lock_list(sh, l.dir);
	}
	if (args_has(a, "wait") && args_has(a, "try"))
		return sh_error(sh, ZX_USAGE, "lock: give --wait or --try, not both");
	if ((rc = arg_duration(sh, a, "wait", &wait_ms)) != ZX_OK ||
	    (rc = lock_conflict_code(sh, a, &conflict)) != ZX_OK ||
	    (rc = arg_hold_opts(sh, a, &o)) != ZX_OK)
		return rc;
	if ((at = command_after_dashdash(sh, a, 1, &rc)) < 0)
		return rc;
	l.kind = args_has(a, "shared") ? KIND_READ : KIND_LOCK;
	return lock_and_run(sh, &l, args_has(a, "try"), wait_ms, conflict, a->argv + at, &o);
}

/* ---- elect --------------------------------------------------------------- */

static int
elect_who(struct shell *sh, const char *dir)
{
	struct rcp_node *nodes;
	char path[ZKSH_PATH_MAX + 80], *data = NULL;
	struct Stat st;
	struct rcp r;
	int n, len, rc;

	if ((rc = connect_now(sh, &r)) != ZX_OK)
		return rc;
	for (;;) {
		if ((rc = rcp_lock_nodes(&r, dir, &nodes, &n)) != RCP_OK)
			return recipe_fail(sh, "elect", &r, rc);
		if (n == 0) {
			free(nodes);
			return sh_error(sh, ZX_ZK, "elect: %s has no leader", dir);
		}
		snprintf(path, sizeof(path), "%s/%s", dir, nodes[0].name);
		free(nodes);
		rc = zk_get_data(sh, path, 0, &data, &len, &st);
		if (rc == ZOK)
			break;
		if (rc != ZNONODE) /* NoNode: the leader just left, look again */
			return zk_fail(sh, rc, path);
	}
	{
		cJSON *o = len > 0 ? cJSON_ParseWithLength(data, (size_t)len) : NULL;
		cJSON *id = o ? cJSON_GetObjectItem(o, "id") : NULL;
		const char *ids = cJSON_IsString(id) ? id->valuestring : "";

		if (sh->result != NULL) {
			cJSON_AddStringToObject(sh->result, "id", ids);
			cJSON_AddStringToObject(sh->result, "node", path);
			cJSON_AddItemToObject(sh->result, "data",
					      o ? cJSON_Duplicate(o, 1) : cJSON_CreateNull());
		} else {
			out_lock();
			printf("%s %.*s\n", ids, len > 0 ? len : 0, data);
			out_unlock();
		}
		cJSON_Delete(o);
	}
	free(data);
	return ZX_OK;
}

static int
cmd_elect(struct shell *sh, struct args *a)
{
	struct rcp_lock l;
	struct hold_opts o;
	char idbuf[300];
	int at, rc;

	memset(&l, 0, sizeof(l));
	if ((rc = arg_path(sh, a->argv[0], 0, l.dir)) != ZX_OK)
		return rc;
	if (args_has(a, "who")) {
		if (a->argc != 1 || a->dashdash >= 0)
			return sh_error(sh, ZX_USAGE, "elect: --who takes only the election path");
		return elect_who(sh, l.dir);
	}
	if ((rc = arg_hold_opts(sh, a, &o)) != ZX_OK)
		return rc;
	if ((at = command_after_dashdash(sh, a, 1, &rc)) < 0)
		return rc;
	l.kind = KIND_ELECT;
	l.id = args_get(a, "id");
	if (l.id == NULL) {
		char host[256] = "unknown";
		gethostname(host, sizeof(host) - 1);
		snprintf(idbuf, sizeof(idbuf), "%s:%d", host, (int)getpid());
		l.id = idbuf;
	}
	return lock_and_run(sh, &l, 0, -1, ZX_ZK, a->argv + at, &o);
}

/* ---- register / members -------------------------------------------------- */

static int
cmd_register(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX], node[ZKSH_PATH_MAX + 16], parent[ZKSH_PATH_MAX];
	struct rcp_hold h;
	struct sigsave ss;
	struct rcp r;
	char *data;
	int len, at, rc;
	int seq = args_has(a, "seq");

	if ((rc = arg_path(sh, a->argv[0], seq, path)) != ZX_OK)
		return rc;
	if ((at = command_after_dashdash(sh, a, 2, &rc)) < 0)
		return rc;
	if ((rc = arg_data(sh, a, a->argv[1], create_overhead(sh, path, &ZOO_OPEN_ACL_UNSAFE, 0),
			   &data, &len)) != ZX_OK)
		return rc;
	if ((rc = connect_now(sh, &r)) != ZX_OK) {
		free(data);
		return rc;
	}
	path_parent(path, parent, sizeof(parent));
	if (strcmp(parent, "/") != 0 && (rc = rcp_mkdirs(&r, parent)) != RCP_OK) {
		free(data);
		return recipe_fail(sh, "register", &r, rc);
	}
	rc = zoo_create(ZH(sh), path, data, len, &ZOO_OPEN_ACL_UNSAFE,
			ZOO_EPHEMERAL | (seq ? ZOO_SEQUENCE : 0), node, (int)sizeof(node));
	if (rc != ZOK) {
		free(data);
		return zk_fail(sh, rc, path);
	}
	memset(&h, 0, sizeof(h));
	h.argv = a->argv + at;
	h.onloss = LOSS_WARN;
	h.node = node;
	h.renew = 1;
	h.create_path = path;
	h.data = data;
	h.datalen = len;
	h.seq = seq;
	h.warn = warn_stderr;
	h.warn_ctx = sh;
	recipe_begin(sh, &ss);
	rc = rcp_hold_run(&r, &h);
	recipe_end(&ss);
	zoo_delete(ZH(sh), h.renewed ? h.renewed : node, -1);
	free(h.renewed);
	free(data);
	if (rc == RCP_LOCAL) {
		sh_error(sh, WEXITSTATUS(h.status), "register: %s", r.err);
		return WEXITSTATUS(h.status);
	}
	if (WIFSIGNALED(h.status))
		return 128 + WTERMSIG(h.status);
	return WEXITSTATUS(h.status);
}

static int
cmd_members(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX], child[ZKSH_PATH_MAX + 300];
	struct String_vector v = {0, NULL};
	cJSON *arr = NULL;
	struct rcp r;
	int rc;

	if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc;
	if ((rc = connect_now(sh, &r)) != ZX_OK)
		return rc;
	if ((rc = zoo_get_children(ZH(sh), path, 0, &v)) != ZOK)
		return zk_fail(sh, rc, path);
	sort_strings(v.data, v.count);
	if (sh->result != NULL)
		arr = cJSON_AddArrayToObject(sh->result, "members");
	for (int i = 0; i < v.count; i++) {
		struct Stat st;
		char *data = NULL;
		int len;

		path_join(path, v.data[i], child, sizeof(child));
		if (zk_get_data(sh, child, 0, &data, &len, &st) != ZOK)
			continue;
		if (st.ephemeralOwner == 0) { /* not a registration */
			free(data);
			continue;
		}
		if (arr != NULL) {
			cJSON *o = cJSON_CreateObject();
			char owner[32];
			snprintf(owner, sizeof(owner), "0x%llx",
				 (unsigned long long)st.ephemeralOwner);
			cJSON_AddStringToObject(o, "name", v.data[i]);
			add_data(o, data, len);
			cJSON_AddStringToObject(o, "owner", owner);
			cJSON_AddItemToArray(arr, o);
		} else {
			out_lock();
			printf("%s 0x%llx %.*s\n", v.data[i], (unsigned long long)st.ephemeralOwner,
			       len > 0 ? len : 0, data);
			out_unlock();
		}
		free(data);
	}
	deallocate_String_vector(&v);
	return ZX_OK;
}

/* ---- the table ------------------------------------------------------------- */

const struct cmd_entry cmd_recipes_entries[] = {
    {.name = "lock",
     .flags = "wait: try on-loss: grace: E: conflict-exit-code: shared list",
     .min_args = 1,
     .max_args = -1,
     .usage = "[--wait DURATION | --try] [--on-loss kill|warn] [--grace DURATION] "
	      "[-E|--conflict-exit-code N] [--shared] PATH -- CMD [ARGS...] | --list PATH",
     .help = "run CMD while holding an exclusive (--shared: read) lock under PATH; "
	     "exits with CMD's status, 1 (-E N) when the lock is held, 6 when it was lost",
     .complete = CPL_PATH,
     .attrs = CMD_WRITE,
     .exec = cmd_lock},
    {.name = "elect",
     .flags = "id: who on-loss: grace:",
     .min_args = 1,
     .max_args = -1,
     .usage = "[--id ID] [--on-loss kill|warn] [--grace DURATION] PATH -- CMD [ARGS...] "
	      "| --who PATH",
     .help = "leader election: wait until leader under PATH, run CMD while leader "
	     "(--who: print the leader's id and data)",
     .complete = CPL_PATH,
     .attrs = CMD_WRITE,
     .exec = cmd_elect},
    {.name = "register",
     .flags = "seq b",
     .min_args = 2,
     .max_args = -1,
     .usage = "[--seq] [-b] PATH DATA -- CMD [ARGS...]",
     .help = "keep an ephemeral node holding DATA while CMD runs (re-created after a "
	     "session expiry)",
     .complete = CPL_PATH,
     .attrs = CMD_WRITE,
     .exec = cmd_register},
    {.name = "members",
     .flags = "",
     .min_args = 1,
     .max_args = 1,
     .usage = "PATH",
     .help = "list the instances registered under PATH: name, owner session, data",
     .complete = CPL_PATH,
     .attrs = 0,
     .exec = cmd_members},
    {.name = "incr",
     .flags = "init:",
     .min_args = 1,
     .max_args = 2,
     .usage = "PATH [DELTA] [--init N]",
     .help = "add DELTA (default 1) to the counter in PATH with compare-and-set, print the "
	     "new value (a missing node counts as --init, default 0)",
     .complete = CPL_PATH,
     .attrs = CMD_WRITE,
     .exec = cmd_incr},
    {.name = "wait",
     .flags = "exists gone value: changed since: children: timeout:",
     .min_args = 1,
     .max_args = 1,
     .usage = "[--exists | --gone | --value TEXT | --changed [--since MZXID] | --children N] "
	      "[--timeout DURATION] PATH",
     .help = "block until PATH exists (default), is gone, has the value, changed (prints the "
	     "new mzxid) or has N children; exit 124 on timeout",
     .complete = CPL_PATH,
     .attrs = 0,
     .exec = cmd_wait},
    {.name = "queue",
     .flags = "wait: b",
     .min_args = 2,
     .max_args = 3,
     .usage = "[-b] push PATH DATA | pop [--wait DURATION] PATH",
     .help = "a FIFO queue on sequential nodes: push an item, pop the oldest (each item "
	     "goes to exactly one consumer)",
     .complete = CPL_NONE,
     .attrs = CMD_WRITE,
     .exec = cmd_queue},
    {.name = "publish",
     .flags = "ready:",
     .min_args = 2,
     .max_args = 2,
     .usage = "[--ready NAME] PATH (FILE | DIR | -)",
     .help = "replace the configuration under PATH between a delete and a create of its ready "
	     "node (FILE or -: JSON object or key=value lines; DIR: a node per file)",
     .complete = CPL_PATH,
     .attrs = CMD_WRITE,
     .exec = cmd_publish},
    {.name = "fetch",
     .flags = "ready: timeout:",
     .min_args = 1,
     .max_args = 1,
     .usage = "[--ready NAME] [--timeout DURATION] PATH",
     .help = "read the configuration under PATH as one published version (waits for the ready "
	     "node; `wait` then `get` cannot promise that); exit 124 on timeout",
     .complete = CPL_PATH,
     .attrs = 0,
     .exec = cmd_fetch},
    {.name = NULL},
};
