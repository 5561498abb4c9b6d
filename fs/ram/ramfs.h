/*
 * ramfs.h - the RAM file system's logic (docs/ramfs.md): inodes,
 * directories, data blocks, name lookup, link counts and the POSIX rules
 * of every operation.  It makes no QSOE call, so the host unit tests
 * (tests/host/test_ramfs.c) compile it natively under ASan/UBSan; the
 * server (fs/ram/main.c) turns _IO_* messages into these calls.
 *
 * Errors are positive errno values (0 is success), as a libresmgr
 * handler returns them.  RF_REDIRECT is not an error: the path left the
 * file system through a symbolic link, and l_path (struct rf_lookup)
 * holds the absolute path the client must try instead.
 *
 * One thread owns a struct ramfs and everything in it: nothing is locked.
 */
#ifndef RAMFS_H
#define RAMFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <sys/iofunc_cred.h>	/* struct _client_info: who asks; the permission rules */
#include <sys/fsrules.h>	/* the rules of names all file systems share */

#define RF_BLOCK	4096		/* data block size */
#define RF_NAME_MAX	255		/* bytes of one name: ENAMETOOLONG beyond */
#define RF_PATH_MAX	1024		/* a path, NUL included */
#define RF_LINKS_MAX	32		/* symbolic links followed in one walk: ELOOP */
#define RF_LINK_MAX	65000		/* hard links to one inode: EMLINK */
#define RF_FILE_MAX	(1LL << 39)	/* bytes in one file (the block tree's reach): EFBIG */
#define RF_REDIRECT	(-1)		/* "follow l_path elsewhere": not an errno */
#define RF_ACCMODE	3		/* open()'s access mode (musl's O_ACCMODE also holds O_PATH) */

/* The block tree: three levels of RF_FANOUT pointers, data blocks at the leaves. */
#define RF_FANOUT	512

struct rf_dirent {
	char			*de_name;	/* malloc'd, NUL-terminated; NULL: a free slot */
	struct rf_inode		*de_ino;
};

struct _iofunc_lock;

struct rf_inode {
	uint64_t		i_ino;		/* serial number */
	mode_t			i_mode;		/* S_IF* and permissions */
	uint32_t		i_nlink;	/* names (a directory: 2 + subdirectories) */
	uid_t			i_uid;
	gid_t			i_gid;
	unsigned		i_opens;	/* open OCBs: keep it after its last name goes */
	int64_t			i_size;		/* bytes (a directory: live entries) */
	struct timespec		i_atime, i_mtime, i_ctime;
	/* directories */
	struct rf_inode		*i_parent;	/* ".."; the root's is itself */
	struct rf_dirent	*i_ents;	/* i_nslots slots, some free */
	unsigned		i_nslots;
	/* regular files */
	void			**i_tree;	/* block tree root (NULL: all holes) */
	uint64_t		i_nblocks;	/* data blocks allocated */
	/* symbolic links */
	char			*i_target;	/* malloc'd, NUL-terminated */
	/* any open object */
	struct _iofunc_lock	*i_locks;	/* record locks: libresmgr's (fsio.c), NULL here */
};

struct ramfs {
	struct rf_inode		*f_root;
	char			f_mount[RF_PATH_MAX];	/* "/tmp"; "" for "/" */
	uint64_t		f_limit;	/* most bytes of data blocks and link targets */
	uint64_t		f_used;
	uint64_t		f_maxinodes;	/* most inodes: ENOSPC beyond */
	uint64_t		f_ninodes;
	uint64_t		f_nextino;
};

/* What a walk found (rf_walk). */
struct rf_lookup {
	struct rf_inode		*l_dir;		/* directory holding the last name; NULL for the root */
	struct rf_inode		*l_ino;		/* the object, NULL if the last name does not exist */
	const char		*l_name;	/* the last name (points into l_buf) */
	size_t			l_namelen;
	char			l_buf[RF_PATH_MAX];	/* the path being walked */
	char			l_path[RF_PATH_MAX];	/* RF_REDIRECT: the absolute path to try */
};

/* A piece of file data for a reply: len bytes at p (a hole points at zeros). */
struct rf_seg {
	const void		*s_p;
	size_t			s_len;
};

/*
 * A new file system mounted at mount (absolute, no trailing '/'), root
 * directory of mode rootmode owned by root, at most limit bytes of data
 * and maxinodes inodes.  0, EINVAL, ENAMETOOLONG or ENOMEM.
 */
int rf_init(struct ramfs *fs, const char *mount, mode_t rootmode, uint64_t limit,
    uint64_t maxinodes);

/* Free everything (the host tests use it to show nothing leaks). */
void rf_destroy(struct ramfs *fs);

/*
 * Walk path (relative to the mount: "" is the root, no leading '/';
 * "." and ".." are taken physically).  Symbolic links in the middle are
 * followed, and the last one too if follow; a link leading out of the
 * file system gives RF_REDIRECT with l_path set.  Searching a directory
 * needs its x bit.  0 (l_ino may be NULL: only the last name is missing),
 * RF_REDIRECT, ENOENT, ENOTDIR, EACCES, ENAMETOOLONG, ELOOP.
 */
