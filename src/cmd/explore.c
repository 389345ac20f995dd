/*
 * Looking at a subtree: tree, du, count here; find and grep in search.c.
 * All of them run on the pipelined walker and print as it goes, so memory is
 * bounded by the walker's window and frontier plus, per depth of the current
 * path, a few words: never by the size of the tree.
 *
 * The walker visits in pre-order with each node's sorted children, which is
 * all tree needs to draw `└── ` for a last child (the parent's last name) and
 * du needs to print post-order (a stack of open subtrees, one per depth).
 */
#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/common.h"
#include "cmd/explore.h"
#include "command.h"
#include "zk/path.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zk/walk.h"
#include "zkerr.h"

/* ---- shared ------------------------------------------------------------ */

enum node_kind
node_kind(const struct Stat *st)
{
	uint64_t o = (uint64_t)st->ephemeralOwner;

	if (o == 0)
		return NODE_PERSISTENT;
	if (o == UINT64_C(0x8000000000000000))
		return NODE_CONTAINER;
	if ((o >> 56) == 0xff && ((o >> 40) & 0xffff) == 0)
		return NODE_TTL;
	return NODE_EPHEMERAL;
}

const char *
node_kind_name(enum node_kind k)
{
	static const char *const names[] = {"persistent", "ephemeral", "container", "ttl"};

	return names[k];
}

