/*
 * Batch mode's writer on the shell side (see batch.h and zk/writer.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "zk/path.h"
#include "command.h"
#include "render.h"
#include "script.h"
#include "shell.h"
#include "util.h"
#include "zk/writer.h"
#include "zkerr.h"

struct bwriter {
	struct shell *sh;
	struct writer *w;
	struct batch_opts o;
	int writes;  /* write lines queued so far (atomic: a read after them is refused) */
	int refused; /* atomic: refused up front, nothing sent */
};

/* The first error a script printed, for the --keep-going summary. */
static long first_err_line;
static char first_err[ZKSH_PATH_MAX + 600];

#define BW(sh) ((struct bwriter *)(sh)->bw)

static void
on_ok(void *ctx, const struct wop *op)
{
	struct shell *sh = ctx;
	long saved = sh->line;
	int saved_json = sh->json_override;
	char text[ZKSH_PATH_MAX + 32];

	sh->line = op->line;
	sh->json_override = op->tag; /* the line's own -o json / -o text */
	render_begin(sh);
	switch (op->kind) {
	case WOP_CREATE:
		snprintf(text, sizeof(text), "Created %s", op->created);
		render_value(sh, "created", op->created, text);
		break;
	case WOP_SET:
		render_value(sh, "path", op->path, NULL);
		break;
	case WOP_DELETE:
		render_value(sh, "deleted", op->path, NULL);
		break;
	default:
		render_value(sh, "checked", op->path, NULL);
		break;
	}
	render_end(sh, ZX_OK);
	sh->line = saved;
	sh->json_override = saved_json;
}

static void
on_fail(void *ctx, const struct wop *op, int rc)
{
	struct shell *sh = ctx;
	long saved = sh->line;
	int saved_json = sh->json_override;

	sh->line = op->line;
	sh->json_override = op->tag;
	if (op->kind == WOP_CREATE && rc == ZNONODE) {
		/* NoNode from a create: the parent is what is missing */
		char parent[ZKSH_PATH_MAX];

		path_parent(op->path, parent, sizeof(parent));
		sh->last_status = zk_fail(sh, rc, parent);
	} else {
		sh->last_status = zk_fail(sh, rc, op->path);
	}
	sh->line = saved;
	sh->json_override = saved_json;
}

static void
on_note(void *ctx, const char *msg)
{
	struct shell *sh = ctx;

	out_lock();
	fflush(stdout);
	if (sh->src != NULL)
		fprintf(stderr, "%s: %s\n", sh->src, msg);
	else
		fprintf(stderr, "zksh: %s\n", msg);
	out_unlock();
}

void
batch_writer_start(struct shell *sh, const struct batch_opts *o)
{
	struct bwriter *bw = xcalloc(1, sizeof(*bw));
	struct writer_cb cb = {sh, on_ok, on_fail, on_note};

	bw->sh = sh;
	bw->o = *o;
	bw->w = writer_new(sh->sess, &cb, o->window);
	bw->w->keep_going = sh->keep_going;
	bw->w->atomic = o->atomic;
	bw->w->plain = o->plain;
	if (o->max_bytes > 0)
		bw->w->max_bytes = o->max_bytes;
	if (o->max_ops > 0)
		bw->w->max_ops = o->max_ops;
	sh->bw = bw;
}

void
batch_writer_end(struct shell *sh)
{
	struct bwriter *bw = BW(sh);

	if (bw == NULL)
		return;
	writer_free(bw->w);
	free(bw);
	sh->bw = NULL;
}

void
batch_saw_error(struct shell *sh, long line, const char *msg)
{
	if (first_err[0] != '\0' && line >= first_err_line)
		return;
	first_err_line = line;
	if (sh->src != NULL && line > 0)
		snprintf(first_err, sizeof(first_err), "%s:%ld: %s", sh->src, line, msg);
	else
		snprintf(first_err, sizeof(first_err), "%s", msg);
}

/* --atomic: refuse the script before anything is sent. */
static int
refuse(struct shell *sh, const char *why)
{
	struct bwriter *bw = BW(sh);

	bw->refused = 1;
	writer_discard(bw->w);
	return sh_error(sh, ZX_USAGE, "--atomic: %s; nothing was sent", why);
}

int
batch_submit(struct shell *sh, struct wop *op)
{
	struct bwriter *bw = BW(sh);
	char why[128];

	op->line = sh->line;
	op->tag = sh->json_override;
	if (bw->refused) {
		wop_release(op);
		return ZX_SKIPPED;
	}
	if (writer_add(bw->w, op) != 0) {
		snprintf(why, sizeof(why),
			 "the script's writes pass %ld bytes, the limit of one multi "
			 "(--batch-bytes)",
			 bw->w->max_bytes);
		return refuse(sh, why);
	}
	bw->writes++;
	return ZX_OK;
}

