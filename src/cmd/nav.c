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
#include "help.h"
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
	else if ((rc = args_path(a, 0, path)) != ZX_OK)
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
     .pos = POSITIONALS(PATH_POS(POS_OPTIONAL)),
     .help = "change the current node; relative paths everywhere resolve against it",
     .attrs = CMD_ZK,
     .exec = cmd_cd},
    {.name = "pwd", .help = "print the current node", .exec = cmd_pwd},
    {.name = "help",
     .opts = OPTS(OPT_FLAG(0, "man",
			   "print the COMMANDS and OPTIONS sections of the man page "
			   "(roff)")),
     .pos = POSITIONALS(POS_ARG("command", CPL_COMMAND, POS_OPTIONAL),
			POS_ARG("subcommand", CPL_NONE, POS_OPTIONAL)),
     .help = "list the commands, or describe one (--json: the whole grammar, for completion "
	     "scripts)",
     .exec = help_cmd},
    {.name = "version",
     .help = "print zksh's version and the ZooKeeper client library's",
     .exec = cmd_version},
    {.name = "connect",
     .pos = POSITIONALS(POS_ARG("host[:port][,host[:port]...][/chroot]", CPL_HOST, POS_OPTIONAL)),
     .help = "close the session and connect to another ensemble (port 2181 unless "
	     "given); with no argument, open a new session to the same servers",
     .exec = cmd_connect},
    {.name = "close", .help = "close the session (connect opens a new one)", .exec = cmd_close},
    {.name = "quit",
     .alias = "exit",
     .help = "leave the shell with the status of the last command",
     .exec = cmd_quit},
    {0},
};
