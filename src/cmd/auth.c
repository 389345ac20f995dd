/*
 * Identities and ACLs: addauth, digest, whoami, getAcl, setAcl (the
 * credentials given at start-up are auth.c's).
 *
 * The C client has no whoami call: whoami reports what this session added
 * and the address the server sees it connect from.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zk/acl.h"
#include "auth.h"
#include "cmd/bulk.h"
#include "cmd/common.h"
#include "command.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zk/walk.h"
#include "zkerr.h"

/* ---- addauth, digest, whoami ------------------------------------------- */

static int
cmd_addauth(struct shell *sh, struct args *a)
{
	const char *cred = a->argc > 1 ? a->argv[1] : "";
	int rc = session_add_auth(sh->sess, a->argv[0], cred);

	if (rc == ZAUTHFAILED)
		return auth_refused(sh, "addauth", a->argv[0]);
	if (rc != ZOK)
		return zk_fail(sh, rc, NULL);
	render_value(sh, "scheme", a->argv[0], NULL);
	return ZX_OK;
}

static int
cmd_digest(struct shell *sh, struct args *a)
{
	char id[1024];

	if (acl_digest(a->argv[0], id, sizeof(id)) != 0)
		return sh_error(sh, ZX_USAGE, "digest: expected user:password");
	render_value(sh, "id", id, id);
	return ZX_OK;
}

/*
 * The address the server sees: the local end of a route to the server we
 * are connected to (a UDP connect sends nothing, it only picks the route).
 */
