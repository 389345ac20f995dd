/*
 * Help from the table: the usage line of every command and subcommand, the
 * `help` listing in zkCli's layout, `help CMD` with one line per option,
 * `help --json` (the grammar for the completion scripts; its shape is
 * documented in doc/zksh.1 and kept by tests) and `help --man` (roff for the
 * man page's COMMANDS and OPTIONS sections).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "command.h"
#include "help.h"
#include "render.h"
#include "shell.h"
#include "zkerr.h"

#define USAGE_MAX 1024

static int
count_opts(const struct opt_spec *o)
{
	int n = 0;

	while (o != NULL && (o[n].shrt != 0 || o[n].lng != NULL))
		n++;
	return n;
}

static void
cat(char *out, size_t len, const char *fmt, const char *a, const char *b)
{
	size_t n = strlen(out);

	if (n < len)
		snprintf(out + n, len - n, fmt, a, b);
}

/* "-v version", "-E|--conflict-exit-code N", "--pipeline[=N]". */
static void
opt_usage(const struct opt_spec *o, char *out, size_t len)
{
	char name[64];

	out[0] = '\0';
	if (o->shrt != 0 && o->lng != NULL)
		snprintf(name, sizeof(name), "-%c|%s%s", o->shrt,
			 (o->spell & OPT_DASH1) ? "-" : "--", o->lng);
	else
		opt_name(o, name, sizeof(name));
	if (o->type == OPT_BOOL)
		snprintf(out, len, "%s", name);
	else if (o->spell & OPT_OPTVAL)
		snprintf(out, len, "%s[=%s]", name, o->value ? o->value : "V");
	else
		snprintf(out, len, "%s %s", name, o->value ? o->value : "VALUE");
}

static void
pos_usage(const struct pos_spec *p, int first_dd, char *out, size_t len)
{
	int opt = (p->flags & POS_OPTIONAL) != 0;
	int rep = (p->flags & POS_REPEATED) != 0;

	snprintf(out, len, "%s%s%s%s%s", first_dd ? "-- " : "", opt ? "[" : "", p->name,
		 rep ? "..." : "", opt ? "]" : "");
}

void
cmd_usage_line(const struct cmd_entry *e, const struct cmd_entry *sub, char *out, size_t len)
{
	const struct cmd_entry *pe = sub != NULL ? sub : e;
	char piece[256];
	int dd = 0;

	snprintf(out, len, "%s", e->name);
	if (sub != NULL)
		cat(out, len, " %s%s", sub->name, "");
	if (pe->subs != NULL) {
		cat(out, len, " %s%s", "", "");
		for (const struct cmd_entry *s = pe->subs; s->name != NULL; s++)
			cat(out, len, "%s%s", s == pe->subs ? "" : "|", s->name);
		cat(out, len, " %s%s", "...", "");
		return;
	}
	for (int i = 0; i < count_opts(pe->opts); i++) {
		const struct opt_spec *o = &pe->opts[i];
		int j = i;

		/* a group of exclusive options: [-c|-d|-a], [-n|-b|-N|-B val] */
		while (o->group != 0 && j + 1 < count_opts(pe->opts) &&
		       pe->opts[j + 1].group == o->group)
			j++;
		if (j > i) {
			/* -n|-b|-N|-B val when they share the value, else each as it is */
			int same = o->type != OPT_BOOL;
			char name[64];

			for (int k = i; k <= j; k++)
				same &= pe->opts[k].type != OPT_BOOL && pe->opts[k].value != NULL &&
					o->value != NULL &&
					strcmp(pe->opts[k].value, o->value) == 0;
			cat(out, len, " [%s%s", "", "");
			for (int k = i; k <= j; k++) {
				if (same)
					opt_name(&pe->opts[k], name, sizeof(name));
				else
					opt_usage(&pe->opts[k], name, sizeof(name));
				cat(out, len, "%s%s", k > i ? "|" : "", name);
			}
			if (same)
				cat(out, len, " %s%s", o->value, "");
			cat(out, len, "]%s%s", "", "");
			i = j;
			continue;
		}
		opt_usage(o, piece, sizeof(piece));
		cat(out, len, " [%s]%s", piece, "");
	}
	for (int i = 0; pe->pos != NULL && pe->pos[i].name != NULL; i++) {
		int first_dd = (pe->pos[i].flags & POS_DASHDASH) && !dd;

		dd |= first_dd;
		pos_usage(&pe->pos[i], first_dd, piece, sizeof(piece));
		cat(out, len, " %s%s", piece, "");
	}
}

