/* History: which lines carry secrets, how they are masked, numbering, the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ui/history.h"

static void
secret_commands_and_password_words_are_secret(void **state)
{
	(void)state;
	assert_true(hist_is_secret("addauth digest u:secret"));
	assert_true(hist_is_secret("digest user1:12345"));
	assert_true(hist_is_secret("ls /; addauth digest u:p"));
	assert_true(hist_is_secret("create /a password=x"));
	assert_true(hist_is_secret("set /a PASSWD"));
	assert_true(hist_is_secret("set /db secret=abc"));
	/* a comment is not run, but it is written to the file */
	assert_true(hist_is_secret("ls / # my password is x"));
	/* the lexer refuses an open quote: the words still count */
	assert_true(hist_is_secret("addauth digest 'u:p"));
}

static void
ordinary_lines_are_not_secret(void **state)
{
	(void)state;
	assert_false(hist_is_secret("ls /"));
	assert_false(hist_is_secret("get /digest"));
	assert_false(hist_is_secret("create /app/addauth x"));
	assert_false(hist_is_secret("set /a secret"));
	assert_false(hist_is_secret(""));
}

static void
masking_keeps_the_command_and_hides_the_secret(void **state)
{
	char *m;

	(void)state;
	m = hist_mask("addauth digest u:secret");
	assert_string_equal(m, "addauth digest ***");
	free(m);
	m = hist_mask("digest u:pw");
	assert_string_equal(m, "digest ***");
	free(m);
	m = hist_mask("ls /a; create /b password=1");
	assert_string_equal(m, "ls /a; create /b ***");
	free(m);
	m = hist_mask("addauth 'digest");
	assert_null(strstr(m, "digest"));
	free(m);
}

static void
misspelled_secret_commands_are_secret(void **state)
{
	(void)state;
	/* issue 7 item 10: a typo must not leak what it carries */
	assert_true(hist_is_secret("addauht digest alice:secret2"));
	assert_true(hist_is_secret("adauth digest alice:secret2"));
	assert_true(hist_is_secret("ADDAUTH digest alice:x"));
	assert_true(hist_is_secret("digets alice:secret"));
	assert_true(hist_is_secret("ls /; addath digest a:b"));
	/* real commands near the names are not typos: addWatch stays */
	assert_false(hist_is_secret("addWatch /a"));
	assert_false(hist_is_secret("delete /a"));
	assert_false(hist_is_secret("get /a"));
}

static void
digest_acl_entries_are_secret(void **state)
{
	(void)state;
	assert_true(hist_is_secret("setAcl /p digest:alice:secret6"));
	assert_true(hist_is_secret("setAcl /p digest:alice:secret6:cdrwa"));
	assert_true(
	    hist_is_secret("create /p x world:anyone:r,digest:bob:+owfoSBn/am19roBPzR1/MfCblE=:a"));
	assert_true(hist_is_secret("setAcl -R /p DIGEST:bob:pw:r"));
	assert_false(hist_is_secret("setAcl /p world:anyone:cdrwa"));
	assert_false(hist_is_secret("setAcl /p ip:127.0.0.1:cdrwa"));
}

static void
user_password_after_an_auth_word_is_secret(void **state)
{
	(void)state;
	assert_true(hist_is_secret("auth digest alice:pw"));
	assert_true(hist_is_secret("login bob:hunter2"));
	assert_true(hist_is_secret("set /cfg/superuser admin:pw"));
	assert_true(hist_is_secret("ls / # ZKSH_AUTH=digest:u:p"));
	/* a host:port is no credential, and a path is not one either */
	assert_false(hist_is_secret("connect 127.0.0.1:2181"));
	assert_false(hist_is_secret("get /auth"));
	assert_false(hist_is_secret("ls /auth /a:b"));
	assert_false(hist_is_secret("set /a b:c"));
}

static void
masking_hides_typos_and_digest_entries(void **state)
{
	char *m;

	(void)state;
	m = hist_mask("addauht digest alice:secret2");
	assert_string_equal(m, "addauht digest ***");
	free(m);
	m = hist_mask("setAcl /p digest:alice:secret6");
	assert_string_equal(m, "setAcl /p ***");
	free(m);
	m = hist_mask("login bob:hunter2");
	assert_string_equal(m, "login ***");
	free(m);
}

