/*
 * Backup and copy: export, import, cp, diff, edit.
 *
 * export streams a subtree as JSON Lines (backupfmt.h) on the pipelined
 * walker, with a getAcl per node kept in flight alongside it. The node lines
 * go to a temporary file first, because the header (first line) carries the
 * counts and the ephemerals skipped, known only at the end; nothing reaches
 * the output when the walk failed. import reads the whole file once to
 * check it, then writes through the multi() writer; cp and diff are export
 * (and import) between two sessions.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zk/acl.h"
#include "backupfmt.h"
#include "cmd/backup.h"
#include "cmd/common.h"
#include "conn.h"
#include "command.h"
#include "progress.h"
#include "zk/path.h"
#include "zk/pathset.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zk/walk.h"
#include "zk/engine.h"
#include "zk/writer.h"
#include "zkerr.h"

/* ---- export ---------------------------------------------------------------- */

struct aslot {
	struct exp *x;
	char *path; /* absolute */
	char *data;
	int len;
	int type;
	long long ttl;
	struct Stat st;
	struct ACL_vector acl;
	int done, rc;
};

struct exp {
	struct shell *sh;
	const char *root;
	const struct exp_opts *o;
	FILE *tmp;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct aslot *ring;
	int cap, head, count;
	long long nodes, bytes;
	char **eph;
	long long neph, ephcap;
	int64_t zxid_first, zxid_last;
	int seen_root;
	long failed;
	int first_rc;
	char first_path[ZKSH_PATH_MAX];
	int io_error;
	int timed_out; /* an answer did not come: x is leaked, a late one may still */
	struct progress prog;
};

static const char *
rel_path(const char *root, const char *path)
{
	if (strcmp(root, "/") == 0)
		return path;
	return path[strlen(root)] == '\0' ? "/" : path + strlen(root);
}

static void
acl_copy(struct ACL_vector *dst, const struct ACL_vector *src)
{
	dst->count = src != NULL ? src->count : 0;
	dst->data = xcalloc((size_t)(dst->count > 0 ? dst->count : 1), sizeof(struct ACL));
	for (int i = 0; i < dst->count; i++) {
		dst->data[i].perms = src->data[i].perms;
		dst->data[i].id.scheme = xstrdup(src->data[i].id.scheme);
		dst->data[i].id.id = xstrdup(src->data[i].id.id);
	}
}

static void
acl_done(int rc, struct ACL_vector *acl, struct Stat *st, const void *data)
{
	struct aslot *s = (struct aslot *)data;
	struct exp *x = s->x;

	(void)st;
	pthread_mutex_lock(&x->mu);
	s->rc = rc;
	if (rc == ZOK)
		acl_copy(&s->acl, acl);
	s->done = 1;
	pthread_cond_broadcast(&x->cv);
	pthread_mutex_unlock(&x->mu);
}

static void
slot_clear(struct aslot *s)
{
	free(s->path);
	free(s->data);
	if (s->acl.data != NULL)
		acl_free(&s->acl);
	memset(s, 0, sizeof(*s));
}

/* Write the head slot's line (called with x->mu held). */
static void
emit_head(struct exp *x)
{
	struct aslot *s = &x->ring[x->head];
	struct bnode n;
	char *line;

	if (s->rc == ZNONODE) {
		/* deleted while the export ran: as the walker skips it */
	} else if (s->rc != ZOK) {
		if (x->failed++ == 0) {
			x->first_rc = s->rc;
			snprintf(x->first_path, sizeof(x->first_path), "%s", s->path);
		}
	} else {
		memset(&n, 0, sizeof(n));
		n.path = (char *)rel_path(x->root, s->path);
		n.data = s->data;
		n.len = s->len;
		n.acl = s->acl;
		n.type = s->type;
		n.ttl = s->ttl;
		n.stat = x->o->want_stat ? &s->st : NULL;
		line = bfmt_encode_node(&n);
		if (fputs(line, x->tmp) == EOF || fputc('\n', x->tmp) == EOF)
			x->io_error = errno ? errno : EIO;
		free(line);
		x->nodes++;
		x->bytes += s->len > 0 ? s->len : 0;
	}
	slot_clear(s);
	x->head = (x->head + 1) % x->cap;
	x->count--;
}

/* Write every answered slot at the head; with all, wait for every one. */
static int
emit_ready(struct exp *x, int all)
{
	struct timespec ts;

	pthread_mutex_lock(&x->mu);
	while (x->count > 0) {
		if (!x->ring[x->head].done) {
			if (!all && x->count < x->cap)
				break;
			if (x->timed_out)
				break;
			eng_deadline(&ts, x->sh->sess->timeout_ms);
			if (pthread_cond_timedwait(&x->cv, &x->mu, &ts) == ETIMEDOUT &&
			    !x->ring[x->head].done) {
				/* no answer within the session timeout: stop, and keep x alive */
				x->timed_out = 1;
				snprintf(x->first_path, sizeof(x->first_path), "%s",
					 x->ring[x->head].path);
				break;
			}
			continue;
		}
		emit_head(x);
	}
	pthread_mutex_unlock(&x->mu);
	return 0;
}

static int64_t
max3(int64_t a, int64_t b, int64_t c)
{
	int64_t m = a > b ? a : b;

	return m > c ? m : c;
}

static int
under_zookeeper(const char *p)
{
	return strncmp(p, "/zookeeper", 10) == 0 && (p[10] == '\0' || p[10] == '/');
}

static int
exp_visit(void *ctx, const struct walk_node *wn)
{
	struct exp *x = ctx;
	struct aslot *s;
	long long ttl;
	int type, rc;
	int64_t z = max3(wn->stat->czxid, wn->stat->mzxid, wn->stat->pzxid);

	if (x->sh->interrupted || x->timed_out)
		return -1;
	if (!x->o->include_zookeeper && strcmp(wn->path, "/zookeeper") == 0 &&
	    !under_zookeeper(x->root))
		return 1;
	if (!x->seen_root) {
		x->seen_root = 1;
		x->zxid_first = z;
	}
	if (z > x->zxid_last)
		x->zxid_last = z;
	type = bfmt_owner_type(wn->stat->ephemeralOwner, &ttl);
	if (type == BT_EPHEMERAL) {
		if (x->neph == x->ephcap) {
			x->ephcap = x->ephcap ? x->ephcap * 2 : 16;
			x->eph = xrealloc(x->eph, (size_t)x->ephcap * sizeof(char *));
		}
		x->eph[x->neph++] = xstrdup(rel_path(x->root, wn->path));
		return 1;
	}
	progress_tick(&x->prog);
	emit_ready(x, 0); /* makes room: waits for the head when the ring is full */
	pthread_mutex_lock(&x->mu);
	s = &x->ring[(x->head + x->count) % x->cap];
	memset(s, 0, sizeof(*s));
	s->x = x;
	s->path = xstrdup(wn->path);
	s->len = wn->datalen;
	if (wn->datalen >= 0) {
		s->data = xmalloc((size_t)wn->datalen + 1);
		memcpy(s->data, wn->data, (size_t)wn->datalen);
	}
	s->type = type;
	s->ttl = ttl;
	s->st = *wn->stat;
	x->count++;
	pthread_mutex_unlock(&x->mu);
	rc = zoo_aget_acl(ZH(x->sh), s->path, acl_done, s);
	if (rc != ZOK)
		acl_done(rc, NULL, NULL, s);
	return 0;
}