int
node_sequential(const char *name)
{
	size_t len = strlen(name);

	if (len < 10)
		return 0;
	for (size_t i = len - 10; i < len; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	return 1;
}

void
out_write(struct shell *sh, const char *s, size_t n)
{
	out_lock();
	fwrite(s, 1, n, stdout);
	out_unlock();
	if (out_error() != 0)
		sh->interrupted = 1;
}

void
out_puts(struct shell *sh, const char *s)
{
	out_write(sh, s, strlen(s));
}

int
numtest_match(const struct numtest *t, long long value)
{
	if (!t->set)
		return 1;
	if (t->op == '+')
		return value > t->n;
	if (t->op == '-')
		return value < t->n;
	return value == t->n;
}

int
explore_walk_end(struct shell *sh, const char *what, int rc, const char *root,
		 const struct walk_result *res)
{
	if (rc != ZOK)
		return walk_fail(sh, rc, root, res);
	return walk_report(sh, what, res);
}

/* A depth option (-d, -maxdepth): a whole number from 0. */
static int
arg_depth(struct shell *sh, const struct args *a, const char *flag, int *depth)
{
	(void)sh;
	*depth = (int)args_int(a, flag, -1); /* converted and range-checked by the dispatcher */
	return ZX_OK;
}

/* Grow a per-depth array so that index depth fits. */
static void *
grow_depths(void *v, size_t *cap, size_t need, size_t size)
{
	size_t old = *cap;

	if (need < old)
		return v;
	*cap = need + 16;
	v = xrealloc(v, *cap * size);
	memset((char *)v + old * size, 0, (*cap - old) * size);
	return v;
}

/* ---- tree -------------------------------------------------------------- */

/* The drawing: branch, last branch, continuing line, blank. */
static const char *const glyphs_utf8[] = {"├── ", "└── ", "│   ", "    "};
static const char *const glyphs_ascii[] = {"|-- ", "`-- ", "|   ", "    "};

#define TREE_VALUE_MAX 40

struct tree {
	struct shell *sh;
	const char *const *g;
	const char *label; /* the root's line: the path as given */
	int cols;	   /* -s */
	int values;	   /* -l */
	int max_depth;
	long nodes;	  /* below the root */
	char **last_name; /* per depth: the sorted last child of the node above */
	char *is_last;	  /* per depth: the current path's node is its parent's last */
	size_t cap;
	struct buf line;
	struct progress prog;
};

/* nl_langinfo of the user's locale, without changing the process's own. */
static int
locale_is_utf8(void)
{
	locale_t loc = newlocale(LC_CTYPE_MASK, "", (locale_t)0);
	int utf8;

	if (loc == (locale_t)0)
		return 0;
	utf8 = strcmp(nl_langinfo_l(CODESET, loc), "UTF-8") == 0;
	freelocale(loc);
	return utf8;
}

/* "[   size   kids 2026-12-01 20:00 e]  " */
static void
add_columns(struct buf *b, const struct Stat *st)
{
	static const char kind_char[] = {'-', 'e', 'c', 't'};
	char mt[32], col[96];
	time_t t = (time_t)(st->mtime / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(mt, sizeof(mt), "%Y-%m-%d %H:%M", &tm);
	snprintf(col, sizeof(col), "[%7d %6d %s %c]  ", st->dataLength, st->numChildren, mt,
		 kind_char[node_kind(st)]);
	buf_adds(b, col);
}

/* " = value": printable, control characters escaped, cut at TREE_VALUE_MAX bytes. */
static void
add_value(struct buf *b, const char *data, int len)
{
	char esc[16];
	int i = 0;

	if (data == NULL || len <= 0)
		return;
	if (!utf8_valid(data, (size_t)len)) {
		snprintf(esc, sizeof(esc), "%d", len);
		buf_adds(b, " = <binary, ");
		buf_adds(b, esc);
		buf_adds(b, len == 1 ? " byte>" : " bytes>");
		return;
	}
	buf_adds(b, " = ");
	while (i < len && i < TREE_VALUE_MAX) {
		unsigned char c = (unsigned char)data[i];
		int clen = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

		if (c == '\n' || c == '\t' || c == '\r' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, c == '\n' ? 'n' : c == '\t' ? 't' : c == '\r' ? 'r' : '\\');
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\x%02x", c);
			buf_adds(b, esc);
		} else {
			if (i + clen > TREE_VALUE_MAX)
				break;
			buf_add(b, data + i, (size_t)clen);
		}
		i += c < 0x80 ? 1 : clen;
	}
	if (i < len)
		buf_adds(b, "...");
}

/* A node's line of the drawing (without its newline) into t->line. */
static void
tree_text(struct tree *t, const struct walk_node *n)
{
	struct buf *b = &t->line;
	int d = n->depth;

	buf_reset(b);
	if (d == 0) {
		buf_adds(b, t->label);
	} else {
		const char *name = path_base(n->path);

		t->is_last[d] = t->last_name[d] != NULL && strcmp(name, t->last_name[d]) == 0;
		for (int k = 1; k < d; k++)
			buf_adds(b, t->g[t->is_last[k] ? 3 : 2]);
		buf_adds(b, t->g[t->is_last[d] ? 1 : 0]);
		if (t->cols)
			add_columns(b, n->stat);
		buf_adds(b, name);
		if (t->values)
			add_value(b, n->data, n->datalen);
	}
}

/* A node's record: {"path", "name", "depth"[, "type", "stat"][, "data"]}. */
static cJSON *
tree_node_json(struct tree *t, const struct walk_node *n)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "path", n->path);
	cJSON_AddStringToObject(
	    o, "name", n->depth == 0 && strcmp(n->path, "/") == 0 ? "/" : path_base(n->path));
	cJSON_AddNumberToObject(o, "depth", n->depth);
	if (t->cols) {
		cJSON_AddStringToObject(o, "type", node_kind_name(node_kind(n->stat)));
		stat_json(n->stat, cJSON_AddObjectToObject(o, "stat"));
	}
	if (t->values)
		data_json(o, n->data, n->datalen, DATA_TEXT);
	return o;
}