static int
local_ip(struct shell *sh, char *out, size_t outlen)
{
	struct sockaddr_storage srv, me;
	socklen_t len = sizeof(srv), mlen = sizeof(me);
	const void *addr;
	int fd, ok;

	if (zookeeper_get_connected_host(ZH(sh), (struct sockaddr *)&srv, &len) == NULL)
		return -1;
	fd = socket(srv.ss_family, SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	ok = connect(fd, (struct sockaddr *)&srv, len) == 0 &&
	     getsockname(fd, (struct sockaddr *)&me, &mlen) == 0;
	close(fd);
	if (!ok)
		return -1;
	if (me.ss_family == AF_INET6)
		addr = &((struct sockaddr_in6 *)&me)->sin6_addr;
	else
		addr = &((struct sockaddr_in *)&me)->sin_addr;
	return inet_ntop(me.ss_family, addr, out, (socklen_t)outlen) ? 0 : -1;
}

static void
whoami_line(struct shell *sh, const char *scheme, const char *user)
{
	cJSON *o = cJSON_CreateObject();
	char text[1024];

	cJSON_AddStringToObject(o, "scheme", scheme);
	cJSON_AddStringToObject(o, "user", user);
	snprintf(text, sizeof(text), "%s: %s", scheme, user);
	render_item(sh, "identities", o, text);
}

/* Oldest first, as the server lists them; never the secret part. */
static void
whoami_added(struct shell *sh, const struct auth_cred *a)
{
	char user[512];

	if (a == NULL)
		return;
	whoami_added(sh, a->next);
	snprintf(user, sizeof(user), "%.*s", (int)strcspn(a->cred, ":"), a->cred);
	whoami_line(sh, a->scheme, user);
}

static int
cmd_whoami(struct shell *sh, struct args *a)
{
	char ip[INET6_ADDRSTRLEN];

	(void)a;
	/* the list's heading; in JSON the list itself, empty or not */
	render_json(sh, "identities", cJSON_CreateArray(), "Auth scheme: User");
	if (local_ip(sh, ip, sizeof(ip)) == 0)
		whoami_line(sh, "ip", ip);
	whoami_added(sh, sh->sess->auths);
	return ZX_OK;
}

/* ---- getAcl ------------------------------------------------------------ */

/* zkCli's listing of an ACL, or its "acl" member in JSON. */
static void
acl_render(struct shell *sh, const struct ACL_vector *v)
{
	char perms[8];

	render_json(sh, "acl", acl_to_json(v), NULL);
	for (int i = 0; i < v->count; i++) {
		acl_perms_string(v->data[i].perms, perms);
		render_text(sh, "'%s,'%s\n: %s\n", v->data[i].id.scheme, v->data[i].id.id, perms);
	}
}

static int
cmd_getacl(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct ACL_vector v;
	struct Stat st;
	int rc;

	if ((rc = args_path(a, 0, path)) != ZX_OK)
		return rc;
	rc = zoo_get_acl(ZH(sh), path, &v, &st);
	if (rc != ZOK)
		return zk_fail(sh, rc, path);
	acl_render(sh, &v);
	if (args_has(a, "s"))
		render_stat(sh, &st);
	deallocate_ACL_vector(&v);
	return ZX_OK;
}

/* ---- setAcl ------------------------------------------------------------ */

struct setacl {
	struct shell *sh;
	struct bulk b;
	struct ACL_vector acl;
	int version;
};

static void
setacl_done(int rc, const void *data)
{
	bulk_done((struct bulk_req *)data, rc);
}

/* Children were listed before the visit, so a new ACL cannot hide them. */
static int
setacl_visit(void *ctx, const struct walk_node *n)
{
	struct setacl *s = ctx;
	struct bulk_req *r = bulk_reserve(&s->b, n->path);
	int rc = zoo_aset_acl(ZH(s->sh), n->path, s->version, &s->acl, setacl_done, r);

	if (rc != ZOK)
		bulk_done(r, rc);
	return s->sh->interrupted ? -1 : 0;
}

static int
setacl_recursive(struct shell *sh, struct setacl *s, const char *path)
{
	struct walk_opts o;
	struct walk_result res;
	int rc;

	memset(&o, 0, sizeof(o));
	o.max_depth = -1;
	bulk_init(&s->b, sh->window);
	s->b.nonode_ok = 1;
	rc = walk_tree(sh, path, &o, setacl_visit, s, &res);
	bulk_drain(&s->b);
	if (rc != ZOK) {
		rc = zk_fail(sh, rc, path);
	} else {
		render_number(sh, "updated", s->b.ok, NULL);
		rc = bulk_report(sh, &s->b, "setAcl -R", &res);
	}
	bulk_destroy(&s->b);
	return rc;
}

/* The version and the ACL, for check and exec alike; frees nothing on failure. */
static int
setacl_prepare(struct shell *sh, struct args *a, char *path, struct setacl *s)
{
	char err[512];
	int rc;

	if ((rc = args_path(a, 0, path)) != ZX_OK)
		return rc;
	if ((rc = arg_version(sh, a, &s->version)) != ZX_OK)
		return rc;
	if (acl_parse(a->argv[1], &s->acl, err, sizeof(err)) != 0)
		return sh_error(sh, ZX_USAGE, "%s", err);
	return ZX_OK;
}

static int
check_setacl(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct setacl s;
	int rc;

	memset(&s, 0, sizeof(s));
	if ((rc = setacl_prepare(sh, a, path, &s)) == ZX_OK)
		acl_free(&s.acl);
	return rc;
}

static int
cmd_setacl(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct setacl s;
	struct Stat st;
	int rc;

	memset(&s, 0, sizeof(s));
	s.sh = sh;
	if ((rc = setacl_prepare(sh, a, path, &s)) != ZX_OK)
		return rc;
	if (args_has(a, "R")) {
		rc = setacl_recursive(sh, &s, path);
	} else {
		rc = zoo_set_acl(ZH(sh), path, s.version, &s.acl);
		rc = rc == ZOK ? ZX_OK : zk_fail(sh, rc, path);
	}
	acl_free(&s.acl);
	if (rc == ZX_OK || rc == ZX_PARTIAL)
		render_value(sh, "path", path, NULL);
	/* the client's setAcl answer carries no stat: read it */
	if (rc == ZX_OK && args_has(a, "s")) {
		if ((rc = zoo_exists(ZH(sh), path, 0, &st)) != ZOK)
			return zk_fail(sh, rc, path);
		render_stat(sh, &st);
	}
	return rc;
}

const struct cmd_entry cmd_auth_entries[] = {
    {.name = "addauth",
     .pos = POSITIONALS(POS_ARG("scheme", CPL_NONE, 0), POS_ARG("auth", CPL_NONE, POS_OPTIONAL)),
     .help = "add credentials to the session (addauth digest user:password); kept out of "
	     "history, and re-sent to every new session. ZKSH_AUTH and --auth-file give "
	     "them without typing them",
     .attrs = CMD_ZK | CMD_SECRET,
     .exec = cmd_addauth},
    {.name = "digest",
     .pos = POSITIONALS(POS_ARG("user:password", CPL_NONE, 0)),
     .help = "print the digest ACL id of user:password (user:base64(sha1(user:password))), "
	     "for setAcl and create",
     .attrs = CMD_SECRET,
     .exec = cmd_digest},
    {.name = "whoami",
     .help = "print the identities of the session: the address the server sees and the "
	     "credentials this session added (the C client has no whoami call, so "
	     "identities the server grants on its own, such as super, are not shown)",
     .attrs = CMD_ZK | CMD_EMULATED,
     .exec = cmd_whoami},
    {.name = "getAcl",
     .opts = OPTS(OPT_FLAG('s', NULL, "print the node's stat after the ACL")),
     .pos = POSITIONALS(PATH_POS(0)),
     .help = "print a node's ACL (-s: with stat)",
     .attrs = CMD_ZK,
     .parse = PARSE_CLUSTER,
     .exec = cmd_getacl},
    {.name = "setAcl",
     .opts = OPTS(OPT_FLAG('s', NULL, "print the node's stat after the change"),
		  VERSION_OPT("only if the node is at this ACL version"),
		  OPT_FLAG('R', NULL, "the whole subtree, pipelined")),
     .pos = POSITIONALS(PATH_POS(0), POS_ARG("acl", CPL_NONE, 0)),
     .parse = PARSE_CLUSTER,
     .help = "set a node's ACL: scheme:id:perms[,...] with schemes world, auth, digest, ip, "
	     "sasl, x509 and perms of cdrwa (-R: the whole subtree, pipelined; -v: only at "
	     "that ACL version; -s: print the stat)",
     .attrs = CMD_ZK | CMD_WRITE,
     .exec = cmd_setacl,
     .check = check_setacl},
    {0},
};
