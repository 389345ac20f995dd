/* The duration parser of zksh's own options: a unit is required. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "duration.h"

static char err[512];

static long long
ok(const char *s)
{
	long long ms = -1;

	assert_int_equal(parse_duration(s, &ms, err, sizeof(err)), 0);
	return ms;
}

static void
bad(const char *s, const char *why)
{
	long long ms = 42;

	assert_int_equal(parse_duration(s, &ms, err, sizeof(err)), -1);
	assert_non_null(strstr(err, why));
	assert_int_equal(ms, 42);
}

static void
units_convert_to_milliseconds(void **state)
{
	(void)state;
	assert_int_equal(ok("500ms"), 500);
	assert_int_equal(ok("20s"), 20000);
	assert_int_equal(ok("2m"), 120000);
	assert_int_equal(ok("1h"), 3600000);
	assert_int_equal(ok("0s"), 0);
	assert_int_equal(ok("1.5s"), 1500);
	assert_int_equal(ok("0.25m"), 15000);
	assert_int_equal(ok(".5s"), 500);
	assert_int_equal(ok("720h"), 720LL * 3600000);
}

static void
a_bare_number_is_refused(void **state)
{
	(void)state;
	bad("30", "no unit");
	bad("0", "no unit");
	bad("1.5", "no unit");
}

static void
garbage_and_overflow_are_refused(void **state)
{
	(void)state;
	bad("", "empty");
	bad("s", "no number");
	bad("-1s", "no number");
	bad("5x", "unknown unit");
	bad("5 s", "unknown unit");
	bad("5sec", "unknown unit");
	bad("5S", "unknown unit");
	bad("1s2", "unknown unit");
	bad("721h", "longer than 30 days");
	bad("99999999999999999999999ms", "too long");
	assert_non_null(strstr(err, "500ms, 20s"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(units_convert_to_milliseconds),
	    cmocka_unit_test(a_bare_number_is_refused),
	    cmocka_unit_test(garbage_and_overflow_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
