/* The ensemble's pure parts: dynamic-config parsing/formatting and the planner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ensemble/dynconfig.h"
#include "ensemble/plan.h"
#include "zk/fourlw.h"

static char err[512];

/* ---- dynconfig --------------------------------------------------------- */

static void
server_string_with_every_part_parses(void **state)
{
	struct dc_server s;
	char out[600];

	(void)state;
	assert_int_equal(dc_parse_server("server.4=10.0.0.4:2888:3888:observer;10.0.0.9:2181", &s,
					 err, sizeof(err)),
			 0);
	assert_int_equal(s.id, 4);
	assert_string_equal(s.host, "10.0.0.4");
	assert_int_equal(s.quorum_port, 2888);
	assert_int_equal(s.election_port, 3888);
	assert_int_equal(s.role, DC_OBSERVER);
	assert_string_equal(s.client_host, "10.0.0.9");
	assert_int_equal(s.client_port, 2181);
	dc_format_server(&s, out, sizeof(out));
	assert_string_equal(out, "server.4=10.0.0.4:2888:3888:observer;10.0.0.9:2181");
}

static void
server_string_defaults_role_and_client_host(void **state)
{
	struct dc_server s;
	char out[600];

	(void)state;
	assert_int_equal(dc_parse_server("7=zk7.example:1:2;2181", &s, err, sizeof(err)), 0);
	assert_int_equal(s.id, 7);
	assert_int_equal(s.role, DC_PARTICIPANT);
	assert_int_equal(s.role_given, 0);
	assert_string_equal(s.client_host, "");
	dc_format_server(&s, out, sizeof(out));
	assert_string_equal(out, "server.7=zk7.example:1:2:participant;2181");
	dc_client_address(&s, out, sizeof(out));
	assert_string_equal(out, "zk7.example:2181");
	assert_int_equal(dc_parse_server("server.1=h:1:2", &s, err, sizeof(err)), 0);
	assert_int_equal(s.client_port, 0);
	dc_client_address(&s, out, sizeof(out));
	assert_string_equal(out, "");
}

static void
wildcard_client_address_is_reached_at_the_quorum_host(void **state)
{
	struct dc_server s;
	char out[600];

	(void)state;
	assert_int_equal(dc_parse_server("server.2=127.0.0.5:1:2:participant;0.0.0.0:2182", &s, err,
					 sizeof(err)),
			 0);
	dc_client_address(&s, out, sizeof(out));
	assert_string_equal(out, "127.0.0.5:2182");
}

static void
ipv6_hosts_in_brackets_parse(void **state)
{
	struct dc_server s;
	char out[600];

	(void)state;
	assert_int_equal(dc_parse_server("server.3=[::1]:2888:3888:participant;[::1]:2181", &s, err,
					 sizeof(err)),
			 0);
	assert_string_equal(s.host, "[::1]");
	assert_string_equal(s.client_host, "[::1]");
	dc_format_server(&s, out, sizeof(out));
	assert_string_equal(out, "server.3=[::1]:2888:3888:participant;[::1]:2181");
}