static int
copy_stream(FILE *from, FILE *to)
{
	char buf[65536];
	size_t n;

	rewind(from);
	while ((n = fread(buf, 1, sizeof(buf), from)) > 0)
		if (fwrite(buf, 1, n, to) != n)
			return -1;
	return ferror(from) ? -1 : 0;
}

int
backup_export(struct shell *sh, const char *root, const struct exp_opts *o, FILE *out,
	      struct exp_stats *stats)
{
	struct exp *xp = xcalloc(1, sizeof(*xp)); /* leaked when an answer never came */
	struct walk_opts wo;
	struct walk_result res;
	char *header;
	int rc, code = ZX_OK;

	xp->sh = sh;
	xp->root = root;
	xp->o = o;
	xp->cap = sh->window > 0 ? sh->window : 512;
	xp->ring = xcalloc((size_t)xp->cap, sizeof(*xp->ring));
	pthread_mutex_init(&xp->mu, NULL);
	pthread_cond_init(&xp->cv, NULL);
	xp->tmp = tmpfile();
	if (xp->tmp == NULL) {
		code = sh_error(sh, ZX_IO, "export: cannot create a temporary file: %s",
				strerror(errno));
		goto out;
	}
	memset(&wo, 0, sizeof(wo));
	wo.want_data = 1;
	wo.max_depth = o->max_depth;
	progress_start(&xp->prog, sh, o->what != NULL ? o->what : "export", 0);
	rc = walk_tree(sh, root, &wo, exp_visit, xp, &res);
	emit_ready(xp, 1);
	progress_end(&xp->prog);
	if (xp->timed_out) {
		fclose(xp->tmp);
		return sh_error(sh, ZX_CONN,
				"export: no answer within %d ms for the ACL of %s; nothing written",
				sh->sess->timeout_ms, xp->first_path);
	}
	if (rc != ZOK) {
		code = zk_fail(sh, rc, root);
		goto out;
	}
	if ((code = walk_report(sh, "export", &res)) != ZX_OK)
		goto out;
	if (xp->failed > 0) {
		char msg[512];

		zkerr_message(xp->first_rc, xp->first_path, msg, sizeof(msg));
		code = sh_error(sh, ZX_PARTIAL,
				"export: the ACL of %ld nodes could not be read; "
				"first: %s; nothing written",
				xp->failed, msg);
		goto out;
	}
	if (xp->io_error || fflush(xp->tmp) != 0) {
		code = sh_error(sh, ZX_IO, "export: temporary file: %s",
				strerror(xp->io_error ? xp->io_error : errno));
		goto out;
	}
	header = bfmt_encode_header(root, xp->zxid_first, xp->zxid_last, xp->nodes, xp->bytes,
				    xp->eph, xp->neph, o->include_zookeeper, o->want_stat);
	if (fputs(header, out) == EOF || fputc('\n', out) == EOF ||
	    copy_stream(xp->tmp, out) != 0 || fflush(out) != 0)
		code = sh_error(sh, ZX_IO, "export: write error: %s", strerror(errno));
	free(header);
	if (stats != NULL) {
		stats->nodes = xp->nodes;
		stats->bytes = xp->bytes;
		stats->ephemerals = xp->neph;
	}
out:
	if (xp->tmp != NULL)
		fclose(xp->tmp);
	for (long long i = 0; i < xp->neph; i++)
		free(xp->eph[i]);
	free(xp->eph);
	free(xp->ring);
	pthread_mutex_destroy(&xp->mu);
	pthread_cond_destroy(&xp->cv);
	free(xp);
	return code;
}

static int
cmd_export(struct shell *sh, struct args *a)
{
	char root[ZKSH_PATH_MAX];
	const char *file = args_get(a, "output");
	struct exp_opts o;
	struct exp_stats st;
	FILE *out = stdout;
	int code;

	if ((code = args_path(a, 0, root)) != ZX_OK)
		return code;
	memset(&o, 0, sizeof(o));
	o.want_stat = args_has(a, "stat");
	o.include_zookeeper = args_has(a, "include-zookeeper");
	o.max_depth = -1;
	if (file != NULL && strcmp(file, "-") != 0) {
		out = fopen(file, "w");
		if (out == NULL)
			return sh_error(sh, ZX_IO, "export: cannot write %s: %s", file,
					strerror(errno));
	} else {
		file = NULL; /* stdout: written only at the end, after the walk */
	}
	code = backup_export(sh, root, &o, out, &st);
	if (file != NULL && fclose(out) != 0 && code == ZX_OK) {
		code = sh_error(sh, ZX_IO, "export: cannot write %s: %s", file, strerror(errno));
	}
	if (code != ZX_OK) {
		if (file != NULL)
			unlink(file);
		return code;
	}
	if (file != NULL) {
		render_number(sh, "nodes", st.nodes, NULL);
		render_text(sh, "exported %lld node%s (%lld bytes of data) from %s to %s\n",
			    st.nodes, st.nodes == 1 ? "" : "s", st.bytes, root, file);
	}
	if (st.ephemerals > 0)
		fprintf(stderr,
			"zksh: export: %lld ephemeral node%s skipped (listed in the header)\n",
			st.ephemerals, st.ephemerals == 1 ? "" : "s");
	return ZX_OK;
}

/* ---- import ---------------------------------------------------------------- */

/* A line read whole: 1, 0 at the end, -1 for a last line without its '\n'. */
static int
read_line(FILE *in, char **line, size_t *cap)
{
	ssize_t n = getline(line, cap, in);

	if (n < 0)
		return 0;
	if (n == 0 || (*line)[n - 1] != '\n')
		return -1;
	(*line)[n - 1] = '\0';
	return 1;
}

