#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
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

/* The one way the SIGINT handler reaches the running batch, named as such. */
static struct shell *interrupt_target;

static void
on_interrupt(int sig)
{
	(void)sig;
	if (interrupt_target != NULL)
		interrupt_target->interrupted = 1;
}

void
script_catch_interrupt(struct shell *sh)
{
	struct sigaction sa;

	interrupt_target = sh;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	/* a second Ctrl-C ends zksh at once, whatever it is waiting for */
	sa.sa_flags = SA_RESTART | SA_RESETHAND;
	sigaction(SIGINT, &sa, NULL);
}

/* After each command: a dead stdout or a Ctrl-C ends the run. */
static void
check_stop(struct shell *sh, struct batch *b)
{
	if (out_error() != 0) {
		b->io_error = 1;
		b->stop = 1;
	} else if (sh->interrupted && !b->interrupted) {
		b->interrupted = 1;
		b->stop = 1;
		/* the lines before the Ctrl-C ran, as if one at a time: their writes
		 * are sent and reported before the run says where it stopped */
		if (sh->bw != NULL)
			batch_flush(sh);
		if (sh->src != NULL)
			sh_error(sh, ZX_INTR, "interrupted");
		else
			sh_error(sh, ZX_INTR, "zksh: interrupted");
	}
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
		/* -c: a command's position is its number in the string */
		if (b->number_commands)
			sh->line = i + 1;
		tally(sh, b, cmd_dispatch(sh, lx.cmds[i].argc, lx.cmds[i].argv));
		if (sh->quit)
			b->stop = 1;
		check_stop(sh, b);
	}
	lex_free(&lx);
	check_pipeline(sh, b);
}

/* getline's -1 is the end of the input, or an error (EISDIR, EIO, ENOMEM). */
static void
read_failed(struct shell *sh, struct batch *b, FILE *f, const char *name, int err)
{
	(void)sh;
	if (!ferror(f) && err == 0)
		return;
	if (sh->interrupted && err == EINTR)
		return;
	fprintf(stderr, "zksh: cannot read %s: %s\n",
		strcmp(name, "<stdin>") == 0 ? "standard input" : name,
		strerror(err != 0 ? err : EIO));
	b->read_error = 1;
}

/* 1 when f holds read-ahead bytes in its buffer (glibc's FILE; elsewhere 0). */
static int
buffered_input(FILE *f)
{
#ifdef __GLIBC__
	return f->_IO_read_ptr < f->_IO_read_end;
#else
	(void)f;
	return 0;
#endif
}

/*
 * Before a read that would block (a script fed slowly through a pipe or a
 * terminal), send the writes queued so far: their lines ran, as if one at
 * a time, and must not wait for input that may come much later. A file, a
 * pipe with data waiting, or a producer that pauses for less than
 * FLUSH_IDLE_MS keeps filling the batch.
 */
#define FLUSH_IDLE_MS 100
static void
flush_before_blocking(struct shell *sh, FILE *f)
{
	struct pollfd pfd = {.fd = fileno(f), .events = POLLIN};

	if (sh->bw == NULL || buffered_input(f))
		return;
	if (poll(&pfd, 1, FLUSH_IDLE_MS) == 0)
		batch_flush(sh);
}

int
script_read_line(FILE *f, char **line, size_t *cap)
{
	ssize_t n;

	errno = 0;
	if ((n = getline(line, cap, f)) < 0)
		return 0;
	if (n > 0 && (*line)[n - 1] == '\n')
		(*line)[--n] = '\0';
	/* the lexer reads up to the first NUL: the rest of the line would be lost */
	if (memchr(*line, '\0', (size_t)n) != NULL)
		return -1;
	return 1;
}

void
script_file(struct shell *sh, struct batch *b, FILE *f, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	int r;

	sh->src = name;
	sh->line = 0;
	for (;;) {
		flush_before_blocking(sh, f);
		if (batch_stopped(sh))
			b->stop = 1;
		errno = 0;
		if (b->stop || (r = script_read_line(f, &line, &cap)) == 0)
			break;
		/* a line read after Ctrl-C is not run: the last one run is named */
		if (sh->interrupted)
			break;
		sh->line++;
		if (r < 0) {
			tally(sh, b, sh_error(sh, ZX_USAGE, "NUL byte in script line"));
			continue;
		}
		script_line(sh, b, line);
	}
	if (!b->stop && !sh->interrupted)
		read_failed(sh, b, f, name, errno);
	/* a Ctrl-C while reading the next line */
	check_stop(sh, b);
	free(line);
}

void
script_argv(struct shell *sh, struct batch *b, int argc, char **argv)
{
	tally(sh, b, cmd_dispatch(sh, argc, argv));
	check_stop(sh, b);
}

/* The exit code from what the commands did (and the pipeline answered). */
static int
script_tally(struct shell *sh, struct batch *b)
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

int
script_status(struct shell *sh, struct batch *b)
{
	int rc = script_tally(sh, b);

	/* local trouble outranks what the commands did: the run is not what was asked */
	if (b->io_error || out_flush() != 0)
		return out_report();
	if (b->read_error)
		return ZX_IO;
	if (b->interrupted)
		return ZX_INTR;
	return rc;
}
