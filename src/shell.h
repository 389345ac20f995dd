/*
 * The shell context: everything a command may touch is reached from here and
 * passed explicitly. Only the libedit callbacks keep a pointer of their own
 * (repl.c), because libedit offers them no user data.
 */
#ifndef ZKSH_SHELL_H
#define ZKSH_SHELL_H

#include <signal.h>
#include <stdio.h>

#include <cjson/cJSON.h>

/* Exit codes, as README.md ("Exit codes") and zksh(1) (EXIT STATUS) document them. */
#define ZX_OK	   0
#define ZX_ZK	   1   /* the ZooKeeper operation failed */
#define ZX_USAGE   2   /* bad flags, arguments, path, ACL or data */
#define ZX_CONN	   3   /* no connection, expired session, auth failed */
#define ZX_PARTIAL 4   /* a bulk operation finished partly */
#define ZX_IO	   5   /* local I/O: the script cannot be read, stdout cannot be written */
#define ZX_LOST	   6   /* lock/elect: the lock was lost while the command ran */
#define ZX_TIMEOUT 124 /* wait, queue pop --wait: the deadline passed (as timeout(1)) */
#define ZX_NOCMD   127 /* unknown command */
#define ZX_INTR	   130 /* batch mode stopped by Ctrl-C (128 + SIGINT) */

#include "zk/path.h" /* ZKSH_PATH_MAX */

struct session;
struct bwriter;

struct shell {
	struct session *sess;
	char cwd[ZKSH_PATH_MAX];
	int json;	 /* --json: each command prints one JSON document */
	int json_pretty; /* indent JSON (stdout is a terminal) */
	int keep_going;	 /* batch: go on after a failing command */
	int interactive; /* REPL: watch events and state changes are shown */
	int color;
	int quiet;     /* batch: no "Created" chatter on stdout */
	int read_only; /* --read-only: CMD_WRITE commands are refused up front */
	int progress;  /* --progress 1, --no-progress -1, else 0: progress.h */
	int printwatches;
	int last_status;
	int quit;   /* set by quit/exit */
	int closed; /* `close` ran: no reconnect until `connect` */

	/* Where the running command came from, for error messages. */
	const char *src; /* script name, "-c", "<stdin>", or NULL for argv */
	long line;

	cJSON *result;		     /* the running command's JSON document (json mode) */
	const char *cmd_name;	     /* the running command, for its records (render.h) */
	char subject[ZKSH_PATH_MAX]; /* its path: the first it resolved, "" none */
	int streamed;		     /* it streamed records, one a line */
	int json_override;	     /* -o json / -o text of the running command: -1 none */

	volatile sig_atomic_t interrupted; /* Ctrl-C asked the running command to stop */
	struct bwriter *bw;		   /* batch mode's writer (batch.h), NULL when off */
	long max_data; /* largest request sent, header and all (the server's jute.maxbuffer) */
	int window;    /* in-flight requests for walks and pipelines */
};

/* 1 when the running command renders JSON. */
int shell_json(const struct shell *sh);

#endif
