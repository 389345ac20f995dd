/* The export format's lines (backupfmt.h): pure, no connection, fuzzed. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zk/acl.h"
#include "backupfmt.h"
#include "util.h"

#define TTL_EXTENDED_MASK 0xff00000000000000ULL
#define TTL_TYPE_MASK	  0x00ffff0000000000ULL
#define TTL_VALUE_MASK	  0x000000ffffffffffULL

int
bfmt_owner_type(int64_t owner, long long *ttl)
{
	uint64_t u = (uint64_t)owner;

	*ttl = 0;
	if (owner == 0)
		return BT_PERSISTENT;
	if (owner == INT64_MIN)
		return BT_CONTAINER;
	if ((u & TTL_EXTENDED_MASK) == TTL_EXTENDED_MASK && (u & TTL_TYPE_MASK) == 0) {
		*ttl = (long long)(u & TTL_VALUE_MASK);
		return BT_TTL;
	}
	return BT_EPHEMERAL;
}

static const char *type_names[] = {"persistent", "ephemeral", "container", "ttl"};

static void
add_zxid(cJSON *o, const char *key, int64_t z)
{
	char hex[24];

	snprintf(hex, sizeof(hex), "0x%" PRIx64, (uint64_t)z);
	cJSON_AddStringToObject(o, key, hex);
}

static cJSON *
stat_object(const struct Stat *st)
{
	cJSON *o = cJSON_CreateObject();

	add_zxid(o, "czxid", st->czxid);
	add_zxid(o, "mzxid", st->mzxid);
	add_zxid(o, "pzxid", st->pzxid);
	cJSON_AddNumberToObject(o, "ctime", (double)st->ctime);
	cJSON_AddNumberToObject(o, "mtime", (double)st->mtime);
	cJSON_AddNumberToObject(o, "version", st->version);
	cJSON_AddNumberToObject(o, "cversion", st->cversion);
	cJSON_AddNumberToObject(o, "aversion", st->aversion);
	add_zxid(o, "ephemeralOwner", st->ephemeralOwner);
	cJSON_AddNumberToObject(o, "dataLength", st->dataLength);
	cJSON_AddNumberToObject(o, "numChildren", st->numChildren);
	return o;
}

static char *
print_free(cJSON *o)
{
	char *s = cJSON_PrintUnformatted(o);

	cJSON_Delete(o);
	if (s == NULL)
		abort(); /* cJSON runs out of memory only */
	return s;
}

char *
bfmt_encode_node(const struct bnode *n)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "path", n->path);
	if (n->data == NULL || n->len < 0) {
		cJSON_AddNullToObject(o, "data");
	} else {
		char *b64 = b64_encode((const unsigned char *)n->data, (size_t)n->len);
		cJSON_AddStringToObject(o, "data", b64);
		free(b64);
	}
	cJSON_AddItemToObject(o, "acl", acl_to_json(&n->acl));
	cJSON_AddStringToObject(o, "type", type_names[n->type]);
	if (n->type == BT_TTL && n->ttl > 0)
		cJSON_AddNumberToObject(o, "ttl", (double)n->ttl);
	if (n->stat != NULL)
		cJSON_AddItemToObject(o, "stat", stat_object(n->stat));
	return print_free(o);
}

char *
bfmt_encode_header(const char *root, int64_t zxid_first, int64_t zxid_last, long long nodes,
		   long long data_bytes, char **ephemerals, long long nephemerals, int zookeeper,
		   int stat)
{
	cJSON *o = cJSON_CreateObject(), *arr;

	cJSON_AddStringToObject(o, "format", "zksh-export");
	cJSON_AddNumberToObject(o, "version", BFMT_VERSION);
	cJSON_AddStringToObject(o, "root", root);
	add_zxid(o, "zxid_first", zxid_first);
	add_zxid(o, "zxid_last", zxid_last);
	cJSON_AddNumberToObject(o, "nodes", (double)nodes);
	cJSON_AddNumberToObject(o, "data_bytes", (double)data_bytes);
	cJSON_AddNumberToObject(o, "ephemerals_skipped", (double)nephemerals);
	arr = cJSON_AddArrayToObject(o, "ephemerals");
	for (long long i = 0; i < nephemerals; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(ephemerals[i]));
	cJSON_AddBoolToObject(o, "zookeeper", zookeeper);
	cJSON_AddBoolToObject(o, "stat", stat);
	return print_free(o);
}