static void
bad_server_strings_are_refused_with_the_reason(void **state)
{
	struct dc_server s;
	static const struct {
		const char *in, *msg;
	} bad[] = {
	    {"", "not a server string"},
	    {"server.x=h:1:2", "bad server id"},
	    {"server.1=h:1", "missing election port"},
	    {"server.1=h:0:2", "bad quorum port"},
	    {"server.1=h:1:70000", "bad election port"},
	    {"server.1=h:1:2:leader", "bad role"},
	    {"server.1=h:1:2;", "bad client port"},
	    {"server.1=h:1:2;h:x", "bad client port"},
	    {"server.1=:1:2", "bad host"},
	    {"server.1=h h:1:2", "bad host"},
	    {"server.1=[::1:1:2", "bad host"},
	    {"server.-1=h:1:2", "bad server id"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(dc_parse_server(bad[i].in, &s, err, sizeof(err)), -1);
		if (strstr(err, bad[i].msg) == NULL)
			fail_msg("'%s': '%s' lacks '%s'", bad[i].in, err, bad[i].msg);
	}
}

static const char *config3 = "server.1=127.0.0.1:2001:3001:participant;127.0.0.1:4001\n"
			     "server.2=127.0.0.1:2002:3002:participant;127.0.0.1:4002\n"
			     "server.3=127.0.0.1:2003:3003:observer;0.0.0.0:4003\n"
			     "version=10000000a\n";

static void
config_text_round_trips_with_its_version(void **state)
{
	struct dc_config c;
	char *text;

	(void)state;
	assert_int_equal(dc_parse_config(config3, &c, err, sizeof(err)), 0);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.version, 0x10000000aLL);
	assert_int_equal(dc_voters(&c), 2);
	assert_non_null(dc_find(&c, 3));
	assert_null(dc_find(&c, 4));
	text = dc_format_config(&c, 1);
	assert_string_equal(text, config3);
	free(text);
	text = dc_format_config(&c, 0);
	assert_null(strstr(text, "version="));
	free(text);
}

static void
config_text_skips_blanks_and_comments_and_refuses_junk(void **state)
{
	struct dc_config c;

	(void)state;
	assert_int_equal(dc_parse_config("# c\n\nserver.1=h:1:2\r\n", &c, err, sizeof(err)), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.version, -1);
	assert_int_equal(dc_parse_config("server.1=h:1:2\nserver.1=h:3:4\n", &c, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "appears twice"));
	assert_int_equal(dc_parse_config("version=zz\n", &c, err, sizeof(err)), -1);
	assert_int_equal(dc_parse_config("clientPort=2181\n", &c, err, sizeof(err)), -1);
	assert_int_equal(dc_parse_config("group.1=1:2\n", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "hierarchical"));
}

static void
quorum_and_tolerance_follow_2n_plus_1(void **state)
{
	static const int q[] = {0, 1, 2, 2, 3, 3, 4, 4, 5, 5};
	static const int t[] = {0, 0, 0, 1, 1, 2, 2, 3, 3, 4};

	(void)state;
	for (int v = 0; v <= 9; v++) {
		assert_int_equal(dc_quorum(v), q[v]);
		assert_int_equal(dc_tolerance(v), t[v]);
	}
}

static void
address_clash_compares_host_and_every_port(void **state)
{
	struct dc_server a, b;

	(void)state;
	dc_parse_server("server.1=h:1:2;3", &a, err, sizeof(err));
	dc_parse_server("server.2=h:4:5;1", &b, err, sizeof(err));
	assert_true(dc_address_clash(&a, &b));
	dc_parse_server("server.2=other:1:2;3", &b, err, sizeof(err));
	assert_false(dc_address_clash(&a, &b));
	dc_parse_server("server.2=H:7:8;9", &b, err, sizeof(err));
	assert_false(dc_address_clash(&a, &b));
}

/* ---- planner ----------------------------------------------------------- */

struct fixture {
	struct dc_config cur;
	struct plan_input in;
	struct plan_request req;
	struct plan plan;
};

