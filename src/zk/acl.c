#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "zk/acl.h"
#include "util.h"

void
acl_perms_string(int perms, char *out)
{
	/* ZOO_PERM_* are extern consts, so this table cannot be static */
	const struct {
		int bit;
		char c;
	} order[] = {{ZOO_PERM_CREATE, 'c'},
		     {ZOO_PERM_DELETE, 'd'},
		     {ZOO_PERM_READ, 'r'},
		     {ZOO_PERM_WRITE, 'w'},
		     {ZOO_PERM_ADMIN, 'a'}};
	int n = 0;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (perms & order[i].bit)
			out[n++] = order[i].c;
	out[n] = '\0';
}

int
acl_perms_parse(const char *s, int *perms)
{
	*perms = 0;
	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		switch (*s) {
		case 'c':
			*perms |= ZOO_PERM_CREATE;
			break;
		case 'd':
			*perms |= ZOO_PERM_DELETE;
			break;
		case 'r':
			*perms |= ZOO_PERM_READ;
			break;
		case 'w':
			*perms |= ZOO_PERM_WRITE;
			break;
		case 'a':
			*perms |= ZOO_PERM_ADMIN;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static int
valid_ip(const char *id)
{
	char addr[64];
	const char *slash = strchr(id, '/');
	size_t n = slash ? (size_t)(slash - id) : strlen(id);
	unsigned char bin[16];
	int v6, maxbits;

	if (n == 0 || n >= sizeof(addr))
		return 0;
	memcpy(addr, id, n);
	addr[n] = '\0';
	v6 = strchr(addr, ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, bin) != 1)
		return 0;
	maxbits = v6 ? 128 : 32;
	if (slash != NULL) {
		long long bits;
		if (parse_long(slash + 1, &bits) != 0 || bits < 0 || bits > maxbits)
			return 0;
	}
	return 1;
}

/* A SHA-1 in base64: 27 characters of the alphabet and one '=' of padding. */
static int
valid_digest_hash(const char *h)
{
	if (strlen(h) != 28 || h[27] != '=')
		return 0;
	for (int i = 0; i < 27; i++)
		if (!isalnum((unsigned char)h[i]) && h[i] != '+' && h[i] != '/')
			return 0;
	return 1;
}

#define DIGEST_HINT                                                                                \
	"a digest id is user:base64(sha1(user:password)) (the user, ':', then 28 base64 "          \
	"characters ending in '='), not a password; 'digest user:password' computes it"

/*
 * Checks the id for the schemes whose ids have a known shape. An unknown
 * scheme is refused here: a typo ("wrold") would otherwise only come back
 * from the server as "Acl is not valid".
 */
static const char *
check_id(const char *scheme, const char *id)
{
	if (strcmp(scheme, "world") == 0)
		return strcmp(id, "anyone") == 0 ? NULL : "the world scheme's id is 'anyone'";
	if (strcmp(scheme, "auth") == 0)
		return NULL; /* the id is ignored: the session's identities are used */
	if (strcmp(scheme, "digest") == 0) {
		const char *colon = strchr(id, ':');
		if (colon == NULL || colon == id || !valid_digest_hash(colon + 1))
			return DIGEST_HINT;
		return NULL;
	}
	if (strcmp(scheme, "ip") == 0)
		return valid_ip(id) ? NULL : "not an IPv4 or IPv6 address[/bits]";
	if (strcmp(scheme, "sasl") == 0 || strcmp(scheme, "x509") == 0)
		return *id ? NULL : "empty id";
	return "unknown scheme (world, auth, digest, ip, sasl, x509)";
}

static int
parse_entry(const char *entry, struct ACL *acl, char *err, size_t errlen)
{
	const char *first = strchr(entry, ':');
	const char *last = strrchr(entry, ':');
	const char *why;
	char *scheme, *id;

	if (first == NULL || first == last) {
		snprintf(err, errlen, "malformed ACL entry '%s': expected scheme:id:perms", entry);
		return -1;
	}
	/* digest:alice:secret6 reads as id alice, perms secret6: say what a digest id is */
	if (strncmp(entry, "digest:", 7) == 0 &&
	    (acl_perms_parse(last + 1, &acl->perms) != 0 || first + 1 == last)) {
		snprintf(err, errlen, "malformed ACL entry '%s': %s", entry, DIGEST_HINT);
		return -1;
	}
	if (acl_perms_parse(last + 1, &acl->perms) != 0) {
		snprintf(err, errlen, "malformed ACL entry '%s': permissions are letters of cdrwa",
			 entry);
		return -1;
	}
	scheme = xstrndup(entry, (size_t)(first - entry));
	id = xstrndup(first + 1, (size_t)(last - first - 1));
	why = check_id(scheme, id);
	if (why != NULL) {
		snprintf(err, errlen, "malformed ACL entry '%s': %s", entry, why);
		free(scheme);
		free(id);
		return -1;
	}
	acl->id.scheme = scheme;
	acl->id.id = id;
	return 0;
}

int
acl_parse(const char *text, struct ACL_vector *out, char *err, size_t errlen)
{
	char *copy = xstrdup(text), *save = NULL, *tok;
	int cap = 4;

	out->count = 0;
	out->data = xcalloc((size_t)cap, sizeof(struct ACL));
	if (*text == '\0') {
		snprintf(err, errlen, "malformed ACL: empty");
		goto fail;
	}
	if (text[strlen(text) - 1] == ',' || text[0] == ',' || strstr(text, ",,") != NULL) {
		snprintf(err, errlen, "malformed ACL '%s': empty entry", text);
		goto fail;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (out->count == cap) {
			cap *= 2;
			out->data = xrealloc(out->data, sizeof(struct ACL) * (size_t)cap);
		}
		if (parse_entry(tok, &out->data[out->count], err, errlen) != 0)
			goto fail;
		out->count++;
	}
	free(copy);
	return 0;
fail:
	free(copy);
	acl_free(out);
	return -1;
}

void
acl_free(struct ACL_vector *v)
{
	for (int i = 0; i < v->count; i++) {
		free(v->data[i].id.scheme);
		free(v->data[i].id.id);
	}
	free(v->data);
	v->data = NULL;
	v->count = 0;
}

int
acl_digest(const char *user_password, char *out, size_t outlen)
{
	unsigned char md[SHA_DIGEST_LENGTH];
	const char *colon = strchr(user_password, ':');
	char *b64;

	if (colon == NULL || colon == user_password)
		return -1;
	SHA1((const unsigned char *)user_password, strlen(user_password), md);
	b64 = b64_encode(md, sizeof(md));
	snprintf(out, outlen, "%.*s:%s", (int)(colon - user_password), user_password, b64);
	free(b64);
	return 0;
}

cJSON *
acl_to_json(const struct ACL_vector *v)
{
	cJSON *arr = cJSON_CreateArray();
	char perms[8];

	for (int i = 0; i < v->count; i++) {
		cJSON *o = cJSON_CreateObject();

		acl_perms_string(v->data[i].perms, perms);
		cJSON_AddStringToObject(o, "scheme", v->data[i].id.scheme);
		cJSON_AddStringToObject(o, "id", v->data[i].id.id);
		cJSON_AddStringToObject(o, "perms", perms);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}
