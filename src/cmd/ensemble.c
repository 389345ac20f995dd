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
	const char *flags; /* the entry's flags this subcommand accepts, blank-separated */
	int min_args, max_args;
	const char *usage;
	int (*exec)(struct shell *sh, struct args *a, int argc, char **argv);
};

/* ---- arguments --------------------------------------------------------- */

/* "500ms", "20s", "2m", "1h" into milliseconds; -1 when it is not one. */
static long long
duration_ms(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || v < 0)
		return -1;
	if (strcmp(end, "ms") == 0)
		return (long long)v;
	if (strcmp(end, "s") == 0)
		return (long long)(v * 1000);
	if (strcmp(end, "m") == 0)
		return (long long)(v * 60000);
	if (strcmp(end, "h") == 0)
		return (long long)(v * 3600000);
	return -1;
}

static int
arg_duration(struct shell *sh, const struct args *a, const char *flag, long long dflt,
	     long long *out)
{
	const char *v = args_get(a, flag);

	*out = dflt;
	if (v == NULL)
		return ZX_OK;
	*out = duration_ms(v);
	if (*out <= 0 || *out > 24LL * 3600000)
		return sh_error(sh, ZX_USAGE,
				"ensemble: --%s wants a duration with a unit (500ms, 20s, 2m), "
				"not '%s'",
				flag, v);
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

static void
status_text(const struct status *st)
{
	int voters = dc_voters(&st->cfg), q = dc_quorum(voters);

	printf("%-4s %-22s %-11s %-11s %-12s %-5s %-14s %-5s %-7s %s\n", "ID", "ADDRESS", "ROLE",
	       "MODE", "ZXID", "LAG", "LATENCY", "CONNS", "ZNODES", "VERSION");
	for (int i = 0; i < st->cfg.n; i++) {
		const struct probe *p = &st->p[i];
		char zxid[24] = "-", lag[24] = "-", lat[40] = "-", conns[16] = "-", nodes[16] = "-",
		     ver[24] = "-";
		if (probe_serving(p)) {
			snprintf(zxid, sizeof(zxid), "0x%llx", p->srvr.zxid);
			if (lag_of(st, p) >= 0)
				snprintf(lag, sizeof(lag), "%lld", lag_of(st, p));
			if (p->srvr.lat_min >= 0)
				snprintf(lat, sizeof(lat), "%ld/%.1f/%ld", p->srvr.lat_min,
					 p->srvr.lat_avg, p->srvr.lat_max);
			snprintf(conns, sizeof(conns), "%ld", p->srvr.connections);
			snprintf(nodes, sizeof(nodes), "%ld", p->srvr.node_count);
		}
		if (p->has_version)
			snprintf(ver, sizeof(ver), "%llx", p->version);
		printf("%-4ld %-22s %-11s %-11s %-12s %-5s %-14s %-5s %-7s %s\n", p->id, p->addr,
		       st->cfg.s[i].role == DC_OBSERVER ? "observer" : "participant", mode_of(p),
		       zxid, lag, lat, conns, nodes, ver);
	}
	printf("configuration version %llx: %d voters, quorum %d, failures tolerated now %d, "
	       "members down %d\n",
	       st->cfg.version, voters, q, st->voters_up - q < 0 ? 0 : st->voters_up - q, st->down);
	if (st->refused_srvr || st->refused_mntr || st->refused_conf)
		printf("refused by 4lw.commands.whitelist:%s%s%s\n",
		       st->refused_srvr ? " srvr" : "", st->refused_mntr ? " mntr" : "",
		       st->refused_conf ? " conf" : "");
	if (st->problems.len == 0)
		printf("verdict: healthy, leader server.%ld\n", st->leader);
	else
		printf("verdict: degraded: %s\n", st->problems.data);
	fflush(stdout);
}

static void
status_json(const struct status *st, cJSON *o)
{
	int voters = dc_voters(&st->cfg), q = dc_quorum(voters);
	cJSON *arr = cJSON_AddArrayToObject(o, "members"), *words;
	char v[32];

	snprintf(v, sizeof(v), "%llx", st->cfg.version);
	cJSON_AddStringToObject(o, "version", v);
	for (int i = 0; i < st->cfg.n; i++) {
		const struct probe *p = &st->p[i];
		cJSON *m = cJSON_CreateObject();
		char s[600];

		cJSON_AddNumberToObject(m, "id", (double)p->id);
		dc_format_server(&st->cfg.s[i], s, sizeof(s));
		cJSON_AddStringToObject(m, "server", s);
		cJSON_AddStringToObject(m, "address", p->addr);
		cJSON_AddStringToObject(
		    m, "role", st->cfg.s[i].role == DC_OBSERVER ? "observer" : "participant");
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
		cJSON_AddItemToArray(arr, m);
	}
	if (st->leaders == 1)
		cJSON_AddNumberToObject(o, "leader", (double)st->leader);
	else
		cJSON_AddNullToObject(o, "leader");
	cJSON_AddNumberToObject(o, "voters", voters);
	cJSON_AddNumberToObject(o, "quorum", q);
	cJSON_AddNumberToObject(o, "tolerated", st->voters_up - q < 0 ? 0 : st->voters_up - q);
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
}

/* One round of status; fills into (JSON) or prints text. An exit code. */
static int
status_once(struct shell *sh, cJSON *into)
{
	struct status *st = xcalloc(1, sizeof(*st));
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
	if (into != NULL)
		status_json(st, into);
	else
		status_text(st);
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
		return status_once(sh, sh->result);
	/* --watch: a round every DURATION until Ctrl-C; JSON as one document a line */
	cJSON_Delete(sh->result);
	sh->result = NULL;
	for (;;) {
		cJSON *doc = shell_json(sh) ? cJSON_CreateObject() : NULL;
		rc = status_once(sh, doc);
		if (doc != NULL) {
			char *s = cJSON_PrintUnformatted(doc);
			printf("%s\n", s);
			free(s);
			cJSON_Delete(doc);
		}
		printf(doc ? "" : "\n");
		fflush(stdout);
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
			ens_print_plan(sh, in, req, &p, sh->result);
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
		/* --json streams events, one a line, rather than one document */
		o.events = shell_json(sh);
		if (o.events) {
			cJSON_Delete(sh->result);
			sh->result = NULL;
		}
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
	} else if (sh->result != NULL) {
		cJSON_AddNumberToObject(sh->result, "myid", (double)j->id);
		cJSON_AddStringToObject(sh->result, "dynamic_config", dyn);
		cJSON_AddStringToObject(sh->result, "zoo_cfg", lines);
	} else {
		printf("# myid (in dataDir)\n%s# zoo.cfg.dynamic\n%s# zoo.cfg: these lines, with "
		       "the server's own dataDir, tickTime, ...\n%s",
		       myid, dyn, lines);
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

#define CHANGE_FLAGS "strategy via-observer force yes step-timeout dry-run start-cmd stop-cmd"
#define CHANGE_USAGE                                                                               \
	"[--strategy sequential|split] [--via-observer] [--force] [--yes] "                        \
	"[--step-timeout DURATION] [--dry-run] [--start-cmd CMD] [--stop-cmd CMD]"

#define STATUS_USAGE "status [--json] [--watch DURATION]"
#define PLAN_USAGE                                                                                 \
	"plan add|remove|replace [--strategy sequential|split] [--via-observer] [--force] "        \
	"[--start-cmd CMD] SERVER|ID..."
#define JOINER_USAGE "joiner-config SERVER [--observer] [--write DIR]"

static const struct ens_sub subs[] = {
    {"status", "watch", 0, 0, STATUS_USAGE, ens_status},
    {"plan", "strategy via-observer force start-cmd", 2, -1, PLAN_USAGE, ens_plan},
    {"add", CHANGE_FLAGS, 1, -1, "add " CHANGE_USAGE " SERVER...", ens_change},
    {"remove", CHANGE_FLAGS, 1, -1, "remove " CHANGE_USAGE " ID|SERVER...", ens_change},
    {"replace", CHANGE_FLAGS, 2, -1, "replace " CHANGE_USAGE " OLD NEW [OLD NEW...]", ens_change},
    {"joiner-config", "observer write", 1, 1, JOINER_USAGE, ens_joiner_config},
    {NULL, NULL, 0, 0, NULL, NULL},
};

/* 1 when flag is a blank-separated word of list. */
static int
listed(const char *list, const char *flag)
{
	size_t n = strlen(flag);

	for (const char *p = list; (p = strstr(p, flag)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

static int
ens_usage(struct shell *sh, const char *msg)
{
	int rc = sh_error(sh, ZX_USAGE, "ensemble: %s", msg);

	fprintf(stderr, "usage:\n");
	for (const struct ens_sub *s = subs; s->name != NULL; s++)
		fprintf(stderr, "  ensemble %s\n", s->usage);
	return rc;
}

static int
cmd_ensemble(struct shell *sh, struct args *a)
{
	char names[ARGS_MAX_FLAGS][24], msg[256];
	int n = cmd_flag_names(a->entry, names, ARGS_MAX_FLAGS);
	const struct ens_sub *s;
	int argc = a->argc - 1;

	for (s = subs; s->name != NULL && strcmp(s->name, a->argv[0]) != 0; s++)
		;
	if (s->name == NULL) {
		snprintf(msg, sizeof(msg), "unknown subcommand '%s'", a->argv[0]);
		return ens_usage(sh, msg);
	}
	for (int i = 0; i < n; i++) {
		if (args_has(a, names[i]) && !listed(s->flags, names[i])) {
			snprintf(msg, sizeof(msg), "%s does not take --%s (usage: ensemble %s)",
				 s->name, names[i], s->usage);
			return sh_error(sh, ZX_USAGE, "ensemble %s", msg);
		}
	}
	if (argc < s->min_args || (s->max_args >= 0 && argc > s->max_args))
		return sh_error(sh, ZX_USAGE, "ensemble %s: %s arguments (usage: ensemble %s)",
				s->name, argc < s->min_args ? "missing" : "too many", s->usage);
	return s->exec(sh, a, argc, a->argv + 1);
}

const struct cmd_entry cmd_ensemble_entries[] = {
    {.name = "ensemble",
     .flags = "watch: strategy: via-observer force yes step-timeout: dry-run start-cmd: "
	      "stop-cmd: observer write:",
     .min_args = 1,
     .max_args = -1,
     .usage = STATUS_USAGE " | " PLAN_USAGE " | add|remove|replace " CHANGE_USAGE
			   " SERVER|ID... | " JOINER_USAGE,
     .help = "the ensemble's health (status) and safe membership changes: plan, add, "
	     "remove and replace members one at a time (--strategy sequential) or in two "
	     "batches (split), gated on health, version-checked (reconfig -v), verified on "
	     "every member and resumable; joiner-config prints what a new server starts with. "
	     "Changes need the super user",
     .attrs = CMD_ZK,
     .exec = cmd_ensemble},
    {0},
};
