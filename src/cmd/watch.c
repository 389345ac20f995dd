/*
 * Watches: addWatch, removewatches, and watch (stream events). printwatches
 * lives with the REPL (cmd/shell.c), which prints the events.
 *
 * addWatch is emulated (see watches.h): the C client has no persistent
 * watches. One-shot watches (get -w, ls -w, stat -w, config -w) are the
 * client's own; the REPL prints their events, while watch prints those of
 * its own persistent watch until interrupted or COUNT events.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/common.h"
#include "command.h"
#include "render.h"
#include "session.h"
#include "shell.h"
#include "util.h"
#include "walk.h"
#include "watches.h"
#include "zkerr.h"

/* ---- addWatch ---------------------------------------------------------- */

/* -m: 1 for PERSISTENT_RECURSIVE (the default), 0 for PERSISTENT. */
static int
watch_mode(struct shell *sh, struct args *a, int *recursive)
{
	const char *mode = args_get(a, "m");

	*recursive = 1;
	if (mode != NULL && strcasecmp(mode, "PERSISTENT") == 0)
		*recursive = 0;
	else if (mode != NULL && strcasecmp(mode, "PERSISTENT_RECURSIVE") != 0)
		return sh_error(sh, ZX_USAGE,
				"addWatch: -m is PERSISTENT or PERSISTENT_RECURSIVE, "
				"not '%s'",
				mode);
	return ZX_OK;
}

static int
check_addwatch(struct shell *sh, struct args *a)
{
	int recursive;

	return watch_mode(sh, a, &recursive);
}

static int
cmd_addwatch(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct walk_result res;
	int recursive, id, rc;

	if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc;
	if ((rc = watch_mode(sh, a, &recursive)) != ZX_OK)
		return rc;
	rc = watches_add(sh, path, recursive, 0, &id, &res);
	if (rc != ZOK)
		return zk_fail(sh, rc, path);
	render_value(sh, "path", path, NULL);
	if (sh->result != NULL)
		cJSON_AddStringToObject(sh->result, "mode",
					recursive ? "PERSISTENT_RECURSIVE" : "PERSISTENT");
	return walk_report(sh, "addWatch", &res);
}

/* ---- removewatches ----------------------------------------------------- */

/*
 * Remove the one-shot watches of one kind; the C client reports nothing, so
 * the removal is reported here, as zkCli shows it. Returns a ZooKeeper rc.
 */
static int
remove_kind(struct shell *sh, const char *path, int wtype, int local)
{
	int rc = session_remove_watches(sh->sess, path, wtype, local);

	if (rc == ZOK)
		session_push_event(sh->sess,
				   wtype == ZWATCHTYPE_CHILD ? ZKSH_CHILD_WATCH_REMOVED_EVENT
							     : ZKSH_DATA_WATCH_REMOVED_EVENT,
				   ZOO_CONNECTED_STATE, path, 0);
	return rc;
}

static int
check_removewatches(struct shell *sh, struct args *a)
{
	if (args_has(a, "c") + args_has(a, "d") + args_has(a, "a") > 1)
		return sh_error(sh, ZX_USAGE, "removewatches: give only one of -c, -d, -a");
	return ZX_OK;
}

