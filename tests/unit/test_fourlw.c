/* The four-letter-word commands' pure parts: answers as ZooKeeper 3.8 prints them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cjson/cJSON.h>

#include "cmd/fourlw.h"
#include "zk/fourlw.h"

static const char srvr_leader[] = "Zookeeper version: 3.8.0-abc, built on 2024-12-29 17:54 UTC\n"
				  "Latency min/avg/max: 1/21.2/105\n"
				  "Received: 20\n"
				  "Sent: 20\n"
				  "Connections: 1\n"
				  "Outstanding: 0\n"
				  "Zxid: 0x100000004\n"
				  "Mode: leader\n"
				  "Node count: 5\n"
				  "Proposal sizes last/min/max: 48/48/94\n";

static const char stat_reply[] = "Zookeeper version: 3.8.0-abc, built on 2024-12-29 17:54 UTC\n"
				 "Clients:\n"
				 " /127.0.0.1:56840[0](queued=0,recved=1,sent=0)\n"
				 "\n"
				 "Latency min/avg/max: 0/0.0/0\n"
				 "Mode: standalone\n"
				 "Node count: 5\n";

static const char cons_reply[] =
    " /127.0.0.1:43832[1](queued=0,recved=8,sent=8,sid=0x100003c00720001,lop=EXIS,"
    "est=1796155344273,to=30000,lcxid=0x6b0f27d7,lzxid=0x100000003,lresp=3953534,llat=2,"
    "minlat=0,avglat=16,maxlat=69)\n"
    " /127.0.0.1:56810[0](queued=0,recved=1,sent=0)\n"
    "\n";

static cJSON *
parse(const char *word, const char *reply, int want)
{
	cJSON *o = cJSON_CreateObject();

	assert_int_equal(fourlw_json(o, word, reply), want);
	return o;
}

static double
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_non_null(v);
	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static const char *
str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_non_null(v);
	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

static void
srvr_splits_latency_and_proposal_sizes_and_keeps_zxid_hex(void **state)
{
	cJSON *o = parse("srvr", srvr_leader, 0);

	(void)state;
	assert_int_equal(num(o, "latency_min"), 1);
	assert_true(num(o, "latency_avg") > 21.19 && num(o, "latency_avg") < 21.21);
	assert_int_equal(num(o, "latency_max"), 105);
	assert_int_equal(num(o, "proposal_sizes_max"), 94);
	assert_string_equal(str(o, "zxid"), "0x100000004");
	assert_string_equal(str(o, "mode"), "leader");
	assert_int_equal(num(o, "node_count"), 5);
	assert_string_equal(str(o, "version"), "3.8.0-abc, built on 2024-12-29 17:54 UTC");
	assert_null(cJSON_GetObjectItemCaseSensitive(o, "latency_min/avg/max"));
	cJSON_Delete(o);
}

static void
stat_has_srvr_fields_and_its_clients(void **state)
{
	cJSON *o = parse("stat", stat_reply, 0);
	const cJSON *clients = cJSON_GetObjectItemCaseSensitive(o, "clients");

	(void)state;
	assert_string_equal(str(o, "mode"), "standalone");
	assert_null(cJSON_GetObjectItemCaseSensitive(o, "clients_"));
	assert_true(cJSON_IsArray(clients));
	assert_int_equal(cJSON_GetArraySize(clients), 1);
	assert_string_equal(str(cJSON_GetArrayItem(clients, 0), "address"), "127.0.0.1:56840");
	cJSON_Delete(o);
}

static void
cons_gives_one_typed_object_per_connection(void **state)
{
	cJSON *o = parse("cons", cons_reply, 0);
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "connections");
	const cJSON *c0 = cJSON_GetArrayItem(arr, 0), *c1 = cJSON_GetArrayItem(arr, 1);

	(void)state;
	assert_int_equal(cJSON_GetArraySize(arr), 2);
	assert_string_equal(str(c0, "address"), "127.0.0.1:43832");
	assert_int_equal(num(c0, "interest"), 1);
	assert_string_equal(str(c0, "sid"), "0x100003c00720001");
	assert_string_equal(str(c0, "lop"), "EXIS");
	assert_int_equal(num(c0, "to"), 30000);
	assert_int_equal(num(c0, "maxlat"), 69);
	assert_int_equal(num(c1, "recved"), 1);
	assert_null(cJSON_GetObjectItemCaseSensitive(c1, "sid"));
	cJSON_Delete(o);
}

static void
cons_line_parser_takes_odd_lines_without_overrun(void **state)
{
	struct fourlw_conn c;
	const char *p;

	(void)state;
	/* no brackets, no parens: an address alone */
	p = fourlw_next_conn(" /[::1]:2181\n", &c);
	assert_non_null(p);
	assert_int_equal(c.addrlen, strlen("[::1]:2181"));
	assert_int_equal(c.interest, -1);
	assert_int_equal(c.n, 0);
	/* unterminated field list, empty keys skipped */
	p = fourlw_next_conn(" /h:1[2](=x,a=1,b", &c);
	assert_non_null(p);
	assert_int_equal(c.interest, 2);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.kv[0].klen, 1);
	/* lines not starting " /" are not connections */
	assert_null(fourlw_next_conn("Clients:\n\nLatency: 1\n", &c));
	assert_null(fourlw_next_conn("", &c));
}

