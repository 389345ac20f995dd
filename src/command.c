#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "batch.h"
#include "duration.h"
#include "help.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "zkerr.h"
#include "conn.h"
#include "zk/path.h"
#include "util.h"

const struct cmd_entry *const cmd_tables[] = {
    cmd_data_entries,	  cmd_nav_entries,
    cmd_shell_entries,	  cmd_auth_entries,
    cmd_watch_entries,	  cmd_quota_entries,
    cmd_config_entries,	  cmd_tree_entries,
    cmd_ensemble_entries, cmd_explore_entries,
    cmd_recipes_entries,  cmd_fourlw_entries,
    cmd_backup_entries,	  NULL,
};

const struct cmd_entry *
cmd_iter(int *i)
{
	int t = *i >> 8, k = *i & 0xff;

	while (cmd_tables[t] != NULL) {
		if (cmd_tables[t][k].name != NULL) {
			*i = (t << 8) | (k + 1);
			return &cmd_tables[t][k];
		}
		t++;
		k = 0;
	}
	return NULL;
}

const struct cmd_entry *
cmd_lookup(const char *name)
{
	const struct cmd_entry *e;
	int i = 0;

	while ((e = cmd_iter(&i)) != NULL)
		if (strcmp(e->name, name) == 0 || (e->alias && strcmp(e->alias, name) == 0))
			return e;
	return NULL;
}

/* Optimal string alignment distance (Damerau-Levenshtein: edits and swaps), ignoring case. */
static int
edit_distance(const char *a, const char *b)
{
	enum { N = 32 };
	size_t la = strlen(a), lb = strlen(b);
	int d[N + 1][N + 1];

	if (la > N || lb > N)
		return N;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]),
			    cb = tolower((unsigned char)b[j - 1]);
			int best = d[i - 1][j - 1] + (ca != cb);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *
cmd_suggest(const char *name)
{
	const struct cmd_entry *e;
	const char *best = NULL;
	int i = 0, best_d = CMD_SUGGEST_MAX + 1;

	while ((e = cmd_iter(&i)) != NULL) {
		const char *cand[2] = {e->name, e->alias};

		for (int k = 0; k < 2; k++) {
			int dist = cand[k] != NULL ? edit_distance(name, cand[k]) : best_d;

			/* two edits turn any two letters into "ls": not a likeness */
			if (cand[k] == NULL || dist >= (int)strlen(cand[k]) ||
			    dist >= (int)strlen(name))
				continue;
			if (dist < best_d) {
				best_d = dist;
				best = cand[k];
			}
		}
	}
	return best;
}

/* "Command not found: gte (did you mean `get`?)"; the table's help otherwise. */
int
cmd_not_found(struct shell *sh, const char *name)
{
	const char *s = cmd_suggest(name);

	if (s != NULL)
		return sh_error(sh, ZX_NOCMD, "Command not found: %s (did you mean `%s`?)", name,
				s);
	return sh_error(sh, ZX_NOCMD, "Command not found: %s (try: help)", name);
}

/* ---- specs --------------------------------------------------------------- */

static const char *const output_choices[] = {"json", "text", NULL};

const struct opt_spec cmd_common_options[] = {
    {.lng = "json", .type = OPT_BOOL, .help = "print this command's result as JSON"},
    {.shrt = 'o',
     .lng = "output-format",
     .type = OPT_ENUM,
     .value = "FORMAT",
     .choices = output_choices,
     .help = "json or text, for this command only"},
    {.shrt = '?',
     .lng = "help",
     .type = OPT_BOOL,
     .spell = OPT_DASH1,
     .help = "describe the command instead of running it"},
    {0},
};

#define GLOBAL_STR(l, v, h)                                                                        \
	{                                                                                          \
		.lng = (l), .type = OPT_STRING, .value = (v), .help = (h)                          \
	}

