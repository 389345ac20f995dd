#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "lexer.h"
#include "batch.h"
#include "render.h"
#include "script.h"
#include "shell.h"
#include "zkerr.h"

static void
tally(struct shell *sh, struct batch *b, int status)
{
	if (status == ZX_SKIPPED) { /* batch.h: an earlier failure stopped the run */
		b->stop = 1;
		return;
	}
	sh->last_status = status;
	if (status == ZX_OK) {
		b->ok++;
		return;
	}
	if (b->failed++ == 0) {
		b->first_code = status;
		b->first_line = sh->line;
	}
	if (status != ZX_NOCMD)
		b->other_failed = 1;
	if (!sh->keep_going)
		b->stop = 1;
}

/* The writer settles batches as it goes: stop reading once it failed. */
static void
check_pipeline(struct shell *sh, struct batch *b)
{
	if (batch_stopped(sh))
		b->stop = 1;
}

void
script_line(struct shell *sh, struct batch *b, const char *line)
{
	struct lex_result lx;

	if (lex_line(line, &lx) != 0) {
		tally(sh, b, sh_error(sh, ZX_USAGE, "%s", lx.err));
		return;
	}
	for (int i = 0; i < lx.ncmds && !b->stop; i++) {
		tally(sh, b, cmd_dispatch(sh, lx.cmds[i].argc, lx.cmds[i].argv));
		if (sh->quit)
			b->stop = 1;
	}
	lex_free(&lx);
	check_pipeline(sh, b);
}

void
script_file(struct shell *sh, struct batch *b, FILE *f, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	sh->src = name;
	sh->line = 0;
	while (!b->stop && (n = getline(&line, &cap, f)) >= 0) {
		sh->line++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (memchr(line, '\0', (size_t)n) != NULL) {
			tally(sh, b, sh_error(sh, ZX_USAGE, "NUL byte in script line"));
			continue;
		}
		script_line(sh, b, line);
	}
	free(line);
}

int
script_status(struct shell *sh, struct batch *b)
{
	int code = batch_finish(sh, b); /* the writer's lines (batch.h) */

	batch_summary(sh, b);
	if (code >= 0)
		return code;
	if (b->failed == 0)
		return ZX_OK;
	/* some commands done and some not: a partial run */
	if (b->ok > 0 && (sh->keep_going || batch_pipelined(sh)))
		return b->other_failed ? ZX_PARTIAL : ZX_NOCMD;
	return b->first_code;
}