static int
tree_visit(void *ctx, const struct walk_node *n)
{
	struct tree *t = ctx;
	size_t cap = t->cap;
	int d = n->depth;

	t->last_name = grow_depths(t->last_name, &cap, (size_t)d + 1, sizeof(char *));
	cap = t->cap;
	t->is_last = grow_depths(t->is_last, &cap, (size_t)d + 1, sizeof(char));
	t->cap = cap;
	if (d > 0)
		t->nodes++;
	tree_text(t, n);
	render_stream(t->sh, tree_node_json(t, n), t->line.data);
	/* what tells this node's children which of them is the last */
	free(t->last_name[d + 1]);
	t->last_name[d + 1] = n->nchildren > 0 ? xstrdup(n->children[n->nchildren - 1]) : NULL;
	progress_tick(&t->prog);
	return 0;
}

static void
tree_finish(struct tree *t, const struct walk_result *res)
{
	char line[64];

	if (res->visited == 0)
		return; /* the root failed: nothing was printed */
	snprintf(line, sizeof(line), "\n%ld node%s", t->nodes, t->nodes == 1 ? "" : "s");
	render_number(t->sh, "nodes", t->nodes, line);
	if (res->interrupted)
		render_bool(t->sh, "interrupted", 1, NULL);
}

static void
tree_free(struct tree *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->last_name[i]);
	free(t->last_name);
	free(t->is_last);
	buf_free(&t->line);
}

static int
tree_check(struct shell *sh, struct args *a)
{
	int depth;

	return arg_depth(sh, a, "d", &depth);
}

static int
cmd_tree(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct walk_opts o;
	struct walk_result res;
	struct tree t;
	int rc;

	if ((rc = args_path(a, 0, path)) != ZX_OK)
		return rc;
	memset(&t, 0, sizeof(t));
	if ((rc = arg_depth(sh, a, "d", &t.max_depth)) != ZX_OK)
		return rc;
	t.sh = sh;
	t.label = a->argc > 0 ? a->given[0] : path; /* as typed */
	t.g = args_has(a, "ascii") || !locale_is_utf8() ? glyphs_ascii : glyphs_utf8;
	t.cols = args_has(a, "s");
	t.values = args_has(a, "l");
	buf_init(&t.line);
	memset(&o, 0, sizeof(o));
	o.max_depth = t.max_depth;
	o.want_data = t.values;
	progress_start(&t.prog, sh, "tree", 1);
	rc = walk_tree(sh, path, &o, tree_visit, &t, &res);
	progress_end(&t.prog);
	tree_finish(&t, &res);
	tree_free(&t);
	out_flush();
	return explore_walk_end(sh, "tree", rc, path, &res);
}

/* ---- du ---------------------------------------------------------------- */

struct du_frame {
	char *path;
	int depth;
	long long bytes, nodes;
};

struct du {
	struct shell *sh;
	int human;
	int max_depth; /* print down to this depth; < 0 all */
	struct du_frame *stack;
	size_t n, cap;
	struct table *table;
	struct progress prog;
};

void
human_size(long long n, char *out, size_t len)
{
	static const char units[] = "KMGTPE";
	long long d = 1024, tenths, whole;
	int k = 0;

	if (n < 1024) {
		snprintf(out, len, "%lld", n);
		return;
	}
	while (k < 5 && n >= d * 1024) {
		d *= 1024;
		k++;
	}
	tenths = (n * 10 + d - 1) / d;
	if (tenths < 100) {
		snprintf(out, len, "%lld.%lld%c", tenths / 10, tenths % 10, units[k]);
		return;
	}
	whole = (n + d - 1) / d;
	if (whole >= 1024 && k < 5) {
		snprintf(out, len, "1.0%c", units[k + 1]);
		return;
	}
	snprintf(out, len, "%lld%c", whole, units[k]);
}

/* du's table: text as du(1) prints it, JSON with the bytes as a number. */
static const struct table_col du_cols[] = {
    {"size", "SIZE", COL_NUM, 0},
    {"nodes", "NODES", COL_NUM, 0},
    {"path", "PATH", COL_TEXT, 0},
};