/* Whether one of acl's entries grants CREATE to the session's identities. */
static int
grants_create(const struct session *sess, const struct ACL_vector *acl)
{
	for (int i = 0; i < acl->count; i++) {
		const struct ACL *e = &acl->data[i];

		if (!(e->perms & ZOO_PERM_CREATE))
			continue;
		if (strcmp(e->id.scheme, "world") == 0 && strcmp(e->id.id, "anyone") == 0)
			return 1;
		if (strcmp(e->id.scheme, "digest") != 0)
			continue;
		for (const struct auth_cred *c = sess->auths; c != NULL; c = c->next) {
			char id[512];

			if (strcmp(c->scheme, "digest") == 0 &&
			    acl_digest(c->cred, id, sizeof(id)) == 0 && strcmp(id, e->id.id) == 0)
				return 1;
		}
	}
	return 0;
}

struct icheck {
	long long nodes;
	long long bytes;
	long long seq;	    /* names that look sequential (10 digits at the end) */
	long long deferred; /* nodes created first with the session's own ACL */
	struct bheader h;
};

static int
looks_sequential(const char *path)
{
	size_t n = strlen(path), d = 0;

	while (d < n && path[n - 1 - d] >= '0' && path[n - 1 - d] <= '9')
		d++;
	return d >= 10;
}

/*
 * Read the whole file: the header, then every node line. The first problem
 * is reported as name:line: what (exit 2), before anything is written.
 */
static int
validate(struct shell *sh, FILE *in, const char *name, const char *what, struct icheck *ck)
{
	struct bcheck bc;
	struct bnode n, prev;
	char *line = NULL, err[1024];
	size_t cap = 0;
	long lineno = 1;
	int r, prev_locked = 0, code = ZX_OK;
	int have_ids = sh->sess->auths != NULL;

	memset(ck, 0, sizeof(*ck));
	memset(&prev, 0, sizeof(prev));
	r = read_line(in, &line, &cap);
	if (r == 0) {
		free(line);
		return sh_error(sh, ZX_USAGE, "%s: %s:1: empty file, not a zksh export", what,
				name);
	}
	if (r < 0 || bfmt_decode_header(line, &ck->h, err, sizeof(err)) != 0) {
		free(line);
		return sh_error(sh, ZX_USAGE, "%s: %s:1: %s", what, name,
				r < 0 ? "truncated header (no end of line)" : err);
	}
	bcheck_init(&bc, sh->max_data > 0 ? sh->max_data : 1048576 - 1024);
	while ((r = read_line(in, &line, &cap)) != 0) {
		lineno++;
		if (r < 0) {
			code = sh_error(sh, ZX_USAGE, "%s: %s:%ld: truncated line (no end of line)",
					what, name, lineno);
			break;
		}
		if (bfmt_decode_node(line, &n, err, sizeof(err)) != 0 ||
		    bcheck_node(&bc, &n, err, sizeof(err)) != 0) {
			if (n.path != NULL)
				bfmt_node_free(&n);
			code = sh_error(sh, ZX_USAGE, "%s: %s:%ld: %s", what, name, lineno, err);
			break;
		}
		/* a node whose ACL keeps us from creating its children needs an identity */
		if (prev_locked && bfmt_is_child(prev.path, n.path)) {
			ck->deferred++;
			if (!have_ids) {
				code =
				    sh_error(sh, ZX_USAGE,
					     "%s: %s:%ld: the ACL of %s denies this session "
					     "CREATE, and the session has no identity to create it "
					     "with (addauth or ZKSH_AUTH first)",
					     what, name, lineno - 1, prev.path);
				bfmt_node_free(&n);
				break;
			}
			prev_locked = 0;
		}
		bfmt_node_free(&prev);
		prev = n;
		prev_locked = !grants_create(sh->sess, &n.acl);
		ck->nodes++;
		ck->bytes += n.len > 0 ? n.len : 0;
		ck->seq += looks_sequential(n.path);
	}
	bfmt_node_free(&prev);
	bcheck_free(&bc);
	free(line);
	if (code == ZX_OK && ferror(in))
		code = sh_error(sh, ZX_IO, "%s: cannot read %s: %s", what, name, strerror(errno));
	if (code == ZX_OK && ck->nodes != ck->h.nodes)
		code = sh_error(sh, ZX_USAGE,
				"%s: %s:%ld: the file ends after %lld of the %lld nodes its header "
				"announces (truncated?)",
				what, name, lineno + 1, ck->nodes, ck->h.nodes);
	if (code == ZX_OK && ck->nodes == 0)
		code = sh_error(sh, ZX_USAGE, "%s: %s:2: no nodes", what, name);
	if (code != ZX_OK)
		bfmt_header_free(&ck->h);
	return code;
}

struct dacl {
	char *path;
	struct ACL_vector acl;
	int created;
};

struct imp {
	struct shell *sh;
	const struct imp_opts *o;
	const char *target;
	struct writer *w;
	struct pathset existing;
	long long written, set, skipped;
	long first_ok_line, last_ok_line;
	int fail_rc;
	long fail_line;
	char fail_path[ZKSH_PATH_MAX];
	struct dacl *def;
	long ndef, defcap;
};

static void
imp_ok(void *ctx, const struct wop *op)
{
	struct imp *im = ctx;

	if (op->kind == WOP_CREATE)
		im->written++;
	else
		im->set++;
	if (im->first_ok_line == 0)
		im->first_ok_line = op->line;
	im->last_ok_line = op->line;
	if (op->tag > 0)
		im->def[op->tag - 1].created = 1;
}

static void
imp_fail(void *ctx, const struct wop *op, int rc)
{
	struct imp *im = ctx;

	if (im->fail_rc != ZOK)
		return;
	im->fail_rc = rc;
	im->fail_line = op->line;
	snprintf(im->fail_path, sizeof(im->fail_path), "%s", op->path);
}

static void
imp_note(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "zksh: %s\n", msg);
}

static void
abs_path(const char *target, const char *rel, char *out)
{
	if (strcmp(rel, "/") == 0)
		snprintf(out, ZKSH_PATH_MAX, "%s", target);
	else if (strcmp(target, "/") == 0)
		snprintf(out, ZKSH_PATH_MAX, "%s", rel);
	else
		snprintf(out, ZKSH_PATH_MAX, "%s%s", target, rel);
}

static int
exist_visit(void *ctx, const struct walk_node *n)
{
	struct imp *im = ctx;

	pathset_insert(&im->existing, n->path);
	return 0;
}