static struct dc_server
server(long id, enum dc_role role)
{
	struct dc_server s;
	char text[128];

	snprintf(text, sizeof(text), "server.%ld=127.0.0.1:%ld:%ld:%s;127.0.0.1:%ld", id, 2000 + id,
		 3000 + id, role == DC_OBSERVER ? "observer" : "participant", 4000 + id);
	if (dc_parse_server(text, &s, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return s;
}

static void
set_health(struct fixture *f, long id, int up, int synced)
{
	for (int i = 0; i < f->in.nhealth; i++) {
		if (f->in.health[i].id == id) {
			f->in.health[i].up = up;
			f->in.health[i].synced = synced;
			return;
		}
	}
	f->in.health[f->in.nhealth++] = (struct plan_health){id, up, synced};
}

/* voters 1..v, observers v+1..v+o, all up; joiners v+o+1.. up and synced. */
static struct fixture *
ensemble(int voters, int observers, long leader)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->cur.version = 0x100000000LL;
	for (int i = 1; i <= voters + observers; i++) {
		f->cur.s[f->cur.n++] = server(i, i <= voters ? DC_PARTICIPANT : DC_OBSERVER);
		set_health(f, i, 1, 1);
	}
	for (int i = voters + observers + 1; i <= voters + observers + 12; i++)
		set_health(f, i, 1, 1);
	f->in.cur = &f->cur;
	f->in.leader = leader;
	return f;
}

static void
want_add(struct fixture *f, long id, enum dc_role role)
{
	f->req.op = PLAN_ADD;
	f->req.add[f->req.nadd++] = server(id, role);
}

static void
want_remove(struct fixture *f, long id)
{
	f->req.op = PLAN_REMOVE;
	f->req.remove[f->req.nremove++] = id;
}

static int
make(struct fixture *f)
{
	plan_free(&f->plan);
	return plan_make(&f->in, &f->req, &f->plan);
}

static void
done(struct fixture *f)
{
	plan_free(&f->plan);
	free(f);
}

static void
step_ids(const struct plan_step *s, char *out, size_t outlen)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < s->n; i++)
		len += (size_t)snprintf(out + len, outlen - len, "%s%ld", i ? "," : "",
					s->servers[i].id);
}

static void
assert_step(const struct plan *p, int i, enum step_kind kind, const char *ids, int voters_after)
{
	char got[256];

	assert_true(i < p->nsteps);
	step_ids(&p->steps[i], got, sizeof(got));
	assert_int_equal(p->steps[i].kind, kind);
	assert_string_equal(got, ids);
	assert_int_equal(p->steps[i].voters_after, voters_after);
}

static void
grow_3_to_5_sequential_is_two_steps(void **state)
{
	struct fixture *f = ensemble(3, 0, 1);

	(void)state;
	want_add(f, 4, DC_PARTICIPANT);
	want_add(f, 5, DC_PARTICIPANT);
	assert_int_equal(make(f), 0);
	assert_int_equal(f->plan.nsteps, 2);
	assert_step(&f->plan, 0, STEP_ADD, "4", 4);
	assert_step(&f->plan, 1, STEP_ADD, "5", 5);
	assert_int_equal(f->plan.steps[0].quorum_after, 3);
	assert_int_equal(f->plan.steps[0].tolerated_during, 1);
	assert_int_equal(f->plan.steps[0].tolerated_after, 1);
	assert_int_equal(f->plan.steps[1].tolerated_after, 2);
	assert_int_equal(f->plan.steps[1].after.n, 5);
	assert_int_equal(f->plan.nwarnings, 0);
	done(f);
}

static void
grow_5_to_7_and_3_to_7_split_take_halves(void **state)
{
	struct fixture *f = ensemble(5, 0, 1);

	(void)state;
	f->req.strategy = PLAN_SPLIT;
	want_add(f, 6, DC_PARTICIPANT);
	want_add(f, 7, DC_PARTICIPANT);
	assert_int_equal(make(f), 0);
	assert_int_equal(f->plan.nsteps, 2);
	assert_step(&f->plan, 0, STEP_ADD, "6", 6);
	assert_step(&f->plan, 1, STEP_ADD, "7", 7);
	done(f);

	f = ensemble(3, 0, 1);
	f->req.strategy = PLAN_SPLIT;
	for (int id = 4; id <= 8; id++)
		want_add(f, id, DC_PARTICIPANT);
	/* 3 + 3: the first batch is larger than tolerance(3) + 1 = 2 */
	assert_int_equal(make(f), -1);
	assert_non_null(strstr(f->plan.reason, "more than the current failure tolerance + 1 (2)"));
	f->req.nadd = 4;
	assert_int_equal(make(f), 0);
	assert_step(&f->plan, 0, STEP_ADD, "4,5", 5);
	assert_step(&f->plan, 1, STEP_ADD, "6,7", 7);
	assert_int_equal(f->plan.steps[1].quorum_before, 3);
	assert_int_equal(f->plan.steps[1].quorum_after, 4);
	done(f);
}

