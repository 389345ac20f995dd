/*
 * `zksh __complete [--describe] [--] WORD...`: the candidates for the last
 * WORD (empty when a new word starts) of the command line WORD... (the words
 * after `zksh`), one a line, for completions/zksh.bash and completions/_zksh.
 * Hidden: main() runs it before option parsing; it is in no table, so it is
 * not in help, help --json or the man page.
 *
 * The grammar comes from `zksh help --json` (this binary, run again), or from
 * the file $ZKSH_HELP_JSON (tests): global options, commands and aliases,
 * subcommands, each command's flags, enum values of a flag, and positionals
 * by their "complete" kind. A help --json from before the contract (no
 * "global_options") is replaced by one built from today's table
 * (TRANSITIONAL, in complete_cmd.c). A word that starts with / completes to
 * the znodes of the server of -server / --server[=] on the line, else
 * $ZKSH_SERVER, else localhost:2181, with a deadline of
 * $ZKSH_COMPLETE_TIMEOUT ms (default 1000); nothing when it does not answer
 * in time.
 *
 * Output: a candidate a line ("word", or "word<TAB>help" with --describe);
 * a line ":file" asks the shell for its own file-name completion. Exit 0,
 * also when there is nothing to offer.
 */
#ifndef ZKSH_CMD_COMPLETE_CMD_H
#define ZKSH_CMD_COMPLETE_CMD_H

/* argv[0] is "__complete". */
int complete_cmd_main(int argc, char **argv);

#endif
