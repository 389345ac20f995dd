/* Probing single servers: four-letter words and a session to each one alone. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zookeeper/zookeeper.h>

#include "ensemble/probe.h"
#include "util.h"

int
probe_serving(const struct probe *p)
{
	return p->answered && p->srvr.serving;
}

/* The membership (ids and roles) of a and b differ. */
static int
views_differ(const struct dc_config *a, const struct dc_config *b)
{
	if (a->n != b->n)
		return 1;
	for (int i = 0; i < a->n; i++) {
		const struct dc_server *o = dc_find(b, a->s[i].id);
		if (o == NULL || !dc_same(o, &a->s[i]))
			return 1;
	}
	return 0;
}

/* The probe's session wants no events. */
static void
quiet_watcher(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
	(void)zh;
	(void)type;
	(void)state;
	(void)path;
	(void)ctx;
}

long long
probe_config_version(const char *addr, int timeout_ms, struct dc_config *view)
{
	long long deadline = now_ms() + timeout_ms, version = -1;
	struct timespec pause = {0, 10 * 1000000L};
	zhandle_t *zh;
	char *buf;
	int len = 64 * 1024;
	struct Stat st;

	/* the client never reaches another server: addr is the whole list */
	zh = zookeeper_init(addr, quiet_watcher, timeout_ms < 2000 ? 2000 : timeout_ms, NULL, NULL,
			    0);
	if (zh == NULL)
		return -1;
	while (zoo_state(zh) != ZOO_CONNECTED_STATE && now_ms() < deadline)
		nanosleep(&pause, NULL);
	buf = xmalloc((size_t)len + 1);
	if (zoo_state(zh) == ZOO_CONNECTED_STATE && zoo_getconfig(zh, 0, buf, &len, &st) == ZOK &&
	    len >= 0) {
		struct dc_config *c = xcalloc(1, sizeof(*c));
		char err[256];

		buf[len] = '\0';
		if (dc_parse_config(buf, c, err, sizeof(err)) == 0) {
			version = c->version;
			if (view != NULL)
				*view = *c;
		}
		free(c);
	}
	free(buf);
	zookeeper_close(zh);
	return version;
}

static void
probe_detail(struct probe *out, int timeout_ms)
{
	char *reply = NULL, err[256];
	struct fourlw_kv kv[128];
	int n;

	if (fourlw_query(out->addr, "mntr", timeout_ms, &reply, err, sizeof(err)) == 0) {
		out->mntr_refused = fourlw_refused(reply);
		n = fourlw_parse_mntr(reply, kv, 128);
		out->mntr_ok = !out->mntr_refused && n > 0;
		if (out->mntr_ok) {
			const char *v = fourlw_get(kv, n, "zk_znode_count");
			const char *st = fourlw_get(kv, n, "zk_server_state");
			out->znodes_mntr = v ? atoll(v) : -1;
			snprintf(out->server_state, sizeof(out->server_state), "%s", st ? st : "");
		}
	}
	free(reply);
	reply = NULL;
	if (fourlw_query(out->addr, "conf", timeout_ms, &reply, err, sizeof(err)) == 0) {
		out->conf_refused = fourlw_refused(reply);
		out->conf_ok = !out->conf_refused && fourlw_parse_conf(reply, kv, 128) > 0;
	}
	free(reply);
}

void
probe_server(const struct dc_server *s, unsigned what, int timeout_ms, const struct dc_config *cfg,
	     struct probe *out)
{
	char *reply = NULL;

	memset(out, 0, sizeof(*out));
	out->id = s->id;
	out->version = -1;
	out->znodes_mntr = -1;
	fourlw_parse_srvr("", &out->srvr); /* every field unknown */
	dc_client_address(s, out->addr, sizeof(out->addr));
	if (out->addr[0] == '\0') {
		snprintf(out->error, sizeof(out->error), "no client port in its server string");
		return;
	}
	if (what & PROBE_SRVR) {
		if (fourlw_query(out->addr, "srvr", timeout_ms, &reply, out->error,
				 sizeof(out->error)) == 0) {
			if (fourlw_refused(reply)) {
				out->srvr_refused = 1;
				snprintf(out->error, sizeof(out->error),
					 "srvr is not in its 4lw.commands.whitelist");
			} else if (fourlw_parse_srvr(reply, &out->srvr) == 0) {
				out->answered = 1;
			} else {
				snprintf(out->error, sizeof(out->error), "no srvr answer");
			}
		}
		free(reply);
	}
	if ((what & PROBE_DETAIL) && out->answered)
		probe_detail(out, timeout_ms);
	if ((what & PROBE_VERSION) && (out->srvr.serving || !(what & PROBE_SRVR)))
		probe_version(out, timeout_ms, cfg);
}

void
probe_version(struct probe *out, int timeout_ms, const struct dc_config *cfg)
{
	struct dc_config *view = xcalloc(1, sizeof(*view));

	out->version = probe_config_version(out->addr, timeout_ms, view);
	out->has_version = out->version >= 0;
	if (out->has_version && cfg != NULL)
		out->view_differs = views_differ(view, cfg);
	free(view);
}
