/* The export format's lines, order and checks (src/backupfmt.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backupfmt.h"

static struct ACL world_all = {0x1f, {"world", "anyone"}};

static void
node_round_trip(void **state)
{
	struct bnode n, back;
	char err[256], *line;

	(void)state;
	memset(&n, 0, sizeof(n));
	n.path = "/a/b";
	n.data = "\0\1\xff";
	n.len = 3;
	n.acl.count = 1;
	n.acl.data = &world_all;
	line = bfmt_encode_node(&n);
	assert_string_equal(line,
			    "{\"path\":\"/a/b\",\"data\":\"AAH/\",\"acl\":[{\"scheme\":\"world\","
			    "\"id\":\"anyone\",\"perms\":\"cdrwa\"}],\"type\":\"persistent\"}");
	assert_int_equal(bfmt_decode_node(line, &back, err, sizeof(err)), 0);
	assert_string_equal(back.path, "/a/b");
	assert_int_equal(back.len, 3);
	assert_memory_equal(back.data, "\0\1\xff", 3);
	assert_int_equal(back.acl.count, 1);
	assert_int_equal(back.acl.data[0].perms, 0x1f);
	bfmt_node_free(&back);
	free(line);
}

/* null data and empty data are two different things */
static void
null_and_empty_data(void **state)
{
	struct bnode n;
	char err[256];

	(void)state;
	assert_int_equal(
	    bfmt_decode_node("{\"path\":\"/\",\"data\":null,\"acl\":[{\"scheme\":\"world\","
			     "\"id\":\"anyone\",\"perms\":\"r\"}]}",
			     &n, err, sizeof(err)),
	    0);
	assert_int_equal(n.len, -1);
	assert_null(n.data);
	bfmt_node_free(&n);
	assert_int_equal(
	    bfmt_decode_node("{\"path\":\"/\",\"data\":\"\",\"acl\":[{\"scheme\":\"world\","
			     "\"id\":\"anyone\",\"perms\":\"r\"}]}",
			     &n, err, sizeof(err)),
	    0);
	assert_int_equal(n.len, 0);
	assert_non_null(n.data);
	bfmt_node_free(&n);
}

static void
bad(const char *line, const char *msg)
{
	struct bnode n;
	char err[256] = "";

	if (bfmt_decode_node(line, &n, err, sizeof(err)) == 0)
		fail_msg("'%s' was accepted", line);
	if (strstr(err, msg) == NULL)
		fail_msg("'%s': error '%s' does not say '%s'", line, err, msg);
}

static void
bad_lines(void **state)
{
	(void)state;
	bad("", "not a JSON object");
	bad("[1]", "not a JSON object");
	bad("{\"data\":null}", "\"path\"");
	bad("{\"path\":\"a\",\"data\":null,\"acl\":[]}", "must start with /");
	bad("{\"path\":\"/a/\",\"data\":null,\"acl\":[]}", "must not end with /");
	bad("{\"path\":\"/a//b\",\"data\":null,\"acl\":[]}", "empty component");
	bad("{\"path\":\"/a/..\",\"data\":null,\"acl\":[]}", ". or ..");
	bad("{\"path\":\"/a\",\"acl\":[]}", "\"data\"");
	bad("{\"path\":\"/a\",\"data\":\"%%%\",\"acl\":[]}", "base64");
	bad("{\"path\":\"/a\",\"data\":null,\"acl\":[]}", "non-empty array");
	bad("{\"path\":\"/a\",\"data\":null,\"acl\":[{\"scheme\":\"world\",\"id\":\"anyone\","
	    "\"perms\":\"xyz\"}]}",
	    "bad ACL");
	bad("{\"path\":\"/a\",\"data\":null,\"acl\":[{\"scheme\":\"digest\",\"id\":\"u:pw\","
	    "\"perms\":\"r\"}]}",
	    "bad ACL");
	bad("{\"path\":\"/a\",\"data\":null,\"acl\":[{\"scheme\":\"world\",\"id\":\"anyone\","
	    "\"perms\":\"r,world:anyone:r\"}]}",
	    "bad ACL");
	bad("{\"path\":\"/a\",\"data\":null,\"acl\":[{\"scheme\":\"world\",\"id\":\"anyone\","
	    "\"perms\":\"r\"}],\"type\":\"ephemeral\"}",
	    "\"type\"");
}