/* A create the writer cannot batch (container, TTL): sent alone, after a flush. */
static int
create_alone(struct imp *im, const char *path, const struct bnode *n, const struct ACL_vector *acl,
	     long line, int tag)
{
	struct wop op;
	int rc;

	if (writer_flush(im->w) != 0)
		return -1;
	if (n->type == BT_TTL)
		rc =
		    zoo_create2_ttl(ZH(im->sh), path, n->data, n->len, acl, ZOO_PERSISTENT_WITH_TTL,
				    n->ttl > 0 ? n->ttl : 1, NULL, 0, NULL);
	else
		rc = zoo_create(ZH(im->sh), path, n->data, n->len, acl, ZOO_CONTAINER, NULL, 0);
	memset(&op, 0, sizeof(op));
	op.kind = WOP_CREATE;
	op.line = line;
	op.path = (char *)path;
	op.tag = tag;
	if (rc != ZOK) {
		imp_fail(im, &op, rc);
		return -1;
	}
	imp_ok(im, &op);
	return 0;
}

static struct ACL_vector own_acl_vec;
/* Remember an ACL to set once the import's writes are done; returns its tag (index + 1). */
static long
defer_acl(struct imp *im, const char *path, const struct ACL_vector *acl, int created)
{
	if (im->ndef == im->defcap) {
		im->defcap = im->defcap ? im->defcap * 2 : 16;
		im->def = xrealloc(im->def, (size_t)im->defcap * sizeof(*im->def));
	}
	im->def[im->ndef].path = xstrdup(path);
	acl_copy(&im->def[im->ndef].acl, acl);
	im->def[im->ndef].created = created;
	return ++im->ndef;
}

/* auth::cdrwa: the importing session's own identities, never world:anyone */
static struct ACL own_acl_entry = {0x1f, {"auth", ""}};

static int
add_create(struct imp *im, const char *path, struct bnode *n, int has_children, long line)
{
	struct wop op;
	const struct ACL_vector *acl = &n->acl;
	int tag = 0;

	own_acl_vec.count = 1;
	own_acl_vec.data = &own_acl_entry;
	if (has_children && !grants_create(im->sh->sess, &n->acl)) {
		/* the node's own ACL would lock us out of its children: set it after them */
		tag = (int)defer_acl(im, path, &n->acl, 0);
		acl = &own_acl_vec;
	}
	if (n->type == BT_CONTAINER || n->type == BT_TTL)
		return create_alone(im, path, n, acl, line, tag);
	memset(&op, 0, sizeof(op));
	op.kind = WOP_CREATE;
	op.line = line;
	op.path = xstrdup(path);
	op.data = n->data;
	op.len = n->len;
	n->data = NULL;
	op.mode = ZOO_PERSISTENT;
	if (acl == &n->acl) {
		op.acl = n->acl;
		op.own_acl = 1;
		n->acl.data = NULL;
		n->acl.count = 0;
	} else {
		op.acl = *acl;
	}
	op.tag = tag;
	writer_add(im->w, &op);
	return im->w->stop ? -1 : 0;
}

/* An existing node under --overwrite or --merge: set its data (and its ACL later). */
static int
add_existing(struct imp *im, const char *path, struct bnode *n, long line)
{
	struct wop op;

	if (im->o->mode == IMP_SKIP) {
		im->skipped++;
		return 0;
	}
	if (im->o->mode == IMP_OVERWRITE) {
		defer_acl(im, path, &n->acl, 1);
	}
	memset(&op, 0, sizeof(op));
	op.kind = WOP_SET;
	op.line = line;
	op.path = xstrdup(path);
	op.data = n->data;
	op.len = n->len;
	n->data = NULL;
	op.version = -1;
	writer_add(im->w, &op);
	return im->w->stop ? -1 : 0;
}

static int
import_node(struct imp *im, struct bnode *n, int has_children, long line)
{
	char path[ZKSH_PATH_MAX];

	abs_path(im->target, n->path, path);
	if (pathset_find(&im->existing, path) != NULL)
		return add_existing(im, path, n, line);
	return add_create(im, path, n, has_children, line);
}

/* The real ACLs of the nodes created with the session's own, once their children exist. */
static int
set_deferred(struct imp *im, long *done)
{
	int rc = ZOK;

	*done = 0;
	for (long i = im->ndef - 1; i >= 0; i--) {
		int r;

		if (!im->def[i].created)
			continue;
		r = zoo_set_acl(ZH(im->sh), im->def[i].path, -1, &im->def[i].acl);
		if (r == ZOK) {
			(*done)++;
		} else if (rc == ZOK) {
			rc = r;
			snprintf(im->fail_path, sizeof(im->fail_path), "%s", im->def[i].path);
		}
	}
	return rc;
}

static int
write_nodes(struct imp *im, FILE *in, long long total)
{
	struct progress prog;
	struct bnode cur, next;
	char *line = NULL, err[512];
	size_t cap = 0;
	long lineno = 2;
	int have_next, stop = 0;

	rewind(in);
	read_line(in, &line, &cap); /* the header, checked */
	if (read_line(in, &line, &cap) != 1 || bfmt_decode_node(line, &cur, err, sizeof(err)) != 0)
		return -1; /* checked before: the file changed under us */
	progress_start(&prog, im->sh, im->o->what, 0);
	progress_total(&prog, total);
	while (!stop) {
		progress_tick(&prog);
		have_next = read_line(in, &line, &cap) == 1 &&
			    bfmt_decode_node(line, &next, err, sizeof(err)) == 0;
		if (import_node(im, &cur, have_next && bfmt_is_child(cur.path, next.path),
				lineno) != 0)
			stop = 1;
		bfmt_node_free(&cur);
		if (!have_next)
			break;
		cur = next;
		lineno++;
		if (im->sh->interrupted)
			stop = 1;
	}
	if (stop && have_next)
		bfmt_node_free(&cur);
	free(line);
	writer_flush(im->w);
	progress_end(&prog);
	return stop || im->fail_rc != ZOK ? -1 : 0;
}