const struct opt_spec cmd_global_options[] = {
    {.lng = "server",
     .type = OPT_STRING,
     .value = "HOSTS[/chroot]",
     .spell = OPT_DASH1,
     .help = "the servers to connect to (default $ZKSH_SERVER, then localhost:2181)"},
    {.lng = "timeout",
     .type = OPT_INT,
     .value = "MS",
     .min = 1,
     .max = 3600000,
     .spell = OPT_DASH1,
     .help = "the session timeout in milliseconds (default 30000)"},
    OPT_FLAG('r', NULL,
	     "allow read-only servers (zkCli's -r): a partitioned server still answers "
	     "reads"),
    OPT_FLAG(0, "read-only",
	     "refuse every command that writes, up front, without connecting "
	     "(exit 2)"),
    {.lng = "waitforconnection",
     .type = OPT_BOOL,
     .spell = OPT_DASH1,
     .help = "wait for the connection before the first command (zkCli)"},
    OPT_FLAG(0, "json", "print results as JSON, one document per command"),
    OPT_FLAG('k', "keep-going", "batch mode: go on after a failing command"),
    OPT_FLAG('q', "quiet", "batch mode: no \"Created\" chatter on stdout"),
    OPT_FLAG(0, "no-color", "no colour in the interactive shell"),
    OPT_FLAG(0, "progress",
	     "a progress line on stderr for long walks and bulk writes, also when stderr is "
	     "not a terminal (then plain lines)"),
    OPT_FLAG(0, "no-progress", "no progress line, also on a terminal"),
    {.lng = "pipeline",
     .type = OPT_INT,
     .value = "N",
     .min = 1,
     .max = 100000,
     .spell = OPT_OPTVAL,
     .help = "batch mode: send without waiting for answers, N batches (--no-batch: requests) "
	     "in flight"},
    {.lng = "max-data",
     .type = OPT_INT,
     .value = "BYTES",
     .min = 0,
     .max = 1LL << 31,
     .help = "the server's jute.maxbuffer: larger requests are refused before sending"},
    OPT_NUM(0, "window", "N", 1, 100000, "requests in flight in walks and bulk commands"),
    OPT_VAL(0, "auth-file", OPT_FILE, "FILE", "scheme:credential lines added to every session"),
    OPT_FLAG(0, "no-batch", "batch mode: one request per line, no multi() batches"),
    OPT_FLAG(0, "atomic", "batch mode: the script's writes as one multi(), all or nothing"),
    OPT_NUM(0, "batch-bytes", "N", 256, 1048576, "batch mode: at most N bytes a multi()"),
    OPT_NUM(0, "batch-ops", "N", 1, 100000, "batch mode: at most N operations a multi()"),
    {.lng = "tls",
     .type = OPT_STRING,
     .value = "CA,CERT,KEY[,PASS]",
     .spell = OPT_DASH1,
     .help = "connect with TLS (where the client library has it)"},
    GLOBAL_STR("sasl-mech", "M", "SASL mechanism (where the client library has SASL)"),
    GLOBAL_STR("sasl-user", "U", "SASL user"),
    OPT_VAL(0, "sasl-password-file", OPT_FILE, "F", "read the SASL password from F"),
    GLOBAL_STR("sasl-realm", "R", "SASL realm"),
    GLOBAL_STR("sasl-service", "S", "SASL service (default zookeeper)"),
    GLOBAL_STR("sasl-host", "H", "SASL host"),
    OPT_VAL('c', NULL, OPT_STRING, "'CMD; CMD'", "run these commands (batch mode)"),
    OPT_VAL('f', NULL, OPT_FILE, "FILE", "run the commands in FILE (- for stdin)"),
    {.shrt = 'h', .lng = "help", .type = OPT_BOOL, .spell = OPT_DASH1, .help = "print usage"},
    {.shrt = 'V',
     .lng = "version",
     .type = OPT_BOOL,
     .spell = OPT_DASH1,
     .help = "print zksh's version"},
    {0},
};

static int
nopts(const struct opt_spec *o)
{
	int n = 0;

	while (o != NULL && (o[n].shrt != 0 || o[n].lng != NULL))
		n++;
	return n;
}

static int
npos(const struct pos_spec *p)
{
	int n = 0;

	while (p != NULL && p[n].name != NULL)
		n++;
	return n;
}

int
cmd_min_args(const struct cmd_entry *e)
{
	int n = 0;

	if (e->subs != NULL)
		return 1;
	for (int i = 0; i < npos(e->pos); i++)
		n += !(e->pos[i].flags & (POS_OPTIONAL | POS_BARE));
	return n;
}

int
cmd_max_args(const struct cmd_entry *e)
{
	int n = npos(e->pos);

	if (e->subs != NULL)
		return -1;
	for (int i = 0; i < n; i++)
		if (e->pos[i].flags & POS_REPEATED)
			return -1;
	return n;
}