static void
a_big_joiner_batch_passes_with_via_observer_or_force(void **state)
{
	struct fixture *f = ensemble(3, 0, 1);

	(void)state;
	f->req.strategy = PLAN_SPLIT;
	for (int id = 4; id <= 9; id++)
		want_add(f, id, DC_PARTICIPANT);
	assert_int_equal(make(f), -1);
	f->req.flags = PLAN_VIA_OBSERVER;
	assert_int_equal(make(f), 0);
	assert_int_equal(f->plan.nsteps, 4);
	assert_step(&f->plan, 0, STEP_ADD_OBSERVER, "4,5,6", 3);
	assert_int_equal(f->plan.steps[0].servers[0].role, DC_OBSERVER);
	assert_step(&f->plan, 1, STEP_PROMOTE, "4,5,6", 6);
	assert_step(&f->plan, 2, STEP_ADD_OBSERVER, "7,8,9", 6);
	assert_step(&f->plan, 3, STEP_PROMOTE, "7,8,9", 9);
	f->req.flags = PLAN_FORCE;
	assert_int_equal(make(f), 0);
	assert_int_equal(f->plan.nsteps, 2);
	done(f);
}

static void
shrink_7_to_3_split_removes_the_leader_last(void **state)
{
	struct fixture *f = ensemble(7, 0, 4);

	(void)state;
	f->req.strategy = PLAN_SPLIT;
	for (int id = 4; id <= 7; id++)
		want_remove(f, id);
	assert_int_equal(make(f), 0);
	assert_int_equal(f->plan.nsteps, 2);
	assert_step(&f->plan, 0, STEP_REMOVE, "5,6", 5);
	assert_step(&f->plan, 1, STEP_REMOVE, "7,4", 3);
	assert_false(f->plan.steps[0].removes_leader);
	assert_true(f->plan.steps[1].removes_leader);
	assert_int_equal(f->plan.steps[1].tolerated_after, 1);
	done(f);
}

static void
sequential_removal_of_the_leader_comes_last(void **state)
{
	struct fixture *f = ensemble(5, 0, 5);

	(void)state;
	want_remove(f, 5);
	want_remove(f, 4);
	assert_int_equal(make(f), 0);
	assert_step(&f->plan, 0, STEP_REMOVE, "4", 4);
	assert_step(&f->plan, 1, STEP_REMOVE, "5", 3);
	assert_true(f->plan.steps[1].removes_leader);
	done(f);
}

static void
going_below_three_voters_needs_force(void **state)
{
	struct fixture *f = ensemble(3, 0, 1);

	(void)state;
	want_remove(f, 3);
	assert_int_equal(make(f), -1);
	assert_non_null(strstr(f->plan.reason, "ends with 2 voters"));
	f->req.flags = PLAN_FORCE;
	assert_int_equal(make(f), 0);
	assert_int_equal(f->plan.nwarnings, 1);
	done(f);
}

static void
removing_a_majority_in_one_step_is_refused(void **state)
{
	struct fixture *f = ensemble(9, 0, 1);

	(void)state;
	f->req.strategy = PLAN_SPLIT;
	for (int id = 2; id <= 6; id++) /* 9 -> 4: first batch of 3 of 9, then 2 of 6 */
		want_remove(f, id);
	assert_int_equal(make(f), 0);
	assert_step(&f->plan, 0, STEP_REMOVE, "2,3,4", 6);
	assert_step(&f->plan, 1, STEP_REMOVE, "5,6", 4);
	assert_int_equal(f->plan.nwarnings, 1);
	assert_non_null(strstr(f->plan.warnings[0], "even"));
	done(f);

	f = ensemble(5, 0, 1);
	f->req.strategy = PLAN_SPLIT;
	want_remove(f, 2);
	want_remove(f, 3);
	want_remove(f, 4);
	want_remove(f, 5);
	f->req.flags = PLAN_FORCE; /* 5 -> 3 -> 1: the second step removes 2 of 3 */
	assert_int_equal(make(f), 0);
	f->req.flags = 0;
	assert_int_equal(make(f), -1);
	done(f);

	f = ensemble(7, 0, 1);
	f->req.strategy = PLAN_SPLIT;
	for (int id = 2; id <= 7; id++) /* 7 -> 1, the first batch removes 3 of 7 then 3 of 4 */
		want_remove(f, id);
	f->req.flags = 0;
	assert_int_equal(make(f), -1);
	assert_non_null(strstr(f->plan.reason, "removes 3 of 4 voters, a majority"));
	done(f);
}

