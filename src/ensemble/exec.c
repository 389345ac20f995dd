/*
 * The executor of membership changes. For each step of the plan: start the
 * joiners (--start-cmd), check that the configuration is still the one the
 * plan was made from, pass the health gate, reconfig with -v, point the
 * session at the new membership, wait until every member holds the new
 * version, write through the new quorum, and only then stop removed
 * servers (--stop-cmd). Re-running after an interruption resumes: the
 * planner skips what is already in place.
 */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd/common.h"
#include "ensemble/probe.h"
#include "ensemble/run.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zkerr.h"

#define PROBE_MS 2000

struct run {
	struct shell *sh;
	const struct ens_opts *o;
	const struct plan_request *req;
	struct plan plan;
	struct plan_input in;
	struct dc_config cur;
	long long expected; /* the version the next step must start from */
	int step;	    /* 1-based, for messages */
	char tmpfiles[DC_MAX_SERVERS][64];
	int ntmp;
};

static void
pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* ---- events ------------------------------------------------------------ */

/* One progress event: a JSON line with --json, else a text line on stdout. */
static void event(struct run *r, const char *name, cJSON *extra, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
event(struct run *r, const char *name, cJSON *extra, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->o->events) {
		cJSON *o = extra ? extra : cJSON_CreateObject();
		char *s;
		cJSON_AddStringToObject(o, "event", name);
		if (r->step > 0)
			cJSON_AddNumberToObject(o, "step", r->step);
		cJSON_AddStringToObject(o, "message", msg);
		s = cJSON_PrintUnformatted(o);
		out_lock();
		printf("%s\n", s);
		fflush(stdout);
		out_unlock();
		free(s);
		cJSON_Delete(o);
		return;
	}
	cJSON_Delete(extra);
	out_lock();
	if (r->step > 0)
		printf("step %d: %s\n", r->step, msg);
	else
		printf("%s\n", msg);
	fflush(stdout);
	out_unlock();
}

/* A failure: an event with --json, and the error (with its exit code) either way. */
static int failed(struct run *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
failed(struct run *r, int code, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->o->events)
		event(r, "failed", NULL, "%s", msg);
	if (r->step > 0)
		return sh_error(r->sh, code, "ensemble: step %d: %s", r->step, msg);
	return sh_error(r->sh, code, "ensemble: %s", msg);
}

/* ---- reading ----------------------------------------------------------- */

/* Re-read after a lost connection: retry while the ensemble elects a leader. */
static int
reread_config(struct run *r, struct dc_config *out, long long deadline)
{
	struct session *s = r->sh->sess;
	int rc;

	do {
		rc = session_wait(s, 1000);
		if (rc == ZOK)
			rc = ens_read_config(r->sh, 1, out);
		if (rc != ZCONNECTIONLOSS && rc != ZOPERATIONTIMEOUT)
			return rc;
		pause_ms(100);
	} while (now_ms() < deadline && !r->sh->interrupted);
	return rc;
}

/* ---- hooks ------------------------------------------------------------- */

static void
subst(struct buf *b, const char *tpl, const struct dc_server *s, const char *config)
{
	char val[DC_HOST_MAX + 64];

	for (const char *p = tpl; *p;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		size_t n = close ? (size_t)(close - p - 1) : 0;

		val[0] = '\0';
#define KEY(k) (n == sizeof(k) - 1 && strncmp(p + 1, k, n) == 0)
		if (close == NULL)
			;
		else if (KEY("id"))
			snprintf(val, sizeof(val), "%ld", s->id);
		else if (KEY("host"))
			snprintf(val, sizeof(val), "%s", s->host);
		else if (KEY("quorum_port"))
			snprintf(val, sizeof(val), "%d", s->quorum_port);
		else if (KEY("election_port"))
			snprintf(val, sizeof(val), "%d", s->election_port);
		else if (KEY("client_port"))
			snprintf(val, sizeof(val), "%d", s->client_port);
		else if (KEY("role"))
			snprintf(val, sizeof(val), "%s",
				 s->role == DC_OBSERVER ? "observer" : "participant");
		else if (KEY("config"))
			snprintf(val, sizeof(val), "%s", config ? config : "");
		else
			close = NULL;
#undef KEY
		if (close == NULL) {
			buf_addc(b, *p++);
			continue;
		}
		buf_adds(b, val);
		p = close + 1;
	}
}

