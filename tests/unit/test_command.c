/* The dispatcher's parsing against a command's typed option and positional specs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "command.h"
#include "shell.h"

static int
noop(struct shell *sh, struct args *a)
{
	(void)sh;
	(void)a;
	return 0;
}

static const struct cmd_entry demo = {
    .name = "demo",
    .opts =
	OPTS(OPT_FLAG('s', NULL, "stat"), OPT_FLAG('w', NULL, "watch"),
	     OPT_NUM('v', NULL, "version", -1, 2147483647LL, "at this version"),
	     {.lng = "file", .type = OPT_FILE, .value = "f", .spell = OPT_DASH1, .help = "a file"},
	     OPT_FLAG('R', NULL, "recursive")),
    .pos = POSITIONALS(POS_ARG("path", CPL_NONE, 0), POS_ARG("data", CPL_NONE, POS_OPTIONAL)),
    .parse = PARSE_CLUSTER,
    .help = "a test command",
    .exec = noop,
};

struct parsed {
	struct args a;
	int rc, json, help;
	char err[128];
};

static struct parsed
parse(int argc, char **argv)
{
	struct parsed p;
	p.json = -1;
	p.help = 0;
	p.rc = cmd_parse(&demo, argc, argv, &p.a, &p.json, &p.help, p.err, sizeof(p.err));
	return p;
}

#define ARGV(...)                                                                                  \
	(char *[])                                                                                 \
	{                                                                                          \
		"demo", __VA_ARGS__, NULL                                                          \
	}
#define ARGC(...)  ((int)(sizeof((char *[]){"demo", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(...) parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void
flags_anywhere_and_values(void **state)
{
	struct parsed p = PARSE("-s", "/a", "-v", "3", "data");
	(void)state;
	assert_int_equal(p.rc, 0);
	assert_true(args_has(&p.a, "s"));
	assert_false(args_has(&p.a, "w"));
	assert_string_equal(args_get(&p.a, "v"), "3");
	assert_int_equal(p.a.argc, 2);
	assert_string_equal(p.a.argv[0], "/a");
	assert_string_equal(p.a.argv[1], "data");
	args_free(&p.a);
}

static void
grouped_and_attached_values(void **state)
{
	struct parsed p = PARSE("-sw", "-v7", "/a");
	(void)state;
	assert_int_equal(p.rc, 0);
	assert_true(args_has(&p.a, "s"));
	assert_true(args_has(&p.a, "w"));
	assert_string_equal(args_get(&p.a, "v"), "7");
	args_free(&p.a);
	p = PARSE("--file=x.cfg", "/a");
	assert_int_equal(p.rc, 0);
	assert_string_equal(args_get(&p.a, "file"), "x.cfg");
	args_free(&p.a);
	p = PARSE("-file", "y.cfg", "/a");
	assert_string_equal(args_get(&p.a, "file"), "y.cfg");
	args_free(&p.a);
}

static void
double_dash_ends_flags(void **state)
{
	struct parsed p = PARSE("/a", "--", "-s");
	(void)state;
	assert_int_equal(p.rc, 0);
	assert_false(args_has(&p.a, "s"));
	assert_string_equal(p.a.argv[1], "-s");
	args_free(&p.a);
}

static void
negative_numbers_are_arguments(void **state)
{
	struct parsed p = PARSE("/a", "-42");
	(void)state;
	assert_int_equal(p.rc, 0);
	assert_string_equal(p.a.argv[1], "-42");
	args_free(&p.a);
}

static void
unknown_flags_and_missing_values_fail(void **state)
{
	struct parsed p = PARSE("-Z", "/a");
	(void)state;
	assert_int_equal(p.rc, -1);
	assert_string_equal(p.err, "unknown option: -Z");
	args_free(&p.a);
	p = PARSE("/a", "-v");
	assert_int_equal(p.rc, -1);
	assert_string_equal(p.err, "option -v needs a value");
	args_free(&p.a);
	p = PARSE("-s=1", "/a");
	assert_int_equal(p.rc, -1);
	args_free(&p.a);
}

static void
argument_counts_are_checked(void **state)
{
	struct parsed p = PARSE("-s");
	(void)state;
	assert_int_equal(p.rc, -1);
	assert_string_equal(p.err, "missing argument");
	args_free(&p.a);
	p = PARSE("/a", "b", "c");
	assert_int_equal(p.rc, -1);
	assert_string_equal(p.err, "too many arguments");
	args_free(&p.a);
}

static void
generic_json_and_help_flags(void **state)
{
	struct parsed p = PARSE("--json", "/a");
	(void)state;
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.json, 1);
	args_free(&p.a);
	p = PARSE("-o", "text", "/a");
	assert_int_equal(p.json, 0);
	assert_int_equal(p.a.argc, 1);
	args_free(&p.a);
	p = PARSE("-?");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.help, 1);
	args_free(&p.a);
}

static void
every_table_entry_is_well_formed(void **state)
{
	const struct cmd_entry *e;
	int i = 0, n = 0;
	(void)state;
	while ((e = cmd_iter(&i)) != NULL) {
		char usage[1024];
		n++;
		cmd_usage_line(e, NULL, usage, sizeof(usage));
		assert_non_null(e->help);
		assert_non_null(e->exec);
		assert_true(cmd_max_args(e) < 0 || cmd_max_args(e) >= cmd_min_args(e));
		assert_ptr_equal(cmd_lookup(e->name), e);
		if (e->alias)
			assert_ptr_equal(cmd_lookup(e->alias), e);
		/* every option appears in the usage line, with a help line */
		for (int k = 0; e->opts != NULL && (e->opts[k].shrt || e->opts[k].lng); k++) {
			char want[64];
			opt_name(&e->opts[k], want, sizeof(want));
			if (strstr(usage, want) == NULL)
				fail_msg("%s: flag %s missing from usage '%s'", e->name, want,
					 usage);
			if (e->opts[k].help == NULL || e->opts[k].help[0] == '\0')
				fail_msg("%s: flag %s has no help line", e->name, want);
		}
	}
	assert_true(n >= 10);
	assert_null(cmd_lookup("no-such-command"));
}