static void
a_joiner_not_running_or_not_synced_is_named(void **state)
{
	struct fixture *f = ensemble(3, 0, 1);

	(void)state;
	want_add(f, 4, DC_PARTICIPANT);
	want_add(f, 5, DC_PARTICIPANT);
	set_health(f, 5, 0, 0);
	assert_int_equal(make(f), -1);
	assert_non_null(strstr(f->plan.reason, "joiner server.5 (127.0.0.1:4005) is not running"));
	set_health(f, 5, 1, 0);
	assert_int_equal(make(f), -1);
	assert_non_null(strstr(f->plan.reason, "not synced"));
	set_health(f, 5, 0, 0);
	f->req.flags = PLAN_STARTS; /* --start-cmd starts it */
	assert_int_equal(make(f), 0);
	assert_int_equal(f->plan.nsteps, 2);
	done(f);
}

static void
a_member_down_needs_force_but_replace_allows_a_down_old(void **state)
{
	struct fixture *f = ensemble(5, 0, 1);

	(void)state;
	set_health(f, 2, 0, 0);
	want_add(f, 6, DC_PARTICIPANT);
	assert_int_equal(make(f), -1);
	assert_non_null(strstr(f->plan.reason, "member server.2 (127.0.0.1:4002) is down"));
	f->req.flags = PLAN_FORCE;
	assert_int_equal(make(f), 0);
	done(f);

	f = ensemble(3, 0, 1);
	set_health(f, 2, 0, 0);
	f->req.op = PLAN_REPLACE;
	f->req.remove[f->req.nremove++] = 2;
	f->req.add[f->req.nadd++] = server(4, DC_PARTICIPANT);
	assert_int_equal(make(f), 0);
	assert_int_equal(f->plan.nsteps, 2);
	assert_step(&f->plan, 0, STEP_ADD, "4", 4);
	assert_step(&f->plan, 1, STEP_REMOVE, "2", 3);
	/* 4 voters, one down: quorum 3 of the 3 up, no failure to spare */
	assert_int_equal(f->plan.steps[0].tolerated_after, 0);
	assert_int_equal(f->plan.steps[1].tolerated_after, 1);
	/* replace with another member down too is refused */
	set_health(f, 3, 0, 0);
	assert_int_equal(make(f), -1);
	done(f);
}

static void
ids_and_addresses_in_use_are_refused(void **state)
{
	struct fixture *f = ensemble(3, 0, 1);
	struct dc_server s;

	(void)state;
	f->req.op = PLAN_ADD;
	dc_parse_server("server.2=127.0.0.1:9:8:participant;127.0.0.1:7", &s, err, sizeof(err));
	f->req.add[f->req.nadd++] = s;
	assert_int_equal(make(f), -1);
	assert_non_null(strstr(f->plan.reason, "server id 2 is already in use"));
	dc_parse_server("server.9=127.0.0.1:9:8:participant;127.0.0.1:4001", &s, err, sizeof(err));
	f->req.add[0] = s;
	assert_int_equal(make(f), -1);
	assert_non_null(strstr(f->plan.reason, "already in use by server.1"));
	dc_parse_server("server.9=127.0.0.1:9:8:participant", &s, err, sizeof(err));
	f->req.add[0] = s;
	assert_int_equal(make(f), -1);
	assert_non_null(strstr(f->plan.reason, "no client port"));
	f->req.add[0] = server(4, DC_PARTICIPANT);
	f->req.add[f->req.nadd++] = server(4, DC_PARTICIPANT);
	assert_int_equal(make(f), -1);
	assert_non_null(strstr(f->plan.reason, "named twice"));
	done(f);
}

