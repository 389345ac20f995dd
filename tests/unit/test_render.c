/* Renderers and the error table: zkCli's formats, byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "render.h"
#include "shell.h"
#include "util.h"
#include "zkerr.h"

/* Run fn with stdout sent to a temporary file; return what it printed. */
static char *
capture(void (*fn)(struct shell *), struct shell *sh)
{
	FILE *tmp = tmpfile();
	int saved = dup(STDOUT_FILENO);
	long n;
	char *out;

	fflush(stdout);
	dup2(fileno(tmp), STDOUT_FILENO);
	fn(sh);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	n = ftell(tmp);
	out = calloc(1, (size_t)n + 1);
	rewind(tmp);
	assert_int_equal(fread(out, 1, (size_t)n, tmp), (size_t)n);
	fclose(tmp);
	return out;
}

static void
init_shell(struct shell *sh)
{
	memset(sh, 0, sizeof(*sh));
	sh->json_override = -1;
}

static void
time_is_javas_date_to_string(void **state)
{
	char out[64];
	(void)state;
	setenv("TZ", "UTC", 1);
	format_time(1795294875000LL, out, sizeof(out));
	assert_string_equal(out, "Sat Nov 21 21:01:15 UTC 2026");
	format_time(0, out, sizeof(out));
	assert_string_equal(out, "Thu Jan 01 00:00:00 UTC 1970");
}

static void
print_stat(struct shell *sh)
{
	struct Stat st = {0x100000008LL,
			  0x100000009LL,
			  1795294875000LL,
			  1795294876000LL,
			  3,
			  2,
			  1,
			  0x1000007bfb80011LL,
			  12,
			  4,
			  0x10000000aLL};
	render_stat(sh, &st);
}

static void
stat_has_zkclis_eleven_lines(void **state)
{
	struct shell sh;
	char *out;
	(void)state;
	setenv("TZ", "UTC", 1);
	init_shell(&sh);
	out = capture(print_stat, &sh);
	assert_string_equal(out, "cZxid = 0x100000008\n"
				 "ctime = Sat Nov 21 21:01:15 UTC 2026\n"
				 "mZxid = 0x100000009\n"
				 "mtime = Sat Nov 21 21:01:16 UTC 2026\n"
				 "pZxid = 0x10000000a\n"
				 "cversion = 2\n"
				 "dataVersion = 3\n"
				 "aclVersion = 1\n"
				 "ephemeralOwner = 0x1000007bfb80011\n"
				 "dataLength = 12\n"
				 "numChildren = 4\n");
	free(out);
}

static void
print_stat_json(struct shell *sh)
{
	sh->json = 1;
	render_begin(sh);
	print_stat(sh);
	render_end(sh, 0);
}

static void
stat_json_keeps_64_bit_ids_exact(void **state)
{
	struct shell sh;
	char *out;
	(void)state;
	init_shell(&sh);
	out = capture(print_stat_json, &sh);
	assert_non_null(strstr(out, "\"ephemeralOwner\":\"0x1000007bfb80011\""));
	assert_non_null(strstr(out, "\"dataVersion\":3"));
	assert_non_null(strstr(out, "\"ctime\":1795294875000"));
	free(out);
}

static void
print_children(struct shell *sh)
{
	char *names[] = {"zeta", "alpha", "mid"};
	render_children(sh, names, 3);
	render_children(sh, NULL, 0);
}

static void
children_are_sorted_in_brackets(void **state)
{
	struct shell sh;
	char *out;
	(void)state;
	init_shell(&sh);
	out = capture(print_children, &sh);
	assert_string_equal(out, "[alpha, mid, zeta]\n[]\n");
	free(out);
}

static void
print_null_and_text(struct shell *sh)
{
	render_data(sh, NULL, -1, DATA_TEXT);
	render_data(sh, "hi", 2, DATA_TEXT);
	render_data(sh, "hi", 2, DATA_BASE64);
	render_data(sh, "", 0, DATA_TEXT);
}

static void
data_null_text_and_base64(void **state)
{
	struct shell sh;
	char *out;
	(void)state;
	init_shell(&sh);
	out = capture(print_null_and_text, &sh);
	assert_string_equal(out, "null\nhi\naGk=\n\n");
	free(out);
}