/* The joiner's dynamic config (members now, plus itself) in a temp file. */
static int
joiner_file(struct run *r, const struct dc_server *j, char *path, size_t pathlen)
{
	struct dc_config *c = xcalloc(1, sizeof(*c));
	char *text;
	FILE *f;
	int fd;

	*c = r->cur;
	if (dc_index(c, j->id) < 0 && c->n < DC_MAX_SERVERS)
		c->s[c->n++] = *j;
	text = dc_format_config(c, 0);
	free(c);
	snprintf(path, pathlen, "/tmp/zksh-joiner-%ld.XXXXXX", j->id);
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
		free(text);
		return -1;
	}
	free(text);
	if (r->ntmp < DC_MAX_SERVERS)
		snprintf(r->tmpfiles[r->ntmp++], sizeof(r->tmpfiles[0]), "%s", path);
	return 0;
}

static int
run_hook(struct run *r, const char *what, const char *tpl, const struct dc_server *s,
	 const char *config)
{
	struct buf cmd;
	int st;

	buf_init(&cmd);
	/* the hook's output goes to stderr: stdout carries the events */
	buf_adds(&cmd, "exec 1>&2; ");
	subst(&cmd, tpl, s, config);
	event(r, "hook", NULL, "%s server.%ld: %s", what, s->id, cmd.data + 11);
	fflush(NULL);
	st = system(cmd.data);
	buf_free(&cmd);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return failed(r, ZX_ZK, "%s for server.%ld failed (status %d)", what, s->id,
			      WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return ZX_OK;
}

/* --start-cmd for the step's joiners that are not up yet. */
static int
start_joiners(struct run *r, const struct plan_step *s)
{
	if (r->o->start_cmd == NULL || s->kind == STEP_REMOVE || s->kind == STEP_PROMOTE)
		return ZX_OK;
	for (int i = 0; i < s->n; i++) {
		char path[64];
		struct probe p;
		int rc;

		if (dc_find(&r->cur, s->servers[i].id) != NULL)
			continue;
		probe_server(&s->servers[i], PROBE_SRVR, PROBE_MS, NULL, &p);
		if (probe_serving(&p))
			continue; /* already running: a re-run, or started by hand */
		if (joiner_file(r, &s->servers[i], path, sizeof(path)) != 0)
			return failed(r, ZX_IO, "cannot write the joiner's config file");
		if ((rc = run_hook(r, "start-cmd", r->o->start_cmd, &s->servers[i], path)) != 0)
			return rc;
	}
	return ZX_OK;
}

/* ---- the gate ---------------------------------------------------------- */

static int
named_for_removal(const struct plan_request *req, long id)
{
	for (int i = 0; i < req->nremove; i++)
		if (req->remove[i] == id)
			return 1;
	return 0;
}

/* Who is not ready for step s; "" when all are. Fills r->in (leader, health). */
static void
gate_check(struct run *r, const struct plan_step *s, char *why, size_t whylen)
{
	struct plan_input *in = &r->in;

	why[0] = '\0';
	ens_gather(r->sh, &r->cur, r->req, 0, in);
	for (int i = 0; i < r->cur.n && !why[0]; i++) {
		const struct plan_health *h = plan_health_of(in, r->cur.s[i].id);

		if ((h != NULL && h->up) || (r->req->flags & PLAN_FORCE))
			continue;
		if (r->req->op == PLAN_REPLACE && named_for_removal(r->req, r->cur.s[i].id))
			continue; /* a dead OLD is what replace is for */
		snprintf(why, whylen, "member server.%ld is not serving", r->cur.s[i].id);
	}
	if (in->leader < 0 && !why[0])
		snprintf(why, whylen, "no leader");
	for (int i = 0; i < s->n && !why[0] && s->kind != STEP_REMOVE; i++) {
		const struct plan_health *h = plan_health_of(in, s->servers[i].id);
		if (h == NULL || !h->up)
			snprintf(why, whylen, "joiner server.%ld is not up", s->servers[i].id);
		else if (!h->synced)
			snprintf(why, whylen, "joiner server.%ld has not caught up with the leader",
				 s->servers[i].id);
	}
}

static int
gate(struct run *r, const struct plan_step *s, long long deadline)
{
	char why[256];
	int said = 0;

	for (;;) {
		gate_check(r, s, why, sizeof(why));
		if (why[0] == '\0')
			break;
		if (now_ms() >= deadline || r->sh->interrupted)
			return failed(r, ZX_ZK,
				      "health gate not passed within the step timeout: %s; "
				      "nothing was changed by this step",
				      why);
		if (!said++)
			event(r, "waiting", NULL, "waiting: %s", why);
		pause_ms(200);
	}
	event(r, "gate passed", NULL, "gate passed (leader server.%ld)", r->in.leader);
	return ZX_OK;
}

/* ---- one step ---------------------------------------------------------- */

const char *
ens_reconfig_advice(int rc)
{
	switch (rc) {
	case ZNEWCONFIGNOQUORUM:
		return "NewConfigNoQuorum: no quorum of the new configuration is connected to "
		       "the leader; start the joiners and wait until they sync, then re-run";
	case ZRECONFIGINPROGRESS:
		return "ReconfigInProgress: another reconfiguration is being applied; wait a "
		       "moment and re-run";
	case ZBADVERSION:
		return "BadVersion: the configuration changed since it was planned (another "
		       "reconfig?); nothing was overwritten; check it with ensemble status and "
		       "re-run";
	case ZRECONFIGDISABLED:
		return "ReconfigDisabled: the servers run without reconfigEnabled=true";
	case ZNOAUTH:
		return "NoAuth: reconfig needs the super user (addauth digest USER:PASSWORD of "
		       "DigestAuthenticationProvider.superDigest, or ZKSH_AUTH) or skipACL=yes";
	}
	return NULL;
}

/* zoo_reconfig for s at r->expected; on success the new config in *after. */
static int
reconfig(struct run *r, const struct plan_step *s, struct dc_config *after, long long deadline)
{
	char *joining = xmalloc(64 * 600), leaving[64 * 16];
	char *buf = xmalloc(64 * 1024 + 1), err[512];
	int len = 64 * 1024, rc;
	struct Stat st;
	const char *lose = getenv("ZKSH_TEST_LOSE_RECONFIG");

	plan_step_joining(s, joining, 64 * 600);
	plan_step_leaving(s, leaving, sizeof(leaving));
	rc = zoo_reconfig(ZH(r->sh), joining[0] ? joining : NULL, leaving[0] ? leaving : NULL, NULL,
			  r->expected, buf, &len, &st);
	if (rc == ZOK && lose != NULL && strcmp(lose, "after") == 0)
		rc = ZCONNECTIONLOSS;
	free(joining);
	if (rc == ZOK) {
		buf[len > 0 ? len : 0] = '\0';
		if (dc_parse_config(buf, after, err, sizeof(err)) != 0)
			rc = reread_config(r, after, deadline);
	} else if (rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT) {
		/* removing the leader drops the connection though the change committed */
		event(r, "waiting", NULL,
		      "connection lost during reconfig: reading the "
		      "configuration again");
		rc = reread_config(r, after, deadline);
		if (rc == ZOK && (after->version == r->expected || !plan_step_applied(s, after)))
			rc = -1;
	}
	free(buf);
	if (rc == -1)
		return failed(r, ZX_ZK,
			      "the connection was lost and the configuration (version %llx) does "
			      "not show the change: it did not commit; re-run",
			      after->version);
	if (rc != ZOK) {
		const char *advice = ens_reconfig_advice(rc);
		return failed(r, zkerr_exit(rc), "reconfig failed: %s",
			      advice ? advice : zkerr_name(rc));
	}
	return ZX_OK;
}

/* Point the session at the new membership (keeping a chroot suffix). */
static void
follow_membership(struct run *r, const struct dc_config *c)
{
	struct session *s = r->sh->sess;
	const char *chroot = strchr(s->hosts, '/');
	struct buf b;
	char addr[DC_HOST_MAX + 8];

	buf_init(&b);
	for (int i = 0; i < c->n; i++) {
		dc_client_address(&c->s[i], addr, sizeof(addr));
		if (addr[0] == '\0')
			continue;
		if (b.len > 0)
			buf_addc(&b, ',');
		buf_adds(&b, addr);
	}
	if (b.len == 0) {
		buf_free(&b);
		return;
	}
	if (zoo_set_servers(ZH(r->sh), b.data) == ZOK) {
		if (chroot != NULL)
			buf_adds(&b, chroot);
		free(s->hosts);
		s->hosts = buf_steal(&b);
	}
	buf_free(&b);
}

/* Every member of c holds version v. */
static int
wait_versions(struct run *r, const struct dc_config *c, long long deadline)
{
	char behind[128];

	for (;;) {
		behind[0] = '\0';
		for (int i = 0; i < c->n && !behind[0]; i++) {
			const struct plan_health *h = plan_health_of(&r->in, c->s[i].id);
			char addr[DC_HOST_MAX + 8];

			/* a member that was down at the gate (--force, replace's OLD)
			 * is not waited for */
			if (h != NULL && !h->up)
				continue;
			dc_client_address(&c->s[i], addr, sizeof(addr));
			if (probe_config_version(addr, PROBE_MS, NULL) != c->version)
				snprintf(behind, sizeof(behind), "server.%ld", c->s[i].id);
		}
		if (!behind[0])
			return ZX_OK;
		if (now_ms() >= deadline || r->sh->interrupted)
			return failed(r, ZX_ZK,
				      "committed, but %s does not report version %llx within the "
				      "step timeout; check with ensemble status, then re-run",
				      behind, c->version);
		pause_ms(100);
	}
}

/* A write through the new quorum: a multi of one check op on the config node. */
static int
quorum_write(struct run *r, long long deadline)
{
	zoo_op_t op;
	zoo_op_result_t res;
	int rc;

	do {
		zoo_check_op_init(&op, ENS_CONFIG_NODE, -1);
		rc = zoo_multi(ZH(r->sh), 1, &op, &res);
		if (rc == ZOK)
			return ZX_OK;
		/* under a chroot the client prefixes the path: the check finds no
		 * node; a sync through the leader is the next best round trip */
		if (rc == ZNONODE && (rc = zk_sync(r->sh, "/")) == ZOK)
			return ZX_OK;
		/* right after a reconfig the quorum may still be settling: a member
		 * answers RuntimeInconsistency or ReconfigInProgress for a moment */
		if (rc != ZCONNECTIONLOSS && rc != ZOPERATIONTIMEOUT &&
		    rc != ZRUNTIMEINCONSISTENCY && rc != ZRECONFIGINPROGRESS && rc != ZSESSIONMOVED)
			break;
		if (session_wait(r->sh->sess, 1000) == ZOK)
			pause_ms(200);
	} while (now_ms() < deadline && !r->sh->interrupted);
	return failed(r, zkerr_exit(rc), "the write after the change failed: %s", zkerr_name(rc));
}

static int
stop_removed(struct run *r, const struct plan_step *s)
{
	if (r->o->stop_cmd == NULL || s->kind != STEP_REMOVE)
		return ZX_OK;
	for (int i = 0; i < s->n; i++) {
		int rc = run_hook(r, "stop-cmd", r->o->stop_cmd, &s->servers[i], NULL);
		if (rc != ZX_OK)
			return rc;
	}
	return ZX_OK;
}

/* ---- the run ----------------------------------------------------------- */

static int
removes(const struct plan_step *s, long id)
{
	if (s->kind != STEP_REMOVE)
		return 0;
	for (int i = 0; i < s->n; i++)
		if (s->servers[i].id == id)
			return 1;
	return 0;
}

static void
test_kill_hook(int step)
{
	const char *k = getenv("ZKSH_TEST_KILL_AFTER_STEP");

	if (k != NULL && atoi(k) == step)
		raise(SIGKILL); /* the resume tests: zksh dies between two steps */
}

#define STEP_REPLAN (-2)

static int
run_step(struct run *r, const struct plan_step *s, int last, struct dc_config *after)
{
	long long deadline = now_ms() + r->o->step_timeout_ms;
	int rc;

	if ((rc = start_joiners(r, s)) != ZX_OK)
		return rc;
	/* the last step may have stopped the member this session was on: wait
	 * (within the step's deadline) for the client to reach another one */
	if ((rc = reread_config(r, &r->cur, deadline)) != ZOK)
		return failed(r, zkerr_exit(rc), "cannot read %s: %s", ENS_CONFIG_NODE,
			      zkerr_name(rc));
	if (r->cur.version != r->expected)
		return failed(r, ZX_ZK,
			      "the configuration changed while the plan ran: it is at version "
			      "%llx, the plan was made from %llx (another client reconfigured?); "
			      "nothing was overwritten; check it with ensemble status and re-run",
			      r->cur.version, r->expected);
	if ((rc = gate(r, s, deadline)) != ZX_OK)
		return rc;
	/* who leads is checked again before every step: the leader goes last */
	if (!last && removes(s, r->in.leader))
		return STEP_REPLAN;
	if ((rc = reconfig(r, s, after, deadline)) != ZX_OK)
		return rc;
	event(r, "committed", NULL, "committed: configuration version %llx", after->version);
	follow_membership(r, after);
	if ((rc = wait_versions(r, after, deadline)) != ZX_OK)
		return rc;
	if ((rc = quorum_write(r, deadline)) != ZX_OK)
		return rc;
	event(r, "verified", NULL,
	      "verified: every member holds version %llx and a write went through", after->version);
	return stop_removed(r, s);
}

/* The leader moved into a removal that is not the last step: plan the rest again. */
static int
replan_for_leader(struct run *r, int *i)
{
	struct plan np;

	if (plan_make(&r->in, r->req, &np) != 0) {
		int rc =
		    failed(r, ZX_ZK, "the leader moved and the rest cannot be planned again: %s",
			   np.reason);
		plan_free(&np);
		return rc;
	}
	event(r, "replanned", NULL,
	      "server.%ld leads now and is to be removed: the remaining steps are planned "
	      "again so that it goes last",
	      r->in.leader);
	plan_free(&r->plan);
	r->plan = np;
	*i = -1;
	return ZX_OK;
}

static int
run_steps(struct run *r)
{
	struct dc_config *after = xcalloc(1, sizeof(*after));
	int rc = ZX_OK;

	for (int i = 0; i < r->plan.nsteps && rc == ZX_OK; i++) {
		const struct plan_step *s = &r->plan.steps[i];
		char text[64 * 600];

		if (s->kind != STEP_REMOVE)
			plan_step_joining(s, text, sizeof(text));
		else
			plan_step_leaving(s, text, sizeof(text));
		r->step++;
		event(r, "step started", NULL, "%s %s", plan_step_name(s->kind), text);
		rc = run_step(r, s, i == r->plan.nsteps - 1, after);
		if (rc == STEP_REPLAN) {
			r->step--;
			rc = replan_for_leader(r, &i);
		} else if (rc == ZX_OK) {
			r->cur = *after;
			r->expected = after->version;
			test_kill_hook(r->step);
		}
	}
	free(after);
	return rc;
}

static int
confirm(struct run *r)
{
	char line[16];

	if (r->o->yes)
		return ZX_OK;
	if (!r->sh->interactive || !isatty(STDIN_FILENO))
		return sh_error(r->sh, ZX_USAGE,
				"ensemble: give --yes to apply the plan in batch mode (or "
				"--dry-run to only print it)");
	printf("apply these %d step%s? [y/N] ", r->plan.nsteps, r->plan.nsteps == 1 ? "" : "s");
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL || (line[0] != 'y' && line[0] != 'Y'))
		return sh_error(r->sh, ZX_ZK, "ensemble: not confirmed; nothing was changed");
	return ZX_OK;
}

