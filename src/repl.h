/* The interactive shell: libedit line editing, history, completion, live events. */
#ifndef ZKSH_REPL_H
#define ZKSH_REPL_H

struct shell;

/* Run until quit or end of input; returns the last command's status. */
int repl_run(struct shell *sh, int wait_for_connection);

#endif
