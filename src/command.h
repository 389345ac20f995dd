/*
 * The command table is the grammar. A command is declared once: name,
 * alias, typed option specs, positional specs, attributes, subcommands and
 * the function that runs it. The dispatcher parses and converts every value,
 * resolves paths and enforces attributes from the specs, and usage, help,
 * help --json, completion and the man page are generated from them
 * (src/help.c), so nothing else describes a command.
 */
#ifndef ZKSH_COMMAND_H
#define ZKSH_COMMAND_H

#include <stddef.h>

struct shell;

/* What a positional argument (or an option's value) completes to. */
enum cpl {
	CPL_NONE,
	CPL_PATH,    /* znode paths: resolved against cd by the dispatcher */
	CPL_COMMAND, /* command names (help) */
	CPL_FILE,    /* local files */
	CPL_HOST,    /* host:port from history */
	CPL_CHOICE,  /* one of the spec's choices */
};

#define CMD_ZK	     0x01 /* needs a connection */
#define CMD_SECRET   0x02 /* the line carries a secret: never written to history */
#define CMD_WRITE    0x04 /* changes the tree: refused up front under --read-only */
#define CMD_EMULATED 0x08 /* the C client has no call for it: zksh emulates it */

/* The type of an option's value; the dispatcher converts and range-checks it. */
enum opt_type {
	OPT_BOOL,     /* no value */
	OPT_INT,      /* a decimal (or 0x hex) integer from min to max */
	OPT_STRING,   /* any text */
	OPT_ENUM,     /* one of choices */
	OPT_PATH,     /* a znode path (not resolved: a value, not a positional) */
	OPT_FILE,     /* a local file */
	OPT_DURATION, /* with a unit (500ms, 20s, 2m; duration.h), in ms from min to max */
	OPT_BYTES,    /* a size (4096, 512k, 1M), in bytes from min to max */
};

/* How an option may be spelled, besides -x (short) and --name / --name=V (long). */
#define OPT_DASH1  0x01 /* the long name with one dash too, as zkCli spells it (-server) */
#define OPT_OPTVAL 0x02 /* the value is optional and only given as --name=V */

struct opt_spec {
	char shrt;	 /* 's' for -s; 0: none */
	const char *lng; /* "stat" for --stat; NULL: none */
	enum opt_type type;
	const char *value;	    /* value name for usage and help ("VERSION"); NULL for bool */
	const char *help;	    /* one line */
	long long min, max;	    /* OPT_INT, OPT_DURATION, OPT_BYTES; both 0: no limit */
	const char *const *choices; /* OPT_ENUM: NULL-terminated */
	unsigned spell;		    /* OPT_DASH1, OPT_OPTVAL */
	/* What the value is, in range errors ("a depth"); NULL: "a number". */
	const char *noun;
	/* A compatible error text (zkCli's own, or one the tests pin), printf'd with
	 * the command's name and the value: replaces the generated one. */
	const char *bad;
	/* Options of one entry with the same group (1, 2, ...) exclude each other:
	 * "give only one of -c, -d, -a", and usage shows them as [-c|-d|-a]. */
	int group;
};

#define POS_OPTIONAL 0x01 /* may be left out */
#define POS_REPEATED 0x02 /* takes every remaining argument */
#define POS_BARE     0x04 /* optional, but shown bare in usage as zkCli does ("ls path") */
#define POS_DASHDASH 0x08 /* comes after "--" (lock PATH -- CMD) */

struct pos_spec {
	const char *name;	    /* "path" */
	enum cpl complete;	    /* CPL_PATH: resolved in place (relative to cd) before exec */
	unsigned flags;		    /* POS_* */
	const char *seq;	    /* CPL_PATH: the option that allows a sequential suffix ("s") */
	const char *const *choices; /* CPL_CHOICE */
	/* OPT_INT: converted and range-checked like an option (min, max, bad). */
	enum opt_type type;
	long long min, max;
	const char *bad;
};

/* Table shorthands: OPTS(OPT_FLAG('s', NULL, "with stat"), ...), POSITIONALS(...). */
#define OPT_FLAG(s, l, h)                                                                          \
	{                                                                                          \
		.shrt = (s), .lng = (l), .type = OPT_BOOL, .help = (h)                             \
	}