/* ---- decoding ------------------------------------------------------------ */

static int
fail(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return -1;
}

/* A relative path as the format writes it: "/" or /a/b, no empty, . or .. parts. */
static int
check_rel_path(const char *p, char *err, size_t errlen)
{
	size_t len = strlen(p);

	if (p[0] != '/')
		return fail(err, errlen, "path must start with /");
	if (len == 1)
		return 0;
	if (p[len - 1] == '/')
		return fail(err, errlen, "path must not end with /");
	for (const char *c = p; *c; c++) {
		if (c[0] == '/' && c[1] == '/')
			return fail(err, errlen, "path has an empty component");
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return fail(err, errlen, "path has a control character");
		if (c[0] == '/' && c[1] == '.' &&
		    (c[2] == '/' || c[2] == '\0' || (c[2] == '.' && (c[3] == '/' || c[3] == '\0'))))
			return fail(err, errlen, "path has a . or .. component");
	}
	if (strncmp(p, "/zookeeper", 10) == 0 && (p[10] == '\0' || p[10] == '/'))
		return 0; /* only with --include-zookeeper on export; import refuses it later */
	return 0;
}

static void
acl_clear(struct ACL_vector *v)
{
	acl_free(v);
	v->data = NULL;
	v->count = 0;
}

static int
decode_acl(const cJSON *arr, struct ACL_vector *out, char *err, size_t errlen)
{
	const cJSON *e;
	int n = cJSON_GetArraySize(arr), i = 0;

	out->count = 0;
	out->data = NULL;
	if (!cJSON_IsArray(arr) || n < 1)
		return fail(err, errlen, "\"acl\" must be a non-empty array");
	out->data = xcalloc((size_t)n, sizeof(struct ACL));
	cJSON_ArrayForEach(e, arr)
	{
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(e, "scheme");
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(e, "perms");
		struct ACL_vector one;
		char *text, aerr[512];
		size_t tl;

		if (!cJSON_IsString(s) || !cJSON_IsString(id) || !cJSON_IsString(p)) {
			acl_clear(out);
			return fail(err, errlen,
				    "an ACL entry needs string \"scheme\", \"id\" and \"perms\"");
		}
		if (strchr(s->valuestring, ',') || strchr(id->valuestring, ',') ||
		    strchr(s->valuestring, ':') || strcmp(s->valuestring, "auth") == 0) {
			snprintf(err, errlen, "bad ACL entry scheme '%s' id '%s'", s->valuestring,
				 id->valuestring);
			acl_clear(out);
			return -1;
		}
		tl = strlen(s->valuestring) + strlen(id->valuestring) + strlen(p->valuestring) + 3;
		text = xmalloc(tl);
		snprintf(text, tl, "%s:%s:%s", s->valuestring, id->valuestring, p->valuestring);
		aerr[0] = '\0';
		if (acl_parse(text, &one, aerr, sizeof(aerr)) != 0) {
			snprintf(err, errlen, "bad ACL: %s", aerr);
			free(text);
			acl_clear(out);
			return -1;
		}
		free(text);
		if (one.count != 1) {
			acl_free(&one);
			acl_clear(out);
			return fail(err, errlen, "bad ACL: \"perms\" must be letters of cdrwa");
		}
		out->data[i++] = one.data[0];
		out->count = i;
		free(one.data);
	}
	return 0;
}