static void
import_summary(struct imp *im, const struct icheck *ck)
{
	cJSON *o = cJSON_CreateObject();
	char line[ZKSH_PATH_MAX + 256];

	cJSON_AddNumberToObject(o, "created", (double)im->written);
	cJSON_AddNumberToObject(o, "updated", (double)im->set);
	cJSON_AddNumberToObject(o, "skipped", (double)im->skipped);
	cJSON_AddNumberToObject(o, "ephemerals_not_restored", (double)ck->h.ephemerals);
	snprintf(line, sizeof(line), "%s: %lld node%s created, %lld updated, %lld skipped under %s",
		 im->o->what, im->written, im->written == 1 ? "" : "s", im->set, im->skipped,
		 im->target);
	render_json(im->sh, NULL, o, line);
	/* notes for the text only: JSON has the counts */
	if (ck->h.ephemerals > 0)
		render_text(im->sh, "%s: %lld ephemeral node%s of the source were not restored\n",
			    im->o->what, ck->h.ephemerals, ck->h.ephemerals == 1 ? "" : "s");
	if (ck->seq > 0)
		render_text(im->sh,
			    "%s: %lld sequential node%s restored under %s exact name; the "
			    "parent's cversion (its sequence counter) now starts low, so later "
			    "sequential creates under it can collide with restored names\n",
			    im->o->what, ck->seq, ck->seq == 1 ? "" : "s",
			    ck->seq == 1 ? "its" : "their");
}

/* Stopped midway: say exactly what was written. */
static int
import_stopped(struct imp *im, long deferred_done)
{
	char msg[1024];
	long long n = im->written + im->set;

	if (im->fail_rc != ZOK)
		zkerr_message(im->fail_rc, im->fail_path, msg, sizeof(msg));
	else
		snprintf(msg, sizeof(msg), "interrupted");
	if (n == 0)
		return sh_error(im->sh, im->fail_rc != ZOK ? zkerr_exit(im->fail_rc) : ZX_INTR,
				"%s: stopped at line %ld: %s; nothing was written", im->o->what,
				im->fail_line, msg);
	return sh_error(im->sh, ZX_PARTIAL,
			"%s: stopped at line %ld: %s; written: %lld node%s, lines %ld-%ld of the "
			"file (%lld created, %lld updated, %ld deferred ACLs set); nothing after "
			"line %ld",
			im->o->what, im->fail_line, msg, n, n == 1 ? "" : "s", im->first_ok_line,
			im->last_ok_line, im->written, im->set, deferred_done, im->last_ok_line);
}

int
backup_import(struct shell *sh, FILE *in, const char *name, const char *target,
	      const struct imp_opts *o)
{
	struct icheck ck;
	struct imp im;
	struct writer_cb cb = {NULL, imp_ok, imp_fail, imp_note};
	struct walk_opts wo;
	struct walk_result res;
	struct Stat st;
	long deferred_done = 0;
	int code, rc, busy = sh->sess->busy;

	if ((code = validate(sh, in, name, o->what, &ck)) != ZX_OK)
		return code;
	memset(&im, 0, sizeof(im));
	im.sh = sh;
	im.o = o;
	im.target = target;
	rc = zoo_exists(ZH(sh), target, 0, &st);
	if (rc == ZOK && o->mode == IMP_CREATE) {
		bfmt_header_free(&ck.h);
		return sh_error(
		    sh, ZX_ZK, "%s: %s exists; nothing written (give %s to write into it)", o->what,
		    target,
		    strcmp(o->what, "cp") == 0 ? "--overwrite"
					       : "--overwrite, --merge or --skip-existing");
	}
	if (rc == ZOK) {
		memset(&wo, 0, sizeof(wo));
		wo.max_depth = -1;
		rc = walk_tree(sh, target, &wo, exist_visit, &im, &res);
	} else if (rc == ZNONODE) {
		rc = ZOK;
	}
	if (rc != ZOK) {
		bfmt_header_free(&ck.h);
		pathset_clear(&im.existing);
		return zk_fail(sh, rc, target);
	}
	if (o->dry_run) {
		long long exist = (long long)im.existing.count;

		render_text(sh,
			    "%s: would write %lld nodes (%lld bytes of data) under %s: %lld "
			    "existing (%s), the rest created%s\n",
			    o->what, ck.nodes, ck.bytes, target, exist,
			    o->mode == IMP_SKIP	   ? "skipped"
			    : o->mode == IMP_MERGE ? "data set"
						   : "data and ACL set",
			    ck.deferred ? "; some first with this session's ACL" : "");
		render_number(sh, "nodes", ck.nodes, NULL);
		bfmt_header_free(&ck.h);
		pathset_clear(&im.existing);
		return ZX_OK;
	}
	cb.ctx = &im;
	session_busy(sh->sess, 1);
	im.w = writer_new(sh->sess, &cb, 1);
	rc = write_nodes(&im, in, ck.nodes);
	writer_free(im.w);
	if (set_deferred(&im, &deferred_done) != ZOK && im.fail_rc == ZOK)
		im.fail_rc = ZNOAUTH, im.fail_line = 0;
	session_busy(sh->sess, busy);
	if (rc != 0 || im.fail_rc != ZOK)
		code = import_stopped(&im, deferred_done);
	else
		import_summary(&im, &ck);
	for (long i = 0; i < im.ndef; i++) {
		free(im.def[i].path);
		acl_free(&im.def[i].acl);
	}
	free(im.def);
	pathset_clear(&im.existing);
	bfmt_header_free(&ck.h);
	return code;
}

static int
cmd_import(struct shell *sh, struct args *a)
{
	char target[ZKSH_PATH_MAX];
	const char *file = a->argv[0];
	struct imp_opts o;
	FILE *in;
	int code, modes;

	memset(&o, 0, sizeof(o));
	o.what = "import";
	o.dry_run = args_has(a, "dry-run");
	modes = args_has(a, "overwrite") + args_has(a, "merge") + args_has(a, "skip-existing");
	if (modes > 1)
		return sh_error(sh, ZX_USAGE,
				"import: give only one of --overwrite, --merge, --skip-existing");
	o.mode = args_has(a, "overwrite")	? IMP_OVERWRITE
		 : args_has(a, "merge")		? IMP_MERGE
		 : args_has(a, "skip-existing") ? IMP_SKIP
						: IMP_CREATE;
	if (a->argc > 1) {
		if ((code = args_path(a, 1, target)) != ZX_OK)
			return code;
	} else {
		snprintf(target, sizeof(target), "%s", sh->cwd);
	}
	in = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	if (in == NULL)
		return sh_error(sh, ZX_IO, "import: cannot read %s: %s", file, strerror(errno));
	if (in == stdin) {
		/* validation reads the file twice: a pipe is copied to a temporary file first */
		FILE *tmp = tmpfile();

		if (tmp == NULL || copy_stream(stdin, tmp) != 0)
			return sh_error(sh, ZX_IO, "import: cannot buffer standard input");
		in = tmp;
		rewind(in);
		file = "<stdin>";
	}
	code = backup_import(sh, in, file, target, &o);
	fclose(in);
	return code;
}

