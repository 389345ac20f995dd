/* Helpers shared by the recipe commands (recipes.c, recipes_data.c). */
#ifndef ZKSH_CMD_RECIPES_H
#define ZKSH_CMD_RECIPES_H

#include <signal.h>

struct shell;
struct args;
struct rcp;

/* The stop signals' old handlers, while a recipe runs. */
struct sigsave {
	struct sigaction old[3];
};

/* While a recipe runs: catch SIGINT/SIGTERM/SIGHUP into the stop flag, and
 * listen to the recipe's watches (rcp_listen); recipe_end undoes both. */
void recipe_begin(struct shell *sh, struct sigsave *s);
void recipe_end(struct sigsave *s);

/* --flag DURATION into *ms (left alone when unset); reports a bad one (exit 2). */
int arg_duration(struct shell *sh, const struct args *a, const char *flag, long long *ms);
/* now + ms, or -1 (no deadline) when ms < 0. */
long long deadline_in(long long ms);
/* A recipe's status as a message and an exit code. */
int recipe_fail(struct shell *sh, const char *cmd, struct rcp *r, int status);
/* Connect (the arguments were checked) and set up r for this session. */
int connect_now(struct shell *sh, struct rcp *r);

int cmd_incr(struct shell *sh, struct args *a);
int cmd_wait(struct shell *sh, struct args *a);
int cmd_queue(struct shell *sh, struct args *a);
int cmd_publish(struct shell *sh, struct args *a);
int cmd_fetch(struct shell *sh, struct args *a);

#endif