static void
hexdump_layout(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	(void)state;
	format_hexdump(f, (const unsigned char *)"0123456789abcdefXY\x01", 19);
	fclose(f);
	assert_non_null(strstr(buf, "|00000000| 30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66 "
				    "|0123456789abcdef|\n"));
	assert_non_null(strstr(buf, "|00000010| 58 59 01                                        "
				    "|XY.             |\n"));
	free(buf);
}

static void
error_messages_match_zkcli(void **state)
{
	char m[256];
	(void)state;
	zkerr_message(ZNONODE, "/p", m, sizeof(m));
	assert_string_equal(m, "Node does not exist: /p");
	zkerr_message(ZNODEEXISTS, "/p", m, sizeof(m));
	assert_string_equal(m, "Node already exists: /p");
	zkerr_message(ZNOTEMPTY, "/p", m, sizeof(m));
	assert_string_equal(m, "Node not empty: /p");
	zkerr_message(ZNOAUTH, "/p", m, sizeof(m));
	assert_string_equal(m, "Insufficient permission : /p");
	zkerr_message(ZBADVERSION, "/p", m, sizeof(m));
	assert_string_equal(m, "version No is not valid : /p");
	zkerr_message(ZINVALIDACL, "/p", m, sizeof(m));
	assert_string_equal(m, "Acl is not valid : /p");
	zkerr_message(ZNOCHILDRENFOREPHEMERALS, "/p", m, sizeof(m));
	assert_string_equal(m, "Ephemerals cannot have children: /p");
	zkerr_message(ZCONNECTIONLOSS, "/p", m, sizeof(m));
	assert_string_equal(m, "KeeperErrorCode = ConnectionLoss for /p");
	zkerr_message(ZSESSIONEXPIRED, "/p", m, sizeof(m));
	assert_string_equal(m, "KeeperErrorCode = Session expired for /p");
}

static void
exit_codes_follow_the_design(void **state)
{
	(void)state;
	assert_int_equal(zkerr_exit(ZOK), ZX_OK);
	assert_int_equal(zkerr_exit(ZNONODE), ZX_ZK);
	assert_int_equal(zkerr_exit(ZNOAUTH), ZX_ZK);
	assert_int_equal(zkerr_exit(ZBADVERSION), ZX_ZK);
	assert_int_equal(zkerr_exit(ZCONNECTIONLOSS), ZX_CONN);
	assert_int_equal(zkerr_exit(ZSESSIONEXPIRED), ZX_CONN);
	assert_int_equal(zkerr_exit(ZAUTHFAILED), ZX_CONN);
	assert_int_equal(zkerr_exit(ZBADARGUMENTS), ZX_USAGE);
	assert_string_equal(zkerr_name(ZNONODE), "NoNode");
	assert_string_equal(zkerr_name(ZRECONFIGINPROGRESS), "ReconfigInProgress");
}

static void
utf8_and_base64_helpers(void **state)
{
	unsigned char *bin;
	char *enc;
	long n;
	(void)state;
	assert_true(utf8_valid("caf\xc3\xa9", 5));
	assert_false(utf8_valid("caf\xe9", 4));
	assert_false(utf8_valid("\xed\xa0\x80", 3)); /* a surrogate */
	assert_false(utf8_valid("a\0b", 3));
	assert_false(utf8_valid("\xc3", 1));
	n = b64_decode("AAEC/w==", &bin);
	assert_int_equal(n, 4);
	assert_memory_equal(bin, "\x00\x01\x02\xff", 4);
	enc = b64_encode(bin, 4);
	assert_string_equal(enc, "AAEC/w==");
	free(bin);
	free(enc);
	assert_int_equal(b64_decode("not base64!", &bin), -1);
	assert_int_equal(b64_decode("abc", &bin), -1);
	assert_int_equal(b64_decode("", &bin), 0);
	free(bin);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(time_is_javas_date_to_string),
	    cmocka_unit_test(stat_has_zkclis_eleven_lines),
	    cmocka_unit_test(stat_json_keeps_64_bit_ids_exact),
	    cmocka_unit_test(children_are_sorted_in_brackets),
	    cmocka_unit_test(data_null_text_and_base64),
	    cmocka_unit_test(hexdump_layout),
	    cmocka_unit_test(error_messages_match_zkcli),
	    cmocka_unit_test(exit_codes_follow_the_design),
	    cmocka_unit_test(utf8_and_base64_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