static int
cmd_removewatches(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	int c = args_has(a, "c"), d = args_has(a, "d");
	int local = args_has(a, "l");
	int rc = ZNOWATCHER, rc2, removed;

	if ((rc2 = check_removewatches(sh, a)) != ZX_OK)
		return rc2;
	if ((rc2 = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc2;
	if (!d)
		rc = remove_kind(sh, path, ZWATCHTYPE_CHILD, local);
	if (!c) {
		rc2 = remove_kind(sh, path, ZWATCHTYPE_DATA, local);
		rc = rc == ZNOWATCHER ? rc2 : rc;
	}
	/* persistent watches go with any of -c -d -a, as in zkCli */
	removed = watches_remove_path(sh->sess, path);
	if (rc != ZOK && !(rc == ZNOWATCHER && removed > 0))
		return zk_fail(sh, rc, path);
	render_value(sh, "path", path, NULL);
	return ZX_OK;
}

/* ---- watch ------------------------------------------------------------- */

/* The signal handler can reach nothing else: named as the one global it is. */
static volatile sig_atomic_t watch_interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	watch_interrupted = 1;
}

static void
print_event(struct shell *sh, const struct zk_event *e)
{
	out_lock();
	if (shell_json(sh)) {
		cJSON *o = cJSON_CreateObject();
		char *s;

		cJSON_AddStringToObject(o, "type", event_type_name(e->type));
		cJSON_AddStringToObject(o, "state", state_name(e->state));
		if (e->path != NULL)
			cJSON_AddStringToObject(o, "path", e->path);
		else
			cJSON_AddNullToObject(o, "path");
		s = cJSON_PrintUnformatted(o);
		puts(s);
		free(s);
		cJSON_Delete(o);
	} else {
		printf("WatchedEvent state:%s type:%s path:%s\n", state_name(e->state),
		       event_type_name(e->type), e->path ? e->path : "null");
	}
	fflush(stdout);
	out_unlock();
}

struct stream {
	int id;
	long max, seen;
	int lost;		       /* the connection dropped: its return is news too */
	struct zk_event *kept, **tail; /* not ours: handed back to the queue at the end */
};

/* Returns ZX_OK to go on, or the exit code that ends the stream. */
static int
take_event(struct shell *sh, struct stream *st, struct zk_event *e)
{
	if (e->wid == st->id) {
		print_event(sh, e);
		st->seen++;
		session_event_free(e);
		return ZX_OK;
	}
	if (e->type == ZOO_SESSION_EVENT) {
		int expired = e->state == ZOO_EXPIRED_SESSION_STATE;
		int up = e->state == ZOO_CONNECTED_STATE || e->state == ZOO_READONLY_STATE;

		/* the first connection is no news; losing it and getting it back are */
		if (!up || st->lost)
			print_event(sh, e);
		st->lost = !up;
		session_event_free(e);
		return expired ? sh_error(sh, ZX_CONN,
					  "watch: the session expired; its watches "
					  "are gone")
			       : ZX_OK;
	}
	*st->tail = e;
	st->tail = &e->next;
	return ZX_OK;
}

static int
stream_events(struct shell *sh, struct stream *st)
{
	struct pollfd pfd = {session_event_fd(sh->sess), POLLIN, 0};
	struct zk_event *e;
	int rc = ZX_OK;

	while (rc == ZX_OK && !watch_interrupted && !sh->interrupted &&
	       (st->max <= 0 || st->seen < st->max)) {
		if (poll(&pfd, 1, 200) < 0 && errno != EINTR)
			break;
		while (rc == ZX_OK && (st->max <= 0 || st->seen < st->max) &&
		       (e = session_next_event(sh->sess)) != NULL)
			rc = take_event(sh, st, e);
	}
	return rc;
}

static int
watch_count(struct shell *sh, struct args *a, long *max)
{
	const char *v = args_get(a, "n");
	long long n;

	*max = 0;
	if (v == NULL)
		return ZX_OK;
	if (parse_long(v, &n) != 0 || n < 1)
		return sh_error(sh, ZX_USAGE, "watch: -n wants a positive count, not '%s'", v);
	*max = (long)n;
	return ZX_OK;
}

static int
check_watch(struct shell *sh, struct args *a)
{
	long max;

	return watch_count(sh, a, &max);
}

static int
cmd_watch(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct sigaction sa, old;
	struct stream st;
	struct walk_result res;
	int rc;

	memset(&st, 0, sizeof(st));
	st.tail = &st.kept;
	if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc;
	if ((rc = watch_count(sh, a, &st.max)) != ZX_OK)
		return rc;
	/* a stream: one JSON object a line, not one document at the end */
	cJSON_Delete(sh->result);
	sh->result = NULL;
	rc = watches_add(sh, path, args_has(a, "R"), 1, &st.id, &res);
	if (rc != ZOK)
		return zk_fail(sh, rc, path);
	/* nodes that could not be read are reported, and the rest is watched */
	walk_report(sh, "watch", &res);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	watch_interrupted = 0;
	sigaction(SIGINT, &sa, &old);
	rc = stream_events(sh, &st);
	sigaction(SIGINT, &old, NULL);
	watches_remove_id(sh->sess, st.id);
	while (st.kept != NULL) {
		struct zk_event *e = st.kept;
		st.kept = e->next;
		session_push_event(sh->sess, e->type, e->state, e->path, e->wid);
		session_event_free(e);
	}
	return rc;
}

const struct cmd_entry cmd_watch_entries[] = {
    {.name = "addWatch",
     .flags = "m:",
     .min_args = 1,
     .max_args = 1,
     .usage = "[-m mode] path",
     .help = "watch path until removewatches; mode PERSISTENT (the node and its children "
	     "list) or PERSISTENT_RECURSIVE (every node below, the default). Emulated with "
	     "one-shot watches set again after each event: changes in quick succession "
	     "may coalesce into one event (the last state of every node seen is reported), "
	     "and a node created and deleted between two looks may not show at all",
     .complete = CPL_PATH,
     .attrs = CMD_ZK | CMD_EMULATED,
     .exec = cmd_addwatch,
     .check = check_addwatch},
    {.name = "removewatches",
     .flags = "c d a l",
     .min_args = 1,
     .max_args = 1,
     .usage = "path [-c|-d|-a] [-l]",
     .help = "remove the watches on path: -c child, -d data, -a any (default); persistent "
	     "watches too. -l removes them locally when the server cannot be reached",
     .complete = CPL_PATH,
     .attrs = CMD_ZK,
     .exec = cmd_removewatches,
     .check = check_removewatches},
    {.name = "watch",
     .flags = "R n:",
     .min_args = 1,
     .max_args = 1,
     .usage = "[-R] [-n COUNT] path",
     .help = "print the events of path (-R: of every node below it) as they happen, until "
	     "Ctrl-C or COUNT events; with --json one object a line. Emulated like addWatch: "
	     "quick successive changes may coalesce",
     .complete = CPL_PATH,
     .attrs = CMD_ZK | CMD_EMULATED,
     .exec = cmd_watch,
     .check = check_watch},
    {0},
};
