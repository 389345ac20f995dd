/* The lexer: one input line to commands and words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "lexer.h"

static struct lex_result
lex_ok(const char *line)
{
	struct lex_result r;
	assert_int_equal(lex_line(line, &r), 0);
	return r;
}

static void
plain_words_split_on_blanks(void **state)
{
	struct lex_result r = lex_ok("  ls   -R\t/a  ");
	(void)state;
	assert_int_equal(r.ncmds, 1);
	assert_int_equal(r.cmds[0].argc, 3);
	assert_string_equal(r.cmds[0].argv[0], "ls");
	assert_string_equal(r.cmds[0].argv[1], "-R");
	assert_string_equal(r.cmds[0].argv[2], "/a");
	assert_null(r.cmds[0].argv[3]);
	lex_free(&r);
}

static void
quotes_keep_blanks_and_semicolons(void **state)
{
	struct lex_result r = lex_ok("set /a 'x y; z' \"q \\\"r\\\" \\\\ \\n\"");
	(void)state;
	assert_int_equal(r.ncmds, 1);
	assert_int_equal(r.cmds[0].argc, 4);
	assert_string_equal(r.cmds[0].argv[2], "x y; z");
	/* inside "", backslash escapes only " and \ */
	assert_string_equal(r.cmds[0].argv[3], "q \"r\" \\ \\n");
	lex_free(&r);
}

static void
single_quotes_are_literal(void **state)
{
	struct lex_result r = lex_ok("set /a 'a\\b\"c'");
	(void)state;
	assert_string_equal(r.cmds[0].argv[2], "a\\b\"c");
	lex_free(&r);
}

static void
backslash_escapes_outside_quotes(void **state)
{
	struct lex_result r = lex_ok("create /a\\ b x\\;y");
	(void)state;
	assert_int_equal(r.ncmds, 1);
	assert_string_equal(r.cmds[0].argv[1], "/a b");
	assert_string_equal(r.cmds[0].argv[2], "x;y");
	lex_free(&r);
}

static void
empty_quotes_make_an_empty_word(void **state)
{
	struct lex_result r = lex_ok("set /a ''");
	(void)state;
	assert_int_equal(r.cmds[0].argc, 3);
	assert_string_equal(r.cmds[0].argv[2], "");
	lex_free(&r);
}

static void
semicolons_separate_commands(void **state)
{
	struct lex_result r = lex_ok("create /a; get /a ; ls /;");
	(void)state;
	assert_int_equal(r.ncmds, 3);
	assert_string_equal(r.cmds[1].argv[0], "get");
	assert_int_equal(r.cmds[1].argc, 2);
	assert_string_equal(r.cmds[2].argv[1], "/");
	lex_free(&r);
	/* a tab and a newline are blanks too */
	r = lex_ok("get /a;\tget /b;\nget /c");
	assert_int_equal(r.ncmds, 3);
	assert_string_equal(r.cmds[2].argv[1], "/c");
	lex_free(&r);
}

static void
semicolon_inside_a_word_is_data(void **state)
{
	struct lex_result r = lex_ok("set /config jdbc:mysql://db/x?a=1;b=2");
	(void)state;
	assert_int_equal(r.ncmds, 1);
	assert_int_equal(r.cmds[0].argc, 3);
	assert_string_equal(r.cmds[0].argv[2], "jdbc:mysql://db/x?a=1;b=2");
	lex_free(&r);
	r = lex_ok("reconfig -add server.3=127.0.0.1:31503:31603:participant;127.0.0.1:31403");
	assert_int_equal(r.ncmds, 1);
	assert_int_equal(r.cmds[0].argc, 3);
	assert_string_equal(r.cmds[0].argv[2],
			    "server.3=127.0.0.1:31503:31603:participant;127.0.0.1:31403");
	lex_free(&r);
}

static void
semicolon_before_a_non_blank_stays_in_the_word(void **state)
{
	/* ";x" at a word start, ";;" and ";#" are data; only the last ';' of ";; " ends */
	struct lex_result r = lex_ok("get ;x a;;b c;#d e;; ls");
	(void)state;
	assert_int_equal(r.ncmds, 2);
	assert_int_equal(r.cmds[0].argc, 5);
	assert_string_equal(r.cmds[0].argv[1], ";x");
	assert_string_equal(r.cmds[0].argv[2], "a;;b");
	assert_string_equal(r.cmds[0].argv[3], "c;#d");
	assert_string_equal(r.cmds[0].argv[4], "e;");
	assert_string_equal(r.cmds[1].argv[0], "ls");
	lex_free(&r);
	/* a quoted word followed by ';' and a blank ends the command */
	r = lex_ok("set /a 'x';get /a");
	assert_int_equal(r.ncmds, 1);
	assert_string_equal(r.cmds[0].argv[2], "x;get");
	lex_free(&r);
	r = lex_ok("set /a 'x'; get /a");
	assert_int_equal(r.ncmds, 2);
	assert_string_equal(r.cmds[0].argv[2], "x");
	lex_free(&r);
}

