/*
 * Completion from the command table, without a server: command names,
 * flags, what each positional argument is, connect targets from history,
 * local files with escaping. (znode paths are tested on a real server in
 * tests/repl.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "command.h"
#include "ui/complete.h"
#include "ui/history.h"
#include "zk/session.h"
#include "shell.h"

static struct shell sh;
static struct completer *comp;
static struct hist *hist;

static int
setup(void **state)
{
	(void)state;
	unsetenv("ZKSH_SERVER");
	memset(&sh, 0, sizeof(sh));
	strcpy(sh.cwd, "/");
	sh.sess = session_new("zk1:2181", 1000, 0);
	comp = completer_new();
	hist = hist_new(10);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	completer_free(comp);
	hist_free(hist);
	session_free(sh.sess);
	return 0;
}

/* The text a Tab at the end of line inserts, or NULL when it offers nothing. */
static char *
tab(const char *line, int *n, int *list)
{
	struct completion c;
	char *ins;

	if (complete_line(comp, &sh, hist, line, &c) != 0)
		return NULL;
	ins = strdup(c.insert);
	if (n != NULL)
		*n = c.n;
	if (list != NULL)
		*list = c.list;
	completion_free(&c);
	return ins;
}

static void
expect(const char *line, const char *insert)
{
	char *got = tab(line, NULL, NULL);

	if (insert == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, insert);
	free(got);
}

static void
command_names_complete_with_a_blank(void **state)
{
	int n = 0, list = 0;
	char *s;

	(void)state;
	expect("pw", "d ");
	expect("ls /; pw", "d ");
	expect("help pw", "d ");
	expect("nosuchcmd", NULL);
	/* an empty line lists every command */
	s = tab("", &n, &list);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_true(list);
	assert_true(n > 10);
	free(s);
}

static void
flags_come_from_the_template(void **state)
{
	int n = 0, list = 0;
	char *s;

	(void)state;
	expect("stat -", "w ");
	s = tab("ls -", &n, &list);
	assert_string_equal(s, "");
	assert_int_equal(n, 3); /* -R -s -w */
	assert_true(list);
	free(s);
	expect("ls -o j", "son ");
}

static void
only_path_arguments_complete_as_paths(void **state)
{
	(void)state;
	/* no server: paths offer nothing, and neither do data or flag values */
	expect("set /a ", NULL);
	expect("create -t ", NULL);
	expect("set -v ", NULL);
	expect("pwd ", NULL);
}

static void
connect_targets_come_from_history(void **state)
{
	int n = 0;
	char *s;

	(void)state;
	hist_add(hist, "connect 10.0.0.1:2181");
	hist_add(hist, "ls /");
	expect("connect 10", ".0.0.1:2181 ");
	expect("connect zk", "1:2181 "); /* the session's own hosts */
	s = tab("connect ", &n, NULL);
	assert_int_equal(n, 2);
	free(s);
}

static void
files_complete_escaped(void **state)
{
	char dir[] = "/tmp/zksh-cpl-XXXXXX";
	char path[128], line[256];
	FILE *f;

	(void)state;
	if (cmd_lookup("reconfig") == NULL)
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/new members.cfg", dir);
	f = fopen(path, "w");
	fclose(f);
	snprintf(line, sizeof(line), "reconfig -file %s/new", dir);
	expect(line, "\\ members.cfg ");
	snprintf(line, sizeof(line), "reconfig -file '%s/new", dir);
	expect(line, " members.cfg' ");
	unlink(path);
	rmdir(dir);
}

static void
nothing_inside_a_comment(void **state)
{
	(void)state;
	expect("ls / # pw", NULL);
	expect("get /a\\", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(command_names_complete_with_a_blank, setup, teardown),
	    cmocka_unit_test_setup_teardown(flags_come_from_the_template, setup, teardown),
	    cmocka_unit_test_setup_teardown(only_path_arguments_complete_as_paths, setup, teardown),
	    cmocka_unit_test_setup_teardown(connect_targets_come_from_history, setup, teardown),
	    cmocka_unit_test_setup_teardown(files_complete_escaped, setup, teardown),
	    cmocka_unit_test_setup_teardown(nothing_inside_a_comment, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