static void
mntr_values_are_typed_and_conf_values_stay_strings(void **state)
{
	cJSON *m = parse("mntr",
			 "zk_version\t3.8.0-abc, built on x\nzk_server_state\tleader\n"
			 "zk_avg_latency\t0.0\nzk_min_proposal_size\t-1\nzk_peer_state\tleading - "
			 "broadcast\n",
			 0);
	cJSON *c = parse("conf", "clientPort=2181\nmembership: \nversion=100000000\n", 0);

	(void)state;
	assert_int_equal(num(m, "zk_min_proposal_size"), -1);
	assert_int_equal(num(m, "zk_avg_latency"), 0);
	assert_string_equal(str(m, "zk_server_state"), "leader");
	assert_string_equal(str(m, "zk_peer_state"), "leading - broadcast");
	/* conf's version is hex without 0x: typing it would change its value */
	assert_string_equal(str(c, "version"), "100000000");
	assert_string_equal(str(c, "clientPort"), "2181");
	assert_int_equal(cJSON_GetArraySize(c), 2);
	cJSON_Delete(m);
	cJSON_Delete(c);
}

static void
envi_skips_its_heading_and_keeps_long_values_whole(void **state)
{
	char reply[2200], big[2049];
	cJSON *o;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(reply, sizeof(reply), "Environment:\njava.class.path=%s\nuser.dir=/a=b\n", big);
	o = parse("envi", reply, 0);
	assert_int_equal(strlen(str(o, "java.class.path")), 2048);
	assert_string_equal(str(o, "user.dir"), "/a=b");
	assert_int_equal(cJSON_GetArraySize(o), 2);
	cJSON_Delete(o);
}

static void
ruok_isro_wchs_dirs_parse(void **state)
{
	cJSON *o;

	(void)state;
	o = parse("ruok", "imok", 0);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "ok")));
	cJSON_Delete(o);
	o = parse("ruok", "", 0);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "ok")));
	cJSON_Delete(o);
	o = parse("isro", "ro", 0);
	assert_string_equal(str(o, "mode"), "ro");
	cJSON_Delete(o);
	cJSON_Delete(parse("isro", "null", -1));
	o = parse("wchs", "1 connections watching 2 paths\nTotal watches:3\n", 0);
	assert_int_equal(num(o, "connections"), 1);
	assert_int_equal(num(o, "paths"), 2);
	assert_int_equal(num(o, "watches"), 3);
	cJSON_Delete(o);
	cJSON_Delete(parse("wchs", "garbage", -1));
	o = parse("dirs", "datadir_size: 527\nlogdir_size: 1024\n", 0);
	assert_int_equal(num(o, "datadir_size"), 527);
	assert_int_equal(num(o, "logdir_size"), 1024);
	cJSON_Delete(o);
	cJSON_Delete(parse("srvr", "", -1));
	cJSON_Delete(parse("mntr", "no pairs here\n", -1));
}

static void
other_words_are_kept_as_text(void **state)
{
	cJSON *o = parse("dump", "SessionTracker dump:\n", 0);

	(void)state;
	assert_string_equal(str(o, "word"), "dump");
	assert_string_equal(str(o, "output"), "SessionTracker dump:\n");
	cJSON_Delete(o);
}

