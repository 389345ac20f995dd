/*
 * One input line to commands: words split on blanks, 'single' and "double"
 * quotes, backslash escapes, '#' comments and ';' between commands. Outside
 * quotes a ';' ends a command only when a blank or the end of the line
 * follows it; elsewhere it is an ordinary character, so data and server
 * strings (jdbc:...?a=1;b=2, ...:participant;127.0.0.1:2181) stay whole.
 */
#ifndef ZKSH_LEXER_H
#define ZKSH_LEXER_H

#include <stddef.h>

struct lex_cmd {
	int argc;
	char **argv; /* NULL-terminated, each word malloc'd */
};

struct lex_result {
	int ncmds;
	struct lex_cmd *cmds;
	char err[128]; /* set when lex_line returns -1 */
};

/* Split line; returns 0, or -1 with res->err set (unbalanced quote, ...). */
int lex_line(const char *line, struct lex_result *res);
void lex_free(struct lex_result *res);

/*
 * For completion: the words of a partial line and whether the cursor sits
 * after a blank (starting a new word). Unterminated quotes are allowed.
 */
int lex_partial(const char *line, struct lex_cmd *out, int *new_word);
void lex_cmd_free(struct lex_cmd *c);

#endif