int
batch_hook(struct shell *sh, const struct cmd_entry *e, struct args *a)
{
	struct bwriter *bw = BW(sh);
	char why[256];
	int rc;

	if (bw->refused)
		return ZX_SKIPPED;
	if (e->submit != NULL) {
		rc = e->submit(sh, a);
		if (rc != ZX_UNBATCHED)
			return rc;
		if (bw->o.atomic) {
			snprintf(why, sizeof(why),
				 "this %s cannot go into a multi (a TTL or container "
				 "create, create -p or set -s)",
				 e->name);
			return refuse(sh, why);
		}
	} else if (bw->o.atomic && (e->attrs & CMD_WRITE)) {
		snprintf(why, sizeof(why), "%s cannot go into a multi", e->name);
		return refuse(sh, why);
	} else if (bw->o.atomic && (e->attrs & CMD_ZK) && bw->writes > 0) {
		snprintf(why, sizeof(why),
			 "a read (%s) between writes cannot see them before the "
			 "multi commits",
			 e->name);
		return refuse(sh, why);
	}
	if (!bw->o.atomic && writer_flush(bw->w) != 0)
		return ZX_SKIPPED;
	return ZX_UNBATCHED;
}

int
batch_flush(struct shell *sh)
{
	struct bwriter *bw = BW(sh);

	if (bw == NULL || bw->refused)
		return 0;
	if (bw->o.atomic) { /* a bad line: the all-or-nothing script sends nothing */
		bw->refused = 1;
		writer_discard(bw->w);
		return 0;
	}
	return writer_flush(bw->w);
}

int
batch_pipelined(const struct shell *sh)
{
	return BW(sh) != NULL && BW(sh)->o.pipelined;
}

int
batch_stopped(const struct shell *sh)
{
	const struct bwriter *bw = BW(sh);

	return bw != NULL && (bw->w->stop || bw->w->fatal || bw->refused);
}

int
batch_finish(struct shell *sh, struct batch *b)
{
	struct bwriter *bw = BW(sh);
	struct writer *w;
	long wfailed;
	char msg[512];

	if (bw == NULL)
		return -1;
	w = bw->w;
	if (bw->o.atomic) {
		if (b->failed == 0 && !bw->refused)
			writer_commit(w);
		else
			writer_discard(w);
	} else {
		writer_flush(w);
	}
	/* the write lines were counted ok when queued: correct with their outcome */
	wfailed = w->failed + w->unknown;
	b->ok -= wfailed + w->dropped;
	if (b->ok < 0)
		b->ok = 0;
	if (wfailed > 0 && (b->failed == 0 || w->first_line < b->first_line)) {
		b->first_code = w->first_rc == ZCONNECTIONLOSS ? ZX_CONN : zkerr_exit(w->first_rc);
		b->first_line = w->first_line;
	}
	if (wfailed > 0)
		b->other_failed = 1;
	b->failed += wfailed;
	if (w->fatal || w->unknown > 0) {
		char acked[64];

		if (w->ok > 0)
			snprintf(acked, sizeof(acked), "%ld line%s acknowledged (up to line %ld)",
				 w->ok, w->ok == 1 ? "" : "s", w->last_acked);
		else
			snprintf(acked, sizeof(acked), "no line acknowledged");
		snprintf(msg, sizeof(msg), "%s: %s, %ld of unknown outcome; no later line was sent",
			 w->fatal ? "the session was lost" : "connection lost", acked, w->unknown);
		on_note(sh, msg);
	} else if (w->failovers > 0) {
		snprintf(msg, sizeof(msg),
			 "the connection was lost %ld time%s; the client reconnected and the "
			 "batches in flight were settled by reads",
			 w->failovers, w->failovers == 1 ? "" : "s");
		on_note(sh, msg);
	}
	if (w->fatal || (w->unknown > 0 && !sh->keep_going))
		return ZX_CONN;
	return -1;
}

void
batch_summary(struct shell *sh, const struct batch *b)
{
	const struct bwriter *bw = BW(sh);

	if (!sh->keep_going || b->failed < 2 || first_err[0] == '\0')
		return;
	if (bw != NULL && bw->o.pipelined)
		return; /* --pipeline lists its failures and exits 4, as it always did */
	out_lock();
	fflush(stdout);
	fprintf(stderr, "%ld of %ld lines failed; first: %s\n", b->failed, b->ok + b->failed,
		first_err);
	out_unlock();
}
