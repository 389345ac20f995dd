/* The quota codec: StatsTrack text as ZooKeeper 3.8 writes it (src/zk/quotacodec.c). */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "zk/quotacodec.h"

static void
parse_text(const char *text, struct quota *q)
{
	quota_parse(text, (int)strlen(text), q);
}

static void
round_trip(const char *text)
{
	struct quota q;
	char out[QUOTA_TEXT_MAX];

	parse_text(text, &q);
	quota_format(&q, out, sizeof(out));
	assert_string_equal(out, text);
}

static void
three_eight_form(void **state)
{
	struct quota q;

	(void)state;
	parse_text("count=10,bytes=-1=;byteHardLimit=-1;countHardLimit=-1", &q);
	assert_int_equal(q.count, 10);
	assert_int_equal(q.bytes, -1);
	assert_int_equal(q.count_hard, -1);
	assert_int_equal(q.byte_hard, -1);
	assert_true(q.has_count_hard);
	assert_true(q.has_byte_hard);
	parse_text("count=1,bytes=2=;byteHardLimit=30;countHardLimit=40", &q);
	assert_int_equal(q.count, 1);
	assert_int_equal(q.bytes, 2);
	assert_int_equal(q.byte_hard, 30);
	assert_int_equal(q.count_hard, 40);
}

static void
old_form_and_stats(void **state)
{
	struct quota q;

	(void)state;
	parse_text("count=2,bytes=0", &q);
	assert_int_equal(q.count, 2);
	assert_int_equal(q.bytes, 0);
	assert_int_equal(q.count_hard, -1);
	assert_int_equal(q.byte_hard, -1);
	assert_false(q.has_count_hard);
	assert_false(q.has_byte_hard);
}

static void
round_trips(void **state)
{
	(void)state;
	round_trip("count=10,bytes=-1=;byteHardLimit=-1;countHardLimit=-1");
	round_trip("count=2,bytes=0");
	round_trip("count=-1,bytes=100=;byteHardLimit=200");
	round_trip("count=5,bytes=-1=;countHardLimit=6");
	round_trip("count=9223372036854775807,bytes=-9223372036854775808=;byteHardLimit="
		   "-9223372036854775808;countHardLimit=9223372036854775807");
}

static void
key_order_is_written_as_three_eight(void **state)
{
	struct quota q;
	char out[QUOTA_TEXT_MAX];

	(void)state;
	/* read in any order, written in StatsTrack's */
	parse_text("countHardLimit=4;bytes=3,byteHardLimit=5;count=2", &q);
	quota_format(&q, out, sizeof(out));
	assert_string_equal(out, "count=2,bytes=3=;byteHardLimit=5;countHardLimit=4");
}

static void
bad_input(void **state)
{
	struct quota q;
	char out[QUOTA_TEXT_MAX];

	(void)state;
	/* nothing: every field -1, no hard limit */
	quota_parse(NULL, 10, &q);
	assert_int_equal(q.count, -1);
	assert_int_equal(q.bytes, -1);
	quota_parse("count=1", 0, &q);
	assert_int_equal(q.count, -1);
	quota_parse("count=1", -5, &q);
	assert_int_equal(q.count, -1);
	/* len bounds the text: no NUL needed */
	quota_parse("count=12345", 7, &q);
	assert_int_equal(q.count, 1);
	/* unknown keys, entries without '=', empty entries: skipped */
	parse_text("junk,,;=;size=3;count;count=7", &q);
	assert_int_equal(q.count, 7);
	assert_int_equal(q.bytes, -1);
	assert_false(q.has_count_hard);
	/* values are read as strtoll does */
	parse_text("count=abc,bytes=12xyz", &q);
	assert_int_equal(q.count, 0);
	assert_int_equal(q.bytes, 12);
	parse_text("count=99999999999999999999999,bytes=-99999999999999999999999", &q);
	assert_true(q.count == LLONG_MAX);
	assert_true(q.bytes == LLONG_MIN);
	/* a hard-limit key is present even with a bad value */
	parse_text("count=1,bytes=2=;countHardLimit=", &q);
	assert_true(q.has_count_hard);
	assert_int_equal(q.count_hard, 0);
	quota_format(&q, out, sizeof(out));
	assert_string_equal(out, "count=1,bytes=2=;countHardLimit=0");
}

static void
short_buffers_are_cut_not_overrun(void **state)
{
	struct quota q;
	char out[64];

	(void)state;
	parse_text("count=10,bytes=-1=;byteHardLimit=-1;countHardLimit=-1", &q);
	for (size_t len = 1; len < sizeof(out); len++) {
		memset(out, 'X', sizeof(out));
		quota_format(&q, out, len);
		assert_true(strlen(out) < len);
		assert_memory_equal(out, "count=10,bytes=-1=;byteHardLimit=-1;countHardLimit=-1",
				    strlen(out));
		for (size_t i = len; i < sizeof(out); i++)
			assert_int_equal(out[i], 'X');
	}
	memset(out, 'X', sizeof(out));
	quota_format(&q, out, 0);
	assert_int_equal(out[0], 'X');
}

static void
set_fields(void **state)
{
	struct quota q;
	char out[QUOTA_TEXT_MAX];

	(void)state;
	quota_init(&q);
	quota_format(&q, out, sizeof(out));
	assert_string_equal(out, "count=-1,bytes=-1");
	quota_set_field(&q, QUOTA_COUNT, 10);
	quota_format(&q, out, sizeof(out));
	assert_string_equal(out, "count=10,bytes=-1");
	quota_set_field(&q, QUOTA_BYTE_HARD, 500);
	quota_format(&q, out, sizeof(out));
	assert_string_equal(out, "count=10,bytes=-1=;byteHardLimit=500");
	quota_set_field(&q, QUOTA_COUNT_HARD, 3);
	quota_set_field(&q, QUOTA_BYTES, 7);
	quota_format(&q, out, sizeof(out));
	assert_string_equal(out, "count=10,bytes=7=;byteHardLimit=500;countHardLimit=3");
	/* out of range: nothing changes */
	quota_set_field(&q, 4, 1);
	quota_set_field(&q, -1, 1);
	quota_format(&q, out, sizeof(out));
	assert_string_equal(out, "count=10,bytes=7=;byteHardLimit=500;countHardLimit=3");
}

static void
paths(void **state)
{
	char out[QUOTA_PATH_MAX];

	(void)state;
	quota_path("/a/b", NULL, out);
	assert_string_equal(out, "/zookeeper/quota/a/b");
	quota_path("/a/b", QUOTA_LIMITS_NODE, out);
	assert_string_equal(out, "/zookeeper/quota/a/b/zookeeper_limits");
	quota_path("/a", QUOTA_STATS_NODE, out);
	assert_string_equal(out, "/zookeeper/quota/a/zookeeper_stats");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(three_eight_form),
	    cmocka_unit_test(old_form_and_stats),
	    cmocka_unit_test(round_trips),
	    cmocka_unit_test(key_order_is_written_as_three_eight),
	    cmocka_unit_test(bad_input),
	    cmocka_unit_test(short_buffers_are_cut_not_overrun),
	    cmocka_unit_test(set_fields),
	    cmocka_unit_test(paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
