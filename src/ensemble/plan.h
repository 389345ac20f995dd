/*
 * The membership-change planner. Pure: it gets the current configuration,
 * what is known of each server's health, and the request; it returns the
 * reconfig steps with their numbers, or a refusal with the reason. The
 * executor (cmd/ensemble.c) runs the steps; `ensemble plan` prints them.
 *
 * Rules (issue 11, "Ensemble changes"):
 * - sequential: one server per step, in the order given; split: two
 *   batches, the first ceil(k/2) servers, then the rest.
 * - A server already in place (added with the same addresses and role, or
 *   already removed) makes no step: re-running a plan resumes it.
 * - Refused unless --force: fewer than three voters at the end, a current
 *   member down (replace allows its OLD to be down), a joiner batch larger
 *   than the current failure tolerance + 1 (--via-observer also lifts it),
 *   removing a majority of the voters in one step.
 * - Always refused: a joiner not up (unless the executor starts it), an id
 *   or address already in use, removing a server that is not a member and
 *   not named for removal, a step after which the up voters are no quorum.
 * - The leader is removed in the last step; a plan ending with an even
 *   number of voters carries a warning.
 */
#ifndef ZKSH_ENSEMBLE_PLAN_H
#define ZKSH_ENSEMBLE_PLAN_H

#include "ensemble/dynconfig.h"

#define PLAN_MAX_STEPS	(2 * DC_MAX_SERVERS + 2)
#define PLAN_MAX_HEALTH (2 * DC_MAX_SERVERS)

enum plan_op {
	PLAN_ADD,
	PLAN_REMOVE,
	PLAN_REPLACE,
};

enum plan_strategy {
	PLAN_SEQUENTIAL,
	PLAN_SPLIT,
};

#define PLAN_VIA_OBSERVER 0x01
#define PLAN_FORCE	  0x02
#define PLAN_STARTS	  0x04 /* the executor starts joiners (--start-cmd): down is fine */

struct plan_health {
	long id;
	int up;	    /* answers srvr and serves */
	int synced; /* its zxid has caught up with the leader's */
};

struct plan_input {
	const struct dc_config *cur;
	long leader; /* -1: unknown or none */
	int nhealth;
	struct plan_health health[PLAN_MAX_HEALTH]; /* ids not listed are down */
};

struct plan_request {
	enum plan_op op;
	enum plan_strategy strategy;
	unsigned flags;
	/* add: the joiners; replace: NEW of each pair */
	int nadd;
	struct dc_server add[DC_MAX_SERVERS];
	/* remove: the ids; replace: OLD of each pair (pairs: remove[i], add[i]) */
	int nremove;
	long remove[DC_MAX_SERVERS];
};

enum step_kind {
	STEP_ADD,	   /* -add of participants (or of observers given as such) */
	STEP_ADD_OBSERVER, /* --via-observer: the joiners enter as observers */
	STEP_PROMOTE,	   /* --via-observer: -add of the same servers as participants */
	STEP_REMOVE,	   /* -remove */
};

struct plan_step {
	enum step_kind kind;
	int n;
	struct dc_server servers[DC_MAX_SERVERS]; /* for STEP_REMOVE only id matters */
	struct dc_config after;			  /* membership after the step (no version) */
	int voters_before, voters_after;
	int quorum_before, quorum_after;
	int tolerated_during; /* failures of up voters the step survives while it runs */
	int tolerated_after;
	int removes_leader;
};

struct plan {
	int nsteps;
	struct plan_step *steps; /* nsteps of them; plan_free */
	int ndone;		 /* servers of the request already in place */
	int refused;
	char reason[1024];
	int nwarnings;
	char warnings[4][256];
};

/* Make the plan. Returns 0, or -1 when refused (the reason is in out->reason). */
int plan_make(const struct plan_input *in, const struct plan_request *req, struct plan *out);
void plan_free(struct plan *p);

/* Health of id in in, or NULL (down). */
const struct plan_health *plan_health_of(const struct plan_input *in, long id);

/* The -add string for a step ("server.4=...,server.5=..."), the -remove string ("4,5"). */
void plan_step_joining(const struct plan_step *s, char *out, size_t outlen);
void plan_step_leaving(const struct plan_step *s, char *out, size_t outlen);

/* 1 when cur already shows the step applied (ids present with the same role / gone). */
int plan_step_applied(const struct plan_step *s, const struct dc_config *cur);

/* Words for a step kind: "add", "add as observers", "promote", "remove". */
const char *plan_step_name(enum step_kind k);

#endif