static int
prepare(struct run *r)
{
	int rc = reread_config(r, &r->cur, now_ms() + r->o->step_timeout_ms);

	if (rc == ZBADARGUMENTS)
		return ZX_ZK;
	if (rc != ZOK)
		return zk_fail(r->sh, rc, ENS_CONFIG_NODE);
	ens_gather(r->sh, &r->cur, r->req, r->o->step_timeout_ms, &r->in);
	if (plan_make(&r->in, r->req, &r->plan) != 0)
		return failed(r, ZX_ZK, "refused: %s", r->plan.reason);
	if (r->o->events) {
		cJSON *o = cJSON_CreateObject();
		ens_print_plan(r->sh, &r->in, r->req, &r->plan, o);
		event(r, "plan", o, "%d step%s from version %llx", r->plan.nsteps,
		      r->plan.nsteps == 1 ? "" : "s", r->cur.version);
	} else {
		ens_print_plan(r->sh, &r->in, r->req, &r->plan, NULL);
	}
	return ZX_OK;
}

int
ens_execute(struct shell *sh, const struct ens_opts *o, const struct plan_request *req)
{
	struct run *r = xcalloc(1, sizeof(*r));
	int rc;

	r->sh = sh;
	r->o = o;
	r->req = req;
	rc = prepare(r);
	if (rc == ZX_OK && !o->dry_run && r->plan.nsteps > 0 && (rc = confirm(r)) == ZX_OK) {
		r->expected = r->cur.version;
		rc = run_steps(r);
		if (rc == ZX_OK) {
			r->step = 0;
			event(r, "done", NULL, "done: configuration version %llx, %d voters",
			      r->cur.version, dc_voters(&r->cur));
		}
	} else if (rc == ZX_OK && !o->dry_run) {
		event(r, "done", NULL, "done: nothing to do, everything named is in place");
	}
	for (int i = 0; i < r->ntmp; i++)
		unlink(r->tmpfiles[i]);
	plan_free(&r->plan);
	free(r);
	return rc;
}
