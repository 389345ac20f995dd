/*
 * The line editor: libedit's native el_* API with a character reader of our
 * own, so that one select() waits for the keyboard, ZooKeeper's event pipe
 * and the shell's signal pipe. Output that must appear while the user types
 * (watch events, state changes) goes between edit_above_begin and
 * edit_above_end: the half-typed line is cleared, the output printed, and
 * the prompt and line redrawn as they were.
 */
#ifndef ZKSH_EDIT_H
#define ZKSH_EDIT_H

#include <stddef.h>

struct shell;
struct hist;
struct completer;
struct editor;

/* What the editor calls back into the shell for. */
struct edit_hooks {
	void *arg;
	/* Write the prompt; invisible parts (colours) between '\1' characters. */
	void (*prompt)(void *arg, char *out, size_t len);
	/* The session's event pipe is readable. */
	void (*events)(void *arg);
	/* sigfd is readable; return 1 when Ctrl-C cancels the line. */
	int (*signals)(void *arg);
	int sigfd;
};

struct editor *edit_new(struct shell *sh, struct hist *hist, struct completer *comp,
			const struct edit_hooks *hooks);
void edit_free(struct editor *ed);

/*
 * Read one line (malloc'd, without its newline). NULL with *eof set at the
 * end of input (Ctrl-D on an empty line); NULL with *eof clear when Ctrl-C
 * cancelled the line.
 */
char *edit_read(struct editor *ed, int *eof);

/* Around output printed while a line is being edited (no-ops otherwise). */
void edit_above_begin(struct editor *ed);
void edit_above_end(struct editor *ed);

/* Draw the prompt and line again (after a resize or a stop). */
void edit_redraw(struct editor *ed, int resized);

/* Give the terminal back (0) or take it for editing again (1). */
void edit_prep_term(struct editor *ed, int raw);

#endif
