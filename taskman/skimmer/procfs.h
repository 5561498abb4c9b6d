/*
 * taskman/skimmer/procfs.h - /proc/<pid> and /proc/self (procfs.c) for
 * bootfs.c, which serves them through its OCBs.
 */
#ifndef TM_PROCFS_H
#define TM_PROCFS_H

#define PROCFS_NOT_OURS	1	/* not a /proc/<pid> or /proc/self path */
#define PROCFS_LINK	2	/* a symbolic link: pr_target, pr_newpath */

struct procfs_ref {
	struct imagefs_node pr_node;	/* the file or directory (in_path = pr_path) */
	char		*pr_buf;	/* a file's text (malloc'd; the caller frees), or NULL */
	char		pr_path[32];	/* "proc/<pid>/<file>" */
	char		pr_target[_IO_CONNECT_PATH_MAX];	/* a link's target (readlink) */
	char		pr_newpath[_IO_CONNECT_PATH_MAX];	/* the path to resolve instead */
	int		pr_last;	/* the link is the path's last component */
};

/*
 * Resolve rel (a path relative to "/", as bootfs gets it) for caller:
 * PROCFS_NOT_OURS; 0 with r->pr_node (and r->pr_buf for a file, made
 * now); PROCFS_LINK (/proc/self, /proc/<pid>/cwd); -ENOENT (no such
 * process or file: a process that died since the listing), -ENOTDIR,
 * -ENAMETOOLONG (the path through the link would be too long) or
 * -ENOMEM.
 */
int procfs_resolve(const char *rel, int caller, struct procfs_ref *r);

/*
 * The index-th name procfs adds to directory dir ("proc": "self" and the
 * pids, smallest first; "proc/<pid>": its files) into name; 1, or 0 past
 * the last.
 */
int procfs_dir_entry(const char *dir, int index, char *name, size_t size);

#endif
