/* The ACL parser, permission letters and digest ids (src/acl.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "zk/acl.h"

static void
parse_ok(const char *text, int count)
{
	struct ACL_vector v;
	char err[256] = "";

	if (acl_parse(text, &v, err, sizeof(err)) != 0)
		fail_msg("'%s' was refused: %s", text, err);
	assert_int_equal(v.count, count);
	acl_free(&v);
}

/* The error must name the bad entry, so the user sees which one. */
static void
parse_bad(const char *text, const char *entry)
{
	struct ACL_vector v;
	char err[256] = "";

	if (acl_parse(text, &v, err, sizeof(err)) == 0)
		fail_msg("'%s' was accepted", text);
	assert_null(v.data);
	assert_int_equal(v.count, 0);
	if (strstr(err, entry) == NULL)
		fail_msg("error for '%s' does not name '%s': %s", text, entry, err);
}

static void
world_anyone_gives_all_permissions(void **state)
{
	struct ACL_vector v;
	char err[256];

	(void)state;
	assert_int_equal(acl_parse("world:anyone:cdrwa", &v, err, sizeof(err)), 0);
	assert_int_equal(v.count, 1);
	assert_string_equal(v.data[0].id.scheme, "world");
	assert_string_equal(v.data[0].id.id, "anyone");
	assert_int_equal(v.data[0].perms, ZOO_PERM_ALL);
	acl_free(&v);
}

static void
digest_id_keeps_its_inner_colon(void **state)
{
	struct ACL_vector v;
	char err[256];

	(void)state;
	assert_int_equal(
	    acl_parse("digest:user1:+owfoSBn/am19roBPzR1/MfCblE=:rw", &v, err, sizeof(err)), 0);
	assert_string_equal(v.data[0].id.scheme, "digest");
	assert_string_equal(v.data[0].id.id, "user1:+owfoSBn/am19roBPzR1/MfCblE=");
	assert_int_equal(v.data[0].perms, ZOO_PERM_READ | ZOO_PERM_WRITE);
	acl_free(&v);
}

static void
ipv6_ids_keep_their_colons(void **state)
{
	struct ACL_vector v;
	char err[256];

	(void)state;
	assert_int_equal(acl_parse("ip:fe80::1/64:r,ip:::1:cd", &v, err, sizeof(err)), 0);
	assert_int_equal(v.count, 2);
	assert_string_equal(v.data[0].id.id, "fe80::1/64");
	assert_string_equal(v.data[1].id.id, "::1");
	assert_int_equal(v.data[1].perms, ZOO_PERM_CREATE | ZOO_PERM_DELETE);
	acl_free(&v);
}

static void
every_scheme_parses(void **state)
{
	(void)state;
	parse_ok("auth::cdrwa", 1);
	parse_ok("auth:ignored:r", 1);
	parse_ok("ip:10.0.0.0/8:r", 1);
	parse_ok("ip:127.0.0.1:cdrwa", 1);
	parse_ok("ip:2001:db8::/32:r", 1);
	parse_ok("sasl:bob@EXAMPLE.COM:cdrwa", 1);
	parse_ok("x509:CN=zk:r", 1);
	parse_ok("world:anyone:r,ip:127.0.0.1:cdrwa,auth::a", 3);
	parse_ok("world:anyone:arwdc", 1);
}

static void
malformed_entries_are_named(void **state)
{
	(void)state;
	parse_bad("world:anyone:r,world:anyone:xyz", "world:anyone:xyz");
	parse_bad("world:anyone:", "world:anyone:");
	parse_bad("world:someone:r", "world:someone:r");
	parse_bad("wrold:anyone:r", "wrold:anyone:r");
	parse_bad("anyone", "anyone");
	parse_bad("world:r", "world:r");
	parse_bad("digest:bob:secret:r", "digest:bob:secret:r");
	parse_bad("digest::+owfoSBn/am19roBPzR1/MfCblE=:r", "digest::");
	parse_bad("ip:300.1.1.1:r", "ip:300.1.1.1:r");
	parse_bad("ip:10.0.0.0/33:r", "ip:10.0.0.0/33:r");
	parse_bad("ip:fe80::1/129:r", "ip:fe80::1/129:r");
	parse_bad("ip:fe80::zz:r", "ip:fe80::zz:r");
	parse_bad("sasl::r", "sasl::r");
	parse_bad("world:anyone:r,,ip:1.2.3.4:r", "world:anyone:r,,ip:1.2.3.4:r");
	parse_bad("world:anyone:r,", "world:anyone:r,");
}