static void
steps_already_in_place_are_skipped_so_a_rerun_resumes(void **state)
{
	struct fixture *f = ensemble(4, 0, 1); /* 4 was added by an interrupted run */

	(void)state;
	want_add(f, 4, DC_PARTICIPANT);
	want_add(f, 5, DC_PARTICIPANT);
	assert_int_equal(make(f), 0);
	assert_int_equal(f->plan.ndone, 1);
	assert_int_equal(f->plan.nsteps, 1);
	assert_step(&f->plan, 0, STEP_ADD, "5", 5);
	done(f);

	f = ensemble(5, 0, 1);
	want_add(f, 4, DC_PARTICIPANT);
	want_add(f, 5, DC_PARTICIPANT);
	assert_int_equal(make(f), 0);
	assert_int_equal(f->plan.nsteps, 0);
	assert_int_equal(f->plan.ndone, 2);
	done(f);

	f = ensemble(3, 0, 1);
	want_remove(f, 7);
	f->req.flags = PLAN_FORCE;
	assert_int_equal(make(f), 0);
	assert_int_equal(f->plan.nsteps, 0);
	done(f);

	/* via-observer: 4 is an observer already, only its promotion is left */
	f = ensemble(3, 1, 1);
	f->req.flags = PLAN_VIA_OBSERVER;
	want_add(f, 4, DC_PARTICIPANT);
	want_add(f, 5, DC_PARTICIPANT);
	f->req.strategy = PLAN_SPLIT;
	assert_int_equal(make(f), 0);
	assert_int_equal(f->plan.nsteps, 3);
	assert_step(&f->plan, 0, STEP_PROMOTE, "4", 4);
	assert_step(&f->plan, 1, STEP_ADD_OBSERVER, "5", 4);
	assert_step(&f->plan, 2, STEP_PROMOTE, "5", 5);
	done(f);
}

static void
observers_count_as_members_but_not_voters(void **state)
{
	struct fixture *f = ensemble(3, 2, 1);

	(void)state;
	want_add(f, 6, DC_OBSERVER);
	assert_int_equal(make(f), 0);
	assert_step(&f->plan, 0, STEP_ADD, "6", 3);
	assert_int_equal(f->plan.steps[0].after.n, 6);
	assert_int_equal(f->plan.steps[0].tolerated_after, 1);
	memset(&f->req, 0, sizeof(f->req));
	want_remove(f, 4);
	want_remove(f, 5);
	f->req.strategy = PLAN_SPLIT;
	assert_int_equal(make(f), 0);
	assert_step(&f->plan, 0, STEP_REMOVE, "4", 3);
	assert_step(&f->plan, 1, STEP_REMOVE, "5", 3);
	done(f);
}

/* One shape: v voters, o observers, the leader id v; k servers added or removed. */
static void
check_shape(int v, int o, int k, enum plan_strategy strat, int rem)
{
	struct fixture *f = ensemble(v, o, v);
	int final = rem ? v - k : v + k, rc;

	f->req.strategy = strat;
	for (int i = 0; i < k; i++) {
		if (rem)
			want_remove(f, v - i);
		else
			want_add(f, v + o + 1 + i, DC_PARTICIPANT);
	}
	rc = make(f);
	if (final < 3)
		assert_int_equal(rc, -1);
	if (rc != 0) {
		assert_true(f->plan.reason[0] != '\0');
		done(f);
		return;
	}
	assert_true(f->plan.nsteps >= 1);
	assert_int_equal(f->plan.steps[f->plan.nsteps - 1].voters_after, final);
	if (strat == PLAN_SPLIT)
		assert_true(f->plan.nsteps <= 2);
	else
		assert_int_equal(f->plan.nsteps, k);
	for (int s = 0; s < f->plan.nsteps; s++) {
		const struct plan_step *st = &f->plan.steps[s];
		assert_true(st->tolerated_after >= 0);
		assert_true(st->tolerated_during <= st->tolerated_after);
		assert_int_equal(st->quorum_after, st->voters_after / 2 + 1);
		if (st->removes_leader)
			assert_int_equal(s, f->plan.nsteps - 1);
	}
	assert_int_equal(f->plan.nwarnings > 0, final % 2 == 0);
	done(f);
}

