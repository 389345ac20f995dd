/* The membership-change planner (pure; the rules are in plan.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ensemble/plan.h"
#include "util.h"

static int refuse(struct plan *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
refuse(struct plan *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
	p->refused = 1;
	return -1;
}

static void warn(struct plan *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
warn(struct plan *p, const char *fmt, ...)
{
	va_list ap;

	if (p->nwarnings >= 4)
		return;
	va_start(ap, fmt);
	vsnprintf(p->warnings[p->nwarnings++], sizeof(p->warnings[0]), fmt, ap);
	va_end(ap);
}

const struct plan_health *
plan_health_of(const struct plan_input *in, long id)
{
	for (int i = 0; i < in->nhealth; i++)
		if (in->health[i].id == id)
			return &in->health[i];
	return NULL;
}

static int
is_up(const struct plan_input *in, long id)
{
	const struct plan_health *h = plan_health_of(in, id);

	return h != NULL && h->up;
}

const char *
plan_step_name(enum step_kind k)
{
	switch (k) {
	case STEP_ADD:
		return "add";
	case STEP_ADD_OBSERVER:
		return "add as observer";
	case STEP_PROMOTE:
		return "promote to participant";
	case STEP_REMOVE:
		return "remove";
	}
	return "?";
}

/* ---- the request, checked against the configuration ------------------- */

struct work {
	const struct plan_input *in;
	const struct plan_request *req;
	struct plan *p;
	int nadd; /* joiners still to add (or to promote) */
	struct dc_server add[DC_MAX_SERVERS];
	int promote_only[DC_MAX_SERVERS]; /* already an observer: only the promotion is left */
	int nrem;
	long rem[DC_MAX_SERVERS];
};

/* The role a joiner should end with. */
static enum dc_role
target_role(const struct plan_request *req, const struct dc_server *s)
{
	if (req->flags & PLAN_VIA_OBSERVER)
		return DC_PARTICIPANT;
	return s->role;
}

static int
is_removed(const struct plan_request *req, long id)
{
	for (int i = 0; i < req->nremove; i++)
		if (req->remove[i] == id)
			return 1;
	return 0;
}

static int
check_joiner(struct work *w, int i)
{
	const struct dc_config *cur = w->in->cur;
	struct dc_server want = w->req->add[i];
	const struct dc_server *have;
	char str[600];

	want.role = target_role(w->req, &want);
	dc_format_server(&want, str, sizeof(str));
	if (want.client_port <= 0)
		return refuse(w->p,
			      "%s has no client port: zksh needs one to check that the joiner "
			      "is up and synced (add ;<clientPort>)",
			      str);
	for (int j = 0; j < i; j++)
		if (w->req->add[j].id == want.id || dc_address_clash(&w->req->add[j], &want))
			return refuse(w->p, "%s is named twice (same id or address)", str);
	have = dc_find(cur, want.id);
	if (have != NULL && dc_same(have, &want)) {
		w->p->ndone++;
		return 0;
	}
	if (have != NULL && (w->req->flags & PLAN_VIA_OBSERVER) && have->role == DC_OBSERVER) {
		struct dc_server obs = want;
		obs.role = DC_OBSERVER;
		if (dc_same(have, &obs)) {
			w->promote_only[w->nadd] = 1;
			w->add[w->nadd++] = want;
			return 0;
		}
	}
	if (have != NULL && !is_removed(w->req, want.id)) {
		char hs[600];
		dc_format_server(have, hs, sizeof(hs));
		return refuse(w->p, "server id %ld is already in use: %s", want.id, hs);
	}
	for (int j = 0; j < cur->n; j++) {
		if (cur->s[j].id == want.id || !dc_address_clash(&cur->s[j], &want))
			continue;
		char hs[600];
		dc_format_server(&cur->s[j], hs, sizeof(hs));
		return refuse(w->p, "%s: its address is already in use by %s", str, hs);
	}
	w->promote_only[w->nadd] = 0;
	w->add[w->nadd++] = want;
	return 0;
}

static int
check_joiner_health(struct work *w)
{
	if (w->req->flags & PLAN_STARTS)
		return 0;
	for (int i = 0; i < w->nadd; i++) {
		const struct plan_health *h = plan_health_of(w->in, w->add[i].id);
		char addr[DC_HOST_MAX + 8];

		dc_client_address(&w->add[i], addr, sizeof(addr));
		if (h == NULL || !h->up)
			return refuse(w->p,
				      "joiner server.%ld (%s) is not running: start it first "
				      "(ensemble joiner-config prints what it needs) or give "
				      "--start-cmd",
				      w->add[i].id, addr);
		if (!h->synced)
			return refuse(w->p,
				      "joiner server.%ld (%s) is up but not synced with the "
				      "leader",
				      w->add[i].id, addr);
	}
	return 0;
}

