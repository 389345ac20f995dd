/* libFuzzer: the ACL parser accepts or names the bad entry, never crashes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zk/acl.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	char err[1024], perms[8];
	struct ACL_vector v;

	memcpy(text, data, size);
	text[size] = '\0';
	err[0] = '\0';
	if (acl_parse(text, &v, err, sizeof(err)) == 0) {
		if (v.count < 1)
			abort();
		for (int i = 0; i < v.count; i++) {
			if (v.data[i].perms == 0 || v.data[i].id.scheme == NULL)
				abort();
			acl_perms_string(v.data[i].perms, perms);
		}
		acl_free(&v);
	} else if (err[0] == '\0') {
		abort();
	}
	free(text);
	return 0;
}
