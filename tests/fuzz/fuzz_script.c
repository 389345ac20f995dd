/*
 * libFuzzer: any bytes as a script file (long lines, NUL bytes, CRLF,
 * invalid UTF-8) through what zksh -f does with a line before it runs it:
 * the script reader (script_read_line), the lexer, and every command's
 * option and positional specs. Each line comes back without its newline and
 * whole, a line with a NUL byte is refused, and the lines never add up to
 * more than the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "lexer.h"
#include "script.h"

static void
parse_line(const char *line)
{
	struct lex_result r;

	if (lex_line(line, &r) != 0)
		return;
	for (int i = 0; i < r.ncmds; i++) {
		const struct cmd_entry *e = cmd_lookup(r.cmds[i].argv[0]);
		struct args a;
		char err[256];
		int json = -1, help = 0;

		if (r.cmds[i].argc < 1 || r.cmds[i].argv[r.cmds[i].argc] != NULL)
			abort();
		if (e == NULL)
			continue;
		cmd_parse(e, r.cmds[i].argc, r.cmds[i].argv, &a, &json, &help, err, sizeof(err));
		if (a.argc < 0 || a.argc > r.cmds[i].argc)
			abort();
		args_free(&a);
	}
	lex_free(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = NULL;
	size_t cap = 0, seen = 0;
	FILE *f;
	int r;

	if (size == 0)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (f == NULL)
		return 0;
	while ((r = script_read_line(f, &line, &cap)) != 0) {
		size_t len = strlen(line);

		if (r > 0) {
			if (memchr(line, '\n', len) != NULL)
				abort();
			/* the line is the input's bytes up to the newline */
			if (seen + len > size || memcmp(line, data + seen, len) != 0)
				abort();
			seen += len + 1;
			parse_line(line);
		} else {
			/* refused: a NUL byte; skip past its newline in the input */
			const uint8_t *nl = memchr(data + seen, '\n', size - seen);

			seen = nl != NULL ? (size_t)(nl - data) + 1 : size;
		}
	}
	if (ferror(f) || seen < size)
		abort(); /* a read error, or input left unread */
	free(line);
	fclose(f);
	return 0;
}