void
help_global_usage(FILE *f)
{
	const char *lead = "usage: zksh";
	size_t col = strlen(lead);
	char piece[256];

	fputs(lead, f);
	for (int i = 0; i <= count_opts(cmd_global_options); i++) {
		const struct opt_spec *o = &cmd_global_options[i];
		char u[200];

		if (i == count_opts(cmd_global_options))
			snprintf(piece, sizeof(piece), "[-c 'CMD; CMD' | -f FILE | CMD [ARGS...]]");
		else if (o->shrt == 'c' || o->shrt == 'f' || o->shrt == 'h' || o->shrt == 'V')
			continue;
		else {
			opt_usage(o, u, sizeof(u));
			snprintf(piece, sizeof(piece), "[%s]", u);
		}
		if (col + 1 + strlen(piece) > 78) {
			fprintf(f, "\n%*s", (int)strlen(lead), "");
			col = strlen(lead);
		}
		fprintf(f, " %s", piece);
		col += 1 + strlen(piece);
	}
	fputc('\n', f);
}

void
help_usage(const struct cmd_entry *e, const struct cmd_entry *sub)
{
	char line[USAGE_MAX];

	cmd_usage_line(e, sub, line, sizeof(line));
	out_lock();
	fprintf(stderr, "usage: %s\n", line);
	out_unlock();
}

/* ---- JSON ------------------------------------------------------------------- */

static const char *const type_names[] = {"bool", "int",	 "string",   "enum",
					 "path", "file", "duration", "bytes"};
static const char *const cpl_names[] = {"none", "path", "command", "file", "host", "choice"};

static cJSON *
opt_json(const struct opt_spec *o)
{
	cJSON *j = cJSON_CreateObject(), *sp = cJSON_AddArrayToObject(j, "spellings");
	char buf[64];

	if (o->shrt != 0) {
		snprintf(buf, sizeof(buf), "-%c", o->shrt);
		cJSON_AddItemToArray(sp, cJSON_CreateString(buf));
	}
	if (o->lng != NULL && (o->spell & OPT_DASH1)) {
		snprintf(buf, sizeof(buf), "-%s", o->lng);
		cJSON_AddItemToArray(sp, cJSON_CreateString(buf));
	}
	if (o->lng != NULL) {
		snprintf(buf, sizeof(buf), "--%s", o->lng);
		cJSON_AddItemToArray(sp, cJSON_CreateString(buf));
	}
	cJSON_AddStringToObject(j, "type", type_names[o->type]);
	if (o->type == OPT_BOOL)
		cJSON_AddNullToObject(j, "value");
	else
		cJSON_AddStringToObject(j, "value", o->value ? o->value : "VALUE");
	if (o->type == OPT_INT) {
		int unbounded = o->min == 0 && o->max == 0;
		cJSON_AddNumberToObject(j, "min", unbounded ? -9007199254740991.0 : (double)o->min);
		cJSON_AddNumberToObject(j, "max", unbounded ? 9007199254740991.0 : (double)o->max);
	}
	if (o->type == OPT_ENUM) {
		cJSON *c = cJSON_AddArrayToObject(j, "choices");
		for (int i = 0; o->choices != NULL && o->choices[i] != NULL; i++)
			cJSON_AddItemToArray(c, cJSON_CreateString(o->choices[i]));
	}
	cJSON_AddStringToObject(j, "help", o->help ? o->help : "");
	return j;
}

static void
opts_json(cJSON *arr, const struct opt_spec *o)
{
	for (int i = 0; i < count_opts(o); i++)
		cJSON_AddItemToArray(arr, opt_json(&o[i]));
}

