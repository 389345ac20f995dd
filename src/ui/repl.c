/*
 * The interactive shell's loop: start-up (history file, ~/.zkshrc), one
 * line at a time through the line editor (edit.c), ZooKeeper's events and
 * session changes shown as they happen, a new session when the old one
 * expires, and Ctrl-C for the running command.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command.h"
#include "ui/complete.h"
#include "ui/edit.h"
#include "ui/history.h"
#include "lexer.h"
#include "render.h"
#include "ui/repl.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zk/watches.h"
#include "zkerr.h"

#define COLOR_WARN "33"
#define COLOR_BAD  "31"
#define COLOR_GOOD "32"

struct repl {
	struct shell *sh;
	struct editor *ed;
	struct hist *hist;
	struct completer *comp;
	char histfile[ZKSH_PATH_MAX];
	int has_histfile;
	int histmax; /* lines kept: $ZKSH_HISTSIZE or HIST_DEFAULT_MAX */
	int sigpipe[2];
	struct session *renewing; /* we opened a session in place of an expired one */
	struct sigaction old_int, old_winch, old_cont, old_tstp;
};

/*
 * The shell in progress. The signal handler has no way to receive it, and
 * the history and redo commands reach the REPL through it (repl_history).
 */
static struct repl *active;
static volatile sig_atomic_t reading; /* the line editor owns the terminal */

/* ---- signals ----------------------------------------------------------- */

/* Any thread may take the signal (ZooKeeper runs two): the pipe wakes the prompt. */
static void
on_signal(int sig)
{
	int saved = errno;
	char c = sig == SIGINT ? 'i' : sig == SIGWINCH ? 'w' : sig == SIGTSTP ? 'z' : 'c';

	if (active == NULL)
		return;
	if (sig == SIGINT && !reading && ++active->sh->interrupted >= 3) {
		/* a command deaf to Ctrl-C (a stuck synchronous call): let the user out */
		static const char msg[] = "\nzksh: interrupted three times, exiting\n";
		if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
			/* nothing left to tell */
		}
		_exit(130);
	}
	if (write(active->sigpipe[1], &c, 1) < 0) {
		/* a full pipe already wakes the reader */
	}
	errno = saved;
}

static void
catch_signal(int sig, struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(sig, &sa, old);
}

/*
 * Ctrl-Z is ours while the editor has the terminal (to give it back before
 * stopping), and as it was during a command: stopping then needs no care.
 */
static void
own_tstp(struct repl *r, int own)
{
	if (r->old_tstp.sa_handler == SIG_IGN)
		return; /* started without job control: Ctrl-Z does nothing */
	if (own)
		catch_signal(SIGTSTP, NULL);
	else
		sigaction(SIGTSTP, &r->old_tstp, NULL);
}

static int
setup_signals(struct repl *r)
{
	if (pipe(r->sigpipe) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(r->sigpipe[i], F_SETFL, O_NONBLOCK);
		fcntl(r->sigpipe[i], F_SETFD, FD_CLOEXEC);
	}
	catch_signal(SIGINT, &r->old_int);
	catch_signal(SIGWINCH, &r->old_winch);
	catch_signal(SIGCONT, &r->old_cont);
	sigaction(SIGTSTP, NULL, &r->old_tstp);
	return 0;
}

static void
restore_signals(struct repl *r)
{
	sigaction(SIGINT, &r->old_int, NULL);
	sigaction(SIGWINCH, &r->old_winch, NULL);
	sigaction(SIGCONT, &r->old_cont, NULL);
	sigaction(SIGTSTP, &r->old_tstp, NULL);
	close(r->sigpipe[0]);
	close(r->sigpipe[1]);
}

