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
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/common.h"
#include "command.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zk/walk.h"
#include "zk/watches.h"
#include "zkerr.h"

/* ---- the watch budget and flags shared by addWatch and watch ----------- */

/* --max-watch-bytes N: the session's budget of watched paths (watches.h). */
static int
watch_budget_opt(struct shell *sh, struct args *a, const char *cmd)
{
	const char *v = args_get(a, "max-watch-bytes");
	long long n;

	if (v == NULL)
		return ZX_OK;
	if (parse_long(v, &n) != 0 || n < 1 || n > (1LL << 40))
		return sh_error(sh, ZX_USAGE,
				"%s: --max-watch-bytes wants a positive number of bytes, not '%s'",
				cmd, v);
	watches_set_budget(sh->sess, (size_t)n);
	return ZX_OK;
}

/*
 * watches_add, with the refusal of a subtree past the budget explained. A
 * refusal is a usage error (exit 2): the request is what must change (a
 * smaller subtree, or a larger --max-watch-bytes), not the server.
 */
static int
add_watch(struct shell *sh, const char *cmd, const char *path, int flags, int *id,
	  struct walk_result *res)
{
	struct zkctx zc = shell_zkctx(sh);
	int rc = watches_add(&zc, path, flags, id, res);
	size_t used, budget;

	if (rc == WATCHES_OVER_BUDGET) {
		budget = watches_budget(sh->sess, &used);
		return sh_error(
		    sh, ZX_USAGE,
		    "%s: refused: watching every node below %s would pass the watch "
		    "budget of %zu bytes of watched paths (%zu in use by other watches). "
		    "On reconnect the ZooKeeper C client re-sends all watches in one "
		    "SetWatches packet, and a packet over the server's jute.maxbuffer "
		    "(about 50,000 paths) means the session can never reconnect. Watch a "
		    "smaller subtree, or raise --max-watch-bytes if the server's "
		    "jute.maxbuffer allows it; nothing was left armed",
		    cmd, path, budget, used);
	}
	if (rc != ZOK)
		return zk_fail(sh, rc, path);
	return ZX_OK;
}

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
	if ((rc = watch_budget_opt(sh, a, "addWatch")) != ZX_OK)
		return rc;
	if ((rc = watch_mode(sh, a, &recursive)) != ZX_OK)
		return rc;
	rc = add_watch(sh, "addWatch", path,
		       (recursive ? WATCH_RECURSIVE : 0) | (args_has(a, "data") ? WATCH_DATA : 0),
		       &id, &res);
	if (rc != ZX_OK)
		return rc;
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

/* What watch adds to each event: --zxid, and --data (which implies it). */
struct show {
	int zxid, data;
};

static void
hex_field(cJSON *o, const char *key, int64_t v)
{
	char hex[24];

	snprintf(hex, sizeof(hex), "0x%" PRIx64, (uint64_t)v);
	cJSON_AddStringToObject(o, key, hex);
}

static void
print_event_json(struct shell *sh, const struct show *show, const struct zk_event *e)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	cJSON_AddStringToObject(o, "type", event_type_name(e->type));
	cJSON_AddStringToObject(o, "state", state_name(e->state));
	if (e->path != NULL)
		cJSON_AddStringToObject(o, "path", e->path);
	else
		cJSON_AddNullToObject(o, "path");
	if (show->zxid && e->zxid != 0)
		hex_field(o, "zxid", e->zxid);
	if (show->data && e->have_stat) {
		cJSON_AddNumberToObject(o, "version", e->stat.version);
		hex_field(o, "mzxid", e->stat.mzxid);
		/* the data as get --json gives it: "data", "data_base64" or null */
		sh->result = o;
		render_data(sh, e->data, e->datalen, DATA_TEXT);
		sh->result = NULL;
	}
	s = cJSON_PrintUnformatted(o);
	puts(s);
	free(s);
	cJSON_Delete(o);
}

/*
 * zkCli's event line, then (zksh's watch only) " zxid:0x..." where the
 * change's zxid is known; with --data " version:N mzxid:0x..." and the data
 * on a line of its own, as get prints it, for events that read the node.
 */