/* Run one line through the table's check hook and the dispatcher's own path check. */
static int
check_line(struct shell *sh, int argc, char **argv)
{
	const struct cmd_entry *e = cmd_lookup(argv[0]);
	struct args a;
	char err[128];
	int json = -1, help = 0, rc;

	assert_non_null(e);
	rc = cmd_parse(e, argc, argv, &a, &json, &help, err, sizeof(err));
	/* a bad typed value (a version, a batch size) is refused by the parser */
	if (rc == -2) {
		args_free(&a);
		return ZX_USAGE;
	}
	assert_int_equal(rc, 0);
	rc = e->check != NULL ? e->check(sh, &a) : ZX_OK;
	args_free(&a);
	return rc;
}

#define CHECK(sh, ...)                                                                             \
	check_line(sh, (int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)),                    \
		   (char *[]){__VA_ARGS__, NULL})

/*
 * A bad argument is a usage error before any connection: the shell here has
 * no session at all, so anything that tried to reach a server would crash.
 */
static void
bad_arguments_fail_before_connecting(void **state)
{
	struct shell sh;
	(void)state;
	memset(&sh, 0, sizeof(sh));
	strcpy(sh.cwd, "/");
	sh.json_override = -1;
	sh.max_data = 1048575;
	assert_int_equal(
	    cmd_dispatch(&sh, 3, (char *[]){"setAcl", "/a", "world:anyone:cdrwa,", NULL}),
	    ZX_USAGE);
	assert_int_equal(
	    cmd_dispatch(&sh, 4, (char *[]){"setquota", "-B", "18446744073709551616", "/", NULL}),
	    ZX_USAGE);
	assert_int_equal(cmd_dispatch(&sh, 2, (char *[]){"setquota", "/a", NULL}), ZX_USAGE);
	assert_int_equal(cmd_dispatch(&sh, 1, (char *[]){"reconfig", NULL}), ZX_USAGE);
	assert_int_equal(cmd_dispatch(&sh, 4, (char *[]){"create", "-t", "x", "/a", NULL}),
			 ZX_USAGE);
	assert_int_equal(cmd_dispatch(&sh, 3, (char *[]){"reconfig", "-remove", "x", NULL}),
			 ZX_USAGE);
	/* server strings: ZooKeeper's QuorumServer format */
	assert_int_equal(CHECK(&sh, "reconfig", "-add", "server.4=127.0.0.1:1:2;3"), ZX_OK);
	assert_int_equal(CHECK(&sh, "reconfig", "-add", "server.4=h:1:2:observer;h:3"), ZX_OK);
	assert_int_equal(CHECK(&sh, "reconfig", "-add", "server.4=[::1]:1:2|h2:3:4;[::1]:5"),
			 ZX_OK);
	assert_int_equal(CHECK(&sh, "reconfig", "-add", "server.4=h:1:2"), ZX_OK);
	assert_int_equal(
	    CHECK(&sh, "reconfig", "-members", "server.1=h:1:2;3,group.1=1:2,weight.1=1"), ZX_OK);
	assert_int_equal(CHECK(&sh, "reconfig", "-remove", "3,4"), ZX_OK);
	assert_int_equal(CHECK(&sh, "reconfig", "-add", "server.4=h:1;3"), ZX_USAGE);
	assert_int_equal(CHECK(&sh, "reconfig", "-add", "server.4=h:1:2:3:4"), ZX_USAGE);
	assert_int_equal(CHECK(&sh, "reconfig", "-add", "server.4=:1:2"), ZX_USAGE);
	assert_int_equal(CHECK(&sh, "reconfig", "-add", "server.4=h:0:2"), ZX_USAGE);
	assert_int_equal(CHECK(&sh, "reconfig", "-add", "server.4=h:1:2;h:"), ZX_USAGE);
	assert_int_equal(CHECK(&sh, "reconfig", "-add", "server.4=[::1:1:2"), ZX_USAGE);
	assert_int_equal(CHECK(&sh, "reconfig", "-add", "group.1=1:2"), ZX_USAGE);
	assert_int_equal(CHECK(&sh, "reconfig", "-add", "server.4=h:1:2,"), ZX_USAGE);
	assert_int_equal(CHECK(&sh, "reconfig", "-remove", "3,"), ZX_USAGE);
	/* numbers, versions, ACLs */
	assert_int_equal(CHECK(&sh, "set", "-v", "-2", "/a", "d"), ZX_USAGE);
	assert_int_equal(CHECK(&sh, "set", "-v", "7", "/a", "d"), ZX_OK);
	assert_int_equal(CHECK(&sh, "create", "/a", "d", "world:anyone:cdrwa"), ZX_OK);
	assert_int_equal(CHECK(&sh, "create", "/a", "d", "nope"), ZX_USAGE);
	assert_int_equal(CHECK(&sh, "deleteall", "-b", "100001", "/a"), ZX_USAGE);
	assert_int_equal(CHECK(&sh, "deleteall", "--yes", "/a"), ZX_OK);
}

