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
#include <limits.h>
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
	(void)sh;
	*ms = args_int(a, flag, *ms); /* converted by the dispatcher (OPT_DURATION) */
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

/* "a b data": the words, then the data up to its first NUL byte (as %.*s). */
static char *
row_text(const char *a, const char *b, const char *data, int len)
{
	struct buf t;

	buf_init(&t);
	buf_adds(&t, a);
	buf_addc(&t, ' ');
	if (b != NULL) {
		buf_adds(&t, b);
		buf_addc(&t, ' ');
	}
	if (data != NULL && len > 0)
		buf_add(&t, data, strnlen(data, (size_t)len));
	return buf_steal(&t);
}

static int
lock_list(struct shell *sh, const char *dir)
{
	struct rcp_node *nodes;
	struct rcp r;
	int n, held, rc;

	if ((rc = connect_now(sh, &r)) != ZX_OK)
		return rc;
	if ((rc = rcp_lock_nodes(&r, dir, &nodes, &n)) != RCP_OK)
		return recipe_fail(sh, "lock", &r, rc);
	held = rcp_lock_holders(nodes, n);
	render_json(sh, "nodes", cJSON_CreateArray(), NULL);
	for (int i = 0; i < n; i++) {
		char path[ZKSH_PATH_MAX + 80], *data = NULL, *text;
		const char *role = i < held ? "holder" : "waiter";
		cJSON *o;
		struct Stat st;
		int len;

		snprintf(path, sizeof(path), "%s/%s", dir, nodes[i].name);
		if (zk_get_data(sh, path, 0, &data, &len, &st) != ZOK)
			continue; /* gone since the listing */
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "role", role);
		cJSON_AddStringToObject(o, "node", nodes[i].name);
		cJSON_AddStringToObject(o, "mode", nodes[i].kind == KIND_READ ? "read" : "write");
		cJSON_AddNumberToObject(o, "token", (double)st.czxid);
		add_data(o, data, len);
		text = row_text(role, nodes[i].name, data, len);
		render_item(sh, "nodes", o, text);
		free(text);
		free(data);
	}
	free(nodes);
	return ZX_OK;
}

static int
lock_conflict_code(struct shell *sh, const struct args *a, int *code)
{
	(void)sh;
	*code = (int)args_int(a, "E", ZX_ZK); /* 0..255, by the dispatcher */
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
	if ((rc = args_path(a, 0, l.dir)) != ZX_OK)
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

		cJSON *rec = cJSON_CreateObject();
		char *text = row_text(ids, NULL, data, len);

		cJSON_AddStringToObject(rec, "id", ids);
		cJSON_AddStringToObject(rec, "node", path);
		cJSON_AddItemToObject(rec, "data", o ? cJSON_Duplicate(o, 1) : cJSON_CreateNull());
		render_json(sh, NULL, rec, text);
		free(text);
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
	if ((rc = args_path(a, 0, l.dir)) != ZX_OK)
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

	if ((rc = args_path(a, 0, path)) != ZX_OK)
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
	struct rcp r;
	int rc;

	if ((rc = args_path(a, 0, path)) != ZX_OK)
		return rc;
	if ((rc = connect_now(sh, &r)) != ZX_OK)
		return rc;
	if ((rc = zoo_get_children(ZH(sh), path, 0, &v)) != ZOK)
		return zk_fail(sh, rc, path);
	sort_strings(v.data, v.count);
	render_json(sh, "members", cJSON_CreateArray(), NULL);
	for (int i = 0; i < v.count; i++) {
		struct Stat st;
		char *data = NULL, *text, owner[32];
		cJSON *o;
		int len;

		path_join(path, v.data[i], child, sizeof(child));
		if (zk_get_data(sh, child, 0, &data, &len, &st) != ZOK)
			continue;
		if (st.ephemeralOwner == 0) { /* not a registration */
			free(data);
			continue;
		}
		o = cJSON_CreateObject();
		snprintf(owner, sizeof(owner), "0x%llx", (unsigned long long)st.ephemeralOwner);
		cJSON_AddStringToObject(o, "name", v.data[i]);
		add_data(o, data, len);
		cJSON_AddStringToObject(o, "owner", owner);
		text = row_text(v.data[i], owner, data, len);
		render_item(sh, "members", o, text);
		free(text);
		free(data);
	}
	deallocate_String_vector(&v);
	return ZX_OK;
}

