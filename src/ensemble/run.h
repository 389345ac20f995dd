/*
 * The ensemble commands' shared machinery: reading the configuration,
 * gathering health for the planner, printing a plan, and the executor that
 * runs one (exec.c; the rest is in view.c). The commands live in cmd/ensemble.c.
 */
#ifndef ZKSH_ENSEMBLE_RUN_H
#define ZKSH_ENSEMBLE_RUN_H

#include <cjson/cJSON.h>

#include "ensemble/dynconfig.h"
#include "ensemble/plan.h"

struct shell;

#define ENS_CONFIG_NODE "/zookeeper/config"

struct ens_opts {
	int yes;
	int dry_run;
	int step_timeout_ms;
	const char *start_cmd;
	const char *stop_cmd;
};

/* sync (when asked) and read /zookeeper/config; a ZooKeeper rc, or ZBADARGUMENTS
 * with a message already reported when the text does not parse. */
int ens_read_config(struct shell *sh, int sync, struct dc_config *out);

/*
 * Fill in->health for every member of cur and every joiner of req: up
 * (serving) and synced (zxid caught up with the leader's, waited for up to
 * wait_ms), and in->leader.
 */
void ens_gather(struct shell *sh, const struct dc_config *cur, const struct plan_request *req,
		int wait_ms, struct plan_input *in);

/* The plan as a record: its text and its JSON form. */
void ens_print_plan(struct shell *sh, const struct plan_input *in, const struct plan_request *req,
		    const struct plan *p);
/* The two forms themselves (the caller frees both), for the plan event. */
void ens_plan_forms(const struct plan_input *in, const struct plan_request *req,
		    const struct plan *p, cJSON **json, char **text);

/* Plan and, unless dry_run, run it. Returns an exit code. */
int ens_execute(struct shell *sh, const struct ens_opts *o, const struct plan_request *req);

/* A message for a reconfig error that says what to do. */
const char *ens_reconfig_advice(int rc);

#endif