/* Empty the signal pipe; returns a mask: 1 Ctrl-C, 2 resize, 4 suspend, 8 continued. */
static int
take_signals(struct repl *r)
{
	char buf[64];
	ssize_t n;
	int mask = 0;

	while ((n = read(r->sigpipe[0], buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			mask |= buf[i] == 'i' ? 1 : buf[i] == 'w' ? 2 : buf[i] == 'z' ? 4 : 8;
	return mask;
}

/* Stop like any job on Ctrl-Z, with the terminal given back first. */
static void
suspend(struct repl *r)
{
	struct sigaction dfl;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	edit_prep_term(r->ed, 0);
	sigaction(SIGTSTP, &dfl, NULL);
	raise(SIGTSTP);
	/* continued */
	own_tstp(r, 1);
	edit_prep_term(r->ed, 1);
}

/* ---- notices and events -------------------------------------------------- */

/* A line of ours (not a command's) on stderr, above the prompt when it is shown. */
static void
notice(struct repl *r, const char *color, const char *fmt, ...)
{
	va_list ap;
	int c = r->sh->color && color != NULL;

	out_lock();
	fflush(stdout);
	if (c)
		fprintf(stderr, "\033[%sm", color);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(c ? "\033[0m\n" : "\n", stderr);
	fflush(stderr);
	out_unlock();
}

static long long
current_session_id(struct session *s)
{
	const clientid_t *id = s->zh ? zoo_client_id(s->zh) : NULL;

	return id ? (long long)id->client_id : 0;
}

static int
count_auths(const struct session *s)
{
	int n = 0;

	for (const struct auth_cred *a = s->auths; a != NULL; a = a->next)
		n++;
	return n;
}

/*
 * The session expired: say so and open a new one at once, rather than on
 * the next command, with the credentials of addauth sent again.
 */
static void
renew_session(struct repl *r)
{
	struct shell *sh = r->sh;
	struct session *s = sh->sess;

	/* a command may have reopened it already (conn_ensure) */
	if (sh->closed || s->zh == NULL || !s->expired)
		return;
	notice(r, COLOR_WARN,
	       "Session 0x%llx expired. Opening a new session; one-shot watches and ephemeral "
	       "nodes of the old session are gone.",
	       (unsigned long long)current_session_id(s));
	if (session_open(s, 0) != ZOK) {
		notice(r, COLOR_BAD, "Could not open a new session to %s", s->hosts);
		return;
	}
	/* session_open hands the new handle every credential addauth remembered */
	r->renewing = s;
}

static void
session_news(struct repl *r, int state)
{
	struct session *s = r->sh->sess;
	long long id;

	if (state == ZOO_AUTH_FAILED_STATE) {
		notice(r, COLOR_BAD, "Authentication failed: the server closed the session");
		return;
	}
	if (state != ZOO_CONNECTED_STATE && state != ZOO_READONLY_STATE)
		return;
	id = current_session_id(s);
	/* (connect may have replaced the session meanwhile: then it is no renewal) */
	if (r->renewing == s && count_auths(s) > 0)
		notice(r, COLOR_GOOD, "New session 0x%llx established; %d credential%s re-applied.",
		       (unsigned long long)id, count_auths(s), count_auths(s) == 1 ? "" : "s");
	else if (r->renewing == s)
		notice(r, COLOR_GOOD, "New session 0x%llx established.", (unsigned long long)id);
	r->renewing = NULL;
}

static void
print_event(struct repl *r, const struct zk_event *e, int *expired)
{
	/* the persistent-watch emulation hides its own re-arming and duplicates */
	if (r->sh->printwatches && watches_on_event(r->sh->sess, e)) {
		out_lock();
		printf("\nWATCHER::\n\nWatchedEvent state:%s type:%s path:%s\n",
		       state_name(e->state), event_type_name(e->type), e->path ? e->path : "null");
		/* addWatch --data: zkCli's line stays as it is; the node follows it */
		if (e->have_stat) {
			printf("version:%d mzxid:0x%llx\n", (int)e->stat.version,
			       (unsigned long long)e->stat.mzxid);
			if (e->datalen < 0)
				fputs("null\n", stdout);
			else
				fwrite(e->data, 1, (size_t)e->datalen, stdout), putchar('\n');
		}
		fflush(stdout);
		out_unlock();
	}
	if (e->type != ZOO_SESSION_EVENT)
		return;
	if (e->state == ZOO_EXPIRED_SESSION_STATE)
		*expired = 1;
	else
		session_news(r, e->state);
}

/* Show what the watcher queued; while the user types, above the line. */
static void
show_events(void *arg)
{
	struct repl *r = arg;
	struct zk_event *e;
	int any = 0, expired = 0;

	while ((e = session_next_event(r->sh->sess)) != NULL) {
		if (!any)
			edit_above_begin(r->ed);
		any = 1;
		print_event(r, e, &expired);
		session_event_free(e);
	}
	if (expired)
		renew_session(r);
	if (any)
		edit_above_end(r->ed);
}

/* Signals while the user types: returns 1 when Ctrl-C cancels the line. */
static int
on_prompt_signals(void *arg)
{
	struct repl *r = arg;
	int mask = take_signals(r);

	if (mask & 4)
		suspend(r);
	if (mask & 8) {
		/* whoever had the terminal meanwhile may have changed its modes */
		edit_prep_term(r->ed, 0);
		edit_prep_term(r->ed, 1);
	}
	if (mask & 14)
		edit_redraw(r->ed, (mask & 2) != 0);
	return mask & 1;
}

/* ---- the prompt ------------------------------------------------------------- */

static const char *
state_color(int state)
{
	if (state == ZOO_CONNECTED_STATE)
		return COLOR_GOOD;
	if (state == ZOO_READONLY_STATE || state == ZOO_CONNECTING_STATE ||
	    state == ZOO_ASSOCIATING_STATE || state == 0)
		return COLOR_WARN;
	return COLOR_BAD;
}

/* [zk: host:port(CONNECTED) 7] /app> , the state coloured (invisible parts in \1). */
static void
make_prompt(void *arg, char *out, size_t len)
{
	struct repl *r = arg;
	struct shell *sh = r->sh;
	int st = sh->closed ? ZOO_NOTCONNECTED_STATE : session_state(sh->sess);

	if (sh->color)
		snprintf(out, len, "[zk: %s(\1\033[%sm\1%s\1\033[0m\1) %ld] %s> ", sh->sess->hosts,
			 state_color(st), state_label(st), hist_next(r->hist), sh->cwd);
	else
		snprintf(out, len, "[zk: %s(%s) %ld] %s> ", sh->sess->hosts, state_label(st),
			 hist_next(r->hist), sh->cwd);
}

/* ---- running lines ------------------------------------------------------------- */

int
repl_dispatch(struct shell *sh, const char *line)
{
	struct lex_result lx;

	if (lex_line(line, &lx) != 0)
		return sh->last_status = sh_error(sh, ZX_USAGE, "%s", lx.err);
	for (int i = 0; i < lx.ncmds && !sh->quit && !sh->interrupted; i++)
		sh->last_status = cmd_dispatch(sh, lx.cmds[i].argc, lx.cmds[i].argv);
	lex_free(&lx);
	return sh->last_status;
}

struct hist *
repl_history(struct shell *sh)
{
	return active != NULL && active->sh == sh ? active->hist : NULL;
}

static void
run_line(struct repl *r, const char *line)
{
	struct shell *sh = r->sh;

	hist_add(r->hist, line);
	take_signals(r);
	sh->interrupted = 0;
	repl_dispatch(sh, line);
	/* what the command changed is not in the cache */
	completer_flush(r->comp);
	out_lock();
	fflush(stdout);
	fflush(stderr);
	out_unlock();
	/* output nobody can read: the loop stops before the next prompt (exit 5) */
	/* a Ctrl-C the command already answered is not one for the prompt */
	take_signals(r);
	sh->interrupted = 0;
}

/* $XDG_CONFIG_HOME/zksh/zkshrc (default ~/.config), else ~/.zkshrc. */
static FILE *
open_rc(char *path, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	FILE *f;

	if (xdg != NULL && xdg[0] == '/')
		snprintf(path, len, "%s/zksh/zkshrc", xdg);
	else if (home != NULL && *home != '\0')
		snprintf(path, len, "%s/.config/zksh/zkshrc", home);
	else
		return NULL;
	if ((f = fopen(path, "re")) != NULL)
		return f;
	if (home == NULL || *home == '\0')
		return NULL;
	snprintf(path, len, "%s/.zkshrc", home);
	return fopen(path, "re");
}

/* Start-up commands; errors name the file and line, and do not stop the shell. */
static void
run_rc(struct repl *r)
{
	struct shell *sh = r->sh;
	char path[ZKSH_PATH_MAX], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f = open_rc(path, sizeof(path));

	if (f == NULL)
		return;
	sh->src = path;
	sh->line = 0;
	sh->interrupted = 0;
	while (!sh->quit && !sh->interrupted && (n = getline(&line, &cap, f)) >= 0) {
		sh->line++;
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		repl_dispatch(sh, line);
		show_events(r);
	}
	free(line);
	fclose(f);
	sh->src = NULL;
	sh->line = 0;
	take_signals(r);
	sh->interrupted = 0;
}

static int
blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

/* ---- set-up and the loop ------------------------------------------------------- */

static void
repl_close(struct repl *r)
{
	if (r->has_histfile)
		hist_trim_file(r->histfile, r->histmax);
	if (r->ed != NULL) {
		edit_free(r->ed);
		restore_signals(r);
	}
	active = NULL;
	completer_free(r->comp);
	hist_free(r->hist);
}

static int
repl_open(struct repl *r, struct shell *sh)
{
	const char *size = getenv("ZKSH_HISTSIZE");
	struct edit_hooks hooks = {
	    .arg = r, .prompt = make_prompt, .events = show_events, .signals = on_prompt_signals};

	memset(r, 0, sizeof(*r));
	r->sh = sh;
	r->histmax = size != NULL && atoi(size) > 0 ? atoi(size) : HIST_DEFAULT_MAX;
	r->hist = hist_new(r->histmax);
	r->comp = completer_new();
	if (r->hist == NULL || setup_signals(r) != 0) {
		repl_close(r);
		return -1;
	}
	r->has_histfile = hist_default_path(r->histfile, sizeof(r->histfile)) == 0;
	if (r->has_histfile && hist_load(r->hist, r->histfile) != 0) {
		fprintf(stderr, "zksh: history file %s: %s\n", r->histfile, strerror(errno));
		r->has_histfile = 0;
	}
	hooks.sigfd = r->sigpipe[0];
	r->ed = edit_new(sh, r->hist, r->comp, &hooks);
	if (r->ed == NULL) {
		restore_signals(r);
		repl_close(r);
		return -1;
	}
	active = r;
	return 0;
}

int
repl_run(struct shell *sh, int wait_for_connection)
{
	struct repl r;
	char *line;
	int eof;

	setlocale(LC_CTYPE, "");
	if (repl_open(&r, sh) != 0) {
		fprintf(stderr, "zksh: cannot start the interactive shell\n");
		return ZX_USAGE;
	}
	out_lock();
	printf("Connecting to %s\n", sh->sess->hosts);
	fflush(stdout);
	out_unlock();
	if (session_open(sh->sess, wait_for_connection ? sh->sess->timeout_ms : 0) != ZOK &&
	    wait_for_connection)
		notice(&r, COLOR_BAD, "Not connected to %s yet; still trying", sh->sess->hosts);
	run_rc(&r);
	while (!sh->quit) {
		/* output nobody can read: stop rather than prompt for more (exit 5) */
		if (out_error() != 0) {
			sh->last_status = out_report();
			break;
		}
		show_events(&r);
		reading = 1;
		own_tstp(&r, 1);
		line = edit_read(r.ed, &eof);
		own_tstp(&r, 0);
		reading = 0;
		/* the editor's own writes (prompt, echo) do not pass out_unlock */
		out_lock();
		out_unlock();
		if (line != NULL && out_error() != 0) {
			free(line);
			continue;
		}
		if (line == NULL) {
			if (eof)
				break;
			continue;
		}
		if (!blank(line))
			run_line(&r, line);
		free(line);
	}
	if (!sh->quit) {
		/* Ctrl-D: the outer shell's prompt belongs on a line of its own */
		fputc('\n', stdout);
		fflush(stdout);
	}
	repl_close(&r);
	return sh->last_status;
}
