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
	render_begin(sh, "stat");
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

/* ---- records: one result, two renderers ---------------------------------- */

static void
emit_get(struct shell *sh)
{
	render_reset(sh, "get");
	render_path(sh, "/a");
	render_begin(sh, "get");
	render_path(sh, "/b"); /* the first path is the subject */
	render_data(sh, "x", 1, DATA_TEXT);
	render_end(sh, 0);
}

static void
documents_name_their_command_and_path(void **state)
{
	struct shell sh;
	char *out;
	(void)state;
	init_shell(&sh);
	out = capture(emit_get, &sh);
	assert_string_equal(out, "x\n");
	free(out);
	sh.json = 1;
	out = capture(emit_get, &sh);
	assert_string_equal(out, "{\"command\":\"get\",\"path\":\"/a\",\"data\":\"x\"}\n");
	free(out);
}

static void
emit_failure(struct shell *sh)
{
	render_begin(sh, "delete");
	render_path(sh, "/gone");
	render_end(sh, 1);
	render_begin(sh, "sync");
	render_end(sh, 0);
}

static void
a_failed_command_prints_no_document_a_quiet_one_prints_its_name(void **state)
{
	struct shell sh;
	char *out;
	(void)state;
	init_shell(&sh);
	sh.json = 1;
	out = capture(emit_failure, &sh);
	assert_string_equal(out, "{\"command\":\"sync\"}\n");
	free(out);
}

static void
emit_walk(struct shell *sh)
{
	cJSON *o;

	render_begin(sh, "find");
	render_path(sh, "/r");
	render_path_item(sh, "/r");
	o = path_record("/r/a");
	cJSON_AddNumberToObject(o, "depth", 1);
	render_stream(sh, o, "/r/a (1)");
	render_number(sh, "matches", 2, NULL);
	render_end(sh, 0);
	/* a stream without a summary ends with its last record */
	render_begin(sh, "ls");
	render_path_item(sh, "/x");
	render_end(sh, 0);
}

static void
streams_are_one_object_a_line_then_the_summary(void **state)
{
	struct shell sh;
	char *out;
	(void)state;
	init_shell(&sh);
	out = capture(emit_walk, &sh);
	assert_string_equal(out, "/r\n/r/a (1)\n/x\n");
	free(out);
	sh.json = 1;
	out = capture(emit_walk, &sh);
	assert_string_equal(out, "{\"command\":\"find\",\"path\":\"/r\"}\n"
				 "{\"command\":\"find\",\"path\":\"/r/a\",\"depth\":1}\n"
				 "{\"command\":\"find\",\"path\":\"/r\",\"matches\":2}\n"
				 "{\"command\":\"ls\",\"path\":\"/x\"}\n");
	free(out);
}

static const struct table_col cols[] = {
    {"size", "SIZE", COL_NUM, 0},
    {"name", "NAME", COL_TEXT, 6},
    {"note", "NOTE", COL_TEXT, 0},
};

static void
emit_table(struct shell *sh)
{
	const char *r1[] = {"12", "a", "x"};
	const char *r2[] = {"3", "longname", "-"};
	struct table *t;

	render_begin(sh, "du");
	t = table_begin(sh, "rows", cols, 3, 0);
	table_row(t, r1, NULL);
	table_row(t, r2, NULL);
	table_end(t);
	render_end(sh, 0);
}

static void
a_table_piped_is_tab_separated_and_json_rows_are_objects(void **state)
{
	struct shell sh;
	char *out;
	(void)state;
	init_shell(&sh);
	out = capture(emit_table, &sh); /* a file: not a terminal */
	assert_string_equal(out, "12\ta\tx\n3\tlongname\t-\n");
	free(out);
	sh.json = 1;
	out = capture(emit_table, &sh);
	assert_string_equal(out,
			    "{\"command\":\"du\",\"rows\":[{\"size\":12,\"name\":\"a\",\"note\":"
			    "\"x\"},{\"size\":3,\"name\":\"longname\",\"note\":\"-\"}]}\n");
	free(out);
}

static void
emit_aligned(struct shell *sh)
{
	const char *r1[] = {"12", "a", "x"};
	const char *r2[] = {"3", "longname", "-"};
	struct table *t = table_begin(sh, "rows", cols, 3, TABLE_ALIGNED | TABLE_HEADER);

	table_row(t, r1, NULL);
	table_row(t, r2, NULL);
	table_end(t);
}

static void
an_aligned_table_pads_to_the_widest_cell_and_its_minimum(void **state)
{
	struct shell sh;
	char *out;
	(void)state;
	init_shell(&sh);
	out = capture(emit_aligned, &sh);
	assert_string_equal(out, "SIZE NAME     NOTE\n"
				 "  12 a        x\n"
				 "   3 longname -\n");
	free(out);
}

