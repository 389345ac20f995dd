/*
 * The progress line of a long walk or bulk write (tree, du, find, grep,
 * count, export, import, cp, deleteall), on stderr and never on stdout:
 *
 *   deleteall: 12000/20000 nodes (60%), 9800 nodes/s, 1.2 s
 *
 * Three modes, from the global --progress / --no-progress (sh->progress):
 * by default the line is drawn once a command has run for a second, redrawn
 * in place with \r a few times a second, and erased at the end, only when
 * stderr is a terminal (and, for a command that streams its results, stdout
 * is not that terminal too). --progress draws it also when stderr is not a
 * terminal, then as plain lines, one a second and a last one at the end.
 * --no-progress never draws it.
 *
 * One struct progress is ticked by one thread.
 */
#ifndef ZKSH_PROGRESS_H
#define ZKSH_PROGRESS_H

struct shell;

enum progress_mode {
	PROGRESS_OFF,
	PROGRESS_REDRAW, /* a terminal: \r and erase-to-end-of-line */
	PROGRESS_LINES,	 /* --progress, stderr not a terminal: whole lines */
};

struct progress {
	const char *what;
	enum progress_mode mode;
	int shown;
	long nodes;
	long long total; /* -1: not known */
	long long start, last;
};

/* streams: the command writes its results to stdout as it goes. */
void progress_start(struct progress *p, struct shell *sh, const char *what, int streams);
/* How many there will be, once known (deleteall after its walk, import after its check). */
void progress_total(struct progress *p, long long total);
/* One more node done. */
void progress_tick(struct progress *p);
/* n nodes done so far. */
void progress_set(struct progress *p, long n);
/* Erase the line (a terminal) or write the last one (--progress). */
void progress_end(struct progress *p);

#endif
