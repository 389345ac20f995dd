/*
 * What each server says about itself: srvr (and mntr/conf where the
 * whitelist allows), and the configuration version it holds, read through
 * a short session to that server alone (zoo_getconfig, no sync). Talks to
 * the network but not to the shell: status and the executor render it.
 */
#ifndef ZKSH_ENSEMBLE_PROBE_H
#define ZKSH_ENSEMBLE_PROBE_H

#include "ensemble/dynconfig.h"
#include "zk/fourlw.h"

#define PROBE_SRVR    0x01
#define PROBE_VERSION 0x02 /* the config version through a session of its own */
#define PROBE_DETAIL  0x04 /* mntr and conf too */

struct probe {
	long id;
	char addr[DC_HOST_MAX + 8]; /* client address probed ("" when none) */
	int answered;		    /* srvr got an answer */
	int srvr_refused;	    /* srvr is not in the whitelist */
	struct fourlw_srvr srvr;
	char error[256]; /* why srvr got no answer */
	int has_version;
	long long version; /* the config version the server holds */
	int view_differs;  /* its membership differs from the one probed against */
	int mntr_refused, conf_refused, mntr_ok, conf_ok;
	long long znodes_mntr; /* zk_znode_count, -1 unknown */
	char server_state[16]; /* zk_server_state from mntr */
};

/* 1 when the server serves clients (leader, follower, observer, standalone). */
int probe_serving(const struct probe *p);

/*
 * Probe s within timeout_ms per question. cfg (may be NULL) is the
 * membership to compare the server's own view with.
 */
void probe_server(const struct dc_server *s, unsigned what, int timeout_ms,
		  const struct dc_config *cfg, struct probe *out);

/* Add the config version (and view) to a probe made with PROBE_SRVR. */
void probe_version(struct probe *out, int timeout_ms, const struct dc_config *cfg);

/* The config version the server at addr holds, or -1 (no session, no answer). */
long long probe_config_version(const char *addr, int timeout_ms, struct dc_config *view);

#endif
