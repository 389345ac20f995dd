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
#include "ui/history.h"
#include "lexer.h"
#include "render.h"
#include "ui/repl.h"
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

/*
 * The lines of earlier runs that Up recalls, newest first: numbers -1, -2,
 * ... The recall list is this session's unmasked lines (newest first) and
 * then those, so skipping the session's lines leaves them.
 */
struct earlier {
	char **lines;
	long n, skip;
};

static int
collect_earlier(void *ctx, const char *line)
{
	struct earlier *e = ctx;

	if (e->skip > 0) {
		e->skip--;
		return 0;
	}
	e->lines = xrealloc(e->lines, sizeof(char *) * (size_t)(e->n + 1));
	e->lines[e->n++] = xstrdup(line);
	return 0;
}

static void
earlier_lines(struct hist *h, struct earlier *e)
{
	memset(e, 0, sizeof(*e));
	for (long i = hist_first(h); i < hist_next(h); i++) {
		int masked = 0;

		if (hist_get(h, i, &masked) != NULL && !masked)
			e->skip++;
	}
	hist_each_recall(h, collect_earlier, e);
}

static void
earlier_free(struct earlier *e)
{
	for (long i = 0; i < e->n; i++)
		free(e->lines[i]);
	free(e->lines);
}

static void
history_line(struct shell *sh, long number, const char *line)
{
	if (sh->result != NULL) {
		cJSON *arr = cJSON_GetObjectItemCaseSensitive(sh->result, "history");
		cJSON *o = cJSON_CreateObject();
		if (arr == NULL)
			arr = cJSON_AddArrayToObject(sh->result, "history");
		cJSON_AddNumberToObject(o, "number", (double)number);
		cJSON_AddStringToObject(o, "line", line);
		cJSON_AddItemToArray(arr, o);
		return;
	}
	render_text(sh, "%ld - %s\n", number, line);
}

/*
 * What Up recalls, oldest first: lines of earlier runs numbered -N..-1 (redo
 * takes them too), then this session's, numbered like the prompt. A line
 * with a secret is listed masked, and Up skips it: it was never kept.
 */
static int
cmd_history(struct shell *sh, struct args *a)
{
	struct hist *h = need_history(sh, "history");
	struct earlier e;
	long last, from, count = HISTORY_SHOWN, older;
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
	earlier_lines(h, &e);
	/* count + 1 lines in all, as zkCli: the rest from earlier runs */
	older = count + 1 - (last - from + 1);
	older = older < e.n ? older : e.n;
	for (long i = older; i >= 1; i--)
		history_line(sh, -i, e.lines[i - 1]);
	earlier_free(&e);
	for (long i = from; i <= last; i++) {
		const char *line = hist_get(h, i, NULL);

		if (line != NULL)
			history_line(sh, i, line);
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
	struct earlier e;
	HistEvent ev;
	long long n;
	long self;
	const char *line;
	char *copy;
	int masked = 0, rc;

	if (h == NULL)
		return ZX_USAGE;
	self = hist_next(h) - 1;
	if (parse_long(a->argv[0], &n) != 0 || n >= self)
		return sh_error(sh, ZX_USAGE, "Command index out of range");
	earlier_lines(h, &e);
	/* -1, -2, ...: the lines of earlier runs, as history lists them */
	if (n < 0)
		line = -n <= e.n ? e.lines[-n - 1] : NULL;
	else
		line = hist_get(h, (long)n, &masked);
	if (line == NULL) {
		earlier_free(&e);
		return sh_error(sh, ZX_USAGE, "Command index out of range");
	}
	copy = xstrdup(line);
	earlier_free(&e);
	if (masked) {
		free(copy);
		return sh_error(sh, ZX_USAGE,
				"redo: line %lld carried a secret and was not kept; type it again",
				n);
	}
	if (is_redo(copy)) {
		free(copy);
		return sh_error(sh, ZX_USAGE, "No redoing redos");
	}
	/* as zkCli: the redone line takes this line's place in the history, and Up's */
	hist_set(h, self, copy);
	if (history(hist_editline(h), &ev, H_FIRST) == 0)
		history(hist_editline(h), &ev, H_REPLACE, copy, NULL);
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
     .help = "list the lines Up recalls with their numbers, the last 10 and this one "
	     "unless count is given: this session's numbered like the prompt, earlier runs' "
	     "-1, -2, ... (newest first); lines with secrets are listed masked, and Up skips them",
     .exec = cmd_history},
    {.name = "redo",
     .min_args = 1,
     .max_args = 1,
     .usage = "cmdno",
     .help = "run command number cmdno of the history again (negative: of an earlier run)",
     .exec = cmd_redo},
    {.name = "printwatches",
     .min_args = 0,
     .max_args = 1,
     .usage = "on|off",
     .help = "show watch events and connection changes as they happen (on), or not",
     .exec = cmd_printwatches},
    {0},
};