const struct cmd_entry *
cmd_sub_lookup(const struct cmd_entry *e, const char *word)
{
	for (const struct cmd_entry *s = e->subs; s != NULL && s->name != NULL; s++)
		if (strcmp(s->name, word) == 0 || (s->alias != NULL && strcmp(s->alias, word) == 0))
			return s;
	return NULL;
}

static int
opt_is(const struct opt_spec *o, const char *name)
{
	return (o->lng != NULL && strcmp(o->lng, name) == 0) ||
	       (o->shrt != 0 && name[0] == o->shrt && name[1] == '\0');
}

const struct opt_spec *
cmd_opt_lookup(const struct cmd_entry *e, const struct cmd_entry *sub, const char *name)
{
	const struct opt_spec *lists[2] = {sub != NULL ? sub->opts : NULL, e->opts};

	for (int l = 0; l < 2; l++)
		for (int i = 0; i < nopts(lists[l]); i++)
			if (opt_is(&lists[l][i], name))
				return &lists[l][i];
	return NULL;
}

const char *
opt_name(const struct opt_spec *o, char *buf, size_t len)
{
	if (o->shrt != 0)
		snprintf(buf, len, "-%c", o->shrt);
	else
		snprintf(buf, len, "%s%s", (o->spell & OPT_DASH1) ? "-" : "--", o->lng);
	return buf;
}

void
opt_spellings(const struct opt_spec *o, char *out, size_t len)
{
	size_t n;

	out[0] = '\0';
	if (o->shrt != 0)
		snprintf(out, len, "-%c", o->shrt);
	if (o->lng != NULL && (o->spell & OPT_DASH1)) {
		n = strlen(out);
		snprintf(out + n, len - n, "%s-%s", n ? " " : "", o->lng);
	}
	if (o->lng != NULL) {
		n = strlen(out);
		snprintf(out + n, len - n, "%s--%s", n ? " " : "", o->lng);
	}
}

/* ---- one option word ------------------------------------------------------- */

int
opt_match(const struct opt_spec *specs, int argc, char **argv, int *i, int *k, const char **v,
	  char *err, size_t errlen)
{
	const char *w = argv[*i];
	int dbl = w[1] == '-';
	const char *name = w + 1 + dbl;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	int typed = (int)(strcspn(w, "="));

	for (int j = 0; j < nopts(specs); j++) {
		const struct opt_spec *o = &specs[j];

		if (!(o->lng != NULL && strlen(o->lng) == len && strncmp(o->lng, name, len) == 0 &&
		      (dbl || (o->spell & OPT_DASH1))) &&
		    !(!dbl && o->shrt != 0 && len == 1 && name[0] == o->shrt))
			continue;
		*k = j;
		if (o->type == OPT_BOOL) {
			if (eq != NULL) {
				snprintf(err, errlen, "option %.*s takes no value", typed, w);
				return -1;
			}
			*v = "";
		} else if (eq != NULL) {
			*v = eq + 1;
		} else if (o->spell & OPT_OPTVAL) {
			*v = "";
		} else if (*i + 1 >= argc) {
			snprintf(err, errlen, "option %s needs a value", w);
			return -1;
		} else {
			*v = argv[++*i];
		}
		return 1;
	}
	return 0;
}

/* "512k", "1M", "4096": bytes in powers of 1024. */
static int
parse_bytes(const char *v, long long *out)
{
	char num[32];
	size_t n = strlen(v);
	long long mult = 1;

	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, v, n + 1);
	switch (num[n - 1]) {
	case 'k':
	case 'K':
		mult = 1024;
		break;
	case 'm':
	case 'M':
		mult = 1024 * 1024;
		break;
	case 'g':
	case 'G':
		mult = 1024LL * 1024 * 1024;
		break;
	default:
		break;
	}
	if (mult > 1)
		num[n - 1] = '\0';
	if (parse_long(num, out) != 0 || *out < 0 || *out > LLONG_MAX / mult)
		return -1;
	*out *= mult;
	return 0;
}