static void
owner_types(void **state)
{
	long long ttl;

	(void)state;
	assert_int_equal(bfmt_owner_type(0, &ttl), BT_PERSISTENT);
	assert_int_equal(bfmt_owner_type(INT64_MIN, &ttl), BT_CONTAINER);
	assert_int_equal(bfmt_owner_type((int64_t)0xff00000000001388ULL, &ttl), BT_TTL);
	assert_int_equal(ttl, 5000);
	assert_int_equal(bfmt_owner_type(0x100000a3f0002LL, &ttl), BT_EPHEMERAL);
	/* server id 0xff with type bits set: not a TTL */
	assert_int_equal(bfmt_owner_type((int64_t)0xff01000000000001ULL, &ttl), BT_EPHEMERAL);
}

static void
preorder(void **state)
{
	(void)state;
	assert_true(bfmt_path_cmp("/", "/a") < 0);
	assert_true(bfmt_path_cmp("/a", "/a/b") < 0);
	/* '-' sorts before '/' as bytes, but a subtree comes before its next sibling */
	assert_true(bfmt_path_cmp("/a/b", "/a-x") < 0);
	assert_true(bfmt_path_cmp("/a", "/a-x") < 0);
	assert_true(bfmt_path_cmp("/b", "/a/z") > 0);
	assert_int_equal(bfmt_path_cmp("/a/b", "/a/b"), 0);
	assert_true(bfmt_is_child("/", "/a"));
	assert_true(bfmt_is_child("/a", "/a/b"));
	assert_false(bfmt_is_child("/a", "/a/b/c"));
	assert_false(bfmt_is_child("/a", "/ab"));
}

static int
check(struct bcheck *c, const char *path, int len, char *err)
{
	struct bnode n;

	memset(&n, 0, sizeof(n));
	n.path = (char *)path;
	n.len = len;
	return bcheck_node(c, &n, err, 256);
}

static void
checks(void **state)
{
	struct bcheck c;
	char err[256];

	(void)state;
	bcheck_init(&c, 100);
	assert_int_equal(check(&c, "/a", 0, err), -1);
	assert_string_equal(err, "the first node must be the root \"/\"");
	assert_int_equal(check(&c, "/", 0, err), 0);
	assert_int_equal(check(&c, "/a", 0, err), 0);
	assert_int_equal(check(&c, "/a/b", 0, err), 0);
	assert_int_equal(check(&c, "/a-x", -1, err), 0);
	assert_int_equal(check(&c, "/a-x", 0, err), -1);
	assert_string_equal(err, "duplicate node /a-x");
	assert_int_equal(check(&c, "/a/c", 0, err), -1);
	assert_string_equal(err, "/a/c is out of order (after /a-x)");
	assert_int_equal(check(&c, "/b/c", 0, err), -1);
	assert_string_equal(err, "/b/c comes without its parent /b");
	assert_int_equal(check(&c, "/b", 101, err), -1);
	assert_string_equal(err, "/b has 101 bytes of data, over the 100-byte limit");
	assert_int_equal(check(&c, "/b", 100, err), 0);
	bcheck_free(&c);
}

static void
header(void **state)
{
	char *eph[] = {"/e1"};
	struct bheader h;
	char err[256], *line;

	(void)state;
	line = bfmt_encode_header("/src", 0x10, 0x2a, 3, 7, eph, 1, 0, 0);
	assert_string_equal(line,
			    "{\"format\":\"zksh-export\",\"version\":1,\"root\":\"/src\","
			    "\"zxid_first\":\"0x10\",\"zxid_last\":\"0x2a\",\"nodes\":3,"
			    "\"data_bytes\":7,\"ephemerals_skipped\":1,\"ephemerals\":[\"/e1\"],"
			    "\"zookeeper\":false,\"stat\":false}");
	assert_int_equal(bfmt_decode_header(line, &h, err, sizeof(err)), 0);
	assert_int_equal(h.nodes, 3);
	assert_string_equal(h.root, "/src");
	bfmt_header_free(&h);
	free(line);
	assert_int_equal(
	    bfmt_decode_header("{\"format\":\"zksh-export\",\"version\":2}", &h, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "version"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(node_round_trip), cmocka_unit_test(null_and_empty_data),
	    cmocka_unit_test(bad_lines),       cmocka_unit_test(owner_types),
	    cmocka_unit_test(preorder),	       cmocka_unit_test(checks),
	    cmocka_unit_test(header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