static void
du_print(struct du *u, const struct du_frame *f)
{
	char size[32], nodes[32];
	const char *cells[] = {size, nodes, f->path};
	cJSON *o;

	if (u->max_depth >= 0 && f->depth > u->max_depth)
		return;
	if (u->human)
		human_size(f->bytes, size, sizeof(size));
	else
		snprintf(size, sizeof(size), "%lld", f->bytes);
	snprintf(nodes, sizeof(nodes), "%lld", f->nodes);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "path", f->path);
	cJSON_AddNumberToObject(o, "bytes", (double)f->bytes);
	cJSON_AddNumberToObject(o, "nodes", (double)f->nodes);
	table_row(u->table, cells, o);
}

/* The subtrees at depth >= depth are complete: print them, deepest first. */
static void
du_pop_to(struct du *u, int depth)
{
	while (u->n > 0 && u->stack[u->n - 1].depth >= depth) {
		struct du_frame *f = &u->stack[--u->n];

		du_print(u, f);
		if (u->n > 0) {
			u->stack[u->n - 1].bytes += f->bytes;
			u->stack[u->n - 1].nodes += f->nodes;
		}
		free(f->path);
	}
}

static int
du_visit(void *ctx, const struct walk_node *n)
{
	struct du *u = ctx;
	struct du_frame *f;

	du_pop_to(u, n->depth);
	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 32;
		u->stack = xrealloc(u->stack, u->cap * sizeof(*u->stack));
	}
	f = &u->stack[u->n++];
	f->path = xstrdup(n->path);
	f->depth = n->depth;
	f->bytes = n->stat->dataLength;
	f->nodes = 1;
	progress_tick(&u->prog);
	return 0;
}

static int
du_options(struct shell *sh, struct args *a, int *max_depth)
{
	int rc;

	if ((rc = arg_depth(sh, a, "d", max_depth)) != ZX_OK)
		return rc;
	if (args_has(a, "s")) {
		if (*max_depth > 0)
			return sh_error(sh, ZX_USAGE,
					"du: -s prints only the total: it cannot be combined "
					"with -d %d",
					*max_depth);
		*max_depth = 0;
	}
	return ZX_OK;
}

static int
du_check(struct shell *sh, struct args *a)
{
	int depth;

	return du_options(sh, a, &depth);
}

static int
cmd_du(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct walk_opts o = {0, 0, -1};
	struct walk_result res;
	struct du u;
	int rc;

	if ((rc = args_path(a, 0, path)) != ZX_OK)
		return rc;
	memset(&u, 0, sizeof(u));
	if ((rc = du_options(sh, a, &u.max_depth)) != ZX_OK)
		return rc;
	u.sh = sh;
	u.human = args_has(a, "h");
	u.table = table_begin(sh, "du", du_cols, 3, TABLE_STREAM);
	progress_start(&u.prog, sh, "du", u.max_depth != 0);
	rc = walk_tree(sh, path, &o, du_visit, &u, &res);
	progress_end(&u.prog);
	/* an interrupted walk leaves its open subtrees incomplete: not printed */
	if (rc == ZOK && !res.interrupted)
		du_pop_to(&u, 0);
	for (size_t i = 0; i < u.n; i++)
		free(u.stack[i].path);
	free(u.stack);
	table_end(u.table);
	if (res.interrupted)
		render_bool(sh, "interrupted", 1, NULL);
	out_flush();
	return explore_walk_end(sh, "du", rc, path, &res);
}

/* ---- count ------------------------------------------------------------- */

struct count {
	long long total;
	long long *by_depth; /* [d]: nodes at depth d below the root (d >= 1) */
	size_t cap;
	struct progress prog;
};

static int
count_visit(void *ctx, const struct walk_node *n)
{
	struct count *c = ctx;

	/* as the server's getAllChildrenNumber counts: every child listed */
	c->total += n->nchildren;
	if (n->nchildren > 0) {
		c->by_depth =
		    grow_depths(c->by_depth, &c->cap, (size_t)n->depth + 1, sizeof(long long));
		c->by_depth[n->depth + 1] += n->nchildren;
	}
	progress_tick(&c->prog);
	return 0;
}