/* ---- typed specs (issue 8) ------------------------------------------------ */

static const struct cmd_entry plain = {
    .name = "plain",
    .opts = OPTS(OPT_FLAG('s', NULL, "stat"), OPT_FLAG('w', NULL, "watch"),
		 OPT_NUM('n', NULL, "N", 1, 10, "a count"),
		 OPT_VAL(0, "wait", OPT_DURATION, "DURATION", "how long"),
		 OPT_VAL(0, "limit", OPT_BYTES, "SIZE", "how much"),
		 {.lng = "mode",
		  .type = OPT_ENUM,
		  .value = "MODE",
		  .choices = (const char *const[]){"fast", "slow", NULL},
		  .help = "how"},
		 OPT_FLAG(0, "dry-run", "change nothing")),
    .pos = POSITIONALS(POS_ARG("path", CPL_PATH, POS_OPTIONAL)),
    .help = "no clustering",
    .exec = noop,
};

static struct parsed
parse_e(const struct cmd_entry *e, const char *cwd, int argc, char **argv)
{
	struct parsed p;
	p.json = -1;
	p.help = 0;
	p.rc = cmd_parse_in(e, cwd, argc, argv, &p.a, &p.json, &p.help, p.err, sizeof(p.err));
	return p;
}

#define PARSE_E(e, ...)                                                                            \
	parse_e(e, "/app",                                                                         \
		(int)(sizeof((char *[]){(char *)(e)->name, __VA_ARGS__}) / sizeof(char *)),        \
		(char *[]){(char *)(e)->name, __VA_ARGS__, NULL})