/* Every shape of 1..9 voters and 0..2 observers, growing and shrinking by up to 4. */
static void
many_shapes_keep_the_invariants(void **state)
{
	(void)state;
	for (int v = 1; v <= 9; v++)
		for (int o = 0; o <= 2; o++)
			for (int k = 1; k <= 4; k++)
				for (int strat = 0; strat < 2; strat++)
					for (int rem = 0; rem < 2; rem++)
						if (!rem || k < v)
							check_shape(v, o, k,
								    (enum plan_strategy)strat, rem);
}

static void
step_strings_are_what_reconfig_takes(void **state)
{
	struct fixture *f = ensemble(5, 0, 1);
	char out[2048];

	(void)state;
	f->req.strategy = PLAN_SPLIT;
	want_add(f, 6, DC_PARTICIPANT);
	want_add(f, 7, DC_PARTICIPANT);
	want_add(f, 8, DC_PARTICIPANT);
	want_add(f, 9, DC_PARTICIPANT);
	assert_int_equal(make(f), 0);
	plan_step_joining(&f->plan.steps[0], out, sizeof(out));
	assert_string_equal(out, "server.6=127.0.0.1:2006:3006:participant;127.0.0.1:4006,"
				 "server.7=127.0.0.1:2007:3007:participant;127.0.0.1:4007");
	plan_step_leaving(&f->plan.steps[0], out, sizeof(out));
	assert_string_equal(out, "");
	assert_false(plan_step_applied(&f->plan.steps[0], &f->cur));
	assert_true(plan_step_applied(&f->plan.steps[0], &f->plan.steps[0].after));
	done(f);

	f = ensemble(5, 0, 1);
	want_remove(f, 4);
	want_remove(f, 5);
	f->req.strategy = PLAN_SPLIT;
	assert_int_equal(make(f), 0);
	plan_step_leaving(&f->plan.steps[0], out, sizeof(out));
	assert_string_equal(out, "4");
	assert_true(plan_step_applied(&f->plan.steps[1], &f->plan.steps[1].after));
	done(f);
}

/* ---- four-letter words ------------------------------------------------- */

static const char *srvr_follower =
    "Zookeeper version: 3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f, "
    "built on 2022-02-25 08:49 UTC\n"
    "Latency min/avg/max: 0/1.2857/7\n"
    "Received: 42\n"
    "Sent: 41\n"
    "Connections: 2\n"
    "Outstanding: 0\n"
    "Zxid: 0x20000001b\n"
    "Mode: follower\n"
    "Node count: 7\n";

static void
srvr_reply_parses_into_fields(void **state)
{
	struct fourlw_srvr s;

	(void)state;
	assert_int_equal(fourlw_parse_srvr(srvr_follower, &s), 0);
	assert_true(s.serving);
	assert_string_equal(s.mode, "follower");
	assert_int_equal(s.zxid, 0x20000001bLL);
	assert_int_equal(s.lat_min, 0);
	assert_int_equal(s.lat_max, 7);
	assert_true(s.lat_avg > 1.28 && s.lat_avg < 1.29);
	assert_int_equal(s.received, 42);
	assert_int_equal(s.connections, 2);
	assert_int_equal(s.node_count, 7);
	assert_non_null(strstr(s.version, "3.8.0"));
}

static void
srvr_of_a_server_not_serving_and_junk_are_told_apart(void **state)
{
	struct fourlw_srvr s;

	(void)state;
	assert_int_equal(
	    fourlw_parse_srvr("This ZooKeeper instance is not currently serving requests\n", &s),
	    0);
	assert_false(s.serving);
	assert_int_equal(s.zxid, -1);
	assert_int_equal(fourlw_parse_srvr("", &s), -1);
	assert_int_equal(fourlw_parse_srvr("hello\nMode: leader\n", &s), -1);
}

