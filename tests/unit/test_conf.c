/* publish's input parsers: key=value lines, JSON objects, parents, bad keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "recipes/conf.h"

static char err[512];

static int
parse(struct conf *c, const char *text)
{
	int rc;

	conf_init(c);
	rc = conf_parse_text(c, text, strlen(text), err, sizeof(err));
	if (rc == 0)
		rc = conf_finish(c, err, sizeof(err));
	return rc;
}

static void
assert_entry(const struct conf *c, const char *key, const char *data)
{
	const struct conf_entry *e = conf_find(c, key);

	assert_non_null(e);
	if (data == NULL) {
		assert_int_equal(e->len, -1);
		return;
	}
	assert_int_equal(e->len, (int)strlen(data));
	assert_memory_equal(e->data, data, strlen(data));
}

static void
key_value_lines_with_comments_and_blanks(void **state)
{
	struct conf c;
	(void)state;
	assert_int_equal(parse(&c, "# comment\n\na=1\n  b = two words\r\nc=\nd=x=y\n"), 0);
	assert_int_equal(c.n, 4);
	assert_entry(&c, "a", "1");
	assert_entry(&c, "b", "two words");
	assert_entry(&c, "c", "");
	assert_entry(&c, "d", "x=y");
	conf_free(&c);
}

static void
nested_keys_get_their_parents_sorted_first(void **state)
{
	struct conf c;
	(void)state;
	assert_int_equal(parse(&c, "db/host=h\ndb/port=1\ndb=top\n"), 0);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.v[0].key, "db");
	assert_entry(&c, "db", "top");
	assert_string_equal(c.v[1].key, "db/host");
	conf_free(&c);
	assert_int_equal(parse(&c, "a/b/c=1\n"), 0);
	assert_int_equal(c.n, 3);
	assert_entry(&c, "a", "");
	assert_entry(&c, "a/b", "");
	conf_free(&c);
}

static void
json_objects_strings_numbers_null(void **state)
{
	struct conf c;
	(void)state;
	assert_int_equal(parse(&c, " {\"s\":\"text\",\"n\":5,\"b\":true,\"z\":null,"
				   "\"o\":{\"k\":\"v\"},\"l\":[1,2]}"),
			 0);
	assert_entry(&c, "s", "text");
	assert_entry(&c, "n", "5");
	assert_entry(&c, "b", "true");
	assert_entry(&c, "z", NULL);
	assert_entry(&c, "o", "");
	assert_entry(&c, "o/k", "v");
	assert_entry(&c, "l", "[1,2]");
	conf_free(&c);
}

static void
bad_input_is_refused_with_a_message(void **state)
{
	struct conf c;
	(void)state;
	assert_int_equal(parse(&c, "a=1\nno equals\n"), -1);
	assert_string_equal(err, "line 2: expected key=value");
	conf_free(&c);
	assert_int_equal(parse(&c, "{\"a\": "), -1);
	assert_string_equal(err, "not a valid JSON object");
	conf_free(&c);
	assert_int_equal(parse(&c, "a=1\na=2\n"), -1);
	assert_string_equal(err, "key 'a' is given twice");
	conf_free(&c);
	const char *bad[] = {"/a=1\n",	  "a/=1\n", "a//b=1\n",	     "../a=1\n",
			     "a/./b=1\n", "=1\n",   "{\"a/\":\"x\"}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(&c, bad[i]), -1);
		assert_non_null(strstr(err, "invalid key"));
		conf_free(&c);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(key_value_lines_with_comments_and_blanks),
	    cmocka_unit_test(nested_keys_get_their_parents_sorted_first),
	    cmocka_unit_test(json_objects_strings_numbers_null),
	    cmocka_unit_test(bad_input_is_refused_with_a_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