static const struct table_col count_cols[] = {
    {"depth", "DEPTH", COL_NUM, 0},
    {"nodes", "NODES", COL_NUM, 0},
};

/* The count; with -d a table of nodes per depth and the total after it. */
static void
count_render(struct shell *sh, const struct count *c, int per_depth)
{
	char line[64], depth[32], nodes[32];
	const char *cells[] = {depth, nodes};
	struct table *t;

	snprintf(line, sizeof(line), "%lld", c->total);
	render_number(sh, "count", c->total, per_depth ? NULL : line);
	if (!per_depth)
		return;
	t = table_begin(sh, "depths", count_cols, 2, 0);
	for (size_t d = 1; d < c->cap && c->by_depth[d] > 0; d++) {
		snprintf(depth, sizeof(depth), "%zu", d);
		snprintf(nodes, sizeof(nodes), "%lld", c->by_depth[d]);
		table_row(t, cells, NULL);
	}
	snprintf(nodes, sizeof(nodes), "%lld", c->total);
	cells[0] = "total";
	table_text_row(t, cells);
	table_end(t);
}

static int
cmd_count(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct walk_opts o = {0, 0, -1};
	struct walk_result res;
	struct count c;
	int rc;

	if ((rc = args_path(a, 0, path)) != ZX_OK)
		return rc;
	memset(&c, 0, sizeof(c));
	progress_start(&c.prog, sh, "count", 0);
	rc = walk_tree(sh, path, &o, count_visit, &c, &res);
	progress_end(&c.prog);
	/* a partial count would look like an answer: only a whole walk prints one */
	if (rc == ZOK && !res.interrupted)
		count_render(sh, &c, args_has(a, "d"));
	free(c.by_depth);
	return explore_walk_end(sh, "count", rc, path, &res);
}

/* ---- the table --------------------------------------------------------- */

#define DEPTH_OPT(s, l, bad_text, h)                                                               \
	{                                                                                          \
		.shrt = (s), .lng = (l), .type = OPT_INT, .value = "depth", .min = 0,              \
		.max = 100000, .spell = OPT_DASH1, .help = (h), .bad = (bad_text)                  \
	}

