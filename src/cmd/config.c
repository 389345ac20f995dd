/*
 * The ensemble's dynamic configuration: config and reconfig, with zkCli's
 * flags, validations and output. reconfig checks what it can before asking
 * (modes not mixed, the version in hex, a -file that parses) and, when the
 * connection drops during the request (removing the leader does that),
 * reads the configuration again to tell whether the change committed.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/common.h"
#include "command.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zk/zkconfig.h"
#include "zkerr.h"

#define CONFIG_NODE "/zookeeper/config"

/* ---- reading ----------------------------------------------------------- */

/*
 * The configuration text (NUL-terminated; free it) and its stat, through
 * the client's own call for the config node rather than zk_get_data, so a
 * chroot in the connect string is the client's business, as in zkCli.
 */
static int
read_config(struct shell *sh, int watch, char **out, struct Stat *st)
{
	int cap = 16 * 1024;

	for (;;) {
		char *buf = xmalloc((size_t)cap + 1);
		int len = cap;
		int rc = zoo_getconfig(ZH(sh), watch, buf, &len, st);

		if (rc != ZOK) {
			free(buf);
			return rc;
		}
		if (st->dataLength <= cap) {
			buf[len > 0 ? len : 0] = '\0';
			*out = buf;
			return ZOK;
		}
		free(buf);
		cap = st->dataLength;
		watch = 0; /* the first call set it */
	}
}

/* "<version> <a,b,c>" as it is, or {"version": ..., "clients": [a, b, c]}. */
static void
render_client_config(struct shell *sh, char *cc)
{
	char *sp = strchr(cc, ' '), *save = NULL;
	cJSON *arr;

	if (sh->result == NULL || sp == NULL) {
		render_text(sh, "%s\n", cc);
		return;
	}
	*sp = '\0';
	cJSON_AddStringToObject(sh->result, "version", cc);
	arr = cJSON_AddArrayToObject(sh->result, "clients");
	for (char *t = strtok_r(sp + 1, ",", &save); t; t = strtok_r(NULL, ",", &save))
		cJSON_AddItemToArray(arr, cJSON_CreateString(t));
}

static void
render_config(struct shell *sh, const char *cfg)
{
	char version[64];

	if (sh->result == NULL) {
		render_text(sh, "%s\n", cfg);
		return;
	}
	zkconfig_version(cfg, version, sizeof(version));
	cJSON_AddStringToObject(sh->result, "config", cfg);
	cJSON_AddStringToObject(sh->result, "version", version);
}

static int
cmd_config(struct shell *sh, struct args *a)
{
	struct Stat st;
	char *cfg;
	int rc = read_config(sh, args_has(a, "w"), &cfg, &st);

	if (rc != ZOK)
		return zk_fail(sh, rc, CONFIG_NODE);
	if (args_has(a, "c")) {
		char *cc = zkconfig_clients(cfg);
		render_client_config(sh, cc);
		free(cc);
	} else {
		render_config(sh, cfg);
	}
	if (args_has(a, "s"))
		render_stat(sh, &st);
	free(cfg);
	return ZX_OK;
}

/* ---- reconfig ---------------------------------------------------------- */

struct change {
	char *joining, *leaving, *members; /* lower-cased, as zkCli sends them */
	long long version;
};

/* The server lines of a dynamic config file, newline-separated (the server takes both). */
static int
read_members_file(struct shell *sh, const char *file, char **out)
{
	FILE *f = fopen(file, "r");
	struct buf b;
	char chunk[4096];
	size_t n;
	const char *bad;
	size_t badlen;
	int rc;

	if (f == NULL)
		return sh_error(sh, ZX_USAGE, "reconfig: cannot read %s: %s", file,
				strerror(errno));
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	buf_addc(&b, '\0');
	rc = zkconfig_members(b.data, out, &bad, &badlen);
	if (rc == -1)
		rc = sh_error(sh, ZX_USAGE, "reconfig: %s: not a dynamic config line: %.*s", file,
			      (int)badlen, bad);
	else if (rc == -2)
		rc = sh_error(sh, ZX_USAGE, "reconfig: %s has no server lines", file);
	buf_free(&b);
	return rc;
}