static int
check_removals(struct work *w)
{
	const struct dc_config *cur = w->in->cur;

	for (int i = 0; i < w->req->nremove; i++) {
		long id = w->req->remove[i];

		for (int j = 0; j < i; j++)
			if (w->req->remove[j] == id)
				return refuse(w->p, "server %ld is named twice", id);
		if (dc_find(cur, id) == NULL) {
			w->p->ndone++;
			continue;
		}
		w->rem[w->nrem++] = id;
	}
	return 0;
}

static int
check_members_up(struct work *w)
{
	const struct dc_config *cur = w->in->cur;

	if (w->req->flags & PLAN_FORCE)
		return 0;
	for (int i = 0; i < cur->n; i++) {
		long id = cur->s[i].id;
		char addr[DC_HOST_MAX + 8];

		if (is_up(w->in, id))
			continue;
		if (w->req->op == PLAN_REPLACE && is_removed(w->req, id))
			continue; /* replacing a dead member is what replace is for */
		dc_client_address(&cur->s[i], addr, sizeof(addr));
		return refuse(w->p,
			      "member server.%ld (%s) is down: bring it back first, replace it, "
			      "or give --force",
			      id, addr[0] ? addr : cur->s[i].host);
	}
	return 0;
}

/* ---- steps ------------------------------------------------------------- */

static int
count_up_voters(const struct plan_input *in, const struct dc_config *c, unsigned flags,
		const struct dc_config *cur)
{
	int up = 0;

	for (int i = 0; i < c->n; i++) {
		if (c->s[i].role != DC_PARTICIPANT)
			continue;
		/* a joiner the executor will start counts as up */
		if (is_up(in, c->s[i].id) ||
		    ((flags & PLAN_STARTS) && dc_find(cur, c->s[i].id) == NULL))
			up++;
	}
	return up;
}

static void
apply_step(struct dc_config *c, const struct plan_step *s)
{
	for (int i = 0; i < s->n; i++) {
		int k = dc_index(c, s->servers[i].id);

		if (s->kind == STEP_REMOVE) {
			if (k >= 0) {
				memmove(&c->s[k], &c->s[k + 1],
					sizeof(c->s[0]) * (size_t)(c->n - k - 1));
				c->n--;
			}
		} else if (k >= 0) {
			c->s[k] = s->servers[i];
		} else if (c->n < DC_MAX_SERVERS) {
			c->s[c->n++] = s->servers[i];
		}
	}
}

struct builder {
	struct work *w;
	struct dc_config conf; /* the membership so far */
	struct dc_config base; /* the membership before the plan, for PLAN_STARTS */
	int cap;
};

static struct plan_step *
new_step(struct builder *b, enum step_kind kind)
{
	struct plan *p = b->w->p;
	struct plan_step *s;

	if (p->nsteps == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4;
		p->steps = xrealloc(p->steps, sizeof(*p->steps) * (size_t)b->cap);
	}
	s = &p->steps[p->nsteps];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	return s;
}

