/* Batch mode: run commands from argv, a -c string, a file or stdin. */
#ifndef ZKSH_SCRIPT_H
#define ZKSH_SCRIPT_H

#include <stdio.h>

struct shell;

/* Tally of a batch run, turned into the exit code by script_status. */
struct batch {
	long ok, failed;
	int first_code;
	long first_line;  /* the line of the first failure */
	int other_failed; /* a failure other than an unknown command */
	int stop;	  /* stop reading: a failure without --keep-going, or quit */
};

/* Run one input line (may hold several ';'-separated commands). */
void script_line(struct shell *sh, struct batch *b, const char *line);
/* Read f to the end (or the first failure) line by line; name for messages. */
void script_file(struct shell *sh, struct batch *b, FILE *f, const char *name);
/* Finish (drain the pipeline) and give the run's exit code. */
int script_status(struct shell *sh, struct batch *b);

#endif