static cJSON *
cmd_json(const struct cmd_entry *e, const struct cmd_entry *sub)
{
	const struct cmd_entry *pe = sub != NULL ? sub : e;
	cJSON *j = cJSON_CreateObject(), *arr;
	char line[USAGE_MAX];
	static const struct {
		unsigned bit;
		const char *name;
	} attrs[] = {{CMD_ZK, "zk"},
		     {CMD_WRITE, "write"},
		     {CMD_SECRET, "secret"},
		     {CMD_EMULATED, "emulated"}};

	cJSON_AddStringToObject(j, "command", pe->name);
	arr = cJSON_AddArrayToObject(j, "aliases");
	if (pe->alias != NULL)
		cJSON_AddItemToArray(arr, cJSON_CreateString(pe->alias));
	cmd_usage_line(e, sub, line, sizeof(line));
	cJSON_AddStringToObject(j, "usage", line);
	cJSON_AddStringToObject(j, "help", pe->help ? pe->help : "");
	arr = cJSON_AddArrayToObject(j, "attrs");
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		if ((pe->attrs | (sub != NULL ? e->attrs & CMD_ZK : 0)) & attrs[i].bit)
			cJSON_AddItemToArray(arr, cJSON_CreateString(attrs[i].name));
	arr = cJSON_AddArrayToObject(j, "options");
	opts_json(arr, pe->opts);
	if (sub != NULL)
		opts_json(arr, e->opts);
	opts_json(arr, cmd_common_options);
	arr = cJSON_AddArrayToObject(j, "positionals");
	for (int i = 0; pe->pos != NULL && pe->pos[i].name != NULL; i++) {
		const struct pos_spec *p = &pe->pos[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "name", p->name);
		cJSON_AddStringToObject(o, "complete", cpl_names[p->complete]);
		if (p->complete == CPL_CHOICE) {
			cJSON *c = cJSON_AddArrayToObject(o, "choices");
			for (int k = 0; p->choices != NULL && p->choices[k] != NULL; k++)
				cJSON_AddItemToArray(c, cJSON_CreateString(p->choices[k]));
		}
		cJSON_AddBoolToObject(o, "optional", (p->flags & (POS_OPTIONAL | POS_BARE)) != 0);
		cJSON_AddBoolToObject(o, "repeated", (p->flags & POS_REPEATED) != 0);
		cJSON_AddItemToArray(arr, o);
	}
	arr = cJSON_AddArrayToObject(j, "subcommands");
	for (const struct cmd_entry *s = e->subs; sub == NULL && s != NULL && s->name != NULL; s++)
		cJSON_AddItemToArray(arr, cmd_json(e, s));
	return j;
}

/* Move the members of src into dst (the command's JSON document). */
static void
all_json(cJSON *doc)
{
	const struct cmd_entry *e;
	cJSON *arr;
	int i = 0;

	cJSON_DeleteItemFromObject(doc, "command");
	cJSON_AddStringToObject(doc, "command", "help");
	arr = cJSON_AddArrayToObject(doc, "global_options");
	opts_json(arr, cmd_global_options);
	arr = cJSON_AddArrayToObject(doc, "commands");
	while ((e = cmd_iter(&i)) != NULL)
		cJSON_AddItemToArray(arr, cmd_json(e, NULL));
}

void *
help_grammar(void)
{
	cJSON *doc = cJSON_CreateObject();

	all_json(doc);
	return doc;
}

/* ---- text ------------------------------------------------------------------- */

static void
opt_lines(struct shell *sh, const struct opt_spec *o)
{
	for (int i = 0; i < count_opts(o); i++) {
		char blank[128], sp[160], u[200];
		size_t n = 0;

		opt_spellings(&o[i], blank, sizeof(blank));
		for (const char *p = blank; *p != '\0' && n + 3 < sizeof(sp); p++) {
			if (*p == ' ')
				sp[n++] = ',';
			sp[n++] = *p;
		}
		sp[n] = '\0';
		if (o[i].type != OPT_BOOL)
			snprintf(u, sizeof(u), "%s %s", sp, o[i].value ? o[i].value : "VALUE");
		else
			snprintf(u, sizeof(u), "%s", sp);
		render_text(sh, "    %-28s %s\n", u, o[i].help ? o[i].help : "");
	}
}

static void
entry_text(struct shell *sh, const struct cmd_entry *e, const struct cmd_entry *sub)
{
	const struct cmd_entry *pe = sub != NULL ? sub : e;
	char line[USAGE_MAX];

	cmd_usage_line(e, sub, line, sizeof(line));
	render_text(sh, "%s\n    %s\n", line, pe->help ? pe->help : "");
	opt_lines(sh, pe->opts);
	if (sub != NULL)
		opt_lines(sh, e->opts);
	for (const struct cmd_entry *s = pe->subs; s != NULL && s->name != NULL; s++) {
		cmd_usage_line(e, s, line, sizeof(line));
		render_text(sh, "  %s\n      %s\n", line, s->help ? s->help : "");
	}
	if (pe->alias)
		render_text(sh, "    alias: %s\n", pe->alias);
	if (pe->attrs & CMD_EMULATED)
		render_text(sh, "    emulated: the ZooKeeper C client has no call for this\n");
}