static int
check_step(struct builder *b, struct plan_step *s)
{
	struct work *w = b->w;
	unsigned flags = w->req->flags;
	int idx = w->p->nsteps + 1;
	int up_before = count_up_voters(w->in, &b->conf, flags, &b->base);
	int up_after, new_voters = 0, gone_voters = 0;

	s->after = b->conf;
	s->after.version = -1;
	apply_step(&s->after, s);
	s->voters_before = dc_voters(&b->conf);
	s->voters_after = dc_voters(&s->after);
	s->quorum_before = dc_quorum(s->voters_before);
	s->quorum_after = dc_quorum(s->voters_after);
	up_after = count_up_voters(w->in, &s->after, flags, &b->base);
	s->tolerated_after = up_after - s->quorum_after;
	s->tolerated_during = up_before - s->quorum_before;
	if (s->tolerated_after < s->tolerated_during)
		s->tolerated_during = s->tolerated_after;
	for (int i = 0; i < s->n; i++) {
		const struct dc_server *old = dc_find(&b->conf, s->servers[i].id);
		int was = old != NULL && old->role == DC_PARTICIPANT;
		int is = s->kind != STEP_REMOVE && s->servers[i].role == DC_PARTICIPANT;
		new_voters += !was && is;
		gone_voters += was && !is;
		if (s->kind == STEP_REMOVE && s->servers[i].id == w->in->leader)
			s->removes_leader = 1;
	}
	if (s->voters_after == 0)
		return refuse(w->p, "step %d would leave no voters", idx);
	if (up_after < s->quorum_after)
		return refuse(w->p,
			      "step %d: only %d of the %d voters after it are up, and its quorum "
			      "is %d",
			      idx, up_after, s->voters_after, s->quorum_after);
	if (!(flags & (PLAN_FORCE | PLAN_VIA_OBSERVER)) &&
	    new_voters > dc_tolerance(s->voters_before) + 1)
		return refuse(w->p,
			      "step %d adds %d voters to %d: more than the current failure "
			      "tolerance + 1 (%d), the joiners could outvote the members; use "
			      "--strategy sequential, --via-observer or --force",
			      idx, new_voters, s->voters_before,
			      dc_tolerance(s->voters_before) + 1);
	if (!(flags & PLAN_FORCE) && gone_voters > 0 && 2 * gone_voters > s->voters_before)
		return refuse(w->p,
			      "step %d removes %d of %d voters, a majority, in one step; use "
			      "--strategy sequential or split, or --force",
			      idx, gone_voters, s->voters_before);
	b->conf = s->after;
	w->p->nsteps++;
	return 0;
}

/* One step of kind over the joiners add[from..to), with role forced when >= 0. */
static int
add_step(struct builder *b, enum step_kind kind, int from, int to, int role, int skip_promote_only)
{
	struct work *w = b->w;
	struct plan_step *s = new_step(b, kind);

	for (int i = from; i < to; i++) {
		if (skip_promote_only && w->promote_only[i])
			continue;
		s->servers[s->n] = w->add[i];
		if (role >= 0)
			s->servers[s->n].role = (enum dc_role)role;
		s->n++;
	}
	if (s->n == 0)
		return 0; /* nothing of this kind left in the batch */
	return check_step(b, s);
}

static int
add_batch(struct builder *b, int from, int to)
{
	if (!(b->w->req->flags & PLAN_VIA_OBSERVER))
		return add_step(b, STEP_ADD, from, to, -1, 0);
	if (add_step(b, STEP_ADD_OBSERVER, from, to, DC_OBSERVER, 1) != 0)
		return -1;
	return add_step(b, STEP_PROMOTE, from, to, DC_PARTICIPANT, 0);
}

static int
remove_batch(struct builder *b, const long *ids, int n)
{
	struct plan_step *s = new_step(b, STEP_REMOVE);

	for (int i = 0; i < n; i++) {
		const struct dc_server *m = dc_find(&b->conf, ids[i]);
		if (m != NULL)
			s->servers[s->n++] = *m;
	}
	if (s->n == 0)
		return 0;
	return check_step(b, s);
}

/* Batch boundaries: sequential 1 each; split ceil(k/2) then the rest. */
static int
batch_end(const struct plan_request *req, int from, int k)
{
	if (req->strategy == PLAN_SEQUENTIAL)
		return from + 1;
	if (from == 0)
		return (k + 1) / 2;
	return k;
}

/* Move the leader to the end of ids, keeping the others' order. */
static void
leader_last(long *ids, int n, long leader)
{
	for (int i = 0; i < n - 1; i++) {
		if (ids[i] != leader)
			continue;
		memmove(&ids[i], &ids[i + 1], sizeof(ids[0]) * (size_t)(n - i - 1));
		ids[n - 1] = leader;
		return;
	}
}

static int
build_add(struct builder *b)
{
	struct work *w = b->w;

	for (int from = 0; from < w->nadd;) {
		int to = batch_end(w->req, from, w->nadd);
		if (add_batch(b, from, to) != 0)
			return -1;
		from = to;
	}
	return 0;
}

static int
build_remove(struct builder *b)
{
	struct work *w = b->w;

	leader_last(w->rem, w->nrem, w->in->leader);
	for (int from = 0; from < w->nrem;) {
		int to = batch_end(w->req, from, w->nrem);
		if (remove_batch(b, w->rem + from, to - from) != 0)
			return -1;
		from = to;
	}
	return 0;
}