static void
numbers_are_decimal_only(void **state)
{
	double d;

	(void)state;
	assert_true(fourlw_number("42", 2, &d) && d == 42);
	assert_true(fourlw_number("-1", 2, &d) && d == -1);
	assert_true(fourlw_number("21.2", 4, &d) && d > 21.19 && d < 21.21);
	assert_true(fourlw_number("1e3", 3, &d) && d == 1000);
	assert_false(fourlw_number("0x1f", 4, &d));
	assert_false(fourlw_number("inf", 3, &d));
	assert_false(fourlw_number("nan", 3, &d));
	assert_false(fourlw_number(" 1", 2, &d));
	assert_false(fourlw_number("1 ", 2, &d));
	assert_false(fourlw_number("", 0, &d));
	assert_false(fourlw_number("-", 1, &d));
	assert_false(fourlw_number("1e", 2, &d));
	assert_false(fourlw_number("3.8.0", 5, &d));
	/* only len bytes count */
	assert_true(fourlw_number("12abc", 2, &d) && d == 12);
}

static void
pairs_trim_blanks_and_skip_lines_without_a_key(void **state)
{
	struct fourlw_pair p;
	const char *c;

	(void)state;
	c = fourlw_next_pair("no sep\n=novalue\nkey:  v \r\nlast:x", ':', &p);
	assert_non_null(c);
	assert_int_equal(p.klen, 3);
	assert_int_equal(p.vlen, 1);
	assert_memory_equal(p.val, "v", 1);
	c = fourlw_next_pair(c, ':', &p);
	assert_non_null(c);
	assert_memory_equal(p.key, "last", 4);
	assert_null(fourlw_next_pair(c, ':', &p));
	/* mntr: a value may begin with a blank only after the tab */
	c = fourlw_next_pair("k\t\tv\n", '\t', &p);
	assert_int_equal(p.vlen, 2);
}

static void
addresses_are_checked_offline(void **state)
{
	(void)state;
	assert_true(fourlw_hostport_ok("127.0.0.1:2181"));
	assert_true(fourlw_hostport_ok("zk-1.example_org:1"));
	assert_true(fourlw_hostport_ok("[::1]:65535"));
	assert_true(fourlw_hostport_ok("[fe80::1%eth0]:2181"));
	assert_false(fourlw_hostport_ok("host"));
	assert_false(fourlw_hostport_ok(":2181"));
	assert_false(fourlw_hostport_ok("h:"));
	assert_false(fourlw_hostport_ok("h:0"));
	assert_false(fourlw_hostport_ok("h:65536"));
	assert_false(fourlw_hostport_ok("h:123456"));
	assert_false(fourlw_hostport_ok("h:-1"));
	assert_false(fourlw_hostport_ok("a b:1"));
	assert_false(fourlw_hostport_ok("[::1"));
	assert_false(fourlw_hostport_ok("[]:1"));
	assert_false(fourlw_hostport_ok("[::1]2181"));
	assert_false(fourlw_hostport_ok("::1:2181x"));
}

static void
known_words_exclude_stmk_and_junk(void **state)
{
	(void)state;
	assert_true(fourlw_known("srvr"));
	assert_true(fourlw_known("stat"));
	assert_true(fourlw_known("wchp"));
	assert_false(fourlw_known("stmk"));
	assert_false(fourlw_known("xyzw"));
	assert_false(fourlw_known("SRVR"));
	assert_false(fourlw_known(""));
}

static void
not_serving_is_detected(void **state)
{
	(void)state;
	assert_true(
	    fourlw_not_serving("This ZooKeeper instance is not currently serving requests\n"));
	assert_false(fourlw_not_serving(srvr_leader));
	assert_false(fourlw_not_serving(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(srvr_splits_latency_and_proposal_sizes_and_keeps_zxid_hex),
	    cmocka_unit_test(stat_has_srvr_fields_and_its_clients),
	    cmocka_unit_test(cons_gives_one_typed_object_per_connection),
	    cmocka_unit_test(cons_line_parser_takes_odd_lines_without_overrun),
	    cmocka_unit_test(mntr_values_are_typed_and_conf_values_stay_strings),
	    cmocka_unit_test(envi_skips_its_heading_and_keeps_long_values_whole),
	    cmocka_unit_test(ruok_isro_wchs_dirs_parse),
	    cmocka_unit_test(other_words_are_kept_as_text),
	    cmocka_unit_test(numbers_are_decimal_only),
	    cmocka_unit_test(pairs_trim_blanks_and_skip_lines_without_a_key),
	    cmocka_unit_test(addresses_are_checked_offline),
	    cmocka_unit_test(known_words_exclude_stmk_and_junk),
	    cmocka_unit_test(not_serving_is_detected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
