/* /zookeeper/config text and reconfig's arguments, as zkCli checks them (src/zk/zkconfig.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "zk/zkconfig.h"

static const char cfg3[] = "server.1=127.0.0.1:2888:3888:participant;0.0.0.0:2181\n"
			   "server.2=127.0.0.1:2889:3889:participant;127.0.0.1:2182\n"
			   "server.3=127.0.0.1:2890:3890:observer;2183\n"
			   "version=100000003";

static void
version_line(void **state)
{
	char v[64];

	(void)state;
	zkconfig_version(cfg3, v, sizeof(v));
	assert_string_equal(v, "100000003");
	zkconfig_version("version=1a\r\nserver.1=h:1:2", v, sizeof(v));
	assert_string_equal(v, "1a");
	/* only at a line start */
	zkconfig_version("server.1=h:1:2;xversion=5\nversion=7\n", v, sizeof(v));
	assert_string_equal(v, "7");
	zkconfig_version("server.1=h:1:2", v, sizeof(v));
	assert_string_equal(v, "");
	zkconfig_version("", v, sizeof(v));
	assert_string_equal(v, "");
	/* cut to the buffer */
	zkconfig_version("version=123456789", v, 4);
	assert_string_equal(v, "123");
}

static void
clients(void **state)
{
	char *c;

	(void)state;
	c = zkconfig_clients(cfg3);
	assert_string_equal(c, "100000003 0.0.0.0:2181,127.0.0.1:2182,0.0.0.0:2183");
	free(c);
	/* a server without a client address gives an empty entry, as zkCli's (not the next line's)
	 */
	c = zkconfig_clients("server.1=h:1:2\nserver.2=h:1:3;2182\nversion=2");
	assert_string_equal(c, "2 ,0.0.0.0:2182");
	free(c);
	c = zkconfig_clients("");
	assert_string_equal(c, " ");
	free(c);
	/* other keys and lines without '=' are not servers */
	c = zkconfig_clients("group.1=1:2\nserver.x\nweight.1=2\nserver.4=[::1]:1:2;[::1]:5\n");
	assert_string_equal(c, " [::1]:5");
	free(c);
}

static void
lowered(void **state)
{
	char *s;

	(void)state;
	assert_null(zkconfig_lowered(NULL));
	s = zkconfig_lowered("Server.1=HOST:1:2:Observer;\xc3\x84");
	assert_string_equal(s, "server.1=host:1:2:observer;\xc3\x84");
	free(s);
}

static void
members_file(void **state)
{
	char *out = NULL;
	const char *bad = NULL;
	size_t badlen = 0;

	(void)state;
	assert_int_equal(zkconfig_members("# the new list\r\n\nversion=5\nserver.1=H:1:2;3\r\n"
					  "group.1=1:2\nweight.1=3\n",
					  &out, &bad, &badlen),
			 0);
	assert_string_equal(out, "server.1=h:1:2;3\ngroup.1=1:2\nweight.1=3");
	free(out);
	/* no final newline */
	assert_int_equal(zkconfig_members("server.2=h:1:2", &out, &bad, &badlen), 0);
	assert_string_equal(out, "server.2=h:1:2");
	free(out);
	/* a line that is none of them: named, without its line end */
	out = NULL;
	assert_int_equal(zkconfig_members("server.1=h:1:2\nclientPort=2181\r\nserver.2=h:1:2\n",
					  &out, &bad, &badlen),
			 -1);
	assert_null(out);
	assert_int_equal(badlen, strlen("clientPort=2181"));
	assert_memory_equal(bad, "clientPort=2181", badlen);
	assert_int_equal(zkconfig_members("serve", &out, &bad, &badlen), -1);
	assert_int_equal(zkconfig_members("  server.1=h:1:2", &out, &bad, &badlen), -1);
	/* nothing to send */
	assert_int_equal(zkconfig_members("", &out, &bad, &badlen), -2);
	assert_int_equal(zkconfig_members("# only\n\r\n\nversion=1\n", &out, &bad, &badlen), -2);
	assert_null(out);
}

static void
ports_and_ids(void **state)
{
	(void)state;
	assert_true(zkconfig_valid_port("1", 1));
	assert_true(zkconfig_valid_port("65535", 5));
	assert_false(zkconfig_valid_port("65536", 5));
	assert_false(zkconfig_valid_port("0", 1));
	assert_false(zkconfig_valid_port("", 0));
	assert_false(zkconfig_valid_port("012345", 6));
	assert_false(zkconfig_valid_port("-1", 2));
	assert_false(zkconfig_valid_port("8a", 2));
	/* n bounds it */
	assert_true(zkconfig_valid_port("2181x", 4));
	assert_true(zkconfig_valid_id("1", 1));
	assert_true(zkconfig_valid_id("123456789012345678", 18));
	assert_false(zkconfig_valid_id("1234567890123456789", 19));
	assert_false(zkconfig_valid_id("", 0));
	assert_false(zkconfig_valid_id("-1", 2));
	assert_false(zkconfig_valid_id("0x1", 3));
}

static int
server_ok(const char *s, int members)
{
	return zkconfig_valid_server(s, strlen(s), members);
}