static void
empty_acl_is_refused(void **state)
{
	struct ACL_vector v;
	char err[256];

	(void)state;
	assert_int_equal(acl_parse("", &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "empty"));
}

static void
perms_print_in_cdrwa_order(void **state)
{
	char out[8];
	int perms;

	(void)state;
	assert_int_equal(acl_perms_parse("awrdc", &perms), 0);
	acl_perms_string(perms, out);
	assert_string_equal(out, "cdrwa");
	assert_int_equal(acl_perms_parse("ra", &perms), 0);
	acl_perms_string(perms, out);
	assert_string_equal(out, "ra");
	acl_perms_string(0, out);
	assert_string_equal(out, "");
	assert_int_equal(acl_perms_parse("rX", &perms), -1);
	assert_int_equal(acl_perms_parse("", &perms), -1);
}

static void
digest_of_user1_matches_zookeeper(void **state)
{
	char out[128];

	(void)state;
	assert_int_equal(acl_digest("user1:12345", out, sizeof(out)), 0);
	assert_string_equal(out, "user1:+owfoSBn/am19roBPzR1/MfCblE=");
	/* the password may itself hold colons: only the first one splits */
	assert_int_equal(acl_digest("super:zk:sh", out, sizeof(out)), 0);
	assert_int_equal(strncmp(out, "super:", 6), 0);
	assert_int_equal(acl_digest("nocolon", out, sizeof(out)), -1);
	assert_int_equal(acl_digest(":pw", out, sizeof(out)), -1);
}

static void
a_computed_digest_is_a_valid_acl_id(void **state)
{
	char id[128], acl[160];

	(void)state;
	assert_int_equal(acl_digest("alice:s3cret", id, sizeof(id)), 0);
	snprintf(acl, sizeof(acl), "digest:%s:cdrwa", id);
	parse_ok(acl, 1);
}

/* issue 7 item 10: a plaintext password where the hash belongs gets the hint */
static void
plaintext_digest_ids_get_the_digest_hint(void **state)
{
	const char *bad[] = {"digest:alice:secret6",
			     "digest:alice:secret6:cdrwa",
			     "digest:alice:cdrwa",
			     "digest:alice:+owfoSBn/am19roBPzR1/MfCblE:r", /* 27 chars, no '=' */
			     "digest:alice:+owfoSBn/am19roBPzR1/MfCblE==:r",
			     "digest:alice:+owfoSBn/am19roBPzR1/MfCbl!=:r",
			     "world:anyone:r,digest:bob:pw"};
	struct ACL_vector v;
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (acl_parse(bad[i], &v, err, sizeof(err)) == 0)
			fail_msg("'%s' was accepted", bad[i]);
		if (strstr(err, "'digest user:password' computes it") == NULL ||
		    strstr(err, "28 base64") == NULL)
			fail_msg("no digest hint for '%s': %s", bad[i], err);
	}
	parse_ok("digest:alice:+owfoSBn/am19roBPzR1/MfCblE=:cdrwa", 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(world_anyone_gives_all_permissions),
	    cmocka_unit_test(digest_id_keeps_its_inner_colon),
	    cmocka_unit_test(ipv6_ids_keep_their_colons),
	    cmocka_unit_test(every_scheme_parses),
	    cmocka_unit_test(malformed_entries_are_named),
	    cmocka_unit_test(empty_acl_is_refused),
	    cmocka_unit_test(perms_print_in_cdrwa_order),
	    cmocka_unit_test(digest_of_user1_matches_zookeeper),
	    cmocka_unit_test(a_computed_digest_is_a_valid_acl_id),
	    cmocka_unit_test(plaintext_digest_ids_get_the_digest_hint),
	};

	return cmocka_run_group_tests_name("acl", tests, NULL, NULL);
}
