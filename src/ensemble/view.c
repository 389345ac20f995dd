/*
 * What `ensemble plan` needs and the executor shares: the configuration read
 * after a sync, every server's health for the planner, and the plan printed
 * as text or JSON.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/common.h"
#include "ensemble/probe.h"
#include "ensemble/run.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zkerr.h"

#define PROBE_MS 2000

static void
pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* ---- reading ----------------------------------------------------------- */

int
ens_read_config(struct shell *sh, int sync, struct dc_config *out)
{
	int cap = 64 * 1024, len = cap, rc;
	char *buf, err[512];
	struct Stat st;

	if (sync && (rc = zk_sync(sh, ENS_CONFIG_NODE)) != ZOK)
		return rc;
	buf = xmalloc((size_t)cap + 1);
	rc = zoo_getconfig(ZH(sh), 0, buf, &len, &st);
	if (rc == ZOK) {
		buf[len > 0 ? len : 0] = '\0';
		if (dc_parse_config(buf, out, err, sizeof(err)) != 0) {
			sh_error(sh, ZX_ZK, "ensemble: %s does not parse: %s", ENS_CONFIG_NODE,
				 err);
			rc = ZBADARGUMENTS;
		}
	}
	free(buf);
	return rc;
}

/* ---- health ------------------------------------------------------------ */

static void
add_health(struct plan_input *in, long id, int up, int synced)
{
	if (in->nhealth < PLAN_MAX_HEALTH)
		in->health[in->nhealth++] = (struct plan_health){id, up, synced};
}

void
ens_gather(struct shell *sh, const struct dc_config *cur, const struct plan_request *req,
	   int wait_ms, struct plan_input *in)
{
	long long deadline = now_ms() + wait_ms, leader_zxid = -1;
	struct probe p;

	in->cur = cur;
	in->leader = -1;
	in->nhealth = 0;
	for (int i = 0; i < cur->n; i++) {
		probe_server(&cur->s[i], PROBE_SRVR, PROBE_MS, NULL, &p);
		add_health(in, p.id, probe_serving(&p), probe_serving(&p));
		if (probe_serving(&p) && strcmp(p.srvr.mode, "leader") == 0) {
			in->leader = p.id;
			leader_zxid = p.srvr.zxid;
		}
	}
	for (int i = 0; i < req->nadd; i++) {
		const struct dc_server *j = &req->add[i];
		if (dc_find(cur, j->id) != NULL)
			continue; /* a member already: probed above */
		for (;;) {
			int up;
			probe_server(j, PROBE_SRVR, PROBE_MS, NULL, &p);
			up = probe_serving(&p);
			/* a joiner syncs with the leader as a non-voting follower:
			 * caught up when its zxid reached the leader's of a moment ago */
			if (!up || p.srvr.zxid >= leader_zxid || now_ms() >= deadline ||
			    sh->interrupted) {
				add_health(in, j->id, up, up && p.srvr.zxid >= leader_zxid);
				break;
			}
			pause_ms(100);
		}
	}
}

/* ---- printing the plan ------------------------------------------------- */

static void
ids_text(const struct dc_config *c, struct buf *b)
{
	char one[32];

	for (int i = 0; i < c->n; i++) {
		snprintf(one, sizeof(one), "%s%ld%s", i ? " " : "", c->s[i].id,
			 c->s[i].role == DC_OBSERVER ? "(obs)" : "");
		buf_adds(b, one);
	}
}

static void
gates_text(const struct plan_step *s, struct buf *b)
{
	buf_adds(b, "every member up and serving");
	if (s->kind == STEP_ADD || s->kind == STEP_ADD_OBSERVER || s->kind == STEP_PROMOTE) {
		char one[64];
		for (int i = 0; i < s->n; i++) {
			snprintf(one, sizeof(one), ", server.%ld up and synced", s->servers[i].id);
			buf_adds(b, one);
		}
	}
	buf_adds(b, "; the configuration still at the planned version");
	if (s->removes_leader)
		buf_adds(b, "; removes the leader (last step)");
}

