/* export and import as functions, for cp and diff (cmd/backup.c). */
#ifndef ZKSH_CMD_BACKUP_H
#define ZKSH_CMD_BACKUP_H

#include <stdio.h>

struct shell;

struct exp_opts {
	int want_stat;
	int include_zookeeper;
	int max_depth;	  /* < 0: the whole subtree */
	const char *what; /* for the progress line; NULL: "export" */
};

struct exp_stats {
	long long nodes, bytes, ephemerals;
};

/* Export the subtree at root to out (header first). An exit code. */
int backup_export(struct shell *sh, const char *root, const struct exp_opts *o, FILE *out,
		  struct exp_stats *stats);

enum imp_mode { IMP_CREATE, IMP_OVERWRITE, IMP_MERGE, IMP_SKIP };

struct imp_opts {
	int mode;
	int dry_run;
	const char *what; /* "import" or "cp", for messages */
};

/* Check the whole of in (named name), then write it under target. An exit code. */
int backup_import(struct shell *sh, FILE *in, const char *name, const char *target,
		  const struct imp_opts *o);

#endif
