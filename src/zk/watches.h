/*
 * Persistent watches, emulated. The ZooKeeper C client (3.8) has no addWatch,
 * so a persistent watch is a set of one-shot watches that are set again after
 * each event: an exists and a child watch on the root, and for a recursive
 * watch a data and a child watch on every node below it. When a child watch
 * fires, the children are listed again and compared with the last listing:
 * new children are reported as NodeCreated and watched, vanished ones as
 * NodeDeleted. Changes that happen between an event and the re-arming
 * coalesce into one event; the final state of every node seen is reported.
 *
 * The re-arming runs on the client's completion thread, so it goes on while
 * the main thread waits for input. Events go to the session's queue
 * (session_next_event) with zk_event.wid set to the watch's id. The
 * session's hooks (session_add_hook) end the watches with the handle: before
 * it closes no new watch is set, once it has closed they are all gone.
 */
#ifndef ZKSH_WATCHES_H
#define ZKSH_WATCHES_H

#include <stddef.h>

struct session;
struct zkctx;
struct zk_event;
struct walk_result;

#define WATCH_RECURSIVE 0x1 /* every node below, not only the node and its children list */
#define WATCH_PRIVATE	0x2 /* the events belong to the command that asked (watch) */
#define WATCH_DATA	0x4 /* events carry the node's data and stat, read after the event */

/*
 * The watch budget. On reconnect the 3.8 C client re-sends every watch of
 * the session in one SetWatches packet; past the server's jute.maxbuffer
 * (1 MiB by default, roughly 50,000 watched paths) the server drops it and
 * the session can never reconnect. So the emulated watches of a session
 * may use at most this many bytes of watched paths, counted as they are
 * armed: each node costs 2 * (length of its path + 4), a data and a child
 * watch as the packet carries them. 512 KiB leaves room for the one-shot
 * watches of other commands.
 */
#define WATCHES_DEFAULT_BUDGET (512 * 1024)
/* watches_add's answer when arming would pass the budget (no ZooKeeper code). */
#define WATCHES_OVER_BUDGET (-1000)

/* Set the session's budget in bytes (0: the default). */
void watches_set_budget(struct session *s, size_t bytes);
/* The session's budget; *used (may be NULL) gets what its watches use now. */
size_t watches_budget(struct session *s, size_t *used);

/*
 * Watch path with WATCH_* flags. Sets *id. Returns a ZooKeeper rc for the
 * root, or WATCHES_OVER_BUDGET when the subtree needs more than the budget
 * (nothing stays armed then); res (may be NULL) counts nodes below it that
 * could not be watched. Once set, a watch goes on past the budget by
 * reporting new nodes without watching them (said once on stderr).
 */
int watches_add(const struct zkctx *zc, const char *path, int flags, int *id,
		struct walk_result *res);

/* Remove the session's persistent watches on path; returns how many there were. */
int watches_remove_path(struct session *s, const char *path);
/* Remove one watch by id (the watch command's, when it ends). */
void watches_remove_id(struct session *s, int id);

/*
 * The hook for whoever prints events (the REPL, the watch command): call it
 * for every event taken from the queue; print the event only if it returns
 * 1. It hides events that belong to a running watch command, and one-shot
 * events (get -w ...) on nodes a persistent watch also reports, so each
 * change shows once, as with zkCli.
 */
int watches_on_event(struct session *s, const struct zk_event *e);

#endif