static void
whitelist_refusal_is_detected(void **state)
{
	(void)state;
	assert_true(fourlw_refused("mntr is not executed because it is not in the whitelist.\n"));
	assert_false(fourlw_refused(srvr_follower));
	assert_false(fourlw_refused(NULL));
}

static void
mntr_and_conf_pairs_parse(void **state)
{
	struct fourlw_kv kv[8];
	int n;

	(void)state;
	n = fourlw_parse_mntr("zk_version\t3.8.0\nzk_server_state\tleader\nzk_znode_count\t5\n"
			      "junk line\n",
			      kv, 8);
	assert_int_equal(n, 3);
	assert_string_equal(fourlw_get(kv, n, "zk_server_state"), "leader");
	assert_string_equal(fourlw_get(kv, n, "zk_znode_count"), "5");
	assert_null(fourlw_get(kv, n, "zk_missing"));
	n = fourlw_parse_conf("clientPort=2181\nserver.1=h:1:2:participant;0.0.0.0:2181\n"
			      "version=100000000\n",
			      kv, 2);
	assert_int_equal(n, 2);
	assert_string_equal(fourlw_get(kv, n, "server.1"), "h:1:2:participant;0.0.0.0:2181");
}

static void
query_to_a_closed_port_fails_with_a_reason(void **state)
{
	char *out = NULL, e[256];

	(void)state;
	/* port 1 on loopback: nothing listens there */
	assert_int_equal(fourlw_query("127.0.0.1:1", "srvr", 1000, &out, e, sizeof(e)), -1);
	assert_null(out);
	assert_true(e[0] != '\0');
	assert_int_equal(fourlw_query("nocolon", "srvr", 1000, &out, e, sizeof(e)), -1);
	assert_non_null(strstr(e, "bad address"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(server_string_with_every_part_parses),
	    cmocka_unit_test(server_string_defaults_role_and_client_host),
	    cmocka_unit_test(wildcard_client_address_is_reached_at_the_quorum_host),
	    cmocka_unit_test(ipv6_hosts_in_brackets_parse),
	    cmocka_unit_test(bad_server_strings_are_refused_with_the_reason),
	    cmocka_unit_test(config_text_round_trips_with_its_version),
	    cmocka_unit_test(config_text_skips_blanks_and_comments_and_refuses_junk),
	    cmocka_unit_test(quorum_and_tolerance_follow_2n_plus_1),
	    cmocka_unit_test(address_clash_compares_host_and_every_port),
	    cmocka_unit_test(grow_3_to_5_sequential_is_two_steps),
	    cmocka_unit_test(grow_5_to_7_and_3_to_7_split_take_halves),
	    cmocka_unit_test(a_big_joiner_batch_passes_with_via_observer_or_force),
	    cmocka_unit_test(shrink_7_to_3_split_removes_the_leader_last),
	    cmocka_unit_test(sequential_removal_of_the_leader_comes_last),
	    cmocka_unit_test(going_below_three_voters_needs_force),
	    cmocka_unit_test(removing_a_majority_in_one_step_is_refused),
	    cmocka_unit_test(a_joiner_not_running_or_not_synced_is_named),
	    cmocka_unit_test(a_member_down_needs_force_but_replace_allows_a_down_old),
	    cmocka_unit_test(ids_and_addresses_in_use_are_refused),
	    cmocka_unit_test(steps_already_in_place_are_skipped_so_a_rerun_resumes),
	    cmocka_unit_test(observers_count_as_members_but_not_voters),
	    cmocka_unit_test(many_shapes_keep_the_invariants),
	    cmocka_unit_test(step_strings_are_what_reconfig_takes),
	    cmocka_unit_test(srvr_reply_parses_into_fields),
	    cmocka_unit_test(srvr_of_a_server_not_serving_and_junk_are_told_apart),
	    cmocka_unit_test(whitelist_refusal_is_detected),
	    cmocka_unit_test(mntr_and_conf_pairs_parse),
	    cmocka_unit_test(query_to_a_closed_port_fails_with_a_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