static void
typed_values_and_range_errors(void **state)
{
	struct parsed p = PARSE("-v", "7", "/a");
	(void)state;
	assert_int_equal(p.rc, 0);
	assert_int_equal(args_int(&p.a, "v", -1), 7);
	assert_int_equal(args_int(&p.a, "R", 99), 99); /* unset: the default */
	args_free(&p.a);
	p = PARSE("-v", "-5", "/a");
	assert_int_equal(p.rc, -2);
	assert_string_equal(p.err, "demo: -v wants a number from -1 to 2147483647, not '-5'");
	args_free(&p.a);
	p = PARSE("-v", "x", "/a");
	assert_int_equal(p.rc, -2);
	assert_string_equal(p.err, "demo: -v wants a number from -1 to 2147483647, not 'x'");
	args_free(&p.a);
	p = PARSE_E(&plain, "-n", "11");
	assert_int_equal(p.rc, -2);
	assert_string_equal(p.err, "plain: -n wants a number from 1 to 10, not '11'");
	args_free(&p.a);
	p = PARSE_E(&plain, "--wait", "1.5s", "--limit", "2k", "--mode=slow");
	assert_int_equal(p.rc, 0);
	assert_int_equal(args_int(&p.a, "wait", 0), 1500);
	assert_int_equal(args_int(&p.a, "limit", 0), 2048);
	assert_string_equal(args_get(&p.a, "mode"), "slow");
	args_free(&p.a);
	p = PARSE_E(&plain, "--wait", "5");
	assert_int_equal(p.rc, -2);
	assert_non_null(strstr(p.err, "plain: --wait: invalid duration '5'"));
	args_free(&p.a);
	p = PARSE_E(&plain, "--mode", "medium");
	assert_int_equal(p.rc, -2);
	assert_string_equal(p.err, "plain: --mode wants one of fast, slow, not 'medium'");
	args_free(&p.a);
	/* typed positionals: check's version, incr's DELTA */
	p = PARSE_E(cmd_lookup("check"), "/a", "x");
	assert_int_equal(p.rc, -2);
	assert_string_equal(p.err, "check: version must be an integer, not 'x'");
	args_free(&p.a);
	p = PARSE_E(cmd_lookup("incr"), "/c", "-3");
	assert_int_equal(p.rc, 0);
	assert_int_equal(args_pos_int(&p.a, 1, 1), -3);
	args_free(&p.a);
	/* the table's compatible texts: zkCli's and the ones scripts rely on */
	p = PARSE_E(cmd_lookup("set"), "-v", "x", "/a", "d");
	assert_int_equal(p.rc, -2);
	assert_string_equal(p.err, "set: version must be an integer, not 'x'");
	args_free(&p.a);
	p = PARSE_E(cmd_lookup("deleteall"), "-b", "0", "/a");
	assert_int_equal(p.rc, -2);
	assert_string_equal(p.err, "deleteall: -b wants a batch size from 1 to 100000, not '0'");
	args_free(&p.a);
	p = PARSE_E(cmd_lookup("lock"), "--conflict-exit-code", "256", "/l", "--", "true");
	assert_int_equal(p.rc, -2);
	assert_string_equal(
	    p.err, "lock: --conflict-exit-code wants an exit code from 0 to 255, not '256'");
	args_free(&p.a);
}

