/*
 * Moving around and the shell itself: cd, pwd, help, version, connect,
 * close, quit/exit.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <zookeeper/zookeeper_version.h>

#include "command.h"
#include "conn.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "zkerr.h"

static int
cmd_cd(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct Stat st;
	int rc;

	if (a->argc == 0)
		snprintf(path, sizeof(path), "/");
	else if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc;
	rc = zoo_exists(sh->sess->zh, path, 0, &st);
	if (rc != ZOK)
		return zk_fail(sh, rc, path);
	snprintf(sh->cwd, sizeof(sh->cwd), "%s", path);
	render_value(sh, "cwd", sh->cwd, NULL);
	return ZX_OK;
}

static int
cmd_pwd(struct shell *sh, struct args *a)
{
	(void)a;
	render_value(sh, "cwd", sh->cwd, sh->cwd);
	return ZX_OK;
}

static int
help_all(struct shell *sh)
{
	const struct cmd_entry *e;
	int i = 0;

	if (sh->result != NULL) {
		cJSON *arr = cJSON_AddArrayToObject(sh->result, "commands");
		while ((e = cmd_iter(&i)) != NULL) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "command", e->name);
			cJSON_AddStringToObject(o, "usage", e->usage);
			cJSON_AddStringToObject(o, "help", e->help);
			cJSON_AddItemToArray(arr, o);
		}
		return ZX_OK;
	}
	render_text(sh, "ZooKeeper -server host:port[/chroot] cmd args\n");
	while ((e = cmd_iter(&i)) != NULL)
		render_text(sh, "\t%s%s%s%s\n", e->name, *e->usage ? " " : "", e->usage,
			    (e->attrs & CMD_EMULATED) ? "   (emulated)" : "");
	render_text(
	    sh, "Type 'help COMMAND' for details. Paths may be relative to 'cd'.\n"
		"';' followed by a blank separates commands; elsewhere (a=1;b=2) it is data.\n");
	return ZX_OK;
}

static int
cmd_help(struct shell *sh, struct args *a)
{
	const struct cmd_entry *e;

	if (a->argc == 0)
		return help_all(sh);
	e = cmd_lookup(a->argv[0]);
	if (e == NULL)
		return cmd_not_found(sh, a->argv[0]);
	if (sh->result != NULL) {
		cJSON_AddStringToObject(sh->result, "command", e->name);
		cJSON_AddStringToObject(sh->result, "usage", e->usage);
		cJSON_AddStringToObject(sh->result, "help", e->help);
		return ZX_OK;
	}
	/* no blank after a command without arguments (pwd, quit) */
	render_text(sh, "%s%s%s\n    %s\n", e->name, *e->usage ? " " : "", e->usage, e->help);
	if (e->alias)
		render_text(sh, "    alias: %s\n", e->alias);
	if (e->attrs & CMD_EMULATED)
		render_text(sh, "    emulated: the ZooKeeper C client has no call for this\n");
	return ZX_OK;
}

static int
cmd_version(struct shell *sh, struct args *a)
{
	char line[128];

	(void)a;
	snprintf(line, sizeof(line), "zksh %s (ZooKeeper C client %s)", PACKAGE_VERSION,
		 ZOO_VERSION);
	render_value(sh, "version", PACKAGE_VERSION, line);
	render_value(sh, "client", ZOO_VERSION, NULL);
	return ZX_OK;
}

static int
cmd_quit(struct shell *sh, struct args *a)
{
	(void)a;
	sh->quit = 1;
	return sh->last_status;
}

static int
cmd_connect(struct shell *sh, struct args *a)
{
	int rc = conn_switch(sh, a->argc > 0 ? a->argv[0] : NULL);

	if (rc == ZX_OK)
		render_value(sh, "connected", sh->sess->hosts, NULL);
	return rc;
}

static int
cmd_close(struct shell *sh, struct args *a)
{
	(void)a;
	session_close(sh->sess);
	sh->closed = 1;
	render_value(sh, "closed", sh->sess->hosts, NULL);
	return ZX_OK;
}

const struct cmd_entry cmd_nav_entries[] = {
    {.name = "cd",
     .min_args = 0,
     .max_args = 1,
     .usage = "[path]",
     .help = "change the current node; relative paths everywhere resolve against it",
     .complete = CPL_PATH,
     .attrs = CMD_ZK,
     .exec = cmd_cd},
    {.name = "pwd",
     .min_args = 0,
     .max_args = 0,
     .usage = "",
     .help = "print the current node",
     .exec = cmd_pwd},
    {.name = "help",
     .min_args = 0,
     .max_args = 1,
     .usage = "[command]",
     .help = "list the commands, or describe one",
     .complete = CPL_COMMAND,
     .exec = cmd_help},
    {.name = "version",
     .min_args = 0,
     .max_args = 0,
     .usage = "",
     .help = "print zksh's version and the ZooKeeper client library's",
     .exec = cmd_version},
    {.name = "connect",
     .min_args = 0,
     .max_args = 1,
     .usage = "[host[:port][,host[:port]...][/chroot]]",
     .help = "close the session and connect to another ensemble (port 2181 unless "
	     "given); with no argument, open a new session to the same servers",
     .complete = CPL_HOST,
     .exec = cmd_connect},
    {.name = "close",
     .min_args = 0,
     .max_args = 0,
     .usage = "",
     .help = "close the session (connect opens a new one)",
     .exec = cmd_close},
    {.name = "quit",
     .alias = "exit",
     .min_args = 0,
     .max_args = 0,
     .usage = "",
     .help = "leave the shell with the status of the last command",
     .exec = cmd_quit},
    {0},
};
