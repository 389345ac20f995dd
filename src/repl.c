/*
 * The interactive shell. This first version reads lines with libedit's
 * readline layer and prints queued watch events before each prompt.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <editline/readline.h>

#include "command.h"
#include "lexer.h"
#include "render.h"
#include "repl.h"
#include "session.h"
#include "shell.h"
#include "zkerr.h"

static void
show_events(struct shell *sh)
{
	struct zk_event *e;

	while ((e = session_next_event(sh->sess)) != NULL) {
		if (e->type != ZOO_SESSION_EVENT && sh->printwatches)
			printf("\nWATCHER::\n\nWatchedEvent state:%s type:%s path:%s\n",
			       state_name(e->state), event_type_name(e->type), e->path ? e->path : "");
		session_event_free(e);
	}
}

int
repl_run(struct shell *sh, int wait_for_connection)
{
	char prompt[ZKSH_PATH_MAX + 128];
	long counter = 0;
	char *line;

	session_open(sh->sess, wait_for_connection ? sh->sess->timeout_ms : 0);
	for (;;) {
		struct lex_result lx;

		show_events(sh);
		snprintf(prompt, sizeof(prompt), "[zk: %s(%s) %ld] %s> ", sh->sess->hosts,
			 state_label(session_state(sh->sess)), counter, sh->cwd);
		line = readline(prompt);
		if (line == NULL)
			break;
		if (*line != '\0')
			add_history(line);
		counter++;
		if (lex_line(line, &lx) != 0) {
			sh->last_status = sh_error(sh, ZX_USAGE, "%s", lx.err);
		} else {
			for (int i = 0; i < lx.ncmds; i++)
				sh->last_status = cmd_dispatch(sh, lx.cmds[i].argc, lx.cmds[i].argv);
			lex_free(&lx);
		}
		free(line);
		if (sh->quit)
			break;
	}
	return sh->last_status;
}