static void
spellings_follow_the_specs(void **state)
{
	struct parsed p = PARSE_E(&plain, "--dry-run");
	(void)state;
	assert_int_equal(p.rc, 0);
	assert_true(args_has(&p.a, "dry-run"));
	args_free(&p.a);
	/* a GNU-style long name has no single-dash spelling ... */
	p = PARSE_E(&plain, "-dry-run");
	assert_int_equal(p.rc, -1);
	assert_string_equal(p.err, "unknown option: -dry-run");
	args_free(&p.a);
	/* ... zkCli's are declared with one (OPT_DASH1), and take both */
	p = PARSE("--file", "a.cfg", "/a");
	assert_int_equal(p.rc, 0);
	assert_string_equal(args_get(&p.a, "file"), "a.cfg");
	args_free(&p.a);
	p = PARSE_E(cmd_lookup("reconfig"), "-members", "server.1=h:1:2;3");
	assert_int_equal(p.rc, 0);
	assert_string_equal(args_get(&p.a, "members"), "server.1=h:1:2;3");
	args_free(&p.a);
	p = PARSE_E(cmd_lookup("find"), "/", "-name", "x*", "-maxdepth", "2", "-print0");
	assert_int_equal(p.rc, 0);
	assert_string_equal(args_get(&p.a, "name"), "x*");
	assert_int_equal(args_int(&p.a, "maxdepth", -1), 2);
	assert_true(args_has(&p.a, "print0"));
	args_free(&p.a);
	/* one option, two names: either one sets it */
	p = PARSE_E(cmd_lookup("deleteall"), "--yes", "/a");
	assert_true(args_has(&p.a, "y") && args_has(&p.a, "yes"));
	args_free(&p.a);
	/* --output-format and -o, --json: every command */
	p = PARSE_E(&plain, "--output-format", "json");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.json, 1);
	args_free(&p.a);
	p = PARSE_E(&plain, "-o", "yaml");
	assert_int_equal(p.rc, -2);
	args_free(&p.a);
}

static void
clustering_only_where_declared(void **state)
{
	struct parsed p = PARSE("-sw", "-Rv3", "/a");
	(void)state;
	assert_int_equal(p.rc, 0);
	assert_true(args_has(&p.a, "s") && args_has(&p.a, "w") && args_has(&p.a, "R"));
	assert_int_equal(args_int(&p.a, "v", -1), 3);
	args_free(&p.a);
	p = PARSE_E(&plain, "-sw");
	assert_int_equal(p.rc, -1);
	assert_string_equal(p.err, "unknown option: -sw");
	args_free(&p.a);
	/* a letter with its value attached is no cluster */
	p = PARSE_E(&plain, "-n3", "-s");
	assert_int_equal(p.rc, 0);
	assert_int_equal(args_int(&p.a, "n", 0), 3);
	args_free(&p.a);
	/* zkCli's commands group as zkCli does: ls -sw, get -sb */
	p = PARSE_E(cmd_lookup("ls"), "-sR", "/");
	assert_int_equal(p.rc, 0);
	assert_true(args_has(&p.a, "s") && args_has(&p.a, "R"));
	args_free(&p.a);
}

static const struct cmd_entry family = {
    .name = "fam",
    .subs =
	SUBCOMMANDS({.name = "push",
		     .opts = OPTS(OPT_FLAG('b', NULL, "base64")),
		     .pos = POSITIONALS(POS_ARG("PATH", CPL_PATH, 0), POS_ARG("DATA", CPL_NONE, 0)),
		     .help = "push",
		     .attrs = CMD_WRITE},
		    {.name = "pop",
		     .opts = OPTS(OPT_VAL(0, "wait", OPT_DURATION, "DURATION", "how long")),
		     .pos = POSITIONALS(POS_ARG("PATH", CPL_PATH, 0)),
		     .help = "pop"}),
    .help = "a family",
    .exec = noop,
};

