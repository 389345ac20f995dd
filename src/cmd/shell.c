/*
 * Commands of the interactive shell itself, as in zkCli: history, redo N
 * and printwatches on|off. history and redo number lines like the prompt
 * counter; a line that carried a secret is listed masked and cannot be
 * redone, because it was never kept.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "history.h"
#include "lexer.h"
#include "render.h"
#include "repl.h"
#include "shell.h"
#include "util.h"
#include "zkerr.h"

#define HISTORY_SHOWN 10 /* zkCli lists the last ten lines and the current one */

static struct hist *
need_history(struct shell *sh, const char *cmd)
{
	struct hist *h = repl_history(sh);

	if (h == NULL)
		sh_error(sh, ZX_USAGE, "%s: only in the interactive shell", cmd);
	return h;
}

static int
cmd_history(struct shell *sh, struct args *a)
{
	struct hist *h = need_history(sh, "history");
	long last, from, count = HISTORY_SHOWN;
	long long n;

	if (h == NULL)
		return ZX_USAGE;
	if (a->argc > 0) {
		if (parse_long(a->argv[0], &n) != 0 || n < 0)
			return sh_error(sh, ZX_USAGE, "history: '%s' is not a count", a->argv[0]);
		count = (long)n;
	}
	last = hist_next(h) - 1; /* this very `history` line */
	from = last - count > hist_first(h) ? last - count : hist_first(h);
	for (long i = from; i <= last; i++) {
		const char *line = hist_get(h, i, NULL);
		char num[32];

		if (line == NULL)
			continue;
		if (sh->result != NULL) {
			cJSON *arr = cJSON_GetObjectItemCaseSensitive(sh->result, "history");
			cJSON *o = cJSON_CreateObject();
			if (arr == NULL)
				arr = cJSON_AddArrayToObject(sh->result, "history");
			cJSON_AddNumberToObject(o, "number", (double)i);
			cJSON_AddStringToObject(o, "line", line);
			cJSON_AddItemToArray(arr, o);
			continue;
		}
		snprintf(num, sizeof(num), "%ld", i);
		render_text(sh, "%s - %s\n", num, line);
	}
	return ZX_OK;
}

/* 1 when line is itself a redo: zkCli refuses to redo those. */
static int
is_redo(const char *line)
{
	struct lex_result lx;
	int redo = 0;

	if (lex_line(line, &lx) != 0)
		return 0;
	for (int i = 0; i < lx.ncmds; i++)
		redo |= strcmp(lx.cmds[i].argv[0], "redo") == 0;
	lex_free(&lx);
	return redo;
}

static int
cmd_redo(struct shell *sh, struct args *a)
{
	struct hist *h = need_history(sh, "redo");
	long long n;
	long self;
	const char *line;
	char *copy;
	int masked = 0, rc;

	if (h == NULL)
		return ZX_USAGE;
	self = hist_next(h) - 1;
	if (parse_long(a->argv[0], &n) != 0 || n < 0 || n >= self)
		return sh_error(sh, ZX_USAGE, "Command index out of range");
	line = hist_get(h, (long)n, &masked);
	if (line == NULL)
		return sh_error(sh, ZX_USAGE, "Command index out of range");
	if (masked)
		return sh_error(sh, ZX_USAGE,
				"redo: line %lld carried a secret and was not kept; type it again",
				n);
	if (is_redo(line))
		return sh_error(sh, ZX_USAGE, "No redoing redos");
	/* as zkCli: the redone line takes this line's place in the history */
	copy = xstrdup(line);
	hist_set(h, self, copy);
	rc = repl_dispatch(sh, copy);
	free(copy);
	return rc;
}

static int
cmd_printwatches(struct shell *sh, struct args *a)
{
	if (a->argc == 0) {
		render_value(sh, "printwatches", sh->printwatches ? "on" : "off",
			     sh->printwatches ? "printwatches is on" : "printwatches is off");
		return ZX_OK;
	}
	if (strcmp(a->argv[0], "on") != 0 && strcmp(a->argv[0], "off") != 0)
		return sh_error(sh, ZX_USAGE, "printwatches: on or off, not '%s'", a->argv[0]);
	sh->printwatches = strcmp(a->argv[0], "on") == 0;
	return ZX_OK;
}

const struct cmd_entry cmd_shell_entries[] = {
    {.name = "history",
     .min_args = 0,
     .max_args = 1,
     .usage = "[count]",
     .help = "list the last commands with their numbers (10 unless count is given); "
	     "lines with secrets are masked",
     .exec = cmd_history},
    {.name = "redo",
     .min_args = 1,
     .max_args = 1,
     .usage = "cmdno",
     .help = "run command number cmdno of the history again",
     .exec = cmd_redo},
    {.name = "printwatches",
     .min_args = 0,
     .max_args = 1,
     .usage = "on|off",
     .help = "show watch events and connection changes as they happen (on), or not",
     .exec = cmd_printwatches},
    {0},
};