/* Every entry of a list (',' or newline between entries); ids only for -remove. */
static int
valid_list(struct shell *sh, const char *flag, const char *list, int ids, int members)
{
	const char *bad;
	size_t n;

	if (zkconfig_check_list(list, ids, members, &bad, &n) == 0)
		return ZX_OK;
	return sh_error(sh, ZX_USAGE,
			ids ? "reconfig: %s: '%.*s' is not a server id"
			    : "reconfig: %s: '%.*s' is not of the form "
			      "server.<id>=<host>:<quorumPort>:<electionPort>"
			      "[:participant|observer][;[<clientHost>:]<clientPort>]",
			flag, (int)n, bad);
}

static int
valid_change(struct shell *sh, const struct change *c)
{
	int rc;

	if ((rc = valid_list(sh, "-add", c->joining, 0, 0)) != ZX_OK)
		return rc;
	if ((rc = valid_list(sh, "-remove", c->leaving, 1, 0)) != ZX_OK)
		return rc;
	return valid_list(sh, "-members", c->members, 0, 1);
}

static int
parse_change(struct shell *sh, struct args *a, struct change *c)
{
	const char *v = args_get(a, "v");
	int full = args_has(a, "file") || args_has(a, "members");

	memset(c, 0, sizeof(*c));
	c->version = -1;
	if (v != NULL) {
		if (zkconfig_parse_version(v, &c->version) != 0)
			return sh_error(sh, ZX_USAGE,
					"-v must be followed by a long (configuration "
					"version, in hex as config prints it)");
	}
	if (full && (args_has(a, "add") || args_has(a, "remove")))
		return sh_error(sh, ZX_USAGE,
				"Can't use -file or -members together with -add or -remove "
				"(mixing incremental and non-incremental modes is not allowed)");
	if (args_has(a, "file") && args_has(a, "members"))
		return sh_error(sh, ZX_USAGE,
				"Can't use -file and -members together (conflicting "
				"non-incremental modes)");
	if (!full && !args_has(a, "add") && !args_has(a, "remove"))
		return sh_error(sh, ZX_USAGE,
				"reconfig: give -add and/or -remove, or -members, or "
				"-file");
	c->joining = zkconfig_lowered(args_get(a, "add"));
	c->leaving = zkconfig_lowered(args_get(a, "remove"));
	c->members = zkconfig_lowered(args_get(a, "members"));
	if (args_has(a, "file")) {
		int rc = read_members_file(sh, args_get(a, "file"), &c->members);
		if (rc != ZX_OK)
			return rc;
	}
	return valid_change(sh, c);
}

static void
change_free(struct change *c)
{
	free(c->joining);
	free(c->leaving);
	free(c->members);
}

static int
check_reconfig(struct shell *sh, struct args *a)
{
	struct change c;
	int rc = parse_change(sh, a, &c);

	change_free(&c);
	return rc;
}

/* Does cfg show c? Used when the answer to reconfig was lost (zkconfig_applied). */
static int
change_applied(const struct change *c, const char *cfg)
{
	return zkconfig_applied(c->joining ? c->joining : c->members, c->leaving, cfg);
}

static void
render_committed(struct shell *sh, const char *cfg, const struct Stat *st, int with_stat)
{
	render_text(sh, "Committed new configuration:\n");
	render_config(sh, cfg);
	if (with_stat)
		render_stat(sh, st);
}

/*
 * Read the configuration after a lost answer. While the ensemble elects a
 * new leader the connection may drop again and again: retry until the
 * session timeout has passed.
 */
static int
reread_config(struct shell *sh, char **cfg, struct Stat *st)
{
	long long deadline = now_ms() + sh->sess->timeout_ms;
	struct timespec pause = {0, 100 * 1000000L};
	int rc;

	do {
		rc = session_wait(sh->sess, sh->sess->timeout_ms);
		if (rc == ZOK && (rc = zk_sync(sh, CONFIG_NODE)) == ZOK)
			rc = read_config(sh, 0, cfg, st);
		if (rc != ZCONNECTIONLOSS && rc != ZOPERATIONTIMEOUT)
			return rc;
		nanosleep(&pause, NULL); /* the state may not say "lost" yet */
	} while (now_ms() < deadline && !sh->interrupted);
	return rc;
}

/*
 * The answer was lost (the leader we talked to left, or the connection
 * dropped): once connected again, read the configuration and compare.
 */
