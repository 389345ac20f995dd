/*
 * Command history of the interactive shell, three views of one stream of
 * lines:
 *
 *  - the numbered list of this session, numbered like the prompt counter,
 *    which `history` prints and `redo N` re-runs (zkCli's numbering);
 *  - libedit's History, for recall with the arrow keys and searches,
 *    seeded with the lines of earlier runs;
 *  - the history file, appended line by line (mode 0600) and trimmed to a
 *    bounded number of lines.
 *
 * A line that carries a secret (a command marked CMD_SECRET in the table,
 * or a word that looks like a password) is masked in the numbered list and
 * never reaches recall or the file.
 */
#ifndef ZKSH_HISTORY_H
#define ZKSH_HISTORY_H

#include <stddef.h>

#include <histedit.h>

#define HIST_DEFAULT_MAX 1000 /* lines kept in the file and for recall */
#define HIST_MAX_LINE	 4096 /* longer lines are not written to the file */

struct hist;

struct hist *hist_new(int max);
void hist_free(struct hist *h);

/*
 * The history file: $ZKSH_HISTFILE (empty: no file), else
 * $XDG_STATE_HOME/zksh/history, else ~/.zksh_history. Returns 0, or -1 when
 * there is none (no HOME, or ZKSH_HISTFILE is empty).
 */
int hist_default_path(char *out, size_t outlen);

/* Use path as the history file: its lines become recallable. -1 on error (errno). */
int hist_load(struct hist *h, const char *path);

/* Record line as the next command number and return that number. */
long hist_add(struct hist *h, const char *line);

/* Put line in place of entry n (what `redo` does with its own entry). */
void hist_set(struct hist *h, long n, const char *line);

/* Entry n of this session or NULL; *masked tells whether a secret was hidden. */
const char *hist_get(const struct hist *h, long n, int *masked);

/* The number the next line gets (the prompt counter). */
long hist_next(const struct hist *h);

/* The oldest number still kept. */
long hist_first(const struct hist *h);

/* libedit's History, for EL_HIST. */
History *hist_editline(struct hist *h);

/* Call fn for each recallable line, newest first, until fn returns non-zero. */
void hist_each_recall(struct hist *h, int (*fn)(void *ctx, const char *line), void *ctx);

/* Trim the file to the newest max lines (rewritten atomically, mode 0600). */
int hist_trim_file(const char *path, int max);

/* 1 when line must not be stored: a CMD_SECRET command or a password-like word. */
int hist_is_secret(const char *line);

/* line with the secret parts replaced by "***" (malloc'd). */
char *hist_mask(const char *line);

#endif
