/*
 * ext2fs.h - the ext2 file system's logic (docs/ext2.md): mounting and
 * checking an image, the block cache, allocation, inodes, directories,
 * path walks and the POSIX rules of every operation.  It makes no QSOE
 * call (only pread/pwrite/fsync on a file descriptor and the C library),
 * so the host unit tests (tests/host/test_ext2.c) run it under
 * ASan/UBSan on images made by the host's mke2fs; the server
 * (fs/ext2/main.c and e2ops.c, on libresmgr's sys/fsserv.h) turns _IO_*
 * messages into these calls.
 *
 * Errors are positive errno values (0 is success), as a libresmgr
 * handler returns them.  E2_REDIRECT is not an error: the path left the
 * file system through a symbolic link and l_path holds the absolute path
 * the client must try instead.  Anything on the disk that is not as it
 * must be (a block number outside the file system, a directory entry
 * running past its block, an inode number out of range, ext4 extents)
 * gives EIO and a line in fs->f_err, never a crash.
 *
 * Who asks is libresmgr's struct _client_info (sys/iofunc_cred.h); only
 * its effective ids count (no supplementary groups).
 *
 * One thread owns a struct e2fs and everything in it: nothing is locked.
 */
#ifndef EXT2FS_H
#define EXT2FS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <sys/iofunc_cred.h>	/* the permission rules */
#include <sys/fsrules.h>	/* the rules of names all file systems share */
#include "e2disk.h"

#define E2_NAME_MAX	255		/* bytes of one name */
#define E2_PATH_MAX	1024		/* a path, NUL included */
#define E2_LINKS_MAX	32		/* symbolic links followed in one walk: ELOOP */
#define E2_LINK_MAX	32000		/* hard links to one inode (Linux's EXT2_LINK_MAX) */
#define E2_REDIRECT	(-1)
#define E2_ACCMODE	3
#define E2_CACHE_BLOCKS	2048		/* blocks the cache holds before it evicts */
#define E2_ERRLEN	160

/* A cached block (e2cache.c). */
struct e2_buf {
	uint32_t		b_blk;
	unsigned		b_refs;
	int			b_dirty;
	struct e2_buf		*b_hnext;		/* hash chain */
	struct e2_buf		*b_prev, *b_next;	/* LRU list (most recent at the head) */
	uint8_t			*b_data;
};

struct _iofunc_lock;	/* libresmgr's record locks: the server's, never the logic's */

/* An inode in core: one per inode number while anyone holds it. */
struct e2_inode {
	uint32_t		i_ino;
	unsigned		i_refs;		/* holders: walks, opens */
	unsigned		i_opens;	/* open OCBs among them */
	uint32_t		i_goal;		/* where the next block should go (0: its group) */
	struct _iofunc_lock	*i_locks;	/* fcntl record locks (the server's; NULL: none) */
	struct e2_inode		*i_hnext;
	struct e2_dinode	i_d;		/* the disk's copy (first 128 or 160 bytes) */
};

struct e2fs {
	int			f_fd;		/* the device */
	int			f_rdonly;	/* mounted read-only (asked, media, or features) */
	int			f_unclean;	/* it was not unmounted cleanly, or has errors */
	char			f_mount[E2_PATH_MAX];
	char			f_err[E2_ERRLEN];	/* the last corruption found, for the log */
	struct e2_super		f_sb;
	struct e2_group		*f_gd;		/* the group descriptors */
	uint32_t		f_bsize;	/* bytes a block */
	uint32_t		f_ngroups;
	uint32_t		f_gdblocks;	/* blocks the descriptor table takes */
	uint32_t		f_isize;	/* bytes an inode on disk */
	uint32_t		f_ipb;		/* inodes per block */
	uint32_t		f_apb;		/* block addresses per block */
	uint32_t		f_itblocks;	/* inode-table blocks a group */
	int			f_sbdirty;	/* superblock or descriptors changed */
	/* the cache */
	struct e2_buf		**f_hash;
	unsigned		f_nhash;
	struct e2_buf		*f_lru_head, *f_lru_tail;
	uint8_t			*f_run;		/* read-ahead's and flush's run of blocks (64 KiB), kept */
	unsigned		f_nbufs;
	unsigned		f_maxbufs;
	uint64_t		f_reads, f_writes;	/* blocks moved, for the tests */
	/* inodes in core */
	struct e2_inode		*f_itab[256];
	unsigned		f_ninodes;
};

struct e2_lookup {
	uint32_t		l_dir;		/* directory holding the last name; 0: none ("/", ".", "..") */
	uint32_t		l_ino;		/* the object; 0 if the last name does not exist */
	const char		*l_name;	/* the last name (in l_buf) */
	size_t			l_namelen;
	char			l_buf[E2_PATH_MAX];
	char			l_path[E2_PATH_MAX];	/* E2_REDIRECT: the absolute path */
};

/* ---- the file system (e2super.c) ------------------------------------------ */

/*
 * Mount the ext2 image on fd (absolute mount point mount, for symbolic
 * links leaving the file system).  rdonly: do not write.  A read-write
 * mount marks the superblock not clean until e2_unmount.  EINVAL with
 * fs->f_err saying why for a bad superblock or descriptor table, an
 * unsupported block size or revision, or an unknown INCOMPAT feature;
 * an unknown RO_COMPAT feature allows only a read-only mount (EROFS
 * unless rdonly); EIO for a device that cannot be read; ENOMEM.
 */