static void
range_error(const struct opt_spec *o, const char *prefix, const char *word, const char *v,
	    char *err, size_t errlen)
{
	const char *noun = o->noun;
	int unbounded = o->max == LLONG_MAX;

	if (noun == NULL)
		noun = o->type == OPT_DURATION ? "a duration"
		       : o->type == OPT_BYTES  ? "a size"
					       : "a number";
	if (o->min == 0 && o->max == 0)
		snprintf(err, errlen, "%s: %s wants %s, not '%s'", prefix, word, noun, v);
	else if (unbounded)
		snprintf(err, errlen, "%s: %s wants %s from %lld, not '%s'", prefix, word, noun,
			 o->min, v);
	else
		snprintf(err, errlen, "%s: %s wants %s from %lld to %lld, not '%s'", prefix, word,
			 noun, o->min, o->max, v);
}

int
opt_convert(const struct opt_spec *o, const char *prefix, const char *word, const char *v,
	    long long *num, char *err, size_t errlen)
{
	char why[256];
	int bad = 0;

	*num = 0;
	switch (o->type) {
	case OPT_INT:
		bad = parse_long(v, num) != 0;
		break;
	case OPT_DURATION:
		if (parse_duration(v, num, why, sizeof(why)) != 0) {
			if (o->bad != NULL)
				snprintf(err, errlen, o->bad, prefix, v);
			else
				snprintf(err, errlen, "%s: %s: %s", prefix, word, why);
			return -1;
		}
		break;
	case OPT_BYTES:
		bad = parse_bytes(v, num) != 0;
		break;
	case OPT_ENUM:
		for (int i = 0; o->choices != NULL && o->choices[i] != NULL; i++)
			if (strcmp(o->choices[i], v) == 0) {
				*num = i;
				return 0;
			}
		snprintf(why, sizeof(why), "%s", "");
		for (int i = 0; o->choices != NULL && o->choices[i] != NULL; i++)
			snprintf(why + strlen(why), sizeof(why) - strlen(why), "%s%s",
				 i ? ", " : "", o->choices[i]);
		snprintf(err, errlen, "%s: %s wants one of %s, not '%s'", prefix, word, why, v);
		return -1;
	default:
		return 0;
	}
	if (!bad && (o->min != 0 || o->max != 0) && (*num < o->min || *num > o->max))
		bad = 1;
	if (!bad)
		return 0;
	if (o->bad != NULL)
		snprintf(err, errlen, o->bad, prefix, v);
	else
		range_error(o, prefix, word, v, err, errlen);
	return -1;
}

/* ---- parsing a command line ---------------------------------------------------- */

static int
looks_negative_number(const char *s)
{
	if (s[0] != '-' || !isdigit((unsigned char)s[1]))
		return 0;
	for (s++; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '.')
			return 0;
	return 1;
}

struct parser {
	const struct cmd_entry *e, *sub;
	const struct opt_spec *lists[2]; /* the subcommand's, the command's */
	int n0;				 /* options in lists[0] */
	unsigned parse;
	int *json_override, *want_help;
	char *err;
	size_t errlen;
};

static const struct opt_spec *
spec_at(const struct parser *p, int k)
{
	return k < p->n0 ? &p->lists[0][k] : &p->lists[1][k - p->n0];
}

static int
set_value(struct parser *p, struct args *a, int k, const char *v, const char *word)
{
	const struct opt_spec *o = spec_at(p, k);

	a->val[k] = v;
	snprintf(a->typed[k], sizeof(a->typed[k]), "%s", word);
	if (o->type == OPT_BOOL || o->type == OPT_STRING || o->type == OPT_PATH ||
	    o->type == OPT_FILE || ((o->spell & OPT_OPTVAL) && *v == '\0'))
		return 0;
	return opt_convert(o, p->e->name, word, v, &a->num[k], p->err, p->errlen) == 0 ? 0 : -2;
}

static int
short_spec(const struct parser *p, char c)
{
	for (int l = 0, base = 0; l < 2; base += nopts(p->lists[l]), l++)
		for (int j = 0; j < nopts(p->lists[l]); j++)
			if (p->lists[l][j].shrt == c)
				return base + j;
	return -1;
}

/* Known to another subcommand of the family: "status does not take --force". */
static int
other_sub_takes(const struct parser *p, const char *w)
{
	const char *name = w + 1 + (w[1] == '-');
	char nm[64];

	if (p->sub == NULL)
		return 0;
	snprintf(nm, sizeof(nm), "%.*s", (int)strcspn(name, "="), name);
	for (const struct cmd_entry *s = p->e->subs; s->name != NULL; s++)
		for (int j = 0; j < nopts(s->opts); j++)
			if (opt_is(&s->opts[j], nm))
				return 1;
	return 0;
}