int rf_walk(struct ramfs *fs, const struct _client_info *cr, const char *path, int follow,
    struct rf_lookup *l);

/* May cr do want (4 read, 2 write, 1 search/execute, ORed) on ino?  0 or EACCES. */
int rf_access(const struct rf_inode *ino, const struct _client_info *cr, unsigned want);

/*
 * open(): O_CREAT (mode's permission bits), O_EXCL, O_TRUNC,
 * O_DIRECTORY, O_NOFOLLOW (O_PATH with it opens the link itself), and
 * the permission check of the access mode.  dirflag: the path ended in
 * '/'.  On 0, *out is the inode with i_opens counted (rf_close it).
 * Also EEXIST, EISDIR, ENOTDIR, ELOOP, ENOSPC, EINVAL, RF_REDIRECT.
 */
int rf_open(struct ramfs *fs, const struct _client_info *cr, const char *path, unsigned ioflag,
    mode_t mode, int dirflag, struct rf_lookup *l, struct rf_inode **out);

/* Another open of ino (dup to a new OCB); and the end of one: an unlinked inode goes with its last. */
void rf_ref(struct rf_inode *ino);
void rf_close(struct ramfs *fs, struct rf_inode *ino);

/* mkdir (S_IFDIR) or a regular file (S_IFREG); others EPERM.  EEXIST, ENOSPC, ... */
int rf_mknod(struct ramfs *fs, const struct _client_info *cr, const char *path, mode_t mode,
    struct rf_lookup *l);

/* symlink(target, path). */
int rf_symlink(struct ramfs *fs, const struct _client_info *cr, const char *path,
    const char *target, struct rf_lookup *l);

/* readlink: *target is the link's (not copied).  EINVAL if not a link. */
int rf_readlink(struct ramfs *fs, const struct _client_info *cr, const char *path,
    struct rf_lookup *l, const char **target);

/* unlink (isdir 0: EISDIR for a directory) or rmdir (isdir 1: ENOTDIR, ENOTEMPTY, EBUSY). */
int rf_unlink(struct ramfs *fs, const struct _client_info *cr, const char *path, int isdir,
    struct rf_lookup *l);

/* link(ino, path): EPERM for a directory, EEXIST, EMLINK. */
int rf_link(struct ramfs *fs, const struct _client_info *cr, struct rf_inode *ino,
    const char *path, struct rf_lookup *l);

/*
 * rename(oldpath, newpath), both relative to the mount.  EINVAL for a
 * directory into its own subtree, ENOTEMPTY, EISDIR, ENOTDIR, EBUSY (the
 * root), EACCES/EPERM (the parents' write bits, the sticky bit).
 * RF_REDIRECT only for newpath (oldpath leaving the file system is EXDEV).
 */
int rf_rename(struct ramfs *fs, const struct _client_info *cr, const char *oldpath,
    const char *newpath, struct rf_lookup *l);

/* Data.  rf_read fills segs (at most nseg) with up to n bytes at off; the byte count. */
size_t rf_read(struct rf_inode *ino, int64_t off, size_t n, struct rf_seg *segs, int nseg);

/* Copy n bytes of buf to off; *done gets what went in.  0, ENOSPC, EFBIG, ENOMEM (with *done < n). */
int rf_write(struct ramfs *fs, struct rf_inode *ino, int64_t off, const void *buf, size_t n,
    size_t *done);

/* Set the size: shrinking frees blocks, growing leaves a hole.  0, EFBIG, EINVAL, EISDIR. */
int rf_truncate(struct ramfs *fs, struct rf_inode *ino, int64_t size);

/* SEEK_DATA / SEEK_HOLE (whence 3 / 4) from off: the offset, or -ENXIO. */
int64_t rf_seek_data(const struct rf_inode *ino, int64_t off, int hole);

/* Attributes: chmod, chown (-1 keeps an id), utimens (tv_nsec UTIME_NOW / UTIME_OMIT). */
int rf_chmod(struct ramfs *fs, const struct _client_info *cr, struct rf_inode *ino, mode_t mode);
int rf_chown(struct ramfs *fs, const struct _client_info *cr, struct rf_inode *ino, int uid, int gid);
int rf_utimens(struct ramfs *fs, const struct _client_info *cr, struct rf_inode *ino,
    const struct timespec ts[2]);

/*
 * Directory reading: the entry at position *pos (0 ".", 1 "..", then
 * the slots), skipping free slots; *pos moves past it.  1 and the name
 * and inode, or 0 at the end.
 */
int rf_readdir(const struct rf_inode *dir, int64_t *pos, const char **name,
    const struct rf_inode **ino);

/* Blocks of 512 bytes that ino holds (stat's st_blocks). */
uint64_t rf_blocks512(const struct rf_inode *ino);

/* Current time (CLOCK_REALTIME). */
void rf_now(struct timespec *ts);

#endif