static void
subcommands_have_their_own_specs(void **state)
{
	char usage[256];
	struct parsed p = PARSE_E(&family, "-b", "push", "q", "data");
	(void)state;
	assert_int_equal(p.rc, 0);
	assert_non_null(p.a.sub);
	assert_string_equal(p.a.sub->name, "push");
	assert_true(args_has(&p.a, "b"));
	assert_string_equal(p.a.argv[0], "push");
	assert_string_equal(p.a.argv[1], "/app/q"); /* the sub's path, resolved */
	assert_string_equal(p.a.argv[2], "data");
	args_free(&p.a);
	p = PARSE_E(&family, "pop", "--wait", "2s", "/q");
	assert_int_equal(p.rc, 0);
	assert_int_equal(args_int(&p.a, "wait", 0), 2000);
	args_free(&p.a);
	p = PARSE_E(&family, "push", "--wait", "1s", "/q", "x");
	assert_int_equal(p.rc, -1);
	assert_string_equal(p.err, "push does not take --wait");
	args_free(&p.a);
	p = PARSE_E(&family, "frob", "/q");
	assert_int_equal(p.rc, -1);
	assert_string_equal(p.err, "unknown subcommand 'frob'");
	args_free(&p.a);
	p = PARSE_E(&family, "push", "/q");
	assert_int_equal(p.rc, -1);
	assert_string_equal(p.err, "missing argument");
	args_free(&p.a);
	cmd_usage_line(&family, NULL, usage, sizeof(usage));
	assert_string_equal(usage, "fam push|pop ...");
	cmd_usage_line(&family, &family.subs[1], usage, sizeof(usage));
	assert_string_equal(usage, "fam pop [--wait DURATION] PATH");
	/* the real families */
	p = PARSE_E(cmd_lookup("ensemble"), "status", "--force");
	assert_int_equal(p.rc, -1);
	assert_string_equal(p.err, "status does not take --force");
	args_free(&p.a);
	p = PARSE_E(cmd_lookup("queue"), "pop", "--wait", "1x", "/q");
	assert_int_equal(p.rc, -2);
	args_free(&p.a);
}

static void
usage_lines_come_from_the_specs(void **state)
{
	char usage[1024];
	(void)state;
	cmd_usage_line(&demo, NULL, usage, sizeof(usage));
	assert_string_equal(usage, "demo [-s] [-w] [-v version] [-file f] [-R] path [data]");
	cmd_usage_line(&plain, NULL, usage, sizeof(usage));
	assert_string_equal(usage, "plain [-s] [-w] [-n N] [--wait DURATION] [--limit SIZE] "
				   "[--mode MODE] [--dry-run] [path]");
	/* zkCli's wording: ls shows its path bare although it may be left out */
	cmd_usage_line(cmd_lookup("ls"), NULL, usage, sizeof(usage));
	assert_string_equal(usage, "ls [-s] [-w] [-R] path");
	cmd_usage_line(cmd_lookup("get"), NULL, usage, sizeof(usage));
	assert_string_equal(usage, "get [-s] [-w] [-b] [-x] path");
	cmd_usage_line(cmd_lookup("pwd"), NULL, usage, sizeof(usage));
	assert_string_equal(usage, "pwd");
	cmd_usage_line(cmd_lookup("register"), NULL, usage, sizeof(usage));
	assert_string_equal(usage, "register [--seq] [-b] PATH DATA -- [CMD] [ARGS...]");
	/* exclusive groups: zkCli's "-n|-b|-N|-B val", refused together by the parser */
	cmd_usage_line(cmd_lookup("setquota"), NULL, usage, sizeof(usage));
	assert_string_equal(usage, "setquota [-n|-b|-N|-B val] path");
	cmd_usage_line(cmd_lookup("removewatches"), NULL, usage, sizeof(usage));
	assert_string_equal(usage, "removewatches [-c|-d|-a] [-l] path");
	{
		struct parsed p = PARSE_E(cmd_lookup("delquota"), "-n", "-b", "/a");
		assert_int_equal(p.rc, -2);
		assert_string_equal(p.err, "delquota: give only one of -n, -b, -N, -B");
		args_free(&p.a);
		p = PARSE_E(cmd_lookup("wait"), "--gone", "--value", "x", "/a");
		assert_int_equal(p.rc, -2);
		assert_string_equal(p.err, "wait: give only one of --exists, --gone, --value, "
					   "--changed, --children");
		args_free(&p.a);
	}
	assert_int_equal(cmd_min_args(cmd_lookup("ls")), 0);
	assert_int_equal(cmd_max_args(cmd_lookup("ls")), 1);
	assert_int_equal(cmd_min_args(cmd_lookup("create")), 1);
	assert_int_equal(cmd_max_args(cmd_lookup("create")), 3);
	assert_int_equal(cmd_max_args(cmd_lookup("lock")), -1);
}