/* One option word at argv[*i]: 0, or -1/-2 with the message in p->err. */
static int
parse_option(struct parser *p, struct args *a, int argc, char **argv, int *i)
{
	const char *w = argv[*i], *v;
	int k, r, start = *i;
	int typedlen = (int)strcspn(w, "=");
	char word[32], letter[3] = "-";

	snprintf(word, sizeof(word), "%.*s", typedlen, w);

	for (int l = 0, base = 0; l < 2; base += p->n0, l++) {
		r = opt_match(p->lists[l], argc, argv, i, &k, &v, p->err, p->errlen);
		if (r < 0)
			return -1;
		if (r > 0)
			return set_value(p, a, base + k, v, word);
	}
	r = opt_match(cmd_common_options, argc, argv, i, &k, &v, p->err, p->errlen);
	if (r < 0)
		return -1;
	if (r > 0) {
		long long n;
		if (cmd_common_options[k].shrt == '?') {
			*p->want_help = 1;
		} else if (cmd_common_options[k].type == OPT_BOOL) {
			*p->json_override = 1;
		} else {
			if (opt_convert(&cmd_common_options[k], p->e->name, word, v, &n, p->err,
					p->errlen) != 0)
				return -2;
			*p->json_override = n == 0;
		}
		return 0;
	}
	/* "-v3": a letter with its value; "-sw": letters grouped where declared */
	if (w[1] != '-' && strchr(w, '=') == NULL) {
		for (size_t j = 1; w[j] != '\0'; j++) {
			k = short_spec(p, w[j]);
			if (k < 0 || (j > 1 && !(p->parse & PARSE_CLUSTER)))
				break;
			letter[1] = w[j];
			if (spec_at(p, k)->type != OPT_BOOL) {
				if (w[j + 1] != '\0')
					return set_value(p, a, k, w + j + 1, letter);
				if (*i + 1 >= argc) {
					snprintf(p->err, p->errlen, "option -%c needs a value",
						 w[j]);
					return -1;
				}
				(*i)++;
				return set_value(p, a, k, argv[*i], letter);
			}
			if (w[j + 1] == '\0')
				return set_value(p, a, k, "", letter);
			if (!(p->parse & PARSE_CLUSTER))
				break;
			a->val[k] = "";
			snprintf(a->typed[k], sizeof(a->typed[k]), "%s", letter);
		}
	}
	*i = start;
	if (other_sub_takes(p, w))
		snprintf(p->err, p->errlen, "%s does not take %.*s", p->sub->name, typedlen, w);
	else
		snprintf(p->err, p->errlen, "unknown option: %s", w);
	return -1;
}

/* Two options of one group given: "delquota: give only one of -n, -b, -N, -B". */
static int
exclusive_groups(struct parser *p, struct args *a)
{
	int n = p->n0 + nopts(p->lists[1]);

	for (int k = 0; k < n; k++) {
		int g = spec_at(p, k)->group, given = 0;
		size_t len;

		if (g == 0)
			continue;
		for (int j = 0; j < n; j++)
			given += spec_at(p, j)->group == g && a->val[j] != NULL;
		if (given < 2)
			continue;
		snprintf(p->err, p->errlen, "%s: give only one of ", p->e->name);
		for (int j = 0, first = 1; j < n; j++) {
			char name[64];
			if (spec_at(p, j)->group != g)
				continue;
			len = strlen(p->err);
			snprintf(p->err + len, p->errlen - len, "%s%s", first ? "" : ", ",
				 opt_name(spec_at(p, j), name, sizeof(name)));
			first = 0;
		}
		return -1;
	}
	return 0;
}

/* The first positional word, skipping options (and their values) of the family. */
static const char *
sub_word(const struct cmd_entry *e, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i], *v;
		char err[128];
		int k, r = 0;

		if (strcmp(w, "--") == 0)
			return i + 1 < argc ? argv[i + 1] : NULL;
		if (w[0] != '-' || w[1] == '\0' || looks_negative_number(w))
			return w;
		r = opt_match(e->opts, argc, argv, &i, &k, &v, err, sizeof(err));
		for (const struct cmd_entry *s = e->subs; r == 0 && s->name != NULL; s++)
			r = opt_match(s->opts, argc, argv, &i, &k, &v, err, sizeof(err));
		if (r == 0)
			r = opt_match(cmd_common_options, argc, argv, &i, &k, &v, err, sizeof(err));
		(void)r;
	}
	return NULL;
}