static void
numbers_follow_the_prompt_counter(void **state)
{
	struct hist *h = hist_new(10);
	int masked = -1;

	(void)state;
	assert_int_equal(hist_next(h), 0);
	assert_int_equal(hist_add(h, "ls /"), 0);
	assert_int_equal(hist_add(h, "addauth digest u:p"), 1);
	assert_int_equal(hist_next(h), 2);
	assert_string_equal(hist_get(h, 0, &masked), "ls /");
	assert_int_equal(masked, 0);
	assert_string_equal(hist_get(h, 1, &masked), "addauth digest ***");
	assert_int_equal(masked, 1);
	assert_null(hist_get(h, 2, NULL));
	hist_set(h, 1, "get /a");
	assert_string_equal(hist_get(h, 1, &masked), "get /a");
	assert_int_equal(masked, 0);
	hist_free(h);
}

static void
old_numbers_are_dropped_past_twice_the_size(void **state)
{
	struct hist *h = hist_new(3);
	char line[32];

	(void)state;
	for (int i = 0; i < 7; i++) {
		snprintf(line, sizeof(line), "ls /%d", i);
		assert_int_equal(hist_add(h, line), i);
	}
	assert_true(hist_first(h) > 0);
	assert_null(hist_get(h, 0, NULL));
	assert_string_equal(hist_get(h, 6, NULL), "ls /6");
	hist_free(h);
}

static int
count_lines(void *ctx, const char *line)
{
	(void)line;
	(*(int *)ctx)++;
	return 0;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[4096];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
the_file_is_private_and_has_no_secrets(void **state)
{
	char dir[] = "/tmp/zksh-hist-XXXXXX";
	char path[256];
	struct hist *h;
	struct stat st;
	int n = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state/zksh/history", dir);
	h = hist_new(100);
	assert_int_equal(hist_load(h, path), 0);
	hist_add(h, "ls /");
	hist_add(h, "addauth digest u:secret");
	hist_add(h, "ls /");	     /* a repeat is not written again */
	hist_add(h, " get /hidden"); /* a leading blank keeps it out, as in bash */
	hist_add(h, "get /a");
	hist_free(h);
	assert_string_equal(slurp(path), "ls /\nget /a\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* the next run can recall what the last one wrote */
	h = hist_new(100);
	assert_int_equal(hist_load(h, path), 0);
	hist_each_recall(h, count_lines, &n);
	assert_int_equal(n, 2);
	hist_free(h);
	unlink(path);
	snprintf(path, sizeof(path), "%s/state/zksh", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/state", dir);
	rmdir(path);
	rmdir(dir);
}

static void
trimming_keeps_the_newest_lines(void **state)
{
	char path[] = "/tmp/zksh-hist-trim-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct stat st;

	(void)state;
	for (int i = 0; i < 10; i++)
		fprintf(f, "line %d\n", i);
	fclose(f);
	chmod(path, 0644);
	assert_int_equal(hist_trim_file(path, 3), 0);
	assert_string_equal(slurp(path), "line 7\nline 8\nline 9\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(secret_commands_and_password_words_are_secret),
	    cmocka_unit_test(ordinary_lines_are_not_secret),
	    cmocka_unit_test(masking_keeps_the_command_and_hides_the_secret),
	    cmocka_unit_test(misspelled_secret_commands_are_secret),
	    cmocka_unit_test(digest_acl_entries_are_secret),
	    cmocka_unit_test(user_password_after_an_auth_word_is_secret),
	    cmocka_unit_test(masking_hides_typos_and_digest_entries),
	    cmocka_unit_test(numbers_follow_the_prompt_counter),
	    cmocka_unit_test(old_numbers_are_dropped_past_twice_the_size),
	    cmocka_unit_test(the_file_is_private_and_has_no_secrets),
	    cmocka_unit_test(trimming_keeps_the_newest_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
