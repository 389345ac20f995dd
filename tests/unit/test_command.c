/* The dispatcher's flag parsing against a command's declarative template. */
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
    .flags = "s w v: file: R",
    .min_args = 1,
    .max_args = 2,
    .usage = "[-s] [-w] [-v version] [-file f] path [data]",
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
	free(p.a.argv);
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
	free(p.a.argv);
	p = PARSE("--file=x.cfg", "/a");
	assert_int_equal(p.rc, 0);
	assert_string_equal(args_get(&p.a, "file"), "x.cfg");
	free(p.a.argv);
	p = PARSE("-file", "y.cfg", "/a");
	assert_string_equal(args_get(&p.a, "file"), "y.cfg");
	free(p.a.argv);
}

static void
double_dash_ends_flags(void **state)
{
	struct parsed p = PARSE("/a", "--", "-s");
	(void)state;
	assert_int_equal(p.rc, 0);
	assert_false(args_has(&p.a, "s"));
	assert_string_equal(p.a.argv[1], "-s");
	free(p.a.argv);
}

static void
negative_numbers_are_arguments(void **state)
{
	struct parsed p = PARSE("/a", "-42");
	(void)state;
	assert_int_equal(p.rc, 0);
	assert_string_equal(p.a.argv[1], "-42");
	free(p.a.argv);
}

static void
unknown_flags_and_missing_values_fail(void **state)
{
	struct parsed p = PARSE("-Z", "/a");
	(void)state;
	assert_int_equal(p.rc, -1);
	assert_string_equal(p.err, "unknown option: -Z");
	free(p.a.argv);
	p = PARSE("/a", "-v");
	assert_int_equal(p.rc, -1);
	assert_string_equal(p.err, "option -v needs a value");
	free(p.a.argv);
	p = PARSE("-s=1", "/a");
	assert_int_equal(p.rc, -1);
	free(p.a.argv);
}

static void
argument_counts_are_checked(void **state)
{
	struct parsed p = PARSE("-s");
	(void)state;
	assert_int_equal(p.rc, -1);
	assert_string_equal(p.err, "missing argument");
	free(p.a.argv);
	p = PARSE("/a", "b", "c");
	assert_int_equal(p.rc, -1);
	assert_string_equal(p.err, "too many arguments");
	free(p.a.argv);
}

static void
generic_json_and_help_flags(void **state)
{
	struct parsed p = PARSE("--json", "/a");
	(void)state;
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.json, 1);
	free(p.a.argv);
	p = PARSE("-o", "text", "/a");
	assert_int_equal(p.json, 0);
	assert_int_equal(p.a.argc, 1);
	free(p.a.argv);
	p = PARSE("-?");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.help, 1);
	free(p.a.argv);
}

static void
every_table_entry_is_well_formed(void **state)
{
	const struct cmd_entry *e;
	int i = 0, n = 0;
	(void)state;
	while ((e = cmd_iter(&i)) != NULL) {
		char names[ARGS_MAX_FLAGS][24];
		n++;
		assert_non_null(e->usage);
		assert_non_null(e->help);
		assert_non_null(e->exec);
		assert_true(e->max_args < 0 || e->max_args >= e->min_args);
		assert_ptr_equal(cmd_lookup(e->name), e);
		if (e->alias)
			assert_ptr_equal(cmd_lookup(e->alias), e);
		/* every flag in the template appears in the usage line */
		for (int k = 0, m = cmd_flag_names(e, names, ARGS_MAX_FLAGS); k < m; k++) {
			char want[64];
			snprintf(want, sizeof(want), "-%.30s", names[k]);
			if (strstr(e->usage, want) == NULL)
				fail_msg("%s: flag %s missing from usage '%s'", e->name, want,
					 e->usage);
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
	assert_int_equal(cmd_parse(e, argc, argv, &a, &json, &help, err, sizeof(err)), 0);
	rc = e->check != NULL ? e->check(sh, &a) : ZX_OK;
	free(a.argv);
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
