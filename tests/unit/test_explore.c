/* The pure parts of the walk commands: node kinds, du -h sizes, find's globs and numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmd/explore.h"

static enum node_kind
kind_of(uint64_t owner)
{
	struct Stat st;

	memset(&st, 0, sizeof(st));
	st.ephemeralOwner = (int64_t)owner;
	return node_kind(&st);
}

static void
kinds_from_ephemeral_owner(void **state)
{
	(void)state;
	assert_int_equal(kind_of(0), NODE_PERSISTENT);
	assert_int_equal(kind_of(UINT64_C(0x8000000000000000)), NODE_CONTAINER);
	assert_int_equal(kind_of(UINT64_C(0xff00000000000001)), NODE_TTL);
	assert_int_equal(kind_of(UINT64_C(0xff0000ffffffffff)), NODE_TTL);
	/* the two bytes after 0xff are the extended feature: only 0 is TTL */
	assert_int_equal(kind_of(UINT64_C(0xff00010000000001)), NODE_EPHEMERAL);
	assert_int_equal(kind_of(UINT64_C(0x1000000a2b30000)), NODE_EPHEMERAL);
	assert_int_equal(kind_of(UINT64_C(0x8000000000000001)), NODE_EPHEMERAL);
	assert_string_equal(node_kind_name(NODE_TTL), "ttl");
}

static void
sequential_names_end_in_ten_digits(void **state)
{
	(void)state;
	assert_true(node_sequential("lock-0000000001"));
	assert_true(node_sequential("0000000000"));
	assert_false(node_sequential("lock-000000001"));
	assert_false(node_sequential("lock-00000x0001"));
	assert_false(node_sequential(""));
}

static const char *
human(long long n)
{
	static char out[32];

	human_size(n, out, sizeof(out));
	return out;
}

static void
human_sizes_round_up_like_du(void **state)
{
	(void)state;
	assert_string_equal(human(0), "0");
	assert_string_equal(human(1023), "1023");
	assert_string_equal(human(1024), "1.0K");
	assert_string_equal(human(1025), "1.1K");
	assert_string_equal(human(1536), "1.5K");
	assert_string_equal(human(10239), "10K");
	assert_string_equal(human(10241), "11K");
	assert_string_equal(human(12000), "12K");
	assert_string_equal(human(1024 * 1024 - 1), "1.0M");
	assert_string_equal(human(1024 * 1024), "1.0M");
	assert_string_equal(human(5LL * 1024 * 1024 * 1024), "5.0G");
}

static void
bad_globs_are_named(void **state)
{
	(void)state;
	assert_null(glob_problem("*"));
	assert_null(glob_problem("a[bc]d"));
	assert_null(glob_problem("[]]"));
	assert_null(glob_problem("[!]a]"));
	assert_null(glob_problem("a\\["));
	assert_string_equal(glob_problem("a[b"), "a '[' has no closing ']'");
	assert_string_equal(glob_problem("[]"), "a '[' has no closing ']'");
	assert_string_equal(glob_problem("ab\\"), "it ends in a backslash");
}

static void
numtests_compare_as_find_does(void **state)
{
	struct numtest more = {1, '+', 10, 1}, less = {1, '-', 10, 1}, same = {1, '=', 10, 1};
	struct numtest unset = {0, 0, 0, 0};

	(void)state;
	assert_true(numtest_match(&more, 11));
	assert_false(numtest_match(&more, 10));
	assert_true(numtest_match(&less, 9));
	assert_false(numtest_match(&less, 10));
	assert_true(numtest_match(&same, 10));
	assert_false(numtest_match(&same, 11));
	assert_true(numtest_match(&unset, -5));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(kinds_from_ephemeral_owner),
	    cmocka_unit_test(sequential_names_end_in_ten_digits),
	    cmocka_unit_test(human_sizes_round_up_like_du),
	    cmocka_unit_test(bad_globs_are_named),
	    cmocka_unit_test(numtests_compare_as_find_does),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