static void
paths_are_resolved_before_exec(void **state)
{
	struct parsed p = PARSE_E(cmd_lookup("get"), "x/../y");
	(void)state;
	assert_int_equal(p.rc, 0);
	assert_string_equal(p.a.argv[0], "/app/y");
	assert_string_equal(p.a.given[0], "x/../y"); /* as typed, for labels (tree) */
	args_free(&p.a);
	/* only the path positionals: set's data stays as typed */
	p = PARSE_E(cmd_lookup("set"), "n", "../z");
	assert_int_equal(p.rc, 0);
	assert_string_equal(p.a.argv[0], "/app/n");
	assert_string_equal(p.a.argv[1], "../z");
	args_free(&p.a);
	/* create -s: the sequential suffix rule comes from the spec (.seq = "s") */
	p = PARSE_E(cmd_lookup("create"), "-s", "/q/");
	assert_int_equal(p.rc, 0);
	args_free(&p.a);
	p = PARSE_E(cmd_lookup("create"), "/q/");
	assert_int_equal(p.rc, -2);
	args_free(&p.a);
	/* an absent optional path is the current node */
	{
		char out[ZKSH_PATH_MAX];
		p = PARSE_E(cmd_lookup("tree"), "-s");
		assert_int_equal(p.rc, 0);
		args_path(&p.a, 0, out);
		assert_string_equal(out, "/app");
		args_free(&p.a);
	}
}

static void
read_only_refuses_writes_without_connecting(void **state)
{
	struct shell sh;
	const struct cmd_entry *e;
	int i = 0;
	const char *writers[] = {"set",	     "create",	 "delete",    "setAcl",	  "setquota",
				 "delquota", "reconfig", "deleteall", "import",	  "edit",
				 "cp",	     "lock",	 "elect",     "register", "incr",
				 "queue",    "publish",	 NULL};
	(void)state;
	/* every command that writes says so */
	for (int k = 0; writers[k] != NULL; k++) {
		e = cmd_lookup(writers[k]);
		assert_non_null(e);
		if (!(e->attrs & CMD_WRITE))
			fail_msg("%s writes but has no CMD_WRITE", writers[k]);
	}
	while ((e = cmd_iter(&i)) != NULL)
		if ((e->attrs & CMD_WRITE) && strcmp(e->name, "check") == 0)
			fail_msg("check does not write");
	memset(&sh, 0, sizeof(sh));
	strcpy(sh.cwd, "/");
	sh.json_override = -1;
	sh.max_data = 1048575;
	sh.read_only = 1;
	/* no session at all: connecting would crash */
	assert_int_equal(cmd_dispatch(&sh, 3, (char *[]){"create", "/x", "y", NULL}), ZX_USAGE);
	assert_int_equal(cmd_dispatch(&sh, 3, (char *[]){"set", "/x", "y", NULL}), ZX_USAGE);
	assert_int_equal(cmd_dispatch(&sh, 4, (char *[]){"queue", "push", "/q", "y", NULL}),
			 ZX_USAGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(flags_anywhere_and_values),
	    cmocka_unit_test(grouped_and_attached_values),
	    cmocka_unit_test(double_dash_ends_flags),
	    cmocka_unit_test(negative_numbers_are_arguments),
	    cmocka_unit_test(unknown_flags_and_missing_values_fail),
	    cmocka_unit_test(argument_counts_are_checked),
	    cmocka_unit_test(generic_json_and_help_flags),
	    cmocka_unit_test(every_table_entry_is_well_formed),
	    cmocka_unit_test(bad_arguments_fail_before_connecting),
	    cmocka_unit_test(typed_values_and_range_errors),
	    cmocka_unit_test(spellings_follow_the_specs),
	    cmocka_unit_test(clustering_only_where_declared),
	    cmocka_unit_test(subcommands_have_their_own_specs),
	    cmocka_unit_test(usage_lines_come_from_the_specs),
	    cmocka_unit_test(paths_are_resolved_before_exec),
	    cmocka_unit_test(read_only_refuses_writes_without_connecting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
