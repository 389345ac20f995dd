/* libFuzzer: any bytes as an input line must lex or fail cleanly. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct lex_result r;
	struct lex_cmd c;
	int new_word;

	memcpy(line, data, size);
	line[size] = '\0';
	if (lex_line(line, &r) == 0) {
		for (int i = 0; i < r.ncmds; i++)
			if (r.cmds[i].argc < 1 || r.cmds[i].argv[r.cmds[i].argc] != NULL)
				abort();
		lex_free(&r);
	} else if (r.err[0] == '\0') {
		abort(); /* a failure always says why */
	}
	lex_partial(line, &c, &new_word);
	lex_cmd_free(&c);
	free(line);
	return 0;
}