/* Resolve the path positionals in place, against a->cwd. */
static int
resolve_paths(const struct cmd_entry *pe, struct args *a, const struct cmd_entry *e, int base,
	      char *err, size_t errlen)
{
	int n = npos(pe->pos);

	for (int j = 0; j < n; j++) {
		const struct pos_spec *ps = &pe->pos[j];
		int last = (ps->flags & POS_REPEATED) ? a->argc : base + j + 1;

		if (ps->type == OPT_INT && base + j < a->argc && base + j < 8) {
			struct opt_spec o = {
			    .type = OPT_INT, .min = ps->min, .max = ps->max, .bad = ps->bad};
			if (opt_convert(&o, e->name, ps->name, a->argv[base + j],
					&a->posnum[base + j], err, errlen) != 0)
				return -2;
		}
		if (ps->complete != CPL_PATH)
			continue;
		for (int idx = base + j; idx < last && idx < a->argc; idx++) {
			char out[ZKSH_PATH_MAX];
			int seq = ps->seq != NULL && args_has(a, ps->seq);

			if (path_resolve(a->cwd, a->argv[idx], seq, out, sizeof(out), err,
					 errlen) != 0)
				return -2;
			if (a->nowned == (int)(sizeof(a->owned) / sizeof(a->owned[0])))
				continue;
			a->owned[a->nowned] = xstrdup(out);
			a->argv[idx] = a->owned[a->nowned++];
		}
	}
	return 0;
}

int
cmd_parse_in(const struct cmd_entry *e, const char *cwd, int argc, char **argv, struct args *a,
	     int *json_override, int *want_help, char *err, size_t errlen)
{
	struct parser p;
	const struct cmd_entry *pe;
	const char *word = NULL;
	int out = 0, only_args = 0, base, rc;

	memset(a, 0, sizeof(*a));
	a->entry = e;
	a->dashdash = -1;
	a->cwd = cwd != NULL ? cwd : "/";
	a->argv = calloc((size_t)argc + 1, sizeof(char *));
	a->given = calloc((size_t)argc + 1, sizeof(char *));
	if (a->argv == NULL || a->given == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (e->subs != NULL && (word = sub_word(e, argc, argv)) != NULL)
		a->sub = cmd_sub_lookup(e, word);
	memset(&p, 0, sizeof(p));
	p.e = e;
	p.sub = a->sub;
	p.lists[0] = a->sub != NULL ? a->sub->opts : NULL;
	p.lists[1] = e->opts;
	p.n0 = nopts(p.lists[0]);
	p.parse = e->parse | (a->sub != NULL ? a->sub->parse : 0);
	p.json_override = json_override;
	p.want_help = want_help;
	p.err = err;
	p.errlen = errlen;
	if (p.n0 + nopts(p.lists[1]) > ARGS_MAX_FLAGS) {
		snprintf(err, errlen, "too many options in the table");
		return -1;
	}
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (!only_args && strcmp(w, "--") == 0) {
			only_args = 1;
			a->dashdash = out;
			continue;
		}
		if (!only_args && w[0] == '-' && w[1] != '\0' && !looks_negative_number(w)) {
			if ((rc = parse_option(&p, a, argc, argv, &i)) != 0)
				return rc;
			continue;
		}
		a->given[out] = argv[i];
		a->argv[out++] = argv[i];
	}
	a->argc = out;
	if (*want_help)
		return 0;
	if (e->subs != NULL && a->sub == NULL) {
		if (word == NULL)
			snprintf(err, errlen, "missing subcommand");
		else
			snprintf(err, errlen, "unknown subcommand '%s'", word);
		return -1;
	}
	if (exclusive_groups(&p, a) != 0)
		return -2;
	pe = a->sub != NULL ? a->sub : e;
	base = a->sub != NULL ? 1 : 0;
	if (a->argc - base < cmd_min_args(pe)) {
		snprintf(err, errlen, "missing argument");
		return -1;
	}
	if (cmd_max_args(pe) >= 0 && a->argc - base > cmd_max_args(pe)) {
		snprintf(err, errlen, "too many arguments");
		return -1;
	}
	return resolve_paths(pe, a, e, base, err, errlen);
}

