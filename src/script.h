/* Batch mode: run commands from argv, a -c string, a file or stdin. */
#ifndef ZKSH_SCRIPT_H
#define ZKSH_SCRIPT_H

#include <stdio.h>

struct shell;

/* Tally of a batch run, turned into the exit code by script_status. */
struct batch {
	long ok, failed;
	int first_code;
	long first_line;     /* the line of the first failure */
	int other_failed;    /* a failure other than an unknown command */
	int stop;	     /* stop reading: a failure without --keep-going, or quit */
	int number_commands; /* -c: a command's position is its number, not the line */
	int read_error;	     /* the script could not be read to its end (exit 5) */
	int io_error;	     /* stdout could not be written (exit 5) */
	int interrupted;     /* Ctrl-C stopped the run (exit 130) */
};

/* Run the one command of argv (zkCli style: zksh get /a). */
void script_argv(struct shell *sh, struct batch *b, int argc, char **argv);
/* Run one input line (may hold several ';'-separated commands). */
void script_line(struct shell *sh, struct batch *b, const char *line);
/*
 * The next line of f in *line (getline's buffer), its newline removed: 1,
 * or -1 when it holds a NUL byte (the lexer would drop what follows), or 0
 * at the end of the input or on a read error (then errno, or ferror(f)).
 */
int script_read_line(FILE *f, char **line, size_t *cap);
/* Read f to the end (or the first failure) line by line; name for messages. */
void script_file(struct shell *sh, struct batch *b, FILE *f, const char *name);
/*
 * Batch mode's Ctrl-C: the running command is asked to stop (as in the
 * REPL), the run ends with "FILE:LINE: interrupted" and exit 130; a second
 * Ctrl-C ends zksh at once.
 */
void script_catch_interrupt(struct shell *sh);
/* Finish (drain the pipeline, flush stdout) and give the run's exit code. */
int script_status(struct shell *sh, struct batch *b);

#endif
