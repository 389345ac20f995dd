/*
 * The ensemble family: status, plan, add, remove, replace, joiner-config.
 * One table entry whose exec dispatches on the first word through the small
 * subcommand table below (each subcommand names the flags it accepts), so
 * that a general subcommand mechanism can take it over as it is. The pure
 * parts live in ensemble/dynconfig.c and ensemble/plan.c, probing servers
 * in ensemble/probe.c, and the executor in ensemble/exec.c.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd/common.h"
#include "command.h"
#include "ensemble/dynconfig.h"
#include "ensemble/plan.h"
#include "ensemble/probe.h"
#include "ensemble/run.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zkerr.h"

#define DEFAULT_STEP_TIMEOUT_MS 60000
#define STATUS_PROBE_MS		2000

struct ens_sub {
	const char *name;
	int (*exec)(struct shell *sh, struct args *a, int argc, char **argv);
};

/* ---- arguments --------------------------------------------------------- */

static int
arg_duration(struct shell *sh, const struct args *a, const char *flag, long long dflt,
	     long long *out)
{
	(void)sh;
	*out = args_int(a, flag, dflt); /* converted and range-checked by the dispatcher */
	return ZX_OK;
}

static int
parse_server_arg(struct shell *sh, const char *arg, struct dc_server *out)
{
	char err[512];

	if (dc_parse_server(arg, out, err, sizeof(err)) != 0)
		return sh_error(sh, ZX_USAGE, "ensemble: %s", err);
	return ZX_OK;
}

/* A bare id or a server string, for remove and replace's OLD. */
static int
parse_id_arg(struct shell *sh, const char *arg, long *id)
{
	long long v;
	struct dc_server s;

	if (parse_long(arg, &v) == 0 && v >= 0 && v <= 2147483647LL) {
		*id = (long)v;
		return ZX_OK;
	}
	if (parse_server_arg(sh, arg, &s) != ZX_OK)
		return ZX_USAGE;
	*id = s.id;
	return ZX_OK;
}

/* The request from op and its arguments, with the flags of a. */
static int
parse_request(struct shell *sh, struct args *a, const char *op, int argc, char **argv,
	      struct plan_request *req)
{
	const char *st = args_get(a, "strategy");
	int rc = ZX_OK;

	memset(req, 0, sizeof(*req));
	if (strcmp(op, "add") == 0)
		req->op = PLAN_ADD;
	else if (strcmp(op, "remove") == 0)
		req->op = PLAN_REMOVE;
	else if (strcmp(op, "replace") == 0)
		req->op = PLAN_REPLACE;
	else
		return sh_error(sh, ZX_USAGE, "ensemble plan: add, remove or replace, not '%s'",
				op);
	if (st != NULL && strcmp(st, "split") == 0)
		req->strategy = PLAN_SPLIT;
	else if (st != NULL && strcmp(st, "sequential") != 0)
		return sh_error(sh, ZX_USAGE,
				"ensemble: --strategy is sequential or split, not '%s'", st);
	req->flags = (args_has(a, "via-observer") ? PLAN_VIA_OBSERVER : 0) |
		     (args_has(a, "force") ? PLAN_FORCE : 0) |
		     (args_has(a, "start-cmd") ? PLAN_STARTS : 0);
	if (argc == 0)
		return sh_error(sh, ZX_USAGE, "ensemble %s: name the servers", op);
	if (argc > DC_MAX_SERVERS)
		return sh_error(sh, ZX_USAGE, "ensemble %s: at most %d servers", op,
				DC_MAX_SERVERS);
	if (req->op == PLAN_REPLACE && argc % 2 != 0)
		return sh_error(sh, ZX_USAGE, "ensemble replace: give pairs: OLD NEW [OLD NEW...]");
	for (int i = 0; i < argc && rc == ZX_OK; i++) {
		if (req->op == PLAN_ADD || (req->op == PLAN_REPLACE && i % 2 == 1))
			rc = parse_server_arg(sh, argv[i], &req->add[req->nadd++]);
		else
			rc = parse_id_arg(sh, argv[i], &req->remove[req->nremove++]);
	}
	return rc;
}

/* ---- status ------------------------------------------------------------ */

struct status {
	struct dc_config cfg;
	struct probe p[DC_MAX_SERVERS];
	long leader;
	long long leader_zxid;
	long leader_nodes;
	int leaders, down, voters_up, unknown;
	int refused_srvr, refused_mntr, refused_conf;
	struct buf problems; /* "; "-separated */
};

