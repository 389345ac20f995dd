/* Znode path validation (ZooKeeper's rules) and resolution against cd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "zk/path.h"

static char err[512];

static void
valid_paths_pass(void **state)
{
	(void)state;
	assert_int_equal(path_validate("/", 0, err, sizeof(err)), 0);
	assert_int_equal(path_validate("/a/b-c_d.e", 0, err, sizeof(err)), 0);
	assert_int_equal(path_validate("/caf\xc3\xa9", 0, err, sizeof(err)), 0);
	assert_int_equal(path_validate("/a/..b", 0, err, sizeof(err)), 0);
}

static void
zkcli_messages_for_bad_paths(void **state)
{
	(void)state;
	assert_int_equal(path_validate("a", 0, err, sizeof(err)), -1);
	assert_string_equal(err, "Path must start with / character");
	assert_int_equal(path_validate("/a/", 0, err, sizeof(err)), -1);
	assert_string_equal(err, "Path must not end with / character");
	assert_int_equal(path_validate("", 0, err, sizeof(err)), -1);
	assert_string_equal(err, "Path length must be > 0");
	assert_int_equal(path_validate("/a//b", 0, err, sizeof(err)), -1);
	assert_string_equal(err,
			    "Invalid path string \"/a//b\" caused by empty node name specified @3");
	assert_int_equal(path_validate("/a/./b", 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "relative paths not allowed"));
	assert_int_equal(path_validate("/a/..", 0, err, sizeof(err)), -1);
	assert_int_equal(path_validate("/a\x01", 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "invalid character"));
	assert_int_equal(path_validate("/\xc2\x85", 0, err, sizeof(err)), -1);
	assert_int_equal(path_validate("/\xef\xbf\xbf", 0, err, sizeof(err)), -1);
	assert_int_equal(path_validate("/bad\xff", 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "invalid UTF-8"));
}

static void
sequential_paths_may_end_in_slash(void **state)
{
	(void)state;
	assert_int_equal(path_validate("/q/", 1, err, sizeof(err)), 0);
}

static void
relative_paths_resolve_against_cwd(void **state)
{
	char out[4096];
	(void)state;
	assert_int_equal(path_resolve("/app", "conf", 0, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "/app/conf");
	assert_int_equal(path_resolve("/", "conf", 0, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "/conf");
	assert_int_equal(path_resolve("/a/b", "../c/./d", 0, out, sizeof(out), err, sizeof(err)),
			 0);
	assert_string_equal(out, "/a/c/d");
	assert_int_equal(path_resolve("/a", "../../..", 0, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "/");
	assert_int_equal(path_resolve("/a", ".", 0, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "/a");
	assert_int_equal(path_resolve("/a", "..", 0, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "/");
	assert_int_equal(path_resolve("/a", "/abs", 0, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "/abs");
	assert_int_equal(path_resolve("/a", "q/", 1, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "/a/q/");
}

static void
relative_paths_are_still_validated(void **state)
{
	char out[4096];
	(void)state;
	assert_int_equal(path_resolve("/a", "b/", 0, out, sizeof(out), err, sizeof(err)), -1);
	assert_string_equal(err, "Path must not end with / character");
	assert_int_equal(path_resolve("/a", "b\x02", 0, out, sizeof(out), err, sizeof(err)), -1);
}

static void
too_long_paths_are_refused(void **state)
{
	char out[16];
	(void)state;
	assert_int_equal(
	    path_resolve("/", "a-very-long-relative-name", 0, out, sizeof(out), err, sizeof(err)),
	    -1);
	assert_int_equal(
	    path_resolve("/", "/a-very-long-absolute-name", 0, out, sizeof(out), err, sizeof(err)),
	    -1);
}

static void
join_and_base(void **state)
{
	char out[64];
	(void)state;
	path_join("/", "a", out, sizeof(out));
	assert_string_equal(out, "/a");
	path_join("/a", "b", out, sizeof(out));
	assert_string_equal(out, "/a/b");
	assert_string_equal(path_base("/a/b"), "b");
	assert_string_equal(path_base("/"), "");
}

static void
long_paths_are_joined_whole_and_shortened_with_a_marker(void **state)
{
	char big[6000], out[64];
	char *j;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	j = path_join_alloc(big, "leaf");
	assert_int_equal(strlen(j), strlen(big) + 5);
	assert_string_equal(j + strlen(big), "/leaf");
	path_shorten(j, out, sizeof(out));
	assert_true(strlen(out) < sizeof(out));
	assert_non_null(strstr(out, "...[6004 bytes in all]..."));
	assert_int_equal(strncmp(out, "/xx", 3), 0);
	assert_string_equal(out + strlen(out) - 4, "leaf");
	free(j);
	path_shorten("/short", out, sizeof(out));
	assert_string_equal(out, "/short");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(valid_paths_pass),
	    cmocka_unit_test(zkcli_messages_for_bad_paths),
	    cmocka_unit_test(sequential_paths_may_end_in_slash),
	    cmocka_unit_test(relative_paths_resolve_against_cwd),
	    cmocka_unit_test(relative_paths_are_still_validated),
	    cmocka_unit_test(too_long_paths_are_refused),
	    cmocka_unit_test(join_and_base),
	    cmocka_unit_test(long_paths_are_joined_whole_and_shortened_with_a_marker),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
