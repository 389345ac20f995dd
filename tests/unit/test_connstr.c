/* Connect strings: default port, port range, chroot rules (connstr.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "zk/connstr.h"

static char err[512];

static void
a_missing_port_is_2181(void **state)
{
	struct connstr c;

	(void)state;
	assert_int_equal(connstr_parse("127.0.0.1", &c, err, sizeof(err)), 0);
	assert_int_equal(c.naddrs, 1);
	assert_string_equal(c.addrs[0].host, "127.0.0.1");
	assert_int_equal(c.addrs[0].port, 2181);
	assert_null(c.chroot);
	assert_string_equal(c.normalized, "127.0.0.1:2181");
	connstr_free(&c);
}

static void
lists_and_chroots_are_kept(void **state)
{
	struct connstr c;
	char addrs[256];

	(void)state;
	assert_int_equal(connstr_parse("a:1,b,[::1]:3/app/x", &c, err, sizeof(err)), 0);
	assert_int_equal(c.naddrs, 3);
	assert_string_equal(c.addrs[1].host, "b");
	assert_int_equal(c.addrs[1].port, 2181);
	assert_string_equal(c.addrs[2].host, "::1");
	assert_int_equal(c.addrs[2].port, 3);
	assert_string_equal(c.chroot, "/app/x");
	assert_string_equal(c.normalized, "a:1,b:2181,[::1]:3/app/x");
	connstr_addresses(&c, addrs, sizeof(addrs));
	assert_string_equal(addrs, "a:1, b:2181, [::1]:3");
	connstr_free(&c);
	/* "/" alone is no chroot, as in the Java client */
	assert_int_equal(connstr_parse("h:2181/", &c, err, sizeof(err)), 0);
	assert_null(c.chroot);
	assert_string_equal(c.normalized, "h:2181");
	connstr_free(&c);
}

static void
bad_ports_are_refused(void **state)
{
	struct connstr c;

	(void)state;
	assert_int_equal(connstr_parse("127.0.0.1:99999", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "port '99999' of '127.0.0.1:99999' is not a number in 1..65535");
	assert_int_equal(connstr_parse("h:0", &c, err, sizeof(err)), -1);
	assert_int_equal(connstr_parse("h:", &c, err, sizeof(err)), -1);
	assert_int_equal(connstr_parse("h:21x", &c, err, sizeof(err)), -1);
	assert_int_equal(connstr_parse("a:1,h:-5", &c, err, sizeof(err)), -1);
	assert_int_equal(connstr_parse("h:65535", &c, err, sizeof(err)), 0);
	connstr_free(&c);
}

static void
a_chroot_needs_a_host_and_a_valid_path(void **state)
{
	struct connstr c;

	(void)state;
	assert_int_equal(connstr_parse("/chroot", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "no host before the chroot '/chroot' (host:port/chroot)");
	assert_int_equal(connstr_parse("h:1/a/", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad chroot '/a/'"));
	assert_int_equal(connstr_parse("h:1/a//b", &c, err, sizeof(err)), -1);
}

static void
empty_hosts_are_refused(void **state)
{
	struct connstr c;

	(void)state;
	assert_int_equal(connstr_parse("", &c, err, sizeof(err)), -1);
	assert_int_equal(connstr_parse("a:1,,b:2", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "empty host name"));
	assert_int_equal(connstr_parse("a:1,", &c, err, sizeof(err)), -1);
	assert_int_equal(connstr_parse(":2181", &c, err, sizeof(err)), -1);
	assert_int_equal(connstr_parse("[]:1", &c, err, sizeof(err)), -1);
	assert_int_equal(connstr_parse("[::1]x", &c, err, sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_missing_port_is_2181),
	    cmocka_unit_test(lists_and_chroots_are_kept),
	    cmocka_unit_test(bad_ports_are_refused),
	    cmocka_unit_test(a_chroot_needs_a_host_and_a_valid_path),
	    cmocka_unit_test(empty_hosts_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