static void
server_entries(void **state)
{
	(void)state;
	assert_true(server_ok("server.1=h:2888:3888", 0));
	assert_true(server_ok("server.1=h:2888:3888:participant", 0));
	assert_true(server_ok("server.1=h:2888:3888:observer;2181", 0));
	assert_true(server_ok("server.1=h:2888:3888;0.0.0.0:2181", 0));
	assert_true(server_ok("server.1=[::1]:2888:3888;[::1]:2181", 0));
	assert_true(server_ok("server.1=a:1:2|b:3:4;5", 0));
	assert_false(server_ok("server.1=h:2888", 0));
	assert_false(server_ok("server.1=h:2888:3888:leader", 0));
	assert_false(server_ok("server.1=h:2888:3888:participant:x", 0));
	assert_false(server_ok("server.1=:2888:3888", 0));
	assert_false(server_ok("server.1=h:0:3888", 0));
	assert_false(server_ok("server.1=h:2888:65536", 0));
	assert_false(server_ok("server.1=h:1:2;", 0));
	assert_false(server_ok("server.1=h:1:2;:2181", 0));
	assert_false(server_ok("server.1=h:1:2;a:b:3", 0));
	assert_false(server_ok("server.1=a:1:2|", 0));
	assert_false(server_ok("server.1=[::1:1:2", 0));
	assert_false(server_ok("server.1=[]:1:2", 0));
	assert_false(server_ok("server.=h:1:2", 0));
	assert_false(server_ok("server.a=h:1:2", 0));
	assert_false(server_ok("1=h:1:2", 0));
	assert_false(server_ok("server.1", 0));
	assert_false(server_ok("", 0));
	/* group. and weight. only in a whole list */
	assert_true(server_ok("group.1=1:2:3", 1));
	assert_true(server_ok("weight.1=0", 1));
	assert_false(server_ok("group.1=1:2:3", 0));
	assert_false(server_ok("group.1", 1));
	/* what follows the = is the server's to check */
	assert_true(server_ok("weight.=", 1));
}

static void
lists(void **state)
{
	const char *bad = NULL;
	size_t n = 0;
	const char *list = "server.1=h:1:2;3,server.2=h:1:x,server.3=h:1:2";

	(void)state;
	assert_int_equal(zkconfig_check_list(NULL, 0, 0, &bad, &n), 0);
	assert_int_equal(zkconfig_check_list("server.1=h:1:2\nserver.2=h:3:4", 0, 0, &bad, &n), 0);
	assert_int_equal(zkconfig_check_list(list, 0, 0, &bad, &n), -1);
	assert_ptr_equal(bad, list + strlen("server.1=h:1:2;3,"));
	assert_int_equal(n, strlen("server.2=h:1:x"));
	assert_int_equal(zkconfig_check_list("1,2,3", 1, 0, &bad, &n), 0);
	assert_int_equal(zkconfig_check_list("1,,3", 1, 0, &bad, &n), -1);
	assert_int_equal(n, 0);
	assert_int_equal(zkconfig_check_list("1,2,", 1, 0, &bad, &n), -1);
	assert_int_equal(zkconfig_check_list("", 1, 0, &bad, &n), -1);
	assert_int_equal(zkconfig_check_list("server.1=h:1:2,group.1=1", 0, 1, &bad, &n), 0);
	assert_int_equal(zkconfig_check_list("server.1=h:1:2,group.1=1", 0, 0, &bad, &n), -1);
}

static void
applied(void **state)
{
	(void)state;
	assert_true(zkconfig_has_id(cfg3, "2", 1));
	assert_false(zkconfig_has_id(cfg3, "4", 1));
	/* a whole id, at a line start */
	assert_false(zkconfig_has_id("server.12=h:1:2", "1", 1));
	assert_false(zkconfig_has_id("xserver.1=h:1:2", "1", 1));
	assert_true(zkconfig_has_id("a=b\nserver.1=h:1:2", "1", 1));
	/* added (ids decide, not the line: the server adds the role) */
	assert_true(zkconfig_applied("server.3=127.0.0.1:2890:3890;2183", NULL, cfg3));
	assert_false(zkconfig_applied("server.4=127.0.0.1:2891:3891;2184", NULL, cfg3));
	/* removed */
	assert_true(zkconfig_applied(NULL, "4,5", cfg3));
	assert_false(zkconfig_applied(NULL, "4,2", cfg3));
	/* both, and a members list */
	assert_true(zkconfig_applied("server.1=h:1:2\nserver.2=h:1:2", "4", cfg3));
	assert_false(zkconfig_applied("server.1=h:1:2,server.5=h:1:2", "4", cfg3));
	assert_true(zkconfig_applied(NULL, NULL, cfg3));
	assert_true(zkconfig_applied("", "", cfg3));
}

static void
versions(void **state)
{
	long long v = 0;

	(void)state;
	assert_int_equal(zkconfig_parse_version("100000003", &v), 0);
	assert_true(v == 0x100000003LL);
	assert_int_equal(zkconfig_parse_version("0x1f", &v), 0);
	assert_true(v == 0x1f);
	assert_int_equal(zkconfig_parse_version("-1", &v), 0);
	assert_true(v == -1);
	assert_int_equal(zkconfig_parse_version("7fffffffffffffff", &v), 0);
	assert_true(v == 0x7fffffffffffffffLL);
	v = 42;
	assert_int_equal(zkconfig_parse_version("", &v), -1);
	assert_int_equal(zkconfig_parse_version("-2", &v), -1);
	assert_int_equal(zkconfig_parse_version("12g", &v), -1);
	assert_int_equal(zkconfig_parse_version("8000000000000000", &v), -1);
	assert_int_equal(zkconfig_parse_version("1 ", &v), -1);
	assert_true(v == 42);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(version_line),  cmocka_unit_test(clients),
	    cmocka_unit_test(lowered),	     cmocka_unit_test(members_file),
	    cmocka_unit_test(ports_and_ids), cmocka_unit_test(server_entries),
	    cmocka_unit_test(lists),	     cmocka_unit_test(applied),
	    cmocka_unit_test(versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
