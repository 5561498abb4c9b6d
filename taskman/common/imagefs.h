/*
 * taskman/common/imagefs.h - the boot image as a read-only file system
 * (what taskman serves as /proc/boot), over lib/newc.
 *
 * Generic: no kernel calls, so QSOE/L's taskman reuses it.  The whole
 * archive is checked once by imagefs_init; afterwards lookups cannot
 * fail on bad data.  Nothing here is thread-safe: taskman's single
 * server thread owns an imagefs.
 */
#ifndef TM_IMAGEFS_H
#define TM_IMAGEFS_H

#include <stddef.h>
#include <stdint.h>

#define IMAGEFS_MODE_TYPE	0170000u	/* S_IFMT */
#define IMAGEFS_MODE_DIR	0040000u	/* S_IFDIR */
#define IMAGEFS_MODE_REG	0100000u	/* S_IFREG */
#define IMAGEFS_MODE_LNK	0120000u	/* S_IFLNK */

struct imagefs_node {
	const char	*in_path;	/* "proc/boot/x": no leading '/' ("" is the root) */
	const void	*in_data;	/* contents (a link's target, not NUL-terminated) */
	size_t		in_size;	/* bytes of in_data */
	uint32_t	in_mode;	/* S_IF* type and permission bits */
	uint32_t	in_uid, in_gid;
	uint32_t	in_mtime;
	uint32_t	in_ino;		/* index + 1: unique within the image */
	int		in_parent;	/* index of the directory holding it, -1 for the root */
};

struct imagefs {
	struct imagefs_node *if_nodes;	/* [0] is the root directory */
	int		if_count;
	char		if_err[128];	/* why imagefs_init failed */
};

/*
 * Check the whole archive (size bytes at img, which must stay mapped) and
 * index it.  Every entry must be a regular file, directory or symbolic
 * link with a clean relative name (no empty, "." or ".." component, no
 * duplicates) whose parent directories exist or are implied.  Returns 0,
 * or -1 with if_err saying what and where (truncation, bad header, ...),
 * or -2 when out of memory.
 */
int imagefs_init(struct imagefs *fs, const void *img, size_t size);

/* Free what imagefs_init allocated (also after a failure). */
void imagefs_fini(struct imagefs *fs);

/*
 * The node of path, relative to the image root ("proc/boot/x"; a leading
 * '/' and repeated or trailing '/' are accepted), or NULL.  Symbolic
 * links are not followed.
 */
const struct imagefs_node *imagefs_lookup(const struct imagefs *fs, const char *path);

/*
 * The node of path (as imagefs_lookup takes it) with symbolic links in
 * its last component followed, at most IMAGEFS_SYMLOOP_MAX of them; a
 * relative target is relative to the link's directory (".." is not
 * resolved).  Links in the directories above are not followed (the
 * image's links are leaves).
 * Returns 0 with *np set, -ENOENT (no node, or a link to nothing), or
 * -ELOOP (too many links) or -ENAMETOOLONG (a target path too long).
 */
#define IMAGEFS_SYMLOOP_MAX	8
int imagefs_follow(const struct imagefs *fs, const char *path, const struct imagefs_node **np);

/*
 * The index-th entry (from 0) of directory dir, or NULL past the end.
 * *next is the index to ask for after it.
 */
const struct imagefs_node *imagefs_readdir(const struct imagefs *fs,
    const struct imagefs_node *dir, int index, int *next);

/* The last component of a node's path ("" for the root). */
const char *imagefs_basename(const struct imagefs_node *n);

#endif