int
cmd_parse(const struct cmd_entry *e, int argc, char **argv, struct args *a, int *json_override,
	  int *want_help, char *err, size_t errlen)
{
	return cmd_parse_in(e, "/", argc, argv, a, json_override, want_help, err, errlen);
}

void
args_free(struct args *a)
{
	for (int i = 0; i < a->nowned; i++)
		free(a->owned[i]);
	a->nowned = 0;
	free(a->argv);
	free(a->given);
	a->argv = NULL;
	a->given = NULL;
}

static int
args_index(const struct args *a, const char *name)
{
	const struct opt_spec *lists[2] = {a->sub != NULL ? a->sub->opts : NULL, a->entry->opts};

	for (int l = 0, base = 0; l < 2; base += nopts(lists[0]), l++)
		for (int j = 0; j < nopts(lists[l]); j++)
			if (opt_is(&lists[l][j], name))
				return base + j;
	return -1;
}

const char *
args_get(const struct args *a, const char *name)
{
	int k = args_index(a, name);

	return k < 0 ? NULL : a->val[k];
}

int
args_has(const struct args *a, const char *name)
{
	return args_get(a, name) != NULL;
}

long long
args_int(const struct args *a, const char *name, long long dflt)
{
	int k = args_index(a, name);

	return k < 0 || a->val[k] == NULL || *a->val[k] == '\0' ? dflt : a->num[k];
}

const char *
args_typed(const struct args *a, const char *name)
{
	static char buf[64];
	int k = args_index(a, name);

	if (k >= 0 && a->typed[k][0] != '\0')
		snprintf(buf, sizeof(buf), "%s", a->typed[k]);
	else if (k >= 0)
		opt_name(cmd_opt_lookup(a->entry, a->sub, name), buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "-%s", name);
	return buf;
}

long long
args_pos_int(const struct args *a, int i, long long dflt)
{
	return i < a->argc && i < 8 ? a->posnum[i] : dflt;
}

int
args_path(const struct args *a, int i, char *out)
{
	snprintf(out, ZKSH_PATH_MAX, "%s", i < a->argc ? a->argv[i] : a->cwd);
	return ZX_OK;
}

void
cmd_usage(struct shell *sh, const struct cmd_entry *e, const struct cmd_entry *sub)
{
	(void)sh;
	help_usage(e, sub);
}

/*
 * Everything that can be wrong without asking the server: a bad path, number,
 * version, ACL or server string is a usage error even when no server answers,
 * so it is found before connecting (paths and typed values by cmd_parse).
 */
static int
check_entry(struct shell *sh, const struct cmd_entry *e, struct args *a)
{
	const struct cmd_entry *sub = a->sub;

	if (sub != NULL && sub->check != NULL)
		return sub->check(sh, a);
	return e->check != NULL ? e->check(sh, a) : ZX_OK;
}

/*
 * The command's subject for its JSON document: the first path positional,
 * resolved, or the current node when an optional one was left out.
 */
static void
name_subject(struct shell *sh, const struct cmd_entry *e, const struct args *a)
{
	const struct cmd_entry *pe = a->sub != NULL ? a->sub : e;
	int base = a->sub != NULL ? 1 : 0;

	for (int j = 0; pe->pos != NULL && pe->pos[j].name != NULL; j++) {
		if (pe->pos[j].complete != CPL_PATH)
			continue;
		if (base + j < a->argc)
			render_path(sh, a->argv[base + j]);
		else if (pe->pos[j].flags & (POS_OPTIONAL | POS_BARE))
			render_path(sh, a->cwd != NULL ? a->cwd : sh->cwd);
		return;
	}
}

