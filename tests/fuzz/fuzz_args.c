/* libFuzzer: lexed words through every command's flag template. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "lexer.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct lex_result r;

	memcpy(line, data, size);
	line[size] = '\0';
	if (lex_line(line, &r) == 0) {
		for (int i = 0; i < r.ncmds; i++) {
			const struct cmd_entry *e = cmd_lookup(r.cmds[i].argv[0]);
			struct args a;
			char err[256];
			int json = -1, help = 0;

			if (e == NULL)
				continue;
			cmd_parse(e, r.cmds[i].argc, r.cmds[i].argv, &a, &json, &help, err,
				  sizeof(err));
			if (a.argc < 0 || (e->max_args >= 0 && a.argc > r.cmds[i].argc))
				abort();
			free(a.argv);
		}
		lex_free(&r);
	}
	free(line);
	return 0;
}