static cJSON *
step_json(const struct plan_step *s)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	char text[64 * 600];
	struct buf b;

	cJSON_AddStringToObject(o, "action", plan_step_name(s->kind));
	if (s->kind == STEP_REMOVE) {
		plan_step_leaving(s, text, sizeof(text));
		cJSON_AddStringToObject(o, "remove", text);
	} else {
		plan_step_joining(s, text, sizeof(text));
		cJSON_AddStringToObject(o, "add", text);
	}
	arr = cJSON_AddArrayToObject(o, "members_after");
	for (int i = 0; i < s->after.n; i++) {
		dc_format_server(&s->after.s[i], text, sizeof(text));
		cJSON_AddItemToArray(arr, cJSON_CreateString(text));
	}
	cJSON_AddNumberToObject(o, "voters_before", s->voters_before);
	cJSON_AddNumberToObject(o, "voters_after", s->voters_after);
	cJSON_AddNumberToObject(o, "quorum_before", s->quorum_before);
	cJSON_AddNumberToObject(o, "quorum_after", s->quorum_after);
	cJSON_AddNumberToObject(o, "tolerated_during", s->tolerated_during);
	cJSON_AddNumberToObject(o, "tolerated_after", s->tolerated_after);
	cJSON_AddBoolToObject(o, "removes_leader", s->removes_leader);
	buf_init(&b);
	gates_text(s, &b);
	cJSON_AddStringToObject(o, "gates", b.data);
	buf_free(&b);
	return o;
}

static void
plan_text(const struct plan_input *in, const struct plan *p)
{
	char text[64 * 600];

	printf("plan from configuration version %llx: %d voters, leader %s%ld\n", in->cur->version,
	       dc_voters(in->cur), in->leader < 0 ? "unknown" : "server.",
	       in->leader < 0 ? 0 : in->leader);
	if (p->ndone > 0)
		printf("already in place: %d of the servers named\n", p->ndone);
	if (p->nsteps == 0)
		printf("nothing to do\n");
	for (int i = 0; i < p->nsteps; i++) {
		const struct plan_step *s = &p->steps[i];
		struct buf b;

		if (s->kind == STEP_REMOVE)
			plan_step_leaving(s, text, sizeof(text));
		else
			plan_step_joining(s, text, sizeof(text));
		printf("step %d: %s %s\n", i + 1, plan_step_name(s->kind), text);
		buf_init(&b);
		ids_text(&s->after, &b);
		printf("  members after: %s\n", b.data ? b.data : "");
		printf(
		    "  voters %d -> %d, quorum %d -> %d, failures tolerated during %d, after %d\n",
		    s->voters_before, s->voters_after, s->quorum_before, s->quorum_after,
		    s->tolerated_during, s->tolerated_after);
		buf_reset(&b);
		gates_text(s, &b);
		printf("  gates: %s\n", b.data);
		buf_free(&b);
	}
	for (int i = 0; i < p->nwarnings; i++)
		printf("warning: %s\n", p->warnings[i]);
	fflush(stdout);
}

void
ens_print_plan(struct shell *sh, const struct plan_input *in, const struct plan_request *req,
	       const struct plan *p, cJSON *into)
{
	char v[32];
	cJSON *arr;

	(void)sh;
	if (into == NULL) {
		plan_text(in, p);
		return;
	}
	snprintf(v, sizeof(v), "%llx", in->cur->version);
	cJSON_AddStringToObject(into, "version", v);
	cJSON_AddStringToObject(into, "op",
				req->op == PLAN_ADD	 ? "add"
				: req->op == PLAN_REMOVE ? "remove"
							 : "replace");
	cJSON_AddStringToObject(into, "strategy",
				req->strategy == PLAN_SPLIT ? "split" : "sequential");
	if (in->leader >= 0)
		cJSON_AddNumberToObject(into, "leader", in->leader);
	cJSON_AddNumberToObject(into, "already_done", p->ndone);
	arr = cJSON_AddArrayToObject(into, "steps");
	for (int i = 0; i < p->nsteps; i++)
		cJSON_AddItemToArray(arr, step_json(&p->steps[i]));
	arr = cJSON_AddArrayToObject(into, "warnings");
	for (int i = 0; i < p->nwarnings; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(p->warnings[i]));
}