static void
emit_streamed_table(struct shell *sh)
{
	const char *r1[] = {"12", "a", "x"};
	struct table *t;

	render_begin(sh, "du");
	t = table_begin(sh, "rows", cols, 3, TABLE_STREAM);
	table_row(t, r1, path_record("/a"));
	table_end(t);
	render_end(sh, 0);
}

static void
a_streamed_table_is_json_lines(void **state)
{
	struct shell sh;
	char *out;
	(void)state;
	init_shell(&sh);
	sh.json = 1;
	out = capture(emit_streamed_table, &sh);
	assert_string_equal(out, "{\"command\":\"du\",\"path\":\"/a\"}\n");
	free(out);
}

static void
table_fit_narrows_the_widest_column_first(void **state)
{
	int w[] = {4, 30, 10}, minw[] = {4, 4, 4};
	(void)state;
	table_fit(w, minw, 3, 30);
	assert_int_equal(w[0] + w[1] + w[2] + 2, 30);
	assert_int_equal(w[0], 4);
	assert_int_equal(w[2], 10);
	assert_int_equal(w[1], 14);
	/* no room at all: every column at its floor, the terminal wraps */
	table_fit(w, minw, 3, 5);
	assert_int_equal(w[1], 4);
	assert_int_equal(w[2], 4);
}

static void
emit_events(struct shell *sh)
{
	struct event_rec ev = {.state = "SyncConnected",
			       .type = "NodeDataChanged",
			       .path = "/a",
			       .zxid = 0x10,
			       .have_stat = 1,
			       .version = 2,
			       .mzxid = 0x10,
			       .data = "v",
			       .datalen = 1};

	render_begin(sh, "watch");
	render_streams(sh);
	render_event(sh, &ev);
	ev.repl = 1;
	ev.have_stat = 0;
	render_event(sh, &ev);
	render_end(sh, 0);
}

static void
events_are_zkclis_lines_or_json_lines(void **state)
{
	struct shell sh;
	char *out;
	(void)state;
	init_shell(&sh);
	out = capture(emit_events, &sh);
	assert_string_equal(out, "WatchedEvent state:SyncConnected type:NodeDataChanged path:/a "
				 "zxid:0x10 version:2 mzxid:0x10\nv\n"
				 "\nWATCHER::\n\nWatchedEvent state:SyncConnected "
				 "type:NodeDataChanged path:/a\n");
	free(out);
	sh.json = 1;
	out = capture(emit_events, &sh);
	assert_string_equal(out,
			    "{\"command\":\"watch\",\"type\":\"NodeDataChanged\",\"state\":"
			    "\"SyncConnected\",\"path\":\"/a\",\"zxid\":\"0x10\",\"version\":2,"
			    "\"mzxid\":\"0x10\",\"data\":\"v\"}\n"
			    "{\"command\":\"watch\",\"type\":\"NodeDataChanged\",\"state\":"
			    "\"SyncConnected\",\"path\":\"/a\",\"zxid\":\"0x10\"}\n");
	free(out);
}

static int json_rc;

static void
emit_structured(struct shell *sh)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "n", 1);
	render_begin(sh, "mntr");
	render_json(sh, NULL, o, "n\t1");
	json_rc = render_json(sh, NULL, NULL, "raw");
	render_item(sh, "list", cJSON_CreateString("a"), "item a");
	render_end(sh, 0);
}

static void
structured_values_merge_and_a_missing_json_form_is_reported(void **state)
{
	struct shell sh;
	char *out;
	(void)state;
	init_shell(&sh);
	out = capture(emit_structured, &sh);
	assert_string_equal(out, "n\t1\nraw\nitem a\n");
	assert_int_equal(json_rc, 0);
	free(out);
	sh.json = 1;
	out = capture(emit_structured, &sh);
	assert_string_equal(out, "{\"command\":\"mntr\",\"n\":1,\"list\":[\"a\"]}\n");
	assert_int_equal(json_rc, -1);
	free(out);
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
	    cmocka_unit_test(documents_name_their_command_and_path),
	    cmocka_unit_test(a_failed_command_prints_no_document_a_quiet_one_prints_its_name),
	    cmocka_unit_test(streams_are_one_object_a_line_then_the_summary),
	    cmocka_unit_test(a_table_piped_is_tab_separated_and_json_rows_are_objects),
	    cmocka_unit_test(an_aligned_table_pads_to_the_widest_cell_and_its_minimum),
	    cmocka_unit_test(a_streamed_table_is_json_lines),
	    cmocka_unit_test(table_fit_narrows_the_widest_column_first),
	    cmocka_unit_test(events_are_zkclis_lines_or_json_lines),
	    cmocka_unit_test(structured_values_merge_and_a_missing_json_form_is_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