int e2_mount(struct e2fs *fs, int fd, const char *mount, int rdonly);

/* Write every dirty block, the descriptors and the superblock, then fsync the device.  0 or EIO. */
int e2_sync(struct e2fs *fs);

/* Is anything waiting to be written (blocks, descriptors, superblock)? */
int e2_dirty(const struct e2fs *fs);

/* Sync, mark the file system clean, free everything (fd stays open).  0 or EIO. */
int e2_unmount(struct e2fs *fs);

/* Record a corruption (printf-style) in f_err; returns EIO for `return e2_corrupt(...)`. */
int e2_corrupt(struct e2fs *fs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- inodes (e2inode.c) ---------------------------------------------------- */

/* The in-core inode of ino (counted: e2_iput it).  0, EIO (out of range, unsupported format). */
int e2_iget(struct e2fs *fs, uint32_t ino, struct e2_inode **out);

/* Drop a hold; the last of an inode without links frees it on disk. */
void e2_iput(struct e2fs *fs, struct e2_inode *ip);

/* An open of ip (counted in i_opens as well as i_refs); e2_close ends it. */
void e2_ref(struct e2_inode *ip);
void e2_close(struct e2fs *fs, struct e2_inode *ip);

/* Accessors of the disk inode. */
int64_t e2_size(const struct e2_inode *ip);
uid_t e2_uid(const struct e2_inode *ip);
gid_t e2_gid(const struct e2_inode *ip);
void e2_times(const struct e2fs *fs, const struct e2_inode *ip, struct timespec *a,
    struct timespec *m, struct timespec *c);
uint64_t e2_blocks512(const struct e2_inode *ip);

/* ---- data (e2data.c) ----------------------------------------------------------- */

/* Read up to n bytes at off into buf: the count (0 at or past the end), or -errno. */
ssize_t e2_read(struct e2fs *fs, struct e2_inode *ip, int64_t off, void *buf, size_t n);

/* Write n bytes at off; *done what went in.  0, ENOSPC, EFBIG, EIO, EROFS. */
int e2_write(struct e2fs *fs, struct e2_inode *ip, int64_t off, const void *buf, size_t n,
    size_t *done);

/* Set the size (shrinking frees blocks, growing leaves a hole).  0, EFBIG, EISDIR, EIO, EROFS. */
int e2_truncate(struct e2fs *fs, struct e2_inode *ip, int64_t size);

/* SEEK_DATA / SEEK_HOLE from off: the offset, or -ENXIO / -EIO. */
int64_t e2_seek_data(struct e2fs *fs, struct e2_inode *ip, int64_t off, int hole);

/* Write ip's dirty data and inode, then flush the device (fsync).  0 or EIO. */
int e2_fsync(struct e2fs *fs, struct e2_inode *ip);

/* ---- directories (e2dir.c) ------------------------------------------------------- */

/*
 * The entry at byte position *pos of directory dir (skipping unused
 * ones); *pos moves past it.  1 with name (NUL-terminated in name, at
 * least E2_NAME_MAX + 1 bytes), *ino and *type (DT_*); 0 at the end; -EIO.
 */
int e2_readdir(struct e2fs *fs, struct e2_inode *dir, int64_t *pos, char *name, uint32_t *ino,
    unsigned char *type);

/* ---- names (e2name.c) ---------------------------------------------------------- */

/* As rf_walk (fs/ram/ramfs.h): 0, E2_REDIRECT, ENOENT, ENOTDIR, EACCES, ENAMETOOLONG, ELOOP, EIO. */
int e2_walk(struct e2fs *fs, const struct _client_info *cr, const char *path, int follow,
    struct e2_lookup *l);

/* open(): as rf_open.  On 0, *out is the inode, opened (e2_close it). */
int e2_open(struct e2fs *fs, const struct _client_info *cr, const char *path, unsigned ioflag,
    mode_t mode, int dirflag, struct e2_lookup *l, struct e2_inode **out);

/* mkdir (S_IFDIR), regular files, FIFOs; devices and sockets EPERM. */
int e2_mknod(struct e2fs *fs, const struct _client_info *cr, const char *path, mode_t mode,
    struct e2_lookup *l);
int e2_symlink(struct e2fs *fs, const struct _client_info *cr, const char *path,
    const char *target, struct e2_lookup *l);
/* readlink: the target into buf (NUL-terminated, at most E2_PATH_MAX). */
int e2_readlink(struct e2fs *fs, const struct _client_info *cr, const char *path,
    struct e2_lookup *l, char *buf);
int e2_unlink(struct e2fs *fs, const struct _client_info *cr, const char *path, int isdir,
    struct e2_lookup *l);
int e2_link(struct e2fs *fs, const struct _client_info *cr, struct e2_inode *ip,
    const char *path, struct e2_lookup *l);
int e2_rename(struct e2fs *fs, const struct _client_info *cr, const char *oldpath,
    const char *newpath, struct e2_lookup *l);

/* ---- attributes (e2attr.c) ------------------------------------------------------- */

int e2_access(const struct e2_inode *ip, const struct _client_info *cr, unsigned want);
int e2_chmod(struct e2fs *fs, const struct _client_info *cr, struct e2_inode *ip, mode_t mode);
int e2_chown(struct e2fs *fs, const struct _client_info *cr, struct e2_inode *ip, int uid, int gid);
int e2_utimens(struct e2fs *fs, const struct _client_info *cr, struct e2_inode *ip,
    const struct timespec ts[2]);

#endif