/* ---- the table ------------------------------------------------------------- */

static const char *const on_loss_choices[] = {"kill", "warn", NULL};

#define ON_LOSS_OPT                                                                                \
	{                                                                                          \
		.lng = "on-loss", .type = OPT_ENUM, .value = "kill|warn",                          \
		.choices = on_loss_choices,                                                        \
		.help = "when the session is lost: kill CMD (default) or only warn"                \
	}
#define GRACE_OPT                                                                                  \
	OPT_VAL(0, "grace", OPT_DURATION, "DURATION",                                              \
		"how long CMD has after SIGTERM before SIGKILL (default 5s)")
#define RUN_POS                                                                                    \
	POS_ARG("CMD", CPL_NONE, POS_OPTIONAL | POS_DASHDASH),                                     \
	    POS_ARG("ARGS", CPL_NONE, POS_OPTIONAL | POS_REPEATED | POS_DASHDASH)

const struct cmd_entry cmd_recipes_entries[] = {
    {.name = "lock",
     .opts = OPTS(OPT_VAL(0, "wait", OPT_DURATION, "DURATION", "give up after this long"),
		  OPT_FLAG(0, "try", "exit at once when the lock is held"), ON_LOSS_OPT, GRACE_OPT,
		  {.shrt = 'E',
		   .lng = "conflict-exit-code",
		   .type = OPT_INT,
		   .value = "N",
		   .min = 0,
		   .max = 255,
		   .noun = "an exit code",
		   .help = "exit with N, not 1, when the lock is held"},
		  OPT_FLAG(0, "shared", "a read lock: shared with other readers"),
		  OPT_FLAG(0, "list", "list the holders and waiters under PATH instead")),
     .pos = POSITIONALS(POS_ARG("PATH", CPL_PATH, 0), RUN_POS),
     .help = "run CMD while holding an exclusive (--shared: read) lock under PATH; "
	     "exits with CMD's status, 1 (-E N) when the lock is held, 6 when it was lost",
     .attrs = CMD_WRITE,
     .exec = cmd_lock},
    {.name = "elect",
     .opts =
	 OPTS(OPT_VAL(0, "id", OPT_STRING, "ID", "this candidate's id (default: host:pid)"),
	      OPT_FLAG(0, "who", "print the leader's id and data instead"), ON_LOSS_OPT, GRACE_OPT),
     .pos = POSITIONALS(POS_ARG("PATH", CPL_PATH, 0), RUN_POS),
     .help = "leader election: wait until leader under PATH, run CMD while leader "
	     "(--who: print the leader's id and data)",
     .attrs = CMD_WRITE,
     .exec = cmd_elect},
    {.name = "register",
     .opts = OPTS(OPT_FLAG(0, "seq", "a sequential node (PATH gets a counter)"),
		  OPT_FLAG('b', NULL, "DATA is base64")),
     .pos = POSITIONALS({.name = "PATH", .complete = CPL_PATH, .seq = "seq"},
			POS_ARG("DATA", CPL_NONE, 0), RUN_POS),
     .help = "keep an ephemeral node holding DATA while CMD runs (re-created after a "
	     "session expiry)",
     .attrs = CMD_WRITE,
     .exec = cmd_register},
    {.name = "members",
     .pos = POSITIONALS(POS_ARG("PATH", CPL_PATH, 0)),
     .help = "list the instances registered under PATH: name, owner session, data",
     .exec = cmd_members},
    {.name = "incr",
     .opts = OPTS({.lng = "init",
		   .type = OPT_INT,
		   .value = "N",
		   .help = "the value of a missing node (default 0)",
		   .bad = "%s: --init must be an integer, not '%s'"}),
     .pos = POSITIONALS(POS_ARG("PATH", CPL_PATH, 0),
			{.name = "DELTA",
			 .flags = POS_OPTIONAL,
			 .type = OPT_INT,
			 .bad = "%s: DELTA must be an integer, not '%s'"}),
     .help = "add DELTA (default 1) to the counter in PATH with compare-and-set, print the "
	     "new value (a missing node counts as --init, default 0)",
     .attrs = CMD_WRITE,
     .exec = cmd_incr},
    {.name = "wait",
     .opts = OPTS(
	 OPT_ONE_OF(1, 0, "exists", "until PATH exists (the default)"),
	 OPT_ONE_OF(1, 0, "gone", "until PATH is gone"),
	 {.lng = "value",
	  .type = OPT_STRING,
	  .value = "TEXT",
	  .help = "until PATH holds TEXT",
	  .group = 1},
	 OPT_ONE_OF(1, 0, "changed", "until PATH's data changes; prints the new mzxid"),
	 {.lng = "children",
	  .type = OPT_INT,
	  .value = "N",
	  .min = 0,
	  .max = 1000000000,
	  .help = "until PATH has N children",
	  .bad = "%s: --children wants a count, not '%s'",
	  .group = 1},
	 {.lng = "since",
	  .type = OPT_INT,
	  .value = "MZXID",
	  .min = 0,
	  .max = LLONG_MAX,
	  .help = "with --changed: a change after this mzxid",
	  .bad = "%s: --since wants an mzxid (0x... or decimal), not '%s'"},
	 OPT_VAL(0, "timeout", OPT_DURATION, "DURATION", "give up (exit 124) after this long")),
     .pos = POSITIONALS(POS_ARG("PATH", CPL_PATH, 0)),
     .help = "block until PATH exists (default), is gone, has the value, changed (prints the "
	     "new mzxid) or has N children; exit 124 on timeout",
     .exec = cmd_wait},
    {.name = "queue",
     .subs = SUBCOMMANDS(
	 {.name = "push",
	  .opts = OPTS(OPT_FLAG('b', NULL, "DATA is base64")),
	  .pos = POSITIONALS(POS_ARG("PATH", CPL_PATH, 0), POS_ARG("DATA", CPL_NONE, 0)),
	  .help = "add an item at the end of the queue",
	  .attrs = CMD_WRITE},
	 {.name = "pop",
	  .opts = OPTS(OPT_VAL(0, "wait", OPT_DURATION, "DURATION",
			       "wait this long for an item (exit 124 after it)"),
		       OPT_FLAG('b', NULL, "print the item as base64")),
	  .pos = POSITIONALS(POS_ARG("PATH", CPL_PATH, 0)),
	  .help = "take the oldest item off the queue and print it",
	  .attrs = CMD_WRITE}),
     .help = "a FIFO queue on sequential nodes: push an item, pop the oldest (each item "
	     "goes to exactly one consumer)",
     .attrs = CMD_WRITE,
     .exec = cmd_queue},
    {.name = "publish",
     .opts = OPTS(OPT_VAL(0, "ready", OPT_STRING, "NAME", "the ready node's name (default ready)")),
     .pos = POSITIONALS(POS_ARG("PATH", CPL_PATH, 0), POS_ARG("FILE|DIR|-", CPL_FILE, 0)),
     .help = "replace the configuration under PATH between a delete and a create of its ready "
	     "node (FILE or -: JSON object or key=value lines; DIR: a node per file)",
     .attrs = CMD_WRITE,
     .exec = cmd_publish},
    {.name = "fetch",
     .opts = OPTS(
	 OPT_VAL(0, "ready", OPT_STRING, "NAME", "the ready node's name (default ready)"),
	 OPT_VAL(0, "timeout", OPT_DURATION, "DURATION", "give up (exit 124) after this long")),
     .pos = POSITIONALS(POS_ARG("PATH", CPL_PATH, 0)),
     .help = "read the configuration under PATH as one published version (waits for the ready "
	     "node; `wait` then `get` cannot promise that); exit 124 on timeout",
     .exec = cmd_fetch},
    {.name = NULL},
};