static int
reconfig_lost(struct shell *sh, const struct change *c, const char *before, int with_stat)
{
	char *cfg = NULL;
	char was[64], now[64];
	struct Stat st;
	int rc = reread_config(sh, &cfg, &st);

	if (rc != ZOK)
		return sh_error(sh, ZX_CONN,
				"reconfig: the connection was lost before the answer "
				"and the configuration could not be read again (%s): "
				"check it with config",
				zkerr_name(rc));
	zkconfig_version(before, was, sizeof(was));
	zkconfig_version(cfg, now, sizeof(now));
	if (strcmp(was, now) != 0 && change_applied(c, cfg)) {
		render_committed(sh, cfg, &st, with_stat);
		free(cfg);
		return ZX_OK;
	}
	free(cfg);
	return sh_error(sh, ZX_ZK,
			"reconfig: the connection was lost before the answer and the "
			"configuration (version %s) does not show the change: it did "
			"not commit",
			now);
}

static int
reconfig_failed(struct shell *sh, int rc, const struct change *c)
{
	char *cfg = NULL, now[64] = "?";
	struct Stat st;

	if (rc != ZBADVERSION)
		return zk_fail(sh, rc, CONFIG_NODE);
	if (read_config(sh, 0, &cfg, &st) == ZOK)
		zkconfig_version(cfg, now, sizeof(now));
	free(cfg);
	return sh_error(sh, ZX_ZK,
			"version No is not valid : %s (BadVersion: the configuration is at "
			"version %s, not %llx; read it again with config)",
			CONFIG_NODE, now, c->version);
}

/*
 * zoo_reconfig. A lost answer cannot be produced on demand, so tests set
 * ZKSH_TEST_LOSE_RECONFIG: "before" does not send the request, "after"
 * drops the answer; either way reconfig_lost then has to find out.
 */
static int
send_reconfig(struct shell *sh, const struct change *c, char *buf, int *len, struct Stat *st)
{
	const char *lose = getenv("ZKSH_TEST_LOSE_RECONFIG");
	int rc;

	if (lose != NULL && strcmp(lose, "before") == 0)
		return ZCONNECTIONLOSS;
	rc = zoo_reconfig(ZH(sh), c->joining, c->leaving, c->members, c->version, buf, len, st);
	if (rc == ZOK && lose != NULL && strcmp(lose, "after") == 0)
		return ZCONNECTIONLOSS;
	return rc;
}

static int
cmd_reconfig(struct shell *sh, struct args *a)
{
	struct change c;
	struct Stat st;
	char *before = NULL, *buf;
	int len = 64 * 1024, rc;

	if ((rc = parse_change(sh, a, &c)) != ZX_OK) {
		change_free(&c);
		return rc;
	}
	/* the version before, to tell a lost answer's commit from no change */
	if ((rc = read_config(sh, 0, &before, &st)) != ZOK) {
		change_free(&c);
		return zk_fail(sh, rc, CONFIG_NODE);
	}
	buf = xmalloc((size_t)len + 1);
	rc = send_reconfig(sh, &c, buf, &len, &st);
	if (rc == ZOK) {
		buf[len > 0 ? len : 0] = '\0';
		render_committed(sh, buf, &st, args_has(a, "s"));
		rc = ZX_OK;
	} else if (rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT) {
		rc = reconfig_lost(sh, &c, before, args_has(a, "s"));
	} else {
		rc = reconfig_failed(sh, rc, &c);
	}
	free(buf);
	free(before);
	change_free(&c);
	return rc;
}

const struct cmd_entry cmd_config_entries[] = {
    {.name = "config",
     .flags = "c w s",
     .min_args = 0,
     .max_args = 0,
     .usage = "[-c] [-w] [-s]",
     .help = "print the ensemble's configuration (-c: only the version and the client "
	     "addresses, -w: watch it, -s: with stat)",
     .attrs = CMD_ZK,
     .exec = cmd_config},
    {.name = "reconfig",
     .flags = "s v: file: members: add: remove:",
     .min_args = 0,
     .max_args = 0,
     .usage = "[-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3"
	      "[,...]*]] | [-add serverId=host:port1:port2;port3[,...]]* "
	      "[-remove serverId[,...]*]",
     .help = "change the ensemble's membership: -add/-remove incrementally, or -members/"
	     "-file for the whole new list; -v applies it only at that configuration "
	     "version (hex, as config prints it). Needs reconfigEnabled and, with ACLs, the "
	     "super user. If the connection drops (removing the leader does), the "
	     "configuration is read again to tell whether the change committed. The ';' of "
	     "a server string needs no quotes: only a ';' before a blank ends a command",
     .attrs = CMD_ZK | CMD_WRITE,
     .exec = cmd_reconfig,
     .check = check_reconfig},
    {0},
};