void
bfmt_node_free(struct bnode *n)
{
	free(n->path);
	free(n->data);
	if (n->acl.data != NULL)
		acl_clear(&n->acl);
	memset(n, 0, sizeof(*n));
}

static int
decode_type(const cJSON *o, struct bnode *n, char *err, size_t errlen)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "type");
	const cJSON *ttl = cJSON_GetObjectItemCaseSensitive(o, "ttl");

	n->type = BT_PERSISTENT;
	if (t == NULL)
		return 0;
	if (!cJSON_IsString(t))
		return fail(err, errlen, "\"type\" must be a string");
	if (strcmp(t->valuestring, "persistent") == 0)
		n->type = BT_PERSISTENT;
	else if (strcmp(t->valuestring, "container") == 0)
		n->type = BT_CONTAINER;
	else if (strcmp(t->valuestring, "ttl") == 0)
		n->type = BT_TTL;
	else
		return fail(err, errlen, "\"type\" must be persistent, container or ttl");
	if (ttl != NULL) {
		if (n->type != BT_TTL || !cJSON_IsNumber(ttl) || ttl->valuedouble < 1 ||
		    ttl->valuedouble > (double)TTL_VALUE_MASK)
			return fail(err, errlen, "\"ttl\" must be a positive number on a ttl node");
		n->ttl = (long long)ttl->valuedouble;
	}
	return 0;
}