static void
print_event(struct shell *sh, const struct show *show, const struct zk_event *e)
{
	out_lock();
	if (shell_json(sh)) {
		print_event_json(sh, show, e);
	} else {
		printf("WatchedEvent state:%s type:%s path:%s", state_name(e->state),
		       event_type_name(e->type), e->path ? e->path : "null");
		if (show->zxid && e->zxid != 0)
			printf(" zxid:0x%" PRIx64, (uint64_t)e->zxid);
		if (show->data && e->have_stat)
			printf(" version:%d mzxid:0x%" PRIx64, (int)e->stat.version,
			       (uint64_t)e->stat.mzxid);
		putchar('\n');
		if (show->data && e->have_stat) {
			if (e->datalen < 0)
				fputs("null", stdout);
			else
				fwrite(e->data, 1, (size_t)e->datalen, stdout);
			putchar('\n');
		}
	}
	fflush(stdout);
	out_unlock();
}

struct stream {
	int id;
	struct show show;
	long max, seen;
	int lost;		       /* the connection dropped: its return is news too */
	struct zk_event *kept, **tail; /* not ours: handed back to the queue at the end */
};

/* Returns ZX_OK to go on, or the exit code that ends the stream. */
static int
take_event(struct shell *sh, struct stream *st, struct zk_event *e)
{
	if (e->wid == st->id) {
		print_event(sh, &st->show, e);
		st->seen++;
		session_event_free(e);
		return ZX_OK;
	}
	if (e->type == ZOO_SESSION_EVENT) {
		int expired = e->state == ZOO_EXPIRED_SESSION_STATE;
		int up = e->state == ZOO_CONNECTED_STATE || e->state == ZOO_READONLY_STATE;

		/* the first connection is no news; losing it and getting it back are */
		if (!up || st->lost)
			print_event(sh, &st->show, e);
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
	if ((rc = watch_budget_opt(sh, a, "watch")) != ZX_OK)
		return rc;
	st.show.data = args_has(a, "data");
	st.show.zxid = st.show.data || args_has(a, "zxid");
	/* a stream: one JSON object a line, not one document at the end */
	cJSON_Delete(sh->result);
	sh->result = NULL;
	rc = add_watch(sh, "watch", path,
		       WATCH_PRIVATE | (args_has(a, "R") ? WATCH_RECURSIVE : 0) |
			   (st.show.data ? WATCH_DATA : 0),
		       &st.id, &res);
	if (rc != ZX_OK)
		return rc;
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
		session_queue_event(sh->sess, e); /* with all it carries */
	}
	return rc;
}

const struct cmd_entry cmd_watch_entries[] = {
    {.name = "addWatch",
     .flags = "m: data max-watch-bytes:",
     .min_args = 1,
     .max_args = 1,
     .usage = "[-m mode] [--data] [--max-watch-bytes N] path",
     .help = "watch path until removewatches; mode PERSISTENT (the node and its children "
	     "list) or PERSISTENT_RECURSIVE (every node below, the default). Emulated with "
	     "one-shot watches set again after each event: changes in quick succession "
	     "may coalesce into one event (the last state of every node seen is reported), "
	     "a node created and deleted between two looks may not show at all, and events "
	     "of different nodes may arrive out of order (a NodeDeleted of /a/b after a "
	     "later NodeDataChanged of /a): each node is re-armed by a request of its own. "
	     "--data adds a line with the version and mzxid and one with the data, read "
	     "after the event. A subtree whose watched paths would pass the session's "
	     "budget (512 KiB, --max-watch-bytes; the C client must re-send them all in "
	     "one packet under jute.maxbuffer on reconnect) is refused with exit 2",
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
     .flags = "R n: data zxid max-watch-bytes:",
     .min_args = 1,
     .max_args = 1,
     .usage = "[-R] [-n COUNT] [--data] [--zxid] [--max-watch-bytes N] path",
     .help = "print the events of path (-R: of every node below it) as they happen, until "
	     "Ctrl-C or COUNT events; with --json one object a line. Emulated like addWatch: "
	     "quick successive changes may coalesce, and events of different nodes may "
	     "arrive out of order (a NodeDeleted of /a/b after a later NodeDataChanged of "
	     "/a). --zxid appends zxid:0x... (JSON \"zxid\") where zksh knows the change's "
	     "zxid: the mzxid read after a data change, the czxid of a created node, the "
	     "pzxid of the listing after a child change; order by it. --data implies "
	     "--zxid and adds version:N mzxid:0x... and the data on a line of its own "
	     "(JSON \"version\", \"mzxid\", \"data\" or \"data_base64\"), read after the "
	     "event. -R over more than the watch budget (512 KiB of watched paths, "
	     "--max-watch-bytes) is refused with exit 2",
     .complete = CPL_PATH,
     .attrs = CMD_ZK | CMD_EMULATED,
     .exec = cmd_watch,
     .check = check_watch},
    {0},
};