/* Pairs: OLD remove[i] is replaced by NEW add[i]; add NEW, then remove OLD. */
static int
build_replace(struct builder *b)
{
	struct work *w = b->w;
	const struct plan_request *req = w->req;
	int order[DC_MAX_SERVERS], n = req->nremove, last = -1;

	for (int i = 0, k = 0; i < n; i++) {
		if (req->remove[i] == w->in->leader)
			last = i;
		else
			order[k++] = i;
	}
	if (last >= 0)
		order[n - 1] = last;
	for (int k = 0; k < n; k++) {
		int i = order[k];
		for (int j = 0; j < w->nadd; j++) {
			if (w->add[j].id != req->add[i].id)
				continue;
			if (add_batch(b, j, j + 1) != 0)
				return -1;
		}
		if (remove_batch(b, &req->remove[i], 1) != 0)
			return -1;
	}
	return 0;
}

static int
check_request(struct work *w)
{
	const struct plan_request *req = w->req;

	if (req->op == PLAN_ADD && (req->nadd == 0 || req->nremove != 0))
		return refuse(w->p, "add needs one or more server strings");
	if (req->op == PLAN_REMOVE && (req->nremove == 0 || req->nadd != 0))
		return refuse(w->p, "remove needs one or more server ids");
	if (req->op == PLAN_REPLACE && (req->nadd == 0 || req->nadd != req->nremove))
		return refuse(w->p, "replace needs pairs: OLD NEW [OLD NEW...]");
	for (int i = 0; i < req->nadd; i++)
		if (check_joiner(w, i) != 0)
			return -1;
	if (check_removals(w) != 0)
		return -1;
	for (int i = 0; i < req->nremove && req->op == PLAN_REPLACE; i++)
		if (req->remove[i] == req->add[i].id)
			return refuse(w->p, "replace %ld by itself: give the new server another id",
				      req->remove[i]);
	if (w->nadd == 0 && w->nrem == 0)
		return 0;
	if (check_members_up(w) != 0)
		return -1;
	return check_joiner_health(w);
}

int
plan_make(const struct plan_input *in, const struct plan_request *req, struct plan *out)
{
	struct work *w = xcalloc(1, sizeof(*w));
	struct builder *b = xcalloc(1, sizeof(*b));
	int rc;

	memset(out, 0, sizeof(*out));
	w->in = in;
	w->req = req;
	w->p = out;
	b->w = w;
	b->conf = *in->cur;
	b->base = *in->cur;
	rc = check_request(w);
	if (rc == 0 && req->op == PLAN_ADD)
		rc = build_add(b);
	else if (rc == 0 && req->op == PLAN_REMOVE)
		rc = build_remove(b);
	else if (rc == 0)
		rc = build_replace(b);
	if (rc == 0 && out->nsteps > 0) {
		int v = out->steps[out->nsteps - 1].voters_after;
		if (v < 3 && !(req->flags & PLAN_FORCE))
			rc = refuse(out,
				    "the plan ends with %d voter%s: fewer than three tolerate no "
				    "failure; give --force to do it anyway",
				    v, v == 1 ? "" : "s");
		else if (v % 2 == 0)
			warn(out,
			     "the plan ends with %d voters, an even number: it tolerates %d "
			     "failure%s, no more than %d voters would",
			     v, dc_tolerance(v), dc_tolerance(v) == 1 ? "" : "s", v - 1);
	}
	free(w);
	free(b);
	return rc;
}

void
plan_free(struct plan *p)
{
	free(p->steps);
	p->steps = NULL;
	p->nsteps = 0;
}

void
plan_step_joining(const struct plan_step *s, char *out, size_t outlen)
{
	size_t len = 0;

	if (outlen > 0)
		out[0] = '\0';
	if (s->kind == STEP_REMOVE)
		return;
	for (int i = 0; i < s->n && len < outlen; i++) {
		char one[600];
		dc_format_server(&s->servers[i], one, sizeof(one));
		len += (size_t)snprintf(out + len, outlen - len, "%s%s", i ? "," : "", one);
	}
}

void
plan_step_leaving(const struct plan_step *s, char *out, size_t outlen)
{
	size_t len = 0;

	if (outlen > 0)
		out[0] = '\0';
	if (s->kind != STEP_REMOVE)
		return;
	for (int i = 0; i < s->n && len < outlen; i++)
		len += (size_t)snprintf(out + len, outlen - len, "%s%ld", i ? "," : "",
					s->servers[i].id);
}

int
plan_step_applied(const struct plan_step *s, const struct dc_config *cur)
{
	for (int i = 0; i < s->n; i++) {
		const struct dc_server *m = dc_find(cur, s->servers[i].id);

		if (s->kind == STEP_REMOVE ? m != NULL : (m == NULL || !dc_same(m, &s->servers[i])))
			return 0;
	}
	return 1;
}
