/*
 * The session's hooks (src/zk/session.c): what lets the watches and the
 * walker end with a handle without the session knowing them. No server:
 * a session that never opened a handle still runs its close and free hooks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "zk/session.h"
#include "zk/watches.h"

static char seen[64];

static void
note(struct session *s, void *ctx)
{
	(void)s;
	strncat(seen, ctx, sizeof(seen) - strlen(seen) - 1);
}

static void
hooks_run_at_their_points(void **state)
{
	struct session *s = session_new("127.0.0.1:1", 1000, 0);

	(void)state;
	seen[0] = '\0';
	session_add_hook(s, SESSION_FREE, note, "F");
	session_add_hook(s, SESSION_BEFORE_CLOSE, note, "B");
	session_add_hook(s, SESSION_CLOSED, note, "C");
	session_add_hook(s, SESSION_CLOSED, note, "c");
	/* the same function and context again: still once */
	session_add_hook(s, SESSION_CLOSED, note, "C");
	/* no handle: nothing to quiesce, but what it held is gone */
	session_close(s);
	assert_string_equal(seen, "Cc");
	seen[0] = '\0';
	session_free(s);
	assert_string_equal(seen, "CcF");
}

static void
watches_register_their_hooks(void **state)
{
	struct session *s = session_new("127.0.0.1:1", 1000, 0);
	size_t used = 1;

	(void)state;
	assert_int_equal(s->nhooks, 0);
	/* the watches module makes its state on first use and hooks into the session */
	watches_set_budget(s, 4096);
	assert_int_equal(s->nhooks, 3);
	assert_int_equal(watches_budget(s, &used), 4096);
	assert_int_equal(used, 0);
	watches_set_budget(s, 0);
	assert_int_equal(s->nhooks, 3);
	assert_int_equal(watches_budget(s, NULL), WATCHES_DEFAULT_BUDGET);
	session_close(s);
	assert_non_null(s->watches);
	/* the free hook frees them (LeakSanitizer would tell otherwise) */
	session_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hooks_run_at_their_points),
	    cmocka_unit_test(watches_register_their_hooks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