static void
listing(struct shell *sh)
{
	const struct cmd_entry *e;
	char line[USAGE_MAX];
	int i = 0;

	render_text(sh, "ZooKeeper -server host:port[/chroot] cmd args\n");
	while ((e = cmd_iter(&i)) != NULL) {
		cmd_usage_line(e, NULL, line, sizeof(line));
		render_text(sh, "\t%s%s\n", line, (e->attrs & CMD_EMULATED) ? "   (emulated)" : "");
	}
	render_text(
	    sh, "Type 'help COMMAND' for details. Paths may be relative to 'cd'.\n"
		"';' followed by a blank separates commands; elsewhere (a=1;b=2) it is data.\n");
}

/* ---- roff ------------------------------------------------------------------- */

static void
roff(const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	for (; *s != '\0'; s++) {
		if (*s == '-')
			fputs("\\-", stdout);
		else if (*s == '\\')
			fputs("\\e", stdout);
		else
			fputc(*s, stdout);
	}
}

static void
roff_opts(const struct opt_spec *o)
{
	for (int i = 0; i < count_opts(o); i++) {
		char sp[128];

		opt_spellings(&o[i], sp, sizeof(sp));
		fputs(".TP\n.B ", stdout);
		for (char *w = strtok(sp, " "); w != NULL; w = strtok(NULL, " ")) {
			if (w != sp)
				fputs(", ", stdout);
			roff(w);
		}
		if (o[i].type != OPT_BOOL) {
			fputs(" \\fI", stdout);
			roff(o[i].value ? o[i].value : "VALUE");
			fputs("\\fR", stdout);
		}
		fputc('\n', stdout);
		roff(o[i].help ? o[i].help : "");
		fputc('\n', stdout);
	}
}

static void
roff_entry(const struct cmd_entry *e, const struct cmd_entry *sub)
{
	const struct cmd_entry *pe = sub != NULL ? sub : e;
	char line[USAGE_MAX];

	cmd_usage_line(e, sub, line, sizeof(line));
	fputs(".TP\n.B ", stdout);
	roff(line);
	fputc('\n', stdout);
	roff(pe->help ? pe->help : "");
	fputc('\n', stdout);
	if (pe->alias != NULL) {
		fputs("Alias: ", stdout);
		roff(pe->alias);
		fputs(".\n", stdout);
	}
	if (count_opts(pe->opts) > 0) {
		fputs(".RS\n", stdout);
		roff_opts(pe->opts);
		fputs(".RE\n", stdout);
	}
	for (const struct cmd_entry *s = pe->subs; s != NULL && s->name != NULL; s++)
		roff_entry(e, s);
}

static void
man(void)
{
	const struct cmd_entry *e;
	int i = 0;

	out_lock();
	fputs(".SH OPTIONS\n", stdout);
	roff_opts(cmd_global_options);
	fputs(".SH COMMANDS\nEvery command also takes\n", stdout);
	for (int k = 0; k < count_opts(cmd_common_options); k++) {
		char sp[128];
		opt_spellings(&cmd_common_options[k], sp, sizeof(sp));
		fputs(k ? ", \\fB" : "\\fB", stdout);
		roff(sp);
		fputs("\\fR", stdout);
	}
	fputs(".\n", stdout);
	while ((e = cmd_iter(&i)) != NULL)
		roff_entry(e, NULL);
	fflush(stdout);
	out_unlock();
}

/* ---- entry points -------------------------------------------------------------- */

void
help_entry(struct shell *sh, const struct cmd_entry *e, const struct cmd_entry *sub)
{
	render_begin(sh, "help");
	/* two records: the JSON renderer takes the object, the text one the lines */
	render_json(sh, NULL, cmd_json(e, sub), NULL);
	entry_text(sh, e, sub);
	render_end(sh, ZX_OK);
}

int
help_cmd(struct shell *sh, struct args *a)
{
	const struct cmd_entry *e, *sub = NULL;

	if (args_has(a, "man")) {
		man();
		return ZX_OK;
	}
	if (a->argc == 0) {
		cJSON *doc = cJSON_CreateObject();

		all_json(doc);
		render_json(sh, NULL, doc, NULL);
		listing(sh);
		return ZX_OK;
	}
	e = cmd_lookup(a->argv[0]);
	if (e == NULL)
		return cmd_not_found(sh, a->argv[0]);
	if (a->argc > 1 && (sub = cmd_sub_lookup(e, a->argv[1])) == NULL)
		return sh_error(sh, ZX_USAGE, "help: %s has no subcommand '%s'", e->name,
				a->argv[1]);
	render_json(sh, NULL, cmd_json(e, sub), NULL);
	entry_text(sh, e, sub);
	return ZX_OK;
}
