/* ACLs: the one parser for every place an ACL is typed, formatting, digest ids. */
#ifndef ZKSH_ACL_H
#define ZKSH_ACL_H

#include <stddef.h>

#include <cjson/cJSON.h>
#include <zookeeper/zookeeper.h>

/*
 * Parse "scheme:id:perms[,scheme:id:perms...]" into out (free with
 * acl_free). Returns 0, or -1 with a message naming the bad entry in err.
 */
int acl_parse(const char *text, struct ACL_vector *out, char *err, size_t errlen);
void acl_free(struct ACL_vector *v);

/* "cdrwa" order letters for perms into out (at least 6 bytes). */
void acl_perms_string(int perms, char *out);

/* Letters of cdrwa (any order, at least one) into ZOO_PERM_* bits; -1 otherwise. */
int acl_perms_parse(const char *s, int *perms);

/* [{"scheme":..,"id":..,"perms":"cdrwa"}, ...] (the caller owns it). */
cJSON *acl_to_json(const struct ACL_vector *v);

/* user:base64(sha1("user:password")) for "user:password"; -1 without ':'. */
int acl_digest(const char *user_password, char *out, size_t outlen);

#endif
