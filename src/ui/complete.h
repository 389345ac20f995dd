/*
 * Tab completion for the interactive shell, driven by the command table:
 * command names, each command's flags, znode paths (absolute or relative to
 * cd), connect targets from history and local files.
 *
 * Children of znodes are fetched asynchronously and waited for only a short
 * time; answers that come later land in a short-lived cache, so a slow
 * server costs one empty Tab, never a frozen prompt.
 */
#ifndef ZKSH_COMPLETE_H
#define ZKSH_COMPLETE_H

struct shell;
struct hist;
struct completer;

#define COMPLETE_WAIT_MS 300  /* longest a Tab waits for the server */
#define COMPLETE_TTL_MS	 3000 /* how long fetched children are trusted */

struct completion {
	char **cands; /* sorted, unique; what a listing shows */
	int n;
	char *insert; /* text for the cursor (escaped for the lexer); "" when none */
	int list;     /* nothing to insert but several choices: show cands */
};

struct completer *completer_new(void);
void completer_free(struct completer *c);
/* Forget cached children (after a command ran, or the session changed). */
void completer_flush(struct completer *c);

/*
 * Complete the word that ends line (the text before the cursor). hist may
 * be NULL. Returns 0 with out filled (free it with completion_free), or -1
 * when there is nothing to offer.
 */
int complete_line(struct completer *c, struct shell *sh, struct hist *hist, const char *line,
		  struct completion *out);
void completion_free(struct completion *out);

#endif
