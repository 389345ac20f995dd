/* The request engine (src/zk/engine.c): window, tally, first failures, deadlines. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zookeeper/zookeeper.h>

#include "zk/engine.h"

static void
window_bounds_reserve_and_deadline_ends_wait(void **state)
{
	struct eng e;

	(void)state;
	eng_init(&e, 2);
	assert_int_equal(eng_reserve(&e, 0), 0);
	assert_int_equal(eng_reserve(&e, 0), 0);
	assert_int_equal(eng_inflight(&e), 2);
	/* full: a short deadline ends the wait */
	assert_int_equal(eng_reserve(&e, 20), -1);
	assert_int_equal(eng_drain(&e, 20), -1);
	eng_complete(&e, ZOK, "/a", 1, 1);
	assert_int_equal(eng_reserve(&e, 0), 0);
	eng_complete(&e, ZOK, "/b", 2, 1);
	eng_complete(&e, ZOK, "/c", 3, 1);
	assert_int_equal(eng_drain(&e, 0), 0);
	assert_int_equal(e.ok, 3);
	assert_int_equal(e.sent, 3);
	eng_destroy(&e);
}

static void
first_failures_are_kept_with_context(void **state)
{
	struct eng e;

	(void)state;
	eng_init(&e, 10);
	for (int i = 0; i < ENG_LIST + 5; i++)
		eng_count(&e, ZNODEEXISTS, "/x", 100 + i, 1);
	eng_count(&e, ZOK, "/y", 1, 500); /* the parts of a multi */
	assert_int_equal(e.failed, ENG_LIST + 5);
	assert_int_equal(e.ok, 500);
	assert_int_equal(e.nfails, ENG_LIST);
	assert_int_equal(e.fails[0].rc, ZNODEEXISTS);
	assert_int_equal(e.fails[0].line, 100);
	assert_string_equal(e.fails[0].path, "/x");
	eng_destroy(&e);
}

static void
nonode_counts_as_success_when_asked(void **state)
{
	struct eng e;

	(void)state;
	eng_init(&e, 1);
	e.nonode_ok = 1;
	eng_count(&e, ZNONODE, "/gone", 0, 1);
	assert_int_equal(e.ok, 1);
	assert_int_equal(e.failed, 0);
	eng_destroy(&e);
}

static void *
answer_later(void *arg)
{
	usleep(20000);
	eng_wait_done(arg, ZBADVERSION);
	return NULL;
}

static void
one_shot_wait_gets_the_answer_or_times_out(void **state)
{
	struct eng_wait w;
	pthread_t t;

	(void)state;
	eng_wait_init(&w);
	assert_int_equal(eng_wait_for(&w, 10), ZOPERATIONTIMEOUT);
	assert_false(eng_wait_answered(&w));
	pthread_create(&t, NULL, answer_later, &w);
	assert_int_equal(eng_wait_for(&w, 10000), ZBADVERSION);
	assert_true(eng_wait_answered(&w));
	pthread_join(t, NULL);
	eng_wait_destroy(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(window_bounds_reserve_and_deadline_ends_wait),
	    cmocka_unit_test(first_failures_are_kept_with_context),
	    cmocka_unit_test(nonode_counts_as_success_when_asked),
	    cmocka_unit_test(one_shot_wait_gets_the_answer_or_times_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