int
bfmt_decode_node(const char *line, struct bnode *n, char *err, size_t errlen)
{
	cJSON *o = cJSON_Parse(line);
	const cJSON *p, *d;
	int rc = -1;

	memset(n, 0, sizeof(*n));
	n->len = -1;
	if (o == NULL || !cJSON_IsObject(o)) {
		fail(err, errlen, "not a JSON object");
		goto out;
	}
	p = cJSON_GetObjectItemCaseSensitive(o, "path");
	if (!cJSON_IsString(p)) {
		fail(err, errlen, "\"path\" missing or not a string");
		goto out;
	}
	if (check_rel_path(p->valuestring, err, errlen) != 0)
		goto out;
	n->path = xstrdup(p->valuestring);
	d = cJSON_GetObjectItemCaseSensitive(o, "data");
	if (d == NULL || (!cJSON_IsNull(d) && !cJSON_IsString(d))) {
		fail(err, errlen, "\"data\" must be a base64 string or null");
		goto out;
	}
	if (cJSON_IsString(d)) {
		unsigned char *bytes = NULL;
		long len = b64_decode(d->valuestring, &bytes);

		if (len < 0) {
			fail(err, errlen, "\"data\" is not valid base64");
			goto out;
		}
		if (len > INT32_MAX / 2) {
			free(bytes);
			fail(err, errlen, "\"data\" is too large");
			goto out;
		}
		n->data = (char *)bytes;
		n->len = (int)len;
		if (n->data == NULL)
			n->data = xstrdup("");
	}
	if (decode_acl(cJSON_GetObjectItemCaseSensitive(o, "acl"), &n->acl, err, errlen) != 0)
		goto out;
	if (decode_type(o, n, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	cJSON_Delete(o);
	if (rc != 0)
		bfmt_node_free(n);
	return rc;
}

void
bfmt_header_free(struct bheader *h)
{
	free(h->root);
	memset(h, 0, sizeof(*h));
}

static int
header_count(const cJSON *o, const char *key, long long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 9e15)
		return -1;
	*out = (long long)v->valuedouble;
	return 0;
}

int
bfmt_decode_header(const char *line, struct bheader *h, char *err, size_t errlen)
{
	cJSON *o = cJSON_Parse(line);
	const cJSON *f, *v, *r;
	int rc = -1;

	memset(h, 0, sizeof(*h));
	if (o == NULL || !cJSON_IsObject(o)) {
		fail(err, errlen, "not a JSON object (is this a zksh export?)");
		goto out;
	}
	f = cJSON_GetObjectItemCaseSensitive(o, "format");
	v = cJSON_GetObjectItemCaseSensitive(o, "version");
	r = cJSON_GetObjectItemCaseSensitive(o, "root");
	if (!cJSON_IsString(f) || strcmp(f->valuestring, "zksh-export") != 0) {
		fail(err, errlen, "the header's \"format\" is not \"zksh-export\"");
		goto out;
	}
	if (!cJSON_IsNumber(v) || v->valuedouble != BFMT_VERSION) {
		fail(err, errlen, "unsupported format version (this zksh reads version 1)");
		goto out;
	}
	if (!cJSON_IsString(r) || r->valuestring[0] != '/') {
		fail(err, errlen, "the header's \"root\" is not a path");
		goto out;
	}
	if (header_count(o, "nodes", &h->nodes) != 0 ||
	    header_count(o, "data_bytes", &h->data_bytes) != 0 ||
	    header_count(o, "ephemerals_skipped", &h->ephemerals) != 0) {
		fail(err, errlen, "the header's counts are missing or not numbers");
		goto out;
	}
	h->version = BFMT_VERSION;
	h->root = xstrdup(r->valuestring);
	rc = 0;
out:
	cJSON_Delete(o);
	return rc;
}

/* ---- order and checks ---------------------------------------------------- */

static int
rank(unsigned char c)
{
	return c == '\0' ? 0 : c == '/' ? 1 : c + 1;
}

int
bfmt_path_cmp(const char *a, const char *b)
{
	size_t i;

	for (i = 0; a[i] != '\0' && a[i] == b[i]; i++)
		;
	return rank((unsigned char)a[i]) - rank((unsigned char)b[i]);
}

int
bfmt_is_child(const char *parent, const char *child)
{
	size_t pl = strlen(parent);
	const char *rest;

	if (strcmp(parent, "/") == 0)
		pl = 0;
	if (strncmp(parent, child, pl) != 0 || child[pl] != '/' || child[pl + 1] == '\0')
		return 0;
	rest = child + pl + 1;
	return strchr(rest, '/') == NULL;
}

void
bcheck_init(struct bcheck *c, long max_data)
{
	memset(c, 0, sizeof(*c));
	c->max_data = max_data;
}

void
bcheck_free(struct bcheck *c)
{
	free(c->prev);
	c->prev = NULL;
}

/* 1 when a is b or one of b's ancestors. */
static int
ancestor_or_self(const char *a, const char *b)
{
	size_t al = strlen(a);

	if (strcmp(a, "/") == 0)
		return 1;
	return strncmp(a, b, al) == 0 && (b[al] == '\0' || b[al] == '/');
}

int
bcheck_node(struct bcheck *c, const struct bnode *n, char *err, size_t errlen)
{
	char *parent;
	const char *slash;
	int cmp, ok;

	if (c->prev == NULL) {
		if (strcmp(n->path, "/") != 0)
			return fail(err, errlen, "the first node must be the root \"/\"");
	} else {
		cmp = bfmt_path_cmp(c->prev, n->path);
		if (cmp == 0) {
			snprintf(err, errlen, "duplicate node %s", n->path);
			return -1;
		}
		if (cmp > 0) {
			snprintf(err, errlen, "%s is out of order (after %s)", n->path, c->prev);
			return -1;
		}
		slash = strrchr(n->path, '/');
		parent =
		    slash == n->path ? xstrdup("/") : xstrndup(n->path, (size_t)(slash - n->path));
		ok = ancestor_or_self(parent, c->prev);
		if (!ok)
			snprintf(err, errlen, "%s comes without its parent %s", n->path, parent);
		free(parent);
		if (!ok)
			return -1;
	}
	if (n->len > c->max_data) {
		snprintf(err, errlen, "%s has %d bytes of data, over the %ld-byte limit", n->path,
			 n->len, c->max_data);
		return -1;
	}
	free(c->prev);
	c->prev = xstrdup(n->path);
	c->nodes++;
	return 0;
}