const struct cmd_entry cmd_explore_entries[] = {
    {.name = "tree",
     .opts = OPTS(DEPTH_OPT('d', NULL, "%s: -d wants a depth from 0, not '%s'",
			    "stop at this depth below path"),
		  OPT_FLAG('s', NULL, "add [data size, children, mtime, kind]"),
		  OPT_FLAG('l', NULL, "show short data values"),
		  OPT_FLAG(0, "ascii", "ASCII lines instead of UTF-8")),
     .pos = POSITIONALS(PATH_POS(POS_OPTIONAL)),
     .parse = PARSE_CLUSTER,
     .help =
	 "draw the subtree at path (default: the current node) as tree(1) does, "
	 "children sorted, then the number of nodes below path; -d stops at that depth, "
	 "-s adds [data size, children, mtime, kind: - persistent, e ephemeral; c "
	 "container, t TTL where the server tells], -l shows short data values; ASCII lines "
	 "when the locale is "
	 "not UTF-8 or with --ascii; --json prints one object a line per node, then the node count",
     .attrs = CMD_ZK,
     .exec = cmd_tree,
     .check = tree_check},
    {.name = "du",
     .opts = OPTS(OPT_FLAG('h', NULL, "human units (powers of 1024)"),
		  DEPTH_OPT('d', NULL, "%s: -d wants a depth from 0, not '%s'",
			    "print only down to this depth"),
		  OPT_FLAG('s', NULL, "only the total")),
     .pos = POSITIONALS(PATH_POS(POS_OPTIONAL)),
     .parse = PARSE_CLUSTER,
     .help = "bytes of data and number of nodes of each subtree (the node itself "
	     "included), children before their parent as du(1) prints; -h human units "
	     "(powers of 1024), -d prints only down to that depth, -s only the total",
     .attrs = CMD_ZK,
     .exec = cmd_du,
     .check = du_check},
    {.name = "find",
     .opts = OPTS({.lng = "name",
		   .type = OPT_STRING,
		   .value = "glob",
		   .spell = OPT_DASH1,
		   .help = "a shell glob on the node's name"},
		  {.lng = "path",
		   .type = OPT_STRING,
		   .value = "glob",
		   .spell = OPT_DASH1,
		   .help = "a shell glob on the whole path"},
		  {.lng = "type",
		   .type = OPT_STRING,
		   .value = "kind[,kind]",
		   .spell = OPT_DASH1,
		   .help = "persistent, ephemeral, container, ttl or sequential (any of a list)"},
		  DEPTH_OPT(0, "maxdepth", "%s: -maxdepth wants a depth from 0, not '%s'",
			    "descend at most this deep below path"),
		  {.lng = "size",
		   .type = OPT_STRING,
		   .value = "[+-]n[k|M]",
		   .spell = OPT_DASH1,
		   .help = "data bytes: +n more, -n less, n exactly"},
		  {.lng = "children",
		   .type = OPT_STRING,
		   .value = "[+-]n",
		   .spell = OPT_DASH1,
		   .help = "the number of children: +n more, -n less, n exactly"},
		  {.lng = "mtime",
		   .type = OPT_STRING,
		   .value = "[+-]n[s|m|h|d]",
		   .spell = OPT_DASH1,
		   .help = "age in days or the unit given, as find(1) counts"},
		  {.lng = "owner",
		   .type = OPT_STRING,
		   .value = "session",
		   .spell = OPT_DASH1,
		   .help = "an ephemeral's owner session id"},
		  {.lng = "print0",
		   .type = OPT_BOOL,
		   .spell = OPT_DASH1,
		   .help = "end paths with NUL instead of a newline"}),
     .pos = POSITIONALS(PATH_POS(POS_OPTIONAL)),
     .help = "print the paths below path (itself included) that pass every test: -name "
	     "and -path shell globs on the name or the whole path, -type persistent, "
	     "ephemeral, container, ttl (where the server tells: 3.5-3.9 report both as "
	     "persistent) or sequential (a list is any of them), -size data "
	     "bytes, -children the number of children, -mtime age in days or the unit given "
	     "(+n more, -n less, n exactly, as find(1) counts), -owner an ephemeral's "
	     "session id; -print0 ends paths with NUL",
     .attrs = CMD_ZK,
     .exec = cmd_find,
     .check = cmd_find_check},
    {.name = "grep",
     .opts = OPTS(OPT_FLAG('i', NULL, "ignore case"),
		  OPT_FLAG('l', NULL, "print only the paths that match"),
		  OPT_FLAG('c', NULL, "print path:count"),
		  OPT_FLAG('E', NULL, "extended regular expressions"),
		  OPT_FLAG('a', NULL, "search binary data too")),
     .pos = POSITIONALS(POS_ARG("pattern", CPL_NONE, 0), PATH_POS(POS_OPTIONAL)),
     .parse = PARSE_CLUSTER,
     .help = "search the data of every node below path (itself included) for a regular "
	     "expression (basic, -E extended, -i ignoring case), printing path:line for each "
	     "matching line, -l only the paths, -c path:count; binary data is skipped unless "
	     "-a; exit 0 when a line matched, 1 when none did",
     .attrs = CMD_ZK,
     .exec = cmd_grep,
     .check = cmd_grep_check},
    {.name = "count",
     .opts = OPTS(OPT_FLAG('d', NULL, "per depth")),
     .pos = POSITIONALS(PATH_POS(POS_OPTIONAL)),
     .help = "the number of nodes below path, as getAllChildrenNumber counts them (the node "
	     "itself not counted); -d per depth",
     .attrs = CMD_ZK,
     .exec = cmd_count},
    {0},
};