#define OPT_ONE_OF(g, s, l, h)                                                                     \
	{                                                                                          \
		.shrt = (s), .lng = (l), .type = OPT_BOOL, .help = (h), .group = (g)               \
	}
#define OPT_VAL(s, l, t, v, h)                                                                     \
	{                                                                                          \
		.shrt = (s), .lng = (l), .type = (t), .value = (v), .help = (h)                    \
	}
#define OPT_NUM(s, l, v, lo, hi, h)                                                                \
	{                                                                                          \
		.shrt = (s), .lng = (l), .type = OPT_INT, .value = (v), .min = (lo), .max = (hi),  \
		.help = (h)                                                                        \
	}
#define OPTS(...) ((const struct opt_spec[]){__VA_ARGS__, {0}})
#define POS_ARG(n, k, f)                                                                           \
	{                                                                                          \
		.name = (n), .complete = (k), .flags = (f)                                         \
	}
#define POSITIONALS(...) ((const struct pos_spec[]){__VA_ARGS__, {0}})
#define SUBCOMMANDS(...) ((const struct cmd_entry[]){__VA_ARGS__, {0}})

/* A znode path positional, and zkCli's -v version. */
#define PATH_POS(flags) POS_ARG("path", CPL_PATH, flags)
#define VERSION_OPT(h)                                                                             \
	{                                                                                          \
		.shrt = 'v', .type = OPT_INT, .value = "version", .min = -1, .max = 2147483647LL,  \
		.help = h, .bad = "%s: version must be an integer, not '%s'"                       \
	}

/* Entry parse flags. */
#define PARSE_CLUSTER 0x01 /* single-letter flags group: -sw, -sv3 */

#define ARGS_MAX_FLAGS 40

struct cmd_entry;

struct args {
	const struct cmd_entry *entry;	 /* the command (a family, when sub is set) */
	const struct cmd_entry *sub;	 /* the subcommand, argv[0] its word; NULL: none */
	int argc;			 /* positional arguments, the command name not counted */
	char **argv;			 /* borrowed from the caller; paths resolved (owned) */
	char **given;			 /* the positionals as typed, before paths were resolved */
	const char *val[ARGS_MAX_FLAGS]; /* per option (sub's, then entry's): NULL unset, "" set */
	long long num[ARGS_MAX_FLAGS];	 /* the converted value of int/duration/bytes options */
	char typed[ARGS_MAX_FLAGS][32];	 /* the option as given ("--wait"), for messages */
	long line;			 /* script line, for pipelined completions */
	int dashdash;			 /* positionals before the first "--"; -1: none */
	char *owned[8];			 /* resolved paths, freed by args_free */
	int nowned;
	const char *cwd;     /* the current node: what an absent optional path means */
	long long posnum[8]; /* the converted value of OPT_INT positionals 0..7 */
};

struct cmd_entry {
	const char *name;
	const char *alias;
	const struct opt_spec *opts; /* ends with an all-zero spec; NULL: none */
	const struct pos_spec *pos;  /* ends with name NULL; NULL: none */
	const char *help;
	unsigned attrs;
	unsigned parse;		      /* PARSE_CLUSTER */
	const struct cmd_entry *subs; /* subcommands (first word), ends with name NULL */
	int (*exec)(struct shell *, struct args *);
	/* Validate what can be checked offline (ACLs, server strings, combinations),
	 * before the dispatcher connects; reports its own usage error. Values of
	 * typed options and paths are converted and checked already. */
	int (*check)(struct shell *, struct args *);
	/* Pipelined variant for batch --pipeline: send and return, the result
	 * is reported when it arrives. NULL: the command runs synchronously. */
	int (*submit)(struct shell *, struct args *);
};

/* Positional counts from the specs: max -1 when one repeats. */
int cmd_min_args(const struct cmd_entry *e);
int cmd_max_args(const struct cmd_entry *e);

/* Options every command takes besides its own (--json, -o/--output-format, --help). */
extern const struct opt_spec cmd_common_options[];
/* zksh's own options (before the command), for main.c and help. */
extern const struct opt_spec cmd_global_options[];