static void
hash_starts_a_comment_only_at_a_word_start(void **state)
{
	struct lex_result r = lex_ok("get /a#b # the rest; ls /");
	(void)state;
	assert_int_equal(r.ncmds, 1);
	assert_int_equal(r.cmds[0].argc, 2);
	assert_string_equal(r.cmds[0].argv[1], "/a#b");
	lex_free(&r);
	r = lex_ok("# only a comment");
	assert_int_equal(r.ncmds, 0);
	lex_free(&r);
}

static void
unbalanced_quotes_fail_with_a_message(void **state)
{
	struct lex_result r;
	(void)state;
	assert_int_equal(lex_line("get \"abc", &r), -1);
	assert_string_equal(r.err, "unbalanced double quote");
	assert_int_equal(lex_line("get 'abc", &r), -1);
	assert_string_equal(r.err, "unbalanced single quote");
	assert_int_equal(lex_line("get abc\\", &r), -1);
	assert_string_equal(r.err, "trailing backslash");
}

static void
empty_line_has_no_commands(void **state)
{
	struct lex_result r = lex_ok("");
	(void)state;
	assert_int_equal(r.ncmds, 0);
	lex_free(&r);
}

static void
partial_line_for_completion(void **state)
{
	struct lex_cmd c;
	int new_word;
	(void)state;
	lex_partial("create /a; get /ap", &c, &new_word);
	assert_int_equal(c.argc, 2);
	assert_string_equal(c.argv[0], "get");
	assert_string_equal(c.argv[1], "/ap");
	assert_int_equal(new_word, 0);
	lex_cmd_free(&c);
	lex_partial("get ", &c, &new_word);
	assert_int_equal(c.argc, 1);
	assert_int_equal(new_word, 1);
	lex_cmd_free(&c);
	/* a trailing backslash ends the word (found by fuzzing: it leaked) */
	lex_partial("get /a\\", &c, &new_word);
	assert_int_equal(c.argc, 2);
	assert_string_equal(c.argv[1], "/a");
	lex_cmd_free(&c);
	lex_partial("set /a \"open", &c, &new_word);
	assert_int_equal(c.argc, 3);
	assert_string_equal(c.argv[2], "open");
	lex_cmd_free(&c);
}

static void
partial_line_keeps_the_semicolon_rule(void **state)
{
	struct lex_cmd c;
	int new_word;
	(void)state;
	/* data: the same words lex_line gives */
	lex_partial("set /config a=1;b=", &c, &new_word);
	assert_int_equal(c.argc, 3);
	assert_string_equal(c.argv[2], "a=1;b=");
	assert_int_equal(new_word, 0);
	lex_cmd_free(&c);
	/* a ';' at the cursor is not a separator yet: nothing follows it */
	lex_partial("ls /a;", &c, &new_word);
	assert_int_equal(c.argc, 2);
	assert_string_equal(c.argv[1], "/a;");
	assert_int_equal(new_word, 0);
	lex_cmd_free(&c);
	/* "; " is: a new command starts */
	lex_partial("ls /a; ", &c, &new_word);
	assert_int_equal(c.argc, 0);
	assert_int_equal(new_word, 1);
	lex_cmd_free(&c);
	lex_partial("ls /a; ge", &c, &new_word);
	assert_int_equal(c.argc, 1);
	assert_string_equal(c.argv[0], "ge");
	lex_cmd_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(plain_words_split_on_blanks),
	    cmocka_unit_test(quotes_keep_blanks_and_semicolons),
	    cmocka_unit_test(single_quotes_are_literal),
	    cmocka_unit_test(backslash_escapes_outside_quotes),
	    cmocka_unit_test(empty_quotes_make_an_empty_word),
	    cmocka_unit_test(semicolons_separate_commands),
	    cmocka_unit_test(semicolon_inside_a_word_is_data),
	    cmocka_unit_test(semicolon_before_a_non_blank_stays_in_the_word),
	    cmocka_unit_test(hash_starts_a_comment_only_at_a_word_start),
	    cmocka_unit_test(unbalanced_quotes_fail_with_a_message),
	    cmocka_unit_test(empty_line_has_no_commands),
	    cmocka_unit_test(partial_line_for_completion),
	    cmocka_unit_test(partial_line_keeps_the_semicolon_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
