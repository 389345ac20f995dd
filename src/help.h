/*
 * Usage lines, help, help --json and help --man, all generated from the
 * command table's specs (command.h): nothing here describes a command.
 */
#ifndef ZKSH_HELP_H
#define ZKSH_HELP_H

#include <stdio.h>

struct shell;
struct args;
struct cmd_entry;

/* zksh's own usage: "usage: zksh [-server HOSTS[/chroot]] ...", wrapped. */
void help_global_usage(FILE *f);
/* "usage: LINE" to stderr, for e or its subcommand sub (NULL). */
void help_usage(const struct cmd_entry *e, const struct cmd_entry *sub);
/* `CMD --help`: what `help CMD` prints, outside a command's run. */
void help_entry(struct shell *sh, const struct cmd_entry *e, const struct cmd_entry *sub);
/* The help command: the listing, one command (help CMD [SUB]), --json, --man. */
int help_cmd(struct shell *sh, struct args *a);
/* The whole grammar, as `help --json` prints it: a cJSON object, the caller's. */
void *help_grammar(void);

#endif