/* The usage line of e (sub: of that subcommand), "get [-s] [-w] [-b] [-x] path". */
void cmd_usage_line(const struct cmd_entry *e, const struct cmd_entry *sub, char *out, size_t len);
/* Every spelling of o as typed, blank-separated: "-s --stat". */
void opt_spellings(const struct opt_spec *o, char *out, size_t len);
/* The preferred spelling: "-s", "--stat", "-server". */
const char *opt_name(const struct opt_spec *o, char *buf, size_t len);

/*
 * One option word at argv[*i] against specs (common: NULL or also tried):
 * 1 matched (index in *k, value or NULL in *v, *i advanced past a separate
 * value), 0 no option of specs, -1 an error in err (needs a value, takes no
 * value). Clustering is the caller's.
 */
int opt_match(const struct opt_spec *specs, int argc, char **argv, int *i, int *k, const char **v,
	      char *err, size_t errlen);
/*
 * Convert and check a value of spec o typed as word: 0 with *num set, or -1
 * with the message in err (prefix: "zksh" or the command's name).
 */
int opt_convert(const struct opt_spec *o, const char *prefix, const char *word, const char *v,
		long long *num, char *err, size_t errlen);

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

/*
 * The value of option name (short letter or long name) of the command or its
 * subcommand ("" for a set boolean), or NULL when unset.
 */
const char *args_get(const struct args *a, const char *name);
int args_has(const struct args *a, const char *name);
/* The converted value of an int, duration (ms) or bytes option; dflt when unset. */
long long args_int(const struct args *a, const char *name, long long dflt);
/* The option as typed ("--conflict-exit-code"), or its preferred spelling when unset. */
const char *args_typed(const struct args *a, const char *name);
/* The converted value of OPT_INT positional i; dflt when absent. */
long long args_pos_int(const struct args *a, int i, long long dflt);
/* Positional i as a path (resolved by the dispatcher), or the current node when absent. */
int args_path(const struct args *a, int i, char *out);
void args_free(struct args *a);

/* The subcommand of e named word, or NULL. */
const struct cmd_entry *cmd_sub_lookup(const struct cmd_entry *e, const char *word);
/* The option spec of e (or sub) called name, or NULL. */
const struct opt_spec *cmd_opt_lookup(const struct cmd_entry *e, const struct cmd_entry *sub,
				      const char *name);

/*
 * Parse argv against e's specs into a (free it with args_free, also on
 * error): options, subcommand, argument counts, typed values, paths resolved
 * against cwd (NULL: "/"). Returns 0; -1 with a usage message in err (print
 * the usage line); -2 with a complete message in err (a bad value: nothing
 * else to print).
 */
int cmd_parse(const struct cmd_entry *e, int argc, char **argv, struct args *a, int *json_override,
	      int *want_help, char *err, size_t errlen);
int cmd_parse_in(const struct cmd_entry *e, const char *cwd, int argc, char **argv, struct args *a,
		 int *json_override, int *want_help, char *err, size_t errlen);

/* Run one command line (argv[0] is the command). Returns its exit code. */
int cmd_dispatch(struct shell *sh, int argc, char **argv);

/* Print "usage: ..." for e (or its subcommand sub) to stderr. */
void cmd_usage(struct shell *sh, const struct cmd_entry *e, const struct cmd_entry *sub);

#endif

/*
 * Shared argument helpers: each reports its own error (with the right exit
 * code) and returns ZX_OK or that code.
 */
/* Resolve arg (relative to cwd) into out, at least ZKSH_PATH_MAX bytes: for
 * paths that are not positionals (inside other values). */
int arg_path(struct shell *sh, const char *arg, int sequential, char *out);
/* The path argument at index i, or the current directory when absent. */
int arg_path_or_cwd(struct shell *sh, const struct args *a, int i, char *out);
/* A node version (-v), converted by the dispatcher. */
int arg_version(struct shell *sh, const struct args *a, int *version);
/*
 * Node data from text (base64-decoded with -b). overhead is the size of the
 * rest of the serialized request (cmd/data.c computes it from the jute
 * encoding): data plus overhead must fit the server's jute.maxbuffer
 * (sh->max_data), else a usage error giving both sizes.
 */
int arg_data(struct shell *sh, const struct args *a, const char *text, long overhead, char **data,
	     int *len);
