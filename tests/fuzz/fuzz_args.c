/* libFuzzer: lexed words through every command's option and positional specs. */
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
			if (cmd_parse(e, r.cmds[i].argc, r.cmds[i].argv, &a, &json, &help, err,
				      sizeof(err)) == 0 &&
			    !help &&
			    (a.argc < cmd_min_args(a.sub != NULL ? a.sub : e) ||
			     (cmd_max_args(e) >= 0 && a.argc > cmd_max_args(e))))
				abort();
			if (a.argc < 0 || a.argc > r.cmds[i].argc)
				abort();
			/* every value is a word of the line (or "" for a flag) */
			for (int k = 0; k < ARGS_MAX_FLAGS; k++)
				if (a.val[k] != NULL && strlen(a.val[k]) > size)
					abort();
			args_free(&a);
		}
		lex_free(&r);
	}
	free(line);
	return 0;
}