static void problem(struct status *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
problem(struct status *st, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (st->problems.len > 0)
		buf_adds(&st->problems, "; ");
	buf_adds(&st->problems, msg);
}

static const char *
mode_of(const struct probe *p)
{
	if (p->srvr_refused)
		return "unknown";
	if (!p->answered)
		return "down";
	if (!p->srvr.serving)
		return "not serving";
	return p->srvr.mode;
}

static void
status_probe(struct status *st)
{
	st->leader = -1;
	st->leader_zxid = -1;
	st->leader_nodes = -1;
	for (int i = 0; i < st->cfg.n; i++) {
		struct probe *p = &st->p[i];
		/* versions come after: their sessions are transactions, they would
		 * show up as lag */
		probe_server(&st->cfg.s[i], PROBE_SRVR | PROBE_DETAIL, STATUS_PROBE_MS, NULL, p);
		st->refused_srvr += p->srvr_refused;
		st->refused_mntr += p->mntr_refused;
		st->refused_conf += p->conf_refused;
		if (p->srvr_refused)
			st->unknown++;
		else if (!probe_serving(p))
			st->down++;
		else if (st->cfg.s[i].role == DC_PARTICIPANT)
			st->voters_up++;
		if (probe_serving(p) && strcmp(p->srvr.mode, "leader") == 0) {
			st->leaders++;
			st->leader = p->id;
			st->leader_zxid = p->srvr.zxid;
			st->leader_nodes = p->srvr.node_count;
		}
	}
}

static void
status_versions(struct status *st)
{
	for (int i = 0; i < st->cfg.n; i++)
		if (probe_serving(&st->p[i]))
			probe_version(&st->p[i], STATUS_PROBE_MS, &st->cfg);
}

static void
status_verdict(struct status *st)
{
	if (st->leaders == 0 && st->unknown < st->cfg.n)
		problem(st, "no leader");
	if (st->leaders > 1)
		problem(st, "%d servers say they lead", st->leaders);
	for (int i = 0; i < st->cfg.n; i++) {
		const struct probe *p = &st->p[i];
		long nodes = p->srvr.node_count;

		if (p->srvr_refused)
			problem(st, "server.%ld refuses srvr (4lw.commands.whitelist)", p->id);
		else if (!probe_serving(p))
			problem(st, "server.%ld is %s", p->id, mode_of(p));
		else if (!p->has_version)
			problem(st, "server.%ld: its configuration version could not be read",
				p->id);
		else if (p->version != st->cfg.version)
			problem(st, "server.%ld holds configuration version %llx, not %llx", p->id,
				p->version, st->cfg.version);
		else if (p->view_differs)
			problem(st, "server.%ld sees another membership than %s", p->id,
				ENS_CONFIG_NODE);
		if (probe_serving(p) && st->leader_nodes > 10 && nodes >= 0 &&
		    (nodes * 10 < st->leader_nodes * 9 || nodes * 10 > st->leader_nodes * 11))
			problem(st, "server.%ld has %ld znodes, the leader %ld", p->id, nodes,
				st->leader_nodes);
	}
}

static long long
lag_of(const struct status *st, const struct probe *p)
{
	if (!probe_serving(p) || st->leader_zxid < 0 || p->srvr.zxid < 0)
		return -1;
	return st->leader_zxid > p->srvr.zxid ? st->leader_zxid - p->srvr.zxid : 0;
}

/* The member table: zkCli-style fixed columns (their old widths as minimums). */
static const struct table_col status_cols[] = {
    {"id", "ID", COL_TEXT, 4},
    {"address", "ADDRESS", COL_TEXT, 22},
    {"role", "ROLE", COL_TEXT, 11},
    {"mode", "MODE", COL_TEXT, 11},
    {"zxid", "ZXID", COL_TEXT, 12},
    {"lag", "LAG", COL_TEXT, 5},
    {"latency", "LATENCY", COL_TEXT, 14},
    {"conns", "CONNS", COL_TEXT, 5},
    {"znodes", "ZNODES", COL_TEXT, 7},
    {"version", "VERSION", COL_TEXT, 0},
};

/* A member's row as JSON: numbers as numbers, the server string, the probe's error. */
static cJSON *
member_json(const struct status *st, int i)
{
	const struct probe *p = &st->p[i];
	cJSON *m = cJSON_CreateObject();
	char s[600];

	cJSON_AddNumberToObject(m, "id", (double)p->id);
	dc_format_server(&st->cfg.s[i], s, sizeof(s));
	cJSON_AddStringToObject(m, "server", s);
	cJSON_AddStringToObject(m, "address", p->addr);
	cJSON_AddStringToObject(m, "role",
				st->cfg.s[i].role == DC_OBSERVER ? "observer" : "participant");
	cJSON_AddStringToObject(m, "mode", mode_of(p));
	if (probe_serving(p)) {
		snprintf(s, sizeof(s), "0x%llx", p->srvr.zxid);
		cJSON_AddStringToObject(m, "zxid", s);
		cJSON_AddNumberToObject(m, "lag", (double)lag_of(st, p));
		cJSON_AddNumberToObject(m, "latency_min", p->srvr.lat_min);
		cJSON_AddNumberToObject(m, "latency_avg", p->srvr.lat_avg);
		cJSON_AddNumberToObject(m, "latency_max", p->srvr.lat_max);
		cJSON_AddNumberToObject(m, "connections", p->srvr.connections);
		cJSON_AddNumberToObject(m, "znodes", p->srvr.node_count);
	}
	if (p->has_version) {
		snprintf(s, sizeof(s), "%llx", p->version);
		cJSON_AddStringToObject(m, "config_version", s);
	}
	if (!p->answered && p->error[0])
		cJSON_AddStringToObject(m, "error", p->error);
	return m;
}

static void
status_row(struct table *t, const struct status *st, int i)
{
	const struct probe *p = &st->p[i];
	char id[24], zxid[24] = "-", lag[24] = "-", lat[40] = "-", conns[16] = "-", nodes[16] = "-",
		     ver[24] = "-";
	const char *role = st->cfg.s[i].role == DC_OBSERVER ? "observer" : "participant";
	const char *cells[] = {id, p->addr, role, mode_of(p), zxid, lag, lat, conns, nodes, ver};

	snprintf(id, sizeof(id), "%ld", p->id);
	if (probe_serving(p)) {
		snprintf(zxid, sizeof(zxid), "0x%llx", p->srvr.zxid);
		if (lag_of(st, p) >= 0)
			snprintf(lag, sizeof(lag), "%lld", lag_of(st, p));
		if (p->srvr.lat_min >= 0)
			snprintf(lat, sizeof(lat), "%ld/%.1f/%ld", p->srvr.lat_min, p->srvr.lat_avg,
				 p->srvr.lat_max);
		snprintf(conns, sizeof(conns), "%ld", p->srvr.connections);
		snprintf(nodes, sizeof(nodes), "%ld", p->srvr.node_count);
	}
	if (p->has_version)
		snprintf(ver, sizeof(ver), "%llx", p->version);
	table_row(t, cells, member_json(st, i));
}

/* The verdict: text lines under the table, JSON members of the document. */
static void
status_verdict_render(struct shell *sh, const struct status *st)
{
	int voters = dc_voters(&st->cfg), q = dc_quorum(voters);
	int tolerated = st->voters_up - q < 0 ? 0 : st->voters_up - q;
	cJSON *o = cJSON_CreateObject(), *words;
	struct buf b;
	char line[512];

	buf_init(&b);
	snprintf(line, sizeof(line),
		 "configuration version %llx: %d voters, quorum %d, failures tolerated now %d, "
		 "members down %d\n",
		 st->cfg.version, voters, q, tolerated, st->down);
	buf_adds(&b, line);
	if (st->refused_srvr || st->refused_mntr || st->refused_conf) {
		snprintf(line, sizeof(line), "refused by 4lw.commands.whitelist:%s%s%s\n",
			 st->refused_srvr ? " srvr" : "", st->refused_mntr ? " mntr" : "",
			 st->refused_conf ? " conf" : "");
		buf_adds(&b, line);
	}
	if (st->problems.len == 0) {
		snprintf(line, sizeof(line), "verdict: healthy, leader server.%ld", st->leader);
		buf_adds(&b, line);
	} else {
		buf_adds(&b, "verdict: degraded: ");
		buf_adds(&b, st->problems.data);
	}
	snprintf(line, sizeof(line), "%llx", st->cfg.version);
	cJSON_AddStringToObject(o, "version", line);
	if (st->leaders == 1)
		cJSON_AddNumberToObject(o, "leader", (double)st->leader);
	else
		cJSON_AddNullToObject(o, "leader");
	cJSON_AddNumberToObject(o, "voters", voters);
	cJSON_AddNumberToObject(o, "quorum", q);
	cJSON_AddNumberToObject(o, "tolerated", tolerated);
	cJSON_AddNumberToObject(o, "down", st->down);
	words = cJSON_AddArrayToObject(o, "refused_words");
	if (st->refused_srvr)
		cJSON_AddItemToArray(words, cJSON_CreateString("srvr"));
	if (st->refused_mntr)
		cJSON_AddItemToArray(words, cJSON_CreateString("mntr"));
	if (st->refused_conf)
		cJSON_AddItemToArray(words, cJSON_CreateString("conf"));
	cJSON_AddBoolToObject(o, "healthy", st->problems.len == 0);
	cJSON_AddStringToObject(o, "problems", st->problems.data ? st->problems.data : "");
	render_json(sh, NULL, o, b.data);
	buf_free(&b);
}

/* One round of status: the member table and the verdict. An exit code. */
static int
status_once(struct shell *sh)
{
	struct status *st = xcalloc(1, sizeof(*st));
	struct table *t;
	int rc = ens_read_config(sh, 1, &st->cfg);

	if (rc != ZOK) {
		free(st);
		if (rc == ZBADARGUMENTS)
			return ZX_ZK;
		return sh_error(sh, ZX_CONN, "ensemble status: cannot read %s: %s", ENS_CONFIG_NODE,
				zkerr_name(rc));
	}
	buf_init(&st->problems);
	status_probe(st);
	status_versions(st);
	status_verdict(st);
	t = table_begin(sh, "members", status_cols, 10, TABLE_HEADER | TABLE_ALIGNED);
	for (int i = 0; i < st->cfg.n; i++)
		status_row(t, st, i);
	table_end(t);
	status_verdict_render(sh, st);
	out_flush();
	rc = st->problems.len == 0 ? ZX_OK : ZX_ZK;
	buf_free(&st->problems);
	free(st);
	return rc;
}

static int
ens_status(struct shell *sh, struct args *a, int argc, char **argv)
{
	long long every;
	int rc;

	(void)argc;
	(void)argv;
	if ((rc = arg_duration(sh, a, "watch", 0, &every)) != ZX_OK)
		return rc;
	if (every == 0)
		return status_once(sh);
	/* --watch: a round every DURATION until Ctrl-C; JSON as one document a line */
	for (;;) {
		rc = status_once(sh);
		render_round(sh, "");
		if (rc == ZX_CONN)
			return rc;
		for (long long end = now_ms() + every; now_ms() < end;) {
			struct timespec t = {0, 50 * 1000000L};
			if (sh->interrupted)
				return rc;
			nanosleep(&t, NULL);
		}
	}
}

/* ---- plan and the changes ---------------------------------------------- */

static int
ens_plan(struct shell *sh, struct args *a, int argc, char **argv)
{
	struct plan_request *req = xcalloc(1, sizeof(*req));
	struct plan_input *in = xcalloc(1, sizeof(*in));
	struct dc_config *cur = xcalloc(1, sizeof(*cur));
	struct plan p;
	int rc = parse_request(sh, a, argv[0], argc - 1, argv + 1, req);

	if (rc == ZX_OK && (rc = ens_read_config(sh, 1, cur)) != ZOK)
		rc = rc == ZBADARGUMENTS ? ZX_ZK : zk_fail(sh, rc, ENS_CONFIG_NODE);
	if (rc == ZX_OK) {
		ens_gather(sh, cur, req, 5000, in);
		if (plan_make(in, req, &p) != 0)
			rc = sh_error(sh, ZX_ZK, "ensemble plan: refused: %s", p.reason);
		else
			ens_print_plan(sh, in, req, &p);
		plan_free(&p);
	}
	free(req);
	free(in);
	free(cur);
	return rc;
}

static int
ens_change(struct shell *sh, struct args *a, int argc, char **argv)
{
	struct plan_request *req = xcalloc(1, sizeof(*req));
	struct ens_opts o;
	long long t;
	int rc = parse_request(sh, a, argv[-1], argc, argv, req);

	memset(&o, 0, sizeof(o));
	if (rc == ZX_OK)
		rc = arg_duration(sh, a, "step-timeout", DEFAULT_STEP_TIMEOUT_MS, &t);
	if (rc == ZX_OK && sh->sess->readonly && !args_has(a, "dry-run"))
		rc =
		    sh_error(sh, ZX_USAGE, "ensemble %s: refused in read-only mode (-r)", argv[-1]);
	if (rc == ZX_OK) {
		o.yes = args_has(a, "yes");
		o.dry_run = args_has(a, "dry-run");
		o.step_timeout_ms = (int)t;
		o.start_cmd = args_get(a, "start-cmd");
		o.stop_cmd = args_get(a, "stop-cmd");
		/* it streams events, one a line with --json (render_stream) */
		rc = ens_execute(sh, &o, req);
	}
	free(req);
	return rc;
}

/* ---- joiner-config ----------------------------------------------------- */

static int
write_file(struct shell *sh, const char *dir, const char *name, const char *text)
{
	char path[ZKSH_PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
		return sh_error(sh, ZX_IO, "ensemble joiner-config: cannot write %s: %s", path,
				strerror(errno));
	render_text(sh, "wrote %s\n", path);
	return ZX_OK;
}

static int
joiner_output(struct shell *sh, struct args *a, const struct dc_server *j,
	      const struct dc_config *members)
{
	const char *dir = args_get(a, "write");
	char myid[32], lines[ZKSH_PATH_MAX + 128];
	char *dyn = dc_format_config(members, 0);
	int rc = ZX_OK;

	snprintf(myid, sizeof(myid), "%ld\n", j->id);
	snprintf(lines, sizeof(lines),
		 "reconfigEnabled=true\nstandaloneEnabled=false\ndynamicConfigFile=%s%szoo.cfg."
		 "dynamic\n",
		 dir ? dir : "", dir ? "/" : "");
	if (dir != NULL) {
		struct stat sb;
		if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
			rc = sh_error(sh, ZX_IO, "ensemble joiner-config: %s is not a directory",
				      dir);
		if (rc == ZX_OK)
			rc = write_file(sh, dir, "myid", myid);
		if (rc == ZX_OK)
			rc = write_file(sh, dir, "zoo.cfg.dynamic", dyn);
		if (rc == ZX_OK)
			rc = write_file(sh, dir, "zoo.cfg.reconfig", lines);
	} else {
		cJSON *o = cJSON_CreateObject();
		struct buf b;

		cJSON_AddNumberToObject(o, "myid", (double)j->id);
		cJSON_AddStringToObject(o, "dynamic_config", dyn);
		cJSON_AddStringToObject(o, "zoo_cfg", lines);
		buf_init(&b);
		buf_adds(&b, "# myid (in dataDir)\n");
		buf_adds(&b, myid);
		buf_adds(&b, "# zoo.cfg.dynamic\n");
		buf_adds(&b, dyn);
		buf_adds(&b,
			 "# zoo.cfg: these lines, with the server's own dataDir, tickTime, ...\n");
		buf_adds(&b, lines);
		b.data[--b.len] = '\0'; /* the record's line ending */
		render_json(sh, NULL, o, b.data);
		buf_free(&b);
	}
	free(dyn);
	return rc;
}

static int
ens_joiner_config(struct shell *sh, struct args *a, int argc, char **argv)
{
	struct dc_config *c = xcalloc(1, sizeof(*c));
	struct dc_server j;
	int rc = parse_server_arg(sh, argv[0], &j);

	(void)argc;
	if (rc == ZX_OK && (rc = ens_read_config(sh, 1, c)) != ZOK)
		rc = rc == ZBADARGUMENTS ? ZX_ZK : zk_fail(sh, rc, ENS_CONFIG_NODE);
	if (rc == ZX_OK && args_has(a, "observer"))
		j.role = DC_OBSERVER;
	for (int i = 0; i < c->n && rc == ZX_OK; i++) {
		if (c->s[i].id == j.id || dc_address_clash(&c->s[i], &j)) {
			char have[600];
			dc_format_server(&c->s[i], have, sizeof(have));
			rc = sh_error(sh, ZX_ZK,
				      "ensemble joiner-config: server.%ld clashes with member %s "
				      "(same id or address)",
				      j.id, have);
		}
	}
	if (rc == ZX_OK && c->n >= DC_MAX_SERVERS)
		rc = sh_error(sh, ZX_ZK, "ensemble joiner-config: too many servers");
	if (rc == ZX_OK) {
		c->s[c->n++] = j;
		rc = joiner_output(sh, a, &j, c);
	}
	free(c);
	return rc;
}

/* ---- the family -------------------------------------------------------- */

static const struct ens_sub subs[] = {
    {"status", ens_status}, {"plan", ens_plan},	     {"add", ens_change},
    {"remove", ens_change}, {"replace", ens_change}, {"joiner-config", ens_joiner_config},
    {NULL, NULL},
};

/* The parser found the subcommand and checked its options and arguments. */
static int
cmd_ensemble(struct shell *sh, struct args *a)
{
	const struct ens_sub *s;

	for (s = subs; s->name != NULL && strcmp(s->name, a->sub->name) != 0; s++)
		;
	if (s->name == NULL)
		return sh_error(sh, ZX_USAGE, "ensemble: unknown subcommand '%s'", a->argv[0]);
	return s->exec(sh, a, a->argc - 1, a->argv + 1);
}

#define ENS_DURATION(l, v, h)                                                                      \
	{                                                                                          \
		.lng = (l), .type = OPT_DURATION, .value = (v), .min = 1, .max = 24LL * 3600000,   \
		.help = (h),                                                                       \
		.bad = "%s: --" l " wants a duration with a unit (500ms, 20s, 2m), not '%s'"       \
	}
static const char *const strategy_choices[] = {"sequential", "split", NULL};

#define PLAN_OPTS                                                                                  \
	{.lng = "strategy",                                                                        \
	 .type = OPT_ENUM,                                                                         \
	 .value = "sequential|split",                                                              \
	 .choices = strategy_choices,                                                              \
	 .help = "one member at a time (default), or two batches"},                                \
	    OPT_FLAG(0, "via-observer", "add a member as an observer first, then promote it"),     \
	    OPT_FLAG(0, "force", "go on although the ensemble is not healthy"),                    \
	    OPT_VAL(0, "start-cmd", OPT_STRING, "CMD", "run CMD to start a joining server")
#define CHANGE_OPTS                                                                                \
	PLAN_OPTS, OPT_FLAG(0, "yes", "make the change (batch mode prints the plan without it)"),  \
	    ENS_DURATION("step-timeout", "DURATION", "how long one step may take"),                \
	    OPT_FLAG(0, "dry-run", "print the plan, change nothing"),                              \
	    OPT_VAL(0, "stop-cmd", OPT_STRING, "CMD", "run CMD to stop a leaving server")

const struct cmd_entry cmd_ensemble_entries[] = {
    {.name = "ensemble",
     .subs = SUBCOMMANDS(
	 {.name = "status",
	  .opts = OPTS(ENS_DURATION("watch", "DURATION", "print the status again every DURATION")),
	  .help = "every member's health, role, zxid and lag, from the four-letter words"},
	 {.name = "plan",
	  .opts = OPTS(PLAN_OPTS),
	  .pos = POSITIONALS({.name = "add|remove|replace",
			      .complete = CPL_CHOICE,
			      .choices = (const char *const[]){"add", "remove", "replace", NULL}},
			     POS_ARG("SERVER|ID", CPL_NONE, POS_REPEATED)),
	  .help = "print the steps a change would take, change nothing"},
	 {.name = "add",
	  .opts = OPTS(CHANGE_OPTS),
	  .pos = POSITIONALS(POS_ARG("SERVER", CPL_NONE, POS_REPEATED)),
	  .help = "add members, gated on health and verified on every member",
	  .attrs = CMD_WRITE},
	 {.name = "remove",
	  .opts = OPTS(CHANGE_OPTS),
	  .pos = POSITIONALS(POS_ARG("ID|SERVER", CPL_NONE, POS_REPEATED)),
	  .help = "remove members, the leader last",
	  .attrs = CMD_WRITE},
	 {.name = "replace",
	  .opts = OPTS(CHANGE_OPTS),
	  .pos = POSITIONALS(POS_ARG("OLD", CPL_NONE, 0), POS_ARG("NEW", CPL_NONE, 0),
			     POS_ARG("OLD NEW", CPL_NONE, POS_OPTIONAL | POS_REPEATED)),
	  .help = "replace members in pairs: OLD NEW [OLD NEW...]",
	  .attrs = CMD_WRITE},
	 {.name = "joiner-config",
	  .opts = OPTS(OPT_FLAG(0, "observer", "the new server joins as an observer"),
		       OPT_VAL(0, "write", OPT_FILE, "DIR", "write the files into DIR")),
	  .pos = POSITIONALS(POS_ARG("SERVER", CPL_NONE, 0)),
	  .help = "print the configuration a new server starts with"}),
     .help = "the ensemble's health (status) and safe membership changes: plan, add, "
	     "remove and replace members one at a time (--strategy sequential) or in two "
	     "batches (split), gated on health, version-checked (reconfig -v), verified on "
	     "every member and resumable; joiner-config prints what a new server starts with. "
	     "Changes need the super user",
     .attrs = CMD_ZK,
     .exec = cmd_ensemble},
    {0},
};