/* ---- edit ------------------------------------------------------------------ */

static int
run_editor(const char *file)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* through sh, so EDITOR may carry arguments ("emacs -nw") */
		execl("/bin/sh", "sh", "-c", "exec $ZKSH_EDITOR_CMD \"$1\"", "sh", file,
		      (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int
slurp(const char *file, char **out, long *len)
{
	FILE *f = fopen(file, "r");
	struct buf b;
	char chunk[65536];
	size_t n;

	if (f == NULL)
		return -1;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {
		fclose(f);
		buf_free(&b);
		return -1;
	}
	fclose(f);
	*len = (long)b.len;
	*out = buf_steal(&b);
	return 0;
}

static int
cmd_edit(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX], tmpl[ZKSH_PATH_MAX];
	const char *tmpdir = getenv("TMPDIR"), *ed;
	char *data = NULL, *edited = NULL;
	int len, fd, rc, code = ZX_OK, st;
	long elen;
	struct Stat stat;

	if ((code = args_path(a, 0, path)) != ZX_OK)
		return code;
	rc = zk_get_data(sh, path, 0, &data, &len, &stat);
	if (rc != ZOK)
		return zk_fail(sh, rc, path);
	snprintf(tmpl, sizeof(tmpl), "%s/zksh-edit-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	fd = mkstemp(tmpl); /* mode 0600 */
	if (fd < 0) {
		free(data);
		return sh_error(sh, ZX_IO, "edit: cannot create %s: %s", tmpl, strerror(errno));
	}
	if (len > 0 && write(fd, data, (size_t)len) != len) {
		code = sh_error(sh, ZX_IO, "edit: cannot write %s: %s", tmpl, strerror(errno));
		close(fd);
		unlink(tmpl);
		free(data);
		return code;
	}
	close(fd);
	ed = getenv("VISUAL");
	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	setenv("ZKSH_EDITOR_CMD", ed && *ed ? ed : "vi", 1);
	st = run_editor(tmpl);
	if (st != 0) {
		code = sh_error(sh, ZX_ZK,
				"edit: the editor exited with status %d; nothing written "
				"(your copy is kept in %s)",
				st, tmpl);
	} else if (slurp(tmpl, &edited, &elen) != 0) {
		code = sh_error(sh, ZX_IO, "edit: cannot read %s back: %s", tmpl, strerror(errno));
	} else if (elen == (len > 0 ? len : 0) &&
		   (elen == 0 || memcmp(edited, data, (size_t)elen) == 0)) {
		render_text(sh, "edit: %s unchanged, nothing written\n", path);
		unlink(tmpl);
	} else if (elen > sh->max_data && sh->max_data > 0) {
		code = sh_error(sh, ZX_USAGE,
				"edit: %ld bytes is over the %ld-byte limit; nothing "
				"written (your copy is kept in %s)",
				elen, sh->max_data, tmpl);
	} else {
		rc = zoo_set(ZH(sh), path, edited, (int)elen, stat.version);
		if (rc == ZBADVERSION) {
			code =
			    sh_error(sh, ZX_ZK,
				     "edit: %s changed while you edited it (version %d is gone); "
				     "nothing written; your edited copy is kept in %s",
				     path, stat.version, tmpl);
		} else if (rc != ZOK) {
			code = zk_fail(sh, rc, path);
			fprintf(stderr, "zksh: edit: your edited copy is kept in %s\n", tmpl);
		} else {
			render_text(sh, "edit: %s written (%ld bytes)\n", path, elen);
			unlink(tmpl);
		}
	}
	free(data);
	free(edited);
	return code;
}

/* ---- sides of cp and diff -------------------------------------------------- */

/* One side: the current session's path, another cluster (zk://), or an export file. */
struct side {
	const char *spec;
	struct shell sh;     /* a copy of the shell with the side's session */
	struct session *own; /* a session opened for this side, or NULL */
	char path[ZKSH_PATH_MAX];
	const char *file; /* diff: an export file */
};

/* "scheme:credential" entries (newline or comma separated) of a variable, for a side. */
static void
preload_env_auth(struct session *s, const char *var)
{
	const char *v = getenv(var);
	char *copy, *save = NULL, *tok;

	if (v == NULL || *v == '\0')
		return;
	copy = xstrdup(v);
	for (tok = strtok_r(copy, "\n,", &save); tok; tok = strtok_r(NULL, "\n,", &save)) {
		char *colon = strchr(tok, ':');

		if (colon == NULL || colon == tok)
			continue;
		*colon = '\0';
		session_preload_auth(s, tok, colon + 1);
	}
	free(copy);
}

static int
side_open(struct shell *sh, const char *what, const char *spec, const char *chroot,
	  const char *authvar, int allow_file, struct side *sd)
{
	char hosts[ZKSH_PATH_MAX];
	const char *slash;
	int rc;

	memset(sd, 0, sizeof(*sd));
	sd->spec = spec;
	sd->sh = *sh;
	if (allow_file && (strncmp(spec, "file:", 5) == 0 ||
			   (strlen(spec) > 6 && strcmp(spec + strlen(spec) - 6, ".jsonl") == 0))) {
		sd->file = strncmp(spec, "file:", 5) == 0 ? spec + 5 : spec;
		return ZX_OK;
	}
	if (strncmp(spec, "zk://", 5) != 0) {
		if ((rc = conn_ensure(sh)) != ZX_OK)
			return rc;
		sd->sh.sess = sh->sess;
		return arg_path(sh, spec, 0, sd->path);
	}
	slash = strchr(spec + 5, '/');
	if (slash == NULL || slash == spec + 5)
		return sh_error(sh, ZX_USAGE, "%s: %s: expected zk://host:port[,host:port]/path",
				what, spec);
	snprintf(hosts, sizeof(hosts), "%.*s%s", (int)(slash - spec - 5), spec + 5,
		 chroot != NULL ? chroot : "");
	if ((rc = arg_path(sh, slash, 0, sd->path)) != ZX_OK)
		return rc;
	sd->own = session_new(hosts, sh->sess->timeout_ms, 0);
	preload_env_auth(sd->own, authvar);
	rc = session_open(sd->own, sh->sess->timeout_ms);
	if (rc != ZOK) {
		char msg[512];

		zkerr_message(rc, NULL, msg, sizeof(msg));
		session_free(sd->own);
		sd->own = NULL;
		return sh_error(sh, ZX_CONN, "%s: cannot connect to %s: %s", what, hosts, msg);
	}
	sd->sh.sess = sd->own;
	return ZX_OK;
}

static void
side_close(struct side *sd)
{
	if (sd->own != NULL) {
		session_close(sd->own);
		session_free(sd->own);
		sd->own = NULL;
	}
}

/* The side as an export in a temporary file (or the file itself), read from the start. */
static int
side_export(struct shell *sh, struct side *sd, int recursive, const char *what, FILE **out)
{
	struct exp_opts o;
	int code;

	*out = NULL;
	if (sd->file != NULL) {
		*out = fopen(sd->file, "r");
		if (*out == NULL)
			return sh_error(sh, ZX_IO, "cannot read %s: %s", sd->file, strerror(errno));
		return ZX_OK;
	}
	*out = tmpfile();
	if (*out == NULL)
		return sh_error(sh, ZX_IO, "cannot create a temporary file: %s", strerror(errno));
	memset(&o, 0, sizeof(o));
	o.max_depth = recursive ? -1 : 0;
	o.what = what;
	sd->sh.result = NULL;
	code = backup_export(&sd->sh, sd->path, &o, *out, NULL);
	if (code != ZX_OK) {
		fclose(*out);
		*out = NULL;
		return code;
	}
	rewind(*out);
	return ZX_OK;
}

/* ---- cp -------------------------------------------------------------------- */

static int
cmd_cp(struct shell *sh, struct args *a)
{
	struct side src, dst;
	struct imp_opts o;
	FILE *tmp = NULL;
	int code;

	code = side_open(sh, "cp", a->argv[0], args_get(a, "src-chroot"), "ZKSH_AUTH_SRC", 0, &src);
	if (code != ZX_OK)
		return code;
	code = side_open(sh, "cp", a->argv[1], args_get(a, "dst-chroot"), "ZKSH_AUTH_DST", 0, &dst);
	if (code != ZX_OK) {
		side_close(&src);
		return code;
	}
	code = side_export(sh, &src, args_has(a, "r"), "cp (reading)", &tmp);
	if (code == ZX_OK) {
		memset(&o, 0, sizeof(o));
		o.what = "cp";
		o.dry_run = args_has(a, "dry-run");
		o.mode = args_has(a, "overwrite") ? IMP_OVERWRITE : IMP_CREATE;
		dst.sh.result = sh->result;
		code = backup_import(&dst.sh, tmp, "<source export>", dst.path, &o);
		fclose(tmp);
	}
	side_close(&src);
	side_close(&dst);
	return code;
}

/* ---- diff ------------------------------------------------------------------ */

struct dstream {
	FILE *f;
	char *line;
	size_t cap;
	struct bnode n;
	int have;
};

static int
ds_next(struct dstream *d)
{
	char err[256];

	if (d->have)
		bfmt_node_free(&d->n);
	d->have = 0;
	while (read_line(d->f, &d->line, &d->cap) == 1) {
		if (bfmt_decode_node(d->line, &d->n, err, sizeof(err)) == 0) {
			d->have = 1;
			return 1;
		}
	}
	return 0;
}

static int
acl_equal(const struct ACL_vector *x, const struct ACL_vector *y)
{
	if (x->count != y->count)
		return 0;
	for (int i = 0; i < x->count; i++)
		if (x->data[i].perms != y->data[i].perms ||
		    strcmp(x->data[i].id.scheme, y->data[i].id.scheme) != 0 ||
		    strcmp(x->data[i].id.id, y->data[i].id.id) != 0)
			return 0;
	return 1;
}

static void
print_data(struct buf *b, char sign, const struct bnode *n)
{
	const char *p, *end, *nl;

	if (n->len < 0) {
		buf_addc(b, sign);
		buf_adds(b, "(null)\n");
		return;
	}
	if (!utf8_valid(n->data, (size_t)n->len)) {
		char line[64];

		snprintf(line, sizeof(line), "%c(binary, %d bytes)\n", sign, n->len);
		buf_adds(b, line);
		return;
	}
	p = n->data;
	end = n->data + n->len;
	do {
		nl = memchr(p, '\n', (size_t)(end - p));
		buf_addc(b, sign);
		buf_add(b, p, (size_t)((nl ? nl : end) - p));
		buf_addc(b, '\n');
		p = nl ? nl + 1 : end;
	} while (p < end);
}

static void
print_acl(struct buf *b, char sign, const struct ACL_vector *v)
{
	char perms[8];

	for (int i = 0; i < v->count; i++) {
		acl_perms_string(v->data[i].perms, perms);
		buf_addc(b, sign);
		buf_adds(b, v->data[i].id.scheme);
		buf_addc(b, ':');
		buf_adds(b, v->data[i].id.id);
		buf_addc(b, ':');
		buf_adds(b, perms);
		buf_addc(b, '\n');
	}
}

struct dres {
	struct buf text;
	cJSON *created, *deleted, *data, *acl;
	long changes;
};

static void
diff_note(struct dres *r, cJSON *arr, const char *prefix, const char *path)
{
	r->changes++;
	cJSON_AddItemToArray(arr, cJSON_CreateString(path));
	if (prefix != NULL) {
		buf_adds(&r->text, prefix);
		buf_adds(&r->text, path);
		buf_addc(&r->text, '\n');
	}
}

static void
diff_pair(struct dres *r, const struct bnode *x, const struct bnode *y)
{
	int same_data =
	    x->len == y->len && (x->len <= 0 || memcmp(x->data, y->data, (size_t)x->len) == 0);

	if (!same_data) {
		diff_note(r, r->data, "@@ data ", x->path);
		print_data(&r->text, '-', x);
		print_data(&r->text, '+', y);
	}
	if (!acl_equal(&x->acl, &y->acl)) {
		diff_note(r, r->acl, "@@ acl ", x->path);
		print_acl(&r->text, '-', &x->acl);
		print_acl(&r->text, '+', &y->acl);
	}
}

static void
diff_streams(struct dstream *a, struct dstream *b, struct dres *r)
{
	ds_next(a);
	ds_next(b);
	while (a->have || b->have) {
		int c = !a->have ? 1 : !b->have ? -1 : bfmt_path_cmp(a->n.path, b->n.path);

		if (c < 0) {
			diff_note(r, r->deleted, "-", a->n.path);
			ds_next(a);
		} else if (c > 0) {
			diff_note(r, r->created, "+", b->n.path);
			ds_next(b);
		} else {
			diff_pair(r, &a->n, &b->n);
			ds_next(a);
			ds_next(b);
		}
	}
}

static int
cmd_diff(struct shell *sh, struct args *a)
{
	struct side sa, sb;
	struct dstream da, db;
	struct dres r;
	size_t hl;
	int code, rec = args_has(a, "r");

	memset(&da, 0, sizeof(da));
	memset(&db, 0, sizeof(db));
	code = side_open(sh, "diff", a->argv[0], NULL, "ZKSH_AUTH_SRC", 1, &sa);
	if (code != ZX_OK)
		return ZX_USAGE;
	code = side_open(sh, "diff", a->argv[1], NULL, "ZKSH_AUTH_DST", 1, &sb);
	if (code == ZX_OK)
		code = side_export(sh, &sa, rec, "diff (reading)", &da.f);
	if (code == ZX_OK)
		code = side_export(sh, &sb, rec, "diff (reading)", &db.f);
	if (code != ZX_OK) {
		if (da.f)
			fclose(da.f);
		side_close(&sa);
		side_close(&sb);
		return ZX_USAGE; /* trouble, as diff(1) says it */
	}
	/* skip the headers: the root paths and zxids differ by nature */
	read_line(da.f, &da.line, &da.cap);
	read_line(db.f, &db.line, &db.cap);
	memset(&r, 0, sizeof(r));
	buf_init(&r.text);
	r.created = cJSON_CreateArray();
	r.deleted = cJSON_CreateArray();
	r.data = cJSON_CreateArray();
	r.acl = cJSON_CreateArray();
	diff_streams(&da, &db, &r);
	{
		cJSON *o = cJSON_CreateObject();
		char *text = NULL;

		cJSON_AddBoolToObject(o, "identical", r.changes == 0);
		cJSON_AddItemToObject(o, "created", r.created);
		cJSON_AddItemToObject(o, "deleted", r.deleted);
		cJSON_AddItemToObject(o, "data_changed", r.data);
		cJSON_AddItemToObject(o, "acl_changed", r.acl);
		if (r.changes > 0) {
			/* a unified diff's header, then the changes, as diff(1) prints them */
			hl = strlen(a->argv[0]) + strlen(a->argv[1]) + r.text.len + 16;
			text = xmalloc(hl);
			snprintf(text, hl, "--- %s\n+++ %s\n%s", a->argv[0], a->argv[1],
				 r.text.data);
			if (text[strlen(text) - 1] == '\n')
				text[strlen(text) - 1] = '\0';
		}
		render_json(sh, NULL, o, text);
		free(text);
	}
	buf_free(&r.text);
	if (da.have)
		bfmt_node_free(&da.n);
	if (db.have)
		bfmt_node_free(&db.n);
	free(da.line);
	free(db.line);
	fclose(da.f);
	fclose(db.f);
	side_close(&sa);
	side_close(&sb);
	return r.changes == 0 ? ZX_OK : ZX_ZK;
}

/* ---- the table ----------------------------------------------------------- */

const struct cmd_entry cmd_backup_entries[] = {
    {.name = "export",
     .opts = OPTS(OPT_VAL(0, "output", OPT_FILE, "FILE", "write to FILE instead of stdout"),
		  OPT_FLAG(0, "stat", "add each node's stat"),
		  OPT_FLAG(0, "include-zookeeper", "export /zookeeper too")),
     .pos = POSITIONALS(PATH_POS(POS_OPTIONAL)),
     .help = "write the subtree at path (default: the current directory) as JSON Lines: a "
	     "header, then one node per line with its data (base64), ACL and type; ephemerals "
	     "are listed in the header, never exported as nodes; /zookeeper only with "
	     "--include-zookeeper",
     .attrs = CMD_ZK,
     .exec = cmd_export},
    {.name = "import",
     .opts = OPTS(OPT_FLAG(0, "dry-run", "check the file and print what would change"),
		  OPT_ONE_OF(1, 0, "overwrite", "set data and ACL of nodes that exist"),
		  OPT_ONE_OF(1, 0, "merge", "set the data of nodes that exist"),
		  OPT_ONE_OF(1, 0, "skip-existing", "leave nodes that exist as they are")),
     .pos = POSITIONALS(POS_ARG("FILE", CPL_FILE, 0), PATH_POS(POS_OPTIONAL)),
     .help = "restore an export under path (default: the current directory); the whole file "
	     "is checked before the first write (exit 2 naming the first bad line); "
	     "--overwrite sets data and ACL of existing nodes, --merge their data, "
	     "--skip-existing leaves them",
     .attrs = CMD_ZK | CMD_WRITE,
     .exec = cmd_import},
    {.name = "edit",
     .pos = POSITIONALS(PATH_POS(0)),
     .help = "open the node's data in $VISUAL or $EDITOR (default vi) and write it back with "
	     "the version read; a concurrent change keeps your copy and says where",
     .attrs = CMD_ZK | CMD_WRITE,
     .exec = cmd_edit},
    {.name = "cp",
     .opts = OPTS(OPT_FLAG('r', NULL, "copy the whole subtree"),
		  OPT_FLAG(0, "dry-run", "print what would be copied"),
		  OPT_FLAG(0, "overwrite", "replace nodes that exist at the destination"),
		  OPT_VAL(0, "src-chroot", OPT_STRING, "C", "chroot of the source cluster"),
		  OPT_VAL(0, "dst-chroot", OPT_STRING, "C", "chroot of the destination cluster")),
     .pos = POSITIONALS(POS_ARG("SRC", CPL_NONE, 0), POS_ARG("DST", CPL_NONE, 0)),
     .help = "copy a node (-r: its subtree) with data and ACLs, within the cluster or across "
	     "clusters (zk://host:port[,host:port]/path; credentials from ZKSH_AUTH_SRC and "
	     "ZKSH_AUTH_DST)",
     .attrs = CMD_WRITE,
     .exec = cmd_cp},
    {.name = "diff",
     .opts = OPTS(OPT_FLAG('r', NULL, "compare the whole subtrees")),
     .pos = POSITIONALS(POS_ARG("A", CPL_NONE, 0), POS_ARG("B", CPL_NONE, 0)),
     .help = "compare two nodes (-r: subtrees): paths, zk://host:port/path or export files "
	     "(file:PATH or *.jsonl); lists created, deleted, data- and ACL-changed nodes; exit "
	     "0 when identical, 1 when different, 2 on trouble",
     .exec = cmd_diff},
    {0},
};
