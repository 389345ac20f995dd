/* The interactive shell: libedit line editing, history, completion, live events. */
#ifndef ZKSH_REPL_H
#define ZKSH_REPL_H

struct shell;
struct hist;

/* Run until quit or end of input; returns the last command's status. */
int repl_run(struct shell *sh, int wait_for_connection);

/* The interactive shell's history, or NULL when sh is not interactive. */
struct hist *repl_history(struct shell *sh);

/* Run every command of line as the prompt would (for redo); returns the last status. */
int repl_dispatch(struct shell *sh, const char *line);

#endif
