/*
 * The command table. A command is declared once: name, alias, flag template,
 * argument counts, usage, help, completion hint and the function that runs
 * it. The dispatcher parses flags from the template, so no command looks at
 * raw argv, and help, completion and the man page read the same table.
 */
#ifndef ZKSH_COMMAND_H
#define ZKSH_COMMAND_H

#include <stddef.h>

struct shell;

/* What a command's positional arguments complete to. */
enum cpl {
	CPL_NONE,
	CPL_PATH,    /* znode paths */
	CPL_COMMAND, /* command names (help) */
	CPL_FILE,    /* local files */
	CPL_HOST,    /* host:port from history */
};

#define CMD_ZK	     0x01 /* needs a connection */
#define CMD_SECRET   0x02 /* the line carries a secret: never written to history */
#define CMD_WRITE    0x04 /* changes the tree (refused up front with -r) */
#define CMD_EMULATED 0x08 /* the C client has no call for it: zksh emulates it */

#define ARGS_MAX_FLAGS 16

struct cmd_entry;

struct args {
	const struct cmd_entry *entry;
	int argc;			 /* positional arguments, the command name not counted */
	char **argv;			 /* borrowed from the caller */
	const char *val[ARGS_MAX_FLAGS]; /* per template flag: NULL unset, "" set */
	long line;			 /* script line, for pipelined completions */
	int dashdash;			 /* positionals before the first "--"; -1: none */
};

struct cmd_entry {
	const char *name;
	const char *alias;
	/* Flags, blank-separated; a trailing ':' takes a value: "s w v: file:" */
	const char *flags;
	int min_args;
	int max_args; /* -1: no limit */
	const char *usage;
	const char *help;
	enum cpl complete;
	unsigned attrs;
	int (*exec)(struct shell *, struct args *);
	/* Validate what can be checked offline (numbers, versions, ACLs, server
	 * strings), before the dispatcher connects; reports its own usage error.
	 * It calls the same parsing helpers as exec. NULL: nothing beyond the
	 * path check the dispatcher does for CPL_PATH commands. */
	int (*check)(struct shell *, struct args *);
	/* Pipelined variant for batch --pipeline: send and return, the result
	 * is reported when it arrives. NULL: the command runs synchronously. */
	int (*submit)(struct shell *, struct args *);
};

/* Each family of commands exports a table ending in an entry with name NULL. */
extern const struct cmd_entry cmd_data_entries[];
extern const struct cmd_entry cmd_nav_entries[];
extern const struct cmd_entry cmd_auth_entries[];
extern const struct cmd_entry cmd_watch_entries[];
extern const struct cmd_entry cmd_quota_entries[];
extern const struct cmd_entry cmd_config_entries[];
extern const struct cmd_entry cmd_tree_entries[];
extern const struct cmd_entry cmd_explore_entries[];
extern const struct cmd_entry cmd_backup_entries[];
extern const struct cmd_entry cmd_shell_entries[];
extern const struct cmd_entry cmd_ensemble_entries[];
extern const struct cmd_entry cmd_recipes_entries[];
extern const struct cmd_entry cmd_fourlw_entries[];

/* Every table, for lookup, help and completion. */
extern const struct cmd_entry *const cmd_tables[];

const struct cmd_entry *cmd_lookup(const char *name);

/* The command name or alias nearest to name, within CMD_SUGGEST_MAX edits; or NULL. */
#define CMD_SUGGEST_MAX 2
const char *cmd_suggest(const char *name);
/* Report an unknown command (with "did you mean" when there is one); ZX_NOCMD. */
int cmd_not_found(struct shell *sh, const char *name);

/* Iterate all entries: i starts at 0; returns NULL at the end. */
const struct cmd_entry *cmd_iter(int *i);

/* The value of flag name ("" for a set boolean), or NULL when unset. */
const char *args_get(const struct args *a, const char *name);
int args_has(const struct args *a, const char *name);

/* Flag names of an entry, for completion: fills names (without '-'). */
int cmd_flag_names(const struct cmd_entry *e, char names[][24], int max);

/* Parse argv against e's template into a. Returns 0 or a usage message in err. */
int cmd_parse(const struct cmd_entry *e, int argc, char **argv, struct args *a, int *json_override,
	      int *want_help, char *err, size_t errlen);

/* Run one command line (argv[0] is the command). Returns its exit code. */
int cmd_dispatch(struct shell *sh, int argc, char **argv);

/* Print "usage: ..." for e to stderr. */
void cmd_usage(struct shell *sh, const struct cmd_entry *e);

#endif

/*
 * Shared argument helpers: each reports its own error (with the right exit
 * code) and returns ZX_OK or that code.
 */
/* Resolve arg (relative to cwd) into out, at least ZKSH_PATH_MAX bytes. */
int arg_path(struct shell *sh, const char *arg, int sequential, char *out);
/* The path argument at index i, or the current directory when absent. */
int arg_path_or_cwd(struct shell *sh, const struct args *a, int i, char *out);
/* A node version (-v): a decimal integer. */
int arg_version(struct shell *sh, const struct args *a, int *version);
/*
 * Node data from text (base64-decoded with -b). overhead is the size of the
 * rest of the serialized request (cmd/data.c computes it from the jute
 * encoding): data plus overhead must fit the server's jute.maxbuffer
 * (sh->max_data), else a usage error giving both sizes.
 */
int arg_data(struct shell *sh, const struct args *a, const char *text, long overhead, char **data,
	     int *len);