/* Runs e with parsed arguments: queued in the writer, or after it flushed. */
static int
run_entry(struct shell *sh, const struct cmd_entry *e, struct args *a)
{
	unsigned attrs = e->attrs | (a->sub != NULL ? a->sub->attrs : 0);
	int rc;

	/* --read-only: refused up front, before any check or connection */
	if ((attrs & CMD_WRITE) && sh->read_only) {
		if (sh->bw != NULL)
			batch_flush(sh);
		if (a->sub != NULL)
			return sh_error(sh, ZX_USAGE,
					"%s %s: refused: it writes, and --read-only is on", e->name,
					a->sub->name);
		return sh_error(sh, ZX_USAGE, "%s: refused: it writes, and --read-only is on",
				e->name);
	}
	if ((rc = check_entry(sh, e, a)) != ZX_OK) {
		/* the lines before this one are answered before it fails */
		if (sh->bw != NULL)
			batch_flush(sh);
		return rc;
	}
	if (attrs & CMD_ZK) {
		rc = conn_ensure(sh);
		if (rc != ZX_OK)
			return rc;
	}
	name_subject(sh, e, a);
	if (sh->bw != NULL) { /* batch mode's writer: queue a write, or flush first */
		rc = batch_hook(sh, e, a);
		if (rc != ZX_UNBATCHED)
			return rc;
	}
	render_begin(sh, e->name);
	if (sh->interactive)
		session_busy(sh->sess, 1);
	rc = (a->sub != NULL && a->sub->exec != NULL ? a->sub->exec : e->exec)(sh, a);
	if (sh->interactive)
		session_busy(sh->sess, 0);
	render_end(sh, rc);
	return rc;
}

int
cmd_dispatch(struct shell *sh, int argc, char **argv)
{
	const struct cmd_entry *e;
	struct args a;
	char err[ZKSH_PATH_MAX + 256];
	int json_override = -1, want_help = 0, rc;

	if (argc == 0)
		return ZX_OK;
	e = cmd_lookup(argv[0]);
	if (e == NULL)
		return cmd_not_found(sh, argv[0]);
	render_reset(sh, e->name);
	rc = cmd_parse_in(e, sh->cwd, argc, argv, &a, &json_override, &want_help, err, sizeof(err));
	if (rc == -2) { /* a bad value: the message says it all */
		rc = sh_error(sh, ZX_USAGE, "%s", err);
		args_free(&a);
		return rc;
	}
	if (rc != 0) {
		rc = sh_error(sh, ZX_USAGE, "%s: %s", e->name, err);
		cmd_usage(sh, e, a.sub);
		args_free(&a);
		return rc;
	}
	if (want_help) {
		sh->json_override = json_override;
		help_entry(sh, e, a.sub);
		sh->json_override = -1;
		args_free(&a);
		return ZX_OK;
	}
	a.line = sh->line;
	sh->json_override = json_override;
	rc = run_entry(sh, e, &a);
	sh->json_override = -1;
	args_free(&a);
	return rc;
}

int
arg_path(struct shell *sh, const char *arg, int sequential, char *out)
{
	char err[ZKSH_PATH_MAX + 128];

	if (path_resolve(sh->cwd, arg, sequential, out, ZKSH_PATH_MAX, err, sizeof(err)) != 0)
		return sh_error(sh, ZX_USAGE, "%s", err);
	render_path(sh, out); /* the first path is the command's subject */
	return ZX_OK;
}

int
arg_path_or_cwd(struct shell *sh, const struct args *a, int i, char *out)
{
	int rc = args_path(a, i, out);

	if (rc == ZX_OK)
		render_path(sh, out);
	return rc;
}

int
arg_version(struct shell *sh, const struct args *a, int *version)
{
	(void)sh;
	*version = (int)args_int(a, "v", -1);
	return ZX_OK;
}

int
arg_data(struct shell *sh, const struct args *a, const char *text, long overhead, char **data,
	 int *len)
{
	size_t n = 0;

	*data = NULL;
	*len = -1;
	if (text != NULL && args_has(a, "b")) {
		unsigned char *bin;
		long m = b64_decode(text, &bin);
		if (m < 0)
			return sh_error(sh, ZX_USAGE, "%s: -b data is not valid base64",
					a->entry->name);
		*data = (char *)bin;
		n = (size_t)m;
	} else if (text != NULL) {
		n = strlen(text);
		*data = xstrndup(text, n);
	}
	/* the server drops the connection when the request is over jute.maxbuffer */
	if ((long)n + overhead > sh->max_data) {
		free(*data);
		*data = NULL;
		return sh_error(sh, ZX_USAGE,
				"%s: data is %zu bytes, over the server's limit of %ld bytes for "
				"the whole request: with its path, ACL and header the request is "
				"%ld bytes (jute.maxbuffer; see --max-data)",
				a->entry->name, n, sh->max_data, (long)n + overhead);
	}
	*len = text != NULL ? (int)n : -1;
	return ZX_OK;
}
